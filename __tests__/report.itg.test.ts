import { describe, expect, it } from 'vitest';
import { removeImages } from './docker.js';
import { runAction } from './runner.js';

const hostNetwork = { network: 'host' };

describe('the report of a passing build', () => {
  it('summarises image, recap, phases, slowest tasks and config, and times every task', async () => {
    const tag = 'itg/report:1';
    const run = await runAction({
      ...hostNetwork,
      playbook: '__tests__/fixtures/values/site.yml',
      'extra-vars': 'values: { one: "1", two: "2" }',
      tags: tag,
    });
    try {
      expect(run.exitCode).toBe(0);
      const { summary } = run;
      expect(summary).toContain('## ✅ Image built');
      expect(summary).toContain(`\` ${tag} \``);
      expect(summary).toContain(`\` ${run.outputs['image-id']} \``);
      expect(summary).toMatch(/\| Size \| [\d.]+ MB \([\d.]+ (kB|MB|B) added over the base\) \|/);
      expect(summary).toContain('| Layers | 2 |');
      expect(summary).toMatch(/\| Base image \| ` debian:bookworm-slim ` ` sha256:/);
      expect(summary).toContain(
        `| Packer / Ansible | ${run.outputs['packer-version']} / ${run.outputs['ansible-version']} |`,
      );
      expect(summary).toMatch(/### Ansible recap[\s\S]*\| 2 \| 2 \| 0 \| 0 \| 0 \|/);
      expect(summary).toMatch(/### Time per phase[\s\S]*\| playbook \| [\d.]+ s \|/);
      expect(summary).toMatch(
        /### Slowest tasks[\s\S]*` Write each extra var to its own file ` \| ` __tests__\/fixtures\/values\/site.yml:13 ` \| changed \|/,
      );
      expect(summary).toContain('<details><summary>Build config (Packer template)</summary>');

      const metadata = JSON.parse(run.outputs.metadata);
      expect(metadata.tasks).toEqual([
        expect.objectContaining({ name: 'Create the output folder', line: 7, status: 'changed' }),
        expect.objectContaining({ name: 'Write each extra var to its own file', line: 13 }),
      ]);
      for (const task of metadata.tasks) expect(task.duration).toBeGreaterThan(0);
    } finally {
      removeImages(tag);
    }
  });

  it('writes nothing with summary: false', async () => {
    const run = await runAction({
      ...hostNetwork,
      playbook: '__tests__/fixtures/values/site.yml',
      'extra-vars': 'values: {}',
      summary: 'false',
    });
    expect(run.exitCode).toBe(0);
    expect(run.summary).toBe('');
    removeImages(run.outputs['image-id']);
  });
});

describe('annotations', () => {
  it('point at the failing task and the warning inside a role', async () => {
    const run = await runAction({ ...hostNetwork, playbook: '__tests__/fixtures/report/site.yml' });
    expect(run.exitCode).toBe(1);
    const file = '__tests__/fixtures/report/roles/broken/tasks/main.yml';
    expect(run.log).toContain(
      `::error title=Task failed%3A broken %3A Fail inside the role,file=${file},line=5::Task "broken : Fail inside the role" failed (${file}:5): the role failed on purpose`,
    );
    expect(run.log).toContain(
      `::warning title=Ansible%3A broken %3A Warn about something,file=${file},line=1::this is a warning from the role`,
    );
    // One error only: the task's, not a second plain one.
    expect(run.log.match(/^::error/gm)).toHaveLength(1);
    expect(run.summary).toContain('## ❌ Image build failed in: Run the playbook');
    expect(run.summary).toMatch(
      /### First failed task\n\nTask ` broken : Fail inside the role ` at /,
    );
  });

  it('give one plain error and a summary that says where it stopped for a missing base image', async () => {
    const run = await runAction({
      playbook: '__tests__/fixtures/values/site.yml',
      'base-image': 'itg/does-not-exist:1',
      pull: 'never',
    });
    expect(run.exitCode).toBe(1);
    expect(run.log.match(/^::error/gm)).toHaveLength(1);
    expect(run.log).toContain(
      '::error::Base image itg/does-not-exist:1 is not present locally and pull is "never"',
    );
    expect(run.summary).toContain('## ❌ Image build failed in: Base image itg/does-not-exist:1');
    expect(run.summary).not.toContain('### Ansible recap');
    expect(run.post.exitCode).toBe(0);
  });
});
