/* Critical sections for MK_NO_ATOMICS builds, shared by the atomic pool and the
 * queues: the lock hook when one is set, else PRIMASK on ARMv6-M/ARMv7-M, else nothing
 * (one execution context). Private. */
#ifndef MEMKIT_INTERNAL_CS_H
#define MEMKIT_INTERNAL_CS_H

#include <stddef.h>
#include <stdint.h>

#include "memkit/queue.h"

/* What mk__cs_leave restores: the interrupt mask, where mk__cs_enter set it. */
typedef uint32_t mk__cs;

/* The hooks of one object, whatever struct it keeps them in. */
typedef struct mk__cs_hooks {
    void (*lock)(void *ctx);
    void (*unlock)(void *ctx);
    void *ctx;
} mk__cs_hooks;

static inline mk__cs mk__cs_enter(mk__cs_hooks h)
{
    if (h.lock) {
        h.lock(h.ctx);
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

/* Decided by the lock hook as enter decided, so a mask enter did not save is never
 * restored; restoring (not clearing) the mask keeps nested sections and handlers
 * from re-enabling interrupts early. */
static inline void mk__cs_leave(mk__cs_hooks h, mk__cs s)
{
    if (h.lock) {
        if (h.unlock)
            h.unlock(h.ctx);
        return;
    }
#if defined(__ARM_ARCH_6M__) || defined(__ARM_ARCH_7M__) || defined(__ARM_ARCH_7EM__)
    __asm__ volatile("msr primask, %0" : : "r"(s) : "memory");
#else
    (void)s;
#endif
}

/* The queues' hooks (NULL: none) as mk__cs_hooks. */
static inline mk__cs_hooks mk__queue_cs(const mk_queue_hooks *q)
{
    mk__cs_hooks c = { NULL, NULL, NULL };
    if (q) {
        c.lock = q->lock;
        c.unlock = q->unlock;
        c.ctx = q->ctx;
    }
    return c;
}

#endif
