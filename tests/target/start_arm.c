/* Cortex-M start-up: the vector table (initial stack pointer, reset, faults) and the
 * semihosting trap. Any fault ends the run with status 3, so an unaligned access on the
 * Cortex-M0 fails the test instead of hanging it. */
#include <stdlib.h>

#include "target.h"

uintptr_t target_semihost(uintptr_t op, const void *arg)
{
    register uintptr_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void _start(void);
void _start(void) { target_main(); }

static void on_fault(void)
{
    target_write("\nfault: the CPU took an exception (unaligned access? bad address?)\n");
    exit(3);
}

static void on_unexpected(void)
{
    target_write("\nunexpected exception\n");
    exit(3);
}

__attribute__((section(".vectors"), used)) static const struct {
    void *stack_top;
    void (*handler[15])(void);
} vectors = {
    __stack_top,
    { _start, on_unexpected, on_fault, on_fault, on_fault, on_fault, on_fault,
      on_unexpected, on_unexpected, on_unexpected, on_unexpected, on_unexpected,
      on_unexpected, on_unexpected, on_unexpected },
};
