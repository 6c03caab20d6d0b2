/*
 * mk_spsc: the erased core of the single-producer single-consumer queue (the design,
 * the memory-order argument and the contracts: include/memkit/spsc.h). Every function
 * uses the header's fast-path helpers, so the typed inline push/pop and these share
 * one algorithm; without atomics each runs inside a critical section.
 */
#include "memkit/spsc.h"

#include "internal/mem.h"

#if MK_NO_ATOMICS
#include "internal/cs.h"
#define ENTER(v) mk__cs cs_ = mk__cs_enter(mk__queue_cs((v)->s->hooks))
#define LEAVE(v) mk__cs_leave(mk__queue_cs((v)->s->hooks), cs_)
#else
#define ENTER(v) (void)0
#define LEAVE(v) (void)0
#endif

mk_err mk_spsc_init(mk_spsc_state *s, const void *buf, size_t cap, size_t esize)
{
    if (!s || (!buf && cap))
        return MK_EINVAL;
    mk_err e = mk_queue_check_cap(cap, esize);
    if (e != MK_OK)
        return e;
    MK__QSTORE(s->tail, 0u, relaxed);
    MK__QSTORE(s->head, 0u, relaxed);
    s->head_cache = 0;
    s->tail_cache = 0;
#if MK_NO_ATOMICS
    s->hooks = NULL;
#endif
    return MK_OK;
}

static unsigned char *slot(const mk_spsc_view *v, size_t i)
{
    return (unsigned char *)v->slots + (i & (v->cap - 1u)) * v->esize;
}

/* Free slots from index t to the end of the array or to the first slot still held,
 * whichever comes first. */
static size_t run(const mk_spsc_view *v, size_t t, size_t avail)
{
    size_t to_end = v->cap - (t & (v->cap - 1u));
    return avail < to_end ? avail : to_end;
}

/* Copies n items between the ring (from index i on) and a flat array, in at most two
 * runs; to_ring says which way. */
static void copy_ring(const mk_spsc_view *v, size_t i, void *flat, size_t n, bool to_ring)
{
    unsigned char *f = flat;
    size_t first = run(v, i, n);
    if (to_ring) {
        mk__copy(slot(v, i), f, first * v->esize);
        mk__copy(slot(v, i + first), f + first * v->esize, (n - first) * v->esize);
    } else {
        mk__copy(f, slot(v, i), first * v->esize);
        mk__copy(f + first * v->esize, slot(v, i + first), (n - first) * v->esize);
    }
}

/* The views are passed on by address: a copy of a struct argument is a memcpy call
 * on some targets (RV32 at -Os), and the core must not need libc. */
static size_t push_n(const mk_spsc_view *v, const void *items, size_t n)
{
    size_t t;
    ENTER(v);
    size_t room = mk__spsc_room(v->s, v->cap, n, &t);
    if (n > room)
        n = room;
    if (n) {
        /* The copy only reads items; the cast lets one helper serve both directions. */
        copy_ring(v, t, (void *)(uintptr_t)items, n, true);
        MK__QSTORE(v->s->tail, t + n, release);
    }
    LEAVE(v);
    return n;
}

static size_t pop_n(const mk_spsc_view *v, void *out, size_t n)
{
    size_t h;
    ENTER(v);
    size_t ready = mk__spsc_ready(v->s, n, &h);
    if (n > ready)
        n = ready;
    if (n) {
        if (out)
            copy_ring(v, h, out, n, false);
        MK__QSTORE(v->s->head, h + n, release);
    }
    LEAVE(v);
    return n;
}

mk_err mk_spsc_push(mk_spsc_view v, const void *item)
{
    return push_n(&v, item, 1u) ? MK_OK : MK_EFULL;
}

mk_err mk_spsc_pop(mk_spsc_view v, void *out)
{
    return pop_n(&v, out, 1u) ? MK_OK : MK_EEMPTY;
}

size_t mk_spsc_push_n(mk_spsc_view v, const void *items, size_t n)
{
    return push_n(&v, items, n);
}

size_t mk_spsc_pop_n(mk_spsc_view v, void *out, size_t n)
{
    return pop_n(&v, out, n);
}

void *mk_spsc_claim_write(mk_spsc_view v, size_t *n)
{
    if (!n)
        return NULL;
    size_t t;
    ENTER(&v);
    /* Asking for the whole capacity refreshes the cached head unless the cache already
     * shows the queue empty, so the claim is as long as it can be. */
    size_t room = mk__spsc_room(v.s, v.cap, v.cap, &t);
    LEAVE(&v);
    *n = room ? run(&v, t, room) : 0;
    return room ? slot(&v, t) : NULL;
}

mk_err mk_spsc_commit_write(mk_spsc_view v, size_t k)
{
    size_t t;
    mk_err e = MK_EINVAL;
    ENTER(&v);
    /* The cached head only grows, so the run is at least what the claim gave. */
    size_t room = mk__spsc_room(v.s, v.cap, k, &t);
    if (k <= run(&v, t, room)) {
        MK__QSTORE(v.s->tail, t + k, release);
        e = MK_OK;
    }
    LEAVE(&v);
    return e;
}

void *mk_spsc_claim_read(mk_spsc_view v, size_t *n)
{
    if (!n)
        return NULL;
    size_t h;
    ENTER(&v);
    size_t ready = mk__spsc_ready(v.s, v.cap, &h);
    LEAVE(&v);
    *n = ready ? run(&v, h, ready) : 0;
    return ready ? slot(&v, h) : NULL;
}

mk_err mk_spsc_commit_read(mk_spsc_view v, size_t k)
{
    size_t h;
    mk_err e = MK_EINVAL;
    ENTER(&v);
    size_t ready = mk__spsc_ready(v.s, k, &h);
    if (k <= run(&v, h, ready)) {
        MK__QSTORE(v.s->head, h + k, release);
        e = MK_OK;
    }
    LEAVE(&v);
    return e;
}

size_t mk_spsc_len(mk_spsc_view v)
{
    ENTER(&v);
    /* head first: the tail read after it is at least as new, so the difference is
     * never negative; a pop and a push between the two reads can only make it too
     * large, hence the clamp. */
    size_t h = MK__QLOAD(v.s->head, acquire);
    size_t t = MK__QLOAD(v.s->tail, acquire);
    LEAVE(&v);
    size_t n = t - h;
    return n < v.cap ? n : v.cap;
}
