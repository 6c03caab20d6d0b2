/* RV32 start-up (machine mode, no firmware): stack pointer, trap vector, then the
 * common start; and the semihosting trap. A trap ends the run with status 3. */
#include <stdlib.h>

#include "target.h"

uintptr_t target_semihost(uintptr_t op, const void *arg)
{
    register uintptr_t a0 __asm__("a0") = op;
    register const void *a1 __asm__("a1") = arg;
    /* The semihosting marker: these three uncompressed instructions, in one page. */
    __asm__ volatile(".option push\n.option norvc\n.balign 16\n"
                     "slli x0, x0, 0x1f\nebreak\nsrai x0, x0, 7\n.option pop"
                     : "+r"(a0) : "r"(a1) : "memory");
    return a0;
}

/* mtvec needs a 4-byte aligned handler. */
__attribute__((aligned(4))) static void on_trap(void)
{
    target_write("\ntrap: the CPU took an exception (bad address? illegal instruction?)\n");
    exit(3);
}

__attribute__((naked, section(".vectors"))) void _start(void);
void _start(void)
{
    /* -march stays rv32imac so that GCC picks the matching libgcc; CSRs are Zicsr. */
    __asm__ volatile(".option arch, +zicsr\n"
                     "la sp, __stack_top\n"
                     "csrw mtvec, %0\n"
                     "j target_main" : : "r"(on_trap));
}
