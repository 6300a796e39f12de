import * as core from '@actions/core';
import { rm } from 'node:fs/promises';
import * as state from './state.js';

/**
 * Saves the tools that the main step installed to the Actions cache, then cleans up after
 * the main step, which may have been killed mid-build: the build containers (by their exact names,
 * saved in state) and the run's private folder. A cache or cleanup problem is a warning; it
 * never fails the job.
 */
export async function post(): Promise<void> {
  await saveCaches();
  // Asking the engine would cost loading dockerode and a round trip (0.2 s) for nothing.
  if (state.cleanedUp()) return;
  const builds = state.containerNames();
  if (builds.length) {
    // Loaded only when there is a container to remove: most post steps have none.
    const { Engine } = await import('./docker/engine.js');
    const { unpackContainerName } = await import('./outside-python/unpack.js');
    const engine = new Engine();
    for (const container of builds.flatMap((build) => [build, unpackContainerName(build)])) {
      try {
        if (await engine.removeContainer(container)) core.info(`Removed container ${container}`);
      } catch (error) {
        core.warning(`Could not remove container ${container}: ${(error as Error).message}`);
      }
    }
  }
  const directory = state.runDirectory();
  if (directory) {
    try {
      await rm(directory, { recursive: true, force: true });
    } catch (error) {
      core.warning(`Could not remove ${directory}: ${(error as Error).message}`);
    }
  }
}

async function saveCaches(): Promise<void> {
  try {
    const caches = state.cachesToSave();
    // Loaded only when there is something to save: the cache client doubles the bundle.
    if (caches.length > 0) await (await import('./tools/actions-cache.js')).saveAll(caches);
  } catch (error) {
    core.warning(`Could not save to the Actions cache: ${(error as Error).message}`);
  }
}
