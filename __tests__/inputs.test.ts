import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { getInputs, type Inputs } from '../src/inputs.js';
import { repoRoot } from './runner.js';
import { HASHICORP_PUBLIC_KEY } from '../src/tools/hashicorp-key.js';

let root: string;
let workspace: string;
let outside: string;
let savedEnv: NodeJS.ProcessEnv;

beforeAll(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'inputs-test-')));
  workspace = path.join(root, 'workspace');
  outside = path.join(root, 'outside');
  mkdirSync(path.join(workspace, 'ansible', 'roles'), { recursive: true });
  mkdirSync(outside);
  const files: Record<string, string> = {
    'site.yml': '- hosts: all\n  tasks: []\n',
    'ansible/play.yml': '- hosts: all\n',
    'ansible/vars.yml': 'greeting: "{{ hi }}"\nport: 80\nlist: [a, 1]\n',
    'ansible/list.yml': '- a\n- b\n',
    'ansible/bad.yml': 'a: [\n',
    'ansible/requirements.yml': 'collections: []\n',
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(workspace, name), text);
  writeFileSync(path.join(outside, 'secret.yml'), 'secret: 1\n');
  symlinkSync(path.join(outside, 'secret.yml'), path.join(workspace, 'escape.yml'));
  symlinkSync(outside, path.join(workspace, 'outside-dir'));
  symlinkSync(path.join(workspace, 'site.yml'), path.join(workspace, 'inside-link.yml'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

beforeEach(() => {
  savedEnv = { ...process.env };
  for (const name of Object.keys(process.env))
    if (name.startsWith('INPUT_') || name.startsWith('GITHUB_')) delete process.env[name];
  process.env.GITHUB_WORKSPACE = workspace;
});

afterEach(() => {
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Sets inputs the way the runner does: INPUT_<NAME>, upper case, hyphens kept. */
function setInputs(inputs: Record<string, string>): void {
  for (const [name, value] of Object.entries(inputs))
    process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
}

function inputsWith(inputs: Record<string, string>): Inputs {
  setInputs({ playbook: 'site.yml', ...inputs });
  return getInputs();
}

describe('getInputs', () => {
  // action.yml is the contract: an input left out must mean what its default there says.
  it('gives every input the meaning of its default in action.yml', () => {
    const action = parse(readFileSync(path.join(repoRoot, 'action.yml'), 'utf8')) as {
      inputs: Record<string, { default?: string; required?: boolean }>;
    };
    const omitted = inputsWith({});
    const stated = inputsWith(
      Object.fromEntries(
        Object.entries(action.inputs)
          .filter(([name]) => !['playbook', 'hashicorp-public-key'].includes(name))
          .map(([name, input]) => [name, input.default ?? '']),
      ),
    );
    expect(stated).toEqual(omitted);
  });

  it('applies the defaults', () => {
    const inputs = inputsWith({});
    expect(inputs).toEqual({
      workspace,
      workingDirectory: workspace,
      playbook: path.join(workspace, 'site.yml'),
      baseImage: 'debian:bookworm-slim',
      pull: 'missing',
      tags: [],
      push: false,
      ociLabels: true,
      labels: [],
      changes: [],
      extraVars: undefined,
      ansibleArgs: [],
      secrets: [],
      network: '',
      python: 'auto',
      packerVersion: 'latest',
      ansibleVersion: 'latest',
      hashicorpReleasesUrl: 'https://releases.hashicorp.com',
      hashicorpPublicKey: HASHICORP_PUBLIC_KEY,
      dockerPluginVersion: '1.1.4',
      ansiblePluginVersion: '1.1.6',
      pipIndexUrl: 'https://pypi.org/simple',
      summary: true,
      cache: true,
      cacheKey: '',
      platforms: [],
      pushByDigest: false,
      maxParallel: Math.max(1, Math.floor(os.availableParallelism() / 2)),
      merge: [],
      keepFailed: true,
      pushFailed: false,
      github: {},
    });
    expect(inputs).not.toHaveProperty('galaxyFile');
  });

  it('reads every input', () => {
    Object.assign(process.env, {
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/app',
      GITHUB_SHA: 'abc123',
    });
    const inputs = inputsWith({
      'working-directory': 'ansible',
      playbook: 'play.yml',
      'base-image': 'ghcr.io/acme/base:1.0',
      pull: 'always',
      tags: 'app:1, app:latest\nghcr.io/acme/app:1',
      labels: 'a=1\norg.example.x = y z ',
      changes: 'CMD ["serve"]\nuser app',
      'extra-vars': 'x: 1',
      'ansible-args': '--tags "web db" -v',
      'galaxy-file': 'requirements.yml',
      network: 'host',
      python: 'never',
      'packer-version': 'system',
      'ansible-version': 'system',
      'hashicorp-releases-url': 'https://mirror.example/hashicorp/',
      'docker-plugin-version': '1.1.2',
      'ansible-plugin-version': '1.1.4',
      'pip-index-url': 'https://pypi.mirror.example/simple',
      summary: 'false',
      cache: 'false',
      'cache-key': ' release 7 ',
      'cache-max-age': '1d12h',
      'push-failed': 'true',
      platforms: 'linux/amd64,linux/arm64',
      'max-parallel': '3',
      export: 'out/image.tar',
      'export-format': 'oci',
      'export-overwrite': 'true',
      'max-layer-size': '250MB',
    });
    expect(inputs).toEqual({
      workspace,
      workingDirectory: path.join(workspace, 'ansible'),
      playbook: path.join(workspace, 'ansible', 'play.yml'),
      baseImage: 'ghcr.io/acme/base:1.0',
      pull: 'always',
      tags: ['app:1', 'app:latest', 'ghcr.io/acme/app:1'],
      push: false,
      ociLabels: true,
      labels: [
        ['a', '1'],
        ['org.example.x', ' y z '],
      ],
      changes: [
        { instruction: 'CMD', value: '["serve"]' },
        { instruction: 'USER', value: 'app' },
      ],
      extraVars: { x: 1 },
      ansibleArgs: ['--tags', 'web db', '-v'],
      secrets: [],
      galaxyFile: path.join(workspace, 'ansible', 'requirements.yml'),
      network: 'host',
      python: 'never',
      packerVersion: 'system',
      ansibleVersion: 'system',
      hashicorpReleasesUrl: 'https://mirror.example/hashicorp',
      hashicorpPublicKey: HASHICORP_PUBLIC_KEY,
      dockerPluginVersion: '1.1.2',
      ansiblePluginVersion: '1.1.4',
      pipIndexUrl: 'https://pypi.mirror.example/simple',
      summary: false,
      cache: false,
      cacheKey: ' release 7 ',
      cacheMaxAge: 86400 + 12 * 3600,
      keepFailed: true,
      pushFailed: true,
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' },
      ],
      pushByDigest: false,
      maxParallel: 3,
      merge: [],
      export: { path: path.join(workspace, 'out', 'image.tar'), format: 'oci', overwrite: true },
      maxLayerSize: 250_000_000,
      github: { serverUrl: 'https://github.com', repository: 'acme/app', revision: 'abc123' },
    });
  });

  it('falls back to the current directory without GITHUB_WORKSPACE', () => {
    delete process.env.GITHUB_WORKSPACE;
    const cwd = process.cwd();
    try {
      process.chdir(workspace);
      expect(inputsWith({}).workspace).toBe(workspace);
    } finally {
      process.chdir(cwd);
    }
  });

  it.each([
    ['a symlink inside the workspace', 'inside-link.yml'],
    ['a path through ..', 'ansible/../site.yml'],
    ['a path with ./', './site.yml'],
  ])('accepts a playbook that is %s', (_case, playbook) => {
    expect(inputsWith({ playbook }).playbook).toBe(path.join(workspace, 'site.yml'));
  });

  it('accepts an absolute playbook path inside the workspace', () => {
    const playbook = path.join(workspace, 'site.yml');
    expect(inputsWith({ playbook }).playbook).toBe(playbook);
  });

  it('rejects an absolute playbook path outside the workspace', () => {
    const playbook = path.join(outside, 'secret.yml');
    expect(() => inputsWith({ playbook })).toThrow(
      new RegExp(
        `^Input "playbook": "${escape(playbook)}" must stay inside the workspace \\(${escape(workspace)}\\)$`,
      ),
    );
  });

  // BUG (see report): `relative.startsWith('..')` also matches a name that merely begins
  // with two dots, so a file like "..site.yml" inside the workspace is refused.
  it('accepts a playbook whose name begins with two dots', () => {
    writeFileSync(path.join(workspace, '..site.yml'), '- hosts: all\n');
    expect(inputsWith({ playbook: '..site.yml' }).playbook).toBe(
      path.join(workspace, '..site.yml'),
    );
  });

  it('requires a playbook', () => {
    expect(() => getInputs()).toThrow(
      /^Input "playbook": is required \(only merge builds nothing\)$/,
    );
  });

  it('reads labels without trimming their values', () => {
    const { labels } = inputsWith({
      labels: '\n  key = value with spaces  \nurl=https://x.test/?a=b&c=d\nq="quoted" \'too\'\n\n',
    });
    expect(labels).toEqual([
      ['key', ' value with spaces  '],
      ['url', 'https://x.test/?a=b&c=d'],
      ['q', `"quoted" 'too'`],
    ]);
  });

  it.each([
    ['tags on lines', 'app:1\n\napp:2\n', ['app:1', 'app:2']],
    ['tags separated by commas', ' app:1 ,app:2,,', ['app:1', 'app:2']],
    ['mixed', 'a,b\nc', ['a', 'b', 'c']],
  ])('reads %s', (_case, tags, expected) => {
    expect(inputsWith({ tags }).tags).toEqual(expected);
  });

  it.each([
    [
      'inline mapping',
      'a: 1\nb: "{{ x }}"\nc: [x, {d: true}]',
      { a: 1, b: '{{ x }}', c: ['x', { d: true }] },
    ],
    ['inline flow mapping', '{a: "b c"}', { a: 'b c' }],
    ['a file', '@vars.yml', { greeting: '{{ hi }}', port: 80, list: ['a', 1] }],
    [
      'a file, with spaces around',
      '  @vars.yml  ',
      { greeting: '{{ hi }}', port: 80, list: ['a', 1] },
    ],
  ])('reads extra-vars from %s', (_case, value, expected) => {
    const inputs = inputsWith({
      'working-directory': 'ansible',
      playbook: 'play.yml',
      'extra-vars': value,
    });
    expect(inputs.extraVars).toEqual(expected);
  });

  it.each([
    ['nginx', 'nginx'],
    ['caddy.service', 'caddy.service'],
    ['ticker@alpha', 'ticker@alpha'],
    ['', undefined],
  ])('cmd-from-service %j', (value, expected) => {
    expect(inputsWith({ 'cmd-from-service': value }).cmdFromService).toBe(expected);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    [
      'cache-max-age has no unit',
      { 'cache-max-age': '7' },
      /^Input "cache-max-age": "7" must be a duration: numbers with units s, m, h, d or w, such as 7d, 12h or 1d12h$/,
    ],
    [
      'cache-max-age has a space',
      { 'cache-max-age': '7 d' },
      /^Input "cache-max-age": "7 d" must be a duration/,
    ],
    [
      'cache-max-age is a month',
      { 'cache-max-age': '1mo' },
      /^Input "cache-max-age": "1mo" must be a duration/,
    ],
    [
      'cache-max-age is zero',
      { 'cache-max-age': '0d' },
      /^Input "cache-max-age": "0d" must be longer than 0 s$/,
    ],
    ['cache is yes', { cache: 'yes' }, /^Input "cache": "yes" must be one of true, false$/],
    [
      'cmd-from-service is an option',
      { 'cmd-from-service': '--user' },
      /^Input "cmd-from-service": "--user" must be a service name \(letters, digits and :_\.\\@-, not starting with -\)$/,
    ],
    [
      'cmd-from-service has a space',
      { 'cmd-from-service': 'nginx; reboot' },
      /^Input "cmd-from-service": "nginx; reboot" must be a service name/,
    ],
    [
      'cmd-from-service names a timer',
      { 'cmd-from-service': 'backup.timer' },
      /^Input "cmd-from-service": "backup\.timer" must name a service, not a \.timer unit$/,
    ],
    [
      'playbook does not exist',
      { playbook: 'missing.yml' },
      /^Input "playbook": "missing\.yml" does not exist$/,
    ],
    [
      'playbook is a directory',
      { playbook: 'ansible' },
      /^Input "playbook": "ansible" must be a file$/,
    ],
    [
      'playbook escapes with ..',
      { playbook: '../outside/secret.yml' },
      /^Input "playbook": "\.\.\/outside\/secret\.yml" must stay inside the workspace \(.*workspace\)$/,
    ],
    [
      'playbook is a symlink out of the workspace',
      { playbook: 'escape.yml' },
      /^Input "playbook": "escape\.yml" must stay inside the workspace/,
    ],
    [
      'playbook is under a symlinked directory outside',
      { playbook: 'outside-dir/secret.yml' },
      /^Input "playbook": "outside-dir\/secret\.yml" must stay inside the workspace/,
    ],
    [
      'working-directory does not exist',
      { 'working-directory': 'nope' },
      /^Input "working-directory": "nope" does not exist$/,
    ],
    [
      'working-directory is a file',
      { 'working-directory': 'site.yml' },
      /^Input "working-directory": "site\.yml" must be a directory$/,
    ],
    [
      'working-directory escapes',
      { 'working-directory': '..' },
      /^Input "working-directory": "\.\." must stay inside the workspace/,
    ],
    [
      'galaxy-file does not exist',
      { 'galaxy-file': 'requirements.yml' },
      /^Input "galaxy-file": "requirements\.yml" does not exist$/,
    ],
    [
      'galaxy-file escapes',
      { 'galaxy-file': 'escape.yml' },
      /^Input "galaxy-file": "escape\.yml" must stay inside the workspace/,
    ],
    [
      'base-image invalid',
      { 'base-image': 'Debian:12' },
      /^Input "base-image": "Debian:12" is not a valid image reference: repository name must be lower-case/,
    ],
    [
      'base-image with an empty tag',
      { 'base-image': 'debian:' },
      /^Input "base-image": "debian:" is not a valid image reference: tag must have 1 to 128/,
    ],
    [
      'pull invalid',
      { pull: 'sometimes' },
      /^Input "pull": "sometimes" must be one of missing, always, never$/,
    ],
    [
      'pull upper case',
      { pull: 'Always' },
      /^Input "pull": "Always" must be one of missing, always, never$/,
    ],
    [
      'python invalid',
      { python: 'yes' },
      /^Input "python": "yes" must be one of auto, keep, never$/,
    ],
    [
      'tags with an invalid tag',
      { tags: 'app:1\napp:bad tag?' },
      /^Input "tags": "app:bad tag\?" is not a valid image reference: must not contain white space/,
    ],
    [
      'tags with an upper-case name',
      { tags: 'ok:1, App:1' },
      /^Input "tags": "App:1" is not a valid image reference: repository name must be lower-case/,
    ],
    [
      'tags with a digest',
      { tags: `app@sha256:${'a'.repeat(64)}` },
      /^Input "tags": "app@sha256:a{64}" must not contain a digest: a tag names a new image$/,
    ],
    [
      'labels without =',
      { labels: 'a=1\nnovalue' },
      /^Input "labels": "novalue" must be a key=value line$/,
    ],
    [
      'labels with an empty key',
      { labels: ' = v' },
      /^Input "labels": " = v" must be a key=value line$/,
    ],
    [
      'changes with an unknown instruction',
      { changes: 'CMD ["a"]\n  RUN make  ' },
      /^Input "changes": "RUN make": "RUN" is not an instruction that docker commit accepts/,
    ],
    [
      'changes with a bad JSON array',
      { changes: 'ENTRYPOINT ["a", 1]' },
      /^Input "changes": "ENTRYPOINT \["a", 1\]": ENTRYPOINT: the JSON array form must hold only strings$/,
    ],
    [
      'extra-vars inline list',
      { 'extra-vars': '- a\n- b' },
      /^Input "extra-vars": the inline value must be a YAML mapping of variable names to values$/,
    ],
    [
      'extra-vars inline scalar',
      { 'extra-vars': 'just text' },
      /^Input "extra-vars": the inline value must be a YAML mapping/,
    ],
    [
      'extra-vars invalid YAML',
      { 'extra-vars': 'a: [1, 2' },
      /^Input "extra-vars": the inline value is not valid YAML: .+/,
    ],
    [
      'extra-vars duplicate keys',
      { 'extra-vars': 'a: 1\na: 2' },
      /^Input "extra-vars": the inline value is not valid YAML: Map keys must be unique/,
    ],
    [
      'extra-vars file that is a list',
      { 'extra-vars': '@ansible/list.yml' },
      /^Input "extra-vars": file "ansible\/list\.yml" must be a YAML mapping/,
    ],
    [
      'extra-vars file with invalid YAML',
      { 'extra-vars': '@ansible/bad.yml' },
      /^Input "extra-vars": file "ansible\/bad\.yml" is not valid YAML: /,
    ],
    [
      'extra-vars missing file',
      { 'extra-vars': '@missing.yml' },
      /^Input "extra-vars": "missing\.yml" does not exist$/,
    ],
    [
      'extra-vars file outside the workspace',
      { 'extra-vars': '@escape.yml' },
      /^Input "extra-vars": "escape\.yml" must stay inside the workspace/,
    ],
    [
      'ansible-args with an unterminated quote',
      { 'ansible-args': `--tags "web db` },
      /^Input "ansible-args": "--tags "web db": unterminated " quote$/,
    ],
    [
      'network with a space',
      { network: 'my net' },
      /^Input "network": "my net" must be host, none, a network name or container:NAME/,
    ],
    [
      'network starting with -',
      { network: '--privileged' },
      /^Input "network": "--privileged" must be host, none, a network name or container:NAME/,
    ],
    [
      'network with an empty container name',
      { network: 'container:' },
      /^Input "network": "container:" must be host, none/,
    ],
    [
      'a packer-version that is no version or range',
      { 'packer-version': 'newest' },
      /^Input "packer-version": "newest" must be latest, system \(the tool on PATH\), a version \(1\.11\.2\) or a range/,
    ],
    [
      'an ansible-version that is no version or range',
      { 'ansible-version': '2.x.y.z' },
      /^Input "ansible-version": "2\.x\.y\.z" must be latest, system/,
    ],
    [
      'an ansible plugin before 1.1.0',
      { 'ansible-plugin-version': '1.0.9' },
      /^Input "ansible-plugin-version": "1\.0\.9" must be an exact version, 1\.1\.0 or later$/,
    ],
    [
      'a docker plugin range',
      { 'docker-plugin-version': '~1.1' },
      /^Input "docker-plugin-version": "~1\.1" must be an exact version, 1\.0\.0 or later$/,
    ],
    [
      'a releases URL that is no http(s) URL',
      { 'hashicorp-releases-url': 'ftp://mirror' },
      /^Input "hashicorp-releases-url": "ftp:\/\/mirror" must be an http\(s\) URL$/,
    ],
    [
      'a pip index that is no URL',
      { 'pip-index-url': 'not a url' },
      /^Input "pip-index-url": "not a url" must be an http\(s\) URL$/,
    ],
    [
      'a public key that is no armored key',
      { 'hashicorp-public-key': 'ABCDEF' },
      /^Input "hashicorp-public-key": must be an ASCII-armored PGP public key block$/,
    ],
    [
      'summary other than true/false',
      { summary: 'yes' },
      /^Input "summary": "yes" must be one of true, false$/,
    ],
  ])('rejects %s', (_case, inputs, rule) => {
    expect(() => inputsWith(inputs)).toThrow(rule);
  });

  it('throws InputError', () => {
    expect(() => inputsWith({ pull: 'x' })).toThrow(
      expect.objectContaining({ name: 'InputError' }),
    );
  });

  it.each([
    ['true', true],
    ['false', false],
    [' false ', false],
  ])('reads summary %j', (summary, expected) => {
    expect(inputsWith({ summary }).summary).toBe(expected);
  });

  it.each([
    ['host', 'host'],
    ['none', 'none'],
    ['  my_net.1-a  ', 'my_net.1-a'],
    ['container:db-1', 'container:db-1'],
  ])('accepts the network %j', (network, expected) => {
    expect(inputsWith({ network }).network).toBe(expected);
  });
});

describe('secret inputs', () => {
  it('keep a vault password and list it, with its base64, as a secret', () => {
    const inputs = inputsWith({ 'vault-password': 'pa ss-word\n' });
    expect(inputs.vaultPassword).toBe('pa ss-word');
    expect(inputs.secrets).toEqual(
      expect.arrayContaining(['pa ss-word', Buffer.from('pa ss-word\n').toString('base64')]),
    );
  });

  it('reject a vault password of several lines without showing it', () => {
    expect(() => inputsWith({ 'vault-password': 'line-one\nline-two' })).toThrow(
      /^Input "vault-password": must be a single line \(value hidden\)$/,
    );
  });

  it('parse secret vars and list every string value of three or more characters', () => {
    const inputs = inputsWith({
      'secret-vars': 'token: abc-123\nnested: { list: [s3cr3t, "no"] }\nport: 8080',
    });
    expect(inputs.secretVars).toEqual({
      token: 'abc-123',
      nested: { list: ['s3cr3t', 'no'] },
      port: 8080,
    });
    expect(inputs.secrets).toEqual(expect.arrayContaining(['abc-123', 's3cr3t']));
    expect(inputs.secrets).not.toContain('no');
  });

  it('list a number, and the forms in which Ansible prints quotes, backslashes and lines', () => {
    const inputs = inputsWith({
      'secret-vars': [
        'pin: 84726153',
        `quoted: 'say "hi" \\ back'`,
        'multi: |',
        '  first-line-secret',
        '  zweite-zeile-geheimnis-ü',
      ].join('\n'),
    });
    expect(inputs.secrets).toEqual(
      expect.arrayContaining([
        '84726153',
        'say \\"hi\\" \\\\ back',
        'first-line-secret\\nzweite-zeile-geheimnis-ü\\n',
        'first-line-secret\\nzweite-zeile-geheimnis-\\u00fc\\n',
        'first-line-secret',
        'zweite-zeile-geheimnis-\\u00fc',
      ]),
    );
  });

  it.each([
    [
      'invalid YAML',
      'token: [unclosed-s3cr3t',
      /^Input "secret-vars": is not valid YAML at line \d+, column \d+ \(value hidden\)$/,
    ],
    [
      'a list',
      '- s3cr3t-item',
      /^Input "secret-vars": must be a YAML mapping of variable names to values \(value hidden\)$/,
    ],
  ])('reject %s without quoting the value', (_case, value, error) => {
    let message = '';
    try {
      inputsWith({ 'secret-vars': value });
    } catch (thrown) {
      message = (thrown as Error).message;
    }
    expect(message).toMatch(error);
    expect(message).not.toContain('s3cr3t');
  });
});

const digest = (c: string) => `sha256:${c.repeat(64)}`;

describe('platforms, push-by-digest, max-parallel and merge', () => {
  it('reads platforms, normalised, and the parallelism', () => {
    const inputs = inputsWith({
      platforms: 'linux/amd64, linux/arm64/v8\nlinux/arm/v7',
      tags: 'app:1',
      push: 'true',
      'push-by-digest': 'true',
      'max-parallel': '2',
    });
    expect(inputs.platforms).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
    ]);
    expect(inputs.pushByDigest).toBe(true);
    expect(inputs.maxParallel).toBe(2);
  });

  it('reads merge references in place of a playbook', () => {
    const references = [`127.0.0.1:5000/app@${digest('a')}`, `127.0.0.1:5000/app@${digest('b')}`];
    setInputs({ merge: references.join('\n'), tags: '127.0.0.1:5000/app:1' });
    const inputs = getInputs();
    expect(inputs.merge).toEqual(references);
    expect(inputs.playbook).toBe('');
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['an unknown platform', { platforms: 'linux/z80' }, /^Input "platforms": .*z80/],
    ['a platform without os', { platforms: 'arm64' }, /^Input "platforms": .*arm64/],
    [
      'a repeated platform',
      { platforms: 'linux/arm64,linux/arm64/v8' },
      /^Input "platforms": "linux\/arm64\/v8" repeats linux\/arm64: each platform is built once$/,
    ],
    [
      'push-by-digest without push',
      { 'push-by-digest': 'true' },
      /^Input "push-by-digest": true needs push: true/,
    ],
    [
      'platforms pushed to two registries',
      { platforms: 'linux/amd64,linux/arm64', push: 'true', tags: 'ghcr.io/a/b:1,quay.io/a/b:1' },
      /^Input "tags": name 2 registries \(ghcr.io, quay.io\): with platforms/,
    ],
    [
      'an existing export file',
      { export: 'site.yml' },
      /^Input "export": "site.yml" exists: set export-overwrite: true to replace it$/,
    ],
    [
      'an unknown export format',
      { export: 'x.tar', 'export-format': 'zip' },
      /^Input "export-format"/,
    ],
    [
      'a malformed max-layer-size',
      { 'max-layer-size': '250 parsecs' },
      /^Input "max-layer-size": /,
    ],
    [
      'max-parallel of 0',
      { 'max-parallel': '0' },
      /^Input "max-parallel": "0" must be a whole number from 1 to 999$/,
    ],
    [
      'max-parallel of 1.5',
      { 'max-parallel': '1.5' },
      /^Input "max-parallel": "1.5" must be a whole number/,
    ],
  ])('refuses %s', (_case, inputs, expected) => {
    expect(() => inputsWith(inputs)).toThrow(expected);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    [
      'a merge reference with a tag',
      { merge: 'app:1', tags: 'app:2' },
      /^Input "merge": "app:1" must name an image by digest \(repository@sha256:…\)/,
    ],
    [
      'a merge without tags',
      { merge: `app@${digest('a')}` },
      /^Input "merge": needs at least one image reference in tags/,
    ],
    [
      'a merge with a playbook',
      { merge: `app@${digest('a')}`, tags: 'app:1', playbook: 'site.yml' },
      /^Input "merge": builds nothing, so it takes no playbook/,
    ],
    [
      'a merge with platforms',
      { merge: `app@${digest('a')}`, tags: 'app:1', platforms: 'linux/amd64' },
      /^Input "merge": builds nothing, so it takes no platforms/,
    ],
  ])('refuses %s', (_case, inputs, expected) => {
    setInputs(inputs);
    expect(() => getInputs()).toThrow(expected);
  });
});

describe('push and oci-labels', () => {
  it('read true and false only', () => {
    expect(inputsWith({ push: 'true', tags: 'a/b:1', 'oci-labels': 'false' })).toMatchObject({
      push: true,
      ociLabels: false,
    });
    expect(() => inputsWith({ push: 'yes', tags: 'a/b:1' })).toThrow(
      /^Input "push": "yes" must be one of true, false$/,
    );
  });

  it('push needs a tag', () => {
    expect(() => inputsWith({ push: 'true' })).toThrow(
      /^Input "push": true needs at least one image reference in tags$/,
    );
  });
});

describe('keep-failed and push-failed', () => {
  it.each([
    [{ 'keep-failed': 'true', 'push-failed': 'true', tags: 'a/b:1' }, true, true],
    [{ 'keep-failed': 'false' }, false, false],
    [{ 'push-failed': 'false' }, true, false],
  ])('read %o', (inputs, keepFailed, pushFailed) => {
    expect(inputsWith(inputs)).toMatchObject({ keepFailed, pushFailed });
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['a yes', { 'keep-failed': 'yes' }, /^Input "keep-failed": "yes" must be one of true, false$/],
    [
      'push-failed without a tag',
      { 'push-failed': 'true' },
      /^Input "push-failed": true needs at least one image reference in tags: the failed image goes to the first one's repository$/,
    ],
    [
      'push-failed to a tag of the good build',
      { 'push-failed': 'true', tags: 'a/b:1\na/b:1-failed' },
      /^Input "push-failed": true would push a failed build as a\/b:1-failed, which is one of the tags, for good builds only$/,
    ],
    [
      'push-failed without keep-failed',
      { 'push-failed': 'true', 'keep-failed': 'false', tags: 'a/b:1' },
      /^Input "push-failed": true needs keep-failed: true, since it pushes what that keeps$/,
    ],
  ])('refuse %s', (_case, inputs, expected) => {
    expect(() => inputsWith(inputs)).toThrow(expected);
  });
});
