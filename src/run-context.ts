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
  /** Where the first platform that failed stopped: the others' phases no longer count. */
  private pinned?: string;
  private readonly cleanups: Array<() => Promise<boolean>> = [];

  private constructor(
    private readonly parent?: RunContext,
    private readonly platform?: string,
  ) {}

  static start(): RunContext {
    return new RunContext();
  }

  /**
   * The context of one platform's build: a report of its own, listed in this one's; phases
   * and failures named with the platform; cleanups left to this context, which outlives it.
   */
  forPlatform(platform: string): RunContext {
    const child = new RunContext(this, platform);
    child.report.platform = platform;
    (this.report.platforms ??= []).push(child.report);
    return child;
  }

  /** Runs a platform's build; its failure is recorded in its own report too. */
  async build<T>(body: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await body();
    } catch (error) {
      this.failed(error);
      throw error;
    } finally {
      this.report.seconds =
        (this.report.seconds ?? 0) + Math.round(performance.now() - started) / 1000;
    }
  }

  /** Times a phase whose output is not one group (it logs in groups of its own, or none). */
  async timed<T>(name: string, title: string, body: () => Promise<T>): Promise<T> {
    this.within(title);
    const started = performance.now();
    try {
      return await body();
    } finally {
      this.report.phases[name] = Math.round(performance.now() - started) / 1000;
    }
  }

  /** Times a phase and shows its output as one group. */
  phase<T>(name: string, title: string, body: () => Promise<T>): Promise<T> {
    return this.timed(name, title, () => core.group(this.named(title), body));
  }

  /** A failure from now on happened in this step of a phase (e.g. a stage of Packer's). */
  within(title: string): void {
    this.current = title;
    this.parent?.within(this.named(title));
  }

  /** The failing phase, as this context's failure reports it. */
  private get failing(): string {
    return this.pinned ?? this.current;
  }

  private named(title: string): string {
    return this.platform ? `${title} (${this.platform})` : title;
  }

  /**
   * Registers how to undo something as soon as it is made; `cleanUp` runs these last first.
   * Each says whether it undid everything.
   */
  onCleanup(undo: () => Promise<boolean>): void {
    if (this.parent) return this.parent.onCleanup(undo);
    this.cleanups.unshift(undo);
  }

  failed(error: unknown): string {
    if (this.parent) this.parent.pinned ??= this.named(this.current);
    this.report.failedIn = this.failing;
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
