// What the benchmarks share: commands, timing, and the action run as the runner runs it.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
