import * as openpgp from 'openpgp';
import { describe, expect, it } from 'vitest';
import { HASHICORP_FINGERPRINT, HASHICORP_PUBLIC_KEY } from '../../src/tools/hashicorp-key.js';
import { pluginFiles } from '../../src/tools/packer-plugins.js';
import { hashicorpPlatform } from '../../src/tools/platform.js';
import { needsPlugins } from '../../src/tools/tools.js';
import { checksumFor, verifyDetachedSignature } from '../../src/tools/verify.js';
import { indexVersions, isVersionSpec, resolveVersion } from '../../src/tools/versions.js';
import { detachedSignature, signingKey } from '../standins.js';

const PUBLISHED = ['1.9.4', '1.10.0', '1.11.2', '1.11.3-rc1', '1.8.7', '2.0.0-beta1'];

describe('resolveVersion', () => {
  it.each([
    ['latest', '1.11.2'],
    ['1.10.0', '1.10.0'],
    ['1.11.3-rc1', '1.11.3-rc1'],
    ['~1.11', '1.11.2'],
    ['>=1.9 <1.11', '1.10.0'],
    ['^1', '1.11.2'],
    ['1.12.0', undefined],
    ['>=3', undefined],
  ])('%s is %s', (spec, expected) => expect(resolveVersion(spec, PUBLISHED)).toBe(expected));
});

describe('isVersionSpec', () => {
  it.each(['latest', 'system', '1.11.2', '~1.11', '>=1.10 <2', '1.x'])('accepts %s', (spec) =>
    expect(isVersionSpec(spec)).toBe(true),
  );
  it.each(['newest', '', 'v1..2', '1.2.3.4.5'])('rejects %s', (spec) =>
    expect(isVersionSpec(spec)).toBe(false),
  );
});

describe('indexVersions', () => {
  it('reads versions from wheel and sdist names of a simple index page', () => {
    const html = `<a href="x">ansible_core-2.16.3-py3-none-any.whl</a>
      <a href="y">ansible-core-2.16.3.tar.gz</a>
      <a href="z">ansible_core-2.17.0rc1-py3-none-any.whl</a>
      <a href="w">ansible_core-2.15.0-py3-none-any.whl</a>
      <a href="v">ansible-lint-6.0.0.tar.gz</a>`;
    expect(indexVersions(html, 'ansible-core').sort()).toEqual(['2.15.0', '2.16.3']);
  });
});

describe('hashicorpPlatform', () => {
  it.each([
    ['linux', 'x64', { os: 'linux', arch: 'amd64' }],
    ['darwin', 'arm64', { os: 'darwin', arch: 'arm64' }],
    ['win32', 'x64', { os: 'windows', arch: 'amd64' }],
    ['linux', 'ia32', { os: 'linux', arch: '386' }],
  ])('%s/%s', (platform, arch, expected) =>
    expect(hashicorpPlatform(platform, arch)).toEqual(expected),
  );

  it('rejects a platform HashiCorp does not build for', () => {
    expect(() => hashicorpPlatform('aix', 'ppc64')).toThrow(
      'HashiCorp publishes no builds for aix/ppc64',
    );
  });
});

describe('needsPlugins', () => {
  it.each([
    ['1.6.6', false],
    ['1.9.5', false],
    ['1.10.0-rc1', false],
    ['1.10.0', true],
    ['1.14.2', true],
  ])('Packer %s: %s', (version, needed) => expect(needsPlugins(version)).toBe(needed));
});

describe('pluginFiles', () => {
  const linux = { os: 'linux', arch: 'amd64' };
  it('names the zip as the release site does', () => {
    expect(pluginFiles('docker', '1.1.4', linux).zip).toBe(
      'packer-plugin-docker_1.1.4_linux_amd64.zip',
    );
    expect(pluginFiles('ansible', '1.1.6', { os: 'darwin', arch: 'arm64' }).product).toBe(
      'packer-plugin-ansible',
    );
  });

  it.each([
    ['packer-plugin-docker_v1.1.4_x5.0_linux_amd64', true],
    ['packer-plugin-docker_v1.1.4_x5.1_linux_amd64.exe', true],
    ['packer-plugin-docker_v1.1.4_x5.0_linux_arm64', false],
    ['packer-plugin-docker_v1.1.41_x5.0_linux_amd64', false],
    ['packer-plugin-docker_v1x1x4_x5.0_linux_amd64', false],
    ['packer-plugin-ansible_v1.1.4_x5.0_linux_amd64', false],
    ['packer-plugin-docker_v1.1.4_x5.0_linux_amd64_SHA256SUM', false],
  ])('finds the binary %s in the zip: %s', (name, found) =>
    expect(pluginFiles('docker', '1.1.4', linux).binary.test(name)).toBe(found),
  );
});

describe('checksumFor', () => {
  const sums = `${'a'.repeat(64)}  packer_1.11.2_linux_amd64.zip\n${'b'.repeat(64)}  packer_1.11.2_linux_amd64.zip.sig\n${'c'.repeat(64)} *packer_1.11.2_darwin_arm64.zip\n`;
  it.each([
    ['packer_1.11.2_linux_amd64.zip', 'a'.repeat(64)],
    ['packer_1.11.2_darwin_arm64.zip', 'c'.repeat(64)],
    ['packer_1.11.2_linux_amd64', undefined],
    ['linux_amd64.zip', undefined],
  ])('finds the exact line of %s', (file, expected) =>
    expect(checksumFor(sums, file)).toBe(expected),
  );
});

describe('verifyDetachedSignature', () => {
  it('accepts a good signature and rejects a changed file, a bad signature and another key', async () => {
    const [signer, other] = await Promise.all([signingKey('signer'), signingKey('other')]);
    const data = Buffer.from('abc  packer.zip\n');
    const signature = await detachedSignature(data, signer);
    await expect(
      verifyDetachedSignature(data, signature, signer.publicKey),
    ).resolves.toBeUndefined();
    await expect(
      verifyDetachedSignature(
        new TextEncoder().encode('abd  packer.zip\n'),
        signature,
        signer.publicKey,
      ),
    ).rejects.toThrow(/does not verify against key/);
    const broken = Buffer.from(signature);
    broken[broken.length - 6] ^= 0xff;
    await expect(verifyDetachedSignature(data, broken, signer.publicKey)).rejects.toThrow(
      /does not verify against key/,
    );
    await expect(
      verifyDetachedSignature(data, await detachedSignature(data, other), signer.publicKey),
    ).rejects.toThrow(/does not verify against key/);
    await expect(verifyDetachedSignature(data, signature, 'not a key')).rejects.toThrow(
      /The release signing key does not parse/,
    );
  });

  it('carries HashiCorp’s key with the published fingerprint', async () => {
    const key = await openpgp.readKey({ armoredKey: HASHICORP_PUBLIC_KEY });
    expect(key.getFingerprint()).toBe(HASHICORP_FINGERPRINT);
    expect(HASHICORP_FINGERPRINT.toUpperCase()).toBe('C874011F0AB405110D02105534365D9472D7468F');
  });
});
