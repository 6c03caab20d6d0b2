#!/usr/bin/env bash
# Builds memkit and runs every test: gcc, clang, ASan+UBSan, TSan, 32-bit (-m32), gcc
# without optimisation (-O0) and for size (-Os), the freestanding cross-compiles for
# Cortex-M0, Cortex-M4 and RV32IMAC, and the bare-metal images on QEMU (Cortex-M3 also at
# -O0). Exits non-zero on the first failure. Usage: scripts/test.sh [build-root]
# (default: build/)
set -euo pipefail
cd "$(dirname "$0")/.."
root=${1:-build}
jobs=$(nproc 2>/dev/null || echo 2)

run() { # name, cmake args...
    local name=$1
    shift
    echo "=== $name"
    local log="$root/$name.log"
    mkdir -p "$root"
    # Quiet when it works; the whole log when configuring or building fails.
    if ! { cmake -S . -B "$root/$name" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMEMKIT_BUILD_BENCH=OFF "$@" &&
           cmake --build "$root/$name" -j "$jobs"; } >"$log" 2>&1; then
        cat "$log"
        echo "build $name failed"
        exit 1
    fi
    ctest --test-dir "$root/$name" --output-on-failure -j "$jobs" >"$log" 2>&1 || {
        cat "$log"
        exit 1
    }
    tail -n 3 "$log"
    total=$((total + $(sed -n 's/.*tests passed, 0 tests failed out of \([0-9]*\).*/\1/p' "$log")))
}
total=0

run gcc -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=Release -DMEMKIT_BUILD_BENCH=ON -DMEMKIT_CROSS_CHECKS=ON
run clang -DCMAKE_C_COMPILER=clang
run asan-ubsan -DCMAKE_C_COMPILER=clang -DMEMKIT_FUZZ=ON \
    "-DCMAKE_C_FLAGS=-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
run tsan -DCMAKE_C_COMPILER=clang "-DCMAKE_C_FLAGS=-fsanitize=thread -fno-omit-frame-pointer"
run m32 -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS=-m32
# The other optimisation levels users build with: -O0 runs the code as written (the
# inlining the speed build forces, none of what the optimiser removes), -Os shares the
# fast paths and brings its own warnings.
run gcc-O0 -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=Debug
run gcc-Os -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=MinSizeRel
# Bare-metal images on QEMU (tests/target/): Cortex-M3, Cortex-M33, Cortex-M0 (16 KiB), RV32.
run target-m3 --toolchain cmake/arm-none-eabi.cmake -DMEMKIT_BOARD=mps2-an385 -DMEMKIT_TARGET_TESTS=ON
run target-m33 --toolchain cmake/arm-none-eabi.cmake -DMEMKIT_BOARD=mps2-an505 -DMEMKIT_TARGET_TESTS=ON
run target-m0 --toolchain cmake/arm-none-eabi.cmake -DMEMKIT_BOARD=microbit -DMEMKIT_TARGET_TESTS=ON
run target-rv32 --toolchain cmake/riscv64-unknown-elf.cmake -DMEMKIT_TARGET_TESTS=ON
run target-m3-O0 --toolchain cmake/arm-none-eabi.cmake -DMEMKIT_BOARD=mps2-an385 -DMEMKIT_TARGET_TESTS=ON \
    -DCMAKE_BUILD_TYPE=Debug
echo "all test builds passed"
echo "tests: $total passed, 0 failed"
