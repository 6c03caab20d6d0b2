#!/usr/bin/env bash
# Instructions per heap alloc and free on emulated RV32 and Cortex-M3: builds the target
# trees (-O2) and runs, under QEMU's deterministic instruction counting, in the default
# configuration, with MK_STATS=0 (_nostats) and in the minimal configuration (_minimal:
# MK_STATS=0, MK_HEAP_SCAN_LIMIT=0, MK_HEAP_MAX_REGIONS=1, MK_HEAP_HIGH_SHIFT=0):
#   heap_ops     random operations (bench/target/heap_ops.c): min, median, max
#   heap_worst   directed worst cases (bench/target/heap_worst.c): max per path and size
# and the directed worst cases once more on RV32IMAC with Zbb (clz/ctz instructions, as
# the RP2350's Hazard3 cores have). Prints the tables that docs/performance.md "On target"
# shows; the same command gives the same numbers.
# Usage: scripts/target-bench.sh [ops]   (default 1000000; about 2 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
ops=${1:-1000000}
root=build/target-bench
all=(heap_ops heap_ops_nostats heap_ops_minimal heap_worst heap_worst_nostats heap_worst_minimal)

bench() { # name, qemu, board, icount shift, "programs", cmake args...
    local name=$1 qemu=$2 board=$3 shift_=$4
    local -a progs
    read -r -a progs <<<"$5"
    shift 5
    cmake -S . -B "$root/$name" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMEMKIT_TARGET_TESTS=ON "$@" \
        >"$root-$name.log" 2>&1 &&
        cmake --build "$root/$name" -j2 --target "${progs[@]}" \
        >>"$root-$name.log" 2>&1 || { cat "$root-$name.log"; exit 1; }
    for prog in "${progs[@]}"; do
        local args=()
        [[ $prog == heap_ops* ]] && args=("$ops")
        echo "== $name, $prog ($board, QEMU -icount shift=$shift_)"
        MEMKIT_QEMU_FLAGS="-icount shift=$shift_" MEMKIT_QEMU_TIMEOUT=600 \
            bash tests/target/qemu.sh "$qemu" "$board" "$root/$name/tests/target/$prog.elf" \
            "${args[@]}" | grep -v ' checks, '
    done
}
mkdir -p build
bench rv32 qemu-system-riscv32 virt 0 "${all[*]}" --toolchain cmake/riscv64-unknown-elf.cmake
bench cortex-m3 qemu-system-arm mps2-an385 7 "${all[*]}" \
    --toolchain cmake/arm-none-eabi.cmake -DMEMKIT_BOARD=mps2-an385
# Zbb: the compiler's builtins become single instructions. Debian's toolchain has no
# multilib for it, so libgcc (division helpers) comes from the rv32imac one.
libgcc=$(dirname "$(riscv64-unknown-elf-gcc -march=rv32imac -mabi=ilp32 -print-libgcc-file-name)")
bench rv32-zbb qemu-system-riscv32 virt 0 "heap_worst heap_worst_minimal" \
    --toolchain cmake/riscv64-unknown-elf.cmake \
    "-DCMAKE_C_FLAGS=-march=rv32imac_zbb -mabi=ilp32 -mcmodel=medany -ffreestanding" \
    "-DCMAKE_EXE_LINKER_FLAGS=-L$libgcc"
