/* A minimal C library for the bare-metal test images: formatted output to the
 * semihosting console, the string functions, a LIFO bump malloc, exit. Small on purpose:
 * picolibc for RISC-V is a 1 GB package CI would install on every run, and the tests
 * need only this. Built with -fno-tree-loop-distribute-patterns so GCC cannot turn the
 * loops below into calls to themselves. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target.h"

struct target_file {
    int unused;
};
static struct target_file console;
FILE *const stdout = &console;
FILE *const stderr = &console;

/* Output is built in `buf` (capacity `size`, 0 for counting only); `len` counts every
 * character, written or not, as snprintf must return. */
typedef struct out {
    char *buf;
    size_t size, len;
} out;

static void put(out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_padded(out *o, const char *s, size_t n, size_t width, bool left, char pad)
{
    size_t fill = width > n ? width - n : 0;
    if (!left && pad == '0' && n > 0 && *s == '-') { /* the sign goes before the zeros */
        put(o, *s++);
        n--;
    }
    for (; !left && fill > 0; fill--)
        put(o, pad);
    while (n-- > 0)
        put(o, *s++);
    for (; fill > 0; fill--)
        put(o, ' ');
}

static size_t format_number(char *end, unsigned long long v, unsigned base, bool negative)
{
    char *p = end;
    do {
        *--p = "0123456789abcdef"[v % base];
        v /= base;
    } while (v != 0);
    if (negative)
        *--p = '-';
    return (size_t)(end - p);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    out o = { buf, size, 0 };
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        bool left = false;
        char pad = ' ';
        size_t width = 0;
        for (fmt++; *fmt == '-' || *fmt == '0'; fmt++) {
            left |= *fmt == '-';
            pad = *fmt == '0' ? '0' : pad;
        }
        for (; *fmt >= '0' && *fmt <= '9'; fmt++)
            width = width * 10 + (size_t)(*fmt - '0');
        int longs = 0;
        bool is_size = false;
        for (; *fmt == 'l' || *fmt == 'z'; fmt++) {
            longs += *fmt == 'l';
            is_size |= *fmt == 'z';
        }
        char num[24];
        char *end = num + sizeof num;
        unsigned long long u;
        switch (*fmt) {
        case 'd':
        case 'i': {
            long long v = longs >= 2 ? va_arg(ap, long long)
                          : longs == 1 ? va_arg(ap, long)
                          : is_size ? (long long)va_arg(ap, size_t) : va_arg(ap, int);
            u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
            size_t n = format_number(end, u, 10, v < 0);
            put_padded(&o, end - n, n, width, left, pad);
            break;
        }
        case 'u':
        case 'x':
            u = longs >= 2 ? va_arg(ap, unsigned long long)
                : longs == 1 ? va_arg(ap, unsigned long)
                : is_size ? va_arg(ap, size_t) : va_arg(ap, unsigned);
            {
                size_t n = format_number(end, u, *fmt == 'x' ? 16 : 10, false);
                put_padded(&o, end - n, n, width, left, pad);
            }
            break;
        case 'p': {
            size_t n = format_number(end, (uintptr_t)va_arg(ap, void *), 16, false);
            put(&o, '0');
            put(&o, 'x');
            put_padded(&o, end - n, n, width, left, pad);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            put_padded(&o, s, strlen(s), width, left, ' ');
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            put_padded(&o, &c, 1, width, left, ' ');
            break;
        }
        case '%':
            put(&o, '%');
            break;
        default: /* an unsupported conversion is a bug in the test: say so loudly */
            target_write("\nunsupported printf conversion\n");
            exit(2);
        }
    }
    if (size > 0)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

static int vprint(const char *fmt, va_list ap)
{
    char line[256];
    int n = vsnprintf(line, sizeof line, fmt, ap);
    target_write(line);
    if ((size_t)n >= sizeof line)
        target_write("[...]\n");
    return n;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprint(fmt, ap);
    va_end(ap);
    return n;
}

int fprintf(FILE *f, const char *fmt, ...)
{
    (void)f; /* one console for both streams */
    va_list ap;
    va_start(ap, fmt);
    int n = vprint(fmt, ap);
    va_end(ap);
    return n;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    while (n-- > 0)
        *d++ = (unsigned char)c;
    return dst;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    return memmove(dst, src, n);
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if ((uintptr_t)d < (uintptr_t)s)
        while (n-- > 0)
            *d++ = *s++;
    else
        while (n-- > 0)
            d[n] = s[n];
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (; n > 0; n--, x++, y++)
        if (*x != *y)
            return *x < *y ? -1 : 1;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n > 0; n--, a++, b++)
        if (*a != *b || *a == '\0')
            return (unsigned char)*a - (unsigned char)*b;
    return 0;
}

int strcmp(const char *a, const char *b) { return strncmp(a, b, SIZE_MAX); }

char *strstr(const char *haystack, const char *needle)
{
    size_t n = strlen(needle);
    for (; *haystack; haystack++)
        if (strncmp(haystack, needle, n) == 0)
            return (char *)(uintptr_t)haystack;
    return n == 0 ? (char *)(uintptr_t)haystack : NULL;
}

unsigned long strtoul(const char *s, char **end, int base)
{
    unsigned long v = 0;
    for (; *s >= '0' && *s <= '9' && base == 10; s++)
        v = v * 10 + (unsigned long)(*s - '0');
    if (end)
        *end = (char *)(uintptr_t)s;
    return v;
}

long atol(const char *s) { return (long)strtoul(s, NULL, 10); }
int atoi(const char *s) { return (int)strtoul(s, NULL, 10); }

/* Each block is preceded by the top it was cut from and its size, so free can tell the
 * newest block and undo it, padding included. */
typedef struct block_head {
    unsigned char *prev_top;
    size_t size;
} block_head;
extern unsigned char __heap_start[], __heap_end[];
static unsigned char *heap_top = __heap_start;

void *aligned_alloc(size_t align, size_t size)
{
    if (align == 0 || (align & (align - 1)) != 0 || align > 65536 || size > SIZE_MAX / 2)
        return NULL;
    if (align < 8)
        align = 8;
    uintptr_t top = (uintptr_t)heap_top;
    uintptr_t p = (top + sizeof(block_head) + align - 1) & ~(uintptr_t)(align - 1);
    size_t rounded = (size + 7u) & ~(size_t)7u;
    if (p - top > (uintptr_t)(__heap_end - heap_top) ||
        rounded > (size_t)((uintptr_t)__heap_end - p))
        return NULL;
    block_head *b = (block_head *)p - 1;
    b->prev_top = heap_top;
    b->size = rounded;
    heap_top += p - top + rounded;
    return (void *)p;
}

void *malloc(size_t size) { return aligned_alloc(8, size); }

void free(void *ptr)
{
    if (ptr == NULL)
        return;
    block_head *b = (block_head *)ptr - 1;
    if ((unsigned char *)ptr + b->size == heap_top) /* only the newest block */
        heap_top = b->prev_top;
}

void abort(void) { exit(134); }
