/* Unit tests for mk_str: every operation, every full/empty edge, the three forms,
 * init_ext's refusals, and the formatter's fixed cases (truncation, errors, the
 * differences from printf the header documents). tests/property/str_prop.c compares
 * the formatter with the host's snprintf. Built plain and with MK_CHECKED=1. */
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "memkit/str.h"
#include "test.h"

MK_STR_DEFINE(s8, 8);
MK_STR_DEFINE_IDX(s15, 15, uint8_t);
MK_STR_DEFINE_EXT(xs);

_Static_assert(sizeof(s15) == 17, "15 characters + NUL + a byte counter");

/* mk_str_vappendf without the compiler's format checking, for formats that are wrong
 * on purpose. */
static mk_err raw_appendf(mk_str_view s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mk_err e = mk_str_vappendf(s, fmt, ap);
    va_end(ap);
    return e;
}

static void test_zero_is_empty(void)
{
    static s8 st;
    s8 s = { 0 };
    CHECK(s8_is_empty(&st) && strcmp(s8_c_str(&st), "") == 0 && s8_cap(&st) == 8);
    CHECK(s8_len(&s) == 0 && !s8_is_full(&s) && s8_equals(&s, "") && !s8_equals(&s, "a"));
    CHECK(!s8_equals(&s, NULL));
    s8_truncate(&s, 3);
    s8_clear(&s);
    CHECK(s8_len(&s) == 0 && s8_c_str(&s)[0] == '\0');
}

static void test_append_push_full(void)
{
    s8 s = { 0 };
    CHECK(s8_append(&s, "abc") == MK_OK && s8_equals(&s, "abc") && s8_len(&s) == 3);
    CHECK(s8_append(&s, "defgxy") == MK_EFULL && s8_equals(&s, "abc")); /* all or nothing */
    CHECK(s8_append(&s, NULL) == MK_EINVAL && s8_len(&s) == 3);
    CHECK(s8_append(&s, "") == MK_OK && s8_len(&s) == 3);
    CHECK(s8_append_n(&s, "defgh", 4) == MK_OK && s8_equals(&s, "abcdefg"));
    CHECK(s8_append_n(&s, "xy", 2) == MK_EFULL && s8_equals(&s, "abcdefg"));
    CHECK(s8_append_n(&s, NULL, 1) == MK_EINVAL && s8_append_n(&s, NULL, 0) == MK_OK);
    CHECK(s8_push(&s, '\0') == MK_EINVAL && s8_len(&s) == 7);
    CHECK(s8_push(&s, 'h') == MK_OK && s8_is_full(&s) && s8_equals(&s, "abcdefgh"));
    CHECK(s8_push(&s, 'i') == MK_EFULL && s8_append(&s, "") == MK_OK);
    CHECK(strlen(s8_c_str(&s)) == 8);
    CHECK(!s8_equals(&s, "abcdefg") && !s8_equals(&s, "abcdefghi") && !s8_equals(&s, "abcdefgX"));
    s8_truncate(&s, 9);
    CHECK(s8_len(&s) == 8);
    s8_truncate(&s, 2);
    CHECK(s8_equals(&s, "ab") && strcmp(s8_c_str(&s), "ab") == 0);
    s8_clear(&s);
    CHECK(s8_is_empty(&s) && strcmp(s8_c_str(&s), "") == 0);
    /* Appending exactly the room left is fine; the measure stops one past it. */
    CHECK(s8_append(&s, "12345678") == MK_OK && s8_is_full(&s));
}

static void test_appendf(void)
{
    s15 s = { 0 };
    CHECK(s15_appendf(&s, "%d-%s", 42, "ok") == MK_OK && s15_equals(&s, "42-ok"));
    /* Truncation keeps the prefix that fits, like snprintf, and says so. */
    CHECK(s15_appendf(&s, "[%010x]", 0xBEEFu) == MK_EFULL);
    CHECK(s15_equals(&s, "42-ok[000000bee") && s15_len(&s) == 15);
    CHECK(s15_appendf(&s, "%c", 'A') == MK_EFULL && s15_equals(&s, "42-ok[000000bee"));
    s15_truncate(&s, 5);
    CHECK(s15_appendf(&s, "[%08x]", 0xBEEFu) == MK_OK && s15_equals(&s, "42-ok[0000beef]"));
    CHECK(s15_is_full(&s) && s15_appendf(&s, "%s", "") == MK_OK);
    CHECK(s15_appendf(&s, "x") == MK_EFULL && s15_len(&s) == 15);
    s15_clear(&s);
    /* An unknown directive changes nothing, even after output was written. */
    CHECK(s15_append(&s, "keep") == MK_OK);
    CHECK(raw_appendf(s15_view(&s), "abc%qd", 1) == MK_EINVAL && s15_equals(&s, "keep"));
    CHECK(raw_appendf(s15_view(&s), "%f", 1.0) == MK_EINVAL && s15_equals(&s, "keep"));
    CHECK(raw_appendf(s15_view(&s), "%n", (int *)NULL) == MK_EINVAL);
    CHECK(raw_appendf(s15_view(&s), "%", 0) == MK_EINVAL && s15_equals(&s, "keep"));
    CHECK(raw_appendf(s15_view(&s), "%ls", (const char *)NULL) == MK_EINVAL);
    CHECK(raw_appendf(s15_view(&s), NULL) == MK_EINVAL && s15_equals(&s, "keep"));
    s15_clear(&s);
    /* Where this formatter defines what C leaves undefined. */
    CHECK(raw_appendf(s15_view(&s), "%s|%p", (const char *)NULL, (void *)NULL) == MK_OK);
    CHECK(s15_equals(&s, "(null)|0x0"));
    s15_clear(&s);
    /* A huge width is padding that stops at the end of the string. */
    CHECK(raw_appendf(s15_view(&s), "%99999999999999999999d", 5) == MK_EFULL);
    CHECK(s15_len(&s) == 15 && s15_c_str(&s)[14] == ' ');
    s15_clear(&s);
    CHECK(s15_appendf(&s, "%*d|%-*d|", -3, 1, 2, 2) == MK_OK && s15_equals(&s, "1  |2 |"));
}

static void test_ext(void)
{
    xs z = { 0 }; /* all zero: "" with capacity 0 */
    CHECK(xs_cap(&z) == 0 && xs_is_full(&z) && strcmp(xs_c_str(&z), "") == 0);
    CHECK(xs_push(&z, 'a') == MK_EFULL && xs_append(&z, "") == MK_OK);
    CHECK(xs_appendf(&z, "%d", 1) == MK_EFULL && raw_appendf(xs_view(&z), "") == MK_OK);
    CHECK(xs_equals(&z, "") && xs_len(&z) == 0);
    xs_clear(&z);
    xs_truncate(&z, 0);

    char buf[6] = "XXXXX";
    xs s;
    memset(&s, 0xA5, sizeof s);
    xs before = s;
    CHECK(xs_init_ext(&s, NULL, 4) == MK_EINVAL && xs_init_ext(&s, buf, 0) == MK_EINVAL);
    CHECK(xs_init_ext(NULL, buf, sizeof buf) == MK_EINVAL);
    CHECK(xs_init_ext(&s, buf, SIZE_MAX) == MK_ERANGE);
    CHECK(xs_init_ext(&s, buf, (size_t)PTRDIFF_MAX + 1u) == MK_ERANGE);
    CHECK(memcmp(&s, &before, sizeof s) == 0 && buf[0] == 'X');
    CHECK(xs_init_ext(&s, buf, sizeof buf) == MK_OK && buf[0] == '\0' && xs_cap(&s) == 5);
    CHECK(xs_appendf(&s, "%u", 123456u) == MK_EFULL && strcmp(buf, "12345") == 0);
    CHECK(xs_c_str(&s) == buf && xs_is_full(&s));
    mk_str_view w = xs_view(&s);
    CHECK(w.cap == 5 && mk_str_len(w) == 5 && mk_str_equals(w, "12345"));
    mk_str_truncate(w, 1);
    CHECK(strcmp(buf, "1") == 0 && xs_len(&s) == 1);
    mk_str_clear(w);
    CHECK(buf[0] == '\0' && xs_is_empty(&s));
}

int main(void)
{
    printf("sizeof: s15 %zu, s8 %zu, xs %zu\n", sizeof(s15), sizeof(s8), sizeof(xs));
    RUN(test_zero_is_empty);
    RUN(test_append_push_full);
    RUN(test_appendf);
    RUN(test_ext);
    TEST_MAIN_END();
}
