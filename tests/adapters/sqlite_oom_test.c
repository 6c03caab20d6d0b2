/* SQLite on a memkit heap fails cleanly at every allocation point: for each n, the
 * fault-injecting allocator refuses the nth allocation (then, in a second pass, every
 * one after the first n). Every call must return SQLITE_OK or SQLITE_NOMEM, a finished
 * run must give the right answer, and after sqlite3_shutdown nothing may be live and
 * the heap must check clean. Also: xSize and xRoundup agree with the heap. */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "memkit/alloc.h"
#include "memkit/heap.h"
#include "memkit/sqlite_mem.h"
#include "test.h"

static const char sql[] =
    "CREATE TABLE a(id INTEGER PRIMARY KEY, v INTEGER, s TEXT);"
    "CREATE TABLE b(id INTEGER PRIMARY KEY, a INTEGER, w INTEGER);"
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)"
    "  INSERT INTO a SELECT i, i * 7 % 13, printf('row%d', i) FROM n;"
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 120)"
    "  INSERT INTO b SELECT i, i % 60 + 1, i * 3 FROM n;"
    "CREATE INDEX b_a ON b(a);"
    "SELECT count(*) || ':' || sum(a.v * b.w) || ':' || max(a.s) FROM a JOIN b ON b.a = a.id;";

static _Alignas(64) unsigned char region[512 * 1024];
static mk_heap heap;
static mk_failing failing;
static sqlite3_mem_methods methods;

static int keep_result(void *ctx, int ncols, char **values, char **names)
{
    (void)names;
    if (ncols == 1 && values[0])
        snprintf(ctx, 64, "%s", values[0]);
    return 0;
}

static int ok_or_nomem(int rc)
{
    return rc == SQLITE_OK || rc == SQLITE_NOMEM;
}

/* One run under the failure plan; returns whether it finished, with the result in out.
 * Sets *refused when the plan refused at least one request. */
static int run_once(mk_failing_mode mode, size_t n, int *refused, char out[64])
{
    mk_heap_init(&heap);
    REQUIRE(mk_heap_add_region(&heap, region, sizeof region, 0) == MK_OK);
    mk_failing_init(&failing, mk_heap_allocator(&heap), mode, n);
    mk_sqlite_mem_methods(mk_failing_allocator(&failing), &heap, &methods);
    REQUIRE(sqlite3_config(SQLITE_CONFIG_MALLOC, &methods) == SQLITE_OK);
    int finished = 0;
    int rc = sqlite3_initialize();
    CHECK(ok_or_nomem(rc));
    if (rc == SQLITE_OK) {
        sqlite3 *db = NULL;
        rc = sqlite3_open(":memory:", &db);
        CHECK(ok_or_nomem(rc));
        if (rc == SQLITE_OK) {
            rc = sqlite3_exec(db, sql, keep_result, out, NULL);
            CHECK(ok_or_nomem(rc));
            finished = rc == SQLITE_OK;
        }
        CHECK(sqlite3_close(db) == SQLITE_OK);
    }
    CHECK(sqlite3_shutdown() == SQLITE_OK);
    CHECK(failing.live_blocks == 0 && failing.live_bytes == 0);
    mk_heap_stats s;
    mk_heap_get_stats(&heap, 0, &s);
    CHECK(s.used_blocks == 0);
    CHECK(mk_heap_check(&heap) == MK_OK);
    *refused = failing.failures > 0;
    return finished;
}

static char expected[64];

static void fail_every_point(mk_failing_mode mode)
{
    size_t points = 0, nomem = 0;
    for (size_t n = 1;; n++) {
        char got[64] = "";
        int refused = 0;
        int finished = run_once(mode, n, &refused, got);
        if (!refused) { /* past the last allocation: every point has been tried */
            CHECK(finished && strcmp(got, expected) == 0);
            break;
        }
        points++;
        if (finished)
            CHECK(strcmp(got, expected) == 0);
        else
            nomem++;
        REQUIRE(n < 100000);
    }
    printf("  %s: %zu allocation points, %zu ended in SQLITE_NOMEM\n",
           mode == MK_FAIL_NTH ? "fail the nth" : "fail all after n", points, nomem);
    CHECK(points > 200);
    CHECK(nomem > points / 2);
}

static void test_fail_nth(void)
{
    fail_every_point(MK_FAIL_NTH);
}

static void test_fail_after(void)
{
    fail_every_point(MK_FAIL_AFTER);
}

/* xSize is the heap's usable size, never less than asked, and xRoundup(n) is what a
 * request of n really gets. */
static void test_sizes_are_the_heaps(void)
{
    mk_heap_init(&heap);
    REQUIRE(mk_heap_add_region(&heap, region, sizeof region, 0) == MK_OK);
    mk_sqlite_mem_methods(mk_heap_allocator(&heap), &heap, &methods);
    for (int n = 1; n < 3000; n += 7) {
        void *p = methods.xMalloc(n);
        REQUIRE(p != NULL);
        int size = methods.xSize(p);
        CHECK(size >= n && (size_t)size == mk_heap_usable_size(&heap, p));
        CHECK(methods.xRoundup(n) == size || methods.xRoundup(n) + (int)MK_ALIGN >= size);
        void *q = methods.xRealloc(p, n * 2);
        REQUIRE(q != NULL);
        CHECK(methods.xSize(q) >= n * 2);
        methods.xFree(q);
    }
    CHECK(methods.xMalloc(-1) == NULL);
    mk_heap_stats s;
    mk_heap_get_stats(&heap, 0, &s);
    CHECK(s.used_blocks == 0);
}

int main(void)
{
    int refused = 0;
    REQUIRE(run_once(MK_FAIL_NONE, 0, &refused, expected));
    printf("query result %s\n", expected);
    RUN(test_fail_nth);
    RUN(test_fail_after);
    RUN(test_sizes_are_the_heaps);
    TEST_MAIN_END();
}
