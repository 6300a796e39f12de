import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, openAsBlob } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import * as core from '@actions/core';
import { parseImageReference } from '../reference.js';
import { withRetries } from '../retry.js';
import { type RegistryAuth, registryOf, repositoryOf } from './auth.js';
import type { Engine } from './engine.js';
import { readImageArchive } from './image-archive.js';
import {
  type Descriptor,
  type ImagePlatform,
  configPlatform,
  descriptorOf,
  imageManifest,
  OCI_CONFIG,
  OCI_LAYER_GZIP,
  OCI_MANIFEST,
} from './oci-image.js';
import { putManifest, refused, repositoryUrl, type Send, session } from './registry.js';
import { retries } from './transfer.js';

export interface PushedManifest {
  digest: string;
  size: number;
  mediaType: string;
  platform: ImagePlatform;
  /** The blobs this push sent; the others the repository had already. */
  uploaded: string[];
}

/** Blob bodies take as long as the link needs: at least this, plus a second per megabyte. */
const BLOB_TIMEOUT_BASE_MS = 30_000;
const blobTimeoutMs = (size: number) => BLOB_TIMEOUT_BASE_MS + Math.ceil(size / 1_000_000) * 1000;

interface Upload {
  descriptor: Descriptor;
  /** Opened anew for each attempt: a body that was sent cannot be sent again. */
  body: () => Promise<Blob | Buffer>;
}

/** Whether the repository lacks a blob. */
async function missing(send: Send, repository: string, digest: string): Promise<boolean> {
  const response = await send(`${repositoryUrl(repository)}/blobs/${digest}`, { method: 'HEAD' });
  if (response.ok) return false;
  if (response.status === 404) return true;
  throw await refused(`Cannot look up ${digest} in ${repository}`, response);
}

/**
 * Sends a blob unless the repository has it: HEAD, then the monolithic upload of
 * distribution's spec (POST for a session, PUT of the whole body with its digest).
 */
async function upload(send: Send, repository: string, blob: Upload): Promise<boolean> {
  const { digest, size } = blob.descriptor;
  if (!(await missing(send, repository, digest))) return false;
  const blobs = `${repositoryUrl(repository)}/blobs`;
  const opened = await send(`${blobs}/uploads/`, { method: 'POST' });
  const location = opened.headers.get('location');
  if (opened.status !== 202 || !location)
    throw await refused(`${registryOf(repository)} did not open an upload of ${digest}`, opened);
  await opened.body?.cancel();
  const target = new URL(location, `${blobs}/uploads/`);
  target.searchParams.set('digest', digest);
  const put = await send(target.href, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/octet-stream' },
    body: await blob.body(),
    timeoutMs: blobTimeoutMs(size),
  });
  if (put.status !== 201) throw await refused(`${repository} refused the blob ${digest}`, put);
  await put.body?.cancel();
  const stored = put.headers.get('docker-content-digest');
  if (stored && stored !== digest)
    throw new Error(`${repository} stored the blob ${digest} as ${stored}`);
  return true;
}

/**
 * A file gzipped into another, with the compressed bytes' digest and size. zlib's gzip header
 * holds no name and a zero time, so a layer compresses to the same bytes each time, and a
 * second push finds every blob there already.
 */
async function gzipFile(source: string, target: string): Promise<Descriptor> {
  const hash = createHash('sha256');
  let size = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(
    createReadStream(source),
    createGzip(),
    count,
    createWriteStream(target, { flags: 'wx' }),
  );
  return { mediaType: OCI_LAYER_GZIP, digest: `sha256:${hash.digest('hex')}`, size };
}

/**
 * Compressions and uploads that run while the engine streams the next layer, on other
 * cores; the first failure for good stops the push.
 */
class Uploads {
  readonly sent: string[] = [];
  private readonly running: Array<Promise<void>> = [];
  private failure?: { error: unknown };

  constructor(
    private readonly send: Send,
    private readonly repository: string,
  ) {}

  start(prepare: () => Promise<Upload>): void {
    this.running.push(
      prepare()
        .then(async (blob) => {
          const { digest } = blob.descriptor;
          const sent = await withRetries(
            () => upload(this.send, this.repository, blob),
            retries(`Uploading ${digest} to ${repositoryOf(this.repository)}`),
          );
          if (sent) this.sent.push(digest);
        })
        .catch((error: unknown) => void (this.failure ??= { error })),
    );
  }

  /** Throws the first failure, if any so far. */
  check(): void {
    if (this.failure) throw this.failure.error;
  }

  async finished(): Promise<void> {
    await Promise.all(this.running);
    this.check();
  }
}

/**
 * Uploads a local image into a repository through the registry API and puts its OCI
 * manifest there by digest, under no tag. Layers are spooled into `tmpDir` as the engine
 * streams them, and gzipped and uploaded while the next ones come; blobs the repository has are not sent again.
 */
export async function pushByDigest(
  engine: Engine,
  imageId: string,
  repositoryReference: string,
  auth?: RegistryAuth,
  tmpDir = os.tmpdir(),
): Promise<PushedManifest> {
  // A tag in the reference would put the manifest under it: this push names none.
  const repository = parseImageReference(repositoryReference).name;
  const uploads = new Uploads(session(registryOf(repository), auth), repository);
  const folder = await mkdtemp(path.join(tmpDir, 'blobs-'));
  try {
    const compressed = new Map<string, Descriptor>();
    const archive = await readImageArchive(engine, imageId, {
      onLayer: async ({ diffId, stream }) => {
        uploads.check();
        // Spooled as it comes, since gzip is slower than the engine: the next layer need not
        // wait for this one's compression, which runs beside it.
        const file = path.join(folder, diffId.replace(':', '-'));
        await pipeline(stream, createWriteStream(file, { flags: 'wx' }));
        uploads.start(async () => {
          const descriptor = await gzipFile(file, `${file}.gz`);
          await rm(file);
          compressed.set(diffId, descriptor);
          return { descriptor, body: () => openAsBlob(`${file}.gz`) };
        });
      },
    });
    const config = descriptorOf(OCI_CONFIG, archive.config);
    uploads.start(async () => ({ descriptor: config, body: async () => archive.config }));
    await uploads.finished();

    const layers = archive.diffIds.map((diffId) => compressed.get(diffId) as Descriptor);
    const manifest = imageManifest(config, layers);
    const digest = await withRetries(
      () =>
        putManifest(
          `${repository}@${descriptorOf(OCI_MANIFEST, manifest).digest}`,
          manifest,
          OCI_MANIFEST,
          auth,
        ),
      retries(`Putting the manifest into ${repositoryOf(repository)}`),
    );
    const blobs = new Set([config, ...layers].map((blob) => blob.digest)).size;
    const { sent } = uploads;
    core.info(
      `Uploaded ${sent.length} of ${blobs} blobs to ${repository}${sent.length < blobs ? ', which had the others' : ''}`,
    );
    return {
      digest,
      size: manifest.length,
      mediaType: OCI_MANIFEST,
      platform: configPlatform(archive.config),
      uploaded: sent,
    };
  } catch (error) {
    throw new Error(
      `Cannot push ${imageId} by digest to ${repository}: ${(error as Error).message}`,
      { cause: error },
    );
  } finally {
    // No upload may still read a file when the folder goes.
    await uploads.finished().catch(() => undefined);
    await rm(folder, { recursive: true, force: true });
  }
}
