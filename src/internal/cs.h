/* Critical sections for MK_NO_ATOMICS builds, shared by the queues: the lock hook when
 * one is set, else PRIMASK on ARMv6-M/ARMv7-M, else nothing (one execution context).
 * Private. */
#ifndef MEMKIT_INTERNAL_CS_H
#define MEMKIT_INTERNAL_CS_H

#include <stdint.h>

#include "memkit/queue.h"

/* What mk__cs_leave restores: the interrupt mask, where mk__cs_enter set it. */
typedef uint32_t mk__cs;

static inline mk__cs mk__cs_enter(const mk_queue_hooks *h)
{
    if (h && h->lock) {
        h->lock(h->ctx);
        return 0;
    }
#if defined(__ARM_ARCH_6M__) || defined(__ARM_ARCH_7M__) || defined(__ARM_ARCH_7EM__)
    uint32_t primask;
    __asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask) : : "memory");
    return primask;
#else
    return 0;
#endif
}

/* Decided by the hook as enter decided, so a mask enter did not save is never
 * restored; restoring (not clearing) the mask keeps nested sections and handlers
 * from re-enabling interrupts early. */
static inline void mk__cs_leave(const mk_queue_hooks *h, mk__cs s)
{
    if (h && h->lock) {
        h->unlock(h->ctx);
        return;
    }
#if defined(__ARM_ARCH_6M__) || defined(__ARM_ARCH_7M__) || defined(__ARM_ARCH_7EM__)
    __asm__ volatile("msr primask, %0" : : "r"(s) : "memory");
#else
    (void)s;
#endif
}

#endif
