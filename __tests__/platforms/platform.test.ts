import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Platform,
  emulationMissing,
  nativePlatform,
  parsePlatform,
  platformName,
  platformTagSuffix,
  samePlatform,
  stagingTag,
  statedPlatform,
} from '../../src/platforms/platform.js';

const linux = (architecture: string, variant?: string): Platform => ({
  os: 'linux',
  architecture,
  ...(variant && { variant }),
});

describe('parsePlatform', () => {
  it.each<[string, Platform]>([
    ['linux/amd64', linux('amd64')],
    ['linux/amd64/v1', linux('amd64')],
    ['linux/amd64/v3', linux('amd64', 'v3')],
    ['linux/x86_64', linux('amd64')],
    ['linux/arm64', linux('arm64')],
    ['linux/arm64/v8', linux('arm64')],
    ['linux/aarch64', linux('arm64')],
    ['linux/arm', linux('arm', 'v7')],
    ['linux/arm/v7', linux('arm', 'v7')],
    ['linux/arm/v6', linux('arm', 'v6')],
    ['linux/386', linux('386')],
    ['linux/i386', linux('386')],
    ['linux/ppc64le', linux('ppc64le')],
    ['linux/s390x', linux('s390x')],
    ['linux/riscv64', linux('riscv64')],
    [' Linux/ARM64 ', linux('arm64')],
  ])('%s is %o', (text, platform) => {
    expect(parsePlatform(text)).toEqual(platform);
  });

  it.each<[string, RegExp]>([
    ['arm64', /^"arm64" must be os\/architecture\[\/variant\], like linux\/amd64/],
    ['', /^"" must be os\/architecture/],
    ['linux/', /^"linux\/" must be os\/architecture/],
    ['linux//v7', /^"linux\/\/v7" must be os\/architecture/],
    ['linux/arm/v7/x', /^"linux\/arm\/v7\/x" must be os\/architecture/],
    ['/arm64', /^"\/arm64" must be os\/architecture/],
    ['windows/amd64', /^"windows\/amd64": the os must be linux, not "windows"$/],
    [
      'linux/z80',
      /^"linux\/z80": unknown architecture "z80"; known: 386, amd64, arm64, arm, ppc64le, s390x, riscv64$/,
    ],
    ['linux/mips64le', /unknown architecture "mips64le"/],
    ['linux/arm64/v7', /^"linux\/arm64\/v7": arm64 has the variants v8, not "v7"$/],
    ['linux/arm/v9', /^"linux\/arm\/v9": arm has the variants v5, v6, v7, not "v9"$/],
    ['linux/s390x/v1', /^"linux\/s390x\/v1": s390x has no variants$/],
  ])('refuses %j', (text, message) => {
    expect(() => parsePlatform(text)).toThrow(message);
  });
});

describe('names', () => {
  it.each<[Platform, string, string]>([
    [linux('amd64'), 'linux/amd64', 'linux-amd64'],
    [linux('arm', 'v7'), 'linux/arm/v7', 'linux-arm-v7'],
    [linux('arm64'), 'linux/arm64', 'linux-arm64'],
  ])('%o is %s, tagged %s', (platform, name, suffix) => {
    expect(platformName(platform)).toBe(name);
    expect(platformTagSuffix(platform)).toBe(suffix);
  });
});

describe('samePlatform', () => {
  it.each<[Platform, Platform, boolean]>([
    [linux('arm64'), linux('arm64', 'v8'), true],
    [linux('arm64', 'v8'), linux('aarch64'), true],
    [linux('arm'), linux('arm', 'v7'), true],
    [linux('amd64'), linux('amd64', 'v1'), true],
    [linux('amd64'), linux('x86_64'), true],
    [linux('arm', 'v6'), linux('arm', 'v7'), false],
    [linux('amd64'), linux('amd64', 'v2'), false],
    [linux('amd64'), linux('arm64'), false],
    [linux('amd64'), { os: 'windows', architecture: 'amd64' }, false],
    [linux('mips64le'), linux('mips64le'), true],
  ])('%o and %o: %s', (a, b, same) => {
    expect(samePlatform(a, b)).toBe(same);
    expect(samePlatform(b, a)).toBe(same);
  });
});

describe('stagingTag', () => {
  const long = 'v'.repeat(116);
  it.each<[string, Platform, string]>([
    ['app:1', linux('arm64'), 'app:1-linux-arm64'],
    ['app', linux('amd64'), 'app:latest-linux-amd64'],
    ['127.0.0.1:5000/a/b:1.2', linux('arm', 'v7'), '127.0.0.1:5000/a/b:1.2-linux-arm-v7'],
    ['127.0.0.1:5000/a/b', linux('386'), '127.0.0.1:5000/a/b:latest-linux-386'],
    [`app:${long}`, linux('amd64'), `app:${long}-linux-amd64`],
  ])('%s for %o is %s', (reference, platform, staging) => {
    expect(stagingTag(reference, platform)).toBe(staging);
    expect(stagingTag(reference, platform).split(':').at(-1)?.length).toBeLessThanOrEqual(128);
  });

  it('refuses a tag that would be longer than 128 characters', () => {
    expect(() => stagingTag(`app:${long}x`, linux('amd64'))).toThrow(
      /^The linux\/amd64 tag of app:v+x would be "v+x-linux-amd64", longer than the 128 characters a tag may have: shorten the tag$/,
    );
  });

  it('refuses a reference by digest', () => {
    expect(() => stagingTag(`app@sha256:${'a'.repeat(64)}`, linux('amd64'))).toThrow(
      /names a digest, so it has no tag to stage under/,
    );
  });
});

describe('statedPlatform', () => {
  it.each<[unknown, Platform | undefined]>([
    [{ os: 'linux', architecture: 'arm64', variant: 'v8' }, linux('arm64', 'v8')],
    [{ os: 'linux', architecture: 'amd64', variant: '' }, linux('amd64')],
    [{ os: 'linux', architecture: 'amd64', created: 'x' }, linux('amd64')],
    [{ os: 'unknown', architecture: 'unknown' }, undefined],
    [{ os: 'linux' }, undefined],
    [{ os: 'linux', architecture: 'amd64\n::error::x' }, undefined],
    [{ os: 'linux', architecture: 'amd64', variant: 7 }, undefined],
    [{ os: 'linux', architecture: 'a'.repeat(33) }, undefined],
    [null, undefined],
    ['linux/amd64', undefined],
  ])('%j is %o', (value, platform) => {
    expect(statedPlatform(value)).toEqual(platform);
  });
});

describe('nativePlatform', () => {
  it.each<[string, Platform]>([
    ['x64', linux('amd64')],
    ['arm64', linux('arm64')],
    ['arm', linux('arm', 'v7')],
    ['ia32', linux('386')],
    ['ppc64', linux('ppc64le')],
    ['s390x', linux('s390x')],
    ['riscv64', linux('riscv64')],
  ])('%s is %o', (arch, platform) => {
    expect(nativePlatform(arch)).toEqual(platform);
  });

  it('refuses a CPU that images are not built for', () => {
    expect(() => nativePlatform('mips')).toThrow(
      `The runner's architecture "mips" is not one images are built for`,
    );
  });

  it('knows this runner', () => {
    expect(() => nativePlatform()).not.toThrow();
  });
});

describe('emulationMissing', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'binfmt-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** A binfmt_misc folder with these handlers (name → file content) and status. */
  function binfmt(handlers: Record<string, string>, status = 'enabled\n'): string {
    const folder = mkdtempSync(path.join(root, 'binfmt_misc-'));
    writeFileSync(path.join(folder, 'status'), status);
    for (const [name, content] of Object.entries(handlers))
      writeFileSync(path.join(folder, name), content);
    return folder;
  }
  const handler = (state: string, flags = 'PF') =>
    `${state}\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: ${flags}\noffset 0\nmagic 7f454c46\n`;

  const amd64 = linux('amd64');
  const arm64 = linux('arm64');
  it.each<
    [string, Platform, Platform, Record<string, string>, string | undefined, RegExp | undefined]
  >([
    ['the native platform', amd64, amd64, {}, undefined, undefined],
    ['arm64/v8 on arm64', linux('arm64', 'v8'), arm64, {}, undefined, undefined],
    ['386 on amd64', linux('386'), amd64, {}, undefined, undefined],
    [
      'arm64 with an enabled handler',
      arm64,
      amd64,
      { 'qemu-aarch64': handler('enabled') },
      undefined,
      undefined,
    ],
    [
      'amd64 on arm64 with qemu-x86_64',
      amd64,
      arm64,
      { 'qemu-x86_64': handler('enabled') },
      undefined,
      undefined,
    ],
    [
      'arm/v7 with qemu-arm',
      linux('arm', 'v7'),
      amd64,
      { 'qemu-arm': handler('enabled') },
      undefined,
      undefined,
    ],
    [
      'ppc64le with qemu-ppc64le',
      linux('ppc64le'),
      amd64,
      { 'qemu-ppc64le': handler('enabled') },
      undefined,
      undefined,
    ],
    [
      's390x with qemu-s390x',
      linux('s390x'),
      amd64,
      { 'qemu-s390x': handler('enabled') },
      undefined,
      undefined,
    ],
    [
      'riscv64 with qemu-riscv64',
      linux('riscv64'),
      amd64,
      { 'qemu-riscv64': handler('enabled') },
      undefined,
      undefined,
    ],
    [
      '386 on arm64 with qemu-i386',
      linux('386'),
      arm64,
      { 'qemu-i386': handler('enabled') },
      undefined,
      undefined,
    ],
    [
      'arm64 without a handler',
      arm64,
      amd64,
      { 'qemu-arm': handler('enabled') },
      undefined,
      /^The runner \(linux\/amd64\) cannot run linux\/arm64 images: no emulator is registered for them \(.*\/qemu-aarch64 does not exist\); set up QEMU first \(docker\/setup-qemu-action\) or build on a runner of that platform$/,
    ],
    [
      'arm on arm64 without qemu-arm (not every arm64 CPU runs 32-bit code)',
      linux('arm', 'v7'),
      arm64,
      {},
      undefined,
      /cannot run linux\/arm\/v7 images: no emulator is registered for them \(.*\/qemu-arm does not exist\); .*docker\/setup-qemu-action/,
    ],
    [
      'a disabled handler',
      arm64,
      amd64,
      { 'qemu-aarch64': handler('disabled') },
      undefined,
      /cannot run linux\/arm64 images: the emulator .*\/qemu-aarch64 is registered but disabled; .*docker\/setup-qemu-action/,
    ],
    [
      'binfmt_misc disabled as a whole',
      arm64,
      amd64,
      { 'qemu-aarch64': handler('enabled') },
      'disabled\n',
      /the emulator .*\/qemu-aarch64 is registered but disabled/,
    ],
    [
      'a handler without the F flag',
      arm64,
      amd64,
      { 'qemu-aarch64': handler('enabled', 'OC') },
      undefined,
      /the emulator .*\/qemu-aarch64 is registered without the F \(fix binary\) flag, so containers cannot find it; .*docker\/setup-qemu-action/,
    ],
    [
      'an architecture QEMU does not know here',
      linux('mips64le'),
      amd64,
      {},
      undefined,
      /^The runner \(linux\/amd64\) cannot run linux\/mips64le images: QEMU has no emulator for them$/,
    ],
    [
      'another os',
      { os: 'windows', architecture: 'amd64' },
      amd64,
      {},
      undefined,
      /^The runner \(linux\/amd64\) cannot run windows\/amd64 images: QEMU has no emulator for them$/,
    ],
  ])('%s', (_case, platform, native, handlers, status, expected) => {
    const message = emulationMissing(platform, native, binfmt(handlers, status));
    if (expected) expect(message).toMatch(expected);
    else expect(message).toBeUndefined();
  });

  it('says what is missing when binfmt_misc is not mounted at all', () => {
    expect(emulationMissing(arm64, amd64, path.join(root, 'none'))).toMatch(
      /no emulator is registered for them/,
    );
  });
});
