import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isSeq, parseDocument } from 'yaml';
import { LastLines, runCancellable } from '../exec.js';
import { InertOutput } from '../packer/log.js';

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

/** Galaxy servers and what they serve are not ours: a bound on the time, the output inert. */
const GALAXY_TIMEOUT_SECONDS = 600;

async function galaxyInstall(galaxy: string, args: string[]): Promise<void> {
  const what = `ansible-galaxy ${args.slice(0, 2).join(' ')}`;
  const output = new InertOutput();
  const last = new LastLines(10);
  let result;
  try {
    result = await runCancellable(galaxy, args, {
      timeoutSeconds: GALAXY_TIMEOUT_SECONDS,
      onLine: (line) => last.add(output.line(line)),
    });
  } finally {
    output.end();
  }
  if (result.timedOut) throw new Error(`${what} did not finish within ${GALAXY_TIMEOUT_SECONDS} s`);
  if (result.exitCode !== 0)
    throw new Error(`${what} failed (exit ${result.exitCode}): ${last.text.trim()}`);
}
