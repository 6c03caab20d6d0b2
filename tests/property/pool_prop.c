/* Property test: random alloc/free on pools of random geometry (block size, alignment,
 * buffer offset and size), checked against a shadow model after every operation:
 * alignment, blocks inside the buffer and on the block grid, no block handed out twice,
 * contents preserved (a per-block pattern over the whole block, which also proves no two
 * blocks overlap), exhaustion exactly at capacity, used/max_used equal to the model;
 * mk_pool_check every few thousand operations. The allocation bias drifts so that runs
 * spend time both empty and full. In checked builds, misuse is injected too (double
 * free, interior and foreign pointers) and must be reported and change nothing.
 * Usage: pool_prop [seeds [ops_per_seed]]  (defaults: 16 seeds x 250,000 ops; each seed
 *        is a new geometry) */
#include <stdint.h>
#include <string.h>

#include "memkit/pool.h"
#include "test.h"

/* MEMKIT_SMALL_RAM: for the Cortex-M0 board's 16 KiB of RAM. */
#ifdef MEMKIT_SMALL_RAM
enum { BUF = 1024, CHECK_EVERY = 256, MAX_BLOCKS = BUF / sizeof(void *) };
#else
enum { BUF = 64 * 1024, CHECK_EVERY = 4096, MAX_BLOCKS = BUF / sizeof(void *) };
#endif

static _Alignas(256) unsigned char buf[BUF + 256];
#if MK_CHECKED
static unsigned char elsewhere[64]; /* for foreign pointers */
#endif

/* Model: the live blocks (dense, for random choice) and, per block index, its slot. */
static struct {
    unsigned char *ptr[MAX_BLOCKS];
    uint32_t tag[MAX_BLOCKS];
    size_t live;
    size_t max_live;
    size_t slot_of[MAX_BLOCKS]; /* SIZE_MAX when the block is not live */
    unsigned char *base;        /* first block (the first allocation returns it) */
    size_t bs, cap, align;
} m;

static struct {
    int calls;
    mk_pool_fault kind;
} seen;
static void on_fault(void *ctx, mk_pool_fault kind, const void *ptr)
{
    (void)ctx;
    (void)ptr;
    seen.calls++;
    seen.kind = kind;
}
static const mk_pool_hooks hooks = { .fault = on_fault };

static unsigned char pattern(uint32_t tag, size_t i)
{
    return (unsigned char)(tag * 7u + i * 131u);
}

static size_t index_of(const unsigned char *p) { return (size_t)(p - m.base) / m.bs; }

static bool intact(size_t slot)
{
    for (size_t i = 0; i < m.bs; i++)
        if (m.ptr[slot][i] != pattern(m.tag[slot], i))
            return false;
    return true;
}

/* Whether n blocks (and, in checked builds, their bitmap) fit into [mem, mem + size). */
static bool fits(unsigned char *mem, size_t size, size_t n)
{
    size_t meta = MK_CHECKED ? (n + 7) / 8 : 0;
    uintptr_t first = ((uintptr_t)mem + meta + m.align - 1) & ~(uintptr_t)(m.align - 1);
    return first - (uintptr_t)mem + n * m.bs <= size;
}

static int failures_at_start;
#define STOP_IF_FAILING()                                                        \
    do {                                                                         \
        if (test_failures > failures_at_start + 20)                              \
            return;                                                              \
    } while (0)

static bool do_alloc(mk_pool *p, unsigned long long *seed)
{
    unsigned char *b = mk_pool_alloc(p);
    if (m.live == m.cap) {
        CHECK(b == NULL);
        return b == NULL;
    }
    if (!b) {
        test_check(0, __FILE__, __LINE__, "alloc returned NULL below capacity");
        return false;
    }
    if (!m.base)
        m.base = b;
    size_t off = (size_t)(b - m.base);
    bool ok = b >= m.base && b >= buf && b + m.bs <= buf + sizeof buf &&
              ((uintptr_t)b & (m.align - 1)) == 0 && off % m.bs == 0 && off / m.bs < m.cap &&
              m.slot_of[off / m.bs] == SIZE_MAX;
    CHECK(ok);
    if (!ok)
        return false;
    size_t s = m.live++;
    if (m.live > m.max_live)
        m.max_live = m.live;
    m.ptr[s] = b;
    m.tag[s] = (uint32_t)test_rand(seed);
    m.slot_of[off / m.bs] = s;
    for (size_t i = 0; i < m.bs; i++)
        b[i] = pattern(m.tag[s], i);
    return true;
}

static bool do_free(mk_pool *p, size_t s)
{
    unsigned char *b = m.ptr[s];
    bool ok = intact(s);
    CHECK(ok);
    mk_pool_free(p, b);
    m.slot_of[index_of(b)] = SIZE_MAX;
    /* Keep the live array dense: the last slot moves into s. */
    size_t last = --m.live;
    if (s != last) {
        m.ptr[s] = m.ptr[last];
        m.tag[s] = m.tag[last];
        m.slot_of[index_of(m.ptr[s])] = s;
    }
    return ok;
}

#if MK_CHECKED
/* One piece of misuse, which must be reported and change nothing. */
static void do_misuse(mk_pool *p, unsigned long long *seed)
{
    mk__pool_link *free_before = p->free;
    int calls = seen.calls;
    mk_pool_fault expect;
    switch (test_range(seed, 0, 2)) {
    case 0: { /* a block that is not live (possibly never handed out) */
        size_t i = test_range(seed, 0, m.cap - 1);
        if (!m.base || m.slot_of[i] != SIZE_MAX)
            return;
        mk_pool_free(p, m.base + i * m.bs);
        expect = MK_POOL_FAULT_DOUBLE_FREE;
        break;
    }
    case 1: /* inside a live block */
        if (!m.live)
            return;
        mk_pool_free(p, m.ptr[test_range(seed, 0, m.live - 1)] + test_range(seed, 1, m.bs - 1));
        expect = MK_POOL_FAULT_BAD_POINTER;
        break;
    default: /* outside the pool's blocks */
        mk_pool_free(p, test_range(seed, 0, 1) ? elsewhere + test_range(seed, 0, 63)
                                               : (unsigned char *)&calls);
        expect = MK_POOL_FAULT_FOREIGN_POINTER;
        break;
    }
    CHECK(seen.calls == calls + 1 && seen.kind == expect);
    CHECK(p->free == free_before && mk_pool_used(p) == m.live);
}
#endif

static void run_seed(unsigned long long seed, unsigned long ops)
{
    unsigned long long s = seed * 0x9e3779b97f4a7c15ull + 1;
    memset(&m, 0, sizeof m);
    /* Random geometry; retry until the pool fits at least one block. */
    mk_pool p;
    size_t offset, size, block, align;
    do {
        offset = test_range(&s, 0, 255);
        size = test_range(&s, 16, BUF);
        block = test_rand(&s) % 4 ? test_range(&s, 0, 64) : test_range(&s, 65, 2048);
        align = test_range(&s, 0, 4) ? (size_t)1 << test_range(&s, 0, 7) : 0;
    } while (mk_pool_init(&p, buf + offset, size, block, align) != MK_OK);
    mk_pool_set_hooks(&p, &hooks);
    seen.calls = 0;
    m.bs = mk_pool_block_size(&p);
    m.cap = mk_pool_capacity(&p);
    m.align = align ? align : MK_ALIGN;
    if (m.align < _Alignof(void *))
        m.align = _Alignof(void *);
    CHECK(m.bs >= block && m.bs >= sizeof(void *) && m.bs % m.align == 0);
    CHECK(m.cap >= 1 && m.cap * m.bs <= size && m.cap <= MAX_BLOCKS);
    /* Nothing better fits: one block more (with its bit, in checked builds) would
     * overrun the buffer. */
    CHECK(!fits(buf + offset, size, m.cap + 1));
    for (size_t i = 0; i < MAX_BLOCKS; i++)
        m.slot_of[i] = SIZE_MAX;
    failures_at_start = test_failures;

    unsigned percent_alloc = 60;
    for (unsigned long op = 0; op < ops; op++) {
        if (op % 20000 == 0)
            percent_alloc = (unsigned)test_range(&s, 20, 80);
        unsigned r = (unsigned)test_range(&s, 0, 99);
#if MK_CHECKED
        if (r == 0) {
            do_misuse(&p, &s);
            continue;
        }
#endif
        bool ok;
        if (r < percent_alloc || m.live == 0)
            ok = do_alloc(&p, &s);
        else
            ok = do_free(&p, test_range(&s, 0, m.live - 1));
        if (mk_pool_used(&p) != m.live || mk_pool_max_used(&p) != m.max_live ||
            mk_pool_capacity(&p) != m.cap) {
            test_check(0, __FILE__, __LINE__, "statistics differ from the model");
            ok = false;
        }
        if (!ok)
            STOP_IF_FAILING();
        if (op % CHECK_EVERY == 0) {
            CHECK(mk_pool_check(&p) == MK_OK);
            size_t broken = 0;
            for (size_t k = 0; k < m.live; k++)
                broken += !intact(k);
            CHECK(broken == 0);
            STOP_IF_FAILING();
        }
    }
    while (m.live)
        do_free(&p, m.live - 1);
    CHECK(mk_pool_used(&p) == 0 && mk_pool_check(&p) == MK_OK);
#if !MK_CHECKED
    CHECK(seen.calls == 0);
#endif
    printf("seed %llu: block %zu (asked %zu), align %zu, %zu blocks, max used %zu\n", seed,
           m.bs, block, m.align, m.cap, m.max_live);
}

int main(int argc, char **argv)
{
    unsigned long seeds = argc > 1 ? strtoul(argv[1], NULL, 10) : 16;
    unsigned long ops = argc > 2 ? strtoul(argv[2], NULL, 10) : 250000;
    printf("MK_CHECKED=%d, %lu seeds x %lu ops\n", MK_CHECKED, seeds, ops);
    for (unsigned long seed = 1; seed <= seeds; seed++)
        run_seed(seed, ops);
    TEST_MAIN_END();
}
