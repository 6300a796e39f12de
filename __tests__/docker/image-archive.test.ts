import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  ArchiveError,
  type ArchiveLayer,
  chainIds,
  legacyLayerId,
  parseImageArchive,
  type ReadOptions,
} from '../../src/docker/image-archive.js';
import { sha256 } from '../../src/docker/registry.js';
import { tarOf } from '../tar.js';

/** The container_config that engine 20.10 writes in the JSON of every layer below the top. */
const ZERO_CONFIG = {
  Hostname: '',
  Domainname: '',
  User: '',
  AttachStdin: false,
  AttachStdout: false,
  AttachStderr: false,
  Tty: false,
  OpenStdin: false,
  StdinOnce: false,
  Env: null,
  Cmd: null,
  Image: '',
  Volumes: null,
  WorkingDir: '',
  Entrypoint: null,
  OnBuild: null,
  Labels: null,
};

type Entry = [name: string, content: Buffer | string];

/** A layer tar holding one file, and its diffID. */
async function layerOf(file: string, text: string): Promise<{ bytes: Buffer; diffId: string }> {
  const bytes = await tarOf([[file, text]]);
  return { bytes, diffId: sha256(bytes) };
}

function configOf(diffIds: string[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['bash'] },
      rootfs: { type: 'layers', diff_ids: diffIds },
    }),
  );
}

const hex = (digest: string) => digest.slice('sha256:'.length);
const byName = (entries: Entry[]) => entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Engines from 25 on: blobs named by digest, manifest.json listing blob paths. */
function ociArchive(layers: Buffer[], config: Buffer, layerNames?: string[]): Entry[] {
  const diffIds = layers.map(sha256);
  const entries: Entry[] = layers.map((bytes) => [`blobs/sha256/${hex(sha256(bytes))}`, bytes]);
  entries.push([`blobs/sha256/${hex(sha256(config))}`, config]);
  const manifest = [
    {
      Config: `blobs/sha256/${hex(sha256(config))}`,
      RepoTags: ['app:1'],
      Layers: layerNames ?? diffIds.map((diffId) => `blobs/sha256/${hex(diffId)}`),
    },
  ];
  entries.push(['manifest.json', JSON.stringify(manifest)], ['oci-layout', '{}']);
  return byName(entries);
}

/** Engines up to 24: a folder per layer named by its legacy ID, in the order tar lists them. */
function legacyArchive(layers: Buffer[], config: Buffer, topId = 'f'.repeat(64)): Entry[] {
  const chains = chainIds(layers.map(sha256));
  const ids: string[] = [];
  const entries: Entry[] = [];
  layers.forEach((bytes, n) => {
    const parent = ids.at(-1);
    const top = n === layers.length - 1;
    const id = top ? topId : legacyLayerId(ZERO_CONFIG, chains[n], parent);
    ids.push(id);
    const json = top
      ? { id, parent, created: '2026-11-30T16:08:17Z', config: { Cmd: ['bash'] }, os: 'linux' }
      : { id, parent, created: '1970-01-01T00:00:00Z', container_config: ZERO_CONFIG, os: 'linux' };
    entries.push([`${id}/VERSION`, '1.0'], [`${id}/json`, JSON.stringify(json)]);
    entries.push([`${id}/layer.tar`, bytes]);
  });
  const configName = `${hex(sha256(config))}.json`;
  entries.push([configName, config]);
  byName(entries);
  const manifest = [
    { Config: configName, RepoTags: ['app:1'], Layers: ids.map((id) => `${id}/layer.tar`) },
  ];
  return [...entries, ['manifest.json', JSON.stringify(manifest)], ['repositories', '{}']];
}

/** The archive read with a consumer that keeps each layer's bytes. */
async function read(
  entries: Entry[],
  diffIds: string[],
  config: Buffer,
  want?: ReadOptions['want'],
) {
  const delivered: Array<Omit<ArchiveLayer, 'stream'> & { bytes: Buffer }> = [];
  const archive = await parseImageArchive(
    Readable.from(await tarOf(entries)),
    { id: sha256(config), diffIds },
    {
      want,
      onLayer: async ({ stream, ...layer }) => {
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        delivered.push({ ...layer, bytes: Buffer.concat(chunks) });
      },
    },
  );
  return { archive, delivered };
}

async function threeLayers() {
  const layers = await Promise.all([
    layerOf('etc/os-release', 'debian'),
    layerOf('usr/bin/python3', 'python'),
    layerOf('srv/app', 'the playbook'),
  ]);
  const diffIds = layers.map((layer) => layer.diffId);
  return { layers: layers.map((layer) => layer.bytes), diffIds, config: configOf(diffIds) };
}

describe('legacy layer IDs', () => {
  // Read from `docker save` of a three-layer image on engine 20.10.24.
  const diffIds = [
    'sha256:d0af0b1b3b1ded77ce000d95581e176ece8fd243cfa9de707e9d3ccad3232167',
    'sha256:21f056895bfe649dc1c29c2d66f1f64079412ac45f915e8cedea255a5516155b',
    'sha256:c31387cf46a9f6140f166208c7accba42fcfef55e32743efd8e920c5a73eaa93',
  ];
  const chains = chainIds(diffIds);
  it.each([
    [0, undefined, '7276dffe0dd374fe601b5dfb4d533cf1b47c422c0d3bdb860908c14d8e46e55c'],
    [
      1,
      '7276dffe0dd374fe601b5dfb4d533cf1b47c422c0d3bdb860908c14d8e46e55c',
      '510583091316f0b2be1ae0455f156ad63cead8ec2c573c1448f90ecc6da6315a',
    ],
  ])('layer %i under parent %s is the engine’s %s', (n, parent, id) =>
    expect(legacyLayerId(ZERO_CONFIG, chains[n], parent)).toBe(id),
  );

  it('chains the base’s diffID alone, then each digest with the next diffID', () => {
    expect(chains[0]).toBe(diffIds[0]);
    expect(chains[1]).toBe(sha256(Buffer.from(`${diffIds[0]} ${diffIds[1]}`)));
    expect(chains[2]).toBe(sha256(Buffer.from(`${chains[1]} ${diffIds[2]}`)));
  });
});

describe('reading an image archive', () => {
  it.each([
    ['OCI-style (engine 25+)', ociArchive],
    ['legacy (engine 20.10)', legacyArchive],
  ])('%s: the config, the manifest entry and each layer at its place', async (_, layout) => {
    const { layers, diffIds, config } = await threeLayers();
    const { archive, delivered } = await read(layout(layers, config), diffIds, config);
    expect(archive.id).toBe(sha256(config));
    expect(archive.config.equals(config)).toBe(true);
    expect(archive.manifest.RepoTags).toEqual(['app:1']);
    expect(archive.manifest.Layers).toHaveLength(3);
    expect(delivered.map(({ indices }) => indices[0]).sort()).toEqual([0, 1, 2]);
    for (const { indices, diffId, bytes, size } of delivered) {
      expect(diffId).toBe(diffIds[indices[0]]);
      expect(bytes.equals(layers[indices[0]])).toBe(true);
      expect(size).toBe(layers[indices[0]].length);
    }
  });

  it.each([
    ['OCI-style', ociArchive],
    ['legacy', legacyArchive],
  ])('%s: only the top layer, when only it is wanted', async (_, layout) => {
    const { layers, diffIds, config } = await threeLayers();
    const { delivered } = await read(
      layout(layers, config),
      diffIds,
      config,
      (index, count) => index === count - 1,
    );
    expect(delivered.map((layer) => layer.indices)).toEqual([[2]]);
    expect(delivered[0].bytes.equals(layers[2])).toBe(true);
  });

  it('legacy: the top layer is placed even when its folder sorts first', async () => {
    const { layers, diffIds, config } = await threeLayers();
    const { delivered } = await read(
      legacyArchive(layers, config, '0'.repeat(64)),
      diffIds,
      config,
      (index, count) => index === count - 1,
    );
    expect(delivered.map((layer) => layer.indices)).toEqual([[2]]);
  });

  it('a layer the image repeats comes once, with both places', async () => {
    const base = await layerOf('etc/os-release', 'debian');
    const empty = await layerOf('.keep', '');
    const bytes = [base.bytes, empty.bytes, empty.bytes];
    const diffIds = bytes.map(sha256);
    const config = configOf(diffIds);
    for (const layout of [ociArchive, legacyArchive]) {
      const entries = layout(bytes, config).filter(
        // the OCI layout stores a blob once
        ([name], n, all) => all.findIndex(([other]) => other === name) === n,
      );
      const { delivered } = await read(entries, diffIds, config);
      expect(delivered.map((layer) => layer.indices).sort()).toEqual([[0], [1, 2]]);
    }
  });

  it.each([
    ['OCI-style', ociArchive],
    ['legacy', legacyArchive],
  ])('%s: a layer whose bytes do not hash to its diffID fails', async (_, layout) => {
    const { layers, diffIds, config } = await threeLayers();
    const entries = layout(layers, config).map(([name, content]): Entry =>
      content === layers[1]
        ? [name, Buffer.concat([layers[1], Buffer.alloc(512)])]
        : [name, content],
    );
    await expect(read(entries, diffIds, config)).rejects.toThrow(
      new RegExp(`^Layer 2 \\(.+\\) hashes to sha256:[0-9a-f]{64}, not to ${diffIds[1]}$`),
    );
  });

  it('a config that does not hash to the image ID fails', async () => {
    const { layers, diffIds, config } = await threeLayers();
    const entries = ociArchive(layers, config).map(([name, content]): Entry =>
      content === config ? [name, Buffer.concat([config, Buffer.from(' ')])] : [name, content],
    );
    await expect(read(entries, diffIds, config)).rejects.toThrow(
      `the config blobs/sha256/${hex(sha256(config))} does not hash to ${sha256(config)}`,
    );
  });

  it('a config that lists other layers than the engine fails', async () => {
    const { layers, diffIds } = await threeLayers();
    const config = configOf(diffIds.slice(0, 2));
    await expect(read(ociArchive(layers, config), diffIds, config)).rejects.toThrow(
      'its config lists other layers than the engine reports for the image',
    );
  });

  it('a manifest.json that orders the layers otherwise fails', async () => {
    const { layers, diffIds, config } = await threeLayers();
    const names = [diffIds[1], diffIds[0], diffIds[2]].map((d) => `blobs/sha256/${hex(d)}`);
    await expect(read(ociArchive(layers, config, names), diffIds, config)).rejects.toThrow(
      "its manifest.json lists the image's layers otherwise than their names in the archive",
    );
  });

  it('compressed layer blobs (the containerd image store) are named as missing', async () => {
    const { layers, diffIds, config } = await threeLayers();
    const entries = ociArchive(layers, config).map(([name, content]): Entry =>
      name === `blobs/sha256/${hex(diffIds[2])}`
        ? [`blobs/sha256/${'e'.repeat(64)}`, content]
        : [name, content],
    );
    await expect(read(entries, diffIds, config)).rejects.toThrow(
      `the archive holds no layer ${diffIds[2]}`,
    );
  });

  it("the caller's own failure passes unchanged, and the reading stops", async () => {
    const { layers, diffIds, config } = await threeLayers();
    const mine = new Error('the disk is full');
    let calls = 0;
    const reading = parseImageArchive(
      Readable.from(await tarOf(ociArchive(layers, config))),
      { id: sha256(config), diffIds },
      {
        onLayer: async () => {
          calls++;
          throw mine;
        },
      },
    );
    await expect(reading).rejects.toBe(mine);
    await expect(reading).rejects.not.toBeInstanceOf(ArchiveError);
    expect(calls).toBe(1);
  });

  it('an archive cut short fails', async () => {
    const { layers, diffIds, config } = await threeLayers();
    const whole = await tarOf(ociArchive(layers, config));
    await expect(
      parseImageArchive(Readable.from(whole.subarray(0, 1536)), { id: sha256(config), diffIds }),
    ).rejects.toThrow(new ArchiveError('the archive is not a whole tar: Unexpected end of data'));
  });
});
