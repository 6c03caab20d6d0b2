#!/usr/bin/env bash
# Instructions in the typed SPSC push and pop as firmware compiles them: a 64-slot
# queue of uint32_t, -Os, freestanding; objdump's disassembly of each function counted
# (every instruction, the return included; no loops, so it is also the executed count
# on the path through the function, less the branches not taken).
# Usage: scripts/queue-size.sh [cortex-m4|cortex-m0|rv32imac]...   (default: cortex-m4)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

cat > "$out/q.c" <<'C'
#include "memkit/spsc.h"
MK_SPSC_DEFINE(q64, uint32_t, 64);
mk_err spsc_push(q64 *q, uint32_t v);
mk_err spsc_pop(q64 *q, uint32_t *out);
mk_err spsc_push(q64 *q, uint32_t v) { return q64_push(q, v); }
mk_err spsc_pop(q64 *q, uint32_t *out) { return q64_pop(q, out); }
C

measure() { # target
    local cc flags
    case $1 in
        cortex-m4) cc=arm-none-eabi-gcc; flags="-mcpu=cortex-m4 -mthumb" ;;
        cortex-m0) cc=arm-none-eabi-gcc; flags="-mcpu=cortex-m0 -mthumb" ;;
        rv32imac) cc=riscv64-unknown-elf-gcc; flags="-march=rv32imac -mabi=ilp32" ;;
        *) echo "unknown target $1" >&2; exit 2 ;;
    esac
    # shellcheck disable=SC2086
    $cc $flags -Os -std=c11 -ffreestanding -Iinclude -c "$out/q.c" -o "$out/q.o"
    ${cc%gcc}objdump -d --no-show-raw-insn "$out/q.o" >"$out/q.dis"
    for fn in spsc_push spsc_pop; do
        # Instruction lines ("  addr:<TAB>insn") inside the symbol's [start, start+size):
        # local labels (RISC-V's .L2) do not end the function.
        local start size n
        read -r start size < <(${cc%gcc}nm -S "$out/q.o" | awk -v f="$fn" '$4 == f { print $1, $2 }')
        n=0
        while read -r addr _; do
            addr=$((16#${addr%:}))
            if ((addr >= 16#$start && addr < 16#$start + 16#$size)); then n=$((n + 1)); fi
        done < <(grep -P '^ *[0-9a-f]+:\t' "$out/q.dis")
        printf '%-10s %-10s %3d instructions%s\n' "$1" "$fn" "$n" \
            "$([ "$1" = cortex-m0 ] && echo ' (MK_NO_ATOMICS: a call into the core)')"
    done
    if [ -n "${SHOW:-}" ]; then cat "$out/q.dis"; fi
}
for t in "${@:-cortex-m4}"; do measure "$t"; done
