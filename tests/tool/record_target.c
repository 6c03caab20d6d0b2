/* The program tests/tool/record_test.c records. Its main thread makes a known sequence
 * of malloc-family calls between two marker allocations (sizes 1001 and 1002), a worker
 * thread allocates sizes 2000.. while the main thread allocates sizes 3000.., and a
 * forked child allocates size 4242 and execs this program again ("child"), which
 * allocates size 4343. Neither child may appear in the trace. With argument "signal" it
 * kills itself with SIGTERM instead. The block of the
 * aligned_alloc(64, 256) is left live on purpose. Exits 3 so the test can see the
 * status come back. Output is the same on every run. */
#define _GNU_SOURCE
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { ROUNDS = 500 };

static volatile size_t huge = SIZE_MAX; /* hidden from the compiler's size checks */

/* Compilers drop a malloc whose block is never used (free(malloc(n)) vanishes at -O2);
 * passing each block here keeps every call. */
static void *kept(void *p)
{
    __asm__ volatile("" : : "r"(p) : "memory");
    return p;
}

static void churn(size_t base)
{
    void *keep[8] = {0};
    for (size_t i = 0; i < ROUNDS; i++) {
        free(keep[i % 8]);
        keep[i % 8] = malloc(base + i);
        if (keep[i % 8])
            memset(keep[i % 8], 1, base + i);
    }
    for (size_t i = 0; i < 8; i++)
        free(keep[i]);
}

static void *worker(void *arg)
{
    (void)arg;
    churn(2000);
    return NULL;
}

static int known_sequence(void)
{
    int ok = 1;
    free(kept(malloc(1001)));
    char *a = malloc(100);
    int *b = calloc(10, 24);
    a = realloc(a, 5000);
    void *c = aligned_alloc(64, 256);
    void *d = NULL;
    ok &= posix_memalign(&d, 128, 300) == 0;
    void *e = memalign(32, 40);
    void *f = valloc(10);
    void *g = pvalloc(10);
    void *h = reallocarray(NULL, 3, 50);
    ok &= kept(malloc(huge)) == NULL;
    free(NULL);
    ok &= a && b && c && d && e && f && g && h && b[9] == 0;
    void *all[] = {a, b, c, d, e, f, g, h};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        kept(all[i]);
    free(b);
    free(a);
    free(d);
    free(e);
    free(f);
    free(g);
    ok &= realloc(h, 0) == NULL;
    free(kept(malloc(1002)));
    printf("known sequence %s\n", ok ? "done" : "FAILED");
    return ok;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "signal")) {
        free(kept(malloc(10)));
        raise(SIGTERM);
    }
    if (argc > 1 && !strcmp(argv[1], "child")) {
        free(kept(malloc(4343)));
        printf("exec'd child done\n");
        return 0;
    }
    int ok = known_sequence();

    pthread_t t;
    if (pthread_create(&t, NULL, worker, NULL))
        return 1;
    churn(3000);
    pthread_join(t, NULL);
    printf("threads done\n");

    fflush(stdout); /* or the child would print our buffered lines again */
    pid_t pid = fork();
    if (pid == 0) {
        free(kept(malloc(4242)));
        execl("/proc/self/exe", argv[0], "child", (char *)NULL);
        _exit(1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    printf("child exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return ok ? 3 : 1;
}
