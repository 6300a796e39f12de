// Reuse (issue #17), side by side in one run on one engine: an unchanged rebuild of the Redis
// example by the action against BuildKit's fully cached rebuild of the hand-tuned Dockerfile,
// a reuse from a registry with nothing local, and the input key's cost on 10,000 files.
// Writes bench/REUSE.md. Usage: node bench/reuse.mjs (after bash scripts/setup.sh).
/* global fetch */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import {
  buildkit,
  buildxConfig,
  docker,
  log,
  out,
  redisDockerfile,
  redisSteps,
  root,
  runAction,
  sh,
} from './harness.mjs';

const RUNS = 5;
const BASE = process.env.BENCH_BASE_IMAGE || 'debian:bookworm-slim';
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
mkdirSync(out, { recursive: true });

/** Debian's registry on the loopback, for the reuse with nothing local. */
async function startRegistry(port) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-registry-'));
  const config = path.join(dir, 'config.yml');
  writeFileSync(
    config,
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const child = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/v2/`)).ok) break;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  return () => {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  };
}

const results = {};
const cacheKey = `bench ${Date.now()}`;
const redis = (inputs) =>
  runAction({
    playbook: 'examples/redis/site.yml',
    'base-image': BASE,
    changes: 'CMD ["redis-server", "/etc/redis/redis.conf"]',
    cache: 'true',
    'cache-key': cacheKey,
    ...inputs,
  });

log('unchanged rebuild: the action against BuildKit, both fully cached');
const config = buildxConfig();
const tuned = redisDockerfile('redis-tuned-buildkit', BASE, [
  Object.values(redisSteps).join(' && '),
]);
buildkit(config, tuned, 'bench/redis:buildkit');
redis({ tags: 'bench/redis:reuse' });
const buildkitTimes = [];
const actionTimes = [];
for (let run = 0; run < RUNS; run++) {
  buildkitTimes.push(buildkit(config, tuned, 'bench/redis:buildkit'));
  const again = redis({ tags: 'bench/redis:reuse' });
  if (again.outputs['cache-hit'] !== 'true') throw new Error('the unchanged rebuild was not a hit');
  actionTimes.push(again.wall);
}
results.unchanged = {
  action: median(actionTimes),
  buildkit: median(buildkitTimes),
  actionTimes,
  buildkitTimes,
};
log(
  `unchanged: action ${results.unchanged.action.toFixed(2)} s, BuildKit ${results.unchanged.buildkit.toFixed(2)} s`,
);

log('reuse from a registry, nothing local');
const stop = await startRegistry(5131);
try {
  const tags = ['1', '2'].map((tag) => `127.0.0.1:5131/bench/redis:${tag}`);
  const pushed = redis({ tags: tags[0], push: 'true' });
  const registryTimes = [];
  for (let run = 0; run < RUNS; run++) {
    spawnSync('docker', ['rmi', '-f', ...tags, 'bench/redis:reuse', pushed.outputs['image-id']]);
    const reused = redis({ tags: tags.join('\n'), push: 'true' });
    if (reused.outputs['cache-hit'] !== 'true') throw new Error('the registry reuse was not a hit');
    registryTimes.push(reused.wall);
  }
  results.registry = { wall: median(registryTimes), times: registryTimes };
  log(`registry reuse: ${results.registry.wall.toFixed(2)} s`);
} finally {
  stop();
}

log('the input key on 10,000 files');
const key = sh('npx', ['vite-node', path.join(root, 'bench', 'input-key.ts')], { cwd: root });
results.key = key.trim();
const keyMs = Number(/key (\d+) ms/.exec(results.key)?.[1]);

docker('rmi', '-f', 'bench/redis:buildkit');
const ratio = results.unchanged.action / results.unchanged.buildkit;
const row = (measure, target, measured, met) =>
  `| ${measure} | ${target} | ${measured} | ${met ? 'met' : 'not met'} |`;
writeFileSync(
  path.join(root, 'bench', 'REUSE.md'),
  [
    '# Reuse benchmark (issue #17)',
    '',
    `One run of \`node bench/reuse.mjs\` on one engine (Docker 20.10 from Debian, BuildKit through trixie's docker-buildx), base \`${BASE}\`, the Redis example; medians of ${RUNS}. Compare the ratios, not the seconds.`,
    '',
    '| measure | target | measured | |',
    '| --- | --- | --- | --- |',
    row(
      'unchanged rebuild, action (cache hit, both steps) / BuildKit fully cached (`docker buildx build`, hand-tuned Dockerfile)',
      '≤ 1.0 x',
      `${ratio.toFixed(2)} x (${results.unchanged.action.toFixed(2)} s / ${results.unchanged.buildkit.toFixed(2)} s)`,
      ratio <= 1,
    ),
    row(
      'reuse from the registry, nothing local, two tags',
      '≤ 1 s',
      `${results.registry.wall.toFixed(2)} s`,
      results.registry.wall <= 1,
    ),
    row('input key over 10,000 files', '≤ 0.5 s', `${(keyMs / 1000).toFixed(2)} s`, keyMs <= 500),
    '',
    `Runs: action ${results.unchanged.actionTimes.map((t) => t.toFixed(2)).join(', ')} s; BuildKit ${results.unchanged.buildkitTimes.map((t) => t.toFixed(2)).join(', ')} s; registry reuse ${results.registry.times.map((t) => t.toFixed(2)).join(', ')} s.`,
    '',
    `Input key: ${results.key}`,
    '',
  ].join('\n'),
);
log('wrote bench/REUSE.md');
