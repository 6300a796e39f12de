import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseCommandFile } from '../runner.js';

// The cache service is the network: its client is the one stand-in here.
const cache = vi.hoisted(() => ({
  isFeatureAvailable: vi.fn<() => boolean>(),
  restoreCache: vi.fn<(paths: string[], key: string) => Promise<string | undefined>>(),
  saveCache: vi.fn<(paths: string[], key: string) => Promise<number>>(),
}));
vi.mock('@actions/cache', () => cache);

const ENV = ['RUNNER_TOOL_CACHE', 'GITHUB_STATE', 'STATE_cachesToSave', 'STATE_cleanedUp'];
let saved: Record<string, string | undefined>;
let scratch: string;
let toolCache: string;
let stdout: string;

beforeEach(() => {
  saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));
  scratch = mkdtempSync(path.join(os.tmpdir(), 'tool-cache-test-'));
  toolCache = path.join(scratch, 'tool-cache');
  process.env.RUNNER_TOOL_CACHE = toolCache;
  process.env.GITHUB_STATE = path.join(scratch, 'state');
  writeFileSync(process.env.GITHUB_STATE, '');
  cache.isFeatureAvailable.mockReset().mockReturnValue(true);
  cache.restoreCache.mockReset().mockResolvedValue(undefined);
  cache.saveCache.mockReset().mockResolvedValue(1);
  stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  // A fresh module graph each time: the list of what a step made lives for one process.
  vi.resetModules();
});

afterEach(() => {
  vi.restoreAllMocks();
  for (const [name, value] of Object.entries(saved))
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  rmSync(scratch, { recursive: true, force: true });
});

/** What the main step left for the post step, as the runner hands it over. */
const state = () => parseCommandFile(readFileSync(process.env.GITHUB_STATE as string, 'utf8'));

const packer = async () => {
  const { CachedTool } = await import('../../src/tools/tool-cache.js');
  return new CachedTool('Packer', 'packer', '1.11.2', 'amd64');
};
const KEY = `ansible-image-packer-1.11.2-${process.platform}-amd64`;
const folder = () => path.join(toolCache, 'packer', '1.11.2', 'amd64');
const paths = () => [folder(), `${folder()}.complete`];

const complete = () => {
  mkdirSync(folder(), { recursive: true });
  writeFileSync(path.join(folder(), 'packer'), '');
  writeFileSync(`${folder()}.complete`, '');
};

describe('where the tool cache is', () => {
  it('is RUNNER_TOOL_CACHE, or the user’s cache folder without one, for every folder kept', async () => {
    const { toolCacheDirectory } = await import('../../src/tools/cache-directory.js');
    const { actionCacheDirectory } = await import('../../src/tools/version-cache.js');
    const { ToolFolder } = await import('../../src/tools/tool-cache.js');
    expect(toolCacheDirectory()).toBe(toolCache);
    expect(new ToolFolder('packer-plugins', 'x').directory).toBe(
      path.join(toolCache, 'packer-plugins', 'x'),
    );
    for (const unset of [undefined, '']) {
      if (unset === undefined) delete process.env.RUNNER_TOOL_CACHE;
      else process.env.RUNNER_TOOL_CACHE = unset;
      const home = path.join(os.homedir(), '.cache');
      expect(toolCacheDirectory()).toBe(home);
      expect(actionCacheDirectory()).toBe(path.join(home, 'ansible-image'));
      expect(new ToolFolder('packer', '1.11.2', 'amd64').directory).toBe(
        path.join(home, 'packer', '1.11.2', 'amd64'),
      );
    }
  });
});

describe('a tool in both cache tiers', () => {
  it('takes a complete folder of the tool cache: no restore, no install, nothing to save', async () => {
    complete();
    const install = vi.fn<(directory: string) => Promise<void>>();
    expect(await (await packer()).ensure(install)).toBe(folder());
    expect(cache.restoreCache).not.toHaveBeenCalled();
    expect(install).not.toHaveBeenCalled();
    expect(state()).toEqual({});
    expect(stdout).toContain('Packer 1.11.2 from the tool cache');
  });

  it('does not take a folder without its .complete marker', async () => {
    mkdirSync(folder(), { recursive: true });
    writeFileSync(path.join(folder(), 'half-copied'), '');
    const install = vi.fn(async (directory: string) => {
      mkdirSync(directory, { recursive: true });
      writeFileSync(path.join(directory, 'packer'), '');
    });
    await (await packer()).ensure(install);
    expect(install).toHaveBeenCalledOnce();
    expect(existsSync(path.join(folder(), 'half-copied'))).toBe(false);
  });

  it('restores from the Actions cache before installing, and then saves nothing', async () => {
    cache.restoreCache.mockImplementation(async () => {
      complete();
      return KEY;
    });
    const install = vi.fn<(directory: string) => Promise<void>>();
    expect(await (await packer()).ensure(install)).toBe(folder());
    expect(cache.restoreCache).toHaveBeenCalledWith(paths(), KEY);
    expect(install).not.toHaveBeenCalled();
    expect(state()).toEqual({});
  });

  it('installs after a miss in both tiers, marks the folder complete, and leaves saving to post', async () => {
    const order: string[] = [];
    cache.restoreCache.mockImplementation(async () => {
      order.push('restore');
      return undefined;
    });
    const install = vi.fn(async (directory: string) => {
      order.push('install');
      mkdirSync(directory, { recursive: true });
      writeFileSync(path.join(directory, 'packer'), '');
    });
    expect(await (await packer()).ensure(install)).toBe(folder());
    expect(order).toEqual(['restore', 'install']);
    expect(install).toHaveBeenCalledWith(folder());
    expect(existsSync(`${folder()}.complete`)).toBe(true);
    expect(cache.saveCache).not.toHaveBeenCalled();
    expect(JSON.parse(state().cachesToSave)).toEqual([
      { label: 'Packer', key: KEY, paths: paths() },
    ]);
  });

  it('records every tool that one step installs, in one value', async () => {
    const { CachedTool } = await import('../../src/tools/tool-cache.js');
    const fill = async (directory: string) => {
      mkdirSync(directory, { recursive: true });
    };
    await Promise.all([
      new CachedTool('Packer', 'packer', '1.11.2', 'amd64').ensure(fill),
      new CachedTool('ansible-core', 'ansible-core', '2.17.0', 'x64-py3.12').ensure(fill),
    ]);
    // The two installs run at once: either may be recorded first.
    expect(
      JSON.parse(state().cachesToSave)
        .map((c: { label: string }) => c.label)
        .sort(),
    ).toEqual(['Packer', 'ansible-core']);
  });

  it('leaves nothing and records nothing when the install fails', async () => {
    const install = async (directory: string) => {
      mkdirSync(directory, { recursive: true });
      writeFileSync(path.join(directory, 'packer'), 'half');
      throw new Error('checksum mismatch');
    };
    await expect((await packer()).ensure(install)).rejects.toThrow('checksum mismatch');
    expect(existsSync(folder())).toBe(false);
    expect(existsSync(`${folder()}.complete`)).toBe(false);
    expect(state()).toEqual({});
  });

  it('records nothing where there is no Actions cache service', async () => {
    cache.isFeatureAvailable.mockReturnValue(false);
    const install = vi.fn(async (directory: string) => {
      mkdirSync(directory, { recursive: true });
    });
    await (await packer()).ensure(install);
    expect(cache.restoreCache).not.toHaveBeenCalled();
    expect(install).toHaveBeenCalledOnce();
    expect(state()).toEqual({});
  });
});

describe('the post step', () => {
  /** Main installs Packer; the runner hands its state to post, which runs in a new process. */
  async function mainThenPost(): Promise<void> {
    await (
      await packer()
    ).ensure(async (directory) => {
      mkdirSync(directory, { recursive: true });
    });
    process.env.STATE_cachesToSave = state().cachesToSave;
    process.env.STATE_cleanedUp = 'true';
    vi.resetModules();
    const { post } = await import('../../src/post.js');
    await post();
  }

  it('saves what the main step installed, under its key', async () => {
    await mainThenPost();
    expect(cache.saveCache).toHaveBeenCalledExactlyOnceWith(paths(), KEY);
  });

  it('only warns when saving fails', async () => {
    cache.saveCache.mockRejectedValue(new Error('cache service unavailable'));
    await expect(mainThenPost()).resolves.toBeUndefined();
    expect(stdout).toContain(
      '::warning::Saving Packer to the Actions cache failed: cache service unavailable',
    );
    expect(process.exitCode).toBeUndefined();
  });

  it('only warns when the state cannot be read', async () => {
    process.env.STATE_cachesToSave = '[{';
    process.env.STATE_cleanedUp = 'true';
    const { post } = await import('../../src/post.js');
    await expect(post()).resolves.toBeUndefined();
    expect(stdout).toContain('::warning::Could not save to the Actions cache: ');
    expect(cache.saveCache).not.toHaveBeenCalled();
  });

  it('saves nothing, and loads no cache client, when main installed nothing', async () => {
    process.env.STATE_cleanedUp = 'true';
    const { post } = await import('../../src/post.js');
    await post();
    expect(cache.isFeatureAvailable).not.toHaveBeenCalled();
    expect(cache.saveCache).not.toHaveBeenCalled();
  });
});
