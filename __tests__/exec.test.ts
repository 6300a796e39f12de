import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LINE_LIMIT, LastLines, splitLines } from '../src/exec.js';

/** The lines that splitLines makes of these chunks, once the stream ends. */
async function linesOf(chunks: Buffer[]): Promise<string[]> {
  const stream = new PassThrough();
  const lines: string[] = [];
  splitLines(stream, (line) => lines.push(line));
  const ended = new Promise((resolve) => stream.on('end', resolve));
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  await ended;
  return lines;
}

describe('splitLines', () => {
  it('splits on newlines across chunks, drops CR, keeps a last line without newline', async () => {
    expect(
      await linesOf([Buffer.from('one\r\ntw'), Buffer.from('o\n\nthree'), Buffer.from('')]),
    ).toEqual(['one', 'two', '', 'three']);
  });

  it('joins a character that a chunk boundary splits', async () => {
    const text = Buffer.from('grüße 你好\n');
    expect(await linesOf([text.subarray(0, 4), text.subarray(4, 9), text.subarray(9)])).toEqual([
      'grüße 你好',
    ]);
  });

  it('keeps LINE_LIMIT characters of a huge line and says how many it cut', async () => {
    const chunk = Buffer.alloc(1 << 20, 'x');
    const lines = await linesOf([
      Buffer.from('before\n'),
      ...Array.from({ length: 50 }, () => chunk),
      Buffer.from('\nafter\n'),
    ]);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('before');
    expect(lines[1]).toBe(
      `${'x'.repeat(LINE_LIMIT)} … (${50 * (1 << 20) - LINE_LIMIT} more characters of this line not shown)`,
    );
    expect(lines[2]).toBe('after');
  });
});

describe('LastLines', () => {
  it('keeps only the last lines, in order', () => {
    const last = new LastLines(2);
    expect(['a', 'b', 'c'].map((line) => last.add(line))).toEqual(['a', 'b', 'c']);
    expect(last.text).toBe('b\nc');
  });
});
