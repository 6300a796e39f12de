import * as core from '@actions/core';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import {
  chmod,
  lstat,
  mkdir,
  readFile,
  readdir,
  readlink,
  rm,
  rmdir,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { assetPath } from '../assets.js';
import type { ActionsCache } from '../tools/actions-cache.js';
import { actionCacheDirectory } from '../tools/version-cache.js';

/**
 * Where the container finds the Python that Ansible uses from outside the image: in Packer's
 * folder (PACKER_CONTAINER_DIR), like the executor's, so that no mount point stays in the image.
 */
export const PYTHON_MOUNT = '/packer-files/python';

/**
 * In the executor's shared folder: made by the container script when it gave Ansible the Python
 * outside the image. Only its being a regular file counts: the container can write anything
 * there, so its content is never read and a link is ignored.
 */
export const OUTSIDE_PYTHON_FILE = 'python';

/** What makes the Python's folder (see unpack.ts), and so what the cache key hashes. */
const MAKERS = [
  assetPath('container.sh'),
  assetPath('outside-python', 'launcher.sh'),
  assetPath('outside-python', 'sitecustomize.py'),
];

/**
 * The Python that the container script keeps outside an image that has none (see README,
 * "Base images without Python"): one folder per base image in the runner's cache, carried
 * across workflow runs by the Actions cache. The base image's ID names it, since the image's
 * packages decide which packages complete it; and so do the files that make it (the container
 * script, and the launcher and sitecustomize.py in this folder), so that a folder made by
 * another version of the action is never taken for one of this version's.
 *
 * Builds run this Python as root, so no build may change it: it is unpacked by a container of
 * its own before the build, mounted read-only into build containers, and its digest, taken
 * once it is made, is checked before each use and before it goes to the Actions cache.
 */
export class PythonCache {
  /** The launcher that the container script writes last into a complete folder. */
  static readonly LAUNCHER = 'python3';
  readonly directory: string;
  /** Next to the folder, never inside what a container sees. */
  private readonly digestFile: string;
  /** The folder's metadata when its digest last matched; the runner's own, never cached. */
  private readonly stampFile: string;
  private readonly key: string;
  private hadIt = true;
  private actionsCache?: ActionsCache;

  private constructor(name: string) {
    this.directory = path.join(actionCacheDirectory(), 'python', name);
    this.digestFile = `${this.directory}.sha256`;
    this.stampFile = `${this.directory}.stamp`;
    this.key = `ansible-image-python-${name}`;
  }

  static async forImage(baseImageId: string): Promise<PythonCache> {
    const hash = createHash('sha256');
    for (const file of MAKERS) hash.update(await readFile(file));
    return new PythonCache(
      `${baseImageId.replace(/^sha256:/, '').slice(0, 16)}-${hash.digest('hex').slice(0, 8)}`,
    );
  }

  /** Before the container starts: the engine would make a missing folder, and as root. */
  async makeDirectory(): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    // Users that a playbook creates in the image run this Python too.
    await chmod(this.directory, 0o755);
  }

  private get complete(): boolean {
    return existsSync(path.join(this.directory, PythonCache.LAUNCHER));
  }

  /**
   * Makes sure the folder holds this base image's Python, as it was made: from the runner's
   * cache, the Actions cache, or else by `unpack` (a container of the base image that writes
   * into the folder). A folder whose digest changed is thrown away and made again.
   */
  async ensure(unpack: () => Promise<void>, checked?: Promise<boolean>): Promise<void> {
    if (this.complete && !(await (checked ?? this.intact()))) await this.discard();
    if (!this.complete) {
      // Loaded only here: the cache client doubles the bundle, and this runs alongside Packer.
      const { ActionsCache } = await import('../tools/actions-cache.js');
      this.actionsCache = new ActionsCache('Python for Ansible', this.key, [
        this.directory,
        this.digestFile,
      ]);
      this.hadIt = await this.actionsCache.restore();
      if (this.hadIt && !(await this.intact())) {
        await this.discard();
        this.hadIt = false;
      }
    }
    if (this.complete) return;
    await unpack();
    if (!this.complete) return;
    await writeFile(this.digestFile, await treeDigest(this.directory, 'content'));
    await writeFile(this.stampFile, await treeDigest(this.directory, 'metadata'));
  }

  /**
   * Answers the container script, which asks for this Python (by making REQUEST_FILE in the
   * shared folder) only when the base image has none: ensures it, then makes ANSWER_FILE.
   * Only the request's existence counts. Returns what stops the watch, once any answer is out.
   */
  answerRequests(sharedFolder: string, unpack: () => Promise<void>): () => Promise<void> {
    let answering: Promise<void> | undefined;
    // Checked while Packer starts, so that the answer is ready when the question comes.
    const checked = this.complete ? this.intact() : undefined;
    checked?.catch(() => undefined);
    const watch = setInterval(() => {
      if (answering || !existsSync(path.join(sharedFolder, REQUEST_FILE))) return;
      clearInterval(watch);
      answering = this.ensure(unpack, checked)
        .catch((error: unknown) =>
          core.warning(
            `Could not give Ansible a Python outside the image: ${(error as Error).message}`,
          ),
        )
        // A new file, never through what the container put there: 'wx' is O_EXCL, which
        // follows no link. The script takes any entry there as the answer.
        .finally(() =>
          writeFile(path.join(sharedFolder, ANSWER_FILE), '', { flag: 'wx' }).catch(
            () => undefined,
          ),
        );
    }, REQUEST_POLL_MS);
    return async () => {
      clearInterval(watch);
      await answering;
    };
  }

  /**
   * Keeps a Python that this build unpacked for the next workflow runs, if it is unchanged:
   * the post step uploads it, as it does the tools.
   */
  async save(): Promise<void> {
    if (!this.hadIt && this.complete && (await this.intact())) this.actionsCache?.saveInPost();
  }

  /** Removes the folder again if the base image had Python, so that nothing went into it. */
  async dropIfUnused(): Promise<void> {
    await rmdir(this.directory).catch(() => undefined); // not empty: in use
  }

  /**
   * Whether the folder is as it was made. Its metadata (ctime included, which no user can set)
   * changes with any write, so a folder whose metadata is as when its content last matched
   * is not read again: 3000 lstat calls instead of 48 MB on every build.
   */
  private async intact(): Promise<boolean> {
    const recorded = await readFile(this.digestFile, 'utf8').catch(() => '');
    if (recorded === '') return false;
    const stamp = await treeDigest(this.directory, 'metadata');
    if (stamp === (await readFile(this.stampFile, 'utf8').catch(() => ''))) return true;
    if (recorded !== (await treeDigest(this.directory, 'content'))) return false;
    await writeFile(this.stampFile, stamp);
    return true;
  }

  private async discard(): Promise<void> {
    await rm(this.directory, { recursive: true, force: true });
    await rm(this.digestFile, { force: true });
    await rm(this.stampFile, { force: true });
    await this.makeDirectory();
  }
}

/**
 * SHA-256 over a folder as it is: every entry's path, type and mode, and each link's target;
 * with `content`, each file's bytes, else each entry's size, inode, mtime and ctime. Links are
 * read, never followed.
 */
export async function treeDigest(root: string, what: 'content' | 'metadata'): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (relative: string): Promise<void> => {
    const entries = (await readdir(path.join(root, relative))).sort();
    for (const name of entries) {
      const entry = path.join(relative, name);
      const full = path.join(root, entry);
      const info = await lstat(full, { bigint: true });
      hash.update(`${entry}\0${info.mode.toString(8)}\0`);
      if (what === 'metadata')
        hash.update(`${info.size} ${info.ino} ${info.mtimeNs} ${info.ctimeNs}\0`);
      if (info.isSymbolicLink()) hash.update(`${await readlink(full)}\0`);
      else if (info.isFile() && what === 'content') {
        hash.update(`${info.size}\0`);
        for await (const chunk of createReadStream(full)) hash.update(chunk as Buffer);
      } else if (info.isDirectory()) await walk(entry);
    }
  };
  await walk('');
  return hash.digest('hex');
}

/** What the container script makes in the shared folder to ask for the Python, and our answer. */
export const REQUEST_FILE = 'python-wanted';
export const ANSWER_FILE = 'python-answered';
const REQUEST_POLL_MS = 20;
