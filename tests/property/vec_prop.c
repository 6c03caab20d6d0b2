/* Property test: random push / push_unchecked / pop / insert / remove / swap_remove /
 * extend / truncate / clear on a vector with a uint8_t counter and on an _EXT vector
 * of another element size, each against a plain array, compared element by element
 * after every operation (results, lengths and every live element). The operation mix
 * drifts so that runs spend time both empty and full.
 * The _EXT vector's push and pop go through the erased core, the other's through the
 * inline typed wrappers, so both implementations are checked.
 * Usage: vec_prop [seeds [ops_per_seed]]  (defaults: 8 seeds x 200,000 ops) */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "memkit/vec.h"
#include "test.h"

enum { CAP = 37, EXT_CAP = 23, MAXN = 64 };

MK_VEC_DEFINE_IDX(small_vec, uint32_t, CAP, uint8_t);
typedef struct rec {
    uint16_t a;
    uint8_t b[5];
} rec;
MK_VEC_DEFINE_EXT(rec_vec, rec);

/* The model: a plain array and its length, elements as 64-bit numbers. */
typedef struct model {
    uint64_t e[MAXN];
    size_t len, cap;
} model;

static rec rec_of(uint64_t x)
{
    rec r = { (uint16_t)x, { (uint8_t)(x >> 16), (uint8_t)(x >> 24), (uint8_t)(x >> 32),
                             (uint8_t)(x >> 40), (uint8_t)(x >> 48) } };
    return r;
}
static uint64_t num_of_rec(const rec *r)
{
    return r->a | (uint64_t)r->b[0] << 16 | (uint64_t)r->b[1] << 24 |
           (uint64_t)r->b[2] << 32 | (uint64_t)r->b[3] << 40 | (uint64_t)r->b[4] << 48;
}

static mk_err model_insert(model *m, size_t at, uint64_t x)
{
    if (at > m->len)
        return MK_EINVAL;
    if (m->len == m->cap)
        return MK_EFULL;
    memmove(&m->e[at + 1], &m->e[at], (m->len - at) * sizeof m->e[0]);
    m->e[at] = x;
    m->len++;
    return MK_OK;
}
static mk_err model_remove(model *m, size_t at, bool swap, uint64_t *out)
{
    if (at >= m->len)
        return MK_EINVAL;
    *out = m->e[at];
    if (swap)
        m->e[at] = m->e[m->len - 1];
    else
        memmove(&m->e[at], &m->e[at + 1], (m->len - at - 1) * sizeof m->e[0]);
    m->len--;
    return MK_OK;
}

/* One random operation on both vectors (through their typed functions) and on their
 * models; the mask keeps only the bits each element type stores. */
static void step(unsigned long long *s, unsigned bias, small_vec *v, model *mv, rec_vec *r,
                 model *mr)
{
    uint64_t x = test_rand(s) & 0xFFFFFFFFFFFFull;
    size_t at = test_range(s, 0, mv->len + 1);
    size_t rat = test_range(s, 0, mr->len + 1);
    unsigned op = (unsigned)test_range(s, 0, 99);
    uint32_t o32 = 0;
    rec orec;
    uint64_t want = 0;
    mk_err e1, e2;
    if (op < bias) { /* grow */
        switch (op % 4) {
        case 0:
            e1 = small_vec_push(v, (uint32_t)x);
            CHECK(e1 == model_insert(mv, mv->len, (uint32_t)x));
            /* The erased core's push (the typed one is inline). */
            rec item = rec_of(x);
            CHECK(mk_vec_push(rec_vec_view(r), &item) == model_insert(mr, mr->len, x));
            break;
        case 1:
            CHECK(small_vec_insert(v, at, (uint32_t)x) == model_insert(mv, at, (uint32_t)x));
            CHECK(rec_vec_insert(r, rat, rec_of(x)) == model_insert(mr, rat, x));
            break;
        case 2:
            if (!small_vec_is_full(v)) {
                small_vec_push_unchecked(v, (uint32_t)x);
                CHECK(model_insert(mv, mv->len, (uint32_t)x) == MK_OK);
            }
            break;
        default: {
            size_t n = test_range(s, 0, 6);
            uint32_t items[6];
            rec ritems[6];
            for (size_t i = 0; i < n; i++) {
                items[i] = (uint32_t)(x + i);
                ritems[i] = rec_of(x + i);
            }
            mk_err want1 = n > mv->cap - mv->len ? MK_EFULL : MK_OK;
            mk_err want2 = n > mr->cap - mr->len ? MK_EFULL : MK_OK;
            CHECK(small_vec_extend(v, items, n) == want1);
            CHECK(rec_vec_extend(r, ritems, n) == want2);
            for (size_t i = 0; i < n && want1 == MK_OK; i++)
                mv->e[mv->len++] = items[i];
            for (size_t i = 0; i < n && want2 == MK_OK; i++)
                mr->e[mr->len++] = x + i;
        }
        }
        return;
    }
    switch (op % 5) {
    case 0:
        e1 = small_vec_pop(v, &o32);
        e2 = mv->len ? MK_OK : MK_EEMPTY;
        CHECK(e1 == e2 && (e2 != MK_OK || o32 == mv->e[mv->len - 1]));
        mv->len -= e2 == MK_OK;
        e1 = mk_vec_pop(rec_vec_view(r), &orec); /* the core's; the typed one is inline */
        e2 = mr->len ? MK_OK : MK_EEMPTY;
        CHECK(e1 == e2 && (e2 != MK_OK || num_of_rec(&orec) == mr->e[mr->len - 1]));
        mr->len -= e2 == MK_OK;
        break;
    case 1:
    case 2:
        e1 = op % 5 == 1 ? small_vec_remove(v, at, &o32) : small_vec_swap_remove(v, at, &o32);
        CHECK(e1 == model_remove(mv, at, op % 5 == 2, &want) && (e1 || o32 == want));
        e1 = op % 5 == 1 ? rec_vec_remove(r, rat, &orec) : rec_vec_swap_remove(r, rat, &orec);
        CHECK(e1 == model_remove(mr, rat, op % 5 == 2, &want) &&
              (e1 || num_of_rec(&orec) == want));
        break;
    case 3:
        small_vec_truncate(v, at);
        mv->len = at < mv->len ? at : mv->len;
        rec_vec_truncate(r, rat);
        mr->len = rat < mr->len ? rat : mr->len;
        break;
    default:
        if (test_range(s, 0, 20) == 0) {
            small_vec_clear(v);
            mv->len = 0;
            rec_vec_clear(r);
            mr->len = 0;
        }
    }
}

static bool same(small_vec *v, const model *mv, rec_vec *r, const model *mr)
{
    if (small_vec_len(v) != mv->len || rec_vec_len(r) != mr->len)
        return false;
    if (small_vec_is_full(v) != (mv->len == mv->cap) || small_vec_is_empty(v) != !mv->len)
        return false;
    for (size_t i = 0; i < mv->len; i++)
        if (*small_vec_at(v, i) != mv->e[i])
            return false;
    for (size_t i = 0; i < mr->len; i++)
        if (num_of_rec(rec_vec_at(r, i)) != mr->e[i])
            return false;
    return small_vec_at(v, mv->len) == NULL && rec_vec_at(r, mr->len) == NULL;
}

int main(int argc, char **argv)
{
    unsigned seeds = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 8;
    unsigned long ops = argc > 2 ? strtoul(argv[2], NULL, 10) : 200000;
    unsigned long full = 0, empty = 0;
    for (unsigned seed = 1; seed <= seeds; seed++) {
        unsigned long long s = 0x9E3779B97F4A7C15ull * seed;
        small_vec v = { 0 };
        rec storage[EXT_CAP];
        rec_vec r;
        REQUIRE(rec_vec_init_ext(&r, storage, EXT_CAP) == MK_OK);
        model mv = { .cap = CAP }, mr = { .cap = EXT_CAP };
        for (unsigned long i = 0; i < ops; i++) {
            unsigned bias = (unsigned)(50 + 45 * ((i / 5000) % 3) - 45); /* 5, 50, 95 */
            step(&s, bias, &v, &mv, &r, &mr);
            full += mv.len == CAP;
            empty += mv.len == 0;
            bool ok = same(&v, &mv, &r, &mr);
            CHECK(ok);
            if (!ok) {
                printf("seed %u op %lu: the vector differs from the model\n", seed, i);
                TEST_MAIN_END();
            }
        }
    }
    /* A run this long must have reached both edges, or it tested too little (a fuzz
     * driver's short runs are exempt). */
    CHECK(ops < 10000 || (full > 0 && empty > 0));
    printf("%u seeds x %lu ops; %lu ops ended full, %lu empty\n", seeds, ops, full, empty);
    TEST_MAIN_END();
}
