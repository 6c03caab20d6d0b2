/*
 * The HTML report writer. Every panel is inline SVG; hover text comes from SVG <title>
 * elements, so the page needs no script and opens the same offline in any browser.
 * Sizes are bounded by pixels, not by the run: the caller bounds the samples
 * (mkt_series), and the heap map draws at most one shape per pixel.
 */
#include "report.h"

#include <errno.h>
#include <inttypes.h>

enum {
    CHART_W = 1000, PLOT_X = 70, PLOT_W = 900, /* usage chart and histogram */
    CHART_H = 300, PLOT_Y = 20, PLOT_H = 240,
    MAP_W = 960, MAP_ROWS = 8, ROW_H = 16, ROW_GAP = 3
};

#define C_USED "#4a6fa5"
#define C_FREE "#7cc47c"
#define C_MIXED "#e0b040"
#define C_FAIL "#d62728"
#define C_LIVE "#8e44ad"
#define C_CAP "#999"

static const char style[] =
    "body{font:14px system-ui,sans-serif;margin:24px;color:#222;max-width:1040px}"
    "h1{font-size:22px}h2{font-size:17px;margin-top:28px}"
    "table{border-collapse:collapse}td{border:1px solid #ccc;padding:3px 8px}"
    "td:first-child{color:#555}.note{color:#555;font-size:13px}"
    "svg text{font:11px system-ui,sans-serif;fill:#333}"
    ".key span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;"
    "vertical-align:-1px}";

static void text(FILE *o, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", o); break;
        case '<': fputs("&lt;", o); break;
        case '>': fputs("&gt;", o); break;
        case '"': fputs("&quot;", o); break;
        default: fputc(*s, o);
        }
    }
}

static void key(FILE *o, const char *colour, const char *label)
{
    fprintf(o, "<span style=\"background:%s\"></span>%s", colour, label);
}

static bool valid_region(const mkt_report_region *g)
{
    if (g->nblocks && !g->blocks)
        return false;
    size_t end = 0;
    for (size_t i = 0; i < g->nblocks; i++) {
        const mkt_report_block *b = &g->blocks[i];
        if (b->offset < end || b->offset > g->size || b->size > g->size - b->offset)
            return false;
        end = b->offset + b->size;
    }
    return true;
}

static bool valid(const mkt_report *r)
{
    if ((r->nsummary && !r->summary) || (r->nsamples && !r->samples) ||
        (r->npeak && !r->peak) || (r->nfailure && !r->failure) || (r->nsizes && !r->sizes))
        return false;
    for (size_t i = 0; i < r->npeak; i++)
        if (!valid_region(&r->peak[i]))
            return false;
    for (size_t i = 0; i < r->nfailure; i++)
        if (!valid_region(&r->failure[i]))
            return false;
    return true;
}

static void summary(FILE *o, const mkt_report *r)
{
    fputs("<h2>Summary</h2>\n", o);
    if (!r->nsummary) {
        fputs("<p class=\"note\">Nothing to summarise.</p>\n", o);
        return;
    }
    fputs("<table>\n", o);
    for (size_t i = 0; i < r->nsummary; i++) {
        fputs("<tr><td>", o);
        text(o, r->summary[i].key);
        fputs("</td><td>", o);
        text(o, r->summary[i].value);
        fputs("</td></tr>\n", o);
    }
    fputs("</table>\n", o);
}

static double y_of(size_t v, double top)
{
    return PLOT_Y + PLOT_H - (double)v / top * PLOT_H;
}

static void series_line(FILE *o, const mkt_report *r, size_t field, const char *colour,
                        double top, uint64_t e0, double span)
{
    fprintf(o, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"", colour);
    for (size_t i = 0; i < r->nsamples; i++) {
        const mkt_report_sample *s = &r->samples[i];
        size_t v = field == 0 ? s->live : field == 1 ? s->used : s->capacity;
        fprintf(o, "%.1f,%.1f ", PLOT_X + (double)(s->event - e0) / span * PLOT_W,
                y_of(v, top));
    }
    fputs("\"/>\n", o);
}

static void usage(FILE *o, const mkt_report *r)
{
    fputs("<h2>Usage over time</h2>\n", o);
    if (!r->nsamples) {
        fputs("<p class=\"note\">No samples.</p>\n", o);
        return;
    }
    size_t top = 1;
    for (size_t i = 0; i < r->nsamples; i++) {
        const mkt_report_sample *s = &r->samples[i];
        top = s->capacity > top ? s->capacity : top;
        top = s->used > top ? s->used : top;
        top = s->live > top ? s->live : top;
    }
    uint64_t e0 = r->samples[0].event, e1 = r->samples[r->nsamples - 1].event;
    double span = e1 > e0 ? (double)(e1 - e0) : 1.0;
    fputs("<p class=\"key\">", o);
    key(o, C_USED, "heap used (blocks with headers)");
    key(o, C_LIVE, "live (bytes requested)");
    key(o, C_CAP, "capacity");
    key(o, C_FAIL, "failed allocation");
    fputs("</p>\n", o);
    fprintf(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">\n",
            CHART_W, CHART_H);
    fprintf(o, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fafafa\" "
               "stroke=\"#ccc\"/>\n", PLOT_X, PLOT_Y, PLOT_W, PLOT_H);
    fprintf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%zu B</text>\n", PLOT_X - 4,
            PLOT_Y + 4, top);
    fprintf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n", PLOT_X - 4,
            PLOT_Y + PLOT_H);
    fprintf(o, "<text x=\"%d\" y=\"%d\">event %" PRIu64 "</text>\n", PLOT_X,
            PLOT_Y + PLOT_H + 16, e0);
    fprintf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">event %" PRIu64 "</text>\n",
            PLOT_X + PLOT_W, PLOT_Y + PLOT_H + 16, e1);
    for (size_t i = 0; i < r->nsamples; i++) {
        const mkt_report_sample *s = &r->samples[i];
        if (!s->failed)
            continue;
        double x = PLOT_X + (double)(s->event - e0) / span * PLOT_W;
        fprintf(o, "<rect x=\"%.1f\" y=\"%d\" width=\"2\" height=\"%d\" fill=\"%s\">"
                   "<title>failure near event %" PRIu64 " (used %zu of %zu B)</title></rect>\n",
                x - 1, PLOT_Y, PLOT_H, C_FAIL, s->event, s->used, s->capacity);
    }
    series_line(o, r, 2, C_CAP, (double)top, e0, span);
    series_line(o, r, 1, C_USED, (double)top, e0, span);
    series_line(o, r, 0, C_LIVE, (double)top, e0, span);
    fputs("</svg>\n", o);
}

/* Draws [lo, hi) of the linear pixel strip (wrapped into rows) as one hover group. */
static void strip(FILE *o, double lo, double hi, const char *colour)
{
    while (hi - lo > 0.01) {
        int row = (int)(lo / MAP_W);
        double row_end = (double)(row + 1) * MAP_W;
        double end = hi < row_end ? hi : row_end;
        fprintf(o, "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"%s\"/>",
                lo - (double)row * MAP_W, row * (ROW_H + ROW_GAP), end - lo, ROW_H, colour);
        lo = end;
    }
}

typedef struct run {
    size_t n, start, end, used_bytes, used_blocks;
} run;

static void draw_run(FILE *o, const mkt_report_region *g, const run *u, double per_px)
{
    const char *colour = u->used_blocks == u->n ? C_USED : u->used_blocks ? C_MIXED : C_FREE;
    fputs("<g><title>", o);
    if (u->n == 1)
        fprintf(o, "%s block at 0x%" PRIx64 ", %zu bytes", u->used_blocks ? "used" : "free",
                g->base + u->start, u->end - u->start);
    else
        fprintf(o, "%zu blocks at 0x%" PRIx64 "..0x%" PRIx64 ": %zu used (%zu B), %zu free "
                   "(%zu B)", u->n, g->base + u->start, g->base + u->end, u->used_blocks,
                u->used_bytes, u->n - u->used_blocks, u->end - u->start - u->used_bytes);
    fputs("</title>", o);
    strip(o, (double)u->start / per_px, (double)u->end / per_px, colour);
    fputs("</g>\n", o);
}

static void region_map(FILE *o, const mkt_report_region *g)
{
    size_t used = 0, free_bytes = 0, free_blocks = 0, largest = 0;
    for (size_t i = 0; i < g->nblocks; i++) {
        const mkt_report_block *b = &g->blocks[i];
        if (b->used) {
            used += b->size;
        } else {
            free_bytes += b->size;
            free_blocks++;
            largest = b->size > largest ? b->size : largest;
        }
    }
    fputs("<h3>", o);
    text(o, g->name ? g->name : "region");
    fprintf(o, "</h3>\n<p class=\"note\">0x%" PRIx64 ", %zu bytes, caps 0x%" PRIx32
               ": %zu used, %zu free in %zu blocks, largest free block %zu",
            g->base, g->size, g->caps, used, free_bytes, free_blocks, largest);
    if (free_bytes)
        fprintf(o, " (fragmentation %.1f%%)", 100.0 * (1.0 - (double)largest / (double)free_bytes));
    fputs("</p>\n", o);
    double per_px = (double)g->size / (MAP_W * MAP_ROWS);
    int rows = MAP_ROWS;
    if (per_px < 1.0) { /* small region: a byte per pixel, as many rows as it needs */
        per_px = 1.0;
        rows = (int)((g->size + MAP_W - 1) / MAP_W);
    }
    fprintf(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">\n",
            MAP_W, rows * (ROW_H + ROW_GAP));
    run u = {0};
    for (size_t i = 0; i < g->nblocks; i++) {
        const mkt_report_block *b = &g->blocks[i];
        bool wide = (double)b->size >= 2.0 * per_px;
        /* A gap the producer left undescribed, or a block wide enough to show on its
         * own, ends the run of small blocks before it. */
        if (u.n && (b->offset != u.end || wide)) {
            draw_run(o, g, &u, per_px);
            u.n = 0;
        }
        if (!u.n)
            u = (run){.start = b->offset};
        u.n++;
        u.end = b->offset + b->size;
        u.used_bytes += b->used ? b->size : 0;
        u.used_blocks += b->used;
        /* Small blocks accumulate until together they span two pixels: enough to see,
         * and it bounds the shapes per map. */
        if ((double)(u.end - u.start) >= 2.0 * per_px) {
            draw_run(o, g, &u, per_px);
            u.n = 0;
        }
    }
    if (u.n)
        draw_run(o, g, &u, per_px);
    fputs("</svg>\n", o);
}

static void maps(FILE *o, const char *title, const mkt_report_region *g, size_t n,
                 uint64_t event)
{
    fprintf(o, "<h2>Heap map %s (event %" PRIu64 ")</h2>\n<p class=\"key\">", title, event);
    key(o, C_USED, "used");
    key(o, C_FREE, "free");
    key(o, C_MIXED, "used and free blocks, each under a pixel");
    fputs("</p>\n", o);
    for (size_t i = 0; i < n; i++)
        region_map(o, &g[i]);
}

static void sizes(FILE *o, const mkt_report *r)
{
    fputs("<h2>Request sizes</h2>\n", o);
    if (!r->nsizes) {
        fputs("<p class=\"note\">No requests.</p>\n", o);
        return;
    }
    uint64_t top = 1;
    for (size_t i = 0; i < r->nsizes; i++)
        top = r->sizes[i].count > top ? r->sizes[i].count : top;
    double w = (double)PLOT_W / (double)r->nsizes;
    fprintf(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">\n",
            CHART_W, CHART_H);
    fprintf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%" PRIu64 "</text>\n",
            PLOT_X - 4, PLOT_Y + 4, top);
    for (size_t i = 0; i < r->nsizes; i++) {
        const mkt_report_bucket *b = &r->sizes[i];
        double h = (double)b->count / (double)top * PLOT_H;
        double x = PLOT_X + (double)i * w;
        fprintf(o, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                   "<title>%zu..%zu bytes: %" PRIu64 " requests</title></rect>\n",
                x + 1, PLOT_Y + PLOT_H - h, w > 3 ? w - 2 : 1, h, C_USED, b->lo, b->hi,
                b->count);
        fprintf(o, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%zu</text>\n",
                x + w / 2, PLOT_Y + PLOT_H + 16, b->hi);
    }
    fprintf(o, "<text x=\"%d\" y=\"%d\">bucket upper bound, bytes</text>\n", PLOT_X,
            PLOT_Y + PLOT_H + 34);
    fputs("</svg>\n", o);
}

int mkt_report_write(FILE *out, const mkt_report *r)
{
    if (!out || !r || !valid(r)) {
        errno = EINVAL;
        return -1;
    }
    const char *title = r->title ? r->title : "memkit heap report";
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>", out);
    text(out, title);
    fprintf(out, "</title><style>%s</style></head><body>\n<h1>", style);
    text(out, title);
    fputs("</h1>\n", out);
    summary(out, r);
    usage(out, r);
    maps(out, "at peak", r->peak, r->npeak, r->peak_event);
    if (r->nfailure)
        maps(out, "at the first failure", r->failure, r->nfailure, r->failure_event);
    sizes(out, r);
    fputs("</body></html>\n", out);
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
