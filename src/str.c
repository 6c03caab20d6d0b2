/*
 * The bounded string core and its printf-style formatter. Characters [0, len) are the
 * string and data[len] is always NUL, so c_str needs no work; every operation writes
 * the NUL before it updates the length.
 */
#include "memkit/str.h"

#include <limits.h>

#include "internal/idx.h"
#include "internal/mem.h"

/* Helpers take the view by address: on RV32 a view passed by value goes through a copy
 * that GCC makes with memcpy, which the core cannot call. */

static size_t get_len(const mk_str_view *s)
{
    size_t len = mk__idx_get(s->len, s->idx_size);
    MK_ASSERT(len <= s->cap);
    return len;
}

/* Ends the string at n characters. */
static void set_len(const mk_str_view *s, size_t n)
{
    s->data[n] = '\0';
    mk__idx_set(s->len, s->idx_size, n);
}

static mk_err append(const mk_str_view *s, const char *p, size_t n)
{
    size_t len = get_len(s);
    if (!p && n > 0)
        return MK_EINVAL;
    if (n > s->cap - len)
        return MK_EFULL;
    if (n == 0)
        return MK_OK; /* data may be NULL in an all-zero _EXT string */
    mk__copy(s->data + len, p, n);
    set_len(s, len + n);
    return MK_OK;
}

mk_err mk_str_append_n(mk_str_view s, const char *p, size_t n)
{
    return append(&s, p, n);
}

mk_err mk_str_append(mk_str_view s, const char *cstr)
{
    if (!cstr)
        return MK_EINVAL;
    /* Measure no further than one past the room left: that already proves it too long. */
    size_t room = s.cap - get_len(&s);
    size_t n = 0;
    while (n <= room && cstr[n])
        n++;
    return append(&s, cstr, n);
}

mk_err mk_str_push(mk_str_view s, char c)
{
    if (c == '\0')
        return MK_EINVAL;
    return append(&s, &c, 1);
}

const char *mk_str_c_str(mk_str_view s)
{
    return s.data ? s.data : "";
}

size_t mk_str_len(mk_str_view s)
{
    return get_len(&s);
}

bool mk_str_equals(mk_str_view s, const char *cstr)
{
    if (!cstr)
        return false;
    const char *mine = s.data ? s.data : "";
    size_t len = get_len(&s);
    for (size_t i = 0; i < len; i++)
        if (mine[i] != cstr[i])
            return false; /* also stops at a shorter cstr's NUL */
    return cstr[len] == '\0';
}

void mk_str_truncate(mk_str_view s, size_t n)
{
    if (n < get_len(&s))
        set_len(&s, n);
}

void mk_str_clear(mk_str_view s)
{
    if (s.data)
        set_len(&s, 0);
}

/* ---- the formatter ------------------------------------------------------------------ */

/* Where formatted output goes: straight into the string, stopping when it is full. */
typedef struct sink {
    char *buf;
    size_t len, cap;
    bool full; /* a character did not fit */
} sink;

static void put(sink *o, char c)
{
    if (o->len < o->cap)
        o->buf[o->len++] = c;
    else
        o->full = true;
}

/* n copies of c; stops as soon as the string is full, so a huge width costs nothing. */
static void pad(sink *o, char c, size_t n)
{
    for (; n > 0 && !o->full; n--)
        put(o, c);
}

static void put_n(sink *o, const char *p, size_t n)
{
    for (size_t i = 0; i < n && !o->full; i++)
        put(o, p[i]);
}

enum { F_LEFT = 1, F_ZERO = 2, F_PLUS = 4, F_SPACE = 8, F_ALT = 16 };

/* One directive's flags, width and precision (prec < 0: none given). */
typedef struct spec {
    unsigned flags;
    size_t width;
    long prec;
} spec;

/* Emits body (n characters) right- or left-aligned in the width, after `prefix`
 * (sign, 0x) and `zeros` leading zeros. */
static void emit(sink *o, const spec *sp, const char *prefix, size_t zeros, const char *body,
                 size_t n)
{
    size_t plen = 0;
    while (prefix[plen])
        plen++;
    size_t total = plen + zeros + n;
    size_t fill = sp->width > total ? sp->width - total : 0;
    if (fill && (sp->flags & (F_ZERO | F_LEFT)) == F_ZERO && sp->prec < 0) {
        zeros += fill; /* the 0 flag pads with zeros between the prefix and the digits */
        fill = 0;
    }
    if (!(sp->flags & F_LEFT))
        pad(o, ' ', fill);
    put_n(o, prefix, plen);
    pad(o, '0', zeros);
    put_n(o, body, n);
    if (sp->flags & F_LEFT)
        pad(o, ' ', fill);
}

/* An integer conversion: v is the magnitude, neg its sign (d and i only). */
static void emit_int(sink *o, const spec *sp, uintmax_t v, bool neg, unsigned base, bool upper,
                     bool is_ptr)
{
    char digits[sizeof(uintmax_t) * 3]; /* octal needs 22 for 64 bits */
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    size_t n = 0;
    bool zero = v == 0;
    /* Precision 0 prints no digits for 0; %p always shows its digits. */
    if (!zero || sp->prec != 0 || is_ptr) {
        do {
            digits[sizeof digits - ++n] = set[v % base];
            v /= base;
        } while (v);
    }
    size_t zeros = sp->prec > 0 && (size_t)sp->prec > n ? (size_t)sp->prec - n : 0;
    const char *prefix = "";
    if (base == 10)
        prefix = neg ? "-" : sp->flags & F_PLUS ? "+" : sp->flags & F_SPACE ? " " : "";
    else if (is_ptr || (base == 16 && (sp->flags & F_ALT) && !zero))
        prefix = upper ? "0X" : "0x";
    else if (base == 8 && (sp->flags & F_ALT) && zeros == 0 &&
             (n == 0 || digits[sizeof digits - n] != '0'))
        zeros = 1; /* # makes the first octal digit a 0 */
    emit(o, sp, prefix, zeros, digits + sizeof digits - n, n);
}

enum { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_J, LEN_T };

/* Reads a signed argument of the given length as intmax_t. */
static intmax_t arg_signed(va_list *ap, int len)
{
    switch (len) {
    case LEN_HH: return (signed char)va_arg(*ap, int);
    case LEN_H: return (short)va_arg(*ap, int);
    case LEN_L: return va_arg(*ap, long);
    case LEN_LL: return va_arg(*ap, long long);
    case LEN_Z: return (intmax_t)(ptrdiff_t)va_arg(*ap, size_t);
    case LEN_J: return va_arg(*ap, intmax_t);
    case LEN_T: return va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, int);
    }
}

/* Reads an unsigned argument of the given length as uintmax_t. */
static uintmax_t arg_unsigned(va_list *ap, int len)
{
    switch (len) {
    case LEN_HH: return (unsigned char)va_arg(*ap, unsigned);
    case LEN_H: return (unsigned short)va_arg(*ap, unsigned);
    case LEN_L: return va_arg(*ap, unsigned long);
    case LEN_LL: return va_arg(*ap, unsigned long long);
    case LEN_Z: return va_arg(*ap, size_t);
    case LEN_J: return va_arg(*ap, uintmax_t);
    case LEN_T: return (size_t)va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, unsigned);
    }
}

/* A decimal number in the format; saturates rather than overflow (widths past what
 * fits are only padding that stops at the end of the string anyway). */
static size_t parse_num(const char **f)
{
    size_t v = 0;
    while (**f >= '0' && **f <= '9') {
        unsigned d = (unsigned)(**f - '0');
        v = v > (SIZE_MAX - d) / 10u ? SIZE_MAX : v * 10u + d;
        (*f)++;
    }
    return v;
}

static int parse_length(const char **f)
{
    const char *p = *f;
    int len = LEN_NONE;
    switch (*p) {
    case 'h': len = p[1] == 'h' ? LEN_HH : LEN_H; break;
    case 'l': len = p[1] == 'l' ? LEN_LL : LEN_L; break;
    case 'z': len = LEN_Z; break;
    case 'j': len = LEN_J; break;
    case 't': len = LEN_T; break;
    default: return LEN_NONE;
    }
    *f += len == LEN_HH || len == LEN_LL ? 2 : 1;
    return len;
}

/* Formats one directive (f points after the '%') and advances f past it. Returns false
 * for a directive it does not know. */
static bool directive(sink *o, const char **f, va_list *ap)
{
    spec sp = { 0, 0, -1 };
    for (;; (*f)++) {
        unsigned flag = **f == '-' ? F_LEFT : **f == '0' ? F_ZERO : **f == '+' ? F_PLUS
                      : **f == ' ' ? F_SPACE : **f == '#' ? F_ALT : 0;
        if (!flag)
            break;
        sp.flags |= flag;
    }
    if (**f == '*') {
        int w = va_arg(*ap, int);
        (*f)++;
        if (w < 0) {
            sp.flags |= F_LEFT; /* a negative * width is the - flag and its magnitude */
            sp.width = (size_t)-(long long)w;
        } else {
            sp.width = (size_t)w;
        }
    } else {
        sp.width = parse_num(f);
    }
    if (**f == '.') {
        (*f)++;
        if (**f == '*') {
            int p = va_arg(*ap, int);
            (*f)++;
            sp.prec = p < 0 ? -1 : p; /* a negative * precision is as if none were given */
        } else {
            size_t p = parse_num(f);
            sp.prec = p > LONG_MAX ? LONG_MAX : (long)p;
        }
    }
    int len = parse_length(f);
    char conv = **f;
    if (conv)
        (*f)++; /* never past the format's NUL: a lone '%' at the end is an error */
    switch (conv) {
    case 'd':
    case 'i': {
        intmax_t v = arg_signed(ap, len);
        uintmax_t mag = v < 0 ? 0u - (uintmax_t)v : (uintmax_t)v;
        emit_int(o, &sp, mag, v < 0, 10, false, false);
        return true;
    }
    case 'u':
        sp.flags &= ~(unsigned)(F_PLUS | F_SPACE); /* signs are for d and i only */
        emit_int(o, &sp, arg_unsigned(ap, len), false, 10, false, false);
        return true;
    case 'o': emit_int(o, &sp, arg_unsigned(ap, len), false, 8, false, false); return true;
    case 'x': emit_int(o, &sp, arg_unsigned(ap, len), false, 16, false, false); return true;
    case 'X': emit_int(o, &sp, arg_unsigned(ap, len), false, 16, true, false); return true;
    case 'p':
        if (len != LEN_NONE)
            return false;
        sp.flags &= ~(unsigned)(F_ZERO | F_PLUS | F_SPACE);
        emit_int(o, &sp, (uintptr_t)va_arg(*ap, void *), false, 16, false, true);
        return true;
    case 'c': {
        if (len != LEN_NONE)
            return false;
        char c = (char)va_arg(*ap, int);
        sp.flags &= ~(unsigned)F_ZERO;
        emit(o, &sp, "", 0, &c, 1);
        return true;
    }
    case 's': {
        if (len != LEN_NONE)
            return false;
        const char *str = va_arg(*ap, const char *);
        if (!str)
            str = "(null)";
        /* Read no further than the precision: the argument need not be NUL-terminated. */
        size_t n = 0;
        while ((sp.prec < 0 || n < (size_t)sp.prec) && str[n])
            n++;
        sp.flags &= ~(unsigned)F_ZERO;
        sp.prec = -1;
        emit(o, &sp, "", 0, str, n);
        return true;
    }
    case '%':
        if (len != LEN_NONE)
            return false;
        put(o, '%');
        return true;
    default:
        return false;
    }
}

static mk_err vappendf(const mk_str_view *s, const char *fmt, va_list ap)
{
    if (!fmt)
        return MK_EINVAL;
    size_t start = get_len(s);
    sink o = { s->data, start, s->cap, false };
    va_list args;
    va_copy(args, ap);
    bool known = true;
    while (*fmt && known && !o.full) {
        if (*fmt != '%') {
            put(&o, *fmt++);
            continue;
        }
        fmt++;
        known = directive(&o, &fmt, &args);
    }
    va_end(args);
    if (!known) {
        if (s->data)
            set_len(s, start); /* undo what earlier directives wrote */
        return MK_EINVAL;
    }
    if (s->data)
        set_len(s, o.len);
    return o.full ? MK_EFULL : MK_OK;
}

mk_err mk_str_vappendf(mk_str_view s, const char *fmt, va_list ap)
{
    return vappendf(&s, fmt, ap);
}

mk_err mk_str_appendf(mk_str_view s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mk_err e = vappendf(&s, fmt, ap);
    va_end(ap);
    return e;
}
