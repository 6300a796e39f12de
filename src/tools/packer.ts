import * as core from '@actions/core';
import * as tc from '@actions/tool-cache';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import semver from 'semver';
import { run } from '../exec.js';
import { ActionsCache } from './actions-cache.js';
import { hashicorpPlatform } from './platform.js';
import type { Tool } from './system.js';
import { checksumFor, sha256File, verifyDetachedSignature } from './verify.js';
import { resolveVersion } from './versions.js';

export interface PackerInstall {
  spec: string;
  releasesUrl: string;
  publicKey: string;
  dockerPluginVersion: string;
  ansiblePluginVersion: string;
}

export interface InstalledPacker extends Tool {
  /** PACKER_PLUGIN_PATH for Packer 1.10 and later, which no longer contain our plugins. */
  pluginPath?: string;
}

interface ReleaseIndex {
  versions: Record<string, { builds: Array<{ os: string; arch: string; filename: string }> }>;
}

const TOOL = 'packer';

/** Packer from HashiCorp's releases (or a mirror): resolved, verified, cached. */
export async function installPacker(o: PackerInstall): Promise<InstalledPacker> {
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
    const binary = path.join(directory, platform === 'windows' ? 'packer.exe' : 'packer');
    const pluginPath = await installPlugins(binary, resolved, o);
    return { path: binary, version: resolved, ...(pluginPath && { pluginPath }) };
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

async function download(url: string, directory: string, name: string): Promise<string> {
  try {
    return await tc.downloadTool(url, path.join(directory, name));
  } catch (error) {
    throw new Error(`Cannot download ${url}: ${(error as Error).message}`, { cause: error });
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
  const release = `${base}/packer/${version}`;
  const sumsName = `packer_${version}_SHA256SUMS`;
  const sums = await readFile(await download(`${release}/${sumsName}`, scratch, sumsName));
  const signature = await readFile(
    await download(`${release}/${sumsName}.72D7468F.sig`, scratch, `${sumsName}.sig`),
  );
  await verifyDetachedSignature(sums, signature, publicKey);
  const expected = checksumFor(sums.toString('utf8'), build.filename);
  if (!expected) throw new Error(`${sumsName} has no checksum for ${build.filename}`);
  const zip = await download(`${release}/${build.filename}`, scratch, build.filename);
  const actual = await sha256File(zip);
  if (actual !== expected)
    throw new Error(`Checksum mismatch for ${build.filename}: expected ${expected}, got ${actual}`);
  let extracted: string;
  try {
    extracted = await tc.extractZip(zip, path.join(scratch, 'extracted'));
  } catch (error) {
    throw new Error(`Cannot unpack ${build.filename}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!existsSync(path.join(extracted, platform === 'windows' ? 'packer.exe' : 'packer')))
    throw new Error(`${build.filename} holds no packer binary`);
  core.info(`Packer ${version}: signature and checksum verified`);
  return tc.cacheDir(extracted, TOOL, version, arch);
}

/**
 * From Packer 1.10 on, the docker and ansible plugins are separate: the `packer plugins
 * install` commands for a version, none before 1.10 (they are built in).
 */
export function pluginInstallCommands(
  packerVersion: string,
  dockerPluginVersion: string,
  ansiblePluginVersion: string,
): string[][] {
  if (semver.lt(packerVersion, '1.10.0')) return [];
  return [
    ['plugins', 'install', 'github.com/hashicorp/docker', `v${dockerPluginVersion}`],
    ['plugins', 'install', 'github.com/hashicorp/ansible', `v${ansiblePluginVersion}`],
  ];
}

async function installPlugins(
  packer: string,
  version: string,
  o: PackerInstall,
): Promise<string | undefined> {
  const commands = pluginInstallCommands(version, o.dockerPluginVersion, o.ansiblePluginVersion);
  if (commands.length === 0) return undefined;
  const pluginPath = path.join(
    process.env.RUNNER_TOOL_CACHE ?? os.tmpdir(),
    'packer-plugins',
    `docker-${o.dockerPluginVersion}_ansible-${o.ansiblePluginVersion}`,
  );
  if (existsSync(`${pluginPath}.complete`)) return pluginPath;
  for (const args of commands) {
    const result = await run(packer, args, {
      env: { PACKER_PLUGIN_PATH: pluginPath, CHECKPOINT_DISABLE: '1' },
    });
    if (result.exitCode !== 0)
      throw new Error(
        `packer ${args.join(' ')} failed: ${(result.stderr || result.stdout).trim()}`,
      );
  }
  await writeFile(`${pluginPath}.complete`, '');
  return pluginPath;
}
