#!/usr/bin/env bash
# Prepares a Debian 12 machine (as root) for the example and the tests: installs what is
# missing, starts dockerd when it is not running, and creates the local base images that a
# registry would otherwise provide. Idempotent: a second run only checks.
set -euo pipefail

log() { printf '[setup] %s\n' "$*" >&2; }

need_packages=()
command -v dockerd >/dev/null || need_packages+=(docker.io)
command -v packer >/dev/null || need_packages+=(packer)
command -v ansible-playbook >/dev/null || need_packages+=(ansible)
command -v debootstrap >/dev/null || need_packages+=(debootstrap)
# Lint and unit tests of what runs in the build container.
command -v shellcheck >/dev/null || need_packages+=(shellcheck)
/usr/bin/python3 -c 'import pytest' 2>/dev/null || need_packages+=(python3-pytest)
# The tests install ansible-core into a virtual environment.
python3 -m venv --help >/dev/null 2>&1 || need_packages+=(python3-venv)
if [[ "${SETUP_REGISTRY:-0}" == 1 ]]; then
  command -v docker-registry >/dev/null || need_packages+=(docker-registry)
  command -v htpasswd >/dev/null || need_packages+=(apache2-utils)
  # An independent reader of the OCI layouts that export writes.
  command -v skopeo >/dev/null || need_packages+=(skopeo)
fi
if ((${#need_packages[@]})); then
  log "installing ${need_packages[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_packages[@]}" >/dev/null
fi

# The Docker client may come from elsewhere (e.g. /usr/local/bin); the engine is Debian's.
export DOCKER_HOST="${DOCKER_HOST:-unix:///var/run/docker.sock}"
if ! docker version >/dev/null 2>&1; then
  log "starting dockerd"
  # No bridge: these machines must keep container traffic on loopback or the host network.
  nohup dockerd --bridge=none --iptables=false --ip-masq=false >/var/log/dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker version >/dev/null 2>&1 && break
    sleep 0.5
  done
  docker version >/dev/null 2>&1 || {
    tail -20 /var/log/dockerd.log >&2
    log "dockerd did not come up"
    exit 1
  }
fi

# The mirror apt already uses; nothing else is reachable from these machines.
mirror() {
  local uri
  uri="$(grep -h -m1 -E '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
    grep -v -- '-security' | head -1 | sed -E 's/^URIs:[[:space:]]*//; s/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?//' | awk '{print $1}')"
  [[ -n "$uri" ]] || {
    log "no Debian mirror found in apt's sources"
    exit 1
  }
  printf '%s' "$uri"
}

build_base() {
  local suite="$1" image="debian:$1-slim" root
  docker image inspect "$image" >/dev/null 2>&1 && return 0
  log "creating $image with debootstrap"
  root="$(mktemp -d)"
  # Like Docker Hub's -slim images: a minimal system without Python.
  debootstrap --variant=minbase "$suite" "$root" "$(mirror)" >"$root.log" 2>&1 || {
    tail -20 "$root.log" >&2
    rm -rf "$root" "$root.log"
    return 1
  }
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
  tar -C "$root" -c . | docker import -c 'CMD ["bash"]' - "$image" >/dev/null
  rm -rf "$root" "$root.log"
}

# The tests' second controller, ansible-core 2.19 on Python 3.13 from Debian trixie: an image
# with Node, Ansible and the Docker CLI that acts as the runner (see __tests__/runner.ts).
build_runner() {
  local image="$1" container=itg-runner-build
  docker image inspect "$image" >/dev/null 2>&1 && return 0
  log "creating $image (Debian trixie's ansible, nodejs and docker-cli)"
  docker rm -f "$container" >/dev/null 2>&1 || true
  docker run --network host --name "$container" debian:trixie-slim sh -c \
    'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ansible nodejs docker-cli ca-certificates >/dev/null && rm -rf /var/lib/apt/lists/*' \
    >"/tmp/$container.log" 2>&1 || {
    tail -20 "/tmp/$container.log" >&2
    docker rm -f "$container" >/dev/null 2>&1
    return 1
  }
  docker commit "$container" "$image" >/dev/null
  docker rm "$container" >/dev/null
  rm -f "/tmp/$container.log"
}

read -ra suites <<<"${SETUP_SUITES:-bookworm trixie bullseye}"
pids=()
for suite in "${suites[@]}"; do
  build_base "$suite" &
  pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
if [[ -n "${SETUP_RUNNER_IMAGE:-}" ]]; then build_runner "$SETUP_RUNNER_IMAGE" || status=1; fi
exit "$status"
