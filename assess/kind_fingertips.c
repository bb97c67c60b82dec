/* Fingertips: an indicator's values as OHID Fingertips publishes them, for
 * the area and the comparator over time, with the recent trend and every
 * area of the latest period against the comparator. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

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
static csa_status fingertips_indicator(csa_assess *r, const csa_config_indicator *ci,
                                       csa_indicator_report *rep, as_extra *x)
{
    const csa_table *t = r->in[ci->input].table;
    const char *cfg = r->cfg->path, *la = r->cfg->la_code, *cmp = r->cfg->comparator_code;
    const csa_spec *spec = r->cfg->inputs[ci->input].spec;
    size_t id_col = as_role(t, spec, CSA_ROLE_INDICATOR), area_col = as_role(t, spec, CSA_ROLE_AREA);
    size_t name_col = as_role(t, spec, CSA_ROLE_AREA_NAME), per_col = as_role(t, spec, CSA_ROLE_PERIOD);
    size_t v_col = as_role(t, spec, CSA_ROLE_VALUE), lo_col = as_role(t, spec, CSA_ROLE_LOWER_95);
    size_t hi_col = as_role(t, spec, CSA_ROLE_UPPER_95), n_col = as_role(t, spec, CSA_ROLE_COUNT);
    size_t d_col = as_role(t, spec, CSA_ROLE_DENOMINATOR);
    size_t s_col = as_role(t, spec, CSA_ROLE_PERIOD_ORDER);
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
    period_key *keys = as_calloc(r, np, sizeof *keys);
    size_t *area_row = as_calloc(r, np, sizeof *area_row), *cmp_row = as_calloc(r, np, sizeof *cmp_row);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t p = 0; p < np; p++)
        keys[p] = (period_key){(uint32_t)p, NAN, SIZE_MAX}, area_row[p] = cmp_row[p] = SIZE_MAX;
    /* the whole population's rows: no breakdown by category, persons */
    size_t sex_col = as_role(t, spec, CSA_ROLE_SEX), cat_col = as_role(t, spec, CSA_ROLE_CATEGORY_TYPE);
    bool *use = as_calloc(r, n, sizeof *use), found = false;
    if (!use)
        return CSA_ERR_NOMEM;
    for (size_t row = 0; row < n; row++) {
        const char *sex = as_text(t, sex_col, row);
        use[row] = csa_table_int64s(t, id_col)[row] == id && !as_text(t, cat_col, row) &&
                   (!sex || !strcmp(sex, "Persons"));
    }
    /* one age band: the one of the area's first row (an export can hold
     * several), and for the caterpillar areas of the area's own type */
    size_t age_col = as_role(t, spec, CSA_ROLE_AGE), type_col = as_role(t, spec, CSA_ROLE_AREA_TYPE);
    const char *age = NULL, *area_type = NULL;
    for (size_t row = 0; row < n && !age; row++)
        if (use[row] && as_text(t, area_col, row) && !strcmp(as_text(t, area_col, row), la))
            age = as_text(t, age_col, row), area_type = as_text(t, type_col, row);
    for (size_t row = 0; row < n && age; row++)
        use[row] = use[row] && as_text(t, age_col, row) && !strcmp(as_text(t, age_col, row), age);
    for (size_t row = 0; row < n; row++) {
        if (!use[row])
            continue;
        uint32_t p = csa_table_codes(t, per_col)[row];
        if (keys[p].first_row == SIZE_MAX)
            keys[p].first_row = row, keys[p].sortable = as_cell(t, s_col, row);
        const char *area = as_text(t, area_col, row);
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
    const char **labels = as_calloc(r, nper, sizeof *labels);
    double *v = as_calloc(r, nper, sizeof *v), *lo = as_calloc(r, nper, sizeof *lo);
    double *hi = as_calloc(r, nper, sizeof *hi), *cv = as_calloc(r, nper, sizeof *cv);
    double *cnt = as_calloc(r, nper, sizeof *cnt), *den = as_calloc(r, nper, sizeof *den);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    size_t latest = SIZE_MAX;
    for (size_t i = 0; i < nper; i++) {
        uint32_t p = keys[i].code;
        size_t ar = area_row[p], cr = cmp_row[p];
        labels[i] = csa_dict_string(pd, p, NULL);
        v[i] = ar == SIZE_MAX ? NAN : as_cell(t, v_col, ar);
        lo[i] = ar == SIZE_MAX ? NAN : as_cell(t, lo_col, ar);
        hi[i] = ar == SIZE_MAX ? NAN : as_cell(t, hi_col, ar);
        cnt[i] = ar == SIZE_MAX ? NAN : as_cell(t, n_col, ar);
        den[i] = ar == SIZE_MAX ? NAN : as_cell(t, d_col, ar);
        cv[i] = cr == SIZE_MAX ? NAN : as_cell(t, v_col, cr);
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
    as_compare(r, rep);
    csa_recent_trend rt = {0};
    csa_status st = csa_recent_trend_values(v, lo, hi, NULL, nper, 95, &rt, &r->err);
    if (st)
        return st;
    rep->trend = as_trend_words(r, &rt, nper, NULL, rep->polarity, x);
    x->deprivation_ratio = NAN;
    as_reading(r, rep, as_fmt(r, " in %s; %s%s", labels[latest], as_trend_phrase(x, rep->polarity),
                         x->rising == 2 ? "" : " over the last five periods"));

    /* every area of the latest period against the comparator */
    uint32_t lp = keys[latest].code;
    size_t na = 0, highlight = SIZE_MAX;
    const char **an = as_calloc(r, n, sizeof *an), **aout = as_calloc(r, n, sizeof *aout);
    double *av = as_calloc(r, n, sizeof *av), *alo = as_calloc(r, n, sizeof *alo);
    double *ahi = as_calloc(r, n, sizeof *ahi);
    csa_outcome *ao = as_calloc(r, n, sizeof *ao);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t row = 0; row < n; row++) {
        const char *code = as_text(t, area_col, row);
        if (!use[row] || csa_table_codes(t, per_col)[row] != lp ||
            !code || !strcmp(code, cmp) || !strncmp(code, "E92", 3) || !strncmp(code, "E12", 3) ||
            (area_type && as_text(t, type_col, row) && strcmp(as_text(t, type_col, row), area_type)) ||
            isnan(as_cell(t, v_col, row)))
            continue;
        const char *name = as_text(t, name_col, row);
        an[na] = name ? name : code;
        av[na] = as_cell(t, v_col, row), alo[na] = as_cell(t, lo_col, row);
        ahi[na] = as_cell(t, hi_col, row);
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

    const char *source = as_fmt(r, "Source: OHID Fingertips, indicator %s", ci->indicator_id);
    const char *value_name = as_fmt(r, "Value (%s)", rep->unit);
    const char *cmp_name = as_fmt(r, "%s value", r->cfg->comparator);
    csa_chart *charts = as_calloc(r, 2, sizeof *charts);
    csa_report_table *tabs = as_calloc(r, 2, sizeof *tabs);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    charts[0] = csa_chart_init(CSA_CHART_TREND);
    as_chart_text(r, &charts[0], as_fmt(r, "%s over time", rep->title), "Period", value_name,
                   as_fmt(r, "%s. Band: 95%% confidence interval", source));
    charts[0].subtitle = r->cfg->area_name;
    charts[0].n = nper, charts[0].labels = labels, charts[0].values = v;
    charts[0].lower = lo, charts[0].upper = hi;
    charts[0].comparator = rep->comparator_value;
    charts[0].comparator_label = as_fmt(r, "%s (%s)", r->cfg->comparator, labels[latest]);
    charts[1] = csa_chart_init(CSA_CHART_CATERPILLAR);
    as_chart_text(r, &charts[1], as_fmt(r, "%s by area, %s", rep->title, labels[latest]),
                   value_name, "Area", as_fmt(r, "%s. Whiskers: 95%% confidence intervals", source));
    charts[1].subtitle = as_fmt(r, "Compared with %s", r->cfg->comparator);
    charts[1].n = na, charts[1].labels = an, charts[1].values = av;
    charts[1].lower = alo, charts[1].upper = ahi, charts[1].outcomes = ao;
    charts[1].highlight = highlight;
    charts[1].comparator = rep->comparator_value;
    charts[1].comparator_label = r->cfg->comparator;
    rep->charts = charts, rep->ncharts = 2;
    as_col tcols[] = {AS_TEXT("Period", labels), AS_NUM("Value", v), AS_NUM("Lower 95% CI", lo),
                   AS_NUM("Upper 95% CI", hi), AS_NUM("Count", cnt), AS_NUM("Denominator", den),
                   AS_NUM(cmp_name, cv)};
    tabs[0] = (csa_report_table){as_fmt(r, "%s over time, %s", rep->title, r->cfg->area_name),
                                 as_table(r, nper, tcols, 7), 1, CSA_NATIVE_LINE, "Period",
                                 "Value", "Lower 95% CI", "Upper 95% CI", NULL, NULL, NULL, 0};
    as_col acols[] = {AS_TEXT("Area", an), AS_NUM("Value", av), AS_NUM("Lower 95% CI", alo),
                   AS_NUM("Upper 95% CI", ahi),
                   AS_TEXT(as_fmt(r, "Compared with %s", r->cfg->comparator), aout)};
    tabs[1] = (csa_report_table){as_fmt(r, "%s by area, %s", rep->title, labels[latest]),
                                 as_table(r, na, acols, 5), 1, CSA_NATIVE_BAR, "Area", "Value",
                                 "Lower 95% CI", "Upper 95% CI", NULL, NULL, NULL, 0};
    rep->tables = tabs, rep->ntables = 2;
    return r->nomem ? CSA_ERR_NOMEM : CSA_OK;
}

/* A survey indicator: the weighted share of respondents answering one of
 * `answers` to `question`, overall and by each `by` column. */

static csa_status read_fingertips(csa_assess *r, size_t i)
{
    static const csa_role roles[] = {
        CSA_ROLE_INDICATOR, CSA_ROLE_AREA, CSA_ROLE_AREA_NAME, CSA_ROLE_PERIOD, CSA_ROLE_VALUE,
        CSA_ROLE_LOWER_95, CSA_ROLE_UPPER_95, CSA_ROLE_COUNT, CSA_ROLE_DENOMINATOR,
        CSA_ROLE_PERIOD_ORDER, CSA_ROLE_SEX, CSA_ROLE_CATEGORY_TYPE, CSA_ROLE_AGE,
        CSA_ROLE_AREA_TYPE};
    return as_ingest_roles(r, i, roles, sizeof roles / sizeof roles[0]);
}

static csa_status compute_fingertips(csa_assess *r, size_t i)
{
    return fingertips_indicator(r, &r->cfg->indicators[i], &r->reports[i], &r->extra[i]);
}

const csa_kind csa_kind_fingertips = {
    .name = "Fingertips",
    .spec = "fingertips",
    .theme = "Health",
    .candidate = true,
    .unit = "as published",
    .method = "Values and intervals as published by OHID Fingertips; recent trend "
              "by Fingertips' chi-square test",
    .source = "OHID Fingertips",
    .read = read_fingertips,
    .compute = compute_fingertips,
    .computes = "the area's published values for `indicator_id`",
};
