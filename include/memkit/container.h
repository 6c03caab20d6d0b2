/*
 * The layer every container header shares (vec.h, str.h, deque.h, hist.h, bitset.h,
 * lmap.h, hmap.h, bheap.h, slist.h): the one place for what they have in common, so
 * that each thing is done one way. The shape they follow is docs/containers.md.
 *
 * Public
 *   mk_cmp_fn, mk_hash_fn, mk_eq_fn .. the function types the ordered and hashed
 *                                      containers take (bheap, slist; hmap)
 *   mk_container_check_buffer ........ what every name_init_ext checks a buffer with
 * Private (for the container headers' macros; not for callers)
 *   MK__MAYBE_UNUSED ................. marks every generated function: a file that uses
 *                                      only some of them compiles cleanly
 *   mk__size_idx ..................... the counter type of _DEFINE_EXT containers
 *   MK__MAX_ELEMS(esize) ............. the most elements one array may hold
 *   MK__CONTAINER_ASSERTS(kind, N, esize, IDX)  the compile-time checks of every
 *                                      _DEFINE / _DEFINE_IDX macro
 *   MK__CONTAINER_ASSERT_POW2(kind, N) the same for kinds whose N is a power of two
 *   MK__CONTAINER_CAP_N(name, N), MK__CONTAINER_CAP_EXT(name)
 *                                      name_cap of the inside and the _EXT forms
 *   MK__CONTAINER_LEN_FUNCS(name, LEN) name_len, name_is_empty, name_is_full
 *   MK__CONTAINER_EXT_ARRAY(name, T) . the storage and name_init_ext of an _EXT
 *                                      container over one array (vec, bheap)
 *
 * Generated functions name their parameters and locals mk__*, so that no container,
 * element or key type name a caller picks (`MK_VEC_DEFINE(v, int, 4)`) can be shadowed
 * by them or capture them.
 *
 * Options: none (nothing here reads config.h); no libc.
 */
#ifndef MEMKIT_CONTAINER_H
#define MEMKIT_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memkit/config.h"
#include "memkit/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Orders two elements as qsort's comparator does: negative when *a sorts before *b,
 * zero when they are equivalent, positive after. It must be a strict weak order
 * (consistent and transitive) and must not change the container. Keeping the type here
 * means one comparator serves a heap, a sorted list and a sort alike. */
typedef int (*mk_cmp_fn)(const void *a, const void *b);

/* Hashes the `size` bytes of the key at `key`. Equal keys (by the matching mk_eq_fn)
 * must hash equal; any bits may be used, the table takes the low ones. */
typedef uint32_t (*mk_hash_fn)(const void *key, size_t size);

/* True when the keys at a and b (each `size` bytes) are equal. */
typedef bool (*mk_eq_fn)(const void *a, const void *b, size_t size);

/* The same definition pool.h and queue.h make (identical redefinitions are allowed),
 * so each header stands alone. */
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
 * of N elements whose counters of type IDX run from 0 to N inclusive. esize is the bytes
 * one element costs across the container's arrays, which one struct holds (a map's key,
 * value and index slot together). kind names the macro in the messages. Placed first,
 * so that a refused capacity is reported before any error the struct would raise. */
#define MK__CONTAINER_ASSERTS(kind, N, esize, IDX)                                      \
    _Static_assert((N) > 0, kind ": capacity must be positive");                        \
    _Static_assert((IDX)-1 > 0, kind ": the counter type must be unsigned");            \
    _Static_assert(sizeof(IDX) == 1 || sizeof(IDX) == 2 || sizeof(IDX) == 4 ||          \
                       sizeof(IDX) == 8,                                                \
                   kind ": the counter type must be 1, 2, 4 or 8 bytes");               \
    _Static_assert((uintmax_t)(N) <= (uintmax_t)(IDX)-1,                                \
                   kind ": capacity does not fit the counter type");                    \
    _Static_assert((uintmax_t)(N) <= (uintmax_t)MK__MAX_ELEMS(esize),                   \
                   kind ": capacity * element size overflows")

/* For kinds that index with N - 1 as a mask (hash map and set). */
#define MK__CONTAINER_ASSERT_POW2(kind, N)                                              \
    _Static_assert(((N) & ((N)-1)) == 0, kind ": capacity must be a power of two")

/* The storage of an _EXT container over one borrowed array of T: the struct (fields
 * data, cap, len), name_cap, and
 *     mk_err name_init_ext(name *c, T *buf, size_t cap);
 * which makes c empty over the cap elements at buf: MK_OK; MK_EINVAL when c is NULL, or
 * buf is NULL and cap > 0; MK_ERANGE when the buffer fails mk_container_check_buffer.
 * On failure *c is untouched. O(1). (vec, bheap) */
#define MK__CONTAINER_EXT_ARRAY(name, T)                                                \
    typedef struct name {                                                               \
        T *data;          /* the borrowed buffer */                                     \
        mk__size_idx cap; /* elements it holds */                                       \
        mk__size_idx len; /* elements held: <= cap */                                   \
    } name;                                                                             \
    MK__CONTAINER_CAP_EXT(name)                                                         \
    MK__MAYBE_UNUSED static inline mk_err name##_init_ext(name *mk__c, T *mk__buf,      \
                                                          size_t mk__cap)               \
    {                                                                                   \
        mk_err mk__e = mk_container_check_buffer(mk__buf, mk__cap, sizeof(T));          \
        if (mk__c == NULL)                                                              \
            return MK_EINVAL;                                                           \
        if (mk__e == MK_OK) {                                                           \
            mk__c->data = mk__buf;                                                      \
            mk__c->cap = mk__cap;                                                       \
            mk__c->len = 0;                                                             \
        }                                                                               \
        return mk__e;                                                                   \
    }

/* name_cap of a container with its N elements inside. */
#define MK__CONTAINER_CAP_N(name, N)                                                    \
    /* Elements that fit: N. O(1). */                                                   \
    MK__MAYBE_UNUSED static inline size_t name##_cap(const name *mk__c)                 \
    {                                                                                   \
        (void)mk__c;                                                                    \
        return (N);                                                                     \
    }

/* name_cap of an _EXT container: its field cap, set by name_init_ext (0 when all-zero). */
#define MK__CONTAINER_CAP_EXT(name)                                                     \
    /* Elements the borrowed buffers hold. O(1). */                                     \
    MK__MAYBE_UNUSED static inline size_t name##_cap(const name *mk__c)                 \
    {                                                                                   \
        return (size_t)mk__c->cap;                                                      \
    }

/* The length queries of a container whose element count is the field LEN (`len`, or
 * an element such as `ctl[0]`) and which has name##_cap. */
#define MK__CONTAINER_LEN_FUNCS(name, LEN)                                              \
    /* Elements held. O(1). */                                                          \
    MK__MAYBE_UNUSED static inline size_t name##_len(const name *mk__c)                 \
    {                                                                                   \
        return (size_t)mk__c->LEN;                                                      \
    }                                                                                   \
    /* True when nothing is held. O(1). */                                              \
    MK__MAYBE_UNUSED static inline bool name##_is_empty(const name *mk__c)              \
    {                                                                                   \
        return mk__c->LEN == 0;                                                         \
    }                                                                                   \
    /* True when len == cap: no element can be added (a history buffer drops its        \
     * oldest at the next write; an all-zero _EXT container is always full). O(1). */   \
    MK__MAYBE_UNUSED static inline bool name##_is_full(const name *mk__c)               \
    {                                                                                   \
        return (size_t)mk__c->LEN == name##_cap(mk__c);                                 \
    }

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
