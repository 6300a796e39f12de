import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RegistryAuth, registryOf, repositoryOf } from '../../src/docker/auth.js';
import {
  CLIENT_ID,
  manifestUrl,
  mountBlobs,
  putManifest,
  readImage,
  registryDigest,
  sha256,
} from '../../src/docker/registry.js';
import { closedPort, DOCKER_MANIFEST, FakeRegistry } from '../fake-registry.js';

describe('where a tag lives', () => {
  const hub = 'https://registry-1.docker.io/v2';
  it.each([
    ['debian', 'docker.io', 'library/debian', `${hub}/library/debian/manifests/latest`],
    ['debian:12', 'docker.io', 'library/debian', `${hub}/library/debian/manifests/12`],
    ['library/debian:12', 'docker.io', 'library/debian', `${hub}/library/debian/manifests/12`],
    ['docker.io/debian:12', 'docker.io', 'library/debian', `${hub}/library/debian/manifests/12`],
    [
      'index.docker.io/debian:12',
      'docker.io',
      'library/debian',
      `${hub}/library/debian/manifests/12`,
    ],
    [
      'docker.io/library/debian:12',
      'docker.io',
      'library/debian',
      `${hub}/library/debian/manifests/12`,
    ],
    [
      'index.docker.io/library/debian',
      'docker.io',
      'library/debian',
      `${hub}/library/debian/manifests/latest`,
    ],
    ['acme/app:1', 'docker.io', 'acme/app', `${hub}/acme/app/manifests/1`],
    ['docker.io/acme/app:1', 'docker.io', 'acme/app', `${hub}/acme/app/manifests/1`],
    ['index.docker.io/acme/app:1', 'docker.io', 'acme/app', `${hub}/acme/app/manifests/1`],
    ['docker.io/acme/team/app:1', 'docker.io', 'acme/team/app', `${hub}/acme/team/app/manifests/1`],
    ['ghcr.io/acme/app:1', 'ghcr.io', 'acme/app', 'https://ghcr.io/v2/acme/app/manifests/1'],
    ['ghcr.io/app:1', 'ghcr.io', 'app', 'https://ghcr.io/v2/app/manifests/1'],
    [
      'myacr.azurecr.io/team/app:2',
      'myacr.azurecr.io',
      'team/app',
      'https://myacr.azurecr.io/v2/team/app/manifests/2',
    ],
    ['localhost:5000/app:1', 'localhost:5000', 'app', 'http://localhost:5000/v2/app/manifests/1'],
    ['127.0.0.1:5000/a/b:1', '127.0.0.1:5000', 'a/b', 'http://127.0.0.1:5000/v2/a/b/manifests/1'],
    [
      `127.0.0.1:5000/a@sha256:${'0'.repeat(64)}`,
      '127.0.0.1:5000',
      'a',
      `http://127.0.0.1:5000/v2/a/manifests/sha256:${'0'.repeat(64)}`,
    ],
    [
      `127.0.0.1:5000/a:1@sha256:${'0'.repeat(64)}`,
      '127.0.0.1:5000',
      'a',
      'http://127.0.0.1:5000/v2/a/manifests/1',
    ],
  ])('%s: registry %s, repository %s, %s', (reference, registry, repository, url) => {
    expect(registryOf(reference)).toBe(registry);
    expect(repositoryOf(reference)).toBe(repository);
    expect(manifestUrl(reference)).toBe(url);
  });
});

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const ACCESS = 'access-from-the-token-service';
const IDENTITY_TOKEN = 'identity-token-S3cret';
const PASSWORD = 'pa55-S3cret';

/**
 * A registry and its token service on one loopback port: the registry wants a Bearer token
 * from /token, and `answer` decides what the token service says.
 */
describe('the digest check against a token registry', () => {
  const seen: Seen[] = [];
  let answer: (request: Seen) => { status: number; body: unknown };
  let challenge: (port: number) => string;
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const entry = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body,
      };
      seen.push(entry);
      if (entry.url.startsWith('/v2/')) {
        const authorized =
          request.headers.authorization === `Bearer ${ACCESS}` ||
          request.headers.authorization ===
            `Basic ${Buffer.from(`bot:${PASSWORD}`).toString('base64')}`;
        response.writeHead(
          authorized ? 200 : 401,
          authorized
            ? { 'Docker-Content-Digest': DIGEST }
            : { 'WWW-Authenticate': challenge(port()) },
        );
        response.end();
        return;
      }
      const { status, body: answerBody } = answer(entry);
      response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(answerBody));
    });
  });
  const port = () => (server.address() as AddressInfo).port;
  const reference = () => `127.0.0.1:${port()}/acme/app:1`;
  const bearer = (port: number) =>
    `Bearer realm="http://127.0.0.1:${port}/token",service="itg-service",scope="repository:acme/app:pull"`;

  beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    seen.length = 0;
    challenge = bearer;
  });

  const identity: RegistryAuth = { serveraddress: 'r', identitytoken: IDENTITY_TOKEN };
  const password: RegistryAuth = { serveraddress: 'r', username: 'bot', password: PASSWORD };
  const basicHeader = `Basic ${Buffer.from(`bot:${PASSWORD}`).toString('base64')}`;

  it.each<
    [
      string,
      RegistryAuth | undefined,
      unknown,
      Partial<Seen> & { form?: Record<string, string>; query?: Record<string, string> },
    ]
  >([
    [
      'an identity token: the refresh-token grant, POSTed as a form',
      identity,
      { access_token: ACCESS, expires_in: 300 },
      {
        method: 'POST',
        form: {
          grant_type: 'refresh_token',
          refresh_token: IDENTITY_TOKEN,
          service: 'itg-service',
          scope: 'repository:acme/app:pull',
          client_id: CLIENT_ID,
        },
        query: {},
      },
    ],
    [
      'a password: GET with Basic auth, answered with token',
      password,
      { token: ACCESS },
      {
        method: 'GET',
        query: { service: 'itg-service', scope: 'repository:acme/app:pull', account: 'bot' },
      },
    ],
    [
      'a password: GET with Basic auth, answered with access_token',
      password,
      { access_token: ACCESS },
      {
        method: 'GET',
        query: { service: 'itg-service', scope: 'repository:acme/app:pull', account: 'bot' },
      },
    ],
    [
      'no credentials: an anonymous GET',
      undefined,
      { token: ACCESS },
      { method: 'GET', query: { service: 'itg-service', scope: 'repository:acme/app:pull' } },
    ],
  ])('%s', async (_name, auth, tokenAnswer, expected) => {
    answer = () => ({ status: 200, body: tokenAnswer });
    expect(await registryDigest(reference(), auth)).toBe(DIGEST);

    const grants = seen.filter((request) => request.url.startsWith('/token'));
    expect(grants).toHaveLength(1);
    const [grant] = grants;
    expect(grant.method).toBe(expected.method);
    const url = new URL(grant.url, 'http://x');
    expect(Object.fromEntries(url.searchParams)).toEqual(expected.query);
    if (expected.form) {
      expect(grant.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(Object.fromEntries(new URLSearchParams(grant.body))).toEqual(expected.form);
      expect(grant.headers.authorization).toBeUndefined();
    } else {
      expect(grant.body).toBe('');
      expect(grant.headers.authorization).toBe(auth ? basicHeader : undefined);
    }
    // Nothing but the POST body to the realm ever carries the identity token.
    for (const request of seen) {
      expect(request.url).not.toContain(IDENTITY_TOKEN);
      expect(JSON.stringify(request.headers)).not.toContain(IDENTITY_TOKEN);
      if (request !== grant || !expected.form) expect(request.body).not.toContain(IDENTITY_TOKEN);
    }
  });

  it('answers a Basic challenge with the password and never sends an identity token', async () => {
    challenge = () => 'Basic realm="itg"';
    expect(await registryDigest(reference(), password)).toBe(DIGEST);
    await expect(registryDigest(reference(), identity)).rejects.toThrow(
      /did not confirm 127\.0\.0\.1:\d+\/acme\/app:1: HTTP 401/,
    );
    expect(JSON.stringify(seen)).not.toContain(IDENTITY_TOKEN);
  });

  // The token service echoes the secret it got, as a careless one might in an error.
  const echo = (status: number) => (request: Seen) => ({
    status,
    body: { error: 'invalid_grant', details: `${request.body} ${request.headers.authorization}` },
  });

  it.each<[string, RegistryAuth, (request: Seen) => { status: number; body: unknown }, RegExp]>([
    [
      'a token service without OAuth2 (404 for POST) fails an identity token, without a GET',
      identity,
      echo(404),
      /^The token service of 127\.0\.0\.1:\d+ \(http:\/\/127\.0\.0\.1:\d+\/token\) does not support OAuth2 \(HTTP 404 for POST\), which the stored identity token needs/,
    ],
    [
      'a refused identity token',
      identity,
      echo(401),
      /^The token service of 127\.0\.0\.1:\d+ \(http:\/\/127\.0\.0\.1:\d+\/token\) refused a token: HTTP 401$/,
    ],
    [
      'a refused password',
      password,
      echo(401),
      /^The token service of 127\.0\.0\.1:\d+ \(http:\/\/127\.0\.0\.1:\d+\/token\) refused a token: HTTP 401$/,
    ],
    ['a forbidden scope', password, echo(403), /refused a token: HTTP 403$/],
    [
      'an answer without a token',
      identity,
      () => ({ status: 200, body: { refresh_token: 'x' } }),
      /^The token service of 127\.0\.0\.1:\d+ \(.*\) answered without a token$/,
    ],
  ])('%s', async (_name, auth, tokenAnswer, message) => {
    answer = tokenAnswer;
    const error = await registryDigest(reference(), auth).then(
      () => expect.fail('no error'),
      (error: Error) => error,
    );
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(IDENTITY_TOKEN);
    expect(error.message).not.toContain(PASSWORD);
    expect(error.message).not.toContain(Buffer.from(`bot:${PASSWORD}`).toString('base64'));
    // One grant: no retry, and no GET with the identity token after a 404 for POST.
    expect(seen.filter((request) => request.url.startsWith('/token'))).toHaveLength(1);
  });

  it('names the token service it cannot reach', async () => {
    const port = await closedPort();
    challenge = () => bearer(port);
    await expect(registryDigest(reference(), identity)).rejects.toThrow(
      new RegExp(
        `^Cannot reach the token service of 127\\.0\\.0\\.1:\\d+ at http://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`,
      ),
    );
  });

  it('asks for each scope of a two-scope challenge (a cross-repository mount)', async () => {
    const scopes = ['repository:acme/app:pull,push', 'repository:acme/base:pull'];
    challenge = (port) =>
      `Bearer realm="http://127.0.0.1:${port}/token",service="itg-service",scope="${scopes.join(' ')}"`;
    answer = () => ({ status: 200, body: { access_token: ACCESS } });
    await registryDigest(reference(), password);
    await registryDigest(reference(), identity);
    const [get, post] = seen.filter((request) => request.url.startsWith('/token'));
    expect(new URL(get.url, 'http://x').searchParams.getAll('scope')).toEqual(scopes);
    // OAuth2's form takes them space-separated in one field (RFC 6749 section 3.3).
    expect(new URLSearchParams(post.body).get('scope')).toBe(scopes.join(' '));
  });
});

describe('images through the registry API', () => {
  const registry = new FakeRegistry();
  let digest: string;
  const image = () => `${registry.host}/acme/app:1`;

  beforeAll(() => registry.start());
  afterAll(() => registry.stop());
  beforeEach(() => {
    registry.reset();
    digest = registry.addImage('acme/app', '1', { 'org.example.key': 'abc' });
  });

  it('reads the manifest and the config, each checked against its digest', async () => {
    const read = await readImage(image());
    expect(read).toMatchObject({
      digest,
      mediaType: DOCKER_MANIFEST,
      config: {
        architecture: 'amd64',
        os: 'linux',
        config: { Labels: { 'org.example.key': 'abc' } },
      },
    });
    expect(read?.manifest.equals(registry.manifest('acme/app', '1') as Buffer)).toBe(true);
    expect(registry.seen.map(({ method, url }) => `${method} ${url}`)).toEqual([
      'GET /v2/acme/app/manifests/1',
      `GET /v2/acme/app/blobs/${read?.configDigest}`,
    ]);
  });

  it('says "not found" with undefined for a 404', async () => {
    expect(await readImage(`${registry.host}/acme/app:none`)).toBeUndefined();
    expect(await readImage(`${registry.host}/acme/other:1`)).toBeUndefined();
  });

  const json = { 'Content-Type': 'application/json' };
  it.each<
    [
      string,
      (request: {
        url: string;
      }) => { status: number; headers?: Record<string, string>; body?: string } | undefined,
      RegExp,
    ]
  >([
    [
      'a 401 without a challenge',
      () => ({
        status: 401,
        headers: json,
        body: '{"errors":[{"code":"UNAUTHORIZED","message":"Bearer s3cret"}]}',
      }),
      /^Cannot read 127\.0\.0\.1:\d+\/acme\/app:1 from 127\.0\.0\.1:\d+: HTTP 401 \(UNAUTHORIZED\)$/,
    ],
    [
      'a 403',
      () => ({ status: 403 }),
      /^Cannot read .*\/acme\/app:1 from 127\.0\.0\.1:\d+: HTTP 403$/,
    ],
    ['a 500', () => ({ status: 500, body: 'oops' }), /^Cannot read .*: HTTP 500$/],
    [
      'a manifest that is not what its digest says',
      ({ url }) =>
        url.includes('/manifests/')
          ? {
              status: 200,
              headers: {
                'Content-Type': DOCKER_MANIFEST,
                'Docker-Content-Digest': `sha256:${'0'.repeat(64)}`,
              },
              body: '{}',
            }
          : undefined,
      /^The manifest of .*\/acme\/app:1 from 127\.0\.0\.1:\d+ does not match its digest sha256:0{64}$/,
    ],
    [
      'a config that is not what its digest says',
      ({ url }) => (url.includes('/blobs/') ? { status: 200, body: '{"config":{}}' } : undefined),
      /^The config of .*\/acme\/app:1 from .* does not match its digest sha256:[0-9a-f]{64}$/,
    ],
    [
      'a missing config blob',
      ({ url }) => (url.includes('/blobs/') ? { status: 404 } : undefined),
      /^Cannot read the config sha256:[0-9a-f]{64} of .*\/acme\/app:1 from .*: HTTP 404$/,
    ],
    [
      'a multi-platform index',
      () => ({
        status: 200,
        headers: { 'Content-Type': 'application/vnd.oci.image.index.v1+json' },
        body: '{}',
      }),
      /^.*\/acme\/app:1 in 127\.0\.0\.1:\d+ is a multi-platform index \(application\/vnd\.oci\.image\.index\.v1\+json\), which reuse does not support yet$/,
    ],
  ])(
    'fails for %s, naming the reference, registry and status',
    async (_name, override, message) => {
      registry.override = override;
      const error = await readImage(image()).then(
        () => expect.fail('no error'),
        (error: Error) => error,
      );
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain('s3cret');
    },
  );

  it('names the registry it cannot reach', async () => {
    const port = await closedPort();
    await expect(readImage(`127.0.0.1:${port}/acme/app:1`)).rejects.toThrow(
      new RegExp(`^Cannot reach the registry 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`),
    );
  });

  it('puts a manifest byte for byte and returns the digest the registry reports', async () => {
    const manifest = registry.manifest('acme/app', '1') as Buffer;
    expect(await putManifest(`${registry.host}/acme/app:2`, manifest, DOCKER_MANIFEST)).toBe(
      digest,
    );
    expect(registry.manifest('acme/app', '2')?.equals(manifest)).toBe(true);
    expect(registry.seen).toContainEqual(
      expect.objectContaining({ method: 'PUT', contentType: DOCKER_MANIFEST }),
    );
  });

  it('fails a PUT that the registry refuses, with its error codes but not its messages', async () => {
    const manifest = registry.manifest('acme/app', '1') as Buffer;
    const error = await putManifest(
      `${registry.host}/acme/other:1`,
      manifest,
      DOCKER_MANIFEST,
    ).then(
      () => expect.fail('no error'),
      (error: Error) => error,
    );
    expect(error.message).toMatch(
      /^127\.0\.0\.1:\d+ refused the manifest for .*\/acme\/other:1: HTTP 400 \(MANIFEST_BLOB_UNKNOWN\)$/,
    );
  });

  it('fails a PUT that the registry stores under another digest', async () => {
    registry.override = () => ({
      status: 201,
      headers: { 'Docker-Content-Digest': `sha256:${'1'.repeat(64)}` },
    });
    await expect(putManifest(image(), Buffer.from('{}'), DOCKER_MANIFEST)).rejects.toThrow(
      `stored the manifest for ${image()} as sha256:${'1'.repeat(64)}, not as ${sha256(Buffer.from('{}'))}`,
    );
  });

  it('mounts the config and every layer from another repository', async () => {
    const manifest = registry.manifest('acme/app', '1') as Buffer;
    await mountBlobs(`${registry.host}/acme/copy:1`, 'acme/app', manifest);
    const posts = registry.seen.filter((request) => request.method === 'POST');
    expect(posts.map(({ url }) => new URL(url, 'http://x').searchParams.get('from'))).toEqual([
      'acme/app',
      'acme/app',
    ]);
    expect(await putManifest(`${registry.host}/acme/copy:1`, manifest, DOCKER_MANIFEST)).toBe(
      digest,
    );
  });

  it('fails when the registry offers an upload instead of a mount, and cancels that upload', async () => {
    registry.refuseMounts = true;
    await expect(
      mountBlobs(
        `${registry.host}/acme/copy:1`,
        'acme/app',
        registry.manifest('acme/app', '1') as Buffer,
      ),
    ).rejects.toThrow(
      /^127\.0\.0\.1:\d+ did not mount sha256:[0-9a-f]{64} from acme\/app into acme\/copy: it offered an upload instead \(HTTP 202\), so the image must be pushed there$/,
    );
    expect(registry.seen.at(-1)).toMatchObject({
      method: 'DELETE',
      url: '/v2/acme/copy/blobs/uploads/session-1',
    });
  });
});
