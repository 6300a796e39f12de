import * as actionsExec from '@actions/exec';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Show the output in the log as it comes (it is captured either way). */
  stream?: boolean;
  /** Written to the command's standard input. */
  input?: string;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a short command. Never throws for a non-zero exit: callers decide. */
export async function run(
  command: string,
  args: string[],
  options: RunOptions = {},
): Promise<RunResult> {
  try {
    const result = await actionsExec.getExecOutput(command, args, {
      cwd: options.cwd,
      env: options.env ? { ...processEnv(), ...options.env } : undefined,
      silent: !options.stream,
      ignoreReturnCode: true,
      ...(options.input !== undefined && { input: Buffer.from(options.input) }),
    });
    return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  } catch (error) {
    throw new Error(`Could not run ${command}: ${(error as Error).message}`, { cause: error });
  }
}

export interface StreamOptions {
  cwd: string;
  env: Record<string, string>;
  /** Called with each line of stdout and stderr, in the order they come. */
  onLine: (line: string) => void;
}

export interface StreamResult {
  exitCode: number;
  /** The signal that cancelled the run, when one did. */
  cancelledBy?: NodeJS.Signals;
}

/**
 * Runs a long command that must stop cleanly when the job is cancelled. The runner signals
 * only our process (SIGINT, then SIGTERM, then a kill), so each signal is passed on as SIGTERM,
 * the one that Packer acts on, and we wait for the child to clean up and exit.
 * @actions/exec does not expose the child process, hence node's spawn here.
 */
export function runCancellable(
  command: string,
  args: string[],
  options: StreamOptions,
): Promise<StreamResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...processEnv(), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let cancelledBy: NodeJS.Signals | undefined;
    // Once: a second signal would make Packer give up its own cleanup.
    const forward = (signal: NodeJS.Signals) => {
      if (cancelledBy) return;
      cancelledBy = signal;
      child.kill('SIGTERM');
    };
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
    for (const signal of signals) process.on(signal, forward);
    const stopForwarding = () => {
      for (const signal of signals) process.off(signal, forward);
    };
    createInterface({ input: child.stdout }).on('line', options.onLine);
    createInterface({ input: child.stderr }).on('line', options.onLine);
    child.on('error', (error) => {
      stopForwarding();
      reject(new Error(`Could not run ${command}: ${error.message}`, { cause: error }));
    });
    child.on('close', (code) => {
      stopForwarding();
      resolve({
        exitCode: code ?? 128,
        ...(cancelledBy && { cancelledBy }),
      });
    });
  });
}

function processEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
}
