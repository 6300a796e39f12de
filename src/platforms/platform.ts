import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TAG_MAX, parseImageReference } from '../reference.js';

/** An image's platform, as an OCI image index entry and an image config state it. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/**
 * The architectures an image can be built for, with containerd's normalisation
 * (platforms.Normalize): `implied` is the variant a bare name means, and `omitted` the one
 * that is dropped because it is the bare name (arm64 is v8, amd64 is v1).
 */
const ARCHITECTURES: Record<string, { variants: string[]; implied?: string; omitted?: string }> = {
  amd64: { variants: ['v1', 'v2', 'v3', 'v4'], omitted: 'v1' },
  arm64: { variants: ['v8'], omitted: 'v8' },
  arm: { variants: ['v5', 'v6', 'v7'], implied: 'v7' },
  '386': { variants: [] },
  ppc64le: { variants: [] },
  s390x: { variants: [] },
  riscv64: { variants: [] },
};

/** What uname and distributions call them. */
const ALIASES: Record<string, string> = {
  aarch64: 'arm64',
  x86_64: 'amd64',
  'x86-64': 'amd64',
  i386: '386',
};

/** The engine builds Linux containers only. */
const OSES = ['linux'];

const SYNTAX = 'must be os/architecture[/variant], like linux/amd64, linux/arm64 or linux/arm/v7';

/** A platform as the user writes it (`linux/arm64`, `linux/arm/v7`), in containerd's normal form. */
export function parsePlatform(text: string): Platform {
  const parts = text.trim().toLowerCase().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((part) => part === ''))
    throw new Error(`"${text}" ${SYNTAX}`);
  const [os, name, variant] = parts;
  if (!OSES.includes(os))
    throw new Error(`"${text}": the os must be ${OSES.join(' or ')}, not "${os}"`);
  const architecture = ALIASES[name] ?? name;
  const known = ARCHITECTURES[architecture];
  if (!known)
    throw new Error(
      `"${text}": unknown architecture "${name}"; known: ${Object.keys(ARCHITECTURES).join(', ')}`,
    );
  if (variant !== undefined && !known.variants.includes(variant))
    throw new Error(
      known.variants.length
        ? `"${text}": ${architecture} has the variants ${known.variants.join(', ')}, not "${variant}"`
        : `"${text}": ${architecture} has no variants`,
    );
  return normalise({ os, architecture, ...(variant && { variant }) });
}

/**
 * containerd's normal form of any platform, also of one that a registry states and this
 * action does not build for: architecture aliases resolved, implied variants made explicit
 * and omitted ones dropped.
 */
function normalise({ os, architecture, variant }: Platform): Platform {
  const name = ALIASES[architecture] ?? architecture;
  const known = ARCHITECTURES[name];
  const stated = variant || known?.implied;
  return {
    os,
    architecture: name,
    ...(stated && stated !== known?.omitted && { variant: stated }),
  };
}

/** Whether two platforms are one: linux/arm64 is linux/arm64/v8, linux/arm is linux/arm/v7. */
export function samePlatform(a: Platform, b: Platform): boolean {
  const [x, y] = [normalise(a), normalise(b)];
  return x.os === y.os && x.architecture === y.architecture && x.variant === y.variant;
}

/** `linux/arm/v7` */
export const platformName = (p: Platform) =>
  [p.os, p.architecture, p.variant].filter(Boolean).join('/');

/** `linux-arm-v7`, for a tag per platform */
export const platformTagSuffix = (p: Platform) =>
  [p.os, p.architecture, p.variant].filter(Boolean).join('-');

/**
 * The tag that holds one platform's image of a multi-platform tag (`app:1` → `app:1-linux-arm64`),
 * since a tag of the engine's image store holds one platform.
 */
export function stagingTag(reference: string, platform: Platform): string {
  const { name, tag = 'latest', digest } = parseImageReference(reference);
  if (digest) throw new Error(`${reference} names a digest, so it has no tag to stage under`);
  const staging = `${tag}-${platformTagSuffix(platform)}`;
  if (staging.length > TAG_MAX)
    throw new Error(
      `The ${platformName(platform)} tag of ${reference} would be "${staging}", longer than the ${TAG_MAX} characters a tag may have: shorten the tag`,
    );
  return `${name}:${staging}`;
}

/** Node's names for the runner's CPU, as platform architectures. */
const NODE_ARCHITECTURES: Record<string, Platform> = {
  x64: { os: 'linux', architecture: 'amd64' },
  arm64: { os: 'linux', architecture: 'arm64' },
  arm: { os: 'linux', architecture: 'arm', variant: 'v7' },
  ia32: { os: 'linux', architecture: '386' },
  ppc64: { os: 'linux', architecture: 'ppc64le' },
  s390x: { os: 'linux', architecture: 's390x' },
  riscv64: { os: 'linux', architecture: 'riscv64' },
};

/** The platform the runner's CPU runs without emulation. */
export function nativePlatform(arch: string = process.arch): Platform {
  const native = NODE_ARCHITECTURES[arch];
  if (!native)
    throw new Error(`The runner's architecture "${arch}" is not one images are built for`);
  return native;
}

/** QEMU's name for each architecture, which names its binfmt_misc handler (`qemu-aarch64`). */
const QEMU: Record<string, string> = {
  amd64: 'x86_64',
  arm64: 'aarch64',
  arm: 'arm',
  '386': 'i386',
  ppc64le: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
};

/**
 * Architectures that a CPU runs besides its own. Not arm on arm64: not every arm64 CPU runs
 * 32-bit code, so arm needs its emulator there too.
 */
const ALSO_NATIVE: Record<string, string[]> = { amd64: ['386'] };

export const BINFMT_MISC = '/proc/sys/fs/binfmt_misc';

/** The first line and the flags of a binfmt_misc entry, or undefined when there is none. */
function binfmtEntry(file: string): { enabled: boolean; flags: string } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const flags = lines.find((line) => line.startsWith('flags:'))?.slice('flags:'.length) ?? '';
  return { enabled: lines[0] === 'enabled', flags: flags.trim() };
}

/**
 * Why the runner cannot run containers of a platform, or undefined when it can: natively, or
 * through a binfmt_misc handler (QEMU) that the kernel has enabled. The handler needs the F
 * flag, which loads the interpreter at registration, since a container's file system does
 * not have it.
 */
export function emulationMissing(
  platform: Platform,
  native: Platform = nativePlatform(),
  binfmt: string = BINFMT_MISC,
): string | undefined {
  const wanted = normalise(platform);
  const { architecture } = wanted;
  if (samePlatform(wanted, native)) return undefined;
  if (wanted.os === native.os && ALSO_NATIVE[native.architecture]?.includes(architecture))
    return undefined;
  const cannot = `The runner (${platformName(native)}) cannot run ${platformName(wanted)} images`;
  const setUp =
    'set up QEMU first (docker/setup-qemu-action) or build on a runner of that platform';
  const qemu = QEMU[architecture];
  if (wanted.os !== native.os || !qemu) return `${cannot}: QEMU has no emulator for them`;
  const handler = path.join(binfmt, `qemu-${qemu}`);
  const status = binfmtEntry(path.join(binfmt, 'status'));
  const entry = binfmtEntry(handler);
  if (!entry)
    return `${cannot}: no emulator is registered for them (${handler} does not exist); ${setUp}`;
  if (!entry.enabled || (status && !status.enabled))
    return `${cannot}: the emulator ${handler} is registered but disabled; ${setUp}`;
  if (!entry.flags.includes('F'))
    return `${cannot}: the emulator ${handler} is registered without the F (fix binary) flag, so containers cannot find it; ${setUp}`;
  return undefined;
}

/** A name as registries write platforms; anything else in one is not printed or trusted. */
const PLATFORM_WORD = /^[A-Za-z0-9._-]{1,32}$/;

/**
 * The platform that a config or an index entry from a registry states, when it states one
 * in plain words; undefined otherwise (attestation entries state `unknown/unknown`).
 */
export function statedPlatform(value: unknown): Platform | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { os, architecture, variant } = value as Record<string, unknown>;
  const word = (field: unknown): field is string =>
    typeof field === 'string' && PLATFORM_WORD.test(field);
  if (!word(os) || !word(architecture) || os === 'unknown') return undefined;
  if (variant !== undefined && variant !== '' && !word(variant)) return undefined;
  return { os, architecture, ...(variant && { variant }) };
}
