import path from 'node:path';
import { fileURLToPath } from 'node:url';

// ssh2 (docker-modem's SSH transport) ships Emscripten code that reads the CommonJS
// `__dirname`, which an ES-module bundle does not define. It must exist before that loads.
const globals = globalThis as { __dirname?: string; __filename?: string };
globals.__filename ??= fileURLToPath(import.meta.url);
globals.__dirname ??= path.dirname(globals.__filename);
