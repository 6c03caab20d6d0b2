/* Tests for mk_atomic_pool: every function and error path on one thread, then a
 * multi-threaded stress test: two producers hand blocks to two consumers through SPSC
 * rings while four more threads churn alloc/free bursts on the same small pool, so the
 * stack is empty, full and contended all the time. Every block carries its owner's id
 * and sequence number, checked by whoever frees it, and a per-block ownership flag
 * proves that no block is ever held twice. At the end every block must come back.
 * Run under TSan (scripts/test.sh), a missing acquire/release in the pool is a reported
 * race between the last owner's writes and the next owner's.
 *
 * Built plain, with MK_CHECKED=1 and with MK_NO_ATOMICS=1 (critical sections through
 * pthread-mutex lock hooks).
 * Usage: atomic_pool_test [pairs]  (alloc/free pairs in the stress test; default 6M) */
#define _POSIX_C_SOURCE 200809L
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

/* Bare-metal targets (freestanding builds) have one thread: the stress test is host-only. */
#if __STDC_HOSTED__
#define HAVE_THREADS 1
#include <pthread.h>
#include <sched.h>
#include <time.h>
#endif

#include "memkit/atomic_pool.h"
#include "test.h"

static _Alignas(4096) unsigned char ram[512 * 1024];

static struct {
    int calls;
    mk_pool_fault kind;
    const void *ptr;
    int locks, unlocks;
} seen;

#if HAVE_THREADS
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
#define LOCK(m) pthread_mutex_lock(m)
#define UNLOCK(m) pthread_mutex_unlock(m)
#else
static int mutex; /* one thread: nothing to exclude */
#define LOCK(m) ((void)(m))
#define UNLOCK(m) ((void)(m))
#endif
static void on_fault(void *ctx, mk_pool_fault kind, const void *ptr)
{
    (void)ctx;
    seen.calls++;
    seen.kind = kind;
    seen.ptr = ptr;
}
static void on_lock(void *ctx)
{
    LOCK(ctx);
    seen.locks++;
}
static void on_unlock(void *ctx)
{
    seen.unlocks++;
    UNLOCK(ctx);
}
/* Every build installs the lock hooks: only MK_NO_ATOMICS builds may call them. */
static const mk_pool_hooks hooks = { on_lock, on_unlock, on_fault, &mutex };

#if MK_CHECKED || MK_NO_ATOMICS
static void watch(mk_atomic_pool *p)
{
    memset(&seen, 0, sizeof seen);
    mk_atomic_pool_set_hooks(p, &hooks);
}
#endif

static bool aligned(const void *p, size_t a) { return ((uintptr_t)p & (a - 1)) == 0; }

static void test_sizeof(void)
{
    /* The sizes atomic_pool.h documents. */
    size_t expect = sizeof(void *) == 8 ? 72u + 8u * MK_CHECKED : 48u + 4u * MK_CHECKED;
    CHECK(sizeof(mk_atomic_pool) == expect);
    printf("sizeof(mk_atomic_pool) = %zu, lock-free: %s\n", sizeof(mk_atomic_pool),
           MK_NO_ATOMICS ? "no (critical sections)" : "yes");
}

static void test_init_errors(void)
{
    mk_atomic_pool p;
    memset(&p, 0xA5, sizeof p);
    unsigned char before[sizeof p];
    memcpy(before, &p, sizeof p);
    CHECK(mk_atomic_pool_init(NULL, ram, 4096, 32, 0) == MK_EINVAL);
    CHECK(mk_atomic_pool_init(&p, NULL, 4096, 32, 0) == MK_EINVAL);
    CHECK(mk_atomic_pool_init(&p, ram, 4096, 32, 12) == MK_EINVAL);
    CHECK(mk_atomic_pool_init(&p, ram, 4096, SIZE_MAX, 0) == MK_ERANGE);
    CHECK(mk_atomic_pool_init(&p, ram, 4096, SIZE_MAX - 6, 8) == MK_ERANGE);
    CHECK(mk_atomic_pool_init(&p, ram, 4096, 1, (SIZE_MAX >> 1) + 1) == MK_ETOOSMALL);
    CHECK(mk_atomic_pool_init(&p, (void *)(UINTPTR_MAX - 64), 4096, 16, 0) == MK_ERANGE);
    CHECK(mk_atomic_pool_init(&p, ram, 0, 16, 0) == MK_ETOOSMALL);
    CHECK(mk_atomic_pool_init(&p, ram, 16, 16, 16) == MK_ETOOSMALL); /* no room for the link */
    CHECK(mk_atomic_pool_init(&p, ram, 4096, 8192, 0) == MK_ETOOSMALL);
    CHECK(memcmp(&p, before, sizeof p) == 0);
}

static void test_geometry(void)
{
    mk_atomic_pool p;
    REQUIRE(mk_atomic_pool_init(&p, ram, 4096, 0, 1) == MK_OK);
    CHECK(mk_atomic_pool_block_size(&p) == 1);
    REQUIRE(mk_atomic_pool_init(&p, ram, 4096, 1, 0) == MK_OK);
    CHECK(mk_atomic_pool_block_size(&p) == MK_ALIGN);
    REQUIRE(mk_atomic_pool_init(&p, ram, 4096, 17, 8) == MK_OK);
    CHECK(mk_atomic_pool_block_size(&p) == 24);
    /* 1000 bytes, 40-byte blocks aligned to 8: 25 would fit alone; their 100 bytes of
     * links (and 4 of live bits) push the first block to 104: 22 blocks. */
    REQUIRE(mk_atomic_pool_init(&p, ram, 1000, 40, 8) == MK_OK);
    CHECK(mk_atomic_pool_capacity(&p) == 22);
    /* One block needs its 4-byte link (and 4 bytes of live bits) in front. */
    CHECK(mk_atomic_pool_init(&p, ram, 24, 16, 4) == MK_OK);
    CHECK(mk_atomic_pool_capacity(&p) == 1);
    CHECK(mk_atomic_pool_init(&p, ram + 1, 20, 16, 4) == MK_ETOOSMALL);
    CHECK(mk_atomic_pool_used(&p) == 0 && mk_atomic_pool_max_used(&p) == 0);
}

static void test_lazy_init_and_exhaustion(void)
{
    static _Alignas(64) unsigned char buf[64 * 101];
    memset(buf, 0xAA, sizeof buf);
    mk_atomic_pool p;
    REQUIRE(mk_atomic_pool_init(&p, buf, sizeof buf, 64, 64) == MK_OK);
    size_t untouched = 0;
    while (untouched < sizeof buf && buf[untouched] == 0xAA)
        untouched++;
    CHECK(untouched == sizeof buf); /* O(1) init: nothing written into the buffer */
    /* 101 blocks' worth: 4 bytes of link per block (and live bits) cost 6 (7) blocks. */
    size_t cap = mk_atomic_pool_capacity(&p);
    CHECK(cap == (MK_CHECKED ? 94u : 95u));
    unsigned char *first = NULL, *prev = NULL;
    for (size_t i = 0; i < cap; i++) {
        unsigned char *b = mk_atomic_pool_alloc(&p);
        REQUIRE(b != NULL);
        CHECK(aligned(b, 64) && b >= buf + 4 * cap && b + 64 <= buf + sizeof buf);
        CHECK(prev == NULL || b == prev + 64);
        if (!first)
            first = b;
        prev = b;
        memset(b, 0x11, 64);
        CHECK(mk_atomic_pool_used(&p) == i + 1);
    }
    CHECK(mk_atomic_pool_alloc(&p) == NULL);
    CHECK(mk_atomic_pool_alloc(&p) == NULL);
    CHECK(mk_atomic_pool_used(&p) == cap && mk_atomic_pool_max_used(&p) == cap);
    mk_atomic_pool_free(&p, NULL);
    mk_atomic_pool_free(&p, first + 64 * 7);
    mk_atomic_pool_free(&p, first + 64 * 3);
    CHECK(mk_atomic_pool_used(&p) == cap - 2 && mk_atomic_pool_max_used(&p) == cap);
    CHECK(mk_atomic_pool_alloc(&p) == first + 64 * 3); /* most recent first */
    CHECK(mk_atomic_pool_alloc(&p) == first + 64 * 7);
    CHECK(mk_atomic_pool_alloc(&p) == NULL);
}

/* free finds a block's index by multiplying by an inverse instead of dividing: every
 * block must map back to itself, whatever the block size. */
static void test_index_of_every_block(void)
{
    static const size_t sizes[][2] = { { 1, 1 },   { 3, 1 },  { 12, 4 },  { 24, 8 },
                                       { 40, 8 },  { 48, 16 }, { 96, 32 }, { 100, 4 },
                                       { 7, 1 },   { 136, 8 }, { 4096, 4096 } };
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        mk_atomic_pool p;
        REQUIRE(mk_atomic_pool_init(&p, ram + 1, 64 * 1024, sizes[s][0], sizes[s][1]) == MK_OK);
        size_t cap = mk_atomic_pool_capacity(&p), bs = mk_atomic_pool_block_size(&p);
        unsigned char *b0 = mk_atomic_pool_alloc(&p), *b = b0;
        REQUIRE(b0 != NULL);
        CHECK(aligned(b0, sizes[s][1]));
        for (size_t i = 1; i < cap; i++)
            b = mk_atomic_pool_alloc(&p);
        CHECK(b == b0 + (cap - 1) * bs);
        CHECK(mk_atomic_pool_alloc(&p) == NULL);
        size_t wrong = 0;
        for (size_t i = 0; i < cap; i++) {
            mk_atomic_pool_free(&p, b0 + i * bs);
            wrong += mk_atomic_pool_alloc(&p) != b0 + i * bs;
        }
        CHECK(wrong == 0);
        /* Return them all from both ends inwards; all come back, each once. */
        for (size_t i = 0; i < cap; i++)
            mk_atomic_pool_free(&p, b0 + (i % 2 ? cap - 1 - i / 2 : i / 2) * bs);
        CHECK(mk_atomic_pool_used(&p) == 0);
        size_t got = 0, outside = 0;
        while ((b = mk_atomic_pool_alloc(&p)) != NULL) {
            got++;
            outside += b < b0 || b >= b0 + cap * bs || (size_t)(b - b0) % bs;
        }
        CHECK(got == cap && outside == 0);
    }
}

/* Reading and writing the head directly: the two builds store it differently. */
static uintptr_t head_of(mk_atomic_pool *p)
{
#if MK_NO_ATOMICS
    return p->head;
#else
    return atomic_load(&p->head);
#endif
}
static void set_head(mk_atomic_pool *p, uintptr_t h)
{
#if MK_NO_ATOMICS
    p->head = h;
#else
    atomic_store(&p->head, h);
#endif
}

/* The tag advances on every push and wraps to zero without harm. */
static void test_tag(void)
{
    mk_atomic_pool p;
    REQUIRE(mk_atomic_pool_init(&p, ram, 4096, 32, 0) == MK_OK);
    uintptr_t mask = p.index_mask;
    CHECK(mask == 127u); /* capacity 111 or 112 needs 7 bits: the tag has the rest */
    void *a = mk_atomic_pool_alloc(&p), *b = mk_atomic_pool_alloc(&p);
    uintptr_t h0 = head_of(&p);
    mk_atomic_pool_free(&p, a);
    uintptr_t h1 = head_of(&p);
    CHECK((h1 & ~mask) == (h0 & ~mask) + mask + 1 && (h1 & mask) == 1);
    CHECK(mk_atomic_pool_alloc(&p) == a);
    CHECK((head_of(&p) & ~mask) == (h1 & ~mask)); /* a pop keeps the tag */
    /* Put the tag at its largest value: the next push wraps it to zero. */
    mk_atomic_pool_free(&p, a);
    set_head(&p, ~mask | (head_of(&p) & mask));
    mk_atomic_pool_free(&p, b);
    CHECK((head_of(&p) & ~mask) == 0 && (head_of(&p) & mask) == 2);
    CHECK(mk_atomic_pool_alloc(&p) == b);
    CHECK(mk_atomic_pool_alloc(&p) == a);
    CHECK(mk_atomic_pool_used(&p) == 2);
}

/* Capacity is capped so the tag keeps at least 16 bits (32 on 64-bit targets). */
static void test_max_blocks(void)
{
    mk_atomic_pool p;
    REQUIRE(mk_atomic_pool_init(&p, ram, sizeof ram, 1, 1) == MK_OK);
    /* 1-byte blocks cost 5 bytes each with their link; checked builds lose a little
     * more to the live bits. */
    size_t cap = mk_atomic_pool_capacity(&p);
    size_t fit = sizeof ram / 5;
    CHECK(cap <= MK_ATOMIC_POOL_MAX_BLOCKS);
    if (fit > MK_ATOMIC_POOL_MAX_BLOCKS)
        CHECK(cap == MK_ATOMIC_POOL_MAX_BLOCKS);
    else
        CHECK(cap <= fit && cap >= fit - fit / 32);
    CHECK(sizeof(void *) == 8 || cap == 65535);
    /* Every index, up to the largest, goes through the stack intact. */
    unsigned char *first = mk_atomic_pool_alloc(&p), *b = first;
    for (size_t i = 1; i < cap; i++)
        b = mk_atomic_pool_alloc(&p);
    CHECK(b == first + cap - 1 && mk_atomic_pool_alloc(&p) == NULL);
    for (size_t i = 0; i < cap; i++)
        mk_atomic_pool_free(&p, first + i);
    CHECK(mk_atomic_pool_alloc(&p) == first + cap - 1);
    CHECK(mk_atomic_pool_used(&p) == 1 && mk_atomic_pool_max_used(&p) == cap);
}

static void test_zero_pool(void)
{
    static mk_atomic_pool z;
    CHECK(mk_atomic_pool_capacity(&z) == 0 && mk_atomic_pool_used(&z) == 0);
    CHECK(mk_atomic_pool_alloc(&z) == NULL);
    mk_atomic_pool_free(&z, NULL);
    CHECK(mk_atomic_pool_used(&z) == 0);
}

#if MK_CHECKED
static void test_checked_misuse(void)
{
    mk_atomic_pool p;
    REQUIRE(mk_atomic_pool_init(&p, ram, 4096, 40, 8) == MK_OK);
    watch(&p);
    unsigned char *a = mk_atomic_pool_alloc(&p), *b = mk_atomic_pool_alloc(&p);
    mk_atomic_pool_free(&p, a);
    uintptr_t head = head_of(&p);
    mk_atomic_pool_free(&p, a);
    CHECK(seen.calls == 1 && seen.kind == MK_POOL_FAULT_DOUBLE_FREE && seen.ptr == a);
    mk_atomic_pool_free(&p, b + 40 * 5); /* never handed out */
    CHECK(seen.calls == 2 && seen.kind == MK_POOL_FAULT_DOUBLE_FREE);
    mk_atomic_pool_free(&p, b + 1);
    CHECK(seen.calls == 3 && seen.kind == MK_POOL_FAULT_BAD_POINTER);
    mk_atomic_pool_free(&p, ram + sizeof ram - 8);
    CHECK(seen.calls == 4 && seen.kind == MK_POOL_FAULT_FOREIGN_POINTER);
    mk_atomic_pool_free(&p, a - 40);
    CHECK(seen.calls == 5 && seen.kind == MK_POOL_FAULT_FOREIGN_POINTER);
    CHECK(head_of(&p) == head && mk_atomic_pool_used(&p) == 1);
    /* The lock, where there is one, is released before the hook runs. */
    CHECK(seen.locks == seen.unlocks);
    CHECK(mk_atomic_pool_alloc(&p) == a);
    mk_atomic_pool_free(&p, a);
    mk_atomic_pool_free(&p, b);
    CHECK(seen.calls == 5 && mk_atomic_pool_used(&p) == 0);
}
#endif

#if MK_NO_ATOMICS
static void test_lock_hooks(void)
{
    mk_atomic_pool p;
    REQUIRE(mk_atomic_pool_init(&p, ram, 4096, 32, 0) == MK_OK);
    watch(&p);
    void *a = mk_atomic_pool_alloc(&p);
    CHECK(seen.locks == 1 && seen.unlocks == 1);
    mk_atomic_pool_free(&p, a);
    CHECK(seen.locks == 2 && seen.unlocks == 2);
    CHECK(mk_atomic_pool_used(&p) == 0 && seen.locks == seen.unlocks);
    mk_atomic_pool_free(&p, NULL); /* takes no lock */
    CHECK(seen.locks == 3 && seen.unlocks == 3);
}
#endif

/* ---- the stress test ---- */
#if HAVE_THREADS

enum { CAP = 24, BLOCK = 48, RING = 16, CHURN = 4, PRODUCERS = 2, BURST = 6 };

typedef struct stamp {
    uint32_t magic;
    uint32_t owner;
    uint64_t seq;
} stamp;
#define MAGIC 0x4d4b504fu

/* A single-producer single-consumer ring: the hand-off between producer and consumer. */
typedef struct ring {
    _Atomic size_t head, tail;
    void *slot[RING];
} ring;

static mk_atomic_pool shared;
static unsigned char *shared_base;
static _Alignas(64) unsigned char shared_ram[4 * CAP + 16 + CAP * BLOCK]; /* CAP blocks */
static atomic_uchar owned[CAP];
static ring rings[PRODUCERS];
static atomic_ulong errors, empties;
static unsigned long pairs_each;

static size_t index_of(const void *b)
{
    return (size_t)((const unsigned char *)b - shared_base) / BLOCK;
}

/* Claims a block just allocated: its flag must have been clear. */
static void *take(uint32_t who, uint64_t seq)
{
    stamp *s;
    while ((s = mk_atomic_pool_alloc(&shared)) == NULL) {
        atomic_fetch_add_explicit(&empties, 1, memory_order_relaxed);
        sched_yield();
    }
    size_t i = index_of(s);
    if (i >= CAP || atomic_exchange_explicit(&owned[i], 1, memory_order_relaxed) != 0)
        atomic_fetch_add_explicit(&errors, 1, memory_order_relaxed);
    s->magic = MAGIC;
    s->owner = who;
    s->seq = seq;
    unsigned char *rest = (unsigned char *)(s + 1);
    for (size_t k = 0; k < BLOCK - sizeof *s; k++)
        rest[k] = (unsigned char)(seq + k);
    return s;
}

/* Checks a block's stamp, scribbles over it (a racing next owner would be caught by
 * TSan) and returns it. */
static void give_back(void *b, uint32_t who, uint64_t seq)
{
    stamp *s = b;
    unsigned char *rest = (unsigned char *)(s + 1);
    int bad = s->magic != MAGIC || s->owner != who || s->seq != seq;
    for (size_t k = 0; k < BLOCK - sizeof *s; k++)
        bad |= rest[k] != (unsigned char)(seq + k);
    memset(b, 0xDD, BLOCK);
    size_t i = index_of(b);
    if (bad || atomic_exchange_explicit(&owned[i], 0, memory_order_relaxed) != 1)
        atomic_fetch_add_explicit(&errors, 1, memory_order_relaxed);
    mk_atomic_pool_free(&shared, b);
}

static void *producer(void *arg)
{
    uint32_t id = (uint32_t)(uintptr_t)arg;
    ring *r = &rings[id];
    for (unsigned long n = 0; n < pairs_each; n++) {
        void *b = take(100 + id, n);
        size_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);
        while (t - atomic_load_explicit(&r->head, memory_order_acquire) == RING)
            sched_yield();
        r->slot[t % RING] = b;
        atomic_store_explicit(&r->tail, t + 1, memory_order_release);
    }
    return NULL;
}

static void *consumer(void *arg)
{
    uint32_t id = (uint32_t)(uintptr_t)arg;
    ring *r = &rings[id];
    for (unsigned long n = 0; n < pairs_each; n++) {
        size_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
        while (atomic_load_explicit(&r->tail, memory_order_acquire) == h)
            sched_yield();
        void *b = r->slot[h % RING];
        atomic_store_explicit(&r->head, h + 1, memory_order_release);
        give_back(b, 100 + id, n);
    }
    return NULL;
}

/* Allocates a burst of blocks, then frees them in a scrambled order. */
static void *churner(void *arg)
{
    uint32_t id = (uint32_t)(uintptr_t)arg;
    unsigned long long seed = 0x9e3779b97f4a7c15ull * (id + 1);
    void *held[BURST];
    uint64_t seq = 0;
    for (unsigned long done = 0; done < pairs_each;) {
        size_t k = test_range(&seed, 1, BURST);
        for (size_t j = 0; j < k; j++)
            held[j] = take(id, seq + j);
        size_t start = test_range(&seed, 0, k - 1);
        for (size_t j = 0; j < k; j++) {
            size_t x = (start + j) % k;
            give_back(held[x], id, seq + x);
        }
        seq += k;
        done += k;
    }
    return NULL;
}

static void test_threads(unsigned long pairs)
{
    REQUIRE(mk_atomic_pool_init(&shared, shared_ram, sizeof shared_ram, BLOCK, 16) == MK_OK);
    REQUIRE(mk_atomic_pool_capacity(&shared) == CAP);
    REQUIRE(mk_atomic_pool_block_size(&shared) == BLOCK);
    /* Lock hooks: MK_NO_ATOMICS builds must call them, lock-free builds never. */
    memset(&seen, 0, sizeof seen);
    mk_atomic_pool_set_hooks(&shared, &hooks);
    /* The first block's address, without taking one. */
    shared_base = shared.base;
    /* Each of the 2 producer/consumer pairs and the CHURN churners does `pairs_each`. */
    pairs_each = pairs / (PRODUCERS + CHURN);
    if (pairs_each == 0)
        pairs_each = 1;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pthread_t t[2 * PRODUCERS + CHURN];
    int n = 0;
    for (uintptr_t i = 0; i < PRODUCERS; i++) {
        REQUIRE(pthread_create(&t[n++], NULL, producer, (void *)i) == 0);
        REQUIRE(pthread_create(&t[n++], NULL, consumer, (void *)i) == 0);
    }
    for (uintptr_t i = 0; i < CHURN; i++)
        REQUIRE(pthread_create(&t[n++], NULL, churner, (void *)i) == 0);
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("stress: %d threads, %lu alloc/free pairs in %.2f s, %lu waits on an empty pool\n",
           n, pairs_each * (PRODUCERS + CHURN), secs, (unsigned long)atomic_load(&empties));

    CHECK(atomic_load(&errors) == 0);
    CHECK(seen.locks == seen.unlocks);
    CHECK(MK_NO_ATOMICS ? seen.locks >= (int)(2 * pairs_each) : seen.locks == 0);
    CHECK(mk_atomic_pool_used(&shared) == 0);
    CHECK(mk_atomic_pool_max_used(&shared) <= CAP);
    CHECK(mk_atomic_pool_max_used(&shared) >= 2); /* the threads did overlap */
    /* Every block comes back exactly once (bounded: a broken stack may be a cycle). */
    size_t got = 0, twice = 0;
    void *b;
    while (got <= CAP && (b = mk_atomic_pool_alloc(&shared)) != NULL) {
        got++;
        twice += atomic_exchange(&owned[index_of(b)], 1) != 0;
    }
    CHECK(got == CAP && twice == 0);
    CHECK(mk_atomic_pool_max_used(&shared) == CAP);
}

#define RUN_THREADS(pairs)                                                       \
    do {                                                                         \
        int before_ = test_failures;                                             \
        test_threads(pairs);                                                     \
        printf("%-40s %s\n", "test_threads", test_failures == before_ ? "ok" : "FAILED"); \
    } while (0)
#endif

int main(int argc, char **argv)
{
#if HAVE_THREADS
    unsigned long pairs = argc > 1 ? strtoul(argv[1], NULL, 10) : 6000000ul;
#else
    (void)argc;
    (void)argv;
#endif
    printf("MK_CHECKED=%d MK_NO_ATOMICS=%d\n", MK_CHECKED, MK_NO_ATOMICS);
    RUN(test_sizeof);
    RUN(test_init_errors);
    RUN(test_geometry);
    RUN(test_lazy_init_and_exhaustion);
    RUN(test_index_of_every_block);
    RUN(test_tag);
    RUN(test_max_blocks);
    RUN(test_zero_pool);
#if MK_CHECKED
    RUN(test_checked_misuse);
#endif
#if MK_NO_ATOMICS
    RUN(test_lock_hooks);
#endif
#if HAVE_THREADS
    RUN_THREADS(pairs);
#endif
    TEST_MAIN_END();
}
