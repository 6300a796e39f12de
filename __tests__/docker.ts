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
