#!/usr/bin/env bash
# Builds the mail-parser fuzzer with clang and runs it for a while, seeded from the email
# corpus. Used by ctest (test "email_fuzz_smoke", label "fuzz") and by hand:
#   fuzz/run.sh [build-dir] [seconds] [corpus-dir]
# New inputs go to <build-dir>/work; a crash leaves crash-* there and fails the run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/fuzz}
seconds=${2:-30}
corpus=${3:-$root/../shared/corpus/email}

cmake -S "$root/fuzz" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ >/dev/null
nice -n 19 cmake --build "$build" -j2 >/dev/null
mkdir -p "$build/work"
cd "$build/work"
# -max_len keeps each run short (the corpus has multi-megabyte mbox files); -timeout is per
# input: a parse slower than 10 s is a bug in itself.
nice -n 19 "$build/mime_fuzzer" "$build/work" "$corpus" -max_total_time="$seconds" \
  -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 2>&1 | tail -25
