/*
 * mk_allocator helpers and the adapters that need no component of their own: the heap,
 * the C library (hosted builds), the null allocator, fallback and fault injection.
 */
#include "memkit/alloc.h"

#include "internal/bits.h"
#include "internal/heap_layout.h"
#include "internal/mem.h"

void *mk_alloc_zeroed(mk_allocator a, size_t size, size_t align)
{
    void *p = mk_alloc(a, size, align);
    if (p)
        mk__zero(p, size);
    return p;
}

void *mk_alloc_array(mk_allocator a, size_t n, size_t elem_size, size_t align)
{
    if (elem_size && n > SIZE_MAX / elem_size)
        return NULL;
    return mk_alloc_zeroed(a, n * elem_size, align);
}

/* realloc from the parts: in place if the allocator can, else allocate, copy, free. */
static void *remap_by_copy(mk_allocator a, void *ptr, size_t old_size, size_t new_size,
                           size_t align)
{
    if (mk_resize(a, ptr, old_size, new_size, align))
        return ptr;
    void *q = mk_alloc(a, new_size, align);
    if (!q)
        return NULL;
    mk__copy(q, ptr, old_size < new_size ? old_size : new_size);
    mk_free(a, ptr, old_size, align);
    return q;
}

void *mk_remap(mk_allocator a, void *ptr, size_t old_size, size_t new_size, size_t align)
{
    if (!ptr)
        return mk_alloc(a, new_size, align);
    if (new_size == 0) {
        mk_free(a, ptr, old_size, align);
        return NULL;
    }
    if (a.vt->remap)
        return a.vt->remap(a.ctx, ptr, old_size, new_size, align);
    return remap_by_copy(a, ptr, old_size, new_size, align);
}

/* ---- heap ------------------------------------------------------------------------- */

static void *heap_alloc(void *ctx, size_t size, size_t align)
{
    return mk_heap_alloc_aligned(ctx, size, align);
}
static void heap_free(void *ctx, void *ptr, size_t size, size_t align)
{
    (void)size;
    (void)align;
    mk_heap_free(ctx, ptr);
}
static bool heap_resize(void *ctx, void *ptr, size_t old_size, size_t new_size, size_t align)
{
    (void)old_size;
    (void)align;
    return mk_heap_resize(ctx, ptr, new_size);
}
static void *heap_remap(void *ctx, void *ptr, size_t old_size, size_t new_size, size_t align)
{
    /* mk_heap_realloc keeps only the default alignment when it moves a block. */
    if (align <= MK_ALIGN)
        return mk_heap_realloc(ctx, ptr, new_size);
    mk_allocator self = mk_heap_allocator(ctx);
    return remap_by_copy(self, ptr, old_size, new_size, align);
}
static bool heap_owns(void *ctx, const void *ptr)
{
    return mk__region_of(ctx, ptr, NULL) != NULL;
}

mk_allocator mk_heap_allocator(struct mk_heap *heap)
{
    static const mk_allocator_vtable vt = { heap_alloc, heap_free, heap_resize, heap_remap,
                                            heap_owns };
    return (mk_allocator){ heap, &vt };
}

/* ---- null ------------------------------------------------------------------------- */

static void *null_alloc(void *ctx, size_t size, size_t align)
{
    (void)ctx;
    (void)size;
    (void)align;
    return NULL;
}
static void null_free(void *ctx, void *ptr, size_t size, size_t align)
{
    (void)ctx;
    (void)ptr;
    (void)size;
    (void)align;
}

mk_allocator mk_null_allocator(void)
{
    static const mk_allocator_vtable vt = { null_alloc, null_free, NULL, NULL, NULL };
    return (mk_allocator){ NULL, &vt };
}

/* ---- system (hosted builds only) --------------------------------------------------- */

#if !defined(MK_FREESTANDING) && defined(__STDC_HOSTED__) && __STDC_HOSTED__
#include <stdlib.h>

static void *system_alloc(void *ctx, size_t size, size_t align)
{
    (void)ctx;
    if (align == 0)
        align = MK_ALIGN;
    if (!mk__is_pow2(align))
        return NULL;
    if (align <= _Alignof(max_align_t))
        return malloc(size ? size : 1);
    /* C11 aligned_alloc wants the size to be a multiple of the alignment. */
    if (size > SIZE_MAX - (align - 1))
        return NULL;
    return aligned_alloc(align, size ? (size + align - 1) & ~(align - 1) : align);
}
static void system_free(void *ctx, void *ptr, size_t size, size_t align)
{
    (void)ctx;
    (void)size;
    (void)align;
    free(ptr);
}
static void *system_remap(void *ctx, void *ptr, size_t old_size, size_t new_size, size_t align)
{
    (void)ctx;
    if (align <= _Alignof(max_align_t))
        return realloc(ptr, new_size);
    return remap_by_copy(mk_system_allocator(), ptr, old_size, new_size, align);
}

mk_allocator mk_system_allocator(void)
{
    static const mk_allocator_vtable vt = { system_alloc, system_free, NULL, system_remap,
                                            NULL };
    return (mk_allocator){ NULL, &vt };
}
#endif

/* ---- fallback ---------------------------------------------------------------------- */

static void *fallback_alloc(void *ctx, size_t size, size_t align)
{
    mk_fallback *fb = ctx;
    void *p = mk_alloc(fb->primary, size, align);
    return p ? p : mk_alloc(fb->secondary, size, align);
}
static mk_allocator fallback_owner(const mk_fallback *fb, const void *ptr)
{
    return mk_owns(fb->primary, ptr) ? fb->primary : fb->secondary;
}
static void fallback_free(void *ctx, void *ptr, size_t size, size_t align)
{
    mk_free(fallback_owner(ctx, ptr), ptr, size, align);
}
static bool fallback_resize(void *ctx, void *ptr, size_t old_size, size_t new_size,
                            size_t align)
{
    return mk_resize(fallback_owner(ctx, ptr), ptr, old_size, new_size, align);
}
static void *fallback_remap(void *ctx, void *ptr, size_t old_size, size_t new_size,
                            size_t align)
{
    mk_fallback *fb = ctx;
    mk_allocator owner = fallback_owner(fb, ptr);
    void *q = mk_remap(owner, ptr, old_size, new_size, align);
    if (q || new_size <= old_size)
        return q;
    /* The owner is full: move the block to whichever allocator has room. */
    q = fallback_alloc(fb, new_size, align);
    if (!q)
        return NULL;
    mk__copy(q, ptr, old_size);
    mk_free(owner, ptr, old_size, align);
    return q;
}
static bool fallback_owns(void *ctx, const void *ptr)
{
    mk_fallback *fb = ctx;
    return mk_owns(fb->primary, ptr) || mk_owns(fb->secondary, ptr);
}

mk_allocator mk_fallback_allocator(mk_fallback *fb)
{
    static const mk_allocator_vtable vt = { fallback_alloc, fallback_free, fallback_resize,
                                            fallback_remap, fallback_owns };
    return (mk_allocator){ fb, &vt };
}

/* ---- fault injection --------------------------------------------------------------- */

/* Counts an allocation attempt and says whether to refuse it. */
static bool failing_refuses(mk_failing *f)
{
    f->attempts++;
    bool refuse = (f->mode == MK_FAIL_NTH && f->attempts == f->n) ||
                  (f->mode == MK_FAIL_AFTER && f->attempts > f->n);
    f->failures += refuse;
    return refuse;
}
static void *failing_alloc(void *ctx, size_t size, size_t align)
{
    mk_failing *f = ctx;
    if (failing_refuses(f))
        return NULL;
    void *p = mk_alloc(f->inner, size, align);
    if (p) {
        f->live_blocks++;
        f->live_bytes += size;
    }
    return p;
}
static void failing_free(void *ctx, void *ptr, size_t size, size_t align)
{
    mk_failing *f = ctx;
    f->live_blocks--;
    f->live_bytes -= size;
    mk_free(f->inner, ptr, size, align);
}
static bool failing_resize(void *ctx, void *ptr, size_t old_size, size_t new_size,
                           size_t align)
{
    mk_failing *f = ctx;
    if (!mk_resize(f->inner, ptr, old_size, new_size, align))
        return false;
    f->live_bytes = f->live_bytes - old_size + new_size;
    return true;
}
static void *failing_remap(void *ctx, void *ptr, size_t old_size, size_t new_size,
                           size_t align)
{
    mk_failing *f = ctx;
    /* Only growth can fail for lack of memory, so only growth is an attempt. */
    if (new_size > old_size && failing_refuses(f))
        return NULL;
    void *q = mk_remap(f->inner, ptr, old_size, new_size, align);
    if (q)
        f->live_bytes = f->live_bytes - old_size + new_size;
    return q;
}
static bool failing_owns(void *ctx, const void *ptr)
{
    mk_failing *f = ctx;
    return mk_owns(f->inner, ptr);
}

void mk_failing_init(mk_failing *f, mk_allocator inner, mk_failing_mode mode, size_t n)
{
    f->inner = inner;
    f->mode = mode;
    f->n = n;
    f->attempts = f->failures = f->live_blocks = f->live_bytes = 0;
}

mk_allocator mk_failing_allocator(mk_failing *f)
{
    static const mk_allocator_vtable vt = { failing_alloc, failing_free, failing_resize,
                                            failing_remap, failing_owns };
    return (mk_allocator){ f, &vt };
}
