import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import tar from 'tar-stream';
import { Engine } from '../src/docker/engine.js';
import { readImageArchive } from '../src/docker/image-archive.js';
import { sha256 } from '../src/docker/registry.js';
import { docker, inspect, removeImages } from './docker.js';

const PREFIX = `h-archive-itg-${process.pid}`;
const engine = new Engine();
const images: string[] = [];

/** debian:bookworm-slim plus one committed layer holding /stamp (and `size` random bytes). */
function committed(tag: string, stamp: string, size = 0): string {
  const name = `${PREFIX}-make`;
  const script = `echo ${stamp} > /stamp${size ? ` && head -c ${size} /dev/urandom > /random.bin` : ''}`;
  try {
    docker('run', '--network', 'none', '--name', name, 'debian:bookworm-slim', 'sh', '-c', script);
    docker('commit', '--change', 'CMD ["cat", "/stamp"]', name, tag);
  } finally {
    docker('rm', '--force', name);
  }
  images.push(tag);
  return inspect<string>(tag, '{{json .Id}}');
}

let small: string;

beforeAll(() => {
  small = committed(`${PREFIX}/small:1`, 'small');
});

afterAll(() => removeImages(...images));

describe('reading an image out of the engine', () => {
  it('gives the config, the manifest entry and every layer, checked against its diffID', async () => {
    const hashes = new Map<number, string>();
    const archive = await readImageArchive(engine, small, {
      onLayer: async ({ indices, stream }) => {
        const hash = createHash('sha256');
        for await (const chunk of stream) hash.update(chunk as Buffer);
        hashes.set(indices[0], `sha256:${hash.digest('hex')}`);
      },
    });
    expect(archive.id).toBe(small);
    expect(sha256(archive.config)).toBe(small);
    expect(archive.diffIds).toEqual(inspect(small, '{{json .RootFS.Layers}}'));
    expect([...hashes.keys()].sort()).toEqual([0, 1]);
    for (const [index, hash] of hashes) expect(hash).toBe(archive.diffIds[index]);
    expect(archive.manifest.Layers).toHaveLength(2);
  });

  it('hands over only the top layer when asked, and its files are the commit’s', async () => {
    const names: string[] = [];
    const seen: number[][] = [];
    await readImageArchive(engine, small, {
      want: (index, count) => index === count - 1,
      onLayer: async ({ indices, stream }) => {
        seen.push(indices);
        const extract = tar.extract();
        extract.on('entry', (header, entry, next) => {
          names.push(header.name);
          entry.on('end', next).resume();
        });
        stream.pipe(extract);
        await new Promise((resolve, reject) => extract.on('finish', resolve).on('error', reject));
      },
    });
    expect(seen).toEqual([[1]]);
    expect(names).toContain('stamp');
  });

  it('names an image the engine does not have', async () => {
    await expect(readImageArchive(engine, `${PREFIX}/absent:1`)).rejects.toThrow(
      `Image ${PREFIX}/absent:1 does not exist`,
    );
  });
});
