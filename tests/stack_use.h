/* A known stack depth for the stack watermark tests (host and target). */
#ifndef MEMKIT_STACK_USE_H
#define MEMKIT_STACK_USE_H

#include <stddef.h>

/* Uses n bytes of stack below its caller's frame, every one written, lowest last. */
__attribute__((noinline)) static unsigned use_stack(size_t n)
{
    volatile unsigned char arr[n];
    for (size_t i = n; i-- > 0;)
        arr[i] = (unsigned char)i;
    return arr[0] + arr[n - 1];
}

#endif
