/* Capacities MK_SPSC_DEFINE and MK_MPMC_DEFINE must refuse at compile time, in the
 * scheme of container_define.c: ctest compiles this once per CASE and expects the
 * message on the case's `refused:` line; CASE 0 is the control that must compile
 * warning-free, so a file broken for some other reason cannot pass as a rejection. */
#include <stdint.h>

#include "memkit/mpmc.h"
#include "memkit/spsc.h"

/* The largest capacity the queues take is MK_QUEUE_MAX_CAP; twice it is the first
 * power of two above, and half of SIZE_MAX's scale. */
#define TOO_MANY (MK_QUEUE_MAX_CAP * 2u)

#if CASE == 0
MK_SPSC_DEFINE(s1, uint8_t, 1);
MK_SPSC_DEFINE(s64, uint64_t, 64);
MK_MPMC_DEFINE(m2, uint8_t, 2);
MK_MPMC_DEFINE(m64, uint64_t, 64);
#elif CASE == 1 /* refused: s: N must be positive */
MK_SPSC_DEFINE(s, uint32_t, 0);
#elif CASE == 2 /* refused: s: N must be a power of two */
MK_SPSC_DEFINE(s, uint32_t, 12);
#elif CASE == 3 /* refused: s: N too large */
MK_SPSC_DEFINE(s, uint8_t, TOO_MANY);
#elif CASE == 4 /* refused: s: N slots overflow size_t */
/* An allowed count, too many bytes. */
MK_SPSC_DEFINE(s, uint64_t, MK_QUEUE_MAX_CAP);
#elif CASE == 5 /* refused: m: N must be positive */
MK_MPMC_DEFINE(m, uint32_t, 0);
#elif CASE == 6 /* refused: m: N must be a power of two */
MK_MPMC_DEFINE(m, uint32_t, 3);
#elif CASE == 7 /* refused: m: N too large */
MK_MPMC_DEFINE(m, uint8_t, TOO_MANY);
#elif CASE == 8 /* refused: m: N slots overflow size_t */
/* Each cell is a size_t and more. */
MK_MPMC_DEFINE(m, uint8_t, MK_QUEUE_MAX_CAP);
#elif CASE == 9 /* refused: m: N must be at least 2 */
/* One cell: filled and free read alike. */
MK_MPMC_DEFINE(m, uint32_t, 1);
#endif

int main(void)
{
    return 0;
}
