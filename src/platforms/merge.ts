import { type RegistryAuth, registryOf, repositoryOf } from '../docker/auth.js';
import { IMAGE_TYPES, INDEX_TYPES, readConfig, readManifest, session } from '../docker/registry.js';
import { parseImageReference } from '../reference.js';
import type { IndexEntry } from './image-index.js';
import { platformName, samePlatform, statedPlatform } from './platform.js';

/** The rule a reference to merge breaks, or undefined: by digest, without a tag. */
function syntaxError(reference: string): string | undefined {
  let parsed;
  try {
    parsed = parseImageReference(reference);
  } catch (error) {
    return `"${reference}" is not an image reference: ${(error as Error).message}`;
  }
  if (!parsed.digest?.startsWith('sha256:'))
    return `"${reference}" must name an image by digest (repository@sha256:…), like a build's digest output`;
  if (parsed.tag !== undefined)
    return `"${reference}" must not have a tag: the digest alone names the image`;
  return undefined;
}

const repositoryName = (reference: string) => `${registryOf(reference)}/${repositoryOf(reference)}`;

/**
 * The index entries for images that other jobs pushed by digest: each checked to be in the
 * registry, one platform's image, of one repository with the others, and of a platform that
 * no other one has. Everything is read and nothing written, so a failure moves no tag.
 */
export async function mergeEntries(
  references: string[],
  auth?: RegistryAuth,
): Promise<IndexEntry[]> {
  if (references.length === 0) throw new Error('Nothing to merge: give at least one image digest');
  for (const reference of references) {
    const rule = syntaxError(reference);
    if (rule) throw new Error(rule);
  }
  const [first] = references;
  const other = references.find((reference) => repositoryName(reference) !== repositoryName(first));
  if (other)
    throw new Error(
      `${first} and ${other} are in different repositories (${repositoryName(first)} and ${repositoryName(other)}): an index names images of its own repository, so push them all to one`,
    );
  const registry = registryOf(first);
  const send = session(registry, auth);
  const entries: IndexEntry[] = [];
  for (const reference of references) {
    const read = await readManifest(reference, send, (mediaType) => {
      if (IMAGE_TYPES.includes(mediaType)) return undefined;
      return INDEX_TYPES.includes(mediaType)
        ? `${reference} is an index (${mediaType}), not one platform's image: give the digest of each platform's image instead`
        : `${reference} has a manifest of type "${mediaType}", not an image's`;
    });
    if (!read) throw new Error(`${reference} is not in ${registry}: was it pushed there?`);
    const platform = statedPlatform((await readConfig(reference, read.manifest, send)).config);
    if (!platform) throw new Error(`The config of ${reference} states no platform`);
    const twin = entries.find((entry) => samePlatform(entry.platform, platform));
    if (twin)
      throw new Error(
        `${twin.reference} and ${reference} are both ${platformName(platform)} images: give one image per platform`,
      );
    entries.push({
      reference,
      digest: read.digest,
      size: read.manifest.length,
      mediaType: read.mediaType,
      platform,
    });
  }
  return entries;
}
