import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  DOCKER_CONNECTION,
  EXECUTOR_CONNECTION,
  EXECUTOR_MOUNT,
  EXECUTOR_SOCKET,
  EXECUTOR_SOCKET_VARIABLE,
  EXECUTOR_TOKEN_VARIABLE,
  SERVER,
} from '../../src/executor/executor.js';
import { PACKER_CONTAINER_DIR } from '../../src/packer/template.js';

// Python cannot import the TypeScript side's names, nor Ansible read a plugin's options from
// anywhere but its own text: each side spells them, and these tests hold them equal.
const folder = path.resolve(import.meta.dirname, '..', '..', 'src', 'executor');
const script = readFileSync(
  path.resolve(import.meta.dirname, '..', '..', 'src', 'assets', 'container.sh'),
  'utf8',
);

/** A plugin's DOCUMENTATION, and the transport that its class names. */
function plugin(name: string) {
  const source = readFileSync(path.join(folder, 'connection', `${name}.py`), 'utf8');
  return {
    documentation: parse(/^DOCUMENTATION = """\n([\s\S]*?)"""$/m.exec(source)?.[1] ?? ''),
    transport: /^ {4}transport = "(\w+)"$/m.exec(source)?.[1],
  };
}

describe('the executor’s names', () => {
  it('are protocol.py’s', () => {
    const protocol = JSON.parse(
      execFileSync(
        '/usr/bin/python3',
        [
          '-c',
          'import json, sys; sys.path.insert(0, sys.argv[1]); import protocol; ' +
            'print(json.dumps({n: getattr(protocol, n) for n in sys.argv[2:]}))',
          folder,
          'MOUNT',
          'SOCKET',
          'SOCKET_VARIABLE',
          'TOKEN_VARIABLE',
        ],
        { encoding: 'utf8' },
      ),
    );
    expect(protocol).toEqual({
      MOUNT: EXECUTOR_MOUNT,
      SOCKET: EXECUTOR_SOCKET,
      SOCKET_VARIABLE: EXECUTOR_SOCKET_VARIABLE,
      TOKEN_VARIABLE: EXECUTOR_TOKEN_VARIABLE,
    });
  });

  it('are the connection plugins’, whose options read the socket and token variables', () => {
    for (const name of [EXECUTOR_CONNECTION, DOCKER_CONNECTION]) {
      const { documentation, transport } = plugin(name);
      expect([documentation.name, transport]).toEqual([name, name]);
    }
    const { options } = plugin(EXECUTOR_CONNECTION).documentation;
    expect(options.socket.env).toEqual([{ name: EXECUTOR_SOCKET_VARIABLE }]);
    expect(options.token.env).toEqual([{ name: EXECUTOR_TOKEN_VARIABLE }]);
  });

  it('are the container script’s', () => {
    expect(script).toContain(`unset ${EXECUTOR_TOKEN_VARIABLE}\n`);
    expect(script).toContain(`${EXECUTOR_TOKEN_VARIABLE}="$ansible_image_executor_token_"`);
    expect(script).toContain(`"$python" "$shared/${SERVER}" "$socket" "$python"`);
  });

  it('put the socket inside Packer’s folder, so that its mount point stays out of the image', () => {
    expect(path.posix.dirname(EXECUTOR_MOUNT)).toBe(PACKER_CONTAINER_DIR);
  });
});
