import * as core from '@actions/core';
import { readFile } from 'node:fs/promises';
import { assetPath } from '../assets.js';
import { containerDirectory } from '../build-config.js';
import { baseRunConfig, commitChanges } from '../changes.js';
import type { Engine, ImageInfo } from '../docker/engine.js';
import { pushTags } from '../docker/transfer.js';
import { LastLines, runCancellable } from '../exec.js';
import { EXECUTOR_MOUNT, EXECUTOR_SOCKET } from '../executor/executor.js';
import { type Inputs, message } from '../inputs.js';
import { InertOutput } from '../packer/log.js';
import { TaskFailure } from '../report/outputs.js';
import { type BuildReport, openCommand } from '../report/report.js';
import { KEY_LABEL, MANIFEST_LABEL } from '../reuse/reuse.js';
import { failedImageName, failedPushReference } from './names.js';

/** Marks a failed build's image; its value is the failed task's file:line. */
export const FAILED_LABEL = 'org.ansible-image.failed';

/**
 * The failed image runs like the base image (not Packer's `/bin/sh` loop), and carries no input
 * key: a base image that this action built has one, which the failed image would inherit and
 * under which a later run's reuse lookup would find it as a good build. A label's value cannot
 * be removed by a commit, only emptied, and no key is empty.
 */
export function failedImageChanges(base: ImageInfo, location: string): string[] {
  return commitChanges(
    baseRunConfig(base.Config),
    [],
    [
      [KEY_LABEL, ''],
      [MANIFEST_LABEL, ''],
      [FAILED_LABEL, location],
    ],
  );
}

export interface FailedBuild {
  report: BuildReport;
  engine: Engine;
  /** The run's id, which names our scratch folder in the container. */
  runId: string;
  /** The build container, which Packer (-on-error=abort) left for the run's cleanup. */
  containerName: string;
  base: ImageInfo;
  inputs: Inputs;
  failure: Error;
}

/** Longer than removing a few folders can take, even on a busy runner. */
const CLEAN_TIMEOUT_SECONDS = 60;

/** The container script's `keep`: what is ours goes, and what the playbook did stays. */
async function removeOurFiles(containerName: string, runId: string): Promise<void> {
  const last = new LastLines(20);
  const result = await runCancellable(
    'docker',
    [
      ...['exec', '-i', '--user', '0', containerName, '/bin/sh', '-s', '--', 'keep'],
      // The script's arguments; `keep` uses only the scratch folder.
      ...['never', containerDirectory(runId), `${EXECUTOR_MOUNT}/${EXECUTOR_SOCKET}`, '', ''],
    ],
    {
      input: await readFile(assetPath('container.sh'), 'utf8'),
      timeoutSeconds: CLEAN_TIMEOUT_SECONDS,
      onLine: (line) => last.add(line),
    },
  );
  if (result.timedOut || result.cancelledBy || result.exitCode !== 0)
    throw new Error(
      `the action's files could not be removed from the container first (${result.timedOut ? `over ${CLEAN_TIMEOUT_SECONDS} s` : result.cancelledBy ? `cancelled by ${result.cancelledBy}` : `exit ${result.exitCode}`})${last.text && `:\n${last.text}`}`,
    );
}

/**
 * keep-failed: when a task failed, the build container as that task left it becomes a local
 * image, in the report (and so in the summary and the output failed-image), pushed only with
 * push-failed. Never throws: the task's failure stays the step's error, and a commit or push
 * that fails is a warning.
 */
export async function keepFailedBuild(build: FailedBuild): Promise<void> {
  const { report, engine, runId, containerName, base, inputs, failure } = build;
  if (!inputs.keepFailed || !(failure instanceof TaskFailure)) return;
  const reference = failedImageName(containerName);
  let id: string;
  try {
    await removeOurFiles(containerName, runId);
    id = await engine.commitContainer(
      containerName,
      reference,
      failedImageChanges(base, failure.location),
      `ansible-image: the build after the failed task${failure.location && ` at ${failure.location}`}`,
    );
  } catch (error) {
    core.warning(`Could not keep the failed build as an image: ${message(error)}`);
    return;
  }
  const pushed = inputs.pushFailed ? await pushFailed(engine, id, inputs.tags) : undefined;
  report.failedImage = { reference, id, task: failure.location, ...(pushed && { pushed }) };
  // The task's path is the workspace's and the tag the workflow's: printed inert.
  const output = new InertOutput(inputs.secrets);
  output.line(
    `Kept the failed build as ${reference} (${id})${failure.location && `, as the task at ${failure.location} left it`}. It may hold secrets that the playbook wrote${pushed ? `; pushed as ${pushed}` : ', and stays on this runner'}.`,
  );
  output.line(`Open it with: ${openCommand(pushed ?? reference)}`);
  output.end();
}

/** The failed image pushed under failedPushReference; a push that fails is a warning. */
async function pushFailed(engine: Engine, id: string, tags: string[]): Promise<string | undefined> {
  const reference = failedPushReference(tags[0]);
  try {
    await engine.tag(id, reference);
    const [pushed] = await pushTags(engine, [reference]);
    return `${pushed.reference}@${pushed.digest}`;
  } catch (error) {
    core.warning(`Could not push the failed build to ${reference}: ${message(error)}`);
    return undefined;
  } finally {
    // The tag in the user's repository is only for the push: a later `docker push --all-tags`
    // must not take the failed build along.
    await engine.untag(reference).catch(() => undefined);
  }
}
