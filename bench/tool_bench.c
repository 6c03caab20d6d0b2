/*
 * The memkit tool's speed: reading traces and replaying them, each beside a baseline
 * measured in the same run.
 *
 *   read    mkt_trace_parse on a trace already in memory (text or binary), events per
 *           second; baseline: one memchr pass over the same bytes counting lines (the
 *           least any reader must do).
 *   replay  mkt_replay_step over every event on the default map (one 'ram' region sized
 *           for the trace); baseline: the same events on the system allocator (malloc,
 *           calloc, aligned_alloc, realloc, free) with the same slot bookkeeping.
 *
 * Medians of 5 runs. Make traces with the tool itself:
 *     memkit gen 1000000 1 > big.trace && memkit convert big.trace big.mkt
 *     tool_bench big.trace big.mkt
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "map.h"
#include "replay.h"
#include "trace.h"

enum { REPS = 5 };

static double count_lines(const unsigned char *d, size_t n)
{
    double t0 = now();
    size_t lines = 0;
    for (const unsigned char *p = d, *end = d + n; (p = memchr(p, '\n', (size_t)(end - p))); p++)
        lines++;
    sink(&lines);
    return now() - t0;
}

static double replay_memkit(const mkt_trace *t, const mkt_map *m)
{
    char err[256];
    mkt_replay r;
    if (!mkt_replay_init(&r, t, m, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        exit(1);
    }
    double t0 = now();
    mkt_step s;
    while (mkt_replay_step(&r, &s))
        ;
    double dt = now() - t0;
    sink(&s);
    mkt_replay_fini(&r);
    return dt;
}

static double replay_system(const mkt_trace *t)
{
    void **ptr = calloc(t->slots ? t->slots : 1, sizeof *ptr);
    if (!ptr)
        exit(1);
    double t0 = now();
    for (size_t i = 0; i < t->count; i++) {
        const mkt_event *e = &t->events[i];
        size_t bytes = (size_t)mkt_event_bytes(e);
        void *old = e->ended != MKT_NO_SLOT ? ptr[e->ended] : NULL;
        if (e->ended != MKT_NO_SLOT)
            ptr[e->ended] = NULL;
        if (e->born == MKT_NO_SLOT) {
            free(old);
            continue;
        }
        void *q;
        if (old)
            q = realloc(old, bytes ? bytes : 1);
        else if (e->op == 'c')
            q = calloc((size_t)e->arg, (size_t)e->size);
        else if (e->op == 'a')
            q = aligned_alloc((size_t)e->arg, (bytes + (size_t)e->arg - 1) / (size_t)e->arg * (size_t)e->arg);
        else
            q = malloc(bytes);
        ptr[e->born] = q ? q : old;
    }
    double dt = now() - t0;
    for (size_t i = 0; i < t->slots; i++)
        free(ptr[i]);
    free(ptr);
    return dt;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: tool_bench TRACE...\n");
        return 2;
    }
    printf("| trace | form | events | read: M events/s | memchr baseline: M lines/s | read / baseline time |"
           " replay: M events/s | system malloc: M events/s | replay / system time |\n"
           "|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int a = 1; a < argc; a++) {
        unsigned char *data;
        size_t n;
        char err[512];
        mkt_trace t;
        if (!mkt_read_file(argv[a], &data, &n, err, sizeof err)) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
        double parse[REPS], base[REPS], rep[REPS], sys[REPS];
        for (int r = 0; r < REPS; r++) {
            base[r] = count_lines(data, n);
            double t0 = now();
            if (!mkt_trace_parse(&t, argv[a], data, n, err, sizeof err)) {
                fprintf(stderr, "%s\n", err);
                return 1;
            }
            parse[r] = now() - t0;
            if (r + 1 < REPS)
                mkt_trace_free(&t);
        }
        mkt_map m;
        mkt_map_default(&m, &t);
        for (int r = 0; r < REPS; r++) {
            rep[r] = replay_memkit(&t, &m);
            sys[r] = replay_system(&t);
        }
        double ev = (double)t.count, mp = median(parse, REPS), mb = median(base, REPS);
        double mr = median(rep, REPS), ms = median(sys, REPS);
        printf("| %s | %s | %zu | %.1f | %.1f | %.2f | %.1f | %.1f | %.2f |\n", argv[a],
               t.format == MKT_BINARY ? "binary" : t.format == MKT_TEXT ? "text" : "mtrace",
               t.count, ev / mp * 1e3, ev / mb * 1e3, mp / mb, ev / mr * 1e3, ev / ms * 1e3,
               mr / ms);
        mkt_trace_free(&t);
        free(data);
    }
    return 0;
}
