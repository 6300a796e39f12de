import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_ID } from '../src/docker/registry.js';
import { removeImages } from './docker.js';
import { Registry } from './registry.js';
import { runAction } from './runner.js';
import { TokenService } from './token-service.js';

// Ports of their own: the htpasswd, open and read-only registries of push.itg.test.ts use 5101–5105.
const USER = 'itg-token-user';
const PASSWORD = 'itg-T0ken-Pa55!';
const tokens = new TokenService(5112, { users: { [USER]: PASSWORD }, namespace: 'itg' });
const registry = new Registry(5111, { tokens });
const images: string[] = [];

const values = (tag: string) => ({
  playbook: '__tests__/fixtures/raw/site.yml',
  python: 'never',
  'extra-vars': JSON.stringify({ raw_command: `echo pushed > /pushed-${Date.now()}` }),
  push: 'true',
  tags: tag,
});

const scratch = (prefix: string) => mkdtempSync(path.join(os.tmpdir(), prefix));

/** The log as the runner shows it: every masked value is gone from the other lines. */
const unmasked = (log: string) => log.replace(/^::add-mask::.*$/gm, '');

beforeAll(async () => {
  await tokens.start();
  await registry.start();
});

afterAll(async () => {
  await Promise.all([registry.remove(), tokens.remove()]);
  removeImages(...images);
});

describe('push to a registry with token authentication (auth: token)', () => {
  it('with the identity token that docker login stored: pushes and reports the registry’s digest', async () => {
    const config = scratch('itg-docker-config-');
    // The daemon asks the token service with offline_token=true and keeps the refresh token.
    // Asynchronously: the token service answers from this very process.
    await new Promise<void>((resolve, reject) => {
      const login = execFile(
        'docker',
        ['login', registry.host, '-u', USER, '--password-stdin'],
        { env: { ...process.env, DOCKER_CONFIG: config } },
        (error) => (error ? reject(error) : resolve()),
      );
      login.stdin?.end(PASSWORD);
    });
    const stored = readFileSync(path.join(config, 'config.json'), 'utf8');
    const identityToken = (
      JSON.parse(stored) as { auths: Record<string, { identitytoken?: string }> }
    ).auths[registry.host].identitytoken as string;
    expect(identityToken).toMatch(/^[\w-]{20,}$/);
    expect(stored).not.toContain(PASSWORD);

    const tag = `${registry.host}/itg/token-app:1`;
    images.push(tag);
    tokens.grants.length = 0;
    const run = await runAction(values(tag), { env: { DOCKER_CONFIG: config } });
    expect(run.exitCode, run.log).toBe(0);
    const digest = await registry.digest('itg/token-app', '1');
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(run.outputs.digest).toBe(digest);
    images.push(run.outputs['image-id']);

    // The engine pushed with the refresh-token grant, and so did our digest check, for pull only.
    expect(tokens.grants).toContainEqual(
      expect.objectContaining({ method: 'POST', grantType: 'refresh_token', clientId: 'docker' }),
    );
    expect(tokens.grants).toContainEqual({
      method: 'POST',
      grantType: 'refresh_token',
      clientId: CLIENT_ID,
      subject: USER,
      scopes: ['repository:itg/token-app:pull'],
    });
    expect(tokens.grants.filter((grant) => grant.method === 'GET')).toEqual([]);

    expect(run.log).toContain(`::add-mask::${identityToken}`);
    expect(unmasked(run.log)).not.toContain(identityToken);
  });

  it('with an identity token from a credential helper (Username <token>), as a POST password grant leaves it', async () => {
    const response = await fetch(tokens.realm, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'password',
        username: USER,
        password: PASSWORD,
        service: tokens.service,
        client_id: 'itg-test',
        access_type: 'offline',
      }),
    });
    expect(response.status).toBe(200);
    const identityToken = ((await response.json()) as { refresh_token: string }).refresh_token;
    expect(identityToken).toBeTruthy();

    const config = scratch('itg-docker-config-');
    const helper = path.join(config, 'docker-credential-itg');
    writeFileSync(
      helper,
      `#!/bin/sh\nread url\n[ "$url" = "${registry.host}" ] || exit 1\nprintf '{"Username":"<token>","Secret":"%s"}' '${identityToken}'\n`,
    );
    chmodSync(helper, 0o755);
    writeFileSync(
      path.join(config, 'config.json'),
      JSON.stringify({ credHelpers: { [registry.host]: 'itg' } }),
    );

    const tag = `${registry.host}/itg/helper-app:1`;
    images.push(tag);
    const run = await runAction(values(tag), {
      env: { DOCKER_CONFIG: config, PATH: `${config}:${process.env.PATH}` },
    });
    expect(run.exitCode, run.log).toBe(0);
    images.push(run.outputs['image-id']);
    expect(run.outputs.digest).toBe(await registry.digest('itg/helper-app', '1'));
    expect(unmasked(run.log)).not.toContain(identityToken);
  });

  it('with an identity token that the token service does not know: a clear error, no secret in the log', async () => {
    const wrong = 'itg-unknown-identity-token-S3cret';
    const config = scratch('itg-docker-config-');
    writeFileSync(
      path.join(config, 'config.json'),
      JSON.stringify({ auths: { [registry.host]: { identitytoken: wrong } } }),
    );
    const tag = `${registry.host}/itg/denied:1`;
    images.push(tag);
    const run = await runAction(values(tag), { env: { DOCKER_CONFIG: config } });
    expect(run.exitCode).toBe(1);
    expect(run.log).toMatch(
      /::error::Cannot push 127\.0\.0\.1:5111\/itg\/denied:1: .*(unauthorized|authentication required)/,
    );
    expect(run.log).not.toContain('retrying'); // 401 is not retried
    expect(run.outputs.digest).toBeUndefined();
    expect(run.log).toContain(`::add-mask::${wrong}`);
    expect(unmasked(run.log)).not.toContain(wrong);
    expect(await registry.tags('itg/denied')).toEqual([]);
  });
});
