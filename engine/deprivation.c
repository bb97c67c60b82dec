/* Rates of events by IMD decile. Events are counted by (category, area)
 * with a dense group-by, areas are mapped to deciles and populations
 * through dictionary joins, and a numerator is only ever divided by the
 * population of the same set of areas. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csa/inequality.h"
#include "csa/stats.h"

enum { NDECILES = CSA_IMD_DECILES };

typedef struct named_code {
    const char *s;
    uint32_t code;
} named_code;

static int by_name(const void *a, const void *b)
{
    return strcmp(((const named_code *)a)->s, ((const named_code *)b)->s);
}

static int by_code(const void *a, const void *b)
{
    return strcmp(((const csa_unpopulated_area *)a)->code,
                  ((const csa_unpopulated_area *)b)->code);
}

/* The column `name` of t, which must have type `type`. */
static csa_status need_column(const csa_table *t, const char *name, csa_type type,
                              size_t *col, csa_error *err)
{
    *col = csa_table_find(t, name);
    if (*col == CSA_NO_ROW)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, name, NULL,
                             "no column \"%s\"", name);
    if (csa_table_column_type(t, *col) != type)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, name, NULL,
                             "column \"%s\" is %s, not %s", name,
                             csa_type_name(csa_table_column_type(t, *col)), csa_type_name(type));
    return CSA_OK;
}

void csa_decile_rates_free(csa_decile_rates *r)
{
    if (!r)
        return;
    csa_result_free(&r->result);
    free(r->parts);
    free(r->unpopulated);
    free(r);
}

static csa_status make_result_table(const csa_decile_request *req, csa_table **out,
                                    csa_error *err)
{
    char per[32], rate[64], lower[64], upper[64];
    csa_format_number(req->per, 0, per, sizeof per);
    snprintf(rate, sizeof rate, "Rate per %s", per);
    snprintf(lower, sizeof lower, "Lower %g%% CI", req->level);
    snprintf(upper, sizeof upper, "Upper %g%% CI", req->level);
    const struct { const char *name; csa_type type; } cols[] = {
        {req->category_label, CSA_STRING}, {"IMD decile", CSA_INT64}, {"Count", CSA_INT64},
        {"Population", CSA_INT64}, {rate, CSA_DOUBLE}, {lower, CSA_DOUBLE},
        {upper, CSA_DOUBLE}, {"Note", CSA_STRING},
    };
    csa_table *t = csa_table_create();
    if (!t)
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        csa_status st = csa_table_add_column(t, cols[i].name, cols[i].type);
        if (st) {
            csa_table_free(t);
            return csa_error_set(err, st, NULL, 0, 0, NULL, NULL, "%s", csa_strerror(st));
        }
    }
    *out = t;
    return CSA_OK;
}

/* Appends the ten decile rows of one category. */
static csa_status append_category(csa_table *t, const char *label,
                                  const csa_area_decile_rates *dr, csa_error *err)
{
    for (int d = 0; d < NDECILES; d++) {
        const csa_estimate *e = &dr->rate[d];
        bool none = e->flags & CSA_RATE_NO_DENOMINATOR;
        static const char note[] = "no residents in this decile: no rate";
        csa_value v[8] = {
            {.v.str = {label, strlen(label)}},
            {.v.i = d + 1},
            {.v.i = (int64_t)dr->count[d]},
            {.v.i = (int64_t)dr->population[d]},
            {.missing = none, .v.d = e->value},
            {.missing = none, .v.d = e->lower[0]},
            {.missing = none, .v.d = e->upper[0]},
            {.missing = !none, .v.str = {note, sizeof note - 1}},
        };
        csa_status st = csa_table_append_row(t, v, NULL);
        if (st)
            return csa_error_set(err, st, NULL, 0, 0, NULL, NULL, "%s", csa_strerror(st));
    }
    return CSA_OK;
}

csa_status csa_decile_rates_compute(const csa_decile_request *req, csa_decile_rates **out,
                                    csa_error *err)
{
    csa_status st = CSA_OK;
    size_t ev_area, ev_cat, ev_weight = CSA_NO_ROW, imd_area, imd_parent, imd_decile, pop_area, pop_value;
    size_t *ev_to_imd = NULL, *imd_to_pop = NULL, *area_of_imd = NULL, *area_row = NULL;
    int *area_decile = NULL;
    double *area_pop = NULL, *counts = NULL;
    named_code *cats = NULL;
    csa_groups *g = NULL;
    csa_decile_rates *r = NULL;
    *out = NULL;

    if (!csa_table_frozen(req->events) || !csa_table_frozen(req->imd) ||
        !csa_table_frozen(req->population))
        return csa_error_set(err, CSA_ERR_STATE, NULL, 0, 0, NULL, NULL,
                             "decile rates need frozen tables");
    if ((st = need_column(req->events, req->event_area, CSA_STRING, &ev_area, err)) ||
        (st = need_column(req->events, req->event_category, CSA_STRING, &ev_cat, err)) ||
        (st = need_column(req->imd, req->imd_area, CSA_STRING, &imd_area, err)) ||
        (st = need_column(req->imd, req->imd_parent, CSA_STRING, &imd_parent, err)) ||
        (st = need_column(req->imd, req->imd_decile, CSA_INT64, &imd_decile, err)) ||
        (st = need_column(req->population, req->pop_area, CSA_STRING, &pop_area, err)) ||
        (st = need_column(req->population, req->pop_value, CSA_INT64, &pop_value, err)) ||
        (req->event_weight &&
         (st = need_column(req->events, req->event_weight, CSA_INT64, &ev_weight, err))))
        return st;
    if (csa_table_nmissing(req->events, ev_cat))
        return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, req->event_category, NULL,
                             "%zu events have no %s", csa_table_nmissing(req->events, ev_cat),
                             req->event_category);
    if (req->nparts && req->part_ends[req->nparts - 1] != csa_table_nrows(req->events))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "the parts do not cover the events table");

    const csa_dict *parents = csa_table_dict(req->imd, imd_parent);
    uint32_t parent = CSA_NO_CODE;
    if (req->parent_code) {
        parent = csa_dict_find(parents, req->parent_code, strlen(req->parent_code));
        if (parent == CSA_NO_CODE)
            return csa_error_set(err, CSA_ERR_NOT_FOUND, NULL, 0, 0, req->imd_parent,
                                 req->parent_code, "%s \"%s\" is not in the deprivation file",
                                 req->imd_parent, req->parent_code);
    }
    if ((st = csa_table_join(req->imd, imd_area, req->population, pop_area, &imd_to_pop, err)) ||
        (st = csa_table_join(req->events, ev_area, req->imd, imd_area, &ev_to_imd, err)))
        goto fail;

    r = calloc(1, sizeof *r);
    size_t nimd = csa_table_nrows(req->imd);
    size_t nev_areas = csa_dict_size(csa_table_dict(req->events, ev_area));
    size_t ncats = csa_dict_size(csa_table_dict(req->events, ev_cat));
    area_of_imd = malloc((nimd ? nimd : 1) * sizeof *area_of_imd);
    area_row = malloc((nimd ? nimd : 1) * sizeof *area_row);
    area_decile = malloc((nimd ? nimd : 1) * sizeof *area_decile);
    area_pop = malloc((nimd ? nimd : 1) * sizeof *area_pop);
    cats = malloc((ncats ? ncats : 1) * sizeof *cats);
    if (r)
        r->parts = calloc(req->nparts ? req->nparts : 1, sizeof *r->parts);
    if (!r || !area_of_imd || !area_row || !area_decile || !area_pop || !cats || !r->parts) {
        st = csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
        goto fail;
    }
    r->nparts = req->nparts;

    /* the areas of the assessment, with their decile and population (NaN:
     * no population row) */
    const uint32_t *imd_codes = csa_table_codes(req->imd, imd_area);
    const uint32_t *imd_parents = csa_table_codes(req->imd, imd_parent);
    const int64_t *deciles = csa_table_int64s(req->imd, imd_decile);
    const int64_t *residents = csa_table_int64s(req->population, pop_value);
    size_t nk = 0;
    for (size_t i = 0; i < nimd; i++) {
        area_of_imd[i] = SIZE_MAX;
        if (imd_codes[i] == CSA_NO_CODE || (parent != CSA_NO_CODE && imd_parents[i] != parent) ||
            !csa_table_valid(req->imd, imd_decile, i) || deciles[i] < 1 || deciles[i] > NDECILES)
            continue;
        size_t p = imd_to_pop[imd_codes[i]];
        area_of_imd[i] = nk;
        area_row[nk] = i;
        area_decile[nk] = (int)deciles[i];
        area_pop[nk++] = p == CSA_NO_ROW || !csa_table_valid(req->population, pop_value, p)
                             ? NAN : (double)residents[p];
    }
    /* events by category (row ncats: all events) and area of the assessment */
    counts = calloc((ncats + 1) * (nk ? nk : 1), sizeof *counts);
    if (!counts) {
        st = csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
        goto fail;
    }

    size_t keys[2] = {ev_cat, ev_area};
    for (size_t part = 0; part < req->nparts; part++) {
        size_t begin = part ? req->part_ends[part - 1] : 0, end = req->part_ends[part];
        csa_area_accounting *acc = &r->parts[part];
        if ((st = csa_table_group(req->events, keys, 2, ev_weight, begin, end, &g, err)))
            goto fail;
        acc->rows = end - begin;
        acc->no_area = g->nmissing;
        if (ev_weight != CSA_NO_ROW) {
            const int64_t *w = csa_table_int64s(req->events, ev_weight);
            acc->rows = acc->no_area = 0;
            for (size_t i = begin; i < end; i++) {
                uint64_t n = csa_table_valid(req->events, ev_weight, i) ? (uint64_t)w[i] : 0;
                acc->rows += n;
                if (!csa_table_valid(req->events, ev_area, i))
                    acc->no_area += n;
            }
        }
        for (size_t c = 0; c < g->sizes[0]; c++)
            for (size_t a = 0; a < g->sizes[1]; a++) {
                size_t cell = c * g->sizes[1] + a;
                int64_t n = g->sums ? (int64_t)g->sums[cell] : g->counts[cell];
                if (!n)
                    continue;
                size_t k = a < nev_areas && ev_to_imd[a] != CSA_NO_ROW
                               ? area_of_imd[ev_to_imd[a]] : SIZE_MAX;
                if (k == SIZE_MAX) {
                    acc->outside += (uint64_t)n;
                    continue;
                }
                if (csa_area_populated(area_pop[k]))
                    acc->accepted += (uint64_t)n;
                else
                    acc->no_population += (uint64_t)n;
                counts[c * nk + k] += (double)n;
                counts[ncats * nk + k] += (double)n;
            }
        csa_groups_free(g);
        g = NULL;
    }

    const csa_levels levels = {1, {req->level}};
    csa_area_decile_rates dr;
    if ((st = make_result_table(req, &r->result.table, err)) ||
        (st = csa_area_decile_rates_compute(nk, area_decile, counts + ncats * nk, area_pop,
                                            req->per, &levels, &dr, err)) ||
        (st = append_category(r->result.table, req->total_label, &dr, err)))
        goto fail;
    r->nareas = dr.npopulated;
    size_t nseen = 0;
    for (uint32_t c = 0; c < ncats; c++) {
        double any = 0;
        for (size_t k = 0; k < nk; k++)
            any += csa_area_populated(area_pop[k]) ? counts[c * nk + k] : 0;
        if (any)
            cats[nseen++] = (named_code){csa_dict_string(csa_table_dict(req->events, ev_cat), c, NULL), c};
    }
    qsort(cats, nseen, sizeof *cats, by_name);
    for (size_t i = 0; i < nseen; i++)
        if ((st = csa_area_decile_rates_compute(nk, area_decile, counts + cats[i].code * nk,
                                                area_pop, req->per, &levels, &dr, err)) ||
            (st = append_category(r->result.table, cats[i].s, &dr, err)))
            goto fail;
    csa_table_freeze(r->result.table);

    /* the areas whose events were left out, for the caller to name */
    const double *all = counts + ncats * nk;
    size_t nunpop = 0;
    for (size_t k = 0; k < nk; k++)
        nunpop += !csa_area_populated(area_pop[k]) && all[k] > 0;
    r->unpopulated = calloc(nunpop ? nunpop : 1, sizeof *r->unpopulated);
    if (!r->unpopulated) {
        st = csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
        goto fail;
    }
    for (size_t k = 0; k < nk; k++)
        if (!csa_area_populated(area_pop[k]) && all[k] > 0)
            r->unpopulated[r->nunpopulated++] = (csa_unpopulated_area){
                csa_dict_string(csa_table_dict(req->imd, imd_area), imd_codes[area_row[k]], NULL),
                (uint64_t)all[k]};
    qsort(r->unpopulated, r->nunpopulated, sizeof *r->unpopulated, by_code);

    char per[32];
    csa_format_number(req->per, 0, per, sizeof per);
    snprintf(r->result.indicator, sizeof r->result.indicator, "%s rate by IMD decile",
             req->total_label);
    snprintf(r->result.unit, sizeof r->result.unit, "per %s residents", per);
    snprintf(r->result.method, sizeof r->result.method,
             "crude rate; %g%% confidence interval by Byar's method, exact Poisson below 10 events",
             req->level);
    r->result.multiplier = req->per;
    r->result.level = req->level;
    *out = r;
    r = NULL;
fail:
    csa_groups_free(g);
    csa_decile_rates_free(r);
    free(ev_to_imd);
    free(imd_to_pop);
    free(area_of_imd);
    free(area_row);
    free(area_decile);
    free(area_pop);
    free(counts);
    free(cats);
    return st;
}
