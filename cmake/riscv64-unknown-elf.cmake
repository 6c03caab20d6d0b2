# Bare-metal RV32IMAC builds with Debian's riscv64-unknown-elf-gcc, run on QEMU's virt
# board in machine mode (see tests/target/README.md):
#   cmake -S . -B build/rv32 --toolchain cmake/riscv64-unknown-elf.cmake
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv32)
set(CMAKE_C_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(MEMKIT_BOARD virt CACHE STRING "QEMU board: virt")
set(MEMKIT_TARGET_CPU "-march=rv32imac -mabi=ilp32 -mcmodel=medany")
# "Flash" is the first MiB of RAM, so .data sits on pages of its own.
set(MEMKIT_TARGET_MEMORY "__flash=0x80000000;__flash_size=0x100000;__ram=0x80100000;__ram_size=0x1000000;__stack_size=0x4000")
set(CMAKE_C_FLAGS_INIT "${MEMKIT_TARGET_CPU} -ffreestanding")
set(CMAKE_CROSSCOMPILING_EMULATOR bash;${CMAKE_CURRENT_LIST_DIR}/../tests/target/qemu.sh;qemu-system-riscv32;${MEMKIT_BOARD})
