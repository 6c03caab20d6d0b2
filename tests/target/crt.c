/* What every image does between reset and main, and after: RAM set up, the command
 * line split into argv (ctest's arguments reach the image through QEMU's -append and
 * semihosting), main's status passed to QEMU as its exit code. */
#include <stdlib.h>
#include <string.h>

#include "target.h"

extern unsigned char __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
int main(int argc, char **argv);

void target_write(const char *s) { target_semihost(SYS_WRITE0, s); }

void exit(int status)
{
    /* ADP_Stopped_ApplicationExit with the status: QEMU exits with it. */
    const uintptr_t block[2] = { 0x20026u, (uintptr_t)(unsigned)status };
    target_semihost(SYS_EXIT_EXTENDED, block);
    for (;;) { /* QEMU does not return from an exit */
    }
}

enum { MAX_ARGS = 8 };

void target_main(void)
{
    memcpy(__data_start, __data_load, (size_t)(__data_end - __data_start));
    memset(__bss_start, 0, (size_t)(__bss_end - __bss_start));

    static char line[128];
    static char *argv[MAX_ARGS + 1];
    struct {
        char *buf;
        uintptr_t size;
    } cmd = { line, sizeof line };
    int argc = 0;
    if (target_semihost(SYS_GET_CMDLINE, &cmd) == 0) {
        /* The image's name, then the -append words, separated by spaces. */
        for (char *p = line; *p && argc < MAX_ARGS;) {
            while (*p == ' ')
                *p++ = '\0';
            if (*p)
                argv[argc++] = p;
            while (*p && *p != ' ')
                p++;
        }
    }
    if (argc == 0)
        argv[argc++] = line;
    exit(main(argc, argv));
}
