/* Unit tests for mk_vec: every typed and core operation, every full/empty edge, the
 * three forms (_DEFINE, _DEFINE_IDX, _DEFINE_EXT) and init_ext's refusals. Built plain
 * and with MK_CHECKED=1. */
#include <stdint.h>
#include <string.h>

#include "memkit/vec.h"
#include "test.h"

MK_VEC_DEFINE(i32_vec, int32_t, 4);
MK_VEC_DEFINE_IDX(u8_vec, uint8_t, 16, uint8_t);
MK_VEC_DEFINE_IDX(w_vec, uint16_t, 300, uint16_t);
typedef struct point {
    int16_t x;
    int8_t tag;
} point;
MK_VEC_DEFINE_EXT(pt_vec, point);
MK_VEC_DEFINE_EXT(big_vec, uint64_t);

/* The size target: a 16-byte vector with a byte counter costs one byte more. */
_Static_assert(sizeof(u8_vec) <= 18, "u8_vec is larger than 18 bytes");
_Static_assert(sizeof(u8_vec) == 17, "u8_vec should be 16 elements + 1 counter byte");
_Static_assert(sizeof(pt_vec) == 3 * sizeof(void *), "an _EXT vector is 3 words");

static void test_zero_is_empty(void)
{
    static i32_vec s; /* static: zero bytes, no init call */
    i32_vec v = { 0 };
    CHECK(i32_vec_is_empty(&s) && i32_vec_len(&s) == 0 && i32_vec_cap(&s) == 4);
    CHECK(i32_vec_is_empty(&v) && !i32_vec_is_full(&v));
    CHECK(i32_vec_first(&v) == NULL && i32_vec_last(&v) == NULL);
    CHECK(i32_vec_at(&v, 0) == NULL && i32_vec_get(&v, 0) == NULL);
    int32_t out = 99;
    CHECK(i32_vec_pop(&v, &out) == MK_EEMPTY && out == 99);
    CHECK(i32_vec_pop(&v, NULL) == MK_EEMPTY);
    CHECK(i32_vec_remove(&v, 0, &out) == MK_EINVAL && out == 99);
    CHECK(i32_vec_swap_remove(&v, 0, &out) == MK_EINVAL && out == 99);
    CHECK(i32_vec_len(&v) == 0);
}

static void test_push_pop_full(void)
{
    i32_vec v = { 0 };
    for (int32_t i = 0; i < 4; i++) {
        CHECK(!i32_vec_is_full(&v));
        CHECK(i32_vec_push(&v, i * 10) == MK_OK);
    }
    CHECK(i32_vec_is_full(&v) && i32_vec_len(&v) == 4);
    CHECK(i32_vec_push(&v, 77) == MK_EFULL);
    CHECK(i32_vec_insert(&v, 0, 77) == MK_EFULL);
    CHECK(i32_vec_insert(&v, 4, 77) == MK_EFULL);
    CHECK(i32_vec_len(&v) == 4 && *i32_vec_at(&v, 0) == 0 && *i32_vec_last(&v) == 30);
    CHECK(*i32_vec_first(&v) == 0 && *i32_vec_get(&v, 2) == 20);
    CHECK(i32_vec_at(&v, 4) == NULL && i32_vec_at(&v, SIZE_MAX) == NULL);
    int32_t out = 0;
    CHECK(i32_vec_pop(&v, &out) == MK_OK && out == 30 && i32_vec_len(&v) == 3);
    CHECK(i32_vec_pop(&v, NULL) == MK_OK && i32_vec_len(&v) == 2);
    CHECK(*i32_vec_last(&v) == 10);
    i32_vec_push_unchecked(&v, 5);
    i32_vec_push_unchecked(&v, 6);
    CHECK(i32_vec_is_full(&v) && *i32_vec_last(&v) == 6 && *i32_vec_at(&v, 2) == 5);
    /* Through the pointer at() returns, the element itself changes. */
    *i32_vec_at(&v, 1) = -1;
    CHECK(*i32_vec_get(&v, 1) == -1);
}

static void test_insert_remove(void)
{
    i32_vec v = { 0 };
    CHECK(i32_vec_insert(&v, 1, 9) == MK_EINVAL && i32_vec_len(&v) == 0);
    CHECK(i32_vec_insert(&v, 0, 2) == MK_OK);         /* [2] */
    CHECK(i32_vec_insert(&v, 0, 0) == MK_OK);         /* [0 2] */
    CHECK(i32_vec_insert(&v, 1, 1) == MK_OK);         /* [0 1 2] */
    CHECK(i32_vec_insert(&v, 3, 3) == MK_OK);         /* [0 1 2 3]: at == len appends */
    for (int32_t i = 0; i < 4; i++)
        CHECK(*i32_vec_at(&v, (size_t)i) == i);
    int32_t out = -5;
    CHECK(i32_vec_remove(&v, 4, &out) == MK_EINVAL && out == -5);
    CHECK(i32_vec_remove(&v, 1, &out) == MK_OK && out == 1); /* [0 2 3] */
    CHECK(i32_vec_len(&v) == 3 && *i32_vec_at(&v, 1) == 2 && *i32_vec_at(&v, 2) == 3);
    CHECK(i32_vec_remove(&v, 2, NULL) == MK_OK);              /* [0 2]: the last */
    CHECK(i32_vec_push(&v, 7) == MK_OK && i32_vec_push(&v, 8) == MK_OK); /* [0 2 7 8] */
    CHECK(i32_vec_swap_remove(&v, 0, &out) == MK_OK && out == 0);        /* [8 2 7] */
    CHECK(*i32_vec_at(&v, 0) == 8 && i32_vec_len(&v) == 3);
    CHECK(i32_vec_swap_remove(&v, 2, &out) == MK_OK && out == 7);        /* [8 2] */
    CHECK(i32_vec_swap_remove(&v, 2, &out) == MK_EINVAL && out == 7);
    CHECK(i32_vec_len(&v) == 2 && *i32_vec_at(&v, 1) == 2);
}

static void test_extend_truncate_clear(void)
{
    u8_vec v = { 0 };
    uint8_t src[20];
    for (unsigned i = 0; i < 20; i++)
        src[i] = (uint8_t)(100 + i);
    CHECK(u8_vec_extend(&v, NULL, 0) == MK_OK && u8_vec_len(&v) == 0);
    CHECK(u8_vec_extend(&v, NULL, 1) == MK_EINVAL);
    CHECK(u8_vec_extend(&v, src, 17) == MK_EFULL && u8_vec_len(&v) == 0);
    CHECK(u8_vec_extend(&v, src, 10) == MK_OK && u8_vec_len(&v) == 10);
    CHECK(u8_vec_extend(&v, src, 7) == MK_EFULL && u8_vec_len(&v) == 10); /* all or none */
    CHECK(u8_vec_extend(&v, src + 10, 6) == MK_OK && u8_vec_is_full(&v));
    for (size_t i = 0; i < 16; i++)
        CHECK(*u8_vec_at(&v, i) == 100 + i);
    CHECK(u8_vec_push(&v, 1) == MK_EFULL);
    u8_vec_truncate(&v, 20);
    CHECK(u8_vec_len(&v) == 16);
    u8_vec_truncate(&v, 5);
    CHECK(u8_vec_len(&v) == 5 && *u8_vec_last(&v) == 104 && u8_vec_at(&v, 5) == NULL);
    u8_vec_truncate(&v, 0);
    CHECK(u8_vec_is_empty(&v));
    CHECK(u8_vec_push(&v, 3) == MK_OK);
    u8_vec_clear(&v);
    CHECK(u8_vec_is_empty(&v) && u8_vec_first(&v) == NULL);
}

static void test_narrow_counter_at_its_limit(void)
{
    /* 300 needs the uint16_t counter; the vector fills and empties exactly. */
    static w_vec v;
    for (unsigned i = 0; i < 300; i++)
        REQUIRE(w_vec_push(&v, (uint16_t)(i * 3)) == MK_OK);
    CHECK(w_vec_is_full(&v) && w_vec_len(&v) == 300);
    CHECK(w_vec_push(&v, 0) == MK_EFULL);
    CHECK(*w_vec_at(&v, 299) == 897);
    uint16_t out;
    for (unsigned i = 300; i-- > 0;)
        CHECK(w_vec_pop(&v, &out) == MK_OK && out == i * 3);
    CHECK(w_vec_pop(&v, &out) == MK_EEMPTY);
}

static void test_view(void)
{
    u8_vec a = { 0 };
    mk_vec_view w = u8_vec_view(&a);
    CHECK(w.cap == 16 && w.esize == 1 && w.idx_size == 1);
    uint8_t x = 42, out = 0;
    CHECK(mk_vec_push(w, &x) == MK_OK && u8_vec_len(&a) == 1 && *u8_vec_at(&a, 0) == 42);
    CHECK(mk_vec_push(w, NULL) == MK_EINVAL && mk_vec_len(w) == 1);
    CHECK(mk_vec_insert(w, 0, NULL) == MK_EINVAL && mk_vec_len(w) == 1);
    CHECK(mk_vec_at(w, 0) == u8_vec_at(&a, 0) && mk_vec_at(w, 1) == NULL);
    /* Two views see the same vector. */
    CHECK(mk_vec_len(u8_vec_view(&a)) == 1);
    mk_vec_truncate(w, 3);
    CHECK(mk_vec_len(w) == 1);
    mk_vec_truncate(w, 0);
    CHECK(u8_vec_is_empty(&a));
    CHECK(mk_vec_push(w, &x) == MK_OK);
    mk_vec_clear(w);
    CHECK(u8_vec_is_empty(&a) && mk_vec_pop(w, &out) == MK_EEMPTY && out == 0);
}

static void test_ext(void)
{
    pt_vec z = { 0 }; /* all zero: capacity 0, every insertion fails */
    point p = { 3, 4 };
    CHECK(pt_vec_cap(&z) == 0 && pt_vec_is_empty(&z) && pt_vec_is_full(&z));
    CHECK(pt_vec_push(&z, p) == MK_EFULL && pt_vec_insert(&z, 0, p) == MK_EFULL);
    CHECK(pt_vec_extend(&z, &p, 1) == MK_EFULL && pt_vec_extend(&z, NULL, 0) == MK_OK);
    CHECK(pt_vec_pop(&z, NULL) == MK_EEMPTY && pt_vec_at(&z, 0) == NULL);

    point buf[3];
    pt_vec v;
    memset(&v, 0xA5, sizeof v);
    CHECK(pt_vec_init_ext(&v, buf, 3) == MK_OK);
    CHECK(pt_vec_cap(&v) == 3 && pt_vec_is_empty(&v));
    for (int16_t i = 0; i < 3; i++)
        CHECK(pt_vec_push(&v, (point){ i, (int8_t)-i }) == MK_OK);
    CHECK(pt_vec_push(&v, p) == MK_EFULL && pt_vec_is_full(&v));
    CHECK(pt_vec_at(&v, 2) == &buf[2] && buf[2].x == 2 && buf[2].tag == -2);
    mk_vec_view w = pt_vec_view(&v);
    CHECK(w.idx_size == sizeof(size_t) && w.esize == sizeof(point) && mk_vec_len(w) == 3);
    point out;
    CHECK(pt_vec_remove(&v, 0, &out) == MK_OK && out.x == 0 && buf[0].x == 1);
    /* A NULL buffer is fine only for capacity 0. */
    CHECK(pt_vec_init_ext(&v, NULL, 0) == MK_OK && pt_vec_cap(&v) == 0);
}

static void test_init_ext_refusals(void)
{
    big_vec v;
    memset(&v, 0xA5, sizeof v);
    big_vec before = v;
    uint64_t buf[2];
    CHECK(big_vec_init_ext(&v, NULL, 1) == MK_EINVAL);
    CHECK(big_vec_init_ext(NULL, buf, 1) == MK_EINVAL);
    /* SIZE_MAX-scale capacities: the byte count overflows size_t, or exceeds the
     * largest object C allows. */
    CHECK(big_vec_init_ext(&v, buf, SIZE_MAX) == MK_ERANGE);
    CHECK(big_vec_init_ext(&v, buf, SIZE_MAX / 8 + 1) == MK_ERANGE);
    CHECK(big_vec_init_ext(&v, buf, (size_t)PTRDIFF_MAX / 8 + 1) == MK_ERANGE);
    CHECK(memcmp(&v, &before, sizeof v) == 0); /* untouched on failure */
    CHECK(mk_container_check_buffer(buf, SIZE_MAX, 1) == MK_ERANGE);
    CHECK(mk_container_check_buffer(buf, (size_t)PTRDIFF_MAX + 1u, 1) == MK_ERANGE);
    CHECK(mk_container_check_buffer(buf, 1, 0) == MK_ERANGE);
    /* A buffer that would run past the top of the address space. */
    CHECK(mk_container_check_buffer((void *)(UINTPTR_MAX - 15u), 32, 1) == MK_ERANGE);
    CHECK(mk_container_check_buffer((void *)(UINTPTR_MAX - 15u), 15, 1) == MK_OK);
    CHECK(mk_container_check_buffer(buf, 2, 8) == MK_OK);
}

int main(void)
{
    printf("sizeof: u8_vec %zu, i32_vec %zu, pt_vec %zu\n", sizeof(u8_vec), sizeof(i32_vec),
           sizeof(pt_vec));
    RUN(test_zero_is_empty);
    RUN(test_push_pop_full);
    RUN(test_insert_remove);
    RUN(test_extend_truncate_clear);
    RUN(test_narrow_counter_at_its_limit);
    RUN(test_view);
    RUN(test_ext);
    RUN(test_init_ext_refusals);
    TEST_MAIN_END();
}
