/* libFuzzer target: the arena property test's model (tests/property/arena_prop.c) driven
 * by the fuzzer's input: allocations of every size and alignment, marks, live, stale and
 * foreign rewinds, resizes, limits, resets and growth through a failing upstream. */
#define TEST_RAND_FROM_INPUT 1
#define TEST_ABORT_ON_FAILURE 1
#define main property_main
#include "../property/arena_prop.c"
#undef main
#include "prop_fuzz.h"
