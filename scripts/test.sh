#!/usr/bin/env bash
# The whole test suite on a fresh machine: set-up, lint, bundle check, unit and integration.
set -euo pipefail
cd "$(dirname "$0")/.."
SETUP_REGISTRY=1 bash scripts/setup.sh
npm ci --no-audit --no-fund

npm run lint
# README.md's input and output tables must say what action.yml says.
node scripts/readme-tables.mjs --check
# The committed dist/ must be exactly what the sources bundle to.
npm run build
if [[ -d .git ]] && ! git diff --quiet -- dist; then
  git --no-pager diff --stat -- dist
  echo "dist/ is out of date: run npm run build and commit it" >&2
  exit 1
fi
npm run test:unit
npm run test:integration
