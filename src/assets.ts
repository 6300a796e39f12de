import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Files we hand to other programs (the container script, the Ansible callback, the executor's
 * Python). They sit in `assets/` next to the bundle: scripts/copy-assets.mjs copies src/assets/
 * there, and each feature folder's files into a folder of that name (executor/, say). Joined at
 * run time so that the bundler leaves the path alone.
 */
export function assetPath(...names: string[]): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return [here, 'assets', ...names].join(path.sep);
}
