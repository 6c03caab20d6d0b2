#!/usr/bin/env bash
# Instructions per heap alloc and free on emulated RV32 and Cortex-M3: builds the target
# trees (-O2, default configuration) and runs, under QEMU's deterministic instruction
# counting, in the default configuration and with MK_STATS=0:
#   heap_ops     random operations (bench/target/heap_ops.c): min, median, max
#   heap_worst   directed worst cases (bench/target/heap_worst.c): max per path and size
# Prints the tables that docs/performance.md "On target" shows; the same command gives the
# same numbers. Usage: scripts/target-bench.sh [ops]   (default 1000000; about 1 minute)
set -euo pipefail
cd "$(dirname "$0")/.."
ops=${1:-1000000}
root=build/target-bench
progs=(heap_ops heap_ops_nostats heap_worst heap_worst_nostats)

bench() { # name, qemu, board, icount shift, cmake args...
    local name=$1 qemu=$2 board=$3 shift_=$4
    shift 4
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
bench rv32 qemu-system-riscv32 virt 0 --toolchain cmake/riscv64-unknown-elf.cmake
bench cortex-m3 qemu-system-arm mps2-an385 7 --toolchain cmake/arm-none-eabi.cmake -DMEMKIT_BOARD=mps2-an385
