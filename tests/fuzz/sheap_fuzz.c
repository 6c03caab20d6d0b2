/* libFuzzer target: the sized heap's property test model (tests/property/sheap_prop.c)
 * driven by the fuzzer's input: buffer geometry, sizes, and the order of allocs, frees,
 * resizes, reallocs and refused frees. */
#define TEST_RAND_FROM_INPUT 1
#define TEST_ABORT_ON_FAILURE 1
#define main property_main
#include "../property/sheap_prop.c"
#undef main
#include "prop_fuzz.h"
