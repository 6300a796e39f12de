import { access, chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { ActionsCache } from './actions-cache.js';
import { actionCacheDirectory } from './version-cache.js';

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

/**
 * The Python that the container script keeps outside an image that has none (see README,
 * "Base images without Python"): one folder per base image in the runner's cache, carried
 * across workflow runs by the Actions cache. The base image's ID names it: the image's
 * packages decide which packages complete it.
 */
export class PythonCache {
  /** The runner's folder for all of them, which the build container sees at PYTHON_CACHE_MOUNT. */
  readonly root = path.join(actionCacheDirectory(), 'python');
  readonly key: string;
  private hadIt = true;
  private actionsCache?: ActionsCache;

  constructor(baseImageId: string) {
    this.key = baseImageId.replace(/^sha256:/, '').slice(0, 16);
  }

  get directory(): string {
    return path.join(this.root, this.key);
  }

  /** Before the container starts: the engine would make a missing folder, and as root. */
  async makeRoot(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    // Users that a playbook creates in the image run this Python too.
    await chmod(this.root, 0o755);
  }

  /** Brings this base image's Python from the Actions cache, unless the runner has it. */
  async restore(): Promise<void> {
    if (await exists(this.directory)) return;
    // Loaded only here: the cache client doubles the bundle, and this runs alongside Packer.
    const { ActionsCache } = await import('./actions-cache.js');
    this.actionsCache = new ActionsCache('Python for Ansible', `ansible-image-python-${this.key}`, [
      this.directory,
    ]);
    this.hadIt = await this.actionsCache.restore();
  }

  /** Keeps a Python that this build unpacked for the next workflow runs. */
  async save(): Promise<void> {
    if (!this.hadIt && (await exists(path.join(this.directory, 'python3'))))
      await this.actionsCache?.save();
  }
}
