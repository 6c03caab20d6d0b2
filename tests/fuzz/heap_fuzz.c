/* libFuzzer target: the input is a program of heap operations on two regions with
 * different capabilities. Every result is checked against a shadow model (alignment,
 * region and caps, contents through per-block patterns, live-block count), and the heap
 * is checked with mk_heap_check every few operations and at the end, after freeing
 * everything, must be back to one free block per region. Any mismatch aborts.
 *
 * Region B is removed and added again now and then: removal must succeed exactly when
 * no live block is in it, and the region_empty hook may only name a region without one.
 *
 * Any report to the corruption hook aborts too: valid calls must never be accused.
 * Built plain and checked (heap_fuzz_checked: canaries, tail guards, free poison).
 *
 * Build: clang -fsanitize=fuzzer,address,undefined (CMake: -DMEMKIT_FUZZ=ON).
 * Run:   heap_fuzz -runs=N CORPUS_DIR tests/fuzz/corpus/heap */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memkit/heap.h"

enum { SLOTS = 32 };

static _Alignas(4096) unsigned char region_a[24 * 1024];
static _Alignas(4096) unsigned char region_b[12 * 1024];

typedef struct reader {
    const uint8_t *p;
    size_t n;
} reader;

static unsigned byte(reader *r)
{
    if (!r->n)
        return 0;
    r->n--;
    return *r->p++;
}

typedef struct slot {
    unsigned char *p;
    size_t size;
    unsigned char tag;
} slot;

/* A mismatch names its line, so a crash input explains itself. */
static void fail(int line)
{
    fprintf(stderr, "heap_fuzz.c:%d: expectation failed\n", line);
    abort();
}
#define expect(ok) ((ok) ? (void)0 : fail(__LINE__))

static void fill(slot *s)
{
    for (size_t i = 0; i < s->size; i++)
        s->p[i] = (unsigned char)(s->tag + i);
}

static void verify(const slot *s, size_t n)
{
    for (size_t i = 0; i < n && i < s->size; i++)
        expect(s->p[i] == (unsigned char)(s->tag + i));
}

/* The program only makes valid calls: any report is a false alarm (the checked build's
 * guards and poison are fuzzed this way too). */
static void no_fault(void *ctx, mk_heap_fault kind, const void *ptr)
{
    (void)ctx;
    (void)kind;
    (void)ptr;
    abort();
}
static void *emptied; /* the region the region_empty hook named last */
static void on_empty(void *ctx, void *mem)
{
    (void)ctx;
    emptied = mem;
}
static const mk_heap_hooks refuse_faults = { .corruption = no_fault, .region_empty = on_empty };

static int inside(const void *p, size_t n, const unsigned char *mem, size_t size)
{
    return (const unsigned char *)p >= mem && (const unsigned char *)p + n <= mem + size;
}

static void placed(const slot *s, size_t align, uint32_t caps)
{
    size_t n = s->size ? s->size : 1;
    expect(((uintptr_t)s->p & (align - 1)) == 0);
    int in_a = inside(s->p, n, region_a + 256, sizeof region_a - 256);
    int in_b = inside(s->p, n, region_b, sizeof region_b);
    expect(in_a || in_b);
    if (caps & MK_CAP_DMA)
        expect(in_b);
}

static int live_in(const slot *slots, const void *mem, size_t size)
{
    for (int i = 0; i < SLOTS; i++)
        if (slots[i].p && inside(slots[i].p, 1, mem, size))
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reader in = { data, size };
    mk_heap h;
    mk_heap_init(&h);
    mk_heap_set_hooks(&h, &refuse_faults);
    emptied = NULL; /* the last input's final frees emptied its regions */
    /* The first region starts 256 bytes in and its size comes from the input, so the
     * geometry varies from run to run. */
    size_t a_size = 600 + (byte(&in) << 6) % (sizeof region_a - 856);
    expect(mk_heap_add_region(&h, region_a + 256, a_size, MK_CAP_INTERNAL) == MK_OK);
    expect(mk_heap_add_region(&h, region_b, sizeof region_b, MK_CAP_DMA) == MK_OK);
    mk_heap_stats fresh;
    mk_heap_get_stats(&h, 0, &fresh);

    slot slots[SLOTS] = { { 0 } };
    size_t live = 0;
    unsigned ops = 0;
    while (in.n) {
        unsigned op = byte(&in) % 8;
        slot *s = &slots[byte(&in) % SLOTS];
        size_t n = (size_t)byte(&in) << (byte(&in) % 6);
        size_t align = (size_t)1 << (byte(&in) % 13);
        if (op == 6)
            n = SIZE_MAX - n; /* absurd sizes must fail cleanly */
        if (!s->p && op <= 2) {
            uint32_t caps = op == 2 ? MK_CAP_DMA : 0;
            s->p = op == 0 ? mk_heap_alloc(&h, n)
                           : mk_heap_alloc_caps(&h, n, op == 1 ? align : 0, caps);
            if (s->p) {
                s->size = n;
                s->tag = (unsigned char)ops;
                placed(s, op == 1 ? align : MK_ALIGN, caps);
                expect(mk_heap_usable_size(&h, s->p) >= n);
                fill(s);
                live++;
            }
        } else if (s->p && op == 3) {
            unsigned char *q = mk_heap_realloc(&h, s->p, n);
            if (n == 0) {
                expect(q == NULL);
                s->p = NULL;
                live--;
            } else if (q) {
                s->p = q;
                verify(s, n);
                s->size = n;
                placed(s, MK_ALIGN, 0);
                fill(s);
            } else {
                verify(s, s->size);
            }
        } else if (s->p && op == 4) {
            if (mk_heap_resize(&h, s->p, n)) {
                verify(s, n);
                s->size = n;
                fill(s);
            }
            expect(mk_heap_usable_size(&h, s->p) >= s->size);
        } else if (s->p) {
            verify(s, s->size);
            mk_heap_free(&h, s->p);
            s->p = NULL;
            live--;
        } else if (op == 6) {
            expect(mk_heap_alloc(&h, n) == NULL);
        } else if (op == 7) {
            mk_err e = mk_heap_remove_region(&h, region_b);
            expect(e == (live_in(slots, region_b, sizeof region_b) ? MK_EBUSY : MK_OK));
            if (e == MK_OK)
                expect(mk_heap_add_region(&h, region_b, sizeof region_b, MK_CAP_DMA) == MK_OK);
        }
        if (emptied) {
            expect(emptied == region_a + 256 || emptied == region_b);
            expect(!live_in(slots, emptied, emptied == region_b ? sizeof region_b : a_size));
            emptied = NULL;
        }
        mk_heap_stats st;
        mk_heap_get_stats(&h, 0, &st);
        expect(st.used_blocks == live);
        if (++ops % 8 == 0)
            expect(mk_heap_check(&h) == MK_OK);
    }
    for (int i = 0; i < SLOTS; i++)
        if (slots[i].p) {
            verify(&slots[i], slots[i].size);
            mk_heap_free(&h, slots[i].p);
        }
    mk_heap_stats end;
    mk_heap_get_stats(&h, 0, &end);
    expect(mk_heap_check(&h) == MK_OK);
    expect(end.used_bytes == 0 && end.free_blocks == 2 && end.free_bytes == fresh.free_bytes);
    return 0;
}
