import * as io from '@actions/io';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { run } from '../exec.js';
import { downloadVerifiedZip, withScratch } from './hashicorp-release.js';
import { hashicorpPlatform } from './platform.js';
import type { Tool } from './system.js';
import { CachedTool, ToolFolder } from './tool-cache.js';

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
  const plugins = new ToolFolder(
    'packer-plugins',
    `docker-${o.dockerVersion}_ansible-${o.ansibleVersion}`,
  );
  if (plugins.complete()) return plugins.directory;
  await withScratch('packer-plugin-download-', (scratch) =>
    plugins.fill(async (pluginPath) => {
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
    }),
  );
  return plugins.directory;
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
  const cached = new CachedTool(files.product, files.product, version, platform.arch);
  const directory = await cached.ensure(async (target) => {
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
      await io.cp(extracted, target, { recursive: true, copySourceDirectory: false });
    } catch (error) {
      throw new Error(
        `Cannot install the Packer ${plugin} plugin ${version} from ${o.releasesUrl}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  });
  return binaryIn(directory);
}
