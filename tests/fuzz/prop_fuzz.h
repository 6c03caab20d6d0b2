/* Turns a property test into a libFuzzer target: define TEST_RAND_FROM_INPUT and
 * TEST_ABORT_ON_FAILURE, include the property test with its main renamed to
 * property_main, then include this (see arena_fuzz.c). Every random choice the test's
 * model makes (sizes, alignments, which operation, which element) comes from the input,
 * eight bytes at a time; past its end a fixed generator seeded by the input length takes
 * over, so every loop still ends. One input is one run of the test's main with one seed
 * and an operation count proportional to the input's length (PROP_FUZZ_NO_SEEDS: the
 * test takes only a count); any failed CHECK aborts, which is what libFuzzer records. */
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
    char ops[24], one[] = "1", name[] = "fuzz";
    snprintf(ops, sizeof ops, "%zu", size / 4 + 1);
#ifdef PROP_FUZZ_NO_SEEDS
    char *argv[] = { name, ops, NULL };
#else
    char *argv[] = { name, one, ops, NULL };
#endif
    (void)one;
    property_main((int)(sizeof argv / sizeof *argv) - 1, argv);
    return 0;
}
