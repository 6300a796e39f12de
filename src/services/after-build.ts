import * as core from '@actions/core';
import type { Change } from '../changes.js';
import type { Engine } from '../docker/engine.js';
import {
  NO_SERVICES,
  type ServicesReport,
  readServicesReport,
  runConfigChanges,
} from './services.js';

/** What the build-time service manager reported; a report that cannot be read is a warning. */
export async function collectServices(sharedDirectory: string): Promise<ServicesReport> {
  const services = await readServicesReport(sharedDirectory).catch((error: unknown) => {
    core.warning(`Could not read the services report: ${(error as Error).message}`);
    return NO_SERVICES;
  });
  for (const name of services.killed)
    core.warning(`${name} ignored its stop signal before the commit and was killed`);
  for (const command of services.leftovers)
    core.warning(
      `A process that the playbook left running ignored SIGTERM and was killed before the commit: ${command}`,
    );
  return services;
}

/** Gives the built image the run config derived from a service (cmd-from-service). */
export async function applyRunConfig(
  engine: Engine,
  imageId: string,
  runConfig: NonNullable<ServicesReport['runConfig']>,
  userChanges: Change[],
): Promise<string> {
  const { changes, skipped } = runConfigChanges(runConfig, userChanges);
  if (skipped.length)
    core.warning(
      `Not in the image's ENV (a Dockerfile line cannot hold their names or values): ${skipped.join(', ')}`,
    );
  for (const change of changes) core.info(change);
  return engine.recommit(imageId, changes, `cmd-from-service ${runConfig.service}`);
}
