/* Unit tests for mk_bheap: every operation, the full and empty edges, min and max order,
 * large elements, _EXT validation. Built plain and with MK_CHECKED=1. */
#include <stdint.h>
#include <string.h>

#include "memkit/bheap.h"
#include "test.h"

static int asc_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}
static int desc_u32(const void *a, const void *b) { return asc_u32(b, a); }

/* An element larger than any register, ordered by one field. */
typedef struct job {
    uint32_t prio;
    char name[13];
} job;
static int job_cmp(const void *a, const void *b)
{
    return asc_u32(&((const job *)a)->prio, &((const job *)b)->prio);
}

MK_BHEAP_DEFINE(min_heap, uint32_t, 8, asc_u32);
MK_BHEAP_DEFINE_IDX(max_heap, uint32_t, 255, uint8_t, desc_u32);
MK_BHEAP_DEFINE_IDX(job_heap, job, 4, uint16_t, job_cmp);
MK_BHEAP_DEFINE_IDX(doc_heap16, uint32_t, 256, uint16_t, asc_u32);
MK_BHEAP_DEFINE(doc_heap, uint32_t, 256, asc_u32);
MK_BHEAP_DEFINE_EXT(ext_heap, uint32_t, asc_u32);

static void test_sizeof(void)
{
    CHECK(sizeof(doc_heap) == 1028);
    CHECK(sizeof(doc_heap16) == 1028);
    CHECK(sizeof(max_heap) == 1 + 3 + 255 * 4);
    CHECK(sizeof(ext_heap) == 3 * sizeof(void *));
}

static void test_empty(void)
{
    min_heap h;
    memset(&h, 0, sizeof h);
    CHECK(min_heap_len(&h) == 0);
    CHECK(min_heap_is_empty(&h));
    CHECK(!min_heap_is_full(&h));
    CHECK(min_heap_cap(&h) == 8);
    CHECK(min_heap_peek(&h) == NULL);
    uint32_t out = 7;
    CHECK(min_heap_pop(&h, &out) == MK_EEMPTY);
    CHECK(min_heap_replace_top(&h, 3, &out) == MK_EEMPTY);
    CHECK(out == 7);
    CHECK(min_heap_len(&h) == 0);
    /* push_pop on an empty heap hands the item straight back. */
    CHECK(min_heap_push_pop(&h, 42) == 42);
    CHECK(min_heap_len(&h) == 0);
    CHECK(mk_bheap_check(min_heap_view(&h)) == MK_OK);
}

static void test_min_order_and_full(void)
{
    min_heap h = { 0 };
    static const uint32_t in[] = { 5, 3, 9, 3, 1, 8, 0, 7 };
    for (size_t i = 0; i < 8; i++) {
        CHECK(min_heap_push(&h, in[i]) == MK_OK);
        CHECK(mk_bheap_check(min_heap_view(&h)) == MK_OK);
    }
    CHECK(min_heap_is_full(&h));
    min_heap before = h;
    CHECK(min_heap_push(&h, 2) == MK_EFULL);
    CHECK(memcmp(&h, &before, sizeof h) == 0);
    CHECK(*min_heap_peek(&h) == 0);
    static const uint32_t sorted[] = { 0, 1, 3, 3, 5, 7, 8, 9 };
    for (size_t i = 0; i < 8; i++) {
        uint32_t out = 999;
        CHECK(min_heap_pop(&h, &out) == MK_OK);
        CHECK(out == sorted[i]);
    }
    CHECK(min_heap_pop(&h, NULL) == MK_EEMPTY);
    CHECK(min_heap_push(&h, 4) == MK_OK);
    CHECK(min_heap_pop(&h, NULL) == MK_OK);
    CHECK(min_heap_is_empty(&h));
}

static void test_max_order(void)
{
    max_heap h = { 0 };
    for (uint32_t i = 0; i < 255; i++)
        CHECK(max_heap_push(&h, (i * 37u) % 255u) == MK_OK);
    CHECK(max_heap_push(&h, 1000) == MK_EFULL);
    uint32_t prev = UINT32_MAX, out;
    size_t n = 0;
    while (max_heap_pop(&h, &out) == MK_OK) {
        CHECK(out <= prev);
        prev = out;
        n++;
    }
    CHECK(n == 255);
    CHECK(prev == 0);
}

static void test_push_pop_and_replace(void)
{
    min_heap h = { 0 };
    min_heap_push(&h, 10);
    min_heap_push(&h, 20);
    /* x sorts no later than the top: x comes straight back, heap unchanged. */
    CHECK(min_heap_push_pop(&h, 5) == 5);
    CHECK(min_heap_push_pop(&h, 10) == 10);
    CHECK(min_heap_len(&h) == 2);
    /* x sorts after the top: the top comes out, x goes in. */
    CHECK(min_heap_push_pop(&h, 30) == 10);
    CHECK(*min_heap_peek(&h) == 20);
    CHECK(min_heap_len(&h) == 2);
    /* replace_top always takes the top, even when x would sort before it. */
    uint32_t out = 0;
    CHECK(min_heap_replace_top(&h, 1, &out) == MK_OK);
    CHECK(out == 20);
    CHECK(*min_heap_peek(&h) == 1);
    CHECK(min_heap_replace_top(&h, 50, NULL) == MK_OK);
    CHECK(*min_heap_peek(&h) == 30);
    CHECK(mk_bheap_check(min_heap_view(&h)) == MK_OK);
    /* push_pop works on a full heap. */
    for (uint32_t i = 0; i < 6; i++)
        min_heap_push(&h, 100 + i);
    CHECK(min_heap_is_full(&h));
    CHECK(min_heap_push_pop(&h, 99) == 30);
    CHECK(min_heap_is_full(&h));
    CHECK(*min_heap_peek(&h) == 50);
    min_heap_clear(&h);
    CHECK(min_heap_is_empty(&h));
    CHECK(min_heap_peek(&h) == NULL);
}

static void test_large_elements(void)
{
    job_heap h = { 0 };
    job a = { 3, "three" }, b = { 1, "one" }, c = { 2, "two" }, d = { 0, "zero" };
    CHECK(job_heap_push(&h, a) == MK_OK);
    CHECK(job_heap_push(&h, b) == MK_OK);
    CHECK(job_heap_push(&h, c) == MK_OK);
    CHECK(job_heap_push(&h, d) == MK_OK);
    CHECK(job_heap_push(&h, a) == MK_EFULL);
    static const char *const want[] = { "zero", "one", "two", "three" };
    for (size_t i = 0; i < 4; i++) {
        job out;
        CHECK(job_heap_pop(&h, &out) == MK_OK);
        CHECK(out.prio == i);
        CHECK(strcmp(out.name, want[i]) == 0);
    }
}

static void test_core_errors_and_check(void)
{
    min_heap h = { 0 };
    mk_bheap_view v = min_heap_view(&h);
    uint32_t x = 1, out;
    CHECK(mk_bheap_push(v, NULL) == MK_EINVAL);
    CHECK(mk_bheap_push_pop(v, NULL, &out) == MK_EINVAL);
    CHECK(mk_bheap_push_pop(v, &x, NULL) == MK_EINVAL);
    CHECK(mk_bheap_replace_top(v, NULL, &out) == MK_EINVAL);
    CHECK(mk_bheap_len(v) == 0);
    mk_bheap_push(v, &x);
    x = 2;
    mk_bheap_push(v, &x);
    CHECK(mk_bheap_check(v) == MK_OK);
    h.data[0] = 3; /* changed in place: now the root sorts after its child */
    CHECK(mk_bheap_check(v) == MK_ECORRUPT);
    h.data[0] = 1;
    h.len = 9;
    CHECK(mk_bheap_check(v) == MK_ECORRUPT);
    mk_bheap_clear(v);
    CHECK(h.len == 0);
}

static void test_ext(void)
{
    static uint32_t buf[5];
    ext_heap h;
    memset(&h, 0, sizeof h);
    CHECK(ext_heap_cap(&h) == 0);
    CHECK(ext_heap_is_full(&h));
    CHECK(ext_heap_push(&h, 1) == MK_EFULL);
    CHECK(ext_heap_pop(&h, NULL) == MK_EEMPTY);
    CHECK(ext_heap_push_pop(&h, 6) == 6);
    ext_heap before = h;
    CHECK(ext_heap_init_ext(&h, NULL, 5) == MK_EINVAL);
    CHECK(ext_heap_init_ext(NULL, buf, 5) == MK_EINVAL);
    CHECK(ext_heap_init_ext(&h, buf, SIZE_MAX) == MK_ERANGE);
    CHECK(ext_heap_init_ext(&h, buf, SIZE_MAX / 4 + 1) == MK_ERANGE);
    CHECK(memcmp(&h, &before, sizeof h) == 0);
    CHECK(ext_heap_init_ext(&h, NULL, 0) == MK_OK);
    /* Capacity need not be a power of two. */
    CHECK(ext_heap_init_ext(&h, buf, 5) == MK_OK);
    for (uint32_t i = 5; i > 0; i--)
        CHECK(ext_heap_push(&h, i) == MK_OK);
    CHECK(ext_heap_push(&h, 0) == MK_EFULL);
    CHECK(*ext_heap_peek(&h) == 1);
    CHECK(mk_bheap_check(ext_heap_view(&h)) == MK_OK);
}

int main(void)
{
    RUN(test_sizeof);
    RUN(test_empty);
    RUN(test_min_order_and_full);
    RUN(test_max_order);
    RUN(test_push_pop_and_replace);
    RUN(test_large_elements);
    RUN(test_core_errors_and_check);
    RUN(test_ext);
    TEST_MAIN_END();
}
