import * as core from '@actions/core';
import { repositoryOf } from '../docker/auth.js';
import { pushByDigest } from '../docker/blob-upload.js';
import type { Engine } from '../docker/engine.js';
import { maskedCredentials } from '../docker/transfer.js';
import type { Inputs } from '../inputs.js';
import { parseImageReference } from '../reference.js';
import type { BuildReport } from '../report/report.js';
import { type IndexEntry, putIndex } from './image-index.js';
import { mergeEntries } from './merge.js';
import { type Platform, parsePlatform, platformName, stagingTag } from './platform.js';

/**
 * One platform's build of a multi-platform image: its images go under staging tags
 * (`<tag>-<os>-<arch>`), since a tag of the engine's store holds one platform, and the final
 * tags get the index.
 */
export function platformInputs(inputs: Inputs, platform: Platform): Inputs {
  return { ...inputs, tags: inputs.tags.map((tag) => stagingTag(tag, platform)) };
}

/** Where a reference's repository is, as `repo@digest` references name it. */
const repositoryName = (reference: string) => parseImageReference(reference).name;

/**
 * Uploads an image by digest, with no tag, into each repository that the tags name; returns
 * its manifest digest and a `repository@digest` reference per repository.
 */
export async function pushImageByDigest(
  engine: Engine,
  imageId: string,
  tags: string[],
): Promise<{ digest: string; references: string[] }> {
  const references: string[] = [];
  let digest = '';
  for (const repository of new Set(tags.map(repositoryName))) {
    const uploaded = await pushByDigest(
      engine,
      imageId,
      repository,
      await maskedCredentials(repository),
      process.env.RUNNER_TEMP || undefined,
    );
    digest = uploaded.digest;
    references.push(`${repository}@${uploaded.digest}`);
    core.info(`Pushed ${repository}@${uploaded.digest} (no tag)`);
  }
  return { digest, references };
}

/**
 * Once every platform's build is done: with push, one index over their images under every
 * tag (from the images in the first tag's repository); without, the images
 * stay local under their staging tags. The report's image is then the index.
 */
export async function indexPlatforms(report: BuildReport, inputs: Inputs): Promise<void> {
  const builds = report.platforms ?? [];
  const first = builds[0].image as NonNullable<BuildReport['image']>;
  report.image = { ...first, tags: inputs.tags, digest: '', pushed: [] };
  if (!inputs.push) {
    core.info(
      `Not pushed: each platform's image stays local under its own tag (${builds
        .flatMap((build) => build.image?.tags ?? [])
        .join(', ')}), since a tag of the engine's image store holds one platform`,
    );
    return;
  }
  // inputs.ts has checked that the tags are in one registry, where the index can be checked
  // before any tag moves.
  const { tags } = inputs;
  const auth = await maskedCredentials(tags[0]);
  const references = builds.map((build) => platformImage(build, tags[0], inputs));
  const entries: IndexEntry[] = await mergeEntries(references, auth);
  const index = await putIndex(tags, entries, auth);
  report.index = { digest: index.digest, mediaType: index.mediaType };
  report.image.digest = index.digest;
  report.image.pushed.push(...index.pushed);
}

/** A platform's image in a tag's repository: pushed under its staging tag, or by digest. */
function platformImage(build: BuildReport, tag: string, inputs: Inputs): string {
  const repository = repositoryName(tag);
  const image = build.image as NonNullable<BuildReport['image']>;
  const pushed = inputs.pushByDigest
    ? build.pushedByDigest?.find((reference) => reference.startsWith(`${repository}@`))
    : image.pushed
        .filter((staging) => repositoryName(staging.reference) === repository)
        .map((staging) => `${repository}@${staging.digest}`)[0];
  if (!pushed)
    throw new Error(
      `The ${build.platform} image was not pushed to ${repository} (${repositoryOf(tag)}), so the index cannot name it`,
    );
  return pushed;
}

/** Instead of a build: one index over the given images, checked first, under every tag. */
export async function mergeImages(report: BuildReport, inputs: Inputs): Promise<void> {
  const auth = await maskedCredentials(inputs.merge[0]);
  const entries = await mergeEntries(inputs.merge, auth);
  const index = await putIndex(inputs.tags, entries, auth);
  report.index = { digest: index.digest, mediaType: index.mediaType };
  report.platforms = entries.map((entry, n) => ({
    platform: platformName(entry.platform),
    baseImage: { name: '' },
    phases: {},
    tasks: [],
    image: {
      id: '',
      digest: entry.digest,
      size: 0,
      layerSize: 0,
      layers: 0,
      tags: [inputs.merge[n]],
      pushed: [],
    },
  }));
  report.image = {
    id: '',
    digest: index.digest,
    size: 0,
    layerSize: 0,
    layers: 0,
    tags: inputs.tags,
    pushed: index.pushed,
  };
}

/**
 * What an export holds: the image, or every platform's. A docker tarball names each by a tag
 * of its own (one platform per tag, as in the engine); an OCI layout names the index once.
 */
export function exportedImages(
  report: BuildReport,
  inputs: Inputs,
): Array<{ id: string; platform?: Platform; reference?: string }> {
  const builds = report.platforms ?? [report];
  return builds.map((build) => {
    const image = build.image as NonNullable<BuildReport['image']>;
    const platform = build.platform ? parsePlatform(build.platform) : undefined;
    const reference = inputs.export?.format === 'oci' ? inputs.tags[0] : image.tags[0];
    return { id: image.id, ...(platform && { platform }), ...(reference && { reference }) };
  });
}
