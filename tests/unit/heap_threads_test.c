/* Lock hooks make one heap safe for several threads: four threads allocate, fill, verify
 * and free blocks on a shared heap guarded by a pthread mutex through the hooks. Run
 * under TSan (scripts/test.sh) a missing lock around any heap access is a reported race;
 * here, corrupted contents or a failed check fail the test. */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "memkit/memkit.h"
#include "test.h"

enum { THREADS = 4, OPS = 200000, SLOTS = 64 };

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static void lock(void *ctx) { pthread_mutex_lock(ctx); }
static void unlock(void *ctx) { pthread_mutex_unlock(ctx); }
static const mk_heap_hooks hooks = { .lock = lock, .unlock = unlock, .ctx = &mutex };

static mk_heap heap;
static _Alignas(64) unsigned char ram[256 * 1024];
static int thread_failures[THREADS];

static void *worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    unsigned long long seed = 0x1234u + (unsigned long long)id;
    unsigned char *slot[SLOTS] = { 0 };
    size_t size[SLOTS] = { 0 };
    for (int op = 0; op < OPS; op++) {
        int i = (int)test_range(&seed, 0, SLOTS - 1);
        if (slot[i]) {
            for (size_t k = 0; k < size[i]; k++)
                if (slot[i][k] != (unsigned char)(id * 31 + i))
                    thread_failures[id]++;
            mk_heap_free(&heap, slot[i]);
            slot[i] = NULL;
        } else {
            size[i] = test_range(&seed, 1, 700);
            slot[i] = (op & 3) ? mk_heap_alloc(&heap, size[i])
                               : mk_heap_realloc(&heap, mk_heap_alloc(&heap, 8), size[i]);
            if (slot[i])
                memset(slot[i], id * 31 + i, size[i]);
        }
    }
    for (int i = 0; i < SLOTS; i++)
        mk_heap_free(&heap, slot[i]);
    return NULL;
}

static void test_threads_share_a_heap(void)
{
    mk_heap_init(&heap);
    mk_heap_set_hooks(&heap, &hooks);
    REQUIRE(mk_heap_add_region(&heap, ram, sizeof ram, 0) == MK_OK);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        REQUIRE(pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i) == 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < THREADS; i++)
        CHECK(thread_failures[i] == 0);
    mk_heap_stats s;
    mk_heap_get_stats(&heap, 0, &s);
    CHECK(s.used_blocks == 0 && s.used_bytes == 0 && s.free_blocks == 1);
    CHECK(s.alloc_count == s.free_count && s.alloc_count > (size_t)THREADS * OPS / 4);
    CHECK(mk_heap_check(&heap) == MK_OK);
}

int main(void)
{
    RUN(test_threads_share_a_heap);
    TEST_MAIN_END();
}
