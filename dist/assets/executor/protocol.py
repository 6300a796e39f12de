# What the executor's two ends share: the server (executor.py), in the build container, and
# the ansible_image_executor connection plugin, on the runner. The action's TypeScript side
# (executor.ts) cannot import this file: it spells the names again, and
# __tests__/executor-names.test.ts holds the two equal. Runs on the container's Python, so on
# 3.6 too.
#
# One request per connection: a 4-byte length, a JSON header, then `size` bytes of body.
#   {"op": "exec", "argv": [...], "size": n}  body: stdin     -> {"rc", "stdout", "stderr"}
#   {"op": "put", "path": p, "size": n}       body: content   -> {"rc": 0}
#   {"op": "fetch", "path": p}                                -> {"rc": 0}, then the content
#                                            in length-prefixed chunks up to an empty one, then
#                                            {"rc": 0} or {"error": message} for how it ended
# Every header carries "token". An answer's body is its stdout then its stderr; an error
# answers {"error": message}.
import json
import struct

# Where the build container sees the runner's folder for the executor, and the socket in it.
MOUNT = "/packer-files/ansible-image"
SOCKET = "executor.sock"
# The environment that carries the socket's path on the runner's side of the mount (Ansible's),
# and the run's token to the server and the plugin.
SOCKET_VARIABLE = "ANSIBLE_IMAGE_EXECUTOR_SOCKET"
TOKEN_VARIABLE = "ANSIBLE_IMAGE_EXECUTOR_TOKEN"

LENGTH = struct.Struct("!I")
CHUNK = 1 << 16
HEADER_LIMIT = 1 << 20


def copy_exactly(conn, size, write):
    while size:
        chunk = conn.recv(min(size, CHUNK))
        if not chunk:
            raise EOFError("the other end closed the connection")
        write(chunk)
        size -= len(chunk)


def receive_exactly(conn, size):
    chunks = []
    copy_exactly(conn, size, chunks.append)
    return b"".join(chunks)


def receive_chunk(conn, limit=None):
    (length,) = LENGTH.unpack(receive_exactly(conn, LENGTH.size))
    if limit is not None and length > limit:
        raise ValueError("a chunk of %d bytes, more than %d" % (length, limit))
    return receive_exactly(conn, length)


def send_chunk(conn, data):
    conn.sendall(LENGTH.pack(len(data)) + data)


def receive_header(conn):
    return json.loads(receive_chunk(conn, HEADER_LIMIT).decode("utf-8"))


def send_header(conn, header):
    send_chunk(conn, json.dumps(header).encode("utf-8"))


def receive_chunks(conn, write):
    """Writes each chunk up to the empty one that ends them; returns the trailer header."""
    for chunk in iter(lambda: receive_chunk(conn, CHUNK), b""):
        write(chunk)
    return receive_header(conn)
