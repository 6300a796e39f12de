import * as core from '@actions/core';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Requirements, installRequirements } from './ansible/galaxy.js';
import { pythonInterpreter, runFiles, writeBuildConfig } from './build-config.js';
import { Engine, type ImageInfo } from './docker/engine.js';
import { baseImage, imagePlatform, maskedCredentials, pushTags } from './docker/transfer.js';
import { type Inputs, getInputs, message } from './inputs.js';
import { keepFailedBuild } from './failed/keep-failed.js';
import { buildFailure, readOutcome } from './outcome.js';
import { STAGES, StageMarkers } from './packer/log.js';
import { builtImageId, packerBuild } from './packer/packer.js';
import { TaskFailure, annotate, publishReport, setOutputs } from './report/outputs.js';
import { registryImageFacts, retagInRegistry } from './reuse/registry-reuse.js';
import { type Reusable, findReusable, imageKey, whyRebuilt } from './reuse/reuse.js';
import { eachLimited } from './parallel.js';
import {
  type Platform,
  emulationMissing,
  platformName,
  platformTagSuffix,
} from './platforms/platform.js';
import {
  indexPlatforms,
  mergeImages,
  platformInputs,
  exportedImages,
  pushImageByDigest,
} from './platforms/publish.js';
import { RunContext } from './run-context.js';
import { exportImages } from './docker/export.js';
import { reportLayer, withinBudget } from './report/read-layer.js';
import { applyRunConfig } from './services/after-build.js';
import * as state from './state.js';
import { PythonCache } from './outside-python/cache.js';
import { unpackContainerName, unpackPython } from './outside-python/unpack.js';
import { type Tools, findTools } from './tools/tools.js';

/** Runs the build; the one place where an error becomes a failed step. */
export async function run(): Promise<void> {
  state.markPost();
  const context = RunContext.start();
  let inputs: Inputs | undefined;
  try {
    inputs = await context.phase('inputs', 'Inputs', async () => getInputs());
    await (inputs.merge.length ? merge(context, inputs) : build(context, inputs));
  } catch (error) {
    fail(error, context.failed(error));
  } finally {
    if (await context.cleanUp()) state.markCleanedUp();
    if (inputs) await publishReport(context.report, inputs.workspace, inputs.summary);
  }
}

/** What every platform's build shares: the engine, the tools, the run and its requirements. */
interface Shared {
  engine: Engine;
  run: Run;
  prepared: Promise<{ tools: Tools; requirements: Requirements }>;
}

/** One image, or one per platform under an index; then the outputs. */
async function build(context: RunContext, inputs: Inputs): Promise<void> {
  // Finding the tools (ansible-playbook --version takes half a second) overlaps with the
  // engine check and the base image; each logs in its own group once it is done.
  const toolsFound = context.timed('tools', 'Packer and Ansible', () => findTools(inputs));
  toolsFound.catch(() => undefined); // awaited below; a failure must not go unhandled
  const engine = await context.phase('engine', 'Docker engine', connectEngine);
  context.report.baseImage.name = inputs.baseImage;
  const run = await startRun(context);
  // Galaxy writes into the run's folder: it starts once the bases are known, so that a base
  // that fails leaves nothing writing there while the cleanup removes it.
  const shared = () => {
    const prepared = prepare(context, inputs, toolsFound, run);
    prepared.catch(() => undefined); // each build awaits it first
    return { engine, run, prepared };
  };
  if (inputs.platforms.length < 2) {
    const [platform] = inputs.platforms;
    const base = await baseFor(context, engine, inputs, platform);
    await buildImage(context, shared(), inputs, base, platform);
  } else {
    const builds = inputs.platforms.map((platform) => ({
      platform,
      context: context.forPlatform(platformName(platform)),
    }));
    // Every platform's base, and whether the runner can run it, before any build: a missing
    // one fails the step in seconds rather than after the other platforms' builds.
    const bases = await eachLimited(builds, builds.length, ({ platform, context }) =>
      context.build(() => baseFor(context, engine, inputs, platform)),
    );
    const based = builds.map((build, n) => ({ ...build, base: bases[n] }));
    // Credentials are masked before the builds stream, which stops command processing.
    if (inputs.push) for (const tag of inputs.tags) await maskedCredentials(tag);
    const common = shared();
    await eachLimited(based, inputs.maxParallel, ({ platform, context, base }) =>
      context.build(() =>
        buildImage(context, common, platformInputs(inputs, platform), base, platform),
      ),
    );
    await context.phase('index', 'Image index', () => indexPlatforms(context.report, inputs));
  }
  if (inputs.export) {
    const target = inputs.export;
    context.report.export = await context.phase('export', 'Export', () =>
      exportImages({ engine, images: exportedImages(context.report, inputs), ...target }),
    );
  }
  setOutputs(context.report);
}

/** The base image (for a platform), which the runner must be able to run. */
async function baseFor(
  context: RunContext,
  engine: Engine,
  inputs: Inputs,
  platform?: Platform,
): Promise<ImageInfo> {
  const { report } = context;
  report.baseImage.name = inputs.baseImage;
  const base = await context.phase('baseImage', `Base image ${inputs.baseImage}`, () =>
    baseImage(engine, inputs.baseImage, inputs.pull, platform),
  );
  report.baseImage.id = base.Id;
  const cannotRun = emulationMissing(imagePlatform(base));
  if (cannotRun) throw new Error(cannotRun);
  return base;
}

/** The tools shown, and Galaxy's requirements installed once for every platform. */
async function prepare(
  context: RunContext,
  inputs: Inputs,
  toolsFound: Promise<Tools>,
  run: Run,
): Promise<{ tools: Tools; requirements: Requirements }> {
  const tools = await toolsFound;
  await showTools(tools);
  context.report.tools = { packer: tools.packer.version, ansible: tools.ansible.version };
  const requirements = inputs.galaxyFile
    ? await context.phase('galaxy', 'Galaxy requirements', () =>
        installRequirements(tools.ansible.galaxy, inputs.galaxyFile as string, run.directory),
      )
    : {};
  return { tools, requirements };
}

/** The phases of one image's build, in order; each undoes what it makes through the context. */
async function buildImage(
  context: RunContext,
  { engine, run, prepared }: Shared,
  inputs: Inputs,
  base: ImageInfo,
  platform?: Platform,
): Promise<void> {
  const { report } = context;
  context.within('Packer and Ansible');
  const { tools, requirements } = await prepared;
  report.tools = { packer: tools.packer.version, ansible: tools.ansible.version };

  const builder = await startBuild(context, engine, run, inputs, base.Id, platform);
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
      id: run.id,
      ...builder,
      created: new Date(),
      keyLabels: key.labels,
    }),
  );
  report.config = config.template;

  // The prepare step asks for it once it finds no Python in the image, and waits.
  const { python, files } = builder;
  const pythonAnswered = python?.answerRequests(files.executor, () =>
    unpackPython(python, base.Id, inputs.network, builder.containerName),
  );
  const packer = await context.timed('packer', 'Packer build', () =>
    packerBuild(
      tools.packer.path,
      files.template,
      inputs.workingDirectory,
      config.env,
      builder.markers,
      inputs.secrets,
    ),
  );
  await pythonAnswered?.();
  Object.assign(report.phases, packer.stages);
  if (packer.lastStage) context.within(STAGES[packer.lastStage]);
  const outcome = await readOutcome(files, inputs.secrets);
  Object.assign(report, outcome);
  const failure = buildFailure(packer, outcome, inputs.workspace);
  if (failure) {
    // keep-failed (#19): the container as the failed task left it, before the cleanup removes it.
    await keepFailedBuild({
      report,
      engine,
      runId: run.id,
      containerName: builder.containerName,
      base,
      inputs,
      failure,
    });
    throw failure;
  }

  const committed = await builtImageId(files.manifest);
  // The engine's docker save is most of the report's time: it overlaps the run config.
  const layerRead = context.timed('layer', 'What the layer holds', () =>
    reportLayer(engine, committed, base.Id),
  );
  layerRead.catch(() => undefined); // awaited below
  const { runConfig } = outcome.services;
  let imageId = committed;
  try {
    if (runConfig)
      imageId = await context.phase('runConfig', `Run config from ${runConfig.service}`, () =>
        applyRunConfig(engine, committed, runConfig, inputs.changes),
      );
    await python?.save();
  } catch (error) {
    // Its containers (rpm's) must not outlive the step's cleanup.
    await layerRead.catch(() => undefined);
    throw error;
  }
  context.within('What the layer holds');
  report.layer = await withinBudget(layerRead, inputs.maxLayerSize);
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
  const byDigest = inputs.push && inputs.pushByDigest;
  const pushed =
    inputs.push && !byDigest
      ? await context.phase('push', 'Push', () => pushTags(engine, inputs.tags))
      : [];
  const uploaded = byDigest
    ? await context.phase('push', 'Push by digest', () =>
        pushImageByDigest(engine, imageId, inputs.tags),
      )
    : undefined;
  const image = await context.phase('inspect', 'Inspect', () => engine.builtImage(imageId));
  context.report.image = {
    ...image,
    tags: inputs.tags,
    digest: pushed[0]?.digest ?? uploaded?.digest ?? '',
    pushed,
  };
  if (uploaded) context.report.pushedByDigest = uploaded.references;
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
}

/** Instead of a build: one index over images that other jobs pushed, under the tags. */
async function merge(context: RunContext, inputs: Inputs): Promise<void> {
  await context.phase('index', 'Image index', () => mergeImages(context.report, inputs));
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

type Run = Awaited<ReturnType<typeof startRun>>;

/**
 * The run's id and its private folder, with its cleanup registered as soon as it exists, and
 * saved for the post step in case this step never gets to it.
 */
async function startRun(context: RunContext) {
  const id = randomBytes(6).toString('hex');
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
  return { id, directory, containers: [] as string[] };
}

/**
 * One build's container name and files (in a folder of the run's, per platform), each with
 * its cleanup registered as soon as it exists.
 */
async function startBuild(
  context: RunContext,
  engine: Engine,
  run: Run,
  inputs: Inputs,
  baseId: string,
  platform?: Platform,
) {
  const suffix = platform ? `-${platformTagSuffix(platform)}` : '';
  const containerName = `ansible-image-${run.id}${suffix}`;
  const directory = platform
    ? path.join(run.directory, platformTagSuffix(platform))
    : run.directory;
  if (platform) await mkdir(directory, { mode: 0o700 });
  // Ansible gets a Python kept outside the image only if it is free to choose one.
  const python =
    inputs.python === 'auto' && pythonInterpreter().startsWith('auto')
      ? await PythonCache.forImage(baseId)
      : undefined;
  if (python) context.onCleanup(() => python.dropIfUnused().then(() => true));
  run.containers.push(containerName);
  state.saveContainerNames(run.containers);
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
  return { containerName, files: runFiles(directory), python, markers: new StageMarkers() };
}

async function tagImage(engine: Engine, imageId: string, tags: string[]): Promise<void> {
  for (const tag of tags) {
    await engine.tag(imageId, tag);
    core.info(`Tagged ${tag}`);
  }
}
