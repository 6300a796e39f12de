import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/docker/registry.js';
import { layerReport } from '../../src/report/layer-report.js';
import { scanLayers } from '../../src/report/read-layer.js';
import { tarOf } from '../tar.js';

const hex = (digest: string) => digest.slice('sha256:'.length);
const status = (name: string, version: string) =>
  `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\n`;

/** `docker save` of engines from 25 on, in memory: layers and config named by digest. */
async function archiveOf(layers: Buffer[]) {
  const diffIds = layers.map(sha256);
  const config = Buffer.from(JSON.stringify({ rootfs: { type: 'layers', diff_ids: diffIds } }));
  const id = sha256(config);
  const bytes = await tarOf([
    ...layers.map((layer): [string, Buffer] => [`blobs/sha256/${hex(sha256(layer))}`, layer]),
    [`blobs/sha256/${hex(id)}`, config],
    [
      'manifest.json',
      JSON.stringify([
        {
          Config: `blobs/sha256/${hex(id)}`,
          RepoTags: null,
          Layers: diffIds.map((diffId) => `blobs/sha256/${hex(diffId)}`),
        },
      ]),
    ],
  ]);
  return { source: Readable.from([bytes]), expected: { id, diffIds } };
}

describe('scanLayers', () => {
  it("reads every layer of the archive in the image's order, base layers for their databases", async () => {
    const base = await tarOf([
      ['usr/bin/sh', 'x'.repeat(100)],
      ['var/lib/dpkg/status', `${status('dash', '0.5')}\n${status('old', '1')}`],
    ]);
    const top = await tarOf([
      ['opt/big.bin', 'y'.repeat(5000)],
      ['etc/.wh.motd', ''],
      ['var/lib/dpkg/status', `${status('dash', '0.6')}\n${status('redis-server', '5:7.0')}`],
    ]);
    const { source, expected } = await archiveOf([base, top]);
    const layers = await scanLayers(source, expected, 1);
    expect(layers[0].files).toEqual([]);
    const report = layerReport(layers, 1);
    expect(report).toMatchObject({
      files: 2,
      removed: 1,
      largest: [
        { path: '/opt/big.bin', size: 5000, files: 1 },
        { path: '/var/lib/dpkg/status', files: 1 },
      ],
    });
    expect(report.packages).toEqual([
      {
        manager: 'dpkg',
        added: [{ name: 'redis-server', version: '5:7.0', architecture: 'amd64' }],
        removed: [{ name: 'old', version: '1', architecture: 'amd64' }],
        upgraded: [{ name: 'dash', architecture: 'amd64', from: '0.5', to: '0.6' }],
        downgraded: [],
      },
    ]);
  });

  it('fails on a layer that is not a tar, naming why', async () => {
    const layer = Buffer.alloc(1024, 0x41);
    const { source, expected } = await archiveOf([layer]);
    await expect(scanLayers(source, expected, 0)).rejects.toThrow(
      'Layer 1: a tar header fails its checksum',
    );
  });
});
