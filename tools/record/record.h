/*
 * `memkit record`: runs a program with libmemkit-record.so preloaded and writes the
 * trace of its malloc-family calls (docs/trace-format.md, text form).
 */
#ifndef MEMKIT_TOOLS_RECORD_H
#define MEMKIT_TOOLS_RECORD_H

/* Runs `memkit record [-o FILE] [--] PROGRAM [ARGS...]` (argv[0] is the command name).
 * FILE defaults to memkit.trace. The program's own stdin, stdout and stderr pass through
 * untouched. The preload library is looked for in $MEMKIT_RECORD_LIB, then next to the
 * running executable, then in the install directory. Only the started process is
 * recorded: children it forks or execs run normally and write nothing.
 * Returns the program's exit status (128 + N when signal N ended it, as shells do),
 * 127 when it could not be started, 2 for a usage error or an unwritable FILE. Blocks
 * until the program exits. */
int mkt_record_main(int argc, char **argv);

#endif
