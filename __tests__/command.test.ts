import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ansibleWrapperScript, containerScriptCommand } from '../src/ansible/command.js';

/** A program that prints its arguments, NUL-separated so that newlines survive. */
const PRINT_ARGS = `#!/bin/sh\nprintf '%s\\0' "$@"\n`;

const USER_ARGS = [
  '--tags',
  'web db',
  "it's",
  '"double"',
  '$HOME ${x} $(id) `id`',
  'back\\slash',
  'new\nline',
  '',
  'grüße 🚀',
  '-v',
];

let dir: string;

beforeEach(() => {
  // A space and a quote in every path, to check that paths are quoted too.
  dir = mkdtempSync(path.join(os.tmpdir(), "ansible cmd it's-"));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function executable(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  chmodSync(file, 0o755);
  return file;
}

function argsOf(output: string): string[] {
  const args = output.split('\0');
  expect(args.pop()).toBe('');
  return args;
}

describe('ansibleWrapperScript', () => {
  /** A wrapper with nothing of the user's, around a stand-in for ansible-playbook. */
  const bareWrapper = (standIn: string) =>
    executable(
      'wrapper.sh',
      ansibleWrapperScript({
        ansiblePlaybook: executable('ansible playbook', standIn),
        ansibleVersion: '2.14.18',
        containerName: 'c',
        varsFiles: [],
        userArguments: [],
      }),
    );

  it.each<[string, string[], string | undefined, string[]]>([
    [
      'with vars files, a vault password and user arguments',
      ["vars dir/it's.yml", 'secret.yml'],
      'vault pw',
      USER_ARGS,
    ],
    ['with user arguments only', [], undefined, USER_ARGS],
    ['with an extra vars file only', ['vars.yml'], undefined, []],
    ['with nothing of the user', [], undefined, []],
  ])('appends our arguments after Packer’s, %s', (_case, varsNames, vaultName, userArguments) => {
    const ansiblePlaybook = executable('ansible playbook', PRINT_ARGS);
    const varsFiles = varsNames.map((name) => path.join(dir, name));
    const vaultPasswordFile = vaultName === undefined ? undefined : path.join(dir, vaultName);
    const wrapper = executable(
      'wrapper.sh',
      ansibleWrapperScript({
        ansiblePlaybook,
        ansibleVersion: '2.14.18',
        containerName: 'ansible-image-42',
        varsFiles,
        ...(vaultPasswordFile && { vaultPasswordFile }),
        userArguments,
      }),
    );
    const packerArgs = [
      '--extra-vars',
      'packer_build_name=build',
      '-i',
      '/tmp/inv 1',
      '/ws/site.yml',
    ];
    const output = execFileSync(wrapper, packerArgs, { encoding: 'utf8' });
    expect(argsOf(output)).toEqual([
      ...packerArgs,
      '-e',
      'ansible_connection=community.docker.docker',
      '-e',
      'ansible_host=ansible-image-42',
      '-e',
      'ansible_user=root',
      ...varsFiles.flatMap((file) => ['-e', `@${file}`]),
      ...(vaultPasswordFile === undefined ? [] : ['--vault-password-file', vaultPasswordFile]),
      ...userArguments,
    ]);
  });

  it('is a /bin/sh script that execs the playbook command', () => {
    const script = ansibleWrapperScript({
      ansiblePlaybook: '/usr/bin/ansible-playbook',
      ansibleVersion: '2.14.18',
      containerName: 'c',
      varsFiles: [],
      userArguments: [],
    });
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(script).toMatch(
      /^exec '\/usr\/bin\/ansible-playbook' "\$@" -e "ansible_connection=\$connection" /m,
    );
    expect(script.endsWith('\n')).toBe(true);
  });

  it.each<[string, boolean, string]>([
    ['the executor’s connection while its socket listens', true, 'ansible_image_executor'],
    ['docker exec without the socket', false, 'community.docker.docker'],
  ])('chooses %s', async (_case, listening, connection) => {
    const executorSocket = path.join(dir, 'executor.sock');
    const server = net.createServer();
    if (listening) await new Promise<void>((resolve) => server.listen(executorSocket, resolve));
    try {
      const wrapper = bareWrapper(PRINT_ARGS);
      // Ansible's environment names the socket (a path with a space and a quote, here).
      const run = spawnSync(wrapper, ['site.yml'], {
        encoding: 'utf8',
        env: { ...process.env, ANSIBLE_IMAGE_EXECUTOR_SOCKET: executorSocket },
      });
      expect(argsOf(run.stdout).slice(0, 3)).toEqual([
        'site.yml',
        '-e',
        `ansible_connection=${connection}`,
      ]);
      expect(run.stderr).toBe(
        listening
          ? ''
          : 'The executor is not running in the container: tasks go through docker exec\n',
      );
    } finally {
      server.close();
    }
  });

  it.each<[string, string | undefined, string, string]>([
    [
      'the Python kept outside the image, while discovery is on',
      '/packer-files/python/abc/python3\n',
      'auto_silent',
      '/packer-files/python/abc/python3',
    ],
    ['discovery, with no Python kept outside', undefined, 'auto_silent', 'auto_silent'],
    [
      'the interpreter that the user chose',
      '/packer-files/python/abc/python3\n',
      '/opt/py',
      '/opt/py',
    ],
  ])('tells Ansible %s', (_case, pythonFile, interpreter, expected) => {
    if (pythonFile !== undefined) writeFileSync(path.join(dir, 'python'), pythonFile);
    const wrapper = bareWrapper('#!/bin/sh\nprintf \'%s\\0\' "$ANSIBLE_PYTHON_INTERPRETER" "$@"\n');
    const run = spawnSync(wrapper, ['site.yml'], {
      encoding: 'utf8',
      env: {
        ...process.env,
        ANSIBLE_IMAGE_EXECUTOR_SOCKET: path.join(dir, 'executor.sock'),
        ANSIBLE_PYTHON_INTERPRETER: interpreter,
      },
    });
    const [given, ...args] = argsOf(run.stdout);
    expect(given).toBe(expected);
    const outside = pythonFile !== undefined && interpreter.startsWith('auto');
    expect(args.slice(0, 3)).toEqual([
      'site.yml',
      '-e',
      outside
        ? `ansible_python3_interpreter=${expected}`
        : 'ansible_connection=community.docker.docker',
    ]);
  });

  it('answers Packer’s --version check itself, and passes --version with other arguments on', () => {
    const ansiblePlaybook = executable('ansible playbook', PRINT_ARGS);
    const wrapper = executable(
      'wrapper.sh',
      ansibleWrapperScript({
        ansiblePlaybook,
        ansibleVersion: '2.99.1',
        containerName: 'c',
        varsFiles: [],
        userArguments: [],
      }),
    );
    expect(execFileSync(wrapper, ['--version'], { encoding: 'utf8' })).toBe(
      'ansible-playbook [core 2.99.1]\n',
    );
    expect(
      argsOf(execFileSync(wrapper, ['--version', 'x'], { encoding: 'utf8' })).slice(0, 2),
    ).toEqual(['--version', 'x']);
  });
});

describe('containerScriptCommand', () => {
  it('runs the script through docker exec as root, with its arguments intact', () => {
    // A stand-in for docker on PATH, so that the command line can be run by a real shell.
    executable('docker', `#!/bin/sh\nprintf '%s\\0' "$@"\nprintf 'stdin:'\ncat\n`);
    const script = path.join(dir, "container script it's.sh");
    writeFileSync(script, 'echo "$1"\n');
    const args = ['prepare', 'a b', "it's", '$x'];
    const command = containerScriptCommand('ansible-image-42', script, args);
    const output = execFileSync('/bin/sh', ['-c', command], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}` },
    });
    const [printed, stdin] = output.split('stdin:');
    expect(argsOf(printed)).toEqual([
      'exec',
      '-i',
      '--user',
      '0',
      '--env',
      'ANSIBLE_IMAGE_EXECUTOR_TOKEN',
      'ansible-image-42',
      '/bin/sh',
      '-s',
      '--',
      ...args,
    ]);
    expect(stdin).toBe('echo "$1"\n');
  });

  it('runs docker exec only once the file it waits for exists', async () => {
    const ready = path.join(dir, "ready it's");
    executable('docker', `#!/bin/sh\nif [ -e "$READY" ]; then echo after; else echo before; fi\n`);
    const script = path.join(dir, 'script.sh');
    writeFileSync(script, '');
    const command = containerScriptCommand('c', script, ['prepare'], ready);
    const running = new Promise<string>((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', command], {
        env: {
          ...process.env,
          READY: ready,
          PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}`,
        },
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('error', reject);
      child.on('close', () => resolve(output));
    });
    setTimeout(() => writeFileSync(ready, ''), 300);
    expect(await running).toBe('after\n');
  });
});
