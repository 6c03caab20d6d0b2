/* Memory checkers see inside memkit memory (MK_ASAN, MK_VALGRIND). Each run commits one
 * bug named on the command line, in heap, pool or arena memory, and the checker must
 * report it: ctest matches the report (AddressSanitizer's "use-after-poison", memcheck's
 * "Invalid write" or "definitely lost"). The "clean" run does everything right, writing
 * every byte it was given, and must pass without a single report.
 *
 * Usage: annotate_test clean | heap-overflow | heap-use-after-free | heap-leak |
 *                      pool-overflow | pool-use-after-free | pool-leak |
 *                      arena-overflow | arena-use-after-rewind */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "memkit/arena.h"
#include "memkit/heap.h"
#include "memkit/pool.h"

static _Alignas(MK_ALIGN) unsigned char heap_ram[8192];
static _Alignas(MK_ALIGN) unsigned char pool_ram[64 * 16];
static _Alignas(MK_ALIGN) unsigned char arena_ram[1024];
static mk_heap heap;
static mk_pool pool;
static mk_arena arena;

/* Keeps the compiler from proving a store dead or a pointer unused. */
static void touch(volatile unsigned char *p, size_t i) { p[i] = (unsigned char)(i + 1u); }

/* Forgets a pointer for good: no copy left in a register or on the stack. */
static void *volatile last;
static void forget(void *p)
{
    last = p;
    last = NULL;
}

static int clean(void)
{
    /* Everything the allocators hand out is usable, byte for byte, including after
     * reuse, in-place growth, moves and rewinds. */
    unsigned char *p[64] = { 0 };
    for (int round = 0; round < 200; round++) {
        for (size_t i = 0; i < 64; i++) {
            size_t n = (i * 37u + (size_t)round * 11u) % 300u;
            if (p[i] && (round + (int)i) % 3 == 0) {
                unsigned char *q = mk_heap_realloc(&heap, p[i], n + 1);
                if (q) {
                    p[i] = q;
                    memset(q, 0x33, n + 1);
                }
            } else {
                mk_heap_free(&heap, p[i]);
                p[i] = mk_heap_alloc(&heap, n);
                if (p[i])
                    memset(p[i], 0x22, n);
            }
        }
    }
    for (size_t i = 0; i < 64; i++)
        mk_heap_free(&heap, p[i]);
    for (int round = 0; round < 50; round++) {
        void *b[16];
        for (int i = 0; i < 16; i++) {
            b[i] = mk_pool_alloc(&pool);
            if (b[i])
                memset(b[i], 0x44, 64);
        }
        for (int i = 15; i >= 0; i--)
            mk_pool_free(&pool, b[i]);
        mk_arena_pos mark = mk_arena_mark(&arena);
        for (size_t n = 1; n < 40; n++) {
            unsigned char *a = mk_arena_alloc(&arena, n, 1);
            if (a)
                memset(a, 0x55, n);
        }
        unsigned char *grow = mk_arena_alloc(&arena, 8, 0);
        if (grow && mk_arena_resize(&arena, grow, 8, 64))
            memset(grow, 0x66, 64);
        mk_arena_rewind(&arena, mark);
    }
    return mk_heap_check(&heap) == MK_OK && mk_pool_check(&pool) == MK_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    mk_heap_init(&heap);
    if (mk_heap_add_region(&heap, heap_ram, sizeof heap_ram, 0) != MK_OK ||
        mk_pool_init(&pool, pool_ram, sizeof pool_ram, 64, 0) != MK_OK)
        return 2;
    mk_arena_init(&arena, arena_ram, sizeof arena_ram);
    const char *what = argc > 1 ? argv[1] : "clean";
    printf("annotate_test %s (%s)\n", what, MK_ASAN ? "MK_ASAN" : MK_VALGRIND ? "MK_VALGRIND" : "no checker");

    if (strcmp(what, "clean") == 0)
        return clean();
    if (strcmp(what, "heap-overflow") == 0) {
        unsigned char *p = mk_heap_alloc(&heap, 20);
        touch(p, 20);
        mk_heap_free(&heap, p);
    } else if (strcmp(what, "heap-use-after-free") == 0) {
        unsigned char *p = mk_heap_alloc(&heap, 64);
        void *wall = mk_heap_alloc(&heap, 64);
        mk_heap_free(&heap, p);
        touch(p, 32); /* past the free block's links, before its footer */
        mk_heap_free(&heap, wall);
    } else if (strcmp(what, "heap-leak") == 0) {
        forget(mk_heap_alloc(&heap, 100));
    } else if (strcmp(what, "pool-overflow") == 0) {
        unsigned char *p = mk_pool_alloc(&pool);
        touch(p, 64); /* the first byte of the next, never handed out, block */
    } else if (strcmp(what, "pool-use-after-free") == 0) {
        unsigned char *p = mk_pool_alloc(&pool);
        mk_pool_free(&pool, p);
        touch(p, 40);
    } else if (strcmp(what, "pool-leak") == 0) {
        void *first = mk_pool_alloc(&pool);
        forget(mk_pool_alloc(&pool));
        mk_pool_free(&pool, first);
    } else if (strcmp(what, "arena-overflow") == 0) {
        unsigned char *p = mk_arena_alloc(&arena, 24, 0);
        touch(p, 24);
    } else if (strcmp(what, "arena-use-after-rewind") == 0) {
        mk_arena_pos mark = mk_arena_mark(&arena);
        unsigned char *p = mk_arena_alloc(&arena, 48, 0);
        mk_arena_rewind(&arena, mark);
        touch(p, 8);
    } else {
        fprintf(stderr, "unknown case %s\n", what);
        return 2;
    }
    /* Reaching here without a report is a failure (leak cases: memcheck reports at exit,
     * and ctest requires that report). */
    printf("no report before exit\n");
    return 0;
}
