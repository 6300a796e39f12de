import { describe, expect, it } from 'vitest';
import { StageMarkers } from '../../src/packer/log.js';

describe('StageMarkers', () => {
  const markers = new StageMarkers();
  const output = [
    '==> docker.build: Creating a temporary directory for sharing data...',
    '==> docker.build: Starting docker container...',
    '    docker.build: Run command: docker run ...',
    '==> docker.build: Running local shell script: /tmp/packer-shell1',
    `    docker.build: ${markers.marker('containerSetup')}`,
    '    docker.build: Python is missing',
    '==> docker.build: Provisioning with Ansible...',
    `    docker.build: ${markers.marker('playbook')}`,
    '    docker.build: TASK [x] ***',
    '==> docker.build: Running local shell script: /tmp/packer-shell2',
    `    docker.build: ${markers.marker('containerCleanup')}`,
    '==> docker.build: Committing the container',
    '    docker.build: Image ID: sha256:abc',
  ];
  const stagesOf = (lines: string[]) => lines.flatMap((line) => markers.stageStartedBy(line) ?? []);

  it('follows one Packer build of our template through its stages', () => {
    expect(stagesOf(output)).toEqual([
      'containerStart',
      'containerSetup',
      'playbook',
      'containerCleanup',
      'commit',
    ]);
  });

  it('tells the stages by their markers, not by their order or by Packer’s lines', () => {
    const reordered = [output[7], output[3], output[10], output[4], output[6]];
    expect(stagesOf(reordered)).toEqual(['playbook', 'containerCleanup', 'containerSetup']);
  });

  it('ignores a marker of another run, and one that names no stage of ours', () => {
    const other = new StageMarkers();
    expect(markers.stageStartedBy(other.marker('playbook'))).toBeUndefined();
    expect(
      markers.stageStartedBy(markers.marker('playbook').replace('playbook', 'commit')),
    ).toBeUndefined();
  });
});
