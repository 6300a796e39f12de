import { createHash } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { byPath, type FileEntry } from './files.js';

/**
 * The inputs that decide the image, by their action.yml names. `secret-vars` and
 * `vault-password` are not among them, nor can they be: the key and its manifest are public.
 */
export type KeyedInput =
  | 'playbook'
  | 'extra-vars'
  | 'changes'
  | 'labels'
  | 'oci-labels'
  | 'ansible-args'
  | 'python'
  | 'cmd-from-service'
  | 'cache-key';

/** Everything that decides the image. */
export interface KeySources {
  /** From `workspaceFiles(working-directory)`. */
  files: readonly FileEntry[];
  /** A content digest of the installed Galaxy requirements; empty when there are none. */
  galaxy: string;
  /** Parsed values, so that only a change of meaning changes the key, not of layout. */
  inputs: Partial<Record<KeyedInput, unknown>>;
  /** The base image's digest, or its ID when it has none. */
  base: string;
  platform: string;
  /** Name → version: Packer, each plugin, ansible-core. */
  tools: Readonly<Record<string, string>>;
  /** The action's own version. */
  action: string;
}

/** Each part of the key: digests where the value may be long or private, values where not. */
export interface KeyParts {
  files: string;
  galaxy: string;
  inputs: Record<string, string>;
  base: string;
  platform: string;
  tools: Record<string, string>;
  action: string;
}

/**
 * Bumped when what goes into the key changes, so that an image keyed the old way is a miss
 * that says why, never a false hit.
 */
const SCHEME = 1;

export function inputKey(sources: KeySources): { key: string; parts: KeyParts } {
  const parts: KeyParts = {
    files: sha256(canonicalJson(sources.files)),
    galaxy: sources.galaxy,
    inputs: Object.fromEntries(
      Object.entries(sources.inputs)
        .filter(([, value]) => value !== undefined)
        .map(([name, value]) => [name, sha256(canonicalJson(value))]),
    ),
    base: sources.base,
    platform: sources.platform,
    tools: { ...sources.tools },
    action: sources.action,
  };
  return { key: `sha256:${sha256(canonicalJson({ scheme: SCHEME, ...parts }))}`, parts };
}

/**
 * What a later run needs to say why its key differs: the parts with short digests, and a short
 * digest per file (its content and `x` bit) — or, when that would not fit in a label, per
 * folder cut at `depth` segments (`''` for the root).
 */
export interface Manifest {
  scheme: number;
  parts: KeyParts;
  files: Record<string, string>;
  depth?: number;
}

/** Short digests tell which part changed; they need not resist collisions. */
const SHORT = 12;
/** Registries and engines take far larger configs; a label this size costs nothing. */
export const MANIFEST_LABEL_LIMIT = 64 * 1024;

/** The manifest, and the label text that holds it (deflated, base64), within the limit. */
export function keyManifest(
  files: readonly FileEntry[],
  parts: KeyParts,
): { manifest: Manifest; label: string } {
  const shortParts: KeyParts = {
    ...parts,
    files: short(parts.files),
    galaxy: short(parts.galaxy),
    inputs: Object.fromEntries(Object.entries(parts.inputs).map(([k, v]) => [k, short(v)])),
  };
  const perFile = Object.fromEntries(
    files.map(([file, digest, executable]) => [file, short(digest) + (executable ? 'x' : '')]),
  );
  const deepest = files.reduce((most, [file]) => Math.max(most, file.split('/').length - 1), 0);
  for (let depth: number | undefined = undefined; ; depth = (depth ?? deepest + 1) - 1) {
    const manifest: Manifest = {
      scheme: SCHEME,
      parts: shortParts,
      files: depth === undefined ? perFile : byFolder(perFile, depth),
      ...(depth === undefined ? {} : { depth }),
    };
    const label = deflateSync(JSON.stringify(manifest), { level: 9 }).toString('base64');
    if (label.length <= MANIFEST_LABEL_LIMIT || depth === 0) return { manifest, label };
  }
}

export function readManifest(label: string): Manifest {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(
      inflateSync(Buffer.from(label, 'base64'), { maxOutputLength: 16 << 20 }).toString('utf8'),
    ) as Manifest;
  } catch (error) {
    throw new Error('The input-key manifest label does not decode', { cause: error });
  }
  if (typeof manifest?.scheme !== 'number' || typeof manifest.files !== 'object')
    throw new Error('The input-key manifest label is not a manifest');
  return manifest;
}

/** At most this many paths in the line about files. */
const PATHS_SHOWN = 10;

/** One line per part that differs between the earlier image's manifest and this run's. */
export function explainMiss(previous: Manifest, current: Manifest): string[] {
  if (previous.scheme !== current.scheme)
    return [
      `key scheme: the earlier image was keyed by scheme ${previous.scheme}, this run by ${current.scheme}`,
    ];
  const lines: string[] = [];
  const [was, now] = [previous.parts, current.parts];
  if (was.files !== now.files) lines.push(filesLine(previous, current));
  if (was.galaxy !== now.galaxy) lines.push('Galaxy requirements: the installed content changed');
  const inputs = changedNames(was.inputs, now.inputs);
  if (inputs.length > 0) lines.push(`inputs: ${inputs.join(', ')}`);
  if (was.base !== now.base) lines.push(`base image: ${was.base} → ${now.base}`);
  if (was.platform !== now.platform) lines.push(`platform: ${was.platform} → ${now.platform}`);
  const versions: Record<string, string> = { ...was.tools, action: was.action };
  const newVersions: Record<string, string> = { ...now.tools, action: now.action };
  const tools = changedNames(versions, newVersions).map(
    (name) => `${name} ${versions[name] ?? '(none)'} → ${newVersions[name] ?? '(none)'}`,
  );
  if (tools.length > 0) lines.push(`tool versions: ${tools.join(', ')}`);
  return lines;
}

function filesLine(previous: Manifest, current: Manifest): string {
  const depths = [previous.depth, current.depth].filter((depth) => depth !== undefined);
  const depth = depths.length > 0 ? Math.min(...depths) : undefined;
  // Per-file digests regroup into folders; folder digests do not regroup at another depth.
  const at = (manifest: Manifest) =>
    manifest.depth === depth
      ? manifest.files
      : manifest.depth === undefined && depth !== undefined
        ? byFolder(manifest.files, depth)
        : undefined;
  const [was, now] = [at(previous), at(current)];
  if (!was || !now) return 'files: changed (folder digests at different depths tell not which)';
  const changed: string[] = [];
  for (const name of [...new Set([...Object.keys(was), ...Object.keys(now)])].sort(byPath)) {
    const shown = name || '.';
    if (!Object.hasOwn(was, name)) changed.push(`${shown} (added)`);
    else if (!Object.hasOwn(now, name)) changed.push(`${shown} (removed)`);
    else if (was[name] !== now[name]) changed.push(shown);
  }
  const more = changed.length > PATHS_SHOWN ? ` and ${changed.length - PATHS_SHOWN} more` : '';
  const what = depth === undefined ? 'files' : `folders (files grouped to depth ${depth})`;
  return `${what}: ${changed.slice(0, PATHS_SHOWN).join(', ') || 'changed'}${more}`;
}

/** Names whose value was added, removed or changed, sorted. */
function changedNames(was: Record<string, string>, now: Record<string, string>): string[] {
  return [...new Set([...Object.keys(was), ...Object.keys(now)])]
    .filter((name) => was[name] !== now[name])
    .sort(byPath);
}

/** Per-file short digests grouped into one per folder, cut at `depth` path segments. */
function byFolder(perFile: Record<string, string>, depth: number): Record<string, string> {
  const folders = new Map<string, [string, string][]>();
  for (const [file, digest] of Object.entries(perFile)) {
    const folder = file.split('/').slice(0, -1).slice(0, depth).join('/');
    const members = folders.get(folder) ?? [];
    members.push([file, digest]);
    folders.set(folder, members);
  }
  return Object.fromEntries(
    [...folders].map(([folder, members]) => [
      folder,
      short(sha256(canonicalJson(members.sort(([a], [b]) => byPath(a, b))))),
    ]),
  );
}

/** JSON with every object's keys sorted, so that equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => byPath(a, b)))
      : item,
  );
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const short = (digest: string): string => digest.slice(0, SHORT);
