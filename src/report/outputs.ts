import * as core from '@actions/core';
import type { TaskEvent } from '../ansible/events.js';
import {
  type Annotation,
  type BuildReport,
  summaryMarkdown,
  taskAnnotations,
  taskLocation,
} from './report.js';

/** A task of the playbook failed: reported where the task is defined. */
export class TaskFailure extends Error {
  readonly annotation: Annotation;
  /** Where the task is defined (file:line), or empty. */
  readonly location: string;
  constructor(task: TaskEvent, workspace: string) {
    const where = taskLocation(task, workspace);
    super(`Task "${task.name}" failed${where && ` (${where})`}: ${task.message || task.status}`);
    const [annotation] = taskAnnotations([task], workspace);
    this.annotation = { ...annotation, message: this.message };
    this.location = where;
  }
}

export function annotate(annotation: Annotation): void {
  const properties = {
    title: annotation.title,
    ...(annotation.file && { file: annotation.file }),
    ...(annotation.line && { startLine: annotation.line }),
  };
  if (annotation.level === 'error') core.error(annotation.message, properties);
  else core.warning(annotation.message, properties);
}

/** The tasks' warnings as annotations at their lines, and the job summary when asked for. */
export async function publishReport(
  report: BuildReport,
  workspace: string,
  summary: boolean,
): Promise<void> {
  const tasks = [report, ...(report.platforms ?? [])].flatMap((build) => build.tasks);
  for (const warning of taskAnnotations(tasks, workspace))
    if (warning.level === 'warning') annotate(warning);
  setFailedImageOutput(report);
  if (!summary) return;
  try {
    await core.summary.addRaw(summaryMarkdown(report, workspace), true).write();
  } catch (error) {
    core.warning(`Could not write the job summary: ${(error as Error).message}`);
  }
}

/** keep-failed's images, where a task failed: pushed, or else local. */
function setFailedImageOutput(report: BuildReport): void {
  const images = [report, ...(report.platforms ?? [])].flatMap(({ failedImage }) =>
    failedImage ? [failedImage.pushed ?? failedImage.reference] : [],
  );
  if (images.length) core.setOutput('failed-image', images.join('\n'));
}

/** The step's outputs, from the report of a build that succeeded. */
export function setOutputs(report: BuildReport): void {
  const image = report.image as NonNullable<BuildReport['image']>;
  const outputs = {
    'image-id': image.id,
    digest: image.digest,
    size: image.size,
    'layer-size': image.layerSize,
    layers: image.layers,
    tags: image.tags.join('\n'),
    'packer-version': report.tools?.packer ?? '',
    'ansible-version': report.tools?.ansible ?? '',
    'input-key': report.inputKey ?? '',
    'cache-hit': report.cacheHit ?? false,
    'export-path': report.export?.path ?? '',
  };
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
  core.setOutput('metadata', {
    imageId: image.id,
    digest: image.digest,
    size: image.size,
    layerSize: image.layerSize,
    layers: image.layers,
    tags: image.tags,
    pushed: image.pushed,
    baseImage: report.baseImage,
    packerVersion: outputs['packer-version'],
    ansibleVersion: outputs['ansible-version'],
    inputKey: outputs['input-key'],
    cacheHit: outputs['cache-hit'],
    ...(report.rebuiltBecause?.length && { rebuiltBecause: report.rebuiltBecause }),
    ...(report.pushedByDigest && { pushedByDigest: report.pushedByDigest }),
    ...(report.index && { index: report.index }),
    ...(report.platforms && { platforms: report.platforms.map(platformMetadata) }),
    recap: report.recap ?? null,
    phases: report.phases,
    services: report.services?.services ?? [],
    ...(report.services?.runConfig && { runConfig: report.services.runConfig }),
    ...(report.layer && { layer: report.layer }),
    tasks: report.tasks.map((task) => ({
      name: task.name,
      file: task.file,
      line: task.line,
      status: task.status,
      duration: task.duration,
    })),
  });
  if (report.platforms) {
    core.info(
      `${report.index ? `Index ${report.index.digest}` : 'Images'} for ${report.platforms
        .map((build) => `${build.platform} ${build.image?.digest || build.image?.id}`)
        .join(', ')}`,
    );
    return;
  }
  core.info(
    `${report.cacheHit ? 'Reused' : 'Built'} ${image.id}: ${image.layers} layers, ${image.layerSize} bytes added over ${report.baseImage.name}`,
  );
}

/** What `metadata` says of one platform's image. */
function platformMetadata(build: BuildReport) {
  return {
    platform: build.platform,
    imageId: build.image?.id ?? '',
    digest: build.image?.digest ?? '',
    size: build.image?.size ?? 0,
    layerSize: build.image?.layerSize ?? 0,
    tags: build.image?.tags ?? [],
    pushed:
      build.pushedByDigest ?? build.image?.pushed.map((p) => `${p.reference}@${p.digest}`) ?? [],
    baseImage: build.baseImage,
    inputKey: build.inputKey ?? '',
    cacheHit: build.cacheHit ?? false,
    recap: build.recap ?? null,
    phases: build.phases,
    ...(build.layer && { layer: build.layer }),
  };
}
