/* Tests for mk_spsc: every operation and every full/empty edge on one thread, the
 * counters wrapping past SIZE_MAX, capacities of SIZE_MAX scale refused, then a
 * two-thread stress test where every item carries its sequence number and a check
 * word: the consumer proves none is lost, duplicated, reordered or torn while the
 * producer mixes push, push_n and claim/commit and the consumer pop, pop_n and
 * claim_read on a small queue that is full and empty all the time. Under TSan a
 * missing acquire/release is a reported race on the slots.
 * Built plain, with MK_CHECKED=1 and with MK_NO_ATOMICS=1 (pthread-mutex lock hooks);
 * on the bare-metal targets (tests/target/) without the threads.
 * Usage: spsc_test [items]   (items in the stress test; default 4M) */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <string.h>

#include "memkit/spsc.h"
#include "queue_hooks.h" /* HAVE_THREADS: the stress test runs on hosts only */
#include "test.h"

MK_SPSC_DEFINE(q8, uint32_t, 8);
MK_SPSC_DEFINE_EXT(qext, uint64_t);

typedef struct item {
    uint32_t seq;
    uint32_t check; /* seq * a constant: a torn copy shows as a mismatch */
} item;
#define CHECKWORD(s) ((uint32_t)((s) * 2654435761u))
MK_SPSC_DEFINE(stress_q, item, 64);

static void test_sizeof(void)
{
    /* What spsc.h documents. */
    size_t expect = MK_CACHE_LINE ? 4u * MK_CACHE_LINE
                                  : 4u * sizeof(size_t) + MK_NO_ATOMICS * sizeof(void *);
    CHECK(sizeof(mk_spsc_state) == expect);
    CHECK(offsetof(q8, slots) == sizeof(mk_spsc_state));
    if (MK_CACHE_LINE)
        CHECK(offsetof(mk_spsc_state, head) == 2u * MK_CACHE_LINE);
    printf("sizeof(mk_spsc_state) = %zu, MK_CACHE_LINE = %d, MK_NO_ATOMICS = %d\n",
           sizeof(mk_spsc_state), MK_CACHE_LINE, MK_NO_ATOMICS);
}

static void test_empty_full(void)
{
    static q8 q; /* all-zero: empty, no init call */
    uint32_t out = 77;
    CHECK(q8_cap(&q) == 8);
    CHECK(q8_len(&q) == 0);
    CHECK(q8_pop(&q, &out) == MK_EEMPTY);
    CHECK(out == 77);
    for (uint32_t i = 0; i < 8; i++)
        CHECK(q8_push(&q, 100 + i) == MK_OK);
    CHECK(q8_len(&q) == 8);
    CHECK(q8_push(&q, 999) == MK_EFULL); /* all 8 slots used, nothing overwritten */
    CHECK(q8_len(&q) == 8);
    for (uint32_t i = 0; i < 8; i++) {
        CHECK(q8_pop(&q, &out) == MK_OK);
        CHECK(out == 100 + i);
    }
    CHECK(q8_pop(&q, &out) == MK_EEMPTY);
    CHECK(out == 107);
    /* NULL out discards. */
    CHECK(q8_push(&q, 5) == MK_OK);
    CHECK(q8_pop(&q, NULL) == MK_OK);
    CHECK(q8_len(&q) == 0);
}

/* Runs the queue round its ring many times at every fill level up to full. */
static void test_wrap_order(void)
{
    q8 q = { 0 };
    uint32_t next_in = 0, next_out = 0;
    for (int round = 0; round < 200; round++) {
        size_t fill = (size_t)round % 9;
        while (q8_len(&q) < fill)
            CHECK(q8_push(&q, next_in++) == MK_OK);
        uint32_t out = 0;
        size_t drain = (size_t)(round * 7) % (fill + 1);
        for (size_t i = 0; i < drain; i++) {
            CHECK(q8_pop(&q, &out) == MK_OK);
            CHECK(out == next_out++);
        }
    }
    CHECK(q8_len(&q) == next_in - next_out);
}

/* Free-running counters pass SIZE_MAX and wrap to 0 without losing count or order. */
static void test_counter_wrap(void)
{
    q8 q = { 0 };
    size_t start = SIZE_MAX - 5u;
    MK__QSTORE(q.s.tail, start, relaxed);
    MK__QSTORE(q.s.head, start, relaxed);
    q.s.head_cache = q.s.tail_cache = start;
    uint32_t out = 0;
    for (uint32_t i = 0; i < 40; i++) {
        CHECK(q8_push(&q, i) == MK_OK);
        CHECK(q8_push(&q, i + 1000) == MK_OK);
        CHECK(q8_len(&q) == 2);
        CHECK(q8_pop(&q, &out) == MK_OK && out == i);
        CHECK(q8_pop(&q, &out) == MK_OK && out == i + 1000);
    }
    for (uint32_t i = 0; i < 8; i++)
        CHECK(q8_push(&q, i) == MK_OK);
    CHECK(q8_push(&q, 8) == MK_EFULL);
    CHECK(q8_len(&q) == 8);
    CHECK(MK__QLOAD(q.s.tail, relaxed) < start); /* it really wrapped */
}

static void test_batch(void)
{
    q8 q = { 0 };
    uint32_t in[12], out[12];
    for (uint32_t i = 0; i < 12; i++)
        in[i] = i;
    CHECK(q8_push_n(&q, in, 5) == 5);
    CHECK(q8_pop_n(&q, out, 3) == 3);
    CHECK(out[0] == 0 && out[2] == 2);
    /* 2 queued at slots 3..4: 6 more fit, wrapping past the end of the array. */
    CHECK(q8_push_n(&q, in + 5, 7) == 6);
    CHECK(q8_len(&q) == 8);
    CHECK(q8_push_n(&q, in, 1) == 0);
    memset(out, 0xff, sizeof out);
    CHECK(q8_pop_n(&q, out, 12) == 8);
    for (uint32_t i = 0; i < 8; i++)
        CHECK(out[i] == 3 + i);
    CHECK(out[8] == 0xffffffffu); /* nothing written past what was popped */
    CHECK(q8_pop_n(&q, out, 4) == 0);
    CHECK(q8_push_n(&q, in, 0) == 0);
    CHECK(q8_push_n(&q, in, 3) == 3);
    CHECK(q8_pop_n(&q, NULL, 2) == 2); /* discard */
    CHECK(q8_pop(&q, out) == MK_OK && out[0] == 2);
}

static void test_claim_commit(void)
{
    q8 q = { 0 };
    size_t n = 99;
    CHECK(q8_claim_read(&q, &n) == NULL && n == 0);
    CHECK(q8_claim_write(&q, NULL) == NULL);
    uint32_t *w = q8_claim_write(&q, &n);
    CHECK(w == q.slots && n == 8);
    for (uint32_t i = 0; i < 6; i++)
        w[i] = 10 + i;
    CHECK(q8_commit_write(&q, 9) == MK_EINVAL); /* more than was claimable */
    CHECK(q8_len(&q) == 0);
    CHECK(q8_commit_write(&q, 6) == MK_OK);
    CHECK(q8_len(&q) == 6);
    uint32_t *r = q8_claim_read(&q, &n);
    CHECK(r == q.slots && n == 6 && r[5] == 15);
    CHECK(q8_commit_read(&q, 7) == MK_EINVAL);
    CHECK(q8_commit_read(&q, 4) == MK_OK);
    /* Items at 4..5; the write run goes from slot 6 to the end of the array only. */
    w = q8_claim_write(&q, &n);
    CHECK(w == q.slots + 6 && n == 2);
    w[0] = 16;
    w[1] = 17;
    CHECK(q8_commit_write(&q, 3) == MK_EINVAL);
    CHECK(q8_commit_write(&q, 2) == MK_OK);
    w = q8_claim_write(&q, &n); /* the wrapped part: slots 0..3 */
    CHECK(w == q.slots && n == 4);
    CHECK(q8_commit_write(&q, 0) == MK_OK);
    CHECK(q8_len(&q) == 4);
    r = q8_claim_read(&q, &n);
    CHECK(r == q.slots + 4 && n == 4 && r[0] == 14 && r[3] == 17);
    CHECK(q8_commit_read(&q, 4) == MK_OK);
    CHECK(q8_claim_read(&q, &n) == NULL && n == 0);
    /* Full: no write run. */
    for (uint32_t i = 0; i < 8; i++)
        CHECK(q8_push(&q, i) == MK_OK);
    CHECK(q8_claim_write(&q, &n) == NULL && n == 0);
    CHECK(q8_commit_write(&q, 1) == MK_EINVAL);
    CHECK(q8_len(&q) == 8);
}

static void test_ext(void)
{
    qext q;
    memset(&q, 0, sizeof q); /* all-zero: capacity 0 */
    uint64_t v = 3;
    size_t n = 5;
    CHECK(qext_cap(&q) == 0);
    CHECK(qext_push(&q, 1) == MK_EFULL);
    CHECK(qext_pop(&q, &v) == MK_EEMPTY && v == 3);
    CHECK(qext_claim_write(&q, &n) == NULL && n == 0);
    CHECK(qext_push_n(&q, &v, 1) == 0);

    static uint64_t buf[16];
    memset(&q, 0xA5, sizeof q);
    unsigned char before[sizeof q];
    memcpy(before, &q, sizeof q);
    CHECK(qext_init_ext(NULL, buf, 16) == MK_EINVAL);
    CHECK(qext_init_ext(&q, NULL, 16) == MK_EINVAL);
    CHECK(qext_init_ext(&q, buf, 12) == MK_ERANGE);
    CHECK(qext_init_ext(&q, buf, SIZE_MAX) == MK_ERANGE);
    CHECK(qext_init_ext(&q, buf, MK_QUEUE_MAX_CAP * 2u) == MK_ERANGE);
    CHECK(qext_init_ext(&q, buf, MK_QUEUE_MAX_CAP) == MK_ERANGE); /* * 8 bytes overflows */
    CHECK(memcmp(before, &q, sizeof q) == 0);
    CHECK(mk_queue_check_cap(MK_QUEUE_MAX_CAP, 1) == MK_OK);
    CHECK(mk_queue_check_cap(MK_QUEUE_MAX_CAP, 2) == MK_ERANGE); /* > PTRDIFF_MAX bytes */
    CHECK(mk_spsc_init(NULL, buf, 16, 8) == MK_EINVAL);

    CHECK(qext_init_ext(&q, NULL, 0) == MK_OK && qext_cap(&q) == 0);
    CHECK(qext_push(&q, 1) == MK_EFULL);
    CHECK(qext_init_ext(&q, buf, 16) == MK_OK);
    CHECK(qext_cap(&q) == 16 && qext_len(&q) == 0);
    for (uint64_t i = 0; i < 16; i++)
        CHECK(qext_push(&q, i << 40) == MK_OK);
    CHECK(qext_push(&q, 0) == MK_EFULL);
    for (uint64_t i = 0; i < 16; i++)
        CHECK(qext_pop(&q, &v) == MK_OK && v == i << 40);
    CHECK(qext_pop(&q, &v) == MK_EEMPTY);
}

/* The erased core on its own: any element size, through a view. */
static void test_view(void)
{
    typedef struct { unsigned char b[3]; } three;
    static three slots[4];
    mk_spsc_state s;
    CHECK(mk_spsc_init(&s, slots, 4, sizeof(three)) == MK_OK);
    mk_spsc_view v = { &s, slots, 4, sizeof(three) };
    three x = { { 1, 2, 3 } }, y = { { 0, 0, 0 } };
    for (int i = 0; i < 4; i++) {
        x.b[0] = (unsigned char)i;
        CHECK(mk_spsc_push(v, &x) == MK_OK);
    }
    CHECK(mk_spsc_push(v, &x) == MK_EFULL);
    CHECK(mk_spsc_len(v) == 4);
    CHECK(mk_spsc_pop(v, &y) == MK_OK && y.b[0] == 0 && y.b[2] == 3);
    CHECK(mk_spsc_pop(v, NULL) == MK_OK);
    CHECK(mk_spsc_pop(v, &y) == MK_OK && y.b[0] == 2);
    CHECK(mk_spsc_pop(v, &y) == MK_OK && y.b[0] == 3);
    CHECK(mk_spsc_pop(v, &y) == MK_EEMPTY && y.b[0] == 3);
}

#if MK_NO_ATOMICS
static void test_lock_hooks(void)
{
    q8 q = { 0 };
    q8_set_hooks(&q, &hooks);
    locks = 0;
    size_t n;
    CHECK(q8_push(&q, 1) == MK_OK);
    CHECK(q8_pop(&q, NULL) == MK_OK);
    CHECK(q8_len(&q) == 0);
    CHECK(q8_claim_write(&q, &n) != NULL);
    CHECK(q8_commit_write(&q, 0) == MK_OK);
    CHECK(locks == 5); /* one critical section per operation */
}
#endif

/* ---- two threads ------------------------------------------------------------------ */
#if HAVE_THREADS

static stress_q sq;
static uint32_t stress_items = 4000000;
static unsigned long long producer_spins;
static unsigned long producer_errors;

static void *producer(void *arg)
{
    (void)arg;
    unsigned long long rng = 12345;
    uint32_t seq = 0;
    while (seq < stress_items) {
        unsigned way = (unsigned)(test_rand(&rng) % 3u);
        uint32_t want = (uint32_t)test_range(&rng, 1, 40);
        if (want > stress_items - seq)
            want = stress_items - seq;
        size_t done = 0;
        if (way == 0) {
            item it = { seq, CHECKWORD(seq) };
            done = stress_q_push(&sq, it) == MK_OK;
        } else if (way == 1) {
            item batch[40];
            for (uint32_t i = 0; i < want; i++)
                batch[i] = (item){ seq + i, CHECKWORD(seq + i) };
            done = stress_q_push_n(&sq, batch, want);
        } else {
            size_t n;
            item *w = stress_q_claim_write(&sq, &n);
            if (w) {
                done = n < want ? n : want;
                for (size_t i = 0; i < done; i++)
                    w[i] = (item){ seq + (uint32_t)i, CHECKWORD(seq + (uint32_t)i) };
                if (stress_q_commit_write(&sq, done) != MK_OK)
                    done = 0, producer_errors++;
            }
        }
        if (!done)
            producer_spins++;
        seq += (uint32_t)done;
    }
    return NULL;
}

static void test_stress(void)
{
    /* Every build installs the hooks: only MK_NO_ATOMICS builds may call them. */
    stress_q_set_hooks(&sq, &hooks);
    locks = 0;
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, producer, NULL) == 0);
    unsigned long long rng = 999;
    uint32_t expect = 0;
    unsigned long bad = 0, empties = 0;
    while (expect < stress_items) {
        unsigned way = (unsigned)(test_rand(&rng) % 3u);
        item got[40];
        size_t n = 0;
        item *r = NULL;
        if (way == 0)
            n = stress_q_pop(&sq, got) == MK_OK;
        else if (way == 1)
            n = stress_q_pop_n(&sq, got, test_range(&rng, 1, 40));
        else
            r = stress_q_claim_read(&sq, &n);
        const item *seen = r ? r : got;
        for (size_t i = 0; i < n; i++) {
            if (seen[i].seq != expect || seen[i].check != CHECKWORD(expect))
                bad++;
            expect++;
        }
        if (r && stress_q_commit_read(&sq, n) != MK_OK)
            bad++;
        if (!n)
            empties++;
    }
    pthread_join(t, NULL);
    CHECK(bad == 0);
    CHECK(producer_errors == 0);
    CHECK(expect == stress_items);
    CHECK(stress_q_len(&sq) == 0);
    CHECK(stress_q_pop(&sq, NULL) == MK_EEMPTY);
    CHECK(MK_NO_ATOMICS ? locks > (int)(stress_items / 40u) : locks == 0);
    printf("stress: %u items in order; the consumer found it empty %lu times, the "
           "producer full %llu times\n", stress_items, empties, producer_spins);
}
#endif

int main(int argc, char **argv)
{
#if HAVE_THREADS
    if (argc > 1)
        stress_items = (uint32_t)strtoul(argv[1], NULL, 10);
#else
    (void)argc;
    (void)argv;
#endif
    RUN(test_sizeof);
    RUN(test_empty_full);
    RUN(test_wrap_order);
    RUN(test_counter_wrap);
    RUN(test_batch);
    RUN(test_claim_commit);
    RUN(test_ext);
    RUN(test_view);
#if MK_NO_ATOMICS
    RUN(test_lock_hooks);
#endif
#if HAVE_THREADS
    RUN(test_stress);
#endif
    TEST_MAIN_END();
}
