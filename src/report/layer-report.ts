import { humanBytes } from './format.js';
import { code, table } from './markdown.js';
import {
  PACKAGE_DATABASES,
  type PackageChanges,
  type TextDatabase,
  diffPackages,
  parseDatabase,
} from './packages.js';
import type { TarEntry } from './tar-entries.js';

/** What one layer holds, from its headers and, of its package databases, their text. */
export interface LayerScan {
  /** Every entry but folders and whiteouts; sizes are those of regular files' content. */
  files: Array<{ path: string; size: number }>;
  /** Paths of lower layers that the layer removes (`.wh.NAME` whiteouts). */
  removed: string[];
  /** Folders whose lower layers' content the layer hides (`.wh..wh..opq`). */
  opaque: string[];
  /** A database's text, or null where the path holds no regular file of DATABASE_LIMIT bytes. */
  databases: Map<TextDatabase, string | null>;
  /** Whether the layer writes or removes anything of rpm's database, which is binary. */
  rpm: boolean;
}

export interface PathSize {
  /** Absolute; a folder's ends in `/`. */
  path: string;
  size: number;
  files: number;
}

export type LeftoverKind =
  | 'apt lists'
  | 'package cache'
  | 'user cache'
  | 'ansible temp'
  | 'temp'
  | 'log'
  | 'python bytecode';

export interface Leftover extends PathSize {
  kind: LeftoverKind;
}

/** What the layer that the build added holds. */
export interface LayerReport {
  /** Bytes of file content: what `max-layer-size` is compared with. */
  size: number;
  files: number;
  /**
   * Paths of the base that the layer removes (whiteouts); they add no bytes. Opaque-folder
   * markers are not counted: overlayfs puts them on folders that it made anew, too.
   */
  removed: number;
  largest: PathSize[];
  /** One per package database found in the base or the result. */
  packages: PackageChanges[];
  /** Why a package list is missing or partial, for people to read. */
  packageNotes: string[];
  leftovers: Leftover[];
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';
const RPM_DATABASES = ['var/lib/rpm', 'usr/lib/sysimage/rpm'];
const LARGEST = 10;

/** `./usr/bin/` → `usr/bin`. */
const normalize = (name: string) => name.replace(/^(?:\.?\/)+/, '').replace(/\/+$/, '');

const parentOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf('/')));
const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const within = (path: string, folder: string) =>
  folder === '' || path === folder || path.startsWith(`${folder}/`);

const DATABASE_PATHS = new Map(
  Object.entries(PACKAGE_DATABASES).map(([manager, path]) => [path, manager as TextDatabase]),
);

/** A package database of dpkg's or apk's is at most this large: more is not read. */
export const DATABASE_LIMIT = 64 * 1024 * 1024;

/** Whether scanLayer needs an entry's content: a package database's. */
export const wantsContent = (name: string) => DATABASE_PATHS.has(normalize(name));

/** Whether removing this path removes some of rpm's database. */
const touchesRpm = (removed: string) =>
  RPM_DATABASES.some((folder) => within(removed, folder) || within(folder, removed));

/**
 * Reads a layer's entries as they stream: headers only, but for the package databases. A base
 * layer, which matters only for those, need not keep its list of files.
 */
export async function scanLayer(
  entries: AsyncIterable<TarEntry>,
  { files = true } = {},
): Promise<LayerScan> {
  const scan: LayerScan = { files: [], removed: [], opaque: [], databases: new Map(), rpm: false };
  for await (const entry of entries) {
    const path = normalize(entry.name);
    const name = baseName(path);
    if (name === OPAQUE) {
      scan.opaque.push(parentOf(path));
      scan.rpm ||= touchesRpm(parentOf(path));
    } else if (name.startsWith(WHITEOUT)) {
      // `.wh..wh.*` others are aufs' own bookkeeping, not removals.
      if (name.startsWith(`${WHITEOUT}${WHITEOUT}`)) continue;
      const removed = [parentOf(path), name.slice(WHITEOUT.length)].filter(Boolean).join('/');
      scan.removed.push(removed);
      scan.rpm ||= touchesRpm(removed);
    } else if (entry.type !== 'directory') {
      if (files) scan.files.push({ path, size: entry.type === 'file' ? entry.size : 0 });
      scan.rpm ||= RPM_DATABASES.some((folder) => within(path, folder));
      const manager = DATABASE_PATHS.get(path);
      if (manager) scan.databases.set(manager, entry.content?.toString('utf8') ?? null);
    }
  }
  return scan;
}

/** Whether a layer hides `path` of the layers below it. */
const hides = (layer: LayerScan, path: string) =>
  layer.removed.some((removed) => within(path, removed)) ||
  layer.opaque.some((folder) => within(path, folder) && path !== folder);

/**
 * A package database as the layers leave it: the last layer's version of the file, unless a
 * later layer removed it. undefined: none; null: something there, but not a file to read.
 */
function databaseIn(layers: LayerScan[], manager: TextDatabase): string | null | undefined {
  const path = PACKAGE_DATABASES[manager];
  let text: string | null | undefined;
  for (const layer of layers) {
    // A layer's whiteouts apply to the layers below it, not to its own files.
    if (hides(layer, path)) text = undefined;
    if (layer.databases.has(manager)) text = layer.databases.get(manager);
  }
  return text;
}

/**
 * The report on the layers above the first `baseLayers` of an image's layers, bottom first.
 * rpm's changes are not in it: its database is binary (see `rpmChanges`).
 */
export function layerReport(layers: LayerScan[], baseLayers: number): LayerReport {
  const base = layers.slice(0, baseLayers);
  const added = layers.slice(baseLayers);
  const files = added.flatMap((layer) => layer.files);
  const packages: PackageChanges[] = [];
  const packageNotes: string[] = [];
  for (const manager of Object.keys(PACKAGE_DATABASES) as TextDatabase[]) {
    const path = `/${PACKAGE_DATABASES[manager]}`;
    const before = databaseIn(base, manager);
    if (!added.some((layer) => layer.databases.has(manager) || hides(layer, path.slice(1)))) {
      if (before !== undefined) packages.push(diffPackages(manager, [], []));
      continue;
    }
    const after = databaseIn(layers, manager);
    if (before === null || after === null)
      packageNotes.push(
        `${manager}: ${path} is not a regular file of at most ${DATABASE_LIMIT} bytes; its packages are not listed`,
      );
    else if (after === undefined)
      packageNotes.push(`${manager}: the layer removes ${path}; its packages are not listed`);
    else
      packages.push(
        diffPackages(manager, parseDatabase(manager, before ?? ''), parseDatabase(manager, after)),
      );
  }
  return {
    size: files.reduce((sum, file) => sum + file.size, 0),
    files: files.length,
    removed: added.reduce((sum, layer) => sum + layer.removed.length, 0),
    largest: largestPaths(files),
    packages,
    packageNotes,
    leftovers: leftovers(files),
  };
}

interface Folder {
  size: number;
  files: number;
  entries: Map<string, Folder>;
}

const newFolder = (): Folder => ({ size: 0, files: 0, entries: new Map() });

interface Shown {
  path: string;
  node: Folder;
}

const bySize = (a: Shown, b: Shown) =>
  b.node.size - a.node.size || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** Two lists in `bySize` order as one. */
function merge(a: Shown[], b: Shown[]): Shown[] {
  const merged: Shown[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length)
    merged.push(j >= b.length || (i < a.length && bySize(a[i], b[j]) <= 0) ? a[i++] : b[j++]);
  return merged;
}

/**
 * The largest paths, folders summed, none inside another shown. Starting from the top-level
 * entries, a folder among the largest is replaced by its entries when those of them that then
 * rank among the largest hold at least half of its bytes: a folder that is mostly one
 * subfolder or file gives way to it, one spread over many small files stays whole.
 */
export function largestPaths(
  files: Array<{ path: string; size: number }>,
  count = LARGEST,
): PathSize[] {
  const root = newFolder();
  for (const file of files) {
    let node = root;
    for (const part of ['', ...file.path.split('/')]) {
      if (part) {
        let next = node.entries.get(part);
        if (!next) node.entries.set(part, (next = newFolder()));
        node = next;
      }
      node.size += file.size;
      node.files++;
    }
  }
  const open = ({ path, node }: Shown): Shown[] =>
    [...node.entries]
      .map(([name, entry]) => ({ path: `${path}/${name}`, node: entry }))
      .sort(bySize);
  let shown = open({ path: '', node: root });
  const whole = new Set<Shown>();
  for (;;) {
    const folder = shown
      .slice(0, count)
      .find((item) => item.node.entries.size > 0 && item.node.size > 0 && !whole.has(item));
    if (!folder) break;
    const rest = shown.filter((item) => item !== folder);
    const entries = open(folder);
    const top = merge(rest.slice(0, count), entries.slice(0, count)).slice(0, count);
    const kept = top.filter((item) => entries.includes(item));
    if (kept.reduce((sum, item) => sum + item.node.size, 0) * 2 >= folder.node.size)
      shown = merge(rest, entries);
    else whole.add(folder);
  }
  return shown.slice(0, count).map(({ path, node }) => ({
    path: node.entries.size ? `${path}/` : path,
    size: node.size,
    files: node.files,
  }));
}

const HOME = String.raw`(?:root|home/[^/]+)`;
/**
 * What looks like something the build left behind, in order: the first that matches names the
 * path (the folder summed) that the leftover is shown as.
 */
const LEFTOVER_RULES: Array<{ kind: LeftoverKind; pattern: RegExp }> = [
  { kind: 'apt lists', pattern: /^var\/lib\/apt\/lists(?=\/)/ },
  { kind: 'package cache', pattern: /^var\/cache\/apt\/[^/]+\.bin$/ },
  { kind: 'package cache', pattern: /^var\/cache\/(?:apt\/archives|apk|dnf|yum)(?=\/)/ },
  { kind: 'user cache', pattern: new RegExp(String.raw`^${HOME}/\.(?:cache|npm)(?=/)`) },
  { kind: 'ansible temp', pattern: new RegExp(String.raw`^${HOME}/\.ansible/tmp(?=/)`) },
  { kind: 'temp', pattern: /^(?:var\/)?tmp\/[^/]+/ },
  { kind: 'log', pattern: /^var\/log\/(?:.+\/)?[^/]+\.log(?:\.\d+)?(?:\.(?:gz|xz|bz2))?$/ },
  { kind: 'python bytecode', pattern: /^(?:.+\/)?__pycache__(?=\/)/ },
  { kind: 'python bytecode', pattern: /^.+\.py[co]$/ },
];

/**
 * Python's own library and the folders that pip and the package managers install into keep
 * their bytecode on purpose: it spares every start of the program compiling it again.
 */
const PYTHON_LIBRARY = /(?:^|\/)(?:site-packages|dist-packages|lib\/python\d[^/]*)\//;

/** Files that look like build leftovers, grouped by the folder they are in, largest first. */
export function leftovers(files: Array<{ path: string; size: number }>): Leftover[] {
  const groups = new Map<string, Leftover>();
  for (const file of files) {
    for (const { kind, pattern } of LEFTOVER_RULES) {
      const match = pattern.exec(file.path);
      if (!match) continue;
      if (kind === 'python bytecode' && PYTHON_LIBRARY.test(file.path)) break;
      const path = `/${match[0]}${match[0] === file.path ? '' : '/'}`;
      const group = groups.get(path) ?? { path, kind, size: 0, files: 0 };
      group.size += file.size;
      group.files++;
      groups.set(path, group);
      break;
    }
  }
  return [...groups.values()]
    .filter((group) => group.size > 0)
    .sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : 1));
}

/** Fails when the layer holds more than `limit` bytes, naming where they are. */
export function checkLayerSize(report: LayerReport, limit: number): void {
  if (report.size <= limit) return;
  const largest = report.largest
    .slice(0, 5)
    // JSON quotes show a path's control characters instead of obeying them.
    .map((entry) => `${JSON.stringify(entry.path)} ${humanBytes(entry.size)}`)
    .join(', ');
  throw new Error(
    `The layer the build added holds ${humanBytes(report.size)} (${report.size} bytes), more than max-layer-size allows: ${humanBytes(limit)} (${limit} bytes). Its largest paths: ${largest}`,
  );
}

const SHOWN_ROWS = 50;

/** More rows than a summary should hold are left to the `metadata` output. */
function capped<T>(rows: T[], render: (row: T) => string[], width: number): string[][] {
  const shown = rows.slice(0, SHOWN_ROWS).map(render);
  if (rows.length > SHOWN_ROWS)
    shown.push([
      `… and ${rows.length - SHOWN_ROWS} more in the \`metadata\` output`,
      ...Array<string>(width - 1).fill(''),
    ]);
  return shown;
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** The job summary's section on the layer; of one platform's image, when there are several. */
export function layerSection(report: LayerReport, platform?: string): string[] {
  const parts = [
    `### What the added layer holds${platform ? ` (${code(platform)})` : ''}`,
    '',
    `${humanBytes(report.size)} in ${count(report.files, 'file')}${report.removed ? `; it removes ${count(report.removed, 'path')} of the base` : ''}.`,
    '',
  ];
  if (report.largest.length)
    parts.push(
      table(
        ['largest paths', 'size', 'files'],
        report.largest.map((entry) => [
          code(entry.path),
          humanBytes(entry.size),
          String(entry.files),
        ]),
      ),
    );
  for (const changes of report.packages) parts.push(...packagesSection(changes));
  if (!report.packages.length && !report.packageNotes.length)
    parts.push('No package database of dpkg, apk or rpm in the image.', '');
  // A note may quote what a command in the image printed.
  if (report.packageNotes.length)
    parts.push(...report.packageNotes.map((note) => `- ${code(note)}`), '');
  if (report.leftovers.length) {
    const total = report.leftovers.reduce((sum, leftover) => sum + leftover.size, 0);
    parts.push(
      `#### Possible build leftovers: ${humanBytes(total)}`,
      '',
      table(
        ['path', 'what', 'size', 'files'],
        capped(
          report.leftovers,
          (leftover) => [
            code(leftover.path),
            leftover.kind,
            humanBytes(leftover.size),
            String(leftover.files),
          ],
          4,
        ),
      ),
    );
  }
  return parts;
}

function packagesSection(changes: PackageChanges): string[] {
  const { added, removed, upgraded, downgraded } = changes;
  const heading = `#### Packages (${changes.manager})`;
  if (!added.length && !removed.length && !upgraded.length && !downgraded.length)
    return [heading, '', 'No package added, removed or changed.', ''];
  const size = (bytes?: number) => (bytes === undefined ? '' : humanBytes(bytes));
  const rows = [
    ...added.map((p) => [p.name, 'added', code(p.version), size(p.size)]),
    ...upgraded.map((c) => [c.name, 'upgraded', `${code(c.from)} → ${code(c.to)}`, '']),
    ...downgraded.map((c) => [c.name, 'downgraded', `${code(c.from)} → ${code(c.to)}`, '']),
    ...removed.map((p) => [p.name, 'removed', code(p.version), size(p.size)]),
  ];
  return [
    heading,
    '',
    `${added.length} added, ${upgraded.length} upgraded, ${downgraded.length} downgraded, ${removed.length} removed.`,
    '',
    table(
      ['package', 'change', 'version', 'installed size'],
      capped(rows, ([name, ...rest]) => [code(name), ...rest], 4),
    ),
  ];
}
