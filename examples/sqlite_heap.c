/*
 * SQLite in a fixed 1 MiB memkit heap: runs an SQL file on a temporary on-disk database
 * (as a device keeps its database in flash) with a 256 KiB page cache, printing result
 * rows as the sqlite3 shell does in its default list mode, then reports the heap's peak
 * and SQLite's own high-water mark on stderr.
 *
 *     sqlite_heap FILE.sql [REGION_BYTES]   run in a region of that size (default 1 MiB)
 *     sqlite_heap --bisect FILE.sql         find the smallest region the file runs in
 *
 * Build: cc -Iinclude -Isrc examples/sqlite_heap.c src/adapters/sqlite_mem.c src/{err,
 * heap,heap_inspect,alloc}.c -lsqlite3
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memkit/heap.h"
#include "memkit/sqlite_mem.h"

enum { REGION = 1024 * 1024, LARGEST = 16 * 1024 * 1024 };

static _Alignas(64) unsigned char region[LARGEST];

static int print_row(void *ctx, int ncols, char **values, char **names)
{
    (void)ctx;
    (void)names;
    for (int i = 0; i < ncols; i++)
        printf("%s%s", i ? "|" : "", values[i] ? values[i] : "");
    putchar('\n');
    return 0;
}

typedef struct run_result {
    int status;            /* SQLITE_OK, SQLITE_NOMEM, ... */
    mk_heap_stats stats;   /* after shutdown, with the peak */
    sqlite3_int64 hiwater; /* SQLite's peak of outstanding xSize bytes */
} run_result;

/* Runs `sql` with SQLite's memory in a region of `size` bytes; exits if the heap is not
 * clean after sqlite3_shutdown. */
static run_result run(const char *sql, size_t size)
{
    run_result r = { .status = SQLITE_NOMEM };
    static mk_heap heap;
    static sqlite3_mem_methods methods;
    mk_heap_init(&heap);
    if (mk_heap_add_region(&heap, region, size, 0) != MK_OK)
        return r;
    mk_sqlite_mem_methods(mk_heap_allocator(&heap), &heap, &methods);
    if (sqlite3_config(SQLITE_CONFIG_MALLOC, &methods) != SQLITE_OK ||
        sqlite3_initialize() != SQLITE_OK)
        return r;
    sqlite3 *db = NULL;
    r.status = sqlite3_open("", &db); /* "": a private temporary file */
    char *err = NULL;
    if (r.status == SQLITE_OK)
        r.status = sqlite3_exec(db, "PRAGMA cache_size = -256", NULL, NULL, &err);
    if (r.status == SQLITE_OK)
        r.status = sqlite3_exec(db, sql, print_row, NULL, &err);
    if (r.status != SQLITE_OK && r.status != SQLITE_NOMEM)
        fprintf(stderr, "sqlite: %s\n", err ? err : sqlite3_errstr(r.status));
    sqlite3_free(err);
    sqlite3_close(db);
    sqlite3_int64 current;
    sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &current, &r.hiwater, 1);
    sqlite3_shutdown();
    mk_heap_get_stats(&heap, 0, &r.stats);
    if (r.stats.used_blocks != 0 || mk_heap_check(&heap) != MK_OK) {
        fprintf(stderr, "sqlite_heap: the heap is not clean after sqlite3_shutdown\n");
        exit(2);
    }
    return r;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char text[1 << 20];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    return text;
}

int main(int argc, char **argv)
{
    int bisect = argc == 3 && strcmp(argv[1], "--bisect") == 0;
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: sqlite_heap FILE.sql [REGION_BYTES] | sqlite_heap --bisect FILE.sql\n");
        return 1;
    }
    const char *sql = read_file(argv[bisect ? 2 : 1]);
    if (!sql) {
        perror(argv[bisect ? 2 : 1]);
        return 1;
    }
    if (bisect) {
        if (!freopen("/dev/null", "w", stdout))
            return 1;
        size_t lo = 4096, hi = LARGEST;
        run_result best = run(sql, hi);
        if (best.status != SQLITE_OK)
            return 1;
        while (hi - lo > 64) {
            size_t mid = lo + (hi - lo) / 2;
            run_result r = run(sql, mid);
            if (r.status == SQLITE_OK) {
                hi = mid;
                best = r;
            } else {
                lo = mid;
            }
        }
        fprintf(stderr, "smallest region %zu bytes; SQLite's peak live %lld bytes; ratio %.3f\n",
                hi, (long long)best.hiwater, (double)hi / (double)best.hiwater);
        return 0;
    }
    size_t size = argc == 3 ? strtoul(argv[2], NULL, 0) : REGION;
    if (size == 0 || size > LARGEST) {
        fprintf(stderr, "sqlite_heap: region size must be 1..%d bytes\n", LARGEST);
        return 1;
    }
    run_result r = run(sql, size);
    fflush(stdout);
    fprintf(stderr, "heap %zu bytes: peak used %zu bytes in blocks, SQLite's peak live %lld "
                    "bytes, %zu allocations\n", size, r.stats.peak_used_bytes,
            (long long)r.hiwater, r.stats.alloc_count);
    if (r.status == SQLITE_NOMEM)
        fprintf(stderr, "sqlite_heap: out of memory in %zu bytes\n", size);
    return r.status == SQLITE_OK ? 0 : 1;
}
