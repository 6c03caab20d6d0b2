/* Unit tests for mk_slist: every operation, the full and empty edges, stability for
 * equal keys, node reuse, bad node pointers, _EXT validation, and the integrity check.
 * Built plain and with MK_CHECKED=1. */
#include <stdint.h>
#include <string.h>

#include "memkit/slist.h"
#include "test.h"

static int asc_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Ordered by key only; seq tells equal keys apart. */
typedef struct ev {
    uint16_t key;
    uint16_t seq;
} ev;
static int ev_cmp(const void *a, const void *b)
{
    uint16_t x = ((const ev *)a)->key, y = ((const ev *)b)->key;
    return (x > y) - (x < y);
}

MK_SLIST_DEFINE(u32_list, uint32_t, 4, asc_u32);
MK_SLIST_DEFINE(doc_list, uint32_t, 64, asc_u32);
MK_SLIST_DEFINE_IDX(doc_list8, uint32_t, 64, uint8_t, asc_u32);
MK_SLIST_DEFINE_IDX(ev_list, ev, 255, uint8_t, ev_cmp);
MK_SLIST_DEFINE_EXT(ext_list, uint32_t, asc_u32);

static void test_sizeof(void)
{
    CHECK(sizeof(doc_list) == 528);
    CHECK(sizeof(doc_list8) == 324);
    CHECK(sizeof(ext_list) == 7 * sizeof(void *));
}

static void test_empty(void)
{
    u32_list l;
    memset(&l, 0, sizeof l);
    CHECK(u32_list_len(&l) == 0);
    CHECK(u32_list_is_empty(&l));
    CHECK(!u32_list_is_full(&l));
    CHECK(u32_list_cap(&l) == 4);
    CHECK(u32_list_peek(&l) == NULL);
    CHECK(u32_list_find(&l, 0) == NULL);
    uint32_t out = 77;
    CHECK(u32_list_pop_front(&l, &out) == MK_EEMPTY);
    CHECK(u32_list_remove(&l, 0, &out) == MK_EEMPTY);
    CHECK(out == 77);
    CHECK(u32_list_remove_node(&l, NULL, NULL) == MK_EINVAL);
    /* A node that was never handed out is not in the list. */
    CHECK(u32_list_remove_node(&l, &l.data[0], NULL) == MK_EINVAL);
    CHECK(u32_list_next(&l, NULL) == NULL);
    CHECK(mk_slist_check(u32_list_view(&l)) == MK_OK);
}

static void expect(const u32_list *l, const uint32_t *want, size_t n)
{
    size_t i = 0;
    for (const uint32_t *p = u32_list_peek(l); p != NULL; p = u32_list_next(l, p), i++)
        CHECK(i < n && *p == want[i]);
    CHECK(i == n);
    CHECK(u32_list_len(l) == n);
    CHECK(mk_slist_check(u32_list_view((u32_list *)l)) == MK_OK);
}

static void test_order_full_and_reuse(void)
{
    u32_list l = { 0 };
    CHECK(u32_list_insert(&l, 30) == MK_OK);
    CHECK(u32_list_insert(&l, 10) == MK_OK);
    CHECK(u32_list_insert(&l, 40) == MK_OK);
    CHECK(u32_list_insert(&l, 20) == MK_OK);
    expect(&l, (const uint32_t[]){ 10, 20, 30, 40 }, 4);
    CHECK(u32_list_is_full(&l));
    u32_list before = l;
    CHECK(u32_list_insert(&l, 0) == MK_EFULL);
    CHECK(memcmp(&l, &before, sizeof l) == 0);
    uint32_t out = 0;
    CHECK(u32_list_pop_front(&l, &out) == MK_OK);
    CHECK(out == 10);
    CHECK(u32_list_remove(&l, 30, &out) == MK_OK);
    CHECK(out == 30);
    CHECK(u32_list_remove(&l, 30, &out) == MK_EEMPTY);
    expect(&l, (const uint32_t[]){ 20, 40 }, 2);
    /* Freed nodes are reused: the list fills to capacity again. */
    CHECK(u32_list_insert(&l, 50) == MK_OK);
    CHECK(u32_list_insert(&l, 5) == MK_OK);
    CHECK(u32_list_insert(&l, 6) == MK_EFULL);
    expect(&l, (const uint32_t[]){ 5, 20, 40, 50 }, 4);
    CHECK(*u32_list_peek(&l) == 5);
    CHECK(*u32_list_find(&l, 40) == 40);
    CHECK(u32_list_find(&l, 41) == NULL);
    CHECK(u32_list_find(&l, 60) == NULL);
    u32_list_clear(&l);
    expect(&l, NULL, 0);
    CHECK(u32_list_insert(&l, 1) == MK_OK);
    expect(&l, (const uint32_t[]){ 1 }, 1);
}

static void test_pointers_stay(void)
{
    u32_list l = { 0 };
    u32_list_insert(&l, 20);
    const uint32_t *p = u32_list_find(&l, 20);
    u32_list_insert(&l, 10);
    u32_list_insert(&l, 30);
    /* Inserting around an element neither moves nor changes it. */
    CHECK(u32_list_find(&l, 20) == p);
    CHECK(*p == 20);
}

static void test_stable(void)
{
    ev_list l = { 0 };
    uint16_t seq = 0;
    for (int round = 0; round < 3; round++)
        for (uint16_t k = 3; k > 0; k--)
            CHECK(ev_list_insert(&l, (ev){ k, seq++ }) == MK_OK);
    /* Equal keys come in insertion order. */
    uint16_t last_key = 0, last_seq = 0;
    size_t n = 0;
    for (const ev *p = ev_list_peek(&l); p != NULL; p = ev_list_next(&l, p), n++) {
        CHECK(p->key >= last_key);
        if (p->key == last_key)
            CHECK(p->seq > last_seq);
        last_key = p->key;
        last_seq = p->seq;
    }
    CHECK(n == 9);
    /* find and remove take the earliest of the equals; seqs for key 2: 1, 4, 7. */
    CHECK(ev_list_find(&l, (ev){ 2, 0 })->seq == 1);
    ev out;
    CHECK(ev_list_remove(&l, (ev){ 2, 99 }, &out) == MK_OK);
    CHECK(out.seq == 1);
    CHECK(ev_list_find(&l, (ev){ 2, 0 })->seq == 4);
    CHECK(ev_list_pop_front(&l, &out) == MK_OK);
    CHECK(out.key == 1 && out.seq == 2);
    CHECK(mk_slist_check(ev_list_view(&l)) == MK_OK);
}

static void test_remove_node(void)
{
    ev_list l = { 0 };
    for (uint16_t i = 0; i < 255; i++)
        CHECK(ev_list_insert(&l, (ev){ (uint16_t)(i % 7), i }) == MK_OK);
    CHECK(ev_list_is_full(&l));
    CHECK(ev_list_insert(&l, (ev){ 0, 0 }) == MK_EFULL);
    /* The second element with key 3, by walking from its first. */
    const ev *p = ev_list_next(&l, ev_list_find(&l, (ev){ 3, 0 }));
    REQUIRE(p != NULL && p->key == 3);
    uint16_t seq = p->seq;
    ev out = { 0, 0 };
    CHECK(ev_list_remove_node(&l, p, &out) == MK_OK);
    CHECK(out.key == 3 && out.seq == seq);
    CHECK(ev_list_len(&l) == 254);
    /* Already removed, outside the array, and inside a node: all rejected. */
    CHECK(ev_list_remove_node(&l, p, NULL) == MK_EINVAL);
    ev elsewhere = { 3, 0 };
    CHECK(ev_list_remove_node(&l, &elsewhere, NULL) == MK_EINVAL);
    const ev *inside = (const ev *)(const void *)((const char *)ev_list_peek(&l) + 1);
    CHECK(ev_list_remove_node(&l, inside, NULL) == MK_EINVAL);
    CHECK(ev_list_next(&l, inside) == NULL);
    CHECK(ev_list_next(&l, &elsewhere) == NULL);
    CHECK(ev_list_len(&l) == 254);
    /* The head and the tail. */
    CHECK(ev_list_remove_node(&l, ev_list_peek(&l), &out) == MK_OK);
    CHECK(out.key == 0 && out.seq == 0);
    const ev *last = ev_list_peek(&l);
    while (ev_list_next(&l, last) != NULL)
        last = ev_list_next(&l, last);
    CHECK(ev_list_remove_node(&l, last, &out) == MK_OK);
    CHECK(out.key == 6);
    CHECK(ev_list_len(&l) == 252);
    CHECK(mk_slist_check(ev_list_view(&l)) == MK_OK);
}

static void test_core_errors_and_check(void)
{
    u32_list l = { 0 };
    mk_slist_view v = u32_list_view(&l);
    CHECK(mk_slist_insert(v, NULL) == MK_EINVAL);
    CHECK(mk_slist_remove(v, NULL, NULL) == MK_EINVAL);
    CHECK(mk_slist_find(v, NULL) == NULL);
    CHECK(mk_slist_len(v) == 0);
    for (uint32_t x = 1; x <= 3; x++)
        mk_slist_insert(v, &x);
    mk_slist_pop_front(v, NULL); /* node 0 on the free list; list 1 -> 2 */
    CHECK(mk_slist_check(v) == MK_OK);
    u32_list good = l;
    l.data[1] = 9; /* out of order */
    CHECK(mk_slist_check(v) == MK_ECORRUPT);
    l = good;
    l.next[2] = 2; /* node 2 -> node 1: a cycle */
    CHECK(mk_slist_check(v) == MK_ECORRUPT);
    l = good;
    l.next[0] = 3; /* the free node leads into the list: the free list is too long */
    CHECK(mk_slist_check(v) == MK_ECORRUPT);
    l = good;
    l.ctl[2] = 3; /* the free list starts inside the list: right lengths, shared tail */
    CHECK(mk_slist_check(v) == MK_ECORRUPT);
    l = good;
    l.ctl[0] = 3; /* len */
    CHECK(mk_slist_check(v) == MK_ECORRUPT);
    l = good;
    l.ctl[3] = 9; /* fresh past the capacity */
    CHECK(mk_slist_check(v) == MK_ECORRUPT);
    l = good;
    CHECK(mk_slist_check(v) == MK_OK);
}

static void test_ext(void)
{
    static mk_slist_link next[6];
    static uint32_t data[6];
    ext_list l;
    memset(&l, 0, sizeof l);
    CHECK(ext_list_cap(&l) == 0);
    CHECK(ext_list_is_full(&l));
    CHECK(ext_list_insert(&l, 1) == MK_EFULL);
    CHECK(ext_list_pop_front(&l, NULL) == MK_EEMPTY);
    CHECK(ext_list_remove_node(&l, &data[0], NULL) == MK_EINVAL);
    ext_list before = l;
    CHECK(ext_list_init_ext(&l, NULL, data, 6) == MK_EINVAL);
    CHECK(ext_list_init_ext(&l, next, NULL, 6) == MK_EINVAL);
    CHECK(ext_list_init_ext(NULL, next, data, 6) == MK_EINVAL);
    CHECK(ext_list_init_ext(&l, next, data, SIZE_MAX) == MK_ERANGE);
    CHECK(ext_list_init_ext(&l, next, data, SIZE_MAX / 8 + 1) == MK_ERANGE);
    CHECK(memcmp(&l, &before, sizeof l) == 0);
    CHECK(ext_list_init_ext(&l, NULL, NULL, 0) == MK_OK);
    memset(next, 0xA5, sizeof next); /* contents do not matter */
    CHECK(ext_list_init_ext(&l, next, data, 6) == MK_OK);
    for (uint32_t x = 6; x > 0; x--)
        CHECK(ext_list_insert(&l, x) == MK_OK);
    CHECK(ext_list_insert(&l, 0) == MK_EFULL);
    uint32_t out;
    for (uint32_t x = 1; x <= 6; x++) {
        CHECK(ext_list_pop_front(&l, &out) == MK_OK);
        CHECK(out == x);
    }
    CHECK(mk_slist_check(ext_list_view(&l)) == MK_OK);
}

int main(void)
{
    RUN(test_sizeof);
    RUN(test_empty);
    RUN(test_order_full_and_reuse);
    RUN(test_pointers_stay);
    RUN(test_stable);
    RUN(test_remove_node);
    RUN(test_core_errors_and_check);
    RUN(test_ext);
    TEST_MAIN_END();
}
