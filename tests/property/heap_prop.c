/* Property test: random alloc / aligned alloc / caps alloc / realloc / free across three
 * regions with different capabilities, checked against a shadow model after every
 * operation: alignment, region and caps, contents (a per-block pattern, which also
 * proves no two blocks overlap), usable size, statistics equal to the model; and
 * mk_heap_check every few thousand operations.
 * Usage: heap_prop [seeds [ops_per_seed]]  (defaults: 4 seeds x 1,000,000 ops) */
#include <stdint.h>
#include <string.h>

#include "memkit/memkit.h"
#include "test.h"

/* MEMKIT_SMALL_RAM: the Cortex-M0 board's 16 KiB of RAM holds the stack, the model and
 * the heap, so the regions shrink and the checks come more often. */
#ifdef MEMKIT_SMALL_RAM
enum { SLOTS = 64, CHECK_EVERY = 256, UNIT = 192 };
#else
enum { SLOTS = 512, CHECK_EVERY = 4096, UNIT = 4096 };
#endif

typedef struct slot {
    unsigned char *p;
    size_t size;       /* bytes requested */
    size_t align;      /* alignment requested */
    uint32_t tag;      /* pattern seed */
    int region;        /* index of the region it lies in */
} slot;

static struct {
    unsigned char *mem;
    size_t size;
    uint32_t caps;
} regions[3] = {
    { NULL, 12 * UNIT, MK_CAP_INTERNAL | MK_CAP_ATOMIC },
    { NULL, 6 * UNIT, MK_CAP_INTERNAL | MK_CAP_DMA | MK_CAP_ATOMIC },
    { NULL, 24 * UNIT, MK_CAP_EXTERNAL },
};

static slot slots[SLOTS];

/* The regions a heap of this configuration can hold; requests for the capabilities of
 * the missing ones fail, which the model counts like any failure. */
enum { NREGIONS = MK_HEAP_MAX_REGIONS < 3 ? MK_HEAP_MAX_REGIONS : 3 };

static int region_index(const void *p, size_t n)
{
    for (int i = 0; i < NREGIONS; i++)
        if ((const unsigned char *)p >= regions[i].mem &&
            (const unsigned char *)p + n <= regions[i].mem + regions[i].size)
            return i;
    return -1;
}

static unsigned char pattern(uint32_t tag, size_t i) { return (unsigned char)(tag + i * 131u); }

static void fill(slot *s)
{
    for (size_t i = 0; i < s->size; i++)
        s->p[i] = pattern(s->tag, i);
}

static int intact(const slot *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s->p[i] != pattern(s->tag, i))
            return 0;
    return 1;
}

/* Takes memory back from a heap that is no longer used: with MK_ASAN its free space
 * stays poisoned until its owner says otherwise. */
#if MK_ASAN
#include <sanitizer/asan_interface.h>
static void reclaim(void *mem, size_t size) { ASAN_UNPOISON_MEMORY_REGION(mem, size); }
#else
static void reclaim(void *mem, size_t size)
{
    (void)mem;
    (void)size;
}
#endif

/* Model state: live blocks and what the heap must report. */
static size_t model_live, model_allocs, model_frees, model_failed;

static void verify_new(slot *s, uint32_t caps)
{
    REQUIRE(s->p != NULL);
    CHECK(((uintptr_t)s->p & (s->align - 1)) == 0);
    CHECK(((uintptr_t)s->p & (MK_ALIGN - 1)) == 0);
    s->region = region_index(s->p, s->size ? s->size : 1);
    REQUIRE(s->region >= 0);
    CHECK((regions[s->region].caps & caps) == caps);
}

static void run_seed(unsigned long long seed, long ops)
{
    mk_heap h;
    mk_heap_init(&h);
    for (int i = 0; i < NREGIONS; i++) {
        /* Random bytes first: the heap must not depend on zeroed memory. */
        reclaim(regions[i].mem, regions[i].size);
        for (size_t j = 0; j < regions[i].size; j++)
            regions[i].mem[j] = (unsigned char)test_rand(&seed);
        REQUIRE(mk_heap_add_region(&h, regions[i].mem, regions[i].size, regions[i].caps) == MK_OK);
    }
    memset(slots, 0, sizeof slots);
    model_live = model_allocs = model_frees = model_failed = 0;
    uint32_t tag = (uint32_t)seed;
    static const uint32_t cap_choices[] = { 0, MK_CAP_DMA, MK_CAP_EXTERNAL, MK_CAP_ATOMIC,
                                            MK_CAP_INTERNAL | MK_CAP_DMA };

    for (long op = 0; op < ops; op++) {
        slot *s = &slots[test_range(&seed, 0, SLOTS - 1)];
        unsigned kind = (unsigned)test_range(&seed, 0, 9);
        /* Mostly small blocks, sometimes large ones, so the heap lives near full. */
        size_t size = test_range(&seed, 0, 9) < 8 ? test_range(&seed, 0, 256)
                                                  : test_range(&seed, 257, 6000);
        if (!s->p) {
            uint32_t caps = 0;
            s->align = MK_ALIGN;
            if (kind < 5) {
                s->p = mk_heap_alloc(&h, size);
            } else if (kind < 8) {
                s->align = (size_t)1 << test_range(&seed, 0, 12);
                s->p = mk_heap_alloc_aligned(&h, size, s->align);
                if (s->align < MK_ALIGN)
                    s->align = MK_ALIGN;
            } else {
                caps = cap_choices[test_range(&seed, 0, 4)];
                s->p = mk_heap_alloc_caps(&h, size, 0, caps);
            }
            if (!s->p) {
                model_failed++;
                continue;
            }
            s->size = size;
            s->tag = tag++;
            verify_new(s, caps);
            fill(s);
            model_allocs++;
            model_live++;
        } else if (kind < 3) {
            /* realloc: contents preserved up to the smaller size, caps of the region kept. */
            slot old = *s;
            uint32_t old_caps = regions[old.region].caps;
            unsigned char *q = mk_heap_realloc(&h, s->p, size ? size : 1);
            if (!q) {
                model_failed++;
                CHECK(intact(s, s->size));
                continue;
            }
            s->p = q;
            s->align = q == old.p ? old.align : MK_ALIGN;
            size_t keep = old.size < size ? old.size : size;
            CHECK(intact(s, keep));
            if (q != old.p) {
                model_allocs++;
                model_frees++;
            }
            s->size = size ? size : 1;
            verify_new(s, 0);
            CHECK((regions[s->region].caps & old_caps) == old_caps);
            fill(s);
        } else {
            CHECK(intact(s, s->size));
            CHECK(mk_heap_usable_size(&h, s->p) >= s->size);
            mk_heap_free(&h, s->p);
            s->p = NULL;
            model_frees++;
            model_live--;
        }

        mk_heap_stats st;
        mk_heap_get_stats(&h, 0, &st);
        /* Counters exist only with MK_STATS; the block census exists in every build. */
        int counters_ok = !MK_STATS || (st.alloc_count == model_allocs &&
                                        st.free_count == model_frees &&
                                        st.failed_count == model_failed &&
                                        st.peak_used_bytes >= st.used_bytes);
        if (st.used_blocks != model_live || !counters_ok ||
            st.used_bytes + st.free_bytes + st.overhead_bytes != st.total_bytes) {
            fprintf(stderr, "seed %llu op %ld: stats disagree with the model\n", seed, op);
            CHECK(0);
            return;
        }
        if (op % CHECK_EVERY == 0 && mk_heap_check(&h) != MK_OK) {
            fprintf(stderr, "seed %llu op %ld: check failed\n", seed, op);
            CHECK(0);
            return;
        }
    }
    /* Free everything: each region returns to one free block. */
    for (int i = 0; i < SLOTS; i++)
        if (slots[i].p) {
            CHECK(intact(&slots[i], slots[i].size));
            mk_heap_free(&h, slots[i].p);
        }
    mk_heap_stats st;
    mk_heap_get_stats(&h, 0, &st);
    CHECK(st.used_bytes == 0 && st.free_blocks == NREGIONS && st.used_blocks == 0);
    CHECK(mk_heap_check(&h) == MK_OK);
    printf("seed %llu: %ld ops, %zu allocs, %zu failed, peak %zu of %zu bytes\n", seed, ops,
           model_allocs, model_failed, st.peak_used_bytes, st.total_bytes);
}

int main(int argc, char **argv)
{
    int seeds = argc > 1 ? atoi(argv[1]) : 4;
    long ops = argc > 2 ? atol(argv[2]) : 1000000;
    for (int i = 0; i < 3; i++) {
        regions[i].mem = malloc(regions[i].size);
        REQUIRE(regions[i].mem != NULL);
    }
    for (int i = 0; i < seeds; i++)
        run_seed(0x9E3779B97F4A7C15ull * (unsigned long long)(i + 1), ops);
    for (int i = 0; i < 3; i++)
        free(regions[i].mem);
    TEST_MAIN_END();
}
