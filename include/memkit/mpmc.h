/*
 * mk_mpmc: a bounded multi-producer multi-consumer queue, lock-free in the sense
 * stated below (Dmitry Vyukov's design: a sequence number per cell).
 *
 * Contents
 *   mk_mpmc_state ........... the producers' and the consumers' tickets
 *   mk_mpmc_view ............ the erased form every typed queue converts to
 *   MK_MPMC_DEFINE .......... a typed queue of N cells inside the object
 *   MK_MPMC_DEFINE_EXT ...... a typed queue over a borrowed array of cells
 *   core functions .......... push, pop, the two halves of each (claim a cell, fill or
 *                             empty it in place, then publish or release it), len, init
 *   Options (memkit/config.h): MK_NO_ATOMICS, MK_CACHE_LINE.
 *
 * How it works
 *   enq and deq are free-running tickets (wrapping modulo 2^bits; cap, a power of two,
 *   divides that). Ticket p uses cell p % cap, whose sequence number says whose turn
 *   it is: p (free for the producer holding ticket p), p + 1 (filled, for the consumer
 *   holding p), p + cap (emptied, free for ticket p + cap). A producer reads enq, checks
 *   the cell, and takes the ticket with one compare-and-swap; it then writes the item
 *   and publishes it with a release store of the sequence. Consumers mirror this on
 *   deq. The stored number is the sequence minus the cell's index, so all-zero bytes
 *   are an empty queue and a MK_MPMC_DEFINE queue needs no init call.
 *
 * Progress guarantee (honestly)
 *   - No operation ever waits: push returns MK_EFULL and pop MK_EEMPTY instead. The
 *     compare-and-swap loops are lock-free: a thread retries only because another
 *     took a ticket, so some operation always completes; one thread's latency under
 *     contention is unbounded (not wait-free).
 *   - But a producer preempted (or killed) between taking its ticket and publishing
 *     its cell stalls the queue at that cell: consumers report MK_EEMPTY for it and
 *     for every item pushed after it, even though those items are complete, until it
 *     publishes; other producers keep pushing until the ring comes round to that cell,
 *     then report MK_EFULL. Likewise a consumer preempted between its ticket and
 *     releasing its cell makes producers report MK_EFULL when they come round to it.
 *     So the queue is not lock-free in the strict sense: the system's progress past
 *     one cell depends on the thread holding it. Nothing deadlocks, nothing is lost;
 *     tests/unit/mpmc_test.c stops a producer mid-push and checks exactly this. Where
 *     a producer can be suspended for long (an interrupt handler preempting a thread
 *     that holds a cell spins forever if it waits for the item), do not retry in a
 *     loop on the same core: use one SPSC queue per producer instead.
 *   - Order: each producer's items come out in the order it pushed them (tickets are
 *     taken in order); items of different producers interleave.
 *   - Memory order: a producer's release of the sequence happens-before the acquire
 *     load by the consumer that takes the item, and a consumer's release of the cell
 *     happens-before the producer that refills it, so the item's bytes never race.
 *   - Wrap: a thread that reads enq (or deq), stalls for exactly a multiple of 2^bits
 *     tickets, and resumes could take a stale ticket; 2^32 operations (32-bit) during
 *     one thread's window of a few instructions is the case to think about.
 * MK_NO_ATOMICS builds: each half of each operation inside a critical section
 * (memkit/queue.h's hooks); what a thread stopped between the halves does to the
 * others is as above.
 *
 * Exceptions to docs/containers.md
 *   Tickets are always size_t (no _DEFINE_IDX), capacity is a power of two from 2 to
 *   MK_QUEUE_MAX_CAP (mk_mpmc_init says why not 1), the storage is an array of cells
 *   (name_cell: a sequence number and the item), and the claim functions return a cell's
 *   item with a ticket to finish it by.
 *
 * Costs: every operation O(1) without contention (O(esize) to copy the item); init_ext
 * O(cap) (it clears the sequence numbers).
 * sizeof(mk_mpmc_state): 128 bytes with MK_CACHE_LINE 64 (the host default); with
 * MK_CACHE_LINE 0 (the microcontroller default): 8 bytes on 32-bit targets (12 with
 * MK_NO_ATOMICS), 16 on 64-bit (24). Each cell is a size_t sequence plus the item,
 * rounded up to alignment.
 */
#ifndef MEMKIT_MPMC_H
#define MEMKIT_MPMC_H

#include "memkit/queue.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The two tickets, on separate cache lines when MK_CACHE_LINE > 0. Private fields.
 * Invariant (no operation in flight): 0 <= enq - deq <= cap. All-zero: empty. */
typedef struct mk_mpmc_state {
    _Alignas(MK_CACHE_LINE) MK__QATOMIC(size_t) enq; /* next producer ticket */
    _Alignas(MK_CACHE_LINE) MK__QATOMIC(size_t) deq; /* next consumer ticket */
#if MK_NO_ATOMICS
    const mk_queue_hooks *hooks; /* NULL: the default critical section */
#endif
} mk_mpmc_state;

/* Any MPMC queue, erased. Every cell starts with its MK__QATOMIC(size_t) sequence;
 * the item sits `offset` bytes in. Made by name_view(&q). */
typedef struct mk_mpmc_view {
    mk_mpmc_state *s;
    void *cells;
    size_t cap;    /* a power of two, or 0 */
    size_t stride; /* bytes from one cell to the next */
    size_t offset; /* of the item within its cell */
    size_t esize;  /* bytes per item */
} mk_mpmc_view;

/* Resets the queue over cap cells of `stride` bytes at `cells` to empty, clearing
 * each cell's sequence (keeps no hooks). Not thread-safe: before sharing.
 * Returns MK_OK; MK_EINVAL (NULL s, or NULL cells with cap > 0, or a stride smaller
 * than a sequence number); MK_ERANGE (mk_queue_check_cap, or cap 1: with one cell, a
 * cell filled by ticket p reads p + 1, which is also "free for ticket p + cap", so a
 * second push would overwrite the first; Vyukov's design needs two cells too). On error
 * nothing changes. O(cap). */
mk_err mk_mpmc_init(mk_mpmc_state *s, void *cells, size_t cap, size_t stride);

/* Any thread: takes the next free cell and returns its item (to be written in place),
 * setting *ticket; NULL when full (or when the ring has come round to a cell whose
 * consumer has not released it), or when ticket is NULL. The cell must then be
 * published with mk_mpmc_publish, soon: until then consumers stop at it. O(1) without
 * contention. */
void *mk_mpmc_claim_push(mk_mpmc_view v, size_t *ticket);
/* Publishes the cell of a ticket from mk_mpmc_claim_push. Returns MK_OK, or MK_EINVAL
 * for a ticket that is not claimed and unpublished (nothing changes). O(1). */
mk_err mk_mpmc_publish(mk_mpmc_view v, size_t ticket);

/* Any thread: takes the oldest item and returns it in place, setting *ticket; NULL
 * when empty (or when the oldest cell's producer has not published it), or when
 * ticket is NULL. The cell must then be released with mk_mpmc_release, soon: until
 * then producers that come round to it report full. O(1) without contention. */
void *mk_mpmc_claim_pop(mk_mpmc_view v, size_t *ticket);
/* Releases the cell of a ticket from mk_mpmc_claim_pop. Returns MK_OK, or MK_EINVAL
 * for a ticket that is not claimed and unreleased (nothing changes). O(1). */
mk_err mk_mpmc_release(mk_mpmc_view v, size_t ticket);

/* Any thread: copies esize bytes from item into the queue. Returns MK_OK, or MK_EFULL
 * (queue unchanged). O(esize) without contention. */
mk_err mk_mpmc_push(mk_mpmc_view v, const void *item);
/* Any thread: moves the oldest item to out (NULL: discard). Returns MK_OK, or
 * MK_EEMPTY (queue and *out unchanged). O(esize) without contention. */
mk_err mk_mpmc_pop(mk_mpmc_view v, void *out);

/* Tickets taken by producers and not yet by consumers: exact when no operation is in
 * flight, at most cap. Any thread. O(1). */
size_t mk_mpmc_len(mk_mpmc_view v);

/* The typed functions both forms share; CAP is an expression of q. */
#define MK__MPMC_FUNCS(name, T, CAP)                                                    \
    MK__MAYBE_UNUSED static inline mk_mpmc_view name##_view(name *q)                    \
    {                                                                                   \
        mk_mpmc_view v = { &q->s, q->cells, CAP, sizeof(name##_cell),                   \
                           offsetof(name##_cell, item), sizeof(T) };                    \
        return v;                                                                       \
    }                                                                                   \
    MK__MAYBE_UNUSED static inline T *name##_claim_push(name *q, size_t *ticket)        \
    {                                                                                   \
        return (T *)mk_mpmc_claim_push(name##_view(q), ticket);                         \
    }                                                                                   \
    MK__MAYBE_UNUSED static inline mk_err name##_publish(name *q, size_t ticket)        \
    {                                                                                   \
        return mk_mpmc_publish(name##_view(q), ticket);                                 \
    }                                                                                   \
    MK__MAYBE_UNUSED static inline T *name##_claim_pop(name *q, size_t *ticket)         \
    {                                                                                   \
        return (T *)mk_mpmc_claim_pop(name##_view(q), ticket);                          \
    }                                                                                   \
    MK__MAYBE_UNUSED static inline mk_err name##_release(name *q, size_t ticket)        \
    {                                                                                   \
        return mk_mpmc_release(name##_view(q), ticket);                                 \
    }                                                                                   \
    MK__MAYBE_UNUSED static inline mk_err name##_push(name *q, T mk__item)              \
    {                                                                                   \
        size_t ticket;                                                                  \
        T *cell = name##_claim_push(q, &ticket);                                        \
        if (!cell)                                                                      \
            return MK_EFULL;                                                            \
        *cell = mk__item;                                                               \
        return name##_publish(q, ticket);                                               \
    }                                                                                   \
    MK__MAYBE_UNUSED static inline mk_err name##_pop(name *q, T *out)                   \
    {                                                                                   \
        size_t ticket;                                                                  \
        T *cell = name##_claim_pop(q, &ticket);                                         \
        if (!cell)                                                                      \
            return MK_EEMPTY;                                                           \
        if (out)                                                                        \
            *out = *cell;                                                               \
        return name##_release(q, ticket);                                               \
    }                                                                                   \
    MK__QUEUE_COMMON_FUNCS(mpmc, name, CAP)

/* Declares the cell type `name_cell` (a sequence number and a T), the type `name`,
 * a queue of N (a power of two, at least 2) items of type T stored inside it, and these
 * static inline functions (q is a name *):
 *     mk_err name_push(q, T item)           MK_EFULL when full. O(1).
 *     mk_err name_pop(q, T *out)            MK_EEMPTY when empty; out may be NULL.
 *     T *name_claim_push(q, size_t *tk)     and mk_err name_publish(q, tk),
 *     T *name_claim_pop(q, size_t *tk)      and mk_err name_release(q, tk): the two
 *                                           halves, to fill or read an item in place.
 *     size_t name_len(q), name_cap(q)       items queued; N. O(1).
 *     mk_mpmc_view name_view(q)             the erased form.
 *     void name_set_hooks(q, hooks)         MK_NO_ATOMICS: lock hooks; else nothing.
 * All-zero bytes are an empty queue: no init call. Every function is safe from any
 * number of threads. Use at file scope, followed by a semicolon:
 *     MK_MPMC_DEFINE(jobs, struct job *, 32);                                         */
#define MK_MPMC_DEFINE(name, T, N)                                                      \
    typedef struct name##_cell {                                                        \
        MK__QATOMIC(size_t) seq;                                                        \
        T item;                                                                         \
    } name##_cell;                                                                      \
    typedef struct name {                                                               \
        mk_mpmc_state s;                                                                \
        name##_cell cells[N];                                                           \
    } name;                                                                             \
    MK__MPMC_FUNCS(name, T, ((size_t)(N)))                                              \
    _Static_assert((N) != 1, #name ": N must be at least 2 (see mk_mpmc_init)");        \
    MK__QUEUE_ASSERTS(name, N, sizeof(name##_cell))

/* Declares `name_cell` and `name`, a queue of items of type T over an array of
 * name_cell the caller lends, with the functions of MK_MPMC_DEFINE (name_cap returns
 * the capacity given) and
 *     mk_err name_init_ext(q, name_cell *buf, size_t cap)   cap: 0 or a power of two
 *         of at least 2. MK_EINVAL (NULL q, or NULL buf with cap > 0), MK_ERANGE (cap 1,
 *         not a power of two, or above MK_QUEUE_MAX_CAP); on error nothing changes.
 *         O(cap).
 * An all-zero queue has capacity 0: every push fails with MK_EFULL. */
#define MK_MPMC_DEFINE_EXT(name, T)                                                     \
    typedef struct name##_cell {                                                        \
        MK__QATOMIC(size_t) seq;                                                        \
        T item;                                                                         \
    } name##_cell;                                                                      \
    typedef struct name {                                                               \
        mk_mpmc_state s;                                                                \
        name##_cell *cells;                                                             \
        size_t cap;                                                                     \
    } name;                                                                             \
    MK__MPMC_FUNCS(name, T, q->cap)                                                     \
    MK__QUEUE_INIT_EXT(mpmc, name, name##_cell, cells)

#ifdef __cplusplus
}
#endif

#endif /* MEMKIT_MPMC_H */
