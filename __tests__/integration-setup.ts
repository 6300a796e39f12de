import { readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Vitest global set-up: after the run, the scratch folders (itg-*) that this run made go. */
export default function setup(): () => void {
  const started = Date.now();
  return () => {
    for (const entry of readdirSync(os.tmpdir())) {
      if (!entry.startsWith('itg-')) continue;
      const folder = path.join(os.tmpdir(), entry);
      try {
        const stats = statSync(folder);
        if ((stats.birthtimeMs || stats.mtimeMs) >= started)
          rmSync(folder, { recursive: true, force: true });
      } catch {
        // a mount a crashed test left behind: reported by that test, not here
      }
    }
  };
}
