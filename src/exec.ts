import * as actionsExec from '@actions/exec';

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Show the output in the log as it comes (it is captured either way). */
  stream?: boolean;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The only place that starts processes. Never throws for a non-zero exit: callers decide. */
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
    });
    return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  } catch (error) {
    throw new Error(`Could not run ${command}: ${(error as Error).message}`, { cause: error });
  }
}

function processEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
}
