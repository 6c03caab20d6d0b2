/* The erased core of mk_hmap / mk_hset: a dense entry array in insertion order and an
 * index table with linear probing and backward-shift deletion. See include/memkit/hmap.h
 * for the layout and its invariants.
 *
 * Where the time goes (docs/performance.md "Containers (hash map, heap, sorted list)"):
 * a lookup hashes the key once, walks ~2.5 slots at 75% load and compares one key. So
 * the core keeps all three cheap without knowing the key type:
 *   - the default hash and equality (mk_hash_bytes, mk_eq_bytes) are recognised by
 *     address and expanded inline, unrolled for 4- and 8-byte keys; only a caller's own
 *     functions cost an indirect call;
 *   - the slot walks are written once over a counter width w and instantiated per width
 *     (BY_WIDTH), so a step is two plain loads, not two switches on the width;
 *   - a slot stores its entry's hash, so a step past another key costs a compare of
 *     counters, and the key comparison runs (nearly) once per lookup;
 *   - 4- and 8-byte keys and values are copied as words (copy_item), not through
 *     mk__copy's out-of-line byte loop.
 * The lookup (find) itself calls nothing on the default path: the caller's-functions
 * path is a separate function, so that its calls do not cost the default path a frame. */
#include "memkit/hmap.h"

#include "internal/idx.h"
#include "internal/mem.h"

/* The word-sized special cases below and BY_WIDTH's per-width copies trade flash for
 * speed: a build for size (-Os) drops them and runs the general code. */
#ifdef __OPTIMIZE_SIZE__
#define SPECIALISE 0
#else
#define SPECIALISE 1
#endif

/* ---- the default hash and equality --------------------------------------------------- */

#define FNV_OFFSET 2166136261u
#define FNV_PRIME 16777619u

static inline uint32_t fnv_byte(uint32_t h, unsigned char b)
{
    return (h ^ b) * FNV_PRIME;
}

/* Four bytes of FNV-1a, written out: GCC at -O2 does not unroll the loop even for a
 * constant size. */
static inline uint32_t fnv_4(uint32_t h, const unsigned char *p)
{
    return fnv_byte(fnv_byte(fnv_byte(fnv_byte(h, p[0]), p[1]), p[2]), p[3]);
}

/* murmur3's 32-bit finaliser: FNV-1a's low bits mix poorly for short keys, and the table
 * uses only those. */
static inline uint32_t fmix32(uint32_t h)
{
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

static inline uint32_t hash_bytes(const unsigned char *p, size_t size)
{
    uint32_t h = FNV_OFFSET;
    for (size_t i = 0; i < size; i++)
        h = fnv_byte(h, p[i]);
    return fmix32(h);
}

uint32_t mk_hash_bytes(const void *key, size_t size)
{
    return hash_bytes(key, size);
}

/* Four bytes as one little-endian word, read bytewise so that any key type may be read
 * (character access never breaks the aliasing rules) at any alignment. GCC and clang
 * turn it into a single load where the target allows unaligned loads. */
static inline uint32_t load_4(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void store_4(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

/* Copies a key or value of n bytes. mk__copy is a call (its no-libcall attribute keeps
 * it from being inlined) and a byte loop, which for a 4-byte item costs more than the
 * lookup's probe: 4- and 8-byte items go as words, all loads before the stores so that
 * the compiler may merge them. */
static inline void copy_item(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (SPECIALISE && n == 4) {
        store_4(d, load_4(s));
    } else if (SPECIALISE && n == 8) {
        uint32_t lo = load_4(s), hi = load_4(s + 4);
        store_4(d, lo);
        store_4(d + 4, hi);
    } else {
        mk__copy(d, s, n);
    }
}

static inline bool bytes_equal(const unsigned char *x, const unsigned char *y, size_t size)
{
    for (size_t i = 0; i < size; i++)
        if (x[i] != y[i])
            return false;
    return true;
}

bool mk_eq_bytes(const void *a, const void *b, size_t size)
{
    return bytes_equal(a, b, size);
}

/* ---- entries and slots --------------------------------------------------------------- */

static unsigned char *key_ptr(const mk_hmap_view *m, size_t e)
{
    return (unsigned char *)m->keys + e * m->ksize;
}

/* NULL for a set: arithmetic on its NULL vals would be undefined. */
static unsigned char *val_ptr(const mk_hmap_view *m, size_t e)
{
    return m->vals == NULL ? NULL : (unsigned char *)m->vals + e * m->vsize;
}

static size_t len_of(const mk_hmap_view *m)
{
    return mk__idx_get(m->len, m->idx_size);
}

/* Slot i is two counters of w bytes: entry index + 1 (0 when empty), then the entry's
 * hash. Every slot helper takes w as an argument so that, inlined where w is a constant
 * (BY_WIDTH), it reads and writes the counters directly. */
static inline unsigned char *slot_ptr(const mk_hmap_view *m, size_t i, unsigned w)
{
    return (unsigned char *)m->slots + 2 * i * w;
}

static inline size_t slot_entry(const mk_hmap_view *m, size_t i, unsigned w)
{
    return mk__idx_get(slot_ptr(m, i, w), w);
}

static inline size_t slot_hash(const mk_hmap_view *m, size_t i, unsigned w)
{
    return mk__idx_get(slot_ptr(m, i, w) + w, w);
}

static inline void set_slot(const mk_hmap_view *m, size_t i, size_t entry, size_t hash,
                            unsigned w)
{
    mk__idx_set(slot_ptr(m, i, w), w, entry);
    mk__idx_set(slot_ptr(m, i, w) + w, w, hash);
}

/* Evaluates expr, a call ending in the argument w, with w a constant of the view's
 * counter width: one copy of each slot walk per width, chosen once per operation (or,
 * without SPECIALISE, one copy that reads the width at every step). */
#if !SPECIALISE
#define BY_WIDTH(m, expr)                                                               \
    do {                                                                                \
        const unsigned w = (m)->idx_size;                                               \
        expr;                                                                           \
    } while (0)
#else
#define BY_WIDTH(m, expr)                                                               \
    do {                                                                                \
        switch ((m)->idx_size) {                                                        \
        case 1: {                                                                       \
            const unsigned w = 1;                                                       \
            expr;                                                                       \
            break;                                                                      \
        }                                                                               \
        case 2: {                                                                       \
            const unsigned w = 2;                                                       \
            expr;                                                                       \
            break;                                                                      \
        }                                                                               \
        case 4: {                                                                       \
            const unsigned w = 4;                                                       \
            expr;                                                                       \
            break;                                                                      \
        }                                                                               \
        default: {                                                                      \
            const unsigned w = 8;                                                       \
            expr;                                                                       \
            break;                                                                      \
        }                                                                               \
        }                                                                               \
    } while (0)
#endif

/* ---- hashing and comparing keys ------------------------------------------------------ */

/* The default hash of key, expanded for the common key widths: no call, no loop. */
static inline uint32_t default_hash(const mk_hmap_view *m, const unsigned char *key)
{
    if (SPECIALISE && m->ksize == 4)
        return fmix32(fnv_4(FNV_OFFSET, key));
    if (SPECIALISE && m->ksize == 8)
        return fmix32(fnv_4(fnv_4(FNV_OFFSET, key), key + 4));
    return hash_bytes(key, m->ksize);
}

/* key's hash as a slot stores it: cut to the counter's width w, which keeps the bits of
 * every slot index since cap fits the counter. */
static inline size_t hash_of(const mk_hmap_view *m, const void *key, bool own, unsigned w)
{
    uint32_t h = own ? m->hash(key, m->ksize) : default_hash(m, key);
    return (size_t)h & mk__idx_max(w);
}

/* Whether key equals entry e's key, by the view's equality (own) or bytewise. */
static inline bool key_equals(const mk_hmap_view *m, const void *key, size_t e, bool own)
{
    const unsigned char *a = key, *b = key_ptr(m, e);
    if (own)
        return m->eq(a, b, m->ksize);
    if (SPECIALISE && m->ksize == 4)
        return load_4(a) == load_4(b);
    if (SPECIALISE && m->ksize == 8)
        return ((load_4(a) ^ load_4(b)) | (load_4(a + 4) ^ load_4(b + 4))) == 0;
    return bytes_equal(a, b, m->ksize);
}

/* Whether the view hashes and compares with a caller's functions rather than the
 * default ones, which the core then runs inline. */
static bool own_functions(const mk_hmap_view *m)
{
    return m->hash != mk_hash_bytes || m->eq != mk_eq_bytes;
}

/* ---- the slot walks, per counter width ----------------------------------------------- */

/* Follows the probe run of key, whose stored hash is h. Returns the slot holding it
 * (*entry = its entry index), else the empty slot that ends the run (*entry =
 * SIZE_MAX), else cap (the table is full and the key absent; *entry = SIZE_MAX). */
static inline size_t probe_w(const mk_hmap_view *m, const void *key, size_t h,
                             size_t *entry, unsigned w, bool own)
{
    const unsigned char *slots = m->slots;
    size_t mask = m->cap - 1, home = h & mask, i = home;
    *entry = SIZE_MAX;
    /* Bounded by the way round back to home, for a full table. */
    do {
        const unsigned char *p = slots + 2 * i * w;
        size_t s = mk__idx_get(p, w);
        if (s == 0)
            return i;
        if (mk__idx_get(p + w, w) == h && key_equals(m, key, s - 1, own)) {
            *entry = s - 1;
            return i;
        }
        i = (i + 1) & mask;
    } while (i != home);
    return m->cap;
}

/* Empties slot `hole` and moves later members of its run back so that every entry stays
 * reachable from its home without crossing an empty slot. */
static inline void unlink_w(const mk_hmap_view *m, size_t hole, unsigned w)
{
    size_t mask = m->cap - 1, start = hole;
    for (size_t j = (hole + 1) & mask; j != start; j = (j + 1) & mask) {
        size_t s = slot_entry(m, j, w);
        if (s == 0)
            break;
        /* The entry at j may fill the hole only if its home is not after the hole,
         * i.e. the hole lies within [home, j] going round the table. */
        size_t h = slot_hash(m, j, w);
        if (((j - (h & mask)) & mask) >= ((j - hole) & mask)) {
            set_slot(m, hole, s, h, w);
            hole = j;
        }
    }
    set_slot(m, hole, 0, 0, w);
}

/* The slot naming entry e, whose hash is h: on e's probe run, within cap steps of its
 * home (bounded all the same, so that a corrupted table cannot make it spin). */
static inline size_t slot_of_w(const mk_hmap_view *m, size_t e, size_t h, unsigned w)
{
    size_t mask = m->cap - 1, home = h & mask, i = home;
    while (slot_entry(m, i, w) != e + 1 && (i = (i + 1) & mask) != home)
        continue;
    return i;
}

/* ---- the lookup every operation starts with ------------------------------------------ */

/* Kept out of find: inlined there, its calls would make find save and restore
 * registers on every lookup, the default functions' too. */
#if defined(__GNUC__) || defined(__clang__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE
#endif

/* With a caller's functions every hash and comparison is a call anyway: one copy
 * serves every width. */
NOINLINE static size_t find_own(const mk_hmap_view *m, const void *key, size_t *h, size_t *entry)
{
    *h = hash_of(m, key, true, m->idx_size);
    return probe_w(m, key, *h, entry, m->idx_size, true);
}

/* Hashes key (*h) and follows its probe run; returns as probe_w. cap must be > 0. With
 * the default functions it calls nothing, and walks with the counter width fixed. */
static size_t find(const mk_hmap_view *m, const void *key, size_t *h, size_t *entry)
{
    size_t i = 0;
    if (own_functions(m))
        return find_own(m, key, h, entry);
    uint32_t full = default_hash(m, key);
    BY_WIDTH(m, (*h = full & mk__idx_max(w), i = probe_w(m, key, *h, entry, w, false)));
    return i;
}

/* ---- operations ---------------------------------------------------------------------- */

mk_err mk_hmap_put(mk_hmap_view m, const void *key, const void *val)
{
    if (key == NULL || (val == NULL && m.vsize > 0))
        return MK_EINVAL;
    if (m.cap == 0)
        return MK_EFULL;
    size_t h, e;
    size_t i = find(&m, key, &h, &e);
    if (e != SIZE_MAX) {
        copy_item(val_ptr(&m, e), val, m.vsize);
        return MK_OK;
    }
    if (i == m.cap)
        return MK_EFULL;
    size_t len = len_of(&m);
    copy_item(key_ptr(&m, len), key, m.ksize);
    copy_item(val_ptr(&m, len), val, m.vsize);
    BY_WIDTH(&m, set_slot(&m, i, len + 1, h, w));
    mk__idx_set(m.len, m.idx_size, len + 1);
    return MK_OK;
}

/* Views travel by pointer inside the core: passing one by value costs a copy (a
 * memcpy call on RV32 at -Os, which the core must not need). */
static size_t index_of(const mk_hmap_view *m, const void *key)
{
    size_t e = SIZE_MAX, h;
    if (key != NULL && m->cap > 0)
        find(m, key, &h, &e);
    return e;
}

size_t mk_hmap_index_of(mk_hmap_view m, const void *key)
{
    return index_of(&m, key);
}

void *mk_hmap_get(mk_hmap_view m, const void *key)
{
    size_t e = index_of(&m, key);
    if (e == SIZE_MAX)
        return NULL;
    /* A map's values, or a set's keys: vals is never NULL when vsize > 0. */
    return m.vsize > 0 ? (unsigned char *)m.vals + e * m.vsize : key_ptr(&m, e);
}

static void move_entry(const mk_hmap_view *m, size_t to, size_t from)
{
    copy_item(key_ptr(m, to), key_ptr(m, from), m->ksize);
    copy_item(val_ptr(m, to), val_ptr(m, from), m->vsize);
}

/* Finds and unlinks key's slot, copies its value to out and sets *e to its entry
 * index. Returns MK_OK, MK_EINVAL for a NULL key, MK_EEMPTY when key is absent. */
static mk_err take(const mk_hmap_view *m, const void *key, void *out, size_t *e)
{
    if (key == NULL)
        return MK_EINVAL;
    if (m->cap == 0)
        return MK_EEMPTY;
    size_t h;
    size_t i = find(m, key, &h, e);
    if (*e == SIZE_MAX)
        return MK_EEMPTY;
    if (out != NULL)
        copy_item(out, val_ptr(m, *e), m->vsize);
    BY_WIDTH(m, unlink_w(m, i, w));
    return MK_OK;
}

mk_err mk_hmap_remove(mk_hmap_view m, const void *key, void *out)
{
    size_t e;
    mk_err err = take(&m, key, out, &e);
    if (err != MK_OK)
        return err;
    size_t len = len_of(&m);
    for (size_t j = e + 1; j < len; j++)
        move_entry(&m, j - 1, j);
    for (size_t i = 0; i < m.cap; i++) {
        size_t s = slot_entry(&m, i, m.idx_size);
        if (s > e + 1)
            mk__idx_set(slot_ptr(&m, i, m.idx_size), m.idx_size, s - 1);
    }
    mk__idx_set(m.len, m.idx_size, len - 1);
    return MK_OK;
}

mk_err mk_hmap_swap_remove(mk_hmap_view m, const void *key, void *out)
{
    size_t e;
    mk_err err = take(&m, key, out, &e);
    if (err != MK_OK)
        return err;
    size_t last = len_of(&m) - 1;
    if (e != last) {
        size_t h = hash_of(&m, key_ptr(&m, last), own_functions(&m), m.idx_size);
        BY_WIDTH(&m, mk__idx_set(slot_ptr(&m, slot_of_w(&m, last, h, w), w), w, e + 1));
        move_entry(&m, e, last);
    }
    mk__idx_set(m.len, m.idx_size, last);
    return MK_OK;
}

size_t mk_hmap_len(mk_hmap_view m)
{
    return len_of(&m);
}

const void *mk_hmap_key_at(mk_hmap_view m, size_t i)
{
    return i < len_of(&m) ? key_ptr(&m, i) : NULL;
}

void *mk_hmap_val_at(mk_hmap_view m, size_t i)
{
    return i < len_of(&m) && m.vsize > 0 ? val_ptr(&m, i) : NULL;
}

void mk_hmap_clear(mk_hmap_view m)
{
    mk__zero(m.slots, 2 * m.cap * m.idx_size);
    mk__idx_set(m.len, m.idx_size, 0);
}

mk_err mk_hmap_check(mk_hmap_view m)
{
    size_t len = len_of(&m), used = 0;
    unsigned w = m.idx_size;
    if (len > m.cap)
        return MK_ECORRUPT;
    for (size_t i = 0; i < m.cap; i++) {
        size_t s = slot_entry(&m, i, w);
        if (s == 0)
            continue;
        if (s > len)
            return MK_ECORRUPT;
        used++;
        /* Hash right, and reachable: no empty slot between the entry's home and i.
         * Together with the count this also proves no entry is named twice, since a
         * probe for the key must find this very slot first. */
        const void *key = key_ptr(&m, s - 1);
        size_t h, e;
        if (find(&m, key, &h, &e) != i || e != s - 1 || slot_hash(&m, i, w) != h)
            return MK_ECORRUPT;
    }
    return used == len ? MK_OK : MK_ECORRUPT;
}

mk_err mk__hmap_check_ext(mk_hmap_slot *slots, void *keys, void *vals, size_t cap,
                          size_t ksize, size_t vsize)
{
    mk_err e = mk_container_check_buffer(slots, cap, sizeof(mk_hmap_slot));
    if (e == MK_OK)
        e = mk_container_check_buffer(keys, cap, ksize);
    if (e == MK_OK && vsize > 0)
        e = mk_container_check_buffer(vals, cap, vsize);
    if (e == MK_OK && (cap & (cap - 1)) != 0)
        e = MK_ERANGE;
    return e;
}
