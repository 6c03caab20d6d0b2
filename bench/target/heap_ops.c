/* Instructions per heap operation on an emulated target, exactly: N random alloc/free
 * operations on a 16 KiB and on a 1 MiB heap, each call bracketed by counter reads,
 * minimum / median / maximum of a single mk_heap_alloc and a single mk_heap_free. The
 * maximum is the figure that matters: it must not grow with the heap.
 * The counters and the QEMU options they need: counter.h.
 * The cost of the two counter reads alone is measured once and subtracted; what remains
 * is the call: argument set-up, the call, the function, the return.
 * Usage (argv through QEMU's -append): heap_ops [ops]   (default 1000000)
 * Exits non-zero if the heap fails its integrity check at the end. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "counter.h"
#include "memkit/heap.h"
#include "test.h"

enum { HIST = 2048, MAX_SLOTS = 4096 };

typedef struct dist {
    uint32_t hist[HIST]; /* how many operations took each count (the last: more) */
    uint32_t n, min, max;
} dist;

static void record(dist *d, uint32_t v)
{
    d->hist[v < HIST ? v : HIST - 1]++;
    d->min = d->n == 0 || v < d->min ? v : d->min;
    d->max = v > d->max ? v : d->max;
    d->n++;
}

static uint32_t median_of(const dist *d)
{
    uint32_t seen = 0;
    for (uint32_t v = 0; v < HIST; v++) {
        seen += d->hist[v];
        if (seen > d->n / 2)
            return v;
    }
    return HIST - 1;
}

static mk_heap heap;
static void *slot[MAX_SLOTS];
static dist alloc_d, free_d;
MK_HEAP_REGION(big, 1024 * 1024, );

/* The heap near full: half the slots live on average, mostly small blocks and one in
 * eight up to 4 KiB, so allocations also fail and free blocks split and merge. */
static void run(size_t heap_size, size_t slots, unsigned long ops, uint32_t overhead)
{
    mk_heap_init(&heap);
    REQUIRE(mk_heap_add_region(&heap, big, heap_size, 0) == MK_OK);
    for (size_t i = 0; i < slots; i++)
        slot[i] = NULL;
    alloc_d = (dist){ { 0 }, 0, 0, 0 };
    free_d = (dist){ { 0 }, 0, 0, 0 };
    unsigned long long seed = 0x2545F4914F6CDD1Dull;
    unsigned long failed = 0;
    for (unsigned long op = 0; op < ops; op++) {
        void **s = &slot[test_range(&seed, 0, slots - 1)];
        if (*s == NULL) {
            size_t size = test_range(&seed, 0, 7) ? test_range(&seed, 1, 256)
                                                  : test_range(&seed, 257, 4096);
            uint32_t t0 = counter();
            void *p = mk_heap_alloc(&heap, size);
            uint32_t t1 = counter();
            record(&alloc_d, counted(t0, t1) - overhead);
            failed += p == NULL;
            *s = p;
        } else {
            uint32_t t0 = counter();
            mk_heap_free(&heap, *s);
            uint32_t t1 = counter();
            record(&free_d, counted(t0, t1) - overhead);
            *s = NULL;
        }
    }
    REQUIRE(mk_heap_check(&heap) == MK_OK);
    printf("| %4zu KiB | %4zu | %7lu | %3u | %3u | %3u | %7lu | %3u | %3u | %3u |\n",
           heap_size / 1024, slots, (unsigned long)alloc_d.n, (unsigned)alloc_d.min,
           (unsigned)median_of(&alloc_d), (unsigned)alloc_d.max, failed,
           (unsigned)free_d.min, (unsigned)median_of(&free_d), (unsigned)free_d.max);
}

int main(int argc, char **argv)
{
    unsigned long ops = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000ul;
    counter_start();
    uint32_t overhead = counter_overhead();
    printf("%lu operations per heap; counter overhead %u subtracted\n", ops,
           (unsigned)overhead);
    printf("| heap | slots | allocs | min | median | max | failed | free min | median | "
           "max |\n|---|---|---|---|---|---|---|---|---|---|\n");
    run(16 * 1024, 96, ops, overhead);
    run(1024 * 1024, MAX_SLOTS, ops, overhead);
    TEST_MAIN_END();
}
