import { readFile } from 'node:fs/promises';
import {
  type Recap,
  type TaskEvent,
  firstFailure,
  parseEvents,
  redactTask,
} from './ansible/events.js';
import type { RunFiles } from './build-config.js';
import { packerErrors, type PackerRun } from './packer/packer.js';
import { TaskFailure } from './report/outputs.js';
import { collectServices } from './services/after-build.js';
import type { ServicesReport } from './services/services.js';

/** What the playbook and the build-time service manager left in the run's folder. */
export interface BuildOutcome {
  tasks: TaskEvent[];
  recap?: Recap;
  services: ServicesReport;
}

export async function readOutcome(
  files: RunFiles,
  secrets: readonly string[],
): Promise<BuildOutcome> {
  const events = parseEvents(await readFile(files.events, 'utf8').catch(() => ''));
  return {
    tasks: events.tasks.map((task) => redactTask(task, secrets)),
    ...(events.recap && { recap: events.recap }),
    services: await collectServices(files.executor),
  };
}

/** Why the build failed, by its most telling cause; undefined when it did not. */
export function buildFailure(
  build: PackerRun,
  outcome: BuildOutcome,
  workspace: string,
): Error | undefined {
  if (build.cancelledBy)
    return new Error(
      `Cancelled (${build.cancelledBy}): Packer stopped; the build container is removed`,
    );
  if (build.exitCode === 0) return undefined;
  if (outcome.services.error) return new Error(outcome.services.error);
  const failed = firstFailure({ tasks: outcome.tasks });
  if (failed) return new TaskFailure(failed, workspace);
  return new Error(
    `Packer build failed: ${packerErrors(build.output) || `Packer exited with code ${build.exitCode} before finishing the build; see its log above`}`,
  );
}
