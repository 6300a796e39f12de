import { parseImageReference } from '../reference.js';
import { IMAGE_TYPES, INDEX_TYPES, sha256 } from './registry.js';

export const OCI_MANIFEST = IMAGE_TYPES[0];
export const OCI_INDEX = INDEX_TYPES[0];
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar';
export const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';

/** The annotation of an OCI layout's index.json that names an image, by its tag. */
export const REF_NAME = 'org.opencontainers.image.ref.name';
/** The whole reference, which containerd (and so `docker load` from engine 25) reads. */
export const IMAGE_NAME = 'io.containerd.image.name';

export interface ImagePlatform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: ImagePlatform;
  annotations?: Record<string, string>;
}

export const descriptorOf = (mediaType: string, bytes: Buffer): Descriptor => ({
  mediaType,
  digest: sha256(bytes),
  size: bytes.length,
});

/** The platform that an image config states. */
export function configPlatform(config: Buffer): ImagePlatform {
  let parsed: { os?: unknown; architecture?: unknown; variant?: unknown };
  try {
    parsed = JSON.parse(config.toString('utf8')) as typeof parsed;
  } catch (error) {
    throw new Error('The image config is not JSON', { cause: error });
  }
  const { os, architecture, variant } = parsed;
  if (typeof os !== 'string' || typeof architecture !== 'string' || !os || !architecture)
    throw new Error('The image config names no os or architecture');
  return { os, architecture, ...(typeof variant === 'string' && variant && { variant }) };
}

/** Where an OCI image layout keeps a blob. */
export const blobPath = (digest: string) => `blobs/${digest.replace(':', '/')}`;

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

/** An OCI image manifest, as the bytes whose digest names it. */
export function imageManifest(config: Descriptor, layers: Descriptor[]): Buffer {
  return json({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers });
}

/** An OCI image index over the manifests (and, in a layout's index.json, what names them). */
export function imageIndex(manifests: Descriptor[]): Buffer {
  return json({ schemaVersion: 2, mediaType: OCI_INDEX, manifests });
}

/** The annotations that name an image in an OCI layout: its tag, and the whole reference. */
export function refAnnotations(reference: string): Record<string, string> {
  const { tag } = parseImageReference(reference);
  return { [IMAGE_NAME]: reference, [REF_NAME]: tag ?? 'latest' };
}
