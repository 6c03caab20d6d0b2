/*
 * The host front's operating-system layer (Linux, POSIX threads): sets the global heap
 * up on first use, guards it with a mutex, grows it by mapping regions from the OS,
 * keeps it usable across fork(), and reads the environment options:
 *
 *   MEMKIT_STATS=1     print a statistics table to stderr at exit
 *   MEMKIT_CHECKED=1   report misuse (double free, foreign pointer, a write past a
 *                      block's end) with the pointer and abort; check the heap at exit
 *   MEMKIT_CACHE=0     no thread cache (host_cache.c; checked mode has none either)
 *
 * Not a core source: it needs mmap and pthreads. The C names are in host_names.c; the
 * test of the locking links this file directly, without them.
 */
#define _GNU_SOURCE
#include "malloc/host.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "memkit/global.h"

/* The first region is this large; each next one doubles, up to the largest. Mapping
 * costs address space only: pages become resident when touched. The first region stays
 * for the life of the process (malloc_trim gives its free pages back); a later one is
 * unmapped as soon as it holds no live block. */
#define FIRST_REGION ((size_t)16 << 20)
#define LARGEST_REGION ((size_t)1 << 30)
/* Room beyond a request for the region's index and the block header. */
#define REGION_SLACK ((size_t)64 << 10)

static pthread_mutex_t heap_mutex = PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP;
static pthread_mutex_t grow_mutex = PTHREAD_MUTEX_INITIALIZER; /* guards the fields below */
static size_t next_region = FIRST_REGION;
static size_t mapped_bytes;
static void *first_region; /* kept; the others' lengths are in host_cache.c's table */
static unsigned mapped_regions;
static size_t unmapped_regions;

static pthread_mutex_t setup_mutex = PTHREAD_MUTEX_INITIALIZER;
atomic_bool mk__host_ready;
static bool checked;
static bool stats_at_exit;
static atomic_size_t faults;
/* stderr as it was at start-up: programs such as xz and coreutils close stderr before
 * exit, and the statistics are printed after that. */
static int report_fd = 2;

static void lock(void *ctx)
{
    pthread_mutex_lock(ctx);
}

static void unlock(void *ctx)
{
    pthread_mutex_unlock(ctx);
}

/* Writes a line to stderr without allocating (this runs inside malloc). */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n > 0)
        (void)!write(report_fd, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

static void on_corruption(void *ctx, mk_heap_fault kind, const void *ptr)
{
    (void)ctx;
    mk__host_misuse(kind, ptr);
}

void mk__host_misuse(mk_heap_fault kind, const void *ptr)
{
    atomic_fetch_add_explicit(&faults, 1, memory_order_relaxed);
    if (!checked)
        return; /* the heap ignored the request and is intact */
    say("memkit: %s: %p; aborting (MEMKIT_CHECKED=1)\n", mk_heap_fault_name(kind), ptr);
    abort();
}

/* A region left without live blocks goes back to the OS unless it is the first or was
 * not mapped here (a program's own mk_global_add_region). Another thread may have
 * allocated from it since; removal then refuses and the region stays. */
static void on_region_empty(void *ctx, void *mem)
{
    (void)ctx;
    pthread_mutex_lock(&grow_mutex);
    size_t len = mem == first_region ? 0 : mk__host_mapped_len(mem);
    if (len && mk_heap_remove_region(mk_global_heap(), mem) == MK_OK) {
        mk__host_unpublish(mem);
        munmap(mem, len);
        mapped_bytes -= len;
        mapped_regions--;
        unmapped_regions++;
        if (next_region > FIRST_REGION)
            next_region /= 2;
    }
    pthread_mutex_unlock(&grow_mutex);
}

static const mk_heap_hooks hooks = {
    .lock = lock, .unlock = unlock, .corruption = on_corruption,
    .region_empty = on_region_empty, .ctx = &heap_mutex,
};

/* Maps a region big enough for the request and adds it; regions double in size so that
 * a growing program needs few of them (a heap holds at most MK_HEAP_MAX_REGIONS). */
static bool grow(size_t size, size_t align, uint32_t caps)
{
    if (caps != 0 || size > SIZE_MAX - align - 2 * REGION_SLACK)
        return false; /* mapped memory has no special capabilities */
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t need = (size + align + REGION_SLACK + page - 1) & ~(page - 1);
    bool ok = false;
    pthread_mutex_lock(&grow_mutex);
    size_t len = need > next_region ? need : next_region;
    void *mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED && len > need) { /* short of address space (32-bit) */
        len = need;
        mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    }
    if (mem != MAP_FAILED) {
        ok = mk_global_add_region(mem, len, 0) == MK_OK;
        if (ok) {
            if (!first_region)
                first_region = mem;
            mapped_regions++;
            mk__host_publish(mem, len);
            mapped_bytes += len;
            if (next_region < LARGEST_REGION)
                next_region *= 2;
        } else {
            munmap(mem, len); /* too large for one region, or no region slot left */
        }
    }
    pthread_mutex_unlock(&grow_mutex);
    return ok;
}

/* Gives the whole pages inside one free block back to the OS; they read as zeros when
 * next touched. A free block's header and two links sit at its start and its size at
 * its end, so only the pages strictly between are released. The walk holds the heap
 * lock, so no thread can be handed this block meanwhile. */
static bool release_free_block(void *ctx, const mk_heap_block_info *block)
{
    size_t *released = ctx;
    if (block->used)
        return true;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t lo = ((uintptr_t)block->ptr + 8 + page - 1) & ~(page - 1);
    uintptr_t hi = ((uintptr_t)block->ptr + block->size - 4) & ~(page - 1);
    if (hi > lo && madvise((void *)lo, hi - lo, MADV_DONTNEED) == 0)
        *released += hi - lo;
    return true;
}

size_t mk_host_trim(void)
{
    mk_host_cache_flush();
    size_t released = 0;
    mk_heap_walk(mk_global_heap(), release_free_block, &released);
    return released;
}

/* fork() copies one thread: hold both locks across it so that the child never inherits
 * a heap another thread was halfway through changing. */
static void before_fork(void)
{
    pthread_mutex_lock(&grow_mutex);
    pthread_mutex_lock(&heap_mutex);
}

static void after_fork(void)
{
    pthread_mutex_unlock(&heap_mutex);
    pthread_mutex_unlock(&grow_mutex);
}

static bool env_on(const char *name)
{
    const char *v = getenv(name);
    return v && v[0] == '1';
}

void mk__host_setup_slow(void)
{
    pthread_mutex_lock(&setup_mutex);
    if (!atomic_load_explicit(&mk__host_ready, memory_order_relaxed)) {
        checked = env_on("MEMKIT_CHECKED");
        stats_at_exit = env_on("MEMKIT_STATS");
        if (checked || stats_at_exit) {
            int fd = fcntl(2, F_DUPFD_CLOEXEC, 3);
            if (fd >= 0)
                report_fd = fd;
        }
        mk_global_init();
        mk_global_set_hooks(&hooks);
        mk_global_set_grow(grow);
        const char *cache_env = getenv("MEMKIT_CACHE");
        mk__host_cache_setup(!checked && !(cache_env && cache_env[0] == '0'));
        atomic_store_explicit(&mk__host_ready, true, memory_order_release);
    }
    pthread_mutex_unlock(&setup_mutex);
}

mk_host_mapping mk_host_mapping_now(void)
{
    pthread_mutex_lock(&grow_mutex);
    mk_host_mapping m = { mapped_bytes, mapped_regions, unmapped_regions };
    pthread_mutex_unlock(&grow_mutex);
    return m;
}

void mk_host_print_stats(void)
{
    mk_host_cache_flush(); /* its blocks are free, whatever the heap counts them as */
    mk_heap_stats s;
    mk_heap_get_stats(mk_global_heap(), 0, &s);
    mk_host_mapping m = mk_host_mapping_now();
    say("memkit: heap statistics (pid %ld)\n", (long)getpid());
    say("memkit:   regions mapped      %12u  (%zu bytes)\n", s.regions, m.mapped_bytes);
    say("memkit:   regions unmapped    %12zu\n", m.unmapped_regions);
    say("memkit:   used bytes          %12zu  in %zu blocks\n", s.used_bytes, s.used_blocks);
    say("memkit:   peak used bytes     %12zu\n", s.peak_used_bytes);
    say("memkit:   free bytes          %12zu  in %zu blocks, largest %zu\n", s.free_bytes,
        s.free_blocks, s.largest_free_block);
    say("memkit:   allocations         %12zu\n", s.alloc_count);
    say("memkit:   frees               %12zu\n", s.free_count);
    say("memkit:   heap-full events    %12zu\n", s.failed_count);
    say("memkit:   misuse reported     %12zu\n", atomic_load(&faults));
}

/* Before main: registers the fork handlers (pthread_atfork may allocate, so never from
 * inside malloc). Anything allocated earlier set the heap up already. */
__attribute__((constructor)) static void at_load(void)
{
    mk_host_setup();
    pthread_atfork(before_fork, after_fork, after_fork);
}

__attribute__((destructor)) static void at_exit(void)
{
    if (!atomic_load_explicit(&mk__host_ready, memory_order_acquire))
        return;
    if (stats_at_exit)
        mk_host_print_stats();
    if (checked)
        (void)mk_heap_check(mk_global_heap()); /* a fault aborts through the hook */
}
