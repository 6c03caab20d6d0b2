/* Property test: random pushes and pops at both ends and clears on deques of several
 * capacities (uint8_t and uint32_t counters, and _EXT), against a plain array model;
 * random writes on history buffers against a model that keeps every value written.
 * Every element is compared after every operation.
 * Usage: deque_prop [seeds [ops_per_seed]]  (defaults: 8 seeds x 100,000 ops) */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "memkit/deque.h"
#include "memkit/hist.h"
#include "test.h"

MK_DEQUE_DEFINE_IDX(d7, uint32_t, 7, uint8_t);
MK_DEQUE_DEFINE_EXT(dx, uint32_t);
MK_HIST_DEFINE_IDX(h5, uint32_t, 5, uint8_t);

enum { MAXC = 64 };

int main(int argc, char **argv)
{
    unsigned seeds = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 8;
    unsigned long ops = argc > 2 ? strtoul(argv[2], NULL, 10) : 100000;
    unsigned long full = 0, empty = 0;
    for (unsigned seed = 1; seed <= seeds; seed++) {
        unsigned long long s = 0xD1B54A32D192ED03ull * seed;
        d7 a = { 0 };
        uint32_t xbuf[MAXC];
        dx b;
        size_t bcap = test_range(&s, 1, MAXC);
        REQUIRE(dx_init_ext(&b, xbuf, bcap) == MK_OK);
        mk_deque_view views[2] = { d7_view(&a), dx_view(&b) };
        size_t caps[2] = { 7, bcap };
        uint32_t model[2][MAXC];
        size_t mlen[2] = { 0, 0 };
        h5 h = { 0 };
        uint32_t written[16];
        size_t nwritten = 0;
        for (unsigned long i = 0; i < ops; i++) {
            unsigned grow = (i / 2000) % 2 ? 70 : 30; /* drift between full and empty */
            for (int k = 0; k < 2; k++) {
                mk_deque_view w = views[k];
                uint32_t x = (uint32_t)test_rand(&s), out = 0xFFFFFFFF;
                size_t n = mlen[k];
                unsigned op = (unsigned)test_range(&s, 0, 99);
                bool front = test_rand(&s) & 1;
                if (op < grow) {
                    mk_err e = front ? mk_deque_push_front(w, &x) : mk_deque_push_back(w, &x);
                    CHECK(e == (n == caps[k] ? MK_EFULL : MK_OK));
                    if (e == MK_OK) {
                        if (front) {
                            memmove(&model[k][1], &model[k][0], n * sizeof x);
                            model[k][0] = x;
                        } else {
                            model[k][n] = x;
                        }
                        mlen[k]++;
                    }
                } else if (op < 99) {
                    mk_err e = front ? mk_deque_pop_front(w, &out) : mk_deque_pop_back(w, &out);
                    CHECK(e == (n == 0 ? MK_EEMPTY : MK_OK));
                    if (e == MK_OK) {
                        CHECK(out == (front ? model[k][0] : model[k][n - 1]));
                        if (front)
                            memmove(&model[k][0], &model[k][1], (n - 1) * sizeof x);
                        mlen[k]--;
                    } else {
                        CHECK(out == 0xFFFFFFFF);
                    }
                } else {
                    mk_deque_clear(w);
                    mlen[k] = 0;
                }
                bool same = mk_deque_len(w) == mlen[k] && mk_deque_at(w, mlen[k]) == NULL;
                for (size_t j = 0; j < mlen[k] && same; j++)
                    same = *(uint32_t *)mk_deque_at(w, j) == model[k][j];
                CHECK(same);
                if (!same) {
                    printf("seed %u op %lu deque %d differs\n", seed, i, k);
                    TEST_MAIN_END();
                }
            }
            full += d7_is_full(&a);
            empty += d7_is_empty(&a);

            /* The history keeps the last 5 values written since the last clear. */
            if (test_range(&s, 0, 999) == 0) {
                h5_clear(&h);
                nwritten = 0;
            } else {
                uint32_t v = (uint32_t)test_rand(&s);
                h5_write(&h, v);
                if (nwritten == 16) {
                    memmove(written, written + 11, 5 * sizeof v);
                    nwritten = 5;
                }
                written[nwritten++] = v;
            }
            size_t keep = nwritten < 5 ? nwritten : 5;
            bool same = h5_len(&h) == keep && h5_at(&h, keep) == NULL;
            for (size_t j = 0; j < keep && same; j++)
                same = *h5_at(&h, j) == written[nwritten - keep + j];
            same = same && (keep ? *h5_recent(&h) == written[nwritten - 1] : !h5_recent(&h));
            CHECK(same);
            if (!same) {
                printf("seed %u op %lu: history differs\n", seed, i);
                TEST_MAIN_END();
            }
        }
    }
    CHECK(ops < 10000 || (full > 0 && empty > 0)); /* both edges reached in a long run */
    printf("%u seeds x %lu ops; the 7-slot deque ended %lu ops full, %lu empty\n", seeds, ops,
           full, empty);
    TEST_MAIN_END();
}
