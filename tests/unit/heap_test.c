/* Unit tests for every mk_heap function and error path. Built twice: plain and with
 * MK_CHECKED=1 (the misuse cases that only checked mode catches are under #if). */
#include <stdint.h>
#include <string.h>

#include "memkit/memkit.h"
#include "test.h"

MK_HEAP_REGION(static_region, 8192, );
MK_HEAP_REGION(section_region, 4096, MK_SECTION(".mk_test_region"));

static _Alignas(4096) unsigned char ram_a[64 * 1024];
static _Alignas(4096) unsigned char ram_b[32 * 1024];
static _Alignas(4096) unsigned char ram_c[32 * 1024];

/* Records what the hooks saw. */
typedef struct hook_log {
    int failed, corrupt, emptied, locks, unlocks, depth_at_hook;
    void *emptied_mem;
    size_t size, align;
    uint32_t caps;
    mk_err why;
    mk_heap_fault fault;
    const void *ptr;
} hook_log;
static hook_log hl;

static void h_lock(void *ctx) { (void)ctx; hl.locks++; }
static void h_unlock(void *ctx) { (void)ctx; hl.unlocks++; }
static void h_failed(void *ctx, size_t size, size_t align, uint32_t caps, mk_err why)
{
    (void)ctx;
    hl.failed++;
    hl.size = size;
    hl.align = align;
    hl.caps = caps;
    hl.why = why;
    hl.depth_at_hook = hl.locks - hl.unlocks;
}
static void h_corrupt(void *ctx, mk_heap_fault kind, const void *ptr)
{
    (void)ctx;
    hl.corrupt++;
    hl.fault = kind;
    hl.ptr = ptr;
    hl.depth_at_hook = hl.locks - hl.unlocks;
}
static void h_empty(void *ctx, void *mem)
{
    (void)ctx;
    hl.emptied++;
    hl.emptied_mem = mem;
    hl.depth_at_hook = hl.locks - hl.unlocks;
}
static const mk_heap_hooks hooks = {
    .lock = h_lock, .unlock = h_unlock, .alloc_failed = h_failed, .corruption = h_corrupt,
    .region_empty = h_empty,
};

static void fresh(mk_heap *h, unsigned char *mem, size_t size, uint32_t caps)
{
    memset(&hl, 0, sizeof hl);
    mk_heap_init(h);
    mk_heap_set_hooks(h, &hooks);
    REQUIRE(mk_heap_add_region(h, mem, size, caps) == MK_OK);
}

static bool in(const void *p, const unsigned char *mem, size_t size)
{
    return (const unsigned char *)p >= mem && (const unsigned char *)p < mem + size;
}

static void test_strerror(void)
{
    for (int e = MK_OK; e < MK_ERR_COUNT_; e++)
        CHECK(strncmp(mk_strerror((mk_err)e), "MK_", 3) == 0);
    CHECK(strcmp(mk_strerror((mk_err)999), "unknown error") == 0);
    CHECK(strcmp(mk_heap_fault_name(MK_FAULT_DOUBLE_FREE), "double free") == 0);
    CHECK(strcmp(mk_heap_fault_name((mk_heap_fault)99), "unknown fault") == 0);
}

static void test_add_region_errors(void)
{
    mk_heap h;
    mk_heap_init(&h);
    CHECK(mk_heap_add_region(NULL, ram_a, sizeof ram_a, 0) == MK_EINVAL);
    CHECK(mk_heap_add_region(&h, NULL, 1024, 0) == MK_EINVAL);
    CHECK(mk_heap_add_region(&h, ram_a, 16, 0) == MK_ETOOSMALL);
    CHECK(mk_heap_add_region(&h, ram_a, 100, 0) == MK_ETOOSMALL); /* index does not fit */
    CHECK(mk_heap_add_region(&h, (void *)(UINTPTR_MAX - 64), 4096, 0) == MK_ERANGE);
#if UINTPTR_MAX > 0xffffffffu
    CHECK(mk_heap_add_region(&h, ram_a, (size_t)1 << 33, 0) == MK_ERANGE);
#endif
    CHECK(h.nregions == 0);
    CHECK(mk_heap_add_region(&h, ram_a, sizeof ram_a, 0) == MK_OK);
    CHECK(mk_heap_add_region(&h, ram_a + 100, 1000, 0) == MK_EOVERLAP);
    CHECK(mk_heap_add_region(&h, ram_a + sizeof ram_a - 1, 4096, 0) == MK_EOVERLAP);
    /* Fill up to the limit with small slices of ram_b. */
    unsigned added = 1;
    for (size_t off = 0; added < MK_HEAP_MAX_REGIONS; off += 1024, added++)
        CHECK(mk_heap_add_region(&h, ram_b + off, 1024, 0) == MK_OK);
    CHECK(mk_heap_add_region(&h, ram_c, sizeof ram_c, 0) == MK_ELIMIT);
    CHECK(mk_heap_check(&h) == MK_OK);
}

static void test_static_regions(void)
{
    mk_heap h;
    fresh(&h, static_region, sizeof static_region, MK_CAP_INTERNAL);
    CHECK(((uintptr_t)static_region & (MK_ALIGN - 1)) == 0);
    CHECK(mk_heap_add_region(&h, section_region, sizeof section_region, MK_CAP_DMA) == MK_OK);
    void *p = mk_heap_alloc_caps(&h, 100, 0, MK_CAP_DMA);
    CHECK(in(p, section_region, sizeof section_region));
    mk_heap_free(&h, p);
    CHECK(mk_heap_check(&h) == MK_OK);
}

static void test_basic_alloc_free(void)
{
    mk_heap h;
    fresh(&h, ram_a, sizeof ram_a, 0);
    mk_heap_stats s0;
    mk_heap_get_stats(&h, 0, &s0);
    CHECK(s0.total_bytes == sizeof ram_a);
    CHECK(s0.used_bytes == 0 && s0.free_blocks == 1 && s0.regions == 1);
    CHECK(s0.free_bytes + s0.overhead_bytes == s0.total_bytes);
    CHECK(s0.overhead_bytes < 512);

    void *z = mk_heap_alloc(&h, 0);
    CHECK(z != NULL);
    /* MK_CHECKED=2 reports exactly the request (its tail guard records it). */
    CHECK(MK_CHECKED >= 2 ? mk_heap_usable_size(&h, z) == 0 : mk_heap_usable_size(&h, z) >= 1);
    for (size_t n = 1; n < 300; n++) {
        unsigned char *p = mk_heap_alloc(&h, n);
        REQUIRE(p != NULL);
        CHECK(((uintptr_t)p & (MK_ALIGN - 1)) == 0);
        CHECK(in(p, ram_a, sizeof ram_a) && in(p + n - 1, ram_a, sizeof ram_a));
        size_t u = mk_heap_usable_size(&h, p);
        CHECK(u >= n && u < n + 2 * MK_ALIGN + 16);
        memset(p, 0xA5, u);
        mk_heap_free(&h, p);
    }
    mk_heap_free(&h, z);
    mk_heap_free(&h, NULL);
    CHECK(mk_heap_usable_size(&h, NULL) == 0);
    mk_heap_stats s1;
    mk_heap_get_stats(&h, 0, &s1);
    CHECK(s1.used_bytes == 0 && s1.free_blocks == 1);
    CHECK(s1.free_bytes == s0.free_bytes);
    CHECK(s1.alloc_count == 300 && s1.free_count == 300);
    CHECK(s1.peak_used_bytes > 0);
    CHECK(hl.corrupt == 0 && hl.failed == 0);
    CHECK(hl.locks == hl.unlocks && hl.locks > 0);
    CHECK(mk_heap_check(&h) == MK_OK);
}

static void test_min_block_and_overhead(void)
{
    /* One-byte allocations cost a 16-byte block: a 4-byte header and 12 bytes of payload
     * (8-byte header with MK_CHECKED). */
    mk_heap h;
    fresh(&h, ram_a, sizeof ram_a, 0);
    unsigned char *a = mk_heap_alloc(&h, 1);
    unsigned char *b = mk_heap_alloc(&h, 1);
    REQUIRE(a && b);
    size_t hdr = MK_CHECKED ? 8 : 4;
    size_t min_block = (hdr + 12 + MK_ALIGN - 1) & ~(MK_ALIGN - 1);
    size_t stride = (size_t)(b - a);
    CHECK(stride == (min_block < 16 ? 16 : min_block));
    CHECK(MK_CHECKED || stride == 16);
    CHECK(mk_heap_usable_size(&h, a) == (MK_CHECKED >= 2 ? 1 : stride - hdr));
    mk_heap_free(&h, a);
    mk_heap_free(&h, b);
    CHECK(mk_heap_check(&h) == MK_OK);
}

static void test_bad_requests(void)
{
    mk_heap h;
    fresh(&h, ram_a, sizeof ram_a, MK_CAP_INTERNAL);
    CHECK(mk_heap_alloc(&h, SIZE_MAX) == NULL);
    CHECK(hl.failed == 1 && hl.why == MK_ERANGE && hl.size == SIZE_MAX);
    CHECK(hl.depth_at_hook == 0);
    CHECK(mk_heap_alloc(&h, SIZE_MAX - 8) == NULL && hl.why == MK_ERANGE);
    CHECK(mk_heap_alloc_aligned(&h, 16, 24) == NULL);
    CHECK(hl.why == MK_EINVAL && hl.align == 24);
    CHECK(mk_heap_alloc_aligned(&h, 16, 3) == NULL && hl.why == MK_EINVAL);
    CHECK(mk_heap_alloc_aligned(&h, SIZE_MAX - 100, 64) == NULL && hl.why == MK_ERANGE);
    CHECK(mk_heap_alloc(&h, sizeof ram_a) == NULL && hl.why == MK_ENOMEM);
    CHECK(mk_heap_alloc_caps(&h, 8, 0, MK_CAP_DMA) == NULL);
    CHECK(hl.why == MK_ENOCAPS && hl.caps == MK_CAP_DMA);
    mk_heap_stats s;
    mk_heap_get_stats(&h, 0, &s);
    CHECK(s.failed_count == 7 && s.used_bytes == 0);
    CHECK(mk_heap_check(&h) == MK_OK);

    mk_heap empty;
    mk_heap_init(&empty);
    CHECK(mk_heap_alloc(&empty, 8) == NULL);
    mk_heap_get_stats(&empty, 0, &s);
    CHECK(s.total_bytes == 0 && s.failed_count == 1);
}

static void test_aligned(void)
{
    mk_heap h;
    fresh(&h, ram_a, sizeof ram_a, 0);
    void *ps[32];
    int n = 0;
    for (size_t align = 1; align <= 4096; align <<= 1) {
        for (size_t size = 1; size <= 700; size += 233) {
            unsigned char *p = mk_heap_alloc_aligned(&h, size, align);
            REQUIRE(p != NULL);
            CHECK(((uintptr_t)p & (align - 1)) == 0);
            CHECK(((uintptr_t)p & (MK_ALIGN - 1)) == 0);
            CHECK(mk_heap_usable_size(&h, p) >= size);
            memset(p, 0x5A, size);
            if (n < 32)
                ps[n++] = p;
            else
                mk_heap_free(&h, p);
        }
        CHECK(mk_heap_check(&h) == MK_OK);
    }
    for (int i = 0; i < n; i++)
        mk_heap_free(&h, ps[i]);
    /* align 0 means the default. */
    void *d = mk_heap_alloc_aligned(&h, 10, 0);
    CHECK(d && ((uintptr_t)d & (MK_ALIGN - 1)) == 0);
    mk_heap_free(&h, d);
    /* A large alignment from a region that can hold it. */
    void *big = mk_heap_alloc_aligned(&h, 100, 16384);
    CHECK(big && ((uintptr_t)big & 16383u) == 0);
    mk_heap_free(&h, big);
    mk_heap_stats s;
    mk_heap_get_stats(&h, 0, &s);
    CHECK(s.used_bytes == 0 && s.free_blocks == 1);
    CHECK(mk_heap_check(&h) == MK_OK);
}

static void test_caps_and_regions(void)
{
    mk_heap h;
    fresh(&h, ram_a, sizeof ram_a, MK_CAP_INTERNAL);
    REQUIRE(mk_heap_add_region(&h, ram_b, sizeof ram_b, MK_CAP_INTERNAL | MK_CAP_DMA) == MK_OK);
    REQUIRE(mk_heap_add_region(&h, ram_c, sizeof ram_c, MK_CAP_EXTERNAL) == MK_OK);
    void *p = mk_heap_alloc(&h, 100);
    CHECK(in(p, ram_a, sizeof ram_a)); /* regions are tried in order */
    void *d = mk_heap_alloc_caps(&h, 100, 0, MK_CAP_DMA);
    CHECK(in(d, ram_b, sizeof ram_b));
    void *di = mk_heap_alloc_caps(&h, 100, 64, MK_CAP_DMA | MK_CAP_INTERNAL);
    CHECK(in(di, ram_b, sizeof ram_b) && ((uintptr_t)di & 63) == 0);
    void *e = mk_heap_alloc_caps(&h, 100, 0, MK_CAP_EXTERNAL);
    CHECK(in(e, ram_c, sizeof ram_c));
    CHECK(mk_heap_alloc_caps(&h, 100, 0, MK_CAP_EXTERNAL | MK_CAP_DMA) == NULL);
    CHECK(hl.why == MK_ENOCAPS);
    /* A DMA request that does not fit in the DMA region fails with ENOMEM. */
    CHECK(mk_heap_alloc_caps(&h, 40000, 0, MK_CAP_DMA) == NULL && hl.why == MK_ENOMEM);
    /* A plain request too big for ram_a spills to the next region that fits. */
    void *spill = mk_heap_alloc(&h, 30000);
    CHECK(in(spill, ram_a, sizeof ram_a));
    void *spill2 = mk_heap_alloc(&h, 40000);
    CHECK(spill2 == NULL); /* 64 KiB region has ~34 KiB left; others are 32 KiB */
    void *spill3 = mk_heap_alloc(&h, 31000);
    CHECK(in(spill3, ram_a, sizeof ram_a));
    void *spill4 = mk_heap_alloc(&h, 20000);
    CHECK(in(spill4, ram_b, sizeof ram_b));

    mk_heap_stats all, dma, ext, intl;
    mk_heap_get_stats(&h, 0, &all);
    mk_heap_get_stats(&h, MK_CAP_DMA, &dma);
    mk_heap_get_stats(&h, MK_CAP_EXTERNAL, &ext);
    mk_heap_get_stats(&h, MK_CAP_INTERNAL, &intl);
    CHECK(all.regions == 3 && dma.regions == 1 && ext.regions == 1 && intl.regions == 2);
    CHECK(all.used_bytes == dma.used_bytes + ext.used_bytes +
                                (intl.used_bytes - dma.used_bytes));
    CHECK(dma.used_blocks == 3 && ext.used_blocks == 1 && all.used_blocks == 7);
    CHECK(dma.total_bytes == sizeof ram_b);
    CHECK(all.total_bytes == sizeof ram_a + sizeof ram_b + sizeof ram_c);
    CHECK(dma.peak_used_bytes == dma.used_bytes);
    CHECK(all.peak_used_bytes >= all.used_bytes);

    /* Walk: each block reported once, in its region, sums match the stats. */
    mk_heap_free(&h, p);
    mk_heap_free(&h, d);
    mk_heap_free(&h, di);
    mk_heap_free(&h, e);
    mk_heap_free(&h, spill);
    mk_heap_free(&h, spill3);
    mk_heap_free(&h, spill4);
    mk_heap_get_stats(&h, 0, &all);
    CHECK(all.used_bytes == 0 && all.free_blocks == 3);
    CHECK(mk_heap_check(&h) == MK_OK);
}

static void test_region_added_later(void)
{
    mk_heap h;
    fresh(&h, ram_b, sizeof ram_b, MK_CAP_INTERNAL);
    void *ps[64];
    int n = 0;
    while ((ps[n] = mk_heap_alloc(&h, 1000)) != NULL)
        n++;
    CHECK(n > 20 && n < 40);
    CHECK(hl.why == MK_ENOMEM);
    REQUIRE(mk_heap_add_region(&h, ram_c, sizeof ram_c, MK_CAP_INTERNAL) == MK_OK);
    void *q = mk_heap_alloc(&h, 1000);
    CHECK(in(q, ram_c, sizeof ram_c));
    mk_heap_free(&h, q);
    for (int i = 0; i < n; i++)
        mk_heap_free(&h, ps[i]);
    CHECK(mk_heap_check(&h) == MK_OK);
}

/* The hook fires when the last live block of a region goes, whichever neighbour it merges
 * with; removal refuses a region with a live block and leaves the others usable. */
static void test_remove_region(void)
{
    mk_heap h;
    fresh(&h, ram_a, sizeof ram_a, 0);
    REQUIRE(mk_heap_add_region(&h, ram_b + 8, sizeof ram_b - 8, MK_CAP_DMA) == MK_OK);
    REQUIRE(mk_heap_add_region(&h, ram_c, sizeof ram_c, 0) == MK_OK);
    CHECK(mk_heap_remove_region(NULL, ram_a) == MK_EINVAL);
    CHECK(mk_heap_remove_region(&h, NULL) == MK_EINVAL);
    CHECK(mk_heap_remove_region(&h, ram_b) == MK_EINVAL); /* added at ram_b + 8 */
    CHECK(mk_heap_remove_region(&h, ram_a + 64) == MK_EINVAL);

    void *d[3];
    for (int i = 0; i < 3; i++)
        d[i] = mk_heap_alloc_caps(&h, 200, 0, MK_CAP_DMA);
    CHECK(in(d[0], ram_b, sizeof ram_b) && in(d[2], ram_b, sizeof ram_b));
    void *a = mk_heap_alloc(&h, 100);
    CHECK(in(a, ram_a, sizeof ram_a));
    CHECK(mk_heap_remove_region(&h, ram_b + 8) == MK_EBUSY);
    mk_heap_free(&h, d[1]); /* merges with neither neighbour */
    mk_heap_free(&h, d[0]); /* with its successor */
    CHECK(hl.emptied == 0);
    CHECK(mk_heap_remove_region(&h, ram_b + 8) == MK_EBUSY);
    mk_heap_free(&h, d[2]); /* with both */
    CHECK(hl.emptied == 1 && hl.emptied_mem == ram_b + 8 && hl.depth_at_hook == 0);
    CHECK(mk_heap_remove_region(&h, ram_b + 8) == MK_OK);
    CHECK(mk_heap_remove_region(&h, ram_b + 8) == MK_EINVAL);
    CHECK(mk_heap_check(&h) == MK_OK);

    mk_heap_stats s;
    mk_heap_get_stats(&h, 0, &s);
    CHECK(s.regions == 2 && s.used_blocks == 1);
    CHECK(mk_heap_alloc_caps(&h, 16, 0, MK_CAP_DMA) == NULL && hl.why == MK_ENOCAPS);
    memset(ram_b, 0x5a, sizeof ram_b); /* the caller's memory again */
    void *c = mk_heap_alloc(&h, 20000);
    CHECK(in(c, ram_a, sizeof ram_a));
    mk_heap_free(&h, c);
    CHECK(mk_heap_check(&h) == MK_OK);

    /* A realloc that moves the last block out of a region empties it too. */
    void *filler = mk_heap_alloc(&h, 60000);
    REQUIRE(filler && in(filler, ram_a, sizeof ram_a));
    void *m = mk_heap_alloc(&h, 8000);
    CHECK(in(m, ram_c, sizeof ram_c));
    mk_heap_free(&h, filler);
    hl.emptied = 0;
    m = mk_heap_realloc(&h, m, 40000); /* more than ram_c holds */
    CHECK(in(m, ram_a, sizeof ram_a));
    CHECK(hl.emptied == 1 && hl.emptied_mem == ram_c && hl.depth_at_hook == 0);
    mk_heap_free(&h, m);
    mk_heap_free(&h, a);
    CHECK(hl.emptied == 2 && hl.emptied_mem == ram_a);
    CHECK(mk_heap_remove_region(&h, ram_a) == MK_OK);
    CHECK(mk_heap_remove_region(&h, ram_c) == MK_OK);
    mk_heap_get_stats(&h, 0, &s);
    CHECK(s.regions == 0 && s.used_bytes == 0 && s.used_blocks == 0);
#if MK_STATS
    CHECK(s.alloc_count == 8 && s.free_count == 8 && s.peak_used_bytes >= 60000);
#endif
    CHECK(mk_heap_alloc(&h, 8) == NULL);
    REQUIRE(mk_heap_add_region(&h, ram_b, sizeof ram_b, MK_CAP_DMA) == MK_OK);
    CHECK(mk_heap_alloc_caps(&h, 16, 0, MK_CAP_DMA) != NULL);
    CHECK(mk_heap_check(&h) == MK_OK);
}

typedef struct walk_sum {
    size_t used_bytes, free_bytes, used, free, calls, stop_after;
    unsigned max_region;
} walk_sum;

static bool sum_block(void *ctx, const mk_heap_block_info *b)
{
    walk_sum *w = ctx;
    w->calls++;
    if (b->used) {
        w->used++;
        w->used_bytes += b->block_size;
    } else {
        w->free++;
        w->free_bytes += b->block_size;
    }
    if (b->region > w->max_region)
        w->max_region = b->region;
    return w->stop_after == 0 || w->calls < w->stop_after;
}

static void test_walk(void)
{
    mk_heap h;
    fresh(&h, ram_a, sizeof ram_a, 0);
    REQUIRE(mk_heap_add_region(&h, ram_b, sizeof ram_b, MK_CAP_DMA) == MK_OK);
    void *ps[10];
    for (int i = 0; i < 10; i++)
        ps[i] = mk_heap_alloc(&h, (size_t)(i + 1) * 50);
    void *d = mk_heap_alloc_caps(&h, 77, 0, MK_CAP_DMA);
    for (int i = 0; i < 10; i += 2)
        mk_heap_free(&h, ps[i]);
    walk_sum w = { 0 };
    mk_heap_walk(&h, sum_block, &w);
    mk_heap_stats s;
    mk_heap_get_stats(&h, 0, &s);
    CHECK(w.used == s.used_blocks && w.used == 6);
    CHECK(w.free == s.free_blocks);
    CHECK(w.used_bytes == s.used_bytes && w.free_bytes == s.free_bytes);
    CHECK(w.max_region == 1);
    walk_sum stop = { .stop_after = 3 };
    mk_heap_walk(&h, sum_block, &stop);
    CHECK(stop.calls == 3);
    mk_heap_free(&h, d);
    for (int i = 1; i < 10; i += 2)
        mk_heap_free(&h, ps[i]);
    CHECK(mk_heap_check(&h) == MK_OK);
}

static void test_realloc(void)
{
    mk_heap h;
    fresh(&h, ram_a, sizeof ram_a, 0);
    void *minimal = mk_heap_realloc(&h, NULL, 0); /* like alloc(0): a minimal block */
    CHECK(minimal != NULL);
    mk_heap_free(&h, minimal);
    unsigned char *p = mk_heap_realloc(&h, NULL, 100);
    REQUIRE(p != NULL);
    for (int i = 0; i < 100; i++)
        p[i] = (unsigned char)i;
    /* Grow in place: the block after p is the free remainder. */
    unsigned char *q = mk_heap_realloc(&h, p, 1000);
    CHECK(q == p);
    CHECK(mk_heap_usable_size(&h, q) >= 1000);
    /* Shrink in place. */
    q = mk_heap_realloc(&h, q, 50);
    CHECK(q == p);
    CHECK(mk_heap_usable_size(&h, q) < 100);
    for (int i = 0; i < 50; i++)
        CHECK(q[i] == (unsigned char)i);
    /* Block the successor: growing must move and keep the contents. */
    void *wall = mk_heap_alloc(&h, 16);
    unsigned char *moved = mk_heap_realloc(&h, q, 400);
    CHECK(moved != NULL && moved != q);
    for (int i = 0; i < 50; i++)
        CHECK(moved[i] == (unsigned char)i);
    /* Shrinking by less than a block keeps the block. */
    size_t u = mk_heap_usable_size(&h, moved);
    CHECK(mk_heap_realloc(&h, moved, u - 4) == moved);
    CHECK(mk_heap_usable_size(&h, moved) == (MK_CHECKED >= 2 ? u - 4 : u));
    /* Growing into a free successor exactly, with no remainder. */
    void *left = mk_heap_alloc(&h, 200);
    void *mid = mk_heap_alloc(&h, 200);
    void *right = mk_heap_alloc(&h, 200);
    mk_heap_free(&h, mid);
    size_t lu = mk_heap_usable_size(&h, left);
    size_t mu_block = (size_t)((unsigned char *)right - (unsigned char *)mid);
    CHECK(mk_heap_realloc(&h, left, lu + mu_block) == left);
    CHECK(mk_heap_check(&h) == MK_OK);
    /* Failure leaves the block intact. */
    CHECK(mk_heap_realloc(&h, moved, sizeof ram_a) == NULL);
    CHECK(hl.why == MK_ENOMEM);
    CHECK(mk_heap_realloc(&h, moved, SIZE_MAX) == NULL && hl.why == MK_ERANGE);
    for (int i = 0; i < 50; i++)
        CHECK(moved[i] == (unsigned char)i);
    /* realloc(p, 0) frees. */
    CHECK(mk_heap_realloc(&h, moved, 0) == NULL);
    mk_heap_free(&h, wall);
    mk_heap_free(&h, left);
    mk_heap_free(&h, right);
    mk_heap_stats s;
    mk_heap_get_stats(&h, 0, &s);
    CHECK(s.used_bytes == 0 && s.free_blocks == 1);
    CHECK(mk_heap_check(&h) == MK_OK);
}

static void test_resize(void)
{
    mk_heap h;
    fresh(&h, ram_a, sizeof ram_a, 0);
    unsigned char *p = mk_heap_alloc(&h, 100);
    REQUIRE(p != NULL);
    CHECK(mk_heap_resize(&h, p, 2000)); /* the free remainder follows */
    CHECK(mk_heap_usable_size(&h, p) >= 2000);
    CHECK(mk_heap_resize(&h, p, 10));
    CHECK(mk_heap_usable_size(&h, p) < 100);
    void *wall = mk_heap_alloc(&h, 10);
    CHECK(!mk_heap_resize(&h, p, 500)); /* blocked: unchanged, never moved */
    CHECK(mk_heap_usable_size(&h, p) < 100);
    CHECK(!mk_heap_resize(&h, p, SIZE_MAX));
    CHECK(!mk_heap_resize(&h, NULL, 10));
    int local;
    int before = hl.corrupt;
    CHECK(!mk_heap_resize(&h, &local, 10) && hl.corrupt == before + 1);
    mk_heap_free(&h, wall);
    mk_heap_free(&h, p);
    mk_heap_stats s;
    mk_heap_get_stats(&h, 0, &s);
    CHECK(s.used_bytes == 0 && s.free_blocks == 1);
    CHECK(mk_heap_check(&h) == MK_OK);
}

static void test_realloc_keeps_caps(void)
{
    mk_heap h;
    fresh(&h, ram_a, sizeof ram_a, MK_CAP_INTERNAL);
    REQUIRE(mk_heap_add_region(&h, ram_b, sizeof ram_b, MK_CAP_DMA) == MK_OK);
    unsigned char *d = mk_heap_alloc_caps(&h, 64, 0, MK_CAP_DMA);
    void *wall = mk_heap_alloc_caps(&h, 64, 0, MK_CAP_DMA);
    unsigned char *d2 = mk_heap_realloc(&h, d, 2000);
    CHECK(d2 != d && in(d2, ram_b, sizeof ram_b));
    CHECK(mk_heap_realloc(&h, d2, 40000) == NULL); /* would fit only in ram_a */
    mk_heap_free(&h, d2);
    mk_heap_free(&h, wall);
    CHECK(mk_heap_check(&h) == MK_OK);
}

static void test_exhaustion(void)
{
    mk_heap h;
    fresh(&h, ram_a, sizeof ram_a, MK_CAP_INTERNAL);
    REQUIRE(mk_heap_add_region(&h, ram_b, sizeof ram_b, MK_CAP_DMA) == MK_OK);
    mk_heap_stats s0;
    mk_heap_get_stats(&h, 0, &s0);
    static void *ps[20000];
    size_t n = 0, live = 0;
    unsigned long long seed = 42;
    while (n < 20000) {
        size_t size = test_range(&seed, 1, 600);
        void *p = (n % 7 == 3) ? mk_heap_alloc_aligned(&h, size, 256) : mk_heap_alloc(&h, size);
        if (!p)
            break;
        live += size;
        ps[n++] = p;
    }
    CHECK(n > 100 && n < 20000);
    CHECK(mk_heap_check(&h) == MK_OK);
    mk_heap_stats full;
    mk_heap_get_stats(&h, 0, &full);
    CHECK(full.used_blocks == n && full.used_bytes >= live);
    CHECK(full.peak_used_bytes == full.used_bytes);
    /* Small blocks still fit in what is left. */
    for (size_t i = 0; i < n; i += 2)
        mk_heap_free(&h, ps[i]);
    CHECK(mk_heap_check(&h) == MK_OK);
    for (size_t i = 1; i < n; i += 2)
        mk_heap_free(&h, ps[i]);
    mk_heap_stats s1;
    mk_heap_get_stats(&h, 0, &s1);
    CHECK(s1.free_blocks == 2 && s1.used_bytes == 0 && s1.used_blocks == 0);
    CHECK(s1.free_bytes == s0.free_bytes);
    CHECK(s1.largest_free_block == s0.largest_free_block);
    CHECK(s1.peak_used_bytes == full.used_bytes);
    CHECK(mk_heap_check(&h) == MK_OK);
}

static void test_small_blocks(void)
{
    mk_heap h;
    fresh(&h, ram_a, sizeof ram_a, 0);
    size_t n = 0;
    while (mk_heap_alloc(&h, 1))
        n++;
#if !MK_CHECKED
    CHECK(n >= 4000); /* the 64 KiB small-block target: 4-byte header, 16-byte blocks */
#else
    CHECK(n >= 1900);
#endif
    CHECK(mk_heap_check(&h) == MK_OK);
}

static void test_double_free_and_foreign(void)
{
    mk_heap h;
    fresh(&h, ram_a, sizeof ram_a, 0);
    void *keep = mk_heap_alloc(&h, 40);
    void *p = mk_heap_alloc(&h, 40);
    void *keep2 = mk_heap_alloc(&h, 40);
    mk_heap_free(&h, p);
    mk_heap_stats before, after;
    mk_heap_get_stats(&h, 0, &before);
    mk_heap_free(&h, p);
    CHECK(hl.corrupt == 1 && hl.fault == MK_FAULT_DOUBLE_FREE && hl.ptr == p);
    CHECK(hl.depth_at_hook == 0);
    int local;
    mk_heap_free(&h, &local);
    CHECK(hl.corrupt == 2 && hl.fault == MK_FAULT_FOREIGN_POINTER && hl.ptr == &local);
    mk_heap_free(&h, (char *)keep + 1); /* misaligned interior pointer */
    CHECK(hl.corrupt == 3 && hl.fault == MK_FAULT_BAD_POINTER);
    CHECK(mk_heap_usable_size(&h, &local) == 0);
    CHECK(hl.corrupt == 4 && hl.fault == MK_FAULT_FOREIGN_POINTER);
    CHECK(mk_heap_realloc(&h, &local, 10) == NULL);
    CHECK(hl.corrupt == 5 && hl.fault == MK_FAULT_FOREIGN_POINTER);
    mk_heap_get_stats(&h, 0, &after);
    CHECK(memcmp(&before, &after, sizeof before) == 0);
    CHECK(mk_heap_check(&h) == MK_OK);
#if MK_CHECKED
    /* An aligned interior pointer: caught by the canary. */
    void *big = mk_heap_alloc(&h, 256);
    memset(big, 0x11, 256);
    int c = hl.corrupt;
    mk_heap_free(&h, (char *)big + 64);
    CHECK(hl.corrupt == c + 1 && hl.fault == MK_FAULT_BAD_POINTER);
    /* A write past the end of a block: caught at its free. */
    unsigned char *o = mk_heap_alloc(&h, 24);
    size_t u = mk_heap_usable_size(&h, o);
    unsigned char saved = o[u];
    o[u] ^= 0xFF;
    mk_heap_free(&h, o);
    CHECK(hl.corrupt == c + 2 && hl.fault == MK_FAULT_OVERRUN && hl.ptr == o);
    CHECK(mk_heap_check(&h) == MK_ECORRUPT);
    o[u] = saved;
    CHECK(mk_heap_check(&h) == MK_OK);
    mk_heap_free(&h, o);
    mk_heap_free(&h, big);
    mk_heap_free(&h, big); /* double free of a block merged into its neighbour */
    CHECK(hl.fault == MK_FAULT_DOUBLE_FREE || hl.fault == MK_FAULT_BAD_POINTER);
    CHECK(mk_heap_check(&h) == MK_OK);
#endif
    mk_heap_free(&h, keep);
    mk_heap_free(&h, keep2);
    CHECK(mk_heap_check(&h) == MK_OK);
}

static void test_no_hooks(void)
{
    /* Every path must work with no hooks installed. */
    mk_heap h;
    mk_heap_init(&h);
    REQUIRE(mk_heap_add_region(&h, ram_b, sizeof ram_b, 0) == MK_OK);
    CHECK(mk_heap_alloc(&h, SIZE_MAX) == NULL);
    void *p = mk_heap_alloc(&h, 10);
    mk_heap_free(&h, p);
    mk_heap_free(&h, p);
    CHECK(mk_heap_check(&h) == MK_OK);
}

/* Requests of at least 1/2^MK_HEAP_HIGH_SHIFT of the region come from the high end of
 * the block they take, smaller ones from the low end; both merge back on free. */
static void test_placement(void)
{
    mk_heap h;
    fresh(&h, ram_a, sizeof ram_a, 0);
    size_t big = sizeof ram_a / 8; /* above 1/32 of the region */
    unsigned char *small1 = mk_heap_alloc(&h, 40);
    unsigned char *large = mk_heap_alloc(&h, big);
    unsigned char *small2 = mk_heap_alloc(&h, 40);
    REQUIRE(small1 && large && small2);
#if MK_HEAP_HIGH_SHIFT > 0
    CHECK(large + mk_heap_usable_size(&h, large) > ram_a + sizeof ram_a - 64);
    CHECK(small1 < small2 && small2 < large);
    CHECK((size_t)(small2 - small1) < 128); /* the small ones stay together */
#else
    CHECK(small1 < large && large < small2);
#endif
    /* Aligned requests keep the low end. */
    unsigned char *aligned = mk_heap_alloc_aligned(&h, big, 256);
    REQUIRE(aligned != NULL);
    CHECK(((uintptr_t)aligned & 255u) == 0 && aligned < large);
    memset(large, 0x5A, big);
    mk_heap_free(&h, small1);
    mk_heap_free(&h, aligned);
    CHECK(mk_heap_check(&h) == MK_OK);
    mk_heap_free(&h, large);
    mk_heap_free(&h, small2);
    mk_heap_stats s;
    mk_heap_get_stats(&h, 0, &s);
    CHECK(s.used_bytes == 0 && s.free_blocks == 1);
    CHECK(mk_heap_check(&h) == MK_OK);
}

int main(void)
{
    RUN(test_strerror);
    RUN(test_add_region_errors);
    RUN(test_static_regions);
    RUN(test_basic_alloc_free);
    RUN(test_min_block_and_overhead);
    RUN(test_bad_requests);
    RUN(test_aligned);
    RUN(test_caps_and_regions);
    RUN(test_region_added_later);
    RUN(test_remove_region);
    RUN(test_placement);
    RUN(test_walk);
    RUN(test_realloc);
    RUN(test_resize);
    RUN(test_realloc_keeps_caps);
    RUN(test_exhaustion);
    RUN(test_small_blocks);
    RUN(test_double_free_and_foreign);
    RUN(test_no_hooks);
    TEST_MAIN_END();
}
