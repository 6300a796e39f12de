import * as core from '@actions/core';
import { readFile } from 'node:fs/promises';
import { assetPath } from '../assets.js';
import { LastLines, runCancellable } from '../exec.js';
import { PYTHON_MOUNT, type PythonCache } from './cache.js';

/** How long unpacking a base image's Python may take: a download and a few seconds' work. */
const UNPACK_TIMEOUT_SECONDS = 300;

/**
 * Where the unpacking container finds this folder's launcher.sh and sitecustomize.py, which the
 * container script puts into the Python's folder. Read-only: the container runs the base
 * image's own apt-get, as root, and the next one must get them as they are.
 */
const FILES_MOUNT = '/ansible-image-python-files';

/** Unpacks the base image's Python in a container of that image; see cache.ts. */
export async function unpackPython(
  python: PythonCache,
  baseImageId: string,
  network: string,
  containerName: string,
): Promise<void> {
  core.info("Unpacking the base image's python3 into the runner's cache for Ansible");
  const last = new LastLines(20);
  const result = await runCancellable(
    'docker',
    unpackArguments({
      name: unpackContainerName(containerName),
      baseImageId,
      network,
      directory: python.directory,
      mount: PYTHON_MOUNT,
      files: assetPath('outside-python'),
    }),
    {
      input: await readFile(assetPath('container.sh'), 'utf8'),
      timeoutSeconds: UNPACK_TIMEOUT_SECONDS,
      onLine: (line) => last.add(line),
    },
  );
  if (result.timedOut || result.exitCode !== 0)
    throw new Error(
      `${result.timedOut ? `it took over ${UNPACK_TIMEOUT_SECONDS} s` : `exit ${result.exitCode}`}; Python goes into the image instead:\n${last.text}`,
    );
}

/** The unpacking container's name: the build container's, which the post step knows. */
export const unpackContainerName = (buildContainer: string) => `${buildContainer}-python`;

/**
 * `docker run` arguments for the container that unpacks a base image's Python into the
 * runner's folder: of the base image itself, whose package sources it uses, as root, on the
 * build's network, running our container script from its standard input.
 */
export function unpackArguments(o: {
  name: string;
  baseImageId: string;
  network: string;
  directory: string;
  mount: string;
  /** This folder's files that the script puts into the Python's folder. */
  files: string;
}): string[] {
  return [
    'run',
    '--rm',
    '-i',
    '--name',
    o.name,
    '--user',
    '0',
    ...(o.network ? ['--network', o.network] : []),
    '--entrypoint',
    '/bin/sh',
    '-v',
    `${o.directory}:${o.mount}`,
    '-v',
    `${o.files}:${FILES_MOUNT}:ro`,
    o.baseImageId,
    '-s',
    '--',
    'unpack',
    'auto',
    FILES_MOUNT,
    '',
    o.mount,
    '',
  ];
}
