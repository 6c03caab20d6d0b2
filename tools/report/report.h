/*
 * The HTML heap report: one self-contained file (inline SVG and CSS, no scripts, no
 * network) showing usage over time, a to-scale map of every heap region at the peak and
 * at the first failure, a histogram of request sizes and a summary table.
 *
 * The input is plain data, so any producer can fill it (the replay engine, a test, a
 * firmware dump): the report knows nothing of how the numbers were obtained. Helpers
 * below build the parts from a live mk_heap and from a stream of events.
 *
 * Contents
 *   mkt_report_* ........ the input structs and mkt_report_write
 *   mkt_series .......... bounded time series: feed every event, keep maxima and failures
 *   mkt_size_hist ....... power-of-two histogram of request sizes
 *   mkt_heap_snapshot ... the regions of a live mk_heap as report regions
 */
#ifndef MEMKIT_TOOLS_REPORT_H
#define MEMKIT_TOOLS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "memkit/heap.h"

/* The state after one event of a run. */
typedef struct mkt_report_sample {
    uint64_t event;  /* index of the event in the trace */
    size_t live;     /* bytes the program asked for and still holds */
    size_t used;     /* bytes the heap spends on them (headers, rounding) */
    size_t capacity; /* bytes of all regions */
    bool failed;     /* an allocation failed at (or, downsampled, around) this event */
} mkt_report_sample;

/* One block of a region; offsets count from the region's first block. */
typedef struct mkt_report_block {
    size_t offset, size;
    bool used;
} mkt_report_block;

/* A region: blocks in address order, without gaps or overlaps, covering [0, size). */
typedef struct mkt_report_region {
    const char *name;
    uint64_t base; /* address of offset 0 as the hover text shows it (0: unknown) */
    size_t size;
    uint32_t caps;
    const mkt_report_block *blocks;
    size_t nblocks;
} mkt_report_region;

typedef struct mkt_report_row {
    const char *key, *value;
} mkt_report_row;

/* Requests of size lo..hi inclusive. */
typedef struct mkt_report_bucket {
    size_t lo, hi;
    uint64_t count;
} mkt_report_bucket;

/* Everything a report shows. Any array may be empty (NULL with count 0): its panel then
 * says there is nothing to show. Strings are escaped on output. */
typedef struct mkt_report {
    const char *title;
    const mkt_report_row *summary;
    size_t nsummary;
    const mkt_report_sample *samples; /* in event order; bound it with mkt_series */
    size_t nsamples;
    const mkt_report_region *peak;    /* the heap at peak usage */
    size_t npeak;
    uint64_t peak_event;
    const mkt_report_region *failure; /* the heap at the first failure, if any */
    size_t nfailure;
    uint64_t failure_event;
    const mkt_report_bucket *sizes;
    size_t nsizes;
} mkt_report;

/* Writes `r` as one HTML document to `out`. Output size is O(nsummary + nsamples +
 * nsizes) plus at most one shape per two pixels of each region's map (960 x 8):
 * blocks narrower than that are drawn merged, with a hover text giving the count and bytes
 * of used and free blocks in the run.
 * Returns 0; -1 with errno EINVAL when out or r is NULL, an array is NULL with a nonzero
 * count, or a region's blocks are out of order or past its size (nothing is written);
 * -1 with the stream's errno when writing fails. O(total blocks + samples + buckets). */
int mkt_report_write(FILE *out, const mkt_report *r);

/* A bounded series: fed one sample per event, it keeps at most `cap` points; when full
 * it halves itself by merging neighbours, taking the maximum of each byte count and
 * keeping every failure mark, so peaks and failures survive any length of run. */
typedef struct mkt_series {
    mkt_report_sample *points; /* private: the caller's array */
    size_t cap, n;             /* n points are valid; read them as points[0..n) */
    uint64_t width, filled;    /* private: samples per point, samples in the last one */
} mkt_series;

/* Makes `s` an empty series over `points[cap]`. Returns false for NULL or cap < 2. O(1). */
bool mkt_series_init(mkt_series *s, mkt_report_sample *points, size_t cap);

/* Adds one sample (events in increasing order). Amortised O(1); O(cap) when halving. */
void mkt_series_add(mkt_series *s, const mkt_report_sample *x);

/* Request sizes in power-of-two buckets: bucket 0 holds 0 and 1, bucket k holds
 * 2^(k-1)+1 .. 2^k. Zero-initialise, then add. */
#define MKT_SIZE_BUCKETS 65
typedef struct mkt_size_hist {
    uint64_t count[MKT_SIZE_BUCKETS];
} mkt_size_hist;

/* Counts one request. O(1). */
void mkt_size_hist_add(mkt_size_hist *h, size_t size);

/* Writes the buckets from the first to the last non-empty one (empty ones between are
 * kept, so the axis stays even) to out[cap]; returns how many (0 for an empty
 * histogram). Returns at most cap, dropping the largest buckets. O(MKT_SIZE_BUCKETS). */
size_t mkt_size_hist_buckets(const mkt_size_hist *h, mkt_report_bucket *out, size_t cap);

/* The regions of a heap, ready for mkt_report.peak or .failure. */
typedef struct mkt_heap_snapshot {
    mkt_report_region regions[MK_HEAP_MAX_REGIONS];
    size_t nregions;
    mkt_report_block *blocks; /* private: one allocation behind all regions' blocks */
    char names[MK_HEAP_MAX_REGIONS][24];
} mkt_heap_snapshot;

/* Fills `s` from `h` with mk_heap_walk (twice: count, then copy). Each region's map
 * starts at its first block (its index is not drawn); names are "region N". Free the
 * snapshot with mkt_heap_snapshot_free, also after a failure. Returns MK_OK, MK_EINVAL
 * for NULL, MK_ENOMEM when the block array cannot be allocated, MK_ECORRUPT when the
 * heap changed between the two walks. O(blocks). */
mk_err mkt_heap_snapshot_take(mkt_heap_snapshot *s, const mk_heap *h);

/* Releases the block array; `s` is then empty. NULL does nothing. O(1). */
void mkt_heap_snapshot_free(mkt_heap_snapshot *s);

#endif
