/* Unit tests for mk_deque and mk_hist (the history buffer shares the deque's ring):
 * every operation, both ends, wrap-around, every full/empty edge, the three forms and
 * init_ext's refusals. Built plain and with MK_CHECKED=1. */
#include <stdint.h>
#include <string.h>

#include "memkit/deque.h"
#include "memkit/hist.h"
#include "test.h"

MK_DEQUE_DEFINE(i_deq, int, 4);
MK_DEQUE_DEFINE_IDX(u8_deq, uint8_t, 16, uint8_t);
MK_DEQUE_DEFINE_EXT(x_deq, uint64_t);
MK_HIST_DEFINE(i_hist, int, 3);
MK_HIST_DEFINE_IDX(u8_hist, uint8_t, 255, uint8_t);
MK_HIST_DEFINE_EXT(x_hist, uint16_t);

_Static_assert(sizeof(u8_deq) == 18, "16 bytes + two byte counters");

static void test_deque_empty_full(void)
{
    i_deq d = { 0 };
    int out = 7;
    CHECK(i_deq_is_empty(&d) && i_deq_len(&d) == 0 && i_deq_cap(&d) == 4);
    CHECK(i_deq_pop_back(&d, &out) == MK_EEMPTY && i_deq_pop_front(&d, &out) == MK_EEMPTY);
    CHECK(out == 7 && i_deq_front(&d) == NULL && i_deq_back(&d) == NULL && !i_deq_at(&d, 0));
    CHECK(i_deq_push_back(&d, 1) == MK_OK && i_deq_push_front(&d, 0) == MK_OK); /* [0 1] */
    CHECK(i_deq_push_back(&d, 2) == MK_OK && i_deq_push_front(&d, -1) == MK_OK); /* [-1 0 1 2] */
    CHECK(i_deq_is_full(&d));
    CHECK(i_deq_push_back(&d, 9) == MK_EFULL && i_deq_push_front(&d, 9) == MK_EFULL);
    for (int i = 0; i < 4; i++)
        CHECK(*i_deq_at(&d, (size_t)i) == i - 1);
    CHECK(i_deq_at(&d, 4) == NULL && *i_deq_front(&d) == -1 && *i_deq_back(&d) == 2);
    CHECK(i_deq_pop_front(&d, &out) == MK_OK && out == -1);
    CHECK(i_deq_pop_back(&d, &out) == MK_OK && out == 2);
    CHECK(i_deq_pop_back(&d, NULL) == MK_OK && i_deq_pop_front(&d, NULL) == MK_OK);
    CHECK(i_deq_is_empty(&d) && i_deq_pop_front(&d, &out) == MK_EEMPTY);
    CHECK(i_deq_push_front(&d, 5) == MK_OK);
    i_deq_clear(&d);
    CHECK(i_deq_is_empty(&d) && i_deq_back(&d) == NULL);
}

static void test_deque_wraps(void)
{
    /* A queue that walks round the ring many times keeps FIFO order. */
    static u8_deq d;
    unsigned next_in = 0, next_out = 0;
    for (unsigned round = 0; round < 100; round++) {
        while (u8_deq_push_back(&d, (uint8_t)next_in) == MK_OK)
            next_in++;
        CHECK(u8_deq_is_full(&d) && u8_deq_len(&d) == 16);
        for (unsigned k = 0; k < 5 + round % 7; k++) {
            uint8_t v;
            CHECK(u8_deq_pop_front(&d, &v) == MK_OK && v == (uint8_t)next_out++);
        }
        CHECK(*u8_deq_front(&d) == (uint8_t)next_out);
        CHECK(*u8_deq_back(&d) == (uint8_t)(next_in - 1));
    }
    mk_deque_view w = u8_deq_view(&d);
    CHECK(mk_deque_len(w) == u8_deq_len(&d) && mk_deque_at(w, 0) == u8_deq_front(&d));
    uint8_t x = 1;
    CHECK(mk_deque_push_back(w, NULL) == MK_EINVAL && mk_deque_push_front(w, NULL) == MK_EINVAL);
    mk_deque_clear(w);
    CHECK(u8_deq_is_empty(&d) && mk_deque_pop_back(w, &x) == MK_EEMPTY && x == 1);
}

static void test_deque_ext(void)
{
    x_deq z = { 0 };
    CHECK(x_deq_cap(&z) == 0 && x_deq_is_full(&z) && x_deq_push_back(&z, 1) == MK_EFULL);
    CHECK(x_deq_push_front(&z, 1) == MK_EFULL && x_deq_pop_front(&z, NULL) == MK_EEMPTY);
    uint64_t buf[3];
    x_deq d;
    memset(&d, 0x5A, sizeof d);
    x_deq before = d;
    CHECK(x_deq_init_ext(&d, NULL, 3) == MK_EINVAL);
    CHECK(x_deq_init_ext(NULL, buf, 3) == MK_EINVAL);
    CHECK(x_deq_init_ext(&d, buf, SIZE_MAX) == MK_ERANGE);
    CHECK(x_deq_init_ext(&d, buf, SIZE_MAX / 8u) == MK_ERANGE);
    CHECK(memcmp(&d, &before, sizeof d) == 0);
    CHECK(x_deq_init_ext(&d, buf, 3) == MK_OK && x_deq_cap(&d) == 3 && x_deq_is_empty(&d));
    CHECK(x_deq_push_front(&d, 30) == MK_OK && x_deq_push_front(&d, 20) == MK_OK);
    CHECK(x_deq_push_back(&d, 40) == MK_OK && x_deq_push_back(&d, 50) == MK_EFULL);
    CHECK(*x_deq_at(&d, 0) == 20 && *x_deq_at(&d, 2) == 40);
}

static void test_hist(void)
{
    i_hist h = { 0 };
    CHECK(i_hist_is_empty(&h) && i_hist_recent(&h) == NULL && i_hist_oldest(&h) == NULL);
    i_hist_write(&h, 1);
    CHECK(i_hist_len(&h) == 1 && *i_hist_recent(&h) == 1 && *i_hist_oldest(&h) == 1);
    i_hist_write(&h, 2);
    i_hist_write(&h, 3);
    CHECK(i_hist_is_full(&h) && *i_hist_at(&h, 0) == 1 && *i_hist_at(&h, 2) == 3);
    i_hist_write(&h, 4); /* drops 1 */
    CHECK(i_hist_len(&h) == 3 && *i_hist_oldest(&h) == 2 && *i_hist_recent(&h) == 4);
    for (int v = 5; v < 40; v++)
        i_hist_write(&h, v);
    CHECK(*i_hist_at(&h, 0) == 37 && *i_hist_at(&h, 1) == 38 && *i_hist_at(&h, 2) == 39);
    CHECK(i_hist_at(&h, 3) == NULL);
    i_hist_clear(&h);
    CHECK(i_hist_is_empty(&h) && i_hist_at(&h, 0) == NULL);

    static u8_hist b; /* 255 slots: the uint8_t counters at their limit */
    for (unsigned v = 0; v < 1000; v++)
        u8_hist_write(&b, (uint8_t)v);
    CHECK(u8_hist_len(&b) == 255 && *u8_hist_oldest(&b) == (uint8_t)(1000 - 255));
    CHECK(*u8_hist_recent(&b) == (uint8_t)999);

    x_hist z = { 0 }; /* capacity 0: writes are dropped */
    x_hist_write(&z, 5);
    CHECK(x_hist_len(&z) == 0 && x_hist_recent(&z) == NULL);
    uint16_t buf[2];
    x_hist e;
    CHECK(x_hist_init_ext(&e, buf, SIZE_MAX) == MK_ERANGE);
    CHECK(x_hist_init_ext(NULL, buf, 2) == MK_EINVAL);
    CHECK(x_hist_init_ext(&e, buf, 2) == MK_OK);
    x_hist_write(&e, 1);
    x_hist_write(&e, 2);
    x_hist_write(&e, 3);
    CHECK(*x_hist_oldest(&e) == 2 && *x_hist_recent(&e) == 3 && x_hist_len(&e) == 2);
    mk_hist_write(x_hist_view(&e), NULL);
    CHECK(*x_hist_recent(&e) == 3);
}

int main(void)
{
    RUN(test_deque_empty_full);
    RUN(test_deque_wraps);
    RUN(test_deque_ext);
    RUN(test_hist);
    TEST_MAIN_END();
}
