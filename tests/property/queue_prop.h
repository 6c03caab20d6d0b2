/* What the queue property tests (spsc_prop.c, mpmc_prop.c) share: reading and writing
 * an item of any of the sizes they use, and how each step picks its operation. */
#ifndef MEMKIT_TEST_QUEUE_PROP_H
#define MEMKIT_TEST_QUEUE_PROP_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "test.h"

/* A uint32_t or uint16_t item as the host lays it out (the typed queues copy them so);
 * any other size (the erased queues' odd slots) as bytes, low byte first. */
static void put(void *item, uint32_t x, size_t esize)
{
    uint16_t h = (uint16_t)x;
    if (esize == sizeof x || esize == sizeof h) {
        memcpy(item, esize == sizeof x ? (void *)&x : (void *)&h, esize);
        return;
    }
    for (size_t b = 0; b < esize; b++)
        ((unsigned char *)item)[b] = (unsigned char)(x >> (8u * b));
}

static uint32_t get(const void *item, size_t esize)
{
    uint32_t x = 0;
    uint16_t h = 0;
    if (esize == sizeof x || esize == sizeof h) {
        memcpy(esize == sizeof x ? (void *)&x : (void *)&h, item, esize);
        return esize == sizeof x ? x : h;
    }
    for (size_t b = 0; b < esize; b++)
        x |= (uint32_t)((const unsigned char *)item)[b] << (8u * b);
    return x;
}

/* One step on one queue: re-initialise it (1 in 100), else one of ten ways to operate,
 * adding to the queue (`more`) or taking from it. Phases of 500 steps alternate between
 * mostly adding and mostly taking, so the queue keeps going from empty to full. */
typedef struct queue_step {
    bool init;
    bool more;
    unsigned way;
} queue_step;

static queue_step queue_step_pick(unsigned long long *s, unsigned long step)
{
    unsigned grow = (step / 500) % 2 ? 70 : 30;
    unsigned op = (unsigned)test_range(s, 0, 99);
    queue_step q = { op == 99, op < grow, (unsigned)test_range(s, 0, 9) };
    return q;
}

#endif
