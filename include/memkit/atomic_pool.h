/*
 * mk_atomic_pool: fixed-size blocks shared by several threads or interrupt handlers,
 * lock-free where the target has compare-and-swap.
 *
 * Contents
 *   MK_NO_ATOMICS ............ 1: critical sections instead of CAS (default on ARMv6-M
 *                              and on RISC-V without the A extension)
 *   mk_atomic_pool ........... the pool object
 *   functions ................ init, alloc, free, used, max_used, capacity, block_size,
 *                              set_hooks (mk_pool_hooks and mk_pool_fault: memkit/pool.h)
 *
 * How it works
 *   Free blocks form a Treiber stack of block indices. The stack's head is one word:
 *   a generation tag in the high bits and 1 + the top block's index in the low bits
 *   (as few as the capacity needs, so the tag gets the rest: at least 16 bits on 32-bit
 *   targets, 32 on 64-bit ones). Every push advances the tag, so a pop whose
 *   compare-and-swap succeeds knows the head was not popped and pushed back meanwhile
 *   (ABA), and one single-width CAS suffices on every 32- and 64-bit target. The links
 *   live in an index array carved from the front of the buffer (4 bytes per block), not
 *   in the blocks: a pop that reads a link while another thread already owns that block
 *   reads the array, not memory the owner is writing, and writes past a block cannot
 *   break the stack. Blocks never handed out are taken by bumping an atomic counter
 *   (init stays O(1)); a counter only grows, so an alloc that finds the stack empty and
 *   the counter exhausted retries the stack once and then reports a true exhaustion.
 *
 * Progress guarantee (honestly)
 *   - Lock-free, not wait-free: whenever threads are inside alloc or free, one of them
 *     completes within a bounded number of steps taken by all of them together (each
 *     failed CAS means another operation succeeded); a given thread can lose its CAS
 *     again and again while others keep succeeding, so its own latency under
 *     contention has no bound. Without contention alloc and free are O(1).
 *   - No thread ever waits for another: a thread preempted, suspended or killed halfway
 *     holds nothing, and the others go on (one of its blocks is merely not returned
 *     yet). An interrupt handler may therefore alloc and free while the code it
 *     interrupted is in the middle of either; on one core, the interrupted code retries
 *     at most once per operation the handlers completed in between.
 *   - ABA: a pop fails to notice that its head was popped and pushed back only if a
 *     non-zero multiple of 2^T pushes (T = tag bits) happened between its read of the
 *     head and its CAS and the same block is on top again. T is the word size less
 *     the capacity's bit width: 25 for a 64-block pool on a 32-bit target, 16 at the
 *     32-bit maximum of 65,535 blocks, and at least 32 on 64-bit targets. Code
 *     interrupted only by handlers cannot see 2^16 pushes inside a window of a few
 *     instructions; a host thread descheduled for milliseconds while others churn a
 *     large pool on a 32-bit target is the case to think about (2^25 pushes at ~10 ns
 *     each is 0.3 s; 2^32 on 64-bit targets is tens of seconds).
 *   - Memory order: a free happens-before the alloc that gets the block back (release
 *     push, acquire pop), so what one owner wrote is visible to the next.
 *
 * Without CAS (MK_NO_ATOMICS=1; the default on ARMv6-M such as Cortex-M0): the same
 * stack, each operation inside a critical section: the lock/unlock hooks when set,
 * otherwise, on ARMv6-M and ARMv7-M, masking interrupts with PRIMASK (saved and
 * restored, so it nests; needs privileged mode), otherwise nothing (a single execution
 * context). The guarantee is then that of the critical section: blocking, held for a
 * bounded few dozen instructions. The library and its users must agree on
 * MK_NO_ATOMICS (and MK_CHECKED): both change the struct.
 *
 * Checked builds (MK_CHECKED=1): free reports pointers outside the pool, interior
 * pointers and double frees (a live bit per block, set and cleared atomically: exact
 * for frees that do not race with the allocation of the same block) to the fault hook
 * and ignores them. Costs ceil(capacity / 32) * 4 more bytes of the buffer and one
 * division per free. There is no poison fill (it would make free O(block_size)).
 */
#ifndef MEMKIT_ATOMIC_POOL_H
#define MEMKIT_ATOMIC_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memkit/config.h"
#include "memkit/err.h"
#include "memkit/pool.h"

/* MK_NO_ATOMICS: its default is in memkit/config.h (the queues read it too). */
#if MK_NO_ATOMICS
#define MK__APOOL_ATOMIC(T) T
#else
#include <stdatomic.h>
#define MK__APOOL_ATOMIC(T) _Atomic(T)
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Most blocks one pool holds: keeps the tag at least 16 bits wide (32 on 64-bit). */
#define MK_ATOMIC_POOL_MAX_BLOCKS \
    ((uint32_t)(UINTPTR_MAX > 0xffffffffu ? 0xffffffffu : 0xffffu))

/* The pool object. Place it anywhere; all fields are private. Invariants:
 *   the stack holds distinct indices below fresh; links[i] (1 + the index under i, or
 *   0 at the bottom) is meaningful only while i is on the stack and is written only by
 *   the thread pushing i, before its CAS publishes it; fresh <= capacity and never
 *   decreases; used <= max_used <= capacity when no operation is in flight.
 *   An all-zero mk_atomic_pool is a valid pool with no blocks.
 * sizeof: 48 bytes on 32-bit targets, 72 on 64-bit (52 and 80 with MK_CHECKED). */
typedef struct mk_atomic_pool {
    MK__APOOL_ATOMIC(uintptr_t) head;    /* tag << index bits | (1 + top index); low 0: empty */
    MK__APOOL_ATOMIC(uint32_t) fresh;    /* blocks [fresh, capacity) never handed out */
    MK__APOOL_ATOMIC(uint32_t) used;     /* blocks handed out and not yet returned */
    MK__APOOL_ATOMIC(uint32_t) max_used; /* high-water mark of used */
    uint32_t capacity;                   /* <= MK_ATOMIC_POOL_MAX_BLOCKS */
    uint32_t shift;                      /* block_size == odd << shift */
    uint32_t inverse;                    /* odd * inverse == 1 (mod 2^32): offset -> index */
    uintptr_t index_mask;                /* low bits of head holding 1 + top index */
    unsigned char *base;                 /* block i at base + i * block_size */
    MK__APOOL_ATOMIC(uint32_t) *links;   /* one per block, at the front of the buffer */
    size_t block_size;                   /* a multiple of the alignment */
#if MK_CHECKED
    MK__APOOL_ATOMIC(uint32_t) *live;    /* bit i set iff block i is live; read below fresh */
#endif
    const mk_pool_hooks *hooks;
} mk_atomic_pool;

/* Initialises `p` over [buf, buf + size) with blocks of block_size bytes (0 gives the
 * smallest) aligned to `align` (a power of two; 0 means MK_ALIGN); block_size is
 * rounded up to a multiple of the alignment. The front of the buffer holds 4 bytes per
 * block of links (plus the live bits in checked builds); capacity is as many blocks as
 * fit after that, at most MK_ATOMIC_POOL_MAX_BLOCKS. Not thread-safe: initialise, then
 * share the pool (thread creation or a release store publishes it).
 * Returns MK_OK; MK_EINVAL (NULL p or buf, align not a power of two), MK_ERANGE
 * (rounding overflows, or buf + size wraps the address space), MK_ETOOSMALL (not even
 * one block fits). On error *p is untouched. O(1). */
mk_err mk_atomic_pool_init(mk_atomic_pool *p, void *buf, size_t size, size_t block_size,
                           size_t align);

/* Returns a free block, or NULL when every block is in use. Safe from any number of
 * threads and interrupt handlers at once; lock-free (see the top of this header).
 * O(1) without contention. */
void *mk_atomic_pool_alloc(mk_atomic_pool *p);

/* Returns `block` (from mk_atomic_pool_alloc on this pool) to the pool; NULL does
 * nothing. Anything else is undefined, except in checked builds (reported, ignored).
 * Safe and lock-free as alloc is. O(1) without contention. */
void mk_atomic_pool_free(mk_atomic_pool *p, void *block);

/* Blocks in use, and the most in use at once since init: exact when no operation is
 * in flight, a recent value otherwise. O(1). */
size_t mk_atomic_pool_used(const mk_atomic_pool *p);
size_t mk_atomic_pool_max_used(const mk_atomic_pool *p);
/* Total blocks, and bytes per block. O(1). */
size_t mk_atomic_pool_capacity(const mk_atomic_pool *p);
size_t mk_atomic_pool_block_size(const mk_atomic_pool *p);

/* Installs hooks (NULL removes them): fault (checked builds) and, with MK_NO_ATOMICS,
 * lock/unlock around every operation. Takes no lock itself: call it before the pool is
 * shared. The struct must outlive the pool. O(1). */
void mk_atomic_pool_set_hooks(mk_atomic_pool *p, const mk_pool_hooks *hooks);

#ifdef __cplusplus
}
#endif

#endif /* MEMKIT_ATOMIC_POOL_H */
