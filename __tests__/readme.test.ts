import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, typed by its use here
import { readmeWithTables } from '../scripts/readme-tables.mjs';

const root = path.resolve(import.meta.dirname, '..');

it('has, between its markers, the input and output tables that action.yml gives (node scripts/readme-tables.mjs --write)', async () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  expect(readme).toBe(await readmeWithTables(readme));
});
