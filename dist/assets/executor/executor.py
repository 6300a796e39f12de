# The in-container half of the action's fast path for Ansible (the other half is the
# ansible_image_executor connection plugin). `docker exec` per command costs about 0.1 s, and a
# fresh Python per module another 0.1 s just to import Ansible's module_utils; this server
# starts once, listens on a UNIX socket in a folder that is bind-mounted from the runner, and
# runs each command in a child of itself. Pipelined Python modules run in a fork of an
# interpreter that has imported ansible.module_utils.basic already.
#
#   ANSIBLE_IMAGE_EXECUTOR_TOKEN=... python3 executor.py SOCKET [INTERPRETER]
#       listen on SOCKET, then detach; a module for INTERPRETER (a launcher that ends up running
#       this Python, say) runs in this Python as well; the exit status says whether it listens (the pid goes
#       to SOCKET.pid). Only requests that carry the token are served: the socket's folder
#       belongs to the runner's uid, which a user made in the image may share.
#
# The requests and answers are protocol.py's, which the runner copies next to this file. Runs on
# the container's Python, so on 3.6 too.
import atexit
import base64
import hmac
import importlib
import os
import re
import select
import signal
import socket
import struct
import subprocess
import sys
import time
import traceback
import types

# From the folder shared with the runner, which must not get its bytecode, as root; what the
# playbook's modules import later writes bytecode as ever.
write_bytecode, sys.dont_write_bytecode = sys.dont_write_bytecode, True
from protocol import (
    CHUNK,
    TOKEN_VARIABLE,
    copy_exactly,
    receive_exactly,
    receive_header,
    send_chunk,
    send_header,
)

sys.dont_write_bytecode = write_bytecode
del write_bytecode

# A client that has not sent its header and body by then is not ours: the loop must not wait on
# it, since every other request waits behind it.
HEADER_TIMEOUT = 10
# What Ansible runs for a pipelined module without become or environment: the shell, the
# interpreter, and `sleep 0` against an old SSH race.
PIPELINED = re.compile(r"\A(/\S+) -c '(/\S+) && sleep 0'\Z")
# The interpreters whose modules run in this one: itself, and what started it.
OWN_INTERPRETERS = [sys.executable]
# The module's zip in the AnsiballZ wrapper, base64 ("PK\x03\x04" encodes as "UEsDB"), where
# the wrapper assigns it (ansible-core up to 2.18) or passes it (2.19 on); never a base64 value
# among the module's arguments.
MODULE_ZIP = re.compile(rb"""(?:ZIPDATA\s*=\s*\"\"\"|zip_data\s*=\s*['"])(UEsDB[A-Za-z0-9+/=]+)""")


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


def import_module_utils(zip_data, archive):
    """Imports ansible.module_utils.basic from a module's zip; on failure, leaves no trace."""
    try:
        with os.fdopen(own_file(archive), "wb") as out:
            out.write(base64.b64decode(zip_data))
        sys.path.insert(0, archive)
        try:
            import ansible.module_utils.basic  # noqa: F401
        finally:
            sys.path.remove(archive)
    except Exception:
        traceback.print_exc()
    imported = "ansible.module_utils.basic" in sys.modules
    for name, module in list(sys.modules.items()):
        if name == "ansible" or name.startswith("ansible."):
            if not imported:
                del sys.modules[name]
            elif hasattr(module, "__path__"):
                module.__path__ = ModuleSearchPath(name.split("."))


class Server(object):
    def __init__(self, path, token):
        self.path = path
        self.token = token
        self.module_utils_tried = False

    def serve(self, listener):
        while True:
            try:
                conn = listener.accept()[0]
            except OSError:
                traceback.print_exc()
                # Out of descriptors, say: give the children time to finish.
                time.sleep(0.1)
                continue
            reap_children()
            try:
                if not trusted_client(conn):
                    raise PermissionError("a client in the build container that is not root")
                conn.settimeout(HEADER_TIMEOUT)
                header = receive_header(conn)
                if not hmac.compare_digest(str(header.pop("token", "")), self.token):
                    raise PermissionError("a request without the run's token")
                # The body follows at once; what takes its time runs in a child, without a limit.
                body = (
                    receive_exactly(conn, header.get("size", 0)) if header["op"] == "exec" else b""
                )
                if not self.module_utils_tried and pipelined_module(header.get("argv", [])):
                    match = MODULE_ZIP.search(body)
                    # Interpreter discovery runs a plain script first: wait for a module.
                    if match:
                        self.module_utils_tried = True
                        import_module_utils(match.group(1), self.path + ".module_utils.zip")
                sys.stderr.flush()
                pid = os.fork()
            except Exception:
                traceback.print_exc()
                conn.close()
                continue
            if pid == 0:
                listener.close()
                conn.settimeout(None)
                os._exit(handle(conn, header, body))
            conn.close()


def trusted_client(conn):
    """Ansible connects from the runner, outside this container's processes: the kernel reports
    a peer that this PID namespace cannot see as pid 0. Whatever the playbook runs in here can
    reach the socket (a user it made may have the runner's uid), but is not served unless it
    is root, which can do all that the executor does anyway."""
    pid, uid, _ = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))
    return pid == 0 or uid == 0


def pipelined_module(argv):
    """Whether argv runs a module on this very interpreter, with the module on stdin."""
    match = len(argv) == 3 and argv[1] == "-c" and PIPELINED.match(argv[2])
    return bool(match) and any(same_interpreter(match.group(2), own) for own in OWN_INTERPRETERS)


def same_interpreter(a, b):
    # A virtual environment's python is a link to the base binary; its pyvenv.cfg tells it apart.
    return os.path.realpath(a) == os.path.realpath(b) and virtual_environment(
        a
    ) == virtual_environment(b)


def virtual_environment(interpreter):
    root = os.path.dirname(os.path.dirname(os.path.abspath(interpreter)))
    return root if os.path.exists(os.path.join(root, "pyvenv.cfg")) else None


def own_file(path):
    """A new file of ours, for writing, in the shared folder: whoever else can write there (a
    user with the runner's uid) may have put a link in its place, to a file of root's."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)


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
            with open(header["path"], "wb") as out:
                copy_exactly(conn, header["size"], out.write)
            send_header(conn, {"rc": 0})
        elif header["op"] == "fetch":
            with open(header["path"], "rb") as source:
                send_header(conn, {"rc": 0})
                # Chunks up to the end, not a size (files under /proc say they have none), then
                # how it ended: a read that fails half-way must not pass for a short file.
                try:
                    for chunk in iter(lambda: source.read(CHUNK), b""):
                        send_chunk(conn, chunk)
                    trailer = {"rc": 0}
                except OSError as error:
                    trailer = {"error": "%s: %s" % (type(error).__name__, error)}
                send_chunk(conn, b"")
                send_header(conn, trailer)
        else:
            send_header(conn, {"error": "unknown op %r" % header["op"]})
        return 0
    except Exception as error:
        try:
            send_header(conn, {"error": "%s: %s" % (type(error).__name__, error)})
        except Exception:
            pass
        return 1


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
            return collect(conn, pid, out_read, err_read)
        finally:
            os.close(out_read)
            os.close(err_read)
    process = subprocess.Popen(
        argv,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    with process.stdout, process.stderr:
        return collect(
            conn,
            process.pid,
            process.stdout.fileno(),
            process.stderr.fileno(),
            process.stdin,
            stdin,
        )


def collect(conn, pid, out_fd, err_fd, stdin_file=None, stdin=b""):
    """Feeds stdin, gathers stdout and stderr, and waits for the process; ends its process
    group if the client goes first (a task's timeout, a cancelled run)."""
    output = {out_fd: [], err_fd: []}
    readers = [conn, out_fd, err_fd]
    writers = []
    if stdin_file:
        if stdin:
            os.set_blocking(stdin_file.fileno(), False)
            writers.append(stdin_file.fileno())
        else:
            stdin_file.close()
    status = None
    # Once the output has ended the process may still run: look at it again after 1 ms, then
    # less and less often, while the client is watched for leaving.
    pause = 0.001
    while status is None:
        waiting = readers == [conn]
        readable, writable, _ = select.select(readers, writers, [], pause if waiting else None)
        if waiting:
            pause = min(pause * 2, 0.05)
        if writable:
            try:
                stdin = stdin[os.write(writers[0], stdin[:CHUNK]) :]
            except BlockingIOError:
                pass
            except BrokenPipeError:
                stdin = b""
            if not stdin:
                writers = []
                stdin_file.close()
        for fd in readable:
            if fd is conn:
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
        if out_fd not in readers and err_fd not in readers:
            finished, code = os.waitpid(pid, 0 if conn not in readers else os.WNOHANG)
            if finished:
                status = code
    if writers:
        stdin_file.close()
    return exit_status(status), b"".join(output[out_fd]), b"".join(output[err_fd])


def exit_status(status):
    # As the shell around the command would report it.
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def run_module(payload):
    """Runs an AnsiballZ wrapper as `python3` would run it from stdin, in this process."""
    if "random" in sys.modules:
        # Python 3.6 does not reseed after fork: every module would draw the same numbers.
        sys.modules["random"].seed()
    # This interpreter remembers library folders that did not exist when it looked; the
    # playbook may have made them since.
    for path, finder in list(sys.path_importer_cache.items()):
        if finder is None:
            del sys.path_importer_cache[path]
    importlib.invalidate_caches()
    # A Python outside the image says what starts it again, which the playbook may have changed.
    refresh_executable = getattr(sys.modules.get("sitecustomize"), "ansible_image_executable", None)
    if refresh_executable:
        refresh_executable()
    main = types.ModuleType("__main__")
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


def main(path, interpreter=None):
    # Out of the environment at once: commands the playbook starts inherit it, as other users.
    token = os.environ.pop(TOKEN_VARIABLE, "")
    if not token:
        sys.exit("%s is not set" % TOKEN_VARIABLE)
    # The script's own folder and modules are not the modules' business.
    del sys.path[0]
    del sys.modules["protocol"]
    if interpreter:
        OWN_INTERPRETERS.append(interpreter)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    try:
        # The runner's user, not root, connects from outside; the token keeps others out.
        os.chmod(path, 0o666)
        listener.listen(16)
        sys.stdout.flush()
        pid = os.fork()
    except BaseException:
        os.unlink(path)
        raise
    if pid:
        with os.fdopen(own_file(path + ".pid"), "w") as out:
            out.write("%d\n" % pid)
        return
    os.setsid()
    log = own_file(path + ".log")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(null)
    os.close(log)
    Server(path, token).serve(listener)


if __name__ == "__main__":
    main(*sys.argv[1:3])
