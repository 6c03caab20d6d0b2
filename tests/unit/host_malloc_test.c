/* The C names of the host front (linked from libmemkit-malloc.a, so they replace malloc
 * for this whole process): each function's contract and errno, fork with another thread
 * allocating, and, given an argument, a deliberate misuse for the MEMKIT_CHECKED test. */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "malloc/host.h"
#include "memkit/global.h"
#include "test.h"

void free_sized(void *ptr, size_t size);
void free_aligned_sized(void *ptr, size_t align, size_t size);

/* Volatile, so that the compiler cannot see (and refuse at build time) the requests and
 * misuse that these tests make on purpose. */
static volatile size_t huge = SIZE_MAX - ((size_t)1 << 20);
static volatile size_t not_pow2 = 48;

static mk_heap_stats stats(void)
{
    mk_heap_stats s;
    mk_heap_get_stats(mk_global_heap(), 0, &s);
    return s;
}

/* Each allocation must be a live memkit block. */
static int ours(void *p)
{
    return p && mk_global_usable_size(p) > 0;
}

static void test_malloc_calloc_realloc(void)
{
    mk_heap_stats before = stats();
    char *p = malloc(100);
    CHECK(ours(p) && (uintptr_t)p % MK_ALIGN == 0);
    CHECK(stats().alloc_count == before.alloc_count + 1);
    strcpy(p, "memkit");
    p = realloc(p, 100000);
    CHECK(ours(p) && strcmp(p, "memkit") == 0);
    CHECK(malloc_usable_size(p) >= 100000);
    unsigned char *z = calloc(1000, 3);
    CHECK(ours(z));
    size_t nonzero = 0;
    for (size_t i = 0; i < 3000; i++)
        nonzero += z[i] != 0;
    CHECK(nonzero == 0);
    errno = 0;
    CHECK(calloc(huge, 3) == NULL && errno == ENOMEM);
    errno = 0;
    CHECK(malloc(huge) == NULL && errno == ENOMEM);
    errno = 0;
    char *volatile kept = p;
    CHECK(reallocarray(p, huge, 3) == NULL && errno == ENOMEM);
    CHECK(strcmp(kept, "memkit") == 0);
    p = kept;
    p = reallocarray(p, 10, 20);
    CHECK(ours(p) && strcmp(p, "memkit") == 0);
    CHECK(realloc(p, 0) == NULL);
    free(z);
    free(NULL);
    CHECK(stats().used_blocks == before.used_blocks);
}

static void test_aligned_family(void)
{
    mk_heap_stats before = stats();
    void *p = NULL;
    CHECK(posix_memalign(&p, 256, 10) == 0 && ours(p) && (uintptr_t)p % 256 == 0);
    free(p);
    void *keep = &keep;
    CHECK(posix_memalign(&keep, 24, 10) == EINVAL && keep == (void *)&keep);
    CHECK(posix_memalign(&keep, 0, 10) == EINVAL);
    CHECK(posix_memalign(&keep, sizeof(void *) / 2, 10) == EINVAL);
    CHECK(posix_memalign(&keep, 64, huge) == ENOMEM && keep == (void *)&keep);
    void *a = aligned_alloc(4096, 100);
    CHECK(ours(a) && (uintptr_t)a % 4096 == 0);
    errno = 0;
    CHECK(aligned_alloc(not_pow2, 100) == NULL && errno == EINVAL);
    void *m = memalign(128, 1);
    CHECK(ours(m) && (uintptr_t)m % 128 == 0);
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    void *v = valloc(10);
    CHECK(ours(v) && (uintptr_t)v % page == 0);
    void *pv = pvalloc(10);
    CHECK(ours(pv) && (uintptr_t)pv % page == 0 && malloc_usable_size(pv) >= page);
    errno = 0;
    CHECK(pvalloc(SIZE_MAX - 10) == NULL && errno == ENOMEM);
    free_aligned_sized(a, 4096, 100);
    free_sized(m, 1);
    free(v);
    free(pv);
    CHECK(stats().used_blocks == before.used_blocks);
}

/* Resident bytes of this process, from /proc. */
static size_t resident(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size = 0, pages = 0;
    if (f) {
        if (fscanf(f, "%lu %lu", &size, &pages) != 2)
            pages = 0;
        fclose(f);
    }
    return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

/* Resident pages among the whole pages strictly inside [p + 16, p + n - 16): the part of
 * a block that a release gives back (the heap keeps a freed block's links and size at
 * its ends). mincore never touches the memory, so p may be freed. */
static size_t resident_inside(const void *p, size_t n)
{
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t lo = ((uintptr_t)p + 16 + page - 1) & ~(page - 1);
    uintptr_t hi = ((uintptr_t)p + n - 16) & ~(page - 1);
    size_t count = 0;
    unsigned char v[64];
    for (; lo < hi; lo += sizeof v * page) {
        size_t pages = (hi - lo) / page < sizeof v ? (hi - lo) / page : sizeof v;
        if (mincore((void *)lo, pages * page, v) != 0)
            return SIZE_MAX;
        for (size_t i = 0; i < pages; i++)
            count += v[i] & 1u;
    }
    return count;
}

static size_t pages_inside(const void *p, size_t n)
{
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t lo = ((uintptr_t)p + 16 + page - 1) & ~(page - 1);
    uintptr_t hi = ((uintptr_t)p + n - 16) & ~(page - 1);
    return hi > lo ? (hi - lo) / page : 0;
}

/* Small blocks keep their pages when freed (below MK_HOST_RELEASE_MIN): malloc_trim
 * gives back those of the free block they merge into. */
static void test_trim_gives_pages_back(void)
{
    enum { N = 1024, SIZE = 8 << 10 };
    static unsigned char *blocks[N];
    size_t big = (size_t)N * SIZE; /* inside the first region, which is never unmapped */
    for (int i = 0; i < N; i++) {
        blocks[i] = malloc(SIZE);
        REQUIRE(blocks[i] != NULL);
        memset(blocks[i], 0x5a, SIZE);
    }
    unsigned char *keep = malloc(64); /* a live neighbour must survive the trim */
    REQUIRE(keep != NULL);
    memset(keep, 7, 64);
    for (int i = 0; i < N; i++)
        free(blocks[i]);
    size_t before = resident();
    CHECK(malloc_trim(0) == 1);
    size_t after = resident();
    CHECK(before > after && before - after > big - ((size_t)1 << 20));
    CHECK(keep[0] == 7 && keep[63] == 7);
    CHECK(mk_heap_check(mk_global_heap()) == MK_OK);
    /* The released pages come back (as zeros) when the space is used again. */
    unsigned char *p = malloc(big);
    REQUIRE(p != NULL);
    memset(p, 1, big);
    CHECK(p[big / 2] == 1);
    free(p);
    free(keep);
    CHECK(mk_heap_check(mk_global_heap()) == MK_OK);
}

/* A large block gives its pages back when freed, as glibc unmaps its large blocks: the
 * pages strictly inside it are no longer resident, and the heap is intact. */
static void test_free_releases_large_block(void)
{
    size_t big = (size_t)1 << 20;
    unsigned char *p = malloc(big);
    REQUIRE(p != NULL);
    memset(p, 0x5a, big);
    CHECK(resident_inside(p, big) == pages_inside(p, big));
    free(p);
    CHECK(resident_inside(p, big) == 0);
    CHECK(mk_heap_check(mk_global_heap()) == MK_OK);
    /* Reused, the space reads as zeros where it was released, and works. */
    unsigned char *q = malloc(big);
    REQUIRE(q != NULL);
    memset(q, 3, big);
    CHECK(q[0] == 3 && q[big / 2] == 3 && q[big - 1] == 3);
    free(q);
    CHECK(mk_heap_check(mk_global_heap()) == MK_OK);
}

/* realloc that has to move a large block copies it first, then gives the old block's
 * pages back. */
static void test_realloc_move_releases_old_block(void)
{
    size_t n = (size_t)256 << 10;
    unsigned char *p = malloc(n);
    unsigned char *wall = malloc(n); /* next to p, so that p cannot grow in place */
    REQUIRE(p != NULL && wall != NULL);
    REQUIRE(wall > p && (size_t)(wall - p) < n + 64);
    memset(p, 1, n);
    p[n - 1] = 2;
    unsigned char *q = realloc(p, 4 * n);
    REQUIRE(q != NULL && q != p);
    CHECK(q[0] == 1 && q[n / 2] == 1 && q[n - 1] == 2);
    CHECK(resident_inside(p, n) == 0);
    free(q);
    free(wall);
    CHECK(mk_heap_check(mk_global_heap()) == MK_OK);
}

/* The kilobytes of a "Vm...:" line of /proc/self/status, or 0. */
static size_t status_kib(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[128];
    size_t kib = 0, len = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, key, len) == 0)
            kib = (size_t)strtoull(line + len, NULL, 10);
    if (f)
        fclose(f);
    return kib;
}

/* A block realloc moves goes back in steps as it is copied, so that it is never
 * resident twice over (glibc moves its large blocks with mremap): the process's peak RSS
 * across the move stays well under the old block's size above where it started. */
static void test_realloc_move_is_never_resident_twice(void)
{
    size_t n = (size_t)4 << 20;
    unsigned char *p = malloc(n);
    REQUIRE(p != NULL);
    memset(p, 1, n);
    p[n - 1] = 2;
    FILE *f = fopen("/proc/self/clear_refs", "w"); /* "5": the peak RSS starts again */
    if (!f || fputs("5", f) < 0 || fclose(f) != 0) {
        printf("  (no /proc/self/clear_refs: peak not checked)\n");
        free(p);
        return;
    }
    size_t before = status_kib("VmHWM:");
    unsigned char *q = realloc(p, 2 * n);
    size_t peak = status_kib("VmHWM:");
    REQUIRE(q != NULL && q != p);
    CHECK(q[0] == 1 && q[n / 2] == 1 && q[n - 1] == 2);
    CHECK(before > 0 && peak < before + n / 1024 / 4);
    free(q);
    CHECK(mk_heap_check(mk_global_heap()) == MK_OK);
}

/* A buffer freed and allocated again at once, round after round, keeps its pages after
 * the first round: releasing them each time would cost a system call and a page fault
 * per page per round (tens of times the work of the loop itself). */
static void test_loop_keeps_its_pages(void)
{
    size_t n = (size_t)200 << 10;
    size_t left[3];
    for (int round = 0; round < 3; round++) {
        unsigned char *p = malloc(n);
        REQUIRE(p != NULL);
        memset(p, round, n);
        free(p);
        left[round] = resident_inside(p, n);
    }
    CHECK(left[0] == 0);
    CHECK(left[1] > 0 && left[2] > 0);
}

static void *take_large_block(void *arg)
{
    void *p = malloc((size_t)120 << 10);
    free(p);
    return arg;
}

/* Under 128 KiB a block gives its pages back only while the thread freeing it is the one
 * that took the last large blocks: with other threads allocating, each release would
 * also interrupt them to flush their TLBs. */
static void test_medium_blocks_and_threads(void)
{
    enum { RUN_OF = 8 };
    size_t n = (size_t)64 << 10;
    void *run[RUN_OF];
    for (int i = 0; i < RUN_OF; i++) { /* large, none of them n: nothing looks looping */
        run[i] = malloc((size_t)(50 + 9 * i) << 10);
        REQUIRE(run[i] != NULL);
    }
    unsigned char *p = malloc(n), *q = malloc(n);
    REQUIRE(p != NULL && q != NULL);
    memset(p, 1, n);
    memset(q, 1, n);
    free(p);
    CHECK(resident_inside(p, n) == 0);
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, take_large_block, NULL) == 0);
    pthread_join(t, NULL);
    free(q);
    CHECK(resident_inside(q, n) == pages_inside(q, n));
    for (int i = 0; i < RUN_OF; i++)
        free(run[i]);
    CHECK(mk_heap_check(mk_global_heap()) == MK_OK);
}

/* A region mapped for a large request goes back to the OS with its last block, and the
 * heap maps a new one when it is needed again. */
static void test_empty_regions_are_unmapped(void)
{
    mk_host_mapping m0 = mk_host_mapping_now();
    size_t big = (size_t)64 << 20; /* more than the first region */
    for (int round = 1; round <= 2; round++) {
        unsigned char *p = malloc(big);
        REQUIRE(p != NULL);
        memset(p, 0x5a, big);
        mk_host_mapping m1 = mk_host_mapping_now();
        CHECK(m1.regions == m0.regions + 1 && m1.mapped_bytes >= m0.mapped_bytes + big);
        size_t before = resident();
        free(p);
        size_t after = resident();
        mk_host_mapping m2 = mk_host_mapping_now();
        CHECK(m2.regions == m0.regions && m2.mapped_bytes == m0.mapped_bytes);
        CHECK(m2.unmapped_regions == m0.unmapped_regions + (size_t)round);
        CHECK(before > after && before - after >= big);
        CHECK(mk_heap_check(mk_global_heap()) == MK_OK);
    }
}

/* Three neighbours, so that freeing the middle one leaves it in the thread cache. */
static void test_cache_catches_double_free(void)
{
    void *a = malloc(40), *p = malloc(40), *c = malloc(40);
    REQUIRE(a && p && c);
    size_t used = stats().used_blocks;
    free(p);
    CHECK(stats().used_blocks == used); /* cached: still a used block to the heap */
    CHECK(malloc(40) == p);
    free(p);
    free(p); /* ignored: it is cached already */
    void *q1 = malloc(40), *q2 = malloc(40);
    CHECK(q1 == p && q2 != p);
    free(q1);
    free(q2);
    free(a);
    free(c);
    CHECK(mk_heap_check(mk_global_heap()) == MK_OK);
}

static void *cache_some_blocks(void *arg)
{
    void *blocks[200];
    for (int i = 0; i < 200; i++)
        blocks[i] = malloc((size_t)(16 + i % 7 * 40));
    for (int i = 0; i < 200; i += 2) /* every other one: these have live neighbours */
        free(blocks[i]);
    for (int i = 1; i < 200; i += 2)
        free(blocks[i]);
    return arg;
}

/* A thread's cached blocks go back to the heap when it exits. */
static void test_thread_exit_empties_its_cache(void)
{
    pthread_t t;
    /* The C library keeps an allocation of its own for a thread it may reuse: make it
     * before counting. */
    REQUIRE(pthread_create(&t, NULL, cache_some_blocks, NULL) == 0);
    pthread_join(t, NULL);
    size_t before = stats().used_blocks;
    REQUIRE(pthread_create(&t, NULL, cache_some_blocks, NULL) == 0);
    pthread_join(t, NULL);
    CHECK(stats().used_blocks == before);
}

static void test_stats_interfaces(void)
{
    FILE *f = tmpfile();
    REQUIRE(f != NULL);
    CHECK(malloc_info(0, f) == 0);
    CHECK(malloc_info(1, f) == -1 && errno == EINVAL);
    rewind(f);
    char line[128] = "";
    CHECK(fgets(line, sizeof line, f) && strstr(line, "<malloc version=\"memkit-1\">"));
    fclose(f);
}

/* fork() while another thread allocates: the child must be able to allocate (a child
 * that inherited a held heap lock would hang until the alarm kills it). */
static atomic_bool stop;
static void *churn(void *arg)
{
    (void)arg;
    while (!atomic_load(&stop)) {
        void *p = malloc(64);
        void *q = realloc(p, 5000);
        free(q ? q : p);
    }
    return NULL;
}

static void test_fork_while_allocating(void)
{
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, churn, NULL) == 0);
    int good = 0;
    for (int i = 0; i < 30; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            alarm(10);
            for (int k = 0; k < 1000; k++)
                free(malloc((size_t)k * 8));
            _exit(mk_heap_check(mk_global_heap()) == MK_OK ? 0 : 3);
        }
        int status = 0;
        if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
            WEXITSTATUS(status) == 0)
            good++;
    }
    atomic_store(&stop, true);
    pthread_join(t, NULL);
    CHECK(good == 30);
    CHECK(mk_heap_check(mk_global_heap()) == MK_OK);
}

/* Deliberate misuse, for tests/preload/checked.sh: with MEMKIT_CHECKED=1 it must abort
 * with a message; without, the heap ignores it and the program goes on. */
static int misuse(const char *kind)
{
    volatile size_t past = 0; /* hides the overrun from the compiler's own checks */
    char *volatile p = malloc(24);
    char *next = malloc(24);
    if (strcmp(kind, "double-free") == 0) {
        free(p);
        free(p);
    } else if (strcmp(kind, "foreign") == 0) {
        static char not_heap[32];
        char *volatile q = not_heap;
        free(q);
    } else if (strcmp(kind, "overflow") == 0) {
        past = malloc_usable_size(p) + 8;
        memset(p, 'x', past);
        free(p);
    } else {
        return 2;
    }
    (void)next;
    printf("misuse %s ignored\n", kind);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return misuse(argv[1]);
    RUN(test_malloc_calloc_realloc);
    RUN(test_aligned_family);
    RUN(test_trim_gives_pages_back);
    RUN(test_free_releases_large_block);
    RUN(test_realloc_move_releases_old_block);
    RUN(test_realloc_move_is_never_resident_twice);
    RUN(test_loop_keeps_its_pages);
    RUN(test_medium_blocks_and_threads);
    RUN(test_empty_regions_are_unmapped);
    RUN(test_cache_catches_double_free);
    RUN(test_thread_exit_empties_its_cache);
    RUN(test_stats_interfaces);
    RUN(test_fork_while_allocating);
    TEST_MAIN_END();
}
