/* Property test, one thread: random sequences of MPMC operations (push and pop, typed
 * and through the erased core; the two halves of each, with up to four claims held on
 * each side and finished in any order; finishing tickets nobody holds; len; init)
 * against a model: a plain array indexed by ticket that keeps each ticket's item and
 * state. Items of tickets deq..enq form the FIFO; a held claim is what makes the queue
 * report empty with items queued, or full with free cells, and the model predicts both.
 * Two queues: a typed 8-cell queue of uint32_t, and a _DEFINE_EXT queue of uint16_t
 * (items narrower than the sequence number) re-initialised now and then at a random
 * capacity (0 included) and refused at bad ones (1 among them). Every result is
 * checked, and after every operation both tickets and every queued or held item. Half
 * the seeds start the tickets just below SIZE_MAX so that they wrap.
 * Usage: mpmc_prop [seeds [ops_per_seed]]  (defaults: 8 seeds x 100,000 ops) */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "memkit/mpmc.h"
#include "queue_prop.h"
#include "test.h"

MK_MPMC_DEFINE(m8, uint32_t, 8);
MK_MPMC_DEFINE_EXT(mx, uint16_t);

/* The model keeps states by ticket modulo TICKETS. The ones it reads lie between
 * deq - cap and enq, at most 2 * MAXC apart, fewer than TICKETS, so no two of them
 * share a record. */
enum { NQ = 2, MAXC = 64, HOLD = 4, TICKETS = 256 };
enum state { FREE, PUSHING, READY, POPPING };

static m8 fixed;
static mx ext;
static mx_cell ext_buf[MAXC];

typedef struct held {
    size_t ticket;
    unsigned char *item;
} held;

typedef struct model {
    bool typed; /* the fixed queue, else the _EXT one */
    size_t cap;
    size_t esize;
    uint32_t keep; /* value bits an item holds */
    size_t enq, deq;
    unsigned char state[TICKETS];
    uint32_t value[TICKETS];
    held pushing[HOLD], popping[HOLD]; /* claims not yet published / released */
    size_t npushing, npopping;
} model;

static model models[NQ];
static unsigned long stalled_pops, stalled_pushes; /* refused though len said otherwise */
static unsigned long wraps;                        /* of deq past SIZE_MAX */

/* Takes the consumers' next ticket in the model. */
static size_t take_deq(model *m)
{
    wraps += m->deq == SIZE_MAX;
    return m->deq++;
}

static mk_mpmc_view view_of(const model *m)
{
    return m->typed ? m8_view(&fixed) : mx_view(&ext);
}

static unsigned char *item_at(const model *m, size_t ticket)
{
    mk_mpmc_view v = view_of(m);
    return (unsigned char *)v.cells + (ticket & (m->cap - 1u)) * v.stride + v.offset;
}

static unsigned char *st(model *m, size_t ticket)
{
    return &m->state[ticket % TICKETS];
}

static bool can_push(model *m)
{
    return m->enq - m->deq < m->cap && *st(m, m->enq - m->cap) == FREE;
}

static bool can_pop(model *m)
{
    return m->enq != m->deq && *st(m, m->deq) == READY;
}

/* Puts both tickets at x, each cell free for the ticket that maps to it next, as if
 * x tickets had passed through the queue. */
static void set_tickets(model *m, size_t x)
{
    MK__QSTORE(view_of(m).s->enq, x, relaxed);
    MK__QSTORE(view_of(m).s->deq, x, relaxed);
    for (size_t i = 0; i < m->cap; i++) {
        size_t seq = x + ((i - x) & (m->cap - 1u)) - i;
        if (m->typed)
            MK__QSTORE(fixed.cells[i].seq, seq, relaxed);
        else
            MK__QSTORE(ext.cells[i].seq, seq, relaxed);
    }
    m->enq = m->deq = x;
}

static void forget_claims(model *m)
{
    memset(m->state, FREE, sizeof m->state);
    m->npushing = m->npopping = 0;
}

static void op_push(model *m, unsigned long long *s)
{
    uint32_t x = (uint32_t)test_rand(s) & m->keep;
    unsigned char bytes[sizeof x];
    put(bytes, x, m->esize);
    mk_err e;
    if (test_rand(s) & 1)
        e = m->typed ? m8_push(&fixed, x) : mx_push(&ext, (uint16_t)x);
    else
        e = mk_mpmc_push(view_of(m), bytes);
    bool ok = can_push(m);
    CHECK(e == (ok ? MK_OK : MK_EFULL));
    stalled_pushes += !ok && m->enq - m->deq < m->cap;
    if (e == MK_OK) {
        *st(m, m->enq) = READY;
        m->value[m->enq % TICKETS] = x;
        m->enq++;
    }
}

static void op_pop(model *m, unsigned long long *s)
{
    bool discard = test_range(s, 0, 7) == 0;
    bool typed = test_rand(s) & 1;
    unsigned char bytes[sizeof(uint32_t)] = { 0xEE, 0xEE, 0xEE, 0xEE };
    uint32_t u32 = 0xEEEEEEEEu;
    uint16_t u16 = 0xEEEE;
    mk_err e;
    if (!typed)
        e = mk_mpmc_pop(view_of(m), discard ? NULL : bytes);
    else if (m->typed)
        e = m8_pop(&fixed, discard ? NULL : &u32);
    else
        e = mx_pop(&ext, discard ? NULL : &u16);
    bool untouched = u32 == 0xEEEEEEEEu && u16 == 0xEEEE && get(bytes, 4) == 0xEEEEEEEEu;
    uint32_t out = !typed ? get(bytes, m->esize) : m->typed ? u32 : u16;
    bool ok = can_pop(m);
    CHECK(e == (ok ? MK_OK : MK_EEMPTY));
    stalled_pops += !ok && m->enq != m->deq;
    if (e == MK_OK && !discard) {
        CHECK(out == m->value[m->deq % TICKETS]);
    } else {
        CHECK(untouched);
    }
    if (e == MK_OK)
        *st(m, take_deq(m)) = FREE;
}

static void op_claim_push(model *m, unsigned long long *s)
{
    size_t ticket = 12345;
    mk_mpmc_view v = view_of(m);
    CHECK((m->typed ? (void *)m8_claim_push(&fixed, NULL) : mk_mpmc_claim_push(v, NULL)) ==
          NULL);
    unsigned char *item = m->typed ? (unsigned char *)m8_claim_push(&fixed, &ticket)
                                   : mk_mpmc_claim_push(v, &ticket);
    bool ok = can_push(m);
    CHECK(ok ? item == item_at(m, m->enq) && ticket == m->enq : item == NULL);
    if (!ok || !item)
        return;
    uint32_t x = (uint32_t)test_rand(s) & m->keep;
    put(item, x, m->esize);
    *st(m, m->enq) = PUSHING;
    m->value[m->enq % TICKETS] = x;
    m->pushing[m->npushing++] = (held){ m->enq, item };
    m->enq++;
}

static void op_claim_pop(model *m)
{
    size_t ticket = 12345;
    mk_mpmc_view v = view_of(m);
    CHECK((m->typed ? (void *)m8_claim_pop(&fixed, NULL) : mk_mpmc_claim_pop(v, NULL)) == NULL);
    unsigned char *item = m->typed ? (unsigned char *)m8_claim_pop(&fixed, &ticket)
                                   : mk_mpmc_claim_pop(v, &ticket);
    bool ok = can_pop(m);
    CHECK(ok ? item == item_at(m, m->deq) && ticket == m->deq : item == NULL);
    if (!ok || !item)
        return;
    CHECK(get(item, m->esize) == m->value[m->deq % TICKETS]);
    m->popping[m->npopping++] = (held){ m->deq, item };
    *st(m, take_deq(m)) = POPPING;
}

/* Publishes (producer) or releases (consumer) a ticket, held or not: the queue must
 * accept exactly a ticket the model holds on that side. */
static void finish(model *m, bool producer, size_t ticket)
{
    size_t counter = producer ? m->enq : m->deq;
    bool ok = counter - ticket - 1u < m->cap && *st(m, ticket) == (producer ? PUSHING : POPPING);
    mk_err e;
    if (producer)
        e = m->typed ? m8_publish(&fixed, ticket) : mk_mpmc_publish(view_of(m), ticket);
    else
        e = m->typed ? m8_release(&fixed, ticket) : mk_mpmc_release(view_of(m), ticket);
    CHECK(e == (ok ? MK_OK : MK_EINVAL));
    if (e != MK_OK)
        return;
    held *h = producer ? m->pushing : m->popping;
    size_t *n = producer ? &m->npushing : &m->npopping;
    size_t i = 0;
    while (i < *n && h[i].ticket != ticket)
        i++;
    REQUIRE(i < *n);
    h[i] = h[--*n];
    *st(m, ticket) = producer ? READY : FREE;
}

/* Finishes one held claim on a random side, the producer's item rewritten first half
 * the time (the claimed cell stays the producer's to write until it publishes). */
static void op_finish(model *m, unsigned long long *s)
{
    bool producer = test_rand(s) & 1;
    size_t n = producer ? m->npushing : m->npopping;
    if (n == 0)
        return;
    held h = (producer ? m->pushing : m->popping)[test_range(s, 0, n - 1u)];
    if (producer && test_rand(s) & 1) {
        uint32_t x = (uint32_t)test_rand(s) & m->keep;
        put(h.item, x, m->esize);
        m->value[h.ticket % TICKETS] = x;
    }
    finish(m, producer, h.ticket);
}

/* Tickets nobody holds on that side (or, by chance, one that is held). */
static void op_bad_finish(model *m, unsigned long long *s)
{
    bool producer = test_rand(s) & 1;
    size_t counter = producer ? m->enq : m->deq, t;
    switch (test_range(s, 0, 4)) {
    case 0: t = counter; break;                 /* not taken yet */
    case 1: t = counter - 1u; break;            /* the newest: held, finished or other side */
    case 2: t = counter - m->cap - 1u; break;   /* a lap behind */
    case 3: t = producer ? m->deq : m->enq; break;
    default: t = (size_t)test_rand(s); break;
    }
    finish(m, producer, t);
}

static bool same_as_model(model *m)
{
    mk_mpmc_view v = view_of(m);
    size_t len = m->typed ? m8_len(&fixed) : mx_len(&ext);
    bool same = len == m->enq - m->deq && mk_mpmc_len(v) == len && v.cap == m->cap &&
                (m->typed ? m8_cap(&fixed) : mx_cap(&ext)) == m->cap &&
                MK__QLOAD(v.s->enq, relaxed) == m->enq && MK__QLOAD(v.s->deq, relaxed) == m->deq;
    for (size_t t = m->deq; t != m->enq && same; t++)
        same = get(item_at(m, t), m->esize) == m->value[t % TICKETS];
    for (size_t i = 0; i < m->npopping && same; i++)
        same = get(m->popping[i].item, m->esize) == m->value[m->popping[i].ticket % TICKETS];
    return same;
}

/* Re-initialises the _EXT queue: at a bad capacity, which must change nothing, then
 * (half the time) at a good one, which empties it and drops every claim. */
static void op_init(model *m, unsigned long long *s)
{
    static const size_t bad[] = { 1, 3, 12, 48, MK_QUEUE_MAX_CAP, MK_QUEUE_MAX_CAP * 2u,
                                  SIZE_MAX };
    CHECK(mx_init_ext(&ext, ext_buf, bad[test_range(s, 0, sizeof bad / sizeof *bad - 1u)]) ==
          MK_ERANGE);
    CHECK(mx_init_ext(&ext, NULL, 4) == MK_EINVAL);
    CHECK(mx_init_ext(NULL, ext_buf, 4) == MK_EINVAL);
    CHECK(mk_mpmc_init(&ext.s, ext_buf, 4, 1) == MK_EINVAL); /* stride below a sequence */
    CHECK(same_as_model(m));
    if (test_rand(s) & 1)
        return;
    size_t shift = test_range(s, 0, 6);
    size_t cap = shift == 0 ? 0 : (size_t)1 << shift; /* 1 is refused above */
    CHECK(mx_init_ext(&ext, cap ? ext_buf : NULL, cap) == MK_OK);
    m->cap = cap;
    m->enq = m->deq = 0;
    forget_claims(m);
}

int main(int argc, char **argv)
{
    unsigned seeds = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 8;
    unsigned long ops = argc > 2 ? strtoul(argv[2], NULL, 10) : 100000;
    unsigned long full = 0, empty = 0;
    stalled_pops = stalled_pushes = wraps = 0;
    for (unsigned seed = 1; seed <= seeds; seed++) {
        unsigned long long s = 0xC2B2AE3D27D4EB4Full * seed;
        memset(&fixed, 0, sizeof fixed);
        memset(models, 0, sizeof models);
        size_t ext_cap = (size_t)1 << test_range(&s, 1, 6);
        REQUIRE(mx_init_ext(&ext, ext_buf, ext_cap) == MK_OK);
        for (int k = 0; k < NQ; k++) {
            model *m = &models[k];
            m->typed = k == 0;
            m->cap = m->typed ? 8 : ext_cap;
            m->esize = m->typed ? sizeof(uint32_t) : sizeof(uint16_t);
            m->keep = m->typed ? 0xFFFFFFFFu : 0xFFFFu;
            forget_claims(m);
            /* Near SIZE_MAX, the tickets wrap within the first hundred or so items. */
            set_tickets(m, test_rand(&s) & 1 ? SIZE_MAX - test_range(&s, 0, 40) : 0);
        }
        for (unsigned long i = 0; i < ops; i++) {
            for (int k = 0; k < NQ; k++) {
                model *m = &models[k];
                queue_step q = queue_step_pick(&s, i);
                if (q.init && !m->typed)
                    op_init(m, &s);
                else if (q.way < 4)
                    (q.more ? op_push : op_pop)(m, &s);
                else if (q.way < 6 && q.more && m->npushing < HOLD)
                    op_claim_push(m, &s);
                else if (q.way < 6 && !q.more && m->npopping < HOLD)
                    op_claim_pop(m);
                else if (q.way < 9)
                    op_finish(m, &s);
                else
                    op_bad_finish(m, &s);
                bool same = same_as_model(m);
                CHECK(same);
                if (!same) {
                    printf("seed %u op %lu queue %d differs from the model\n", seed, i, k);
                    TEST_MAIN_END();
                }
            }
            full += models[0].enq - models[0].deq == 8;
            empty += models[0].enq == models[0].deq;
        }
    }
    /* Every edge reached in a long run: full, empty, wrapped, and stopped by a claim. */
    CHECK(ops < 10000 ||
          (full > 0 && empty > 0 && wraps > 0 && stalled_pops > 0 && stalled_pushes > 0));
    printf("%u seeds x %lu ops on 2 queues; the 8-cell queue ended %lu ops full, %lu empty; "
           "tickets wrapped %lu times; a held claim refused %lu pops and %lu pushes\n", seeds,
           ops, full, empty, wraps, stalled_pops, stalled_pushes);
    TEST_MAIN_END();
}
