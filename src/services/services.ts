import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import path from 'node:path';
import { type Change, dockerQuote } from '../changes.js';

/**
 * The runner's half of the build-time service manager (systemctl.py next to this file, which
 * the container script installs as the build container's `systemctl`): what it reports after
 * the playbook, and the image's run config that `cmd-from-service` derives from a service.
 */

/** The manager's file, copied into the folder that the container sees at EXECUTOR_MOUNT. */
export const SERVICE_MANAGER = 'systemctl.py';
/** What the container writes into that folder before the commit. */
const REPORT_FILE = 'services.json';
const LEFTOVERS_FILE = 'leftovers';
/** The container writes these, so they are read with a bound (see readContainerFile). */
const REPORT_LIMIT = 1 << 20;
const MAX_ENTRIES = 200;
const MAX_TEXT = 4096;

export interface ServiceState {
  name: string;
  /** Its state when the playbook ended: active, inactive or failed. */
  state: string;
  /** What `systemctl is-enabled` says of the image: enabled, disabled, static, masked... */
  enabled: string;
}

/** What `docker run IMAGE` runs for cmd-from-service. */
export interface RunConfig {
  service: string;
  /** The unit file or init script it came from. */
  source: string;
  cmd: string[];
  user?: string;
  workdir?: string;
  env: Record<string, string>;
  /** True when cmd is the supervisor script that the manager left in the image. */
  supervisor: boolean;
}

export interface ServicesReport {
  services: ServiceState[];
  /** Services that ignored their stop signal before the commit and were killed. */
  killed: string[];
  /** Other processes left running that ignored SIGTERM (their command lines). */
  leftovers: string[];
  runConfig?: RunConfig;
  /** Why cmd-from-service could not be derived. */
  error?: string;
}

export const NO_SERVICES: ServicesReport = { services: [], killed: [], leftovers: [] };

/**
 * Reads what the container reported into the shared folder. A process in the container can
 * replace those files with anything, links included: nothing is followed, nothing large is
 * read, and every value is checked for its type.
 */
export async function readServicesReport(sharedDirectory: string): Promise<ServicesReport> {
  const report = await readContainerFile(path.join(sharedDirectory, REPORT_FILE));
  const leftovers = await readContainerFile(path.join(sharedDirectory, LEFTOVERS_FILE));
  const parsed = report ? parseReport(report) : NO_SERVICES;
  return {
    ...parsed,
    leftovers: (leftovers ?? '').split('\n').filter(Boolean).slice(0, MAX_ENTRIES).map(clip),
  };
}

/** A regular file's content, or undefined if there is none; never through a link. */
async function readContainerFile(file: string): Promise<string | undefined> {
  const info = await lstat(file).catch(() => undefined);
  if (!info) return undefined;
  if (!info.isFile()) throw new Error(`${file} is not a regular file: the build container made it`);
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const buffer = Buffer.alloc(REPORT_LIMIT + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > REPORT_LIMIT)
      throw new Error(`${file} is larger than ${REPORT_LIMIT} bytes: the build container made it`);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

const clip = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text);

function parseReport(text: string): Omit<ServicesReport, 'leftovers'> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error('The service report from the build container is not JSON', { cause: error });
  }
  const report = record(value, 'the report');
  const services = list(report.services, 'services').map((entry) => {
    const service = record(entry, 'a service');
    return {
      name: string(service.name, 'a service name'),
      state: string(service.state, 'a service state'),
      enabled: string(service.enabled, 'a service enabled state'),
    };
  });
  const runConfig = report.runConfig === undefined ? undefined : parseRunConfig(report.runConfig);
  return {
    services,
    killed: list(report.killed ?? [], 'killed').map((name) => string(name, 'a killed service')),
    ...(runConfig && { runConfig }),
    ...(report.error !== undefined && { error: string(report.error, 'the error') }),
  };
}

function parseRunConfig(value: unknown): RunConfig {
  const config = record(value, 'the run config');
  const cmd = list(config.cmd, 'cmd').map((word) => string(word, 'a word of cmd'));
  if (!cmd.length) throw new Error('The service report holds an empty cmd');
  const env = record(config.env ?? {}, 'env');
  const optional = (item: unknown, what: string) =>
    item === undefined || item === null ? undefined : string(item, what);
  const user = optional(config.user, 'user');
  const workdir = optional(config.workdir, 'workdir');
  return {
    service: string(config.service, 'service'),
    source: string(config.source, 'source'),
    cmd,
    ...(user && { user }),
    ...(workdir && { workdir }),
    env: Object.fromEntries(
      Object.entries(env).map(([key, item]) => [key, string(item, `env ${key}`)]),
    ),
    supervisor: config.supervisor === true,
  };
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`The service report's ${what} is not an object`);
  return value as Record<string, unknown>;
}

function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`The service report's ${what} is not a list`);
  return value.slice(0, MAX_ENTRIES);
}

function string(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`The service report's ${what} is not a string`);
  return clip(value);
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** `user` or `user:group`, by name or number, as USER takes them. */
const USER = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*(?::[A-Za-z0-9_.][A-Za-z0-9_.-]*)?$/;

/** The variables that an ENV instruction sets, in either of its forms. */
function envNames(change: Change): string[] {
  const words = change.value.trim().split(/\s+/);
  if (!words[0].includes('=')) return [words[0]];
  return [...change.value.matchAll(/(?:^|\s)([^\s=]+)=/g)].map((match) => match[1]);
}

/**
 * The `docker commit` changes that make the image run the service: CMD, with USER, WORKDIR
 * and ENV from its unit. What the user's own `changes` set wins; a new CMD replaces an
 * inherited ENTRYPOINT, which would otherwise receive it as arguments.
 */
export function runConfigChanges(
  config: RunConfig,
  changes: Change[],
): { changes: string[]; skipped: string[] } {
  const sets = (instruction: Change['instruction']) =>
    changes.some((change) => change.instruction === instruction);
  const userEnv = new Set(
    changes.filter((change) => change.instruction === 'ENV').flatMap(envNames),
  );
  const result: string[] = [];
  const skipped: string[] = [];
  if (!sets('CMD')) {
    if (!sets('ENTRYPOINT')) result.push('ENTRYPOINT [""]');
    result.push(`CMD ${JSON.stringify(config.cmd)}`);
  }
  if (config.user && !sets('USER')) {
    if (!USER.test(config.user))
      throw new Error(`${config.service}: User "${config.user}" is not a user name`);
    result.push(`USER ${config.user}`);
  }
  if (config.workdir && !sets('WORKDIR')) {
    if (!path.posix.isAbsolute(config.workdir) || [...config.workdir].some((c) => c < ' '))
      throw new Error(
        `${config.service}: WorkingDirectory "${config.workdir}" is not an absolute path`,
      );
    result.push(`WORKDIR ${config.workdir}`);
  }
  for (const [name, value] of Object.entries(config.env)) {
    if (userEnv.has(name)) continue;
    // A Dockerfile line cannot hold a line break, and a name must be one word.
    if (!ENV_NAME.test(name) || /[\r\n]/.test(value)) skipped.push(name);
    else result.push(`ENV ${name}=${dockerQuote(value)}`);
  }
  return { changes: result, skipped };
}
