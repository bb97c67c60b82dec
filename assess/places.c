/* Named places of a police crime indicator: the LSOAs with the most
 * crimes and the highest rates (top ten), the police.uk locations where
 * crime repeats, and rates per higher area (ward, MSOA) against the
 * area's. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csa/disclosure.h"
#include "csa/present.h"
#include "internal.h"

/* A top-ten list takes every place tied with the tenth when that makes
 * at most AS_TOP_MAX rows; otherwise it stops before the tie, and its note
 * says how many are tied at what count. */
enum { AS_TOP = 10, AS_TOP_MAX = 15 };

/* A rate from fewer crimes, or over fewer residents, is flagged in the
 * by-rate list: its interval is wide and its rank can turn on a crime or
 * two. 10 events is where PHEindicatormethods leaves exact Poisson limits
 * for Byar's; ONS builds LSOAs of at least 1,000 residents. */
enum { AS_FEW_CRIMES = 10, AS_FEW_RESIDENTS = 1000 };

/* The order of a top list: highest value first, then the key's text. */
typedef struct ranked {
    double value;
    const char *key, *key2;
    size_t item;
} ranked;

static int by_value(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    if (a->value != b->value)
        return a->value < b->value ? 1 : -1;
    int c = strcmp(a->key, b->key);
    return c ? c : strcmp(a->key2 ? a->key2 : "", b->key2 ? b->key2 : "");
}

/* Ranks (one plus the number with a higher value) of the n sorted items
 * into rank[], and how many the list takes by the rule above; *tied and
 * *tied_value say which tie at the end it leaves out (0: none). */
static size_t top_rows(const ranked *v, size_t n, double *rank, size_t *tied, double *tied_value)
{
    size_t take = 0;
    *tied = 0, *tied_value = NAN;
    for (size_t i = 0; i < n; i++)
        rank[i] = i && v[i].value == v[i - 1].value ? rank[i - 1] : (double)(i + 1);
    while (take < n && rank[take] <= AS_TOP)
        take++;
    if (take > AS_TOP_MAX) {
        size_t start = take;
        while (start > 0 && rank[start - 1] == rank[take - 1])
            start--;
        *tied = take - start, *tied_value = v[take - 1].value;
        take = start;
    }
    return take;
}

/* The note's sentence on a tie left out, or "". */
static const char *tie_note(csa_assess *r, size_t tied, double value, double rank,
                            const char *what, int decimals, const char *of)
{
    if (!tied)
        return "";
    char v[32];
    return as_fmt(r, " %zu %s tie for place %.0f at %s %s each and are not listed (the list "
                  "would run past %d rows).", tied, what, rank,
                  csa_format_number(value, decimals, v, sizeof v),
                  value == 1 && !strcmp(of, "crimes") ? "crime" : of, AS_TOP_MAX);
}

static const char *higher_of(const csa_assess *r, const as_lsoa *a)
{
    return a->higher == SIZE_MAX ? NULL : r->higher_name[a->higher];
}

/* The ten LSOAs with the most crimes, and the ten with the highest rates. */
static csa_status top_lsoas(csa_assess *r, const as_places *pl, csa_report_table *tabs,
                            size_t *nt)
{
    size_t nl = r->nlsoas, nc = 0, nr = 0, unpopulated = 0;
    double area_total = 0, unpop_crimes = 0;
    ranked *bc = as_calloc(r, nl ? nl : 1, sizeof *bc), *br = as_calloc(r, nl ? nl : 1, sizeof *br);
    double *rate = as_calloc(r, nl ? nl : 1, sizeof *rate);
    double *lo = as_calloc(r, nl ? nl : 1, sizeof *lo), *hi = as_calloc(r, nl ? nl : 1, sizeof *hi);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t l = 0; l < nl; l++) {
        const as_lsoa *a = &r->lsoas[l];
        area_total += pl->count[l];
        rate[l] = lo[l] = hi[l] = NAN;
        if (pl->count[l] > 0)
            bc[nc++] = (ranked){pl->count[l], a->code, NULL, l};
        if (isnan(a->population)) {
            unpopulated += pl->count[l] > 0, unpop_crimes += pl->count[l];
            continue;
        }
        csa_estimate e;
        csa_status st = csa_rate_estimate(pl->count[l], a->population, pl->ci->multiplier,
                                          &as_level95, &e, &r->err);
        if (st)
            return st;
        rate[l] = e.value, lo[l] = e.lower[0], hi[l] = e.upper[0];
        if (pl->count[l] > 0)
            br[nr++] = (ranked){e.value, a->code, NULL, l};
    }
    qsort(bc, nc, sizeof *bc, by_value); /* both allocated, so never NULL */
    qsort(br, nr, sizeof *br, by_value);
    const char *title = pl->rep->title, *hl = r->higher_label;
    char total_text[32];
    bool named = false; /* the pack shows the names, or the codes when there are none */
    for (size_t l = 0; l < nl; l++)
        named |= r->lsoas[l].name != NULL;
    for (int list = 0; list < 2; list++) {
        const ranked *v = list ? br : bc;
        size_t n = list ? nr : nc, tied, take;
        double tied_value, *rank = as_calloc(r, n ? n : 1, sizeof *rank);
        if (!rank)
            return CSA_ERR_NOMEM;
        take = top_rows(v, n, rank, &tied, &tied_value);
        const char **code = as_calloc(r, take ? take : 1, sizeof *code);
        const char **name = as_calloc(r, take ? take : 1, sizeof *name);
        const char **higher = as_calloc(r, take ? take : 1, sizeof *higher);
        const char **against = as_calloc(r, take ? take : 1, sizeof *against);
        const char **flag = as_calloc(r, take ? take : 1, sizeof *flag);
        double *d[7];
        for (int k = 0; k < 7; k++)
            d[k] = as_calloc(r, take ? take : 1, sizeof *d[k]);
        if (r->nomem)
            return CSA_ERR_NOMEM;
        for (size_t i = 0; i < take; i++) {
            size_t l = v[i].item;
            const as_lsoa *a = &r->lsoas[l];
            code[i] = a->code, name[i] = a->name, higher[i] = higher_of(r, a);
            against[i] = isnan(rate[l]) ? NULL : csa_outcome_name(pl->against[l]);
            d[0][i] = rank[i], d[1][i] = pl->count[l];
            d[2][i] = area_total > 0 ? 100 * pl->count[l] / area_total : NAN;
            d[3][i] = a->population, d[4][i] = rate[l], d[5][i] = lo[l], d[6][i] = hi[l];
            flag[i] = isnan(a->population) ? "No population: no rate"
                      : pl->count[l] < AS_FEW_CRIMES && a->population < AS_FEW_RESIDENTS
                          ? "Under 10 crimes; under 1,000 residents"
                      : pl->count[l] < AS_FEW_CRIMES     ? "Under 10 crimes"
                      : a->population < AS_FEW_RESIDENTS ? "Under 1,000 residents"
                                                         : NULL;
        }
        as_col cols[12];
        size_t ncols = 0;
        cols[ncols++] = (as_col)AS_WHOLE("Rank", d[0]);
        cols[ncols++] = (as_col)AS_TEXT("LSOA code", code);
        cols[ncols++] = (as_col)AS_TEXT("LSOA name", name);
        if (hl)
            cols[ncols++] = (as_col)AS_TEXT(hl, higher);
        cols[ncols++] = (as_col)AS_WHOLE("Crimes", d[1]);
        cols[ncols++] = (as_col)AS_NUM("Share of the area's crimes (%)", d[2]);
        cols[ncols++] = (as_col)AS_WHOLE("Population", d[3]);
        cols[ncols++] = (as_col)AS_NUM(pl->rate_name, d[4]);
        cols[ncols++] = (as_col)AS_NUM("Lower 95% CI", d[5]);
        cols[ncols++] = (as_col)AS_NUM("Upper 95% CI", d[6]);
        cols[ncols++] = (as_col)AS_TEXT("Against the area (funnel)", against);
        cols[ncols++] = (as_col)AS_TEXT("Flag", flag);
        const char **show = as_calloc(r, 9, sizeof *show);
        if (!show)
            return CSA_ERR_NOMEM;
        size_t ns = 0;
        show[ns++] = "Rank", show[ns++] = named ? "LSOA name" : "LSOA code";
        if (hl)
            show[ns++] = hl;
        show[ns++] = "Crimes";
        show[ns++] = list ? pl->rate_name : "Share of the area's crimes (%)";
        if (list)
            show[ns++] = "Lower 95% CI", show[ns++] = "Upper 95% CI", show[ns++] = "Flag";
        else
            show[ns++] = pl->rate_name;
        const char *ties = "Places tied with the tenth are all listed, up to 15 rows.";
        const char *note =
            list ? as_fmt(r, "The LSOAs with the highest crime rates in %s, among those with a "
                          "population and at least one crime; 95%% intervals by %s. A rate "
                          "from under %d crimes, or of an LSOA of under %s residents, is "
                          "flagged: its interval is wide and its rank can turn on a crime or "
                          "two. 'Against "
                          "the area' says whether it differs from the area's rate beyond "
                          "chance (funnel, 95%%). %s%s%s", r->cfg->period_label,
                          pl->method, AS_FEW_CRIMES, "1,000", ties,
                          tie_note(r, tied, tied_value, tied ? rank[take] : 0, "LSOAs", 2,
                                   pl->unit),
                          !unpopulated ? ""
                          : as_fmt(r, " %zu LSOA%s with no population row (%.0f crimes) "
                                   "ha%s no rate and are not ranked.", unpopulated,
                                   unpopulated == 1 ? "" : "s", unpop_crimes,
                                   unpopulated == 1 ? "s" : "ve"))
                 : as_fmt(r, "The LSOAs with the most crimes in %s; the share is of the "
                          "area's %s crimes. %s%s", r->cfg->period_label,
                          csa_format_number(area_total, 0, total_text, sizeof total_text), ties,
                          tie_note(r, tied, tied_value, tied ? rank[take] : 0, "LSOAs", 0,
                                   "crimes"));
        tabs[(*nt)++] = (csa_report_table){
            as_fmt(r, "%s: top LSOAs by %s", title, list ? "rate" : "count"),
            as_table(r, take, cols, ncols), 2, CSA_NATIVE_NONE, NULL, NULL, NULL, NULL, NULL,
            .note = note, .pack_columns = show, .npack_columns = ns};
    }
    return r->nomem ? CSA_ERR_NOMEM : CSA_OK;
}

/* A crime of the period in the area at one police.uk location. */
typedef struct place {
    uint32_t location; /* code of the Location column; UINT32_MAX: none given */
    uint32_t lsoa;
} place;

static int by_place(const void *pa, const void *pb)
{
    const place *a = pa, *b = pb;
    if (a->location != b->location)
        return a->location < b->location ? -1 : 1;
    return (a->lsoa > b->lsoa) - (a->lsoa < b->lsoa);
}

/* The police.uk locations of the period's crimes in the area: the top
 * ones, and the share at locations with two or more. A location is
 * counted within its LSOA: police.uk's names repeat across an area ("On or
 * near High Street"). Rows are placed as the indicator's counts place
 * them (as_place_row, in row order), so the locations' crimes add up to
 * the area's. */
static csa_status top_locations(csa_assess *r, const as_places *pl, csa_report_table *tabs,
                                size_t *nt)
{
    const csa_config_indicator *ci = pl->ci;
    const csa_table *t = r->in[ci->input].table;
    const csa_spec *spec = r->cfg->inputs[ci->input].spec;
    size_t month_col = as_role(t, spec, CSA_ROLE_PERIOD);
    size_t lsoa_col = as_role(t, spec, CSA_ROLE_LSOA), type_col = as_role(t, spec, CSA_ROLE_CATEGORY);
    size_t loc_col = as_role(t, spec, CSA_ROLE_LOCATION);
    if (loc_col == CSA_NO_ROW)
        return CSA_OK; /* a table read without the column: no locations to count */
    const as_tally *y = r->in[ci->input].tally;
    const uint32_t *types = csa_table_codes(t, type_col), *codes = csa_table_codes(t, lsoa_col);
    const uint32_t *locs = csa_table_codes(t, loc_col);
    const int32_t *months = csa_table_dates(t, month_col);
    const csa_dict *locd = csa_table_dict(t, loc_col);
    as_lsoa_map map;
    csa_status st = as_map_lsoas(r, csa_table_dict(t, lsoa_col), r->lsoas, r->nlsoas, &map);
    if (st)
        return st;
    size_t nrows = csa_table_nrows(t), n = 0, cap = 1024;
    place *v = malloc(cap * sizeof *v);
    if (!v)
        return CSA_ERR_NOMEM;
    for (size_t row = 0; row < nrows; row++) {
        if (!pl->wanted[types[row]] || !csa_table_valid(t, lsoa_col, row))
            continue;
        bool period = as_month_index(r, months[row]) != SIZE_MAX;
        bool split = y->any_split && y->split[codes[row]];
        /* a split code's rows are dealt in turn over the whole timeline,
         * as the indicator's loop deals them */
        if (!period && (!split || as_timeline_index(r, months[row]) == SIZE_MAX))
            continue;
        size_t m, l;
        as_term term = as_place_row(r, &map, t, month_col, lsoa_col, row, &m, &l);
        if (!period || (term != AS_USED && term != AS_NO_POPULATION))
            continue;
        if (n == cap) {
            place *w = realloc(v, 2 * cap * sizeof *v);
            if (!w) {
                free(v);
                return CSA_ERR_NOMEM;
            }
            v = w, cap *= 2;
        }
        v[n++] = (place){csa_table_valid(t, loc_col, row) ? locs[row] : UINT32_MAX, (uint32_t)l};
    }
    qsort(v, n, sizeof *v, by_place);
    /* one group per location and LSOA */
    size_t ng = 0, unnamed = 0;
    double repeat = 0, nrepeat = 0;
    ranked *g = n ? calloc(n, sizeof *g) : NULL;
    if (n && !g) {
        free(v);
        return CSA_ERR_NOMEM;
    }
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && !by_place(&v[i], &v[j]))
            j++;
        if (v[i].location == UINT32_MAX)
            unnamed += j - i;
        else {
            g[ng++] = (ranked){(double)(j - i), csa_dict_string(locd, v[i].location, NULL),
                               r->lsoas[v[i].lsoa].code, v[i].lsoa};
            if (j - i >= 2)
                repeat += (double)(j - i), nrepeat++;
        }
        i = j;
    }
    free(v);
    if (ng)
        qsort(g, ng, sizeof *g, by_value);
    double *rank = as_calloc(r, ng ? ng : 1, sizeof *rank);
    if (!rank) {
        free(g);
        return CSA_ERR_NOMEM;
    }
    size_t tied, take = top_rows(g, ng, rank, &tied, &(double){0});
    double tied_value = tied ? g[take].value : NAN;
    const char **loc = as_calloc(r, take ? take : 1, sizeof *loc);
    const char **code = as_calloc(r, take ? take : 1, sizeof *code);
    const char **name = as_calloc(r, take ? take : 1, sizeof *name);
    const char **higher = as_calloc(r, take ? take : 1, sizeof *higher);
    double *d[3];
    for (int k = 0; k < 3; k++)
        d[k] = as_calloc(r, take ? take : 1, sizeof *d[k]);
    if (r->nomem) {
        free(g);
        return CSA_ERR_NOMEM;
    }
    for (size_t i = 0; i < take; i++) {
        const as_lsoa *a = &r->lsoas[g[i].item];
        loc[i] = as_fmt(r, "%s", g[i].key), code[i] = a->code, name[i] = a->name;
        higher[i] = higher_of(r, a);
        d[0][i] = rank[i], d[1][i] = g[i].value, d[2][i] = n ? 100 * g[i].value / (double)n : NAN;
    }
    free(g);
    const char *hl = r->higher_label;
    as_col cols[8];
    size_t ncols = 0;
    cols[ncols++] = (as_col)AS_WHOLE("Rank", d[0]);
    cols[ncols++] = (as_col)AS_TEXT("Location", loc);
    cols[ncols++] = (as_col)AS_TEXT("LSOA code", code);
    cols[ncols++] = (as_col)AS_TEXT("LSOA name", name);
    if (hl)
        cols[ncols++] = (as_col)AS_TEXT(hl, higher);
    cols[ncols++] = (as_col)AS_WHOLE("Crimes", d[1]);
    cols[ncols++] = (as_col)AS_NUM("Share of the area's crimes (%)", d[2]);
    bool named = false;
    for (size_t l = 0; l < r->nlsoas; l++)
        named |= r->lsoas[l].name != NULL;
    const char **show = as_calloc(r, 5, sizeof *show);
    if (!show)
        return CSA_ERR_NOMEM;
    show[0] = "Rank", show[1] = "Location", show[2] = named ? "LSOA name" : "LSOA code";
    show[3] = "Crimes", show[4] = "Share of the area's crimes (%)";
    double share = n ? 100 * repeat / (double)n : NAN;
    char a[32], b[32];
    const char *title = pl->rep->title;
    const char *note = as_fmt(
        r, "police.uk does not publish addresses: it moves each crime to the nearest of a set "
           "of anonymous map points (the middle of a street, or a place such as a car park or "
           "supermarket) and names the point \"On or near ...\", so a location is that map "
           "point, not the address of the crime. The same name in two LSOAs is two points, so "
           "a location is counted within its LSOA. %s Places tied with the tenth are all "
           "listed, up to 15 rows.%s%s",
        !n ? as_fmt(r, "The area has no crimes of this indicator in %s.", r->cfg->period_label)
           : as_fmt(r, "%s of the area's %s crimes (%.1f%%) in %s were at %.0f repeat locations "
                       "(2 or more crimes).", csa_format_number(repeat, 0, a, sizeof a),
                    csa_format_number((double)n, 0, b, sizeof b), share,
                    r->cfg->period_label, nrepeat),
        tie_note(r, tied, tied_value, tied ? rank[take] : 0, "locations", 0, "crimes"),
        unnamed ? as_fmt(r, " %zu crime%s no location.", unnamed,
                         unnamed == 1 ? " has" : "s have") : "");
    tabs[(*nt)++] = (csa_report_table){as_fmt(r, "%s: top locations", title),
                                       as_table(r, take, cols, ncols), 2, CSA_NATIVE_NONE,
                                       NULL, NULL, NULL, NULL, NULL, .note = note,
                                       .pack_columns = show, .npack_columns = 5};
    /* the repeat share as figures, for the CSV and the workbook */
    double *f[5];
    for (int k = 0; k < 5; k++)
        if (!(f[k] = as_calloc(r, 1, sizeof *f[k])))
            return CSA_ERR_NOMEM;
    f[0][0] = (double)n, f[1][0] = (double)(ng), f[2][0] = nrepeat, f[3][0] = repeat;
    f[4][0] = share;
    as_col rcols[] = {AS_WHOLE("Crimes in the area", f[0]), AS_WHOLE("Locations", f[1]),
                      AS_WHOLE("Repeat locations (2 or more crimes)", f[2]),
                      AS_WHOLE("Crimes at repeat locations", f[3]),
                      AS_NUM("Share at repeat locations (%)", f[4])};
    tabs[(*nt)++] = (csa_report_table){as_fmt(r, "%s: repeat locations", title),
                                       as_table(r, 1, rcols, 5), 2, CSA_NATIVE_NONE, NULL,
                                       NULL, NULL, NULL, NULL,
                                       .note = "Locations are police.uk's anonymised map "
                                               "points, counted within their LSOA."};
    return r->nomem ? CSA_ERR_NOMEM : CSA_OK;
}

/* Rates per higher area with 95% intervals by the indicator's method,
 * against the area's rate over the same LSOAs (those with a population),
 * as a table and a caterpillar chart, highest first. */
static csa_status higher_areas(csa_assess *r, const as_places *pl, csa_report_table *tabs,
                               size_t *nt, csa_chart *chart, csa_chart *map, bool *mapped)
{
    size_t nh = r->nhigher;
    const char *Noun = pl->Noun ? pl->Noun : "Crimes", *noun = pl->noun ? pl->noun : "crimes";
    const char *per_label = pl->per_label ? pl->per_label : "Population";
    double *count = as_calloc(r, nh, sizeof *count), *pop = as_calloc(r, nh, sizeof *pop);
    double *nlsoa = as_calloc(r, nh, sizeof *nlsoa), *left = as_calloc(r, nh, sizeof *left);
    ranked *v = as_calloc(r, nh, sizeof *v);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    double total = 0, total_pop = 0, all = 0, unplaced = 0;
    for (size_t l = 0; l < r->nlsoas; l++) {
        const as_lsoa *a = &r->lsoas[l];
        all += pl->count[l];
        if (a->higher == SIZE_MAX) {
            unplaced += pl->count[l];
            continue;
        }
        nlsoa[a->higher]++;
        double per = pl->per ? pl->per[l] : a->population;
        if (isnan(per)) {
            left[a->higher] += pl->count[l];
            continue;
        }
        count[a->higher] += pl->count[l], pop[a->higher] += per;
    }
    for (size_t l = 0; l < r->nlsoas; l++) {
        double per = pl->per ? pl->per[l] : r->lsoas[l].population;
        if (!isnan(per))
            total += pl->count[l], total_pop += per;
    }
    double area_rate = total / total_pop * pl->ci->multiplier;
    double *rate = as_calloc(r, nh, sizeof *rate), *lo = as_calloc(r, nh, sizeof *lo);
    double *hi = as_calloc(r, nh, sizeof *hi);
    csa_outcome *out = as_calloc(r, nh, sizeof *out);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    const char **why = as_calloc(r, nh + 1, sizeof *why);
    if (!why)
        return CSA_ERR_NOMEM;
    for (size_t h = 0; h < nh; h++) {
        csa_estimate e = {.value = NAN, .lower = {NAN}, .upper = {NAN}};
        if (pl->hidden && (pl->hidden[h] == CSA_CELL_PRIMARY ||
                           pl->hidden[h] == CSA_CELL_SECONDARY)) {
            /* a suppressed count: no count, rate or share; sorts last */
            why[h] = pl->hidden[h] == CSA_CELL_PRIMARY
                         ? as_fmt(r, "suppressed: below %g", r->cfg->suppress_below)
                         : "suppressed: would reveal a small count";
            count[h] = NAN, rate[h] = lo[h] = hi[h] = NAN, out[h] = CSA_NOT_COMPARED;
            v[h] = (ranked){-INFINITY, r->higher_name[h], r->higher_code[h], h};
            continue;
        }
        csa_status st = pop[h] > 0 ? csa_rate_estimate(count[h], pop[h], pl->ci->multiplier,
                                                       &as_level95, &e, &r->err)
                                   : CSA_OK;
        if (!st && pop[h] > 0)
            st = csa_compare(e.lower[0], e.upper[0], area_rate, pl->rep->polarity, &out[h],
                             &r->err);
        if (st)
            return st;
        rate[h] = e.value, lo[h] = e.lower[0], hi[h] = e.upper[0];
        /* no rate sorts last */
        v[h] = (ranked){isnan(e.value) ? -INFINITY : e.value, r->higher_name[h],
                        r->higher_code[h], h};
    }
    qsort(v, nh, sizeof *v, by_value);
    const char **name = as_calloc(r, nh, sizeof *name), **code = as_calloc(r, nh, sizeof *code);
    const char **against = as_calloc(r, nh, sizeof *against);
    const char **why_sorted = as_calloc(r, nh + 1, sizeof *why_sorted);
    double *d[8];
    for (int k = 0; k < 8; k++)
        d[k] = as_calloc(r, nh, sizeof *d[k]);
    csa_outcome *o = as_calloc(r, nh, sizeof *o);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    bool any_code = false, any_left = false;
    for (size_t i = 0; i < nh; i++) {
        size_t h = v[i].item;
        name[i] = r->higher_name[h], code[i] = r->higher_code[h];
        any_code |= code[i] != NULL, any_left |= left[h] > 0;
        against[i] = pop[h] > 0 && !why[h] ? csa_outcome_name(out[h]) : NULL;
        o[i] = out[h], why_sorted[i] = why[h];
        d[0][i] = nlsoa[h], d[1][i] = count[h], d[2][i] = pop[h] > 0 ? pop[h] : NAN;
        d[3][i] = rate[h], d[4][i] = lo[h], d[5][i] = hi[h];
        d[6][i] = all > 0 ? 100 * (count[h] + left[h]) / all : NAN;
        d[7][i] = left[h];
    }
    /* a personal input publishes no count outside csa_suppress_lines's
     * lines: not those of LSOAs with no denominator, nor of LSOAs in no
     * higher area when that count is suppressed */
    bool unplaced_hidden = false;
    if (pl->hidden) {
        any_left = false;
        unplaced_hidden = pl->hidden[nh] == CSA_CELL_PRIMARY ||
                          pl->hidden[nh] == CSA_CELL_SECONDARY;
        for (size_t i = 0; i < nh; i++)
            if (why_sorted[i] || left[v[i].item] > 0)
                d[6][i] = NAN; /* the share would give the count */
    }
    const char *hl = r->higher_label, *hw = r->higher_word, *rn = pl->rate_name;
    as_col cols[13];
    size_t ncols = 0;
    cols[ncols++] = (as_col)AS_TEXT(hl, name);
    if (any_code)
        cols[ncols++] = (as_col)AS_TEXT(as_fmt(r, "%s code", hl), code);
    cols[ncols++] = (as_col)AS_WHOLE("LSOAs", d[0]);
    cols[ncols++] = (as_col)AS_WHOLE(Noun, d[1]);
    cols[ncols++] = (as_col)AS_WHOLE(per_label, d[2]);
    cols[ncols++] = (as_col)AS_NUM(rn, d[3]);
    cols[ncols++] = (as_col)AS_NUM("Lower 95% CI", d[4]);
    cols[ncols++] = (as_col)AS_NUM("Upper 95% CI", d[5]);
    cols[ncols++] = (as_col)AS_TEXT(as_fmt(r, "Against %s", r->cfg->area_name), against);
    cols[ncols++] = (as_col)AS_NUM(as_fmt(r, "Share of the area's %s (%%)", noun), d[6]);
    if (any_left)
        cols[ncols++] = (as_col)AS_WHOLE(as_fmt(r, "%s in LSOAs with no %s", Noun,
                                                pl->per ? "denominator" : "population"), d[7]);
    if (pl->hidden)
        cols[ncols++] = (as_col)AS_TEXT("Suppressed", why_sorted);
    const char **show = as_calloc(r, 6, sizeof *show);
    if (!show)
        return CSA_ERR_NOMEM;
    show[0] = hl, show[1] = Noun, show[2] = rn, show[3] = "Lower 95% CI";
    show[4] = "Upper 95% CI", show[5] = cols[any_code ? 8 : 7].name;
    char ar[32];
    const char *input = r->cfg->inputs[r->cfg->higher_area].name;
    const char *note = as_fmt(
        r, "%s %s in each %s of the area (by [input.%s]) with 95%% intervals by %s, against "
           "%s's rate over the same LSOAs (%s): one differs when its interval excludes that "
           "rate. Highest first.%s%s%s",
        Noun, pl->unit, hw, input, pl->method, r->cfg->area_name,
        csa_format_figure(area_rate, 2, ar, sizeof ar),
        any_left ? as_fmt(r, " %s in LSOAs with no %s row are left out of the rate, as "
                             "they are of the area's, and counted in their own column.", Noun,
                          pl->per ? "denominator" : "population")
                 : "",
        r->higher_unplaced ? as_fmt(r, " %zu of the area's LSOAs (%s %s) %s in no %s "
                                       "of the lookup.", r->higher_unplaced,
                                    unplaced_hidden ? "a suppressed number of"
                                                    : as_fmt(r, "%.0f", unplaced), noun,
                                    r->higher_unplaced == 1 ? "is" : "are", hw)
                           : "",
        pl->hidden ? as_fmt(r, " Counts below %g, and those that would give one away from a "
                               "total, are suppressed (personal data); they sort last.",
                            r->cfg->suppress_below) : "");
    if (r->higher_beyond)
        note = as_fmt(r, "%s %s.", note, r->higher_beyond);
    tabs[(*nt)++] = (csa_report_table){as_fmt(r, "%s by %s", pl->rep->title, hw),
                                       as_table(r, nh, cols, ncols), 2, CSA_NATIVE_BAR, hl, rn,
                                       "Lower 95% CI", "Upper 95% CI", NULL, .note = note,
                                       .pack_columns = show, .npack_columns = 6};
    *chart = csa_chart_init(CSA_CHART_CATERPILLAR);
    as_chart_text(r, chart, as_fmt(r, "%s by %s", pl->rep->title, hw),
                  as_fmt(r, "%s %s", Noun, pl->unit), hl,
                  as_fmt(r, "%s; %s from [input.%s]. Whiskers: 95%% confidence intervals; "
                         "line: %s%s", pl->source, hl, input, r->cfg->area_name,
                         pl->hidden ? "; suppressed: a count below the threshold, or one that "
                                      "would give one away (personal data)" : ""));
    chart->missing_label = pl->hidden ? "suppressed" : NULL;
    chart->n = nh, chart->labels = name, chart->values = d[3], chart->lower = d[4];
    chart->upper = d[5], chart->outcomes = o;
    chart->comparator = area_rate, chart->comparator_label = r->cfg->area_name;
    if (r->nomem)
        return CSA_ERR_NOMEM;
    /* and their map, with boundaries, when asked */
    *mapped = false;
    return map ? as_higher_map(r, pl->ci, pl->rep, pl->rep->unit, count, pop, rate, map, mapped,
                               tabs, nt)
               : CSA_OK;
}

csa_status as_higher_areas(csa_assess *r, const as_places *pl, csa_report_table *tabs,
                           size_t *nt, csa_chart *chart)
{
    bool mapped;
    return higher_areas(r, pl, tabs, nt, chart, NULL, &mapped);
}

/* A police indicator's higher areas: the table, the caterpillar chart and
 * the map into charts[*ncharts..] (room for 2). */
static csa_status higher_areas_and_map(csa_assess *r, const as_places *pl,
                                       csa_report_table *tabs, size_t *nt, csa_chart *charts,
                                       size_t *ncharts)
{
    bool mapped;
    csa_status st = higher_areas(r, pl, tabs, nt, &charts[*ncharts], &charts[*ncharts + 1],
                                 &mapped);
    *ncharts += 1 + mapped;
    return st;
}

csa_status as_places_tables(csa_assess *r, const as_places *pl, csa_report_table *tabs,
                            size_t *nt, csa_chart *charts, size_t *ncharts)
{
    csa_status st = top_lsoas(r, pl, tabs, nt);
    if (!st)
        st = top_locations(r, pl, tabs, nt);
    if (!st && r->nhigher)
        st = higher_areas_and_map(r, pl, tabs, nt, charts, ncharts);
    return st;
}
