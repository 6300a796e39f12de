import { mkdir, readFile, realpath, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type RunResult, run } from '../exec.js';
import { toolCacheDirectory } from './cache-directory.js';

// Read once per process: Packer's and Ansible's lookups run at the same time, and each must
// see the other's entry when it writes the file back.
let remembered: Promise<Record<string, string>> | undefined;
let saved: Promise<void> = Promise.resolve();

/** What the action keeps from one build to the next on this runner. */
export function actionCacheDirectory(): string {
  return path.join(toolCacheDirectory(), 'ansible-image');
}

/**
 * The output of a version command, remembered per binary (real path, size and mtime): an
 * upgrade or a different binary asks again. `ansible-playbook --version` starts Python and
 * Ansible, about half a second of every build on a runner that keeps its tools.
 */
export async function versionOutput(binary: string, args: string[]): Promise<RunResult> {
  const file = path.join(actionCacheDirectory(), 'versions.json');
  remembered ??= readFile(file, 'utf8')
    .then((text) => JSON.parse(text) as unknown)
    .then((known) => (known && typeof known === 'object' ? (known as Record<string, string>) : {}))
    .catch(() => ({})); // nothing remembered yet
  const known = await remembered;
  let key: string | undefined;
  try {
    const real = await realpath(binary);
    const { size, mtimeMs } = await stat(real);
    key = JSON.stringify([real, size, mtimeMs, args]);
  } catch {
    // not a file we can recognise again: ask it every time
  }
  if (key && typeof known[key] === 'string') return { exitCode: 0, stdout: known[key], stderr: '' };
  const result = await run(binary, args);
  if (key && result.exitCode === 0) {
    known[key] = result.stdout;
    saved = saved.then(() => save(file, known));
    await saved;
  }
  return result;
}

/** Written aside and renamed, so that a build running next to this one never reads half a file. */
async function save(file: string, known: Record<string, string>): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true });
    const written = `${file}.${process.pid}`;
    await writeFile(written, JSON.stringify(known));
    await rename(written, file);
  } catch {
    // a cache we cannot write is only slower
  }
}
