// Lints and format-checks the Python that runs in the build container, in Ansible and in the
// set-up, with ruff (its WebAssembly build from npm: no PyPI here).
// usage: node scripts/lint-python.mjs [--fix]
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Workspace } from '@astral-sh/ruff-wasm-nodejs';

const root = path.resolve(import.meta.dirname, '..');
const folders = ['src', '__tests__', 'bench', 'scripts'];
const fix = process.argv.includes('--fix');

const pythonFiles = (folder) =>
  readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.py'))
    .map((entry) => path.join(entry.parentPath, entry.name));

// Prettier's line length for the formatter, which leaves long strings as they are (so no
// E501); Ansible's plugins must set __metaclass__ before their imports (so no E402).
const workspace = new Workspace({
  'line-length': 100,
  lint: { select: ['E', 'F', 'W'], ignore: ['E501', 'E402'] },
});
let problems = 0;
for (const file of folders.flatMap(pythonFiles)) {
  const source = readFileSync(file, 'utf8');
  const name = path.relative(root, file);
  for (const diagnostic of workspace.check(source)) {
    problems++;
    const { row, column } = diagnostic.start_location;
    console.log(`${name}:${row}:${column}: ${diagnostic.code} ${diagnostic.message}`);
  }
  const formatted = workspace.format(source);
  if (formatted !== source) {
    if (fix) writeFileSync(file, formatted);
    else {
      problems++;
      console.log(
        `${name}: not formatted as ruff format would (node scripts/lint-python.mjs --fix)`,
      );
    }
  }
}
if (problems) process.exit(1);
