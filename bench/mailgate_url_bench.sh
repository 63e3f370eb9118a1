#!/usr/bin/env bash
# The MTA pipe path over HTTP, end to end: one process per message, as Postfix's pipe(8) or
# Exim's pipe transport runs it, handing real corpus messages to `redress serve` (SQLite, a
# fresh database). Compares the full binary (`redress mailgate --url`) with the lean
# `redress-mailgate`, 1 and 4 at a time, and prints for each: mails/s, the exit codes, the
# CPU per mail of the pipe processes and of the server.
#
#   bench/mailgate_url_bench.sh [build_dir=build/release] [messages=400]
set -euo pipefail

build=${1:-build/release}
messages=${2:-400}
corpus=${REDRESS_MAIL_CORPUS:-$(dirname "$0")/../../shared/corpus/email}
redress=$(realpath "$build/src/redress")
lean=$(realpath "$build/src/redress-mailgate")
work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/thread.key"
printf '[mail]\naddresses = ["support@acme.example"]\nthread_key_file = "%s"\n' \
  "$work/thread.key" > "$work/redress.toml"
db="$work/redress.db"
"$redress" --config "$work/redress.toml" migrate --db "$db" >/dev/null 2>&1
"$redress" user add --db "$db" --email mx1@acme.example --role mailgate --name mx1 >/dev/null
"$redress" token create --db "$db" --email mx1@acme.example > "$work/token"
"$redress" --config "$work/redress.toml" serve --db "$db" --listen 127.0.0.1:0 \
  --port-file "$work/port" > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
url="http://127.0.0.1:$(cat "$work/port")"

# Messages: the corpus's files in turn, each with a Message-ID of its own (the server
# stores the same message once, and a repeated one would only measure the duplicate path).
mapfile -t templates < <(find "$corpus" -type f \( -name '*.eml' -o -name '*.txt' \) | sort)
make_messages() {  # run
  mkdir -p "$work/$1"
  for ((i = 0; i < messages; i++)); do
    {
      printf 'Message-ID: <bench-%s-%d@bench.example>\r\n' "$1" "$i"
      grep -a -v -i '^Message-ID:' "${templates[i % ${#templates[@]}]}" || true
    } > "$work/$1/$i.eml"
  done
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # utime + stime of one process
hz=$(getconf CLK_TCK)

printf '%-38s %8s %9s %18s %14s %14s\n' "pipe program" messages "mails/s" "exit 0/65/75/other" \
  "pipe ms/mail" "server ms/mail"
for program in full lean; do
  for parallel in 1 4; do
    run="$program-$parallel"
    make_messages "$run"
    if [ "$program" = full ]; then cmd=("$redress" mailgate); else cmd=("$lean"); fi
    server_before=$(cpu_ticks "$server")
    children_before=$(awk '{print $16 + $17}' /proc/$$/stat)
    start=$(date +%s.%N)
    # xargs runs `parallel` pipes at a time; each writes its exit code to a file of its own.
    find "$work/$run" -name '*.eml' -print0 | xargs -0 -P "$parallel" -I{} sh -c \
      '"$@" < "$0" 2>/dev/null; echo $? > "$0.rc"' {} "${cmd[@]}" --url "$url" \
      --token-file "$work/token"
    end=$(date +%s.%N)
    server_after=$(cpu_ticks "$server")
    # The pipes' CPU: this shell's reaped children (xargs and everything below it).
    children_after=$(awk '{print $16 + $17}' /proc/$$/stat)
    codes=$(cat "$work/$run"/*.rc | sort | uniq -c | awk '{c[$2]=$1} END {
      printf "%d/%d/%d/%d", c[0], c[65], c[75], '"$messages"' - c[0] - c[65] - c[75]}')
    awk -v name="${cmd[*]##*/} --url, $parallel at a time" -v n="$messages" -v s="$start" \
      -v e="$end" -v codes="$codes" -v pipe=$((children_after - children_before)) \
      -v srv=$((server_after - server_before)) -v hz="$hz" 'BEGIN {
        printf "%-38s %8d %9.1f %18s %14.2f %14.2f\n", name, n, n / (e - s), codes,
               pipe * 1000 / hz / n, srv * 1000 / hz / n }'
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); server log: errors $(grep -c '"level":"error"' "$work/serve.log" || true)"
