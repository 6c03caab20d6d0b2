/* Unit tests for mk_bitset: every operation at the first, last and past-the-end bit,
 * each word width, sets whose size is and is not a multiple of the word, the three
 * forms and init_ext's refusals. Built plain and with MK_CHECKED=1. */
#include <stdint.h>
#include <string.h>

#include "memkit/bitset.h"
#include "test.h"

MK_BITSET_DEFINE(b100, 100);
MK_BITSET_DEFINE_IDX(b12, 12, uint8_t);
MK_BITSET_DEFINE_IDX(b32h, 32, uint16_t);
MK_BITSET_DEFINE_EXT(bx);

_Static_assert(sizeof(b12) == 2, "12 bits in 2 bytes");
_Static_assert(sizeof(b100) == 16, "100 bits in four 32-bit words");
_Static_assert(sizeof(b32h) == 4, "32 bits in two 16-bit words");

static void test_edges(void)
{
    b100 b = { 0 };
    CHECK(b100_size(&b) == 100 && b100_count(&b) == 0);
    CHECK(b100_find_first_set(&b) == 100 && b100_find_first_clear(&b) == 0);
    CHECK(b100_set(&b, 100) == MK_EINVAL && b100_clear(&b, 100) == MK_EINVAL);
    CHECK(b100_toggle(&b, SIZE_MAX) == MK_EINVAL && !b100_test(&b, 100) && b100_count(&b) == 0);
    CHECK(b100_set(&b, 0) == MK_OK && b100_set(&b, 99) == MK_OK && b100_set(&b, 31) == MK_OK);
    CHECK(b100_set(&b, 32) == MK_OK && b100_set(&b, 32) == MK_OK);
    CHECK(b100_test(&b, 0) && b100_test(&b, 99) && b100_test(&b, 31) && b100_test(&b, 32));
    CHECK(!b100_test(&b, 1) && !b100_test(&b, 98) && b100_count(&b) == 4);
    CHECK(b100_find_first_set(&b) == 0 && b100_find_next_set(&b, 1) == 31);
    CHECK(b100_find_next_set(&b, 33) == 99 && b100_find_next_set(&b, 100) == 100);
    CHECK(b100_find_first_clear(&b) == 1);
    CHECK(b100_toggle(&b, 0) == MK_OK && !b100_test(&b, 0) && b100_find_first_set(&b) == 31);
    CHECK(b100_clear(&b, 99) == MK_OK && b100_find_next_set(&b, 33) == 100);
    b100_set_all(&b);
    CHECK(b100_count(&b) == 100 && b100_find_first_clear(&b) == 100);
    CHECK(b100_clear(&b, 77) == MK_OK && b100_find_first_clear(&b) == 77 && b100_count(&b) == 99);
    b100_clear_all(&b);
    CHECK(b100_count(&b) == 0 && b100_find_first_set(&b) == 100);
}

static void test_small_words(void)
{
    b12 b = { 0 };
    b12_set_all(&b);
    CHECK(b12_count(&b) == 12 && b12_find_first_clear(&b) == 12);
    /* Bits past the size stay clear in storage. */
    unsigned char raw[2];
    memcpy(raw, &b, 2);
    CHECK(raw[0] == 0xFF && raw[1] == 0x0F);
    CHECK(b12_toggle(&b, 11) == MK_OK && b12_find_first_clear(&b) == 11);
    CHECK(b12_toggle(&b, 12) == MK_EINVAL && b12_count(&b) == 11);
    b32h h = { 0 };
    CHECK(b32h_set(&h, 31) == MK_OK && b32h_set(&h, 16) == MK_OK && b32h_count(&h) == 2);
    CHECK(b32h_find_first_set(&h) == 16 && b32h_find_next_set(&h, 17) == 31);
    b32h_set_all(&h);
    CHECK(b32h_count(&h) == 32 && b32h_find_first_clear(&h) == 32);
    mk_bitset_view v = b32h_view(&h);
    CHECK(v.nbits == 32 && v.word_size == 2 && mk_bitset_test(v, 5) && !mk_bitset_test(v, 32));
}

static void test_ext(void)
{
    bx z = { 0 };
    CHECK(bx_size(&z) == 0 && bx_set(&z, 0) == MK_EINVAL && bx_count(&z) == 0);
    CHECK(bx_find_first_set(&z) == 0 && bx_find_first_clear(&z) == 0);
    uint32_t words[3] = { 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF };
    bx b;
    memset(&b, 0x77, sizeof b);
    bx before = b;
    CHECK(bx_init_ext(&b, NULL, 1) == MK_EINVAL);
    CHECK(bx_init_ext(NULL, words, 1) == MK_EINVAL);
    CHECK(bx_init_ext(&b, words, SIZE_MAX) == MK_ERANGE);
    CHECK(memcmp(&b, &before, sizeof b) == 0 && words[0] == 0xFFFFFFFF);
    CHECK(bx_init_ext(&b, words, 65) == MK_OK && bx_count(&b) == 0 && words[2] == 0);
    CHECK(bx_set(&b, 64) == MK_OK && bx_set(&b, 65) == MK_EINVAL && words[2] == 1);
    bx_set_all(&b);
    CHECK(bx_count(&b) == 65 && words[2] == 1);
}

int main(void)
{
    RUN(test_edges);
    RUN(test_small_words);
    RUN(test_ext);
    TEST_MAIN_END();
}
