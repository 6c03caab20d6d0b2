/*
 * mk_allocator: the two-word handle every memkit component speaks, so that code need not
 * care where its memory comes from.
 *
 * Contents
 *   mk_allocator_vtable / mk_allocator ... the interface
 *   mk_alloc, mk_free, mk_alloc_zeroed,
 *   mk_resize, mk_remap .................. calls through a handle
 *   MK_NEW, MK_NEW_ARRAY .................. typed, overflow-checked helpers
 *   adapters .............................. heap, system (hosted builds only), null
 *   mk_fallback ........................... try A, then B
 *   mk_failing ............................ fault injection for tests
 *
 * Contract of every allocator:
 *   - alloc(size, align): align is 0 (meaning MK_ALIGN) or a power of two; returns
 *     memory aligned to it, or NULL. size 0 returns a valid pointer (or NULL when out of
 *     memory), which is freed like any other.
 *   - free(ptr, size, align): ptr came from this allocator with this size and align
 *     (sized free: pools and arenas need no headers). free(NULL, ...) does nothing.
 *   - resize(ptr, old, new, align): in place or not at all; false leaves the block as is.
 *   - remap(ptr, old, new, align): like realloc; may move; NULL leaves the block as is.
 *   - owns(ptr): whether ptr lies in memory this allocator manages (fallback needs it).
 * Optional members (resize, remap, owns) may be NULL; the helpers below supply defaults.
 */
#ifndef MEMKIT_ALLOC_H
#define MEMKIT_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memkit/config.h"
#include "memkit/err.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mk_allocator_vtable {
    void *(*alloc)(void *ctx, size_t size, size_t align);
    void (*free)(void *ctx, void *ptr, size_t size, size_t align);
    bool (*resize)(void *ctx, void *ptr, size_t old_size, size_t new_size, size_t align);
    void *(*remap)(void *ctx, void *ptr, size_t old_size, size_t new_size, size_t align);
    bool (*owns)(void *ctx, const void *ptr);
} mk_allocator_vtable;

/* A handle: pass it by value. */
typedef struct mk_allocator {
    void *ctx;
    const mk_allocator_vtable *vt;
} mk_allocator;

/* Allocates size bytes aligned to align (0: MK_ALIGN). NULL on failure. O(allocator). */
static inline void *mk_alloc(mk_allocator a, size_t size, size_t align)
{
    return a.vt->alloc(a.ctx, size, align);
}

/* Returns ptr (from mk_alloc with the same size and align) to its allocator; NULL does
 * nothing. O(allocator). */
static inline void mk_free(mk_allocator a, void *ptr, size_t size, size_t align)
{
    if (ptr)
        a.vt->free(a.ctx, ptr, size, align);
}

/* Changes the size of ptr without moving it. false (block unchanged) when the allocator
 * cannot, or has no resize. O(allocator). */
static inline bool mk_resize(mk_allocator a, void *ptr, size_t old_size, size_t new_size,
                             size_t align)
{
    return a.vt->resize && a.vt->resize(a.ctx, ptr, old_size, new_size, align);
}

/* True when ptr lies in memory the allocator manages; false when it cannot tell. */
static inline bool mk_owns(mk_allocator a, const void *ptr)
{
    return a.vt->owns && a.vt->owns(a.ctx, ptr);
}

/* As mk_alloc, with the bytes set to zero. NULL on failure. O(size). */
void *mk_alloc_zeroed(mk_allocator a, size_t size, size_t align);

/* realloc through the handle: resizes in place if it can, else allocates, copies
 * min(old, new) bytes and frees. ptr NULL allocates; new_size 0 frees and returns NULL.
 * NULL on failure, the block unchanged. O(size) when it moves. */
void *mk_remap(mk_allocator a, void *ptr, size_t old_size, size_t new_size, size_t align);

/* Allocates n elements of elem_size bytes, zeroed; NULL if n * elem_size overflows or on
 * failure. O(n * elem_size). */
void *mk_alloc_array(mk_allocator a, size_t n, size_t elem_size, size_t align);

/* One zeroed T, or NULL. */
#define MK_NEW(a, T) ((T *)mk_alloc_zeroed((a), sizeof(T), _Alignof(T)))
/* n zeroed Ts, or NULL (also when n * sizeof(T) overflows). */
#define MK_NEW_ARRAY(a, T, n) ((T *)mk_alloc_array((a), (n), sizeof(T), _Alignof(T)))

/* ---- adapters ---------------------------------------------------------------------- */

struct mk_heap;
/* An mk_heap as an allocator (sizes are ignored on free; resize is in-place realloc;
 * owns checks the regions). The heap must outlive the handle. O(1). */
mk_allocator mk_heap_allocator(struct mk_heap *heap);

/* An allocator that always fails: hand it to a component to prove it never allocates. */
mk_allocator mk_null_allocator(void);

#if !defined(MK_FREESTANDING) && defined(__STDC_HOSTED__) && __STDC_HOSTED__
/* The C library's aligned_alloc/free/realloc. Absent from freestanding builds (and when
 * MK_FREESTANDING is defined). owns is unknown (false). */
mk_allocator mk_system_allocator(void);
#endif

/* ---- fallback: try primary, then secondary ------------------------------------------ */

/* primary must implement owns, so that free and remap can route a pointer back. */
typedef struct mk_fallback {
    mk_allocator primary;
    mk_allocator secondary;
} mk_fallback;

/* A handle over fb (which must outlive it). Allocation tries primary then secondary;
 * free/resize/remap go to primary when it owns the pointer, else to secondary. O(1) +
 * the allocators' own cost. */
mk_allocator mk_fallback_allocator(mk_fallback *fb);

/* ---- fault injection ---------------------------------------------------------------- */

typedef enum mk_failing_mode {
    MK_FAIL_NONE,    /* pass everything through (counting) */
    MK_FAIL_NTH,     /* fail only allocation number n (1-based) */
    MK_FAIL_AFTER    /* fail every allocation after the first n */
} mk_failing_mode;

/* Wraps an allocator, failing chosen allocations, and counts what is live so a test can
 * prove nothing leaked. Fields are readable; set them with mk_failing_init. */
typedef struct mk_failing {
    mk_allocator inner;
    mk_failing_mode mode;
    size_t n;
    size_t attempts;    /* allocation attempts so far (alloc and growing remaps) */
    size_t failures;    /* attempts refused */
    size_t live_blocks; /* allocated and not yet freed */
    size_t live_bytes;
} mk_failing;

/* Resets f to wrap inner with the given mode and n. O(1). */
void mk_failing_init(mk_failing *f, mk_allocator inner, mk_failing_mode mode, size_t n);

/* A handle over f (which must outlive it). */
mk_allocator mk_failing_allocator(mk_failing *f);

#ifdef __cplusplus
}
#endif

#endif /* MEMKIT_ALLOC_H */
