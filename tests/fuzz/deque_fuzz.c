/* libFuzzer target: the deque property test's model (tests/property/deque_prop.c) driven by
 * the fuzzer's input: pushes and pops at both ends, and the history buffer's writes. */
#define TEST_RAND_FROM_INPUT 1
#define TEST_ABORT_ON_FAILURE 1
#define main property_main
#include "../property/deque_prop.c"
#undef main
#include "prop_fuzz.h"
