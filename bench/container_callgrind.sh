#!/usr/bin/env bash
# Instructions per call (valgrind callgrind, deterministic) of the container operations
# container_bench runs in its callgrind mode, and of the plain-array baselines beside
# them. Inclusive counts: a call's hash, comparator and copy helpers are included.
# Usage: bench/container_callgrind.sh [path/to/container_bench]
#        (default: build/rel/bench/container_bench)
set -euo pipefail
bench=${1:-build/rel/bench/container_bench}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$bench" callgrind >"$out/calls" 2>/dev/null
callgrind_annotate --inclusive=yes "$out/cg" 2>/dev/null >"$out/ann"
echo "| function | calls | instructions per call |"
echo "|---|---:|---:|"
while read -r fn calls; do
    ir=$(grep -E "[:/ ]$fn " "$out/ann" | head -1 | awk '{ gsub(",", "", $1); print $1 }')
    awk -v fn="$fn" -v ir="$ir" -v calls="$calls" \
        'BEGIN { printf "| %s | %d | %.1f |\n", fn, calls, ir / calls }'
done <"$out/calls"
