import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { putManifest, readImage } from '../src/docker/registry.js';
import { DOCKER_LIST, type IndexEntry, OCI_INDEX, putIndex } from '../src/platforms/image-index.js';
import { mergeEntries } from '../src/platforms/merge.js';
import { platformManifest } from '../src/platforms/platform-manifest.js';
import { parsePlatform } from '../src/platforms/platform.js';
import { docker, inspect, removeImages } from './docker.js';
import { FakeRegistry } from './fake-registry.js';
import { Registry } from './registry.js';

const registry = new Registry(5145);
const app = `${registry.host}/h-index/app`;
const other = `${registry.host}/h-index/other`;
const DOCKER_IMAGE = 'application/vnd.docker.distribution.manifest.v2+json';
const OCI_IMAGE = 'application/vnd.oci.image.manifest.v1+json';
const ACCEPT = [OCI_INDEX, DOCKER_LIST, OCI_IMAGE, DOCKER_IMAGE].join(', ');
const local: string[] = [];
const scratch = mkdtempSync(path.join(os.tmpdir(), 'itg-image-index-'));

const hex = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/**
 * A one-file image whose config states the platform, loaded from a `docker save` archive made
 * by hand: `docker import --platform` on this engine records amd64 whatever it is told.
 */
function loadImage(tag: string, architecture: string, variant?: string, note = ''): void {
  const dir = mkdtempSync(path.join(scratch, 'image-'));
  const rootfs = path.join(dir, 'rootfs');
  const archive = path.join(dir, 'archive');
  mkdirSync(rootfs);
  mkdirSync(archive);
  writeFileSync(path.join(rootfs, 'platform'), `${architecture}${variant ?? ''}${note}\n`);
  const layerFile = path.join(dir, 'layer.tar');
  execFileSync('tar', ['-C', rootfs, '-cf', layerFile, 'platform']);
  const layer = readFileSync(layerFile);
  const diffId = hex(layer);
  mkdirSync(path.join(archive, diffId));
  writeFileSync(path.join(archive, diffId, 'layer.tar'), layer);
  const config = JSON.stringify({
    architecture,
    os: 'linux',
    ...(variant && { variant }),
    config: { Cmd: ['/platform'] },
    rootfs: { type: 'layers', diff_ids: [`sha256:${diffId}`] },
    history: [{ created_by: 'h-index test' }],
  });
  writeFileSync(path.join(archive, `${hex(config)}.json`), config);
  writeFileSync(
    path.join(archive, 'manifest.json'),
    JSON.stringify([
      { Config: `${hex(config)}.json`, RepoTags: [tag], Layers: [`${diffId}/layer.tar`] },
    ]),
  );
  execFileSync('tar', ['-C', archive, '-cf', path.join(dir, 'image.tar'), '.']);
  docker('load', '--quiet', '--input', path.join(dir, 'image.tar'));
  local.push(tag);
}

/** Loads and pushes an image; returns its manifest digest in the registry. */
async function pushImage(tag: string, architecture: string, variant?: string, note = '') {
  loadImage(tag, architecture, variant, note);
  docker('push', '--quiet', tag);
  const read = await readImage(tag);
  return read?.digest as string;
}

/** A manifest straight from the registry, with its type and digest; undefined for a 404. */
async function manifest(repository: string, reference: string) {
  const response = await fetch(`http://${registry.host}/v2/${repository}/manifests/${reference}`, {
    headers: { Accept: ACCEPT },
  });
  if (response.status === 404) return undefined;
  expect(response.status).toBe(200);
  return {
    mediaType: response.headers.get('content-type'),
    digest: response.headers.get('docker-content-digest'),
    body: (await response.json()) as {
      mediaType: string;
      manifests: Array<{ digest: string; mediaType: string; size: number; platform: unknown }>;
    },
  };
}

/** What `docker pull --platform` of a tag gives: the platform its config states. */
function pulled(tag: string, platform: string): { platform: string; id: string } {
  docker('pull', '--quiet', '--platform', platform, tag);
  local.push(tag);
  const { Os, Architecture, Variant, Id } = inspect<Record<string, string>>(tag);
  return { platform: [Os, Architecture, Variant].filter(Boolean).join('/'), id: Id };
}

const merged = async (tags: string[], references: string[]) =>
  putIndex(tags, await mergeEntries(references));

let amd64: string;
let arm64: string;

beforeAll(async () => {
  await registry.start();
  amd64 = await pushImage(`${app}:amd64`, 'amd64');
  // Docker Hub's arm64 images state the variant v8, which linux/arm64 means.
  arm64 = await pushImage(`${app}:arm64`, 'arm64', 'v8');
});

afterAll(async () => {
  await registry.remove();
  removeImages(...local);
  rmSync(scratch, { recursive: true, force: true });
});

describe('putIndex', () => {
  it('puts one index over the images by digest first, then under every tag of every repository', async () => {
    const front = new FakeRegistry(registry.host);
    await front.start();
    try {
      const at = (reference: string) => reference.replace(registry.host, front.host);
      const entries = await mergeEntries([at(`${app}@${amd64}`), at(`${app}@${arm64}`)]);
      const tags = [at(`${app}:multi`), at(`${app}:latest`), at(`${other}:multi`)];
      const index = await putIndex(tags, entries);

      expect(index.mediaType).toBe(OCI_INDEX);
      expect(index.pushed).toEqual(tags.map((reference) => ({ reference, digest: index.digest })));
      for (const [repository, tag] of [
        ['h-index/app', 'multi'],
        ['h-index/app', 'latest'],
        ['h-index/other', 'multi'],
      ]) {
        const stored = await manifest(repository, tag);
        expect(stored?.mediaType).toBe(OCI_INDEX);
        expect(stored?.digest).toBe(index.digest);
        expect(stored?.body.manifests).toEqual([
          {
            mediaType: DOCKER_IMAGE,
            digest: amd64,
            size: expect.any(Number),
            platform: { architecture: 'amd64', os: 'linux' },
          },
          {
            mediaType: DOCKER_IMAGE,
            digest: arm64,
            size: expect.any(Number),
            platform: { architecture: 'arm64', os: 'linux', variant: 'v8' },
          },
        ]);
      }
      // The other repository got the images by digest, with no tag of their own.
      expect((await manifest('h-index/other', amd64))?.digest).toBe(amd64);
      expect((await manifest('h-index/other', arm64))?.digest).toBe(arm64);
      expect(await registry.tags('h-index/other')).toEqual(['multi']);

      // The index goes last and whole: by digest into each repository before any tag moves.
      const puts = front.seen
        .filter(({ method, url }) => method === 'PUT' && url.includes('/manifests/'))
        .map(({ url }) => url.replace(/^\/v2\//, ''));
      const firstTag = puts.findIndex((url) => !url.includes('sha256:'));
      expect(puts.slice(firstTag)).toEqual([
        'h-index/app/manifests/multi',
        'h-index/app/manifests/latest',
        'h-index/other/manifests/multi',
      ]);
      expect(puts.slice(0, firstTag)).toEqual([
        `h-index/other/manifests/${amd64}`,
        `h-index/other/manifests/${arm64}`,
        `h-index/app/manifests/${index.digest}`,
        `h-index/other/manifests/${index.digest}`,
      ]);
    } finally {
      await front.stop();
    }
  });

  it('is what docker pull --platform resolves, for each platform', async () => {
    await merged([`${app}:pull`, `${other}:pull`], [`${app}@${amd64}`, `${app}@${arm64}`]);
    const arm = pulled(`${app}:pull`, 'linux/arm64');
    expect(arm.platform).toBe('linux/arm64/v8');
    expect(arm.id).toBe((await readImage(`${app}:arm64`))?.configDigest);
    const amd = pulled(`${other}:pull`, 'linux/amd64');
    expect(amd.platform).toBe('linux/amd64');
    expect(amd.id).toBe((await readImage(`${app}:amd64`))?.configDigest);
  });

  describe('a failure before the index leaves the final tags where they were', () => {
    const third = `${registry.host}/h-index/third`;
    beforeEach(async () => {
      const image = await readImage(`${app}:amd64`);
      if (!image) throw new Error('no amd64 image');
      await putManifest(`${app}:final`, image.manifest, image.mediaType);
    });

    const missing = `sha256:${'0'.repeat(64)}`;
    const ghost: IndexEntry = {
      reference: `${app}@${missing}`,
      digest: missing,
      size: 100,
      mediaType: DOCKER_IMAGE,
      platform: parsePlatform('linux/s390x'),
    };

    it.each<[string, () => Promise<unknown>, RegExp]>([
      [
        'an image that the registry does not have',
        async () =>
          putIndex([`${app}:final`], [...(await mergeEntries([`${app}@${amd64}`])), ghost]),
        /^127\.0\.0\.1:5145 refused the manifest for 127\.0\.0\.1:5145\/h-index\/app@sha256:[0-9a-f]{64}: HTTP 400 \(MANIFEST_BLOB_UNKNOWN\)$/,
      ],
      [
        'an image that the registry does not have, for a tag in another repository',
        async () => putIndex([`${app}:final`, `${third}:final`], [ghost]),
        /^127\.0\.0\.1:5145\/h-index\/app@sha256:0{64} is no longer in 127\.0\.0\.1:5145$/,
      ],
      [
        'a merge of a digest that the registry does not have',
        () => merged([`${app}:final`], [`${app}@${amd64}`, `${app}@${missing}`]),
        /^127\.0\.0\.1:5145\/h-index\/app@sha256:0{64} is not in 127\.0\.0\.1:5145: was it pushed there\?$/,
      ],
      [
        'a merge of two images of one platform',
        async () =>
          merged(
            [`${app}:final`],
            [
              `${app}@${amd64}`,
              `${app}@${arm64}`,
              `${app}@${await pushImage(`${app}:amd64-again`, 'amd64', undefined, 'again')}`,
            ],
          ),
        /^127\.0\.0\.1:5145\/h-index\/app@sha256:[0-9a-f]{64} and 127\.0\.0\.1:5145\/h-index\/app@sha256:[0-9a-f]{64} are both linux\/amd64 images: give one image per platform$/,
      ],
      [
        'a merge of arm64 and arm64/v8, which are one',
        async () =>
          merged(
            [`${app}:final`],
            [`${app}@${arm64}`, `${app}@${await pushImage(`${app}:arm64-bare`, 'arm64')}`],
          ),
        /are both linux\/arm64 images: give one image per platform$/,
      ],
      [
        'a merge across repositories',
        () => merged([`${app}:final`], [`${app}@${amd64}`, `${other}@${arm64}`]),
        /^127\.0\.0\.1:5145\/h-index\/app@sha256:[0-9a-f]{64} and 127\.0\.0\.1:5145\/h-index\/other@sha256:[0-9a-f]{64} are in different repositories \(127\.0\.0\.1:5145\/h-index\/app and 127\.0\.0\.1:5145\/h-index\/other\)/,
      ],
      [
        'a merge of an index',
        async () => {
          const index = await merged([`${app}:an-index`], [`${app}@${amd64}`, `${app}@${arm64}`]);
          return merged([`${app}:final`], [`${app}@${index.digest}`]);
        },
        /^127\.0\.0\.1:5145\/h-index\/app@sha256:[0-9a-f]{64} is an index \(application\/vnd\.oci\.image\.index\.v1\+json\), not one platform's image: give the digest of each platform's image instead$/,
      ],
    ])('%s', async (_case, attempt, message) => {
      const error = await attempt().then(
        () => expect.fail('no error'),
        (error: Error) => error,
      );
      expect(error.message).toMatch(message);
      expect(await registry.digest('h-index/app', 'final')).toBe(amd64);
      expect(await registry.tags('h-index/third')).toEqual([]);
    });
  });
});

describe('a registry that refuses the OCI index type', () => {
  const front = new FakeRegistry(registry.host);
  const at = (reference: string) => reference.replace(registry.host, front.host);
  beforeAll(() => front.start());
  afterAll(() => front.stop());
  beforeEach(() => front.reset());

  const refuse =
    (types: string[], status: number, code?: string) =>
    ({ method, contentType }: { method: string; contentType?: string }) =>
      method === 'PUT' && types.includes(contentType ?? '')
        ? {
            status,
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ errors: code ? [{ code, message: 'no such type' }] : [] }),
          }
        : undefined;

  it.each<[number, string | undefined]>([
    [400, 'MANIFEST_INVALID'],
    [400, 'UNSUPPORTED'],
    [415, undefined],
  ])('gets a Docker manifest list instead, after HTTP %i %s', async (status, code) => {
    front.override = refuse([OCI_INDEX], status, code);
    const tag = `listed-${status}-${code ?? 'none'}`;
    const index = await merged(
      [at(`${app}:${tag}`)],
      [at(`${app}@${amd64}`), at(`${app}@${arm64}`)],
    );
    expect(index.mediaType).toBe(DOCKER_LIST);
    const stored = await manifest('h-index/app', tag);
    expect(stored?.mediaType).toBe(DOCKER_LIST);
    expect(stored?.digest).toBe(index.digest);
    expect(stored?.body.manifests.map(({ digest }) => digest)).toEqual([amd64, arm64]);
    expect(pulled(`${app}:${tag}`, 'linux/arm64').platform).toBe('linux/arm64/v8');
  });

  it('fails, naming the media type, when an image is an OCI manifest', async () => {
    // The amd64 image again, as an OCI manifest over the same blobs.
    const image = await readImage(`${app}:amd64`);
    const parsed = JSON.parse(image?.manifest.toString() as string) as {
      config: { mediaType: string };
      layers: Array<{ mediaType: string }>;
    };
    const oci = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_IMAGE,
        config: { ...parsed.config, mediaType: 'application/vnd.oci.image.config.v1+json' },
        layers: parsed.layers.map((layer) => ({
          ...layer,
          mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        })),
      }),
    );
    const ociDigest = await putManifest(`${app}:amd64-oci`, oci, OCI_IMAGE);
    front.override = refuse([OCI_INDEX], 400, 'MANIFEST_INVALID');
    await expect(
      merged([at(`${app}:oci-children`)], [at(`${app}@${ociDigest}`), at(`${app}@${arm64}`)]),
    ).rejects.toThrow(
      /^127\.0\.0\.1:\d+ refused the image index as application\/vnd\.oci\.image\.index\.v1\+json \(.*: HTTP 400 \(MANIFEST_INVALID\)\), and a Docker manifest list cannot name the linux\/amd64 image 127\.0\.0\.1:\d+\/h-index\/app@sha256:[0-9a-f]{64}, which is application\/vnd\.oci\.image\.manifest\.v1\+json$/,
    );
    expect(await registry.tags('h-index/app')).not.toContain('oci-children');
  });

  it('fails, naming both types, when it refuses the manifest list too', async () => {
    front.override = refuse([OCI_INDEX, DOCKER_LIST], 400, 'MANIFEST_INVALID');
    await expect(
      merged([at(`${app}:refused`)], [at(`${app}@${amd64}`), at(`${app}@${arm64}`)]),
    ).rejects.toThrow(
      /^127\.0\.0\.1:\d+ refused the image index both as application\/vnd\.oci\.image\.index\.v1\+json \(.*HTTP 400 \(MANIFEST_INVALID\)\) and as application\/vnd\.docker\.distribution\.manifest\.list\.v2\+json \(.*HTTP 400 \(MANIFEST_INVALID\)\)$/,
    );
    expect(await registry.tags('h-index/app')).not.toContain('refused');
  });
});

describe('platformManifest', () => {
  beforeAll(() => merged([`${app}:base`], [`${app}@${amd64}`, `${app}@${arm64}`]));

  it.each<[string, string, () => string]>([
    ['the index', 'linux/arm64', () => arm64],
    ['the index', 'linux/arm64/v8', () => arm64],
    ['the index', 'linux/aarch64', () => arm64],
    ['the index', 'linux/amd64', () => amd64],
  ])('picks from %s the image for %s, by digest', async (_what, platform, digest) => {
    expect(await platformManifest(`${app}:base`, parsePlatform(platform))).toBe(
      `${app}@${digest()}`,
    );
  });

  it('takes a single-platform image of that platform, by digest', async () => {
    expect(await platformManifest(`${app}:arm64`, parsePlatform('linux/arm64'))).toBe(
      `${app}@${arm64}`,
    );
  });

  it.each<[string, string, RegExp]>([
    [
      `base`,
      'linux/s390x',
      /^127\.0\.0\.1:5145\/h-index\/app:base has no image for linux\/s390x; its index lists linux\/amd64, linux\/arm64\/v8$/,
    ],
    [
      'arm64',
      'linux/amd64',
      /^127\.0\.0\.1:5145\/h-index\/app:arm64 is a single-platform image for linux\/arm64\/v8, not for linux\/amd64$/,
    ],
    ['none', 'linux/amd64', /^127\.0\.0\.1:5145\/h-index\/app:none is not in 127\.0\.0\.1:5145$/],
  ])('refuses app:%s for %s', async (tag, platform, message) => {
    await expect(platformManifest(`${app}:${tag}`, parsePlatform(platform))).rejects.toThrow(
      message,
    );
  });
});
