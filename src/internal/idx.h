/* Reading and writing a container's counter whose width the view carries (1, 2, 4 or 8
 * bytes: uint8_t, uint16_t, uint32_t, uint64_t or size_t), so that one copy of each
 * container's core serves every counter type. The counter is accessed as its own type,
 * never through a wider one, so narrow counters stay valid objects. Private. */
#ifndef MEMKIT_INTERNAL_IDX_H
#define MEMKIT_INTERNAL_IDX_H

#include <stddef.h>
#include <stdint.h>

/* The value of the counter at p, `size` bytes wide. O(1). */
static inline size_t mk__idx_get(const void *p, unsigned size)
{
    switch (size) {
    case 1: return *(const uint8_t *)p;
    case 2: return *(const uint16_t *)p;
    case 4: return *(const uint32_t *)p;
    default: return (size_t)*(const uint64_t *)p;
    }
}

/* Stores v into the counter at p, `size` bytes wide; v must fit (the caller checked it
 * against the capacity, which fits the counter by construction). O(1). */
static inline void mk__idx_set(void *p, unsigned size, size_t v)
{
    switch (size) {
    case 1: *(uint8_t *)p = (uint8_t)v; break;
    case 2: *(uint16_t *)p = (uint16_t)v; break;
    case 4: *(uint32_t *)p = (uint32_t)v; break;
    default: *(uint64_t *)p = (uint64_t)v; break;
    }
}

/* The largest value a counter of `size` bytes holds. O(1). */
static inline size_t mk__idx_max(unsigned size)
{
    return size >= sizeof(size_t) ? SIZE_MAX : ((size_t)1 << (8u * size)) - 1u;
}

#endif
