/* libFuzzer target: the memory-map parser. Any input must either be refused with a
 * message naming the line, or give 1..MK_HEAP_MAX_REGIONS regions with sizes in range,
 * distinct names and at most one resizable region. Any mismatch aborts.
 *
 * Run: map_fuzz -runs=N CORPUS_DIR tests/fuzz/corpus/map */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"

static void require(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "map_fuzz: %s\n", what);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mkt_map m;
    char err[256];
    if (!mkt_map_parse(&m, "in", data, size, err, sizeof err)) {
        require(strncmp(err, "in:", 3) == 0, "message does not name the input");
        return 0;
    }
    require(m.count >= 1 && m.count <= MK_HEAP_MAX_REGIONS, "region count");
    require(m.resizable >= -1 && m.resizable < (int)m.count, "resizable index");
    for (unsigned i = 0; i < m.count; i++) {
        require(m.regions[i].size >= 1 && m.regions[i].size <= MKT_MAX_REGION, "size");
        require(m.regions[i].name[0] != '\0', "empty name");
        for (unsigned j = 0; j < i; j++)
            require(strcmp(m.regions[i].name, m.regions[j].name) != 0, "duplicate name");
    }
    return 0;
}
