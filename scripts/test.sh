#!/usr/bin/env bash
# The whole test suite on a fresh machine: set-up, lint, bundle check, unit and integration.
set -euo pipefail
cd "$(dirname "$0")/.."
# The tests' second controller: ansible-core 2.19 on Python 3.13 (Debian trixie), in a
# container that acts as the runner (see __tests__/runner.ts).
RUNNER_IMAGE=itg/runner-trixie:1
SETUP_REGISTRY=1 SETUP_ARM64=1 SETUP_RUNNER_IMAGE="$RUNNER_IMAGE" bash scripts/setup.sh
npm ci --no-audit --no-fund

npm run lint
# README.md's input and output tables must say what action.yml says.
node scripts/readme-tables.mjs --check
# The committed dist/ must be exactly what the sources bundle to.
npm run build
if [[ -d .git && -n "$(git status --porcelain -- dist)" ]]; then
  git status --short -- dist
  echo "dist/ is out of date: run npm run build and commit it" >&2
  exit 1
fi
npm run test:unit
npm run test:integration
# What depends on the controller (the playbook, the executor's plugin, services, Galaxy, the
# vars) again on the second one; the runner-side faults, security and push tests need not.
ITG_RUNNER_IMAGE="$RUNNER_IMAGE" npm run test:integration -- \
  build.itg services.itg executor.itg report.itg galaxy.itg vars.itg
