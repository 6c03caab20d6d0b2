/* Unit tests for every mk_arena function and error path, and the scratch arenas. Built
 * twice: plain and with MK_CHECKED=1 (the misuse only checked builds catch is under
 * #if MK_CHECKED). Growth is proved leak-free with mk_failing over the system allocator,
 * which counts live blocks and bytes by the sizes the arena passes to free. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "memkit/arena.h"
#include "test.h"

/* pthreads rather than C11 <threads.h>: TSan (clang 14) does not intercept thrd_create,
 * and its runtime crashes in a thread it never saw start. */
#if MK_SCRATCH_THREAD_LOCAL
#include <pthread.h>
#define HAVE_THREADS 1
#endif

#define G ((size_t)MK_ALIGN)
/* What a chunk header costs, as arena.c computes it. */
#define HDR ((sizeof(mk__arena_chunk) + G - 1) / G * G)

static _Alignas(4096) unsigned char ram[64 * 1024];

/* Where growing arenas get their chunks: the system allocator on a host, a memkit heap
 * on a bare-metal target, which has none. */
#if __STDC_HOSTED__
static mk_allocator upstream(void) { return mk_system_allocator(); }
#else
#include "memkit/heap.h"
MK_HEAP_REGION(upstream_ram, 256 * 1024, );
static mk_allocator upstream(void)
{
    static mk_heap heap;
    static bool ready;
    if (!ready) {
        mk_heap_init(&heap);
        REQUIRE(mk_heap_add_region(&heap, upstream_ram, sizeof upstream_ram, 0) == MK_OK);
        ready = true;
    }
    return mk_heap_allocator(&heap);
}
#endif

static bool aligned(const void *p, size_t a) { return ((uintptr_t)p & (a - 1)) == 0; }

/* What the fault hook saw. */
static struct {
    int calls;
    mk_arena_fault kind;
    const void *ptr;
} seen;

static void on_fault(void *ctx, mk_arena_fault kind, const void *ptr)
{
    CHECK(ctx == &seen);
    seen.calls++;
    seen.kind = kind;
    seen.ptr = ptr;
}
static const mk_arena_hooks hooks = { .fault = on_fault, .ctx = &seen };

static void watch(mk_arena *a)
{
    memset(&seen, 0, sizeof seen);
    mk_arena_set_hooks(a, &hooks);
}

/* The observable state, to prove that a refused operation changed nothing. */
typedef struct snap {
    size_t used, remaining, high;
    void *next; /* where a 1-byte allocation would go */
} snap;

static snap take(const mk_arena *a)
{
    mk_arena copy = *a;
    snap s = { mk_arena_used(a), mk_arena_remaining(a), mk_arena_high_water(a), NULL };
    s.next = copy.upstream.vt ? NULL : mk_arena_alloc(&copy, 1, 1);
    return s;
}
static bool same(snap x, snap y)
{
    return x.used == y.used && x.remaining == y.remaining && x.high == y.high &&
           x.next == y.next;
}

static void test_sizeof(void)
{
    /* The sizes arena.h documents: 12 words, plus 3 + 2 * depth with MK_CHECKED. */
    size_t words = 12 + (MK_CHECKED ? 3 + 2 * MK_ARENA_CHECK_DEPTH : 0);
    CHECK(sizeof(mk_arena) == words * sizeof(void *));
    CHECK(sizeof(mk_arena_pos) == (MK_CHECKED ? 5u : 2u) * sizeof(void *));
    printf("sizeof(mk_arena) = %zu, sizeof(mk_arena_pos) = %zu\n", sizeof(mk_arena),
           sizeof(mk_arena_pos));
}

static void test_init_geometry(void)
{
    mk_arena a;
    /* An aligned buffer is used whole. */
    mk_arena_init(&a, ram, 1024);
    CHECK(mk_arena_remaining(&a) == 1024 && mk_arena_used(&a) == 0);
    CHECK(mk_arena_high_water(&a) == 0);
    CHECK(mk_arena_alloc(&a, 1, 1) == ram);

    /* An unaligned one loses the partial granules at each end. */
    mk_arena_init(&a, ram + 3, 100);
    CHECK(mk_arena_remaining(&a) == (103 / G) * G - G);
    unsigned char *p = mk_arena_alloc(&a, 1, 1);
    CHECK(p == ram + G);

    /* Too small for one whole granule: no memory at all. */
    mk_arena_init(&a, ram + 1, G);
    CHECK(mk_arena_remaining(&a) == 0);
    CHECK(mk_arena_alloc(&a, 1, 1) == NULL);
    CHECK(mk_arena_alloc(&a, 0, 0) == NULL); /* size 0 too: nothing to point into */
    CHECK(mk_arena_alloc(&a, 0, 64) == NULL);
    mk_arena_init(&a, ram, G - 1);
    CHECK(mk_arena_remaining(&a) == 0 && mk_arena_alloc(&a, 1, 1) == NULL);
    mk_arena_init(&a, ram, 0);
    CHECK(mk_arena_remaining(&a) == 0 && mk_arena_alloc(&a, 0, 1) == NULL);
    mk_arena_init(&a, NULL, 4096);
    CHECK(mk_arena_remaining(&a) == 0 && mk_arena_alloc(&a, 1, 0) == NULL);
    /* A buffer that would wrap the address space is refused, not trusted. */
    mk_arena_init(&a, (void *)(UINTPTR_MAX - 64), 4096);
    CHECK(mk_arena_remaining(&a) == 0 && mk_arena_alloc(&a, 1, 0) == NULL);

    /* The all-zero arena is valid and empty. */
    static mk_arena z;
    CHECK(mk_arena_alloc(&z, 8, 0) == NULL && mk_arena_alloc(&z, 0, 0) == NULL);
    CHECK(mk_arena_remaining(&z) == 0 && mk_arena_used(&z) == 0);
    mk_arena_pos m = mk_arena_mark(&z);
    mk_arena_rewind(&z, m);
    CHECK(mk_arena_rewind_checked(&z, m) == MK_OK);
    mk_arena_reset(&z);
    CHECK(!mk_arena_resize(&z, ram, 0, 1));
    CHECK(mk_arena_high_water(&z) == 0);
}

static void test_alloc_alignment(void)
{
    mk_arena a;
    mk_arena_init(&a, ram + 5, 16 * 1024);
    static const size_t aligns[] = { 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 4096 };
    static const size_t sizes[] = { 1, 3, 0, 17, 64, 5, 100, 1, 7, 33, 2 };
    unsigned char *prev_end = mk_arena_alloc(&a, 0, 1);
    unsigned char *ptrs[11];
    for (size_t i = 0; i < 11; i++) {
        size_t al = aligns[i] ? aligns[i] : G;
        unsigned char *p = mk_arena_alloc(&a, sizes[i], aligns[i]);
        REQUIRE(p != NULL);
        CHECK(aligned(p, al));
        /* A bump: right after the previous one, by less than one alignment step. */
        CHECK(p >= prev_end && (size_t)(p - prev_end) < al);
        CHECK(p + sizes[i] <= ram + 5 + 16 * 1024);
        CHECK(mk_arena_used(&a) == (size_t)(p + sizes[i] - (ram + G)));
        memset(p, (int)i + 1, sizes[i]);
        ptrs[i] = p;
        prev_end = p + sizes[i];
    }
    size_t bad = 0;
    for (size_t i = 0; i < 11; i++)
        for (size_t k = 0; k < sizes[i]; k++)
            bad += ptrs[i][k] != (unsigned char)(i + 1);
    CHECK(bad == 0);
    /* Used bytes include the padding; remaining is what is left to the end. */
    CHECK(mk_arena_used(&a) + mk_arena_remaining(&a) == (16 * 1024 + 5) / G * G - G);
}

static void test_alloc_errors(void)
{
    mk_arena a;
    mk_arena_init(&a, ram, 1024);
    CHECK(mk_arena_alloc(&a, 10, 1) == ram);
    snap before = take(&a);
    /* Alignments that are not powers of two. */
    static const size_t bad_aligns[] = { 3, 6, 24, 48, 100, SIZE_MAX, (SIZE_MAX >> 1) + 2 };
    for (size_t i = 0; i < sizeof bad_aligns / sizeof *bad_aligns; i++) {
        CHECK(mk_arena_alloc(&a, 8, bad_aligns[i]) == NULL);
        CHECK(mk_arena_alloc(&a, 0, bad_aligns[i]) == NULL);
    }
    /* Sizes and alignments whose sum would wrap. */
    CHECK(mk_arena_alloc(&a, SIZE_MAX, 1) == NULL);
    CHECK(mk_arena_alloc(&a, SIZE_MAX, 0) == NULL);
    CHECK(mk_arena_alloc(&a, SIZE_MAX - 8, 16) == NULL);
    CHECK(mk_arena_alloc(&a, SIZE_MAX - 1024, 4096) == NULL);
    CHECK(mk_arena_alloc(&a, 1, (SIZE_MAX >> 1) + 1) == NULL); /* 2^(N-1): pad wraps */
    CHECK(mk_arena_alloc(&a, SIZE_MAX / 2, (SIZE_MAX >> 1) + 1) == NULL);
    CHECK(mk_arena_alloc(&a, 1015, 1) == NULL); /* one byte too many */
    CHECK(mk_arena_alloc(&a, 1009, 16) == NULL); /* fits only without the padding */
    CHECK(same(before, take(&a)));

    /* Exactly the rest fits; then only size 0 does, at the end. */
    unsigned char *p = mk_arena_alloc(&a, 1014, 1);
    CHECK(p == ram + 10);
    CHECK(mk_arena_remaining(&a) == 0 && mk_arena_used(&a) == 1024);
    CHECK(mk_arena_alloc(&a, 1, 1) == NULL);
    CHECK(mk_arena_alloc(&a, 1, 0) == NULL);
    CHECK(mk_arena_alloc(&a, 0, 1) == ram + 1024);
    CHECK(mk_arena_alloc(&a, 0, 0) == ram + 1024);
    CHECK(mk_arena_alloc(&a, 0, 4096) == NULL); /* would need padding past the end */
    CHECK(mk_arena_used(&a) == 1024 && mk_arena_high_water(&a) == 1024);

    /* Zero-size allocations are aligned positions that share the next address. */
    mk_arena_init(&a, ram, 1024);
    void *z1 = mk_arena_alloc(&a, 0, 0);
    void *z2 = mk_arena_alloc(&a, 0, 64);
    CHECK(z1 == ram && z2 == ram && mk_arena_used(&a) == 0);
    CHECK(mk_arena_alloc(&a, 1, 1) == ram);
    CHECK(mk_arena_alloc(&a, 0, 32) == ram + 32);
    CHECK(mk_arena_used(&a) == 32);
}

static void test_mark_rewind(void)
{
    mk_arena a;
    mk_arena_init(&a, ram, 4096);
    watch(&a);
    mk_arena_pos m0 = mk_arena_mark(&a);
    unsigned char *p1 = mk_arena_alloc(&a, 100, 0);
    mk_arena_pos m1 = mk_arena_mark(&a);
    unsigned char *p2 = mk_arena_alloc(&a, 200, 0);
    mk_arena_pos m2 = mk_arena_mark(&a);
    unsigned char *p3 = mk_arena_alloc(&a, 300, 64);
    REQUIRE(p1 && p2 && p3);
    size_t peak = mk_arena_used(&a);

    /* Back to m2: the next allocation takes p3's place again. */
    mk_arena_rewind(&a, m2);
    CHECK(mk_arena_used(&a) == (size_t)(p2 + 200 - ram));
    CHECK(mk_arena_alloc(&a, 300, 64) == p3);
    /* The same mark again (it is still live), then an outer one. */
    mk_arena_rewind(&a, m2);
    mk_arena_rewind(&a, m2);
    CHECK(mk_arena_rewind_checked(&a, m2) == MK_OK);
    mk_arena_rewind(&a, m1);
    CHECK(mk_arena_used(&a) == 100);
    CHECK(mk_arena_alloc(&a, 200, 0) == p2);
    CHECK(mk_arena_rewind_checked(&a, m1) == MK_OK);
    CHECK(mk_arena_rewind_checked(&a, m0) == MK_OK);
    CHECK(mk_arena_used(&a) == 0);
    CHECK(mk_arena_alloc(&a, 100, 0) == p1);
    /* The high-water mark remembers the deepest point. */
    CHECK(mk_arena_high_water(&a) == peak);
    CHECK(seen.calls == 0); /* no live mark was reported */

    /* A mark at the very start survives a reset. */
    mk_arena_reset(&a);
    CHECK(mk_arena_rewind_checked(&a, m0) == MK_OK);

    /* Nesting deeper than the checked builds' record: never a false report. */
    mk_arena_pos marks[40];
    size_t at[40];
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 40; i++) {
            marks[i] = mk_arena_mark(&a);
            at[i] = mk_arena_used(&a);
            CHECK(mk_arena_alloc(&a, 8, 0) != NULL);
        }
        for (int i = 39; i >= 0; i -= 3) {
            CHECK(mk_arena_rewind_checked(&a, marks[i]) == MK_OK);
            CHECK(mk_arena_used(&a) == at[i]);
        }
        mk_arena_rewind(&a, marks[0]);
    }
    CHECK(seen.calls == 0 && mk_arena_used(&a) == 0);
}

/* Marks that are not live: what every build refuses, and what checked builds add. */
static void test_bad_marks(void)
{
    mk_arena a, b;
    mk_arena_init(&a, ram, 4096);
    mk_arena_init(&b, ram + 8192, 4096);
    watch(&a);
    CHECK(mk_arena_alloc(&a, 64, 0) && mk_arena_alloc(&b, 64, 0));
    mk_arena_pos m1 = mk_arena_mark(&a);
    CHECK(mk_arena_alloc(&a, 64, 0) != NULL);
    mk_arena_pos m2 = mk_arena_mark(&a);
    CHECK(mk_arena_alloc(&a, 64, 0) != NULL);

    /* Rewound past: m2 lies beyond the current position. Every build sees that. */
    mk_arena_rewind(&a, m1);
    snap s = take(&a);
    CHECK(mk_arena_rewind_checked(&a, m2) == MK_EINVAL);
    CHECK(same(s, take(&a)));
    CHECK(seen.calls == 0); /* the checked variant reports by its result only */
    mk_arena_rewind(&a, m2);
    CHECK(same(s, take(&a)));
#if MK_CHECKED
    CHECK(seen.calls == 1 && seen.kind == MK_ARENA_FAULT_STALE_MARK && seen.ptr == m2.cur);
#endif

    /* A mark of another arena. */
    mk_arena_pos mb = mk_arena_mark(&b);
    CHECK(mk_arena_rewind_checked(&a, mb) == MK_EINVAL);
    seen.calls = 0;
    mk_arena_rewind(&a, mb);
    CHECK(same(s, take(&a)));
#if MK_CHECKED
    CHECK(seen.calls == 1 && seen.kind == MK_ARENA_FAULT_FOREIGN_MARK);
#endif

    /* Rewound past, then grown beyond it again: only the generation record can tell. */
    CHECK(mk_arena_alloc(&a, 256, 0) != NULL);
    CHECK(mk_arena_used(&a) > (size_t)(m2.cur - ram));
#if MK_CHECKED
    s = take(&a);
    seen.calls = 0;
    CHECK(mk_arena_rewind_checked(&a, m2) == MK_EINVAL);
    mk_arena_rewind(&a, m2);
    CHECK(seen.calls == 1 && seen.kind == MK_ARENA_FAULT_STALE_MARK);
    CHECK(same(s, take(&a)));
    /* Shrinking an allocation below a mark kills it too; a reset kills them all. */
    unsigned char *p = mk_arena_alloc(&a, 100, 0);
    mk_arena_pos m3 = mk_arena_mark(&a);
    CHECK(mk_arena_resize(&a, p, 100, 10));
    CHECK(mk_arena_alloc(&a, 200, 0) != NULL);
    CHECK(mk_arena_rewind_checked(&a, m3) == MK_EINVAL);
    size_t used = mk_arena_used(&a);
    mk_arena_reset(&a);
    /* Released memory is poisoned. */
    size_t poisoned = 0;
    for (size_t i = 0; i < used; i++)
        poisoned += ram[i] == MK_ARENA_POISON;
    CHECK(poisoned == used);
    CHECK(mk_arena_alloc(&a, 1000, 0) != NULL);
    CHECK(mk_arena_rewind_checked(&a, m1) == MK_EINVAL);
#endif
    mk_arena_set_hooks(&a, NULL);
}

static void test_reset_used_high(void)
{
    mk_arena a;
    mk_arena_init(&a, ram, 2048);
    CHECK(mk_arena_alloc(&a, 1000, 1) != NULL);
    CHECK(mk_arena_used(&a) == 1000 && mk_arena_high_water(&a) == 1000);
    CHECK(mk_arena_remaining(&a) == 1048);
    mk_arena_reset(&a);
    CHECK(mk_arena_used(&a) == 0 && mk_arena_remaining(&a) == 2048);
    CHECK(mk_arena_high_water(&a) == 1000);
    CHECK(mk_arena_alloc(&a, 500, 1) == ram);
    CHECK(mk_arena_high_water(&a) == 1000);
    CHECK(mk_arena_alloc(&a, 700, 1) == ram + 500);
    CHECK(mk_arena_high_water(&a) == 1200);
    mk_arena_reset(&a);
    mk_arena_reset(&a);
    CHECK(mk_arena_high_water(&a) == 1200 && mk_arena_used(&a) == 0);
    /* init starts the high-water mark again. */
    mk_arena_init(&a, ram, 2048);
    CHECK(mk_arena_high_water(&a) == 0);
}

static void test_limit(void)
{
    mk_arena a;
    mk_arena_init(&a, ram, 4096);
    CHECK(mk_arena_set_limit(&a, 1000)); /* rounded down to a granule */
    CHECK(mk_arena_remaining(&a) == 1000 / G * G);
    CHECK(mk_arena_alloc(&a, 1000 / G * G + 1, 1) == NULL);
    CHECK(mk_arena_alloc(&a, 600, 1) == ram);
    CHECK(mk_arena_alloc(&a, 1000 / G * G - 600, 1) == ram + 600);
    CHECK(mk_arena_alloc(&a, 1, 1) == NULL);
    CHECK(mk_arena_used(&a) == 1000 / G * G);
    /* Lower than what is in use: refused, nothing changes. */
    CHECK(!mk_arena_set_limit(&a, 500));
    CHECK(mk_arena_remaining(&a) == 0);
    /* A granule below used is below used too (the limit is rounded down first). */
    mk_arena_reset(&a);
    CHECK(mk_arena_alloc(&a, 5, 1) != NULL);
    CHECK(!mk_arena_set_limit(&a, G - 1));
    CHECK(mk_arena_set_limit(&a, G));
    CHECK(mk_arena_remaining(&a) == G - 5);
    /* Limit 0 on an arena at its start: nothing fits, not even padding. */
    mk_arena_reset(&a);
    CHECK(mk_arena_set_limit(&a, 0));
    CHECK(mk_arena_alloc(&a, 1, 1) == NULL && mk_arena_alloc(&a, 0, 0) == ram);
    /* SIZE_MAX lifts it; the buffer is the bound again. */
    CHECK(mk_arena_set_limit(&a, SIZE_MAX));
    CHECK(mk_arena_remaining(&a) == 4096);
    /* Raising the limit over a rewind works; rewinding under a limit keeps it. */
    CHECK(mk_arena_set_limit(&a, 64));
    mk_arena_pos m = mk_arena_mark(&a);
    CHECK(mk_arena_alloc(&a, 64, 1) != NULL);
    mk_arena_rewind(&a, m);
    CHECK(mk_arena_remaining(&a) == 64);
    /* resize respects it as well. */
    unsigned char *p = mk_arena_alloc(&a, 10, 1);
    CHECK(mk_arena_resize(&a, p, 10, 64));
    CHECK(!mk_arena_resize(&a, p, 64, 65));
}

static void test_resize(void)
{
    mk_arena a;
    mk_arena_init(&a, ram, 1024);
    unsigned char *p = mk_arena_alloc(&a, 10, 0);
    unsigned char *q = mk_arena_alloc(&a, 20, 1);
    REQUIRE(p && q);
    memset(q, 7, 20);
    /* Only the last allocation resizes. */
    CHECK(!mk_arena_resize(&a, p, 10, 11));
    CHECK(!mk_arena_resize(&a, p, 10, 5));
    CHECK(!mk_arena_resize(&a, q, 19, 30)); /* wrong old size: not provably the last */
    CHECK(!mk_arena_resize(&a, NULL, 0, 8));
    CHECK(!mk_arena_resize(&a, ram + 2048, 0, 8)); /* not in the arena */
    CHECK(!mk_arena_resize(&a, (void *)(UINTPTR_MAX - 4), 5, 8)); /* would wrap */
    size_t used = mk_arena_used(&a);
    /* Grow in place, contents kept. */
    CHECK(mk_arena_resize(&a, q, 20, 300));
    CHECK(mk_arena_used(&a) == used + 280);
    size_t kept = 0;
    for (int i = 0; i < 20; i++)
        kept += q[i] == 7;
    CHECK(kept == 20);
    /* Past the end: refused, unchanged. */
    CHECK(!mk_arena_resize(&a, q, 300, 1024));
    CHECK(mk_arena_used(&a) == used + 280);
    CHECK(mk_arena_resize(&a, q, 300, (size_t)(ram + 1024 - q))); /* to the very end */
    CHECK(mk_arena_remaining(&a) == 0);
    /* Shrink, then the next allocation follows the new end. */
    CHECK(mk_arena_resize(&a, q, (size_t)(ram + 1024 - q), 4));
    CHECK(mk_arena_used(&a) == used - 16);
    CHECK(mk_arena_high_water(&a) == 1024);
    CHECK(mk_arena_alloc(&a, 1, 1) == q + 4);
    CHECK(!mk_arena_resize(&a, q, 4, 8)); /* no longer the last */
    /* To zero: the block is gone (what the allocator adapter's free does). */
    unsigned char *r = mk_arena_alloc(&a, 50, 1);
    CHECK(mk_arena_resize(&a, r, 50, 0));
    CHECK(mk_arena_alloc(&a, 1, 1) == r);
    /* A zero-size allocation at the end is the last one and can grow. */
    unsigned char *z = mk_arena_alloc(&a, 0, 1);
    CHECK(mk_arena_resize(&a, z, 0, 16) && mk_arena_alloc(&a, 1, 1) == z + 16);
}

/* ---- growth ------------------------------------------------------------------------- */

static void test_growth(void)
{
    mk_failing f;
    mk_failing_init(&f, upstream(), MK_FAIL_NONE, 0);
    mk_allocator up = mk_failing_allocator(&f);
    mk_arena a;
    mk_arena_init(&a, ram, 256);
    CHECK(mk_arena_set_upstream(&a, up, 512, 2048));

    /* The buffer first: no upstream traffic. */
    CHECK(mk_arena_alloc(&a, 200, 0) == ram);
    CHECK(f.attempts == 0);
    mk_arena_pos in_buf = mk_arena_mark(&a);
    /* Doesn't fit: a 512-byte chunk, then doubling to the cap. */
    unsigned char *c1 = mk_arena_alloc(&a, 100, 0);
    REQUIRE(c1 != NULL);
    CHECK(f.live_blocks == 1 && f.live_bytes == 512);
    CHECK(!mk_owns(mk_arena_allocator(&a), ram + 256)); /* the buffer's end */
    CHECK(mk_owns(mk_arena_allocator(&a), c1) && mk_owns(mk_arena_allocator(&a), ram));
    /* Used counts the whole buffer now: its end was given up for the chunk. */
    CHECK(mk_arena_used(&a) == 256 + 100);
    CHECK(mk_arena_remaining(&a) == 512 - HDR - 100);
    mk_arena_pos in_c1 = mk_arena_mark(&a);
    CHECK(mk_arena_alloc(&a, 400, 0) != NULL);
    CHECK(f.live_blocks == 2 && f.live_bytes == 512 + 1024);
    CHECK(mk_arena_alloc(&a, 900, 0) != NULL);
    CHECK(f.live_blocks == 3 && f.live_bytes == 512 + 1024 + 2048);
    CHECK(mk_arena_alloc(&a, 1900, 0) != NULL);
    CHECK(f.live_bytes == 512 + 1024 + 2048 + 2048); /* capped */
    /* Larger than the cap: a chunk of its own size. */
    unsigned char *big = mk_arena_alloc(&a, 10000, 4096);
    REQUIRE(big != NULL);
    CHECK(aligned(big, 4096));
    size_t big_chunk = (HDR + 4096 - G + 10000 + G - 1) / G * G;
    CHECK(f.live_blocks == 5 && f.live_bytes == 512 + 1024 + 2048 + 2048 + big_chunk);
    memset(big, 1, 10000);
    size_t high = mk_arena_high_water(&a);
    CHECK(high == mk_arena_used(&a));

    /* Rewind into the first chunk: the four later ones go back. */
    mk_arena_rewind(&a, in_c1);
    CHECK(f.live_blocks == 1 && f.live_bytes == 512);
    CHECK(mk_arena_used(&a) == 256 + 100 && mk_arena_high_water(&a) == high);
    CHECK(mk_arena_alloc(&a, 400, 0) != NULL); /* next chunk: the cap (next keeps growing) */
    CHECK(f.live_blocks == 2 && f.live_bytes == 512 + 2048);
    /* Rewind into the buffer: every chunk goes back. */
    CHECK(mk_arena_rewind_checked(&a, in_buf) == MK_OK);
    CHECK(f.live_blocks == 0 && f.live_bytes == 0);
    CHECK(mk_arena_used(&a) == 200);
    /* A mark in a returned chunk is refused in every build. */
    CHECK(mk_arena_rewind_checked(&a, in_c1) == MK_EINVAL);
    CHECK(f.live_blocks == 0);

    /* Reset returns everything too. */
    for (int i = 0; i < 20; i++)
        CHECK(mk_arena_alloc(&a, 300, 0) != NULL);
    CHECK(f.live_blocks > 3);
    CHECK(!mk_arena_set_upstream(&a, mk_null_allocator(), 0, 0)); /* chunks held */
    mk_arena_reset(&a);
    CHECK(f.live_blocks == 0 && f.live_bytes == 0);
    CHECK(mk_arena_used(&a) == 0 && mk_arena_remaining(&a) == 256);

    /* Upstream refuses: NULL, arena unchanged; a later success works. */
    mk_failing_init(&f, upstream(), MK_FAIL_AFTER, 0);
    CHECK(mk_arena_set_upstream(&a, up, 512, 512));
    CHECK(mk_arena_alloc(&a, 250, 1) != NULL);
    snap s = take(&a);
    CHECK(mk_arena_alloc(&a, 100, 0) == NULL);
    CHECK(f.attempts == 2 && f.live_blocks == 0); /* the full chunk, then the least */
    CHECK(mk_arena_used(&a) == s.used && mk_arena_remaining(&a) == s.remaining);
    /* The doubled chunk is refused but the request's own size is not: retried. */
    mk_failing_init(&f, upstream(), MK_FAIL_NTH, 1);
    CHECK(mk_arena_alloc(&a, 100, 0) != NULL);
    CHECK(f.attempts == 2 && f.live_blocks == 1 && f.live_bytes == HDR + (100 + G - 1) / G * G);
    mk_arena_reset(&a);
    CHECK(f.live_blocks == 0 && f.live_bytes == 0);

    /* The limit stops growth before upstream is asked. */
    mk_failing_init(&f, upstream(), MK_FAIL_NONE, 0);
    CHECK(mk_arena_set_limit(&a, 256 + 1024));
    CHECK(mk_arena_alloc(&a, 1000, 0) != NULL); /* 256 + 1000 <= limit */
    CHECK(mk_arena_alloc(&a, 100, 0) == NULL);
    CHECK(f.attempts == 1);
    CHECK(mk_arena_remaining(&a) == (1000 + G - 1) / G * G - 1000);
    mk_arena_reset(&a);
    CHECK(mk_arena_set_limit(&a, SIZE_MAX));
    CHECK(f.live_blocks == 0);

    /* No buffer at all: every byte from upstream. */
    mk_arena g;
    mk_arena_init(&g, NULL, 0);
    CHECK(mk_arena_alloc(&g, 10, 0) == NULL); /* no upstream yet: never allocates */
    CHECK(mk_arena_set_upstream(&g, up, 0, 0));
    CHECK(mk_arena_alloc(&g, 0, 0) == NULL); /* size 0 takes no chunk */
    CHECK(f.attempts == 1);
    void *gp = mk_arena_alloc(&g, 10, 0);
    CHECK(gp != NULL && f.live_bytes == MK_ARENA_FIRST_CHUNK);
    CHECK(mk_arena_used(&g) == 10);
    mk_arena_reset(&g);
    CHECK(f.live_blocks == 0 && mk_arena_used(&g) == 0);
    /* The null allocator: growth is attempted and fails cleanly. */
    CHECK(mk_arena_set_upstream(&g, mk_null_allocator(), 0, 0));
    CHECK(mk_arena_alloc(&g, 10, 0) == NULL);
    /* Huge requests are refused without overflow: the first two before upstream is
     * asked; the last reaches it with a size it can only refuse (mk_failing refuses
     * everything here, so the system allocator never sees it). */
    mk_failing_init(&f, upstream(), MK_FAIL_AFTER, 0);
    CHECK(mk_arena_set_upstream(&g, up, 0, 0));
    CHECK(mk_arena_alloc(&g, SIZE_MAX - 8, 0) == NULL);
    CHECK(mk_arena_alloc(&g, SIZE_MAX - HDR, 1) == NULL);
    CHECK(f.attempts == 0);
    CHECK(mk_arena_alloc(&g, 16, (SIZE_MAX >> 1) + 1) == NULL);
    CHECK(f.attempts == 1 && f.live_blocks == 0);
}

/* An upstream that hands out memory one byte off its alignment: the arena must refuse
 * the chunk (give it back) rather than run past its end. */
static _Alignas(64) unsigned char skew_mem[1024 + 64];
static int skew_frees;
static void *skew_alloc(void *ctx, size_t size, size_t align)
{
    (void)ctx;
    (void)align;
    return size <= 1024 ? skew_mem + 1 : NULL;
}
static void skew_free(void *ctx, void *ptr, size_t size, size_t align)
{
    (void)ctx;
    (void)size;
    (void)align;
    skew_frees += ptr == skew_mem + 1;
}

static void test_misaligned_upstream(void)
{
    static const mk_allocator_vtable vt = { skew_alloc, skew_free, NULL, NULL, NULL };
    mk_arena a;
    mk_arena_init(&a, NULL, 0);
    CHECK(mk_arena_set_upstream(&a, (mk_allocator){ NULL, &vt }, 512, 512));
    CHECK(mk_arena_alloc(&a, 16, 0) == NULL);
    CHECK(skew_frees == 1);
}

/* ---- the allocator adapter ---------------------------------------------------------- */

static void test_allocator(void)
{
    mk_arena a;
    mk_arena_init(&a, ram, 1024);
    mk_allocator al = mk_arena_allocator(&a);
    unsigned char *p = mk_alloc(al, 40, 8);
    unsigned char *q = mk_alloc(al, 40, 0);
    REQUIRE(p && q);
    CHECK(aligned(p, 8) && aligned(q, G));
    /* free of a block that is not the last does nothing; of the last, takes it back. */
    size_t used = mk_arena_used(&a);
    mk_free(al, p, 40, 8);
    CHECK(mk_arena_used(&a) == used);
    mk_free(al, q, 40, 0);
    CHECK(mk_arena_used(&a) == (size_t)(q - ram));
    mk_free(al, NULL, 10, 0);
    /* resize and remap: in place while last, a copy otherwise. */
    q = mk_alloc(al, 16, 0);
    memset(q, 3, 16);
    CHECK(mk_resize(al, q, 16, 64, 0));
    unsigned char *q2 = mk_remap(al, q, 64, 128, 0);
    CHECK(q2 == q);
    unsigned char *r = mk_alloc(al, 8, 0);
    unsigned char *q3 = mk_remap(al, q2, 128, 256, 0); /* not last any more: moves */
    REQUIRE(q3 != NULL);
    CHECK(q3 > r);
    size_t kept = 0;
    for (int i = 0; i < 16; i++)
        kept += q3[i] == 3;
    CHECK(kept == 16);
    CHECK(mk_remap(al, q3, 256, 4096, 0) == NULL); /* too big: the block stays */
    CHECK(q3[0] == 3);
    /* Zeroed and typed helpers go through the same handle. */
    int *arr = MK_NEW_ARRAY(al, int, 10);
    REQUIRE(arr != NULL);
    int sum = 0;
    for (int i = 0; i < 10; i++)
        sum += arr[i];
    CHECK(sum == 0);
    CHECK(MK_NEW_ARRAY(al, int, SIZE_MAX / 2) == NULL);
    /* owns: inside the usable buffer only. */
    CHECK(mk_owns(al, ram) && mk_owns(al, ram + 1023));
    CHECK(!mk_owns(al, ram + 1024) && !mk_owns(al, ram + 4096) && !mk_owns(al, NULL));

    /* As a fallback's primary: frees route back to the right allocator. */
    mk_arena_reset(&a);
    mk_failing f;
    mk_failing_init(&f, upstream(), MK_FAIL_NONE, 0);
    mk_fallback fb = { al, mk_failing_allocator(&f) };
    mk_allocator both = mk_fallback_allocator(&fb);
    void *x = mk_alloc(both, 1000, 0);
    void *y = mk_alloc(both, 1000, 0); /* the arena is full: from the secondary */
    CHECK(x == ram && y != NULL && f.live_blocks == 1);
    mk_free(both, y, 1000, 0);
    mk_free(both, x, 1000, 0);
    CHECK(f.live_blocks == 0 && mk_arena_used(&a) == 0);
}

/* ---- scratch arenas ----------------------------------------------------------------- */

/* A function that builds its result in `out` and uses scratch space on the side. */
static char *join_upper(mk_arena *out, const char *x, const char *y)
{
    mk_scratch s = mk_scratch_begin(&out, 1);
    if (!s.arena)
        return NULL;
    CHECK(s.arena != out);
    size_t nx = strlen(x), ny = strlen(y);
    char *tmp = mk_arena_alloc(s.arena, nx + ny, 1);
    char *res = mk_arena_alloc(out, nx + ny + 1, 1);
    if (tmp && res) {
        for (size_t i = 0; i < nx; i++)
            tmp[i] = x[i];
        for (size_t i = 0; i < ny; i++)
            tmp[nx + i] = y[i];
        for (size_t i = 0; i < nx + ny; i++)
            res[i] = (char)(tmp[i] >= 'a' && tmp[i] <= 'z' ? tmp[i] - 32 : tmp[i]);
        res[nx + ny] = 0;
    }
    mk_scratch_end(s);
    return tmp ? res : NULL;
}

static unsigned char scratch_ram[MK_SCRATCH_COUNT][4096];

static void test_scratch(void)
{
    CHECK(mk_scratch_arena(MK_SCRATCH_COUNT) == NULL);
    mk_arena *s0 = mk_scratch_arena(0), *s1 = mk_scratch_arena(1);
    REQUIRE(s0 && s1 && s0 != s1);
    /* Empty until given memory. */
    CHECK(mk_arena_alloc(s0, 1, 1) == NULL);
    for (size_t i = 0; i < MK_SCRATCH_COUNT; i++)
        mk_arena_init(mk_scratch_arena(i), scratch_ram[i], sizeof scratch_ram[i]);

    mk_scratch a = mk_scratch_begin(NULL, 0);
    CHECK(a.arena == s0);
    CHECK(mk_arena_alloc(a.arena, 100, 0) != NULL);
    /* Nested: a callee building into a.arena gets the other one, and gives it back. */
    char *r = join_upper(a.arena, "ab", "cD");
    REQUIRE(r != NULL);
    CHECK(strcmp(r, "ABCD") == 0);
    CHECK(mk_arena_used(s1) == 0 && mk_arena_high_water(s1) == 4);
    mk_scratch b = mk_scratch_begin(&a.arena, 1);
    CHECK(b.arena == s1);
    mk_arena *all[MK_SCRATCH_COUNT + 1];
    for (size_t i = 0; i < MK_SCRATCH_COUNT; i++)
        all[i] = mk_scratch_arena(i);
    all[MK_SCRATCH_COUNT] = NULL;
    mk_scratch none = mk_scratch_begin(all, MK_SCRATCH_COUNT + 1);
    CHECK(none.arena == NULL);
    mk_scratch_end(none); /* harmless */
    mk_scratch_end(b);
    mk_scratch_end(a);
    CHECK(mk_arena_used(s0) == 0 && mk_arena_used(s1) == 0);
    CHECK(mk_arena_high_water(s0) > 100);

    /* Growing scratch arenas: release gives every chunk back. */
    mk_failing f;
    mk_failing_init(&f, upstream(), MK_FAIL_NONE, 0);
    for (size_t i = 0; i < MK_SCRATCH_COUNT; i++) {
        mk_arena_init(mk_scratch_arena(i), NULL, 0);
        CHECK(mk_arena_set_upstream(mk_scratch_arena(i), mk_failing_allocator(&f), 256, 0));
    }
    mk_scratch g = mk_scratch_begin(NULL, 0);
    CHECK(mk_arena_alloc(g.arena, 1000, 0) != NULL);
    mk_scratch g2 = mk_scratch_begin(&g.arena, 1);
    CHECK(mk_arena_alloc(g2.arena, 1000, 0) != NULL);
    CHECK(f.live_blocks == 2);
    mk_scratch_release();
    CHECK(f.live_blocks == 0 && f.live_bytes == 0);
}

#ifdef HAVE_THREADS
static void *other_thread(void *arg)
{
    /* Its own, empty scratch arenas, at different addresses. */
    mk_arena **mine = arg;
    mine[0] = mk_scratch_arena(0);
    mine[1] = mk_arena_remaining(mine[0]) == 0 ? mine[0] : NULL;
    return NULL;
}

static void test_scratch_per_thread(void)
{
    mk_arena_init(mk_scratch_arena(0), scratch_ram[0], sizeof scratch_ram[0]);
    mk_arena *theirs[2] = { NULL, NULL };
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, other_thread, theirs) == 0);
    REQUIRE(pthread_join(t, NULL) == 0);
    CHECK(theirs[1] == theirs[0]); /* the other thread's arena 0 was empty */
    CHECK(theirs[0] != NULL && theirs[0] != mk_scratch_arena(0));
    CHECK(mk_arena_remaining(mk_scratch_arena(0)) == sizeof scratch_ram[0]);
}
#endif

static void test_fault_names(void)
{
    CHECK(strstr(mk_arena_fault_name(MK_ARENA_FAULT_FOREIGN_MARK), "another arena"));
    CHECK(strstr(mk_arena_fault_name(MK_ARENA_FAULT_STALE_MARK), "rewound past"));
    CHECK(strstr(mk_arena_fault_name(MK_ARENA_FAULT_BAD_MARK), "not inside"));
    CHECK(strcmp(mk_arena_fault_name((mk_arena_fault)99), "unknown fault") == 0);
}

int main(void)
{
    RUN(test_sizeof);
    RUN(test_init_geometry);
    RUN(test_alloc_alignment);
    RUN(test_alloc_errors);
    RUN(test_mark_rewind);
    RUN(test_bad_marks);
    RUN(test_reset_used_high);
    RUN(test_limit);
    RUN(test_resize);
    RUN(test_growth);
    RUN(test_misaligned_upstream);
    RUN(test_allocator);
    RUN(test_scratch);
#ifdef HAVE_THREADS
    RUN(test_scratch_per_thread);
#endif
    RUN(test_fault_names);
    TEST_MAIN_END();
}
