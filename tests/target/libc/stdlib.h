/* The slice of <stdlib.h> the portable tests use. malloc and aligned_alloc are a bump
 * allocator over the RAM between .bss and the stack; free gives memory back only when it
 * is the newest block (the tests allocate and free in LIFO order) and ignores any other. */
#ifndef MEMKIT_TARGET_STDLIB_H
#define MEMKIT_TARGET_STDLIB_H

#include <stddef.h>

void *malloc(size_t size);
void *aligned_alloc(size_t align, size_t size);
void free(void *ptr);
_Noreturn void exit(int status);
_Noreturn void abort(void);
int atoi(const char *s);
long atol(const char *s);
unsigned long strtoul(const char *s, char **end, int base);

#endif
