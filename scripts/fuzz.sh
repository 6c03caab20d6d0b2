#!/usr/bin/env bash
# Runs every libFuzzer target for a while (CI only replays the corpus plus a fixed number
# of inputs). New inputs go to build/fuzz-corpus/<target>, never to the repository; copy
# an input that found a bug into tests/fuzz/corpus/<name>/ as a regression seed.
# Usage: scripts/fuzz.sh [seconds-per-target]   (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
dir=build/fuzz
{ cmake -S . -B "$dir" -DCMAKE_C_COMPILER=clang -DMEMKIT_FUZZ=ON -DMEMKIT_BUILD_BENCH=OFF \
        "-DCMAKE_C_FLAGS=-fsanitize=address,undefined -fno-sanitize-recover=all" &&
  cmake --build "$dir" -j "$(nproc 2>/dev/null || echo 2)"; } >"$dir.log" 2>&1 ||
    { cat "$dir.log"; exit 1; }
for exe in "$dir"/tests/fuzz/*_fuzz "$dir"/tests/fuzz/*_fuzz_checked; do
    [ -f "$exe" ] && [ -x "$exe" ] || continue
    name=$(basename "$exe")
    seeds=tests/fuzz/corpus/${name%_checked}
    seeds=${seeds%_fuzz}
    mkdir -p "build/fuzz-corpus/$name"
    echo "=== $name: $secs s"
    "$exe" -max_total_time="$secs" -max_len=4096 "build/fuzz-corpus/$name" "$seeds" 2>&1 |
        grep -E "Done [0-9]+ runs|ERROR|SUMMARY|Test unit written" || true
done
