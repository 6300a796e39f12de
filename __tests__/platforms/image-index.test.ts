import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/docker/registry.js';
import {
  DOCKER_LIST,
  type IndexEntry,
  OCI_INDEX,
  indexManifest,
  listedManifests,
  putIndex,
} from '../../src/platforms/image-index.js';

const DOCKER_IMAGE = 'application/vnd.docker.distribution.manifest.v2+json';
const digest = (c: string) => `sha256:${c.repeat(64)}`;
const entry = (c: string, architecture: string, variant?: string): IndexEntry => ({
  reference: `127.0.0.1:1/app@${digest(c)}`,
  digest: digest(c),
  size: 500,
  mediaType: DOCKER_IMAGE,
  platform: { os: 'linux', architecture, ...(variant && { variant }) },
});

describe('indexManifest', () => {
  it.each([OCI_INDEX, DOCKER_LIST])('is a %s with one entry per image, in order', (mediaType) => {
    const manifest = indexManifest(
      [entry('a', 'amd64'), entry('b', 'arm64'), entry('c', 'arm', 'v7')],
      mediaType,
    );
    expect(JSON.parse(manifest.toString())).toEqual({
      schemaVersion: 2,
      mediaType,
      manifests: [
        {
          mediaType: DOCKER_IMAGE,
          digest: digest('a'),
          size: 500,
          platform: { architecture: 'amd64', os: 'linux' },
        },
        {
          mediaType: DOCKER_IMAGE,
          digest: digest('b'),
          size: 500,
          platform: { architecture: 'arm64', os: 'linux' },
        },
        {
          mediaType: DOCKER_IMAGE,
          digest: digest('c'),
          size: 500,
          platform: { architecture: 'arm', os: 'linux', variant: 'v7' },
        },
      ],
    });
  });

  it('is the same bytes for the same images: its digest names the set', () => {
    const entries = [entry('a', 'amd64'), entry('b', 'arm64')];
    expect(sha256(indexManifest(entries))).toBe(sha256(indexManifest([...entries])));
    expect(sha256(indexManifest(entries))).not.toBe(sha256(indexManifest(entries, DOCKER_LIST)));
  });
});

describe('listedManifests', () => {
  const of = (value: unknown) => listedManifests('base:1', Buffer.from(JSON.stringify(value)));

  it('reads each entry, with no platform for one that states none or a hostile one', () => {
    expect(
      of({
        manifests: [
          {
            mediaType: DOCKER_IMAGE,
            digest: digest('a'),
            platform: { os: 'linux', architecture: 'amd64' },
          },
          { digest: digest('b'), platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
          { digest: digest('c'), platform: { os: 'unknown', architecture: 'unknown' } },
          { digest: digest('d'), platform: { os: 'linux', architecture: 'arm64\n::error::x' } },
          { digest: digest('e') },
        ],
      }),
    ).toEqual([
      {
        digest: digest('a'),
        mediaType: DOCKER_IMAGE,
        platform: { os: 'linux', architecture: 'amd64' },
      },
      { digest: digest('b'), platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      { digest: digest('c'), platform: undefined },
      { digest: digest('d'), platform: undefined },
      { digest: digest('e'), platform: undefined },
    ]);
  });

  it.each<[string, unknown, RegExp]>([
    ['no list', { schemaVersion: 2 }, /^The index of base:1 has no list of manifests$/],
    [
      'an entry without a digest',
      { manifests: [{}] },
      /^Entry 1 of the index of base:1 has no sha256 digest$/,
    ],
    [
      'an entry with a malformed digest',
      { manifests: [{ digest: digest('a') }, { digest: 'sha256:../../x' }] },
      /^Entry 2 of the index of base:1 has no sha256 digest$/,
    ],
    [
      'a null entry',
      { manifests: [null] },
      /^Entry 1 of the index of base:1 has no sha256 digest$/,
    ],
  ])('refuses %s', (_case, value, message) => {
    expect(() => of(value)).toThrow(message);
  });

  it('refuses what is not JSON', () => {
    expect(() => listedManifests('base:1', Buffer.from('<html>'))).toThrow(
      /^The index of base:1 is not JSON$/,
    );
  });
});

describe('putIndex refuses, before any request', () => {
  // Nothing listens on port 1: a request would fail with "Cannot reach", not with these.
  it.each<[string, string[], IndexEntry[], RegExp]>([
    ['no images', ['127.0.0.1:1/app:1'], [], /^An image index needs at least one image$/],
    ['no tags', [], [entry('a', 'amd64')], /^An image index needs at least one tag to go under$/],
    [
      'a tag in another registry',
      ['127.0.0.1:1/app:1', 'ghcr.io/acme/app:1'],
      [entry('a', 'amd64')],
      /^Cannot put the index over images in 127\.0\.0\.1:1 under ghcr\.io\/acme\/app:1: an index names manifests of its own registry only \(ghcr\.io\), so the images must be pushed there$/,
    ],
    [
      'images of two registries',
      ['127.0.0.1:1/app:1'],
      [
        entry('a', 'amd64'),
        { ...entry('b', 'arm64'), reference: `127.0.0.1:2/app@${digest('b')}` },
      ],
      /^Cannot put the index over images in 127\.0\.0\.1:1 under 127\.0\.0\.1:2\/app@sha256:b{64}/,
    ],
  ])('%s', async (_case, tags, entries, message) => {
    await expect(putIndex(tags, entries)).rejects.toThrow(message);
  });
});
