/*
 * mk_heap: statistics, integrity check and block walk. None of these is on an
 * allocation path; they may walk memory. Every read is bounds-checked first, so a heap
 * whose bytes were scribbled over yields MK_ECORRUPT, never a stray access.
 */
#include "internal/heap_guard.h"
#include "internal/heap_layout.h"
#include "internal/mem.h"

const char *mk_heap_fault_name(mk_heap_fault fault)
{
    switch (fault) {
    case MK_FAULT_DOUBLE_FREE: return "double free";
    case MK_FAULT_FOREIGN_POINTER: return "pointer not in any region of this heap";
    case MK_FAULT_BAD_POINTER: return "pointer is not the start of a block (interior pointer?)";
    case MK_FAULT_OVERRUN: return "next block header overwritten (buffer overflow?)";
    case MK_FAULT_HEADER: return "block header damaged";
    case MK_FAULT_FREE_LIST: return "free list damaged";
    case MK_FAULT_BITMAP: return "bin bitmap disagrees with free lists";
    case MK_FAULT_STATS: return "statistics disagree with blocks";
    case MK_FAULT_USE_AFTER_FREE: return "freed memory was written (use after free?)";
    }
    return "unknown fault";
}

/* What an address-order walk of one region found. */
typedef struct census {
    size_t used_bytes, used_blocks, free_bytes, free_blocks, largest_free;
    uint32_t bad_at; /* offset of the first damaged block, when the walk failed */
} census;

/* Size of the block at b if its header is sane, else 0. */
static uint32_t sane_size(const mk__heap_region *r, uint32_t b)
{
    if (!mk__canary_ok(r, b))
        return 0;
    uint32_t word = mk__size_word(r, b);
    uint32_t size = word & ~MK__FLAGS;
    if ((word & ~(MK__USED | MK__PREV_USED) & MK__FLAGS) || size < MK__MIN_BLOCK ||
        (size & (MK__G - 1u)) || size > r->end - b)
        return 0;
    return size;
}

#if MK__HEAP_GUARDS
/* The fault a sound block's bytes show: a used block's tail guard broken (overrun), a
 * free block's poison broken (use after free); or 0. */
static int damaged_pattern(const mk__heap_region *r, uint32_t b, uint32_t size, bool used)
{
    if (used)
        return mk__guard_request(r, b, size) == UINT32_MAX ? MK_FAULT_OVERRUN : 0;
    uint32_t from = b + MK__HDR + MK__LINKS, to = b + size - 4u;
    return mk__poison_broken(r, from, to) != to ? MK_FAULT_USE_AFTER_FREE : 0;
}
#endif

/* Walks the blocks of r checking I1-I4; calls fn (if any) per block. Returns a fault
 * kind, or 0 when the region is sound (or fn stopped the walk). */
static int walk_region(const mk__heap_region *r, unsigned index, census *c,
                       mk_heap_walk_fn fn, void *ctx)
{
    uint32_t expect_prev = MK__PREV_USED;
    uint32_t b = r->first;
    mk__zero(c, sizeof *c);
    if (!mk__region_sound(r))
        return MK_FAULT_HEADER;
    while (b < r->end) {
        uint32_t size = sane_size(r, b);
        uint32_t word = mk__size_word(r, b);
        c->bad_at = b;
        if (!size || (word & MK__PREV_USED) != expect_prev)
            return MK_FAULT_HEADER;
        bool used = word & MK__USED;
        if (!used && (!expect_prev || *mk__word(r, b + size - 4u) != size))
            return MK_FAULT_HEADER;
#if MK__HEAP_GUARDS
        /* Byte patterns cost O(bytes): only mk_heap_check (no fn) looks at them. */
        int pattern = fn ? 0 : damaged_pattern(r, b, size, used);
        if (pattern)
            return pattern;
#endif
        if (used) {
            c->used_bytes += size;
            c->used_blocks++;
        } else {
            c->free_bytes += size;
            c->free_blocks++;
            if (size > c->largest_free)
                c->largest_free = size;
        }
        if (fn) {
            mk_heap_block_info info = {
                .ptr = mk__region_base(r) + b + MK__HDR,
                .size = size - MK__HDR,
                .block_size = size,
                .used = used,
                .region = index,
                .caps = r->caps,
            };
            if (!fn(ctx, &info))
                return 0;
        }
        expect_prev = used ? MK__PREV_USED : 0;
        b += size;
    }
    c->bad_at = r->end;
    if (b != r->end || !mk__canary_ok(r, b) ||
        mk__size_word(r, b) != (MK__USED | expect_prev))
        return MK_FAULT_HEADER;
    return 0;
}

/* Checks I5: every list holds well-formed free blocks of its class, doubly linked,
 * `free_blocks` of them in all, and the bitmaps mirror the heads. */
static int check_bins(const mk__heap_region *r, size_t free_blocks)
{
    size_t seen = 0;
    for (uint32_t cl = 0; cl < MK__MAP_WORDS * 32u; cl++) {
        bool bit = (r->map[cl >> 5] >> (cl & 31u)) & 1u;
        uint32_t head = cl < r->nclasses ? r->heads[cl] : 0;
        if (bit != (head != 0))
            return MK_FAULT_BITMAP;
        uint32_t prev = mk__head_link(cl);
        for (uint32_t b = head; b; b = *mk__next_link(r, b)) {
            if (++seen > free_blocks || b < r->first || b >= r->end ||
                ((b - r->first) & (MK__G - 1u)))
                return MK_FAULT_FREE_LIST;
            uint32_t size = sane_size(r, b);
            if (!size || (mk__size_word(r, b) & MK__USED) || mk__class_of(size) != cl ||
                *mk__word(r, b + size - 4u) != size || *mk__prev_link(r, b) != prev)
                return MK_FAULT_FREE_LIST;
            prev = b;
        }
    }
    for (uint32_t w = 0; w < MK__MAP_WORDS; w++)
        if (((r->top >> w) & 1u) != (r->map[w] != 0))
            return MK_FAULT_BITMAP;
    return seen == free_blocks ? 0 : MK_FAULT_FREE_LIST;
}

mk_err mk_heap_check(const mk_heap *h)
{
    int fault = 0;
    const void *where = NULL;
    mk__lock(h);
#if MK_STATS
    size_t used_total = 0;
#endif
    for (unsigned i = 0; i < h->nregions && !fault; i++) {
        const mk__heap_region *r = h->regions[i];
        census c;
        where = mk__region_base(r);
        fault = walk_region(r, i, &c, NULL, NULL);
        if (fault) {
            where = mk__region_base(r) + c.bad_at + MK__HDR;
            break;
        }
        fault = check_bins(r, c.free_blocks);
#if MK_STATS
        if (!fault && (r->used_bytes != c.used_bytes || r->free_blocks != c.free_blocks ||
                       r->alloc_count - r->free_count != c.used_blocks ||
                       r->peak_used_bytes < r->used_bytes))
            fault = MK_FAULT_STATS;
        used_total += c.used_bytes;
#endif
    }
#if MK_STATS
    if (!fault && (used_total != h->used_bytes || h->peak_used_bytes < h->used_bytes)) {
        fault = MK_FAULT_STATS;
        where = h;
    }
#endif
    mk__unlock(h);
    if (!fault)
        return MK_OK;
    mk__report(h, (mk_heap_fault)fault, where);
    return MK_ECORRUPT;
}

void mk_heap_walk(const mk_heap *h, mk_heap_walk_fn fn, void *ctx)
{
    int fault = 0;
    const void *where = NULL;
    bool stopped = false;
    mk__lock(h);
    for (unsigned i = 0; i < h->nregions && !fault && !stopped; i++) {
        const mk__heap_region *r = h->regions[i];
        census c;
        fault = walk_region(r, i, &c, fn, ctx);
        where = mk__region_base(r) + c.bad_at + MK__HDR;
        stopped = !fault && c.bad_at != r->end;
    }
    mk__unlock(h);
    if (fault)
        mk__report(h, (mk_heap_fault)fault, where);
}

#if MK_STATS
/* Largest free block of r: the biggest in the highest non-empty class. Bounded and
 * range-checked, so a damaged list cannot take it outside the region. */
static uint32_t largest_free(const mk__heap_region *r)
{
    if (!r->top)
        return 0;
    uint32_t w = mk__msb32(r->top);
    if (w >= MK__MAP_WORDS)
        return 0;
    uint32_t c = (w << 5) + mk__msb32(r->map[w] | 1u);
    uint32_t best = 0;
    size_t budget = r->free_blocks;
    for (uint32_t b = c < r->nclasses ? r->heads[c] : 0;
         b >= r->first && b < r->end && !((b - r->first) & (MK__G - 1u)) && budget; b = *mk__next_link(r, b), budget--) {
        uint32_t size = sane_size(r, b);
        if (size > best)
            best = size;
    }
    return best;
}
#endif

/* Per mille of free bytes not in the largest free block, without 64-bit division (a
 * library call on 32-bit targets). */
static unsigned fragmentation(size_t largest, size_t free_bytes)
{
    while (free_bytes > SIZE_MAX / 1000u) {
        free_bytes >>= 1;
        largest >>= 1;
    }
    return free_bytes ? (unsigned)(1000u - largest * 1000u / free_bytes) : 0u;
}

void mk_heap_get_stats(const mk_heap *h, uint32_t caps, mk_heap_stats *out)
{
    /* Not "= {0}": a struct initialiser may become a memset call, which a freestanding
     * firmware build need not have. */
    mk__zero(out, sizeof *out);
    size_t largest = 0;
    mk__lock(h);
    for (unsigned i = 0; i < h->nregions; i++) {
        const mk__heap_region *r = h->regions[i];
        if ((r->caps & caps) != caps || !mk__region_sound(r))
            continue;
        uint32_t area = r->end - r->first;
        out->regions++;
        out->total_bytes += r->size;
        out->overhead_bytes += r->size - area;
#if MK_STATS
        uint32_t big = largest_free(r);
        out->used_bytes += r->used_bytes;
        out->free_bytes += area - r->used_bytes;
        out->peak_used_bytes += r->peak_used_bytes;
        out->free_blocks += r->free_blocks;
        out->used_blocks += r->alloc_count - r->free_count;
        out->alloc_count += r->alloc_count;
        out->free_count += r->free_count;
#else
        census c;
        walk_region(r, i, &c, NULL, NULL);
        uint32_t big = (uint32_t)c.largest_free;
        out->used_bytes += c.used_bytes;
        out->free_bytes += c.free_bytes;
        out->free_blocks += c.free_blocks;
        out->used_blocks += c.used_blocks;
#endif
        if (big > largest)
            largest = big;
    }
#if MK_STATS
    if (caps == 0) {
        out->peak_used_bytes = h->peak_used_bytes;
        out->alloc_count += h->removed_count;
        out->free_count += h->removed_count;
    }
    out->failed_count = h->failed_count;
#endif
    mk__unlock(h);
    out->largest_free_block = largest ? largest - MK__HDR : 0;
    out->fragmentation = fragmentation(largest, out->free_bytes);
}
