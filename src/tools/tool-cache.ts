import * as core from '@actions/core';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ActionsCache } from './actions-cache.js';
import { toolCacheDirectory } from './cache-directory.js';

/**
 * A folder of the runner's tool cache that counts once it is whole, which a `.complete` file
 * beside it says: the layout of @actions/tool-cache, so that earlier runs' folders still count.
 */
export class ToolFolder {
  readonly directory: string;
  readonly marker: string;

  constructor(...names: string[]) {
    this.directory = path.join(toolCacheDirectory(), ...names);
    this.marker = `${this.directory}.complete`;
  }

  complete(): boolean {
    return existsSync(this.directory) && existsSync(this.marker);
  }

  /** Makes the folder anew with `install`, which fills it or throws; nothing is left then. */
  async fill(install: (directory: string) => Promise<void>): Promise<void> {
    await this.discard();
    try {
      await install(this.directory);
      await writeFile(this.marker, '');
    } catch (error) {
      await this.discard();
      throw error;
    }
  }

  private async discard(): Promise<void> {
    await rm(this.marker, { force: true });
    await rm(this.directory, { recursive: true, force: true });
  }
}

/**
 * One version of a tool in both cache tiers: its folder of the tool cache (TOOL/VERSION/FLAVOUR),
 * and the Actions cache, which carries the folder and its marker across workflow runs under
 * one key.
 */
export class CachedTool {
  private readonly folder: ToolFolder;
  private readonly actionsCache: ActionsCache;

  constructor(
    /** How the log names the tool: `Packer`, `ansible-core`, … */
    private readonly label: string,
    tool: string,
    private readonly version: string,
    flavour: string,
  ) {
    this.folder = new ToolFolder(tool, version, flavour);
    this.actionsCache = new ActionsCache(
      label,
      `ansible-image-${tool}-${version}-${process.platform}-${flavour}`,
      [this.folder.directory, this.folder.marker],
    );
  }

  /**
   * The tool's folder: from the tool cache, else from the Actions cache, else made by
   * `install` (see ToolFolder.fill). Only a folder made here goes to the Actions cache, and
   * only in the post step.
   */
  async ensure(install: (directory: string) => Promise<void>): Promise<string> {
    if (this.folder.complete() || ((await this.actionsCache.restore()) && this.folder.complete()))
      core.info(`${this.label} ${this.version} from the tool cache`);
    else {
      await this.folder.fill(install);
      this.actionsCache.saveInPost();
    }
    return this.folder.directory;
  }
}
