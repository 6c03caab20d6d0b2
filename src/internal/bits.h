/* Bit helpers shared by the core. Private. */
#ifndef MEMKIT_INTERNAL_BITS_H
#define MEMKIT_INTERNAL_BITS_H

#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
/* Index of the highest set bit; x must be non-zero. */
static inline unsigned mk__msb32(uint32_t x) { return 31u - (unsigned)__builtin_clz(x); }
/* Index of the lowest set bit; x must be non-zero. */
static inline unsigned mk__ctz32(uint32_t x) { return (unsigned)__builtin_ctz(x); }
#else
static inline unsigned mk__msb32(uint32_t x)
{
    unsigned n = 0;
    if (x >> 16) { n += 16; x >>= 16; }
    if (x >> 8) { n += 8; x >>= 8; }
    if (x >> 4) { n += 4; x >>= 4; }
    if (x >> 2) { n += 2; x >>= 2; }
    return n + (x >> 1);
}
static inline unsigned mk__ctz32(uint32_t x) { return mk__msb32(x & (0u - x)); }
#endif

/* log2 of a power of two known at compile time, as a constant expression. */
#define MK__LOG2_CONST(x) \
    ((x) >= 4096 ? 12 : (x) >= 2048 ? 11 : (x) >= 1024 ? 10 : (x) >= 512 ? 9 : \
     (x) >= 256 ? 8 : (x) >= 128 ? 7 : (x) >= 64 ? 6 : (x) >= 32 ? 5 : (x) >= 16 ? 4 : 3)

static inline int mk__is_pow2(uintptr_t x) { return x != 0 && (x & (x - 1)) == 0; }

/* Number of set bits in x. O(1). */
#if defined(__GNUC__) || defined(__clang__)
static inline unsigned mk__popcount32(uint32_t x) { return (unsigned)__builtin_popcount(x); }
#else
static inline unsigned mk__popcount32(uint32_t x)
{
    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    return (unsigned)((((x + (x >> 4)) & 0x0F0F0F0Fu) * 0x01010101u) >> 24);
}
#endif

#endif
