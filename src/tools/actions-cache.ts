import * as cache from '@actions/cache';
import * as core from '@actions/core';
import path from 'node:path';

/**
 * The second cache tier, across workflow runs, for a tool-cache folder: the folder and its
 * `.complete` marker under one key. A cache service that is down or slow costs a warning.
 */
export class ActionsCache {
  private readonly paths: string[];
  private readonly key: string;

  constructor(
    private readonly tool: string,
    version: string,
    flavour: string,
  ) {
    const directory = path.join(process.env.RUNNER_TOOL_CACHE ?? '', tool, version, flavour);
    this.paths = [directory, `${directory}.complete`];
    this.key = `ansible-image-${tool}-${version}-${process.platform}-${flavour}`;
  }

  get directory(): string {
    return this.paths[0];
  }

  /** True when the tool-cache folder was restored. */
  async restore(): Promise<boolean> {
    if (!cache.isFeatureAvailable()) return false;
    try {
      return (await cache.restoreCache(this.paths, this.key)) !== undefined;
    } catch (error) {
      core.warning(
        `Restoring ${this.tool} from the Actions cache failed: ${(error as Error).message}`,
      );
      return false;
    }
  }

  async save(): Promise<void> {
    if (!cache.isFeatureAvailable()) return;
    try {
      await cache.saveCache(this.paths, this.key);
    } catch (error) {
      core.warning(`Saving ${this.tool} to the Actions cache failed: ${(error as Error).message}`);
    }
  }
}
