/* Partners' data: counts by area and month (the `indicator` spec: fire's
 * deliberate fires, ambulance call-outs) and incident records (the
 * `partner-incidents` spec: council anti-social behaviour, A&E assault
 * attendances). Both are counted by LSOA and month and go through what
 * police crime goes through: the rate per 1,000 residents (or per the
 * indicator's denominator: bands of the population input, or another
 * input such as households) with its interval, the comparator, the change
 * against compare_with's months, the month charts, the deprivation
 * deciles, the LSOA funnel, the rates per higher area (places.c) and the
 * LSOA rate map (maps.c), and the same priority scores (kind->monthly).
 * Incident records add when in the week and the day they happen, where,
 * and with coordinates the hotspot map. An input with personal = yes has its
 * small counts suppressed in every table, chart and map with one rule
 * (csa_suppress_lines), a count hidden in one table hidden in all. */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csa/disclosure.h"
#include "csa/geo.h"
#include "csa/month.h"
#include "csa/present.h"
#include "internal.h"

/* What one pass over a partner input's rows gives an indicator. */
typedef struct partner_counts {
    double *lsoa;     /* [nlsoas]: the period's events in each LSOA of the area */
    double la_level;  /* the period's events given for the whole area (its LA code) */
    double *month;    /* [tl_n]: the area's events each month of the timeline */
    bool *present;    /* [tl_n]: months the input has rows for */
    double cmp;       /* the period's events in the comparator's populated LSOAs and LAs */
    uint64_t n[AS_NTERMS], in_period[AS_NTERMS]; /* rows, by where they went */
    double suppressed_rows; /* rows whose count the partner suppressed (*) */
    double other_areas;     /* rows of the period for an area that is neither an LSOA nor
                               the area's LA (a ward): left out, as outside the area */
    int32_t first, last;    /* the earliest and latest month of any row */
    bool *want;             /* by code of the category column: counted by the indicator */
} partner_counts;

/* Where the counts suppressed in indicator ci's outputs are added up. */
static size_t *suppressed(csa_assess *r, const csa_config_indicator *ci)
{
    static size_t none; /* out of memory: r->nomem stops the run */
    if (!r->suppressed)
        r->suppressed = as_calloc(r, r->cfg->nindicators, sizeof *r->suppressed);
    return r->suppressed ? &r->suppressed[ci - r->cfg->indicators] : &none;
}

/* A count for a note: "fewer than 5" in place of a small one of a
 * personal input. */
static const char *shown(csa_assess *r, const csa_config_indicator *ci, double n)
{
    if (r->cfg->inputs[ci->input].personal && n >= 1 && n < r->cfg->suppress_below)
        return as_fmt(r, "Fewer than %g", r->cfg->suppress_below);
    return as_fmt(r, "%.0f", n);
}

static bool wanted_category(const csa_config_list *cats, const char *name)
{
    for (size_t k = 0; k < cats->n; k++)
        if (!strcasecmp(cats->v[k], name))
            return true;
    return cats->n == 0;
}

/* as_place_row, and for a row without an LSOA code the LSOA its point
 * falls in (as_locate_incidents), when it was placed so. */
static as_term place_row(const csa_assess *r, as_lsoa_map *area, const csa_table *t,
                         size_t month_col, size_t lsoa_col, size_t row, const size_t *located,
                         size_t *m, size_t *l)
{
    as_term term = as_place_row(r, area, t, month_col, lsoa_col, row, m, l);
    if (term != AS_NO_LOCATION || !located || located[row] == SIZE_MAX)
        return term;
    if (located[row] == AS_POINT_OUTSIDE)
        return AS_OUTSIDE_AREA;
    *l = located[row];
    return isnan(r->lsoas[*l].population) ? AS_NO_POPULATION : AS_USED;
}

static bool is_counts(const csa_assess *r, size_t input)
{
    return csa_kind_for_spec(r->cfg->inputs[input].spec->name) == &csa_kind_partner_counts;
}

/* What a partner rate is per, LSOA by LSOA (the indicator's denominator):
 * the area's LSOAs in the period's year and the comparison's, and the
 * comparator's LSOAs; NaN where an LSOA has none. */
typedef struct partner_per {
    const double *now, *before, *cmp;
    const char *label, *Label; /* "young people aged 0 to 15", capitalised */
    bool residents;            /* the population input's Total, as police crime's */
} partner_per;

/* The year of t's rows (year column yc) that a rate of `want`'s year
 * uses: `want` itself, or with no population years, the latest. */
static csa_status per_year(csa_assess *r, const csa_config_indicator *ci, const csa_table *t,
                           size_t yc, int want, const char *file, int *year)
{
    const int64_t *y = csa_table_int64s(t, yc);
    int latest = INT32_MIN;
    bool found = false;
    for (size_t row = 0; row < csa_table_nrows(t); row++)
        if (csa_table_valid(t, yc, row)) {
            latest = y[row] > latest ? (int)y[row] : latest;
            found |= y[row] == want;
        }
    *year = r->npop_years ? want : latest;
    if (r->npop_years && !found)
        return csa_error_set(&r->err, CSA_ERR_VALUE, file, 0, 0, "year", NULL,
                             "[indicator.%s] denominator '%s': the input has no rows of "
                             "mid-%d, the population estimate the rate uses", ci->name,
                             ci->denominator, want);
    return CSA_OK;
}

static csa_status denominators(csa_assess *r, const csa_config_indicator *ci,
                               csa_indicator_report *rep, partner_per *d)
{
    size_t nl = r->nlsoas, nc = r->ncmp_lsoas;
    double *now = as_calloc(r, nl + 1, sizeof *now), *before = as_calloc(r, nl + 1,
                                                                          sizeof *before);
    double *cmp = as_calloc(r, nc + 1, sizeof *cmp);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    const char *label = ci->denominator_label ? ci->denominator_label : "residents";
    *d = (partner_per){now, before, cmp, label, as_fmt(r, "%c%s", toupper((unsigned char)label[0]),
                                                      label + 1),
                       ci->denominator_input == SIZE_MAX && !ci->denominator_bands.n};
    if (d->residents) {
        for (size_t l = 0; l < nl; l++)
            now[l] = r->lsoas[l].population, before[l] = r->lsoas[l].population_before;
        for (size_t k = 0; k < nc; k++)
            cmp[k] = r->cmp_lsoas[k].population;
        return CSA_OK;
    }
    bool bands = ci->denominator_bands.n > 0;
    size_t in = bands ? r->cfg->population : ci->denominator_input;
    const csa_config_input *src = &r->cfg->inputs[in];
    const csa_table *t = bands || in == r->cfg->population ? r->pop : r->in[in].table;
    const char *file = src->files.n ? src->files.v[0] : r->cfg->path;
    if (!t) /* left out by --allow-invalid */
        return csa_error_set(&r->err, CSA_ERR_USAGE, r->cfg->path, (uint64_t)ci->line, 0,
                             "denominator", ci->denominator, "[indicator.%s] denominator '%s': "
                             "input %s was left out, so the rate has no denominator", ci->name,
                             ci->denominator, src->name);
    size_t area = as_role(t, src->spec, CSA_ROLE_AREA), yc = as_role(t, src->spec, CSA_ROLE_YEAR);
    size_t n = csa_table_nrows(t);
    double *v = as_calloc(r, n + 1, sizeof *v);
    if (!v)
        return CSA_ERR_NOMEM;
    const char *what;
    if (bands) {
        const char *cols = NULL;
        for (size_t b = 0; b < ci->denominator_bands.n; b++) {
            const char *name = ci->denominator_bands.v[b];
            size_t col = csa_table_find(t, name);
            bool any = false;
            for (size_t row = 0; col != CSA_NO_ROW && row < n && !any; row++)
                any = csa_table_valid(t, col, row);
            if (!any)
                return csa_error_set(&r->err, CSA_ERR_USAGE, file, 0, 0, name, NULL,
                                     "[indicator.%s] denominator '%s': the population input "
                                     "(input %s) has no column %s to sum", ci->name,
                                     ci->denominator, src->name, name);
            const int64_t *x = csa_table_int64s(t, col);
            for (size_t row = 0; row < n; row++)
                v[row] += csa_table_valid(t, col, row) ? (double)x[row] : NAN;
            cols = cols ? as_fmt(r, "%s, %s", cols, name) : name;
        }
        what = as_fmt(r, "the population input's columns %s summed in each LSOA", cols);
    } else {
        const int64_t *x = csa_table_int64s(t, as_role(t, src->spec, CSA_ROLE_POPULATION));
        for (size_t row = 0; row < n; row++)
            v[row] = (double)x[row];
        what = as_fmt(r, "the Total column of input %s (%s) in each LSOA", src->name, file);
    }
    /* the rows of the period's year and the comparison's, when it has years */
    const int64_t *years = NULL;
    int y_now = r->pop_year, y_before = r->cmp_year;
    bool dated = false;
    for (size_t row = 0; yc != CSA_NO_ROW && row < n && !dated; row++)
        dated = csa_table_valid(t, yc, row);
    csa_status st = CSA_OK;
    if (dated) {
        years = csa_table_int64s(t, yc);
        if (!bands && ((st = per_year(r, ci, t, yc, r->pop_year, file, &y_now)) ||
                       (st = per_year(r, ci, t, yc, r->cmp_year, file, &y_before))))
            return st;
    }
    if ((st = as_lsoa_denominators(r, t, area, v, years, y_now, now, cmp)) ||
        (st = as_lsoa_denominators(r, t, area, v, years, y_before, before, NULL)))
        return st;
    for (size_t l = 0; l < nl; l++)
        if (!isnan(now[l]) && isnan(before[l]))
            return csa_error_set(&r->err, CSA_ERR_VALUE, file, 0, 0, "area code",
                                 r->lsoas[l].code, "[indicator.%s] denominator '%s': LSOA %s "
                                 "has %s in mid-%d (the period's) but none in mid-%d (the "
                                 "comparison period's)", ci->name, ci->denominator,
                                 r->lsoas[l].code, label, y_now, y_before);
    char m[32];
    csa_format_number(ci->multiplier, 0, m, sizeof m);
    as_add_note(r, rep, "Rates are per %s %s (denominator = %s): %s%s, not per residents",
                m, label, ci->denominator, what,
                dated ? as_fmt(r, ", mid-%d%s", y_now,
                               y_before != y_now ? as_fmt(r, " (mid-%d for the comparison "
                                                             "period)", y_before) : "")
                      : "");
    return CSA_OK;
}

/* Every row of input i through as_place_row, as police crime's are: rows of
 * the categories `cats` (NULL: all) counted once each (incidents) or by
 * their count column (counts by area, where a row of the area's own LA
 * code counts for the area as a whole). */
static csa_status count_rows(csa_assess *r, size_t i, const csa_config_list *cats,
                             const double *per, partner_counts *pc, const char **missing)
{
    *missing = NULL;
    const csa_table *t = r->in[i].table;
    const csa_spec *spec = r->cfg->inputs[i].spec;
    bool counts = is_counts(r, i);
    size_t month_col = as_role(t, spec, CSA_ROLE_PERIOD);
    size_t area_col = as_role(t, spec, counts ? CSA_ROLE_AREA : CSA_ROLE_LSOA);
    size_t cat_col = as_role(t, spec, CSA_ROLE_CATEGORY);
    size_t count_col = counts ? as_role(t, spec, CSA_ROLE_COUNT) : CSA_NO_ROW;
    const csa_dict *ad = csa_table_dict(t, area_col), *cd = csa_table_dict(t, cat_col);
    size_t ncats = csa_dict_size(cd), tn = r->tl_n;
    *pc = (partner_counts){.lsoa = as_calloc(r, r->nlsoas ? r->nlsoas : 1, sizeof *pc->lsoa),
                           .month = as_calloc(r, tn, sizeof *pc->month),
                           .present = as_calloc(r, tn, sizeof *pc->present),
                           .first = INT32_MAX, .last = INT32_MIN};
    bool *want = pc->want = as_calloc(r, ncats ? ncats : 1, sizeof *want);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t k = 0; k < ncats; k++)
        want[k] = !cats || wanted_category(cats, csa_dict_string(cd, (uint32_t)k, NULL));
    for (size_t k = 0; cats && k < cats->n; k++) {
        bool found = false;
        for (size_t j = 0; j < ncats && !found; j++)
            found = !strcasecmp(cats->v[k], csa_dict_string(cd, (uint32_t)j, NULL));
        if (!found)
            *missing = as_fmt(r, "%s%s'%s'", *missing ? *missing : "", *missing ? ", " : "",
                              cats->v[k]);
    }
    /* the area's own LA code, and the comparator's LAs, in the area column */
    uint32_t la = r->cfg->la_code ? csa_dict_find(ad, r->cfg->la_code, strlen(r->cfg->la_code))
                                  : CSA_NO_CODE;
    as_lsoa_map area, cmp;
    csa_status st = as_map_lsoas(r, ad, r->lsoas, r->nlsoas, &area);
    if (!st)
        st = as_map_lsoas(r, ad, r->cmp_lsoas, r->ncmp_lsoas, &cmp);
    if (st)
        return st;
    /* the comparator's LAs (comparator_areas), by code of the area column */
    size_t ncodes = csa_dict_size(ad);
    bool *cmp_la = as_calloc(r, ncodes ? ncodes : 1, sizeof *cmp_la);
    if (!cmp_la)
        return CSA_ERR_NOMEM;
    for (size_t k = 0; k < r->cfg->comparator_areas.n; k++) {
        const char *code = r->cfg->comparator_areas.v[k];
        uint32_t c = csa_dict_find(ad, code, strlen(code));
        if (c != CSA_NO_CODE)
            cmp_la[c] = true;
    }
    const uint32_t *catv = csa_table_codes(t, cat_col), *codes = csa_table_codes(t, area_col);
    const int64_t *countv = counts ? csa_table_int64s(t, count_col) : NULL;
    for (size_t row = 0; row < csa_table_nrows(t); row++) {
        int32_t day = csa_table_dates(t, month_col)[row];
        pc->first = day < pc->first ? day : pc->first;
        pc->last = day > pc->last ? day : pc->last;
        size_t m = as_timeline_index(r, day), l, cm, cl;
        if (m != SIZE_MAX)
            pc->present[m] = true;
        if (!want[catv[row]])
            continue;
        double events = 1;
        if (counts && !csa_table_valid(t, count_col, row))
            events = 0, pc->suppressed_rows += m != SIZE_MAX && m >= r->tl_period;
        else if (counts)
            events = (double)countv[row];
        bool whole = la != CSA_NO_CODE && csa_table_valid(t, area_col, row) && codes[row] == la;
        if (counts && !whole && m != SIZE_MAX && m >= r->tl_period &&
            csa_table_valid(t, area_col, row)) {
            const char *code = csa_dict_string(ad, codes[row], NULL);
            pc->other_areas += strncmp(code, "E01", 3) && strncmp(code, "W01", 3);
        }
        as_term term = whole ? (m == SIZE_MAX ? AS_OUTSIDE_PERIOD : AS_USED)
                             : place_row(r, &area, t, month_col, area_col, row, r->in[i].located,
                                         &m, &l);
        /* an LSOA with residents but no figure of the indicator's own
         * denominator (per) is left out of every month, as of the rate */
        if (term == AS_USED && per && l != SIZE_MAX && isnan(per[l]))
            term = AS_NO_POPULATION;
        pc->n[term]++;
        if (term == AS_OUTSIDE_PERIOD)
            continue;
        bool period = m >= r->tl_period;
        pc->in_period[term] += period;
        if (term == AS_USED)
            pc->month[m] += events;
        if (!period)
            continue;
        if (whole)
            pc->la_level += events;
        else if (l != SIZE_MAX && (term == AS_USED || term == AS_NO_POPULATION))
            pc->lsoa[l] += events;
        if (!whole && as_place_row(r, &cmp, t, month_col, area_col, row, &cm, &cl) == AS_USED)
            pc->cmp += events;
        if (counts && csa_table_valid(t, area_col, row) && cmp_la[codes[row]])
            pc->cmp += events; /* a comparator LA's count for the whole LA */
    }
    for (size_t m = 0; m < tn; m++)
        if (!pc->present[m])
            pc->month[m] = NAN;
    return CSA_OK;
}

/* Where a counts input's rows went and the months it covers, as
 * as_account_months says it of police crime. */
static void account_counts(csa_assess *r, size_t i)
{
    as_input *s = &r->in[i];
    partner_counts pc;
    const char *missing;
    if (count_rows(r, i, NULL, NULL, &pc, &missing))
        return;
    s->accepted = pc.n[AS_USED], s->no_location = pc.n[AS_NO_LOCATION];
    s->no_population = pc.n[AS_NO_POPULATION], s->outside_area = pc.n[AS_OUTSIDE_AREA];
    s->outside_period = pc.n[AS_OUTSIDE_PERIOD];
    if (pc.first <= pc.last) {
        char range[CSA_PERIOD_TEXT_MAX];
        s->covers = as_fmt(r, "%s", csa_month_range_label(pc.first, pc.last, CSA_MONTH_SHORT,
                                                          range));
    }
    s->tl_present = pc.present;
    s->month_present = pc.present + r->tl_period;
    s->missing = as_missing_months(r, s->month_present);
    if (r->ncompare) {
        char buf[1024];
        int32_t first = csa_month_add(r->tl_first, (int)r->tl_compare);
        s->compare_missing = as_fmt(r, "%s", as_month_runs(first, r->ncompare,
                                                           pc.present + r->tl_compare, buf,
                                                           sizeof buf) ? buf : "none");
    }
}

/* Suppression of counts whose total is published (the headline count),
 * each grouping's groups' totals published too (csa_suppress_lines: the
 * LSOAs by decile and by higher area): marks[0..n), group_marks[g] (each
 * ngroups[g] + 1 long, or NULL). A NaN count (a month without rows) is 0. */
static csa_status suppress_lines(csa_assess *r, size_t n, const double *count,
                                 size_t ngroupings, const int *const *group,
                                 const size_t *ngroups, unsigned char *marks,
                                 unsigned char *const *group_marks, size_t *hidden)
{
    double *v = as_calloc(r, n + 1, sizeof *v);
    if (!v)
        return CSA_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        v[i] = isnan(count[i]) ? 0 : count[i];
    csa_disclosure_options o;
    csa_disclosure_defaults(&o);
    o.threshold = r->cfg->suppress_below;
    csa_suppression_summary sum;
    csa_status st = csa_suppress_lines(n, v, ngroupings, group, ngroups, &o, marks, group_marks,
                                       NULL, &sum, &r->err);
    if (!st)
        *hidden += sum.primary + sum.secondary;
    return st;
}

/* Blanks a table's figures (any of the arrays, each n long) where
 * marks say, and names why in the text column `why`. */
static void blank_marked(csa_assess *r, size_t n, const unsigned char *marks, const char **why,
                         double *a, double *b, double *c, double *d)
{
    for (size_t i = 0; i < n; i++) {
        if (marks[i] != CSA_CELL_PRIMARY && marks[i] != CSA_CELL_SECONDARY)
            continue;
        why[i] = marks[i] == CSA_CELL_PRIMARY
                     ? as_fmt(r, "suppressed: below %g", r->cfg->suppress_below)
                     : "suppressed: would reveal a small count";
        if (a) a[i] = NAN;
        if (b) b[i] = NAN;
        if (c) c[i] = NAN;
        if (d) d[i] = NAN;
    }
}

/* The map points of incident input i (longitude and latitude, when its
 * file has them): the period's rows placed in one of the area's LSOAs,
 * as police crime's are kept when read, once per input whatever its
 * indicators count (each keeps its categories' points). */
static void keep_points(csa_assess *r, size_t i)
{
    as_input *s = &r->in[i];
    if (s->points || is_counts(r, i))
        return;
    const csa_table *t = s->table;
    const csa_spec *spec = r->cfg->inputs[i].spec;
    size_t month_col = as_role(t, spec, CSA_ROLE_PERIOD);
    size_t lsoa_col = as_role(t, spec, CSA_ROLE_LSOA);
    const uint32_t *catv = csa_table_codes(t, as_role(t, spec, CSA_ROLE_CATEGORY));
    as_lsoa_map area;
    if (as_map_lsoas(r, csa_table_dict(t, lsoa_col), r->lsoas, r->nlsoas, &area))
        return;
    for (size_t row = 0; row < csa_table_nrows(t) && !r->nomem; row++) {
        size_t m, l;
        as_term term = place_row(r, &area, t, month_col, lsoa_col, row, s->located, &m, &l);
        if ((term == AS_USED || term == AS_NO_POPULATION) && m >= r->tl_period)
            as_keep_point(r, i, row, catv[row], l);
    }
}

/* The indicator's maps, as police crime's (as_count_maps): its rates by
 * LSOA, and the hotspots of its incidents' map points unless the input is
 * personal, whose suppressed LSOAs (hidden, [np] in the order of the
 * populated LSOAs) are left unshaded. */
static csa_status partner_maps(csa_assess *r, const csa_config_indicator *ci,
                               csa_indicator_report *rep, const partner_counts *pc,
                               const partner_per *per, const char *Noun, const char *noun,
                               const unsigned char *l_marks, csa_chart *charts, size_t *nc,
                               csa_report_table *tabs, size_t *nt)
{
    if (!r->shapes)
        return CSA_OK;
    bool personal = r->cfg->inputs[ci->input].personal;
    unsigned char *hidden = as_calloc(r, r->nlsoas + 1, 1);
    if (!hidden)
        return CSA_ERR_NOMEM;
    for (size_t l = 0, k = 0; l < r->nlsoas; l++) {
        if (isnan(per->now[l]))
            continue;
        hidden[l] = personal && (l_marks[k] == CSA_CELL_PRIMARY ||
                                 l_marks[k] == CSA_CELL_SECONDARY);
        k++;
    }
    keep_points(r, ci->input);
    as_map_counts m = {Noun, noun, rep->source,
                       as_fmt(r, "%s (the incidents' coordinates)", rep->source),
                       "map point (coordinates)", per->now,
                       per->residents ? "Population" : per->Label, hidden, personal};
    return as_count_maps(r, (size_t)(ci - r->cfg->indicators), rep, &m, pc->want, pc->lsoa,
                         charts, nc, tabs, nt);
}

/* The figures of a partner indicator from its counts: what police
 * crime's figures are (kind_police.c), with `noun` for what is counted. */
static csa_status partner_figures(csa_assess *r, const csa_config_indicator *ci,
                                  csa_indicator_report *rep, as_extra *x,
                                  const partner_counts *pc, const partner_per *pp,
                                  const char *noun, const char *source, csa_chart *charts,
                                  size_t *ncharts, csa_report_table *tabs, size_t *ntabs)
{
    size_t nl = r->nlsoas, nm = r->nmonths, tn = r->tl_n;
    bool personal = r->cfg->inputs[ci->input].personal;
    const char *Noun = as_fmt(r, "%c%s", noun[0] - 'a' + 'A', noun + 1);
    const partner_per per = *pp;
    csa_status st;
    rep->rows = (csa_row_accounting){
        .read = pc->n[AS_USED] + pc->n[AS_NO_LOCATION] + pc->n[AS_NO_POPULATION] +
                pc->n[AS_OUTSIDE_AREA] + pc->n[AS_OUTSIDE_PERIOD],
        .used = pc->n[AS_USED], .no_location = pc->n[AS_NO_LOCATION],
        .no_population = pc->n[AS_NO_POPULATION], .outside_area = pc->n[AS_OUTSIDE_AREA],
        .outside_period = pc->n[AS_OUTSIDE_PERIOD]};
    rep->has_rows = 1;
    if (pc->suppressed_rows)
        as_add_note(r, rep, "%.0f row%s of the period %s a count the partner suppressed "
                    "(*): not counted, so the figures understate", pc->suppressed_rows,
                    pc->suppressed_rows == 1 ? "" : "s", pc->suppressed_rows == 1 ? "has" : "have");
    if (pc->other_areas)
        as_add_note(r, rep, "%.0f row%s of the period count%s for areas that are neither "
                    "LSOAs nor %s as a whole (wards?): csa counts a partner's counts by LSOA or "
                    "for the area's LA, so they are left out (outside the area); ask for them "
                    "by LSOA", pc->other_areas, pc->other_areas == 1 ? "" : "s",
                    pc->other_areas == 1 ? "s" : "", r->cfg->area_name);
    /* a rate from the few rows with a place would be a figure the data
     * does not support */
    uint64_t placed = pc->in_period[AS_USED] + pc->in_period[AS_NO_POPULATION];
    const as_input *in = &r->in[ci->input];
    const csa_config_input *inp = &r->cfg->inputs[ci->input];
    if (pc->in_period[AS_NO_LOCATION] > placed) {
        const csa_table *t = in->table;
        as_point_cols pcols = as_point_columns(t, inp->spec);
        bool points = !is_counts(r, ci->input) &&
                      ((pcols.lon != CSA_NO_ROW && pcols.lat != CSA_NO_ROW) ||
                       (pcols.east != CSA_NO_ROW && pcols.north != CSA_NO_ROW));
        return csa_error_set(
            &r->err, CSA_ERR_VALUE, inp->files.v[0], 0, 0, NULL, NULL,
            "[indicator.%s]: %" PRIu64 " of the %" PRIu64 " rows of %s that count for it have "
            "no %s, so csa cannot say how many there were in %s: %s, or take [indicator.%s] "
            "out of the config", ci->name, pc->in_period[AS_NO_LOCATION],
            pc->in_period[AS_NO_LOCATION] + placed, r->cfg->period_label,
            is_counts(r, ci->input) ? "area code" : "LSOA code", r->cfg->area_name,
            points && !r->shapes
                ? "give the area's LSOA boundaries ([assessment] boundaries = INPUT, an input "
                  "of spec boundaries) so that csa places the rows by their coordinates, or "
                  "ask the partner for LSOA codes"
                : "ask the partner for the LSOA code of every row",
            ci->name);
    }
    if (in->by_point)
        as_add_note(r, rep, "Rows of input %s without an LSOA code are placed in LSOAs by "
                    "their coordinates (longitude and latitude, or easting and northing), in the "
                    "LSOA boundaries' shapes (%" PRIu64
                    " row%s of the input%s)", inp->name, in->by_point,
                    in->by_point == 1 ? "" : "s",
                    in->point_outside ? as_fmt(r, "; %" PRIu64 " more %s outside the area "
                                                  "and %s not counted", in->point_outside,
                                               in->point_outside == 1 ? "falls" : "fall",
                                               in->point_outside == 1 ? "is" : "are")
                                      : "");
    /* shapes that hold fewer of the police crimes than real data does
     * place these rows as loosely: their LSOAs' figures, not only maps */
    if (in->by_point && r->shapes_caveat)
        as_add_note(r, rep, "Its rows placed by their coordinates are placed in those shapes "
                    "too, so their LSOA, deprivation and area figures are only as good as the "
                    "shapes: %c%s", tolower((unsigned char)r->shapes_caveat[0]),
                    r->shapes_caveat + 1);
    if (pc->in_period[AS_NO_LOCATION])
        as_add_note(r, rep, "%s row%s of the period %s no LSOA and %s not counted",
                    shown(r, ci, (double)pc->in_period[AS_NO_LOCATION]),
                    pc->in_period[AS_NO_LOCATION] == 1 ? "" : "s",
                    pc->in_period[AS_NO_LOCATION] == 1 ? "has" : "have",
                    pc->in_period[AS_NO_LOCATION] == 1 ? "is" : "are");
    double count = pc->la_level, pop = 0, pop_before = 0, unpop = 0;
    size_t np = 0;
    double *lc = as_calloc(r, nl + 1, sizeof *lc), *lp = as_calloc(r, nl + 1, sizeof *lp);
    const char **lcode = as_calloc(r, nl + 1, sizeof *lcode);
    int *ldec = as_calloc(r, nl + 1, sizeof *ldec), *lhigh = as_calloc(r, nl + 1, sizeof *lhigh);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t l = 0; l < nl; l++) {
        const as_lsoa *a = &r->lsoas[l];
        if (isnan(per.now[l])) {
            unpop += pc->lsoa[l];
            continue;
        }
        count += pc->lsoa[l], pop += per.now[l], pop_before += per.before[l];
        lc[np] = pc->lsoa[l], lp[np] = per.now[l], lcode[np] = a->code;
        lhigh[np] = a->higher == SIZE_MAX ? -1 : (int)a->higher;
        ldec[np++] = a->decile - 1;
    }
    if (unpop)
        as_add_note(r, rep, "%s %s in LSOAs with no %s are left out of the rate",
                    shown(r, ci, unpop), noun,
                    per.residents ? "population row" : as_fmt(r, "%s figure", per.label));
    if (pc->la_level)
        as_add_note(r, rep, "%.0f %s are given for %s as a whole, with no LSOA: they count in "
                    "the rate, not in the breakdowns by deprivation and neighbourhood",
                    pc->la_level, noun, r->cfg->area_name);
    /* personal data: a headline below the threshold, now or in the
     * comparison period, is no figure at all (every table and chart would
     * give it away) */
    double before = 0;
    for (size_t m = r->tl_compare; r->ncompare && m < r->tl_compare + r->ncompare; m++)
        before += isnan(pc->month[m]) ? 0 : pc->month[m];
    double thr = r->cfg->suppress_below;
    bool small_now = count >= 1 && count < thr, small_before = before >= 1 && before < thr;
    if (personal && (small_now || small_before)) {
        /* which period was small, as the data says: a period of 50 is not
         * "fewer than 5" because its comparison had 3 */
        const char *which = small_now && small_before ? "in both the period and the comparison "
                                                         "period"
                            : small_now ? "in the period"
                                        : as_fmt(r, "in the comparison period, %s, which its "
                                                    "change and month charts would give away",
                                                 as_compare_span(r));
        as_add_note(r, rep, "Suppressed (personal data): fewer than %g %s in the area %s", thr,
                    noun, which);
        rep->reading = as_fmt(r, "%s: no figure for %s (suppressed: fewer than %g %s %s).",
                              rep->title, r->cfg->period_label, thr, noun, which);
        rep->change = "Not shown: suppressed (personal data)";
        *ncharts = 0, *ntabs = 0;
        return CSA_OK;
    }
    csa_estimate est;
    if ((st = csa_rate_estimate(count, pop, ci->multiplier, &as_level95, &est, &r->err)))
        return st;
    rep->count = count, rep->denominator = pop;
    rep->value = est.value, rep->lower = est.lower[0], rep->upper = est.upper[0];
    /* the comparator's rate from its LSOAs, as police crime's, when the
     * config gives no comparator_value */
    double cmp_pop = 0;
    for (size_t k = 0; k < r->ncmp_lsoas; k++)
        cmp_pop += isnan(per.cmp[k]) ? 0 : per.cmp[k];
    /* rows placed by their points are placed in the area's shapes only:
     * the comparator's count from its LSOAs would leave them out */
    const as_input *pin = &r->in[ci->input];
    if (isnan(ci->comparator_value) && cmp_pop > 0 && pin->by_point + pin->point_outside > 0)
        as_add_note(r, rep, "Not compared: rows of input %s without an LSOA code are placed "
                    "by their coordinates in %s's LSOA boundaries only, so the comparator's "
                    "count from its LSOAs would leave its own such rows out (give LSOA codes, "
                    "or comparator_value)", r->cfg->inputs[ci->input].name, r->cfg->area_name);
    else if (isnan(ci->comparator_value) && cmp_pop > 0)
        rep->comparator_value = pc->cmp / cmp_pop * ci->multiplier;
    as_compare(r, rep);

    /* the history the change and the month charts share */
    double *days = as_calloc(r, tn, sizeof *days);
    if (!days)
        return CSA_ERR_NOMEM;
    bool compared = false;
    size_t small_months = 0; /* months below the threshold, for a personal input */
    for (size_t m = 0; m < tn; m++) {
        int32_t d = csa_month_add(r->tl_first, (int)m);
        days[m] = csa_month_add(d, 1) - d;
        compared |= m >= r->tl_compare && m < r->tl_compare + r->ncompare && !isnan(pc->month[m]);
        small_months += pc->month[m] >= 1 && pc->month[m] < r->cfg->suppress_below;
    }
    /* the history from the partner's first month: the timeline may reach
     * further back for police crime, and months before a partner sent
     * anything are no months of its history (nor the comparison's or a
     * configured baseline's, which it keeps) */
    size_t off = 0, keep = r->ncompare && r->tl_compare < r->tl_period ? r->tl_compare
                                                                       : r->tl_period;
    if (r->cfg->baseline_last && as_timeline_index(r, r->cfg->baseline_first) < keep)
        keep = as_timeline_index(r, r->cfg->baseline_first);
    while (off < keep && !pc->present[off])
        off++;
    as_history h = {.n = tn - off, .first = csa_month_add(r->tl_first, (int)off),
                    .label = r->tl_label + off, .count = pc->month + off, .days = days + off,
                    .period_first = r->tl_period - off, .period_n = nm,
                    .compare_first = r->ncompare ? r->tl_compare - off : 0,
                    .compare_n = compared ? r->ncompare : 0, .population = pop,
                    .population_before = pop_before, .multiplier = ci->multiplier,
                    .noun = noun, .per = per.residents ? NULL : per.label};
    as_history_baseline(r, &h, off);
    as_change(r, rep, x, &h, rep->unit);
    size_t nmc = 0;
    const char *phrase;
    if ((st = as_history_charts(r, rep, x, &h, source, charts, &nmc, &phrase)))
        return st;
    as_reading(r, rep, as_fmt(r, "; %s", phrase));
    if (rep->compared_with && rep->count_now >= 0) {
        size_t skip = strlen(rep->title) + 2;
        rep->reading = as_fmt(r, "%s: %s. In %s: %s", rep->title, rep->change,
                              r->cfg->period_label, rep->reading + skip);
    }
    if (personal && small_months) {
        /* a month's count below the threshold would show on the month
         * charts and tables: they are left out */
        nmc = 0;
        as_add_note(r, rep, "The month charts and tables are left out: %zu month%s of the "
                    "history count%s fewer than %g %s, which personal data may not show",
                    small_months, small_months == 1 ? "" : "s", small_months == 1 ? "s" : "",
                    r->cfg->suppress_below, noun);
    }

    /* the period's months */
    const char *rate_name = as_fmt(r, "Rate %s", rep->unit);
    double *m_count = as_calloc(r, nm, sizeof *m_count), *m_rate = as_calloc(r, nm, sizeof *m_rate);
    double *m_lo = as_calloc(r, nm, sizeof *m_lo), *m_hi = as_calloc(r, nm, sizeof *m_hi);
    double *m_days = as_calloc(r, nm, sizeof *m_days);
    const char **m_why = as_calloc(r, nm, sizeof *m_why);
    unsigned char *m_marks = as_calloc(r, nm, 1);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t m = 0; m < nm; m++) {
        csa_estimate e;
        m_count[m] = pc->month[r->tl_period + m], m_days[m] = days[r->tl_period + m];
        if ((st = csa_rate_estimate(m_count[m], pop, ci->multiplier, &as_level95, &e, &r->err)))
            return st;
        m_rate[m] = e.value, m_lo[m] = e.lower[0], m_hi[m] = e.upper[0];
    }
    size_t hidden = 0;
    if (personal) {
        if ((st = suppress_lines(r, nm, m_count, 0, NULL, NULL, m_marks, NULL, &hidden)))
            return st;
        blank_marked(r, nm, m_marks, m_why, m_count, m_rate, m_lo, m_hi);
    }
    size_t nt = 0;
    as_col mcols[] = {AS_TEXT("Month", r->month_label), AS_WHOLE(Noun, m_count),
                      AS_WHOLE("Days", m_days), AS_NUM(rate_name, m_rate),
                      AS_NUM("Lower 95% CI", m_lo), AS_NUM("Upper 95% CI", m_hi),
                      AS_TEXT("Suppressed", m_why)};
    tabs[nt++] = (csa_report_table){as_fmt(r, "%s by month", rep->title),
                                    as_table(r, nm, mcols, personal ? 7 : 6), 4,
                                    CSA_NATIVE_LINE, "Month", rate_name, "Lower 95% CI",
                                    "Upper 95% CI", NULL, NULL, NULL, 0};
    if (nmc) {
        size_t nh;
        if ((st = as_history_tables(r, &h, charts, nmc, tabs + nt, &nh)))
            return st;
        nt += nh;
    }

    /* by deprivation decile and by LSOA, over the LSOAs' events */
    double lsoa_total = count - pc->la_level;
    csa_area_decile_rates ad;
    int *dec_of = as_calloc(r, np + 1, sizeof *dec_of);
    if (!dec_of)
        return CSA_ERR_NOMEM;
    for (size_t k = 0; k < np; k++)
        dec_of[k] = ldec[k] + 1;
    if ((st = csa_area_decile_rates_compute(np, dec_of, lc, lp, ci->multiplier, &as_level95, &ad,
                                            &r->err)))
        return st;
    double *d_rate = as_calloc(r, 10, sizeof *d_rate), *d_lo = as_calloc(r, 10, sizeof *d_lo);
    double *d_hi = as_calloc(r, 10, sizeof *d_hi), *d_count = as_calloc(r, 10, sizeof *d_count);
    double *d_pop = as_calloc(r, 10, sizeof *d_pop);
    const char **d_why = as_calloc(r, 10, sizeof *d_why), **l_why = as_calloc(r, np + 1,
                                                                              sizeof *l_why);
    unsigned char *d_marks = as_calloc(r, 11, 1), *l_marks = as_calloc(r, np + 1, 1);
    /* the higher areas (MSOAs, wards) of the LSOAs, a grouping of their own */
    size_t nh = r->nhigher;
    unsigned char *h_marks = as_calloc(r, nh + 1, 1);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (int d = 0; d < 10; d++) {
        d_rate[d] = ad.rate[d].value, d_lo[d] = ad.rate[d].lower[0], d_hi[d] = ad.rate[d].upper[0];
        d_count[d] = ad.count[d], d_pop[d] = ad.population[d] > 0 ? ad.population[d] : NAN;
    }
    csa_sii_options sopt;
    csa_sii_defaults(&sopt);
    sopt.repetitions = 10000;
    csa_sii_result sii;
    double sii_a = NAN, sii_b = NAN;
    x->deprivation_ratio = NAN;
    if ((st = csa_sii_rates(10, ad.count, ad.population, ci->multiplier, &sopt, &sii, &r->err)))
        return st;
    if (!isnan(sii.sii.value))
        sii_a = sii.intercept, sii_b = sii.sii.value;
    sopt.transform = 1;
    if ((st = csa_sii_rates(10, ad.count, ad.population, ci->multiplier, &sopt, &sii, &r->err)))
        return st;
    if (sii.rii.value > 0)
        x->deprivation_ratio = 1 / sii.rii.value;
    double *l_rate = as_calloc(r, np + 1, sizeof *l_rate), *l_count = as_calloc(r, np + 1,
                                                                                sizeof *l_count);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t k = 0; k < np; k++)
        l_count[k] = lc[k], l_rate[k] = lp[k] > 0 ? lc[k] / lp[k] * ci->multiplier : NAN;
    bool decile_hidden = false;
    if (personal) {
        /* the LSOAs alone, within their deciles and within their higher
         * areas, every total published: one set of marks for every table */
        const int *groups[2] = {ldec, lhigh};
        const size_t ngroups[2] = {10, nh};
        unsigned char *gm[2] = {d_marks, h_marks};
        if ((st = suppress_lines(r, np, l_count, nh ? 2 : 1, groups, ngroups, l_marks, gm,
                                 &hidden)))
            return st;
        blank_marked(r, np, l_marks, l_why, l_count, l_rate, NULL, NULL);
        blank_marked(r, 10, d_marks, d_why, d_count, d_rate, d_lo, d_hi);
        for (int d = 0; d < 10; d++)
            decile_hidden |= d_why[d] != NULL;
        if (decile_hidden)
            sii_a = sii_b = NAN; /* the fitted line is drawn from every decile's count */
    }
    csa_chart *c = &charts[nmc];
    *c = csa_chart_init(CSA_CHART_DECILE);
    as_chart_text(r, c, as_fmt(r, "%s by deprivation", rep->title),
                  "IMD 2019 decile (1 = most deprived 10% of LSOAs in England)",
                  as_fmt(r, "%s %s", Noun, rep->unit),
                  as_fmt(r, "%s; IMD 2019. Whiskers: 95%% confidence intervals%s%s", source,
                         isnan(sii_b) ? "" : "; line: slope index of inequality",
                         decile_hidden ? "; deciles with a suppressed count are not shown"
                                       : ""));
    c->n = 10, c->labels = csa_decile_labels(), c->values = d_rate, c->lower = d_lo,
    c->upper = d_hi, c->sii_intercept = sii_a, c->sii_slope = sii_b;
    size_t nc = nmc + 1;
    if (lsoa_total > 0 && !personal) {
        /* a personal input's LSOA points would give its small counts away */
        double *fr = NULL;
        csa_outcome *fo = NULL;
        if ((st = as_funnel_chart(r, rep, ci->multiplier, np, lc, lp, NULL, &fr, &fo, &charts[nc])))
            return st;
        as_chart_text(r, &charts[nc], as_fmt(r, "%s by neighbourhood", rep->title),
                      as_fmt(r, "%s of the LSOA", per.Label), as_fmt(r, "%s %s", Noun, rep->unit),
                      as_fmt(r, "%s. Limits: 95%% and 99.8%% around the area's rate", source));
        nc++;
    }
    *ncharts = nc;
    static const double decile[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    static const char *const ends[10] = {"most deprived", [9] = "least deprived"};
    as_col dcols[] = {AS_WHOLE("IMD decile", decile), AS_TEXT("Deprivation", ends),
                      AS_WHOLE(Noun, d_count),
                      AS_WHOLE(per.residents ? "Population" : per.Label, d_pop),
                      AS_NUM(rate_name, d_rate), AS_NUM("Lower 95% CI", d_lo),
                      AS_NUM("Upper 95% CI", d_hi), AS_TEXT("Suppressed", d_why)};
    tabs[nt++] = (csa_report_table){as_fmt(r, "%s by deprivation decile", rep->title),
                                    as_table(r, 10, dcols, personal ? 8 : 7), 2,
                                    CSA_NATIVE_COLUMN, "IMD decile", rate_name, "Lower 95% CI",
                                    "Upper 95% CI", NULL, NULL, NULL, 0};
    as_col lcols[] = {AS_TEXT("LSOA code", lcode), AS_WHOLE(Noun, l_count),
                      AS_WHOLE(per.residents ? "Population" : per.Label, lp),
                      AS_NUM(rate_name, l_rate),
                      AS_TEXT("Suppressed", l_why)};
    tabs[nt++] = (csa_report_table){as_fmt(r, "%s by LSOA", rep->title),
                                    as_table(r, np, lcols, personal ? 5 : 4), 2,
                                    CSA_NATIVE_NONE, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0};
    /* rates per higher area (MSOA, ward) and their caterpillar chart, as
     * police crime's (places.c), the counts suppressed as the LSOAs' */
    if (nh) {
        as_places hp = {ci, rep, pc->want, pc->lsoa, NULL, rate_name, rep->unit,
                        "Byar's method (exact Poisson below 10 events)", source, Noun, noun,
                        per.now, per.residents ? "Population" : per.Label,
                        personal ? h_marks : NULL};
        if ((st = as_higher_areas(r, &hp, tabs, &nt, &charts[nc++])))
            return st;
    }
    /* the maps last, as police crime's */
    if ((st = partner_maps(r, ci, rep, pc, &per, Noun, noun, l_marks, charts, &nc, tabs, &nt)))
        return st;
    *ncharts = nc;
    *ntabs = nt;
    *suppressed(r, ci) += hidden;
    return r->nomem ? CSA_ERR_NOMEM : CSA_OK;
}

/* The caveat every output of a personal input's indicator carries. */
static void personal_note(csa_assess *r, const csa_config_indicator *ci,
                          csa_indicator_report *rep)
{
    size_t n = *suppressed(r, ci);
    if (r->cfg->inputs[ci->input].personal)
        as_add_note(r, rep, "Personal data: %zu count%s of its tables and charts %s suppressed, "
                    "below %g or giving such a count away from a total", n,
                    n == 1 ? "" : "s", n == 1 ? "is" : "are", r->cfg->suppress_below);
}

const char *as_disclosure_note(csa_assess *r)
{
    const csa_config *c = r->cfg;
    const char *list = NULL;
    for (size_t i = 0; i < c->nindicators; i++) {
        if (!c->inputs[c->indicators[i].input].personal || r->in[c->indicators[i].input].excluded)
            continue;
        const char *one = as_fmt(r, "%s (input %s): %zu", c->indicators[i].title,
                                 c->inputs[c->indicators[i].input].name,
                                 r->suppressed ? r->suppressed[i] : 0);
        list = list ? as_fmt(r, "%s; %s", list, one) : one;
    }
    if (!list)
        return NULL;
    return as_fmt(r, "Disclosure control. Inputs marked personal = yes hold records of people "
                  "shared under a data-sharing agreement, so no published figure may let a "
                  "reader single one out: in every table and chart of their indicators, a "
                  "count from 1 to %g (suppress_below = %g) is suppressed (primary suppression), "
                  "and so are the smallest other counts of its row or column that would let it "
                  "be worked out by subtraction from a published total (secondary suppression: "
                  "the LSOAs within their deprivation deciles and within their higher areas, "
                  "the deciles and the higher areas within the area's total, all at once, so a "
                  "count hidden in one table is hidden in every one; the day and time table "
                  "with its day totals; the venues and months within the total). Zeros are "
                  "shown. Rates and intervals of a suppressed count "
                  "are blank, the LSOA funnel is not drawn (its points would give the counts "
                  "away), the day and time table is in three-hour bands, and the month charts "
                  "are left out when a month is below the threshold.%s Counts suppressed: %s.",
                  c->suppress_below - 1, c->suppress_below,
                  r->shapes ? " Their maps have no hotspot map (its points could identify "
                              "people), and the rate map leaves the LSOAs whose count is "
                              "suppressed unshaded, its legend saying how many." : "", list);
}

/* Indicator i's denominators and rows counted (count_rows), a category of
 * its config that no row has said on stderr and in its note, and room for
 * its charts and tables. */
static csa_status count_indicator(csa_assess *r, size_t i, partner_per *per, partner_counts *pc,
                                  size_t ncharts, size_t ntabs, csa_chart **charts,
                                  csa_report_table **tabs)
{
    const csa_config_indicator *ci = &r->cfg->indicators[i];
    csa_indicator_report *rep = &r->reports[i];
    const char *missing = NULL;
    csa_status st = denominators(r, ci, rep, per);
    if (!st)
        st = count_rows(r, ci->input, &ci->categories, per->now, pc, &missing);
    *charts = as_calloc(r, ncharts, sizeof **charts);
    *tabs = as_calloc(r, ntabs, sizeof **tabs);
    if (!st && r->nomem)
        st = CSA_ERR_NOMEM;
    if (!st && missing) {
        /* a misspelt category would count nothing and look like a fall */
        as_message(r, "warning: [indicator.%s] categories %s: no row of the input has %s: "
                   "%s 0", ci->name, missing, strchr(missing, ',') ? "them" : "it",
                   strchr(missing, ',') ? "they count" : "it counts");
        as_add_note(r, rep, "No rows of %s in the input: counted as 0", missing);
    }
    return st;
}

/* ---- counts by area and month (spec indicator) ---- */

static csa_status read_counts(csa_assess *r, size_t i)
{
    static const csa_role roles[] = {CSA_ROLE_PERIOD, CSA_ROLE_AREA, CSA_ROLE_CATEGORY,
                                     CSA_ROLE_COUNT};
    return as_ingest_roles(r, i, roles, sizeof roles / sizeof roles[0]);
}

static csa_status compute_counts(csa_assess *r, size_t i)
{
    const csa_config_indicator *ci = &r->cfg->indicators[i];
    csa_indicator_report *rep = &r->reports[i];
    partner_counts pc;
    partner_per per;
    csa_chart *charts;
    csa_report_table *tabs;
    csa_status st = count_indicator(r, i, &per, &pc, AS_HISTORY_CHARTS + 8, 10, &charts, &tabs);
    if (st)
        return st;
    const char *measures = "all measures";
    for (size_t k = 0; k < ci->categories.n; k++)
        measures = k ? as_fmt(r, "%s, %s", measures, ci->categories.v[k]) : ci->categories.v[k];
    const char *source = as_fmt(r, "Source: %s (%s); ONS population estimates", rep->source,
                                measures);
    if ((st = partner_figures(r, ci, rep, &r->extra[i], &pc, &per, "events", source, charts,
                              &rep->ncharts, tabs, &rep->ntables)))
        return st;
    personal_note(r, ci, rep);
    rep->charts = charts, rep->tables = tabs;
    return CSA_OK;
}

const csa_kind csa_kind_partner_counts = {
    .name = "partner counts",
    .spec = "indicator",
    .theme = "Partners",
    .multiplier = 1000,
    .candidate = true,
    .monthly = true,
    .method = "Counts by area and month from a partner; crude rate, 95% interval by Byar's "
              "method, exact Poisson below 10 events; SPC; SII by IMD decile",
    .read = read_counts,
    .compute = compute_counts,
    .computes = "a partner's events (the count column of the measures named by `categories`) "
                "in the area and period per `multiplier` of the `denominator` (residents by "
                "default)",
    .account = account_counts,
    .sparse = true,
};

/* ---- incident records (spec partner-incidents) ---- */

static const char *const WEEKDAYS[7] = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                        "Friday", "Saturday", "Sunday"};

/* The period's incidents of the indicator in the area by day of the week
 * and hour (or, for personal data, three-hour band) and by venue or
 * category: tables, and the heat chart. */
static csa_status when_and_where(csa_assess *r, const csa_config_indicator *ci,
                                 csa_indicator_report *rep, const char *source,
                                 csa_chart *heat, csa_report_table *tabs, size_t *ntabs)
{
    const csa_table *t = r->in[ci->input].table;
    const csa_spec *spec = r->cfg->inputs[ci->input].spec;
    bool personal = r->cfg->inputs[ci->input].personal;
    size_t month_col = as_role(t, spec, CSA_ROLE_PERIOD), lsoa_col = as_role(t, spec, CSA_ROLE_LSOA);
    size_t cat_col = as_role(t, spec, CSA_ROLE_CATEGORY), time_col = as_role(t, spec, CSA_ROLE_TIME);
    size_t venue_col = as_role(t, spec, CSA_ROLE_VENUE);
    /* breakdown by venue when the input has one, else by category */
    size_t by_col = venue_col != CSA_NO_ROW ? venue_col : cat_col;
    const csa_dict *cd = csa_table_dict(t, cat_col), *bd = csa_table_dict(t, by_col);
    size_t nb = csa_dict_size(bd), width = personal ? 3 : 1, nh = 24 / width;
    double *grid = as_calloc(r, 7 * nh, sizeof *grid), *by = as_calloc(r, nb + 1, sizeof *by);
    double untimed = 0, total = 0, no_venue = 0;
    as_lsoa_map area;
    if (r->nomem)
        return CSA_ERR_NOMEM;
    csa_status st = as_map_lsoas(r, csa_table_dict(t, lsoa_col), r->lsoas, r->nlsoas, &area);
    if (st)
        return st;
    for (size_t row = 0; row < csa_table_nrows(t); row++) {
        size_t m, l;
        if (!wanted_category(&ci->categories,
                             csa_dict_string(cd, csa_table_codes(t, cat_col)[row], NULL)))
            continue;
        /* the rows the rate counts: the period's, in a populated LSOA */
        if (place_row(r, &area, t, month_col, lsoa_col, row, r->in[ci->input].located, &m,
                      &l) != AS_USED ||
            m < r->tl_period)
            continue;
        total++;
        if (csa_table_valid(t, by_col, row))
            by[csa_table_codes(t, by_col)[row]]++;
        else
            no_venue++;
        const char *tm = as_text(t, time_col, row);
        int minutes = tm ? csa_time_minutes(tm, strlen(tm)) : -1;
        if (minutes < 0) {
            untimed++;
            continue;
        }
        int wd = csa_weekday(csa_table_dates(t, month_col)[row]);
        grid[(size_t)wd * nh + (size_t)(minutes / 60) / width]++;
    }
    /* the heat table: a row a day, a column an hour (band); its cells
     * under their day's total (published) and their hour's (taken as
     * published: a reader can add a column up), with csa_suppress_lines */
    unsigned char *marks = as_calloc(r, 7 * nh + 1, 1), *day_marks = as_calloc(r, 8, 1);
    unsigned char *band_marks = as_calloc(r, nh + 1, 1);
    int *day_of = as_calloc(r, 7 * nh + 1, sizeof *day_of);
    int *band_of = as_calloc(r, 7 * nh + 1, sizeof *band_of);
    size_t hidden = 0;
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t k = 0; k < 7 * nh; k++)
        day_of[k] = (int)(k / nh), band_of[k] = (int)(k % nh);
    if (personal) {
        const int *groups[2] = {day_of, band_of};
        const size_t ngroups[2] = {7, nh};
        unsigned char *gm[2] = {day_marks, band_marks};
        if ((st = suppress_lines(r, 7 * nh, grid, 2, groups, ngroups, marks, gm, &hidden)))
            return st;
    }
    const char **hour = as_calloc(r, nh, sizeof *hour);
    double **cols = as_calloc(r, nh, sizeof *cols);
    double *day_total = as_calloc(r, 7, sizeof *day_total);
    double *values = as_calloc(r, 7 * nh, sizeof *values);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    as_col hcols[26];
    hcols[0] = (as_col)AS_TEXT("Day", WEEKDAYS);
    for (size_t h = 0; h < nh; h++) {
        hour[h] = width == 1 ? as_fmt(r, "%02zu:00", h)
                             : as_fmt(r, "%02zu:00-%02zu:59", h * width, h * width + width - 1);
        if (!(cols[h] = as_calloc(r, 7, sizeof *cols[h])))
            return CSA_ERR_NOMEM;
        for (size_t d = 0; d < 7; d++) {
            unsigned char mk = marks[d * nh + h];
            bool hide = mk == CSA_CELL_PRIMARY || mk == CSA_CELL_SECONDARY;
            cols[h][d] = values[d * nh + h] = hide ? NAN : grid[d * nh + h];
            day_total[d] += grid[d * nh + h];
        }
        hcols[1 + h] = (as_col)AS_WHOLE(hour[h], cols[h]);
    }
    for (size_t d = 0; d < 7; d++) {
        unsigned char mk = day_marks[d];
        if (mk == CSA_CELL_PRIMARY || mk == CSA_CELL_SECONDARY)
            day_total[d] = NAN;
    }
    hcols[1 + nh] = (as_col)AS_WHOLE("All times", day_total);
    size_t nt = 0;
    tabs[nt++] = (csa_report_table){
        as_fmt(r, "%s by day of the week and %s", rep->title, width == 1 ? "hour" : "time of day"),
        as_table(r, 7, hcols, nh + 2), 0, CSA_NATIVE_HEAT, NULL, NULL, NULL, NULL, NULL,
        NULL, NULL, 0};
    *heat = csa_chart_init(CSA_CHART_HEAT);
    as_chart_text(r, heat, as_fmt(r, "%s: when in the week", rep->title),
                  width == 1 ? "Hour of the day (starting)" : "Time of day",
                  "Day of the week",
                  as_fmt(r, "%s; %s, %s%s", source, r->cfg->area_name, r->cfg->period_label,
                         hidden ? as_fmt(r, "; * counts suppressed (below %g, or giving one "
                                            "away)", r->cfg->suppress_below) : ""));
    heat->n = 7 * nh, heat->values = values, heat->labels = hour, heat->groups = WEEKDAYS;
    heat->heat_columns = nh;
    if (untimed)
        as_add_note(r, rep, "%s of the %.0f incidents have no time and are not in the "
                    "day and time table", shown(r, ci, untimed), total);

    /* by venue (or category), largest first */
    size_t *order = as_calloc(r, nb + 1, sizeof *order);
    const char **bname = as_calloc(r, nb + 1, sizeof *bname);
    double *bcount = as_calloc(r, nb + 1, sizeof *bcount), *share = as_calloc(r, nb + 1,
                                                                               sizeof *share);
    const char **why = as_calloc(r, nb + 1, sizeof *why);
    unsigned char *bmarks = as_calloc(r, nb + 1, 1);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    size_t nrows = 0;
    for (size_t k = 0; k < nb; k++)
        if (by[k] > 0)
            order[nrows++] = k;
    for (size_t a = 1; a < nrows; a++) /* few venues: insertion sort, ties by name order */
        for (size_t b = a; b > 0 && by[order[b]] > by[order[b - 1]]; b--) {
            size_t tmp = order[b];
            order[b] = order[b - 1], order[b - 1] = tmp;
        }
    for (size_t k = 0; k < nrows; k++) {
        bname[k] = csa_dict_string(bd, (uint32_t)order[k], NULL);
        bcount[k] = by[order[k]];
    }
    if (no_venue)
        bname[nrows] = "Not recorded", bcount[nrows++] = no_venue;
    for (size_t k = 0; k < nrows; k++)
        share[k] = total > 0 ? 100 * bcount[k] / total : NAN;
    if (personal) {
        if ((st = suppress_lines(r, nrows, bcount, 0, NULL, NULL, bmarks, NULL, &hidden)))
            return st;
        blank_marked(r, nrows, bmarks, why, bcount, share, NULL, NULL);
    }
    const char *what = venue_col != CSA_NO_ROW ? "Venue" : "Category";
    as_col vcols[] = {AS_TEXT(what, bname), AS_WHOLE("Incidents", bcount),
                      AS_NUM("Share (%)", share), AS_TEXT("Suppressed", why)};
    tabs[nt++] = (csa_report_table){as_fmt(r, "%s by %s", rep->title,
                                           venue_col != CSA_NO_ROW ? "venue" : "category"),
                                    as_table(r, nrows, vcols, personal ? 4 : 3), 1,
                                    CSA_NATIVE_BAR, what, "Incidents", NULL, NULL, NULL, NULL, NULL, 0};
    *ntabs = nt;
    *suppressed(r, ci) += hidden;
    return r->nomem ? CSA_ERR_NOMEM : CSA_OK;
}

/* The rows of input i without an LSOA code but with a point (longitude and
 * latitude projected to British National Grid, or an easting and
 * northing), found in the area's shapes (r->shapes, in r->lsoas order):
 * s->located. */
static csa_status locate_rows(csa_assess *r, size_t i)
{
    as_input *s = &r->in[i];
    const csa_table *t = s->table;
    const csa_spec *spec = r->cfg->inputs[i].spec;
    size_t lsoa_col = as_role(t, spec, CSA_ROLE_LSOA), rows = csa_table_nrows(t), n = 0, ngeo = 0;
    as_point_cols c = as_point_columns(t, spec);
    double px, py;
    for (size_t row = 0; row < rows; row++) {
        int kind = csa_table_valid(t, lsoa_col, row) ? 0 : as_row_point(t, &c, row, &px, &py);
        n += kind > 0, ngeo += kind == 1;
    }
    if (!n)
        return CSA_OK;
    /* shapes the police crimes' points showed wrong would place these
     * wrong too: the rows' figures, not just maps, hang on them */
    const char *wrong = r->maps_off ? r->maps_off : r->hotspots_off;
    if (wrong)
        return csa_error_set(
            &r->err, CSA_ERR_VALUE, r->cfg->inputs[i].files.v[0], 0, 0, NULL, NULL,
            "[input.%s] places %zu rows by their coordinates in the LSOA shapes of [input.%s], "
            "which the police crimes' map points show cannot be trusted (%s): correct the "
            "boundary file, or give these rows their LSOA codes", r->cfg->inputs[i].name, n,
            r->cfg->inputs[r->cfg->boundaries].name, wrong);
    double *x = as_calloc(r, n, sizeof *x), *y = as_calloc(r, n, sizeof *y);
    size_t *shape = as_calloc(r, n, sizeof *shape), *at = as_calloc(r, n, sizeof *at);
    s->located = as_calloc(r, rows, sizeof *s->located);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    /* longitudes and latitudes first, projected together; then the grid's */
    for (size_t row = 0, geo = 0, grid = ngeo; row < rows; row++) {
        s->located[row] = SIZE_MAX;
        int kind = csa_table_valid(t, lsoa_col, row) ? 0 : as_row_point(t, &c, row, &px, &py);
        size_t k = kind == 1 ? geo++ : kind == 2 ? grid++ : SIZE_MAX;
        if (k != SIZE_MAX)
            x[k] = px, y[k] = py, at[k] = row;
    }
    csa_status st = csa_project_wgs84(ngeo, x, y, &r->err);
    if (!st)
        st = csa_points_locate(r->shapes, n, x, y, shape, NULL, &r->err);
    if (st)
        return st;
    for (size_t k = 0; k < n; k++) {
        s->located[at[k]] = shape[k] == SIZE_MAX ? AS_POINT_OUTSIDE : shape[k];
        s->by_point += shape[k] != SIZE_MAX, s->point_outside += shape[k] == SIZE_MAX;
    }
    /* every point outside, and more of them than rows with a code: points
     * of another area, another grid, or longitude and latitude swapped */
    if (!s->by_point && s->point_outside > rows - s->point_outside) {
        int kind = as_row_point(t, &c, at[0], &px, &py);
        return csa_error_set(
            &r->err, CSA_ERR_VALUE, r->cfg->inputs[i].files.v[0], 0, 0, NULL, NULL,
            "[input.%s]: none of the %" PRIu64 " rows it places by their coordinates falls "
            "inside %s's LSOA boundaries (the first has %s %.6g and %s %.6g): are they another "
            "area's, or are the two columns swapped?", r->cfg->inputs[i].name, s->point_outside,
            r->cfg->area_name, kind == 1 ? "longitude" : "easting", px,
            kind == 1 ? "latitude" : "northing", py);
    }
    account_counts(r, i);
    as_stage(r, "placed %" PRIu64 " incidents of [input.%s] in LSOAs by their coordinates "
                "(%" PRIu64 " outside the area)", s->by_point, r->cfg->inputs[i].name,
             s->point_outside);
    return r->nomem ? CSA_ERR_NOMEM : CSA_OK;
}

csa_status as_locate_incidents(csa_assess *r)
{
    for (size_t i = 0; i < r->cfg->ninputs; i++) {
        if (r->in[i].excluded || !r->in[i].table ||
            csa_kind_for_spec(r->cfg->inputs[i].spec->name) != &csa_kind_partner_incidents)
            continue;
        csa_status st = locate_rows(r, i);
        if (st)
            return st;
    }
    return CSA_OK;
}

static csa_status read_incidents(csa_assess *r, size_t i)
{
    static const csa_role roles[] = {CSA_ROLE_PERIOD, CSA_ROLE_LSOA, CSA_ROLE_CATEGORY,
                                     CSA_ROLE_TIME, CSA_ROLE_VENUE, CSA_ROLE_LONGITUDE,
                                     CSA_ROLE_LATITUDE, CSA_ROLE_EASTING, CSA_ROLE_NORTHING};
    return as_ingest_roles(r, i, roles, sizeof roles / sizeof roles[0]);
}

static csa_status compute_incidents(csa_assess *r, size_t i)
{
    const csa_config_indicator *ci = &r->cfg->indicators[i];
    csa_indicator_report *rep = &r->reports[i];
    partner_counts pc;
    partner_per per;
    csa_chart *charts;
    csa_report_table *tabs;
    csa_status st = count_indicator(r, i, &per, &pc, AS_HISTORY_CHARTS + 9, 12, &charts, &tabs);
    if (st)
        return st;
    const char *source = as_fmt(r, "Source: %s; ONS population estimates", rep->source);
    size_t nc, nt, nw = 0;
    if ((st = partner_figures(r, ci, rep, &r->extra[i], &pc, &per, "incidents", source, charts, &nc,
                              tabs, &nt)))
        return st;
    /* no when or where of a headline suppressed */
    if (!isnan(rep->count) && (st = when_and_where(r, ci, rep, source, &charts[nc], tabs + nt,
                                                   &nw)))
        return st;
    nc += nw > 0; /* the heat chart comes with its tables */
    personal_note(r, ci, rep);
    rep->charts = charts, rep->ncharts = nc;
    rep->tables = tabs, rep->ntables = nt + nw;
    return CSA_OK;
}

const csa_kind csa_kind_partner_incidents = {
    .name = "partner incidents",
    .spec = "partner-incidents",
    .theme = "Partners",
    .multiplier = 1000,
    .candidate = true,
    .monthly = true,
    .method = "Incident records from a partner counted by LSOA and month; crude rate, 95% "
              "interval by Byar's method, exact Poisson below 10 events; SPC; SII by IMD "
              "decile; day of the week by time of day",
    .read = read_incidents,
    .account = account_counts,
    .compute = compute_incidents,
    .computes = "a partner's incidents (of the `categories` named) in the area and period per "
                "`multiplier` of the `denominator` (residents by default), with when in the "
                "week they happen and where",
    .sparse = true,
};
