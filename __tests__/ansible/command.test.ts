import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ansibleWrapperScript, containerScriptCommand } from '../../src/ansible/command.js';

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

const STAGE_MARKER = 'ansible-image-stage-0123: playbook';

/** The wrapper prints the stage marker first, then the stand-in its arguments. */
function wrapperArgsOf(output: string): string[] {
  expect(output.startsWith(`${STAGE_MARKER}\n`)).toBe(true);
  return argsOf(output.slice(STAGE_MARKER.length + 1));
}

describe('ansibleWrapperScript', () => {
  /** A wrapper with nothing of the user's, around a stand-in for ansible-playbook. */
  const LAUNCHER = '/packer-files/python/python3';
  const bareWrapper = (standIn: string, outsidePython?: string) =>
    executable(
      'wrapper.sh',
      ansibleWrapperScript({
        ansiblePlaybook: executable('ansible playbook', standIn),
        ansibleVersion: '2.14.18',
        stageMarker: STAGE_MARKER,
        containerName: 'c',
        varsFiles: [],
        userArguments: [],
        ...(outsidePython && { outsidePython }),
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
        stageMarker: STAGE_MARKER,
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
    expect(wrapperArgsOf(output)).toEqual([
      ...packerArgs,
      '-e',
      'ansible_connection=ansible_image_docker',
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
      stageMarker: STAGE_MARKER,
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
    ['docker exec without the socket', false, 'ansible_image_docker'],
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
      expect(wrapperArgsOf(run.stdout).slice(0, 3)).toEqual([
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

  // The marker is written by the build container: only a regular file counts, and what it
  // holds (here a runner's file that a hostile image would have it name) is never read.
  it.each<[string, 'file' | 'link' | undefined, string | undefined, string, string]>([
    [
      'the Python kept outside the image, while discovery is on',
      'file',
      LAUNCHER,
      'auto_silent',
      LAUNCHER,
    ],
    ['discovery, with no Python kept outside', undefined, LAUNCHER, 'auto_silent', 'auto_silent'],
    ['discovery, when the marker is a link', 'link', LAUNCHER, 'auto_silent', 'auto_silent'],
    ['discovery, when no Python was mounted', 'file', undefined, 'auto_silent', 'auto_silent'],
    ['the interpreter that the user chose', 'file', LAUNCHER, '/opt/py', '/opt/py'],
  ])('tells Ansible %s', (_case, marker, outsidePython, interpreter, expected) => {
    const secret = path.join(dir, 'runner-secret');
    writeFileSync(secret, '/bin/echo secret of the runner\n', { mode: 0o600 });
    if (marker === 'file')
      writeFileSync(path.join(dir, 'python'), '/bin/echo from the container\n');
    if (marker === 'link') symlinkSync(secret, path.join(dir, 'python'));
    const wrapper = bareWrapper(
      '#!/bin/sh\nprintf \'%s\\0\' "$ANSIBLE_PYTHON_INTERPRETER" "$@"\n',
      outsidePython,
    );
    const run = spawnSync(wrapper, ['site.yml'], {
      encoding: 'utf8',
      env: {
        ...process.env,
        ANSIBLE_IMAGE_EXECUTOR_SOCKET: path.join(dir, 'executor.sock'),
        ANSIBLE_PYTHON_INTERPRETER: interpreter,
      },
    });
    const [given, ...args] = wrapperArgsOf(run.stdout);
    expect(given).toBe(expected);
    expect(run.stdout).not.toContain('secret of the runner');
    expect(run.stdout).not.toContain('from the container');
    const outside = expected === LAUNCHER;
    expect(args.slice(0, 3)).toEqual([
      'site.yml',
      '-e',
      outside
        ? `ansible_python3_interpreter=${expected}`
        : 'ansible_connection=ansible_image_docker',
    ]);
  });

  it('does not take a link for the executor’s socket', async () => {
    const elsewhere = path.join(dir, 'elsewhere.sock');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(elsewhere, resolve));
    try {
      symlinkSync(elsewhere, path.join(dir, 'executor.sock'));
      const run = spawnSync(bareWrapper(PRINT_ARGS), ['site.yml'], {
        encoding: 'utf8',
        env: { ...process.env, ANSIBLE_IMAGE_EXECUTOR_SOCKET: path.join(dir, 'executor.sock') },
      });
      expect(wrapperArgsOf(run.stdout).slice(0, 3)).toEqual([
        'site.yml',
        '-e',
        'ansible_connection=ansible_image_docker',
      ]);
    } finally {
      server.close();
    }
  });

  it('answers Packer’s --version check itself, and passes --version with other arguments on', () => {
    const ansiblePlaybook = executable('ansible playbook', PRINT_ARGS);
    const wrapper = executable(
      'wrapper.sh',
      ansibleWrapperScript({
        ansiblePlaybook,
        ansibleVersion: '2.99.1',
        stageMarker: STAGE_MARKER,
        containerName: 'c',
        varsFiles: [],
        userArguments: [],
      }),
    );
    expect(execFileSync(wrapper, ['--version'], { encoding: 'utf8' })).toBe(
      'ansible-playbook [core 2.99.1]\n',
    );
    expect(
      wrapperArgsOf(execFileSync(wrapper, ['--version', 'x'], { encoding: 'utf8' })).slice(0, 2),
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
});
