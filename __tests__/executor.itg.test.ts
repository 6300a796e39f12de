import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from './runner.js';

// The executor and its connection plugin on this machine, with no container: this machine's
// Python stands in for the image's, and Ansible connects through the plugin as in a build.
const assets = path.join(repoRoot, 'dist', 'assets', 'executor');
const PYTHON = '/usr/bin/python3';

const TOKEN = randomBytes(32).toString('hex');
let scratch: string;
let socket: string;

beforeEach(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'itg-executor-'));
  socket = path.join(scratch, 'executor.sock');
  // It returns once it listens, and runs on in the background.
  execFileSync(PYTHON, [path.join(assets, 'executor.py'), socket], {
    env: { ...process.env, ANSIBLE_IMAGE_EXECUTOR_TOKEN: TOKEN },
  });
});

afterEach(() => {
  try {
    process.kill(Number(readFileSync(`${socket}.pid`, 'utf8')));
  } catch {
    // stopped by the test itself
  }
  rmSync(scratch, { recursive: true, force: true });
});

function playbook(file: string, token = TOKEN) {
  return spawnSync('ansible-playbook', ['-i', 'localhost,', '-c', 'ansible_image_executor', file], {
    encoding: 'utf8',
    env: {
      ...process.env,
      ANSIBLE_CONNECTION_PLUGINS: path.join(assets, 'connection'),
      ANSIBLE_IMAGE_EXECUTOR_SOCKET: socket,
      ANSIBLE_IMAGE_EXECUTOR_TOKEN: token,
      ANSIBLE_PIPELINING: 'True',
      ANSIBLE_PYTHON_INTERPRETER: PYTHON,
      ANSIBLE_NOCOLOR: '1',
      EXECUTOR_SCRATCH: scratch,
    },
  });
}

describe('the executor', () => {
  it('runs modules, commands and transfers as Ansible expects, and stops commands whose task timed out', () => {
    const big = randomBytes(300_000);
    writeFileSync(path.join(scratch, 'big.bin'), big);
    const run = playbook(path.join(repoRoot, '__tests__/fixtures/executor/site.yml'));
    expect(run.stdout).toMatch(/ok=\d+ +changed=\d+ +unreachable=0 +failed=0/);
    expect(run.status).toBe(0);
    expect(readFileSync(path.join(scratch, 'big.fetched')).equals(big)).toBe(true);
    // The first module's zip was kept to import module_utils ahead of the others...
    expect(existsSync(`${socket}.module_utils.zip`)).toBe(true);
    // ...and the server logged no error of its own.
    expect(readFileSync(`${socket}.log`, 'utf8')).toBe('');
  });

  it('serves no request without the run’s token, and keeps the token from the commands it runs', () => {
    const file = path.join(scratch, 'env.yml');
    writeFileSync(
      file,
      '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: env\n      register: env\n' +
        '    - raw: env\n      register: raw_env\n' +
        '    - assert:\n        that: [\'"ANSIBLE_IMAGE_EXECUTOR_TOKEN" not in env.stdout + raw_env.stdout\']\n',
    );
    const refused = playbook(file, 'not-the-token');
    expect(refused.status).not.toBe(0);
    expect(refused.stdout).toContain("the build container's executor closed the connection");
    expect(readFileSync(`${socket}.log`, 'utf8')).toContain("a request without the run's token");
    const run = playbook(file);
    expect(run.stdout).toMatch(/ok=3 +changed=2 +unreachable=0 +failed=0/);
  });

  it('reports a transfer that fails on the container’s side with its own error', () => {
    // Larger than the socket's buffers, so the executor stops reading before the end.
    const big = path.join(scratch, 'big.bin');
    writeFileSync(big, randomBytes(3_000_000));
    const output = execFileSync(
      PYTHON,
      [path.join(repoRoot, '__tests__/fixtures/executor/transfer_errors.py'), socket, big],
      {
        encoding: 'utf8',
        env: {
          ...process.env,
          ANSIBLE_CONNECTION_PLUGINS: path.join(assets, 'connection'),
          ANSIBLE_IMAGE_EXECUTOR_TOKEN: TOKEN,
        },
      },
    );
    expect(output.trim().split('\n')).toEqual([
      "put AnsibleError the build container's executor failed: FileNotFoundError: [Errno 2] No such file or directory: '/nonexistent/folder/file'",
      // A read that fails half-way is an error, not a short file.
      "fetch AnsibleError the build container's executor failed: OSError: [Errno 5] Input/output error",
    ]);
  });

  it('will not start without a token', () => {
    const started = spawnSync(PYTHON, [path.join(assets, 'executor.py'), `${socket}.2`], {
      encoding: 'utf8',
      env: { ...process.env, ANSIBLE_IMAGE_EXECUTOR_TOKEN: '' },
    });
    expect(started.status).toBe(1);
    expect(started.stderr).toContain('ANSIBLE_IMAGE_EXECUTOR_TOKEN is not set');
    expect(existsSync(`${socket}.2`)).toBe(false);
  });

  it('runs modules for another interpreter, such as a virtual environment’s, the ordinary way', () => {
    // A virtual environment: a link to this very binary, and a pyvenv.cfg.
    const venv = path.join(scratch, 'venv');
    execFileSync('sh', [
      '-c',
      `mkdir -p '${venv}/bin' && ln -s ${PYTHON} '${venv}/bin/python' && : > '${venv}/pyvenv.cfg'`,
    ]);
    const check = (interpreter: string) =>
      execFileSync(
        PYTHON,
        [
          '-c',
          // protocol.py beside it on the path, as in the container.
          'import importlib.util, os, sys; sys.path.insert(0, os.path.dirname(sys.argv[1])); ' +
            's = importlib.util.spec_from_file_location("x", sys.argv[1]); ' +
            'm = importlib.util.module_from_spec(s); s.loader.exec_module(m); ' +
            `print(m.pipelined_module(["/bin/sh", "-c", "/bin/sh -c '%s && sleep 0'" % sys.argv[2]]))`,
          path.join(assets, 'executor.py'),
          interpreter,
        ],
        { encoding: 'utf8' },
      ).trim();
    expect(check(PYTHON)).toBe('True');
    expect(check(path.join(venv, 'bin', 'python'))).toBe('False');
  });

  it('makes the host unreachable, saying why, once it is gone', () => {
    const file = path.join(scratch, 'site.yml');
    writeFileSync(
      file,
      [
        '- hosts: all',
        '  gather_facts: false',
        '  tasks:',
        `    - command: kill ${readFileSync(`${socket}.pid`, 'utf8').trim()}`,
        '    - command: "true"',
        '',
      ].join('\n'),
    );
    const run = playbook(file);
    expect(run.status).not.toBe(0);
    expect(run.stdout).toMatch(/ok=1 +changed=1 +unreachable=1/);
    expect(run.stdout).toContain(`cannot reach the build container's executor at ${socket}`);
  });

  it('writes its own files through no link that another user put in their place', () => {
    // Root's files in the container, which a user with the runner's uid would have it append to.
    const shadow = path.join(scratch, 'shadow');
    writeFileSync(shadow, 'root:secret\n');
    const other = `${socket}.2`;
    for (const suffix of ['.log', '.pid']) symlinkSync(shadow, `${other}${suffix}`);
    execFileSync(PYTHON, [path.join(assets, 'executor.py'), other], {
      env: { ...process.env, ANSIBLE_IMAGE_EXECUTOR_TOKEN: TOKEN },
    });
    try {
      expect(readFileSync(shadow, 'utf8')).toBe('root:secret\n');
      for (const suffix of ['.log', '.pid'])
        expect(lstatSync(`${other}${suffix}`).isFile()).toBe(true);
    } finally {
      process.kill(Number(readFileSync(`${other}.pid`, 'utf8')));
    }
  });

  it('serves no client of the container but root, even one with the token', () => {
    // nobody stands for a user that the playbook made: it can reach the socket (the folder is
    // the runner's, whose uid it may share), and here it even has the token.
    chmodSync(scratch, 0o755);
    const file = path.join(scratch, 'site.yml');
    writeFileSync(file, '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: "true"\n');
    chmodSync(file, 0o644);
    const run = spawnSync(
      'runuser',
      ['-u', 'nobody', '--', PYTHON, '-c', CONNECT_AND_SEND, socket, TOKEN],
      { encoding: 'utf8' },
    );
    expect(run.stdout.trim(), run.stderr).toBe('closed');
    expect(readFileSync(`${socket}.log`, 'utf8')).toContain(
      'a client in the build container that is not root',
    );
  });

  it('sends nothing to a socket that another user serves in the executor’s place', () => {
    // A process with the runner's uid renamed the socket and listens at its path.
    chmodSync(scratch, 0o755);
    const impostor = path.join(scratch, 'impostor');
    mkdirSync(impostor, { mode: 0o777 });
    chmodSync(impostor, 0o777);
    const fake = path.join(impostor, 'executor.sock');
    const listener = spawn(
      'runuser',
      ['-u', 'nobody', '--', PYTHON, '-c', LISTEN_AND_RECORD, fake],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      execFileSync('sh', [
        '-c',
        `i=0; while [ ! -S '${fake}' ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done`,
      ]);
      const file = path.join(scratch, 'site.yml');
      writeFileSync(file, '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: "true"\n');
      const run = spawnSync(
        'ansible-playbook',
        ['-i', 'localhost,', '-c', 'ansible_image_executor', file],
        {
          encoding: 'utf8',
          env: {
            ...process.env,
            ANSIBLE_CONNECTION_PLUGINS: path.join(assets, 'connection'),
            ANSIBLE_IMAGE_EXECUTOR_SOCKET: fake,
            ANSIBLE_IMAGE_EXECUTOR_TOKEN: TOKEN,
            ANSIBLE_PIPELINING: 'True',
            ANSIBLE_PYTHON_INTERPRETER: PYTHON,
            ANSIBLE_NOCOLOR: '1',
          },
        },
      );
      expect(run.status).not.toBe(0);
      expect(run.stdout).toMatch(
        /is served by uid 65534, not by the executor as the build container's root/,
      );
    } finally {
      listener.kill();
    }
    const recorded = readFileSync(path.join(impostor, 'recorded'), 'utf8');
    expect(recorded).not.toContain(TOKEN);
    expect(recorded).toBe('');
  });
});

/** Connects to argv[1] as the plugin would, with the token in argv[2]; prints how it ended. */
const CONNECT_AND_SEND = `
import json, socket, struct, sys
conn = socket.socket(socket.AF_UNIX)
conn.connect(sys.argv[1])
header = json.dumps({"op": "exec", "argv": ["/bin/true"], "size": 0, "token": sys.argv[2]}).encode()
# The executor may close a refused client before its request is even sent: a broken pipe.
try:
    conn.sendall(struct.pack("!I", len(header)) + header)
    answer = conn.recv(4)
except (BrokenPipeError, ConnectionResetError):
    answer = b""
print("answered" if answer else "closed")
`;

/** Listens at argv[1] and writes whatever a client sends to "recorded" next to it. */
const LISTEN_AND_RECORD = `
import os, socket, sys
path = sys.argv[1]
listener = socket.socket(socket.AF_UNIX)
listener.bind(path)
os.chmod(path, 0o666)
listener.listen(4)
record = os.path.join(os.path.dirname(path), "recorded")
open(record, "wb").close()
while True:
    conn, _ = listener.accept()
    conn.settimeout(2)
    try:
        data = conn.recv(65536)
    except OSError:
        data = b""
    with open(record, "ab") as out:
        out.write(data)
    conn.close()
`;
