/*
 * mk_sheap: the sized heap (include/memkit/sheap.h).
 *
 * Offsets are bytes from base, multiples of 8. A free block at b of size S (S >= 8):
 *   word at b          S
 *   word at b + S - 4  S (its footer; for S == 8 the two words are the block)
 *   words at b + 4, b + 8: next and prev offsets in its class's list, when S >= 16
 *                      (a prev of 0 means the list's head; an 8-byte block is in no
 *                      list and waits for a neighbour to be freed and merge it)
 * A live block has nothing of the heap's in it. The bitmap has bit (x - first) / 8 set
 * exactly when granule x is the first or the last of a free block, so a free looks at
 * the granule before it and the one after it to find free neighbours, and reads their
 * sizes from the footer before or the header after. No two free blocks touch.
 */
#include "memkit/sheap.h"

#include "internal/bits.h"
#include "internal/mem.h"

#define G 8u
#define SCAN_LIMIT 4u
#define LINEAR_CLASSES 32u /* classes 0..31: exactly c * 8 bytes */

static uint32_t *word_at(const mk_sheap *h, uint32_t off)
{
    return (uint32_t *)(void *)(h->base + off);
}
static uint32_t size_at(const mk_sheap *h, uint32_t b) { return *word_at(h, b); }
static uint32_t *next_of(const mk_sheap *h, uint32_t b) { return word_at(h, b + 4u); }
static uint32_t *prev_of(const mk_sheap *h, uint32_t b) { return word_at(h, b + 8u); }

/* The bitmap is the buffer's first bytes, one bit per granule of [first, end). */
static bool marked(const mk_sheap *h, uint32_t x)
{
    uint32_t g = (x - h->first) / G;
    return (h->base[g >> 3] >> (g & 7u)) & 1u;
}
static void mark(mk_sheap *h, uint32_t x)
{
    uint32_t g = (x - h->first) / G;
    h->base[g >> 3] = (unsigned char)(h->base[g >> 3] | (1u << (g & 7u)));
}
static void unmark(mk_sheap *h, uint32_t x)
{
    uint32_t g = (x - h->first) / G;
    h->base[g >> 3] = (unsigned char)(h->base[g >> 3] & ~(1u << (g & 7u)));
}

/* Class of a block size (a multiple of 8). */
static uint32_t class_of(uint32_t size)
{
    if (size < LINEAR_CLASSES * G)
        return size / G;
    unsigned fl = mk__msb32(size);
    return LINEAR_CLASSES + (fl - 8u) * 8u + ((size >> (fl - 3u)) & 7u);
}
/* Smallest size of class c. */
static uint32_t class_low(uint32_t c)
{
    if (c < LINEAR_CLASSES)
        return c * G;
    uint32_t fl = 8u + (c - LINEAR_CLASSES) / 8u;
    return (8u + (c - LINEAR_CLASSES) % 8u) << (fl - 3u);
}

static void bin_insert(mk_sheap *h, uint32_t b, uint32_t size)
{
    uint32_t c = class_of(size);
    uint32_t head = h->heads[c];
    *next_of(h, b) = head;
    *prev_of(h, b) = 0;
    if (head)
        *prev_of(h, head) = b;
    h->heads[c] = b;
    h->map[c >> 5] |= 1u << (c & 31u);
    h->top |= 1u << (c >> 5);
}

static void bin_remove(mk_sheap *h, uint32_t b, uint32_t size)
{
    uint32_t next = *next_of(h, b), prev = *prev_of(h, b);
    if (next)
        *prev_of(h, next) = prev;
    if (prev) {
        *next_of(h, prev) = next;
        return;
    }
    uint32_t c = class_of(size);
    h->heads[c] = next;
    if (!next) {
        h->map[c >> 5] &= ~(1u << (c & 31u));
        if (!h->map[c >> 5])
            h->top &= ~(1u << (c >> 5));
    }
}

/* Writes a free block's sizes and marks, and lists it when it can hold links. */
static void make_free(mk_sheap *h, uint32_t b, uint32_t size)
{
    *word_at(h, b) = size;
    *word_at(h, b + size - 4u) = size;
    mark(h, b);
    mark(h, b + size - G);
    if (size >= 2u * G)
        bin_insert(h, b, size);
}

/* Takes free block b (of `size`) out of the lists and the bitmap. */
static void take_free(mk_sheap *h, uint32_t b, uint32_t size)
{
    if (size >= 2u * G)
        bin_remove(h, b, size);
    unmark(h, b);
    unmark(h, b + size - G);
}

/* First block of the first non-empty class >= c, or 0. */
static uint32_t first_from(const mk_sheap *h, uint32_t c)
{
    if (c >= h->nclasses)
        return 0;
    uint32_t w = c >> 5;
    uint32_t bits = h->map[w] & (~0u << (c & 31u));
    if (!bits) {
        uint32_t above = h->top & ((~0u << w) << 1);
        if (!above)
            return 0;
        w = mk__ctz32(above);
        bits = h->map[w];
    }
    return h->heads[(w << 5) + mk__ctz32(bits)];
}

/* A free block of at least `need` bytes, or 0: the best of the first SCAN_LIMIT blocks
 * of need's own class when that class holds sizes below need, else the first block of
 * the first class whose every block fits. */
static uint32_t find_block(const mk_sheap *h, uint32_t need)
{
    uint32_t c = class_of(need);
    if (c < h->nclasses && need != class_low(c)) {
        uint32_t best = 0, best_spare = UINT32_MAX;
        uint32_t b = h->heads[c];
        for (unsigned i = 0; i < SCAN_LIMIT && b; i++, b = *next_of(h, b)) {
            uint32_t size = size_at(h, b);
            if (size >= need && size - need < best_spare) {
                best = b;
                best_spare = size - need;
            }
        }
        if (best)
            return best;
        c++;
    }
    return first_from(h, c);
}

/* Block size for a request, or 0 when it cannot be one. */
static uint32_t block_for(size_t size)
{
    if (size > UINT32_MAX - G)
        return 0;
    uint32_t n = ((uint32_t)size + G - 1u) & ~(G - 1u);
    return n ? n : G;
}

static void count_used(mk_sheap *h, size_t more)
{
    h->used_bytes += more;
    if (h->used_bytes > h->peak_used_bytes)
        h->peak_used_bytes = h->used_bytes;
}

/* Bytes of bitmap for a block area of `area` bytes: a bit per granule, whole words. */
static size_t bitmap_bytes(size_t area)
{
    return (area / G + 63u) / 64u * G;
}

mk_err mk_sheap_init(mk_sheap *h, void *buf, size_t size)
{
    if (!h || !buf)
        return MK_EINVAL;
    uintptr_t start = (uintptr_t)buf;
    if (size > UINTPTR_MAX - start)
        return MK_ERANGE;
    size_t lead = (size_t)(((start + G - 1u) & ~(uintptr_t)(G - 1u)) - start);
    if (size < lead)
        return MK_ETOOSMALL;
    size_t avail = (size - lead) & ~(size_t)(G - 1u);
    if (avail > UINT32_MAX - G)
        return MK_ERANGE; /* offsets are 32-bit */
    /* Classes for the largest block the buffer could hold, then the bitmap for what is
     * left: area / 64 bytes, rounded up to 8. */
    uint32_t nclasses = avail >= 2u * G ? class_of((uint32_t)avail & ~(G - 1u)) + 1u : 0u;
    size_t heads = ((size_t)nclasses * 4u + G - 1u) & ~(size_t)(G - 1u);
    if (avail < heads + 2u * G + G)
        return MK_ETOOSMALL;
    /* About 64/65 of the rest, then as many more granules as still fit (a few). */
    size_t rest = avail - heads;
    size_t area = (rest / 65u * 64u + rest % 65u * 64u / 65u) & ~(size_t)(G - 1u);
    while (area + G + bitmap_bytes(area + G) + heads <= avail)
        area += G;
    size_t bitmap = bitmap_bytes(area);
    if (area < 2u * G)
        return MK_ETOOSMALL;
    /* Field by field: a struct copy would be a memcpy call, which the core must not
     * make (tests/cross/no_libc.sh). */
    h->base = (unsigned char *)(start + lead);
    h->heads = (uint32_t *)(void *)(h->base + bitmap);
    h->first = (uint32_t)(bitmap + heads);
    h->end = (uint32_t)(bitmap + heads + area);
    h->nclasses = nclasses;
    h->top = 0;
    mk__zero(h->map, sizeof h->map);
    h->used_bytes = h->peak_used_bytes = 0;
    h->alloc_count = h->free_count = h->failed_count = 0;
    mk__zero(h->base, bitmap + heads);
    make_free(h, h->first, h->end - h->first);
    return MK_OK;
}

void *mk_sheap_alloc(mk_sheap *h, size_t size)
{
    uint32_t need = block_for(size);
    uint32_t b = need ? find_block(h, need) : 0;
    if (!b) {
        h->failed_count++;
        return NULL;
    }
    uint32_t have = size_at(h, b);
    take_free(h, b, have);
    if (have > need)
        make_free(h, b + need, have - need);
    count_used(h, need);
    h->alloc_count++;
    return h->base + b;
}

/* Offset of the live block at ptr of `size` bytes (rounded), or 0 when the bitmap shows
 * it cannot be one. */
static uint32_t live_block(const mk_sheap *h, const void *ptr, uint32_t size)
{
    uintptr_t p = (uintptr_t)ptr, lo = (uintptr_t)h->base + h->first;
    if (p < lo || p >= (uintptr_t)h->base + h->end || (p & (G - 1u)) || size == 0)
        return 0;
    uint32_t b = (uint32_t)(p - (uintptr_t)h->base);
    if (size > h->end - b || marked(h, b) || marked(h, b + size - G))
        return 0;
    return b;
}

/* Frees [b, b + size), merging free neighbours. */
static void release(mk_sheap *h, uint32_t b, uint32_t size)
{
    uint32_t end = b + size;
    if (end < h->end && marked(h, end)) {
        uint32_t next = size_at(h, end);
        take_free(h, end, next);
        size += next;
    }
    if (b > h->first && marked(h, b - G)) {
        uint32_t prev = *word_at(h, b - 4u);
        b -= prev;
        take_free(h, b, prev);
        size += prev;
    }
    make_free(h, b, size);
}

mk_err mk_sheap_free(mk_sheap *h, void *ptr, size_t size)
{
    if (!ptr)
        return MK_OK;
    uint32_t n = block_for(size);
    uint32_t b = n ? live_block(h, ptr, n) : 0;
    if (!b)
        return MK_EINVAL;
    release(h, b, n);
    h->used_bytes -= n;
    h->free_count++;
    return MK_OK;
}

bool mk_sheap_resize(mk_sheap *h, void *ptr, size_t old_size, size_t new_size)
{
    uint32_t old = block_for(old_size), now = block_for(new_size);
    uint32_t b = old && now && ptr ? live_block(h, ptr, old) : 0;
    if (!b)
        return false;
    if (now < old) {
        release(h, b + now, old - now);
        h->used_bytes -= old - now;
    } else if (now > old) {
        uint32_t end = b + old;
        if (end >= h->end || !marked(h, end))
            return false;
        uint32_t next = size_at(h, end);
        if (next < now - old)
            return false;
        take_free(h, end, next);
        if (next > now - old)
            make_free(h, b + now, next - (now - old));
        count_used(h, now - old);
    }
    return true;
}

void *mk_sheap_realloc(mk_sheap *h, void *ptr, size_t old_size, size_t new_size)
{
    if (!ptr)
        return mk_sheap_alloc(h, new_size);
    if (new_size == 0) {
        (void)mk_sheap_free(h, ptr, old_size);
        return NULL;
    }
    if (mk_sheap_resize(h, ptr, old_size, new_size))
        return ptr;
    if (!live_block(h, ptr, block_for(old_size)))
        return NULL;
    void *moved = mk_sheap_alloc(h, new_size);
    if (moved) {
        mk__copy(moved, ptr, old_size < new_size ? old_size : new_size);
        (void)mk_sheap_free(h, ptr, old_size);
    }
    return moved;
}

void mk_sheap_get_stats(const mk_sheap *h, mk_sheap_stats *out)
{
    size_t largest = 0;
    if (h->top) {
        uint32_t w = mk__msb32(h->top);
        uint32_t c = (w << 5) + mk__msb32(h->map[w]);
        for (uint32_t b = h->heads[c]; b; b = *next_of(h, b))
            if (size_at(h, b) > largest)
                largest = size_at(h, b);
    }
    out->total_bytes = h->end - h->first;
    out->overhead_bytes = h->first;
    out->used_bytes = h->used_bytes;
    out->peak_used_bytes = h->peak_used_bytes;
    out->free_bytes = out->total_bytes - h->used_bytes;
    out->largest_free_block = largest;
    out->alloc_count = h->alloc_count;
    out->free_count = h->free_count;
    out->failed_count = h->failed_count;
}

/* First marked granule at or after x (an offset in the block area), or end. */
static uint32_t next_marked(const mk_sheap *h, uint32_t x)
{
    while (x < h->end) {
        uint32_t g = (x - h->first) / G;
        unsigned bits = (unsigned)h->base[g >> 3] >> (g & 7u);
        if (bits)
            return x + (uint32_t)mk__ctz32(bits) * G;
        x += (8u - (g & 7u)) * G;
    }
    return h->end;
}

void mk_sheap_walk(const mk_sheap *h, mk_sheap_walk_fn fn, void *ctx)
{
    uint32_t x = h->first;
    while (x < h->end) {
        uint32_t free_at = next_marked(h, x);
        if (free_at > h->end)
            free_at = h->end;
        if (free_at > x && !fn(ctx, h->base + x, free_at - x, true))
            return;
        if (free_at >= h->end)
            return;
        uint32_t size = size_at(h, free_at);
        if (size < G || size > h->end - free_at || !fn(ctx, h->base + free_at, size, false))
            return;
        x = free_at + size;
    }
}

typedef struct check_state {
    const mk_sheap *h;
    bool bad, last_free;
    size_t free_bytes, listed;
    uint32_t reached; /* where the last stretch ended: the walk must reach the end */
} check_state;

static bool check_block(void *ctx, const void *start, size_t size, bool used)
{
    check_state *s = ctx;
    const mk_sheap *h = s->h;
    s->reached = (uint32_t)((const unsigned char *)start - h->base) + (uint32_t)size;
    if (used) {
        s->last_free = false;
        return true;
    }
    uint32_t b = (uint32_t)((const unsigned char *)start - h->base);
    uint32_t n = (uint32_t)size;
    /* Sizes at both ends, both ends marked and nothing between, no free neighbour. */
    bool ok = n % G == 0 && *word_at(h, b + n - 4u) == n && !s->last_free &&
              marked(h, b + n - G) && (n <= 2u * G || next_marked(h, b + G) == b + n - G);
    if (ok && n >= 2u * G) {
        uint32_t next = *next_of(h, b), prev = *prev_of(h, b);
        uint32_t c = class_of(n);
        ok = c < h->nclasses && ((h->map[c >> 5] >> (c & 31u)) & 1u) &&
             (prev ? prev >= h->first && prev < h->end && *next_of(h, prev) == b
                   : h->heads[c] == b) &&
             (!next || (next >= h->first && next < h->end && *prev_of(h, next) == b));
        s->listed++;
    }
    s->free_bytes += n;
    s->last_free = true;
    s->bad = !ok;
    return ok;
}

mk_err mk_sheap_check(const mk_sheap *h)
{
    check_state s = { h, false, false, 0, 0, h->first };
    mk_sheap_walk(h, check_block, &s);
    if (s.bad || s.reached != h->end || s.free_bytes != h->end - h->first - h->used_bytes)
        return MK_ECORRUPT;
    /* Every listed block was met by the walk: count the lists, each bounded. */
    size_t in_lists = 0;
    for (uint32_t c = 0; c < h->nclasses; c++) {
        bool set = (h->map[c >> 5] >> (c & 31u)) & 1u;
        if (set != (h->heads[c] != 0))
            return MK_ECORRUPT;
        for (uint32_t b = h->heads[c]; b; b = *next_of(h, b)) {
            if (++in_lists > s.listed || b < h->first || b >= h->end || !marked(h, b) ||
                class_of(size_at(h, b)) != c)
                return MK_ECORRUPT;
        }
    }
    for (uint32_t w = 0; w < MK__SHEAP_CLASSES / 32u; w++)
        if (((h->top >> w) & 1u) != (h->map[w] != 0))
            return MK_ECORRUPT;
    return in_lists == s.listed ? MK_OK : MK_ECORRUPT;
}

static void *a_alloc(void *ctx, size_t size, size_t align)
{
    return align <= MK_SHEAP_ALIGN ? mk_sheap_alloc(ctx, size) : NULL;
}
static void a_free(void *ctx, void *ptr, size_t size, size_t align)
{
    (void)align;
    (void)mk_sheap_free(ctx, ptr, size);
}
static bool a_resize(void *ctx, void *ptr, size_t old_size, size_t new_size, size_t align)
{
    (void)align;
    return mk_sheap_resize(ctx, ptr, old_size, new_size);
}
static void *a_remap(void *ctx, void *ptr, size_t old_size, size_t new_size, size_t align)
{
    if (align > MK_SHEAP_ALIGN)
        return NULL;
    return mk_sheap_realloc(ctx, ptr, old_size, new_size);
}
static bool a_owns(void *ctx, const void *ptr)
{
    const mk_sheap *h = ctx;
    uintptr_t p = (uintptr_t)ptr, base = (uintptr_t)h->base;
    return p >= base + h->first && p < base + h->end;
}

mk_allocator mk_sheap_allocator(mk_sheap *h)
{
    static const mk_allocator_vtable vt = { a_alloc, a_free, a_resize, a_remap, a_owns };
    return (mk_allocator){ h, &vt };
}
