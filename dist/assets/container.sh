#!/bin/sh
# Runs inside the build container through `docker exec`, before and after the playbook.
#   prepare PYTHON_MODE DIR SOCKET TREE SERVICE   create our scratch folder; note whether
#                             the base image has package lists and what is in /run; give
#                             Ansible a Python if the image has none; install the build-time
#                             service manager; start the executor (executor.py next to SOCKET)
#                             for Ansible's tasks, with the token in ANSIBLE_IMAGE_EXECUTOR_TOKEN
#   unpack  PYTHON_MODE FILES SOCKET TREE SERVICE   unpack the release's python3 into TREE (in a
#                             container of its own, before the build), with the launcher and
#                             sitecustomize.py from FILES (the runner's outside-python folder)
#   keep    PYTHON_MODE DIR SOCKET TREE SERVICE   before keep-failed commits the container of a
#                             failed build as it stands: remove what is ours, which works only
#                             with the runner (the service manager, the apt setting) or may hold
#                             secrets (Ansible's temporary files and async results in DIR, a
#                             stopped module's payload), and what is new in /run, as a good build
#                             does; leave the rest of the playbook's work as it is
#   finish  PYTHON_MODE DIR SOCKET TREE SERVICE   stop the executor, the services and
#                             every other process the playbook left running; remove what prepare
#                             added (Python unless kept, the service manager), what is new in
#                             /run, and the package lists and caches that the base image did not
#                             have
# PYTHON_MODE: auto (outside the image where it can, else installed and removed again unless
# needed), keep (installed), never. TREE: where the runner's folder for this base image's Python
# outside the image is mounted, or empty where that Python is not to be used. SERVICE:
# cmd-from-service, or empty.
set -eu
action="$1" mode="$2" dir="$3" socket="$4" tree="$5" service="$6"
# Shared with the runner, like the socket: the runner tells Ansible what it finds here.
shared="$(dirname "$socket")"
state="$dir/prepared"
# Only the executor gets the token: what else this script starts has no use for it. (A name
# of our own: one the environment already has would be exported with the secret in it.)
ansible_image_executor_token_="${ANSIBLE_IMAGE_EXECUTOR_TOKEN:-}"
unset ANSIBLE_IMAGE_EXECUTOR_TOKEN

python_command() {
  if [ -f "$shared/python" ]; then
    echo "$tree/python3"
    return 0
  fi
  for candidate in python3 python /usr/libexec/platform-python; do
    command -v "$candidate" 2>/dev/null && return 0
  done
  return 1
}

has_python() {
  python_command >/dev/null
}

# The executor runs on the image's Python 3; where it cannot start, Ansible uses docker exec.
start_executor() {
  if [ -z "$ansible_image_executor_token_" ]; then
    echo "No token for the executor (ANSIBLE_IMAGE_EXECUTOR_TOKEN): not starting it"
    return 0
  fi
  python="$(python_command)" || return 0
  if ! ANSIBLE_IMAGE_EXECUTOR_TOKEN="$ansible_image_executor_token_" \
    "$python" "$shared/executor.py" "$socket" "$python"; then
    echo "The executor did not start on $python"
  fi
}

stop_executor() {
  [ -f "$socket.pid" ] || return 0
  pid="$(cat "$socket.pid")"
  kill "$pid" 2>/dev/null || return 0
  # Gone before the processes that are left are stopped, as the playbook's.
  i=0
  while [ -d "/proc/$pid" ] && [ "$i" -lt 50 ]; do sleep 0.1 && i=$((i + 1)); done
}

# The build-time service manager (services/systemctl.py, next to the executor), where there is a
# Python to run it, with the directory by which Ansible, `service` and Debian's package scripts
# tell that systemd manages services. Its launcher goes first on PATH, ahead of an image's own
# systemctl, which it leaves as it is; and where the image has none, also where package
# scripts look, whose PATH lacks /usr/local/sbin.
manager_mark="the ansible-image action's build-time service manager"

install_service_manager() {
  [ -f "$shared/systemctl.py" ] || return 0
  python="$(python_command)" || return 0
  # A running executor shows that this Python works; else it must show it itself.
  if [ ! -S "$socket" ] && ! "$python" -I -B "$shared/systemctl.py" "$dir/services" --version >/dev/null; then
    echo "The service manager did not start on $python: services are left to the image's own tools"
    return 0
  fi
  if [ ! -d /usr/local/sbin ]; then mkdir -p /usr/local/sbin && : >"$dir/made-local-sbin"; fi
  if [ -e /usr/local/sbin/systemctl ] || [ -L /usr/local/sbin/systemctl ]; then
    mv /usr/local/sbin/systemctl "$dir/image-systemctl"
  fi
  # Imported rather than run, so that its compiled code is kept, in our scratch folder (Python
  # 3.8 and later): 20 ms less for each call. Older ones compile it each time.
  mkdir -p "$dir/pycache"
  launch="import sys; sys.pycache_prefix = '$dir/pycache'; sys.dont_write_bytecode = sys.version_info < (3, 8); sys.path.insert(0, '$shared'); import systemctl; sys.exit(systemctl.main(sys.argv))"
  launchers=/usr/local/sbin/systemctl
  if ! command -v systemctl >/dev/null 2>&1; then launchers="$launchers /usr/bin/systemctl"; fi
  for launcher in $launchers; do
    cat >"$launcher" <<MANAGER
#!/bin/sh
# $manager_mark; removed before the commit
launch="$launch"
exec "$python" -I -c "\$launch" "$dir/services" "\$@"
MANAGER
    chmod 755 "$launcher"
  done
  mkdir -p /run/systemd/system
  : >"$dir/service-manager"
}

remove_service_manager() {
  [ -f "$dir/service-manager" ] || return 0
  # A package that the playbook installed may have put its own there meanwhile.
  for launcher in /usr/local/sbin/systemctl /usr/bin/systemctl; do
    if grep -qF "$manager_mark" "$launcher" 2>/dev/null; then rm -f "$launcher"; fi
  done
  if [ -e "$dir/image-systemctl" ] || [ -L "$dir/image-systemctl" ]; then
    mv "$dir/image-systemctl" /usr/local/sbin/systemctl
  fi
  if [ -f "$dir/made-local-sbin" ]; then rmdir /usr/local/sbin 2>/dev/null || true; fi
}

# Stops the services that still run, writes the report for the runner and, for cmd-from-service,
# the run config.
finish_services() {
  [ -f "$dir/service-manager" ] || return 0
  # Nothing to stop or report, and no run config to derive: no Python to start either.
  if [ -z "$service" ] && ! ls "$dir/services/"*.json >/dev/null 2>&1; then return 0; fi
  /usr/local/sbin/systemctl ansible-image-finish "$shared/services.json" "$service"
}

# Folders that a reboot would empty: what the build left there must not reach the image.
run_folders() {
  for folder in /run /var/run; do
    if [ -d "$folder" ] && [ ! -L "$folder" ]; then find "$folder" -xdev -mindepth 1 -depth; fi
  done 2>/dev/null || true
}

clean_run() {
  run_folders | grep -vxF -f "$dir/run-before" | while IFS= read -r path; do
    rm -rf "$path"
  done
}

# Processes that the playbook left running: all but those of PID 1's session (PID 1 and the
# sleep it waits on, see packer/template.ts) and of this script's (docker exec makes each
# command a session leader; what the playbook started has sessions of its own).
leftover_processes() {
  for entry in /proc/[0-9]*; do
    stat="$(cat "$entry/stat" 2>/dev/null)" || continue
    # shellcheck disable=SC2086 # the fields after the command's name, which may hold spaces
    set -- ${stat##*) }
    if [ "$1" != Z ] && [ "$4" != 1 ] && [ "$4" != "$$" ]; then echo "${entry#/proc/}"; fi
  done
}

# TERM, a short grace, then KILL; the runner warns about what needed KILL.
stop_leftovers() {
  pids="$(leftover_processes)"
  [ -n "$pids" ] || return 0
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  # shellcheck disable=SC2086
  kill -CONT $pids 2>/dev/null || true
  i=0
  while [ -n "$pids" ] && [ "$i" -lt 30 ]; do
    sleep 0.1
    i=$((i + 1))
    pids="$(leftover_processes | grep -xF "$pids" || true)"
  done
  killed=""
  for pid in $pids; do
    name="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-200)"
    kill -KILL "$pid" 2>/dev/null || continue
    echo "Killed before the commit, it ignored SIGTERM: $name"
    killed="$killed$name
"
  done
  if [ -n "$killed" ]; then printf '%s' "$killed" | new_shared_file "$shared/leftovers"; fi
}

# Writes a new file in a folder shared with the runner from standard input. Whoever else can
# write there (a user with the runner's uid) may have put a link in its place, to a file of
# root's: the old entry goes, and noclobber makes the shell create the file anew or fail.
new_shared_file() {
  rm -f "$1"
  (
    set -C
    cat >"$1"
  )
}

apt_lists_empty() {
  [ -z "$(find /var/lib/apt/lists -maxdepth 1 -type f ! -name lock 2>/dev/null | head -n 1)" ]
}

apt_cache_empty() {
  [ -z "$(find /var/cache/apt -type f -name '*.deb' -o -type f -name '*.bin' 2>/dev/null | head -n 1)" ]
}

# apt settings for the build only, for this script's apt runs and the playbook's (with become
# too, which resets the environment): no fsync per unpacked file, since the container is thrown
# away anyway if the build fails; and, where the lists go again at the end, no translations to
# fetch (0.7 s of each `apt-get update` here). The finish step removes the file again.
apt_build_config=/etc/apt/apt.conf.d/00ansible-image-build

write_apt_config() {
  {
    echo 'DPkg::Options { "--force-unsafe-io"; };'
    if [ -f "$dir/clean-apt-lists" ]; then echo 'Acquire::Languages { "none"; };'; fi
  } >"$apt_build_config"
}

# Package names compared the same way whoever prints them (dpkg-query qualifies Multi-Arch:
# same packages, apt may not): without the native architecture's suffix, with a foreign one's.
without_native_arch() {
  sed "s/:$(dpkg --print-architecture)\$//"
}

apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

installed_deb() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q ' installed$'
}

# Installed now, and not in the base image.
new_deb() {
  installed_deb "$1" && ! grep -qxF "$1" "$dir/base-packages"
}

prepare() {
  mkdir -p "$dir" && chmod 700 "$dir"
  : >"$dir/started"
  run_folders >"$dir/run-before"
  apt=""
  if command -v apt-get >/dev/null 2>&1; then apt=yes; fi
  # Lists and downloaded packages are build leftovers unless the base image shipped them.
  if [ -n "$apt" ]; then
    if apt_lists_empty; then : >"$dir/clean-apt-lists"; fi
    if apt_cache_empty; then : >"$dir/clean-apt-cache"; fi
    dpkg-query -W -f='${db:Status-Abbrev} ${binary:Package}\n' | awk '$1 ~ /^.i/ { print $2 }' |
      without_native_arch >"$dir/base-packages"
    write_apt_config
  fi
  [ "$mode" = never ] && return 0
  has_python && return 0
  # executor.py shows that the runner's folders are mounted here, and not on the machine of a
  # remote engine, where the runner would not find the Python's path. Without a launcher the
  # runner could not make it (and said why): Python goes into the image instead.
  if [ "$mode" = auto ] && [ -n "$apt" ] && [ -n "$tree" ] && [ -f "$shared/executor.py" ] &&
    request_python && [ -x "$tree/python3" ]; then
    echo "Python is missing: Ansible uses the release's python3 from the runner's cache, outside the image"
    # The runner knows where the launcher is; this only says that Ansible is to use it.
    new_shared_file "$shared/python" </dev/null
    # Users that the playbook makes reach it too, through Packer's folder (the runner's, 0700).
    chmod 711 "$(dirname "$tree")"
    return 0
  fi
  echo "Python is missing: installing it for Ansible (python: $mode)"
  if [ -n "$apt" ]; then
    : >"$state.apt"
    if [ -f "$dir/clean-apt-lists" ]; then apt-get update -qq; fi
    # Ansible's apt module would install python3-apt by itself, in an apt run of its own; in
    # the same transaction it costs a fraction of that. It goes again with Python.
    apt_install python3 python3-apt || apt_install python3
  elif command -v apk >/dev/null 2>&1; then
    : >"$state.apk"
    apk add --no-cache --virtual .ansible-python python3 >/dev/null
  else
    for pm in dnf microdnf yum zypper; do
      command -v "$pm" >/dev/null 2>&1 || continue
      : >"$state.$pm"
      case "$pm" in
      zypper) zypper -n -q install python3 ;;
      *) "$pm" -y -q install python3 ;;
      esac
      return 0
    done
    echo "No Python in the image and no known package manager (apt-get, apk, dnf, microdnf, yum, zypper) to install it; set python: never and provide Python in the base image" >&2
    exit 1
  fi
}

# Asks the runner for the Python kept outside the image, which only the runner may write (see
# outside-python/cache.ts), and waits for its answer.
request_python() {
  new_shared_file "$shared/python-wanted" </dev/null
  i=0
  # A link counts as an answer too: the runner never makes one, and a dangling one would hold
  # the build here.
  while [ ! -e "$shared/python-answered" ] && [ ! -L "$shared/python-answered" ] &&
    [ "$i" -lt 15000 ]; do
    sleep 0.02
    i=$((i + 1))
  done
}

# Ansible's Python for an apt-based image that has none: the release's own python3 and
# python3-apt, unpacked into the runner's cache instead of installed. Nothing goes into the
# image, so nothing has to be removed again, and the next build on the same base image unpacks
# nothing. The runner's folder is this base image's alone. This runs in a container of its own
# before the build (see outside-python/unpack.ts): build containers get the folder read-only.
# Unpacks into a folder of its own, then moves that into place, the launcher last: it marks a
# complete tree. What is cached belongs to the runner's user and is compiled already: Python
# runs with -B, and so never writes there as root.
unpack_python() (
  files="$1"
  # What a cancelled build left behind, which only root could remove.
  find "$tree" -maxdepth 1 -name '.unpacking-*' -mmin +60 -exec rm -rf {} + 2>/dev/null || true
  work="$(mktemp -d "$tree/.unpacking-XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  chmod 755 "$work"
  mkdir -p "$work/debs/partial" "$work/lists/partial"
  # apt downloads as its own user where it can.
  chown _apt "$work/debs/partial" "$work/lists/partial" 2>/dev/null || true
  # Lists of our own, fetched afresh: the playbook sees the image's lists as the base image
  # has them, whether the cache had this Python or not. Package indexes are all it needs.
  set -- -o Dir::State::Lists="$work/lists/" -o Dir::Cache::Archives="$work/debs/" \
    -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o Acquire::Languages=none
  apt-get "$@" update -qq
  # Only what the image lacks: the rest is the base image's own, whose folder this is.
  for packages in "python3 python3-apt" python3; do
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get "$@" install -y -qq --download-only \
      --no-install-recommends $packages >/dev/null && break
  done
  if ! ls "$work"/debs/*.deb >/dev/null 2>&1; then
    echo "Could not download python3 for Ansible (see apt's messages above); or set python: never and provide Python in the base image" >&2
    exit 1
  fi
  # Packages have no files in common: each core unpacks its own.
  find "$work/debs" -name "*.deb" -print0 | xargs -0 -P "$(nproc 2>/dev/null || echo 2)" -I{} dpkg-deb -x {} "$work/root"
  rm -rf "$work/debs" "$work/lists"
  libraries=""
  for lib in "$work"/root/lib/*-linux-gnu* "$work"/root/usr/lib/*-linux-gnu*; do
    if [ -d "$lib" ]; then libraries="$libraries${libraries:+:}$tree${lib#"$work"}"; fi
  done
  # Debian's is a link to /etc/python3.X/sitecustomize.py, which would be the image's.
  for stdlib in "$work"/root/usr/lib/python3.*/; do
    rm -f "${stdlib}sitecustomize.py"
    cp "$files/sitecustomize.py" "$stdlib"
  done
  # Paths of the release's multiarch folders below our mount: no | or & for sed to mistake.
  sed -e "s|@LIBRARIES@|$libraries|" -e "s|@TREE@|$tree|" "$files/launcher.sh" >"$work/python3"
  chmod 755 "$work/python3"
  LD_LIBRARY_PATH="$(echo "$libraries" | sed "s|$tree|$work|g")" "$work/root/usr/bin/python3" \
    -m compileall -q -j 0 -s "$work" -p "$tree" "$work/root/usr/lib" >/dev/null ||
    echo "Could not compile all of Python's library ahead: what is left compiles as it is imported"
  chown -R "$(stat -c %u:%g "$tree")" "$work"
  # A tree without its launcher is one that a killed build left half moved.
  if [ ! -e "$tree/python3" ]; then rm -rf "$tree/root"; fi
  # Another build may have unpacked the same meanwhile: then that one serves.
  if mv -T "$work/root" "$tree/root" 2>/dev/null; then mv "$work/python3" "$tree/python3"; fi
  if [ ! -x "$tree/python3" ]; then
    echo "Could not move the unpacked Python into $tree" >&2
    exit 1
  fi
)

# The packages in apt's simulated removals (Remv and Purg lines).
apt_simulated_removals() {
  awk '$1 == "Remv" || $1 == "Purg" { print $2 }' | without_native_arch
}

# What Ansible needed goes again: Python if we installed it, and python3-apt, which the apt
# module installs by itself on a base that has Python. Only what marking those two as
# automatically installed made unneeded is purged, never a package of the base image, and
# never an orphan that the playbook itself left behind.
remove_apt_packages() {
  needed=""
  if [ -f "$state.apt" ] && installed_deb python3; then needed="python3"; fi
  if new_deb python3-apt; then needed="$needed python3-apt"; fi
  [ -n "$needed" ] || return 0
  apt-get -s autoremove | apt_simulated_removals >"$dir/orphans-before"
  # shellcheck disable=SC2086
  apt-mark auto $needed >/dev/null
  orphans="$(apt-get -s autoremove | apt_simulated_removals |
    grep -vxF -f "$dir/orphans-before" | grep -vxF -f "$dir/base-packages" || true)"
  [ -n "$orphans" ] || return 0
  # Purging also removes whatever depends on a purged package.
  # shellcheck disable=SC2086
  if apt-get -s purge $orphans | apt_simulated_removals | grep -qxF -f "$dir/base-packages"; then
    echo "Python stays: removing it would take packages of the base image with it"
    return 0
  fi
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq $orphans >/dev/null
}

# Removes Python only where nothing else needs it, with the package manager's own rules.
remove_python() {
  if [ -f "$dir/base-packages" ]; then
    remove_apt_packages
  elif [ -f "$state.apk" ]; then
    apk del --no-cache .ansible-python >/dev/null
  elif [ -f "$state.dnf" ]; then
    dnf -y -q mark remove python3 && dnf -y -q autoremove
  elif [ -f "$state.yum" ] || [ -f "$state.microdnf" ] || [ -f "$state.zypper" ]; then
    if rpm -q --whatrequires python3 >/dev/null 2>&1; then
      echo "Python stays: other packages need it"
    elif [ -f "$state.zypper" ]; then
      zypper -n -q remove python3
    elif [ -f "$state.yum" ]; then
      yum -y -q remove python3
    else
      microdnf -y remove python3
    fi
  fi
}

drop_apt_lists() {
  if [ -f "$dir/clean-apt-lists" ]; then rm -rf /var/lib/apt/lists/*; fi
}

# What the playbook left in the folders that the runner shares belongs to the runner's user
# again, who could not remove a folder of root's (the runner warns if it still cannot).
return_shared_files() {
  owner="$(stat -c %u:%g "$shared")"
  find "$(dirname "$shared")" "$shared" -xdev ! -user "${owner%:*}" -exec chown -h "$owner" {} + 2>/dev/null || true
}

# What a module that was stopped before it ended (an async job, say) left of its payload.
remove_module_payloads() {
  find /tmp /var/tmp -maxdepth 1 -name 'ansible_*_payload_*' -newer "$dir/started" \
    -exec rm -rf {} + 2>/dev/null || true
}

finish() {
  finish_services
  stop_leftovers
  remove_service_manager
  clean_run
  remove_module_payloads
  # Lists first: without them apt reads its cache in a tenth of the time, which makes the
  # removal below about 2 s faster. And last: apt recreates lists/partial and auxfiles.
  drop_apt_lists
  if [ "$mode" = auto ]; then remove_python; fi
  if [ -f "$dir/clean-apt-cache" ]; then apt-get clean; fi
  drop_apt_lists
  for pm in dnf microdnf yum zypper; do
    if [ -f "$state.$pm" ]; then "$pm" clean all >/dev/null 2>&1 || true; fi
  done
  rm -rf "$dir" "$apt_build_config"
  return_shared_files
}

case "$action" in
prepare)
  prepare
  start_executor
  install_service_manager
  ;;
unpack)
  unpack_python "$dir"
  ;;
keep)
  remove_service_manager
  clean_run
  remove_module_payloads
  rm -rf "$dir" "$apt_build_config"
  ;;
finish)
  stop_executor
  finish
  ;;
*)
  echo "unknown action $action" >&2
  exit 2
  ;;
esac
