import * as core from '@actions/core';
import path from 'node:path';
import type { Requirements } from '../ansible/galaxy.js';
import type { Engine, ImageInfo } from '../docker/engine.js';
import { readImage } from '../docker/registry.js';
import { maskedCredentials } from '../docker/transfer.js';
import type { Inputs } from '../inputs.js';
import { InertOutput } from '../packer/log.js';
import { baseDigest } from '../oci.js';
import { treeDigest } from '../outside-python/cache.js';
import type { Tools } from '../tools/tools.js';
import { ACTION_VERSION } from '../version.js';
import { workspaceFiles } from './files.js';
import { type Manifest, explainMiss, inputKey, keyManifest, readManifest } from './input-key.js';
import { type RegistryHit, findInRegistry } from './registry-reuse.js';

/** The labels by which a later run finds this image and tells what changed since. */
export const KEY_LABEL = 'org.ansible-image.input-key';
export const MANIFEST_LABEL = 'org.ansible-image.inputs';

export interface ImageKey {
  key: string;
  manifest: Manifest;
  /** The image's labels that carry the key and its manifest. */
  labels: Array<[string, string]>;
}

/** The digest of everything that decides the image; secrets are not among its sources. */
export async function imageKey(
  inputs: Inputs,
  base: ImageInfo,
  tools: Tools,
  requirements: Requirements,
): Promise<ImageKey> {
  const files = await workspaceFiles(inputs.workingDirectory);
  const installed = [requirements.rolesPath, requirements.collectionsPath].filter(
    (folder): folder is string => Boolean(folder),
  );
  const galaxy = (await Promise.all(installed.map((folder) => treeDigest(folder, 'content')))).join(
    ',',
  );
  const { key, parts } = inputKey({
    files,
    galaxy,
    inputs: {
      playbook: path.relative(inputs.workingDirectory, inputs.playbook),
      'extra-vars': inputs.extraVars,
      changes: inputs.changes,
      labels: inputs.labels,
      'oci-labels': inputs.ociLabels,
      'ansible-args': inputs.ansibleArgs,
      python: inputs.python,
      'cmd-from-service': inputs.cmdFromService,
      'cache-key': inputs.cacheKey || undefined,
    },
    base: baseDigest(inputs.baseImage, base.RepoDigests) ?? base.Id,
    platform: [base.Os, base.Architecture, base.Variant].filter(Boolean).join('/'),
    tools: {
      packer: tools.packer.version,
      ansible: tools.ansible.version,
      ...(tools.packer.pluginPath && {
        'docker-plugin': inputs.dockerPluginVersion,
        'ansible-plugin': inputs.ansiblePluginVersion,
      }),
    },
    action: ACTION_VERSION,
  });
  const { manifest, label } = keyManifest(files, parts);
  return {
    key,
    manifest,
    labels: [
      [KEY_LABEL, key],
      [MANIFEST_LABEL, label],
    ],
  };
}

export type Reusable = { local: ImageInfo } | { registry: RegistryHit };

/**
 * An image with this key that is young enough: a local one, or else, when pushing, one at the
 * first tag in its registry. A lookup that fails is one line in the log and a build.
 */
export async function findReusable(
  engine: Engine,
  key: string,
  inputs: Inputs,
): Promise<Reusable | undefined> {
  const young = (created: string | undefined, where: string) => {
    const age = (Date.now() - Date.parse(created ?? '')) / 1000;
    if (inputs.cacheMaxAge === undefined || age <= inputs.cacheMaxAge) return true;
    core.info(
      `${where} has this key but is ${Math.round(age)} s old, more than cache-max-age (${inputs.cacheMaxAge} s): building anew`,
    );
    return false;
  };
  const [local] = await engine.imagesLabelled(KEY_LABEL, key);
  if (local && young(local.Created, `Local image ${local.Id}`)) {
    core.info(`Reusing local image ${local.Id}: it was built from the same inputs`);
    return { local };
  }
  const [first] = inputs.tags;
  // A registry's image is reused by manifest PUTs under the tags: not what push-by-digest
  // asks for (no tag), nor an image that export could read from the engine.
  if (!inputs.push || inputs.pushByDigest || inputs.export || !first) return undefined;
  const found = await findInRegistry(first, key, KEY_LABEL, await maskedCredentials(first));
  if ('miss' in found) {
    showInert([`Nothing to reuse from the registry: ${found.miss}`]);
    return undefined;
  }
  if (!young(found.config.created, `${first}@${found.digest}`)) return undefined;
  core.info(
    `Reusing ${first}@${found.digest} from the registry: it was built from the same inputs`,
  );
  return { registry: found };
}

/**
 * Why this run builds although the first tag has an image: one line per part of the key that
 * changed, from the manifest that the earlier image carries (locally, or when pushing, in the
 * registry). Nothing when there is no earlier image or it has no manifest.
 */
export async function whyRebuilt(engine: Engine, key: ImageKey, inputs: Inputs): Promise<string[]> {
  const [first] = inputs.tags;
  if (!first) return [];
  try {
    const local = await engine.findImage(first);
    const label =
      local?.Config?.Labels?.[MANIFEST_LABEL] ??
      (inputs.push
        ? (await readImage(first, await maskedCredentials(first)))?.config.config?.Labels?.[
            MANIFEST_LABEL
          ]
        : undefined);
    const changed = label ? explainMiss(readManifest(label), key.manifest) : [];
    showInert(changed.map((line) => `Changed since ${first}: ${line}`));
    return changed;
  } catch (error) {
    showInert([`Cannot tell what changed since ${first}: ${(error as Error).message}`]);
    return [];
  }
}

/**
 * Paths from an earlier image's label (which its base image may have set), a workspace's file
 * names and a registry's answers: printed where no line of them can be a workflow command.
 */
function showInert(lines: string[]): void {
  if (lines.length === 0) return;
  const output = new InertOutput();
  for (const line of lines) output.line(line);
  output.end();
}
