/* A minimal test harness: standard C only, so the same tests run on emulated targets.
 * CHECK records a failure and goes on; TEST_MAIN_END prints the tally and sets the exit
 * status. */
#ifndef MEMKIT_TEST_H
#define MEMKIT_TEST_H

#include <stdio.h>
#include <stdlib.h>

static int test_failures;
static int test_checks;

static inline int test_check(int ok, const char *file, int line, const char *text)
{
    test_checks++;
    if (!ok) {
        test_failures++;
        fprintf(stderr, "%s:%d: CHECK failed: %s\n", file, line, text);
#ifdef TEST_ABORT_ON_FAILURE
        abort(); /* a fuzzer needs the crash to keep the input */
#endif
    }
    return ok;
}

/* Records a failure and goes on. `cond` is evaluated once. */
#define CHECK(cond) ((void)test_check((cond) ? 1 : 0, __FILE__, __LINE__, #cond))

/* Stops the test program at once: for states where going on would only cascade. */
#define REQUIRE(cond)                                                            \
    do {                                                                         \
        if (!test_check((cond) ? 1 : 0, __FILE__, __LINE__, #cond))              \
            exit(1);                                                             \
    } while (0)

#define RUN(fn)                                                                  \
    do {                                                                         \
        int before_ = test_failures;                                             \
        fn();                                                                    \
        printf("%-40s %s\n", #fn, test_failures == before_ ? "ok" : "FAILED");   \
    } while (0)

#define TEST_MAIN_END()                                                          \
    do {                                                                         \
        printf("%d checks, %d failed\n", test_checks, test_failures);            \
        return test_failures ? 1 : 0;                                            \
    } while (0)

#ifdef TEST_RAND_FROM_INPUT
/* A fuzz driver (tests/fuzz/prop_fuzz.h) supplies the random stream from its input, so
 * a property test's model checks whatever sequence the fuzzer steers it to. */
unsigned long long test_input_rand(void);
#endif

/* xorshift64*: small, seedable, the same on every target. */
static inline unsigned long long test_rand(unsigned long long *s)
{
#ifdef TEST_RAND_FROM_INPUT
    (void)s;
    return test_input_rand();
#endif
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}
static inline size_t test_range(unsigned long long *s, size_t lo, size_t hi)
{
    return lo + (size_t)(test_rand(s) % (unsigned long long)(hi - lo + 1));
}

#endif
