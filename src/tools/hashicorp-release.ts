import * as core from '@actions/core';
import * as tc from '@actions/tool-cache';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { checksumFor, sha256File, verifyDetachedSignature } from './verify.js';

/** One file of a release on HashiCorp's release site (or a mirror with its layout). */
export interface ReleaseFile {
  /** The site's root, e.g. https://releases.hashicorp.com. */
  base: string;
  /** The product's folder: `packer`, `packer-plugin-docker`, … */
  product: string;
  version: string;
  fileName: string;
  publicKey: string;
  /** Where downloads go; the caller removes it. */
  scratch: string;
}

/** Runs `body` with a folder for downloads in the runner's temp folder, and removes it after. */
export async function withScratch<T>(prefix: string, body: (scratch: string) => Promise<T>) {
  const scratch = await mkdtemp(path.join(process.env.RUNNER_TEMP || os.tmpdir(), prefix));
  try {
    return await body(scratch);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

export async function download(url: string, directory: string, name: string): Promise<string> {
  try {
    // tool-cache retries server errors and gives up on a 4xx at once.
    return await tc.downloadTool(url, path.join(directory, name));
  } catch (error) {
    throw new Error(`Cannot download ${url}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Downloads a release's zip and unpacks it, once its SHA256SUMS verified against the signing
 * key and the zip against its checksum: nothing unverified reaches a folder the caller keeps.
 */
export async function downloadVerifiedZip(o: ReleaseFile): Promise<string> {
  const release = `${o.base}/${o.product}/${o.version}`;
  const sumsName = `${o.product}_${o.version}_SHA256SUMS`;
  const sums = await readFile(await download(`${release}/${sumsName}`, o.scratch, sumsName));
  const signature = await readFile(
    await download(`${release}/${sumsName}.72D7468F.sig`, o.scratch, `${sumsName}.sig`),
  );
  await verifyDetachedSignature(sums, signature, o.publicKey);
  const expected = checksumFor(sums.toString('utf8'), o.fileName);
  if (!expected) throw new Error(`${release}/${sumsName} has no checksum for ${o.fileName}`);
  const zip = await download(`${release}/${o.fileName}`, o.scratch, o.fileName);
  const actual = await sha256File(zip);
  if (actual !== expected)
    throw new Error(
      `Checksum mismatch for ${release}/${o.fileName}: expected ${expected}, got ${actual}`,
    );
  try {
    const extracted = await tc.extractZip(zip, path.join(o.scratch, `${o.product}-extracted`));
    core.info(`${o.product} ${o.version}: signature and checksum verified`);
    return extracted;
  } catch (error) {
    throw new Error(`Cannot unpack ${release}/${o.fileName}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
