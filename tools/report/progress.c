/* A terminal progress bar: carriage return and redraw, no cursor movement beyond the
 * line, so it works on any terminal. */
#define _POSIX_C_SOURCE 200809L
#include "progress.h"

#include <stdio.h>
#include <unistd.h>

enum { BAR = 40 };

void mkt_progress_start(mkt_progress *p, int fd, uint64_t total)
{
    *p = (mkt_progress){.fd = fd, .on = isatty(fd) == 1, .total = total, .shown = 1001};
    mkt_progress_update(p, 0);
}

void mkt_progress_update(mkt_progress *p, uint64_t done)
{
    if (!p->on)
        return;
    if (done > p->total)
        done = p->total;
    unsigned permille = p->total ? (unsigned)((double)done * 1000.0 / (double)p->total) : 1000u;
    if (permille == p->shown)
        return;
    p->shown = permille;
    char line[BAR + 64];
    int n = snprintf(line, sizeof line, "\r[%-*.*s] %3u.%u%%", BAR,
                     (int)(permille * BAR / 1000u),
                     "########################################", permille / 10u,
                     permille % 10u);
    if (n > 0 && write(p->fd, line, (size_t)n) < 0)
        p->on = false; /* the terminal went away: stop drawing */
}

void mkt_progress_finish(mkt_progress *p)
{
    static const char erase[] = "\r\033[K";
    if (p->on && write(p->fd, erase, sizeof erase - 1) < 0)
        p->on = false;
    p->on = false;
}
