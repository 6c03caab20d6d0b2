/*
 * mk_str: a bounded string that never allocates and is always NUL-terminated.
 *
 * Contents
 *   mk_str_view ........ the erased view: characters, counter, capacity
 *   mk_str_* ........... the core and its formatter (src/str.c)
 *   MK_STR_DEFINE ....... MK_STR_DEFINE(name, N): N characters + NUL inside
 *   MK_STR_DEFINE_IDX ... the same with a narrower counter (uint8_t, uint16_t)
 *   MK_STR_DEFINE_EXT ... MK_STR_DEFINE_EXT(name): over a char buffer the caller lends
 *
 * Exception to docs/containers.md: the element type is always char, so the macros take
 * no T. Capacity N means N characters; the storage is N + 1 bytes, the last for the
 * NUL, so a string of capacity N holds any C string of length <= N.
 *
 * Options read: none.
 *
 * The typed functions MK_STR_DEFINE(name, N) generates, with their cost:
 *   mk_err name_append(name *s, const char *cstr)     all or nothing; MK_EFULL O(len(cstr))
 *   mk_err name_append_n(name *s, const char *p, size_t n)   all or nothing       O(n)
 *   mk_err name_push(name *s, char c)                  MK_EFULL when full        O(1)
 *   mk_err name_appendf(name *s, const char *fmt, ...) printf-style; on MK_EFULL the
 *                                                      prefix that fits is kept  O(output)
 *   void   name_clear(name *s), name_truncate(name *s, size_t n)                 O(1)
 *   const char *name_c_str(const name *s)              never NULL                O(1)
 *   size_t name_len(const name *s), name_cap(const name *s)                      O(1)
 *   bool   name_is_empty(const name *s), name_is_full(const name *s)             O(1)
 *   bool   name_equals(const name *s, const char *cstr)                          O(len)
 *   mk_str_view name_view(name *s)                                               O(1)
 * and for _EXT: mk_err name_init_ext(name *s, char *buf, size_t size).
 *
 * The formatter (mk_str_vappendf) needs no libc. It knows the conversions d i u x X o c
 * s p %, the flags - 0 + space #, a width and a precision (digits or *), and the length
 * modifiers hh h l ll z j t, with the C standard's meaning. Differences: %s of NULL
 * prints "(null)"; %p prints "0x" and lowercase hex digits (NULL is "0x0"); floating
 * point, %n and anything else give MK_EINVAL.
 *
 * sizeof: MK_STR_DEFINE_IDX(x, 15, uint8_t) is 17 on every target; MK_STR_DEFINE(x, N)
 * is 4 + N + 1 rounded up to 4; MK_STR_DEFINE_EXT is 3 pointers.
 */
#ifndef MEMKIT_STR_H
#define MEMKIT_STR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memkit/container.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define MK__PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define MK__PRINTF_LIKE(fmt, args)
#endif

/* Where a string keeps its characters and its length. Passed by value. The core trusts
 * a view: data holds cap + 1 bytes, len points at an unsigned counter of idx_size bytes
 * (1, 2, 4 or 8) holding <= cap, and data[len] is NUL. data may be NULL only when cap is
 * 0 (an all-zero _EXT string). */
typedef struct mk_str_view {
    char *data;             /* character 0; data[len] == '\0' */
    void *len;              /* the container's length counter, idx_size bytes */
    size_t cap;             /* characters that fit, not counting the NUL */
    unsigned char idx_size; /* 1, 2, 4 or 8: the counter's type */
} mk_str_view;

/* Appends the C string cstr, all or nothing. Returns MK_OK; MK_EFULL when it does not
 * fit; MK_EINVAL when cstr is NULL. On failure nothing changes. O(strlen(cstr)), reading
 * at most cap - len + 1 characters of cstr. */
mk_err mk_str_append(mk_str_view s, const char *cstr);

/* Appends the n characters at p (which should hold no NUL), all or nothing. Returns
 * MK_OK; MK_EFULL when they do not fit; MK_EINVAL when p is NULL and n > 0. On failure
 * nothing changes. O(n). */
mk_err mk_str_append_n(mk_str_view s, const char *p, size_t n);

/* Appends the character c (not NUL). Returns MK_OK; MK_EFULL when full; MK_EINVAL when
 * c is NUL. On failure nothing changes. O(1). */
mk_err mk_str_push(mk_str_view s, char c);

/* Appends fmt formatted with ap (see the top of this file for what it accepts). Returns
 * MK_OK; MK_EFULL when the output does not fit: then the longest prefix that fits is
 * kept (as snprintf does) and the string is full and NUL-terminated; MK_EINVAL when fmt
 * is NULL or holds a directive the formatter does not know: then nothing changes.
 * O(length of the output, up to what fits) plus O(length of fmt). */
mk_err mk_str_vappendf(mk_str_view s, const char *fmt, va_list ap);

/* mk_str_vappendf with its arguments inline. */
mk_err mk_str_appendf(mk_str_view s, const char *fmt, ...) MK__PRINTF_LIKE(2, 3);

/* The characters, NUL-terminated; "" for an all-zero _EXT string. Never NULL. O(1). */
const char *mk_str_c_str(mk_str_view s);

/* Characters held now (the NUL not counted). O(1). */
size_t mk_str_len(mk_str_view s);

/* True when the string holds exactly the C string cstr (false for NULL). O(len). */
bool mk_str_equals(mk_str_view s, const char *cstr);

/* Shortens the string to n characters; does nothing when n >= len. O(1). */
void mk_str_truncate(mk_str_view s, size_t n);

/* Sets the length to 0 (the string becomes ""). O(1). */
void mk_str_clear(mk_str_view s);

/* ---- typed wrappers ----------------------------------------------------------------- */

/* The functions shared by the three forms; each defines name##_cap and the struct with
 * fields `len` (of type IDX) and `data` (a char array or pointer). */
#define MK__STR_FUNCS(name, IDX)                                                        \
    /* The erased view of s. O(1). */                                                   \
    MK__MAYBE_UNUSED static inline mk_str_view name##_view(name *mk__s)                 \
    {                                                                                   \
        mk_str_view mk__w = { mk__s->data, &mk__s->len, name##_cap(mk__s),              \
                              (unsigned char)sizeof(IDX) };                             \
        return mk__w;                                                                   \
    }                                                                                   \
    MK__CONTAINER_LEN_FUNCS(name, len)                                                  \
    /* The NUL-terminated characters; never NULL. O(1). */                              \
    MK__MAYBE_UNUSED static inline const char *name##_c_str(const name *mk__s)          \
    {                                                                                   \
        return mk_str_c_str(name##_view((name *)mk__s));                                \
    }                                                                                   \
    /* Appends cstr, all or nothing: MK_OK, MK_EFULL, MK_EINVAL (NULL). O(n). */        \
    MK__MAYBE_UNUSED static inline mk_err name##_append(name *mk__s,                    \
                                                        const char *mk__cstr)           \
    {                                                                                   \
        return mk_str_append(name##_view(mk__s), mk__cstr);                             \
    }                                                                                   \
    /* Appends n characters at p, all or nothing: MK_OK, MK_EFULL, MK_EINVAL. O(n). */  \
    MK__MAYBE_UNUSED static inline mk_err name##_append_n(name *mk__s,                  \
                                                          const char *mk__p,            \
                                                          size_t mk__n)                 \
    {                                                                                   \
        return mk_str_append_n(name##_view(mk__s), mk__p, mk__n);                       \
    }                                                                                   \
    /* Appends c: MK_OK, MK_EFULL, MK_EINVAL (c == NUL). O(1). */                       \
    MK__MAYBE_UNUSED static inline mk_err name##_push(name *mk__s, char mk__c)          \
    {                                                                                   \
        return mk_str_push(name##_view(mk__s), mk__c);                                  \
    }                                                                                   \
    /* printf-style append: MK_OK; MK_EFULL keeping the prefix that fits; MK_EINVAL     \
     * (unknown directive; nothing changes). O(output). */                              \
    MK__MAYBE_UNUSED MK__PRINTF_LIKE(2, 3) static inline mk_err name##_appendf(         \
        name *mk__s, const char *mk__fmt, ...)                                          \
    {                                                                                   \
        va_list mk__ap;                                                                 \
        va_start(mk__ap, mk__fmt);                                                      \
        mk_err mk__e = mk_str_vappendf(name##_view(mk__s), mk__fmt, mk__ap);            \
        va_end(mk__ap);                                                                 \
        return mk__e;                                                                   \
    }                                                                                   \
    /* True when s holds exactly cstr (false for NULL). O(len). */                      \
    MK__MAYBE_UNUSED static inline bool name##_equals(const name *mk__s,                \
                                                      const char *mk__cstr)             \
    {                                                                                   \
        return mk_str_equals(name##_view((name *)mk__s), mk__cstr);                     \
    }                                                                                   \
    /* Keeps the first n characters; does nothing when n >= len. O(1). */               \
    MK__MAYBE_UNUSED static inline void name##_truncate(name *mk__s, size_t mk__n)      \
    {                                                                                   \
        mk_str_truncate(name##_view(mk__s), mk__n);                                     \
    }                                                                                   \
    /* Makes the string "". O(1). */                                                    \
    MK__MAYBE_UNUSED static inline void name##_clear(name *mk__s)                       \
    {                                                                                   \
        mk_str_clear(name##_view(mk__s));                                               \
    }

/* Declares `name`, a string of up to N characters (plus the NUL) stored inside, whose
 * length counter has type IDX, and the typed functions listed at the top of this file.
 * All-zero bytes are the empty string "": no init call needed. Fields are private.
 * Invariant: len <= N and data[len] == '\0'. Use at file scope, then `;`. */
#define MK_STR_DEFINE_IDX(name, N, IDX)                                                 \
    MK__CONTAINER_ASSERTS("MK_STR_DEFINE", N, 1, IDX);                                  \
    _Static_assert((N) < (size_t)PTRDIFF_MAX, "MK_STR_DEFINE: no room for the NUL");    \
    typedef struct name {                                                               \
        IDX len;         /* characters held: empty when 0, full when N */               \
        char data[(N) + 1]; /* data[len] == '\0' */                                     \
    } name;                                                                             \
    MK__CONTAINER_CAP_N(name, N)                                                        \
    MK__STR_FUNCS(name, IDX)                                                            \
    _Static_assert(sizeof(name) > (N), "MK_STR_DEFINE")

/* MK_STR_DEFINE_IDX with a uint32_t counter. */
#define MK_STR_DEFINE(name, N) MK_STR_DEFINE_IDX(name, N, uint32_t)

/* Declares `name`, a string over a char buffer the caller lends, plus
 *     mk_err name_init_ext(name *s, char *buf, size_t size);
 * which makes s the empty string over the `size` bytes at buf (capacity size - 1
 * characters, so `name_init_ext(&s, buf, sizeof buf)` is the usual call) and writes
 * buf[0] = '\0'. It returns MK_OK; MK_EINVAL when s or buf is NULL or size is 0; MK_ERANGE
 * when size exceeds PTRDIFF_MAX or the buffer wraps the address space; on failure *s
 * is untouched. O(1). An all-zero _EXT string is "" with capacity 0. */
#define MK_STR_DEFINE_EXT(name)                                                         \
    typedef struct name {                                                               \
        char *data;       /* the borrowed buffer: cap + 1 bytes */                      \
        mk__size_idx cap; /* characters it holds, not counting the NUL */               \
        mk__size_idx len; /* characters held: <= cap */                                 \
    } name;                                                                             \
    MK__CONTAINER_CAP_EXT(name)                                                         \
    MK__MAYBE_UNUSED static inline mk_err name##_init_ext(name *mk__s, char *mk__buf,   \
                                                          size_t mk__size)              \
    {                                                                                   \
        if (!mk__s || !mk__buf || mk__size == 0)                                        \
            return MK_EINVAL;                                                           \
        mk_err mk__e = mk_container_check_buffer(mk__buf, mk__size, 1);                 \
        if (mk__e == MK_OK) {                                                           \
            mk__buf[0] = '\0';                                                          \
            mk__s->data = mk__buf;                                                      \
            mk__s->cap = mk__size - 1u;                                                 \
            mk__s->len = 0;                                                             \
        }                                                                               \
        return mk__e;                                                                   \
    }                                                                                   \
    MK__STR_FUNCS(name, mk__size_idx)                                                   \
    _Static_assert(sizeof(name) > 0, "MK_STR_DEFINE_EXT")

#ifdef __cplusplus
}
#endif

#endif /* MEMKIT_STR_H */
