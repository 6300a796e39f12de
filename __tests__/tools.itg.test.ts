import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeImages } from './docker.js';
import { type ActionRun, runAction } from './runner.js';
import {
  type SigningKey,
  StandInServer,
  ansibleCoreWheel,
  detachedSignature,
  modernPackerScript,
  modernPackerZip,
  packerZip,
  pluginZip,
  signingKey,
} from './standins.js';

// Only stand-ins can be tested here: HashiCorp's release site and PyPI are out of reach.
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const images: string[] = [];
afterAll(() => removeImages(...images));

const build = (extra: Record<string, string>) => ({
  playbook: '__tests__/fixtures/raw/site.yml',
  python: 'never',
  'extra-vars': JSON.stringify({ raw_command: 'true' }),
  ...extra,
});

function succeeded(run: ActionRun): void {
  expect(run.exitCode, run.log).toBe(0);
  images.push(run.outputs['image-id']);
}

describe('Packer from a release server', () => {
  const releases = new StandInServer();
  let key: SigningKey;
  let otherKey: SigningKey;
  const zip = packerZip();

  /** A release as HashiCorp publishes it: zip, SHA256SUMS and its .72D7468F.sig. */
  async function publish(
    version: string,
    options: {
      zip?: Buffer;
      sumsOf?: Buffer;
      signWith?: SigningKey;
      corruptSignature?: boolean;
      platform?: string;
    } = {},
  ) {
    const platform = options.platform ?? 'linux_amd64';
    const file = `packer_${version}_${platform}.zip`;
    const sums = Buffer.from(
      `${sha256(options.sumsOf ?? options.zip ?? zip)}  ${file}\n${'0'.repeat(64)}  packer_${version}_other.zip\n`,
    );
    const signature = await detachedSignature(sums, options.signWith ?? key);
    if (options.corruptSignature) signature[signature.length - 8] ^= 0xff;
    releases.serve(`/packer/${version}/${file}`, options.zip ?? zip);
    releases.serve(`/packer/${version}/packer_${version}_SHA256SUMS`, sums);
    releases.serve(`/packer/${version}/packer_${version}_SHA256SUMS.72D7468F.sig`, signature);
    const [os, arch] = platform.split('_');
    return { [version]: { builds: [{ os, arch, filename: file }] } };
  }

  /** A plugin release as the release site has it, under packer-plugin-NAME/VERSION/. */
  async function publishPlugin(
    plugin: string,
    version: string,
    options: { corruptSignature?: boolean; sumsOf?: Buffer; withoutZip?: boolean } = {},
  ) {
    const product = `packer-plugin-${plugin}`;
    const file = `${product}_${version}_linux_amd64.zip`;
    const pluginZipData = pluginZip(plugin, version);
    const sums = Buffer.from(`${sha256(options.sumsOf ?? pluginZipData)}  ${file}\n`);
    const signature = await detachedSignature(sums, key);
    if (options.corruptSignature) signature[signature.length - 8] ^= 0xff;
    const release = `/${product}/${version}`;
    if (!options.withoutZip) releases.serve(`${release}/${file}`, pluginZipData);
    releases.serve(`${release}/${product}_${version}_SHA256SUMS`, sums);
    releases.serve(`${release}/${product}_${version}_SHA256SUMS.72D7468F.sig`, signature);
  }

  beforeAll(async () => {
    [key, otherKey] = await Promise.all([signingKey('itg releases'), signingKey('someone else')]);
    await releases.start();
    const truncated = zip.subarray(0, zip.length - 40);
    const versions = {
      ...(await publish('1.8.7')),
      ...(await publish('1.9.4')),
      ...(await publish('1.9.5-rc1')),
      ...(await publish('1.7.1', { corruptSignature: true })),
      ...(await publish('1.7.2', { signWith: otherKey })),
      ...(await publish('1.7.3', { sumsOf: Buffer.from('not the zip') })),
      ...(await publish('1.7.4', { zip: truncated, sumsOf: truncated })),
      ...(await publish('1.7.5', { platform: 'plan9_mips' })),
      ...(await publish('1.7.6')),
      ...(await publish('1.11.2', { zip: modernPackerZip('1.11.2') })),
    };
    for (const [plugin, version] of [
      ['docker', '1.1.4'],
      ['ansible', '1.1.6'],
      ['ansible', '1.1.7'],
    ])
      await publishPlugin(plugin, version);
    await publishPlugin('docker', '1.0.1', { corruptSignature: true });
    await publishPlugin('docker', '1.0.2', { sumsOf: Buffer.from('not the zip') });
    await publishPlugin('docker', '1.0.3', { withoutZip: true });
    releases.serve('/packer/index.json', JSON.stringify({ name: 'packer', versions }));
  });
  afterAll(() => releases.stop());

  const packer = (
    version: string,
    toolCache: string,
    inputs: Record<string, string> = {},
    env: Record<string, string> = {},
  ) =>
    runAction(
      build({
        'packer-version': version,
        'hashicorp-releases-url': releases.url,
        'hashicorp-public-key': key.publicKey,
        ...inputs,
      }),
      { env: { RUNNER_TOOL_CACHE: toolCache, ...env } },
    );
  const pluginRequests = () => releases.requests.filter((r) => r.startsWith('/packer-plugin-'));

  it('resolves latest, verifies, caches under the resolved version, and hits the cache after', async () => {
    const toolCache = mkdtempSync(path.join(os.tmpdir(), 'itg-toolcache-'));
    releases.requests.length = 0;
    const first = await packer('latest', toolCache);
    succeeded(first);
    expect(first.outputs['packer-version']).toBe('1.11.2');
    expect(first.log).toContain('packer 1.11.2: signature and checksum verified');
    expect(existsSync(path.join(toolCache, 'packer', '1.11.2', 'amd64', 'packer'))).toBe(true);
    expect(releases.requests).toContain('/packer/1.11.2/packer_1.11.2_linux_amd64.zip');

    releases.requests.length = 0;
    const again = await packer('latest', toolCache);
    succeeded(again);
    expect(releases.requests).toEqual(['/packer/index.json']); // no second download
    releases.requests.length = 0;
    const exact = await packer('1.11.2', toolCache);
    succeeded(exact);
    expect(releases.requests).toEqual([]); // an exact version needs not even the index
    expect(exact.log).toContain('Packer 1.11.2 from the tool cache');
    rmSync(toolCache, { recursive: true, force: true });
  });

  it('resolves a range to the highest stable match', async () => {
    const toolCache = mkdtempSync(path.join(os.tmpdir(), 'itg-toolcache-'));
    const run = await packer('~1.8', toolCache);
    succeeded(run);
    expect(run.outputs['packer-version']).toBe('1.8.7');
    rmSync(toolCache, { recursive: true, force: true });
  });

  it('retries a server error and then installs', async () => {
    const toolCache = mkdtempSync(path.join(os.tmpdir(), 'itg-toolcache-'));
    releases.failNext('/packer/1.7.6/packer_1.7.6_linux_amd64.zip', 500);
    const run = await packer('1.7.6', toolCache);
    succeeded(run);
    expect(
      releases.requests.filter((r) => r.endsWith('packer_1.7.6_linux_amd64.zip')),
    ).toHaveLength(2);
    rmSync(toolCache, { recursive: true, force: true });
  });

  it.each([
    ['a bad signature', '1.7.1', /The SHA256SUMS signature does not verify against key /],
    [
      'a signature by another key',
      '1.7.2',
      /The SHA256SUMS signature does not verify against key /,
    ],
    [
      'a checksum mismatch',
      '1.7.3',
      /Checksum mismatch for http:.*\/packer_1\.7\.3_linux_amd64\.zip/,
    ],
    ['a truncated zip', '1.7.4', /Cannot unpack http:.*\/packer_1\.7\.4_linux_amd64\.zip/],
    ['a missing version', '3.0.0', /No Packer release matches "3\.0\.0" at http:\/\/127\.0\.0\.1/],
    ['no build for this platform', '1.7.5', /Packer 1\.7\.5 has no build for linux\/amd64/],
  ])('fails on %s, and caches nothing', async (_case, version, error) => {
    const toolCache = mkdtempSync(path.join(os.tmpdir(), 'itg-toolcache-'));
    const run = await packer(version, toolCache);
    expect(run.exitCode).toBe(1);
    expect(run.log).toMatch(error);
    expect(existsSync(path.join(toolCache, 'packer', version))).toBe(false);
    expect(readdirSync(run.runnerTemp).filter((f) => f.startsWith('packer-download-'))).toEqual([]);
    expect(run.post.exitCode).toBe(0);
    rmSync(toolCache, { recursive: true, force: true });
  });

  it('installs the pinned plugins for Packer 1.10 and later from the same site, verified, then from the cache', async () => {
    const toolCache = mkdtempSync(path.join(os.tmpdir(), 'itg-toolcache-'));
    releases.requests.length = 0;
    const first = await packer('1.11.2', toolCache);
    succeeded(first);
    expect(first.log).toContain('packer-plugin-docker 1.1.4: signature and checksum verified');
    expect(first.log).toContain('packer-plugin-ansible 1.1.6: signature and checksum verified');
    expect(pluginRequests()).toEqual(
      expect.arrayContaining([
        '/packer-plugin-docker/1.1.4/packer-plugin-docker_1.1.4_linux_amd64.zip',
        '/packer-plugin-ansible/1.1.6/packer-plugin-ansible_1.1.6_linux_amd64.zip',
      ]),
    );
    const installed = path.join(toolCache, 'packer-plugins', 'docker-1.1.4_ansible-1.1.6');
    expect(readdirSync(path.join(installed, 'github.com', 'hashicorp', 'docker')).sort()).toEqual([
      'packer-plugin-docker_v1.1.4_x5.0_linux_amd64',
      'packer-plugin-docker_v1.1.4_x5.0_linux_amd64_SHA256SUM',
    ]);

    // Another pin of one plugin: the other comes from the tool cache, nothing is fetched twice.
    releases.requests.length = 0;
    const other = await packer('1.11.2', toolCache, { 'ansible-plugin-version': '1.1.7' });
    succeeded(other);
    expect(other.log).toContain('packer-plugin-docker 1.1.4 from the tool cache');
    expect(pluginRequests().every((r) => r.startsWith('/packer-plugin-ansible/1.1.7/'))).toBe(true);
    releases.requests.length = 0;
    succeeded(await packer('1.11.2', toolCache));
    expect(releases.requests).toEqual([]);
    rmSync(toolCache, { recursive: true, force: true });
  });

  it('gives a system Packer from 1.10 on its plugins the same way', async () => {
    const toolCache = mkdtempSync(path.join(os.tmpdir(), 'itg-toolcache-'));
    const bin = mkdtempSync(path.join(os.tmpdir(), 'itg-path-'));
    writeFileSync(path.join(bin, 'packer'), modernPackerScript('1.12.0'), { mode: 0o755 });
    releases.requests.length = 0;
    const run = await packer('system', toolCache, {}, { PATH: `${bin}:${process.env.PATH}` });
    succeeded(run);
    expect(run.outputs['packer-version']).toBe('1.12.0');
    expect(pluginRequests()).toContain(
      '/packer-plugin-docker/1.1.4/packer-plugin-docker_1.1.4_linux_amd64.zip',
    );
    rmSync(toolCache, { recursive: true, force: true });
  });

  it.each([
    [
      'a plugin version that is not published',
      { 'docker-plugin-version': '9.9.9' },
      /Cannot install the Packer docker plugin 9\.9\.9 from http:\/\/127\.0\.0\.1:\d+: Cannot download http:\/\/127\.0\.0\.1:\d+\/packer-plugin-docker\/9\.9\.9\/packer-plugin-docker_9\.9\.9_SHA256SUMS: .*404/,
    ],
    [
      'a bad signature',
      { 'docker-plugin-version': '1.0.1' },
      /Cannot install the Packer docker plugin 1\.0\.1 .*The SHA256SUMS signature does not verify/,
    ],
    [
      'a checksum mismatch',
      { 'docker-plugin-version': '1.0.2' },
      /Checksum mismatch for http:\/\/127\.0\.0\.1:\d+\/packer-plugin-docker\/1\.0\.2\/packer-plugin-docker_1\.0\.2_linux_amd64\.zip/,
    ],
    [
      'a mirror without the zip',
      { 'docker-plugin-version': '1.0.3' },
      /Cannot download http:\/\/127\.0\.0\.1:\d+\/packer-plugin-docker\/1\.0\.3\/packer-plugin-docker_1\.0\.3_linux_amd64\.zip: .*404/,
    ],
  ])('fails on %s, names the file, asks once and caches nothing', async (_case, inputs, error) => {
    const toolCache = mkdtempSync(path.join(os.tmpdir(), 'itg-toolcache-'));
    releases.requests.length = 0;
    const run = await packer('1.11.2', toolCache, inputs);
    expect(run.exitCode).toBe(1);
    expect(run.log).toMatch(error);
    const version = inputs['docker-plugin-version'];
    expect(existsSync(path.join(toolCache, 'packer-plugin-docker', version))).toBe(false);
    const plugins = path.join(toolCache, 'packer-plugins');
    expect(existsSync(plugins) ? readdirSync(plugins) : []).toEqual([]);
    expect(new Set(pluginRequests()).size).toBe(pluginRequests().length); // no retries
    expect(
      readdirSync(run.runnerTemp).filter((f) => f.startsWith('packer-plugin-download-')),
    ).toEqual([]);
    rmSync(toolCache, { recursive: true, force: true });
  });

  it('fails on a 404 with the address', async () => {
    const run = await runAction(
      build({ 'packer-version': 'latest', 'hashicorp-releases-url': `${releases.url}/nowhere` }),
      { env: { RUNNER_TOOL_CACHE: mkdtempSync(path.join(os.tmpdir(), 'itg-toolcache-')) } },
    );
    expect(run.exitCode).toBe(1);
    expect(run.log).toMatch(
      /Cannot download http:\/\/127\.0\.0\.1:\d+\/nowhere\/packer\/index\.json: .*404/,
    );
  });
});

describe('ansible-core from a package index', () => {
  const index = new StandInServer();
  const wheels = ['2.98.0', '2.99.1'].map(ansibleCoreWheel);
  const toolCache = mkdtempSync(path.join(os.tmpdir(), 'itg-toolcache-'));

  beforeAll(async () => {
    await index.start();
    index.serve(
      '/simple/ansible-core/',
      `<html><body>${wheels.map((w) => `<a href="/files/${w.name}">${w.name}</a>`).join('\n')}</body></html>`,
    );
    for (const wheel of wheels) index.serve(`/files/${wheel.name}`, wheel.data);
  });
  afterAll(async () => {
    await index.stop();
    rmSync(toolCache, { recursive: true, force: true });
  });

  const ansible = (version: string) =>
    runAction(build({ 'ansible-version': version, 'pip-index-url': `${index.url}/simple` }), {
      env: { RUNNER_TOOL_CACHE: toolCache },
    });

  it('installs latest into a virtual environment, then hits the cache', async () => {
    const first = await ansible('latest');
    succeeded(first);
    expect(first.outputs['ansible-version']).toBe('2.99.1');
    const environment = path.join(toolCache, 'ansible-core', '2.99.1');
    expect(readdirSync(environment)[0]).toMatch(/^x64-py3\.\d+$/);
    expect(index.requests).toContain(`/files/${wheels[1].name}`);

    index.requests.length = 0;
    const again = await ansible('2.99.1');
    succeeded(again);
    expect(index.requests).toEqual([]);
    expect(again.log).toContain('ansible-core 2.99.1 from the tool cache');
  });

  it('fails on a version the index does not have, and caches nothing', async () => {
    const run = await ansible('~3.1');
    expect(run.exitCode).toBe(1);
    expect(run.log).toMatch(
      /No ansible-core release matches "~3\.1" at http:\/\/127\.0\.0\.1:\d+\/simple/,
    );
    expect(existsSync(path.join(toolCache, 'ansible-core', '3.1.0'))).toBe(false);
  });
});

describe('system tools', () => {
  it('say exactly what is missing', async () => {
    // Each tool alone on PATH, with nothing else beside it.
    const only = (tool: string) => {
      const bin = mkdtempSync(path.join(os.tmpdir(), 'itg-bin-'));
      symlinkSync(`/usr/bin/${tool}`, path.join(bin, tool));
      return bin;
    };
    const [packerOnly, ansibleOnly] = [only('packer'), only('ansible-playbook')];
    try {
      const noAnsible = await runAction(build({}), { env: { PATH: packerOnly } });
      expect(noAnsible.exitCode).toBe(1);
      expect(noAnsible.log).toContain(
        '::error::ansible-playbook is not on PATH; install it, or set ansible-version to a version',
      );
      const noPacker = await runAction(build({}), { env: { PATH: ansibleOnly } });
      expect(noPacker.exitCode).toBe(1);
      expect(noPacker.log).toContain(
        '::error::packer is not on PATH; install it, or set packer-version to a version',
      );
    } finally {
      rmSync(packerOnly, { recursive: true, force: true });
      rmSync(ansibleOnly, { recursive: true, force: true });
    }
  });
});
