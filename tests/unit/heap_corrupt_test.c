/* Corruption: damaged headers, links, bitmaps and counters make mk_heap_check return
 * MK_ECORRUPT and name the fault; random scribbles never make it crash (run under ASan:
 * the region is an exact-size malloc block, so any stray read is caught). */
#include <stdint.h>
#include <string.h>

#include "internal/heap_layout.h"
#include "memkit/memkit.h"
#include "test.h"

static int faults;
static mk_heap_fault last_fault;
static void on_corrupt(void *ctx, mk_heap_fault kind, const void *ptr)
{
    (void)ctx;
    (void)ptr;
    faults++;
    last_fault = kind;
}
static const mk_heap_hooks hooks = { .corruption = on_corrupt };

/* MEMKIT_SMALL_RAM: two regions' worth must fit the Cortex-M0 board's 16 KiB of RAM. */
#ifdef MEMKIT_SMALL_RAM
enum { REGION = 4 * 1024, SLOTS = 24 };
#else
enum { REGION = 16 * 1024, SLOTS = 64 };
#endif

typedef struct fixture {
    mk_heap h;
    unsigned char *mem;
    void *slot[SLOTS];
} fixture;

/* A heap with a mix of used and free blocks. */
static void setup(fixture *f, unsigned long long seed)
{
    f->mem = malloc(REGION);
    REQUIRE(f->mem != NULL);
    memset(f->mem, 0xEE, REGION);
    mk_heap_init(&f->h);
    mk_heap_set_hooks(&f->h, &hooks);
    REQUIRE(mk_heap_add_region(&f->h, f->mem, REGION, 0) == MK_OK);
    for (int i = 0; i < SLOTS; i++)
        f->slot[i] = mk_heap_alloc(&f->h, test_range(&seed, 1, 300));
    for (int i = 0; i < SLOTS; i += 3) {
        mk_heap_free(&f->h, f->slot[i]);
        f->slot[i] = NULL;
    }
    REQUIRE(mk_heap_check(&f->h) == MK_OK);
    faults = 0;
}

static mk__heap_region *region_of(fixture *f) { return f->h.regions[0]; }

static void expect_fault(fixture *f, mk_heap_fault kind)
{
    int before = faults;
    CHECK(mk_heap_check(&f->h) == MK_ECORRUPT);
    CHECK(faults == before + 1);
    CHECK(last_fault == kind);
}

static void test_header_scribble(void)
{
    fixture f;
    setup(&f, 1);
    uint32_t *size_word = (uint32_t *)f.slot[1] - 1;
    uint32_t saved = *size_word;
    *size_word = saved + MK_ALIGN; /* block now claims its neighbour's first granule */
    expect_fault(&f, MK_FAULT_HEADER);
    *size_word = 0xFFFFFFF0u;
    expect_fault(&f, MK_FAULT_HEADER);
    *size_word = saved ^ MK__PREV_USED;
    expect_fault(&f, MK_FAULT_HEADER);
    *size_word = saved;
    CHECK(mk_heap_check(&f.h) == MK_OK);
    free(f.mem);
}

static void test_free_list_scribble(void)
{
    fixture f;
    setup(&f, 2);
    mk__heap_region *r = region_of(&f);
    /* The first free block's payload holds its list links. */
    uint32_t *links = NULL;
    for (uint32_t c = 0; c < r->nclasses && !links; c++)
        if (r->heads[c])
            links = mk__next_link(r, r->heads[c]);
    REQUIRE(links != NULL);
    uint32_t saved_next = links[0], saved_prev = links[1];
    links[0] = 0x7FFFFFF0u; /* next points outside the region */
    expect_fault(&f, MK_FAULT_FREE_LIST);
    links[0] = saved_next;
    links[1] = r->first; /* wrong back link */
    expect_fault(&f, MK_FAULT_FREE_LIST);
    links[1] = saved_prev;
    CHECK(mk_heap_check(&f.h) == MK_OK);

    /* A list that loops back on itself must not hang the check. */
    uint32_t head = 0;
    for (uint32_t c = 0; c < r->nclasses && !head; c++)
        head = r->heads[c];
    uint32_t *hn = mk__next_link(r, head);
    saved_next = *hn;
    *hn = head;
    expect_fault(&f, MK_FAULT_FREE_LIST);
    *hn = saved_next;
    CHECK(mk_heap_check(&f.h) == MK_OK);
    free(f.mem);
}

static void test_bitmap_and_stats_scribble(void)
{
    fixture f;
    setup(&f, 3);
    mk__heap_region *r = region_of(&f);
    r->map[0] ^= 1u << 2; /* a class with no block now claims one (or loses its bit) */
    expect_fault(&f, MK_FAULT_BITMAP);
    r->map[0] ^= 1u << 2;
    r->top ^= 1u << 3;
    expect_fault(&f, MK_FAULT_BITMAP);
    r->top ^= 1u << 3;
    CHECK(mk_heap_check(&f.h) == MK_OK);
#if MK_STATS
    r->used_bytes += 16;
    expect_fault(&f, MK_FAULT_STATS);
    r->used_bytes -= 16;
    f.h.used_bytes += 1;
    expect_fault(&f, MK_FAULT_STATS);
    f.h.used_bytes -= 1;
#endif
    CHECK(mk_heap_check(&f.h) == MK_OK);
    free(f.mem);
}

static void test_footer_and_sentinel(void)
{
    fixture f;
    setup(&f, 4);
    mk__heap_region *r = region_of(&f);
    uint32_t *sentinel = mk__word(r, r->end + MK__HDR - 4u);
    uint32_t saved = *sentinel;
    *sentinel = 0x40;
    expect_fault(&f, MK_FAULT_HEADER);
    *sentinel = saved;
    /* The footer of a free block. */
    uint32_t head = 0;
    for (uint32_t c = 0; c < r->nclasses && !head; c++)
        head = r->heads[c];
    uint32_t size = mk__size_word(r, head) & ~MK__FLAGS;
    uint32_t *footer = mk__word(r, head + size - 4u);
    *footer += 8;
    CHECK(mk_heap_check(&f.h) == MK_ECORRUPT);
    *footer -= 8;
    CHECK(mk_heap_check(&f.h) == MK_OK);
    free(f.mem);
}

/* Random scribbles over the whole region, index included: check must classify, not
 * crash; restoring the bytes must make the heap sound again. */
static void test_random_scribbles(void)
{
    unsigned long long seed = 0x5eed;
    int detected = 0, rounds = 3000;
    for (int round = 0; round < rounds; round++) {
        fixture f;
        setup(&f, seed + (unsigned long long)round);
        unsigned char *copy = malloc(REGION);
        REQUIRE(copy != NULL);
        memcpy(copy, f.mem, REGION);
        int writes = (int)test_range(&seed, 1, 4);
        for (int w = 0; w < writes; w++)
            f.mem[test_range(&seed, 0, REGION - 1)] = (unsigned char)test_rand(&seed);
        mk_err e = mk_heap_check(&f.h);
        CHECK(e == MK_OK || e == MK_ECORRUPT);
        detected += e == MK_ECORRUPT;
        mk_heap_stats s;
        mk_heap_get_stats(&f.h, 0, &s); /* must not crash either */
        memcpy(f.mem, copy, REGION);
        CHECK(mk_heap_check(&f.h) == MK_OK);
        free(copy);
        free(f.mem);
    }
    /* Most of the region is payload, so many scribbles are harmless; some must hit. */
    CHECK(detected > rounds / 50);
    printf("  %d of %d scribbled heaps reported corrupt\n", detected, rounds);
}

int main(void)
{
    RUN(test_header_scribble);
    RUN(test_free_list_scribble);
    RUN(test_bitmap_and_stats_scribble);
    RUN(test_footer_and_sentinel);
    RUN(test_random_scribbles);
    TEST_MAIN_END();
}
