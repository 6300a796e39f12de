import * as core from '@actions/core';
import { randomBytes } from 'node:crypto';
import { redact } from '../redact.js';

/** The steps of one Packer build, in the order Packer runs them for our template. */
export const STAGES = {
  containerStart: 'Start the build container',
  containerSetup: 'Prepare the container (Python)',
  playbook: 'Run the playbook',
  containerCleanup: 'Clean up the container',
  commit: 'Commit the image',
} as const;
export type Stage = keyof typeof STAGES;

/** The stage that a line of Packer's output starts, if any. */
export function stageStartedBy(line: string, seen: ReadonlySet<Stage>): Stage | undefined {
  if (line.includes('Starting docker container')) return 'containerStart';
  if (line.includes('Running local shell script'))
    return seen.has('containerSetup') ? 'containerCleanup' : 'containerSetup';
  if (line.includes('Provisioning with Ansible')) return 'playbook';
  if (line.includes('Committing the container')) return 'commit';
  return undefined;
}

/**
 * Shows Packer's output in one collapsible group per stage, as it comes, and times the
 * stages. Workflow commands in that output (`::add-mask::`, `::set-output`, …) come from the
 * playbook and the image, not from us, so command processing is stopped while it streams and
 * resumed, under a fresh token each time, only to open the next group.
 */
export class BuildLog {
  private readonly seen = new Set<Stage>();
  private stage?: Stage;
  /** The stage that ran last: where a failed build stopped. */
  lastStage?: Stage;
  private started = 0;
  private token = '';
  readonly durations: Partial<Record<Stage, number>> = {};
  readonly lines: string[] = [];

  /** `secrets`: values to print as *** (the runner masks them too; local runs have no runner). */
  constructor(
    title: string,
    private readonly secrets: readonly string[] = [],
  ) {
    this.open(title);
  }

  line(line: string): void {
    const text = redact(line, this.secrets);
    const stage = stageStartedBy(text, this.seen);
    if (stage) {
      this.end();
      this.seen.add(stage);
      this.stage = stage;
      this.lastStage = stage;
      this.started = performance.now();
      this.open(STAGES[stage]);
    }
    this.lines.push(text);
    process.stdout.write(`${text}\n`);
  }

  /** Resumes command processing and closes the open group. */
  end(): void {
    if (!this.token) return;
    process.stdout.write(`::${this.token}::\n`);
    this.token = '';
    core.endGroup();
    if (this.stage)
      this.durations[this.stage] = Math.round(performance.now() - this.started) / 1000;
    this.stage = undefined;
  }

  private open(title: string): void {
    core.startGroup(title);
    this.token = randomBytes(16).toString('hex');
    process.stdout.write(`::stop-commands::${this.token}\n`);
  }
}
