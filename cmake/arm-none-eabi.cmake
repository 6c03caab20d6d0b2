# Bare-metal Cortex-M builds run on QEMU (see tests/target/README.md):
#   cmake -S . -B build/m3 --toolchain cmake/arm-none-eabi.cmake -DMEMKIT_BOARD=mps2-an385
# MEMKIT_BOARD: mps2-an385 (Cortex-M3), mps2-an505 (Cortex-M33), microbit (Cortex-M0,
# 16 KiB RAM; memkit built with MK_NO_ATOMICS, as a core without compare-and-swap needs).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(MEMKIT_BOARD mps2-an385 CACHE STRING "QEMU board: mps2-an385, mps2-an505 or microbit")

if(MEMKIT_BOARD STREQUAL "mps2-an385")
  set(MEMKIT_TARGET_CPU "-mcpu=cortex-m3 -mthumb")
  set(MEMKIT_TARGET_MEMORY "__flash=0x0;__flash_size=0x400000;__ram=0x20000000;__ram_size=0x400000;__stack_size=0x4000")
elseif(MEMKIT_BOARD STREQUAL "mps2-an505")
  set(MEMKIT_TARGET_CPU "-mcpu=cortex-m33 -mthumb")
  set(MEMKIT_TARGET_MEMORY "__flash=0x10000000;__flash_size=0x400000;__ram=0x38000000;__ram_size=0x200000;__stack_size=0x4000")
elseif(MEMKIT_BOARD STREQUAL "microbit")
  set(MEMKIT_TARGET_CPU "-mcpu=cortex-m0 -mthumb -DMK_NO_ATOMICS=1")
  set(MEMKIT_TARGET_MEMORY "__flash=0x0;__flash_size=0x40000;__ram=0x20000000;__ram_size=0x4000;__stack_size=0xC00")
else()
  message(FATAL_ERROR "MEMKIT_BOARD=${MEMKIT_BOARD}: not one of mps2-an385, mps2-an505, microbit")
endif()
set(CMAKE_C_FLAGS_INIT "${MEMKIT_TARGET_CPU} -ffreestanding")
set(CMAKE_CROSSCOMPILING_EMULATOR bash;${CMAKE_CURRENT_LIST_DIR}/../tests/target/qemu.sh;qemu-system-arm;${MEMKIT_BOARD})
