/* Reads the text, binary and mtrace forms into one event array and resolves ids to
 * slots (see trace.h). Every malformed input ends in one message and `false`. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "trace_binary.h"

/* Live ids: open addressing with linear probing; deletion shifts the run back, so no
 * tombstones pile up over millions of frees. Id 0 is NULL and never stored. */
typedef struct id_table {
    uint64_t *keys; /* 0: empty */
    uint32_t *vals;
    size_t mask;    /* capacity - 1; capacity is a power of two */
    size_t used;
} id_table;

typedef struct parser {
    mkt_trace *t;
    const char *name;
    char *err;
    size_t errsize;
    size_t cap;          /* events allocated */
    id_table ids;
    uint32_t *free_slots; /* slots ready for reuse (a stack) */
    size_t nfree;
    uint64_t *slot_bytes; /* requested bytes of each live slot */
    size_t slot_cap;
    uint64_t live_bytes;
    size_t live_blocks;
    uint64_t pending;     /* mtrace: the old address of a '<' line awaiting its '>' */
    bool have_pending;
} parser;

static bool fail(parser *p, const char *where_fmt, size_t where, const char *fmt, ...)
{
    int n = snprintf(p->err, p->errsize, where_fmt, p->name, where);
    if (n >= 0 && (size_t)n < p->errsize) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->err + n, p->errsize - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return false;
}

static size_t hash_id(uint64_t id)
{
    id ^= id >> 31;
    id *= 0x9E3779B97F4A7C15ull;
    return (size_t)(id ^ (id >> 29));
}

static bool table_grow(id_table *tb)
{
    size_t cap = tb->keys ? (tb->mask + 1) * 2 : 1024;
    uint64_t *keys = calloc(cap, sizeof *keys);
    uint32_t *vals = malloc(cap * sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return false;
    }
    for (size_t i = 0; tb->keys && i <= tb->mask; i++) {
        if (!tb->keys[i])
            continue;
        size_t j = hash_id(tb->keys[i]) & (cap - 1);
        while (keys[j])
            j = (j + 1) & (cap - 1);
        keys[j] = tb->keys[i];
        vals[j] = tb->vals[i];
    }
    free(tb->keys);
    free(tb->vals);
    tb->keys = keys;
    tb->vals = vals;
    tb->mask = cap - 1;
    return true;
}

/* Index of `id` in the table, or of the empty cell where it would go. */
static size_t table_find(const id_table *tb, uint64_t id)
{
    size_t i = hash_id(id) & tb->mask;
    while (tb->keys[i] && tb->keys[i] != id)
        i = (i + 1) & tb->mask;
    return i;
}

static void table_remove(id_table *tb, size_t i)
{
    tb->keys[i] = 0;
    tb->used--;
    /* Move later members of the run back so every key stays reachable from its home. */
    for (size_t j = (i + 1) & tb->mask; tb->keys[j]; j = (j + 1) & tb->mask) {
        size_t home = hash_id(tb->keys[j]) & tb->mask;
        if (((j - home) & tb->mask) >= ((j - i) & tb->mask)) {
            tb->keys[i] = tb->keys[j];
            tb->vals[i] = tb->vals[j];
            tb->keys[j] = 0;
            i = j;
        }
    }
}

typedef enum id_result { ID_OK, ID_NOMEM, ID_LIVE, ID_NOT_LIVE, ID_LIMIT } id_result;

/* Makes `id` live with `bytes`, giving it a slot. */
static id_result make_live(parser *p, uint64_t id, uint64_t bytes, uint32_t *slot)
{
    if ((p->ids.used + 1) * 2 > (p->ids.keys ? p->ids.mask + 1 : 0) && !table_grow(&p->ids))
        return ID_NOMEM;
    size_t i = table_find(&p->ids, id);
    if (p->ids.keys[i])
        return ID_LIVE;
    uint32_t s;
    if (p->nfree) {
        s = p->free_slots[--p->nfree];
    } else {
        if (p->t->slots == MKT_NO_SLOT)
            return ID_LIMIT;
        if (p->t->slots == p->slot_cap) {
            size_t cap = p->slot_cap ? p->slot_cap * 2 : 1024;
            uint64_t *b = realloc(p->slot_bytes, cap * sizeof *b);
            if (!b)
                return ID_NOMEM;
            p->slot_bytes = b;
            uint32_t *f = realloc(p->free_slots, cap * sizeof *f);
            if (!f)
                return ID_NOMEM;
            p->free_slots = f;
            p->slot_cap = cap;
        }
        s = p->t->slots++;
    }
    p->ids.keys[i] = id;
    p->ids.vals[i] = s;
    p->ids.used++;
    p->slot_bytes[s] = bytes;
    p->live_bytes += bytes;
    p->live_blocks++;
    *slot = s;
    return ID_OK;
}

static id_result end_live(parser *p, uint64_t id, uint32_t *slot)
{
    if (!p->ids.keys)
        return ID_NOT_LIVE;
    size_t i = table_find(&p->ids, id);
    if (!p->ids.keys[i])
        return ID_NOT_LIVE;
    uint32_t s = p->ids.vals[i];
    table_remove(&p->ids, i);
    p->free_slots[p->nfree++] = s;
    p->live_bytes -= p->slot_bytes[s];
    p->live_blocks--;
    *slot = s;
    return ID_OK;
}

uint64_t mkt_event_bytes(const mkt_event *e)
{
    return e->op == 'c' ? e->arg * e->size : e->size;
}

/* Resolves `e`'s ids and appends it. `where_fmt`/`where` place a message. */
static bool add_event(parser *p, mkt_event *e, const char *where_fmt, size_t where)
{
    e->born = e->ended = MKT_NO_SLOT;
    /* Absurd sizes are malformed, except in calls that failed when recorded (id 0):
     * a program may well have asked for SIZE_MAX and got NULL. */
    bool recorded_failure = e->op == 'r' ? !e->id2 && e->size : e->op != 'f' && !e->id;
    if (!recorded_failure && (e->size > MKT_MAX_SIZE || e->arg > MKT_MAX_SIZE))
        return fail(p, where_fmt, where, "size %llu is over 2^48",
                    (unsigned long long)(e->size > e->arg ? e->size : e->arg));
    if (!recorded_failure && e->op == 'c' && e->arg && e->size > MKT_MAX_SIZE / e->arg)
        return fail(p, where_fmt, where, "calloc of %llu x %llu bytes is over 2^48",
                    (unsigned long long)e->arg, (unsigned long long)e->size);
    uint64_t born_id = 0, ended_id = 0;
    switch (e->op) {
    case 'f':
        ended_id = e->id;
        break;
    case 'r':
        /* r OLD 0 SIZE>0 is a failed realloc: OLD stays live. */
        ended_id = e->id2 || !e->size ? e->id : 0;
        born_id = e->id2;
        break;
    default:
        born_id = e->id;
    }
    if (recorded_failure)
        p->t->recorded_failures++;
    if (ended_id) {
        id_result r = end_live(p, ended_id, &e->ended);
        if (r == ID_NOT_LIVE) {
            if (p->t->format != MKT_MTRACE)
                return fail(p, where_fmt, where, "%s of id %llx, which is not live",
                            e->op == 'f' ? "free" : "realloc", (unsigned long long)ended_id);
            /* mtrace: memory from before tracing began. */
            p->t->unknown_frees++;
        }
    }
    if (born_id) {
        switch (make_live(p, born_id, mkt_event_bytes(e), &e->born)) {
        case ID_OK:
            break;
        case ID_LIVE:
            return fail(p, where_fmt, where, "id %llx returned while already live",
                        (unsigned long long)born_id);
        case ID_LIMIT:
            return fail(p, where_fmt, where, "more than 2^32 blocks");
        default:
            return fail(p, where_fmt, where, "out of memory");
        }
    }
    mkt_trace *t = p->t;
    if (t->count == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 4096;
        mkt_event *ev = realloc(t->events, cap * sizeof *ev);
        if (!ev)
            return fail(p, where_fmt, where, "out of memory");
        t->events = ev;
        p->cap = cap;
    }
    if (p->live_bytes > t->peak_live_bytes) {
        t->peak_live_bytes = p->live_bytes;
        t->peak_live_event = t->count;
    }
    if (p->live_blocks > t->peak_live_blocks)
        t->peak_live_blocks = p->live_blocks;
    t->events[t->count++] = *e;
    return true;
}

/* ---- text form ---------------------------------------------------------------- */

typedef struct span {
    const char *s, *e;
} span;

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

/* The next blank-separated token of *line, or an empty span at its end. */
static span next_token(span *line)
{
    const char *s = line->s;
    while (s < line->e && is_blank(*s))
        s++;
    const char *e = s;
    while (e < line->e && !is_blank(*e))
        e++;
    line->s = e;
    return (span){ s, e };
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool parse_hex(span tok, unsigned max_digits, uint64_t *out)
{
    size_t n = (size_t)(tok.e - tok.s);
    if (n == 0 || n > max_digits)
        return false;
    uint64_t v = 0;
    for (const char *c = tok.s; c < tok.e; c++) {
        int d = hex_digit(*c);
        if (d < 0)
            return false;
        v = v << 4 | (uint64_t)d;
    }
    *out = v;
    return true;
}

static bool parse_dec(span tok, uint64_t max, uint64_t *out)
{
    if (tok.s == tok.e || tok.e - tok.s > 20)
        return false;
    uint64_t v = 0;
    for (const char *c = tok.s; c < tok.e; c++) {
        if (*c < '0' || *c > '9' || v > (UINT64_MAX - (uint64_t)(*c - '0')) / 10)
            return false;
        v = v * 10 + (uint64_t)(*c - '0');
    }
    if (v > max)
        return false;
    *out = v;
    return true;
}

static const char *const line_fmt = "%s:%zu: ";

/* One text event line (neither blank nor comment). */
static bool text_line(parser *p, span line, size_t lineno)
{
    mkt_event e = { 0 };
    span op = next_token(&line);
    if (op.e - op.s != 1 || !strchr("mcarf", *op.s))
        return fail(p, line_fmt, lineno, "unknown op '%.*s'", (int)(op.e - op.s), op.s);
    e.op = *op.s;
    /* The fixed fields in order: 'i' an id, 'n' a decimal number. */
    static const char *const shapes[] = { "in", "inn", "inn", "iin", "i" };
    const char *shape = shapes[strchr("mcarf", e.op) - "mcarf"];
    uint64_t *dst[3];
    switch (e.op) {
    case 'c':
    case 'a':
        dst[0] = &e.id, dst[1] = &e.arg, dst[2] = &e.size;
        break;
    case 'r':
        dst[0] = &e.id, dst[1] = &e.id2, dst[2] = &e.size;
        break;
    default:
        dst[0] = &e.id, dst[1] = &e.size;
    }
    for (size_t i = 0; shape[i]; i++) {
        span tok = next_token(&line);
        if (tok.s == tok.e)
            return fail(p, line_fmt, lineno, "'%c' needs %zu fields, got %zu", e.op,
                        strlen(shape), i);
        bool ok = shape[i] == 'i' ? parse_hex(tok, 16, dst[i])
                                  : parse_dec(tok, UINT64_MAX, dst[i]);
        if (!ok)
            return fail(p, line_fmt, lineno, "field %zu '%.*s' is not %s", i + 1,
                        (int)(tok.e - tok.s), tok.s,
                        shape[i] == 'i' ? "a hex id of 1 to 16 digits"
                                        : "a decimal number");
    }
    for (span tok = next_token(&line); tok.s != tok.e; tok = next_token(&line)) {
        const char *eq = memchr(tok.s, '=', (size_t)(tok.e - tok.s));
        if (!eq)
            return fail(p, line_fmt, lineno, "extra field '%.*s'", (int)(tok.e - tok.s),
                        tok.s);
        span val = { eq + 1, tok.e };
        uint64_t v;
        if (eq - tok.s == 1 && tok.s[0] == 't') {
            if (!parse_dec(val, UINT32_MAX, &v))
                return fail(p, line_fmt, lineno, "t= needs a decimal thread number");
            e.thread = (uint32_t)v;
            e.flags |= MKT_HAS_THREAD;
        } else if (eq - tok.s == 4 && memcmp(tok.s, "caps", 4) == 0) {
            if (!parse_hex(val, 8, &v))
                return fail(p, line_fmt, lineno, "caps= needs 1 to 8 hex digits");
            e.caps = (uint32_t)v;
            e.flags |= MKT_HAS_CAPS;
        } /* other keys belong to later versions: ignored */
    }
    return add_event(p, &e, line_fmt, lineno);
}

/* Calls `fn` for each line of data (without its \n or \r\n); stops on false. */
static bool each_line(parser *p, const unsigned char *data, size_t n,
                      bool (*fn)(parser *, span, size_t))
{
    const char *s = (const char *)data, *end = s + n;
    for (size_t lineno = 1; s < end; lineno++) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t len = (size_t)((nl ? nl : end) - s);
        if (len && s[len - 1] == '\r')
            len--;
        span line = { s, s + len };
        if (memchr(s, '\0', len))
            return fail(p, line_fmt, lineno, "NUL byte in a text line (binary garbage?)");
        if (!fn(p, line, lineno))
            return false;
        s = nl ? nl + 1 : end;
    }
    return true;
}

static bool text_any_line(parser *p, span line, size_t lineno)
{
    if (lineno == 1) {
        static const char header[] = "memkit-trace 1";
        if ((size_t)(line.e - line.s) != sizeof header - 1 ||
            memcmp(line.s, header, sizeof header - 1) != 0)
            return fail(p, line_fmt, lineno, "the first line must be '%s'", header);
        return true;
    }
    span probe = line;
    span first = next_token(&probe);
    if (first.s == first.e || *first.s == '#')
        return true;
    return text_line(p, line, lineno);
}

/* ---- glibc mtrace ------------------------------------------------------------- */

/* glibc prints pointers with %p: 0x-prefixed hex, or "(nil)". */
static bool mtrace_ptr(span tok, uint64_t *out)
{
    if (tok.e - tok.s == 5 && memcmp(tok.s, "(nil)", 5) == 0) {
        *out = 0;
        return true;
    }
    if (tok.e - tok.s < 3 || tok.s[0] != '0' || tok.s[1] != 'x')
        return false;
    return parse_hex((span){ tok.s + 2, tok.e }, 16, out);
}

static bool mtrace_line(parser *p, span line, size_t lineno)
{
    span tok = next_token(&line);
    if (tok.s == tok.e)
        return true;
    if (*tok.s == '=') /* "= Start", "= End" */
        return true;
    if (tok.e - tok.s == 1 && *tok.s == '@') {
        /* The caller: "@ file:[0xaddr] ", "@ [0xaddr] " or "@ file:(sym+0x1)[0xaddr] ". */
        const char *close = NULL;
        for (const char *c = line.s; c + 1 < line.e && !close; c++)
            if (c[0] == ']' && is_blank(c[1]))
                close = c + 1;
        if (!close)
            return fail(p, line_fmt, lineno, "caller field without '[address]'");
        line.s = close;
        tok = next_token(&line);
    }
    if (tok.e - tok.s != 1)
        return fail(p, line_fmt, lineno, "unknown mtrace op '%.*s'", (int)(tok.e - tok.s),
                    tok.s);
    char op = *tok.s;
    if (p->have_pending && op != '>')
        return fail(p, line_fmt, lineno, "'<' line not followed by '>'");
    uint64_t addr = 0, size = 0;
    span a = next_token(&line), b = next_token(&line);
    bool sized = op == '+' || op == '>' || op == '!';
    if (!mtrace_ptr(a, &addr))
        return fail(p, line_fmt, lineno, "'%.*s' is not an address", (int)(a.e - a.s), a.s);
    if (sized && (b.e - b.s < 3 || b.s[0] != '0' || b.s[1] != 'x' ||
                  !parse_hex((span){ b.s + 2, b.e }, 16, &size)))
        return fail(p, line_fmt, lineno, "'%.*s' is not a size (0x and hex digits)",
                    (int)(b.e - b.s), b.s);
    if ((sized ? next_token(&line) : b).s != line.e)
        return fail(p, line_fmt, lineno, "extra field");
    mkt_event e = { 0 };
    switch (op) {
    case '+':
        e.op = 'm', e.id = addr, e.size = size;
        break;
    case '-':
        e.op = 'f', e.id = addr;
        break;
    case '<':
        p->pending = addr;
        p->have_pending = true;
        return true;
    case '>':
        if (!p->have_pending)
            return fail(p, line_fmt, lineno, "'>' line without '<' before it");
        p->have_pending = false;
        e.op = 'r', e.id = p->pending, e.id2 = addr, e.size = size;
        break;
    case '!': /* a failed realloc: the old block stays live */
        e.op = 'r', e.id = addr, e.size = size ? size : 1;
        break;
    default:
        return fail(p, line_fmt, lineno, "unknown mtrace op '%c'", op);
    }
    return add_event(p, &e, line_fmt, lineno);
}

/* ---- binary form -------------------------------------------------------------- */

static const char *const byte_fmt = "%s: byte %zu: ";

static bool binary_events(parser *p, const unsigned char *data, size_t n)
{
    size_t pos = MKT_BIN_HEADER_LEN;
    uint64_t prev = 0;
    while (pos < n) {
        size_t at = pos;
        unsigned code = data[pos++];
        mkt_event e = { 0 };
        if (code & ~(MKT_BIN_OP_MASK | MKT_BIN_THREAD | MKT_BIN_CAPS) ||
            (code & MKT_BIN_OP_MASK) == 0 || (code & MKT_BIN_OP_MASK) > 5)
            return fail(p, byte_fmt, at, "unknown opcode 0x%02x", code);
        e.op = "mcarf"[(code & MKT_BIN_OP_MASK) - 1];
        /* Field kinds in order: 'i' a delta-coded id, 'n' a number. */
        static const char *const shapes[] = { "in", "inn", "inn", "iin", "i" };
        const char *shape = shapes[(code & MKT_BIN_OP_MASK) - 1];
        uint64_t *dst[3] = { &e.id, &e.size, NULL };
        if (e.op == 'c' || e.op == 'a')
            dst[1] = &e.arg, dst[2] = &e.size;
        else if (e.op == 'r')
            dst[1] = &e.id2, dst[2] = &e.size;
        for (size_t i = 0; shape[i]; i++) {
            uint64_t v;
            if (!mkt_varint_get(data, n, &pos, &v))
                return fail(p, byte_fmt, at, "truncated or overlong varint in a '%c' record",
                            e.op);
            if (shape[i] == 'i') {
                prev += mkt_unzigzag(v); /* wraps as the writer's subtraction did */
                *dst[i] = prev;
            } else {
                *dst[i] = v;
            }
        }
        uint64_t v;
        if (code & MKT_BIN_THREAD) {
            if (!mkt_varint_get(data, n, &pos, &v) || v > UINT32_MAX)
                return fail(p, byte_fmt, at, "truncated or out-of-range thread field");
            e.thread = (uint32_t)v;
            e.flags |= MKT_HAS_THREAD;
        }
        if (code & MKT_BIN_CAPS) {
            if (!mkt_varint_get(data, n, &pos, &v) || v > UINT32_MAX)
                return fail(p, byte_fmt, at, "truncated or out-of-range caps field");
            e.caps = (uint32_t)v;
            e.flags |= MKT_HAS_CAPS;
        }
        if (!add_event(p, &e, byte_fmt, at))
            return false;
    }
    return true;
}

/* ---- entry points ------------------------------------------------------------- */

static bool starts_with(const unsigned char *d, size_t n, const char *s, size_t len)
{
    return n >= len && memcmp(d, s, len) == 0;
}

bool mkt_trace_parse(mkt_trace *t, const char *name, const unsigned char *data, size_t n,
                     char *err, size_t errsize)
{
    memset(t, 0, sizeof *t);
    parser p = { .t = t, .name = name, .err = err, .errsize = errsize };
    bool ok;
    if (starts_with(data, n, MKT_BIN_MAGIC, MKT_BIN_HEADER_LEN)) {
        t->format = MKT_BINARY;
        ok = binary_events(&p, data, n);
    } else if (starts_with(data, n, "memkit-trace", 12)) {
        t->format = MKT_TEXT;
        ok = each_line(&p, data, n, text_any_line);
    } else if (n && data[0] && strchr("=@+-<>!", data[0])) {
        t->format = MKT_MTRACE;
        ok = each_line(&p, data, n, mtrace_line);
        if (ok && p.have_pending)
            ok = fail(&p, "%s: ", 0, "ends inside a realloc ('<' without '>')");
    } else if (starts_with(data, n, MKT_BIN_MAGIC, 4)) {
        ok = n > 4 ? fail(&p, byte_fmt, 4, "unsupported binary trace version %u", data[4])
                   : fail(&p, byte_fmt, 4, "truncated header");
    } else {
        ok = fail(&p, "%s: ", 0, "not a trace (neither 'memkit-trace 1', binary, nor mtrace)");
    }
    free(p.ids.keys);
    free(p.ids.vals);
    free(p.free_slots);
    free(p.slot_bytes);
    if (!ok) {
        mkt_trace_free(t);
        return false;
    }
    t->final_live_blocks = p.live_blocks;
    t->final_live_bytes = p.live_bytes;
    return true;
}

bool mkt_read_file(const char *path, unsigned char **data, size_t *size, char *err,
                   size_t errsize)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errsize, "%s: cannot open", path);
        return false;
    }
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    for (size_t got; buf; n += got) {
        if (n == cap) {
            unsigned char *b = realloc(buf, cap *= 2);
            if (!b) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = b;
        }
        got = fread(buf + n, 1, cap - n, f);
        if (!got)
            break;
    }
    bool read_err = ferror(f) != 0;
    fclose(f);
    if (!buf || read_err) {
        snprintf(err, errsize, "%s: %s", path, buf ? "read error" : "out of memory");
        free(buf);
        return false;
    }
    *data = buf;
    *size = n;
    return true;
}

bool mkt_trace_load(mkt_trace *t, const char *path, char *err, size_t errsize)
{
    memset(t, 0, sizeof *t);
    unsigned char *buf;
    size_t n;
    if (!mkt_read_file(path, &buf, &n, err, errsize))
        return false;
    bool ok = mkt_trace_parse(t, path, buf, n, err, errsize);
    free(buf);
    return ok;
}

void mkt_trace_free(mkt_trace *t)
{
    free(t->events);
    memset(t, 0, sizeof *t);
}
