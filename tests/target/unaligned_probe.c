/* Proves the Cortex-M0 run can catch what it is there to catch: a 32-bit load from an
 * address that is not a multiple of 4 must fault (the start-up code then reports it and
 * exits with 3). If it did not, the heap tests passing on this board would say nothing
 * about the heap's alignment. */
#include <stdint.h>
#include <stdio.h>

static _Alignas(4) unsigned char bytes[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static volatile uintptr_t offset = 1; /* volatile: GCC must not see the misalignment */

int main(void)
{
    const volatile uint32_t *p = (const volatile uint32_t *)(void *)(bytes + offset);
    printf("loaded %u\n", (unsigned)*p);
    return 0;
}
