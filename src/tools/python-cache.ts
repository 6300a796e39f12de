import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { assetPath } from '../assets.js';
import type { ActionsCache } from './actions-cache.js';
import { actionCacheDirectory } from './version-cache.js';

/**
 * The Python that the container script keeps outside an image that has none (see README,
 * "Base images without Python"): one folder per base image in the runner's cache, carried
 * across workflow runs by the Actions cache. The base image's ID names it, since the image's
 * packages decide which packages complete it; and so does the script that makes it, so that a
 * folder made by another version of the action is never taken for one of this version's.
 */
export class PythonCache {
  /** The launcher that the container script writes last into a complete folder. */
  static readonly LAUNCHER = 'python3';
  readonly directory: string;
  private readonly key: string;
  private hadIt = true;
  private actionsCache?: ActionsCache;

  private constructor(name: string) {
    this.directory = path.join(actionCacheDirectory(), 'python', name);
    this.key = `ansible-image-python-${name}`;
  }

  static async forImage(baseImageId: string): Promise<PythonCache> {
    const script = await readFile(assetPath('container.sh'));
    return new PythonCache(
      `${baseImageId.replace(/^sha256:/, '').slice(0, 16)}-${createHash('sha256').update(script).digest('hex').slice(0, 8)}`,
    );
  }

  /** Before the container starts: the engine would make a missing folder, and as root. */
  async makeDirectory(): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    // Users that a playbook creates in the image run this Python too.
    await chmod(this.directory, 0o755);
  }

  /** Brings this base image's Python from the Actions cache, unless the runner has it. */
  async restore(): Promise<void> {
    // The launcher goes in last: it marks a complete folder.
    if (existsSync(path.join(this.directory, PythonCache.LAUNCHER))) return;
    // Loaded only here: the cache client doubles the bundle, and this runs alongside Packer.
    const { ActionsCache } = await import('./actions-cache.js');
    this.actionsCache = new ActionsCache('Python for Ansible', this.key, [this.directory]);
    this.hadIt = await this.actionsCache.restore();
  }

  /** Keeps a Python that this build unpacked for the next workflow runs. */
  async save(): Promise<void> {
    if (!this.hadIt && existsSync(path.join(this.directory, PythonCache.LAUNCHER)))
      await this.actionsCache?.save();
  }

  /** Removes the folder again if the base image had Python, so that nothing went into it. */
  async dropIfUnused(): Promise<void> {
    await rmdir(this.directory).catch(() => undefined); // not empty: in use
  }
}
