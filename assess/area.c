/* The area: its LSOAs with their deprivation decile and residents, the
 * comparator's, and which survey respondents live in it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csa/month.h"
#include "internal.h"

const char *as_role_name(const csa_spec *spec, csa_role role)
{
    size_t k = csa_spec_role(spec, role);
    return k == CSA_NO_ROW ? "" : spec->columns[k].name;
}

size_t as_survey_column(const csa_spec *spec, const csa_table *t, const char *name)
{
    size_t k = csa_spec_column_index(spec, name);
    for (size_t c = 0; c < csa_table_ncols(t); c++) {
        const char *h = csa_table_column_name(t, c);
        if (k != CSA_NO_ROW ? csa_spec_column_matches(&spec->columns[k], h, strlen(h))
                            : !strcasecmp(h, name))
            return c;
    }
    return CSA_NO_ROW;
}

/* ---- LSOA vintages: one geography, the deprivation input's ---- */

static const csa_dict *imd_codes(const csa_assess *r)
{
    const csa_spec *is = r->cfg->inputs[r->cfg->deprivation].spec;
    return csa_table_dict(r->imd, as_role(r->imd, is, CSA_ROLE_LSOA));
}

static size_t vintage_col(const csa_assess *r, csa_role role)
{
    return as_role(r->vintages, r->cfg->inputs[r->cfg->lsoa_lookup].spec, role);
}

/* The lookup rows that make `code` a 2021 LSOA with 2011 parents: their
 * count, the first at v_row[*first]. 0 without a lookup, for a code the
 * deprivation input has as it is, and for one the lookup does not have. */
static size_t parents_of(const csa_assess *r, const char *code, size_t *first)
{
    size_t len = strlen(code);
    if (!r->vintages || csa_dict_find(imd_codes(r), code, len) != CSA_NO_CODE)
        return 0;
    uint32_t k = csa_dict_find(csa_table_dict(r->vintages, vintage_col(r, CSA_ROLE_AREA)), code,
                               len);
    if (k == CSA_NO_CODE)
        return 0;
    *first = r->v_start[k];
    return r->v_start[k + 1] - r->v_start[k];
}

/* The deprivation input's code of parent j (from *first) of a code with
 * np parents, or of the code itself when it has none. */
static uint32_t imd_code_of(const csa_assess *r, const char *code, size_t np, size_t first,
                            size_t j)
{
    if (np)
        code = as_text(r->vintages, vintage_col(r, CSA_ROLE_LSOA), r->v_row[first + j]);
    return csa_dict_find(imd_codes(r), code, strlen(code));
}

/* The lookup's rows grouped by their 2021 LSOA. */
static csa_status group_vintages(csa_assess *r)
{
    const csa_table *lk = r->vintages;
    size_t c21 = vintage_col(r, CSA_ROLE_AREA), n = csa_table_nrows(lk);
    size_t ncodes = csa_dict_size(csa_table_dict(lk, c21));
    const uint32_t *codes = csa_table_codes(lk, c21);
    r->v_start = as_calloc(r, ncodes + 1, sizeof *r->v_start);
    r->v_row = as_calloc(r, n, sizeof *r->v_row);
    r->v_share = as_calloc(r, n, sizeof *r->v_share);
    size_t *next = as_calloc(r, ncodes, sizeof *next);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        r->v_start[codes[i] + 1]++;
    for (size_t k = 0; k < ncodes; k++)
        next[k] = r->v_start[k + 1] += r->v_start[k];
    for (size_t i = n; i-- > 0;) /* backwards, so each group keeps file order */
        r->v_row[--next[codes[i]]] = i;
    return CSA_OK;
}

/* Residents of every LSOA of the deprivation input in the mid-year
 * estimate of `year` (every row when the input has no years) into *out,
 * NaN for none. Without a lookup a population row counts in the LSOA of
 * its code. With one, a row of a 2021 LSOA counts in its 2011 parents:
 * all of it in a single parent (unchanged, or one child of a split, whose
 * children so add up to the parent), shared among several (merged,
 * complex) in proportion to the residents the parents have from rows of
 * one parent, or equally when one of them has none: those shares are set
 * (r->v_share) from the year that `shares` is set for, the period's, and
 * crimes are shared the same way. */
static csa_status lsoa_sums(csa_assess *r, const csa_table *pop, size_t area,
                            const double *pops, const int64_t *years, int year, bool shares,
                            double **out)
{
    const csa_config *c = r->cfg;
    size_t npop = csa_table_nrows(pop);
    size_t nl = csa_dict_size(imd_codes(r));
    csa_status st = CSA_OK;
    if (c->lsoa_lookup != SIZE_MAX && !r->vintages) {
        r->vintages = r->in[c->lsoa_lookup].table;
        if ((st = group_vintages(r)))
            return st;
    }
    double *res = as_calloc(r, nl, sizeof *res);
    bool *any = as_calloc(r, nl, sizeof *any);
    bool *in_year = as_calloc(r, npop ? npop : 1, sizeof *in_year);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t row = 0; row < npop; row++)
        in_year[row] = !years || years[row] == year;
    /* rows of one parent, or none: the parents' residents known for certain */
    for (size_t row = 0; row < npop; row++) {
        if (!in_year[row])
            continue;
        size_t first = 0, np = parents_of(r, as_text(pop, area, row), &first);
        uint32_t k = np > 1 ? CSA_NO_CODE : imd_code_of(r, as_text(pop, area, row), np, first, 0);
        if (k != CSA_NO_CODE)
            res[k] += pops[row], any[k] = true;
    }
    if (r->vintages) {
        const uint32_t *codes21 = csa_table_codes(r->vintages, vintage_col(r, CSA_ROLE_AREA));
        size_t ncodes = csa_dict_size(csa_table_dict(r->vintages, vintage_col(r, CSA_ROLE_AREA)));
        bool *with_row = as_calloc(r, ncodes, sizeof *with_row);
        if (!with_row)
            return CSA_ERR_NOMEM;
        for (size_t row = 0; row < npop; row++) {
            size_t first = 0, np = in_year[row] ? parents_of(r, as_text(pop, area, row), &first) : 0;
            if (np)
                with_row[codes21[r->v_row[first]]] = true;
        }
        for (size_t g = 0; shares && g < ncodes; g++) {
            size_t first = r->v_start[g], np = r->v_start[g + 1] - first;
            double known = 0;
            bool all = true;
            for (size_t j = 0; j < np; j++) {
                uint32_t k = imd_code_of(r, "", np, first, j);
                double v = k == CSA_NO_CODE ? 0 : res[k];
                known += v;
                all &= v > 0;
            }
            for (size_t j = 0; j < np; j++) {
                uint32_t k = imd_code_of(r, "", np, first, j);
                r->v_share[first + j] = np == 1 ? 1 : all ? res[k] / known : 1.0 / (double)np;
            }
            if (np > 1 && with_row[g])
                r->v_shared++, r->v_shared_equally += !all;
        }
        /* then the rows of several parents, shared */
        double *add = as_calloc(r, nl, sizeof *add);
        if (!add)
            return CSA_ERR_NOMEM;
        for (size_t row = 0; row < npop; row++) {
            size_t first = 0, np = in_year[row] ? parents_of(r, as_text(pop, area, row), &first) : 0;
            for (size_t j = 0; np > 1 && j < np; j++) {
                uint32_t k = imd_code_of(r, "", np, first, j);
                if (k != CSA_NO_CODE)
                    add[k] += pops[row] * r->v_share[first + j], any[k] = true;
            }
        }
        for (size_t k = 0; k < nl; k++)
            res[k] += add[k];
    }
    for (size_t k = 0; k < nl; k++)
        if (!any[k])
            res[k] = NAN;
    *out = res;
    return st;
}

static csa_status area_populations(csa_assess *r, int year, bool shares, double **out)
{
    const csa_config *c = r->cfg;
    const csa_table *pop = r->pop;
    const csa_spec *ps = c->inputs[c->population].spec;
    size_t npop = csa_table_nrows(pop);
    const int64_t *p = csa_table_int64s(pop, as_role(pop, ps, CSA_ROLE_POPULATION));
    double *v = as_calloc(r, npop ? npop : 1, sizeof *v);
    if (!v)
        return CSA_ERR_NOMEM;
    for (size_t row = 0; row < npop; row++)
        v[row] = (double)p[row];
    return lsoa_sums(r, pop, as_role(pop, ps, CSA_ROLE_AREA), v,
                     r->npop_years ? csa_table_int64s(pop, as_role(pop, ps, CSA_ROLE_YEAR)) : NULL,
                     year, shares, out);
}

csa_status as_lsoa_denominators(csa_assess *r, const csa_table *t, size_t area_col,
                                const double *v, const int64_t *years, int year, double *lsoas,
                                double *cmp)
{
    double *res;
    csa_status st = lsoa_sums(r, t, area_col, v, years, year, false, &res);
    if (st)
        return st;
    const csa_dict *d = imd_codes(r);
    for (int set = 0; set < 2; set++) {
        const as_lsoa *l = set ? r->cmp_lsoas : r->lsoas;
        double *out = set ? cmp : lsoas;
        for (size_t i = 0; out && i < (set ? r->ncmp_lsoas : r->nlsoas); i++) {
            uint32_t k = csa_dict_find(d, l[i].code, strlen(l[i].code));
            out[i] = k != CSA_NO_CODE && csa_area_populated(res[k]) ? res[k] : NAN;
        }
    }
    return CSA_OK;
}

static int cmp_int(const void *a, const void *b)
{
    return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

/* The years of the population input, sorted, and which the period and the
 * comparison period use; none when it has no year column. */
static csa_status population_years(csa_assess *r)
{
    const csa_config *c = r->cfg;
    const csa_table *pop = r->pop;
    size_t yc = as_role(pop, c->inputs[c->population].spec, CSA_ROLE_YEAR);
    size_t n = csa_table_nrows(pop);
    if (yc == CSA_NO_ROW || !n || !csa_table_valid(pop, yc, 0))
        return CSA_OK; /* read_population: a year on every row or none */
    const int64_t *years = csa_table_int64s(pop, yc);
    if (!(r->pop_years = as_calloc(r, n, sizeof *r->pop_years)))
        return CSA_ERR_NOMEM;
    for (size_t row = 0; row < n; row++) {
        size_t k = 0;
        while (k < r->npop_years && r->pop_years[k] != (int)years[row])
            k++;
        if (k == r->npop_years)
            r->pop_years[r->npop_years++] = (int)years[row];
    }
    qsort(r->pop_years, r->npop_years, sizeof *r->pop_years, cmp_int);
    r->pop_year = as_population_year(r->pop_years, r->npop_years, c->period_first, r->nmonths,
                                     &r->pop_year_want);
    int32_t cmp = c->compare_with == CSA_COMPARE_PREVIOUS_YEAR ? csa_month_add(c->period_first, -12)
                  : c->compare_with == CSA_COMPARE_PERIOD     ? c->compare_first
                                                              : 0;
    r->cmp_year = cmp ? as_population_year(r->pop_years, r->npop_years, cmp, r->nmonths,
                                          &r->cmp_year_want)
                     : r->pop_year;
    return CSA_OK;
}

const char *as_vintage_note(csa_assess *r)
{
    if (!r->vintages)
        return NULL;
    const csa_config *c = r->cfg;
    const char *shared =
        !r->v_shared ? "No 2021 LSOA of the population input has several 2011 parents."
        : as_fmt(r, "%zu 2021 LSOA%s of the population input ha%s several 2011 parents (merged "
                    "or complex changes): %s residents are shared among the parents in "
                    "proportion to the residents each has from LSOAs of one parent%s.",
                 r->v_shared, r->v_shared == 1 ? "" : "s", r->v_shared == 1 ? "s" : "ve",
                 r->v_shared == 1 ? "its" : "their",
                 !r->v_shared_equally ? ""
                 : as_fmt(r, ", or equally where a parent has none (%zu of them)",
                          r->v_shared_equally));
    return as_fmt(r, "LSOA vintages: figures are on the deprivation input's LSOAs (2011). The "
                     "population input's 2021 LSOAs are put in them by the ONS lookup (input "
                     "%s): a 2011 LSOA split in 2021 has the residents of all its parts. %s "
                     "Crimes recorded in a 2021 LSOA the deprivation input does not have count "
                     "in its parent; those of a shared LSOA are dealt to its parents in turn, "
                     "each crime whole to the parent furthest behind its share, so every "
                     "count stays a whole number (the rates' intervals need one) and each "
                     "parent's is within one crime of its exact share.",
                  c->inputs[c->lsoa_lookup].name, shared);
}

/* The LSOAs of the deprivation input in one of `las` (LA codes), or else
 * named in `codes`, with their decile and population (NaN: none, or 0). */
static csa_status select_lsoas(csa_assess *r, const csa_config_list *las,
                               const csa_config_list *codes, as_lsoa **out, size_t *nout)
{
    const csa_table *imd = r->imd;
    const csa_spec *is = r->cfg->inputs[r->cfg->deprivation].spec;
    size_t lsoa = as_role(imd, is, CSA_ROLE_LSOA), la = as_role(imd, is, CSA_ROLE_LA);
    size_t dec = as_role(imd, is, CSA_ROLE_DECILE), n = csa_table_nrows(imd);
    size_t lname = as_role(imd, is, CSA_ROLE_LSOA_NAME);
    const csa_dict *ld = csa_table_dict(imd, lsoa), *lad = csa_table_dict(imd, la);
    bool *la_in = as_calloc(r, csa_dict_size(lad), sizeof *la_in);
    as_lsoa *v = as_calloc(r, n, sizeof *v);
    if (!la_in || !v)
        return CSA_ERR_NOMEM;
    for (size_t k = 0; k < las->n; k++) {
        uint32_t code = csa_dict_find(lad, las->v[k], strlen(las->v[k]));
        if (code != CSA_NO_CODE)
            la_in[code] = true;
    }
    *nout = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t code = csa_table_codes(imd, lsoa)[i];
        const char *name = csa_dict_string(ld, code, NULL);
        bool in = la_in[csa_table_codes(imd, la)[i]];
        for (size_t k = 0; !las->n && k < codes->n && !in; k++)
            in = !strcmp(codes->v[k], name);
        if (!in)
            continue;
        double pop = r->imd_pop[code], before = r->imd_pop_before[code];
        v[(*nout)++] = (as_lsoa){name, as_text(imd, lname, i), SIZE_MAX,
                                 (int)csa_table_int64s(imd, dec)[i],
                                 csa_area_populated(pop) ? pop : NAN,
                                 csa_area_populated(before) ? before : NAN};
    }
    *out = v;
    return CSA_OK;
}

/* One code of an input against the list: its parts (itself, or its 2011
 * parents) into parts when not NULL; returns how many. pos: each IMD
 * code's index in the list plus one, 0 when not in it. */
static size_t place_code(const csa_assess *r, const char *code, const size_t *pos,
                         const as_lsoa *lsoas, as_share *parts)
{
    size_t first = 0, np = parents_of(r, code, &first);
    for (size_t j = 0; parts && j < (np ? np : 1); j++) {
        uint32_t k = imd_code_of(r, code, np, first, j);
        size_t i = k == CSA_NO_CODE ? 0 : pos[k];
        parts[j] = (as_share){!i ? AS_OUTSIDE_AREA
                              : isnan(lsoas[i - 1].population) ? AS_NO_POPULATION : AS_USED,
                              i ? i - 1 : SIZE_MAX, np ? r->v_share[first + j] : 1, 0};
    }
    return np ? np : 1;
}

csa_status as_map_lsoas(csa_assess *r, const csa_dict *codes, const as_lsoa *lsoas, size_t n,
                        as_lsoa_map *out)
{
    const csa_dict *ld = imd_codes(r);
    size_t nc = csa_dict_size(codes);
    size_t *pos = as_calloc(r, csa_dict_size(ld), sizeof *pos);
    out->start = as_calloc(r, nc + 1, sizeof *out->start);
    out->dealt = as_calloc(r, nc, sizeof *out->dealt);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        uint32_t k = csa_dict_find(ld, lsoas[i].code, strlen(lsoas[i].code));
        if (k != CSA_NO_CODE)
            pos[k] = i + 1;
    }
    for (size_t k = 0; k < nc; k++)
        out->start[k + 1] = out->start[k] + place_code(r, csa_dict_string(codes, (uint32_t)k, NULL),
                                                       pos, lsoas, NULL);
    if (!(out->parts = as_calloc(r, out->start[nc], sizeof *out->parts)))
        return CSA_ERR_NOMEM;
    for (size_t k = 0; k < nc; k++)
        place_code(r, csa_dict_string(codes, (uint32_t)k, NULL), pos, lsoas,
                   out->parts + out->start[k]);
    return CSA_OK;
}

as_term as_place_row(const csa_assess *r, as_lsoa_map *m, const csa_table *t, size_t month_col,
                     size_t lsoa_col, size_t row, size_t *month, size_t *lsoa)
{
    *lsoa = SIZE_MAX;
    *month = as_timeline_index(r, csa_table_dates(t, month_col)[row]);
    if (*month == SIZE_MAX)
        return AS_OUTSIDE_PERIOD;
    if (!csa_table_valid(t, lsoa_col, row))
        return AS_NO_LOCATION;
    uint32_t code = csa_table_codes(t, lsoa_col)[row];
    size_t a = m->start[code], end = m->start[code + 1], best = a;
    if (end - a > 1) {
        /* dealt in turn: to the parent furthest behind its share, the
         * first on a tie */
        double dealt = (double)++m->dealt[code];
        for (size_t k = a + 1; k < end; k++)
            if (m->parts[k].share * dealt - (double)m->parts[k].given >
                m->parts[best].share * dealt - (double)m->parts[best].given)
                best = k;
    }
    m->parts[best].given++;
    *lsoa = m->parts[best].lsoa;
    return m->parts[best].term;
}

/* The area's higher areas (known by code) to which the lookup also gives
 * LSOAs outside the area (a ward across an LA's border, in a lookup of its
 * own making): their figures are of the area's part only, said in
 * r->higher_beyond and a warning. row_of: the lookup's row + 1 of each of
 * its LSOA codes. */
static csa_status higher_beyond(csa_assess *r, const csa_table *lk, size_t lsoa, size_t code,
                                const size_t *row_of)
{
    const csa_dict *ld = csa_table_dict(lk, lsoa);
    size_t n = csa_table_nrows(lk), nh = r->nhigher, listed = 0, total = 0;
    bool *in_area = as_calloc(r, n + 1, sizeof *in_area);
    size_t *beyond = as_calloc(r, nh + 1, sizeof *beyond);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t l = 0; l < r->nlsoas; l++) {
        uint32_t key = csa_dict_find(ld, r->lsoas[l].code, strlen(r->lsoas[l].code));
        if (key != CSA_NO_CODE && row_of[key])
            in_area[row_of[key] - 1] = true;
    }
    /* by code only: a name ("Abbey") may be another LA's ward's too */
    for (size_t row = 0; row < n; row++) {
        const char *hc = in_area[row] ? NULL : as_text(lk, code, row);
        for (size_t h = 0; hc && h < nh; h++)
            if (r->higher_code[h] && !strcmp(r->higher_code[h], hc)) {
                beyond[h]++;
                break;
            }
    }
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    if (!fp)
        return CSA_ERR_NOMEM;
    for (size_t h = 0; h < nh; h++) {
        if (!beyond[h])
            continue;
        total++;
        if (listed++ < 5)
            fprintf(fp, "%s%s (%zu LSOA%s outside the area)", listed > 1 ? ", " : "",
                    r->higher_name[h], beyond[h], beyond[h] == 1 ? "" : "s");
    }
    if (total > listed)
        fprintf(fp, " and %zu more", total - listed);
    if (fclose(fp) != 0) {
        free(text);
        return CSA_ERR_NOMEM;
    }
    if (total) {
        const csa_config *c = r->cfg;
        r->higher_beyond = as_fmt(r, "%zu %s%s reach%s beyond the area in [input.%s]: %s; "
                                     "%s figures are of the area's LSOAs only",
                                  total, r->higher_word, total == 1 ? "" : "s",
                                  total == 1 ? "es" : "", c->inputs[c->higher_area].name, text,
                                  total == 1 ? "its" : "their");
        as_message(r, "warning: %s", r->higher_beyond);
    }
    free(text);
    return r->nomem ? CSA_ERR_NOMEM : CSA_OK;
}

/* The higher area of each of the area's LSOAs, by [assessment]
 * higher_area: its ward when the lookup gives wards, else its higher area
 * (an MSOA, say); one known only by name is keyed by its name. It names
 * the LSOAs the deprivation input does not name. An LSOA
 * the lookup does not have is counted (r->higher_unplaced), and each
 * output of higher areas says how many; none placed stops the run (after
 * the coverage check: files of another area are the first thing to say). */
csa_status as_place_higher(csa_assess *r)
{
    const csa_config *c = r->cfg;
    size_t k = c->higher_area;
    const csa_table *lk = r->in[k].table;
    const csa_spec *ls = c->inputs[k].spec;
    const char *file = c->inputs[k].files.v[0];
    if (r->in[k].excluded || !lk)
        return csa_error_set(&r->err, CSA_ERR_USAGE, c->path, 0, 0, "higher_area",
                             c->inputs[k].name, "[input.%s], the higher_area lookup, was left "
                             "out", c->inputs[k].name);
    size_t n = csa_table_nrows(lk), lsoa = as_role(lk, ls, CSA_ROLE_LSOA);
    size_t code = as_role(lk, ls, CSA_ROLE_WARD), name = as_role(lk, ls, CSA_ROLE_WARD_NAME);
    bool wards = false;
    for (size_t row = 0; row < n && !wards; row++)
        wards = as_text(lk, code, row) || as_text(lk, name, row);
    if (!wards)
        code = as_role(lk, ls, CSA_ROLE_PARENT), name = as_role(lk, ls, CSA_ROLE_PARENT_NAME);
    r->higher_label = c->higher_area_label ? c->higher_area_label
                      : wards              ? "Ward"
                                           : "Higher area";
    /* "Ward" is "ward" in a sentence; "MSOA" stays as it is */
    const char *hl = r->higher_label;
    bool lower = false;
    for (const char *p = hl + 1; *p && !lower; p++)
        lower = *p >= 'a' && *p <= 'z';
    r->higher_word = lower && *hl >= 'A' && *hl <= 'Z' ? as_fmt(r, "%c%s", *hl - 'A' + 'a', hl + 1)
                                                      : hl;
    const csa_dict *ld = csa_table_dict(lk, lsoa);
    size_t *row_of = as_calloc(r, csa_dict_size(ld) + 1, sizeof *row_of);
    r->higher_name = as_calloc(r, r->nlsoas, sizeof *r->higher_name);
    r->higher_code = as_calloc(r, r->nlsoas, sizeof *r->higher_code);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t row = 0; row < n; row++) /* the LSOA column is unique */
        row_of[csa_table_codes(lk, lsoa)[row]] = row + 1;
    for (size_t l = 0; l < r->nlsoas; l++) {
        as_lsoa *a = &r->lsoas[l];
        uint32_t key = csa_dict_find(ld, a->code, strlen(a->code));
        size_t row = key == CSA_NO_CODE ? 0 : row_of[key];
        if (row && !a->name) /* the deprivation input gives no name: the lookup's */
            a->name = as_text(lk, as_role(lk, ls, CSA_ROLE_LSOA_NAME), row - 1);
        const char *hc = row ? as_text(lk, code, row - 1) : NULL;
        const char *hn = row ? as_text(lk, name, row - 1) : NULL;
        if (!hc && !hn) {
            r->higher_unplaced++;
            continue;
        }
        size_t h = 0;
        while (h < r->nhigher && !(hc ? r->higher_code[h] && !strcmp(r->higher_code[h], hc)
                                      : !r->higher_code[h] && !strcmp(r->higher_name[h], hn)))
            h++;
        if (h == r->nhigher)
            r->higher_code[h] = hc, r->higher_name[h] = hn ? hn : hc, r->nhigher++;
        a->higher = h;
    }
    if (!r->nhigher)
        return csa_error_set(&r->err, CSA_ERR_VALUE, file, 0, 0, as_role_name(ls, CSA_ROLE_LSOA),
                             NULL, "[input.%s] (higher_area) places none of the area's %zu "
                             "LSOAs in a %s: are its LSOA codes of another vintage (the "
                             "deprivation input's are those to give)?", c->inputs[k].name,
                             r->nlsoas, wards ? "ward" : "higher area");
    if (r->higher_unplaced)
        as_message(r, "warning: [input.%s] (higher_area) does not place %zu of the area's %zu "
                   "LSOAs: their crimes are in no %s's rate", c->inputs[k].name,
                   r->higher_unplaced, r->nlsoas, r->higher_word);
    return higher_beyond(r, lk, lsoa, code, row_of);
}

/* The area's LSOAs, and the comparator's when it is a set of LAs. */
csa_status as_find_area(csa_assess *r)
{
    const csa_config *c = r->cfg;
    char *la = c->la_code;
    csa_config_list las = {la ? &la : NULL, la ? 1 : 0}, none = {0};
    csa_status st = population_years(r);
    if (!st)
        st = area_populations(r, r->pop_year, true, &r->imd_pop);
    r->imd_pop_before = r->imd_pop;
    if (!st && r->cmp_year != r->pop_year)
        st = area_populations(r, r->cmp_year, false, &r->imd_pop_before);
    if (!st)
        st = select_lsoas(r, &las, &c->lsoas, &r->lsoas, &r->nlsoas);
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
                             NULL, NULL, "no LSOA of the area has a population above 0 here%s",
                             r->npop_years ? as_fmt(r, " for mid-%d", r->pop_year) : "");
    /* the comparison's rate is over the same LSOAs as the period's */
    for (size_t i = 0; i < r->nlsoas; i++)
        if (!isnan(r->lsoas[i].population) && isnan(r->lsoas[i].population_before))
            return csa_error_set(&r->err, CSA_ERR_VALUE, c->inputs[c->population].files.v[0], 0,
                                 0, "area code", r->lsoas[i].code, "LSOA %s has residents in "
                                 "the mid-%d estimate (the period's) but none in mid-%d (the "
                                 "comparison period's): each year of [input.%s] needs the "
                                 "area's LSOAs", r->lsoas[i].code, r->pop_year, r->cmp_year,
                                 c->inputs[c->population].name);
    if (!c->comparator_areas.n)
        return CSA_OK;
    if ((st = select_lsoas(r, &c->comparator_areas, &none, &r->cmp_lsoas, &r->ncmp_lsoas)))
        return st;
    for (size_t k = 0; k < c->comparator_areas.n; k++) {
        csa_config_list one = {&c->comparator_areas.v[k], 1};
        as_lsoa *v;
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

/* Which respondents of survey input i live in the area: their ward's LA,
 * by the lookup, is the assessment's. The others are out of scope. */
csa_status as_survey_area(csa_assess *r, size_t i)
{
    const csa_config *c = r->cfg;
    as_input *s = &r->in[i];
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
    size_t n = csa_table_nrows(t), area = as_survey_column(c->inputs[i].spec, t, as_role_name(c->inputs[i].spec, CSA_ROLE_AREA));
    const csa_spec *ls = c->inputs[k].spec;
    size_t ward = as_role(lk, ls, CSA_ROLE_WARD), la = as_role(lk, ls, CSA_ROLE_LA);
    if (!(s->in_area = as_calloc(r, n, sizeof *s->in_area)))
        return CSA_ERR_NOMEM;
    const csa_dict *wd = csa_table_dict(lk, ward);
    bool *ward_in = as_calloc(r, csa_dict_size(wd), sizeof *ward_in);
    if (!ward_in)
        return CSA_ERR_NOMEM;
    bool any = false;
    for (size_t l = 0; l < csa_table_nrows(lk); l++)
        if (csa_table_valid(lk, ward, l) && !strcmp(as_text(lk, la, l), c->la_code))
            ward_in[csa_table_codes(lk, ward)[l]] = any = true;
    if (!any)
        return csa_error_set(&r->err, CSA_ERR_VALUE, c->inputs[k].files.v[0], 0, 0, "ward code",
                             NULL, "[input.%s] gives no ward of LA %s", c->inputs[k].name,
                             c->la_code);
    for (size_t row = 0; row < n; row++) {
        const char *code = as_text(t, area, row);
        uint32_t w = code ? csa_dict_find(wd, code, strlen(code)) : CSA_NO_CODE;
        s->in_area[row] = w != CSA_NO_CODE && ward_in[w];
        if (!s->in_area[row])
            s->outside_area++, s->accepted--;
    }
    return CSA_OK;
}
