import * as core from '@actions/core';
import * as tc from '@actions/tool-cache';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import semver from 'semver';
import { ActionsCache } from './actions-cache.js';
import { download, downloadVerifiedZip } from './hashicorp-release.js';
import { hashicorpPlatform } from './platform.js';
import type { Tool } from './system.js';
import { resolveVersion } from './versions.js';

export interface PackerInstall {
  spec: string;
  releasesUrl: string;
  publicKey: string;
}

interface ReleaseIndex {
  versions: Record<string, { builds: Array<{ os: string; arch: string; filename: string }> }>;
}

const TOOL = 'packer';

/** Packer from HashiCorp's releases (or a mirror): resolved, verified, cached. */
export async function installPacker(o: PackerInstall): Promise<Tool> {
  const { os: platform, arch } = hashicorpPlatform();
  const base = o.releasesUrl;
  const scratch = await mkdtemp(
    path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'packer-download-'),
  );
  try {
    let version = semver.valid(o.spec) ?? undefined;
    let directory = version ? tc.find(TOOL, version, arch) : '';
    let index: ReleaseIndex | undefined;
    const noRelease = () => new Error(`No Packer release matches "${o.spec}" at ${base}`);
    // An exact version needs the index only to download: the caches are asked first.
    if (!version) {
      index = await releaseIndex(base, scratch);
      version = resolveVersion(o.spec, Object.keys(index.versions ?? {}));
      if (!version) throw noRelease();
      directory = tc.find(TOOL, version, arch);
    }
    const resolved = version;
    const actionsCache = ActionsCache.forTool(TOOL, resolved, arch);
    if (!directory && (await actionsCache.restore())) directory = tc.find(TOOL, resolved, arch);
    if (!directory) {
      index ??= await releaseIndex(base, scratch);
      if (!index.versions?.[resolved]) throw noRelease();
      directory = await downloadVerified(
        base,
        resolved,
        platform,
        arch,
        index,
        o.publicKey,
        scratch,
      );
      await actionsCache.save();
    } else {
      core.info(`Packer ${resolved} from the tool cache`);
    }
    return {
      path: path.join(directory, platform === 'windows' ? 'packer.exe' : 'packer'),
      version: resolved,
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function releaseIndex(base: string, scratch: string): Promise<ReleaseIndex> {
  const file = await download(`${base}/packer/index.json`, scratch, 'index.json');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ReleaseIndex;
  } catch (error) {
    throw new Error(`${base}/packer/index.json is not a release index`, { cause: error });
  }
}

/** Nothing reaches the tool cache before both the signature and the checksum verify. */
async function downloadVerified(
  base: string,
  version: string,
  platform: string,
  arch: string,
  index: ReleaseIndex,
  publicKey: string,
  scratch: string,
): Promise<string> {
  const build = index.versions[version].builds?.find((b) => b.os === platform && b.arch === arch);
  if (!build) throw new Error(`Packer ${version} has no build for ${platform}/${arch}`);
  const extracted = await downloadVerifiedZip({
    base,
    product: TOOL,
    version,
    fileName: build.filename,
    publicKey,
    scratch,
  });
  if (!existsSync(path.join(extracted, platform === 'windows' ? 'packer.exe' : 'packer')))
    throw new Error(`${build.filename} holds no packer binary`);
  return tc.cacheDir(extracted, TOOL, version, arch);
}
