import { describe, expect, it } from 'vitest';
import {
  compareApkVersions,
  compareDebianVersions,
  compareRpmVersions,
  diffPackages,
  parseApkInstalled,
  parseDpkgStatus,
  parseRpmList,
} from '../../src/report/packages.js';

const DPKG_STATUS = `Package: base-files
Essential: yes
Status: install ok installed
Priority: required
Installed-Size: 344
Architecture: amd64
Version: 12.4+deb12u5
Description: Debian base system miscellaneous files
 This package contains the basic filesystem hierarchy
 .
 Version: 99 in a description is not a field

Package: old-removed
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0

Package: never
Status: purge ok not-installed
Architecture: amd64

Package: libc6
Status: install ok installed
Architecture: amd64
Multi-Arch: same
Version: 2.36-9+deb12u7
Installed-Size: 12_bogus

Package: libc6
Status: install ok installed
Architecture: i386
Multi-Arch: same
Version: 2.36-9+deb12u7
Installed-Size: 12000
`;

describe('parseDpkgStatus', () => {
  it('lists the packages whose files are on disk, with their installed size in bytes', () =>
    expect(parseDpkgStatus(DPKG_STATUS)).toEqual([
      { name: 'base-files', version: '12.4+deb12u5', architecture: 'amd64', size: 344 * 1024 },
      { name: 'libc6', version: '2.36-9+deb12u7', architecture: 'amd64' },
      { name: 'libc6', version: '2.36-9+deb12u7', architecture: 'i386', size: 12000 * 1024 },
    ]));

  it.each([
    ['an empty file', ''],
    [
      'CRLF lines and blank lines with spaces',
      'Package: a\r\nStatus: install ok installed\r\nVersion: 1\r\n  \r\n',
    ],
    ['no Package field', 'Status: install ok installed\nVersion: 1\n'],
    ['garbage', '\0\0\u0001binary::error::x\n\n\n:::\n'],
  ])('reads %s without failing', (_, text) => expect(() => parseDpkgStatus(text)).not.toThrow());

  it('reads CRLF files', () =>
    expect(
      parseDpkgStatus(
        'Package: a\r\nStatus: install ok installed\r\nVersion: 1\r\n\r\nPackage: b\r\nStatus: install ok installed\r\nVersion: 2\r\n',
      ),
    ).toEqual([
      { name: 'a', version: '1', architecture: '' },
      { name: 'b', version: '2', architecture: '' },
    ]));
});

describe('parseApkInstalled', () => {
  it('reads P, V, A and I of each block', () =>
    expect(
      parseApkInstalled(
        'C:Q1abc=\nP:musl\nV:1.2.5-r0\nA:x86_64\nS:407003\nI:641024\nT:the musl c library\nF:lib\nR:libc.musl-x86_64.so.1\n\nP:busybox\nV:1.36.1-r29\nA:x86_64\nI:x\n\nV:1\n',
      ),
    ).toEqual([
      { name: 'musl', version: '1.2.5-r0', architecture: 'x86_64', size: 641024 },
      { name: 'busybox', version: '1.36.1-r29', architecture: 'x86_64' },
    ]));
});

describe('compareDebianVersions', () => {
  it.each([
    ['1.0', '1.0', 0],
    ['1.0', '1.1', -1],
    ['1.10', '1.9', 1],
    ['1:1.0', '2.0', 1], // the epoch wins
    ['2:0.1', '1:9.9', 1],
    ['0:1.0', '1.0', 0], // epoch 0 is the default
    ['1.0~rc1', '1.0', -1], // ~ sorts before the end
    ['1.0~~', '1.0~', -1],
    ['1.0-1', '1.0-2', -1],
    ['1.0-10', '1.0-9', 1],
    ['1.0', '1.0-0', 0],
    ['1.0a', '1.0+', -1], // letters before other characters
    ['1.0+b1', '1.0', 1],
    ['7.0.15-1~deb12u1', '7.0.15-1', -1],
    ['2.36-9+deb12u7', '2.36-9+deb12u10', -1],
    ['1.01', '1.1', 0], // digits compare as numbers
    ['1.2-3-4', '1.2-3-5', -1], // the revision follows the last hyphen
  ])('%s vs %s: %d', (a, b, order) => {
    expect(compareDebianVersions(a, b)).toBe(order);
    expect(compareDebianVersions(b, a)).toBe(-order || 0);
  });
});

describe('compareApkVersions', () => {
  it.each([
    ['1.2.5-r0', '1.2.5-r0', 0],
    ['1.2.5-r0', '1.2.5-r1', -1],
    ['1.2.10', '1.2.9', 1],
    ['1.2', '1.2.1', -1],
    ['1.2a', '1.2', 1],
    ['1.2a', '1.2b', -1],
    ['1.2_rc1', '1.2', -1],
    ['1.2_alpha', '1.2_beta', -1],
    ['1.2_p1', '1.2', 1],
    ['1.2_rc2', '1.2_rc10', -1],
    ['1.05', '1.1', -1], // a leading zero makes a fraction: .05 < .1
    ['3.0.13-r0', '3.3.2-r1', -1],
    ['1.36.1-r29', '1.36.1-r3', 1],
    ['not a version', 'not a version either', -1],
  ])('%s vs %s: %d', (a, b, order) => {
    expect(compareApkVersions(a, b)).toBe(order);
    expect(compareApkVersions(b, a)).toBe(-order || 0);
  });
});

describe('compareRpmVersions', () => {
  // Cases from rpm's own tests (tests/rpmvercmp.at), with epoch and release added.
  it.each([
    ['1.0', '1.0', 0],
    ['1.0', '2.0', -1],
    ['2.0.1', '2.0', 1],
    ['2.0.1a', '2.0.1', 1],
    ['5.5p1', '5.5p10', -1],
    ['10xyz', '10.1xyz', -1],
    ['xyz10', 'xyz10.1', -1],
    ['xyz.4', '8', -1],
    ['1b.fc17', '1.fc17', -1],
    ['2a', '2.0', -1],
    ['1.0', '1_0', 0],
    ['1.0~rc1', '1.0', -1],
    ['1.0~rc1', '1.0~rc2', -1],
    ['1.0~rc1~git123', '1.0~rc1', -1],
    ['1.0^', '1.0', 1],
    ['1.0^git1', '1.0', 1],
    ['1.0^git1', '1.01', -1],
    ['1.0^20160101', '1.0.1', -1],
    ['1.0~rc1^git1', '1.0~rc1', 1],
    ['1.0^git1~pre', '1.0^git1', -1],
    ['1:1.0-1', '2.0-1', 1], // the epoch wins
    ['0:1.0-1', '1.0-1', 0],
    ['1.0-1.el9', '1.0-2.el9', -1],
    ['7.2.4-1.el9', '7.2.10-1.el9', -1],
  ])('%s vs %s: %d', (a, b, order) => {
    expect(compareRpmVersions(a, b)).toBe(order);
    expect(compareRpmVersions(b, a)).toBe(-order || 0);
  });
});

describe('parseRpmList', () => {
  it('reads name, [epoch:]version-release, architecture and size per line', () =>
    expect(
      parseRpmList(
        'bash\t5.1.8-9.el9\tx86_64\t7738634\nopenssl\t1:3.0.7-27.el9\tx86_64\t1858245\ngpg-pubkey\tfd431d51-4ae0493b\t(none)\t0\nbad line\n\n',
      ),
    ).toEqual([
      { name: 'bash', version: '5.1.8-9.el9', architecture: 'x86_64', size: 7_738_634 },
      { name: 'openssl', version: '1:3.0.7-27.el9', architecture: 'x86_64', size: 1_858_245 },
      { name: 'gpg-pubkey', version: 'fd431d51-4ae0493b', architecture: '(none)', size: 0 },
    ]));
});

describe('diffPackages', () => {
  const p = (name: string, version: string, architecture = 'amd64') => ({
    name,
    version,
    architecture,
  });

  it('names what was added, removed, upgraded and downgraded, by name', () =>
    expect(
      diffPackages(
        'dpkg',
        [
          p('zlib1g', '1:1.2.13'),
          p('gone', '1.0'),
          p('old', '1:2.0'),
          p('kept', '1'),
          p('newer', '2.0'),
        ],
        [
          p('zlib1g', '1:1.2.13'),
          p('redis-server', '5:7.0.15-1~deb12u1'),
          p('old', '2:0.1'),
          p('kept', '1'),
          p('newer', '1:1.0'),
          p('aaa', '1'),
        ],
      ),
    ).toEqual({
      manager: 'dpkg',
      added: [p('aaa', '1'), p('redis-server', '5:7.0.15-1~deb12u1')],
      removed: [p('gone', '1.0')],
      upgraded: [
        { name: 'newer', architecture: 'amd64', from: '2.0', to: '1:1.0' },
        { name: 'old', architecture: 'amd64', from: '1:2.0', to: '2:0.1' },
      ],
      downgraded: [],
    }));

  it('tells a downgrade by the version order, not by text', () =>
    expect(diffPackages('dpkg', [p('a', '1.10')], [p('a', '1.9')]).downgraded).toEqual([
      { name: 'a', architecture: 'amd64', from: '1.10', to: '1.9' },
    ]));

  it('keeps one architecture of a package apart from another', () =>
    expect(
      diffPackages(
        'dpkg',
        [p('libc6', '2.36', 'amd64')],
        [p('libc6', '2.36', 'amd64'), p('libc6', '2.36', 'i386')],
      ).added,
    ).toEqual([p('libc6', '2.36', 'i386')]));

  it('orders apk versions by apk rules', () =>
    expect(
      diffPackages('apk', [p('musl', '1.2.5-r9', 'x86_64')], [p('musl', '1.2.5-r10', 'x86_64')])
        .upgraded,
    ).toEqual([{ name: 'musl', architecture: 'x86_64', from: '1.2.5-r9', to: '1.2.5-r10' }]));
});
