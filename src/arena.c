/*
 * mk_arena: the out-of-line parts (slow allocation path, growth, moving back, checks)
 * and the scratch arenas. Layout of a chunk taken from upstream:
 *
 *   chunk (MK_ALIGN-aligned, from upstream)                       chunk + size
 *   | mk__arena_chunk | pad to MK_ALIGN | allocations ... | free ... |
 *                     ^ start = chunk + MK__ARENA_HDR    ^ cur      ^ chunk end
 *
 * The caller's buffer is the chunk before the first one and has no header: its start
 * and end are kept in the arena (buf, buf_end). "Used" bytes form one coordinate across
 * all chunks: a chunk's start is `before` (every byte of the chunks before it, their
 * unused ends included), which is why base = start - before turns cur into used with one
 * subtraction, and why positions (marks, the limit, the checked-build floors) compare
 * across chunks without knowing which chunk they are in.
 */
#include "memkit/arena.h"

#include "internal/annotate.h"
#include "internal/bits.h"
#include "internal/mem.h"

#define MK__GRANULE ((uintptr_t)MK_ALIGN - 1u)
/* Header size, rounded so that a chunk's start keeps the chunk's MK_ALIGN alignment. */
#define MK__ARENA_HDR ((sizeof(mk__arena_chunk) + MK_ALIGN - 1u) & ~(MK_ALIGN - 1u))

_Static_assert((MK_ALIGN & (MK_ALIGN - 1u)) == 0, "MK_ALIGN must be a power of two");

static uintptr_t align_down(uintptr_t x) { return x & ~MK__GRANULE; }

static unsigned char *chunk_start(mk__arena_chunk *c)
{
    return (unsigned char *)c + MK__ARENA_HDR;
}

static unsigned char *chunk_end(mk__arena_chunk *c) { return (unsigned char *)c + c->size; }

/* Start and end of the memory cur is in. */
static unsigned char *cur_start(const mk_arena *a)
{
    return a->chunk ? chunk_start(a->chunk) : a->buf;
}
static unsigned char *cur_end(const mk_arena *a)
{
    return a->chunk ? chunk_end(a->chunk) : a->buf_end;
}

static size_t used_of(const mk_arena *a) { return (size_t)((uintptr_t)a->cur - a->base); }

/* Where allocations must stop in the current chunk: its end, or earlier if the limit
 * says so. Both are multiples of MK_ALIGN (the limit is kept rounded down and so are
 * `before` values), so end stays one too. */
static unsigned char *limited_end(const mk_arena *a)
{
    unsigned char *start = cur_start(a), *end = cur_end(a);
    size_t limit = ~a->limit_inv;
    size_t before = (size_t)((uintptr_t)start - a->base);
    /* limit >= used >= before (set_limit and growth keep it so); were it broken,
     * limit - before would wrap high and the chunk end would win, which is safe. */
    MK_ASSERT(limit >= before);
    if (limit - before < (size_t)(end - start))
        return start + (limit - before);
    return end;
}

void mk_arena_init(mk_arena *a, void *buf, size_t size)
{
    uintptr_t s = (uintptr_t)buf;
    a->buf = NULL;
    a->buf_end = NULL;
    if (buf && size <= UINTPTR_MAX - s && s <= UINTPTR_MAX - MK__GRANULE) {
        uintptr_t lo = (s + MK__GRANULE) & ~MK__GRANULE;
        uintptr_t hi = align_down(s + size);
        /* Pointer arithmetic inside the buffer, not integer-to-pointer casts. */
        if (lo < hi) {
            a->buf = (unsigned char *)buf + (lo - s);
            a->buf_end = (unsigned char *)buf + (hi - s);
        }
    }
    a->cur = a->buf;
    a->end = a->buf_end;
    a->base = (uintptr_t)a->buf;
    if (a->buf)
        mk__an_close(a->buf, (size_t)(a->buf_end - a->buf));
    a->chunk = NULL;
    a->high = 0;
    a->limit_inv = 0;
    a->upstream.ctx = NULL;
    a->upstream.vt = NULL;
    a->next_chunk = 0;
    a->max_chunk = 0;
#if MK_CHECKED
    a->gen = 0;
    a->kills_len = 0;
    a->hooks = NULL;
#endif
}

/* ---- checked builds: poison and the record of moves back ---------------------------- */

#if MK_CHECKED

MK__NO_LIBCALLS static void poison(unsigned char *from, unsigned char *to)
{
    for (unsigned char *p = from; p < to; p++)
        *p = (unsigned char)MK_ARENA_POISON;
}

/* Records a move back to `floor` used bytes: pops the entries it undercuts (or equals:
 * the later of two equal floors is the one to keep) and pushes it, dropping the oldest
 * entry when full. Dropping only makes the check miss old marks, never accuse live
 * ones: the next entry has a higher floor. */
static void record_move_back(mk_arena *a, size_t floor)
{
    a->gen++;
    size_t n = a->kills_len;
    while (n && a->kills[n - 1].floor >= floor)
        n--;
    if (n == MK_ARENA_CHECK_DEPTH) {
        for (size_t i = 1; i < n; i++)
            a->kills[i - 1] = a->kills[i];
        n--;
    }
    a->kills[n].gen = a->gen;
    a->kills[n].floor = floor;
    a->kills_len = n + 1;
}

/* Whether the arena went below `used` after generation `gen`. The first entry newer
 * than gen holds the lowest floor of every move since (entries are suffix minima).
 * Ages (moves ago) rather than generations, so that wrapping counters still compare. */
static bool went_below(const mk_arena *a, size_t gen, size_t used)
{
    size_t age = a->gen - gen;
    for (size_t i = 0; i < a->kills_len; i++)
        if (a->gen - a->kills[i].gen < age)
            return a->kills[i].floor < used;
    return false;
}

static void report(const mk_arena *a, mk_arena_fault kind, const void *ptr)
{
    if (a->hooks && a->hooks->fault)
        a->hooks->fault(a->hooks->ctx, kind, ptr);
}

#endif /* MK_CHECKED */

/* ---- moving back: rewind, reset, shrinking resize ----------------------------------- */

/* Moves cur back to `to` in chunk `target` (which is a->chunk or older), returning the
 * chunks after it upstream. Everything the arena will say afterwards follows from cur
 * and chunk, so this is the only place that lowers them. */
static void move_back(mk_arena *a, mk__arena_chunk *target, unsigned char *to)
{
    size_t used = used_of(a);
    if (used > a->high)
        a->high = used; /* used only grows between moves back, so its peak is now */
#if MK_CHECKED
    unsigned char *dirty = a->cur; /* poison [to, dirty) of the target chunk */
#endif
    unsigned char *released = a->cur; /* what the caller may no longer touch */
    if (a->chunk != target) {
        do {
            mk__arena_chunk *c = a->chunk;
            a->chunk = c->prev;
            mk_free(a->upstream, c, c->size, MK_ALIGN);
        } while (a->chunk != target);
#if MK_CHECKED
        dirty = cur_end(a); /* the target's unused end was spent too */
#endif
        released = cur_end(a);
        a->base = (uintptr_t)cur_start(a) - (a->chunk ? a->chunk->before : 0);
        a->end = limited_end(a);
    }
    /* Within one chunk, base and end stay as they are: the usual rewind is a store or two. */
    a->cur = to;
    if (to)
        mk__an_close(to, (size_t)(released - to));
#if MK_CHECKED
    poison(to, dirty);
    record_move_back(a, used_of(a));
#endif
}

/* Checks that pos is a live mark of a (as far as this build can tell): returns 0, or
 * the fault. Compares integers, and follows no pointer from pos, so that a foreign or
 * stale mark is no undefined behaviour. */
static int check_mark(const mk_arena *a, const mk_arena_pos *pos)
{
#if MK_CHECKED
    if (pos->arena != a)
        return MK_ARENA_FAULT_FOREIGN_MARK;
    if (pos->used > used_of(a) || went_below(a, pos->gen, pos->used))
        return MK_ARENA_FAULT_STALE_MARK;
#endif
    mk__arena_chunk *c = a->chunk;
    while (c != pos->chunk) {
        if (!c)
            return MK_ARENA_FAULT_BAD_MARK;
        c = c->prev;
    }
    uintptr_t p = (uintptr_t)pos->cur;
    uintptr_t lo = (uintptr_t)(c ? chunk_start(c) : a->buf);
    uintptr_t hi = c == a->chunk ? (uintptr_t)a->cur
                   : (uintptr_t)(c ? chunk_end(c) : a->buf_end);
    if (p < lo || p > hi)
        return MK_ARENA_FAULT_BAD_MARK;
#if MK_CHECKED
    /* A returned chunk's address may come back as a new chunk, which the walk cannot
     * tell from the old one; their used coordinates differ. */
    if ((size_t)(p - lo) + (c ? c->before : 0) != pos->used)
        return MK_ARENA_FAULT_STALE_MARK;
#endif
    return 0;
}

/* The positions travel by pointer inside: a checked mark is five words, which some
 * ABIs copy with memcpy when passed by value. */
static void rewind_to(mk_arena *a, const mk_arena_pos *pos)
{
    int fault = check_mark(a, pos);
    if (!fault) {
        move_back(a, pos->chunk, pos->cur);
        return;
    }
#if MK_CHECKED
    report(a, (mk_arena_fault)fault, pos->cur);
#endif
}

void mk_arena_rewind(mk_arena *a, mk_arena_pos pos)
{
    rewind_to(a, &pos);
}

mk_err mk_arena_rewind_checked(mk_arena *a, mk_arena_pos pos)
{
    if (check_mark(a, &pos))
        return MK_EINVAL;
    move_back(a, pos.chunk, pos.cur);
    return MK_OK;
}

void mk_arena_reset(mk_arena *a)
{
    move_back(a, NULL, a->buf);
}

bool mk_arena_resize(mk_arena *a, void *ptr, size_t old_size, size_t new_size)
{
    uintptr_t p = (uintptr_t)ptr, cur = (uintptr_t)a->cur;
    /* The last allocation ends at cur; p >= start rules out a p + old_size that wraps. */
    if (!ptr || p < (uintptr_t)cur_start(a) || p > cur || cur - p != old_size)
        return false;
    if (new_size > (uintptr_t)a->end - p)
        return false;
    unsigned char *to = (unsigned char *)ptr + new_size;
    if (new_size < old_size) {
        move_back(a, a->chunk, to);
    } else {
        mk__an_open(ptr, new_size);
        a->cur = to;
    }
    return true;
}

/* ---- the slow allocation path and growth ------------------------------------------- */

/* Takes a chunk for `size` bytes aligned to `align` (a power of two) and allocates them
 * from it; NULL (arena unchanged) when there is no upstream, the limit forbids it, the
 * sizes overflow, or upstream refuses even the smallest chunk that would do. */
static void *grow(mk_arena *a, size_t size, size_t align)
{
    if (!a->upstream.vt)
        return NULL;
    /* A chunk's start is MK_ALIGN-aligned; a larger alignment may need up to this much
     * padding after it. */
    size_t extra = align > MK_ALIGN ? align - MK_ALIGN : 0;
    if (size > SIZE_MAX - MK__ARENA_HDR - extra - MK__GRANULE)
        return NULL;
    size_t need = (MK__ARENA_HDR + extra + size + MK__GRANULE) & ~(size_t)MK__GRANULE;
    /* Moving on spends the rest of this chunk: the new one starts at `before`. The
     * limit check assumes the worst padding, so that it needs no second look. */
    size_t before = (size_t)((uintptr_t)cur_end(a) - a->base);
    size_t limit = ~a->limit_inv;
    if (before > limit || extra + size > limit - before)
        return NULL;

    size_t csize = need > a->next_chunk ? need : a->next_chunk;
    mk__arena_chunk *c = mk_alloc(a->upstream, csize, MK_ALIGN);
    if (!c && csize > need) {
        /* A doubled chunk may be more than upstream has left; the request may not be. */
        csize = need;
        c = mk_alloc(a->upstream, csize, MK_ALIGN);
    }
    if (!c)
        return NULL;
    if ((uintptr_t)c & MK__GRANULE) {
        /* Upstream broke its contract; an unaligned chunk end would let the fast path
         * run past it, so refuse the chunk rather than corrupt memory. */
        mk_free(a->upstream, c, csize, MK_ALIGN);
        return NULL;
    }
    if (csize == a->next_chunk)
        a->next_chunk = a->next_chunk > a->max_chunk / 2 ? a->max_chunk : a->next_chunk * 2;

    c->prev = a->chunk;
    c->size = csize;
    c->before = before;
    a->chunk = c;
    unsigned char *start = chunk_start(c);
    a->base = (uintptr_t)start - before;
    size_t pad = (size_t)(0u - (uintptr_t)start) & (align - 1u);
    a->cur = start + pad + size;
    a->end = limited_end(a);
    mk__an_close(start, csize - MK__ARENA_HDR);
    mk__an_open(start + pad, size);
    return start + pad;
}

void *mk__arena_alloc_slow(mk_arena *a, size_t size, size_t align)
{
    if (align == 0)
        align = MK_ALIGN;
    if (!mk__is_pow2(align))
        return NULL;
    /* Alignments above MK_ALIGN may land past end, so compare the padding first. */
    uintptr_t cur = (uintptr_t)a->cur;
    size_t pad = (size_t)(0u - cur) & (align - 1u);
    size_t room = (size_t)((uintptr_t)a->end - cur);
    if (pad <= room && size <= room - pad) {
        if (!a->cur)
            return NULL; /* no memory at all: size 0 got here, and it takes no chunk */
        a->cur += pad + size;
        mk__an_open(a->cur - size, size);
        return a->cur - size;
    }
    if (size == 0)
        return NULL; /* as on the fast path: a zero-size request never takes a chunk */
    return grow(a, size, align);
}

/* ---- queries and settings ----------------------------------------------------------- */

size_t mk_arena_remaining(const mk_arena *a) { return (size_t)(a->end - a->cur); }

size_t mk_arena_used(const mk_arena *a) { return used_of(a); }

size_t mk_arena_high_water(const mk_arena *a)
{
    size_t used = used_of(a);
    return used > a->high ? used : a->high;
}

bool mk_arena_set_limit(mk_arena *a, size_t limit)
{
    limit = (size_t)align_down(limit);
    if (used_of(a) > limit)
        return false;
    a->limit_inv = ~limit;
    a->end = limited_end(a);
    return true;
}

/* Rounds a chunk size up to MK_ALIGN, to at least a header and one granule, saturating
 * below SIZE_MAX / 2 so that doubling and rounding never overflow. */
static size_t chunk_size(size_t n)
{
    size_t top = (SIZE_MAX / 2) & ~(size_t)MK__GRANULE;
    if (n < MK__ARENA_HDR + MK_ALIGN)
        n = MK__ARENA_HDR + MK_ALIGN;
    if (n > top)
        return top;
    return (n + MK__GRANULE) & ~(size_t)MK__GRANULE;
}

bool mk_arena_set_upstream(mk_arena *a, mk_allocator upstream, size_t first_chunk,
                           size_t max_chunk)
{
    if (a->chunk)
        return false;
    a->upstream = upstream;
    a->next_chunk = chunk_size(first_chunk ? first_chunk : MK_ARENA_FIRST_CHUNK);
    a->max_chunk = chunk_size(max_chunk ? max_chunk : SIZE_MAX);
    if (a->max_chunk < a->next_chunk)
        a->max_chunk = a->next_chunk;
    return true;
}

void mk_arena_set_hooks(mk_arena *a, const mk_arena_hooks *hooks)
{
#if MK_CHECKED
    a->hooks = hooks;
#else
    (void)a;
    (void)hooks;
#endif
}

const char *mk_arena_fault_name(mk_arena_fault fault)
{
    switch (fault) {
    case MK_ARENA_FAULT_FOREIGN_MARK: return "mark from another arena";
    case MK_ARENA_FAULT_STALE_MARK: return "mark already rewound past (LIFO order broken?)";
    case MK_ARENA_FAULT_BAD_MARK: return "mark not inside the arena's memory now";
    }
    return "unknown fault";
}

/* ---- mk_allocator adapter ----------------------------------------------------------- */

static void *arena_alloc(void *ctx, size_t size, size_t align)
{
    return mk_arena_alloc(ctx, size, align);
}

static void arena_free(void *ctx, void *ptr, size_t size, size_t align)
{
    (void)align;
    (void)mk_arena_resize(ctx, ptr, size, 0); /* only the last block comes back */
}

static bool arena_resize(void *ctx, void *ptr, size_t old_size, size_t new_size,
                         size_t align)
{
    (void)align;
    return mk_arena_resize(ctx, ptr, old_size, new_size);
}

static bool in(const void *p, const unsigned char *lo, const unsigned char *hi)
{
    return (uintptr_t)p - (uintptr_t)lo < (uintptr_t)hi - (uintptr_t)lo;
}

static bool arena_owns(void *ctx, const void *ptr)
{
    const mk_arena *a = ctx;
    for (mk__arena_chunk *c = a->chunk; c; c = c->prev)
        if (in(ptr, chunk_start(c), chunk_end(c)))
            return true;
    return in(ptr, a->buf, a->buf_end);
}

mk_allocator mk_arena_allocator(mk_arena *a)
{
    static const mk_allocator_vtable vt = { arena_alloc, arena_free, arena_resize, NULL,
                                            arena_owns };
    return (mk_allocator){ a, &vt };
}

/* ---- scratch arenas ----------------------------------------------------------------- */

/* All-zero: empty arenas until the thread gives them memory. */
#if MK_SCRATCH_THREAD_LOCAL
static _Thread_local mk_arena scratch[MK_SCRATCH_COUNT];
#else
static mk_arena scratch[MK_SCRATCH_COUNT];
#endif

mk_arena *mk_scratch_arena(size_t i)
{
    return i < MK_SCRATCH_COUNT ? &scratch[i] : NULL;
}

mk_scratch mk_scratch_begin(mk_arena *const *conflicts, size_t n)
{
    mk_scratch s;
    s.arena = NULL;
    for (size_t i = 0; i < MK_SCRATCH_COUNT && !s.arena; i++) {
        s.arena = &scratch[i];
        for (size_t k = 0; k < n; k++)
            if (conflicts[k] == s.arena)
                s.arena = NULL;
    }
    if (s.arena) {
        s.pos = mk_arena_mark(s.arena);
    } else {
        s.pos.cur = NULL;
        s.pos.chunk = NULL;
#if MK_CHECKED
        s.pos.arena = NULL;
        s.pos.gen = 0;
        s.pos.used = 0;
#endif
    }
    return s;
}

void mk_scratch_end(mk_scratch s)
{
    if (s.arena)
        rewind_to(s.arena, &s.pos);
}

void mk_scratch_release(void)
{
    for (size_t i = 0; i < MK_SCRATCH_COUNT; i++)
        mk_arena_reset(&scratch[i]);
}
