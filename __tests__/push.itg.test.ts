import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, inspect, removeImages } from './docker.js';
import { Registry } from './registry.js';
import { runAction } from './runner.js';

const USER = 'itg-user';
const PASSWORD = 'itg-Pa55-word!';
const secured = new Registry(5101, { user: USER, password: PASSWORD });
const open = new Registry(5102);
const readonly = new Registry(5103, { readonly: true });
const dockerConfig = mkdtempSync(path.join(os.tmpdir(), 'itg-docker-config-'));
const images: string[] = [];

/** `docker login`, writing credentials into our own DOCKER_CONFIG as the login action does. */
function login(registry: Registry, password: string): void {
  execFileSync('docker', ['login', registry.host, '-u', USER, '--password-stdin'], {
    input: password,
    env: { ...process.env, DOCKER_CONFIG: dockerConfig },
    stdio: ['pipe', 'ignore', 'ignore'],
  });
}

const values = (extra: Record<string, string>) => ({
  playbook: '__tests__/fixtures/raw/site.yml',
  python: 'never',
  'extra-vars': JSON.stringify({ raw_command: `echo pushed > /pushed-${Date.now()}` }),
  push: 'true',
  ...extra,
});
const env = { DOCKER_CONFIG: dockerConfig };

beforeAll(async () => {
  await Promise.all([secured.start(), open.start(), readonly.start()]);
  login(secured, PASSWORD);
});

afterAll(async () => {
  await Promise.all([secured.remove(), open.remove(), readonly.remove()]);
  rmSync(dockerConfig, { recursive: true, force: true });
  removeImages(...images);
});

describe('push to a registry with htpasswd authentication', () => {
  const tags = ['1.0.0', 'latest'].map((tag) => `${secured.host}/itg/app:${tag}`);
  const unrelated = `${secured.host}/itg/app:unrelated`;

  it('pushes every tag, reports the registry digest, and never an unrelated local tag', async () => {
    docker('tag', 'debian:bookworm-slim', unrelated);
    images.push(unrelated, ...tags);
    const run = await runAction(values({ tags: tags.join('\n') }), { env: { ...env, DEBUG: '*' } });
    expect(run.exitCode, run.log).toBe(0);
    const digest = await secured.digest('itg/app', '1.0.0');
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(run.outputs.digest).toBe(digest);
    expect(await secured.digest('itg/app', 'latest')).toBe(digest);
    expect(JSON.parse(run.outputs.metadata).pushed).toEqual(
      tags.map((reference) => ({ reference, digest })),
    );
    expect((await secured.tags('itg/app')).sort()).toEqual(['1.0.0', 'latest']);

    // No form of the password anywhere but in the masking commands.
    const unmasked = run.log
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
    for (const form of [
      PASSWORD,
      Buffer.from(`${USER}:${PASSWORD}`).toString('base64'),
      Buffer.from(PASSWORD).toString('base64'),
    ])
      expect(unmasked).not.toContain(form);
    expect(run.log).toContain(`::add-mask::${PASSWORD}`);

    // A clean engine state pulls the pushed image and runs it.
    const id = run.outputs['image-id'];
    docker('image', 'rm', '--force', id);
    execFileSync('docker', ['pull', tags[0]], {
      env: { ...process.env, DOCKER_CONFIG: dockerConfig },
      stdio: 'ignore',
    });
    expect(inspect<string>(tags[0], '{{json .Id}}')).toBe(id);
    expect(docker('run', '--rm', tags[0], 'sh', '-c', 'ls / | grep -c pushed-').trim()).toBe('1');
  });

  it('fails with the registry’s message and no digest for a wrong password', async () => {
    const config = mkdtempSync(path.join(os.tmpdir(), 'itg-docker-config-'));
    try {
      const auth = Buffer.from(`${USER}:wrong-password`).toString('base64');
      execFileSync('sh', [
        '-c',
        `printf '%s' '{"auths":{"${secured.host}":{"auth":"${auth}"}}}' > ${config}/config.json`,
      ]);
      const tag = `${secured.host}/itg/denied:1`;
      images.push(tag);
      const [run, seconds] = await timed(() =>
        runAction(values({ tags: tag }), { env: { DOCKER_CONFIG: config } }),
      );
      expect(run.exitCode).toBe(1);
      expect(run.log).toMatch(
        /::error::Cannot push 127\.0\.0\.1:5101\/itg\/denied:1: .*(unauthorized|authentication required)/,
      );
      expect(run.log).not.toContain('retrying'); // 401 is not retried
      expect(seconds).toBeLessThan(30);
      expect(run.outputs.digest).toBeUndefined();
      expect(run.log).toContain('::add-mask::wrong-password');
      expect(run.log.replace(/^::add-mask::.*$/gm, '')).not.toContain('wrong-password');
    } finally {
      rmSync(config, { recursive: true, force: true });
    }
  });
});

describe('push without authentication', () => {
  it('works with no stored credentials at all', async () => {
    const tag = `${open.host}/itg/open:1`;
    images.push(tag);
    const run = await runAction(values({ tags: tag }), {
      env: { DOCKER_CONFIG: mkdtempSync(path.join(os.tmpdir(), 'itg-empty-')) },
    });
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs.digest).toBe(await open.digest('itg/open', '1'));
    expect(run.log).toContain(`No stored credentials for ${open.host}`);
  });
});

describe('a registry that fails the push', () => {
  it('that rejects it (read-only): a clear error after retries, no digest', async () => {
    const tag = `${readonly.host}/itg/rejected:1`;
    images.push(tag);
    const run = await runAction(values({ tags: tag }), { env });
    expect(run.exitCode).toBe(1);
    expect(run.log).toMatch(/::error::Cannot push 127\.0\.0\.1:5103\/itg\/rejected:1: /);
    expect(run.outputs.digest).toBeUndefined();
    expect(run.post.exitCode).toBe(0);
  });

  it('that is not running: a clear error, no digest', async () => {
    const stopped = new Registry(5104);
    const tag = `${stopped.host}/itg/stopped:1`;
    images.push(tag);
    const run = await runAction(values({ tags: tag }), { env });
    expect(run.exitCode).toBe(1);
    expect(run.log).toMatch(
      /::error::Cannot push 127\.0\.0\.1:5104\/itg\/stopped:1: .*connection refused/,
    );
    expect(run.log).toContain('retrying'); // a refused connection may be passing
    expect(run.outputs.digest).toBeUndefined();
  });
});

describe('OCI labels', () => {
  it('are set from the GitHub context and the base image, and user labels win', async () => {
    const run = await runAction(
      {
        ...values({}),
        push: 'false',
        labels: 'org.opencontainers.image.revision=from-user',
      },
      {
        env: {
          GITHUB_SERVER_URL: 'https://github.example',
          GITHUB_REPOSITORY: 'acme/app',
          GITHUB_SHA: 'abc123',
        },
      },
    );
    expect(run.exitCode, run.log).toBe(0);
    images.push(run.outputs['image-id']);
    const labels = inspect<Record<string, string>>(
      run.outputs['image-id'],
      '{{json .Config.Labels}}',
    );
    expect(labels['org.opencontainers.image.source']).toBe('https://github.example/acme/app');
    expect(labels['org.opencontainers.image.revision']).toBe('from-user');
    expect(labels['org.opencontainers.image.base.name']).toBe('debian:bookworm-slim');
    expect(new Date(labels['org.opencontainers.image.created']).getTime()).toBeGreaterThan(
      Date.now() - 600_000,
    );
  });

  it('are left out with oci-labels: false', async () => {
    const run = await runAction({ ...values({}), push: 'false', 'oci-labels': 'false' });
    expect(run.exitCode, run.log).toBe(0);
    images.push(run.outputs['image-id']);
    const labels = inspect<Record<string, string> | null>(
      run.outputs['image-id'],
      '{{json .Config.Labels}}',
    );
    expect(Object.keys(labels ?? {}).filter((k) => k.startsWith('org.opencontainers'))).toEqual([]);
  });
});

async function timed<T>(body: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await body();
  return [result, (performance.now() - started) / 1000];
}

describe('pulling the base image', () => {
  const base = `${secured.host}/itg/base:1`;

  beforeAll(() => {
    // A base image that only the secured registry has.
    docker('tag', 'debian:bookworm-slim', base);
    execFileSync('docker', ['push', base], {
      env: { ...process.env, DOCKER_CONFIG: dockerConfig },
      stdio: 'ignore',
    });
    docker('image', 'rm', base);
  });

  it('uses the stored credentials (pull: always)', async () => {
    const run = await runAction(values({ push: 'false', 'base-image': base, pull: 'always' }), {
      env,
    });
    expect(run.exitCode, run.log).toBe(0);
    images.push(run.outputs['image-id'], base);
    expect(run.log).toContain(`Using the stored credentials for ${secured.host}`);
    expect(JSON.parse(run.outputs.metadata).baseImage.name).toBe(base);
  });

  it('fails with the registry’s message without credentials (pull: missing, image absent)', async () => {
    docker('image', 'rm', '--force', base);
    const empty = mkdtempSync(path.join(os.tmpdir(), 'itg-empty-'));
    const run = await runAction(values({ push: 'false', 'base-image': base }), {
      env: { DOCKER_CONFIG: empty },
    });
    expect(run.exitCode).toBe(1);
    expect(run.log).toMatch(
      new RegExp(
        `::error::Cannot pull ${base.replace(/[.]/g, '\\.')}: .*(unauthorized|no basic auth credentials)`,
      ),
    );
    expect(run.outputs['image-id']).toBeUndefined();
  });

  it('explains a rate limit (429)', async () => {
    const limited = http.createServer((_request, response) => {
      response.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '3600' });
      response.end(
        JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'rate limit reached' }] }),
      );
    });
    await new Promise<void>((resolve) => limited.listen(5105, '127.0.0.1', resolve));
    try {
      const run = await runAction(
        values({ push: 'false', 'base-image': '127.0.0.1:5105/itg/limited:1' }),
        { env },
      );
      expect(run.exitCode).toBe(1);
      expect(run.log).toContain(
        '::error::The registry rate-limited the pull of 127.0.0.1:5105/itg/limited:1 (429 Too Many Requests). Log in first',
      );
      expect(run.log).not.toContain('retrying');
    } finally {
      limited.close();
    }
  });
});
