/* `memkit gen EVENTS [SEED]` (hidden): a synthetic text trace on stdout, for measuring
 * the tool on traces too large to commit. Blocks live in 4096 slots; a step picks a
 * slot and allocates into it when empty (malloc, sometimes calloc or aligned), else
 * frees it or reallocs it into another empty slot. Sizes: 75% 8..256, 20% ..4096,
 * 5% ..65536 bytes. Ids are made-up addresses, one range per slot. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"

enum { SLOTS = 4096 };

static uint64_t state;
static uint64_t next_rand(void)
{
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 2685821657736338717ull;
}
static uint64_t between(uint64_t lo, uint64_t hi) { return lo + next_rand() % (hi - lo + 1); }

static uint64_t random_size(void)
{
    uint64_t k = next_rand() % 100;
    return k < 75 ? between(8, 256) : k < 95 ? between(257, 4096) : between(4097, 65536);
}

static uint64_t slot_id(unsigned slot) { return 0x7f3a00000000ull + (uint64_t)slot * 0x20000u; }

int mkt_gen_main(int argc, char **argv)
{
    char *end = NULL;
    unsigned long long events = argc >= 2 ? strtoull(argv[1], &end, 10) : 0;
    if (argc < 2 || argc > 3 || *end || events == 0) {
        fprintf(stderr, "usage: memkit gen EVENTS [SEED]\n");
        return MKT_EXIT_USAGE;
    }
    state = argc == 3 ? strtoull(argv[2], NULL, 10) * 0x9E3779B97F4A7C15ull + 1 : 1;
    static bool live[SLOTS];
    printf("memkit-trace 1\n");
    for (unsigned long long i = 0; i < events; i++) {
        unsigned s = (unsigned)(next_rand() % SLOTS);
        uint64_t k = next_rand() % 100;
        if (!live[s]) {
            if (k < 90)
                printf("m %" PRIx64 " %" PRIu64 "\n", slot_id(s), random_size());
            else if (k < 95)
                printf("c %" PRIx64 " %" PRIu64 " %" PRIu64 "\n", slot_id(s), between(1, 16),
                       between(4, 64));
            else
                printf("a %" PRIx64 " 64 %" PRIu64 "\n", slot_id(s), random_size());
            live[s] = true;
            continue;
        }
        unsigned to = (unsigned)(next_rand() % SLOTS);
        if (k < 30 && !live[to]) {
            printf("r %" PRIx64 " %" PRIx64 " %" PRIu64 "\n", slot_id(s), slot_id(to),
                   random_size());
            live[s] = false;
            live[to] = true;
        } else {
            printf("f %" PRIx64 "\n", slot_id(s));
            live[s] = false;
        }
    }
    return fflush(stdout) == 0 ? MKT_EXIT_OK : MKT_EXIT_USAGE;
}
