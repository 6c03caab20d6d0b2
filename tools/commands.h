/* The tool's commands: each takes argv from its own name on and returns the exit
 * status (0 ok, 1 allocation failures found, 2 usage or input error). */
#ifndef MEMKIT_TOOL_COMMANDS_H
#define MEMKIT_TOOL_COMMANDS_H

enum { MKT_EXIT_OK = 0, MKT_EXIT_FAILURES = 1, MKT_EXIT_USAGE = 2 };

int mkt_replay_main(int argc, char **argv);
int mkt_plan_main(int argc, char **argv);
int mkt_convert_main(int argc, char **argv);
int mkt_gen_main(int argc, char **argv);
/* tools/record/record.c. */
int mkt_record_main(int argc, char **argv);

#include "replay.h"
/* Writes the HTML report of replaying t on m (s: its summary) to `path`, showing
 * `trace_name` as the title. Returns an exit status; prints the reason on failure. */
int mkt_report_write_file(const char *path, const char *trace_name, const mkt_trace *t,
                          const mkt_map *m, const mkt_summary *s);
/* bench/heap_bench.c, built into the tool. */
int heap_bench_main(int argc, char **argv);

#endif
