/* Capacities the _DEFINE macros must refuse at compile time. Compiled once per CASE by
 * ctest (tests/CMakeLists.txt), which expects the compiler to fail with the static
 * assertion's message; CASE=0 is the control that must compile, so a broken file cannot
 * pass as a rejection. */
#include <stdint.h>

#include "memkit/bheap.h"
#include "memkit/hmap.h"
#include "memkit/slist.h"

static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

/* Half the address space: every array of this many elements overflows size_t. */
#define HUGE_N (SIZE_MAX / 2 + 1)

#if CASE == 0
MK_HMAP_DEFINE_IDX(m, uint8_t, uint8_t, 128, uint8_t);
MK_HSET_DEFINE(s, uint16_t, 2);
MK_BHEAP_DEFINE_IDX(h, int, 255, uint8_t, cmp);
MK_SLIST_DEFINE_IDX(l, int, 65535, uint16_t, cmp);
#elif CASE == 1
MK_HMAP_DEFINE(m, uint8_t, uint8_t, 12); /* not a power of two */
#elif CASE == 2
MK_HMAP_DEFINE_IDX(m, uint8_t, uint8_t, 256, uint8_t); /* slot value 256 needs 9 bits */
#elif CASE == 3
MK_HMAP_DEFINE_IDX(m, uint8_t, uint8_t, HUGE_N, size_t);
#elif CASE == 4
MK_HSET_DEFINE(s, uint16_t, 3);
#elif CASE == 5
MK_BHEAP_DEFINE(h, int, 0, cmp);
#elif CASE == 6
MK_BHEAP_DEFINE_IDX(h, int, 256, uint8_t, cmp);
#elif CASE == 7
MK_BHEAP_DEFINE_IDX(h, int, HUGE_N, size_t, cmp);
#elif CASE == 8
MK_SLIST_DEFINE_IDX(l, int, 65536, uint16_t, cmp);
#elif CASE == 9
MK_SLIST_DEFINE_IDX(l, int, HUGE_N, size_t, cmp);
#endif

int main(void)
{
    return 0;
}
