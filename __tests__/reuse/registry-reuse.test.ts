import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  findInRegistry,
  retagInRegistry,
  type RegistryHit,
} from '../../src/reuse/registry-reuse.js';
import { type Answer, closedPort, FakeRegistry } from '../fake-registry.js';

const LABEL = 'org.example.key';

describe('reuse from the registry', () => {
  const registry = new FakeRegistry();
  let digest: string;
  const image = (name = 'acme/app:key') => `${registry.host}/${name}`;

  beforeAll(() => registry.start());
  afterAll(() => registry.stop());
  beforeEach(() => {
    registry.reset();
    digest = registry.addImage('acme/app', 'key', { [LABEL]: 'abc' });
    registry.addImage('acme/app', 'unlabelled', null);
  });

  const hit = async () => (await findInRegistry(image(), 'abc', LABEL)) as RegistryHit;

  it('finds the image that carries the key', async () => {
    expect(await hit()).toMatchObject({
      reference: image(),
      digest,
      config: { config: { Labels: { [LABEL]: 'abc' } } },
    });
  });

  it.each<
    [string, string, string, ((request: { url: string }) => Answer | undefined) | undefined, RegExp]
  >([
    [
      'no such tag (404)',
      'acme/app:none',
      'abc',
      undefined,
      /^no image with this key in the registry \(.*\/acme\/app:none not found\)$/,
    ],
    [
      'no such repository (404)',
      'acme/none:key',
      'abc',
      undefined,
      /^no image with this key in the registry/,
    ],
    [
      'another key',
      'acme/app:key',
      'xyz',
      undefined,
      /^.*\/acme\/app:key in the registry was built with another key \(abc\)$/,
    ],
    [
      'no labels at all',
      'acme/app:unlabelled',
      'abc',
      undefined,
      /^.*\/acme\/app:unlabelled in the registry has no org\.example\.key label$/,
    ],
    [
      'a 401',
      'acme/app:key',
      'abc',
      () => ({ status: 401 }),
      /^Cannot read .*\/acme\/app:key from 127\.0\.0\.1:\d+: HTTP 401$/,
    ],
    ['a 403', 'acme/app:key', 'abc', () => ({ status: 403 }), /: HTTP 403$/],
    ['a 500', 'acme/app:key', 'abc', () => ({ status: 500 }), /: HTTP 500$/],
    [
      'a manifest list',
      'acme/app:key',
      'abc',
      () => ({
        status: 200,
        headers: { 'Content-Type': 'application/vnd.docker.distribution.manifest.list.v2+json' },
      }),
      /is a multi-platform index .* which reuse does not support yet$/,
    ],
    [
      'a digest mismatch',
      'acme/app:key',
      'abc',
      ({ url }) => (url.includes('/blobs/') ? { status: 200, body: '{}' } : undefined),
      /^The config of .* does not match its digest/,
    ],
  ])('misses, in one line, for %s', async (_name, name, key, override, reason) => {
    registry.override = override;
    const result = await findInRegistry(image(name), key, LABEL);
    expect(result).toEqual({ miss: expect.stringMatching(reason) });
    expect((result as { miss: string }).miss).not.toContain('\n');
  });

  it('misses, without throwing, for a registry that is down or a reference that is not one', async () => {
    const port = await closedPort();
    expect(await findInRegistry(`127.0.0.1:${port}/acme/app:key`, 'abc', LABEL)).toEqual({
      miss: expect.stringMatching(
        new RegExp(`^Cannot reach the registry 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`),
      ),
    });
    expect(await findInRegistry('Not A Reference', 'abc', LABEL)).toEqual({
      miss: expect.any(String),
    });
  });

  it('retags within the repository with manifest PUTs only', async () => {
    const tags = [image('acme/app:1'), image('acme/app:2')];
    registry.seen.length = 0;
    expect(await retagInRegistry(await hit(), tags)).toEqual(
      tags.map((reference) => ({ reference, digest })),
    );
    expect(registry.seen.map(({ method, url }) => `${method} ${url}`).slice(2)).toEqual([
      'PUT /v2/acme/app/manifests/1',
      'PUT /v2/acme/app/manifests/2',
    ]);
  });

  it('mounts the blobs into another repository once, then puts the manifest there', async () => {
    const found = await hit();
    registry.seen.length = 0;
    const tags = [image('acme/copy:1'), image('acme/copy:2'), image('acme/app:3')];
    expect(await retagInRegistry(found, tags)).toEqual(
      tags.map((reference) => ({ reference, digest })),
    );
    expect(registry.seen.map(({ method, url }) => `${method} ${url.split('?')[0]}`)).toEqual([
      'POST /v2/acme/copy/blobs/uploads/',
      'POST /v2/acme/copy/blobs/uploads/',
      'PUT /v2/acme/copy/manifests/1',
      'PUT /v2/acme/copy/manifests/2',
      'PUT /v2/acme/app/manifests/3',
    ]);
  });

  it('fails clearly when the registry will not mount', async () => {
    registry.refuseMounts = true;
    await expect(retagInRegistry(await hit(), [image('acme/copy:1')])).rejects.toThrow(
      /did not mount sha256:[0-9a-f]{64} from acme\/app into acme\/copy: it offered an upload instead/,
    );
  });

  it('refuses a tag in another registry before it changes anything', async () => {
    const found = await hit();
    registry.seen.length = 0;
    await expect(
      retagInRegistry(found, [image('acme/app:1'), 'ghcr.io/acme/app:1']),
    ).rejects.toThrow(
      `Cannot reuse ${image()} for ghcr.io/acme/app:1: blobs can be mounted only within one registry`,
    );
    expect(registry.seen).toEqual([]);
  });
});
