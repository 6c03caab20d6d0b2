/* The replay engine (replay.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"

static void on_failed(void *ctx, size_t size, size_t align, uint32_t caps, mk_err why)
{
    (void)size, (void)align, (void)caps;
    ((mkt_replay *)ctx)->last_why = why;
}

/* mkt_replay_init; *host_oom tells running out of host memory from a refused map. */
static bool setup(mkt_replay *r, const mkt_trace *t, const mkt_map *m, char *err,
                  size_t errsize, bool *host_oom)
{
    *host_oom = true;
    memset(r, 0, sizeof *r);
    r->trace = t;
    mk_heap_init(&r->heap);
    r->hooks.alloc_failed = on_failed;
    r->hooks.ctx = r;
    mk_heap_set_hooks(&r->heap, &r->hooks);
    size_t slots = t->slots ? t->slots : 1;
    r->slot = calloc(slots, sizeof *r->slot);
    if (!r->slot) {
        snprintf(err, errsize, "out of memory for %zu blocks", slots);
        mkt_replay_fini(r);
        return false;
    }
    for (unsigned i = 0; i < m->count; i++) {
        const mkt_region *g = &m->regions[i];
        mk_err e = MK_ERANGE;
        if (g->size <= SIZE_MAX) {
            r->mem[i] = malloc((size_t)g->size);
            e = r->mem[i] ? mk_heap_add_region(&r->heap, r->mem[i], (size_t)g->size, g->caps)
                          : MK_ENOMEM;
        }
        if (e != MK_OK) {
            *host_oom = !r->mem[i];
            snprintf(err, errsize, "region %s (%llu bytes): %s", g->name,
                     (unsigned long long)g->size, mk_strerror(e));
            mkt_replay_fini(r);
            return false;
        }
        r->capacity += (size_t)g->size;
    }
    /* The header size, measured rather than taken from the heap's private layout. */
    void *probe = mk_heap_alloc(&r->heap, 1);
    if (probe) {
        mk_heap_stats s;
        mk_heap_get_stats(&r->heap, 0, &s);
        r->header = s.used_bytes - mk_heap_usable_size(&r->heap, probe);
        mk_heap_free(&r->heap, probe);
    }
    return true;
}

bool mkt_replay_init(mkt_replay *r, const mkt_trace *t, const mkt_map *m, char *err,
                     size_t errsize)
{
    bool host_oom;
    return setup(r, t, m, err, errsize, &host_oom);
}

/* Bytes the heap spends on the block at p. */
static size_t block_bytes(const mkt_replay *r, const void *p)
{
    return p ? mk_heap_usable_size(&r->heap, p) + r->header : 0;
}

static size_t round_pow2(uint64_t a)
{
    uint64_t p = 1;
    while (p < a)
        p <<= 1;
    return p <= SIZE_MAX ? (size_t)p : 0;
}

bool mkt_replay_step(mkt_replay *r, mkt_step *out)
{
    if (r->next == r->trace->count)
        return false;
    const mkt_event *e = &r->trace->events[r->next];
    out->event = r->next++;
    out->failed = false;
    out->why = MK_OK;
    uint64_t bytes = mkt_event_bytes(e);
    void *old = NULL;
    size_t old_block = 0;
    if (e->ended != MKT_NO_SLOT) {
        struct mkt_slot *s = &r->slot[e->ended];
        old = s->ptr;
        old_block = s->block;
        r->live_bytes -= s->bytes;
        *s = (struct mkt_slot){ 0 };
    }
    if (e->born != MKT_NO_SLOT) {
        void *q = NULL;
        size_t block = 0;
        r->last_why = MK_ENOMEM;
        size_t align = e->op == 'a' ? round_pow2(e->arg) : 0;
        if (bytes > SIZE_MAX || (e->op == 'a' && !align)) {
            r->last_why = MK_ERANGE; /* a 32-bit host cannot even ask */
        } else if (old) {
            /* realloc to 0 bytes that returned a block: keep a minimal block. */
            q = mk_heap_realloc(&r->heap, old, bytes ? (size_t)bytes : 1);
            if (q) {
                block = block_bytes(r, q);
                r->heap_used -= old_block;
                old = NULL;
            }
        } else {
            q = mk_heap_alloc_caps(&r->heap, (size_t)bytes, align, e->caps);
            block = block_bytes(r, q);
        }
        r->heap_used += block;
        if (!q) {
            out->failed = true;
            out->why = r->last_why;
            /* a failed realloc leaves the old block live under the new id */
            q = old;
            block = old_block;
            old = NULL;
        }
        r->slot[e->born] = (struct mkt_slot){ q, bytes, block };
        r->live_bytes += bytes;
    }
    if (old) {
        r->heap_used -= old_block;
        mk_heap_free(&r->heap, old);
    }
    out->live_bytes = r->live_bytes;
    out->heap_used = r->heap_used;
    out->capacity = r->capacity;
    return true;
}

void mkt_replay_walk(const mkt_replay *r, mk_heap_walk_fn fn, void *ctx)
{
    mk_heap_walk(&r->heap, fn, ctx);
}

void mkt_replay_stats(const mkt_replay *r, uint32_t caps, mk_heap_stats *out)
{
    mk_heap_get_stats(&r->heap, caps, out);
}

const mk_heap *mkt_replay_heap(const mkt_replay *r) { return &r->heap; }

void mkt_replay_fini(mkt_replay *r)
{
    for (unsigned i = 0; i < MK_HEAP_MAX_REGIONS; i++)
        free(r->mem[i]);
    free(r->slot);
    memset(r, 0, sizeof *r);
}

static bool add_block(void *ctx, const mk_heap_block_info *b)
{
    mkt_region_use *u = &((mkt_region_use *)ctx)[b->region];
    if (b->used) {
        u->used += b->block_size;
    } else {
        u->free += b->block_size;
        if (b->block_size > u->largest_free)
            u->largest_free = b->block_size;
    }
    return true;
}

bool mkt_replay_summarize(const mkt_trace *t, const mkt_map *m, mkt_summary *out, char *err,
                          size_t errsize)
{
    memset(out, 0, sizeof *out);
    mkt_replay r;
    if (!mkt_replay_init(&r, t, m, err, errsize))
        return false;
    mkt_step s;
    while (mkt_replay_step(&r, &s)) {
        if (s.heap_used > out->peak_heap_bytes) {
            out->peak_heap_bytes = s.heap_used;
            out->peak_heap_event = s.event;
        }
        if (s.failed && out->failures++ == 0) {
            out->first_failure_event = s.event;
            out->first_failure_why = s.why;
            out->first_failure_bytes = mkt_event_bytes(&t->events[s.event]);
        }
    }
    mkt_replay_fini(&r);
    out->events = t->count;
    out->peak_live_bytes = t->peak_live_bytes;
    out->peak_live_event = t->peak_live_event;
    out->final_live_blocks = t->final_live_blocks;
    out->final_live_bytes = t->final_live_bytes;
    /* Again up to the peak, to see the regions as they were then. */
    if (!mkt_replay_init(&r, t, m, err, errsize))
        return false;
    out->capacity = r.capacity;
    while (t->count && r.next <= out->peak_heap_event && mkt_replay_step(&r, &s))
        ;
    mkt_replay_walk(&r, add_block, out->regions);
    mk_heap_stats st;
    mkt_replay_stats(&r, 0, &st);
    out->largest_free_at_peak = st.largest_free_block;
    out->fragmentation_at_peak = st.fragmentation;
    mkt_replay_fini(&r);
    return true;
}

bool mkt_replay_fits(const mkt_trace *t, const mkt_map *m, mk_err *why, char *err,
                     size_t errsize)
{
    err[0] = '\0';
    *why = MK_ETOOSMALL;
    mkt_replay r;
    bool host_oom;
    if (!setup(&r, t, m, err, errsize, &host_oom)) {
        /* A region the heap refuses is a size that does not work, not an error. */
        if (!host_oom)
            err[0] = '\0';
        return false;
    }
    mkt_step s;
    bool ok = true;
    while (ok && mkt_replay_step(&r, &s))
        ok = !s.failed;
    *why = ok ? MK_OK : s.why;
    mkt_replay_fini(&r);
    return ok;
}
