/* memkit: every public header. Include the component headers directly to keep builds
 * lean; this one is for convenience. */
#ifndef MEMKIT_H
#define MEMKIT_H

#include "memkit/config.h"
#include "memkit/alloc.h"
#include "memkit/arena.h"
#include "memkit/atomic_pool.h"
#include "memkit/err.h"
#include "memkit/heap.h"
#include "memkit/sheap.h"
#include "memkit/pool.h"
#include "memkit/stack.h"
#include "memkit/container.h"
#include "memkit/vec.h"
#include "memkit/str.h"
#include "memkit/deque.h"
#include "memkit/hist.h"
#include "memkit/bitset.h"
#include "memkit/lmap.h"
#include "memkit/hmap.h"
#include "memkit/bheap.h"
#include "memkit/slist.h"
#include "memkit/queue.h"
#include "memkit/spsc.h"
#include "memkit/mpmc.h"

#define MK_VERSION_MAJOR 0
#define MK_VERSION_MINOR 1
#define MK_VERSION_PATCH 0
#define MK_VERSION_STRING "0.1.0"

#endif
