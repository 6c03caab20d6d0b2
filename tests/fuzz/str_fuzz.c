/* libFuzzer target: the str property test's model (tests/property/str_prop.c) driven by
 * the fuzzer's input: format directives against the host's snprintf, truncation included. */
#define TEST_RAND_FROM_INPUT 1
#define TEST_ABORT_ON_FAILURE 1
#define PROP_FUZZ_NO_SEEDS 1
#define main property_main
#include "../property/str_prop.c"
#undef main
#include "prop_fuzz.h"
