import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '..', '..');

interface Step {
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Job {
  needs?: string;
  if?: string;
  'runs-on': string;
  strategy?: { 'fail-fast'?: boolean; matrix: Record<string, unknown> };
  env?: Record<string, string>;
  outputs?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: {
    workflow_call: {
      inputs: Record<string, { type: string; required?: boolean; default?: unknown }>;
      secrets: Record<string, { required: boolean }>;
      outputs: Record<string, { value: string }>;
    };
  };
  jobs: Record<string, Job>;
}

const workflow = parse(
  readFileSync(path.join(root, '.github', 'workflows', 'multi-platform.yml'), 'utf8'),
) as Workflow;
const { inputs, secrets, outputs } = workflow.on.workflow_call;
const { prepare, build, merge } = workflow.jobs;
const actionInputs = Object.keys(
  (parse(readFileSync(path.join(root, 'action.yml'), 'utf8')) as { inputs: object }).inputs,
);
const step = (job: Job, id: string) => job.steps.find((s) => s.id === id) as Step;
const ACTION = './.ansible-image-action';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'multi-platform-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A `shell: node {0}` step run as the runner runs it; what it wrote to GITHUB_OUTPUT. */
function runStep(script: Step, env: Record<string, string>) {
  const file = path.join(scratch, 'script');
  const output = path.join(scratch, 'output');
  writeFileSync(file, script.run as string);
  writeFileSync(output, '');
  const result = spawnSync(process.execPath, [file], {
    env: { PATH: process.env.PATH, GITHUB_OUTPUT: output, ...env },
    encoding: 'utf8',
  });
  const values: Record<string, string> = {};
  const lines = readFileSync(output, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const value: string[] = [];
      for (i++; lines[i] !== heredoc[2]; i++) value.push(lines[i]);
      values[heredoc[1]] = value.join('\n');
    } else if (lines[i].includes('='))
      values[lines[i].slice(0, lines[i].indexOf('='))] = lines[i].slice(lines[i].indexOf('=') + 1);
  }
  return { status: result.status, stdout: result.stdout, outputs: values };
}

describe('the reusable multi-platform workflow', () => {
  it('is called with a playbook, tags and a JSON list of platforms, and gives the index digest', () => {
    expect(inputs.playbook).toMatchObject({ type: 'string', required: true });
    expect(inputs.tags).toMatchObject({ type: 'string', required: true });
    expect(JSON.parse(inputs.platforms.default as string)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(inputs.push).toMatchObject({ type: 'boolean', default: true });
    expect(secrets).toEqual({
      'registry-username': expect.objectContaining({ required: false }),
      'registry-password': expect.objectContaining({ required: false }),
    });
    expect(outputs.digest.value).toBe('${{ jobs.merge.outputs.digest }}');
    expect(merge.outputs?.digest).toBe('${{ steps.merge.outputs.digest }}');
  });

  it('builds each platform in a matrix leg of its own, and merges only after all and with push', () => {
    expect(build.needs).toBe('prepare');
    expect(build.strategy?.matrix).toEqual({
      include: '${{ fromJSON(needs.prepare.outputs.include) }}',
    });
    expect(build['runs-on']).toBe('${{ matrix.runner }}');
    expect(build.strategy?.['fail-fast']).toBe(true);
    expect(merge.needs).toBe('build');
    expect(merge.if).toBe('inputs.push');
  });

  it('passes one digest per matrix index, as many as the platforms it accepts', () => {
    const max = Number(/const MAX = (\d+);/.exec(step(prepare, 'matrix').run as string)?.[1]);
    expect(max).toBeGreaterThan(1);
    expect(build.outputs).toEqual(
      Object.fromEntries(
        Array.from({ length: max }, (_, i) => [
          `digest-${i}`,
          `\${{ steps.reference.outputs.digest-${i} }}`,
        ]),
      ),
    );
    expect(step(merge, 'references').env?.OUTPUTS).toBe('${{ toJSON(needs.build.outputs) }}');
    expect(step(merge, 'merge').with?.merge).toBe('${{ steps.references.outputs.references }}');
  });

  it('runs the action of its own commit: checked out from job.workflow_repository at job.workflow_sha', () => {
    for (const job of [build, merge]) {
      const uses = job.steps.findIndex((s) => s.uses === ACTION);
      const checkout = job.steps.findIndex((s) => s.with?.path === ACTION.slice(2));
      expect(uses).toBeGreaterThan(checkout);
      expect(checkout).toBeGreaterThanOrEqual(0);
      expect(job.steps[checkout]).toMatchObject({
        uses: expect.stringMatching(/^actions\/checkout@/),
        with: {
          repository: '${{ job.workflow_repository }}',
          ref: '${{ job.workflow_sha }}',
          'persist-credentials': false,
        },
      });
    }
    // The caller's checkout comes first: a later one would clean the action's folder away.
    expect(build.steps[0]).toMatchObject({ uses: expect.stringMatching(/^actions\/checkout@/) });
    expect(build.steps[0].with?.repository).toBeUndefined();
  });

  it('gives the action a single platform and push by digest, and only inputs it has', () => {
    const action = step(build, 'build');
    expect(action.uses).toBe(ACTION);
    expect(action.with).toMatchObject({
      platforms: '${{ matrix.platform }}',
      push: '${{ inputs.push }}',
      'push-by-digest': '${{ inputs.push }}',
      tags: '${{ inputs.tags }}',
    });
    for (const job of [build, merge])
      for (const s of job.steps.filter((s) => s.uses === ACTION))
        for (const name of Object.keys(s.with ?? {})) expect(actionInputs).toContain(name);
  });

  it('keeps expressions out of scripts and secrets out of every step but the login', () => {
    for (const [name, job] of Object.entries(workflow.jobs))
      for (const s of job.steps) {
        expect(s.run ?? '', name).not.toContain('${{');
        const text = JSON.stringify(s);
        if (!s.uses?.startsWith('docker/login-action@'))
          expect(text, name).not.toContain('secrets.');
      }
  });
});

describe('the platform matrix', () => {
  const prepareStep = step(prepare, 'matrix');
  it.each([
    [
      '["linux/amd64","linux/arm64"]',
      [
        { index: 0, platform: 'linux/amd64', runner: 'ubuntu-24.04', emulated: false },
        { index: 1, platform: 'linux/arm64', runner: 'ubuntu-24.04-arm', emulated: false },
      ],
    ],
    [
      '["linux/arm64"]',
      [{ index: 0, platform: 'linux/arm64', runner: 'ubuntu-24.04-arm', emulated: false }],
    ],
    [
      '["linux/arm/v7","linux/amd64","constructor"]',
      [
        { index: 0, platform: 'linux/arm/v7', runner: 'ubuntu-24.04', emulated: true },
        { index: 1, platform: 'linux/amd64', runner: 'ubuntu-24.04', emulated: false },
        { index: 2, platform: 'constructor', runner: 'ubuntu-24.04', emulated: true },
      ],
    ],
  ])('maps %s to native runners, or amd64 with QEMU', (platforms, include) => {
    const run = runStep(prepareStep, { PLATFORMS: platforms });
    expect(run.status, run.stdout).toBe(0);
    expect(JSON.parse(run.outputs.include)).toEqual(include);
  });

  it.each([
    ['linux/amd64', 'is not JSON'],
    ['[]', 'must be a non-empty JSON list'],
    ['{"linux/amd64":true}', 'must be a non-empty JSON list'],
    ['["linux/amd64",7]', 'must list platforms as strings'],
    ['["linux/amd64",""]', 'must list platforms as strings'],
    ['["linux/amd64","linux/amd64"]', 'lists a platform twice'],
    [
      JSON.stringify(Array.from({ length: 9 }, (_, i) => `linux/p${i}`)),
      'lists 9 platforms: at most 8',
    ],
  ])('refuses %s: %s', (platforms, message) => {
    const run = runStep(prepareStep, { PLATFORMS: platforms });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`::error title=platforms::${message}`);
    expect(run.outputs).toEqual({});
  });
});

describe('the digest of each platform and their merge', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  const other = `sha256:${'b'.repeat(64)}`;
  const reference = step(build, 'reference');
  const references = step(merge, 'references');

  it.each([
    ['ghcr.io/o/app:1.0\nghcr.io/o/app:latest', digest, `ghcr.io/o/app@${digest}`],
    [' 127.0.0.1:5000/app , 127.0.0.1:5000/app:2', digest, `127.0.0.1:5000/app@${digest}`],
    ['ghcr.io/o/app:1.0', `ghcr.io/o/app@${digest}`, `ghcr.io/o/app@${digest}`],
  ])('names the image pushed for tags %j as repository@digest', (tags, given, expected) => {
    const run = runStep(reference, { INDEX: '3', DIGEST: given, TAGS: tags });
    expect(run.status, run.stdout).toBe(0);
    expect(run.outputs).toEqual({ 'digest-3': expected });
  });

  it.each([[''], ['sha256:abc'], [`ghcr.io/o/app:1.0@${digest} x`]])(
    'fails when the action gave no digest it pushed (%j)',
    (given) => {
      const run = runStep(reference, { INDEX: '0', DIGEST: given, TAGS: 'ghcr.io/o/app:1' });
      expect(run.status).toBe(1);
      expect(run.stdout).toContain('::error title=digest::the action pushed no image by digest');
      expect(run.outputs).toEqual({});
    },
  );

  it('merges the digests in the order of the platforms', () => {
    const run = runStep(references, {
      PLATFORMS: '["linux/amd64","linux/arm64"]',
      OUTPUTS: JSON.stringify({ 'digest-1': `r@${other}`, 'digest-0': `r@${digest}` }),
    });
    expect(run.status, run.stdout).toBe(0);
    expect(run.outputs).toEqual({ references: `r@${digest}\nr@${other}` });
  });

  it('refuses to merge when a platform passed on no digest', () => {
    const run = runStep(references, {
      PLATFORMS: '["linux/amd64","linux/arm64"]',
      OUTPUTS: JSON.stringify({ 'digest-0': `r@${digest}`, 'digest-1': '' }),
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('::error title=merge::2 platforms, but 1 digests came from');
    expect(run.outputs).toEqual({});
  });
});
