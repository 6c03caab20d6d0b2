/*
 * mk_slist: a fixed-capacity sorted list whose nodes live in an array and link by index,
 * so it never allocates (the shape of docs/containers.md).
 *
 * Contents
 *   mk_slist_view ........................ the erased view; core functions mk_slist_*
 *   MK_SLIST_DEFINE(name, T, N, cmp)          storage inside, uint32_t links
 *   MK_SLIST_DEFINE_IDX(name, T, N, IDX, cmp) narrower links (uint8_t, uint16_t)
 *   MK_SLIST_DEFINE_EXT(name, T, cmp)         borrowed buffers: name_init_ext
 *   typed functions: name_view, name_cap, name_len, name_is_empty, name_is_full,
 *   name_insert, name_pop_front, name_peek, name_next, name_find, name_remove,
 *   name_remove_node, name_clear
 *
 * Options: none (nothing here reads config.h); no libc, no lock.
 *
 * Order
 *   Elements are kept ascending by `cmp` (an mk_cmp_fn, as for qsort; a descending
 *   comparator gives a descending list). Insertion is stable: an element goes after
 *   every element that compares equal to it, so equal elements leave by pop_front in
 *   the order they came, and find returns the earliest of them.
 *   Iterate in order with
 *       for (const T *p = name_peek(&l); p != NULL; p = name_next(&l, p)) ...
 *
 * Layout and invariants
 *   data[N] holds the elements, next[N] the links: node + 1 of the following node, 0 at
 *   the end. Four counters, ctl[]: len; head (node + 1 of the smallest, 0 when empty);
 *   free (node + 1 of the first returned node, linked through next[]); fresh (nodes
 *   below it have been used: nodes at or above it were never handed out, so an all-zero
 *   list needs no free list threaded through it). The list from head is sorted and
 *   holds len nodes; len + (length of the free list) == fresh <= N. Empty when len == 0.
 *
 * Costs: insert, find, remove, remove_node O(len) comparisons (a sorted list is a
 * linear walk); pop_front, peek, next, len, cap, clear O(1); mk_slist_check O(N).
 * Nothing is ever moved: a pointer from peek, find or next stays valid, and keeps its
 * value, until that element is removed.
 *
 * Exception to docs/containers.md: the macros take the comparator as a last argument;
 * _EXT borrows one buffer per array (links, of mk_slist_link, and elements). T is pasted into declarations
 * such as `const T *`: name pointer and array types through a typedef.
 *
 * sizeof MK_SLIST_DEFINE(name, T, N, cmp): IDX ctl[4], IDX next[N], T data[N], with
 * padding; e.g. T = uint32_t, N = 64: 528 bytes on 32- and 64-bit targets, 324 with
 * IDX = uint8_t. _EXT: seven words (28 bytes on 32-bit, 56 on 64-bit).
 */
#ifndef MEMKIT_SLIST_H
#define MEMKIT_SLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memkit/container.h"
#include "memkit/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the core needs to know about one list. Made by name_view(&l). */
typedef struct mk_slist_view {
    void *data;             /* node 0's element */
    void *next;             /* cap links of idx_size bytes */
    void *ctl;              /* 4 counters of idx_size bytes: len, head, free, fresh */
    size_t cap;             /* nodes */
    size_t esize;           /* bytes per element */
    mk_cmp_fn cmp;
    unsigned char idx_size; /* 1, 2, 4 or 8 */
} mk_slist_view;

/* Adds a copy of *x after every element that does not sort after it. Returns MK_OK;
 * MK_EFULL when len == cap (nothing changes); MK_EINVAL for a NULL x. O(len). */
mk_err mk_slist_insert(mk_slist_view l, const void *x);

/* Removes the first (smallest) element, copying it to *out (out may be NULL). Returns
 * MK_OK; MK_EEMPTY when empty (*out unchanged). O(1). */
mk_err mk_slist_pop_front(mk_slist_view l, void *out);

/* The first (smallest) element, or NULL when empty. O(1). */
const void *mk_slist_peek(mk_slist_view l);

/* The element after `elem` in order, or NULL when elem is the last or does not point at
 * a node of this list. elem must be an element of the list (from peek, find or next)
 * not removed since; for a removed one the result is some node or NULL, never outside
 * the list's arrays. O(1). */
const void *mk_slist_next(mk_slist_view l, const void *elem);

/* The first element comparing equal to *key (the earliest inserted of them), or NULL
 * when there is none or key is NULL. O(len) (stops at the first element past key). */
const void *mk_slist_find(mk_slist_view l, const void *key);

/* Removes the first element comparing equal to *key, copying it to *out (out may be
 * NULL). Returns MK_OK; MK_EEMPTY when no element equals *key (nothing changes);
 * MK_EINVAL for a NULL key. O(len). */
mk_err mk_slist_remove(mk_slist_view l, const void *key, void *out);

/* Removes the element `elem` points at (from peek, find or next), copying it to *out
 * first (out may be NULL). Returns MK_OK; MK_EINVAL when elem is not an element in
 * the list: NULL, outside its array, not the start of a node, or already removed
 * (nothing changes). O(len). */
mk_err mk_slist_remove_node(mk_slist_view l, const void *elem, void *out);

/* Number of elements. O(1). */
size_t mk_slist_len(mk_slist_view l);

/* Removes every element. O(1). */
void mk_slist_clear(mk_slist_view l);

/* Walks the list and the free list and cross-checks them with the counters: order,
 * len, every node in exactly one of them, no cycle. Returns MK_OK or MK_ECORRUPT.
 * O(cap). */
mk_err mk_slist_check(mk_slist_view l);

/* One link of an _EXT list's `next` array: the counter type of every _EXT container
 * (private contents). */
typedef mk__size_idx mk_slist_link;

/* ---- typed wrappers ---------------------------------------------------------------- */

/* The functions both forms share; each defines name##_cap and the struct with fields
 * ctl (4 counters of type IDX), next and data (arrays or pointers). */
#define MK__SLIST_FUNCS(name, T, IDX, cmp)                                              \
    /* The erased view of *l. O(1). */                                                  \
    MK__MAYBE_UNUSED static inline mk_slist_view name##_view(name *mk__l)               \
    {                                                                                   \
        mk_slist_view mk__v = { mk__l->data, mk__l->next, mk__l->ctl,                   \
                                name##_cap(mk__l), sizeof(T), (cmp),                    \
                                (unsigned char)sizeof(IDX) };                           \
        return mk__v;                                                                   \
    }                                                                                   \
    /* Adds x in order, after equal elements; MK_EFULL when full. O(len). */            \
    MK__MAYBE_UNUSED static inline mk_err name##_insert(name *mk__l, T mk__x)           \
    {                                                                                   \
        return mk_slist_insert(name##_view(mk__l), &mk__x);                             \
    }                                                                                   \
    /* Removes the smallest into *out (NULL discards it); MK_EEMPTY if empty. O(1). */  \
    MK__MAYBE_UNUSED static inline mk_err name##_pop_front(name *mk__l, T *mk__out)     \
    {                                                                                   \
        return mk_slist_pop_front(name##_view(mk__l), mk__out);                         \
    }                                                                                   \
    /* The smallest, or NULL when empty. O(1). */                                       \
    MK__MAYBE_UNUSED static inline const T *name##_peek(const name *mk__l)              \
    {                                                                                   \
        return (const T *)mk_slist_peek(name##_view((name *)mk__l));                    \
    }                                                                                   \
    /* The element after elem, or NULL at the end. O(1). */                             \
    MK__MAYBE_UNUSED static inline const T *name##_next(const name *mk__l,              \
                                                        const T *mk__elem)              \
    {                                                                                   \
        return (const T *)mk_slist_next(name##_view((name *)mk__l), mk__elem);          \
    }                                                                                   \
    /* The first element equal to key, or NULL. O(len). */                              \
    MK__MAYBE_UNUSED static inline const T *name##_find(const name *mk__l, T mk__key)   \
    {                                                                                   \
        return (const T *)mk_slist_find(name##_view((name *)mk__l), &mk__key);          \
    }                                                                                   \
    /* Removes the first element equal to key into *out (NULL discards it); MK_EEMPTY   \
     * when there is none. O(len). */                                                   \
    MK__MAYBE_UNUSED static inline mk_err name##_remove(name *mk__l, T mk__key,         \
                                                        T *mk__out)                     \
    {                                                                                   \
        return mk_slist_remove(name##_view(mk__l), &mk__key, mk__out);                  \
    }                                                                                   \
    /* Removes the element elem points at into *out (NULL discards it); MK_EINVAL when  \
     * elem is not in the list. O(len). */                                              \
    MK__MAYBE_UNUSED static inline mk_err name##_remove_node(name *mk__l,               \
                                                             const T *mk__elem,         \
                                                             T *mk__out)                \
    {                                                                                   \
        return mk_slist_remove_node(name##_view(mk__l), mk__elem, mk__out);             \
    }                                                                                   \
    MK__CONTAINER_LEN_FUNCS(name, ctl[0])                                               \
    /* Removes every element. O(1). */                                                  \
    MK__MAYBE_UNUSED static inline void name##_clear(name *mk__l)                       \
    {                                                                                   \
        mk_slist_clear(name##_view(mk__l));                                             \
    }

/* Declares the list type `name`: at most N elements of type T kept sorted by cmp, with
 * links and counters of type IDX (an unsigned type of 1, 2, 4 or 8 bytes holding N),
 * and the typed functions listed at the top of this file. All-zero is an empty list.
 * Fields are private. Use at file scope, then `;`. */
#define MK_SLIST_DEFINE_IDX(name, T, N, IDX, cmp)                                       \
    MK__CONTAINER_ASSERTS("MK_SLIST_DEFINE", N, sizeof(T) + sizeof(IDX), IDX);          \
    typedef struct name {                                                               \
        IDX ctl[4]; /* len, head, free, fresh: see Layout above */                      \
        IDX next[N];                                                                    \
        T data[N];                                                                      \
    } name;                                                                             \
    MK__CONTAINER_CAP_N(name, N)                                                        \
    MK__SLIST_FUNCS(name, T, IDX, cmp)                                                  \
    _Static_assert(sizeof(name) >= (N) * sizeof(T), "MK_SLIST_DEFINE")

/* MK_SLIST_DEFINE_IDX with uint32_t links. */
#define MK_SLIST_DEFINE(name, T, N, cmp) MK_SLIST_DEFINE_IDX(name, T, N, uint32_t, cmp)

/* Declares a list type over buffers the caller lends, plus
 *     mk_err name_init_ext(name *l, mk_slist_link *next, T *data, size_t cap);
 * which makes l an empty list over them (each buffer holds cap elements; their contents
 * do not matter). Returns MK_OK; MK_EINVAL when l is NULL, or a buffer is NULL and
 * cap > 0; MK_ERANGE when either array would exceed PTRDIFF_MAX bytes or wrap the
 * address space. On failure *l is unchanged. O(1). An all-zero _EXT list has capacity
 * 0. Then the typed functions as above. */
#define MK_SLIST_DEFINE_EXT(name, T, cmp)                                               \
    typedef struct name {                                                               \
        mk__size_idx ctl[4];                                                            \
        mk__size_idx cap;                                                               \
        mk_slist_link *next;                                                            \
        T *data;                                                                        \
    } name;                                                                             \
    MK__CONTAINER_CAP_EXT(name)                                                         \
    MK__MAYBE_UNUSED static inline mk_err name##_init_ext(name *mk__l,                  \
                                                          mk_slist_link *mk__next,      \
                                                          T *mk__data, size_t mk__cap)  \
    {                                                                                   \
        mk_err mk__e = mk_container_check_buffer(mk__next, mk__cap,                     \
                                                 sizeof(mk_slist_link));                \
        if (mk__e == MK_OK)                                                             \
            mk__e = mk_container_check_buffer(mk__data, mk__cap, sizeof(T));            \
        if (mk__l == NULL)                                                              \
            return MK_EINVAL;                                                           \
        if (mk__e == MK_OK) {                                                           \
            name mk__z = { { 0, 0, 0, 0 }, mk__cap, mk__next, mk__data };               \
            *mk__l = mk__z;                                                             \
        }                                                                               \
        return mk__e;                                                                   \
    }                                                                                   \
    MK__SLIST_FUNCS(name, T, mk__size_idx, cmp)                                         \
    _Static_assert(sizeof(T) > 0, "MK_SLIST_DEFINE_EXT")

#ifdef __cplusplus
}
#endif

#endif /* MEMKIT_SLIST_H */
