/*
 * mk_stack: painting a stack and measuring how much of the paint is gone.
 *
 * Both functions work a byte at a time through volatile or plain char lvalues: stack
 * memory holds objects of every type, and only character access to it is defined. The
 * paint is written through a volatile pointer so the compiler can neither drop it nor
 * turn the loop into a call to memset, which would need stack of its own below the
 * caller's, exactly where the paint goes.
 */
#include "memkit/stack.h"

#include <stdint.h>

/* Sanitizers: AddressSanitizer keeps redzones and shadow state for stack frames, and
 * ThreadSanitizer's per-access runtime calls run on this very stack, below the frame,
 * where the paint goes. Painting and scanning memory below the stack pointer is outside
 * every live object by design, so both functions are exempt. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define MK__NO_SANITIZE __attribute__((no_sanitize("address", "thread")))
#endif
#endif
#if !defined(MK__NO_SANITIZE) && (defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__))
#define MK__NO_SANITIZE __attribute__((no_sanitize_address, no_sanitize_thread))
#endif
#ifndef MK__NO_SANITIZE
#define MK__NO_SANITIZE
#endif

MK__NO_SANITIZE void mk_stack_paint(void *lo, void *hi)
{
    volatile unsigned char *p = lo;
    size_t n = (uintptr_t)hi > (uintptr_t)lo ? (size_t)((uintptr_t)hi - (uintptr_t)lo) : 0;
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)MK_STACK_PATTERN;
}

MK__NO_SANITIZE size_t mk_stack_high_water(const void *lo, const void *hi)
{
    const unsigned char *p = lo;
    size_t n = (uintptr_t)hi > (uintptr_t)lo ? (size_t)((uintptr_t)hi - (uintptr_t)lo) : 0;
    size_t i = 0;
    /* From the far end: the first byte that is not paint is the deepest one written. */
    while (i < n && p[i] == (unsigned char)MK_STACK_PATTERN)
        i++;
    return n - i;
}
