/*
 * memkit compile-time configuration.
 *
 * Every option has a default here. A build may define MK_CONFIG_FILE="my_config.h"
 * (for example with -DMK_CONFIG_FILE='"my_config.h"'); that file is included first and
 * any option it defines wins. No option needs CMake: plain-file firmware builds work.
 *
 * Options
 *   MK_ALIGN              default allocation alignment and heap granule (power of two,
 *                         >= 8). Default: alignof(max_align_t), at least 8.
 *   MK_CHECKED            1: header canaries, double/foreign-free detection, pool and
 *                         arena misuse checks; heap operations stay O(1).
 *                         2: also heap tail guards and free-memory poison (overruns of
 *                         one byte, writes after free), at O(block size) per operation.
 *   MK_STATS              1: maintain heap statistics (O(1) per operation).
 *   MK_HEAP_MAX_REGIONS   regions one heap can hold (1..32). Default 8.
 *   MK_HEAP_SL_BITS       log2 of size classes per power of two (2..5). Default 3.
 *   MK_HEAP_SCAN_LIMIT    blocks of its own size class a request inspects for the
 *                         best fit before taking one from a larger class (bounded, so
 *                         still O(1)). Default 4. With MK_STATS 0, MK_HEAP_MAX_REGIONS
 *                         1 and MK_HEAP_HIGH_SHIFT 0, 0 gives the heap's shortest worst
 *                         case (docs/performance.md, "On target"), at some cost in fit.
 *   MK_HEAP_HIGH_SHIFT    a request of at least 1/2^MK_HEAP_HIGH_SHIFT of its region's
 *                         size is carved from the high end of the free block it takes,
 *                         the rest from the low end, so big transient buffers do not
 *                         leave holes between long-lived small blocks when freed.
 *                         Default 5 (1/32); 0 turns it off.
 *   MK_ASSERT(x)          internal assertion; default: nothing (core needs no libc).
 *   MK_ASAN               1: the heap, pools and arenas poison memory no caller may use
 *                         and unpoison what they hand out, so AddressSanitizer reports
 *                         overflows and use after free inside memkit memory. Needs an
 *                         ASan build (-fsanitize=address). Default 0. Memory given
 *                         to a heap, pool or arena stays poisoned after you stop using
 *                         it: unpoison it (ASAN_UNPOISON_MEMORY_REGION) before reuse.
 *   MK_VALGRIND           1: the same through Valgrind memcheck client requests
 *                         (<valgrind/memcheck.h>); heap and pool blocks are also leak-
 *                         checked. Default 0. MK_ASAN and MK_VALGRIND replace MK_CHECKED's
 *                         own guards, so neither combines with it.
 *   MK_NO_ATOMICS         1: the atomic pool and the queues use critical sections (the
 *                         lock hooks, or PRIMASK on Cortex-M) instead of C11 atomics.
 *                         Default 1 on ARMv6-M, on RISC-V without the A extension and
 *                         where the compiler defines __STDC_NO_ATOMICS__; else 0.
 *   MK_CACHE_LINE         bytes the queues keep the producer's and the consumer's
 *                         counters apart by (against false sharing). Default 64 on
 *                         hosts, 0 (no padding, to save RAM) on Cortex-M, 32-bit
 *                         RISC-V and freestanding builds.
 */
#ifndef MEMKIT_CONFIG_H
#define MEMKIT_CONFIG_H

#ifdef MK_CONFIG_FILE
#include MK_CONFIG_FILE
#endif

#include <stddef.h>
#include <stdalign.h>

#ifndef MK_ALIGN
#define MK_ALIGN (alignof(max_align_t) < 8 ? (size_t)8 : (size_t)alignof(max_align_t))
#endif

#ifndef MK_CHECKED
#define MK_CHECKED 0
#endif

#ifndef MK_STATS
#define MK_STATS 1
#endif

#ifndef MK_HEAP_MAX_REGIONS
#define MK_HEAP_MAX_REGIONS 8
#endif

#ifndef MK_HEAP_SL_BITS
#define MK_HEAP_SL_BITS 3
#endif

#ifndef MK_HEAP_SCAN_LIMIT
#define MK_HEAP_SCAN_LIMIT 4
#endif

#ifndef MK_HEAP_HIGH_SHIFT
#define MK_HEAP_HIGH_SHIFT 5
#endif

#ifndef MK_ASAN
#define MK_ASAN 0
#endif

#ifndef MK_VALGRIND
#define MK_VALGRIND 0
#endif

#ifndef MK_ASSERT
#define MK_ASSERT(x) ((void)0)
#endif

#ifndef MK_NO_ATOMICS
#if defined(__ARM_ARCH_6M__) || defined(__STDC_NO_ATOMICS__) || \
    (defined(__riscv) && !defined(__riscv_atomic))
#define MK_NO_ATOMICS 1
#else
#define MK_NO_ATOMICS 0
#endif
#endif

#ifndef MK_CACHE_LINE
#if (defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M') || \
    (defined(__riscv) && __riscv_xlen == 32) || !__STDC_HOSTED__
#define MK_CACHE_LINE 0
#else
#define MK_CACHE_LINE 64
#endif
#endif

#if MK_HEAP_MAX_REGIONS < 1 || MK_HEAP_MAX_REGIONS > 32
#error "MK_HEAP_MAX_REGIONS must be in 1..32"
#endif
#if MK_CHECKED && (MK_ASAN || MK_VALGRIND)
#error "MK_CHECKED guards and poisons memory itself: build it without MK_ASAN/MK_VALGRIND"
#endif
#if MK_ASAN && MK_VALGRIND
#error "choose one of MK_ASAN and MK_VALGRIND"
#endif
#if MK_HEAP_SL_BITS < 2 || MK_HEAP_SL_BITS > 5
#error "MK_HEAP_SL_BITS must be in 2..5"
#endif

#endif /* MEMKIT_CONFIG_H */
