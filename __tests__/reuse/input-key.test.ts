import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FileEntry } from '../../src/reuse/files.js';
import {
  MANIFEST_LABEL_LIMIT,
  explainMiss,
  inputKey,
  keyManifest,
  readManifest,
  type KeySources,
} from '../../src/reuse/input-key.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const sources: KeySources = {
  files: [
    ['roles/web/tasks/main.yml', sha256('tasks'), false],
    ['site.yml', sha256('play'), false],
  ],
  galaxy: sha256('collections'),
  inputs: {
    'extra-vars': { port: 80, name: 'web' },
    labels: { team: 'a' },
    'cache-key': 'v1',
  },
  base: `sha256:${sha256('base')}`,
  platform: 'linux/amd64',
  tools: { packer: '1.11.2', 'ansible-core': '2.17.0' },
  action: '0.1.0',
};
const manifestOf = (s: KeySources) => keyManifest(s.files, inputKey(s).parts).manifest;

describe('the input key', () => {
  it('is a sha256 of the parts, blind to the order of keys in an input’s value', () => {
    const { key, parts } = inputKey(sources);
    expect(key).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(Object.keys(parts.inputs).sort()).toEqual(['cache-key', 'extra-vars', 'labels']);
    const reordered = {
      ...sources,
      inputs: { ...sources.inputs, 'extra-vars': { name: 'web', port: 80 } },
    };
    expect(inputKey(reordered).key).toBe(key);
    const unset = { ...sources, inputs: { ...sources.inputs, changes: undefined } };
    expect(inputKey(unset).key).toBe(key);
  });

  it.each<[string, Partial<KeySources>]>([
    ['a file', { files: [sources.files[0], ['site.yml', sha256('play2'), false]] }],
    ['an x bit', { files: [sources.files[0], ['site.yml', sha256('play'), true]] }],
    ['Galaxy content', { galaxy: sha256('other') }],
    ['an input', { inputs: { ...sources.inputs, labels: { team: 'b' } } }],
    ['the cache-key', { inputs: { ...sources.inputs, 'cache-key': 'v2' } }],
    ['the base', { base: `sha256:${sha256('base2')}` }],
    ['the platform', { platform: 'linux/arm64' }],
    ['a tool', { tools: { ...sources.tools, packer: '1.11.3' } }],
    ['the action', { action: '0.2.0' }],
  ])('changes with %s', (_what, change) => {
    expect(inputKey({ ...sources, ...change }).key).not.toBe(inputKey(sources).key);
  });
});

describe('the manifest', () => {
  it('round-trips through its label, with short digests per part and per file', () => {
    const { manifest, label } = keyManifest(sources.files, inputKey(sources).parts);
    expect(readManifest(label)).toEqual(manifest);
    expect(manifest.depth).toBeUndefined();
    expect(manifest.files).toEqual({
      'roles/web/tasks/main.yml': sha256('tasks').slice(0, 12),
      'site.yml': sha256('play').slice(0, 12),
    });
    expect(manifest.parts.inputs['extra-vars']).toMatch(/^[0-9a-f]{12}$/);
    expect(manifest.parts.base).toBe(sources.base);
  });

  it('keeps only folder digests, and says so, when per-file ones would not fit', () => {
    const files: FileEntry[] = Array.from({ length: 20_000 }, (_, i) => [
      `roles/role-${i % 200}/files/file-${i}.txt`,
      sha256(String(i)),
      false,
    ]);
    const { manifest, label } = keyManifest(files, inputKey({ ...sources, files }).parts);
    expect(label.length).toBeLessThanOrEqual(MANIFEST_LABEL_LIMIT);
    expect(manifest.depth).toBe(3);
    expect(Object.keys(manifest.files)).toHaveLength(200);
    expect(manifest.files['roles/role-7/files']).toMatch(/^[0-9a-f]{12}$/);

    const edited = files.map((entry, i): FileEntry =>
      i === 7 ? [entry[0], sha256('x'), false] : entry,
    );
    const current = manifestOf({ ...sources, files: edited.slice(0, 10) });
    expect(explainMiss(manifest, current)[0]).toMatch(/^folders \(files grouped to depth 3\): /);
  });

  it('refuses a label that is not one', () => {
    expect(() => readManifest('not base64 deflate')).toThrow('does not decode');
  });
});

describe('explainMiss', () => {
  const previous = manifestOf(sources);

  it('says nothing when nothing changed', () => {
    expect(explainMiss(previous, manifestOf(sources))).toEqual([]);
  });

  it('says in one line per part what changed', () => {
    const current = manifestOf({
      files: [
        ['constructor', sha256('new'), false],
        ['site.yml', sha256('play2'), true],
      ],
      galaxy: sha256('other'),
      inputs: {
        'extra-vars': { port: 81, name: 'web' },
        labels: { team: 'a' },
        changes: ['USER app'],
      },
      base: 'sha256:feed',
      platform: 'linux/arm64',
      tools: { packer: '1.12.0', 'ansible-core': '2.17.0', 'docker-plugin': '1.1.1' },
      action: '0.2.0',
    });
    expect(explainMiss(previous, current)).toEqual([
      'files: constructor (added), roles/web/tasks/main.yml (removed), site.yml',
      'Galaxy requirements: the installed content changed',
      'inputs: cache-key, changes, extra-vars',
      `base image: ${sources.base} → sha256:feed`,
      'platform: linux/amd64 → linux/arm64',
      'tool versions: action 0.1.0 → 0.2.0, docker-plugin (none) → 1.1.1, packer 1.11.2 → 1.12.0',
    ]);
  });

  it('caps the paths it lists', () => {
    const files: FileEntry[] = Array.from({ length: 25 }, (_, i) => [
      `f${String(i).padStart(2, '0')}`,
      sha256(String(i)),
      false,
    ]);
    const [line] = explainMiss(previous, manifestOf({ ...sources, files }));
    expect(line).toMatch(/^files: f00 \(added\), .*, f09 \(added\) and 17 more$/);
  });

  it('tells a change of scheme from a change of inputs', () => {
    expect(explainMiss({ ...previous, scheme: 0 }, manifestOf(sources))).toEqual([
      'key scheme: the earlier image was keyed by scheme 0, this run by 1',
    ]);
  });
});
