/*
 * mk_heap benchmarks, each printed beside the system allocator measured in the same run.
 *
 *   random      2,000,000 ops on 1,000 slots: an empty slot gets an allocation, a full
 *               one is freed; sizes uniform in 8..512 or 8..4096; heaps of 64 KiB and
 *               16 MiB. Mean ns/op, and p50/p99/p99.99/max cycles of a single alloc and
 *               a single free (rdtsc on x86; ns elsewhere).
 *   efficiency  fresh heap; each step allocates (p = 2/3, uniform 8..1024) or frees a
 *               random live block, until the first failure; live payload / region bytes,
 *               averaged over 50 seeds.
 *   small       how many 1-, 8- and 24-byte allocations fit in a 64 KiB region.
 *
 * Usage: heap_bench [all|random|efficiency|small]
 *        heap_bench replay ALLOCATOR MAXSIZE HEAPBYTES   (one random run, no timing: for
 *                                                        valgrind --tool=callgrind)
 * Other allocators can be measured with the same workloads by compiling with
 * -DBENCH_EXTRA_ALLOCATORS='"file.h"': the header's text is spliced into the
 * allocators[] initializer, so it holds entries such as
 * `{ "name", init_fn, alloc_fn, free_fn, fini_fn },` (see bench_allocator below).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "memkit/memkit.h"

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define TICK_UNIT "cycles"
static inline uint64_t ticks(void) { return __rdtsc(); }
#else
#define TICK_UNIT "ns"
static inline uint64_t ticks(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
#endif

/* An allocator under test: init over a buffer (or ignore it), alloc, free. */
typedef struct bench_allocator {
    const char *name;
    int (*init)(void *mem, size_t size); /* 0 on success */
    void *(*alloc)(size_t size);
    void (*free)(void *p);
    void (*fini)(void);
} bench_allocator;

static mk_heap heap;
static int memkit_init(void *mem, size_t size)
{
    mk_heap_init(&heap);
    return mk_heap_add_region(&heap, mem, size, 0) == MK_OK ? 0 : -1;
}
static void *memkit_alloc(size_t size) { return mk_heap_alloc(&heap, size); }
static void memkit_free(void *p) { mk_heap_free(&heap, p); }
static void no_fini(void) {}

/* The system allocator: unbounded, so it never fails for lack of room. */
static int sys_init(void *mem, size_t size) { (void)mem; (void)size; return 0; }
static void *sys_alloc(size_t size) { return malloc(size); }
static void sys_free(void *p) { free(p); }

static const bench_allocator allocators[] = {
    { "memkit", memkit_init, memkit_alloc, memkit_free, no_fini },
    { "system malloc", sys_init, sys_alloc, sys_free, no_fini },
#ifdef BENCH_EXTRA_ALLOCATORS
#include BENCH_EXTRA_ALLOCATORS
#endif
};
enum { N_ALLOCATORS = sizeof allocators / sizeof allocators[0] };

static uint64_t rng_state;
static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}
static size_t uniform(size_t lo, size_t hi) { return lo + (size_t)(rng() % (hi - lo + 1)); }

enum { OPS = 2000000, SLOTS = 1000 };

/* The random workload's operation sequence, fixed by seed, shared by every allocator. */
static uint16_t op_slot[OPS];
static uint16_t op_size[OPS];

static void make_sequence(size_t max_size)
{
    rng_state = 0x1234567887654321ull;
    for (int i = 0; i < OPS; i++) {
        op_slot[i] = (uint16_t)uniform(0, SLOTS - 1);
        op_size[i] = (uint16_t)uniform(8, max_size);
    }
}

typedef struct run_result {
    double ns_per_op;
    size_t allocs, frees, failed;
    uint32_t *alloc_ticks, *free_ticks; /* per-op, when timed */
} run_result;

static unsigned char *arena_mem;

/* Runs the sequence once. With `timed`, records the ticks of every single call. */
static int run_random(const bench_allocator *a, size_t heap_bytes, int timed, run_result *out)
{
    static void *slot[SLOTS];
    memset(slot, 0, sizeof slot);
    memset(out, 0, sizeof *out);
    if (a->init(arena_mem, heap_bytes) != 0)
        return -1;
    if (timed) {
        out->alloc_ticks = malloc(sizeof(uint32_t) * OPS);
        out->free_ticks = malloc(sizeof(uint32_t) * OPS);
        if (!out->alloc_ticks || !out->free_ticks)
            return -1;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < OPS; i++) {
        void **s = &slot[op_slot[i]];
        if (!*s) {
            uint64_t start = timed ? ticks() : 0;
            *s = a->alloc(op_size[i]);
            if (timed)
                out->alloc_ticks[out->allocs + out->failed] = (uint32_t)(ticks() - start);
            if (*s) {
                *(volatile char *)*s = 1; /* touch it, as a program would */
                out->allocs++;
            } else {
                out->failed++;
            }
        } else {
            uint64_t start = timed ? ticks() : 0;
            a->free(*s);
            if (timed)
                out->free_ticks[out->frees] = (uint32_t)(ticks() - start);
            *s = NULL;
            out->frees++;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    for (int i = 0; i < SLOTS; i++)
        if (slot[i])
            a->free(slot[i]);
    a->fini();
    out->ns_per_op = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) / OPS;
    return 0;
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}
static uint32_t pct(const uint32_t *v, size_t n, double p)
{
    size_t i = (size_t)(p * (double)(n - 1));
    return v[i];
}

static void bench_random(void)
{
    static const size_t max_sizes[] = { 512, 4096 };
    static const size_t heaps[] = { 64 * 1024, 16 * 1024 * 1024 };
    printf("## random: %d ops on %d slots (alloc into an empty slot, free a full one)\n\n",
           OPS, SLOTS);
    printf("| allocator | sizes | heap | ns/op (median of 5) | failed allocs | alloc p50/p99/p99.99/max %s | free p50/p99/p99.99/max %s |\n",
           TICK_UNIT, TICK_UNIT);
    printf("|---|---|---|---:|---:|---|---|\n");
    for (size_t si = 0; si < 2; si++) {
        make_sequence(max_sizes[si]);
        for (size_t hi = 0; hi < 2; hi++) {
            for (size_t ai = 0; ai < N_ALLOCATORS; ai++) {
                const bench_allocator *a = &allocators[ai];
                double ns[5];
                run_result r;
                for (int rep = 0; rep < 5; rep++) {
                    if (run_random(a, heaps[hi], 0, &r) != 0) {
                        printf("| %s | init failed |\n", a->name);
                        return;
                    }
                    ns[rep] = r.ns_per_op;
                }
                for (int x = 0; x < 5; x++) /* median of 5 */
                    for (int y = x + 1; y < 5; y++)
                        if (ns[y] < ns[x]) {
                            double t = ns[x];
                            ns[x] = ns[y];
                            ns[y] = t;
                        }
                /* Tail latencies: each percentile is the median over 3 timed runs, so
                 * one interrupt in one run does not set the figure. */
                uint32_t tail[8][3];
                static const double ps[4] = { 0.5, 0.99, 0.9999, 1.0 };
                for (int rep = 0; rep < 3; rep++) {
                    run_random(a, heaps[hi], 1, &r);
                    size_t na = r.allocs + r.failed, nf = r.frees;
                    qsort(r.alloc_ticks, na, sizeof(uint32_t), cmp_u32);
                    qsort(r.free_ticks, nf, sizeof(uint32_t), cmp_u32);
                    for (int k = 0; k < 4; k++) {
                        tail[k][rep] = pct(r.alloc_ticks, na, ps[k]);
                        tail[4 + k][rep] = pct(r.free_ticks, nf, ps[k]);
                    }
                    free(r.alloc_ticks);
                    free(r.free_ticks);
                }
                uint32_t med[8];
                for (int k = 0; k < 8; k++) {
                    qsort(tail[k], 3, sizeof(uint32_t), cmp_u32);
                    med[k] = tail[k][1];
                }
                printf("| %s | 8..%zu | %zu KiB | %.1f | %zu | %u / %u / %u / %u | %u / %u / %u / %u |\n",
                       a->name, max_sizes[si], heaps[hi] / 1024, ns[2], r.failed, med[0], med[1],
                       med[2], med[3], med[4], med[5], med[6], med[7]);
            }
        }
    }
    printf("\n(Tail figures: median over 3 timed runs. system malloc is unbounded: it never fails,\n"
           "so it does more allocations at 64 KiB.)\n\n");
}

/* Efficiency: live payload / region bytes at the first failed allocation. */
static double efficiency_once(const bench_allocator *a, size_t heap_bytes, uint64_t seed)
{
    enum { MAX_LIVE = 1 << 16 };
    static void *live[MAX_LIVE];
    static size_t live_size[MAX_LIVE];
    size_t n = 0, payload = 0;
    rng_state = seed;
    if (a->init(arena_mem, heap_bytes) != 0)
        return 0;
    for (;;) {
        if (n == 0 || rng() % 3 != 0) {
            size_t size = uniform(8, 1024);
            void *p = a->alloc(size);
            if (!p || n == MAX_LIVE)
                break;
            live[n] = p;
            live_size[n++] = size;
            payload += size;
        } else {
            size_t i = (size_t)(rng() % n);
            a->free(live[i]);
            payload -= live_size[i];
            live[i] = live[--n];
            live_size[i] = live_size[n];
        }
    }
    a->fini();
    return (double)payload / (double)heap_bytes;
}

static void bench_efficiency(void)
{
    static const size_t heaps[] = { 64 * 1024, 1024 * 1024 };
    printf("## efficiency: live payload / region bytes at the first failed allocation\n\n");
    printf("(allocate 8..1024 with p = 2/3, else free a random live block; mean of 50 seeds; "
           "%zu-bit build)\n\n", sizeof(void *) * 8);
    printf("| allocator | heap | mean | min | max |\n|---|---|---:|---:|---:|\n");
    for (size_t ai = 0; ai < N_ALLOCATORS; ai++) {
        if (allocators[ai].init == sys_init)
            continue; /* unbounded: the question does not apply */
        for (size_t hi = 0; hi < 2; hi++) {
            double sum = 0, lo = 1, hi_e = 0;
            for (uint64_t s = 1; s <= 50; s++) {
                double e = efficiency_once(&allocators[ai], heaps[hi], s * 0x9E3779B97F4A7C15ull);
                sum += e;
                lo = e < lo ? e : lo;
                hi_e = e > hi_e ? e : hi_e;
            }
            printf("| %s | %zu KiB | %.4f | %.4f | %.4f |\n", allocators[ai].name,
                   heaps[hi] / 1024, sum / 50, lo, hi_e);
        }
    }
    printf("\n");
}

static void bench_small(void)
{
    printf("## small blocks: allocations that fit in a 64 KiB region (%zu-bit build)\n\n",
           sizeof(void *) * 8);
    printf("| allocator | 1 B | 8 B | 24 B |\n|---|---:|---:|---:|\n");
    for (size_t ai = 0; ai < N_ALLOCATORS; ai++) {
        const bench_allocator *a = &allocators[ai];
        if (a->init == sys_init)
            continue;
        printf("| %s", a->name);
        static const size_t sizes[] = { 1, 8, 24 };
        for (int i = 0; i < 3; i++) {
            size_t n = 0;
            a->init(arena_mem, 64 * 1024);
            while (a->alloc(sizes[i]))
                n++;
            a->fini();
            printf(" | %zu", n);
        }
        printf(" |\n");
    }
    mk_heap_stats s;
    memkit_init(arena_mem, 64 * 1024);
    mk_heap_get_stats(&heap, 0, &s);
    printf("\nmemkit control state for a 64 KiB region: %zu bytes of region index + "
           "%zu bytes of mk_heap = %zu bytes\n\n",
           s.overhead_bytes, sizeof(mk_heap), s.overhead_bytes + sizeof(mk_heap));
}

/* The benchmark's entry point; `memkit bench` calls it too (argv[0] is the command). */
int heap_bench_main(int argc, char **argv);
int heap_bench_main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "all";
    arena_mem = aligned_alloc(4096, 16 * 1024 * 1024);
    if (!arena_mem)
        return 1;
    /* Fault every page in now: a microcontroller's RAM has no first-touch page faults,
     * and they would otherwise dominate the tail latencies of the larger heap. */
    memset(arena_mem, 0, 16 * 1024 * 1024);
    if (strcmp(what, "replay") == 0) {
        if (argc != 5) {
            fprintf(stderr, "usage: heap_bench replay ALLOCATOR MAXSIZE HEAPBYTES\n");
            return 2;
        }
        for (size_t ai = 0; ai < N_ALLOCATORS; ai++)
            if (strcmp(allocators[ai].name, argv[2]) == 0) {
                run_result r;
                make_sequence((size_t)atol(argv[3]));
                if (run_random(&allocators[ai], (size_t)atol(argv[4]), 0, &r) != 0)
                    return 1;
                printf("%s: %zu allocs, %zu failed, %zu frees\n", argv[2], r.allocs, r.failed,
                       r.frees);
                return 0;
            }
        fprintf(stderr, "unknown allocator '%s'\n", argv[2]);
        return 2;
    }
    printf("# mk_heap benchmark (%zu-bit, MK_ALIGN %zu)\n\n", sizeof(void *) * 8, (size_t)MK_ALIGN);
    int all = strcmp(what, "all") == 0;
    if (all || strcmp(what, "small") == 0)
        bench_small();
    if (all || strcmp(what, "efficiency") == 0)
        bench_efficiency();
    if (all || strcmp(what, "random") == 0)
        bench_random();
    free(arena_mem);
    return 0;
}

#ifndef HEAP_BENCH_NO_MAIN
int main(int argc, char **argv) { return heap_bench_main(argc, argv); }
#endif
