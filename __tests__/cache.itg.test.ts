import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, inspect, removeImages } from './docker.js';
import { Registry } from './registry.js';
import { type ActionRun, commandsTheRunnerWouldProcess, repoRoot, runAction } from './runner.js';

// Reuse through the bundled action: the same inputs give the same image without a build, and a
// change of any input builds again and says which.
const KEY_LABEL = 'org.ansible-image.input-key';
const images: string[] = [];
let project: string;
let counter = 0;

beforeAll(() => {
  // A working directory of its own inside the workspace, with a role-shaped project in it.
  mkdirSync(path.join(repoRoot, '.tmp'), { recursive: true });
  project = mkdtempSync(path.join(repoRoot, '.tmp', 'cache-'));
  cpSync(
    path.join(repoRoot, '__tests__', 'fixtures', 'values', 'site.yml'),
    path.join(project, 'site.yml'),
  );
  writeFileSync(path.join(project, '.gitignore'), 'scratch/\n');
  mkdirSync(path.join(project, 'templates'));
  writeFileSync(path.join(project, 'templates', 'motd.j2'), 'hello\n');
});

afterAll(() => {
  rmSync(project, { recursive: true, force: true });
  removeImages(...images);
});

/** Inputs of one project; each test gets its own tag, so no test reuses another's image. */
function inputs(tag: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'working-directory': path.relative(repoRoot, project),
    playbook: 'site.yml',
    network: 'host',
    'extra-vars': 'values: { greeting: "hi" }',
    tags: tag,
    cache: 'true',
    ...extra,
  };
}

function succeeded(run: ActionRun): ActionRun {
  expect(run.exitCode, run.log).toBe(0);
  images.push(run.outputs['image-id']);
  return run;
}

const built = (run: ActionRun) => /^::group::Packer$/m.test(run.log);

describe('reuse of a local image', () => {
  // A cache-key of this run's own: images of earlier runs of the suite never match.
  const cacheKey = `suite ${Date.now()}`;
  const tag = () => `itg/cache:${++counter}`;

  it('builds once, then gives the same image for the same inputs without starting Packer', async () => {
    const first = succeeded(await runAction(inputs(tag(), { 'cache-key': cacheKey })));
    expect(first.outputs['cache-hit']).toBe('false');
    expect(first.outputs['input-key']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(built(first)).toBe(true);
    const id = first.outputs['image-id'];
    expect(inspect<Record<string, string>>(id, '{{json .Config.Labels}}')[KEY_LABEL]).toBe(
      first.outputs['input-key'],
    );

    const second = succeeded(await runAction(inputs(tag(), { 'cache-key': cacheKey })));
    expect(second.outputs['cache-hit']).toBe('true');
    expect(built(second)).toBe(false);
    expect(second.outputs['image-id']).toBe(id);
    expect(second.outputs['input-key']).toBe(first.outputs['input-key']);
    expect(inspect<string>(`itg/cache:${counter}`, '{{json .Id}}')).toBe(id);
    expect(second.summary).toContain('Image reused');

    // Neither the mtime of a file, nor .git, nor an ignored file is an input.
    writeFileSync(path.join(project, 'templates', 'motd.j2'), 'hello\n');
    mkdirSync(path.join(project, '.git'), { recursive: true });
    writeFileSync(path.join(project, '.git', 'HEAD'), `ref: ${Date.now()}\n`);
    mkdirSync(path.join(project, 'scratch'), { recursive: true });
    writeFileSync(path.join(project, 'scratch', 'notes'), `${Date.now()}\n`);
    const third = succeeded(await runAction(inputs(tag(), { 'cache-key': cacheKey })));
    expect(third.outputs['cache-hit']).toBe('true');
  });

  it.each<[string, (tagged: string) => Record<string, string>, () => void, RegExp]>([
    [
      'a changed template',
      (tagged) => inputs(tagged, { 'cache-key': cacheKey }),
      () => writeFileSync(path.join(project, 'templates', 'motd.j2'), `hello ${Date.now()}\n`),
      /files: .*templates\/motd\.j2/,
    ],
    [
      'a changed extra var',
      (tagged) =>
        inputs(tagged, {
          'cache-key': cacheKey,
          'extra-vars': `values: { greeting: "${Date.now()}" }`,
        }),
      () => undefined,
      /extra-vars/,
    ],
    [
      'another base image',
      (tagged) => inputs(tagged, { 'cache-key': cacheKey, 'base-image': 'debian:trixie-slim' }),
      () => undefined,
      /base image: sha256:[0-9a-f]{64} → sha256:[0-9a-f]{64}/,
    ],
    [
      'a changed cache-key',
      (tagged) => inputs(tagged, { 'cache-key': `${cacheKey} again` }),
      () => undefined,
      /cache-key/,
    ],
  ])('builds again for %s and says so', async (_case, given, change, cause) => {
    const tagged = tag();
    succeeded(await runAction(inputs(tagged, { 'cache-key': cacheKey })));
    change();
    const again = succeeded(await runAction(given(tagged)));
    expect(again.outputs['cache-hit']).toBe('false');
    expect(built(again)).toBe(true);
    expect(again.summary).toContain('Why it was built again');
    expect(again.summary).toMatch(cause);
    expect(JSON.parse(again.outputs.metadata).rebuiltBecause.join('\n')).toMatch(cause);
  });

  it('builds again once the image is older than cache-max-age, and always with cache: false', async () => {
    const key = `${cacheKey} max-age`;
    const first = succeeded(await runAction(inputs(tag(), { 'cache-key': key })));
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const old = succeeded(
      await runAction(inputs(tag(), { 'cache-key': key, 'cache-max-age': '1s' })),
    );
    expect(old.outputs['cache-hit']).toBe('false');
    expect(old.log).toMatch(
      /has this key but is \d+ s old, more than cache-max-age \(1 s\): building anew/,
    );
    expect(old.outputs['image-id']).not.toBe(first.outputs['image-id']);
    const off = succeeded(await runAction(inputs(tag(), { 'cache-key': key, cache: 'false' })));
    expect(off.outputs['cache-hit']).toBe('false');
    expect(built(off)).toBe(true);
  });

  it('prints what an earlier image’s label says inert: a base image may have set it', async () => {
    // The label as a hostile base image would leave it on the image under the first tag: a
    // path whose name carries a workflow command on a line of its own.
    const injected = '::error::injected by an image label';
    const manifest = {
      scheme: 1,
      parts: {
        files: 'x',
        galaxy: '',
        inputs: {},
        base: 'x',
        platform: 'x',
        tools: {},
        action: 'x',
      },
      files: { [`templates/motd.j2\n${injected}`]: '000000000000' },
    };
    const label = deflateSync(JSON.stringify(manifest)).toString('base64');
    const tagged = tag();
    const container = docker('create', 'debian:bookworm-slim').trim();
    docker('commit', '--change', `LABEL org.ansible-image.inputs=${label}`, container, tagged);
    docker('rm', container);
    images.push(tagged);
    const run = succeeded(await runAction(inputs(tagged, { 'cache-key': `${cacheKey} label` })));
    expect(run.log).toContain(injected);
    expect(commandsTheRunnerWouldProcess(run.log)).not.toContainEqual(
      expect.stringContaining('injected'),
    );
    expect(run.summary).toContain('Why it was built again');
  });

  it('rejects a malformed cache-max-age with its rule', async () => {
    const run = await runAction(inputs(tag(), { 'cache-max-age': 'a week' }));
    expect(run.exitCode).toBe(1);
    expect(run.log).toContain(
      '::error::Input "cache-max-age": "a week" must be a duration: numbers with units s, m, h, d or w, such as 7d, 12h or 1d12h',
    );
  });
});

describe('reuse from the registry', () => {
  const registry = new Registry(5125);
  const dockerConfig = mkdtempSync(path.join(os.tmpdir(), 'itg-docker-config-'));
  beforeAll(() => registry.start());
  afterAll(async () => {
    await registry.remove();
    rmSync(dockerConfig, { recursive: true, force: true });
  });

  it('puts the image under every tag by manifest, with no local image and no build', async () => {
    const key = `registry ${Date.now()}`;
    const tags = ['1', '2'].map((t) => `${registry.host}/itg/cache:${t}`);
    const pushed = succeeded(
      await runAction(inputs(tags[0], { 'cache-key': key, push: 'true' }), {
        env: { DOCKER_CONFIG: dockerConfig },
      }),
    );
    expect(pushed.log).toContain('Nothing to reuse from the registry: no image with this key');
    const digest = await registry.digest('itg/cache', '1');
    removeImages(tags[0], pushed.outputs['image-id']);

    const reused = succeeded(
      await runAction(inputs(tags.join('\n'), { 'cache-key': key, push: 'true' }), {
        env: { DOCKER_CONFIG: dockerConfig },
      }),
    );
    expect(reused.outputs['cache-hit']).toBe('true');
    expect(built(reused)).toBe(false);
    expect(reused.outputs['image-id']).toBe(pushed.outputs['image-id']);
    expect(reused.outputs.digest).toBe(digest);
    expect(await registry.digest('itg/cache', '2')).toBe(digest);
    expect(docker('image', 'ls', '-q', '--no-trunc', pushed.outputs['image-id']).trim()).toBe('');
  });

  it('builds when the registry cannot answer the lookup, and says why in one line', async () => {
    const stopped = `127.0.0.1:5126/itg/cache:down`;
    const run = await runAction(
      inputs(stopped, { 'cache-key': `down ${Date.now()}`, push: 'true' }),
      {
        env: { DOCKER_CONFIG: dockerConfig },
      },
    );
    expect(run.log).toMatch(/Nothing to reuse from the registry: Cannot reach the registry/);
    expect(built(run)).toBe(true);
    // The push itself fails: that registry is not there.
    expect(run.exitCode).toBe(1);
    images.push(stopped);
  });
});
