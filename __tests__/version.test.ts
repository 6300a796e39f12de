import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ACTION_VERSION } from '../src/version.js';

it('is the version in package.json', () => {
  const manifest = JSON.parse(
    readFileSync(path.resolve(import.meta.dirname, '..', 'package.json'), 'utf8'),
  ) as { version: string };
  expect(ACTION_VERSION).toBe(manifest.version);
});
