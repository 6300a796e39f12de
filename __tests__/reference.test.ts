import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { type ImageReference, parseImageReference } from '../src/reference.js';

const HEX64 = '0123456789abcdef'.repeat(4);

describe('parseImageReference', () => {
  it.each<[string, ImageReference]>([
    ['debian', { name: 'debian' }],
    ['debian:bookworm-slim', { name: 'debian', tag: 'bookworm-slim' }],
    ['ghcr.io/acme/app:1.4.0', { name: 'ghcr.io/acme/app', tag: '1.4.0' }],
    ['localhost:5000/a/b', { name: 'localhost:5000/a/b' }],
    ['localhost/a', { name: 'localhost/a' }],
    ['127.0.0.1:5000/x:1', { name: '127.0.0.1:5000/x', tag: '1' }],
    ['[::1]:5000/x', { name: '[::1]:5000/x' }],
    ['[::1]/x', { name: '[::1]/x' }],
    [`name@sha256:${HEX64}`, { name: 'name', digest: `sha256:${HEX64}` }],
    [
      `ghcr.io/acme/app:1.4.0@sha256:${HEX64}`,
      { name: 'ghcr.io/acme/app', tag: '1.4.0', digest: `sha256:${HEX64}` },
    ],
    ['a__b', { name: 'a__b' }],
    ['a-----b', { name: 'a-----b' }],
    ['a.b', { name: 'a.b' }],
    ['a_b-c/d.e0', { name: 'a_b-c/d.e0' }],
    ['my-registry.example.com/a/b/c', { name: 'my-registry.example.com/a/b/c' }],
    ['debian:_Tag.With-Mixed_Case', { name: 'debian', tag: '_Tag.With-Mixed_Case' }],
    [`debian:${'t'.repeat(128)}`, { name: 'debian', tag: 't'.repeat(128) }],
    ['a'.repeat(255), { name: 'a'.repeat(255) }],
  ])('accepts %s', (reference, expected) => {
    expect(parseImageReference(reference)).toEqual(expected);
  });

  it.each<[string, string, RegExp]>([
    ['empty', '', /^must not be empty$/],
    ['upper case name', 'Debian', /repository name must be lower-case \("Debian"\)/],
    ['upper case path', 'ghcr.io/Acme/app', /repository name must be lower-case \("Acme"\)/],
    ['empty tag', 'debian:', /tag must have 1 to 128 characters/],
    ['tag too long (129)', `debian:${'t'.repeat(129)}`, /tag must have 1 to 128 characters/],
    ['tag starting with .', 'debian:.x', /tag "\.x" must start with a letter, digit or _/],
    ['tag starting with -', 'debian:-x', /tag "-x" must start with a letter, digit or _/],
    ['tag with bad character', 'debian:a+b', /tag "a\+b" must start .* contain only/],
    ['short digest', 'debian@sha256:abc', /digest must be algorithm:hex with at least 32/],
    ['non-hex digest', `debian@sha256:${'g'.repeat(64)}`, /digest must be algorithm:hex/],
    ['digest without algorithm', `debian@:${HEX64}`, /digest must be algorithm:hex/],
    ['digest without colon', `debian@sha256${HEX64}`, /digest must be algorithm:hex/],
    ['algorithm starting with digit', `debian@1sha:${HEX64}`, /digest must be algorithm:hex/],
    ['empty digest', 'debian@', /digest must be algorithm:hex/],
    ['leading separator', '-a', /path component "-a" must be lower-case letters and digits/],
    ['trailing separator', 'a-', /path component "a-" must be lower-case letters and digits/],
    ['triple underscore', 'a___b', /path component "a___b" must be/],
    ['double dot', 'a..b', /path component "a\.\.b" must be/],
    ['empty path component', 'a//b', /repository name must not have an empty path component/],
    ['trailing slash', 'a/', /repository name must not have an empty path component/],
    ['space', 'debian bookworm', /must not contain white space/],
    ['tab', 'debian\t', /must not contain white space/],
    ['newline', 'debian\n', /must not contain white space/],
    ['name too long (256)', 'a'.repeat(256), /must not be longer than 255 characters/],
    ['only a tag', ':latest', /repository name must not be empty/],
    ['non-numeric port', 'localhost:http/x', /registry port "http" must be a number/],
    ['port too long', 'localhost:123456/x', /registry port "123456" must be a number/],
    ['bad host label', 'bad_host.com/x', /registry host "bad_host\.com" must be dot-separated/],
    ['host label ending in -', 'a-.com/x', /registry host "a-\.com" must be dot-separated/],
    ['unclosed IPv6', '[::1/x', /registry host "\[::1" is not a valid IPv6 address/],
    ['IPv6 with letters', '[::g]:5000/x', /registry host "\[::g\]" is not a valid IPv6/],
  ])('rejects %s (%j)', (_case, reference, rule) => {
    expect(() => parseImageReference(reference)).toThrow(rule);
  });

  // The issue asks for a scanner that stays linear on crafted input (no backtracking regexes).
  describe('complexity guard', () => {
    const crafted: Array<[string, string]> = [
      ['alternating separators then !', 'a' + '-a'.repeat(25000) + '!'],
      ['long name ending upper case', 'a'.repeat(50000) + 'A'],
      ['underscores', '_'.repeat(50000)],
      ['double underscores then !', 'a' + '__a'.repeat(16666) + '!'],
      ['dots then !', 'a' + '.a'.repeat(25000) + '!'],
      ['long tag ending in !', 'a:' + 'a'.repeat(49997) + '!'],
      ['long digest ending in g', 'a@sha256:' + '0'.repeat(49990) + 'g'],
      ['long algorithm', 'a@' + 'a-'.repeat(25000) + '1:' + HEX64],
      ['many slashes', 'a/'.repeat(25000) + '!'],
      ['many brackets', '['.repeat(50000) + '/x'],
      ['many colons', 'a' + ':'.repeat(50000)],
    ];

    it.each(crafted)('rejects %s', (_shape, reference) => {
      expect(reference.length).toBeGreaterThanOrEqual(50000);
      expect(() => parseImageReference(reference)).toThrow();
    });

    it.each(crafted)('rejects %s in under 50 ms (median of 5 runs)', (_shape, reference) => {
      const times: number[] = [];
      for (let run = 0; run < 5; run++) {
        const start = performance.now();
        try {
          parseImageReference(reference);
        } catch {
          // rejection is checked above; only the time matters here
        }
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      expect(times[2]).toBeLessThan(50);
    });
  });
});
