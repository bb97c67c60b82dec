/* csa request: what a partner needs to send, as files (csa/register.h).
 * Everything a template, the workbook and the letter say comes from the
 * config and the dataset specs (ingest/specs.c), so a request never asks
 * for a column the run does not read, nor leaves one out. */
#include "csa/csa.h"
#include "csa/letter.h"
#include "csa/month.h"
#include "csa/register.h"

#include "internal.h"

#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Strings made for one request, freed together. */
typedef struct strings {
    char **v;
    size_t n;
    bool nomem;
} strings;

static const char *keep(strings *s, char *text)
{
    char **v = text ? realloc(s->v, (s->n + 1) * sizeof *v) : NULL;
    if (!v) {
        free(text);
        s->nomem = true;
        return "";
    }
    s->v = v;
    return s->v[s->n++] = text;
}

static const char *fmt(strings *s, const char *f, ...) __attribute__((format(printf, 2, 3)));

static const char *fmt(strings *s, const char *f, ...)
{
    char *text;
    va_list ap;
    va_start(ap, f);
    if (vasprintf(&text, f, ap) < 0)
        text = NULL;
    va_end(ap);
    return keep(s, text);
}

/* "31 January 2019" */
static const char *long_date(strings *s, int32_t days)
{
    int y, m;
    csa_month_split(days, &y, &m);
    return fmt(s, "%d %s %d", days - csa_month_of(days) + 1, csa_month_name(m), y);
}

static const char *type_text(csa_type t)
{
    switch (t) {
    case CSA_INT64: return "whole number";
    case CSA_DOUBLE: return "number";
    case CSA_DATE: return "date or month";
    case CSA_STRING: return "text";
    case CSA_BOOL: return "0 or 1";
    }
    return "";
}

/* The values a column allows, in words. */
static const char *allowed(strings *s, const csa_spec_column *c)
{
    char *out = NULL;
    size_t size = 0;
    FILE *fp = open_memstream(&out, &size);
    if (!fp)
        return keep(s, NULL);
    if (c->codes) {
        fprintf(fp, "one of%s: ", c->flags & CSA_COL_CODES_WARN ? " (others are warned of)" : "");
        for (const char *const *v = c->codes; *v; v++)
            fprintf(fp, "%s%s", v == c->codes ? "" : "; ", *v);
    } else if (c->flags & CSA_COL_LSOA) {
        fputs("an LSOA code: E01 or W01 and six digits", fp);
    } else if (c->flags & CSA_COL_AREA) {
        fputs("an ONS area code: a letter and eight digits", fp);
    } else if (c->flags & CSA_COL_RANGE) {
        fprintf(fp, "from %.10g to %.10g", c->min, c->max);
    } else if (c->type == CSA_DATE) {
        fputs("2018-06 (a month), 2018-06-30 or 30/06/2018", fp);
    } else {
        fputs(c->type == CSA_STRING ? "any text" : "any", fp);
    }
    if (c->type == CSA_INT64 || c->type == CSA_DOUBLE)
        fputs("; *, .. or c mark a suppressed value", fp);
    if (c->flags & CSA_COL_NOT_NULL)
        fputs("; never blank", fp);
    if (c->flags & CSA_COL_UNIQUE)
        fputs("; each value once", fp);
    return keep(s, fclose(fp) == 0 ? out : (free(out), NULL));
}

/* Field k of a CSV line (double quotes as RFC 4180), into buf. */
static bool csv_field(const char *line, size_t k, char *buf, size_t size)
{
    size_t n = 0, field = 0;
    bool quoted = false;
    for (const char *p = line; *p && *p != '\n' && *p != '\r'; p++) {
        if (*p == '"') {
            if (quoted && p[1] == '"')
                p++;
            else {
                quoted = !quoted;
                continue;
            }
        } else if (*p == ',' && !quoted) {
            if (field++ == k)
                break;
            continue;
        }
        if (field == k && n + 1 < size)
            buf[n++] = *p;
    }
    buf[n] = '\0';
    return field >= k;
}

/* The spec's example value of column c (from its example file), or "". */
static const char *example(strings *s, const csa_spec *spec, const csa_spec_column *c)
{
    const char *rows = strchr(spec->example, '\n');
    char name[256];
    for (size_t k = 0; rows && csv_field(spec->example, k, name, sizeof name) && name[0]; k++)
        if (!strcasecmp(name, c->name)) {
            char value[256];
            csv_field(rows + 1, k, value, sizeof value);
            return fmt(s, "%s", value);
        }
    return "";
}

static bool in_spec(const csa_spec *spec, const char *name)
{
    for (size_t i = 0; i < spec->ncolumns; i++)
        if (!strcasecmp(spec->columns[i].name, name))
            return true;
    return false;
}

/* A table of text columns, built row by row. */
static csa_table *text_table(const char *const *names, size_t n)
{
    csa_table *t = csa_table_create();
    for (size_t i = 0; t && i < n; i++)
        if (csa_table_add_column(t, names[i], CSA_STRING)) {
            csa_table_free(t);
            return NULL;
        }
    return t;
}

static bool add_row(csa_table *t, const char *const *cells, size_t n)
{
    csa_value v[16];
    for (size_t i = 0; i < n; i++)
        v[i] = (csa_value){.missing = !cells[i] || !*cells[i],
                           .v.str = {cells[i] ? cells[i] : "", cells[i] ? strlen(cells[i]) : 0}};
    return csa_table_append_row(t, v, NULL) == CSA_OK;
}

/* The extra columns the config's survey indicators read from input i
 * (answers, breakdowns) beyond its spec's, each once. */
static size_t extra_columns(const csa_config *cfg, size_t i, const char **names,
                            const char **why, size_t max, strings *s)
{
    const csa_spec *spec = cfg->inputs[i].spec;
    size_t n = 0;
    for (size_t k = 0; k < cfg->nindicators; k++) {
        const csa_config_indicator *ind = &cfg->indicators[k];
        if (ind->input != i)
            continue;
        const char *cols[33];
        size_t ncols = 0;
        if (ind->question)
            cols[ncols++] = ind->question;
        for (size_t b = 0; b < ind->by.n && ncols < 33; b++)
            cols[ncols++] = ind->by.v[b];
        for (size_t c = 0; c < ncols && n < max; c++) {
            bool seen = in_spec(spec, cols[c]);
            for (size_t j = 0; j < n && !seen; j++)
                seen = !strcasecmp(names[j], cols[c]);
            if (seen)
                continue;
            names[n] = cols[c];
            why[n++] = c == 0 && ind->question
                           ? fmt(s, "the answer the indicator \"%s\" counts", ind->title)
                           : fmt(s, "a group the indicator \"%s\" is broken down by",
                                 ind->title);
        }
    }
    return n;
}

enum { MAX_EXTRA = 64 };

/* The validator page copied into the request as validator.html. */
static csa_status copy_page(csa_outdir *od, const char *page, csa_error *err)
{
    const char *tmp;
    csa_status st = csa_outdir_add(od, "validator.html", &tmp, err);
    if (st)
        return st;
    FILE *in = fopen(page, "rb"), *out = in ? fopen(tmp, "wb") : NULL;
    if (!in || !out) {
        int e = errno;
        if (in)
            fclose(in);
        return csa_error_set(err, CSA_ERR_IO, out ? tmp : page, 0, 0, NULL, NULL,
                             "cannot %s the validator page: %s", in ? "write" : "read",
                             strerror(e));
    }
    char buf[1 << 16];
    size_t n;
    bool ok = true;
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
        ok = fwrite(buf, 1, n, out) == n;
    ok = ok && !ferror(in);
    int e = errno;
    fclose(in);
    if (fclose(out) != 0 || !ok)
        return csa_error_set(err, CSA_ERR_IO, tmp, 0, 0, NULL, NULL,
                             "cannot copy the validator page %s: %s", page, strerror(e ? e : EIO));
    return CSA_OK;
}

csa_status csa_request_write(const csa_config *cfg, size_t p, const char *dir, const char *page,
                             csa_error *err)
{
    const csa_config_partner *partner = &cfg->partners[p];
    strings s = {0};
    csa_outdir *od = NULL;
    csa_status st = CSA_OK;
    const char *tmp;
    size_t ninputs = partner->inputs.n;
    csa_table **tables = calloc(ninputs + 1, sizeof *tables);
    csa_sheet *sheets = calloc(ninputs + 1, sizeof *sheets);
    const char **paragraphs = calloc(ninputs + 8, sizeof *paragraphs);
    if (!tables || !sheets || !paragraphs)
        goto nomem;
    if ((st = csa_outdir_open(dir, &od, err)))
        goto done;
    const char *due = long_date(&s, partner->due);
    char due_day[CSA_DATE_TEXT_MAX];
    csa_format_date(partner->due, false, due_day);
    static const char *const ITEM[] = {"Item", "Value"};
    static const char *const COLS[] = {"Column", "Type", "Required", "Allowed values",
                                       "Example", "Description"};
    if (!(tables[0] = text_table(ITEM, 2)))
        goto nomem;
    const char *about[][2] = {
        {"Partner", partner->name}, {"Organisation", partner->organisation},
        {"Contact", partner->contact}, {"Assessment", cfg->title},
        {"Area", cfg->area_name}, {"Period", cfg->period_label},
        {"Due", due_day},
    };
    for (size_t k = 0; k < sizeof about / sizeof about[0]; k++)
        if (!add_row(tables[0], about[k], 2))
            goto nomem;
    size_t np = 0;
    paragraphs[np++] = fmt(&s, "%s is preparing its strategic assessment of %s for %s. Please "
                               "send the data below by %s.", cfg->title, cfg->area_name,
                           cfg->period_label, due);
    for (size_t j = 0; j < ninputs; j++) {
        const char *name = partner->inputs.v[j];
        size_t i = 0;
        while (i < cfg->ninputs && strcmp(cfg->inputs[i].name, name))
            i++;
        const csa_spec *spec = cfg->inputs[i].spec;
        const char *extra[MAX_EXTRA], *why[MAX_EXTRA];
        size_t nextra = extra_columns(cfg, i, extra, why, MAX_EXTRA, &s);
        /* the template: the header alone, exactly as the run reads it */
        csa_table *head = csa_table_create();
        for (size_t c = 0; head && c < spec->ncolumns + nextra; c++)
            if (csa_table_add_column(head, c < spec->ncolumns ? spec->columns[c].name
                                                              : extra[c - spec->ncolumns],
                                     CSA_STRING))
                csa_table_free(head), head = NULL;
        if (!head || csa_table_freeze(head)) {
            csa_table_free(head);
            goto nomem;
        }
        const char *template = fmt(&s, "%s-template.csv", name);
        if (!(st = csa_outdir_add(od, template, &tmp, err)))
            st = csa_write_csv(head, 0, tmp, err);
        csa_table_free(head);
        if (st)
            goto done;
        /* its columns described */
        if (!(tables[j + 1] = text_table(COLS, 6)))
            goto nomem;
        for (size_t c = 0; c < spec->ncolumns; c++) {
            const csa_spec_column *col = &spec->columns[c];
            const char *cells[6] = {col->name, type_text(col->type),
                                    col->flags & CSA_COL_REQUIRED ? "yes" : "no",
                                    allowed(&s, col), example(&s, spec, col), col->about};
            if (!add_row(tables[j + 1], cells, 6))
                goto nomem;
        }
        for (size_t c = 0; c < nextra; c++) {
            const char *cells[6] = {extra[c], "text", "yes", "any text", "", why[c]};
            if (!add_row(tables[j + 1], cells, 6))
                goto nomem;
        }
        if (csa_table_freeze(tables[j + 1]))
            goto nomem;
        const char *row[2] = {fmt(&s, "Send: %s", name),
                              fmt(&s, "%s: header as in %s, columns on sheet %.24s", spec->title,
                                  template, name)};
        if (!add_row(tables[0], row, 2))
            goto nomem;
        sheets[j + 1] = (csa_sheet){.name = fmt(&s, "%.24s", name),
                                    .title = fmt(&s, "%s: %s", name, spec->title),
                                    .note = fmt(&s, "The header of %s, one column each; %s",
                                                template, spec->open ? "other columns are read "
                                                "as they are" : "other columns are ignored"),
                                    .table = tables[j + 1]};
        /* the months a run checks it for: the period, and the comparison
         * year before it when that runs on into the period */
        csa_validate_options vo = as_validate_options(cfg, i, 1);
        char months[CSA_PERIOD_TEXT_MAX];
        const char *cover = vo.has_period
                                ? fmt(&s, ", with rows for every month from %s",
                                      csa_month_range_label(vo.period_first, vo.period_last,
                                                            CSA_MONTH_LONG, months))
                                : "";
        const csa_kind *kind = csa_kind_for_spec(spec->name);
        /* monthly files are checked together: a month given twice or
         * missing, and a record in two files, are found only so (the page
         * checks a set as csa validate does) */
        bool monthly = kind && kind->monthly;
        paragraphs[np++] = fmt(&s, "- %s: %s, as CSV with the header of %s (%s%s). Its sheet of "
                                   "request.xlsx describes each column: its type, whether it is "
                                   "required, the values allowed and an example. %s with:\n"
                                   "csa validate --spec %s FILE%s%s",
                               name, spec->title, template,
                               monthly ? "one file a month" : "one file", cover,
                               monthly ? "Check the monthly files together before sending "
                                         "them (a month given twice or missing, or a record in "
                                         "two files, is found so)"
                                       : "Check a file before sending it",
                               spec->name, monthly ? "..." : "",
                               !page ? ""
                               : monthly ? fmt(&s, "\nor in a web browser: open validator.html "
                                                   "(in this folder), choose \"%s\" and drop "
                                                   "all the files on it at once; they never "
                                                   "leave your computer", spec->name)
                                         : fmt(&s, "\nor in a web browser: open validator.html "
                                                   "(in this folder), choose \"%s\" and drop the "
                                                   "file on it; the file never leaves your "
                                                   "computer", spec->name));
    }
    if (csa_table_freeze(tables[0]))
        goto nomem;
    sheets[0] = (csa_sheet){.name = "Request",
                            .title = fmt(&s, "Data request to %s", partner->organisation),
                            .note = fmt(&s, "What to send for %s, %s, by %s", cfg->title,
                                        cfg->period_label, due),
                            .table = tables[0]};
    paragraphs[np++] = fmt(&s, "How it will be checked: each file is validated as it arrives, "
                               "as the assessment will read it: the header, each value's type "
                               "and allowed values, area codes, rows given twice and the "
                               "months of the period it covers. Each problem is named by "
                               "file, line and column, with what to do about it. A file with "
                               "errors is recorded but not used until a corrected one is sent. "
                               "Every version sent is kept with the date it was received; data "
                               "received after %s is shown as late in the assessment's data "
                               "quality page.", due);
    if (s.nomem)
        goto nomem;
    if ((st = csa_outdir_add(od, "request.xlsx", &tmp, err)) ||
        (st = csa_write_xlsx(sheets, ninputs + 1, tmp, err)))
        goto done;
    char today[CSA_DATE_TEXT_MAX];
    time_t now = csa_run_time();
    int32_t day = (int32_t)(now / 86400);
    csa_format_date(day, false, today);
    const char *address[] = {fmt(&s, "To: %s, %s", partner->contact, partner->organisation),
                             fmt(&s, "Date: %s", long_date(&s, day)),
                             fmt(&s, "Due: %s", due)};
    csa_letter letter = {.heading = fmt(&s, "Data request: %s", cfg->title),
                         .address = address, .naddress = 3, .paragraphs = paragraphs,
                         .nparagraphs = np, .date = now,
                         .footer = fmt(&s, "%s, strategic assessment of %s. Written by csa %s "
                                           "on %s.", cfg->title, cfg->period_label,
                                       CSA_VERSION, today)};
    if (s.nomem)
        goto nomem;
    if ((page && (st = copy_page(od, page, err))) ||
        (st = csa_outdir_add(od, "letter.pdf", &tmp, err)) ||
        (st = csa_write_letter(&letter, tmp, err)) ||
        (st = csa_outdir_manifest(od, "request", NULL, 0, err)))
        goto done;
    st = csa_outdir_commit(od, err);
    goto done;
nomem:
    st = csa_error_set(err, CSA_ERR_NOMEM, dir, 0, 0, NULL, NULL, "out of memory");
done:
    if (st && od)
        csa_outdir_name_error(od, err);
    csa_outdir_free(od);
    for (size_t j = 0; tables && j <= ninputs; j++)
        csa_table_free(tables[j]);
    free(tables);
    free(sheets);
    free(paragraphs);
    for (size_t k = 0; k < s.n; k++)
        free(s.v[k]);
    free(s.v);
    return st;
}
