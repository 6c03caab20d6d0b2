/* The replay, plan and convert commands: argument parsing and printing around the
 * engine (replay.h). */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "json.h"
#include "replay.h"

/* The arguments replay and plan share: FILE [--map MAP] [--json] (replay also takes
 * --report OUT.html). */
typedef struct trace_args {
    const char *file, *map, *report;
    int json;
} trace_args;

static int usage_error(const char *cmd, const char *what)
{
    fprintf(stderr, "memkit %s: %s (memkit %s --help)\n", cmd, what, cmd);
    return MKT_EXIT_USAGE;
}

static int parse_trace_args(int argc, char **argv, trace_args *a)
{
    *a = (trace_args){ 0 };
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--map") == 0 && i + 1 < argc)
            a->map = argv[++i];
        else if (strcmp(argv[i], "--report") == 0 && i + 1 < argc &&
                 strcmp(argv[0], "replay") == 0)
            a->report = argv[++i];
        else if (strcmp(argv[i], "--json") == 0)
            a->json = 1;
        else if (argv[i][0] == '-' && argv[i][1])
            return usage_error(argv[0], "unknown option or missing value");
        else if (a->file)
            return usage_error(argv[0], "more than one trace file");
        else
            a->file = argv[i];
    }
    return a->file ? MKT_EXIT_OK : usage_error(argv[0], "no trace file");
}

/* Parses the arguments, then loads the trace and the map (or the default map for the
 * trace). Returns an exit status; on MKT_EXIT_OK the caller frees *t. */
static int load_inputs(int argc, char **argv, trace_args *a, mkt_trace *t, mkt_map *m)
{
    int rc = parse_trace_args(argc, argv, a);
    if (rc)
        return rc;
    char err[512];
    if (!mkt_trace_load(t, a->file, err, sizeof err)) {
        fprintf(stderr, "memkit: %s\n", err);
        return MKT_EXIT_USAGE;
    }
    if (a->map ? !mkt_map_load(m, a->map, err, sizeof err) : (mkt_map_default(m, t), false)) {
        fprintf(stderr, "memkit: %s\n", err);
        mkt_trace_free(t);
        return MKT_EXIT_USAGE;
    }
    return MKT_EXIT_OK;
}

static const char *format_name(mkt_format f)
{
    return f == MKT_TEXT ? "text" : f == MKT_BINARY ? "binary" : "mtrace";
}

static void print_summary(const trace_args *a, const mkt_trace *t, const mkt_map *m,
                          const mkt_summary *s)
{
    printf("trace                  %s (%s)\n", a->file, format_name(t->format));
    printf("map                    %s\n", a->map ? a->map : "default: one region 'ram'");
    printf("events                 %zu\n", s->events);
    printf("peak live bytes        %llu (after event %zu)\n",
           (unsigned long long)s->peak_live_bytes, s->peak_live_event + 1);
    printf("peak heap bytes        %zu (after event %zu) of %zu\n", s->peak_heap_bytes,
           s->peak_heap_event + 1, s->capacity);
    printf("at the heap's peak     largest free block %zu, fragmentation %.1f%%\n",
           s->largest_free_at_peak, s->fragmentation_at_peak / 10.0);
    printf("\n| region | caps | size | used at peak | free at peak | largest free block |\n"
           "|---|---|---:|---:|---:|---:|\n");
    for (unsigned i = 0; i < m->count; i++) {
        char caps[160];
        mkt_caps_name(m->regions[i].caps, caps, sizeof caps);
        printf("| %s | %s | %llu | %zu | %zu | %zu |\n", m->regions[i].name, caps,
               (unsigned long long)m->regions[i].size, s->regions[i].used, s->regions[i].free,
               s->regions[i].largest_free);
    }
    printf("\nfailures               %zu", s->failures);
    if (s->failures)
        printf(" (first: event %zu, %llu bytes: %s)", s->first_failure_event + 1,
               (unsigned long long)s->first_failure_bytes, mk_strerror(s->first_failure_why));
    printf("\nfailed when recorded   %zu (not replayed)\n", t->recorded_failures);
    if (t->format == MKT_MTRACE)
        printf("unknown frees          %zu (addresses never allocated in the log)\n",
               t->unknown_frees);
    printf("live at the end        %zu blocks, %llu bytes\n", s->final_live_blocks,
           (unsigned long long)s->final_live_bytes);
}

int mkt_replay_main(int argc, char **argv)
{
    trace_args a;
    mkt_trace t;
    mkt_map m;
    int rc = load_inputs(argc, argv, &a, &t, &m);
    if (rc)
        return rc;
    mkt_summary s;
    char err[512];
    if (!mkt_replay_summarize(&t, &m, &s, err, sizeof err)) {
        fprintf(stderr, "memkit: %s: %s\n", a.map ? a.map : a.file, err);
        mkt_trace_free(&t);
        return MKT_EXIT_USAGE;
    }
    if (a.json) {
        mkt_json j;
        mkt_json_begin(&j, stdout);
        mkt_json_str(&j, "trace", a.file);
        mkt_json_uint(&j, "events", s.events);
        mkt_json_uint(&j, "peak_live_bytes", s.peak_live_bytes);
        mkt_json_uint(&j, "peak_heap_bytes", s.peak_heap_bytes);
        mkt_json_uint(&j, "capacity_bytes", s.capacity);
        mkt_json_uint(&j, "largest_free_at_peak", s.largest_free_at_peak);
        mkt_json_uint(&j, "fragmentation_permille_at_peak", s.fragmentation_at_peak);
        mkt_json_uint(&j, "failures", s.failures);
        if (s.failures) {
            mkt_json_uint(&j, "first_failure_event", s.first_failure_event + 1);
            mkt_json_str(&j, "first_failure_reason", mk_strerror(s.first_failure_why));
        }
        mkt_json_uint(&j, "recorded_failures", t.recorded_failures);
        mkt_json_uint(&j, "unknown_frees", t.unknown_frees);
        mkt_json_uint(&j, "final_live_blocks", s.final_live_blocks);
        mkt_json_uint(&j, "final_live_bytes", s.final_live_bytes);
        mkt_json_end(&j);
    } else {
        print_summary(&a, &t, &m, &s);
    }
    rc = s.failures ? MKT_EXIT_FAILURES : MKT_EXIT_OK;
    if (a.report) {
        int written = mkt_report_write_file(a.report, a.file, &t, &m, &s);
        if (written != MKT_EXIT_OK)
            rc = written;
        else if (!a.json)
            printf("report                 %s\n", a.report);
    }
    mkt_trace_free(&t);
    return rc;
}

int mkt_plan_main(int argc, char **argv)
{
    trace_args a;
    mkt_trace t;
    mkt_map m;
    int rc = load_inputs(argc, argv, &a, &t, &m);
    if (rc)
        return rc;
    mkt_plan_result p;
    char err[512];
    bool ok = mkt_plan(&t, &m, &p, err, sizeof err);
    uint64_t lower = t.peak_live_bytes;
    mkt_trace_free(&t);
    if (!ok) {
        fprintf(stderr, "memkit: %s: %s\n", a.map ? a.map : a.file, err);
        return MKT_EXIT_USAGE;
    }
    if (!p.found) {
        fprintf(stderr, "memkit: %s: no size of region '%s' up to 4 GiB lets every "
                        "allocation succeed (capabilities no region has?)\n",
                a.file, m.regions[m.resizable].name);
        return MKT_EXIT_FAILURES;
    }
    double ratio = lower ? (double)p.total_bytes / (double)lower : 0.0;
    if (a.json) {
        mkt_json j;
        mkt_json_begin(&j, stdout);
        mkt_json_str(&j, "trace", a.file);
        mkt_json_str(&j, "region", m.regions[m.resizable].name);
        mkt_json_uint(&j, "min_region_bytes", p.region_size);
        mkt_json_uint(&j, "min_heap_bytes", p.total_bytes);
        mkt_json_uint(&j, "peak_live_bytes", lower);
        mkt_json_real(&j, "ratio", ratio);
        mkt_json_uint(&j, "granule", p.granule);
        mkt_json_uint(&j, "replays", p.iterations);
        mkt_json_end(&j);
        return MKT_EXIT_OK;
    }
    printf("smallest heap          %llu bytes (region '%s' at %llu bytes; %llu fewer fails)\n",
           (unsigned long long)p.total_bytes, m.regions[m.resizable].name,
           (unsigned long long)p.region_size, (unsigned long long)p.granule);
    printf("lower bound            %llu bytes (the trace's peak live bytes)\n",
           (unsigned long long)lower);
    printf("ratio                  %.3f\n", ratio);
    printf("replays                %zu\n", p.iterations);
    return MKT_EXIT_OK;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && strcmp(s + n - k, tail) == 0;
}

int mkt_convert_main(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    int binary = -1; /* -1: by the output's name */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--binary") == 0 || strcmp(argv[i], "--text") == 0)
            binary = argv[i][2] == 'b';
        else if (argv[i][0] == '-' && argv[i][1])
            return usage_error(argv[0], "unknown option");
        else if (!in)
            in = argv[i];
        else if (!out)
            out = argv[i];
        else
            return usage_error(argv[0], "more than two files");
    }
    if (!out)
        return usage_error(argv[0], "needs IN and OUT");
    if (binary < 0)
        binary = ends_with(out, ".mkt");
    mkt_trace t;
    char err[512];
    if (!mkt_trace_load(&t, in, err, sizeof err)) {
        fprintf(stderr, "memkit: %s\n", err);
        return MKT_EXIT_USAGE;
    }
    FILE *f = strcmp(out, "-") == 0 ? stdout : fopen(out, binary ? "wb" : "w");
    bool ok = f && (binary ? mkt_trace_write_binary(&t, f) : mkt_trace_write_text(&t, f));
    if (f && f != stdout && fclose(f) != 0)
        ok = false;
    mkt_trace_free(&t);
    if (!ok) {
        fprintf(stderr, "memkit: %s: cannot write\n", out);
        return MKT_EXIT_USAGE;
    }
    return MKT_EXIT_OK;
}
