/*
 * mk_bheap: a fixed-capacity binary heap (priority queue) that never allocates (the
 * shape of docs/containers.md).
 *
 * Contents
 *   mk_bheap_view ........................ the erased view; core functions mk_bheap_*
 *   MK_BHEAP_DEFINE(name, T, N, cmp)          storage inside, uint32_t counter
 *   MK_BHEAP_DEFINE_IDX(name, T, N, IDX, cmp) narrower counter (uint8_t, uint16_t)
 *   MK_BHEAP_DEFINE_EXT(name, T, cmp)         a borrowed buffer: name_init_ext
 *   typed functions: name_view, name_cap, name_len, name_is_empty, name_is_full,
 *   name_push, name_pop, name_peek, name_push_pop, name_replace_top, name_clear
 *
 * Options: none (nothing here reads config.h); no libc, no lock.
 *
 * Order
 *   The top is the element that sorts first by `cmp` (an mk_cmp_fn, as for qsort): a
 *   min-heap with an ascending comparator, a max-heap with a descending one. Elements
 *   that compare equal come out in no particular order (the heap is not stable).
 *
 * Layout and invariants
 *   data[0 .. len) is an implicit binary tree: the children of i are 2i + 1 and 2i + 2,
 *   and no child sorts before its parent, so data[0] is the top. Empty when len == 0.
 *   Elements move by copying or swapping their bytes, so T may be any size and needs no
 *   temporary. A pop moves the hole at the root down to a leaf (one comparison a level)
 *   and lets the last element rise from there, rather than sinking it from the root.
 *
 * Costs: push, pop, push_pop, replace_top O(log len) comparisons and swaps; peek, len,
 * cap O(1); clear O(1); mk_bheap_check O(len).
 *
 * Exception to docs/containers.md: the macros take the comparator as a last argument,
 * since the order is part of the type. T is pasted into declarations such as `const T *`:
 * name pointer and array types through a typedef.
 *
 * sizeof MK_BHEAP_DEFINE(name, T, N, cmp): the counter then T data[N], with padding;
 * e.g. T = uint32_t, N = 256: 1028 bytes on 32- and 64-bit targets (with IDX = uint16_t
 * still 1028: the array's alignment pads the counter). _EXT: three words (12 bytes on
 * 32-bit, 24 on 64-bit).
 */
#ifndef MEMKIT_BHEAP_H
#define MEMKIT_BHEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memkit/container.h"
#include "memkit/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the core needs to know about one heap. Made by name_view(&h). */
typedef struct mk_bheap_view {
    void *data;             /* element 0: the top */
    void *len;              /* the element count, idx_size bytes */
    size_t cap;             /* elements that fit */
    size_t esize;           /* bytes per element */
    mk_cmp_fn cmp;
    unsigned char idx_size; /* 1, 2, 4 or 8 */
} mk_bheap_view;

/* Adds a copy of *x. Returns MK_OK; MK_EFULL when len == cap (nothing changes);
 * MK_EINVAL for a NULL x. O(log len). */
mk_err mk_bheap_push(mk_bheap_view h, const void *x);

/* Removes the top, copying it to *out (out may be NULL to discard). Returns MK_OK;
 * MK_EEMPTY when empty (*out unchanged). O(log len). */
mk_err mk_bheap_pop(mk_bheap_view h, void *out);

/* The top, or NULL when empty. Valid until the next push or pop. O(1). */
const void *mk_bheap_peek(mk_bheap_view h);

/* Pushes *x and pops the top into *out, as one step that never fails for lack of room
 * (also when full, and with capacity 0): when the heap is empty or *x does not sort
 * after the top, *out = *x and the heap is unchanged. x and out must not overlap, and x
 * must not point into the heap. Returns MK_OK; MK_EINVAL for a NULL x or out.
 * O(log len). */
mk_err mk_bheap_push_pop(mk_bheap_view h, const void *x, void *out);

/* Pops the top into *out (out may be NULL) and pushes *x, as one step; x must not
 * point into the heap. Returns MK_OK; MK_EEMPTY when empty (nothing changes, *x is not
 * added); MK_EINVAL for a NULL x. O(log len). */
mk_err mk_bheap_replace_top(mk_bheap_view h, const void *x, void *out);

/* Number of elements. O(1). */
size_t mk_bheap_len(mk_bheap_view h);

/* Removes every element. O(1). */
void mk_bheap_clear(mk_bheap_view h);

/* Whether every element sorts no earlier than its parent and len <= cap: MK_OK or
 * MK_ECORRUPT (also when an element was changed in place through a cast). O(len). */
mk_err mk_bheap_check(mk_bheap_view h);

/* ---- typed wrappers ---------------------------------------------------------------- */

/* The functions both forms share; each defines name##_cap and the struct with fields
 * len (of type IDX) and data (an array or a pointer). */
#define MK__BHEAP_FUNCS(name, T, IDX, cmp)                                              \
    /* The erased view of *h. O(1). */                                                  \
    MK__MAYBE_UNUSED static inline mk_bheap_view name##_view(name *mk__h)               \
    {                                                                                   \
        mk_bheap_view mk__v = { mk__h->data, &mk__h->len, name##_cap(mk__h), sizeof(T), \
                                (cmp), (unsigned char)sizeof(IDX) };                    \
        return mk__v;                                                                   \
    }                                                                                   \
    /* Adds x; MK_EFULL when full. O(log len). */                                       \
    MK__MAYBE_UNUSED static inline mk_err name##_push(name *mk__h, T mk__x)             \
    {                                                                                   \
        return mk_bheap_push(name##_view(mk__h), &mk__x);                               \
    }                                                                                   \
    /* Removes the top into *out (NULL discards it); MK_EEMPTY if empty. O(log len). */ \
    MK__MAYBE_UNUSED static inline mk_err name##_pop(name *mk__h, T *mk__out)           \
    {                                                                                   \
        return mk_bheap_pop(name##_view(mk__h), mk__out);                               \
    }                                                                                   \
    /* The top, or NULL when empty. O(1). */                                            \
    MK__MAYBE_UNUSED static inline const T *name##_peek(const name *mk__h)              \
    {                                                                                   \
        return (const T *)mk_bheap_peek(name##_view((name *)mk__h));                    \
    }                                                                                   \
    /* Pushes x and returns the top that then comes off: x itself when the heap is      \
     * empty or x does not sort after the top. Never fails. O(log len). */              \
    MK__MAYBE_UNUSED static inline T name##_push_pop(name *mk__h, T mk__x)              \
    {                                                                                   \
        T mk__out;                                                                      \
        mk_bheap_push_pop(name##_view(mk__h), &mk__x, &mk__out);                        \
        return mk__out;                                                                 \
    }                                                                                   \
    /* Pops the top into *out (out may be NULL), then pushes x; MK_EEMPTY when empty    \
     * (x not added). O(log len). */                                                    \
    MK__MAYBE_UNUSED static inline mk_err name##_replace_top(name *mk__h, T mk__x,      \
                                                             T *mk__out)                \
    {                                                                                   \
        return mk_bheap_replace_top(name##_view(mk__h), &mk__x, mk__out);               \
    }                                                                                   \
    MK__CONTAINER_LEN_FUNCS(name, len)                                                  \
    /* Removes every element. O(1). */                                                  \
    MK__MAYBE_UNUSED static inline void name##_clear(name *mk__h) { mk__h->len = 0; }

/* Declares the heap type `name`: at most N elements of type T ordered by cmp, with a
 * counter of type IDX (an unsigned type of 1, 2, 4 or 8 bytes holding N), and the typed
 * functions listed at the top of this file. All-zero is an empty heap. Fields are
 * private. Use at file scope, then `;`. */
#define MK_BHEAP_DEFINE_IDX(name, T, N, IDX, cmp)                                       \
    MK__CONTAINER_ASSERTS("MK_BHEAP_DEFINE", N, sizeof(T), IDX);                        \
    typedef struct name {                                                               \
        IDX len; /* elements held: empty when 0, full when N */                         \
        T data[N];                                                                      \
    } name;                                                                             \
    MK__CONTAINER_CAP_N(name, N)                                                        \
    MK__BHEAP_FUNCS(name, T, IDX, cmp)                                                  \
    _Static_assert(sizeof(name) >= (N) * sizeof(T), "MK_BHEAP_DEFINE")

/* MK_BHEAP_DEFINE_IDX with a uint32_t counter. */
#define MK_BHEAP_DEFINE(name, T, N, cmp) MK_BHEAP_DEFINE_IDX(name, T, N, uint32_t, cmp)

/* Declares a heap type over a buffer the caller lends, plus
 *     mk_err name_init_ext(name *h, T *buf, size_t cap);
 * which makes h an empty heap over the cap elements at buf. Returns MK_OK; MK_EINVAL
 * when h is NULL, or buf is NULL and cap > 0; MK_ERANGE when cap * sizeof(T) exceeds
 * PTRDIFF_MAX or the buffer wraps the address space. On failure *h is unchanged. O(1).
 * An all-zero _EXT heap has capacity 0. Then the typed functions as above. */
#define MK_BHEAP_DEFINE_EXT(name, T, cmp)                                               \
    MK__CONTAINER_EXT_ARRAY(name, T)                                                    \
    MK__BHEAP_FUNCS(name, T, mk__size_idx, cmp)                                         \
    _Static_assert(sizeof(T) > 0, "MK_BHEAP_DEFINE_EXT")

#ifdef __cplusplus
}
#endif

#endif /* MEMKIT_BHEAP_H */
