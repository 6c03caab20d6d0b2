/* libFuzzer target: the bitset property test's model (tests/property/bitset_prop.c) driven by
 * the fuzzer's input: set, clear, toggle, counts and searches on three sizes of bitset. */
#define TEST_RAND_FROM_INPUT 1
#define TEST_ABORT_ON_FAILURE 1
#define main property_main
#include "../property/bitset_prop.c"
#undef main
#include "prop_fuzz.h"
