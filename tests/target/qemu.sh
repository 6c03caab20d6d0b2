#!/usr/bin/env bash
# ctest's CMAKE_CROSSCOMPILING_EMULATOR: runs a bare-metal image on QEMU with
# semihosting, passes the test's arguments through -append (the image reads them with
# SYS_GET_CMDLINE) and exits with the image's status. A hung image is killed after
# MEMKIT_QEMU_TIMEOUT seconds (default 300). Extra QEMU options (e.g. -icount shift=0)
# come from MEMKIT_QEMU_FLAGS.
# Usage: qemu.sh QEMU BOARD IMAGE [ARGS...]
set -euo pipefail
qemu=$1 board=$2 image=$3
shift 3
machine=(-M "$board")
[ "$qemu" = qemu-system-riscv32 ] && machine+=(-bios none)
# shellcheck disable=SC2086
exec timeout "${MEMKIT_QEMU_TIMEOUT:-300}" "$qemu" "${machine[@]}" ${MEMKIT_QEMU_FLAGS:-} \
    -display none -monitor none -serial none \
    -chardev stdio,id=sh0 -semihosting-config enable=on,target=native,chardev=sh0 \
    -kernel "$image" -append "$*"
