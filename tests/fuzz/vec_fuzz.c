/* libFuzzer target: the vec property test's model (tests/property/vec_prop.c) driven by
 * the fuzzer's input: push, pop, insert, remove, swap_remove, extend and truncate, typed and through the view. */
#define TEST_RAND_FROM_INPUT 1
#define TEST_ABORT_ON_FAILURE 1
#define main property_main
#include "../property/vec_prop.c"
#undef main
#include "prop_fuzz.h"
