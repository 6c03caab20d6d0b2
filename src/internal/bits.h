/* Bit helpers shared by the core. Private. */
#ifndef MEMKIT_INTERNAL_BITS_H
#define MEMKIT_INTERNAL_BITS_H

#include <stdint.h>

#if (defined(__GNUC__) || defined(__clang__)) && defined(__riscv) && !defined(__riscv_zbb) && \
    defined(__riscv_mul) && !defined(__OPTIMIZE_SIZE__)
/* RISC-V without Zbb has no bit-count instructions, and the builtins call libgcc: a
 * table walk behind a call that clobbers every caller-saved register, four times on the
 * heap's longest allocation. Speed builds look the answer up inline instead; -Os keeps
 * the smaller calls. */
#define MK__BITS2(n) n, n
#define MK__BITS4(n) MK__BITS2(n), MK__BITS2(n)
#define MK__BITS8(n) MK__BITS4(n), MK__BITS4(n)
#define MK__BITS16(n) MK__BITS8(n), MK__BITS8(n)
#define MK__BITS32(n) MK__BITS16(n), MK__BITS16(n)
#define MK__BITS64(n) MK__BITS32(n), MK__BITS32(n)
#define MK__BITS128(n) MK__BITS64(n), MK__BITS64(n)
/* Index of the highest set bit; x must be non-zero. A byte-wide table after two
 * branch-free tests that find x's top byte: the same instructions for every x, so the
 * heap's counts do not depend on block sizes. */
static inline unsigned mk__msb32(uint32_t x)
{
    static const unsigned char top[256] = { 0, 0, MK__BITS2(1), MK__BITS4(2), MK__BITS8(3),
        MK__BITS16(4), MK__BITS32(5), MK__BITS64(6), MK__BITS128(7) };
    unsigned s = (unsigned)(x >> 16 != 0) << 4;
    s += (unsigned)((x >> s) >> 8 != 0) << 3;
    return s + top[x >> s];
}
/* Index of the lowest set bit; x must be non-zero. x & -x is a single bit, and
 * multiplying by it shifts the de Bruijn sequence 0x077CB531, whose 32 five-bit windows
 * all differ, so the top five bits name the position. */
static inline unsigned mk__ctz32(uint32_t x)
{
    static const unsigned char at[32] = { 0, 1, 28, 2, 29, 14, 24, 3, 30, 22, 20, 15, 25,
        17, 4, 8, 31, 27, 13, 23, 21, 19, 16, 7, 26, 12, 18, 6, 11, 5, 10, 9 };
    return at[((x & (0u - x)) * 0x077CB531u) >> 27];
}
#elif defined(__GNUC__) || defined(__clang__)
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
