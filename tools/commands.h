/* The tool's commands: each takes argv from its own name on and returns the exit
 * status (0 ok, 1 allocation failures found, 2 usage or input error). */
#ifndef MEMKIT_TOOL_COMMANDS_H
#define MEMKIT_TOOL_COMMANDS_H

enum { MKT_EXIT_OK = 0, MKT_EXIT_FAILURES = 1, MKT_EXIT_USAGE = 2 };

int mkt_replay_main(int argc, char **argv);
int mkt_plan_main(int argc, char **argv);
int mkt_convert_main(int argc, char **argv);
int mkt_gen_main(int argc, char **argv);
/* bench/heap_bench.c, built into the tool. */
int heap_bench_main(int argc, char **argv);

#endif
