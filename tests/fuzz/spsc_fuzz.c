/* libFuzzer target: the spsc property test's model (tests/property/spsc_prop.c) driven by
 * the fuzzer's input: pushes, pops, batches and claim/commit runs on three queues
 * against a FIFO model. */
#define TEST_RAND_FROM_INPUT 1
#define TEST_ABORT_ON_FAILURE 1
#define main property_main
#include "../property/spsc_prop.c"
#undef main
#include "prop_fuzz.h"
