/* Copying and zeroing without libc. Private.
 *
 * GCC may turn a recognisable copy or zero loop into a call to memcpy/memset even with
 * -ffreestanding; the core must link without them (tests/cross/no_libc.sh checks at -Os
 * and -O2), so GCC is told not to for these two functions. */
#ifndef MEMKIT_INTERNAL_MEM_H
#define MEMKIT_INTERNAL_MEM_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) && !defined(__clang__)
#define MK__NO_LIBCALLS __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define MK__NO_LIBCALLS
#endif

/* Copies n bytes between buffers that do not overlap. O(n). */
MK__NO_LIBCALLS static inline void mk__copy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    for (size_t i = 0; i < n; i++)
        d[i] = s[i];
}

/* Sets n bytes to zero. O(n). */
MK__NO_LIBCALLS static inline void mk__zero(void *dst, size_t n)
{
    unsigned char *d = dst;
    for (size_t i = 0; i < n; i++)
        d[i] = 0;
}

/* Copies n bytes between buffers that may overlap, like memmove: forwards when dst is
 * below src, backwards otherwise, so no byte is read after it was overwritten. O(n). */
MK__NO_LIBCALLS static inline void mk__move(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if ((uintptr_t)d <= (uintptr_t)s) {
        for (size_t i = 0; i < n; i++)
            d[i] = s[i];
    } else {
        for (size_t i = n; i > 0; i--)
            d[i - 1] = s[i - 1];
    }
}

#endif
