/* Minimal Cortex-M start-up for the firmware example: a vector table, .bss zeroed, the
 * heap set up, semihosting opened, then main; its result is the exit status. The image
 * runs from RAM as QEMU loads it (a board booting from flash would also copy .data). */
#include <stdint.h>
#include <stdlib.h>

extern uint32_t __bss_start__, __bss_end__, __stack_top;
extern void initialise_monitor_handles(void);
int main(void);
void heap_setup(void);

void reset_handler(void);
static void fault_handler(void)
{
    exit(99);
}

/* Addresses as integers: ISO C has no pointer type for "stack top or handler". */
__attribute__((section(".vectors"), used)) static const uintptr_t vectors[16] = {
    (uintptr_t)&__stack_top,   (uintptr_t)reset_handler, (uintptr_t)fault_handler,
    (uintptr_t)fault_handler, (uintptr_t)fault_handler, (uintptr_t)fault_handler,
    (uintptr_t)fault_handler,
};

void reset_handler(void)
{
    for (uint32_t *p = &__bss_start__; p < &__bss_end__;)
        *p++ = 0;
    /* Before any newlib call: opening the semihosting handles already allocates, and
     * stdio set up over a heap with no region is left pointing at address 0. */
    heap_setup();
    initialise_monitor_handles();
    exit(main());
}
