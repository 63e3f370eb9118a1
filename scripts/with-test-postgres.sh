#!/usr/bin/env bash
# Runs a command (usually ctest) with a throwaway PostgreSQL cluster, then stops and
# deletes the cluster. The command finds it through REDRESS_TEST_PG_URL, a superuser URL
# of the cluster's `postgres` database; each PostgreSQL test creates and drops its own
# database there, so tests may run in parallel.
#
# pg_virtualenv (Debian postgresql-common) does the work: with -t it puts the cluster in a
# temporary directory and runs the server as the `postgres` user even when we are root
# (initdb refuses root), on the first free port from 5432. fsync is off in that cluster:
# the tests check behaviour, not durability across power loss.
#
# If REDRESS_TEST_PG_URL is already set, that cluster is used and nothing is started.
set -euo pipefail

if [[ -n "${REDRESS_TEST_PG_URL:-}" ]]; then
  exec "$@"
fi
if ! command -v pg_virtualenv >/dev/null; then
  echo "with-test-postgres: pg_virtualenv not found; install postgresql and" \
       "postgresql-common (scripts/install-deps.sh does)" >&2
  exit 1
fi
# Every parallel test holds a few connections (a store has readers and writers).
exec pg_virtualenv -t -o max_connections=500 -o fsync=off bash -c '
  export REDRESS_TEST_PG_URL="postgresql://${PGUSER}:${PGPASSWORD}@${PGHOST}:${PGPORT}/${PGDATABASE}"
  exec "$@"' with-test-postgres "$@"
