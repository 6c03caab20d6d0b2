/* A JSON object written one member at a time, on one line. Host code (libc). */
#ifndef MEMKIT_TOOL_JSON_H
#define MEMKIT_TOOL_JSON_H

#include <stdint.h>
#include <stdio.h>

typedef struct mkt_json {
    FILE *out;
    int members; /* written so far: the next one needs a comma */
} mkt_json;

/* Starts an object ("{") on `out`. O(1). */
void mkt_json_begin(mkt_json *j, FILE *out);
/* Adds "key": number. O(1). */
void mkt_json_uint(mkt_json *j, const char *key, uint64_t value);
/* Adds "key": "value", escaping quotes, backslashes and control characters. O(len). */
void mkt_json_str(mkt_json *j, const char *key, const char *value);
/* Adds "key": number with three decimals (a ratio). O(1). */
void mkt_json_real(mkt_json *j, const char *key, double value);
/* Ends the object ("}\n"). O(1). */
void mkt_json_end(mkt_json *j);

#endif
