#!/usr/bin/env bash
# Line and branch coverage of the core (src/*.c) from the whole ctest suite, with clang's
# source-based coverage (a branch counts once however many places it was inlined into,
# and a line is covered when any build variant ran it). Prints llvm-cov's table for the
# core files; docs/quality.md quotes the latest one.
# Usage: scripts/coverage.sh [build-dir]   (default: build/coverage)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build/coverage}
llvm=${LLVM_SUFFIX:--14}
{ cmake -S . -B "$dir" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DMEMKIT_BUILD_BENCH=OFF \
        "-DCMAKE_C_FLAGS=-fprofile-instr-generate -fcoverage-mapping" &&
  cmake --build "$dir" -j "$(nproc 2>/dev/null || echo 2)"; } >"$dir.log" 2>&1 ||
    { cat "$dir.log"; exit 1; }
rm -rf "$dir/profiles"
mkdir -p "$dir/profiles"
LLVM_PROFILE_FILE="$PWD/$dir/profiles/%p.profraw" ctest --test-dir "$dir" -j 2 >>"$dir.log" 2>&1 ||
    { tail -n 30 "$dir.log"; exit 1; }
"llvm-profdata$llvm" merge -sparse "$dir"/profiles/*.profraw -o "$dir/all.profdata"

# Each build variant compiles the same functions differently, and llvm-cov cannot merge
# functions whose code differs, so each variant gets its own report: the default build
# (tests linked with memkit) and the checked build (the *_checked tests).
report() { # title, executables...
    local title=$1
    shift
    local objects=("$1")
    shift
    for exe in "$@"; do objects+=(-object "$exe"); done
    echo "## $title"
    "llvm-cov$llvm" report -instr-profile="$dir/all.profdata" "${objects[@]}" \
        -show-branch-summary -show-region-summary=false -show-instantiation-summary=false \
        src/*.c 2>&1 | grep -v "mismatched data"
}
exes=$(find "$dir/tests" -maxdepth 1 -type f -executable | sort)
report "default build" $(echo "$exes" | grep -v -E '_(checked|nostats|tuned|noatomics|asan|valgrind)$')
report "checked build (MK_CHECKED=1)" $(echo "$exes" | grep -E '_checked$')
