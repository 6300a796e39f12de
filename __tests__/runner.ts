import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

export interface RunOptions {
  env?: Record<string, string>;
  /** Run both steps as this user (through runuser), e.g. to meet a socket we may not use. */
  user?: string;
}

/** A started main step: signal it, then `finish()` runs the post step and reads the files. */
export interface StartedAction {
  child: ChildProcess;
  /** What the main step saved for the post step so far. */
  state(): Record<string, string>;
  finish(): Promise<ActionRun>;
}

/**
 * Runs the bundled action the way the GitHub runner does: every input as INPUT_* (defaults
 * from action.yml), the command files, then the post step with the saved state as STATE_*.
 */
export async function runAction(
  inputs: Record<string, string>,
  options: RunOptions = {},
): Promise<ActionRun> {
  return startAction(inputs, options).finish();
}

/** Starts the main step in its own process group, as the runner's job would hold it. */
export function startAction(
  inputs: Record<string, string>,
  options: RunOptions = {},
): StartedAction {
  const runnerTemp = mkdtempSync(path.join(os.tmpdir(), 'itg-runner-'));
  const files = Object.fromEntries(
    ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY'].map((name) => {
      const file = path.join(runnerTemp, `${name.toLowerCase()}.txt`);
      writeFileSync(file, '');
      return [name, file];
    }),
  );
  if (options.user) {
    chmodSync(runnerTemp, 0o777);
    for (const file of Object.values(files)) chmodSync(file, 0o666);
  }
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
    ...options.env,
  };
  const main = node({ ...baseEnv, ...inputEnv }, options);
  return {
    child: main.child,
    state: () => parseCommandFile(readFileSync(files.GITHUB_STATE, 'utf8')),
    async finish() {
      const { exitCode, log } = await main.done;
      const state = parseCommandFile(readFileSync(files.GITHUB_STATE, 'utf8'));
      const stateEnv = Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]));
      const post = await node({ ...baseEnv, ...inputEnv, ...stateEnv }, options).done;
      return {
        exitCode,
        log,
        outputs: parseCommandFile(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
        state,
        summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
        post,
        runnerTemp,
      };
    },
  };
}

/**
 * action.yml's defaults, but the tools on PATH (no test reaches HashiCorp or PyPI), no
 * reuse: a test of a build must build, whatever an earlier test built from the same inputs;
 * and no failed build kept, unless a test asks: each would stay on the shared engine.
 */
function defaults(): Record<string, string> {
  return {
    ...Object.fromEntries(
      Object.entries(actionYml.inputs).map(([name, spec]) => [name, spec.default ?? '']),
    ),
    'packer-version': 'system',
    'ansible-version': 'system',
    cache: 'false',
    'keep-failed': 'false',
  };
}

/**
 * The second controller: with ITG_RUNNER_IMAGE set (an image with Node, Ansible and the
 * Docker CLI, see scripts/setup.sh), the action runs in a container of it that acts as the
 * runner, with the engine's socket, the host's Packer and the repository, the temp folder and
 * the tool cache at the same paths (the engine resolves bind-mount sources on the host).
 */
const runnerImage = process.env.ITG_RUNNER_IMAGE;
const dockerCli = runnerImage
  ? execFileSync('sh', ['-c', 'command -v docker'], { encoding: 'utf8' }).trim()
  : 'docker';

/** A command as the runner would start it: on this machine, or in the runner container. */
export function onRunner(command: string[], passEnv: string[] = []): string[] {
  if (!runnerImage) return command;
  const cache = path.join(os.homedir(), '.cache');
  return [
    // This machine's docker, not the first on the test's PATH: a stand-in there that is a
    // shell script would drop the INPUT_* variables, whose names have hyphens.
    dockerCli,
    'run',
    '--rm',
    '--init',
    '--network',
    'host',
    ...['-v', '/var/run/docker.sock:/var/run/docker.sock'],
    ...['-v', '/usr/bin/packer:/usr/bin/packer:ro'],
    ...[repoRoot, os.tmpdir(), cache].flatMap((folder) => ['-v', `${folder}:${folder}`]),
    ...['-w', repoRoot],
    // By name only: Docker takes each value from the client's environment, newlines and all.
    ...passEnv.flatMap((name) => ['-e', name]),
    runnerImage,
    ...command,
  ];
}

/** The variables that the runner gives a step, as opposed to this machine's own. */
const STEP_VARIABLE = /^(INPUT_|STATE_|GITHUB_|RUNNER_|ACTIONS_|ANSIBLE_|DOCKER_CONFIG$)/;

function node(
  env: NodeJS.ProcessEnv,
  { user, env: testEnv = {} }: RunOptions,
): { child: ChildProcess; done: Promise<{ exitCode: number; log: string }> } {
  const script = path.join(repoRoot, 'dist', 'index.js');
  const action = runnerImage
    ? onRunner(
        ['node', script],
        // And what the test set, e.g. a PATH with a stand-in in front.
        Object.keys(env).filter((name) => STEP_VARIABLE.test(name) || name in testEnv),
      )
    : [process.execPath, script];
  if (user && runnerImage) throw new Error('the runner container has no user of the host');
  const [command, ...args] = user ? ['runuser', '-u', user, '--', ...action] : action;
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const done = new Promise<{ exitCode: number; log: string }>((resolve, reject) => {
    let log = '';
    child.stdout?.on('data', (chunk) => (log += chunk));
    child.stderr?.on('data', (chunk) => (log += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ exitCode: code ?? (signal ? -1 : -2), log }));
  });
  return { child, done };
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

/** The runner's rule: after ::stop-commands::TOKEN, nothing is a command until ::TOKEN::. */
export function commandsTheRunnerWouldProcess(log: string): string[] {
  const processed: string[] = [];
  let stopToken: string | undefined;
  for (const line of log.split('\n').map((l) => l.trim())) {
    if (stopToken) {
      if (line === `::${stopToken}::`) stopToken = undefined;
      continue;
    }
    const stop = /^::stop-commands::(.+)$/.exec(line);
    if (stop) stopToken = stop[1];
    else if (line.startsWith('::')) processed.push(line);
  }
  return processed;
}
