/* Property test: random insert / pop_front / remove / remove_node / find / peek / clear
 * on sorted lists against a model that is a plain array kept sorted with a stable
 * insertion. Elements are (key, seq) with keys from a small range, ordered by key only,
 * so the model also checks stability: every result must be the exact element the model
 * names, seq included. Every few operations the whole list is walked and compared, and
 * mk_slist_check must pass. Shapes: N = 64 with uint8_t links, and _EXT with N = 100.
 * Usage: slist_prop [seeds [ops_per_seed]]  (defaults: 6 seeds x 100,000 ops) */
#include <stdint.h>
#include <string.h>

#include "memkit/slist.h"
#include "test.h"

typedef struct ev {
    uint16_t key;
    uint16_t seq;
} ev;

static int ev_cmp(const void *a, const void *b)
{
    uint16_t x = ((const ev *)a)->key, y = ((const ev *)b)->key;
    return (x > y) - (x < y);
}

MK_SLIST_DEFINE_IDX(list64, ev, 64, uint8_t, ev_cmp);
MK_SLIST_DEFINE_EXT(list_ext, ev, ev_cmp);

enum { MAX_CAP = 100, CHECK_EVERY = 32 };

static struct {
    ev e[MAX_CAP];
    size_t len;
} model;

static bool same(const ev *a, const ev *b) { return a->key == b->key && a->seq == b->seq; }

static void model_insert(ev x)
{
    size_t i = model.len++;
    for (; i > 0 && model.e[i - 1].key > x.key; i--)
        model.e[i] = model.e[i - 1];
    model.e[i] = x;
}

static void model_erase(size_t i)
{
    model.len--;
    for (; i < model.len; i++)
        model.e[i] = model.e[i + 1];
}

static size_t model_find(uint16_t key)
{
    for (size_t i = 0; i < model.len; i++)
        if (model.e[i].key == key)
            return i;
    return SIZE_MAX;
}

static void compare_all(mk_slist_view l)
{
    REQUIRE(mk_slist_len(l) == model.len);
    REQUIRE(mk_slist_check(l) == MK_OK);
    size_t i = 0;
    for (const ev *p = mk_slist_peek(l); p != NULL; p = mk_slist_next(l, p), i++)
        REQUIRE(i < model.len && same(p, &model.e[i]));
    REQUIRE(i == model.len);
}

/* The element at position i of the list, by walking. */
static const ev *nth(mk_slist_view l, size_t i)
{
    const ev *p = mk_slist_peek(l);
    while (i-- > 0)
        p = mk_slist_next(l, p);
    return p;
}

static void run(mk_slist_view l, unsigned long long *seed, size_t ops)
{
    mk_slist_clear(l);
    model.len = 0;
    uint16_t seq = 0;
    unsigned bias = 50;
    for (size_t n = 0; n < ops; n++) {
        if (n % 1024 == 0)
            bias = (unsigned)test_range(seed, 25, 75);
        ev x = { (uint16_t)test_range(seed, 0, 40), seq++ };
        ev out = { 0xFFFF, 0xFFFF };
        unsigned op = (unsigned)test_range(seed, 0, 199);
        if (op < bias) {
            mk_err e = mk_slist_insert(l, &x);
            REQUIRE(e == (model.len == l.cap ? MK_EFULL : MK_OK));
            if (e == MK_OK)
                model_insert(x);
        } else if (op < 80) {
            mk_err e = mk_slist_pop_front(l, &out);
            if (model.len == 0) {
                REQUIRE(e == MK_EEMPTY && out.key == 0xFFFF);
            } else {
                REQUIRE(e == MK_OK && same(&out, &model.e[0]));
                model_erase(0);
            }
        } else if (op < 100) {
            size_t at = model_find(x.key);
            mk_err e = mk_slist_remove(l, &x, &out);
            if (at == SIZE_MAX) {
                REQUIRE(e == MK_EEMPTY && out.key == 0xFFFF);
            } else {
                REQUIRE(e == MK_OK && same(&out, &model.e[at]));
                model_erase(at);
            }
        } else if (op < 120 && model.len > 0) {
            size_t at = test_range(seed, 0, model.len - 1);
            const ev *p = nth(l, at);
            REQUIRE(p != NULL && same(p, &model.e[at]));
            REQUIRE(mk_slist_remove_node(l, p, &out) == MK_OK && same(&out, &model.e[at]));
            model_erase(at);
            REQUIRE(mk_slist_remove_node(l, p, NULL) == MK_EINVAL);
        } else if (op == 199 && test_range(seed, 0, 15) == 0) {
            mk_slist_clear(l);
            model.len = 0;
        } else {
            size_t at = model_find(x.key);
            const ev *p = mk_slist_find(l, &x);
            REQUIRE(at == SIZE_MAX ? p == NULL : (p != NULL && same(p, &model.e[at])));
            p = mk_slist_peek(l);
            REQUIRE(model.len == 0 ? p == NULL : (p != NULL && same(p, &model.e[0])));
        }
        REQUIRE(mk_slist_len(l) == model.len);
        if (n % CHECK_EVERY == 0)
            compare_all(l);
    }
    compare_all(l);
}

int main(int argc, char **argv)
{
    unsigned long seeds = argc > 1 ? strtoul(argv[1], NULL, 10) : 6;
    size_t ops = argc > 2 ? (size_t)strtoull(argv[2], NULL, 10) : 100000;
    static list64 l64;
    static list_ext lx;
    static mk_slist_link next[MAX_CAP];
    static ev data[MAX_CAP];
    REQUIRE(list_ext_init_ext(&lx, next, data, MAX_CAP) == MK_OK);
    for (unsigned long s = 1; s <= seeds; s++) {
        unsigned long long seed = 0xA0761D6478BD642Full * s;
        printf("seed %lu\n", s);
        run(list64_view(&l64), &seed, ops);
        run(list_ext_view(&lx), &seed, ops);
    }
    TEST_MAIN_END();
}
