/*
 * mk_hist: a history buffer of the last N values written; a write into a full buffer
 * overwrites the oldest value. Never allocates. Shape: docs/containers.md.
 *
 * Contents
 *   mk_hist_view ........ the erased view (the deque's: the same ring and counters)
 *   mk_hist_write ....... the one operation of its own (src/hist.c); reading uses the
 *                         deque core (mk_deque_at, mk_deque_len, mk_deque_clear)
 *   MK_HIST_DEFINE ....... MK_HIST_DEFINE(name, T, N): struct + typed inline functions
 *   MK_HIST_DEFINE_IDX ... the same with narrower counters
 *   MK_HIST_DEFINE_EXT ... MK_HIST_DEFINE_EXT(name, T): over a buffer the caller lends
 *
 * Exception to the results table of docs/containers.md: write cannot fail (a full
 * buffer drops its oldest value by design), so it returns nothing.
 *
 * The typed functions, all O(1):
 *   void   name_write(name *h, T x)        append; when full, the oldest is dropped
 *   T     *name_at(name *h, size_t i)      i-th oldest (0 = oldest); NULL when i >= len
 *   T     *name_recent(name *h)            the newest; NULL when empty
 *   T     *name_oldest(name *h)            the oldest; NULL when empty
 *   void   name_clear(name *h)
 *   size_t name_len(const name *h), name_cap(const name *h)
 *   bool   name_is_empty(const name *h), name_is_full(const name *h)
 *   mk_hist_view name_view(name *h)
 * and for _EXT: mk_err name_init_ext(name *h, T *buf, size_t cap), as deque.h's.
 *
 * sizeof: as the deque of the same T, N and counters (MK_HIST_DEFINE_IDX(x, uint8_t,
 * 16, uint8_t) is 18).
 */
#ifndef MEMKIT_HIST_H
#define MEMKIT_HIST_H

#include "memkit/deque.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A history buffer's view: the ring of mk_deque_view, oldest element at head. */
typedef mk_deque_view mk_hist_view;

/* Appends a copy of *item as the newest value; when full, the oldest is overwritten.
 * With capacity 0, or a NULL item, does nothing. O(esize). */
void mk_hist_write(mk_hist_view h, const void *item);

/* The typed functions other than the struct, name_cap and name_init_ext. */
#define MK__HIST_FUNCS(name, T, IDX)                                                    \
    /* The erased view of h. O(1). */                                                   \
    MK__MAYBE_UNUSED static inline mk_hist_view name##_view(name *mk__h)                \
    {                                                                                   \
        mk_hist_view mk__w = { mk__h->data,       &mk__h->head, &mk__h->len,            \
                               name##_cap(mk__h), sizeof(T),                            \
                               (unsigned char)sizeof(IDX) };                            \
        return mk__w;                                                                   \
    }                                                                                   \
    MK__CONTAINER_LEN_FUNCS(name, len)                                                  \
    /* Appends x; when full, the oldest value is dropped. O(1). */                      \
    MK__MAYBE_UNUSED static inline void name##_write(name *mk__h, T mk__x)              \
    {                                                                                   \
        mk_hist_write(name##_view(mk__h), &mk__x);                                      \
    }                                                                                   \
    /* The i-th oldest value (0 = oldest), or NULL when i >= len. O(1). */              \
    MK__MAYBE_UNUSED static inline T *name##_at(name *mk__h, size_t mk__i)              \
    {                                                                                   \
        return (T *)mk_deque_at(name##_view(mk__h), mk__i);                             \
    }                                                                                   \
    /* The newest value, or NULL when empty. O(1). */                                   \
    MK__MAYBE_UNUSED static inline T *name##_recent(name *mk__h)                        \
    {                                                                                   \
        return mk__h->len ? name##_at(mk__h, mk__h->len - 1u) : NULL;                   \
    }                                                                                   \
    /* The oldest value, or NULL when empty. O(1). */                                   \
    MK__MAYBE_UNUSED static inline T *name##_oldest(name *mk__h)                        \
    {                                                                                   \
        return name##_at(mk__h, 0);                                                     \
    }                                                                                   \
    /* Forgets every value. O(1). */                                                    \
    MK__MAYBE_UNUSED static inline void name##_clear(name *mk__h)                       \
    {                                                                                   \
        mk__h->head = 0;                                                                \
        mk__h->len = 0;                                                                 \
    }

/* Declares `name`, a history of the last N values of type T stored inside, with
 * counters of type IDX, and the functions listed at the top of this file. All-zero
 * bytes are an empty history. Fields are private. Use at file scope, then `;`. */
#define MK_HIST_DEFINE_IDX(name, T, N, IDX)                                             \
    MK__RING_STORAGE_IDX("MK_HIST_DEFINE", name, T, N, IDX)                             \
    MK__HIST_FUNCS(name, T, IDX)                                                        \
    _Static_assert(sizeof(name) >= (N) * sizeof(T), "MK_HIST_DEFINE")

/* MK_HIST_DEFINE_IDX with uint32_t counters. */
#define MK_HIST_DEFINE(name, T, N) MK_HIST_DEFINE_IDX(name, T, N, uint32_t)

/* Declares `name`, a history of T over a buffer the caller lends, plus
 *     mk_err name_init_ext(name *h, T *buf, size_t cap);
 * (MK_OK; MK_EINVAL when h is NULL, or buf is NULL and cap > 0; MK_ERANGE when
 * cap * sizeof(T) exceeds PTRDIFF_MAX or the buffer wraps; on failure *h is untouched;
 * O(1)). An
 * all-zero _EXT history has capacity 0 and ignores writes. */
#define MK_HIST_DEFINE_EXT(name, T)                                                     \
    MK__RING_STORAGE_EXT(name, T)                                                       \
    MK__HIST_FUNCS(name, T, mk__size_idx)                                               \
    _Static_assert(sizeof(T) > 0, "MK_HIST_DEFINE_EXT")

#ifdef __cplusplus
}
#endif

#endif /* MEMKIT_HIST_H */
