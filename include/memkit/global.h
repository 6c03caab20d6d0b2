/*
 * The global allocator: one process-wide mk_heap behind the malloc family.
 *
 * Contents
 *   configuration ...... mk_global_init, mk_global_add_region, mk_global_set_hooks,
 *                        mk_global_set_grow, mk_global_heap
 *   the family ......... mk_global_malloc, _free, _calloc, _realloc, _memalign,
 *                        _usable_size
 *   capabilities ....... mk_malloc_caps, mk_malloc_prefer, MK_MALLOC_PREFER
 *
 * These functions are freestanding (no libc, no OS). The C names (malloc, free, ...) are
 * defined by the fronts built on them: src/malloc/newlib.c for firmware (newlib's
 * reentrant _malloc_r family too) and src/malloc/host.c with src/malloc/host_names.c for
 * the preloadable host library. A program that wants the C names on a microcontroller
 * links one front and configures the heap before its first allocation:
 *
 *     MK_HEAP_REGION(sram, 48 * 1024, );
 *     mk_global_init();
 *     mk_global_set_hooks(&critical_section_hooks);    (interrupts or threads)
 *     mk_global_add_region(sram, sizeof sram, MK_CAP_INTERNAL);
 *
 * Until a region is added every allocation fails (returns NULL), unless a grow function
 * adds one. Thread safety comes from the lock hooks, exactly as for mk_heap.
 */
#ifndef MEMKIT_GLOBAL_H
#define MEMKIT_GLOBAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memkit/err.h"
#include "memkit/heap.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Called when a request fails for lack of room: it may add a region (with
 * mk_global_add_region) and return true to have the request retried once, or return
 * false to let it fail. It runs without the heap lock held. `size` and `align` are the
 * failed request's. */
typedef bool (*mk_global_grow_fn)(size_t size, size_t align, uint32_t caps);

/* Copies n bytes from `from` to `to` for mk_global_realloc when it moves a block; `from`
 * is the old block's payload, `usable` bytes long, which is freed next. The old block is
 * still the caller's, so the function may do anything to its payload as it copies (the
 * host front gives the whole pages of a large one back to the OS) and nothing to the
 * memory around it. */
typedef void (*mk_global_move_fn)(void *to, void *from, size_t n, size_t usable);

/* Empties the global heap: forgets every region, hook and grow function. Blocks still
 * live are abandoned, so call it once, before the first allocation. O(1). */
void mk_global_init(void);

/* Adds [mem, mem + size) to the global heap with capabilities `caps`; the contract and
 * errors are mk_heap_add_region's (MK_EINVAL, MK_ELIMIT, MK_EOVERLAP, MK_ETOOSMALL,
 * MK_ERANGE). O(regions + size classes). */
mk_err mk_global_add_region(void *mem, size_t size, uint32_t caps);

/* Installs the heap's hooks (lock, alloc_failed, corruption); NULL removes them. Same
 * contract as mk_heap_set_hooks: no lock is taken, so call it before the heap is shared.
 * O(1). */
void mk_global_set_hooks(const mk_heap_hooks *hooks);

/* Installs the grow function (NULL: none). Call it before the heap is shared. O(1). */
void mk_global_set_grow(mk_global_grow_fn grow);

/* Installs the move function (NULL: a plain copy). Call it before the heap is shared.
 * O(1). */
void mk_global_set_move(mk_global_move_fn move);

/* The global heap itself, for statistics, check and walk. Never NULL. O(1). */
mk_heap *mk_global_heap(void);

/* malloc: `size` bytes aligned to MK_ALIGN, or NULL. size 0 gives a minimal block.
 * O(1) per region tried (twice when the grow function added room). */
void *mk_global_malloc(size_t size);

/* free: NULL does nothing; a pointer the heap does not own, or one already freed, is
 * reported to the corruption hook and ignored. O(regions). */
void mk_global_free(void *ptr);

/* calloc: n * size zeroed bytes; NULL when the product overflows or on failure. O(n *
 * size). */
void *mk_global_calloc(size_t n, size_t size);

/* realloc: NULL ptr allocates; size 0 frees and returns NULL; grows or shrinks in place
 * when it can, else moves (copying the old contents). NULL on failure, the block
 * unchanged. A pointer that is not a live block is reported and gives NULL. O(1) in
 * place, O(size) when it moves. */
void *mk_global_realloc(void *ptr, size_t size);

/* Aligned allocation for aligned_alloc, memalign and posix_memalign: `align` must be a
 * power of two (0 means MK_ALIGN). Returns MK_OK and sets *out; MK_EINVAL for a bad
 * alignment or NULL out; MK_ENOMEM when there is no room (*out untouched on errors).
 * O(1) per region tried. */
mk_err mk_global_memalign(void **out, size_t align, size_t size);

/* malloc_usable_size: bytes usable at ptr (at least the size asked for); 0 for NULL or
 * a pointer that is not a live block (reported to the corruption hook). O(regions). */
size_t mk_global_usable_size(const void *ptr);

/* `size` bytes from a region that has every capability bit in `caps` (0: any region),
 * or NULL. Free it with mk_global_free (or free). O(1) per region tried. */
void *mk_malloc_caps(size_t size, uint32_t caps);

/* `size` bytes from the first capability set in `caps[0..n)` that can serve it: each
 * set is tried in turn (without growing), and only when all fail is the grow function
 * asked for room for caps[0]. NULL when n is 0, caps is NULL, or nothing has room.
 * O(n) heap attempts. */
void *mk_malloc_prefer(size_t size, size_t n, const uint32_t *caps);

/* The preference list written inline: MK_MALLOC_PREFER(size, MK_CAP_DMA, 0). Each
 * argument is evaluated once. */
#define MK_MALLOC_PREFER(size, ...)                                                   \
    mk_malloc_prefer((size), sizeof((const uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t), \
                     (const uint32_t[]){ __VA_ARGS__ })

#ifdef __cplusplus
}
#endif

#endif /* MEMKIT_GLOBAL_H */
