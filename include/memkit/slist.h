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
 * _EXT borrows one buffer per array (links and elements). T is pasted into declarations
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

#include "memkit/cmp.h"
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

/* Whether an _EXT list of cap nodes of esize bytes is acceptable: MK_OK, MK_EINVAL (a
 * buffer is missing while cap > 0), MK_ERANGE (the arrays' bytes overflow size_t).
 * O(1). Private: use name_init_ext. */
mk_err mk__slist_ext_check(size_t cap, size_t esize, bool have_buffers);

/* ---- typed wrappers ---------------------------------------------------------------- */

#define MK__SLIST_FUNCS(name, T)                                                         \
    /* Adds x in order, after equal elements; MK_EFULL when full. O(len). */             \
    MK__CTR_FN mk_err name##_insert(name *mk__l, T mk__x)                                \
    {                                                                                    \
        return mk_slist_insert(name##_view(mk__l), &mk__x);                              \
    }                                                                                    \
    /* Removes the smallest into *out (out may be NULL); MK_EEMPTY when empty. O(1). */  \
    MK__CTR_FN mk_err name##_pop_front(name *mk__l, T *mk__out)                          \
    {                                                                                    \
        return mk_slist_pop_front(name##_view(mk__l), mk__out);                          \
    }                                                                                    \
    /* The smallest, or NULL when empty. O(1). */                                        \
    MK__CTR_FN const T *name##_peek(const name *mk__l)                                   \
    {                                                                                    \
        return (const T *)mk_slist_peek(name##_view((name *)mk__l));                     \
    }                                                                                    \
    /* The element after elem, or NULL at the end. O(1). */                              \
    MK__CTR_FN const T *name##_next(const name *mk__l, const T *mk__elem)                \
    {                                                                                    \
        return (const T *)mk_slist_next(name##_view((name *)mk__l), mk__elem);           \
    }                                                                                    \
    /* The first element equal to key, or NULL. O(len). */                               \
    MK__CTR_FN const T *name##_find(const name *mk__l, T mk__key)                        \
    {                                                                                    \
        return (const T *)mk_slist_find(name##_view((name *)mk__l), &mk__key);           \
    }                                                                                    \
    /* Removes the first element equal to key into *out (out may be NULL); MK_EEMPTY     \
     * when there is none. O(len). */                                                    \
    MK__CTR_FN mk_err name##_remove(name *mk__l, T mk__key, T *mk__out)                  \
    {                                                                                    \
        return mk_slist_remove(name##_view(mk__l), &mk__key, mk__out);                   \
    }                                                                                    \
    /* Removes the element elem points at into *out (out may be NULL); MK_EINVAL when    \
     * elem is not in the list. O(len). */                                               \
    MK__CTR_FN mk_err name##_remove_node(name *mk__l, const T *mk__elem, T *mk__out)     \
    {                                                                                    \
        return mk_slist_remove_node(name##_view(mk__l), mk__elem, mk__out);              \
    }                                                                                    \
    /* Elements. O(1). */                                                                \
    MK__CTR_FN size_t name##_len(const name *mk__l) { return (size_t)mk__l->ctl[0]; }    \
    MK__CTR_FN bool name##_is_empty(const name *mk__l) { return mk__l->ctl[0] == 0; }    \
    MK__CTR_FN bool name##_is_full(const name *mk__l)                                    \
    {                                                                                    \
        return (size_t)mk__l->ctl[0] == name##_cap(mk__l);                               \
    }                                                                                    \
    /* Removes every element. O(1). */                                                   \
    MK__CTR_FN void name##_clear(name *l) { mk_slist_clear(name##_view(l)); }

/* Declares the list type `name`: at most N elements of type T kept sorted by cmp, with
 * links and counters of type IDX. All-zero is an empty list. */
#define MK_SLIST_DEFINE_IDX(name, T, N, IDX, cmp)                                        \
    typedef struct name {                                                                \
        IDX ctl[4];                                                                      \
        IDX next[N];                                                                     \
        T data[N];                                                                       \
    } name;                                                                              \
    /* The erased view of *l. O(1). */                                                   \
    MK__CTR_FN mk_slist_view name##_view(name *mk__l)                                    \
    {                                                                                    \
        mk_slist_view mk__v = { mk__l->data, mk__l->next, mk__l->ctl, (N), sizeof(T),    \
                                (cmp), sizeof(IDX) };                                    \
        return mk__v;                                                                    \
    }                                                                                    \
    /* Capacity N. O(1). */                                                              \
    MK__CTR_FN size_t name##_cap(const name *mk__l)                                      \
    {                                                                                    \
        (void)mk__l;                                                                     \
        return (N);                                                                      \
    }                                                                                    \
    MK__SLIST_FUNCS(name, T)                                                             \
    _Static_assert((N) > 0, "sorted list capacity must be positive");                    \
    _Static_assert((uintmax_t)(N) <= (uintmax_t)((IDX)-1),                               \
                   "sorted list capacity must fit the link type");                       \
    _Static_assert((uintmax_t)(N) <= SIZE_MAX / (sizeof(T) + sizeof(IDX)),               \
                   "sorted list arrays overflow size_t")

#define MK_SLIST_DEFINE(name, T, N, cmp) MK_SLIST_DEFINE_IDX(name, T, N, uint32_t, cmp)

/* Declares a list type over borrowed buffers. All-zero is a list of capacity 0; call
 *     mk_err name_init_ext(name *l, size_t *next, T *data, size_t cap);
 * first (each buffer holds cap elements; their contents do not matter). Returns MK_OK;
 * MK_EINVAL for a NULL l, or a NULL buffer with cap > 0; MK_ERANGE when the arrays'
 * bytes overflow size_t. On error *l is unchanged. O(1). */
#define MK_SLIST_DEFINE_EXT(name, T, cmp)                                                \
    typedef struct name {                                                                \
        size_t ctl[4];                                                                   \
        size_t cap;                                                                      \
        size_t *next;                                                                    \
        T *data;                                                                         \
    } name;                                                                              \
    MK__CTR_FN mk_slist_view name##_view(name *mk__l)                                    \
    {                                                                                    \
        mk_slist_view mk__v = { mk__l->data, mk__l->next, mk__l->ctl, mk__l->cap,        \
                                sizeof(T), (cmp), sizeof(size_t) };                      \
        return mk__v;                                                                    \
    }                                                                                    \
    MK__CTR_FN size_t name##_cap(const name *mk__l) { return mk__l->cap; }               \
    MK__CTR_FN mk_err name##_init_ext(name *mk__l, size_t *mk__next, T *mk__data,        \
                                      size_t mk__cap)                                    \
    {                                                                                    \
        mk_err mk__e = mk__slist_ext_check(mk__cap, sizeof(T), mk__next && mk__data);    \
        if (mk__l == NULL)                                                               \
            return MK_EINVAL;                                                            \
        if (mk__e == MK_OK) {                                                            \
            name mk__z = { { 0, 0, 0, 0 }, mk__cap, mk__next, mk__data };                \
            *mk__l = mk__z;                                                              \
        }                                                                                \
        return mk__e;                                                                    \
    }                                                                                    \
    MK__SLIST_FUNCS(name, T)                                                             \
    _Static_assert(sizeof(T) > 0, "")

#ifdef __cplusplus
}
#endif

#endif /* MEMKIT_SLIST_H */
