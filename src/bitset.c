/*
 * The bitset core. Words are read and written as their own type through idx.h, so one
 * copy serves uint8_t, uint16_t and uint32_t words. Bits at or past nbits stay 0 (set_all
 * masks the last word), which lets count and find work a word at a time.
 */
#include "memkit/bitset.h"

#include "internal/bits.h"
#include "internal/idx.h"

/* Helpers take the view by address: on RV32 a view passed by value goes through a copy
 * that GCC makes with memcpy, which the core cannot call. */
static unsigned word_bits(const mk_bitset_view *b) { return 8u * b->word_size; }

static size_t nwords(const mk_bitset_view *b)
{
    return b->nbits / word_bits(b) + (b->nbits % word_bits(b) != 0); /* cannot overflow */
}

static uint32_t get_word(const mk_bitset_view *b, size_t w)
{
    return (uint32_t)mk__idx_get((unsigned char *)b->words + w * b->word_size, b->word_size);
}

static void set_word(const mk_bitset_view *b, size_t w, uint32_t v)
{
    mk__idx_set((unsigned char *)b->words + w * b->word_size, b->word_size, v);
}

/* The bits of word w that belong to the set: all of them but in the last word. */
static uint32_t valid_mask(const mk_bitset_view *b, size_t w)
{
    unsigned bits = word_bits(b);
    size_t tail = b->nbits - w * bits;
    uint32_t all = bits == 32u ? UINT32_MAX : ((uint32_t)1 << bits) - 1u;
    return tail >= bits ? all : ((uint32_t)1 << tail) - 1u;
}

/* Applies op (0 clear, 1 set, 2 toggle) to bit i. */
static mk_err change(const mk_bitset_view *b, size_t i, int op)
{
    if (i >= b->nbits)
        return MK_EINVAL;
    size_t w = i / word_bits(b);
    uint32_t bit = (uint32_t)1 << (i % word_bits(b));
    uint32_t v = get_word(b, w);
    set_word(b, w, op == 0 ? v & ~bit : op == 1 ? v | bit : v ^ bit);
    return MK_OK;
}

mk_err mk_bitset_set(mk_bitset_view b, size_t i) { return change(&b, i, 1); }
mk_err mk_bitset_clear(mk_bitset_view b, size_t i) { return change(&b, i, 0); }
mk_err mk_bitset_toggle(mk_bitset_view b, size_t i) { return change(&b, i, 2); }

bool mk_bitset_test(mk_bitset_view b, size_t i)
{
    return i < b.nbits && (get_word(&b, i / word_bits(&b)) >> (i % word_bits(&b))) & 1u;
}

size_t mk_bitset_count(mk_bitset_view b)
{
    size_t n = 0;
    for (size_t w = 0; w < nwords(&b); w++)
        n += mk__popcount32(get_word(&b, w));
    return n;
}

size_t mk_bitset_find(mk_bitset_view b, size_t from, bool value)
{
    if (from >= b.nbits)
        return b.nbits;
    unsigned bits = word_bits(&b);
    size_t w = from / bits;
    /* Look for set bits: clear bits become set ones by inverting (within the set). */
    uint32_t flip = value ? 0 : UINT32_MAX;
    uint32_t v = ((get_word(&b, w) ^ flip) & valid_mask(&b, w)) >> (from % bits);
    if (v)
        return from + mk__ctz32(v);
    for (w++; w < nwords(&b); w++) {
        v = (get_word(&b, w) ^ flip) & valid_mask(&b, w);
        if (v)
            return w * bits + mk__ctz32(v);
    }
    return b.nbits;
}

void mk_bitset_set_all(mk_bitset_view b)
{
    for (size_t w = 0; w < nwords(&b); w++)
        set_word(&b, w, valid_mask(&b, w));
}

void mk_bitset_clear_all(mk_bitset_view b)
{
    for (size_t w = 0; w < nwords(&b); w++)
        set_word(&b, w, 0);
}
