// Benchmarks: the action against docker build, plain ansible-playbook and Packer's SSH proxy,
// side by side in one run on the same engine and base image. Prints ratios; writes
// bench/RESULTS.md and bench/scaling.svg. Not part of the tests. Run: bash bench/run.sh
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  TOOL_CACHE,
  docker,
  log,
  out,
  redisDockerfile,
  redisSteps,
  root,
  runAction,
  seconds,
  sh,
} from './harness.mjs';

const BASE = process.env.BENCH_BASE_IMAGE || 'debian:bookworm-slim';
const SIZES = [0, 10, 30, 100];
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
// Empty at the start, so that every run measures the same.
const PYTHON_CACHE = path.join(TOOL_CACHE, 'ansible-image', 'python');
rmSync(TOOL_CACHE, { recursive: true, force: true });

// ---- inputs -----------------------------------------------------------------------------
function playbook(kind, n) {
  const task = (i) =>
    kind === 'command'
      ? `    - name: task ${i}\n      ansible.builtin.command: "true"\n      changed_when: false\n`
      : `    - name: task ${i}\n      ansible.builtin.copy:\n        content: "file ${i}\\n"\n        dest: /opt/bench-${i}.txt\n        mode: "0644"\n`;
  const file = path.join(out, `${kind}-${n}.yml`);
  const tasks = n === 0 ? ' []\n' : `\n${Array.from({ length: n }, (_, i) => task(i)).join('')}`;
  writeFileSync(file, `- hosts: all\n  gather_facts: false\n  tasks:${tasks}`);
  return path.relative(root, file);
}

function dockerfile(kind, n) {
  const dir = path.join(out, `docker-${kind}-${n}`);
  mkdirSync(dir, { recursive: true });
  const lines = [`FROM ${BASE}`];
  for (let i = 0; i < n; i++) {
    if (kind === 'command') lines.push('RUN true');
    else {
      writeFileSync(path.join(dir, `bench-${i}.txt`), `file ${i}\n`);
      lines.push(`COPY bench-${i}.txt /opt/bench-${i}.txt`);
    }
  }
  writeFileSync(path.join(dir, 'Dockerfile'), `${lines.join('\n')}\n`);
  return dir;
}

// ---- runners ----------------------------------------------------------------------------
function dockerBuild(dir, tag) {
  const start = process.hrtime.bigint();
  // No layer cache: every run builds, as the action does.
  sh('docker', ['build', '-q', '--no-cache', '--network', 'host', '-t', tag, dir], {
    env: { ...process.env, DOCKER_BUILDKIT: '0' },
  });
  return seconds(start);
}

/** Per layer of an image, newest first: its size in bytes as `docker history` reports it. */
const layerSizes = (reference) =>
  docker('history', '--no-trunc', '--human=false', '--format', '{{.Size}}', reference)
    .trim()
    .split('\n')
    .map(Number);
const layerCount = (reference) =>
  JSON.parse(docker('image', 'inspect', '-f', '{{json .RootFS.Layers}}', reference)).length;

function addedOverBase(tag, base = BASE) {
  const history = layerSizes(tag);
  const added = history.slice(0, history.length - layerSizes(base).length);
  return { bytes: added.reduce((a, b) => a + b, 0), layers: layerCount(tag) - layerCount(base) };
}

/**
 * A running container with Python, for plain ansible-playbook: the floor for Ansible. No
 * remote user: the container runs as root, and with one the docker connection asks the
 * engine for its version before every task.
 */
function plainAnsible(n, kind, container) {
  const start = process.hrtime.bigint();
  sh(
    'ansible-playbook',
    ['-i', `${container},`, '-c', 'community.docker.docker', path.join(root, playbook(kind, n))],
    {
      env: {
        ...process.env,
        ANSIBLE_PIPELINING: 'True',
        ANSIBLE_PYTHON_INTERPRETER: 'auto_silent',
      },
    },
  );
  return seconds(start);
}

function packerSshProxy(n) {
  const template = path.join(out, 'ssh-proxy.pkr.json');
  writeFileSync(
    template,
    JSON.stringify({
      source: {
        docker: {
          b: {
            image: BASE,
            commit: true,
            pull: false,
            run_command: [
              '-d',
              '-i',
              '-t',
              '--network',
              'host',
              '--entrypoint=/bin/sh',
              '--',
              '{{.Image}}',
            ],
          },
        },
      },
      build: {
        sources: ['source.docker.b'],
        provisioner: [
          { ansible: { playbook_file: path.join(root, playbook('command', n)), user: 'root' } },
        ],
      },
    }),
  );
  const start = process.hrtime.bigint();
  const result = spawnSync('packer', ['build', '-color=false', template], {
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
  });
  const wall = seconds(start);
  const reason = /Unable to negotiate[^\n]*/.exec(result.stdout + result.stderr)?.[0];
  return result.status === 0 ? { wall } : { wall, failed: reason ?? `exit ${result.status}` };
}

// ---- the runs ---------------------------------------------------------------------------
const results = {
  base: BASE,
  machine:
    `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.cpus()[0]?.model ?? ''}`.trim(),
};
const images = [];
// Whatever happens, the images go: a half-finished run must not leave layers that the next
// run's docker build would reuse.
process.on('exit', () => {
  for (const image of images)
    spawnSync('docker', ['image', 'rm', '-f', image], { stdio: 'ignore' });
});

log('warming up (tools, caches)');
images.push(runAction({ playbook: playbook('command', 0) }).outputs['image-id']);

// The same base with Python: the action's own overhead and the Redis build without the
// Python bootstrap, which any base image without Python costs.
const PYTHON_BASE = 'bench/base-with-python:1';
{
  const name = `bench-base-${process.pid}`;
  images.push(PYTHON_BASE);
  process.on('exit', () => spawnSync('docker', ['rm', '-f', name], { stdio: 'ignore' }));
  docker(
    'run',
    '--name',
    name,
    '--network',
    'host',
    BASE,
    'sh',
    '-c',
    'apt-get update -qq && apt-get install -y -qq --no-install-recommends python3 python3-apt >/dev/null && apt-get clean && rm -rf /var/lib/apt/lists/*',
  );
  docker('commit', name, PYTHON_BASE);
}

log('action overhead on a base with Python');
// A margin of tenths of a second against a 2 s target: the median of three runs.
const overheadRuns = [1, 2, 3].map(() => {
  const run = runAction({ playbook: playbook('command', 30), 'base-image': PYTHON_BASE });
  images.push(run.outputs['image-id']);
  const phases = run.metadata.phases;
  log(
    `action command 30 on ${PYTHON_BASE}: ${run.wall.toFixed(2)} s (playbook ${phases.playbook} s)`,
  );
  return { wall: run.wall, phases, overhead: run.wall - phases.playbook };
});
overheadRuns.sort((a, b) => a.overhead - b.overhead);
results.withPython = {
  'command-30': overheadRuns[1],
  overheads: overheadRuns.map((run) => run.overhead),
};

log('per-task cost and scaling: the action');
results.action = {};
for (const kind of ['command', 'copy'])
  for (const n of kind === 'command' ? SIZES : [0, 30]) {
    const run = runAction({ playbook: playbook(kind, n) });
    images.push(run.outputs['image-id']);
    results.action[`${kind}-${n}`] = { wall: run.wall, phases: run.metadata.phases };
    log(`action ${kind} ${n}: ${run.wall.toFixed(2)} s`);
  }

log('per-task cost and scaling: docker build');
results.dockerfile = {};
for (const kind of ['command', 'copy'])
  for (const n of kind === 'command' ? SIZES : [0, 30]) {
    const tag = `bench/dockerfile-${kind}:${n}`;
    images.push(tag);
    results.dockerfile[`${kind}-${n}`] = { wall: dockerBuild(dockerfile(kind, n), tag) };
    log(`dockerfile ${kind} ${n}: ${results.dockerfile[`${kind}-${n}`].wall.toFixed(2)} s`);
  }

log('per-task cost: plain ansible-playbook against a running container');
const container = `bench-plain-${process.pid}`;
docker('run', '-d', '--network', 'host', '--name', container, PYTHON_BASE, 'sleep', 'infinity');
try {
  results.plain = {};
  for (const kind of ['command', 'copy'])
    for (const n of [0, 30])
      results.plain[`${kind}-${n}`] = { wall: plainAnsible(n, kind, container) };
} finally {
  docker('rm', '-f', container);
}

log("per-task cost: Packer's default SSH proxy adapter");
results.sshProxy = { 'command-0': packerSshProxy(0), 'command-30': packerSshProxy(30) };

log('image size: the Redis example');
results.redis = {};
for (const [key, base] of [
  ['', BASE],
  ['WithPython', PYTHON_BASE],
]) {
  const tag = (build) => `bench/redis:${build}${key.toLowerCase()}`;
  images.push(tag('action'), tag('tuned'));
  const redisAction = () =>
    runAction({
      playbook: 'examples/redis/site.yml',
      'base-image': base,
      tags: tag('action'),
      changes: 'CMD ["redis-server", "/etc/redis/redis.conf"]',
    });
  if (base === BASE) {
    // The first build on a runner, where the cache has no Python for this base yet.
    rmSync(PYTHON_CACHE, { recursive: true, force: true });
    const first = redisAction();
    results.redis.actionFirstBuild = {
      wall: first.wall,
      phases: first.metadata.phases,
      ...addedOverBase(tag('action'), base),
    };
    log(`redis on ${base}, first build on the runner: action ${first.wall.toFixed(2)} s`);
  }
  const actionWall = redisAction().wall;
  const tunedWall = dockerBuild(
    redisDockerfile(`redis-tuned${key}`, base, [Object.values(redisSteps).join(' && ')]),
    tag('tuned'),
  );
  results.redis[`action${key}`] = { wall: actionWall, ...addedOverBase(tag('action'), base) };
  results.redis[`tuned${key}`] = { wall: tunedWall, ...addedOverBase(tag('tuned'), base) };
  log(`redis on ${base}: action ${actionWall.toFixed(2)} s, hand-tuned ${tunedWall.toFixed(2)} s`);
}
images.push('bench/redis:naive');
const naiveWall = dockerBuild(
  redisDockerfile('redis-naive', BASE, Object.values(redisSteps)),
  'bench/redis:naive',
);
results.redis.naive = { wall: naiveWall, ...addedOverBase('bench/redis:naive') };

writeFileSync(path.join(out, 'results.json'), JSON.stringify(results, null, 2));
log(`raw results: ${path.join(out, 'results.json')}`);
