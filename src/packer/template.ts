import { EXECUTOR_MOUNT } from '../executor/executor.js';
import { PYTHON_MOUNT } from '../outside-python/cache.js';
import { shellQuote } from '../shellwords.js';

/**
 * The Packer build config (HCL2 JSON, `.pkr.json`) for one build: the docker builder with a
 * named container, a host-side step that prepares the container, the ansible provisioner,
 * the matching finish step, and a manifest that tells us the committed image's ID.
 */
export interface TemplateOptions {
  baseImageId: string;
  containerName: string;
  network: string;
  /** Final `docker commit --change` lines (see changes.ts). */
  changes: string[];
  commitMessage: string;
  playbook: string;
  /** The ansible-playbook wrapper that carries our arguments (see ansible/command.ts). */
  ansibleCommand: string;
  prepareCommand: string;
  finishCommand: string;
  /** What the host-side steps print first, so that the log tells their stages apart. */
  setupMarker: string;
  cleanupMarker: string;
  manifestPath: string;
  /** Keys for the SSH proxy that Packer starts but we never use (see proxy-keys.ts). */
  proxyHostKeyFile: string;
  proxyAuthorizedKeyFile: string;
  /** The runner's folder that the container sees at EXECUTOR_MOUNT (see executor/executor.ts). */
  executorDirectory: string;
  /**
   * The runner's folder for the base image's Python outside the image, which the container
   * sees at PYTHON_MOUNT (see outside-python/cache.ts); none where that Python is not used.
   */
  pythonDirectory?: string;
}

/**
 * Packer's own shared folder in the container; its mount point stays in the image anyway. The
 * features' mounts lie inside it (EXECUTOR_MOUNT, PYTHON_MOUNT), as their tests check.
 */
export const PACKER_CONTAINER_DIR = '/packer-files';

/**
 * PID 1 of the build container: Packer's `/bin/sh` never waits for the children it adopts, so a
 * daemon that the playbook stops would stay a zombie, and init scripts wait for it to go until
 * they give up. A shell that waits on its own `sleep` collects every adopted child along the
 * way (dash, bash and busybox wait for any child). It stays a shell, which Ansible's fact of
 * the service manager ignores as PID 1, as it must (see services/systemctl.py).
 */
export const BUILD_CONTAINER_INIT =
  'command -v sleep >/dev/null 2>&1 || exec /bin/sh; while :; do sleep 2147483 & wait $!; done';

/**
 * Packer reads every string twice: as an HCL template (`${`, `%{`) and, for most builder
 * options, as a Go template (`{{`). Values are escaped for both, so they arrive as written.
 */
export function escapeHcl(value: string): string {
  // A function replacer: in a replacement string, `$$` would mean a single `$`.
  return value.replace(/([$%])\{/g, (_, sigil: string) => `${sigil}${sigil}{`);
}

export function escapeGoTemplate(value: string): string {
  return value.replaceAll('{{', '{{"{{"}}');
}

export function packerTemplate(o: TemplateOptions): object {
  // Some options (extra_arguments, ansible_env_vars) are rendered as Go templates more than
  // once, which no escaping survives; so only `changes` may carry user text, and the rest
  // (our own paths and names) must not look like a template at all.
  for (const value of [
    o.baseImageId,
    o.containerName,
    o.network,
    o.commitMessage,
    o.playbook,
    o.ansibleCommand,
    o.prepareCommand,
    o.finishCommand,
    o.setupMarker,
    o.cleanupMarker,
    o.manifestPath,
    o.executorDirectory,
    o.pythonDirectory ?? '',
    o.proxyHostKeyFile,
    o.proxyAuthorizedKeyFile,
  ]) {
    if (/\{\{|\$\{|%\{/.test(value))
      throw new Error(`"${value}" contains {{, \${ or %{, which Packer would read as a template`);
  }
  const network = o.network ? ['--network', o.network] : [];
  return {
    source: {
      docker: {
        build: {
          image: o.baseImageId,
          pull: false,
          commit: true,
          container_dir: PACKER_CONTAINER_DIR,
          volumes: {
            [o.executorDirectory]: EXECUTOR_MOUNT,
            // Read-only: builds run it as root, and none may change it for the next.
            ...(o.pythonDirectory && { [o.pythonDirectory]: `${PYTHON_MOUNT}:ro` }),
          },
          message: o.commitMessage,
          changes: o.changes.map((change) => escapeHcl(escapeGoTemplate(change))),
          // A known name lets Ansible connect with the Docker connection plugin instead of
          // Packer's SSH proxy, which current OpenSSH refuses (it offers only ssh-rsa).
          run_command: [
            '-d',
            '-i',
            '-t',
            '--name',
            o.containerName,
            ...network,
            '--entrypoint=/bin/sh',
            '--',
            '{{.Image}}',
            '-c',
            BUILD_CONTAINER_INIT,
          ],
        },
      },
    },
    build: {
      sources: ['source.docker.build'],
      provisioner: [
        { 'shell-local': { inline: [`echo ${shellQuote(o.setupMarker)}`, o.prepareCommand] } },
        {
          ansible: {
            command: o.ansibleCommand,
            playbook_file: o.playbook,
            user: 'root',
            ssh_host_key_file: o.proxyHostKeyFile,
            ssh_authorized_key_file: o.proxyAuthorizedKeyFile,
          },
        },
        { 'shell-local': { inline: [`echo ${shellQuote(o.cleanupMarker)}`, o.finishCommand] } },
      ],
      'post-processor': [{ manifest: { output: o.manifestPath, strip_path: true } }],
    },
  };
}
