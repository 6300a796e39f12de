# The controller's half of the action's fast path: hands each command and file transfer to
# the executor (executor.py) that the action started in the build container, over its UNIX
# socket, instead of starting `docker exec` for each. The action uses this connection only
# when that socket exists; otherwise tasks go through community.docker.docker as before.
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
"""

import importlib.util
import os
import socket

from ansible.errors import AnsibleConnectionFailure, AnsibleError, AnsibleFileNotFound
from ansible.module_utils.common.text.converters import to_bytes, to_text
from ansible.plugins.connection import ConnectionBase
from ansible.utils.display import Display

display = Display()


def _load_executor():
    """The executor's own module: one definition of the wire format for both ends."""
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "executor.py")
    spec = importlib.util.spec_from_file_location("ansible_image_executor_server", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


protocol = _load_executor()


class Connection(ConnectionBase):
    transport = "ansible_image_executor"
    has_pipelining = True

    def _connect(self):
        self._connected = True
        return self

    def _request(self, header, body=b"", body_file=None):
        path = self.get_option("socket")
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            conn.connect(path)
        except OSError as error:
            conn.close()
            raise AnsibleConnectionFailure(f"cannot reach the build container's executor at {path}: {error}") from error
        protocol.send_header(conn, header)
        if body_file is not None:
            conn.sendfile(body_file)
        elif body:
            conn.sendall(body)
        return conn

    @staticmethod
    def _receive(conn, size):
        try:
            return protocol.receive_exactly(conn, size)
        except EOFError as error:
            raise AnsibleConnectionFailure("the build container's executor closed the connection") from error

    def _answer(self, conn):
        try:
            answer = protocol.receive_header(conn)
        except EOFError as error:
            raise AnsibleConnectionFailure("the build container's executor closed the connection") from error
        if "error" in answer:
            raise AnsibleError(f"the build container's executor failed: {answer['error']}")
        return answer

    def exec_command(self, cmd, in_data=None, sudoable=True):
        super().exec_command(cmd, in_data=in_data, sudoable=sudoable)
        argv = [self._play_context.executable, "-c", to_text(cmd)]
        display.vvv(f"EXEC {argv}", host=self._play_context.remote_addr)
        stdin = to_bytes(in_data or b"")
        with self._request({"op": "exec", "argv": argv, "size": len(stdin)}, stdin) as conn:
            answer = self._answer(conn)
            stdout = self._receive(conn, answer["stdout"])
            stderr = self._receive(conn, answer["stderr"])
        return answer["rc"], stdout, stderr

    def put_file(self, in_path, out_path):
        super().put_file(in_path, out_path)
        display.vvv(f"PUT {in_path} TO {out_path}", host=self._play_context.remote_addr)
        if not os.path.exists(to_bytes(in_path)):
            raise AnsibleFileNotFound(f"file or module does not exist: {in_path}")
        with open(to_bytes(in_path), "rb") as source:
            header = {"op": "put", "path": self._absolute(out_path), "size": os.fstat(source.fileno()).st_size}
            with self._request(header, body_file=source) as conn:
                self._answer(conn)

    def fetch_file(self, in_path, out_path):
        super().fetch_file(in_path, out_path)
        display.vvv(f"FETCH {in_path} TO {out_path}", host=self._play_context.remote_addr)
        with self._request({"op": "fetch", "path": self._absolute(in_path)}) as conn:
            size = self._answer(conn)["size"]
            with open(to_bytes(out_path), "wb") as out:
                while size:
                    chunk = self._receive(conn, min(size, protocol.CHUNK))
                    out.write(chunk)
                    size -= len(chunk)

    @staticmethod
    def _absolute(path):
        # As community.docker.docker does: a relative path is taken from the root.
        return os.path.normpath(os.path.join(os.path.sep, path))

    def close(self):
        self._connected = False
