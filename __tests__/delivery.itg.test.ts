import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docker, removeImages } from './docker.js';
import { runAction } from './runner.js';

// The Redis example as users run it: packages from the Debian mirror over the host network.
const redis = { playbook: 'examples/redis/site.yml', network: 'host' };
const folder = mkdtempSync(path.join(os.tmpdir(), 'itg-delivery-'));
const images: string[] = [];

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
  removeImages(...images);
});

interface Layer {
  size: number;
  largest: Array<{ path: string; size: number }>;
  packages: Array<{ manager: string; added: Array<{ name: string }> }>;
  leftovers: Array<{ path: string; kind: string }>;
}

describe('what the layer holds, and the export', () => {
  it('reports the packages and the largest paths the Redis example adds, and exports what loads back', async () => {
    const tag = 'itg/delivery:redis';
    const target = path.join(folder, 'redis.tar');
    images.push(tag);
    const run = await runAction({ ...redis, tags: tag, export: target, 'max-layer-size': '500MB' });
    expect(run.exitCode, run.log).toBe(0);

    const { layer } = JSON.parse(run.outputs.metadata) as { layer: Layer };
    const dpkg = layer.packages.find((changes) => changes.manager === 'dpkg');
    expect(dpkg?.added.map((p) => p.name)).toEqual(
      expect.arrayContaining(['redis-server', 'redis-tools']),
    );
    expect(layer.largest.length).toBeGreaterThan(0);
    expect(layer.largest.some((entry) => entry.path.startsWith('/usr/'))).toBe(true);
    expect(layer.size).toBeGreaterThan(1_000_000);
    expect(run.summary).toContain('### What the added layer holds');
    expect(run.summary).toContain('redis-server');

    // The docker tarball replaces the image in a clean engine state and runs.
    expect(run.outputs['export-path']).toBe(target);
    removeImages(tag);
    docker('load', '--input', target);
    expect(docker('image', 'inspect', '--format', '{{.Id}}', tag).trim()).toBe(
      run.outputs['image-id'],
    );
    expect(docker('run', '--rm', '--network', 'none', tag, 'redis-server', '--version')).toMatch(
      /^Redis server v=7/,
    );
  });

  it('fails a build whose layer is over max-layer-size before any tag or export, naming its largest paths', async () => {
    const tag = 'itg/delivery:over-budget';
    const target = path.join(folder, 'over.tar');
    const run = await runAction({ ...redis, tags: tag, export: target, 'max-layer-size': '1MB' });
    expect(run.exitCode).toBe(1);
    expect(run.log).toMatch(
      /The layer the build added holds .* more than max-layer-size allows: 1\.00 MB \(1000000 bytes\)\. Its largest paths: "\/usr\//,
    );
    expect(() => docker('image', 'inspect', tag)).toThrow();
    expect(existsSync(target)).toBe(false);
    expect(run.summary).toContain('What the layer holds');
  });

  it('exports an OCI layout that skopeo reads', async () => {
    const target = path.join(folder, 'raw.oci.tar');
    const run = await runAction({
      playbook: '__tests__/fixtures/raw/site.yml',
      python: 'never',
      'extra-vars': JSON.stringify({ raw_command: 'echo exported > /exported' }),
      tags: 'itg/delivery:oci',
      export: target,
      'export-format': 'oci',
    });
    images.push('itg/delivery:oci');
    expect(run.exitCode, run.log).toBe(0);
    const inspected = JSON.parse(
      execFileSync('skopeo', ['inspect', `oci-archive:${target}`], { encoding: 'utf8' }),
    ) as { Digest: string; Architecture: string };
    expect(inspected.Architecture).toBe('amd64');
    const copy = 'itg/delivery:oci-copy';
    images.push(copy);
    execFileSync('skopeo', ['copy', '--quiet', `oci-archive:${target}`, `docker-daemon:${copy}`]);
    expect(docker('run', '--rm', '--network', 'none', copy, 'cat', '/exported')).toBe('exported\n');
  });
});
