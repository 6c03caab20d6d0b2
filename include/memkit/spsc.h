/*
 * mk_spsc: a bounded single-producer single-consumer queue (ring buffer) between two
 * threads, or a thread and an interrupt handler. Wait-free on both sides.
 *
 * Contents
 *   mk_spsc_state ........... the two counters and their cached copies
 *   mk_spsc_view ............ the erased form every typed queue converts to
 *   MK_SPSC_DEFINE .......... a typed queue of N slots inside the object
 *   MK_SPSC_DEFINE_EXT ...... a typed queue over a borrowed array
 *   core functions .......... push, pop, push_n, pop_n, claim/commit for writing and
 *                             for reading in place (DMA-style batches), len, init
 *   Options (memkit/config.h): MK_NO_ATOMICS, MK_CACHE_LINE.
 *
 * How it works
 *   tail counts items ever pushed and is written only by the producer; head counts
 *   items ever popped and is written only by the consumer. Both run freely and wrap
 *   modulo 2^(bits of size_t); the queue holds tail - head items (also modulo), slot
 *   i % cap holds item i, so all cap slots are usable and no flag tells full from
 *   empty. cap is a power of two (the modulo is a mask and divides 2^bits, so the
 *   wrap never breaks the count). Each side also keeps a private copy of the other's
 *   counter (head_cache <= head, tail_cache <= tail) and reads the shared one only when
 *   its copy says full or empty: a push or pop on a queue that is neither touches no
 *   cache line the other side writes.
 *
 * Progress and memory order
 *   Wait-free: every operation finishes in a bounded number of its own steps (no
 *   loop retries on the other side's behalf); a side preempted or stopped holds up
 *   nobody but itself. The producer writes a slot, then publishes it with a release
 *   store of tail; the consumer's acquire load of tail therefore sees the slot's
 *   contents. The consumer reads a slot, then frees it with a release store of head;
 *   the producer's acquire load of head therefore orders its overwrite after that
 *   read. Each side loads its own counter relaxed (nobody else writes it). No
 *   read-modify-write is needed. MK_NO_ATOMICS builds instead run every operation
 *   through the core inside a critical section (memkit/queue.h's hooks).
 *
 * Exceptions to docs/containers.md
 *   Counters are always size_t (atomics of one width; no _DEFINE_IDX), capacity is
 *   at most MK_QUEUE_MAX_CAP, and the claim functions return a pointer to a run of
 *   slots rather than to one element.
 *
 * Costs: push, pop, claim, commit, len: O(1); push_n, pop_n: O(n) copying.
 * sizeof(mk_spsc_state): 256 bytes with MK_CACHE_LINE 64 (the host default); with
 * MK_CACHE_LINE 0 (the microcontroller default): 16 bytes on 32-bit targets (20 with
 * MK_NO_ATOMICS), 32 on 64-bit (40). A MK_SPSC_DEFINE queue is that plus N slots,
 * rounded up to its alignment; a _EXT queue that plus a pointer and a size_t.
 */
#ifndef MEMKIT_SPSC_H
#define MEMKIT_SPSC_H

#include "memkit/queue.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Counters of one queue. Private fields. Invariants: 0 <= tail - head <= cap;
 * tail - head_cache <= cap; tail_cache - head <= tail - head. All-zero: empty.
 * With MK_CACHE_LINE > 0 each counter has a cache line of its own, and the slots start
 * on a line of their own. A private copy beside the counter the other side polls costs
 * a line transfer whenever it is written: at capacity 1024 on this project's host,
 * separate lines gave 2.1-2.7x the throughput of the paired layout (docs/performance.md,
 * Queues). */
typedef struct mk_spsc_state {
    _Alignas(MK_CACHE_LINE) MK__QATOMIC(size_t) tail; /* items pushed; producer writes */
    _Alignas(MK_CACHE_LINE) size_t head_cache;        /* producer's copy of head */
    _Alignas(MK_CACHE_LINE) MK__QATOMIC(size_t) head; /* items popped; consumer writes */
    _Alignas(MK_CACHE_LINE) size_t tail_cache;        /* consumer's copy of tail */
#if MK_NO_ATOMICS
    const mk_queue_hooks *hooks; /* NULL: the default critical section */
#endif
} mk_spsc_state;

/* Any SPSC queue, erased: its counters, slot 0, slots (a power of two, or 0) and bytes
 * per slot. Made by name_view(&q); free to make, holds no state of its own. */
typedef struct mk_spsc_view {
    mk_spsc_state *s;
    void *slots;
    size_t cap;
    size_t esize;
} mk_spsc_view;

/* Resets *s to empty over cap slots of esize bytes at buf (the _EXT init; keeps no
 * hooks). Not thread-safe: call it before the queue is shared.
 * Returns MK_OK; MK_EINVAL (NULL s, or NULL buf with cap > 0); MK_ERANGE (see
 * mk_queue_check_cap). On error *s is unchanged. O(1). */
mk_err mk_spsc_init(mk_spsc_state *s, const void *buf, size_t cap, size_t esize);

/* Producer only. Copies the esize bytes at item into the queue.
 * Returns MK_OK, or MK_EFULL (queue unchanged). O(esize). */
mk_err mk_spsc_push(mk_spsc_view v, const void *item);
/* Consumer only. Moves the oldest item to out (NULL: discard it).
 * Returns MK_OK, or MK_EEMPTY (queue and *out unchanged). O(esize). */
mk_err mk_spsc_pop(mk_spsc_view v, void *out);

/* Producer only. Pushes as many of the n items at `items` as fit, in order, and
 * publishes them at once. Returns how many (0 when full). O(n * esize). */
size_t mk_spsc_push_n(mk_spsc_view v, const void *items, size_t n);
/* Consumer only. Pops up to n items into out (NULL: discard them), oldest first.
 * Returns how many (0 when empty). O(n * esize). */
size_t mk_spsc_pop_n(mk_spsc_view v, void *out, size_t n);

/* Producer only, zero-copy: returns the first free slot and sets *n to how many free
 * slots follow it contiguously (up to the end of the array: a batch that wraps takes
 * two claims, as in a bip buffer), or returns NULL with *n = 0 when full (NULL
 * without touching anything when n is NULL). The slots
 * belong to the producer until mk_spsc_commit_write publishes them; claiming again
 * before that returns the same slots. O(1). */
void *mk_spsc_claim_write(mk_spsc_view v, size_t *n);
/* Producer only: publishes the first k slots of the last claim (k may be less than
 * it gave, or 0). Returns MK_OK, or MK_EINVAL when k exceeds the free slots
 * contiguous at the claim point (nothing published). O(1). */
mk_err mk_spsc_commit_write(mk_spsc_view v, size_t k);
/* Consumer only, zero-copy: returns the oldest item and sets *n to how many items
 * follow it contiguously (up to the end of the array), or NULL with *n = 0 when
 * empty. They stay in place until mk_spsc_commit_read releases them. O(1). */
void *mk_spsc_claim_read(mk_spsc_view v, size_t *n);
/* Consumer only: releases the first k items of the last read claim. Returns MK_OK,
 * or MK_EINVAL when k exceeds the items contiguous at the claim point (nothing
 * released). O(1). */
mk_err mk_spsc_commit_read(mk_spsc_view v, size_t k);

/* Items queued: exact on either side when the other is idle, otherwise a value the
 * queue held during the call. Any thread. O(1). */
size_t mk_spsc_len(mk_spsc_view v);

/* ---- the shared fast path ------------------------------------------------------------ */

/* Producer: free slots, reading the consumer's head only when the cached copy shows
 * fewer than `want`. The acquire load pairs with the consumer's release of head, so
 * its reads of the slots it freed happen before the producer overwrites them. */
static inline size_t mk__spsc_room(mk_spsc_state *s, size_t cap, size_t want, size_t *tail)
{
    size_t t = MK__QLOAD(s->tail, relaxed);
    size_t room = cap - (t - s->head_cache);
    if (room < want) {
        s->head_cache = MK__QLOAD(s->head, acquire);
        room = cap - (t - s->head_cache);
    }
    *tail = t;
    return room;
}

/* Consumer: items ready, reading the producer's tail only when the cached copy shows
 * fewer than `want`. The acquire load pairs with the producer's release of tail, so
 * the slots' contents are visible. */
static inline size_t mk__spsc_ready(mk_spsc_state *s, size_t want, size_t *head)
{
    size_t h = MK__QLOAD(s->head, relaxed);
    size_t n = s->tail_cache - h;
    if (n < want) {
        s->tail_cache = MK__QLOAD(s->tail, acquire);
        n = s->tail_cache - h;
    }
    *head = h;
    return n;
}

/* The typed push and pop: inline over the fast path with atomics; through the core
 * (inside its critical section) without. */
#if MK_NO_ATOMICS
#define MK__SPSC_PUSH_POP(name, T, CAP)                                                 \
    MK__MAYBE_UNUSED static inline mk_err name##_push(name *q, T mk__item)              \
    {                                                                                   \
        return mk_spsc_push(name##_view(q), &mk__item);                                 \
    }                                                                                   \
    MK__MAYBE_UNUSED static inline mk_err name##_pop(name *q, T *out)                   \
    {                                                                                   \
        return mk_spsc_pop(name##_view(q), out);                                        \
    }
#else
#define MK__SPSC_PUSH_POP(name, T, CAP)                                                 \
    MK__MAYBE_UNUSED static inline mk_err name##_push(name *q, T mk__item)              \
    {                                                                                   \
        size_t t;                                                                       \
        if (!mk__spsc_room(&q->s, CAP, 1u, &t))                                         \
            return MK_EFULL;                                                            \
        q->slots[t & (CAP - 1u)] = mk__item;                                            \
        MK__QSTORE(q->s.tail, t + 1u, release);                                         \
        return MK_OK;                                                                   \
    }                                                                                   \
    MK__MAYBE_UNUSED static inline mk_err name##_pop(name *q, T *out)                   \
    {                                                                                   \
        size_t h;                                                                       \
        if (!mk__spsc_ready(&q->s, 1u, &h))                                             \
            return MK_EEMPTY;                                                           \
        if (out)                                                                        \
            *out = q->slots[h & (CAP - 1u)];                                            \
        MK__QSTORE(q->s.head, h + 1u, release);                                         \
        return MK_OK;                                                                   \
    }
#endif

/* The typed functions both forms share; CAP is an expression of q. */
#define MK__SPSC_FUNCS(name, T, CAP)                                                    \
    MK__MAYBE_UNUSED static inline mk_spsc_view name##_view(name *q)                    \
    {                                                                                   \
        mk_spsc_view v = { &q->s, q->slots, CAP, sizeof(T) };                           \
        return v;                                                                       \
    }                                                                                   \
    MK__SPSC_PUSH_POP(name, T, CAP)                                                     \
    MK__MAYBE_UNUSED static inline size_t name##_push_n(name *q, const T *items, size_t n) \
    {                                                                                   \
        return mk_spsc_push_n(name##_view(q), items, n);                                \
    }                                                                                   \
    MK__MAYBE_UNUSED static inline size_t name##_pop_n(name *q, T *out, size_t n)       \
    {                                                                                   \
        return mk_spsc_pop_n(name##_view(q), out, n);                                   \
    }                                                                                   \
    MK__MAYBE_UNUSED static inline T *name##_claim_write(name *q, size_t *n)            \
    {                                                                                   \
        return (T *)mk_spsc_claim_write(name##_view(q), n);                             \
    }                                                                                   \
    MK__MAYBE_UNUSED static inline mk_err name##_commit_write(name *q, size_t k)        \
    {                                                                                   \
        return mk_spsc_commit_write(name##_view(q), k);                                 \
    }                                                                                   \
    MK__MAYBE_UNUSED static inline T *name##_claim_read(name *q, size_t *n)             \
    {                                                                                   \
        return (T *)mk_spsc_claim_read(name##_view(q), n);                              \
    }                                                                                   \
    MK__MAYBE_UNUSED static inline mk_err name##_commit_read(name *q, size_t k)         \
    {                                                                                   \
        return mk_spsc_commit_read(name##_view(q), k);                                  \
    }                                                                                   \
    MK__QUEUE_COMMON_FUNCS(spsc, name, CAP)

/* Declares the type `name`, a queue of N (a power of two) items of type T stored
 * inside it, and these static inline functions (q is a name *):
 *     mk_err name_push(q, T item)            producer; MK_EFULL when full. O(1).
 *     mk_err name_pop(q, T *out)             consumer; MK_EEMPTY when empty; out may
 *                                            be NULL. O(1).
 *     size_t name_push_n(q, const T *, n)    producer; how many were pushed. O(n).
 *     size_t name_pop_n(q, T *out, n)        consumer; how many were popped. O(n).
 *     T *name_claim_write(q, size_t *n)      and mk_err name_commit_write(q, k),
 *     T *name_claim_read(q, size_t *n)       and mk_err name_commit_read(q, k):
 *                                            zero-copy runs (see mk_spsc_claim_write).
 *     size_t name_len(q), name_cap(q)        items queued; N. O(1).
 *     mk_spsc_view name_view(q)              the erased form.
 *     void name_set_hooks(q, hooks)          MK_NO_ATOMICS: lock hooks; else nothing.
 * All-zero bytes are an empty queue (static storage or `= {0}`): no init call.
 * Use at file scope, followed by a semicolon:
 *     MK_SPSC_DEFINE(rx_queue, uint8_t, 64);                                          */
#define MK_SPSC_DEFINE(name, T, N)                                                      \
    typedef struct name {                                                               \
        mk_spsc_state s;                                                                \
        T slots[N];                                                                     \
    } name;                                                                             \
    MK__SPSC_FUNCS(name, T, ((size_t)(N)))                                              \
    MK__QUEUE_ASSERTS(name, N, sizeof(T))

/* Declares the type `name`, a queue of items of type T over an array the caller lends,
 * with the functions of MK_SPSC_DEFINE (name_cap returns the capacity given) and
 *     mk_err name_init_ext(q, T *buf, size_t cap)   cap: a power of two or 0.
 *         MK_EINVAL (NULL q, or NULL buf with cap > 0), MK_ERANGE (cap not a power of
 *         two or above MK_QUEUE_MAX_CAP); on error *q is unchanged. O(1).
 * An all-zero queue has capacity 0: every push fails with MK_EFULL. */
#define MK_SPSC_DEFINE_EXT(name, T)                                                     \
    typedef struct name {                                                               \
        mk_spsc_state s;                                                                \
        T *slots;                                                                       \
        size_t cap;                                                                     \
    } name;                                                                             \
    MK__SPSC_FUNCS(name, T, q->cap)                                                     \
    MK__QUEUE_INIT_EXT(spsc, name, T, slots)

#ifdef __cplusplus
}
#endif

#endif /* MEMKIT_SPSC_H */
