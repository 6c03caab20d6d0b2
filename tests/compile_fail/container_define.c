/* Container definitions the _DEFINE macros must refuse at compile time, one per CASE, for
 * every container kind but the queues. tests/CMakeLists.txt reads the `refused:` line of
 * each case below, compiles this file once per CASE, and passes the test only when the
 * compiler prints that static assertion's message (which names the macro, so the check
 * of the right kind must fire).
 *
 * CASE 0 is the control that must compile, with the project's warnings as errors: a
 * broken file cannot pass as a rejection. It defines every kind, inside and _EXT, with
 * container and element type names that the generated functions could shadow or
 * capture if their parameters were not spelled mk__*. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memkit/bheap.h"
#include "memkit/bitset.h"
#include "memkit/deque.h"
#include "memkit/hist.h"
#include "memkit/hmap.h"
#include "memkit/lmap.h"
#include "memkit/slist.h"
#include "memkit/str.h"
#include "memkit/vec.h"

/* Half the address space: every array of this many elements overflows. */
#define HUGE_N (SIZE_MAX / 2 + 1)

static int cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

#if CASE == 0
typedef int i;
typedef uint32_t key;
MK_VEC_DEFINE(v, i, 4);
MK_VEC_DEFINE_EXT(x, i);
MK_STR_DEFINE(s, 8);
MK_STR_DEFINE_EXT(cstr);
MK_DEQUE_DEFINE(d, i, 4);
MK_DEQUE_DEFINE_EXT(r, i);
MK_HIST_DEFINE_IDX(h, i, 255, uint8_t);
MK_HIST_DEFINE_EXT(n, i);
MK_BITSET_DEFINE(b, 12);
MK_BITSET_DEFINE_EXT(w);
MK_LMAP_DEFINE(m, key, i, 4);
MK_LMAP_DEFINE_EXT(keys, key, i);
MK_HMAP_DEFINE_IDX(val, key, i, 128, uint8_t);
MK_HMAP_DEFINE_EXT_FN(out, key, i, mk_hash_bytes, mk_eq_bytes);
MK_HSET_DEFINE(e, key, 2);
MK_HSET_DEFINE_EXT(l, key);
MK_BHEAP_DEFINE_IDX(at, i, 255, uint8_t, cmp);
MK_BHEAP_DEFINE_EXT(buf, i, cmp);
MK_SLIST_DEFINE_IDX(items, i, 65535, uint16_t, cmp);
MK_SLIST_DEFINE_EXT(p, i, cmp);
#elif CASE == 1 /* refused: MK_VEC_DEFINE: capacity must be positive */
MK_VEC_DEFINE(v, int, 0);
#elif CASE == 2 /* refused: MK_VEC_DEFINE: capacity does not fit the counter type */
MK_VEC_DEFINE_IDX(v, uint8_t, 256, uint8_t);
#elif CASE == 3 /* refused: MK_VEC_DEFINE: capacity * element size overflows */
MK_VEC_DEFINE_IDX(v, uint64_t, SIZE_MAX / 4, uint64_t);
#elif CASE == 4 /* refused: MK_VEC_DEFINE: the counter type must be unsigned */
MK_VEC_DEFINE_IDX(v, int, 4, int8_t);
#elif CASE == 5 /* refused: MK_STR_DEFINE: capacity must be positive */
MK_STR_DEFINE(s, 0);
#elif CASE == 6 /* refused: MK_STR_DEFINE: capacity does not fit the counter type */
MK_STR_DEFINE_IDX(s, 256, uint8_t);
#elif CASE == 7 /* refused: MK_STR_DEFINE: capacity * element size overflows */
MK_STR_DEFINE_IDX(s, HUGE_N, size_t);
#elif CASE == 8 /* refused: MK_DEQUE_DEFINE: capacity must be positive */
MK_DEQUE_DEFINE(d, int, 0);
#elif CASE == 9 /* refused: MK_DEQUE_DEFINE: capacity does not fit the counter type */
MK_DEQUE_DEFINE_IDX(d, int, 65536, uint16_t);
#elif CASE == 10 /* refused: MK_DEQUE_DEFINE: capacity * element size overflows */
MK_DEQUE_DEFINE_IDX(d, uint16_t, HUGE_N, size_t);
#elif CASE == 11 /* refused: MK_HIST_DEFINE: capacity must be positive */
MK_HIST_DEFINE(h, int, 0);
#elif CASE == 12 /* refused: MK_HIST_DEFINE: capacity does not fit the counter type */
MK_HIST_DEFINE_IDX(h, int, 256, uint8_t);
#elif CASE == 13 /* refused: MK_HIST_DEFINE: capacity * element size overflows */
MK_HIST_DEFINE_IDX(h, uint16_t, HUGE_N, size_t);
#elif CASE == 14 /* refused: MK_BITSET_DEFINE: size must be positive */
MK_BITSET_DEFINE(b, 0);
#elif CASE == 15 /* refused: MK_BITSET_DEFINE: words are uint8_t, uint16_t or uint32_t */
MK_BITSET_DEFINE_IDX(b, 8, int);
#elif CASE == 16 /* refused: MK_BITSET_DEFINE: size too large */
MK_BITSET_DEFINE(b, SIZE_MAX);
#elif CASE == 17 /* refused: MK_LMAP_DEFINE: capacity must be positive */
MK_LMAP_DEFINE(m, int, int, 0);
#elif CASE == 18 /* refused: MK_LMAP_DEFINE: capacity does not fit the counter type */
MK_LMAP_DEFINE_IDX(m, int, int, 256, uint8_t);
#elif CASE == 19 /* refused: MK_LMAP_DEFINE: capacity * element size overflows */
MK_LMAP_DEFINE_IDX(m, uint8_t, uint8_t, HUGE_N, size_t);
#elif CASE == 20 /* refused: MK_LMAP_DEFINE: the counter type must be unsigned */
MK_LMAP_DEFINE_IDX(m, int, int, 4, int8_t);
#elif CASE == 21 /* refused: MK_HMAP_DEFINE: capacity must be positive */
MK_HMAP_DEFINE(m, uint8_t, uint8_t, 0);
#elif CASE == 22 /* refused: MK_HMAP_DEFINE: capacity must be a power of two */
MK_HMAP_DEFINE(m, uint8_t, uint8_t, 12);
#elif CASE == 23 /* refused: MK_HMAP_DEFINE: capacity does not fit the counter type */
MK_HMAP_DEFINE_IDX(m, uint8_t, uint8_t, 256, uint8_t); /* slot value 256 needs 9 bits */
#elif CASE == 24 /* refused: MK_HMAP_DEFINE: capacity * element size overflows */
MK_HMAP_DEFINE_IDX(m, uint8_t, uint8_t, HUGE_N, size_t);
#elif CASE == 25 /* refused: MK_HMAP_DEFINE: the counter type must be unsigned */
MK_HMAP_DEFINE_IDX(m, uint8_t, uint8_t, 4, int8_t);
#elif CASE == 26 /* refused: MK_HSET_DEFINE: capacity must be positive */
MK_HSET_DEFINE(s, uint16_t, 0);
#elif CASE == 27 /* refused: MK_HSET_DEFINE: capacity must be a power of two */
MK_HSET_DEFINE(s, uint16_t, 3);
#elif CASE == 28 /* refused: MK_HSET_DEFINE: capacity does not fit the counter type */
MK_HSET_DEFINE_IDX(s, uint16_t, 65536, uint16_t);
#elif CASE == 29 /* refused: MK_HSET_DEFINE: capacity * element size overflows */
MK_HSET_DEFINE_IDX(s, uint16_t, HUGE_N, size_t);
#elif CASE == 30 /* refused: MK_BHEAP_DEFINE: capacity must be positive */
MK_BHEAP_DEFINE(h, int, 0, cmp);
#elif CASE == 31 /* refused: MK_BHEAP_DEFINE: capacity does not fit the counter type */
MK_BHEAP_DEFINE_IDX(h, int, 256, uint8_t, cmp);
#elif CASE == 32 /* refused: MK_BHEAP_DEFINE: capacity * element size overflows */
MK_BHEAP_DEFINE_IDX(h, int, HUGE_N, size_t, cmp);
#elif CASE == 33 /* refused: MK_SLIST_DEFINE: capacity must be positive */
MK_SLIST_DEFINE(l, int, 0, cmp);
#elif CASE == 34 /* refused: MK_SLIST_DEFINE: capacity does not fit the counter type */
MK_SLIST_DEFINE_IDX(l, int, 65536, uint16_t, cmp);
#elif CASE == 35 /* refused: MK_SLIST_DEFINE: capacity * element size overflows */
MK_SLIST_DEFINE_IDX(l, int, HUGE_N, size_t, cmp);
#endif

/* Every case a complete program, so that only the definitions can fail. */
int main(void)
{
    return cmp(&(int){ 1 }, &(int){ 1 });
}
