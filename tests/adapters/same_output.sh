#!/usr/bin/env bash
# Passes when two commands both succeed and print the same, non-empty stdout.
# Usage: same_output.sh 'COMMAND A' 'COMMAND B'    (each run by bash -c)
set -uo pipefail
a=$(bash -c "$1") || { echo "failed: $1"; exit 1; }
b=$(bash -c "$2") || { echo "failed: $2"; exit 1; }
if [ -z "$a" ] || [ "$a" != "$b" ]; then
    echo "outputs differ:"
    diff <(echo "$a") <(echo "$b")
    exit 1
fi
echo "same output ($(echo "$a" | wc -l) lines)"
