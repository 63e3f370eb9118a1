#!/usr/bin/env bash
# Builds the front end into web/dist (what `redress serve --web-root web/dist` serves).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/ensure-deps.sh
npm run --silent build
