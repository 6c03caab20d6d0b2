#!/usr/bin/env bash
# MEMKIT_CHECKED=1 turns misuse into a report and an abort; without it the heap ignores
# the misuse and the program goes on. Usage: checked.sh PROGRAM KIND 'EXPECTED MESSAGE'
set -uo pipefail
prog=$1 kind=$2 expect=$3
err=$(MEMKIT_CHECKED=1 "$prog" "$kind" 2>&1 >/dev/null)
status=$?
if [ $status -eq 0 ] || ! grep -qF -- "$expect" <<<"$err"; then
    echo "MEMKIT_CHECKED=1 $prog $kind: exit $status, stderr: $err (expected a failure with: $expect)"
    exit 1
fi
echo "checked: $err"
out=$("$prog" "$kind") || { echo "unchecked $prog $kind failed: $out"; exit 1; }
[ "$out" = "misuse $kind ignored" ] || { echo "unchecked output: $out"; exit 1; }
