#!/usr/bin/env bash
# Instructions per call (valgrind callgrind, deterministic) of alloc and free on the
# random workload, for memkit and the system allocator, at each heap size given.
# Usage: bench/callgrind.sh [path/to/heap_bench] [max_size] [heap_bytes...]
#        (defaults: build/rel/bench/heap_bench, 512, 65536 16777216)
set -euo pipefail
bench=${1:-build/rel/bench/heap_bench}
max=${2:-512}
shift $(($# < 2 ? $# : 2))
heaps=("$@")
[ $# -gt 0 ] || heaps=(65536 16777216)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

per_call() { # allocator-name alloc-fn free-fn heap-bytes
    valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$bench" replay "$1" "$max" "$4" \
        >"$out/run" 2>/dev/null
    # "NAME: A allocs, F failed, R frees"
    read -r allocs failed frees < <(sed -E 's/.*: ([0-9]+) allocs, ([0-9]+) failed, ([0-9]+) frees/\1 \2 \3/' "$out/run")
    callgrind_annotate --inclusive=yes "$out/cg" 2>/dev/null >"$out/ann"
    inclusive() { grep -E "^ *[0-9,]+ .*[:/ ]$1 " "$out/ann" | head -1 | awk '{ gsub(",", "", $1); print $1 }'; }
    local a f
    a=$(inclusive "$2")
    f=$(inclusive "$3")
    awk -v a="$a" -v f="$f" -v calls=$((allocs + failed)) -v frees="$frees" -v name="$1" \
        -v heap="$4" -v failed="$failed" 'BEGIN {
        printf "| %s | %d KiB | %.1f | %.1f | %.1f | %d |\n", name, heap / 1024, a / calls,
               f / frees, a / calls + f / frees, failed }'
}

echo "| allocator | heap | alloc instr/call | free instr/call | pair | failed allocs |"
echo "|---|---|---:|---:|---:|---:|"
for heap in "${heaps[@]}"; do
    per_call memkit mk_heap_alloc mk_heap_free "$heap"
    per_call "system malloc" malloc free "$heap"
done
