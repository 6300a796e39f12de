import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { workspaceFiles } from '../../src/reuse/files.js';
import { inputKey } from '../../src/reuse/input-key.js';

let root: string;
let outside: string;
const write = (file: string, content: string) => {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), content);
};
const key = async () =>
  inputKey({
    files: await workspaceFiles(root),
    galaxy: '',
    inputs: {},
    base: 'sha256:base',
    platform: 'linux/amd64',
    tools: {},
    action: '0.1.0',
  }).key;
const paths = async () => (await workspaceFiles(root)).map(([file]) => file);

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'input-key-'));
  outside = mkdtempSync(path.join(os.tmpdir(), 'input-key-outside-'));
  write('site.yml', '- hosts: all\n');
  write('roles/web/tasks/main.yml', '- debug: msg=hi\n');
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('the workspace files', () => {
  it('are listed sorted by path, with the content’s SHA-256 and the x bit', async () => {
    write('run.sh', 'echo\n');
    chmodSync(path.join(root, 'run.sh'), 0o755);
    expect(await workspaceFiles(root)).toEqual([
      ['roles/web/tasks/main.yml', sha256('- debug: msg=hi\n'), false],
      ['run.sh', sha256('echo\n'), true],
      ['site.yml', sha256('- hosts: all\n'), false],
    ]);
  });

  it('give the same key when only mtimes change, another when content or the x bit does', async () => {
    const first = await key();
    const later = new Date(Date.now() + 3600_000);
    utimesSync(path.join(root, 'site.yml'), later, later);
    utimesSync(path.join(root, 'roles'), later, later);
    expect(await key()).toBe(first);
    write('site.yml', '- hosts: all \n');
    const edited = await key();
    expect(edited).not.toBe(first);
    chmodSync(path.join(root, 'site.yml'), 0o744);
    expect(await key()).not.toBe(edited);
  });

  it('leave out .git at any level, whether a folder or a worktree’s file', async () => {
    write('.git/HEAD', 'ref: refs/heads/main\n');
    write('vendor/.git', 'gitdir: ../.git/modules/vendor\n');
    const first = await key();
    write('.git/HEAD', 'ref: refs/heads/other\n');
    write('.git/objects/ab/cdef', 'blob');
    write('vendor/.git', 'gitdir: elsewhere\n');
    expect(await key()).toBe(first);
    expect(await paths()).toEqual(['roles/web/tasks/main.yml', 'site.yml']);
  });

  it('leave out what .gitignore files at every level and a root .dockerignore exclude', async () => {
    write('.gitignore', '*.retry\n/out/\n');
    write('roles/.gitignore', 'secrets.yml\n!keep.retry\n');
    write('.dockerignore', 'docs\n*.bak\n');
    write('x.retry', '1');
    write('roles/keep.retry', '1');
    write('roles/web/secrets.yml', 'a: 1\n');
    write('secrets.yml', 'b: 2\n');
    write('out/image.tar', 'tar');
    write('docs/index.md', '# docs\n');
    write('site.yml.bak', 'old');
    expect(await paths()).toEqual([
      '.dockerignore',
      '.gitignore',
      'roles/.gitignore',
      'roles/keep.retry',
      'roles/web/tasks/main.yml',
      'secrets.yml',
      'site.yml',
    ]);
    const first = await key();
    write('x.retry', '2');
    write('roles/web/secrets.yml', 'a: 2\n');
    write('docs/index.md', '# other\n');
    write('out/new', 'new');
    expect(await key()).toBe(first);
  });

  it('bring back, with a .dockerignore `!` line, files inside a folder it leaves out', async () => {
    write('.dockerignore', '*\n!roles\n!site.yml\n');
    write('notes.txt', 'x');
    write('tmp/a', 'x');
    expect(await paths()).toEqual(['roles/web/tasks/main.yml', 'site.yml']);
  });

  it('hash a link as its target’s text, never following it out of the folder', async () => {
    writeFileSync(path.join(outside, 'secret'), 'one');
    mkdirSync(path.join(outside, 'tree'));
    writeFileSync(path.join(outside, 'tree', 'file'), 'x');
    symlinkSync(path.join(outside, 'secret'), path.join(root, 'file-link'));
    symlinkSync(path.join(outside, 'tree'), path.join(root, 'folder-link'));
    symlinkSync(path.join(outside, 'gone'), path.join(root, 'dangling'));
    writeFileSync(path.join(outside, '.gitignore'), '*\n');
    symlinkSync(path.join(outside, '.gitignore'), path.join(root, '.gitignore'));
    const files = await workspaceFiles(root);
    expect(files.map(([file]) => file)).toEqual([
      '.gitignore',
      'dangling',
      'file-link',
      'folder-link',
      'roles/web/tasks/main.yml',
      'site.yml',
    ]);
    expect(files.find(([file]) => file === 'file-link')?.[1]).not.toBe(sha256('one'));
    const first = await key();
    writeFileSync(path.join(outside, 'secret'), 'two');
    writeFileSync(path.join(outside, 'tree', 'file'), 'y');
    expect(await key()).toBe(first);
    rmSync(path.join(root, 'file-link'));
    symlinkSync(path.join(outside, 'tree', 'file'), path.join(root, 'file-link'));
    expect(await key()).not.toBe(first);
  });

  it('fail, naming the path, on a FIFO, which no one can hash', async () => {
    const fifo = path.join(root, 'roles', 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    await expect(workspaceFiles(root)).rejects.toThrow(
      `${fifo} is neither a file, a folder nor a link`,
    );
  });

  it('fail, naming the path, with the cause, when a file cannot be read', async () => {
    // Root, who runs these tests, reads a mode-000 file; so the failure comes through the seam.
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const failure = workspaceFiles(root, {
      hashFile: (file) => {
        if (file.endsWith('main.yml')) throw denied;
        return { digest: sha256(file), executable: false };
      },
    });
    await expect(failure).rejects.toThrow(
      `Cannot read ${path.join(root, 'roles/web/tasks/main.yml')} for the input key`,
    );
    await expect(failure).rejects.toHaveProperty('cause', denied);
  });
});
