/*
 * The global allocator: the malloc family's logic over one mk_heap, freestanding. The C
 * names live in the fronts (newlib.c, host_names.c), which only translate errors.
 *
 * Hosted builds (the preload library) define MK_GLOBAL_HOSTED=1 so that calloc and
 * realloc zero and copy with the C library's vectorised memset/memcpy: the core's byte
 * loops would make every large realloc several times slower than glibc's.
 */
#include "memkit/global.h"

#include "internal/bits.h"

#if defined(MK_GLOBAL_HOSTED) && MK_GLOBAL_HOSTED
#include <string.h>
#define global_copy memcpy
#define global_zero(p, n) memset((p), 0, (n))
#else
#include "internal/mem.h"
#define global_copy mk__copy
#define global_zero mk__zero
#endif

static mk_heap heap; /* zero-initialised: an empty heap, valid before mk_global_init */
static mk_global_grow_fn grow_fn;
static mk_global_move_fn move_fn;

void mk_global_init(void)
{
    mk_heap_init(&heap);
    grow_fn = NULL;
    move_fn = NULL;
}

mk_err mk_global_add_region(void *mem, size_t size, uint32_t caps)
{
    return mk_heap_add_region(&heap, mem, size, caps);
}

void mk_global_set_hooks(const mk_heap_hooks *hooks)
{
    mk_heap_set_hooks(&heap, hooks);
}

void mk_global_set_grow(mk_global_grow_fn grow)
{
    grow_fn = grow;
}

void mk_global_set_move(mk_global_move_fn move)
{
    move_fn = move;
}

mk_heap *mk_global_heap(void)
{
    return &heap;
}

/* The grow function gets one chance per request: a second failure is final, so a grow
 * function that adds too little cannot loop forever. */
static void *alloc_or_grow(size_t size, size_t align, uint32_t caps)
{
    void *p = mk_heap_alloc_caps(&heap, size, align, caps);
    if (!p && grow_fn && grow_fn(size, align ? align : MK_ALIGN, caps))
        p = mk_heap_alloc_caps(&heap, size, align, caps);
    return p;
}

void *mk_global_malloc(size_t size)
{
    /* The plain entry point skips the alignment and caps arguments on the fast path. */
    void *p = mk_heap_alloc(&heap, size);
    return p ? p : alloc_or_grow(size, 0, 0);
}

void mk_global_free(void *ptr)
{
    mk_heap_free(&heap, ptr);
}

void *mk_global_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    void *p = mk_global_malloc(n * size);
    if (p)
        global_zero(p, n * size);
    return p;
}

void *mk_global_realloc(void *ptr, size_t size)
{
    if (!ptr)
        return mk_global_malloc(size);
    if (size == 0) {
        mk_global_free(ptr);
        return NULL;
    }
    /* Asking the size first validates the pointer (a bad one is reported once, here). */
    size_t have = mk_heap_usable_size(&heap, ptr);
    if (have == 0)
        return NULL;
    if (mk_heap_resize(&heap, ptr, size))
        return ptr;
    void *moved = mk_global_malloc(size);
    if (!moved)
        return NULL;
    size_t n = have < size ? have : size;
    if (move_fn)
        move_fn(moved, ptr, n, have); /* ptr is still ours: no other thread has it yet */
    else
        global_copy(moved, ptr, n);
    mk_heap_free(&heap, ptr);
    return moved;
}

mk_err mk_global_memalign(void **out, size_t align, size_t size)
{
    if (!out || (align != 0 && (!mk__is_pow2(align) || align > ((size_t)1 << 30))))
        return MK_EINVAL;
    void *p = alloc_or_grow(size, align, 0);
    if (!p)
        return MK_ENOMEM;
    *out = p;
    return MK_OK;
}

size_t mk_global_usable_size(const void *ptr)
{
    return mk_heap_usable_size(&heap, ptr);
}

void *mk_malloc_caps(size_t size, uint32_t caps)
{
    return alloc_or_grow(size, 0, caps);
}

void *mk_malloc_prefer(size_t size, size_t n, const uint32_t *caps)
{
    if (n == 0 || !caps)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        void *p = mk_heap_alloc_caps(&heap, size, 0, caps[i]);
        if (p)
            return p;
    }
    if (grow_fn && grow_fn(size, MK_ALIGN, caps[0]))
        return mk_heap_alloc_caps(&heap, size, 0, caps[0]);
    return NULL;
}
