/* The host front's locking, growth and thread cache, linked directly (not preloaded, so
 * it also runs under ASan and TSan): two threads allocate, fill, verify, reallocate and
 * free through mk_host_malloc / mk_host_free and mk_global_*, with block sizes up to
 * 4 MiB so that the heap must map new regions (and unmap them) while the other thread is
 * using it, and one thread returns free pages to the OS as it goes (malloc_trim's work).
 * Under TSan a missing lock is a reported race; here, damaged contents, a failed
 * allocation, a failed check, or blocks a thread's cache kept after it exited fail the
 * test. */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "malloc/host.h"
#include "memkit/global.h"
#include "test.h"

enum { THREADS = 2, OPS = 200000, SLOTS = 128 };

static int thread_failures[THREADS];

static size_t pick_size(unsigned long long *seed)
{
    size_t roll = test_range(seed, 0, 999);
    if (roll == 0)
        return test_range(seed, 1 << 20, 4 << 20); /* rare and huge: forces growth */
    if (roll < 50)
        return test_range(seed, 4096, 65536);
    return test_range(seed, 1, 512);
}

static void *worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    unsigned long long seed = 0x9e37u + (unsigned long long)id * 7919u;
    unsigned char *slot[SLOTS] = { 0 };
    size_t size[SLOTS] = { 0 };
    /* Two of these outgrow the first 16 MiB region whatever the schedule. */
    size_t big_size = (size_t)12 << 20;
    unsigned char *big = mk_host_malloc(big_size);
    if (!big)
        thread_failures[id]++;
    else
        memset(big, id + 1, big_size);
    for (int op = 0; op < OPS; op++) {
        /* Now and then give free pages back while the other thread allocates: its live
         * blocks must keep their contents. */
        if (id == 0 && op % 5000 == 0)
            (void)mk_host_trim();
        int i = (int)test_range(&seed, 0, SLOTS - 1);
        unsigned char mark = (unsigned char)(id * 64 + i);
        if (slot[i]) {
            /* Checking the first and last bytes of each block keeps huge blocks cheap. */
            if (slot[i][0] != mark || slot[i][size[i] - 1] != mark)
                thread_failures[id]++;
            if (op & 1) {
                mk_host_free(slot[i]);
                slot[i] = NULL;
                continue;
            }
            size_t grown = pick_size(&seed);
            unsigned char *p = mk_global_realloc(slot[i], grown);
            if (!p) {
                thread_failures[id]++;
                continue;
            }
            size_t kept = grown < size[i] ? grown : size[i];
            if (p[kept - 1] != mark)
                thread_failures[id]++;
            slot[i] = p;
            size[i] = grown;
        } else {
            size[i] = pick_size(&seed);
            slot[i] = (op & 2) ? mk_host_malloc(size[i]) : mk_global_calloc(1, size[i]);
            if (!slot[i]) {
                thread_failures[id]++;
                continue;
            }
        }
        memset(slot[i], mark, size[i]);
    }
    for (int i = 0; i < SLOTS; i++)
        mk_host_free(slot[i]);
    if (big && (big[0] != id + 1 || big[big_size - 1] != id + 1))
        thread_failures[id]++;
    mk_host_free(big);
    return NULL;
}

static void test_two_threads_share_the_global_heap(void)
{
    mk_host_setup();
    mk_heap_stats before;
    mk_heap_get_stats(mk_global_heap(), 0, &before);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        REQUIRE(pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i) == 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < THREADS; i++)
        CHECK(thread_failures[i] == 0);
    mk_heap_stats s;
    mk_heap_get_stats(mk_global_heap(), 0, &s);
    CHECK(s.used_blocks == before.used_blocks && s.used_bytes == before.used_bytes);
    CHECK(s.alloc_count - before.alloc_count > (size_t)THREADS * OPS / 4);
    mk_host_mapping m = mk_host_mapping_now();
    CHECK(m.regions + m.unmapped_regions > 1); /* it grew */
    CHECK(m.regions == s.regions);
    CHECK(mk_heap_check(mk_global_heap()) == MK_OK);
}

int main(void)
{
    RUN(test_two_threads_share_the_global_heap);
    TEST_MAIN_END();
}
