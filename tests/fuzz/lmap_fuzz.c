/* libFuzzer target: the lmap property test's model (tests/property/lmap_prop.c) driven by
 * the fuzzer's input: puts, gets and removes against a linear model. */
#define TEST_RAND_FROM_INPUT 1
#define TEST_ABORT_ON_FAILURE 1
#define main property_main
#include "../property/lmap_prop.c"
#undef main
#include "prop_fuzz.h"
