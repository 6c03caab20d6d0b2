/*
 * The replay engine: runs a trace on an mk_heap laid out as a memory map, one event at
 * a time, and reports the program's view (live bytes) beside the heap's (bytes its
 * blocks use, capacity, failures). Host code (libc).
 *
 * Per-event use (what a report generator does):
 *
 *     mkt_replay r;
 *     if (!mkt_replay_init(&r, &trace, &map, err, sizeof err)) ...;
 *     for (mkt_step s; mkt_replay_step(&r, &s);)
 *         if (s.event == wanted) mkt_replay_walk(&r, draw_block, ctx);  // every block
 *     mkt_replay_fini(&r);
 *
 * An event a trace marks as failed when recorded (id 0) is not tried. When the heap
 * fails an allocation the program's view goes on as recorded: a later free of that
 * block does nothing, and a failed realloc leaves the old block under the new id.
 */
#ifndef MEMKIT_TOOL_REPLAY_H
#define MEMKIT_TOOL_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "map.h"
#include "memkit/heap.h"
#include "trace.h"

/* The state after one event. */
typedef struct mkt_step {
    size_t event;        /* index of the event in the trace (0-based) */
    uint64_t live_bytes; /* requested bytes of the trace's live blocks */
    size_t heap_used;    /* bytes of the heap's used blocks (headers, rounding included) */
    size_t capacity;     /* bytes of all regions as handed to the heap */
    bool failed;         /* the heap could not serve this event's allocation */
    mk_err why;          /* when failed: MK_ENOMEM, MK_ENOCAPS, MK_ERANGE, ... */
} mkt_step;

/* A replay in progress. Fields are private; the object must not move after init (the
 * heap keeps a pointer to its hooks). */
typedef struct mkt_replay {
    const mkt_trace *trace;
    mk_heap heap;
    mk_heap_hooks hooks;
    unsigned char *mem[MK_HEAP_MAX_REGIONS];
    struct mkt_slot { /* per trace slot */
        void *ptr;      /* the heap block, or NULL */
        uint64_t bytes; /* requested bytes */
        size_t block;   /* bytes the heap spends on it */
    } *slot;
    size_t next;      /* index of the next event */
    uint64_t live_bytes;
    size_t heap_used;
    size_t capacity;
    size_t header;    /* the heap's per-block header: used bytes - usable bytes */
    mk_err last_why;  /* set by the failed-allocation hook */
} mkt_replay;

/* Sets up a heap with the regions of `m` (memory from malloc) for replaying `t`, which
 * must outlive the replay. Returns false with "region NAME: reason" in err when a region
 * cannot be made (too small, too large, out of memory); the replay then needs no fini.
 * O(regions + trace slots). */
bool mkt_replay_init(mkt_replay *r, const mkt_trace *t, const mkt_map *m, char *err,
                     size_t errsize);

/* Replays the next event and describes the state after it in *out. Returns false (out
 * untouched) when every event has been replayed. O(1) plus a realloc's copy. */
bool mkt_replay_step(mkt_replay *r, mkt_step *out);

/* Calls `fn` for every block of every region, as mk_heap_walk does. O(blocks). */
void mkt_replay_walk(const mkt_replay *r, mk_heap_walk_fn fn, void *ctx);

/* The heap's statistics now, as mk_heap_get_stats. O(regions). */
void mkt_replay_stats(const mkt_replay *r, uint32_t caps, mk_heap_stats *out);

/* The heap being replayed on, for inspection (a report's snapshots); it must not be
 * changed. O(1). */
const mk_heap *mkt_replay_heap(const mkt_replay *r);

/* Releases the regions and arrays. O(1). */
void mkt_replay_fini(mkt_replay *r);

/* One region's use at the heap's peak, from a block walk (bytes of whole blocks). */
typedef struct mkt_region_use {
    size_t used, free, largest_free;
} mkt_region_use;

/* What `memkit replay` prints. */
typedef struct mkt_summary {
    size_t events;
    uint64_t peak_live_bytes;
    size_t peak_live_event;
    size_t peak_heap_bytes;  /* largest heap_used */
    size_t peak_heap_event;
    size_t capacity;
    mkt_region_use regions[MK_HEAP_MAX_REGIONS]; /* at peak_heap_event */
    size_t largest_free_at_peak;                 /* largest request that would succeed */
    unsigned fragmentation_at_peak;              /* per mille, as mk_heap_stats */
    size_t failures;
    size_t first_failure_event; /* valid when failures > 0 */
    mk_err first_failure_why;
    uint64_t first_failure_bytes;
    size_t final_live_blocks;
    uint64_t final_live_bytes;
} mkt_summary;

/* Replays the whole trace twice (once to find the heap's peak, once more to stop there
 * and walk the regions) and fills *out. Returns false with a message as
 * mkt_replay_init. O(events + blocks at the peak). */
bool mkt_replay_summarize(const mkt_trace *t, const mkt_map *m, mkt_summary *out, char *err,
                          size_t errsize);

/* Whether every allocation of `t` succeeds on `m`; stops at the first failure and sets
 * *why to its reason (MK_OK when all fit; MK_ETOOSMALL when the heap refuses a region of
 * the map). Out of host memory returns false with a message in err (err[0] is '\0'
 * otherwise). O(events). */
bool mkt_replay_fits(const mkt_trace *t, const mkt_map *m, mk_err *why, char *err,
                     size_t errsize);

/* What `memkit plan` finds. */
typedef struct mkt_plan_result {
    bool found;           /* false: no size up to 4 GiB works (e.g. caps no region has) */
    uint64_t region_size; /* smallest working size of the resizable region */
    uint64_t total_bytes; /* all regions with the resizable one at region_size */
    uint64_t granule;     /* the step: region_size - granule fails */
    size_t iterations;    /* replays run */
} mkt_plan_result;

/* Bisects the size of `m`'s resizable region for the smallest on which every
 * allocation of `t` succeeds (the map's own size is only the starting guess). Returns
 * false with a message when the map has no resizable region or the host runs out of
 * memory. O(events x log2(size / granule)). */
bool mkt_plan(const mkt_trace *t, const mkt_map *m, mkt_plan_result *out, char *err,
              size_t errsize);

#endif
