/* `memkit replay --report OUT.html`: one more pass over the trace, feeding the report
 * (tools/report/report.h) a bounded usage series, the request-size histogram and heap
 * snapshots at the peak and at the first failure that the summary located. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "progress.h"
#include "report.h"

enum { MAX_POINTS = 1200 };

/* Names the snapshot's regions after the map's (the heap holds them in map order). */
static void name_regions(mkt_heap_snapshot *snap, const mkt_map *m)
{
    for (size_t i = 0; i < snap->nregions && i < m->count; i++)
        snap->regions[i].name = m->regions[i].name;
}

static void add_row(mkt_report_row *rows, size_t *n, char (*text)[64], const char *key,
                    const char *fmt, unsigned long long v)
{
    snprintf(text[*n], sizeof text[*n], fmt, v);
    rows[*n].key = key;
    rows[*n].value = text[*n];
    (*n)++;
}

int mkt_report_write_file(const char *path, const char *trace_name, const mkt_trace *t,
                          const mkt_map *m, const mkt_summary *s)
{
    static mkt_report_sample points[MAX_POINTS];
    static mkt_size_hist sizes;
    mkt_series series;
    mkt_series_init(&series, points, MAX_POINTS);
    memset(&sizes, 0, sizeof sizes);
    mkt_heap_snapshot peak = { 0 }, failure = { 0 };
    bool have_failure = false;

    mkt_replay r;
    char err[512];
    if (!mkt_replay_init(&r, t, m, err, sizeof err)) {
        fprintf(stderr, "memkit: %s\n", err);
        return MKT_EXIT_USAGE;
    }
    mkt_progress progress;
    mkt_progress_start(&progress, 2, t->count); /* shown only when stderr is a terminal */
    int rc = MKT_EXIT_OK;
    mkt_step st;
    while (rc == MKT_EXIT_OK && mkt_replay_step(&r, &st)) {
        const mkt_event *e = &t->events[st.event];
        if (e->op != 'f' && !(e->op == 'r' && e->size == 0))
            mkt_size_hist_add(&sizes, (size_t)mkt_event_bytes(e));
        mkt_report_sample x = { st.event, (size_t)st.live_bytes, st.heap_used, st.capacity,
                                st.failed };
        mkt_series_add(&series, &x);
        if (st.event == s->peak_heap_event &&
            mkt_heap_snapshot_take(&peak, mkt_replay_heap(&r)) != MK_OK)
            rc = MKT_EXIT_USAGE;
        if (st.failed && !have_failure) {
            have_failure = true;
            if (mkt_heap_snapshot_take(&failure, mkt_replay_heap(&r)) != MK_OK)
                rc = MKT_EXIT_USAGE;
        }
        mkt_progress_update(&progress, st.event + 1);
    }
    mkt_progress_finish(&progress);
    mkt_replay_fini(&r);

    if (rc == MKT_EXIT_OK) {
        name_regions(&peak, m);
        name_regions(&failure, m);
        mkt_report_bucket buckets[MKT_SIZE_BUCKETS];
        mkt_report_row rows[12];
        char text[12][64];
        size_t n = 0;
        add_row(rows, &n, text, "events", "%llu", s->events);
        add_row(rows, &n, text, "peak live bytes", "%llu", s->peak_live_bytes);
        add_row(rows, &n, text, "peak heap bytes", "%llu", s->peak_heap_bytes);
        add_row(rows, &n, text, "capacity", "%llu", s->capacity);
        add_row(rows, &n, text, "largest free block at peak", "%llu", s->largest_free_at_peak);
        add_row(rows, &n, text, "fragmentation at peak (per mille)", "%llu",
                s->fragmentation_at_peak);
        add_row(rows, &n, text, "failures", "%llu", s->failures);
        if (s->failures)
            add_row(rows, &n, text, "first failure at event", "%llu",
                    s->first_failure_event + 1);
        add_row(rows, &n, text, "failed when recorded", "%llu", t->recorded_failures);
        add_row(rows, &n, text, "blocks live at the end", "%llu", s->final_live_blocks);
        mkt_report rep = {
            .title = trace_name,
            .summary = rows,
            .nsummary = n,
            .samples = series.points,
            .nsamples = series.n,
            .peak = peak.regions,
            .npeak = peak.nregions,
            .peak_event = s->peak_heap_event,
            .failure = failure.regions,
            .nfailure = have_failure ? failure.nregions : 0,
            .failure_event = s->first_failure_event,
            .sizes = buckets,
            .nsizes = mkt_size_hist_buckets(&sizes, buckets, MKT_SIZE_BUCKETS),
        };
        FILE *out = fopen(path, "w");
        bool ok = out && mkt_report_write(out, &rep) == 0;
        if (out && fclose(out) != 0)
            ok = false;
        if (!ok) {
            fprintf(stderr, "memkit: %s: %s\n", path, strerror(errno));
            rc = MKT_EXIT_USAGE;
        }
    } else {
        fprintf(stderr, "memkit: %s: out of memory taking a heap snapshot\n", path);
    }
    mkt_heap_snapshot_free(&peak);
    mkt_heap_snapshot_free(&failure);
    return rc;
}
