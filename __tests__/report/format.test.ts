import { describe, expect, it } from 'vitest';
import { parseByteSize } from '../../src/report/format.js';

describe('parseByteSize', () => {
  it.each([
    ['0', 0],
    ['1048576', 1_048_576],
    ['250MB', 250_000_000],
    ['250 MB', 250_000_000],
    ['250mb', 250_000_000],
    ['500kB', 500_000],
    ['500KB', 500_000],
    ['2GB', 2_000_000_000],
    ['1TB', 1e12],
    ['1KiB', 1024],
    ['1.5GiB', 1_610_612_736],
    ['3MiB', 3 * 1024 ** 2],
    ['1TiB', 1024 ** 4],
    // Bare prefixes are binary, as docker run --memory reads them.
    ['500k', 512_000],
    ['500K', 512_000],
    ['512m', 512 * 1024 ** 2],
    ['2G', 2 * 1024 ** 3],
    ['1t', 1024 ** 4],
    ['12B', 12],
    ['0.5kB', 500],
    [' 100MB ', 100_000_000],
  ])('%j is %d bytes', (text, bytes) => expect(parseByteSize(text)).toBe(bytes));

  it.each([
    '',
    'MB',
    '-5MB',
    '1e6',
    '0x100',
    '1,5GB',
    '1.5',
    '250 XB',
    '250Mbit',
    '250  MB',
    '1.2.3MB',
    'constructor',
    '5 constructor',
    'infinity',
  ])('%j is refused, naming the rule', (text) =>
    expect(() => parseByteSize(text)).toThrow(
      `"${text}" must be a size: a whole number of bytes, or a number with a unit: kB, MB, GB, TB (powers of 1000), KiB, MiB, GiB, TiB (powers of 1024), or k, M, G, T (powers of 1024, as docker run --memory reads them), such as 250MB, 1.5GiB or 500k`,
    ),
  );

  it('refuses a size past what a number holds exactly', () =>
    expect(() => parseByteSize('10000TB')).toThrow(
      '"10000TB" is too large: at most 9007199254740991 bytes',
    ));
});
