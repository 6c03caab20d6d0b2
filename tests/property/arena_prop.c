/* Property test: random alloc / mark / rewind / resize / free / reset / set_limit on
 * arenas of random geometry (buffer offset and size, with or without growth through an
 * upstream that fails at random), against a shadow model that predicts every pointer,
 * every chunk request and every count. After each operation: used, remaining and the
 * high-water mark equal the model's; every returned pointer is the one the model
 * predicted (so aligned, inside its chunk, and after the previous live allocation);
 * each allocation is filled with its own pattern and the newest are re-checked at once,
 * all of them every few thousand operations (so no two overlap and nothing released,
 * or poisoned in checked builds, touches a live byte). Upstream is a recorder that
 * checks each free against what it handed out; at the end of each seed every chunk
 * must be back. Marks that are no longer live are replayed too: every build must refuse
 * those it can prove stale, checked builds must never refuse a live one, and the
 * number of stale marks checked builds catch is reported.
 * Usage: arena_prop [seeds [ops_per_seed]]  (defaults: 12 seeds x 150,000 ops) */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "memkit/arena.h"
#include "test.h"

#define G ((size_t)MK_ALIGN)
#define HDR ((sizeof(mk__arena_chunk) + G - 1) / G * G)

enum {
    BUF = 64 * 1024,
    MAX_LIVE = 2048,
    MAX_MARKS = 64,
    MAX_CHUNKS = 512,
    CHECK_EVERY = 4096,
    UP_MAX = 8 << 20 /* the recorder refuses larger chunks */
};

static _Alignas(4096) unsigned char ram[BUF + 128];
static _Alignas(64) unsigned char other_ram[256];

static unsigned long long rng;

/* ---- upstream: a recorder ----------------------------------------------------------- */

static struct {
    struct {
        unsigned char *p;
        size_t size;
    } live[MAX_CHUNKS];
    size_t n;
    size_t req[4];       /* sizes asked for since the log was cleared */
    unsigned char *got[4];
    size_t nreq;
    unsigned fail_pct;   /* refuse this share of requests at random */
    size_t errors;       /* bad frees, unexpected alignments */
} up;

static void *up_alloc(void *ctx, size_t size, size_t align)
{
    (void)ctx;
    if (align != G)
        up.errors++;
    unsigned char *p = NULL;
    if (size <= UP_MAX && up.n < MAX_CHUNKS && test_range(&rng, 1, 100) > up.fail_pct)
        p = aligned_alloc(G, (size + G - 1) / G * G);
    if (p) {
        up.live[up.n].p = p;
        up.live[up.n].size = size;
        up.n++;
    }
    if (up.nreq < 4) {
        up.req[up.nreq] = size;
        up.got[up.nreq] = p;
    }
    up.nreq++;
    return p;
}

static void up_free(void *ctx, void *ptr, size_t size, size_t align)
{
    (void)ctx;
    if (align != G)
        up.errors++;
    for (size_t i = 0; i < up.n; i++) {
        if (up.live[i].p == ptr) {
            if (up.live[i].size != size)
                up.errors++;
            up.live[i] = up.live[--up.n];
            free(ptr);
            return;
        }
    }
    up.errors++; /* not one of ours, or freed twice */
}

static const mk_allocator_vtable up_vt = { up_alloc, up_free, NULL, NULL, NULL };

static bool up_holds(const void *p)
{
    for (size_t i = 0; i < up.n; i++)
        if (up.live[i].p == p)
            return true;
    return false;
}

/* ---- the model ---------------------------------------------------------------------- */

typedef struct mchunk {
    uintptr_t lo, hi;   /* usable bytes; chunk 0 is the caller's buffer */
    size_t before;      /* used bytes before lo */
    unsigned char *raw; /* what upstream returned (NULL for the buffer) */
} mchunk;

typedef struct malloc_rec {
    unsigned char *p;
    size_t size;
    size_t chunk;
    size_t end_used; /* used coordinate of p + size */
    uint32_t tag;
} malloc_rec;

typedef struct mmark {
    mk_arena_pos pos;
    size_t used;
    size_t chunk;
    unsigned char *raw; /* its chunk's upstream pointer */
    size_t before;      /* and that chunk's place in the used coordinate */
    size_t moves_at;    /* moves back before it was taken */
    uintptr_t cur;
    bool live;
} mmark;

static struct {
    mchunk ch[MAX_CHUNKS];
    size_t nch;
    uintptr_t cur;
    size_t high;
    size_t limit;
    bool growth;
    size_t next, max;
    malloc_rec al[MAX_LIVE];
    size_t nal;
    mmark mk[MAX_MARKS];
    size_t nmk;
    uint32_t tag;
    size_t moves;      /* moves back the arena has recorded (rewind, reset, shrink) */
    size_t last_floor; /* used right after the latest */
} m;

static struct {
    size_t allocs, failed, grown, rewinds, resizes, frees, resets, stale_tried,
        stale_caught, foreign;
} stat;

static mchunk *top(void) { return &m.ch[m.nch - 1]; }
static size_t used(void) { return top()->before + (size_t)(m.cur - top()->lo); }
static uintptr_t end_of(const mchunk *c)
{
    if (m.limit - c->before < c->hi - c->lo)
        return c->lo + (m.limit - c->before);
    return c->hi;
}

static unsigned char pattern(uint32_t tag, size_t i)
{
    return (unsigned char)(tag * 29u + i * 7u + (i >> 8));
}
static void fill(const malloc_rec *r)
{
    for (size_t i = 0; i < r->size; i++)
        r->p[i] = pattern(r->tag, i);
}
static bool intact(const malloc_rec *r)
{
    for (size_t i = 0; i < r->size; i++)
        if (r->p[i] != pattern(r->tag, i))
            return false;
    return true;
}

static size_t round_g(size_t n) { return (n + G - 1) / G * G; }

static size_t chunk_size(size_t n)
{
    size_t top_size = (SIZE_MAX / 2) & ~(G - 1);
    if (n < HDR + G)
        n = HDR + G;
    return n > top_size ? top_size : round_g(n);
}

/* Everything the arena reports must match the model. */
static int failures_at_start;
static void compare(const mk_arena *a, const char *what)
{
    size_t u = used();
    size_t hw = u > m.high ? u : m.high;
    size_t rem = (size_t)(end_of(top()) - m.cur);
    if (mk_arena_used(a) != u || mk_arena_remaining(a) != rem ||
        mk_arena_high_water(a) != hw) {
        fprintf(stderr, "after %s: used %zu/%zu remaining %zu/%zu high %zu/%zu\n", what,
                mk_arena_used(a), u, mk_arena_remaining(a), rem, mk_arena_high_water(a), hw);
        CHECK(0 && "arena statistics differ from the model");
    }
}

/* The model's side of a move back to position `c` in chunk j (every rewind and reset,
 * and a resize that shrinks: what checked builds record). */
static void model_move_back(size_t j, uintptr_t c)
{
    size_t u = used();
    if (u > m.high)
        m.high = u;
    m.nch = j + 1;
    m.cur = c;
    u = used();
    m.moves++;
    m.last_floor = u;
    while (m.nal && (m.al[m.nal - 1].chunk > j || m.al[m.nal - 1].end_used > u))
        m.nal--;
    for (size_t i = 0; i < m.nmk; i++)
        if (m.mk[i].used > u || m.mk[i].chunk > j)
            m.mk[i].live = false;
    /* Every chunk past j must be back upstream, and every one up to j still out. */
    size_t held = 0;
    for (size_t k = 1; k < m.nch; k++)
        held += up_holds(m.ch[k].raw);
    CHECK(held == m.nch - 1 && up.n == m.nch - 1);
}

/* ---- operations --------------------------------------------------------------------- */

static size_t random_size(void)
{
    size_t r = test_range(&rng, 1, 1000);
    if (r <= 500)
        return test_range(&rng, 0, 32);
    if (r <= 750)
        return test_range(&rng, 0, 256);
    if (r <= 900)
        return test_range(&rng, 0, 2048);
    if (r <= 985)
        return test_range(&rng, 0, 16384);
    static const size_t huge[] = { SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 100, SIZE_MAX / 2,
                                   (size_t)1 << 24, BUF + 1 };
    return huge[test_range(&rng, 0, 5)];
}

static size_t random_align(void)
{
    size_t r = test_range(&rng, 1, 100);
    if (r <= 35)
        return 0;
    if (r <= 80)
        return (size_t)1 << test_range(&rng, 0, 4);
    if (r <= 95)
        return (size_t)1 << test_range(&rng, 5, 12);
    static const size_t odd[] = { 3, 12, 24, SIZE_MAX, (SIZE_MAX >> 1) + 1 };
    return odd[test_range(&rng, 0, 4)];
}

static void op_alloc(mk_arena *a)
{
    size_t size = random_size(), align = random_align();
    up.nreq = 0;
    unsigned char *p = mk_arena_alloc(a, size, align);
    stat.allocs++;

    /* What the model expects. */
    unsigned char *want = NULL;
    size_t want_req[2], nwant = 0;
    bool new_chunk = false;
    if (align == 0 || (align & (align - 1)) == 0) {
        size_t al = align ? align : G;
        uintptr_t end = end_of(top());
        size_t pad = (size_t)(0u - m.cur) & (al - 1);
        size_t room = (size_t)(end - m.cur);
        if (pad <= room && size <= room - pad) {
            want = m.cur ? (unsigned char *)(m.cur + pad) : NULL;
        } else if (size && m.growth) {
            size_t extra = al > G ? al - G : 0;
            size_t before = top()->before + (size_t)(top()->hi - top()->lo);
            if (size <= SIZE_MAX - HDR - extra - (G - 1) && before <= m.limit &&
                extra + size <= m.limit - before) {
                size_t need = round_g(HDR + extra + size);
                size_t csize = need > m.next ? need : m.next;
                want_req[nwant++] = csize;
                unsigned char *raw = up.nreq >= 1 ? up.got[0] : NULL;
                if (!raw && csize > need) {
                    want_req[nwant++] = need;
                    raw = up.nreq >= 2 ? up.got[1] : NULL;
                    csize = need;
                }
                if (raw) {
                    if (csize == m.next)
                        m.next = m.next > m.max / 2 ? m.max : m.next * 2;
                    mchunk *c = &m.ch[m.nch++];
                    c->raw = raw;
                    c->lo = (uintptr_t)raw + HDR;
                    c->hi = (uintptr_t)raw + csize;
                    c->before = before;
                    m.cur = c->lo;
                    want = (unsigned char *)(c->lo + ((0u - c->lo) & (al - 1)));
                    new_chunk = true;
                }
            }
        }
    }
    /* Upstream saw exactly the requests the model predicts. */
    bool reqs_ok = up.nreq == nwant;
    for (size_t i = 0; reqs_ok && i < nwant; i++)
        reqs_ok = up.req[i] == want_req[i];
    if (!reqs_ok || p != want) {
        fprintf(stderr, "alloc(%zu, %zu): got %p want %p, %zu upstream requests (want %zu)\n",
                size, align, (void *)p, (void *)want, up.nreq, nwant);
        CHECK(0 && "allocation differs from the model");
        if (new_chunk)
            m.nch--;
        return;
    }
    if (!p) {
        stat.failed++;
        return;
    }
    stat.grown += new_chunk;
    /* After the previous live allocation, never over it. */
    if (m.nal) {
        const malloc_rec *prev = &m.al[m.nal - 1];
        CHECK(prev->chunk != m.nch - 1 || p >= prev->p + prev->size);
    }
    m.cur = (uintptr_t)p + size;
    if (m.nal == MAX_LIVE) { /* the model keeps the newest; older ones go unchecked */
        memmove(m.al, m.al + 1, (MAX_LIVE - 1) * sizeof *m.al);
        m.nal--;
    }
    malloc_rec *r = &m.al[m.nal++];
    r->p = p;
    r->size = size;
    r->chunk = m.nch - 1;
    r->end_used = used();
    r->tag = ++m.tag;
    fill(r);
}

static void op_mark(mk_arena *a)
{
    if (m.nmk == MAX_MARKS) {
        memmove(m.mk, m.mk + 1, (MAX_MARKS - 1) * sizeof *m.mk);
        m.nmk--;
    }
    mmark *k = &m.mk[m.nmk++];
    k->pos = mk_arena_mark(a);
    k->used = used();
    k->chunk = m.nch - 1;
    k->raw = top()->raw;
    k->before = top()->before;
    k->moves_at = m.moves;
    k->cur = m.cur;
    k->live = true;
}

static struct {
    int calls;
    mk_arena_fault kind;
} seen;
static void on_fault(void *ctx, mk_arena_fault kind, const void *ptr)
{
    (void)ctx;
    (void)ptr;
    seen.calls++;
    seen.kind = kind;
}
static const mk_arena_hooks hooks = { .fault = on_fault };

/* Rewinds with either entry point (checked builds: the hook tells a refusal from an
 * acceptance); returns whether the arena accepted the mark. */
static bool try_rewind(mk_arena *a, const mk_arena_pos *pos)
{
    if (!MK_CHECKED || test_range(&rng, 0, 1))
        return mk_arena_rewind_checked(a, *pos) == MK_OK;
    seen.calls = 0;
    mk_arena_rewind(a, *pos);
    CHECK(seen.calls <= 1);
    return seen.calls == 0;
}

static void op_rewind_live(mk_arena *a)
{
    size_t live[MAX_MARKS], n = 0;
    for (size_t i = 0; i < m.nmk; i++)
        if (m.mk[i].live)
            live[n++] = i;
    if (!n)
        return;
    /* Mostly the newest (the usual nesting), sometimes any. */
    const mmark *k = &m.mk[live[test_range(&rng, 0, 3) ? n - 1 : test_range(&rng, 0, n - 1)]];
    stat.rewinds++;
    bool ok = try_rewind(a, &k->pos);
    CHECK(ok); /* a live mark is never refused */
    if (ok)
        model_move_back(k->chunk, k->cur);
}

static void op_rewind_stale(mk_arena *a)
{
    size_t dead[MAX_MARKS], n = 0;
    for (size_t i = 0; i < m.nmk; i++)
        if (!m.mk[i].live)
            dead[n++] = i;
    if (!n)
        return;
    const mmark *k = &m.mk[dead[test_range(&rng, 0, n - 1)]];
    /* Provably stale in every build: no chunk of the arena is at the mark's chunk
     * address, or the very same chunk (address and place in the chain) is there and
     * the mark lies past the current position. A new chunk at a returned chunk's
     * address fools the plain builds' pointer walk, so that case proves nothing. */
    bool chunk_gone = true, past = false;
    for (size_t j = 0; j < m.nch; j++) {
        if (m.ch[j].raw == k->raw) {
            chunk_gone = false;
            past = m.ch[j].before == k->before && k->used > used();
        }
    }
    bool provable = chunk_gone || past;
    if (!MK_CHECKED && !provable)
        return; /* plain builds cannot tell; replaying it would be the bug itself */
    /* Checked builds always keep the latest move back, so a mark it went below is
     * always caught; older deaths may be forgotten (MK_ARENA_CHECK_DEPTH). */
    bool must = provable || (MK_CHECKED && k->moves_at < m.moves && k->used > m.last_floor);
    stat.stale_tried++;
    size_t u = used();
    if (!try_rewind(a, &k->pos)) {
        stat.stale_caught++;
        CHECK(mk_arena_used(a) == u);
        return;
    }
    CHECK(!must);
    if (provable)
        return;
    /* A checked build let an old mark through (its record of moves back is bounded):
     * it must still be a position of this arena, consistent with the model's chunk. */
    size_t j = 0;
    while (j < m.nch && m.ch[j].raw != k->raw)
        j++;
    REQUIRE(j < m.nch);
    CHECK(m.ch[j].before + (size_t)(k->cur - m.ch[j].lo) == k->used);
    model_move_back(j, k->cur);
}

static void op_rewind_foreign(mk_arena *a, mk_arena *other)
{
    mk_arena_pos pos = mk_arena_mark(other);
    size_t u = used();
    stat.foreign++;
    seen.calls = 0;
    CHECK(mk_arena_rewind_checked(a, pos) == MK_EINVAL);
    mk_arena_rewind(a, pos);
    CHECK(mk_arena_used(a) == u);
#if MK_CHECKED
    CHECK(seen.calls == 1 && seen.kind == MK_ARENA_FAULT_FOREIGN_MARK);
#endif
}

/* Resize an allocation (mostly the newest): in place when it is the last, never
 * otherwise. */
static void op_resize(mk_arena *a)
{
    if (!m.nal)
        return;
    size_t ri = test_range(&rng, 0, 3) ? m.nal - 1 : test_range(&rng, 0, m.nal - 1);
    malloc_rec *r = &m.al[ri];
    size_t nsize = test_range(&rng, 0, 3) ? test_range(&rng, 0, r->size * 2 + 64)
                                          : random_size();
    bool last = r->chunk == m.nch - 1 && (uintptr_t)r->p + r->size == m.cur;
    bool want = last && nsize <= end_of(top()) - (uintptr_t)r->p;
    bool got = mk_arena_resize(a, r->p, r->size, nsize);
    stat.resizes++;
    CHECK(got == want);
    if (!got || !want)
        return;
    /* Anything after r in the model is a zero-size block at r's old end: released by
     * a shrink, swallowed by growth. Either way the model forgets it. */
    m.nal = ri + 1;
    size_t old_used = used();
    r->size = nsize;
    r->end_used = old_used - (size_t)(m.cur - ((uintptr_t)r->p + nsize));
    if ((uintptr_t)r->p + nsize < m.cur) {
        model_move_back(m.nch - 1, (uintptr_t)r->p + nsize);
    } else {
        m.cur = (uintptr_t)r->p + nsize;
        r->end_used = used();
    }
    fill(r);
}

/* free through the allocator adapter: only the last allocation comes back. A block
 * freed elsewhere stays in the model, still checked: the arena must not reuse it. */
static void op_free(mk_arena *a)
{
    if (!m.nal)
        return;
    size_t i = test_range(&rng, 0, 1) ? m.nal - 1 : test_range(&rng, 0, m.nal - 1);
    malloc_rec r = m.al[i];
    mk_allocator al = mk_arena_allocator(a);
    CHECK(r.size == 0 || mk_owns(al, r.p));
    mk_free(al, r.p, r.size, 0);
    stat.frees++;
    if (r.size && r.chunk == m.nch - 1 && (uintptr_t)r.p + r.size == m.cur)
        model_move_back(m.nch - 1, (uintptr_t)r.p); /* pops r and anything after it */
}

static void op_reset(mk_arena *a)
{
    mk_arena_reset(a);
    stat.resets++;
    model_move_back(0, m.ch[0].lo);
}

static void op_limit(mk_arena *a)
{
    size_t lim = test_range(&rng, 0, 3) == 0 ? SIZE_MAX : test_range(&rng, 0, 2 * BUF);
    size_t rounded = lim & ~(G - 1);
    bool want = used() <= rounded;
    CHECK(mk_arena_set_limit(a, lim) == want);
    if (want)
        m.limit = rounded;
}

static void verify_all(void)
{
    size_t bad = 0;
    for (size_t i = 0; i < m.nal; i++)
        bad += !intact(&m.al[i]);
    CHECK(bad == 0);
}

static void run_seed(unsigned long long seed, long ops)
{
    rng = seed * 0x9E3779B97F4A7C15ull + 1;
    memset(&m, 0, sizeof m);
    memset(&up, 0, sizeof up);
    failures_at_start = test_failures;

    /* Geometry: an offset buffer of some size, maybe none; maybe growth. */
    size_t off = test_range(&rng, 0, 63);
    size_t kind = test_range(&rng, 0, 3);
    size_t size = kind == 0 ? test_range(&rng, 0, 64)
                  : kind == 1 ? test_range(&rng, 64, 4096)
                              : test_range(&rng, 4096, BUF);
    mk_arena a, other;
    mk_arena_init(&a, ram + off, size);
    mk_arena_init(&other, other_ram, sizeof other_ram);
    mk_arena_set_hooks(&a, &hooks);
    uintptr_t lo = ((uintptr_t)(ram + off) + G - 1) & ~(uintptr_t)(G - 1);
    uintptr_t hi = ((uintptr_t)(ram + off) + size) & ~(uintptr_t)(G - 1);
    m.ch[0].lo = lo < hi ? lo : 0;
    m.ch[0].hi = lo < hi ? hi : 0;
    m.nch = 1;
    m.cur = m.ch[0].lo;
    m.limit = SIZE_MAX;
    m.growth = kind == 3 || test_range(&rng, 0, 2) != 0;
    if (m.growth) {
        size_t first = test_range(&rng, 0, 1) ? test_range(&rng, 1, 256)
                                              : test_range(&rng, 1, 4096);
        size_t max = test_range(&rng, 1, 65536);
        static const unsigned fail[] = { 0, 0, 5, 30 };
        up.fail_pct = fail[test_range(&rng, 0, 3)];
        REQUIRE(mk_arena_set_upstream(&a, (mk_allocator){ NULL, &up_vt }, first, max));
        m.next = chunk_size(first);
        m.max = chunk_size(max);
        if (m.max < m.next)
            m.max = m.next;
    }
    compare(&a, "init");

    for (long i = 0; i < ops && test_failures < failures_at_start + 20; i++) {
        /* The mix drifts between filling and emptying phases. */
        bool filling = (i / 5000) % 2 == 0;
        size_t r = test_range(&rng, 1, 1000);
        const char *what;
        if (m.nal >= MAX_LIVE - 1 || m.nch >= MAX_CHUNKS - 4 || up.n >= MAX_CHUNKS - 4) {
            op_reset(&a);
            what = "forced reset";
        } else if (r <= (filling ? 520u : 400u)) {
            op_alloc(&a);
            what = "alloc";
        } else if (r <= 640) {
            op_mark(&a);
            what = "mark";
        } else if (r <= (filling ? 700u : 780u)) {
            op_rewind_live(&a);
            what = "rewind";
        } else if (r <= 820) {
            op_rewind_stale(&a);
            what = "stale rewind";
        } else if (r <= 900) {
            op_resize(&a);
            what = "resize";
        } else if (r <= 970) {
            op_free(&a);
            what = "free";
        } else if (r <= 980) {
            op_rewind_foreign(&a, &other);
            what = "foreign rewind";
        } else if (r <= 990) {
            op_limit(&a);
            what = "limit";
        } else {
            op_reset(&a);
            what = "reset";
        }
        compare(&a, what);
        for (size_t k = m.nal >= 3 ? m.nal - 3 : 0; k < m.nal; k++)
            CHECK(intact(&m.al[k]));
        if (i % CHECK_EVERY == 0)
            verify_all();
    }
    verify_all();
    mk_arena_reset(&a);
    model_move_back(0, m.ch[0].lo);
    compare(&a, "final reset");
    CHECK(up.n == 0 && up.errors == 0); /* every chunk back, each with its own size */
    for (size_t i = 0; i < up.n; i++)
        free(up.live[i].p);
}

int main(int argc, char **argv)
{
    long seeds = argc > 1 ? atol(argv[1]) : 12;
    long ops = argc > 2 ? atol(argv[2]) : 150000;
    for (long s = 1; s <= seeds; s++) {
        int before = test_failures;
        run_seed((unsigned long long)s, ops);
        if (test_failures != before)
            printf("seed %ld FAILED (buffer %zu bytes, growth %d, next %zu, max %zu, "
                   "upstream failing %u%%)\n", s, (size_t)(m.ch[0].hi - m.ch[0].lo),
                   m.growth, m.next, m.max, up.fail_pct);
    }
    printf("%zu allocs (%zu failed, %zu new chunks), %zu rewinds, %zu resizes, %zu frees, "
           "%zu resets; stale marks: %zu of %zu refused; %zu foreign refused\n",
           stat.allocs, stat.failed, stat.grown, stat.rewinds, stat.resizes, stat.frees,
           stat.resets, stat.stale_caught, stat.stale_tried, stat.foreign);
    if (seeds * ops >= 100000)
        CHECK(stat.grown > 0 && stat.rewinds > 0 && stat.stale_tried > 0);
    TEST_MAIN_END();
}
