# Unit tests of the docker exec connection (src/executor/connection/ansible_image_docker.py),
# through Ansible's own loader, against a fake `docker` on PATH that records each call and
# runs it on this machine, with a folder standing in for the container's root.
import os
import pathlib
import secrets

import pytest
from ansible.errors import AnsibleError, AnsibleFileNotFound
from ansible.playbook.play_context import PlayContext
from ansible.plugins.loader import become_loader, connection_loader, get_shell_plugin

PLUGINS = pathlib.Path(__file__).resolve().parents[2] / "src" / "executor" / "connection"
CONTAINER = 'it\'s a "container"'
connection_loader.add_directory(str(PLUGINS))

# `docker exec -i -u 0 NAME ARGV...`: dd's of= and the fetch script's path are mapped into
# the stand-in root; a command runs as it is, in that root.
FAKE_DOCKER = """#!/bin/sh
calls="$FAKE/calls"
printf '%s\\0' "$@" > "$calls/$(ls "$calls" | wc -l | xargs printf %04d)"
[ "$1 $2 $3 $4" = "exec -i -u 0" ] || { echo "fake docker: unexpected $*" >&2; exit 125; }
shift 5
cd "$FAKE/root"
case "$1" in
  dd) exec dd "of=$FAKE/root${2#of=}" "$3" 2>/dev/null ;;
esac
if [ "$#" -eq 5 ]; then exec "$1" "$2" "$3" "$4" "$FAKE/root$5"; fi
exec "$@"
"""

# Ansible's sudo command line: asks for the password unless told not to, or never answers.
FAKE_SUDO = """#!/bin/sh
while [ "$#" -gt 0 ]; do
  case "$1" in -p) prompt="$2"; shift 2 ;; -u) shift 2 ;; -*) shift ;; *) break ;; esac
done
[ -z "${FAKE_SUDO_HANG:-}" ] || exec sleep 30
if [ -z "${FAKE_SUDO_ROOT:-}" ]; then
  printf '%s' "$prompt" >&2
  read -r password
  [ "$password" = secret ] || { echo "Sorry, try again." >&2; exit 1; }
fi
exec "$@"
"""


@pytest.fixture
def fake(tmp_path, monkeypatch):
    bin_ = tmp_path / "bin"
    for folder in (bin_, tmp_path / "calls", tmp_path / "root", tmp_path / "local"):
        folder.mkdir()
    for name, text in (("docker", FAKE_DOCKER), ("sudo", FAKE_SUDO)):
        (bin_ / name).write_text(text)
        (bin_ / name).chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_}:{os.environ['PATH']}")
    monkeypatch.setenv("FAKE", str(tmp_path))
    return tmp_path


@pytest.fixture
def connection(fake):
    conn = connection_loader.get("ansible_image_docker", PlayContext(), None)
    conn.set_options(var_options={"inventory_hostname": "host", "ansible_host": CONTAINER})
    return conn


def calls(fake):
    return [
        (fake / "calls" / name).read_bytes().split(b"\0")[:-1]
        for name in sorted(os.listdir(fake / "calls"))
    ]


def test_a_command_runs_in_the_named_container_as_root_through_the_shell(connection, fake):
    command = "printf '%s|' \"$0\" 'a  b' \"it's\"; echo >&2 err; exit 3"
    rc, stdout, stderr = connection.exec_command(command)
    assert (rc, stdout, stderr) == (3, b"/bin/sh|a  b|it's|", b"err\n")
    assert calls(fake) == [
        [b"exec", b"-i", b"-u", b"0", CONTAINER.encode(), b"/bin/sh", b"-c", command.encode()]
    ]


def test_a_pipelined_module_comes_on_stdin_byte_for_byte(connection):
    module = bytes(range(256)) * 1000
    assert connection.exec_command("cat", in_data=module) == (0, module, b"")


def test_a_command_without_data_reads_end_of_file(connection):
    assert connection.exec_command("cat; echo done") == (0, b"done\n", b"")


@pytest.fixture
def become(connection):
    def with_become(**options):
        plugin = become_loader.get("sudo")
        plugin.set_options(direct={"become_user": "nobody", **options})
        command = plugin.build_become_command("cat", get_shell_plugin(executable="/bin/sh"))
        connection.set_become_plugin(plugin)
        return command

    return with_become


def ran_as_become(result):
    """The module's own output, after the success line that Ansible takes out itself."""
    rc, stdout, _ = result
    success, module = stdout.split(b"\n", 1)
    return rc, success.startswith(b"BECOME-SUCCESS-"), module


def test_become_answers_the_password_prompt_then_pipelines(connection, become):
    command = become(become_pass="secret")
    result = connection.exec_command(command, in_data=b"module")
    assert ran_as_become(result) == (0, True, b"module")


@pytest.mark.parametrize("password", [{"become_pass": "secret"}, {}])
def test_become_that_does_not_ask_goes_on_without_the_password(
    connection, become, monkeypatch, password
):
    monkeypatch.setenv("FAKE_SUDO_ROOT", "1")
    result = connection.exec_command(become(**password), in_data=b"module")
    assert ran_as_become(result) == (0, True, b"module")


def test_become_that_never_answers_times_out(connection, become, monkeypatch):
    monkeypatch.setenv("FAKE_SUDO_HANG", "1")
    command = become(become_pass="secret")
    connection.set_options(direct={"timeout": 1})
    with pytest.raises(AnsibleError, match="privilege escalation .* within 1 s"):
        connection.exec_command(command, in_data=b"module")


TRICKY_NAME = 'a dir/it\'s "quoted" $HOME `x`'


@pytest.mark.parametrize("size", [0, 1, 65536 * 3 + 7])
def test_put_writes_the_file_byte_for_byte(connection, fake, size):
    data = secrets.token_bytes(size)
    source = fake / "local" / "source"
    source.write_bytes(data)
    (fake / "root" / "a dir").mkdir()
    connection.put_file(str(source), f"/{TRICKY_NAME}")
    assert (fake / "root" / TRICKY_NAME).read_bytes() == data
    assert calls(fake)[0][5:] == [b"dd", f"of=/{TRICKY_NAME}".encode(), b"bs=65536"]


def test_put_takes_a_relative_path_from_the_root(connection, fake):
    source = fake / "local" / "source"
    source.write_bytes(b"x")
    connection.put_file(str(source), "relative")
    assert (fake / "root" / "relative").read_bytes() == b"x"


def test_put_of_a_missing_file_says_so(connection, fake):
    with pytest.raises(AnsibleFileNotFound, match="missing"):
        connection.put_file(str(fake / "local" / "missing"), "/x")
    assert calls(fake) == []


def test_put_into_a_missing_folder_fails_naming_the_path(connection, fake):
    source = fake / "local" / "source"
    source.write_bytes(b"x")
    with pytest.raises(AnsibleError, match="cannot put .* to /nowhere/x in the build container"):
        connection.put_file(str(source), "/nowhere/x")


@pytest.mark.parametrize("size", [0, 65536 * 3 + 7])
def test_fetch_reads_the_file_byte_for_byte(connection, fake, size):
    data = secrets.token_bytes(size)
    (fake / "root" / "a dir").mkdir()
    (fake / "root" / TRICKY_NAME).write_bytes(data)
    out = fake / "local" / "fetched"
    connection.fetch_file(f"/{TRICKY_NAME}", str(out))
    assert out.read_bytes() == data
    assert os.listdir(fake / "local") == ["fetched"]


def test_fetch_writes_a_new_file_in_place_of_a_link(connection, fake):
    (fake / "root" / "file").write_bytes(b"from the container")
    target = fake / "runner-file"
    target.write_bytes(b"the runner's")
    out = fake / "local" / "fetched"
    out.symlink_to(target)
    connection.fetch_file("/file", str(out))
    assert target.read_bytes() == b"the runner's"
    assert not out.is_symlink()
    assert out.read_bytes() == b"from the container"


def test_fetch_of_a_missing_file_says_so_and_leaves_nothing(connection, fake):
    with pytest.raises(AnsibleFileNotFound, match="/missing does not exist in the build container"):
        connection.fetch_file("/missing", str(fake / "local" / "fetched"))
    assert os.listdir(fake / "local") == []


def test_fetch_that_fails_otherwise_names_the_file(connection, fake):
    (fake / "root" / "folder").mkdir()
    with pytest.raises(AnsibleError, match="cannot fetch /folder from the build container: .+"):
        connection.fetch_file("/folder", str(fake / "local" / "fetched"))
    assert os.listdir(fake / "local") == []
