import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configKeys, credentialsFor, registryOf, credentialForms } from '../../src/docker/auth.js';
import { baseDigest, mergeLabels, ociLabels } from '../../src/oci.js';
import { withRetries } from '../../src/retry.js';

describe('registryOf', () => {
  it.each([
    ['debian:bookworm', 'docker.io'],
    ['acme/app:1', 'docker.io'],
    ['index.docker.io/acme/app', 'docker.io'],
    ['ghcr.io/acme/app:1', 'ghcr.io'],
    ['localhost/app', 'localhost'],
    ['127.0.0.1:5000/a/b:1', '127.0.0.1:5000'],
    ['Registry/app', 'Registry'],
  ])('%s is on %s', (reference, registry) => expect(registryOf(reference)).toBe(registry));

  it('knows the keys docker login uses for Docker Hub and for others', () => {
    expect(configKeys('docker.io')[0]).toBe('https://index.docker.io/v1/');
    expect(configKeys('ghcr.io')).toEqual([
      'ghcr.io',
      'https://ghcr.io',
      'http://ghcr.io',
      'https://ghcr.io/v1/',
    ]);
  });
});

describe('credentialsFor', () => {
  let dir: string;
  const saved = { DOCKER_CONFIG: process.env.DOCKER_CONFIG, PATH: process.env.PATH };
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'creds-'));
    process.env.DOCKER_CONFIG = dir;
  });
  afterEach(() => {
    Object.assign(process.env, saved);
    if (saved.DOCKER_CONFIG === undefined) delete process.env.DOCKER_CONFIG;
    rmSync(dir, { recursive: true, force: true });
  });
  const config = (value: unknown) =>
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify(value));
  /** A real credential helper: a script on PATH speaking docker-credential's protocol. */
  const helper = (name: string, script: string) => {
    const file = path.join(dir, `docker-credential-${name}`);
    writeFileSync(file, `#!/bin/sh\n${script}\n`);
    chmodSync(file, 0o755);
    process.env.PATH = `${dir}:${saved.PATH}`;
  };

  it('is undefined without a config file or an entry', async () => {
    expect(await credentialsFor('ghcr.io')).toBeUndefined();
    config({ auths: { 'other.io': { auth: 'eDp5' } } });
    expect(await credentialsFor('ghcr.io')).toBeUndefined();
  });

  it('decodes an auths entry, a password with colons included', async () => {
    config({ auths: { 'ghcr.io': { auth: Buffer.from('me:pa:ss').toString('base64') } } });
    expect(await credentialsFor('ghcr.io')).toEqual({
      serveraddress: 'ghcr.io',
      username: 'me',
      password: 'pa:ss',
    });
  });

  it('finds Docker Hub under its legacy key and keeps identity tokens', async () => {
    config({ auths: { 'https://index.docker.io/v1/': { identitytoken: 'tok' } } });
    expect(await credentialsFor('docker.io')).toEqual({
      serveraddress: 'https://index.docker.io/v1/',
      identitytoken: 'tok',
    });
  });

  it('asks the registry’s credential helper, then the credential store', async () => {
    helper(
      'itg',
      `read url; [ "$url" = ghcr.io ] || exit 1; echo '{"Username":"bot","Secret":"s3"}'`,
    );
    helper('store', `read url; echo '{"Username":"<token>","Secret":"id-token"}'`);
    config({ credHelpers: { 'ghcr.io': 'itg' }, credsStore: 'store' });
    expect(await credentialsFor('ghcr.io')).toEqual({
      serveraddress: 'ghcr.io',
      username: 'bot',
      password: 's3',
    });
    expect(await credentialsFor('quay.io')).toEqual({
      serveraddress: 'quay.io',
      identitytoken: 'id-token',
    });
  });

  it('says which file is unreadable', async () => {
    writeFileSync(path.join(dir, 'config.json'), '{ not json');
    await expect(credentialsFor('ghcr.io')).rejects.toThrow(
      /Cannot read Docker credentials from .*config\.json/,
    );
  });

  it('lists every loggable form of a secret', () => {
    const forms = credentialForms({ serveraddress: 'r', username: 'u', password: 'p4ss' });
    expect(forms).toContain('p4ss');
    expect(forms).toContain(Buffer.from('u:p4ss').toString('base64'));
    expect(forms).toContain(
      Buffer.from(JSON.stringify({ serveraddress: 'r', username: 'u', password: 'p4ss' })).toString(
        'base64',
      ),
    );
  });
});

describe('OCI labels', () => {
  it('describe what is known, user labels winning', () => {
    const labels = ociLabels({
      created: new Date('2026-01-02T03:04:05Z'),
      serverUrl: 'https://github.com',
      repository: 'acme/app',
      revision: 'abc',
      baseName: 'debian:bookworm-slim',
      baseDigest: 'sha256:' + 'a'.repeat(64),
    });
    expect(Object.fromEntries(labels)).toEqual({
      'org.opencontainers.image.created': '2026-01-02T03:04:05.000Z',
      'org.opencontainers.image.source': 'https://github.com/acme/app',
      'org.opencontainers.image.revision': 'abc',
      'org.opencontainers.image.base.name': 'debian:bookworm-slim',
      'org.opencontainers.image.base.digest': 'sha256:' + 'a'.repeat(64),
    });
    expect(
      mergeLabels(labels, [['org.opencontainers.image.revision', 'mine']]).find(([k]) =>
        k.endsWith('revision'),
      ),
    ).toEqual(['org.opencontainers.image.revision', 'mine']);
  });

  it('leave out what is not known', () => {
    const labels = ociLabels({ created: new Date(0), baseName: 'x' });
    expect(labels.map(([key]) => key)).toEqual([
      'org.opencontainers.image.created',
      'org.opencontainers.image.base.name',
    ]);
  });

  it.each([
    ['debian:bookworm', ['debian@sha256:1', 'other@sha256:2'], 'sha256:1'],
    ['localhost:5000/a:1', ['x@sha256:9', 'localhost:5000/a@sha256:3'], 'sha256:3'],
    ['debian@sha256:' + 'b'.repeat(64), [], 'sha256:' + 'b'.repeat(64)],
    ['local:1', undefined, undefined],
  ])('take the base digest of %s from its RepoDigests', (name, digests, expected) =>
    expect(baseDigest(name, digests)).toBe(expected),
  );
});

describe('withRetries', () => {
  it('retries passing failures with a doubling delay, and stops at permanent ones', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withRetries(
      async () => {
        if (++calls < 3) throw new Error('HTTP 503');
        return 'done';
      },
      {
        attempts: 3,
        firstDelayMs: 1,
        isPermanent: () => false,
        onRetry: (_e, _a, ms) => delays.push(ms),
      },
    );
    expect([result, calls, delays]).toEqual(['done', 3, [1, 2]]);

    let permanentCalls = 0;
    await expect(
      withRetries(
        async () => {
          permanentCalls++;
          throw new Error('unauthorized');
        },
        {
          attempts: 3,
          firstDelayMs: 1,
          isPermanent: (e) => /unauthorized/.test((e as Error).message),
        },
      ),
    ).rejects.toThrow('unauthorized');
    expect(permanentCalls).toBe(1);
  });

  it('gives up after the last attempt with the last error', async () => {
    let calls = 0;
    await expect(
      withRetries(
        async () => {
          throw new Error(`reset ${++calls}`);
        },
        { attempts: 2, firstDelayMs: 1, isPermanent: () => false },
      ),
    ).rejects.toThrow('reset 2');
  });
});
