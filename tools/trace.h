/*
 * Traces in memory: the three on-disk forms (text, binary, glibc mtrace; see
 * docs/trace-format.md) read into one array of events, and the two memkit forms written
 * back. Host code (libc).
 *
 * The reader also resolves ids: every block gets a dense slot number from the event that
 * makes it live to the event that ends it, so a replay indexes arrays instead of hashing
 * addresses, and every id error (free of a block that is not live) is found while
 * reading, with the line that caused it.
 */
#ifndef MEMKIT_TOOL_TRACE_H
#define MEMKIT_TOOL_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The largest size, count or alignment a trace may carry (2^48): larger is malformed. */
#define MKT_MAX_SIZE ((uint64_t)1 << 48)
/* "No slot": the event makes no block live (or ends none). */
#define MKT_NO_SLOT UINT32_MAX

typedef enum mkt_format { MKT_TEXT, MKT_BINARY, MKT_MTRACE } mkt_format;

/* Event flags: which optional fields the event carried. */
#define MKT_HAS_THREAD 1u
#define MKT_HAS_CAPS 2u

/* One malloc-family call. The first group is the trace's own fields (written back by
 * the writers); the second is what the reader resolved from them. */
typedef struct mkt_event {
    uint64_t id;     /* m c a f: the block; r: OLD */
    uint64_t id2;    /* r: NEW */
    uint64_t size;   /* requested bytes (c: per element) */
    uint64_t arg;    /* c: COUNT; a: ALIGN */
    uint32_t caps;   /* capabilities required on replay (0: any region) */
    uint32_t thread; /* recording thread */
    uint32_t born;   /* slot made live, or MKT_NO_SLOT */
    uint32_t ended;  /* slot ended (freed, or realloc's OLD), or MKT_NO_SLOT */
    char op;         /* 'm' 'c' 'a' 'r' 'f' */
    uint8_t flags;   /* MKT_HAS_* */
} mkt_event;

/* A trace read into memory. Owns `events`; release with mkt_trace_free. */
typedef struct mkt_trace {
    mkt_event *events;
    size_t count;
    uint32_t slots;             /* slot numbers used: arrays of this length cover all */
    mkt_format format;
    uint64_t peak_live_bytes;   /* largest sum of requested bytes of live blocks */
    size_t peak_live_event;     /* index of the first event that reached it */
    size_t peak_live_blocks;    /* largest number of live blocks (any time) */
    size_t final_live_blocks;   /* blocks never freed */
    uint64_t final_live_bytes;
    size_t recorded_failures;   /* allocations that returned NULL when recorded */
    size_t unknown_frees;       /* mtrace: frees of addresses never allocated */
} mkt_trace;

/* Bytes an event asks for: SIZE, or COUNT x SIZE for calloc. The reader keeps both
 * under MKT_MAX_SIZE, so the product fits. O(1). */
uint64_t mkt_event_bytes(const mkt_event *e);

/* Parses `n` bytes in any of the three forms (told apart by their first bytes) into
 * `t`. `name` is used in messages only. Returns true; on malformed input or out of
 * memory returns false with one message "NAME:LINE: reason" (text, mtrace) or
 * "NAME: byte OFFSET: reason" (binary) in err, and `t` empty. O(n). */
bool mkt_trace_parse(mkt_trace *t, const char *name, const unsigned char *data, size_t n,
                     char *err, size_t errsize);

/* Reads the file at `path` and parses it as mkt_trace_parse does; a file that cannot be
 * read is reported the same way. O(file size). */
bool mkt_trace_load(mkt_trace *t, const char *path, char *err, size_t errsize);

/* Reads a whole file into a malloc'd buffer (*data, *size; free it). Returns false
 * with "PATH: reason" in err when it cannot. O(file size). */
bool mkt_read_file(const char *path, unsigned char **data, size_t *size, char *err,
                   size_t errsize);

/* Releases the events and empties `t`. O(1). */
void mkt_trace_free(mkt_trace *t);

/* Writes `t` in the text form, one event per line, ids in lower-case hex, optional
 * fields t= then caps= when the event carried them. Returns false on a write error.
 * O(events). */
bool mkt_trace_write_text(const mkt_trace *t, FILE *out);

/* Writes `t` in the binary form (docs/trace-format.md). Returns false on a write error.
 * O(events). */
bool mkt_trace_write_binary(const mkt_trace *t, FILE *out);

#endif
