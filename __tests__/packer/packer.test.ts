import { describe, expect, it } from 'vitest';
import { packerErrors } from '../../src/packer/packer.js';

const ANSIBLE_FAILURE = `docker.build: output will be in this color.

==> docker.build: Creating a temporary directory for sharing data...
==> docker.build: Starting docker container...
    docker.build: Run command: docker run -v /root/.packer.d/tmp:/packer-files -d -i -t --name ansible-image-1 --entrypoint=/bin/sh -- sha256:abc
    docker.build: Container ID: 0123456789ab
==> docker.build: Provisioning with Ansible...
    docker.build: TASK [configure] ****
    docker.build: fatal: [default]: FAILED! => {"changed": false, "msg": "boom"}
==> docker.build: Killing the container: 0123456789ab
Build 'docker.build' errored after 3 seconds 2 milliseconds: Error executing Ansible: Non-zero exit status: exit status 2

==> Wait completed after 3 seconds 2 milliseconds

==> Some builds didn't complete successfully and had errors:
--> docker.build: Error executing Ansible: Non-zero exit status: exit status 2

==> Builds finished but no artifacts were created.
`;

const CONFIG_FAILURE = `Error: Failed to prepare build: "docker.build"

1 error occurred:
\t* unknown configuration key: '"bogus"'; raws is nil


`;

describe('packerErrors', () => {
  it.each([
    [
      'a provisioner failure',
      ANSIBLE_FAILURE,
      [
        "Build 'docker.build' errored after 3 seconds 2 milliseconds: Error executing Ansible: Non-zero exit status: exit status 2",
        '--> docker.build: Error executing Ansible: Non-zero exit status: exit status 2',
      ],
    ],
    [
      'a configuration failure',
      CONFIG_FAILURE,
      [
        'Error: Failed to prepare build: "docker.build"',
        `* unknown configuration key: '"bogus"'; raws is nil`,
      ],
    ],
    ['output without errors', '==> docker.build: Starting docker container...\n', []],
    ['no output', '', []],
  ])('gives the error lines of %s', (_case, output, expected) => {
    expect(packerErrors(output)).toBe(expected.join('\n'));
  });

  it('drops repeated lines and keeps the last five', () => {
    const errors = Array.from({ length: 7 }, (_, i) => `Error: number ${i}`);
    const output = [...errors, errors[6], '  Error: number 6  ', 'noise'].join('\n');
    expect(packerErrors(output)).toBe(errors.slice(2).join('\n'));
  });
});
