/*
 * The linear map core: pairs [0, len) in two parallel arrays, keys compared byte by
 * byte. A remove fills the hole with the last pair, so every operation but the scan is
 * O(1) and the arrays stay dense.
 */
#include "memkit/lmap.h"

#include "internal/idx.h"
#include "internal/mem.h"

/* Helpers take the view by address: on RV32 a view passed by value goes through a copy
 * that GCC makes with memcpy, which the core cannot call. */
static size_t get_len(const mk_lmap_view *m)
{
    size_t len = mk__idx_get(m->len, m->idx_size);
    MK_ASSERT(len <= m->cap);
    return len;
}

static unsigned char *key(const mk_lmap_view *m, size_t i)
{
    return (unsigned char *)m->keys + i * m->ksize;
}

static unsigned char *val(const mk_lmap_view *m, size_t i)
{
    return (unsigned char *)m->vals + i * m->vsize;
}

/* The index of the pair with key k, or len when there is none. */
static size_t find(const mk_lmap_view *m, const void *k)
{
    const unsigned char *want = k;
    size_t len = get_len(m);
    for (size_t i = 0; i < len; i++) {
        const unsigned char *have = key(m, i);
        size_t b = 0;
        while (b < m->ksize && have[b] == want[b])
            b++;
        if (b == m->ksize)
            return i;
    }
    return len;
}

mk_err mk_lmap_put(mk_lmap_view m, const void *k, const void *v)
{
    if (!k || !v)
        return MK_EINVAL;
    size_t len = get_len(&m);
    size_t i = find(&m, k);
    if (i == len) {
        if (len == m.cap)
            return MK_EFULL;
        mk__copy(key(&m, i), k, m.ksize);
        mk__idx_set(m.len, m.idx_size, len + 1u);
    }
    mk__copy(val(&m, i), v, m.vsize);
    return MK_OK;
}

void *mk_lmap_get(mk_lmap_view m, const void *k)
{
    if (!k)
        return NULL;
    size_t i = find(&m, k);
    return i < get_len(&m) ? val(&m, i) : NULL;
}

mk_err mk_lmap_remove(mk_lmap_view m, const void *k, void *out)
{
    if (!k)
        return MK_EINVAL;
    size_t len = get_len(&m);
    size_t i = find(&m, k);
    if (i == len)
        return MK_EEMPTY;
    if (out)
        mk__copy(out, val(&m, i), m.vsize);
    if (i != len - 1u) {
        mk__copy(key(&m, i), key(&m, len - 1u), m.ksize);
        mk__copy(val(&m, i), val(&m, len - 1u), m.vsize);
    }
    mk__idx_set(m.len, m.idx_size, len - 1u);
    return MK_OK;
}

void *mk_lmap_key_at(mk_lmap_view m, size_t i)
{
    return i < get_len(&m) ? key(&m, i) : NULL;
}

void *mk_lmap_val_at(mk_lmap_view m, size_t i)
{
    return i < get_len(&m) ? val(&m, i) : NULL;
}

size_t mk_lmap_len(mk_lmap_view m)
{
    return get_len(&m);
}

void mk_lmap_clear(mk_lmap_view m)
{
    mk__idx_set(m.len, m.idx_size, 0);
}
