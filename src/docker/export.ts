import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { lstat, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { humanBytes } from '../report/format.js';
import type { Engine } from './engine.js';
import { readImageArchive } from './image-archive.js';
import {
  type Descriptor,
  type ImagePlatform,
  configPlatform,
  descriptorOf,
  imageIndex,
  imageManifest,
  OCI_CONFIG,
  OCI_INDEX,
  OCI_LAYER,
  OCI_MANIFEST,
  blobPath,
  refAnnotations,
} from './oci-image.js';

export const EXPORT_FORMATS = ['docker', 'oci'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportedImage {
  /** The image ID in the engine. */
  id: string;
  /** Its platform, when the caller knows it; else the config's. */
  platform?: ImagePlatform;
  /** The name it gets in the tarball; `docker` takes it from the engine, where it must be this image's tag. */
  reference?: string;
}

export interface ExportRequest {
  engine: Engine;
  images: ExportedImage[];
  path: string;
  format: ExportFormat;
  overwrite: boolean;
}

/**
 * Writes images into a tarball: `docker` is what `docker save` writes (for `docker load`),
 * `oci` an OCI image layout (oci-layout, index.json, blobs/sha256/…), whose index.json names
 * the image, or an image index over the platforms when there are several. The file appears
 * whole or not at all: it is written next to the target and renamed.
 */
export async function exportImages(
  request: ExportRequest,
): Promise<{ path: string; bytes: number }> {
  const { images, format, overwrite } = request;
  const target = path.resolve(request.path);
  if (images.length === 0) throw new Error('There is no image to export');
  const names = new Set(images.map((image) => image.reference));
  if (format === 'oci' && names.size > 1)
    throw new Error(`The images of one OCI export share one name, not ${[...names].join(', ')}`);
  await checkTarget(target, overwrite);
  const folder = path.dirname(target);
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    throw new Error(`Cannot create ${folder} for the export: ${reason(error)}`, { cause: error });
  }
  const partial = path.join(
    folder,
    `.${path.basename(target)}.${randomBytes(4).toString('hex')}.partial`,
  );
  // 'wx': a file someone put there meanwhile is not followed or reused.
  const file = createWriteStream(partial, { flags: 'wx' });
  try {
    await new Promise((resolve, reject) => file.once('open', resolve).once('error', reject));
  } catch (error) {
    throw new Error(`Cannot write the export into ${folder}: ${reason(error)}`, { cause: error });
  }
  try {
    const source =
      format === 'docker' ? await dockerArchive(request) : ociArchive(request.engine, images);
    await pipeline(source, file);
    await rename(partial, target);
  } catch (error) {
    file.destroy();
    await rm(partial, { force: true });
    const after = file.bytesWritten ? ` after ${humanBytes(file.bytesWritten)}` : '';
    throw new Error(
      `Cannot export to ${target}: ${reason(error)}${after}; nothing was left there`,
      {
        cause: error,
      },
    );
  }
  return { path: target, bytes: (await stat(target)).size };
}

async function checkTarget(target: string, overwrite: boolean): Promise<void> {
  const existing = await lstat(target).catch(() => undefined);
  if (!existing) return;
  if (!existing.isFile()) throw new Error(`The export path ${target} exists and is not a file`);
  if (!overwrite)
    throw new Error(
      `The export path ${target} exists: choose another, or set export-overwrite: true to replace it`,
    );
}

/** The cause of a file system failure, said plainly, with the code for searching. */
function reason(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `the disk is full (${code})`;
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return `the folder is not writable (${code})`;
    default:
      return message;
  }
}

/** `docker save` by the images' tags, which the engine must give those very images. */
async function dockerArchive({ engine, images }: ExportRequest): Promise<Readable> {
  const names = await Promise.all(
    images.map(async ({ id, reference }) => {
      if (!reference) return id;
      const tagged = await engine.findImage(reference);
      if (tagged?.Id !== id)
        throw new Error(`The engine has no tag ${reference} on the image ${id} to export`);
      return reference;
    }),
  );
  return (await engine.saveImages(names)) as Readable;
}

/**
 * The OCI layout, streamed as each image leaves the engine: a layer goes into the tarball
 * as it is read (uncompressed, so that its digest is its diffID), then the config and the
 * manifest; index.json comes last, once every manifest is known.
 */
function ociArchive(engine: Engine, images: ExportedImage[]): Readable {
  const pack = tar.pack();
  // An entry of a pack that the file's failure destroyed never completes: this ends the wait.
  const stopped = new Promise<never>((_, reject) =>
    pack.once('close', () => reject(new Error('the export stopped'))),
  );
  stopped.catch(() => undefined);
  const written = new Set<string>();
  const add = (name: string, bytes: Buffer) =>
    Promise.race([
      stopped,
      new Promise<void>((resolve, reject) =>
        pack.entry({ name, size: bytes.length, mtime: EPOCH }, bytes, (error) =>
          error ? reject(error) : resolve(),
        ),
      ),
    ]);
  const blob = async (descriptor: Descriptor, bytes: Buffer) => {
    if (written.has(descriptor.digest)) return;
    written.add(descriptor.digest);
    await add(blobPath(descriptor.digest), bytes);
  };

  const write = async () => {
    await add('oci-layout', Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })));
    const manifests: Descriptor[] = [];
    for (const image of images) {
      const sizes = new Map<string, number>();
      const archive = await readImageArchive(engine, image.id, {
        onLayer: async ({ diffId, size, stream }) => {
          sizes.set(diffId, size);
          if (written.has(diffId)) return;
          written.add(diffId);
          await Promise.race([
            stopped,
            new Promise<void>((resolve, reject) => {
              const entry = pack.entry({ name: blobPath(diffId), size, mtime: EPOCH }, (error) =>
                error ? reject(error) : resolve(),
              );
              stream.on('error', reject).pipe(entry);
            }),
          ]);
        },
      });
      const config = descriptorOf(OCI_CONFIG, archive.config);
      await blob(config, archive.config);
      const layers = archive.diffIds.map((diffId) => ({
        mediaType: OCI_LAYER,
        digest: diffId,
        size: sizes.get(diffId) as number,
      }));
      const manifest = imageManifest(config, layers);
      const descriptor = descriptorOf(OCI_MANIFEST, manifest);
      await blob(descriptor, manifest);
      manifests.push({
        ...descriptor,
        platform: image.platform ?? configPlatform(archive.config),
        ...(images.length === 1 &&
          image.reference && { annotations: refAnnotations(image.reference) }),
      });
    }
    await add('index.json', imageIndex(await topLevel(manifests, images[0].reference, blob)));
    pack.finalize();
  };
  write().catch((error: Error) => pack.destroy(error));
  return pack;
}

const EPOCH = new Date(0);

/** What index.json lists: the image, or one image index over every platform's image. */
async function topLevel(
  manifests: Descriptor[],
  reference: string | undefined,
  blob: (descriptor: Descriptor, bytes: Buffer) => Promise<void>,
): Promise<Descriptor[]> {
  if (manifests.length === 1) return manifests;
  const index = imageIndex(manifests);
  const descriptor = descriptorOf(OCI_INDEX, index);
  await blob(descriptor, index);
  return [{ ...descriptor, ...(reference && { annotations: refAnnotations(reference) }) }];
}
