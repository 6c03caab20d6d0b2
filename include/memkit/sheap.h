/*
 * mk_sheap: a sized heap. Blocks carry no header: the caller passes a block's size back
 * when it frees or resizes it, as the mk_allocator interface (and Lua's lua_Alloc, C++'s
 * sized delete, every memkit container) already does. What a header would say is kept
 * in a bitmap of one bit per 8 bytes instead, so a block of n bytes costs n rounded up to
 * 8, plus 1/64 of it in bitmap.
 *
 * Contents
 *   mk_sheap ........... the heap object (one buffer, placed by the caller)
 *   mk_sheap_stats ..... its statistics
 *   functions .......... init, alloc, free, resize, realloc, get_stats, check, walk,
 *                        allocator (the mk_allocator adapter)
 *
 * When to use it instead of mk_heap
 *   Many small blocks whose sizes the caller knows at free: mk_heap spends a 4-byte
 *   header and rounds blocks to MK_ALIGN (16 bytes on 64-bit hosts), which is a fifth of
 *   a 40-byte object; here the same object costs 40 bytes and 5 bits. On Lua 5.4
 *   (examples/lua_heap.c) the smallest heap that runs the script is 1.04x Lua's peak live
 *   bytes, against 1.22x with mk_heap (docs/performance.md). mk_heap is the choice when
 *   sizes are not known at free (malloc), for several regions, capabilities, alignment
 *   above 8, lock hooks and the checked modes.
 *
 * Guarantees
 *   - alloc, free, resize and realloc (without its copy) are O(1): segregated free lists
 *     indexed by a bitmap, as in mk_heap, with the best of the first 4 blocks of the
 *     request's own class, else the first block of the next non-empty class.
 *   - Every block is 8-byte aligned (MK_SHEAP_ALIGN) and holds its size rounded up to 8
 *     (at least 8). Free neighbours are merged at once.
 *   - A free that names a pointer outside the heap or not 8-byte aligned is refused with
 *     MK_EINVAL and changes nothing, and so is a second free of a block when the bitmap
 *     shows it (its first or last 8 bytes still mark a free block's end; a block whose
 *     free merged it with both neighbours leaves no such mark). A wrong size for a live
 *     block cannot always be seen: it is the caller's contract, as with every sized
 *     free.
 *   - No libc, no OS, no lock: one thread (or one interrupt level) at a time.
 */
#ifndef MEMKIT_SHEAP_H
#define MEMKIT_SHEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memkit/alloc.h"
#include "memkit/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Alignment of every block, and the granule sizes are rounded to. */
#define MK_SHEAP_ALIGN 8u

/* Size classes: one per 8 bytes below 256, then 8 per power of two up to 2^32. */
#define MK__SHEAP_CLASSES 224u

/* The heap object. Place it anywhere; all fields are private. The buffer holds, in
 * order, the bitmap (a bit per 8-byte granule of the block area, set on the first and
 * the last granule of every free block and nowhere else), the list heads (one 32-bit
 * offset per class), then the blocks. An all-zero mk_sheap is a valid heap without
 * memory: every alloc fails, every free is refused. sizeof: 72 bytes on 32-bit targets,
 * 104 on 64-bit. */
typedef struct mk_sheap {
    unsigned char *base;     /* the buffer, 8-aligned; offsets count from here */
    uint32_t *heads;         /* first free block of each class (offset; 0: none) */
    uint32_t first, end;     /* the block area [first, end), offsets, multiples of 8 */
    uint32_t nclasses;       /* classes that can hold a block of this heap */
    uint32_t top;            /* bit w set iff map[w] != 0 */
    uint32_t map[MK__SHEAP_CLASSES / 32u]; /* bit c set iff class c's list is not empty */
    size_t used_bytes, peak_used_bytes;
    size_t alloc_count, free_count, failed_count;
} mk_sheap;

typedef struct mk_sheap_stats {
    size_t total_bytes;        /* the block area: what blocks can use */
    size_t overhead_bytes;     /* bitmap and list heads (an unaligned buffer also loses
                                  its first 1..7 bytes) */
    size_t used_bytes;         /* bytes in live blocks (sizes rounded up to 8) */
    size_t peak_used_bytes;    /* most used_bytes at once since init */
    size_t free_bytes;         /* total_bytes - used_bytes */
    size_t largest_free_block; /* the largest block an allocation could get now */
    size_t alloc_count, free_count, failed_count;
} mk_sheap_stats;

/* Sets `h` up over [buf, buf + size). Returns MK_OK; MK_EINVAL (NULL h or buf),
 * MK_ERANGE (a buffer of 4 GiB or more, or buf + size wraps),
 * MK_ETOOSMALL (no room for the bitmap, the heads and a 16-byte block). On error *h is
 * untouched. O(size / 64): it clears the bitmap, a byte per 64 bytes. */
mk_err mk_sheap_init(mk_sheap *h, void *buf, size_t size);

/* Returns an 8-aligned block of at least `size` bytes (size 0: a valid 8-byte block),
 * or NULL when no free block is large enough. O(1). */
void *mk_sheap_alloc(mk_sheap *h, size_t size);

/* Returns the block at ptr, allocated (or last resized) with `size` bytes, to the heap;
 * NULL returns MK_OK and does nothing. MK_EINVAL when ptr is not a live block of this
 * heap as far as the bitmap shows (outside the block area, misaligned, running past its
 * end, or free already); the heap is then unchanged. O(1). */
mk_err mk_sheap_free(mk_sheap *h, void *ptr, size_t size);

/* Changes the block at ptr from old_size to new_size bytes without moving it: a shrink
 * always succeeds, a growth when the block after it is free and large enough. false
 * (block unchanged) otherwise, and for a ptr mk_sheap_free would refuse. O(1). */
bool mk_sheap_resize(mk_sheap *h, void *ptr, size_t old_size, size_t new_size);

/* realloc with sizes: ptr NULL allocates; new_size 0 frees and returns NULL; otherwise
 * resizes in place if it can, else allocates, copies min(old_size, new_size) bytes and
 * frees. NULL on failure, the block unchanged. O(1), plus O(size) when it moves. */
void *mk_sheap_realloc(mk_sheap *h, void *ptr, size_t old_size, size_t new_size);

/* Fills *out. O(blocks in the largest non-empty class), for largest_free_block. */
void mk_sheap_get_stats(const mk_sheap *h, mk_sheap_stats *out);

/* Walks every free block and checks it against the bitmap, the lists and the counters:
 * sizes and their copies at both ends, no two free blocks side by side, each listed
 * block in its class's list with consistent links, the class bitmap, and used_bytes.
 * Returns MK_OK or MK_ECORRUPT. O(buffer size / 64 + free blocks). */
mk_err mk_sheap_check(const mk_sheap *h);

/* Calls fn for each stretch of the block area in address order: a free block (used
 * false), or a run of live blocks between two free ones (used true; their boundaries
 * are the callers' to know). Stops early when fn returns false. O(buffer size / 64 +
 * free blocks). */
typedef bool (*mk_sheap_walk_fn)(void *ctx, const void *start, size_t size, bool used);
void mk_sheap_walk(const mk_sheap *h, mk_sheap_walk_fn fn, void *ctx);

/* `h` as an mk_allocator: alloc(size, align) with align 0 or up to 8 (else NULL);
 * free, resize and remap pass the sizes on (a refused free is ignored, the heap
 * unchanged); owns checks the block area. The heap must outlive the handle. O(1). */
mk_allocator mk_sheap_allocator(mk_sheap *h);

#ifdef __cplusplus
}
#endif

#endif
