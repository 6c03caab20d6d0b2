/* Buffer geometry shared by the pools. Private. */
#ifndef MEMKIT_INTERNAL_POOL_FIT_H
#define MEMKIT_INTERNAL_POOL_FIT_H

#include <stddef.h>
#include <stdint.h>

/* Where `size` bytes at `start` fit `meta` bytes of metadata followed by aligned blocks
 * of `bs` bytes: sets *lead (offset of the first block) and returns the block count, or
 * 0 when not one fits. `start + size` must not wrap. O(1). */
static inline size_t mk__pool_fit(uintptr_t start, size_t size, size_t meta, size_t align,
                                  size_t bs, size_t *lead)
{
    if (meta > size)
        return 0;
    size_t pad = (size_t)((0u - (start + meta)) & (align - 1u));
    if (pad > size - meta)
        return 0;
    *lead = meta + pad;
    return (size - *lead) / bs;
}

#endif
