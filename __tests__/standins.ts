import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as openpgp from 'openpgp';

/** A tiny HTTP server of our own: fixed answers by path, every request logged. */
export class StandInServer {
  readonly requests: string[] = [];
  private readonly routes = new Map<string, Buffer | string>();
  private readonly failures = new Map<string, number[]>();
  private readonly server = http.createServer((request, response) => {
    const url = (request.url ?? '/').split('?')[0];
    this.requests.push(url);
    const status = this.failures.get(url)?.shift();
    if (status) {
      response.writeHead(status).end(`stand-in failure ${status}`);
      return;
    }
    const body = this.routes.get(url);
    if (body === undefined) response.writeHead(404).end('not found');
    else
      response
        .writeHead(200, {
          'Content-Type': url.endsWith('/') ? 'text/html' : 'application/octet-stream',
        })
        .end(body);
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  serve(route: string, body: Buffer | string): void {
    this.routes.set(route, body);
  }

  /** The next requests of a path get these statuses, then the real answer. */
  failNext(route: string, ...statuses: number[]): void {
    this.failures.set(route, statuses);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export interface SigningKey {
  publicKey: string;
  privateKey: openpgp.PrivateKey;
}

export async function signingKey(name: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await openpgp.generateKey({
    userIDs: [{ name }],
    format: 'object',
  });
  return { publicKey: publicKey.armor(), privateKey };
}

export async function detachedSignature(data: Buffer, key: SigningKey): Promise<Buffer> {
  const signature = await openpgp.sign({
    message: await openpgp.createMessage({ binary: data }),
    signingKeys: key.privateKey,
    detached: true,
    format: 'binary',
  });
  return Buffer.from(signature as Uint8Array);
}

/** A Packer release zip whose `packer` is a stand-in that runs the system's Packer. */
export function packerZip(): Buffer {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'standin-packer-'));
  try {
    const packer = path.join(dir, 'packer');
    writeFileSync(packer, '#!/bin/sh\nexec /usr/bin/packer "$@"\n');
    chmodSync(packer, 0o755);
    execFileSync('zip', ['-q', '-j', path.join(dir, 'packer.zip'), packer]);
    return readFileSync(path.join(dir, 'packer.zip'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A stand-in `ansible-core` wheel: its ansible-playbook and ansible-galaxy run the system's. */
export function ansibleCoreWheel(version: string): { name: string; data: Buffer } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'standin-wheel-'));
  const name = `ansible_core-${version}-py3-none-any.whl`;
  try {
    const script = `
import zipfile, sys
out, version = sys.argv[1], sys.argv[2]
info = f"ansible_core-{version}.dist-info"
module = '''import os, sys
def system(tool):
    os.execv(f"/usr/bin/{tool}", [tool] + sys.argv[1:])
def playbook():
    system("ansible-playbook")
def galaxy():
    system("ansible-galaxy")
'''
files = {
    "ansible_core_standin.py": module,
    f"{info}/METADATA": f"Metadata-Version: 2.1\\nName: ansible-core\\nVersion: {version}\\n",
    f"{info}/WHEEL": "Wheel-Version: 1.0\\nGenerator: itg\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
    f"{info}/entry_points.txt": "[console_scripts]\\nansible-playbook = ansible_core_standin:playbook\\nansible-galaxy = ansible_core_standin:galaxy\\n",
}
with zipfile.ZipFile(out, "w") as wheel:
    for path, text in files.items():
        wheel.writestr(path, text)
    wheel.writestr(f"{info}/RECORD", "".join(f"{p},,\\n" for p in list(files) + [f"{info}/RECORD"]))
`;
    execFileSync('python3', ['-c', script, path.join(dir, name), version]);
    return { name, data: readFileSync(path.join(dir, name)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
