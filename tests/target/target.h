/* What the bare-metal test images share between the C library, the start-up code and
 * the tests that only make sense on a target. */
#ifndef MEMKIT_TARGET_H
#define MEMKIT_TARGET_H

#include <stdbool.h>
#include <stdint.h>

/* Semihosting operations (Arm's numbering, which RISC-V reuses). */
enum { SYS_WRITE0 = 0x04, SYS_GET_CMDLINE = 0x15, SYS_EXIT_EXTENDED = 0x20 };

/* Traps to the debugger (QEMU) with an operation and its argument block. Per arch. */
uintptr_t target_semihost(uintptr_t op, const void *arg);

/* Writes a NUL-terminated string to the console. */
void target_write(const char *s);

/* Linker-script symbols: the main stack's limit and top (it grows down). */
extern unsigned char __stack_limit[], __stack_top[];

/* Runs main with the command line QEMU was given (-append), then exits with its status. */
_Noreturn void target_main(void);

#endif
