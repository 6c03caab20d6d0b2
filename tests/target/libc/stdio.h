/* The slice of <stdio.h> the portable tests use; output goes to the semihosting console.
 * Conversions: d i u x p s c %, flags '-' and '0', a width, length l ll z. */
#ifndef MEMKIT_TARGET_STDIO_H
#define MEMKIT_TARGET_STDIO_H

#include <stdarg.h>
#include <stddef.h>

typedef struct target_file FILE;
extern FILE *const stdout;
extern FILE *const stderr;

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int fprintf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
