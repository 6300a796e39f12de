import { createHash } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  readlinkSync,
  type Dirent,
} from 'node:fs';
import path from 'node:path';
import {
  dockerIgnored,
  gitIgnored,
  parseDockerignore,
  parseGitignore,
  type Rule,
} from './ignore.js';

/** A file the build can read: its path from the root, its content's SHA-256, its `x` bit. */
export type FileEntry = readonly [path: string, digest: string, executable: boolean];

export interface FileDigest {
  digest: string;
  executable: boolean;
}

export interface WalkOptions {
  /**
   * Hashes one regular file. A seam for the tests: they run as root, whom no permission stops.
   */
  hashFile?: (file: string) => FileDigest;
}

/** How long the walk may hold the event loop before it lets other work run. */
const SLICE_MS = 20;
const CHUNK = 1024 * 1024;
/** Never following a link, nor waiting on a FIFO, that took a file's place since the listing. */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** By UTF-16 code unit: the same order on every runner, whatever its locale. */
export const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Every file under `root` that the build can read, sorted by path: without `.git`, what
 * `.gitignore` files (at every level) or a root `.dockerignore` leave out, and empty folders
 * (git keeps none; Docker would send them, but a playbook rarely reads one). A link is hashed
 * as the text of its target, never followed, so nothing outside `root` is read. Throws, naming
 * the path, on anything it cannot read or hash (a FIFO, socket or device among them): a key
 * over part of the workspace could reuse a stale image.
 *
 * Files are read one at a time with synchronous calls, in slices between which the event loop
 * runs. On a 2-core runner that was about twice as fast as 16 reads at a time through libuv's
 * thread pool (fs/promises: 2–3 times), and 2 to 4 worker threads were no faster than one:
 * the per-call overhead outweighs the parallel reads.
 */
export async function workspaceFiles(
  root: string,
  options: WalkOptions = {},
): Promise<FileEntry[]> {
  const hash = options.hashFile ?? hashRegularFile;
  const dockerRules = parseDockerignore(readIgnoreFile(path.join(root, '.dockerignore')) ?? '');
  // Docker re-includes `!` lines below an excluded folder, so only without them may a walk skip it.
  const dockerPrunes = !dockerRules.some((rule) => rule.negate);
  const files: FileEntry[] = [];
  let sliceStart = performance.now();

  const walk = async (folder: string, inherited: readonly Rule[]): Promise<void> => {
    const full = path.join(root, folder);
    let entries: Dirent[];
    try {
      entries = readdirSync(full, { withFileTypes: true });
    } catch (error) {
      throw new Error(`Cannot list ${full} for the input key`, { cause: error });
    }
    const base = folder === '' ? '' : `${folder}/`;
    const gitignore = entries.some((entry) => entry.name === '.gitignore' && entry.isFile());
    const rules = gitignore
      ? [...inherited, ...parseGitignore(readIgnoreFile(path.join(full, '.gitignore')) ?? '', base)]
      : inherited;
    for (const entry of entries) {
      if (entry.name === '.git') continue;
      const file = base + entry.name;
      const isDirectory = entry.isDirectory();
      if (gitIgnored(rules, file, isDirectory)) continue;
      const dockerExcluded = dockerRules.length > 0 && dockerIgnored(dockerRules, file);
      if (isDirectory) {
        if (!(dockerExcluded && dockerPrunes)) await walk(file, rules);
      } else if (dockerExcluded) continue;
      else if (entry.isFile()) files.push(hashFile(root, file, hash));
      else if (entry.isSymbolicLink()) files.push(hashLink(root, file));
      else
        throw new Error(
          `${path.join(root, file)} is neither a file, a folder nor a link: the input key cannot hash it`,
        );
      if (performance.now() - sliceStart > SLICE_MS) {
        await new Promise(setImmediate);
        sliceStart = performance.now();
      }
    }
  };
  await walk('', []);
  return files.sort(([a], [b]) => byPath(a, b));
}

function hashFile(root: string, file: string, hash: (file: string) => FileDigest): FileEntry {
  const full = path.join(root, file);
  try {
    const { digest, executable } = hash(full);
    return [file, digest, executable];
  } catch (error) {
    throw new Error(`Cannot read ${full} for the input key`, { cause: error });
  }
}

/** Distinct from any file's digest, so that a link and a file holding its target differ. */
function hashLink(root: string, file: string): FileEntry {
  const full = path.join(root, file);
  try {
    const target = readlinkSync(full);
    return [file, createHash('sha256').update(`symlink\0${target}`).digest('hex'), false];
  } catch (error) {
    throw new Error(`Cannot read the link ${full} for the input key`, { cause: error });
  }
}

function hashRegularFile(file: string): FileDigest {
  const fd = openSync(file, OPEN_FLAGS);
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new Error('it is no longer a regular file');
    const hash = createHash('sha256');
    // One read for most files; a large one goes by chunks, never whole into memory.
    const buffer = Buffer.allocUnsafe(Math.max(1, Math.min(info.size, CHUNK)));
    for (let read; (read = readSync(fd, buffer, 0, buffer.length, null)) > 0;)
      hash.update(buffer.subarray(0, read));
    return { digest: hash.digest('hex'), executable: (info.mode & 0o111) !== 0 };
  } finally {
    closeSync(fd);
  }
}

/**
 * An ignore file's text, or undefined when there is none. A link in its place counts as none,
 * as for git since 2.32: reading it could reach outside the root.
 */
function readIgnoreFile(file: string): string | undefined {
  try {
    const fd = openSync(file, OPEN_FLAGS);
    try {
      return readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ELOOP') return undefined;
    throw new Error(`Cannot read ${file} for the input key`, { cause: error });
  }
}
