import { describe, expect, it } from 'vitest';
import type { TaskEvent } from '../../src/ansible/events.js';
import { redact } from '../../src/redact.js';
import { humanBytes, humanSeconds } from '../../src/report/format.js';
import {
  type BuildReport,
  summaryMarkdown,
  taskAnnotations,
  taskLocation,
} from '../../src/report/report.js';

const task = (overrides: Partial<TaskEvent>): TaskEvent => ({
  type: 'task',
  name: 'a task',
  action: 'command',
  file: '/ws/site.yml',
  line: 3,
  host: 'default',
  status: 'ok',
  duration: 1,
  message: '',
  ...overrides,
});

describe('humanBytes and humanSeconds', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.00 kB'],
    [14_135_958, '14.1 MB'],
    [130_802_675, '130.8 MB'],
    [2_500_000_000, '2.50 GB'],
  ])('%d bytes read %s', (bytes, text) => expect(humanBytes(bytes)).toBe(text));

  it.each([
    [0.25, '0.3 s'],
    [59.94, '59.9 s'],
    [61, '1 min 1 s'],
    [3600, '60 min 0 s'],
  ])('%d seconds read %s', (seconds, text) => expect(humanSeconds(seconds)).toBe(text));
});

describe('taskAnnotations', () => {
  it('makes an error of a failed task at its file and line, relative to the workspace', () => {
    expect(
      taskAnnotations(
        [task({ status: 'failed', message: 'boom', file: '/ws/roles/r/tasks/main.yml', line: 7 })],
        '/ws',
      ),
    ).toEqual([
      {
        level: 'error',
        title: 'Task failed: a task',
        message: 'boom',
        file: 'roles/r/tasks/main.yml',
        line: 7,
      },
    ]);
  });

  it('makes warnings of warnings and deprecations, and nothing of a clean task', () => {
    const annotations = taskAnnotations(
      [task({ warnings: ['w1'], deprecations: ['d1'] }), task({ name: 'clean' })],
      '/ws',
    );
    expect(annotations.map((a) => [a.level, a.message])).toEqual([
      ['warning', 'w1'],
      ['warning', 'd1'],
    ]);
  });

  it('uses the status when a failure has no message, and leaves out an unknown place', () => {
    const [annotation] = taskAnnotations(
      [task({ status: 'unreachable', file: '', line: null })],
      '/ws',
    );
    expect(annotation).toEqual({
      level: 'error',
      title: 'Task failed: a task',
      message: 'unreachable',
    });
    expect(taskLocation(task({ file: '', line: null }), '/ws')).toBe('');
    expect(taskLocation(task({ line: null }), '/ws')).toBe('site.yml:?');
  });
});

describe('summaryMarkdown', () => {
  const base: BuildReport = {
    baseImage: { name: 'debian:bookworm-slim', id: 'sha256:base' },
    phases: { inputs: 0.01, playbook: 12.5 },
    tasks: [],
  };

  it('shows a successful build: image facts, recap, phases, slowest tasks, config', () => {
    const tasks = Array.from({ length: 12 }, (_, i) =>
      task({ name: `task ${i}`, duration: i, line: i + 1 }),
    );
    const markdown = summaryMarkdown(
      {
        ...base,
        image: {
          id: 'sha256:img',
          digest: '',
          size: 130_802_675,
          layerSize: 14_135_958,
          layers: 2,
          tags: ['a/b:1', 'a/b:latest'],
          pushed: [],
        },
        tools: { packer: '1.6.6', ansible: '2.14.18' },
        recap: { ok: 7, changed: 3, failed: 0, skipped: 1, unreachable: 0, rescued: 0, ignored: 0 },
        tasks,
        config: '{"x": "<y>"}',
      },
      '/ws',
    );
    expect(markdown).toContain('## ✅ Image built');
    expect(markdown).toContain('| Tags | ` a/b:1 `<br>` a/b:latest ` |');
    expect(markdown).toContain('| Size | 130.8 MB (14.1 MB added over the base) |');
    expect(markdown).not.toContain('| Digest |');
    expect(markdown).toContain('| 7 | 3 | 0 | 1 | 0 |');
    expect(markdown).toContain('| playbook | 12.5 s |');
    const slowest = markdown.split('### Slowest tasks')[1];
    expect(slowest.indexOf('task 11')).toBeLessThan(slowest.indexOf('task 10'));
    expect(slowest).toContain('` task 2 ` |');
    expect(slowest).not.toContain('` task 1 ` |');
    expect(markdown).toContain('<details><summary>Build config (Packer template)</summary>');
    expect(markdown).not.toContain('First failed task');
  });

  it('shows where a failed build stopped and the first failed task in full', () => {
    const markdown = summaryMarkdown(
      {
        ...base,
        failedIn: 'Run the playbook',
        error: 'Task "x" failed',
        tasks: [task({ name: 'x | y', status: 'failed', message: 'line 1\nline 2' })],
      },
      '/ws',
    );
    expect(markdown).toContain('## ❌ Image build failed in: Run the playbook');
    expect(markdown).toContain('```\nTask "x" failed\n```');
    expect(markdown).toContain('| ` x \\| y ` | ` site.yml:3 ` | failed |');
    expect(markdown).toContain(
      '### First failed task\n\nTask ` x | y ` at ` site.yml:3 ` (failed)\n\n```\nline 1\nline 2\n```',
    );
    expect(markdown).not.toContain('### Ansible recap');
  });

  // Task names, messages and errors come from the playbook and the image: none of it may add
  // a link, an image or HTML, or close a fence that we opened.
  it('keeps what the build printed inert', () => {
    const name = 'x ``` <img src=x onerror=alert(1)> [link](https://evil.example) `tick`';
    const message = 'before\n```\n</pre><script>alert(1)</script>\n````\n# heading';
    const markdown = summaryMarkdown(
      {
        ...base,
        baseImage: { name: 'a<script>' },
        failedIn: 'Run the playbook',
        error: message,
        tasks: [task({ name, status: 'failed', message })],
      },
      '/ws',
    );
    expect(markdown).toContain('` a<script> `');
    // A code span whose fence is longer than any run of backticks inside.
    expect(markdown).toContain(
      '| ```` x ``` <img src=x onerror=alert(1)> [link](https://evil.example) `tick` ```` |',
    );
    // A fenced block that the message's own fences cannot close.
    expect(markdown).toContain(`\`\`\`\`\`\n${message}\n\`\`\`\`\``);
    // Outside the fenced blocks, the markup is only ever inside a code span.
    const outsideBlocks = markdown.replace(/^(`{3,})\n[^]*?\n\1$/gm, '');
    for (const line of outsideBlocks.split('\n'))
      if (line.includes('<img') || line.includes('[link]'))
        expect(line).toMatch(/(`{4}) x ``` <img[^`]*`tick` \1/);
  });
});

describe('summaryMarkdown layer', () => {
  it('shows what the added layer holds after the phases', () => {
    const markdown = summaryMarkdown(
      {
        baseImage: { name: 'debian' },
        phases: { playbook: 1 },
        tasks: [],
        layer: {
          size: 2000,
          files: 1,
          removed: 0,
          largest: [{ path: '/big.bin', size: 2000, files: 1 }],
          packages: [],
          packageNotes: [],
          leftovers: [],
        },
      },
      '/ws',
    );
    expect(markdown).toContain(
      '### Time per phase\n\n| phase | time |\n| --- | --- |\n| playbook | 1.0 s |\n\n### What the added layer holds\n\n2.00 kB in 1 file.\n',
    );
    expect(markdown).toContain('| ` /big.bin ` | 2.00 kB | 1 |');
  });

  it("shows each platform's layer under its platform", () => {
    const layer = {
      size: 1,
      files: 1,
      removed: 0,
      largest: [],
      packages: [],
      packageNotes: [],
      leftovers: [],
    };
    const markdown = summaryMarkdown(
      {
        baseImage: { name: 'debian' },
        phases: {},
        tasks: [],
        platforms: [
          { baseImage: { name: 'debian' }, phases: {}, tasks: [], platform: 'linux/amd64', layer },
          { baseImage: { name: 'debian' }, phases: {}, tasks: [], platform: 'linux/arm64', layer },
        ],
      },
      '/ws',
    );
    expect(markdown).toContain('### What the added layer holds (` linux/amd64 `)');
    expect(markdown).toContain('### What the added layer holds (` linux/arm64 `)');
  });

  it('a lone carriage return cannot end a table row', () =>
    expect(
      summaryMarkdown({ baseImage: { name: 'a\r| b |\rc' }, phases: {}, tasks: [] }, '/ws'),
    ).toContain('| Base image | ` a \\| b \\| c ` |'));
});

describe('redact', () => {
  it.each([
    ['hides each secret', 'a pw1 b tok2', ['pw1', 'tok2'], 'a *** b ***'],
    [
      'longest first, so no part of a longer one shows',
      'secret-long',
      ['secret', 'secret-long'],
      '***',
    ],
    ['leaves text without secrets alone', 'plain', ['x1y'], 'plain'],
  ])('%s', (_case, text, secrets, expected) => expect(redact(text, secrets)).toBe(expected));
});

describe('summaryMarkdown services', () => {
  const base: BuildReport = { baseImage: { name: 'debian' }, phases: {}, tasks: [] };

  it('lists the services, what was killed and the derived run config', () => {
    const markdown = summaryMarkdown(
      {
        ...base,
        services: {
          services: [
            { name: 'nginx.service', state: 'active', enabled: 'enabled' },
            { name: 'once.service', state: 'inactive', enabled: '' },
          ],
          killed: ['stubborn.service'],
          leftovers: ['sh -c <img src=x> | `yes`'],
          runConfig: {
            service: 'nginx.service',
            source: '/lib/systemd/system/nginx.service',
            cmd: ['/usr/local/sbin/ansible-image-service'],
            env: { SECRET_TOKEN: 'never shown' },
            supervisor: true,
          },
        },
      },
      '/ws',
    );
    expect(markdown).toContain('| ` nginx.service ` | ` active ` | ` enabled ` |');
    expect(markdown).toContain('| ` once.service ` | ` inactive ` | – |');
    expect(markdown).toContain('- ` stubborn.service ` ignored its stop signal');
    expect(markdown).toContain('- `` sh -c <img src=x> | `yes` `` was left running');
    expect(markdown).toContain('### Run config from ` nginx.service `');
    expect(markdown).toContain('supervisor script kept in the image');
    expect(markdown).toContain('| ENV | ` SECRET_TOKEN ` |');
    expect(markdown).not.toContain('never shown');
  });

  it('has no services section when the manager reported nothing', () => {
    const markdown = summaryMarkdown(
      { ...base, services: { services: [], killed: [], leftovers: [] } },
      '/ws',
    );
    expect(markdown).not.toContain('Services');
  });
});

describe('summaryMarkdown failed image', () => {
  const failed: BuildReport = {
    baseImage: { name: 'debian:bookworm-slim' },
    phases: {},
    tasks: [task({ status: 'failed' })],
    failedIn: 'Run the playbook',
    error: 'Task "a task" failed',
  };
  const kept = { reference: 'ansible-image-failed:0a1b', id: 'sha256:abc', task: 'site.yml:3' };

  it('gives the local image and the command that opens it', () => {
    const markdown = summaryMarkdown({ ...failed, failedImage: kept }, '/ws');
    expect(markdown).toContain(
      '### The failed build, kept\n\nThe build container as the failed task left it. It may hold secrets that the playbook wrote.\n\n` ansible-image-failed:0a1b ` ` sha256:abc `, after the task at ` site.yml:3 `; on this runner only (push-failed: false). Open it with:\n\n```sh\ndocker run --rm -it --entrypoint sh ansible-image-failed:0a1b\n```',
    );
  });

  it('opens the pushed one, and names each platform', () => {
    const pushed = '127.0.0.1:5000/app:1-linux-arm64-failed@sha256:def';
    const markdown = summaryMarkdown(
      {
        ...failed,
        platforms: [
          { ...failed, platform: 'linux/arm64', failedImage: { ...kept, pushed } },
          { ...failed, platform: 'linux/amd64' },
        ],
      },
      '/ws',
    );
    expect(markdown).toContain(
      `\` linux/arm64 \`: \` ansible-image-failed:0a1b \` \` sha256:abc \`, after the task at \` site.yml:3 \`; pushed as \` ${pushed} \`. Open it with:\n\n\`\`\`sh\ndocker run --rm -it --entrypoint sh ${pushed}\n\`\`\``,
    );
    expect(markdown).not.toContain('linux/amd64 `:');
  });

  it('has no such section without a kept image', () => {
    expect(summaryMarkdown(failed, '/ws')).not.toContain('The failed build, kept');
  });
});
