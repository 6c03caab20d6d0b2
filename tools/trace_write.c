/* Writes a trace in the text or binary form (docs/trace-format.md). */
#include <inttypes.h>

#include "trace.h"
#include "trace_binary.h"

bool mkt_trace_write_text(const mkt_trace *t, FILE *out)
{
    fputs("memkit-trace 1\n", out);
    for (size_t i = 0; i < t->count; i++) {
        const mkt_event *e = &t->events[i];
        switch (e->op) {
        case 'm':
            fprintf(out, "m %" PRIx64 " %" PRIu64, e->id, e->size);
            break;
        case 'c':
        case 'a':
            fprintf(out, "%c %" PRIx64 " %" PRIu64 " %" PRIu64, e->op, e->id, e->arg, e->size);
            break;
        case 'r':
            fprintf(out, "r %" PRIx64 " %" PRIx64 " %" PRIu64, e->id, e->id2, e->size);
            break;
        default:
            fprintf(out, "f %" PRIx64, e->id);
        }
        if (e->flags & MKT_HAS_THREAD)
            fprintf(out, " t=%" PRIu32, e->thread);
        if (e->flags & MKT_HAS_CAPS)
            fprintf(out, " caps=%" PRIx32, e->caps);
        fputc('\n', out);
    }
    return !ferror(out) && fflush(out) == 0;
}

bool mkt_trace_write_binary(const mkt_trace *t, FILE *out)
{
    fwrite(MKT_BIN_MAGIC, 1, MKT_BIN_HEADER_LEN, out);
    uint64_t prev = 0;
    unsigned char buf[1 + 5 * MKT_VARINT_MAX];
    for (size_t i = 0; i < t->count; i++) {
        const mkt_event *e = &t->events[i];
        size_t n = 1;
        unsigned code = (unsigned)(1 + (e->op == 'c') + 2 * (e->op == 'a') + 3 * (e->op == 'r') +
                                   4 * (e->op == 'f'));
        code |= (e->flags & MKT_HAS_THREAD) ? MKT_BIN_THREAD : 0u;
        code |= (e->flags & MKT_HAS_CAPS) ? MKT_BIN_CAPS : 0u;
        buf[0] = (unsigned char)code;
        n += mkt_varint_put(buf + n, mkt_zigzag(e->id - prev));
        prev = e->id;
        if (e->op == 'r') {
            n += mkt_varint_put(buf + n, mkt_zigzag(e->id2 - prev));
            prev = e->id2;
        } else if (e->op == 'c' || e->op == 'a') {
            n += mkt_varint_put(buf + n, e->arg);
        }
        if (e->op != 'f')
            n += mkt_varint_put(buf + n, e->size);
        if (e->flags & MKT_HAS_THREAD)
            n += mkt_varint_put(buf + n, e->thread);
        if (e->flags & MKT_HAS_CAPS)
            n += mkt_varint_put(buf + n, e->caps);
        fwrite(buf, 1, n, out);
    }
    return !ferror(out) && fflush(out) == 0;
}
