import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RegistryAuth, registryOf, repositoryOf } from '../../src/docker/auth.js';
import { CLIENT_ID, manifestUrl, registryDigest } from '../../src/docker/registry.js';

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
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    challenge = () => bearer(closedPort);
    await expect(registryDigest(reference(), identity)).rejects.toThrow(
      new RegExp(
        `^Cannot reach the token service of 127\\.0\\.0\\.1:\\d+ at http://127\\.0\\.0\\.1:${closedPort}: .*ECONNREFUSED`,
      ),
    );
  });
});
