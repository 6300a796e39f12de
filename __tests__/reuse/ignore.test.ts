import { describe, expect, it } from 'vitest';
import {
  dockerIgnored,
  gitIgnored,
  parseDockerignore,
  parseGitignore,
} from '../../src/reuse/ignore.js';

describe('gitignore rules', () => {
  // [.gitignore at the root, path, is a folder, ignored]
  const cases: [string, string, boolean, boolean][] = [
    ['foo', 'foo', false, true],
    ['foo', 'a/b/foo', false, true],
    ['foo', 'a/foo', true, true],
    ['foo', 'food', false, false],
    ['/foo', 'foo', false, true],
    ['/foo', 'a/foo', false, false],
    ['foo/', 'foo', true, true],
    ['foo/', 'a/foo', true, true],
    ['foo/', 'foo', false, false],
    ['a/b', 'a/b', false, true],
    ['a/b', 'x/a/b', false, false],
    ['*.log', 'x.log', false, true],
    ['*.log', 'd/e/x.log', false, true],
    ['*.log', 'x.logs', false, false],
    ['*.log\n!keep.log', 'keep.log', false, false],
    ['*.log\n!keep.log', 'other.log', false, true],
    ['!keep.log\n*.log', 'keep.log', false, true],
    ['**/build', 'build', true, true],
    ['**/build', 'a/b/build', true, true],
    ['a/**/b', 'a/b', false, true],
    ['a/**/b', 'a/x/y/b', false, true],
    ['a/**/b', 'x/a/b', false, false],
    ['logs/**', 'logs/x', false, true],
    ['logs/**', 'logs/a/b', false, true],
    ['logs/**', 'logs', true, false],
    ['a**b', 'axyb', false, true],
    ['a**b', 'a/b', false, false],
    ['d?c', 'doc', false, true],
    ['d?c', 'd/c', false, false],
    ['[abc].txt', 'b.txt', false, true],
    ['[abc].txt', 'd.txt', false, false],
    ['[!abc].txt', 'd.txt', false, true],
    ['[!abc].txt', 'a.txt', false, false],
    ['[a-c]x', 'bx', false, true],
    ['[', '[', false, false],
    ['[\n!x', 'x', false, false],
    ['# comment', '# comment', false, false],
    ['\\#hash', '#hash', false, true],
    ['\\!bang', '!bang', false, true],
    ['trailing   ', 'trailing', false, true],
    ['space\\ ', 'space ', false, true],
    ['crlf\r\nnext\r\n', 'crlf', false, true],
    ['a.b', 'axb', false, false],
    ['(x)+', '(x)+', false, true],
  ];
  it.each(cases)('%j against %j (folder: %s) → ignored: %s', (text, file, isDirectory, ignored) => {
    expect(gitIgnored(parseGitignore(text, ''), file, isDirectory)).toBe(ignored);
  });

  it('reads a nested file relative to its folder, and lets it override the root', () => {
    const rules = [
      ...parseGitignore('*.md\n', ''),
      ...parseGitignore('/only-here\n*.tmp\n!README.md\n', 'sub/'),
    ];
    expect(gitIgnored(rules, 'README.md', false)).toBe(true);
    expect(gitIgnored(rules, 'sub/README.md', false)).toBe(false);
    expect(gitIgnored(rules, 'sub/only-here', false)).toBe(true);
    expect(gitIgnored(rules, 'sub/a/only-here', false)).toBe(false);
    expect(gitIgnored(rules, 'only-here', false)).toBe(false);
    expect(gitIgnored(rules, 'sub/a/b.tmp', false)).toBe(true);
    expect(gitIgnored(rules, 'b.tmp', false)).toBe(false);
  });
});

describe('dockerignore rules', () => {
  // [.dockerignore, path, excluded]
  const cases: [string, string, boolean][] = [
    ['*\n!src', 'x', true],
    ['*\n!src', 'src', false],
    ['*\n!src', 'src/a/b', false],
    ['node_modules', 'node_modules/x/y', true],
    ['node_modules', 'a/node_modules', false],
    ['**/*.pyc', 'a/b/c.pyc', true],
    ['**/*.pyc', 'c.pyc', true],
    ['/build/', 'build/x', true],
    ['/build/', 'build', true],
    ['./tmp', 'tmp', true],
    ['a//b/../c', 'a/c', true],
    ['!src/a\nsrc', 'src/a', true],
    ['src\n!src/a', 'src/a', false],
    ['src\n!src/a', 'src/b', true],
    ['src/*.tmp', 'src/x.tmp', true],
    ['src/*.tmp', 'src/d/x.tmp', false],
    ['# comment', '# comment', false],
    ['  spaced  ', 'spaced', true],
    ['\uFEFFbom', 'bom', true],
    ['[^a]x', 'bx', true],
    ['[^a]x', 'ax', false],
  ];
  it.each(cases)('%j against %j → excluded: %s', (text, file, excluded) => {
    expect(dockerIgnored(parseDockerignore(text), file)).toBe(excluded);
  });
});
