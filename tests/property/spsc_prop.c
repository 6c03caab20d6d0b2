/* Property test, one thread: random sequences of every SPSC operation (push, pop,
 * push_n, pop_n, claim and commit for writing and for reading, len, init) against a
 * model that is a plain array used as a FIFO, plus the queue's two counters, which say
 * where a claim's contiguous run must end. Three queues: a typed 8-slot queue of
 * uint32_t (the inline fast path), a _DEFINE_EXT queue re-initialised now and then at a
 * random power-of-two capacity (and refused at bad ones), and the erased core over
 * 3-byte slots. Every result is checked, and after every operation the whole contents
 * and both counters. Half the seeds start the counters just below SIZE_MAX so that they
 * wrap. Operations drift between filling and draining so both edges are reached.
 * Usage: spsc_prop [seeds [ops_per_seed]]  (defaults: 8 seeds x 100,000 ops) */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "memkit/spsc.h"
#include "queue_prop.h"
#include "test.h"

MK_SPSC_DEFINE(q8, uint32_t, 8);
MK_SPSC_DEFINE_EXT(qx, uint32_t);

/* MAXC: the largest capacity tried; ODD: bytes per slot of the erased queue. */
enum { NQ = 3, MAXC = 64, ODD = 3, BATCH = MAXC + 2 };
enum kind { TYPED, EXT, ERASED };

static q8 fixed;
static qx ext;
static uint32_t ext_buf[MAXC];
static mk_spsc_state odd_state;
static unsigned char odd_buf[MAXC * ODD];

typedef struct model {
    enum kind kind;
    size_t cap;
    size_t esize;
    uint32_t keep;        /* value bits a slot holds */
    uint32_t items[MAXC]; /* the FIFO, oldest first */
    size_t len;
    size_t head; /* items ever popped, counted from where the queue's counters started */
} model;

static model models[NQ];
static unsigned long wraps; /* of head past SIZE_MAX */

static mk_spsc_view view_of(const model *m)
{
    if (m->kind == TYPED)
        return q8_view(&fixed);
    if (m->kind == EXT)
        return qx_view(&ext);
    mk_spsc_view v = { &odd_state, odd_buf, m->cap, ODD };
    return v;
}

static unsigned char *slot_at(const model *m, size_t i)
{
    return (unsigned char *)view_of(m).slots + (i & (m->cap - 1u)) * m->esize;
}

/* The free (or filled) slots from counter value i on, up to the end of the array. */
static size_t run_from(const model *m, size_t i, size_t avail)
{
    size_t to_end = m->cap - (i & (m->cap - 1u));
    return avail < to_end ? avail : to_end;
}

static void model_append(model *m, uint32_t x)
{
    m->items[m->len++] = x & m->keep;
}

static void model_drop(model *m, size_t n)
{
    memmove(m->items, m->items + n, (m->len - n) * sizeof *m->items);
    m->len -= n;
    m->head += n;
    wraps += m->head < n;
}

/* Puts both counters (and the cached copies) at `start`, the queue empty. */
static void set_counters(const model *m, size_t start)
{
    mk_spsc_state *s = view_of(m).s;
    MK__QSTORE(s->tail, start, relaxed);
    MK__QSTORE(s->head, start, relaxed);
    s->head_cache = s->tail_cache = start;
}

static void reset(model *m, size_t cap, size_t start)
{
    m->cap = cap;
    m->len = 0;
    m->head = start;
    set_counters(m, start);
}

static mk_err push_one(const model *m, uint32_t x)
{
    unsigned char bytes[sizeof x];
    switch (m->kind) {
    case TYPED: return q8_push(&fixed, x);
    case EXT: return qx_push(&ext, x);
    default: put(bytes, x, ODD); return mk_spsc_push(view_of(m), bytes);
    }
}

static mk_err pop_one(const model *m, uint32_t *out)
{
    unsigned char bytes[sizeof *out];
    mk_err e;
    switch (m->kind) {
    case TYPED: return q8_pop(&fixed, out);
    case EXT: return qx_pop(&ext, out);
    default:
        e = mk_spsc_pop(view_of(m), out ? bytes : NULL);
        if (e == MK_OK && out)
            *out = get(bytes, ODD);
        return e;
    }
}

static void op_push(model *m, unsigned long long *s)
{
    uint32_t x = (uint32_t)test_rand(s) & m->keep;
    mk_err e = push_one(m, x);
    CHECK(e == (m->len == m->cap ? MK_EFULL : MK_OK));
    if (e == MK_OK)
        model_append(m, x);
}

static void op_pop(model *m, unsigned long long *s)
{
    uint32_t out = 0xFFFFFFFFu;
    bool discard = test_range(s, 0, 7) == 0;
    mk_err e = pop_one(m, discard ? NULL : &out);
    CHECK(e == (m->len == 0 ? MK_EEMPTY : MK_OK));
    if (e == MK_OK) {
        CHECK(discard || out == m->items[0]);
        model_drop(m, 1);
    } else {
        CHECK(out == 0xFFFFFFFFu);
    }
}

static void op_push_n(model *m, unsigned long long *s)
{
    size_t n = test_range(s, 0, m->cap + 2u);
    uint32_t typed[BATCH];
    unsigned char bytes[BATCH * ODD];
    for (size_t i = 0; i < n; i++) {
        typed[i] = (uint32_t)test_rand(s) & m->keep;
        put(bytes + i * ODD, typed[i], ODD);
    }
    size_t want = n < m->cap - m->len ? n : m->cap - m->len;
    size_t done;
    switch (m->kind) {
    case TYPED: done = q8_push_n(&fixed, typed, n); break;
    case EXT: done = qx_push_n(&ext, typed, n); break;
    default: done = mk_spsc_push_n(view_of(m), bytes, n); break;
    }
    CHECK(done == want);
    for (size_t i = 0; i < done && i < want; i++)
        model_append(m, typed[i]);
}

static void op_pop_n(model *m, unsigned long long *s)
{
    size_t n = test_range(s, 0, m->cap + 2u);
    bool discard = test_range(s, 0, 7) == 0;
    uint32_t typed[BATCH + 1];
    unsigned char bytes[(BATCH + 1) * ODD];
    memset(typed, 0xEE, sizeof typed);
    memset(bytes, 0xEE, sizeof bytes);
    size_t want = n < m->len ? n : m->len;
    size_t done;
    switch (m->kind) {
    case TYPED: done = q8_pop_n(&fixed, discard ? NULL : typed, n); break;
    case EXT: done = qx_pop_n(&ext, discard ? NULL : typed, n); break;
    default: done = mk_spsc_pop_n(view_of(m), discard ? NULL : bytes, n); break;
    }
    CHECK(done == want);
    if (done != want)
        return;
    bool same = true;
    for (size_t i = 0; i < done && !discard; i++) {
        uint32_t got = m->kind == ERASED ? get(bytes + i * ODD, ODD) : typed[i];
        same = same && got == m->items[i];
    }
    CHECK(same);
    /* Nothing written past what was popped (nor anything at all when discarding). */
    size_t untouched = discard ? 0 : done;
    CHECK(m->kind == ERASED ? bytes[untouched * ODD] == 0xEE : typed[untouched] == 0xEEEEEEEEu);
    model_drop(m, done);
}

static void *claim_write(const model *m, size_t *n)
{
    switch (m->kind) {
    case TYPED: return q8_claim_write(&fixed, n);
    case EXT: return qx_claim_write(&ext, n);
    default: return mk_spsc_claim_write(view_of(m), n);
    }
}

/* Claims the write run, fills part of it, commits k of it (sometimes more than the run
 * holds, which must be refused with nothing published). */
static void op_claim_write(model *m, unsigned long long *s)
{
    size_t tail = m->head + m->len;
    size_t expect_n = m->len == m->cap ? 0 : run_from(m, tail, m->cap - m->len);
    size_t n = 12345;
    unsigned char *w = claim_write(m, &n);
    CHECK(n == expect_n);
    CHECK(w == (expect_n ? slot_at(m, tail) : NULL));
    if (n != expect_n)
        return;
    size_t again = 0;
    CHECK(claim_write(m, &again) == w && again == n); /* claiming twice: the same run */
    CHECK(claim_write(m, NULL) == NULL);
    size_t k = test_range(s, 0, n + 1u);
    size_t filled = k <= n ? test_range(s, k, n) : n;
    uint32_t vals[MAXC];
    for (size_t i = 0; i < filled; i++) {
        vals[i] = (uint32_t)test_rand(s) & m->keep;
        put(w + i * m->esize, vals[i], m->esize);
    }
    mk_err e;
    switch (m->kind) {
    case TYPED: e = q8_commit_write(&fixed, k); break;
    case EXT: e = qx_commit_write(&ext, k); break;
    default: e = mk_spsc_commit_write(view_of(m), k); break;
    }
    CHECK(e == (k <= n ? MK_OK : MK_EINVAL));
    for (size_t i = 0; e == MK_OK && i < k; i++)
        model_append(m, vals[i]);
}

/* Claims the read run, checks it in place, releases k of it (sometimes too many). */
static void op_claim_read(model *m, unsigned long long *s)
{
    size_t expect_n = m->len ? run_from(m, m->head, m->len) : 0;
    size_t n = 12345;
    unsigned char *r;
    switch (m->kind) {
    case TYPED: r = (unsigned char *)q8_claim_read(&fixed, &n); break;
    case EXT: r = (unsigned char *)qx_claim_read(&ext, &n); break;
    default: r = mk_spsc_claim_read(view_of(m), &n); break;
    }
    CHECK(n == expect_n);
    CHECK(r == (expect_n ? slot_at(m, m->head) : NULL));
    if (n != expect_n)
        return;
    bool same = true;
    for (size_t i = 0; i < n; i++)
        same = same && get(r + i * m->esize, m->esize) == m->items[i];
    CHECK(same);
    size_t k = test_range(s, 0, n + 1u);
    mk_err e;
    switch (m->kind) {
    case TYPED: e = q8_commit_read(&fixed, k); break;
    case EXT: e = qx_commit_read(&ext, k); break;
    default: e = mk_spsc_commit_read(view_of(m), k); break;
    }
    CHECK(e == (k <= n ? MK_OK : MK_EINVAL));
    if (e == MK_OK)
        model_drop(m, k);
}

/* The queue against the model: length, both counters, every item in its slot. */
static bool same_as_model(const model *m)
{
    mk_spsc_view v = view_of(m);
    size_t len = m->kind == TYPED ? q8_len(&fixed)
                 : m->kind == EXT ? qx_len(&ext)
                                  : mk_spsc_len(v);
    bool same = len == m->len && v.cap == m->cap &&
                MK__QLOAD(v.s->head, relaxed) == m->head &&
                MK__QLOAD(v.s->tail, relaxed) == m->head + m->len;
    for (size_t j = 0; j < m->len && same; j++)
        same = get(slot_at(m, m->head + j), m->esize) == m->items[j];
    return same;
}

/* Re-initialises the _EXT or erased queue: at a bad capacity, which must change
 * nothing, then (half the time) at a good one, which empties it. */
static void op_init(model *m, unsigned long long *s)
{
    static const size_t bad[] = { 3, 12, 48, MK_QUEUE_MAX_CAP * 2u, SIZE_MAX };
    size_t b = bad[test_range(s, 0, sizeof bad / sizeof *bad - 1u)];
    if (m->kind == EXT) {
        CHECK(qx_init_ext(&ext, ext_buf, b) == MK_ERANGE);
        CHECK(qx_init_ext(&ext, NULL, 4) == MK_EINVAL);
    } else {
        CHECK(mk_spsc_init(&odd_state, odd_buf, b, ODD) == MK_ERANGE);
        CHECK(mk_spsc_init(&odd_state, NULL, 4, ODD) == MK_EINVAL);
    }
    CHECK(same_as_model(m));
    if (test_rand(s) & 1)
        return;
    size_t cap = (size_t)1 << test_range(s, 0, 6);
    mk_err e = m->kind == EXT ? qx_init_ext(&ext, ext_buf, cap)
                              : mk_spsc_init(&odd_state, odd_buf, cap, ODD);
    CHECK(e == MK_OK);
    m->cap = cap;
    m->len = 0;
    m->head = 0;
}

int main(int argc, char **argv)
{
    unsigned seeds = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 8;
    unsigned long ops = argc > 2 ? strtoul(argv[2], NULL, 10) : 100000;
    unsigned long full = 0, empty = 0;
    wraps = 0;
    for (unsigned seed = 1; seed <= seeds; seed++) {
        unsigned long long s = 0x9E3779B97F4A7C15ull * seed;
        memset(&fixed, 0, sizeof fixed);
        memset(models, 0, sizeof models);
        size_t ext_cap = (size_t)1 << test_range(&s, 0, 6);
        size_t odd_cap = (size_t)1 << test_range(&s, 0, 6);
        REQUIRE(qx_init_ext(&ext, ext_buf, ext_cap) == MK_OK);
        REQUIRE(mk_spsc_init(&odd_state, odd_buf, odd_cap, ODD) == MK_OK);
        const size_t caps[NQ] = { 8, ext_cap, odd_cap };
        for (int k = 0; k < NQ; k++) {
            model *m = &models[k];
            m->kind = (enum kind)k;
            m->esize = k == ERASED ? ODD : sizeof(uint32_t);
            m->keep = k == ERASED ? 0xFFFFFFu : 0xFFFFFFFFu;
            /* Near SIZE_MAX, the counters wrap within the first hundred or so items. */
            size_t start = test_rand(&s) & 1 ? SIZE_MAX - test_range(&s, 0, 40) : 0;
            reset(m, caps[k], start);
        }
        for (unsigned long i = 0; i < ops; i++) {
            for (int k = 0; k < NQ; k++) {
                model *m = &models[k];
                queue_step q = queue_step_pick(&s, i);
                if (q.init && m->kind != TYPED)
                    op_init(m, &s);
                else if (q.way < 4)
                    (q.more ? op_push : op_pop)(m, &s);
                else if (q.way < 7)
                    (q.more ? op_push_n : op_pop_n)(m, &s);
                else
                    (q.more ? op_claim_write : op_claim_read)(m, &s);
                bool same = same_as_model(m);
                CHECK(same);
                if (!same) {
                    printf("seed %u op %lu queue %d differs from the model\n", seed, i, k);
                    TEST_MAIN_END();
                }
            }
            full += models[TYPED].len == 8;
            empty += models[TYPED].len == 0;
        }
    }
    CHECK(ops < 10000 || (full > 0 && empty > 0 && wraps > 0)); /* every edge reached */
    printf("%u seeds x %lu ops on 3 queues; the 8-slot queue ended %lu ops full, %lu "
           "empty; counters wrapped %lu times\n", seeds, ops, full, empty, wraps);
    TEST_MAIN_END();
}
