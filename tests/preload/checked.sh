#!/usr/bin/env bash
# MEMKIT_CHECKED=1 turns misuse into a report and an abort. Without it a bad free is
# ignored and the program goes on (checked when SURVIVES is yes; an overflow has already
# damaged a neighbour by the time it is found, so nothing is promised for it).
# Usage: checked.sh PROGRAM KIND 'EXPECTED MESSAGE' SURVIVES
set -uo pipefail
prog=$1 kind=$2 expect=$3 survives=$4
err=$(MEMKIT_CHECKED=1 "$prog" "$kind" 2>&1 >/dev/null)
status=$?
if [ $status -eq 0 ] || ! grep -qF -- "$expect" <<<"$err"; then
    echo "MEMKIT_CHECKED=1 $prog $kind: exit $status, stderr: $err (expected a failure with: $expect)"
    exit 1
fi
echo "checked: $err"
[ "$survives" = yes ] || exit 0
out=$("$prog" "$kind") || { echo "unchecked $prog $kind failed: $out"; exit 1; }
[ "$out" = "misuse $kind ignored" ] || { echo "unchecked output: $out"; exit 1; }
