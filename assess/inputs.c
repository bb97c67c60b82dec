/* Inputs: every file validated, read by its kind, its rows accounted for. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csa/file.h"
#include "csa/month.h"
#include "csa/register.h"
#include "csa/thread.h"

#include "internal.h"

static bool allowed(const csa_assess *r, const char *name)
{
    for (size_t i = 0; i < r->opt.nallow_invalid; i++)
        if (!strcmp(r->opt.allow_invalid[i], name))
            return true;
    return false;
}

/* Errors and warnings: notes (expected things, such as police.uk's
 * anti-social behaviour rows having no Crime ID) would bury them. */
static csa_status add_finding(csa_assess *r, const char *input, const csa_finding *f)
{
    if (f->severity == CSA_NOTE)
        return CSA_OK;
    const csa_error *w = &f->where;
    const char *sev = csa_severity_name(f->severity);
    const char *texts[8] = {input, w->file, NULL, NULL, f->check, sev, w->value, w->message};
    csa_value v[8];
    for (int c = 0; c < 8; c++) {
        const char *s = texts[c] ? texts[c] : "";
        v[c] = (csa_value){.missing = !*s, .v.str = {s, strlen(s)}};
    }
    /* line and column are numbers (0: not known), so they sort and filter */
    v[2] = (csa_value){.missing = !w->line, .v.i = (int64_t)w->line};
    v[3] = (csa_value){.missing = !w->column, .v.i = (int64_t)w->column};
    if (csa_table_append_row(r->findings_rows, v, NULL)) {
        r->nomem = true;
        return CSA_ERR_NOMEM;
    }
    return CSA_OK;
}

/* The first errors of an input, for the analyst: all of them are in
 * findings.csv and `csa validate` lists them. */
enum { SHOW_ERRORS = 10 };

static void tell_findings(const csa_assess *r, const char *input, const csa_validation *v,
                          size_t *shown)
{
    for (size_t i = 0; i < v->nfindings && *shown < SHOW_ERRORS; i++) {
        const csa_finding *f = &v->findings[i];
        if (f->severity != CSA_ERROR)
            continue;
        char buf[CSA_ERROR_FILE_MAX + CSA_ERROR_MESSAGE_MAX + 64];
        as_message(r, "[input.%s] %s [%s]", input, csa_error_format(&f->where, buf, sizeof buf),
                   f->check);
        (*shown)++;
    }
}

/* Validates every file of every input. An input with errors that is not
 * allowed to be invalid stops the run: CSA_ERR_VALUE with the errors told
 * and r->err's message left empty. */
/* The first month a monthly input's rows are checked from: the comparison
 * period's when it runs on into the period (a year against the year
 * before), so that its rows are no rows "outside the period" and its
 * missing months are found as the period's are. Months between a
 * shorter period and its comparison are needed by neither, and the check
 * runs over one run of months: there it is the period's, and the run
 * itself names the comparison's missing months. */
static int32_t checked_from(const csa_config *c)
{
    int32_t first = c->compare_with == CSA_COMPARE_PREVIOUS_YEAR ? csa_month_add(c->period_first, -12)
                    : c->compare_with == CSA_COMPARE_PERIOD     ? c->compare_first
                                                                : c->period_first;
    int32_t last = c->compare_with == CSA_COMPARE_PERIOD ? c->compare_last
                                                         : csa_month_add(c->period_last, -12);
    return csa_month_add(last, 1) == c->period_first ? first : c->period_first;
}

csa_validate_options as_validate_options(const csa_config *c, size_t i, size_t nfiles)
{
    const csa_config_input *ci = &c->inputs[i];
    const csa_kind *kind = csa_kind_for_spec(ci->spec->name);
    bool monthly = kind && kind->monthly;
    return (csa_validate_options){.spec = ci->spec, .has_period = monthly,
                                  .period_first = checked_from(c),
                                  .period_last = c->period_last,
                                  /* the months before it the run charts */
                                  .history_first = csa_month_add(c->period_last,
                                                                 1 - AS_MAX_MONTHS),
                                  .coverage_across_files = monthly,
                                  .keep_ids = nfiles > 1,
                                  /* small counts are flagged where the run
                                   * suppresses them, personal inputs'; 1:
                                   * none (the run publishes the others') */
                                  .disclosure_threshold =
                                      ci->personal ? (int64_t)c->suppress_below : 1};
}

/* The boundaries read beside validation against the area's LSOAs as
 * as_area_ahead knows them; as_read_boundaries takes the shapes when its
 * own lists are the same. The lists are the run's, only read here. */
struct as_early_shapes {
    const char *path;
    const as_ahead *ahead;
    csa_shapes *shapes;
    csa_validation *v;
    bool read;
};

static void early_free(struct as_early_shapes *e)
{
    csa_shapes_free(e->shapes);
    csa_validation_free(e->v);
    free(e);
}

static void read_early(struct as_early_shapes *e)
{
    const as_ahead *a = e->ahead;
    csa_error err;
    csa_boundary_options bo = {.expect = (const char *const *)a->area, .nexpect = a->narea,
                               .other_vintage = (const char *const *)a->other,
                               .nother_vintage = a->nother};
    e->read = a->narea && csa_read_boundaries(e->path, &bo, &e->shapes, &e->v, &err) == CSA_OK;
}

/* A boundary file larger than this (a nation's LSOAs rather than an
 * area's) is read when the area is known, as before, so that a run which
 * stops at validation does not wait seconds for it first. */
#define EARLY_SHAPES_MAX (32 << 20)

/* The early read, when the file is an area's and the area's LSOAs can be
 * known ahead; NULL otherwise. */
static struct as_early_shapes *plan_early(csa_assess *r)
{
    const csa_config_input *bi = &r->cfg->inputs[r->cfg->boundaries];
    struct stat sb;
    if (bi->files.n != 1 || stat(bi->files.v[0], &sb) != 0 || sb.st_size > EARLY_SHAPES_MAX)
        return NULL;
    const as_ahead *a = as_area_ahead(r);
    struct as_early_shapes *e = a ? calloc(1, sizeof *e) : NULL;
    if (e)
        *e = (struct as_early_shapes){.path = bi->files.v[0], .ahead = a};
    return e;
}

static void *load_geo(void *arg)
{
    csa_geo_load();
    if (arg)
        read_early(arg);
    return NULL;
}

void as_geo_wait(csa_assess *r)
{
    if (r->geo_loading)
        pthread_join(r->geo_loader, NULL);
    r->geo_loading = false;
}

void as_geo_free(csa_assess *r)
{
    as_geo_wait(r);
    if (r->early)
        early_free(r->early);
    r->early = NULL;
}

/* Whether the list is the early read's, code by code. */
static bool same_list(char *const *a, size_t na, const char *const *b, size_t nb)
{
    for (size_t k = 0; na == nb && k < na; k++)
        if (strcmp(a[k], b[k]))
            return false;
    return na == nb;
}

static bool is_lookup(const csa_config *c, size_t i);
static bool is_denominator(const csa_config *c, size_t i);

/* Whether anything of the config reads input i: an indicator, a lookup,
 * a denominator or a key of [assessment]. */
static bool is_used(const csa_config *c, size_t i)
{
    for (size_t k = 0; k < c->nindicators; k++)
        if (c->indicators[k].input == i)
            return true;
    return i == c->deprivation || i == c->population || i == c->lsoa_lookup ||
           i == c->higher_area || i == c->boundaries || is_lookup(c, i) || is_denominator(c, i);
}

csa_status as_validate_inputs(csa_assess *r)
{
    const csa_config *c = r->cfg;
    /* an input no indicator names is read all the same (its rows are
     * accounted for, and a monthly input's months and a police input's map
     * points count in the timeline and the maps' checks), but the analyst
     * is told: the indicator they expected of it is not in the assessment */
    for (size_t i = 0; i < c->ninputs; i++) {
        if (is_used(c, i))
            continue;
        const char *partner = NULL;
        for (size_t q = 0; q < c->npartners && !partner; q++)
            for (size_t j = 0; j < c->partners[q].inputs.n && !partner; j++)
                if (!strcmp(c->partners[q].inputs.v[j], c->inputs[i].name))
                    partner = c->partners[q].name;
        as_message(r, "warning: [input.%s] is not used: no indicator, lookup or key of "
                   "[assessment] names it, so no indicator comes from it (it is read and "
                   "checked all the same): name it in an indicator's input =, or remove it%s%s%s",
                   c->inputs[i].name, partner ? " and its name from [partner." : "",
                   partner ? partner : "", partner ? "]'s inputs" : "");
    }
    /* the maps' GDAL loaded while the inputs are validated, and their
     * boundaries read */
    if (c->boundaries != SIZE_MAX) {
        r->early = plan_early(r);
        r->geo_loading = csa_thread_start(&r->geo_loader, load_geo, r->early);
    }
    static const char *const names[8] = {"Input", "File", "Line", "Column", "Check",
                                         "Severity", "Value", "Message"};
    if (!(r->findings_rows = csa_table_create()))
        return CSA_ERR_NOMEM;
    for (int k = 0; k < 8; k++)
        if (csa_table_add_column(r->findings_rows, names[k],
                                 k == 2 || k == 3 ? CSA_INT64 : CSA_STRING))
            return CSA_ERR_NOMEM;
    size_t nfiles = 0, done = 0;
    for (size_t i = 0; i < c->ninputs; i++)
        nfiles += c->inputs[i].files.n;
    csa_status status = CSA_OK;
    uint64_t rows = 0;
    for (size_t i = 0; i < c->ninputs; i++) {
        const csa_config_input *ci = &c->inputs[i];
        as_input *s = &r->in[i];
        const csa_kind *kind = csa_kind_for_spec(ci->spec->name);
        bool monthly = kind && kind->monthly;
        /* several files are checked as a set: rows given twice (the
         * identifiers kept for it), and months over the set when monthly */
        bool set = monthly || ci->files.n > 1;
        csa_validate_options vo = as_validate_options(c, i, ci->files.n);
        /* a long history of big files is read once: its kind names the
         * columns it keeps (as_ingest_roles), and each file is ingested as
         * it is validated */
        csa_ingest_sink *sink = NULL;
        if (monthly) {
            s->planning = true;
            csa_status st = kind->read(r, i);
            s->planning = false;
            if (st)
                return st;
            if (s->read_once && !(sink = as_calloc(r, 1, sizeof *sink)))
                return CSA_ERR_NOMEM;
            /* a police history keeps the rows of the area and comparator */
            if (s->read_once && kind == &csa_kind_police && (st = as_plan_thinning(r, i)))
                return st;
        }
        s->checked = as_calloc(r, ci->files.n, sizeof *s->checked);
        s->bytes = as_calloc(r, ci->files.n, sizeof *s->bytes);
        s->sha256 = as_calloc(r, ci->files.n, sizeof *s->sha256);
        s->modified = as_calloc(r, ci->files.n, sizeof *s->modified);
        if (r->nomem)
            return CSA_ERR_NOMEM;
        for (size_t f = 0; f < ci->files.n; f++) {
            as_progress(r, "validating", done++, nfiles);
            struct stat sb;
            csa_source src;
            if (stat(ci->files.v[f], &sb) != 0 ||
                csa_source_open_file(&src, ci->files.v[f], &r->err)) {
                if (!r->err.message[0])
                    csa_error_set(&r->err, CSA_ERR_IO, ci->files.v[f], 0, 0, NULL, NULL,
                                  "cannot read [input.%s] file: %s", ci->name, strerror(errno));
                return r->err.status;
            }
            s->modified[f] = sb.st_mtime;
            if (!strcmp(ci->spec->name, "boundaries")) {
                csa_source_close(&src);
                /* the maps' are read against the area: as_read_boundaries */
                if (i == c->boundaries) {
                    if (!(s->checked[f] = calloc(1, sizeof *s->checked[f])))
                        return CSA_ERR_NOMEM;
                    continue;
                }
                as_geo_wait(r); /* GDAL on one thread at a time */
                csa_status st = csa_read_boundaries(ci->files.v[f], NULL, NULL, &s->checked[f],
                                                    &r->err);
                if (st)
                    return st;
                const csa_validation *v = s->checked[f];
                s->rows_read += v->rows, s->errors += v->errors, s->warnings += v->warnings;
                for (size_t k = 0; k < v->nfindings; k++)
                    if (add_finding(r, ci->name, &v->findings[k]))
                        return CSA_ERR_NOMEM;
                continue;
            }
            /* after a file ingest fails, the files after it are not read */
            vo.ingest = sink && !s->read_status ? sink : NULL;
            if (vo.ingest)
                *sink = (csa_ingest_sink){.opt = s->read_opt, .table = s->table};
            size_t before = vo.ingest ? csa_table_nrows(s->table) : 0;
            csa_status st = csa_validate(&src, &vo, &s->checked[f], &r->err);
            csa_source_close(&src);
            if (st)
                return st;
            if (vo.ingest) {
                s->rejected += sink->stats.rows_rejected;
                if ((s->read_status = sink->status))
                    s->read_err = sink->err;
                else if ((st = as_thin_rows(r, i, before)))
                    return st;
            }
            const csa_validation *v = s->checked[f];
            s->rows_read += v->rows;
            s->errors += v->errors;
            s->warnings += v->warnings;
            for (size_t k = 0; k < v->nfindings; k++)
                if (add_finding(r, ci->name, &v->findings[k]))
                    return CSA_ERR_NOMEM;
        }
        if (set) {
            if (csa_validate_set((const csa_validation *const *)s->checked,
                                 (const char *const *)ci->files.v,
                                 ci->files.n, &vo, &s->coverage, &r->err))
                return r->err.status;
            const csa_validation *cv = s->coverage;
            for (size_t k = 0; k < cv->nfindings; k++)
                if (add_finding(r, ci->name, &cv->findings[k]))
                    return CSA_ERR_NOMEM;
            /* the set's totals include the files': its own are its checks */
            for (size_t k = 0; k < cv->nchecks; k++) {
                s->errors += cv->checks[k].severity == CSA_ERROR ? cv->checks[k].count : 0;
                s->warnings += cv->checks[k].severity == CSA_WARNING ? cv->checks[k].count : 0;
            }
            for (size_t f = 0; f < ci->files.n; f++)
                csa_validation_drop_ids(s->checked[f]);
        }
        rows += s->rows_read;
        if (!s->errors)
            continue;
        size_t shown = 0;
        if (s->coverage)
            tell_findings(r, ci->name, s->coverage, &shown);
        for (size_t f = 0; f < ci->files.n; f++)
            tell_findings(r, ci->name, s->checked[f], &shown);
        if (s->errors > shown)
            as_message(r, "[input.%s] %zu more errors (csa validate --spec %s lists them all)",
                       ci->name, s->errors - shown, ci->spec->name);
        if (allowed(r, ci->name) && i != c->deprivation && i != c->population) {
            s->excluded = true;
            csa_table_free(s->table); /* read as it was validated: not used */
            s->table = NULL;
            as_message(r, "warning: [input.%s] has %zu error%s and is left out "
                          "(--allow-invalid); the outputs it affects say so",
                       ci->name, s->errors, s->errors == 1 ? "" : "s");
        } else {
            as_message(r, "[input.%s] has %zu error%s: the run stops%s", ci->name, s->errors,
                       s->errors == 1 ? "" : "s", i == c->deprivation || i == c->population
                           ? " (the area's LSOAs and residents come from it)"
                           : "; fix the file or leave the input out with --allow-invalid");
            status = CSA_ERR_VALUE;
        }
    }
    csa_table_freeze(r->findings_rows);
    uint64_t thinned = 0;
    for (size_t i = 0; i < c->ninputs; i++)
        thinned += as_thinned_rows(&r->in[i]);
    char counted[32];
    csa_format_number((double)thinned, 0, counted, sizeof counted);
    as_stage(r, "validated %zu inputs, %zu files, %llu rows%s", c->ninputs, nfiles,
             (unsigned long long)rows,
             thinned ? as_fmt(r, "; %s police rows outside the area%s counted, not kept",
                              counted, c->comparator_areas.n ? " and the comparator's LAs" : "")
                     : "");
    return status;
}

/* The boundaries input, read once the area is known: every LSOA of the
 * area needs its shape, of the area's vintage. */
csa_status as_read_boundaries(csa_assess *r)
{
    const csa_config *c = r->cfg;
    as_geo_wait(r);
    size_t i = c->boundaries;
    const csa_config_input *ci = &c->inputs[i];
    as_input *s = &r->in[i];
    if (ci->files.n != 1)
        return csa_error_set(&r->err, CSA_ERR_USAGE, c->path, (uint64_t)ci->line, 0, "files",
                             NULL, "[input.%s] must be one boundary file (a Shapefile is its "
                             ".shp, with its .shx, .dbf and .prj beside it)", ci->name);
    const char **expect = as_calloc(r, r->nlsoas ? r->nlsoas : 1, sizeof *expect);
    if (!expect)
        return CSA_ERR_NOMEM;
    for (size_t l = 0; l < r->nlsoas; l++)
        expect[l] = r->lsoas[l].code;
    /* 2021 codes that are no LSOA of the deprivation input: another vintage */
    const char **other = NULL;
    size_t nother = 0;
    if (r->vintages) {
        size_t col = as_role(r->vintages, c->inputs[c->lsoa_lookup].spec, CSA_ROLE_AREA);
        size_t imd_col = as_role(r->imd, c->inputs[c->deprivation].spec, CSA_ROLE_LSOA);
        const csa_dict *now = csa_table_dict(r->vintages, col);
        if (!(other = as_calloc(r, csa_dict_size(now) + 1, sizeof *other)))
            return CSA_ERR_NOMEM;
        nother = as_other_vintage(now, csa_table_dict(r->imd, imd_col), other);
    }
    csa_boundary_options bo = {.expect = expect, .nexpect = r->nlsoas, .other_vintage = other,
                               .nother_vintage = nother};
    csa_shapes *shapes = NULL;
    csa_validation *v = NULL;
    struct as_early_shapes *e = r->early;
    csa_status st = CSA_OK;
    if (e && e->read && same_list(e->ahead->area, e->ahead->narea, expect, r->nlsoas) &&
        same_list(e->ahead->other, e->ahead->nother, other, nother)) {
        shapes = e->shapes, v = e->v; /* read against these lists already */
        e->shapes = NULL, e->v = NULL;
    } else if ((st = csa_read_boundaries(ci->files.v[0], &bo, &shapes, &v, &r->err))) {
        return st;
    }
    as_geo_free(r);
    csa_validation_free(s->checked[0]);
    s->checked[0] = v;
    s->rows_read = v->rows;
    s->errors = v->errors, s->warnings = v->warnings;
    for (size_t k = 0; k < v->nchecks; k++)
        if (!strcmp(v->checks[k].check, "outside-area"))
            s->outside_area = v->checks[k].count;
    s->accepted = v->errors ? 0 : shapes->n;
    s->rejected = s->rows_read - s->accepted - s->outside_area;
    /* findings.csv was frozen with the other inputs' findings: thawed by a copy */
    csa_table *findings = csa_table_create();
    for (size_t k = 0; findings && k < csa_table_ncols(r->findings_rows); k++)
        if (csa_table_add_column(findings, csa_table_column_name(r->findings_rows, k),
                                 csa_table_column_type(r->findings_rows, k))) {
            csa_table_free(findings);
            findings = NULL;
        }
    if (!findings || csa_table_append_table(findings, r->findings_rows)) {
        csa_table_free(findings);
        csa_shapes_free(shapes);
        return CSA_ERR_NOMEM;
    }
    csa_table_free(r->findings_rows);
    r->findings_rows = findings;
    for (size_t k = 0; k < v->nfindings; k++)
        if (add_finding(r, ci->name, &v->findings[k])) {
            csa_shapes_free(shapes);
            return CSA_ERR_NOMEM;
        }
    csa_table_freeze(r->findings_rows);
    if (v->errors) {
        size_t shown = 0;
        tell_findings(r, ci->name, v, &shown);
        if (v->errors > shown)
            as_message(r, "[input.%s] %llu more errors (csa validate --spec boundaries lists "
                       "them all)", ci->name, (unsigned long long)(v->errors - shown));
        csa_shapes_free(shapes);
        if (!allowed(r, ci->name)) {
            as_message(r, "[input.%s] has %llu error%s: the run stops; fix the file or leave "
                       "the input out with --allow-invalid (no maps)", ci->name,
                       (unsigned long long)v->errors, v->errors == 1 ? "" : "s");
            return CSA_ERR_VALUE;
        }
        s->excluded = true;
        as_message(r, "warning: [input.%s] has %llu error%s and is left out (--allow-invalid): "
                   "the pack has no maps", ci->name, (unsigned long long)v->errors,
                   v->errors == 1 ? "" : "s");
        return CSA_OK;
    }
    /* the shapes in the order of the area's LSOAs: every one has one */
    csa_shapes *o = as_calloc(r, 1, sizeof *o);
    size_t *at = as_calloc(r, r->nlsoas + 1, sizeof *at);
    if (o) {
        o->n = r->nlsoas, o->nrings = shapes->nrings, o->npoints = shapes->npoints;
        o->code = as_calloc(r, o->n + 1, sizeof *o->code);
        o->name = as_calloc(r, o->n + 1, sizeof *o->name);
        o->feature = as_calloc(r, o->n + 1, sizeof *o->feature);
        o->ring_first = as_calloc(r, o->n + 1, sizeof *o->ring_first);
        o->point_first = as_calloc(r, o->nrings + 1, sizeof *o->point_first);
        o->x = as_calloc(r, o->npoints + 1, sizeof *o->x);
        o->y = as_calloc(r, o->npoints + 1, sizeof *o->y);
        o->code_property = shapes->code_property ? as_fmt(r, "%s", shapes->code_property) : NULL;
    }
    if (r->nomem || !at) {
        csa_shapes_free(shapes);
        return CSA_ERR_NOMEM;
    }
    for (size_t k = 0; k < shapes->n; k++)
        for (size_t l = 0; l < r->nlsoas; l++)
            if (!strcmp(shapes->code[k], r->lsoas[l].code))
                at[l] = k;
    size_t ring = 0, point = 0;
    for (size_t l = 0; l < r->nlsoas; l++) {
        size_t k = at[l];
        o->code[l] = (char *)r->lsoas[l].code;
        o->name[l] = shapes->name[k] ? (char *)as_fmt(r, "%s", shapes->name[k]) : NULL;
        o->feature[l] = shapes->feature[k];
        o->ring_first[l] = ring;
        for (size_t g = shapes->ring_first[k]; g < shapes->ring_first[k + 1]; g++) {
            o->point_first[ring++] = point;
            size_t p0 = shapes->point_first[g], np = shapes->point_first[g + 1] - p0;
            memcpy(o->x + point, shapes->x + p0, np * sizeof *o->x);
            memcpy(o->y + point, shapes->y + p0, np * sizeof *o->y);
            point += np;
        }
    }
    o->ring_first[r->nlsoas] = ring;
    o->point_first[ring] = point;
    const char *layer = shapes->layer ? as_fmt(r, " (layer %s, of the file's %zu)",
                                               shapes->layer, shapes->nlayers) : "";
    csa_shapes_free(shapes);
    r->shapes = o;
    as_stage(r, "read the boundaries: %zu LSOA shapes%s", r->nlsoas, layer);
    return r->nomem ? CSA_ERR_NOMEM : CSA_OK;
}

/* ---- reading ---- */

enum { AS_MAX_ROLES = 32 };

/* The names of the spec's columns of roles[0..n), into names. */
static csa_status role_names(csa_assess *r, const csa_spec *spec, const csa_role *roles,
                             size_t n, const char **names)
{
    if (n > AS_MAX_ROLES)
        return csa_error_set(&r->err, CSA_ERR_LIMIT, NULL, 0, 0, NULL, NULL,
                             "more than %d columns asked of spec %s", AS_MAX_ROLES, spec->name);
    for (size_t k = 0; k < n; k++) {
        size_t c = csa_spec_role(spec, roles[k]);
        if (c == CSA_NO_ROW)
            return csa_error_set(&r->err, CSA_ERR_STATE, NULL, 0, 0, NULL, NULL,
                                 "spec %s has no column of role %s", spec->name,
                                 csa_role_name(roles[k]));
        names[k] = spec->columns[c].name;
    }
    return CSA_OK;
}

csa_status as_ingest_roles(csa_assess *r, size_t i, const csa_role *roles, size_t n)
{
    const csa_config_input *ci = &r->cfg->inputs[i];
    as_input *s = &r->in[i];
    if (s->read_once && !s->planning) { /* read as it was validated */
        if (s->read_status) {
            r->err = s->read_err;
            return s->read_status;
        }
        /* each file opened again, as a second reading would: one that has
         * changed since it was read (still being written) stops the run */
        for (size_t f = 0; f < ci->files.n; f++) {
            FILE *fp;
            csa_status st = csa_file_open(ci->files.v[f], &fp, NULL, &r->err);
            if (st)
                return st;
            fclose(fp);
        }
        /* its codes were narrow while validation held the identifiers */
        if (csa_table_freeze(s->table))
            return csa_error_set(&r->err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL,
                                 "out of memory reading [input.%s]", ci->name);
        s->accepted = csa_table_nrows(s->table);
        return CSA_OK;
    }
    /* planning, the names outlive the call: validation ingests with them */
    const char *local[AS_MAX_ROLES];
    const char **cols = s->planning ? as_calloc(r, AS_MAX_ROLES, sizeof *cols) : local;
    if (!cols)
        return CSA_ERR_NOMEM;
    csa_status st = role_names(r, ci->spec, roles, n, cols);
    if (st)
        return st;
    csa_ingest_options opt = {.spec = ci->spec, .columns = cols, .ncolumns = n,
                              .max_reject_share = 0.01};
    if (s->planning) {
        if (!(s->read_opt = as_calloc(r, 1, sizeof *s->read_opt)))
            return CSA_ERR_NOMEM;
        *s->read_opt = opt;
        s->read_once = true;
        if ((st = csa_ingest_table(&opt, &s->table, &r->err)))
            return st;
        csa_table_narrow_codes(s->table); /* empty and not frozen: cannot fail */
        return CSA_OK;
    }
    st = csa_ingest_table(&opt, &s->table, &r->err);
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

static bool is_lookup(const csa_config *c, size_t i)
{
    for (size_t k = 0; k < c->ninputs; k++)
        if (c->inputs[k].lookup && !strcmp(c->inputs[k].lookup, c->inputs[i].name))
            return true;
    return false;
}

/* Whether an indicator's rate is per input i (denominator = input NAME). */
static bool is_denominator(const csa_config *c, size_t i)
{
    for (size_t k = 0; k < c->nindicators; k++)
        if (c->indicators[k].denominator && c->indicators[k].denominator_input == i)
            return true;
    return false;
}

/* A reference input (deprivation, population, a lookup) is one file read
 * whole: any bad row, or none, stops the run. */
static csa_status read_reference(csa_assess *r, size_t i, const csa_role *roles, size_t n,
                                 csa_table **out)
{
    const csa_config_input *ci = &r->cfg->inputs[i];
    const char *cols[AS_MAX_ROLES];
    if (ci->files.n != 1)
        return csa_error_set(&r->err, CSA_ERR_USAGE, r->cfg->path, (uint64_t)ci->line, 0,
                             "files", NULL, "[input.%s] must be one file", ci->name);
    csa_status st = role_names(r, ci->spec, roles, n, cols);
    if (!st)
        st = csa_ingest_reference(ci->files.v[0], ci->spec, cols, n, out, &r->err);
    if (!st)
        r->in[i].accepted = csa_table_nrows(*out);
    return st;
}

/* The population input, read as a reference input, but it may be several
 * files when each row says its year (several mid-year estimates, by files
 * or by a year column): then a year on every row, or on none. Validation
 * has found any LSOA given twice for one year. */
static csa_status read_population(csa_assess *r, size_t i)
{
    static const csa_role roles[] = {CSA_ROLE_AREA, CSA_ROLE_POPULATION, CSA_ROLE_YEAR};
    const csa_config_input *ci = &r->cfg->inputs[i];
    const char *cols[3 + AS_MAX_ROLES];
    csa_status st = role_names(r, ci->spec, roles, 3, cols);
    if (st)
        return st;
    /* the bands an indicator's denominator sums, each once */
    size_t ncols = 3;
    for (size_t k = 0; k < r->cfg->nindicators; k++) {
        const csa_config_list *b = &r->cfg->indicators[k].denominator_bands;
        for (size_t j = 0; j < b->n; j++) {
            size_t m = 3;
            while (m < ncols && strcmp(cols[m], b->v[j]))
                m++;
            if (m == ncols && ncols < sizeof cols / sizeof cols[0])
                cols[ncols++] = b->v[j];
        }
    }
    csa_ingest_options opt = {.spec = ci->spec, .columns = cols, .ncolumns = ncols,
                              .all_or_nothing = true};
    if ((st = csa_ingest_table(&opt, &r->pop, &r->err)))
        return st;
    for (size_t f = 0; f < ci->files.n; f++) {
        csa_source src;
        csa_ingest_stats stats;
        if (ci->files.n > 1) {
            /* each file read alone first: one without a year would repeat
             * the others' LSOAs (the year is NOT NULL where a file has it) */
            csa_table *one = NULL;
            st = csa_ingest_reference(ci->files.v[f], ci->spec, cols, 3, &one, &r->err);
            bool dated = !st && csa_table_valid(one, csa_table_find(one, cols[2]), 0);
            csa_table_free(one);
            if (st)
                return st;
            if (!dated)
                return csa_error_set(&r->err, CSA_ERR_USAGE, ci->files.v[f], 0, 0, cols[2], NULL,
                                     "[input.%s] is %zu files, so each needs a year column "
                                     "(year, Mid-year) saying which mid-year estimate it is: "
                                     "this one has none", ci->name, ci->files.n);
        }
        if ((st = csa_source_open_file(&src, ci->files.v[f], &r->err)))
            return st;
        st = csa_ingest(&src, &opt, r->pop, &stats, &r->err);
        csa_source_close(&src);
        if (!st && stats.rows_read == 0)
            st = csa_error_set(&r->err, CSA_ERR_FORMAT, ci->files.v[f], 0, 0, NULL, NULL,
                               "has a header but no data rows");
        if (st)
            return st;
    }
    csa_table_freeze(r->pop);
    r->in[i].accepted = csa_table_nrows(r->pop);
    return CSA_OK;
}

csa_status as_read_inputs(csa_assess *r)
{
    const csa_config *c = r->cfg;
    static const csa_role imd[] = {CSA_ROLE_LSOA, CSA_ROLE_LA, CSA_ROLE_LA_NAME,
                                   CSA_ROLE_DECILE, CSA_ROLE_LSOA_NAME};
    static const csa_role lookup[] = {CSA_ROLE_WARD, CSA_ROLE_LA};
    /* higher_area's lookup: the LSOA's ward, or its other higher area */
    static const csa_role higher[] = {CSA_ROLE_WARD, CSA_ROLE_LA, CSA_ROLE_LSOA,
                                      CSA_ROLE_WARD_NAME, CSA_ROLE_PARENT,
                                      CSA_ROLE_PARENT_NAME, CSA_ROLE_LSOA_NAME};
    static const csa_role vintages[] = {CSA_ROLE_LSOA, CSA_ROLE_AREA, CSA_ROLE_CATEGORY};
    /* an indicator's denominator = input NAME: a population-like input */
    static const csa_role per[] = {CSA_ROLE_AREA, CSA_ROLE_POPULATION, CSA_ROLE_YEAR};
    for (size_t i = 0; i < c->ninputs; i++) {
        as_input *s = &r->in[i];
        const csa_kind *kind = csa_kind_for_spec(c->inputs[i].spec->name);
        as_progress(r, "reading", i, c->ninputs);
        if (s->excluded)
            continue;
        csa_status st = CSA_OK;
        if (i == c->deprivation)
            st = read_reference(r, i, imd, 5, &r->imd);
        else if (i == c->population)
            st = read_population(r, i);
        else if (i == c->lsoa_lookup)
            st = read_reference(r, i, vintages, 3, &s->table);
        else if (i == c->higher_area)
            st = read_reference(r, i, higher, 7, &s->table);
        else if (is_lookup(c, i))
            st = read_reference(r, i, lookup, 2, &s->table);
        else if (is_denominator(c, i))
            st = read_reference(r, i, per, 3, &s->table);
        else if (kind)
            st = kind->read(r, i);
        else
            s->accepted = s->rows_read; /* validated only: no indicator reads it */
        if (st)
            return st;
    }
    csa_status st = as_find_area(r);
    for (size_t i = 0; i < c->ninputs && !st; i++) {
        if (r->in[i].excluded)
            continue;
        if (c->inputs[i].lookup)
            st = as_survey_area(r, i);
        else if (csa_kind_for_spec(c->inputs[i].spec->name) == &csa_kind_survey)
            as_message(r, "warning: [input.%s] has no lookup of its area codes to LAs: every "
                       "respondent is taken to live in %s, unchecked (give lookup = INPUT "
                       "to count only the area's residents)", c->inputs[i].name, c->area_name);
    }
    if (st)
        return st;
    size_t populated = 0;
    for (size_t i = 0; i < r->nlsoas; i++)
        populated += !isnan(r->lsoas[i].population);
    as_stage(r, "read the inputs; the area has %zu LSOAs, %zu of them with a population%s",
             r->nlsoas, populated, !r->npop_years ? ""
             : r->cmp_year == r->pop_year ? as_fmt(r, " (mid-%d)", r->pop_year)
             : as_fmt(r, " (mid-%d; mid-%d for the comparison period)", r->pop_year, r->cmp_year));
    return CSA_OK;
}

/* The rows of monthly input i counted once (as_tally): one pass over the
 * table, by the rule of as_place_row, for every indicator on it. */
static as_tally *tally_rows(csa_assess *r, size_t i)
{
    const csa_table *t = r->in[i].table;
    const csa_spec *spec = r->cfg->inputs[i].spec;
    size_t month_col = as_role(t, spec, CSA_ROLE_PERIOD), lsoa_col = as_role(t, spec, CSA_ROLE_LSOA);
    size_t type_col = as_role(t, spec, CSA_ROLE_CATEGORY);
    const csa_dict *ld = csa_table_dict(t, lsoa_col);
    size_t nt = csa_dict_size(csa_table_dict(t, type_col)), nc = csa_dict_size(ld);
    size_t tn = r->tl_n, nl = r->nlsoas;
    as_tally *y = as_calloc(r, 1, sizeof *y);
    as_lsoa_map area, cmp;
    if (!y || as_map_lsoas(r, ld, r->lsoas, nl, &area) ||
        as_map_lsoas(r, ld, r->cmp_lsoas, r->ncmp_lsoas, &cmp))
        return NULL;
    y->ntypes = nt;
    y->month = as_calloc(r, nt * (tn + 1) * AS_NTERMS, sizeof *y->month);
    y->lsoa = as_calloc(r, nt * nl, sizeof *y->lsoa);
    y->cmp_used = as_calloc(r, nt, sizeof *y->cmp_used);
    y->period = as_calloc(r, nt, sizeof *y->period);
    y->no_pop = as_calloc(r, nl, sizeof *y->no_pop);
    y->split = as_calloc(r, nc, sizeof *y->split);
    y->present = as_calloc(r, tn, sizeof *y->present);
    if (r->nomem)
        return NULL;
    for (size_t k = 0; k < nc; k++) {
        y->split[k] = area.start[k + 1] - area.start[k] > 1 || cmp.start[k + 1] - cmp.start[k] > 1;
        y->any_split |= y->split[k];
    }
    const int32_t *months = csa_table_dates(t, month_col);
    const uint32_t *types = csa_table_codes(t, type_col), *codes = csa_table_codes(t, lsoa_col);
    int32_t first = INT32_MAX, last = INT32_MIN, day = INT32_MIN; /* no month's */
    size_t m = SIZE_MAX;
    for (size_t row = 0; row < csa_table_nrows(t); row++) {
        if (months[row] != day) /* a month's rows come together */
            day = months[row], m = as_timeline_index(r, day);
        first = day < first ? day : first;
        last = day > last ? day : last;
        uint32_t type = types[row];
        uint64_t *at = &y->month[(type * (tn + 1) + (m == SIZE_MAX ? tn : m)) * AS_NTERMS];
        if (m == SIZE_MAX) {
            at[AS_OUTSIDE_PERIOD]++;
            continue;
        }
        y->present[m] = true;
        bool period = m >= r->tl_period;
        y->period[type] += period;
        if (!csa_table_valid(t, lsoa_col, row)) {
            at[AS_NO_LOCATION]++;
            continue;
        }
        uint32_t code = codes[row];
        if (period && r->cfg->boundaries != SIZE_MAX)
            as_keep_point(r, i, row, type, area.parts[area.start[code]].lsoa);
        if (y->split[code])
            continue;
        const as_share *a = &area.parts[area.start[code]];
        at[a->term]++;
        if (a->term == AS_NO_POPULATION)
            y->no_pop[a->lsoa] = true;
        if (!period)
            continue;
        if (a->lsoa != SIZE_MAX)
            y->lsoa[type * nl + a->lsoa]++;
        y->cmp_used[type] += cmp.parts[cmp.start[code]].term == AS_USED;
    }
    y->first = first, y->last = last;
    as_thinned_tally(r, &r->in[i], y); /* the rows dropped as they were read */
    return y;
}

/* Where the rows of a monthly input went (by as_place_row, as every
 * indicator counts them), and the months it covers. */
void as_account_months(csa_assess *r, size_t i)
{
    as_input *s = &r->in[i];
    const csa_table *t = s->table;
    const csa_spec *spec = r->cfg->inputs[i].spec;
    size_t month_col = as_role(t, spec, CSA_ROLE_PERIOD), lsoa_col = as_role(t, spec, CSA_ROLE_LSOA);
    as_lsoa_map map;
    as_tally *y = s->tally = tally_rows(r, i);
    bool *seen = as_calloc(r, r->nlsoas, sizeof *seen);
    if (!y || !seen || as_map_lsoas(r, csa_table_dict(t, lsoa_col), r->lsoas, r->nlsoas, &map))
        return;
    bool *present = y->present;
    uint64_t n[AS_NTERMS] = {0};
    size_t unpopulated = 0; /* LSOAs of the area with rows and no population */
    for (size_t k = 0; k < y->ntypes * (r->tl_n + 1); k++)
        for (int term = 0; term < AS_NTERMS; term++)
            n[term] += y->month[k * AS_NTERMS + (size_t)term];
    for (size_t l = 0; l < r->nlsoas; l++)
        if (y->no_pop[l])
            seen[l] = true, unpopulated++;
    /* the rows of split codes, in order, as they are dealt */
    const uint32_t *codes = csa_table_codes(t, lsoa_col);
    for (size_t row = 0; y->any_split && row < csa_table_nrows(t); row++) {
        if (!csa_table_valid(t, lsoa_col, row) || !y->split[codes[row]])
            continue;
        size_t m, l;
        if (as_timeline_index(r, csa_table_dates(t, month_col)[row]) == SIZE_MAX)
            continue;
        as_term term = as_place_row(r, &map, t, month_col, lsoa_col, row, &m, &l);
        n[term]++;
        if (term == AS_NO_POPULATION && !seen[l])
            seen[l] = true, unpopulated++;
    }
    int32_t first = y->first, last = y->last;
    s->accepted = n[AS_USED], s->no_location = n[AS_NO_LOCATION];
    s->no_population = n[AS_NO_POPULATION], s->outside_area = n[AS_OUTSIDE_AREA];
    s->outside_period = n[AS_OUTSIDE_PERIOD];
    if (unpopulated) {
        char left[32], all[32];
        double located = (double)(s->no_population + s->accepted);
        csa_format_number((double)s->no_population, 0, left, sizeof left);
        csa_format_number(located, 0, all, sizeof all);
        as_message(r, "warning: [input.%s] %s of the area's %s crimes in the period (%.1f%%) "
                      "are in %zu LSOA%s with no population row: they are left out of every "
                      "rate%s", r->cfg->inputs[i].name, left, all,
                   100.0 * (double)s->no_population / located, unpopulated,
                   unpopulated == 1 ? "" : "s",
                   r->vintages ? "" : " (2011 LSOAs split in 2021? give [assessment] "
                                      "lsoa_lookup, an input of spec lsoa-lookup)");
    }
    if (first <= last) {
        char range[CSA_PERIOD_TEXT_MAX];
        s->covers = as_fmt(r, "%s", csa_month_range_label(first, last, CSA_MONTH_SHORT, range));
    }
    s->tl_present = present;
    s->month_present = present + r->tl_period;
    s->missing = as_missing_months(r, s->month_present);
    if (r->ncompare) {
        char buf[1024];
        s->compare_missing = as_fmt(r, "%s", as_month_runs(csa_month_add(r->tl_first,
                                                                         (int)r->tl_compare),
                                                           r->ncompare, present + r->tl_compare,
                                                           buf, sizeof buf) ? buf : "none");
    }
}

/* The inputs' SHA-256 for the manifest, worked out on a thread of its own
 * while the run validates and reads them. */
csa_status as_start_digests(csa_assess *r)
{
    const csa_config *c = r->cfg;
    size_t nfiles = 0, k = 0;
    for (size_t i = 0; i < c->ninputs; i++)
        nfiles += c->inputs[i].files.n;
    const char **paths = as_calloc(r, nfiles, sizeof *paths);
    if (!paths)
        return CSA_ERR_NOMEM;
    for (size_t i = 0; i < c->ninputs; i++)
        for (size_t f = 0; f < c->inputs[i].files.n; f++)
            paths[k++] = c->inputs[i].files.v[f];
    /* digests the submissions register already has (csa/register.h): a
     * file of the same device, inode, size and modification time (ns) as
     * when its digest was recorded is not read again */
    const char **known = as_calloc(r, nfiles, sizeof *known);
    uint64_t *known_bytes = as_calloc(r, nfiles, sizeof *known_bytes);
    r->file_stat = as_calloc(r, nfiles, sizeof *r->file_stat);
    r->digest_known = as_calloc(r, nfiles, sizeof *r->digest_known);
    if (!known || !known_bytes || !r->file_stat || !r->digest_known)
        return CSA_ERR_NOMEM;
    csa_error err = {0};
    struct stat rsb;
    if (c->register_path && stat(c->register_path, &rsb) == 0 &&
        csa_register_open(c->register_path, false, &r->reg, &err) != CSA_OK)
        as_message(r, "warning: %s: %s (every input is hashed for the manifest)", err.file,
                   err.message);
    for (k = 0; k < nfiles; k++) {
        char hex[65];
        bool found = false;
        if (stat(paths[k], &r->file_stat[k]) != 0)
            continue; /* validation says why */
        if (r->reg && csa_register_known_digest(r->reg, paths[k], &r->file_stat[k], hex, &found,
                                                &err) != CSA_OK)
            return csa_error_set(&r->err, err.status, err.file, 0, 0, NULL, NULL, "%s",
                                 err.message);
        if (found) {
            known[k] = as_fmt(r, "%s", hex);
            known_bytes[k] = (uint64_t)r->file_stat[k].st_size;
            r->digest_known[k] = true;
            r->digests_reused++;
        }
    }
    return csa_digests_start_known(paths, known, known_bytes, nfiles, &r->digests, &r->err);
}
