import { describe, expect, it } from 'vitest';
import tar from 'tar-stream';
import { type TarEntry, tarEntries } from '../../src/report/tar-entries.js';

interface Header {
  name: string;
  size?: number;
  flag?: string;
  prefix?: string;
  /** GNU base-256 in the size field. */
  base256?: boolean;
  content?: Buffer | string;
}

/** One ustar header block and its padded content, written by hand to reach every case. */
function record({ name, size, flag = '0', prefix = '', base256, content = '' }: Header): Buffer {
  const data = Buffer.from(content);
  const length = size ?? data.length;
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, 'utf8');
  block.write('0000644\0', 100);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  if (base256) {
    block[124] = 0x80;
    block.writeUIntBE(length, 130, 6);
  } else block.write(`${length.toString(8).padStart(11, '0')}\0`, 124);
  block.write('00000000000\0', 136);
  block.write(flag, 156);
  block.write('ustar\x0000', 257, 'binary');
  block.write(prefix, 345, 155, 'utf8');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'binary');
  const padded = Buffer.alloc(Math.ceil(data.length / 512) * 512);
  data.copy(padded);
  return Buffer.concat([block, padded]);
}

const pax = (records: Record<string, string>) =>
  record({
    name: 'PaxHeader',
    flag: 'x',
    content: Object.entries(records)
      .map(([key, value]) => {
        const body = ` ${key}=${value}\n`;
        let length = body.length + 1;
        while (`${length}${body}`.length !== length) length++;
        return `${length}${body}`;
      })
      .join(''),
  });

const archive = (...records: Buffer[]) => Buffer.concat([...records, Buffer.alloc(1024)]);

async function* chunked(data: Buffer, size: number): AsyncIterable<Buffer> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}

async function read(
  data: Buffer,
  wanted: (name: string) => boolean = () => false,
  limit = 1024,
  chunk = 4096,
): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  for await (const entry of tarEntries(chunked(data, chunk), wanted, limit)) entries.push(entry);
  return entries;
}

describe('tarEntries', () => {
  const TAR = archive(
    record({ name: 'usr/', flag: '5' }),
    record({ name: 'usr/bin/tool', content: 'x'.repeat(1000) }),
    record({ name: 'usr/bin/sh', flag: '2' }),
    record({ name: 'usr/bin/hard', flag: '1' }),
    record({ name: 'tool', prefix: 'usr/local/lib/a-very-deep-folder', content: 'abc' }),
    pax({ path: `opt/${'long/'.repeat(40)}name`, size: '3' }),
    record({ name: 'ignored', size: 0, content: 'xyz' }),
    record({ name: 'after-pax', content: '' }),
    record({ name: '././@LongLink', flag: 'L', content: `srv/${'gnu/'.repeat(40)}name\0` }),
    record({ name: 'srv/gnu/gnu', content: 'q' }),
    record({ name: 'var/lib/dpkg/status', content: 'Package: a\n' }),
    record({ name: 'dev/null', flag: '3' }),
    record({ name: 'big', base256: true, size: 0 }),
  );

  it('reads names, types and sizes: ustar prefix, pax and GNU long names', async () =>
    expect(await read(TAR)).toEqual([
      { name: 'usr/', size: 0, type: 'directory' },
      { name: 'usr/bin/tool', size: 1000, type: 'file' },
      { name: 'usr/bin/sh', size: 0, type: 'symlink' },
      { name: 'usr/bin/hard', size: 0, type: 'link' },
      { name: 'usr/local/lib/a-very-deep-folder/tool', size: 3, type: 'file' },
      { name: `opt/${'long/'.repeat(40)}name`, size: 3, type: 'file' },
      { name: 'after-pax', size: 0, type: 'file' },
      { name: `srv/${'gnu/'.repeat(40)}name`, size: 1, type: 'file' },
      { name: 'var/lib/dpkg/status', size: 11, type: 'file' },
      { name: 'dev/null', size: 0, type: 'other' },
      { name: 'big', size: 0, type: 'file' },
    ]));

  it.each([1, 7, 511, 512, 513, 100_000])(
    'keeps the content asked for, in chunks of %d bytes',
    async (chunk) => {
      const entries = await read(
        TAR,
        (name) => name.endsWith('status') || name === 'after-pax',
        1024,
        chunk,
      );
      expect(entries.find((e) => e.name === 'var/lib/dpkg/status')?.content?.toString()).toBe(
        'Package: a\n',
      );
      expect(entries.find((e) => e.name === 'after-pax')?.content).toEqual(Buffer.alloc(0));
      expect(entries.filter((e) => e.content)).toHaveLength(2);
    },
  );

  it('keeps no content past the limit', async () =>
    expect(
      (await read(TAR, (name) => name === 'usr/bin/tool', 999)).find(
        (e) => e.name === 'usr/bin/tool',
      ),
    ).toEqual({ name: 'usr/bin/tool', size: 1000, type: 'file' }));

  it('reads a size in base-256, past what 11 octal digits hold', async () => {
    const header = record({ name: 'huge', base256: true, size: 9 * 2 ** 30 });
    const entries = tarEntries(chunked(header, 512), () => false, 1024);
    expect((await entries.next()).value).toEqual({ name: 'huge', size: 9 * 2 ** 30, type: 'file' });
    await expect(entries.next()).rejects.toThrow('the tar ends inside an entry');
  });

  it('agrees with tar-stream, a general tar writer, on long names and sizes', async () => {
    const pack = tar.pack();
    const names = ['a', `b/${'c'.repeat(150)}`, `${'d/'.repeat(80)}e`, 'f/ü-ñ.txt'];
    for (const name of names) pack.entry({ name, size: 5 }, 'hello');
    pack.entry({ name: 'g', type: 'directory' });
    pack.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of pack) chunks.push(chunk as Buffer);
    expect(await read(Buffer.concat(chunks))).toEqual([
      ...names.map((name) => ({ name, size: 5, type: 'file' })),
      { name: 'g', size: 0, type: 'directory' },
    ]);
  });

  it('ignores a global pax header, and a size on a folder', async () =>
    expect(
      await read(
        archive(
          record({ name: 'global', flag: 'g', content: '13 path=nope\n' }),
          record({ name: 'dir/', flag: '5', size: 4096 }),
          record({ name: 'file', content: 'z' }),
        ),
      ),
    ).toEqual([
      { name: 'dir/', size: 0, type: 'directory' },
      { name: 'file', size: 1, type: 'file' },
    ]));

  it.each([
    [
      'a header that fails its checksum',
      (() => {
        const bad = record({ name: 'x', content: 'y' });
        bad[0] = 0x7a;
        return archive(bad);
      })(),
      'a tar header fails its checksum',
    ],
    [
      'a tar cut inside content',
      record({ name: 'x', content: 'y'.repeat(600) }).subarray(0, 700),
      'the tar ends inside an entry',
    ],
    [
      'a tar cut inside a header',
      record({ name: 'x' }).subarray(0, 100),
      'the tar ends inside an entry',
    ],
    [
      'a size that is not octal',
      (() => {
        const bad = record({ name: 'x' });
        bad.write('9', 124);
        let sum = 0;
        bad.fill(0x20, 148, 156);
        for (const byte of bad) sum += byte;
        bad.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'binary');
        return archive(bad);
      })(),
      'a tar header holds "90000000000" as a number',
    ],
    [
      'a pax record too large to be a name',
      archive(record({ name: 'p', flag: 'x', size: 2 * 1024 * 1024 })),
      'a tar x record of 2097152 bytes',
    ],
  ])('fails on %s', async (_, data, message) => expect(read(data)).rejects.toThrow(message));
});
