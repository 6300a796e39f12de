import { createHash } from 'node:crypto';
import { type Readable, Transform } from 'node:stream';
import { finished } from 'node:stream/promises';
import tar from 'tar-stream';
import type { Engine } from './engine.js';
import { sha256 } from './registry.js';

/** One image of the manifest.json that `docker save` writes. */
export interface ManifestEntry {
  Config: string;
  RepoTags: string[] | null;
  Layers: string[];
}

export interface ArchiveLayer {
  /** Where the layer sits in the image, base first: several when the image repeats it. */
  indices: number[];
  diffId: string;
  /** Bytes of the uncompressed layer tar, as the archive's header states them. */
  size: number;
  /** The layer tar, which fails at its end if its bytes do not hash to diffId. */
  stream: Readable;
}

export interface ImageArchive {
  /** The image ID: the config's digest. */
  id: string;
  /** The config exactly as the engine stores it, so that its digest stays the ID. */
  config: Buffer;
  manifest: ManifestEntry;
  diffIds: string[];
}

export interface ReadOptions {
  /** Which layers to hand over (position, layer count); the others pass unread. Default: all. */
  want?: (index: number, count: number) => boolean;
  /**
   * Called once per wanted layer, in the order the archive holds them (not the image's), one
   * at a time; what the returned promise leaves unread of the stream is drained.
   */
  onLayer?: (layer: ArchiveLayer) => Promise<void>;
}

/** What the engine says of the image before the archive is read, for checking the archive. */
export interface Expected {
  id: string;
  diffIds: string[];
}

/** A fault of the archive, as opposed to one of the caller's onLayer, which passes unchanged. */
export class ArchiveError extends Error {}

/** manifest.json, configs and legacy layer JSON are small; more is not an archive of ours. */
const METADATA_LIMIT = 16 * 1024 * 1024;

const HEX = '[0-9a-f]{64}';
const LEGACY_JSON = new RegExp(`^(${HEX})/json$`);
const LEGACY_LAYER = new RegExp(`^(${HEX})/layer\\.tar$`);
const LEGACY_CONFIG = new RegExp(`^(${HEX})\\.json$`);
const BLOB = new RegExp(`^blobs/sha256/(${HEX})$`);

/**
 * Reads an image out of the engine as `docker save` streams it, without writing it anywhere:
 * the config, the manifest.json entry, and the wanted layers as streams checked against the
 * diffIDs. A caller that wants only the top layer pays for passing the others, nothing more.
 */
export async function readImageArchive(
  engine: Engine,
  image: string,
  options: ReadOptions = {},
): Promise<ImageArchive> {
  const info = await engine.inspectImage(image);
  const expected = { id: info.Id, diffIds: info.RootFS?.Layers ?? [] };
  const source = await engine.saveImages([info.Id]);
  return parseImageArchive(source as Readable, expected, options).catch((error: unknown) => {
    if (!(error instanceof ArchiveError)) throw error;
    throw new Error(`Cannot read image ${image} from the engine: ${error.message}`, {
      cause: error,
    });
  });
}

/**
 * The chain ID of the first n+1 layers (the image spec's ChainID), which names layer n in
 * the legacy layout's layer IDs.
 */
export function chainIds(diffIds: string[]): string[] {
  const chains: string[] = [];
  for (const diffId of diffIds) {
    const parent = chains.at(-1);
    chains.push(parent ? sha256(Buffer.from(`${parent} ${diffId}`)) : diffId);
  }
  return chains;
}

/**
 * The legacy ID that engines up to 24 give a layer below the top (moby's image/v1 CreateID
 * of a placeholder image created at the epoch): a digest of its own JSON's container_config,
 * its chain ID and its parent's ID. The top layer's ID digests the image's whole config, so
 * it is the one whose ID matches no position below the top.
 */
export function legacyLayerId(containerConfig: unknown, chainId: string, parent?: string): string {
  const fields = [
    `"container_config":${JSON.stringify(containerConfig)}`,
    '"created":"1970-01-01T00:00:00Z"',
    `"layer_id":${JSON.stringify(chainId)}`,
    ...(parent ? [`"parent":${JSON.stringify(`sha256:${parent}`)}`] : []),
  ];
  return sha256(Buffer.from(`{${fields.join(',')}}`)).slice('sha256:'.length);
}

/** The position that a legacy layer's JSON gives its layer, from its ID. */
function legacyPosition(json: Buffer, name: string, chains: string[]): number | undefined {
  let parsed: { id?: unknown; parent?: unknown; container_config?: unknown };
  try {
    parsed = JSON.parse(json.toString('utf8')) as typeof parsed;
  } catch (error) {
    throw new ArchiveError(`${name} is not JSON`, { cause: error });
  }
  const parent = typeof parsed.parent === 'string' ? parsed.parent : undefined;
  const id = name.split('/')[0];
  const below = chains
    .slice(0, -1)
    .findIndex((chain) => legacyLayerId(parsed.container_config, chain, parent) === id);
  return below >= 0 ? below : undefined;
}

function collect(stream: Readable, name: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > METADATA_LIMIT) {
        stream.destroy();
        reject(new ArchiveError(`${name} is larger than ${METADATA_LIMIT} bytes`));
      } else chunks.push(chunk);
    });
    stream.on('error', reject);
    stream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

function skip(stream: Readable): Promise<void> {
  stream.resume();
  return finished(stream);
}

/** The stream as it passes, failing at its end unless its bytes hash to the digest. */
function verifying(digest: string, what: string): Transform {
  const hash = createHash('sha256');
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      const actual = `sha256:${hash.digest('hex')}`;
      done(
        actual === digest
          ? null
          : new ArchiveError(`${what} hashes to ${actual}, not to ${digest}`),
      );
    },
  });
}

/**
 * Layers of a legacy archive (engines up to 24: `<layer ID>/layer.tar`, manifest.json last)
 * or of an OCI-style one (engines from 25: `blobs/sha256/<diffID>`), placed in the image
 * from their names before their bytes pass: by the diffID itself, or by the legacy layer ID.
 */
export async function parseImageArchive(
  source: Readable,
  expected: Expected,
  options: ReadOptions = {},
): Promise<ImageArchive> {
  const { diffIds } = expected;
  const count = diffIds.length;
  const chains = chainIds(diffIds);
  const want = options.want ?? (() => true);
  const legacyPositions = new Map<string, number>();
  const delivered = new Set<string>();
  let config: { name: string; bytes: Buffer } | undefined;
  let manifestJson: Buffer | undefined;

  const positionOf = (dir: string): number => {
    const position = legacyPositions.get(dir);
    if (position !== undefined) return position;
    throw new ArchiveError(`${dir}/layer.tar comes without its layer JSON`);
  };

  const layer = async (position: number, header: tar.Headers, stream: Readable) => {
    const diffId = diffIds[position];
    const indices = diffIds.flatMap((id, index) => (id === diffId ? [index] : []));
    if (!options.onLayer || delivered.has(diffId) || !indices.some((index) => want(index, count)))
      return skip(stream);
    delivered.add(diffId);
    const checked = stream.pipe(verifying(diffId, `Layer ${position + 1} (${header.name})`));
    stream.on('error', (error) => checked.destroy(error));
    await options.onLayer({ indices, diffId, size: header.size ?? 0, stream: checked });
    await skip(checked);
  };

  const entry = async (header: tar.Headers, stream: Readable): Promise<void> => {
    const { name } = header;
    const legacyJson = LEGACY_JSON.exec(name);
    const legacyLayer = LEGACY_LAYER.exec(name);
    const blob = BLOB.exec(name) ?? LEGACY_CONFIG.exec(name);
    if (name === 'manifest.json') manifestJson = await collect(stream, name);
    else if (legacyJson) {
      const position = legacyPosition(await collect(stream, name), name, chains);
      const top = count - 1;
      if (position === undefined && [...legacyPositions.values()].includes(top))
        throw new ArchiveError(`${name} names no layer of the image`);
      legacyPositions.set(legacyJson[1], position ?? top);
    } else if (legacyLayer && header.type === 'file')
      await layer(positionOf(legacyLayer[1]), header, stream);
    else if (blob && `sha256:${blob[1]}` === expected.id) {
      const bytes = await collect(stream, name);
      if (sha256(bytes) !== expected.id)
        throw new ArchiveError(`the config ${name} does not hash to ${expected.id}`);
      config = { name, bytes };
    } else if (BLOB.test(name) && diffIds.includes(`sha256:${blob?.[1]}`))
      await layer(diffIds.indexOf(`sha256:${blob?.[1]}`), header, stream);
    else await skip(stream);
  };

  await new Promise<void>((resolve, reject) => {
    const extract = tar.extract();
    const fail = (error: Error) => {
      source.unpipe(extract);
      source.destroy();
      extract.destroy();
      reject(error);
    };
    extract.on('entry', (header: tar.Headers, stream: Readable, next: () => void) => {
      entry(header, stream).then(next, fail);
    });
    extract.on('finish', resolve);
    extract.on('error', (error: Error) =>
      fail(new ArchiveError(`the archive is not a whole tar: ${error.message}`, { cause: error })),
    );
    source.on('error', (error: Error) =>
      fail(new ArchiveError(`the engine's stream failed: ${error.message}`, { cause: error })),
    );
    source.pipe(extract);
  });

  if (!config) throw new ArchiveError(`the archive holds no config ${expected.id}`);
  const manifest = manifestEntry(manifestJson, config.name, expected.id);
  checkConfig(config.bytes, diffIds);
  checkLayers(manifest, diffIds, legacyPositions);
  const missing = diffIds.filter(
    (diffId, index) => options.onLayer && want(index, count) && !delivered.has(diffId),
  );
  if (missing.length)
    throw new ArchiveError(
      `the archive holds no layer ${missing.join(', ')} (an image store that keeps layers compressed, like containerd's, is not supported)`,
    );
  return { id: expected.id, config: config.bytes, manifest, diffIds };
}

function manifestEntry(json: Buffer | undefined, configName: string, id: string): ManifestEntry {
  if (!json) throw new ArchiveError('the archive holds no manifest.json');
  let entries: ManifestEntry[];
  try {
    entries = JSON.parse(json.toString('utf8')) as ManifestEntry[];
  } catch (error) {
    throw new ArchiveError('its manifest.json is not JSON', { cause: error });
  }
  const found = Array.isArray(entries)
    ? entries.find((entry) => entry?.Config === configName)
    : undefined;
  if (!found || !Array.isArray(found.Layers))
    throw new ArchiveError(`its manifest.json lists no image with the config ${id}`);
  return found;
}

function checkConfig(bytes: Buffer, diffIds: string[]): void {
  let listed: unknown;
  try {
    listed = (JSON.parse(bytes.toString('utf8')) as { rootfs?: { diff_ids?: unknown } }).rootfs
      ?.diff_ids;
  } catch (error) {
    throw new ArchiveError('its config is not JSON', { cause: error });
  }
  if (JSON.stringify(listed) !== JSON.stringify(diffIds))
    throw new ArchiveError('its config lists other layers than the engine reports for the image');
}

/** The manifest, read last, must place each layer where its name placed it. */
function checkLayers(
  manifest: ManifestEntry,
  diffIds: string[],
  legacyPositions: Map<string, number>,
): void {
  const placed = manifest.Layers.map((path, index) => {
    const legacy = LEGACY_LAYER.exec(path);
    const blob = BLOB.exec(path);
    if (legacy) return diffIds[legacyPositions.get(legacy[1]) ?? -1] === diffIds[index];
    return blob !== null && `sha256:${blob[1]}` === diffIds[index];
  });
  if (placed.length !== diffIds.length || placed.includes(false))
    throw new ArchiveError(
      "its manifest.json lists the image's layers otherwise than their names in the archive",
    );
}
