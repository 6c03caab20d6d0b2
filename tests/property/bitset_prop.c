/* Property test: random set / clear / toggle / set_all / clear_all on bitsets of
 * uint8_t, uint16_t and uint32_t words and random sizes (_EXT), against a bool array:
 * every bit, count, and find (first set, first clear, next set from a random index)
 * after every operation.
 * Usage: bitset_prop [seeds [ops_per_seed]]  (defaults: 8 seeds x 20,000 ops) */
#include <stdint.h>
#include <stdlib.h>

#include "memkit/bitset.h"
#include "test.h"

MK_BITSET_DEFINE_IDX(b8, 61, uint8_t);
MK_BITSET_DEFINE_IDX(b16, 47, uint16_t);
MK_BITSET_DEFINE_EXT(bx);

enum { MAXB = 200 };

static size_t model_find(const bool *m, size_t n, size_t from, bool value)
{
    for (size_t i = from; i < n; i++)
        if (m[i] == value)
            return i;
    return n;
}

int main(int argc, char **argv)
{
    unsigned seeds = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 8;
    unsigned long ops = argc > 2 ? strtoul(argv[2], NULL, 10) : 20000;
    for (unsigned seed = 1; seed <= seeds; seed++) {
        unsigned long long s = 0xA0761D6478BD642Full * seed;
        b8 a = { 0 };
        b16 c = { 0 };
        uint32_t words[(MAXB + 31) / 32];
        bx x = { 0 }; /* init_ext sets it; -Os cannot see that it does before use */
        size_t xn = test_range(&s, 1, MAXB);
        REQUIRE(bx_init_ext(&x, words, xn) == MK_OK);
        mk_bitset_view v[3] = { b8_view(&a), b16_view(&c), bx_view(&x) };
        bool model[3][MAXB] = { { 0 } };
        for (unsigned long i = 0; i < ops; i++) {
            for (int k = 0; k < 3; k++) {
                size_t n = v[k].nbits;
                size_t bit = test_range(&s, 0, n); /* n itself: out of range */
                unsigned op = (unsigned)test_range(&s, 0, 199);
                mk_err e = MK_OK;
                if (op < 60) {
                    e = mk_bitset_set(v[k], bit);
                    if (bit < n)
                        model[k][bit] = true;
                } else if (op < 120) {
                    e = mk_bitset_clear(v[k], bit);
                    if (bit < n)
                        model[k][bit] = false;
                } else if (op < 198) {
                    e = mk_bitset_toggle(v[k], bit);
                    if (bit < n)
                        model[k][bit] = !model[k][bit];
                } else {
                    bool all = op == 198;
                    if (all)
                        mk_bitset_set_all(v[k]);
                    else
                        mk_bitset_clear_all(v[k]);
                    for (size_t j = 0; j < n; j++)
                        model[k][j] = all;
                }
                if (op < 198)
                    CHECK(e == (bit < n ? MK_OK : MK_EINVAL));
                size_t count = 0;
                bool same = true;
                for (size_t j = 0; j < n; j++) {
                    count += model[k][j];
                    same = same && mk_bitset_test(v[k], j) == model[k][j];
                }
                size_t from = test_range(&s, 0, n + 1);
                same = same && mk_bitset_count(v[k]) == count &&
                       mk_bitset_find(v[k], 0, true) == model_find(model[k], n, 0, true) &&
                       mk_bitset_find(v[k], 0, false) == model_find(model[k], n, 0, false) &&
                       mk_bitset_find(v[k], from, true) == model_find(model[k], n, from, true) &&
                       mk_bitset_find(v[k], from, false) == model_find(model[k], n, from, false);
                CHECK(same);
                if (!same) {
                    printf("seed %u op %lu set %d differs\n", seed, i, k);
                    TEST_MAIN_END();
                }
            }
        }
    }
    printf("%u seeds x %lu ops on 3 bitsets\n", seeds, ops);
    TEST_MAIN_END();
}
