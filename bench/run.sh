#!/usr/bin/env bash
# Runs the benchmarks (not part of the tests) and rewrites bench/RESULTS.md and scaling.svg.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
[[ -d node_modules ]] || npm ci --no-audit --no-fund
[[ -f dist/index.js ]] || npm run build
node bench/bench.mjs
node bench/report.mjs
