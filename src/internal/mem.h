/* Copying and zeroing without libc. Private.
 *
 * GCC may turn a recognisable copy or zero loop into a call to memcpy/memset even with
 * -ffreestanding; the core must link without them (tests/cross/no_libc.sh checks at -Os
 * and -O2), so GCC is told not to for these two functions. */
#ifndef MEMKIT_INTERNAL_MEM_H
#define MEMKIT_INTERNAL_MEM_H

#include <stddef.h>

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

#endif
