import { describe, expect, it } from 'vitest';
import {
  blobPath,
  configPlatform,
  descriptorOf,
  imageIndex,
  imageManifest,
  OCI_CONFIG,
  OCI_LAYER_GZIP,
  OCI_MANIFEST,
  refAnnotations,
} from '../../src/docker/oci-image.js';
import { sha256 } from '../../src/docker/registry.js';

const digest = (c: string) => `sha256:${c.repeat(64)}`;

describe('OCI manifests and indexes', () => {
  const config = descriptorOf(OCI_CONFIG, Buffer.from('{"os":"linux"}'));
  const layer = { mediaType: OCI_LAYER_GZIP, digest: digest('a'), size: 42 };

  it('describes bytes by their digest and length', () =>
    expect(config).toEqual({
      mediaType: OCI_CONFIG,
      digest: sha256(Buffer.from('{"os":"linux"}')),
      size: 14,
    }));

  it('builds an image manifest of schema 2 that names its media type', () =>
    expect(JSON.parse(imageManifest(config, [layer, layer]).toString())).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config,
      layers: [layer, layer],
    }));

  it('builds an index whose entries keep their platform and annotations', () => {
    const amd64 = {
      mediaType: OCI_MANIFEST,
      digest: digest('b'),
      size: 400,
      platform: { os: 'linux', architecture: 'amd64' },
    };
    const arm = { ...amd64, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } };
    expect(JSON.parse(imageIndex([amd64, arm]).toString())).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [amd64, arm],
    });
  });

  it('gives the same bytes for the same image, so the digest is stable', () =>
    expect(imageManifest(config, [layer]).equals(imageManifest(config, [layer]))).toBe(true));
});

describe('the platform an image config states', () => {
  it.each([
    ['{"os":"linux","architecture":"amd64"}', { os: 'linux', architecture: 'amd64' }],
    [
      '{"os":"linux","architecture":"arm64","variant":"v8"}',
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ],
    ['{"os":"linux","architecture":"arm64","variant":""}', { os: 'linux', architecture: 'arm64' }],
  ])('%s', (config, platform) => expect(configPlatform(Buffer.from(config))).toEqual(platform));

  it.each([
    ['not json', 'The image config is not JSON'],
    ['{"os":"linux"}', 'The image config names no os or architecture'],
    ['{"os":"","architecture":"amd64"}', 'The image config names no os or architecture'],
    ['{"os":1,"architecture":"amd64"}', 'The image config names no os or architecture'],
  ])('%s fails', (config, message) =>
    expect(() => configPlatform(Buffer.from(config))).toThrow(message),
  );
});

describe('names in an OCI image layout', () => {
  it('keeps a blob under its algorithm and its hex', () =>
    expect(blobPath(digest('c'))).toBe(`blobs/sha256/${'c'.repeat(64)}`));

  it.each([
    [
      'ghcr.io/acme/app:1.0',
      {
        'io.containerd.image.name': 'ghcr.io/acme/app:1.0',
        'org.opencontainers.image.ref.name': '1.0',
      },
    ],
    [
      'acme/app',
      { 'io.containerd.image.name': 'acme/app', 'org.opencontainers.image.ref.name': 'latest' },
    ],
    [
      '127.0.0.1:5000/app:v2',
      {
        'io.containerd.image.name': '127.0.0.1:5000/app:v2',
        'org.opencontainers.image.ref.name': 'v2',
      },
    ],
  ])('%s is annotated %j', (reference, annotations) =>
    expect(refAnnotations(reference)).toEqual(annotations),
  );
});
