import * as core from '@actions/core';
import { withRetries } from '../retry.js';
import { type RegistryAuth, credentialsFor, registryOf, credentialForms } from './auth.js';
import type { Engine, ImageInfo } from './engine.js';
import { registryDigest } from './registry.js';
import {
  type Platform,
  platformManifest,
  platformName,
  samePlatform,
} from '../platforms/platform.js';

export interface Pushed {
  reference: string;
  digest: string;
}

/** Failures that another attempt cannot fix; anything else (5xx, a reset) is retried. */
const PERMANENT =
  /unauthorized|authentication required|denied|forbidden|\b40[134]\b|not found|manifest invalid|toomanyrequests|\b429\b/i;

export const retries = (what: string) => ({
  attempts: 3,
  firstDelayMs: 1000,
  isPermanent: (error: unknown) => PERMANENT.test((error as Error).message),
  onRetry: (error: unknown, attempt: number, delayMs: number) =>
    core.warning(
      `${what} failed (attempt ${attempt}): ${(error as Error).message}; retrying in ${delayMs / 1000} s`,
    ),
});

/** The stored credentials for a reference's registry, masked before anything can print them. */
export async function maskedCredentials(reference: string): Promise<RegistryAuth | undefined> {
  const registry = registryOf(reference);
  const auth = await credentialsFor(registry);
  if (auth) for (const form of credentialForms(auth)) core.setSecret(form);
  core.info(
    auth ? `Using the stored credentials for ${registry}` : `No stored credentials for ${registry}`,
  );
  return auth;
}

/** Pushes each tag and checks the digest the push reported against the registry's own. */
export async function pushTags(engine: Engine, tags: string[]): Promise<Pushed[]> {
  const pushed: Pushed[] = [];
  for (const reference of tags) {
    const auth = await maskedCredentials(reference);
    const digest = await withRetries(
      () => engine.push(reference, auth),
      retries(`Pushing ${reference}`),
    );
    const confirmed = await registryDigest(reference, auth).catch((error: Error) => {
      throw new Error(`Pushed ${reference}, but could not read its digest back: ${error.message}`, {
        cause: error,
      });
    });
    if (confirmed !== digest)
      throw new Error(
        `The registry reports ${confirmed} for ${reference}, but the push reported ${digest}`,
      );
    core.info(`Pushed ${reference}@${digest}`);
    pushed.push({ reference, digest });
  }
  return pushed;
}

/** Pulls an image with the stored credentials; a rate limit gets advice, not a stack. */
export async function pullImage(engine: Engine, reference: string): Promise<void> {
  const auth = await maskedCredentials(reference);
  try {
    await withRetries(() => engine.pull(reference, auth), retries(`Pulling ${reference}`));
  } catch (error) {
    if (/toomanyrequests|\b429\b/i.test((error as Error).message))
      throw new Error(
        `The registry rate-limited the pull of ${reference} (429 Too Many Requests). Log in first (docker/login-action) for a higher limit, use a mirror, or set pull: missing to reuse a local copy.`,
        { cause: error },
      );
    throw error;
  }
}

/**
 * The base image as the pull policy asks: the local one, or pulled from its registry. For a
 * platform, the local image counts only if it is that platform's (the engine's image store
 * keeps one platform per name); else the platform's manifest is pulled by its digest.
 */
export async function baseImage(
  engine: Engine,
  reference: string,
  pull: 'missing' | 'always' | 'never',
  platform?: Platform,
): Promise<ImageInfo> {
  const local = pull === 'always' ? undefined : await engine.findImage(reference);
  if (local && (!platform || samePlatform(imagePlatform(local), platform))) return local;
  if (pull === 'never')
    throw new Error(
      local && platform
        ? `Base image ${reference} is ${platformName(imagePlatform(local))} locally, not ${platformName(platform)}, and pull is "never"`
        : `Base image ${reference} is not present locally and pull is "never"`,
    );
  if (!platform) {
    core.info(`Pulling ${reference}`);
    await pullImage(engine, reference);
    return engine.inspectImage(reference);
  }
  const pinned = await platformManifest(reference, platform, await maskedCredentials(reference));
  core.info(`Pulling ${pinned}, the ${platformName(platform)} image of ${reference}`);
  await pullImage(engine, pinned);
  const pulled = await engine.inspectImage(pinned);
  if (!samePlatform(imagePlatform(pulled), platform))
    throw new Error(
      `${reference} lists ${pinned} for ${platformName(platform)}, but its config says ${platformName(imagePlatform(pulled))}`,
    );
  return pulled;
}

/** The platform that an image's config states. */
export function imagePlatform(image: ImageInfo): Platform {
  const { Os, Architecture, Variant } = image as ImageInfo & { Variant?: string };
  return { os: Os, architecture: Architecture, ...(Variant && { variant: Variant }) };
}
