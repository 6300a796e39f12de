/** Bytes in the units people read (decimal, like `docker images`). */
export function humanBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

export function humanSeconds(seconds: number): string {
  return seconds < 60
    ? `${seconds.toFixed(1)} s`
    : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/**
 * The multiple of each unit that `parseByteSize` reads, in any letter case. kB, MB… are
 * decimal, like humanBytes prints them; KiB, MiB… binary; a bare k, M, G or T is binary too,
 * as `docker run --memory 512m` reads it.
 */
const BYTE_UNITS = new Map<string, number>([
  ['', 1],
  ['b', 1],
  ...['k', 'm', 'g', 't'].flatMap((prefix, index): Array<[string, number]> => [
    [`${prefix}b`, 1000 ** (index + 1)],
    [`${prefix}ib`, 1024 ** (index + 1)],
    [prefix, 1024 ** (index + 1)],
  ]),
]);

const SIZE_RULE =
  'a whole number of bytes, or a number with a unit: kB, MB, GB, TB (powers of 1000), KiB, MiB, GiB, TiB (powers of 1024), or k, M, G, T (powers of 1024, as docker run --memory reads them), such as 250MB, 1.5GiB or 500k';

/** `250MB`, `1.5GiB`, `500k`, `1048576`: a size in whole bytes. */
export function parseByteSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?) ?([a-z]*)$/i.exec(text.trim());
  const unit = match && BYTE_UNITS.get(match[2].toLowerCase());
  if (!match || !unit || (unit === 1 && match[1].includes('.')))
    throw new Error(`"${text}" must be a size: ${SIZE_RULE}`);
  const bytes = Math.round(Number(match[1]) * unit);
  if (!Number.isSafeInteger(bytes))
    throw new Error(`"${text}" is too large: at most ${Number.MAX_SAFE_INTEGER} bytes`);
  return bytes;
}
