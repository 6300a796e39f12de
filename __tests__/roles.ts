import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A role as Galaxy serves it, a tarball of `name/` with its tasks and meta, made in `folder`;
 * returns the tarball's path, for a requirements file's `src: file://…`.
 */
export function roleTarball(folder: string, name: string, tasks: string): string {
  const role = path.join(folder, 'role', name);
  mkdirSync(path.join(role, 'tasks'), { recursive: true });
  mkdirSync(path.join(role, 'meta'), { recursive: true });
  writeFileSync(
    path.join(role, 'meta', 'main.yml'),
    `galaxy_info: { author: itg, description: ${name}, license: MIT, min_ansible_version: "2.14" }\n`,
  );
  writeFileSync(path.join(role, 'tasks', 'main.yml'), tasks);
  const tarball = path.join(folder, `${name}.tar.gz`);
  execFileSync('tar', ['-czf', tarball, '-C', path.join(folder, 'role'), name]);
  return tarball;
}
