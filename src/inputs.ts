import * as core from '@actions/core';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isMap } from 'yaml';
import { parseVars } from './ansible/yaml11.js';
import { type Change, parseChange } from './changes.js';
import { failedPushReference } from './failed/names.js';
import { EXPORT_FORMATS, type ExportFormat } from './docker/export.js';
import { registryOf } from './docker/auth.js';
import { parseImageReference } from './reference.js';
import { parseByteSize } from './report/format.js';
import { splitShellWords } from './shellwords.js';
import { secretForms } from './redact.js';
import { HASHICORP_PUBLIC_KEY } from './tools/hashicorp-key.js';
import type { ToolInputs } from './tools/tools.js';
import { isVersionSpec } from './tools/versions.js';
import { type Platform, parsePlatform, platformName, samePlatform } from './platforms/platform.js';
import semver from 'semver';

export const PULL_POLICIES = ['missing', 'always', 'never'] as const;
export type PullPolicy = (typeof PULL_POLICIES)[number];
export const PYTHON_MODES = ['auto', 'keep', 'never'] as const;
export type PythonMode = (typeof PYTHON_MODES)[number];

export interface Inputs extends ToolInputs {
  workspace: string;
  workingDirectory: string;
  playbook: string;
  baseImage: string;
  pull: PullPolicy;
  tags: string[];
  push: boolean;
  ociLabels: boolean;
  labels: Array<[string, string]>;
  changes: Change[];
  extraVars?: Record<string, unknown>;
  secretVars?: Record<string, unknown>;
  vaultPassword?: string;
  /** Every masked value, for redacting what we print ourselves. */
  secrets: string[];
  ansibleArgs: string[];
  galaxyFile?: string;
  network: string;
  python: PythonMode;
  /** A service whose unit gives the image its CMD (see services/services.ts). */
  cmdFromService?: string;
  summary: boolean;
  /** Reuse an image with the same input key (see reuse/). */
  cache: boolean;
  /** Free text that goes into the input key. */
  cacheKey: string;
  /** Seconds after which a matching image is built again anyway. */
  cacheMaxAge?: number;
  /** The platforms to build for; empty: the base image's own. */
  platforms: Platform[];
  /** Upload each platform's image by digest, with no tag (for a later merge). */
  pushByDigest: boolean;
  /** How many platforms build at the same time. */
  maxParallel: number;
  /** Where the image goes as a tarball (docker load, or an OCI layout), and in which form. */
  export?: { path: string; format: ExportFormat; overwrite: boolean };
  /** The step fails when the layer that the build adds holds more bytes than this. */
  maxLayerSize?: number;
  /** Instead of a build: one index over these images (repo@sha256:…) under the tags. */
  merge: string[];
  /** When a task fails: the build container committed as a local image (see failed/). */
  keepFailed: boolean;
  /** And pushed, under the first tag's repository. */
  pushFailed: boolean;
  /** The workflow run's context, from the runner's GITHUB_* variables. */
  github: { serverUrl?: string; repository?: string; revision?: string };
}

/** An input that breaks a rule; the message names the input, the value and the rule. */
export class InputError extends Error {
  constructor(input: string, message: string, options?: ErrorOptions) {
    super(`Input "${input}": ${message}`, options);
    this.name = 'InputError';
  }
}

/** Reads and validates every input once, before anything runs. */
export function getInputs(): Inputs {
  // Masked before anything else can print them, an error message included.
  const secrets: string[] = [];
  const vaultPassword = secret('vault-password', secrets);
  const secretVars = secretMapping('secret-vars', secrets);
  const workspace = realpathSync(process.env.GITHUB_WORKSPACE || process.cwd());
  const workingDirectory = workspacePath(
    'working-directory',
    core.getInput('working-directory') || '.',
    workspace,
    workspace,
    'directory',
  );
  const merge = mergeReferences(core.getInput('merge'));
  const playbookInput = core.getInput('playbook');
  if (!playbookInput && !merge.length)
    throw new InputError('playbook', 'is required (only merge builds nothing)');
  if (playbookInput && merge.length)
    throw new InputError('merge', 'builds nothing, so it takes no playbook: give one or the other');
  const playbook = playbookInput
    ? workspacePath('playbook', playbookInput, workingDirectory, workspace, 'file')
    : '';
  const galaxyInput = core.getInput('galaxy-file');
  const cmdFromService = serviceName('cmd-from-service', core.getInput('cmd-from-service'));
  const tagList = tags(core.getInput('tags'));
  const push = boolean('push', false);
  if (push && tagList.length === 0)
    throw new InputError('push', 'true needs at least one image reference in tags');
  if (merge.length && tagList.length === 0)
    throw new InputError(
      'merge',
      'needs at least one image reference in tags to put the index under',
    );
  const platformList = platforms(core.getInput('platforms'));
  if (merge.length && platformList.length)
    throw new InputError(
      'merge',
      'builds nothing, so it takes no platforms: the images carry theirs',
    );
  const registries = new Set(tagList.map(registryOf));
  if (push && platformList.length > 1 && registries.size > 1)
    throw new InputError(
      'tags',
      `name ${registries.size} registries (${[...registries].join(', ')}): with platforms, one index goes under every tag and must be checked in its registry before any tag moves, so all tags must be in one registry`,
    );
  const pushByDigest = boolean('push-by-digest', false);
  if (pushByDigest && !push)
    throw new InputError('push-by-digest', 'true needs push: true, since it is a way of pushing');
  const cacheMaxAge = duration('cache-max-age', core.getInput('cache-max-age'));
  const exported = exportTarget(workspace);
  if (exported && merge.length)
    throw new InputError('export', 'takes what a build makes, and merge builds nothing');
  const maxLayerSize = byteSize('max-layer-size');
  const keepFailed = boolean('keep-failed', true);
  const pushFailed = boolean('push-failed', false);
  if (pushFailed && !keepFailed)
    throw new InputError(
      'push-failed',
      'true needs keep-failed: true, since it pushes what that keeps',
    );
  if (pushFailed && tagList.length === 0)
    throw new InputError(
      'push-failed',
      "true needs at least one image reference in tags: the failed image goes to the first one's repository",
    );
  if (pushFailed && tagList.includes(failedPushReference(tagList[0])))
    throw new InputError(
      'push-failed',
      `true would push a failed build as ${failedPushReference(tagList[0])}, which is one of the tags, for good builds only`,
    );
  return {
    workspace,
    workingDirectory,
    playbook,
    baseImage: imageReference('base-image', core.getInput('base-image') || 'debian:bookworm-slim'),
    pull: oneOf('pull', core.getInput('pull') || 'missing', PULL_POLICIES),
    tags: tagList,
    push,
    ociLabels: boolean('oci-labels', true),
    labels: labels(core.getInput('labels', { trimWhitespace: false })),
    changes: changes(core.getInput('changes')),
    extraVars: extraVars(core.getInput('extra-vars'), workingDirectory, workspace),
    ...(secretVars && { secretVars }),
    ...(vaultPassword && { vaultPassword }),
    secrets,
    ansibleArgs: ansibleArgs(core.getInput('ansible-args')),
    ...(galaxyInput && {
      galaxyFile: workspacePath('galaxy-file', galaxyInput, workingDirectory, workspace, 'file'),
    }),
    network: network(core.getInput('network')),
    python: oneOf('python', core.getInput('python') || 'auto', PYTHON_MODES),
    ...(cmdFromService && { cmdFromService }),
    packerVersion: toolVersion('packer-version'),
    ansibleVersion: toolVersion('ansible-version'),
    hashicorpReleasesUrl: url('hashicorp-releases-url', 'https://releases.hashicorp.com'),
    hashicorpPublicKey: publicKey(),
    dockerPluginVersion: exactVersion('docker-plugin-version', '1.1.4', '1.0.0'),
    ansiblePluginVersion: exactVersion('ansible-plugin-version', '1.1.6', '1.1.0'),
    pipIndexUrl: url('pip-index-url', 'https://pypi.org/simple'),
    summary: boolean('summary', true),
    cache: boolean('cache', true),
    cacheKey: core.getInput('cache-key', { trimWhitespace: false }),
    ...(cacheMaxAge !== undefined && { cacheMaxAge }),
    ...(exported && { export: exported }),
    ...(maxLayerSize !== undefined && { maxLayerSize }),
    platforms: platformList,
    pushByDigest,
    maxParallel: positiveInteger(
      'max-parallel',
      Math.max(1, Math.floor(os.availableParallelism() / 2)),
    ),
    merge,
    keepFailed,
    pushFailed,
    github: {
      serverUrl: process.env.GITHUB_SERVER_URL || undefined,
      repository: process.env.GITHUB_REPOSITORY || undefined,
      revision: process.env.GITHUB_SHA || undefined,
    },
  };
}

function oneOf<T extends string>(input: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new InputError(input, `"${value}" must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** Only the documented spellings: a typo must not silently mean false. */
function boolean(input: string, fallback: boolean): boolean {
  const value = core.getInput(input);
  if (value === '') return fallback;
  return oneOf(input, value, ['true', 'false'] as const) === 'true';
}

/** A service as systemctl names it: `nginx`, `nginx.service` or a template's `ticker@a`. */
function serviceName(input: string, value: string): string | undefined {
  if (value === '') return undefined;
  if (!/^[A-Za-z0-9_:.\\@][A-Za-z0-9_:.\\@-]*$/.test(value) || value.length > 255)
    throw new InputError(
      input,
      `"${value}" must be a service name (letters, digits and :_.\\@-, not starting with -)`,
    );
  const suffix = /\.(socket|target|timer|path|mount|automount|swap|slice|scope|device)$/.exec(
    value,
  )?.[1];
  if (suffix) throw new InputError(input, `"${value}" must name a service, not a .${suffix} unit`);
  return value;
}

function toolVersion(input: string): string {
  const value = core.getInput(input) || 'latest';
  if (!isVersionSpec(value))
    throw new InputError(
      input,
      `"${value}" must be latest, system (the tool on PATH), a version (1.11.2) or a range (~1.11, >=1.10 <2)`,
    );
  return value;
}

function exactVersion(input: string, fallback: string, minimum: string): string {
  const value = core.getInput(input) || fallback;
  if (!semver.valid(value) || semver.lt(value, minimum))
    throw new InputError(input, `"${value}" must be an exact version, ${minimum} or later`);
  return value;
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** `7d`, `12h`, `1d12h`, `30m`, `90s`, `2w`: in seconds. */
export function duration(input: string, value: string): number | undefined {
  if (value === '') return undefined;
  const parts = [...value.matchAll(/(\d+)([smhdw])/g)];
  if (!/^(\d+[smhdw])+$/.test(value) || parts.length === 0)
    throw new InputError(
      input,
      `"${value}" must be a duration: numbers with units s, m, h, d or w, such as 7d, 12h or 1d12h`,
    );
  const seconds = parts.reduce((sum, [, n, unit]) => sum + Number(n) * DURATION_UNITS[unit], 0);
  if (seconds === 0) throw new InputError(input, `"${value}" must be longer than 0 s`);
  return seconds;
}

function url(input: string, fallback: string): string {
  const value = core.getInput(input) || fallback;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new InputError(input, `"${value}" must be an http(s) URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new InputError(input, `"${value}" must be an http(s) URL`);
  return value.replace(/\/+$/, '');
}

function publicKey(): string {
  const value = core.getInput('hashicorp-public-key');
  if (value === '') return HASHICORP_PUBLIC_KEY;
  if (!value.includes('-----BEGIN PGP PUBLIC KEY BLOCK-----'))
    throw new InputError('hashicorp-public-key', 'must be an ASCII-armored PGP public key block');
  return value;
}

/** Resolves a path that must exist and stay inside the workspace, symlinks included. */
function workspacePath(
  input: string,
  value: string,
  base: string,
  workspace: string,
  kind: 'file' | 'directory',
): string {
  const resolved = path.resolve(base, value);
  if (!existsSync(resolved)) throw new InputError(input, `"${value}" does not exist`);
  const real = realpathSync(resolved);
  const relative = path.relative(workspace, real);
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative))
    throw new InputError(input, `"${value}" must stay inside the workspace (${workspace})`);
  const isDirectory = statSync(real).isDirectory();
  if (isDirectory !== (kind === 'directory'))
    throw new InputError(input, `"${value}" must be a ${kind}`);
  return real;
}

function imageReference(input: string, value: string): string {
  try {
    parseImageReference(value);
  } catch (error) {
    throw new InputError(input, `"${value}" is not a valid image reference: ${message(error)}`, {
      cause: error,
    });
  }
  return value;
}

function listItems(value: string, separators: RegExp): string[] {
  return value
    .split(separators)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function tags(value: string): string[] {
  return listItems(value, /[\n,]/).map((tag) => {
    imageReference('tags', tag);
    if (tag.includes('@'))
      throw new InputError('tags', `"${tag}" must not contain a digest: a tag names a new image`);
    return tag;
  });
}

function platforms(value: string): Platform[] {
  const list: Platform[] = [];
  for (const item of listItems(value, /[\n,]/)) {
    let platform: Platform;
    try {
      platform = parsePlatform(item);
    } catch (error) {
      throw new InputError('platforms', message(error), { cause: error });
    }
    const again = list.find((earlier) => samePlatform(earlier, platform));
    if (again)
      throw new InputError(
        'platforms',
        `"${item}" repeats ${platformName(again)}: each platform is built once`,
      );
    list.push(platform);
  }
  return list;
}

function mergeReferences(value: string): string[] {
  return listItems(value, /[\n,\s]/).map((reference) => {
    imageReference('merge', reference);
    if (!/@sha256:[0-9a-f]{64}$/.test(reference))
      throw new InputError(
        'merge',
        `"${reference}" must name an image by digest (repository@sha256:…), like a build's digest output`,
      );
    return reference;
  });
}

function exportTarget(workspace: string): Inputs['export'] {
  const value = core.getInput('export');
  const format = oneOf('export-format', core.getInput('export-format') || 'docker', EXPORT_FORMATS);
  const overwrite = boolean('export-overwrite', false);
  if (!value) return undefined;
  const target = path.resolve(workspace, value);
  if (!overwrite && existsSync(target))
    throw new InputError('export', `"${value}" exists: set export-overwrite: true to replace it`);
  return { path: target, format, overwrite };
}

function byteSize(input: string): number | undefined {
  const value = core.getInput(input);
  if (!value) return undefined;
  try {
    return parseByteSize(value);
  } catch (error) {
    throw new InputError(input, message(error), { cause: error });
  }
}

function positiveInteger(input: string, fallback: number): number {
  const value = core.getInput(input);
  if (!value) return fallback;
  if (!/^[1-9][0-9]{0,2}$/.test(value))
    throw new InputError(input, `"${value}" must be a whole number from 1 to 999`);
  return Number(value);
}

function labels(value: string): Array<[string, string]> {
  return value
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const at = line.indexOf('=');
      const key = line.slice(0, at).trim();
      if (at < 0 || key === '')
        throw new InputError('labels', `"${line}" must be a key=value line`);
      return [key, line.slice(at + 1)];
    });
}

function changes(value: string): Change[] {
  return value
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return parseChange(line);
      } catch (error) {
        throw new InputError('changes', `"${line.trim()}": ${message(error)}`, { cause: error });
      }
    });
}

function extraVars(
  value: string,
  workingDirectory: string,
  workspace: string,
): Record<string, unknown> | undefined {
  if (value.trim() === '') return undefined;
  let text = value;
  let source = 'the inline value';
  if (value.trim().startsWith('@')) {
    const file = value.trim().slice(1);
    const resolved = workspacePath('extra-vars', file, workingDirectory, workspace, 'file');
    text = readFileSync(resolved, 'utf8');
    source = `file "${file}"`;
  }
  const document = parseVars(text);
  if (document.errors.length > 0)
    throw new InputError(
      'extra-vars',
      `${source} is not valid YAML: ${document.errors[0].message}`,
    );
  if (!isMap(document.contents))
    throw new InputError(
      'extra-vars',
      `${source} must be a YAML mapping of variable names to values`,
    );
  return document.toJS() as Record<string, unknown>;
}

/** Masks a secret and every form of it that logs could show. */
function mask(value: string, secrets: string[]): void {
  for (const form of secretForms(value)) {
    core.setSecret(form);
    secrets.push(form);
  }
}

function secret(input: string, secrets: string[]): string | undefined {
  const value = core.getInput(input, { trimWhitespace: false });
  if (value === '') return undefined;
  mask(value, secrets);
  // A vault password file is read up to its first newline; a password cannot hold one.
  const password = value.replace(/\r?\n$/, '');
  if (/[\r\n]/.test(password)) throw new InputError(input, 'must be a single line (value hidden)');
  return password;
}

/** A YAML mapping of secret vars: every string in it is masked; errors never quote it. */
function secretMapping(input: string, secrets: string[]): Record<string, unknown> | undefined {
  const value = core.getInput(input, { trimWhitespace: false });
  if (value.trim() === '') return undefined;
  mask(value, secrets);
  const document = parseVars(value);
  if (document.errors.length > 0) {
    const [line, column] = document.errors[0].linePos?.[0]
      ? [document.errors[0].linePos[0].line, document.errors[0].linePos[0].col]
      : ['?', '?'];
    throw new InputError(
      input,
      `is not valid YAML at line ${line}, column ${column} (value hidden)`,
    );
  }
  if (!isMap(document.contents))
    throw new InputError(
      input,
      'must be a YAML mapping of variable names to values (value hidden)',
    );
  const vars = document.toJS() as Record<string, unknown>;
  const maskLeaves = (node: unknown): void => {
    // Masking "1" or "no" would blank them out of the whole log; such values stay visible.
    // A number (a PIN, say) is printed as its digits.
    const text = typeof node === 'number' || typeof node === 'bigint' ? String(node) : node;
    if (typeof text === 'string' && text.length >= 3) mask(text, secrets);
    else if (node && typeof node === 'object') Object.values(node).forEach(maskLeaves);
  };
  maskLeaves(vars);
  return vars;
}

function ansibleArgs(value: string): string[] {
  try {
    return splitShellWords(value);
  } catch (error) {
    throw new InputError('ansible-args', `"${value}": ${message(error)}`, { cause: error });
  }
}

function network(value: string): string {
  const mode = value.trim();
  if (mode !== '' && !/^(container:)?[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(mode))
    throw new InputError(
      'network',
      `"${value}" must be host, none, a network name or container:NAME (letters, digits, _ . -)`,
    );
  return mode;
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
