import { mkdir, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type RunResult, run } from '../exec.js';

/**
 * The output of a version command, remembered per binary (real path, size and mtime): an
 * upgrade or a different binary asks again. `ansible-playbook --version` starts Python and
 * Ansible, about half a second of every build on a runner that keeps its tools.
 */
export async function versionOutput(binary: string, args: string[]): Promise<RunResult> {
  const file = path.join(
    process.env.RUNNER_TOOL_CACHE || path.join(os.homedir(), '.cache'),
    'ansible-image',
    'versions.json',
  );
  let key: string | undefined;
  let known: Record<string, string> = {};
  try {
    const real = await realpath(binary);
    const { size, mtimeMs } = await stat(real);
    key = JSON.stringify([real, size, mtimeMs, args]);
    known = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    // nothing remembered yet
  }
  if (key && typeof known[key] === 'string') return { exitCode: 0, stdout: known[key], stderr: '' };
  const result = await run(binary, args);
  if (key && result.exitCode === 0) {
    try {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, JSON.stringify({ ...known, [key]: result.stdout }));
    } catch {
      // a cache we cannot write is only slower
    }
  }
  return result;
}
