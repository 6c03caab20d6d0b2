/* What feeds the report: the bounded series, the size histogram and heap snapshots. */
#include "report.h"

#include <stdlib.h>

static size_t max_size(size_t a, size_t b) { return a > b ? a : b; }

/* b joins a: a keeps the later event and the larger of every count. */
static void merge(mkt_report_sample *a, const mkt_report_sample *b)
{
    a->event = b->event;
    a->live = max_size(a->live, b->live);
    a->used = max_size(a->used, b->used);
    a->capacity = max_size(a->capacity, b->capacity);
    a->failed = a->failed || b->failed;
}

bool mkt_series_init(mkt_series *s, mkt_report_sample *points, size_t cap)
{
    if (!s || !points || cap < 2)
        return false;
    *s = (mkt_series){.points = points, .cap = cap, .width = 1};
    return true;
}

void mkt_series_add(mkt_series *s, const mkt_report_sample *x)
{
    if (s->n > 0 && s->filled < s->width) {
        merge(&s->points[s->n - 1], x);
        s->filled++;
        return;
    }
    if (s->n == s->cap) {
        size_t half = 0;
        for (size_t i = 0; i < s->n; i += 2) {
            s->points[half] = s->points[i];
            if (i + 1 < s->n)
                merge(&s->points[half], &s->points[i + 1]);
            half++;
        }
        s->n = half;
        s->width *= 2;
    }
    s->points[s->n++] = *x;
    s->filled = 1;
}

void mkt_size_hist_add(mkt_size_hist *h, size_t size)
{
    unsigned k = 0;
    while (k < 64 && ((uint64_t)1 << k) < size)
        k++;
    h->count[k]++;
}

size_t mkt_size_hist_buckets(const mkt_size_hist *h, mkt_report_bucket *out, size_t cap)
{
    size_t first = MKT_SIZE_BUCKETS, last = 0;
    for (size_t k = 0; k < MKT_SIZE_BUCKETS; k++)
        if (h->count[k]) {
            if (first == MKT_SIZE_BUCKETS)
                first = k;
            last = k;
        }
    size_t n = 0;
    for (size_t k = first; k <= last && n < cap; k++, n++) {
        out[n].lo = k == 0 ? 0 : (size_t)((1ull << (k - 1)) + 1u);
        out[n].hi = k == 64 ? SIZE_MAX : (size_t)(1ull << k);
        out[n].count = h->count[k];
    }
    return n;
}

typedef struct walk {
    mkt_heap_snapshot *s;
    size_t n, cap;     /* blocks seen; room in s->blocks (0 on the counting pass) */
    bool overflow;     /* the heap grew between the passes */
    uintptr_t base;    /* start of the current region's first block */
    unsigned region;   /* heap index of the current region */
} walk;

static bool count_block(void *ctx, const mk_heap_block_info *b)
{
    (void)b;
    ((walk *)ctx)->n++;
    return true;
}

static bool copy_block(void *ctx, const mk_heap_block_info *b)
{
    walk *w = ctx;
    mkt_heap_snapshot *s = w->s;
    if (w->n == w->cap) {
        w->overflow = true;
        return false;
    }
    uintptr_t start = (uintptr_t)b->ptr - (b->block_size - b->size); /* header first */
    if (s->nregions == 0 || b->region != w->region) {
        mkt_report_region *r = &s->regions[s->nregions];
        snprintf(s->names[s->nregions], sizeof s->names[0], "region %u", b->region);
        *r = (mkt_report_region){.name = s->names[s->nregions], .base = start,
                                 .caps = b->caps, .blocks = s->blocks + w->n};
        s->nregions++;
        w->base = start;
        w->region = b->region;
    }
    mkt_report_region *r = &s->regions[s->nregions - 1];
    s->blocks[w->n++] = (mkt_report_block){.offset = (size_t)(start - w->base),
                                           .size = b->block_size, .used = b->used};
    r->nblocks++;
    r->size = (size_t)(start - w->base) + b->block_size;
    return true;
}

mk_err mkt_heap_snapshot_take(mkt_heap_snapshot *s, const mk_heap *h)
{
    if (!s || !h)
        return MK_EINVAL;
    *s = (mkt_heap_snapshot){0};
    walk w = {.s = s};
    mk_heap_walk(h, count_block, &w);
    w = (walk){.s = s, .cap = w.n};
    s->blocks = malloc((w.cap ? w.cap : 1) * sizeof *s->blocks);
    if (!s->blocks)
        return MK_ENOMEM;
    mk_heap_walk(h, copy_block, &w);
    return w.overflow || w.n != w.cap ? MK_ECORRUPT : MK_OK;
}

void mkt_heap_snapshot_free(mkt_heap_snapshot *s)
{
    if (!s)
        return;
    free(s->blocks);
    *s = (mkt_heap_snapshot){0};
}
