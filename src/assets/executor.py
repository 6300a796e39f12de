# The in-container half of the action's fast path for Ansible (the other half is the
# ansible_image_executor connection plugin). `docker exec` per command costs about 0.1 s, and a
# fresh Python per module another 0.1 s just to import Ansible's module_utils; this server
# starts once, listens on a UNIX socket in a folder that is bind-mounted from the runner, and
# runs each command in a child of itself. Pipelined Python modules run in a fork of an
# interpreter that has imported ansible.module_utils.basic already.
#
#   python3 executor.py SOCKET   listen on SOCKET, then detach; the exit status says whether
#                                it listens (the pid goes to SOCKET.pid)
#
# One request per connection: a 4-byte length, a JSON header, then `size` bytes of body.
#   {"op": "exec", "argv": [...], "size": n}  body: stdin     -> {"rc", "stdout", "stderr"}
#   {"op": "put", "path": p, "size": n}       body: content   -> {"rc": 0}
#   {"op": "fetch", "path": p}                                -> {"rc": 0, "size": n} + content
# An answer's body is its stdout then its stderr (or the fetched content); an error answers
# {"error": message}. Runs on the container's Python, so on 3.6 too.
import atexit
import base64
import builtins
import json
import os
import re
import select
import signal
import socket
import struct
import subprocess
import sys
import traceback
import types

LENGTH = struct.Struct("!I")
CHUNK = 1 << 16
# What Ansible runs for a pipelined module without become or environment: the shell, the
# interpreter, and `sleep 0` against an old SSH race.
PIPELINED = re.compile(r"\A(/\S+) -c '(/\S+) && sleep 0'\Z")
# The module's zip inside the AnsiballZ wrapper, base64 ("PK\x03\x04" encodes as "UEsDB").
MODULE_ZIP = re.compile(rb"UEsDB[A-Za-z0-9+/=]+")


def receive_exactly(conn, size):
    chunks = []
    while size:
        chunk = conn.recv(min(size, CHUNK))
        if not chunk:
            raise EOFError("the client closed the connection")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def receive_header(conn):
    (length,) = LENGTH.unpack(receive_exactly(conn, LENGTH.size))
    return json.loads(receive_exactly(conn, length).decode("utf-8"))


def send_header(conn, header):
    data = json.dumps(header).encode("utf-8")
    conn.sendall(LENGTH.pack(len(data)) + data)


class ModuleSearchPath(object):
    """A package path computed from sys.path at each import, as namespace packages have.

    The packages imported ahead of time keep serving every module; their submodules that were
    not imported yet come from the zip that the current module's wrapper put first on sys.path.
    """

    def __init__(self, parts):
        self._parts = parts

    def _entries(self):
        return [os.path.join(entry, *self._parts) for entry in sys.path if entry]

    def __iter__(self):
        return iter(self._entries())

    def __len__(self):
        return len(self._entries())

    def __getitem__(self, index):
        return self._entries()[index]

    def __contains__(self, item):
        return item in self._entries()

    def __repr__(self):
        return "ModuleSearchPath(%r)" % (self._parts,)


class Server(object):
    def __init__(self, path):
        self.path = path
        self.imports_tried = False

    def import_module_utils(self, payload):
        """Imports ansible.module_utils.basic from the first module's zip, once."""
        match = MODULE_ZIP.search(payload)
        if not match:
            # Not a module (interpreter discovery runs a plain script): wait for one.
            return
        self.imports_tried = True
        if "ansible" in sys.modules:
            return
        archive = self.path + ".module_utils.zip"
        with open(archive, "wb") as out:
            out.write(base64.b64decode(match.group(0)))
        sys.path.insert(0, archive)
        try:
            import ansible.module_utils.basic  # noqa: F401
        except Exception:
            traceback.print_exc()
        finally:
            sys.path.remove(archive)
        for name, module in list(sys.modules.items()):
            if name == "ansible" or name.startswith("ansible."):
                if "ansible.module_utils.basic" not in sys.modules:
                    del sys.modules[name]
                elif hasattr(module, "__path__"):
                    module.__path__ = ModuleSearchPath(name.split("."))

    def serve(self, listener):
        while True:
            conn = listener.accept()[0]
            reap_children()
            try:
                header = receive_header(conn)
                body = receive_exactly(conn, header.get("size", 0)) if header["op"] == "exec" else b""
                if body and not self.imports_tried and pipelined_module(header["argv"]):
                    self.import_module_utils(body)
            except Exception:
                traceback.print_exc()
                conn.close()
                continue
            sys.stderr.flush()
            if os.fork() == 0:
                listener.close()
                os._exit(handle(conn, header, body))
            conn.close()


def pipelined_module(argv):
    """Whether argv runs a module on this very interpreter, with the module on stdin."""
    match = len(argv) == 3 and argv[1] == "-c" and PIPELINED.match(argv[2])
    return bool(match) and os.path.realpath(match.group(2)) == os.path.realpath(sys.executable)


def reap_children():
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def handle(conn, header, body):
    try:
        if header["op"] == "exec":
            rc, stdout, stderr = execute(conn, header["argv"], body)
            send_header(conn, {"rc": rc, "stdout": len(stdout), "stderr": len(stderr)})
            conn.sendall(stdout)
            conn.sendall(stderr)
        elif header["op"] == "put":
            put(conn, header["path"], header["size"])
            send_header(conn, {"rc": 0})
        elif header["op"] == "fetch":
            fetch(conn, header["path"])
        else:
            send_header(conn, {"error": "unknown op %r" % header["op"]})
        return 0
    except Exception as error:
        try:
            send_header(conn, {"error": "%s: %s" % (type(error).__name__, error)})
        except Exception:
            pass
        return 1


def put(conn, path, size):
    with open(path, "wb") as out:
        while size:
            chunk = conn.recv(min(size, CHUNK))
            if not chunk:
                raise EOFError("the client closed the connection")
            out.write(chunk)
            size -= len(chunk)


def fetch(conn, path):
    with open(path, "rb") as source:
        send_header(conn, {"rc": 0, "size": os.fstat(source.fileno()).st_size})
        while True:
            chunk = source.read(CHUNK)
            if not chunk:
                return
            conn.sendall(chunk)


def execute(conn, argv, stdin):
    if pipelined_module(argv):
        out_read, out_write = os.pipe()
        err_read, err_write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.setsid()
            null = os.open(os.devnull, os.O_RDONLY)
            for source, target in ((null, 0), (out_write, 1), (err_write, 2)):
                os.dup2(source, target)
            for fd in (null, out_read, out_write, err_read, err_write):
                os.close(fd)
            conn.close()
            os._exit(run_module(stdin))
        os.close(out_write)
        os.close(err_write)
        try:
            output = collect(conn, pid, out_read, err_read)
        finally:
            os.close(out_read)
            os.close(err_read)
        return (exit_status(os.waitpid(pid, 0)[1]),) + output
    process = subprocess.Popen(
        argv,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    with process.stdout, process.stderr:
        output = collect(conn, process.pid, process.stdout.fileno(), process.stderr.fileno(), process.stdin, stdin)
    return (exit_status(os.waitpid(process.pid, 0)[1]),) + output


def collect(conn, pid, out_fd, err_fd, stdin_file=None, stdin=b""):
    """Feeds stdin, gathers stdout and stderr; ends the process group if the client goes."""
    output = {out_fd: [], err_fd: []}
    readers = [conn, out_fd, err_fd]
    writers = [stdin_file.fileno()] if stdin_file and stdin else []
    if stdin_file and not stdin:
        stdin_file.close()
    while out_fd in readers or err_fd in readers:
        readable, writable, _ = select.select(readers, writers, [])
        if writable:
            try:
                stdin = stdin[os.write(writers[0], stdin[:CHUNK]) :]
            except BrokenPipeError:
                stdin = b""
            if not stdin:
                writers = []
                stdin_file.close()
        for fd in readable:
            if fd is conn:
                # A task's timeout or a cancelled run ends the client's worker: stop its command.
                if not conn.recv(1):
                    readers.remove(conn)
                    try:
                        os.killpg(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                continue
            chunk = os.read(fd, CHUNK)
            if chunk:
                output[fd].append(chunk)
            else:
                readers.remove(fd)
    if writers:
        stdin_file.close()
    return b"".join(output[out_fd]), b"".join(output[err_fd])


def exit_status(status):
    # As the shell around the command would report it.
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def run_module(payload):
    """Runs an AnsiballZ wrapper as `python3` would run it from stdin, in this process."""
    main = types.ModuleType("__main__")
    main.__builtins__ = builtins
    sys.modules["__main__"] = main
    sys.argv = [""]
    try:
        exec(compile(payload, "<stdin>", "exec"), main.__dict__)
        code = 0
    except SystemExit as exit:
        code = exit.code
    except BaseException:
        traceback.print_exc()
        code = 1
    atexit._run_exitfuncs()
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    return code


def main(path):
    # The script's own folder is not the modules' business.
    del sys.path[0]
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    # The runner's user, not root, connects from outside; the folder is private to it.
    os.chmod(path, 0o666)
    listener.listen(16)
    sys.stdout.flush()
    pid = os.fork()
    if pid:
        with open(path + ".pid", "w") as out:
            out.write("%d\n" % pid)
        return
    os.setsid()
    log = os.open(path + ".log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(null)
    os.close(log)
    Server(path).serve(listener)


if __name__ == "__main__":
    main(sys.argv[1])
