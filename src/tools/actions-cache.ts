import * as cache from '@actions/cache';
import * as core from '@actions/core';
import { type CacheToSave, saveCachesToSave } from '../state.js';

/** What this step made, for the post step to save: every entry so far, in one state value. */
const made: CacheToSave[] = [];

/**
 * The second cache tier, across workflow runs, for folders of the runner's cache. A cache
 * service that is down or slow costs a warning.
 */
export class ActionsCache {
  constructor(
    /** What the folders hold, for the warnings. */
    private readonly label: string,
    private readonly key: string,
    private readonly paths: string[],
  ) {}

  /** True when the folders were restored. */
  async restore(): Promise<boolean> {
    if (!cache.isFeatureAvailable()) return false;
    try {
      return (await cache.restoreCache(this.paths, this.key)) !== undefined;
    } catch (error) {
      core.warning(
        `Restoring ${this.label} from the Actions cache failed: ${(error as Error).message}`,
      );
      return false;
    }
  }

  async save(): Promise<void> {
    if (!cache.isFeatureAvailable()) return;
    try {
      await cache.saveCache(this.paths, this.key);
    } catch (error) {
      core.warning(`Saving ${this.label} to the Actions cache failed: ${(error as Error).message}`);
    }
  }

  /**
   * Leaves the saving to the post step, as actions/setup-node does: the build does not wait
   * for the upload, and a tool that a failing build installed is kept all the same.
   */
  saveInPost(): void {
    if (!cache.isFeatureAvailable()) return;
    made.push({ label: this.label, key: this.key, paths: this.paths });
    saveCachesToSave(made);
  }
}

/** The post step's part: what the main step left to it, one after the other. */
export async function saveAll(caches: CacheToSave[]): Promise<void> {
  for (const { label, key, paths } of caches) await new ActionsCache(label, key, paths).save();
}
