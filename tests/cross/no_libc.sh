#!/usr/bin/env bash
# Fails if a core object compiled freestanding needs any symbol beyond the compiler's
# own runtime (libgcc's __clzsi2, __aeabi_uidiv, ...): no memset, memcpy or other libc,
# at -Os and at -O2 (where GCC may turn loops into library calls).
# Usage: no_libc.sh COMPILER "ARCH FLAGS" SOURCE_DIR SOURCES...
set -euo pipefail
cc=$1 arch=$2 top=$3
shift 3
nm=${cc%gcc}nm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for opt in -Os -O2; do
    for src in "$@"; do
        # shellcheck disable=SC2086
        $cc $arch $opt -std=c11 -ffreestanding -nostdlib -I"$top/include" -I"$top/src" \
            -c "$top/$src" -o "$tmp/o.o"
        bad=$($nm -u "$tmp/o.o" | awk '{ print $NF }' | grep -v '^__' || true)
        if [ -n "$bad" ]; then
            echo "$src at $opt needs: $bad"
            status=1
        fi
    done
done
exit $status
