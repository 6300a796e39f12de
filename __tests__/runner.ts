import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

export const repoRoot = path.resolve(import.meta.dirname, '..');
const actionYml = parse(readFileSync(path.join(repoRoot, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
};

export interface ActionRun {
  exitCode: number;
  log: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  post: { exitCode: number; log: string };
  runnerTemp: string;
}

/**
 * Runs the bundled action the way the GitHub runner does: every input as INPUT_* (defaults
 * from action.yml), the command files, then the post step with the saved state as STATE_*.
 */
export async function runAction(
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<ActionRun> {
  const runnerTemp = mkdtempSync(path.join(os.tmpdir(), 'itg-runner-'));
  const files = Object.fromEntries(
    ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY'].map((name) => {
      const file = path.join(runnerTemp, `${name.toLowerCase()}.txt`);
      writeFileSync(file, '');
      return [name, file];
    }),
  );
  const inputEnv = Object.fromEntries(
    Object.entries({ ...defaults(), ...inputs }).map(([k, v]) => [
      `INPUT_${k.replace(/ /g, '_').toUpperCase()}`,
      v,
    ]),
  );
  const baseEnv = {
    ...process.env,
    GITHUB_WORKSPACE: repoRoot,
    RUNNER_TEMP: runnerTemp,
    ...files,
    ...env,
  };
  const main = await node({ ...baseEnv, ...inputEnv });
  const state = parseCommandFile(readFileSync(files.GITHUB_STATE, 'utf8'));
  const stateEnv = Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]));
  const post = await node({ ...baseEnv, ...inputEnv, ...stateEnv });
  return {
    ...main,
    outputs: parseCommandFile(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    state,
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    post,
    runnerTemp,
  };
}

function defaults(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(actionYml.inputs).map(([name, spec]) => [name, spec.default ?? '']),
  );
}

function node(env: NodeJS.ProcessEnv): Promise<{ exitCode: number; log: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'index.js')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (chunk) => (log += chunk));
    child.stderr.on('data', (chunk) => (log += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ exitCode: code ?? -1, log }));
  });
}

/** The runner's file command format: `name<<DELIMITER\nvalue\nDELIMITER`. */
export function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i]);
    if (!match) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== match[2]; i++) value.push(lines[i]);
    values[match[1]] = value.join('\n');
  }
  return values;
}
