/*
 * mk_mpmc: the bounded multi-producer multi-consumer queue (the design, its progress
 * guarantee and the contracts: include/memkit/mpmc.h).
 *
 * A cell's stored number is its sequence minus its index i, so for ticket p it reads
 *   p - i            free: the producer holding ticket p may fill it
 *   p + 1 - i        filled: the consumer holding ticket p may empty it
 *   p + cap - i      emptied: free for ticket p + cap
 * Producers and consumers run the same two steps with a different "lag" (0 and 1):
 * claim a ticket whose cell reads p + lag - i, then store the next state.
 */
#include "memkit/mpmc.h"

#include "internal/mem.h"

#if MK_NO_ATOMICS
#include "internal/cs.h"
#define ENTER(v) mk__cs cs_ = mk__cs_enter(mk__queue_cs((v)->s->hooks))
#define LEAVE(v) mk__cs_leave(mk__queue_cs((v)->s->hooks), cs_)

/* Inside the critical section nobody else moves the counter. */
static bool take(size_t *counter, size_t *expected)
{
    if (*counter != *expected) {
        *expected = *counter;
        return false;
    }
    *counter = *expected + 1u;
    return true;
}
#else
#define ENTER(v) (void)0
#define LEAVE(v) (void)0

/* Relaxed: the cell's sequence, not the counter, carries the hand-off of the item. */
static bool take(MK__QATOMIC(size_t) *counter, size_t *expected)
{
    return atomic_compare_exchange_weak_explicit(counter, expected, *expected + 1u,
                                                 memory_order_relaxed, memory_order_relaxed);
}
#endif

typedef MK__QATOMIC(size_t) mk__seq;

static mk__seq *seq_of(const mk_mpmc_view *v, size_t i)
{
    /* Through void *: the cell array is aligned for its first member, the sequence. */
    return (void *)((unsigned char *)v->cells + i * v->stride);
}

mk_err mk_mpmc_init(mk_mpmc_state *s, void *cells, size_t cap, size_t stride)
{
    if (!s || (!cells && cap) || stride < sizeof(mk__seq))
        return MK_EINVAL;
    mk_err e = mk_queue_check_cap(cap, stride);
    if (e != MK_OK)
        return e;
    if (cap == 1) /* filled for p and free for p + cap read alike (mpmc.h) */
        return MK_ERANGE;
    MK__QSTORE(s->enq, 0u, relaxed);
    MK__QSTORE(s->deq, 0u, relaxed);
#if MK_NO_ATOMICS
    s->hooks = NULL;
#endif
    mk_mpmc_view v = { s, cells, cap, stride, 0, 0 };
    for (size_t i = 0; i < cap; i++)
        MK__QSTORE(*seq_of(&v, i), 0u, relaxed);
    return MK_OK;
}

/* Takes the next ticket p from counter whose cell reads p + lag - i, and returns that
 * cell's item; NULL when the cell at the counter is not ready (full or empty). The
 * acquire load pairs with the release that put the cell in that state, so a producer
 * writes only after the last consumer's read and a consumer reads only after the
 * producer's write. A cell reading ahead of p means another thread took p: reload. */
static void *claim(const mk_mpmc_view *v, mk__seq *counter, size_t lag, size_t *ticket)
{
    if (!ticket || !v->cap)
        return NULL;
    void *item = NULL;
    size_t mask = v->cap - 1u;
    ENTER(v);
    size_t p = MK__QLOAD(*counter, relaxed);
    for (;;) {
        size_t i = p & mask;
        mk__seq *seq = seq_of(v, i);
        ptrdiff_t d = (ptrdiff_t)(MK__QLOAD(*seq, acquire) - (p + lag - i));
        if (d == 0) {
            if (take(counter, &p)) {
                *ticket = p;
                item = (unsigned char *)seq + v->offset;
                break;
            }
        } else if (d < 0) {
            break;
        } else {
            p = MK__QLOAD(*counter, relaxed);
        }
    }
    LEAVE(v);
    return item;
}

/* Moves the cell of a claimed ticket from p + lag - i to p + next - i. The ticket is
 * claimed and not yet finished exactly when the counter has passed it by 1..cap and
 * the cell still reads p + lag - i; anything else is refused. */
static mk_err finish(const mk_mpmc_view *v, mk__seq *counter, size_t ticket, size_t lag,
                     size_t next)
{
    if (!v->cap)
        return MK_EINVAL;
    mk_err e = MK_EINVAL;
    size_t i = ticket & (v->cap - 1u);
    mk__seq *seq = seq_of(v, i);
    ENTER(v);
    size_t behind = MK__QLOAD(*counter, relaxed) - ticket;
    if (behind - 1u < v->cap && MK__QLOAD(*seq, relaxed) == ticket + lag - i) {
        MK__QSTORE(*seq, ticket + next - i, release);
        e = MK_OK;
    }
    LEAVE(v);
    return e;
}

void *mk_mpmc_claim_push(mk_mpmc_view v, size_t *ticket)
{
    return claim(&v, &v.s->enq, 0u, ticket);
}

mk_err mk_mpmc_publish(mk_mpmc_view v, size_t ticket)
{
    return finish(&v, &v.s->enq, ticket, 0u, 1u);
}

void *mk_mpmc_claim_pop(mk_mpmc_view v, size_t *ticket)
{
    return claim(&v, &v.s->deq, 1u, ticket);
}

mk_err mk_mpmc_release(mk_mpmc_view v, size_t ticket)
{
    return finish(&v, &v.s->deq, ticket, 1u, v.cap);
}

mk_err mk_mpmc_push(mk_mpmc_view v, const void *item)
{
    size_t ticket;
    /* By address, as everywhere inside: copying a view can be a memcpy call. */
    void *cell = claim(&v, &v.s->enq, 0u, &ticket);
    if (!cell)
        return MK_EFULL;
    mk__copy(cell, item, v.esize);
    return finish(&v, &v.s->enq, ticket, 0u, 1u);
}

mk_err mk_mpmc_pop(mk_mpmc_view v, void *out)
{
    size_t ticket;
    void *cell = claim(&v, &v.s->deq, 1u, &ticket);
    if (!cell)
        return MK_EEMPTY;
    if (out)
        mk__copy(out, cell, v.esize);
    return finish(&v, &v.s->deq, ticket, 1u, v.cap);
}

size_t mk_mpmc_len(mk_mpmc_view v)
{
    ENTER(&v);
    /* deq first: enq read after it is never behind it. */
    size_t d = MK__QLOAD(v.s->deq, relaxed);
    size_t e = MK__QLOAD(v.s->enq, relaxed);
    LEAVE(&v);
    return e - d < v.cap ? e - d : v.cap;
}
