/*
 * The host front's thread cache: each thread keeps up to CACHE_DEPTH freed blocks of each
 * small block size and hands them out again without the heap lock. To the heap a cached
 * block is still in use; only the thread that cached it can see it.
 *
 * free must know a block's size without the lock. It finds the region holding the
 * pointer in a table the host publishes (a sequence lock per slot, so a reader never
 * trusts a slot that changes under it), then reads the block's header and canary. Any
 * doubt (no region, a header that is not a live small block, a full cache) sends the
 * pointer to the heap's own free, which checks it under the lock and reports misuse. A
 * block freed twice while cached is caught by a key word the cache writes into it.
 * MEMKIT_CHECKED=1 (every free checked by the heap) and MEMKIT_CACHE=0 turn it off.
 */
#define _GNU_SOURCE
#include "malloc/host.h"

#include <pthread.h>
#include <stdint.h>

#include "internal/heap_guard.h"
#include "memkit/global.h"

/* Blocks up to this size (payloads up to 504 bytes) are cached. */
#define CACHE_MAX_BLOCK 512u
#define CACHE_CLASSES (CACHE_MAX_BLOCK / MK__G + 1u)
#define CACHE_DEPTH 16u
#define CACHE_MAX_REQUEST (CACHE_MAX_BLOCK - MK__HDR - MK__GUARD_SLACK)

_Static_assert(MK__MIN_BLOCK - MK__HDR >= 2 * sizeof(void *),
               "a cached block holds a link and the key in its payload");

typedef struct cache {
    void *head[CACHE_CLASSES]; /* by block size / G; link in the payload's first word */
    unsigned char count[CACHE_CLASSES];
    bool registered; /* the exit destructor knows this thread's cache */
} cache;

/* initial-exec: a preloaded library's TLS is static, and the default model would cost a
 * __tls_get_addr call on every malloc. */
static _Thread_local cache tc __attribute__((tls_model("initial-exec")));

static atomic_bool cache_on;
static pthread_key_t exit_key;
/* In a cached block's second word: a block freed again while cached is found by it. */
static uintptr_t cache_key;

static struct slot {
    atomic_uint seq; /* odd while the slot changes */
    atomic_uintptr_t lo;
    atomic_size_t len;
} slots[MK_HEAP_MAX_REGIONS];
static atomic_uint nslots;

static void slot_write(struct slot *s, uintptr_t lo, size_t len)
{
    unsigned seq = atomic_load_explicit(&s->seq, memory_order_relaxed);
    atomic_store_explicit(&s->seq, seq + 1u, memory_order_relaxed);
    atomic_thread_fence(memory_order_release);
    atomic_store_explicit(&s->lo, lo, memory_order_relaxed);
    atomic_store_explicit(&s->len, len, memory_order_relaxed);
    atomic_store_explicit(&s->seq, seq + 2u, memory_order_release);
}

void mk__host_publish(void *mem, size_t len)
{
    unsigned n = atomic_load_explicit(&nslots, memory_order_relaxed);
    unsigned i = 0;
    while (i < n && atomic_load_explicit(&slots[i].lo, memory_order_relaxed) != 0)
        i++;
    slot_write(&slots[i], (uintptr_t)mem, len);
    if (i == n)
        atomic_store_explicit(&nslots, n + 1u, memory_order_release);
}

size_t mk__host_mapped_len(const void *mem)
{
    unsigned n = atomic_load_explicit(&nslots, memory_order_relaxed);
    for (unsigned i = 0; i < n; i++)
        if (atomic_load_explicit(&slots[i].lo, memory_order_relaxed) == (uintptr_t)mem)
            return atomic_load_explicit(&slots[i].len, memory_order_relaxed);
    return 0;
}

void mk__host_unpublish(void *mem)
{
    unsigned n = atomic_load_explicit(&nslots, memory_order_relaxed);
    for (unsigned i = 0; i < n; i++)
        if (atomic_load_explicit(&slots[i].lo, memory_order_relaxed) == (uintptr_t)mem)
            slot_write(&slots[i], 0, 0);
}

/* Start of the published region holding address a, or 0. */
static uintptr_t region_holding(uintptr_t a, size_t *len)
{
    unsigned n = atomic_load_explicit(&nslots, memory_order_acquire);
    for (unsigned i = 0; i < n; i++) {
        struct slot *s = &slots[i];
        unsigned seq = atomic_load_explicit(&s->seq, memory_order_acquire);
        uintptr_t lo = atomic_load_explicit(&s->lo, memory_order_relaxed);
        size_t l = atomic_load_explicit(&s->len, memory_order_relaxed);
        atomic_thread_fence(memory_order_acquire);
        if (atomic_load_explicit(&s->seq, memory_order_relaxed) == seq && !(seq & 1u) &&
            lo && a - lo < l) {
            *len = l;
            return lo;
        }
    }
    return 0;
}

/* A header word of a block the caller holds. Another thread may change the word's flag
 * bits under the heap lock (when this block's neighbour is freed or allocated) while
 * this reads it; an aligned 32-bit load is never torn, and the size bits and the
 * canary's check tolerate it: a canary read between the two writes fails and the free
 * takes the locked path. So the race is benign, and hidden from ThreadSanitizer. */
__attribute__((no_sanitize("thread"))) static uint32_t peek(uintptr_t addr)
{
    return *(const volatile uint32_t *)addr;
}

/* The size word before payload address a when a lies where a block of a published
 * region may start (setting *lo and *len to the region's), else 0. Without the lock: a
 * hint to be checked, not a fact. */
static uint32_t size_word_at(uintptr_t a, uintptr_t *lo, size_t *len)
{
    *lo = region_holding(a, len);
    if (!*lo || (a & (MK__G - 1u)) || a - *lo < sizeof(mk__heap_region) + MK__HDR ||
        a - *lo > *len - MK__MIN_BLOCK)
        return 0;
    return peek(a - 4u);
}

/* Whether the block whose payload is at a, with size word `word`, has the marks of a live
 * block the caller may free: the heap's own check (docs/internals.md), made without its
 * lock. Any doubt, such as a neighbour's header changing while this reads it, says no. */
static bool looks_live(uintptr_t a, uintptr_t lo, size_t len, uint32_t word)
{
    uint32_t b = (uint32_t)(a - lo) - MK__HDR;
    uint32_t size = word & ~MK__FLAGS;
    if (!(word & MK__USED) || size < MK__MIN_BLOCK || (size & (MK__G - 1u)) ||
        (size_t)b + size + MK__HDR > len)
        return false;
#if MK_CHECKED
    uint32_t next = b + size;
    return peek(a - MK__HDR) == mk__canary_for(b, word) &&
           peek(lo + next) == mk__canary_for(next, peek(lo + next + MK__HDR - 4u));
#else
    return true;
#endif
}

/* Block size of the live small block whose payload is at a, or 0 when a is not one. */
static uint32_t live_small_block(uintptr_t a, uintptr_t lo, size_t len, uint32_t word)
{
    uint32_t b = (uint32_t)(a - lo) - MK__HDR;
    uint32_t size = word & ~MK__FLAGS;
    if (!(word & MK__USED) || size > CACHE_MAX_BLOCK || size < MK__MIN_BLOCK ||
        (size & (MK__G - 1u)) || (size_t)b + size > len)
        return 0;
#if MK_CHECKED
    if (peek(a - MK__HDR) != mk__canary_for(b, word))
        return 0;
#endif
    /* A block with a free neighbour goes back to the heap, which merges it: caching it
     * would keep the heap from rebuilding large free blocks, and cost memory. */
    if (!(word & MK__PREV_USED) || !(peek(a + size - 4u) & MK__USED))
        return 0;
    return size;
}

static void flush(cache *c)
{
    for (unsigned k = 0; k < CACHE_CLASSES; k++) {
        while (c->head[k]) {
            void **p = c->head[k];
            c->head[k] = p[0];
            mk_global_free(p);
        }
        c->count[k] = 0;
    }
}

static void flush_at_thread_exit(void *c)
{
    flush(c);
}

void mk__host_cache_setup(bool on)
{
    cache_key = (uintptr_t)&tc ^ (uintptr_t)0x9e3779b97f4a7c15u;
    if (on && pthread_key_create(&exit_key, flush_at_thread_exit) == 0)
        atomic_store_explicit(&cache_on, true, memory_order_release);
}

void mk_host_cache_flush(void)
{
    flush(&tc);
}

/* Apart from the cached path, so that the compiler keeps that one free of a stack frame. */
__attribute__((noinline)) static void *malloc_from_heap(size_t size)
{
    mk_host_setup();
    return mk_host_note(mk_global_malloc(size), size);
}

void *mk_host_malloc(size_t size)
{
    if (size <= CACHE_MAX_REQUEST) {
        uint32_t k = mk__block_size_for(size) / MK__G;
        void **p = tc.head[k];
        if (p) {
            tc.head[k] = p[0];
            tc.count[k]--;
            p[1] = NULL; /* no longer cached: a free of it must not look for it */
            return p;
        }
    }
    return malloc_from_heap(size);
}

/* True when the block is now cached (or was a repeated free of a cached block, which is
 * reported and ignored). */
static bool cache_put(void *ptr, uintptr_t lo, size_t len, uint32_t word)
{
    if (!atomic_load_explicit(&cache_on, memory_order_relaxed))
        return false;
    uint32_t size = live_small_block((uintptr_t)ptr, lo, len, word);
    uint32_t k = size / MK__G;
    if (!size || tc.count[k] == CACHE_DEPTH)
        return false;
    void **p = ptr;
    if ((uintptr_t)p[1] == cache_key) {
        for (void **q = tc.head[k]; q; q = q[0])
            if (q == p) {
                mk__host_misuse(MK_FAULT_DOUBLE_FREE, ptr);
                return true;
            }
    }
    if (!tc.registered) {
        /* Before the call: pthread_setspecific may allocate, and so come back here. */
        tc.registered = true;
        pthread_setspecific(exit_key, &tc);
    }
    p[0] = tc.head[k];
    p[1] = (void *)cache_key;
    tc.head[k] = p;
    tc.count[k]++;
    return true;
}

void mk_host_free(void *ptr)
{
    if (!ptr)
        return;
    uintptr_t lo;
    size_t len = 0; /* set only when ptr lies in a published region, else unread */
    uint32_t word = size_word_at((uintptr_t)ptr, &lo, &len);
    if (cache_put(ptr, lo, len, word))
        return;
    /* A large block's pages may go back first, while it is still the caller's. */
    if ((word & ~MK__FLAGS) >= MK_HOST_RELEASE_MIN + MK__HDR &&
        looks_live((uintptr_t)ptr, lo, len, word))
        mk__host_release(ptr, (word & ~MK__FLAGS) - MK__HDR);
    mk_global_free(ptr);
}
