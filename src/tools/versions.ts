import semver from 'semver';

/**
 * Picks the version that a `latest`, exact or range input means among the published ones
 * (pre-releases only when asked for by exact version). Undefined when none matches.
 */
export function resolveVersion(spec: string, published: string[]): string | undefined {
  const stable = published.filter((v) => semver.valid(v) && !semver.prerelease(v));
  if (spec === 'latest') return semver.rsort(stable)[0];
  if (semver.valid(spec)) return published.includes(spec) ? spec : undefined;
  return semver.maxSatisfying(stable, spec) ?? undefined;
}

/** What a version input may be; the rule that inputs.ts reports. */
export function isVersionSpec(value: string): boolean {
  if (value.trim() === '') return false;
  return value === 'latest' || value === 'system' || semver.validRange(value) !== null;
}

/** Versions in the file names of a package index page (PEP 503 simple HTML). */
export function indexVersions(html: string, project: string): string[] {
  const name = project.replace(/[-_.]+/g, '[-_.]+');
  const pattern = new RegExp(
    `>\\s*${name}-(\\d+(?:\\.\\d+)*(?:[a-z]+\\d+)?)(?:-|\\.tar\\.gz|\\.zip)`,
    'gi',
  );
  return [...new Set([...html.matchAll(pattern)].map((m) => m[1]))].filter((v) => semver.valid(v));
}
