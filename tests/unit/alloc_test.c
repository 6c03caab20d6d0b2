/* mk_allocator: the helpers, every adapter, fallback and fault injection. */
#include <stdint.h>
#include <string.h>

#include "memkit/memkit.h"
#include "test.h"

static _Alignas(64) unsigned char ram_a[16 * 1024];
static _Alignas(64) unsigned char ram_b[16 * 1024];

static void heap_over(mk_heap *h, unsigned char *mem, size_t size)
{
    mk_heap_init(h);
    REQUIRE(mk_heap_add_region(h, mem, size, 0) == MK_OK);
}

static size_t used_blocks(const mk_heap *h)
{
    mk_heap_stats s;
    mk_heap_get_stats(h, 0, &s);
    return s.used_blocks;
}

static void test_helpers(void)
{
    mk_heap h;
    heap_over(&h, ram_a, sizeof ram_a);
    mk_allocator a = mk_heap_allocator(&h);
    memset(ram_a + 1024, 0xAB, 2048); /* make sure zeroing is real */
    unsigned char *z = mk_alloc_zeroed(a, 3000, 0);
    REQUIRE(z != NULL);
    int nonzero = 0;
    for (int i = 0; i < 3000; i++)
        nonzero += z[i] != 0;
    CHECK(nonzero == 0);
    mk_free(a, z, 3000, 0);

    typedef struct point { double x, y; } point;
    point *p = MK_NEW(a, point);
    CHECK(p && p->x == 0 && p->y == 0 && ((uintptr_t)p & (_Alignof(point) - 1)) == 0);
    mk_free(a, p, sizeof *p, _Alignof(point));
    uint32_t *arr = MK_NEW_ARRAY(a, uint32_t, 100);
    CHECK(arr && arr[99] == 0);
    mk_free(a, arr, 100 * sizeof *arr, _Alignof(uint32_t));
    CHECK(MK_NEW_ARRAY(a, uint64_t, SIZE_MAX / 4) == NULL); /* n * size overflows */
    void *empty = mk_alloc_array(a, 0, 8, 0); /* size 0: a valid, freeable pointer */
    CHECK(empty != NULL && used_blocks(&h) == 1);
    mk_free(a, empty, 0, 0);
    mk_free(a, NULL, 10, 0); /* does nothing */
    CHECK(mk_heap_check(&h) == MK_OK);
}

static void test_remap(void)
{
    mk_heap h;
    heap_over(&h, ram_a, sizeof ram_a);
    mk_allocator a = mk_heap_allocator(&h);
    unsigned char *p = mk_remap(a, NULL, 0, 40, 0); /* NULL allocates */
    REQUIRE(p != NULL);
    for (int i = 0; i < 40; i++)
        p[i] = (unsigned char)i;
    void *wall = mk_alloc(a, 16, 0);
    unsigned char *q = mk_remap(a, p, 40, 400, 0); /* must move: the wall is in the way */
    REQUIRE(q != NULL);
    for (int i = 0; i < 40; i++)
        CHECK(q[i] == (unsigned char)i);
    CHECK(mk_resize(a, q, 400, 200, 0)); /* shrink in place */
    CHECK(mk_remap(a, q, 200, 0, 0) == NULL); /* 0 frees */
    /* Over-aligned blocks keep their alignment when they move. */
    unsigned char *big = mk_alloc(a, 64, 256);
    REQUIRE(big && ((uintptr_t)big & 255) == 0);
    void *wall2 = mk_alloc(a, 16, 0);
    unsigned char *moved = mk_remap(a, big, 64, 3000, 256);
    CHECK(moved && ((uintptr_t)moved & 255) == 0);
    mk_free(a, moved, 3000, 256);
    mk_free(a, wall, 16, 0);
    mk_free(a, wall2, 16, 0);
    CHECK(used_blocks(&h) == 0);
    CHECK(mk_heap_check(&h) == MK_OK);
}

static void test_heap_adapter(void)
{
    mk_heap h;
    heap_over(&h, ram_a, sizeof ram_a);
    mk_allocator a = mk_heap_allocator(&h);
    void *p = mk_alloc(a, 100, 512);
    CHECK(p && ((uintptr_t)p & 511) == 0);
    CHECK(mk_owns(a, p));
    int local;
    CHECK(!mk_owns(a, &local));
    CHECK(mk_resize(a, p, 100, 1000, 512)); /* the successor is free */
    CHECK(mk_heap_usable_size(&h, p) >= 1000);
    CHECK(!mk_resize(a, p, 1000, sizeof ram_a, 512));
    CHECK(mk_alloc(a, 10, 3) == NULL); /* bad alignment */
    mk_free(a, p, 1000, 512);
    CHECK(used_blocks(&h) == 0);
}

static void test_null_and_system(void)
{
    mk_allocator n = mk_null_allocator();
    CHECK(mk_alloc(n, 1, 0) == NULL);
    CHECK(mk_alloc_zeroed(n, 1, 0) == NULL);
    CHECK(mk_remap(n, NULL, 0, 10, 0) == NULL);
    CHECK(!mk_resize(n, NULL, 0, 1, 0));
    CHECK(!mk_owns(n, &n));

#if __STDC_HOSTED__ /* the system allocator exists only in hosted builds */
    mk_allocator s = mk_system_allocator();
    unsigned char *p = mk_alloc(s, 100, 4096);
    REQUIRE(p != NULL);
    CHECK(((uintptr_t)p & 4095) == 0);
    memset(p, 7, 100);
    unsigned char *q = mk_remap(s, p, 100, 10000, 4096);
    REQUIRE(q != NULL);
    CHECK(((uintptr_t)q & 4095) == 0 && q[99] == 7);
    mk_free(s, q, 10000, 4096);
    void *r = mk_remap(s, NULL, 0, 50, 0);
    r = mk_remap(s, r, 50, 5000, 0);
    CHECK(r != NULL);
    mk_free(s, r, 5000, 0);
    CHECK(mk_alloc(s, 8, 24) == NULL);
    CHECK(mk_alloc(s, SIZE_MAX - 10, 4096) == NULL);
#endif
}

static void test_fallback(void)
{
    mk_heap small, big;
    heap_over(&small, ram_a, 2048);
    heap_over(&big, ram_b, sizeof ram_b);
    mk_fallback fb = { mk_heap_allocator(&small), mk_heap_allocator(&big) };
    mk_allocator a = mk_fallback_allocator(&fb);
    void *ps[40];
    int in_small = 0, in_big = 0;
    for (int i = 0; i < 40; i++) {
        ps[i] = mk_alloc(a, 100, 0);
        REQUIRE(ps[i] != NULL);
        in_small += mk_owns(fb.primary, ps[i]);
        in_big += mk_owns(fb.secondary, ps[i]);
        CHECK(mk_owns(a, ps[i]));
    }
    CHECK(in_small > 5 && in_big > 5 && in_small + in_big == 40);
    /* Growing a primary block past what the primary holds moves it to the secondary. */
    unsigned char *g = ps[0];
    g[0] = 42;
    unsigned char *g2 = mk_remap(a, g, 100, 5000, 0);
    REQUIRE(g2 != NULL);
    CHECK(mk_owns(fb.secondary, g2) && g2[0] == 42);
    ps[0] = g2;
    for (int i = 0; i < 40; i++)
        mk_free(a, ps[i], i == 0 ? 5000 : 100, 0);
    CHECK(used_blocks(&small) == 0 && used_blocks(&big) == 0);
    CHECK(mk_heap_check(&small) == MK_OK && mk_heap_check(&big) == MK_OK);
}

static void test_failing_modes(void)
{
    mk_heap h;
    heap_over(&h, ram_a, sizeof ram_a);
    mk_failing f;
    mk_failing_init(&f, mk_heap_allocator(&h), MK_FAIL_NTH, 3);
    mk_allocator a = mk_failing_allocator(&f);
    void *p1 = mk_alloc(a, 10, 0), *p2 = mk_alloc(a, 10, 0), *p3 = mk_alloc(a, 10, 0);
    void *p4 = mk_alloc(a, 10, 0);
    CHECK(p1 && p2 && !p3 && p4);
    CHECK(f.attempts == 4 && f.failures == 1 && f.live_blocks == 3 && f.live_bytes == 30);
    mk_free(a, p1, 10, 0);
    mk_free(a, p2, 10, 0);
    mk_free(a, p4, 10, 0);
    CHECK(f.live_blocks == 0 && f.live_bytes == 0);

    mk_failing_init(&f, mk_heap_allocator(&h), MK_FAIL_AFTER, 2);
    p1 = mk_alloc(a, 10, 0);
    p2 = mk_remap(a, NULL, 0, 10, 0);
    CHECK(p1 && p2);
    CHECK(mk_alloc(a, 10, 0) == NULL && mk_alloc(a, 1, 0) == NULL);
    CHECK(mk_remap(a, p1, 10, 5000, 0) == NULL); /* growth is an attempt: refused */
    p1 = mk_remap(a, p1, 10, 5, 0);              /* shrinking is not */
    CHECK(p1 != NULL && f.live_bytes == 15);
    mk_free(a, p1, 5, 0);
    mk_free(a, p2, 10, 0);
    CHECK(f.live_blocks == 0 && used_blocks(&h) == 0);
}

/* A small client: a list of n nodes with payloads, built all-or-nothing. */
typedef struct node { struct node *next; char *text; } node;

static node *build_list(mk_allocator a, int n)
{
    node *head = NULL;
    for (int i = 0; i < n; i++) {
        node *nd = MK_NEW(a, node);
        char *text = nd ? mk_alloc(a, 32, 1) : NULL;
        if (!text) {
            mk_free(a, nd, sizeof *nd, _Alignof(node));
            while (head) {
                node *next = head->next;
                mk_free(a, head->text, 32, 1);
                mk_free(a, head, sizeof *head, _Alignof(node));
                head = next;
            }
            return NULL;
        }
        nd->text = text;
        nd->next = head;
        head = nd;
    }
    return head;
}

static void free_list(mk_allocator a, node *head)
{
    while (head) {
        node *next = head->next;
        mk_free(a, head->text, 32, 1);
        mk_free(a, head, sizeof *head, _Alignof(node));
        head = next;
    }
}

static void test_every_failure_point(void)
{
    mk_heap h;
    heap_over(&h, ram_a, sizeof ram_a);
    mk_failing f;
    mk_allocator a = mk_failing_allocator(&f);
    /* Count the allocations of a full run, then fail each one in turn. */
    mk_failing_init(&f, mk_heap_allocator(&h), MK_FAIL_NONE, 0);
    free_list(a, build_list(a, 10));
    size_t total = f.attempts;
    CHECK(total == 20 && f.live_blocks == 0);
    for (size_t n = 1; n <= total; n++) {
        mk_failing_init(&f, mk_heap_allocator(&h), MK_FAIL_NTH, n);
        CHECK(build_list(a, 10) == NULL);
        CHECK(f.failures == 1 && f.live_blocks == 0 && f.live_bytes == 0);
        CHECK(used_blocks(&h) == 0);
    }
    CHECK(mk_heap_check(&h) == MK_OK);
}

int main(void)
{
    RUN(test_helpers);
    RUN(test_remap);
    RUN(test_heap_adapter);
    RUN(test_null_and_system);
    RUN(test_fallback);
    RUN(test_failing_modes);
    RUN(test_every_failure_point);
    TEST_MAIN_END();
}
