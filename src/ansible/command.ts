import {
  DOCKER_CONNECTION,
  EXECUTOR_CONNECTION,
  EXECUTOR_SOCKET_VARIABLE,
  EXECUTOR_TOKEN_VARIABLE,
} from '../executor/executor.js';
import { OUTSIDE_PYTHON_FILE } from '../outside-python/cache.js';
import { shellQuote } from '../shellwords.js';

export interface AnsibleCommandOptions {
  ansiblePlaybook: string;
  /** The ansible-core version, known already: Packer asks for it with `--version`. */
  ansibleVersion: string;
  containerName: string;
  /** Vars files, later ones winning. */
  varsFiles: string[];
  vaultPasswordFile?: string;
  userArguments: string[];
  /** Printed first, so that the log knows the playbook started (see packer/log.ts). */
  stageMarker: string;
  /**
   * The launcher of the Python kept outside the image, where the runner mounted one: Ansible
   * uses it when the container script marks that it gave it to Ansible.
   */
  outsidePython?: string;
}

/**
 * Packer's ansible provisioner renders `extra_arguments` as a Go template twice, so no value
 * could pass through it unchanged. It runs this wrapper as its `command` instead, which
 * appends our arguments, quoted for the shell, after the ones Packer passes.
 */
export function ansibleWrapperScript(o: AnsibleCommandOptions): string {
  const args = [
    ...['-e', `ansible_host=${o.containerName}`],
    ...['-e', 'ansible_user=root'],
    ...o.varsFiles.flatMap((file) => ['-e', `@${file}`]),
    ...(o.vaultPasswordFile ? ['--vault-password-file', o.vaultPasswordFile] : []),
    ...o.userArguments,
  ];
  // Packer runs `--version` before the build to check Ansible; answering it here saves
  // starting Ansible once more (about 0.4 s).
  const version = shellQuote(`ansible-playbook [core ${o.ansibleVersion}]`);
  return [
    '#!/bin/sh',
    `if [ "$#" -eq 1 ] && [ "$1" = --version ]; then echo ${version}; exit 0; fi`,
    `echo ${shellQuote(o.stageMarker)}`,
    // Never Packer's SSH proxy: the executor in the container when it runs, or else (no
    // Python 3 in the image, or an engine on another machine) `docker exec` per command.
    // A link there is the container's doing: the plugin checks the socket's peer as well.
    `if [ -S "$${EXECUTOR_SOCKET_VARIABLE}" ] && [ ! -L "$${EXECUTOR_SOCKET_VARIABLE}" ]; then`,
    `  connection=${EXECUTOR_CONNECTION}`,
    'else',
    `  connection=${DOCKER_CONNECTION}`,
    '  echo "The executor is not running in the container: tasks go through docker exec" >&2',
    'fi',
    // The Python that the container script keeps outside the image, unless the user chose one.
    ...(o.outsidePython
      ? [
          `python_file="\${${EXECUTOR_SOCKET_VARIABLE}%/*}/${OUTSIDE_PYTHON_FILE}"`,
          'case "$ANSIBLE_PYTHON_INTERPRETER" in auto*)',
          '  if [ -f "$python_file" ] && [ ! -L "$python_file" ]; then',
          `    export ANSIBLE_PYTHON_INTERPRETER=${shellQuote(o.outsidePython)}`,
          // A module whose shebang names python3, not python, looks for this variable instead.
          '    set -- "$@" -e "ansible_python3_interpreter=$ANSIBLE_PYTHON_INTERPRETER"',
          '  fi',
          'esac',
        ]
      : []),
    `exec ${shellQuote(o.ansiblePlaybook)} "$@" -e "ansible_connection=$connection" ${args.map(shellQuote).join(' ')}`,
    '',
  ].join('\n');
}

/** The host-side command that runs our container script through `docker exec`. */
export function containerScriptCommand(
  containerName: string,
  script: string,
  args: string[],
): string {
  return [
    'docker',
    'exec',
    '-i',
    // As root whatever the image's USER: preparing installs packages.
    '--user',
    '0',
    // The executor's token, from our environment: never on a command line.
    '--env',
    EXECUTOR_TOKEN_VARIABLE,
    containerName,
    '/bin/sh',
    '-s',
    '--',
    ...args,
  ]
    .map(shellQuote)
    .join(' ')
    .concat(` < ${shellQuote(script)}`);
}
