/* Parses memory maps (docs/maps.md): one region per line, NAME SIZE then words. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"

static const struct {
    const char *name;
    uint32_t bit;
} cap_names[] = {
    { "internal", MK_CAP_INTERNAL }, { "external", MK_CAP_EXTERNAL }, { "dma", MK_CAP_DMA },
    { "exec", MK_CAP_EXEC },         { "atomic", MK_CAP_ATOMIC },
};

static bool fail(char *err, size_t errsize, const char *name, size_t line, const char *fmt, ...)
{
    int n = snprintf(err, errsize, "%s:%zu: ", name, line);
    if (n >= 0 && (size_t)n < errsize) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err + n, errsize - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return false;
}

/* A size: decimal digits, optionally followed by K (KiB) or M (MiB). */
static bool parse_size(const char *s, size_t len, uint64_t *out)
{
    uint64_t unit = 1;
    if (len > 1 && (s[len - 1] == 'K' || s[len - 1] == 'M'))
        unit = s[--len] == 'K' ? 1024u : 1024u * 1024u;
    if (len == 0 || len > 10)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = v * unit;
    return true;
}

static bool parse_line(mkt_map *m, const char *name, size_t lineno, const char *s, size_t len,
                       char *err, size_t errsize)
{
    const char *tok[2 + 8];
    size_t tlen[2 + 8], nt = 0;
    for (size_t i = 0; i < len;) {
        while (i < len && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i == len || s[i] == '#')
            break;
        if (nt == sizeof tok / sizeof tok[0])
            return fail(err, errsize, name, lineno, "too many words");
        tok[nt] = s + i;
        while (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '#')
            i++;
        tlen[nt] = (size_t)(s + i - tok[nt]);
        nt++;
    }
    if (nt == 0)
        return true;
    if (nt < 2)
        return fail(err, errsize, name, lineno, "a region needs a name and a size");
    if (m->count == MK_HEAP_MAX_REGIONS)
        return fail(err, errsize, name, lineno, "more than %d regions", MK_HEAP_MAX_REGIONS);
    mkt_region *r = &m->regions[m->count];
    if (tlen[0] >= sizeof r->name)
        return fail(err, errsize, name, lineno, "region name longer than %zu characters",
                    sizeof r->name - 1);
    for (unsigned i = 0; i < m->count; i++)
        if (strlen(m->regions[i].name) == tlen[0] && memcmp(m->regions[i].name, tok[0], tlen[0]) == 0)
            return fail(err, errsize, name, lineno, "region '%.*s' defined twice",
                        (int)tlen[0], tok[0]);
    memcpy(r->name, tok[0], tlen[0]);
    r->name[tlen[0]] = '\0';
    if (!parse_size(tok[1], tlen[1], &r->size) || r->size == 0 || r->size > MKT_MAX_REGION)
        return fail(err, errsize, name, lineno,
                    "size '%.*s' is not 1 to 4294967295 bytes (digits, optional K or M)",
                    (int)tlen[1], tok[1]);
    r->caps = 0;
    for (size_t w = 2; w < nt; w++) {
        bool known = false;
        for (size_t c = 0; c < sizeof cap_names / sizeof cap_names[0]; c++)
            if (strlen(cap_names[c].name) == tlen[w] && memcmp(cap_names[c].name, tok[w], tlen[w]) == 0) {
                r->caps |= cap_names[c].bit;
                known = true;
            }
        unsigned user;
        char tail;
        char word[16] = "";
        if (tlen[w] < sizeof word)
            memcpy(word, tok[w], tlen[w]);
        if (!known && sscanf(word, "user%u%c", &user, &tail) == 1 && user < 16) {
            r->caps |= MK_CAP_USER0 << user;
            known = true;
        }
        if (!known && strcmp(word, "resizable") == 0) {
            if (m->resizable >= 0)
                return fail(err, errsize, name, lineno, "a second resizable region");
            m->resizable = (int)m->count;
            known = true;
        }
        if (!known)
            return fail(err, errsize, name, lineno,
                        "unknown word '%.*s' (capabilities: internal external dma exec atomic "
                        "user0..user15; or resizable)",
                        (int)tlen[w], tok[w]);
    }
    m->count++;
    return true;
}

bool mkt_map_parse(mkt_map *m, const char *name, const unsigned char *data, size_t n,
                   char *err, size_t errsize)
{
    memset(m, 0, sizeof *m);
    m->resizable = -1;
    const char *s = (const char *)data, *end = s + n;
    for (size_t lineno = 1; s < end; lineno++) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *e = nl ? nl : end;
        size_t len = (size_t)(e - s);
        if (len && s[len - 1] == '\r')
            len--;
        if (memchr(s, '\0', len))
            return fail(err, errsize, name, lineno, "NUL byte (not a text file?)");
        if (!parse_line(m, name, lineno, s, len, err, errsize))
            return false;
        s = nl ? nl + 1 : end;
    }
    if (m->count == 0)
        return fail(err, errsize, name, 1, "no regions");
    return true;
}

bool mkt_map_load(mkt_map *m, const char *path, char *err, size_t errsize)
{
    unsigned char *buf;
    size_t n;
    if (!mkt_read_file(path, &buf, &n, err, errsize))
        return false;
    bool ok = mkt_map_parse(m, path, buf, n, err, errsize);
    free(buf);
    return ok;
}

void mkt_map_default(mkt_map *m, const mkt_trace *t)
{
    memset(m, 0, sizeof *m);
    uint64_t size = 2 * (t->peak_live_bytes + 32 * (uint64_t)t->peak_live_blocks) + 65536;
    m->count = 1;
    m->resizable = 0;
    strcpy(m->regions[0].name, "ram");
    m->regions[0].size = size < MKT_MAX_REGION ? size : MKT_MAX_REGION;
    m->regions[0].caps = MK_CAP_INTERNAL | MK_CAP_DMA | MK_CAP_EXEC | MK_CAP_ATOMIC;
}

uint64_t mkt_map_total(const mkt_map *m)
{
    uint64_t sum = 0;
    for (unsigned i = 0; i < m->count; i++)
        sum += m->regions[i].size;
    return sum;
}

void mkt_caps_name(uint32_t caps, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (unsigned bit = 0; bit < 32; bit++) {
        if (!(caps & ((uint32_t)1 << bit)))
            continue;
        char user[8];
        const char *name = NULL;
        for (size_t c = 0; c < sizeof cap_names / sizeof cap_names[0]; c++)
            if (cap_names[c].bit == (uint32_t)1 << bit)
                name = cap_names[c].name;
        if (!name && bit >= 16) {
            snprintf(user, sizeof user, "user%u", bit - 16);
            name = user;
        }
        if (!name || n >= size)
            continue; /* bits without a name are not printed; nor is what does not fit */
        int w = snprintf(buf + n, size - n, "%s%s", n ? "," : "", name);
        n += w > 0 ? (size_t)w : 0;
    }
    if (!n)
        snprintf(buf, size, "-");
}
