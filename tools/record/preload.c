/*
 * libmemkit-record.so: LD_PRELOADed by `memkit record`, it logs every malloc-family call
 * of one process to a text trace (docs/trace-format.md) and forwards the call to glibc.
 *
 * Which process records: the one whose pid is MEMKIT_RECORD_PID, writing to the path in
 * MEMKIT_RECORD_OUT. Every other process that inherits LD_PRELOAD (forked children,
 * programs they exec) only forwards, so children are left alone and write nothing. A
 * recorded process that execs keeps its pid: the new image starts the trace afresh,
 * because the old image's heap is gone with it.
 *
 * Ordering: a trace must list the calls in an order consistent with address reuse (a
 * free of X before the malloc that hands X out again), across threads. One mutex held
 * around the real call and the append gives exactly that; per-thread buffers would need
 * a shared sequence counter (the same contended cache line) and a merge afterwards, and
 * realloc, which frees and allocates in one call, has no single sequence point that is
 * right against both. The cost is that allocation in a recorded program is serialised.
 *
 * Events go to a static buffer written with write(2) in large chunks; the recorder
 * itself never allocates. dlsym may call calloc before the real one is known; those
 * calls are served from a small static bootstrap buffer whose blocks free() ignores.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))
/* initial-exec: a preloaded library gets static TLS, whose first touch never calls
 * malloc (dynamic TLS may, which would recurse into us). */
#define TLS _Thread_local __attribute__((tls_model("initial-exec")))

/* The trace format rejects sizes over 2^48; a request that large always fails (user
 * address space is smaller), so it is written as exactly 2^48: still a failure. */
#define SIZE_CAP ((uint64_t)1 << 48)

static struct {
    void *(*malloc)(size_t);
    void *(*calloc)(size_t, size_t);
    void *(*realloc)(void *, size_t);
    void (*free)(void *);
    void *(*aligned_alloc)(size_t, size_t);
    int (*posix_memalign)(void **, size_t, size_t);
    void *(*memalign)(size_t, size_t);
    void *(*valloc)(size_t);
    void *(*pvalloc)(size_t);
    void *(*reallocarray)(void *, size_t, size_t);
} real;

static _Alignas(16) unsigned char boot[16384];
static size_t boot_used;
static bool resolving;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static bool active;        /* this process records */
static bool write_through; /* after our destructor: no later flush is coming */
static int out_fd = -1;
static unsigned next_tid;
static char buf[1 << 18];
static size_t len;

static TLS unsigned my_tid_plus1;
/* Set while this thread is inside a logged call: glibc's reallocarray calls realloc
 * through the PLT, which would log twice and take the lock twice. */
static TLS bool inside;

static void *boot_alloc(size_t size)
{
    size_t at = (boot_used + 15u) & ~(size_t)15u;
    if (size > sizeof boot - at)
        return NULL;
    boot_used = at + size;
    return boot + at; /* static storage is zero, as calloc requires */
}

static bool in_boot(const void *p)
{
    return (const unsigned char *)p >= boot && (const unsigned char *)p < boot + sizeof boot;
}

/* Through memcpy: ISO C has no cast from dlsym's object pointer to a function pointer. */
#define RESOLVE(name)                                                                    \
    do {                                                                                 \
        void *sym_ = dlsym(RTLD_NEXT, #name);                                            \
        memcpy(&real.name, &sym_, sizeof sym_);                                          \
    } while (0)

static void resolve(void)
{
    resolving = true;
    RESOLVE(malloc);
    RESOLVE(calloc);
    RESOLVE(realloc);
    RESOLVE(free);
    RESOLVE(aligned_alloc);
    RESOLVE(posix_memalign);
    RESOLVE(memalign);
    RESOLVE(valloc);
    RESOLVE(pvalloc);
    RESOLVE(reallocarray);
    resolving = false;
}

/* Called at first use, which is during start-up and so single-threaded. */
static inline bool ready(void)
{
    if (__builtin_expect(real.free != NULL, 1))
        return true;
    if (!resolving)
        resolve();
    return real.free != NULL;
}

static void write_all(const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(out_fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return; /* nowhere to report it without changing the program's output */
        p += w;
        n -= (size_t)w;
    }
}

static void flush(void)
{
    int saved = errno; /* the program must see errno as the real call left it */
    write_all(buf, len);
    len = 0;
    errno = saved;
}

static void put_str(const char *s)
{
    while (*s)
        buf[len++] = *s++;
}

static void put_hex(uintptr_t v)
{
    char tmp[2 * sizeof v];
    int n = 0;
    do {
        tmp[n++] = "0123456789abcdef"[v & 15u];
        v >>= 4;
    } while (v);
    while (n)
        buf[len++] = tmp[--n];
}

static void put_digits(uint64_t v)
{
    char tmp[20];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v);
    while (n)
        buf[len++] = tmp[--n];
}

/* A decimal field with its separating space. */
static void put_dec(uint64_t v)
{
    buf[len++] = ' ';
    put_digits(v);
}

static uint64_t cap(uint64_t size) { return size > SIZE_CAP ? SIZE_CAP : size; }

/* Alignments as the allocator honours them: glibc rounds up to a power of two. */
static uint64_t pow2_at_least(size_t a)
{
    uint64_t p = 1;
    while (p < a && p < SIZE_CAP)
        p <<= 1;
    return a ? p : 0;
}

/* Starts an event line "op ID"; the caller holds the lock. */
static void begin(char op, const void *id)
{
    if (len > sizeof buf - 160u)
        flush();
    if (!my_tid_plus1)
        my_tid_plus1 = ++next_tid;
    buf[len++] = op;
    buf[len++] = ' ';
    put_hex((uintptr_t)id);
}

static void end(void)
{
    if (my_tid_plus1 > 1) { /* t=0 is the format's default */
        put_str(" t=");
        put_digits(my_tid_plus1 - 1u);
    }
    buf[len++] = '\n';
    if (write_through)
        flush();
}

/* Each wrapper: forward when not recording (or already inside a logged call); else
 * call and log under the lock, released by UNLOCK. */
#define FORWARD_UNLESS_ACTIVE(call)                                                      \
    if (!ready())                                                                        \
        return 0;                                                                        \
    if (!active || inside)                                                               \
        return call;                                                                     \
    pthread_mutex_lock(&lock);                                                           \
    inside = true

#define UNLOCK()                                                                         \
    do {                                                                                 \
        inside = false;                                                                  \
        pthread_mutex_unlock(&lock);                                                     \
    } while (0)

EXPORT void *malloc(size_t size)
{
    if (resolving)
        return boot_alloc(size);
    FORWARD_UNLESS_ACTIVE(real.malloc(size));
    void *p = real.malloc(size);
    begin('m', p);
    put_dec(cap(size));
    end();
    UNLOCK();
    return p;
}

EXPORT void *calloc(size_t n, size_t size)
{
    if (resolving)
        return n && size > SIZE_MAX / n ? NULL : boot_alloc(n * size);
    FORWARD_UNLESS_ACTIVE(real.calloc(n, size));
    void *p = real.calloc(n, size);
    begin('c', p);
    if (n && size > SIZE_CAP / n) {
        put_dec(1); /* count x size over the cap: one block of the cap, a failure */
        put_dec(SIZE_CAP);
    } else {
        put_dec(n);
        put_dec(size);
    }
    end();
    UNLOCK();
    return p;
}

EXPORT void free(void *p)
{
    if (!p || in_boot(p))
        return; /* free(NULL) is recorded neither: it does nothing */
    if (!ready())
        return;
    if (!active || inside) {
        real.free(p);
        return;
    }
    pthread_mutex_lock(&lock);
    inside = true;
    real.free(p);
    begin('f', p);
    end();
    UNLOCK();
}

static void log_realloc(void *old, void *p, uint64_t size)
{
    begin('r', old);
    buf[len++] = ' ';
    put_hex((uintptr_t)p);
    put_dec(cap(size));
    end();
}

/* A block from the bootstrap buffer moves to the real heap; its old size is unknown,
 * so the copy is bounded by what is left of the buffer past it. */
static void *realloc_boot(void *old, size_t size)
{
    void *p = malloc(size);
    size_t room = (size_t)(boot + sizeof boot - (unsigned char *)old);
    if (p)
        memcpy(p, old, size < room ? size : room);
    return p;
}

EXPORT void *realloc(void *old, size_t size)
{
    if (resolving)
        return old ? NULL : boot_alloc(size);
    if (old && in_boot(old))
        return realloc_boot(old, size);
    FORWARD_UNLESS_ACTIVE(real.realloc(old, size));
    void *p = real.realloc(old, size);
    log_realloc(old, p, size);
    UNLOCK();
    return p;
}

EXPORT void *reallocarray(void *old, size_t n, size_t size)
{
    if (old && in_boot(old))
        return n && size > SIZE_MAX / n ? NULL : realloc_boot(old, n * size);
    FORWARD_UNLESS_ACTIVE(real.reallocarray(old, n, size));
    void *p = real.reallocarray(old, n, size);
    log_realloc(old, p, n && size > SIZE_CAP / n ? SIZE_CAP : (uint64_t)n * size);
    UNLOCK();
    return p;
}

static void log_aligned(void *p, size_t align, uint64_t size)
{
    begin('a', p);
    put_dec(pow2_at_least(align));
    put_dec(cap(size));
    end();
}

EXPORT void *aligned_alloc(size_t align, size_t size)
{
    FORWARD_UNLESS_ACTIVE(real.aligned_alloc(align, size));
    void *p = real.aligned_alloc(align, size);
    log_aligned(p, align, size);
    UNLOCK();
    return p;
}

EXPORT void *memalign(size_t align, size_t size)
{
    FORWARD_UNLESS_ACTIVE(real.memalign(align, size));
    void *p = real.memalign(align, size);
    log_aligned(p, align, size);
    UNLOCK();
    return p;
}

EXPORT int posix_memalign(void **out, size_t align, size_t size)
{
    if (!ready())
        return ENOMEM;
    if (!active || inside)
        return real.posix_memalign(out, align, size);
    pthread_mutex_lock(&lock);
    inside = true;
    int rc = real.posix_memalign(out, align, size);
    log_aligned(rc ? NULL : *out, align, size);
    UNLOCK();
    return rc;
}

EXPORT void *valloc(size_t size)
{
    FORWARD_UNLESS_ACTIVE(real.valloc(size));
    void *p = real.valloc(size);
    log_aligned(p, (size_t)sysconf(_SC_PAGESIZE), size);
    UNLOCK();
    return p;
}

/* pvalloc hands out whole pages (at least one): the trace says what the program got. */
EXPORT void *pvalloc(size_t size)
{
    FORWARD_UNLESS_ACTIVE(real.pvalloc(size));
    void *p = real.pvalloc(size);
    uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
    uint64_t rounded = size ? ((uint64_t)size + page - 1u) / page * page : page;
    log_aligned(p, (size_t)page, rounded);
    UNLOCK();
    return p;
}

static void before_fork(void)
{
    pthread_mutex_lock(&lock);
}

static void after_fork_parent(void)
{
    pthread_mutex_unlock(&lock);
}

/* The child's copy of the buffer holds the parent's events: the parent writes them. */
static void after_fork_child(void)
{
    active = false;
    len = 0;
    pthread_mutex_unlock(&lock);
}

__attribute__((constructor)) static void start(void)
{
    const char *path = getenv("MEMKIT_RECORD_OUT");
    const char *pid = getenv("MEMKIT_RECORD_PID");
    if (!ready() || !path || !pid || strtol(pid, NULL, 10) != (long)getpid())
        return;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    /* Park the descriptor high, so the program's own open() calls get the numbers
     * they would get without us. */
    int high = fcntl(fd, F_DUPFD_CLOEXEC, 512);
    if (high >= 0) {
        close(fd);
        fd = high;
    }
    out_fd = fd;
    pthread_atfork(before_fork, after_fork_parent, after_fork_child);
    pthread_mutex_lock(&lock);
    /* Written at once, so even a program killed before its first flush leaves a valid
     * (if short) trace. */
    put_str("memkit-trace 1\n");
    flush();
    active = true;
    pthread_mutex_unlock(&lock);
}

/* Calls after this one (later destructors, libc's own teardown) are written at once. */
__attribute__((destructor)) static void stop(void)
{
    pthread_mutex_lock(&lock);
    if (active) {
        flush();
        write_through = true;
    }
    pthread_mutex_unlock(&lock);
}
