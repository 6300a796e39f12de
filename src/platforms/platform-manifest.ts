import { type RegistryAuth, registryOf } from '../docker/auth.js';
import { IMAGE_TYPES, INDEX_TYPES, readConfig, readManifest, session } from '../docker/registry.js';
import { parseImageReference } from '../reference.js';
import { listedManifests } from './image-index.js';
import { type Platform, platformName, samePlatform, statedPlatform } from './platform.js';

/**
 * The platform's image of a base image in its registry, as `repository@sha256:…` to pull by
 * digest: the index's entry for it, or the image itself when its config states that platform.
 */
export async function platformManifest(
  reference: string,
  platform: Platform,
  auth?: RegistryAuth,
): Promise<string> {
  const registry = registryOf(reference);
  const send = session(registry, auth);
  const read = await readManifest(reference, send, (mediaType) =>
    [...INDEX_TYPES, ...IMAGE_TYPES].includes(mediaType)
      ? undefined
      : `${reference} in ${registry} has a manifest of type "${mediaType}", which is neither an image nor an index`,
  );
  if (!read) throw new Error(`${reference} is not in ${registry}`);
  const pinned = (digest: string) => `${parseImageReference(reference).name}@${digest}`;
  const wanted = platformName(platform);
  if (INDEX_TYPES.includes(read.mediaType)) {
    const listed = listedManifests(reference, read.manifest);
    const match = listed.find((entry) => entry.platform && samePlatform(entry.platform, platform));
    if (match) return pinned(match.digest);
    const has = listed.flatMap((entry) => (entry.platform ? [platformName(entry.platform)] : []));
    throw new Error(
      `${reference} has no image for ${wanted}; its index lists ${has.length ? has.join(', ') : 'no platform'}`,
    );
  }
  const { config } = await readConfig(reference, read.manifest, send);
  const stated = statedPlatform(config);
  if (!stated || !samePlatform(stated, platform))
    throw new Error(
      `${reference} is a single-platform image for ${stated ? platformName(stated) : 'no stated platform'}, not for ${wanted}`,
    );
  return pinned(read.digest);
}
