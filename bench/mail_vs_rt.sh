#!/usr/bin/env bash
# Inbound email, Redress and Request Tracker 5 side by side, measured in one run on this
# machine: RT's mail gateway (rt-mailgate into RT on Starlet + PostgreSQL, set up from
# Debian packages by ../shared/peers/rt/setup.sh and measured by its bench.sh, mail part
# only), then Redress's mail_bench (`redress mailgate --db`, one process per message like
# rt-mailgate, the LMTP listener of a running `redress serve`, and the in-process
# MailIntake paths). Prints one table. For people, not for
# `make test`: it installs packages, needs root, and takes 10-20 minutes.
#
#   bench/mail_vs_rt.sh [BUILD_DIR]      default build/release (`make bench` builds it)
#
# Knobs: N_MAIL (messages per mailgate run, both systems; default 60), N_INPROC (messages
# per in-process run; default 6000), RT_DIR (default ../shared/peers/rt beside the
# repository), KEEP=1 keeps the work directory. RT and its PostgreSQL cluster are stopped
# at the end whatever happens, so they do not eat the CPU of whoever runs next.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build/release}" 2>/dev/null && pwd) || { echo "mail_vs_rt: no build directory ${1:-$ROOT/build/release}" >&2; exit 1; }
N_MAIL=${N_MAIL:-60}
N_INPROC=${N_INPROC:-6000}
RT_DIR=${RT_DIR:-$ROOT/../shared/peers/rt}
[ -f "$RT_DIR/bench.sh" ] || RT_DIR=/work/shared/peers/rt
BENCH=$BUILD/bench/mail_bench

[ "$(id -u)" = 0 ] || { echo "mail_vs_rt: run as root (RT's setup installs packages)" >&2; exit 1; }
[ -x "$BENCH" ] || { echo "mail_vs_rt: $BENCH not built (make bench, or ninja -C $BUILD mail_bench)" >&2; exit 1; }
[ -f "$RT_DIR/bench.sh" ] || { echo "mail_vs_rt: RT scripts not found in $RT_DIR (set RT_DIR)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/mail-vs-rt.XXXXXX)
stop_rt() { bash "$RT_DIR/setup.sh" stop-all >>"$WORK/rt-setup.log" 2>&1 || true; }
cleanup() { stop_rt; if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi; }
trap cleanup EXIT
log() { echo "[mail_vs_rt $(date -u +%H:%M:%S)] $*" >&2; }

log "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
log "RT: setup (packages, PostgreSQL cluster, database; idempotent) - see $WORK/rt-setup.log"
bash "$RT_DIR/setup.sh" all >"$WORK/rt-setup.log" 2>&1

# bench.sh's write section, with everything but the mail runs cut to nothing: one 1 s REST
# run (it cannot be switched off), no concurrent REST runs, no stock formatter, one rep.
log "RT: rt-mailgate, $N_MAIL new-ticket mails then $N_MAIL replies, 1 and 4 at a time"
SECTIONS=write RESET=1 REPS=1 CREATE_SECS=1 CONCS=" " N_MAIL="$N_MAIL" MAIL_CONC=4 \
  STOCK=0 KEEP_RUNNING=0 OUT="$WORK/rt" bash "$RT_DIR/bench.sh" >"$WORK/rt-bench.log" 2>&1
stop_rt
log "RT stopped; load $(cut -d' ' -f1-3 /proc/loadavg)"

log "Redress: mail_bench $N_INPROC in process, $N_MAIL through redress mailgate"
(cd "$WORK" && "$BENCH" "$N_INPROC" "$N_MAIL" "$WORK") >"$WORK/redress.txt" 2>&1 || {
  cat "$WORK/redress.txt" >&2; log "mail_bench failed"; exit 1; }

# ---- one table
# RT rows from bench.sh's summary.tsv: rate, p50, p99, and CPU per mail = cores used by
# RT, its PostgreSQL and the rt-mailgate processes over the phase, divided by the rate.
{
  printf "%-66s %12s %10s %10s %14s\n" "what (one process per mail unless noted)" "mails/s" "p50 ms" "p99 ms" "CPU ms/mail"
  awk -F'\t' 'NR > 1 && $1 ~ /^mail_/ {
      what = $1; sub(/^mail_new_c/, "RT rt-mailgate, new ticket, ", what); sub(/^mail_reply_c/, "RT rt-mailgate, reply [#id], ", what)
      what = what " at a time"
      cpu = ($6 > 0) ? ($10 + $11 + $12) / $6 * 1000 : 0
      printf "%-66s %12.2f %10s %10s %14.0f\n", what, $6, $7, $8, cpu }' "$WORK/rt/summary.tsv"
  awk '/mailgate --db/ {
      n = split($0, f, /  +/); at = ""
      for (i = 1; i <= n; i++) if (f[i] ~ /at a time/) at = f[i]
      match($0, /[0-9.]+ mails\/s/); rate = substr($0, RSTART, RLENGTH - 8)
      match($0, /cpu [0-9.]+/); cpu = substr($0, RSTART + 4, RLENGTH - 4)
      match($0, /p50 [0-9.]+/); p50 = substr($0, RSTART + 4, RLENGTH - 4)
      match($0, /p99 [0-9.]+/); p99 = substr($0, RSTART + 4, RLENGTH - 4)
      sub(/^sqlite +/, "", at); sub(/mailgate --db, /, "", at)
      printf "%-66s %12.2f %10s %10s %14.1f\n", "Redress mailgate --db (SQLite), " at, rate, p50, p99, cpu }' "$WORK/redress.txt"
  awk '/^sqlite +LMTP/ {
      match($0, /LMTP, [0-9]+ connections/); at = substr($0, RSTART + 6, RLENGTH - 6)
      match($0, /[0-9.]+ mails\/s/); rate = substr($0, RSTART, RLENGTH - 8)
      match($0, /server cpu [0-9.]+/); cpu = substr($0, RSTART + 11, RLENGTH - 11)
      match($0, /p50 [0-9.]+/); p50 = substr($0, RSTART + 4, RLENGTH - 4)
      match($0, /p99 [0-9.]+/); p99 = substr($0, RSTART + 4, RLENGTH - 4)
      printf "%-66s %12.0f %10s %10s %14.2f\n", "Redress LMTP listener of redress serve (SQLite), " at, rate, p50, p99, cpu }' "$WORK/redress.txt"
  awk '/^(sqlite|postgresql) +Ingest/ {
      backend = $1; mode = $0; sub(/^[a-z]+ +/, "", mode); sub(/ +[0-9]+ mails.*/, "", mode)
      match($0, /[0-9.]+ mails\/s/); rate = substr($0, RSTART, RLENGTH - 8)
      match($0, /cpu [0-9.]+/); cpu = substr($0, RSTART + 4, RLENGTH - 4)
      printf "%-66s %12.0f %10s %10s %14.2f\n", "Redress in process (" backend "), " mode, rate, "-", "-", cpu }' "$WORK/redress.txt"
} | tee "$WORK/table.txt"
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (other work on the machine lowers every rate; CPU per mail does not depend on it)"
echo "Redress in-process detail:"
grep -E "^(corpus|sqlite|postgresql|    )" "$WORK/redress.txt" | grep -v "mailgate" || true
