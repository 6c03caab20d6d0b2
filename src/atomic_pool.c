/*
 * mk_atomic_pool: a Treiber stack of block indices with a generation tag in the same
 * word (the design and its progress guarantee: include/memkit/atomic_pool.h).
 *
 *   buf                                                                   buf + size
 *   | pad4 | links[capacity] | live bits (MK_CHECKED) | pad | block 0 | ... | block n-1 |
 *                                                           ^ base (aligned)
 *
 * Two builds of the same operations: with C11 atomics (CAS loops, the weakest orders
 * that carry the hand-off between owners), or, with MK_NO_ATOMICS, plain fields inside
 * a critical section.
 */
#include "memkit/atomic_pool.h"

#include "internal/bits.h"
#include "internal/cs.h"
#include "internal/pool_fit.h"

#if !MK_NO_ATOMICS && ATOMIC_POINTER_LOCK_FREE != 2
#error "mk_atomic_pool needs lock-free word-sized atomics; build with MK_NO_ATOMICS=1"
#endif

/* Bytes of index-sized metadata in front of the blocks: links, then the live bits. */
static size_t meta_bytes(size_t pad, size_t count)
{
    size_t n = pad + 4u * count;
#if MK_CHECKED
    n += 4u * ((count + 31u) / 32u);
#endif
    return n;
}

mk_err mk_atomic_pool_init(mk_atomic_pool *p, void *buf, size_t size, size_t block_size,
                           size_t align)
{
    if (!p || !buf)
        return MK_EINVAL;
    if (align == 0)
        align = MK_ALIGN;
    if (!mk__is_pow2(align))
        return MK_EINVAL;
    if (block_size == 0)
        block_size = 1;
    if (block_size > SIZE_MAX - (align - 1u))
        return MK_ERANGE;
    block_size = (block_size + align - 1u) & ~(align - 1u);
    uintptr_t start = (uintptr_t)buf;
    if (size > UINTPTR_MAX - start)
        return MK_ERANGE;

    /* Each block costs block_size + 4 bytes (its link, 4-byte aligned), plus 1/8 byte
     * of live bit in checked builds. Estimate the count from that, then place that
     * many links (and live bits) in front and see how many blocks fit behind them: if
     * fewer (the alignment gap, rounding), those fewer need no more links than were
     * placed, so the smaller count is safe. */
    size_t pad4 = (size_t)((0u - start) & 3u);
    size_t lead = 0;
    size_t count = 0;
    if (pad4 < size && block_size <= SIZE_MAX - 4u) {
        size_t cost = block_size + 4u, avail = size - pad4;
        count = avail / cost;
#if MK_CHECKED
        /* The largest c with c * (cost + 1/8) <= avail is floor(8 avail / (8 cost + 1));
         * with avail = count * cost + r that is count - ceil((count - 8r) / (8 cost + 1)),
         * which needs no product that can overflow. (For blocks so large that 16 cost
         * overflows, count is below 16 and the fit below corrects it.) */
        size_t r = avail % cost;
        if (cost <= SIZE_MAX / 16u && count > 8u * r)
            count -= (count - 8u * r + 8u * cost) / (8u * cost + 1u);
#endif
    }
    if (count > MK_ATOMIC_POOL_MAX_BLOCKS)
        count = MK_ATOMIC_POOL_MAX_BLOCKS;
    if (count) {
        size_t behind =
            mk__pool_fit(start, size, meta_bytes(pad4, count), align, block_size, &lead);
        if (behind < count)
            count = behind;
    }
    if (count == 0)
        return MK_ETOOSMALL;

    /* An index from an offset without a division: offsets are exact multiples of
     * block_size = odd << shift, and multiplying by odd's inverse modulo 2^32 undoes
     * multiplying by odd (Newton's iteration doubles the correct low bits each step:
     * 3, 6, 12, 24, 48). */
    size_t odd = block_size;
    uint32_t shift = 0;
    while (!(odd & 1u)) {
        odd >>= 1;
        shift++;
    }
    uint32_t d = (uint32_t)odd, inverse = d;
    for (int i = 0; i < 4; i++)
        inverse *= 2u - d * inverse;

    unsigned char *bytes = buf;
    uint32_t cap = (uint32_t)count;
    p->capacity = cap;
    p->shift = shift;
    p->inverse = inverse;
    p->index_mask = ((uintptr_t)2u << mk__msb32(cap)) - 1u;
    p->base = bytes + lead;
    p->links = (void *)(bytes + pad4);
    p->block_size = block_size;
#if MK_CHECKED
    p->live = (void *)(bytes + pad4 + 4u * count);
#endif
    p->hooks = NULL;
#if MK_NO_ATOMICS
    p->head = 0;
    p->fresh = 0;
    p->used = 0;
    p->max_used = 0;
#else
    atomic_init(&p->head, 0);
    atomic_init(&p->fresh, 0);
    atomic_init(&p->used, 0);
    atomic_init(&p->max_used, 0);
#endif
    return MK_OK;
}

#if !MK_NO_ATOMICS

/* ---- lock-free ---------------------------------------------------------------------- */

/* Pops the top index into *i; false when the stack is empty. The acquire load (and the
 * acquire reload on a failed CAS) pairs with the release CAS of the push that put the
 * block there, so its link and what its last owner wrote are visible. A link read
 * while another thread pops and pushes the block is only ever discarded: the push
 * changed the tag, so the CAS fails. */
static bool pop(mk_atomic_pool *p, uint32_t *i)
{
    uintptr_t mask = p->index_mask;
    uintptr_t old = atomic_load_explicit(&p->head, memory_order_acquire);
    for (;;) {
        uint32_t top = (uint32_t)(old & mask);
        if (!top)
            return false;
        uint32_t next = atomic_load_explicit(&p->links[top - 1u], memory_order_relaxed);
        if (atomic_compare_exchange_weak_explicit(&p->head, &old, (old & ~mask) | next,
                                                  memory_order_acquire,
                                                  memory_order_acquire)) {
            *i = top - 1u;
            return true;
        }
    }
}

/* Pushes index i, advancing the tag. Release: the link store and the freeing thread's
 * writes to the block happen-before the pop that takes it. */
static void push(mk_atomic_pool *p, uint32_t i)
{
    uintptr_t mask = p->index_mask;
    uintptr_t old = atomic_load_explicit(&p->head, memory_order_relaxed);
    for (;;) {
        atomic_store_explicit(&p->links[i], (uint32_t)(old & mask), memory_order_relaxed);
        uintptr_t next = (((old | mask) + 1u) & ~mask) | ((uintptr_t)i + 1u);
        if (atomic_compare_exchange_weak_explicit(&p->head, &old, next, memory_order_release,
                                                  memory_order_relaxed))
            return;
    }
}

/* Takes a never-used block; false when none is left. Relaxed: nobody else has touched
 * the block since init, which was published to this thread before it got the pool. A
 * CAS rather than an add, so the counter never passes capacity (and never wraps). */
static bool bump(mk_atomic_pool *p, uint32_t *i)
{
    uint32_t f = atomic_load_explicit(&p->fresh, memory_order_relaxed);
    while (f < p->capacity) {
        if (atomic_compare_exchange_weak_explicit(&p->fresh, &f, f + 1u, memory_order_relaxed,
                                                  memory_order_relaxed)) {
            *i = f;
            return true;
        }
    }
    return false;
}

/* Statistics only: relaxed. */
static void count_alloc(mk_atomic_pool *p)
{
    uint32_t now = atomic_fetch_add_explicit(&p->used, 1u, memory_order_relaxed) + 1u;
    uint32_t max = atomic_load_explicit(&p->max_used, memory_order_relaxed);
    while (now > max && !atomic_compare_exchange_weak_explicit(
                            &p->max_used, &max, now, memory_order_relaxed,
                            memory_order_relaxed)) {
    }
}

static void count_free(mk_atomic_pool *p)
{
    atomic_fetch_sub_explicit(&p->used, 1u, memory_order_relaxed);
}

#if MK_CHECKED
static uint32_t fresh_now(mk_atomic_pool *p)
{
    return atomic_load_explicit(&p->fresh, memory_order_relaxed);
}

/* Sets or clears live bit i; returns whether it was set. Relaxed: push and pop order
 * the frees and allocations of one block already. */
static bool swap_live(mk_atomic_pool *p, uint32_t i, bool live)
{
    uint32_t bit = 1u << (i & 31u);
    uint32_t was = live ? atomic_fetch_or_explicit(&p->live[i >> 5], bit, memory_order_relaxed)
                        : atomic_fetch_and_explicit(&p->live[i >> 5], ~bit,
                                                    memory_order_relaxed);
    return was & bit;
}
#endif

/* No critical section here: enter and leave do nothing. */
static mk__cs enter(const mk_atomic_pool *p) { (void)p; return 0; }
static void leave(const mk_atomic_pool *p, mk__cs s) { (void)p; (void)s; }

#else /* MK_NO_ATOMICS */

/* ---- critical sections -------------------------------------------------------------- */

/* The critical section of internal/cs.h, with this pool's hooks. */
static mk__cs_hooks cs_hooks(const mk_atomic_pool *p)
{
    mk__cs_hooks c = { NULL, NULL, NULL };
    if (p->hooks) {
        c.lock = p->hooks->lock;
        c.unlock = p->hooks->unlock;
        c.ctx = p->hooks->ctx;
    }
    return c;
}

static mk__cs enter(const mk_atomic_pool *p) { return mk__cs_enter(cs_hooks(p)); }
static void leave(const mk_atomic_pool *p, mk__cs s) { mk__cs_leave(cs_hooks(p), s); }

/* The same stack as the lock-free build, inside enter/leave. */
static bool pop(mk_atomic_pool *p, uint32_t *i)
{
    uintptr_t h = p->head;
    uint32_t top = (uint32_t)(h & p->index_mask);
    if (!top)
        return false;
    p->head = (h & ~p->index_mask) | p->links[top - 1u];
    *i = top - 1u;
    return true;
}

static void push(mk_atomic_pool *p, uint32_t i)
{
    uintptr_t h = p->head, mask = p->index_mask;
    p->links[i] = (uint32_t)(h & mask);
    p->head = (((h | mask) + 1u) & ~mask) | ((uintptr_t)i + 1u);
}

static bool bump(mk_atomic_pool *p, uint32_t *i)
{
    if (p->fresh >= p->capacity)
        return false;
    *i = p->fresh++;
    return true;
}

static void count_alloc(mk_atomic_pool *p)
{
    if (++p->used > p->max_used)
        p->max_used = p->used;
}

static void count_free(mk_atomic_pool *p) { p->used--; }

#if MK_CHECKED
static uint32_t fresh_now(mk_atomic_pool *p) { return p->fresh; }

static bool swap_live(mk_atomic_pool *p, uint32_t i, bool live)
{
    uint32_t bit = 1u << (i & 31u);
    uint32_t was = p->live[i >> 5];
    p->live[i >> 5] = live ? was | bit : was & ~bit;
    return was & bit;
}
#endif

#endif /* MK_NO_ATOMICS */

/* ---- the operations, over either build ------------------------------------------- */

void *mk_atomic_pool_alloc(mk_atomic_pool *p)
{
    uint32_t i;
    mk__cs s = enter(p);
    /* Stack, then never-used blocks, then the stack again: fresh only grows, so once it
     * is exhausted an empty stack means the pool really was empty at that moment, not
     * that a free slipped in between the first two looks. */
    bool got = pop(p, &i) || bump(p, &i) || pop(p, &i);
    if (got) {
        count_alloc(p);
#if MK_CHECKED
        swap_live(p, i, true);
#endif
    }
    leave(p, s);
    return got ? p->base + (size_t)i * p->block_size : NULL;
}

#if MK_CHECKED
static void report(const mk_atomic_pool *p, mk_pool_fault kind, const void *ptr)
{
    if (p->hooks && p->hooks->fault)
        p->hooks->fault(p->hooks->ctx, kind, ptr);
}
#endif

void mk_atomic_pool_free(mk_atomic_pool *p, void *block)
{
    if (!block)
        return;
    uintptr_t off = (uintptr_t)block - (uintptr_t)p->base;
#if MK_CHECKED
    int fault = 0;
    if (off >= (uintptr_t)((size_t)p->capacity * p->block_size))
        fault = MK_POOL_FAULT_FOREIGN_POINTER;
    else if (off % p->block_size)
        fault = MK_POOL_FAULT_BAD_POINTER;
    if (fault) {
        report(p, (mk_pool_fault)fault, block);
        return;
    }
#endif
    uint32_t i = (uint32_t)(off >> p->shift) * p->inverse;
    mk__cs s = enter(p);
#if MK_CHECKED
    /* Bits from fresh on were never written; a block there was never allocated. */
    if (i >= fresh_now(p) || !swap_live(p, i, false)) {
        leave(p, s);
        report(p, MK_POOL_FAULT_DOUBLE_FREE, block);
        return;
    }
#endif
    count_free(p);
    push(p, i);
    leave(p, s);
}

/* A statistics counter read as one snapshot: under the critical section where there are
 * no atomics, else one relaxed load. C11's atomic_load takes a pointer to non-const
 * (clang enforces it), hence the callers' casts; it only loads. */
static size_t read_counter(const mk_atomic_pool *p, MK__APOOL_ATOMIC(uint32_t) *counter)
{
#if MK_NO_ATOMICS
    mk__cs s = enter(p);
    uint32_t n = *counter;
    leave(p, s);
    return n;
#else
    (void)p;
    return atomic_load_explicit(counter, memory_order_relaxed);
#endif
}

size_t mk_atomic_pool_used(const mk_atomic_pool *p)
{
    return read_counter(p, &((mk_atomic_pool *)(uintptr_t)p)->used);
}

size_t mk_atomic_pool_max_used(const mk_atomic_pool *p)
{
    return read_counter(p, &((mk_atomic_pool *)(uintptr_t)p)->max_used);
}

size_t mk_atomic_pool_capacity(const mk_atomic_pool *p) { return p->capacity; }
size_t mk_atomic_pool_block_size(const mk_atomic_pool *p) { return p->block_size; }

void mk_atomic_pool_set_hooks(mk_atomic_pool *p, const mk_pool_hooks *hooks)
{
    p->hooks = hooks;
}
