import * as core from '@actions/core';
import type { BuildReport } from './report/report.js';

/**
 * What one run of the main step carries from phase to phase: the report, the time of each
 * phase, the phase that was running when something failed, and how to undo what was made.
 */
export class RunContext {
  readonly report: BuildReport = { baseImage: { name: '' }, phases: {}, tasks: [] };
  /** Where a failure happens, as the summary names it. */
  private current = 'Inputs';
  private readonly cleanups: Array<() => Promise<boolean>> = [];

  /** Times a phase whose output is not one group (it logs in groups of its own, or none). */
  async timed<T>(name: string, title: string, body: () => Promise<T>): Promise<T> {
    this.current = title;
    const started = performance.now();
    try {
      return await body();
    } finally {
      this.report.phases[name] = Math.round(performance.now() - started) / 1000;
    }
  }

  /** Times a phase and shows its output as one group. */
  phase<T>(name: string, title: string, body: () => Promise<T>): Promise<T> {
    return this.timed(name, title, () => core.group(title, body));
  }

  /** A failure from now on happened in this step of a phase (e.g. a stage of Packer's). */
  within(title: string): void {
    this.current = title;
  }

  /**
   * Registers how to undo something as soon as it is made; `cleanUp` runs these last first.
   * Each says whether it undid everything.
   */
  onCleanup(undo: () => Promise<boolean>): void {
    this.cleanups.unshift(undo);
  }

  failed(error: unknown): string {
    this.report.failedIn = this.current;
    this.report.error = error instanceof Error ? error.message : String(error);
    return this.report.error;
  }

  /** Runs every cleanup, even after one fails; true when all of them undid everything. */
  async cleanUp(): Promise<boolean> {
    let complete = true;
    for (const undo of this.cleanups) complete = (await undo().catch(() => false)) && complete;
    return complete;
  }
}
