/*
 * mk_bitset: N bits in ceil(N / W) words of W bits, never allocating. Shape:
 * docs/containers.md.
 *
 * Contents
 *   mk_bitset_view ........ the erased view: words, bit count, word width
 *   mk_bitset_* ........... the core (src/bitset.c)
 *   MK_BITSET_DEFINE ....... MK_BITSET_DEFINE(name, N): uint32_t words
 *   MK_BITSET_DEFINE_IDX ... MK_BITSET_DEFINE_IDX(name, N, WORD): words of WORD
 *   MK_BITSET_DEFINE_EXT ... MK_BITSET_DEFINE_EXT(name): over uint32_t words the caller lends
 *
 * Exceptions to docs/containers.md: a bitset holds bits, so the macros take no T; it
 * has no counters, so _DEFINE_IDX chooses the word type instead (uint8_t, uint16_t or
 * uint32_t): uint32_t words are fastest on 32-bit cores, uint8_t words make a set of
 * N bits exactly ceil(N / 8) bytes. Indexes at or past N are bad arguments: setting
 * one gives MK_EINVAL, testing one gives false.
 *
 * The typed functions (W = bits per word):
 *   mk_err name_set(name *b, size_t i), name_clear(name *b, size_t i),
 *          name_toggle(name *b, size_t i)        MK_EINVAL when i >= N         O(1)
 *   bool   name_test(const name *b, size_t i)    false when i >= N             O(1)
 *   size_t name_count(const name *b)             bits set                      O(N / W)
 *   size_t name_find_first_set(const name *b), name_find_first_clear(const name *b),
 *          name_find_next_set(const name *b, size_t from)
 *                                                index, or N when none         O(N / W)
 *   void   name_set_all(name *b), name_clear_all(name *b)                      O(N / W)
 *   size_t name_size(const name *b)              N                             O(1)
 *   mk_bitset_view name_view(name *b)
 * and for _EXT: mk_err name_init_ext(name *b, uint32_t *words, size_t nbits), which
 * needs ceil(nbits / 32) words and clears them.
 *
 * sizeof: MK_BITSET_DEFINE(x, N) is 4 * ceil(N / 32); MK_BITSET_DEFINE_IDX(x, N,
 * uint8_t) is ceil(N / 8); _EXT is 2 pointers.
 */
#ifndef MEMKIT_BITSET_H
#define MEMKIT_BITSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memkit/container.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where a bitset keeps its bits. Passed by value. The core trusts a view: words holds
 * ceil(nbits / (8 * word_size)) words of word_size bytes (1, 2 or 4); bit i is bit
 * i % W of word i / W; bits at or past nbits are always 0. */
typedef struct mk_bitset_view {
    void *words;             /* word 0 */
    size_t nbits;            /* bits in the set */
    unsigned char word_size; /* 1, 2 or 4 */
} mk_bitset_view;

/* Sets bit i. MK_OK, or MK_EINVAL when i >= nbits (nothing changes). O(1). */
mk_err mk_bitset_set(mk_bitset_view b, size_t i);
/* Clears bit i. MK_OK, or MK_EINVAL when i >= nbits (nothing changes). O(1). */
mk_err mk_bitset_clear(mk_bitset_view b, size_t i);
/* Flips bit i. MK_OK, or MK_EINVAL when i >= nbits (nothing changes). O(1). */
mk_err mk_bitset_toggle(mk_bitset_view b, size_t i);
/* Bit i; false when i >= nbits. O(1). */
bool mk_bitset_test(mk_bitset_view b, size_t i);
/* Bits set. O(nbits / W). */
size_t mk_bitset_count(mk_bitset_view b);
/* The first index >= from whose bit equals `value`, or nbits when there is none
 * (from >= nbits included). O(nbits / W). */
size_t mk_bitset_find(mk_bitset_view b, size_t from, bool value);
/* Sets every bit (and only the nbits bits). O(nbits / W). */
void mk_bitset_set_all(mk_bitset_view b);
/* Clears every bit. O(nbits / W). */
void mk_bitset_clear_all(mk_bitset_view b);

/* The functions shared by the three forms; each defines name##_size and the struct
 * with the field `w` (an array or a pointer of WORD). */
#define MK__BITSET_FUNCS(name, WORD)                                                    \
    /* The erased view of b. O(1). */                                                   \
    MK__MAYBE_UNUSED static inline mk_bitset_view name##_view(name *mk__b)              \
    {                                                                                   \
        mk_bitset_view mk__v = { mk__b->w, name##_size(mk__b),                          \
                                 (unsigned char)sizeof(WORD) };                         \
        return mk__v;                                                                   \
    }                                                                                   \
    /* Sets bit i: MK_OK, or MK_EINVAL when i >= size. O(1). */                         \
    MK__MAYBE_UNUSED static inline mk_err name##_set(name *mk__b, size_t mk__i)         \
    {                                                                                   \
        return mk_bitset_set(name##_view(mk__b), mk__i);                                \
    }                                                                                   \
    /* Clears bit i: MK_OK, or MK_EINVAL when i >= size. O(1). */                       \
    MK__MAYBE_UNUSED static inline mk_err name##_clear(name *mk__b, size_t mk__i)       \
    {                                                                                   \
        return mk_bitset_clear(name##_view(mk__b), mk__i);                              \
    }                                                                                   \
    /* Flips bit i: MK_OK, or MK_EINVAL when i >= size. O(1). */                        \
    MK__MAYBE_UNUSED static inline mk_err name##_toggle(name *mk__b, size_t mk__i)      \
    {                                                                                   \
        return mk_bitset_toggle(name##_view(mk__b), mk__i);                             \
    }                                                                                   \
    /* Bit i; false when i >= size. O(1). */                                            \
    MK__MAYBE_UNUSED static inline bool name##_test(const name *mk__b, size_t mk__i)    \
    {                                                                                   \
        size_t mk__bits = 8u * sizeof(WORD);                                            \
        return mk__i < name##_size(mk__b) &&                                            \
               ((mk__b->w[mk__i / mk__bits] >> (mk__i % mk__bits)) & 1u);               \
    }                                                                                   \
    /* Bits set. O(size / W). */                                                        \
    MK__MAYBE_UNUSED static inline size_t name##_count(const name *mk__b)               \
    {                                                                                   \
        return mk_bitset_count(name##_view((name *)mk__b));                             \
    }                                                                                   \
    /* The first set bit, or size when none. O(size / W). */                            \
    MK__MAYBE_UNUSED static inline size_t name##_find_first_set(const name *mk__b)      \
    {                                                                                   \
        return mk_bitset_find(name##_view((name *)mk__b), 0, true);                     \
    }                                                                                   \
    /* The first clear bit, or size when none. O(size / W). */                          \
    MK__MAYBE_UNUSED static inline size_t name##_find_first_clear(const name *mk__b)    \
    {                                                                                   \
        return mk_bitset_find(name##_view((name *)mk__b), 0, false);                    \
    }                                                                                   \
    /* The first set bit at or after from, or size when none: iterates the set bits     \
     * with for (i = find_first_set(b); i < size; i = find_next_set(b, i + 1)). */      \
    MK__MAYBE_UNUSED static inline size_t name##_find_next_set(const name *mk__b,       \
                                                               size_t mk__from)         \
    {                                                                                   \
        return mk_bitset_find(name##_view((name *)mk__b), mk__from, true);              \
    }                                                                                   \
    /* Sets all size bits. O(size / W). */                                              \
    MK__MAYBE_UNUSED static inline void name##_set_all(name *mk__b)                     \
    {                                                                                   \
        mk_bitset_set_all(name##_view(mk__b));                                          \
    }                                                                                   \
    /* Clears every bit. O(size / W). */                                                \
    MK__MAYBE_UNUSED static inline void name##_clear_all(name *mk__b)                   \
    {                                                                                   \
        mk_bitset_clear_all(name##_view(mk__b));                                        \
    }

/* Declares `name`, a set of N bits in words of type WORD (uint8_t, uint16_t or
 * uint32_t), and the functions listed at the top of this file. All-zero bytes are the
 * set with every bit clear. Fields are private. Use at file scope, then `;`. */
#define MK_BITSET_DEFINE_IDX(name, N, WORD)                                             \
    _Static_assert((N) > 0, "MK_BITSET_DEFINE: size must be positive");                 \
    _Static_assert((WORD)-1 > 0 && (sizeof(WORD) == 1 || sizeof(WORD) == 2 ||           \
                                    sizeof(WORD) == 4),                                 \
                   "MK_BITSET_DEFINE: words are uint8_t, uint16_t or uint32_t");        \
    _Static_assert((uintmax_t)(N) <= (uintmax_t)PTRDIFF_MAX - 7u,                       \
                   "MK_BITSET_DEFINE: size too large");                                 \
    typedef struct name {                                                               \
        WORD w[((N) + 8u * sizeof(WORD) - 1u) / (8u * sizeof(WORD))]; /* bits >= N: 0 */ \
    } name;                                                                             \
    /* Bits in the set: N. O(1). */                                                     \
    MK__MAYBE_UNUSED static inline size_t name##_size(const name *mk__b)                \
    {                                                                                   \
        (void)mk__b;                                                                    \
        return (N);                                                                     \
    }                                                                                   \
    MK__BITSET_FUNCS(name, WORD)                                                        \
    _Static_assert(sizeof(name) * 8u >= (N), "MK_BITSET_DEFINE")

/* MK_BITSET_DEFINE_IDX with uint32_t words. */
#define MK_BITSET_DEFINE(name, N) MK_BITSET_DEFINE_IDX(name, N, uint32_t)

/* Declares `name`, a bitset over uint32_t words the caller lends, plus
 *     mk_err name_init_ext(name *b, uint32_t *words, size_t nbits);
 * which clears the ceil(nbits / 32) words and makes b a set of nbits bits over them.
 * MK_OK; MK_EINVAL when b is NULL, or words is NULL and nbits > 0; MK_ERANGE when nbits
 * exceeds PTRDIFF_MAX or the words would wrap the address space; on failure nothing
 * changes.
 * O(nbits / 32). An all-zero _EXT bitset has size 0. */
#define MK_BITSET_DEFINE_EXT(name)                                                      \
    typedef struct name {                                                               \
        uint32_t *w;                                                                    \
        size_t nbits;                                                                   \
    } name;                                                                             \
    MK__MAYBE_UNUSED static inline size_t name##_size(const name *mk__b)                \
    {                                                                                   \
        return mk__b->nbits;                                                            \
    }                                                                                   \
    MK__BITSET_FUNCS(name, uint32_t)                                                    \
    MK__MAYBE_UNUSED static inline mk_err name##_init_ext(name *mk__b,                  \
                                                          uint32_t *mk__words,          \
                                                          size_t mk__nbits)             \
    {                                                                                   \
        size_t mk__nwords = mk__nbits / 32u + (mk__nbits % 32u != 0);                   \
        mk_err mk__e = mk__nbits > (size_t)PTRDIFF_MAX                                  \
                           ? MK_ERANGE                                                  \
                           : mk_container_check_buffer(mk__words, mk__nwords,           \
                                                       sizeof(uint32_t));               \
        if (mk__b == NULL)                                                              \
            return MK_EINVAL;                                                           \
        if (mk__e == MK_OK) {                                                           \
            mk__b->w = mk__words;                                                       \
            mk__b->nbits = mk__nbits;                                                   \
            mk_bitset_clear_all(name##_view(mk__b));                                    \
        }                                                                               \
        return mk__e;                                                                   \
    }                                                                                   \
    _Static_assert(sizeof(name) > 0, "MK_BITSET_DEFINE_EXT")

#ifdef __cplusplus
}
#endif

#endif /* MEMKIT_BITSET_H */
