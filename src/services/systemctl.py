# The action's build-time service manager: a `systemctl` for build containers, where no systemd
# runs. The container script installs a launcher for it as /usr/local/sbin/systemctl, next to the
# directory /run/systemd/system that tells Ansible's modules, `service` and Debian's package
# scripts that systemd is the service manager; both go again before the commit.
#
#   python3 systemctl.py STATE_DIR [systemctl's arguments]
#   python3 systemctl.py STATE_DIR ansible-image-finish REPORT [CMD_SERVICE]
#
# It reads unit files as systemd does for what builds use (see README "Services during the
# build") and init scripts where a service has no unit. It runs no daemon of its own: each call
# starts or stops what it is asked to and keeps what it learnt in STATE_DIR; PID 1 of the build
# container reaps what it leaves behind. `ansible-image-finish` stops every service still
# running, writes REPORT (JSON) and, with CMD_SERVICE, the image's run config for that service.
# Runs on the container's Python, so on 3.6 too.
import fnmatch
import glob
import grp
import json
import os
import pwd
import re
import resource
import shlex
import signal
import socket
import subprocess
import sys
import time

UNIT_DIRS = [
    "/etc/systemd/system",
    "/run/systemd/system",
    "/usr/local/lib/systemd/system",
    "/lib/systemd/system",
    "/usr/lib/systemd/system",
]
ETC_DIR = "/etc/systemd/system"
INIT_D = "/etc/init.d"
UNIT_TYPES = (
    ".service",
    ".socket",
    ".target",
    ".timer",
    ".path",
    ".mount",
    ".automount",
    ".swap",
    ".slice",
    ".scope",
    ".device",
)
SEARCH_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# Marks the processes of a unit, as its cgroup would: daemons fork and change sessions.
UNIT_VARIABLE = "ANSIBLE_IMAGE_SERVICE"
# Bounds on what a build waits for (seconds); a unit's own timeouts apply when shorter.
SETTLE = 0.25  # a simple service that dies at once failed to start
READY_LIMIT = 30  # Type=notify's READY=1, a forking service's parent
PID_FILE_LIMIT = 5  # a forking service's PIDFile, once its parent has exited
STOP_LIMIT = 10  # a service's processes, once asked to stop
FINISH_STOP_LIMIT = 5  # the same before the commit, after the playbook
POLL = 0.01
LOG_TAIL = 20
BUILD_VERSION = "systemd 252 (ansible-image build-time service manager)"


class Failure(Exception):
    """What systemctl prints to stderr, then exits with `code`."""

    def __init__(self, message, code=1):
        Exception.__init__(self, message)
        self.code = code


class BadSetting(Failure):
    """A unit that cannot be loaded; systemd's LoadState=bad-setting."""


# ---------------------------------------------------------------- unit files


class Setting(object):
    __slots__ = ("value", "file", "line")

    def __init__(self, value, file, line):
        self.value, self.file, self.line = value, file, line

    def where(self):
        return "%s:%d" % (self.file, self.line)


def parse_unit_file(path, sections):
    """Adds the file's settings to `sections` ({section: {key: [Setting]}}), in order."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        lines = handle.read().split("\n")
    section = None
    pending, start = None, 0
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if pending is None:
            if not line or line[0] in "#;":
                continue
            start = number
        elif line[:1] in ("#", ";"):
            continue
        if line.endswith("\\"):
            pending = (pending + " " if pending is not None else "") + line[:-1]
            continue
        if pending is not None:
            line, pending = pending + " " + line, None
        if line.startswith("["):
            if not line.endswith("]"):
                raise BadSetting("%s:%d: invalid section header %r" % (path, start, line))
            section = line[1:-1]
            continue
        if "=" not in line:
            raise BadSetting("%s:%d: missing '=' in %r" % (path, start, line))
        if section is None:
            raise BadSetting("%s:%d: assignment outside of a section" % (path, start))
        key, value = line.split("=", 1)
        sections.setdefault(section, {}).setdefault(key.strip(), []).append(
            Setting(value.strip(), path, start)
        )


def unescape_name(text):
    """systemd-escape's reverse: `-` is `/`, `\\xNN` a byte."""
    text = text.replace("-", "/")
    return re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), text)


def split_name(name):
    """`foo@bar.service` -> ("foo", "bar", ".service"); instance None for a plain unit."""
    base, dot, suffix = name.rpartition(".")
    prefix, at, instance = base.partition("@")
    return prefix, (instance if at else None), "." + suffix


def unit_name(text):
    """The full unit name that systemctl would make of an argument."""
    name = os.path.basename(text) if text.startswith("/") else text
    if not name.endswith(UNIT_TYPES):
        name += ".service"
    if not re.match(r"^[A-Za-z0-9:_.\\@-]+$", name) or len(name) > 255:
        raise Failure("Invalid unit name %r" % text)
    return name


class Unit(object):
    def __init__(self, name):
        self.name = name
        self.prefix, self.instance, self.suffix = split_name(name)
        self.template = "%s@%s" % (self.prefix, self.suffix) if self.instance is not None else None
        self.sections = {}
        self.fragment = None  # the unit file
        self.dropins = []
        self.sysv = None  # the init script that stands for a missing unit
        self.masked = False
        self.alias_of = None
        self.error = None
        self.load()

    @property
    def found(self):
        return bool(self.fragment or self.sysv or self.masked)

    def load(self):
        names = [self.name] + ([self.template] if self.template else [])
        for directory in UNIT_DIRS:
            path = os.path.join(directory, self.name)
            if os.path.islink(path) and os.readlink(path) == "/dev/null":
                self.masked = True
                return
        for candidate in names:
            for directory in UNIT_DIRS:
                path = os.path.join(directory, candidate)
                if os.path.isfile(path):
                    self.fragment = fragment_path(directory, candidate)
                    if os.path.islink(path) and directory == ETC_DIR:
                        target = os.path.basename(os.path.realpath(path))
                        if target != candidate:
                            self.alias_of = target
                    break
            if self.fragment:
                break
        if not self.fragment:
            script = os.path.join(INIT_D, self.prefix)
            if self.suffix == ".service" and self.instance is None and os.access(script, os.X_OK):
                self.sysv = script
            return
        try:
            parse_unit_file(self.fragment, self.sections)
            for path in self.dropin_files(names):
                parse_unit_file(path, self.sections)
                self.dropins.append(path)
        except BadSetting as error:
            self.error = str(error)
        except (IOError, OSError) as error:
            self.error = "%s: %s" % (self.fragment, error.strerror)

    def dropin_files(self, names):
        """`*.conf` in every NAME.d/ folder, by file name; a name in an earlier folder wins."""
        found = {}
        for candidate in reversed(names):
            for directory in reversed(UNIT_DIRS):
                for path in glob.glob(os.path.join(directory, candidate + ".d", "*.conf")):
                    found[os.path.basename(path)] = path
        return [found[name] for name in sorted(found)]

    # -- settings

    def settings(self, key, section="Service"):
        """A list setting: every value in order; an empty assignment clears what came before."""
        result = []
        for setting in self.sections.get(section, {}).get(key, []):
            if setting.value == "":
                result = []
            else:
                result.append(setting)
        return result

    def setting(self, key, default=None, section="Service"):
        values = self.sections.get(section, {}).get(key, [])
        return values[-1].value if values else default

    def words(self, key, section="Service"):
        return [w for s in self.settings(key, section) for w in self.expand(s).split()]

    def expand(self, setting):
        return expand_specifiers(setting, self)

    @property
    def type(self):
        if self.sysv:
            return "forking"
        default = "simple" if self.settings("ExecStart") else "oneshot"
        return self.setting("Type", default)

    @property
    def description(self):
        return self.setting("Description", self.name, "Unit")

    def has_install(self):
        install = self.sections.get("Install", {})
        return any(
            install.get(key) for key in ("WantedBy", "RequiredBy", "UpheldBy", "Alias", "Also")
        )

    def check(self):
        """Fails as systemd does for a unit it cannot load."""
        if self.masked:
            raise Failure("Unit %s is masked." % self.name)
        if not self.found:
            raise Failure("Unit %s not found." % self.name, 5)
        if self.error:
            raise BadSetting("Unit %s has a bad setting: %s" % (self.name, self.error))


def fragment_path(directory, name):
    """The path real systemctl names: Debian's /lib/systemd/system where a package put it there."""
    if directory not in ("/lib/systemd/system", "/usr/lib/systemd/system"):
        return os.path.join(directory, name)
    lib, usr = "/lib/systemd/system/" + name, "/usr/lib/systemd/system/" + name
    if not (os.path.exists(lib) and os.path.exists(usr) and os.path.samefile(lib, usr)):
        return os.path.join(directory, name)
    for path in (lib, usr):
        if (
            subprocess.call(
                ["dpkg-query", "-S", path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            == 0
        ):
            return path
    return usr if os.path.islink("/lib") else lib


SPECIFIERS = {
    "n": lambda u: u.name,
    "N": lambda u: u.name[: -len(u.suffix)],
    "p": lambda u: u.prefix,
    "P": lambda u: unescape_name(u.prefix),
    "i": lambda u: u.instance or "",
    "I": lambda u: unescape_name(u.instance or ""),
    "j": lambda u: u.prefix.rsplit("-", 1)[-1],
    "J": lambda u: unescape_name(u.prefix.rsplit("-", 1)[-1]),
    "f": lambda u: (
        "/" + unescape_name(u.instance if u.instance is not None else u.prefix).lstrip("/")
    ),
    "t": lambda u: "/run",
    "S": lambda u: "/var/lib",
    "C": lambda u: "/var/cache",
    "L": lambda u: "/var/log",
    "E": lambda u: "/etc",
    "T": lambda u: "/tmp",
    "V": lambda u: "/var/tmp",
    "H": lambda u: socket.gethostname(),
    "l": lambda u: socket.gethostname().split(".")[0],
    "u": lambda u: u.setting("User", "root"),
    "U": lambda u: str(user_ids(u)[0]),
    "g": lambda u: u.setting("Group", "root"),
    "G": lambda u: str(user_ids(u)[1]),
    "h": lambda u: user_home(u),
    "s": lambda u: "/bin/sh",
    "%": lambda u: "%",
}


def expand_specifiers(setting, unit):
    def replace(match):
        letter = match.group(1)
        if letter not in SPECIFIERS:
            raise BadSetting(
                "%s: unknown specifier %%%s in %r" % (setting.where(), letter, setting.value)
            )
        return SPECIFIERS[letter](unit)

    if setting.value.endswith("%") and not setting.value.endswith("%%"):
        raise BadSetting("%s: a lone %% at the end of %r" % (setting.where(), setting.value))
    return re.sub(r"%(.)", replace, setting.value)


ESCAPES = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
    '"': '"',
    "'": "'",
    "s": " ",
    " ": " ",
}


def split_words(text, where):
    """systemd's word splitting for command lines and assignments: quotes and C escapes."""
    words, i, n = [], 0, len(text)
    while True:
        while i < n and text[i] in " \t\n":
            i += 1
        if i >= n:
            return words
        word, quote, started = [], None, i
        while i < n:
            c = text[i]
            if quote is None and c in " \t\n":
                break
            if c == "\\":
                if i + 1 >= n:
                    raise BadSetting("%s: a backslash at the end of %r" % (where, text))
                e = text[i + 1]
                if e in ESCAPES:
                    word.append(ESCAPES[e])
                    i += 2
                elif e == "x" and re.match(r"[0-9a-fA-F]{2}", text[i + 2 : i + 4]):
                    word.append(chr(int(text[i + 2 : i + 4], 16)))
                    i += 4
                elif re.match(r"[0-7]{3}", text[i + 1 : i + 4]):
                    word.append(chr(int(text[i + 1 : i + 4], 8)))
                    i += 4
                else:
                    word.append(e)
                    i += 2
                continue
            if quote is None and c in "\"'" and (i == started or word):
                quote = c
            elif c == quote:
                quote = None
            else:
                word.append(c)
            i += 1
        if quote is not None:
            raise BadSetting("%s: unbalanced quotes in %r" % (where, text))
        words.append("".join(word))


class Command(object):
    """One Exec*= line: its flags, and argv before environment variables are substituted."""

    def __init__(self, setting, unit):
        self.setting = setting
        text = unit.expand(setting)
        prefixes = re.match(r"^[-@:+!]*", text).group(0)
        self.ignore_failure = "-" in prefixes
        self.substitute = ":" not in prefixes
        words = split_words(text[len(prefixes) :], setting.where())
        if words and words[-1] == ";" or ";" in words:
            raise BadSetting("%s: several commands on one line are not supported" % setting.where())
        if not words:
            raise BadSetting("%s: an empty command line" % setting.where())
        self.path = words[0]
        self.argv = words[1:] if "@" in prefixes else words
        if "@" in prefixes and not self.argv:
            raise BadSetting("%s: @ needs an argv[0]" % setting.where())

    def resolve(self, env):
        argv = list(self.argv)
        if self.substitute:
            argv = substitute_env(argv, env)
        path = self.path
        if not path.startswith("/"):
            found = [
                p
                for p in (os.path.join(d, path) for d in SEARCH_PATH.split(":"))
                if os.access(p, os.X_OK)
            ]
            if not found:
                raise Failure("%s: %s: command not found" % (self.setting.where(), path))
            path = found[0]
        return path, argv

    def text(self):
        return self.setting.value


def substitute_env(argv, env):
    """`$NAME` alone is split into words, `${NAME}` stays one; `$$` is a dollar."""
    result = []
    for word in argv:
        alone = re.match(r"^\$([A-Za-z_][A-Za-z0-9_]*)$", word)
        if alone:
            result.extend(env.get(alone.group(1), "").split())
            continue
        result.append(
            re.sub(
                r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}",
                lambda m: "$" if m.group(0) == "$$" else env.get(m.group(1), ""),
                word,
            )
        )
    return result


def unit_commands(unit, key):
    return [Command(setting, unit) for setting in unit.settings(key)]


def can_reload(unit):
    return bool(unit.sysv or (unit.fragment and unit.settings("ExecReload")))


def parse_timespan(text, default):
    if text is None:
        return default
    text = text.strip()
    if text in ("infinity", "0"):
        return None
    units = {
        "us": 1e-6,
        "ms": 1e-3,
        "s": 1,
        "sec": 1,
        "m": 60,
        "min": 60,
        "h": 3600,
        "hr": 3600,
        "d": 86400,
    }
    total = 0.0
    for number, unit in re.findall(r"([0-9.]+)\s*([a-z]*)", text):
        total += float(number) * units.get(unit or "s", 1)
    return total


def user_ids(unit):
    user = unit.setting("User")
    if not user:
        return 0, 0
    try:
        entry = pwd.getpwnam(user) if not user.isdigit() else pwd.getpwuid(int(user))
    except KeyError:
        raise Failure("%s: User=%s does not exist" % (unit.fragment, user))
    gid = entry.pw_gid
    group = unit.setting("Group")
    if group:
        try:
            gid = grp.getgrnam(group).gr_gid if not group.isdigit() else int(group)
        except KeyError:
            raise Failure("%s: Group=%s does not exist" % (unit.fragment, group))
    return entry.pw_uid, gid


def user_home(unit):
    uid = user_ids(unit)[0]
    try:
        return pwd.getpwuid(uid).pw_dir
    except KeyError:
        return "/"


def read_env_file(path, where):
    """KEY=VALUE lines as systemd reads an EnvironmentFile: comments, quotes, continuations."""
    env = {}
    with open(path, encoding="utf-8", errors="replace") as handle:
        text = handle.read().replace("\\\n", "")
    for line in text.split("\n"):
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("export "):
            line = line[7:].lstrip()
        if "=" not in line:
            continue
        key, value = line.split("=", 1)
        key, value = key.strip(), value.strip()
        if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", key):
            continue
        if value[:1] in ("'", '"'):
            try:
                words = split_words(value, where)
                value = words[0] if words else ""
            except BadSetting:
                value = value.strip("\"'")
        env[key] = value
    return env


def base_environment():
    env = {"PATH": SEARCH_PATH}
    for path in ("/etc/default/locale", "/etc/locale.conf"):
        if os.path.isfile(path):
            env.update(
                {
                    k: v
                    for k, v in read_env_file(path, path).items()
                    if k.startswith("LANG") or k.startswith("LC_")
                }
            )
    return env


def unit_environment(unit, with_files=True):
    """The unit's own environment: Environment= then EnvironmentFile=, as systemd applies them."""
    env = {}
    for setting in unit.settings("Environment"):
        for assignment in split_words(unit.expand(setting), setting.where()):
            if "=" not in assignment:
                raise BadSetting("%s: %r is not an assignment" % (setting.where(), assignment))
            key, value = assignment.split("=", 1)
            env[key] = value
    if with_files:
        for setting in unit.settings("EnvironmentFile"):
            path = unit.expand(setting)
            optional = path.startswith("-")
            path = path.lstrip("-")
            try:
                env.update(read_env_file(path, setting.where()))
            except (IOError, OSError) as error:
                if not optional:
                    raise Failure(
                        "%s: EnvironmentFile=%s: %s" % (setting.where(), path, error.strerror)
                    )
    return env


def service_environment(unit):
    env = base_environment()
    uid, gid = user_ids(unit)
    if unit.setting("User"):
        entry = pwd.getpwuid(uid)
        env.update(
            HOME=entry.pw_dir,
            USER=entry.pw_name,
            LOGNAME=entry.pw_name,
            SHELL=entry.pw_shell or "/bin/sh",
        )
    for kind, root in DIRECTORY_KINDS:
        names = unit.words(kind + "Directory")
        if names:
            env[kind.upper() + "_DIRECTORY"] = ":".join(os.path.join(root, n) for n in names)
    env.update(unit_environment(unit))
    if unit.sysv:
        # What systemd-sysv-generator's units set: the script must not hand back to systemctl.
        env["_SYSTEMCTL_SKIP_REDIRECT"] = "1"
    return env


DIRECTORY_KINDS = [
    ("Runtime", "/run"),
    ("State", "/var/lib"),
    ("Cache", "/var/cache"),
    ("Logs", "/var/log"),
    ("Configuration", "/etc"),
]


# ---------------------------------------------------------------- processes


def proc_stat(pid):
    """(state, ppid, start time) of a process, or None once it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as handle:
            data = handle.read()
    except (IOError, OSError):
        return None
    fields = data[data.rindex(")") + 2 :].split()
    return fields[0], int(fields[1]), int(fields[19])


def alive(pid, start=None):
    info = proc_stat(pid) if pid else None
    return bool(info) and info[0] not in ("Z", "X") and (start is None or info[2] == start)


def unit_processes(name):
    marker = ("%s=%s" % (UNIT_VARIABLE, name)).encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open("/proc/%s/environ" % entry, "rb") as handle:
                if marker in handle.read().split(b"\0") and alive(int(entry)):
                    found.append(int(entry))
        except (IOError, OSError):
            pass
    return found


def signal_number(name, default):
    name = (name or default).upper()
    if name.isdigit():
        return int(name)
    if not name.startswith("SIG"):
        name = "SIG" + name
    number = getattr(signal, name, None)
    if number is None:
        raise Failure("Unknown signal %s" % name)
    return int(number)


def wait_gone(pids, limit):
    deadline = time.time() + limit
    while time.time() < deadline:
        pids = [p for p in pids if alive(p)]
        if not pids:
            return []
        time.sleep(POLL)
    return [p for p in pids if alive(p)]


# ---------------------------------------------------------------- the manager


class Manager(object):
    def __init__(self, state_dir):
        self.state_dir = state_dir
        if not os.path.isdir(state_dir):
            os.makedirs(state_dir, 0o700)
        self.quiet = False

    # -- state kept between calls

    def state_file(self, name):
        return os.path.join(self.state_dir, name + ".json")

    def load_state(self, name):
        try:
            with open(self.state_file(name)) as handle:
                return json.load(handle)
        except (IOError, OSError, ValueError):
            return {}

    def save_state(self, name, state):
        temporary = self.state_file(name) + ".new"
        with open(temporary, "w") as handle:
            json.dump(state, handle)
        os.rename(temporary, self.state_file(name))

    def touch(self, unit):
        """Remembers a unit the playbook acted on, for the report."""
        state = self.load_state(unit.name)
        if not state.get("touched"):
            state["touched"] = time.time()
            self.save_state(unit.name, state)

    def log_path(self, name):
        return os.path.join(self.state_dir, name + ".log")

    def log_tail(self, name):
        try:
            with open(self.log_path(name), encoding="utf-8", errors="replace") as handle:
                lines = handle.read().splitlines()[-LOG_TAIL:]
        except (IOError, OSError):
            return ""
        return "".join("\n    " + line for line in lines)

    # -- what a unit is doing

    def active_state(self, unit):
        if unit.name.endswith(".target"):
            return "active", "active"
        state = self.load_state(unit.name)
        if state.get("main_pid") and alive(state["main_pid"], state.get("main_start")):
            return "active", "running"
        if state.get("remain"):
            return "active", "exited"
        if state.get("failed"):
            return "failed", "failed"
        return "inactive", "dead"

    def enabled_state(self, unit):
        if unit.masked:
            return "masked"
        if unit.sysv:
            return "enabled" if glob.glob("/etc/rc[2345S].d/S??" + unit.prefix) else "disabled"
        if not unit.fragment:
            return ""
        if unit.alias_of:
            return "alias"
        if self.install_links(unit):
            return "enabled"
        if unit.has_install():
            return "indirect" if unit.template and unit.instance == "" else "disabled"
        return "static"

    def install_links(self, unit):
        """The links that `systemctl enable` made for the unit: in *.wants/, *.requires/, aliases."""
        links = []
        for kind in ("wants", "requires", "upholds"):
            path = os.path.join(ETC_DIR, "*.%s" % kind, unit.name)
            links.extend(p for p in glob.glob(path) if os.path.islink(p))
        for alias in self.aliases(unit):
            path = os.path.join(ETC_DIR, alias)
            if os.path.islink(path):
                links.append(path)
        return links

    def aliases(self, unit):
        try:
            return unit.words("Alias", "Install")
        except Failure:
            return []

    # -- starting

    def start(self, unit):
        unit.check()
        self.touch(unit)
        if self.active_state(unit)[0] == "active":
            return
        if not self.conditions_hold(unit):
            return
        env = service_environment(unit)
        if not unit.sysv and not unit.settings("ExecStart") and unit.type != "oneshot":
            raise BadSetting(
                "Unit %s has a bad setting: %s has no ExecStart=" % (unit.name, unit.fragment)
            )
        state = {"touched": self.load_state(unit.name).get("touched", time.time())}
        self.save_state(unit.name, state)
        self.make_directories(unit)
        start_limit = parse_timespan(
            unit.setting("TimeoutStartSec", unit.setting("TimeoutSec")),
            None if unit.type == "oneshot" else 90,
        )
        try:
            for command in unit_commands(unit, "ExecStartPre"):
                self.run(unit, command, env, start_limit)
            self.start_main(unit, env, state, start_limit)
            for command in unit_commands(unit, "ExecStartPost"):
                self.run(unit, command, env, start_limit)
        except Failure:
            state["failed"] = True
            state.pop("remain", None)
            self.save_state(unit.name, state)
            self.kill_unit(unit, state, signal.SIGKILL, 0)
            raise
        self.save_state(unit.name, state)

    def start_main(self, unit, env, state, limit):
        kind = unit.type
        if unit.sysv:
            self.run(unit, self.sysv_command(unit, "start"), env, limit)
            state["remain"] = True
            return
        commands = unit_commands(unit, "ExecStart")
        if kind == "oneshot":
            for command in commands:
                self.run(unit, command, env, limit)
            if unit.setting("RemainAfterExit", "no") in ("yes", "true", "1", "on"):
                state["remain"] = True
            return
        if len(commands) != 1:
            raise BadSetting(
                "Unit %s has a bad setting: Type=%s takes exactly one ExecStart= (%s)"
                % (unit.name, kind, ", ".join(c.setting.where() for c in commands))
            )
        command = commands[0]
        if kind == "forking":
            process = self.spawn(unit, command, env)
            self.wait_exit(unit, command, process, min(limit or READY_LIMIT, READY_LIMIT))
            state["main_pid"] = self.forked_main_pid(unit, command)
        elif kind == "notify":
            self.start_notify(unit, command, env, state, min(limit or READY_LIMIT, READY_LIMIT))
        else:
            process = self.spawn(unit, command, env)
            state["main_pid"] = process.pid
            deadline = time.time() + SETTLE
            while time.time() < deadline and process.poll() is None:
                time.sleep(POLL)
            if process.poll() is not None:
                state.pop("main_pid")
                if process.returncode != 0 and not command.ignore_failure:
                    raise self.exited(unit, command, process.returncode)
        if state.get("main_pid"):
            info = proc_stat(state["main_pid"])
            state["main_start"] = info[2] if info else None
        if unit.setting("RemainAfterExit", "no") in ("yes", "true", "1", "on"):
            state["remain"] = True

    def start_notify(self, unit, command, env, state, limit):
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        # Abstract: a service that runs as another user reaches it too.
        address = "ansible-image-notify-%d-%s" % (os.getpid(), unit.name)
        listener.bind("\0" + address)
        listener.settimeout(POLL * 10)
        try:
            process = self.spawn(unit, command, dict(env, NOTIFY_SOCKET="@" + address))
            state["main_pid"] = process.pid
            deadline = time.time() + limit
            while True:
                if process.poll() is not None:
                    raise self.exited(unit, command, process.returncode, "before it was ready")
                if time.time() > deadline:
                    raise self.command_failure(
                        unit, command, "did not report READY=1 within %gs" % limit
                    )
                try:
                    message = listener.recv(4096).decode("utf-8", "replace")
                except socket.timeout:
                    continue
                fields = dict(line.split("=", 1) for line in message.split("\n") if "=" in line)
                if fields.get("MAINPID", "").isdigit():
                    state["main_pid"] = int(fields["MAINPID"])
                if fields.get("READY") == "1":
                    return
        finally:
            listener.close()

    def forked_main_pid(self, unit, command):
        pid_file = unit.setting("PIDFile")
        if pid_file:
            pid_file = unit.expand(unit.settings("PIDFile")[-1])
            deadline = time.time() + PID_FILE_LIMIT
            while True:
                try:
                    with open(pid_file) as handle:
                        pid = int(handle.read().split()[0])
                    if alive(pid):
                        return pid
                except (IOError, OSError, ValueError, IndexError):
                    pass
                if time.time() > deadline:
                    raise self.command_failure(
                        unit,
                        command,
                        "exited, but PIDFile=%s did not name a running process within %ds"
                        % (pid_file, PID_FILE_LIMIT),
                    )
                time.sleep(POLL)
        # Like systemd without a PIDFile: the main process is the one the parent left behind.
        remaining = sorted(
            unit_processes(unit.name), key=lambda p: proc_stat(p)[2] if proc_stat(p) else 0
        )
        return remaining[0] if remaining else None

    def conditions_hold(self, unit):
        checks = {
            "PathExists": os.path.exists,
            "PathIsDirectory": os.path.isdir,
            "PathIsSymbolicLink": os.path.islink,
            "FileNotEmpty": lambda p: os.path.isfile(p) and os.path.getsize(p) > 0,
            "FileIsExecutable": lambda p: os.path.isfile(p) and os.access(p, os.X_OK),
            "DirectoryNotEmpty": lambda p: os.path.isdir(p) and bool(os.listdir(p)),
        }
        for kind in ("Condition", "Assert"):
            for check, test in checks.items():
                for setting in unit.settings(kind + check, "Unit"):
                    value = unit.expand(setting)
                    negate = value.startswith("!")
                    value = value.lstrip("|!")
                    if test(value) == negate:
                        if kind == "Assert":
                            raise Failure(
                                "%s: Assert%s=%s failed for %s"
                                % (setting.where(), check, setting.value, unit.name)
                            )
                        return False
        return True

    def make_directories(self, unit):
        uid, gid = user_ids(unit)
        for kind, root in DIRECTORY_KINDS:
            mode = int(unit.setting(kind + "DirectoryMode", "0755"), 8)
            for name in unit.words(kind + "Directory"):
                path = os.path.join(root, name)
                if not os.path.isdir(path):
                    os.makedirs(path, mode)
                os.chmod(path, mode)
                if kind != "Configuration":
                    os.chown(path, uid, gid)

    def sysv_command(self, unit, action):
        return Command(Setting("%s %s" % (unit.sysv, action), unit.sysv, 1), unit)

    # -- running a unit's commands

    def spawn(self, unit, command, env):
        path, argv = command.resolve(env)
        uid, gid = user_ids(unit)
        user = unit.setting("User")
        groups = [g for g in unit.words("SupplementaryGroups")]
        directory = unit.setting("WorkingDirectory")
        if directory:
            directory = unit.expand(unit.settings("WorkingDirectory")[-1])
        umask = int(unit.setting("UMask", "0022"), 8)
        nofile = unit.setting("LimitNOFILE")
        log = open(self.log_path(unit.name), "ab")
        output = {"null": subprocess.DEVNULL}.get(unit.setting("StandardOutput"), log)

        def child():
            os.umask(umask)
            if nofile:
                limit = (
                    resource.RLIM_INFINITY if nofile == "infinity" else int(nofile.split(":")[-1])
                )
                hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
                if hard != resource.RLIM_INFINITY and (
                    limit == resource.RLIM_INFINITY or limit > hard
                ):
                    limit = hard  # raising it needs CAP_SYS_RESOURCE, which containers lack
                resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))
            if user or unit.setting("Group"):
                os.setgid(gid)
                name = pwd.getpwuid(uid).pw_name if user else "root"
                os.initgroups(name, gid)
                if groups:
                    os.setgroups(os.getgroups() + [grp.getgrnam(g).gr_gid for g in groups])
                os.setuid(uid)
            if directory:
                target = (
                    os.path.expanduser(directory.lstrip("-"))
                    if directory.lstrip("-") != "~"
                    else env.get("HOME", "/")
                )
                try:
                    os.chdir(target)
                except OSError:
                    if not directory.startswith("-"):
                        raise
            else:
                os.chdir("/")

        env = dict(env, **{UNIT_VARIABLE: unit.name})
        state = self.load_state(unit.name)
        if state.get("main_pid"):
            env["MAINPID"] = str(state["main_pid"])
        try:
            return subprocess.Popen(
                [argv[0]] + argv[1:],
                executable=path,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=log,
                preexec_fn=child,
                start_new_session=True,
                close_fds=True,
            )
        except (OSError, subprocess.SubprocessError) as error:
            raise self.command_failure(
                unit, command, "could not start: %s" % (getattr(error, "strerror", None) or error)
            )
        finally:
            log.close()

    def run(self, unit, command, env, limit):
        process = self.spawn(unit, command, env)
        self.wait_exit(unit, command, process, limit)

    def wait_exit(self, unit, command, process, limit):
        try:
            status = process.wait(limit)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise self.command_failure(unit, command, "did not finish within %gs" % limit)
        if status != 0 and not command.ignore_failure:
            raise self.exited(unit, command, status)

    def exited(self, unit, command, status, when=""):
        how = (
            ("was killed by signal %d" % -status)
            if status < 0
            else ("exited with status %d" % status)
        )
        return self.command_failure(unit, command, how + (" " + when if when else ""))

    def command_failure(self, unit, command, what):
        """A unit's command that failed: where it is written, and what the service logged."""
        return Failure(
            "%s: %s (%s) %s%s"
            % (unit.name, command.text(), command.setting.where(), what, self.log_tail(unit.name))
        )

    # -- stopping

    def stop(self, unit, limit=None):
        """Stops the unit; returns the pids that needed SIGKILL."""
        if not unit.found:
            raise Failure("Failed to stop %s: Unit %s not loaded." % (unit.name, unit.name), 5)
        self.touch(unit)
        state = self.load_state(unit.name)
        active = self.active_state(unit)[0] == "active" or unit_processes(unit.name)
        if not active:
            state.pop("failed", None)
            self.save_state(unit.name, state)
            return []
        env = service_environment(unit) if not unit.masked else {}
        stop_limit = min(
            parse_timespan(unit.setting("TimeoutStopSec", unit.setting("TimeoutSec")), 90)
            or STOP_LIMIT,
            limit or STOP_LIMIT,
        )
        commands = (
            [self.sysv_command(unit, "stop")] if unit.sysv else unit_commands(unit, "ExecStop")
        )
        failure = None
        for command in commands:
            try:
                self.run(unit, command, env, stop_limit)
            except Failure as error:
                failure = failure or error
        mode = unit.setting("KillMode", "control-group")
        killed = self.kill_unit(
            unit, state, signal_number(unit.setting("KillSignal"), "SIGTERM"), stop_limit, mode
        )
        for command in unit_commands(unit, "ExecStopPost"):
            try:
                self.run(unit, command, env, stop_limit)
            except Failure:
                pass
        if unit.setting("RuntimeDirectoryPreserve", "no") not in ("yes", "true"):
            for name in unit.words("RuntimeDirectory"):
                subprocess.call(["rm", "-rf", "--one-file-system", os.path.join("/run", name)])
        self.save_state(unit.name, {"touched": state.get("touched", time.time())})
        if failure and not unit.sysv:
            raise failure
        return killed

    def kill_unit(self, unit, state, number, limit, mode="control-group"):
        main = state.get("main_pid")
        main = main if main and alive(main, state.get("main_start")) else None
        if mode == "none":
            return []
        pids = unit_processes(unit.name) if mode != "process" else []
        if main and main not in pids:
            pids.append(main)
        targets = [main] if mode in ("process", "mixed") and main else pids
        for pid in targets:
            for sig in (number, signal.SIGCONT):
                try:
                    os.kill(pid, sig)
                except OSError:
                    pass
        left = wait_gone(pids, limit)
        if left and unit.setting("SendSIGKILL", "yes") in ("yes", "true", "1", "on"):
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            wait_gone(left, 1)
        return left

    def reload(self, unit):
        unit.check()
        self.touch(unit)
        if self.active_state(unit)[0] != "active":
            raise Failure("Unit %s is not active, cannot reload." % unit.name)
        commands = (
            [self.sysv_command(unit, "reload")] if unit.sysv else unit_commands(unit, "ExecReload")
        )
        if not commands:
            raise Failure(
                "Failed to reload %s: Job type reload is not applicable for unit %s."
                % (unit.name, unit.name)
            )
        env = service_environment(unit)
        for command in commands:
            self.run(unit, command, env, parse_timespan(unit.setting("TimeoutStartSec"), 90))

    # -- enabling

    def enable(self, unit, messages, seen=None):
        seen = seen if seen is not None else set()
        if unit.name in seen:
            return
        seen.add(unit.name)
        unit.check()
        self.touch(unit)
        if unit.sysv:
            self.update_rc(unit, "defaults")
            self.update_rc(unit, "enable")
            return
        if unit.template and not unit.instance:
            default = unit.setting("DefaultInstance", None, "Install")
            if not default:
                return
            unit = Unit("%s@%s%s" % (unit.prefix, default, unit.suffix))
        if not unit.has_install():
            messages.append(
                "The unit files have no installation config (WantedBy=, RequiredBy=, UpheldBy=,\n"
                "Also=, or Alias= settings in the [Install] section, and DefaultInstance= for\n"
                "template units). This means they are not meant to be enabled or disabled using systemctl."
            )
            return
        for key, kind in (
            ("WantedBy", "wants"),
            ("RequiredBy", "requires"),
            ("UpheldBy", "upholds"),
        ):
            for target in unit.words(key, "Install"):
                self.link(
                    os.path.join(ETC_DIR, "%s.%s" % (target, kind), unit.name),
                    unit.fragment,
                    messages,
                )
        for alias in self.aliases(unit):
            self.link(os.path.join(ETC_DIR, alias), unit.fragment, messages)
        for also in unit.words("Also", "Install"):
            self.enable(Unit(unit_name(also)), messages, seen)

    def link(self, path, target, messages):
        if os.path.islink(path) and os.readlink(path) == target:
            return
        directory = os.path.dirname(path)
        if not os.path.isdir(directory):
            os.makedirs(directory, 0o755)
        if os.path.lexists(path):
            os.unlink(path)
        os.symlink(target, path)
        messages.append("Created symlink %s \u2192 %s." % (path, target))

    def disable(self, unit, messages, seen=None):
        seen = seen if seen is not None else set()
        if unit.name in seen:
            return
        seen.add(unit.name)
        if not unit.found:
            raise Failure("Failed to disable unit: Unit file %s does not exist." % unit.name)
        self.touch(unit)
        if unit.sysv:
            self.update_rc(unit, "disable")
            return
        for path in self.install_links(unit):
            os.unlink(path)
            messages.append('Removed "%s".' % path)
        for also in unit.words("Also", "Install") if unit.fragment else []:
            self.disable(Unit(unit_name(also)), messages, seen)

    def update_rc(self, unit, action):
        """Enables an init script as systemd-sysv-install does, through update-rc.d, which
        calls systemctl in turn: the variables keep the two from calling each other forever."""
        if os.environ.get("SYSTEMCTL_SKIP_SYSV") == "1":
            return
        env = dict(os.environ, _SKIP_SYSTEMD_NATIVE="1")
        if subprocess.call(
            ["update-rc.d", unit.prefix, action], stdout=subprocess.DEVNULL, env=env
        ):
            raise Failure("update-rc.d %s %s failed" % (unit.prefix, action))

    def mask(self, unit, messages):
        self.touch(unit)
        self.link(os.path.join(ETC_DIR, unit.name), "/dev/null", messages)

    def unmask(self, unit, messages):
        path = os.path.join(ETC_DIR, unit.name)
        if os.path.islink(path) and os.readlink(path) == "/dev/null":
            os.unlink(path)
            messages.append('Removed "%s".' % path)

    # -- queries

    def properties(self, unit):
        active, sub = self.active_state(unit)
        state = self.load_state(unit.name)
        main = state.get("main_pid") if active == "active" and sub == "running" else 0
        load = (
            "masked"
            if unit.masked
            else "loaded"
            if unit.found and not unit.error
            else "bad-setting"
            if unit.error
            else "not-found"
        )
        props = [
            ("Type", unit.type if unit.fragment or unit.sysv else "simple"),
            ("MainPID", str(main or 0)),
            ("ExecMainPID", str(main or 0)),
            ("Id", unit.name),
            ("Names", unit.name),
            (
                "Description",
                unit.description
                if unit.fragment
                else ("LSB: %s" % unit.prefix if unit.sysv else unit.name),
            ),
            ("LoadState", load),
            ("ActiveState", active),
            ("SubState", sub),
            ("FragmentPath", unit.fragment or ""),
            ("SourcePath", unit.sysv or ""),
            ("DropInPaths", " ".join(unit.dropins)),
            ("UnitFileState", self.enabled_state(unit)),
            ("CanStart", "yes" if load == "loaded" else "no"),
            ("CanStop", "yes" if load == "loaded" else "no"),
            ("CanReload", "yes" if can_reload(unit) else "no"),
            ("Triggers", ""),
            ("TriggeredBy", ""),
        ]
        if load == "not-found":
            props.append(
                (
                    "LoadError",
                    'org.freedesktop.systemd1.NoSuchUnit "Unit %s not found."' % unit.name,
                )
            )
        elif load == "bad-setting":
            props.append(("LoadError", 'org.freedesktop.systemd1.BadSetting "%s"' % unit.error))
        return props

    def status_text(self, unit):
        active, sub = self.active_state(unit)
        enabled = self.enabled_state(unit)
        path = unit.fragment or unit.sysv or ""
        lines = [
            "\u25cf %s - %s" % (unit.name, unit.description),
            "     Loaded: %s (%s; %s)" % ("loaded" if unit.found else "not-found", path, enabled),
            "     Active: %s (%s)" % (active, sub),
        ]
        main = self.load_state(unit.name).get("main_pid")
        if sub == "running" and main:
            lines.append("   Main PID: %d" % main)
        return "\n".join(lines) + self.log_tail(unit.name)

    def unit_files(self, patterns, types):
        names = set()
        for directory in UNIT_DIRS:
            for path in glob.glob(os.path.join(directory, "*")):
                name = os.path.basename(path)
                if (
                    name.endswith(UNIT_TYPES)
                    and os.path.isfile(path)
                    or os.path.islink(path)
                    and os.readlink(path) == "/dev/null"
                ):
                    names.add(name)
        for path in glob.glob(os.path.join(INIT_D, "*")):
            if os.access(path, os.X_OK) and os.path.isfile(path):
                names.add(os.path.basename(path) + ".service")
        rows = []
        for name in sorted(names):
            if types and not any(name.endswith("." + t) for t in types):
                continue
            if patterns and not any(
                fnmatch.fnmatchcase(name, p) or name == p + ".service" for p in patterns
            ):
                continue
            unit = Unit(name)
            state = "generated" if unit.sysv else self.enabled_state(unit)
            rows.append((name, state))
        return rows


# ---------------------------------------------------------------- the command line

VERBS_WITH_UNITS = {
    "start",
    "stop",
    "restart",
    "try-restart",
    "condrestart",
    "reload",
    "reload-or-restart",
    "try-reload-or-restart",
    "force-reload",
    "enable",
    "disable",
    "reenable",
    "mask",
    "unmask",
    "is-active",
    "is-failed",
    "is-enabled",
    "show",
    "status",
    "kill",
    "cat",
    "reset-failed",
    "preset",
}


def parse_arguments(args):
    options = {
        "properties": [],
        "types": [],
        "quiet": False,
        "value": False,
        "now": False,
        "signal": None,
        "all": False,
    }
    words = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            words.extend(args[i:])
            break
        if not arg.startswith("-") or arg == "-":
            words.append(arg)
            continue
        name, has_value, value = arg.partition("=")
        takes_value = name in (
            "-p",
            "--property",
            "-t",
            "--type",
            "-s",
            "--signal",
            "--job-mode",
            "--state",
            "--kill-whom",
            "--kill-who",
            "-o",
            "--output",
            "-n",
            "--lines",
            "-H",
            "--host",
            "-M",
            "--machine",
            "--root",
            "--what",
            "--timestamp",
            "--preset-mode",
            "--message",
            "--marked",
            "--check-inhibitors",
        )
        if takes_value and not has_value:
            if name.startswith("-") and not name.startswith("--") and len(arg) > 2:
                value = arg[2:]
            elif i < len(args):
                value = args[i]
                i += 1
        if name.startswith("-p") and not name.startswith("--") and len(name) > 2:
            options["properties"].extend(name[2:].split(","))
        elif name in ("-p", "--property"):
            options["properties"].extend(value.split(","))
        elif name in ("-t", "--type"):
            options["types"].extend(value.split(","))
        elif name in ("-s", "--signal"):
            options["signal"] = value
        elif name in ("-q", "--quiet"):
            options["quiet"] = True
        elif name == "--value":
            options["value"] = True
        elif name == "--now":
            options["now"] = True
        elif name in ("-a", "--all"):
            options["all"] = True
        elif name in ("--user", "--global"):
            raise Failure(
                "%s units are not supported by the action's build-time service manager; "
                "only system units are" % name.lstrip("-")
            )
        elif name == "--version":
            words.insert(0, "--version")
        # Everything else (--system, --no-block, --no-pager, --no-legend, --full, -l, --force,
        # --no-reload, --no-ask-password, --job-mode, --plain, ...) changes nothing here.
    return words, options


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: systemctl.py STATE_DIR [systemctl arguments]\n")
        return 2
    manager = Manager(argv[1])
    try:
        words, options = parse_arguments(argv[2:])
        if not words:
            words = ["list-units"]
        verb, names = words[0], words[1:]
        if verb == "ansible-image-finish":
            return finish(manager, names)
        # No lock: a unit's own commands may call systemctl again, and Ansible runs one task
        # at a time; each unit's state is replaced whole.
        return run_verb(manager, verb, names, options)
    except Failure as error:
        sys.stderr.write("%s\n" % error)
        return error.code


def run_verb(manager, verb, names, options):
    out = sys.stdout
    if verb == "--version":
        out.write("%s\n" % BUILD_VERSION)
        return 0
    if verb in (
        "daemon-reload",
        "daemon-reexec",
        "reset-failed",
        "list-units",
        "list-jobs",
        "list-sockets",
        "list-timers",
    ):
        return 0
    if verb == "is-system-running":
        if not options["quiet"]:
            out.write("running\n")
        return 0
    if verb == "get-default":
        out.write(
            "%s\n" % os.path.basename(os.path.realpath(os.path.join(ETC_DIR, "default.target")))
            if os.path.lexists(os.path.join(ETC_DIR, "default.target"))
            else "graphical.target\n"
        )
        return 0
    if verb == "set-default":
        target = Unit(unit_name(names[0]))
        target.check()
        messages = []
        manager.link(os.path.join(ETC_DIR, "default.target"), target.fragment, messages)
        sys.stderr.write("".join(m + "\n" for m in messages))
        return 0
    if verb == "list-unit-files":
        rows = manager.unit_files(names, options["types"])
        for name, state in rows:
            out.write("%-40s %s\n" % (name, state))
        return 0
    if verb == "show" and not names:
        out.write("Version=%s\nSystemState=running\n" % BUILD_VERSION.split()[1])
        return 0
    if verb not in VERBS_WITH_UNITS:
        raise Failure(
            "Unknown command verb %s (the action's build-time service manager knows: %s)."
            % (verb, ", ".join(sorted(VERBS_WITH_UNITS)))
        )
    if not names:
        raise Failure("Too few arguments.")
    units = [Unit(unit_name(name)) for name in names]
    if verb == "show":
        for index, unit in enumerate(units):
            if index:
                out.write("\n")
            for key, value in manager.properties(unit):
                if options["properties"] and key not in options["properties"]:
                    continue
                out.write("%s\n" % value if options["value"] else "%s=%s\n" % (key, value))
        return 0
    if verb in ("is-active", "is-failed"):
        states = [manager.active_state(u)[0] for u in units]
        if not options["quiet"]:
            out.write("".join(s + "\n" for s in states))
        wanted = "failed" if verb == "is-failed" else "active"
        return 0 if wanted in states else 3 if verb == "is-active" else 1
    if verb == "is-enabled":
        code = 1
        for unit in units:
            if not unit.found:
                raise Failure(
                    "Failed to get unit file state for %s: No such file or directory" % unit.name
                )
            state = manager.enabled_state(unit)
            if not options["quiet"]:
                out.write(state + "\n")
            if state in ("enabled", "enabled-runtime", "static", "alias", "indirect", "generated"):
                code = 0
        return code
    if verb == "status":
        code = 0
        for unit in units:
            if not unit.found:
                sys.stderr.write("Unit %s could not be found.\n" % unit.name)
                code = 4
                continue
            out.write(manager.status_text(unit) + "\n")
            if manager.active_state(unit)[0] != "active":
                code = code or 3
        return code
    if verb == "cat":
        for unit in units:
            unit.check()
            for path in [unit.fragment or unit.sysv] + unit.dropins:
                with open(path, encoding="utf-8", errors="replace") as handle:
                    out.write("# %s\n%s\n" % (path, handle.read()))
        return 0
    messages = []
    killed = []
    for unit in units:
        if verb == "start":
            manager.start(unit)
        elif verb == "stop":
            killed += manager.stop(unit)
        elif verb in ("restart", "try-restart", "condrestart") or (
            verb in ("reload-or-restart", "try-reload-or-restart", "force-reload")
            and not can_reload(unit)
        ):
            if (
                verb != "restart"
                and verb != "reload-or-restart"
                and manager.active_state(unit)[0] != "active"
            ):
                continue
            killed += manager.stop(unit)
            manager.start(unit)
        elif verb in ("reload", "reload-or-restart", "try-reload-or-restart", "force-reload"):
            if manager.active_state(unit)[0] != "active":
                if verb == "reload-or-restart":
                    manager.start(unit)
                elif verb == "reload":
                    manager.reload(unit)
                continue
            manager.reload(unit)
        elif verb in ("enable", "reenable", "preset"):
            if verb == "reenable":
                manager.disable(unit, messages)
            manager.enable(unit, messages)
            if options["now"]:
                manager.start(unit)
        elif verb == "disable":
            manager.disable(unit, messages)
            if options["now"]:
                killed += manager.stop(unit)
        elif verb == "mask":
            manager.mask(unit, messages)
        elif verb == "unmask":
            manager.unmask(unit, messages)
        elif verb == "kill":
            unit.check()
            state = manager.load_state(unit.name)
            manager.kill_unit(unit, state, signal_number(options["signal"], "SIGTERM"), 0)
        elif verb == "reset-failed":
            pass
    if messages and not options["quiet"]:
        sys.stderr.write("".join(m + "\n" for m in messages))
    if killed:
        sys.stderr.write(
            "Killed with SIGKILL after the stop timeout: %s\n" % " ".join(map(str, killed))
        )
    return 0


# ---------------------------------------------------------------- before the commit


def finish(manager, args):
    """Stops what runs, reports every unit the playbook touched, derives the run config."""
    report_path = args[0]
    cmd_service = args[1] if len(args) > 1 and args[1] else None
    report = {"services": [], "killed": []}
    touched = []
    for path in glob.glob(os.path.join(manager.state_dir, "*.json")):
        name = os.path.basename(path)[:-5]
        state = manager.load_state(name)
        if state.get("touched"):
            touched.append((state["touched"], name))
    units = [Unit(name) for _, name in sorted(touched)]
    states = {}
    for unit in units:
        states[unit.name] = manager.active_state(unit)[0]
    # The last started first, as systemd stops them at shutdown.
    for unit in reversed(units):
        if states[unit.name] == "active" or unit_processes(unit.name):
            try:
                killed = manager.stop(unit, FINISH_STOP_LIMIT)
            except Failure as error:
                sys.stderr.write("Stopping %s before the commit: %s\n" % (unit.name, error))
                killed = []
            if killed:
                report["killed"].append(unit.name)
                sys.stderr.write("%s did not stop within its stop timeout: killed\n" % unit.name)
    for unit in units:
        report["services"].append(
            {
                "name": unit.name,
                "state": states[unit.name],
                "enabled": manager.enabled_state(unit) if unit.found else "not-found",
            }
        )
    code = 0
    if cmd_service:
        try:
            report["runConfig"] = derive_run_config(Unit(unit_name(cmd_service)))
        except Failure as error:
            report["error"] = "cmd-from-service: %s" % error
            sys.stderr.write(report["error"] + "\n")
            code = 1
    # The executor's own_file: the folder is shared with whoever has the runner's uid.
    from executor import own_file

    with os.fdopen(own_file(report_path), "w") as handle:
        json.dump(report, handle)
    return code


SUPERVISOR = "/usr/local/sbin/ansible-image-service"


def derive_run_config(unit):
    """What `docker run IMAGE` runs for the service: its command, or a supervisor script for it."""
    if unit.masked or not unit.found:
        raise Failure("%s has no unit file and no init script in %s" % (unit.name, INIT_D))
    if unit.error:
        raise Failure(unit.error)
    config = {"service": unit.name, "source": unit.fragment or unit.sysv}
    if unit.sysv:
        config.update(cmd=[SUPERVISOR], supervisor=True)
        write_supervisor(sysv_supervisor(unit))
        return config
    commands = unit_commands(unit, "ExecStart")
    if len(commands) != 1:
        raise Failure(
            "%s has %d ExecStart= lines (%s): a container runs one main command"
            % (
                unit.name,
                len(commands),
                ", ".join(c.setting.where() for c in commands) or unit.fragment,
            )
        )
    env = unit_environment(unit)
    command = commands[0]
    path, argv = command.resolve(dict(base_environment(), **env))
    user = unit.setting("User")
    directory = unit.setting("WorkingDirectory")
    if directory:
        directory = unit.expand(unit.settings("WorkingDirectory")[-1]).lstrip("-")
        if directory == "~":
            directory = user_home(unit) if user else "/root"
    config.update(env=env, workdir=directory or None)
    kill = unit.setting("KillSignal", "SIGTERM")
    simple = (
        unit.type in ("simple", "exec", "notify", "idle", "dbus")
        and not any(
            unit.settings(key)
            for key in ("ExecStartPre", "ExecStartPost", "ExecStop", "RuntimeDirectory")
        )
        and signal_number(kill, "SIGTERM") == signal.SIGTERM
        and not command.ignore_failure
        and "@" not in re.match(r"^[-@:+!]*", command.setting.value).group(0)
    )
    if simple:
        group = unit.setting("Group")
        config.update(
            cmd=[path] + argv[1:],
            supervisor=False,
            user=(user + (":" + group if group else "")) if user else None,
        )
        return config
    config.update(cmd=[SUPERVISOR], supervisor=True)
    write_supervisor(unit_supervisor(unit, command, path, argv))
    return config


def as_user_prefix(unit):
    """Runs a command as the unit's User=: setpriv where the image has it, else su."""
    user = unit.setting("User")
    if not user:
        return ""
    uid, gid = user_ids(unit)
    if os.access("/usr/bin/setpriv", os.X_OK) or os.access("/bin/setpriv", os.X_OK):
        return "setpriv --reuid=%d --regid=%d --init-groups -- " % (uid, gid)
    raise Failure(
        "%s runs as User=%s, and the image has no setpriv (util-linux) to switch to it"
        % (unit.name, user)
    )


def quote(words):
    return " ".join(shlex.quote(w) for w in words)


SUPERVISOR_HEAD = """#!/bin/sh
# Runs %(name)s in the foreground for `docker run`, as it ran during the build (made by the
# ansible-image action for cmd-from-service, from %(source)s). SIGTERM or SIGINT stops it.
set -u
main=""
"""

SUPERVISOR_LOOP = """
trap stop TERM INT
%(start)s
# Lives as long as the service does; as PID 1 it also reaps what the service leaves behind.
while %(running)s; do sleep 1 & wait $!; done
"""


def unit_supervisor(unit, command, path, argv):
    prefix = as_user_prefix(unit)
    stop_limit = min(
        parse_timespan(unit.setting("TimeoutStopSec", unit.setting("TimeoutSec")), 90) or 8, 8
    )
    lines = [SUPERVISOR_HEAD % {"name": unit.name, "source": unit.fragment}]
    uid, gid = user_ids(unit)
    for kind, root in DIRECTORY_KINDS:
        mode = unit.setting(kind + "DirectoryMode", "0755")
        for name in unit.words(kind + "Directory"):
            target = os.path.join(root, name)
            lines.append(
                "mkdir -p %s && chmod %s %s && chown %d:%d %s\n"
                % (shlex.quote(target), mode, shlex.quote(target), uid, gid, shlex.quote(target))
            )

    def step(cmd):
        p, a = cmd.resolve(dict(base_environment(), **unit_environment(unit)))
        words = [p] + a[1:]
        text = prefix + quote(words)
        return ("%s || true\n" if cmd.ignore_failure else "%s || exit $?\n") % text

    for cmd in unit_commands(unit, "ExecStartPre"):
        lines.append(step(cmd))
    stops = unit_commands(unit, "ExecStop")
    kill = signal_number(unit.setting("KillSignal"), "SIGTERM")
    stop_body = "".join(
        '  MAINPID="$main" ' + step(c).replace(" || exit $?", " || true") for c in stops
    )
    lines.append(
        'stop() {\n  trap \'\' TERM INT\n%s  [ -n "$main" ] && kill -%d "$main" 2>/dev/null\n'
        '  i=0\n  while [ -n "$main" ] && kill -0 "$main" 2>/dev/null && [ "$i" -lt %d ]; do sleep 0.1; i=$((i + 1)); done\n'
        '  [ -n "$main" ] && kill -KILL "$main" 2>/dev/null\n  exit 0\n}\n'
        % (stop_body, kill, int(stop_limit * 10))
    )
    words = prefix + quote([path] + argv[1:])
    if unit.type == "forking":
        pid_file = unit.expand(unit.settings("PIDFile")[-1]) if unit.settings("PIDFile") else None
        if not pid_file:
            raise Failure(
                "%s is Type=forking without PIDFile=: its main process cannot be followed in a container"
                % unit.name
            )
        start = (
            '%s || exit $?\ni=0\nwhile [ ! -s %s ] && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done\n'
            'main="$(cat %s 2>/dev/null)"\n[ -n "$main" ] || { echo "%s: no PID in %s" >&2; exit 1; }'
            % (words, shlex.quote(pid_file), shlex.quote(pid_file), unit.name, pid_file)
        )
    else:
        start = "%s &\nmain=$!" % words
    for cmd in unit_commands(unit, "ExecStartPost"):
        start += "\n" + step(cmd).rstrip("\n")
    lines.append(SUPERVISOR_LOOP % {"start": start, "running": 'kill -0 "$main" 2>/dev/null'})
    return "".join(lines)


def sysv_supervisor(unit):
    script = shlex.quote(unit.sysv)
    lines = [
        SUPERVISOR_HEAD % {"name": unit.name, "source": unit.sysv},
        "stop() {\n  trap '' TERM INT\n  %s stop\n  exit 0\n}\n" % script,
    ]
    # Without a working `status`, the service counts as running until it is stopped.
    lines.append(
        SUPERVISOR_LOOP
        % {
            "start": "%s start || exit $?\n%s status >/dev/null 2>&1 || status_works=no"
            % (script, script),
            "running": '[ "${status_works:-yes}" = no ] || %s status >/dev/null 2>&1' % script,
        }
    )
    return "".join(lines)


def write_supervisor(text):
    directory = os.path.dirname(SUPERVISOR)
    if not os.path.isdir(directory):
        os.makedirs(directory, 0o755)
    with open(SUPERVISOR, "w") as handle:
        handle.write(text)
    os.chmod(SUPERVISOR, 0o755)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
