import { parseImageReference } from './reference.js';

/** What the OCI annotations describe, from the GitHub context and the base image. */
export interface OciFacts {
  created: Date;
  serverUrl?: string;
  repository?: string;
  revision?: string;
  baseName: string;
  /** The base image's registry digest, when it came from a registry. */
  baseDigest?: string;
}

/** The org.opencontainers.image.* labels, for the facts that are known. */
export function ociLabels(facts: OciFacts): Array<[string, string]> {
  const labels: Array<[string, string | undefined]> = [
    ['org.opencontainers.image.created', facts.created.toISOString()],
    [
      'org.opencontainers.image.source',
      facts.serverUrl && facts.repository ? `${facts.serverUrl}/${facts.repository}` : undefined,
    ],
    ['org.opencontainers.image.revision', facts.revision],
    ['org.opencontainers.image.base.name', facts.baseName],
    ['org.opencontainers.image.base.digest', facts.baseDigest],
  ];
  return labels.filter((label): label is [string, string] => Boolean(label[1]));
}

/** Labels of later lists win over earlier ones with the same key; order is kept otherwise. */
export function mergeLabels(...lists: Array<Array<[string, string]>>): Array<[string, string]> {
  const merged = new Map<string, string>();
  for (const list of lists) for (const [key, value] of list) merged.set(key, value);
  return [...merged];
}

/** The digest part of the base image's RepoDigests entry for its own repository. */
export function baseDigest(
  baseName: string,
  repoDigests: string[] | undefined,
): string | undefined {
  const { name, digest } = parseImageReference(baseName);
  if (digest) return digest;
  const entry = repoDigests?.find((d) => d.startsWith(`${name}@`)) ?? repoDigests?.[0];
  return entry?.split('@')[1];
}
