import * as io from '@actions/io';
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
  const besideIt = path.join(path.dirname(playbook), 'ansible-galaxy');
  return { path: playbook, version, galaxy: besideIt };
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
