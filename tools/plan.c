/* `memkit plan`: the smallest heap on which a trace succeeds, by bisection (replay.h). */
#include <stdio.h>

#include "replay.h"

bool mkt_plan(const mkt_trace *t, const mkt_map *m, mkt_plan_result *out, char *err,
              size_t errsize)
{
    *out = (mkt_plan_result){ .granule = MK_ALIGN };
    if (m->resizable < 0) {
        snprintf(err, errsize, "the map has no resizable region to size");
        return false;
    }
    mkt_map trial = *m;
    uint64_t *size = &trial.regions[trial.resizable].size;
    const uint64_t g = out->granule, top = MKT_MAX_REGION / g * g;
    /* Invariant: a region of `lo` bytes fails (0 trivially), one of `hi` works. */
    uint64_t lo = 0, hi = (m->regions[m->resizable].size + g - 1) / g * g;
    mk_err why;
    for (;;) {
        *size = hi < top ? hi : top;
        out->iterations++;
        if (mkt_replay_fits(t, &trial, &why, err, errsize))
            break;
        if (err[0])
            return false;
        /* No size helps a request for capabilities no region has, or one too large to
         * make; otherwise double until the heap's limit. */
        if (*size == top || why == MK_ENOCAPS || why == MK_ERANGE)
            return true; /* not found */
        lo = *size;
        hi = *size * 2;
    }
    hi = *size;
    while (hi - lo > g) {
        *size = lo + (hi - lo) / 2 / g * g;
        out->iterations++;
        bool fits = mkt_replay_fits(t, &trial, &why, err, errsize);
        if (err[0])
            return false;
        if (fits)
            hi = *size;
        else
            lo = *size;
    }
    *size = hi;
    out->found = true;
    out->region_size = hi;
    out->total_bytes = mkt_map_total(&trial);
    return true;
}
