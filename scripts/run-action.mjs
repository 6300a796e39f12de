// Runs the bundled action once, locally, the way the GitHub runner does: inputs as INPUT_*
// variables (defaults from action.yml), the command files, then the post step.
// usage: node scripts/run-action.mjs input=value ...   (prints the job summary, then the outputs as JSON)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '..');
const { inputs } = parse(readFileSync(path.join(root, 'action.yml'), 'utf8'));
const given = Object.fromEntries(
  process.argv
    .slice(2)
    .map((arg) => [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]),
);
const temp = mkdtempSync(path.join(os.tmpdir(), 'run-action-'));
const files = {};
for (const name of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY']) {
  files[name] = path.join(temp, name.toLowerCase());
  writeFileSync(files[name], '');
}
const env = { ...process.env, GITHUB_WORKSPACE: root, RUNNER_TEMP: temp, ...files };
for (const [name, spec] of Object.entries(inputs))
  env[`INPUT_${name.toUpperCase()}`] = given[name] ?? spec.default ?? '';

const readCommandFile = (file) => {
  const values = {};
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i]);
    if (!match) continue;
    const value = [];
    for (i++; i < lines.length && lines[i] !== match[2]; i++) value.push(lines[i]);
    values[match[1]] = value.join('\n');
  }
  return values;
};

const action = path.join(root, 'dist', 'index.js');
// Each step timed as the runner would see it: from starting node to its exit.
const seconds = {};
const step = (name) => {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [action], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  seconds[name] = Number(process.hrtime.bigint() - start) / 1e9;
  return result;
};
const main = step('main');
for (const [key, value] of Object.entries(readCommandFile(files.GITHUB_STATE)))
  env[`STATE_${key}`] = value;
const post = step('post');
const outputs = readCommandFile(files.GITHUB_OUTPUT);
const summary = readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8');
if (summary) process.stderr.write(`\n--- job summary ---\n${summary}\n`);
rmSync(temp, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(outputs, null, 2)}\n`);
// For scripts (the benchmarks): the outputs and the steps' times as a file of their own.
if (process.env.RUN_ACTION_OUTPUTS)
  writeFileSync(process.env.RUN_ACTION_OUTPUTS, JSON.stringify({ outputs, seconds }));
process.exit(main.status || post.status || 0);
