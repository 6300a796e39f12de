import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAILED_LABEL } from '../src/failed/keep-failed.js';
import { KEY_LABEL, MANIFEST_LABEL } from '../src/reuse/reuse.js';
import { containerExists, docker, inspect, removeImages } from './docker.js';
import { Registry } from './registry.js';
import { type ActionRun, repoRoot, runAction } from './runner.js';

const registry = new Registry(5155);
const repository = 'h-failed/app';
/** A base that this action could have built: it carries an input key, which a failed image must not. */
const keyedBase = 'h-failed/keyed-base:1';
const baseKey = 'sha256:h-failed-base-key';

const vaultPassword = 'h-failed vault pass Q7!';
const appToken = 'h-failed-token-5e1d $ecret';
const vaulted = 'h-failed-vaulted-8c2a';
const scratch = path.join(repoRoot, '.tmp', 'h-failed');
const vaultFile = path.join(scratch, 'vault.yml');

const tasksFile = '__tests__/fixtures/failed/roles/app/tasks/main.yml';
const failedTask = 'app : Write a config with the secret that fails its validation';
const failedLine = 27;

const failingBuild = (inputs: Record<string, string> = {}) =>
  runAction({
    network: 'host',
    playbook: '__tests__/fixtures/failed/site.yml',
    'base-image': keyedBase,
    'extra-vars': `vault_file: ${vaultFile}`,
    'secret-vars': `app_token: "${appToken}"`,
    'vault-password': vaultPassword,
    tags: `${registry.host}/${repository}:1`,
    'keep-failed': 'true',
    ...inputs,
  });

/** The image keep-failed would have made of this run's container. */
const wouldBeKept = (run: ActionRun) =>
  `ansible-image-failed:${run.state.containerName.replace(/^ansible-image-/, '')}`;

const imageExists = (reference: string) => {
  try {
    docker('image', 'inspect', reference);
    return true;
  } catch {
    return false;
  }
};

/** The task's error annotation, as the step gives it with or without keep-failed. */
function expectTaskFailure(run: ActionRun): void {
  expect(run.exitCode, run.log).toBe(1);
  expect(run.log).toContain(
    `::error title=Task failed%3A ${failedTask.replace(':', '%3A')},file=${tasksFile},line=${failedLine}::Task "${failedTask}" failed (${tasksFile}:${failedLine}):`,
  );
  expect(run.log.match(/^::error/gm)).toHaveLength(1);
  expect(run.log).not.toMatch(/^::warning::Could not/m);
  expect(containerExists(run.state.containerName)).toBe(false);
}

beforeAll(async () => {
  mkdirSync(scratch, { recursive: true });
  const passwordFile = path.join(scratch, 'password');
  writeFileSync(passwordFile, vaultPassword, { mode: 0o600 });
  writeFileSync(
    vaultFile,
    execFileSync(
      'ansible-vault',
      ['encrypt_string', '--vault-password-file', passwordFile, vaulted, '--name', 'vaulted'],
      { encoding: 'utf8' },
    ),
  );
  rmSync(passwordFile);
  const container = docker('create', 'debian:bookworm-slim').trim();
  try {
    docker('commit', '--change', `LABEL ${KEY_LABEL}=${baseKey}`, container, keyedBase);
  } finally {
    docker('rm', container);
  }
  await registry.start();
});

afterAll(async () => {
  await registry.remove();
  removeImages(keyedBase);
  rmSync(scratch, { recursive: true, force: true });
});

describe('keep-failed', () => {
  it('keeps the container as the failed task left it, without a secret of ours, and pushes nothing', async () => {
    const run = await failingBuild({ push: 'true' });
    const kept = run.outputs['failed-image'];
    try {
      expectTaskFailure(run);
      expect(kept).toBe(wouldBeKept(run));
      expect(kept).toMatch(/^ansible-image-failed:[0-9a-f]{12}$/);

      // What the tasks before the failed one wrote, and nothing of the failed one.
      expect(docker('run', '--rm', '--entrypoint', 'cat', kept, '/etc/app/state')).toBe(
        'written before the failure\n',
      );
      expect(docker('run', '--rm', '--entrypoint', 'ls', kept, '/etc/app')).toBe('state\n');
      // Of ours, only what stays in a good build too: /packer-files, an empty mount point.
      expect(
        docker(
          'run',
          '--rm',
          '--entrypoint',
          'sh',
          kept,
          '-c',
          'ls -A /tmp /usr/local/sbin /etc/apt/apt.conf.d /packer-files',
        ),
      ).toBe(
        '/etc/apt/apt.conf.d:\n01autoremove\n70debconf\n\n/packer-files:\n\n/tmp:\n\n/usr/local/sbin:\n',
      );

      const image = inspect<{
        RepoTags: string[];
        Config: { Labels: Record<string, string>; Entrypoint: string[] | null; Cmd: string[] };
      }>(kept);
      expect(image.RepoTags).toEqual([kept]);
      expect(image.Config.Labels[FAILED_LABEL]).toBe(`${tasksFile}:${failedLine}`);
      expect(image.Config.Labels[KEY_LABEL]).toBe('');
      expect(image.Config.Labels[MANIFEST_LABEL]).toBe('');
      // The reuse lookup finds images by the key's exact value: the base only, never this one.
      expect(
        docker('images', '--quiet', '--no-trunc', '--filter', `label=${KEY_LABEL}=${baseKey}`)
          .trim()
          .split('\n'),
      ).toEqual([inspect<string>(keyedBase, '{{json .Id}}')]);
      // It runs like the base image, not like Packer's build container.
      expect(image.Config.Entrypoint).toEqual(['']);
      expect(image.Config.Cmd).toEqual(['bash']);
      expect(docker('run', '--rm', kept, 'cat', '/etc/app/state')).toBe(
        'written before the failure\n',
      );

      // Every byte of the image, config and layers: no secret, no file of the action's.
      const saved = execFileSync('docker', ['save', kept], { maxBuffer: 1 << 30 });
      for (const text of [
        appToken,
        vaultPassword,
        vaulted,
        Buffer.from(appToken).toString('base64'),
        'secret-vars.json',
        'extra-vars.json',
        'vault-password',
        'vault.yml',
        'executor.py',
        'protocol.py',
        'executor.sock',
        'proxy-host-key',
        'build.pkr.json',
        'events.jsonl',
      ])
        expect(saved.includes(text), text).toBe(false);
      expect(saved.includes('written before the failure')).toBe(true);

      expect(run.log).toContain(`Kept the failed build as ${kept} (sha256:`);
      expect(run.log).toContain(`Open it with: docker run --rm -it --entrypoint sh ${kept}\n`);
      expect(run.summary).toContain('### The failed build, kept');
      expect(run.summary).toContain(
        `, after the task at \` ${tasksFile}:${failedLine} \`; on this runner only (push-failed: false). Open it with:\n\n\`\`\`sh\ndocker run --rm -it --entrypoint sh ${kept}\n\`\`\``,
      );
      expect(await registry.tags(repository)).toEqual([]);
      expect(run.post.exitCode).toBe(0);
    } finally {
      removeImages(kept);
    }
  });

  it('pushes it to the first tag with -failed when push-failed is true', async () => {
    const run = await failingBuild({ 'push-failed': 'true' });
    const local = wouldBeKept(run);
    try {
      expectTaskFailure(run);
      const digest = await registry.digest(repository, '1-failed');
      expect(digest).toMatch(/^sha256:/);
      expect(run.outputs['failed-image']).toBe(`${registry.host}/${repository}:1-failed@${digest}`);
      expect(await registry.tags(repository)).toEqual(['1-failed']);
      // The tag in the user's repository was only for the push.
      expect(inspect<string[]>(local, '{{json .RepoTags}}')).toEqual([local]);
      expect(run.summary).toContain(
        `docker run --rm -it --entrypoint sh ${registry.host}/${repository}:1-failed@${digest}`,
      );
    } finally {
      removeImages(local, `${registry.host}/${repository}:1-failed`);
    }
  });

  it('keeps nothing with keep-failed: false', async () => {
    const run = await failingBuild({ 'keep-failed': 'false' });
    expectTaskFailure(run);
    expect(run.outputs['failed-image']).toBeUndefined();
    expect(imageExists(wouldBeKept(run))).toBe(false);
    expect(run.log).not.toContain('Kept the failed build');
    expect(run.summary).not.toContain('The failed build, kept');
  });

  it('warns, and keeps nothing, when the container cannot be cleaned of our files', async () => {
    const run = await failingBuild({ playbook: '__tests__/fixtures/failed/no-shell.yml' });
    expect(run.exitCode, run.log).toBe(1);
    expect(run.log.match(/^::error/gm)).toHaveLength(1);
    expect(run.log).toMatch(/^::error title=Task failed%3A Remove the shell and fail,/m);
    expect(run.log).toMatch(
      /^::warning::Could not keep the failed build as an image: the action's files could not be removed from the container first \(exit 12[67]\)/m,
    );
    expect(run.outputs['failed-image']).toBeUndefined();
    expect(imageExists(wouldBeKept(run))).toBe(false);
    expect(containerExists(run.state.containerName)).toBe(false);
  });

  it('keeps nothing when no task failed: Ansible refused its arguments', async () => {
    const run = await failingBuild({ 'ansible-args': '--no-such-option' });
    expect(run.exitCode, run.log).toBe(1);
    expect(run.log).toMatch(/^::error::Packer build failed: /m);
    expect(run.outputs['failed-image']).toBeUndefined();
    expect(imageExists(wouldBeKept(run))).toBe(false);
    expect(containerExists(run.state.containerName)).toBe(false);
  });

  it('keeps nothing for a bad input', async () => {
    const run = await failingBuild({ 'push-failed': 'true', 'keep-failed': 'false' });
    expect(run.exitCode).toBe(1);
    expect(run.log).toContain(
      '::error::Input "push-failed": true needs keep-failed: true, since it pushes what that keeps',
    );
    expect(run.outputs['failed-image']).toBeUndefined();
    expect(run.state.containerName).toBeUndefined();
  });
});
