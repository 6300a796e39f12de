import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsFor } from '../src/docker/auth.js';
import { findInRegistry, retagInRegistry, type RegistryHit } from '../src/reuse/registry-reuse.js';
import { docker, inspect, removeImages } from './docker.js';
import { Registry } from './registry.js';
import { TokenService } from './token-service.js';

// Ports 5121–5129 are this file's; the other registry tests use 5101–5119.
const LABEL = 'org.example.key';
const USER = 'itg-reuse-user';
const PASSWORD = 'itg-Reuse-Pa55!';
const open = new Registry(5121);
const tokens = new TokenService(5123, { users: { [USER]: PASSWORD }, namespace: 'itg' });
const guarded = new Registry(5124, { tokens });
const images: string[] = [];

/** The docker CLI without blocking this process, which serves the token service. */
const dockerAsync = (env: NodeJS.ProcessEnv, ...args: string[]) =>
  promisify(execFile)('docker', args, { env: { ...process.env, ...env } });

/**
 * A two-layer image with the key label, made without a base image or a network, with the
 * legacy builder: the engine's CLI here has no BuildKit front end.
 */
async function labelledImage(tag: string, key: string): Promise<void> {
  const context = mkdtempSync(path.join(os.tmpdir(), 'itg-reuse-context-'));
  for (const file of ['one', 'two']) writeFileSync(path.join(context, file), `${file} ${tag}\n`);
  writeFileSync(
    path.join(context, 'Dockerfile'),
    `FROM scratch\nCOPY one /one\nCOPY two /two\nLABEL ${LABEL}=${key}\n`,
  );
  images.push(tag);
  await dockerAsync({ DOCKER_BUILDKIT: '0' }, 'build', '-q', '-t', tag, context);
}

/**
 * A counting proxy in front of the open registry: what the module asks the registry API, so
 * that a blob upload (a POST to blobs/uploads/ without `mount`, a PATCH or a blob PUT) shows.
 */
const requests: string[] = [];
const proxy = http.createServer((request, response) => {
  requests.push(`${request.method} ${request.url}`);
  const upstream = http.request(
    {
      host: '127.0.0.1',
      port: open.port,
      method: request.method,
      path: request.url,
      headers: request.headers,
    },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    },
  );
  request.pipe(upstream);
});
const viaProxy = (name: string) => `127.0.0.1:5122/${name}`;

beforeAll(async () => {
  await Promise.all([open.start(), tokens.start()]);
  await guarded.start();
  await new Promise<void>((resolve) => proxy.listen(5122, '127.0.0.1', resolve));
});

afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await Promise.all([open.remove(), guarded.remove(), tokens.remove()]);
  removeImages(...images);
});

describe('reuse from a real registry (distribution 2.8)', () => {
  it('finds the image by its key, retags it with manifest PUTs and mounts, and docker pulls it', async () => {
    const pushed = `${open.host}/itg/reuse:key`;
    await labelledImage(pushed, 'abc');
    docker('push', pushed);
    const original = await open.digest('itg/reuse', 'key');
    const imageId = inspect<string>(pushed, '{{json .Id}}');

    requests.length = 0;
    const hit = (await findInRegistry(viaProxy('itg/reuse:key'), 'abc', LABEL)) as RegistryHit;
    expect(hit).toMatchObject({ digest: original, configDigest: imageId });
    expect(hit.config).toMatchObject({ os: 'linux', config: { Labels: { [LABEL]: 'abc' } } });

    expect(await findInRegistry(viaProxy('itg/reuse:key'), 'xyz', LABEL)).toEqual({
      miss: `${viaProxy('itg/reuse:key')} in the registry was built with another key (abc)`,
    });
    expect(await findInRegistry(viaProxy('itg/reuse:other'), 'abc', LABEL)).toEqual({
      miss: `no image with this key in the registry (${viaProxy('itg/reuse:other')} not found)`,
    });

    requests.length = 0;
    const tags = [viaProxy('itg/reuse:2'), viaProxy('itg/reuse:3'), viaProxy('itg/reuse-copy:1')];
    expect(await retagInRegistry(hit, tags)).toEqual(
      tags.map((reference) => ({ reference, digest: original })),
    );

    for (const [repository, tag] of [
      ['itg/reuse', '2'],
      ['itg/reuse', '3'],
      ['itg/reuse-copy', '1'],
    ])
      expect(await open.digest(repository, tag)).toBe(original);
    const uploads = requests.filter((request) =>
      /^(PATCH|PUT) \/v2\/.*\/blobs\/uploads\/|^POST \/v2\/.*\/blobs\/uploads\/(?!\?mount=)/.test(
        request,
      ),
    );
    expect(uploads).toEqual([]);
    // Three mounts into the other repository (the config and two layers), then three PUTs.
    expect(requests.filter((request) => request.startsWith('POST'))).toHaveLength(3);
    expect(requests.filter((request) => request.startsWith('PUT'))).toHaveLength(3);

    removeImages(...images);
    images.push(`${open.host}/itg/reuse-copy:1`);
    docker('pull', `${open.host}/itg/reuse-copy:1`);
    expect(inspect<string>(`${open.host}/itg/reuse-copy:1`, '{{json .Id}}')).toBe(imageId);
  });
});

describe('reuse from a registry with token authentication', () => {
  it('looks up with a pull-scoped token and puts the manifest with a push-scoped one', async () => {
    const config = mkdtempSync(path.join(os.tmpdir(), 'itg-docker-config-'));
    const env = { DOCKER_CONFIG: config };
    await new Promise<void>((resolve, reject) => {
      const login = execFile(
        'docker',
        ['login', guarded.host, '-u', USER, '--password-stdin'],
        { env: { ...process.env, ...env } },
        (error) => (error ? reject(error) : resolve()),
      );
      login.stdin?.end(PASSWORD);
    });
    const pushed = `${guarded.host}/itg/token-reuse:key`;
    await labelledImage(pushed, 'abc');
    await dockerAsync(env, 'push', pushed);
    const original = await guarded.digest('itg/token-reuse', 'key');

    const saved = process.env.DOCKER_CONFIG;
    process.env.DOCKER_CONFIG = config;
    const auth = await credentialsFor(guarded.host);
    if (saved === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = saved;
    expect(auth?.identitytoken).toBeTruthy();

    expect(await findInRegistry(pushed, 'abc', LABEL)).toEqual({
      miss: `Cannot read ${pushed} from ${guarded.host}: HTTP 401 (UNAUTHORIZED)`,
    });
    tokens.grants.length = 0;
    const hit = (await findInRegistry(pushed, 'abc', LABEL, auth)) as RegistryHit;
    expect(hit.digest).toBe(original);
    // One grant for the manifest and the config blob: the session keeps its token.
    expect(tokens.grants.map(({ scopes }) => scopes)).toEqual([
      ['repository:itg/token-reuse:pull'],
    ]);

    tokens.grants.length = 0;
    const tags = [`${guarded.host}/itg/token-reuse:2`, `${guarded.host}/itg/token-copy:1`];
    await retagInRegistry(hit, tags, auth);
    // A push-scoped token for each PUT; the mount asks for the source's pull as well, once for
    // all three blobs. The registry's challenge lists a scope's actions in no fixed order.
    const actionsSorted = (scope: string) =>
      scope.replace(
        /:([a-z,]+)$/,
        (_all, actions: string) => `:${actions.split(',').sort().join(',')}`,
      );
    expect(
      tokens.grants.map(({ grantType, scopes }) => [
        grantType,
        scopes.map(actionsSorted).join(' '),
      ]),
    ).toEqual([
      ['refresh_token', 'repository:itg/token-reuse:pull,push'],
      ['refresh_token', 'repository:itg/token-copy:pull,push repository:itg/token-reuse:pull'],
      ['refresh_token', 'repository:itg/token-copy:pull,push'],
    ]);
    expect(await guarded.digest('itg/token-reuse', '2')).toBe(original);
    expect(await guarded.digest('itg/token-copy', '1')).toBe(original);
  });
});
