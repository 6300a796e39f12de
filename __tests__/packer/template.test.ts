import { describe, expect, it } from 'vitest';
import { type BaseRunConfig, commitChanges, parseChange } from '../../src/changes.js';
import {
  BUILD_CONTAINER_INIT,
  escapeGoTemplate,
  escapeHcl,
  packerTemplate,
  type TemplateOptions,
} from '../../src/packer/template.js';

describe('escapeHcl', () => {
  it.each([
    ['${x}', '$${x}'],
    ['%{ if x }', '%%{ if x }'],
    ['$${x}', '$$${x}'],
    ['%%{x}', '%%%{x}'],
    ['${a}${b} %{c}', '$${a}$${b} %%{c}'],
    ['$%{', '$%%{'],
    ['$x {x} %x $ { % {', '$x {x} %x $ { % {'],
    ['', ''],
  ])('escapes %j as %j', (value, escaped) => {
    expect(escapeHcl(value)).toBe(escaped);
  });
});

describe('escapeGoTemplate', () => {
  it.each([
    ['{{.Image}}', '{{"{{"}}.Image}}'],
    ['{{ a }} {{ b }}', '{{"{{"}} a }} {{"{{"}} b }}'],
    ['{{{', '{{"{{"}}{'],
    ['{{{{', '{{"{{"}}{{"{{"}}'],
    ['{ { }}', '{ { }}'],
    ['', ''],
  ])('escapes %j as %j', (value, escaped) => {
    expect(escapeGoTemplate(value)).toBe(escaped);
  });
});

/**
 * How Packer reads a `changes` string: first as an HCL template, where `$${` and `%%{` are a
 * literal `${` and `%{` and a bare `${`/`%{` interpolates; then as a Go template, scanned for
 * `{{` left to right, where the only action we expect is `{{"{{"}}` (which prints `{{`).
 */
function readAsPacker(text: string): string {
  let hcl = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') {
      hcl += `${c}{`;
      i += 2;
    } else if ((c === '$' || c === '%') && text[i + 1] === '{') {
      throw new Error(`HCL would interpolate at ${i}: ${text}`);
    } else hcl += c;
  }
  let go = '';
  let i = 0;
  for (;;) {
    const at = hcl.indexOf('{{', i);
    if (at < 0) return go + hcl.slice(i);
    if (!hcl.startsWith('{{"{{"}}', at))
      throw new Error(`Go would run a Go action at ${at}: ${hcl}`);
    go += hcl.slice(i, at) + '{{';
    i = at + '{{"{{"}}'.length;
  }
}

const OPTIONS: TemplateOptions = {
  baseImageId: 'sha256:' + 'a'.repeat(64),
  containerName: 'ansible-image-123',
  network: 'host',
  changes: ['ENTRYPOINT [""]', 'LABEL "k"="${x} {{.Image}} %{y}"'],
  commitMessage: 'built by ansible-image-action',
  playbook: '/ws/site.yml',
  ansibleCommand: '/tmp/run/ansible-playbook.sh',
  prepareCommand: "docker exec -i ansible-image-123 /bin/sh -s -- prepare < '/tmp/c.sh'",
  finishCommand: "docker exec -i ansible-image-123 /bin/sh -s -- finish < '/tmp/c.sh'",
  setupMarker: 'ansible-image-stage-0123: containerSetup',
  cleanupMarker: 'ansible-image-stage-0123: containerCleanup',
  manifestPath: '/tmp/run/manifest.json',
  executorDirectory: '/tmp/run/executor',
  pythonDirectory: '/cache/ansible-image/python/0123456789abcdef',
  proxyHostKeyFile: '/tmp/run/proxy-host-key',
  proxyAuthorizedKeyFile: '/tmp/run/proxy-authorized-key',
};

interface Template {
  source: { docker: { build: Record<string, unknown> & { run_command: string[] } } };
  build: {
    sources: string[];
    provisioner: Array<Record<string, Record<string, unknown>>>;
    'post-processor': Array<Record<string, Record<string, unknown>>>;
  };
}

const template = (overrides: Partial<TemplateOptions> = {}) =>
  packerTemplate({ ...OPTIONS, ...overrides }) as Template;

describe('packerTemplate', () => {
  it('builds from the base image and commits', () => {
    const build = template().source.docker.build;
    expect(build.image).toBe(OPTIONS.baseImageId);
    expect(build.pull).toBe(false);
    expect(build.commit).toBe(true);
    expect(build.message).toBe(OPTIONS.commitMessage);
    expect(template().build.sources).toEqual(['source.docker.build']);
  });

  it('escapes the changes for HCL and Go templates', () => {
    expect(template().source.docker.build.changes).toEqual([
      'ENTRYPOINT [""]',
      'LABEL "k"="$${x} {{"{{"}}.Image}} %%{y}"',
    ]);
  });

  // Packer's docker plugin (StepSetDefaults, from 1.0.9) appends the base image's CMD and
  // ENTRYPOINT unless a change line starts with that word (strings.HasPrefix, upper case).
  it.each([
    [{ entrypoint: null, cmd: ['bash'] }, []],
    [{ entrypoint: ['docker-entrypoint.sh'], cmd: ['redis-server'] }, []],
    [{ entrypoint: null, cmd: null }, []],
    [{ entrypoint: ['docker-entrypoint.sh'], cmd: ['redis-server'] }, ['ENTRYPOINT ["/init"]']],
    [{ entrypoint: ['docker-entrypoint.sh'], cmd: ['redis-server'] }, ['cmd ["serve"]']],
    [{ entrypoint: null, cmd: ['bash'] }, ['entrypoint ["/init"]', 'USER app']],
  ] as Array<[BaseRunConfig, string[]]>)(
    'states CMD and ENTRYPOINT as the docker plugin looks for them (%j, %j)',
    (base, lines) => {
      const escaped = template({
        changes: commitChanges(base, lines.map(parseChange), [['k', '${x}']]),
      }).source.docker.build.changes as string[];
      expect(escaped.some((line) => line.startsWith('CMD'))).toBe(true);
      expect(escaped.some((line) => line.startsWith('ENTRYPOINT'))).toBe(true);
    },
  );

  it.each([
    '${x}',
    '%{x}',
    '{{x}}',
    '${{x}}',
    '%{{x}}',
    '$${x}',
    '%%{x}',
    '{{{ }}}',
    '{{"{{"}}',
    '$ { % { {',
    'LABEL "k"="${HOME} {{ lookup(\'pipe\', \'id\') }} %{ if } $$ \\"',
  ])('escapes the change %j so that Packer reads it as written', (value) => {
    const [escaped] = template({ changes: [value] }).source.docker.build.changes as string[];
    expect(readAsPacker(escaped)).toBe(value);
  });

  it.each(['${x}', '%{x}', '{{x}}'])('the reader rejects the unescaped %j', (value) => {
    expect(() => readAsPacker(value)).toThrow(/would (interpolate|run a Go action)/);
  });

  it.each<[string, string, string[]]>([
    [
      'with a network',
      'host',
      [
        '-d',
        '-i',
        '-t',
        '--name',
        'ansible-image-123',
        '--network',
        'host',
        '--entrypoint=/bin/sh',
        '--',
        '{{.Image}}',
        '-c',
        BUILD_CONTAINER_INIT,
      ],
    ],
    [
      'without a network',
      '',
      [
        '-d',
        '-i',
        '-t',
        '--name',
        'ansible-image-123',
        '--entrypoint=/bin/sh',
        '--',
        '{{.Image}}',
        '-c',
        BUILD_CONTAINER_INIT,
      ],
    ],
  ])('run_command %s', (_case, network, expected) => {
    const runCommand = template({ network }).source.docker.build.run_command;
    expect(runCommand).toEqual(expected);
  });

  it('gives the build container a PID 1 that Packer can template and that reaps', () => {
    // Go's template syntax would be rendered; `wait` is what collects adopted children.
    expect(BUILD_CONTAINER_INIT).not.toMatch(/\{\{|\$\{|%\{/);
    expect(BUILD_CONTAINER_INIT).toMatch(/while :; do sleep \d+ & wait \$!; done$/);
  });

  it('provisions with shell-local, ansible, shell-local; the host-side steps print their markers first', () => {
    expect(template().build.provisioner).toEqual([
      {
        'shell-local': {
          inline: [`echo 'ansible-image-stage-0123: containerSetup'`, OPTIONS.prepareCommand],
        },
      },
      {
        ansible: {
          command: OPTIONS.ansibleCommand,
          playbook_file: OPTIONS.playbook,
          user: 'root',
          ssh_host_key_file: OPTIONS.proxyHostKeyFile,
          ssh_authorized_key_file: OPTIONS.proxyAuthorizedKeyFile,
        },
      },
      {
        'shell-local': {
          inline: [`echo 'ansible-image-stage-0123: containerCleanup'`, OPTIONS.finishCommand],
        },
      },
    ]);
  });

  it('mounts the executor folder and the Python cache (read-only) inside Packer’s own, so no new mount point reaches the image', () => {
    const build = template().source.docker.build;
    expect(build.container_dir).toBe('/packer-files');
    expect(build.volumes).toEqual({
      '/tmp/run/executor': '/packer-files/ansible-image',
      '/cache/ansible-image/python/0123456789abcdef': '/packer-files/python:ro',
    });
  });

  it('mounts no Python folder where Ansible does not use one from outside the image', () => {
    const build = template({ pythonDirectory: undefined }).source.docker.build;
    expect(build.volumes).toEqual({ '/tmp/run/executor': '/packer-files/ansible-image' });
  });

  it('writes a manifest', () => {
    expect(template().build['post-processor']).toEqual([
      { manifest: { output: OPTIONS.manifestPath, strip_path: true } },
    ]);
  });

  it('serialises to JSON unchanged', () => {
    const value = template();
    expect(JSON.parse(JSON.stringify(value))).toEqual(value);
  });

  const FIELDS = [
    'baseImageId',
    'containerName',
    'network',
    'commitMessage',
    'playbook',
    'ansibleCommand',
    'prepareCommand',
    'finishCommand',
    'setupMarker',
    'cleanupMarker',
    'manifestPath',
    'executorDirectory',
    'pythonDirectory',
    'proxyHostKeyFile',
    'proxyAuthorizedKeyFile',
  ] as const;
  const MARKERS = ['{{', '${', '%{'];

  it.each(FIELDS.flatMap((field) => MARKERS.map((marker) => [field, marker] as const)))(
    'rejects %s containing %s',
    (field, marker) => {
      const value = `/tmp/a${marker}b}`;
      expect(() => template({ [field]: value })).toThrow(
        new RegExp(
          `"${value.replace(/[$.{}]/g, '\\$&')}" contains \\{\\{, \\$\\{ or %\\{, which Packer would read as a template`,
        ),
      );
    },
  );

  it.each(['/tmp/$x/{y}', '/tmp/%/{}', '/tmp/{ {'])('accepts the path %j', (value) => {
    expect(() => template({ playbook: value, manifestPath: value })).not.toThrow();
  });
});
