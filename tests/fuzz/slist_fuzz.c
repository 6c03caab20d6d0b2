/* libFuzzer target: the slist property test's model (tests/property/slist_prop.c) driven by
 * the fuzzer's input: ordered inserts, pops, finds and removes. */
#define TEST_RAND_FROM_INPUT 1
#define TEST_ABORT_ON_FAILURE 1
#define main property_main
#include "../property/slist_prop.c"
#undef main
#include "prop_fuzz.h"
