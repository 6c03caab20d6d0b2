/* Lua on a memkit heap fails cleanly at every allocation point: for each n, the
 * fault-injecting allocator refuses the nth allocation (and, in a second pass, every
 * one after the first n); Lua must either finish with the right answer or report
 * LUA_ERRMEM, and after lua_close nothing may be live and the heap must check clean.
 * Both heaps: mk_heap, and mk_sheap (sized, header-less: every size Lua passes back
 * must be the one it allocated with, or the sized heap's check would fail). */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <string.h>

#include "memkit/alloc.h"
#include "memkit/heap.h"
#include "memkit/lua_alloc.h"
#include "memkit/sheap.h"
#include "test.h"

static const char script[] =
    "local t = {}\n"
    "for i = 1, 200 do t[i] = { i, tostring(i) .. string.rep('x', i % 9) } end\n"
    "local function adder(k) return function(x) return x + k end end\n"
    "local s = 0\n"
    "for i = 1, #t do s = adder(i)(s) + #t[i][2] end\n"
    "local parts = {}\n"
    "for i = 1, 100 do parts[#parts + 1] = string.format('%03d', i * 7 % 1000) end\n"
    "local joined = table.concat(parts, ',')\n"
    "return s .. ':' .. #joined .. ':' .. joined:sub(1, 11)\n";

static _Alignas(64) unsigned char region[256 * 1024];
static char expected[64];
static bool sized; /* which heap: mk_sheap, else mk_heap */

static int run_script(lua_State *L)
{
    luaL_openlibs(L);
    if (luaL_loadstring(L, script) != LUA_OK)
        return lua_error(L);
    lua_call(L, 0, 1);
    return 1;
}

/* One run with the given failure plan. Returns lua_pcall's status, or -1 when
 * lua_newstate itself failed; checks that nothing leaked. Sets *refused when the plan
 * refused at least one request. */
static int run_once(mk_failing_mode mode, size_t n, int *refused, char *out, size_t out_size)
{
    mk_heap heap;
    mk_sheap sheap;
    mk_heap_init(&heap);
    if (sized)
        REQUIRE(mk_sheap_init(&sheap, region, sizeof region) == MK_OK);
    else
        REQUIRE(mk_heap_add_region(&heap, region, sizeof region, 0) == MK_OK);
    mk_failing f;
    mk_failing_init(&f, sized ? mk_sheap_allocator(&sheap) : mk_heap_allocator(&heap), mode, n);
    mk_allocator a = mk_failing_allocator(&f);
    int status = -1;
    lua_State *L = lua_newstate(mk_lua_alloc, &a);
    if (L) {
        lua_pushcfunction(L, run_script);
        status = lua_pcall(L, 0, 1, 0);
        if (status == LUA_OK && out)
            snprintf(out, out_size, "%s", lua_tostring(L, -1));
        lua_close(L);
    }
    CHECK(f.live_blocks == 0 && f.live_bytes == 0);
    if (sized) {
        mk_sheap_stats s;
        mk_sheap_get_stats(&sheap, &s);
        CHECK(s.used_bytes == 0);
        CHECK(mk_sheap_check(&sheap) == MK_OK);
    } else {
        mk_heap_stats s;
        mk_heap_get_stats(&heap, 0, &s);
        CHECK(s.used_blocks == 0);
        CHECK(mk_heap_check(&heap) == MK_OK);
    }
    *refused = f.failures > 0;
    return status;
}

static void fail_every_point(mk_failing_mode mode)
{
    size_t points = 0, errmem = 0, recovered = 0, no_state = 0;
    for (size_t n = 1;; n++) {
        char got[64] = "";
        int refused = 0;
        int status = run_once(mode, n, &refused, got, sizeof got);
        if (!refused) { /* n is past the last allocation: every point has been tried */
            CHECK(status == LUA_OK && strcmp(got, expected) == 0);
            break;
        }
        points++;
        if (status == -1) {
            no_state++;
        } else if (status == LUA_ERRMEM) {
            errmem++;
        } else {
            /* Lua's emergency collection can make room after a refusal. */
            CHECK(status == LUA_OK);
            CHECK(strcmp(got, expected) == 0);
            recovered++;
        }
        REQUIRE(n < 100000);
    }
    printf("  %s, %s: %zu allocation points: %zu out-of-memory errors, %zu recovered, %zu "
           "lua_newstate NULL\n", sized ? "mk_sheap" : "mk_heap",
           mode == MK_FAIL_NTH ? "fail the nth" : "fail all after n",
           points, errmem, recovered, no_state);
    CHECK(points > 300);
    /* One refusal is survivable (Lua collects and retries); refusing everything after n
     * is not, except where Lua merely skips an optional resize. */
    if (mode == MK_FAIL_NTH)
        CHECK(recovered > points / 2);
    else
        CHECK(errmem > points / 2);
}

static void test_fail_nth(void)
{
    fail_every_point(MK_FAIL_NTH);
}

static void test_fail_after(void)
{
    fail_every_point(MK_FAIL_AFTER);
}

static void test_sized_heap(void)
{
    sized = true;
    fail_every_point(MK_FAIL_NTH);
    fail_every_point(MK_FAIL_AFTER);
    sized = false;
}

int main(void)
{
    int refused = 0;
    REQUIRE(run_once(MK_FAIL_NONE, 0, &refused, expected, sizeof expected) == LUA_OK);
    printf("script result %s\n", expected);
    RUN(test_fail_nth);
    RUN(test_fail_after);
    RUN(test_sized_heap);
    TEST_MAIN_END();
}
