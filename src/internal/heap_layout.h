/*
 * mk_heap internals shared by heap.c (the O(1) operations) and heap_inspect.c (stats,
 * check, walk). Private.
 *
 * A region, after aligning the caller's pointer to G = MK_ALIGN:
 *
 *   r (G-aligned)                                                       r + end
 *   | mk__heap_region | heads[nclasses] | pad | block | block | ... | block | sentinel |
 *                                             ^ r + first
 *
 * Every position is a 32-bit byte offset from r, so links cost 4 bytes on 64-bit hosts
 * too and offset 0 (the region struct itself) doubles as the null link.
 *
 * A block at offset b, size S (a multiple of G, at least MIN_BLOCK):
 *
 *   used:  [canary]? [size|PREV_USED|USED] [payload ........................]
 *   free:  [canary]? [size|PREV_USED     ] [next][prev] [.......] [footer=S]
 *          ^ b                             ^ b + HDR (G-aligned)  ^ b + S - 4
 *
 * The size word sits right before the payload; the canary (MK_CHECKED only) sits first,
 * where a write past the previous block lands. A free block's last word repeats its size
 * (the footer) so the next block can find its start; a used block has no footer, and its
 * successor's PREV_USED bit says so. The sentinel is a header of size 0 marked used, so
 * the last block needs no bounds test.
 *
 * Invariants (checked by mk_heap_check):
 *   I1 blocks tile [first, end) exactly; each size is a multiple of G, >= MIN_BLOCK.
 *   I2 no two free blocks are adjacent (immediate coalescing), so a free block's
 *      predecessor is always used: free headers always carry PREV_USED.
 *   I3 PREV_USED of each header equals USED of the block before it.
 *   I4 a free block's footer equals its size.
 *   I5 a free block is in exactly the list heads[class_of(size)]; the lists are doubly
 *      linked, the first block's prev link being mk__head_link(c) (so that heads[c]
 *      sits where that "block's" next link would); bit c of map[] is set iff
 *      heads[c] != 0, bit w of top iff map[w] != 0.
 *   I6 the counters equal what the blocks say (MK_STATS).
 *   I7 the region's geometry (first, end, caps, nclasses, lead, size) matches its seal.
 */
#ifndef MEMKIT_INTERNAL_HEAP_LAYOUT_H
#define MEMKIT_INTERNAL_HEAP_LAYOUT_H

#include "memkit/heap.h"
#include "internal/annotate.h"
#include "internal/bits.h"

#define MK__G ((uint32_t)MK_ALIGN)
#define MK__G_SHIFT ((unsigned)MK__LOG2_CONST(MK_ALIGN))
#define MK__HDR ((uint32_t)(MK_CHECKED ? 8u : 4u))
/* A free block must hold its header, two links and a footer. */
#define MK__MIN_BLOCK ((MK__HDR + 12u + MK__G - 1u) & ~(MK__G - 1u))
#define MK__SL_BITS ((unsigned)MK_HEAP_SL_BITS)
/* Below this size, classes are exact multiples of G; above it, SL per power of two. */
#define MK__LINEAR_LIMIT ((uint32_t)1u << (MK__SL_BITS + MK__G_SHIFT))
/* Enough bitmap words for a region of up to 4 GiB, and for a probe at class nclasses
 * (the search starts one class above a request's own, which may be the last). */
#define MK__MAX_CLASSES ((33u - MK__SL_BITS - MK__G_SHIFT) << MK__SL_BITS)
#define MK__MAP_WORDS (MK__MAX_CLASSES / 32u + 1u)

#define MK__USED 1u
#define MK__PREV_USED 2u
#define MK__FLAGS 7u
#define MK__CANARY 0x6d6b4b31u /* "mkK1", mixed with the offset and size word */

_Static_assert((MK_ALIGN & (MK_ALIGN - 1)) == 0 && MK_ALIGN >= 8 && MK_ALIGN <= 4096,
               "MK_ALIGN must be a power of two in 8..4096");
_Static_assert(MK__MAP_WORDS <= 32, "the top bitmap is one 32-bit word");

typedef struct mk__heap_region {
    uint32_t first;    /* offset of the first block */
    uint32_t end;      /* offset of the sentinel header */
    uint32_t caps;
    uint32_t nclasses; /* size of heads[] */
    uint32_t lead;     /* bytes skipped to align the caller's pointer */
    uint32_t size;     /* bytes handed in by the caller */
    uint32_t seal;     /* checksum of the fields above: they never change */
    uint32_t top;      /* bit w set iff map[w] != 0 */
    uint32_t map[MK__MAP_WORDS];
#if MK_STATS
    size_t used_bytes;
    size_t peak_used_bytes;
    size_t alloc_count;
    size_t free_count;
    size_t free_blocks;
#endif
    uint32_t heads[]; /* first free block of each class, 0 when empty */
} mk__heap_region;

static inline uint32_t *mk__word(const mk__heap_region *r, uint32_t off)
{
    return (uint32_t *)(void *)((char *)(uintptr_t)r + off);
}
static inline uint32_t mk__size_word(const mk__heap_region *r, uint32_t b)
{
    return *mk__word(r, b + MK__HDR - 4u);
}
static inline uint32_t mk__canary_for(uint32_t b, uint32_t size_word)
{
    return MK__CANARY ^ (b * 0x9e3779b1u) ^ size_word;
}
static inline void mk__set_header(mk__heap_region *r, uint32_t b, uint32_t size_word)
{
    mk__an_meta(mk__word(r, b), MK__HDR);
    *mk__word(r, b + MK__HDR - 4u) = size_word;
#if MK_CHECKED
    *mk__word(r, b) = mk__canary_for(b, size_word);
#endif
}
/* Writes free block b's footer: its last word repeats its size. */
static inline void mk__set_footer(mk__heap_region *r, uint32_t b, uint32_t size)
{
    mk__an_meta(mk__word(r, b + size - 4u), 4u);
    *mk__word(r, b + size - 4u) = size;
}
static inline bool mk__canary_ok(const mk__heap_region *r, uint32_t b)
{
#if MK_CHECKED
    return *mk__word(r, b) == mk__canary_for(b, mk__size_word(r, b));
#else
    (void)r;
    (void)b;
    return true;
#endif
}
/* The prev link of the first block of class c's list: the offset that puts heads[c]
 * where a block's next link would be. It lies below `first`, where no block starts. */
static inline uint32_t mk__head_link(uint32_t c)
{
    return (uint32_t)offsetof(mk__heap_region, heads) + 4u * c - MK__HDR;
}
/* The class whose head slot a prev link below `first` leads to. */
static inline uint32_t mk__head_class(uint32_t link)
{
    return (link + MK__HDR - (uint32_t)offsetof(mk__heap_region, heads)) >> 2;
}
static inline uint32_t *mk__next_link(const mk__heap_region *r, uint32_t b)
{
    return mk__word(r, b + MK__HDR);
}
static inline uint32_t *mk__prev_link(const mk__heap_region *r, uint32_t b)
{
    return mk__word(r, b + MK__HDR + 4u);
}

/* Classes are exact below the linear limit, then MK__SL_BITS subdivisions of each power
 * of two; a class spans 2^shift bytes, shift = mk__class_shift(size). Branch-free. */
static inline unsigned mk__class_shift(uint32_t size)
{
    return mk__msb32(size | MK__LINEAR_LIMIT) - MK__SL_BITS;
}
static inline uint32_t mk__class_at(uint32_t size, unsigned shift)
{
    return (size >> shift) + ((uint32_t)(shift - MK__G_SHIFT) << MK__SL_BITS);
}
/* Class of a free block of `size` bytes (a multiple of G). */
static inline uint32_t mk__class_of(uint32_t size)
{
    return mk__class_at(size, mk__class_shift(size));
}

static inline uint32_t mk__region_seal(const mk__heap_region *r)
{
    uint32_t x = 0x2545F491u;
    const uint32_t fields[6] = { r->first, r->end, r->caps, r->nclasses, r->lead, r->size };
    for (int i = 0; i < 6; i++)
        x = (x ^ fields[i]) * 0x01000193u;
    return x;
}

/* True when r's geometry is intact, so walking it stays inside the region. Inspection
 * calls this before trusting first/end/nclasses; the O(1) paths do not pay for it. */
static inline bool mk__region_sound(const mk__heap_region *r)
{
    return r->seal == mk__region_seal(r) && r->nclasses <= MK__MAX_CLASSES &&
           r->first >= sizeof(mk__heap_region) + 4u * r->nclasses &&
           ((r->first + MK__HDR) & (MK__G - 1u)) == 0 && r->end > r->first &&
           ((r->end - r->first) & (MK__G - 1u)) == 0 && r->end + MK__HDR <= r->size - r->lead;
}

static inline char *mk__region_base(const mk__heap_region *r)
{
    return (char *)(uintptr_t)r;
}

/* Region holding `p` (any address inside its block area), or NULL. O(regions). */
static inline mk__heap_region *mk__region_of(const mk_heap *h, const void *p, unsigned *index)
{
    uintptr_t a = (uintptr_t)p;
    for (unsigned i = 0; i < h->nregions; i++) {
        mk__heap_region *r = h->regions[i];
        uintptr_t base = (uintptr_t)r;
        if (a - base - r->first < (uintptr_t)(r->end - r->first)) {
            if (index)
                *index = i;
            return r;
        }
    }
    return NULL;
}

static inline void mk__lock(const mk_heap *h)
{
    if (h->hooks && h->hooks->lock)
        h->hooks->lock(h->hooks->ctx);
}
static inline void mk__unlock(const mk_heap *h)
{
    if (h->hooks && h->hooks->unlock)
        h->hooks->unlock(h->hooks->ctx);
}
static inline void mk__report(const mk_heap *h, mk_heap_fault kind, const void *ptr)
{
    if (h->hooks && h->hooks->corruption)
        h->hooks->corruption(h->hooks->ctx, kind, ptr);
}

#endif
