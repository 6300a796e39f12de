#!/bin/sh
# Runs inside the build container through `docker exec`, before and after the playbook.
#   prepare PYTHON_MODE DIR SOCKET   create our scratch folder; note whether the base image has
#                             package lists; install Python if it is missing; start the
#                             executor (executor.py next to SOCKET) for Ansible's tasks, with
#                             the token in ANSIBLE_IMAGE_EXECUTOR_TOKEN
#   finish  PYTHON_MODE DIR SOCKET   stop the executor; remove what prepare added (Python unless
#                             kept) and the package lists and caches that the base image did
#                             not have
# PYTHON_MODE: auto (install, remove again unless needed), keep, never.
set -eu
action="$1" mode="$2" dir="$3" socket="$4"
state="$dir/prepared"
# Only the executor gets the token: what else this script starts has no use for it. (A name
# of our own: one the environment already has would be exported with the secret in it.)
ansible_image_executor_token_="${ANSIBLE_IMAGE_EXECUTOR_TOKEN:-}"
unset ANSIBLE_IMAGE_EXECUTOR_TOKEN

python_command() {
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
    "$python" "$(dirname "$socket")/executor.py" "$socket"; then
    echo "The executor did not start on $python"
  fi
}

stop_executor() {
  if [ -f "$socket.pid" ]; then kill "$(cat "$socket.pid")" 2>/dev/null || true; fi
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
  # Lists and downloaded packages are build leftovers unless the base image shipped them.
  if command -v apt-get >/dev/null 2>&1; then
    if apt_lists_empty; then : >"$dir/clean-apt-lists"; fi
    if apt_cache_empty; then : >"$dir/clean-apt-cache"; fi
    dpkg-query -W -f='${db:Status-Abbrev} ${binary:Package}\n' | awk '$1 ~ /^.i/ { print $2 }' |
      without_native_arch >"$dir/base-packages"
    write_apt_config
  fi
  [ "$mode" = never ] && return 0
  has_python && return 0
  echo "Python is missing: installing it for Ansible (python: $mode)"
  if command -v apt-get >/dev/null 2>&1; then
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

finish() {
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
}

case "$action" in
prepare)
  prepare
  start_executor
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
