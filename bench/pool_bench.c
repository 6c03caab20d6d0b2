/*
 * mk_pool and mk_atomic_pool benchmarks, each beside glibc malloc/free of the same size
 * measured in the same run. Prints tables; never passes or fails on time.
 *
 *   pool vs malloc     ns per alloc+free pair, median of RUNS runs, block sizes 16, 64
 *                      and 256: "pair" frees each block at once (the LIFO hot path);
 *                      "batch" allocates 1,000 blocks, then frees them in a shuffled
 *                      order. Ratio = malloc / pool.
 *   atomic vs plain    the same workloads on mk_atomic_pool, one thread. Ratio =
 *                      atomic / plain (the target is <= 2).
 *   contended          2 threads on one pool, each doing pairs or bursts of 16: total
 *                      throughput in million pairs per second, beside one thread alone
 *                      and beside an mk_pool behind a pthread mutex.
 *
 * Usage: pool_bench [all|single|contended]
 *        pool_bench callgrind N [pool|atomic|malloc]   N pairs of 64 bytes, no timing, for
 *            valgrind --tool=callgrind --callgrind-out-file=cg.out pool_bench callgrind 1000000
 *            callgrind_annotate --inclusive=yes cg.out | grep -E 'pool_(alloc|free)|pair_loop'
 *        Instructions per pair = inclusive Ir of the alloc and free functions divided by
 *        N (the heap's convention, bench/callgrind.sh); pair_loop* / N adds the call
 *        sequence and the loop's own 3 instructions.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "memkit/atomic_pool.h"
#include "memkit/pool.h"

enum { RUNS = 7, BATCH = 1000, PAIRS = 2000000, BATCH_ROUNDS = 2000 };

/* ---- the allocators under test, behind one small table --------------------------- */

static mk_pool pool;
static mk_atomic_pool apool;
static _Alignas(64) unsigned char pool_ram[(BATCH + 64) * (256 + 8)];
static _Alignas(64) unsigned char apool_ram[(BATCH + 64) * (256 + 8)];
static size_t cur_size;

static void *pool_alloc(void) { return mk_pool_alloc(&pool); }
static void pool_free(void *p) { mk_pool_free(&pool, p); }
static void *apool_alloc(void) { return mk_atomic_pool_alloc(&apool); }
static void apool_free(void *p) { mk_atomic_pool_free(&apool, p); }
static void *sys_alloc(void) { return malloc(cur_size); }
static void sys_free(void *p) { free(p); }

typedef struct subject {
    const char *name;
    void *(*alloc)(void);
    void (*free)(void *);
} subject;

static const subject subjects[] = {
    { "mk_pool", pool_alloc, pool_free },
    { "mk_atomic_pool", apool_alloc, apool_free },
    { "glibc malloc", sys_alloc, sys_free },
};

static void setup(size_t size)
{
    cur_size = size;
    if (mk_pool_init(&pool, pool_ram, sizeof pool_ram, size, 0) != MK_OK ||
        mk_atomic_pool_init(&apool, apool_ram, sizeof apool_ram, size, 0) != MK_OK ||
        mk_pool_capacity(&pool) < BATCH || mk_atomic_pool_capacity(&apool) < BATCH) {
        fprintf(stderr, "pool setup failed for size %zu\n", size);
        exit(1);
    }
}

/* The pair loops call the pools directly, so the measured cost is theirs, not an
 * indirect call's. */
__attribute__((noinline)) static void pair_loop(long n)
{
    for (long i = 0; i < n; i++) {
        void *p = mk_pool_alloc(&pool);
        sink(p);
        mk_pool_free(&pool, p);
    }
}

__attribute__((noinline)) static void pair_loop_atomic(long n)
{
    for (long i = 0; i < n; i++) {
        void *p = mk_atomic_pool_alloc(&apool);
        sink(p);
        mk_atomic_pool_free(&apool, p);
    }
}

__attribute__((noinline)) static void pair_loop_malloc(long n)
{
    for (long i = 0; i < n; i++) {
        void *p = malloc(cur_size);
        sink(p);
        free(p);
    }
}

static double time_pairs(int which)
{
    double t[RUNS];
    for (int r = 0; r < RUNS; r++) {
        double t0 = now();
        if (which == 0)
            pair_loop(PAIRS);
        else if (which == 1)
            pair_loop_atomic(PAIRS);
        else
            pair_loop_malloc(PAIRS);
        t[r] = (now() - t0) / PAIRS;
    }
    return median(t, RUNS);
}

static size_t order[BATCH];
static void *held[BATCH];

static double time_batch(const subject *s)
{
    double t[RUNS];
    for (int r = 0; r < RUNS; r++) {
        double t0 = now();
        for (int k = 0; k < BATCH_ROUNDS; k++) {
            for (int i = 0; i < BATCH; i++)
                held[i] = s->alloc();
            for (int i = 0; i < BATCH; i++)
                s->free(held[order[i]]);
        }
        t[r] = (now() - t0) / ((double)BATCH * BATCH_ROUNDS);
    }
    return median(t, RUNS);
}

static void single(void)
{
    /* A fixed shuffle, the same for every subject. */
    uint64_t x = 88172645463325252ull;
    for (size_t i = 0; i < BATCH; i++)
        order[i] = i;
    for (size_t i = BATCH - 1; i > 0; i--) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        size_t j = (size_t)(x % (i + 1));
        size_t tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
    }
    static const size_t sizes[] = { 16, 64, 256 };
    printf("## pool vs malloc, and atomic vs plain pool (one thread; ns per alloc+free pair, "
           "median of %d)\n\n", RUNS);
    printf("| workload | size | mk_pool | mk_atomic_pool | glibc malloc | malloc / pool | "
           "atomic / pool |\n|---|---:|---:|---:|---:|---:|---:|\n");
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        setup(sizes[k]);
        double pl = time_pairs(0), at = time_pairs(1), ml = time_pairs(2);
        printf("| pair | %zu | %.2f | %.2f | %.2f | %.1fx | %.2fx |\n", sizes[k], pl, at, ml,
               ml / pl, at / pl);
    }
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        setup(sizes[k]);
        double v[3];
        for (int i = 0; i < 3; i++)
            v[i] = time_batch(&subjects[i]);
        printf("| batch %d, shuffled free | %zu | %.2f | %.2f | %.2f | %.1fx | %.2fx |\n",
               BATCH, sizes[k], v[0], v[1], v[2], v[2] / v[0], v[1] / v[0]);
    }
    printf("\n");
}

/* ---- contended --------------------------------------------------------------------- */

enum { CONTENDED_PAIRS = 4000000, BURST = 16 };

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static void *locked_alloc(void)
{
    pthread_mutex_lock(&mutex);
    void *p = mk_pool_alloc(&pool);
    pthread_mutex_unlock(&mutex);
    return p;
}
static void locked_free(void *p)
{
    pthread_mutex_lock(&mutex);
    mk_pool_free(&pool, p);
    pthread_mutex_unlock(&mutex);
}

typedef struct job {
    const subject *s;
    long pairs;
    int burst;
} job;

static void *worker(void *arg)
{
    const job *j = arg;
    void *mine[BURST];
    for (long done = 0; done < j->pairs; done += j->burst) {
        for (int i = 0; i < j->burst; i++) {
            mine[i] = j->s->alloc();
            sink(mine[i]);
        }
        for (int i = 0; i < j->burst; i++)
            j->s->free(mine[i]);
    }
    return NULL;
}

/* Million pairs per second, all threads together; median of RUNS. */
static double throughput(const subject *s, int threads, int burst)
{
    double v[RUNS];
    for (int r = 0; r < RUNS; r++) {
        job j = { s, CONTENDED_PAIRS / threads, burst };
        pthread_t t[2];
        double t0 = now();
        for (int i = 0; i < threads; i++)
            if (pthread_create(&t[i], NULL, worker, &j) != 0)
                exit(1);
        for (int i = 0; i < threads; i++)
            pthread_join(t[i], NULL);
        v[r] = (double)j.pairs * threads / ((now() - t0) / 1e9) / 1e6;
    }
    return median(v, RUNS);
}

static void contended(void)
{
    static const subject atomic = { "mk_atomic_pool", apool_alloc, apool_free };
    static const subject locked = { "mk_pool + pthread mutex", locked_alloc, locked_free };
    static const subject sys = { "glibc malloc", sys_alloc, sys_free };
    const subject *list[] = { &atomic, &locked, &sys };
    setup(64);
    printf("## contended: million alloc+free pairs per second, 64-byte blocks, "
           "median of %d\n\n", RUNS);
    printf("| allocator | pairs, 1 thread | pairs, 2 threads | bursts of %d, 1 thread | "
           "bursts of %d, 2 threads |\n|---|---:|---:|---:|---:|\n", BURST, BURST);
    for (size_t i = 0; i < sizeof list / sizeof list[0]; i++)
        printf("| %s | %.1f | %.1f | %.1f | %.1f |\n", list[i]->name, throughput(list[i], 1, 1),
               throughput(list[i], 2, 1), throughput(list[i], 1, BURST),
               throughput(list[i], 2, BURST));
    printf("\n");
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "all";
    if (strcmp(what, "callgrind") == 0) {
        long n = argc > 2 ? atol(argv[2]) : 1000000;
        const char *who = argc > 3 ? argv[3] : "pool";
        setup(64);
        if (strcmp(who, "atomic") == 0)
            pair_loop_atomic(n);
        else if (strcmp(who, "malloc") == 0)
            pair_loop_malloc(n);
        else
            pair_loop(n);
        printf("%ld pairs on %s; used %zu\n", n, who, mk_pool_used(&pool));
        return 0;
    }
    printf("mk_pool: MK_CHECKED=%d; mk_atomic_pool: %s\n\n", MK_CHECKED,
           MK_NO_ATOMICS ? "critical sections (MK_NO_ATOMICS)" : "lock-free");
    if (strcmp(what, "all") == 0 || strcmp(what, "single") == 0)
        single();
    if (strcmp(what, "all") == 0 || strcmp(what, "contended") == 0)
        contended();
    return 0;
}
