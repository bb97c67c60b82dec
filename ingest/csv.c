/* CSV ingest: the reader's rows, mapped to spec columns, parsed (only the
 * columns asked for) and appended, with every row accounted for. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csa/stats.h"
#include "reader.h"

typedef struct ingest {
    const csa_ingest_options *opt;
    const char *name;
    csa_table *t;
    csa_ingest_stats *stats;
    csa_error *err;
    csa_status status; /* set when reading must stop */
    size_t header_nfields;
    size_t nout;                           /* table columns */
    size_t spec_col[CSA_SPEC_MAX_COLUMNS]; /* table column -> spec column */
    size_t field_of[CSA_SPEC_MAX_COLUMNS]; /* table column -> field, or CSA_NO_ROW */
    bool *keep;                            /* per field */
    reader_callbacks cb;
} ingest;

const char *csa_reject_reason_text(csa_reject_reason r)
{
    static const char *const text[] = {
        "wrong number of fields", "blank value", "unreadable value",
        "duplicate value", "field too long",
    };
    return (unsigned)r < CSA_REJECT_NREASONS ? text[r] : "?";
}

/* "population, Total, All Ages": the names a spec column answers to. */
static void column_names(const csa_spec_column *c, char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size, "%s%s", c->name, c->aliases ? ", " : "");
    for (const char *a = c->aliases; a && *a && n < size; a++)
        n += (size_t)snprintf(buf + n, size - n, *a == '|' ? ", " : "%c", *a);
}

static bool on_header(ingest *in, const reader_row *row)
{
    const csa_spec *spec = in->opt->spec;
    size_t field_of_spec[CSA_SPEC_MAX_COLUMNS], dup, dup_field;
    in->header_nfields = row->nfields;
    map_header(spec, row, field_of_spec, &dup, &dup_field);
    if (dup != CSA_NO_ROW) {
        in->status = csa_error_set(in->err, CSA_ERR_FORMAT, in->name, row->line, dup_field + 1,
                                   spec->columns[dup].name, NULL,
                                   "column \"%s\" appears twice (columns %zu and %zu)",
                                   spec->columns[dup].name, field_of_spec[dup] + 1,
                                   dup_field + 1);
        return false;
    }
    for (size_t c = 0; c < spec->ncolumns; c++) {
        if (field_of_spec[c] != CSA_NO_ROW || !(spec->columns[c].flags & CSA_COL_REQUIRED))
            continue;
        char names[512];
        column_names(&spec->columns[c], names, sizeof names);
        in->status = csa_error_set(in->err, CSA_ERR_FORMAT, in->name, row->line, 0,
                                   spec->columns[c].name, NULL,
                                   "missing column \"%s\" (a %s file needs it; header names "
                                   "accepted: %s)", spec->columns[c].name, spec->name, names);
        return false;
    }
    in->keep = calloc(row->nfields ? row->nfields : 1, sizeof *in->keep);
    if (!in->keep) {
        in->status = csa_error_set(in->err, CSA_ERR_NOMEM, in->name, 0, 0, NULL, NULL,
                                   "out of memory");
        return false;
    }
    for (size_t o = 0; o < in->nout; o++) {
        in->field_of[o] = field_of_spec[in->spec_col[o]];
        if (in->field_of[o] != CSA_NO_ROW)
            in->keep[in->field_of[o]] = true;
    }
    in->cb.keep = in->keep;
    in->cb.nkeep = row->nfields;
    return true;
}

/* Counts a rejected row and keeps its error; in all-or-nothing mode the
 * rejection is the error that stops reading. */
static bool reject(ingest *in, const reader_row *row, csa_reject_reason why, size_t o,
                   uint64_t column, const char *value, const char *message)
{
    csa_ingest_stats *st = in->stats;
    const char *field = o != CSA_NO_ROW ? in->opt->spec->columns[in->spec_col[o]].name : NULL;
    csa_status status = why == CSA_REJECT_FIELD_COUNT ? CSA_ERR_FORMAT : CSA_ERR_VALUE;
    csa_error e;
    csa_error_set(&e, status, in->name, row->line, column, field, value, "%s", message);
    st->rows_rejected++;
    st->by_reason[why]++;
    if (o != CSA_NO_ROW)
        st->by_column[why][in->spec_col[o]]++;
    if (st->nkept < CSA_INGEST_KEEP_REJECTS)
        st->first_rejects[st->nkept++] = e;
    if (!in->opt->all_or_nothing)
        return true;
    *in->err = e;
    in->status = status;
    return false;
}

static bool on_data_row(ingest *in, const reader_row *row)
{
    const csa_spec *spec = in->opt->spec;
    csa_value values[CSA_SPEC_MAX_COLUMNS];
    char text[CSA_ERROR_VALUE_MAX], msg[CSA_ERROR_MESSAGE_MAX], what[96];
    in->stats->rows_read++;
    if (row->nfields != in->header_nfields) {
        snprintf(msg, sizeof msg, "row has %zu field%s; the header has %zu", row->nfields,
                 row->nfields == 1 ? "" : "s", in->header_nfields);
        return reject(in, row, CSA_REJECT_FIELD_COUNT, CSA_NO_ROW,
                      (row->nfields < in->header_nfields ? row->nfields : in->header_nfields) + 1,
                      NULL, msg);
    }
    if (row->too_long)
        return reject(in, row, CSA_REJECT_TOO_LONG, CSA_NO_ROW, 0, NULL,
                      "a field is longer than 64 KiB");
    for (size_t o = 0; o < in->nout; o++) {
        const csa_spec_column *c = &spec->columns[in->spec_col[o]];
        size_t f = in->field_of[o];
        const char *s = f == CSA_NO_ROW ? "" : row->fields[f];
        size_t len = f == CSA_NO_ROW ? 0 : row->lens[f];
        cell_status cs = parse_cell(c, s, len, &values[o], what, sizeof what);
        if (cs == CELL_OK && !(c->flags & CSA_COL_UNIQUE))
            continue; /* the common case, kept free of formatting */
        if ((cs == CELL_BLANK || cs == CELL_SUPPRESSED) && !(c->flags & CSA_COL_NOT_NULL))
            continue;
        snprintf(text, sizeof text, "%.*s", (int)(len < sizeof text ? len : sizeof text - 1), s);
        switch (cs) {
        case CELL_OK:
            if (csa_dict_find(csa_table_dict(in->t, o), values[o].v.str.s, values[o].v.str.len) !=
                CSA_NO_CODE) {
                snprintf(msg, sizeof msg, "%s \"%s\" appears more than once", c->name, text);
                return reject(in, row, CSA_REJECT_DUPLICATE, o, f + 1, text, msg);
            }
            break;
        case CELL_BLANK:
        case CELL_SUPPRESSED:
            snprintf(msg, sizeof msg, "%s is %s", c->name,
                     cs == CELL_SUPPRESSED ? "suppressed" : "blank");
            return reject(in, row, CSA_REJECT_MISSING, o, f + 1, NULL, msg);
        case CELL_BAD:
        case CELL_RANGE:
            snprintf(msg, sizeof msg, "%s \"%s\"%s", c->name, text, what);
            return reject(in, row, CSA_REJECT_BAD_VALUE, o, f + 1, text, msg);
        }
    }
    csa_status st = csa_table_append_row(in->t, values, NULL);
    if (st) {
        in->status = csa_error_set(in->err, st, in->name, row->line, 0, NULL, NULL,
                                   "cannot keep row: %s", csa_strerror(st));
        return false;
    }
    in->stats->rows_accepted++;
    return true;
}

static bool on_row(void *ctx, const reader_row *row)
{
    ingest *in = ctx;
    return in->keep ? on_data_row(in, row) : on_header(in, row);
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

/* One source, start to end, into t: the header, then every row. */
static csa_status ingest_one(csa_source *src, const csa_ingest_options *opt, csa_table *t,
                             csa_ingest_stats *stats, reader_info *info, csa_error *err)
{
    const csa_spec *spec = opt->spec;
    ingest in = {.opt = opt, .name = src->name, .t = t, .stats = stats, .err = err};
    memset(stats, 0, sizeof *stats);
    in.nout = csa_table_ncols(t);
    for (size_t o = 0; o < in.nout; o++)
        if (o >= CSA_SPEC_MAX_COLUMNS ||
            (in.spec_col[o] = csa_spec_column_index(spec, csa_table_column_name(t, o))) ==
                CSA_NO_ROW)
            return csa_error_set(err, CSA_ERR_USAGE, src->name, 0, 0, NULL, NULL,
                                 "table does not match spec %s", spec->name);
    in.cb = (reader_callbacks){.row = on_row, .ctx = &in, .exact = opt->exact_path};
    csa_status st = reader_run(src, &in.cb, info, err);
    if (!st)
        st = in.status;
    stats->windows_1252 = info->windows_1252;
    stats->replaced_bytes = info->invalid_bytes + info->nul_bytes;
    stats->threads = 1;
    if (!st && !in.keep)
        st = csa_error_set(err, CSA_ERR_FORMAT, src->name, 0, 0, NULL, NULL,
                           "file is empty: a %s file needs a header row and data rows",
                           spec->name);
    free(in.keep);
    return st;
}

/* ---- two threads on big files ---- */

typedef struct half {
    reader_half in;
    const csa_ingest_options *opt;
    csa_table *t;
    csa_ingest_stats stats;
    reader_info info;
    csa_error err;
    csa_status st;
} half;

static void *run_half(void *arg)
{
    half *h = arg;
    h->st = ingest_one(&h->in.src, h->opt, h->t, &h->stats, &h->info, &h->err);
    return NULL;
}

static void add_stats(csa_ingest_stats *to, const csa_ingest_stats *from, uint64_t line_shift)
{
    to->rows_read += from->rows_read;
    to->rows_accepted += from->rows_accepted;
    to->rows_rejected += from->rows_rejected;
    for (int r = 0; r < CSA_REJECT_NREASONS; r++) {
        to->by_reason[r] += from->by_reason[r];
        for (size_t c = 0; c < CSA_SPEC_MAX_COLUMNS; c++)
            to->by_column[r][c] += from->by_column[r][c];
    }
    for (size_t i = 0; i < from->nkept && to->nkept < CSA_INGEST_KEEP_REJECTS; i++) {
        to->first_rejects[to->nkept] = from->first_rejects[i];
        to->first_rejects[to->nkept++].line += line_shift;
    }
    to->replaced_bytes += from->replaced_bytes;
}

/* Reads a big plain file as two halves split after a line end, on two
 * threads. *done is false when the file does not qualify or the halves
 * cannot be trusted to equal one sequential read (the split fell inside a
 * quoted value, or the second half has bytes over 0x7F, whose meaning
 * depends on what came before); the caller then reads it sequentially. */
static csa_status ingest_parallel(csa_source *src, const csa_ingest_options *opt, csa_table *t,
                                  csa_ingest_stats *stats, bool *done, csa_error *err)
{
    *done = false;
    if (opt->all_or_nothing || opt->exact_path)
        return CSA_OK;
    for (size_t o = 0; o < csa_table_ncols(t); o++) {
        size_t c = csa_spec_column_index(opt->spec, csa_table_column_name(t, o));
        if (c == CSA_NO_ROW || (opt->spec->columns[c].flags & CSA_COL_UNIQUE))
            return CSA_OK; /* uniqueness is checked across the whole file */
    }
    reader_split sp;
    if (!reader_plan_split(src, &sp))
        return CSA_OK;
    /* the first half appends to t itself, so only the second is copied */
    size_t nbefore = csa_table_nrows(t);
    half h[2] = {{.opt = opt, .t = t}, {.opt = opt}};
    csa_status st = CSA_OK;
    for (int i = 0; i < 2; i++)
        if (!reader_open_half(&h[i].in, &sp, src->name, i))
            goto cleanup;
    if (csa_ingest_table(opt, &h[1].t, err))
        goto cleanup;
    reader_run_halves(run_half, &h[0], &h[1]);
    if (h[0].st || h[1].st || h[0].info.ended_in_row || h[1].info.non_ascii)
        goto cleanup; /* read it sequentially: same answers, exactly as a user sees them */
    if ((st = csa_table_append_table(t, h[1].t))) {
        st = csa_error_set(err, st, src->name, 0, 0, NULL, NULL, "%s", csa_strerror(st));
        goto cleanup;
    }
    memset(stats, 0, sizeof *stats);
    add_stats(stats, &h[0].stats, 0);
    /* the second half counted its header as line 1; its rows follow the first half's lines */
    add_stats(stats, &h[1].stats, h[0].info.lines - 1);
    stats->windows_1252 = h[0].stats.windows_1252;
    stats->threads = 2;
    *done = true;
cleanup:
    for (int i = 0; i < 2; i++)
        reader_close_half(&h[i].in);
    csa_table_free(h[1].t);
    if (!*done && !st)
        csa_table_truncate(t, nbefore);
    return st;
}

csa_status csa_ingest(csa_source *src, const csa_ingest_options *opt, csa_table *t,
                      csa_ingest_stats *stats, csa_error *err)
{
    const csa_spec *spec = opt->spec;
    reader_info info;
    bool done;
    csa_status st = ingest_parallel(src, opt, t, stats, &done, err);
    if (!st && !done)
        st = ingest_one(src, opt, t, stats, &info, err);
    if (!st && !opt->all_or_nothing && stats->rows_read &&
        (double)stats->rows_rejected > opt->max_reject_share * (double)stats->rows_read) {
        char first[CSA_ERROR_MESSAGE_MAX + CSA_ERROR_FILE_MAX + 48], nrej[32], nread[32];
        csa_error_format(&stats->first_rejects[0], first, sizeof first);
        st = csa_error_set(err, CSA_ERR_REJECTS, src->name, 0, 0, NULL, NULL,
                           "%s of %s rows rejected (%.1f%%, more than %g%%): is this a %s "
                           "file? The first: %s",
                           csa_format_number((double)stats->rows_rejected, 0, nrej, sizeof nrej),
                           csa_format_number((double)stats->rows_read, 0, nread, sizeof nread),
                           100.0 * (double)stats->rows_rejected / (double)stats->rows_read,
                           100.0 * opt->max_reject_share, spec->name, first);
    }
    return st;
}

/* ---- any CSV ---- */

typedef struct any {
    const char *name;
    const char *const *numeric;
    size_t nnumeric;
    csa_table *t;
    csa_spec_column *cols; /* per field: how its cells are read */
    csa_value *values;
    size_t nfields;
    bool nonnegative;
    uint64_t *lines;
    size_t lines_cap;
    csa_error *err;
    csa_status status;
} any;

static bool any_header(any *a, const reader_row *row)
{
    a->nfields = row->nfields;
    a->cols = calloc(row->nfields, sizeof *a->cols);
    a->values = calloc(row->nfields, sizeof *a->values);
    char **names = calloc(row->nfields, sizeof *names);
    bool ok = a->cols && a->values && names;
    for (size_t f = 0; ok && f < row->nfields; f++) {
        names[f] = strndup(row->fields[f], row->lens[f]);
        ok = names[f] != NULL;
    }
    if (!ok) {
        a->status = csa_error_set(a->err, CSA_ERR_NOMEM, a->name, 0, 0, NULL, NULL, "out of memory");
        goto done;
    }
    for (size_t f = 0; f < row->nfields; f++) {
        bool numeric = false;
        for (size_t n = 0; n < a->nnumeric; n++)
            numeric = numeric || strcmp(names[f], a->numeric[n]) == 0;
        a->cols[f] = (csa_spec_column){.name = a->numeric[0], .type = numeric ? CSA_DOUBLE : CSA_STRING,
                                       .flags = a->nonnegative ? CSA_COL_RANGE : 0,
                                       .min = 0, .max = HUGE_VAL};
        csa_status st = csa_table_add_column(a->t, names[f], a->cols[f].type);
        if (st) {
            a->status = csa_error_set(a->err, st, a->name, row->line, f + 1, names[f], NULL,
                                      "column \"%s\": %s", names[f],
                                      st == CSA_ERR_NOMEM ? "out of memory" : "cannot add it");
            goto done;
        }
    }
    for (size_t n = 0; n < a->nnumeric; n++)
        if (csa_table_find(a->t, a->numeric[n]) == CSA_NO_ROW) {
            a->status = csa_error_set(a->err, CSA_ERR_FORMAT, a->name, row->line, 0, a->numeric[n],
                                      NULL, "missing column \"%s\"", a->numeric[n]);
            goto done;
        }
done:
    for (size_t f = 0; names && f < row->nfields; f++)
        free(names[f]);
    free(names);
    return a->status == CSA_OK;
}

static bool any_row(void *ctx, const reader_row *row)
{
    any *a = ctx;
    if (!a->cols)
        return any_header(a, row);
    if (row->nfields != a->nfields) {
        a->status = csa_error_set(a->err, CSA_ERR_FORMAT, a->name, row->line,
                                  (row->nfields < a->nfields ? row->nfields : a->nfields) + 1,
                                  NULL, NULL, "row has %zu fields; the header has %zu",
                                  row->nfields, a->nfields);
        return false;
    }
    char what[96], text[CSA_ERROR_VALUE_MAX];
    for (size_t f = 0; f < a->nfields; f++) {
        const char *name = csa_table_column_name(a->t, f);
        a->cols[f].name = name;
        cell_status cs = parse_cell(&a->cols[f], row->fields[f], row->lens[f], &a->values[f],
                                    what, sizeof what);
        if (cs == CELL_BAD || cs == CELL_RANGE) {
            snprintf(text, sizeof text, "%.*s",
                     (int)(row->lens[f] < sizeof text ? row->lens[f] : sizeof text - 1),
                     row->fields[f]);
            a->status = csa_error_set(a->err, CSA_ERR_VALUE, a->name, row->line, f + 1, name,
                                      text, "%s \"%s\"%s", name, text, what);
            return false;
        }
    }
    csa_status st = csa_table_append_row(a->t, a->values, NULL);
    size_t r = csa_table_nrows(a->t) - 1;
    if (!st && r >= a->lines_cap) {
        size_t cap = a->lines_cap ? a->lines_cap * 2 : 1024;
        uint64_t *lines = realloc(a->lines, cap * sizeof *lines);
        if (lines) {
            a->lines = lines;
            a->lines_cap = cap;
        } else {
            st = CSA_ERR_NOMEM;
        }
    }
    if (st) {
        a->status = csa_error_set(a->err, st, a->name, row->line, 0, NULL, NULL,
                                  "cannot keep row: %s", csa_strerror(st));
        return false;
    }
    a->lines[r] = row->line;
    return true;
}

csa_status csa_ingest_any(csa_source *src, const char *const *numeric, size_t nnumeric,
                          bool nonnegative, csa_table **out, uint64_t **lines, csa_error *err)
{
    static const char *const none[] = {""};
    any a = {.name = src->name, .numeric = nnumeric ? numeric : none, .nnumeric = nnumeric,
             .nonnegative = nonnegative, .err = err, .t = csa_table_create()};
    reader_info info;
    *out = NULL;
    if (!a.t)
        return csa_error_set(err, CSA_ERR_NOMEM, src->name, 0, 0, NULL, NULL, "out of memory");
    reader_callbacks cb = {.row = any_row, .ctx = &a};
    csa_status st = reader_run(src, &cb, &info, err);
    if (!st)
        st = a.status;
    if (!st && !a.cols)
        st = csa_error_set(err, CSA_ERR_FORMAT, src->name, 0, 0, NULL, NULL, "file is empty");
    free(a.cols);
    free(a.values);
    if (st) {
        csa_table_free(a.t);
        free(a.lines);
        return st;
    }
    csa_table_freeze(a.t);
    *out = a.t;
    if (lines)
        *lines = a.lines;
    else
        free(a.lines);
    return CSA_OK;
}
