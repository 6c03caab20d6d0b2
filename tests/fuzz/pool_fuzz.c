/* libFuzzer target: the pool property test's model (tests/property/pool_prop.c) driven by
 * the fuzzer's input: pool geometry, alloc/free order and (checked builds) misuse. */
#define TEST_RAND_FROM_INPUT 1
#define TEST_ABORT_ON_FAILURE 1
#define main property_main
#include "../property/pool_prop.c"
#undef main
#include "prop_fuzz.h"
