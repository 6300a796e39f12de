import path from 'node:path';

/**
 * One exclusion line. `base` is the folder of the file that holds it, relative to the walked
 * root, with a trailing slash (or empty at the root); `pattern` matches a path relative to it.
 */
export interface Rule {
  pattern: RegExp;
  negate: boolean;
  directoryOnly: boolean;
  base: string;
}

/**
 * The rules of one `.gitignore` in folder `base`, as gitignore(5) reads them. Not handled:
 * `core.ignoreCase` (Linux runners are case-sensitive) and a trailing `\\ ` after an escaped
 * backslash.
 */
export function parseGitignore(text: string, base: string): Rule[] {
  const rules: Rule[] = [];
  for (const raw of text.split('\n')) {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    let end = line.length;
    while (end > 0 && line[end - 1] === ' ' && line[end - 2] !== '\\') end--;
    line = line.slice(0, end);
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1);
    const directoryOnly = line.endsWith('/');
    if (directoryOnly) line = line.replace(/\/+$/, '');
    if (line === '') continue;
    // A slash at the start or in the middle anchors the pattern to the file's folder;
    // otherwise it matches at any depth below it.
    const anchored = line.includes('/');
    const glob = anchored ? line.replace(/^\//, '') : `**/${line}`;
    rules.push({ pattern: globToRegExp(glob), negate, directoryOnly, base });
  }
  return rules;
}

/**
 * The rules of a `.dockerignore` at the root, as Docker's patternmatcher reads them: every
 * pattern is cleaned and anchored at the root, and a trailing slash does not restrict it to
 * folders. Simplified: `**` only as a whole path segment (Docker also lets `a**b` cross
 * slashes), `[!…]` is a negated class as in git (Go's `filepath.Match` only knows `[^…]`), and
 * a pattern with an unclosed `[` matches nothing (Docker refuses the file).
 */
export function parseDockerignore(text: string): Rule[] {
  const rules: Rule[] = [];
  for (const raw of text.replace(/^\uFEFF/, '').split('\n')) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1).trim();
    line = path.posix.normalize(line).replace(/^\/+/, '').replace(/\/+$/, '');
    if (line === '' || line === '.') continue;
    rules.push({ pattern: globToRegExp(line), negate, directoryOnly: false, base: '' });
  }
  return rules;
}

/** Whether git leaves `file` (relative to the root) out: the last rule that matches decides. */
export function gitIgnored(rules: readonly Rule[], file: string, isDirectory: boolean): boolean {
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i];
    if (rule.directoryOnly && !isDirectory) continue;
    if (!file.startsWith(rule.base)) continue;
    if (rule.pattern.test(file.slice(rule.base.length))) return !rule.negate;
  }
  return false;
}

/**
 * Whether Docker leaves `file` out of the context: a rule that matches the path or any folder
 * above it counts, and the last one that counts decides (so `!` can bring back a file inside a
 * folder that an earlier line left out).
 */
export function dockerIgnored(rules: readonly Rule[], file: string): boolean {
  const candidates = [file];
  for (let slash = file.indexOf('/'); slash !== -1; slash = file.indexOf('/', slash + 1))
    candidates.push(file.slice(0, slash));
  for (let i = rules.length - 1; i >= 0; i--)
    if (candidates.some((candidate) => rules[i].pattern.test(candidate))) return !rules[i].negate;
  return false;
}

const REGEXP_SPECIAL = /[.*+?^${}()|[\]\\/-]/g;
const literal = (text: string): string => text.replace(REGEXP_SPECIAL, '\\$&');

/** A glob over `/`-separated paths, anchored at both ends, with `**` as a whole segment. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '*') {
      const segmentStart = i === 0 || glob[i - 1] === '/';
      if (glob[i + 1] === '*' && segmentStart && (i + 2 === glob.length || glob[i + 2] === '/')) {
        // `**/` is any number of folders, none included; a final `**` is everything below.
        source += i + 2 === glob.length ? '.*' : '(?:.*/)?';
        i += 2;
        continue;
      }
      while (glob[i + 1] === '*') i++;
      source += '[^/]*';
    } else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const parsed = characterClass(glob, i);
      // git's wildmatch matches nothing with an unclosed `[` (Docker refuses the pattern).
      if (!parsed) return NOTHING;
      source += parsed.source;
      i = parsed.end;
    } else if (char === '\\' && i + 1 < glob.length) source += literal(glob[++i]);
    else source += literal(char);
  }
  return new RegExp(`^${source}$`);
}

const NOTHING = /(?!)/;

/** `[…]` starting at `start`, or undefined when it never closes. */
function characterClass(glob: string, start: number): { source: string; end: number } | undefined {
  let i = start + 1;
  const negate = glob[i] === '!' || glob[i] === '^';
  if (negate) i++;
  let body = '';
  // A `]` right after the opening is a member, not the end.
  for (let first = true; i < glob.length; i++, first = false) {
    const char = glob[i];
    if (char === ']' && !first) return { source: `[${negate ? '^/' : ''}${body}]`, end: i };
    if (char === '\\' && i + 1 < glob.length) body += literal(glob[++i]);
    else body += char === '-' ? '-' : literal(char);
  }
  return undefined;
}
