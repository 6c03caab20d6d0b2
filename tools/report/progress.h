/*
 * A progress bar for long runs (replaying a large trace), drawn on a terminal only: when
 * the descriptor is not a terminal (a pipe, a file, CI) nothing is written, so logs stay
 * clean. Redraws only when the shown percentage changes, so update() is cheap enough to
 * call once per event.
 */
#ifndef MEMKIT_TOOLS_PROGRESS_H
#define MEMKIT_TOOLS_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct mkt_progress {
    int fd;            /* private */
    bool on;           /* private: fd is a terminal */
    uint64_t total;    /* private */
    unsigned shown;    /* private: permille last drawn, or above 1000 before the first */
} mkt_progress;

/* Starts a bar of `total` steps on `fd` (normally 2, stderr) if fd is a terminal. O(1). */
void mkt_progress_start(mkt_progress *p, int fd, uint64_t total);

/* Records that `done` of the steps are done; redraws when the bar changes. O(1). */
void mkt_progress_update(mkt_progress *p, uint64_t done);

/* Erases the bar, leaving the line empty for what is printed next. O(1). */
void mkt_progress_finish(mkt_progress *p);

#endif
