/* Minimal Cortex-M start-up for the firmware example: a vector table, .data copied from
 * flash, .bss zeroed, semihosting opened, then main; its result is the exit status. */
#include <stdint.h>
#include <stdlib.h>

extern uint32_t __data_start, __data_end, __data_load, __bss_start__, __bss_end__,
    __stack_top;
extern void initialise_monitor_handles(void);
int main(void);

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
    const uint32_t *from = &__data_load;
    for (uint32_t *to = &__data_start; to < &__data_end;)
        *to++ = *from++;
    for (uint32_t *p = &__bss_start__; p < &__bss_end__;)
        *p++ = 0;
    initialise_monitor_handles();
    exit(main());
}
