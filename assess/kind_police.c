/* Police crime: police.uk street-level crimes of chosen types in the
 * area's LSOAs in the period, per 1,000 residents, with the month-by-month
 * SPC chart, the recent trend, rates by deprivation decile and the LSOA
 * funnel and concentration. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csa/month.h"
#include "csa/present.h"
#include "internal.h"

/* police.uk's crime types before May 2013 and the ones they became (the
 * data.police.uk changelog: violent crime took in sexual offences from
 * other crime and was renamed; public disorder and weapons was split). */
static const struct renamed {
    const char *old, *now[2];
} RENAMED[] = {
    {"Violent crime", {"Violence and sexual offences", NULL}},
    {"Public disorder and weapons", {"Public order", "Possession of weapons"}},
};
static const struct renamed *renamed(const char *name)
{
    for (size_t i = 0; i < sizeof RENAMED / sizeof RENAMED[0]; i++)
        if (!strcasecmp(name, RENAMED[i].old))
            return &RENAMED[i];
    return NULL;
}

/* Whether the configured name v takes in the data's type `name`: the
 * same in any case, or v is its name before May 2013. */
static bool takes(const char *v, const char *name)
{
    const struct renamed *o = renamed(v);
    return !strcasecmp(v, name) ||
           (o && (!strcasecmp(o->now[0], name) || (o->now[1] && !strcasecmp(o->now[1], name))));
}

static bool configured(const csa_config_list *types, const char *name)
{
    for (size_t k = 0; k < types->n; k++)
        if (takes(types->v[k], name))
            return true;
    return false;
}

/* The data's crime types (wanted[code]) the indicator counts: the config
 * names them in any case, and old police.uk names stand for the types
 * they became; rows under an old name count when every type it became is
 * counted. A configured type with no rows in the period is a warning. */
static csa_status match_types(csa_assess *r, const csa_config_indicator *ci,
                              csa_indicator_report *rep, const csa_table *t, size_t type_col,
                              bool *wanted)
{
    const csa_config_list *types = &ci->crime_types;
    const csa_dict *td = csa_table_dict(t, type_col);
    size_t ntypes = csa_dict_size(td);
    for (size_t k = 0; k < ntypes; k++)
        wanted[k] = types->n == 0;
    if (!types->n)
        return CSA_OK;
    double *in_period = as_calloc(r, ntypes, sizeof *in_period);
    if (!in_period)
        return CSA_ERR_NOMEM;
    for (size_t k = 0; k < ntypes; k++)
        in_period[k] = (double)r->in[ci->input].tally->period[k];
    for (size_t k = 0; k < ntypes; k++) {
        const char *name = csa_dict_string(td, (uint32_t)k, NULL);
        const struct renamed *o = renamed(name);
        wanted[k] = configured(types, name);
        if (!o || wanted[k])
            continue;
        /* rows under an old name, when the config names what it became */
        bool all = configured(types, o->now[0]) && (!o->now[1] || configured(types, o->now[1]));
        bool some = configured(types, o->now[0]) || (o->now[1] && configured(types, o->now[1]));
        wanted[k] = all;
        if (all && in_period[k])
            as_add_note(r, rep, "%.0f rows under '%s', police.uk's name before May 2013, are "
                        "counted as %s%s%s", in_period[k], o->old, o->now[0],
                        o->now[1] ? " and " : "", o->now[1] ? o->now[1] : "");
        else if (some && in_period[k])
            as_add_note(r, rep, "%.0f rows under '%s', police.uk's name before May 2013 for "
                        "%s and %s together, are not counted: name both to count them",
                        in_period[k], o->old, o->now[0], o->now[1]);
    }
    if (r->cfg->period_first < csa_month_make(2013, 5))
        as_add_note(r, rep, "Months before May 2013 are in police.uk's older categories (sexual "
                    "offences under other crime, bicycle theft and theft from the person under "
                    "other theft, public order and weapons together): a type's figures across "
                    "that month are not like for like");
    for (size_t i = 0; i < types->n; i++) {
        const char *v = types->v[i];
        const struct renamed *o = renamed(v);
        if (o)
            as_add_note(r, rep, "'%s' is police.uk's name before May 2013: counted as today's "
                        "%s%s%s, with any rows under the old name", v, o->now[0],
                        o->now[1] ? " and " : "", o->now[1] ? o->now[1] : "");
        double rows = 0;
        for (size_t k = 0; k < ntypes; k++) {
            const char *name = csa_dict_string(td, (uint32_t)k, NULL);
            const struct renamed *d = renamed(name);
            bool match = takes(v, name) || (d && wanted[k] && (takes(v, d->now[0]) ||
                                                               (d->now[1] && takes(v, d->now[1]))));
            rows += match ? in_period[k] : 0;
        }
        if (rows == 0) {
            as_message(r, "warning: [indicator.%s] crime type '%s' has no rows in %s in the "
                       "police files: it counts 0", ci->name, v, r->cfg->period_label);
            as_add_note(r, rep, "No rows of crime type '%s' in the police files in the period: "
                        "it counts 0", v);
        }
    }
    return r->nomem ? CSA_ERR_NOMEM : CSA_OK;
}

/* A period the police files cover in part: the rate is over the months
 * present and labelled so, or with annualise = yes scaled to the whole
 * period (*scale) and labelled so. A comparator_value is for the whole
 * period, so only a scaled rate is compared with it; comparator areas are
 * counted over the same months as the area and stay comparable. */
static void part_period(csa_assess *r, const csa_config_indicator *ci, csa_indicator_report *rep,
                        const char **unit_short, double *scale)
{
    const as_input *in = &r->in[ci->input];
    size_t nm = r->nmonths, present = 0;
    for (size_t m = 0; m < nm; m++)
        present += in->month_present[m];
    if (present == nm)
        return;
    const char *span = nm == 12 ? "annualised" : as_fmt(r, "scaled to the %zu-month period", nm);
    *unit_short = as_fmt(r, "%s (%zu of %zu months)", rep->unit, present, nm);
    if (ci->annualise) {
        *scale = (double)nm / (double)present;
        rep->unit = as_fmt(r, "%s, %s from %zu of %zu months (%s missing)", rep->unit, span,
                           present, nm, in->missing);
        as_add_note(r, rep, "The rate is %s from %zu of %zu months: the rate over the months "
                    "present x %zu / %zu, which assumes the missing months were like them",
                    span, present, nm, nm, present);
    } else {
        rep->unit = as_fmt(r, "%s over %zu of %zu months (%s missing)", rep->unit, present, nm,
                           in->missing);
        if (!isnan(ci->comparator_value)) {
            as_add_note(r, rep, "Not compared with %s (%g): that value is for the whole period "
                        "and this rate covers %zu of its %zu months (annualise = yes scales it "
                        "to the period)", r->cfg->comparator, ci->comparator_value, present, nm);
            rep->comparator_value = NAN;
        }
    }
    /* stderr once per input: its first indicator says it */
    size_t self = (size_t)(ci - r->cfg->indicators);
    for (size_t j = 0; j < self; j++)
        if (r->cfg->indicators[j].input == ci->input)
            return;
    as_message(r, "warning: [input.%s] has rows for %zu of the %zu months of %s (%s missing): "
               "its crime rates are over those %zu months, labelled so, and compared with a "
               "comparator_value only with annualise = yes", r->cfg->inputs[ci->input].name,
               present, nm, r->cfg->period_label, in->missing, present);
}

static csa_status police_indicator(csa_assess *r, const csa_config_indicator *ci, csa_indicator_report *rep,
                                   as_extra *x)
{
    const csa_table *t = r->in[ci->input].table;
    const csa_spec *spec = r->cfg->inputs[ci->input].spec;
    size_t month_col = as_role(t, spec, CSA_ROLE_PERIOD), lsoa_col = as_role(t, spec, CSA_ROLE_LSOA);
    size_t type_col = as_role(t, spec, CSA_ROLE_CATEGORY);
    const csa_dict *ld = csa_table_dict(t, lsoa_col), *td = csa_table_dict(t, type_col);
    size_t nl = r->nlsoas, nm = r->nmonths, ntypes = csa_dict_size(td), tn = r->tl_n;
    bool *wanted = as_calloc(r, ntypes, sizeof *wanted);
    double *lsoa_count = as_calloc(r, nl, sizeof *lsoa_count);
    /* the period's crimes in each LSOA, those with no population too (places.c) */
    double *lsoa_all = as_calloc(r, nl, sizeof *lsoa_all);
    /* the area's crimes by month over the whole timeline; month_count is
     * the period's months of it */
    double *tl_count = as_calloc(r, tn, sizeof *tl_count);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    double *month_count = tl_count + r->tl_period;
    /* where each LSOA code counts: in the area, and in the comparator's
     * populated LSOAs when it is a set of LAs */
    as_lsoa_map area, cmp;
    csa_status st = as_map_lsoas(r, ld, r->lsoas, nl, &area);
    if (!st)
        st = as_map_lsoas(r, ld, r->cmp_lsoas, r->ncmp_lsoas, &cmp);
    if (st)
        return st;
    double cmp_count = 0, cmp_pop = 0;
    for (size_t i = 0; i < r->ncmp_lsoas; i++)
        if (!isnan(r->cmp_lsoas[i].population))
            cmp_pop += r->cmp_lsoas[i].population;
    if ((st = match_types(r, ci, rep, t, type_col, wanted)))
        return st;
    const uint32_t *types = csa_table_codes(t, type_col), *codes = csa_table_codes(t, lsoa_col);
    uint64_t n[AS_NTERMS] = {0};
    uint64_t in_period[AS_NTERMS] = {0}; /* of them, in the period's months */
    size_t unpopulated = 0; /* LSOAs of the area with crimes in the period and no population */
    bool *seen = as_calloc(r, nl, sizeof *seen);
    if (!seen)
        return CSA_ERR_NOMEM;
    /* a month of the history counts in the month charts and the change,
     * not in the period's figures */
    const as_tally *y = r->in[ci->input].tally;
    for (size_t k = 0; k < ntypes; k++) {
        if (!wanted[k])
            continue;
        for (size_t m = 0; m <= tn; m++) {
            const uint64_t *c = &y->month[(k * (tn + 1) + m) * AS_NTERMS];
            for (size_t term = 0; term < AS_NTERMS; term++) {
                n[term] += c[term];
                in_period[term] += m < tn && m >= r->tl_period ? c[term] : 0;
            }
            if (m < tn)
                tl_count[m] += (double)c[AS_USED];
        }
        for (size_t l = 0; l < nl; l++) {
            uint64_t c = y->lsoa[k * nl + l];
            lsoa_all[l] += (double)c;
            if (c && isnan(r->lsoas[l].population) && !seen[l])
                seen[l] = true, unpopulated++;
            else if (c && !isnan(r->lsoas[l].population))
                lsoa_count[l] += (double)c;
        }
        cmp_count += (double)y->cmp_used[k];
    }
    /* the rows of split codes, in order, as they are dealt */
    for (size_t row = 0; y->any_split && row < csa_table_nrows(t); row++) {
        if (!wanted[types[row]] || !csa_table_valid(t, lsoa_col, row) || !y->split[codes[row]] ||
            as_timeline_index(r, csa_table_dates(t, month_col)[row]) == SIZE_MAX)
            continue;
        size_t m, l, cl;
        as_term term = as_place_row(r, &area, t, month_col, lsoa_col, row, &m, &l);
        n[term]++;
        bool period = m >= r->tl_period;
        in_period[term] += period;
        if (term == AS_USED)
            tl_count[m]++;
        if (!period)
            continue;
        if (term == AS_NO_POPULATION && !seen[l])
            seen[l] = true, unpopulated++;
        if (term == AS_USED)
            lsoa_count[l]++;
        if (term == AS_USED || term == AS_NO_POPULATION)
            lsoa_all[l]++;
        cmp_count += as_place_row(r, &cmp, t, month_col, lsoa_col, row, &m, &cl) == AS_USED;
    }
    rep->rows = (csa_row_accounting){
        .read = n[AS_USED] + n[AS_NO_LOCATION] + n[AS_NO_POPULATION] + n[AS_OUTSIDE_AREA] +
                n[AS_OUTSIDE_PERIOD],
        .used = n[AS_USED], .no_location = n[AS_NO_LOCATION],
        .no_population = n[AS_NO_POPULATION], .outside_area = n[AS_OUTSIDE_AREA],
        .outside_period = n[AS_OUTSIDE_PERIOD]};
    rep->has_rows = 1;
    double unpop_share = 0; /* % of the area's crimes in LSOAs with no population */
    char unpop[32];
    csa_format_number((double)in_period[AS_NO_POPULATION], 0, unpop, sizeof unpop);
    if (in_period[AS_NO_POPULATION]) {
        /* left out of the rate, not divided by another LSOA's residents */
        double share = unpop_share = 100.0 * (double)in_period[AS_NO_POPULATION] /
                       (double)(in_period[AS_USED] + in_period[AS_NO_POPULATION]);
        as_add_note(r, rep, "%s crimes (%.1f%% of the area's) are in %zu LSOA%s with no "
                    "population row and are left out of the rate%s", unpop, share, unpopulated,
                    unpopulated == 1 ? "" : "s",
                    r->vintages ? "" : " (2011 LSOAs split in 2021? give [assessment] "
                                       "lsoa_lookup)");
    }
    /* a month the input has no rows for is missing, not a month of no crime */
    for (size_t m = 0; m < tn; m++)
        if (!r->in[ci->input].tl_present[m])
            tl_count[m] = NAN;

    /* the headline rate over the LSOAs with a population */
    double count = 0, pop = 0, pop_before = 0; /* pop_before: the comparison's year's */
    size_t np = 0;
    double *pc = as_calloc(r, nl, sizeof *pc), *pp = as_calloc(r, nl, sizeof *pp);
    const char **pcode = as_calloc(r, nl, sizeof *pcode), **pname = as_calloc(r, nl, sizeof *pname);
    const char **phigher = as_calloc(r, nl, sizeof *phigher);
    const char **plabel = as_calloc(r, nl, sizeof *plabel); /* the funnel's: name, or code */
    size_t *pl = as_calloc(r, nl, sizeof *pl); /* the area's LSOA of each */
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t i = 0; i < nl; i++) {
        const as_lsoa *a = &r->lsoas[i];
        if (isnan(a->population))
            continue;
        count += lsoa_count[i];
        pop += a->population;
        pop_before += a->population_before;
        pname[np] = a->name, plabel[np] = a->name ? a->name : a->code;
        phigher[np] = a->higher == SIZE_MAX ? NULL : r->higher_name[a->higher];
        pl[np] = i, pc[np] = lsoa_count[i], pp[np] = a->population, pcode[np++] = a->code;
    }
    csa_estimate est;
    st = csa_rate_estimate(count, pop, ci->multiplier, &as_level95, &est, &r->err);
    if (st)
        return st;
    rep->count = count, rep->denominator = pop;
    rep->value = est.value, rep->lower = est.lower[0], rep->upper = est.upper[0];
    const char *unit_short = rep->unit, *base_unit = rep->unit;
    double scale = 1;
    part_period(r, ci, rep, &unit_short, &scale);
    rep->value *= scale, rep->lower *= scale, rep->upper *= scale;
    if (isnan(ci->comparator_value) && cmp_pop > 0)
        rep->comparator_value = cmp_count / cmp_pop * ci->multiplier * scale;
    as_compare(r, rep);

    /* the indicator's history, which the month charts and the change share */
    double *tl_days = as_calloc(r, tn, sizeof *tl_days);
    if (!tl_days)
        return CSA_ERR_NOMEM;
    bool compared = false;
    for (size_t m = 0; m < tn; m++) {
        int32_t d = csa_month_add(r->tl_first, (int)m);
        tl_days[m] = csa_month_add(d, 1) - d;
        compared |= m >= r->tl_compare && m < r->tl_compare + r->ncompare && !isnan(tl_count[m]);
    }
    as_history h = {.n = tn, .first = r->tl_first, .label = r->tl_label, .count = tl_count,
                    .days = tl_days, .period_first = r->tl_period, .period_n = nm,
                    .compare_first = r->tl_compare, .compare_n = compared ? r->ncompare : 0,
                    .population = pop, .population_before = pop_before,
                    .multiplier = ci->multiplier};
    as_history_baseline(r, &h, 0);
    as_change(r, rep, x, &h, base_unit);

    /* by month: crimes per day, so months of 28 and 31 days compare, on
     * an XmR chart (the method notes say why) over the indicator's whole
     * history; the table holds the period's months */
    double *m_rate = as_calloc(r, nm, sizeof *m_rate), *m_lo = as_calloc(r, nm, sizeof *m_lo);
    double *m_hi = as_calloc(r, nm, sizeof *m_hi), *days = tl_days + r->tl_period;
    double *per_day = as_calloc(r, nm, sizeof *per_day);
    csa_chart *charts = as_calloc(r, AS_HISTORY_CHARTS + 8, sizeof *charts);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t m = 0; m < nm; m++) {
        csa_estimate e;
        if ((st = csa_rate_estimate(month_count[m], pop, ci->multiplier, &as_level95, &e, &r->err)))
            return st;
        m_rate[m] = e.value, m_lo[m] = e.lower[0], m_hi[m] = e.upper[0];
        per_day[m] = month_count[m] / days[m];
    }
    const char *source = as_fmt(r, "Source: police.uk street-level crime; ONS population "
                                 "estimates%s", ci->crime_types.n ? "" : "; all crime types");
    size_t nmc;
    const char *phrase;
    if ((st = as_history_charts(r, rep, x, &h, source, charts, &nmc, &phrase)))
        return st;
    as_reading(r, rep, as_fmt(r, "; %s", phrase));
    if (rep->compared_with && rep->count_now >= 0) {
        /* the headline of an annual assessment is what changed: it leads */
        size_t skip = strlen(rep->title) + 2; /* "Title: " */
        rep->reading = as_fmt(r, "%s: %s. In %s: %s", rep->title, rep->change,
                              r->cfg->period_label, rep->reading + skip);
    }
    if (unpop_share > 2) /* a headline that leaves out this much says so */
        rep->reading = as_fmt(r, "%s %s crimes (%.1f%%) in LSOAs with no population row are "
                                 "not counted.", rep->reading, unpop, unpop_share);

    /* by deprivation decile, with the SII line */
    /* (the one rate-by-decile path, csa rates' too: an LSOA with no
     * population row or 0 residents has no rate) */
    int *dec_of = as_calloc(r, nl, sizeof *dec_of);
    double *lpop = as_calloc(r, nl, sizeof *lpop);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t i = 0; i < nl; i++)
        dec_of[i] = r->lsoas[i].decile, lpop[i] = r->lsoas[i].population;
    csa_area_decile_rates ad;
    if ((st = csa_area_decile_rates_compute(nl, dec_of, lsoa_count, lpop, ci->multiplier,
                                            &as_level95, &ad, &r->err)))
        return st;
    const double *dec_count = ad.count, *dec_pop = ad.population;
    const csa_estimate *dec = ad.rate;
    double *d_rate = as_calloc(r, 10, sizeof *d_rate), *d_lo = as_calloc(r, 10, sizeof *d_lo);
    double *d_hi = as_calloc(r, 10, sizeof *d_hi), *d_count = as_calloc(r, 10, sizeof *d_count);
    double *d_pop = as_calloc(r, 10, sizeof *d_pop);
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
    double *lx = as_calloc(r, np + 1, sizeof *lx), *ly = as_calloc(r, np + 1, sizeof *ly);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    if ((st = csa_concentration_compute(np, pc, NULL, 10, &conc, lx, ly, NULL, &r->err)))
        return st;
    double *l_rate = NULL;
    csa_outcome *l_out = NULL;
    if (count > 0 &&
        (st = as_funnel_chart(r, rep, ci->multiplier, np, pc, pp, plabel, &l_rate, &l_out,
                              &charts[nmc + 1])))
        return st;

    const char *rate_name = as_fmt(r, "Rate %s", unit_short);
    const char *month_rate = as_fmt(r, "Rate %s", base_unit);
    charts[nmc] = csa_chart_init(CSA_CHART_DECILE);
    as_chart_text(r, &charts[nmc], as_fmt(r, "%s by deprivation", rep->title),
                   "IMD 2019 decile (1 = most deprived 10% of LSOAs in England)",
                   as_fmt(r, "Crimes %s", unit_short), as_fmt(r, "%s; IMD 2019. Whiskers: 95%% "
                   "confidence intervals; line: slope index of inequality", source));
    charts[nmc].n = 10, charts[nmc].labels = csa_decile_labels(), charts[nmc].values = d_rate;
    charts[nmc].lower = d_lo, charts[nmc].upper = d_hi;
    charts[nmc].sii_intercept = sii_a, charts[nmc].sii_slope = sii_b;
    size_t ncharts = nmc + 1;
    if (count > 0) {
        as_chart_text(r, &charts[nmc + 1], as_fmt(r, "%s by neighbourhood", rep->title),
                       "Residents of the LSOA", as_fmt(r, "Crimes %s", unit_short),
                       as_fmt(r, "%s. Limits: 95%% and 99.8%% around the area's rate", source));
        charts[nmc + 2] = csa_chart_init(CSA_CHART_LORENZ);
        as_chart_text(r, &charts[nmc + 2], as_fmt(r, "Concentration of %s", rep->title),
                       "Cumulative share of LSOAs (fewest crimes first)",
                       "Cumulative share of crimes", source);
        charts[nmc + 2].n = np + 1, charts[nmc + 2].x = lx, charts[nmc + 2].values = ly;
        charts[nmc + 2].gini = conc.gini;
        ncharts = nmc + 3;
    }

    /* by month, then the history's months (over time, by month of the
     * year), by decile and by LSOA */
    csa_report_table *tabs = as_calloc(r, 13, sizeof *tabs);
    size_t nt;
    if (!tabs)
        return CSA_ERR_NOMEM;
    as_col mcols[] = {AS_TEXT("Month", r->month_label), AS_WHOLE("Crimes", month_count),
                      AS_WHOLE("Days", days), AS_NUM("Crimes per day", per_day),
                      AS_NUM(month_rate, m_rate), AS_NUM("Lower 95% CI", m_lo),
                      AS_NUM("Upper 95% CI", m_hi)};
    tabs[0] = (csa_report_table){as_fmt(r, "%s by month", rep->title), as_table(r, nm, mcols, 7),
                                 4, CSA_NATIVE_LINE, "Month", month_rate, "Lower 95% CI",
                                 "Upper 95% CI", NULL, NULL, NULL, 0};
    if ((st = as_history_tables(r, &h, charts, nmc, tabs + 1, &nt)))
        return st;
    nt++;
    /* the decile as a number, its words beside it, so the table sorts */
    static const double decile[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    static const char *const ends[10] = {"most deprived", [9] = "least deprived"};
    as_col dcols[] = {AS_WHOLE("IMD decile", decile), AS_TEXT("Deprivation", ends),
                      AS_WHOLE("Crimes", d_count), AS_WHOLE("Population", d_pop),
                      AS_NUM(rate_name, d_rate), AS_NUM("Lower 95% CI", d_lo),
                      AS_NUM("Upper 95% CI", d_hi)};
    tabs[nt++] = (csa_report_table){as_fmt(r, "%s by deprivation decile", rep->title),
                                    as_table(r, 10, dcols, 7), 2, CSA_NATIVE_COLUMN,
                                    "IMD decile", rate_name, "Lower 95% CI", "Upper 95% CI",
                                    NULL, NULL, NULL, 0};
    const char **l_sig = as_calloc(r, np ? np : 1, sizeof *l_sig);
    if (!l_sig)
        return CSA_ERR_NOMEM;
    for (size_t i = 0; i < np; i++)
        l_sig[i] = l_out ? csa_outcome_name(l_out[i]) : NULL;
    /* the names beside the codes, and the higher area where known */
    as_col lcols[7] = {AS_TEXT("LSOA code", pcode), AS_TEXT("LSOA name", pname)};
    size_t nlc = 2;
    if (r->higher_label)
        lcols[nlc++] = (as_col)AS_TEXT(r->higher_label, phigher);
    lcols[nlc++] = (as_col)AS_WHOLE("Crimes", pc);
    lcols[nlc++] = (as_col)AS_WHOLE("Population", pp);
    if (l_rate) {
        lcols[nlc++] = (as_col)AS_NUM(rate_name, l_rate);
        lcols[nlc++] = (as_col)AS_TEXT("Against the area (funnel)", l_sig);
    }
    tabs[nt++] = (csa_report_table){as_fmt(r, "%s by LSOA", rep->title),
                                    as_table(r, np, lcols, nlc), 2,
                                    CSA_NATIVE_NONE, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0};
    /* named places: the top LSOAs and locations, and the higher areas */
    csa_outcome *against = as_calloc(r, nl, sizeof *against);
    if (!against)
        return CSA_ERR_NOMEM;
    for (size_t i = 0; l_out && i < np; i++)
        against[pl[i]] = l_out[i];
    as_places places = {ci, rep, wanted, lsoa_all, against, rate_name, unit_short,
                        "Byar's method (exact Poisson below 10 crimes)", source, NULL, NULL,
                        NULL, NULL, NULL};
    if ((st = as_places_tables(r, &places, tabs, &nt, charts, &ncharts)))
        return st;
    /* the maps last: the pack reads the figures first */
    if ((st = as_crime_maps(r, (size_t)(ci - r->cfg->indicators), rep, wanted, lsoa_count, charts,
                            &ncharts, tabs, &nt)))
        return st;
    rep->charts = charts, rep->ncharts = ncharts;
    rep->tables = tabs, rep->ntables = nt;
    return r->nomem ? CSA_ERR_NOMEM : CSA_OK;
}

static csa_status read_police(csa_assess *r, size_t i)
{
    /* the force too: coverage.c names the forces the files cover; where,
     * in words: places.c counts the locations; with maps, the coordinates
     * (as_keep_point keeps those of the period's rows in the area) */
    static const csa_role roles[] = {CSA_ROLE_PERIOD, CSA_ROLE_LSOA,     CSA_ROLE_CATEGORY,
                                     CSA_ROLE_FORCE,  CSA_ROLE_LOCATION, CSA_ROLE_LONGITUDE,
                                     CSA_ROLE_LATITUDE};
    size_t n = sizeof roles / sizeof roles[0] - (r->cfg->boundaries == SIZE_MAX ? 2 : 0);
    return as_ingest_roles(r, i, roles, n);
}

static csa_status compute_police(csa_assess *r, size_t i)
{
    return police_indicator(r, &r->cfg->indicators[i], &r->reports[i], &r->extra[i]);
}

const csa_kind csa_kind_police = {
    .name = "police crime",
    .spec = "police-street",
    .theme = "Crime",
    .multiplier = 1000,
    .candidate = true,
    .monthly = true,
    .method = "Crude rate; 95% interval by Byar's method, exact Poisson below 10 "
              "events; SPC: XmR chart of crimes per day; SII by IMD decile (PHEindicatormethods)",
    .source = "police.uk street-level crime; ONS population estimates; IMD 2019",
    .read = read_police,
    .compute = compute_police,
    .computes = "count of crimes in the area and period per `multiplier` residents (the "
                "population input)",
};
