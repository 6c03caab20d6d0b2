#!/usr/bin/env bash
# What one more typed container instantiation costs in flash: a program with 1 and one
# with 10 vectors of different element types, each calling push, pop and at, built for
# Cortex-M4 with arm-none-eabi-gcc -Os -ffunction-sections -Wl,--gc-sections (the core
# src/vec.c is linked once either way). Prints .text of both and the cost per extra
# instantiation, (text10 - text1) / 9. Target (issue 4): <= 64 bytes.
# Usage: scripts/container-size.sh [extra compiler flags...]
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

program() { # count
    echo '#include "memkit/vec.h"'
    echo 'volatile const void *sink;'
    echo "typedef $elem ELEM;"
    for i in $(seq 1 "$1"); do
        # Each its own capacity, so each is a distinct type.
        echo "MK_VEC_DEFINE(vec$i, ELEM, $((i + 7)));"
        echo "static vec$i g$i;"
        echo "static void use$i(void) { ELEM x = $i; vec${i}_push(&g$i, x);"
        echo "    vec${i}_pop(&g$i, &x); sink = vec${i}_at(&g$i, 0); }"
    done
    echo 'void entry(void);'
    echo 'void entry(void) {'
    for i in $(seq 1 "$1"); do echo "    use$i();"; done
    echo '}'
}

text_of() { # count
    program "$1" > "$out/p$1.c"
    arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -Os -std=c11 -ffreestanding -nostdlib \
        -nostartfiles -ffunction-sections -fdata-sections -Wl,--gc-sections -Wl,-e,entry \
        -Iinclude -Isrc "${extra[@]}" "$out/p$1.c" src/vec.c -lgcc -o "$out/p$1.elf"
    arm-none-eabi-size -A "$out/p$1.elf" | awk '$1 == ".text" { print $2 }'
}

elem=${ELEM:-int}
extra=("$@")
t1=$(text_of 1)
t10=$(text_of 10)
printf 'cortex-m4 -Os: .text with 1 vec: %d bytes, with 10: %d bytes\n' "$t1" "$t10"
printf 'per extra instantiation (push + pop + at): %d bytes (target <= 64)\n' $(((t10 - t1) / 9))
