// The bundle needs the files that we hand to other programs next to dist/index.js.
import { cpSync, rmSync } from 'node:fs';

rmSync('dist/assets', { recursive: true, force: true });
cpSync('src/assets', 'dist/assets', { recursive: true });
// What a feature's folder hands to the build container.
cpSync('src/services/systemctl.py', 'dist/assets/systemctl.py');
