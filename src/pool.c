/*
 * mk_pool: fixed-size blocks. Layout of the caller's buffer after init:
 *
 *   buf                                                                   buf + size
 *   | state bitmap (MK_CHECKED) | pad | block 0 | block 1 | ... | block n-1 | slack |
 *                                     ^ base (aligned)   ^ fresh            ^ end
 *
 * Blocks below fresh have been handed out at least once: each is now either live or on
 * the free list, linked through its first word. Blocks from fresh on were never touched,
 * which is what lets init skip threading a list through them: the first pass over the
 * pool is a bump allocation. In checked builds bit i of the bitmap says whether block i
 * is live; only bits below fresh are meaningful, and each is written when its block is
 * first handed out, so the bitmap needs no clearing either.
 */
#include "memkit/pool.h"

#include "internal/annotate.h"
#include "internal/bits.h"
#include "internal/mem.h"
#include "internal/pool_fit.h"

#if MK_CHECKED
/* Blocks that fit behind a bitmap sized for n of them. */
static size_t fit_behind(uintptr_t start, size_t size, size_t align, size_t bs, size_t n,
                         size_t *lead)
{
    return mk__pool_fit(start, size, (n + 7u) / 8u, align, bs, lead);
}

/* The most blocks that fit behind their own bitmap, starting from `upper` (the count
 * with no bitmap). f(n) = fit_behind(n) never grows with n, so for m >= f(m) the count
 * f(m) is feasible (its bitmap is no larger than m's), and f of a feasible count is an
 * upper bound again. A round trip cuts the distance to the best count by about
 * (8 * block_size)^2 >= 4096, after which a step or two of one block settles it: O(1),
 * where stepping from the first estimate would take O(size) steps. (The fuzzer found
 * the first estimate alone could be several blocks short.) */
static size_t fit_with_bitmap(uintptr_t start, size_t size, size_t align, size_t bs,
                              size_t upper, size_t *lead)
{
    size_t lo = fit_behind(start, size, align, bs, upper, lead);
    size_t hi = fit_behind(start, size, align, bs, lo, lead);
    lo = fit_behind(start, size, align, bs, hi, lead);
    size_t more_lead;
    while (fit_behind(start, size, align, bs, lo + 1u, &more_lead) > lo)
        lo++;
    fit_behind(start, size, align, bs, lo, lead);
    return lo;
}
#endif

mk_err mk_pool_init(mk_pool *p, void *buf, size_t size, size_t block_size, size_t align)
{
    if (!p || !buf)
        return MK_EINVAL;
    if (align == 0)
        align = MK_ALIGN;
    if (!mk__is_pow2(align))
        return MK_EINVAL;
    if (align < _Alignof(mk__pool_link))
        align = _Alignof(mk__pool_link);
    if (block_size < sizeof(mk__pool_link))
        block_size = sizeof(mk__pool_link);
    if (block_size > SIZE_MAX - (align - 1u))
        return MK_ERANGE;
    block_size = (block_size + align - 1u) & ~(align - 1u);
    uintptr_t start = (uintptr_t)buf;
    if (size > UINTPTR_MAX - start)
        return MK_ERANGE;

    size_t lead = 0;
    size_t count = mk__pool_fit(start, size, 0, align, block_size, &lead);
#if MK_CHECKED
    if (count)
        count = fit_with_bitmap(start, size, align, block_size, count, &lead);
#endif
    if (count == 0)
        return MK_ETOOSMALL;

    unsigned char *bytes = buf;
    p->free = NULL;
    p->base = bytes + lead;
    p->fresh = p->base;
    p->end = p->base + count * block_size;
    p->block_size = block_size;
    p->capacity = count;
    p->used = 0;
    p->max_used = 0;
    mk__an_close(p->base, count * block_size);
    p->align = align;
#if MK_CHECKED
    p->state = bytes;
    p->hooks = NULL;
#endif
    return MK_OK;
}

#if MK_CHECKED

static void report(const mk_pool *p, mk_pool_fault kind, const void *ptr)
{
    if (p->hooks && p->hooks->fault)
        p->hooks->fault(p->hooks->ctx, kind, ptr);
}

/* Checks that ptr starts a block that has been handed out at least once: returns 0 and
 * sets *index, or the fault that shows otherwise. Compares integers, not pointers, so
 * that a foreign pointer is no undefined behaviour. */
static int handed_out_block(const mk_pool *p, const void *ptr, size_t *index)
{
    uintptr_t off = (uintptr_t)ptr - (uintptr_t)p->base;
    if (off >= (uintptr_t)(p->capacity * p->block_size))
        return MK_POOL_FAULT_FOREIGN_POINTER;
    if (off % p->block_size)
        return MK_POOL_FAULT_BAD_POINTER;
    if (off >= (uintptr_t)p->fresh - (uintptr_t)p->base)
        return MK_POOL_FAULT_DOUBLE_FREE; /* never allocated, so certainly not live */
    *index = (size_t)(off / p->block_size);
    return 0;
}

static bool is_live(const mk_pool *p, size_t i)
{
    return (p->state[i >> 3] >> (i & 7u)) & 1u;
}

static void set_live(mk_pool *p, size_t i, bool live)
{
    unsigned char bit = (unsigned char)(1u << (i & 7u));
    if (live)
        p->state[i >> 3] |= bit;
    else
        p->state[i >> 3] &= (unsigned char)~bit;
}

/* The bytes of a free block after its link. GCC must not turn the loop into memset. */
MK__NO_LIBCALLS static void poison(const mk_pool *p, mk__pool_link *b)
{
    unsigned char *bytes = (unsigned char *)b;
    for (size_t i = sizeof *b; i < p->block_size; i++)
        bytes[i] = (unsigned char)MK_POOL_POISON;
}

static bool poison_intact(const mk_pool *p, const mk__pool_link *b)
{
    const unsigned char *bytes = (const unsigned char *)b;
    for (size_t i = sizeof *b; i < p->block_size; i++)
        if (bytes[i] != MK_POOL_POISON)
            return false;
    return true;
}

/* True when `next`, read from a free block's link, may be followed: NULL, or a block
 * handed out before and not live now. */
static bool link_ok(const mk_pool *p, const mk__pool_link *next)
{
    size_t i;
    return !next || (handed_out_block(p, next, &i) == 0 && !is_live(p, i));
}

#endif /* MK_CHECKED */

void *mk_pool_alloc(mk_pool *p)
{
    mk__pool_link *b = p->free;
#if MK_CHECKED
    int fault = 0;
#endif
    if (b) {
        mk__pool_link *next = b->next;
#if MK_CHECKED
        /* b itself was validated when it was linked; what it holds now may not be. A
         * link back to b would hand b out twice: b is not marked live yet. */
        if (next == b || !link_ok(p, next)) {
            fault = MK_POOL_FAULT_FREE_LIST;
            next = NULL; /* lose the rest of the list rather than follow a wild link */
        } else if (!poison_intact(p, b)) {
            fault = MK_POOL_FAULT_WRITE_AFTER_FREE;
        }
#endif
        p->free = next;
    } else if (p->fresh != p->end) {
        b = (mk__pool_link *)(void *)p->fresh;
        p->fresh += p->block_size;
    } else {
        return NULL;
    }
    if (++p->used > p->max_used)
        p->max_used = p->used;
    mk__an_block_alloc(b, p->block_size, p->block_size);
#if MK_CHECKED
    set_live(p, (size_t)((uintptr_t)b - (uintptr_t)p->base) / p->block_size, true);
    if (fault)
        report(p, (mk_pool_fault)fault, b); /* last, so the hook may use the pool */
#endif
    return b;
}

void mk_pool_free(mk_pool *p, void *block)
{
    if (!block)
        return;
    mk__pool_link *b = block;
#if MK_CHECKED
    size_t i;
    int fault = handed_out_block(p, block, &i);
    if (!fault && !is_live(p, i))
        fault = MK_POOL_FAULT_DOUBLE_FREE;
    if (fault) {
        report(p, (mk_pool_fault)fault, block);
        return;
    }
    set_live(p, i, false);
    poison(p, b);
#endif
    mk__an_block_free(b, p->block_size);
    mk__an_meta(b, sizeof *b);
    b->next = p->free;
    p->free = b;
    p->used--;
}

size_t mk_pool_used(const mk_pool *p) { return p->used; }
size_t mk_pool_max_used(const mk_pool *p) { return p->max_used; }
size_t mk_pool_capacity(const mk_pool *p) { return p->capacity; }
size_t mk_pool_block_size(const mk_pool *p) { return p->block_size; }

void mk_pool_set_hooks(mk_pool *p, const mk_pool_hooks *hooks)
{
#if MK_CHECKED
    p->hooks = hooks;
#else
    (void)p;
    (void)hooks;
#endif
}

/* Reports (in checked builds) and returns MK_ECORRUPT. */
static mk_err corrupt(const mk_pool *p, mk_pool_fault kind, const void *ptr)
{
#if MK_CHECKED
    report(p, kind, ptr);
#else
    (void)p;
    (void)kind;
    (void)ptr;
#endif
    return MK_ECORRUPT;
}

mk_err mk_pool_check(const mk_pool *p)
{
    uintptr_t base = (uintptr_t)p->base;
    if (p->capacity == 0) {
        /* Only the all-zero pool has no blocks. */
        if (p->free || p->fresh != p->end || p->used || p->max_used)
            return corrupt(p, MK_POOL_FAULT_STATS, p);
        return MK_OK;
    }
    size_t bs = p->block_size;
    if (bs < sizeof(mk__pool_link) || !mk__is_pow2(p->align) || (bs & (p->align - 1u)) ||
        (base & (p->align - 1u)) || p->capacity > SIZE_MAX / bs ||
        (uintptr_t)p->end - base != p->capacity * bs || (uintptr_t)p->fresh < base ||
        (uintptr_t)p->fresh > (uintptr_t)p->end || ((uintptr_t)p->fresh - base) % bs)
        return corrupt(p, MK_POOL_FAULT_STATS, p);
    size_t handed = ((uintptr_t)p->fresh - base) / bs;
    if (p->used > p->max_used || p->max_used > p->capacity || p->used > handed)
        return corrupt(p, MK_POOL_FAULT_STATS, p);

    /* A sound list holds exactly handed - used blocks; a longer walk means a cycle. */
    size_t expect = handed - p->used, n = 0;
    for (const mk__pool_link *b = p->free; b; b = b->next) {
        uintptr_t off = (uintptr_t)b - base;
        if (n == expect || off >= (uintptr_t)p->fresh - base || off % bs)
            return corrupt(p, MK_POOL_FAULT_FREE_LIST, b);
#if MK_CHECKED
        if (is_live(p, (size_t)(off / bs)))
            return corrupt(p, MK_POOL_FAULT_FREE_LIST, b);
        if (!poison_intact(p, b))
            return corrupt(p, MK_POOL_FAULT_WRITE_AFTER_FREE, b);
#endif
        n++;
    }
    if (n != expect)
        return corrupt(p, MK_POOL_FAULT_STATS, p);
#if MK_CHECKED
    size_t live = 0;
    for (size_t i = 0; i < handed; i++)
        live += is_live(p, i);
    if (live != p->used)
        return corrupt(p, MK_POOL_FAULT_STATS, p);
#endif
    return MK_OK;
}

const char *mk_pool_fault_name(mk_pool_fault fault)
{
    switch (fault) {
    case MK_POOL_FAULT_DOUBLE_FREE: return "double free (block not live)";
    case MK_POOL_FAULT_FOREIGN_POINTER: return "pointer not in this pool";
    case MK_POOL_FAULT_BAD_POINTER:
        return "pointer is not the start of a block (interior pointer?)";
    case MK_POOL_FAULT_FREE_LIST: return "free list damaged (write after free?)";
    case MK_POOL_FAULT_WRITE_AFTER_FREE: return "free block overwritten (write after free?)";
    case MK_POOL_FAULT_STATS: return "pool counters disagree with its blocks";
    }
    return "unknown fault";
}

/* ---- mk_allocator adapter ----------------------------------------------------------- */

static bool request_fits(const mk_pool *p, size_t size, size_t align)
{
    if (align == 0)
        align = MK_ALIGN;
    return mk__is_pow2(align) && align <= p->align && size <= p->block_size;
}

static void *pool_alloc(void *ctx, size_t size, size_t align)
{
    return request_fits(ctx, size, align) ? mk_pool_alloc(ctx) : NULL;
}

static void pool_free(void *ctx, void *ptr, size_t size, size_t align)
{
    (void)size;
    (void)align;
    mk_pool_free(ctx, ptr);
}

/* Every block has block_size bytes, so any size up to that fits in place. */
static bool pool_resize(void *ctx, void *ptr, size_t old_size, size_t new_size, size_t align)
{
    (void)ptr;
    (void)old_size;
    return request_fits(ctx, new_size, align);
}

static bool pool_owns(void *ctx, const void *ptr)
{
    const mk_pool *p = ctx;
    return (uintptr_t)ptr - (uintptr_t)p->base < (uintptr_t)(p->capacity * p->block_size);
}

mk_allocator mk_pool_allocator(mk_pool *p)
{
    static const mk_allocator_vtable vt = { pool_alloc, pool_free, pool_resize, NULL,
                                            pool_owns };
    return (mk_allocator){ p, &vt };
}
