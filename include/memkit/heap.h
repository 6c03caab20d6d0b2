/*
 * mk_heap: a deterministic heap over caller-supplied RAM regions.
 *
 * Contents
 *   capabilities ........ MK_CAP_* bits a region has and a request may require
 *   mk_heap_stats ....... statistics, per capability mask or overall
 *   mk_heap_hooks ....... lock, failed-allocation and corruption hooks
 *   MK_HEAP_REGION ...... a static, aligned region (optionally in a linker section)
 *   functions ........... init, add_region, alloc*, realloc, resize, free, usable_size,
 *                         get_stats, check, walk, set_hooks
 *
 * Guarantees
 *   - alloc, aligned alloc, caps alloc, free and realloc-in-place take a bounded number of
 *     steps, independent of region size and of the number of live blocks; the bound grows
 *     only with the number of regions a request may try (at most MK_HEAP_MAX_REGIONS).
 *   - Every pointer returned is aligned to MK_ALIGN (or the alignment asked for) and lies
 *     entirely inside one region.
 *   - Each live block costs 4 bytes of header (8 with MK_CHECKED); block sizes are
 *     multiples of MK_ALIGN, at least 16 bytes.
 *   - Out of memory returns NULL and leaves the heap unchanged.
 *   - The core uses no libc and no OS; it is thread-safe only with lock hooks.
 *
 * Checked builds detect misuse. MK_CHECKED=1 keeps every bound above: 8-byte headers
 * with canaries catch interior pointers, damaged headers, underruns and writes that reach
 * the next header. MK_CHECKED=2 trades the O(1) bounds for more: free memory filled with
 * a poison pattern that allocation checks (a write after free is reported,
 * MK_FAULT_USE_AFTER_FREE, when the block is handed out again), and at least one guard
 * byte past every request that free, realloc and mk_heap_check check (a write past the
 * request: MK_FAULT_OVERRUN); alloc and free then cost O(block size), and usable_size
 * returns exactly the size requested.
 *
 * A region holds its own index (bitmaps and free-list heads) at its start; the index is
 * sized by the region: 440 bytes for a 64 KiB region on a 32-bit target. See
 * docs/internals.md for the block layout, invariants and complexity arguments.
 */
#ifndef MEMKIT_HEAP_H
#define MEMKIT_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memkit/config.h"
#include "memkit/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Capability bits. A request with caps is served only by a region that has all of them. */
#define MK_CAP_INTERNAL ((uint32_t)1u << 0) /* on-chip RAM */
#define MK_CAP_EXTERNAL ((uint32_t)1u << 1) /* external RAM (PSRAM, SDRAM) */
#define MK_CAP_DMA      ((uint32_t)1u << 2) /* reachable by DMA engines */
#define MK_CAP_EXEC     ((uint32_t)1u << 3) /* code may execute from it */
#define MK_CAP_ATOMIC   ((uint32_t)1u << 4) /* atomic instructions work on it */
#define MK_CAP_USER0    ((uint32_t)1u << 16) /* first of 16 user-defined bits */

/* Statistics. Byte counts are of whole blocks (payload + header + rounding), which is
 * what the heap spends; total = used + free + overhead. */
typedef struct mk_heap_stats {
    size_t total_bytes;        /* bytes of the selected regions as handed in */
    size_t overhead_bytes;     /* region index, alignment slack, end sentinel */
    size_t free_bytes;         /* bytes in free blocks */
    size_t used_bytes;         /* bytes in used blocks */
    size_t peak_used_bytes;    /* high-water mark of used_bytes (see mk_heap_get_stats) */
    size_t largest_free_block; /* largest request that would succeed now, in bytes */
    size_t free_blocks;        /* number of free blocks */
    size_t used_blocks;        /* number of live allocations */
    size_t alloc_count;        /* successful allocations since init */
    size_t free_count;         /* frees since init */
    size_t failed_count;       /* failed allocation requests (heap-wide) */
    unsigned fragmentation;    /* 0..1000: 1000 * (1 - largest_free_block / free_bytes) */
    unsigned regions;          /* number of regions selected */
} mk_heap_stats;

/* What the corruption hook and mk_heap_check report. */
typedef enum mk_heap_fault {
    MK_FAULT_DOUBLE_FREE = 1, /* the block is already free */
    MK_FAULT_FOREIGN_POINTER, /* the pointer lies in no region of this heap */
    MK_FAULT_BAD_POINTER,     /* in a region, but not the start of a block (interior?) */
    MK_FAULT_OVERRUN,         /* the next block's header was overwritten (buffer overflow?) */
    MK_FAULT_HEADER,          /* a block header is damaged */
    MK_FAULT_FREE_LIST,       /* a free-list link or bin is inconsistent */
    MK_FAULT_BITMAP,          /* a bin bitmap disagrees with its free list */
    MK_FAULT_STATS,           /* a counter disagrees with the blocks */
    MK_FAULT_USE_AFTER_FREE   /* a free block was written (checked builds; found when
                                 the block is allocated again, or by mk_heap_check) */
} mk_heap_fault;

/* Returns a static name for `fault` ("double free"); O(1). */
const char *mk_heap_fault_name(mk_heap_fault fault);

/* Hooks. Any member may be NULL. The heap keeps a pointer to the struct, so it must
 * outlive the heap (a static const struct is typical). The lock hooks bracket every
 * operation (a mutex on a host, a critical section on a microcontroller); the other hooks
 * are called after the lock is released, so they may call the heap. */
typedef struct mk_heap_hooks {
    void (*lock)(void *ctx);
    void (*unlock)(void *ctx);
    void (*alloc_failed)(void *ctx, size_t size, size_t align, uint32_t caps, mk_err why);
    void (*corruption)(void *ctx, mk_heap_fault kind, const void *ptr);
    /* A free (or a realloc that moved a block) left the region that was added at `mem`
     * with no live block; mk_heap_remove_region may now give it back. */
    void (*region_empty)(void *ctx, void *mem);
    void *ctx;
} mk_heap_hooks;

/* One block as reported by mk_heap_walk. */
typedef struct mk_heap_block_info {
    void *ptr;       /* payload address */
    size_t size;     /* usable payload bytes */
    size_t block_size; /* whole block, header included */
    bool used;
    unsigned region; /* index among the heap's regions, in the order added */
    uint32_t caps;   /* the region's capabilities */
} mk_heap_block_info;

/* Called once per block in address order within each region; return false to stop. */
typedef bool (*mk_heap_walk_fn)(void *ctx, const mk_heap_block_info *block);

struct mk__heap_region; /* private: lives at the start of each region's memory */

/* The heap object. Place it anywhere; all fields are private.
 * sizeof: 56 bytes on 32-bit targets, 112 on 64-bit (default options). */
typedef struct mk_heap {
    struct mk__heap_region *regions[MK_HEAP_MAX_REGIONS]; /* in the order added */
    unsigned nregions;
    const mk_heap_hooks *hooks;
#if MK_STATS
    size_t used_bytes;      /* sum over regions; peak of it is exact */
    size_t peak_used_bytes;
    size_t failed_count;
    size_t removed_count;   /* allocations served by regions since removed (all freed) */
#endif
#if MK_CHECKED >= 2
    int late_fault;         /* found by an allocation, reported once it unlocks */
    const void *late_ptr;
#endif
} mk_heap;

/* Declares a static byte array aligned for a heap region. `section_attr` is empty or
 * MK_SECTION(".name") to place the region in a linker section (RAM reclaimed after boot):
 *     MK_HEAP_REGION(sram, 48 * 1024, );
 *     MK_HEAP_REGION(bootram, 16 * 1024, MK_SECTION(".bootram"));      */
#define MK_SECTION(name) __attribute__((section(name)))
#define MK_HEAP_REGION(name, size, section_attr) \
    static _Alignas(MK_ALIGN) unsigned char name[(size)] section_attr

/* Makes `h` an empty heap with no regions and no hooks. O(1). */
void mk_heap_init(mk_heap *h);

/* Adds the memory [mem, mem + size) as a region with capability bits `caps`. The region
 * stores its own index at its start, so `size` must exceed the index plus one block
 * (a few hundred bytes). Regions may be added at any time, also while blocks are live.
 * Returns MK_OK; MK_EINVAL (NULL h or mem), MK_ELIMIT (already MK_HEAP_MAX_REGIONS),
 * MK_EOVERLAP (overlaps a region of this heap), MK_ETOOSMALL, MK_ERANGE (over 4 GiB).
 * On error the heap is unchanged. O(regions + size classes of the region). */
mk_err mk_heap_add_region(mk_heap *h, void *mem, size_t size, uint32_t caps);

/* Removes the region that was added at `mem` if it holds no live block; its memory is
 * the caller's again, and the regions after it move up one place in the order. The
 * statistics then cover the remaining regions, except that the heap-wide ones (caps 0)
 * keep the peak and count the removed region's allocations and frees.
 * Returns MK_OK; MK_EINVAL (no region of this heap was added at mem), MK_EBUSY (a block
 * in it is live), MK_ECORRUPT (its index is damaged); on error the heap is unchanged.
 * O(regions). */
mk_err mk_heap_remove_region(mk_heap *h, void *mem);

/* Allocates `size` bytes aligned to MK_ALIGN from the first region (in the order added)
 * that has room. size 0 allocates a minimal block. Returns NULL when no region has room
 * or the size overflows; the alloc_failed hook says why. O(1) per region tried. */
void *mk_heap_alloc(mk_heap *h, size_t size);

/* As mk_heap_alloc, aligned to `align` (a power of two; 0 means MK_ALIGN). Returns NULL
 * for a non-power-of-two alignment (hook: MK_EINVAL). O(1) per region tried. */
void *mk_heap_alloc_aligned(mk_heap *h, size_t size, size_t align);

/* As mk_heap_alloc_aligned, from a region that has every bit of `caps` (0: any region).
 * Returns NULL with hook reason MK_ENOCAPS when no region has those capabilities.
 * O(1) per region tried. */
void *mk_heap_alloc_caps(mk_heap *h, size_t size, size_t align, uint32_t caps);

/* Resizes the block at `ptr` to `size` bytes, in place when the block itself or its free
 * successor allows, else by allocate-copy-free in a region with the capabilities of the
 * block's current region. realloc(NULL, n) allocates; realloc(p, 0) frees and returns
 * NULL. Returns NULL on failure and leaves the original block intact. Alignment beyond
 * MK_ALIGN is kept only when the block stays in place. O(1) in place; O(size) to copy. */
void *mk_heap_realloc(mk_heap *h, void *ptr, size_t size);

/* Resizes the block at `ptr` to `size` bytes without moving it: shrinks in place, or
 * grows into a free successor. Returns false (block unchanged) when it cannot, for NULL,
 * and for a pointer that is not a live block (reported as free does). O(1). */
bool mk_heap_resize(mk_heap *h, void *ptr, size_t size);

/* Frees a block from this heap. NULL does nothing. A pointer outside every region, or a
 * block already free, is reported to the corruption hook and ignored; with MK_CHECKED
 * damaged headers, interior pointers and writes past the request are also caught
 * (canaries; MK_CHECKED=2 adds tail guards). Coalesces immediately with free neighbours.
 * O(1) (plus O(regions) to find the region; MK_CHECKED=2: O(block size)). */
void mk_heap_free(mk_heap *h, void *ptr);

/* Returns the usable bytes of the block at `ptr` (at least the size requested; exactly
 * that size with MK_CHECKED=2), or 0 for NULL or a pointer that is not a live block of
 * this heap (reported to the corruption hook, as free does). O(regions). */
size_t mk_heap_usable_size(const mk_heap *h, const void *ptr);

/* Fills `out` with statistics of the regions that have every bit of `caps` (0: all).
 * peak_used_bytes is the exact high-water mark for caps == 0 and for a mask that
 * selects one region; for a mask that selects several it is the sum of their peaks (an
 * upper bound). failed_count is heap-wide. A region whose index is damaged is left out
 * (mk_heap_check reports it). O(regions + blocks in the largest class). */
void mk_heap_get_stats(const mk_heap *h, uint32_t caps, mk_heap_stats *out);

/* Walks every region and cross-checks block headers, canaries, footers, free lists,
 * bitmaps and counters (MK_CHECKED=2: also tail guards and free-memory poison).
 * Returns MK_OK or MK_ECORRUPT (reporting the first fault to the corruption hook); never
 * dereferences outside the regions. O(blocks + size classes; MK_CHECKED=2: + bytes). */
mk_err mk_heap_check(const mk_heap *h);

/* Calls `fn` for each block of each region in address order; stops early when fn
 * returns false or at a damaged header. fn runs under the heap lock and must not call
 * the heap. O(blocks). */
void mk_heap_walk(const mk_heap *h, mk_heap_walk_fn fn, void *ctx);

/* Installs hooks (NULL removes them). The struct must outlive the heap. It takes no
 * lock (it installs the lock), so call it before the heap is shared. O(1). */
void mk_heap_set_hooks(mk_heap *h, const mk_heap_hooks *hooks);

#ifdef __cplusplus
}
#endif

#endif /* MEMKIT_HEAP_H */
