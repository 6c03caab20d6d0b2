/*
 * Lua 5.4 over any memkit allocator: mk_lua_alloc is a lua_Alloc whose user data is a
 * pointer to an mk_allocator (a heap, a failing wrapper for out-of-memory tests, ...).
 *
 *     mk_allocator a = mk_heap_allocator(&heap);
 *     lua_State *L = lua_newstate(mk_lua_alloc, &a);     (a must outlive L)
 *
 * Needs no Lua header: the signature is lua_Alloc's.
 */
#ifndef MEMKIT_LUA_ALLOC_H
#define MEMKIT_LUA_ALLOC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* lua_Alloc's contract: nsize 0 frees ptr (NULL does nothing) and returns NULL;
 * otherwise resizes ptr (NULL: allocates) to nsize bytes, returning NULL on failure with
 * the block unchanged. Lua passes the block's size as osize (or a type tag when ptr is
 * NULL), which the allocator's sized free uses. Shrinking never fails over an mk_heap,
 * as Lua requires. O(1) for the heap, O(nsize) when a block moves. */
void *mk_lua_alloc(void *ud, void *ptr, size_t osize, size_t nsize);

#ifdef __cplusplus
}
#endif

#endif /* MEMKIT_LUA_ALLOC_H */
