/* Unit tests for the stack watermark: painting and scanning a plain buffer (every edge),
 * then a real stack: a thread on a stack we own (pthread_attr_setstack), painted from
 * inside the thread below its stack pointer, measured after calls that use a known
 * number of bytes. Host-only (POSIX threads); link with -pthread.
 *
 * Sanitizers: mk_stack_paint and mk_stack_high_water are built without ASan or TSan
 * instrumentation, so the thread check runs in those builds too. It is skipped (and says
 * so) only if the thread's locals do not live on the stack we gave it, which is what
 * ASan's detect_stack_use_after_return mode does. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "memkit/stack.h"
#include "stack_use.h"
#include "test.h"

static unsigned char buf[4096];

static unsigned sum(const unsigned char *p, size_t n)
{
    unsigned s = 0;
    for (size_t i = 0; i < n; i++)
        s = s * 31u + p[i];
    return s;
}

static void test_buffer(void)
{
    memset(buf, 0x11, sizeof buf);
    unsigned char *lo = buf + 3, *hi = buf + 1003;
    mk_stack_paint(lo, hi);
    size_t painted = 0;
    for (size_t i = 3; i < 1003; i++)
        painted += buf[i] == MK_STACK_PATTERN;
    CHECK(painted == 1000);
    CHECK(buf[2] == 0x11 && buf[1003] == 0x11); /* not a byte outside */
    CHECK(mk_stack_high_water(lo, hi) == 0);

    /* The deepest (lowest) write counts, measured from hi. */
    buf[503] = 0;
    CHECK(mk_stack_high_water(lo, hi) == 500);
    buf[903] = 1;
    CHECK(mk_stack_high_water(lo, hi) == 500);
    buf[203] = 0x5A;
    CHECK(mk_stack_high_water(lo, hi) == 800);
    /* Writing the pattern value itself is invisible at that byte, but not below it. */
    buf[103] = (unsigned char)MK_STACK_PATTERN;
    CHECK(mk_stack_high_water(lo, hi) == 800);
    buf[3] = 7;
    CHECK(mk_stack_high_water(lo, hi) == 1000);
    /* The last byte below hi. */
    mk_stack_paint(lo, hi);
    buf[1002] = 0;
    CHECK(mk_stack_high_water(lo, hi) == 1);

    /* Scanning only reads. */
    unsigned before = sum(buf, sizeof buf);
    (void)mk_stack_high_water(buf, buf + sizeof buf);
    CHECK(sum(buf, sizeof buf) == before);

    /* Empty and reversed ranges: nothing painted, nothing measured. */
    mk_stack_paint(hi, lo);
    mk_stack_paint(lo, lo);
    CHECK(sum(buf, sizeof buf) == before);
    CHECK(mk_stack_high_water(lo, lo) == 0);
    CHECK(mk_stack_high_water(hi, lo) == 0);
    /* A range that was never painted reads as fully used. */
    memset(buf, 0, sizeof buf);
    CHECK(mk_stack_high_water(buf, buf + 64) == 64);
}

/* ---- a real stack ------------------------------------------------------------------- */

enum { STACK_SIZE = 1 << 20, SLACK = 4096 };

static unsigned char *stack_mem;

typedef struct result {
    int on_our_stack;   /* the thread's locals were in stack_mem */
    size_t after_paint; /* high water right after painting */
    size_t depth[4];    /* bytes below `here` used, after each call */
    size_t margin;      /* bytes between `here` and hi (not measured) */
} result;

static const size_t uses[4] = { 4096, 16384, 1024, 65536 };

static void *thread_main(void *arg)
{
    result *r = arg;
    unsigned char here;
    uintptr_t h = (uintptr_t)&here, base = (uintptr_t)stack_mem;
    r->on_our_stack = h > base && h < base + STACK_SIZE;
    if (!r->on_our_stack)
        return NULL;
    /* Paint from the bottom of the stack to a margin below this frame, as the header
     * says, keeping the pointers inside the buffer we own. */
    unsigned char *lo = stack_mem;
    unsigned char *hi = stack_mem + (h - base - MK_STACK_PAINT_MARGIN);
    r->margin = h - (uintptr_t)hi;
    mk_stack_paint(lo, hi);
    r->after_paint = mk_stack_high_water(lo, hi);
    for (int i = 0; i < 4; i++) {
        (void)use_stack(uses[i]);
        r->depth[i] = mk_stack_high_water(lo, hi) + r->margin;
    }
    return NULL;
}

static void test_thread_stack(void)
{
    stack_mem = aligned_alloc(4096, STACK_SIZE);
    REQUIRE(stack_mem != NULL);
    memset(stack_mem, 0, STACK_SIZE);
    pthread_attr_t attr;
    pthread_t t;
    result r = { 0 };
    REQUIRE(pthread_attr_init(&attr) == 0);
    REQUIRE(pthread_attr_setstack(&attr, stack_mem, STACK_SIZE) == 0);
    REQUIRE(pthread_create(&t, &attr, thread_main, &r) == 0);
    REQUIRE(pthread_join(t, NULL) == 0);
    pthread_attr_destroy(&attr);
    if (!r.on_our_stack) {
        printf("  skipped: the thread's locals are not on its stack (ASan fake stack?)\n");
    } else {
        CHECK(r.after_paint == 0);
        size_t deepest = 0;
        for (int i = 0; i < 4; i++) {
            deepest = uses[i] > deepest ? uses[i] : deepest;
            /* At least what was used, and not absurdly more: a call's frame, the
             * measuring call and the paint margin's slack. */
            CHECK(r.depth[i] >= deepest);
            CHECK(r.depth[i] <= deepest + SLACK);
            if (i > 0)
                CHECK(r.depth[i] >= r.depth[i - 1]); /* a high-water mark never falls */
            printf("  used %6zu bytes deepest: high water + margin = %zu\n", deepest,
                   r.depth[i]);
        }
        /* The fourth call went deeper than the second: the mark moved with it. */
        CHECK(r.depth[3] >= r.depth[1] + (uses[3] - uses[1]));
    }
    free(stack_mem);
}

int main(void)
{
    RUN(test_buffer);
    RUN(test_thread_stack);
    TEST_MAIN_END();
}
