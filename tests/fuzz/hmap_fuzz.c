/* libFuzzer target: the hmap property test's model (tests/property/hmap_prop.c) driven by
 * the fuzzer's input: puts, gets and removes in hash maps and sets, adversarial hashes included. */
#define TEST_RAND_FROM_INPUT 1
#define TEST_ABORT_ON_FAILURE 1
#define main property_main
#include "../property/hmap_prop.c"
#undef main
#include "prop_fuzz.h"
