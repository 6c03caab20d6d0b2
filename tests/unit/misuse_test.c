/* Deliberate misuse of the heap and the pools: each case does one wrong thing and checks
 * that it is reported through the fault hook with the right kind and pointer, at the
 * call that should notice, and that the allocator stays consistent (after the test
 * repairs the bytes the misuse damaged, everything frees and mk_heap_check passes).
 *
 * Built three times. MK_CHECKED=2 must catch every case; MK_CHECKED=1 (canaries, O(1))
 * every case but the overrun inside a block's slack and the write after free; the
 * default build what needs no canary. Cases a build cannot see are run only where running
 * them is defined, and the table says "not detected" or "not run". The table printed is
 * the one in docs/internals.md. */
#include <stdint.h>
#include <string.h>

#include "memkit/heap.h"
#include "memkit/pool.h"
#include "test.h"

static _Alignas(MK_ALIGN) unsigned char ram[16384];
static _Alignas(MK_ALIGN) unsigned char ram2[4096];

typedef struct seen {
    int count;
    int kind;
    const void *ptr;
} seen;

static void on_heap_fault(void *ctx, mk_heap_fault kind, const void *ptr)
{
    seen *s = ctx;
    if (s->count++ == 0) {
        s->kind = (int)kind;
        s->ptr = ptr;
    }
}

static void on_pool_fault(void *ctx, mk_pool_fault kind, const void *ptr)
{
    seen *s = ctx;
    if (s->count++ == 0) {
        s->kind = (int)kind;
        s->ptr = ptr;
    }
}

/* Heap checks that cost O(block size): tail guards and free poison. */
#define GUARDS (MK_CHECKED >= 2)

static seen got;
static const mk_heap_hooks heap_hooks = { .corruption = on_heap_fault, .ctx = &got };
static const mk_pool_hooks pool_hooks = { .fault = on_pool_fault, .ctx = &got };

static void fresh(mk_heap *h)
{
    mk_heap_init(h);
    REQUIRE(mk_heap_add_region(h, ram, sizeof ram, 0) == MK_OK);
    mk_heap_set_hooks(h, &heap_hooks);
    memset(&got, 0, sizeof got);
}

/* One row of the table: what was expected, and whether this build caught it. */
static void row(const char *allocator, const char *misuse, const char *call, int expected,
                const void *ptr, bool must_catch)
{
    bool caught = got.count == 1 && got.kind == expected && got.ptr == ptr;
    printf("| %-6s | %-40s | %-24s | %-12s |\n", allocator, misuse, call,
           caught ? "detected" : got.count ? "wrong report" : "not detected");
    if (must_catch) {
        CHECK(got.count == 1);
        CHECK(got.kind == expected);
        CHECK(got.ptr == ptr);
    }
    memset(&got, 0, sizeof got);
}

static void finish(mk_heap *h)
{
    CHECK(mk_heap_check(h) == MK_OK);
    CHECK(got.count == 0);
}

static void test_heap_double_free(void)
{
    mk_heap h;
    fresh(&h);
    void *a = mk_heap_alloc(&h, 40);
    void *b = mk_heap_alloc(&h, 40);
    void *c = mk_heap_alloc(&h, 40);
    REQUIRE(a && b && c);
    mk_heap_free(&h, b);
    mk_heap_free(&h, b);
    row("heap", "double free", "free", MK_FAULT_DOUBLE_FREE, b, true);
    /* Freed beside a free neighbour: its header is merged away (checked builds poison
     * it), yet the second free is still caught. */
    mk_heap_free(&h, a);
    mk_heap_free(&h, a);
    row("heap", "double free after coalescing", "free", MK_FAULT_DOUBLE_FREE, a, true);
    mk_heap_free(&h, c);
    finish(&h);
}

static void test_heap_realloc_freed(void)
{
    mk_heap h;
    fresh(&h);
    void *a = mk_heap_alloc(&h, 64);
    void *keep = mk_heap_alloc(&h, 64);
    REQUIRE(a && keep);
    mk_heap_free(&h, a);
    CHECK(mk_heap_realloc(&h, a, 100) == NULL);
    row("heap", "realloc of a freed pointer", "realloc", MK_FAULT_DOUBLE_FREE, a, true);
    mk_heap_free(&h, keep);
    finish(&h);
}

static void test_heap_interior_pointer(void)
{
    mk_heap h;
    fresh(&h);
    unsigned char *a = mk_heap_alloc(&h, 100);
    REQUIRE(a);
    memset(a, 0x11, 100);
    /* Misaligned: every build sees it. */
    mk_heap_free(&h, a + 1);
    row("heap", "free of an interior pointer (misaligned)", "free", MK_FAULT_BAD_POINTER,
        a + 1, true);
    /* Aligned: only the checked build's canary can tell it from a block start (the
     * plain heap would read the caller's bytes as a header, so it is not run there). */
    if (MK_CHECKED) {
        mk_heap_free(&h, a + MK_ALIGN * 2);
        row("heap", "free of an interior pointer (aligned)", "free", MK_FAULT_BAD_POINTER,
            a + MK_ALIGN * 2, true);
    } else {
        printf("| heap   | %-40s | %-24s | %-12s |\n", "free of an interior pointer (aligned)",
               "free", "not run");
    }
    mk_heap_free(&h, a);
    finish(&h);
}

static void test_heap_foreign_pointers(void)
{
    mk_heap h, other;
    fresh(&h);
    mk_heap_init(&other);
    REQUIRE(mk_heap_add_region(&other, ram2, sizeof ram2, 0) == MK_OK);
    int local = 0;
    mk_heap_free(&h, &local);
    row("heap", "free of a stack pointer", "free", MK_FAULT_FOREIGN_POINTER, &local, true);
    void *theirs = mk_heap_alloc(&other, 32);
    REQUIRE(theirs);
    mk_heap_free(&h, theirs);
    row("heap", "free into the wrong heap", "free", MK_FAULT_FOREIGN_POINTER, theirs, true);
    mk_heap_free(&other, theirs);
    CHECK(mk_heap_check(&other) == MK_OK);
    finish(&h);
}

/* Overruns of one byte for every request size up to a few granules, so that every
 * slack length the guard can have is hit. */
static void test_heap_overrun(void)
{
    mk_heap h;
    fresh(&h);
    int rows = 0;
    for (size_t n = 0; n < 4 * MK_ALIGN + 40; n++) {
        unsigned char *p = mk_heap_alloc(&h, n);
        void *after = mk_heap_alloc(&h, 8); /* a live neighbour, not the sentinel */
        REQUIRE(p && after);
        CHECK(!GUARDS || mk_heap_usable_size(&h, p) == n);
        memset(p, 0x5c, n); /* the whole request is the caller's: no false report */
        if (!GUARDS) {
            mk_heap_free(&h, p);
            mk_heap_free(&h, after);
            continue;
        }
        unsigned char saved = p[n];
        p[n] = (unsigned char)(n * 7u + 1u);
        if (p[n] == saved)
            p[n] ^= 0xffu;
        CHECK(mk_heap_check(&h) == MK_ECORRUPT);
        CHECK(got.kind == MK_FAULT_OVERRUN);
        memset(&got, 0, sizeof got);
        mk_heap_free(&h, p);
        if (rows++ == 0)
            row("heap", "1-byte overrun", "free, check", MK_FAULT_OVERRUN, p, true);
        else
            CHECK(got.count == 1 && got.kind == MK_FAULT_OVERRUN && got.ptr == p);
        memset(&got, 0, sizeof got);
        /* The refused free left the block live; repaired, it frees normally. */
        p[n] = saved;
        mk_heap_free(&h, p);
        mk_heap_free(&h, after);
        CHECK(got.count == 0);
    }
    if (!GUARDS)
        printf("| heap   | %-40s | %-24s | %-12s |\n", "1-byte overrun", "free, check",
               "not detected");
    finish(&h);
}

static void test_heap_underrun(void)
{
    mk_heap h;
    fresh(&h);
    unsigned char *a = mk_heap_alloc(&h, 48);
    REQUIRE(a);
    if (MK_CHECKED) {
        unsigned char saved = a[-1];
        a[-1] = (unsigned char)(saved ^ 0x40u);
        mk_heap_free(&h, a);
        row("heap", "1-byte underrun", "free", MK_FAULT_HEADER, a, true);
        a[-1] = saved;
    } else {
        printf("| heap   | %-40s | %-24s | %-12s |\n", "1-byte underrun", "free",
               "not run");
    }
    mk_heap_free(&h, a);
    finish(&h);
}

static void test_heap_write_after_free(void)
{
    mk_heap h;
    fresh(&h);
    unsigned char *a = mk_heap_alloc(&h, 64);
    void *wall = mk_heap_alloc(&h, 64);
    REQUIRE(a && wall);
    mk_heap_free(&h, a);
    if (!GUARDS) {
        printf("| heap   | %-40s | %-24s | %-12s |\n", "write after free", "alloc, check",
               "not run");
        mk_heap_free(&h, wall);
        finish(&h);
        return;
    }
    a[40] = 1; /* through the dangling pointer: defined here, the memory is ours */
    CHECK(mk_heap_check(&h) == MK_ECORRUPT);
    CHECK(got.kind == MK_FAULT_USE_AFTER_FREE);
    memset(&got, 0, sizeof got);
    /* The same size comes back to the same block, and the allocation notices. */
    unsigned char *b = mk_heap_alloc(&h, 64);
    CHECK(b == a);
    row("heap", "write after free", "alloc, check", MK_FAULT_USE_AFTER_FREE, b, true);
    mk_heap_free(&h, b);
    mk_heap_free(&h, wall);
    finish(&h);
}

static void test_pool_misuse(void)
{
    if (!MK_CHECKED) {
        /* The plain pool trusts its caller: a bad free would corrupt its free list. */
        printf("| pool   | %-40s | %-24s | %-12s |\n", "double, interior, foreign frees",
               "free", "not run");
        return;
    }
    static _Alignas(MK_ALIGN) unsigned char buf[32 * 8], buf2[32 * 8];
    mk_pool p, q;
    REQUIRE(mk_pool_init(&p, buf, sizeof buf, 32, 0) == MK_OK);
    REQUIRE(mk_pool_init(&q, buf2, sizeof buf2, 32, 0) == MK_OK);
    mk_pool_set_hooks(&p, &pool_hooks);
    memset(&got, 0, sizeof got);
    unsigned char *a = mk_pool_alloc(&p);
    unsigned char *b = mk_pool_alloc(&p);
    unsigned char *theirs = mk_pool_alloc(&q);
    REQUIRE(a && b && theirs);
    int local = 0;
    mk_pool_free(&p, b);
    mk_pool_free(&p, b);
    row("pool", "double free", "free", MK_POOL_FAULT_DOUBLE_FREE, b, true);
    mk_pool_free(&p, a + 8);
    row("pool", "free of an interior pointer", "free", MK_POOL_FAULT_BAD_POINTER, a + 8,
        true);
    mk_pool_free(&p, &local);
    row("pool", "free of a stack pointer", "free", MK_POOL_FAULT_FOREIGN_POINTER, &local,
        true);
    mk_pool_free(&p, theirs);
    row("pool", "free into the wrong pool", "free", MK_POOL_FAULT_FOREIGN_POINTER, theirs,
        true);
    mk_pool_free(&p, a);
    CHECK(mk_pool_check(&p) == MK_OK);
    CHECK(mk_pool_used(&p) == 0);
    mk_pool_free(&q, theirs);
}

/* What a report says: every kind has a name of its own. */
static void test_fault_names(void)
{
    for (int k = MK_FAULT_DOUBLE_FREE; k <= MK_FAULT_USE_AFTER_FREE; k++) {
        const char *name = mk_heap_fault_name((mk_heap_fault)k);
        CHECK(name && strcmp(name, "unknown fault") != 0);
        for (int j = MK_FAULT_DOUBLE_FREE; j < k; j++)
            CHECK(strcmp(name, mk_heap_fault_name((mk_heap_fault)j)) != 0);
    }
    CHECK(strcmp(mk_heap_fault_name((mk_heap_fault)99), "unknown fault") == 0);
    for (int k = MK_POOL_FAULT_DOUBLE_FREE; k <= MK_POOL_FAULT_STATS; k++)
        CHECK(strcmp(mk_pool_fault_name((mk_pool_fault)k), "unknown fault") != 0);
}

int main(void)
{
    printf("MK_CHECKED=%d build\n\n", MK_CHECKED);
    printf("| allocator | misuse | caught at | result |\n|---|---|---|---|\n");
    RUN(test_heap_double_free);
    RUN(test_heap_realloc_freed);
    RUN(test_heap_interior_pointer);
    RUN(test_heap_foreign_pointers);
    RUN(test_heap_overrun);
    RUN(test_heap_underrun);
    RUN(test_heap_write_after_free);
    RUN(test_pool_misuse);
    RUN(test_fault_names);
    TEST_MAIN_END();
}
