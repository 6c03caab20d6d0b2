/* Property test: random alloc, free, resize and realloc on sized heaps of random
 * geometry (buffer offset and size), checked against a shadow model after every
 * operation: 8-byte alignment, blocks inside the buffer, contents preserved (a
 * per-block pattern over the whole requested size, which also proves no two blocks
 * overlap), used_bytes equal to the model's sum of rounded sizes, an allocation refused
 * only when the largest free block is too small; mk_sheap_check every few hundred
 * operations, and a bad free (double or foreign) injected now and then must be refused
 * and change nothing. The allocation bias drifts so that runs spend time both nearly
 * empty and full.
 * Usage: sheap_prop [seeds [ops_per_seed]]  (defaults: 8 seeds x 200,000 ops) */
#include <stdint.h>
#include <string.h>

#include "memkit/sheap.h"
#include "test.h"

#ifdef MEMKIT_SMALL_RAM
enum { BUF = 2048, MAX_LIVE = 64, CHECK_EVERY = 64 };
#else
enum { BUF = 64 * 1024, MAX_LIVE = 1024, CHECK_EVERY = 512 };
#endif

static _Alignas(64) unsigned char buf[BUF + 64];
static unsigned char elsewhere[64];

static struct {
    unsigned char *ptr[MAX_LIVE];
    size_t size[MAX_LIVE];
    uint32_t tag[MAX_LIVE];
    size_t live, used;
} m;

static size_t rounded(size_t n) { return n ? (n + 7u) & ~(size_t)7u : 8u; }

static unsigned char pattern(uint32_t tag, size_t i) { return (unsigned char)(tag * 31u + i); }

static void fill(size_t k)
{
    for (size_t i = 0; i < m.size[k]; i++)
        m.ptr[k][i] = pattern(m.tag[k], i);
}

static bool intact(size_t k, size_t upto)
{
    for (size_t i = 0; i < upto; i++)
        if (m.ptr[k][i] != pattern(m.tag[k], i))
            return false;
    return true;
}

static size_t random_size(unsigned long long *rng)
{
    unsigned long long r = test_rand(rng);
    unsigned roll = (unsigned)(r % 100u);
    r /= 100u;
    if (roll < 70)
        return (size_t)(r % 97u);
    if (roll < 95)
        return (size_t)(r % 1024u);
    return (size_t)(r % (BUF / 8u));
}

/* Whether block k, now at p with n bytes, kept the first min(old, n) bytes. */
static bool kept(const unsigned char *p, size_t k, size_t n)
{
    size_t upto = n < m.size[k] ? n : m.size[k];
    for (size_t i = 0; i < upto; i++)
        if (p[i] != pattern(m.tag[k], i))
            return false;
    return true;
}

static void check_placed(const unsigned char *p, size_t size)
{
    CHECK(((uintptr_t)p & 7u) == 0);
    CHECK(p >= buf && p + rounded(size) <= buf + sizeof buf);
}

static void one_seed(unsigned long long seed, long ops)
{
    unsigned long long rng = seed * 0x9E3779B97F4A7C15ull + 1u;
    size_t offset = (size_t)(test_rand(&rng) % 16u);
    size_t size = BUF / 4u + (size_t)(test_rand(&rng) % (BUF - BUF / 4u));
    mk_sheap h;
    REQUIRE(mk_sheap_init(&h, buf + offset, size) == MK_OK);
    memset(&m, 0, sizeof m);
    uint32_t next_tag = 1;
    unsigned bias = 60;
    for (long op = 0; op < ops; op++) {
        if (op % 5000 == 0)
            bias = 30u + (unsigned)(test_rand(&rng) % 50u);
        unsigned roll = (unsigned)(test_rand(&rng) % 100u);
        if (m.live < MAX_LIVE && (m.live == 0 || roll < bias)) {
            size_t n = random_size(&rng);
            mk_sheap_stats before;
            mk_sheap_get_stats(&h, &before);
            unsigned char *p = mk_sheap_alloc(&h, n);
            if (!p) {
                CHECK(before.largest_free_block < rounded(n));
                continue;
            }
            check_placed(p, n);
            size_t k = m.live++;
            m.ptr[k] = p;
            m.size[k] = n;
            m.tag[k] = next_tag++;
            m.used += rounded(n);
            fill(k);
        } else if (m.live) {
            size_t k = (size_t)(test_rand(&rng) % m.live);
            CHECK(intact(k, m.size[k]));
            unsigned what = (unsigned)(test_rand(&rng) % 10u);
            if (what < 5) {
                CHECK(mk_sheap_free(&h, m.ptr[k], m.size[k]) == MK_OK);
                m.used -= rounded(m.size[k]);
                m.live--;
                m.ptr[k] = m.ptr[m.live];
                m.size[k] = m.size[m.live];
                m.tag[k] = m.tag[m.live];
            } else {
                size_t n = random_size(&rng);
                bool in_place = what < 8;
                unsigned char *p = m.ptr[k];
                if (in_place ? mk_sheap_resize(&h, p, m.size[k], n)
                             : (p = mk_sheap_realloc(&h, p, m.size[k], n ? n : 1)) != NULL) {
                    if (!in_place)
                        n = n ? n : 1;
                    CHECK(kept(p, k, n));
                    check_placed(p, n);
                    m.used = m.used - rounded(m.size[k]) + rounded(n);
                    m.ptr[k] = p;
                    m.size[k] = n;
                    fill(k);
                } else {
                    CHECK(intact(k, m.size[k])); /* refused: unchanged */
                }
            }
        }
        mk_sheap_stats s;
        mk_sheap_get_stats(&h, &s);
        CHECK(s.used_bytes == m.used);
        if (op % CHECK_EVERY == 0) {
            CHECK(mk_sheap_check(&h) == MK_OK);
            /* Misuse that must be refused and change nothing. */
            CHECK(mk_sheap_free(&h, elsewhere, 8) == MK_EINVAL);
            if (m.live) {
                CHECK(mk_sheap_free(&h, m.ptr[0] + 4, 8) == MK_EINVAL);
                CHECK(mk_sheap_free(&h, m.ptr[0], BUF * 2u) == MK_EINVAL);
            }
            mk_sheap_get_stats(&h, &s);
            CHECK(s.used_bytes == m.used);
        }
    }
    for (size_t k = 0; k < m.live; k++) {
        CHECK(intact(k, m.size[k]));
        CHECK(mk_sheap_free(&h, m.ptr[k], m.size[k]) == MK_OK);
    }
    mk_sheap_stats s;
    mk_sheap_get_stats(&h, &s);
    CHECK(s.used_bytes == 0 && s.largest_free_block == s.total_bytes);
    CHECK(mk_sheap_check(&h) == MK_OK);
}

int main(int argc, char **argv)
{
    unsigned long seeds = argc > 1 ? strtoul(argv[1], NULL, 10) : 8;
    unsigned long ops = argc > 2 ? strtoul(argv[2], NULL, 10) : 200000;
    for (unsigned long s = 1; s <= seeds; s++)
        one_seed(s, (long)ops);
    TEST_MAIN_END();
}
