#!/usr/bin/env bash
# The main job: on a fresh machine, build examples/redis with the action and prove that the
# image answers PING. Offline by default: the image stays local, nothing is pushed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
[[ -d node_modules ]] || npm ci --no-audit --no-fund
[[ -f dist/index.js ]] || npm run build

tag="${EXAMPLE_TAG:-example/redis:local}"
port="${EXAMPLE_PORT:-6399}"
node scripts/run-action.mjs \
  playbook=examples/redis/site.yml \
  packer-version=system ansible-version=system \
  base-image="${EXAMPLE_BASE_IMAGE:-debian:bookworm-slim}" \
  tags="$tag" \
  network=host \
  extra-vars="redis_port: $port" \
  changes=$'EXPOSE '"$port"$'\nUSER redis\nCMD ["redis-server", "/etc/redis/redis.conf"]'

name="redis-example-$$"
trap 'docker rm -f "$name" >/dev/null 2>&1 || true' EXIT
docker run -d --rm --network host --name "$name" "$tag" >/dev/null
for _ in $(seq 1 50); do
  if reply="$(docker exec "$name" redis-cli -p "$port" ping 2>/dev/null)" && [[ "$reply" == PONG ]]; then
    echo "$tag answers PING with $reply"
    exit 0
  fi
  sleep 0.2
done
echo "$tag did not answer PING" >&2
docker logs "$name" >&2 || true
exit 1
