import * as core from '@actions/core';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ansibleWrapperScript, containerScriptCommand } from './ansible/command.js';
import { type PlaybookEvents, firstFailure, parseEvents } from './ansible/events.js';
import { installRequirements } from './ansible/galaxy.js';
import { unsafeVarsFile } from './ansible/vars.js';
import { assetPath } from './assets.js';
import { commitChanges } from './changes.js';
import { Engine, type ImageInfo } from './docker/engine.js';
import { type Inputs, getInputs, message } from './inputs.js';
import { builtImageId, packerBuild, packerErrors } from './packer/packer.js';
import { packerTemplate } from './packer/template.js';
import * as state from './state.js';
import { systemAnsible, systemPacker } from './tools/system.js';

type Phase = 'inputs' | 'tools' | 'baseImage' | 'prepare' | 'build' | 'tag' | 'inspect';

/** Runs the phases in order; the one place where an error becomes a failed step. */
export async function run(): Promise<void> {
  state.markPost();
  const phases: Partial<Record<Phase, number>> = {};
  const phase = async <T>(name: Phase, title: string, body: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await core.group(title, body);
    } finally {
      phases[name] = Math.round(performance.now() - started) / 1000;
    }
  };

  const engine = new Engine();
  let runDirectory: string | undefined;
  let containerName: string | undefined;
  try {
    const inputs = await phase('inputs', 'Inputs', async () => getInputs());
    const tools = await phase('tools', 'Packer and Ansible', async () => {
      const [packer, ansible] = await Promise.all([systemPacker(), systemAnsible()]);
      core.info(`Packer ${packer.version} (${packer.path})`);
      core.info(`Ansible ${ansible.version} (${ansible.path})`);
      return { packer, ansible };
    });
    const base = await phase('baseImage', `Base image ${inputs.baseImage}`, async () => {
      await engine.ping();
      return baseImage(engine, inputs);
    });

    const id = randomBytes(6).toString('hex');
    containerName = `ansible-image-${id}`;
    state.saveContainerName(containerName);
    runDirectory = await mkdtemp(
      path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'ansible-image-'),
    );
    state.saveRunDirectory(runDirectory);
    const files = runFiles(runDirectory);

    const env = await phase('prepare', 'Build config', async () => {
      const galaxyEnv = inputs.galaxyFile
        ? await installRequirements(tools.ansible.galaxy, inputs.galaxyFile, runDirectory as string)
        : {};
      await writeBuildFiles(inputs, base, tools.ansible.path, files, containerName as string, id);
      return { ...ansibleEnv(files, id), ...galaxyEnv };
    });

    const { imageId, events } = await phase('build', 'Provision and commit', async () => {
      const result = await packerBuild(
        tools.packer.path,
        files.template,
        inputs.workingDirectory,
        env,
      );
      const events = parseEvents(await readFile(files.events, 'utf8').catch(() => ''));
      if (result.exitCode !== 0) throw new Error(buildFailure(events, result.output, inputs));
      return { imageId: await builtImageId(files.manifest), events };
    });

    await phase('tag', 'Tag', async () => {
      for (const tag of inputs.tags) {
        await engine.tag(imageId, tag);
        core.info(`Tagged ${tag}`);
      }
    });

    const { image, layerSize } = await phase('inspect', 'Inspect', async () => ({
      image: await engine.inspectImage(imageId),
      layerSize: await engine.topLayerSize(imageId),
    }));
    setOutputs({ inputs, base, image, layerSize, tools, events, phases });
  } catch (error) {
    core.setFailed(message(error));
  } finally {
    if (containerName) await engine.removeContainer(containerName).catch(() => undefined);
    if (runDirectory) await rm(runDirectory, { recursive: true, force: true });
  }
}

async function baseImage(engine: Engine, inputs: Inputs): Promise<ImageInfo> {
  const local = inputs.pull === 'always' ? undefined : await engine.findImage(inputs.baseImage);
  if (local) return local;
  if (inputs.pull === 'never')
    throw new Error(`Base image ${inputs.baseImage} is not present locally and pull is "never"`);
  core.info(`Pulling ${inputs.baseImage}`);
  await engine.pull(inputs.baseImage);
  return engine.inspectImage(inputs.baseImage);
}

interface RunFiles {
  template: string;
  manifest: string;
  events: string;
  extraVars: string;
  wrapper: string;
}

function runFiles(directory: string): RunFiles {
  return {
    template: path.join(directory, 'build.pkr.json'),
    manifest: path.join(directory, 'manifest.json'),
    events: path.join(directory, 'events.jsonl'),
    extraVars: path.join(directory, 'extra-vars.yml'),
    wrapper: path.join(directory, 'ansible-playbook'),
  };
}

/** Our scratch folder inside the build container; the finish step removes it. */
const containerDirectory = (id: string) => `/tmp/.ansible-image-${id}`;

async function writeBuildFiles(
  inputs: Inputs,
  base: ImageInfo,
  ansiblePlaybook: string,
  files: RunFiles,
  containerName: string,
  id: string,
): Promise<void> {
  if (inputs.extraVars)
    await writeFile(files.extraVars, unsafeVarsFile(inputs.extraVars), { mode: 0o600 });
  await writeFile(
    files.wrapper,
    ansibleWrapperScript({
      ansiblePlaybook,
      containerName,
      ...(inputs.extraVars && { extraVarsFile: files.extraVars }),
      userArguments: inputs.ansibleArgs,
    }),
  );
  await chmod(files.wrapper, 0o700);
  const script = assetPath('container.sh');
  const scriptArgs = [inputs.python, containerDirectory(id)];
  const template = packerTemplate({
    baseImageId: base.Id,
    containerName,
    network: inputs.network,
    changes: commitChanges(
      { entrypoint: asList(base.Config?.Entrypoint), cmd: asList(base.Config?.Cmd) },
      inputs.changes,
      inputs.labels,
    ),
    commitMessage: `ansible-playbook ${path.relative(inputs.workspace, inputs.playbook)}`,
    playbook: inputs.playbook,
    ansibleCommand: files.wrapper,
    prepareCommand: containerScriptCommand(containerName, script, ['prepare', ...scriptArgs]),
    finishCommand: containerScriptCommand(containerName, script, ['finish', ...scriptArgs]),
    manifestPath: files.manifest,
  });
  await writeFile(files.template, JSON.stringify(template, null, 2));
  core.debug(`Packer template:\n${JSON.stringify(template, null, 2)}`);
}

const asList = (value: string | string[] | null | undefined): string[] | null =>
  typeof value === 'string' ? [value] : (value ?? null);

/** Ansible settings for a container build; see README "Settings the action chooses". */
function ansibleEnv(files: RunFiles, id: string): Record<string, string> {
  const callbacks = [assetPath('callback'), process.env.ANSIBLE_CALLBACK_PLUGINS]
    .filter(Boolean)
    .join(':');
  return {
    ANSIBLE_PIPELINING: 'True',
    ANSIBLE_REMOTE_TMP: `${containerDirectory(id)}/ansible`,
    ANSIBLE_CALLBACK_PLUGINS: callbacks,
    ANSIBLE_IMAGE_ACTION_EVENTS: files.events,
    ANSIBLE_PYTHON_INTERPRETER: process.env.ANSIBLE_PYTHON_INTERPRETER || 'auto_silent',
    ANSIBLE_RETRY_FILES_ENABLED: 'False',
  };
}

function buildFailure(events: PlaybookEvents, packerOutput: string, inputs: Inputs): string {
  const failed = firstFailure(events);
  if (failed) {
    const where = failed.file
      ? ` (${path.relative(inputs.workspace, failed.file)}:${failed.line ?? '?'})`
      : '';
    return `Task "${failed.name}" failed${where}: ${failed.message || failed.status}`;
  }
  return `Packer build failed: ${packerErrors(packerOutput) || 'see the log above'}`;
}

function setOutputs(o: {
  inputs: Inputs;
  base: ImageInfo;
  image: ImageInfo;
  layerSize: number;
  tools: { packer: { version: string }; ansible: { version: string } };
  events: PlaybookEvents;
  phases: Partial<Record<Phase, number>>;
}): void {
  const outputs = {
    'image-id': o.image.Id,
    digest: '',
    size: o.image.Size,
    'layer-size': o.layerSize,
    layers: o.image.RootFS?.Layers?.length ?? 0,
    tags: o.inputs.tags.join('\n'),
    'packer-version': o.tools.packer.version,
    'ansible-version': o.tools.ansible.version,
  };
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
  core.setOutput('metadata', {
    imageId: outputs['image-id'],
    digest: outputs.digest,
    size: outputs.size,
    layerSize: outputs['layer-size'],
    layers: outputs.layers,
    tags: o.inputs.tags,
    baseImage: { name: o.inputs.baseImage, id: o.base.Id },
    packerVersion: outputs['packer-version'],
    ansibleVersion: outputs['ansible-version'],
    recap: o.events.recap ?? null,
    phases: o.phases,
  });
  core.info(
    `Built ${outputs['image-id']}: ${outputs.layers} layers, ${outputs['layer-size']} bytes added over ${o.inputs.baseImage}`,
  );
}
