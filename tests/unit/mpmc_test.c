/* Tests for mk_mpmc: every operation and every full/empty edge on one thread, bad
 * tickets refused, the tickets wrapping past SIZE_MAX, capacities of SIZE_MAX scale
 * refused; what the others see while a producer (and a consumer) is stopped halfway
 * through an operation; then a stress test where producers and consumers share a
 * small queue, every item carries its producer and sequence number, and the
 * consumers prove that none is lost or duplicated and that each producer's items
 * arrive in order. Under TSan a missing acquire/release is a reported race.
 * Built plain, with MK_CHECKED=1 and with MK_NO_ATOMICS=1 (pthread-mutex lock hooks);
 * on the bare-metal targets (tests/target/) without the tests that need threads.
 * Usage: mpmc_test [items]   (items in the stress test, all producers; default 1.2M) */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <string.h>

#include "memkit/mpmc.h"
#include "queue_hooks.h" /* HAVE_THREADS: what needs a second thread runs on hosts only */
#include "test.h"

#if HAVE_THREADS
#include <sched.h>
#include <stdatomic.h>
#include <time.h>
#endif

MK_MPMC_DEFINE(q8, uint32_t, 8);
MK_MPMC_DEFINE_EXT(qext, uint16_t);
MK_MPMC_DEFINE(stress_q, uint32_t, 16);

#if HAVE_THREADS
static void sleep_ms(long ms)
{
    struct timespec ts = { 0, ms * 1000000L };
    nanosleep(&ts, NULL);
}
#endif

static void test_sizeof(void)
{
    size_t expect = MK_CACHE_LINE ? 2u * MK_CACHE_LINE
                                  : 2u * sizeof(size_t) + MK_NO_ATOMICS * sizeof(void *);
    CHECK(sizeof(mk_mpmc_state) == expect);
    CHECK(sizeof(q8_cell) == 2u * sizeof(size_t)); /* sequence + uint32_t, padded */
    printf("sizeof(mk_mpmc_state) = %zu, sizeof(q8) = %zu\n", sizeof(mk_mpmc_state),
           sizeof(q8));
}

static void test_empty_full(void)
{
    static q8 q; /* all-zero: empty */
    uint32_t out = 77;
    CHECK(q8_cap(&q) == 8 && q8_len(&q) == 0);
    CHECK(q8_pop(&q, &out) == MK_EEMPTY && out == 77);
    for (int round = 0; round < 5; round++) { /* round the ring several times */
        for (uint32_t i = 0; i < 8; i++)
            CHECK(q8_push(&q, 100 * (uint32_t)round + i) == MK_OK);
        CHECK(q8_push(&q, 999) == MK_EFULL);
        CHECK(q8_len(&q) == 8);
        for (uint32_t i = 0; i < 8; i++)
            CHECK(q8_pop(&q, &out) == MK_OK && out == 100 * (uint32_t)round + i);
        CHECK(q8_pop(&q, &out) == MK_EEMPTY);
        CHECK(q8_len(&q) == 0);
    }
    CHECK(q8_push(&q, 5) == MK_OK);
    CHECK(q8_pop(&q, NULL) == MK_OK); /* discard */
    CHECK(q8_pop(&q, NULL) == MK_EEMPTY);
}

/* Puts both tickets at x, with every cell free for the ticket that maps to it. */
static void set_tickets(q8 *q, size_t x)
{
    MK__QSTORE(q->s.enq, x, relaxed);
    MK__QSTORE(q->s.deq, x, relaxed);
    for (size_t i = 0; i < 8; i++) {
        size_t p = x + ((i - x) & 7u);
        MK__QSTORE(q->cells[i].seq, p - i, relaxed);
    }
}

static void test_ticket_wrap(void)
{
    q8 q = { 0 };
    size_t start = SIZE_MAX - 4u;
    set_tickets(&q, start);
    uint32_t out = 0;
    for (uint32_t i = 0; i < 30; i++) {
        CHECK(q8_push(&q, i) == MK_OK);
        CHECK(q8_push(&q, i + 500) == MK_OK);
        CHECK(q8_len(&q) == 2);
        CHECK(q8_pop(&q, &out) == MK_OK && out == i);
        CHECK(q8_pop(&q, &out) == MK_OK && out == i + 500);
    }
    for (uint32_t i = 0; i < 8; i++)
        CHECK(q8_push(&q, i) == MK_OK);
    CHECK(q8_push(&q, 8) == MK_EFULL);
    CHECK(MK__QLOAD(q.s.enq, relaxed) < start); /* it really wrapped */
    for (uint32_t i = 0; i < 8; i++)
        CHECK(q8_pop(&q, &out) == MK_OK && out == i);
}

static void test_two_phase(void)
{
    q8 q = { 0 };
    size_t t1, t2, r1;
    CHECK(q8_claim_push(&q, NULL) == NULL);
    uint32_t *c1 = q8_claim_push(&q, &t1);
    uint32_t *c2 = q8_claim_push(&q, &t2);
    REQUIRE(c1 && c2 && c1 != c2);
    CHECK(t2 == t1 + 1);
    CHECK(q8_len(&q) == 2);
    *c2 = 2;
    CHECK(q8_publish(&q, t2) == MK_OK);
    CHECK(q8_publish(&q, t2) == MK_EINVAL);      /* twice */
    CHECK(q8_publish(&q, t2 + 1) == MK_EINVAL);  /* never claimed */
    CHECK(q8_publish(&q, t1 + 8) == MK_EINVAL);  /* another lap's ticket */
    uint32_t out = 0;
    CHECK(q8_pop(&q, &out) == MK_EEMPTY);        /* the oldest cell is unpublished */
    *c1 = 1;
    CHECK(q8_publish(&q, t1) == MK_OK);
    uint32_t *r = q8_claim_pop(&q, &r1);
    REQUIRE(r != NULL);
    CHECK(*r == 1 && r1 == t1);
    CHECK(q8_release(&q, r1 + 1) == MK_EINVAL);  /* claimed by nobody */
    CHECK(q8_release(&q, r1) == MK_OK);
    CHECK(q8_release(&q, r1) == MK_EINVAL);      /* twice */
    CHECK(q8_pop(&q, &out) == MK_OK && out == 2);
    CHECK(q8_claim_pop(&q, &r1) == NULL);
    CHECK(q8_claim_pop(&q, NULL) == NULL);
}

static void test_ext(void)
{
    qext q;
    memset(&q, 0, sizeof q); /* capacity 0 */
    size_t t;
    uint16_t v = 3;
    CHECK(qext_cap(&q) == 0);
    CHECK(qext_push(&q, 1) == MK_EFULL);
    CHECK(qext_pop(&q, &v) == MK_EEMPTY && v == 3);
    CHECK(qext_claim_push(&q, &t) == NULL);
    CHECK(qext_publish(&q, 0) == MK_EINVAL);
    CHECK(qext_release(&q, 0) == MK_EINVAL);
    CHECK(qext_len(&q) == 0);

    static qext_cell buf[4];
    memset(buf, 0x5A, sizeof buf); /* init must clear the sequences */
    memset(&q, 0xA5, sizeof q);
    unsigned char before[sizeof q];
    memcpy(before, &q, sizeof q);
    CHECK(qext_init_ext(NULL, buf, 4) == MK_EINVAL);
    CHECK(qext_init_ext(&q, NULL, 4) == MK_EINVAL);
    CHECK(qext_init_ext(&q, buf, 3) == MK_ERANGE);
    CHECK(qext_init_ext(&q, buf, 1) == MK_ERANGE); /* one cell cannot tell full from free */
    CHECK(qext_init_ext(&q, buf, SIZE_MAX) == MK_ERANGE);
    CHECK(qext_init_ext(&q, buf, MK_QUEUE_MAX_CAP) == MK_ERANGE); /* bytes overflow */
    CHECK(qext_init_ext(&q, buf, MK_QUEUE_MAX_CAP * 2u) == MK_ERANGE);
    CHECK(memcmp(before, &q, sizeof q) == 0);
    CHECK(mk_mpmc_init(&q.s, buf, 4, 1) == MK_EINVAL); /* stride below a sequence */

    CHECK(qext_init_ext(&q, buf, 4) == MK_OK);
    CHECK(qext_cap(&q) == 4 && qext_len(&q) == 0);
    for (uint16_t i = 0; i < 4; i++)
        CHECK(qext_push(&q, (uint16_t)(i * 1000u)) == MK_OK);
    CHECK(qext_push(&q, 9) == MK_EFULL);
    for (uint16_t i = 0; i < 4; i++)
        CHECK(qext_pop(&q, &v) == MK_OK && v == i * 1000u);
    CHECK(qext_pop(&q, &v) == MK_EEMPTY);
}

/* The erased core with byte copies, on a typed queue's view. */
static void test_view(void)
{
    q8 q = { 0 };
    mk_mpmc_view v = q8_view(&q);
    uint32_t x = 0xabcdef01u, y = 0;
    CHECK(mk_mpmc_push(v, &x) == MK_OK);
    CHECK(mk_mpmc_len(v) == 1);
    CHECK(q8_pop(&q, &y) == MK_OK && y == x);
    CHECK(q8_push(&q, 42) == MK_OK);
    CHECK(mk_mpmc_pop(v, &y) == MK_OK && y == 42);
    CHECK(mk_mpmc_pop(v, &y) == MK_EEMPTY && y == 42);
}

#if MK_NO_ATOMICS
/* Each half of each operation is one critical section; len is one. */
static void test_lock_hooks(void)
{
    q8 q = { 0 };
    q8_set_hooks(&q, &hooks);
    locks = 0;
    size_t tk;
    CHECK(q8_push(&q, 1) == MK_OK);
    CHECK(q8_pop(&q, NULL) == MK_OK);
    CHECK(q8_len(&q) == 0);
    CHECK(q8_claim_pop(&q, &tk) == NULL);
    CHECK(locks == 6);
}
#endif

/* ---- a producer stopped halfway ---------------------------------------------------- */
#if HAVE_THREADS

static q8 pq;
static atomic_int claimed, resume;

/* Claims a cell, then stops (as if preempted) until told to go on. */
static void *stalled_producer(void *arg)
{
    (void)arg;
    size_t ticket;
    uint32_t *cell = q8_claim_push(&pq, &ticket);
    atomic_store(&claimed, cell != NULL);
    while (!atomic_load(&resume))
        sleep_ms(1);
    if (cell) {
        *cell = 1000;
        q8_publish(&pq, ticket);
    }
    return NULL;
}

static void test_stalled_producer(void)
{
    q8_set_hooks(&pq, &hooks);
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, stalled_producer, NULL) == 0);
    while (!atomic_load(&claimed))
        sleep_ms(1);
    /* Other producers go on: 7 more pushes succeed... */
    uint32_t out = 0;
    for (uint32_t i = 0; i < 7; i++)
        CHECK(q8_push(&pq, i) == MK_OK);
    /* ...until the ring comes round to the stalled cell: full. */
    CHECK(q8_push(&pq, 7) == MK_EFULL);
    CHECK(q8_len(&pq) == 8);
    /* Consumers stop at the unpublished cell: empty, with 7 complete items behind it. */
    CHECK(q8_pop(&pq, &out) == MK_EEMPTY);
    size_t tk;
    CHECK(q8_claim_pop(&pq, &tk) == NULL);
    atomic_store(&resume, 1);
    pthread_join(t, NULL);
    /* Once it publishes, everything comes out, its item first. Nothing was lost. */
    CHECK(q8_pop(&pq, &out) == MK_OK && out == 1000);
    for (uint32_t i = 0; i < 7; i++)
        CHECK(q8_pop(&pq, &out) == MK_OK && out == i);
    CHECK(q8_pop(&pq, &out) == MK_EEMPTY);
    printf("while a producer held a cell: 7 pushes succeeded, then full; pops saw empty "
           "with 7 items queued\n");
}
#endif

/* A consumer stopped between claim and release: other consumers go past it, and
 * producers report full only when they come round to its cell. */
static void test_stalled_consumer(void)
{
    q8 q = { 0 };
    uint32_t out = 0;
    size_t tk;
    for (uint32_t i = 0; i < 8; i++)
        CHECK(q8_push(&q, i) == MK_OK);
    uint32_t *held = q8_claim_pop(&q, &tk); /* item 0, not released */
    REQUIRE(held != NULL);
    for (uint32_t i = 1; i < 8; i++)
        CHECK(q8_pop(&q, &out) == MK_OK && out == i);
    CHECK(q8_push(&q, 8) == MK_EFULL); /* its cell comes next for producers */
    CHECK(*held == 0);
    CHECK(q8_release(&q, tk) == MK_OK);
    for (uint32_t i = 8; i < 16; i++)
        CHECK(q8_push(&q, i) == MK_OK);
    CHECK(q8_push(&q, 16) == MK_EFULL);
}

/* ---- many threads ----------------------------------------------------------------- */
#if HAVE_THREADS

enum { PRODUCERS = 3, CONSUMERS = 3 };
static stress_q sq;
static uint32_t per_producer = 1200000 / PRODUCERS;
static atomic_uchar *seen; /* per (producer, seq): times received */
static atomic_ulong received, bad_order, duplicates, api_errors;

static void *stress_producer(void *arg)
{
    uint32_t id = (uint32_t)(uintptr_t)arg;
    for (uint32_t s = 0; s < per_producer;) {
        uint32_t v = id << 28 | s;
        bool ok;
        if (s & 1u) {
            ok = stress_q_push(&sq, v) == MK_OK;
        } else {
            size_t tk;
            uint32_t *cell = stress_q_claim_push(&sq, &tk);
            ok = cell != NULL;
            if (ok) {
                *cell = v;
                if (stress_q_publish(&sq, tk) != MK_OK)
                    atomic_fetch_add(&api_errors, 1);
            }
        }
        if (ok)
            s++;
        else
            sched_yield();
    }
    return NULL;
}

static void *stress_consumer(void *arg)
{
    unsigned long total = (unsigned long)per_producer * PRODUCERS;
    long last[PRODUCERS];
    for (int i = 0; i < PRODUCERS; i++)
        last[i] = -1;
    unsigned long n = 0;
    (void)arg;
    while (atomic_load(&received) < total) {
        uint32_t v = 0;
        bool ok;
        if (n & 1u) {
            ok = stress_q_pop(&sq, &v) == MK_OK;
        } else {
            size_t tk;
            uint32_t *cell = stress_q_claim_pop(&sq, &tk);
            ok = cell != NULL;
            if (ok) {
                v = *cell;
                if (stress_q_release(&sq, tk) != MK_OK)
                    atomic_fetch_add(&api_errors, 1);
            }
        }
        if (!ok) {
            sched_yield();
            continue;
        }
        n++;
        uint32_t id = v >> 28, s = v & 0x0fffffffu;
        if (id >= PRODUCERS || s >= per_producer) {
            atomic_fetch_add(&bad_order, 1);
            continue;
        }
        /* One consumer sees each producer's items in increasing order. */
        if ((long)s <= last[id])
            atomic_fetch_add(&bad_order, 1);
        last[id] = (long)s;
        if (atomic_fetch_add(&seen[(size_t)id * per_producer + s], 1) != 0)
            atomic_fetch_add(&duplicates, 1);
        atomic_fetch_add(&received, 1);
    }
    return NULL;
}

static void test_stress(void)
{
    stress_q_set_hooks(&sq, &hooks); /* only MK_NO_ATOMICS builds call them */
    locks = 0;
    size_t total = (size_t)per_producer * PRODUCERS;
    seen = calloc(total, 1);
    REQUIRE(seen != NULL);
    pthread_t p[PRODUCERS], c[CONSUMERS];
    for (int i = 0; i < CONSUMERS; i++)
        REQUIRE(pthread_create(&c[i], NULL, stress_consumer, NULL) == 0);
    for (int i = 0; i < PRODUCERS; i++)
        REQUIRE(pthread_create(&p[i], NULL, stress_producer, (void *)(uintptr_t)i) == 0);
    for (int i = 0; i < PRODUCERS; i++)
        pthread_join(p[i], NULL);
    for (int i = 0; i < CONSUMERS; i++)
        pthread_join(c[i], NULL);
    size_t missing = 0;
    for (size_t i = 0; i < total; i++)
        missing += atomic_load(&seen[i]) != 1;
    CHECK(missing == 0);
    CHECK(atomic_load(&received) == total);
    CHECK(atomic_load(&bad_order) == 0);
    CHECK(atomic_load(&duplicates) == 0);
    CHECK(atomic_load(&api_errors) == 0);
    CHECK(stress_q_len(&sq) == 0);
    CHECK(stress_q_pop(&sq, NULL) == MK_EEMPTY);
    CHECK(MK_NO_ATOMICS ? locks >= (int)(2 * total) : locks == 0);
    printf("stress: %d producers, %d consumers, %zu items, each exactly once and in "
           "order per producer\n", PRODUCERS, CONSUMERS, total);
    free(seen);
}
#endif

int main(int argc, char **argv)
{
#if HAVE_THREADS
    if (argc > 1)
        per_producer = (uint32_t)strtoul(argv[1], NULL, 10) / PRODUCERS;
#else
    (void)argc;
    (void)argv;
#endif
    RUN(test_sizeof);
    RUN(test_empty_full);
    RUN(test_ticket_wrap);
    RUN(test_two_phase);
    RUN(test_ext);
    RUN(test_view);
#if MK_NO_ATOMICS
    RUN(test_lock_hooks);
#endif
#if HAVE_THREADS
    RUN(test_stalled_producer);
#endif
    RUN(test_stalled_consumer);
#if HAVE_THREADS
    RUN(test_stress);
#endif
    TEST_MAIN_END();
}
