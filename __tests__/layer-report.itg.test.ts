import { readdirSync } from 'node:fs';
import os from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/docker/engine.js';
import { checkLayerSize } from '../src/report/layer-report.js';
import { reportLayer } from '../src/report/read-layer.js';
import { docker, imageFrom, removeImages } from './docker.js';

const BASE = 'debian:bookworm-slim';
// Made once and kept, like the other images of packages from the mirror.
const REDIS = 'itg/layer-report:redis';
const RPM_BASE = 'itg/layer-report:rpm-base';
const RPM = 'itg/layer-report:rpm';

/** Debian's rpm, set up as an rpm distribution has it, and a spec for empty packages. */
const RPM_SETUP = `set -e
apt-get -qq update
apt-get -qq install -y --no-install-recommends rpm >/dev/null
apt-get clean
rm -rf /var/lib/apt/lists/*
mkdir -p /etc/rpm
echo '%_dbpath /var/lib/rpm' > /etc/rpm/macros
rpm --initdb
printf 'Name: %%{n}\\nVersion: %%{v}\\nRelease: 1\\nSummary: t\\nLicense: MIT\\nBuildArch: noarch\\n%%%%description\\nt\\n%%%%files\\n' > /usr/local/share/t.spec
`;
const rpmInstall = (name: string, version: string) =>
  `rpmbuild -bb --quiet --define '_topdir /tmp/rb' --define 'n ${name}' --define 'v ${version}' /usr/local/share/t.spec
rpm -U --nodeps --force-debian /tmp/rb/RPMS/noarch/${name}-${version}-1.noarch.rpm
rm -rf /tmp/rb
`;

describe('the layer report, read from the engine', () => {
  const engine = new Engine();

  beforeAll(() =>
    imageFrom(
      REDIS,
      BASE,
      `set -e
mkdir -p /opt/big /app/__pycache__
head -c 5000000 /dev/urandom > /opt/big/blob.bin
echo cached > /app/__pycache__/main.cpython-311.pyc
echo built > /var/log/build.log
rm /etc/motd
apt-get -qq update
apt-get -qq install -y --no-install-recommends redis-server >/dev/null`,
    ),
  );

  it('lists the packages added, the largest paths and the leftovers, writing nothing to disk', async () => {
    const before = readdirSync(os.tmpdir());
    const report = await reportLayer(engine, REDIS, BASE);
    expect(readdirSync(os.tmpdir())).toEqual(before);

    // The engine counts symlinks' targets too: within a percent of its own figure.
    const engineSize = await engine.topLayerSize(REDIS);
    expect(Math.abs(report.size - engineSize) / engineSize).toBeLessThan(0.01);
    // /etc/motd; not the folders that dpkg made, which overlayfs marks opaque.
    expect(report.removed).toBe(1);

    const [dpkg] = report.packages;
    expect(dpkg.manager).toBe('dpkg');
    expect(dpkg.added.map((p) => p.name)).toEqual(
      expect.arrayContaining(['redis-server', 'redis-tools', 'libjemalloc2']),
    );
    expect(dpkg.added.find((p) => p.name === 'redis-server')?.version).toMatch(/^5:7\./);
    expect(dpkg.removed).toEqual([]);

    const largest = report.largest.map((entry) => entry.path);
    expect(report.largest).toContainEqual({ path: '/opt/big/blob.bin', size: 5_000_000, files: 1 });
    expect(largest.some((path) => path.startsWith('/var/lib/apt/lists/'))).toBe(true);
    expect(largest.some((path) => path.startsWith('/usr/'))).toBe(true);

    const leftovers = Object.fromEntries(report.leftovers.map((l) => [l.path, l.kind]));
    expect(leftovers).toMatchObject({
      '/var/lib/apt/lists/': 'apt lists',
      '/var/cache/apt/pkgcache.bin': 'package cache',
      '/var/log/build.log': 'log',
      '/var/log/dpkg.log': 'log',
      '/app/__pycache__/': 'python bytecode',
    });

    expect(() => checkLayerSize(report, report.size - 1)).toThrow(
      new RegExp(`more than max-layer-size allows: .*Its largest paths: "${largest[0]}"`),
    );
  });

  it('reads an image without an added layer as an empty report', async () => {
    const tag = `itg/layer-report:empty-${process.pid}`;
    const container = docker('create', BASE).trim();
    try {
      docker('commit', '--change', 'CMD ["true"]', container, tag);
      const report = await reportLayer(engine, tag, BASE);
      expect(report).toEqual({
        size: 0,
        files: 0,
        removed: 0,
        largest: [],
        packages: [{ manager: 'dpkg', added: [], removed: [], upgraded: [], downgraded: [] }],
        packageNotes: [],
        leftovers: [],
      });
    } finally {
      docker('rm', '--force', container);
      removeImages(tag);
    }
  });

  it("lists rpm's changes with rpm itself, in containers without network", async () => {
    imageFrom(RPM_BASE, BASE, `${RPM_SETUP}${rpmInstall('hello', '1.0')}`);
    imageFrom(RPM, RPM_BASE, `set -e\n${rpmInstall('hello', '1.2')}${rpmInstall('world', '1.0')}`);
    const report = await reportLayer(engine, RPM, RPM_BASE);
    expect(report.packages).toContainEqual({
      manager: 'rpm',
      added: [{ name: 'world', version: '1.0-1', architecture: 'noarch', size: 0 }],
      removed: [],
      upgraded: [{ name: 'hello', architecture: 'noarch', from: '1.0-1', to: '1.2-1' }],
      downgraded: [],
    });
    const containers = docker('ps', '-a', '--filter', `ancestor=${RPM}`, '--format', '{{.ID}}');
    expect(containers.trim()).toBe('');
  });

  it("notes rpm's database that rpm cannot list, and leaves no container", async () => {
    const tag = `itg/layer-report:no-rpm-${process.pid}`;
    const name = `itg-layer-report-${process.pid}`;
    try {
      docker(
        'run',
        '--name',
        name,
        BASE,
        'sh',
        '-c',
        'mkdir -p /var/lib/rpm && echo x > /var/lib/rpm/Packages',
      );
      docker('commit', name, tag);
      const report = await reportLayer(engine, tag, BASE);
      expect(report.packageNotes).toEqual([
        expect.stringMatching(
          /^rpm: its packages are not listed\. Cannot run rpm in a container of sha256:[0-9a-f]{64}: .*executable file not found/,
        ),
      ]);
      expect(docker('ps', '-a', '--filter', `ancestor=${tag}`, '--format', '{{.ID}}').trim()).toBe(
        '',
      );
    } finally {
      docker('rm', '--force', name);
      removeImages(tag);
    }
  });

  it('refuses an image that is not built on the base', async () => {
    await expect(reportLayer(engine, 'debian:trixie-slim', BASE)).rejects.toThrow(
      "debian:trixie-slim is not built on debian:bookworm-slim: its layers do not start with the base's",
    );
  });
});
