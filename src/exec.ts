import * as actionsExec from '@actions/exec';
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';

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
  cwd?: string;
  env?: Record<string, string>;
  /** Called with each line of stdout and stderr, in the order they come. */
  onLine: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Written to the command's standard input. */
  input?: string;
  /** Then the command gets SIGTERM, and SIGKILL 5 s later; the result says it timed out. */
  timeoutSeconds?: number;
}

export interface StreamResult {
  exitCode: number;
  /** The signal that cancelled the run, when one did. */
  cancelledBy?: NodeJS.Signals;
  timedOut?: boolean;
}

/** How long a stopped command's output may stay open after it exited. */
const OUTPUT_GRACE_MS = 1000;

/**
 * Runs a command whose output comes from elsewhere (the build container, a registry, Galaxy)
 * and that must stop cleanly when the job is cancelled. The runner signals only our process
 * (SIGINT, then SIGTERM, then a kill), so each signal is passed on as SIGTERM, the one that
 * Packer acts on, and we wait for the child to clean up and exit. Lines are bounded (see
 * splitLines). @actions/exec does not expose the child process, hence node's spawn here.
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
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (options.input !== undefined) {
      child.stdin?.on('error', () => undefined); // a command that exits without reading
      child.stdin?.end(options.input);
    }
    let cancelledBy: NodeJS.Signals | undefined;
    // Once: a second signal would make Packer give up its own cleanup.
    const forward = (signal: NodeJS.Signals) => {
      if (cancelledBy) return;
      cancelledBy = signal;
      child.kill('SIGTERM');
    };
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
    for (const signal of signals) process.on(signal, forward);
    let timedOut = false;
    let killer: NodeJS.Timeout | undefined;
    const timer =
      options.timeoutSeconds === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGTERM');
            killer = setTimeout(() => child.kill('SIGKILL'), 5000);
          }, options.timeoutSeconds * 1000);
    // What a command that we stopped started may outlive it with our pipes as its output:
    // Packer's ansible-playbook runs on until the build container goes, which Packer leaves to
    // our cleanup (-on-error=abort). Once the command exits, that output gets a moment, then
    // is closed, so the cleanup can come.
    let closer: NodeJS.Timeout | undefined;
    child.on('exit', () => {
      if (cancelledBy || timedOut)
        closer = setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
        }, OUTPUT_GRACE_MS);
    });
    const settle = () => {
      for (const signal of signals) process.off(signal, forward);
      clearTimeout(timer);
      clearTimeout(killer);
      clearTimeout(closer);
    };
    splitLines(child.stdout as NodeJS.ReadableStream, (line) => options.onLine(line, 'stdout'));
    splitLines(child.stderr as NodeJS.ReadableStream, (line) => options.onLine(line, 'stderr'));
    child.on('error', (error) => {
      settle();
      reject(new Error(`Could not run ${command}: ${error.message}`, { cause: error }));
    });
    child.on('close', (code) => {
      settle();
      resolve({
        exitCode: code ?? 128,
        ...(cancelledBy && { cancelledBy }),
        ...(timedOut && { timedOut }),
      });
    });
  });
}

/** The last `limit` lines of some output, for an error message: never the whole of it. */
export class LastLines {
  private readonly kept: string[] = [];

  constructor(private readonly limit: number) {}

  add(line: string): string {
    this.kept.push(line);
    if (this.kept.length > this.limit) this.kept.shift();
    return line;
  }

  get text(): string {
    return this.kept.join('\n');
  }
}

/** Longest line passed on whole; the playbook decides what the build container prints. */
export const LINE_LIMIT = 64 * 1024;

/**
 * Calls `onLine` for each line of a stream, holding at most LINE_LIMIT characters of one: the
 * rest of a longer line is counted, not kept, so that one huge line costs no memory.
 */
export function splitLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let cut = 0;
  const emit = () => {
    const line = pending.endsWith('\r') ? pending.slice(0, -1) : pending;
    onLine(cut ? `${line} … (${cut} more characters of this line not shown)` : line);
    pending = '';
    cut = 0;
  };
  const take = (text: string) => {
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      add(text.slice(start, end));
      emit();
      start = end + 1;
    }
    add(text.slice(start));
  };
  const add = (part: string) => {
    const room = LINE_LIMIT - pending.length;
    pending += part.slice(0, Math.max(room, 0));
    cut += Math.max(part.length - Math.max(room, 0), 0);
  };
  stream.on('data', (chunk: Buffer) => take(decoder.write(chunk)));
  stream.on('end', () => {
    take(decoder.end());
    if (pending || cut) emit();
  });
}

function processEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
}
