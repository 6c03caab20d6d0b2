/*
 * Lua 5.4 in a fixed 256 KiB memkit heap: runs a script, then reports the heap's peak
 * use and fragmentation on stderr (stdout is the script's own output).
 *
 *     lua_heap SCRIPT [REGION_BYTES]     run in a region of that size (default 256 KiB)
 *     lua_heap --bisect SCRIPT           find the smallest region the script runs in
 *
 * Build: cc -Iinclude examples/lua_heap.c src/adapters/lua_alloc.c src/{err,heap,
 * heap_inspect,alloc}.c $(pkg-config --cflags --libs lua5.4)
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

enum { REGION = 256 * 1024, LARGEST = 16 * 1024 * 1024 };

static _Alignas(64) unsigned char region[LARGEST];

typedef struct run_result {
    int status;         /* lua_pcall's result; LUA_ERRMEM when the heap ran out */
    mk_heap_stats peak; /* statistics at the end, with the peak */
    size_t peak_live;   /* the most bytes Lua had asked for at once */
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

/* Runs the script in a region of `size` bytes; exits if the heap is not clean after
 * lua_close (a leak or damage would be memkit's or the adapter's fault). */
static run_result run(const char *script, size_t size)
{
    run_result r = { .status = LUA_ERRMEM };
    mk_heap heap;
    mk_heap_init(&heap);
    if (mk_heap_add_region(&heap, region, size, 0) != MK_OK)
        return r;
    static const mk_allocator_vtable vt = { count_alloc, count_free, NULL, count_remap, NULL };
    counting c = { .inner = mk_heap_allocator(&heap) };
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
    mk_heap_get_stats(&heap, 0, &r.peak);
    r.peak_live = c.peak;
    if (r.peak.used_blocks != 0 || mk_heap_check(&heap) != MK_OK) {
        fprintf(stderr, "lua_heap: the heap is not clean after lua_close\n");
        exit(2);
    }
    return r;
}

int main(int argc, char **argv)
{
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
        fprintf(stderr, "usage: lua_heap SCRIPT [REGION_BYTES] | lua_heap --bisect SCRIPT\n");
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
                    "(x%.3f), %zu allocations\n", size, r.peak.peak_used_bytes, r.peak_live,
            (double)r.peak.peak_used_bytes / (double)r.peak_live, r.peak.alloc_count);
    if (r.status == LUA_ERRMEM)
        fprintf(stderr, "lua_heap: out of memory in %zu bytes\n", size);
    return r.status == LUA_OK ? 0 : 1;
}
