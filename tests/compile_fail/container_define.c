/* Must NOT compile for CASE 1..4 (CASE 0 is the control that must): each CASE is a container declaration the _DEFINE macros refuse at
 * compile time. tests/CMakeLists.txt compiles it once per CASE and expects the
 * static assertion's message. */
#include <stdint.h>

#include "memkit/lmap.h"
#include "memkit/str.h"
#include "memkit/vec.h"

#if CASE == 1
MK_VEC_DEFINE_IDX(too_long, uint8_t, 256, uint8_t); /* 256 does not fit a uint8_t */
#elif CASE == 2
MK_VEC_DEFINE_IDX(huge, uint64_t, SIZE_MAX / 4, uint64_t); /* SIZE_MAX-scale bytes */
#elif CASE == 3
MK_STR_DEFINE(empty, 0);
#elif CASE == 4
MK_LMAP_DEFINE_IDX(signed_counter, int, int, 4, int8_t);
#endif
