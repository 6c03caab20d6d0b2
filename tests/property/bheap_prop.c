/* Property test: random push / pop / peek / push_pop / replace_top / clear on binary
 * heaps against a model that is a sorted array. Every result must match the model's
 * smallest key; every few operations the heap's contents, sorted, must equal the model
 * and mk_bheap_check must pass. Elements carry a tag besides the key, so duplicate keys
 * (common: keys come from a small range) test that whole elements move together.
 * Shapes: N = 64 with a uint8_t counter, and an _EXT heap of 100 (not a power of two).
 * Usage: bheap_prop [seeds [ops_per_seed]]  (defaults: 6 seeds x 150,000 ops) */
#include <stdint.h>
#include <string.h>

#include "memkit/bheap.h"
#include "test.h"

typedef struct item {
    uint16_t key;
    uint16_t tag; /* tag == key ^ 0xA5A5: an element torn by a bad move shows up */
} item;

static int item_cmp(const void *a, const void *b)
{
    uint16_t x = ((const item *)a)->key, y = ((const item *)b)->key;
    return (x > y) - (x < y);
}

MK_BHEAP_DEFINE_IDX(heap64, item, 64, uint8_t, item_cmp);
MK_BHEAP_DEFINE_EXT(heap_ext, item, item_cmp);

enum { MAX_CAP = 100, CHECK_EVERY = 64 };

static struct {
    uint16_t key[MAX_CAP]; /* ascending */
    size_t len;
} model;

static void model_insert(uint16_t k)
{
    size_t i = model.len++;
    for (; i > 0 && model.key[i - 1] > k; i--)
        model.key[i] = model.key[i - 1];
    model.key[i] = k;
}

static uint16_t model_pop(void)
{
    uint16_t k = model.key[0];
    model.len--;
    for (size_t i = 0; i < model.len; i++)
        model.key[i] = model.key[i + 1];
    return k;
}

static int cmp_u16(const void *a, const void *b)
{
    return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static void compare_all(mk_bheap_view h)
{
    static uint16_t keys[MAX_CAP];
    REQUIRE(mk_bheap_len(h) == model.len);
    REQUIRE(mk_bheap_check(h) == MK_OK);
    const item *data = h.data;
    for (size_t i = 0; i < model.len; i++) {
        REQUIRE(data[i].tag == (data[i].key ^ 0xA5A5u));
        keys[i] = data[i].key;
    }
    qsort(keys, model.len, sizeof keys[0], cmp_u16);
    REQUIRE(memcmp(keys, model.key, model.len * sizeof keys[0]) == 0);
}

static item make(uint16_t k)
{
    item it = { k, (uint16_t)(k ^ 0xA5A5u) };
    return it;
}

static void run(mk_bheap_view h, unsigned long long *seed, size_t ops)
{
    mk_bheap_clear(h);
    model.len = 0;
    unsigned bias = 50;
    for (size_t n = 0; n < ops; n++) {
        if (n % 1024 == 0)
            bias = (unsigned)test_range(seed, 25, 75);
        item x = make((uint16_t)test_range(seed, 0, 300));
        item out = make(0xFFFF);
        unsigned op = (unsigned)test_range(seed, 0, 199);
        if (op < bias) {
            mk_err e = mk_bheap_push(h, &x);
            REQUIRE(e == (model.len == h.cap ? MK_EFULL : MK_OK));
            if (e == MK_OK)
                model_insert(x.key);
        } else if (op < 100) {
            mk_err e = mk_bheap_pop(h, &out);
            if (model.len == 0) {
                REQUIRE(e == MK_EEMPTY && out.key == 0xFFFF);
            } else {
                REQUIRE(e == MK_OK && out.key == model_pop());
                REQUIRE(out.tag == (out.key ^ 0xA5A5u));
            }
        } else if (op < 140) {
            REQUIRE(mk_bheap_push_pop(h, &x, &out) == MK_OK);
            if (model.len > 0 && model.key[0] < x.key) {
                REQUIRE(out.key == model_pop());
                model_insert(x.key);
            } else {
                REQUIRE(out.key == x.key);
            }
        } else if (op < 180) {
            mk_err e = mk_bheap_replace_top(h, &x, &out);
            if (model.len == 0) {
                REQUIRE(e == MK_EEMPTY && out.key == 0xFFFF);
            } else {
                REQUIRE(e == MK_OK && out.key == model_pop());
                model_insert(x.key);
            }
        } else if (op == 199 && test_range(seed, 0, 15) == 0) {
            mk_bheap_clear(h);
            model.len = 0;
        } else {
            const item *top = mk_bheap_peek(h);
            if (model.len == 0)
                REQUIRE(top == NULL);
            else
                REQUIRE(top != NULL && top->key == model.key[0]);
        }
        REQUIRE(mk_bheap_len(h) == model.len);
        if (n % CHECK_EVERY == 0)
            compare_all(h);
    }
    compare_all(h);
}

int main(int argc, char **argv)
{
    unsigned long seeds = argc > 1 ? strtoul(argv[1], NULL, 10) : 6;
    size_t ops = argc > 2 ? (size_t)strtoull(argv[2], NULL, 10) : 150000;
    static heap64 h64;
    static heap_ext hx;
    static item buf[MAX_CAP];
    REQUIRE(heap_ext_init_ext(&hx, buf, MAX_CAP) == MK_OK);
    for (unsigned long s = 1; s <= seeds; s++) {
        unsigned long long seed = 0xD1B54A32D192ED03ull * s;
        printf("seed %lu\n", s);
        run(heap64_view(&h64), &seed, ops);
        run(heap_ext_view(&hx), &seed, ops);
    }
    TEST_MAIN_END();
}
