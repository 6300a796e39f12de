import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushByDigest } from '../src/docker/blob-upload.js';
import { Engine } from '../src/docker/engine.js';
import { exportImages } from '../src/docker/export.js';
import { readImageArchive } from '../src/docker/image-archive.js';
import { sha256 } from '../src/docker/registry.js';
import { docker, inspect, removeImages } from './docker.js';
import { Registry } from './registry.js';
import { tarOf } from './tar.js';
import { TokenService } from './token-service.js';

const PREFIX = `h-archive-itg-${process.pid}`;
const USER = 'itg-user';
const PASSWORD = 'itg-Pa55-word!';
const open = new Registry(5141);
const secured = new Registry(5142, { user: USER, password: PASSWORD });
const tokens = new TokenService(5144, { users: { [USER]: PASSWORD }, namespace: 'itg' });
const tokenRegistry = new Registry(5143, { tokens });
const engine = new Engine();
const images: string[] = [];
const scratch = mkdtempSync(path.join(os.tmpdir(), 'itg-archive-'));
const mounts: string[] = [];

/** debian:bookworm-slim plus one committed layer holding /stamp (and `size` random bytes). */
function committed(tag: string, stamp: string, size = 0): string {
  const name = `${PREFIX}-make`;
  const script = `echo ${stamp} > /stamp${size ? ` && head -c ${size} /dev/urandom > /random.bin` : ''}`;
  try {
    docker('run', '--network', 'none', '--name', name, 'debian:bookworm-slim', 'sh', '-c', script);
    docker('commit', '--change', 'CMD ["cat", "/stamp"]', name, tag);
  } finally {
    docker('rm', '--force', name);
  }
  images.push(tag);
  return inspect<string>(tag, '{{json .Id}}');
}

/**
 * An arm64 image loaded from a hand-made `docker save` archive: the engine records the
 * platform that the config states, which `docker import --platform` does not do here.
 */
async function arm64Image(tag: string): Promise<string> {
  const layer = await tarOf([['stamp', Buffer.from('arm64\n')]]);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'arm64',
      variant: 'v8',
      os: 'linux',
      config: { Cmd: ['cat', '/stamp'] },
      rootfs: { type: 'layers', diff_ids: [sha256(layer)] },
    }),
  );
  const configName = `${sha256(config).slice(7)}.json`;
  const manifest = [{ Config: configName, RepoTags: [tag], Layers: ['layer/layer.tar'] }];
  const archive = await tarOf([
    [configName, config],
    ['layer/layer.tar', layer],
    ['manifest.json', Buffer.from(JSON.stringify(manifest))],
  ]);
  execFileSync('docker', ['load'], { input: archive, stdio: ['pipe', 'ignore', 'pipe'] });
  images.push(tag);
  return sha256(config);
}

/** A tmpfs of its own (root only): a full disk, or one that cannot be written. */
function tmpfs(options: string): string {
  const folder = mkdtempSync(path.join(scratch, 'mount-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', folder]);
  mounts.push(folder);
  return folder;
}

function skopeo(...args: string[]): string {
  return execFileSync('skopeo', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const run = (reference: string) => docker('run', '--rm', '--network', 'none', reference).trim();

let small: string;
const smallTag = `${PREFIX}/small:1`;

beforeAll(async () => {
  small = committed(smallTag, 'small');
  await tokens.start();
  await Promise.all([open.start(), secured.start(), tokenRegistry.start()]);
});

afterAll(async () => {
  for (const mount of mounts) execFileSync('umount', [mount]);
  await Promise.all([open.remove(), secured.remove(), tokenRegistry.remove(), tokens.remove()]);
  removeImages(...images);
});

describe('reading an image out of the engine', () => {
  it('gives the config, the manifest entry and every layer, checked against its diffID', async () => {
    const hashes = new Map<number, string>();
    const archive = await readImageArchive(engine, small, {
      onLayer: async ({ indices, stream }) => {
        const hash = createHash('sha256');
        for await (const chunk of stream) hash.update(chunk as Buffer);
        hashes.set(indices[0], `sha256:${hash.digest('hex')}`);
      },
    });
    expect(archive.id).toBe(small);
    expect(sha256(archive.config)).toBe(small);
    expect(archive.diffIds).toEqual(inspect(small, '{{json .RootFS.Layers}}'));
    expect([...hashes.keys()].sort()).toEqual([0, 1]);
    for (const [index, hash] of hashes) expect(hash).toBe(archive.diffIds[index]);
    expect(archive.manifest.Layers).toHaveLength(2);
  });

  it('hands over only the top layer when asked, and its files are the commit’s', async () => {
    const names: string[] = [];
    const seen: number[][] = [];
    await readImageArchive(engine, small, {
      want: (index, count) => index === count - 1,
      onLayer: async ({ indices, stream }) => {
        seen.push(indices);
        const extract = tar.extract();
        extract.on('entry', (header, entry, next) => {
          names.push(header.name);
          entry.on('end', next).resume();
        });
        stream.pipe(extract);
        await new Promise((resolve, reject) => extract.on('finish', resolve).on('error', reject));
      },
    });
    expect(seen).toEqual([[1]]);
    expect(names).toContain('stamp');
  });

  it('names an image the engine does not have', async () => {
    await expect(readImageArchive(engine, `${PREFIX}/absent:1`)).rejects.toThrow(
      `Image ${PREFIX}/absent:1 does not exist`,
    );
  });
});

describe('push by digest', () => {
  it('uploads the image with no tag; the engine pulls it by digest and runs it', async () => {
    const repository = `${open.host}/itg/by-digest`;
    const pushed = await pushByDigest(engine, small, repository, undefined, scratch);
    expect(pushed).toMatchObject({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      platform: { os: 'linux', architecture: 'amd64' },
    });
    expect(pushed.uploaded).toHaveLength(3);
    expect(await open.tags('itg/by-digest')).toEqual([]);
    const manifest = await fetch(
      `http://${open.host}/v2/itg/by-digest/manifests/${pushed.digest}`,
      {
        headers: { Accept: pushed.mediaType },
      },
    );
    const bytes = Buffer.from(await manifest.arrayBuffer());
    expect(sha256(bytes)).toBe(pushed.digest);
    expect(bytes.length).toBe(pushed.size);
    const parsed = JSON.parse(bytes.toString()) as { layers: Array<{ mediaType: string }> };
    expect(parsed.layers.map((layer) => layer.mediaType)).toEqual([
      'application/vnd.oci.image.layer.v1.tar+gzip',
      'application/vnd.oci.image.layer.v1.tar+gzip',
    ]);
    expect(readdirSync(scratch).filter((name) => name.startsWith('blobs-'))).toEqual([]);

    // Without the local image, the pull must fetch and unpack the layers we compressed.
    removeImages(smallTag);
    const reference = `${repository}@${pushed.digest}`;
    images.push(reference);
    docker('pull', reference);
    expect(inspect<string>(reference, '{{json .Id}}')).toBe(small);
    expect(run(reference)).toBe('small');
    docker('tag', small, smallTag);
  });

  it('a second push of the same image uploads nothing and gives the same digest', async () => {
    const repository = `${open.host}/itg/again`;
    const first = await pushByDigest(engine, small, repository, undefined, scratch);
    const second = await pushByDigest(engine, small, repository, undefined, scratch);
    expect(second.digest).toBe(first.digest);
    expect(second.uploaded).toEqual([]);
  });

  it('into a repository behind a password, and not without it', async () => {
    const repository = `${secured.host}/itg/secured`;
    const auth = { serveraddress: secured.host, username: USER, password: PASSWORD };
    const pushed = await pushByDigest(engine, small, repository, auth, scratch);
    expect(await secured.digest('itg/secured', pushed.digest)).toBe(pushed.digest);
    await expect(
      pushByDigest(engine, small, `${secured.host}/itg/refused`, undefined, scratch),
    ).rejects.toThrow(
      new RegExp(
        `^Cannot push ${small} by digest to ${secured.host}/itg/refused: Cannot look up sha256:[0-9a-f]{64} in ${secured.host}/itg/refused: HTTP 401$`,
      ),
    );
  });

  it('into a registry behind a token service, with the user’s tokens for that repository', async () => {
    const repository = `${tokenRegistry.host}/itg/token`;
    const auth = { serveraddress: tokenRegistry.host, username: USER, password: PASSWORD };
    tokens.grants.length = 0;
    const pushed = await pushByDigest(engine, small, repository, auth, scratch);
    expect(await tokenRegistry.digest('itg/token', pushed.digest)).toBe(pushed.digest);
    expect(tokens.grants.map((grant) => grant.scopes)).toContainEqual([
      'repository:itg/token:pull,push',
    ]);
    for (const grant of tokens.grants) {
      expect(grant.subject).toBe(USER);
      expect(grant.scopes[0]).toMatch(/^repository:itg\/token:pull(,push)?$/);
    }
  });

  it('a full disk under its spool folder fails the push and leaves the folder empty', async () => {
    const folder = tmpfs('size=1m');
    await expect(
      pushByDigest(engine, small, `${open.host}/itg/full`, undefined, folder),
    ).rejects.toThrow(
      `Cannot push ${small} by digest to ${open.host}/itg/full: ENOSPC: no space left on device`,
    );
    expect(readdirSync(folder)).toEqual([]);
    expect(await open.tags('itg/full')).toEqual([]);
  });
});

describe('export', () => {
  it('docker: loads with docker load and runs', async () => {
    const target = path.join(scratch, 'docker', 'small.tar');
    const result = await exportImages({
      engine,
      images: [{ id: small, reference: smallTag }],
      path: target,
      format: 'docker',
      overwrite: false,
    });
    expect(result.path).toBe(target);
    expect(result.bytes).toBeGreaterThan(1_000_000);
    removeImages(smallTag);
    docker('load', '-i', target);
    expect(inspect<string>(smallTag, '{{json .Id}}')).toBe(small);
    expect(run(smallTag)).toBe('small');
  });

  it('docker: a reference the engine gives another image is refused', async () => {
    const target = path.join(scratch, 'mistagged.tar');
    await expect(
      exportImages({
        engine,
        images: [{ id: small, reference: 'debian:bookworm-slim' }],
        path: target,
        format: 'docker',
        overwrite: false,
      }),
    ).rejects.toThrow(`The engine has no tag debian:bookworm-slim on the image ${small} to export`);
    expect(readdirSync(scratch).filter((name) => name.includes('mistagged'))).toEqual([]);
  });

  it('oci: skopeo reads the layout, and the image it copies into the engine runs', async () => {
    const target = path.join(scratch, 'small.oci.tar');
    await exportImages({
      engine,
      images: [{ id: small, reference: smallTag }],
      path: target,
      format: 'oci',
      overwrite: false,
    });
    const inspected = JSON.parse(skopeo('inspect', `oci-archive:${target}`)) as {
      Architecture: string;
      Layers: string[];
    };
    expect(inspected.Architecture).toBe('amd64');
    expect(inspected.Layers).toEqual(inspect(small, '{{json .RootFS.Layers}}'));
    const copy = `${PREFIX}/from-oci:1`;
    images.push(copy);
    skopeo('copy', `oci-archive:${target}:1`, `docker-daemon:${copy}`);
    expect(inspect<string>(copy, '{{json .Id}}')).toBe(small);
    expect(run(copy)).toBe('small');
  });

  it('oci: two platforms under one index, each entry with its platform', async () => {
    const arm = await arm64Image(`${PREFIX}/arm:1`);
    const target = path.join(scratch, 'two.oci.tar');
    const reference = `${PREFIX}/multi:1`;
    await exportImages({
      engine,
      images: [
        { id: small, reference },
        { id: arm, reference },
      ],
      path: target,
      format: 'oci',
      overwrite: false,
    });
    const index = JSON.parse(skopeo('inspect', '--raw', `oci-archive:${target}`)) as {
      mediaType: string;
      manifests: Array<{ platform: unknown }>;
    };
    expect(index.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(index.manifests.map((entry) => entry.platform)).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ]);
    for (const [arch, id] of [
      ['amd64', small],
      ['arm64', arm],
    ]) {
      const image = JSON.parse(
        skopeo('inspect', '--override-arch', arch, `oci-archive:${target}`),
      ) as { Architecture: string; Layers: string[] };
      expect(image.Architecture).toBe(arch);
      expect(image.Layers).toEqual(inspect(id, '{{json .RootFS.Layers}}'));
    }
  });

  it('refuses an existing path unless told to overwrite it', async () => {
    const target = path.join(scratch, 'existing.tar');
    writeFileSync(target, 'keep me');
    const request = {
      engine,
      images: [{ id: small }],
      path: target,
      format: 'oci' as const,
      overwrite: false,
    };
    await expect(exportImages(request)).rejects.toThrow(
      `The export path ${target} exists: choose another, or set export-overwrite: true to replace it`,
    );
    expect(execFileSync('cat', [target], { encoding: 'utf8' })).toBe('keep me');
    const { bytes } = await exportImages({ ...request, overwrite: true });
    expect(bytes).toBeGreaterThan(1_000_000);
    expect(readdirSync(scratch).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it('a folder that cannot be written: a clear error and nothing written', async () => {
    const folder = tmpfs('ro,size=1m');
    await expect(
      exportImages({
        engine,
        images: [{ id: small }],
        path: path.join(folder, 'small.tar'),
        format: 'docker',
        overwrite: false,
      }),
    ).rejects.toThrow(`Cannot write the export into ${folder}: the folder is not writable (EROFS)`);
    expect(readdirSync(folder)).toEqual([]);
  });

  it.each(['docker', 'oci'] as const)(
    '%s: a disk that fills up: a clear error and no partial file',
    async (format) => {
      const folder = tmpfs('size=1m');
      const target = path.join(folder, 'small.tar');
      await expect(
        exportImages({ engine, images: [{ id: small }], path: target, format, overwrite: false }),
      ).rejects.toThrow(
        new RegExp(
          `^Cannot export to ${target}: the disk is full \\(ENOSPC\\) after .+; nothing was left there$`,
        ),
      );
      expect(readdirSync(folder)).toEqual([]);
      expect(existsSync(target)).toBe(false);
    },
  );
});

describe('a 100 MB layer', () => {
  it('exports and pushes by digest, timed', async () => {
    const big = committed(`${PREFIX}/big:1`, 'big', 100_000_000);
    const timings: Record<string, number> = {};
    const time = async (what: string, body: () => Promise<unknown>) => {
      const start = performance.now();
      await body();
      timings[what] = Math.round(performance.now() - start);
    };
    const folder = path.join(scratch, 'big');
    mkdirSync(folder);
    for (const format of ['docker', 'oci'] as const)
      await time(`export ${format}`, () =>
        exportImages({
          engine,
          images: [{ id: big }],
          path: path.join(folder, `${format}.tar`),
          format,
          overwrite: false,
        }),
      );
    const repository = `${open.host}/itg/big`;
    await time('push by digest', () => pushByDigest(engine, big, repository, undefined, scratch));
    await time('push by digest again', () =>
      pushByDigest(engine, big, repository, undefined, scratch),
    );
    // The anchor: the engine's own push of the same image to an empty registry.
    const pushed = `${open.host}/itg/big-anchor:1`;
    docker('tag', big, pushed);
    images.push(pushed);
    await time('docker push', async () => docker('push', pushed));
    console.log(`a 100 MB layer on debian:bookworm-slim (ms): ${JSON.stringify(timings)}`);
    expect(Object.keys(timings)).toHaveLength(5);
  });
});
