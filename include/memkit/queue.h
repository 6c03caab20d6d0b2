/*
 * What the SPSC and MPMC queues share (memkit/spsc.h, memkit/mpmc.h): the lock hooks of
 * MK_NO_ATOMICS builds, the atomic counter type, the capacity rule and the padding that
 * keeps counters written by different threads on different cache lines.
 *
 * Options read (memkit/config.h): MK_NO_ATOMICS, MK_CACHE_LINE.
 */
#ifndef MEMKIT_QUEUE_H
#define MEMKIT_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memkit/config.h"
#include "memkit/err.h"

#if MK_NO_ATOMICS
#define MK__QATOMIC(T) T
#else
#include <stdatomic.h>
#define MK__QATOMIC(T) _Atomic(T)
#endif

/* A counter access with the given memory order, or a plain one where the critical
 * section orders everything (MK_NO_ATOMICS). Private. */
#if MK_NO_ATOMICS
#define MK__QLOAD(x, order) (x)
#define MK__QSTORE(x, v, order) ((x) = (v))
#else
#define MK__QLOAD(x, order) atomic_load_explicit(&(x), memory_order_##order)
#define MK__QSTORE(x, v, order) atomic_store_explicit(&(x), (v), memory_order_##order)
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Lock hooks for MK_NO_ATOMICS builds: every queue operation runs between lock and
 * unlock (a mutex on a host, an interrupt mask on a microcontroller). Without hooks
 * (NULL, the all-zero default) it masks interrupts with PRIMASK on ARMv6-M and ARMv7-M
 * (saved and restored, so it nests; privileged mode) and does nothing elsewhere (one
 * execution context). Builds with atomics never call them. The struct must outlive the
 * queue; unlock may be NULL only if lock is. */
typedef struct mk_queue_hooks {
    void (*lock)(void *ctx);
    void (*unlock)(void *ctx);
    void *ctx;
} mk_queue_hooks;

/* Largest capacity a queue takes: a quarter of size_t's range, so the free-running
 * counters' differences (at most 2 * capacity apart, in the MPMC queue) keep their sign
 * when read as ptrdiff_t. 2^30 on 32-bit targets. */
#define MK_QUEUE_MAX_CAP ((SIZE_MAX >> 2) + 1u)

/* MK_OK when cap (a power of two, or 0) slots of `slot` bytes can form a queue;
 * MK_ERANGE otherwise (not a power of two, above MK_QUEUE_MAX_CAP, or cap * slot above
 * PTRDIFF_MAX, the largest object C allows, as for the containers). O(1). */
static inline mk_err mk_queue_check_cap(size_t cap, size_t slot)
{
    if ((cap & (cap - 1u)) != 0 || cap > MK_QUEUE_MAX_CAP || (slot && cap > (size_t)PTRDIFF_MAX / slot))
        return MK_ERANGE;
    return MK_OK;
}

/* Marks a typed queue's functions so a file that uses only some of them compiles
 * cleanly (the same marker memkit/pool.h uses). */
#if defined(__GNUC__) || defined(__clang__)
#define MK__MAYBE_UNUSED __attribute__((unused))
#else
#define MK__MAYBE_UNUSED
#endif

/* ---- Private: what MK_SPSC_DEFINE* and MK_MPMC_DEFINE* generate alike ---------------
 * `kind` is spsc or mpmc: the queue struct holds its mk_<kind>_state as `s`, and the
 * kind's header has already declared name_view and the core functions named here. */

/* name_set_hooks: only MK_NO_ATOMICS builds have hooks to keep; the others still get
 * the function, so code that installs hooks compiles either way. */
#if MK_NO_ATOMICS
#define MK__QUEUE_SET_HOOKS(q, h) ((q)->s.hooks = (h))
#else
#define MK__QUEUE_SET_HOOKS(q, h) ((void)(q), (void)(h))
#endif

/* name_len, name_cap and name_set_hooks; CAP is an expression of q. */
#define MK__QUEUE_COMMON_FUNCS(kind, name, CAP)                                         \
    MK__MAYBE_UNUSED static inline size_t name##_len(name *q)                           \
    {                                                                                   \
        return mk_##kind##_len(name##_view(q));                                         \
    }                                                                                   \
    MK__MAYBE_UNUSED static inline size_t name##_cap(const name *q)                     \
    {                                                                                   \
        (void)q;                                                                        \
        return CAP;                                                                     \
    }                                                                                   \
    MK__MAYBE_UNUSED static inline void name##_set_hooks(name *q, const mk_queue_hooks *h) \
    {                                                                                   \
        MK__QUEUE_SET_HOOKS(q, h);                                                      \
    }

/* The capacity rule of mk_queue_check_cap, at compile time, for a _DEFINE queue of N
 * slots of `slot_size` bytes. No semicolon after the last: the user's closes it. */
#define MK__QUEUE_ASSERTS(name, N, slot_size)                                           \
    _Static_assert((N) > 0, #name ": N must be positive");                              \
    _Static_assert((((size_t)(N)) & ((size_t)(N) - 1u)) == 0,                           \
                   #name ": N must be a power of two");                                 \
    _Static_assert((size_t)(N) <= MK_QUEUE_MAX_CAP, #name ": N too large");             \
    _Static_assert((size_t)(N) <= SIZE_MAX / (slot_size),                               \
                   #name ": N slots overflow size_t")

/* name_init_ext of a _DEFINE_EXT queue whose `member` points at slots of type E,
 * through mk_<kind>_init; then the check that ends the declaration (the user's
 * semicolon closes it). */
#define MK__QUEUE_INIT_EXT(kind, name, E, member)                                       \
    MK__MAYBE_UNUSED static inline mk_err name##_init_ext(name *q, E *buf, size_t cap)  \
    {                                                                                   \
        mk_err e = q ? mk_##kind##_init(&q->s, buf, cap, sizeof(E)) : MK_EINVAL;        \
        if (e == MK_OK) {                                                               \
            q->member = buf;                                                            \
            q->cap = cap;                                                               \
        }                                                                               \
        return e;                                                                       \
    }                                                                                   \
    _Static_assert(sizeof(E) > 0, #name ": T must be a complete type")

#ifdef __cplusplus
}
#endif

#endif /* MEMKIT_QUEUE_H */
