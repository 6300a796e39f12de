// Multi-platform (issue #18): the Redis example for linux/arm64 under QEMU user emulation, the
// action (`platforms: linux/arm64`) against BuildKit's `docker buildx build --platform
// linux/arm64 --no-cache` of the hand-tuned Dockerfile, on the same arm64 base, alternately.
// Writes bench/MULTI-PLATFORM.md. Usage: SETUP_ARM64=1 bash scripts/setup.sh, then
// node bench/multi-platform.mjs (BENCH_RUNS=n for another number of runs than 3).
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  buildkit,
  buildxConfig,
  docker,
  log,
  redisDockerfile,
  redisSteps,
  root,
  runAction,
  TOOL_CACHE,
} from './harness.mjs';

const RUNS = Number(process.env.BENCH_RUNS || 3);
const PLATFORM = 'linux/arm64';
// scripts/setup.sh with SETUP_ARM64=1. BuildKit's docker driver takes it from the engine's
// image store for FROM under --platform linux/arm64, as the action does: no registry needed.
const BASE = 'debian:bookworm-slim-arm64';
const TAG = 'bench/redis:arm64';
// One platform builds one image, under the tags themselves.
const ACTION_IMAGE = TAG;
const BUILDKIT_IMAGE = 'bench/redis:buildkit-arm64';
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const architecture = (image) => docker('image', 'inspect', '--format', '{{.Architecture}}', image);
if (architecture(BASE).trim() !== 'arm64')
  throw new Error(`${BASE} is not arm64: run SETUP_ARM64=1 bash scripts/setup.sh`);

/** The image runs Redis as an aarch64 program, under emulation. */
function check(image) {
  const arch = architecture(image).trim();
  if (arch !== 'arm64') throw new Error(`${image} is ${arch}, not arm64`);
  const version = docker(
    'run',
    '--rm',
    '--network',
    'none',
    '--entrypoint',
    'sh',
    image,
    '-c',
    'uname -m && redis-server --version',
  );
  if (!/^aarch64\nRedis server v=/.test(version))
    throw new Error(`${image} does not run Redis under emulation: ${version}`);
}

const config = buildxConfig();
const tuned = redisDockerfile('redis-tuned-arm64', BASE, [Object.values(redisSteps).join(' && ')]);
const buildx = () =>
  buildkit(config, tuned, BUILDKIT_IMAGE, ['--platform', PLATFORM, '--no-cache']);
const action = () => {
  const run = runAction({
    playbook: 'examples/redis/site.yml',
    'base-image': BASE,
    platforms: PLATFORM,
    tags: TAG,
    changes: 'CMD ["redis-server", "/etc/redis/redis.conf"]',
  });
  try {
    check(ACTION_IMAGE);
  } catch (error) {
    throw new Error(`the action's build for ${PLATFORM} is not ${ACTION_IMAGE}, or not arm64`, {
      cause: error,
    });
  }
  return run.wall;
};

// The first build on a runner also unpacks an arm64 Python into the tool cache, under emulation.
log(`first build on the runner (no arm64 Python cached): the action, ${PLATFORM}`);
rmSync(path.join(TOOL_CACHE, 'ansible-image', 'python'), { recursive: true, force: true });
const first = action();
log(`first: ${first.toFixed(2)} s`);

const actionTimes = [];
const buildkitTimes = [];
for (let run = 0; run < RUNS; run++) {
  buildkitTimes.push(buildx());
  check(BUILDKIT_IMAGE);
  actionTimes.push(action());
  log(
    `run ${run + 1}: action ${actionTimes.at(-1).toFixed(2)} s, BuildKit ${buildkitTimes.at(-1).toFixed(2)} s`,
  );
}
docker('rmi', '-f', BUILDKIT_IMAGE, ACTION_IMAGE, TAG);

const ratio = median(actionTimes) / median(buildkitTimes);
const firstRatio = first / median(buildkitTimes);
const row = (measure, target, measured, verdict) =>
  `| ${measure} | ${target} | ${measured} | ${verdict} |`;
const times = (values) => values.map((t) => t.toFixed(2)).join(', ');
writeFileSync(
  path.join(root, 'bench', 'MULTI-PLATFORM.md'),
  [
    '# Multi-platform benchmark (issue #18)',
    '',
    `One run of \`node bench/multi-platform.mjs\` on one engine (Docker 20.10 from Debian, BuildKit through trixie's docker-buildx, QEMU user emulation from Debian's qemu-user-static), ${os.cpus().length} cores, base \`${BASE}\` (debootstrap minbase, no Python), the Redis example for \`${PLATFORM}\` on an amd64 machine; medians of ${RUNS}, the two builds alternating. Both install Redis from the Debian mirror, whose pace varies: compare the ratios, not the seconds.`,
    '',
    '| measure | target | measured | |',
    '| --- | --- | --- | --- |',
    row(
      `Redis for ${PLATFORM} under emulation, action (\`platforms: ${PLATFORM}\`, both steps, arm64 Python cached) / BuildKit (\`docker buildx build --platform ${PLATFORM} --no-cache\`, hand-tuned Dockerfile)`,
      '≤ 1.5 x',
      `${ratio.toFixed(2)} x (${median(actionTimes).toFixed(2)} s / ${median(buildkitTimes).toFixed(2)} s)`,
      ratio <= 1.5 ? 'met' : 'not met',
    ),
    row(
      'the same, first build on the runner (no arm64 Python cached)',
      '—',
      `${firstRatio.toFixed(2)} x (${first.toFixed(2)} s)`,
      '',
    ),
    '',
    `Runs: action ${times(actionTimes)} s; BuildKit ${times(buildkitTimes)} s; load average ${os.loadavg()[0].toFixed(1)} at the end.`,
    '',
  ].join('\n'),
);
log('wrote bench/MULTI-PLATFORM.md');
