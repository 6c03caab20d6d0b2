/*
 * Lua 5.4 in a fixed 256 KiB memkit heap: runs a script, then reports the heap's peak
 * use and fragmentation on stderr (stdout is the script's own output).
 *
 *     lua_heap [--mk-heap] SCRIPT [REGION_BYTES]  run in a region of that size (default
 *                                                 256 KiB)
 *     lua_heap [--mk-heap] --bisect SCRIPT        find the smallest region it runs in
 *
 * The heap is an mk_sheap: lua_Alloc passes every block's size back, so blocks need no
 * header. --mk-heap runs on an mk_heap instead, for comparison.
 *
 * Build: cc -Iinclude examples/lua_heap.c src/adapters/lua_alloc.c src/{err,heap,
 * heap_inspect,sheap,alloc}.c $(pkg-config --cflags --libs lua5.4)
 */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memkit/alloc.h"
#include "memkit/heap.h"
#include "memkit/lua_alloc.h"
#include "memkit/sheap.h"

enum { REGION = 256 * 1024, LARGEST = 16 * 1024 * 1024 };

static _Alignas(64) unsigned char region[LARGEST];

static bool use_mk_heap; /* --mk-heap */

typedef struct run_result {
    int status;             /* lua_pcall's result; LUA_ERRMEM when the heap ran out */
    size_t peak_used_bytes; /* the heap's peak, in whole blocks */
    size_t alloc_count;
    size_t peak_live;       /* the most bytes Lua had asked for at once */
} run_result;

/* An allocator that counts the bytes Lua has live, to compare the heap's peak with. */
typedef struct counting {
    mk_allocator inner;
    size_t live, peak;
} counting;

static void *count_alloc(void *ctx, size_t size, size_t align)
{
    counting *c = ctx;
    void *p = mk_alloc(c->inner, size, align);
    if (p && (c->live += size) > c->peak)
        c->peak = c->live;
    return p;
}
static void count_free(void *ctx, void *ptr, size_t size, size_t align)
{
    counting *c = ctx;
    mk_free(c->inner, ptr, size, align);
    c->live -= size;
}
static void *count_remap(void *ctx, void *ptr, size_t old_size, size_t new_size, size_t align)
{
    counting *c = ctx;
    void *p = mk_remap(c->inner, ptr, old_size, new_size, align);
    if (p) {
        c->live = c->live - old_size + new_size;
        if (c->live > c->peak)
            c->peak = c->live;
    }
    return p;
}

static int run_script(lua_State *L)
{
    luaL_openlibs(L);
    if (luaL_loadfile(L, lua_tostring(L, 1)) != LUA_OK)
        return lua_error(L);
    lua_call(L, 0, 0);
    return 0;
}

/* The heap a run uses: either kind, over the same region. */
typedef struct any_heap {
    mk_heap heap;
    mk_sheap sheap;
} any_heap;

static bool heap_init(any_heap *h, size_t size, mk_allocator *out)
{
    if (use_mk_heap) {
        mk_heap_init(&h->heap);
        *out = mk_heap_allocator(&h->heap);
        return mk_heap_add_region(&h->heap, region, size, 0) == MK_OK;
    }
    *out = mk_sheap_allocator(&h->sheap);
    return mk_sheap_init(&h->sheap, region, size) == MK_OK;
}

/* Fills r's heap figures; false when a block is still live or the check fails. */
static bool heap_finish(any_heap *h, run_result *r)
{
    if (use_mk_heap) {
        mk_heap_stats s;
        mk_heap_get_stats(&h->heap, 0, &s);
        r->peak_used_bytes = s.peak_used_bytes;
        r->alloc_count = s.alloc_count;
        return s.used_blocks == 0 && mk_heap_check(&h->heap) == MK_OK;
    }
    mk_sheap_stats s;
    mk_sheap_get_stats(&h->sheap, &s);
    r->peak_used_bytes = s.peak_used_bytes;
    r->alloc_count = s.alloc_count;
    return s.used_bytes == 0 && mk_sheap_check(&h->sheap) == MK_OK;
}

/* Runs the script in a region of `size` bytes; exits if the heap is not clean after
 * lua_close (a leak or damage would be memkit's or the adapter's fault). */
static run_result run(const char *script, size_t size)
{
    run_result r = { .status = LUA_ERRMEM };
    static any_heap heap;
    static const mk_allocator_vtable vt = { count_alloc, count_free, NULL, count_remap, NULL };
    counting c = { 0 };
    if (!heap_init(&heap, size, &c.inner))
        return r;
    mk_allocator a = { &c, &vt };
    lua_State *L = lua_newstate(mk_lua_alloc, &a);
    if (L) {
        lua_pushcfunction(L, run_script);
        lua_pushstring(L, script);
        r.status = lua_pcall(L, 1, 0, 0);
        if (r.status != LUA_OK && r.status != LUA_ERRMEM)
            fprintf(stderr, "lua: %s\n", lua_tostring(L, -1));
        lua_close(L);
    }
    r.peak_live = c.peak;
    if (!heap_finish(&heap, &r)) {
        fprintf(stderr, "lua_heap: the heap is not clean after lua_close\n");
        exit(2);
    }
    return r;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--mk-heap") == 0) {
        use_mk_heap = true;
        argv++;
        argc--;
    }
    if (argc == 3 && strcmp(argv[1], "--bisect") == 0) {
        /* Smallest region (to 64 bytes) in which the script completes. Its output is
         * not wanted here. */
        if (!freopen("/dev/null", "w", stdout))
            return 1;
        size_t lo = 1024, hi = LARGEST;
        run_result best = run(argv[2], hi);
        if (best.status != LUA_OK)
            return 1;
        while (hi - lo > 64) {
            size_t mid = lo + (hi - lo) / 2;
            run_result r = run(argv[2], mid);
            if (r.status == LUA_OK) {
                hi = mid;
                best = r;
            } else {
                lo = mid;
            }
        }
        fprintf(stderr, "smallest region %zu bytes; peak live %zu bytes (Lua's requests); "
                        "ratio %.3f\n", hi, best.peak_live, (double)hi / (double)best.peak_live);
        return 0;
    }
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: lua_heap [--mk-heap] SCRIPT [REGION_BYTES] | "
                        "lua_heap [--mk-heap] --bisect SCRIPT\n");
        return 1;
    }
    size_t size = argc == 3 ? strtoul(argv[2], NULL, 0) : REGION;
    if (size == 0 || size > LARGEST) {
        fprintf(stderr, "lua_heap: region size must be 1..%d bytes\n", LARGEST);
        return 1;
    }
    run_result r = run(argv[1], size);
    fflush(stdout);
    /* Peak used counts whole blocks (headers, rounding); the gap to Lua's own peak is
     * the heap's overhead, and bisection adds what fragmentation costs. */
    fprintf(stderr, "heap %zu bytes: peak used %zu bytes in blocks, Lua's peak live %zu bytes "
                    "(x%.3f), %zu allocations\n", size, r.peak_used_bytes, r.peak_live,
            (double)r.peak_used_bytes / (double)r.peak_live, r.alloc_count);
    if (r.status == LUA_ERRMEM)
        fprintf(stderr, "lua_heap: out of memory in %zu bytes\n", size);
    return r.status == LUA_OK ? 0 : 1;
}
