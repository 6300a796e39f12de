import * as io from '@actions/io';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunResult } from '../exec.js';
import { versionOutput } from './version-cache.js';

export interface Tool {
  path: string;
  version: string;
}

export interface AnsibleTools extends Tool {
  galaxy: string;
}

/** `packer-version: system`: the packer on PATH. */
export async function systemPacker(): Promise<Tool> {
  const packer = await onPath('packer', 'packer-version');
  const output = await versionOutput(packer, ['version']);
  return {
    path: packer,
    version: versionIn(output, /Packer v(\d+\.\d+\.\d+\S*)/, 'packer version'),
  };
}

/** `ansible-version: system`: ansible-playbook on PATH, and ansible-galaxy beside it. */
export async function systemAnsible(): Promise<AnsibleTools> {
  const playbook = await onPath('ansible-playbook', 'ansible-version');
  const output = await versionOutput(playbook, ['--version']);
  const version = versionIn(
    output,
    /\[core (\d+\.\d+\.\d+\S*)\]|ansible-playbook (\d+\.\d+\.\d+\S*)/,
    'ansible-playbook --version',
  );
  const roots = collectionRoots(output.stdout);
  if (
    !roots.some((root) => existsSync(path.join(root, 'ansible_collections', 'community', 'docker')))
  )
    throw new Error(
      `The community.docker collection, which the Docker connection needs, is not installed for ${playbook} (looked in ${roots.join(', ')}). Install it with: ansible-galaxy collection install community.docker`,
    );
  const besideIt = path.join(path.dirname(playbook), 'ansible-galaxy');
  return { path: playbook, version, galaxy: besideIt };
}

/**
 * Where this Ansible finds collections, from its `--version` report: the configured
 * collection paths, and the Python library folder that holds `ansible` (where the `ansible`
 * package puts the collections it ships).
 */
export function collectionRoots(versionReport: string, home = os.homedir()): string[] {
  const value = (label: string) =>
    new RegExp(`^\\s*${label} = (.+)$`, 'm').exec(versionReport)?.[1].trim();
  const configured = (
    process.env.ANSIBLE_COLLECTIONS_PATH ??
    value('ansible collection location') ??
    ''
  )
    .split(':')
    .filter(Boolean)
    .map((root) => root.replace(/^~(?=\/|$)/, home));
  const moduleLocation = value('ansible python module location');
  return [...configured, ...(moduleLocation ? [path.dirname(moduleLocation)] : [])];
}

async function onPath(tool: string, input: string): Promise<string> {
  const found = await io.which(tool, false);
  if (!found) throw new Error(`${tool} is not on PATH; install it, or set ${input} to a version`);
  return found;
}

function versionIn(output: RunResult, pattern: RegExp, command: string): string {
  const version = pattern.exec(output.stdout)?.slice(1).find(Boolean);
  if (!version)
    throw new Error(
      `Cannot read a version from \`${command}\` (exit ${output.exitCode}): ${(output.stdout + output.stderr).trim().slice(-500)}`,
    );
  return version;
}
