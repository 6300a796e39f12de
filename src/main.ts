import * as core from '@actions/core';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { installRequirements } from './ansible/galaxy.js';
import { pythonInterpreter, runFiles, writeBuildConfig } from './build-config.js';
import { Engine } from './docker/engine.js';
import { baseImage, maskedCredentials, pushTags } from './docker/transfer.js';
import { type Inputs, getInputs, message } from './inputs.js';
import { buildFailure, readOutcome } from './outcome.js';
import { STAGES, StageMarkers } from './packer/log.js';
import { builtImageId, packerBuild } from './packer/packer.js';
import { TaskFailure, annotate, publishReport, setOutputs } from './report/outputs.js';
import { registryImageFacts, retagInRegistry } from './reuse/registry-reuse.js';
import { type Reusable, findReusable, imageKey, whyRebuilt } from './reuse/reuse.js';
import { RunContext } from './run-context.js';
import { applyRunConfig } from './services/after-build.js';
import * as state from './state.js';
import { PythonCache } from './outside-python/cache.js';
import { unpackContainerName, unpackPython } from './outside-python/unpack.js';
import { type Tools, findTools } from './tools/tools.js';

/** Runs the build; the one place where an error becomes a failed step. */
export async function run(): Promise<void> {
  state.markPost();
  const context = new RunContext();
  let inputs: Inputs | undefined;
  try {
    inputs = await context.phase('inputs', 'Inputs', async () => getInputs());
    await build(context, inputs);
  } catch (error) {
    fail(error, context.failed(error));
  } finally {
    if (await context.cleanUp()) state.markCleanedUp();
    if (inputs) await publishReport(context.report, inputs.workspace, inputs.summary);
  }
}

/** The phases of one build, in order; each undoes what it makes through the context. */
async function build(context: RunContext, inputs: Inputs): Promise<void> {
  const { report } = context;
  report.baseImage.name = inputs.baseImage;
  // Finding the tools (ansible-playbook --version takes half a second) overlaps with the
  // engine check and the base image; each logs in its own group once it is done.
  const toolsFound = context.timed('tools', 'Packer and Ansible', () => findTools(inputs));
  toolsFound.catch(() => undefined); // awaited below; a failure must not go unhandled
  const engine = await context.phase('engine', 'Docker engine', connectEngine);
  const base = await context.phase('baseImage', `Base image ${inputs.baseImage}`, () =>
    baseImage(engine, inputs.baseImage, inputs.pull),
  );
  report.baseImage.id = base.Id;
  context.within('Packer and Ansible');
  const tools = await toolsFound;
  await showTools(tools);
  report.tools = { packer: tools.packer.version, ansible: tools.ansible.version };

  const run = await startRun(context, engine, base.Id, inputs);
  const requirements = inputs.galaxyFile
    ? await context.phase('galaxy', 'Galaxy requirements', () =>
        installRequirements(tools.ansible.galaxy, inputs.galaxyFile as string, run.directory),
      )
    : {};
  const key = await context.phase('key', 'Input key', () =>
    imageKey(inputs, base, tools, requirements),
  );
  report.inputKey = key.key;
  if (inputs.cache) {
    const reusable = await context.phase('reuse', 'Reuse', async () => {
      const found = await findReusable(engine, key.key, inputs);
      if (!found) report.rebuiltBecause = await whyRebuilt(engine, key, inputs);
      return found;
    });
    if (reusable) return reuse(context, engine, reusable, inputs);
  }
  const config = await context.phase('config', 'Build config', () =>
    writeBuildConfig({
      inputs,
      base,
      ...tools,
      requirements,
      ...run,
      created: new Date(),
      keyLabels: key.labels,
    }),
  );
  report.config = config.template;

  // The prepare step asks for it once it finds no Python in the image, and waits.
  const pythonAnswered = run.python?.answerRequests(run.files.executor, () =>
    unpackPython(run.python as PythonCache, base.Id, inputs.network, run.containerName),
  );
  const packer = await context.timed('packer', 'Packer build', () =>
    packerBuild(
      tools.packer.path,
      run.files.template,
      inputs.workingDirectory,
      config.env,
      run.markers,
      inputs.secrets,
    ),
  );
  await pythonAnswered?.();
  Object.assign(report.phases, packer.stages);
  if (packer.lastStage) context.within(STAGES[packer.lastStage]);
  const outcome = await readOutcome(run.files, inputs.secrets);
  Object.assign(report, outcome);
  const failure = buildFailure(packer, outcome, inputs.workspace);
  if (failure) throw failure;

  const committed = await builtImageId(run.files.manifest);
  const { runConfig } = outcome.services;
  const imageId = runConfig
    ? await context.phase('runConfig', `Run config from ${runConfig.service}`, () =>
        applyRunConfig(engine, committed, runConfig, inputs.changes),
      )
    : committed;
  await run.python?.save();
  await deliver(context, engine, imageId, inputs);
}

/** A built or a local image: tagged, pushed when asked, and reported. */
async function deliver(
  context: RunContext,
  engine: Engine,
  imageId: string,
  inputs: Inputs,
): Promise<void> {
  await context.phase('tag', 'Tag', () => tagImage(engine, imageId, inputs.tags));
  const pushed = inputs.push
    ? await context.phase('push', 'Push', () => pushTags(engine, inputs.tags))
    : [];
  const image = await context.phase('inspect', 'Inspect', () => engine.builtImage(imageId));
  context.report.image = { ...image, tags: inputs.tags, digest: pushed[0]?.digest ?? '', pushed };
  setOutputs(context.report);
}

/** Instead of a build: the local image, or the registry's under every tag by manifest PUTs. */
async function reuse(
  context: RunContext,
  engine: Engine,
  reusable: Reusable,
  inputs: Inputs,
): Promise<void> {
  context.report.cacheHit = true;
  if ('local' in reusable) return deliver(context, engine, reusable.local.Id, inputs);
  const hit = reusable.registry;
  const pushed = await context.phase('push', 'Push', async () =>
    retagInRegistry(hit, inputs.tags, await maskedCredentials(hit.reference)),
  );
  context.report.image = {
    ...registryImageFacts(hit),
    tags: inputs.tags,
    digest: pushed[0]?.digest ?? hit.digest,
    pushed,
  };
  setOutputs(context.report);
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

async function connectEngine(): Promise<Engine> {
  const engine = new Engine();
  core.info(`Docker engine ${await engine.version()}`);
  return engine;
}

async function showTools({ packer, ansible }: Tools): Promise<void> {
  await core.group('Packer and Ansible', async () => {
    core.info(`Packer ${packer.version} (${packer.path})`);
    core.info(`Ansible ${ansible.version} (${ansible.path})`);
  });
}

/**
 * The run's names and its private folder, each with its cleanup registered as soon as it
 * exists, and saved for the post step in case this step never gets to it.
 */
async function startRun(context: RunContext, engine: Engine, baseId: string, inputs: Inputs) {
  const id = randomBytes(6).toString('hex');
  const containerName = `ansible-image-${id}`;
  const directory = await mkdtemp(
    path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'ansible-image-'),
  );
  state.saveRunDirectory(directory);
  // A process in the container may have left a root-owned file in a folder that it shared:
  // the post step tries again; the build's result stands.
  context.onCleanup(() =>
    rm(directory, { recursive: true, force: true }).then(
      () => true,
      (error: unknown) => {
        core.warning(`Could not remove the run's folder ${directory}: ${message(error)}`);
        return false;
      },
    ),
  );
  // Ansible gets a Python kept outside the image only if it is free to choose one.
  const python =
    inputs.python === 'auto' && pythonInterpreter().startsWith('auto')
      ? await PythonCache.forImage(baseId)
      : undefined;
  if (python) context.onCleanup(() => python.dropIfUnused().then(() => true));
  state.saveContainerName(containerName);
  context.onCleanup(() =>
    Promise.all(
      [containerName, unpackContainerName(containerName)].map((name) =>
        engine.removeContainer(name),
      ),
    ).then(
      () => true,
      () => false,
    ),
  );
  return {
    id,
    containerName,
    directory,
    files: runFiles(directory),
    python,
    markers: new StageMarkers(),
  };
}

async function tagImage(engine: Engine, imageId: string, tags: string[]): Promise<void> {
  for (const tag of tags) {
    await engine.tag(imageId, tag);
    core.info(`Tagged ${tag}`);
  }
}
