/*
 * The history buffer's write: the deque's ring, where a write into a full ring lands
 * in the oldest value's slot and moves head past it. Reading is the deque core's.
 */
#include "memkit/hist.h"

#include "internal/idx.h"
#include "internal/mem.h"
#include "internal/ring.h"

void mk_hist_write(mk_hist_view h, const void *item)
{
    if (!item || h.cap == 0)
        return;
    size_t head = mk__idx_get(h.head, h.idx_size);
    size_t len = mk__idx_get(h.len, h.idx_size);
    MK_ASSERT(head < h.cap && len <= h.cap);
    size_t at = len == h.cap ? head : mk__ring_slot(head, len, h.cap);
    mk__copy((unsigned char *)h.data + at * h.esize, item, h.esize);
    if (len == h.cap)
        mk__idx_set(h.head, h.idx_size, mk__ring_slot(head, 1, h.cap));
    else
        mk__idx_set(h.len, h.idx_size, len + 1u);
}
