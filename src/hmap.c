/* The erased core of mk_hmap / mk_hset: a dense entry array in insertion order and an
 * index table with linear probing and backward-shift deletion. See include/memkit/hmap.h
 * for the layout and its invariants. */
#include "memkit/hmap.h"

#include "internal/idx.h"
#include "internal/mem.h"

uint32_t mk_hash_bytes(const void *key, size_t size)
{
    const unsigned char *p = key;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < size; i++) {
        h ^= p[i];
        h *= 16777619u;
    }
    /* FNV-1a's low bits mix poorly for short keys; the table uses only those. */
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

bool mk_eq_bytes(const void *a, const void *b, size_t size)
{
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < size; i++)
        if (x[i] != y[i])
            return false;
    return true;
}

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

/* Slot i is two counters: entry index + 1 (0 when empty), then the entry's hash. */
static unsigned char *slot_ptr(const mk_hmap_view *m, size_t i)
{
    return (unsigned char *)m->slots + 2 * i * m->idx_size;
}

static size_t slot(const mk_hmap_view *m, size_t i)
{
    return mk__idx_get(slot_ptr(m, i), m->idx_size);
}

static size_t slot_hash(const mk_hmap_view *m, size_t i)
{
    return mk__idx_get(slot_ptr(m, i) + m->idx_size, m->idx_size);
}

static void set_slot(const mk_hmap_view *m, size_t i, size_t entry, size_t hash)
{
    mk__idx_set(slot_ptr(m, i), m->idx_size, entry);
    mk__idx_set(slot_ptr(m, i) + m->idx_size, m->idx_size, hash);
}

/* key's hash as a slot stores it: cut to the counter's width, which keeps the bits of
 * every slot index since cap fits the counter. */
static size_t hash_of(const mk_hmap_view *m, const void *key)
{
    return (size_t)m->hash(key, m->ksize) & mk__idx_max(m->idx_size);
}

/* Follows the probe run of a key with stored hash h. Returns the slot holding it
 * (*found set), else the empty slot that ends the run, else cap (the table is full and
 * the key absent). */
static size_t probe(const mk_hmap_view *m, const void *key, size_t h, bool *found)
{
    *found = false;
    if (m->cap == 0)
        return 0;
    size_t mask = m->cap - 1, i = h & mask;
    for (size_t n = 0; n < m->cap; n++, i = (i + 1) & mask) {
        size_t s = slot(m, i);
        if (s == 0)
            return i;
        if (slot_hash(m, i) == h && m->eq(key, key_ptr(m, s - 1), m->ksize)) {
            *found = true;
            return i;
        }
    }
    return m->cap;
}

mk_err mk_hmap_put(mk_hmap_view m, const void *key, const void *val)
{
    if (key == NULL || (val == NULL && m.vsize > 0))
        return MK_EINVAL;
    bool found;
    size_t h = m.cap == 0 ? 0 : hash_of(&m, key);
    size_t i = probe(&m, key, h, &found);
    if (found) {
        mk__copy(val_ptr(&m, slot(&m, i) - 1), val, m.vsize);
        return MK_OK;
    }
    if (i == m.cap)
        return MK_EFULL;
    size_t len = len_of(&m);
    mk__copy(key_ptr(&m, len), key, m.ksize);
    mk__copy(val_ptr(&m, len), val, m.vsize);
    set_slot(&m, i, len + 1, h);
    mk__idx_set(m.len, m.idx_size, len + 1);
    return MK_OK;
}

/* Views travel by pointer inside the core: passing one by value costs a copy (a
 * memcpy call on RV32 at -Os, which the core must not need). */
static size_t index_of(const mk_hmap_view *m, const void *key)
{
    bool found;
    if (key == NULL || m->cap == 0)
        return SIZE_MAX;
    size_t i = probe(m, key, hash_of(m, key), &found);
    return found ? slot(m, i) - 1 : SIZE_MAX;
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
    return m.vsize > 0 ? val_ptr(&m, e) : key_ptr(&m, e);
}

/* Empties slot `hole` and moves later members of its run back so that every entry stays
 * reachable from its home without crossing an empty slot. */
static void unlink_slot(const mk_hmap_view *m, size_t hole)
{
    size_t mask = m->cap - 1, j = hole;
    for (size_t n = 1; n < m->cap; n++) {
        j = (j + 1) & mask;
        size_t s = slot(m, j);
        if (s == 0)
            break;
        /* The entry at j may fill the hole only if its home is not after the hole,
         * i.e. the hole lies within [home, j] going round the table. */
        size_t h = slot_hash(m, j);
        if (((j - (h & mask)) & mask) >= ((j - hole) & mask)) {
            set_slot(m, hole, s, h);
            hole = j;
        }
    }
    set_slot(m, hole, 0, 0);
}

static void move_entry(const mk_hmap_view *m, size_t to, size_t from)
{
    mk__copy(key_ptr(m, to), key_ptr(m, from), m->ksize);
    mk__copy(val_ptr(m, to), val_ptr(m, from), m->vsize);
}

/* Finds and unlinks key's slot, copies its value to out and sets *e to its entry
 * index. Returns MK_OK, MK_EINVAL for a NULL key, MK_EEMPTY when key is absent. */
static mk_err take(const mk_hmap_view *m, const void *key, void *out, size_t *e)
{
    bool found = false;
    if (key == NULL)
        return MK_EINVAL;
    size_t i = m->cap == 0 ? 0 : probe(m, key, hash_of(m, key), &found);
    if (!found)
        return MK_EEMPTY;
    *e = slot(m, i) - 1;
    if (out != NULL)
        mk__copy(out, val_ptr(m, *e), m->vsize);
    unlink_slot(m, i);
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
        size_t s = slot(&m, i);
        if (s > e + 1)
            mk__idx_set(slot_ptr(&m, i), m.idx_size, s - 1);
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
        /* The last entry's slot is on its probe run, at most cap steps away. */
        size_t mask = m.cap - 1, i = hash_of(&m, key_ptr(&m, last)) & mask;
        for (size_t n = 0; n < m.cap && slot(&m, i) != last + 1; n++)
            i = (i + 1) & mask;
        mk__idx_set(slot_ptr(&m, i), m.idx_size, e + 1);
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
    if (len > m.cap)
        return MK_ECORRUPT;
    for (size_t i = 0; i < m.cap; i++) {
        size_t s = slot(&m, i);
        if (s == 0)
            continue;
        if (s > len)
            return MK_ECORRUPT;
        used++;
        /* Hash right, and reachable: no empty slot between the entry's home and i.
         * Together with the count this also proves no entry is named twice, since a
         * probe for the key must find this very slot first. */
        const void *key = key_ptr(&m, s - 1);
        size_t h = hash_of(&m, key);
        bool found;
        if (slot_hash(&m, i) != h || probe(&m, key, h, &found) != i || !found)
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
