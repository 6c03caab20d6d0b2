/* The erased core of mk_slist: a singly linked sorted list whose nodes are array slots
 * linked by index + 1 (0 ends a chain). See include/memkit/slist.h for the invariants. */
#include "memkit/slist.h"

#include "internal/idx.h"
#include "internal/mem.h"

enum { LEN, HEAD, FREE, FRESH };

/* "No node" in the walks below: links store node + 1, so node indices are < cap. */
#define NONE SIZE_MAX

static size_t ctl(const mk_slist_view *l, int which)
{
    return mk__idx_get((unsigned char *)l->ctl + (size_t)which * l->idx_size, l->idx_size);
}

static void set_ctl(const mk_slist_view *l, int which, size_t v)
{
    mk__idx_set((unsigned char *)l->ctl + (size_t)which * l->idx_size, l->idx_size, v);
}

/* The node after `node` (node + 1 stored), or NONE. */
static size_t next(const mk_slist_view *l, size_t node)
{
    return mk__idx_get((unsigned char *)l->next + node * l->idx_size, l->idx_size) - 1;
}

static void set_next(const mk_slist_view *l, size_t node, size_t to)
{
    mk__idx_set((unsigned char *)l->next + node * l->idx_size, l->idx_size, to + 1);
}

static size_t head(const mk_slist_view *l)
{
    return ctl(l, HEAD) - 1;
}

static unsigned char *elem(const mk_slist_view *l, size_t node)
{
    return (unsigned char *)l->data + node * l->esize;
}

/* The node `p` points at, or NONE when it is not the start of one of the cap nodes.
 * Compared as integers: p may point anywhere. */
static size_t node_of(const mk_slist_view *l, const void *p)
{
    if (p == NULL || l->cap == 0)
        return NONE;
    size_t off = (size_t)((uintptr_t)p - (uintptr_t)l->data);
    if (off % l->esize != 0 || off / l->esize >= l->cap)
        return NONE;
    return off / l->esize;
}

/* Links node after prev (NONE: at the head). */
static void link_after(const mk_slist_view *l, size_t prev, size_t node)
{
    if (prev == NONE) {
        set_next(l, node, head(l));
        set_ctl(l, HEAD, node + 1);
    } else {
        set_next(l, node, next(l, prev));
        set_next(l, prev, node);
    }
}

/* Unlinks node (whose predecessor is prev, NONE at the head), copies it to out, and
 * puts it on the free list. */
static void unlink_node(const mk_slist_view *l, size_t prev, size_t node, void *out)
{
    if (out != NULL)
        mk__copy(out, elem(l, node), l->esize);
    if (prev == NONE)
        set_ctl(l, HEAD, next(l, node) + 1);
    else
        set_next(l, prev, next(l, node));
    set_next(l, node, ctl(l, FREE) - 1);
    set_ctl(l, FREE, node + 1);
    set_ctl(l, LEN, ctl(l, LEN) - 1);
}

mk_err mk_slist_insert(mk_slist_view l, const void *x)
{
    if (x == NULL)
        return MK_EINVAL;
    size_t node = ctl(&l, FREE) - 1, fresh = ctl(&l, FRESH);
    if (node != NONE)
        set_ctl(&l, FREE, next(&l, node) + 1);
    else if (fresh < l.cap)
        set_ctl(&l, FRESH, (node = fresh) + 1);
    else
        return MK_EFULL;
    mk__copy(elem(&l, node), x, l.esize);
    size_t prev = NONE;
    for (size_t cur = head(&l); cur != NONE && l.cmp(elem(&l, cur), x) <= 0; cur = next(&l, cur))
        prev = cur;
    link_after(&l, prev, node);
    set_ctl(&l, LEN, ctl(&l, LEN) + 1);
    return MK_OK;
}

mk_err mk_slist_pop_front(mk_slist_view l, void *out)
{
    size_t h = head(&l);
    if (h == NONE)
        return MK_EEMPTY;
    unlink_node(&l, NONE, h, out);
    return MK_OK;
}

const void *mk_slist_peek(mk_slist_view l)
{
    size_t h = head(&l);
    return h == NONE ? NULL : elem(&l, h);
}

const void *mk_slist_next(mk_slist_view l, const void *p)
{
    size_t node = node_of(&l, p);
    if (node == NONE)
        return NULL;
    size_t n = next(&l, node);
    return n == NONE || n >= l.cap ? NULL : elem(&l, n);
}

/* The first node equal to key and its predecessor, or NONE. */
static size_t find(const mk_slist_view *l, const void *key, size_t *prev)
{
    *prev = NONE;
    for (size_t cur = head(l); cur != NONE; cur = next(l, cur)) {
        int c = l->cmp(elem(l, cur), key);
        if (c == 0)
            return cur;
        if (c > 0)
            break;
        *prev = cur;
    }
    return NONE;
}

const void *mk_slist_find(mk_slist_view l, const void *key)
{
    size_t prev;
    size_t node = key == NULL ? NONE : find(&l, key, &prev);
    return node == NONE ? NULL : elem(&l, node);
}

mk_err mk_slist_remove(mk_slist_view l, const void *key, void *out)
{
    if (key == NULL)
        return MK_EINVAL;
    size_t prev, node = find(&l, key, &prev);
    if (node == NONE)
        return MK_EEMPTY;
    unlink_node(&l, prev, node, out);
    return MK_OK;
}

mk_err mk_slist_remove_node(mk_slist_view l, const void *p, void *out)
{
    size_t node = node_of(&l, p);
    if (node == NONE)
        return MK_EINVAL;
    /* The walk both finds the predecessor and proves the node is in the list. */
    size_t prev = NONE;
    for (size_t cur = head(&l); cur != NONE; prev = cur, cur = next(&l, cur)) {
        if (cur == node) {
            unlink_node(&l, prev, node, out);
            return MK_OK;
        }
    }
    return MK_EINVAL;
}

size_t mk_slist_len(mk_slist_view l)
{
    return ctl(&l, LEN);
}

void mk_slist_clear(mk_slist_view l)
{
    mk__zero(l.ctl, 4u * l.idx_size);
}

/* Follows a chain from `start` for at most `limit` nodes, each below `fresh`; with
 * `sorted`, each must not sort after the next. Returns the number of nodes and sets
 * *last to the final one (NONE for an empty chain), or returns NONE when the chain
 * leaves [0, fresh), is out of order, or is longer than limit (a cycle is). */
static size_t chain(const mk_slist_view *l, size_t start, size_t fresh, size_t limit,
                    bool sorted, size_t *last)
{
    size_t n = 0;
    *last = NONE;
    for (size_t cur = start; cur != NONE; cur = next(l, cur)) {
        if (cur >= fresh || n == limit)
            return NONE;
        if (sorted && *last != NONE && l->cmp(elem(l, *last), elem(l, cur)) > 0)
            return NONE;
        *last = cur;
        n++;
    }
    return n;
}

mk_err mk_slist_check(mk_slist_view l)
{
    size_t len = ctl(&l, LEN), fresh = ctl(&l, FRESH);
    if (fresh > l.cap || len > fresh)
        return MK_ECORRUPT;
    size_t used_last, spare_last;
    size_t used = chain(&l, head(&l), fresh, len, true, &used_last);
    size_t spare = chain(&l, ctl(&l, FREE) - 1, fresh, fresh - len, false, &spare_last);
    if (used != len || spare != fresh - len)
        return MK_ECORRUPT;
    /* Two acyclic chains that share a node share everything after it, so their last
     * nodes differ exactly when they are disjoint; disjoint with these lengths, they
     * cover [0, fresh) once. */
    if (used_last != NONE && used_last == spare_last)
        return MK_ECORRUPT;
    return MK_OK;
}
