/*
 * Benchmarks of the hash map, binary heap and sorted list, each beside a plain-array
 * baseline doing the same work in the same run. Prints tables; never passes or fails
 * on time.
 *
 *   hmap get            look up each of 192 uint32_t keys in a 256-slot map (75% load),
 *                       against a linear search of the same keys in an array.
 *   hmap remove + put   swap_remove one key and put it back, at 75% load, against
 *                       removing by swap from an array (after a linear search) and
 *                       appending.
 *   bheap push, pop     rounds of 192 pushes of random keys into an empty 256-capacity
 *                       heap and 192 pops, against a sorted array (descending, so pop
 *                       takes the last element; push shifts the smaller ones up).
 *   slist insert, pop   the same rounds on a 64-node sorted list with 48 keys, against
 *                       the same sorted array.
 *
 * Usage: container_bench            ns per operation, median of RUNS runs, and ratios
 *        container_bench callgrind  each operation OPS times, no timing; prints how
 *                                   often each function ran, for bench/container_callgrind.sh
 *                                   (instructions per call, deterministic)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "memkit/bheap.h"
#include "memkit/hmap.h"
#include "memkit/slist.h"

enum { LOAD = 192, SLOAD = 48, RUNS = 9, ROUNDS = 500, OPS = 96000 };
/* Pushes (= pops) of the fill-and-drain rounds for OPS operations. */
enum { HEAP_CALLS = (OPS + 2 * LOAD - 1) / (2 * LOAD) * LOAD,
       LIST_CALLS = (OPS + 2 * SLOAD - 1) / (2 * SLOAD) * SLOAD };

static int asc_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

MK_HMAP_DEFINE(u32_map, uint32_t, uint32_t, 256);
MK_BHEAP_DEFINE(u32_heap, uint32_t, 256, asc_u32);
MK_SLIST_DEFINE(u32_list, uint32_t, 64, asc_u32);

static u32_map map;
static u32_heap heap;
static u32_list list;
static uint32_t keys[LOAD];
static unsigned long long rng = 0x853C49E6748FEA9Bull;

static uint32_t rand_u32(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (uint32_t)((rng * 2685821657736338717ull) >> 32);
}

/* ---- baselines: plain arrays -------------------------------------------------------- */

static struct {
    uint32_t key[LOAD], val[LOAD];
    size_t len;
} arr;

static inline uint32_t *arr_find(uint32_t k)
{
    for (size_t i = 0; i < arr.len; i++)
        if (arr.key[i] == k)
            return &arr.val[i];
    return NULL;
}

__attribute__((noinline)) static uint32_t *arr_get(uint32_t k) { return arr_find(k); }

__attribute__((noinline)) static void arr_swap_remove(uint32_t k)
{
    for (size_t i = 0; i < arr.len; i++)
        if (arr.key[i] == k) {
            arr.len--;
            arr.key[i] = arr.key[arr.len];
            arr.val[i] = arr.val[arr.len];
            return;
        }
}

__attribute__((noinline)) static void arr_put(uint32_t k, uint32_t v)
{
    uint32_t *p = arr_find(k);
    if (p != NULL) {
        *p = v;
    } else if (arr.len < LOAD) {
        arr.key[arr.len] = k;
        arr.val[arr.len++] = v;
    }
}

/* Kept descending, so the smallest is last and pop is O(1). */
static struct {
    uint32_t v[256];
    size_t len;
} sorted;

__attribute__((noinline)) static void sorted_push(uint32_t x)
{
    size_t i = sorted.len++;
    for (; i > 0 && sorted.v[i - 1] < x; i--)
        sorted.v[i] = sorted.v[i - 1];
    sorted.v[i] = x;
}

__attribute__((noinline)) static uint32_t sorted_pop(void)
{
    return sorted.v[--sorted.len];
}

/* ---- workloads ---------------------------------------------------------------------- */

static void setup(void)
{
    u32_map_clear(&map);
    arr.len = 0;
    for (uint32_t i = 0; i < LOAD; i++) {
        keys[i] = (i + 1) * 2654435761u;
        u32_map_put(&map, keys[i], i);
        arr_put(keys[i], i);
    }
}

static void empty_sorted(void)
{
    u32_heap_clear(&heap);
    u32_list_clear(&list);
    sorted.len = 0;
}

static void map_get(size_t ops)
{
    for (size_t i = 0; i < ops; i++)
        sink((void *)u32_map_get(&map, keys[i % LOAD]));
}
static void arr_get_loop(size_t ops)
{
    for (size_t i = 0; i < ops; i++)
        sink(arr_get(keys[i % LOAD]));
}
static void map_churn(size_t ops)
{
    for (size_t i = 0; i < ops; i++) {
        uint32_t k = keys[i % LOAD];
        u32_map_swap_remove(&map, k, NULL);
        u32_map_put(&map, k, (uint32_t)i);
    }
    sink(&map);
}
static void arr_churn(size_t ops)
{
    for (size_t i = 0; i < ops; i++) {
        uint32_t k = keys[i % LOAD];
        arr_swap_remove(k);
        arr_put(k, (uint32_t)i);
    }
    sink(&arr);
}
/* Fill with n random keys, then drain: 2n operations a round. A random key lands
 * anywhere in the order (pop-min-push-random would drift the contents towards large
 * keys and flatter every structure that inserts from the small end). */
static void heap_rounds(size_t ops)
{
    for (size_t done = 0; done < ops; done += 2 * LOAD) {
        for (size_t i = 0; i < LOAD; i++)
            u32_heap_push(&heap, rand_u32());
        for (size_t i = 0; i < LOAD; i++)
            u32_heap_pop(&heap, NULL);
    }
    sink(&heap);
}
static void list_rounds(size_t ops)
{
    for (size_t done = 0; done < ops; done += 2 * SLOAD) {
        for (size_t i = 0; i < SLOAD; i++)
            u32_list_insert(&list, rand_u32());
        for (size_t i = 0; i < SLOAD; i++)
            u32_list_pop_front(&list, NULL);
    }
    sink(&list);
}
static void sorted_rounds(size_t n, size_t ops)
{
    for (size_t done = 0; done < ops; done += 2 * n) {
        for (size_t i = 0; i < n; i++)
            sorted_push(rand_u32());
        for (size_t i = 0; i < n; i++)
            sink((void *)(uintptr_t)sorted_pop());
    }
}
static void sorted_heap_rounds(size_t ops) { sorted_rounds(LOAD, ops); }
static void sorted_list_rounds(size_t ops) { sorted_rounds(SLOAD, ops); }

/* ns per operation of fn(ops), median of RUNS runs; `prepare` runs untimed first. */
static double time_ns(void (*prepare)(void), void (*fn)(size_t), size_t ops)
{
    double t[RUNS];
    for (int r = 0; r < RUNS; r++) {
        prepare();
        double t0 = now();
        fn(ops);
        t[r] = (now() - t0) / (double)ops;
    }
    return median(t, RUNS);
}


static void row(const char *op, double ours, const char *base_name, double base)
{
    printf("| %s | %.1f | %s | %.1f | %.2fx |\n", op, ours, base_name, base, base / ours);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "callgrind") == 0) {
        setup();
        map_get(OPS);
        arr_get_loop(OPS);
        map_churn(OPS);
        arr_churn(OPS);
        heap_rounds(OPS);
        sorted_heap_rounds(OPS);
        list_rounds(OPS);
        sorted_list_rounds(OPS);
        /* Calls of each function counted, setup included. */
        printf("mk_hmap_get %d\nmk_hmap_put %d\nmk_hmap_swap_remove %d\n", OPS, OPS + LOAD, OPS);
        /* The whole lookup loop: the typed wrapper's view and the loop's own work too. */
        printf("map_get %d\narr_get_loop %d\n", OPS, OPS);
        printf("arr_get %d\narr_put %d\narr_swap_remove %d\n", OPS, OPS + LOAD, OPS);
        printf("mk_bheap_push %d\nmk_bheap_pop %d\n", HEAP_CALLS, HEAP_CALLS);
        printf("mk_slist_insert %d\nmk_slist_pop_front %d\n", LIST_CALLS, LIST_CALLS);
        printf("sorted_push %d\n", HEAP_CALLS + LIST_CALLS);
        return 0;
    }
    size_t ops = (size_t)ROUNDS * LOAD;
    printf("ns per operation, median of %d runs of %zu operations\n\n", RUNS, ops);
    printf("| operation | memkit ns | baseline | baseline ns | baseline / memkit |\n");
    printf("|---|---:|---|---:|---:|\n");
    row("hmap get, 192 keys in 256 slots", time_ns(setup, map_get, ops),
        "linear search", time_ns(setup, arr_get_loop, ops));
    row("hmap swap_remove + put", time_ns(setup, map_churn, ops), "array search + swap",
        time_ns(setup, arr_churn, ops));
    row("bheap push, pop: fill 192 of 256, drain", time_ns(empty_sorted, heap_rounds, ops),
        "sorted array", time_ns(empty_sorted, sorted_heap_rounds, ops));
    row("slist insert, pop_front: fill 48 of 64, drain", time_ns(empty_sorted, list_rounds, ops),
        "sorted array", time_ns(empty_sorted, sorted_list_rounds, ops));
    return 0;
}
