/*
 * The host front's operating-system layer (Linux, POSIX threads): sets the global heap
 * up on first use, guards it with a mutex, grows it by mapping regions from the OS,
 * gives the pages of large freed blocks back to it (the rules are above
 * worth_releasing), keeps it usable across fork(), and reads the environment options:
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
#include <string.h>
#include <sys/auxv.h>
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

/* The OS's page size. Asked for on first use rather than at start-up, and of the
 * auxiliary vector rather than sysconf, which lies on libc pages of its own: every libc
 * page the library touches counts in each process's RSS, even one that never allocates. */
static uintptr_t page_size(void)
{
    static atomic_uintptr_t size;
    uintptr_t n = atomic_load_explicit(&size, memory_order_relaxed);
    if (!n) {
        n = (uintptr_t)getauxval(AT_PAGESZ);
        if (!n)
            n = (uintptr_t)sysconf(_SC_PAGESIZE);
        atomic_store_explicit(&size, n, memory_order_relaxed);
    }
    return n;
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
    size_t page = page_size();
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

/* Gives the whole pages in [lo, hi) of the payload [ptr, ptr + usable) back to the OS and
 * returns how many bytes that was; they read as zeros when next touched. A free block
 * keeps its two links in the payload's first 8 bytes and its size in the last 4 (its
 * header is before ptr), so those pages stay: the heap writes them when the block is
 * freed, or reads them while it is free. */
static size_t release_range(void *ptr, size_t usable, uintptr_t lo, uintptr_t hi)
{
#if MK_CHECKED >= 2
    (void)ptr; /* free memory holds poison, which zero pages would read as damaged */
    (void)usable;
    (void)lo;
    (void)hi;
    return 0;
#else
    uintptr_t page = page_size();
    uintptr_t first = (uintptr_t)ptr + 8, end = (uintptr_t)ptr + usable - 4;
    lo = ((lo > first ? lo : first) + page - 1) & ~(page - 1);
    hi = (hi < end ? hi : end) & ~(page - 1);
    return hi > lo && madvise((void *)lo, hi - lo, MADV_DONTNEED) == 0 ? hi - lo : 0;
#endif
}

static size_t release_payload(void *ptr, size_t usable)
{
    return release_range(ptr, usable, (uintptr_t)ptr, (uintptr_t)ptr + usable);
}

/* malloc_trim's walk: releases the pages inside one free block. The walk holds the heap
 * lock, so no thread can be handed this block meanwhile. */
static bool release_free_block(void *ctx, const mk_heap_block_info *block)
{
    size_t *released = ctx;
    if (!block->used)
        *released += release_payload(block->ptr, block->size);
    return true;
}

/*
 * When a freed block's pages go back (docs/performance.md, "Host preload"). A release
 * costs a system call now and a page fault for each page the program touches there
 * again (together 1-2 microseconds a release in malloc_churn), so it pays for pages that
 * would otherwise stay resident unused. A block of MK_HOST_RELEASE_MIN (48 KiB: one
 * call frees 11 pages or more) or more, freed or moved away from by realloc, gives its
 * pages back unless
 *
 * - its size is looping: a block of its size was released and the same size was asked
 *   for again within the next LOOP_WINDOW large allocations. A program that frees and
 *   allocates a buffer over and over would otherwise pay a system call and a fault per
 *   page each time round (glibc raises its mmap threshold for the same reason). The
 *   last LOOPING such sizes are remembered. Only the same size counts: a program whose
 *   large blocks come in many sizes (malloc_churn) would otherwise keep most of them;
 * - it is under SHARED_MIN and the last OWNER_RUN large blocks did not all go to the
 *   calling thread: while other threads allocate too, each release also interrupts
 *   their CPUs to flush their TLBs, which costs several times the call. From SHARED_MIN
 *   up (glibc's mmap threshold, from which glibc unmaps freed blocks) it always may.
 *
 * The state below is shared by all threads without a lock: a stale or torn value only
 * changes one decision.
 */
#define SHARED_MIN ((size_t)128 << 10)
#define MOVE_STEP ((size_t)64 << 10) /* how much of a moved block is resident twice */
#define OWNER_RUN 8u
#define LOOP_WINDOW 2u
/* Sizes this close are one size: a request and the usable size of the block that served
 * it differ by less than a granule and the header. */
#define SAME_SIZE 64u
#define RELEASED 4u /* sizes released lately, to see them asked for again */
#define LOOPING 4u
static atomic_uint large_count; /* large blocks handed out so far */
static atomic_uintptr_t large_owner; /* the thread that took the last ones */
static atomic_uint owner_run;        /* how many in a row, counting to OWNER_RUN */
static struct {
    atomic_size_t size;
    atomic_uint when; /* large_count then */
} released_lately[RELEASED];
static atomic_uint released_next;
static atomic_size_t looping[LOOPING];
static atomic_uint looping_next;
/* Its address tells threads apart (initial-exec: see host_cache.c). */
static _Thread_local char thread_mark __attribute__((tls_model("initial-exec")));

void mk__host_note_large(size_t size)
{
    uintptr_t me = (uintptr_t)&thread_mark;
    if (atomic_load_explicit(&large_owner, memory_order_relaxed) != me) {
        atomic_store_explicit(&large_owner, me, memory_order_relaxed);
        atomic_store_explicit(&owner_run, 1u, memory_order_relaxed);
    } else {
        unsigned run = atomic_load_explicit(&owner_run, memory_order_relaxed);
        if (run < OWNER_RUN) /* then no more writes to the shared line */
            atomic_store_explicit(&owner_run, run + 1u, memory_order_relaxed);
    }
    unsigned now = atomic_fetch_add_explicit(&large_count, 1u, memory_order_relaxed) + 1u;
    for (unsigned i = 0; i < RELEASED; i++) {
        size_t r = atomic_load_explicit(&released_lately[i].size, memory_order_relaxed);
        unsigned when = atomic_load_explicit(&released_lately[i].when, memory_order_relaxed);
        if (size <= r && r - size < SAME_SIZE && now - when <= LOOP_WINDOW) {
            unsigned k = atomic_fetch_add_explicit(&looping_next, 1u, memory_order_relaxed);
            atomic_store_explicit(&looping[k % LOOPING], r, memory_order_relaxed);
            atomic_store_explicit(&released_lately[i].size, 0, memory_order_relaxed);
        }
    }
}

/* Whether the pages of a block of `usable` bytes, about to be freed, go back; if so,
 * remembers its size as released. */
static bool worth_releasing(size_t usable)
{
    if (usable < MK_HOST_RELEASE_MIN)
        return false;
    for (unsigned i = 0; i < LOOPING; i++) {
        size_t m = atomic_load_explicit(&looping[i], memory_order_relaxed);
        if (usable + SAME_SIZE > m && usable < m + SAME_SIZE)
            return false;
    }
    if (usable < SHARED_MIN) {
        uintptr_t owner = atomic_load_explicit(&large_owner, memory_order_relaxed);
        unsigned run = atomic_load_explicit(&owner_run, memory_order_relaxed);
        if (owner != (uintptr_t)&thread_mark || run < OWNER_RUN)
            return false;
    }
    unsigned k = atomic_fetch_add_explicit(&released_next, 1u, memory_order_relaxed) % RELEASED;
    unsigned now = atomic_load_explicit(&large_count, memory_order_relaxed);
    atomic_store_explicit(&released_lately[k].size, usable, memory_order_relaxed);
    atomic_store_explicit(&released_lately[k].when, now, memory_order_relaxed);
    return true;
}

/* realloc's copy when it moves a block. One to be released goes back in steps as it is
 * copied, so that it is never resident twice over: glibc moves a block it mapped with
 * mremap, without a copy. (A buffer realloc'd by doubling to 30 MB and filled as it
 * grows peaked at 34,100 KiB with the whole copy before the release, 30,550 in steps,
 * 30,400-30,530 under glibc.) */
static void move_and_release(void *to, void *from, size_t n, size_t usable)
{
    if (!worth_releasing(usable)) {
        memcpy(to, from, n);
        return;
    }
    uintptr_t page_mask = ~(page_size() - 1);
    for (size_t done = 0; done < n;) {
        size_t step = n - done < MOVE_STEP ? n - done : MOVE_STEP;
        memcpy((char *)to + done, (char *)from + done, step);
        /* From the page the previous step ended in: it is all copied now. */
        uintptr_t lo = ((uintptr_t)from + done) & page_mask;
        done += step;
        (void)release_range(from, usable, lo, (uintptr_t)from + done);
    }
    (void)release_range(from, usable, ((uintptr_t)from + n) & page_mask,
                        (uintptr_t)from + usable);
}

void mk__host_release(void *ptr, size_t usable)
{
    if (worth_releasing(usable))
        (void)release_payload(ptr, usable);
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
        mk_global_set_move(move_and_release);
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
