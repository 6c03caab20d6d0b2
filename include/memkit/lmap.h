/*
 * mk_lmap: a linear map of at most N key/value pairs that never allocates: lookups
 * scan the keys, so it is for small N (up to a few dozen), where a scan of a compact
 * key array beats hashing. Shape: docs/containers.md.
 *
 * Contents
 *   mk_lmap_view ........ the erased view: keys, values, counter, capacity, sizes
 *   mk_lmap_* ........... the core (src/lmap.c)
 *   MK_LMAP_DEFINE ....... MK_LMAP_DEFINE(name, K, V, N): struct + typed functions
 *   MK_LMAP_DEFINE_IDX ... the same with a narrower counter
 *   MK_LMAP_DEFINE_EXT ... MK_LMAP_DEFINE_EXT(name, K, V): over arrays the caller lends
 *
 * Exception to docs/containers.md: a map has a key type K and a value type V, so the
 * macros take both in place of T.
 *
 * Keys are compared byte by byte (as memcmp would), so K must have no padding bytes
 * whose contents may differ: integers, enums, pointers, and structs or arrays of those
 * without padding (or zero-filled before use). Keys are stored apart from values, so a
 * lookup reads only keys.
 *
 * Order: pairs are kept in insertion order until a remove, which moves the last pair
 * into the removed one's place. Index i in [0, len) visits every pair once.
 *
 * The typed functions (n = len):
 *   mk_err name_put(name *m, K key, V val)    insert or replace; MK_EFULL      O(n)
 *   V     *name_get(name *m, K key)           NULL when absent                  O(n)
 *   bool   name_contains(const name *m, K key)                                  O(n)
 *   mk_err name_remove(name *m, K key, V *out)   MK_EEMPTY when absent          O(n)
 *   const K *name_key_at(const name *m, size_t i), V *name_val_at(name *m, size_t i)
 *                                             NULL when i >= len                O(1)
 *   void   name_clear(name *m)                                                  O(1)
 *   size_t name_len(const name *m), name_cap(const name *m)                     O(1)
 *   bool   name_is_empty(const name *m), name_is_full(const name *m)            O(1)
 *   mk_lmap_view name_view(name *m)
 * and for _EXT: mk_err name_init_ext(name *m, K *keys, V *vals, size_t cap).
 *
 * sizeof: MK_LMAP_DEFINE_IDX(x, uint8_t, uint8_t, 8, uint8_t) is 17;
 * MK_LMAP_DEFINE(x, K, V, N) is 4 + N * (sizeof(K) + sizeof(V)) plus alignment.
 */
#ifndef MEMKIT_LMAP_H
#define MEMKIT_LMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memkit/container.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where a map keeps its pairs. Passed by value. The core trusts a view: keys holds cap
 * keys of ksize bytes, vals cap values of vsize bytes; len points at an unsigned
 * counter of idx_size bytes holding <= cap; pair i is keys[i], vals[i]; no key occurs
 * twice in [0, len). */
typedef struct mk_lmap_view {
    void *keys;
    void *vals;
    void *len;              /* pairs held */
    size_t cap;             /* pairs that fit */
    size_t ksize, vsize;    /* bytes per key (> 0) and per value (> 0) */
    unsigned char idx_size; /* 1, 2, 4 or 8 */
} mk_lmap_view;

/* Stores a copy of *val under a copy of *key: replaces the value when the key is
 * present, else appends the pair. MK_OK; MK_EFULL when the key is new and the map is
 * full; MK_EINVAL when key or val is NULL. On failure nothing changes. O(len * ksize). */
mk_err mk_lmap_put(mk_lmap_view m, const void *key, const void *val);

/* The value stored under *key, or NULL when absent (or key is NULL). O(len * ksize). */
void *mk_lmap_get(mk_lmap_view m, const void *key);

/* Removes the pair with *key, copying its value to *out unless out is NULL; the last
 * pair moves into its place. MK_OK; MK_EEMPTY when no pair has the key (nothing
 * changes, *out untouched); MK_EINVAL when key is NULL. O(len * ksize). */
mk_err mk_lmap_remove(mk_lmap_view m, const void *key, void *out);

/* The key of pair i, or NULL when i >= len. O(1). */
void *mk_lmap_key_at(mk_lmap_view m, size_t i);
/* The value of pair i, or NULL when i >= len. O(1). */
void *mk_lmap_val_at(mk_lmap_view m, size_t i);
/* Pairs held. O(1). */
size_t mk_lmap_len(mk_lmap_view m);
/* Removes every pair. O(1). */
void mk_lmap_clear(mk_lmap_view m);

/* The functions shared by the three forms; each defines name##_cap and the struct with
 * fields len (of type IDX), keys and vals. */
#define MK__LMAP_FUNCS(name, K, V, IDX)                                                 \
    /* The erased view of m. O(1). */                                                   \
    MK__MAYBE_UNUSED static inline mk_lmap_view name##_view(name *mk__m)                \
    {                                                                                   \
        mk_lmap_view mk__w = { mk__m->keys,       mk__m->vals, &mk__m->len,             \
                               name##_cap(mk__m), sizeof(K),   sizeof(V),               \
                               (unsigned char)sizeof(IDX) };                            \
        return mk__w;                                                                   \
    }                                                                                   \
    MK__CONTAINER_LEN_FUNCS(name, len)                                                  \
    /* Insert or replace: MK_OK, or MK_EFULL for a new key in a full map. O(len). */    \
    MK__MAYBE_UNUSED static inline mk_err name##_put(name *mk__m, K mk__key, V mk__val) \
    {                                                                                   \
        return mk_lmap_put(name##_view(mk__m), &mk__key, &mk__val);                     \
    }                                                                                   \
    /* The value under key, or NULL when absent. O(len). */                             \
    MK__MAYBE_UNUSED static inline V *name##_get(name *mk__m, K mk__key)                \
    {                                                                                   \
        return (V *)mk_lmap_get(name##_view(mk__m), &mk__key);                          \
    }                                                                                   \
    /* True when a pair has key. O(len). */                                             \
    MK__MAYBE_UNUSED static inline bool name##_contains(const name *mk__m, K mk__key)   \
    {                                                                                   \
        return mk_lmap_get(name##_view((name *)mk__m), &mk__key) != NULL;               \
    }                                                                                   \
    /* Removes key's pair into *out (NULL discards the value): MK_OK, or MK_EEMPTY      \
     * when absent (nothing changes). O(len). */                                        \
    MK__MAYBE_UNUSED static inline mk_err name##_remove(name *mk__m, K mk__key,         \
                                                        V *mk__out)                     \
    {                                                                                   \
        return mk_lmap_remove(name##_view(mk__m), &mk__key, mk__out);                   \
    }                                                                                   \
    /* The key of pair i, or NULL when i >= len. O(1). */                               \
    MK__MAYBE_UNUSED static inline const K *name##_key_at(const name *mk__m,            \
                                                          size_t mk__i)                 \
    {                                                                                   \
        return mk__i < mk__m->len ? &mk__m->keys[mk__i] : NULL;                         \
    }                                                                                   \
    /* The value of pair i, or NULL when i >= len. O(1). */                             \
    MK__MAYBE_UNUSED static inline V *name##_val_at(name *mk__m, size_t mk__i)          \
    {                                                                                   \
        return mk__i < mk__m->len ? &mk__m->vals[mk__i] : NULL;                         \
    }                                                                                   \
    /* Removes every pair. O(1). */                                                     \
    MK__MAYBE_UNUSED static inline void name##_clear(name *mk__m) { mk__m->len = 0; }

/* Declares `name`, a map of up to N pairs (K -> V) stored inside, whose counter has
 * type IDX, and the functions listed at the top of this file. All-zero bytes are an
 * empty map. Fields are private. Use at file scope, then `;`. */
#define MK_LMAP_DEFINE_IDX(name, K, V, N, IDX)                                          \
    MK__CONTAINER_ASSERTS("MK_LMAP_DEFINE", N, sizeof(K) + sizeof(V), IDX);             \
    typedef struct name {                                                               \
        IDX len; /* pairs held: <= N */                                                 \
        K keys[N];                                                                      \
        V vals[N];                                                                      \
    } name;                                                                             \
    MK__CONTAINER_CAP_N(name, N)                                                        \
    MK__LMAP_FUNCS(name, K, V, IDX)                                                     \
    _Static_assert(sizeof(name) >= (N) * (sizeof(K) + sizeof(V)), "MK_LMAP_DEFINE")

/* MK_LMAP_DEFINE_IDX with a uint32_t counter. */
#define MK_LMAP_DEFINE(name, K, V, N) MK_LMAP_DEFINE_IDX(name, K, V, N, uint32_t)

/* Declares `name`, a map over a key array and a value array (cap entries each) the
 * caller lends, plus
 *     mk_err name_init_ext(name *m, K *keys, V *vals, size_t cap);
 * MK_OK; MK_EINVAL when m is NULL, or keys or vals is NULL and cap > 0; MK_ERANGE when
 * either array would exceed PTRDIFF_MAX bytes or wrap the address space; on failure *m
 * is untouched. O(1). An all-zero _EXT map has capacity 0. */
#define MK_LMAP_DEFINE_EXT(name, K, V)                                                  \
    typedef struct name {                                                               \
        K *keys;                                                                        \
        V *vals;                                                                        \
        mk__size_idx cap;                                                               \
        mk__size_idx len;                                                               \
    } name;                                                                             \
    MK__CONTAINER_CAP_EXT(name)                                                         \
    MK__MAYBE_UNUSED static inline mk_err name##_init_ext(name *mk__m, K *mk__keys,     \
                                                          V *mk__vals, size_t mk__cap)  \
    {                                                                                   \
        mk_err mk__e = mk_container_check_buffer(mk__keys, mk__cap, sizeof(K));         \
        if (mk__m == NULL)                                                              \
            return MK_EINVAL;                                                           \
        if (mk__e == MK_OK)                                                             \
            mk__e = mk_container_check_buffer(mk__vals, mk__cap, sizeof(V));            \
        if (mk__e == MK_OK) {                                                           \
            mk__m->keys = mk__keys;                                                     \
            mk__m->vals = mk__vals;                                                     \
            mk__m->cap = mk__cap;                                                       \
            mk__m->len = 0;                                                             \
        }                                                                               \
        return mk__e;                                                                   \
    }                                                                                   \
    MK__LMAP_FUNCS(name, K, V, mk__size_idx)                                            \
    _Static_assert(sizeof(K) > 0 && sizeof(V) > 0, "MK_LMAP_DEFINE_EXT")

#ifdef __cplusplus
}
#endif

#endif /* MEMKIT_LMAP_H */
