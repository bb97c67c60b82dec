/* Coverage before figures: an input that places its rows in LSOAs must
 * have rows in the area and in every comparator area over the period.
 * Otherwise a place the files do not reach reads as a place with no
 * crime: another force's files give "0.000 per 1,000, significantly
 * lower", and a comparator LA they miss pulls the comparator's rate down. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csa/month.h"
#include "csa/stats.h"
#include "internal.h"

/* What the rows hold, by LSOA, LA and force of the deprivation input. */
typedef struct tally {
    size_t nm, nla, nforce, nimd;
    uint32_t *imd_of;     /* input LSOA code -> deprivation LSOA code, or CSA_NO_CODE */
    uint32_t *la_of;      /* deprivation LSOA code -> LA code */
    const char **la_name; /* LA code -> its name (or its code) */
    uint64_t *lsoa_rows;  /* rows in the period, by deprivation LSOA code */
    uint64_t *la_rows;    /* by LA code */
    uint64_t *la_month;   /* by LA code x month */
    uint64_t *force_rows; /* by force code */
    bool *present;        /* the months the rows have */
    uint64_t elsewhere;   /* rows in the period in no LSOA of the deprivation input */
} tally;

static void tally_free(tally *t)
{
    free(t->imd_of);
    free(t->la_of);
    free(t->la_name);
    free(t->lsoa_rows);
    free(t->la_rows);
    free(t->la_month);
    free(t->force_rows);
    free(t->present);
}

/* The month index of a row, or SIZE_MAX when it has none in the period. */
static size_t month_of(const as_cover *cv, size_t row)
{
    if (cv->month == CSA_NO_ROW)
        return 0;
    if (!csa_table_valid(cv->rows, cv->month, row))
        return SIZE_MAX;
    int m = csa_month_diff(csa_table_dates(cv->rows, cv->month)[row], cv->first);
    return m < 0 || (size_t)m >= cv->nmonths ? SIZE_MAX : (size_t)m;
}

static uint64_t weight_of(const as_cover *cv, size_t row)
{
    if (cv->weight == CSA_NO_ROW)
        return 1;
    int64_t w = csa_table_int64s(cv->rows, cv->weight)[row];
    return w > 0 ? (uint64_t)w : 0;
}

/* w rows of month m: of force code `force` and in LSOA code `lsoa`
 * (CSA_NO_CODE: none given, or no location). */
static void count(tally *t, size_t m, uint32_t force, uint32_t lsoa, uint64_t w)
{
    t->present[m] = true;
    if (force != CSA_NO_CODE)
        t->force_rows[force] += w;
    if (lsoa == CSA_NO_CODE)
        return; /* no location: in no area */
    uint32_t l = t->imd_of[lsoa];
    if (l == CSA_NO_CODE) {
        t->elsewhere += w;
        return;
    }
    uint32_t la = t->la_of[l];
    t->lsoa_rows[l] += w;
    t->la_rows[la] += w;
    t->la_month[(size_t)la * t->nm + m] += w;
}

/* Rows dropped as they were read (thin.c), counted as kept rows are:
 * by month and force, and by month and LSOA. */
struct dropped {
    const as_cover *cv;
    tally *t;
};

static void add_dropped(void *ctx, int32_t day, uint32_t lsoa, uint32_t force, uint64_t n)
{
    const struct dropped *d = ctx;
    int m = csa_month_diff(day, d->cv->first);
    if (m >= 0 && (size_t)m < d->t->nm && n)
        count(d->t, (size_t)m, d->cv->force == CSA_NO_ROW ? CSA_NO_CODE : force, lsoa, n);
}

static csa_status count_rows(const as_cover *cv, tally *t)
{
    const csa_table *rows = cv->rows, *imd = cv->imd;
    const csa_dict *ld = csa_table_dict(rows, cv->lsoa), *ild = csa_table_dict(imd, cv->imd_lsoa);
    const csa_dict *lad = csa_table_dict(imd, cv->imd_la);
    size_t nl = csa_dict_size(ld);
    t->nm = cv->month == CSA_NO_ROW ? 1 : cv->nmonths;
    t->nla = csa_dict_size(lad), t->nimd = csa_dict_size(ild);
    t->nforce = cv->force == CSA_NO_ROW ? 0 : csa_dict_size(csa_table_dict(rows, cv->force));
    if (t->nla && t->nm > SIZE_MAX / sizeof *t->la_month / t->nla)
        return CSA_ERR_NOMEM;
    t->imd_of = calloc(nl ? nl : 1, sizeof *t->imd_of);
    t->la_of = calloc(t->nimd ? t->nimd : 1, sizeof *t->la_of);
    t->la_name = calloc(t->nla ? t->nla : 1, sizeof *t->la_name);
    t->lsoa_rows = calloc(t->nimd ? t->nimd : 1, sizeof *t->lsoa_rows);
    t->la_rows = calloc(t->nla ? t->nla : 1, sizeof *t->la_rows);
    t->la_month = calloc(t->nla ? t->nla * t->nm : 1, sizeof *t->la_month);
    t->force_rows = calloc(t->nforce ? t->nforce : 1, sizeof *t->force_rows);
    t->present = calloc(t->nm, sizeof *t->present);
    if (!t->imd_of || !t->la_of || !t->la_name || !t->lsoa_rows || !t->la_rows ||
        !t->la_month || !t->force_rows || !t->present)
        return CSA_ERR_NOMEM;
    for (uint32_t k = 0; k < nl; k++) {
        size_t len;
        const char *s = csa_dict_string(ld, k, &len);
        t->imd_of[k] = csa_dict_find(ild, s, len);
    }
    for (size_t row = 0; row < csa_table_nrows(imd); row++) {
        uint32_t la = csa_table_codes(imd, cv->imd_la)[row];
        t->la_of[csa_table_codes(imd, cv->imd_lsoa)[row]] = la;
        if (!t->la_name[la])
            t->la_name[la] = cv->imd_la_name != CSA_NO_ROW && csa_table_valid(imd, cv->imd_la_name, row)
                                 ? as_text(imd, cv->imd_la_name, row)
                                 : csa_dict_string(lad, la, NULL);
    }
    for (size_t row = 0; row < csa_table_nrows(rows); row++) {
        size_t m = month_of(cv, row);
        uint64_t w = weight_of(cv, row);
        uint32_t force = cv->force == CSA_NO_ROW ? CSA_NO_CODE
                                                 : csa_table_code(rows, cv->force, row);
        if (m != SIZE_MAX && w)
            count(t, m, force, csa_table_code(rows, cv->lsoa, row), w);
    }
    struct dropped d = {cv, t};
    as_thinned_cover(cv->thin, add_dropped, &d);
    return CSA_OK;
}

/* An area's LSOAs: how many, how many without a row, and its rows by
 * month (month[] has t->nm entries). */
static csa_status area_counts(const as_cover *cv, const tally *t, const as_cover_area *a,
                              size_t *nlsoas, size_t *empty, uint64_t *month)
{
    const csa_table *imd = cv->imd;
    const csa_dict *ild = csa_table_dict(imd, cv->imd_lsoa);
    *nlsoas = *empty = 0;
    memset(month, 0, t->nm * sizeof *month);
    if (a->la) {
        const csa_dict *lad = csa_table_dict(imd, cv->imd_la);
        uint32_t la = csa_dict_find(lad, a->la, strlen(a->la));
        if (la == CSA_NO_CODE)
            return CSA_OK;
        for (size_t l = 0; l < t->nimd; l++)
            if (t->la_of[l] == la)
                ++*nlsoas, *empty += !t->lsoa_rows[l];
        memcpy(month, &t->la_month[(size_t)la * t->nm], t->nm * sizeof *month);
        return CSA_OK;
    }
    bool *in = calloc(t->nimd ? t->nimd : 1, sizeof *in);
    if (!in)
        return CSA_ERR_NOMEM;
    for (size_t k = 0; k < a->nlsoas; k++) {
        uint32_t l = csa_dict_find(ild, a->lsoas[k], strlen(a->lsoas[k]));
        if (l == CSA_NO_CODE || in[l])
            continue;
        in[l] = true;
        ++*nlsoas, *empty += !t->lsoa_rows[l];
    }
    /* a list of LSOAs is no LA of the tally: its months from the rows */
    for (size_t row = 0; row < csa_table_nrows(cv->rows); row++) {
        size_t m = month_of(cv, row);
        uint32_t l = m != SIZE_MAX && csa_table_valid(cv->rows, cv->lsoa, row)
                         ? t->imd_of[csa_table_codes(cv->rows, cv->lsoa)[row]] : CSA_NO_CODE;
        if (l != CSA_NO_CODE && in[l])
            month[m] += weight_of(cv, row);
    }
    free(in);
    return CSA_OK;
}

/* The index of the largest of v[0..n) not yet taken, or SIZE_MAX when
 * every one left is 0. */
static size_t next_largest(const uint64_t *v, bool *taken, size_t n)
{
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < n; i++)
        if (!taken[i] && v[i] && (best == SIZE_MAX || v[i] > v[best]))
            best = i;
    if (best != SIZE_MAX)
        taken[best] = true;
    return best;
}

enum { SHOW_LAS = 3 };

/* "Bedfordshire Police (Central Bedfordshire E06000056 2,262 rows, Luton
 * E06000032 2,256, Bedford E06000055 1,800 and 16 more LAs with 28)": what
 * the rows cover, forces and LAs by rows, most first. */
static csa_status describe(const as_cover *cv, const tally *t, char *buf, size_t size)
{
    size_t n = 0, nmax = t->nforce > t->nla ? t->nforce : t->nla;
    bool *taken = calloc(nmax ? nmax : 1, sizeof *taken);
    if (!taken)
        return CSA_ERR_NOMEM;
    const csa_dict *fd = cv->force == CSA_NO_ROW ? NULL : csa_table_dict(cv->rows, cv->force);
    for (size_t k, i = 0; (k = next_largest(t->force_rows, taken, t->nforce)) != SIZE_MAX; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? " and " : "",
                              csa_dict_string(fd, (uint32_t)k, NULL));
    memset(taken, 0, nmax * sizeof *taken);
    const csa_dict *lad = csa_table_dict(cv->imd, cv->imd_la);
    bool paren = n > 0;
    size_t shown = 0, more = 0;
    uint64_t more_rows = 0;
    for (size_t k; n < size && (k = next_largest(t->la_rows, taken, t->nla)) != SIZE_MAX;) {
        char rows[32];
        csa_format_number((double)t->la_rows[k], 0, rows, sizeof rows);
        if (shown == SHOW_LAS) {
            more++, more_rows += t->la_rows[k];
            continue;
        }
        n += (size_t)snprintf(buf + n, size - n, "%s%s %s %s%s", shown ? ", " : paren ? " (" : "",
                              t->la_name[k], csa_dict_string(lad, (uint32_t)k, NULL), rows,
                              shown ? "" : " rows");
        shown++;
    }
    free(taken);
    if (!shown && n < size)
        snprintf(buf + n, size - n, "%sno LSOA of the IMD file", n ? ", " : "");
    else if (more && n < size) {
        char rows[32];
        csa_format_number((double)more_rows, 0, rows, sizeof rows);
        n += (size_t)snprintf(buf + n, size - n, " and %zu more LA%s with %s rows", more,
                              more == 1 ? "" : "s", rows);
    }
    if (shown && t->elsewhere && n < size) {
        char rows[32];
        csa_format_number((double)t->elsewhere, 0, rows, sizeof rows);
        n += (size_t)snprintf(buf + n, size - n, "; %s in LSOAs not in the IMD file", rows);
    }
    if (shown && paren && n < size)
        snprintf(buf + n, size - n, ")");
    return CSA_OK;
}

/* Sentences appended to a malloc'd string. */
static csa_status add_sentence(char **text, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static csa_status add_sentence(char **text, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    size_t old = *text ? strlen(*text) : 0, add = strlen(buf);
    char *p = realloc(*text, old + add + 2);
    if (!p)
        return CSA_ERR_NOMEM;
    if (old)
        p[old++] = ' ';
    memcpy(p + old, buf, add + 1);
    *text = p;
    return CSA_OK;
}

/* "Milton Keynes'" or "Bedford's". */
static const char *owner(const char *name)
{
    size_t n = strlen(name);
    return n && name[n - 1] == 's' ? "'" : "'s";
}

csa_status as_coverage_check(const as_cover *cv, char **warnings, csa_error *err)
{
    tally t = {0};
    uint64_t *month = NULL;
    char period[CSA_PERIOD_TEXT_MAX];
    csa_month_range_label(cv->first, csa_month_add(cv->first, (int)cv->nmonths - 1),
                          CSA_MONTH_SHORT, period);
    *warnings = NULL;
    csa_status st = count_rows(cv, &t);
    if (!st && !(month = calloc(t.nm, sizeof *month)))
        st = CSA_ERR_NOMEM;
    for (size_t i = 0; i < cv->nareas && !st; i++) {
        const as_cover_area *a = &cv->areas[i];
        size_t nlsoas, empty;
        if ((st = area_counts(cv, &t, a, &nlsoas, &empty, month)))
            break;
        if (!nlsoas) /* no LSOA of the deprivation input: area.c says so */
            continue;
        const char *code = a->la ? a->la : "", *open = a->la ? " (" : "",
                   *close = a->la ? ")" : "";
        if (empty > AS_UNCOVERED_SHARE * (double)nlsoas) {
            char covers[512];
            if ((st = describe(cv, &t, covers, sizeof covers)))
                break;
            char none[160], ne[32], nl[32];
            csa_format_number((double)empty, 0, ne, sizeof ne);
            csa_format_number((double)nlsoas, 0, nl, sizeof nl);
            if (empty == nlsoas)
                snprintf(none, sizeof none, "none of %s%s %s LSOAs%s%s%s has a row", a->name,
                         owner(a->name), nl, open, code, close);
            else
                snprintf(none, sizeof none, "%s of %s%s %s LSOAs%s%s%s have no row", ne,
                         a->name, owner(a->name), nl, open, code, close);
            st = csa_error_set(err, CSA_ERR_VALUE, cv->file, 0, 0, a->field, a->la,
                               "%s %s in %s: the files cover %s: %s", cv->what, none, period,
                               covers, a->fix);
            break;
        }
        if (empty > AS_PARTLY_COVERED_SHARE * (double)nlsoas)
            st = add_sentence(warnings, "%s%s%s%s: %zu of its %zu LSOAs (%.0f%%) have no row in %s, "
                              "more than %.0f%%: the files may not cover all of it, and its "
                              "figures count only the LSOAs they reach.", a->name, open, code,
                              close, empty, nlsoas, 100.0 * (double)empty / (double)nlsoas,
                              period, 100 * AS_PARTLY_COVERED_SHARE);
        if (st || cv->month == CSA_NO_ROW)
            continue;
        /* months the rows have for other areas but not for this one */
        bool *has = calloc(t.nm, sizeof *has);
        if (!has) {
            st = CSA_ERR_NOMEM;
            break;
        }
        size_t gaps = 0;
        for (size_t m = 0; m < t.nm; m++)
            has[m] = !t.present[m] || month[m], gaps += !has[m];
        char runs[512];
        as_month_runs(cv->first, t.nm, has, runs, sizeof runs);
        free(has);
        if (gaps)
            st = add_sentence(warnings, "%s%s%s%s has no rows in %s, %s the files have for other "
                              "areas: the figures count no crime there then, most likely "
                              "missing data rather than none.", a->name, open, code, close,
                              runs, gaps == 1 ? "a month" : "months");
    }
    if (st == CSA_ERR_NOMEM)
        csa_error_set(err, st, NULL, 0, 0, NULL, NULL, "out of memory");
    if (st) {
        free(*warnings);
        *warnings = NULL;
    }
    free(month);
    tally_free(&t);
    return st;
}

/* The name the deprivation input gives an LA code, or the code. */
static const char *la_name(const csa_table *imd, size_t la, size_t name, const char *code)
{
    uint32_t k = csa_dict_find(csa_table_dict(imd, la), code, strlen(code));
    for (size_t row = 0; k != CSA_NO_CODE && name != CSA_NO_ROW && row < csa_table_nrows(imd);
         row++)
        if (csa_table_codes(imd, la)[row] == k && csa_table_valid(imd, name, row))
            return as_text(imd, name, row);
    return code;
}

/* A force whose files hold months of one period and none of the other's
 * (a neighbouring force's file added for a month of the period only), with
 * rows in the area on its side: the change would count its crimes there
 * and nowhere else. Which forces each period's files hold: every file's
 * months and sources (validation); their rows in the area: the table's.
 * The warning, or NULL. */
static const char *one_sided_forces(csa_assess *r, size_t i, const csa_table *t, size_t month,
                                    size_t lsoa, size_t force)
{
    if (!r->ncompare)
        return NULL;
    const csa_config *c = r->cfg;
    int32_t c0 = csa_month_add(r->tl_first, (int)r->tl_compare);
    int32_t c1 = csa_month_add(c0, (int)r->ncompare - 1);
    const csa_dict *fd = csa_table_dict(t, force), *ld = csa_table_dict(t, lsoa);
    size_t nf = csa_dict_size(fd), nl = csa_dict_size(ld);
    /* per force: rows in the area now and before; files now and before */
    uint64_t *now = as_calloc(r, nf + 1, sizeof *now), *before = as_calloc(r, nf + 1, sizeof *before);
    bool *files_now = as_calloc(r, nf + 1, 1), *files_before = as_calloc(r, nf + 1, 1);
    bool *in_area = as_calloc(r, nl + 1, 1);
    if (r->nomem)
        return NULL;
    for (size_t l = 0; l < r->nlsoas; l++) {
        uint32_t k = csa_dict_find(ld, r->lsoas[l].code, strlen(r->lsoas[l].code));
        if (k != CSA_NO_CODE)
            in_area[k] = true;
    }
    const int32_t *d = csa_table_dates(t, month);
    for (size_t row = 0; row < csa_table_nrows(t); row++) {
        if (!csa_table_valid(t, month, row) || !csa_table_valid(t, force, row) ||
            !csa_table_valid(t, lsoa, row) || !in_area[csa_table_code(t, lsoa, row)])
            continue;
        int32_t m = csa_month_add(d[row], 0);
        uint32_t f = csa_table_code(t, force, row);
        now[f] += m >= c->period_first && m <= c->period_last;
        before[f] += m >= c0 && m <= c1;
    }
    for (size_t f = 0; f < c->inputs[i].files.n; f++) {
        const csa_validation *v = r->in[i].checked[f];
        for (size_t k = 0; v && k < v->nsources; k++) {
            const csa_month_source *src = &v->sources[k];
            uint32_t code = csa_dict_find(fd, src->source, src->source_len);
            if (code == CSA_NO_CODE || !src->rows)
                continue;
            files_now[code] |= src->month >= c->period_first && src->month <= c->period_last;
            files_before[code] |= src->month >= c0 && src->month <= c1;
        }
    }
    /* a period no force's files hold has no change to skew (the change
     * says it has no figures) */
    bool any_now = false, any_before = false;
    for (uint32_t f = 0; f < nf; f++)
        any_now |= files_now[f], any_before |= files_before[f];
    const char *said = NULL;
    for (uint32_t f = 0; f < nf && any_now && any_before; f++) {
        bool only_now = now[f] && !files_before[f], only_before = before[f] && !files_now[f];
        if (!only_now && !only_before)
            continue;
        said = as_fmt(r, "%s%s%s's files hold months of the %s but none of the %s, and %s of "
                         "the area's %s in it: the change counts them on one side only (give "
                         "that force's files for both periods, or for neither)",
                      said ? said : "", said ? "; " : "", csa_dict_string(fd, f, NULL),
                      only_now ? "period" : "comparison period",
                      only_now ? "comparison period" : "period",
                      as_fmt(r, "%llu", (unsigned long long)(only_now ? now[f] : before[f])),
                      (only_now ? now[f] : before[f]) == 1 ? "row is" : "rows are");
    }
    return said;
}

csa_status as_check_coverage(csa_assess *r)
{
    const csa_config *c = r->cfg;
    const csa_spec *is = c->inputs[c->deprivation].spec;
    size_t imd_lsoa = as_role(r->imd, is, CSA_ROLE_LSOA), imd_la = as_role(r->imd, is, CSA_ROLE_LA);
    size_t imd_name = as_role(r->imd, is, CSA_ROLE_LA_NAME), na = 1 + c->comparator_areas.n;
    as_cover_area *areas = as_calloc(r, na, sizeof *areas);
    const char **lsoas = as_calloc(r, r->nlsoas ? r->nlsoas : 1, sizeof *lsoas);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t l = 0; l < r->nlsoas; l++)
        lsoas[l] = r->lsoas[l].code;
    for (size_t i = 0; i < c->ninputs; i++) {
        const csa_config_input *in = &c->inputs[i];
        as_input *s = &r->in[i];
        const csa_table *t = s->table;
        size_t lsoa = t ? as_role(t, in->spec, CSA_ROLE_LSOA) : CSA_NO_ROW;
        const csa_kind *kind = csa_kind_for_spec(in->spec->name);
        if (s->excluded || (kind && kind->sparse) || i == c->deprivation || i == c->population ||
            i == c->lsoa_lookup || i == c->higher_area ||
            lsoa == CSA_NO_ROW ||
            csa_table_column_type(t, lsoa) != CSA_STRING)
            continue;
        size_t month = as_role(t, in->spec, CSA_ROLE_PERIOD);
        if (month == CSA_NO_ROW || csa_table_column_type(t, month) != CSA_DATE)
            month = as_role(t, in->spec, CSA_ROLE_DATE);
        if (month != CSA_NO_ROW && csa_table_column_type(t, month) != CSA_DATE)
            month = CSA_NO_ROW;
        size_t force = as_role(t, in->spec, CSA_ROLE_FORCE);
        const char *what = as_fmt(r, "[input.%s]", in->name);
        const char *whose = force != CSA_NO_ROW ? "the files of the force that covers"
                                                : "files that cover";
        areas[0] = (as_cover_area){c->area_name, c->la_code, lsoas, r->nlsoas,
                                   c->la_code ? "la_code" : "lsoas",
                                   force != CSA_NO_ROW ? "are these the right force's files?"
                                                       : "are these the right files?"};
        for (size_t k = 0; k < c->comparator_areas.n; k++) {
            const char *code = c->comparator_areas.v[k];
            const char *name = la_name(r->imd, imd_la, imd_name, code);
            areas[1 + k] = (as_cover_area){
                name, code, NULL, 0, "comparator_areas",
                as_fmt(r, "add %s %s to %s, or take %s out of comparator_areas", whose, name,
                       what, code)};
        }
        if (r->nomem)
            return CSA_ERR_NOMEM;
        as_cover cv = {what, in->files.v[0], t, month, lsoa, force, CSA_NO_ROW, r->imd,
                       imd_lsoa, imd_la, imd_name, c->period_first, r->nmonths, areas, na,
                       s->thin};
        char *warn;
        csa_status st = as_coverage_check(&cv, &warn, &r->err);
        if (st)
            return st;
        const char *sided = force != CSA_NO_ROW && month != CSA_NO_ROW
                                ? one_sided_forces(r, i, t, month, lsoa, force) : NULL;
        if (warn) {
            as_message(r, "warning: %s %s", what, warn);
            s->coverage_note = as_fmt(r, "%s", warn);
            free(warn);
        }
        if (sided) {
            as_message(r, "warning: %s %s", what, sided);
            s->coverage_note = s->coverage_note ? as_fmt(r, "%s; %s", s->coverage_note, sided)
                                                : sided;
        }
        if (r->nomem)
            return CSA_ERR_NOMEM;
    }
    return CSA_OK;
}
