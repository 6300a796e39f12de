import * as io from '@actions/io';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import semver from 'semver';
import { download, downloadVerifiedZip, withScratch } from './hashicorp-release.js';
import { hashicorpPlatform } from './platform.js';
import type { Tool } from './system.js';
import { CachedTool } from './tool-cache.js';
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
  return withScratch('packer-download-', async (scratch) => {
    let version = semver.valid(o.spec) ?? undefined;
    let index: ReleaseIndex | undefined;
    const noRelease = () => new Error(`No Packer release matches "${o.spec}" at ${base}`);
    // An exact version needs the index only to download: the caches are asked first.
    if (!version) {
      index = await releaseIndex(base, scratch);
      version = resolveVersion(o.spec, Object.keys(index.versions ?? {}));
      if (!version) throw noRelease();
    }
    const resolved = version;
    const directory = await new CachedTool('Packer', TOOL, resolved, arch).ensure(
      async (target) => {
        index ??= await releaseIndex(base, scratch);
        if (!index.versions?.[resolved]) throw noRelease();
        await downloadVerified(base, resolved, platform, arch, index, o.publicKey, scratch, target);
      },
    );
    return {
      path: path.join(directory, platform === 'windows' ? 'packer.exe' : 'packer'),
      version: resolved,
    };
  });
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
  target: string,
): Promise<void> {
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
  await io.cp(extracted, target, { recursive: true, copySourceDirectory: false });
}
