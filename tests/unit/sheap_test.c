/* Unit tests for every mk_sheap function and error path. Standard C only: also runs on
 * the emulated targets. */
#include <stdint.h>
#include <string.h>

#include "memkit/memkit.h"
#include "test.h"

static _Alignas(64) unsigned char ram[16 * 1024];

_Static_assert(sizeof(mk_sheap) == (sizeof(void *) == 8 ? 104 : 72), "documented sizeof");

static mk_sheap fresh(void)
{
    mk_sheap h;
    REQUIRE(mk_sheap_init(&h, ram, sizeof ram) == MK_OK);
    return h;
}

static mk_sheap_stats stats(const mk_sheap *h)
{
    mk_sheap_stats s;
    mk_sheap_get_stats(h, &s);
    return s;
}

static void test_init(void)
{
    mk_sheap h;
    CHECK(mk_sheap_init(NULL, ram, sizeof ram) == MK_EINVAL);
    CHECK(mk_sheap_init(&h, NULL, sizeof ram) == MK_EINVAL);
    CHECK(mk_sheap_init(&h, ram, 0) == MK_ETOOSMALL);
    CHECK(mk_sheap_init(&h, ram + 1, 7) == MK_ETOOSMALL);
    CHECK(mk_sheap_init(&h, ram, 16) == MK_ETOOSMALL);
    /* The smallest that works: bitmap, heads of the first classes, one 16-byte block. */
    size_t n = 16;
    while (n < 256 && mk_sheap_init(&h, ram, n) != MK_OK)
        n += 8;
    CHECK(n <= 72);
    CHECK(mk_sheap_check(&h) == MK_OK);
    CHECK(stats(&h).total_bytes >= 16);

    /* All zero: a heap without memory, safe to call. */
    mk_sheap zero = { 0 };
    CHECK(mk_sheap_alloc(&zero, 8) == NULL);
    CHECK(mk_sheap_free(&zero, ram, 8) == MK_EINVAL);
    CHECK(mk_sheap_check(&zero) == MK_OK);
    CHECK(stats(&zero).total_bytes == 0 && stats(&zero).failed_count == 1);

    h = fresh();
    mk_sheap_stats s = stats(&h);
    CHECK(s.total_bytes + s.overhead_bytes == sizeof ram);
    /* A bit per 8 bytes of the 15,808-byte block area (248 bytes) and 81 list heads
     * (328 bytes with padding): 3.5%. */
    CHECK(s.total_bytes == 15808 && s.overhead_bytes == 248 + 328);
    CHECK(s.used_bytes == 0 && s.free_bytes == s.total_bytes);
    CHECK(s.largest_free_block == s.total_bytes);
    /* An unaligned buffer starts at its first 8-aligned byte. */
    CHECK(mk_sheap_init(&h, ram + 3, 4096) == MK_OK);
    unsigned char *p = mk_sheap_alloc(&h, 1);
    CHECK(p && ((uintptr_t)p & 7u) == 0 && p >= ram + 3 && p < ram + 3 + 4096);
    CHECK(mk_sheap_check(&h) == MK_OK);
}

/* Blocks are exactly their size rounded up to 8, back to back. */
static void test_packing(void)
{
    mk_sheap h = fresh();
    unsigned char *a = mk_sheap_alloc(&h, 40);
    unsigned char *b = mk_sheap_alloc(&h, 33);
    unsigned char *c = mk_sheap_alloc(&h, 0);
    unsigned char *d = mk_sheap_alloc(&h, 1);
    REQUIRE(a && b && c && d);
    CHECK(b == a + 40 && c == b + 40 && d == c + 8);
    CHECK(stats(&h).used_bytes == 40 + 40 + 8 + 8);
    memset(a, 1, 40);
    memset(b, 2, 33);
    memset(c, 3, 8);
    memset(d, 4, 8);
    CHECK(mk_sheap_check(&h) == MK_OK);
    CHECK(mk_sheap_free(&h, b, 33) == MK_OK);
    CHECK(mk_sheap_free(&h, d, 1) == MK_OK);
    CHECK(mk_sheap_check(&h) == MK_OK);
    CHECK(mk_sheap_free(&h, a, 40) == MK_OK);
    CHECK(mk_sheap_free(&h, c, 0) == MK_OK);
    mk_sheap_stats s = stats(&h);
    CHECK(s.used_bytes == 0 && s.largest_free_block == s.total_bytes);
    CHECK(s.alloc_count == 4 && s.free_count == 4 && s.peak_used_bytes == 96);
    CHECK(mk_sheap_check(&h) == MK_OK);
}

typedef struct walk_log {
    int n;
    size_t size[8];
    bool used[8];
} walk_log;
static bool log_stretch(void *ctx, const void *start, size_t size, bool used)
{
    walk_log *w = ctx;
    (void)start;
    if (w->n < 8) {
        w->size[w->n] = size;
        w->used[w->n] = used;
    }
    w->n++;
    return true;
}

/* Freed blocks merge with free neighbours on either side; an 8-byte gap too. */
static void test_merge_and_walk(void)
{
    mk_sheap h = fresh();
    unsigned char *p[5];
    for (int i = 0; i < 5; i++)
        REQUIRE((p[i] = mk_sheap_alloc(&h, 24)) != NULL);
    CHECK(mk_sheap_free(&h, p[1], 24) == MK_OK);
    CHECK(mk_sheap_free(&h, p[3], 24) == MK_OK);
    walk_log w = { 0 };
    mk_sheap_walk(&h, log_stretch, &w);
    /* used p0, free p1, used p2, free p3, used p4, free rest */
    CHECK(w.n == 6 && w.used[0] && !w.used[1] && w.size[1] == 24 && !w.used[3]);
    CHECK(mk_sheap_free(&h, p[2], 24) == MK_OK); /* joins p1..p3 */
    w = (walk_log){ 0 };
    mk_sheap_walk(&h, log_stretch, &w);
    CHECK(w.n == 4 && !w.used[1] && w.size[1] == 72);
    /* A 64-byte request fits in the 72 and leaves an 8-byte free fragment. */
    unsigned char *q = mk_sheap_alloc(&h, 64);
    CHECK(q == p[1]);
    CHECK(mk_sheap_check(&h) == MK_OK);
    w = (walk_log){ 0 };
    mk_sheap_walk(&h, log_stretch, &w);
    CHECK(w.n == 4 && w.used[0] && w.size[0] == 24 + 64 && !w.used[1] && w.size[1] == 8);
    /* Freeing the block after the fragment merges all three. */
    CHECK(mk_sheap_free(&h, p[4], 24) == MK_OK);
    w = (walk_log){ 0 };
    mk_sheap_walk(&h, log_stretch, &w);
    CHECK(w.n == 2 && w.used[0] && w.size[0] == 24 + 64);
    CHECK(mk_sheap_free(&h, q, 64) == MK_OK);
    CHECK(mk_sheap_free(&h, p[0], 24) == MK_OK);
    CHECK(stats(&h).largest_free_block == stats(&h).total_bytes);
    CHECK(mk_sheap_check(&h) == MK_OK);
}

static void test_bad_frees(void)
{
    mk_sheap h = fresh();
    static unsigned char elsewhere[32];
    unsigned char *a = mk_sheap_alloc(&h, 32);
    unsigned char *b = mk_sheap_alloc(&h, 32);
    unsigned char *c = mk_sheap_alloc(&h, 32);
    REQUIRE(a && b && c);
    CHECK(mk_sheap_free(&h, NULL, 5) == MK_OK);
    CHECK(mk_sheap_free(&h, elsewhere, 32) == MK_EINVAL);
    CHECK(mk_sheap_free(&h, a + 4, 24) == MK_EINVAL);           /* misaligned */
    CHECK(mk_sheap_free(&h, b, 1u << 20) == MK_EINVAL);         /* runs past the end */
    CHECK(mk_sheap_free(&h, b, SIZE_MAX) == MK_EINVAL);
    CHECK(mk_sheap_free(&h, b, 32) == MK_OK);
    CHECK(mk_sheap_free(&h, b, 32) == MK_EINVAL);               /* double free */
    CHECK(mk_sheap_free(&h, c + 32, 16) == MK_EINVAL);          /* the free rest */
    CHECK(stats(&h).free_count == 1 && stats(&h).used_bytes == 64);
    CHECK(mk_sheap_check(&h) == MK_OK);
    CHECK(!mk_sheap_resize(&h, b, 32, 8));
    CHECK(mk_sheap_realloc(&h, b, 32, 64) == NULL);
    CHECK(mk_sheap_check(&h) == MK_OK);
}

static void test_resize_and_realloc(void)
{
    mk_sheap h = fresh();
    unsigned char *a = mk_sheap_alloc(&h, 64);
    REQUIRE(a != NULL);
    for (int i = 0; i < 64; i++)
        a[i] = (unsigned char)i;
    /* Grows into the free space after it, shrinks, grows again. */
    CHECK(mk_sheap_resize(&h, a, 64, 1000));
    CHECK(stats(&h).used_bytes == 1000);
    CHECK(mk_sheap_resize(&h, a, 1000, 17));
    CHECK(stats(&h).used_bytes == 24);
    CHECK(mk_sheap_resize(&h, a, 17, 24)); /* the same block: nothing to do */
    CHECK(mk_sheap_check(&h) == MK_OK);
    unsigned char *wall = mk_sheap_alloc(&h, 8); /* now a's growth is blocked */
    REQUIRE(wall == a + 24);
    CHECK(!mk_sheap_resize(&h, a, 24, 32));
    unsigned char *moved = mk_sheap_realloc(&h, a, 24, 200);
    REQUIRE(moved != NULL && moved != a);
    for (int i = 0; i < 17; i++)
        CHECK(moved[i] == (unsigned char)i);
    CHECK(mk_sheap_check(&h) == MK_OK);
    /* realloc's edges: NULL allocates, 0 frees. */
    unsigned char *n = mk_sheap_realloc(&h, NULL, 0, 10);
    CHECK(n != NULL);
    CHECK(mk_sheap_realloc(&h, n, 10, 0) == NULL);
    CHECK(mk_sheap_realloc(&h, moved, 200, 0) == NULL);
    CHECK(mk_sheap_free(&h, wall, 8) == MK_OK);
    CHECK(stats(&h).used_bytes == 0);
    CHECK(mk_sheap_check(&h) == MK_OK);
    /* A failed move leaves the block as it was. */
    size_t half = stats(&h).total_bytes / 16 * 8;
    unsigned char *big = mk_sheap_alloc(&h, half);
    REQUIRE(big != NULL);
    big[0] = 42;
    CHECK(mk_sheap_realloc(&h, big, half, stats(&h).total_bytes + 8) == NULL);
    CHECK(big[0] == 42 && stats(&h).used_bytes == half);
    CHECK(mk_sheap_free(&h, big, half) == MK_OK);
    CHECK(mk_sheap_check(&h) == MK_OK);
}

static void test_exhaustion(void)
{
    mk_sheap h = fresh();
    size_t total = stats(&h).total_bytes;
    void *all = mk_sheap_alloc(&h, total);
    CHECK(all != NULL);
    CHECK(mk_sheap_alloc(&h, 0) == NULL);
    CHECK(mk_sheap_alloc(&h, SIZE_MAX) == NULL);
    CHECK(stats(&h).failed_count == 2 && stats(&h).largest_free_block == 0);
    CHECK(mk_sheap_free(&h, all, total) == MK_OK);
    /* Fill with 48-byte blocks: exactly total / 48 fit, nothing is lost to headers. */
    size_t n = 0;
    while (mk_sheap_alloc(&h, 48))
        n++;
    CHECK(n == total / 48);
    CHECK(stats(&h).used_bytes == n * 48);
    CHECK(mk_sheap_check(&h) == MK_OK);
}

/* Requests inside a class take the best of its first blocks, else a class above. */
static void test_fit(void)
{
    mk_sheap h = fresh();
    /* Free blocks of 600, 560 and 520 bytes (one class spans 512..575, the next
     * 576..639), each walled in by a live block. */
    unsigned char *f[3], *wall[3];
    size_t sizes[3] = { 600, 560, 520 };
    for (int i = 0; i < 3; i++) {
        REQUIRE((f[i] = mk_sheap_alloc(&h, sizes[i])) != NULL);
        REQUIRE((wall[i] = mk_sheap_alloc(&h, 8)) != NULL);
    }
    for (int i = 0; i < 3; i++)
        CHECK(mk_sheap_free(&h, f[i], sizes[i]) == MK_OK);
    CHECK(mk_sheap_alloc(&h, 528) == f[1]); /* 560: the best in 512..575 */
    CHECK(mk_sheap_alloc(&h, 540) == f[0]); /* 520 is too small: from 576..639 */
    CHECK(mk_sheap_alloc(&h, 512) == f[2]);
    CHECK(mk_sheap_check(&h) == MK_OK);
}

static void test_check_finds_damage(void)
{
    mk_sheap h = fresh();
    unsigned char *a = mk_sheap_alloc(&h, 32);
    unsigned char *b = mk_sheap_alloc(&h, 32);
    unsigned char *c = mk_sheap_alloc(&h, 32);
    REQUIRE(a && b && c);
    CHECK(mk_sheap_free(&h, b, 32) == MK_OK);
    CHECK(mk_sheap_check(&h) == MK_OK);
    uint32_t saved;
    memcpy(&saved, b + 28, 4);
    b[28] ^= 0x40; /* the free block's footer: an overrun from a */
    CHECK(mk_sheap_check(&h) == MK_ECORRUPT);
    memcpy(b + 28, &saved, 4);
    CHECK(mk_sheap_check(&h) == MK_OK);
    h.used_bytes += 8; /* a counter that disagrees */
    CHECK(mk_sheap_check(&h) == MK_ECORRUPT);
}

static void test_allocator(void)
{
    mk_sheap h = fresh();
    mk_allocator a = mk_sheap_allocator(&h);
    CHECK(mk_alloc(a, 16, 16) == NULL);
    unsigned char *p = mk_alloc(a, 20, 8);
    CHECK(p != NULL && mk_owns(a, p));
    CHECK(!mk_owns(a, ram + sizeof ram));
    CHECK(mk_resize(a, p, 20, 40, 0));
    p = mk_remap(a, p, 40, 4000, 0);
    CHECK(p != NULL);
    mk_free(a, p, 4000, 0);
    CHECK(stats(&h).used_bytes == 0);
    CHECK(mk_sheap_check(&h) == MK_OK);
}

int main(void)
{
    RUN(test_init);
    RUN(test_packing);
    RUN(test_merge_and_walk);
    RUN(test_bad_frees);
    RUN(test_resize_and_realloc);
    RUN(test_exhaustion);
    RUN(test_fit);
    RUN(test_check_finds_damage);
    RUN(test_allocator);
    TEST_MAIN_END();
}
