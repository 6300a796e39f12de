import semver from 'semver';
import { type AnsibleTools, type Tool, systemAnsible, systemPacker } from './system.js';

export interface InstalledPacker extends Tool {
  /** PACKER_PLUGIN_PATH for Packer 1.10 and later, which no longer contain our plugins. */
  pluginPath?: string;
}

/** What the tool inputs ask for, as inputs.ts validated them. */
export interface ToolInputs {
  /** `system`, `latest`, a version or a semver range. */
  packerVersion: string;
  ansibleVersion: string;
  hashicorpReleasesUrl: string;
  hashicorpPublicKey: string;
  dockerPluginVersion: string;
  ansiblePluginVersion: string;
  pipIndexUrl: string;
}

export interface Tools {
  packer: InstalledPacker;
  ansible: AnsibleTools;
}

/**
 * Packer and Ansible as the version inputs ask: from PATH (`system`) or installed. The
 * installers (openpgp, the cache clients) load only when needed: they double the bundle,
 * and loading it is part of every step's start-up time.
 */
export async function findTools(inputs: ToolInputs): Promise<Tools> {
  const [packer, ansible] = await Promise.all([
    findPacker(inputs),
    inputs.ansibleVersion === 'system'
      ? systemAnsible()
      : (await import('./ansible.js')).installAnsible({
          spec: inputs.ansibleVersion,
          indexUrl: inputs.pipIndexUrl,
        }),
  ]);
  return { packer, ansible };
}

/** A system Packer from 1.10 on gets its plugins the same way as one that we install. */
async function findPacker(inputs: ToolInputs): Promise<InstalledPacker> {
  const release = {
    releasesUrl: inputs.hashicorpReleasesUrl,
    publicKey: inputs.hashicorpPublicKey,
  };
  const packer =
    inputs.packerVersion === 'system'
      ? await systemPacker()
      : await (
          await import('./packer.js')
        ).installPacker({ spec: inputs.packerVersion, ...release });
  if (!needsPlugins(packer.version)) return packer;
  const { installPackerPlugins } = await import('./packer-plugins.js');
  const pluginPath = await installPackerPlugins(packer, {
    ...release,
    dockerVersion: inputs.dockerPluginVersion,
    ansibleVersion: inputs.ansiblePluginVersion,
  });
  return { ...packer, pluginPath };
}

/** From Packer 1.10 on, the docker builder and the ansible provisioner are separate plugins. */
export function needsPlugins(packerVersion: string): boolean {
  return !semver.lt(packerVersion, '1.10.0');
}
