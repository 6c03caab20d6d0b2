/*
 * Memory maps: the regions a replay lays its heap over (syntax in docs/maps.md).
 * Host code (libc).
 */
#ifndef MEMKIT_TOOL_MAP_H
#define MEMKIT_TOOL_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memkit/heap.h"
#include "trace.h"

/* A region may be at most this large: mk_heap takes regions under 4 GiB. */
#define MKT_MAX_REGION ((uint64_t)UINT32_MAX)

typedef struct mkt_region {
    char name[32];
    uint64_t size; /* bytes */
    uint32_t caps; /* MK_CAP_* bits */
} mkt_region;

/* Regions in the order the heap tries them; at most one is resizable (plan scales it). */
typedef struct mkt_map {
    mkt_region regions[MK_HEAP_MAX_REGIONS];
    unsigned count;
    int resizable; /* index into regions, or -1 */
} mkt_map;

/* Parses a map. Returns true; on malformed input returns false with one message
 * "NAME:LINE: reason" in err. O(n). */
bool mkt_map_parse(mkt_map *m, const char *name, const unsigned char *data, size_t n,
                   char *err, size_t errsize);

/* Reads and parses the map file at `path`. O(file size). */
bool mkt_map_load(mkt_map *m, const char *path, char *err, size_t errsize);

/* The map used without --map: one resizable region "ram" with every capability,
 * large enough for `t` on any sensible allocator: twice the trace's peak live bytes
 * plus 32 bytes per block at its peak block count, plus 64 KiB, capped at
 * MKT_MAX_REGION. O(1). */
void mkt_map_default(mkt_map *m, const mkt_trace *t);

/* Total bytes of all regions. O(regions). */
uint64_t mkt_map_total(const mkt_map *m);

/* Writes the names of the bits in `caps` ("internal,dma"; "-" for none) into buf.
 * O(1). */
void mkt_caps_name(uint32_t caps, char *buf, size_t size);

#endif
