/*
 * `memkit record`: the launcher half of the recorder. It checks that the trace file can
 * be written before starting anything, so a typo fails at once rather than after a long
 * run, then forks, sets the preload variables in the child and execs the program.
 */
#define _GNU_SOURCE
#include "record.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define LIB_NAME "libmemkit-record.so"

static int usage(void)
{
    fprintf(stderr, "usage: memkit record [-o FILE] [--] PROGRAM [ARGS...]\n");
    return 2;
}

static bool readable(const char *path) { return access(path, R_OK) == 0; }

/* Fills `out` (PATH_MAX bytes) with an absolute path of the preload library. */
static bool find_library(char *out)
{
    const char *env = getenv("MEMKIT_RECORD_LIB");
    if (env && *env)
        return realpath(env, out) != NULL;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash && (size_t)(slash - exe) + sizeof "/" LIB_NAME <= PATH_MAX) {
            strcpy(slash + 1, LIB_NAME);
            if (readable(exe) && realpath(exe, out))
                return true;
        }
    }
    return readable(MEMKIT_RECORD_INSTALL_LIB) && realpath(MEMKIT_RECORD_INSTALL_LIB, out);
}

/* Absolute path of `file` (which exists now), so a program that changes directory
 * still writes where the user asked. */
static bool absolute(const char *file, char *out) { return realpath(file, out) != NULL; }

/* LD_PRELOAD with our library first; the program's own preloads still load after it. */
static char *preload_value(const char *lib)
{
    const char *old = getenv("LD_PRELOAD");
    size_t n = strlen(lib) + (old ? strlen(old) + 1 : 0) + 1;
    char *v = malloc(n);
    if (!v)
        return NULL;
    if (old && *old)
        snprintf(v, n, "%s:%s", lib, old);
    else
        snprintf(v, n, "%s", lib);
    return v;
}

static int run(char **cmd, const char *lib, const char *out)
{
    char *preload = preload_value(lib);
    if (!preload) {
        fprintf(stderr, "memkit record: out of memory\n");
        return 2;
    }
    /* As system() does: a terminal's Ctrl-C goes to the program, and we report how it
     * ended instead of dying first. */
    struct sigaction ignore = {.sa_handler = SIG_IGN}, old_int, old_quit;
    sigaction(SIGINT, &ignore, &old_int);
    sigaction(SIGQUIT, &ignore, &old_quit);
    pid_t pid = fork();
    if (pid == 0) {
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGQUIT, &old_quit, NULL);
        char self[32];
        snprintf(self, sizeof self, "%ld", (long)getpid());
        if (setenv("MEMKIT_RECORD_OUT", out, 1) || setenv("MEMKIT_RECORD_PID", self, 1) ||
            setenv("LD_PRELOAD", preload, 1))
            _exit(127);
        execvp(cmd[0], cmd);
        fprintf(stderr, "memkit record: cannot run %s: %s\n", cmd[0], strerror(errno));
        _exit(127);
    }
    free(preload);
    int status = 0, rc;
    if (pid < 0) {
        fprintf(stderr, "memkit record: fork: %s\n", strerror(errno));
        rc = 127;
    } else {
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        if (WIFSIGNALED(status)) {
            fprintf(stderr,
                    "memkit record: %s was killed by signal %d; the trace may lack its "
                    "last events\n",
                    cmd[0], WTERMSIG(status));
            rc = 128 + WTERMSIG(status);
        } else {
            rc = WEXITSTATUS(status);
        }
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    return rc;
}

int mkt_record_main(int argc, char **argv)
{
    const char *file = "memkit.trace";
    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) && i + 1 < argc) {
            file = argv[i + 1];
            i += 2;
            continue;
        }
        fprintf(stderr, "memkit record: unknown option %s\n", argv[i]);
        return usage();
    }
    if (i >= argc)
        return usage();

    char lib[PATH_MAX], out[PATH_MAX];
    if (!find_library(lib)) {
        fprintf(stderr,
                "memkit record: cannot find %s (next to this program, in %s, or in "
                "$MEMKIT_RECORD_LIB)\n",
                LIB_NAME, MEMKIT_RECORD_INSTALL_LIB);
        return 2;
    }
    int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || !absolute(file, out)) {
        fprintf(stderr, "memkit record: cannot write %s: %s\n", file, strerror(errno));
        if (fd >= 0)
            close(fd);
        return 2;
    }
    close(fd);
    return run(argv + i, lib, out);
}
