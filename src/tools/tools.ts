import type { Inputs } from '../inputs.js';
import type { InstalledPacker } from './packer.js';
import { type AnsibleTools, systemAnsible, systemPacker } from './system.js';

export interface Tools {
  packer: InstalledPacker;
  ansible: AnsibleTools & { collectionsPath?: string };
}

/**
 * Packer and Ansible as the version inputs ask: from PATH (`system`) or installed. The
 * installers (openpgp, the cache clients) load only when needed: they double the bundle,
 * and loading it is part of every step's start-up time.
 */
export async function findTools(inputs: Inputs): Promise<Tools> {
  const [packer, ansible] = await Promise.all([
    inputs.packerVersion === 'system'
      ? systemPacker()
      : (await import('./packer.js')).installPacker({
          spec: inputs.packerVersion,
          releasesUrl: inputs.hashicorpReleasesUrl,
          publicKey: inputs.hashicorpPublicKey,
          dockerPluginVersion: inputs.dockerPluginVersion,
          ansiblePluginVersion: inputs.ansiblePluginVersion,
        }),
    inputs.ansibleVersion === 'system'
      ? systemAnsible()
      : (await import('./ansible.js')).installAnsible({
          spec: inputs.ansibleVersion,
          indexUrl: inputs.pipIndexUrl,
        }),
  ]);
  return { packer, ansible };
}
