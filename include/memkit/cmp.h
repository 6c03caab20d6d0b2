/*
 * The function types memkit's ordered and hashed containers take (hmap.h, bheap.h,
 * slist.h), and the attribute their generated functions carry. Keeping them here means
 * one comparator serves a heap, a sorted list and a sort alike.
 */
#ifndef MEMKIT_CMP_H
#define MEMKIT_CMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memkit/container.h"

/* Orders two elements as qsort's comparator does: negative when *a sorts before *b,
 * zero when they are equivalent, positive after. It must be a strict weak order
 * (consistent and transitive) and must not change the container. */
typedef int (*mk_cmp_fn)(const void *a, const void *b);

/* Hashes the `size` bytes of the key at `key`. Equal keys (by the matching mk_eq_fn)
 * must hash equal; any bits may be used, the table takes the low ones. */
typedef uint32_t (*mk_hash_fn)(const void *key, size_t size);

/* True when the keys at a and b (each `size` bytes) are equal. */
typedef bool (*mk_eq_fn)(const void *a, const void *b, size_t size);

/* Generated typed functions are `static inline` and may go unused in a translation
 * unit (MK__MAYBE_UNUSED, shared with every container: container.h). Private. */
#define MK__CTR_FN MK__MAYBE_UNUSED static inline

#endif /* MEMKIT_CMP_H */
