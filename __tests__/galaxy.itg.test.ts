import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { docker } from './docker.js';
import { roleTarball } from './roles.js';
import { repoRoot, runAction } from './runner.js';

// A role (as a tarball) and a collection (built with ansible-galaxy) that exist only as files,
// so that the galaxy-file input is exercised without a Galaxy server.
const scratch = path.join(repoRoot, '.tmp', 'galaxy');
const requirements = path.join(scratch, 'requirements.yml');

beforeAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  roleTarball(
    scratch,
    'itg_marker',
    '- name: Mark the image from the role\n  ansible.builtin.raw: touch /role-marker\n',
  );

  execFileSync(
    'ansible-galaxy',
    ['collection', 'init', 'itg.tools', '--init-path', path.join(scratch, 'src')],
    { stdio: 'ignore' },
  );
  const collection = path.join(scratch, 'src', 'itg', 'tools');
  mkdirSync(path.join(collection, 'plugins', 'modules'), { recursive: true });
  writeFileSync(
    path.join(collection, 'plugins', 'modules', 'mark.py'),
    [
      '#!/usr/bin/python3',
      'from ansible.module_utils.basic import AnsibleModule',
      'm = AnsibleModule(argument_spec={"path": {"type": "str", "required": True}})',
      'open(m.params["path"], "w").close()',
      'm.exit_json(changed=True)',
      '',
    ].join('\n'),
  );
  execFileSync('ansible-galaxy', ['collection', 'build', collection, '--output-path', scratch], {
    stdio: 'ignore',
  });
  writeFileSync(
    requirements,
    [
      'roles:',
      `  - src: file://${path.join(scratch, 'itg_marker.tar.gz')}`,
      '    name: itg_marker',
      'collections:',
      `  - name: ${path.join(scratch, 'itg-tools-1.0.0.tar.gz')}`,
      '    type: file',
      '',
    ].join('\n'),
  );
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it('installs the roles and collections of galaxy-file before the build, into the run folder', async () => {
  const run = await runAction({
    playbook: '__tests__/fixtures/galaxy/site.yml',
    'galaxy-file': path.relative(repoRoot, requirements),
    network: 'host',
  });
  expect(run.exitCode, run.log).toBe(0);
  const id = run.outputs['image-id'];
  try {
    expect(docker('run', '--rm', id, 'ls', '/role-marker', '/collection-marker')).toMatch(
      /role-marker[\s\S]*collection-marker|collection-marker[\s\S]*role-marker/,
    );
  } finally {
    docker('image', 'rm', id);
  }
  expect(run.log).toMatch(/itg_marker.*(was installed successfully|extracting)/);
  expect(run.post.exitCode).toBe(0);
});

it('fails with ansible-galaxy’s own message for a requirement that cannot be installed', async () => {
  const broken = path.join(scratch, 'broken.yml');
  writeFileSync(broken, `roles:\n  - src: file://${scratch}/missing.tar.gz\n    name: missing\n`);
  const run = await runAction({
    playbook: '__tests__/fixtures/galaxy/site.yml',
    'galaxy-file': path.relative(repoRoot, broken),
  });
  expect(run.exitCode).toBe(1);
  expect(run.log).toMatch(/::error::ansible-galaxy role install failed \(exit \d+\): .*missing/);
  expect(run.post.exitCode).toBe(0);
});
