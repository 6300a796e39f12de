import * as core from '@actions/core';
import { chmod, copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ansibleWrapperScript, containerScriptCommand } from './ansible/command.js';
import type { Requirements } from './ansible/galaxy.js';
import { unsafeVarsFile } from './ansible/vars.js';
import { assetPath } from './assets.js';
import { baseRunConfig, commitChanges } from './changes.js';
import type { ImageInfo } from './docker/engine.js';
import type { Inputs } from './inputs.js';
import { baseDigest, mergeLabels, ociLabels } from './oci.js';
import type { StageMarkers } from './packer/log.js';
import { proxyKeys } from './packer/proxy-keys.js';
import {
  EXECUTOR_MOUNT,
  EXECUTOR_SOCKET,
  EXECUTOR_SOCKET_VARIABLE,
  EXECUTOR_TOKEN_VARIABLE,
  connectionPlugins,
  copyServer,
  executorToken,
} from './executor/executor.js';
import { PYTHON_MOUNT, PythonCache } from './outside-python/cache.js';
import { packerTemplate } from './packer/template.js';
import { SERVICE_MANAGER } from './services/services.js';
import type { InstalledPacker } from './tools/tools.js';
import type { AnsibleTools } from './tools/system.js';

/** The files of one build, in the run's private folder. */
export interface RunFiles {
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

export function runFiles(directory: string): RunFiles {
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

/** Everything that decides one build's config. */
export interface BuildConfigOptions {
  inputs: Inputs;
  base: ImageInfo;
  packer: InstalledPacker;
  ansible: AnsibleTools;
  /** What ansible-galaxy installed for this run, if anything. */
  requirements: Requirements;
  files: RunFiles;
  /** The run's random id, and the build container's name made of it. */
  id: string;
  containerName: string;
  python?: PythonCache;
  markers: StageMarkers;
  created: Date;
  /** Labels of ours that no user label may replace: the input key and its manifest. */
  keyLabels: Array<[string, string]>;
}

export interface BuildConfig {
  /** The Packer template as JSON, also written to `files.template`. */
  template: string;
  /** Packer's environment, with Ansible's settings in it. */
  env: Record<string, string>;
}

/** Writes the run's files and returns what Packer runs with. */
export async function writeBuildConfig(o: BuildConfigOptions): Promise<BuildConfig> {
  try {
    await writeRunFiles(o);
    const template = JSON.stringify(packerTemplate(templateOptions(o)), null, 2);
    await writeFile(o.files.template, template);
    core.debug(`Packer template:\n${template}`);
    return { template, env: { ...ansibleEnv(o), ...packerEnv(o) } };
  } catch (error) {
    throw new Error(
      `Cannot write the build files to ${path.dirname(o.files.template)}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** Our scratch folder inside the build container; the finish step removes it. */
export const containerDirectory = (id: string) => `/tmp/.ansible-image-${id}`;

async function writeRunFiles({
  inputs,
  ansible,
  files,
  containerName,
  python,
  markers,
}: BuildConfigOptions) {
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
      stageMarker: markers.marker('playbook'),
      ...(python && { outsidePython: `${PYTHON_MOUNT}/${PythonCache.LAUNCHER}` }),
    }),
  );
  await chmod(files.wrapper, 0o700);
  await python?.makeDirectory();
}

function templateOptions(o: BuildConfigOptions): Parameters<typeof packerTemplate>[0] {
  const { inputs, base, files, containerName, python } = o;
  const script = assetPath('container.sh');
  const scriptArgs = [
    inputs.python,
    containerDirectory(o.id),
    `${EXECUTOR_MOUNT}/${EXECUTOR_SOCKET}`,
    python ? PYTHON_MOUNT : '',
    inputs.cmdFromService ?? '',
  ];
  const oci = inputs.ociLabels
    ? ociLabels({
        created: o.created,
        ...inputs.github,
        baseName: inputs.baseImage,
        baseDigest: baseDigest(inputs.baseImage, base.RepoDigests),
      })
    : [];
  return {
    baseImageId: base.Id,
    containerName,
    network: inputs.network,
    changes: commitChanges(
      baseRunConfig(base.Config),
      inputs.changes,
      mergeLabels(oci, inputs.labels, o.keyLabels),
    ),
    commitMessage: `ansible-playbook ${path.relative(inputs.workspace, inputs.playbook)}`,
    playbook: inputs.playbook,
    ansibleCommand: files.wrapper,
    prepareCommand: containerScriptCommand(containerName, script, ['prepare', ...scriptArgs]),
    finishCommand: containerScriptCommand(containerName, script, ['finish', ...scriptArgs]),
    setupMarker: o.markers.marker('containerSetup'),
    cleanupMarker: o.markers.marker('containerCleanup'),
    manifestPath: files.manifest,
    executorDirectory: files.executor,
    ...(python && { pythonDirectory: python.directory }),
    proxyHostKeyFile: files.proxyHostKey,
    proxyAuthorizedKeyFile: files.proxyAuthorizedKey,
  };
}

/** Ansible settings for a container build; see README "Settings the action chooses". */
function ansibleEnv({ files, id, requirements }: BuildConfigOptions): Record<string, string> {
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
export const pythonInterpreter = () => process.env.ANSIBLE_PYTHON_INTERPRETER || 'auto_silent';

/** Packer's own temporary files go into the run's folder, so the post step finds them. */
function packerEnv({ files, packer }: BuildConfigOptions): Record<string, string> {
  return {
    PACKER_TMP_DIR: files.packerTemp,
    TMPDIR: files.packerTemp,
    ...(packer.pluginPath && { PACKER_PLUGIN_PATH: packer.pluginPath }),
  };
}
