import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { containerExists, docker } from './docker.js';
import { waitFor } from './wait.js';
import {
  type ActionRun,
  type StartedAction,
  commandsTheRunnerWouldProcess,
  repoRoot,
  runAction,
  startAction,
} from './runner.js';

const raw = (command: string, extra: Record<string, string> = {}) => ({
  playbook: '__tests__/fixtures/raw/site.yml',
  python: 'never',
  'extra-vars': JSON.stringify({ raw_command: command }),
  ...extra,
});

function expectCleanFailure(run: ActionRun): void {
  expect(run.exitCode).toBe(1);
  expect(run.outputs['image-id']).toBeUndefined();
  expect(run.log).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m); // no stack trace
  expect(run.post.exitCode).toBe(0);
  if (run.state.containerName) expect(containerExists(run.state.containerName)).toBe(false);
  expect(readdirSync(run.runnerTemp).filter((f) => f.startsWith('ansible-image-'))).toEqual([]);
}

/** Started runs that a failed test left behind: killed, then cleaned up by their post step. */
const started = new Set<StartedAction>();
function start(inputs: Record<string, string>): StartedAction {
  const action = startAction(inputs);
  started.add(action);
  return action;
}
afterEach(async () => {
  for (const action of started) {
    if (action.child.exitCode === null) process.kill(-(action.child.pid as number), 'SIGKILL');
    await action.finish();
  }
  started.clear();
});

async function timed<T>(body: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await body();
  return [result, (performance.now() - started) / 1000];
}

describe('an unreachable Docker engine fails fast with what to do', () => {
  const silent = net.createServer(() => undefined); // accepts, never answers
  afterAll(() => silent.close());

  it.each([
    [
      'no socket',
      'unix:///nonexistent/docker.sock',
      /there is no socket there\. Start the Docker engine/,
    ],
    ['refused TCP', 'tcp://127.0.0.1:1', /the connection was refused/],
    [
      'a bad DOCKER_HOST',
      'bogus-host-value',
      /DOCKER_HOST "bogus-host-value" is not a Docker engine address/,
    ],
    [
      'a host name that does not resolve',
      'tcp://no-such-host.invalid:2375',
      /host name does not resolve/,
    ],
  ])('%s', async (_case, dockerHost, reason) => {
    const [run, seconds] = await timed(() =>
      runAction(raw('true'), { env: { DOCKER_HOST: dockerHost } }),
    );
    expect(run.log).toMatch(/::error::Cannot reach the Docker engine at |::error::DOCKER_HOST/);
    expect(run.log).toMatch(reason);
    expect(seconds).toBeLessThan(10);
    expectCleanFailure(run);
  });

  it('an engine that does not answer', async () => {
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const [run, seconds] = await timed(() =>
      runAction(raw('true'), { env: { DOCKER_HOST: `tcp://127.0.0.1:${port}` } }),
    );
    expect(run.log).toMatch(
      /Cannot reach the Docker engine at tcp:\/\/127\.0\.0\.1:\d+: no answer within 8 s/,
    );
    expect(seconds).toBeLessThan(10);
    expectCleanFailure(run);
  });

  it('an engine that stops answering after the version check', async () => {
    // Answers /version as an engine would, then nothing: the image lookup must not wait forever.
    const stalling = http.createServer((request, response) => {
      if (request.url?.endsWith('/version'))
        response.end(JSON.stringify({ Version: '20.10.24', ApiVersion: '1.41' }));
    });
    await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
    const { port } = stalling.address() as net.AddressInfo;
    try {
      const run = await runAction(raw('true'), {
        env: { DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_CLIENT_TIMEOUT: '1500' },
      });
      expect(run.log).toMatch(
        /::error::Cannot inspect image debian:bookworm-slim: the engine sent nothing for 1\.5 s, or closed the connection/,
      );
      expectCleanFailure(run);
    } finally {
      stalling.closeAllConnections();
      stalling.close();
    }
  });

  it('permission denied on the socket', async () => {
    const run = await runAction(raw('true'), {
      user: 'nobody',
      env: { PATH: '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin', HOME: '/tmp' },
    });
    expect(run.log).toMatch(/permission denied on the socket\. Run as a user in the docker group/);
    expectCleanFailure(run);
  });
});

describe('faults during the build', () => {
  it('Packer killed mid-build: the real cause, no outputs, no container', async () => {
    const action = start(raw('sleep 60'));
    const container = await waitFor(() => runningBuildContainer(action));
    // Packer is up once its container is; kill the packer process we started (retrying if
    // the one we found had just handed over to another).
    await waitFor(() => {
      const packer = childNamed(action.child.pid as number, 'packer');
      if (!packer) return undefined;
      try {
        process.kill(packer, 'SIGKILL');
        return true;
      } catch {
        return undefined;
      }
    });
    const run = await action.finish();
    started.delete(action);
    // Killing Packer's panic-wrapper parent ends with a signal; its worker, with an exit code.
    expect(run.log).toMatch(
      /::error::(Packer was killed by SIGKILL|Packer build failed: Packer exited with code \d+ before finishing the build)/,
    );
    expect(containerExists(container)).toBe(false);
    expectCleanFailure(run);
  });

  it('a full disk (ENOSPC): the real cause, no outputs, nothing left', async () => {
    const mount = mkdtempSync(path.join(os.tmpdir(), 'itg-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mount]);
    try {
      // Fill it up, leaving the folder itself usable: the action's writes must fail.
      try {
        writeFileSync(path.join(mount, 'filler'), Buffer.alloc(1024 * 1024));
      } catch {
        // ENOSPC: full, as intended
      }
      const run = await runAction(raw('true'), { env: { RUNNER_TEMP: mount } });
      expect(run.exitCode).toBe(1);
      expect(run.log).toMatch(
        /::error::Cannot write the build files to .*: ENOSPC: no space left on device/,
      );
      expect(run.outputs['image-id']).toBeUndefined();
      expect(run.post.exitCode).toBe(0);
      expect(readdirSync(mount)).toEqual(['filler']);
      if (run.state.containerName) expect(containerExists(run.state.containerName)).toBe(false);
    } finally {
      execFileSync('umount', [mount]);
      rmSync(mount, { recursive: true, force: true });
    }
  });
});

describe('cancellation', () => {
  it('SIGINT, then SIGTERM as the runner sends them: Packer stops and the container goes within 10 s', async () => {
    const action = start(raw('sleep 60'));
    const container = await waitFor(() => runningBuildContainer(action));
    await waitFor(() => (playbookRunning(container) ? true : undefined));
    const signalled = performance.now();
    process.kill(action.child.pid as number, 'SIGINT');
    const sigterm = setTimeout(() => action.child.kill('SIGTERM'), 7500);
    await waitFor(() => (containerExists(container) ? undefined : true), 10_000);
    expect((performance.now() - signalled) / 1000).toBeLessThan(10);
    const run = await action.finish();
    started.delete(action);
    clearTimeout(sigterm);
    expect(run.log).toContain(
      '::error::Cancelled (SIGINT): Packer stopped; the build container is removed',
    );
    expectCleanFailure(run);
  });

  it('a hard kill: the post step removes the container and every file of the run', async () => {
    const action = start(raw('sleep 60'));
    const container = await waitFor(() => runningBuildContainer(action));
    await waitFor(() => (playbookRunning(container) ? true : undefined));
    process.kill(-(action.child.pid as number), 'SIGKILL'); // the whole process group
    const run = await action.finish();
    started.delete(action);
    expect(run.exitCode).toBe(-1);
    expect(run.state.containerName).toBe(container);
    expect(run.post.exitCode).toBe(0);
    expect(run.post.log).toContain(`Removed container ${container}`);
    expect(containerExists(container)).toBe(false);
    expect(existsSync(run.state.runDirectory)).toBe(false);
    expect(readdirSync(run.runnerTemp).filter((f) => f.startsWith('ansible-image-'))).toEqual([]);
  });
});

describe('secrets', () => {
  const vaultPassword = 'vault-pass-Zq8!x y';
  const secretToken = 'tok-7f3a9c secret/with $pecial {{ chars }}';
  const vaulted = 'vaulted-value-91b2';
  const scratch = path.join(repoRoot, '.tmp', 'secrets');

  it('never appear in logs, summary, outputs or files, even with every debug switch on', async () => {
    mkdirSync(scratch, { recursive: true });
    const passwordFile = path.join(scratch, 'password');
    writeFileSync(passwordFile, vaultPassword, { mode: 0o600 });
    const vaultFile = path.join(scratch, 'vault.yml');
    writeFileSync(
      vaultFile,
      execFileSync(
        'ansible-vault',
        ['encrypt_string', '--vault-password-file', passwordFile, vaulted, '--name', 'vaulted'],
        {
          encoding: 'utf8',
        },
      ),
    );
    rmSync(passwordFile);
    try {
      const run = await runAction(
        {
          playbook: '__tests__/fixtures/secrets/site.yml',
          python: 'never',
          'extra-vars': `vault_file: ${vaultFile}`,
          'secret-vars': `secret_token: "${secretToken.replace(/"/g, '\\"')}"`,
          'vault-password': vaultPassword,
          'ansible-args': '-vvv',
        },
        { env: { RUNNER_DEBUG: '1', DEBUG: '*', PACKER_LOG: '1' } },
      );
      expect(run.exitCode, run.log).toBe(0);
      const id = run.outputs['image-id'];
      try {
        expect(docker('run', '--rm', id, 'cat', '/secret-token')).toBe(secretToken);
        expect(docker('run', '--rm', id, 'cat', '/vaulted')).toBe(vaulted);
      } finally {
        docker('image', 'rm', id);
      }
      const masked = run.log.split('\n').filter((line) => line.startsWith('::add-mask::'));
      const unmasked = run.log
        .split('\n')
        .filter((line) => !line.startsWith('::add-mask::'))
        .join('\n');
      for (const secret of [vaultPassword, secretToken]) {
        const forms = [secret, Buffer.from(secret).toString('base64')];
        expect(masked.join('\n')).toContain(secret);
        for (const form of forms) {
          expect(unmasked).not.toContain(form);
          expect(run.summary).not.toContain(form);
          expect(JSON.stringify(run.outputs)).not.toContain(form);
        }
      }
      // The vaulted value is not ours to know: with -vvv Ansible's docker connection logs the
      // commands it runs, no_log or not. It arrives, and that is all we check of it.
      expect(existsSync(run.state.runDirectory)).toBe(false);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describe('workflow commands in the playbook output', () => {
  it('cannot set outputs or masks: command processing is stopped while it streams', async () => {
    const evil = [
      '::set-output name=image-id::evil',
      '::add-mask::docker',
      '::error::injected',
      '::group::injected',
    ];
    const run = await runAction({
      ...raw(evil.map((line) => `echo '${line}'`).join('; ')),
      'ansible-args': '-v', // so that Ansible prints the command's output
    });
    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs['image-id']).toMatch(/^sha256:/);
    const processed = commandsTheRunnerWouldProcess(run.log);
    for (const line of evil) expect(processed).not.toContain(line);
    expect(run.log).toContain('::set-output name=image-id::evil'); // it was there, inert
    docker('image', 'rm', run.outputs['image-id']);
  });
});

function descendants(pid: number): Array<{ pid: number; ppid: number; command: string }> {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,comm='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .map(([p, pp, command]) => ({ pid: Number(p), ppid: Number(pp), command }));
  const found: typeof table = [];
  const walk = (parent: number) => {
    for (const row of table.filter((r) => r.ppid === parent)) {
      found.push(row);
      walk(row.pid);
    }
  };
  walk(pid);
  return found;
}

/** A direct child: Packer's own plugin processes are called packer too. */
function childNamed(pid: number, command: string): number | undefined {
  return descendants(pid).find((p) => p.ppid === pid && p.command === command)?.pid;
}

/** The build container, once this run has named it and Packer has started it. */
function runningBuildContainer(action: StartedAction): string | undefined {
  const name = action.state().containerName;
  return name && containerExists(name) ? name : undefined;
}

function playbookRunning(container: string): boolean {
  try {
    return docker('top', container).includes('sleep 60');
  } catch {
    return false; // created, not started yet
  }
}
