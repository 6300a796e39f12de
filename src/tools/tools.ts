import type { Inputs } from '../inputs.js';
import { installAnsible } from './ansible.js';
import { type InstalledPacker, installPacker } from './packer.js';
import { type AnsibleTools, systemAnsible, systemPacker } from './system.js';

export interface Tools {
  packer: InstalledPacker;
  ansible: AnsibleTools & { collectionsPath?: string };
}

/** Packer and Ansible as the version inputs ask: from PATH (`system`) or installed. */
export async function findTools(inputs: Inputs): Promise<Tools> {
  const [packer, ansible] = await Promise.all([
    inputs.packerVersion === 'system'
      ? systemPacker()
      : installPacker({
          spec: inputs.packerVersion,
          releasesUrl: inputs.hashicorpReleasesUrl,
          publicKey: inputs.hashicorpPublicKey,
          dockerPluginVersion: inputs.dockerPluginVersion,
          ansiblePluginVersion: inputs.ansiblePluginVersion,
        }),
    inputs.ansibleVersion === 'system'
      ? systemAnsible()
      : installAnsible({ spec: inputs.ansibleVersion, indexUrl: inputs.pipIndexUrl }),
  ]);
  return { packer, ansible };
}
