import type { RegistryAuth } from '../docker/auth.js';
import { registryOf, repositoryOf } from '../docker/auth.js';
import { mountBlobs, putManifest, readImage, type RegistryImage } from '../docker/registry.js';
import type { Pushed } from '../docker/transfer.js';

/** An image in the registry that carries the key: it can stand in for a build. */
export interface RegistryHit extends RegistryImage {
  /** Where it was found; other repositories of the registry mount its blobs from here. */
  reference: string;
}

/** Why the registry has nothing to reuse, in one line for the log. */
export interface RegistryMiss {
  miss: string;
}

/**
 * Looks for an image with this key at the reference. Never throws: a registry that is down,
 * refuses, or holds something else only means a build, so every failure becomes a miss.
 */
export async function findInRegistry(
  reference: string,
  key: string,
  labelName: string,
  auth?: RegistryAuth,
): Promise<RegistryHit | RegistryMiss> {
  let image: RegistryImage | undefined;
  try {
    image = await readImage(reference, auth);
  } catch (error) {
    return { miss: (error as Error).message.split('\n')[0] };
  }
  if (!image) return { miss: `no image with this key in the registry (${reference} not found)` };
  const found = image.config.config?.Labels?.[labelName];
  if (found === undefined)
    return { miss: `${reference} in the registry has no ${labelName} label` };
  if (found !== key)
    return { miss: `${reference} in the registry was built with another key (${found})` };
  return { reference, ...image };
}

/**
 * Puts the hit's manifest under every tag with manifest PUTs, so no layer moves. A tag in
 * another repository first gets the blobs by cross-repository mounts, which work only within
 * one registry.
 */
export async function retagInRegistry(
  hit: RegistryHit,
  tags: string[],
  auth?: RegistryAuth,
): Promise<Pushed[]> {
  const registry = registryOf(hit.reference);
  const elsewhere = tags.find((tag) => registryOf(tag) !== registry);
  if (elsewhere)
    throw new Error(
      `Cannot reuse ${hit.reference} for ${elsewhere}: blobs can be mounted only within one registry (${registry}), so the image must be pushed there`,
    );
  const source = repositoryOf(hit.reference);
  const withBlobs = new Set([source]);
  const pushed: Pushed[] = [];
  for (const reference of tags) {
    const repository = repositoryOf(reference);
    if (!withBlobs.has(repository)) {
      await mountBlobs(reference, source, hit.manifest, auth);
      withBlobs.add(repository);
    }
    pushed.push({
      reference,
      digest: await putManifest(reference, hit.manifest, hit.mediaType, auth),
    });
  }
  return pushed;
}

/**
 * What the outputs say of an image known only from its registry: its ID is the config's
 * digest, as the engine would give it; sizes are the registry's, compressed.
 */
export function registryImageFacts(hit: RegistryHit): {
  id: string;
  size: number;
  layerSize: number;
  layers: number;
} {
  const { layers = [] } = JSON.parse(hit.manifest.toString('utf8')) as {
    layers?: Array<{ size?: number }>;
  };
  return {
    id: hit.configDigest,
    size: layers.reduce((sum, layer) => sum + (layer.size ?? 0), 0),
    layerSize: layers.at(-1)?.size ?? 0,
    layers: layers.length,
  };
}
