/* Directed worst cases of the heap, counted exactly on an emulated target.
 *
 * heap_ops.c samples random operations; this program builds, for each long path through
 * mk_heap_alloc / _aligned / _caps and mk_heap_free, heap states that force it, and counts
 * the instructions of the one call that takes the path. Each path is swept over the size
 * classes involved (every class of the region in one or two of its dimensions, the first
 * and the last class of each power of two in the others), on a 16 KiB, a 1 MiB and a
 * larger region (8 MiB on RV32, 2 MiB on the Cortex-M3, which has 4 MiB of RAM); the
 * table gives each path's maximum and the classes (or alignment, gap) of the first case
 * that reached it. The paths:
 *   alloc_scan_hit   the own-class scan visits MK_HEAP_SCAN_LIMIT blocks that all fit,
 *                    each better than the last; the best has both list neighbours; the
 *                    remainder goes to an empty class
 *   alloc_near       the scan visits MK_HEAP_SCAN_LIMIT blocks that are all too small;
 *                    the first bitmap probe finds the only block of a class in the same
 *                    32-class word; split, remainder to an empty class
 *   alloc_top        as alloc_near, but the class is in a higher word: the top-level
 *                    bitmap search (two ctz), and the block's word empties
 *   alloc_fail       the scan misses and no class above has a block: NULL
 *   aligned_top      mk_heap_alloc_aligned, 2*G..4096: scan miss, top-level search, a
 *                    front gap (none, smaller than a block, or a block) binned, the tail
 *                    split and binned
 *   caps_top_R       mk_heap_alloc_caps over R regions: the first R-1 have the
 *                    capability but only too-small blocks (scan miss, both bitmap probes
 *                    fail), the last is in the alloc_top state
 *   free_alone       both neighbours used: the block goes to an empty class
 *   free_next        the free successor (the only block of its class) is absorbed
 *   free_prev_same   the free predecessor absorbs it without changing class
 *   free_both        predecessor and successor free, each alone in its class, and the
 *                    merged block changes class: two unlinks, one insert
 *   free_both_R      free_both in the last of R regions (the region look-up walks all)
 * The counting follows heap_ops.c (counter.h): argument set-up, call and return included,
 * the counter reads excluded.
 *
 * A check as well as a benchmark: every state is verified through the heap's own layout
 * (src/internal/heap_layout.h) before the call, the call's result is verified after, and
 * mk_heap_check must pass. Exits non-zero if any of that fails, if the counter is not
 * exact (a run without -icount), or if any path's maximum on the largest region exceeds
 * its maximum on the 1 MiB one. (Not the 16 KiB one: a request of 1/32 of its region or
 * more takes the high-end placement, so a 16 KiB region never sees that path with the
 * larger classes, whose size arithmetic costs a few instructions more.) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "counter.h"
#include "internal/heap_layout.h"
#include "memkit/heap.h"
#include "test.h"

#if defined(__riscv)
#define LARGE_HEAP (8u * 1024u * 1024u)
#else
#define LARGE_HEAP (2u * 1024u * 1024u)
#endif
enum { NSIZES = 3, SPARE = 16 * 1024, MAX_PIECES = 16, SCAN = MK_HEAP_SCAN_LIMIT };
#define MAX_SPARSE (2u * 33u + 2u)
static const uint32_t heap_sizes[NSIZES] = { 16u * 1024u, 1024u * 1024u, LARGE_HEAP };
/* The region under test first, then the regions that are searched in vain. */
MK_HEAP_REGION(mem, LARGE_HEAP + (MK_HEAP_MAX_REGIONS - 1) * SPARE, );

#define CAP_ALL MK_CAP_USER0 /* every region has it: the capability the paths ask for */
#define CAP_OWN(i) (MK_CAP_USER0 << (1u + (i))) /* one region's own, to build it */

static mk_heap heap;
static uint32_t overhead;

/* ---- size classes, from the layout's own mapping ---- */

/* Smallest block size of class c. */
static uint32_t class_lo(uint32_t c)
{
    uint32_t linear = 2u << MK__SL_BITS; /* classes below are G apart */
    if (c < linear)
        return c << MK__G_SHIFT;
    uint32_t k = (c >> MK__SL_BITS) - 1u;
    return ((c & ((1u << MK__SL_BITS) - 1u)) | (1u << MK__SL_BITS)) << (k + MK__G_SHIFT);
}
static uint32_t class_span(uint32_t c) { return class_lo(c + 1u) - class_lo(c); }
static uint32_t word_of(uint32_t c) { return c >> 5; }
static uint32_t min_class(void) { return mk__class_of(MK__MIN_BLOCK); }

/* ---- building a region block by block ---- */

typedef struct region_build {
    mk__heap_region *r;
    uint32_t cursor; /* offset of the free rest of the region */
    uint32_t caps;   /* the region's own capability bit */
} region_build;

static region_build rb[MK_HEAP_MAX_REGIONS];
static unsigned nrb;

static char *base_of(const region_build *b) { return (char *)(void *)b->r; }

/* An empty heap of `vain` regions of SPARE bytes (added first, so tried first), then the
 * region under test of `size` bytes, the last of rb[]. */
static region_build *begin(uint32_t size, unsigned vain)
{
    mk_heap_init(&heap);
    nrb = 0;
    for (unsigned i = 0; i <= vain; i++) {
        unsigned char *at = i < vain ? mem + LARGE_HEAP + i * SPARE : mem;
        uint32_t bytes = i < vain ? (uint32_t)SPARE : size;
        REQUIRE(mk_heap_add_region(&heap, at, bytes, CAP_ALL | CAP_OWN(i)) == MK_OK);
        rb[nrb] = (region_build){ heap.regions[i], heap.regions[i]->first, CAP_OWN(i) };
        nrb++;
    }
    return &rb[vain];
}

/* Whether blocks of these sizes, then a rest of at least a minimal block, fit in the
 * unbuilt part of b's region. */
static bool fits(const region_build *b, const uint32_t *sizes, unsigned n)
{
    uint64_t total = MK__MIN_BLOCK;
    for (unsigned i = 0; i < n; i++)
        total += sizes[i];
    return total <= b->r->end - b->cursor;
}

/* Allocates the blocks of these sizes in address order, then blocks over the rest of
 * the region until nothing is free; out[i] is block i's payload. */
static void carve(region_build *b, const uint32_t *sizes, unsigned n, void **out)
{
    REQUIRE(fits(b, sizes, n));
    for (unsigned i = 0; b->cursor < b->r->end; i++) {
        /* The rest goes in pieces of its class's smallest size: without the own-class
         * scan (MK_HEAP_SCAN_LIMIT 0) a request inside a class is served from above it. */
        uint32_t rest = b->r->end - b->cursor;
        uint32_t size = i < n ? sizes[i] : class_lo(mk__class_of(rest));
        /* A minimal block grown in place: a big request would come from the high end. */
        void *p = mk_heap_alloc_caps(&heap, MK__MIN_BLOCK - MK__HDR, 0, b->caps);
        REQUIRE(p == base_of(b) + b->cursor + MK__HDR);
        REQUIRE(mk_heap_resize(&heap, p, size - MK__HDR));
        uint32_t got = mk__size_word(b->r, b->cursor) & ~MK__FLAGS;
        REQUIRE(got == size || (i >= n && got == rest)); /* a rest too small to split */
        if (i < n)
            out[i] = p;
        b->cursor += got;
    }
    REQUIRE(b->r->top == 0);
}

/* Where a request of `need` bytes served by the free block whose payload is `payload`
 * (of `have` bytes) lands: its high end when the request is big (docs/internals.md,
 * "Placement"). */
static void *placed(const region_build *b, void *payload, uint32_t have, uint32_t need)
{
#if MK_HEAP_HIGH_SHIFT > 0
    if (need >= b->r->end >> MK_HEAP_HIGH_SHIFT && have - need >= MK__MIN_BLOCK)
        return (char *)payload + (have - need);
#else
    (void)b;
    (void)have;
    (void)need;
#endif
    return payload;
}

/* Offset of the block whose payload is p. */
static uint32_t off_of(const region_build *b, const void *p)
{
    return (uint32_t)((const char *)p - base_of(b)) - MK__HDR;
}

/* Blocks in the list of class c. */
static unsigned list_len(const mk__heap_region *r, uint32_t c)
{
    unsigned n = 0;
    for (uint32_t b = c < r->nclasses ? r->heads[c] : 0; b; b = *mk__next_link(r, b))
        n++;
    return n;
}
static bool class_set(const mk__heap_region *r, uint32_t c)
{
    return (r->map[c >> 5] >> (c & 31u)) & 1u;
}
/* First class >= c with a free block, found bit by bit (not the heap's own search). */
static uint32_t next_set(const mk__heap_region *r, uint32_t c)
{
    while (c < r->nclasses && !class_set(r, c))
        c++;
    return c;
}
static bool only_block_of_class(const region_build *b, uint32_t off)
{
    uint32_t c = mk__class_of(mk__size_word(b->r, off) & ~MK__FLAGS);
    return b->r->heads[c] == off && *mk__next_link(b->r, off) == 0;
}

/* ---- the counted calls ---- */

/* Out of line, so that nothing of the caller's is scheduled between the readings. */
__attribute__((noinline)) static uint32_t timed_alloc(size_t n, void **out)
{
    uint32_t t0 = counter();
    void *p = mk_heap_alloc(&heap, n);
    uint32_t t1 = counter();
    *out = p;
    return counted(t0, t1) - overhead;
}
__attribute__((noinline)) static uint32_t timed_aligned(size_t n, size_t align, void **out)
{
    uint32_t t0 = counter();
    void *p = mk_heap_alloc_aligned(&heap, n, align);
    uint32_t t1 = counter();
    *out = p;
    return counted(t0, t1) - overhead;
}
__attribute__((noinline)) static uint32_t timed_caps(size_t n, uint32_t caps, void **out)
{
    uint32_t t0 = counter();
    void *p = mk_heap_alloc_caps(&heap, n, 0, caps);
    uint32_t t1 = counter();
    *out = p;
    return counted(t0, t1) - overhead;
}
__attribute__((noinline)) static uint32_t timed_free(void *p)
{
    uint32_t t0 = counter();
    mk_heap_free(&heap, p);
    uint32_t t1 = counter();
    return counted(t0, t1) - overhead;
}

/* ---- results ---- */

typedef struct path {
    const char *name;
    uint32_t max[NSIZES], cases[NSIZES];
    uint32_t at[NSIZES][3]; /* the parameters of the first case that took the maximum */
} path;

enum {
    P_SCAN_HIT, P_NEAR, P_TOP, P_FAIL, P_ALIGNED, P_CAPS2, P_CAPSN,
    P_FREE_ALONE, P_FREE_NEXT, P_FREE_PREV, P_FREE_BOTH, P_FREE_BOTH2, P_FREE_BOTHN, NPATHS
};
static path paths[NPATHS] = {
    { "alloc_scan_hit (class)", { 0 }, { 0 }, { { 0 } } },
    { "alloc_near (class, found)", { 0 }, { 0 }, { { 0 } } },
    { "alloc_top (class, found)", { 0 }, { 0 }, { { 0 } } },
    { "alloc_fail (class)", { 0 }, { 0 }, { { 0 } } },
    { "aligned_top (align, gap, found)", { 0 }, { 0 }, { { 0 } } },
    { "caps_top_2 (class, found)", { 0 }, { 0 }, { { 0 } } },
    { "caps_top_max (class, found)", { 0 }, { 0 }, { { 0 } } },
    { "free_alone (class)", { 0 }, { 0 }, { { 0 } } },
    { "free_next (class, next)", { 0 }, { 0 }, { { 0 } } },
    { "free_prev_same (prev, bytes)", { 0 }, { 0 }, { { 0 } } },
    { "free_both (class, prev, next)", { 0 }, { 0 }, { { 0 } } },
    { "free_both_2 (class, prev, next)", { 0 }, { 0 }, { { 0 } } },
    { "free_both_max (class, prev, next)", { 0 }, { 0 }, { { 0 } } },
};
static unsigned size_ix; /* which of heap_sizes is being swept */

static void note(unsigned p, uint32_t count, uint32_t a, uint32_t b, uint32_t c)
{
    path *q = &paths[p];
    if (q->cases[size_ix] == 0 || count > q->max[size_ix]) {
        q->max[size_ix] = count;
        q->at[size_ix][0] = a;
        q->at[size_ix][1] = b;
        q->at[size_ix][2] = c;
    }
    q->cases[size_ix]++;
}

/* The classes a sweep with several dimensions takes: the first and the last of each
 * power of two (with the default 8 classes to a power of two, bits 0, 7, 8, 15, ... of
 * the bitmap words) and the smallest, below `limit`. */
static unsigned sparse_classes(uint32_t limit, uint32_t *out)
{
    unsigned n = 0;
    uint32_t sl = (1u << MK__SL_BITS) - 1u;
    for (uint32_t c = min_class(); c < limit; c++)
        if (c == min_class() || (c & sl) == 0 || (c & sl) == sl || c == limit - 1u)
            out[n++] = c;
    return n;
}

/* ---- allocation paths ---- */

#define SEP MK__MIN_BLOCK

/* A request inside class c (a class wider than G) that SCAN too-small blocks of class c
 * make the scan miss; then the only free block above is of class t (UINT32_MAX: none),
 * which serves it. Carves [SEP small]*SCAN [SEP] [pad] [T] [SEP] rest into b; the pad
 * (0: none) moves T. Sets *t_payload (if t is given) and returns false when it does not
 * fit. */
static bool miss_then(region_build *b, uint32_t c, uint32_t t, uint32_t pad, void **t_payload)
{
    uint32_t sizes[MAX_PIECES];
    unsigned n = 0;
    for (unsigned i = SCAN; i-- > 0;) { /* (counted down: SCAN may be 0) */
        sizes[n++] = SEP;
        sizes[n++] = class_lo(c);
    }
    sizes[n++] = SEP;
    if (pad)
        sizes[n++] = pad;
    unsigned tix = n;
    if (t != UINT32_MAX) {
        sizes[n++] = class_lo(t);
        sizes[n++] = SEP;
    }
    if (!fits(b, sizes, n))
        return false;
    void *p[MAX_PIECES];
    carve(b, sizes, n, p);
    for (unsigned i = SCAN; i-- > 0;)
        mk_heap_free(&heap, p[2 * i + 1]);
    /* The state the path needs: c holds SCAN blocks, all too small for lo(c) + G. */
    REQUIRE(list_len(b->r, c) == SCAN);
    if (t != UINT32_MAX) {
        mk_heap_free(&heap, p[tix]);
        *t_payload = p[tix];
        REQUIRE(next_set(b->r, c + 1u) == t && only_block_of_class(b, off_of(b, p[tix])));
    } else {
        REQUIRE(next_set(b->r, c + 1u) >= b->r->nclasses);
    }
    return true;
}

/* Classes a request can sit inside of (wider than G), so that the scan runs. */
static bool scannable(uint32_t c) { return class_span(c) > MK__G; }

static void alloc_paths(uint32_t size)
{
    region_build *b = begin(size, 0);
    uint32_t ncl = b->r->nclasses;
    for (uint32_t c = min_class(); c < ncl; c++) {
        if (!scannable(c))
            continue;
        uint32_t need = class_lo(c) + MK__G;
        /* alloc_fail: nothing above c. */
        b = begin(size, 0);
        if (miss_then(b, c, UINT32_MAX, 0, NULL)) {
            void *got;
            uint32_t n = timed_alloc(need - MK__HDR, &got);
            REQUIRE(got == NULL);
            REQUIRE(list_len(b->r, c) == SCAN);
            note(P_FAIL, n, c, 0, 0);
            REQUIRE(mk_heap_check(&heap) == MK_OK);
        }
        /* alloc_near and alloc_top: every class t above c that can hold a block. */
        for (uint32_t t = c + 1u; t < ncl; t++) {
            b = begin(size, 0);
            void *want;
            if (!miss_then(b, c, t, 0, &want))
                break;
            /* Above c's word, t is the only class of its word, which the call empties. */
            bool top = word_of(t) != word_of(c + 1u);
            REQUIRE(!top || b->r->map[word_of(t)] == 1u << (t & 31u));
            void *got;
            uint32_t n = timed_alloc(need - MK__HDR, &got);
            REQUIRE(got == placed(b, want, class_lo(t), need));
            note(top ? P_TOP : P_NEAR, n, c, t, 0);
            REQUIRE(mk_heap_check(&heap) == MK_OK);
        }
    }
#if MK_HEAP_SCAN_LIMIT > 0
    /* alloc_scan_hit: SCAN fitting blocks of c in decreasing size, one more behind them;
     * the last visited is the best and leaves a remainder of at least a block. */
    for (uint32_t c = min_class(); c < ncl; c++) {
        uint32_t lo = class_lo(c), span = class_span(c), need = lo + MK__G;
        if (span <= MK__G * (SCAN + 1u) + MK__MIN_BLOCK)
            continue;
        uint32_t sizes[MAX_PIECES];
        unsigned n = 0;
        for (unsigned i = 0; i <= SCAN; i++) {
            sizes[n++] = SEP;
            /* Listed last-freed first: the block freed first is the one behind. */
            sizes[n++] = i == 0 ? lo : lo + span - MK__G * (SCAN + 1u - i);
        }
        sizes[n++] = SEP;
        b = begin(size, 0);
        if (!fits(b, sizes, n))
            break;
        void *p[MAX_PIECES];
        carve(b, sizes, n, p);
        for (unsigned i = 0; i <= SCAN; i++)
            mk_heap_free(&heap, p[2 * i + 1]);
        REQUIRE(list_len(b->r, c) == SCAN + 1u);
        void *got;
        uint32_t count = timed_alloc(need - MK__HDR, &got);
        /* the smallest that fits, SCAN-th in the list */
        REQUIRE(got == placed(b, p[3], sizes[3], need));
        note(P_SCAN_HIT, count, c, 0, 0);
        REQUIRE(mk_heap_check(&heap) == MK_OK);
    }
#endif
}

static void aligned_paths(uint32_t size)
{
    uint32_t cls[MAX_SPARSE];
    region_build *b = begin(size, 0);
    uint32_t ncl = b->r->nclasses;
    for (uint32_t align = 2u * MK__G; align <= 4096u; align *= 2u) {
        /* gap: none, smaller than a block (the heap adds align; none when G is a block),
         * a block. */
        uint32_t gaps[3] = { 0, MK__G, MK__MIN_BLOCK };
        for (int g = 0; g < 3; g++) {
            if (gaps[g] >= align || (g == 1 && MK__G >= MK__MIN_BLOCK))
                continue;
            for (uint32_t c = min_class(); c < ncl; c++) {
                if (!scannable(c))
                    continue;
                uint32_t search = class_lo(c) + MK__G; /* what the heap looks for */
                if (search < align + MK__MIN_BLOCK - MK__G + MK__MIN_BLOCK)
                    continue;
                uint32_t need = search - (align + MK__MIN_BLOCK - MK__G);
                unsigned nt = sparse_classes(ncl, cls);
                for (unsigned ti = 0; ti < nt; ti++) {
                    uint32_t t = cls[ti];
                    if (word_of(t) <= word_of(c + 1u))
                        continue;
                    /* Where T's payload falls with the smallest pad; then the pad that
                     * leaves the wanted gap before the first aligned payload in T. */
                    b = begin(size, 0);
                    uint32_t t_off = b->cursor + SCAN * (SEP + class_lo(c)) + SEP + SEP;
                    uintptr_t pay = (uintptr_t)base_of(b) + t_off + MK__HDR;
                    uint32_t delta = (uint32_t)((align - gaps[g] - (pay & (align - 1u))) & (align - 1u));
                    void *want;
                    if (!miss_then(b, c, t, SEP + delta, &want))
                        continue;
                    void *got;
                    uint32_t n = timed_aligned(need - MK__HDR, align, &got);
                    uint32_t gap = (uint32_t)((const char *)got - (const char *)want);
                    REQUIRE(got && ((uintptr_t)got & (align - 1u)) == 0);
                    REQUIRE(gap == (gaps[g] && gaps[g] < MK__MIN_BLOCK ? gaps[g] + align : gaps[g]));
                    note(P_ALIGNED, n, align, gaps[g], t);
                    REQUIRE(mk_heap_check(&heap) == MK_OK);
                }
            }
        }
    }
}

/* caps_top_R: R-1 regions searched in vain, then the alloc_top state in the last. */
static void caps_paths(uint32_t size, unsigned regions, unsigned p)
{
    uint32_t cls[MAX_SPARSE];
    region_build *b = begin(size, regions - 1u);
    uint32_t ncl = b->r->nclasses;
    uint32_t spare_ncl = rb[0].r->nclasses;
    for (uint32_t c = min_class(); c < spare_ncl; c++) {
        if (!scannable(c))
            continue;
        uint32_t need = class_lo(c) + MK__G;
        unsigned nt = sparse_classes(ncl, cls);
        for (unsigned ti = 0; ti < nt; ti++) {
            uint32_t t = cls[ti];
            if (word_of(t) <= word_of(c + 1u))
                continue;
            b = begin(size, regions - 1u);
            bool ok = true;
            for (unsigned i = 0; i + 1u < regions && ok; i++)
                ok = miss_then(&rb[i], c, UINT32_MAX, 0, NULL);
            void *want;
            if (!ok || !miss_then(b, c, t, 0, &want))
                continue;
            void *got;
            uint32_t n = timed_caps(need - MK__HDR, CAP_ALL, &got);
            REQUIRE(got == placed(b, want, class_lo(t), need));
            note(p, n, c, t, 0);
            REQUIRE(mk_heap_check(&heap) == MK_OK);
        }
    }
}

/* ---- free paths ---- */

/* Carves [SEP] [P]? [X] [N]? [SEP] rest in the last region of a heap of `vain` + 1
 * regions, frees P and N (0: absent) and then, counted, X. Returns the count, or
 * UINT32_MAX when it does not fit. */
static uint32_t free_case(uint32_t size, unsigned vain, uint32_t psize, uint32_t xsize,
                          uint32_t nsize)
{
    region_build *b = begin(size, vain);
    uint32_t sizes[5];
    unsigned n = 0, xi, ni = 0;
    sizes[n++] = SEP;
    if (psize)
        sizes[n++] = psize;
    xi = n;
    sizes[n++] = xsize;
    if (nsize) {
        ni = n;
        sizes[n++] = nsize;
    }
    sizes[n++] = SEP;
    if (!fits(b, sizes, n))
        return UINT32_MAX;
    void *p[5];
    carve(b, sizes, n, p);
    if (psize) {
        mk_heap_free(&heap, p[1]);
        REQUIRE(only_block_of_class(b, off_of(b, p[1])));
    }
    if (nsize) {
        mk_heap_free(&heap, p[ni]);
        REQUIRE(only_block_of_class(b, off_of(b, p[ni])));
    }
    uint32_t count = timed_free(p[xi]);
    /* One free block now, where P or X began, of all three sizes. */
    uint32_t at = off_of(b, p[psize ? 1 : xi]);
    uint32_t merged = psize + xsize + nsize;
    REQUIRE(mk__size_word(b->r, at) == (merged | MK__PREV_USED) && only_block_of_class(b, at));
    REQUIRE(mk_heap_check(&heap) == MK_OK);
    return count;
}

static void free_paths(uint32_t size)
{
    uint32_t cls[MAX_SPARSE];
    uint32_t ncl = begin(size, 0)->r->nclasses;
    unsigned ns = sparse_classes(ncl, cls);
    for (uint32_t x = min_class(); x < ncl; x++) {
        uint32_t n = free_case(size, 0, 0, class_lo(x), 0);
        if (n == UINT32_MAX)
            break;
        note(P_FREE_ALONE, n, x, 0, 0);
        for (uint32_t nx = min_class(); nx < ncl; nx++) {
            n = free_case(size, 0, 0, class_lo(x), class_lo(nx));
            if (n == UINT32_MAX)
                break;
            note(P_FREE_NEXT, n, x, nx, 0);
        }
        for (unsigned pi = 0; pi < ns; pi++)
            for (unsigned ni = 0; ni < ns; ni++) {
                uint32_t ps = class_lo(cls[pi]), nsz = class_lo(cls[ni]);
                /* Each alone in its class, and the merged block changes class. */
                if (pi == ni || mk__class_of(ps + class_lo(x) + nsz) == cls[pi])
                    continue;
                n = free_case(size, 0, ps, class_lo(x), nsz);
                if (n != UINT32_MAX)
                    note(P_FREE_BOTH, n, x, cls[pi], cls[ni]);
            }
    }
    /* The predecessor keeps its class: X at most what is left of P's class. */
    for (uint32_t pc = min_class(); pc < ncl; pc++) {
        uint32_t room = class_span(pc) - MK__G;
        uint32_t xs[2] = { MK__MIN_BLOCK, room & ~(MK__G - 1u) };
        for (int i = 0; i < 2; i++) {
            if (xs[i] < MK__MIN_BLOCK || xs[i] > room)
                continue;
            uint32_t n = free_case(size, 0, class_lo(pc), xs[i], 0);
            if (n != UINT32_MAX)
                note(P_FREE_PREV, n, pc, xs[i], 0);
        }
    }
}

static void free_region_paths(uint32_t size, unsigned regions, unsigned p)
{
    uint32_t cls[MAX_SPARSE];
    uint32_t ncl = begin(size, regions - 1u)->r->nclasses;
    unsigned ns = sparse_classes(ncl, cls);
    for (unsigned xi = 0; xi < ns; xi++)
        for (unsigned pi = 0; pi < ns; pi++)
            for (unsigned ni = 0; ni < ns; ni++) {
                uint32_t ps = class_lo(cls[pi]), xs = class_lo(cls[xi]), nsz = class_lo(cls[ni]);
                if (pi == ni || mk__class_of(ps + xs + nsz) == cls[pi])
                    continue;
                uint32_t n = free_case(size, regions - 1u, ps, xs, nsz);
                if (n != UINT32_MAX)
                    note(p, n, cls[xi], cls[pi], cls[ni]);
            }
}

/* ---- the counter must be exact ---- */

/* Counts stretches of straight-line code whose length is known: a run without QEMU's
 * -icount (or with the wrong shift on Cortex-M) gives other numbers. */
static void check_counter(void)
{
    uint32_t t0 = counter();
    __asm__ volatile(".rept 10\n nop\n .endr" : : : "memory");
    uint32_t t1 = counter();
    __asm__ volatile(".rept 37\n nop\n .endr" : : : "memory");
    uint32_t t2 = counter();
    /* Nothing computed from the readings may slip in between them. */
    __asm__ volatile("" : "+r"(t0), "+r"(t1), "+r"(t2));
    uint32_t ten = counted(t0, t1) - overhead, thirty_seven = counted(t1, t2) - overhead;
    if (ten != 10 || thirty_seven != 37)
        printf("counter not exact: 10 nops counted %u, 37 counted %u (QEMU -icount?)\n",
               (unsigned)ten, (unsigned)thirty_seven);
    REQUIRE(ten == 10 && thirty_seven == 37);
}

int main(void)
{
    counter_start();
    overhead = counter_overhead();
    check_counter();
    for (size_ix = 0; size_ix < NSIZES; size_ix++) {
        uint32_t size = heap_sizes[size_ix];
        alloc_paths(size);
        aligned_paths(size);
        free_paths(size);
        if (MK_HEAP_MAX_REGIONS >= 2) {
            caps_paths(size, 2, P_CAPS2);
            caps_paths(size, MK_HEAP_MAX_REGIONS, P_CAPSN);
            free_region_paths(size, 2, P_FREE_BOTH2);
            free_region_paths(size, MK_HEAP_MAX_REGIONS, P_FREE_BOTHN);
        }
    }
    printf("directed worst cases; counter overhead %u subtracted; MK_STATS=%d, "
           "MK_HEAP_SCAN_LIMIT=%d, MK_HEAP_MAX_REGIONS=%d\n",
           (unsigned)overhead, MK_STATS, MK_HEAP_SCAN_LIMIT, MK_HEAP_MAX_REGIONS);
    printf("| path (worst case at) | 16 KiB | 1 MiB | %u MiB | cases |\n|---|---:|---:|---:|---:|\n",
           (unsigned)(LARGE_HEAP >> 20));
    bool grows = false;
    for (unsigned p = 0; p < NPATHS; p++) {
        const path *q = &paths[p];
        if (q->cases[0] == 0 && (p == P_CAPS2 || p == P_CAPSN || p == P_FREE_BOTH2 ||
                                 p == P_FREE_BOTHN || p == P_SCAN_HIT))
            continue; /* not in this configuration */
        printf("| %s |", q->name);
        for (unsigned s = 0; s < NSIZES; s++) {
            REQUIRE(q->cases[s] > 0);
            printf(" %u (%u,%u,%u) |", (unsigned)q->max[s], (unsigned)q->at[s][0],
                   (unsigned)q->at[s][1], (unsigned)q->at[s][2]);
            if (s == NSIZES - 1u && q->max[s] > q->max[1])
                grows = true;
        }
        printf(" %u / %u / %u |\n", (unsigned)q->cases[0], (unsigned)q->cases[1],
               (unsigned)q->cases[2]);
    }
    if (grows)
        printf("a maximum grows with the heap\n");
    CHECK(!grows);
    TEST_MAIN_END();
}
