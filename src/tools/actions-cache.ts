import * as cache from '@actions/cache';
import * as core from '@actions/core';
import path from 'node:path';

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

  /** A tool-cache folder and its `.complete` marker, under one key. */
  static forTool(tool: string, version: string, flavour: string): ActionsCache {
    const directory = path.join(process.env.RUNNER_TOOL_CACHE ?? '', tool, version, flavour);
    return new ActionsCache(
      tool,
      `ansible-image-${tool}-${version}-${process.platform}-${flavour}`,
      [directory, `${directory}.complete`],
    );
  }

  get directory(): string {
    return this.paths[0];
  }

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
}
