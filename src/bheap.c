/* The erased core of mk_bheap: an implicit binary tree in an array, ordered by the
 * view's comparator. See include/memkit/bheap.h for the invariants. */
#include "memkit/bheap.h"

#include "internal/idx.h"
#include "internal/mem.h"

static size_t len_of(const mk_bheap_view *h)
{
    return mk__idx_get(h->len, h->idx_size);
}

static unsigned char *at(const mk_bheap_view *h, size_t i)
{
    return (unsigned char *)h->data + i * h->esize;
}

static bool before(const mk_bheap_view *h, size_t i, size_t j)
{
    return h->cmp(at(h, i), at(h, j)) < 0;
}

/* Byte by byte, so any element size works without a temporary. */
static void swap(const mk_bheap_view *h, size_t i, size_t j)
{
    unsigned char *a = at(h, i), *b = at(h, j);
    for (size_t k = 0; k < h->esize; k++) {
        unsigned char t = a[k];
        a[k] = b[k];
        b[k] = t;
    }
}

static void sift_up(const mk_bheap_view *h, size_t i)
{
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!before(h, i, parent))
            return;
        swap(h, i, parent);
        i = parent;
    }
}

/* Fills the root, whose element has been taken, with *x for a heap of len elements:
 * the hole moves down to a leaf, the earlier child moving up into it at each level
 * (one comparison a level, not two), then *x goes into the hole and rises to its place.
 * x must not lie in data[0, len). */
static void refill_root(const mk_bheap_view *h, size_t len, const void *x)
{
    size_t hole = 0;
    /* Tested before computing 2 * hole + 1, which could wrap near SIZE_MAX / 2. */
    while (len >= 2 && hole <= (len - 2) / 2) {
        size_t child = 2 * hole + 1;
        if (child + 1 < len && before(h, child + 1, child))
            child++;
        mk__copy(at(h, hole), at(h, child), h->esize);
        hole = child;
    }
    mk__copy(at(h, hole), x, h->esize);
    sift_up(h, hole);
}

mk_err mk_bheap_push(mk_bheap_view h, const void *x)
{
    if (x == NULL)
        return MK_EINVAL;
    size_t len = len_of(&h);
    if (len >= h.cap)
        return MK_EFULL;
    mk__copy(at(&h, len), x, h.esize);
    mk__idx_set(h.len, h.idx_size, len + 1);
    sift_up(&h, len);
    return MK_OK;
}

mk_err mk_bheap_pop(mk_bheap_view h, void *out)
{
    size_t len = len_of(&h);
    if (len == 0)
        return MK_EEMPTY;
    if (out != NULL)
        mk__copy(out, at(&h, 0), h.esize);
    len--;
    if (len > 0)
        refill_root(&h, len, at(&h, len)); /* the last element, just outside the heap */
    mk__idx_set(h.len, h.idx_size, len);
    return MK_OK;
}

const void *mk_bheap_peek(mk_bheap_view h)
{
    return len_of(&h) > 0 ? at(&h, 0) : NULL;
}

mk_err mk_bheap_push_pop(mk_bheap_view h, const void *x, void *out)
{
    if (x == NULL || out == NULL)
        return MK_EINVAL;
    size_t len = len_of(&h);
    if (len == 0 || h.cmp(x, at(&h, 0)) <= 0) {
        mk__copy(out, x, h.esize);
        return MK_OK;
    }
    mk__copy(out, at(&h, 0), h.esize);
    refill_root(&h, len, x);
    return MK_OK;
}

mk_err mk_bheap_replace_top(mk_bheap_view h, const void *x, void *out)
{
    if (x == NULL)
        return MK_EINVAL;
    size_t len = len_of(&h);
    if (len == 0)
        return MK_EEMPTY;
    if (out != NULL)
        mk__copy(out, at(&h, 0), h.esize);
    refill_root(&h, len, x);
    return MK_OK;
}

size_t mk_bheap_len(mk_bheap_view h)
{
    return len_of(&h);
}

void mk_bheap_clear(mk_bheap_view h)
{
    mk__idx_set(h.len, h.idx_size, 0);
}

mk_err mk_bheap_check(mk_bheap_view h)
{
    size_t len = len_of(&h);
    if (len > h.cap)
        return MK_ECORRUPT;
    for (size_t i = 1; i < len; i++)
        if (before(&h, i, (i - 1) / 2))
            return MK_ECORRUPT;
    return MK_OK;
}
