# The controller's half of the action's fast path: hands each command and file transfer to
# the executor (executor.py) that the action started in the build container, over its UNIX
# socket, instead of starting `docker exec` for each. The action uses this connection only
# when that socket exists; otherwise tasks go through ansible_image_docker, whose paths and
# local writes this one shares.
from __future__ import annotations

DOCUMENTATION = """
name: ansible_image_executor
short_description: Runs tasks through the executor that the ansible-image GitHub Action started in its build container
description:
  - Commands, pipelined modules and file transfers go over a UNIX socket to a server inside the
    container, which runs them as root in a child of itself.
  - The connection user is always root, so become never waits for a password prompt.
options:
  socket:
    description: The executor's socket, on the controller's side of the bind mount.
    env:
      - name: ANSIBLE_IMAGE_EXECUTOR_SOCKET
    vars:
      - name: ansible_image_executor_socket
  token:
    description: The secret that the executor serves requests for; the action makes one per run.
    env:
      - name: ANSIBLE_IMAGE_EXECUTOR_TOKEN
"""

import contextlib
import importlib.util
import os
import socket
import stat
import struct

from ansible.errors import AnsibleConnectionFailure, AnsibleError
from ansible.module_utils.common.text.converters import to_bytes, to_text
from ansible.utils.display import Display

display = Display()
HERE = os.path.dirname(os.path.abspath(__file__))


def _load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# What both ends share: the requests, the answers, and the names in DOCUMENTATION above, which
# Ansible reads from this file's text (a test holds them equal to protocol.py's).
protocol = _load(
    os.path.join(os.path.dirname(HERE), "protocol.py"), "ansible_image_executor_protocol"
)
docker = _load(os.path.join(HERE, "ansible_image_docker.py"), "ansible_image_docker_connection")
UCRED = struct.Struct("3i")


def _check_server(conn, path):
    """Only the executor, which runs as root in the container, may get the token: a user that
    the playbook made may share the runner's uid, and so could put a socket of its own there."""
    pid, uid, gid = UCRED.unpack(conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, UCRED.size))
    if uid != 0:
        raise AnsibleConnectionFailure(
            f"the socket at {path} is served by uid {uid}, not by the executor as the build "
            "container's root: refusing to send it the task"
        )


class Connection(docker.ContainerConnection):
    transport = "ansible_image_executor"

    @staticmethod
    @contextlib.contextmanager
    def _connection_errors():
        try:
            yield
        except (EOFError, OSError) as error:
            raise AnsibleConnectionFailure(
                f"the build container's executor closed the connection: {error}"
            ) from error

    @contextlib.contextmanager
    def _request(self, header, body=b"", body_file=None):
        """One request on a connection of its own; yields the connection and the answer."""
        path = self.get_option("socket")
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            try:
                # The folder is shared with the container: what is there may be anything.
                if not stat.S_ISSOCK(os.lstat(path).st_mode):
                    raise OSError(f"{path} is not a socket")
                conn.connect(path)
            except OSError as error:
                raise AnsibleConnectionFailure(
                    f"cannot reach the build container's executor at {path}: {error}"
                ) from error
            _check_server(conn, path)
            with self._connection_errors():
                try:
                    protocol.send_header(conn, {**header, "token": self.get_option("token")})
                    if body_file is not None:
                        if conn.sendfile(body_file, count=header["size"]) != header["size"]:
                            raise AnsibleError(
                                f"{to_text(body_file.name)} changed size while it was sent"
                            )
                    elif body:
                        conn.sendall(body)
                except BrokenPipeError:
                    # The executor stopped reading because it failed (a put to a folder that
                    # does not exist, say): its answer says why.
                    pass
                answer = protocol.receive_header(conn)
            self._raise_for(answer)
            yield conn, answer

    @staticmethod
    def _raise_for(answer):
        if "error" in answer:
            raise AnsibleError(f"the build container's executor failed: {answer['error']}")

    def exec_command(self, cmd, in_data=None, sudoable=True):
        super().exec_command(cmd, in_data=in_data, sudoable=sudoable)
        argv = self._shell_argv(cmd)
        display.vvv(f"EXEC {argv}", host=self._play_context.remote_addr)
        stdin = to_bytes(in_data or b"")
        with self._request({"op": "exec", "argv": argv, "size": len(stdin)}, stdin) as (
            conn,
            answer,
        ):
            with self._connection_errors():
                stdout = protocol.receive_exactly(conn, answer["stdout"])
                stderr = protocol.receive_exactly(conn, answer["stderr"])
        return answer["rc"], stdout, stderr

    def put_file(self, in_path, out_path):
        super().put_file(in_path, out_path)
        display.vvv(f"PUT {in_path} TO {out_path}", host=self._play_context.remote_addr)
        with self._open_source(in_path) as source:
            header = {
                "op": "put",
                "path": self._absolute(out_path),
                "size": os.fstat(source.fileno()).st_size,
            }
            with self._request(header, body_file=source):
                pass

    def fetch_file(self, in_path, out_path):
        super().fetch_file(in_path, out_path)
        display.vvv(f"FETCH {in_path} TO {out_path}", host=self._play_context.remote_addr)

        def receive(out):
            with self._request({"op": "fetch", "path": self._absolute(in_path)}) as (conn, _):

                def write(chunk):
                    # Not the connection's fault: kept apart from its errors.
                    try:
                        out.write(chunk)
                    except OSError as error:
                        raise AnsibleError(f"cannot write {out_path}: {error}") from error

                with self._connection_errors():
                    trailer = protocol.receive_chunks(conn, write)
                self._raise_for(trailer)

        self._write_anew(out_path, receive)
