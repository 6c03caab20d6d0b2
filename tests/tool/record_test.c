/* Records tests/tool/record_target.c with memkit-record and checks the trace: the main
 * thread's known calls in order with their sizes, the worker's thread field, address
 * reuse consistent across threads, nothing from the children, the deliberately leaked
 * block still live, output and exit status as in a plain run, and the launcher's errors.
 * Usage: record_test MEMKIT_RECORD RECORD_TARGET WORK_PREFIX */
#define _GNU_SOURCE
#include "test.h"

#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CAP48 ((uint64_t)1 << 48)
/* malloc(SIZE_MAX) as written: sizes over 2^48 are clamped to it, still a failure. */
#define HUGE ((uint64_t)SIZE_MAX < CAP48 ? (uint64_t)SIZE_MAX : CAP48)

typedef struct event {
    char op;
    uint64_t id, id2; /* id2: the new id of r */
    uint64_t n1, n2;  /* m: size; c: count size; a: align size; r: size */
    unsigned t;
} event;

static event events[20000];
static size_t nevents;

/* Runs argv with stdout to out_path (and stderr to /dev/null when quiet); returns the
 * wait status. */
static int run(char *const argv[], const char *out_path, bool quiet)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || dup2(fd, 1) < 0)
            _exit(120);
        if (quiet) {
            int null = open("/dev/null", O_WRONLY);
            if (null >= 0)
                dup2(null, 2);
        }
        execv(argv[0], argv);
        _exit(121);
    }
    int status = -1;
    waitpid(pid, &status, 0);
    return status;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char data[1 << 20];
    size_t n = fread(data, 1, sizeof data - 1, f);
    fclose(f);
    data[n] = '\0';
    return data;
}

/* Parses one event line; false for anything that is not a well-formed event. */
static bool parse(char *line, event *e)
{
    char *tok[8];
    int n = 0;
    for (char *s = strtok(line, " "); s && n < 8; s = strtok(NULL, " "))
        tok[n++] = s;
    if (n < 2 || strlen(tok[0]) != 1)
        return false;
    memset(e, 0, sizeof *e);
    e->op = tok[0][0];
    int fixed = e->op == 'f' ? 2 : e->op == 'm' ? 3 : 4;
    if (n < fixed || !strchr("mcarf", e->op))
        return false;
    e->id = strtoull(tok[1], NULL, 16);
    if (e->op == 'r') {
        e->id2 = strtoull(tok[2], NULL, 16);
        e->n1 = strtoull(tok[3], NULL, 10);
    } else if (e->op != 'f') {
        e->n1 = strtoull(tok[2], NULL, 10);
        e->n2 = fixed == 4 ? strtoull(tok[3], NULL, 10) : 0;
    }
    for (int i = fixed; i < n; i++) {
        if (strncmp(tok[i], "t=", 2))
            return false;
        e->t = (unsigned)strtoul(tok[i] + 2, NULL, 10);
    }
    return true;
}

static void load(char *text)
{
    char *save = NULL;
    char *line = strtok_r(text, "\n", &save);
    REQUIRE(line && !strcmp(line, "memkit-trace 1"));
    nevents = 0;
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        REQUIRE(nevents < sizeof events / sizeof events[0]);
        char copy[256];
        snprintf(copy, sizeof copy, "%s", line);
        if (!parse(copy, &events[nevents]))
            fprintf(stderr, "bad line: %s\n", line);
        CHECK(parse(line, &events[nevents]));
        nevents++;
    }
}

/* The size an allocation event asked for, or 0 for a free. */
static uint64_t size_of(const event *e)
{
    switch (e->op) {
    case 'm': case 'r': return e->n1;
    case 'c': return e->n1 * e->n2;
    case 'a': return e->n2;
    default: return 0;
    }
}

static uint64_t live[4096];
static size_t nlive;

static bool is_live(uint64_t id)
{
    for (size_t i = 0; i < nlive; i++)
        if (live[i] == id)
            return true;
    return false;
}
static void kill_id(uint64_t id)
{
    for (size_t i = 0; i < nlive; i++)
        if (live[i] == id) {
            live[i] = live[--nlive];
            return;
        }
}
static void add_id(uint64_t id)
{
    if (!id)
        return;
    CHECK(!is_live(id)); /* handed out twice without a free between: order is wrong */
    REQUIRE(nlive < sizeof live / sizeof live[0]);
    live[nlive++] = id;
}

/* Address reuse must be consistent: every free names a live block, no block is handed
 * out while live. This is what breaks if threads' events are written out of order. */
static void check_liveness(void)
{
    nlive = 0;
    for (size_t i = 0; i < nevents; i++) {
        const event *e = &events[i];
        if (e->op == 'f') {
            CHECK(is_live(e->id));
            kill_id(e->id);
        } else if (e->op == 'r') {
            if (e->id && (e->id2 || e->n1 == 0)) { /* moved, or realloc(p, 0) freed */
                CHECK(is_live(e->id));
                kill_id(e->id);
            }
            add_id(e->id2);
        } else {
            add_id(e->id);
        }
    }
}

static size_t find(char op, uint64_t size, size_t from)
{
    for (size_t i = from; i < nevents; i++)
        if (events[i].op == op && size_of(&events[i]) == size)
            return i;
    return nevents;
}

static void check_known_sequence(void)
{
    size_t i = find('m', 1001, 0);
    REQUIRE(i < nevents);
    uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
    struct { char op; uint64_t n1, n2; } want[] = {
        {'m', 1001, 0}, {'f', 0, 0},     {'m', 100, 0},    {'c', 10, 24},
        {'r', 5000, 0}, {'a', 64, 256},  {'a', 128, 300},  {'a', 32, 40},
        {'a', page, 10}, {'a', page, page}, {'r', 150, 0}, {'m', HUGE, 0},
        {'f', 0, 0},    {'f', 0, 0},     {'f', 0, 0},      {'f', 0, 0},
        {'f', 0, 0},    {'f', 0, 0},     {'r', 0, 0},      {'m', 1002, 0},
    };
    size_t n = sizeof want / sizeof want[0];
    const event *e = &events[i];
    REQUIRE(i + n <= nevents);
    for (size_t k = 0; k < n; k++) {
        CHECK(e[k].op == want[k].op);
        CHECK(e[k].n1 == want[k].n1 && e[k].n2 == want[k].n2);
        CHECK(e[k].t == 0);
    }
    /* Ids tie the calls together as the program did. */
    CHECK(e[1].id == e[0].id);
    CHECK(e[4].id == e[2].id && e[4].id2 != 0);           /* realloc(a, 5000) */
    CHECK(e[10].id == 0 && e[10].id2 != 0);                /* reallocarray(NULL, ..) */
    CHECK(e[11].id == 0);                                  /* malloc(SIZE_MAX) failed */
    CHECK(e[12].id == e[3].id && e[13].id == e[4].id2);    /* free(b), free(a) */
    CHECK(e[14].id == e[6].id && e[17].id == e[9].id);     /* free(d) .. free(g) */
    CHECK(e[18].id == e[10].id2 && e[18].id2 == 0);        /* realloc(h, 0) */
    CHECK(e[5].id % 64 == 0 && e[6].id % 128 == 0 && e[8].id % page == 0);
    check_liveness();
    CHECK(is_live(e[5].id));  /* aligned_alloc(64, 256) was never freed */
    CHECK(!is_live(e[2].id) || e[2].id == e[5].id);
}

static void check_threads(void)
{
    unsigned worker_t = 0;
    size_t worker = 0, main_thread = 0;
    for (size_t i = 0; i < nevents; i++) {
        const event *e = &events[i];
        if (e->op != 'm')
            continue;
        if (e->n1 >= 2000 && e->n1 < 2500) {
            if (!worker)
                worker_t = e->t;
            CHECK(e->t == worker_t);
            worker++;
        } else if (e->n1 >= 3000 && e->n1 < 3500) {
            CHECK(e->t == 0);
            main_thread++;
        }
        CHECK(e->n1 != 4242 && e->n1 != 4343); /* the children are not recorded */
    }
    CHECK(worker == 500 && main_thread == 500);
    CHECK(worker_t != 0);
}

static void check_launcher_errors(char *rec, char *target, const char *prefix)
{
    char out[4096], bad[4096];
    snprintf(out, sizeof out, "%s.err.out", prefix);
    snprintf(bad, sizeof bad, "%s.no-such-dir/x.trace", prefix);
    char *no_program[] = {rec, "-o", out, NULL};
    CHECK(WEXITSTATUS(run(no_program, out, true)) == 2);
    char *missing[] = {rec, "-o", out, "--", "/nonexistent/program", NULL};
    CHECK(WEXITSTATUS(run(missing, out, true)) == 127);
    char *unwritable[] = {rec, "-o", bad, "--", target, NULL};
    CHECK(WEXITSTATUS(run(unwritable, out, true)) == 2);
    char trace[4096];
    snprintf(trace, sizeof trace, "%s.killed.trace", prefix);
    char *killed[] = {rec, "-o", trace, "--", target, "signal", NULL};
    int status = run(killed, out, true);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 128 + SIGTERM); /* as shells say */
    char *text = slurp(trace);
    CHECK(text && !strncmp(text, "memkit-trace 1\n", 15));
}

int main(int argc, char **argv)
{
    REQUIRE(argc == 4);
    char plain_out[4096], rec_out[4096], trace[4096];
    snprintf(plain_out, sizeof plain_out, "%s.plain.out", argv[3]);
    snprintf(rec_out, sizeof rec_out, "%s.rec.out", argv[3]);
    snprintf(trace, sizeof trace, "%s.trace", argv[3]);

    char *plain[] = {argv[2], NULL};
    char *recorded[] = {argv[1], "-o", trace, "--", argv[2], NULL};
    int s1 = run(plain, plain_out, false);
    int s2 = run(recorded, rec_out, false);
    CHECK(WIFEXITED(s1) && WEXITSTATUS(s1) == 3);
    CHECK(WIFEXITED(s2) && WEXITSTATUS(s2) == 3);
    char *text = slurp(plain_out);
    REQUIRE(text);
    char expect[4096];
    snprintf(expect, sizeof expect, "%s", text);
    CHECK(!strcmp(expect, "known sequence done\nthreads done\nexec'd child done\n"
                          "child exited 0\n"));
    text = slurp(rec_out);
    CHECK(text && !strcmp(text, expect));

    text = slurp(trace);
    REQUIRE(text);
    load(text);
    RUN(check_known_sequence);
    RUN(check_threads);
    check_launcher_errors(argv[1], argv[2], argv[3]);
    TEST_MAIN_END();
}
