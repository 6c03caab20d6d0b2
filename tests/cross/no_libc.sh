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
    rm -f "$tmp"/*.o
    for src in "$@"; do
        # shellcheck disable=SC2086
        $cc $arch $opt -std=c11 -ffreestanding -nostdlib -I"$top/include" -I"$top/src" \
            -c "$top/$src" -o "$tmp/$(basename "$src" .c).o"
    done
    # What the objects need together, less what they define for each other.
    $nm --defined-only "$tmp"/*.o | awk 'NF == 3 { print $3 }' | sort -u >"$tmp/defined"
    bad=$($nm -u "$tmp"/*.o | awk 'NF >= 2 { print $NF }' | sort -u |
          comm -23 - "$tmp/defined" | grep -v '^__' || true)
    if [ -n "$bad" ]; then
        echo "at $opt the core needs:" $bad
        status=1
    fi
done
exit $status
