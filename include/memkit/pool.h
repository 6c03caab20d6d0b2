/*
 * mk_pool: fixed-size blocks over a caller buffer, O(1) in everything.
 *
 * Contents
 *   mk_pool_fault ....... what checked builds report (double free, foreign pointer, ...)
 *   mk_pool_hooks ....... fault hook (and the lock hooks mk_atomic_pool uses)
 *   mk_pool ............. the pool object
 *   MK_POOL_DEFINE ...... a typed static pool with its storage: no init call, no heap
 *   functions ........... init, alloc, free, used, max_used, capacity, block_size, check,
 *                         set_hooks, fault_name, allocator (the mk_allocator adapter)
 *   (include/memkit/atomic_pool.h has the lock-free pool for threads and interrupts)
 *
 * Guarantees
 *   - init, alloc and free take a fixed number of steps, whatever the capacity: init
 *     does not thread a list through the buffer; blocks never handed out are taken
 *     from a bump pointer, returned ones from a LIFO free list linked through the
 *     blocks themselves, so a free block costs no memory beyond itself.
 *   - Every block is aligned to the pool's alignment and holds block_size bytes.
 *   - An exhausted pool returns NULL and stays consistent.
 *   - No libc, no OS, no lock: one pool belongs to one thread (or one interrupt level)
 *     at a time; share one with mk_atomic_pool instead, or lock around the calls.
 *
 * Checked builds (MK_CHECKED=1)
 *   Each pool keeps one bit per block (1 = live), carved from the start of the buffer,
 *   so a double free is detected exactly, not guessed from the block's contents; the
 *   bits of blocks never handed out are never read, so init stays O(1). free also
 *   rejects pointers outside the pool and pointers inside it that are not the start of
 *   a block (one division). Freed blocks are filled with MK_POOL_POISON after the link
 *   word; alloc verifies the fill and the link, catching writes to freed blocks. A bad
 *   free is reported to the hook and leaves the pool as it was; damage alloc finds is
 *   reported once the pool has recovered (see mk_pool_alloc). Costs: ceil(capacity / 8)
 *   bytes of the buffer, a division per alloc and free, and O(block_size) per alloc
 *   from the free list and per free (the poison fill and its check).
 */
#ifndef MEMKIT_POOL_H
#define MEMKIT_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memkit/alloc.h"
#include "memkit/config.h"
#include "memkit/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The byte checked builds fill freed blocks with (after the link word). */
#define MK_POOL_POISON 0x55u

/* What the fault hook and mk_pool_check report. */
typedef enum mk_pool_fault {
    MK_POOL_FAULT_DOUBLE_FREE = 1,  /* the block is not live: freed already, or never
                                       handed out */
    MK_POOL_FAULT_FOREIGN_POINTER,  /* the pointer lies outside this pool's blocks */
    MK_POOL_FAULT_BAD_POINTER,      /* inside the pool, not the start of a block */
    MK_POOL_FAULT_FREE_LIST,        /* a free-list link is damaged (write after free?) */
    MK_POOL_FAULT_WRITE_AFTER_FREE, /* a free block's poison fill was overwritten */
    MK_POOL_FAULT_STATS             /* a counter or the geometry disagrees (mk_pool_check) */
} mk_pool_fault;

/* Returns a static name for `fault` ("double free (block not live)"); O(1). */
const char *mk_pool_fault_name(mk_pool_fault fault);

/* Hooks. Any member may be NULL; the pool keeps a pointer to the struct, so it must
 * outlive the pool (a static const struct is typical). fault is called last, with the
 * pool consistent and any lock released, so it may call the pool; a bad free leaves the
 * pool unchanged. lock/unlock are used only by an mk_atomic_pool built without
 * compare-and-swap (MK_NO_ATOMICS, Cortex-M0); mk_pool takes no lock. */
typedef struct mk_pool_hooks {
    void (*lock)(void *ctx);
    void (*unlock)(void *ctx);
    void (*fault)(void *ctx, mk_pool_fault kind, const void *ptr);
    void *ctx;
} mk_pool_hooks;

/* A free block's first word: the next free block, or NULL. Private. */
typedef struct mk__pool_link {
    struct mk__pool_link *next;
} mk__pool_link;

/* The pool object. Place it anywhere; all fields are private. Invariants:
 *   base <= fresh <= end, and (fresh - base) and (end - base) are multiples of
 *   block_size; every block on the free list lies in [base, fresh) and starts a block;
 *   used == (fresh - base) / block_size - (length of the free list) <= max_used
 *   <= capacity. An all-zero mk_pool is a valid pool with no blocks.
 * sizeof: 36 bytes on 32-bit targets, 72 on 64-bit (44 and 88 with MK_CHECKED). */
typedef struct mk_pool {
    mk__pool_link *free;  /* returned blocks, most recent first */
    unsigned char *fresh; /* blocks in [fresh, end) were never handed out */
    unsigned char *end;   /* base + capacity * block_size */
    unsigned char *base;  /* first block, aligned to align */
    size_t block_size;    /* a multiple of align, >= sizeof(mk__pool_link) */
    size_t capacity;      /* number of blocks */
    size_t used;          /* blocks handed out and not yet returned */
    size_t max_used;      /* high-water mark of used since init */
    size_t align;         /* a power of two, >= alignof(mk__pool_link) */
#if MK_CHECKED
    unsigned char *state; /* bit i set iff block i is live; read only below fresh */
    const mk_pool_hooks *hooks;
#endif
} mk_pool;

/* Initialises `p` over [buf, buf + size) with blocks of block_size bytes aligned to
 * `align` (a power of two; 0 means MK_ALIGN). The alignment used is at least that of a
 * pointer, and block_size is rounded up to hold a pointer (block_size 0 gives the
 * smallest block) and to a multiple of the alignment; mk_pool_block_size tells the
 * result. Leading bytes are skipped to align the first block; capacity is as many
 * blocks as fit after that (and, with MK_CHECKED, after the state bitmap).
 * Returns MK_OK; MK_EINVAL (NULL p or buf, align not a power of two), MK_ERANGE
 * (rounding block_size overflows, or buf + size wraps the address space), MK_ETOOSMALL
 * (not even one block fits). On error *p is untouched. O(1). */
mk_err mk_pool_init(mk_pool *p, void *buf, size_t size, size_t block_size, size_t align);

/* Returns a block of mk_pool_block_size(p) bytes, or NULL when every block is in use.
 * The contents are unspecified (checked builds: the poison fill, except the first
 * pointer-sized word). In checked builds a damaged free list or poison fill is reported
 * to the hook; a damaged link drops the rest of the free list rather than follow it.
 * O(1) (checked builds: O(block_size) for a reused block). */
void *mk_pool_alloc(mk_pool *p);

/* Returns `block` (from mk_pool_alloc on this pool) to the pool; NULL does nothing.
 * Freeing anything else is undefined, except in checked builds, where a pointer outside
 * the pool, an interior pointer and a block that is not live are reported to the hook
 * and ignored. O(1) (checked builds: O(block_size)). */
void mk_pool_free(mk_pool *p, void *block);

/* Blocks in use now. O(1). */
size_t mk_pool_used(const mk_pool *p);
/* Most blocks in use at once since init. O(1). */
size_t mk_pool_max_used(const mk_pool *p);
/* Total blocks. O(1). */
size_t mk_pool_capacity(const mk_pool *p);
/* Bytes in each block (block_size as rounded by init). O(1). */
size_t mk_pool_block_size(const mk_pool *p);

/* Walks the free list and cross-checks it with the counters (and, in checked builds,
 * with the state bitmap and the poison fill). Returns MK_OK, or MK_ECORRUPT after
 * reporting the first fault to the hook. Never follows a link outside the pool and
 * stops after capacity steps, so a cycle is caught too. O(capacity * block_size) in
 * checked builds, O(capacity) otherwise. */
mk_err mk_pool_check(const mk_pool *p);

/* Installs hooks (NULL removes them). Only checked builds report faults, so elsewhere
 * this does nothing. O(1). */
void mk_pool_set_hooks(mk_pool *p, const mk_pool_hooks *hooks);

/* `p` as an mk_allocator: alloc(size, align) returns a block when size <= block_size
 * and align (0: MK_ALIGN) is a power of two <= the pool's alignment, else NULL; free
 * ignores size and align; resize succeeds when the new size fits the block; owns checks
 * the address range. The pool must outlive the handle. O(1). */
mk_allocator mk_pool_allocator(mk_pool *p);

/* ---- MK_POOL_DEFINE ----------------------------------------------------------------- */

/* Alignment and block size MK_POOL_DEFINE uses for T, as constant expressions. */
#define MK_POOL_ALIGN_OF(T) \
    (_Alignof(T) > _Alignof(mk__pool_link) ? _Alignof(T) : _Alignof(mk__pool_link))
#define MK_POOL_BLOCK_OF(T)                                                              \
    (((sizeof(T) > sizeof(mk__pool_link) ? sizeof(T) : sizeof(mk__pool_link)) +        \
      MK_POOL_ALIGN_OF(T) - 1u) / MK_POOL_ALIGN_OF(T) * MK_POOL_ALIGN_OF(T))

/* A file that defines a pool and uses only some of its functions compiles cleanly. */
#if defined(__GNUC__) || defined(__clang__)
#define MK__MAYBE_UNUSED __attribute__((unused))
#else
#define MK__MAYBE_UNUSED
#endif

#if MK_CHECKED
#define MK__POOL_STATE_DECL(name, count) \
    static unsigned char name##__state[((count) + 7u) / 8u];
#define MK__POOL_STATE_INIT(name) , .state = name##__state, .hooks = NULL
#else
#define MK__POOL_STATE_DECL(name, count)
#define MK__POOL_STATE_INIT(name)
#endif

/* Declares, at file scope, `static mk_pool name` holding `count` blocks for objects of
 * type T, with its storage, ready to use without an init call (a constant initialiser;
 * the blocks are zero-initialised static storage, placed in .bss), and two typed
 * functions:
 *     T   *name_alloc(void);     NULL when all count are in use. O(1).
 *     void name_free(T *obj);    NULL does nothing. O(1).
 * The mk_pool_* functions take &name. Use it followed by a semicolon:
 *     MK_POOL_DEFINE(msg_pool, struct msg, 16);
 *     struct msg *m = msg_pool_alloc();                                              */
#define MK_POOL_DEFINE(name, T, count)                                                  \
    static _Alignas(T) _Alignas(mk__pool_link) unsigned char                            \
        name##__blocks[(size_t)(count) * MK_POOL_BLOCK_OF(T)];                          \
    MK__POOL_STATE_DECL(name, count)                                                    \
    MK__MAYBE_UNUSED static mk_pool name = {                                            \
        .free = NULL,                                                                   \
        .fresh = name##__blocks,                                                        \
        .end = name##__blocks + sizeof name##__blocks,                                  \
        .base = name##__blocks,                                                         \
        .block_size = MK_POOL_BLOCK_OF(T),                                              \
        .capacity = (count),                                                            \
        .used = 0,                                                                      \
        .max_used = 0,                                                                  \
        .align = MK_POOL_ALIGN_OF(T) MK__POOL_STATE_INIT(name)                          \
    };                                                                                  \
    MK__MAYBE_UNUSED static inline T *name##_alloc(void)                                \
    {                                                                                   \
        return (T *)mk_pool_alloc(&name);                                               \
    }                                                                                   \
    MK__MAYBE_UNUSED static inline void name##_free(T *obj)                             \
    {                                                                                   \
        mk_pool_free(&name, obj);                                                       \
    }                                                                                   \
    _Static_assert((count) > 0, "MK_POOL_DEFINE: count must be positive")

#ifdef __cplusplus
}
#endif

#endif /* MEMKIT_POOL_H */
