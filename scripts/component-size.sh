#!/usr/bin/env bash
# .text/.data/.bss of each memkit component as a firmware build compiles it: plain files,
# -Os, freestanding, for Cortex-M0 (with MK_NO_ATOMICS, as a core without
# compare-and-swap needs), Cortex-M4 and RV32IMAC. .text includes read-only data; the
# figures are for the whole component (a --gc-sections link keeps only what is called:
# scripts/code-size.sh measures that for the heap). Prints the Markdown table in
# docs/performance.md "On target".
# Usage: scripts/component-size.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

components=("heap:src/heap.c src/heap_inspect.c" "sheap:src/sheap.c" "errors:src/err.c" "alloc:src/alloc.c"
            "pool:src/pool.c" "atomic_pool:src/atomic_pool.c" "arena:src/arena.c"
            "stack:src/stack.c")
targets=("Cortex-M0|arm-none-eabi-gcc|-mcpu=cortex-m0 -mthumb -DMK_NO_ATOMICS=1"
         "Cortex-M4|arm-none-eabi-gcc|-mcpu=cortex-m4 -mthumb"
         "RV32IMAC|riscv64-unknown-elf-gcc|-march=rv32imac -mabi=ilp32")

printf '| component |'
for t in "${targets[@]}"; do printf ' %s .text / .data / .bss |' "${t%%|*}"; done
printf '\n|---|'
for _ in "${targets[@]}"; do printf -- '---|'; done
printf '\n'
for c in "${components[@]}"; do
    name=${c%%:*} srcs=${c#*:}
    printf '| %s |' "$name"
    for t in "${targets[@]}"; do
        IFS='|' read -r _ cc flags <<<"$t"
        objs=()
        for src in $srcs; do
            # shellcheck disable=SC2086
            $cc $flags -Os -std=c11 -ffreestanding -Iinclude -Isrc -c "$src" \
                -o "$out/$(basename "$src" .c).o"
            objs+=("$out/$(basename "$src" .c).o")
        done
        # Berkeley format: text data bss per object; sum them.
        ${cc%gcc}size "${objs[@]}" |
            awk 'NR > 1 { t += $1; d += $2; b += $3 } END { printf " %d / %d / %d |", t, d, b }'
    done
    printf '\n'
done
