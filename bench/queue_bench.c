/* Queue benchmark: two threads pinned to CPUs 0 and 1.
 *   throughput  the producer pushes 0..iters-1 (retrying while full), the consumer pops
 *               and checks each value; ops/s = iters / wall time.
 *   round trip  one thread sends a value on one queue, the other echoes it back on a
 *               second; ns per round trip.
 * Each figure is the median of `runs` runs, for memkit's SPSC queue and its MPMC queue
 * (one producer, one consumer), beside a mutex-protected ring of the same capacity
 * measured in the same run (the in-repo baseline). rigtorp/SPSCQueue's figures come
 * from a driver built outside the repository (docs/performance.md, "Queues").
 * Usage: queue_bench [iters] [runs]   (default 10000000 5) */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "memkit/mpmc.h"
#include "memkit/spsc.h"

#define BIG (1u << 23) /* about rigtorp's benchmark's 10,000,000 slots */
#define SMALL 1024u

MK_SPSC_DEFINE(spsc_big, int, BIG);
MK_SPSC_DEFINE(spsc_small, int, SMALL);
MK_MPMC_DEFINE(mpmc_small, int, SMALL);

static spsc_big big_a, big_b;
static spsc_small small_a, small_b;
static mpmc_small mpmc_a, mpmc_b;

/* ---- the baseline: a ring under one mutex, with the typed queues' signatures ------ */

typedef struct mutex_ring {
    pthread_mutex_t m;
    int *slots;
    size_t cap, head, tail; /* free-running; cap a power of two */
} mutex_ring;

static mutex_ring ring_a, ring_b;

static mk_err ring_push(mutex_ring *r, int v)
{
    pthread_mutex_lock(&r->m);
    bool ok = r->tail - r->head < r->cap;
    if (ok)
        r->slots[r->tail++ & (r->cap - 1u)] = v;
    pthread_mutex_unlock(&r->m);
    return ok ? MK_OK : MK_EFULL;
}

static mk_err ring_pop(mutex_ring *r, int *v)
{
    pthread_mutex_lock(&r->m);
    bool ok = r->tail != r->head;
    if (ok)
        *v = r->slots[r->head++ & (r->cap - 1u)];
    pthread_mutex_unlock(&r->m);
    return ok ? MK_OK : MK_EEMPTY;
}

/* ---- the two workloads, generated per queue so every call is direct ---------------- */

static long iters;
static atomic_long errors;

static void pin(size_t cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set); /* best effort */
}

/* Defines q_run(round_trip): ops/s (throughput) or ns per round trip, over queues A
 * (to the other thread) and B (back). */
#define WORKLOADS(q, A, B)                                                              \
    static void *q##_consumer(void *arg)                                                \
    {                                                                                   \
        (void)arg;                                                                      \
        pin(1);                                                                         \
        for (int i = 0; i < iters; i++) {                                               \
            int v;                                                                      \
            while (q##_pop(&A, &v) != MK_OK) {                                          \
            }                                                                           \
            if (v != i)                                                                 \
                errors++;                                                               \
        }                                                                               \
        return NULL;                                                                    \
    }                                                                                   \
    static void *q##_echo(void *arg)                                                    \
    {                                                                                   \
        (void)arg;                                                                      \
        pin(1);                                                                         \
        for (int i = 0; i < iters; i++) {                                               \
            int v;                                                                      \
            while (q##_pop(&A, &v) != MK_OK) {                                          \
            }                                                                           \
            while (q##_push(&B, v) != MK_OK) {                                          \
            }                                                                           \
        }                                                                               \
        return NULL;                                                                    \
    }                                                                                   \
    static double q##_run(bool round_trip)                                              \
    {                                                                                   \
        pthread_t t;                                                                    \
        pin(0);                                                                         \
        double t0 = now();                                                              \
        if (pthread_create(&t, NULL, round_trip ? q##_echo : q##_consumer, NULL))       \
            abort();                                                                    \
        for (int i = 0; i < iters; i++) {                                               \
            while (q##_push(&A, i) != MK_OK) {                                          \
            }                                                                           \
            if (round_trip) {                                                           \
                int v;                                                                  \
                while (q##_pop(&B, &v) != MK_OK) {                                      \
                }                                                                       \
                if (v != i)                                                             \
                    errors++;                                                           \
            }                                                                           \
        }                                                                               \
        pthread_join(t, NULL);                                                          \
        double ns = now() - t0;                                                         \
        return round_trip ? ns / (double)iters : (double)iters / ns * 1e9;              \
    }

WORKLOADS(spsc_big, big_a, big_b)
WORKLOADS(spsc_small, small_a, small_b)
WORKLOADS(mpmc_small, mpmc_a, mpmc_b)
WORKLOADS(ring, ring_a, ring_b)

/* Empties both queues of a kind before a run (all-zero bytes are empty queues). */
static size_t ring_cap;
static void reset(int kind)
{
    switch (kind) {
    case 0: memset(&big_a, 0, sizeof big_a); memset(&big_b, 0, sizeof big_b); break;
    case 1: memset(&small_a, 0, sizeof small_a); memset(&small_b, 0, sizeof small_b); break;
    case 2: memset(&mpmc_a, 0, sizeof mpmc_a); memset(&mpmc_b, 0, sizeof mpmc_b); break;
    default:
        for (int i = 0; i < 2; i++) {
            mutex_ring *r = i ? &ring_b : &ring_a;
            free(r->slots);
            pthread_mutex_init(&r->m, NULL);
            r->slots = malloc(ring_cap * sizeof(int));
            if (!r->slots)
                abort();
            r->cap = ring_cap;
            r->head = r->tail = 0;
        }
    }
}

static double (*const run_fns[])(bool) = { spsc_big_run, spsc_small_run, mpmc_small_run,
                                           ring_run };

static double measure(int kind, bool round_trip, int runs)
{
    double v[64];
    for (int r = 0; r < runs; r++) {
        reset(kind);
        v[r] = run_fns[kind](round_trip);
    }
    return median(v, runs);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10000000;
    int runs = argc > 2 ? atoi(argv[2]) : 5;
    if (n < 1 || runs < 1 || runs > 64) {
        fprintf(stderr, "usage: queue_bench [iters >= 1] [runs 1..64]\n");
        return 2;
    }
    static const struct {
        const char *name;
        size_t cap;
    } kinds[] = { { "memkit spsc", BIG }, { "memkit spsc", SMALL }, { "memkit mpmc", SMALL } };

    printf("%ld items per throughput run, %ld round trips per latency run (iters / 50), median of %d "
           "runs; threads on CPUs 0 and 1\n\n", n, n / 50 > 0 ? n / 50 : 1, runs);
    printf("| queue | capacity | Mops/s | mutex ring Mops/s | ratio | round trip ns | "
           "mutex ring ns | ratio |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int k = 0; k < 3; k++) {
        ring_cap = kinds[k].cap;
        iters = n;
        double ops = measure(k, false, runs), ring = measure(3, false, runs);
        iters = n / 50 > 0 ? n / 50 : 1;
        double rt = measure(k, true, runs), ring_rt = measure(3, true, runs);
        printf("| %s | %zu | %.1f | %.1f | %.2f | %.0f | %.0f | %.2f |\n", kinds[k].name,
               kinds[k].cap, ops / 1e6, ring / 1e6, ops / ring, rt, ring_rt, ring_rt / rt);
    }
    free(ring_a.slots);
    free(ring_b.slots);
    if (atomic_load(&errors)) {
        printf("%ld values arrived wrong\n", atomic_load(&errors));
        return 1;
    }
    return 0;
}
