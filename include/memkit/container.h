/*
 * Pieces every fixed-capacity container header shares (vec.h, str.h, deque.h, hist.h,
 * bitset.h, lmap.h, ...). Private to those headers: nothing here is for callers. The
 * shape they follow is docs/containers.md. mk_container_check_buffer is public: it is
 * what every name_init_ext accepts.
 */
#ifndef MEMKIT_CONTAINER_H
#define MEMKIT_CONTAINER_H

#include <stddef.h>
#include <stdint.h>

#include "memkit/config.h"
#include "memkit/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A file that defines a container and uses only some of its functions compiles cleanly
 * (the same definition pool.h makes; identical redefinitions are allowed). */
#if defined(__GNUC__) || defined(__clang__)
#define MK__MAYBE_UNUSED __attribute__((unused))
#else
#define MK__MAYBE_UNUSED
#endif

/* The counter type of _DEFINE_EXT containers: as wide as size_t, but spelled as the
 * fixed-width type the core reads counters through (src/internal/idx.h). size_t itself
 * would not do: on arm-none-eabi it is unsigned int while uint32_t is unsigned long,
 * and reading one through the other breaks the aliasing rules. */
#if SIZE_MAX == UINT32_MAX
typedef uint32_t mk__size_idx;
#else
typedef uint64_t mk__size_idx;
#endif

/* Largest element count a buffer of elements `esize` bytes each may hold: an object
 * may not exceed PTRDIFF_MAX bytes, so neither may the buffer. */
#define MK__MAX_ELEMS(esize) ((size_t)PTRDIFF_MAX / (size_t)(esize))

/* The compile-time checks every _DEFINE / _DEFINE_IDX macro starts with, for a container
 * of N elements of esize bytes whose counters of type IDX run from 0 to N inclusive. */
#define MK__CONTAINER_ASSERTS(kind, N, esize, IDX)                                      \
    _Static_assert((N) > 0, kind ": capacity must be positive");                        \
    _Static_assert((IDX)-1 > 0, kind ": the counter type must be unsigned");            \
    _Static_assert(sizeof(IDX) == 1 || sizeof(IDX) == 2 || sizeof(IDX) == 4 ||          \
                       sizeof(IDX) == 8,                                                \
                   kind ": the counter type must be 1, 2, 4 or 8 bytes");              \
    _Static_assert((uintmax_t)(N) <= (uintmax_t)(IDX)-1,                               \
                   kind ": capacity does not fit the counter type");                    \
    _Static_assert((uintmax_t)(N) <= (uintmax_t)MK__MAX_ELEMS(esize),                   \
                   kind ": capacity * element size overflows")

/* Checks a buffer a _DEFINE_EXT container is to borrow: cap elements of esize bytes
 * (esize > 0) at buf. Returns MK_OK; MK_EINVAL when buf is NULL and cap > 0; MK_ERANGE
 * when cap * esize exceeds PTRDIFF_MAX (so a SIZE_MAX-scale capacity is refused) or
 * buf + cap * esize wraps the address space. Every name_init_ext calls it. It never
 * reads the buffer; buf is not const-qualified so that compilers do not take a buffer
 * that is not yet initialised for a bug (GCC's -Wmaybe-uninitialized does). O(1). */
mk_err mk_container_check_buffer(void *buf, size_t cap, size_t esize);

#ifdef __cplusplus
}
#endif

#endif /* MEMKIT_CONTAINER_H */
