/* The JSON writer (json.h). Keys are the tool's own literals; values may be file names. */
#include "json.h"

#include <inttypes.h>

void mkt_json_begin(mkt_json *j, FILE *out)
{
    j->out = out;
    j->members = 0;
    fputc('{', out);
}

static void quoted(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

static void key(mkt_json *j, const char *k)
{
    if (j->members++)
        fputs(", ", j->out);
    quoted(j->out, k);
    fputs(": ", j->out);
}

void mkt_json_uint(mkt_json *j, const char *k, uint64_t value)
{
    key(j, k);
    fprintf(j->out, "%" PRIu64, value);
}

void mkt_json_str(mkt_json *j, const char *k, const char *value)
{
    key(j, k);
    quoted(j->out, value);
}

void mkt_json_real(mkt_json *j, const char *k, double value)
{
    key(j, k);
    fprintf(j->out, "%.3f", value);
}

void mkt_json_end(mkt_json *j)
{
    fputs("}\n", j->out);
}
