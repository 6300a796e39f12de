/**
 * The package databases that dpkg and apk keep as text files, read from an image's layers, rpm's
 * as `rpm -qa` lists it, and what changed between two of them. Their text is the image's:
 * parsed, never trusted.
 */

/** The managers whose database is a text file. */
export type TextDatabase = 'dpkg' | 'apk';
export type PackageManager = TextDatabase | 'rpm';

export interface Package {
  name: string;
  version: string;
  architecture: string;
  /** Installed size in bytes, when the database records it. */
  size?: number;
}

export interface VersionChange {
  name: string;
  architecture: string;
  from: string;
  to: string;
}

export interface PackageChanges {
  manager: PackageManager;
  added: Package[];
  removed: Package[];
  upgraded: VersionChange[];
  downgraded: VersionChange[];
}

/** Where each manager keeps its database, as a path in a layer. */
export const PACKAGE_DATABASES: Record<TextDatabase, string> = {
  dpkg: 'var/lib/dpkg/status',
  apk: 'lib/apk/db/installed',
};

/** Paragraphs of `Field: value` lines (dpkg) or `X:value` lines (apk), split at blank lines. */
function stanzas(text: string): string[][] {
  return text
    .split(/\r?\n(?:[ \t]*\r?\n)+/)
    .map((stanza) => stanza.split(/\r?\n/).filter((line) => line.trim() !== ''))
    .filter((lines) => lines.length > 0);
}

/** dpkg's status file: the packages whose files are on disk (not those removed but configured). */
export function parseDpkgStatus(text: string): Package[] {
  return stanzas(text).flatMap((lines) => {
    const fields = new Map<string, string>();
    for (const line of lines) {
      // Continuation lines (a description's) start with white space.
      const match = /^([A-Za-z0-9-]+):[ \t]*(.*)$/.exec(line);
      if (match) fields.set(match[1].toLowerCase(), match[2].trim());
    }
    const name = fields.get('package');
    const version = fields.get('version');
    const state = fields.get('status')?.split(/\s+/)[2];
    if (!name || !version || !state || state === 'not-installed' || state === 'config-files')
      return [];
    const kib = Number(fields.get('installed-size'));
    return [
      {
        name,
        version,
        architecture: fields.get('architecture') ?? '',
        ...(Number.isSafeInteger(kib) && kib >= 0 && { size: kib * 1024 }),
      },
    ];
  });
}

/** apk's installed database: `P:` name, `V:` version, `A:` architecture, `I:` size in bytes. */
export function parseApkInstalled(text: string): Package[] {
  return stanzas(text).flatMap((lines) => {
    const fields = new Map<string, string>();
    for (const line of lines) if (line[1] === ':') fields.set(line[0], line.slice(2).trim());
    const name = fields.get('P');
    const version = fields.get('V');
    if (!name || !version) return [];
    const size = Number(fields.get('I'));
    return [
      {
        name,
        version,
        architecture: fields.get('A') ?? '',
        ...(Number.isSafeInteger(size) && size >= 0 && { size }),
      },
    ];
  });
}

export const parseDatabase = (manager: TextDatabase, text: string): Package[] =>
  manager === 'dpkg' ? parseDpkgStatus(text) : parseApkInstalled(text);

/** The query format that `parseRpmList` reads: name, [epoch:]version-release, arch, size. */
export const RPM_QUERY_FORMAT =
  '%{NAME}\\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\\t%{ARCH}\\t%{SIZE}\\n';

/** `rpm -qa --queryformat RPM_QUERY_FORMAT`'s lines. */
export function parseRpmList(text: string): Package[] {
  return text.split('\n').flatMap((line) => {
    const [name, version, architecture, size] = line.split('\t');
    if (!name || !version || architecture === undefined) return [];
    const bytes = Number(size);
    return [
      {
        name,
        version,
        architecture,
        ...(size && Number.isSafeInteger(bytes) && bytes >= 0 && { size: bytes }),
      },
    ];
  });
}

/** What the second database has that the first had not, has no more, or has in another version. */
export function diffPackages(
  manager: PackageManager,
  before: Package[],
  after: Package[],
): PackageChanges {
  const key = (p: Package) => `${p.name}\0${p.architecture}`;
  const old = new Map(before.map((p) => [key(p), p]));
  const now = new Map(after.map((p) => [key(p), p]));
  const compare = COMPARE[manager];
  const changes: PackageChanges = { manager, added: [], removed: [], upgraded: [], downgraded: [] };
  for (const [k, p] of now) {
    const was = old.get(k);
    if (!was) changes.added.push(p);
    else if (was.version !== p.version) {
      const change = {
        name: p.name,
        architecture: p.architecture,
        from: was.version,
        to: p.version,
      };
      (compare(was.version, p.version) > 0 ? changes.downgraded : changes.upgraded).push(change);
    }
  }
  for (const [k, p] of old) if (!now.has(k)) changes.removed.push(p);
  const byName = (a: { name: string }, b: { name: string }) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  for (const list of Object.values(changes)) if (Array.isArray(list)) list.sort(byName);
  return changes;
}

const COMPARE: Record<PackageManager, (a: string, b: string) => number> = {
  dpkg: (a, b) => compareDebianVersions(a, b),
  apk: (a, b) => compareApkVersions(a, b),
  rpm: (a, b) => compareRpmVersions(a, b),
};

/**
 * Debian's version order (deb-version(7)): the epoch as a number, then the upstream version
 * and the revision, each in runs of non-digits, where `~` sorts before anything, even the end,
 * and letters before other characters, and runs of digits compared as numbers.
 */
export function compareDebianVersions(a: string, b: string): number {
  const [ea, ua, ra] = debianParts(a);
  const [eb, ub, rb] = debianParts(b);
  return Math.sign(ea - eb) || compareDebianPart(ua, ub) || compareDebianPart(ra, rb);
}

function debianParts(version: string): [number, string, string] {
  const colon = version.indexOf(':');
  const epoch = colon > 0 ? Number(version.slice(0, colon)) || 0 : 0;
  const rest = version.slice(colon + 1);
  const dash = rest.lastIndexOf('-');
  return dash > 0 ? [epoch, rest.slice(0, dash), rest.slice(dash + 1)] : [epoch, rest, ''];
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

function debianOrder(c: string | undefined): number {
  if (c === undefined || isDigit(c)) return 0;
  if (c === '~') return -1;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

/** dpkg's verrevcmp. */
function compareDebianPart(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const difference = debianOrder(a[i]) - debianOrder(b[j]);
      if (difference) return Math.sign(difference);
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    let first = 0;
    while (isDigit(a[i]) && isDigit(b[j])) {
      first ||= a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a[i])) return 1;
    if (isDigit(b[j])) return -1;
    if (first) return Math.sign(first);
  }
  return 0;
}

// apk's suffixes: the first four sort before a version without one, the others after it.
const APK_SUFFIXES = ['alpha', 'beta', 'pre', 'rc', '', 'cvs', 'svn', 'git', 'hg', 'p'];
const APK_VERSION =
  /^(\d+(?:\.\d+)*)([a-z]?)((?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)\d*)*)(?:~[0-9a-f]+)?(?:-r(\d+))?$/;

/**
 * apk's version order (apk-tools' version.c): numbers by dots (after the first, one with a
 * leading zero compares as a decimal fraction), a letter, suffixes, the `-rN` revision. A
 * version outside that grammar compares as text.
 */
export function compareApkVersions(a: string, b: string): number {
  const pa = APK_VERSION.exec(a);
  const pb = APK_VERSION.exec(b);
  if (!pa || !pb) return a < b ? -1 : a > b ? 1 : 0;
  const na = pa[1].split('.');
  const nb = pb[1].split('.');
  for (let k = 0; k < Math.min(na.length, nb.length); k++) {
    const fractional = k > 0 && (na[k].startsWith('0') || nb[k].startsWith('0'));
    const difference = fractional
      ? Number(`0.${na[k]}`) - Number(`0.${nb[k]}`)
      : Number(na[k]) - Number(nb[k]);
    if (difference) return Math.sign(difference);
  }
  if (na.length !== nb.length) return Math.sign(na.length - nb.length);
  if (pa[2] !== pb[2]) return pa[2] < pb[2] ? -1 : 1;
  const sa = apkSuffixes(pa[3]);
  const sb = apkSuffixes(pb[3]);
  for (let k = 0; k < Math.max(sa.length, sb.length); k++) {
    const [ka, xa] = sa[k] ?? [APK_SUFFIXES.indexOf(''), 0];
    const [kb, xb] = sb[k] ?? [APK_SUFFIXES.indexOf(''), 0];
    if (ka !== kb || xa !== xb) return Math.sign(ka - kb || xa - xb);
  }
  return Math.sign(Number(pa[4] ?? 0) - Number(pb[4] ?? 0));
}

function apkSuffixes(text: string): Array<[number, number]> {
  return [...text.matchAll(/_([a-z]+)(\d*)/g)].map(([, name, n]) => [
    APK_SUFFIXES.indexOf(name),
    Number(n || 0),
  ]);
}

/** rpm's order of `[epoch:]version-release`: the epoch as a number, then rpmvercmp of each. */
export function compareRpmVersions(a: string, b: string): number {
  const [ea, va, ra] = rpmParts(a);
  const [eb, vb, rb] = rpmParts(b);
  return Math.sign(ea - eb) || rpmvercmp(va, vb) || rpmvercmp(ra, rb);
}

function rpmParts(evr: string): [number, string, string] {
  const colon = evr.indexOf(':');
  const epoch = colon > 0 ? Number(evr.slice(0, colon)) || 0 : 0;
  const rest = evr.slice(colon + 1);
  const dash = rest.lastIndexOf('-');
  return dash >= 0 ? [epoch, rest.slice(0, dash), rest.slice(dash + 1)] : [epoch, rest, ''];
}

const isAlnum = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);

/**
 * rpm's rpmvercmp: runs of digits (as numbers) or of letters, anything else separates them;
 * `~` sorts before everything, even the end, `^` after the end but before anything else.
 */
function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && !isAlnum(a[i]) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isAlnum(b[j]) && b[j] !== '~' && b[j] !== '^') j++;
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const numeric = isDigit(a[i]);
    const run = numeric ? /^\d+/ : /^[A-Za-z]+/;
    const x = run.exec(a.slice(i))?.[0] ?? '';
    const y = run.exec(b.slice(j))?.[0] ?? '';
    // A number sorts after letters.
    if (!y) return numeric ? 1 : -1;
    i += x.length;
    j += y.length;
    const difference = numeric
      ? compareDigits(x.replace(/^0+/, ''), y.replace(/^0+/, ''))
      : x < y
        ? -1
        : x > y
          ? 1
          : 0;
    if (difference) return difference;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

const compareDigits = (x: string, y: string) =>
  Math.sign(x.length - y.length) || (x < y ? -1 : x > y ? 1 : 0);
