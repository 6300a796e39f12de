import path from 'node:path';
import { type Recap, type TaskEvent, firstFailure, isFailure } from '../ansible/events.js';
import type { ServicesReport } from '../services/services.js';
import { humanBytes, humanSeconds } from './format.js';
import { type LayerReport, layerSection } from './layer-report.js';
import { block, code, table } from './markdown.js';

/** Everything a person or a later step wants to know about one run of the action. */
export interface BuildReport {
  /** The phase that failed; absent when the build succeeded. */
  failedIn?: string;
  error?: string;
  baseImage: { name: string; id?: string };
  image?: {
    id: string;
    digest: string;
    size: number;
    layerSize: number;
    layers: number;
    tags: string[];
    pushed: Array<{ reference: string; digest: string }>;
  };
  tools?: { packer: string; ansible: string };
  recap?: Recap;
  phases: Record<string, number>;
  tasks: TaskEvent[];
  /** The Packer template that ran, as JSON. */
  config?: string;
  /** The input key; whether an image with it was reused; else what changed since the last. */
  inputKey?: string;
  cacheHit?: boolean;
  rebuiltBecause?: string[];
  /** What the build-time service manager saw, and the run config derived from a service. */
  services?: ServicesReport;
  /** What the layer that the build added holds. */
  layer?: LayerReport;
  /** The wall time of one platform's build: its base image, then its build and push. */
  seconds?: number;
  /** The platform (linux/arm64) of a report that is one of several platforms' builds. */
  platform?: string;
  /** With two or more platforms: each one's build, while `image` describes the index. */
  platforms?: BuildReport[];
  /** The tarball written with export. */
  export?: { path: string; bytes: number };
  /** The image index over the platforms' images, once pushed. */
  index?: { digest: string; mediaType: string };
  /** Images uploaded by digest with no tag (push-by-digest): repository@sha256:… */
  pushedByDigest?: string[];
  /**
   * keep-failed: the build container as the failed task (file:line) left it, as a local image,
   * and where push-failed pushed it (reference@digest).
   */
  failedImage?: { reference: string; id: string; task: string; pushed?: string };
}

export interface Annotation {
  level: 'error' | 'warning';
  message: string;
  title: string;
  file?: string;
  line?: number;
}

const relative = (workspace: string, file: string) =>
  file && path.isAbsolute(file) ? path.relative(workspace, file) : file;

/** Where the task is defined, relative to the workspace, like `roles/web/tasks/main.yml:12`. */
export function taskLocation(task: TaskEvent, workspace: string): string {
  return task.file ? `${relative(workspace, task.file)}:${task.line ?? '?'}` : '';
}

/** Failed tasks become errors at their playbook line; Ansible's warnings become warnings. */
export function taskAnnotations(tasks: TaskEvent[], workspace: string): Annotation[] {
  return tasks.flatMap((task) => {
    const at = {
      ...(task.file && { file: relative(workspace, task.file) }),
      ...(task.line && { line: task.line }),
    };
    const annotations: Annotation[] = [];
    if (isFailure(task))
      annotations.push({
        level: 'error',
        title: `Task failed: ${task.name}`,
        message: task.message || task.status,
        ...at,
      });
    for (const warning of [...(task.warnings ?? []), ...(task.deprecations ?? [])])
      annotations.push({
        level: 'warning',
        title: `Ansible: ${task.name}`,
        message: warning,
        ...at,
      });
    return annotations;
  });
}

/** The services the playbook touched, what was stopped for it, and the derived run config. */
function servicesSection(services: ServicesReport): string[] {
  const parts: string[] = [];
  if (services.services.length)
    parts.push(
      '### Services',
      '',
      'Stopped before the commit; nothing of their running state is in the image.',
      '',
      table(
        ['service', 'state when the playbook ended', 'enabled in the image'],
        services.services.map((service) => [
          code(service.name),
          code(service.state),
          service.enabled ? code(service.enabled) : '–',
        ]),
      ),
    );
  const killed = [
    ...services.killed.map((name) => `${code(name)} ignored its stop signal and was killed`),
    ...services.leftovers.map(
      (command) => `${code(command)} was left running, ignored SIGTERM and was killed`,
    ),
  ];
  if (killed.length) parts.push(killed.map((line) => `- ${line}`).join('\n'), '');
  const config = services.runConfig;
  if (config) {
    const rows = [
      ['CMD', code(JSON.stringify(config.cmd))],
      ...(config.user ? [['USER', code(config.user)]] : []),
      ...(config.workdir ? [['WORKDIR', code(config.workdir)]] : []),
      ...Object.keys(config.env).map((name) => ['ENV', code(name)]),
    ];
    parts.push(
      `### Run config from ${code(config.service)}`,
      '',
      `From ${code(config.source)}${config.supervisor ? `; the command is a supervisor script kept in the image, which runs the service in the foreground and stops it on SIGTERM` : ''}. The input \`changes\` wins where it sets the same.`,
      '',
      table(['', ''], rows),
    );
  }
  return parts;
}

/** A row per platform: its image, how its playbook went, and its time. */
function platformsSection(builds: BuildReport[]): string[] {
  const rows = builds.map((build) => {
    const { image, recap } = build;
    return [
      code(build.platform ?? ''),
      build.failedIn ? `❌ ${build.failedIn}` : build.cacheHit ? 'reused' : image ? 'built' : '',
      image?.id ? code(image.id) : '',
      image?.digest ? code(image.digest) : '',
      image?.size ? `${humanBytes(image.size)} (${humanBytes(image.layerSize)} added)` : '',
      recap ? `${recap.ok} ok, ${recap.changed} changed, ${recap.failed} failed` : '',
      build.seconds ? humanSeconds(build.seconds) : '',
    ];
  });
  return [
    '### Platforms',
    '',
    table(['platform', 'result', 'image ID', 'digest', 'size', 'recap', 'time'], rows),
  ];
}

/** What opens keep-failed's image in a shell, whatever its entrypoint. */
export const openCommand = (reference: string) =>
  `docker run --rm -it --entrypoint sh ${reference}`;

/** The failed builds' images, each with the command that opens it. */
function failedImagesSection(builds: BuildReport[]): string[] {
  const kept = builds.filter((build) => build.failedImage);
  if (kept.length === 0) return [];
  return [
    '### The failed build, kept',
    '',
    'The build container as the failed task left it. It may hold secrets that the playbook wrote.',
    '',
    ...kept.flatMap((build) => {
      const image = build.failedImage as NonNullable<BuildReport['failedImage']>;
      const where = image.pushed
        ? `pushed as ${code(image.pushed)}`
        : 'on this runner only (push-failed: false)';
      return [
        `${build.platform ? `${code(build.platform)}: ` : ''}${code(image.reference)} ${code(image.id)}${image.task ? `, after the task at ${code(image.task)}` : ''}; ${where}. Open it with:`,
        '',
        ...block(openCommand(image.pushed ?? image.reference), 'sh'),
        '',
      ];
    }),
  ];
}

/** The job summary: what was built, how the playbook went, where the time went. */
export function summaryMarkdown(report: BuildReport, workspace: string): string {
  const parts: string[] = [];
  if (report.failedIn) {
    parts.push(`## ❌ Image build failed in: ${report.failedIn}`, '');
    if (report.error) parts.push(...block(report.error), '');
  } else {
    parts.push(report.cacheHit ? '## ✅ Image reused (same input key)' : '## ✅ Image built', '');
  }

  const facts: string[][] = [];
  const { image } = report;
  if (image) {
    if (image.tags.length) facts.push(['Tags', image.tags.map(code).join('<br>')]);
    if (!report.platforms) facts.push(['Image ID', code(image.id)]);
    if (image.digest) facts.push([report.index ? 'Index digest' : 'Digest', code(image.digest)]);
    if (image.pushed.length)
      facts.push([
        'Pushed',
        image.pushed.map((p) => code(`${p.reference}@${p.digest}`)).join('<br>'),
      ]);
    if (!report.platforms) {
      facts.push([
        'Size',
        `${humanBytes(image.size)} (${humanBytes(image.layerSize)} added over the base)`,
      ]);
      facts.push(['Layers', String(image.layers)]);
    }
  }
  if (report.baseImage.name)
    facts.push([
      'Base image',
      `${code(report.baseImage.name)}${report.baseImage.id ? ` ${code(report.baseImage.id)}` : ''}`,
    ]);
  if (report.tools)
    facts.push(['Packer / Ansible', `${report.tools.packer} / ${report.tools.ansible}`]);
  if (report.inputKey) facts.push(['Input key', code(report.inputKey)]);
  parts.push(table(['', ''], facts));

  if (report.platforms) parts.push(...platformsSection(report.platforms));

  if (report.rebuiltBecause?.length)
    parts.push(
      '### Why it was built again',
      '',
      ...report.rebuiltBecause.map((line) => `- ${code(line)}`),
      '',
    );

  if (report.recap) {
    const { ok, changed, failed, skipped, unreachable } = report.recap;
    parts.push(
      '### Ansible recap',
      '',
      table(
        ['ok', 'changed', 'failed', 'skipped', 'unreachable'],
        [[ok, changed, failed, skipped, unreachable].map(String)],
      ),
    );
  }

  const phases = Object.entries(report.phases);
  if (phases.length)
    parts.push(
      '### Time per phase',
      '',
      table(
        ['phase', 'time'],
        phases.map(([name, seconds]) => [name, humanSeconds(seconds)]),
      ),
    );

  if (report.layer) parts.push(...layerSection(report.layer));
  for (const build of report.platforms ?? [])
    if (build.layer) parts.push(...layerSection(build.layer, build.platform));

  if (report.services) parts.push(...servicesSection(report.services));

  const slowest = report.tasks
    .filter((task) => task.duration !== null)
    .sort((a, b) => (b.duration ?? 0) - (a.duration ?? 0))
    .slice(0, 10);
  if (slowest.length)
    parts.push(
      '### Slowest tasks',
      '',
      table(
        ['task', 'where', 'status', 'time'],
        slowest.map((task) => [
          code(task.name),
          code(taskLocation(task, workspace)),
          task.status,
          humanSeconds(task.duration ?? 0),
        ]),
      ),
    );

  const failed = firstFailure({
    tasks: [report, ...(report.platforms ?? [])].flatMap((build) => build.tasks),
  });
  if (failed)
    parts.push(
      '### First failed task',
      '',
      `Task ${code(failed.name)} at ${code(taskLocation(failed, workspace))} (${failed.status})`,
      '',
      ...block(failed.message),
      '',
    );

  parts.push(...failedImagesSection([report, ...(report.platforms ?? [])]));

  if (report.config)
    parts.push(
      '<details><summary>Build config (Packer template)</summary>',
      '',
      ...block(report.config, 'json'),
      '',
      '</details>',
      '',
    );
  return parts.join('\n');
}
