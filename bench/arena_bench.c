/*
 * mk_arena benchmarks, each beside glibc malloc of the same sizes measured in the same
 * run. Prints tables; never passes or fails on time.
 *
 *   alloc              ns per allocation, median of RUNS runs: batches of BATCH
 *                      allocations of a fixed size (8, 16, 64, 256; align 0) and of mixed
 *                      sizes (1..256), each pointer handed to an opaque sink so the
 *                      compiler keeps every allocation and reloads the arena each time.
 *                      The arena is reset and malloc's blocks freed between batches,
 *                      outside the timed part. Ratio = malloc / arena.
 *   rewind/reset       ns per mk_arena_reset, per mk_arena_rewind, per temporary scope
 *                      (mark, one allocation, rewind), per scratch begin + end (all
 *                      O(1)), and per rewind or reset that returns chunks to an upstream
 *                      allocator (glibc malloc through mk_system_allocator).
 *   growing buffer     appending 1 MiB a byte at a time to a buffer grown by doubling:
 *                      in place with mk_arena_resize, against allocating the doubled
 *                      buffer and copying (what an arena must do without resize), and
 *                      glibc realloc; with the bytes copied and the arena bytes used.
 *
 * Usage: arena_bench [all]
 *        arena_bench callgrind N      N 16-byte allocations, no timing, for counting:
 *            valgrind --tool=callgrind --callgrind-out-file=cg.out arena_bench callgrind 1000000
 *            callgrind_annotate --inclusive=yes cg.out | grep -E 'alloc_loop|base_loop'
 *        Instructions per allocation = (Ir(alloc_loop) - Ir(base_loop)) / N: base_loop
 *        is the same loop and sink with no allocation, so the difference is the inline
 *        fast path alone (alloc_loop / N includes the loop's own instructions).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "memkit/arena.h"

enum { RUNS = 9, BATCH = 4096, ROUNDS = 200, OPS = 2000000 };

static mk_arena arena;
static unsigned char *arena_mem;
static size_t arena_size;
static void *ptrs[BATCH];
static size_t mixed[BATCH];

static void setup(size_t bytes)
{
    free(arena_mem);
    arena_size = bytes;
    arena_mem = malloc(bytes);
    if (!arena_mem) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    mk_arena_init(&arena, arena_mem, bytes);
}

/* ---- allocation -------------------------------------------------------------------- */

__attribute__((noinline)) static void arena_batch(size_t size)
{
    for (int i = 0; i < BATCH; i++) {
        void *p = mk_arena_alloc(&arena, size, 0);
        sink(p);
        ptrs[i] = p;
    }
}

__attribute__((noinline)) static void arena_batch_mixed(void)
{
    for (int i = 0; i < BATCH; i++) {
        void *p = mk_arena_alloc(&arena, mixed[i], 0);
        sink(p);
        ptrs[i] = p;
    }
}

__attribute__((noinline)) static void malloc_batch(size_t size)
{
    for (int i = 0; i < BATCH; i++) {
        void *p = malloc(size);
        sink(p);
        ptrs[i] = p;
    }
}

__attribute__((noinline)) static void malloc_batch_mixed(void)
{
    for (int i = 0; i < BATCH; i++) {
        void *p = malloc(mixed[i]);
        sink(p);
        ptrs[i] = p;
    }
}

static void free_batch(void)
{
    for (int i = 0; i < BATCH; i++)
        free(ptrs[i]);
}

/* size 0 means the mixed sizes. */
static double time_alloc(int use_arena, size_t size)
{
    double t[RUNS];
    for (int r = 0; r < RUNS; r++) {
        double total = 0;
        for (int k = 0; k < ROUNDS; k++) {
            double t0 = now();
            if (use_arena)
                size ? arena_batch(size) : arena_batch_mixed();
            else
                size ? malloc_batch(size) : malloc_batch_mixed();
            total += now() - t0;
            if (use_arena) {
                if (!ptrs[BATCH - 1]) {
                    fprintf(stderr, "arena too small\n");
                    exit(1);
                }
                mk_arena_reset(&arena);
            } else {
                free_batch();
            }
        }
        t[r] = total / ((double)ROUNDS * BATCH);
    }
    return median(t, RUNS);
}

static void table_alloc(void)
{
    unsigned long long s = 88172645463325252ull;
    for (int i = 0; i < BATCH; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        mixed[i] = 1 + (size_t)(s % 256);
    }
    setup((size_t)BATCH * (256 + MK_ALIGN));
    printf("## alloc: ns per allocation (median of %d runs, batches of %d)\n\n", RUNS, BATCH);
    printf("(glibc's 256-byte batches pass its trim threshold, so each round grows and\n"
           "trims the heap: that column includes page faults, as it would in a program.)\n\n");
    printf("| size | mk_arena_alloc | glibc malloc | ratio (malloc / arena) |\n");
    printf("|---:|---:|---:|---:|\n");
    static const size_t sizes[] = { 8, 16, 64, 256, 0 };
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        double a = time_alloc(1, sizes[i]);
        double m = time_alloc(0, sizes[i]);
        if (sizes[i])
            printf("| %zu | %.2f | %.2f | %.1f |\n", sizes[i], a, m, m / a);
        else
            printf("| 1..256 mixed | %.2f | %.2f | %.1f |\n", a, m, m / a);
    }
    printf("\n");
}

/* ---- rewind and reset -------------------------------------------------------------- */

__attribute__((noinline)) static void reset_loop(long n)
{
    for (long i = 0; i < n; i++) {
        sink(&arena);
        mk_arena_reset(&arena);
    }
}

__attribute__((noinline)) static void rewind_loop(long n)
{
    mk_arena_pos m = mk_arena_mark(&arena);
    for (long i = 0; i < n; i++) {
        sink(&arena);
        mk_arena_rewind(&arena, m);
    }
}

/* A temporary scope: mark, one allocation, rewind. */
__attribute__((noinline)) static void scope_loop(long n)
{
    for (long i = 0; i < n; i++) {
        mk_arena_pos m = mk_arena_mark(&arena);
        sink(mk_arena_alloc(&arena, 64, 0));
        mk_arena_rewind(&arena, m);
    }
}

__attribute__((noinline)) static void scratch_loop(long n)
{
    for (long i = 0; i < n; i++) {
        mk_scratch s = mk_scratch_begin(NULL, 0);
        sink(s.arena);
        mk_scratch_end(s);
    }
}

/* Each iteration grows the arena by `chunks` chunks, then gives them back. */
__attribute__((noinline)) static void grow_release_loop(long n, int chunks, int by_reset)
{
    for (long i = 0; i < n; i++) {
        mk_arena_pos m = mk_arena_mark(&arena);
        for (int c = 0; c < chunks; c++)
            sink(mk_arena_alloc(&arena, 3000, 0)); /* one 4 KiB chunk each */
        if (by_reset)
            mk_arena_reset(&arena);
        else
            mk_arena_rewind(&arena, m);
    }
}

static double time_loop(void (*fn)(long), long n)
{
    double t[RUNS];
    for (int r = 0; r < RUNS; r++) {
        double t0 = now();
        fn(n);
        t[r] = (now() - t0) / (double)n;
    }
    return median(t, RUNS);
}

static double time_grow(int chunks, int by_reset)
{
    double t[RUNS];
    long n = OPS / 20 / chunks;
    for (int r = 0; r < RUNS; r++) {
        double t0 = now();
        grow_release_loop(n, chunks, by_reset);
        t[r] = (now() - t0) / (double)n;
    }
    return median(t, RUNS);
}

static void table_rewind(void)
{
    static unsigned char scratch_mem[MK_SCRATCH_COUNT][4096];
    for (size_t i = 0; i < MK_SCRATCH_COUNT; i++)
        mk_arena_init(mk_scratch_arena(i), scratch_mem[i], sizeof scratch_mem[i]);
    setup(4096);
    (void)mk_arena_alloc(&arena, 1000, 0);
    printf("## rewind and reset: ns per call (median of %d runs)\n\n", RUNS);
    printf("| operation | ns |\n|---|---:|\n");
    printf("| mk_arena_reset (no chunks) | %.2f |\n", time_loop(reset_loop, OPS));
    (void)mk_arena_alloc(&arena, 1000, 0);
    printf("| mk_arena_rewind (same chunk) | %.2f |\n", time_loop(rewind_loop, OPS));
    printf("| mark + 64-byte alloc + rewind (a temporary scope) | %.2f |\n",
           time_loop(scope_loop, OPS));
    printf("| mk_scratch_begin + mk_scratch_end | %.2f |\n", time_loop(scratch_loop, OPS));

    /* Growth: a small buffer, 4 KiB chunks from glibc (capped, so every chunk is one
     * malloc of the same size). The figures include taking the chunks. */
    mk_arena_init(&arena, arena_mem, 64);
    mk_arena_set_upstream(&arena, mk_system_allocator(), 4096, 4096);
    double g1 = time_grow(1, 0), g8 = time_grow(8, 0), r8 = time_grow(8, 1);
    printf("| grow 1 chunk + rewind returning it | %.1f |\n", g1);
    printf("| grow 8 chunks + rewind returning them | %.1f (%.1f per chunk) |\n", g8, g8 / 8);
    printf("| grow 8 chunks + reset returning them | %.1f (%.1f per chunk) |\n", r8, r8 / 8);
    mk_arena_reset(&arena);
    printf("\n");
}

/* ---- a growing buffer: in place with resize, or moved by copying ----------------- */

/* Appends `total` bytes one at a time to a buffer whose capacity doubles when full;
 * returns the bytes copied on the way (0 when every doubling was in place), or
 * SIZE_MAX on failure. */
__attribute__((noinline)) static size_t append_resize(size_t total)
{
    size_t cap = 16, len = 0;
    unsigned char *buf = mk_arena_alloc(&arena, cap, 1);
    for (size_t i = 0; i < total; i++) {
        if (len == cap) {
            if (!mk_arena_resize(&arena, buf, cap, cap * 2))
                return SIZE_MAX;
            cap *= 2;
        }
        buf[len++] = (unsigned char)i;
    }
    sink(buf);
    return 0;
}

/* What the same buffer costs without resize: allocate the doubled buffer, copy, and
 * leave the old one behind (an arena cannot free it). */
__attribute__((noinline)) static size_t append_copy(size_t total)
{
    size_t cap = 16, len = 0, copied = 0;
    unsigned char *buf = mk_arena_alloc(&arena, cap, 1);
    for (size_t i = 0; i < total; i++) {
        if (len == cap) {
            unsigned char *nb = mk_arena_alloc(&arena, cap * 2, 1);
            if (!nb)
                return SIZE_MAX;
            memcpy(nb, buf, len);
            copied += len;
            buf = nb;
            cap *= 2;
        }
        buf[len++] = (unsigned char)i;
    }
    sink(buf);
    return copied;
}

__attribute__((noinline)) static size_t append_realloc(size_t total)
{
    size_t cap = 16, len = 0;
    unsigned char *buf = malloc(cap);
    for (size_t i = 0; i < total; i++) {
        if (len == cap) {
            unsigned char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                return SIZE_MAX;
            }
            buf = nb;
            cap *= 2;
        }
        buf[len++] = (unsigned char)i;
    }
    sink(buf);
    free(buf);
    return 0; /* glibc may or may not copy: it does not say */
}

static void table_buffer(void)
{
    enum { TOTAL = 1 << 20 };
    setup(4u * TOTAL);
    double t[3][RUNS];
    size_t copied[3] = { 0 }, used[3] = { 0 };
    for (int r = 0; r < RUNS; r++) {
        for (int k = 0; k < 3; k++) {
            mk_arena_reset(&arena);
            double t0 = now();
            size_t c = k == 0 ? append_resize(TOTAL)
                       : k == 1 ? append_copy(TOTAL)
                                : append_realloc(TOTAL);
            t[k][r] = (now() - t0) / 1e6;
            if (c == SIZE_MAX) {
                fprintf(stderr, "append failed\n");
                exit(1);
            }
            copied[k] = c;
            used[k] = mk_arena_used(&arena);
        }
    }
    printf("## growing buffer: 1 MiB appended a byte at a time, capacity doubling\n\n");
    printf("| method | ms (median of %d) | bytes copied | arena bytes used |\n", RUNS);
    printf("|---|---:|---:|---:|\n");
    printf("| mk_arena_resize (in place) | %.3f | %zu | %zu |\n", median(t[0], RUNS),
           copied[0], used[0]);
    printf("| mk_arena_alloc + copy | %.3f | %zu | %zu |\n", median(t[1], RUNS), copied[1],
           used[1]);
    printf("| glibc realloc | %.3f | (not known) | - |\n\n", median(t[2], RUNS));
}

/* ---- instruction counting ---------------------------------------------------------- */

__attribute__((noinline)) static void alloc_loop(long n)
{
    for (long i = 0; i < n; i++) {
        void *p = mk_arena_alloc(&arena, 16, 0);
        sink(p);
    }
}

__attribute__((noinline)) static void base_loop(long n)
{
    for (long i = 0; i < n; i++)
        sink((void *)(uintptr_t)i);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "all";
    if (strcmp(mode, "callgrind") == 0) {
        long n = argc > 2 ? atol(argv[2]) : 1000000;
        setup((size_t)n * 16 + 64);
        alloc_loop(n);
        base_loop(n);
        printf("%ld allocations; arena used %zu bytes\n", n, mk_arena_used(&arena));
        free(arena_mem);
        return mk_arena_used(&arena) == (size_t)n * 16 ? 0 : 1;
    }
    if (strcmp(mode, "all") != 0) {
        fprintf(stderr, "usage: arena_bench [all | callgrind N]\n");
        return 2;
    }
    printf("# mk_arena (sizeof(mk_arena) = %zu, MK_ALIGN = %zu)\n\n", sizeof(mk_arena),
           (size_t)MK_ALIGN);
    table_alloc();
    table_rewind();
    table_buffer();
    free(arena_mem);
    return 0;
}
