import { type RegistryAuth, registryOf, repositoryOf } from '../docker/auth.js';
import {
  IMAGE_TYPES,
  INDEX_TYPES,
  Refusal,
  mountBlobs,
  putManifest,
  readManifest,
  session,
  sha256,
} from '../docker/registry.js';
import type { Pushed } from '../docker/transfer.js';
import { parseImageReference } from '../reference.js';
import { type Platform, platformName, statedPlatform } from './platform.js';

export const [OCI_INDEX, DOCKER_LIST] = INDEX_TYPES;
const DOCKER_IMAGE = IMAGE_TYPES[1];

/** One platform's image manifest, which an index names. */
export interface IndexEntry {
  /** Where the manifest is, `repository@sha256:…`: other repositories of its registry mount it from there. */
  reference: string;
  digest: string;
  size: number;
  mediaType: string;
  platform: Platform;
}

/** The index document, byte for byte as it is stored: its digest is over these bytes. */
export function indexManifest(entries: IndexEntry[], mediaType = OCI_INDEX): Buffer {
  const manifests = entries.map(({ mediaType, digest, size, platform }) => ({
    mediaType,
    digest,
    size,
    platform: {
      architecture: platform.architecture,
      os: platform.os,
      ...(platform.variant && { variant: platform.variant }),
    },
  }));
  return Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType, manifests }, null, 2));
}

/** An entry of an index as read from a registry: what it names, for which platform. */
export interface ListedManifest {
  digest: string;
  mediaType?: string;
  /** Undefined for an entry that is no platform's image (an attestation's `unknown/unknown`). */
  platform?: Platform;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** The entries of an index or a manifest list from a registry; malformed ones are refused. */
export function listedManifests(reference: string, manifest: Buffer): ListedManifest[] {
  let parsed: { manifests?: unknown };
  try {
    parsed = JSON.parse(manifest.toString('utf8')) as typeof parsed;
  } catch (error) {
    throw new Error(`The index of ${reference} is not JSON`, { cause: error });
  }
  if (!Array.isArray(parsed.manifests))
    throw new Error(`The index of ${reference} has no list of manifests`);
  return parsed.manifests.map((entry: unknown, n) => {
    const { digest, mediaType, platform } = (entry ?? {}) as Record<string, unknown>;
    if (typeof digest !== 'string' || !DIGEST.test(digest))
      throw new Error(`Entry ${n + 1} of the index of ${reference} has no sha256 digest`);
    return {
      digest,
      ...(typeof mediaType === 'string' && { mediaType }),
      platform: statedPlatform(platform),
    };
  });
}

export interface PutIndex {
  digest: string;
  mediaType: string;
  pushed: Pushed[];
}

/**
 * Puts one index over the entries under every tag, last and whole: first by digest into each
 * tag's repository (with the entries' manifests mounted there when they are elsewhere in the
 * registry), which shows the registry takes it before any tag moves; then under each tag. A
 * registry that refuses the OCI index type gets a Docker manifest list, when its entries are
 * Docker images.
 */
export async function putIndex(
  tags: string[],
  entries: IndexEntry[],
  auth?: RegistryAuth,
): Promise<PutIndex> {
  if (entries.length === 0) throw new Error('An image index needs at least one image');
  if (tags.length === 0) throw new Error('An image index needs at least one tag to go under');
  const registry = registryOf(entries[0].reference);
  for (const reference of [...entries.map((entry) => entry.reference), ...tags])
    if (registryOf(reference) !== registry)
      throw new Error(
        `Cannot put the index over images in ${registry} under ${reference}: an index names manifests of its own registry only (${registryOf(reference)}), so the images must be pushed there`,
      );
  // One tag per repository stands for it until the index is in.
  const repositories = new Map(tags.map((tag) => [repositoryOf(tag), tag]));
  for (const tag of repositories.values()) await placeEntries(tag, entries, auth);

  let mediaType = OCI_INDEX;
  let manifest = indexManifest(entries, mediaType);
  try {
    await putByDigest(repositories, manifest, mediaType, auth);
  } catch (error) {
    if (!refusesType(error)) throw error;
    const other = entries.find((entry) => entry.mediaType !== DOCKER_IMAGE);
    if (other)
      throw new Error(
        `${registry} refused the image index as ${OCI_INDEX} (${(error as Error).message}), and a Docker manifest list cannot name the ${platformName(other.platform)} image ${other.reference}, which is ${other.mediaType}`,
        { cause: error },
      );
    mediaType = DOCKER_LIST;
    manifest = indexManifest(entries, mediaType);
    await putByDigest(repositories, manifest, mediaType, auth).catch((again: Error) => {
      throw new Error(
        `${registry} refused the image index both as ${OCI_INDEX} (${(error as Error).message}) and as ${DOCKER_LIST} (${again.message})`,
        { cause: again },
      );
    });
  }
  const pushed: Pushed[] = [];
  for (const reference of tags)
    pushed.push({ reference, digest: await putManifest(reference, manifest, mediaType, auth) });
  return { digest: sha256(manifest), mediaType, pushed };
}

/** The index in each repository, by digest only: no tag moves yet. */
async function putByDigest(
  repositories: Map<string, string>,
  manifest: Buffer,
  mediaType: string,
  auth?: RegistryAuth,
): Promise<void> {
  for (const tag of repositories.values())
    await putManifest(atDigest(tag, sha256(manifest)), manifest, mediaType, auth);
}

const atDigest = (reference: string, digest: string) =>
  `${parseImageReference(reference).name}@${digest}`;

/**
 * A registry that does not know the OCI index type answers 415, or 400 with one of these codes
 * (distribution's spec; Quay and older Harbor say MANIFEST_INVALID).
 */
const TYPE_REFUSALS = ['MANIFEST_INVALID', 'UNSUPPORTED', 'MANIFEST_UNSUPPORTED'];

const refusesType = (error: unknown) =>
  error instanceof Refusal &&
  (error.status === 415 ||
    (error.status === 400 && error.codes.some((code) => TYPE_REFUSALS.includes(code))));

/**
 * The entries' manifests in the tag's repository: an index may name only manifests of its own
 * repository, so those from another one are mounted (their blobs) and put by digest.
 */
async function placeEntries(tag: string, entries: IndexEntry[], auth?: RegistryAuth) {
  const repository = repositoryOf(tag);
  const send = session(registryOf(tag), auth);
  for (const entry of entries) {
    const source = repositoryOf(entry.reference);
    if (source === repository) continue;
    const pinned = atDigest(entry.reference, entry.digest);
    const read = await readManifest(pinned, send, (mediaType) =>
      IMAGE_TYPES.includes(mediaType)
        ? undefined
        : `${pinned} is a manifest of type "${mediaType}", not an image's`,
    );
    if (!read) throw new Error(`${pinned} is no longer in ${registryOf(tag)}`);
    await mountBlobs(tag, source, read.manifest, auth);
    await putManifest(atDigest(tag, entry.digest), read.manifest, read.mediaType, auth);
  }
}
