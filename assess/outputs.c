/* Outputs: the CSV tables, charts, workbook, pack and manifest, written
 * through one output folder. */
#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csa/register.h"
#include "csa/thread.h"

#include "internal.h"

/* "violence-by-month" from "Violence by month" after the indicator's
 * title, up to a comma (so a period in the title stays out of the name). */
static const char *slug(csa_assess *r, const char *name, const char *title, const char *prefix)
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
    return as_fmt(r, "%s", buf);
}

static const char *const CHART_KIND[] = {"trend", "spc", "deciles", "areas", "funnel",
                                         "groups", "lorenz", "history", "season", "heat", "map",
                                         "hotspot"};

/* The row accounting's columns, in the order read = the rest added up. */
enum { AS_NROWTERMS = 7 };
#define ROW_TERMS(v)                                                                       \
    AS_WHOLE("Rows read", (v)[0]), AS_WHOLE("Used", (v)[1]),                               \
        AS_WHOLE("No location", (v)[2]), AS_WHOLE("No population", (v)[3]),               \
        AS_WHOLE("Outside area", (v)[4]), AS_WHOLE("Outside period", (v)[5]),             \
        AS_WHOLE("Rejected", (v)[6])

/* Row i of the accounting columns v[0..AS_NROWTERMS): blank when there is
 * none. */
static void row_terms(const csa_row_accounting *a, bool has, double **v, size_t i)
{
    const uint64_t t[AS_NROWTERMS] = {a->read, a->used, a->no_location, a->no_population,
                                      a->outside_area, a->outside_period, a->rejected};
    for (int k = 0; k < AS_NROWTERMS; k++)
        v[k][i] = has ? (double)t[k] : NAN;
}

static const csa_table *summary_table(csa_assess *r, const csa_assessment *a)
{
    size_t n = a->nindicators;
    const char **title = as_calloc(r, n, sizeof *title), **theme = as_calloc(r, n, sizeof *theme);
    const char **unit = as_calloc(r, n, sizeof *unit), **cmp = as_calloc(r, n, sizeof *cmp);
    const char **outcome = as_calloc(r, n, sizeof *outcome), **trend = as_calloc(r, n, sizeof *trend);
    const char **note = as_calloc(r, n, sizeof *note), **change = as_calloc(r, n, sizeof *change);
    const char **with = as_calloc(r, n, sizeof *with);
    enum { NCHANGE = 9 };
    double *v[6 + AS_NROWTERMS + NCHANGE];
    for (int k = 0; k < 6 + AS_NROWTERMS + NCHANGE; k++)
        v[k] = as_calloc(r, n, sizeof *v[k]);
    if (r->nomem)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const csa_indicator_report *p = &a->indicators[i];
        title[i] = p->title, theme[i] = p->theme, unit[i] = p->unit, cmp[i] = p->comparator;
        outcome[i] = csa_outcome_name(p->outcome), trend[i] = p->trend, note[i] = p->note;
        v[0][i] = p->count, v[1][i] = p->denominator, v[2][i] = p->value;
        v[3][i] = p->lower, v[4][i] = p->upper, v[5][i] = p->comparator_value;
        row_terms(&p->rows, p->has_rows, v + 6, i);
        double *c = NULL;
        const double ch[NCHANGE] = {p->count_now, p->count_before, p->value_now,
                                    p->value_before, p->change_value, p->change_percent,
                                    p->ratio, p->ratio_lower, p->ratio_upper};
        for (int k = 0; k < NCHANGE; k++)
            c = v[6 + AS_NROWTERMS + k], c[i] = ch[k];
        change[i] = p->change, with[i] = p->compared_with;
    }
    double **cv = v + 6 + AS_NROWTERMS;
    as_col cols[] = {AS_TEXT("Indicator", title), AS_TEXT("Theme", theme), AS_TEXT("Unit", unit),
                  AS_WHOLE("Count", v[0]), AS_WHOLE("Denominator", v[1]), AS_NUM("Value", v[2]),
                  AS_NUM("Lower 95% CI", v[3]), AS_NUM("Upper 95% CI", v[4]),
                  AS_TEXT("Comparator", cmp), AS_NUM("Comparator value", v[5]),
                  AS_TEXT("Compared with comparator", outcome), AS_TEXT("Trend", trend),
                  AS_TEXT("Change", change), AS_TEXT("Compared with period", with),
                  AS_WHOLE("Count now", cv[0]), AS_WHOLE("Count before", cv[1]),
                  AS_NUM("Value now", cv[2]), AS_NUM("Value before", cv[3]),
                  AS_NUM("Change in value", cv[4]), AS_NUM("Change %", cv[5]),
                  AS_NUM("Rate ratio", cv[6]), AS_NUM("Rate ratio lower 95% CI", cv[7]),
                  AS_NUM("Rate ratio upper 95% CI", cv[8]),
                  AS_TEXT("Note", note), ROW_TERMS(v + 6)};
    return as_table(r, n, cols, sizeof cols / sizeof cols[0]);
}

static const csa_table *priority_table(csa_assess *r, const csa_assessment *a)
{
    size_t n = a->npriorities, nc = a->ncriteria, ncols = 0;
    as_col *cols = as_calloc(r, 3 + 3 * nc, sizeof *cols);
    double *rank = as_calloc(r, n, sizeof *rank), *total = as_calloc(r, n, sizeof *total);
    const char **name = as_calloc(r, n, sizeof *name);
    if (r->nomem)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        rank[i] = (double)a->priorities[i].rank, total[i] = a->priorities[i].total;
        name[i] = a->indicators[a->priorities[i].indicator].title;
    }
    cols[ncols++] = (as_col)AS_WHOLE("Rank", rank);
    cols[ncols++] = (as_col)AS_TEXT("Indicator", name);
    for (size_t k = 0; k < nc; k++) {
        const char **vt = as_calloc(r, n, sizeof *vt);
        double *sc = as_calloc(r, n, sizeof *sc), *w = as_calloc(r, n, sizeof *w);
        if (r->nomem)
            return NULL;
        for (size_t i = 0; i < n; i++) {
            const csa_priority_score *s = &a->priorities[i].scores[k];
            vt[i] = s->value_text, sc[i] = s->score, w[i] = s->weight;
        }
        cols[ncols++] = (as_col)AS_TEXT(as_fmt(r, "%s: value", a->criteria[k].name), vt);
        cols[ncols++] = (as_col)AS_NUM(as_fmt(r, "%s: score", a->criteria[k].name), sc);
        cols[ncols++] = (as_col)AS_NUM(as_fmt(r, "%s: weight", a->criteria[k].name), w);
    }
    cols[ncols++] = (as_col)AS_NUM("Total", total);
    return as_table(r, n, cols, ncols);
}

static const csa_table *quality_table(csa_assess *r, const csa_assessment *a)
{
    size_t n = a->ninputs;
    const char **name = as_calloc(r, n, sizeof *name), **spec = as_calloc(r, n, sizeof *spec);
    const char **covers = as_calloc(r, n, sizeof *covers), **missing = as_calloc(r, n, sizeof *missing);
    const char **excl = as_calloc(r, n, sizeof *excl), **mod = as_calloc(r, n, sizeof *mod);
    double *v[3 + AS_NROWTERMS];
    for (int k = 0; k < 3 + AS_NROWTERMS; k++)
        v[k] = as_calloc(r, n, sizeof *v[k]);
    /* inputs from the submissions register: when they came, against when due */
    const char **received = as_calloc(r, n, sizeof *received), **due = as_calloc(r, n, sizeof *due);
    double *late = as_calloc(r, n, sizeof *late);
    bool any_received = false;
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
        mod[i] = p->received ? NULL : as_fmt(r, "%s", buf); /* a stored copy's time says nothing */
        any_received |= p->received != 0;
        if (p->received) {
            time_t t = p->received;
            gmtime_r(&t, &tm);
            strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
            received[i] = as_fmt(r, "%s", buf);
            char day[CSA_DATE_TEXT_MAX];
            csa_format_date(p->due, false, day);
            due[i] = as_fmt(r, "%s", day);
            late[i] = p->days_late;
        } else {
            late[i] = NAN;
        }
        v[0][i] = (double)p->nfiles, v[1][i] = (double)p->errors;
        v[2][i] = (double)p->warnings;
        row_terms(&p->rows, true, v + 3, i);
    }
    as_col cols[] = {AS_TEXT("Input", name), AS_TEXT("Spec", spec), AS_WHOLE("Files", v[0]),
                  ROW_TERMS(v + 3), AS_WHOLE("Errors", v[1]), AS_WHOLE("Warnings", v[2]),
                  AS_TEXT("Covers", covers), AS_TEXT("Months missing", missing),
                  AS_TEXT("Last modified (UTC)", mod), AS_TEXT("Excluded", excl),
                  AS_TEXT("Received (UTC)", received), AS_TEXT("Due", due),
                  AS_WHOLE("Days late", late)};
    /* the register's columns only when an input comes from it */
    return as_table(r, n, cols, sizeof cols / sizeof cols[0] - (any_received ? 0 : 3));
}

/* ---- outputs ---- */

/* The inputs' SHA-256 for the manifest, worked out on a thread of its own
 * while the run validates and reads them. */

static csa_status write_csv(csa_assess *r, csa_outdir *od, const char *name,
                            const csa_table *t, int decimals)
{
    const char *tmp;
    if (!t || !name)
        return CSA_ERR_NOMEM;
    csa_status st = csa_outdir_add(od, name, &tmp, &r->err);
    return st ? st : csa_write_csv(t, decimals, tmp, &r->err);
}

/* Findings name their files as seen from the output folder. */
static const csa_table *findings_table(csa_assess *r)
{
    const csa_table *ft = r->findings_rows;
    size_t nf = csa_table_nrows(ft);
    const char **fcol[8];
    as_col fcols[8];
    for (size_t j = 0; j < 8; j++) {
        const char *name = csa_table_column_name(ft, j);
        if (csa_table_column_type(ft, j) == CSA_INT64) { /* line, column */
            double *d = as_calloc(r, nf, sizeof *d);
            if (!d)
                return NULL;
            for (size_t row = 0; row < nf; row++)
                d[row] = as_cell(ft, j, row);
            fcols[j] = (as_col)AS_WHOLE(name, d);
            fcol[j] = NULL;
            continue;
        }
        if (!(fcol[j] = as_calloc(r, nf, sizeof *fcol[j])))
            return NULL;
        for (size_t row = 0; row < nf; row++)
            fcol[j][row] = as_text(ft, j, row);
        fcols[j] = (as_col)AS_TEXT(name, fcol[j]);
    }
    for (size_t row = 0; row < nf; row++) {
        char frel[4096];
        if (fcol[1][row] && !csa_path_relative(r->out_dir, fcol[1][row], frel, sizeof frel,
                                               &r->err))
            fcol[1][row] = as_fmt(r, "%s", frel);
    }
    return as_table(r, nf, fcols, 8);
}

static csa_status write_summary(csa_assess *r, csa_outdir *od)
{
    csa_assessment *a = &r->result;
    csa_status st;
    if (!(a->findings = findings_table(r)))
        return CSA_ERR_NOMEM;
    if ((st = write_csv(r, od, "summary.csv", summary_table(r, a), 4)) ||
        (st = write_csv(r, od, "priorities.csv", priority_table(r, a), 2)))
        return st;
    return write_csv(r, od, "findings.csv", a->findings, 0);
}

/* Each indicator's tables as CSV and its charts as PNG and SVG: the
 * outputs named in order, then the charts drawn together. */
static csa_status write_indicators(csa_assess *r, csa_outdir *od)
{
    const csa_assessment *a = &r->result;
    size_t ncharts = 0, total = 0;
    csa_status st = CSA_OK;
    for (size_t i = 0; i < a->nindicators; i++)
        total += a->indicators[i].ncharts;
    csa_chart_file *files = as_calloc(r, total ? total : 1, sizeof *files);
    if (!files)
        return CSA_ERR_NOMEM;
    for (size_t i = 0; i < a->nindicators && !st; i++) {
        const csa_indicator_report *p = &a->indicators[i];
        for (size_t t = 0; t < p->ntables && !st; t++)
            st = write_csv(r, od, as_fmt(r, "%s.csv", slug(r, p->name, p->tables[t].title,
                                                          p->title)),
                           p->tables[t].table, 4);
        for (size_t g = 0; g < p->ncharts && !st; g++, ncharts++) {
            const char *base = p->charts[g].name ? p->charts[g].name
                               : as_fmt(r, "%s-%s", p->name, CHART_KIND[p->charts[g].kind]);
            const char *png = as_fmt(r, "%s.png", base), *svg = as_fmt(r, "%s.svg", base);
            if (r->nomem)
                return CSA_ERR_NOMEM;
            csa_chart_file *f = &files[ncharts];
            /* every SVG at the web page's size, which the page then uses
             * (a map's kept in memory, the others' read back) rather than
             * drawing each chart once more */
            *f = (csa_chart_file){.chart = &p->charts[g], .png_width = 1200, .png_height = 750,
                                  .svg_width = CSA_WEB_CHART_WIDTH,
                                  .svg_height = CSA_WEB_CHART_HEIGHT};
            if (!(st = csa_outdir_add(od, png, &f->png_path, &r->err)))
                st = csa_outdir_add(od, svg, &f->svg_path, &r->err);
        }
    }
    for (size_t k = 0; k < r->ncsv_only && !st; k++)
        st = write_csv(r, od, r->csv_only_file[k], r->csv_only[k], 6);
    if (!st) {
        as_progress(r, "drawing charts", 0, total);
        st = csa_chart_files(files, ncharts, &r->err);
        /* what the maps kept is the run's to free; the files are the
         * page's (the charts are the run's, made by the kinds: the pack's
         * thread reads none of these fields) */
        for (size_t k = 0; k < ncharts; k++) {
            csa_chart *ch = (csa_chart *)files[k].chart;
            if (!st)
                ch->svg_file = files[k].svg_path, ch->svg_file_width = files[k].svg_width,
                ch->svg_file_height = files[k].svg_height;
            csa_chart_kept *kept = files[k].chart->kept;
            if (kept && kept->png)
                as_keep(r, kept->png);
            if (kept && kept->svg)
                as_keep(r, kept->svg);
        }
    }
    if (!st)
        as_stage(r, "wrote the CSV tables and %zu charts (PNG and SVG)", ncharts);
    return st;
}

/* The digests worked out by this run, for the next (csa/register.h), of
 * the files still as they were when looked up. */
static csa_status remember_digests(csa_assess *r)
{
    size_t n = 0;
    const csa_config *c = r->cfg;
    for (size_t i = 0; i < c->ninputs; i++)
        n += c->inputs[i].files.n;
    const char **paths = as_calloc(r, n, sizeof *paths), **hex = as_calloc(r, n, sizeof *hex);
    if (!r->reg || !n)
        return CSA_OK;
    if (!paths || !hex)
        return CSA_ERR_NOMEM;
    bool any = false;
    for (size_t k = 0; k < n; k++) {
        const struct stat *was = &r->file_stat[k];
        struct stat now;
        paths[k] = r->manifest[k].path;
        if (r->digest_known[k] || stat(paths[k], &now) != 0 || now.st_dev != was->st_dev ||
            now.st_ino != was->st_ino || now.st_size != was->st_size ||
            now.st_mtim.tv_sec != was->st_mtim.tv_sec ||
            now.st_mtim.tv_nsec != was->st_mtim.tv_nsec)
            continue;
        hex[k] = r->manifest[k].sha256;
        any = true;
    }
    csa_error err = {0};
    if (any && csa_register_remember_digests(r->reg, paths, r->file_stat, hex, n, &err))
        as_message(r, "warning: %s: %s (the digests are not kept for the next run)", err.file,
                   err.message);
    return CSA_OK;
}

/* The inputs as the workbook and pack show them (paths relative to the
 * output folder, with their digests), and the data-quality table. */
static csa_status write_quality(csa_assess *r, csa_outdir *od)
{
    const csa_config *c = r->cfg;
    csa_assessment *a = &r->result;
    csa_status st = csa_digests_wait(r->digests, &r->err);
    csa_input_report *ir = as_calloc(r, c->ninputs, sizeof *ir);
    if (st || !ir)
        return st ? st : CSA_ERR_NOMEM;
    for (size_t i = 0, k = 0; i < c->ninputs; i++) {
        const as_input *s = &r->in[i];
        size_t n = c->inputs[i].files.n;
        const char **files = as_calloc(r, n, sizeof *files);
        uint64_t *rows = as_calloc(r, n, sizeof *rows);
        if (!files || !rows)
            return CSA_ERR_NOMEM;
        for (size_t f = 0; f < n; f++, k++) {
            char rel[4096];
            if ((st = csa_path_relative(r->out_dir, c->inputs[i].files.v[f], rel, sizeof rel,
                                        &r->err)))
                return st;
            files[f] = as_fmt(r, "%s", rel);
            rows[f] = s->checked[f]->rows;
            s->sha256[f] = csa_digests_hex(r->digests, k, &s->bytes[f]);
            r->manifest[k].sha256 = s->sha256[f], r->manifest[k].bytes = s->bytes[f];
        }
        ir[i] = (csa_input_report){
            .name = c->inputs[i].name, .spec = c->inputs[i].spec->name, .nfiles = n,
            .files = files, .bytes = s->bytes, .sha256 = s->sha256, .modified = s->modified,
            .file_rows = rows, .errors = s->errors,
            .warnings = s->warnings, .covers = s->covers, .missing = s->missing,
            .excluded = s->excluded, .received = (time_t)c->inputs[i].received,
            .due = c->inputs[i].due,
            .days_late = c->inputs[i].received ? csa_days_late(c->inputs[i].received,
                                                               c->inputs[i].due) : 0};
        /* an input left out: every row of it is rejected */
        ir[i].rows = s->excluded ? (csa_row_accounting){.read = s->rows_read,
                                                        .rejected = s->rows_read}
                                 : (csa_row_accounting){
                                       .read = s->rows_read, .used = s->accepted,
                                       .no_location = s->no_location,
                                       .no_population = s->no_population,
                                       .outside_area = s->outside_area,
                                       .outside_period = s->outside_period,
                                       .rejected = s->rejected};
    }
    a->inputs = ir, a->ninputs = c->ninputs;
    if ((st = remember_digests(r)))
        return st;
    return write_csv(r, od, "data-quality.csv", quality_table(r, a), 0);
}

static csa_status write_workbook(csa_assess *r, csa_outdir *od)
{
    const char *tmp;
    csa_status st = csa_outdir_add(od, "assessment.xlsx", &tmp, &r->err);
    return st ? st : csa_write_assessment_xlsx(&r->result, tmp, &r->err);
}

/* The pack, the longest writer, is drawn into memory on a thread of its
 * own beside the charts, the workbook and the page (they share only the
 * finished figures, read-only), and written last, here, so that the
 * outputs are written in the same order every run. */
typedef struct {
    const csa_assessment *a;
    char *pdf;
    size_t size;
    csa_error err;
    csa_status status;
    double seconds;
} pack_job;

static void *draw_pack(void *arg)
{
    pack_job *j = arg;
    double t0 = as_now();
    j->status = csa_write_assessment_pdf_memory(j->a, &j->pdf, &j->size, &j->err);
    j->seconds = as_now() - t0;
    return NULL;
}

/* Joins the pack's thread (when it had one) and writes the pack, unless
 * st says a writer beside it failed. */
static csa_status write_pack(csa_assess *r, csa_outdir *od, pack_job *j, pthread_t tid,
                             bool thread, csa_status st)
{
    if (thread)
        pthread_join(tid, NULL);
    const char *path;
    if (!st && j->status)
        r->err = j->err, st = j->status;
    if (!st && !(st = csa_outdir_add(od, "assessment-pack.pdf", &path, &r->err)) &&
        !(st = csa_write_bytes(path, j->pdf, j->size, &r->err)))
        as_stage_took(r, j->seconds, "wrote assessment-pack.pdf");
    free(j->pdf);
    return st;
}

static csa_status write_page(csa_assess *r, csa_outdir *od)
{
    const char *tmp;
    csa_status st = csa_outdir_add(od, "assessment.html", &tmp, &r->err);
    return st ? st : csa_write_assessment_html(&r->result, tmp, &r->err);
}

/* The outputs of a run, in the order they are written (the pack's started
 * once the data-quality figures it shows are there): adding an output is
 * a writer and a row. */
static const struct {
    csa_status (*write)(csa_assess *r, csa_outdir *od);
    const char *done; /* the stage line when it is, or NULL */
    unsigned format;  /* the CSA_FORMAT_* it is written for, or 0: always */
} WRITERS[] = {
    {write_summary, NULL, 0},
    {write_quality, NULL, 0},
    {write_indicators, NULL, 0},
    {write_workbook, "wrote assessment.xlsx", 0},
    {write_page, "wrote assessment.html", CSA_FORMAT_HTML},
};

csa_status as_write_outputs(csa_assess *r)
{
    const csa_config *c = r->cfg;
    csa_outdir *od = NULL;
    size_t nfiles = 0, k = 0;
    for (size_t i = 0; i < c->ninputs; i++)
        nfiles += c->inputs[i].files.n;
    if (!(r->manifest = as_calloc(r, nfiles, sizeof *r->manifest)))
        return CSA_ERR_NOMEM;
    for (size_t i = 0; i < c->ninputs; i++)
        for (size_t f = 0; f < c->inputs[i].files.n; f++)
            r->manifest[k++] = (csa_manifest_input){.path = c->inputs[i].files.v[f],
                                                    .spec = c->inputs[i].spec->name,
                                                    .rows = r->in[i].checked[f]->rows};
    char rel[4096];
    csa_status st = csa_outdir_open(r->out_dir, &od, &r->err);
    if (!st && !(st = csa_path_relative(r->out_dir, c->path, rel, sizeof rel, &r->err)))
        r->result.config = as_fmt(r, "%s", rel);
    unsigned formats = r->opt.formats ? r->opt.formats : CSA_FORMAT_ALL;
    pack_job pack = {.a = &r->result};
    pthread_t pack_tid;
    bool pack_begun = false, pack_thread = false;
    for (size_t w = 0; w < sizeof WRITERS / sizeof WRITERS[0] && !st; w++) {
        if (WRITERS[w].format && !(WRITERS[w].format & formats))
            continue;
        /* the pack from when the data-quality figures it shows are there */
        if (WRITERS[w].write == write_indicators && (formats & CSA_FORMAT_PDF)) {
            pack_begun = true;
            if (!(pack_thread = csa_thread_start(&pack_tid, draw_pack, &pack)))
                draw_pack(&pack); /* no thread to be had: drawn here */
        }
        st = WRITERS[w].write(r, od);
        if (!st && r->nomem)
            st = CSA_ERR_NOMEM;
        if (!st && WRITERS[w].done)
            as_stage(r, "%s", WRITERS[w].done);
    }
    if (pack_begun)
        st = write_pack(r, od, &pack, pack_tid, pack_thread, st);
    if (!st)
        st = csa_outdir_manifest(od, "run", r->manifest, nfiles, &r->err);
    if (!st)
        st = csa_outdir_commit(od, &r->err);
    if (st && od)
        csa_outdir_name_error(od, &r->err);
    /* the SVG files' staged paths die with the output folder */
    for (size_t i = 0; i < c->nindicators; i++)
        for (size_t g = 0; g < r->reports[i].ncharts; g++)
            ((csa_chart *)&r->reports[i].charts[g])->svg_file = NULL;
    csa_outdir_free(od);
    return st;
}
