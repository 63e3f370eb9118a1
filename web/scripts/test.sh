#!/usr/bin/env bash
# The front end's tests, run by `make test` after ctest: install, type-check and build,
# check the bundle budget, Vitest unit tests, then the end-to-end suite in Chromium against
# the real server (REDRESS_BINARY). Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${REDRESS_BINARY:-}" ] || [ ! -x "$REDRESS_BINARY" ]; then
  echo "web/scripts/test.sh: REDRESS_BINARY must name the built redress binary (got '${REDRESS_BINARY:-}')" >&2
  exit 2
fi

./scripts/build.sh
node scripts/bundle-size.mjs
npx vitest run
node --test --test-concurrency=1 --test-timeout=120000 --test-reporter=spec e2e/
