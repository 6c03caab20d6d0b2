/*
 * The firmware front: the C allocation names for newlib (and newlib-nano), over the
 * global heap. Both the plain names and newlib's reentrant ones are defined, so that
 * newlib's own allocations (stdio buffers, printf of floats, the reentrancy structs)
 * land in memkit and newlib's allocator is never linked. Thread and interrupt safety
 * come from the global heap's lock hooks (mk_global_set_hooks): a critical section on a
 * bare-metal target, an RTOS mutex under an RTOS. Newlib's __malloc_lock is then unused.
 *
 * Configure the global heap before the first allocation, which may be newlib's own
 * start-up code (opening the semihosting handles allocates): until a region is added
 * every allocation fails with ENOMEM, and stdio set up then is left broken.
 */
#include <errno.h>
#include <malloc.h>
#include <reent.h>
#include <stdint.h>
#include <stdlib.h>

#include "memkit/global.h"

/* newlib's reentrant calls report errors in the reent structure they are given. */
static void *or_enomem(struct _reent *r, void *p)
{
    if (!p)
        r->_errno = ENOMEM;
    return p;
}

void *_malloc_r(struct _reent *r, size_t size)
{
    return or_enomem(r, mk_global_malloc(size));
}

void _free_r(struct _reent *r, void *ptr)
{
    (void)r;
    mk_global_free(ptr);
}

void *_calloc_r(struct _reent *r, size_t n, size_t size)
{
    return or_enomem(r, mk_global_calloc(n, size));
}

void *_realloc_r(struct _reent *r, void *ptr, size_t size)
{
    void *p = mk_global_realloc(ptr, size);
    if (!p && size)
        r->_errno = ENOMEM;
    return p;
}

void *_memalign_r(struct _reent *r, size_t align, size_t size)
{
    void *p = NULL;
    mk_err err = mk_global_memalign(&p, align, size);
    if (err != MK_OK)
        r->_errno = err == MK_EINVAL ? EINVAL : ENOMEM;
    return p;
}

size_t _malloc_usable_size_r(struct _reent *r, void *ptr)
{
    (void)r;
    return mk_global_usable_size(ptr);
}

void *malloc(size_t size)
{
    return _malloc_r(_REENT, size);
}

void free(void *ptr)
{
    mk_global_free(ptr);
}

void *calloc(size_t n, size_t size)
{
    return _calloc_r(_REENT, n, size);
}

void *realloc(void *ptr, size_t size)
{
    return _realloc_r(_REENT, ptr, size);
}

void *memalign(size_t align, size_t size)
{
    return _memalign_r(_REENT, align, size);
}

void *aligned_alloc(size_t align, size_t size)
{
    return _memalign_r(_REENT, align, size);
}

int posix_memalign(void **out, size_t align, size_t size)
{
    if (align == 0 || align % sizeof(void *) != 0)
        return EINVAL;
    mk_err err = mk_global_memalign(out, align, size);
    return err == MK_OK ? 0 : err == MK_EINVAL ? EINVAL : ENOMEM;
}

size_t malloc_usable_size(void *ptr)
{
    return mk_global_usable_size(ptr);
}
