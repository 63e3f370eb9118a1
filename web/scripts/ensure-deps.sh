#!/usr/bin/env bash
# Installs web/node_modules from package-lock.json with `npm ci`, unless the lock file has
# not changed since the last install (a hash of it is kept in node_modules).
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.redress-lock-sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
echo "web: npm ci"
npm ci --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
