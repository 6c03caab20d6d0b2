#include "memkit/container.h"

mk_err mk_container_check_buffer(void *buf, size_t cap, size_t esize)
{
    if (!buf && cap > 0)
        return MK_EINVAL;
    if (esize == 0 || cap > MK__MAX_ELEMS(esize))
        return MK_ERANGE;
    /* Compared as integers: forming a pointer past the address space would itself be
     * undefined. */
    if (cap * esize > UINTPTR_MAX - (uintptr_t)buf)
        return MK_ERANGE;
    return MK_OK;
}
