/* libFuzzer target: the bheap property test's model (tests/property/bheap_prop.c) driven by
 * the fuzzer's input: pushes, pops and replace_top against a sorted model. */
#define TEST_RAND_FROM_INPUT 1
#define TEST_ABORT_ON_FAILURE 1
#define main property_main
#include "../property/bheap_prop.c"
#undef main
#include "prop_fuzz.h"
