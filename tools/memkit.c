/* memkit: the command-line tool. A table of commands; `memkit COMMAND --help` prints
 * the command's usage line from the table, so a command never parses --help itself. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

#ifndef MEMKIT_VERSION
#define MEMKIT_VERSION "unknown"
#endif

typedef struct command {
    const char *name;
    int (*main)(int argc, char **argv);
    const char *usage; /* NULL: hidden (developer commands) */
} command;

static const command commands[] = {
    { "record", mkt_record_main,
      "record [-o FILE] [--] PROGRAM [ARGS...]\n"
      "    Run PROGRAM and write the trace of its malloc-family calls to FILE (default\n"
      "    memkit.trace); exit with the program's status." },
    { "replay", mkt_replay_main,
      "replay FILE [--map MAP] [--json] [--report OUT.html]\n"
      "    Replay a trace on memkit's heap laid out as MAP (default: one region 'ram' sized\n"
      "    for the trace) and print a summary; --report also writes the HTML report (usage\n"
      "    over time, heap maps at the peak and first failure, request sizes). Exit 1 if\n"
      "    any allocation failed." },
    { "plan", mkt_plan_main,
      "plan FILE [--map MAP] [--json]\n"
      "    Find the smallest size of the map's resizable region (default: one region) on\n"
      "    which every allocation succeeds; print it beside the trace's peak live bytes." },
    { "convert", mkt_convert_main,
      "convert IN OUT [--text|--binary]\n"
      "    Rewrite a trace (text, binary or mtrace) as text, or as binary when OUT ends in\n"
      "    .mkt or with --binary." },
    { "bench", heap_bench_main,
      "bench [all|random|efficiency|small]\n"
      "    Run the heap benchmarks (bench/heap_bench.c) beside the system allocator." },
    { "gen", mkt_gen_main, NULL },
};

static void usage(FILE *out)
{
    fprintf(out, "usage: memkit COMMAND [ARGS]   (memkit COMMAND --help for one command)\n"
                 "       memkit --help | --version\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (commands[i].usage)
            fprintf(out, "  %s\n", commands[i].usage);
    fprintf(out, "\nexit status: 0 ok, 1 allocation failures found, 2 usage or input error\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return MKT_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return MKT_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("memkit %s\n", MEMKIT_VERSION);
        return MKT_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        const command *c = &commands[i];
        if (strcmp(argv[1], c->name) != 0)
            continue;
        for (int a = 2; a < argc && c->usage; a++)
            if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0) {
                printf("usage: memkit %s\n", c->usage);
                return MKT_EXIT_OK;
            }
        return c->main(argc - 1, argv + 1);
    }
    fprintf(stderr, "memkit: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return MKT_EXIT_USAGE;
}
