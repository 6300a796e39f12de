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

/** A zip of executable files, as HashiCorp's release zips hold their binaries. */
function zipOf(files: Record<string, string>): Buffer {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'standin-zip-'));
  try {
    const names = Object.entries(files).map(([name, text]) => {
      writeFileSync(path.join(dir, name), text);
      chmodSync(path.join(dir, name), 0o755);
      return path.join(dir, name);
    });
    execFileSync('zip', ['-q', '-j', path.join(dir, 'release.zip'), ...names]);
    return readFileSync(path.join(dir, 'release.zip'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A Packer release zip whose `packer` is a stand-in that runs the system's Packer. */
export function packerZip(): Buffer {
  return zipOf({ packer: '#!/bin/sh\nexec /usr/bin/packer "$@"\n' });
}

/**
 * A stand-in for a Packer from 1.10 on, which no longer holds the docker and ansible plugins:
 * `plugins install --path BIN SOURCE` does what Packer does (asks BIN to `describe` itself and
 * copies it under PACKER_PLUGIN_PATH, named by its version and API), and `build` refuses to
 * start, as Packer would, unless both plugins are installed there. Then the system's Packer.
 */
export function modernPackerScript(version: string): string {
  return `#!/bin/sh
set -eu
case "\${1:-}" in
version) echo "Packer v${version}"; exit 0 ;;
plugins)
  if [ "$#" -ne 5 ] || [ "$2" != install ] || [ "$3" != --path ]; then
    echo "stand-in packer: unexpected arguments: $*" >&2; exit 2
  fi
  binary=$4 source=$5
  case "$source" in github.com/hashicorp/*) ;; *) echo "Error: bad source $source" >&2; exit 1 ;; esac
  described=$("$binary" describe) || { echo "Error: $binary does not describe itself" >&2; exit 1; }
  plugin_version=$(printf '%s' "$described" | sed -n 's/.*"version": *"\\([^"]*\\)".*/\\1/p')
  api=$(printf '%s' "$described" | sed -n 's/.*"api_version": *"\\([^"]*\\)".*/\\1/p')
  target="$PACKER_PLUGIN_PATH/$source/packer-plugin-\${source##*/}_v\${plugin_version}_\${api}_linux_amd64"
  mkdir -p "\${target%/*}"
  cp "$binary" "$target"
  sha256sum "$target" | cut -d' ' -f1 > "\${target}_SHA256SUM"
  echo "Successfully installed plugin $source from $binary to $target"
  exit 0 ;;
build)
  for plugin in docker ansible; do
    if ! ls "\${PACKER_PLUGIN_PATH:?}/github.com/hashicorp/$plugin/packer-plugin-\${plugin}_v"*_x5.0_linux_amd64 >/dev/null 2>&1; then
      echo "Error: Missing plugins: github.com/hashicorp/$plugin" >&2; exit 1
    fi
  done ;;
esac
exec /usr/bin/packer "$@"
`;
}

export function modernPackerZip(version: string): Buffer {
  return zipOf({ packer: modernPackerScript(version) });
}

/** A plugin release zip as the release site has it: one binary that can describe itself. */
export function pluginZip(plugin: string, version: string): Buffer {
  const describe = JSON.stringify({ version, sdk_version: '0.6.4', api_version: 'x5.0' });
  return zipOf({
    [`packer-plugin-${plugin}_v${version}_x5.0_linux_amd64`]: `#!/bin/sh\n[ "$1" = describe ] && echo '${describe}'\n`,
  });
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
