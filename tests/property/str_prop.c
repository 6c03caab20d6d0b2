/* Property test: the formatter against the host's snprintf. Each round builds a random
 * directive (flags, width and precision as digits or *, a length modifier, a conversion)
 * between random literal text, draws a value of the argument's type (edge values
 * often), and appends it to a string that already holds a random prefix, with a random
 * capacity. The result must be the prefix plus snprintf's output, cut to the capacity;
 * MK_EFULL exactly when it was cut. Then random append/push/truncate/clear sequences
 * against a char-array model.
 * Usage: str_prop [rounds]   (default 300,000) */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "memkit/str.h"
#include "test.h"

MK_STR_DEFINE_EXT(xs);

static unsigned long long rng;

static uint64_t edge_or_random(void)
{
    static const uint64_t edges[] = { 0, 1, 7, 8, 9, 10, 15, 16, 127, 128, 255, 256,
                                      32767, 32768, 65535, 65536, INT32_MAX,
                                      (uint64_t)INT32_MAX + 1, UINT32_MAX,
                                      (uint64_t)UINT32_MAX + 1, INT64_MAX,
                                      (uint64_t)INT64_MAX + 1, UINT64_MAX, UINT64_MAX - 1 };
    switch (test_range(&rng, 0, 3)) {
    case 0: return edges[test_range(&rng, 0, sizeof edges / sizeof edges[0] - 1)];
    case 1: return test_rand(&rng) & 0xFF;
    case 2: return test_rand(&rng) >> test_range(&rng, 0, 63);
    default: return test_rand(&rng);
    }
}

static void random_text(char *out, size_t max)
{
    size_t n = test_range(&rng, 0, max);
    for (size_t i = 0; i < n; i++)
        out[i] = (char)test_range(&rng, 'a', 'z');
    out[n] = '\0';
}

/* Both formatters on the same arguments: the host into want, memkit onto the string. */
#define BOTH(...)                                                                        \
    do {                                                                                 \
        wlen = snprintf(want, sizeof want, fmt, __VA_ARGS__);                            \
        err = mk_str_appendf(w, fmt, __VA_ARGS__);                                       \
    } while (0)
/* ... with the * arguments the directive asked for in front of the value. */
#define WITH_STARS(value)                                                                \
    do {                                                                                 \
        if (stars == 0)                                                                  \
            BOTH(value);                                                                 \
        else if (stars == 1)                                                             \
            BOTH(star1, value);                                                          \
        else                                                                             \
            BOTH(star1, star2, value);                                                   \
    } while (0)

#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
#endif

static int round_once(unsigned long round)
{
    static const char *const convs = "diuxXocsp%";
    static const char *const lens[] = { "", "hh", "h", "l", "ll", "z", "j", "t" };
    char fmt[64], pre[16], post[16], dir[32], want[512], start[40];
    char conv = convs[test_range(&rng, 0, 9)];
    size_t d = 0;
    dir[d++] = '%';
    /* C defines only '-' for c, s and p (glibc's %p with other flags differs from
     * memkit's documented form); % takes nothing. */
    const char *flag_chars = strchr("csp", conv) ? "-" : conv == '%' ? "" : "-0+ #";
    for (const char *f = flag_chars; *f; f++)
        if (test_range(&rng, 0, 3) == 0)
            dir[d++] = *f;
    int stars = 0, star1 = 0, star2 = 0;
    bool star_w = false;
    switch (test_range(&rng, 0, 3)) {
    case 0: break;
    case 1: d += (size_t)sprintf(dir + d, "%d", (int)test_range(&rng, 0, 30)); break;
    default:
        dir[d++] = '*';
        star_w = true;
        star1 = (int)test_range(&rng, 0, 50) - 25;
        stars++;
    }
    /* C leaves precision undefined for c, p and %. */
    bool prec_ok = conv != 'c' && conv != 'p' && conv != '%';
    if (prec_ok && test_range(&rng, 0, 2) == 0) {
        dir[d++] = '.';
        switch (test_range(&rng, 0, 2)) {
        case 0: break; /* "." alone is precision 0 */
        case 1: d += (size_t)sprintf(dir + d, "%d", (int)test_range(&rng, 0, 30)); break;
        default:
            dir[d++] = '*';
            *(star_w ? &star2 : &star1) = (int)test_range(&rng, 0, 40) - 10;
            stars++;
        }
    }
    const char *len = "";
    if (strchr("diuxXo", conv))
        len = lens[test_range(&rng, 0, 7)];
    d += (size_t)sprintf(dir + d, "%s%c", len, conv);
    dir[d] = '\0';
    if (conv == '%') {
        strcpy(dir, "%%");
        stars = 0;
    }
    random_text(pre, 5);
    random_text(post, 5);
    snprintf(fmt, sizeof fmt, "%s%s%s", pre, dir, post);

    /* The string: a random capacity and a random prefix already in it. */
    char storage[200];
    size_t cap = test_range(&rng, 0, 120);
    xs s;
    REQUIRE(xs_init_ext(&s, storage, cap + 1) == MK_OK);
    random_text(start, cap < 20 ? cap : 20);
    REQUIRE(xs_append(&s, start) == MK_OK);
    mk_str_view w = xs_view(&s);

    int wlen = 0;
    mk_err err = MK_OK;
    uint64_t v = edge_or_random();
    static char text[40];
    switch (conv) {
    case 'd':
    case 'i':
        if (!strcmp(len, "hh") || !strcmp(len, "h") || !*len) WITH_STARS((int)v);
        else if (!strcmp(len, "l")) WITH_STARS((long)v);
        else if (!strcmp(len, "ll")) WITH_STARS((long long)v);
        else if (!strcmp(len, "z")) WITH_STARS((ptrdiff_t)v); /* signed size_t */
        else if (!strcmp(len, "j")) WITH_STARS((intmax_t)v);
        else WITH_STARS((ptrdiff_t)v);
        break;
    case 'u':
    case 'x':
    case 'X':
    case 'o':
        if (!strcmp(len, "hh") || !strcmp(len, "h") || !*len) WITH_STARS((unsigned)v);
        else if (!strcmp(len, "l")) WITH_STARS((unsigned long)v);
        else if (!strcmp(len, "ll")) WITH_STARS((unsigned long long)v);
        else if (!strcmp(len, "z")) WITH_STARS((size_t)v);
        else if (!strcmp(len, "j")) WITH_STARS((uintmax_t)v);
        else WITH_STARS((ptrdiff_t)v);
        break;
    case 'c': {
        int c = (int)test_range(&rng, 32, 126);
        WITH_STARS(c);
        break;
    }
    case 's':
        random_text(text, 30);
        WITH_STARS((const char *)text);
        break;
    case 'p': WITH_STARS((void *)(uintptr_t)(v | 1)); break; /* non-NULL: glibc says (nil) */
    default:
        wlen = snprintf(want, sizeof want, fmt, 0);
        err = mk_str_appendf(w, fmt, 0);
    }
    REQUIRE(wlen >= 0 && (size_t)wlen < sizeof want);
    char expect[700];
    snprintf(expect, sizeof expect, "%s%s", start, want);
    bool cut = strlen(expect) > cap;
    expect[cut ? cap : strlen(expect)] = '\0';
    bool ok = err == (cut ? MK_EFULL : MK_OK) && strcmp(xs_c_str(&s), expect) == 0 &&
              xs_len(&s) == strlen(expect);
    CHECK(ok);
    if (!ok)
        printf("round %lu: format \"%s\" (stars %d %d) cap %zu: got \"%s\" (%s), want \"%s\"\n",
               round, fmt, star1, star2, cap, xs_c_str(&s), mk_strerror(err), expect);
    return ok;
}

/* Random edits against a char array. */
static void edits(unsigned long n)
{
    char buf[33], model[64];
    xs s;
    REQUIRE(xs_init_ext(&s, buf, sizeof buf) == MK_OK);
    size_t mlen = 0;
    for (unsigned long i = 0; i < n; i++) {
        char t[12];
        random_text(t, 11);
        size_t tl = strlen(t);
        switch (test_range(&rng, 0, 4)) {
        case 0: {
            mk_err e = xs_append(&s, t);
            CHECK(e == (mlen + tl > 32 ? MK_EFULL : MK_OK));
            if (e == MK_OK) {
                memcpy(model + mlen, t, tl);
                mlen += tl;
            }
            break;
        }
        case 1: {
            size_t k = test_range(&rng, 0, tl);
            mk_err e = xs_append_n(&s, t, k);
            CHECK(e == (mlen + k > 32 ? MK_EFULL : MK_OK));
            if (e == MK_OK) {
                memcpy(model + mlen, t, k);
                mlen += k;
            }
            break;
        }
        case 2:
            CHECK(xs_push(&s, 'Q') == (mlen == 32 ? MK_EFULL : MK_OK));
            if (mlen < 32)
                model[mlen++] = 'Q';
            break;
        case 3: {
            size_t k = test_range(&rng, 0, 40);
            xs_truncate(&s, k);
            mlen = k < mlen ? k : mlen;
            break;
        }
        default:
            if (test_range(&rng, 0, 10) == 0) {
                xs_clear(&s);
                mlen = 0;
            }
        }
        model[mlen] = '\0';
        CHECK(xs_len(&s) == mlen && strcmp(xs_c_str(&s), model) == 0 && xs_equals(&s, model));
    }
}

int main(int argc, char **argv)
{
    unsigned long rounds = argc > 1 ? strtoul(argv[1], NULL, 10) : 300000;
    rng = 0x243F6A8885A308D3ull;
    unsigned long bad = 0;
    for (unsigned long r = 0; r < rounds && bad < 20; r++)
        bad += !round_once(r);
    edits(rounds / 2);
    printf("%lu formats compared with snprintf\n", rounds);
    TEST_MAIN_END();
}
