/*
 * memkit as the C library's allocator on a Cortex-M: malloc, printf's own buffers
 * (newlib calls _malloc_r) and capability requests all come from one global heap made
 * of on-chip RAM and a region reclaimed from the bootloader (a linker-script section).
 * The heap statistics are printed over semihosting; the exit status says whether the
 * heap checked clean. Build and run: RUN=1 tests/cross/firmware.sh SOURCE_DIR OUT_DIR
 * src/err.c src/heap.c src/heap_inspect.c src/malloc/global.c
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memkit/global.h"

#define CAP_BOOTRAM MK_CAP_USER0 /* this board's name for the reclaimed RAM */

MK_HEAP_REGION(sram, 24 * 1024, );
MK_HEAP_REGION(bootram, 16 * 1024, MK_SECTION(".bootram"));

/* The heap's lock: interrupts off, remembering whether they were on. Never nested. */
static unsigned primask;
static void irq_lock(void *ctx)
{
    unsigned *saved = ctx;
    __asm__ volatile("mrs %0, primask\n cpsid i" : "=r"(*saved)::"memory");
}
static void irq_unlock(void *ctx)
{
    unsigned *saved = ctx;
    __asm__ volatile("msr primask, %0" ::"r"(*saved) : "memory");
}
static const mk_heap_hooks hooks = { .lock = irq_lock, .unlock = irq_unlock, .ctx = &primask };

static void print_stats(const char *label, uint32_t caps)
{
    mk_heap_stats s;
    mk_heap_get_stats(mk_global_heap(), caps, &s);
    printf("%-8s total %6u used %6u peak %6u free %6u largest %6u blocks %u/%u\n", label,
           (unsigned)s.total_bytes, (unsigned)s.used_bytes, (unsigned)s.peak_used_bytes,
           (unsigned)s.free_bytes, (unsigned)s.largest_free_block, (unsigned)s.used_blocks,
           (unsigned)s.free_blocks);
}

/* Called by the start-up code before newlib's first allocation. */
void heap_setup(void);
void heap_setup(void)
{
    mk_global_init();
    mk_global_set_hooks(&hooks);
    mk_global_add_region(sram, sizeof sram, MK_CAP_INTERNAL);
    mk_global_add_region(bootram, sizeof bootram, MK_CAP_INTERNAL | CAP_BOOTRAM);
}

int main(void)
{
    mk_heap_stats s;
    mk_heap_get_stats(mk_global_heap(), 0, &s);
    if (s.regions != 2)
        return 1; /* a region was refused: too small or misplaced */

    char *name = malloc(32);
    strcpy(name, "memkit");
    double *samples = calloc(64, sizeof *samples);
    void *dma = MK_MALLOC_PREFER(4096, CAP_BOOTRAM, MK_CAP_INTERNAL);
    name = realloc(name, 200);
    printf("hello from %s: %d samples\n", name, 64);
    print_stats("all", 0);
    print_stats("bootram", CAP_BOOTRAM);
    int bad = !name || !samples || !dma || (char *)dma < (char *)bootram ||
              (char *)dma >= (char *)bootram + sizeof bootram;
    free(dma);
    free(samples);
    free(name);
    print_stats("after", 0);
    return bad || mk_heap_check(mk_global_heap()) != MK_OK;
}
