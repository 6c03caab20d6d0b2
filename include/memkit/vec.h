/*
 * mk_vec: a vector of at most N elements that never allocates. The reference container:
 * every other one follows its shape (docs/containers.md).
 *
 * Contents
 *   mk_vec_view ........ the erased view: data, counter, capacity, element size
 *   mk_vec_* ........... the core, one copy for every element type (src/vec.c)
 *   MK_VEC_DEFINE ....... MK_VEC_DEFINE(name, T, N): struct + typed inline functions
 *   MK_VEC_DEFINE_IDX ... the same with a narrower counter (uint8_t, uint16_t)
 *   MK_VEC_DEFINE_EXT ... MK_VEC_DEFINE_EXT(name, T): over a buffer the caller lends
 *
 * Options read: MK_ASSERT (checks the precondition of name_push_unchecked).
 *
 * The typed functions MK_VEC_DEFINE(name, T, N) generates, with their cost:
 *   mk_err name_push(name *v, T x)             append; MK_EFULL when full       O(1)
 *   void   name_push_unchecked(name *v, T x)   append; v must not be full       O(1)
 *   mk_err name_pop(name *v, T *out)           remove the last; MK_EEMPTY        O(1)
 *   mk_err name_insert(name *v, size_t at, T x)  shift later ones up             O(len)
 *   mk_err name_remove(name *v, size_t at, T *out)  keep order, shift down      O(len)
 *   mk_err name_swap_remove(name *v, size_t at, T *out)  last fills the hole     O(1)
 *   mk_err name_extend(name *v, const T *items, size_t n)  all or nothing        O(n)
 *   T     *name_at(name *v, size_t i)          NULL when i >= len                O(1)
 *   const T *name_get(const name *v, size_t i) NULL when i >= len                O(1)
 *   T     *name_first(name *v), *name_last(name *v)   NULL when empty           O(1)
 *   void   name_clear(name *v), name_truncate(name *v, size_t n)                 O(1)
 *   size_t name_len(const name *v), name_cap(const name *v)                      O(1)
 *   bool   name_is_empty(const name *v), name_is_full(const name *v)             O(1)
 *   mk_vec_view name_view(name *v)             the erased view                   O(1)
 * and for _EXT: mk_err name_init_ext(name *v, T *buf, size_t cap).
 * push, push_unchecked, pop and the look-ups are inline; the rest call the core. A
 * type using push, pop and at costs about 32 bytes of Cortex-M4 flash (docs/performance.md).
 *
 * Element copies are byte copies: T must be copyable with memcpy (any C object type).
 * A pointer from name_at / name_first / name_last / name_get stays valid until the next
 * call that inserts or removes.
 *
 * sizeof: MK_VEC_DEFINE(x, T, N) is sizeof(uint32_t) + N * sizeof(T) rounded up to the
 * alignment of T and uint32_t; MK_VEC_DEFINE_IDX(x, uint8_t, 16, uint8_t) is 17 on every
 * target; MK_VEC_DEFINE_EXT is 3 pointers (12 bytes on 32-bit targets, 24 on 64-bit).
 */
#ifndef MEMKIT_VEC_H
#define MEMKIT_VEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memkit/container.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where a vector keeps its elements and its length. Passed by value; making one has no
 * side effects. The core trusts a view: data holds cap elements of esize bytes, len
 * points at an unsigned counter of idx_size bytes (1, 2, 4 or 8) holding <= cap. */
typedef struct mk_vec_view {
    void *data;             /* element 0 */
    void *len;              /* the container's length counter, idx_size bytes */
    size_t cap;             /* elements that fit */
    size_t esize;           /* bytes per element, > 0 */
    unsigned char idx_size; /* 1, 2, 4 or 8: the counter's type */
} mk_vec_view;

/* Appends a copy of *item. Returns MK_OK; MK_EFULL when len == cap; MK_EINVAL when item
 * is NULL. On failure nothing changes. O(esize). */
mk_err mk_vec_push(mk_vec_view v, const void *item);

/* Removes the last element, copying it to *out unless out is NULL. Returns MK_OK;
 * MK_EEMPTY when empty (nothing changes, *out untouched). O(esize). */
mk_err mk_vec_pop(mk_vec_view v, void *out);

/* Inserts a copy of *item before element `at` (at == len appends), moving the later
 * elements up one place. Returns MK_OK; MK_EINVAL when at > len or item is NULL;
 * MK_EFULL when full. On failure nothing changes. O((len - at) * esize). */
mk_err mk_vec_insert(mk_vec_view v, size_t at, const void *item);

/* Removes element `at`, keeping the order of the rest (they move down one place), and
 * copies it to *out unless out is NULL. Returns MK_OK; MK_EINVAL when at >= len
 * (including an empty vector; nothing changes). O((len - at) * esize). */
mk_err mk_vec_remove(mk_vec_view v, size_t at, void *out);

/* Removes element `at` and moves the last element into its place: order is not kept.
 * Copies the removed element to *out unless out is NULL. Returns MK_OK; MK_EINVAL when
 * at >= len (nothing changes). O(esize). */
mk_err mk_vec_swap_remove(mk_vec_view v, size_t at, void *out);

/* Appends copies of the n elements at items, all or nothing. Returns MK_OK (n == 0
 * included); MK_EFULL when fewer than n places are free; MK_EINVAL when items is NULL
 * and n > 0. On failure nothing changes. items must not overlap the vector's free
 * space. O(n * esize). */
mk_err mk_vec_extend(mk_vec_view v, const void *items, size_t n);

/* Element i, or NULL when i >= len. O(1). */
void *mk_vec_at(mk_vec_view v, size_t i);

/* Elements held now. O(1). */
size_t mk_vec_len(mk_vec_view v);

/* Sets the length to 0. O(1). */
void mk_vec_clear(mk_vec_view v);

/* Shortens the vector to n elements; does nothing when n >= len. O(1). */
void mk_vec_truncate(mk_vec_view v, size_t n);

/* ---- typed wrappers ----------------------------------------------------------------- */

/* The functions shared by the three forms; each form defines name##_cap and the
 * struct with fields `len` (of type IDX) and `data` (an array or a pointer). */
#define MK__VEC_FUNCS(name, T, IDX)                                                     \
    /* The erased view of v. O(1). */                                                   \
    MK__MAYBE_UNUSED static inline mk_vec_view name##_view(name *mk__v)                 \
    {                                                                                   \
        mk_vec_view mk__w = { mk__v->data, &mk__v->len, name##_cap(mk__v), sizeof(T),   \
                              (unsigned char)sizeof(IDX) };                             \
        return mk__w;                                                                   \
    }                                                                                   \
    MK__CONTAINER_LEN_FUNCS(name, len)                                                  \
    /* Appends x. MK_OK, or MK_EFULL (nothing changes). O(1). Inline, like pop and      \
     * at: a call to the core would cost more flash per type than the operation. */     \
    MK__MAYBE_UNUSED static inline mk_err name##_push(name *mk__v, T mk__x)             \
    {                                                                                   \
        if (mk__v->len == name##_cap(mk__v))                                            \
            return MK_EFULL;                                                            \
        mk__v->data[mk__v->len] = mk__x;                                                \
        mk__v->len = (IDX)(mk__v->len + 1u);                                            \
        return MK_OK;                                                                   \
    }                                                                                   \
    /* Appends x. Precondition: not full (checked builds assert it through              \
     * MK_ASSERT; otherwise breaking it is undefined). O(1). */                         \
    MK__MAYBE_UNUSED static inline void name##_push_unchecked(name *mk__v, T mk__x)     \
    {                                                                                   \
        MK_ASSERT(mk__v->len < name##_cap(mk__v));                                      \
        mk__v->data[mk__v->len] = mk__x;                                                \
        mk__v->len = (IDX)(mk__v->len + 1u);                                            \
    }                                                                                   \
    /* Removes the last element into *out (NULL discards it). MK_OK, or MK_EEMPTY       \
     * (nothing changes). O(1). */                                                      \
    MK__MAYBE_UNUSED static inline mk_err name##_pop(name *mk__v, T *mk__out)           \
    {                                                                                   \
        if (mk__v->len == 0)                                                            \
            return MK_EEMPTY;                                                           \
        mk__v->len = (IDX)(mk__v->len - 1u);                                            \
        if (mk__out)                                                                    \
            *mk__out = mk__v->data[mk__v->len];                                         \
        return MK_OK;                                                                   \
    }                                                                                   \
    /* Inserts x before element at (at == len appends). MK_OK; MK_EINVAL when           \
     * at > len; MK_EFULL. On failure nothing changes. O(len - at). */                  \
    MK__MAYBE_UNUSED static inline mk_err name##_insert(name *mk__v, size_t mk__at,     \
                                                        T mk__x)                        \
    {                                                                                   \
        return mk_vec_insert(name##_view(mk__v), mk__at, &mk__x);                       \
    }                                                                                   \
    /* Removes element at, keeping order, into *out (NULL discards it). MK_OK, or       \
     * MK_EINVAL when at >= len (nothing changes). O(len - at). */                      \
    MK__MAYBE_UNUSED static inline mk_err name##_remove(name *mk__v, size_t mk__at,     \
                                                        T *mk__out)                     \
    {                                                                                   \
        return mk_vec_remove(name##_view(mk__v), mk__at, mk__out);                      \
    }                                                                                   \
    /* Removes element at, moving the last into its place, into *out (NULL discards     \
     * it). MK_OK, or MK_EINVAL when at >= len (nothing changes). O(1). */              \
    MK__MAYBE_UNUSED static inline mk_err name##_swap_remove(name *mk__v,               \
                                                             size_t mk__at,             \
                                                             T *mk__out)                \
    {                                                                                   \
        return mk_vec_swap_remove(name##_view(mk__v), mk__at, mk__out);                 \
    }                                                                                   \
    /* Appends the n elements at items, all or nothing. MK_OK; MK_EFULL; MK_EINVAL      \
     * when items is NULL and n > 0. On failure nothing changes. O(n). */               \
    MK__MAYBE_UNUSED static inline mk_err name##_extend(name *mk__v,                    \
                                                        const T *mk__items,             \
                                                        size_t mk__n)                   \
    {                                                                                   \
        return mk_vec_extend(name##_view(mk__v), mk__items, mk__n);                     \
    }                                                                                   \
    /* Element i, or NULL when i >= len. O(1). */                                       \
    MK__MAYBE_UNUSED static inline T *name##_at(name *mk__v, size_t mk__i)              \
    {                                                                                   \
        return mk__i < mk__v->len ? &mk__v->data[mk__i] : NULL;                         \
    }                                                                                   \
    /* Element i of a const vector, or NULL when i >= len. O(1). */                     \
    MK__MAYBE_UNUSED static inline const T *name##_get(const name *mk__v,               \
                                                       size_t mk__i)                    \
    {                                                                                   \
        return mk__i < mk__v->len ? &mk__v->data[mk__i] : NULL;                         \
    }                                                                                   \
    /* The first element, or NULL when empty. O(1). */                                  \
    MK__MAYBE_UNUSED static inline T *name##_first(name *mk__v)                         \
    {                                                                                   \
        return name##_at(mk__v, 0);                                                     \
    }                                                                                   \
    /* The last element, or NULL when empty. O(1). */                                   \
    MK__MAYBE_UNUSED static inline T *name##_last(name *mk__v)                          \
    {                                                                                   \
        return mk__v->len ? &mk__v->data[mk__v->len - 1u] : NULL;                       \
    }                                                                                   \
    /* Removes every element. O(1). */                                                  \
    MK__MAYBE_UNUSED static inline void name##_clear(name *mk__v) { mk__v->len = 0; }   \
    /* Keeps the first n elements; does nothing when n >= len. O(1). */                 \
    MK__MAYBE_UNUSED static inline void name##_truncate(name *mk__v, size_t mk__n)      \
    {                                                                                   \
        if (mk__n < mk__v->len)                                                         \
            mk__v->len = (IDX)mk__n;                                                    \
    }

/* Declares `name`, a vector of up to N elements of type T with its storage inside,
 * whose length counter has type IDX (an unsigned type of 1, 2, 4 or 8 bytes holding N),
 * and the typed functions listed at the top of this file. All-zero bytes are an empty
 * vector: `static name v;` or `name v = {0};` needs no init call. Fields are private.
 * Invariant: len <= N; elements [0, len) are live. Use at file scope, then `;`. */
#define MK_VEC_DEFINE_IDX(name, T, N, IDX)                                              \
    MK__CONTAINER_ASSERTS("MK_VEC_DEFINE", N, sizeof(T), IDX);                          \
    typedef struct name {                                                               \
        IDX len; /* elements held: empty when 0, full when N */                         \
        T data[N];                                                                      \
    } name;                                                                             \
    MK__CONTAINER_CAP_N(name, N)                                                        \
    MK__VEC_FUNCS(name, T, IDX)                                                         \
    _Static_assert(sizeof(name) >= (N) * sizeof(T), "MK_VEC_DEFINE")

/* MK_VEC_DEFINE_IDX with a uint32_t counter (so N <= UINT32_MAX). */
#define MK_VEC_DEFINE(name, T, N) MK_VEC_DEFINE_IDX(name, T, N, uint32_t)

/* Declares `name`, a vector of T over a buffer the caller lends, plus
 *     mk_err name_init_ext(name *v, T *buf, size_t cap);
 * which makes v an empty vector over the cap elements at buf (v keeps the pointer; the
 * buffer must outlive v's use). It returns MK_OK; MK_EINVAL when v is NULL, or buf is
 * NULL and cap > 0; MK_ERANGE when cap * sizeof(T) exceeds PTRDIFF_MAX or the buffer
 * wraps the address space; on failure *v is untouched. O(1). An all-zero _EXT vector
 * is a valid vector of capacity 0 (every push gives MK_EFULL). Then the typed functions
 * as above. */
#define MK_VEC_DEFINE_EXT(name, T)                                                      \
    MK__CONTAINER_EXT_ARRAY(name, T)                                                    \
    MK__VEC_FUNCS(name, T, mk__size_idx)                                                \
    _Static_assert(sizeof(T) > 0, "MK_VEC_DEFINE_EXT")

#ifdef __cplusplus
}
#endif

#endif /* MEMKIT_VEC_H */
