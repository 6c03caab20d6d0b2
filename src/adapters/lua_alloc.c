/* lua_Alloc over an mk_allocator. Not a core source: useful only beside Lua. */
#include "memkit/lua_alloc.h"

#include "memkit/alloc.h"

void *mk_lua_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    mk_allocator a = *(const mk_allocator *)ud;
    if (!ptr)
        osize = 0; /* a type tag, not a size */
    /* Lua frees NULL too (empty arrays), which mk_remap would treat as an allocation. */
    if (nsize == 0) {
        mk_free(a, ptr, osize, 0);
        return NULL;
    }
    return mk_remap(a, ptr, osize, nsize, 0);
}
