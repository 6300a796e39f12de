import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, inspect, removeImages } from './docker.js';
import { PLATFORM_BASES, pushPlatformBases } from './platform-bases.js';
import { Registry } from './registry.js';

const registry = new Registry(5152);
const repository = `${registry.host}/h-fix/base`;
const pulled: string[] = [];

beforeAll(() => registry.start());

afterAll(async () => {
  removeImages(...pulled);
  await registry.remove();
});

describe('the multi-platform base for the tests', () => {
  it('serves an OCI index whose entries are the local bases, each of its platform', async () => {
    const index = await pushPlatformBases(repository);
    expect(index.reference).toBe(`${repository}:bookworm`);

    const response = await fetch(`http://${registry.host}/v2/h-fix/base/manifests/bookworm`, {
      headers: { Accept: 'application/vnd.oci.image.index.v1+json' },
    });
    expect(response.headers.get('content-type')).toBe('application/vnd.oci.image.index.v1+json');
    expect(response.headers.get('docker-content-digest')).toBe(index.digest);
    const body = (await response.json()) as {
      manifests: Array<{ digest: string; size: number; platform: object }>;
    };
    expect(body.manifests).toEqual(
      index.entries.map(({ digest, size, platform }) => {
        const [os, architecture] = platform.split('/');
        return expect.objectContaining({ digest, size, platform: { architecture, os } });
      }),
    );
    expect(body.manifests.map((entry) => entry.platform)).toEqual([
      { architecture: 'amd64', os: 'linux' },
      { architecture: 'arm64', os: 'linux' },
    ]);
    // The staging tags stay in the registry, and nothing of them locally.
    expect((await registry.tags('h-fix/base')).sort()).toEqual([
      'bookworm',
      'bookworm-linux-amd64',
      'bookworm-linux-arm64',
    ]);
    expect(docker('image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', repository)).toBe('');
  });

  it('pulls for each platform the local base it came from, which runs as that machine', () => {
    for (const [platform, machine] of [
      ['linux/amd64', 'x86_64'],
      ['linux/arm64', 'aarch64'],
    ]) {
      const local = `${repository}:pulled-${platform.replace('/', '-')}`;
      docker('pull', '--quiet', '--platform', platform, `${repository}:bookworm`);
      docker('tag', `${repository}:bookworm`, local);
      pulled.push(local, `${repository}:bookworm`);
      // Pushed and pulled back, the config is the same bytes: the same image ID.
      expect(inspect(local, '{{json .Id}}')).toBe(
        inspect(PLATFORM_BASES[platform], '{{json .Id}}'),
      );
      expect(docker('run', '--rm', '--network', 'none', local, 'uname', '-m').trim()).toBe(machine);
    }
  });

  it('gives the same index again, so that each test file may push it', async () => {
    const first = await pushPlatformBases(repository, 'again');
    const second = await pushPlatformBases(repository, 'again');
    expect(second).toEqual(first);
  });

  it('refuses a base that is not of its platform', async () => {
    await expect(
      pushPlatformBases(repository, 'wrong', { 'linux/arm64': 'debian:bookworm-slim' }),
    ).rejects.toThrow('debian:bookworm-slim is linux/amd64, not linux/arm64: run scripts/setup.sh');
    expect(await registry.tags('h-fix/base')).not.toContain('wrong-linux-arm64');
  });
});
