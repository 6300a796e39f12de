import { describe, expect, it } from 'vitest';
import { type Stage, stageStartedBy } from '../src/packer/log.js';

describe('stageStartedBy', () => {
  it('follows one Packer build of our template through its stages', () => {
    const output = [
      '==> docker.build: Creating a temporary directory for sharing data...',
      '==> docker.build: Starting docker container...',
      '    docker.build: Run command: docker run ...',
      '==> docker.build: Running local shell script: /tmp/packer-shell1',
      '    docker.build: Python is missing',
      '==> docker.build: Provisioning with Ansible...',
      '    docker.build: TASK [x] ***',
      '==> docker.build: Running local shell script: /tmp/packer-shell2',
      '==> docker.build: Committing the container',
      '    docker.build: Image ID: sha256:abc',
    ];
    const seen = new Set<Stage>();
    const stages = output.flatMap((line) => {
      const stage = stageStartedBy(line, seen);
      if (stage) seen.add(stage);
      return stage ? [stage] : [];
    });
    expect(stages).toEqual([
      'containerStart',
      'containerSetup',
      'playbook',
      'containerCleanup',
      'commit',
    ]);
  });
});
