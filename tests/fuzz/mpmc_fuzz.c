/* libFuzzer target: the mpmc property test's model (tests/property/mpmc_prop.c) driven by
 * the fuzzer's input: pushes, pops and two-phase claims held and finished in any order,
 * against a model that keeps every ticket's state. */
#define TEST_RAND_FROM_INPUT 1
#define TEST_ABORT_ON_FAILURE 1
#define main property_main
#include "../property/mpmc_prop.c"
#undef main
#include "prop_fuzz.h"
