/* The months of the assessment period. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csa/month.h"
#include "internal.h"

csa_status as_plan_months(csa_assess *r)
{
    int n = csa_month_diff(r->cfg->period_last, r->cfg->period_first) + 1;
    if (n > AS_MAX_MONTHS)
        return csa_error_set(&r->err, CSA_ERR_USAGE, r->cfg->path, 0, 0, "period", NULL,
                             "the period is longer than %d months", AS_MAX_MONTHS);
    for (int i = 0; i < n; i++) {
        char label[CSA_MONTH_TEXT_MAX];
        r->month_start[i] = csa_month_add(r->cfg->period_first, i);
        r->month_label[i] = as_fmt(r, "%s", csa_month_label(r->month_start[i], CSA_MONTH_ISO,
                                                            label));
    }
    r->nmonths = (size_t)n;
    /* until the inputs are read the timeline is the period */
    r->tl_first = r->cfg->period_first, r->tl_n = r->nmonths, r->tl_period = 0;
    memcpy(r->tl_label, r->month_label, r->nmonths * sizeof *r->tl_label);
    return r->nomem ? CSA_ERR_NOMEM : CSA_OK;
}

csa_status as_plan_timeline(csa_assess *r)
{
    const csa_config *c = r->cfg;
    int32_t first = c->period_first, cmp = 0, earliest = csa_month_add(c->period_last,
                                                                         1 - AS_MAX_MONTHS);
    if (c->compare_with == CSA_COMPARE_PREVIOUS_YEAR)
        cmp = csa_month_add(c->period_first, -12);
    else if (c->compare_with == CSA_COMPARE_PERIOD)
        cmp = c->compare_first;
    if (cmp && cmp < earliest)
        return csa_error_set(&r->err, CSA_ERR_USAGE, c->path, 0, 0, "compare_with", NULL,
                             "the comparison period starts more than %d months before the "
                             "period ends: compare with a later one", AS_MAX_MONTHS);
    if (cmp)
        first = cmp;
    for (size_t i = 0; i < c->ninputs; i++) {
        const csa_kind *kind = csa_kind_for_spec(c->inputs[i].spec->name);
        const csa_table *t = r->in[i].table;
        if (r->in[i].excluded || !kind || !kind->monthly || !t)
            continue;
        size_t col = as_role(t, c->inputs[i].spec, CSA_ROLE_PERIOD);
        const int32_t *d = csa_table_dates(t, col);
        for (size_t row = 0; row < csa_table_nrows(t); row++)
            if (csa_table_valid(t, col, row) && d[row] < first && d[row] >= earliest)
                first = d[row];
        first = as_thinned_first(&r->in[i], first, earliest);
    }
    first = csa_month_add(first, 0);
    if (c->baseline_last && c->baseline_first < first) {
        char b[CSA_MONTH_TEXT_MAX], f[CSA_MONTH_TEXT_MAX];
        return csa_error_set(&r->err, CSA_ERR_USAGE, c->path, 0, 0, "baseline", NULL,
                             "the baseline starts in %s, before the first month the police "
                             "files hold (%s)%s: give a baseline of months they hold",
                             csa_month_label(c->baseline_first, CSA_MONTH_ISO, b),
                             csa_month_label(first, CSA_MONTH_ISO, f),
                             c->baseline_first < earliest
                                 ? as_fmt(r, " or more than %d months before the period ends",
                                          AS_MAX_MONTHS) : "");
    }
    r->tl_first = first;
    r->tl_n = (size_t)(csa_month_diff(c->period_last, first) + 1);
    r->tl_period = (size_t)csa_month_diff(c->period_first, first);
    r->tl_compare = cmp ? (size_t)csa_month_diff(cmp, first) : 0;
    r->ncompare = cmp ? r->nmonths : 0;
    for (size_t m = 0; m < r->tl_n; m++) {
        char label[CSA_MONTH_TEXT_MAX];
        r->tl_label[m] = as_fmt(r, "%s", csa_month_label(csa_month_add(first, (int)m),
                                                         CSA_MONTH_ISO, label));
    }
    return r->nomem ? CSA_ERR_NOMEM : CSA_OK;
}

const char *as_compare_span(csa_assess *r)
{
    char range[CSA_PERIOD_TEXT_MAX];
    int32_t first = csa_month_add(r->tl_first, (int)r->tl_compare);
    return as_fmt(r, "%s", csa_month_range_label(first, csa_month_add(first, (int)r->ncompare - 1),
                                                 CSA_MONTH_SHORT, range));
}

size_t as_timeline_index(const csa_assess *r, int32_t d)
{
    int i = csa_month_index(r->tl_first, csa_month_add(r->tl_first, (int)r->tl_n - 1), d);
    return i < 0 ? SIZE_MAX : (size_t)i;
}

size_t as_month_index(const csa_assess *r, int32_t d)
{
    int i = csa_month_index(r->cfg->period_first, r->cfg->period_last, d);
    return i < 0 ? SIZE_MAX : (size_t)i;
}

size_t as_month_runs(int32_t first, size_t nmonths, const bool *present, char *buf,
                     size_t size)
{
    size_t n = 0, missing = 0, unlisted = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < nmonths; i++) {
        if (present[i])
            continue;
        size_t j = i;
        while (j + 1 < nmonths && !present[j + 1])
            j++;
        missing += j - i + 1;
        /* a list cut short says how much it leaves out, never reads as whole */
        if (unlisted || n + 2 * CSA_PERIOD_TEXT_MAX + 32 > size) {
            unlisted += j - i + 1;
        } else {
            char range[CSA_PERIOD_TEXT_MAX];
            csa_month_range_label(csa_month_add(first, (int)i), csa_month_add(first, (int)j),
                                  CSA_MONTH_SHORT, range);
            n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? ", " : "", range);
        }
        i = j;
    }
    if (unlisted)
        snprintf(buf + n, size - n, " and %zu more month%s", unlisted, unlisted == 1 ? "" : "s");
    return missing;
}

const char *as_missing_months(csa_assess *r, const bool *present)
{
    char buf[1024];
    return as_fmt(r, "%s", as_month_runs(r->cfg->period_first, r->nmonths, present, buf,
                                         sizeof buf) ? buf : "none");
}

int as_population_year(const int *years, size_t nyears, int32_t first, size_t n, int *want)
{
    int month, best = years[0];
    csa_month_split(csa_month_add(first, (int)(n - 1) / 2), want, &month);
    for (size_t k = 1; k < nyears; k++)
        if (abs(years[k] - *want) < abs(best - *want))
            best = years[k];
    return best;
}
