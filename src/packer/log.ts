import * as core from '@actions/core';
import { randomBytes } from 'node:crypto';
import { LastLines } from '../exec.js';
import { redact } from '../redact.js';

/** How many of the last lines a build keeps, to find Packer's errors in. */
const KEPT_LINES = 1000;

/** The steps of one Packer build, in the order Packer runs them for our template. */
export const STAGES = {
  containerStart: 'Start the build container',
  containerSetup: 'Prepare the container (Python)',
  playbook: 'Run the playbook',
  containerCleanup: 'Clean up the container',
  commit: 'Commit the image',
} as const;
export type Stage = keyof typeof STAGES;

/** The stages that our own provisioners start, each by printing its marker first. */
export type MarkedStage = 'containerSetup' | 'playbook' | 'containerCleanup';
const MARKED_STAGES: readonly string[] = ['containerSetup', 'playbook', 'containerCleanup'];

/**
 * Tells the stages of one build apart: Packer's own steps by Packer's lines, ours by a marker
 * line that each of our provisioners prints first. The marker holds a nonce of this run, so
 * no output of the playbook or the image can start a stage.
 */
export class StageMarkers {
  private readonly prefix = `ansible-image-stage-${randomBytes(8).toString('hex')}: `;

  marker(stage: MarkedStage): string {
    return `${this.prefix}${stage}`;
  }

  /** The stage that a line of Packer's output starts, if any. */
  stageStartedBy(line: string): Stage | undefined {
    if (line.includes('Starting docker container')) return 'containerStart';
    if (line.includes('Committing the container')) return 'commit';
    const at = line.indexOf(this.prefix);
    if (at < 0) return undefined;
    const stage = line.slice(at + this.prefix.length).trim();
    return MARKED_STAGES.includes(stage) ? (stage as MarkedStage) : undefined;
  }
}

/**
 * Prints what another program wrote (Packer, ansible-galaxy; the playbook and the image behind
 * them) with workflow command processing stopped: `::add-mask::`, `::set-output` or `::error::`
 * in that output come from them, not from us. Secrets are printed as ***.
 *
 * Builds of several platforms stream at the same time: processing stops with the first
 * output that opens and resumes only when the last one ends, since the runner knows one
 * token at a time. Meanwhile our own group and warning lines show as plain text.
 */
export class InertOutput {
  private static open = 0;
  private static token = '';

  constructor(private readonly secrets: readonly string[] = []) {
    if (InertOutput.open++ > 0) return;
    InertOutput.token = randomBytes(16).toString('hex');
    process.stdout.write(`::stop-commands::${InertOutput.token}\n`);
  }

  /** The line as printed. */
  line(line: string): string {
    const text = redact(line, this.secrets);
    process.stdout.write(`${text}\n`);
    return text;
  }

  /** Resumes command processing, under a token that the output could not know. */
  end(): void {
    if (--InertOutput.open > 0) return;
    process.stdout.write(`::${InertOutput.token}::\n`);
  }
}

/**
 * Shows Packer's output in one collapsible group per stage, as it comes, and times the
 * stages. Command processing is stopped while it streams (see InertOutput), and resumed only
 * to open the next group.
 */
export class BuildLog {
  private stage?: Stage;
  /** The stage that ran last: where a failed build stopped. */
  lastStage?: Stage;
  private started = 0;
  private output?: InertOutput;
  readonly durations: Partial<Record<Stage, number>> = {};
  /** The last lines, for the error report: the whole log is the runner's, not ours to keep. */
  readonly last = new LastLines(KEPT_LINES);

  /** `secrets`: values to print as *** (the runner masks them too; local runs have no runner). */
  constructor(
    title: string,
    private readonly markers: StageMarkers,
    private readonly secrets: readonly string[] = [],
  ) {
    this.open(title);
  }

  line(line: string): void {
    const stage = this.markers.stageStartedBy(line);
    if (stage) {
      this.end();
      this.stage = stage;
      this.lastStage = stage;
      this.started = performance.now();
      this.open(STAGES[stage]);
    }
    this.last.add((this.output as InertOutput).line(line));
  }

  /** Resumes command processing and closes the open group. */
  end(): void {
    if (!this.output) return;
    this.output.end();
    this.output = undefined;
    core.endGroup();
    if (this.stage)
      this.durations[this.stage] = Math.round(performance.now() - this.started) / 1000;
    this.stage = undefined;
  }

  private open(title: string): void {
    core.startGroup(title);
    this.output = new InertOutput(this.secrets);
  }
}
