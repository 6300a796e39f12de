import * as core from '@actions/core';
import * as tc from '@actions/tool-cache';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { run } from '../exec.js';
import { ActionsCache } from './actions-cache.js';
import { downloadVerifiedZip } from './hashicorp-release.js';
import { hashicorpPlatform } from './platform.js';
import type { Tool } from './system.js';

export interface PluginInstall {
  releasesUrl: string;
  publicKey: string;
  dockerVersion: string;
  ansibleVersion: string;
}

/**
 * The zip that HashiCorp's release site publishes for a plugin, and the binary in it, named as
 * Packer names an installed plugin (`packer-plugin-docker_v1.1.4_x5.0_linux_amd64`).
 */
export function pluginFiles(
  plugin: string,
  version: string,
  platform: { os: string; arch: string },
): { product: string; zip: string; binary: RegExp } {
  const product = `packer-plugin-${plugin}`;
  const suffix = `${platform.os}_${platform.arch}`;
  const escaped = `${product}_v${version}`.replace(/[.]/g, '\\.');
  return {
    product,
    zip: `${product}_${version}_${suffix}.zip`,
    binary: new RegExp(`^${escaped}_x\\d+\\.\\d+_${suffix}(\\.exe)?$`),
  };
}

/**
 * Installs the pinned docker and ansible plugins for a Packer from 1.10 on, from the same
 * release site as Packer and verified the same way (never from GitHub, whose API Packer would
 * call unauthenticated), into a PACKER_PLUGIN_PATH kept in the tool cache.
 */
export async function installPackerPlugins(packer: Tool, o: PluginInstall): Promise<string> {
  const pluginPath = path.join(
    process.env.RUNNER_TOOL_CACHE || os.tmpdir(),
    'packer-plugins',
    `docker-${o.dockerVersion}_ansible-${o.ansibleVersion}`,
  );
  if (existsSync(`${pluginPath}.complete`)) return pluginPath;
  const scratch = await mkdtemp(
    path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'packer-plugin-download-'),
  );
  try {
    await rm(pluginPath, { recursive: true, force: true });
    for (const [plugin, version] of [
      ['docker', o.dockerVersion],
      ['ansible', o.ansibleVersion],
    ]) {
      const binary = await pluginBinary(plugin, version, o, scratch);
      const args = ['plugins', 'install', '--path', binary, `github.com/hashicorp/${plugin}`];
      const result = await run(packer.path, args, {
        env: { PACKER_PLUGIN_PATH: pluginPath, CHECKPOINT_DISABLE: '1' },
      });
      if (result.exitCode !== 0)
        throw new Error(
          `packer ${args.join(' ')} failed (exit ${result.exitCode}): ${(result.stderr || result.stdout).trim().slice(-1000)}`,
        );
    }
    await writeFile(`${pluginPath}.complete`, '');
    return pluginPath;
  } catch (error) {
    await rm(pluginPath, { recursive: true, force: true });
    throw error;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The plugin's binary in the tool cache: from there, the Actions cache, or the release site. */
async function pluginBinary(
  plugin: string,
  version: string,
  o: PluginInstall,
  scratch: string,
): Promise<string> {
  const platform = hashicorpPlatform();
  const files = pluginFiles(plugin, version, platform);
  const binaryIn = async (directory: string) => {
    const found = (await readdir(directory)).filter((name) => files.binary.test(name));
    if (found.length !== 1)
      throw new Error(
        `${files.zip} holds ${found.length === 0 ? 'no' : 'more than one'} plugin binary named like ${files.binary.source}`,
      );
    return path.join(directory, found[0]);
  };
  let directory = tc.find(files.product, version, platform.arch);
  const actionsCache = ActionsCache.forTool(files.product, version, platform.arch);
  if (!directory && (await actionsCache.restore()))
    directory = tc.find(files.product, version, platform.arch);
  if (directory) {
    core.info(`${files.product} ${version} from the tool cache`);
    return binaryIn(directory);
  }
  try {
    const extracted = await downloadVerifiedZip({
      base: o.releasesUrl,
      product: files.product,
      version,
      fileName: files.zip,
      publicKey: o.publicKey,
      scratch,
    });
    await binaryIn(extracted);
    directory = await tc.cacheDir(extracted, files.product, version, platform.arch);
  } catch (error) {
    throw new Error(
      `Cannot install the Packer ${plugin} plugin ${version} from ${o.releasesUrl}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  await actionsCache.save();
  return binaryIn(directory);
}
