// One measurement for bench/layer-report.mjs, in a process of its own so that our code runs
// cold, as it does in the action: prints { wall, firstByte, cpu } in ms as JSON.
// Usage: npx vite-node bench/layer-report-run.ts engine|report|archive|parse IMAGE BASE [ARCHIVE]
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { Engine } from '../src/docker/engine.js';
import { parseImageArchive } from '../src/docker/image-archive.js';
import { reportLayer, scanLayers } from '../src/report/read-layer.js';

const [mode, image, base, archive] = process.argv.slice(2);
const engine = new Engine();
const facts = await engine.inspectImage(image);
const baseLayers = (await engine.inspectImage(base)).RootFS?.Layers?.length ?? 0;
// The archive from memory, in the chunks that the engine's socket gives (64 kB).
const chunks = (buffer: Buffer) =>
  Array.from({ length: Math.ceil(buffer.length / 65536) }, (_, i) =>
    buffer.subarray(i * 65536, (i + 1) * 65536),
  );
const saved = mode === 'parse' || mode === 'archive' ? chunks(readFileSync(archive)) : [];

const start = performance.now();
const cpu = process.cpuUsage();
let firstByte = 0;
if (mode === 'engine') {
  const stream = (await engine.saveImages([facts.Id])) as Readable;
  for await (const chunk of stream) if (!firstByte && chunk) firstByte = performance.now() - start;
} else if (mode === 'report') {
  await reportLayer(engine, facts.Id, base);
} else {
  const expected = { id: facts.Id, diffIds: facts.RootFS?.Layers ?? [] };
  if (mode === 'parse') await scanLayers(Readable.from(saved), expected, baseLayers);
  // image-archive's part alone: the archive's tar, the layers' sha256 check; layers unread.
  else
    await parseImageArchive(Readable.from(saved), expected, {
      onLayer: async (layer) => {
        for await (const chunk of layer.stream) if (!chunk) break;
      },
    });
}
const used = process.cpuUsage(cpu);
process.stdout.write(
  `${JSON.stringify({ wall: performance.now() - start, firstByte, cpu: (used.user + used.system) / 1000 })}\n`,
);
