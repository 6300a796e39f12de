import { TAG_MAX, parseImageReference } from '../reference.js';

/* What keep-failed names a failed build's image, locally and where push-failed puts it. */

/**
 * The local repository of failed builds' images. Not the user's: a tag in one of their
 * repositories would leave with a later `docker push --all-tags`, and the image may hold
 * secrets that the playbook wrote.
 */
const FAILED_REPOSITORY = 'ansible-image-failed';
const FAILED_SUFFIX = '-failed';
/** How main.ts names a build container: ansible-image-<run id>[-<platform>]. */
const CONTAINER_PREFIX = 'ansible-image-';

/** The failed image's local name, after its container's: ansible-image-failed:<run id>[-<platform>]. */
export function failedImageName(containerName: string): string {
  const tag = containerName.startsWith(CONTAINER_PREFIX)
    ? containerName.slice(CONTAINER_PREFIX.length)
    : containerName;
  return `${FAILED_REPOSITORY}:${tag}`;
}

/**
 * Where push-failed puts it: the first tag's repository, under that tag with `-failed` (cut to
 * fit Docker's 128 characters). One per tag, so the newest failure replaces the last one rather
 * than piling up copies of what may hold secrets; and never a tag that the reuse lookup reads.
 */
export function failedPushReference(firstTag: string): string {
  const { name, tag = 'latest' } = parseImageReference(firstTag);
  return `${name}:${tag.slice(0, TAG_MAX - FAILED_SUFFIX.length)}${FAILED_SUFFIX}`;
}
