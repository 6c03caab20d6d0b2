/* Unit tests for every mk_pool function and error path. Built twice: plain and with
 * MK_CHECKED=1 (the misuse cases only checked builds catch are under #if MK_CHECKED). */
#include <stdint.h>
#include <string.h>

#include "memkit/pool.h"
#include "test.h"

static _Alignas(4096) unsigned char ram[64 * 1024];

/* What the fault hook saw. */
static struct {
    int calls;
    mk_pool_fault kind;
    const void *ptr;
    size_t used_in_hook; /* the hook may call the pool */
    mk_pool *pool;
} seen;

static void on_fault(void *ctx, mk_pool_fault kind, const void *ptr)
{
    CHECK(ctx == &seen);
    seen.calls++;
    seen.kind = kind;
    seen.ptr = ptr;
    if (seen.pool)
        seen.used_in_hook = mk_pool_used(seen.pool);
}
static const mk_pool_hooks hooks = { .fault = on_fault, .ctx = &seen };

static void watch(mk_pool *p)
{
    memset(&seen, 0, sizeof seen);
    seen.pool = p;
    mk_pool_set_hooks(p, &hooks);
}

static bool aligned(const void *p, size_t a) { return ((uintptr_t)p & (a - 1)) == 0; }

static void test_sizeof(void)
{
    /* The sizes pool.h documents: 9 words, 11 with MK_CHECKED. */
    CHECK(sizeof(mk_pool) == (MK_CHECKED ? 11u : 9u) * sizeof(void *));
    printf("sizeof(mk_pool) = %zu\n", sizeof(mk_pool));
}

static void test_init_errors(void)
{
    mk_pool p;
    memset(&p, 0xA5, sizeof p);
    mk_pool before = p;
    CHECK(mk_pool_init(NULL, ram, sizeof ram, 32, 0) == MK_EINVAL);
    CHECK(mk_pool_init(&p, NULL, sizeof ram, 32, 0) == MK_EINVAL);
    CHECK(mk_pool_init(&p, ram, sizeof ram, 32, 3) == MK_EINVAL);
    CHECK(mk_pool_init(&p, ram, sizeof ram, 32, 24) == MK_EINVAL);
    CHECK(mk_pool_init(&p, ram, sizeof ram, 32, SIZE_MAX) == MK_EINVAL);
    /* Rounding the block size up to the alignment overflows. */
    CHECK(mk_pool_init(&p, ram, sizeof ram, SIZE_MAX, 0) == MK_ERANGE);
    CHECK(mk_pool_init(&p, ram, sizeof ram, SIZE_MAX - 2, 16) == MK_ERANGE);
    CHECK(mk_pool_init(&p, ram, sizeof ram, 2, (SIZE_MAX >> 1) + 1) == MK_ETOOSMALL);
    CHECK(mk_pool_init(&p, ram, sizeof ram, (SIZE_MAX >> 1) + 2, (SIZE_MAX >> 1) + 1) ==
          MK_ERANGE);
    /* The buffer wraps the address space. */
    CHECK(mk_pool_init(&p, (void *)(UINTPTR_MAX - 64), 4096, 16, 0) == MK_ERANGE);
    /* Too small for one block, also when only the alignment gap is missing. */
    CHECK(mk_pool_init(&p, ram, 0, 16, 0) == MK_ETOOSMALL);
    CHECK(mk_pool_init(&p, ram, 15, 16, 16) == MK_ETOOSMALL);
    CHECK(mk_pool_init(&p, ram + 1, 16, 16, 16) == MK_ETOOSMALL);
    CHECK(mk_pool_init(&p, ram, 4000, 4096, 0) == MK_ETOOSMALL);
    /* A block too large for any buffer. */
    CHECK(mk_pool_init(&p, ram, sizeof ram, SIZE_MAX / 2, 8) == MK_ETOOSMALL);
    CHECK(memcmp(&p, &before, sizeof p) == 0); /* errors leave *p untouched */
}

static void test_geometry(void)
{
    mk_pool p;
    /* align 0 is MK_ALIGN; block sizes round up to a pointer and to the alignment. */
    REQUIRE(mk_pool_init(&p, ram, 1024, 1, 0) == MK_OK);
    CHECK(mk_pool_block_size(&p) == (MK_ALIGN > sizeof(void *) ? MK_ALIGN : sizeof(void *)));
    REQUIRE(mk_pool_init(&p, ram, 1024, 0, 1) == MK_OK);
    CHECK(mk_pool_block_size(&p) == sizeof(void *)); /* at least a pointer's alignment */
    REQUIRE(mk_pool_init(&p, ram, 1024, 17, 8) == MK_OK);
    CHECK(mk_pool_block_size(&p) == 24);
    REQUIRE(mk_pool_init(&p, ram, 1024, 100, 64) == MK_OK);
    CHECK(mk_pool_block_size(&p) == 128);

    /* Capacity: every block that fits after the alignment gap (and the state bits). */
    REQUIRE(mk_pool_init(&p, ram, 1000, 40, 8) == MK_OK);
    CHECK(mk_pool_capacity(&p) == (MK_CHECKED ? 24u : 25u));
    REQUIRE(mk_pool_init(&p, ram + 3, 1000, 40, 8) == MK_OK);
    CHECK(mk_pool_capacity(&p) == 24u);
    CHECK(mk_pool_init(&p, ram, 16, 16, 16) == (MK_CHECKED ? MK_ETOOSMALL : MK_OK));
    CHECK(mk_pool_init(&p, ram, 33, 16, 16) == MK_OK);
    CHECK(mk_pool_capacity(&p) == 1u + !MK_CHECKED);
    CHECK(mk_pool_used(&p) == 0 && mk_pool_max_used(&p) == 0);
    CHECK(mk_pool_check(&p) == MK_OK);
}

/* init must not touch the blocks (O(1): no list threaded through them), and the pool
 * must work over a buffer full of garbage. */
static void test_lazy_init(void)
{
    static _Alignas(64) unsigned char buf[64 * 100];
    memset(buf, 0xAA, sizeof buf);
    mk_pool p;
    REQUIRE(mk_pool_init(&p, buf, sizeof buf, 64, 64) == MK_OK);
    size_t untouched = 0;
    while (untouched < sizeof buf && buf[untouched] == 0xAA)
        untouched++;
    CHECK(untouched == sizeof buf); /* init wrote nothing into the buffer */
    size_t cap = mk_pool_capacity(&p);
    CHECK(cap == (MK_CHECKED ? 99u : 100u));
    /* The first pass hands blocks out in address order. */
    unsigned char *prev = NULL;
    for (size_t i = 0; i < cap; i++) {
        unsigned char *b = mk_pool_alloc(&p);
        REQUIRE(b != NULL);
        CHECK(aligned(b, 64));
        CHECK(b >= buf && b + 64 <= buf + sizeof buf);
        CHECK(prev == NULL || b == prev + 64);
        prev = b;
    }
    CHECK(mk_pool_alloc(&p) == NULL);
    CHECK(mk_pool_check(&p) == MK_OK);
}

static void test_alloc_free_stats(void)
{
    mk_pool p;
    REQUIRE(mk_pool_init(&p, ram, 8 * 48 + 64, 48, 16) == MK_OK);
    size_t cap = mk_pool_capacity(&p);
    REQUIRE(cap >= 8);
    void *b[16] = { 0 };
    for (size_t i = 0; i < cap; i++) {
        b[i] = mk_pool_alloc(&p);
        REQUIRE(b[i] != NULL);
        CHECK(aligned(b[i], 16));
        memset(b[i], (int)i, 48);
        CHECK(mk_pool_used(&p) == i + 1 && mk_pool_max_used(&p) == i + 1);
    }
    /* Exhausted: NULL, and nothing changes. */
    CHECK(mk_pool_alloc(&p) == NULL);
    CHECK(mk_pool_alloc(&p) == NULL);
    CHECK(mk_pool_used(&p) == cap && mk_pool_max_used(&p) == cap);
    size_t overlaps = 0;
    for (size_t i = 0; i < cap; i++)
        for (size_t k = 0; k < 48; k++)
            overlaps += ((unsigned char *)b[i])[k] != (unsigned char)i;
    CHECK(overlaps == 0);
    CHECK(mk_pool_check(&p) == MK_OK);

    /* free(NULL) does nothing. */
    mk_pool_free(&p, NULL);
    CHECK(mk_pool_used(&p) == cap);

    /* Returned blocks come back most recent first; the high-water mark stays. */
    mk_pool_free(&p, b[2]);
    mk_pool_free(&p, b[5]);
    CHECK(mk_pool_used(&p) == cap - 2 && mk_pool_max_used(&p) == cap);
    CHECK(mk_pool_check(&p) == MK_OK);
    CHECK(mk_pool_alloc(&p) == b[5]);
    CHECK(mk_pool_alloc(&p) == b[2]);
    CHECK(mk_pool_alloc(&p) == NULL);
    for (size_t i = 0; i < cap; i++)
        mk_pool_free(&p, b[i]);
    CHECK(mk_pool_used(&p) == 0 && mk_pool_max_used(&p) == cap);
    CHECK(mk_pool_check(&p) == MK_OK);
    /* Every block can be had again, each once. */
    for (size_t i = 0; i < cap; i++) {
        void *q = mk_pool_alloc(&p);
        REQUIRE(q != NULL);
        size_t hits = 0;
        for (size_t j = 0; j < cap; j++)
            hits += q == b[j];
        CHECK(hits == 1);
        memset(q, 0, 48);
    }
    CHECK(mk_pool_alloc(&p) == NULL);
}

/* An all-zero pool is valid and has no blocks. */
static void test_zero_pool(void)
{
    static mk_pool z;
    CHECK(mk_pool_capacity(&z) == 0 && mk_pool_used(&z) == 0);
    CHECK(mk_pool_alloc(&z) == NULL);
    mk_pool_free(&z, NULL);
    CHECK(mk_pool_check(&z) == MK_OK);
    CHECK(!mk_owns(mk_pool_allocator(&z), ram));
#if MK_CHECKED
    watch(&z);
    mk_pool_free(&z, ram);
    CHECK(seen.calls == 1 && seen.kind == MK_POOL_FAULT_FOREIGN_POINTER && seen.ptr == ram);
#endif
}

/* ---- MK_POOL_DEFINE ---- */

struct odd { char c[3]; };
struct wide { _Alignas(64) double d; int tag; };
struct msg { int id; struct msg *next; char text[20]; };

MK_POOL_DEFINE(odd_pool, struct odd, 5);
MK_POOL_DEFINE(wide_pool, struct wide, 3);
MK_POOL_DEFINE(msg_pool, struct msg, 16);
MK_POOL_DEFINE(unused_pool, long, 2); /* defining and not using must compile cleanly */

static void test_define(void)
{
    CHECK(MK_POOL_BLOCK_OF(struct odd) == sizeof(void *));
    CHECK(MK_POOL_BLOCK_OF(struct wide) == 64 && MK_POOL_ALIGN_OF(struct wide) == 64);
    CHECK(mk_pool_capacity(&msg_pool) == 16 && mk_pool_used(&msg_pool) == 0);
    CHECK(mk_pool_block_size(&msg_pool) >= sizeof(struct msg));
    CHECK(mk_pool_check(&odd_pool) == MK_OK && mk_pool_check(&wide_pool) == MK_OK);

    struct msg *m[17];
    for (int i = 0; i < 16; i++) {
        m[i] = msg_pool_alloc(); /* no init call */
        REQUIRE(m[i] != NULL);
        CHECK(aligned(m[i], _Alignof(struct msg)));
        m[i]->id = i;
        snprintf(m[i]->text, sizeof m[i]->text, "message %d", i);
    }
    CHECK(msg_pool_alloc() == NULL);
    CHECK(mk_pool_used(&msg_pool) == 16);
    for (int i = 0; i < 16; i++) {
        CHECK(m[i]->id == i);
        msg_pool_free(m[i]);
    }
    msg_pool_free(NULL);
    CHECK(mk_pool_used(&msg_pool) == 0 && mk_pool_max_used(&msg_pool) == 16);
    CHECK(mk_pool_check(&msg_pool) == MK_OK);

    struct wide *w[3];
    for (int i = 0; i < 3; i++) {
        w[i] = wide_pool_alloc();
        REQUIRE(w[i] != NULL);
        CHECK(aligned(w[i], 64));
        w[i]->d = i;
        w[i]->tag = i;
    }
    CHECK(wide_pool_alloc() == NULL);
    for (int i = 0; i < 3; i++)
        CHECK(w[i]->tag == i && w[i]->d == i);
    wide_pool_free(w[1]);
    CHECK(wide_pool_alloc() == w[1]);

    struct odd *o[5];
    for (int i = 0; i < 5; i++) {
        o[i] = odd_pool_alloc();
        REQUIRE(o[i] != NULL);
        memcpy(o[i]->c, "xyz", 3);
    }
    CHECK(odd_pool_alloc() == NULL);
    for (int i = 0; i < 5; i++)
        odd_pool_free(o[i]);
    CHECK(mk_pool_used(&odd_pool) == 0);
#if MK_CHECKED
    watch(&odd_pool);
    odd_pool_free(o[0]);
    CHECK(seen.calls == 1 && seen.kind == MK_POOL_FAULT_DOUBLE_FREE);
#endif
}

/* ---- mk_pool_check finds damage ---- */

static void test_check_detects(void)
{
    mk_pool p;
    REQUIRE(mk_pool_init(&p, ram, 4096, 32, 16) == MK_OK);
    watch(&p);
    void *a = mk_pool_alloc(&p), *b = mk_pool_alloc(&p), *c = mk_pool_alloc(&p);
    mk_pool_free(&p, a);
    mk_pool_free(&p, b);
    CHECK(mk_pool_check(&p) == MK_OK);
    CHECK(seen.calls == 0);

    /* A counter off by one. */
    p.used++;
    CHECK(mk_pool_check(&p) == MK_ECORRUPT);
    p.used--;
    p.max_used = p.capacity + 1;
    CHECK(mk_pool_check(&p) == MK_ECORRUPT);
    p.max_used = 3;

    /* A free block's link made into a cycle, then sent outside the pool, then into the
     * middle of a block (all as a write after free would). */
    mk__pool_link *head = p.free;
    mk__pool_link *saved = head->next;
    head->next = head;
    CHECK(mk_pool_check(&p) == MK_ECORRUPT);
#if MK_CHECKED
    CHECK(seen.kind == MK_POOL_FAULT_FREE_LIST);
#endif
    head->next = (mk__pool_link *)(void *)(ram + sizeof ram - 64);
    CHECK(mk_pool_check(&p) == MK_ECORRUPT);
    head->next = (mk__pool_link *)(void *)((unsigned char *)c + 16);
    CHECK(mk_pool_check(&p) == MK_ECORRUPT);
    head->next = saved;
    CHECK(mk_pool_check(&p) == MK_OK);
    /* Geometry damage. */
    unsigned char *fresh = p.fresh;
    p.fresh += 1;
    CHECK(mk_pool_check(&p) == MK_ECORRUPT);
    p.fresh = fresh;
    CHECK(mk_pool_check(&p) == MK_OK);
    mk_pool_free(&p, c);
}

/* ---- checked builds: misuse is reported and changes nothing ---- */

#if MK_CHECKED
static void test_checked_misuse(void)
{
    mk_pool p;
    REQUIRE(mk_pool_init(&p, ram, 4096, 40, 8) == MK_OK);
    watch(&p);
    unsigned char *a = mk_pool_alloc(&p), *b = mk_pool_alloc(&p);
    REQUIRE(a && b);
    mk_pool_free(&p, a);
    mk__pool_link *free_before = p.free;

    /* Double free. */
    mk_pool_free(&p, a);
    CHECK(seen.calls == 1 && seen.kind == MK_POOL_FAULT_DOUBLE_FREE && seen.ptr == a);
    CHECK(seen.used_in_hook == 1);
    CHECK(p.free == free_before && mk_pool_used(&p) == 1);
    /* A block never handed out: in the pool, but not live. */
    unsigned char *never = p.base + 10 * p.block_size;
    mk_pool_free(&p, never);
    CHECK(seen.calls == 2 && seen.kind == MK_POOL_FAULT_DOUBLE_FREE && seen.ptr == never);
    /* Interior pointer. */
    mk_pool_free(&p, b + 8);
    CHECK(seen.calls == 3 && seen.kind == MK_POOL_FAULT_BAD_POINTER && seen.ptr == b + 8);
    /* Foreign pointers: before, after, and far away. */
    int local;
    mk_pool_free(&p, &local);
    CHECK(seen.calls == 4 && seen.kind == MK_POOL_FAULT_FOREIGN_POINTER);
    mk_pool_free(&p, p.base - 40);
    CHECK(seen.calls == 5 && seen.kind == MK_POOL_FAULT_FOREIGN_POINTER);
    mk_pool_free(&p, p.end);
    CHECK(seen.calls == 6 && seen.kind == MK_POOL_FAULT_FOREIGN_POINTER);
    CHECK(p.free == free_before && mk_pool_used(&p) == 1 && mk_pool_check(&p) == MK_OK);
    CHECK(seen.calls == 6);

    /* The freed block is poisoned after its link. */
    for (size_t k = sizeof(void *); k < 40; k++)
        CHECK(a[k] == MK_POOL_POISON);

    /* A write after free is reported when the block is reused; the block is still
     * handed out and the pool stays sound. */
    a[20] = 0;
    CHECK(mk_pool_check(&p) == MK_ECORRUPT && seen.kind == MK_POOL_FAULT_WRITE_AFTER_FREE);
    seen.calls = 0;
    CHECK(mk_pool_alloc(&p) == a);
    CHECK(seen.calls == 1 && seen.kind == MK_POOL_FAULT_WRITE_AFTER_FREE && seen.ptr == a);
    CHECK(mk_pool_check(&p) == MK_OK);

    /* A damaged link: alloc hands out the head, reports, and drops the rest of the
     * list instead of following the link. */
    unsigned char *c = mk_pool_alloc(&p);
    mk_pool_free(&p, c);
    mk_pool_free(&p, b); /* list: b -> c */
    ((mk__pool_link *)(void *)b)->next = (mk__pool_link *)(void *)(c + 4);
    seen.calls = 0;
    CHECK(mk_pool_alloc(&p) == b);
    CHECK(seen.calls == 1 && seen.kind == MK_POOL_FAULT_FREE_LIST && seen.ptr == b);
    CHECK(p.free == NULL);
    unsigned char *d = mk_pool_alloc(&p);
    CHECK(d != c && d != NULL); /* c was dropped */
    /* A link to a live block is damage too. */
    mk_pool_free(&p, d);
    ((mk__pool_link *)(void *)d)->next = (mk__pool_link *)(void *)a;
    seen.calls = 0;
    CHECK(mk_pool_alloc(&p) == d);
    CHECK(seen.calls == 1 && seen.kind == MK_POOL_FAULT_FREE_LIST);
    /* A link to the block itself (a one-block cycle) would hand it out twice. */
    unsigned char *e = mk_pool_alloc(&p);
    mk_pool_free(&p, e);
    ((mk__pool_link *)(void *)e)->next = (mk__pool_link *)(void *)e;
    seen.calls = 0;
    CHECK(mk_pool_alloc(&p) == e);
    CHECK(seen.calls == 1 && seen.kind == MK_POOL_FAULT_FREE_LIST && seen.ptr == e);
    unsigned char *f = mk_pool_alloc(&p);
    CHECK(f != e && f != NULL);
    mk_pool_free(&p, f);
    mk_pool_free(&p, e);
    seen.calls = 0;
    /* Dropped c is not live: freeing it is still caught. */
    mk_pool_free(&p, c);
    CHECK(seen.calls == 1 && seen.kind == MK_POOL_FAULT_DOUBLE_FREE && seen.ptr == c);
    CHECK(mk_pool_used(&p) == 3); /* a, b, d */
    mk_pool_free(&p, a);
    mk_pool_free(&p, b);
    mk_pool_free(&p, d);
    CHECK(seen.calls == 1 && mk_pool_used(&p) == 0);

    /* No hooks: faults are still ignored safely. */
    mk_pool_set_hooks(&p, NULL);
    mk_pool_free(&p, a);
    CHECK(mk_pool_used(&p) == 0);
}
#endif

static void test_fault_names(void)
{
    CHECK(strcmp(mk_pool_fault_name(MK_POOL_FAULT_DOUBLE_FREE),
                 "double free (block not live)") == 0);
    for (int k = MK_POOL_FAULT_DOUBLE_FREE; k <= MK_POOL_FAULT_STATS; k++)
        CHECK(strcmp(mk_pool_fault_name((mk_pool_fault)k), "unknown fault") != 0);
    CHECK(strcmp(mk_pool_fault_name((mk_pool_fault)0), "unknown fault") == 0);
    CHECK(strcmp(mk_pool_fault_name((mk_pool_fault)99), "unknown fault") == 0);
}

/* ---- the mk_allocator adapter ---- */

static void test_allocator(void)
{
    mk_pool p;
    REQUIRE(mk_pool_init(&p, ram, 4 * 64 + 32, 64, 32) == MK_OK);
    mk_allocator a = mk_pool_allocator(&p);
    CHECK(mk_alloc(a, 65, 0) == NULL);
    CHECK(mk_alloc(a, SIZE_MAX, 0) == NULL);
    CHECK(mk_alloc(a, 8, 64) == NULL); /* stricter than the pool */
    CHECK(mk_alloc(a, 8, 3) == NULL);
    CHECK(mk_pool_used(&p) == 0);
    void *x = mk_alloc(a, 64, 32);
    void *y = mk_alloc(a, 0, 0); /* size 0 is a valid block */
    void *z = mk_alloc_zeroed(a, 10, 1);
    REQUIRE(x && y && z);
    CHECK(MK_ALIGN > 32 || aligned(y, MK_ALIGN));
    CHECK(((unsigned char *)z)[9] == 0);
    CHECK(mk_owns(a, x) && mk_owns(a, (char *)z + 63));
    CHECK(!mk_owns(a, ram + sizeof ram - 1) && !mk_owns(a, &p));
    CHECK(mk_resize(a, x, 64, 1, 32) && mk_resize(a, x, 1, 64, 0));
    CHECK(!mk_resize(a, x, 64, 65, 0) && !mk_resize(a, x, 64, 8, 128));
    /* remap inside the block stays; beyond it fails and keeps the block. */
    memset(x, 7, 64);
    CHECK(mk_remap(a, x, 64, 32, 0) == x);
    CHECK(mk_remap(a, x, 32, 100, 0) == NULL);
    CHECK(((unsigned char *)x)[63] == 7);
    int *arr = MK_NEW_ARRAY(a, int, 4);
    CHECK(arr != NULL && arr[3] == 0);
    CHECK(mk_pool_used(&p) == 4);
    CHECK(MK_NEW_ARRAY(a, int, 4) == NULL); /* exhausted */
    mk_free(a, x, 64, 32);
    mk_free(a, y, 0, 0);
    mk_free(a, z, 10, 1);
    mk_free(a, arr, 4 * sizeof(int), _Alignof(int));
    mk_free(a, NULL, 8, 0);
    CHECK(mk_pool_used(&p) == 0 && mk_pool_check(&p) == MK_OK);
}

int main(void)
{
    printf("MK_CHECKED=%d\n", MK_CHECKED);
    RUN(test_sizeof);
    RUN(test_init_errors);
    RUN(test_geometry);
    RUN(test_lazy_init);
    RUN(test_alloc_free_stats);
    RUN(test_zero_pool);
    RUN(test_define);
    RUN(test_check_detects);
#if MK_CHECKED
    RUN(test_checked_misuse);
#endif
    RUN(test_fault_names);
    RUN(test_allocator);
    TEST_MAIN_END();
}
