import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerExists, docker, inspect, removeImages } from './docker.js';
import { type PlatformIndex, pushPlatformBases } from './platform-bases.js';
import { Registry } from './registry.js';
import { type ActionRun, runAction } from './runner.js';

const registry = new Registry(5161);
const app = `${registry.host}/itg/app`;
const images: string[] = [];
const folder = mkdtempSync(path.join(os.tmpdir(), 'itg-platforms-'));
let base: PlatformIndex;

const INDEX = 'application/vnd.oci.image.index.v1+json';
const MANIFEST_TYPES = [
  INDEX,
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

interface Index {
  mediaType: string;
  manifests: Array<{ digest: string; platform: { os: string; architecture: string } }>;
}

async function manifest(repository: string, reference: string) {
  const response = await fetch(`http://${registry.host}/v2/${repository}/manifests/${reference}`, {
    headers: { Accept: MANIFEST_TYPES },
  });
  if (response.status === 404) return undefined;
  return {
    digest: response.headers.get('docker-content-digest'),
    body: (await response.json()) as Index,
  };
}

const platformsOf = (index: Index) =>
  index.manifests.map(({ platform }) => `${platform.os}/${platform.architecture}`).sort();

const build = (extra: Record<string, string>) =>
  runAction({
    playbook: '__tests__/fixtures/platforms/site.yml',
    'base-image': base.reference,
    pull: 'always',
    platforms: 'linux/amd64,linux/arm64',
    // The bases have no Python: the action fetches each platform's from the Debian mirror.
    network: 'host',
    ...extra,
  });

/** No build container of any platform outlives the step. */
function expectNoContainers(run: ActionRun): void {
  const names = (run.state.containerName ?? '').split('\n').filter(Boolean);
  for (const name of names) expect(containerExists(name), name).toBe(false);
}

/** What the image's playbook wrote, from the image of one platform pulled by digest. */
function stamp(reference: string): string {
  docker('pull', '--quiet', reference);
  images.push(reference);
  return docker('run', '--rm', '--network', 'none', reference, 'cat', '/etc/platform-stamp');
}

beforeAll(async () => {
  await registry.start();
  base = await pushPlatformBases(`${registry.host}/itg/base`);
});

afterAll(async () => {
  await registry.remove();
  removeImages(...images);
  rmSync(folder, { recursive: true, force: true });
});

describe('platforms', () => {
  it('builds each platform on its own base and puts one index over them under every tag', async () => {
    const tags = [`${app}:1`, `${app}:latest`];
    images.push(...tags.flatMap((tag) => [`${tag}-linux-amd64`, `${tag}-linux-arm64`]));
    const run = await build({ tags: tags.join(','), push: 'true' });
    expect(run.exitCode, run.log).toBe(0);

    const index = await manifest('itg/app', '1');
    expect(index?.body.mediaType).toBe(INDEX);
    expect(run.outputs.digest).toBe(index?.digest);
    expect((await manifest('itg/app', 'latest'))?.digest).toBe(index?.digest);
    expect(platformsOf(index!.body)).toEqual(['linux/amd64', 'linux/arm64']);
    const machines: Record<string, string> = { amd64: 'x86_64', arm64: 'aarch64' };
    for (const { digest, platform } of index!.body.manifests)
      expect(stamp(`${app}@${digest}`)).toBe(
        `machine=${machines[platform.architecture]}\narchitecture=${machines[platform.architecture]}\n`,
      );
    // The staging tags stay, in the registry and locally.
    expect((await registry.tags('itg/app')).sort()).toEqual([
      '1',
      '1-linux-amd64',
      '1-linux-arm64',
      'latest',
      'latest-linux-amd64',
      'latest-linux-arm64',
    ]);
    expect(inspect<string>(`${app}:1-linux-arm64`, '{{json .Architecture}}')).toBe('arm64');

    const metadata = JSON.parse(run.outputs.metadata) as {
      platforms: Array<{ platform: string; digest: string; recap: { changed: number } }>;
      index: { digest: string };
    };
    expect(metadata.index.digest).toBe(index?.digest);
    expect(metadata.platforms.map((p) => p.platform)).toEqual(['linux/amd64', 'linux/arm64']);
    for (const platform of metadata.platforms) expect(platform.recap.changed).toBeGreaterThan(0);
    expect(run.summary).toContain('### Platforms');
    expect(run.summary).toMatch(/` linux\/arm64 ` \| built/);
    expectNoContainers(run);
  });

  it('uploads by digest with no staging tag, and reuses each platform image by its key', async () => {
    const tag = `${registry.host}/itg/bydigest:1`;
    images.push(`${tag}-linux-amd64`, `${tag}-linux-arm64`);
    const exported = path.join(folder, 'platforms.oci.tar');
    const run = await build({
      tags: tag,
      push: 'true',
      'push-by-digest': 'true',
      cache: 'true',
      export: exported,
      'export-format': 'oci',
    });
    expect(run.exitCode, run.log).toBe(0);
    expect(await registry.tags('itg/bydigest')).toEqual(['1']);
    const index = await manifest('itg/bydigest', '1');
    expect(platformsOf(index!.body)).toEqual(['linux/amd64', 'linux/arm64']);
    const metadata = JSON.parse(run.outputs.metadata) as {
      platforms: Array<{ cacheHit: boolean; pushed: string[] }>;
    };
    // The first test built the same inputs: each platform's image is reused, then uploaded.
    expect(metadata.platforms.map((p) => p.cacheHit)).toEqual([true, true]);
    for (const { digest } of index!.body.manifests)
      expect(metadata.platforms.flatMap((p) => p.pushed)).toContain(
        `${registry.host}/itg/bydigest@${digest}`,
      );
    // The OCI export holds one index over both platforms, as the registry does.
    const read = (name: string) => execFileSync('tar', ['-xOf', exported, name]);
    const top = JSON.parse(read('index.json').toString()) as {
      manifests: Array<{ mediaType: string; digest: string }>;
    };
    expect(top.manifests.map((m) => m.mediaType)).toEqual([INDEX]);
    const inner = JSON.parse(
      read(`blobs/sha256/${top.manifests[0].digest.slice('sha256:'.length)}`).toString(),
    ) as Index;
    expect(platformsOf(inner)).toEqual(['linux/amd64', 'linux/arm64']);
  });

  it('fails the step when one platform fails, and leaves the final tag where it was', async () => {
    const before = (await manifest('itg/app', '1'))?.digest;
    expect(before).toBeTruthy();
    const run = await build({
      tags: `${app}:1`,
      push: 'true',
      'extra-vars': '{stamp_fail_on: [aarch64]}',
    });
    expect(run.exitCode).toBe(1);
    expect(run.log).toContain('no build on aarch64');
    expect(run.summary).toMatch(/` linux\/arm64 ` \| ❌/);
    expect((await manifest('itg/app', '1'))?.digest).toBe(before);
    expectNoContainers(run);
  });

  it('names the platforms a base has when it lacks one, before any build', async () => {
    const before = (await manifest('itg/app', '1'))?.digest;
    const run = await build({
      platforms: 'linux/amd64,linux/s390x',
      tags: `${app}:1`,
      push: 'true',
    });
    expect(run.exitCode).toBe(1);
    expect(run.log).toMatch(/linux\/s390x/);
    expect(run.log).toMatch(/linux\/amd64, linux\/arm64/);
    expect(run.log).not.toContain('Packer build');
    expect((await manifest('itg/app', '1'))?.digest).toBe(before);
  });
});

describe('merge', () => {
  const references = () => base.entries.map((entry) => `${registry.host}/itg/base@${entry.digest}`);

  it('puts one index over images that other jobs pushed, and builds nothing', async () => {
    const run = await runAction({
      merge: references().join('\n'),
      tags: `${registry.host}/itg/base:merged`,
    });
    expect(run.exitCode, run.log).toBe(0);
    const index = await manifest('itg/base', 'merged');
    expect(run.outputs.digest).toBe(index?.digest);
    expect(platformsOf(index!.body)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(index!.body.manifests.map((m) => m.digest).sort()).toEqual(
      base.entries.map((entry) => entry.digest).sort(),
    );
    expect(run.log).not.toContain('Packer');
  });

  it.each<[string, () => string[], RegExp]>([
    [
      'a digest the registry does not have',
      () => [references()[0], `${registry.host}/itg/base@sha256:${'0'.repeat(64)}`],
      /sha256:0{64}/,
    ],
    [
      'two images of one platform',
      () => [references()[0], references()[0].replace(/@.*/, `@${base.entries[0].digest}`)],
      /linux\/amd64/,
    ],
    [
      'references from two repositories',
      () => [references()[0], `${app}@${base.entries[1].digest}`],
      /itg\/base.*itg\/app|itg\/app.*itg\/base/,
    ],
    ['an index instead of an image', () => [`${registry.host}/itg/base@${base.digest}`], /index/],
  ])('refuses %s and moves no tag', async (_case, merge, expected) => {
    const run = await runAction({
      merge: merge().join('\n'),
      tags: `${registry.host}/itg/base:refused`,
    });
    expect(run.exitCode).toBe(1);
    expect(run.log).toMatch(expected);
    expect(await manifest('itg/base', 'refused')).toBeUndefined();
  });
});
