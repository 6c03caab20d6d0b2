/* The stack watermark on the stack the program runs on, as firmware uses it: paint from
 * the linker's stack limit up to a margin below this frame, call functions that use a
 * known number of bytes, and check that the high-water mark covers each depth, by no
 * more than a frame's worth of slack, and never falls. */
#include <stdint.h>
#include <stdio.h>

#include "memkit/stack.h"
#include "stack_use.h"
#include "target.h"
#include "test.h"

enum { SLACK = 512 };

/* Deeper calls after a shallower one, then a shallow one again; the deepest fits the
 * Cortex-M0 board's 3 KiB stack with the paint margin and main's frame. */
static const size_t uses[4] = { 256, 1024, 128, 1536 };

static void test_main_stack(void)
{
    unsigned char here;
    uintptr_t h = (uintptr_t)&here, limit = (uintptr_t)__stack_limit;
    REQUIRE(h > limit + MK_STACK_PAINT_MARGIN + uses[3] + SLACK);
    /* The pointers stay inside the linker's stack object: limit plus an offset. */
    unsigned char *lo = __stack_limit;
    unsigned char *hi = __stack_limit + (h - limit - MK_STACK_PAINT_MARGIN);
    size_t margin = h - (uintptr_t)hi;
    mk_stack_paint(lo, hi);
    CHECK(mk_stack_high_water(lo, hi) == 0);
    size_t deepest = 0, prev = 0;
    for (int i = 0; i < 4; i++) {
        (void)use_stack(uses[i]);
        size_t depth = mk_stack_high_water(lo, hi) + margin;
        deepest = uses[i] > deepest ? uses[i] : deepest;
        CHECK(depth >= deepest);
        CHECK(depth <= deepest + SLACK);
        CHECK(depth >= prev); /* a high-water mark never falls */
        prev = depth;
        printf("  used %5zu bytes deepest: high water + margin = %zu\n", deepest, depth);
    }
    /* Nothing below the deepest use was touched: the stack's far end still holds paint. */
    CHECK(mk_stack_high_water(lo, hi) < (size_t)(hi - lo));
}

int main(void)
{
    RUN(test_main_stack);
    TEST_MAIN_END();
}
