import { readFile } from 'node:fs/promises';
import { runCancellable } from '../exec.js';
import { BuildLog, type Stage, type StageMarkers } from './log.js';

export interface PackerRun {
  exitCode: number;
  cancelledBy?: NodeJS.Signals;
  output: string;
  stages: Partial<Record<Stage, number>>;
  lastStage?: Stage;
}

/** Runs `packer build`, its log shown as it comes in one group per stage. */
export async function packerBuild(
  packer: string,
  template: string,
  cwd: string,
  env: Record<string, string>,
  markers: StageMarkers,
  secrets: readonly string[],
): Promise<PackerRun> {
  const log = new BuildLog('Packer', markers, secrets);
  try {
    // On an error Packer leaves the build container as it is, so that keep-failed can commit
    // it (failed/keep-failed.ts); the run's cleanup removes it by name whatever happens, and
    // Packer's temporary folder lies in the run's folder. The ansible provisioner removes its
    // own files and stops its SSH adapter either way (deferred in its Provision).
    const result = await runCancellable(
      packer,
      ['build', '-color=false', '-on-error=abort', template],
      { cwd, env: { CHECKPOINT_DISABLE: '1', ...env }, onLine: (line) => log.line(line) },
    );
    return {
      ...result,
      output: log.last.text,
      stages: log.durations,
      ...(log.lastStage && { lastStage: log.lastStage }),
    };
  } finally {
    log.end();
  }
}

/** The committed image's ID, from the manifest post-processor's file. */
export async function builtImageId(manifestPath: string): Promise<string> {
  let manifest: { builds?: Array<{ artifact_id?: string }> };
  try {
    manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  } catch (error) {
    throw new Error(`Packer finished but wrote no readable manifest at ${manifestPath}`, {
      cause: error,
    });
  }
  const id = manifest.builds?.at(-1)?.artifact_id;
  if (!id?.startsWith('sha256:')) throw new Error(`Packer's manifest names no image: ${id}`);
  return id;
}

/** Packer's own error lines, for a failure that happened outside the playbook. */
export function packerErrors(output: string): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^(Error\b|\* |--> [\w.-]+: |Build '[^']*' errored)/.test(line));
  return [...new Set(lines)].slice(-5).join('\n');
}
