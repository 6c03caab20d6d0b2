/* Ring arithmetic shared by the deque and the history buffer. Private. */
#ifndef MEMKIT_INTERNAL_RING_H
#define MEMKIT_INTERNAL_RING_H

#include <stddef.h>

/* The slot of the i-th element of a ring of cap slots whose first element is at head.
 * head < cap and i <= cap, so head + i cannot overflow (cap * esize fits PTRDIFF_MAX)
 * and one subtraction replaces a division. O(1). */
static inline size_t mk__ring_slot(size_t head, size_t i, size_t cap)
{
    size_t s = head + i;
    return s >= cap ? s - cap : s;
}

#endif
