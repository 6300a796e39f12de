import * as core from '@actions/core';
import { randomBytes } from 'node:crypto';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ansibleWrapperScript, containerScriptCommand } from './ansible/command.js';
import { type TaskEvent, firstFailure, parseEvents, redactTask } from './ansible/events.js';
import { type Requirements, installRequirements } from './ansible/galaxy.js';
import { unsafeVarsFile } from './ansible/vars.js';
import { assetPath } from './assets.js';
import { commitChanges } from './changes.js';
import { Engine, type ImageInfo } from './docker/engine.js';
import { pullImage, pushTags } from './docker/transfer.js';
import {
  EXECUTOR_MOUNT,
  EXECUTOR_SOCKET,
  EXECUTOR_SOCKET_VARIABLE,
  EXECUTOR_TOKEN_VARIABLE,
  connectionPlugins,
  copyServer,
  executorToken,
} from './executor/executor.js';
import { baseDigest, mergeLabels, ociLabels } from './oci.js';
import { type Inputs, getInputs, message } from './inputs.js';
import { STAGES } from './packer/log.js';
import { builtImageId, packerBuild, packerErrors } from './packer/packer.js';
import { proxyKeys } from './packer/proxy-keys.js';
import { PYTHON_MOUNT, PythonCache } from './outside-python/cache.js';
import { unpackContainerName, unpackPython } from './outside-python/unpack.js';
import { packerTemplate } from './packer/template.js';
import {
  type Annotation,
  type BuildReport,
  summaryMarkdown,
  taskAnnotations,
  taskLocation,
} from './report/report.js';
import {
  NO_SERVICES,
  SERVICE_MANAGER,
  type ServicesReport,
  readServicesReport,
  runConfigChanges,
} from './services/services.js';
import * as state from './state.js';
import { type Tools, findTools } from './tools/tools.js';

/** Runs the phases in order; the one place where an error becomes a failed step. */
export async function run(): Promise<void> {
  state.markPost();
  const report: BuildReport = { baseImage: { name: '' }, phases: {}, tasks: [] };
  /** Where a failure happened, as the summary names it. */
  let current = 'Inputs';
  const timed = async <T>(name: string, title: string, body: () => Promise<T>): Promise<T> => {
    current = title;
    const started = performance.now();
    try {
      return await body();
    } finally {
      report.phases[name] = Math.round(performance.now() - started) / 1000;
    }
  };
  const phase = <T>(name: string, title: string, body: () => Promise<T>) =>
    timed(name, title, () => core.group(title, body));

  let engine: Engine | undefined;
  let inputs: Inputs | undefined;
  let runDirectory: string | undefined;
  let containerName: string | undefined;
  let python: PythonCache | undefined;
  try {
    inputs = await phase('inputs', 'Inputs', async () => getInputs());
    const { workspace } = inputs;
    report.baseImage.name = inputs.baseImage;

    // Finding the tools (ansible-playbook --version takes half a second) overlaps with the
    // engine check and the base image; each logs in its own group once it is done.
    const toolsFound = timed('tools', 'Packer and Ansible', () => findTools(inputs as Inputs));
    toolsFound.catch(() => undefined); // awaited below; a failure must not go unhandled
    engine = await phase('engine', 'Docker engine', async () => {
      const docker = new Engine();
      core.info(`Docker engine ${await docker.version()}`);
      return docker;
    });
    const base = await phase('baseImage', `Base image ${inputs.baseImage}`, async () =>
      baseImage(engine as Engine, inputs as Inputs),
    );
    report.baseImage.id = base.Id;
    current = 'Packer and Ansible';
    const tools = await toolsFound;
    const { packer, ansible } = tools;
    await core.group('Packer and Ansible', async () => {
      core.info(`Packer ${packer.version} (${packer.path})`);
      core.info(`Ansible ${ansible.version} (${ansible.path})`);
    });
    report.tools = { packer: packer.version, ansible: ansible.version };

    const id = randomBytes(6).toString('hex');
    containerName = `ansible-image-${id}`;
    state.saveContainerName(containerName);
    runDirectory = await mkdtemp(
      path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'ansible-image-'),
    );
    state.saveRunDirectory(runDirectory);
    const files = runFiles(runDirectory);

    // Ansible gets a Python kept outside the image only if it is free to choose one.
    python =
      inputs.python === 'auto' && pythonInterpreter().startsWith('auto')
        ? await PythonCache.forImage(base.Id)
        : undefined;
    const env = await phase('config', 'Build config', async () => {
      const requirements = inputs?.galaxyFile
        ? await installRequirements(tools.ansible.galaxy, inputs.galaxyFile, runDirectory as string)
        : {};
      try {
        report.config = await writeBuildFiles(
          inputs as Inputs,
          base,
          tools.ansible,
          files,
          containerName as string,
          id,
          python,
        );
      } catch (error) {
        throw new Error(`Cannot write the build files to ${runDirectory}: ${message(error)}`, {
          cause: error,
        });
      }
      return {
        ...ansibleEnv(files, id, requirements),
        ...packerEnv(files, tools),
      };
    });

    // The prepare step asks for it once it finds no Python in the image, and waits.
    const pythonAnswered = python?.answerRequests(files.executor, () =>
      unpackPython(
        python as PythonCache,
        base.Id,
        (inputs as Inputs).network,
        containerName as string,
      ),
    );
    const build = await timed('packer', 'Packer build', () =>
      packerBuild(
        tools.packer.path,
        files.template,
        (inputs as Inputs).workingDirectory,
        env,
        (inputs as Inputs).secrets,
      ),
    );
    await pythonAnswered?.();
    Object.assign(report.phases, build.stages);
    if (build.lastStage) current = STAGES[build.lastStage];
    const events = parseEvents(await readFile(files.events, 'utf8').catch(() => ''));
    report.tasks = events.tasks.map((task) => redactTask(task, inputs?.secrets ?? []));
    report.recap = events.recap;
    const services = await servicesReport(files.executor);
    report.services = services;
    if (build.cancelledBy)
      throw new Error(
        `Cancelled (${build.cancelledBy}): Packer stopped and removed the build container`,
      );
    if (build.exitCode !== 0) {
      if (services.error) throw new Error(services.error);
      const failed = firstFailure({ tasks: report.tasks });
      if (failed) throw new TaskFailure(failed, workspace);
      throw new Error(
        `Packer build failed: ${packerErrors(build.output) || `Packer exited with code ${build.exitCode} before finishing the build; see its log above`}`,
      );
    }
    const docker = engine as Engine;
    const { runConfig } = services;
    const imageId = runConfig
      ? await phase('runConfig', `Run config from ${runConfig.service}`, () =>
          applyRunConfig(docker, files.manifest, inputs as Inputs, services),
        )
      : await builtImageId(files.manifest);

    await phase('tag', 'Tag', async () => {
      for (const tag of (inputs as Inputs).tags) {
        await docker.tag(imageId, tag);
        core.info(`Tagged ${tag}`);
      }
    });

    const pushed = inputs.push
      ? await phase('push', 'Push', () => pushTags(docker, (inputs as Inputs).tags))
      : [];
    const image = await phase('inspect', 'Inspect', async () => inspect(docker, imageId));
    report.image = { ...image, tags: inputs.tags, digest: pushed[0]?.digest ?? '', pushed };
    await python?.save();
    setOutputs(report);
  } catch (error) {
    report.failedIn = current;
    report.error = message(error);
    fail(error, report.error);
  } finally {
    const containerGone =
      !containerName ||
      (await Promise.all(
        [containerName, unpackContainerName(containerName)].map((name) =>
          engine?.removeContainer(name),
        ),
      ).then(
        () => true,
        () => false,
      ));
    // A process in the container may have left a root-owned file in a folder that it shared:
    // the post step tries again; the build's result stands.
    const folderGone =
      !runDirectory ||
      (await rm(runDirectory, { recursive: true, force: true }).then(
        () => true,
        (error: unknown) => {
          core.warning(`Could not remove the run's folder ${runDirectory}: ${message(error)}`);
          return false;
        },
      ));
    await python?.dropIfUnused();
    if (containerGone && folderGone) state.markCleanedUp();
    if (inputs) {
      for (const warning of taskAnnotations(report.tasks, inputs.workspace))
        if (warning.level === 'warning') annotate(warning);
      if (inputs.summary) await writeSummary(report, inputs.workspace);
    }
  }
}

/** A task of the playbook failed: reported where the task is defined. */
class TaskFailure extends Error {
  readonly annotation: Annotation;
  constructor(task: TaskEvent, workspace: string) {
    const where = taskLocation(task, workspace);
    super(`Task "${task.name}" failed${where && ` (${where})`}: ${task.message || task.status}`);
    const [annotation] = taskAnnotations([task], workspace);
    this.annotation = { ...annotation, message: this.message };
  }
}

/** A failed task is annotated at its line; any other failure is one plain error. */
function fail(error: unknown, text: string): void {
  if (error instanceof TaskFailure) {
    annotate(error.annotation);
    process.exitCode = core.ExitCode.Failure;
  } else {
    core.setFailed(text);
  }
}

function annotate(annotation: Annotation): void {
  const properties = {
    title: annotation.title,
    ...(annotation.file && { file: annotation.file }),
    ...(annotation.line && { startLine: annotation.line }),
  };
  if (annotation.level === 'error') core.error(annotation.message, properties);
  else core.warning(annotation.message, properties);
}

async function writeSummary(report: BuildReport, workspace: string): Promise<void> {
  try {
    await core.summary.addRaw(summaryMarkdown(report, workspace), true).write();
  } catch (error) {
    core.warning(`Could not write the job summary: ${message(error)}`);
  }
}

/** What the build-time service manager reported; a report that cannot be read is a warning. */
async function servicesReport(directory: string): Promise<ServicesReport> {
  const services = await readServicesReport(directory).catch((error: unknown) => {
    core.warning(`Could not read the services report: ${message(error)}`);
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
async function applyRunConfig(
  engine: Engine,
  manifest: string,
  inputs: Inputs,
  services: ServicesReport,
): Promise<string> {
  const config = services.runConfig as NonNullable<ServicesReport['runConfig']>;
  const { changes, skipped } = runConfigChanges(config, inputs.changes);
  if (skipped.length)
    core.warning(
      `Not in the image's ENV (a Dockerfile line cannot hold their names or values): ${skipped.join(', ')}`,
    );
  for (const change of changes) core.info(change);
  return engine.recommit(
    await builtImageId(manifest),
    changes,
    `cmd-from-service ${config.service}`,
  );
}

async function baseImage(engine: Engine, inputs: Inputs): Promise<ImageInfo> {
  const local = inputs.pull === 'always' ? undefined : await engine.findImage(inputs.baseImage);
  if (local) return local;
  if (inputs.pull === 'never')
    throw new Error(`Base image ${inputs.baseImage} is not present locally and pull is "never"`);
  core.info(`Pulling ${inputs.baseImage}`);
  await pullImage(engine, inputs.baseImage);
  return engine.inspectImage(inputs.baseImage);
}

async function inspect(engine: Engine, imageId: string) {
  const image = await engine.inspectImage(imageId);
  return {
    id: image.Id,
    digest: '',
    size: image.Size,
    layerSize: await engine.topLayerSize(imageId),
    layers: image.RootFS?.Layers?.length ?? 0,
  };
}

interface RunFiles {
  template: string;
  manifest: string;
  events: string;
  extraVars: string;
  secretVars: string;
  vaultPassword: string;
  wrapper: string;
  packerTemp: string;
  ansibleLocalTemp: string;
  proxyHostKey: string;
  proxyAuthorizedKey: string;
  /** Shared with the container at EXECUTOR_MOUNT; holds the executor and its socket. */
  executor: string;
}

function runFiles(directory: string): RunFiles {
  return {
    template: path.join(directory, 'build.pkr.json'),
    manifest: path.join(directory, 'manifest.json'),
    events: path.join(directory, 'events.jsonl'),
    extraVars: path.join(directory, 'extra-vars.json'),
    secretVars: path.join(directory, 'secret-vars.json'),
    vaultPassword: path.join(directory, 'vault-password'),
    wrapper: path.join(directory, 'ansible-playbook'),
    packerTemp: path.join(directory, 'packer'),
    ansibleLocalTemp: path.join(directory, 'ansible-local'),
    executor: path.join(directory, 'executor'),
    proxyHostKey: path.join(directory, 'proxy-host-key'),
    proxyAuthorizedKey: path.join(directory, 'proxy-authorized-key'),
  };
}

/** Our scratch folder inside the build container; the finish step removes it. */
const containerDirectory = (id: string) => `/tmp/.ansible-image-${id}`;

const asList = (value: string | string[] | null | undefined): string[] | null =>
  typeof value === 'string' ? [value] : (value ?? null);

/** Writes the run's files; returns the Packer template as JSON. */
async function writeBuildFiles(
  inputs: Inputs,
  base: ImageInfo,
  ansible: { path: string; version: string },
  files: RunFiles,
  containerName: string,
  id: string,
  python: PythonCache | undefined,
): Promise<string> {
  // Secrets reach Ansible only as files that only we can read, named on its command line.
  const secretFile = (file: string, content: string) =>
    writeFile(file, content, { mode: 0o600, flag: 'wx' });
  if (inputs.extraVars) await secretFile(files.extraVars, unsafeVarsFile(inputs.extraVars));
  if (inputs.secretVars) await secretFile(files.secretVars, unsafeVarsFile(inputs.secretVars));
  if (inputs.vaultPassword) await secretFile(files.vaultPassword, inputs.vaultPassword);
  await mkdir(files.packerTemp, { mode: 0o700 });
  await mkdir(files.ansibleLocalTemp, { mode: 0o700 });
  await mkdir(files.executor, { mode: 0o700 });
  await copyServer(files.executor);
  await copyFile(assetPath(SERVICE_MANAGER), path.join(files.executor, SERVICE_MANAGER));
  const keys = proxyKeys();
  await secretFile(files.proxyHostKey, keys.hostKey);
  await writeFile(files.proxyAuthorizedKey, keys.authorizedKey);
  await writeFile(
    files.wrapper,
    ansibleWrapperScript({
      ansiblePlaybook: ansible.path,
      ansibleVersion: ansible.version,
      containerName,
      varsFiles: [
        ...(inputs.extraVars ? [files.extraVars] : []),
        ...(inputs.secretVars ? [files.secretVars] : []),
      ],
      ...(inputs.vaultPassword && { vaultPasswordFile: files.vaultPassword }),
      userArguments: inputs.ansibleArgs,
      ...(python && { outsidePython: `${PYTHON_MOUNT}/${PythonCache.LAUNCHER}` }),
    }),
  );
  await chmod(files.wrapper, 0o700);
  await python?.makeDirectory();
  const script = assetPath('container.sh');
  const scriptArgs = [
    inputs.python,
    containerDirectory(id),
    `${EXECUTOR_MOUNT}/${EXECUTOR_SOCKET}`,
    python ? PYTHON_MOUNT : '',
    inputs.cmdFromService ?? '',
  ];
  const template = JSON.stringify(
    packerTemplate({
      baseImageId: base.Id,
      containerName,
      network: inputs.network,
      changes: commitChanges(
        { entrypoint: asList(base.Config?.Entrypoint), cmd: asList(base.Config?.Cmd) },
        inputs.changes,
        mergeLabels(
          inputs.ociLabels
            ? ociLabels({
                created: new Date(),
                serverUrl: process.env.GITHUB_SERVER_URL,
                repository: process.env.GITHUB_REPOSITORY,
                revision: process.env.GITHUB_SHA,
                baseName: inputs.baseImage,
                baseDigest: baseDigest(inputs.baseImage, base.RepoDigests),
              })
            : [],
          inputs.labels,
        ),
      ),
      commitMessage: `ansible-playbook ${path.relative(inputs.workspace, inputs.playbook)}`,
      playbook: inputs.playbook,
      ansibleCommand: files.wrapper,
      prepareCommand: containerScriptCommand(containerName, script, ['prepare', ...scriptArgs]),
      finishCommand: containerScriptCommand(containerName, script, ['finish', ...scriptArgs]),
      manifestPath: files.manifest,
      executorDirectory: files.executor,
      ...(python && { pythonDirectory: python.directory }),
      proxyHostKeyFile: files.proxyHostKey,
      proxyAuthorizedKeyFile: files.proxyAuthorizedKey,
    }),
    null,
    2,
  );
  await writeFile(files.template, template);
  core.debug(`Packer template:\n${template}`);
  return template;
}

/** Ansible settings for a container build; see README "Settings the action chooses". */
function ansibleEnv(
  files: RunFiles,
  id: string,
  requirements: Requirements,
): Record<string, string> {
  // Ours first, then what the user configured, or else Ansible's own defaults.
  const searchPath = (ours: Array<string | undefined>, variable: string, defaults: string) => {
    const first = ours.filter(Boolean);
    return first.length
      ? { [variable]: [...first, process.env[variable] ?? defaults].join(':') }
      : {};
  };
  return {
    ...searchPath(
      [requirements.collectionsPath],
      'ANSIBLE_COLLECTIONS_PATH',
      '~/.ansible/collections:/usr/share/ansible/collections',
    ),
    ...searchPath(
      [requirements.rolesPath],
      'ANSIBLE_ROLES_PATH',
      '~/.ansible/roles:/usr/share/ansible/roles:/etc/ansible/roles',
    ),
    ...searchPath(
      [assetPath('callback')],
      'ANSIBLE_CALLBACK_PLUGINS',
      '~/.ansible/plugins/callback:/usr/share/ansible/plugins/callback',
    ),
    ...searchPath(
      [connectionPlugins()],
      'ANSIBLE_CONNECTION_PLUGINS',
      '~/.ansible/plugins/connection:/usr/share/ansible/plugins/connection',
    ),
    [EXECUTOR_SOCKET_VARIABLE]: path.join(files.executor, EXECUTOR_SOCKET),
    // For the container script (through docker exec) and the connection plugin alike.
    [EXECUTOR_TOKEN_VARIABLE]: executorToken(),
    ANSIBLE_PIPELINING: 'True',
    ANSIBLE_REMOTE_TMP: `${containerDirectory(id)}/ansible`,
    // Async jobs' results, in the container, and what Ansible renders locally (a template's
    // content, secrets in it): both go with their folders, never into the image or past the run.
    ANSIBLE_ASYNC_DIR: `${containerDirectory(id)}/async`,
    ANSIBLE_LOCAL_TEMP: files.ansibleLocalTemp,
    ANSIBLE_IMAGE_ACTION_EVENTS: files.events,
    ANSIBLE_PYTHON_INTERPRETER: pythonInterpreter(),
    ANSIBLE_RETRY_FILES_ENABLED: 'False',
  };
}

/** Ansible's interpreter setting: the user's, or else discovery without its warning. */
const pythonInterpreter = () => process.env.ANSIBLE_PYTHON_INTERPRETER || 'auto_silent';

/** Packer's own temporary files go into the run's folder, so the post step finds them. */
function packerEnv(files: RunFiles, tools: Tools): Record<string, string> {
  return {
    PACKER_TMP_DIR: files.packerTemp,
    TMPDIR: files.packerTemp,
    ...(tools.packer.pluginPath && { PACKER_PLUGIN_PATH: tools.packer.pluginPath }),
  };
}

function setOutputs(report: BuildReport): void {
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
    recap: report.recap ?? null,
    phases: report.phases,
    services: report.services?.services ?? [],
    ...(report.services?.runConfig && { runConfig: report.services.runConfig }),
    tasks: report.tasks.map((task) => ({
      name: task.name,
      file: task.file,
      line: task.line,
      status: task.status,
      duration: task.duration,
    })),
  });
  core.info(
    `Built ${image.id}: ${image.layers} layers, ${image.layerSize} bytes added over ${report.baseImage.name}`,
  );
}
