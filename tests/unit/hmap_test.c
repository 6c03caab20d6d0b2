/* Unit tests for mk_hmap / mk_hset: every operation, the full and empty edges, order
 * after each kind of removal, adversarial hashes, _EXT validation. Built plain and with
 * MK_CHECKED=1. */
#include <stdint.h>
#include <string.h>

#include "memkit/hmap.h"
#include "test.h"

MK_HMAP_DEFINE(u32_map, uint32_t, uint32_t, 8);
MK_HMAP_DEFINE_IDX(small_map, uint8_t, uint8_t, 16, uint8_t);
MK_HSET_DEFINE(u16_set, uint16_t, 4);
MK_HMAP_DEFINE_EXT(ext_map, uint32_t, uint32_t);
MK_HSET_DEFINE_EXT(ext_set, uint64_t);

/* Every key collides: the worst case the table must survive. */
static uint32_t const_hash(const void *key, size_t size)
{
    (void)key;
    (void)size;
    return 7;
}
MK_HMAP_DEFINE_FN(bad_map, uint32_t, uint32_t, 8, uint16_t, const_hash, mk_eq_bytes);

/* Keys that point at strings: hashed and compared by contents. */
static uint32_t str_hash(const void *key, size_t size)
{
    (void)size;
    const char *s = *(const char *const *)key;
    return mk_hash_bytes(s, strlen(s));
}
static bool str_eq(const void *a, const void *b, size_t size)
{
    (void)size;
    return strcmp(*(const char *const *)a, *(const char *const *)b) == 0;
}
typedef const char *cstr; /* a pointer key type goes through a typedef */
MK_HMAP_DEFINE_FN(str_map, cstr, int, 4, uint8_t, str_hash, str_eq);

MK_HMAP_DEFINE(doc_map, uint32_t, uint32_t, 256);
MK_HMAP_DEFINE_IDX(doc_map16, uint32_t, uint32_t, 256, uint16_t);

static void test_sizeof(void)
{
    /* The figures hmap.h documents. */
    CHECK(sizeof(small_map) == 65);
    CHECK(sizeof(doc_map) == 4100);
    CHECK(sizeof(doc_map16) == 3076);
    CHECK(sizeof(ext_map) == 5 * sizeof(void *));
    CHECK(sizeof(ext_set) == 4 * sizeof(void *));
    printf("sizeof u32->u32 N=256: %zu (uint16_t counters %zu), ext %zu\n", sizeof(doc_map),
           sizeof(doc_map16), sizeof(ext_map));
}

static void test_zero_is_empty(void)
{
    u32_map m;
    memset(&m, 0, sizeof m);
    CHECK(u32_map_len(&m) == 0);
    CHECK(u32_map_is_empty(&m));
    CHECK(!u32_map_is_full(&m));
    CHECK(u32_map_cap(&m) == 8);
    CHECK(u32_map_get(&m, 0) == NULL);
    CHECK(!u32_map_contains(&m, 0));
    CHECK(u32_map_index_of(&m, 0) == SIZE_MAX);
    CHECK(u32_map_key_at(&m, 0) == NULL);
    CHECK(u32_map_val_at(&m, 0) == NULL);
    uint32_t out = 99;
    CHECK(u32_map_remove(&m, 0, &out) == MK_EEMPTY);
    CHECK(u32_map_swap_remove(&m, 0, &out) == MK_EEMPTY);
    CHECK(out == 99);
    CHECK(mk_hmap_check(u32_map_view(&m)) == MK_OK);
}

static void test_put_get_replace(void)
{
    u32_map m = { 0 };
    CHECK(u32_map_put(&m, 10, 100) == MK_OK);
    CHECK(u32_map_put(&m, 20, 200) == MK_OK);
    CHECK(u32_map_put(&m, 0, 0) == MK_OK); /* key 0 is an ordinary key */
    CHECK(u32_map_len(&m) == 3);
    REQUIRE(u32_map_get(&m, 20) != NULL);
    CHECK(*u32_map_get(&m, 20) == 200);
    CHECK(*u32_map_get(&m, 0) == 0);
    CHECK(u32_map_get(&m, 30) == NULL);
    /* Replacing keeps the key's position and the length. */
    CHECK(u32_map_put(&m, 10, 111) == MK_OK);
    CHECK(u32_map_len(&m) == 3);
    CHECK(*u32_map_get(&m, 10) == 111);
    CHECK(u32_map_index_of(&m, 10) == 0);
    CHECK(u32_map_index_of(&m, 0) == 2);
    *u32_map_get_mut(&m, 20) += 5;
    CHECK(*u32_map_val_at(&m, 1) == 205);
    CHECK(*u32_map_key_at(&m, 1) == 20);
    CHECK(mk_hmap_len(u32_map_view(&m)) == 3);
    CHECK(mk_hmap_check(u32_map_view(&m)) == MK_OK);
}

static void test_full(void)
{
    u32_map m = { 0 };
    for (uint32_t k = 0; k < 8; k++)
        CHECK(u32_map_put(&m, k * 1000, k) == MK_OK);
    CHECK(u32_map_is_full(&m));
    u32_map before = m;
    CHECK(u32_map_put(&m, 12345, 1) == MK_EFULL);
    CHECK(memcmp(&m, &before, sizeof m) == 0);
    /* Lookups of absent keys in a table with no empty slot must still end. */
    CHECK(u32_map_get(&m, 12345) == NULL);
    CHECK(u32_map_remove(&m, 12345, NULL) == MK_EEMPTY);
    /* A present key can still be replaced. */
    CHECK(u32_map_put(&m, 7000, 70) == MK_OK);
    CHECK(*u32_map_get(&m, 7000) == 70);
    for (uint32_t k = 0; k < 8; k++)
        CHECK(u32_map_contains(&m, k * 1000));
    CHECK(mk_hmap_check(u32_map_view(&m)) == MK_OK);
    u32_map_clear(&m);
    CHECK(u32_map_len(&m) == 0);
    CHECK(!u32_map_contains(&m, 0));
    CHECK(u32_map_put(&m, 5, 5) == MK_OK);
    CHECK(mk_hmap_check(u32_map_view(&m)) == MK_OK);
}

static void test_remove_keeps_order(void)
{
    u32_map m = { 0 };
    for (uint32_t k = 1; k <= 6; k++)
        u32_map_put(&m, k, k * 10);
    uint32_t out = 0;
    CHECK(u32_map_remove(&m, 3, &out) == MK_OK);
    CHECK(out == 30);
    CHECK(u32_map_remove(&m, 1, NULL) == MK_OK);
    static const uint32_t want[] = { 2, 4, 5, 6 };
    REQUIRE(u32_map_len(&m) == 4);
    for (size_t i = 0; i < 4; i++) {
        CHECK(*u32_map_key_at(&m, i) == want[i]);
        CHECK(*u32_map_val_at(&m, i) == want[i] * 10);
        CHECK(u32_map_index_of(&m, want[i]) == i);
    }
    CHECK(u32_map_remove(&m, 3, &out) == MK_EEMPTY);
    CHECK(out == 30);
    CHECK(mk_hmap_check(u32_map_view(&m)) == MK_OK);
}

static void test_swap_remove(void)
{
    u32_map m = { 0 };
    for (uint32_t k = 1; k <= 5; k++)
        u32_map_put(&m, k, k * 10);
    uint32_t out = 0;
    CHECK(u32_map_swap_remove(&m, 2, &out) == MK_OK);
    CHECK(out == 20);
    /* The last entry (5) took position 1. */
    static const uint32_t want[] = { 1, 5, 3, 4 };
    REQUIRE(u32_map_len(&m) == 4);
    for (size_t i = 0; i < 4; i++) {
        CHECK(*u32_map_key_at(&m, i) == want[i]);
        CHECK(*u32_map_get(&m, want[i]) == want[i] * 10);
    }
    /* Removing the last entry moves nothing. */
    CHECK(u32_map_swap_remove(&m, 4, NULL) == MK_OK);
    CHECK(u32_map_len(&m) == 3);
    CHECK(*u32_map_key_at(&m, 2) == 3);
    CHECK(mk_hmap_check(u32_map_view(&m)) == MK_OK);
}

static void test_constant_hash(void)
{
    bad_map m = { 0 };
    for (uint32_t k = 0; k < 8; k++)
        CHECK(bad_map_put(&m, k, k + 100) == MK_OK);
    CHECK(bad_map_put(&m, 8, 0) == MK_EFULL);
    CHECK(bad_map_get(&m, 8) == NULL);
    for (uint32_t k = 0; k < 8; k++)
        CHECK(*bad_map_get(&m, k) == k + 100);
    /* Remove from the middle of the single run, then from its start, both ways. */
    CHECK(bad_map_remove(&m, 4, NULL) == MK_OK);
    CHECK(bad_map_swap_remove(&m, 0, NULL) == MK_OK);
    CHECK(mk_hmap_check(bad_map_view(&m)) == MK_OK);
    for (uint32_t k = 0; k < 8; k++)
        CHECK(bad_map_contains(&m, k) == (k != 0 && k != 4));
    CHECK(bad_map_put(&m, 20, 1) == MK_OK);
    CHECK(bad_map_put(&m, 21, 1) == MK_OK);
    CHECK(bad_map_is_full(&m));
    CHECK(mk_hmap_check(bad_map_view(&m)) == MK_OK);
    /* Runs wrap round the end of the table: home 7 of 8. */
    for (uint32_t k = 1; k < 8; k++)
        if (k != 4)
            CHECK(bad_map_remove(&m, k, NULL) == MK_OK);
    CHECK(bad_map_len(&m) == 2);
    CHECK(*bad_map_key_at(&m, 0) == 20);
    CHECK(mk_hmap_check(bad_map_view(&m)) == MK_OK);
}

static void test_custom_functions(void)
{
    str_map m = { 0 };
    char a[] = "alpha", a2[] = "alpha";
    CHECK(str_map_put(&m, a, 1) == MK_OK);
    CHECK(str_map_put(&m, "beta", 2) == MK_OK);
    /* A different pointer to equal text finds the same entry. */
    REQUIRE(str_map_get(&m, a2) != NULL);
    CHECK(*str_map_get(&m, a2) == 1);
    CHECK(str_map_put(&m, a2, 3) == MK_OK);
    CHECK(str_map_len(&m) == 2);
    CHECK(*str_map_get(&m, "alpha") == 3);
    CHECK(str_map_get(&m, "gamma") == NULL);
}

static void test_narrow_counters(void)
{
    small_map m = { 0 };
    for (unsigned k = 0; k < 16; k++)
        CHECK(small_map_put(&m, (uint8_t)(k * 17), (uint8_t)k) == MK_OK);
    CHECK(small_map_put(&m, 1, 1) == MK_EFULL);
    CHECK(small_map_len(&m) == 16);
    CHECK(*small_map_get(&m, 255) == 15);
    CHECK(small_map_remove(&m, 0, NULL) == MK_OK);
    CHECK(*small_map_key_at(&m, 0) == 17);
    CHECK(mk_hmap_check(small_map_view(&m)) == MK_OK);
}

static void test_set(void)
{
    u16_set s = { 0 };
    CHECK(u16_set_insert(&s, 3) == MK_OK);
    CHECK(u16_set_insert(&s, 3) == MK_OK);
    CHECK(u16_set_len(&s) == 1);
    CHECK(u16_set_insert(&s, 9) == MK_OK);
    CHECK(u16_set_insert(&s, 1) == MK_OK);
    CHECK(u16_set_insert(&s, 4) == MK_OK);
    CHECK(u16_set_is_full(&s));
    CHECK(u16_set_insert(&s, 5) == MK_EFULL);
    CHECK(u16_set_insert(&s, 9) == MK_OK);
    CHECK(u16_set_contains(&s, 1));
    CHECK(!u16_set_contains(&s, 5));
    CHECK(mk_hmap_get(u16_set_view(&s), &(uint16_t){ 4 }) == u16_set_key_at(&s, 3));
    CHECK(mk_hmap_val_at(u16_set_view(&s), 0) == NULL);
    CHECK(u16_set_remove(&s, 9) == MK_OK);
    CHECK(u16_set_remove(&s, 9) == MK_EEMPTY);
    CHECK(*u16_set_key_at(&s, 1) == 1);
    CHECK(u16_set_swap_remove(&s, 3) == MK_OK);
    CHECK(*u16_set_key_at(&s, 0) == 4);
    CHECK(u16_set_index_of(&s, 1) == 1);
    CHECK(mk_hmap_check(u16_set_view(&s)) == MK_OK);
    u16_set_clear(&s);
    CHECK(u16_set_is_empty(&s));
}

static void test_ext(void)
{
    static mk_hmap_slot slots[16];
    static uint32_t keys[16], vals[16];
    ext_map m;
    memset(&m, 0, sizeof m);
    /* All-zero: a valid map of capacity 0. */
    CHECK(ext_map_cap(&m) == 0);
    CHECK(ext_map_is_full(&m));
    CHECK(ext_map_put(&m, 1, 1) == MK_EFULL);
    CHECK(ext_map_get(&m, 1) == NULL);
    CHECK(ext_map_remove(&m, 1, NULL) == MK_EEMPTY);
    ext_map_clear(&m);
    CHECK(mk_hmap_check(ext_map_view(&m)) == MK_OK);

    ext_map before = m;
    CHECK(ext_map_init_ext(&m, NULL, keys, vals, 16) == MK_EINVAL);
    CHECK(ext_map_init_ext(&m, slots, keys, NULL, 16) == MK_EINVAL);
    CHECK(ext_map_init_ext(NULL, slots, keys, vals, 16) == MK_EINVAL);
    CHECK(ext_map_init_ext(&m, slots, keys, vals, 12) == MK_ERANGE);
    CHECK(ext_map_init_ext(&m, slots, keys, vals, SIZE_MAX) == MK_ERANGE);
    CHECK(ext_map_init_ext(&m, slots, keys, vals, (SIZE_MAX >> 1) + 1) == MK_ERANGE);
    CHECK(ext_map_init_ext(&m, slots, keys, vals, (SIZE_MAX >> 2) + 1) == MK_ERANGE);
    CHECK(memcmp(&m, &before, sizeof m) == 0);
    CHECK(ext_map_init_ext(&m, NULL, NULL, NULL, 0) == MK_OK);

    memset(slots, 0xA5, sizeof slots); /* init must clear the index table */
    CHECK(ext_map_init_ext(&m, slots, keys, vals, 16) == MK_OK);
    CHECK(ext_map_cap(&m) == 16);
    for (uint32_t k = 0; k < 16; k++)
        CHECK(ext_map_put(&m, k << 20, k) == MK_OK);
    CHECK(ext_map_put(&m, 99, 0) == MK_EFULL);
    CHECK(*ext_map_get(&m, 5u << 20) == 5);
    CHECK(mk_hmap_check(ext_map_view(&m)) == MK_OK);

    static mk_hmap_slot sslots[2];
    static uint64_t skeys[2];
    ext_set s = { 0 };
    CHECK(ext_set_insert(&s, 1) == MK_EFULL);
    CHECK(ext_set_init_ext(&s, sslots, NULL, 2) == MK_EINVAL);
    CHECK(ext_set_init_ext(&s, sslots, skeys, (SIZE_MAX >> 2) + 1) == MK_ERANGE);
    CHECK(ext_set_init_ext(&s, sslots, skeys, 2) == MK_OK);
    CHECK(ext_set_insert(&s, UINT64_MAX) == MK_OK);
    CHECK(ext_set_insert(&s, 0) == MK_OK);
    CHECK(ext_set_insert(&s, 1) == MK_EFULL);
    CHECK(ext_set_contains(&s, UINT64_MAX));
}

static void test_core_errors_and_check(void)
{
    u32_map m = { 0 };
    mk_hmap_view v = u32_map_view(&m);
    uint32_t k = 1, val = 2;
    CHECK(mk_hmap_put(v, NULL, &val) == MK_EINVAL);
    CHECK(mk_hmap_put(v, &k, NULL) == MK_EINVAL);
    CHECK(mk_hmap_remove(v, NULL, NULL) == MK_EINVAL);
    CHECK(mk_hmap_swap_remove(v, NULL, NULL) == MK_EINVAL);
    CHECK(mk_hmap_index_of(v, NULL) == SIZE_MAX);
    CHECK(mk_hmap_get(v, NULL) == NULL);
    CHECK(mk_hmap_len(v) == 0);
    /* The check notices damage: a slot naming a dead entry, a lost entry, a bad len. */
    CHECK(mk_hmap_put(v, &k, &val) == MK_OK);
    CHECK(mk_hmap_check(v) == MK_OK);
    /* Slot j is m.slots[2j] (entry + 1) and m.slots[2j + 1] (hash). */
    uint32_t h = mk_hash_bytes(&k, sizeof k);
    size_t i = h & 7u, next = (i + 1) & 7u;
    CHECK(m.slots[2 * i] == 1 && m.slots[2 * i + 1] == h);
    u32_map good = m;
    m.slots[2 * ((i + 3) & 7u)] = 2;
    CHECK(mk_hmap_check(v) == MK_ECORRUPT);
    m = good;
    m.len = 2;
    CHECK(mk_hmap_check(v) == MK_ECORRUPT);
    m = good;
    m.slots[2 * i + 1] ^= 0x100u; /* a stored hash that is not the key's */
    CHECK(mk_hmap_check(v) == MK_ECORRUPT);
    m = good;
    m.slots[2 * i] = 0;
    m.slots[2 * next] = 1; /* moved off its run: an empty slot at its home */
    m.slots[2 * next + 1] = h;
    CHECK(mk_hmap_check(v) == MK_ECORRUPT);
    m = good;
    CHECK(mk_hmap_check(v) == MK_OK);
}

static void test_hash_bytes(void)
{
    /* Known FNV-1a of "" is 2166136261 before the finaliser: the finaliser must change
     * it, and single-bit key changes must reach the low bits the table uses. */
    CHECK(mk_hash_bytes("", 0) != 2166136261u);
    uint32_t buckets = 0;
    for (uint32_t k = 0; k < 32; k++)
        buckets |= 1u << (mk_hash_bytes(&k, sizeof k) & 31u);
    unsigned used = 0;
    for (; buckets != 0; buckets &= buckets - 1u)
        used++;
    CHECK(used >= 16); /* 32 keys into 32 buckets: a random function fills ~20 */
    uint32_t a = 1, b = 1;
    CHECK(mk_hash_bytes(&a, 4) == mk_hash_bytes(&b, 4));
    CHECK(mk_eq_bytes(&a, &b, 4));
    b = 0x100;
    CHECK(!mk_eq_bytes(&a, &b, 4));
    CHECK(mk_eq_bytes(&a, &b, 0));
}

int main(void)
{
    RUN(test_sizeof);
    RUN(test_zero_is_empty);
    RUN(test_put_get_replace);
    RUN(test_full);
    RUN(test_remove_keeps_order);
    RUN(test_swap_remove);
    RUN(test_constant_hash);
    RUN(test_custom_functions);
    RUN(test_narrow_counters);
    RUN(test_set);
    RUN(test_ext);
    RUN(test_core_errors_and_check);
    RUN(test_hash_bytes);
    TEST_MAIN_END();
}
