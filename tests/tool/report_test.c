/* The report's parts: the bounded series keeps peaks and failures, the size histogram
 * buckets, a heap snapshot agrees with the heap's own statistics, bad input is refused
 * before anything is written, the map stays small for a heap of many tiny blocks, and
 * the progress bar draws on a terminal only. Writes PREFIX-synthetic.html and
 * PREFIX-heap.html for tests/tool/report_browser.py. Usage: report_test PREFIX */
#define _XOPEN_SOURCE 700
#include "test.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "progress.h"
#include "report.h"

static void test_series(void)
{
    mkt_report_sample pts[8];
    mkt_series s;
    CHECK(!mkt_series_init(&s, pts, 1));
    REQUIRE(mkt_series_init(&s, pts, 8));
    for (uint64_t i = 0; i < 1000; i++) {
        mkt_report_sample x = {.event = i, .live = (size_t)i, .used = (size_t)i + 10,
                               .capacity = 5000, .failed = i == 800};
        if (i == 437)
            x.used = 1000000;
        mkt_series_add(&s, &x);
    }
    CHECK(s.n >= 4 && s.n <= 8);
    size_t top = 0, failures = 0;
    for (size_t i = 0; i < s.n; i++) {
        top = pts[i].used > top ? pts[i].used : top;
        failures += pts[i].failed;
        if (i)
            CHECK(pts[i].event > pts[i - 1].event);
    }
    CHECK(top == 1000000);
    CHECK(failures == 1);
    CHECK(pts[s.n - 1].event == 999 && pts[s.n - 1].live == 999);
}

static void test_hist(void)
{
    mkt_size_hist h = {0};
    mkt_report_bucket b[16];
    CHECK(mkt_size_hist_buckets(&h, b, 16) == 0);
    size_t sizes[] = {0, 1, 2, 3, 4, 5, 1000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        mkt_size_hist_add(&h, sizes[i]);
    REQUIRE(mkt_size_hist_buckets(&h, b, 16) == 11);
    CHECK(b[0].lo == 0 && b[0].hi == 1 && b[0].count == 2);
    CHECK(b[1].lo == 2 && b[1].hi == 2 && b[1].count == 1);
    CHECK(b[2].lo == 3 && b[2].hi == 4 && b[2].count == 2);
    CHECK(b[3].lo == 5 && b[3].hi == 8 && b[3].count == 1);
    CHECK(b[9].count == 0);
    CHECK(b[10].lo == 513 && b[10].hi == 1024 && b[10].count == 1);
    CHECK(mkt_size_hist_buckets(&h, b, 3) == 3);
}

static _Alignas(16) unsigned char mem_a[64 * 1024], mem_b[16 * 1024];
static void *ptrs[600];

/* A heap over two regions after a random workload (seed logged). */
static void random_heap(mk_heap *h, unsigned long long seed)
{
    printf("random heap seed %llu\n", seed);
    mk_heap_init(h);
    REQUIRE(mk_heap_add_region(h, mem_a, sizeof mem_a, MK_CAP_INTERNAL) == MK_OK);
    REQUIRE(mk_heap_add_region(h, mem_b, sizeof mem_b, MK_CAP_DMA) == MK_OK);
    memset(ptrs, 0, sizeof ptrs);
    for (int i = 0; i < 20000; i++) {
        size_t k = test_range(&seed, 0, 599);
        if (ptrs[k]) {
            mk_heap_free(h, ptrs[k]);
            ptrs[k] = NULL;
        } else {
            ptrs[k] = mk_heap_alloc(h, test_range(&seed, 1, 300));
        }
    }
}

static void check_snapshot(const mk_heap *h, const mkt_heap_snapshot *s)
{
    mk_heap_stats st;
    mk_heap_get_stats(h, 0, &st);
    CHECK(s->nregions == 2);
    size_t used = 0, free_bytes = 0, used_blocks = 0, free_blocks = 0;
    for (size_t r = 0; r < s->nregions; r++) {
        const mkt_report_region *g = &s->regions[r];
        size_t end = 0;
        for (size_t i = 0; i < g->nblocks; i++) {
            CHECK(g->blocks[i].offset == end); /* contiguous, in order */
            end += g->blocks[i].size;
            if (g->blocks[i].used) {
                used += g->blocks[i].size;
                used_blocks++;
            } else {
                free_bytes += g->blocks[i].size;
                free_blocks++;
            }
        }
        CHECK(end == g->size);
    }
    CHECK(used == st.used_bytes && free_bytes == st.free_bytes);
    CHECK(used_blocks == st.used_blocks && free_blocks == st.free_blocks);
    CHECK(s->regions[1].caps == MK_CAP_DMA);
}

static int write_file(const char *path, const mkt_report *r)
{
    FILE *f = fopen(path, "w");
    REQUIRE(f);
    int rc = mkt_report_write(f, r);
    fclose(f);
    return rc;
}

static char *slurp(const char *path, size_t *n)
{
    static char data[4 << 20];
    FILE *f = fopen(path, "rb");
    REQUIRE(f);
    *n = fread(data, 1, sizeof data - 1, f);
    fclose(f);
    data[*n] = '\0';
    return data;
}

static size_t count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void test_bad_input(void)
{
    FILE *f = tmpfile();
    REQUIRE(f);
    mkt_report_block blocks[] = {{0, 64, true}, {32, 64, false}}; /* overlap */
    mkt_report_region g = {.name = "bad", .size = 128, .blocks = blocks, .nblocks = 2};
    mkt_report r = {.peak = &g, .npeak = 1};
    errno = 0;
    CHECK(mkt_report_write(f, &r) == -1 && errno == EINVAL);
    blocks[1] = (mkt_report_block){64, 65, false}; /* past the end */
    CHECK(mkt_report_write(f, &r) == -1);
    r = (mkt_report){.nsamples = 3}; /* NULL array with a count */
    CHECK(mkt_report_write(f, &r) == -1);
    CHECK(mkt_report_write(NULL, &r) == -1 && mkt_report_write(f, NULL) == -1);
    CHECK(ftell(f) == 0);
    fclose(f);
}

static mkt_report_block tiny[100000];

static void test_synthetic(const char *prefix)
{
    /* 100,000 16-byte blocks alternating used and free: the map must merge them. */
    for (size_t i = 0; i < 100000; i++)
        tiny[i] = (mkt_report_block){i * 16, 16, i % 2 == 0};
    mkt_report_block big[] = {{0, 4000, true}, {4000, 1000, false}, {5000, 3000, true},
                              {8000, 24, false}, {8024, 8168, true}};
    mkt_report_region regions[] = {
        {.name = "sram <main>", .base = 0x20000000, .size = 1600000, .caps = 1,
         .blocks = tiny, .nblocks = 100000},
        {.name = "dma", .base = 0x30000000, .size = 16192, .caps = 4, .blocks = big,
         .nblocks = 5},
    };
    mkt_report_sample samples[200];
    for (size_t i = 0; i < 200; i++)
        samples[i] = (mkt_report_sample){.event = i * 50, .live = 1000 + 40 * i,
                                         .used = 1200 + 48 * i, .capacity = 16384,
                                         .failed = i == 150 || i == 190};
    mkt_report_bucket sizes[] = {{0, 16, 500}, {17, 32, 1200}, {33, 64, 80}, {65, 128, 0},
                                 {129, 256, 9}};
    mkt_report_row rows[] = {{"trace", "synthetic & <escaped>"}, {"events", "10000"}};
    mkt_report r = {.title = "synthetic report", .summary = rows, .nsummary = 2,
                    .samples = samples, .nsamples = 200, .peak = regions, .npeak = 2,
                    .peak_event = 7500, .failure = &regions[1], .nfailure = 1,
                    .failure_event = 7500, .sizes = sizes, .nsizes = 5};
    char path[4096];
    snprintf(path, sizeof path, "%s-synthetic.html", prefix);
    REQUIRE(write_file(path, &r) == 0);
    size_t n;
    char *html = slurp(path, &n);
    printf("synthetic report: %zu bytes\n", n);
    CHECK(n < 1000000); /* bounded by the map's pixels, not by 100,000 blocks */
    CHECK(!strstr(html, "<script") && !strstr(html, "http://www.w3.org/1999/xlink"));
    CHECK(strstr(html, "synthetic &amp; &lt;escaped&gt;") != NULL);
    CHECK(strstr(html, "sram &lt;main&gt;") != NULL);
    CHECK(count(html, "<svg") == 5); /* usage, three region maps, sizes */
    CHECK(count(html, "failure near event") == 2);
    CHECK(strstr(html, "free block at 0x30000fa0, 1000 bytes") != NULL);
    CHECK(strstr(html, "largest free block 1000 (fragmentation 2.3%)") != NULL);
}

static void test_heap_report(const char *prefix)
{
    mk_heap h;
    random_heap(&h, 42);
    mkt_heap_snapshot peak, fail;
    REQUIRE(mkt_heap_snapshot_take(&peak, &h) == MK_OK);
    check_snapshot(&h, &peak);
    size_t fails_at = 0; /* fill with 1 KiB blocks until one fails */
    while (mk_heap_alloc(&h, 1024))
        fails_at++;
    REQUIRE(mkt_heap_snapshot_take(&fail, &h) == MK_OK);
    check_snapshot(&h, &fail);
    mkt_report r = {.title = "random heap", .peak = peak.regions, .npeak = peak.nregions,
                    .peak_event = 20000, .failure = fail.regions, .nfailure = fail.nregions,
                    .failure_event = 20000 + fails_at};
    char path[4096];
    snprintf(path, sizeof path, "%s-heap.html", prefix);
    CHECK(write_file(path, &r) == 0);
    size_t n;
    char *html = slurp(path, &n);
    CHECK(count(html, "<svg") == 4);
    CHECK(strstr(html, "No samples.") && strstr(html, "No requests."));
    mkt_heap_snapshot_free(&peak);
    mkt_heap_snapshot_free(&fail);
    CHECK(peak.blocks == NULL && peak.nregions == 0);
    CHECK(mkt_heap_snapshot_take(NULL, &h) == MK_EINVAL);
}

static void test_progress(void)
{
    int pipefd[2];
    REQUIRE(pipe(pipefd) == 0);
    mkt_progress p;
    mkt_progress_start(&p, pipefd[1], 100);
    mkt_progress_update(&p, 50);
    mkt_progress_finish(&p);
    close(pipefd[1]);
    char buf[4096];
    CHECK(read(pipefd[0], buf, sizeof buf) == 0); /* not a terminal: silent */
    close(pipefd[0]);

    int master = posix_openpt(O_RDWR | O_NOCTTY);
    REQUIRE(master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0);
    int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    REQUIRE(slave >= 0);
    /* 2,001 updates over 20 steps; little output, so the pty's buffer never fills. */
    mkt_progress_start(&p, slave, 20);
    for (uint64_t i = 0; i <= 2000; i++)
        mkt_progress_update(&p, i / 100);
    mkt_progress_finish(&p);
    /* A pty hands data over asynchronously: read until the bar's erase arrives. */
    size_t got = 0;
    buf[0] = '\0';
    for (int tries = 0; tries < 200 && !strstr(buf, "\033[K"); tries++) {
        struct pollfd pfd = {.fd = master, .events = POLLIN};
        if (poll(&pfd, 1, 50) == 1) {
            ssize_t n = read(master, buf + got, sizeof buf - 1 - got);
            if (n > 0)
                got += (size_t)n;
            buf[got] = '\0';
        }
    }
    CHECK(strstr(buf, "100.0%") != NULL && strstr(buf, " 50.0%") != NULL);
    CHECK(count(buf, "\r[") == 21); /* one redraw per change shown, not per update */
    close(slave);
    close(master);
}

int main(int argc, char **argv)
{
    REQUIRE(argc == 2);
    RUN(test_series);
    RUN(test_hist);
    RUN(test_bad_input);
    test_synthetic(argv[1]);
    test_heap_report(argv[1]);
    RUN(test_progress);
    TEST_MAIN_END();
}
