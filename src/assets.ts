import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Files we hand to other programs (the container script, the Ansible callback). They sit in
 * `assets/` next to this module: in src/ for the tests, copied into dist/ by
 * scripts/copy-assets.mjs. Joined at run time so that the bundler leaves the path alone.
 */
export function assetPath(name: string): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return [here, 'assets', name].join(path.sep);
}
