import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretForms } from '../src/redact.js';
import { containerExists, docker, imageWith, removeImages } from './docker.js';
import { roleTarball } from './roles.js';
import { type ActionRun, commandsTheRunnerWouldProcess, repoRoot, runAction } from './runner.js';

// The build container is untrusted: its base image's /bin/sh runs as PID 1 and as root, and
// what the playbook installs runs too. These tests build hostile images that attack from
// there, and check that nothing of the runner's reaches the log, the summary, the outputs or
// the image, and that the build either succeeds or fails with a clear message.

const fixtures = '__tests__/fixtures/security';
const hostNetwork = { network: 'host' };
const images: string[] = [];
const scratch = mkdtempSync(path.join(os.tmpdir(), 'itg-security-'));
/** GitHub's runner user has uid 1001; a user that a playbook makes may get the same. */
const RUNNER_UID = 1001;
let runnerUser: string;
const PYTHON_BASE = 'itg/python-base:bookworm';

afterAll(() => {
  removeImages(...images);
  rmSync(scratch, { recursive: true, force: true });
});

beforeAll(() => {
  chmodSync(scratch, 0o755);
  runnerUser = userWithUid(RUNNER_UID);
  imageWith(PYTHON_BASE, 'debian:bookworm-slim', ['python3']);
});

/** A user with that uid and the docker group, as GitHub's runner user is; made if missing. */
function userWithUid(uid: number): string {
  try {
    return execFileSync('id', ['-nu', String(uid)], { encoding: 'utf8' }).trim();
  } catch {
    execFileSync('useradd', ['-m', '-u', String(uid), '-G', 'docker', 'itg-runner']);
    return 'itg-runner';
  }
}

/** Runs the action as the runner's user: the run's folders then belong to uid 1001. */
function runAsRunner(inputs: Record<string, string>): Promise<ActionRun> {
  const home = execFileSync('sh', ['-c', `getent passwd ${runnerUser} | cut -d: -f6`], {
    encoding: 'utf8',
  }).trim();
  return runAction(inputs, {
    user: runnerUser,
    env: {
      HOME: home,
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      RUNNER_TOOL_CACHE: path.join(home, 'tool-cache'),
    },
  });
}

/**
 * An image whose /bin/sh runs `attack` in the background when it is PID 1 (as in Packer's
 * build container), then behaves as dash.
 */
function hostileImage(tag: string, from: string, attack: string): string {
  const context = mkdtempSync(path.join(scratch, 'image-'));
  // COPY follows the /bin/sh -> dash link: the real dash goes elsewhere, the attack in its place.
  writeFileSync(
    path.join(context, 'real-dash'),
    execFileSync('docker', ['run', '--rm', '--entrypoint', 'cat', from, '/bin/dash']),
    { mode: 0o755 },
  );
  writeFileSync(
    path.join(context, 'sh'),
    `#!/usr/local/bin/real-dash\nif [ "$$" = 1 ]; then\n(\n${attack}\n) >/dev/null 2>&1 &\nfi\nexec /usr/local/bin/real-dash "$@"\n`,
    { mode: 0o755 },
  );
  writeFileSync(
    path.join(context, 'Dockerfile'),
    `FROM ${from}\nCOPY real-dash /usr/local/bin/real-dash\nCOPY sh /usr/bin/sh\n`,
  );
  docker('build', '-q', '-t', tag, context);
  images.push(tag);
  expect(docker('run', '--rm', '--entrypoint', 'cat', tag, '/bin/sh')).toContain('real-dash');
  return tag;
}

/** A file of the runner's that only its user may read, as ~/.docker/config.json is. */
function runnerSecret(owner?: number): { file: string; text: string } {
  const text = `LEAKED-${randomBytes(8).toString('hex')}`;
  // Named apart from its text: the hostile image holds the path, and must not hold the text.
  const file = path.join(scratch, `runner-secret-${randomBytes(4).toString('hex')}`);
  writeFileSync(file, `/bin/echo ${text}\n`, { mode: 0o600 });
  if (owner !== undefined) chownSync(file, owner, owner);
  return { file, text };
}

function expectNothingOf(run: ActionRun, secret: string): void {
  expect(run.log).not.toContain(secret);
  expect(run.summary).not.toContain(secret);
  expect(JSON.stringify(run.outputs)).not.toContain(secret);
  if (run.outputs['image-id']) {
    images.push(run.outputs['image-id']);
    expect(
      execFileSync(
        'sh',
        ['-c', `docker save '${run.outputs['image-id']}' | grep -ac '${secret}' || true`],
        {
          encoding: 'utf8',
        },
      ).trim(),
    ).toBe('0');
  }
}

/** The cached Pythons' folders, without the digests next to them. */
const pythonTrees = (cache: string) =>
  readdirSync(cache, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);

function expectCleanEnd(run: ActionRun): void {
  expect([0, 1]).toContain(run.exitCode);
  expect(run.log).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m); // no stack trace
  expect(run.post.exitCode).toBe(0);
  if (run.state.containerName) expect(containerExists(run.state.containerName)).toBe(false);
  expect(readdirSync(run.runnerTemp).filter((f) => f.startsWith('ansible-image-'))).toEqual([]);
}

describe('a hostile PID 1', () => {
  it('cannot make the runner read a file through a link in place of the Python marker', async () => {
    const secret = runnerSecret();
    const image = hostileImage(
      'itg/hostile:marker',
      'debian:bookworm-slim',
      `marker=/packer-files/ansible-image/python
while :; do
  if [ -f "$marker" ] && [ ! -L "$marker" ]; then ln -sfn '${secret.file}' "$marker"; break; fi
  sleep 0.01
done`,
    );
    const run = await runAction({
      ...hostNetwork,
      playbook: `${fixtures}/shared-folders.yml`,
      'base-image': image,
    });
    expectNothingOf(run, secret.text);
    expectCleanEnd(run);
  });

  it('cannot make the runner write or read through links to its files in the shared folder', async () => {
    // The runner answers the request for a Python there, and reads the leftovers' report.
    const secret = runnerSecret();
    const image = hostileImage(
      'itg/hostile:shared-links',
      'debian:bookworm-slim',
      `for name in python-answered leftovers services.json; do
  ln -sfn '${secret.file}' "/packer-files/ansible-image/$name"
done`,
    );
    const run = await runAction({
      ...hostNetwork,
      playbook: `${fixtures}/shared-folders.yml`,
      'base-image': image,
    });
    expect(readFileSync(secret.file, 'utf8')).toBe(`/bin/echo ${secret.text}\n`);
    expect(run.log).toMatch(/Could not read the services report: .* is not a regular file/);
    expectNothingOf(run, secret.text);
    expectCleanEnd(run);
  });

  it('cannot receive the token or a task by serving the executor’s socket as the runner’s uid', async () => {
    const image = hostileImage(
      'itg/hostile:socket',
      PYTHON_BASE,
      `exec setpriv --reuid=${RUNNER_UID} --regid=${RUNNER_UID} --clear-groups python3 -c '
import os, socket, time
path = "/packer-files/ansible-image/executor.sock"
while not os.path.exists(path):
    time.sleep(0.01)
os.rename(path, path + ".real")
impostor = socket.socket(socket.AF_UNIX)
impostor.bind(path)
os.chmod(path, 0o666)
impostor.listen(8)
while True:
    conn, _ = impostor.accept()
    print(conn.recv(65536), flush=True)
    conn.close()
'`,
    );
    const run = await runAsRunner({
      playbook: '__tests__/fixtures/raw/site.yml',
      'base-image': image,
      'extra-vars': JSON.stringify({ raw_command: 'true' }),
    });
    expect(run.exitCode).toBe(1);
    expect(run.log).toMatch(
      /is served by uid 1001, not by the executor as the build container's root: refusing to send it the task/,
    );
    expectCleanEnd(run);
  });
});

describe('the folders that the build container shares with the runner', () => {
  it('keep the cached Python read-only, and hand back what root left in Packer’s folder', async () => {
    const run = await runAsRunner({
      ...hostNetwork,
      playbook: `${fixtures}/shared-folders.yml`,
    });
    expect(run.exitCode, run.log).toBe(0);
    const id = run.outputs['image-id'];
    images.push(id);
    expect(docker('run', '--rm', id, 'cat', '/poison-rc').trim()).not.toBe('0');
    const home = execFileSync('sh', ['-c', `getent passwd ${runnerUser} | cut -d: -f6`], {
      encoding: 'utf8',
    }).trim();
    const cache = path.join(home, 'tool-cache', 'ansible-image', 'python');
    const trees = pythonTrees(cache);
    expect(trees.length).toBeGreaterThan(0);
    for (const tree of trees)
      expect(existsSync(path.join(cache, tree, 'root', 'poison'))).toBe(false);
    // A root-owned folder in Packer's folder went with the run's folder, without a warning.
    expect(run.log).not.toContain("Could not remove the run's folder");
    expectCleanEnd(run);
  });

  it('throw away a cached Python that changed since it was made, and make it again', async () => {
    const toolCache = mkdtempSync(path.join(scratch, 'tool-cache-'));
    const build = () =>
      runAction(
        { ...hostNetwork, playbook: '__tests__/fixtures/python-outside/site.yml' },
        { env: { RUNNER_TOOL_CACHE: toolCache } },
      );
    const first = await build();
    expect(first.exitCode, first.log).toBe(0);
    images.push(first.outputs['image-id']);
    const cache = path.join(toolCache, 'ansible-image', 'python');
    const [tree] = pythonTrees(cache);
    // As a build that could write there would have done it.
    writeFileSync(path.join(cache, tree, 'root', 'usr', 'lib', 'poisoned.py'), 'import os\n');
    const second = await build();
    expect(second.exitCode, second.log).toBe(0);
    images.push(second.outputs['image-id']);
    expect(second.log).toContain("Unpacking the base image's python3 into the runner's cache");
    expect(existsSync(path.join(cache, tree, 'root', 'usr', 'lib', 'poisoned.py'))).toBe(false);
  });
});

describe('secrets', () => {
  it('are masked in every form that Ansible prints them, with every debug switch on', async () => {
    const secrets = {
      pin: 84726153,
      quoted: `say "hi" \\ back-${randomBytes(4).toString('hex')}`,
      multi: `first-line-${randomBytes(4).toString('hex')}\nsecond-line-grüße\n`,
    };
    const run = await runAction(
      {
        ...hostNetwork,
        playbook: `${fixtures}/secrets.yml`,
        'secret-vars': JSON.stringify(secrets),
        'ansible-args': '-vvv',
      },
      { env: { RUNNER_DEBUG: '1' } },
    );
    expect(run.exitCode, run.log).toBe(0);
    const id = run.outputs['image-id'];
    images.push(id);
    const masked = run.log.split('\n').filter((line) => line.startsWith('::add-mask::'));
    const unmasked = run.log
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
    // They were printed (as ***): the test would prove nothing otherwise.
    expect(unmasked).toMatch(/"item": "\*\*\*"/);
    for (const value of Object.values(secrets)) {
      for (const form of secretForms(String(value))) {
        expect(unmasked).not.toContain(form);
        expect(run.summary).not.toContain(form);
      }
      expect(masked.length).toBeGreaterThan(0);
    }
    // The rendered file is the playbook's to keep; the async job's files and Ansible's local
    // temp folder are not.
    expect(docker('run', '--rm', id, 'cat', '/pin.txt')).toBe('pin=84726153');
    const listing = (image: string) =>
      docker(
        'run',
        '--rm',
        image,
        'sh',
        '-c',
        'ls -A /root /tmp /root/.ansible* 2>/dev/null; true',
      );
    expect(listing(id)).toBe(listing('debian:bookworm-slim'));
    expectCleanEnd(run);
  });
});

describe('output from the build container', () => {
  it('stays inert in the summary, and one huge line costs no memory', async () => {
    // A heap too small to hold the 50 MB line even once (as a JS string, twice its bytes).
    const run = await runAction(
      { playbook: `${fixtures}/inert.yml`, python: 'never', 'ansible-args': '-v' },
      { env: { NODE_OPTIONS: '--max-old-space-size=80' } },
    );
    expect(run.exitCode).toBe(1);
    const longest = Math.max(...run.log.split('\n').map((line) => line.length));
    expect(longest).toBeLessThan(70_000);
    expect(run.log).toMatch(/… \(\d+ more characters of this line not shown\)/);
    // Every line of the summary that holds the task's markup holds it in code: a code span,
    // or a fenced block that the markup cannot close.
    let fence = '';
    let outside = 0;
    for (const line of run.summary.split('\n')) {
      // A fence opens only where no backtick follows it on the line (CommonMark).
      const opens = /^(`{3,})[^`]*$/.exec(line)?.[1];
      if (fence) {
        if (line === fence) fence = '';
        continue;
      }
      if (opens) {
        fence = opens;
        continue;
      }
      if (!/<img|<script|\[link\]/.test(line)) continue;
      outside++;
      expect(line).toMatch(/(`+) [^`]*(<img|<script|\[link\]).* \1/);
    }
    expect(outside).toBeGreaterThan(0);
    expect(fence, run.summary).toBe('');
    expect(commandsTheRunnerWouldProcess(run.log)).not.toContain('::error::injected');
    expectCleanEnd(run);
  });

  it('from ansible-galaxy is not taken for workflow commands', async () => {
    const folder = path.join(repoRoot, '.tmp', 'security-galaxy');
    rmSync(folder, { recursive: true, force: true });
    const tarball = roleTarball(folder, 'r', '- ansible.builtin.raw: "true"\n');
    // Galaxy prints the name on lines of their own, which begin with the command.
    writeFileSync(
      path.join(folder, 'requirements.yml'),
      `roles:\n  - src: file://${tarball}\n    name: "x\\n::error::injected\\n::add-mask::docker"\n`,
    );
    try {
      const run = await runAction({
        playbook: '__tests__/fixtures/raw/site.yml',
        python: 'never',
        'galaxy-file': path.relative(repoRoot, path.join(folder, 'requirements.yml')),
        'extra-vars': JSON.stringify({ raw_command: 'true' }),
      });
      expect(run.log).toContain('::error::injected'); // it was there, inert
      const processed = commandsTheRunnerWouldProcess(run.log);
      expect(processed).not.toContain('::error::injected');
      expect(processed.filter((line) => line.startsWith('::add-mask::docker'))).toEqual([]);
      if (run.outputs['image-id']) images.push(run.outputs['image-id']);
      expectCleanEnd(run);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
