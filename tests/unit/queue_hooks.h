/* What the queue unit tests (spsc_test.c, mpmc_test.c) share: whether there are threads
 * (hosted builds; bare-metal targets have one), and lock hooks that count their calls,
 * which only MK_NO_ATOMICS builds may make: a pthread mutex on a host, nothing to
 * exclude on a target. */
#ifndef MEMKIT_TEST_QUEUE_HOOKS_H
#define MEMKIT_TEST_QUEUE_HOOKS_H

#include "memkit/queue.h"

#if __STDC_HOSTED__
#define HAVE_THREADS 1
#include <pthread.h>
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
#define LOCK(m) pthread_mutex_lock(m)
#define UNLOCK(m) pthread_mutex_unlock(m)
#else
static int mutex;
#define LOCK(m) ((void)(m))
#define UNLOCK(m) ((void)(m))
#endif

static int locks;
static void on_lock(void *ctx)
{
    LOCK(ctx);
    locks++;
}
static void on_unlock(void *ctx) { UNLOCK(ctx); }
static const mk_queue_hooks hooks = { on_lock, on_unlock, &mutex };

#endif
