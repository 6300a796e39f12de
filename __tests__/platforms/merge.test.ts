import { describe, expect, it } from 'vitest';
import { mergeEntries } from '../../src/platforms/merge.js';

const digest = (c: string) => `sha256:${c.repeat(64)}`;

describe('mergeEntries refuses, before any request', () => {
  // Nothing listens on port 1: a request would fail with "Cannot reach", not with these.
  it.each<[string, string[], RegExp]>([
    ['nothing', [], /^Nothing to merge: give at least one image digest$/],
    [
      'a reference without a digest',
      [`127.0.0.1:1/app@${digest('a')}`, '127.0.0.1:1/app:1'],
      /^"127\.0\.0\.1:1\/app:1" must name an image by digest \(repository@sha256:…\), like a build's digest output$/,
    ],
    [
      'a reference with a tag and a digest',
      [`127.0.0.1:1/app:1@${digest('a')}`],
      /^"127\.0\.0\.1:1\/app:1@sha256:a{64}" must not have a tag: the digest alone names the image$/,
    ],
    [
      'a digest of another algorithm',
      [`127.0.0.1:1/app@sha512:${'a'.repeat(128)}`],
      /must name an image by digest \(repository@sha256:…\)/,
    ],
    [
      'a malformed reference',
      [`127.0.0.1:1/App@${digest('a')}`],
      /^"127\.0\.0\.1:1\/App@sha256:a{64}" is not an image reference: repository name must be lower-case \("App"\)$/,
    ],
    [
      'a short digest',
      ['127.0.0.1:1/app@sha256:abc'],
      /is not an image reference: digest must be algorithm:hex with at least 32 hex digits$/,
    ],
    [
      'two repositories',
      [`127.0.0.1:1/app@${digest('a')}`, `127.0.0.1:1/other@${digest('b')}`],
      /^127\.0\.0\.1:1\/app@sha256:a{64} and 127\.0\.0\.1:1\/other@sha256:b{64} are in different repositories \(127\.0\.0\.1:1\/app and 127\.0\.0\.1:1\/other\): an index names images of its own repository, so push them all to one$/,
    ],
    [
      'two registries',
      [`127.0.0.1:1/app@${digest('a')}`, `127.0.0.1:2/app@${digest('b')}`],
      /are in different repositories \(127\.0\.0\.1:1\/app and 127\.0\.0\.1:2\/app\)/,
    ],
  ])('%s', async (_case, references, message) => {
    await expect(mergeEntries(references)).rejects.toThrow(message);
  });
});
