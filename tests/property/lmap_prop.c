/* Property test: random put / remove / get / clear on a map with small keys (so keys
 * repeat often) against a model table; after every operation every key in the key
 * range is looked up and compared, len matches, and iterating the map visits exactly
 * the model's pairs.
 * Usage: lmap_prop [seeds [ops_per_seed]]  (defaults: 8 seeds x 50,000 ops) */
#include <stdint.h>
#include <stdlib.h>

#include "memkit/lmap.h"
#include "test.h"

enum { CAP = 12, KEYS = 20 };
MK_LMAP_DEFINE_IDX(map, uint16_t, uint32_t, CAP, uint8_t);

int main(int argc, char **argv)
{
    unsigned seeds = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 8;
    unsigned long ops = argc > 2 ? strtoul(argv[2], NULL, 10) : 50000;
    unsigned long fulls = 0;
    for (unsigned seed = 1; seed <= seeds; seed++) {
        unsigned long long s = 0x8CB92BA72F3D8DD7ull * seed;
        map m = { 0 };
        bool present[KEYS] = { 0 };
        uint32_t value[KEYS] = { 0 };
        size_t n = 0;
        for (unsigned long i = 0; i < ops; i++) {
            uint16_t k = (uint16_t)test_range(&s, 0, KEYS - 1);
            uint32_t v = (uint32_t)test_rand(&s), out = 0;
            unsigned op = (unsigned)test_range(&s, 0, 99);
            if (op < 55) {
                mk_err e = map_put(&m, k, v);
                mk_err want = present[k] || n < CAP ? MK_OK : MK_EFULL;
                CHECK(e == want);
                fulls += e == MK_EFULL;
                if (e == MK_OK) {
                    n += !present[k];
                    present[k] = true;
                    value[k] = v;
                }
            } else if (op < 99) {
                mk_err e = map_remove(&m, k, &out);
                CHECK(e == (present[k] ? MK_OK : MK_EEMPTY));
                if (e == MK_OK) {
                    CHECK(out == value[k]);
                    present[k] = false;
                    n--;
                }
            } else {
                map_clear(&m);
                for (unsigned j = 0; j < KEYS; j++)
                    present[j] = false;
                n = 0;
            }
            bool same = map_len(&m) == n && map_key_at(&m, n) == NULL;
            for (uint16_t j = 0; j < KEYS && same; j++) {
                uint32_t *got = map_get(&m, j);
                same = present[j] ? got && *got == value[j] : got == NULL;
            }
            unsigned visited = 0;
            for (size_t j = 0; j < map_len(&m) && same; j++) {
                uint16_t key = *map_key_at(&m, j);
                same = key < KEYS && present[key] && !(visited >> key & 1u) &&
                       *map_val_at(&m, j) == value[key];
                visited |= 1u << key;
            }
            CHECK(same);
            if (!same) {
                printf("seed %u op %lu: the map differs from the model\n", seed, i);
                TEST_MAIN_END();
            }
        }
    }
    CHECK(ops < 10000 || fulls > 0); /* a long run fills the map */
    printf("%u seeds x %lu ops; %lu puts refused as full\n", seeds, ops, fulls);
    TEST_MAIN_END();
}
