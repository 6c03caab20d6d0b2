/* The global allocator through its mk_global_* API (the test's own malloc is untouched):
 * the malloc family's contracts, capabilities, preference lists and growth. */
#include <stdint.h>
#include <string.h>

#include "memkit/global.h"
#include "test.h"

static _Alignas(64) unsigned char ram[64 * 1024];
static _Alignas(64) unsigned char dma[16 * 1024];
static _Alignas(64) unsigned char spare[3][128 * 1024];

static int faults;
static const void *fault_ptr;
static void on_corruption(void *ctx, mk_heap_fault kind, const void *ptr)
{
    (void)ctx;
    (void)kind;
    faults++;
    fault_ptr = ptr;
}
static const mk_heap_hooks hooks = { .corruption = on_corruption };

/* A fresh global heap: `ram` (internal) and `dma` (internal + DMA), filled with garbage
 * first so that calloc has something to clear. */
static void setup(void)
{
    memset(ram, 0xAA, sizeof ram);
    memset(dma, 0x55, sizeof dma);
    mk_global_init();
    mk_global_set_hooks(&hooks);
    REQUIRE(mk_global_add_region(ram, sizeof ram, MK_CAP_INTERNAL) == MK_OK);
    REQUIRE(mk_global_add_region(dma, sizeof dma, MK_CAP_INTERNAL | MK_CAP_DMA) == MK_OK);
    faults = 0;
}

static int in(const void *p, const unsigned char *buf, size_t size)
{
    return (const unsigned char *)p >= buf && (const unsigned char *)p < buf + size;
}

static size_t used_blocks(void)
{
    mk_heap_stats s;
    mk_heap_get_stats(mk_global_heap(), 0, &s);
    return s.used_blocks;
}

static void test_no_region_no_memory(void)
{
    mk_global_init();
    CHECK(mk_global_malloc(1) == NULL);
    CHECK(mk_global_calloc(1, 1) == NULL);
    void *p = &p;
    CHECK(mk_global_memalign(&p, 64, 8) == MK_ENOMEM && p == (void *)&p);
    CHECK(mk_global_add_region(NULL, 100, 0) == MK_EINVAL);
}

static void test_malloc_free(void)
{
    setup();
    unsigned char *a = mk_global_malloc(100);
    unsigned char *b = mk_global_malloc(0);
    REQUIRE(a && b && a != b);
    CHECK((uintptr_t)a % MK_ALIGN == 0 && (uintptr_t)b % MK_ALIGN == 0);
    CHECK(mk_global_usable_size(a) >= 100 && mk_global_usable_size(b) > 0);
    memset(a, 1, 100);
    CHECK(used_blocks() == 2);
    mk_global_free(a);
    mk_global_free(b);
    mk_global_free(NULL);
    CHECK(used_blocks() == 0 && faults == 0);
    CHECK(mk_global_usable_size(NULL) == 0);
    CHECK(mk_heap_check(mk_global_heap()) == MK_OK);
}

static void test_calloc_zeroes_and_checks_overflow(void)
{
    setup();
    unsigned char *p = mk_global_calloc(100, 7);
    REQUIRE(p != NULL);
    size_t nonzero = 0;
    for (size_t i = 0; i < 700; i++)
        nonzero += p[i] != 0;
    CHECK(nonzero == 0);
    CHECK(mk_global_calloc(SIZE_MAX / 2, 3) == NULL);
    CHECK(mk_global_calloc((size_t)1 << (sizeof(size_t) * 4), (size_t)1 << (sizeof(size_t) * 4)) == NULL);
    void *z = mk_global_calloc(0, 5);
    CHECK(z != NULL);
    mk_global_free(z);
    mk_global_free(p);
    CHECK(used_blocks() == 0);
}

static void test_realloc(void)
{
    setup();
    unsigned char *p = mk_global_realloc(NULL, 40);
    REQUIRE(p != NULL);
    for (int i = 0; i < 40; i++)
        p[i] = (unsigned char)i;
    /* Block the successor so that growing must move. */
    void *wall = mk_global_malloc(16);
    unsigned char *q = mk_global_realloc(p, 4000);
    REQUIRE(q != NULL);
    CHECK(q != p);
    int same = 1;
    for (int i = 0; i < 40; i++)
        same &= q[i] == (unsigned char)i;
    CHECK(same);
    unsigned char *r = mk_global_realloc(q, 10); /* shrinking stays in place */
    CHECK(r == q && r[9] == 9);
    CHECK(mk_global_realloc(r, 0) == NULL);
    CHECK(used_blocks() == 1);
    /* Too large for any region: NULL, the block untouched. */
    unsigned char *s = mk_global_malloc(8);
    REQUIRE(s != NULL);
    s[0] = 42;
    CHECK(mk_global_realloc(s, sizeof ram) == NULL && s[0] == 42);
    CHECK(mk_global_realloc(s, SIZE_MAX) == NULL && s[0] == 42);
    mk_global_free(s);
    mk_global_free(wall);
    CHECK(used_blocks() == 0 && faults == 0);
}

static void test_bad_pointers_are_reported(void)
{
    setup();
    int local = 0;
    mk_global_free(&local);
    CHECK(faults == 1 && fault_ptr == &local);
    CHECK(mk_global_realloc(&local, 10) == NULL && faults == 2);
    CHECK(mk_global_usable_size(&local) == 0 && faults == 3);
    void *p = mk_global_malloc(32);
    mk_global_free(p);
    mk_global_free(p);
    CHECK(faults == 4 && fault_ptr == p);
    CHECK(mk_global_realloc(p, 64) == NULL && faults == 5);
    CHECK(mk_heap_check(mk_global_heap()) == MK_OK);
}

static void test_memalign(void)
{
    setup();
    for (size_t align = 1; align <= 4096; align *= 2) {
        void *p = NULL;
        CHECK(mk_global_memalign(&p, align, 24) == MK_OK);
        CHECK(p != NULL && (uintptr_t)p % align == 0);
        mk_global_free(p);
    }
    void *p = NULL;
    CHECK(mk_global_memalign(&p, 0, 24) == MK_OK && (uintptr_t)p % MK_ALIGN == 0);
    mk_global_free(p);
    void *keep = &keep;
    CHECK(mk_global_memalign(&keep, 48, 24) == MK_EINVAL && keep == (void *)&keep);
    CHECK(mk_global_memalign(&keep, (size_t)1 << 31, 24) == MK_EINVAL);
    CHECK(mk_global_memalign(NULL, 64, 24) == MK_EINVAL);
    CHECK(mk_global_memalign(&keep, 64, sizeof ram) == MK_ENOMEM && keep == (void *)&keep);
    CHECK(used_blocks() == 0);
}

static void test_caps(void)
{
    setup();
    void *d = mk_malloc_caps(100, MK_CAP_DMA);
    void *i = mk_malloc_caps(100, MK_CAP_INTERNAL);
    void *any = mk_malloc_caps(100, 0);
    CHECK(in(d, dma, sizeof dma));
    CHECK(in(i, ram, sizeof ram) && in(any, ram, sizeof ram));
    CHECK(mk_malloc_caps(16, MK_CAP_EXEC) == NULL);
    mk_global_free(d);
    mk_global_free(i);
    mk_global_free(any);
    CHECK(used_blocks() == 0);
}

static void test_prefer_falls_back_in_order(void)
{
    setup();
    const uint32_t order[] = { MK_CAP_DMA, MK_CAP_INTERNAL };
    void *first = mk_malloc_prefer(4096, 2, order);
    CHECK(in(first, dma, sizeof dma));
    /* DMA RAM cannot hold another 12 KiB: the second preference serves it. */
    void *second = MK_MALLOC_PREFER(12 * 1024, MK_CAP_DMA, MK_CAP_INTERNAL);
    CHECK(in(second, ram, sizeof ram));
    CHECK(MK_MALLOC_PREFER(16, MK_CAP_EXEC, MK_CAP_EXTERNAL) == NULL);
    CHECK(mk_malloc_prefer(16, 0, order) == NULL);
    CHECK(mk_malloc_prefer(16, 2, NULL) == NULL);
    void *last = MK_MALLOC_PREFER(16, MK_CAP_EXEC, 0);
    CHECK(last != NULL);
    mk_global_free(first);
    mk_global_free(second);
    mk_global_free(last);
    CHECK(used_blocks() == 0);
}

/* A grow function handing out the spare buffers one at a time, counting its calls. */
static int grow_calls;
static size_t grow_size;
static uint32_t grow_caps;
static bool grow(size_t size, size_t align, uint32_t caps)
{
    grow_calls++;
    grow_size = size;
    grow_caps = caps;
    CHECK(align >= MK_ALIGN);
    if (grow_calls > 3)
        return false;
    return mk_global_add_region(spare[grow_calls - 1], sizeof spare[0], caps) == MK_OK;
}

static void test_grow(void)
{
    setup();
    mk_global_set_grow(grow);
    grow_calls = 0;
    void *small = mk_global_malloc(1000);
    CHECK(small != NULL && grow_calls == 0);
    /* Larger than both regions: one call, then the new region serves it. */
    void *big = mk_global_malloc(100 * 1024);
    CHECK(grow_calls == 1 && grow_size == 100 * 1024);
    CHECK(in(big, spare[0], sizeof spare[0]));
    void *dmabig = mk_malloc_caps(90 * 1024, MK_CAP_DMA);
    CHECK(grow_calls == 2 && grow_caps == MK_CAP_DMA && in(dmabig, spare[1], sizeof spare[1]));
    void *aligned = NULL;
    CHECK(mk_global_memalign(&aligned, 4096, 100 * 1024) == MK_OK && grow_calls == 3);
    CHECK(in(aligned, spare[2], sizeof spare[2]) && (uintptr_t)aligned % 4096 == 0);
    /* The grow function refuses now: exactly one call per failing request. */
    CHECK(mk_global_malloc(100 * 1024) == NULL && grow_calls == 4);
    CHECK(MK_MALLOC_PREFER(100 * 1024, MK_CAP_EXTERNAL, MK_CAP_DMA) == NULL && grow_calls == 5);
    CHECK(grow_caps == MK_CAP_EXTERNAL);
    /* A grown realloc moves into new room. */
    mk_global_free(big);
    void *moved = mk_global_realloc(small, 110 * 1024);
    CHECK(in(moved, spare[0], sizeof spare[0]));
    mk_global_free(moved);
    mk_global_free(dmabig);
    mk_global_free(aligned);
    CHECK(used_blocks() == 0 && faults == 0);
    CHECK(mk_heap_check(mk_global_heap()) == MK_OK);
    mk_global_init(); /* forgets the grow function too */
    CHECK(mk_global_malloc(1) == NULL && grow_calls == 5);
}

int main(void)
{
    RUN(test_no_region_no_memory);
    RUN(test_malloc_free);
    RUN(test_calloc_zeroes_and_checks_overflow);
    RUN(test_realloc);
    RUN(test_bad_pointers_are_reported);
    RUN(test_memalign);
    RUN(test_caps);
    RUN(test_prefer_falls_back_in_order);
    RUN(test_grow);
    TEST_MAIN_END();
}
