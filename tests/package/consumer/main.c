#include "memkit/memkit.h"

int main(void)
{
    static unsigned char ram[4096];
    mk_heap heap;
    mk_heap_init(&heap);
    if (mk_heap_add_region(&heap, ram, sizeof ram, 0) != MK_OK)
        return 1;
    void *p = mk_heap_alloc(&heap, 100);
    mk_heap_free(&heap, p);
    return p != NULL && mk_heap_check(&heap) == MK_OK ? 0 : 1;
}
