import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isSeq, parseDocument } from 'yaml';
import { run } from '../exec.js';

/**
 * Installs the roles and collections of a requirements file into the run's private folder,
 * and returns the environment that points Ansible at them (after its usual places).
 */
export async function installRequirements(
  galaxy: string,
  requirementsFile: string,
  runDirectory: string,
): Promise<Record<string, string>> {
  const document = parseDocument(await readFile(requirementsFile, 'utf8'));
  const contents = document.contents;
  const hasRoles = isSeq(contents) || (isMap(contents) && contents.has('roles'));
  const hasCollections = isMap(contents) && contents.has('collections');
  const roles = path.join(runDirectory, 'roles');
  const collections = path.join(runDirectory, 'collections');
  const env: Record<string, string> = {};
  if (hasRoles) {
    await galaxyInstall(galaxy, ['role', 'install', '-r', requirementsFile, '-p', roles]);
    env.ANSIBLE_ROLES_PATH = [roles, process.env.ANSIBLE_ROLES_PATH ?? defaultRolesPath()].join(
      ':',
    );
  }
  if (hasCollections) {
    await galaxyInstall(galaxy, [
      'collection',
      'install',
      '-r',
      requirementsFile,
      '-p',
      collections,
    ]);
    env.ANSIBLE_COLLECTIONS_PATH = [
      collections,
      process.env.ANSIBLE_COLLECTIONS_PATH ??
        '~/.ansible/collections:/usr/share/ansible/collections',
    ].join(':');
  }
  return env;
}

const defaultRolesPath = () => '~/.ansible/roles:/usr/share/ansible/roles:/etc/ansible/roles';

async function galaxyInstall(galaxy: string, args: string[]): Promise<void> {
  const result = await run(galaxy, args, { stream: true });
  if (result.exitCode !== 0)
    throw new Error(
      `ansible-galaxy ${args.slice(0, 2).join(' ')} failed (exit ${result.exitCode}): ${result.stderr.trim() || result.stdout.trim()}`,
    );
}
