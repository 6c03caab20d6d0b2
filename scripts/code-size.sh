#!/usr/bin/env bash
# Code size of the heap as firmware pays for it: small programs linked with
# --gc-sections at -Os (freestanding, asserts off), .text of memkit's functions only.
#   core: init, add_region, alloc, aligned alloc, free, realloc
#   all:  core + caps alloc, usable_size, stats, check, walk, hooks, error names
# Usage: scripts/code-size.sh [cortex-m0|cortex-m4|rv32]...   (default: cortex-m4)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

cat > "$out/core.c" <<'C'
#include "memkit/heap.h"
static mk_heap h;
static unsigned char mem[4096];
void entry(void);
void entry(void)
{
    mk_heap_init(&h);
    mk_heap_add_region(&h, mem, sizeof mem, 0);
    void *p = mk_heap_alloc(&h, 10);
    p = mk_heap_realloc(&h, p, 100);
    mk_heap_free(&h, mk_heap_alloc_aligned(&h, 10, 64));
    mk_heap_free(&h, p);
}
C
cat > "$out/all.c" <<'C'
#include "memkit/heap.h"
static mk_heap h;
static unsigned char mem[4096];
static bool visit(void *ctx, const mk_heap_block_info *b) { (void)ctx; return b->used; }
static mk_heap_stats s;
volatile const void *sink;
void entry(void);
void entry(void)
{
    mk_heap_init(&h);
    mk_heap_set_hooks(&h, 0);
    mk_heap_add_region(&h, mem, sizeof mem, MK_CAP_DMA);
    void *p = mk_heap_alloc(&h, 10);
    p = mk_heap_realloc(&h, p, 100);
    mk_heap_free(&h, mk_heap_alloc_aligned(&h, 10, 64));
    mk_heap_free(&h, mk_heap_alloc_caps(&h, 10, 0, MK_CAP_DMA));
    sink = (void *)mk_heap_usable_size(&h, p);
    mk_heap_get_stats(&h, 0, &s);
    sink = mk_strerror(mk_heap_check(&h));
    sink = mk_heap_fault_name(MK_FAULT_HEADER);
    mk_heap_walk(&h, visit, 0);
    mk_heap_free(&h, p);
}
C

measure() { # target
    local cc flags
    case $1 in
        cortex-m0) cc=arm-none-eabi-gcc; flags="-mcpu=cortex-m0 -mthumb" ;;
        cortex-m4) cc=arm-none-eabi-gcc; flags="-mcpu=cortex-m4 -mthumb" ;;
        rv32) cc=riscv64-unknown-elf-gcc; flags="-march=rv32imac -mabi=ilp32" ;;
        *) echo "unknown target $1" >&2; exit 2 ;;
    esac
    local nm=${cc%gcc}nm
    for prog in core all; do
        $cc $flags -Os -std=c11 -ffreestanding -nostdlib -nostartfiles -ffunction-sections \
            -fdata-sections -Wl,--gc-sections -Wl,-e,entry -Iinclude -Isrc \
            "$out/$prog.c" src/err.c src/heap.c src/heap_inspect.c -lgcc -o "$out/$prog.elf"
        # Sum the text symbols that are not the test program's own.
        local bytes
        bytes=$($nm -S -t d "$out/$prog.elf" |
            awk '$3 ~ /^[tT]$/ && $4 != "entry" && $4 != "visit" { s += $2 } END { print s + 0 }')
        printf '%-10s %-4s %6d bytes .text\n' "$1" "$prog" "$bytes"
    done
}
for t in "${@:-cortex-m4}"; do measure "$t"; done
