/* Property test: random put / get / remove / swap_remove / clear on hash maps and sets
 * of several shapes, against a model that is a plain array in insertion order searched
 * linearly. After every operation the result and the length must match the model; every
 * few operations the whole entry order, every value, and mk_hmap_check are compared.
 * Shapes: the default hash (N = 64, uint8_t counters), a constant hash (every key
 * collides, N = 16), an identity hash that makes long runs wrapping round the table
 * (_EXT, N = 128), and a set, all with 2-byte keys; then the core's inline paths for
 * the default hash and equality: 4- and 8-byte keys with uint8_t counters, a set of
 * 4-byte keys with uint16_t counters, an _EXT set of 8-byte keys (size_t-wide
 * counters), and a map that mixes the default hash with a caller's equality. Keys come from a small range so that
 * hits, replacements and removals of present keys are common, and the insert bias
 * drifts so runs spend time both empty and full.
 * Usage: hmap_prop [seeds [ops_per_seed]]  (defaults: 6 seeds x 120,000 ops) */
#include <stdint.h>
#include <string.h>

#include "memkit/hmap.h"
#include "test.h"

static uint32_t const_hash(const void *key, size_t size)
{
    (void)key;
    (void)size;
    return 0x12345u;
}

static uint32_t identity_hash(const void *key, size_t size)
{
    (void)size;
    return *(const uint16_t *)key;
}

static bool eq_u32(const void *a, const void *b, size_t size)
{
    (void)size;
    return *(const uint32_t *)a == *(const uint32_t *)b;
}

MK_HMAP_DEFINE_IDX(map_default, uint16_t, uint32_t, 64, uint8_t);
MK_HMAP_DEFINE_FN(map_const, uint16_t, uint32_t, 16, uint32_t, const_hash, mk_eq_bytes);
MK_HMAP_DEFINE_EXT_FN(map_ext, uint16_t, uint32_t, identity_hash, mk_eq_bytes);
MK_HSET_DEFINE(set_default, uint16_t, 32);
MK_HMAP_DEFINE_IDX(map_u32, uint32_t, uint32_t, 64, uint8_t);
MK_HSET_DEFINE_IDX(set_u32, uint32_t, 64, uint16_t);
MK_HMAP_DEFINE_IDX(map_u64, uint64_t, uint32_t, 32, uint8_t);
MK_HSET_DEFINE_EXT(set_u64, uint64_t);
MK_HMAP_DEFINE_FN(map_mixed, uint32_t, uint32_t, 32, uint8_t, mk_hash_bytes, eq_u32);

enum { MAX_CAP = 128, CHECK_EVERY = 64 };

static struct {
    uint16_t key[MAX_CAP];
    uint32_t val[MAX_CAP];
    size_t len;
} model;

static size_t model_find(uint16_t k)
{
    for (size_t i = 0; i < model.len; i++)
        if (model.key[i] == k)
            return i;
    return SIZE_MAX;
}

static void model_remove(size_t i, bool keep_order)
{
    size_t last = model.len - 1;
    if (keep_order) {
        for (size_t j = i; j < last; j++) {
            model.key[j] = model.key[j + 1];
            model.val[j] = model.val[j + 1];
        }
    } else {
        model.key[i] = model.key[last];
        model.val[i] = model.val[last];
    }
    model.len = last;
}

/* The container's key for model key k, at the view's key width (2, 4 or 8 bytes):
 * distinct k give distinct keys, and each wide key shares its low half with some keys
 * and its high half with others, so that an equality that read only part of a key would
 * be caught (the narrow counters of the wide-key shapes make stored hashes collide
 * often, so the equality does run on different keys). */
typedef union {
    uint16_t k16;
    uint32_t k32;
    uint64_t k64;
} wide_key;

static wide_key make_key(uint16_t k, size_t ksize)
{
    wide_key w;
    memset(&w, 0, sizeof w);
    uint32_t hi = (uint32_t)k >> 3, lo = (uint32_t)k & 7u;
    if (ksize == 2)
        w.k16 = k;
    else if (ksize == 4)
        w.k32 = hi << 16 | lo;
    else
        w.k64 = (uint64_t)hi << 32 | lo;
    return w;
}

static void compare_all(mk_hmap_view v)
{
    REQUIRE(mk_hmap_len(v) == model.len);
    REQUIRE(mk_hmap_check(v) == MK_OK);
    for (size_t i = 0; i < model.len; i++) {
        const void *k = mk_hmap_key_at(v, i);
        wide_key want = make_key(model.key[i], v.ksize);
        REQUIRE(k != NULL && memcmp(k, &want, v.ksize) == 0);
        if (v.vsize > 0)
            REQUIRE(*(const uint32_t *)mk_hmap_val_at(v, i) == model.val[i]);
    }
    CHECK(mk_hmap_key_at(v, model.len) == NULL);
}

/* Drives one container through its view; key_range bounds the keys drawn. */
static void run(mk_hmap_view v, unsigned long long *seed, size_t ops, uint16_t key_range)
{
    bool is_map = v.vsize > 0;
    mk_hmap_clear(v);
    model.len = 0;
    unsigned bias = 50;
    for (size_t n = 0; n < ops; n++) {
        if (n % 2048 == 0)
            bias = (unsigned)test_range(seed, 20, 80);
        uint16_t k = (uint16_t)test_range(seed, 0, key_range - 1u);
        wide_key key = make_key(k, v.ksize);
        uint32_t val = (uint32_t)test_rand(seed);
        size_t at = model_find(k);
        unsigned op = (unsigned)test_range(seed, 0, 199);
        if (op < bias) {
            mk_err e = mk_hmap_put(v, &key, is_map ? &val : NULL);
            if (at != SIZE_MAX) {
                REQUIRE(e == MK_OK);
                model.val[at] = val;
            } else if (model.len == v.cap) {
                REQUIRE(e == MK_EFULL);
            } else {
                REQUIRE(e == MK_OK);
                model.key[model.len] = k;
                model.val[model.len++] = val;
            }
        } else if (op < 100) {
            bool keep = op % 2 == 0;
            uint32_t out = 0xDEADBEEFu;
            mk_err e = keep ? mk_hmap_remove(v, &key, &out) : mk_hmap_swap_remove(v, &key, &out);
            if (at == SIZE_MAX) {
                REQUIRE(e == MK_EEMPTY);
                REQUIRE(out == 0xDEADBEEFu);
            } else {
                REQUIRE(e == MK_OK);
                REQUIRE(out == (is_map ? model.val[at] : 0xDEADBEEFu));
                model_remove(at, keep);
            }
        } else if (op == 199 && test_range(seed, 0, 15) == 0) {
            mk_hmap_clear(v);
            model.len = 0;
        } else {
            size_t i = mk_hmap_index_of(v, &key);
            REQUIRE(i == at);
            void *p = mk_hmap_get(v, &key);
            if (at == SIZE_MAX)
                REQUIRE(p == NULL);
            else if (is_map)
                REQUIRE(p != NULL && *(uint32_t *)p == model.val[at]);
            else
                REQUIRE(p != NULL && memcmp(p, &key, v.ksize) == 0);
        }
        REQUIRE(mk_hmap_len(v) == model.len);
        if (n % CHECK_EVERY == 0)
            compare_all(v);
    }
    compare_all(v);
}

int main(int argc, char **argv)
{
    unsigned long seeds = argc > 1 ? strtoul(argv[1], NULL, 10) : 6;
    size_t ops = argc > 2 ? (size_t)strtoull(argv[2], NULL, 10) : 120000;
    static map_default md;
    static map_const mc;
    static map_ext me;
    static set_default sd;
    static map_u32 m32;
    static set_u32 s32;
    static map_u64 m64;
    static set_u64 s64;
    static map_mixed mm;
    static mk_hmap_slot ext_slots[MAX_CAP], s64_slots[64];
    static uint16_t ext_keys[MAX_CAP];
    static uint32_t ext_vals[MAX_CAP];
    static uint64_t s64_keys[64];
    REQUIRE(map_ext_init_ext(&me, ext_slots, ext_keys, ext_vals, MAX_CAP) == MK_OK);
    REQUIRE(set_u64_init_ext(&s64, s64_slots, s64_keys, 64) == MK_OK);
    for (unsigned long s = 1; s <= seeds; s++) {
        unsigned long long seed = 0x9E3779B97F4A7C15ull * s;
        printf("seed %lu\n", s);
        run(map_default_view(&md), &seed, ops, 100);
        run(map_const_view(&mc), &seed, ops / 4, 24);
        run(map_ext_view(&me), &seed, ops, 200);
        run(set_default_view(&sd), &seed, ops, 48);
        run(map_u32_view(&m32), &seed, ops, 100);
        run(set_u32_view(&s32), &seed, ops / 2, 100);
        run(map_u64_view(&m64), &seed, ops / 2, 48);
        run(set_u64_view(&s64), &seed, ops / 2, 96);
        run(map_mixed_view(&mm), &seed, ops / 4, 48);
    }
    TEST_MAIN_END();
}
