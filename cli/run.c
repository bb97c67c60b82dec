/* csa run: the whole strategic assessment from one config. Validate every
 * input, read them, compute every indicator, score the priorities, then
 * write every output through one output folder, all or none. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "csa/assess.h"
#include "csa/assessment.h"
#include "csa/chart.h"
#include "csa/inequality.h"
#include "csa/survey.h"
#include "csa/trend.h"

enum { SHOW_ERRORS = 10, MAX_MONTHS = 240 };

static const csa_levels LEVEL95 = {1, {95}};

/* What became of one config input. */
typedef struct input_state {
    csa_validation **checked; /* one per file */
    csa_validation *coverage; /* police-street: months across the files */
    uint64_t *bytes;
    const char **sha256;
    time_t *modified;
    uint64_t rows_read, accepted, rejected, out_of_scope;
    size_t errors, warnings;
    bool excluded, used;
    const char *covers, *missing;
    csa_table *table;         /* police-street, fingertips: spec columns; survey: all text;
                                 area-lookup used as a lookup: ward code, LA code */
    bool *in_area;            /* survey: each respondent's ward is in the area (lookup) */
    bool *month_present;      /* police-street: the months of the period it has rows for */
} input_state;

/* An LSOA of the area. */
typedef struct area_lsoa {
    const char *code;
    int decile;        /* 1 to 10 */
    double population; /* NaN: no population row */
} area_lsoa;

typedef struct run {
    csa_config *cfg;
    bool quiet, tty;
    const char *out_dir;
    char **allow;
    size_t nallow;
    double t0, stage_t0;
    void **keep;
    size_t nkeep;
    csa_table **tables;
    size_t ntables;
    bool nomem;
    input_state *in;
    csa_table *imd, *pop;
    area_lsoa *lsoas;
    size_t nlsoas;
    area_lsoa *cmp_lsoas; /* the comparator's, when it is a set of LAs */
    size_t ncmp_lsoas;
    size_t nmonths;
    int32_t month_start[MAX_MONTHS];
    const char *month_label[MAX_MONTHS];
    csa_indicator_report *reports;
    csa_table *findings_rows;
    csa_digests *digests;
    csa_error err;
} run;

/* ---- memory kept until the run ends ---- */

static void *keep(run *r, void *p)
{
    void **k = p ? realloc(r->keep, (r->nkeep + 1) * sizeof *k) : NULL;
    if (!k) {
        free(p);
        r->nomem = true;
        return NULL;
    }
    r->keep = k;
    k[r->nkeep++] = p;
    return p;
}

static void *rcalloc(run *r, size_t n, size_t size)
{
    return keep(r, calloc(n ? n : 1, size));
}

static const char *rfmt(run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *rfmt(run *r, const char *fmt, ...)
{
    va_list ap;
    char *s = NULL;
    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return keep(r, s);
}

static const csa_table *keep_table(run *r, csa_table *t)
{
    csa_table **v = t ? realloc(r->tables, (r->ntables + 1) * sizeof *v) : NULL;
    if (!v) {
        csa_table_free(t);
        r->nomem = true;
        return NULL;
    }
    r->tables = v;
    v[r->ntables++] = t;
    return t;
}

/* A column of a result table: strings (NULL entries missing) or doubles
 * (NaN missing), stored as whole numbers when whole is set. */
typedef struct col {
    const char *name;
    const char *const *s;
    const double *d;
    bool whole;
} col;

#define TEXT(name, s) {name, s, NULL, false}
#define NUM(name, d) {name, NULL, d, false}
#define WHOLE(name, d) {name, NULL, d, true}

static const csa_table *make_table(run *r, size_t nrows, const col *cols, size_t ncols)
{
    csa_table *t = csa_table_create();
    csa_value *v = calloc(ncols, sizeof *v);
    csa_status st = t && v ? CSA_OK : CSA_ERR_NOMEM;
    for (size_t c = 0; c < ncols && !st; c++)
        st = csa_table_add_column(t, cols[c].name, cols[c].s       ? CSA_STRING
                                                    : cols[c].whole ? CSA_INT64
                                                                    : CSA_DOUBLE);
    for (size_t i = 0; i < nrows && !st; i++) {
        for (size_t c = 0; c < ncols; c++) {
            if (cols[c].s) {
                const char *s = cols[c].s[i];
                v[c] = (csa_value){.missing = !s, .v.str = {s ? s : "", s ? strlen(s) : 0}};
            } else {
                double d = isnan(cols[c].d[i]) ? 0 : cols[c].d[i];
                v[c] = cols[c].whole ? (csa_value){.v.i = (int64_t)llround(d)}
                                     : (csa_value){.v.d = d};
                v[c].missing = isnan(cols[c].d[i]);
            }
        }
        st = csa_table_append_row(t, v, NULL);
    }
    free(v);
    if (st) {
        csa_table_free(t);
        r->nomem = true;
        return NULL;
    }
    csa_table_freeze(t);
    return keep_table(r, t);
}

static double cell(const csa_table *t, size_t col, size_t row)
{
    if (col == CSA_NO_ROW || !csa_table_valid(t, col, row))
        return NAN;
    return csa_table_column_type(t, col) == CSA_INT64 ? (double)csa_table_int64s(t, col)[row]
                                                       : csa_table_doubles(t, col)[row];
}

static const char *text(const csa_table *t, size_t col, size_t row)
{
    if (col == CSA_NO_ROW || !csa_table_valid(t, col, row))
        return NULL;
    return csa_dict_string(csa_table_dict(t, col), csa_table_codes(t, col)[row], NULL);
}

/* The survey column a spec column name (or one of its aliases) heads. */
static size_t survey_column(const csa_table *t, const char *name)
{
    const csa_spec *spec = csa_spec_find("survey");
    size_t k = csa_spec_column_index(spec, name);
    for (size_t c = 0; c < csa_table_ncols(t); c++) {
        const char *h = csa_table_column_name(t, c);
        if (k != CSA_NO_ROW ? csa_spec_column_matches(&spec->columns[k], h, strlen(h))
                            : !strcasecmp(h, name))
            return c;
    }
    return CSA_NO_ROW;
}

/* ---- progress ---- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void stage(run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void stage(run *r, const char *fmt, ...)
{
    double t = now();
    if (!r->quiet) {
        va_list ap;
        va_start(ap, fmt);
        fprintf(stderr, "%scsa run: ", r->tty ? "\r\033[K" : "");
        vfprintf(stderr, fmt, ap);
        fprintf(stderr, " (%.2f s)\n", t - r->stage_t0);
        va_end(ap);
    }
    r->stage_t0 = t;
}

/* A bar on a terminal while a stage works through its files. */
static void progress(const run *r, const char *what, size_t done, size_t total)
{
    if (r->quiet || !r->tty || !total)
        return;
    int width = 30, filled = (int)(width * done / total);
    fprintf(stderr, "\r\033[Kcsa run: %s [%.*s%*s] %zu/%zu", what, filled,
            "##############################", width - filled, "", done, total);
    fflush(stderr);
}

/* ---- months of the period ---- */

static void month_name(int32_t days, char *buf, size_t size)
{
    static const char *const names[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char iso[CSA_DATE_TEXT_MAX];
    int y = 0, m = 1;
    csa_format_date(days, true, iso);
    sscanf(iso, "%d-%d", &y, &m);
    snprintf(buf, size, "%s %d", names[(m - 1) % 12], y);
}

static csa_status plan_months(run *r)
{
    char iso[CSA_DATE_TEXT_MAX];
    int y, m;
    csa_format_date(r->cfg->period_first, true, iso);
    sscanf(iso, "%d-%d", &y, &m);
    for (int32_t d = r->cfg->period_first; d <= r->cfg->period_last;) {
        if (r->nmonths == MAX_MONTHS)
            return csa_error_set(&r->err, CSA_ERR_USAGE, r->cfg->path, 0, 0, "period", NULL,
                                 "the period is longer than %d months", MAX_MONTHS);
        char label[32];
        snprintf(label, sizeof label, "%04d-%02d", y, m);
        r->month_start[r->nmonths] = d;
        r->month_label[r->nmonths++] = rfmt(r, "%s", label);
        if (++m > 12)
            m = 1, y++;
        snprintf(label, sizeof label, "%04d-%02d", y, m);
        csa_parse_date(label, 7, &d);
    }
    return r->nomem ? CSA_ERR_NOMEM : CSA_OK;
}

/* Index of the month starting on day d, or SIZE_MAX outside the period. */
static size_t month_index(const run *r, int32_t d)
{
    size_t lo = 0, hi = r->nmonths;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (r->month_start[mid] < d)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < r->nmonths && r->month_start[lo] == d ? lo : SIZE_MAX;
}

/* "Jan 2018 to Sep 2018, Nov 2018": runs of months with no rows. */
static const char *missing_months(run *r, const bool *present)
{
    char buf[1024] = "";
    size_t n = 0;
    for (size_t i = 0; i < r->nmonths && n < sizeof buf - 64; i++) {
        if (present[i])
            continue;
        size_t j = i;
        while (j + 1 < r->nmonths && !present[j + 1])
            j++;
        char a[16], b[16];
        month_name(r->month_start[i], a, sizeof a);
        month_name(r->month_start[j], b, sizeof b);
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s%s%s", n ? ", " : "", a,
                              j > i ? " to " : "", j > i ? b : "");
        i = j;
    }
    return rfmt(r, "%s", n ? buf : "none");
}

/* ---- validation ---- */

static bool allowed(const run *r, const char *name)
{
    for (size_t i = 0; i < r->nallow; i++)
        if (!strcmp(r->allow[i], name))
            return true;
    return false;
}

/* Errors and warnings: notes (expected things, such as police.uk's
 * anti-social behaviour rows having no Crime ID) would bury them. */
static csa_status add_finding(run *r, const char *input, const csa_finding *f)
{
    if (f->severity == CSA_NOTE)
        return CSA_OK;
    const csa_error *w = &f->where;
    char line[24] = "", column[24] = "";
    if (w->line)
        snprintf(line, sizeof line, "%llu", (unsigned long long)w->line);
    if (w->column)
        snprintf(column, sizeof column, "%llu", (unsigned long long)w->column);
    const char *sev = csa_severity_name(f->severity);
    const char *texts[8] = {input, w->file, line, column, f->check, sev, w->value, w->message};
    csa_value v[8];
    for (int c = 0; c < 8; c++) {
        const char *s = texts[c] ? texts[c] : "";
        v[c] = (csa_value){.missing = !*s, .v.str = {s, strlen(s)}};
    }
    if (csa_table_append_row(r->findings_rows, v, NULL)) {
        r->nomem = true;
        return CSA_ERR_NOMEM;
    }
    return CSA_OK;
}

static void print_findings(const char *input, const csa_validation *v, size_t *shown)
{
    for (size_t i = 0; i < v->nfindings && *shown < SHOW_ERRORS; i++) {
        const csa_finding *f = &v->findings[i];
        if (f->severity != CSA_ERROR)
            continue;
        char buf[CSA_ERROR_FILE_MAX + CSA_ERROR_MESSAGE_MAX + 64];
        fprintf(stderr, "csa: [input.%s] %s [%s]\n", input,
                csa_error_format(&f->where, buf, sizeof buf), f->check);
        (*shown)++;
    }
}

/* Validates every file of every input. Returns EXIT_OK, EXIT_DATA when an
 * input not allowed to be invalid has errors, or EXIT_USAGE. */
static int validate_inputs(run *r)
{
    csa_config *c = r->cfg;
    static const char *const names[8] = {"Input", "File", "Line", "Column", "Check",
                                         "Severity", "Value", "Message"};
    if (!(r->findings_rows = csa_table_create()))
        return r->nomem = true, EXIT_USAGE;
    for (int k = 0; k < 8; k++)
        if (csa_table_add_column(r->findings_rows, names[k], CSA_STRING))
            return r->nomem = true, EXIT_USAGE;
    size_t nfiles = 0, done = 0;
    for (size_t i = 0; i < c->ninputs; i++)
        nfiles += c->inputs[i].files.n;
    int status = EXIT_OK;
    uint64_t rows = 0;
    for (size_t i = 0; i < c->ninputs; i++) {
        csa_config_input *ci = &c->inputs[i];
        input_state *s = &r->in[i];
        bool monthly = !strcmp(ci->spec->name, "police-street");
        csa_validate_options vo = {.spec = ci->spec, .has_period = monthly,
                                   .period_first = c->period_first,
                                   .period_last = c->period_last,
                                   .coverage_across_files = monthly};
        s->checked = rcalloc(r, ci->files.n, sizeof *s->checked);
        s->bytes = rcalloc(r, ci->files.n, sizeof *s->bytes);
        s->sha256 = rcalloc(r, ci->files.n, sizeof *s->sha256);
        s->modified = rcalloc(r, ci->files.n, sizeof *s->modified);
        if (r->nomem)
            return EXIT_USAGE;
        for (size_t f = 0; f < ci->files.n; f++) {
            progress(r, "validating", done++, nfiles);
            struct stat sb;
            csa_source src;
            if (stat(ci->files.v[f], &sb) != 0 ||
                csa_source_open_file(&src, ci->files.v[f], &r->err)) {
                if (!r->err.message[0])
                    csa_error_set(&r->err, CSA_ERR_IO, ci->files.v[f], 0, 0, NULL, NULL,
                                  "cannot read [input.%s] file: %s", ci->name, strerror(errno));
                return EXIT_USAGE;
            }
            s->modified[f] = sb.st_mtime;
            csa_status st = csa_validate(&src, &vo, &s->checked[f], &r->err);
            csa_source_close(&src);
            if (st)
                return EXIT_USAGE;
            const csa_validation *v = s->checked[f];
            s->rows_read += v->rows;
            s->errors += v->errors;
            s->warnings += v->warnings;
            for (size_t k = 0; k < v->nfindings; k++)
                if (add_finding(r, ci->name, &v->findings[k]))
                    return EXIT_USAGE;
        }
        if (monthly) {
            if (csa_validate_coverage((const csa_validation *const *)s->checked, ci->files.n, &vo,
                                      &s->coverage, &r->err))
                return EXIT_USAGE;
            for (size_t k = 0; k < s->coverage->nfindings; k++)
                if (s->coverage->findings[k].where.line == 0 &&
                    add_finding(r, ci->name, &s->coverage->findings[k]))
                    return EXIT_USAGE;
        }
        rows += s->rows_read;
        if (!s->errors)
            continue;
        size_t shown = 0;
        for (size_t f = 0; f < ci->files.n; f++)
            print_findings(ci->name, s->checked[f], &shown);
        if (s->errors > shown)
            fprintf(stderr, "csa: [input.%s] %zu more errors (csa validate --spec %s lists "
                            "them all)\n", ci->name, s->errors - shown, ci->spec->name);
        if (allowed(r, ci->name) && i != c->deprivation && i != c->population) {
            s->excluded = true;
            fprintf(stderr, "csa: warning: [input.%s] has %zu error%s and is left out "
                            "(--allow-invalid); the outputs it affects say so\n",
                    ci->name, s->errors, s->errors == 1 ? "" : "s");
        } else {
            fprintf(stderr, "csa: [input.%s] has %zu error%s: the run stops%s\n", ci->name,
                    s->errors, s->errors == 1 ? "" : "s", i == c->deprivation || i == c->population
                                   ? " (the area's LSOAs and residents come from it)"
                                   : "; fix the file or leave the input out with "
                                     "--allow-invalid");
            status = EXIT_DATA;
        }
    }
    csa_table_freeze(r->findings_rows);
    stage(r, "validated %zu inputs, %zu files, %llu rows", c->ninputs, nfiles,
          (unsigned long long)rows);
    return status;
}

/* ---- reading ---- */

static csa_status ingest_input(run *r, size_t i)
{
    csa_config_input *ci = &r->cfg->inputs[i];
    input_state *s = &r->in[i];
    static const char *const police[] = {"Month", "LSOA code", "Crime type"};
    static const char *const fingertips[] = {
        "Indicator ID", "Area Code", "Area Name", "Time period", "Value",
        "Lower CI 95.0 limit", "Upper CI 95.0 limit", "Count", "Denominator",
        "Time period Sortable", "Sex", "Category Type", "Age", "Area Type"};
    const char *spec = ci->spec->name;
    if (!strcmp(spec, "survey")) {
        if (ci->files.n != 1)
            return csa_error_set(&r->err, CSA_ERR_USAGE, r->cfg->path, (uint64_t)ci->line, 0,
                                 "files", NULL, "[input.%s]: a survey is one file", ci->name);
        csa_source src;
        if (csa_source_open_file(&src, ci->files.v[0], &r->err))
            return r->err.status;
        csa_status st = csa_ingest_any(&src, NULL, 0, false, &s->table, NULL, &r->err);
        csa_source_close(&src);
        if (!st)
            s->accepted = csa_table_nrows(s->table);
        return st;
    }
    const char *const *cols = !strcmp(spec, "police-street") ? police : fingertips;
    size_t ncols = !strcmp(spec, "police-street") ? 3 : 14;
    csa_ingest_options opt = {.spec = ci->spec, .columns = cols, .ncolumns = ncols,
                              .max_reject_share = 0.01};
    csa_status st = csa_ingest_table(&opt, &s->table, &r->err);
    for (size_t f = 0; f < ci->files.n && !st; f++) {
        csa_source src;
        csa_ingest_stats stats;
        if ((st = csa_source_open_file(&src, ci->files.v[f], &r->err)))
            break;
        st = csa_ingest(&src, &opt, s->table, &stats, &r->err);
        csa_source_close(&src);
        s->rejected += stats.rows_rejected;
    }
    if (!st) {
        csa_table_freeze(s->table);
        s->accepted = csa_table_nrows(s->table);
    }
    return st;
}

/* The LSOAs of the deprivation input in one of `las` (LA codes), or else
 * named in `codes`, with their decile and population (NaN: no row). */
static csa_status select_lsoas(run *r, const csa_config_list *las, const csa_config_list *codes,
                               area_lsoa **out, size_t *nout)
{
    const csa_table *imd = r->imd, *pop = r->pop;
    size_t lsoa = csa_table_find(imd, "LSOA code"), la = csa_table_find(imd, "LA code");
    size_t dec = csa_table_find(imd, "IMD decile"), n = csa_table_nrows(imd);
    size_t *pop_row = NULL;
    csa_status st = csa_table_join(imd, lsoa, pop, csa_table_find(pop, "area code"), &pop_row,
                                   &r->err);
    if (st)
        return st;
    const csa_dict *ld = csa_table_dict(imd, lsoa), *lad = csa_table_dict(imd, la);
    bool *la_in = rcalloc(r, csa_dict_size(lad), sizeof *la_in);
    area_lsoa *v = rcalloc(r, n, sizeof *v);
    if (!la_in || !v) {
        free(pop_row);
        return CSA_ERR_NOMEM;
    }
    for (size_t k = 0; k < las->n; k++) {
        uint32_t code = csa_dict_find(lad, las->v[k], strlen(las->v[k]));
        if (code != CSA_NO_CODE)
            la_in[code] = true;
    }
    const int64_t *pops = csa_table_int64s(pop, csa_table_find(pop, "population"));
    *nout = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t code = csa_table_codes(imd, lsoa)[i];
        const char *name = csa_dict_string(ld, code, NULL);
        bool in = la_in[csa_table_codes(imd, la)[i]];
        for (size_t k = 0; !las->n && k < codes->n && !in; k++)
            in = !strcmp(codes->v[k], name);
        if (!in)
            continue;
        size_t pr = pop_row[code];
        v[(*nout)++] = (area_lsoa){name, (int)csa_table_int64s(imd, dec)[i],
                                   pr == CSA_NO_ROW || pops[pr] <= 0 ? NAN : (double)pops[pr]};
    }
    free(pop_row);
    *out = v;
    return CSA_OK;
}

/* The area's LSOAs, and the comparator's when it is a set of LAs. */
static csa_status find_area(run *r)
{
    csa_config *c = r->cfg;
    char *la = c->la_code;
    csa_config_list las = {la ? &la : NULL, la ? 1 : 0}, none = {0};
    csa_status st = select_lsoas(r, &las, &c->lsoas, &r->lsoas, &r->nlsoas);
    if (st)
        return st;
    if (!r->nlsoas)
        return csa_error_set(&r->err, CSA_ERR_USAGE, c->path, 0, 0, la ? "la_code" : "lsoas", la,
                             la ? "no LSOA of the deprivation input is in LA %s"
                                : "none of the lsoas is in the deprivation input%s",
                             la ? la : "");
    size_t populated = 0;
    for (size_t i = 0; i < r->nlsoas; i++)
        populated += !isnan(r->lsoas[i].population);
    if (!populated)
        return csa_error_set(&r->err, CSA_ERR_VALUE, c->inputs[c->population].files.v[0], 0, 0,
                             NULL, NULL, "no LSOA of the area has a population above 0 here");
    if (!c->comparator_areas.n)
        return CSA_OK;
    if ((st = select_lsoas(r, &c->comparator_areas, &none, &r->cmp_lsoas, &r->ncmp_lsoas)))
        return st;
    for (size_t k = 0; k < c->comparator_areas.n; k++) {
        csa_config_list one = {&c->comparator_areas.v[k], 1};
        area_lsoa *v;
        size_t n;
        if ((st = select_lsoas(r, &one, &none, &v, &n)))
            return st;
        if (!n)
            return csa_error_set(&r->err, CSA_ERR_USAGE, c->path, 0, 0, "comparator_areas",
                                 c->comparator_areas.v[k], "comparator area %s has no LSOA in "
                                 "the deprivation input", c->comparator_areas.v[k]);
    }
    return CSA_OK;
}

static bool is_lookup(const csa_config *c, size_t i)
{
    for (size_t k = 0; k < c->ninputs; k++)
        if (c->inputs[k].lookup && !strcmp(c->inputs[k].lookup, c->inputs[i].name))
            return true;
    return false;
}

/* Which respondents of survey input i live in the area: their ward's LA,
 * by the lookup, is the assessment's. The others are out of scope. */
static csa_status survey_area(run *r, size_t i)
{
    csa_config *c = r->cfg;
    input_state *s = &r->in[i];
    size_t k = 0;
    while (strcmp(c->inputs[k].name, c->inputs[i].lookup))
        k++;
    const csa_table *lk = r->in[k].table, *t = s->table;
    if (r->in[k].excluded || !lk)
        return csa_error_set(&r->err, CSA_ERR_USAGE, c->path, (uint64_t)c->inputs[i].line, 0,
                             "lookup", c->inputs[i].lookup, "[input.%s]: its lookup was left "
                             "out", c->inputs[i].name);
    if (!c->la_code)
        return csa_error_set(&r->err, CSA_ERR_USAGE, c->path, (uint64_t)c->inputs[i].line, 0,
                             "lookup", NULL, "[input.%s]: a lookup places wards in an LA: "
                             "[assessment] needs la_code", c->inputs[i].name);
    size_t n = csa_table_nrows(t), area = survey_column(t, "area code");
    size_t ward = csa_table_find(lk, "ward code"), la = csa_table_find(lk, "LA code");
    if (!(s->in_area = rcalloc(r, n, sizeof *s->in_area)))
        return CSA_ERR_NOMEM;
    const csa_dict *wd = csa_table_dict(lk, ward);
    bool *ward_in = rcalloc(r, csa_dict_size(wd), sizeof *ward_in);
    if (!ward_in)
        return CSA_ERR_NOMEM;
    bool any = false;
    for (size_t l = 0; l < csa_table_nrows(lk); l++)
        if (csa_table_valid(lk, ward, l) && !strcmp(text(lk, la, l), c->la_code))
            ward_in[csa_table_codes(lk, ward)[l]] = any = true;
    if (!any)
        return csa_error_set(&r->err, CSA_ERR_VALUE, c->inputs[k].files.v[0], 0, 0, "ward code",
                             NULL, "[input.%s] gives no ward of LA %s", c->inputs[k].name,
                             c->la_code);
    for (size_t row = 0; row < n; row++) {
        const char *code = text(t, area, row);
        uint32_t w = code ? csa_dict_find(wd, code, strlen(code)) : CSA_NO_CODE;
        s->in_area[row] = w != CSA_NO_CODE && ward_in[w];
        if (!s->in_area[row])
            s->out_of_scope++, s->accepted--;
    }
    return CSA_OK;
}

static int read_inputs(run *r)
{
    csa_config *c = r->cfg;
    static const char *const imd_cols[] = {"LSOA code", "LA code", "LA name", "IMD decile"};
    static const char *const pop_cols[] = {"area code", "population"};
    for (size_t i = 0; i < c->ninputs; i++) {
        input_state *s = &r->in[i];
        const char *spec = c->inputs[i].spec->name;
        progress(r, "reading", i, c->ninputs);
        if (s->excluded)
            continue;
        csa_status st = CSA_OK;
        if (i == c->deprivation || i == c->population) {
            bool d = i == c->deprivation;
            if (c->inputs[i].files.n != 1)
                return csa_error_set(&r->err, CSA_ERR_USAGE, c->path,
                                     (uint64_t)c->inputs[i].line, 0, "files", NULL,
                                     "[input.%s] must be one file", c->inputs[i].name),
                       EXIT_USAGE;
            st = cli_read_reference(c->inputs[i].files.v[0], csa_spec_find(spec),
                                    d ? imd_cols : pop_cols, d ? 4 : 2, d ? &r->imd : &r->pop,
                                    &r->err);
            if (!st)
                s->accepted = csa_table_nrows(d ? r->imd : r->pop);
        } else if (!strcmp(spec, "police-street") || !strcmp(spec, "fingertips") ||
                   !strcmp(spec, "survey")) {
            st = ingest_input(r, i);
        } else if (!strcmp(spec, "area-lookup") && is_lookup(c, i)) {
            static const char *const cols[] = {"ward code", "LA code"};
            if (c->inputs[i].files.n != 1)
                return csa_error_set(&r->err, CSA_ERR_USAGE, c->path,
                                     (uint64_t)c->inputs[i].line, 0, "files", NULL,
                                     "[input.%s] must be one file", c->inputs[i].name),
                       EXIT_USAGE;
            st = cli_read_reference(c->inputs[i].files.v[0], c->inputs[i].spec, cols, 2,
                                    &s->table, &r->err);
            if (!st)
                s->accepted = csa_table_nrows(s->table);
        } else {
            s->accepted = s->rows_read; /* validated only: no indicator reads it */
        }
        if (st)
            return EXIT_USAGE;
    }
    if (find_area(r))
        return r->err.status == CSA_ERR_VALUE ? EXIT_DATA : EXIT_USAGE;
    for (size_t i = 0; i < c->ninputs; i++)
        if (c->inputs[i].lookup && !r->in[i].excluded && survey_area(r, i))
            return r->err.status == CSA_ERR_VALUE ? EXIT_DATA : EXIT_USAGE;
    size_t populated = 0;
    for (size_t i = 0; i < r->nlsoas; i++)
        populated += !isnan(r->lsoas[i].population);
    stage(r, "read the inputs; the area has %zu LSOAs, %zu of them with a population",
          r->nlsoas, populated);
    return EXIT_OK;
}

/* ---- indicators ---- */

/* What the priorities read of an indicator beyond its report. */
typedef struct indicator_extra {
    int direction;  /* +1 getting worse, -1 better, 0 no change; 2 unknown */
    int rising;     /* +1 rising, -1 falling, 0 no change; 2 unknown */
    const char *direction_text;
    double deprivation_ratio; /* fitted most deprived / least deprived, or NaN */
} indicator_extra;

static const char *outcome_phrase(const csa_indicator_report *rep)
{
    switch (rep->outcome) {
    case CSA_BETTER:
    case CSA_WORSE:
    case CSA_HIGHER:
    case CSA_LOWER:
        return rep->value > rep->comparator_value ? "significantly higher than"
                                                  : "significantly lower than";
    case CSA_SIMILAR:
        return "similar to";
    default:
        return NULL;
    }
}

static void compare(run *r, csa_indicator_report *rep)
{
    csa_error e = {0};
    rep->outcome = CSA_NOT_COMPARED;
    if (!isnan(rep->comparator_value) && !isnan(rep->lower) && !isnan(rep->upper))
        csa_compare(rep->lower, rep->upper, rep->comparator_value, rep->polarity,
                    &rep->outcome, &e);
    rep->rag = csa_outcome_rag(rep->outcome, rep->polarity);
    rep->comparator = isnan(rep->comparator_value) ? NULL : r->cfg->comparator;
}

/* "Violence: 5.2 per 1,000 residents, significantly lower than England
 * (7.1); no significant change over 12 months." */
static void reading(run *r, csa_indicator_report *rep, const char *trend_phrase)
{
    char value[32], cmp[32];
    const char *phrase = outcome_phrase(rep);
    bool pct = !strcmp(rep->unit, "%");
    /* the pack's headline rule: one decimal from 10, two from 1, else three */
    int places = fabs(rep->value) >= 10 ? 1 : fabs(rep->value) >= 1 ? 2 : 3;
    csa_format_number(rep->value, places, value, sizeof value);
    csa_format_number(rep->comparator_value, places, cmp, sizeof cmp);
    if (isnan(rep->value))
        rep->reading = rfmt(r, "%s: no figure for %s.", rep->title, r->cfg->period_label);
    else
        rep->reading = rfmt(r, "%s: %s%s%s%s%s%s%s%s%s%s%s.", rep->title, value, pct ? "" : " ",
                            rep->unit, phrase ? ", " : "", phrase ? phrase : "",
                            phrase ? " " : "", phrase ? rep->comparator : "",
                            phrase ? " (" : "", phrase ? cmp : "", phrase ? ")" : "",
                            trend_phrase ? trend_phrase : "");
}

/* Direction by polarity: an increase is getting worse when low is good. */
static int judged(int rising, csa_polarity polarity)
{
    if (polarity == CSA_POLARITY_NO_JUDGEMENT)
        return 0;
    return polarity == CSA_POLARITY_LOW_IS_GOOD ? rising : -rising;
}

/* The recent trend (five points or more) or else the SPC signals in words,
 * and the direction the priorities score. */
static const char *trend_words(run *r, const csa_recent_trend *rt, size_t npoints,
                               const char *spc, csa_polarity polarity, indicator_extra *x)
{
    if (rt && rt->marker != CSA_TREND_CANNOT_BE_CALCULATED) {
        int rising = rt->marker == CSA_TREND_INCREASING   ? 1
                     : rt->marker == CSA_TREND_DECREASING ? -1
                                                          : 0;
        x->direction = judged(rising, polarity);
        x->rising = rising;
        const char *judge = !rising || polarity == CSA_POLARITY_NO_JUDGEMENT ? ""
                            : x->direction > 0 ? " and getting worse" : " and getting better";
        x->direction_text = rfmt(r, "%s%s", csa_trend_marker_label(rt->marker), judge);
        return rfmt(r, "%s%s (recent trend, last five points)%s%s",
                    csa_trend_marker_label(rt->marker), judge, spc ? "; " : "", spc ? spc : "");
    }
    x->direction = x->rising = 2;
    if (rt && rt->reason != CSA_TREND_TOO_FEW_POINTS) {
        const char *why = csa_trend_reason_text(rt->reason);
        x->direction_text = "Cannot be calculated";
        return rfmt(r, "Recent trend not calculated: %c%s%s%s", tolower((unsigned char)why[0]),
                    why + 1, spc ? "; " : "", spc ? spc : "");
    }
    x->direction_text = rfmt(r, "Not enough points (%zu of 5)", npoints);
    return rfmt(r, "Recent trend not calculated: %zu point%s (5 needed)%s%s", npoints,
                npoints == 1 ? "" : "s", spc ? "; " : "", spc ? spc : "");
}

/* The trend for the reading sentence: judged by polarity, or else plain. */
static const char *trend_phrase(const indicator_extra *x, csa_polarity polarity)
{
    if (polarity == CSA_POLARITY_NO_JUDGEMENT)
        return x->rising == 1 ? "rising" : x->rising == -1 ? "falling"
             : x->rising == 0 ? "no significant change" : "no trend yet";
    return x->direction == 1 ? "getting worse" : x->direction == -1 ? "getting better"
         : x->direction == 0 ? "no significant change" : "no trend yet";
}

static const char *const DECILE_LABELS[10] = {
    "1 (most deprived)", "2", "3", "4", "5", "6", "7", "8", "9", "10 (least deprived)"};

/* Limit line (at[i], value[i]) read at population p, straight between
 * neighbouring points (the line is dense: a hundred points). */
static double along(const double *at, const double *value, size_t n, double p, double before)
{
    if (p < at[0])
        return before;
    for (size_t i = 1; i < n; i++)
        if (p <= at[i])
            return value[i - 1] + (value[i] - value[i - 1]) * (p - at[i - 1]) / (at[i] - at[i - 1]);
    return value[n - 1];
}

enum { FUNNEL_POINTS = 100 };

/* Each LSOA's rate against funnel limits around the area's rate, with
 * PHEindicatormethods' funnel for rates. */
static csa_status funnel_chart(run *r, csa_indicator_report *rep, double multiplier, size_t n,
                               const double *counts, const double *pops, double **rates,
                               csa_outcome **outcomes, csa_chart *chart, csa_error *err)
{
    csa_funnel_spec spec = {.kind = CSA_FUNNEL_RATE, .comparator = rep->value,
                            .multiplier = multiplier, .years = 1};
    double avg, lo, hi, x[FUNNEL_POINTS];
    csa_funnel_point pts[FUNNEL_POINTS];
    static const csa_levels both = {2, {95, 99.8}};
    double *px = rcalloc(r, FUNNEL_POINTS, sizeof *px);
    double *line[4];
    for (int k = 0; k < 4; k++)
        line[k] = rcalloc(r, FUNNEL_POINTS, sizeof *line[k]);
    *rates = rcalloc(r, n, sizeof **rates);
    *outcomes = rcalloc(r, n, sizeof **outcomes);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    csa_status st = csa_funnel_summary(counts, pops, n, &avg, &lo, &hi, err);
    if (!st)
        st = csa_funnel_axis(&spec, lo, hi, x, FUNNEL_POINTS, err);
    if (!st)
        st = csa_funnel_limits(&spec, x, FUNNEL_POINTS, &both, pts, err);
    if (st)
        return st;
    double at[4][FUNNEL_POINTS], val[4][FUNNEL_POINTS];
    for (size_t i = 0; i < FUNNEL_POINTS; i++)
        for (int k = 0; k < 2; k++) {
            at[2 * k][i] = pts[i].lower_at[k], val[2 * k][i] = pts[i].lower[k];
            at[2 * k + 1][i] = pts[i].upper_at[k], val[2 * k + 1][i] = pts[i].upper[k];
        }
    /* lower_at falls as events rise on the axis for some lines: sort each
     * line by its population */
    for (int k = 0; k < 4; k++)
        if (at[k][0] > at[k][FUNNEL_POINTS - 1])
            for (size_t i = 0; i < FUNNEL_POINTS / 2; i++) {
                size_t j = FUNNEL_POINTS - 1 - i;
                double t = at[k][i];
                at[k][i] = at[k][j], at[k][j] = t;
                t = val[k][i], val[k][i] = val[k][j], val[k][j] = t;
            }
    for (size_t i = 0; i < FUNNEL_POINTS; i++) {
        px[i] = lo * pow(hi / lo, (double)i / (FUNNEL_POINTS - 1));
        for (int k = 0; k < 4; k++)
            /* below its first point a lower line is 0: too few events
             * expected there for any count to be significantly low */
            line[k][i] = along(at[k], val[k], FUNNEL_POINTS, px[i], k % 2 ? val[k][0] : 0);
    }
    for (size_t i = 0; i < n; i++) {
        csa_funnel_signif sig;
        (*rates)[i] = counts[i] / pops[i] * spec.multiplier;
        if ((st = csa_funnel_significance(&spec, counts[i], pops[i], &sig, err)))
            return st;
        bool high = sig == CSA_FUNNEL_HIGH_95 || sig == CSA_FUNNEL_HIGH_998;
        bool low = sig == CSA_FUNNEL_LOW_95 || sig == CSA_FUNNEL_LOW_998;
        (*outcomes)[i] = !high && !low ? CSA_SIMILAR
                         : rep->polarity == CSA_POLARITY_NO_JUDGEMENT ? (high ? CSA_HIGHER : CSA_LOWER)
                         : (high == (rep->polarity == CSA_POLARITY_LOW_IS_GOOD)) ? CSA_WORSE
                                                                                 : CSA_BETTER;
    }
    *chart = csa_chart_init(CSA_CHART_FUNNEL);
    chart->n = n, chart->x = pops, chart->values = *rates, chart->outcomes = *outcomes;
    chart->comparator = rep->value, chart->comparator_label = r->cfg->area_name;
    chart->nfunnel = FUNNEL_POINTS, chart->funnel_x = px;
    chart->funnel_lo95 = line[0], chart->funnel_hi95 = line[1];
    chart->funnel_lo998 = line[2], chart->funnel_hi998 = line[3];
    return CSA_OK;
}

static void set_chart_text(run *r, csa_chart *c, const char *title, const char *x_label,
                           const char *y_label, const char *source)
{
    c->title = title;
    c->subtitle = rfmt(r, "%s, %s", r->cfg->area_name, r->cfg->period_label);
    c->x_label = x_label;
    c->y_label = y_label;
    c->source = source;
}

/* A police-street indicator: crimes of the chosen types in the area's
 * LSOAs in the period, per `multiplier` residents. */
static csa_status police_indicator(run *r, const csa_config_indicator *ci, csa_indicator_report *rep,
                                   indicator_extra *x)
{
    const csa_table *t = r->in[ci->input].table;
    size_t month_col = csa_table_find(t, "Month"), lsoa_col = csa_table_find(t, "LSOA code");
    size_t type_col = csa_table_find(t, "Crime type");
    const csa_dict *ld = csa_table_dict(t, lsoa_col), *td = csa_table_dict(t, type_col);
    size_t nl = r->nlsoas, nm = r->nmonths, ntypes = csa_dict_size(td);
    size_t *lsoa_of = rcalloc(r, csa_dict_size(ld), sizeof *lsoa_of);
    bool *wanted = rcalloc(r, ntypes, sizeof *wanted);
    double *lsoa_count = rcalloc(r, nl, sizeof *lsoa_count);
    double *month_count = rcalloc(r, nm, sizeof *month_count);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t i = 0; i < csa_dict_size(ld); i++)
        lsoa_of[i] = SIZE_MAX;
    for (size_t i = 0; i < nl; i++) {
        uint32_t code = csa_dict_find(ld, r->lsoas[i].code, strlen(r->lsoas[i].code));
        if (code != CSA_NO_CODE)
            lsoa_of[code] = i;
    }
    /* the comparator's populated LSOAs, when it is a set of LAs */
    bool *in_cmp = rcalloc(r, csa_dict_size(ld), sizeof *in_cmp);
    double cmp_count = 0, cmp_pop = 0;
    if (!in_cmp)
        return CSA_ERR_NOMEM;
    for (size_t i = 0; i < r->ncmp_lsoas; i++) {
        const area_lsoa *a = &r->cmp_lsoas[i];
        uint32_t code = csa_dict_find(ld, a->code, strlen(a->code));
        if (isnan(a->population))
            continue;
        cmp_pop += a->population;
        if (code != CSA_NO_CODE)
            in_cmp[code] = true;
    }
    for (size_t k = 0; k < ntypes; k++)
        wanted[k] = ci->crime_types.n == 0;
    for (size_t k = 0; k < ci->crime_types.n; k++) {
        uint32_t code = csa_dict_find(td, ci->crime_types.v[k], strlen(ci->crime_types.v[k]));
        if (code != CSA_NO_CODE)
            wanted[code] = true;
    }
    const int32_t *months = csa_table_dates(t, month_col);
    const uint32_t *lsoas = csa_table_codes(t, lsoa_col), *types = csa_table_codes(t, type_col);
    for (size_t row = 0; row < csa_table_nrows(t); row++) {
        if (!wanted[types[row]] || !csa_table_valid(t, lsoa_col, row))
            continue;
        size_t l = lsoa_of[lsoas[row]], m = month_index(r, months[row]);
        cmp_count += in_cmp[lsoas[row]] && m != SIZE_MAX;
        if (l == SIZE_MAX || m == SIZE_MAX || isnan(r->lsoas[l].population))
            continue;
        lsoa_count[l]++;
        month_count[m]++;
    }
    /* a month the input has no rows for is missing, not a month of no crime */
    for (size_t m = 0; m < nm; m++)
        if (!r->in[ci->input].month_present[m])
            month_count[m] = NAN;

    /* the headline rate over the LSOAs with a population */
    double count = 0, pop = 0, dec_count[10] = {0}, dec_pop[10] = {0};
    size_t np = 0;
    double *pc = rcalloc(r, nl, sizeof *pc), *pp = rcalloc(r, nl, sizeof *pp);
    const char **pcode = rcalloc(r, nl, sizeof *pcode);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t i = 0; i < nl; i++) {
        const area_lsoa *a = &r->lsoas[i];
        if (isnan(a->population))
            continue;
        count += lsoa_count[i];
        pop += a->population;
        dec_count[a->decile - 1] += lsoa_count[i];
        dec_pop[a->decile - 1] += a->population;
        pc[np] = lsoa_count[i], pp[np] = a->population, pcode[np++] = a->code;
    }
    csa_estimate est;
    csa_status st = csa_rate_estimate(count, pop, ci->multiplier, &LEVEL95, &est, &r->err);
    if (st)
        return st;
    rep->count = count, rep->denominator = pop;
    rep->value = est.value, rep->lower = est.lower[0], rep->upper = est.upper[0];
    if (isnan(ci->comparator_value) && cmp_pop > 0)
        rep->comparator_value = cmp_count / cmp_pop * ci->multiplier;
    compare(r, rep);
    const char *unit_short = rep->unit;

    /* by month, with SPC limits (c-chart on the counts) */
    double *m_rate = rcalloc(r, nm, sizeof *m_rate), *m_lo = rcalloc(r, nm, sizeof *m_lo);
    double *m_hi = rcalloc(r, nm, sizeof *m_hi), *pops = rcalloc(r, nm, sizeof *pops);
    unsigned *rules = rcalloc(r, nm, sizeof *rules);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t m = 0; m < nm; m++) {
        csa_estimate e;
        if ((st = csa_rate_estimate(month_count[m], pop, ci->multiplier, &LEVEL95, &e, &r->err)))
            return st;
        m_rate[m] = e.value, m_lo[m] = e.lower[0], m_hi[m] = e.upper[0], pops[m] = pop;
    }
    csa_spc_options so = {.chart = CSA_SPC_C};
    if (r->cfg->baseline_last) {
        so.baseline_first = month_index(r, r->cfg->baseline_first);
        so.baseline_length = month_index(r, r->cfg->baseline_last) - so.baseline_first + 1;
    }
    csa_spc_limits lim;
    if ((st = csa_spc_compute(month_count, nm, &so, &lim, rules, NULL, 0, NULL, &r->err)))
        return st;
    size_t above = 0, below = 0;
    for (size_t m = 0; m < nm; m++)
        if (rules[m] & CSA_SPC_OUTSIDE)
            month_count[m] > lim.centre ? above++ : below++;
    const char *spc = above && below
                          ? rfmt(r, "SPC: %zu month%s above and %zu below the process limits",
                                 above, above == 1 ? "" : "s", below)
                      : above || below
                          ? rfmt(r, "SPC: %zu month%s %s the process limits", above + below,
                                 above + below == 1 ? "" : "s", above ? "above" : "below")
                          : "SPC: no month outside the process limits";
    csa_recent_trend rt = {0};
    if (nm >= 5 && (st = csa_recent_trend_rate(month_count, pops, NULL, nm, ci->multiplier, &rt,
                                               &r->err)))
        return st;
    rep->trend = trend_words(r, nm >= 5 ? &rt : NULL, nm, spc, rep->polarity, x);
    if (x->direction == 2 && (above || below)) {
        /* too few points for the recent trend: the latest month's signal */
        unsigned last = rules[nm - 1];
        if (last & CSA_SPC_OUTSIDE) {
            x->rising = month_count[nm - 1] > lim.centre ? 1 : -1;
            x->direction = judged(x->rising, rep->polarity);
        }
    }
    reading(r, rep, rfmt(r, "; %s over %zu month%s", trend_phrase(x, rep->polarity), nm,
                         nm == 1 ? "" : "s"));

    /* by deprivation decile, with the SII line */
    csa_estimate dec[10];
    if ((st = csa_group_rates(10, dec_count, dec_pop, ci->multiplier, &LEVEL95, dec, &r->err)))
        return st;
    double *d_rate = rcalloc(r, 10, sizeof *d_rate), *d_lo = rcalloc(r, 10, sizeof *d_lo);
    double *d_hi = rcalloc(r, 10, sizeof *d_hi), *d_count = rcalloc(r, 10, sizeof *d_count);
    double *d_pop = rcalloc(r, 10, sizeof *d_pop);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (int d = 0; d < 10; d++) {
        d_rate[d] = dec[d].value, d_lo[d] = dec[d].lower[0], d_hi[d] = dec[d].upper[0];
        d_count[d] = dec_count[d], d_pop[d] = dec_pop[d] > 0 ? dec_pop[d] : NAN;
    }
    csa_sii_options sopt;
    csa_sii_defaults(&sopt);
    sopt.repetitions = 10000;
    csa_sii_result sii;
    x->deprivation_ratio = NAN;
    double sii_a = NAN, sii_b = NAN;
    if ((st = csa_sii_rates(10, dec_count, dec_pop, ci->multiplier, &sopt, &sii, &r->err)))
        return st;
    if (!isnan(sii.sii.value))
        sii_a = sii.intercept, sii_b = sii.sii.value;
    /* the ratio the priorities score comes from the log-linear fit, which
     * cannot run below zero at the least deprived end as a straight line
     * can: the fitted rate in the most deprived over the least (1 / RII) */
    sopt.transform = 1;
    if ((st = csa_sii_rates(10, dec_count, dec_pop, ci->multiplier, &sopt, &sii, &r->err)))
        return st;
    if (sii.rii.value > 0)
        x->deprivation_ratio = 1 / sii.rii.value;

    /* by LSOA: concentration and the funnel */
    csa_concentration conc;
    double *lx = rcalloc(r, np + 1, sizeof *lx), *ly = rcalloc(r, np + 1, sizeof *ly);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    if ((st = csa_concentration_compute(np, pc, NULL, 10, &conc, lx, ly, NULL, &r->err)))
        return st;
    double *l_rate = NULL;
    csa_outcome *l_out = NULL;
    csa_chart *charts = rcalloc(r, 4, sizeof *charts);
    if (!charts)
        return CSA_ERR_NOMEM;
    if (count > 0 &&
        (st = funnel_chart(r, rep, ci->multiplier, np, pc, pp, &l_rate, &l_out, &charts[2],
                           &r->err)))
        return st;

    const char *source = rfmt(r, "Source: police.uk street-level crime; ONS population "
                                 "estimates%s", ci->crime_types.n ? "" : "; all crime types");
    const char *rate_name = rfmt(r, "Rate %s", unit_short);
    charts[0] = csa_chart_init(CSA_CHART_SPC);
    set_chart_text(r, &charts[0], rfmt(r, "%s by month", rep->title), "Month", "Crimes",
                   source);
    if (r->cfg->baseline_last) {
        char a[16], b[16];
        month_name(r->cfg->baseline_first, a, sizeof a);
        month_name(r->cfg->baseline_last, b, sizeof b);
        charts[0].subtitle = rfmt(r, "%s, %s; c-chart limits from %s to %s", r->cfg->area_name,
                                  r->cfg->period_label, a, b);
    }
    charts[0].n = nm, charts[0].labels = r->month_label, charts[0].values = month_count;
    charts[0].flags = rules;
    charts[0].spc_centre = lim.centre, charts[0].spc_lower = lim.lower;
    charts[0].spc_upper = lim.upper;
    charts[1] = csa_chart_init(CSA_CHART_DECILE);
    set_chart_text(r, &charts[1], rfmt(r, "%s by deprivation", rep->title),
                   "IMD 2019 decile (1 = most deprived 10% of LSOAs in England)",
                   rfmt(r, "Crimes %s", unit_short), rfmt(r, "%s; IMD 2019. Whiskers: 95%% "
                   "confidence intervals; line: slope index of inequality", source));
    charts[1].n = 10, charts[1].labels = DECILE_LABELS, charts[1].values = d_rate;
    charts[1].lower = d_lo, charts[1].upper = d_hi;
    charts[1].sii_intercept = sii_a, charts[1].sii_slope = sii_b;
    size_t ncharts = 2;
    if (count > 0) {
        set_chart_text(r, &charts[2], rfmt(r, "%s by neighbourhood", rep->title),
                       "Residents of the LSOA", rfmt(r, "Crimes %s", unit_short),
                       rfmt(r, "%s. Limits: 95%% and 99.8%% around the area's rate", source));
        charts[3] = csa_chart_init(CSA_CHART_LORENZ);
        set_chart_text(r, &charts[3], rfmt(r, "Concentration of %s", rep->title),
                       "Cumulative share of LSOAs (fewest crimes first)",
                       "Cumulative share of crimes", source);
        charts[3].n = np + 1, charts[3].x = lx, charts[3].values = ly;
        charts[3].gini = conc.gini;
        ncharts = 4;
    }
    rep->charts = charts, rep->ncharts = ncharts;

    csa_report_table *tabs = rcalloc(r, 3, sizeof *tabs);
    if (!tabs)
        return CSA_ERR_NOMEM;
    col mcols[] = {TEXT("Month", r->month_label), WHOLE("Crimes", month_count),
                   NUM(rate_name, m_rate), NUM("Lower 95% CI", m_lo),
                   NUM("Upper 95% CI", m_hi)};
    tabs[0] = (csa_report_table){rfmt(r, "%s by month", rep->title), make_table(r, nm, mcols, 5),
                                 4, CSA_NATIVE_LINE, "Month", rate_name, "Lower 95% CI",
                                 "Upper 95% CI"};
    col dcols[] = {TEXT("IMD decile", DECILE_LABELS), WHOLE("Crimes", d_count),
                   WHOLE("Population", d_pop), NUM(rate_name, d_rate),
                   NUM("Lower 95% CI", d_lo), NUM("Upper 95% CI", d_hi)};
    tabs[1] = (csa_report_table){rfmt(r, "%s by deprivation decile", rep->title),
                                 make_table(r, 10, dcols, 6), 2, CSA_NATIVE_COLUMN,
                                 "IMD decile", rate_name, "Lower 95% CI", "Upper 95% CI"};
    const char **l_sig = rcalloc(r, np ? np : 1, sizeof *l_sig);
    if (!l_sig)
        return CSA_ERR_NOMEM;
    for (size_t i = 0; i < np; i++)
        l_sig[i] = l_out ? csa_outcome_name(l_out[i]) : NULL;
    col lcols[] = {TEXT("LSOA code", pcode), WHOLE("Crimes", pc), WHOLE("Population", pp),
                   NUM(rate_name, l_rate ? l_rate : pc),
                   TEXT("Against the area (funnel)", l_sig)};
    tabs[2] = (csa_report_table){rfmt(r, "%s by LSOA", rep->title),
                                 make_table(r, np, lcols, l_rate ? 5 : 3), 2, CSA_NATIVE_NONE,
                                 NULL, NULL, NULL, NULL};
    rep->tables = tabs, rep->ntables = 3;
    return r->nomem ? CSA_ERR_NOMEM : CSA_OK;
}

typedef struct period_key {
    uint32_t code;
    double sortable;
    size_t first_row;
} period_key;

static int by_period(const void *a, const void *b)
{
    const period_key *x = a, *y = b;
    if (x->sortable != y->sortable)
        return x->sortable < y->sortable ? -1 : 1;
    return x->first_row < y->first_row ? -1 : x->first_row > y->first_row;
}

/* A Fingertips indicator: the area's published values for indicator_id,
 * the comparator's from the same file. */
static csa_status fingertips_indicator(run *r, const csa_config_indicator *ci,
                                       csa_indicator_report *rep, indicator_extra *x)
{
    const csa_table *t = r->in[ci->input].table;
    const char *cfg = r->cfg->path, *la = r->cfg->la_code, *cmp = r->cfg->comparator_code;
    size_t id_col = csa_table_find(t, "Indicator ID"), area_col = csa_table_find(t, "Area Code");
    size_t name_col = csa_table_find(t, "Area Name"), per_col = csa_table_find(t, "Time period");
    size_t v_col = csa_table_find(t, "Value"), lo_col = csa_table_find(t, "Lower CI 95.0 limit");
    size_t hi_col = csa_table_find(t, "Upper CI 95.0 limit"), n_col = csa_table_find(t, "Count");
    size_t d_col = csa_table_find(t, "Denominator");
    size_t s_col = csa_table_find(t, "Time period Sortable");
    int64_t id;
    if (!la)
        return csa_error_set(&r->err, CSA_ERR_USAGE, cfg, (uint64_t)ci->line, 0, "la_code", NULL,
                             "[indicator.%s]: Fingertips values are by LA: [assessment] needs "
                             "la_code", ci->name);
    if (!csa_parse_int64(ci->indicator_id, strlen(ci->indicator_id), &id))
        return csa_error_set(&r->err, CSA_ERR_USAGE, cfg, (uint64_t)ci->line, 0, "indicator_id",
                             ci->indicator_id, "[indicator.%s]: indicator_id must be a number",
                             ci->name);
    const csa_dict *pd = csa_table_dict(t, per_col);
    size_t np = csa_dict_size(pd), n = csa_table_nrows(t);
    period_key *keys = rcalloc(r, np, sizeof *keys);
    size_t *area_row = rcalloc(r, np, sizeof *area_row), *cmp_row = rcalloc(r, np, sizeof *cmp_row);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t p = 0; p < np; p++)
        keys[p] = (period_key){(uint32_t)p, NAN, SIZE_MAX}, area_row[p] = cmp_row[p] = SIZE_MAX;
    /* the whole population's rows: no breakdown by category, persons */
    size_t sex_col = csa_table_find(t, "Sex"), cat_col = csa_table_find(t, "Category Type");
    bool *use = rcalloc(r, n, sizeof *use), found = false;
    if (!use)
        return CSA_ERR_NOMEM;
    for (size_t row = 0; row < n; row++) {
        const char *sex = text(t, sex_col, row);
        use[row] = csa_table_int64s(t, id_col)[row] == id && !text(t, cat_col, row) &&
                   (!sex || !strcmp(sex, "Persons"));
    }
    /* one age band: the one of the area's first row (an export can hold
     * several), and for the caterpillar areas of the area's own type */
    size_t age_col = csa_table_find(t, "Age"), type_col = csa_table_find(t, "Area Type");
    const char *age = NULL, *area_type = NULL;
    for (size_t row = 0; row < n && !age; row++)
        if (use[row] && text(t, area_col, row) && !strcmp(text(t, area_col, row), la))
            age = text(t, age_col, row), area_type = text(t, type_col, row);
    for (size_t row = 0; row < n && age; row++)
        use[row] = use[row] && text(t, age_col, row) && !strcmp(text(t, age_col, row), age);
    for (size_t row = 0; row < n; row++) {
        if (!use[row])
            continue;
        uint32_t p = csa_table_codes(t, per_col)[row];
        if (keys[p].first_row == SIZE_MAX)
            keys[p].first_row = row, keys[p].sortable = cell(t, s_col, row);
        const char *area = text(t, area_col, row);
        if (area && !strcmp(area, la))
            area_row[p] = row;
        else if (area && !strcmp(area, cmp))
            cmp_row[p] = row;
        found = true;
    }
    for (size_t p = 0; p < np; p++)
        if (isnan(keys[p].sortable))
            keys[p].sortable = keys[p].first_row == SIZE_MAX ? INFINITY : 0;
    qsort(keys, np, sizeof *keys, by_period);
    size_t nper = 0;
    while (nper < np && keys[nper].first_row != SIZE_MAX)
        nper++;
    if (!found || !nper)
        return csa_error_set(&r->err, CSA_ERR_VALUE, r->cfg->inputs[ci->input].files.v[0], 0, 0,
                             "Indicator ID", ci->indicator_id,
                             "[indicator.%s]: no rows of indicator %s", ci->name,
                             ci->indicator_id);

    /* the area's series and the comparator's */
    const char **labels = rcalloc(r, nper, sizeof *labels);
    double *v = rcalloc(r, nper, sizeof *v), *lo = rcalloc(r, nper, sizeof *lo);
    double *hi = rcalloc(r, nper, sizeof *hi), *cv = rcalloc(r, nper, sizeof *cv);
    double *cnt = rcalloc(r, nper, sizeof *cnt), *den = rcalloc(r, nper, sizeof *den);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    size_t latest = SIZE_MAX;
    for (size_t i = 0; i < nper; i++) {
        uint32_t p = keys[i].code;
        size_t ar = area_row[p], cr = cmp_row[p];
        labels[i] = csa_dict_string(pd, p, NULL);
        v[i] = ar == SIZE_MAX ? NAN : cell(t, v_col, ar);
        lo[i] = ar == SIZE_MAX ? NAN : cell(t, lo_col, ar);
        hi[i] = ar == SIZE_MAX ? NAN : cell(t, hi_col, ar);
        cnt[i] = ar == SIZE_MAX ? NAN : cell(t, n_col, ar);
        den[i] = ar == SIZE_MAX ? NAN : cell(t, d_col, ar);
        cv[i] = cr == SIZE_MAX ? NAN : cell(t, v_col, cr);
        if (!isnan(v[i]))
            latest = i;
    }
    if (latest == SIZE_MAX)
        return csa_error_set(&r->err, CSA_ERR_VALUE, r->cfg->inputs[ci->input].files.v[0], 0, 0,
                             "Area Code", la, "[indicator.%s]: indicator %s has no value for "
                             "%s", ci->name, ci->indicator_id, la);
    rep->count = cnt[latest], rep->denominator = den[latest];
    rep->value = v[latest], rep->lower = lo[latest], rep->upper = hi[latest];
    rep->comparator_value = !isnan(ci->comparator_value) ? ci->comparator_value : cv[latest];
    compare(r, rep);
    csa_recent_trend rt = {0};
    csa_status st = csa_recent_trend_values(v, lo, hi, NULL, nper, 95, &rt, &r->err);
    if (st)
        return st;
    rep->trend = trend_words(r, &rt, nper, NULL, rep->polarity, x);
    x->deprivation_ratio = NAN;
    reading(r, rep, rfmt(r, " in %s; %s%s", labels[latest], trend_phrase(x, rep->polarity),
                         x->rising == 2 ? "" : " over the last five periods"));

    /* every area of the latest period against the comparator */
    uint32_t lp = keys[latest].code;
    size_t na = 0, highlight = SIZE_MAX;
    const char **an = rcalloc(r, n, sizeof *an), **aout = rcalloc(r, n, sizeof *aout);
    double *av = rcalloc(r, n, sizeof *av), *alo = rcalloc(r, n, sizeof *alo);
    double *ahi = rcalloc(r, n, sizeof *ahi);
    csa_outcome *ao = rcalloc(r, n, sizeof *ao);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t row = 0; row < n; row++) {
        const char *code = text(t, area_col, row);
        if (!use[row] || csa_table_codes(t, per_col)[row] != lp ||
            !code || !strcmp(code, cmp) || !strncmp(code, "E92", 3) || !strncmp(code, "E12", 3) ||
            (area_type && text(t, type_col, row) && strcmp(text(t, type_col, row), area_type)) ||
            isnan(cell(t, v_col, row)))
            continue;
        const char *name = text(t, name_col, row);
        an[na] = name ? name : code;
        av[na] = cell(t, v_col, row), alo[na] = cell(t, lo_col, row);
        ahi[na] = cell(t, hi_col, row);
        csa_error e = {0};
        ao[na] = CSA_NOT_COMPARED;
        if (!isnan(alo[na]) && !isnan(ahi[na]) && !isnan(rep->comparator_value))
            csa_compare(alo[na], ahi[na], rep->comparator_value, rep->polarity, &ao[na], &e);
        aout[na] = csa_outcome_name(ao[na]);
        if (!strcmp(code, la))
            highlight = na;
        na++;
    }
    /* highest first, so the caterpillar reads as a ranking */
    for (size_t i = 1; i < na; i++)
        for (size_t j = i; j > 0 && av[j] > av[j - 1]; j--) {
#define SWAP(T, a, b) do { T tmp_ = a; a = b; b = tmp_; } while (0)
            SWAP(const char *, an[j], an[j - 1]);
            SWAP(const char *, aout[j], aout[j - 1]);
            SWAP(double, av[j], av[j - 1]);
            SWAP(double, alo[j], alo[j - 1]);
            SWAP(double, ahi[j], ahi[j - 1]);
            SWAP(csa_outcome, ao[j], ao[j - 1]);
            highlight = highlight == j ? j - 1 : highlight == j - 1 ? j : highlight;
#undef SWAP
        }

    const char *source = rfmt(r, "Source: OHID Fingertips, indicator %s", ci->indicator_id);
    const char *value_name = rfmt(r, "Value (%s)", rep->unit);
    const char *cmp_name = rfmt(r, "%s value", r->cfg->comparator);
    csa_chart *charts = rcalloc(r, 2, sizeof *charts);
    csa_report_table *tabs = rcalloc(r, 2, sizeof *tabs);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    charts[0] = csa_chart_init(CSA_CHART_TREND);
    set_chart_text(r, &charts[0], rfmt(r, "%s over time", rep->title), "Period", value_name,
                   rfmt(r, "%s. Band: 95%% confidence interval", source));
    charts[0].subtitle = r->cfg->area_name;
    charts[0].n = nper, charts[0].labels = labels, charts[0].values = v;
    charts[0].lower = lo, charts[0].upper = hi;
    charts[0].comparator = rep->comparator_value;
    charts[0].comparator_label = rfmt(r, "%s (%s)", r->cfg->comparator, labels[latest]);
    charts[1] = csa_chart_init(CSA_CHART_CATERPILLAR);
    set_chart_text(r, &charts[1], rfmt(r, "%s by area, %s", rep->title, labels[latest]),
                   value_name, "Area", rfmt(r, "%s. Whiskers: 95%% confidence intervals", source));
    charts[1].subtitle = rfmt(r, "Compared with %s", r->cfg->comparator);
    charts[1].n = na, charts[1].labels = an, charts[1].values = av;
    charts[1].lower = alo, charts[1].upper = ahi, charts[1].outcomes = ao;
    charts[1].highlight = highlight;
    charts[1].comparator = rep->comparator_value;
    charts[1].comparator_label = r->cfg->comparator;
    rep->charts = charts, rep->ncharts = 2;
    col tcols[] = {TEXT("Period", labels), NUM("Value", v), NUM("Lower 95% CI", lo),
                   NUM("Upper 95% CI", hi), NUM("Count", cnt), NUM("Denominator", den),
                   NUM(cmp_name, cv)};
    tabs[0] = (csa_report_table){rfmt(r, "%s over time, %s", rep->title, r->cfg->area_name),
                                 make_table(r, nper, tcols, 7), 1, CSA_NATIVE_LINE, "Period",
                                 "Value", "Lower 95% CI", "Upper 95% CI"};
    col acols[] = {TEXT("Area", an), NUM("Value", av), NUM("Lower 95% CI", alo),
                   NUM("Upper 95% CI", ahi),
                   TEXT(rfmt(r, "Compared with %s", r->cfg->comparator), aout)};
    tabs[1] = (csa_report_table){rfmt(r, "%s by area, %s", rep->title, labels[latest]),
                                 make_table(r, na, acols, 5), 1, CSA_NATIVE_BAR, "Area", "Value",
                                 "Lower 95% CI", "Upper 95% CI"};
    rep->tables = tabs, rep->ntables = 2;
    return r->nomem ? CSA_ERR_NOMEM : CSA_OK;
}

/* A survey indicator: the weighted share of respondents answering one of
 * `answers` to `question`, overall and by each `by` column. */
static csa_status survey_indicator(run *r, const csa_config_indicator *ci, csa_indicator_report *rep,
                                   indicator_extra *x)
{
    const csa_table *t = r->in[ci->input].table;
    const char *cfg = r->cfg->path;
    size_t q = survey_column(t, ci->question), w = survey_column(t, "weight");
    size_t n = csa_table_nrows(t);
    if (q == CSA_NO_ROW)
        return csa_error_set(&r->err, CSA_ERR_USAGE, cfg, (uint64_t)ci->line, 0, "question",
                             ci->question, "[indicator.%s]: the survey has no column '%s'",
                             ci->name, ci->question);
    double *answer = rcalloc(r, n, sizeof *answer), *weight = rcalloc(r, n, sizeof *weight);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const char *a = text(t, q, i), *ws = text(t, w, i);
        answer[i] = NAN;
        if (a) {
            answer[i] = 0;
            for (size_t k = 0; k < ci->answers.n; k++)
                if (!strcasecmp(a, ci->answers.v[k]))
                    answer[i] = 1;
        }
        if (!ws || !csa_parse_double(ws, strlen(ws), &weight[i]))
            weight[i] = 0; /* validation stops a bad weight; a blank one is no response */
        if (r->in[ci->input].in_area && !r->in[ci->input].in_area[i])
            weight[i] = 0, answer[i] = NAN; /* lives outside the area */
    }
    csa_survey_proportion all;
    csa_status st = csa_survey_proportion_compute(n, answer, weight, &LEVEL95, &all, &r->err);
    if (st)
        return st;
    rep->count = (double)all.yes, rep->denominator = (double)all.respondents;
    rep->value = all.p.value * 100, rep->lower = all.p.lower[0] * 100;
    rep->upper = all.p.upper[0] * 100;
    rep->comparator_value = ci->comparator_value;
    compare(r, rep);
    rep->trend = "One wave: no trend";
    x->direction = 2;
    x->direction_text = "One wave";
    x->deprivation_ratio = NAN;

    /* by group */
    size_t cap = 1 + 64 * ci->by.n, ng = 0;
    const char **gl = rcalloc(r, cap, sizeof *gl), **gh = rcalloc(r, cap, sizeof *gh);
    double *gv = rcalloc(r, cap, sizeof *gv), *glo = rcalloc(r, cap, sizeof *glo);
    double *ghi = rcalloc(r, cap, sizeof *ghi), *gn = rcalloc(r, cap, sizeof *gn);
    double *geff = rcalloc(r, cap, sizeof *geff);
    uint32_t *group = rcalloc(r, n, sizeof *group);
    csa_survey_proportion *gp = rcalloc(r, 64, sizeof *gp);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    gl[ng] = "All respondents", gh[ng] = "All", gv[ng] = rep->value, glo[ng] = rep->lower;
    ghi[ng] = rep->upper, gn[ng] = (double)all.respondents, geff[ng++] = all.n_eff;
    for (size_t b = 0; b < ci->by.n; b++) {
        size_t c = survey_column(t, ci->by.v[b]);
        if (c == CSA_NO_ROW)
            return csa_error_set(&r->err, CSA_ERR_USAGE, cfg, (uint64_t)ci->line, 0, "by",
                                 ci->by.v[b], "[indicator.%s]: the survey has no column '%s'",
                                 ci->name, ci->by.v[b]);
        const csa_dict *d = csa_table_dict(t, c);
        size_t groups = csa_dict_size(d);
        if (groups > 64)
            return csa_error_set(&r->err, CSA_ERR_LIMIT, cfg, (uint64_t)ci->line, 0, "by",
                                 ci->by.v[b], "[indicator.%s]: '%s' has %zu groups; at most 64",
                                 ci->name, ci->by.v[b], groups);
        /* groups in their text order, so "16-24" comes before "25-34" */
        uint32_t order[64];
        for (uint32_t g = 0; g < groups; g++) {
            uint32_t k = g;
            while (k > 0 && strcmp(csa_dict_string(d, order[k - 1], NULL),
                                   csa_dict_string(d, g, NULL)) > 0)
                order[k] = order[k - 1], k--;
            order[k] = g;
        }
        for (size_t i = 0; i < n; i++)
            group[i] = csa_table_valid(t, c, i) ? csa_table_codes(t, c)[i] : CSA_SURVEY_NO_GROUP;
        if ((st = csa_survey_by_group(n, answer, weight, group, groups, &LEVEL95, gp, &r->err)))
            return st;
        for (size_t k = 0; k < groups; k++) {
            const csa_survey_proportion *p = &gp[order[k]];
            gl[ng] = csa_dict_string(d, order[k], NULL), gh[ng] = csa_table_column_name(t, c);
            gv[ng] = p->p.value * 100, glo[ng] = p->p.lower[0] * 100;
            ghi[ng] = p->p.upper[0] * 100, gn[ng] = (double)p->respondents;
            geff[ng++] = p->n_eff;
        }
    }
    /* the lowest and highest groups, of those big enough to say so */
    enum { MIN_GROUP = 30 };
    size_t lo_i = 0, hi_i = 0;
    for (size_t i = 1; i < ng; i++) {
        if (isnan(gv[i]) || gn[i] < MIN_GROUP)
            continue;
        lo_i = !lo_i || gv[i] < gv[lo_i] ? i : lo_i;
        hi_i = !hi_i || gv[i] > gv[hi_i] ? i : hi_i;
    }
    char answered[32];
    csa_format_number((double)all.respondents, 0, answered, sizeof answered);
    const char *gap = lo_i && lo_i != hi_i
                          ? rfmt(r, "; lowest: %s %s (%.1f%%), highest: %s %s (%.1f%%)", gh[lo_i],
                                 gl[lo_i], gv[lo_i], gh[hi_i], gl[hi_i], gv[hi_i])
                          : "";
    reading(r, rep, rfmt(r, " of respondents (%s answered)%s", answered, gap));

    csa_chart *chart = rcalloc(r, 1, sizeof *chart);
    csa_report_table *tab = rcalloc(r, 1, sizeof *tab);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    *chart = csa_chart_init(CSA_CHART_SURVEY);
    set_chart_text(r, chart, rep->title, "Weighted % of respondents", "Group",
                   rfmt(r, "Source: community safety survey (%s). Bars: weighted %%; whiskers: "
                           "95%% Wilson intervals on the effective sample size", rep->source));
    chart->n = ng, chart->labels = gl, chart->groups = gh, chart->values = gv;
    chart->lower = glo, chart->upper = ghi;
    rep->charts = chart, rep->ncharts = 1;
    col cols[] = {TEXT("Breakdown", gh), TEXT("Group", gl), NUM("Percent", gv),
                  NUM("Lower 95% CI", glo), NUM("Upper 95% CI", ghi),
                  WHOLE("Respondents", gn), NUM("Effective sample size", geff)};
    *tab = (csa_report_table){rfmt(r, "%s by group", rep->title), make_table(r, ng, cols, 7), 1,
                              CSA_NATIVE_BAR, "Group", "Percent", "Lower 95% CI", "Upper 95% CI"};
    rep->tables = tab, rep->ntables = 1;
    return r->nomem ? CSA_ERR_NOMEM : CSA_OK;
}

/* Where the rows of a police-street input went, and the months it covers. */
static void police_accounting(run *r, size_t i)
{
    input_state *s = &r->in[i];
    const csa_table *t = s->table;
    size_t month_col = csa_table_find(t, "Month"), lsoa_col = csa_table_find(t, "LSOA code");
    const csa_dict *ld = csa_table_dict(t, lsoa_col);
    signed char *where = rcalloc(r, csa_dict_size(ld), 1); /* 1 in area, 2 no population */
    bool *present = rcalloc(r, r->nmonths, sizeof *present);
    if (r->nomem)
        return;
    for (size_t l = 0; l < r->nlsoas; l++) {
        uint32_t code = csa_dict_find(ld, r->lsoas[l].code, strlen(r->lsoas[l].code));
        if (code != CSA_NO_CODE)
            where[code] = isnan(r->lsoas[l].population) ? 2 : 1;
    }
    const int32_t *months = csa_table_dates(t, month_col);
    int32_t first = INT32_MAX, last = INT32_MIN;
    uint64_t out = 0;
    for (size_t row = 0; row < csa_table_nrows(t); row++) {
        size_t m = month_index(r, months[row]);
        first = months[row] < first ? months[row] : first;
        last = months[row] > last ? months[row] : last;
        if (m != SIZE_MAX)
            present[m] = true;
        out += m == SIZE_MAX || !csa_table_valid(t, lsoa_col, row) ||
               where[csa_table_codes(t, lsoa_col)[row]] != 1;
    }
    s->out_of_scope = out;
    s->accepted -= out;
    char a[16], b[16];
    if (first <= last) {
        month_name(first, a, sizeof a);
        month_name(last, b, sizeof b);
        s->covers = first == last ? rfmt(r, "%s", a) : rfmt(r, "%s to %s", a, b);
    }
    s->missing = missing_months(r, present);
    s->month_present = present;
}

/* ---- priorities ---- */

static double band(double v, const double *limits, size_t n)
{
    size_t k = 0;
    while (k < n && v >= limits[k])
        k++;
    return (double)(k + 1);
}

static const csa_priority_criterion CRITERION_TEXT[CSA_NCRITERIA] = {
    {"Volume",
     "value / comparator (comparator / value when high is good): 1 below 0.8, 2 below 0.95, "
     "3 below 1.05, 4 below 1.25, 5 from 1.25; 3 with no comparator"},
    {"Trend", "5 getting worse, 3 no significant change or too few points, 1 getting better "
              "(recent trend over five points, else the latest month against SPC limits)"},
    {"Harm", "harm weight x rate: 1 + 4 x (value - lowest) / (highest - lowest) among the "
             "candidates; 3 with no harm weight"},
    {"Deprivation",
     "fitted rate in the most deprived over the least deprived, from a log-linear fit by IMD "
     "decile (1 / RII): 1 below 1.25, 2 below 1.5, 3 below 2, 4 below 3, 5 from 3; 3 when not "
     "available"},
    {"Concern", "share of survey respondents concerned in the linked question (for a "
                "question where yes is good, the share not saying yes): 1 + 4 x share; 3 with no "
                "linked question"},
};

static int by_total(const void *a, const void *b)
{
    const csa_priority_report *x = a, *y = b;
    if (x->total != y->total)
        return x->total > y->total ? -1 : 1;
    return x->indicator < y->indicator ? -1 : x->indicator > y->indicator;
}

static csa_status score_priorities(run *r, const indicator_extra *extra, csa_assessment *a)
{
    csa_config *c = r->cfg;
    size_t nc = c->ncriteria, np = 0;
    csa_priority_criterion *crit = rcalloc(r, nc, sizeof *crit);
    csa_priority_report *pr = rcalloc(r, c->nindicators, sizeof *pr);
    double *harm = rcalloc(r, c->nindicators, sizeof *harm);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t k = 0; k < nc; k++)
        crit[k] = CRITERION_TEXT[c->criteria[k]];
    double hmin = INFINITY, hmax = -INFINITY;
    for (size_t i = 0; i < c->nindicators; i++) {
        harm[i] = c->indicators[i].harm * r->reports[i].value;
        if (c->indicators[i].priority && !isnan(harm[i]))
            hmin = fmin(hmin, harm[i]), hmax = fmax(hmax, harm[i]);
    }
    for (size_t i = 0; i < c->nindicators; i++) {
        const csa_config_indicator *ci = &c->indicators[i];
        const csa_indicator_report *rep = &r->reports[i];
        if (!ci->priority)
            continue;
        csa_priority_score *sc = rcalloc(r, nc, sizeof *sc);
        if (!sc)
            return CSA_ERR_NOMEM;
        double total = 0;
        for (size_t k = 0; k < nc; k++) {
            double v = NAN, s = 3;
            const char *vt = NULL;
            switch (c->criteria[k]) {
            case CSA_CRITERION_VOLUME: {
                static const double lim[] = {0.8, 0.95, 1.05, 1.25};
                v = rep->polarity == CSA_POLARITY_HIGH_IS_GOOD ? rep->comparator_value / rep->value
                                                               : rep->value / rep->comparator_value;
                if (isnan(v) || isinf(v))
                    v = NAN, vt = "No comparator";
                else
                    s = band(v, lim, 4), vt = rfmt(r, "%.2f x %s", v, c->comparator);
                break;
            }
            case CSA_CRITERION_TREND:
                v = extra[i].direction == 2 ? NAN : extra[i].direction;
                s = extra[i].direction == 1 ? 5 : extra[i].direction == -1 ? 1 : 3;
                vt = extra[i].direction_text;
                break;
            case CSA_CRITERION_HARM:
                v = harm[i];
                if (isnan(v))
                    vt = "No harm weight";
                else {
                    s = hmax > hmin ? 1 + 4 * (v - hmin) / (hmax - hmin) : 3;
                    vt = rfmt(r, "%g x %.2f = %.1f", ci->harm, rep->value, v);
                }
                break;
            case CSA_CRITERION_DEPRIVATION: {
                static const double lim[] = {1.25, 1.5, 2, 3};
                v = extra[i].deprivation_ratio;
                if (isnan(v))
                    vt = "Not available";
                else
                    s = band(v, lim, 4), vt = rfmt(r, "%.2f times", v);
                break;
            }
            case CSA_CRITERION_CONCERN: {
                size_t j = 0;
                while (ci->concern && j < c->nindicators &&
                       strcmp(c->indicators[j].name, ci->concern))
                    j++;
                if (!ci->concern || isnan(r->reports[j].value)) {
                    vt = "No linked question";
                } else {
                    /* concern is the share not giving the good answer when
                     * high is good ("feel safe") */
                    bool good = r->reports[j].polarity == CSA_POLARITY_HIGH_IS_GOOD;
                    v = good ? 100 - r->reports[j].value : r->reports[j].value;
                    s = 1 + 4 * v / 100;
                    vt = rfmt(r, "%.1f%% (%s%s)", v, good ? "not: " : "", r->reports[j].title);
                }
                break;
            }
            case CSA_NCRITERIA:
                break;
            }
            sc[k] = (csa_priority_score){v, vt, round(s * 100) / 100, c->weights[c->criteria[k]]};
            total += sc[k].score * sc[k].weight;
        }
        pr[np++] = (csa_priority_report){i, 0, round(total * 100) / 100, sc};
    }
    qsort(pr, np, sizeof *pr, by_total);
    for (size_t k = 0; k < np; k++)
        pr[k].rank = k + 1;
    a->criteria = crit, a->ncriteria = nc, a->priorities = pr, a->npriorities = np;
    return r->nomem ? CSA_ERR_NOMEM : CSA_OK;
}

static const char *unit_text(run *r, const csa_config_indicator *ci, const char *spec)
{
    char m[32];
    if (ci->unit)
        return ci->unit;
    if (!strcmp(spec, "survey"))
        return "%";
    if (!strcmp(spec, "fingertips"))
        return "as published";
    csa_format_number(ci->multiplier, 0, m, sizeof m);
    return rfmt(r, "per %s residents", m);
}

static int compute_indicators(run *r, indicator_extra *extra)
{
    csa_config *c = r->cfg;
    for (size_t i = 0; i < c->ninputs; i++) {
        if (r->in[i].excluded || strcmp(c->inputs[i].spec->name, "police-street"))
            continue;
        police_accounting(r, i);
        if (r->nomem)
            return EXIT_USAGE;
        bool any = false;
        for (size_t m = 0; m < r->nmonths; m++)
            any |= r->in[i].month_present[m];
        if (!any) {
            csa_error_set(&r->err, CSA_ERR_VALUE, c->inputs[i].files.v[0], 0, 0, NULL, NULL,
                          "[input.%s] has no rows in the period, %s (its files cover %s)",
                          c->inputs[i].name, c->period_label,
                          r->in[i].covers ? r->in[i].covers : "no months");
            return EXIT_DATA;
        }
    }
    for (size_t i = 0; i < c->nindicators; i++) {
        const csa_config_indicator *ci = &c->indicators[i];
        csa_indicator_report *rep = &r->reports[i];
        const csa_config_input *inp = &c->inputs[ci->input];
        const char *spec = inp->spec->name;
        *rep = (csa_indicator_report){
            .name = ci->name, .title = ci->title, .theme = ci->theme,
            .unit = unit_text(r, ci, spec), .polarity = ci->polarity,
            .count = NAN, .denominator = NAN, .value = NAN, .lower = NAN, .upper = NAN,
            .comparator_value = ci->comparator_value, .trend = "Not computed"};
        extra[i] = (indicator_extra){2, 2, "No data", NAN};
        if (!strcmp(spec, "police-street")) {
            rep->method = "Crude rate; 95% interval by Byar's method, exact Poisson below 10 "
                          "events; SPC c-chart; SII by IMD decile (PHEindicatormethods)";
            rep->source = "police.uk street-level crime; ONS population estimates; IMD 2019";
        } else if (!strcmp(spec, "fingertips")) {
            rep->method = "Values and intervals as published by OHID Fingertips; recent trend "
                          "by Fingertips' chi-square test";
            rep->source = "OHID Fingertips";
        } else {
            rep->method = "Weighted proportion; 95% Wilson interval on Kish's effective "
                          "sample size";
            const char *slash = strrchr(inp->files.v[0], '/');
            rep->source = rfmt(r, "%s", slash ? slash + 1 : inp->files.v[0]);
        }
        if (r->in[ci->input].excluded) {
            rep->note = rfmt(r, "Not computed: input %s was left out (--allow-invalid) because "
                                "validation found errors in it (%zu)", inp->name,
                             r->in[ci->input].errors);
            rep->reading = rfmt(r, "%s: no figure; %s.", rep->title, rep->note);
            rep->comparator = NULL;
            continue;
        }
        csa_status st = !strcmp(spec, "police-street") ? police_indicator(r, ci, rep, &extra[i])
                        : !strcmp(spec, "fingertips")
                            ? fingertips_indicator(r, ci, rep, &extra[i])
                            : survey_indicator(r, ci, rep, &extra[i]);
        if (st) {
            if (st == CSA_ERR_NOMEM && !r->err.message[0])
                csa_error_set(&r->err, st, NULL, 0, 0, NULL, NULL, "out of memory");
            return st == CSA_ERR_VALUE ? EXIT_DATA : EXIT_USAGE;
        }
        if (!strcmp(spec, "police-street")) {
            const input_state *s = &r->in[ci->input];
            if (s->missing && strcmp(s->missing, "none"))
                rep->note = rfmt(r, "Partial period: input %s has no rows for %s", inp->name,
                                 s->missing);
        }
        r->in[ci->input].used = true;
    }
    stage(r, "computed %zu indicators", c->nindicators);
    return EXIT_OK;
}

/* "violence-by-month" from "Violence by month" after the indicator's
 * title, up to a comma (so a period in the title stays out of the name). */
static const char *slug(run *r, const char *name, const char *title, const char *prefix)
{
    size_t skip = strncmp(title, prefix, strlen(prefix)) ? 0 : strlen(prefix);
    char buf[128];
    size_t n = (size_t)snprintf(buf, sizeof buf, "%s-", name);
    for (const char *p = title + skip; *p && *p != ',' && n < sizeof buf - 1; p++) {
        char ch = (char)tolower((unsigned char)*p);
        if (isalnum((unsigned char)ch))
            buf[n++] = ch;
        else if (n && buf[n - 1] != '-')
            buf[n++] = '-';
    }
    while (n && buf[n - 1] == '-')
        n--;
    buf[n] = '\0';
    return rfmt(r, "%s", buf);
}

static const char *const CHART_KIND[] = {"trend", "spc", "deciles", "areas", "funnel",
                                         "groups", "lorenz"};

static csa_status add_output(run *r, csa_outdir *od, const char *name, const char **tmp)
{
    return csa_outdir_add(od, name, tmp, &r->err);
}

static const csa_table *summary_table(run *r, const csa_assessment *a)
{
    size_t n = a->nindicators;
    const char **title = rcalloc(r, n, sizeof *title), **theme = rcalloc(r, n, sizeof *theme);
    const char **unit = rcalloc(r, n, sizeof *unit), **cmp = rcalloc(r, n, sizeof *cmp);
    const char **outcome = rcalloc(r, n, sizeof *outcome), **trend = rcalloc(r, n, sizeof *trend);
    const char **note = rcalloc(r, n, sizeof *note);
    double *v[6];
    for (int k = 0; k < 6; k++)
        v[k] = rcalloc(r, n, sizeof *v[k]);
    if (r->nomem)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const csa_indicator_report *p = &a->indicators[i];
        title[i] = p->title, theme[i] = p->theme, unit[i] = p->unit, cmp[i] = p->comparator;
        outcome[i] = csa_outcome_name(p->outcome), trend[i] = p->trend, note[i] = p->note;
        v[0][i] = p->count, v[1][i] = p->denominator, v[2][i] = p->value;
        v[3][i] = p->lower, v[4][i] = p->upper, v[5][i] = p->comparator_value;
    }
    col cols[] = {TEXT("Indicator", title), TEXT("Theme", theme), TEXT("Unit", unit),
                  WHOLE("Count", v[0]), WHOLE("Denominator", v[1]), NUM("Value", v[2]),
                  NUM("Lower 95% CI", v[3]), NUM("Upper 95% CI", v[4]),
                  TEXT("Comparator", cmp), NUM("Comparator value", v[5]),
                  TEXT("Compared with comparator", outcome), TEXT("Trend", trend),
                  TEXT("Note", note)};
    return make_table(r, n, cols, 13);
}

static const csa_table *priority_table(run *r, const csa_assessment *a)
{
    size_t n = a->npriorities, nc = a->ncriteria, ncols = 0;
    col *cols = rcalloc(r, 3 + 3 * nc, sizeof *cols);
    double *rank = rcalloc(r, n, sizeof *rank), *total = rcalloc(r, n, sizeof *total);
    const char **name = rcalloc(r, n, sizeof *name);
    if (r->nomem)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        rank[i] = (double)a->priorities[i].rank, total[i] = a->priorities[i].total;
        name[i] = a->indicators[a->priorities[i].indicator].title;
    }
    cols[ncols++] = (col)WHOLE("Rank", rank);
    cols[ncols++] = (col)TEXT("Indicator", name);
    for (size_t k = 0; k < nc; k++) {
        const char **vt = rcalloc(r, n, sizeof *vt);
        double *sc = rcalloc(r, n, sizeof *sc), *w = rcalloc(r, n, sizeof *w);
        if (r->nomem)
            return NULL;
        for (size_t i = 0; i < n; i++) {
            const csa_priority_score *s = &a->priorities[i].scores[k];
            vt[i] = s->value_text, sc[i] = s->score, w[i] = s->weight;
        }
        cols[ncols++] = (col)TEXT(rfmt(r, "%s: value", a->criteria[k].name), vt);
        cols[ncols++] = (col)NUM(rfmt(r, "%s: score", a->criteria[k].name), sc);
        cols[ncols++] = (col)NUM(rfmt(r, "%s: weight", a->criteria[k].name), w);
    }
    cols[ncols++] = (col)NUM("Total", total);
    return make_table(r, n, cols, ncols);
}

static const csa_table *quality_table(run *r, const csa_assessment *a)
{
    size_t n = a->ninputs;
    const char **name = rcalloc(r, n, sizeof *name), **spec = rcalloc(r, n, sizeof *spec);
    const char **covers = rcalloc(r, n, sizeof *covers), **missing = rcalloc(r, n, sizeof *missing);
    const char **excl = rcalloc(r, n, sizeof *excl), **mod = rcalloc(r, n, sizeof *mod);
    double *v[7];
    for (int k = 0; k < 7; k++)
        v[k] = rcalloc(r, n, sizeof *v[k]);
    if (r->nomem)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const csa_input_report *p = &a->inputs[i];
        time_t latest = 0;
        for (size_t f = 0; f < p->nfiles; f++)
            latest = p->modified[f] > latest ? p->modified[f] : latest;
        struct tm tm;
        char buf[32];
        gmtime_r(&latest, &tm);
        strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
        name[i] = p->name, spec[i] = p->spec, covers[i] = p->covers, missing[i] = p->missing;
        excl[i] = p->excluded ? "Left out (--allow-invalid)" : NULL;
        mod[i] = rfmt(r, "%s", buf);
        v[0][i] = (double)p->nfiles, v[1][i] = (double)p->rows_read;
        v[2][i] = (double)p->rows_accepted, v[3][i] = (double)p->rows_rejected;
        v[4][i] = (double)p->rows_out_of_scope, v[5][i] = (double)p->errors;
        v[6][i] = (double)p->warnings;
    }
    col cols[] = {TEXT("Input", name), TEXT("Spec", spec), WHOLE("Files", v[0]),
                  WHOLE("Rows read", v[1]), WHOLE("Used", v[2]),
                  WHOLE("Rejected", v[3]), WHOLE("Out of scope", v[4]),
                  WHOLE("Errors", v[5]), WHOLE("Warnings", v[6]), TEXT("Covers", covers),
                  TEXT("Months missing", missing), TEXT("Last modified (UTC)", mod),
                  TEXT("Excluded", excl)};
    return make_table(r, n, cols, 13);
}

/* ---- outputs ---- */

/* The inputs' SHA-256 for the manifest, worked out on a thread of its own
 * while the run validates and reads them. */
static csa_status start_digests(run *r)
{
    csa_config *c = r->cfg;
    size_t nfiles = 0, k = 0;
    for (size_t i = 0; i < c->ninputs; i++)
        nfiles += c->inputs[i].files.n;
    const char **paths = rcalloc(r, nfiles, sizeof *paths);
    if (!paths)
        return CSA_ERR_NOMEM;
    for (size_t i = 0; i < c->ninputs; i++)
        for (size_t f = 0; f < c->inputs[i].files.n; f++)
            paths[k++] = c->inputs[i].files.v[f];
    return csa_digests_start(paths, nfiles, &r->digests, &r->err);
}

static int write_outputs(run *r, csa_assessment *a)
{
    csa_config *c = r->cfg;
    csa_outdir *od = NULL;
    csa_digests *dig = r->digests;
    csa_manifest_input *mi = NULL;
    const char *tmp;
    size_t nfiles = 0, k = 0;
    int status = EXIT_USAGE;
    for (size_t i = 0; i < c->ninputs; i++)
        nfiles += c->inputs[i].files.n;
    mi = rcalloc(r, nfiles, sizeof *mi);
    if (r->nomem)
        return EXIT_USAGE;
    for (size_t i = 0; i < c->ninputs; i++)
        for (size_t f = 0; f < c->inputs[i].files.n; f++)
            mi[k++] = (csa_manifest_input){.path = c->inputs[i].files.v[f],
                                           .spec = c->inputs[i].spec->name,
                                           .rows = r->in[i].checked[f]->rows};
    if (csa_outdir_open(r->out_dir, &od, &r->err))
        goto done;
    char rel[4096];
    if (csa_path_relative(r->out_dir, c->path, rel, sizeof rel, &r->err))
        goto done;
    a->config = rfmt(r, "%s", rel);

    /* findings name their files as seen from the output folder too */
    const csa_table *ft = r->findings_rows;
    size_t nf = csa_table_nrows(ft);
    const char **fcol[8];
    col fcols[8];
    for (size_t j = 0; j < 8; j++) {
        if (!(fcol[j] = rcalloc(r, nf, sizeof *fcol[j])))
            goto nomem;
        for (size_t row = 0; row < nf; row++)
            fcol[j][row] = text(ft, j, row);
        fcols[j] = (col)TEXT(csa_table_column_name(ft, j), fcol[j]);
    }
    for (size_t row = 0; row < nf; row++) {
        char frel[4096];
        if (fcol[1][row] && !csa_path_relative(r->out_dir, fcol[1][row], frel, sizeof frel,
                                               &r->err))
            fcol[1][row] = rfmt(r, "%s", frel);
    }
    if (!(a->findings = make_table(r, nf, fcols, 8)))
        goto nomem;

    /* CSV tables, then charts, then the workbook and the pack */
    const csa_table *summary = summary_table(r, a), *prio = priority_table(r, a);
    if (!summary || !prio)
        goto nomem;
    struct { const char *name; const csa_table *t; int decimals; } csvs[] = {
        {"summary.csv", summary, 4}, {"priorities.csv", prio, 2},
        {"findings.csv", a->findings, 0}};
    for (size_t i = 0; i < 3; i++)
        if (add_output(r, od, csvs[i].name, &tmp) ||
            csa_write_csv(csvs[i].t, csvs[i].decimals, tmp, &r->err))
            goto done;
    size_t ncharts = 0, total = 0;
    for (size_t i = 0; i < a->nindicators; i++)
        total += a->indicators[i].ncharts;
    for (size_t i = 0; i < a->nindicators; i++) {
        const csa_indicator_report *p = &a->indicators[i];
        for (size_t t = 0; t < p->ntables; t++) {
            const char *name = rfmt(r, "%s.csv", slug(r, p->name, p->tables[t].title, p->title));
            if (!name || add_output(r, od, name, &tmp) ||
                csa_write_csv(p->tables[t].table, 4, tmp, &r->err))
                goto done;
        }
        for (size_t g = 0; g < p->ncharts; g++) {
            progress(r, "drawing charts", ncharts, total);
            const char *base = rfmt(r, "%s-%s", p->name, CHART_KIND[p->charts[g].kind]);
            if (!base || add_output(r, od, rfmt(r, "%s.png", base), &tmp) ||
                csa_chart_png(&p->charts[g], 1200, 750, tmp, &r->err) ||
                add_output(r, od, rfmt(r, "%s.svg", base), &tmp) ||
                csa_chart_svg(&p->charts[g], 720, 450, tmp, &r->err))
                goto done;
            ncharts++;
        }
    }
    stage(r, "wrote the CSV tables and %zu charts (PNG and SVG)", ncharts);

    /* the inputs as the workbook and pack show them: relative to the output */
    if (csa_digests_wait(dig, &r->err))
        goto done;
    csa_input_report *ir = rcalloc(r, c->ninputs, sizeof *ir);
    if (!ir)
        goto nomem;
    k = 0;
    for (size_t i = 0; i < c->ninputs; i++) {
        const input_state *s = &r->in[i];
        size_t n = c->inputs[i].files.n;
        const char **files = rcalloc(r, n, sizeof *files);
        uint64_t *rows = rcalloc(r, n, sizeof *rows);
        if (!files || !rows)
            goto nomem;
        for (size_t f = 0; f < n; f++, k++) {
            char rel[4096];
            if (csa_path_relative(r->out_dir, c->inputs[i].files.v[f], rel, sizeof rel, &r->err))
                goto done;
            files[f] = rfmt(r, "%s", rel);
            rows[f] = s->checked[f]->rows;
            s->sha256[f] = csa_digests_hex(dig, k, &s->bytes[f]);
            mi[k].sha256 = s->sha256[f], mi[k].bytes = s->bytes[f];
        }
        ir[i] = (csa_input_report){
            .name = c->inputs[i].name, .spec = c->inputs[i].spec->name, .nfiles = n,
            .files = files, .bytes = s->bytes, .sha256 = s->sha256, .modified = s->modified, .file_rows = rows,
            .rows_read = s->rows_read, .rows_accepted = s->excluded ? 0 : s->accepted,
            .rows_rejected = s->rejected, .rows_out_of_scope = s->out_of_scope,
            .errors = s->errors, .warnings = s->warnings, .covers = s->covers,
            .missing = s->missing, .excluded = s->excluded};
    }
    a->inputs = ir, a->ninputs = c->ninputs;
    const csa_table *quality = quality_table(r, a);
    if (!quality || r->nomem)
        goto nomem;
    if (add_output(r, od, "data-quality.csv", &tmp) ||
        csa_write_csv(quality, 0, tmp, &r->err) ||
        add_output(r, od, "assessment.xlsx", &tmp) ||
        csa_write_assessment_xlsx(a, tmp, &r->err))
        goto done;
    stage(r, "wrote assessment.xlsx");
    if (add_output(r, od, "assessment-pack.pdf", &tmp) ||
        csa_write_assessment_pdf(a, tmp, &r->err))
        goto done;
    stage(r, "wrote assessment-pack.pdf");
    if (csa_outdir_manifest(od, "run", mi, nfiles, &r->err) || csa_outdir_commit(od, &r->err))
        goto done;
    status = EXIT_OK;
    goto done;
nomem:
    csa_error_set(&r->err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
done:
    csa_outdir_free(od);
    return status;
}

static const char *const METHOD_NOTES[] = {
    "Rates are events in the period per 1,000 residents (ONS LSOA population estimates), "
    "not annualised. 95% confidence intervals by Byar's method, exact Poisson below 10 "
    "events, as PHEindicatormethods and Fingertips compute them.",
    "Comparisons follow Fingertips: similar when the area's 95% interval includes the "
    "comparator's value, otherwise better or worse by the indicator's polarity (for crime, "
    "lower is better). RAG: red worse, amber similar, green better, grey not compared.",
    "Crimes in LSOAs of the area with no population row are left out of the rates rather "
    "than divided by another set of residents; the data-quality sheet counts them as out of "
    "scope.",
    "Monthly counts are shown as SPC c-charts (centre line at the mean, limits at mean +/- 3 "
    "sqrt(mean)); Fingertips' recent-trend test needs five points.",
    "Deprivation: rates by IMD 2019 decile of the LSOA; the line is the slope index of "
    "inequality (PHEindicatormethods' phe_sii, 10,000 simulations, seed 1).",
    "Survey figures are weighted proportions with Wilson intervals on Kish's effective "
    "sample size, so unequal weights widen them.",
    "Priorities: each criterion is scored 1 to 5 by the rule shown with the matrix; a "
    "candidate's total is the sum of score x weight, and the weights come from the config.",
};

static int run_command(int argc, char **argv)
{
    static const struct option options[] = {
        {"out", required_argument, NULL, 'o'}, {"allow-invalid", required_argument, NULL, 'a'},
        {"quiet", no_argument, NULL, 'q'}, {NULL, 0, NULL, 0},
    };
    run r = {.tty = isatty(STDERR_FILENO)};
    r.t0 = r.stage_t0 = now();
    indicator_extra *extra = NULL;
    int status = EXIT_USAGE, opt;
    r.allow = calloc((size_t)argc, sizeof *r.allow);
    if (!r.allow) {
        fprintf(stderr, "csa: out of memory\n");
        return EXIT_USAGE;
    }
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (opt) {
        case 'o': r.out_dir = optarg; break;
        case 'a': r.allow[r.nallow++] = optarg; break;
        case 'q': r.quiet = true; break;
        default:
            free(r.allow);
            return cli_usage("run", "run: unknown option or missing value: %s", argv[optind - 1]);
        }
    }
    if (optind != argc - 1) {
        free(r.allow);
        return cli_usage("run", "run takes one config file (csa init writes a starter)");
    }
    csa_config_errors cfg_errors;
    if (csa_config_read(argv[optind], &r.cfg, &r.err, &cfg_errors)) {
        for (size_t i = 0; i < cfg_errors.n; i++) /* every problem of the config, by line */
            cli_print_error(&cfg_errors.v[i]);
        if (!cfg_errors.n)
            cli_print_error(&r.err);
        csa_config_errors_free(&cfg_errors);
        goto done;
    }
    for (size_t i = 0; i < r.nallow; i++) {
        size_t k = 0;
        while (k < r.cfg->ninputs && strcmp(r.cfg->inputs[k].name, r.allow[i]))
            k++;
        if (k == r.cfg->ninputs) {
            status = cli_usage("run", "run: --allow-invalid %s: the config has no "
                                      "[input.%s]", r.allow[i], r.allow[i]);
            goto done;
        }
    }
    if (!r.out_dir)
        r.out_dir = r.cfg->output;
    r.in = rcalloc(&r, r.cfg->ninputs, sizeof *r.in);
    r.reports = rcalloc(&r, r.cfg->nindicators, sizeof *r.reports);
    extra = rcalloc(&r, r.cfg->nindicators, sizeof *extra);
    if (r.nomem || plan_months(&r) || start_digests(&r))
        goto fail;
    if ((status = validate_inputs(&r)) != EXIT_OK || (status = read_inputs(&r)) != EXIT_OK ||
        (status = compute_indicators(&r, extra)) != EXIT_OK) {
        if (r.err.message[0] || r.nomem)
            goto fail;
        goto done;
    }
    csa_assessment a = {
        .title = r.cfg->title, .period = r.cfg->period_label, .comparator = r.cfg->comparator,
        .version = CSA_VERSION, .run_time = csa_run_time(), .config = r.cfg->path,
        .indicators = r.reports, .nindicators = r.cfg->nindicators,
        .findings = r.findings_rows, .method_notes = METHOD_NOTES,
        .nmethod_notes = sizeof METHOD_NOTES / sizeof METHOD_NOTES[0]};
    a.area = r.cfg->la_code ? rfmt(&r, "%s (%s)", r.cfg->area_name, r.cfg->la_code)
                            : rfmt(&r, "%s (%zu LSOAs)", r.cfg->area_name, r.nlsoas);
    if (score_priorities(&r, extra, &a))
        goto fail;
    status = write_outputs(&r, &a);
    if (status != EXIT_OK)
        goto fail;
    if (!r.quiet) {
        fprintf(stderr, "csa run: priorities:");
        for (size_t i = 0; i < a.npriorities; i++)
            fprintf(stderr, "%s %zu. %s (%.2f)", i ? "," : "", a.priorities[i].rank,
                    r.reports[a.priorities[i].indicator].title, a.priorities[i].total);
        char shown[4096]; /* "csa-out", not "data-samples/../csa-out" */
        if (csa_path_relative(".", r.out_dir, shown, sizeof shown, &r.err))
            snprintf(shown, sizeof shown, "%s", r.out_dir);
        fprintf(stderr, "\ncsa run: wrote assessment.xlsx, assessment-pack.pdf, tables, charts "
                        "and manifest.json to %s in %.2f s\n", shown, now() - r.t0);
    }
    status = EXIT_OK;
    goto done;
fail:
    if (r.nomem && !r.err.message[0])
        csa_error_set(&r.err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    cli_print_error(&r.err);
    if (status == EXIT_OK)
        status = EXIT_USAGE;
done:
    csa_digests_free(r.digests); /* first: it borrows paths kept until the end */
    if (r.in)
        for (size_t i = 0; i < r.cfg->ninputs; i++) {
            for (size_t f = 0; r.in[i].checked && f < r.cfg->inputs[i].files.n; f++)
                csa_validation_free(r.in[i].checked[f]);
            csa_validation_free(r.in[i].coverage);
            csa_table_free(r.in[i].table);
        }
    for (size_t i = 0; i < r.ntables; i++)
        csa_table_free(r.tables[i]);
    free(r.tables);
    for (size_t i = 0; i < r.nkeep; i++)
        free(r.keep[i]);
    free(r.keep);
    csa_table_free(r.findings_rows);
    csa_table_free(r.imd);
    csa_table_free(r.pop);
    csa_config_free(r.cfg);
    free(r.allow);
    return status;
}

const cli_command cli_run = {
    .name = "run",
    .summary = "the whole strategic assessment from one config (csa help run)",
    .write_help = csa_config_write_help,
    .run = run_command,
};
