/*
 * The vector core: one copy of each operation for every element type and counter width.
 * Elements [0, len) of data are live; the rest of the buffer is never read. Every
 * operation checks its arguments before it writes anything, so a failure changes
 * nothing.
 */
#include "memkit/vec.h"

#include "internal/idx.h"
#include "internal/mem.h"

/* Helpers take the view by address: on RV32 a view passed by value goes through a copy
 * that GCC makes with memcpy, which the core cannot call. */
static unsigned char *elem(const mk_vec_view *v, size_t i)
{
    return (unsigned char *)v->data + i * v->esize;
}

static size_t get_len(const mk_vec_view *v)
{
    size_t len = mk__idx_get(v->len, v->idx_size);
    MK_ASSERT(len <= v->cap);
    return len;
}

static void set_len(const mk_vec_view *v, size_t len)
{
    mk__idx_set(v->len, v->idx_size, len);
}

mk_err mk_vec_push(mk_vec_view v, const void *item)
{
    size_t len = get_len(&v);
    if (!item)
        return MK_EINVAL;
    if (len == v.cap)
        return MK_EFULL;
    mk__copy(elem(&v, len), item, v.esize);
    set_len(&v, len + 1u);
    return MK_OK;
}

mk_err mk_vec_pop(mk_vec_view v, void *out)
{
    size_t len = get_len(&v);
    if (len == 0)
        return MK_EEMPTY;
    if (out)
        mk__copy(out, elem(&v, len - 1u), v.esize);
    set_len(&v, len - 1u);
    return MK_OK;
}

mk_err mk_vec_insert(mk_vec_view v, size_t at, const void *item)
{
    size_t len = get_len(&v);
    if (!item || at > len)
        return MK_EINVAL;
    if (len == v.cap)
        return MK_EFULL;
    mk__move(elem(&v, at + 1u), elem(&v, at), (len - at) * v.esize);
    mk__copy(elem(&v, at), item, v.esize);
    set_len(&v, len + 1u);
    return MK_OK;
}

mk_err mk_vec_remove(mk_vec_view v, size_t at, void *out)
{
    size_t len = get_len(&v);
    if (at >= len)
        return MK_EINVAL;
    if (out)
        mk__copy(out, elem(&v, at), v.esize);
    mk__move(elem(&v, at), elem(&v, at + 1u), (len - at - 1u) * v.esize);
    set_len(&v, len - 1u);
    return MK_OK;
}

mk_err mk_vec_swap_remove(mk_vec_view v, size_t at, void *out)
{
    size_t len = get_len(&v);
    if (at >= len)
        return MK_EINVAL;
    if (out)
        mk__copy(out, elem(&v, at), v.esize);
    if (at != len - 1u)
        mk__copy(elem(&v, at), elem(&v, len - 1u), v.esize);
    set_len(&v, len - 1u);
    return MK_OK;
}

mk_err mk_vec_extend(mk_vec_view v, const void *items, size_t n)
{
    size_t len = get_len(&v);
    if (!items && n > 0)
        return MK_EINVAL;
    if (n == 0)
        return MK_OK; /* before any arithmetic on data, which is NULL in a zero _EXT */
    if (n > v.cap - len)
        return MK_EFULL;
    mk__copy(elem(&v, len), items, n * v.esize);
    set_len(&v, len + n);
    return MK_OK;
}

void *mk_vec_at(mk_vec_view v, size_t i)
{
    return i < get_len(&v) ? elem(&v, i) : NULL;
}

size_t mk_vec_len(mk_vec_view v)
{
    return get_len(&v);
}

void mk_vec_clear(mk_vec_view v)
{
    set_len(&v, 0);
}

void mk_vec_truncate(mk_vec_view v, size_t n)
{
    if (n < get_len(&v))
        set_len(&v, n);
}
