/*
 * The deque core. Element i lives in slot (head + i) mod cap; pushing at the front
 * moves head back one slot, popping from the front moves it forward, so every
 * operation is O(1) and all cap slots are usable (len, not a gap, tells full from
 * empty).
 */
#include "memkit/deque.h"

#include "internal/idx.h"
#include "internal/mem.h"
#include "internal/ring.h"

/* Helpers take the view by address: on RV32 a view passed by value goes through a copy
 * that GCC makes with memcpy, which the core cannot call. */
static size_t get_head(const mk_deque_view *d) { return mk__idx_get(d->head, d->idx_size); }

static size_t get_len(const mk_deque_view *d)
{
    size_t len = mk__idx_get(d->len, d->idx_size);
    MK_ASSERT(len <= d->cap);
    return len;
}

static unsigned char *slot(const mk_deque_view *d, size_t i)
{
    return (unsigned char *)d->data + mk__ring_slot(get_head(d), i, d->cap) * d->esize;
}

static void set(const mk_deque_view *d, size_t head, size_t len)
{
    mk__idx_set(d->head, d->idx_size, head);
    mk__idx_set(d->len, d->idx_size, len);
}

mk_err mk_deque_push_back(mk_deque_view d, const void *item)
{
    size_t len = get_len(&d);
    if (!item)
        return MK_EINVAL;
    if (len == d.cap)
        return MK_EFULL;
    mk__copy(slot(&d, len), item, d.esize);
    set(&d, get_head(&d), len + 1u);
    return MK_OK;
}

mk_err mk_deque_push_front(mk_deque_view d, const void *item)
{
    size_t len = get_len(&d);
    if (!item)
        return MK_EINVAL;
    if (len == d.cap)
        return MK_EFULL;
    size_t head = mk__ring_slot(get_head(&d), d.cap - 1u, d.cap); /* one slot back */
    mk__copy((unsigned char *)d.data + head * d.esize, item, d.esize);
    set(&d, head, len + 1u);
    return MK_OK;
}

mk_err mk_deque_pop_back(mk_deque_view d, void *out)
{
    size_t len = get_len(&d);
    if (len == 0)
        return MK_EEMPTY;
    if (out)
        mk__copy(out, slot(&d, len - 1u), d.esize);
    set(&d, get_head(&d), len - 1u);
    return MK_OK;
}

mk_err mk_deque_pop_front(mk_deque_view d, void *out)
{
    size_t len = get_len(&d);
    if (len == 0)
        return MK_EEMPTY;
    if (out)
        mk__copy(out, slot(&d, 0), d.esize);
    set(&d, mk__ring_slot(get_head(&d), 1, d.cap), len - 1u);
    return MK_OK;
}

void *mk_deque_at(mk_deque_view d, size_t i)
{
    return i < get_len(&d) ? slot(&d, i) : NULL;
}

size_t mk_deque_len(mk_deque_view d)
{
    return get_len(&d);
}

void mk_deque_clear(mk_deque_view d)
{
    set(&d, 0, 0);
}
