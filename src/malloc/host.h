/* The host front's OS layer, shared by host.c and host_names.c. Private. */
#ifndef MEMKIT_MALLOC_HOST_H
#define MEMKIT_MALLOC_HOST_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "memkit/heap.h"

extern atomic_bool mk__host_ready;
void mk__host_setup_slow(void);

/* Sets the global heap up (lock, growth, environment options) unless that is done
 * already; safe from any thread; one load once it is done. */
static inline void mk_host_setup(void)
{
    if (!atomic_load_explicit(&mk__host_ready, memory_order_acquire))
        mk__host_setup_slow();
}

/* malloc and free through the calling thread's cache of small blocks (host_cache.c),
 * else through mk_global_malloc / mk_global_free. Same contracts as those; O(1). */
void *mk_host_malloc(size_t size);
void mk_host_free(void *ptr);

/* Gives the calling thread's cached blocks back to the heap. O(cached blocks). */
void mk_host_cache_flush(void);

/* host.c and host_cache.c to each other: the cache is on unless checked mode or
 * MEMKIT_CACHE=0; the table of mapped regions, which the cache reads without a lock to
 * find pointers in (changed and looked up under the growth lock);
 * misuse found by the cache, reported as the heap's corruption hook reports it. */
void mk__host_cache_setup(bool on);
void mk__host_publish(void *mem, size_t len);
void mk__host_unpublish(void *mem);
size_t mk__host_mapped_len(const void *mem); /* 0: not a published region */
void mk__host_misuse(mk_heap_fault kind, const void *ptr);

/* Freed blocks of at least this many payload bytes may give their whole pages back to
 * the OS before the heap has them (the rules are in host.c, beside worth_releasing). */
#define MK_HOST_RELEASE_MIN ((size_t)48 << 10)

/* Tells the release rules that a block of `size` bytes was just handed out. O(1). */
void mk__host_note_large(size_t size);
static inline void *mk_host_note(void *ptr, size_t size)
{
    if (size >= MK_HOST_RELEASE_MIN && ptr)
        mk__host_note_large(size);
    return ptr;
}

/* For free: ptr, a live block of `usable` payload bytes that the caller still owns and is
 * about to free, gives its whole pages back to the OS when the rules say so (madvise
 * MADV_DONTNEED, keeping what the heap writes into a freed block). O(1) plus, on a
 * release, the system call: O(block size) in the kernel. */
void mk__host_release(void *ptr, size_t usable);

/* Gives the whole pages inside free blocks back to the OS (madvise MADV_DONTNEED) and
 * returns how many bytes that was. Holds the heap lock while it walks: O(blocks). */
size_t mk_host_trim(void);

/* What the host front has mapped from the OS, and how many regions it gave back. */
typedef struct mk_host_mapping {
    size_t mapped_bytes;
    unsigned regions;
    size_t unmapped_regions;
} mk_host_mapping;

/* A consistent snapshot of the mapping counters. O(1). */
mk_host_mapping mk_host_mapping_now(void);

/* Prints the statistics table (the one MEMKIT_STATS=1 prints at exit) to stderr. */
void mk_host_print_stats(void);

#endif
