# Unit tests of the build-time service manager (src/services/systemctl.py): unit files in
# temporary folders, real processes on this machine, no container.
import importlib.util
import os
import pathlib
import signal
import subprocess
import sys
import time

import pytest

SOURCE = pathlib.Path(__file__).resolve().parents[2] / "src" / "services" / "systemctl.py"
# In the container, the executor's module sits next to the manager's.
sys.path.insert(0, str(SOURCE.parents[1] / "executor"))
spec = importlib.util.spec_from_file_location("systemctl", SOURCE)
systemctl = importlib.util.module_from_spec(spec)
spec.loader.exec_module(systemctl)


@pytest.fixture
def root(tmp_path, monkeypatch):
    """Unit folders of our own, in systemd's order: /etc first, then the vendor's."""
    etc, lib, init = tmp_path / "etc", tmp_path / "lib", tmp_path / "init.d"
    for folder in (etc, lib, init):
        folder.mkdir()
    monkeypatch.setattr(systemctl, "UNIT_DIRS", [str(etc), str(lib)])
    monkeypatch.setattr(systemctl, "ETC_DIR", str(etc))
    monkeypatch.setattr(systemctl, "INIT_D", str(init))
    return tmp_path


@pytest.fixture
def manager(tmp_path):
    return systemctl.Manager(str(tmp_path / "state"))


def write(path, text, mode=0o644):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)
    return path


@pytest.mark.parametrize(
    "text, words",
    [
        ("/bin/echo a  b", ["/bin/echo", "a", "b"]),
        ("/bin/sh -c 'echo \"$x\"; exit 3'", ["/bin/sh", "-c", 'echo "$x"; exit 3']),
        ('/bin/echo "a b" c\\ d', ["/bin/echo", "a b", "c d"]),
        ("/bin/echo tab\\there \\x41", ["/bin/echo", "tab\there", "A"]),
    ],
)
def test_split_words_as_systemd_does(text, words):
    assert systemctl.split_words(text, "x:1") == words


def test_unbalanced_quotes_name_the_file_and_line():
    with pytest.raises(systemctl.BadSetting, match=r"unit\.service:7: unbalanced quotes"):
        systemctl.split_words("/bin/echo 'open", "unit.service:7")


@pytest.mark.parametrize(
    "argv, env, expected",
    [
        (["$A"], {"A": "one two"}, ["one", "two"]),
        (["${A}"], {"A": "one two"}, ["one two"]),
        (["x${A}y", "$$A"], {"A": "1"}, ["x1y", "$A"]),
        (["$MISSING", "${MISSING}"], {}, [""]),
        (["pre$A"], {"A": "1"}, ["pre$A"]),
    ],
)
def test_environment_substitution(argv, env, expected):
    assert systemctl.substitute_env(argv, env) == expected


@pytest.mark.parametrize(
    "text, seconds",
    [("90", 90), ("5s", 5), ("1min 30s", 90), ("500ms", 0.5), ("infinity", None), (None, 7)],
)
def test_timespans(text, seconds):
    assert systemctl.parse_timespan(text, 7) == seconds


def test_unit_files_drop_ins_and_resets(root):
    write(
        root / "lib" / "app.service",
        "[Unit]\nDescription=An app\n# a comment\n[Service]\n"
        "ExecStart=/bin/app \\\n  --long\nEnvironment=A=1\n[Install]\nWantedBy=multi-user.target\n",
    )
    write(root / "lib" / "app.service.d" / "10-vendor.conf", "[Service]\nEnvironment=B=2\n")
    write(root / "etc" / "app.service.d" / "10-vendor.conf", "[Service]\nEnvironment=B=etc\n")
    write(
        root / "etc" / "app.service.d" / "20-local.conf",
        '[Service]\nExecStart=\nExecStart=/bin/app --local\nEnvironment="C=x y"\n',
    )
    unit = systemctl.Unit("app.service")
    assert unit.error is None
    assert unit.description == "An app"
    assert [c.argv for c in systemctl.unit_commands(unit, "ExecStart")] == [["/bin/app", "--local"]]
    assert systemctl.unit_environment(unit) == {"A": "1", "B": "etc", "C": "x y"}
    assert [os.path.basename(p) for p in unit.dropins] == ["10-vendor.conf", "20-local.conf"]


def test_a_continued_line_counts_from_its_first_line(root):
    write(root / "lib" / "bad.service", "[Service]\n\nExecStart=/bin/x \\\n  'open\n")
    unit = systemctl.Unit("bad.service")
    with pytest.raises(systemctl.BadSetting, match=r"bad\.service:3: unbalanced quotes"):
        systemctl.unit_commands(unit, "ExecStart")


def test_a_line_without_equals_is_a_load_error(root):
    write(root / "lib" / "bad.service", "[Service]\nExecStart /bin/x\n")
    unit = systemctl.Unit("bad.service")
    assert "bad.service:2: missing '='" in unit.error
    with pytest.raises(systemctl.BadSetting):
        unit.check()


def test_template_specifiers(root):
    write(
        root / "etc" / "tick@.service",
        "[Service]\nExecStart=/bin/echo %i %I %n %p %N %t %%\n[Install]\nWantedBy=multi-user.target\n",
    )
    unit = systemctl.Unit("tick@a-b.service")
    (command,) = systemctl.unit_commands(unit, "ExecStart")
    assert command.argv == [
        "/bin/echo",
        "a-b",
        "a/b",
        "tick@a-b.service",
        "tick",
        "tick@a-b",
        "/run",
        "%",
    ]


def test_unknown_specifier_is_a_bad_setting(root):
    write(root / "etc" / "x.service", "[Service]\nExecStart=/bin/echo %Q\n")
    with pytest.raises(systemctl.BadSetting, match=r"x\.service:2: unknown specifier %Q"):
        systemctl.unit_commands(systemctl.Unit("x.service"), "ExecStart")


def test_environment_files(root, tmp_path):
    env_file = write(
        tmp_path / "env",
        '# comment\nA=1\nexport B=\'two words\'\nC="q \\"x\\""\n; other comment\nnot an assignment\n',
    )
    write(
        root / "etc" / "e.service",
        "[Service]\nExecStart=/bin/true\nEnvironmentFile=%s\nEnvironmentFile=-/nonexistent\n"
        % env_file,
    )
    assert systemctl.unit_environment(systemctl.Unit("e.service")) == {
        "A": "1",
        "B": "two words",
        "C": 'q "x"',
    }
    write(
        root / "etc" / "f.service", "[Service]\nExecStart=/bin/true\nEnvironmentFile=/nonexistent\n"
    )
    with pytest.raises(systemctl.Failure, match=r"f\.service:3: EnvironmentFile=/nonexistent"):
        systemctl.unit_environment(systemctl.Unit("f.service"))


@pytest.mark.parametrize(
    "given, name",
    [
        ("nginx", "nginx.service"),
        ("a@b", "a@b.service"),
        ("x.timer", "x.timer"),
        ("/lib/y.service", "y.service"),
    ],
)
def test_unit_names(given, name):
    assert systemctl.unit_name(given) == name


def test_enable_disable_and_states(root, manager):
    write(
        root / "lib" / "web.service",
        "[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n"
        "RequiredBy=other.target\nAlias=www.service\n",
    )
    write(root / "lib" / "static.service", "[Service]\nExecStart=/bin/true\n")
    web = systemctl.Unit("web.service")
    assert manager.enabled_state(web) == "disabled"
    messages = []
    manager.enable(web, messages)
    etc = root / "etc"
    target = str(root / "lib" / "web.service")
    assert os.readlink(etc / "multi-user.target.wants" / "web.service") == target
    assert os.readlink(etc / "other.target.requires" / "web.service") == target
    assert os.readlink(etc / "www.service") == target
    assert manager.enabled_state(systemctl.Unit("web.service")) == "enabled"
    assert manager.enabled_state(systemctl.Unit("static.service")) == "static"
    manager.disable(systemctl.Unit("web.service"), messages)
    assert not os.path.lexists(etc / "multi-user.target.wants" / "web.service")
    assert not os.path.lexists(etc / "www.service")
    assert manager.enabled_state(systemctl.Unit("web.service")) == "disabled"
    manager.mask(systemctl.Unit("web.service"), messages)
    assert manager.enabled_state(systemctl.Unit("web.service")) == "masked"
    with pytest.raises(systemctl.Failure, match="masked"):
        manager.start(systemctl.Unit("web.service"))


def test_an_instance_links_to_its_template(root, manager):
    write(
        root / "etc" / "tick@.service",
        "[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n",
    )
    manager.enable(systemctl.Unit("tick@alpha.service"), [])
    link = root / "etc" / "multi-user.target.wants" / "tick@alpha.service"
    assert os.readlink(link) == str(root / "etc" / "tick@.service")


def run(manager, *args):
    return systemctl.run_verb(manager, args[0], list(args[1:]), systemctl.parse_arguments([])[1])


def test_simple_service_starts_and_stops(root, manager):
    write(root / "lib" / "sleeper.service", "[Service]\nExecStart=/bin/sleep 60\n")
    unit = systemctl.Unit("sleeper.service")
    manager.start(unit)
    state = manager.load_state("sleeper.service")
    pid = state["main_pid"]
    assert systemctl.alive(pid)
    assert manager.active_state(unit) == ("active", "running")
    assert dict(manager.properties(unit))["MainPID"] == str(pid)
    assert manager.stop(unit) == []
    assert not systemctl.alive(pid)
    assert manager.active_state(unit) == ("inactive", "dead")


def test_a_service_that_fails_at_once_fails_its_start(root, manager):
    write(
        root / "lib" / "broken.service",
        "[Service]\nExecStart=/bin/sh -c 'echo no config >&2; exit 3'\n",
    )
    with pytest.raises(systemctl.Failure) as failure:
        manager.start(systemctl.Unit("broken.service"))
    assert "broken.service:2" in str(failure.value)
    assert "exited with status 3" in str(failure.value)
    assert "no config" in str(failure.value)
    assert manager.active_state(systemctl.Unit("broken.service"))[0] == "failed"


def test_a_missing_executable_fails_with_its_line(root, manager):
    write(
        root / "lib" / "missing.service",
        "[Service]\nType=simple\nExecStart=/usr/bin/does-not-exist\n",
    )
    with pytest.raises(systemctl.Failure, match=r"missing\.service:3\) could not start"):
        manager.start(systemctl.Unit("missing.service"))


def test_forking_without_its_pid_file_fails_within_the_bound(root, manager, monkeypatch):
    monkeypatch.setattr(systemctl, "PID_FILE_LIMIT", 0.3)
    write(
        root / "lib" / "fork.service",
        "[Service]\nType=forking\nPIDFile=%s\nExecStart=/bin/true\n" % (root / "never.pid"),
    )
    started = time.time()
    with pytest.raises(systemctl.Failure, match="did not name a running process"):
        manager.start(systemctl.Unit("fork.service"))
    assert time.time() - started < 3


def test_forking_service_follows_its_pid_file(root, manager):
    pid_file = root / "daemon.pid"
    write(
        root / "lib" / "fork.service",
        "[Service]\nType=forking\nPIDFile=%s\nExecStart=/bin/sh -c 'sleep 60 & echo $! > %s'\n"
        "ExecReload=/bin/kill -HUP $MAINPID\n" % (pid_file, pid_file),
    )
    unit = systemctl.Unit("fork.service")
    manager.start(unit)
    pid = int(pid_file.read_text())
    assert manager.load_state("fork.service")["main_pid"] == pid
    manager.stop(unit)
    assert not systemctl.alive(pid)


def test_notify_waits_for_ready(root, manager, tmp_path):
    script = write(
        tmp_path / "notify.py",
        "import os, socket, time\n"
        "time.sleep(0.3)\n"
        "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n"
        "s.connect('\\0' + os.environ['NOTIFY_SOCKET'][1:])\n"
        "s.send(b'READY=1')\n"
        "time.sleep(60)\n",
    )
    write(
        root / "lib" / "n.service",
        "[Service]\nType=notify\nExecStart=%s %s\n" % (sys.executable, script),
    )
    started = time.time()
    manager.start(systemctl.Unit("n.service"))
    assert time.time() - started >= 0.3
    assert manager.active_state(systemctl.Unit("n.service")) == ("active", "running")
    manager.stop(systemctl.Unit("n.service"))


def test_a_daemon_that_ignores_term_is_killed_after_its_stop_timeout(root, manager):
    write(
        root / "lib" / "stubborn.service",
        "[Service]\nExecStart=/bin/sh -c 'trap \"\" TERM; while :; do sleep 0.1; done'\nTimeoutStopSec=0.5\n",
    )
    unit = systemctl.Unit("stubborn.service")
    manager.start(unit)
    pid = manager.load_state("stubborn.service")["main_pid"]
    started = time.time()
    killed = manager.stop(unit)
    assert pid in killed
    assert time.time() - started < 3
    assert not systemctl.alive(pid)


def test_oneshot_remains_active_and_runs_in_order(root, manager, tmp_path):
    out = tmp_path / "out"
    write(
        root / "lib" / "once.service",
        "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStartPre=/bin/sh -c 'echo pre >> %s'\n"
        "ExecStart=/bin/sh -c 'echo one >> %s'\nExecStart=/bin/sh -c 'echo two >> %s'\n"
        "ExecStop=/bin/sh -c 'echo stop >> %s'\n" % (out, out, out, out),
    )
    unit = systemctl.Unit("once.service")
    manager.start(unit)
    assert manager.active_state(unit) == ("active", "exited")
    manager.stop(unit)
    assert out.read_text().split() == ["pre", "one", "two", "stop"]


def test_init_scripts_stand_in_for_missing_units(root, manager, tmp_path):
    log = tmp_path / "log"
    write(root / "init.d" / "legacy", '#!/bin/sh\necho "$1" >> %s\n' % log, 0o755)
    unit = systemctl.Unit("legacy.service")
    assert unit.sysv and dict(manager.properties(unit))["SourcePath"].endswith("init.d/legacy")
    manager.start(unit)
    assert manager.active_state(unit)[0] == "active"
    manager.reload(unit)
    manager.stop(unit)
    assert log.read_text().split() == ["start", "reload", "stop"]


def test_queries_answer_as_ansible_reads_them(root, manager, capsys):
    write(
        root / "lib" / "q.service",
        "[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n",
    )
    assert run(manager, "show", "q") == 0
    shown = dict(line.split("=", 1) for line in capsys.readouterr().out.splitlines())
    assert shown["LoadState"] == "loaded" and shown["ActiveState"] == "inactive"
    assert "LoadError" not in shown
    assert run(manager, "show", "nothing") == 0
    assert "LoadState=not-found" in capsys.readouterr().out
    assert run(manager, "is-active", "q") == 3
    assert run(manager, "is-enabled", "q") == 1
    assert capsys.readouterr().out == "inactive\ndisabled\n"
    assert run(manager, "is-active", "sysinit.target") == 0
    assert run(manager, "list-unit-files", "q*") == 0
    assert "q.service" in capsys.readouterr().out
    words, options = systemctl.parse_arguments(
        ["--quiet", "-p", "CanReload", "--value", "show", "--", "q"]
    )
    assert words == ["show", "q"] and options["properties"] == ["CanReload"] and options["value"]


def test_finish_stops_what_runs_and_reports_what_was_touched(root, manager, tmp_path):
    write(
        root / "lib" / "a.service",
        "[Service]\nExecStart=/bin/sleep 60\n[Install]\nWantedBy=multi-user.target\n",
    )
    write(root / "lib" / "b.service", "[Service]\nExecStart=/bin/true\n")
    manager.enable(systemctl.Unit("a.service"), [])
    manager.start(systemctl.Unit("a.service"))
    manager.stop(systemctl.Unit("b.service"))
    pid = manager.load_state("a.service")["main_pid"]
    report = tmp_path / "report.json"
    assert systemctl.finish(manager, [str(report), ""]) == 0
    assert not systemctl.alive(pid)
    import json

    assert json.loads(report.read_text()) == {
        "services": [
            {"name": "a.service", "state": "active", "enabled": "enabled"},
            {"name": "b.service", "state": "inactive", "enabled": "static"},
        ],
        "killed": [],
    }


def test_run_config_of_a_simple_service(root):
    write(
        root / "lib" / "app.service",
        "[Service]\nExecStart=/bin/app --port ${PORT} $FLAGS\nEnvironment=PORT=80 FLAGS='-a -b'\n"
        "User=nobody\nWorkingDirectory=/srv\n",
    )
    config = systemctl.derive_run_config(systemctl.Unit("app.service"))
    assert config["cmd"] == ["/bin/app", "--port", "80", "-a", "-b"]
    assert config["user"] == "nobody" and config["workdir"] == "/srv"
    assert config["env"] == {"PORT": "80", "FLAGS": "-a -b"}
    assert config["supervisor"] is False


def test_run_config_refuses_several_exec_start_lines(root):
    write(
        root / "lib" / "two.service",
        "[Service]\nType=oneshot\nExecStart=/bin/a\nExecStart=/bin/b\n",
    )
    with pytest.raises(
        systemctl.Failure, match=r"2 ExecStart= lines \(.*two\.service:3, .*two\.service:4\)"
    ):
        systemctl.derive_run_config(systemctl.Unit("two.service"))


def test_run_config_of_a_forking_service_is_a_supervisor_that_runs(root, tmp_path, monkeypatch):
    supervisor = tmp_path / "supervise"
    pid_file = tmp_path / "d.pid"
    monkeypatch.setattr(systemctl, "SUPERVISOR", str(supervisor))
    write(
        root / "lib" / "d.service",
        "[Service]\nType=forking\nPIDFile=%s\nExecStartPre=/bin/true\n"
        "ExecStart=/bin/sh -c 'sleep 60 & echo $! > %s'\n" % (pid_file, pid_file),
    )
    config = systemctl.derive_run_config(systemctl.Unit("d.service"))
    assert config["cmd"] == [str(supervisor)] and config["supervisor"] is True
    process = subprocess.Popen(["/bin/sh", str(supervisor)])
    deadline = time.time() + 5
    while not pid_file.exists() and time.time() < deadline:
        time.sleep(0.05)
    daemon = int(pid_file.read_text())
    time.sleep(0.2)
    assert process.poll() is None
    process.send_signal(signal.SIGTERM)
    assert process.wait(10) == 0
    assert not systemctl.alive(daemon)


def test_init_scripts_are_enabled_through_update_rc_d_without_a_loop(
    root, manager, tmp_path, monkeypatch
):
    # update-rc.d calls `systemctl enable` in turn unless _SKIP_SYSTEMD_NATIVE=1, and
    # systemctl must leave init scripts alone under SYSTEMCTL_SKIP_SYSV=1, or each calls the other.
    calls = tmp_path / "calls"
    bin_dir = tmp_path / "bin"
    write(
        bin_dir / "update-rc.d", '#!/bin/sh\necho "$* $_SKIP_SYSTEMD_NATIVE" >> %s\n' % calls, 0o755
    )
    monkeypatch.setenv("PATH", "%s:%s" % (bin_dir, os.environ["PATH"]))
    write(root / "init.d" / "legacy", "#!/bin/sh\n", 0o755)
    manager.enable(systemctl.Unit("legacy.service"), [])
    assert calls.read_text().splitlines() == ["legacy defaults 1", "legacy enable 1"]
    monkeypatch.setenv("SYSTEMCTL_SKIP_SYSV", "1")
    manager.enable(systemctl.Unit("legacy.service"), [])
    manager.disable(systemctl.Unit("legacy.service"), [])
    assert len(calls.read_text().splitlines()) == 2
