/* libFuzzer target: the trace reader (text, binary and mtrace, told apart by the first
 * bytes). Any input must either be refused with a message naming the place, or parse
 * into a trace that survives both writers unchanged and replays on a small heap with the
 * reader's own count of live bytes. Any mismatch aborts.
 *
 * Run: trace_fuzz -runs=N CORPUS_DIR tests/fuzz/corpus/trace */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "replay.h"
#include "trace.h"

static void require(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "trace_fuzz: %s\n", what);
        abort();
    }
}

/* Writes t with `write` and parses the bytes back. */
static void round_trip(const mkt_trace *t, bool (*write)(const mkt_trace *, FILE *))
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    require(f && write(t, f), "write");
    fclose(f);
    mkt_trace back;
    char err[256];
    require(mkt_trace_parse(&back, "back", (unsigned char *)buf, n, err, sizeof err),
            "a written trace does not parse");
    require(back.count == t->count && back.peak_live_bytes == t->peak_live_bytes &&
                back.final_live_blocks == t->final_live_blocks,
            "round trip changed the trace");
    for (size_t i = 0; i < t->count; i++) {
        const mkt_event *a = &t->events[i], *b = &back.events[i];
        require(a->op == b->op && a->id == b->id && a->id2 == b->id2 && a->size == b->size &&
                    a->arg == b->arg && a->caps == b->caps && a->thread == b->thread &&
                    a->flags == b->flags,
                "round trip changed an event");
    }
    mkt_trace_free(&back);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mkt_trace t;
    char err[256];
    if (!mkt_trace_parse(&t, "in", data, size, err, sizeof err)) {
        require(strncmp(err, "in:", 3) == 0, "message does not name the input");
        return 0;
    }
    /* mtrace input is written as memkit text (its realloc halves become one event). */
    if (t.format != MKT_MTRACE || t.unknown_frees == 0)
        round_trip(&t, mkt_trace_write_text);
    if (t.format != MKT_MTRACE || t.unknown_frees == 0)
        round_trip(&t, mkt_trace_write_binary);
    static const char map_text[] = "a 8K internal\nb 8K internal dma resizable\n";
    mkt_map m;
    require(mkt_map_parse(&m, "m", (const unsigned char *)map_text, sizeof map_text - 1, err,
                          sizeof err),
            "map");
    mkt_replay r;
    require(mkt_replay_init(&r, &t, &m, err, sizeof err), "replay init");
    mkt_step s = { 0 };
    while (mkt_replay_step(&r, &s))
        require(s.heap_used <= s.capacity, "heap use over capacity");
    require(t.count == 0 || s.live_bytes == t.final_live_bytes, "live bytes disagree");
    mk_heap_stats st;
    mkt_replay_stats(&r, 0, &st);
    require(st.used_bytes == s.heap_used || t.count == 0, "heap use disagrees with the heap");
    mkt_replay_fini(&r);
    mkt_trace_free(&t);
    return 0;
}
