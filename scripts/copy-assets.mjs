// The bundle needs the files that we hand to other programs next to dist/index.js.
import { cpSync, rmSync } from 'node:fs';

rmSync('dist/assets', { recursive: true, force: true });
cpSync('src/assets', 'dist/assets', { recursive: true });
// What a feature's folder hands to the build container.
cpSync('src/services/systemctl.py', 'dist/assets/systemctl.py');
// Feature folders keep their layout; their TypeScript is in the bundle already.
for (const feature of ['executor', 'outside-python'])
  cpSync(`src/${feature}`, `dist/assets/${feature}`, {
    recursive: true,
    filter: (source) => !source.endsWith('.ts'),
  });
