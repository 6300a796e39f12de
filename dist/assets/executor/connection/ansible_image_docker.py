# The controller's side of the action's fallback: a `docker exec` per command and per file
# transfer, for when the executor cannot run in the build container (no Python 3 there, or an
# engine on another machine). The action's own, so that no collection has to be installed for
# it; the executor's plugin (ansible_image_executor.py) builds on this one.
from __future__ import annotations

DOCUMENTATION = """
name: ansible_image_docker
short_description: Runs tasks in the ansible-image GitHub Action's build container through docker exec
description:
  - Each command, pipelined module and file transfer is one C(docker exec) as root; the docker
    CLI reaches the engine as it is configured to (DOCKER_HOST and the like).
  - The connection user is always root, so become runs sudo or su inside the container.
options:
  remote_addr:
    description: The build container's name.
    default: inventory_hostname
    vars:
      - name: inventory_hostname
      - name: ansible_host
  timeout:
    description: Seconds to wait for privilege escalation to succeed or to ask for its password.
    type: integer
    default: 10
    env:
      - name: ANSIBLE_TIMEOUT
    ini:
      - section: defaults
        key: timeout
    vars:
      - name: ansible_timeout
"""

import os
import secrets
import selectors
import subprocess

from ansible.errors import AnsibleConnectionFailure, AnsibleError, AnsibleFileNotFound
from ansible.module_utils.common.text.converters import to_bytes, to_text
from ansible.plugins.connection import ConnectionBase
from ansible.utils.display import Display

display = Display()

BUFSIZE = 65536
# The fetch script's exit status for a file that is not there: not one that docker exec or a
# shell uses for its own failures.
NO_SUCH_FILE = 66
FETCH_SCRIPT = f'[ -e "$1" ] || exit {NO_SUCH_FILE}; exec cat -- "$1"'


class ContainerConnection(ConnectionBase):
    """What the action's two connections share: nothing to hold open, paths taken from the
    container's root, and the runner's side of file transfers."""

    has_pipelining = True

    def _connect(self):
        self._connected = True
        return self

    def _shell_argv(self, cmd):
        return [self._play_context.executable, "-c", to_text(cmd)]

    @staticmethod
    def _open_source(in_path):
        try:
            return open(to_bytes(in_path), "rb")
        except FileNotFoundError as error:
            raise AnsibleFileNotFound(f"file or module does not exist: {in_path}") from error

    @staticmethod
    def _write_anew(out_path, fill):
        """Gives `fill` a new file that then takes out_path's place: whatever the container's
        answer, nothing on the runner is written through a link that is already there."""
        b_out_path = to_bytes(out_path)
        folder, name = os.path.split(b_out_path)
        part = os.path.join(folder, b".%s.%s.part" % (name, to_bytes(secrets.token_hex(8))))
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            out = open(os.open(part, flags, 0o666), "wb")
        except OSError as error:
            raise AnsibleError(f"cannot write {out_path}: {error}") from error
        try:
            with out:
                fill(out)
            try:
                os.replace(part, b_out_path)
            except OSError as error:
                raise AnsibleError(f"cannot write {out_path}: {error}") from error
        except BaseException:
            os.unlink(part)
            raise

    @staticmethod
    def _absolute(path):
        # As community.docker's docker connection does: a relative path is taken from the root.
        return os.path.normpath(os.path.join(os.path.sep, path))

    def reset(self):
        # Nothing persists between commands: each is a request or a docker exec of its own.
        pass

    def close(self):
        self._connected = False


class Connection(ContainerConnection):
    transport = "ansible_image_docker"

    def _docker_exec(self, argv):
        # -i keeps stdin open for pipelined modules and put's data; root, by uid, whatever the
        # image's USER: the action always connects as root.
        return ["docker", "exec", "-i", "-u", "0", self.get_option("remote_addr"), *argv]

    def _start(self, argv, **streams):
        display.vvv(f"EXEC {argv}", host=self.get_option("remote_addr"))
        try:
            return subprocess.Popen([to_bytes(arg) for arg in argv], **streams)
        except OSError as error:
            raise AnsibleConnectionFailure(f"cannot run the docker CLI: {error}") from error

    def exec_command(self, cmd, in_data=None, sudoable=True):
        super().exec_command(cmd, in_data=in_data, sudoable=sudoable)
        pipes = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
        with self._start(self._docker_exec(self._shell_argv(cmd)), **pipes) as process:
            before = (b"", b"")
            if sudoable and self.become and self.become.expect_prompt():
                before = self._answer_become(process)
            stdout, stderr = process.communicate(in_data)
        return process.returncode, before[0] + stdout, before[1] + stderr

    def _answer_become(self, process):
        """Reads until become succeeds or asks for the password, and answers it. Returns what
        it read: Ansible takes the success line out of stdout itself."""
        output = {process.stdout.fileno(): b"", process.stderr.fileno(): b""}
        timeout = self.get_option("timeout")
        with selectors.DefaultSelector() as selector:
            for fd in output:
                selector.register(fd, selectors.EVENT_READ)
            while not any(map(self._become_done, output.values())):
                if not selector.get_map():
                    # Both streams closed: the command's own output and status tell why.
                    break
                events = selector.select(timeout)
                if not events:
                    process.kill()
                    raise AnsibleError(
                        f"privilege escalation neither succeeded nor asked for a password within {timeout} s: "
                        + to_text(b"".join(output.values()))
                    )
                for key, _ in events:
                    chunk = os.read(key.fd, BUFSIZE)
                    if chunk:
                        output[key.fd] += chunk
                    else:
                        selector.unregister(key.fd)
        if not any(self.become.check_success(text) for text in output.values()):
            if any(self.become.check_password_prompt(text) for text in output.values()):
                password = self.become.get_option("become_pass", playcontext=self._play_context)
                process.stdin.write(to_bytes(password) + b"\n")
                process.stdin.flush()
        return tuple(output.values())

    def _become_done(self, text):
        return self.become.check_success(text) or self.become.check_password_prompt(text)

    def put_file(self, in_path, out_path):
        super().put_file(in_path, out_path)
        display.vvv(f"PUT {in_path} TO {out_path}", host=self.get_option("remote_addr"))
        with self._open_source(in_path) as source:
            argv = self._docker_exec(["dd", f"of={self._absolute(out_path)}", f"bs={BUFSIZE}"])
            streams = {"stdin": source, "stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE}
            with self._start(argv, **streams) as process:
                _, stderr = process.communicate()
        if process.returncode != 0:
            raise AnsibleError(
                f"cannot put {in_path} to {out_path} in the build container: {to_text(stderr).strip()}"
            )

    def fetch_file(self, in_path, out_path):
        super().fetch_file(in_path, out_path)
        display.vvv(f"FETCH {in_path} TO {out_path}", host=self.get_option("remote_addr"))
        argv = self._docker_exec(
            [self._play_context.executable, "-c", FETCH_SCRIPT, "fetch", self._absolute(in_path)]
        )

        def receive(out):
            streams = {"stdin": subprocess.DEVNULL, "stdout": out, "stderr": subprocess.PIPE}
            with self._start(argv, **streams) as process:
                _, stderr = process.communicate()
            if process.returncode == NO_SUCH_FILE:
                raise AnsibleFileNotFound(f"{in_path} does not exist in the build container")
            if process.returncode != 0:
                raise AnsibleError(
                    f"cannot fetch {in_path} from the build container: {to_text(stderr).strip()}"
                )

        self._write_anew(out_path, receive)
