/* CSV ingest on libcsv. libcsv handles quoting exactly; this file counts
 * physical lines (libcsv does not), maps header fields to spec columns,
 * parses only the columns asked for, and accounts for every row. */
#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "csa/ingest.h"
#include "csa/stats.h"

/* libcsv's "inside a field" parser state (libcsv.c; the same number from
 * 1.0 to 3.0.3). CSV_STRICT_FINI would report an unclosed quote only in
 * strict mode, which also refuses the stray quotes real files have, so
 * ingest reads the state itself. tests/unit/test_ingest.c pins this. */
enum { LIBCSV_FIELD_BEGUN = 2 };

enum {
    CHUNK = 1 << 16,
    MAX_FIELDS = 4096,       /* columns in a header */
    MAX_ROW_BYTES = 1 << 20, /* a row longer than this is a quote left open */
};

typedef struct reader {
    const csa_ingest_options *opt;
    const char *name;
    csa_table *t;
    csa_ingest_stats *stats;
    csa_error *err;
    csa_status status; /* set when reading must stop */

    uint64_t line;     /* physical line being fed, 1-based */
    uint64_t row_line; /* line where the current row began; 0 between rows */
    size_t row_bytes;
    bool prev_cr;

    bool header_done;
    size_t header_nfields;
    size_t nout;                           /* table columns */
    size_t spec_col[CSA_SPEC_MAX_COLUMNS]; /* table column -> spec column */
    size_t field_of[CSA_SPEC_MAX_COLUMNS]; /* table column -> field, or CSA_NO_ROW */
    size_t *out_of_field;                  /* field -> table column, or CSA_NO_ROW */

    /* the current row: its field count and the text of the fields kept */
    size_t nfields;
    bool too_long;
    char *buf;
    size_t buf_len, buf_cap;
    size_t *fstart, *flen; /* per field (header) or per table column (data) */
    size_t fcap;
} reader;

const char *csa_reject_reason_text(csa_reject_reason r)
{
    static const char *const text[] = {
        "wrong number of fields", "blank value", "unreadable value",
        "duplicate value", "field too long",
    };
    return (unsigned)r < CSA_REJECT_NREASONS ? text[r] : "?";
}

static csa_status fail(reader *r, csa_status st)
{
    if (!r->status)
        r->status = st;
    return st;
}

static bool keep_text(reader *r, size_t slot, const char *s, size_t len)
{
    if (slot >= r->fcap) {
        size_t cap = r->fcap ? r->fcap * 2 : 64;
        while (cap <= slot)
            cap *= 2;
        size_t *fs = realloc(r->fstart, cap * sizeof *fs);
        if (!fs)
            return false;
        r->fstart = fs;
        size_t *fl = realloc(r->flen, cap * sizeof *fl);
        if (!fl)
            return false;
        r->flen = fl;
        r->fcap = cap;
    }
    if (len > r->buf_cap - r->buf_len) {
        size_t cap = r->buf_cap ? r->buf_cap : 4096;
        while (cap - r->buf_len < len)
            cap *= 2;
        char *b = realloc(r->buf, cap);
        if (!b)
            return false;
        r->buf = b;
        r->buf_cap = cap;
    }
    memcpy(r->buf + r->buf_len, s, len);
    r->fstart[slot] = r->buf_len;
    r->flen[slot] = len;
    r->buf_len += len;
    return true;
}

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    if (r->status)
        return;
    size_t f = r->nfields++;
    if (!r->header_done) {
        if (f >= MAX_FIELDS) {
            csa_error_set(r->err, CSA_ERR_LIMIT, r->name, r->row_line, f + 1, NULL, NULL,
                          "header has more than %d columns", MAX_FIELDS);
            fail(r, CSA_ERR_LIMIT);
            return;
        }
        if (!keep_text(r, f, s, len))
            fail(r, csa_error_set(r->err, CSA_ERR_NOMEM, r->name, 0, 0, NULL, NULL,
                                  "out of memory"));
        return;
    }
    if (f >= r->header_nfields || r->out_of_field[f] == CSA_NO_ROW)
        return;
    if (len > CSA_STRING_MAX) {
        r->too_long = true;
        return;
    }
    if (!keep_text(r, r->out_of_field[f], s, len))
        fail(r, csa_error_set(r->err, CSA_ERR_NOMEM, r->name, 0, 0, NULL, NULL,
                              "out of memory"));
}

/* "population, Total, All Ages": the names a spec column answers to. */
static void column_names(const csa_spec_column *c, char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size, "%s%s", c->name, c->aliases ? ", " : "");
    for (const char *a = c->aliases; a && *a && n < size; a++)
        n += (size_t)snprintf(buf + n, size - n, *a == '|' ? ", " : "%c", *a);
}

static void on_header(reader *r)
{
    const csa_spec *spec = r->opt->spec;
    r->header_nfields = r->nfields;
    r->out_of_field = malloc(r->nfields * sizeof *r->out_of_field);
    if (!r->out_of_field) {
        fail(r, csa_error_set(r->err, CSA_ERR_NOMEM, r->name, 0, 0, NULL, NULL, "out of memory"));
        return;
    }
    size_t field_of_spec[CSA_SPEC_MAX_COLUMNS];
    for (size_t c = 0; c < spec->ncolumns; c++)
        field_of_spec[c] = CSA_NO_ROW;
    for (size_t f = 0; f < r->nfields; f++) {
        r->out_of_field[f] = CSA_NO_ROW;
        for (size_t c = 0; c < spec->ncolumns; c++) {
            if (!csa_spec_column_matches(&spec->columns[c], r->buf + r->fstart[f], r->flen[f]))
                continue;
            if (field_of_spec[c] != CSA_NO_ROW) {
                fail(r, csa_error_set(r->err, CSA_ERR_FORMAT, r->name, r->row_line, f + 1,
                                      spec->columns[c].name, NULL,
                                      "column \"%s\" appears twice (columns %zu and %zu)",
                                      spec->columns[c].name, field_of_spec[c] + 1, f + 1));
                return;
            }
            field_of_spec[c] = f;
            break;
        }
    }
    for (size_t c = 0; c < spec->ncolumns; c++) {
        if (field_of_spec[c] != CSA_NO_ROW || !(spec->columns[c].flags & CSA_COL_REQUIRED))
            continue;
        char names[512];
        column_names(&spec->columns[c], names, sizeof names);
        fail(r, csa_error_set(r->err, CSA_ERR_FORMAT, r->name, r->row_line, 0,
                              spec->columns[c].name, NULL,
                              "missing column \"%s\" (a %s file needs it; header names "
                              "accepted: %s)", spec->columns[c].name, spec->name, names));
        return;
    }
    for (size_t o = 0; o < r->nout; o++) {
        r->field_of[o] = field_of_spec[r->spec_col[o]];
        if (r->field_of[o] != CSA_NO_ROW)
            r->out_of_field[r->field_of[o]] = o;
    }
    r->header_done = true;
}

/* Counts a rejected row and keeps its error; in all-or-nothing mode the
 * rejection is the error that stops reading. */
static void reject(reader *r, csa_reject_reason why, size_t o, uint64_t column,
                   const char *value, const char *message)
{
    csa_ingest_stats *st = r->stats;
    const char *field = o != CSA_NO_ROW ? r->opt->spec->columns[r->spec_col[o]].name : NULL;
    csa_status status = why == CSA_REJECT_FIELD_COUNT ? CSA_ERR_FORMAT : CSA_ERR_VALUE;
    csa_error e;
    csa_error_set(&e, status, r->name, r->row_line, column, field, value, "%s", message);
    st->rows_rejected++;
    st->by_reason[why]++;
    if (o != CSA_NO_ROW)
        st->by_column[why][r->spec_col[o]]++;
    if (st->nkept < CSA_INGEST_KEEP_REJECTS)
        st->first_rejects[st->nkept++] = e;
    if (r->opt->all_or_nothing) {
        *r->err = e;
        fail(r, status);
    }
}

static void on_data_row(reader *r)
{
    const csa_spec *spec = r->opt->spec;
    csa_value values[CSA_SPEC_MAX_COLUMNS];
    char text[CSA_ERROR_VALUE_MAX], msg[CSA_ERROR_MESSAGE_MAX];
    r->stats->rows_read++;
    if (r->nfields != r->header_nfields) {
        snprintf(msg, sizeof msg, "row has %zu field%s; the header has %zu", r->nfields,
                 r->nfields == 1 ? "" : "s", r->header_nfields);
        reject(r, CSA_REJECT_FIELD_COUNT, CSA_NO_ROW,
               (r->nfields < r->header_nfields ? r->nfields : r->header_nfields) + 1, NULL, msg);
        return;
    }
    if (r->too_long) {
        reject(r, CSA_REJECT_TOO_LONG, CSA_NO_ROW, 0, NULL, "a field is longer than 64 KiB");
        return;
    }
    for (size_t o = 0; o < r->nout; o++) {
        const csa_spec_column *c = &spec->columns[r->spec_col[o]];
        csa_value *v = &values[o];
        memset(v, 0, sizeof *v);
        size_t f = r->field_of[o];
        const char *s = f == CSA_NO_ROW ? "" : r->buf + r->fstart[o];
        size_t len = f == CSA_NO_ROW ? 0 : r->flen[o];
        size_t blank = len;
        while (blank && (s[blank - 1] == ' ' || s[blank - 1] == '\t'))
            blank--;
        if (blank == 0) {
            v->missing = true;
            if (c->flags & CSA_COL_NOT_NULL) {
                snprintf(msg, sizeof msg, "%s is blank", c->name);
                reject(r, CSA_REJECT_MISSING, o, f + 1, NULL, msg);
                return;
            }
            continue;
        }
        snprintf(text, sizeof text, "%.*s", (int)(len < sizeof text ? len : sizeof text - 1), s);
        double num = 0;
        bool ok = true;
        const char *what = NULL;
        switch (c->type) {
        case CSA_INT64:
            ok = csa_parse_int64(s, len, &v->v.i);
            num = (double)v->v.i;
            what = ok || !csa_parse_double(s, len, &num) ? " is not a number"
                                                         : " is not a whole number";
            break;
        case CSA_DOUBLE:
            ok = csa_parse_double(s, len, &v->v.d);
            num = v->v.d;
            what = " is not a number";
            break;
        case CSA_DATE:
            ok = csa_parse_date(s, len, &v->v.date);
            what = " is not a date (dates are read as 2018-06, 2018-06-30 or 30/06/2018)";
            break;
        case CSA_BOOL:
            ok = len == 1 && (*s == '0' || *s == '1');
            v->v.b = *s == '1';
            what = " is not 0 or 1";
            break;
        case CSA_STRING:
            v->v.str.s = s;
            v->v.str.len = len;
            if ((c->flags & CSA_COL_UNIQUE) &&
                csa_dict_find(csa_table_dict(r->t, o), s, len) != CSA_NO_CODE) {
                snprintf(msg, sizeof msg, "%s \"%s\" appears more than once", c->name, text);
                reject(r, CSA_REJECT_DUPLICATE, o, f + 1, text, msg);
                return;
            }
            break;
        }
        if (!ok) {
            snprintf(msg, sizeof msg, "%s \"%s\"%s", c->name, text, what);
            reject(r, CSA_REJECT_BAD_VALUE, o, f + 1, text, msg);
            return;
        }
        if ((c->flags & CSA_COL_RANGE) && (c->type == CSA_INT64 || c->type == CSA_DOUBLE) &&
            (num < c->min || num > c->max)) {
            char range[96];
            if (num < 0 && c->min == 0)
                snprintf(range, sizeof range, " is negative");
            else
                snprintf(range, sizeof range, " is outside %.10g to %.10g", c->min, c->max);
            snprintf(msg, sizeof msg, "%s \"%s\"%s", c->name, text, range);
            reject(r, CSA_REJECT_BAD_VALUE, o, f + 1, text, msg);
            return;
        }
    }
    csa_status st = csa_table_append_row(r->t, values, NULL);
    if (st) {
        fail(r, csa_error_set(r->err, st, r->name, r->row_line, 0, NULL, NULL,
                              "cannot keep row: %s", csa_strerror(st)));
        return;
    }
    r->stats->rows_accepted++;
}

static void on_row(int term, void *data)
{
    (void)term;
    reader *r = data;
    if (!r->status) {
        if (r->header_done)
            on_data_row(r);
        else
            on_header(r);
    }
    r->nfields = 0;
    r->buf_len = 0;
    r->too_long = false;
    r->row_line = 0;
    r->row_bytes = 0;
}

/* Feeds libcsv one physical line at a time, so that line numbers are known
 * when it reports a row. CRLF, LF and a lone CR each end a line. */
static void feed(reader *r, struct csv_parser *p, const char *buf, size_t len)
{
    size_t i = 0;
    while (i < len && !r->status) {
        size_t j = i;
        while (j < len && buf[j] != '\n' && buf[j] != '\r')
            j++;
        size_t end = j < len ? j + 1 : len;
        bool crlf_tail = j == i && buf[j] == '\n' && r->prev_cr;
        if (!r->row_line && j > i)
            r->row_line = r->line;
        if (r->row_line) {
            r->row_bytes += end - i;
            if (r->row_bytes > MAX_ROW_BYTES) {
                fail(r, csa_error_set(r->err, CSA_ERR_FORMAT, r->name, r->row_line, 0, NULL,
                                      NULL, "the row that starts here is over 1 MiB long: "
                                      "probably a quote (\") that is never closed"));
                return;
            }
        }
        if (csv_parse(p, buf + i, end - i, on_field, on_row, r) != end - i) {
            fail(r, csa_error_set(r->err, CSA_ERR_NOMEM, r->name, r->line, 0, NULL, NULL,
                                  "cannot parse: %s", csv_strerror(csv_error(p))));
            return;
        }
        if (j < len) {
            if (!crlf_tail)
                r->line++;
            r->prev_cr = buf[j] == '\r';
        } else {
            r->prev_cr = false;
        }
        i = end;
    }
}

csa_status csa_ingest_table(const csa_ingest_options *opt, csa_table **out, csa_error *err)
{
    const csa_spec *spec = opt->spec;
    size_t n = opt->ncolumns ? opt->ncolumns : spec->ncolumns;
    *out = NULL;
    if (n > CSA_SPEC_MAX_COLUMNS)
        return csa_error_set(err, CSA_ERR_LIMIT, NULL, 0, 0, NULL, NULL, "too many columns");
    csa_table *t = csa_table_create();
    if (!t)
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    for (size_t o = 0; o < n; o++) {
        size_t c = opt->ncolumns ? csa_spec_column_index(spec, opt->columns[o]) : o;
        if (c == CSA_NO_ROW) {
            csa_table_free(t);
            return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, opt->columns[o], NULL,
                                 "spec %s has no column \"%s\"", spec->name, opt->columns[o]);
        }
        csa_status st = csa_table_add_column(t, spec->columns[c].name, spec->columns[c].type);
        if (st) {
            csa_table_free(t);
            return csa_error_set(err, st, NULL, 0, 0, NULL, NULL, "%s", csa_strerror(st));
        }
    }
    *out = t;
    return CSA_OK;
}

csa_status csa_ingest(csa_source *src, const csa_ingest_options *opt, csa_table *t,
                      csa_ingest_stats *stats, csa_error *err)
{
    const csa_spec *spec = opt->spec;
    reader r = {.opt = opt, .name = src->name, .t = t, .stats = stats, .err = err, .line = 1};
    struct csv_parser p;
    char *chunk = NULL;
    memset(stats, 0, sizeof *stats);
    r.nout = csa_table_ncols(t);
    for (size_t o = 0; o < r.nout; o++) {
        r.spec_col[o] = csa_spec_column_index(spec, csa_table_column_name(t, o));
        if (r.spec_col[o] == CSA_NO_ROW || o >= CSA_SPEC_MAX_COLUMNS)
            return csa_error_set(err, CSA_ERR_USAGE, src->name, 0, 0, NULL, NULL,
                                 "table does not match spec %s", spec->name);
    }
    if (csv_init(&p, 0) != 0)
        return csa_error_set(err, CSA_ERR_NOMEM, src->name, 0, 0, NULL, NULL, "out of memory");
    chunk = malloc(CHUNK);
    if (!chunk) {
        fail(&r, csa_error_set(err, CSA_ERR_NOMEM, src->name, 0, 0, NULL, NULL, "out of memory"));
        goto done;
    }
    bool first = true, any = false;
    for (;;) {
        size_t got = 0, n;
        /* the first read gathers at least 3 bytes so a BOM is always seen whole */
        do {
            csa_status st = src->read(src->ctx, chunk + got, CHUNK - got, &n, err);
            if (st) {
                fail(&r, st);
                goto done;
            }
            got += n;
        } while (first && n && got < 3);
        if (!got)
            break;
        const char *b = chunk;
        if (first && got >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0) {
            b += 3;
            got -= 3;
        }
        first = false;
        any = any || got;
        feed(&r, &p, b, got);
        if (r.status)
            goto done;
    }
    if (p.pstate == LIBCSV_FIELD_BEGUN && p.quoted) {
        fail(&r, csa_error_set(err, CSA_ERR_FORMAT, src->name, r.row_line, 0, NULL, NULL,
                               "a quote (\") opened in the row that starts here is never "
                               "closed before the end of the file"));
        goto done;
    }
    csv_fini(&p, on_field, on_row, &r);
    if (r.status)
        goto done;
    if (!any || !r.header_done) {
        fail(&r, csa_error_set(err, CSA_ERR_FORMAT, src->name, 0, 0, NULL, NULL,
                               "file is empty: a %s file needs a header row and data rows",
                               spec->name));
        goto done;
    }
    if (!opt->all_or_nothing && stats->rows_read &&
        (double)stats->rows_rejected > opt->max_reject_share * (double)stats->rows_read) {
        char first_msg[CSA_ERROR_MESSAGE_MAX + CSA_ERROR_FILE_MAX + 48], nrej[32], nread[32];
        csa_error_format(&stats->first_rejects[0], first_msg, sizeof first_msg);
        fail(&r, csa_error_set(err, CSA_ERR_REJECTS, src->name, 0, 0, NULL, NULL,
                               "%s of %s rows rejected (%.1f%%, more than %g%%): is this "
                               "a %s file? The first: %s",
                               csa_format_number((double)stats->rows_rejected, 0, nrej, sizeof nrej),
                               csa_format_number((double)stats->rows_read, 0, nread, sizeof nread),
                               100.0 * (double)stats->rows_rejected / (double)stats->rows_read,
                               100.0 * opt->max_reject_share, spec->name, first_msg));
    }
done:
    csv_free(&p);
    free(chunk);
    free(r.buf);
    free(r.fstart);
    free(r.flen);
    free(r.out_of_field);
    return r.status;
}
