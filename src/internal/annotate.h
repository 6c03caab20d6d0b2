/*
 * Telling memory checkers what memkit's allocators do (MK_ASAN, MK_VALGRIND). Private.
 *
 * A memory checker knows malloc's blocks but not memkit's: to it a heap region is one
 * static array. With MK_ASAN=1 (AddressSanitizer builds) the allocators poison memory no
 * caller may touch and unpoison what they hand out; with MK_VALGRIND=1 they describe
 * their blocks to memcheck with client requests (<valgrind/memcheck.h>), so it also
 * reports leaks of heap and pool blocks. Either way a caller's overflow past its request,
 * use after free or (Valgrind) leak inside memkit memory is reported like one in malloc
 * memory. Without either option every function here is empty.
 *
 * The allocators keep metadata inside the memory they manage (headers, free-list links,
 * footers); each write of it goes through mk__an_meta first, which makes just those
 * bytes accessible again, so checking never trips over the allocator's own accesses.
 * AddressSanitizer tracks 8-byte granules and can only make a granule's first bytes
 * accessible, so up to 7 bytes next to metadata stay unguarded.
 */
#ifndef MEMKIT_INTERNAL_ANNOTATE_H
#define MEMKIT_INTERNAL_ANNOTATE_H

#include <stddef.h>

#include "memkit/config.h"

#if MK_ASAN
#include <sanitizer/asan_interface.h>
#define MK__AN_CLOSE(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define MK__AN_OPEN(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#define MK__AN_META(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#elif MK_VALGRIND
#include <valgrind/memcheck.h>
#define MK__AN_CLOSE(p, n) ((void)VALGRIND_MAKE_MEM_NOACCESS((p), (n)))
#define MK__AN_OPEN(p, n) ((void)VALGRIND_MAKE_MEM_UNDEFINED((p), (n)))
#define MK__AN_META(p, n) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (n)))
#else
#define MK__AN_CLOSE(p, n) ((void)(p), (void)(n))
#define MK__AN_OPEN(p, n) ((void)(p), (void)(n))
#define MK__AN_META(p, n) ((void)(p), (void)(n))
#endif

/* Memory nobody may touch until it is opened again (free space, released arena bytes). */
static inline void mk__an_close(const void *p, size_t n) { MK__AN_CLOSE(p, n); }

/* Memory a caller may use; its contents are undefined (an arena allocation). */
static inline void mk__an_open(const void *p, size_t n) { MK__AN_OPEN(p, n); }

/* Allocator metadata about to be written inside closed memory. */
static inline void mk__an_meta(const void *p, size_t n) { MK__AN_META(p, n); }

/* A block of n bytes handed out at p, from `room` bytes the allocator owns there (n <=
 * room): the rest of the room stays closed. Valgrind records it as a heap block. */
static inline void mk__an_block_alloc(const void *p, size_t n, size_t room)
{
    MK__AN_CLOSE(p, room);
#if MK_VALGRIND && !MK_ASAN
    VALGRIND_MALLOCLIKE_BLOCK(p, n, 0, 0);
#else
    MK__AN_OPEN(p, n);
#endif
}

/* The block at p is free again; `room` bytes there close. */
static inline void mk__an_block_free(const void *p, size_t room)
{
#if MK_VALGRIND && !MK_ASAN
    VALGRIND_FREELIKE_BLOCK(p, 0);
#endif
    MK__AN_CLOSE(p, room);
}

/* The block at p now holds n bytes of its `room`, in place; its first `keep` bytes
 * carry over (they count as defined: the allocator cannot know which of them the caller
 * ever wrote). */
static inline void mk__an_block_resize(const void *p, size_t keep, size_t n, size_t room)
{
    mk__an_block_free(p, room);
    mk__an_block_alloc(p, n, room);
#if MK_VALGRIND && !MK_ASAN
    (void)VALGRIND_MAKE_MEM_DEFINED(p, keep);
#else
    (void)keep;
#endif
}

#endif
