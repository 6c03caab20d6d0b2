/*
 * mk_hmap / mk_hset: fixed-capacity hash map and hash set that remember insertion order
 * and never allocate (the shape of docs/containers.md).
 *
 * Contents
 *   mk_hash_bytes, mk_eq_bytes ... the default hash (FNV-1a with a murmur3 finaliser)
 *                                  and bytewise equality for plain keys
 *   mk_hmap_view ................. the erased view; core functions mk_hmap_*
 *   MK_HMAP_DEFINE(name, K, V, N)          storage inside, uint32_t counters
 *   MK_HMAP_DEFINE_IDX(name, K, V, N, IDX) narrower counters (uint8_t, uint16_t)
 *   MK_HMAP_DEFINE_EXT(name, K, V)         borrowed buffers: name_init_ext
 *   MK_HMAP_DEFINE_FN / _EXT_FN            the same with your own hash and equality
 *   MK_HSET_DEFINE, _IDX, _EXT, _FN, _EXT_FN  the set: a map without values
 *
 * Options: none (nothing here reads config.h); no libc, no lock.
 *
 * Layout
 *   Entries live in a dense array in insertion order (keys[i], vals[i], i < len); an
 *   index table of N slots (linear probing, N a power of two) holds, per slot, entry
 *   index + 1 (0 for an empty slot) and that entry's hash cut to the counter's width.
 *   The stored hash gives an entry's home slot without rehashing its key (removal
 *   hashes only the removed key and, for swap_remove, the entry that moves) and lets a
 *   lookup skip the key comparison at nearly every slot that holds another key. The cut keeps every bit the home slot
 *   needs, since N fits the counter type. Invariants: exactly len slots are non-zero
 *   and they name each entry once, with its hash; every entry sits in the probe run
 *   from its home slot (hash & (N - 1)) with no empty slot between; empty when len == 0.
 *   Removal shifts the following slots of the run back (no tombstones), so the table
 *   never degrades with churn and a lookup stops at the first empty slot. Every probe
 *   loop is bounded by N steps, so a full table and a hash that returns a constant are
 *   slow (O(N) per operation) but never loop forever.
 *
 * Removal and order
 *   name_remove keeps the order of the other entries: O(N) (entries after it move up
 *   one, and the index table is renumbered). name_swap_remove is O(1) expected: the last
 *   entry takes the removed one's position, so the order changes. Iterate with
 *   name_key_at / name_val_at for i in [0, name_len).
 *
 * Costs (expected, with a hash that spreads keys and load below 100%; worst case O(N)):
 *   put, get, get_mut, contains, index_of, swap_remove: O(1); remove: O(N + len * size);
 *   clear and init_ext: O(N); len, cap, key_at, val_at: O(1).
 *
 * Keys
 *   The plain macros hash and compare the key's bytes (mk_hash_bytes, mk_eq_bytes):
 *   right for integers, enums and structs without padding. The core recognises these
 *   two and runs them inline (word-sized for 4- and 8-byte keys), so they cost no call;
 *   your own functions cost one indirect call per hash and per key comparison (about
 *   one of each per lookup). Keys with padding, pointers to strings or case-insensitive
 *   keys need the _FN macros with your own functions.
 *   Keys and values are passed by value to the typed functions and copied in. K and V
 *   are pasted into declarations such as `const K *`: name pointer and array types
 *   through a typedef (`typedef const char *cstr;`).
 *
 * Exceptions to docs/containers.md
 *   - The set has no view type of its own: it is an mk_hmap_view with vals == NULL and
 *     vsize == 0, and the same core serves both.
 *   - _EXT containers borrow one buffer per array: name_init_ext(&m, slots, keys, vals,
 *     cap) (a set has no vals), because the arrays hold different types; slots is an
 *     array of cap mk_hmap_slot.
 *   - Removal of an absent key returns MK_EEMPTY: there is no entry to take.
 *
 * sizeof MK_HMAP_DEFINE(name, K, V, N, ...): IDX len, then IDX slots[2 * N], K keys[N],
 * V vals[N] (with padding). E.g. K = V = uint32_t, N = 256: 4100 bytes on 32- and 64-bit
 * targets; with IDX = uint16_t: 3076 (3074 rounded to uint32_t alignment). The _EXT
 * struct is five words (20 bytes on 32-bit, 40 on 64-bit; a set four).
 */
#ifndef MEMKIT_HMAP_H
#define MEMKIT_HMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memkit/container.h"
#include "memkit/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* FNV-1a over the `size` bytes at key, then murmur3's 32-bit finaliser so that the low
 * bits the table uses depend on every input byte. Not keyed: an attacker who picks the
 * keys can force collisions (slow, never wrong). O(size). */
uint32_t mk_hash_bytes(const void *key, size_t size);

/* True when the `size` bytes at a and b are equal. O(size). */
bool mk_eq_bytes(const void *a, const void *b, size_t size);

/* What the core needs to know about one map or set. Made by name_view(&m); holds no
 * state of its own. */
typedef struct mk_hmap_view {
    void *keys;             /* entry 0's key; entries are dense, in insertion order */
    void *vals;             /* entry 0's value; NULL for a set */
    void *slots;            /* cap pairs of counters: entry index + 1 (0 when empty),
                               then that entry's hash cut to idx_size bytes */
    void *len;              /* the entry count, idx_size bytes */
    size_t cap;             /* slots and entries; 0 or a power of two */
    size_t ksize;           /* bytes per key */
    size_t vsize;           /* bytes per value; 0 for a set */
    mk_hash_fn hash;
    mk_eq_fn eq;
    unsigned char idx_size; /* 1, 2, 4 or 8: the width of len and of each counter */
} mk_hmap_view;

/* One slot of an _EXT container's index table (private fields). */
typedef struct mk_hmap_slot {
    mk__size_idx entry; /* entry index + 1; 0 when empty */
    mk__size_idx hash;  /* the entry's hash */
} mk_hmap_slot;

/* Inserts key -> *val, or replaces the value when key is present (the key and its
 * position stay). val is ignored (may be NULL) for a set.
 * Returns MK_OK; MK_EFULL when key is absent and len == cap (nothing changes);
 * MK_EINVAL for a NULL key, or a NULL val in a map. O(1) expected, O(cap) worst. */
mk_err mk_hmap_put(mk_hmap_view m, const void *key, const void *val);

/* Position of key in insertion order (0 .. len - 1), or SIZE_MAX when absent or key is
 * NULL. O(1) expected, O(cap) worst. */
size_t mk_hmap_index_of(mk_hmap_view m, const void *key);

/* The value stored for key (for a set: the stored key), or NULL when absent. Valid
 * until the next put or remove. O(1) expected, O(cap) worst. */
void *mk_hmap_get(mk_hmap_view m, const void *key);

/* Removes key, copying its value to *out first (out may be NULL; ignored for a set).
 * The other entries keep their order. Returns MK_OK; MK_EEMPTY when key is absent
 * (nothing changes); MK_EINVAL for a NULL key. O(cap + len * (ksize + vsize)). */
mk_err mk_hmap_remove(mk_hmap_view m, const void *key, void *out);

/* As mk_hmap_remove, but the last entry moves into the removed entry's position
 * (order changes; nothing else moves). O(1) expected, O(cap) worst. */
mk_err mk_hmap_swap_remove(mk_hmap_view m, const void *key, void *out);

/* Number of entries. O(1). */
size_t mk_hmap_len(mk_hmap_view m);

/* Key / value of entry i in insertion order, or NULL when i >= len (val_at: also NULL
 * for a set). Valid until the next put or remove. O(1). */
const void *mk_hmap_key_at(mk_hmap_view m, size_t i);
void *mk_hmap_val_at(mk_hmap_view m, size_t i);

/* Removes every entry. O(cap). */
void mk_hmap_clear(mk_hmap_view m);

/* Cross-checks the index table with the entries: every slot names a live entry, each
 * entry is named once, reachable from its home slot, and len is consistent. Returns
 * MK_OK or MK_ECORRUPT. For tests and debugging. O(cap * probe length). */
mk_err mk_hmap_check(mk_hmap_view m);

/* Checks the buffers name_init_ext is given: MK_OK; MK_EINVAL when slots, keys or (for
 * a map, vsize > 0) vals is NULL while cap > 0; MK_ERANGE when cap is not 0 or a power
 * of two, or a buffer fails mk_container_check_buffer. O(1). Private: use
 * name_init_ext. */
mk_err mk__hmap_check_ext(mk_hmap_slot *slots, void *keys, void *vals, size_t cap,
                          size_t ksize, size_t vsize);

/* ---- typed wrappers ---------------------------------------------------------------- */

/* What maps and sets share: the functions that do not involve values. The struct has
 * fields len (of type IDX), slots, keys (arrays or pointers) and, for a map, vals. */
#define MK__HMAP_SHARED_FUNCS(name, K)                                                  \
    /* True when key is present. O(1) expected. */                                      \
    MK__MAYBE_UNUSED static inline bool name##_contains(const name *mk__m, K mk__key)   \
    {                                                                                   \
        return mk_hmap_index_of(name##_view((name *)mk__m), &mk__key) != SIZE_MAX;      \
    }                                                                                   \
    /* Position of key in insertion order, or SIZE_MAX. O(1) expected. */               \
    MK__MAYBE_UNUSED static inline size_t name##_index_of(const name *mk__m, K mk__key) \
    {                                                                                   \
        return mk_hmap_index_of(name##_view((name *)mk__m), &mk__key);                  \
    }                                                                                   \
    /* Key of entry i in insertion order, or NULL when i >= len. O(1). */               \
    MK__MAYBE_UNUSED static inline const K *name##_key_at(const name *mk__m,            \
                                                          size_t mk__i)                 \
    {                                                                                   \
        return mk__i < mk__m->len ? &mk__m->keys[mk__i] : NULL;                         \
    }                                                                                   \
    MK__CONTAINER_LEN_FUNCS(name, len)                                                  \
    /* Removes every entry. O(N). */                                                    \
    MK__MAYBE_UNUSED static inline void name##_clear(name *mk__m)                       \
    {                                                                                   \
        mk_hmap_clear(name##_view(mk__m));                                              \
    }

/* The map functions of both forms; each defines name##_cap and the struct. */
#define MK__HMAP_FUNCS(name, K, V, IDX, hash, eq)                                       \
    /* The erased view of *m. O(1). */                                                  \
    MK__MAYBE_UNUSED static inline mk_hmap_view name##_view(name *mk__m)                \
    {                                                                                   \
        mk_hmap_view mk__v = { mk__m->keys, mk__m->vals, mk__m->slots, &mk__m->len,     \
                               name##_cap(mk__m), sizeof(K), sizeof(V), (hash), (eq),   \
                               (unsigned char)sizeof(IDX) };                            \
        return mk__v;                                                                   \
    }                                                                                   \
    /* Inserts or replaces; MK_EFULL when full and key is new. O(1) expected. */        \
    MK__MAYBE_UNUSED static inline mk_err name##_put(name *mk__m, K mk__key, V mk__val) \
    {                                                                                   \
        return mk_hmap_put(name##_view(mk__m), &mk__key, &mk__val);                     \
    }                                                                                   \
    /* The value for key, or NULL. O(1) expected. */                                    \
    MK__MAYBE_UNUSED static inline const V *name##_get(const name *mk__m, K mk__key)    \
    {                                                                                   \
        return (const V *)mk_hmap_get(name##_view((name *)mk__m), &mk__key);            \
    }                                                                                   \
    /* The value for key, writable, or NULL. O(1) expected. */                          \
    MK__MAYBE_UNUSED static inline V *name##_get_mut(name *mk__m, K mk__key)            \
    {                                                                                   \
        return (V *)mk_hmap_get(name##_view(mk__m), &mk__key);                          \
    }                                                                                   \
    /* Removes key keeping order; *out gets its value (NULL discards it); MK_EEMPTY     \
     * when absent. O(N). */                                                            \
    MK__MAYBE_UNUSED static inline mk_err name##_remove(name *mk__m, K mk__key,         \
                                                        V *mk__out)                     \
    {                                                                                   \
        return mk_hmap_remove(name##_view(mk__m), &mk__key, mk__out);                   \
    }                                                                                   \
    /* Removes key; the last entry takes its position. MK_EEMPTY when absent. O(1). */  \
    MK__MAYBE_UNUSED static inline mk_err name##_swap_remove(name *mk__m, K mk__key,    \
                                                             V *mk__out)                \
    {                                                                                   \
        return mk_hmap_swap_remove(name##_view(mk__m), &mk__key, mk__out);              \
    }                                                                                   \
    /* Value of entry i in insertion order, or NULL when i >= len. O(1). */             \
    MK__MAYBE_UNUSED static inline V *name##_val_at(name *mk__m, size_t mk__i)          \
    {                                                                                   \
        return mk__i < mk__m->len ? &mk__m->vals[mk__i] : NULL;                         \
    }                                                                                   \
    MK__HMAP_SHARED_FUNCS(name, K)

/* Declares the map type `name`: at most N (a power of two) entries K -> V, counters of
 * type IDX (an unsigned type of 1, 2, 4 or 8 bytes holding N), keys hashed with `hash`
 * and compared with `eq` (mk_hash_fn, mk_eq_fn). All-zero is an empty map. Fields are
 * private. Use at file scope, then `;`. Functions: name_view, name_cap, name_len,
 * name_is_empty, name_is_full, name_put, name_get, name_get_mut, name_contains,
 * name_index_of, name_remove, name_swap_remove, name_key_at, name_val_at, name_clear. */
#define MK_HMAP_DEFINE_FN(name, K, V, N, IDX, hash, eq)                                 \
    MK__CONTAINER_ASSERTS("MK_HMAP_DEFINE", N, sizeof(K) + sizeof(V) + 2 * sizeof(IDX), \
                          IDX);                                                         \
    MK__CONTAINER_ASSERT_POW2("MK_HMAP_DEFINE", N);                                     \
    typedef struct name {                                                               \
        IDX len;            /* entries held: empty when 0, full when N */               \
        IDX slots[2 * (N)]; /* the index table: (entry + 1, hash) per slot */           \
        K keys[N];                                                                      \
        V vals[N];                                                                      \
    } name;                                                                             \
    MK__CONTAINER_CAP_N(name, N)                                                        \
    MK__HMAP_FUNCS(name, K, V, IDX, hash, eq)                                           \
    _Static_assert(sizeof(name) >= (N) * sizeof(K), "MK_HMAP_DEFINE")

/* MK_HMAP_DEFINE_FN with the bytewise hash and equality. */
#define MK_HMAP_DEFINE_IDX(name, K, V, N, IDX)                                          \
    MK_HMAP_DEFINE_FN(name, K, V, N, IDX, mk_hash_bytes, mk_eq_bytes)
/* MK_HMAP_DEFINE_IDX with uint32_t counters. */
#define MK_HMAP_DEFINE(name, K, V, N) MK_HMAP_DEFINE_IDX(name, K, V, N, uint32_t)

/* Declares a map type over buffers the caller lends, plus
 *     mk_err name_init_ext(name *m, mk_hmap_slot *slots, K *keys, V *vals, size_t cap);
 * which makes m an empty map over them: cap is 0 or a power of two, each buffer holds
 * cap elements (slots need not be zero: init clears them). Returns MK_OK; MK_EINVAL
 * when m is NULL, or a buffer is NULL and cap > 0; MK_ERANGE when cap is not a power of
 * two or an array would exceed PTRDIFF_MAX bytes or wrap the address space. On failure
 * *m is unchanged. O(cap). An all-zero _EXT map has capacity 0. Other functions as
 * MK_HMAP_DEFINE_FN. */
#define MK_HMAP_DEFINE_EXT_FN(name, K, V, hash, eq)                                     \
    typedef struct name {                                                               \
        mk_hmap_slot *slots; /* the borrowed index table */                             \
        K *keys;                                                                        \
        V *vals;                                                                        \
        mk__size_idx cap; /* entries and slots */                                       \
        mk__size_idx len; /* entries held: <= cap */                                    \
    } name;                                                                             \
    MK__CONTAINER_CAP_EXT(name)                                                         \
    MK__HMAP_FUNCS(name, K, V, mk__size_idx, hash, eq)                                  \
    MK__MAYBE_UNUSED static inline mk_err name##_init_ext(name *mk__m,                  \
                                                          mk_hmap_slot *mk__slots,      \
                                                          K *mk__keys, V *mk__vals,     \
                                                          size_t mk__cap)               \
    {                                                                                   \
        mk_err mk__e = mk__hmap_check_ext(mk__slots, mk__keys, mk__vals, mk__cap,       \
                                          sizeof(K), sizeof(V));                        \
        if (mk__m == NULL)                                                              \
            return MK_EINVAL;                                                           \
        if (mk__e != MK_OK)                                                             \
            return mk__e;                                                               \
        name mk__z = { mk__slots, mk__keys, mk__vals, mk__cap, 0 };                     \
        *mk__m = mk__z;                                                                 \
        mk_hmap_clear(name##_view(mk__m));                                              \
        return MK_OK;                                                                   \
    }                                                                                   \
    _Static_assert(sizeof(K) > 0 && sizeof(V) > 0, "MK_HMAP_DEFINE_EXT")

/* MK_HMAP_DEFINE_EXT_FN with the bytewise hash and equality. */
#define MK_HMAP_DEFINE_EXT(name, K, V)                                                  \
    MK_HMAP_DEFINE_EXT_FN(name, K, V, mk_hash_bytes, mk_eq_bytes)

/* ---- sets -------------------------------------------------------------------------- */

/* The set functions of both forms; each defines name##_cap and the struct (no vals). */
#define MK__HSET_FUNCS(name, K, IDX, hash, eq)                                          \
    /* The erased view of *s: a map view without values. O(1). */                       \
    MK__MAYBE_UNUSED static inline mk_hmap_view name##_view(name *mk__m)                \
    {                                                                                   \
        mk_hmap_view mk__v = { mk__m->keys, NULL, mk__m->slots, &mk__m->len,            \
                               name##_cap(mk__m), sizeof(K), 0, (hash), (eq),           \
                               (unsigned char)sizeof(IDX) };                            \
        return mk__v;                                                                   \
    }                                                                                   \
    /* Adds key; MK_OK also when already present; MK_EFULL when full and key is new.    \
     * O(1) expected. */                                                                \
    MK__MAYBE_UNUSED static inline mk_err name##_insert(name *mk__m, K mk__key)         \
    {                                                                                   \
        return mk_hmap_put(name##_view(mk__m), &mk__key, NULL);                         \
    }                                                                                   \
    /* Removes key keeping order; MK_EEMPTY when absent. O(N). */                       \
    MK__MAYBE_UNUSED static inline mk_err name##_remove(name *mk__m, K mk__key)         \
    {                                                                                   \
        return mk_hmap_remove(name##_view(mk__m), &mk__key, NULL);                      \
    }                                                                                   \
    /* Removes key; the last key takes its position. MK_EEMPTY when absent. O(1). */    \
    MK__MAYBE_UNUSED static inline mk_err name##_swap_remove(name *mk__m, K mk__key)    \
    {                                                                                   \
        return mk_hmap_swap_remove(name##_view(mk__m), &mk__key, NULL);                 \
    }                                                                                   \
    MK__HMAP_SHARED_FUNCS(name, K)

/* Declares the set type `name`: at most N (a power of two) keys, in insertion order.
 * Arguments as MK_HMAP_DEFINE_FN without V. Functions: name_view, name_cap, name_len,
 * name_is_empty, name_is_full, name_insert, name_contains, name_index_of, name_remove,
 * name_swap_remove, name_key_at, name_clear. */
#define MK_HSET_DEFINE_FN(name, K, N, IDX, hash, eq)                                    \
    MK__CONTAINER_ASSERTS("MK_HSET_DEFINE", N, sizeof(K) + 2 * sizeof(IDX), IDX);       \
    MK__CONTAINER_ASSERT_POW2("MK_HSET_DEFINE", N);                                     \
    typedef struct name {                                                               \
        IDX len;            /* keys held: empty when 0, full when N */                  \
        IDX slots[2 * (N)]; /* the index table: (entry + 1, hash) per slot */           \
        K keys[N];                                                                      \
    } name;                                                                             \
    MK__CONTAINER_CAP_N(name, N)                                                        \
    MK__HSET_FUNCS(name, K, IDX, hash, eq)                                              \
    _Static_assert(sizeof(name) >= (N) * sizeof(K), "MK_HSET_DEFINE")

/* MK_HSET_DEFINE_FN with the bytewise hash and equality. */
#define MK_HSET_DEFINE_IDX(name, K, N, IDX)                                             \
    MK_HSET_DEFINE_FN(name, K, N, IDX, mk_hash_bytes, mk_eq_bytes)
/* MK_HSET_DEFINE_IDX with uint32_t counters. */
#define MK_HSET_DEFINE(name, K, N) MK_HSET_DEFINE_IDX(name, K, N, uint32_t)

/* A set over borrowed buffers, plus
 *     mk_err name_init_ext(name *s, mk_hmap_slot *slots, K *keys, size_t cap);
 * with the results of the map's. */
#define MK_HSET_DEFINE_EXT_FN(name, K, hash, eq)                                        \
    typedef struct name {                                                               \
        mk_hmap_slot *slots; /* the borrowed index table */                             \
        K *keys;                                                                        \
        mk__size_idx cap; /* keys and slots */                                          \
        mk__size_idx len; /* keys held: <= cap */                                       \
    } name;                                                                             \
    MK__CONTAINER_CAP_EXT(name)                                                         \
    MK__HSET_FUNCS(name, K, mk__size_idx, hash, eq)                                     \
    MK__MAYBE_UNUSED static inline mk_err name##_init_ext(name *mk__m,                  \
                                                          mk_hmap_slot *mk__slots,      \
                                                          K *mk__keys, size_t mk__cap)  \
    {                                                                                   \
        mk_err mk__e = mk__hmap_check_ext(mk__slots, mk__keys, NULL, mk__cap,           \
                                          sizeof(K), 0);                                \
        if (mk__m == NULL)                                                              \
            return MK_EINVAL;                                                           \
        if (mk__e != MK_OK)                                                             \
            return mk__e;                                                               \
        name mk__z = { mk__slots, mk__keys, mk__cap, 0 };                               \
        *mk__m = mk__z;                                                                 \
        mk_hmap_clear(name##_view(mk__m));                                              \
        return MK_OK;                                                                   \
    }                                                                                   \
    _Static_assert(sizeof(K) > 0, "MK_HSET_DEFINE_EXT")

/* MK_HSET_DEFINE_EXT_FN with the bytewise hash and equality. */
#define MK_HSET_DEFINE_EXT(name, K)                                                     \
    MK_HSET_DEFINE_EXT_FN(name, K, mk_hash_bytes, mk_eq_bytes)

#ifdef __cplusplus
}
#endif

#endif /* MEMKIT_HMAP_H */
