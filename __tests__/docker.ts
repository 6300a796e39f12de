import { execFileSync } from 'node:child_process';

/** The docker CLI, for checking what the action built the way a user would. */
export function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function inspect<T = unknown>(reference: string, format = '{{json .}}'): T {
  return JSON.parse(docker('image', 'inspect', '--format', format, reference)) as T;
}

export function containerExists(name: string): boolean {
  return docker('ps', '-a', '--filter', `name=^/${name}$`, '--format', '{{.Names}}').trim() !== '';
}

export function removeImages(...references: string[]): void {
  for (const reference of references) {
    try {
      docker('image', 'rm', '--force', reference);
    } catch {
      // already gone
    }
  }
}

/**
 * An image of `from` with Debian packages installed, made once and kept between runs like
 * the debootstrap base images: it takes a while, and needs the mirror (the host's network).
 */
export function imageWith(tag: string, from: string, packages: string[]): void {
  imageFrom(
    tag,
    from,
    `apt-get -qq update && apt-get -qq install -y --no-install-recommends ${packages.join(' ')} >/dev/null && apt-get clean && rm -rf /var/lib/apt/lists/*`,
    ['CMD ["bash"]'],
  );
}

/** An image of `from` after a shell script ran in it, with the host's network; made once. */
export function imageFrom(tag: string, from: string, script: string, changes: string[] = []): void {
  try {
    inspect(tag, '{{json .Id}}');
    return;
  } catch {
    // not made yet
  }
  const name = `itg-make-${tag.replace(/\W/g, '-')}-${process.pid}`;
  try {
    docker('run', '--network', 'host', '--name', name, from, 'sh', '-c', script);
    docker('commit', ...changes.flatMap((change) => ['--change', change]), name, tag);
  } finally {
    docker('rm', '--force', name);
  }
}
