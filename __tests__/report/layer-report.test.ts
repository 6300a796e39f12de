import { describe, expect, it } from 'vitest';
import type { TarEntry } from '../../src/report/tar-entries.js';
import {
  type LayerReport,
  type LayerScan,
  checkLayerSize,
  largestPaths,
  layerReport,
  layerSection,
  leftovers,
  scanLayer,
} from '../../src/report/layer-report.js';

type Spec = [name: string, size?: number, type?: TarEntry['type'], text?: string];

/** A layer's entries as tarEntries yields them, with the content of those given a text. */
async function* entries(specs: Spec[]): AsyncIterable<TarEntry> {
  for (const [name, size = 0, type = name.endsWith('/') ? 'directory' : 'file', text] of specs)
    yield text === undefined
      ? { name, size, type }
      : { name, size: Buffer.byteLength(text), type, content: Buffer.from(text) };
}

const scan = (...specs: Spec[]) => scanLayer(entries(specs));
const files = (...list: Array<[string, number]>) => list.map(([path, size]) => ({ path, size }));

const status = (...packages: Array<[string, string]>) =>
  packages
    .map(
      ([name, version]) =>
        `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\nInstalled-Size: 10\n`,
    )
    .join('\n');
const DPKG = 'var/lib/dpkg/status';

describe('scanLayer', () => {
  it('keeps files with their sizes, whiteouts as removed paths, and no folders', async () => {
    const layer = await scan(
      ['./usr/', 0, 'directory'],
      ['./usr/bin/tool', 100],
      ['/usr/bin/link', 0, 'symlink'],
      ['usr/bin/hard', 100, 'link'],
      ['etc/.wh.motd'],
      ['.wh.gone'],
      ['opt/app/.wh..wh..opq'],
      ['opt/app/.wh..wh.plnk'],
    );
    expect(layer.files).toEqual(
      files(['usr/bin/tool', 100], ['usr/bin/link', 0], ['usr/bin/hard', 0]),
    );
    expect(layer.removed).toEqual(['etc/motd', 'gone']);
    expect(layer.opaque).toEqual(['opt/app']);
    expect(layer.rpm).toBe(false);
  });

  it('keeps no list of files of a base layer, only what its databases need', async () => {
    const specs: Spec[] = [
      ['usr/bin/tool', 100],
      ['etc/.wh.motd'],
      [DPKG, 0, 'file', status(['a', '1'])],
      ['var/lib/rpm/Packages', 5],
    ];
    const layer = await scanLayer(entries(specs), { files: false });
    expect(layer).toEqual({
      files: [],
      removed: ['etc/motd'],
      opaque: [],
      databases: new Map([['dpkg', status(['a', '1'])]]),
      rpm: true,
    });
  });

  it("reads the package databases' text, and nothing else", async () => {
    const layer = await scan(
      ['etc/passwd', 5],
      [DPKG, 0, 'file', status(['a', '1'])],
      // A symlink, or a file past DATABASE_LIMIT, comes without content.
      ['lib/apk/db/installed', 0, 'symlink'],
    );
    expect(layer.databases).toEqual(
      new Map([
        ['dpkg', status(['a', '1'])],
        ['apk', null],
      ]),
    );
  });

  it.each([
    ['a file in var/lib/rpm', 'var/lib/rpm/rpmdb.sqlite'],
    ['a file in usr/lib/sysimage/rpm', 'usr/lib/sysimage/rpm/rpmdb.sqlite'],
    ['a whiteout in var/lib/rpm', 'var/lib/rpm/.wh.Packages'],
    ['a whiteout of the folder', 'var/lib/.wh.rpm'],
    ['a whiteout of a parent', 'var/.wh.lib'],
    ['an opaque folder', 'var/lib/rpm/.wh..wh..opq'],
  ])("notes that the layer changes rpm's database: %s", async (_, name) =>
    expect((await scan([name, 1])).rpm).toBe(true),
  );

  it.each([['var/lib/rpmish', 'var/lib/.wh.rpm2', 'var/lib/apt/x']])(
    'does not take %s for an rpm database',
    async (...names) =>
      expect((await scan(...names.map((name): Spec => [name, 1]))).rpm).toBe(false),
  );
});

describe('largestPaths', () => {
  it.each([
    {
      title: 'a folder of many small files is shown whole, a big file as itself',
      files: files(
        ['big.bin', 100_000_000],
        ...Array.from({ length: 3000 }, (_, i): [string, number] => [`opt/small/f${i}`, 4]),
      ),
      largest: [
        { path: '/big.bin', size: 100_000_000, files: 1 },
        { path: '/opt/small/', size: 12_000, files: 3000 },
      ],
    },
    {
      title: 'a folder mostly of one entry gives way to it, down the tree, with its other entries',
      files: files(
        ['usr/lib/x/big.so', 900],
        ['usr/lib/x/small.so', 50],
        ['usr/lib/y', 30],
        ['usr/share/doc/a', 10],
        ['usr/share/doc/b', 10],
      ),
      largest: [
        { path: '/usr/lib/x/big.so', size: 900, files: 1 },
        { path: '/usr/lib/x/small.so', size: 50, files: 1 },
        { path: '/usr/lib/y', size: 30, files: 1 },
        { path: '/usr/share/doc/a', size: 10, files: 1 },
        { path: '/usr/share/doc/b', size: 10, files: 1 },
      ],
    },
    {
      title: 'a folder spread over many small files stays whole, one of few entries opens',
      files: [
        ...files(['usr/share/man/m', 25], ['usr/share/locale/l', 20], ['usr/share/zoneinfo/z', 15]),
        ...Array.from({ length: 20 }, (_, i) => ({ path: `usr/share/doc/f${i}`, size: 2 })),
      ],
      largest: [
        { path: '/usr/share/doc/', size: 40, files: 20 },
        { path: '/usr/share/man/m', size: 25, files: 1 },
        { path: '/usr/share/locale/l', size: 20, files: 1 },
        { path: '/usr/share/zoneinfo/z', size: 15, files: 1 },
      ],
    },
    {
      title:
        'a folder that holds most of the layer opens, however many small entries are beside it',
      files: files(
        ['usr/lib/libbig.so', 600],
        ['usr/share/doc/a', 150],
        ['usr/share/doc/b', 150],
        ['usr/bin/tool', 100],
        ...Array.from({ length: 15 }, (_, i): [string, number] => [`etc/c${i}`, 1]),
      ),
      largest: [
        { path: '/usr/lib/libbig.so', size: 600, files: 1 },
        { path: '/usr/share/doc/a', size: 150, files: 1 },
        { path: '/usr/share/doc/b', size: 150, files: 1 },
        { path: '/usr/bin/tool', size: 100, files: 1 },
        { path: '/etc/', size: 15, files: 15 },
      ],
    },
    {
      title: 'ten at most, largest first, no folder shown with its content',
      files: files(
        ...Array.from({ length: 12 }, (_, i): [string, number] => [`d${i}/a`, 100 + i]),
        ...Array.from({ length: 12 }, (_, i): [string, number] => [`d${i}/b`, 100]),
      ),
      largest: Array.from({ length: 10 }, (_, i) => ({
        path: `/d${11 - i}/`,
        size: 211 - i,
        files: 2,
      })),
    },
    {
      title: 'a layer of empty files and links',
      files: files(['etc/a', 0], ['etc/b', 0]),
      largest: [{ path: '/etc/', size: 0, files: 2 }],
    },
    { title: 'an empty layer', files: [], largest: [] },
  ])('$title', ({ files: list, largest }) => {
    const shown = largestPaths(list);
    expect(shown).toEqual(largest);
    for (const a of shown)
      for (const b of shown) if (a !== b) expect(b.path.startsWith(a.path)).toBe(false);
  });
});

describe('leftovers', () => {
  it.each([
    [
      'var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease',
      '/var/lib/apt/lists/',
      'apt lists',
    ],
    ['var/lib/apt/lists/partial/x', '/var/lib/apt/lists/', 'apt lists'],
    ['var/cache/apt/pkgcache.bin', '/var/cache/apt/pkgcache.bin', 'package cache'],
    ['var/cache/apt/archives/redis_7.deb', '/var/cache/apt/archives/', 'package cache'],
    ['var/cache/apk/APKINDEX.tar.gz', '/var/cache/apk/', 'package cache'],
    ['var/cache/dnf/x', '/var/cache/dnf/', 'package cache'],
    ['root/.cache/pip/http/a', '/root/.cache/', 'user cache'],
    ['home/app/.cache/x', '/home/app/.cache/', 'user cache'],
    ['root/.npm/_cacache/x', '/root/.npm/', 'user cache'],
    ['root/.ansible/tmp/ansible-tmp-1/AnsiballZ_apt.py', '/root/.ansible/tmp/', 'ansible temp'],
    ['home/deploy/.ansible/tmp/x', '/home/deploy/.ansible/tmp/', 'ansible temp'],
    ['tmp/build/a.o', '/tmp/build/', 'temp'],
    ['tmp/file', '/tmp/file', 'temp'],
    ['var/tmp/x', '/var/tmp/x', 'temp'],
    ['tmp/__pycache__/m.pyc', '/tmp/__pycache__/', 'temp'],
    ['var/log/dpkg.log', '/var/log/dpkg.log', 'log'],
    ['var/log/apt/term.log', '/var/log/apt/term.log', 'log'],
    ['var/log/app.log.1', '/var/log/app.log.1', 'log'],
    ['var/log/app.log.2.gz', '/var/log/app.log.2.gz', 'log'],
    ['app/__pycache__/main.cpython-311.pyc', '/app/__pycache__/', 'python bytecode'],
    ['app/pkg/__pycache__/sub/x.pyc', '/app/pkg/__pycache__/', 'python bytecode'],
    ['srv/old.pyc', '/srv/old.pyc', 'python bytecode'],
  ])('%s is shown as %s (%s)', (path, shown, kind) =>
    expect(leftovers(files([path, 7]))).toEqual([{ path: shown, kind, size: 7, files: 1 }]),
  );

  it.each([
    'usr/lib/python3/dist-packages/yaml/__pycache__/x.cpython-311.pyc',
    'usr/local/lib/python3.11/site-packages/requests/__pycache__/api.cpython-311.pyc',
    'opt/venv/lib/python3.11/site-packages/x.pyc',
    'usr/lib/python3.11/__pycache__/os.cpython-311.pyc',
    'usr/lib/python3.11/json/__pycache__/x.pyc',
    'var/lib/apt/lists',
    'var/cache/apt/archives',
    'var/cache/debconf/config.dat',
    'var/log/syslog',
    'var/log/app.logger',
    'etc/tmp/x',
    'tmp',
    'root/.ansible/galaxy_token',
    'app/__pycache__.txt',
    'app/main.py',
  ])('%s is not a leftover', (path) => expect(leftovers(files([path, 7]))).toEqual([]));

  it('sums a folder, drops empty ones and sorts by size', () =>
    expect(
      leftovers(
        files(
          ['var/lib/apt/lists/a', 10],
          ['var/lib/apt/lists/b', 20],
          ['var/lib/apt/lists/lock', 0],
          ['var/log/empty.log', 0],
          ['tmp/x', 50],
        ),
      ),
    ).toEqual([
      { path: '/tmp/x', kind: 'temp', size: 50, files: 1 },
      { path: '/var/lib/apt/lists/', kind: 'apt lists', size: 30, files: 3 },
    ]));
});

describe('layerReport', () => {
  it('reports the added layer: its bytes, files, whiteouts, largest paths and leftovers', async () => {
    const base = await scan(['usr/bin/sh', 1000], [DPKG, 0, 'file', status(['dash', '0.5'])]);
    const added = await scan(
      ['big.bin', 5000],
      ['var/log/x.log', 10],
      ['etc/.wh.motd'],
      ['opt/.wh..wh..opq'],
      ['usr/bin/', 0, 'directory'],
    );
    const report = layerReport([base, added], 1);
    expect(report).toMatchObject({
      size: 5010,
      files: 2,
      // Not the opaque folder: overlayfs marks folders it made anew so, too.
      removed: 1,
      largest: [
        { path: '/big.bin', size: 5000, files: 1 },
        { path: '/var/log/x.log', size: 10, files: 1 },
      ],
      // The layer leaves dpkg's database as it was: nothing changed, nothing parsed.
      packages: [{ manager: 'dpkg', added: [], removed: [], upgraded: [], downgraded: [] }],
      packageNotes: [],
      leftovers: [{ path: '/var/log/x.log', kind: 'log', size: 10, files: 1 }],
    });
  });

  const diff = (report: LayerReport) =>
    report.packages.map(({ manager, added, removed, upgraded }) => ({
      manager,
      added: added.map((p) => p.name),
      removed: removed.map((p) => p.name),
      upgraded: upgraded.map((c) => `${c.name} ${c.from} → ${c.to}`),
    }));

  it.each<{ title: string; layers: Spec[][]; packages: unknown[]; notes?: string[] }>([
    {
      title: "the base's last version of the database is the before, the top layer's the after",
      layers: [
        [[DPKG, 0, 'file', status(['a', '1'])]],
        [[DPKG, 0, 'file', status(['a', '1'], ['b', '1'])]],
        [[DPKG, 0, 'file', status(['a', '1:0.1'], ['c', '2'])]],
      ],
      packages: [{ manager: 'dpkg', added: ['c'], removed: ['b'], upgraded: ['a 1 → 1:0.1'] }],
    },
    {
      title: 'a base layer that removes the database leaves no before',
      layers: [
        [[DPKG, 0, 'file', status(['a', '1'])]],
        [['var/lib/dpkg/.wh.status']],
        [[DPKG, 0, 'file', status(['a', '1'])]],
      ],
      packages: [{ manager: 'dpkg', added: ['a'], removed: [], upgraded: [] }],
    },
    {
      title: 'an opaque parent in the base hides the older database',
      layers: [
        [[DPKG, 0, 'file', status(['a', '1'])]],
        [['var/lib/.wh..wh..opq']],
        [[DPKG, 0, 'file', status(['b', '1'])]],
      ],
      packages: [{ manager: 'dpkg', added: ['b'], removed: [], upgraded: [] }],
    },
    {
      title: "a layer's own database stands beside its whiteout",
      layers: [
        [[DPKG, 0, 'file', status(['a', '1'])]],
        [['var/lib/dpkg/.wh..wh..opq'], [DPKG, 0, 'file', status(['b', '1'])]],
        [['x', 1]],
      ],
      packages: [{ manager: 'dpkg', added: [], removed: [], upgraded: [] }],
    },
    {
      title:
        'a top layer that removes the database says so instead of listing every package as removed',
      layers: [[[DPKG, 0, 'file', status(['a', '1'])]], [['var/lib/.wh.dpkg']]],
      packages: [],
      notes: ['dpkg: the layer removes /var/lib/dpkg/status; its packages are not listed'],
    },
    {
      title: 'a database that is not a regular file',
      layers: [[[DPKG, 0, 'file', status(['a', '1'])]], [[DPKG, 0, 'symlink']]],
      packages: [],
      notes: [
        'dpkg: /var/lib/dpkg/status is not a regular file of at most 67108864 bytes; its packages are not listed',
      ],
    },
    {
      title: 'apk',
      layers: [
        [['lib/apk/db/installed', 0, 'file', 'P:musl\nV:1.2.5-r0\n\nP:busybox\nV:1.36-r1\n']],
        [['lib/apk/db/installed', 0, 'file', 'P:musl\nV:1.2.5-r1\n\nP:redis\nV:7.2-r0\n']],
      ],
      packages: [
        {
          manager: 'apk',
          added: ['redis'],
          removed: ['busybox'],
          upgraded: ['musl 1.2.5-r0 → 1.2.5-r1'],
        },
      ],
    },
    {
      title: 'rpm is left to rpm itself',
      layers: [[['var/lib/rpm/rpmdb.sqlite', 10]], [['var/lib/rpm/rpmdb.sqlite', 20]]],
      packages: [],
      notes: [],
    },
    { title: 'no database at all', layers: [[['bin/busybox', 10]], [['app', 1]]], packages: [] },
  ])('$title', async ({ layers, packages, notes = [] }) => {
    const scans: LayerScan[] = [];
    for (const layer of layers) scans.push(await scan(...layer));
    const report = layerReport(scans, layers.length - 1);
    expect(diff(report)).toEqual(packages);
    expect(report.packageNotes).toEqual(notes);
  });
});

const REPORT: LayerReport = {
  size: 105_000_000,
  files: 3002,
  removed: 1,
  largest: [
    { path: '/big.bin', size: 104_857_600, files: 1 },
    { path: '/opt/small/', size: 12_000, files: 3000 },
  ],
  packages: [
    {
      manager: 'dpkg',
      added: [
        {
          name: 'redis-server',
          version: '5:7.0.15-1~deb12u1',
          architecture: 'amd64',
          size: 300_000,
        },
      ],
      removed: [{ name: 'old', version: '1.0', architecture: 'amd64' }],
      upgraded: [{ name: 'libc6', architecture: 'amd64', from: '2.36-9', to: '2.36-10' }],
      downgraded: [],
    },
  ],
  packageNotes: [],
  leftovers: [{ path: '/var/lib/apt/lists/', kind: 'apt lists', size: 18_000_000, files: 9 }],
};

describe('layerSection', () => {
  it('shows the size, the largest paths, the package changes and the leftovers', () =>
    expect(layerSection(REPORT).join('\n')).toBe(
      [
        '### What the added layer holds',
        '',
        '105.0 MB in 3002 files; it removes 1 path of the base.',
        '',
        '| largest paths | size | files |',
        '| --- | --- | --- |',
        '| ` /big.bin ` | 104.9 MB | 1 |',
        '| ` /opt/small/ ` | 12.0 kB | 3000 |',
        '',
        '#### Packages (dpkg)',
        '',
        '1 added, 1 upgraded, 0 downgraded, 1 removed.',
        '',
        '| package | change | version | installed size |',
        '| --- | --- | --- | --- |',
        '| ` redis-server ` | added | ` 5:7.0.15-1~deb12u1 ` | 300.0 kB |',
        '| ` libc6 ` | upgraded | ` 2.36-9 ` → ` 2.36-10 ` |  |',
        '| ` old ` | removed | ` 1.0 ` |  |',
        '',
        '#### Possible build leftovers: 18.0 MB',
        '',
        '| path | what | size | files |',
        '| --- | --- | --- | --- |',
        '| ` /var/lib/apt/lists/ ` | apt lists | 18.0 MB | 9 |',
        '',
      ].join('\n'),
    ));

  it('prints what came from the image inert: no line break, HTML, Markdown or table cell escapes', () => {
    const hostile = '/x\n::error::owned\r| <img src=x onerror=alert(1)> ``` [a](http://e)';
    const text = layerSection({
      ...REPORT,
      largest: [{ path: hostile, size: 1, files: 1 }],
      leftovers: [{ path: hostile, kind: 'temp', size: 1, files: 1 }],
      packages: [
        { ...REPORT.packages[0], added: [{ name: hostile, version: hostile, architecture: '' }] },
      ],
    }).join('\n');
    const rows = text.split('\n').filter((line) => line.includes('::error::'));
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.startsWith('| ')).toBe(true);
      expect(row).toContain(
        '```` /x ::error::owned \\| <img src=x onerror=alert(1)> ``` [a](http://e) ````',
      );
    }
  });

  it("names the platform of one of several platforms' images", () =>
    expect(layerSection(REPORT, 'linux/arm64')[0]).toBe(
      '### What the added layer holds (` linux/arm64 `)',
    ));

  it('leaves long lists to the metadata output', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({
      name: `p${i}`,
      version: '1',
      architecture: 'amd64',
    }));
    const text = layerSection({
      ...REPORT,
      packages: [{ ...REPORT.packages[0], added: many, removed: [], upgraded: [] }],
    }).join('\n');
    expect(text).toContain('| ` p49 ` |');
    expect(text).not.toContain('| ` p50 ` |');
    expect(text).toContain('| … and 10 more in the `metadata` output |  |  |  |');
  });

  it.each([
    [{ packages: [], packageNotes: [] }, 'No package database of dpkg, apk or rpm in the image.'],
    [
      {
        packages: [
          { manager: 'apk' as const, added: [], removed: [], upgraded: [], downgraded: [] },
        ],
      },
      'No package added, removed or changed.',
    ],
    [{ packageNotes: ['rpm: `x` <b>'] }, '- `` rpm: `x` <b> ``'],
  ])('says what it knows of packages: %j', (change, line) =>
    expect(layerSection({ ...REPORT, ...change })).toContain(line),
  );
});

describe('checkLayerSize', () => {
  it('passes a layer at the limit', () =>
    expect(() => checkLayerSize(REPORT, 105_000_000)).not.toThrow());

  it('fails a layer over the limit, naming its largest paths with their control characters shown', () =>
    expect(() =>
      checkLayerSize(
        { ...REPORT, largest: [{ path: '/a\n::error::b', size: 9, files: 1 }, ...REPORT.largest] },
        100_000_000,
      ),
    ).toThrow(
      'The layer the build added holds 105.0 MB (105000000 bytes), more than max-layer-size allows: 100.0 MB (100000000 bytes). Its largest paths: "/a\\n::error::b" 9 B, "/big.bin" 104.9 MB, "/opt/small/" 12.0 kB',
    ));
});
