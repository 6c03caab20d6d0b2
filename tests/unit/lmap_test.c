/* Unit tests for mk_lmap: put (insert and replace), get, contains, remove (first, middle,
 * last, absent), iteration, every full/empty edge, struct keys, the three forms and
 * init_ext's refusals. Built plain and with MK_CHECKED=1. */
#include <stdint.h>
#include <string.h>

#include "memkit/lmap.h"
#include "test.h"

MK_LMAP_DEFINE(imap, int, int, 3);
MK_LMAP_DEFINE_IDX(u8map, uint8_t, uint8_t, 8, uint8_t);
typedef struct pin {
    uint16_t port;
    uint16_t line;
} pin; /* no padding: compared byte by byte */
MK_LMAP_DEFINE_EXT(pinmap, pin, const char *);

_Static_assert(sizeof(u8map) == 17, "8 keys + 8 values + a byte counter");

static void test_put_get_full(void)
{
    imap m = { 0 };
    int out = -1;
    CHECK(imap_is_empty(&m) && imap_get(&m, 1) == NULL && !imap_contains(&m, 1));
    CHECK(imap_remove(&m, 1, &out) == MK_EEMPTY && out == -1);
    CHECK(imap_key_at(&m, 0) == NULL && imap_val_at(&m, 0) == NULL);
    CHECK(imap_put(&m, 10, 100) == MK_OK && imap_put(&m, 20, 200) == MK_OK);
    CHECK(imap_put(&m, 30, 300) == MK_OK && imap_is_full(&m) && imap_len(&m) == 3);
    CHECK(imap_put(&m, 40, 400) == MK_EFULL && !imap_contains(&m, 40));
    CHECK(imap_put(&m, 20, 222) == MK_OK && *imap_get(&m, 20) == 222); /* replace when full */
    CHECK(imap_len(&m) == 3 && *imap_get(&m, 10) == 100 && *imap_get(&m, 30) == 300);
    *imap_get(&m, 30) = 333;
    CHECK(*imap_val_at(&m, 2) == 333 && *imap_key_at(&m, 2) == 30);
    CHECK(imap_remove(&m, 10, &out) == MK_OK && out == 100); /* 30 moves to slot 0 */
    CHECK(imap_len(&m) == 2 && *imap_key_at(&m, 0) == 30 && *imap_key_at(&m, 1) == 20);
    CHECK(imap_remove(&m, 20, NULL) == MK_OK && imap_remove(&m, 20, &out) == MK_EEMPTY);
    CHECK(imap_len(&m) == 1 && imap_contains(&m, 30) && !imap_contains(&m, 20));
    CHECK(imap_remove(&m, 30, &out) == MK_OK && out == 333 && imap_is_empty(&m));
    CHECK(imap_put(&m, 5, 50) == MK_OK);
    imap_clear(&m);
    CHECK(imap_is_empty(&m) && !imap_contains(&m, 5));
}

static void test_iteration_and_view(void)
{
    static u8map m;
    for (unsigned k = 0; k < 8; k++)
        CHECK(u8map_put(&m, (uint8_t)(k * 3), (uint8_t)k) == MK_OK);
    CHECK(u8map_put(&m, 1, 1) == MK_EFULL);
    unsigned seen = 0;
    for (size_t i = 0; i < u8map_len(&m); i++)
        seen |= 1u << *u8map_val_at(&m, i);
    CHECK(seen == 0xFF);
    mk_lmap_view w = u8map_view(&m);
    uint8_t k = 9, v = 0;
    CHECK(mk_lmap_len(w) == 8 && *(uint8_t *)mk_lmap_get(w, &k) == 3);
    CHECK(mk_lmap_put(w, NULL, &v) == MK_EINVAL && mk_lmap_put(w, &k, NULL) == MK_EINVAL);
    CHECK(mk_lmap_get(w, NULL) == NULL && mk_lmap_remove(w, NULL, &v) == MK_EINVAL);
    CHECK(mk_lmap_key_at(w, 8) == NULL && mk_lmap_val_at(w, 7) != NULL);
    mk_lmap_clear(w);
    CHECK(u8map_is_empty(&m));
}

static void test_ext(void)
{
    pinmap z = { 0 };
    CHECK(pinmap_cap(&z) == 0 && pinmap_put(&z, (pin){ 1, 2 }, "x") == MK_EFULL);
    CHECK(pinmap_get(&z, (pin){ 1, 2 }) == NULL && pinmap_len(&z) == 0);
    pin keys[4];
    const char *vals[4];
    pinmap m;
    memset(&m, 0x3C, sizeof m);
    pinmap before = m;
    CHECK(pinmap_init_ext(&m, NULL, vals, 4) == MK_EINVAL);
    CHECK(pinmap_init_ext(&m, keys, NULL, 4) == MK_EINVAL);
    CHECK(pinmap_init_ext(NULL, keys, vals, 4) == MK_EINVAL);
    CHECK(pinmap_init_ext(&m, keys, vals, SIZE_MAX) == MK_ERANGE);
    CHECK(memcmp(&m, &before, sizeof m) == 0);
    CHECK(pinmap_init_ext(&m, keys, vals, 4) == MK_OK && pinmap_is_empty(&m));
    CHECK(pinmap_put(&m, (pin){ 0, 5 }, "led") == MK_OK);
    CHECK(pinmap_put(&m, (pin){ 5, 0 }, "btn") == MK_OK);
    CHECK(strcmp(*pinmap_get(&m, (pin){ 0, 5 }), "led") == 0);
    CHECK(strcmp(*pinmap_get(&m, (pin){ 5, 0 }), "btn") == 0);
    CHECK(!pinmap_contains(&m, (pin){ 0, 0 }) && pinmap_len(&m) == 2);
}

int main(void)
{
    RUN(test_put_get_full);
    RUN(test_iteration_and_view);
    RUN(test_ext);
    TEST_MAIN_END();
}
