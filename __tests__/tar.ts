import tar from 'tar-stream';

/** A tar of the given files, in the given order, in memory. */
export async function tarOf(
  entries: Array<[name: string, content: Buffer | string]>,
): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise((resolve) => pack.on('end', resolve));
  for (const [name, content] of entries) pack.entry({ name }, content);
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}
