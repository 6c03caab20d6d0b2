/*
 * mk_heap: the O(1) operations. Layout and invariants: src/internal/heap_layout.h.
 *
 * Allocation is near-best fit over segregated free lists: a request first takes the
 * best of up to MK_HEAP_SCAN_LIMIT blocks of its own size class, and otherwise the first
 * block of the next non-empty class above, found with two bitmap scans (TLSF's good fit,
 * with one flat bitmap of 32-bit words instead of two fixed levels), every block of which
 * fits. The bounded scan recovers the fit TLSF gives up: on the efficiency benchmark it
 * matches exact best fit (docs/performance.md).
 */
#include "internal/heap_guard.h"
#include "internal/heap_layout.h"
#include "internal/mem.h"

/* Largest request: keeps size + header + alignment padding inside 32 bits. */
#define MK__MAX_REQUEST ((size_t)UINT32_MAX - 2u * 4096u - 64u)

/* Speed builds force the fast paths inline so each entry point is specialised; size
 * builds (-Os) let the compiler share them, which is what firmware wants. */
#if (defined(__GNUC__) || defined(__clang__)) && !defined(__OPTIMIZE_SIZE__)
#define MK__HOT static inline __attribute__((always_inline))
#define MK__COLD static __attribute__((noinline, cold))
#elif defined(__GNUC__) || defined(__clang__)
#define MK__HOT static inline
#define MK__COLD static __attribute__((noinline, cold))
#else
#define MK__HOT static inline
#define MK__COLD static
#endif
/* The own-class scan unrolled in speed builds: its loop counter and back branch cost a
 * fifth of each visit. */
#if (defined(__GNUC__) || defined(__clang__)) && !defined(__OPTIMIZE_SIZE__)
#define MK__UNROLL_SCAN _Pragma("GCC unroll 8")
#else
#define MK__UNROLL_SCAN
#endif

MK__HOT void bitmap_set(mk__heap_region *r, uint32_t c)
{
    r->map[c >> 5] |= 1u << (c & 31u);
    r->top |= 1u << (c >> 5);
}

MK__HOT void bitmap_clear(mk__heap_region *r, uint32_t c)
{
    uint32_t w = c >> 5;
    r->map[w] &= ~(1u << (c & 31u));
    if (r->map[w] == 0)
        r->top &= ~(1u << w);
}

/* The bin operations leave r->free_blocks to their callers, which count the net change
 * of a whole operation once (a split that takes one block and bins its rest changes
 * nothing). */
MK__HOT void bin_insert(mk__heap_region *r, uint32_t b, uint32_t size)
{
    uint32_t c = mk__class_of(size);
    uint32_t head = r->heads[c];
    mk__an_meta(mk__next_link(r, b), 8u);
    *mk__next_link(r, b) = head;
    *mk__prev_link(r, b) = mk__head_link(c);
    if (head)
        *mk__prev_link(r, head) = b;
    else
        bitmap_set(r, c);
    r->heads[c] = b;
}

/* Unlinks free block b. Its prev link leads to its list's head slot when b is first
 * (mk__head_link), so neither the unlink nor the emptied class needs b's size. */
MK__HOT void bin_remove(mk__heap_region *r, uint32_t b)
{
    uint32_t next = *mk__next_link(r, b);
    uint32_t prev = *mk__prev_link(r, b);
    *mk__next_link(r, prev) = next;
    if (next)
        *mk__prev_link(r, next) = prev;
    else if (prev < r->first)
        bitmap_clear(r, mk__head_class(prev));
}

/* Writes a free block's header and footer and bins it. */
MK__HOT void make_free(mk__heap_region *r, uint32_t b, uint32_t size)
{
    mk__set_header(r, b, size | MK__PREV_USED);
    mk__set_footer(r, b, size);
    bin_insert(r, b, size);
}

/* Unlinks b, the first block of class c's list: bin_remove without the tests that
 * find out whether b was first and of which class. Size builds share bin_remove. */
MK__HOT void bin_pop(mk__heap_region *r, uint32_t b, uint32_t c)
{
#if defined(__OPTIMIZE_SIZE__)
    (void)c;
    bin_remove(r, b);
#else
    uint32_t next = *mk__next_link(r, b);
    r->heads[c] = next;
    if (next)
        *mk__prev_link(r, next) = mk__head_link(c);
    else
        bitmap_clear(r, c);
#endif
}

/* Unlinks the first block of the first non-empty class >= c into *out, or returns
 * false. c may be nclasses or above, up to MK__MAX_CLASSES: bits of classes the region
 * does not have are never set, and map[] has a word for the last. */
MK__HOT bool pop_from_class(mk__heap_region *r, uint32_t c, uint32_t *out)
{
    uint32_t w = c >> 5;
    uint32_t bits = r->map[w] & (~0u << (c & 31u));
    if (!bits) {
        uint32_t above = r->top & ((~0u << w) << 1);
        if (!above)
            return false;
        w = mk__ctz32(above);
        bits = r->map[w];
    }
    c = (w << 5) + mk__ctz32(bits);
    uint32_t b = r->heads[c];
    bin_pop(r, b, c);
    *out = b;
    return true;
}

/* Finds a free block of at least `need` bytes and unlinks it into *out, or returns
 * false. Best of the first MK_HEAP_SCAN_LIMIT blocks of the request's own class, else
 * the first block of the next non-empty class above it, every one of which fits. */
MK__HOT bool find_block(mk__heap_region *r, uint32_t need, uint32_t *out)
{
#if MK_HEAP_SCAN_LIMIT > 0
    unsigned shift = mk__class_shift(need);
    uint32_t c = mk__class_at(need, shift);
    if (need & ((1u << shift) - 1u)) {
        /* need is inside class c: some of its blocks may be too small. A free header is
         * its size plus PREV_USED (I2), so d is the spare room plus 2 for a block that
         * fits; one too small wraps d past 2^31, above every fit, as sizes within one
         * class differ by less than its span (< 2^31). */
        uint32_t best = 0, best_d = UINT32_MAX >> 1;
        uint32_t b = c < r->nclasses ? r->heads[c] : 0;
        MK__UNROLL_SCAN
        for (unsigned i = 0; i < MK_HEAP_SCAN_LIMIT; i++) {
            if (!b)
                break;
            uint32_t d = mk__size_word(r, b) - need;
            if (d < best_d) {
                best = b;
                best_d = d;
            }
            b = *mk__next_link(r, b);
        }
        if (best) {
            bin_remove(r, best);
            *out = best;
            return true;
        }
        c++;
    }
#else
    /* The first class whose every block fits: the one after the class of need - G. */
    uint32_t c = mk__class_of(need - MK__G) + 1u;
#endif
    return pop_from_class(r, c, out);
}

/* Counts a new used block of `size` bytes in the statistics. */
MK__HOT void count_alloc(mk_heap *h, mk__heap_region *r, uint32_t size)
{
#if MK_STATS
    r->used_bytes += size;
    if (r->used_bytes > r->peak_used_bytes)
        r->peak_used_bytes = r->used_bytes;
    r->alloc_count++;
    h->used_bytes += size;
    if (h->used_bytes > h->peak_used_bytes)
        h->peak_used_bytes = h->used_bytes;
#else
    (void)h;
    (void)r;
    (void)size;
#endif
}

/* Marks part of the unbinned block *b (size `have`, its successor's PREV_USED bit
 * clear) used with `need` bytes, returning the rest to the bins when it can stand alone.
 * The used part is the block's head or, for a big request when `may_go_high`, its tail,
 * and *b moves there (docs/internals.md, "Placement"). `prev_used` is *b's PREV_USED bit. Returns the size
 * the used block ends up with. Counts *b, which the caller took out of the bins, as no
 * longer free unless the rest takes its place. */
MK__HOT uint32_t take_block(mk__heap_region *r, uint32_t *b, uint32_t have, uint32_t need,
                            uint32_t prev_used, bool may_go_high)
{
    uint32_t at = *b, rest = have - need;
    if (rest >= MK__MIN_BLOCK) {
#if MK_HEAP_HIGH_SHIFT > 0
        bool high = may_go_high && need >= r->end >> MK_HEAP_HIGH_SHIFT;
#else
        bool high = false;
        (void)may_go_high;
#endif
        if (high) {
            make_free(r, at, rest); /* the block before a free one is used (I2) */
            at += rest;
            *b = at;
            mk__set_header(r, at, need | MK__USED);
            mk__set_header(r, at + need, mk__size_word(r, at + need) | MK__PREV_USED);
        } else {
            mk__set_header(r, at, need | MK__USED | prev_used);
            make_free(r, at + need, rest);
        }
        return need;
    }
    uint32_t next = at + have;
    mk__set_header(r, at, have | MK__USED | prev_used);
    mk__set_header(r, next, mk__size_word(r, next) | MK__PREV_USED);
#if MK_STATS
    r->free_blocks--;
#endif
    return have;
}

#if MK__HEAP_GUARDS
/* Checks that the part of a free block now handed out as used block b (size `size`) is
 * still poison, noting a write after free for the caller to report once unlocked; then
 * guards the block's tail. `skip_links`: b is where the free block began, so its first
 * bytes held links; `whole`: the free block ended where b ends, so its last word was its
 * footer. */
static void check_reused(mk_heap *h, mk__heap_region *r, uint32_t b, uint32_t size,
                         size_t request, bool skip_links, bool whole)
{
    uint32_t from = b + MK__HDR + (skip_links ? MK__LINKS : 0u);
    uint32_t to = b + size - (whole ? 4u : 0u);
    if (from < to && mk__poison_broken(r, from, to) != to && !h->late_fault) {
        h->late_fault = MK_FAULT_USE_AFTER_FREE;
        h->late_ptr = mk__region_base(r) + b + MK__HDR;
    }
    mk__guard_set(r, b, size, request);
}
#endif

/* Allocates `need` bytes (for a request of `request`) with the payload aligned to
 * `align` (>= G) from region r, or returns NULL. An alignment above G searches for
 * enough room to reach an aligned spot whose front gap is either empty or big enough to
 * stand as a free block. */
MK__HOT void *alloc_in(mk_heap *h, mk__heap_region *r, uint32_t need, uint32_t align,
                       size_t request)
{
    uint32_t b;
    if (!find_block(r, align > MK__G ? need + align + MK__MIN_BLOCK - MK__G : need, &b))
        return NULL;
    uint32_t have = mk__size_word(r, b) & ~MK__FLAGS;
    uint32_t prev_used = MK__PREV_USED;
    if (align > MK__G) {
        uintptr_t payload = (uintptr_t)mk__region_base(r) + b + MK__HDR;
        uint32_t gap = (uint32_t)((align - (payload & (align - 1u))) & (align - 1u));
        if (gap != 0 && gap < MK__MIN_BLOCK)
            gap += align;
        if (gap) {
            make_free(r, b, gap);
#if MK_STATS
            r->free_blocks++;
#endif
            b += gap;
            have -= gap;
            prev_used = 0;
        }
    }
    uint32_t start = b;
    /* Not an aligned request at the high end: its gap is already placed. */
    uint32_t now = take_block(r, &b, have, need, prev_used, align <= MK__G);
    char *payload = mk__region_base(r) + b + MK__HDR;
#if MK__HEAP_GUARDS
    check_reused(h, r, b, now, request, prev_used != 0 && b == start, b + now == start + have);
#else
    (void)start;
#endif
    mk__an_block_alloc(payload, request, now - MK__HDR);
    count_alloc(h, r, now);
    return payload;
}

/* Counts a failed request (the caller holds the lock), releases the lock, then tells
 * the hook. Returns NULL for the caller to return. */
MK__COLD void *fail_and_unlock(mk_heap *h, size_t size, size_t align, uint32_t caps, mk_err why)
{
#if MK_STATS
    h->failed_count++;
#endif
    mk__unlock(h);
    if (h->hooks && h->hooks->alloc_failed)
        h->hooks->alloc_failed(h->hooks->ctx, size, align, caps, why);
    return NULL;
}

/* The whole allocation, specialised by each caller through inlining. The caller holds
 * the lock; it is still held when a block is returned, and released (after counting
 * the failure and calling the hook) when NULL is returned. */
MK__HOT void *alloc_locked(mk_heap *h, size_t size, size_t align, uint32_t caps)
{
    if (!mk__is_pow2(align) || align > ((size_t)1 << 30))
        return fail_and_unlock(h, size, align, caps, MK_EINVAL);
    if (size > MK__MAX_REQUEST - align)
        return fail_and_unlock(h, size, align, caps, MK_ERANGE);
    uint32_t need = mk__block_size_for(size);
    mk_err why = MK_ENOCAPS;
    for (unsigned i = 0; i < h->nregions; i++) {
        mk__heap_region *r = h->regions[i];
        if ((r->caps & caps) != caps)
            continue;
        why = MK_ENOMEM;
        void *p = alloc_in(h, r, need, (uint32_t)align, size);
        if (p)
            return p;
    }
    return fail_and_unlock(h, size, align, caps, why);
}

/* Releases the lock after a successful allocation; checked builds then report a write
 * after free that the allocation found. */
MK__HOT void unlock_after_alloc(mk_heap *h)
{
#if MK__HEAP_GUARDS
    int fault = h->late_fault;
    const void *ptr = h->late_ptr;
    h->late_fault = 0;
    mk__unlock(h);
    if (fault)
        mk__report(h, (mk_heap_fault)fault, ptr);
#else
    mk__unlock(h);
#endif
}

void *mk_heap_alloc(mk_heap *h, size_t size)
{
    mk__lock(h);
    void *p = alloc_locked(h, size, MK__G, 0);
    if (p)
        unlock_after_alloc(h);
    return p;
}

void *mk_heap_alloc_caps(mk_heap *h, size_t size, size_t align, uint32_t caps)
{
    if (align == 0)
        align = MK__G;
    mk__lock(h);
    void *p = alloc_locked(h, size, align, caps);
    if (p)
        unlock_after_alloc(h);
    return p;
}

void *mk_heap_alloc_aligned(mk_heap *h, size_t size, size_t align)
{
    return mk_heap_alloc_caps(h, size, align, 0);
}

/* The fault a pointer gets when the canary before it is wrong. Checked builds tell
 * apart memory that is free (all poison, MK_CHECKED=2: a block freed and merged, so a
 * double free), a header damaged only in the byte next to the payload (a write just
 * before the block: an underrun), and anything else (not a block start). */
MK__COLD int mk__bad_header_fault(const mk__heap_region *r, uint32_t b)
{
#if MK__HEAP_GUARDS
    if (mk__poison_broken(r, b, b + MK__HDR) == b + MK__HDR)
        return MK_FAULT_DOUBLE_FREE;
#endif
#if MK_CHECKED
    /* The size word the canary was made for, and the one there now, byte by byte in
     * memory order: an underrun of one byte changes only the last, at b + HDR - 1. */
    uint32_t meant = *mk__word(r, b) ^ MK__CANARY ^ (b * 0x9e3779b1u);
    uint32_t now = mk__size_word(r, b);
    const unsigned char *m = (const unsigned char *)&meant, *n = (const unsigned char *)&now;
    if (m[0] == n[0] && m[1] == n[1] && m[2] == n[2])
        return MK_FAULT_HEADER;
#else
    (void)r;
    (void)b;
#endif
    return MK_FAULT_BAD_POINTER;
}

/* Checks that `ptr` is the payload of a live block of region r (which contains it):
 * returns 0 and sets *b, or the fault that shows otherwise. Reads only inside r. */
MK__HOT int live_block_in(const mk__heap_region *r, const void *ptr, uint32_t *b)
{
    uint32_t off = (uint32_t)((const char *)ptr - mk__region_base(r));
    /* A G-aligned address at or above first + HDR; region_of guarantees >= first. */
    if (off & (MK__G - 1u))
        return MK_FAULT_BAD_POINTER;
    off -= MK__HDR;
    *b = off;
    if (!mk__canary_ok(r, off))
        return mk__bad_header_fault(r, off);
    uint32_t word = mk__size_word(r, off);
    if (!(word & MK__USED))
        return MK_FAULT_DOUBLE_FREE;
#if MK_CHECKED
    uint32_t size = word & ~MK__FLAGS;
    if (size < MK__MIN_BLOCK || size > r->end - off)
        return MK_FAULT_HEADER;
    if (!mk__canary_ok(r, off + size))
        return MK_FAULT_OVERRUN;
#endif
#if MK__HEAP_GUARDS
    if (mk__guard_request(r, off, size) == UINT32_MAX)
        return MK_FAULT_OVERRUN;
#endif
    return 0;
}

/* Finds the live block whose payload is ptr: returns its region and sets *b, or
 * returns NULL and sets *fault. */
MK__HOT mk__heap_region *live_block(const mk_heap *h, const void *ptr, uint32_t *b, int *fault)
{
    mk__heap_region *r = mk__region_of(h, ptr, NULL);
    if (!r) {
        *fault = MK_FAULT_FOREIGN_POINTER;
        return NULL;
    }
    *fault = live_block_in(r, ptr, b);
    return *fault ? NULL : r;
}

/* Bytes of live block b's payload the caller asked for (checked builds, whose tail
 * guard records it; live_block_in has checked the guard) or may use (the payload). */
MK__HOT size_t request_of(const mk__heap_region *r, uint32_t b)
{
    uint32_t size = mk__size_word(r, b) & ~MK__FLAGS;
#if MK__HEAP_GUARDS
    return mk__guard_request(r, b, size);
#else
    return size - MK__HDR;
#endif
}

/* Releases the lock, then reports `fault` about ptr. */
MK__COLD void report_and_unlock(const mk_heap *h, int fault, const void *ptr)
{
    mk__unlock(h);
    mk__report(h, (mk_heap_fault)fault, ptr);
}

/* Takes the lock and finds the live block whose payload is ptr: returns its region with
 * the lock held and sets *b, or reports the misuse, releases the lock and returns NULL. */
MK__HOT mk__heap_region *lock_live_block(const mk_heap *h, const void *ptr, uint32_t *b)
{
    mk__lock(h);
    int fault;
    mk__heap_region *r = live_block(h, ptr, b, &fault);
    if (!r)
        report_and_unlock(h, fault, ptr);
    return r;
}

/* The address the region_empty hook is told when a free merged r into one free block of
 * `merged` bytes that spans it, else 0. Read before the lock is released: from then on
 * another thread may remove the region. */
MK__HOT uintptr_t emptied_region(const mk_heap *h, const mk__heap_region *r, uint32_t merged)
{
    const mk_heap_hooks *hooks = h->hooks;
    if (!hooks || !hooks->region_empty || merged != r->end - r->first)
        return 0;
    return (uintptr_t)r - r->lead;
}

/* Frees block b of region r (known live), coalescing with free neighbours; returns what
 * emptied_region says of the free block it ends up in. */
MK__HOT uintptr_t free_block(mk_heap *h, mk__heap_region *r, uint32_t b)
{
    uint32_t word = mk__size_word(r, b);
    uint32_t size = word & ~MK__FLAGS;
#if MK_STATS
    r->used_bytes -= size;
    r->free_count++;
    h->used_bytes -= size;
#else
    (void)h;
#endif
#if MK__HEAP_GUARDS
    mk__poison(r, b + MK__HDR, b + size);
#endif
    mk__an_block_free(mk__region_base(r) + b + MK__HDR, size - MK__HDR);
    uint32_t next = b + size;
    uint32_t next_word = mk__size_word(r, next);
    uint32_t merged = 0; /* free blocks absorbed */
    if (!(next_word & MK__USED)) {
        uint32_t next_size = next_word & ~MK__FLAGS;
        bin_remove(r, next);
#if MK__HEAP_GUARDS
        mk__poison(r, next, next + MK__HDR + MK__LINKS); /* now inside one free block */
#endif
        size += next_size;
        merged = 1;
    } else {
        mk__set_header(r, next, next_word & ~MK__PREV_USED);
    }
    if (word & MK__PREV_USED) {
        make_free(r, b, size);
#if MK_STATS
        r->free_blocks = r->free_blocks + 1u - merged;
#endif
        return emptied_region(h, r, size);
    }
#if MK_STATS
    r->free_blocks -= merged;
#else
    (void)merged;
#endif
    /* Grow the free predecessor; it keeps its bin place unless its class changes. The
     * freed header loses its USED bit so that a second free of it is caught (checked
     * builds poison it, with the predecessor's footer, and catch that instead). */
    uint32_t prev_size = *mk__word(r, b - 4u);
    uint32_t prev = b - prev_size;
#if MK__HEAP_GUARDS
    mk__poison(r, b - 4u, b + MK__HDR);
#else
    mk__set_header(r, b, word & ~MK__USED);
#endif
    /* The class stays when the sizes agree above its span: then their top bits agree
     * too, so both map to the same class (mk__class_at). */
    unsigned shift = mk__class_shift(prev_size);
    size += prev_size;
    if ((size >> shift) != (prev_size >> shift)) {
        bin_remove(r, prev);
        bin_insert(r, prev, size);
    }
    mk__set_header(r, prev, size | MK__PREV_USED);
    mk__set_footer(r, prev, size);
    return emptied_region(h, r, size);
}

MK__COLD void report_emptied(const mk_heap *h, uintptr_t mem)
{
    h->hooks->region_empty(h->hooks->ctx, (void *)mem);
}

void mk_heap_free(mk_heap *h, void *ptr)
{
    uint32_t b;
    mk__heap_region *r = ptr ? lock_live_block(h, ptr, &b) : NULL;
    if (!r)
        return;
    uintptr_t emptied = free_block(h, r, b);
    mk__unlock(h);
    if (emptied)
        report_emptied(h, emptied);
}

size_t mk_heap_usable_size(const mk_heap *h, const void *ptr)
{
    if (!ptr)
        return 0;
    uint32_t b;
    const mk__heap_region *r = lock_live_block(h, ptr, &b);
    if (!r)
        return 0;
    size_t n = request_of(r, b);
    mk__unlock(h);
    return n;
}

/* Resizes live block b of r to `need` bytes (for a request of `request`) without moving
 * it, absorbing a free successor if that makes room; returns false (changing nothing)
 * when it cannot. */
static bool resize_in_place(mk_heap *h, mk__heap_region *r, uint32_t b, uint32_t need,
                            size_t request)
{
    uint32_t word = mk__size_word(r, b);
    uint32_t old = word & ~MK__FLAGS;
    uint32_t have = old;
    uint32_t next_word = mk__size_word(r, b + old);
    if (!(next_word & MK__USED)) {
        uint32_t next_size = next_word & ~MK__FLAGS;
        if (old + next_size < need)
            return false;
        bin_remove(r, b + old);
#if MK__HEAP_GUARDS
        /* What stays free past the new end must be all poison but its new metadata. */
        mk__poison(r, b + old, b + old + MK__HDR + MK__LINKS);
#endif
        have += next_size;
    } else if (old < need) {
        return false;
    }
#if MK__HEAP_GUARDS
    if (need < old)
        mk__poison(r, b + need, b + old); /* the freed tail held the caller's data */
#endif
    /* Before take_block writes metadata into the room, which it opens for itself. */
    size_t kept = old - MK__HDR < request ? old - MK__HDR : request;
    mk__an_block_resize(mk__region_base(r) + b + MK__HDR, kept, request, have - MK__HDR);
    /* take_block expects a successor that believes b is free. */
    uint32_t after = b + have;
    mk__set_header(r, after, mk__size_word(r, after) & ~MK__PREV_USED);
    uint32_t now = take_block(r, &b, have, need, word & MK__PREV_USED, false);
#if MK__HEAP_GUARDS
    mk__guard_set(r, b, now, request);
#endif
#if MK_STATS
    /* take_block counts a block that left the bins; without a free successor none did. */
    r->free_blocks += have == old ? 1u : 0u;
    r->used_bytes = r->used_bytes + now - old;
    h->used_bytes = h->used_bytes + now - old;
    if (r->used_bytes > r->peak_used_bytes)
        r->peak_used_bytes = r->used_bytes;
    if (h->used_bytes > h->peak_used_bytes)
        h->peak_used_bytes = h->used_bytes;
#else
    (void)h;
    (void)now;
#endif
    return true;
}

bool mk_heap_resize(mk_heap *h, void *ptr, size_t size)
{
    uint32_t b;
    mk__heap_region *r = ptr ? lock_live_block(h, ptr, &b) : NULL;
    if (!r)
        return false;
    bool ok = size <= MK__MAX_REQUEST - MK__G &&
              resize_in_place(h, r, b, mk__block_size_for(size), size);
    mk__unlock(h);
    return ok;
}

void *mk_heap_realloc(mk_heap *h, void *ptr, size_t size)
{
    if (!ptr)
        return mk_heap_alloc(h, size);
    if (size == 0) {
        mk_heap_free(h, ptr);
        return NULL;
    }
    uint32_t b;
    mk__heap_region *r = lock_live_block(h, ptr, &b);
    if (!r)
        return NULL;
    if (size > MK__MAX_REQUEST - MK__G)
        return fail_and_unlock(h, size, MK__G, 0, MK_ERANGE);
    size_t keep = request_of(r, b);
    if (resize_in_place(h, r, b, mk__block_size_for(size), size)) {
        mk__unlock(h);
        return ptr;
    }
    void *moved = alloc_locked(h, size, MK__G, r->caps);
    if (!moved)
        return NULL;
    /* Only the old request: checked builds guard the bytes past the new one. Builds that
     * inform a memory checker do not know the old request: all the payload may be read. */
    mk__an_meta(ptr, keep);
    mk__copy(moved, ptr, keep < size ? keep : size);
    uintptr_t emptied = free_block(h, r, b);
    unlock_after_alloc(h);
    if (emptied)
        report_emptied(h, emptied);
    return moved;
}

void mk_heap_init(mk_heap *h)
{
    mk__zero(h, sizeof *h);
}

void mk_heap_set_hooks(mk_heap *h, const mk_heap_hooks *hooks)
{
    h->hooks = hooks;
}

mk_err mk_heap_add_region(mk_heap *h, void *mem, size_t size, uint32_t caps)
{
    if (!h || !mem)
        return MK_EINVAL;
    uintptr_t start = (uintptr_t)mem;
    if (size > UINTPTR_MAX - start)
        return MK_ERANGE;
    uintptr_t aligned = (start + MK__G - 1u) & ~(uintptr_t)(MK__G - 1u);
    if (size < aligned - start + sizeof(mk__heap_region) + MK__MIN_BLOCK + MK__HDR)
        return MK_ETOOSMALL;
    size_t avail = size - (aligned - start);
    if (avail > (size_t)UINT32_MAX - MK__G)
        return MK_ERANGE;

    mk_err err = MK_OK;
    mk__lock(h);
    for (unsigned i = 0; i < h->nregions; i++) {
        const mk__heap_region *o = h->regions[i];
        uintptr_t lo = (uintptr_t)o - o->lead;
        if (start < lo + o->size && lo < start + size)
            err = MK_EOVERLAP;
    }
    if (err == MK_OK && h->nregions == MK_HEAP_MAX_REGIONS)
        err = MK_ELIMIT;
    if (err == MK_OK) {
        /* The classes a block of this region can reach; their heads follow the struct. */
        uint32_t nclasses = mk__class_of((uint32_t)avail & ~(MK__G - 1u)) + 1u;
        uint32_t index = (uint32_t)sizeof(mk__heap_region) + 4u * nclasses;
        uint32_t first = ((index + MK__HDR + MK__G - 1u) & ~(MK__G - 1u)) - MK__HDR;
        uint32_t end = ((uint32_t)avail & ~(MK__G - 1u)) - MK__HDR;
        if (end < first || end - first < MK__MIN_BLOCK) {
            err = MK_ETOOSMALL;
        } else {
            mk__heap_region *r = (mk__heap_region *)(void *)aligned;
            mk__zero(r, index);
            r->first = first;
            r->end = end;
            r->caps = caps;
            r->nclasses = nclasses;
            r->lead = (uint32_t)(aligned - start);
            r->size = (uint32_t)size; /* avail was checked: this fits */
            r->seal = mk__region_seal(r);
            mk__an_close(mk__region_base(r) + first, end - first);
            mk__set_header(r, end, MK__USED); /* sentinel; its predecessor is free */
            make_free(r, first, end - first);
#if MK_STATS
            r->free_blocks = 1;
#endif
#if MK__HEAP_GUARDS
            mk__poison_free_interior(r, first, end - first);
#endif
            h->regions[h->nregions++] = r;
        }
    }
    mk__unlock(h);
    return err;
}

mk_err mk_heap_remove_region(mk_heap *h, void *mem)
{
    if (!h || !mem)
        return MK_EINVAL;
    mk_err err = MK_EINVAL;
    mk__lock(h);
    for (unsigned i = 0; i < h->nregions; i++) {
        mk__heap_region *r = h->regions[i];
        if ((uintptr_t)r - r->lead != (uintptr_t)mem)
            continue;
        /* Coalescing is immediate, so a region without live blocks is one free block. */
        if (!mk__region_sound(r) || !mk__canary_ok(r, r->first))
            err = MK_ECORRUPT;
        else if (mk__size_word(r, r->first) != ((r->end - r->first) | MK__PREV_USED))
            err = MK_EBUSY;
        else
            err = MK_OK;
        if (err == MK_OK) {
#if MK_STATS
            h->removed_count += r->alloc_count;
#endif
            /* The bound on MK_HEAP_MAX_REGIONS as well lets a one-region build see that
             * nothing moves. */
            for (unsigned j = i; j + 1u < h->nregions && j + 1u < MK_HEAP_MAX_REGIONS; j++)
                h->regions[j] = h->regions[j + 1u];
            h->regions[--h->nregions] = NULL;
            mk__an_open(mem, r->size); /* a memory checker must not flag its next owner */
        }
        break;
    }
    mk__unlock(h);
    return err;
}
