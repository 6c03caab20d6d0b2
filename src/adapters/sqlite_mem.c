/* sqlite3_mem_methods over an mk_allocator whose blocks live in one mk_heap. Not a core
 * source: useful only beside SQLite. */
#include "memkit/sqlite_mem.h"

#include <limits.h>
#include <sqlite3.h>

#include "internal/heap_layout.h"

static mk_allocator alloc;
static const mk_heap *heap;

/* The usable size the heap gives a request of n bytes: header plus payload rounded up
 * to the granule, at least the minimum block. */
static size_t usable_for(size_t n)
{
    if (n > (size_t)INT_MAX - 4096)
        return n; /* beyond what SQLite asks; the heap refuses what it cannot give */
    size_t block = (n + MK__HDR + MK__G - 1u) & ~(size_t)(MK__G - 1u);
    return (block < MK__MIN_BLOCK ? MK__MIN_BLOCK : block) - MK__HDR;
}

/* A block can come out larger than asked (a tail too small to split stays with it):
 * tell the allocator the block's real size, so that sized frees of xSize bytes match. */
static void *claim(void *p, size_t asked)
{
    size_t have = p ? mk_heap_usable_size(heap, p) : 0;
    if (p && have != asked)
        (void)mk_resize(alloc, p, asked, have, 0); /* in place by construction */
    return p;
}

static void *x_malloc(int n)
{
    if (n < 0)
        return NULL;
    size_t size = usable_for((size_t)n);
    return claim(mk_alloc(alloc, size, 0), size);
}

static void x_free(void *p)
{
    mk_free(alloc, p, mk_heap_usable_size(heap, p), 0);
}

static int x_size(void *p)
{
    return (int)mk_heap_usable_size(heap, p);
}

static void *x_realloc(void *p, int n)
{
    if (n <= 0)
        return NULL; /* SQLite never asks; a size 0 here would free */
    size_t size = usable_for((size_t)n);
    return claim(mk_remap(alloc, p, mk_heap_usable_size(heap, p), size, 0), size);
}

static int x_roundup(int n)
{
    return n < 0 ? n : (int)usable_for((size_t)n);
}

static int x_init(void *app)
{
    (void)app;
    return SQLITE_OK;
}

static void x_shutdown(void *app)
{
    (void)app;
}

void mk_sqlite_mem_methods(mk_allocator a, const mk_heap *h, struct sqlite3_mem_methods *out)
{
    alloc = a;
    heap = h;
    *out = (sqlite3_mem_methods){ x_malloc, x_free, x_realloc, x_size, x_roundup,
                                  x_init, x_shutdown, NULL };
}
