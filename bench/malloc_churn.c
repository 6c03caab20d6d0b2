/*
 * An allocation-heavy program for comparing malloc implementations by preloading them
 * (bench/preload_bench.py): each thread keeps a working set of 4,096 slots and replaces
 * a random one per step with a block of a random size (90% 8..256 bytes, 9% up to
 * 4 KiB, 1% up to 64 KiB), touching its first and last byte. Prints operations per
 * second of wall time and a checksum that does not depend on the allocator.
 * Usage: malloc_churn THREADS STEPS_PER_THREAD
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

enum { SLOTS = 4096 };

typedef struct worker {
    pthread_t thread;
    unsigned long long seed;
    long steps;
    unsigned long long checksum;
} worker;

static unsigned long long next(unsigned long long *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static size_t pick(unsigned long long *s)
{
    unsigned long long r = next(s);
    unsigned roll = (unsigned)(r % 100);
    r /= 100;
    if (roll < 90)
        return 8 + (size_t)(r % 249);
    if (roll < 99)
        return 257 + (size_t)(r % 3840);
    return 4097 + (size_t)(r % 61440);
}

static void *run(void *arg)
{
    worker *w = arg;
    unsigned char **slot = calloc(SLOTS, sizeof *slot);
    size_t *size = calloc(SLOTS, sizeof *size);
    if (!slot || !size)
        abort();
    for (long i = 0; i < w->steps; i++) {
        size_t k = (size_t)(next(&w->seed) % SLOTS);
        if (slot[k])
            w->checksum += slot[k][0] + slot[k][size[k] - 1];
        free(slot[k]);
        size[k] = pick(&w->seed);
        slot[k] = malloc(size[k]);
        if (!slot[k])
            abort();
        slot[k][0] = (unsigned char)k;
        slot[k][size[k] - 1] = (unsigned char)(k >> 3);
    }
    for (size_t k = 0; k < SLOTS; k++)
        free(slot[k]);
    free(slot);
    free(size);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: malloc_churn THREADS STEPS_PER_THREAD\n");
        return 1;
    }
    int threads = atoi(argv[1]);
    long steps = atol(argv[2]);
    if (threads < 1 || threads > 64 || steps < 1) {
        fprintf(stderr, "malloc_churn: 1..64 threads and at least 1 step\n");
        return 1;
    }
    worker *w = calloc((size_t)threads, sizeof *w);
    if (!w)
        return 1;
    double t0 = now();
    for (int i = 0; i < threads; i++) {
        w[i].seed = 0x9e3779b97f4a7c15ull * (unsigned long long)(i + 1);
        w[i].steps = steps;
        if (pthread_create(&w[i].thread, NULL, run, &w[i]) != 0)
            return 1;
    }
    unsigned long long checksum = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(w[i].thread, NULL);
        checksum += w[i].checksum;
    }
    double secs = (now() - t0) / 1e9;
    printf("threads %d steps %ld checksum %llu ops/s %.0f\n", threads, steps, checksum,
           (double)threads * (double)steps / secs);
    free(w);
    return 0;
}
