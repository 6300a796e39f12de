import { describe, expect, it } from 'vitest';
import type { ImageInfo } from '../../src/docker/engine.js';
import { FAILED_LABEL, failedImageChanges } from '../../src/failed/keep-failed.js';
import { failedImageName, failedPushReference } from '../../src/failed/names.js';
import { parseImageReference } from '../../src/reference.js';
import { KEY_LABEL, MANIFEST_LABEL } from '../../src/reuse/reuse.js';

describe('failedImageName', () => {
  it.each([
    ['ansible-image-0123456789ab', 'ansible-image-failed:0123456789ab'],
    ['ansible-image-0123456789ab-linux-arm64', 'ansible-image-failed:0123456789ab-linux-arm64'],
    ['other', 'ansible-image-failed:other'],
  ])('names the image of container %s %s', (container, name) => {
    expect(failedImageName(container)).toBe(name);
    expect(() => parseImageReference(name)).not.toThrow();
  });
});

describe('failedPushReference', () => {
  const long = `v${'1'.repeat(127)}`;
  it.each([
    ['app:1', 'app:1-failed'],
    ['app', 'app:latest-failed'],
    ['127.0.0.1:5000/team/app:1.2', '127.0.0.1:5000/team/app:1.2-failed'],
    ['ghcr.io/acme/app:1-linux-arm64', 'ghcr.io/acme/app:1-linux-arm64-failed'],
    [`app:${long}`, `app:${long.slice(0, 121)}-failed`],
  ])('puts the failed build of %s under %s', (tag, reference) => {
    expect(failedPushReference(tag)).toBe(reference);
    expect(() => parseImageReference(reference)).not.toThrow();
  });
});

describe('failedImageChanges', () => {
  const image = (config: Partial<ImageInfo['Config']>) => ({ Config: config }) as ImageInfo;

  it.each<[string, Partial<ImageInfo['Config']>, string[]]>([
    ['a CMD', { Cmd: ['bash'] }, ['ENTRYPOINT [""]', 'CMD ["bash"]']],
    [
      'an ENTRYPOINT and a CMD',
      { Entrypoint: ['/init'], Cmd: ['serve'] },
      ['ENTRYPOINT ["/init"]', 'CMD ["serve"]'],
    ],
    [
      'an ENTRYPOINT as a string',
      { Entrypoint: '/init' as never },
      ['ENTRYPOINT ["/init"]', 'CMD []'],
    ],
    ['neither', {}, ['ENTRYPOINT [""]', 'CMD []']],
  ])('gives it the run config of a base with %s', (_case, config, runConfig) => {
    expect(failedImageChanges(image(config), 'site.yml:12').slice(0, 2)).toEqual(runConfig);
  });

  it('empties the input key and its manifest, and marks the failed task', () => {
    expect(failedImageChanges(image({}), 'roles/web/tasks/main.yml:5').slice(2)).toEqual([
      `LABEL "${KEY_LABEL}"=""`,
      `LABEL "${MANIFEST_LABEL}"=""`,
      `LABEL "${FAILED_LABEL}"="roles/web/tasks/main.yml:5"`,
    ]);
  });

  it('quotes a location for Docker, which expands $ in labels', () => {
    expect(failedImageChanges(image({}), 'a "$x".yml:1').at(-1)).toBe(
      `LABEL "${FAILED_LABEL}"="a \\"\\$x\\".yml:1"`,
    );
  });
});
