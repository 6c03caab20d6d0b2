/*
 * The C library's allocation names on the host, over the global heap: built into
 * libmemkit-malloc.so (LD_PRELOAD) and libmemkit-malloc.a (linked into a program). The
 * logic is mk_global_*'s; this file sets the heap up on first use and translates
 * failures into errno values. Each function keeps glibc's contract, except that
 * memalign and valloc reject an alignment that is not a power of two (EINVAL) where
 * glibc rounds it up.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "malloc/host.h"
#include "memkit/global.h"

/* The library is built with hidden visibility; only these names are its interface. */
#define EXPORT __attribute__((visibility("default")))

static void *or_enomem(void *p)
{
    if (!p)
        errno = ENOMEM;
    return p;
}

static int errno_of(mk_err err)
{
    return err == MK_OK ? 0 : err == MK_EINVAL ? EINVAL : ENOMEM;
}

EXPORT void *malloc(size_t size)
{
    return or_enomem(mk_host_malloc(size)); /* which tells the release rules */
}

EXPORT void free(void *ptr)
{
    mk_host_free(ptr);
}

EXPORT void *calloc(size_t n, size_t size)
{
    mk_host_setup();
    void *p = mk_global_calloc(n, size);
    return or_enomem(mk_host_note(p, p ? n * size : 0));
}

EXPORT void *realloc(void *ptr, size_t size)
{
    mk_host_setup();
    void *p = mk_global_realloc(ptr, size);
    if (!p && size)
        errno = ENOMEM;
    return mk_host_note(p, size);
}

EXPORT void *reallocarray(void *ptr, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(ptr, n * size);
}

EXPORT int posix_memalign(void **out, size_t align, size_t size)
{
    if (align == 0 || align % sizeof(void *) != 0)
        return EINVAL;
    mk_host_setup();
    mk_err err = mk_global_memalign(out, align, size);
    if (err == MK_OK)
        mk_host_note(*out, size);
    return errno_of(err);
}

EXPORT void *aligned_alloc(size_t align, size_t size)
{
    mk_host_setup();
    void *p = NULL;
    mk_err err = mk_global_memalign(&p, align, size);
    if (err != MK_OK)
        errno = errno_of(err);
    return mk_host_note(p, size);
}

EXPORT void *memalign(size_t align, size_t size)
{
    return aligned_alloc(align, size);
}

EXPORT void *valloc(size_t size)
{
    return aligned_alloc((size_t)sysconf(_SC_PAGESIZE), size);
}

EXPORT void *pvalloc(size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    if (size > SIZE_MAX - page) {
        errno = ENOMEM;
        return NULL;
    }
    return aligned_alloc(page, (size + page - 1) & ~(page - 1));
}

EXPORT size_t malloc_usable_size(void *ptr)
{
    return mk_global_usable_size(ptr);
}

/* C23's sized frees: the heap knows each block's size, so the hint is not needed. */
EXPORT void free_sized(void *ptr, size_t size)
{
    (void)size;
    mk_host_free(ptr);
}

EXPORT void free_aligned_sized(void *ptr, size_t align, size_t size)
{
    (void)align;
    (void)size;
    mk_host_free(ptr);
}

/* Gives the pages inside free blocks back to the OS; returns 1 when any were, as glibc
 * does. pad (what glibc keeps at the top of its heap) has no meaning here. */
EXPORT int malloc_trim(size_t pad)
{
    (void)pad;
    mk_host_setup();
    return mk_host_trim() > 0;
}

EXPORT void malloc_stats(void)
{
    mk_host_setup();
    mk_host_print_stats();
}

/* glibc's malloc_info writes XML; this writes the same kind of document with memkit's
 * figures. options must be 0. */
EXPORT int malloc_info(int options, FILE *fp)
{
    if (options != 0 || !fp) {
        errno = EINVAL;
        return -1;
    }
    mk_host_setup();
    mk_heap_stats s;
    mk_heap_get_stats(mk_global_heap(), 0, &s);
    int n = fprintf(fp,
                    "<malloc version=\"memkit-1\">\n"
                    "<total type=\"mapped\" size=\"%zu\"/>\n"
                    "<total type=\"used\" count=\"%zu\" size=\"%zu\"/>\n"
                    "<total type=\"peak\" size=\"%zu\"/>\n"
                    "<total type=\"free\" count=\"%zu\" size=\"%zu\" largest=\"%zu\"/>\n"
                    "<system type=\"regions\" count=\"%u\"/>\n"
                    "</malloc>\n",
                    s.total_bytes, s.used_blocks, s.used_bytes, s.peak_used_bytes,
                    s.free_blocks, s.free_bytes, s.largest_free_block, s.regions);
    return n < 0 ? -1 : 0;
}
