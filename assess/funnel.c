/* The LSOA funnel plot: each LSOA's rate against limits around the
 * area's. */
#include <math.h>
#include <stdlib.h>

#include "internal.h"

/* Limit line (at[i], value[i]) read at population p, straight between
 * neighbouring points (the line is dense: a hundred points). */
static double along(const double *at, const double *value, size_t n, double p, double before)
{
    if (p < at[0])
        return before;
    for (size_t i = 1; i < n; i++)
        if (p <= at[i])
            return value[i - 1] + (value[i] - value[i - 1]) * (p - at[i - 1]) / (at[i] - at[i - 1]);
    return value[n - 1];
}

enum { FUNNEL_POINTS = 100 };

/* An LSOA outside the 99.8% limits and how far out it is. */
typedef struct outlier {
    double by;
    size_t i;
} outlier;

/* Furthest out first; the first LSOA on a tie. */
static int further_out(const void *pa, const void *pb)
{
    const outlier *a = pa, *b = pb;
    if (a->by != b->by)
        return a->by < b->by ? 1 : -1;
    return (a->i > b->i) - (a->i < b->i);
}

/* Each LSOA's rate against funnel limits around the area's rate, with
 * PHEindicatormethods' funnel for rates. */
csa_status as_funnel_chart(csa_assess *r, csa_indicator_report *rep, double multiplier,
                           size_t n, const double *counts, const double *pops,
                           const char *const *names, double **rates, csa_outcome **outcomes,
                           csa_chart *chart)
{
    csa_funnel_spec spec = {.kind = CSA_FUNNEL_RATE, .comparator = rep->value,
                            .multiplier = multiplier, .years = 1};
    double avg, lo, hi, x[FUNNEL_POINTS];
    csa_funnel_point pts[FUNNEL_POINTS];
    static const csa_levels both = {2, {95, 99.8}};
    double *px = as_calloc(r, FUNNEL_POINTS, sizeof *px);
    double *line[4];
    for (int k = 0; k < 4; k++)
        line[k] = as_calloc(r, FUNNEL_POINTS, sizeof *line[k]);
    *rates = as_calloc(r, n, sizeof **rates);
    *outcomes = as_calloc(r, n, sizeof **outcomes);
    unsigned *named = as_calloc(r, n ? n : 1, sizeof *named);
    double *out_by = as_calloc(r, n ? n : 1, sizeof *out_by); /* how far out: |z| */
    if (r->nomem)
        return CSA_ERR_NOMEM;
    csa_status st = csa_funnel_summary(counts, pops, n, &avg, &lo, &hi, &r->err);
    if (!st)
        st = csa_funnel_axis(&spec, lo, hi, x, FUNNEL_POINTS, &r->err);
    if (!st)
        st = csa_funnel_limits(&spec, x, FUNNEL_POINTS, &both, pts, &r->err);
    if (st)
        return st;
    double at[4][FUNNEL_POINTS], val[4][FUNNEL_POINTS];
    for (size_t i = 0; i < FUNNEL_POINTS; i++)
        for (int k = 0; k < 2; k++) {
            at[2 * k][i] = pts[i].lower_at[k], val[2 * k][i] = pts[i].lower[k];
            at[2 * k + 1][i] = pts[i].upper_at[k], val[2 * k + 1][i] = pts[i].upper[k];
        }
    /* lower_at falls as events rise on the axis for some lines: sort each
     * line by its population */
    for (int k = 0; k < 4; k++)
        if (at[k][0] > at[k][FUNNEL_POINTS - 1])
            for (size_t i = 0; i < FUNNEL_POINTS / 2; i++) {
                size_t j = FUNNEL_POINTS - 1 - i;
                double t = at[k][i];
                at[k][i] = at[k][j], at[k][j] = t;
                t = val[k][i], val[k][i] = val[k][j], val[k][j] = t;
            }
    for (size_t i = 0; i < FUNNEL_POINTS; i++) {
        px[i] = lo * pow(hi / lo, (double)i / (FUNNEL_POINTS - 1));
        for (int k = 0; k < 4; k++)
            /* below its first point a lower line is 0: too few events
             * expected there for any count to be significantly low */
            line[k][i] = along(at[k], val[k], FUNNEL_POINTS, px[i], k % 2 ? val[k][0] : 0);
    }
    for (size_t i = 0; i < n; i++) {
        csa_funnel_signif sig;
        (*rates)[i] = counts[i] / pops[i] * spec.multiplier;
        if ((st = csa_funnel_significance(&spec, counts[i], pops[i], &sig, &r->err)))
            return st;
        /* outside the 99.8% limits: named, furthest from the area's rate
         * (in standard errors of the count expected at it) first */
        double expected = rep->value / spec.multiplier * pops[i];
        if ((sig == CSA_FUNNEL_HIGH_998 || sig == CSA_FUNNEL_LOW_998) && expected > 0)
            out_by[i] = fabs(counts[i] - expected) / sqrt(expected);
        bool high = sig == CSA_FUNNEL_HIGH_95 || sig == CSA_FUNNEL_HIGH_998;
        bool low = sig == CSA_FUNNEL_LOW_95 || sig == CSA_FUNNEL_LOW_998;
        (*outcomes)[i] = !high && !low ? CSA_SIMILAR
                         : rep->polarity == CSA_POLARITY_NO_JUDGEMENT ? (high ? CSA_HIGHER : CSA_LOWER)
                         : (high == (rep->polarity == CSA_POLARITY_LOW_IS_GOOD)) ? CSA_WORSE
                                                                                 : CSA_BETTER;
    }
    size_t nout = 0;
    outlier *order = as_calloc(r, n ? n : 1, sizeof *order);
    if (!order)
        return CSA_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        if (out_by[i] > 0)
            order[nout++] = (outlier){out_by[i], i};
    qsort(order, nout, sizeof *order, further_out);
    for (size_t k = 0; k < nout; k++)
        named[order[k].i] = (unsigned)(k + 1);
    *chart = csa_chart_init(CSA_CHART_FUNNEL);
    chart->labels = names, chart->named = named;
    chart->n = n, chart->x = pops, chart->values = *rates, chart->outcomes = *outcomes;
    chart->comparator = rep->value, chart->comparator_label = r->cfg->area_name;
    chart->nfunnel = FUNNEL_POINTS, chart->funnel_x = px;
    chart->funnel_lo95 = line[0], chart->funnel_hi95 = line[1];
    chart->funnel_lo998 = line[2], chart->funnel_hi998 = line[3];
    return CSA_OK;
}
