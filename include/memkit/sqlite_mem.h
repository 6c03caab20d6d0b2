/*
 * SQLite over a memkit heap: fills an sqlite3_mem_methods table for
 * sqlite3_config(SQLITE_CONFIG_MALLOC, ...). Allocation goes through an mk_allocator
 * (the heap's own, or a fault-injecting wrapper around it); sizes come from the heap,
 * so xSize is the block's usable size and xRoundup the size the heap really gives.
 *
 *     static sqlite3_mem_methods m;
 *     mk_sqlite_mem_methods(mk_heap_allocator(&heap), &heap, &m);
 *     sqlite3_config(SQLITE_CONFIG_MALLOC, &m);           (before sqlite3_initialize)
 *
 * SQLite's methods take no context, so the allocator and heap are kept in the adapter's
 * one static slot: one configuration per process, as SQLite itself allows.
 */
#ifndef MEMKIT_SQLITE_MEM_H
#define MEMKIT_SQLITE_MEM_H

#include "memkit/alloc.h"
#include "memkit/heap.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sqlite3_mem_methods;

/* Points the adapter at `a` (which must hand out blocks of `heap`, directly or through
 * wrappers that pass pointers unchanged) and fills *out. The heap and whatever `a`
 * refers to must outlive SQLite's use of them (until sqlite3_shutdown). O(1). */
void mk_sqlite_mem_methods(mk_allocator a, const mk_heap *heap, struct sqlite3_mem_methods *out);

#ifdef __cplusplus
}
#endif

#endif /* MEMKIT_SQLITE_MEM_H */
