#!/usr/bin/env bash
# The memkit command line on small traces whose answers are worked out by hand below.
# Usage: cli_test.sh MEMKIT DATA_DIR SOURCE_DIR WORK_DIR
set -u
memkit=$1 data=$2 src=$3 work=$4
mkdir -p "$work"
failed=0 checks=0

check() { # description, then a command that must succeed
    local what=$1
    shift
    checks=$((checks + 1))
    if ! "$@"; then
        echo "FAILED: $what" >&2
        failed=$((failed + 1))
    fi
}
# Runs memkit with the given arguments; leaves stdout in $out, stderr in $errout, status in $rc.
run() {
    "$memkit" "$@" >"$work/out" 2>"$work/err"
    rc=$?
    out=$(cat "$work/out")
    errout=$(cat "$work/err")
}
has() { [[ $1 == *"$2"* ]]; }
json_field() { # the number after "KEY": in $out
    sed -n "s/.*\"$1\": \([0-9.]*\).*/\1/p" <<<"$out"
}

# --- the command line itself
run --help;                check "--help exits 0" test $rc -eq 0
check "--help lists replay" has "$out" "replay FILE"
check "--help hides gen" bash -c "! grep -q '^  gen' '$work/out'"
run --version;             check "--version" has "$out" "memkit 0."
run;                       check "no command: exit 2" test $rc -eq 2
run frobnicate;            check "unknown command: exit 2" test $rc -eq 2
check "unknown command named" has "$errout" "unknown command 'frobnicate'"
run plan --help;           check "plan --help exits 0" test $rc -eq 0
check "plan --help prints its usage" has "$out" "usage: memkit plan FILE"
run replay;                check "replay without a file: exit 2" test $rc -eq 2
run replay "$data/five.trace" --bogus; check "unknown option: exit 2" test $rc -eq 2
run replay "$data/five.trace" --map; check "--map without value: exit 2" test $rc -eq 2
run replay "$work/no-such-file";  check "missing file: exit 2" test $rc -eq 2
check "missing file named" has "$errout" "no-such-file: cannot open"

# --- five.trace: m 10 100 | m 20 200 | r 10->30 300 | f 20 | a 40 64 50 caps=4
# live bytes: 100, 300, 500, 300, 350 -> peak 500 after event 3; 2 blocks (350 bytes) live
# at the end; nothing fails on the default map.
run replay "$data/five.trace" --json
check "five: exit 0" test $rc -eq 0
check "five: events" test "$(json_field events)" = 5
check "five: peak live" test "$(json_field peak_live_bytes)" = 500
check "five: failures" test "$(json_field failures)" = 0
check "five: final live blocks" test "$(json_field final_live_blocks)" = 2
check "five: final live bytes" test "$(json_field final_live_bytes)" = 350
# Each live block costs at least its rounded-up size: 100->112 and 300->304 at least.
check "five: peak heap >= 416" test "$(json_field peak_heap_bytes)" -ge 416
run replay "$data/five.trace"
check "five: table" has "$out" "peak live bytes        500 (after event 3)"
check "five: live at the end" has "$out" "live at the end        2 blocks, 350 bytes"
# The same events written loosely (comments, tabs, CRLF, unknown fields) read the same.
run replay "$data/commented.trace" --json
check "commented: same answers" test "$(json_field peak_live_bytes)/$(json_field final_live_bytes)" = "500/350"

# --- failures.trace on small.map (one 4 KiB region, no DMA):
#  1 m 1 1000 ok | 2 m 2 1000 ok | 3 m 3 8000 FAILS (bigger than the region)
#  4 m 0 5000 failed when recorded, not tried | 5 f 2 | 6 m 4 64 caps=4 FAILS (no DMA)
#  7 r 1 0 2000 failed when recorded | 8 r 1->5 0 | 9 f 5 | 10 f 0
# live: 1000 2000 10000 10000 9000 9064 9064 8064 8064 8064: peak 10000 after event 3;
# ids 3 and 4 (8064 bytes) are never freed.
run replay "$data/failures.trace" --map "$data/small.map" --json
check "failures: exit 1" test $rc -eq 1
check "failures: two" test "$(json_field failures)" = 2
check "failures: first is event 3" test "$(json_field first_failure_event)" = 3
check "failures: reason" has "$out" '"first_failure_reason": "MK_ENOMEM'
check "failures: recorded" test "$(json_field recorded_failures)" = 2
check "failures: peak live" test "$(json_field peak_live_bytes)" = 10000
check "failures: final" test "$(json_field final_live_blocks)/$(json_field final_live_bytes)" = "2/8064"
run replay "$data/failures.trace" --map "$data/small.map"
check "failures: table names the first" has "$out" "(first: event 3, 8000 bytes: MK_ENOMEM"
# No size of a region without DMA serves caps=4.
run plan "$data/failures.trace" --map "$data/small.map"
check "plan: impossible caps: exit 1" test $rc -eq 1
check "plan: impossible caps: said" has "$errout" "capabilities no region has"

# --- mtrace: + 16 | + 32 | - (never allocated: counted) | < > realloc to 64 | + (nil)
# | - 32. live: 16 48 48 96 96 64 -> peak 96; one block (64 bytes) live at the end.
run replay "$data/glibc.mtrace" --json
check "mtrace: exit 0" test $rc -eq 0
check "mtrace: events" test "$(json_field events)" = 6
check "mtrace: unknown frees" test "$(json_field unknown_frees)" = 1
check "mtrace: recorded failures" test "$(json_field recorded_failures)" = 1
check "mtrace: peak live" test "$(json_field peak_live_bytes)" = 96
check "mtrace: final" test "$(json_field final_live_blocks)/$(json_field final_live_bytes)" = "1/64"

# --- convert: text -> binary -> text is identical; mtrace -> text is a memkit trace
run convert "$data/five.trace" "$work/five.mkt"; check "convert to binary" test $rc -eq 0
check "binary is smaller" test "$(wc -c <"$work/five.mkt")" -lt "$(wc -c <"$data/five.trace")"
run convert "$work/five.mkt" "$work/five.txt"; check "convert back" test $rc -eq 0
check "round trip identical" cmp -s "$data/five.trace" "$work/five.txt"
run replay "$work/five.mkt" --json
check "binary replays the same" test "$(json_field peak_live_bytes)/$(json_field events)" = "500/5"
"$memkit" gen 20000 3 >"$work/gen.trace"
run convert "$work/gen.trace" "$work/gen.mkt"; check "convert generated" test $rc -eq 0
run convert "$work/gen.mkt" "$work/gen2.trace"
check "generated round trip identical" cmp -s "$work/gen.trace" "$work/gen2.trace"
run convert "$data/glibc.mtrace" - ; check "mtrace to text" has "$out" "r 4052a0 405400 64"

# --- bad input: exit 2 and one message naming the file and the line (or byte)
bad() { # file, expected text in the message
    run replay "$data/$1"
    check "$1: exit 2" test $rc -eq 2
    check "$1: one line" test "$(wc -l <"$work/err")" -eq 1
    check "$1: message '$2' (got: $errout)" has "$errout" "$2"
}
bad bad_trunc.trace "bad_trunc.trace:3: 'm' needs 2 fields, got 1"
bad bad_op.trace "bad_op.trace:3: unknown op 'x'"
bad bad_unknown.trace "bad_unknown.trace:3: free of id 99, which is not live"
bad bad_absurd.trace "bad_absurd.trace:3: size 999999999999999999 is over 2^48"
bad bad_extra.trace "bad_extra.trace:3: extra field '20'"
bad bad_badhex.trace "bad_badhex.trace:3: field 1 '1g' is not a hex id"
bad bad_live.trace "bad_live.trace:3: id 10 returned while already live"
bad bad_header.trace "bad_header.trace:1: the first line must be 'memkit-trace 1'"
bad bad_notrace.trace "not a trace"
bad bad_binary.mkt "bad_binary.mkt: byte 8: truncated"
bad bad_opcode.mkt "bad_opcode.mkt: byte 5: unknown opcode 0x27"
badmap() {
    local map=$1
    [[ $map == /* ]] || map=$data/$map
    run replay "$data/five.trace" --map "$map"
    check "$1: exit 2" test $rc -eq 2
    check "$1: message '$2' (got: $errout)" has "$errout" "$2"
}
badmap bad_cap.map "bad_cap.map:1: unknown word 'fast'"
badmap bad_size.map "bad_size.map:1: size '64Q'"
badmap bad_empty.map "bad_empty.map:1: no regions"
badmap bad_twice.map "bad_twice.map:2: region 'a' defined twice"
badmap bad_resizable.map "bad_resizable.map:2: a second resizable region"
printf 'tiny 64\n' >"$work/tiny.map"
badmap "$work/tiny.map" "region tiny (64 bytes): MK_ETOOSMALL"

# --- the bundled maps parse, and five.trace fits each of them
for map in "$src"/maps/*.map; do
    run replay "$data/five.trace" --map "$map"
    check "$(basename "$map") replays five.trace" test $rc -eq 0
done

# --- plan: its answer works and one granule less fails (checked with replay), on the
# hand-written trace and on the bundled real one.
plan_check() { # trace
    run plan "$1" --json
    check "plan $1: exit 0" test $rc -eq 0
    local size granule peak
    size=$(json_field min_region_bytes) granule=$(json_field granule) peak=$(json_field peak_live_bytes)
    check "plan $1: above the lower bound" test "$size" -gt "$peak"
    printf 'ram %s internal dma exec atomic\n' "$size" >"$work/plan.map"
    run replay "$1" --map "$work/plan.map"
    check "plan $1: the answer succeeds" test $rc -eq 0
    printf 'ram %s internal dma exec atomic\n' $((size - granule)) >"$work/plan.map"
    run replay "$1" --map "$work/plan.map"
    check "plan $1: one granule less fails" test $rc -ne 0
}
plan_check "$data/five.trace"
plan_check "$src/examples/traces/sort.mtrace"
run plan "$data/five.trace"
check "plan prints the ratio" has "$out" "ratio"

echo "$checks checks, $failed failed"
[ "$failed" -eq 0 ]
