import * as core from '@actions/core';
import * as io from '@actions/io';
import path from 'node:path';
import semver from 'semver';
import { run } from '../exec.js';
import { withRetries } from '../retry.js';
import type { AnsibleTools } from './system.js';
import { CachedTool } from './tool-cache.js';
import { indexVersions, resolveVersion } from './versions.js';

export interface AnsibleInstall {
  spec: string;
  indexUrl: string;
}

const TOOL = 'ansible-core';

/**
 * ansible-core in a virtual environment of its own (never the system Python), created in
 * place in the tool cache: a virtual environment cannot be moved once made. No collection:
 * the action's own connection plugins reach the build container.
 */
export async function installAnsible(o: AnsibleInstall): Promise<AnsibleTools> {
  const python = await io.which('python3', false);
  if (!python) throw new Error('python3 is not on PATH: it is needed to install ansible-core');
  const pythonVersion = (
    await run(python, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'])
  ).stdout.trim();
  const flavour = `${process.arch}-py${pythonVersion}`;
  const index = o.indexUrl;
  const version = semver.valid(o.spec) ?? (await resolveFromIndex(o.spec, index));
  const directory = await new CachedTool(TOOL, TOOL, version, flavour).ensure((target) =>
    createEnvironment(python, version, target, index),
  );
  return {
    path: path.join(directory, 'bin', 'ansible-playbook'),
    galaxy: path.join(directory, 'bin', 'ansible-galaxy'),
    version,
  };
}

async function resolveFromIndex(spec: string, index: string): Promise<string> {
  const url = `${index}/${TOOL}/`;
  const html = await withRetries(
    async () => {
      const response = await fetch(url, { headers: { Accept: 'text/html' } });
      if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
      return response.text();
    },
    {
      attempts: 3,
      firstDelayMs: 1000,
      isPermanent: (error) => /HTTP 4\d\d/.test((error as Error).message),
    },
  ).catch((error: Error) => {
    throw new Error(`Cannot read the package index: ${error.message}`, { cause: error });
  });
  const version = resolveVersion(spec, indexVersions(html, TOOL));
  if (!version) throw new Error(`No ansible-core release matches "${spec}" at ${index}`);
  return version;
}

async function createEnvironment(
  python: string,
  version: string,
  directory: string,
  index: string,
): Promise<void> {
  await step(python, ['-m', 'venv', directory], 'Creating the virtual environment');
  await step(
    path.join(directory, 'bin', 'pip'),
    [
      'install',
      '--disable-pip-version-check',
      '--no-input',
      '--index-url',
      index,
      `${TOOL}==${version}`,
    ],
    `Installing ansible-core ${version}`,
  );
}

async function step(command: string, args: string[], what: string): Promise<void> {
  core.info(what);
  const result = await run(command, args);
  if (result.exitCode !== 0)
    throw new Error(
      `${what} failed (exit ${result.exitCode}): ${(result.stderr || result.stdout).trim().slice(-1000)}`,
    );
}
