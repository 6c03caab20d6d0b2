#!/usr/bin/env bash
# Runs a command plainly, then with libmemkit-malloc.so preloaded (and MEMKIT_STATS=1);
# passes when both runs exit alike with identical stdout and memkit's statistics show
# that it served the allocations. Usage: compare.sh LIBRARY WORKDIR COMMAND [ARGS...]
set -uo pipefail
lib=$1 dir=$2
shift 2
mkdir -p "$dir"
"$@" >"$dir/plain.out" 2>"$dir/plain.err"
plain=$?
LD_PRELOAD=$lib MEMKIT_STATS=1 "$@" >"$dir/memkit.out" 2>"$dir/memkit.err"
memkit=$?
fail() {
    echo "FAIL: $*"
    echo "--- stderr under memkit:"
    tail -n 20 "$dir/memkit.err"
    exit 1
}
[ "$plain" -eq "$memkit" ] || fail "exit status $memkit under memkit, $plain without"
[ -s "$dir/plain.out" ] || fail "the command printed nothing"
cmp -s "$dir/plain.out" "$dir/memkit.out" || fail "stdout differs (see $dir)"
# Every process of the command prints a table; the busiest says how much memkit did.
allocs=$(awk '/memkit:   allocations/ { if ($3 > m) m = $3 } END { print m + 0 }' "$dir/memkit.err")
[ "$allocs" -ge 100 ] || fail "memkit served only $allocs allocations: was it preloaded?"
grep -q 'misuse reported  *0$' "$dir/memkit.err" || fail "memkit saw misuse"
echo "identical output ($(wc -c <"$dir/plain.out") bytes, exit $plain); memkit served $allocs allocations"
