/* The binary trace form's constants and varint coding, shared by its reader and writer.
 * Layout: docs/trace-format.md, "Binary form". Private to the tool. */
#ifndef MEMKIT_TOOL_TRACE_BINARY_H
#define MEMKIT_TOOL_TRACE_BINARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "\0MKT" then the version byte 1: the NUL keeps it from ever looking like text. */
#define MKT_BIN_MAGIC "\0MKT\1"
#define MKT_BIN_HEADER_LEN 5u

/* Opcode byte: the op in the low 3 bits (1 m, 2 c, 3 a, 4 r, 5 f), then flag bits for
 * the optional fields that follow the fixed ones. */
#define MKT_BIN_OP_MASK 0x07u
#define MKT_BIN_THREAD 0x08u
#define MKT_BIN_CAPS 0x10u

/* Longest LEB128 encoding of a 64-bit value. */
#define MKT_VARINT_MAX 10u

/* Ids are coded as the difference from the previous id field, zigzag-mapped so small
 * steps either way take one or two bytes. */
static inline uint64_t mkt_zigzag(uint64_t delta)
{
    return (delta << 1) ^ (uint64_t)-(int64_t)(delta >> 63);
}
static inline uint64_t mkt_unzigzag(uint64_t z)
{
    return (z >> 1) ^ (uint64_t)-(int64_t)(z & 1);
}

/* Writes v as LEB128 at out; returns the bytes written (at most MKT_VARINT_MAX). */
static inline size_t mkt_varint_put(unsigned char *out, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        out[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    out[n++] = (unsigned char)v;
    return n;
}

/* Reads a LEB128 value at *pos; false if it runs past n or past 64 bits. */
static inline bool mkt_varint_get(const unsigned char *d, size_t n, size_t *pos, uint64_t *v)
{
    uint64_t r = 0;
    for (unsigned shift = 0; *pos < n && shift < 64; shift += 7) {
        unsigned char b = d[(*pos)++];
        if (shift == 63 && b > 1)
            return false;
        r |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *v = r;
            return true;
        }
    }
    return false;
}

#endif
