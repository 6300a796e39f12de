import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerExists, docker, imageWith, inspect, removeImages } from './docker.js';
import { waitFor } from './wait.js';
import { type ActionRun, runAction } from './runner.js';

// Playbooks that manage daemons, built the way they configure a VM (issue 13): the action's
// build-time service manager runs what the playbook starts, stops it all before the commit, and
// leaves neither itself nor any process state in the image.

const fixtures = '__tests__/fixtures/services';
const baseImage = 'debian:bookworm-slim';
const systemdBase = 'itg/systemd-base:bookworm';
const hostNetwork = { network: 'host' };
const images: string[] = [];
const containers: string[] = [];

interface ServiceReport {
  name: string;
  state: 'active' | 'inactive' | 'failed';
  enabled: string;
}

interface RunConfig {
  service: string;
  cmd: string[];
  user?: string;
  workdir?: string;
  env?: unknown;
  supervisor: boolean;
}

interface Metadata {
  services?: ServiceReport[];
  runConfig?: RunConfig;
  tasks: Array<{ name: string; status: string }>;
}

interface ImageConfig {
  Entrypoint: string[] | null;
  Cmd: string[] | null;
  User: string;
  WorkingDir: string;
  Env: string[] | null;
}

function built(run: ActionRun): string {
  if (run.exitCode !== 0) throw new Error(`the action failed:\n${run.log}`);
  images.push(run.outputs['image-id']);
  return run.outputs['image-id'];
}

function metadata(run: ActionRun): Metadata {
  return JSON.parse(run.outputs.metadata) as Metadata;
}

function expectNothingLeft(run: ActionRun): void {
  expect(run.post.exitCode).toBe(0);
  if (run.state.containerName) expect(containerExists(run.state.containerName)).toBe(false);
  if (run.state.runDirectory) expect(existsSync(run.state.runDirectory)).toBe(false);
  expect(readdirSync(run.runnerTemp).filter((f) => f.startsWith('ansible-image-'))).toEqual([]);
}

/** What the failed task and the action said about the failure: not the rest of the log. */
function failureLines(run: ActionRun): string {
  return run.log
    .split('\n')
    .filter((line) => /fatal: \[|FAILED!|::error/.test(line))
    .join('\n');
}

function expectCleanFailure(run: ActionRun): void {
  expect(run.exitCode).toBe(1);
  expect(run.outputs['image-id']).toBeUndefined();
  expect(run.log).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m); // no stack trace
  expectNothingLeft(run);
}

/** A command in a throwaway container of the image, whatever its entrypoint and command. */
function inImage(image: string, ...argv: string[]): string {
  return docker('run', '--rm', '--entrypoint', argv[0], image, ...argv.slice(1));
}

/** What is under /run (and /var/run, its link on Debian) in a fresh container of the image. */
function runListing(image: string): string[] {
  return inImage(image, 'sh', '-c', 'find /run /var/run/ 2>/dev/null | sort').trim().split('\n');
}

/** The symlinks that enabling units (systemd and SysV alike) makes, as `path -> target`. */
const LINKS_SCRIPT =
  "find /etc/systemd /etc/rc0.d /etc/rc1.d /etc/rc2.d /etc/rc3.d /etc/rc4.d /etc/rc5.d /etc/rc6.d /etc/rcS.d -type l -printf '%p -> %l\\n' 2>/dev/null | sort";

function links(image: string): string[] {
  return inImage(image, 'sh', '-c', LINKS_SCRIPT).trim().split('\n');
}

function sha256(image: string, file: string): string {
  return inImage(image, 'sha256sum', file).split(' ')[0];
}

/** `docker run -d --network host IMAGE ...`, removed after the file's tests. */
function startContainer(image: string, ...args: string[]): string {
  const id = docker('run', '-d', '--network', 'host', image, ...args).trim();
  containers.push(id);
  return id;
}

/** The body of the first answer from the URL, polling while the server comes up. */
async function fetchText(url: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return await response.text();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${url} did not answer: ${String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

afterAll(() => {
  for (const id of containers) {
    try {
      docker('rm', '--force', id);
    } catch {
      // already gone
    }
  }
  removeImages(...images);
});

describe('a playbook of service roles', () => {
  const tag = 'itg/services:site';
  let run: ActionRun;
  let id: string;

  beforeAll(async () => {
    run = await runAction({
      ...hostNetwork,
      playbook: `${fixtures}/site.yml`,
      'base-image': baseImage,
      tags: tag,
    });
    id = built(run);
    images.push(tag);
  });

  it('builds, and reports each service that the playbook touched, its last state and whether it is enabled', () => {
    expect(metadata(run).services).toEqual(
      expect.arrayContaining([
        { name: 'nginx.service', state: 'active', enabled: 'enabled' },
        // The role stopped it once its data was saved.
        { name: 'redis-server.service', state: 'inactive', enabled: 'enabled' },
        { name: 'caddy.service', state: 'active', enabled: 'enabled' },
        { name: 'ticker@alpha.service', state: 'active', enabled: 'enabled' },
        { name: 'stubborn.service', state: 'active', enabled: 'disabled' },
      ]),
    );
    expect(run.summary).toMatch(/^#+ Services$/m);
    for (const name of ['nginx', 'redis-server', 'caddy', 'ticker@alpha', 'stubborn'])
      expect(run.summary).toContain(name);
  });

  it('runs every restart handler, which waits for the stopped daemon (a zombie before)', () => {
    const handlers = metadata(run).tasks.filter((task) => / : restart /.test(task.name));
    expect(handlers.map((task) => task.name)).toEqual(
      expect.arrayContaining([
        'caddy : restart caddy',
        'kv : restart redis',
        'web : restart nginx',
      ]),
    );
    for (const handler of handlers) expect(handler.status, handler.name).toBe('changed');
    expect(run.log).not.toMatch(/failed!$/m); // start-stop-daemon's "Stopping nginx: nginx failed!"
  });

  it('kills the daemon that ignores SIGTERM, and names it', () => {
    const lines = run.log.split('\n').filter((line) => line.includes('stubborn'));
    expect(lines.some((line) => /warning/i.test(line) && /kill/i.test(line))).toBe(true);
  });

  it('adds exactly one layer to the base image', () => {
    const layers = (reference: string) => inspect<string[]>(reference, '{{json .RootFS.Layers}}');
    expect(layers(id).length).toBe(layers(baseImage).length + 1);
    expect(layers(id).slice(0, -1)).toEqual(layers(baseImage));
  });

  it('leaves no service manager in the image', () => {
    expect(() => docker('run', '--rm', id, 'sh', '-c', 'command -v systemctl')).toThrow();
    expect(inImage(id, 'ls', '-A', '/usr/local/sbin')).toBe(
      inImage(baseImage, 'ls', '-A', '/usr/local/sbin'),
    );
  });

  it('leaves nothing under /run that the base image lacked', () => {
    expect(runListing(id)).toEqual(runListing(baseImage));
  });

  it('keeps the links that enabling the units made, and none for the unit never enabled', () => {
    const found = links(id);
    expect(found).toEqual(
      expect.arrayContaining([
        '/etc/systemd/system/multi-user.target.wants/nginx.service -> /lib/systemd/system/nginx.service',
        '/etc/systemd/system/multi-user.target.wants/redis-server.service -> /lib/systemd/system/redis-server.service',
        // redis-server.service's [Install] has Alias=redis.service.
        '/etc/systemd/system/redis.service -> /lib/systemd/system/redis-server.service',
        '/etc/systemd/system/multi-user.target.wants/caddy.service -> /lib/systemd/system/caddy.service',
        '/etc/systemd/system/multi-user.target.wants/ticker@alpha.service -> /etc/systemd/system/ticker@.service',
      ]),
    );
    expect(found.filter((line) => line.includes('stubborn'))).toEqual([]);
  });

  it('keeps the data that the role loaded through its running server', async () => {
    expect(inImage(id, 'sh', '-c', 'test -s /var/lib/redis/dump.rdb && echo saved').trim()).toBe(
      'saved',
    );
    const redis = startContainer(id, 'redis-server', '/etc/redis/redis.conf', '--daemonize', 'no');
    const greeting = await waitFor(() => {
      try {
        return (
          docker('exec', redis, 'redis-cli', '-p', '6390', 'get', 'greeting').trim() || undefined
        );
      } catch {
        return undefined;
      }
    });
    expect(greeting).toBe('hello');
    docker('rm', '--force', redis);
  });

  it('serves the templated site from nginx when the image runs it', async () => {
    const nginx = startContainer(id, 'nginx', '-g', 'daemon off;');
    const page = await fetchText('http://127.0.0.1:8081/');
    expect(page).toContain('Served by nginx');
    expect(page).toContain('service manager: systemd');
    docker('rm', '--force', nginx);
  });

  it('leaves no container or temporary file behind', () => expectNothingLeft(run));
});

describe('cmd-from-service', () => {
  it.each([
    // A Type=notify unit with User=, a drop-in and an EnvironmentFile.
    { service: 'caddy', playbook: 'caddy-cmd.yml', port: 8082, text: 'Hello from Caddy' },
    // Type=forking with PIDFile=, ExecStartPre= and ExecStop=: needs the supervisor.
    {
      service: 'nginx',
      playbook: 'nginx-cmd.yml',
      port: 8081,
      text: 'Served by nginx',
      supervisor: true,
    },
    // An init script only, which daemonizes: needs the supervisor.
    {
      service: 'mini-httpd',
      playbook: 'initscript-cmd.yml',
      port: 8083,
      text: 'Served by mini_httpd',
      supervisor: true,
    },
  ])(
    '$service: docker run serves in the foreground and docker stop ends it cleanly',
    async ({ service, playbook, port, text, supervisor }) => {
      const run = await runAction({
        ...hostNetwork,
        playbook: `${fixtures}/${playbook}`,
        'base-image': baseImage,
        'cmd-from-service': service,
      });
      const id = built(run);
      const runConfig = metadata(run).runConfig as RunConfig;
      expect(runConfig.service).toBe(`${service}.service`);
      if (supervisor) expect(runConfig.supervisor).toBe(true);
      const config = inspect<ImageConfig>(id, '{{json .Config}}');
      expect(config.Cmd).toEqual(runConfig.cmd);
      expect(config.User ?? '').toBe(runConfig.user ?? '');
      if (runConfig.workdir) expect(config.WorkingDir).toBe(runConfig.workdir);
      if (service === 'caddy') expect(config.User).toBe('caddy:caddy');
      expect(run.summary).toContain(`${service}.service`);
      expect(run.summary).toContain(runConfig.cmd[0]);
      // The image depends on nothing of the build: no manager, no canary.
      expect(() =>
        docker('run', '--rm', '--entrypoint', 'sh', id, '-c', 'command -v systemctl'),
      ).toThrow();
      expect(runListing(id)).toEqual(runListing(baseImage));

      const container = startContainer(id);
      expect(await fetchText(`http://127.0.0.1:${port}/`)).toContain(text);
      docker('stop', container);
      const state = JSON.parse(
        docker('container', 'inspect', '--format', '{{json .State}}', container),
      ) as {
        Running: boolean;
        ExitCode: number;
      };
      expect(state.Running).toBe(false);
      expect([0, 143]).toContain(state.ExitCode); // 137: Docker had to kill it
      // Nothing else held the port: the service stopped with the container's main process.
      await expect(fetchText(`http://127.0.0.1:${port}/`, 500)).rejects.toThrow();
      expectNothingLeft(run);
    },
  );

  it.each([
    ['a oneshot unit with two ExecStart lines', 'twice', [/twice\.service/, /ExecStart/]],
    ['a service that has no unit and no init script', 'no-such-service', [/no-such-service/]],
  ])('fails clearly before the commit for %s', async (_case, service, messages) => {
    const run = await runAction({
      ...hostNetwork,
      playbook: `${fixtures}/several-exec.yml`,
      'base-image': baseImage,
      'cmd-from-service': service,
    });
    for (const message of messages) expect(failureLines(run)).toMatch(message);
    expectCleanFailure(run);
  });
});

describe('faults in units fail the task with the manager’s message', () => {
  it.each([
    [
      'an unbalanced quote',
      'bad-unit.yml',
      [/\/etc\/systemd\/system\/broken\.service/, /broken\.service:6\b|line 6\b/],
    ],
    [
      'a program that does not exist',
      'missing-exec.yml',
      [/\/etc\/systemd\/system\/missing\.service/, /\/usr\/bin\/does-not-exist/],
    ],
    [
      'a forking unit whose pid file never appears',
      'forking-nopid.yml',
      [/\/etc\/systemd\/system\/nopid\.service/, /\/run\/nopid\/nopid\.pid/],
    ],
  ])('%s', async (_case, playbook, messages) => {
    const run = await runAction({
      ...hostNetwork,
      playbook: `${fixtures}/${playbook}`,
      'base-image': baseImage,
    });
    for (const message of messages) expect(failureLines(run)).toMatch(message);
    expectCleanFailure(run);
  });
});

describe('on a base image that has systemd installed', () => {
  let run: ActionRun;
  let id: string;

  beforeAll(async () => {
    imageWith(systemdBase, baseImage, ['systemd']);
    run = await runAction({
      ...hostNetwork,
      playbook: `${fixtures}/links.yml`,
      'base-image': systemdBase,
    });
    id = built(run);
  });

  it('leaves the links that systemctl enable and disable make', () => {
    // The same unit files, enabled and disabled by the real systemctl (offline) in a container
    // of the same base.
    const units = execFileSync(
      'docker',
      [
        'run',
        '--rm',
        '--entrypoint',
        'tar',
        id,
        '-C',
        '/etc/systemd/system',
        '-cf',
        '-',
        'greeter.service',
        'greeter-cleanup.service',
        'greeter-cleanup.timer',
        'ticker@.service',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const reference = execFileSync(
      'docker',
      [
        'run',
        '-i',
        '--rm',
        systemdBase,
        'sh',
        '-c',
        `tar -xf - -C /etc/systemd/system && systemctl --quiet enable greeter.service ticker@alpha.service && systemctl --quiet disable e2scrub_reap.service && ${LINKS_SCRIPT}`,
      ],
      { input: units, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] },
    )
      .trim()
      .split('\n');
    expect(reference).toContain(
      '/etc/systemd/system/multi-user.target.wants/ticker@alpha.service -> /etc/systemd/system/ticker@.service',
    );
    expect(links(id)).toEqual(reference);
  });

  it('reports the units with their states', () => {
    expect(metadata(run).services).toEqual(
      expect.arrayContaining([
        { name: 'greeter.service', state: 'active', enabled: 'enabled' },
        { name: 'ticker@alpha.service', state: 'active', enabled: 'enabled' },
        { name: 'e2scrub_reap.service', state: 'inactive', enabled: 'disabled' },
      ]),
    );
  });

  it('finds the image’s own systemctl unchanged', () => {
    expect(inImage(id, 'sh', '-c', 'command -v systemctl').trim()).toBe('/usr/bin/systemctl');
    expect(sha256(id, '/usr/bin/systemctl')).toBe(sha256(systemdBase, '/usr/bin/systemctl'));
    expect(inImage(id, 'ls', '-A', '/usr/local/sbin')).toBe(
      inImage(systemdBase, 'ls', '-A', '/usr/local/sbin'),
    );
  });

  it('leaves nothing under /run that the base image lacked, and keeps what it had', () => {
    const listing = runListing(id);
    expect(listing).toEqual(runListing(systemdBase));
    expect(listing).toContain('/run/systemd');
    expect(listing).not.toContain('/run/systemd/system');
  });

  it('leaves no container or temporary file behind', () => expectNothingLeft(run));
});
