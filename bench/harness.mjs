// What the benchmarks share: commands, timing, and the action run as the runner runs it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '..');
export const out = path.join(root, 'bench', 'out');
// The runner's tool cache, for the action's own: the version answers it remembers and the
// Pythons it keeps outside images.
export const TOOL_CACHE = path.join(os.tmpdir(), 'ansible-image-bench-tool-cache');

export const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;
export const sh = (command, args, options = {}) =>
  execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
export const docker = (...args) => sh('docker', args);
export const log = (text) => process.stderr.write(`[bench] ${text}\n`);

/** The bundled action's main and post steps; their wall time, outputs and metadata. */
export function runAction(inputs) {
  const outputsFile = path.join(out, 'outputs.json');
  const args = Object.entries({
    network: 'host',
    summary: 'false',
    'oci-labels': 'false',
    'packer-version': 'system',
    'ansible-version': 'system',
    // Each run measures a build; bench/reuse.mjs measures reuse.
    cache: 'false',
    ...inputs,
  }).map(([k, v]) => `${k}=${v}`);
  const result = spawnSync(
    process.execPath,
    [path.join(root, 'scripts', 'run-action.mjs'), ...args],
    {
      env: { ...process.env, RUN_ACTION_OUTPUTS: outputsFile, RUNNER_TOOL_CACHE: TOOL_CACHE },
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    },
  );
  if (result.status !== 0) throw new Error(`the action failed:\n${result.stdout.slice(-3000)}`);
  // The action's wall time is its two steps, as the runner runs them, not our harness's.
  const { outputs, seconds: steps } = JSON.parse(readFileSync(outputsFile, 'utf8'));
  return { wall: steps.main + steps.post, outputs, metadata: JSON.parse(outputs.metadata) };
}

/** The Redis example as a hand-written Dockerfile would do it, step by step. */
export const redisSteps = {
  update: 'apt-get update',
  install: 'DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server',
  user: 'id redis >/dev/null 2>&1 || useradd --system --user-group redis',
  data: 'mkdir -p /var/lib/redis && chown redis:redis /var/lib/redis && chmod 0750 /var/lib/redis',
  config:
    'printf \'bind 0.0.0.0\\nprotected-mode no\\nport 6379\\ndir /var/lib/redis\\ndaemonize no\\nlogfile ""\\nappendonly no\\n\' > /etc/redis/redis.conf',
  clean: 'rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb',
};

/** A Redis Dockerfile of these RUN lines in bench/out/NAME; its folder. */
export function redisDockerfile(name, base, runs) {
  const dir = path.join(out, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'Dockerfile'),
    `FROM ${base}\n${runs.map((r) => `RUN ${r}`).join('\n')}\nCMD ["redis-server", "/etc/redis/redis.conf"]\n`,
  );
  return dir;
}

/**
 * Debian bookworm has no buildx; trixie's runs against this engine's built-in BuildKit. Taken
 * from the mirror apt already uses, without touching the system's package lists.
 */
export function buildxConfig() {
  const config = path.join(out, 'docker-config');
  const plugin = path.join(config, 'cli-plugins', 'docker-buildx');
  if (existsSync(plugin)) return config;
  log('fetching docker-buildx from Debian trixie');
  const apt = path.join(out, 'apt-trixie');
  mkdirSync(path.join(apt, 'lists', 'partial'), { recursive: true });
  mkdirSync(path.join(apt, 'cache', 'archives', 'partial'), { recursive: true });
  const sources = sh('sh', [
    '-c',
    "grep -h -m1 -E '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | grep -v -- -security | head -1",
  ]);
  const mirror = sources
    .replace(/^URIs:\s*/, '')
    .replace(/^deb\s+(\[[^\]]*\]\s+)?/, '')
    .split(/\s+/)[0];
  writeFileSync(path.join(apt, 'sources.list'), `deb ${mirror} trixie main\n`);
  const options = [
    '-o',
    `Dir::Etc::SourceList=${path.join(apt, 'sources.list')}`,
    '-o',
    'Dir::Etc::SourceParts=/dev/null',
    '-o',
    `Dir::State::Lists=${path.join(apt, 'lists')}`,
    '-o',
    `Dir::Cache=${path.join(apt, 'cache')}`,
  ];
  sh('apt-get', [...options, 'update', '-qq']);
  sh('apt-get', [...options, 'download', 'docker-buildx'], { cwd: apt });
  const deb = readdirSync(apt).find(
    (name) => name.startsWith('docker-buildx') && name.endsWith('.deb'),
  );
  sh('dpkg-deb', ['-x', path.join(apt, deb), path.join(apt, 'root')]);
  mkdirSync(path.dirname(plugin), { recursive: true });
  sh('cp', [
    path.join(apt, 'root', 'usr', 'libexec', 'docker', 'cli-plugins', 'docker-buildx'),
    plugin,
  ]);
  return config;
}

/** The wall time of `docker buildx build` of DIR into the engine as TAG, with more options. */
export function buildkit(config, dir, tag, options = []) {
  const start = process.hrtime.bigint();
  sh(
    'docker',
    ['buildx', 'build', '-q', '--network', 'host', '--load', '-t', tag, ...options, dir],
    {
      env: { ...process.env, DOCKER_CONFIG: config },
    },
  );
  return seconds(start);
}
