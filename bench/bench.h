/* What every benchmark here shares: a monotonic clock, a median, and a sink that keeps
 * the compiler from dropping an allocation it can see is unused (GCC removes
 * free(malloc(n)) otherwise) and, by clobbering memory, from keeping an allocator's
 * state in registers across iterations. Header-only; include after <time.h> is
 * available (_POSIX_C_SOURCE defined first). */
#ifndef MEMKIT_BENCH_H
#define MEMKIT_BENCH_H

#include <stdlib.h>
#include <time.h>

static inline void sink(void *p) { __asm__ volatile("" : : "r"(p) : "memory"); }

/* Nanoseconds on the monotonic clock. */
static inline double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static inline int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts v in place and returns its median (the upper one for even n). */
static inline double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return v[n / 2];
}

#endif
