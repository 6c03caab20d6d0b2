/* Turns a property test into a libFuzzer target: include this after defining
 * TEST_RAND_FROM_INPUT and TEST_ABORT_ON_FAILURE and including the property test with its
 * main renamed (see arena_fuzz.c). Every random choice the test's model makes (sizes,
 * alignments, which operation, which mark) comes from the input, eight bytes at a time;
 * past its end a fixed generator seeded by the input length takes over, so every loop
 * still ends. One input is one run of run_seed with an operation count proportional to
 * its length; any failed CHECK aborts, which is what libFuzzer records. */
#include <stdint.h>
#include <stdio.h>

static const uint8_t *fuzz_in;
static size_t fuzz_left;
static unsigned long long fuzz_after;

unsigned long long test_input_rand(void)
{
    if (fuzz_left == 0) {
        fuzz_after ^= fuzz_after >> 12;
        fuzz_after ^= fuzz_after << 25;
        fuzz_after ^= fuzz_after >> 27;
        return fuzz_after * 2685821657736338717ull;
    }
    unsigned long long v = 0;
    for (int i = 0; i < 8 && fuzz_left; i++, fuzz_left--)
        v |= (unsigned long long)*fuzz_in++ << (8 * i);
    return v;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* The property tests print a summary per run; the fuzzer's own output is what counts. */
    if (!freopen("/dev/null", "w", stdout))
        return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_in = data;
    fuzz_left = size;
    fuzz_after = 0x9e3779b97f4a7c15ull ^ size;
    run_seed(1, size / 4 + 1);
    return 0;
}
