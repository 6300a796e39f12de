import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ANSWER_FILE,
  OUTSIDE_PYTHON_FILE,
  PYTHON_MOUNT,
  PythonCache,
  REQUEST_FILE,
  treeDigest,
} from '../../src/outside-python/cache.js';
import { unpackArguments } from '../../src/outside-python/unpack.js';
import { PACKER_CONTAINER_DIR } from '../../src/packer/template.js';

describe('the Python kept outside images', () => {
  it('has a digest that sees every change, a link’s target included, and follows no link', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'tree-digest-'));
    try {
      mkdirSync(path.join(root, 'lib'));
      writeFileSync(path.join(root, 'lib', 'os.py'), 'import sys\n');
      symlinkSync('lib/os.py', path.join(root, 'link'));
      const digests = async () =>
        [await treeDigest(root, 'content'), await treeDigest(root, 'metadata')] as const;
      const first = await digests();
      expect(await digests()).toEqual(first);
      writeFileSync(path.join(root, 'lib', 'os.py'), 'import sys \n');
      const edited = await digests();
      expect(edited[0]).not.toBe(first[0]);
      expect(edited[1]).not.toBe(first[1]);
      rmSync(path.join(root, 'link'));
      symlinkSync('/etc/passwd', path.join(root, 'link'));
      const relinked = await digests();
      expect(relinked[0]).not.toBe(edited[0]);
      expect(relinked[1]).not.toBe(edited[1]);
      chmodSync(path.join(root, 'lib', 'os.py'), 0o777);
      const moded = await digests();
      expect(moded[0]).not.toBe(relinked[0]);
      // Rewritten with the same bytes: the content is the same, the metadata is not.
      writeFileSync(path.join(root, 'lib', 'os.py'), 'import sys \n');
      const rewritten = await digests();
      expect(rewritten[0]).toBe(moded[0]);
      expect(rewritten[1]).not.toBe(moded[1]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('is unpacked by a container of the base image, as root, from the script on stdin', () => {
    expect(
      unpackArguments({
        name: 'ansible-image-1-python',
        baseImageId: 'sha256:base',
        network: 'host',
        directory: '/cache/python/x',
        mount: '/packer-files/python',
        files: '/action/dist/assets/outside-python',
      }),
    ).toEqual([
      'run',
      '--rm',
      '-i',
      '--name',
      'ansible-image-1-python',
      '--user',
      '0',
      '--network',
      'host',
      '--entrypoint',
      '/bin/sh',
      '-v',
      '/cache/python/x:/packer-files/python',
      '-v',
      '/action/dist/assets/outside-python:/ansible-image-python-files:ro',
      'sha256:base',
      '-s',
      '--',
      'unpack',
      'auto',
      '/ansible-image-python-files',
      '',
      '/packer-files/python',
      '',
    ]);
  });
});

describe('the names that the runner and the container script share', () => {
  const src = path.resolve(import.meta.dirname, '..', '..', 'src');
  const script = readFileSync(path.join(src, 'assets', 'container.sh'), 'utf8');

  it('are the markers and the launcher’s', () => {
    for (const name of [OUTSIDE_PYTHON_FILE, REQUEST_FILE, ANSWER_FILE])
      expect(script).toContain(`"$shared/${name}"`);
    expect(script).toContain(`"$tree/${PythonCache.LAUNCHER}"`);
  });

  it('are this folder’s files', () => {
    const files = [...script.matchAll(/"\$files\/([\w.-]+)"/g)].map((match) => match[1]);
    expect(files.sort()).toEqual(['launcher.sh', 'sitecustomize.py']);
    for (const file of files) expect(existsSync(path.join(src, 'outside-python', file))).toBe(true);
  });

  it('put the Python inside Packer’s folder, so that its mount point stays out of the image', () => {
    expect(path.posix.dirname(PYTHON_MOUNT)).toBe(PACKER_CONTAINER_DIR);
  });
});
