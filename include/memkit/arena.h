/*
 * mk_arena: bump allocation over a caller buffer, with checkpoints, optional growth
 * through an upstream allocator, and per-thread scratch arenas.
 *
 * Contents
 *   options ............. MK_ARENA_POISON, MK_ARENA_CHECK_DEPTH, MK_ARENA_FIRST_CHUNK,
 *                         MK_SCRATCH_COUNT, MK_SCRATCH_THREAD_LOCAL
 *   mk_arena_fault ...... what checked builds report (a mark of another arena, a mark
 *                         the arena was rewound past)
 *   mk_arena ............ the arena object (a zero-initialised one is valid and empty)
 *   mk_arena_pos ........ a checkpoint: mark, rewind
 *   functions ........... init, alloc (inline fast path), resize, mark, rewind,
 *                         rewind_checked, reset, remaining, used, high_water, set_limit,
 *                         set_upstream, set_hooks, fault_name, allocator
 *   mk_scratch .......... scratch_arena, scratch_begin, scratch_end, scratch_release
 *
 * Guarantees
 *   - alloc is a bump of a pointer: for alignments up to MK_ALIGN (0 included) the
 *     inline fast path is one add, one mask, one subtraction and one comparison; any
 *     other alignment, and every failure, goes out of line. alloc, mark, resize and
 *     (within one chunk) rewind and reset are O(1); releasing chunks costs one upstream
 *     free each.
 *   - Every pointer returned is aligned as asked and lies inside the caller's buffer or
 *     a chunk. Out of memory, a non-power-of-two alignment and sizes that would overflow
 *     return NULL and leave the arena unchanged; nothing ever wraps.
 *   - An arena with no upstream never allocates. With one, it asks for chunks only when
 *     an allocation does not fit, and gives every chunk back on rewind and reset.
 *   - No libc, no OS, no lock: one arena belongs to one thread at a time.
 *
 * Granules
 *   The usable part of the buffer and of each chunk starts and ends on a multiple of
 *   MK_ALIGN: init skips up to MK_ALIGN - 1 bytes at each end of the buffer. This keeps
 *   the end of the current chunk on a multiple of every alignment the fast path serves,
 *   so the aligned position can never pass it and one comparison is enough.
 *
 * Used bytes, high-water mark and limit
 *   used = bytes from the start of the arena's memory to the current position,
 *   counting alignment padding and the unused end of a chunk the arena moved on from
 *   (that space is spent until a rewind returns to it). For an arena over one buffer it
 *   is simply how far into the buffer it is; its high-water mark is how large the buffer
 *   needed to be. The limit caps used; it is kept in whole granules (rounded down to a
 *   multiple of MK_ALIGN).
 *
 * Checkpoints
 *   mk_arena_mark returns the current position; mk_arena_rewind goes back to it,
 *   releasing everything allocated since. Marks nest LIFO: a mark stays live until the
 *   arena goes below its position (a rewind to an older mark, a reset, shrinking an
 *   allocation below it), and rewinding to a mark that is not live is a bug. Every build
 *   refuses (and leaves the arena as it is) a mark whose chunk is no longer in the
 *   arena or whose position is past the current one. Checked builds (MK_CHECKED=1) also
 *   catch a mark taken on another arena, and a mark the arena was rewound past and has
 *   since grown beyond again: each mark carries a generation, and the arena keeps the
 *   low points of its last MK_ARENA_CHECK_DEPTH backward moves (a stack of suffix
 *   minima, so O(1) space). The check never reports a live mark; a mark older than
 *   MK_ARENA_CHECK_DEPTH nested rewinds may escape it. mk_arena_rewind reports misuse
 *   to the fault hook; mk_arena_rewind_checked returns MK_EINVAL instead. Checked builds
 *   also fill released bytes with MK_ARENA_POISON, which makes rewind and reset
 *   O(bytes released) there.
 *
 * Growth
 *   mk_arena_set_upstream gives an arena an mk_allocator to take chunks from when its
 *   memory runs out. Each chunk holds its own header (previous chunk, size, used bytes
 *   before it) at its start; the first is first_chunk bytes and each next one twice the
 *   last, up to max_chunk. A request too large for that gets a chunk of its own size;
 *   if upstream refuses a full-size chunk, the arena retries with the smallest chunk
 *   that fits the request. A rewind to a mark in an earlier chunk, and a reset, return
 *   the later chunks upstream (newest first); call mk_arena_reset before dropping an
 *   arena that grew.
 *
 * Scratch arenas
 *   Each thread has MK_SCRATCH_COUNT arenas for temporary work (C11 _Thread_local; in
 *   freestanding builds one static set shared by the whole program, see
 *   MK_SCRATCH_THREAD_LOCAL). A function that builds its result in arena `out` and needs
 *   temporary memory calls mk_scratch_begin(&out, 1), which picks a scratch arena that
 *   is not `out`, and mk_scratch_end when done, which rewinds it. Because a caller's
 *   scratch arena may be the callee's `out`, passing it as a conflict keeps the two
 *   apart; with two scratch arenas one conflict can always be satisfied.
 *   The scratch arenas start empty (all-zero: no memory, no upstream). Give each thread's
 *   arenas memory before first use, either a buffer:
 *       mk_arena_init(mk_scratch_arena(i), buf_i, sizeof buf_i);
 *   or growth (chunks come and go with the work):
 *       mk_arena_set_upstream(mk_scratch_arena(i), mk_heap_allocator(&heap), 4096, 0);
 *   and, if they grow, call mk_scratch_release() before the thread ends.
 */
#ifndef MEMKIT_ARENA_H
#define MEMKIT_ARENA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memkit/alloc.h"
#include "memkit/config.h"
#include "memkit/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- options (a MK_CONFIG_FILE may define any of them) ------------------------------ */

/* The byte checked builds fill released arena memory with. */
#ifndef MK_ARENA_POISON
#define MK_ARENA_POISON 0xAAu
#endif

/* How many of its latest backward moves a checked arena remembers (1..64). */
#ifndef MK_ARENA_CHECK_DEPTH
#define MK_ARENA_CHECK_DEPTH 4
#endif

/* First chunk size mk_arena_set_upstream uses when asked for 0. */
#ifndef MK_ARENA_FIRST_CHUNK
#define MK_ARENA_FIRST_CHUNK 4096u
#endif

/* Scratch arenas per thread (2..4). */
#ifndef MK_SCRATCH_COUNT
#define MK_SCRATCH_COUNT 2
#endif

/* 1: one set of scratch arenas per thread (_Thread_local); 0: one static set for the
 * program, for freestanding targets without thread-local storage (there the scratch
 * functions must be called from one thread, or one interrupt level, only). Default: 1
 * in hosted builds, 0 with -ffreestanding or MK_FREESTANDING. */
#ifndef MK_SCRATCH_THREAD_LOCAL
#if !defined(MK_FREESTANDING) && defined(__STDC_HOSTED__) && __STDC_HOSTED__
#define MK_SCRATCH_THREAD_LOCAL 1
#else
#define MK_SCRATCH_THREAD_LOCAL 0
#endif
#endif

#if MK_ARENA_CHECK_DEPTH < 1 || MK_ARENA_CHECK_DEPTH > 64
#error "MK_ARENA_CHECK_DEPTH must be in 1..64"
#endif
#if MK_SCRATCH_COUNT < 2 || MK_SCRATCH_COUNT > 4
#error "MK_SCRATCH_COUNT must be in 2..4"
#endif

/* ---- types ------------------------------------------------------------------------- */

/* What the fault hook reports. */
typedef enum mk_arena_fault {
    MK_ARENA_FAULT_FOREIGN_MARK = 1, /* the mark was taken on another arena */
    MK_ARENA_FAULT_STALE_MARK,       /* the arena went below the mark since it was taken
                                        (rewound or reset past it) */
    MK_ARENA_FAULT_BAD_MARK          /* the mark's position is not in this arena's memory
                                        now (its chunk was returned, or it lies past the
                                        current position) */
} mk_arena_fault;

/* Returns a static name for `fault` ("mark from another arena"); O(1). */
const char *mk_arena_fault_name(mk_arena_fault fault);

/* Hooks. The arena keeps a pointer to the struct, so it must outlive the arena (a static
 * const struct is typical). fault is called with the arena unchanged and may use it. */
typedef struct mk_arena_hooks {
    void (*fault)(void *ctx, mk_arena_fault kind, const void *ptr);
    void *ctx;
} mk_arena_hooks;

/* The header at the start of every chunk taken from upstream. Private. */
typedef struct mk__arena_chunk {
    struct mk__arena_chunk *prev; /* the chunk entered before, NULL: the caller's buffer */
    size_t size;                  /* bytes taken from upstream (the sized free needs it) */
    size_t before;                /* arena bytes used when it was entered (a multiple of
                                     MK_ALIGN) */
} mk__arena_chunk;

/* The arena object. Place it anywhere; all fields are private. A zero-initialised
 * mk_arena is a valid arena with no memory and no upstream (every allocation fails).
 * Invariants:
 *   start <= cur <= end <= chunk end, where start and chunk end are those of `chunk` (the
 *   caller's buffer [buf, buf_end) when chunk is NULL); start, end and chunk end are
 *   multiples of MK_ALIGN (or all NULL in an arena with no memory);
 *   used == cur - base, and base == start - (bytes used before the chunk);
 *   used <= limit, and end == min(chunk end, position where used == limit);
 *   the chunks form a list through prev, newest first, all from `upstream`.
 * sizeof: 48 bytes on 32-bit targets, 96 on 64-bit (with MK_CHECKED and the default
 * MK_ARENA_CHECK_DEPTH of 4: 92 and 184). */
typedef struct mk_arena {
    unsigned char *cur;     /* next free byte */
    unsigned char *end;     /* allocations end at or before this */
    uintptr_t base;         /* used bytes == cur - base (modulo 2^N) */
    mk__arena_chunk *chunk; /* the chunk cur is in; NULL: the caller's buffer */
    unsigned char *buf;     /* caller's buffer, start rounded up to MK_ALIGN */
    unsigned char *buf_end; /* its end rounded down; buf == buf_end == NULL when no
                               granule fits */
    size_t high;            /* most bytes used, as of the last move back (the current
                               used may be higher: see mk_arena_high_water) */
    size_t limit_inv;       /* ~limit, so that the all-zero arena has none */
    mk_allocator upstream;  /* vt NULL: none, the arena never allocates */
    size_t next_chunk;      /* bytes the next chunk asks for, a multiple of MK_ALIGN */
    size_t max_chunk;       /* next_chunk stops doubling here */
#if MK_CHECKED
    size_t gen;             /* moves back so far (modulo 2^N) */
    size_t kills_len;       /* entries in kills */
    struct {
        size_t gen;         /* the move's generation */
        size_t floor;       /* used bytes right after it */
    } kills[MK_ARENA_CHECK_DEPTH]; /* bottom to top: gen and floor strictly increase;
                                      each entry's floor is below every later move's */
    const mk_arena_hooks *hooks;
#endif
} mk_arena;

/* A position to rewind to. Treat it as opaque; it is valid only for the arena that made
 * it. sizeof: 2 words (5 with MK_CHECKED). */
typedef struct mk_arena_pos {
    unsigned char *cur;
    mk__arena_chunk *chunk;
#if MK_CHECKED
    const mk_arena *arena; /* who made it */
    size_t gen;            /* arena->gen when made */
    size_t used;           /* arena used bytes when made */
#endif
} mk_arena_pos;

/* ---- functions --------------------------------------------------------------------- */

/* Initialises `a` over [buf, buf + size): no limit, no upstream, high-water mark 0. The
 * usable part starts at buf rounded up to MK_ALIGN and ends at buf + size rounded down;
 * when that holds no whole granule (also for buf NULL, or a buffer that would wrap the
 * address space) the arena has no memory of its own (it can still grow, see
 * mk_arena_set_upstream). Cannot fail. O(1). */
void mk_arena_init(mk_arena *a, void *buf, size_t size);

/* Out-of-line part of mk_arena_alloc. Private. */
void *mk__arena_alloc_slow(mk_arena *a, size_t size, size_t align);

/* Returns size bytes aligned to `align` (0: MK_ALIGN; else a power of two), or NULL when
 * they do not fit (and no chunk can be had), when align is not a power of two, or when
 * size plus padding would overflow; on NULL the arena is unchanged. size 0 returns a
 * position (possibly the same as the next allocation's), or NULL when even that does
 * not fit or the arena has no memory; it never takes a chunk. Contents are
 * unspecified. O(1); a new chunk costs one upstream alloc. */
static inline void *mk_arena_alloc(mk_arena *a, size_t size, size_t align)
{
    /* Fast path: alignments up to MK_ALIGN (constants fold the test away). end is a
     * multiple of MK_ALIGN and cur <= end, so the aligned position is <= end too and
     * end - p cannot wrap. */
    size_t m = (align ? align : MK_ALIGN) - 1u;
    /* Builds that tell a memory checker about allocations take the slow path, which does. */
    if (!MK_ASAN && !MK_VALGRIND && m < MK_ALIGN && (m & (m + 1u)) == 0) {
        uintptr_t p = ((uintptr_t)a->cur + m) & ~(uintptr_t)m;
        if (size <= (uintptr_t)a->end - p) {
            a->cur = (unsigned char *)(p + size);
            return (void *)p;
        }
    }
    return mk__arena_alloc_slow(a, size, align);
}

/* Changes the size of the last allocation (ptr, which was given old_size bytes: by
 * mk_arena_alloc or a previous resize) in place, growing or shrinking it. Returns false
 * and changes nothing when ptr is not the last allocation of the current chunk, or the
 * new size does not fit before the end of the chunk (or the limit); resize never takes
 * a new chunk (move the block yourself, or use mk_remap through mk_arena_allocator).
 * Shrinking releases the tail like a rewind (checked builds poison it, and it kills
 * marks above the new end). O(1) (checked builds: O(bytes released)). */
bool mk_arena_resize(mk_arena *a, void *ptr, size_t old_size, size_t new_size);

/* Returns the current position, to rewind to later. Reads only. O(1). */
static inline mk_arena_pos mk_arena_mark(const mk_arena *a)
{
    mk_arena_pos pos;
    pos.cur = a->cur;
    pos.chunk = a->chunk;
#if MK_CHECKED
    pos.arena = a;
    pos.gen = a->gen;
    pos.used = (size_t)((uintptr_t)a->cur - a->base);
#endif
    return pos;
}

/* Returns the arena to `pos` (a live mark of this arena), releasing every allocation
 * made since and returning chunks entered since to upstream. A mark that is not live is
 * ignored (the arena unchanged), as far as the build can tell (see Checkpoints above);
 * checked builds report it to the fault hook. O(1) within one chunk, plus one upstream
 * free per chunk released and a walk over them (checked builds: plus
 * O(bytes released) poisoning and O(MK_ARENA_CHECK_DEPTH)). */
void mk_arena_rewind(mk_arena *a, mk_arena_pos pos);

/* As mk_arena_rewind, but returns MK_OK, or MK_EINVAL for a mark that is not live (the
 * arena unchanged, no hook called). Same cost. */
mk_err mk_arena_rewind_checked(mk_arena *a, mk_arena_pos pos);

/* Releases every allocation: back to the start of the caller's buffer, every chunk
 * returned upstream. Keeps the limit, the upstream, the hooks and the high-water mark;
 * every mark except one taken at the very start dies. O(1) plus one upstream free per
 * chunk (checked builds: plus O(bytes released)). */
void mk_arena_reset(mk_arena *a);

/* Bytes an allocation with alignment 1 could get now without a new chunk (less for
 * larger alignments, by their padding). O(1). */
size_t mk_arena_remaining(const mk_arena *a);

/* Bytes used now (see "Used bytes" above). O(1). */
size_t mk_arena_used(const mk_arena *a);

/* Most bytes used at once since init. O(1). */
size_t mk_arena_high_water(const mk_arena *a);

/* Caps used bytes at `limit` rounded down to a multiple of MK_ALIGN (SIZE_MAX: no cap)
 * from now on; allocations that would pass it fail as if memory ran out, and no chunk is
 * taken for them. Returns false, changing nothing, when more than that is already used.
 * O(1). */
bool mk_arena_set_limit(mk_arena *a, size_t limit);

/* Lets `a` take chunks from `upstream` when its memory runs out (see Growth above):
 * the first of first_chunk bytes (0: MK_ARENA_FIRST_CHUNK), doubling up to max_chunk
 * (0: no cap below SIZE_MAX / 2), both rounded up to a multiple of MK_ALIGN and to hold
 * the chunk header; max_chunk below first_chunk is raised to it. Pass
 * mk_null_allocator() or a handle with a NULL vt to stop growth. Returns false, changing
 * nothing, while the arena holds chunks (they must go back to the allocator they came
 * from: reset first). The upstream must outlive the arena's chunks. O(1). */
bool mk_arena_set_upstream(mk_arena *a, mk_allocator upstream, size_t first_chunk,
                           size_t max_chunk);

/* Installs hooks (NULL removes them). Only checked builds report faults, so elsewhere
 * this does nothing. O(1). */
void mk_arena_set_hooks(mk_arena *a, const mk_arena_hooks *hooks);

/* `a` as an mk_allocator: alloc is mk_arena_alloc; free releases the block only when it
 * is the last allocation (mk_arena_resize to 0), else does nothing; resize is
 * mk_arena_resize (align ignored); remap is the default (resize in place, else allocate,
 * copy and free); owns is true for pointers inside the buffer or any chunk the arena
 * holds, O(chunks). The arena must outlive the handle. O(1). */
mk_allocator mk_arena_allocator(mk_arena *a);

/* ---- scratch arenas ---------------------------------------------------------------- */

/* A scratch arena in use and where to rewind it to. arena is NULL when every scratch
 * arena was in the conflicts list. */
typedef struct mk_scratch {
    mk_arena *arena;
    mk_arena_pos pos;
} mk_scratch;

/* This thread's scratch arena i (0 <= i < MK_SCRATCH_COUNT), to give it memory or
 * inspect it; NULL for i out of range. O(1). */
mk_arena *mk_scratch_arena(size_t i);

/* Picks the first of this thread's scratch arenas that is not one of conflicts[0..n)
 * (conflicts may be NULL when n is 0; NULL entries are ignored) and marks it. Use
 * s.arena for temporary allocations, then mk_scratch_end(s); nest begin/end pairs LIFO.
 * s.arena is NULL when every scratch arena conflicts. O(n * MK_SCRATCH_COUNT). */
mk_scratch mk_scratch_begin(mk_arena *const *conflicts, size_t n);

/* Rewinds s.arena to where mk_scratch_begin found it (nothing when it is NULL). Same
 * cost and checks as mk_arena_rewind. */
void mk_scratch_end(mk_scratch s);

/* Resets every scratch arena of this thread, returning their chunks upstream: call it
 * before a thread whose scratch arenas grew ends. O(chunks). */
void mk_scratch_release(void);

#ifdef __cplusplus
}
#endif

#endif /* MEMKIT_ARENA_H */
