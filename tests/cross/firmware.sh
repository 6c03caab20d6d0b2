#!/usr/bin/env bash
# Builds examples/firmware for a Cortex-M3 (MPS2 AN385) with arm-none-eabi-gcc and
# newlib-nano, and checks at link time that malloc and newlib's reentrant _malloc_r
# family resolve to memkit's front (src/malloc/newlib.c), that newlib's own code calls
# them, and that newlib's allocator is not linked. With RUN=1 it also runs the image on
# qemu-system-arm, which must exit 0 (the heap checked clean) after printing statistics.
# Usage: firmware.sh SOURCE_DIR OUT_DIR CORE_SOURCES...
set -euo pipefail
top=$1 out=$2
shift 2
cc=arm-none-eabi-gcc
flags=(-mcpu=cortex-m3 -mthumb -std=c11 -Os -ffunction-sections -Wall -Wextra -Wpedantic
       -Wconversion -Wsign-conversion -Wshadow -Wcast-align -Werror --specs=nano.specs
       -I"$top/include" -I"$top/src")
mkdir -p "$out"
objs=()
for src in examples/firmware/main.c examples/firmware/startup.c src/malloc/newlib.c "$@"; do
    obj="$out/$(basename "$src" .c).o"
    $cc "${flags[@]}" -c "$top/$src" -o "$obj"
    objs+=("$obj")
done
syms=(malloc free calloc realloc _malloc_r _free_r _calloc_r _realloc_r _memalign_r)
trace=()
for s in "${syms[@]}"; do trace+=("-Wl,-y,$s"); done
$cc -mcpu=cortex-m3 -mthumb --specs=nano.specs --specs=rdimon.specs -nostartfiles \
    -T "$top/examples/firmware/link.ld" -Wl,--gc-sections "${trace[@]}" "${objs[@]}" \
    -o "$out/firmware.elf" 2>&1 | sed 's/^.*ld: //' >"$out/trace.txt"
status=0
for s in "${syms[@]}"; do
    defs=$(grep -E ": definition of $s\$" "$out/trace.txt" || true)
    if [ "$defs" != "$out/newlib.o: definition of $s" ]; then
        echo "$s is not (only) memkit's: ${defs:-no definition}"
        status=1
    fi
done
# printf's buffers: newlib's stdio must call memkit's _malloc_r.
if ! grep -E "lib_a-.*: reference to _malloc_r$" "$out/trace.txt" >/dev/null; then
    echo "no newlib object calls _malloc_r"
    status=1
fi
# newlib's own allocator (nano-mallocr) must not be in the image.
if arm-none-eabi-nm "$out/firmware.elf" | grep -E " (__malloc_free_list|__malloc_sbrk_start|_nano_malloc)$"; then
    echo "newlib's allocator was linked too"
    status=1
fi
[ $status -eq 0 ] && echo "malloc family and newlib's _r hooks resolve to memkit ($(arm-none-eabi-size "$out/firmware.elf" | tail -1 | awk '{print $1 + $2, "bytes of text+data"}'))"
if [ $status -eq 0 ] && [ "${RUN:-0}" = 1 ]; then
    timeout 20 qemu-system-arm -M mps2-an385 -display none -monitor none -serial none \
        -chardev stdio,id=sh0 -semihosting-config enable=on,target=native,chardev=sh0 \
        -kernel "$out/firmware.elf" >"$out/run.txt" || status=$?
    cat "$out/run.txt"
    grep -q "^after " "$out/run.txt" || status=1
fi
exit $status
