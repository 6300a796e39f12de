import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isSeq, parseDocument } from 'yaml';
import { run } from '../exec.js';

export interface Requirements {
  rolesPath?: string;
  collectionsPath?: string;
}

/** Installs the roles and collections of a requirements file into the run's private folder. */
export async function installRequirements(
  galaxy: string,
  requirementsFile: string,
  runDirectory: string,
): Promise<Requirements> {
  const document = parseDocument(await readFile(requirementsFile, 'utf8'));
  const contents = document.contents;
  const hasRoles = isSeq(contents) || (isMap(contents) && contents.has('roles'));
  const hasCollections = isMap(contents) && contents.has('collections');
  const roles = path.join(runDirectory, 'roles');
  const collections = path.join(runDirectory, 'collections');
  const installed: Requirements = {};
  if (hasRoles) {
    await galaxyInstall(galaxy, ['role', 'install', '-r', requirementsFile, '-p', roles]);
    installed.rolesPath = roles;
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
    installed.collectionsPath = collections;
  }
  return installed;
}

async function galaxyInstall(galaxy: string, args: string[]): Promise<void> {
  const result = await run(galaxy, args, { stream: true });
  if (result.exitCode !== 0)
    throw new Error(
      `ansible-galaxy ${args.slice(0, 2).join(' ')} failed (exit ${result.exitCode}): ${result.stderr.trim() || result.stdout.trim()}`,
    );
}
