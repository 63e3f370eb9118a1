#!/usr/bin/env bash
# HTTP benchmarks of a release build: durable case creations/s and case reads/s through
# the real server, on a throwaway database, over loopback. Prints figures; never passes
# or fails on them (a non-zero exit means the benchmark could not run).
#
#   bench/run.sh RELEASE_DIR          (what `make bench` runs)
#
# Knobs (environment): BENCH_DURATION (wrk -d, default 10s), BENCH_CONNECTIONS (default 64),
# BENCH_LOG_LEVEL (server log level, default warn: per-request info logs would measure the
# log file), BENCH_KEEP=1 (keep the temp dir and print its path).
#
# wrk runs on the same machine as the server, so every figure is "server + load generator
# on the same cores". See bench/README.md.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 RELEASE_DIR   (e.g. build/release)" >&2
  exit 2
fi
release_dir=$1
redress=$release_dir/src/redress
bench_dir=$(cd "$(dirname "$0")" && pwd)
duration=${BENCH_DURATION:-10s}
connections=${BENCH_CONNECTIONS:-64}
wrk_threads=2
server_threads=2

for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is not installed" >&2; exit 2; }
done
[ -x "$redress" ] || { echo "bench: $redress is not built (make build)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/redress-bench.XXXXXX")
db=$work/bench.db
server_pid=

cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    # Bounded: a server that ignores SIGTERM for 5 s gets SIGKILL.
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "${BENCH_KEEP:-0}" = 1 ]; then
    echo "bench: kept $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() {
  echo "bench: $*" >&2
  if [ -s "$work/server.log" ]; then
    echo "--- last lines of the server log:" >&2
    tail -n 20 "$work/server.log" >&2
  fi
  exit 1
}

# ---- setup: schema, an agent with a token, the server, one customer
"$redress" migrate --db "$db" >"$work/setup.log" 2>&1 || die "migrate failed: $(cat "$work/setup.log")"
echo "bench-password-$$" | "$redress" user add --db "$db" --email bench.agent@example.com \
    --role agent --level 1 --name "Bench Agent" --password-stdin >>"$work/setup.log" 2>&1 ||
  die "user add failed: $(cat "$work/setup.log")"
token=$("$redress" token create --db "$db" --email bench.agent@example.com 2>>"$work/setup.log" |
        tail -n 1 | tr -d '[:space:]') || die "token create failed: $(cat "$work/setup.log")"
[ -n "$token" ] || die "token create printed no token"

REDRESS_LOG_LEVEL=${BENCH_LOG_LEVEL:-warn} \
  "$redress" serve --db "$db" --listen 127.0.0.1:0 --threads "$server_threads" \
  --port-file "$work/port" >"$work/server.log" 2>&1 &
server_pid=$!
port=
for _ in $(seq 150); do
  kill -0 "$server_pid" 2>/dev/null || die "the server exited during startup"
  if [ -s "$work/port" ]; then
    port=$(tr -d '[:space:]' <"$work/port")
    [[ $port =~ ^[0-9]+$ ]] && break
    port=
  fi
  sleep 0.1
done
[ -n "$port" ] || die "the server wrote no port to $work/port within 15 s"
base=http://127.0.0.1:$port

# api METHOD PATH [BODY]: prints the body, then the status code on its own last line.
api() {
  local args=(-sS --max-time 10 -X "$1" -H "Authorization: Bearer $token" -w '\n%{http_code}')
  if [ $# -ge 3 ]; then args+=(-H 'Content-Type: application/json' --data-binary "$3"); fi
  curl "${args[@]}" "$base$2"
}
# Newest case id, 0 when there is none. "number" equals the id and, unlike "id", occurs
# only once in a case object (owner has an id too).
newest_case_id() {
  local out
  out=$(api GET '/api/v1/cases?limit=1') || die "GET /api/v1/cases failed"
  [ "$(tail -n 1 <<<"$out")" = 200 ] || die "GET /api/v1/cases answered: $out"
  grep -o '"number": *[0-9]*' <<<"$out" | head -n 1 | tr -dc '0-9' | grep . || echo 0
}

out=$(api POST /api/v1/customers \
      '{"name":"Bench Customer","emails":["bench.customer@example.com"]}') ||
  die "POST /api/v1/customers failed"
[ "$(tail -n 1 <<<"$out")" = 201 ] || die "POST /api/v1/customers answered: $out"
customer_id=$(grep -o '"id": *[0-9]*' <<<"$out" | head -n 1 | tr -dc '0-9')
[ -n "$customer_id" ] || die "no customer id in: $out"

export REDRESS_BENCH_TOKEN=$token REDRESS_BENCH_CUSTOMER=$customer_id

# value KEY FILE: the KEY=value field of the "bench:" lines wrk_report.lua prints.
value() { grep -o "$1=[0-9.]*" "$2" | head -n 1 | cut -d= -f2; }

echo "== Redress HTTP benchmark"
echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "commit:   $(git -C "$bench_dir/.." rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "machine:  $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo))," \
     "load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "server:   $redress, $server_threads I/O threads, SQLite at $db, $base"
echo "load:     wrk -t$wrk_threads -c$connections -d$duration --latency (same machine)"

# ---- 1. durable case creations
echo
echo "== 1. case creations: POST /api/v1/cases (each acknowledged only once durable)"
# Warm-up: first connections, statement caches, the WAL file. Its cases count as data.
wrk -t$wrk_threads -c16 -d2s -s "$bench_dir/create_case.lua" "$base" >/dev/null 2>&1 || true
before=$(newest_case_id)
wrk -t$wrk_threads -c"$connections" -d"$duration" --latency -s "$bench_dir/create_case.lua" \
    "$base" | tee "$work/create.txt"
after=$(newest_case_id)
created_ok=$(value responses_2xx "$work/create.txt")
echo "check: newest case id went from $before to $after: +$((after - before)) cases;" \
     "wrk reported ${created_ok:-?} 2xx responses"
echo "       (the id delta may exceed the count by up to $connections: requests in flight" \
     "when wrk stops are committed but not counted)"
create_rps=$(value ok_rps "$work/create.txt")
create_p99=$(value p99_ms "$work/create.txt")

# ---- 2. case reads
echo
echo "== 2. case reads: GET /api/v1/cases/{id}, random id among the cases just created"
first=$(( before > 0 ? before : 1 ))
[ "$after" -ge "$first" ] || die "no cases to read"
export REDRESS_BENCH_MIN_ID=$first REDRESS_BENCH_MAX_ID=$after
wrk -t$wrk_threads -c16 -d2s -s "$bench_dir/get_case.lua" "$base" >/dev/null 2>&1 || true
wrk -t$wrk_threads -c"$connections" -d"$duration" --latency -s "$bench_dir/get_case.lua" \
    "$base" | tee "$work/read.txt"
read_rps=$(value ok_rps "$work/read.txt")
read_p99=$(value p99_ms "$work/read.txt")

echo
echo "== summary (2xx responses per second; server and wrk share $(nproc) cores)"
printf 'case creations/s: %.0f (p99 %s ms)\n' "${create_rps:-0}" "${create_p99:-?}"
printf 'case reads/s: %.0f (p99 %s ms)\n' "${read_rps:-0}" "${read_p99:-?}"
for phase in create read; do
  bad=$(value non_2xx "$work/$phase.txt")
  if [ "${bad:-0}" != 0 ]; then
    echo "WARNING: the $phase run had $bad non-2xx responses (see its status codes above)"
  fi
done
