/* The tool's engine without the CLI: trace parsing and its id bookkeeping, the binary
 * round trip at event level, map parsing, and the replay's per-event view checked
 * against the heap's own statistics. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "replay.h"
#include "test.h"
#include "trace.h"

static char err[512];

static bool parse(mkt_trace *t, const char *text)
{
    return mkt_trace_parse(t, "mem", (const unsigned char *)text, strlen(text), err, sizeof err);
}

static const char five[] = "memkit-trace 1\n"
                           "m 10 100\n"
                           "m 20 200 t=1\n"
                           "r 10 30 300\n"
                           "f 20\n"
                           "a 40 64 50 caps=4\n";

static void test_five_events(void)
{
    mkt_trace t;
    REQUIRE(parse(&t, five));
    CHECK(t.count == 5);
    CHECK(t.format == MKT_TEXT);
    /* live: 100, 300, 200 + 300 = 500, 300, 350 */
    CHECK(t.peak_live_bytes == 500);
    CHECK(t.peak_live_event == 2);
    CHECK(t.peak_live_blocks == 2);
    CHECK(t.final_live_blocks == 2 && t.final_live_bytes == 350);
    CHECK(t.events[1].thread == 1 && (t.events[1].flags & MKT_HAS_THREAD));
    CHECK(t.events[4].caps == 4 && t.events[4].arg == 64);
    /* The realloc ends the slot of id 10 and makes one for id 30. */
    CHECK(t.events[2].ended == t.events[0].born);
    CHECK(t.events[2].born != MKT_NO_SLOT);
    mkt_trace_free(&t);
}

static bool find_dma_block(void *ctx, const mk_heap_block_info *b)
{
    if (b->used && b->size >= 50 && b->size < 64)
        *(uint32_t *)ctx = b->caps;
    return true;
}

static void test_replay_steps(void)
{
    mkt_trace t;
    mkt_map m;
    /* The first region lacks DMA, so the caps=4 block must go to the second. */
    static const char map_text[] = "plain 16K internal\ndmaram 16K internal dma\n";
    REQUIRE(parse(&t, five));
    REQUIRE(mkt_map_parse(&m, "m", (const unsigned char *)map_text, strlen(map_text), err,
                          sizeof err));
    mkt_replay r;
    REQUIRE(mkt_replay_init(&r, &t, &m, err, sizeof err));
    static const uint64_t live[] = { 100, 300, 500, 300, 350 };
    size_t n = 0;
    for (mkt_step s; mkt_replay_step(&r, &s); n++) {
        mk_heap_stats st;
        mkt_replay_stats(&r, 0, &st);
        CHECK(s.event == n);
        CHECK(s.live_bytes == live[n]);
        CHECK(s.heap_used == st.used_bytes); /* the engine's running count is the heap's */
        CHECK(s.capacity == 32 * 1024);
        CHECK(!s.failed);
    }
    CHECK(n == 5);
    uint32_t caps = 0;
    mkt_replay_walk(&r, find_dma_block, &caps);
    CHECK(caps & MK_CAP_DMA);
    mkt_replay_fini(&r);
    mkt_trace_free(&t);
}

static void test_replay_failures(void)
{
    mkt_trace t;
    mkt_map m;
    static const char map_text[] = "ram 2K internal resizable\n";
    /* 1500 fits in 2 KiB, the second 1500 does not; caps=4 has no region. */
    REQUIRE(parse(&t, "memkit-trace 1\nm 1 1500\nm 2 1500\nm 3 10 caps=4\nf 2\nf 1\n"));
    REQUIRE(mkt_map_parse(&m, "m", (const unsigned char *)map_text, strlen(map_text), err,
                          sizeof err));
    mkt_summary s;
    REQUIRE(mkt_replay_summarize(&t, &m, &s, err, sizeof err));
    CHECK(s.failures == 2);
    CHECK(s.first_failure_event == 1 && s.first_failure_why == MK_ENOMEM);
    CHECK(s.first_failure_bytes == 1500);
    mk_err why;
    CHECK(!mkt_replay_fits(&t, &m, &why, err, sizeof err) && err[0] == '\0');
    CHECK(why == MK_ENOMEM);
    mkt_plan_result p;
    REQUIRE(mkt_plan(&t, &m, &p, err, sizeof err));
    CHECK(!p.found); /* no size gives a DMA region */
    mkt_trace_free(&t);
}

/* Bad input: one message naming the place. */
static void expect_error(const char *text, size_t n, const char *where)
{
    mkt_trace t;
    bool ok = mkt_trace_parse(&t, "mem", (const unsigned char *)text, n, err, sizeof err);
    CHECK(!ok);
    if (!ok && !strstr(err, where))
        fprintf(stderr, "  message '%s' lacks '%s'\n", err, where);
    CHECK(ok || strstr(err, where) != NULL);
    CHECK(t.events == NULL && t.count == 0);
}

static void test_bad_input(void)
{
    expect_error("memkit-trace 1\nm 10\n", 20, "mem:2: 'm' needs 2 fields");
    expect_error("memkit-trace 1\nm 10 5\nq 10\n", 26, "mem:3: unknown op");
    expect_error("memkit-trace 1\nf 10\n", 20, "mem:2: free of id 10, which is not live");
    expect_error("memkit-trace 1\nm 10 281474976710657\n", 36, "mem:2: size 281474976710657");
    expect_error("memkit-trace 1\nc 10 16777216 33554432\n", 38, "mem:2: calloc of 16777216 x 33554432");
    expect_error("memkit-trace 1\nm 10 5\nm 10 5\n", 29, "mem:3: id 10 returned while");
    expect_error("memkit-trace 1\nm 10 5 7\n", 24, "mem:2: extra field");
    expect_error("memkit-trace 1\nm 10 5\0\n", 23, "mem:2: NUL byte");
    expect_error("memkit-trace 2\n", 15, "mem:1: the first line");
    expect_error("\0MKT\1\x01\x14", 7, "mem: byte 5: truncated");
    expect_error("\0MKT\1\x01\x14\x08\x07", 9, "mem: byte 8: unknown opcode 0x07");
    expect_error("\0MKT\1\x05\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 16, "mem: byte 5:");
    expect_error("\0MKT\2", 5, "unsupported binary trace version 2");
    expect_error("\0MKT", 4, "mem: byte 4: truncated header");
    expect_error("+ 0x10\n", 7, "mem:1: '' is not a size");
    expect_error("< 0x10\n- 0x10\n", 14, "mem:2: '<' line not followed");
    expect_error("hello", 5, "not a trace");
    expect_error("", 0, "not a trace");
}

/* Many live ids, freed in an order unrelated to their hashes: every free must find its
 * id after the table has grown and shifted entries back on deletion. */
static void test_many_ids(void)
{
    enum { N = 50000 };
    size_t cap = 32 + (size_t)N * 2 * 40;
    char *text = malloc(cap), *w = text;
    REQUIRE(text);
    w += sprintf(w, "memkit-trace 1\n");
    for (unsigned i = 0; i < N; i++)
        w += sprintf(w, "m %x 8\n", i * 48u + 16u);
    unsigned long long seed = 7;
    unsigned *order = malloc(N * sizeof *order);
    REQUIRE(order);
    for (unsigned i = 0; i < N; i++)
        order[i] = i;
    for (unsigned i = N - 1; i > 0; i--) {
        size_t j = test_range(&seed, 0, i);
        unsigned x = order[i];
        order[i] = order[j];
        order[j] = x;
    }
    for (unsigned i = 0; i < N; i++)
        w += sprintf(w, "f %x\n", order[i] * 48u + 16u);
    mkt_trace t;
    bool ok = parse(&t, text);
    if (!ok)
        fprintf(stderr, "  %s\n", err);
    REQUIRE(ok);
    CHECK(t.count == 2 * N);
    CHECK(t.peak_live_blocks == N && t.peak_live_bytes == 8u * N);
    CHECK(t.final_live_blocks == 0);
    CHECK(t.slots == N);
    mkt_trace_free(&t);
    free(order);
    free(text);
}

static bool same_event(const mkt_event *a, const mkt_event *b)
{
    return a->op == b->op && a->id == b->id && a->id2 == b->id2 && a->size == b->size &&
           a->arg == b->arg && a->caps == b->caps && a->thread == b->thread &&
           a->flags == b->flags && a->born == b->born && a->ended == b->ended;
}

/* Text -> binary -> events: every field survives, including ids far apart (large
 * negative deltas), the largest id and size, and the optional fields. */
static void test_binary_round_trip(void)
{
    static const char text[] = "memkit-trace 1\n"
                               "m ffffffffffffffff 281474976710656\n"
                               "m 1 0 t=4294967295\n"
                               "c 8000000000000000 3 7 caps=ffffffff\n"
                               "a 2 4096 10 t=0 caps=0\n"
                               "r 1 3 99\n"
                               "r 0 4 5\n"
                               "m 0 18446744073709551615\n"
                               "r 4 0 12\n"
                               "r 4 0 0\n"
                               "f 0\n"
                               "f 3\n"
                               "f ffffffffffffffff\n";
    mkt_trace t, back;
    REQUIRE(parse(&t, text));
    FILE *f = tmpfile();
    REQUIRE(f);
    REQUIRE(mkt_trace_write_binary(&t, f));
    long n = ftell(f);
    REQUIRE(n > 5);
    unsigned char *bin = malloc((size_t)n);
    REQUIRE(bin);
    rewind(f);
    REQUIRE(fread(bin, 1, (size_t)n, f) == (size_t)n);
    fclose(f);
    REQUIRE(mkt_trace_parse(&back, "bin", bin, (size_t)n, err, sizeof err));
    CHECK(back.format == MKT_BINARY);
    CHECK(back.count == t.count);
    for (size_t i = 0; i < t.count && i < back.count; i++)
        CHECK(same_event(&t.events[i], &back.events[i]));
    CHECK(back.recorded_failures == 2 && t.recorded_failures == 2);
    /* Every proper prefix is a truncated record or a shorter valid trace, never a crash. */
    for (long cut = 5; cut < n; cut++) {
        mkt_trace part;
        if (mkt_trace_parse(&part, "bin", bin, (size_t)cut, err, sizeof err)) {
            CHECK(part.count < t.count);
            mkt_trace_free(&part);
        } else {
            CHECK(strstr(err, "truncated") != NULL);
        }
    }
    free(bin);
    mkt_trace_free(&back);
    mkt_trace_free(&t);
}

static void test_maps(void)
{
    mkt_map m;
    static const char good[] = "# c\nfast 64K internal atomic  # trailing comment\n"
                               "\n big\t4M external user3 resizable\r\nodd 1000\n";
    REQUIRE(mkt_map_parse(&m, "m", (const unsigned char *)good, strlen(good), err, sizeof err));
    CHECK(m.count == 3);
    CHECK(strcmp(m.regions[1].name, "big") == 0);
    CHECK(m.regions[0].size == 65536 && m.regions[1].size == 4u << 20 && m.regions[2].size == 1000);
    CHECK(m.regions[0].caps == (MK_CAP_INTERNAL | MK_CAP_ATOMIC));
    CHECK(m.regions[1].caps == (MK_CAP_EXTERNAL | (MK_CAP_USER0 << 3)));
    CHECK(m.resizable == 1);
    CHECK(mkt_map_total(&m) == 65536u + (4u << 20) + 1000u);
    static const char *const bad[][2] = {
        { "ram 64K fast\n", "m:1: unknown word 'fast'" },
        { "ram\n", "m:1: a region needs a name and a size" },
        { "ram 0\n", "m:1: size '0'" },
        { "ram 4194304K\n", "m:1: size '4194304K'" },
        { "a 1K\na 1K\n", "m:2: region 'a' defined twice" },
        { "a 1K resizable\nb 1K resizable\n", "m:2: a second resizable" },
        { "# none\n", "m:1: no regions" },
        { "a 1K user16\n", "m:1: unknown word 'user16'" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bool ok = mkt_map_parse(&m, "m", (const unsigned char *)bad[i][0], strlen(bad[i][0]),
                                err, sizeof err);
        CHECK(!ok && strstr(err, bad[i][1]) != NULL);
    }
}

int main(void)
{
    RUN(test_five_events);
    RUN(test_replay_steps);
    RUN(test_replay_failures);
    RUN(test_bad_input);
    RUN(test_many_ids);
    RUN(test_binary_round_trip);
    RUN(test_maps);
    TEST_MAIN_END();
}
