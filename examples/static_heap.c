/*
 * A firmware-style heap: one region in on-chip SRAM declared as a static array, a second
 * region with other capabilities (here: DMA-capable RAM kept in its own linker section),
 * allocations with and without capability requirements, and the statistics.
 *
 * On a microcontroller, the section would be placed by the linker script; on a host it
 * is just another section. Build: cc -Iinclude examples/static_heap.c src/err.c src/heap.c
 * src/heap_inspect.c
 */
#include <stdio.h>

#include "memkit/memkit.h"

MK_HEAP_REGION(sram, 32 * 1024, );                             /* general-purpose RAM */
MK_HEAP_REGION(dma_ram, 8 * 1024, MK_SECTION(".dma_ram"));     /* DMA engines reach it */

static void on_alloc_failed(void *ctx, size_t size, size_t align, uint32_t caps, mk_err why)
{
    (void)ctx;
    printf("allocation of %zu bytes (align %zu, caps 0x%x) failed: %s\n", size, align,
           (unsigned)caps, mk_strerror(why));
}

static const mk_heap_hooks hooks = { .alloc_failed = on_alloc_failed };

static void print_stats(const mk_heap *heap, uint32_t caps, const char *label)
{
    mk_heap_stats s;
    mk_heap_get_stats(heap, caps, &s);
    printf("%-9s total %6zu  used %6zu  free %6zu  largest free %6zu  blocks %zu used / %zu free"
           "  peak %zu\n",
           label, s.total_bytes, s.used_bytes, s.free_bytes, s.largest_free_block,
           s.used_blocks, s.free_blocks, s.peak_used_bytes);
}

int main(void)
{
    static mk_heap heap;
    mk_heap_init(&heap);
    mk_heap_set_hooks(&heap, &hooks);
    if (mk_heap_add_region(&heap, sram, sizeof sram, MK_CAP_INTERNAL) != MK_OK ||
        mk_heap_add_region(&heap, dma_ram, sizeof dma_ram, MK_CAP_INTERNAL | MK_CAP_DMA) != MK_OK)
        return 1;

    char *message = mk_heap_alloc(&heap, 64);                          /* from sram */
    void *rx_buffer = mk_heap_alloc_caps(&heap, 1536, 32, MK_CAP_DMA); /* from dma_ram */
    void *table = mk_heap_alloc_aligned(&heap, 4096, 256);
    if (!message || !rx_buffer || !table)
        return 1;
    snprintf(message, 64, "rx buffer at %p", rx_buffer);
    puts(message);

    print_stats(&heap, 0, "all");
    print_stats(&heap, MK_CAP_DMA, "dma");

    /* Asking for more DMA memory than exists fails cleanly and tells the hook why. */
    if (mk_heap_alloc_caps(&heap, 16 * 1024, 0, MK_CAP_DMA) != NULL)
        return 1;

    mk_heap_free(&heap, table);
    mk_heap_free(&heap, rx_buffer);
    mk_heap_free(&heap, message);
    print_stats(&heap, 0, "after");
    return mk_heap_check(&heap) == MK_OK ? 0 : 1;
}
