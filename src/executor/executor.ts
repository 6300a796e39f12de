import * as core from '@actions/core';
import { randomBytes } from 'node:crypto';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { assetPath } from '../assets.js';

/**
 * The runner's half of the executor: the server (executor.py) that the container script starts
 * in the build container, and the connection plugins that reach it (connection/). Python cannot
 * import these names: protocol.py spells them again, and __tests__/executor-names.test.ts holds
 * the two equal.
 */

/**
 * Inside Packer's folder (PACKER_CONTAINER_DIR), so that the mount point is made on the runner's
 * side of that mount and not in the container's filesystem, where it would stay in the image.
 */
export const EXECUTOR_MOUNT = '/packer-files/ansible-image';
/** The executor's socket in that folder, whichever side looks at it. */
export const EXECUTOR_SOCKET = 'executor.sock';
/**
 * The executor's socket on the runner's side of the mount, in Ansible's environment: the
 * wrapper looks for it there, and so does the connection plugin.
 */
export const EXECUTOR_SOCKET_VARIABLE = 'ANSIBLE_IMAGE_EXECUTOR_SOCKET';
/** Names the executor's token in every environment it passes through. */
export const EXECUTOR_TOKEN_VARIABLE = 'ANSIBLE_IMAGE_EXECUTOR_TOKEN';

/** The connection plugins' names: through the executor, or else `docker exec` per command. */
export const EXECUTOR_CONNECTION = 'ansible_image_executor';
export const DOCKER_CONNECTION = 'ansible_image_docker';

/** The server, which the container script starts from the folder at EXECUTOR_MOUNT. */
export const SERVER = 'executor.py';
/** What the server needs in that folder. */
const SERVER_FILES = [SERVER, 'protocol.py'];

/** Ansible's folder of connection plugins. */
export const connectionPlugins = () => assetPath('executor', 'connection');

/** Puts the server into the runner's folder that the container sees at EXECUTOR_MOUNT. */
export async function copyServer(folder: string): Promise<void> {
  for (const file of SERVER_FILES)
    await copyFile(assetPath('executor', file), path.join(folder, file));
}

/** The secret the executor serves requests for: a user made in the image may reach its socket. */
export function executorToken(): string {
  const token = randomBytes(32).toString('hex');
  core.setSecret(token);
  return token;
}
