import { INDEX_TYPES, putManifest, readImage } from '../src/docker/registry.js';
import { docker } from './docker.js';

/**
 * The local base image of each platform (scripts/setup.sh makes them; the arm64 one with
 * SETUP_ARM64=1, as debootstrap under emulation).
 */
export const PLATFORM_BASES: Readonly<Record<string, string>> = {
  'linux/amd64': 'debian:bookworm-slim',
  'linux/arm64': 'debian:bookworm-slim-arm64',
};

export interface PlatformEntry {
  platform: string;
  mediaType: string;
  digest: string;
  size: number;
}

export interface PlatformIndex {
  /** `repository:tag` of the index, for `base-image:` with `pull: always`. */
  reference: string;
  digest: string;
  entries: PlatformEntry[];
}

const OCI_INDEX = INDEX_TYPES[0];

/**
 * Puts the local bases into `repository` (`127.0.0.1:PORT/name`, a registry without
 * authentication) and an OCI image index over them under `tag`, as Docker Hub serves its
 * multi-platform images. Each base goes by `docker push` under `TAG-OS-ARCH`, a tag that
 * stays in the registry; the index's entries are read back from the registry API. The same
 * bases give the same index digest, so test files may call this each in their own set-up.
 */
export async function pushPlatformBases(
  repository: string,
  tag = 'bookworm',
  bases: Readonly<Record<string, string>> = PLATFORM_BASES,
): Promise<PlatformIndex> {
  const entries: PlatformEntry[] = [];
  for (const [platform, image] of Object.entries(bases)) {
    const [os, architecture] = platform.split('/');
    const actual = docker('image', 'inspect', '--format', '{{.Os}}/{{.Architecture}}', image);
    if (actual.trim() !== platform)
      throw new Error(`${image} is ${actual.trim()}, not ${platform}: run scripts/setup.sh`);
    const staging = `${repository}:${tag}-${os}-${architecture}`;
    docker('tag', image, staging);
    try {
      docker('push', '--quiet', staging);
    } finally {
      docker('image', 'rm', staging);
    }
    const pushed = await readImage(staging);
    if (!pushed) throw new Error(`${staging} is not in the registry after docker push`);
    entries.push({
      platform,
      mediaType: pushed.mediaType,
      digest: pushed.digest,
      size: pushed.manifest.length,
    });
  }
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: entries.map(({ platform, mediaType, digest, size }) => {
        const [os, architecture] = platform.split('/');
        return { mediaType, digest, size, platform: { architecture, os } };
      }),
    }),
  );
  const reference = `${repository}:${tag}`;
  return { reference, digest: await putManifest(reference, index, OCI_INDEX), entries };
}
