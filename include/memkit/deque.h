/*
 * mk_deque: a double-ended queue in a ring of N slots that never allocates; all N slots
 * are usable. Shape: docs/containers.md; vec.h is the reference.
 *
 * Contents
 *   mk_deque_view ........ the erased view: slots, head and length counters, capacity
 *   mk_deque_* ........... the core (src/deque.c)
 *   MK_DEQUE_DEFINE ....... MK_DEQUE_DEFINE(name, T, N): struct + typed inline functions
 *   MK_DEQUE_DEFINE_IDX ... the same with narrower counters
 *   MK_DEQUE_DEFINE_EXT ... MK_DEQUE_DEFINE_EXT(name, T): over a buffer the caller lends
 *
 * Options read: MK_ASSERT.
 *
 * The typed functions, with their cost (all O(1)):
 *   mk_err name_push_back(name *d, T x), name_push_front(name *d, T x)   MK_EFULL
 *   mk_err name_pop_back(name *d, T *out), name_pop_front(name *d, T *out) MK_EEMPTY
 *   T     *name_at(name *d, size_t i)   i-th from the front; NULL when i >= len
 *   T     *name_front(name *d), *name_back(name *d)      NULL when empty
 *   void   name_clear(name *d)
 *   size_t name_len(const name *d), name_cap(const name *d)
 *   bool   name_is_empty(const name *d), name_is_full(const name *d)
 *   mk_deque_view name_view(name *d)
 * and for _EXT: mk_err name_init_ext(name *d, T *buf, size_t cap).
 *
 * sizeof: MK_DEQUE_DEFINE_IDX(x, uint8_t, 16, uint8_t) is 18; MK_DEQUE_DEFINE(x, T, N)
 * is 8 + N * sizeof(T) rounded to the alignment; _EXT is 4 pointers.
 */
#ifndef MEMKIT_DEQUE_H
#define MEMKIT_DEQUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memkit/container.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where a deque keeps its slots and counters. Passed by value. The core trusts a view:
 * data holds cap slots of esize bytes; head and len point at unsigned counters of
 * idx_size bytes with head < cap (or 0) and len <= cap. Element i is in slot
 * (head + i) mod cap. */
typedef struct mk_deque_view {
    void *data;             /* slot 0 */
    void *head;             /* slot of the front element */
    void *len;              /* elements held */
    size_t cap;             /* slots */
    size_t esize;           /* bytes per element, > 0 */
    unsigned char idx_size; /* 1, 2, 4 or 8: both counters' type */
} mk_deque_view;

/* Adds a copy of *item at the back. MK_OK; MK_EFULL when full; MK_EINVAL when item is
 * NULL. On failure nothing changes. O(esize). */
mk_err mk_deque_push_back(mk_deque_view d, const void *item);

/* Adds a copy of *item at the front. MK_OK; MK_EFULL; MK_EINVAL (NULL item). On failure
 * nothing changes. O(esize). */
mk_err mk_deque_push_front(mk_deque_view d, const void *item);

/* Removes the back element into *out (NULL discards it). MK_OK; MK_EEMPTY when empty
 * (nothing changes, *out untouched). O(esize). */
mk_err mk_deque_pop_back(mk_deque_view d, void *out);

/* Removes the front element into *out (NULL discards it). MK_OK; MK_EEMPTY when empty
 * (nothing changes, *out untouched). O(esize). */
mk_err mk_deque_pop_front(mk_deque_view d, void *out);

/* The i-th element from the front, or NULL when i >= len. O(1). */
void *mk_deque_at(mk_deque_view d, size_t i);

/* Elements held. O(1). */
size_t mk_deque_len(mk_deque_view d);

/* Removes every element. O(1). */
void mk_deque_clear(mk_deque_view d);

/* ---- typed wrappers ----------------------------------------------------------------- */

/* The functions shared by the three forms; each defines name##_cap and the struct with
 * fields head, len (of type IDX) and data. */
#define MK__DEQUE_FUNCS(name, T, IDX)                                                   \
    /* The erased view of d. O(1). */                                                   \
    MK__MAYBE_UNUSED static inline mk_deque_view name##_view(name *mk__d)               \
    {                                                                                   \
        mk_deque_view mk__w = { mk__d->data,       &mk__d->head, &mk__d->len,           \
                                name##_cap(mk__d), sizeof(T),                           \
                                (unsigned char)sizeof(IDX) };                           \
        return mk__w;                                                                   \
    }                                                                                   \
    MK__CONTAINER_LEN_FUNCS(name, len)                                                  \
    /* Adds x at the back. MK_OK, or MK_EFULL (nothing changes). O(1). */               \
    MK__MAYBE_UNUSED static inline mk_err name##_push_back(name *mk__d, T mk__x)        \
    {                                                                                   \
        return mk_deque_push_back(name##_view(mk__d), &mk__x);                          \
    }                                                                                   \
    /* Adds x at the front. MK_OK, or MK_EFULL (nothing changes). O(1). */              \
    MK__MAYBE_UNUSED static inline mk_err name##_push_front(name *mk__d, T mk__x)       \
    {                                                                                   \
        return mk_deque_push_front(name##_view(mk__d), &mk__x);                         \
    }                                                                                   \
    /* Removes the back element into *out (NULL discards). MK_OK or MK_EEMPTY. O(1). */ \
    MK__MAYBE_UNUSED static inline mk_err name##_pop_back(name *mk__d, T *mk__out)      \
    {                                                                                   \
        return mk_deque_pop_back(name##_view(mk__d), mk__out);                          \
    }                                                                                   \
    /* Removes the front element into *out (NULL discards). MK_OK or MK_EEMPTY. O(1).*/ \
    MK__MAYBE_UNUSED static inline mk_err name##_pop_front(name *mk__d, T *mk__out)     \
    {                                                                                   \
        return mk_deque_pop_front(name##_view(mk__d), mk__out);                         \
    }                                                                                   \
    /* The i-th element from the front, or NULL when i >= len. O(1). */                 \
    MK__MAYBE_UNUSED static inline T *name##_at(name *mk__d, size_t mk__i)              \
    {                                                                                   \
        return (T *)mk_deque_at(name##_view(mk__d), mk__i);                             \
    }                                                                                   \
    /* The front element, or NULL when empty. O(1). */                                  \
    MK__MAYBE_UNUSED static inline T *name##_front(name *mk__d)                         \
    {                                                                                   \
        return name##_at(mk__d, 0);                                                     \
    }                                                                                   \
    /* The back element, or NULL when empty. O(1). */                                   \
    MK__MAYBE_UNUSED static inline T *name##_back(name *mk__d)                          \
    {                                                                                   \
        return mk__d->len ? name##_at(mk__d, mk__d->len - 1u) : NULL;                   \
    }                                                                                   \
    /* Removes every element. O(1). */                                                  \
    MK__MAYBE_UNUSED static inline void name##_clear(name *mk__d)                       \
    {                                                                                   \
        mk__d->head = 0;                                                                \
        mk__d->len = 0;                                                                 \
    }

/* The ring storage mk_deque and mk_hist share: the struct and name_cap, for the inside
 * form (kind names the macro in messages) and for the borrowed form (with
 * name_init_ext). Private. */
#define MK__RING_STORAGE_IDX(kind, name, T, N, IDX)                                     \
    MK__CONTAINER_ASSERTS(kind, N, sizeof(T), IDX);                                     \
    typedef struct name {                                                               \
        IDX head; /* slot of element 0 (the front, or the oldest value) */              \
        IDX len;  /* elements held: empty when 0, full when N */                        \
        T data[N];                                                                      \
    } name;                                                                             \
    MK__CONTAINER_CAP_N(name, N)

#define MK__RING_STORAGE_EXT(name, T)                                                   \
    typedef struct name {                                                               \
        T *data;                                                                        \
        mk__size_idx cap;                                                               \
        mk__size_idx head;                                                              \
        mk__size_idx len;                                                               \
    } name;                                                                             \
    MK__CONTAINER_CAP_EXT(name)                                                         \
    MK__MAYBE_UNUSED static inline mk_err name##_init_ext(name *mk__r, T *mk__buf,      \
                                                          size_t mk__cap)               \
    {                                                                                   \
        mk_err mk__e = mk_container_check_buffer(mk__buf, mk__cap, sizeof(T));          \
        if (mk__r == NULL)                                                              \
            return MK_EINVAL;                                                           \
        if (mk__e == MK_OK) {                                                           \
            mk__r->data = mk__buf;                                                      \
            mk__r->cap = mk__cap;                                                       \
            mk__r->head = 0;                                                            \
            mk__r->len = 0;                                                             \
        }                                                                               \
        return mk__e;                                                                   \
    }

/* Declares `name`, a deque of up to N elements of type T stored inside, with head and
 * length counters of type IDX, and the typed functions listed at the top of this file.
 * All-zero bytes are an empty deque. Fields are private. Invariant: head < N,
 * len <= N. Use at file scope, then `;`. */
#define MK_DEQUE_DEFINE_IDX(name, T, N, IDX)                                            \
    MK__RING_STORAGE_IDX("MK_DEQUE_DEFINE", name, T, N, IDX)                            \
    MK__DEQUE_FUNCS(name, T, IDX)                                                       \
    _Static_assert(sizeof(name) >= (N) * sizeof(T), "MK_DEQUE_DEFINE")

/* MK_DEQUE_DEFINE_IDX with uint32_t counters. */
#define MK_DEQUE_DEFINE(name, T, N) MK_DEQUE_DEFINE_IDX(name, T, N, uint32_t)

/* Declares `name`, a deque of T over a buffer the caller lends, plus
 *     mk_err name_init_ext(name *d, T *buf, size_t cap);
 * (MK_OK; MK_EINVAL when d is NULL, or buf is NULL and cap > 0; MK_ERANGE when
 * cap * sizeof(T) exceeds PTRDIFF_MAX or the buffer wraps; on failure *d is untouched;
 * O(1)). An
 * all-zero _EXT deque has capacity 0. */
#define MK_DEQUE_DEFINE_EXT(name, T)                                                    \
    MK__RING_STORAGE_EXT(name, T)                                                       \
    MK__DEQUE_FUNCS(name, T, mk__size_idx)                                              \
    _Static_assert(sizeof(T) > 0, "MK_DEQUE_DEFINE_EXT")

#ifdef __cplusplus
}
#endif

#endif /* MEMKIT_DEQUE_H */
