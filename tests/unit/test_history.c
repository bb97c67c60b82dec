/* The month charts and the trend judgement of a monthly indicator
 * (assess/history.c) on histories built by hand: seasonal relatives, the
 * deseasonalised XmR limits and the rolling twelve months are worked out
 * here again from their formulas. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../assess/internal.h"
#include "csa/month.h"

#define assert_close(a, b) assert_true(fabs((a) - (b)) < 1e-9)

enum { MAXN = 48 };

static csa_config cfg;
static char label_buf[MAXN][16];
static const char *labels[MAXN];
static double count[MAXN], days[MAXN], pd[MAXN];

static csa_assess *make_run(void)
{
    cfg = (csa_config){.comparator = "England", .area_name = "Milton Keynes",
                       .period_label = "2017/18"};
    csa_assess *r = calloc(1, sizeof *r);
    assert_non_null(r);
    r->cfg = &cfg;
    return r;
}

/* n months from April 2015 at 30 crimes a day, June to August 20% up
 * (May and September 10%), a little noise that no year repeats, and the
 * months from `step` on times `factor`. */
static as_history history(size_t n, size_t step, double factor)
{
    static const double season[12] = {1, 1, 1, 1, 1.1, 1.2, 1.2, 1.2, 1.1, 1, 1, 1};
    int32_t first = csa_month_make(2015, 4);
    for (size_t i = 0; i < n; i++) {
        int32_t m = csa_month_add(first, (int)i);
        int y, mo;
        csa_month_split(m, &y, &mo);
        snprintf(label_buf[i], sizeof label_buf[i], "%04d-%02d", y, mo);
        labels[i] = label_buf[i];
        days[i] = csa_month_add(m, 1) - m;
        double level = 30 * season[mo - 1] * (1 + 0.03 * sin(2.7 * (double)i));
        count[i] = round(level * days[i] * (i >= step ? factor : 1));
        pd[i] = count[i] / days[i];
    }
    return (as_history){.n = n, .first = first, .label = labels, .count = count, .days = days,
                        .population = 250000, .multiplier = 1000};
}

/* 36 months: the period the last 12, compared with and limits from the 12
 * before. */
static as_history three_years(size_t step, double factor)
{
    as_history h = history(36, step, factor);
    h.period_first = 24, h.period_n = 12;
    h.compare_first = 12, h.compare_n = 12;
    h.baseline_first = 12, h.baseline_n = 12;
    return h;
}

/* 24 months: the period the last 12, compared with and limits from the
 * 12 before (no year before those to adjust by). */
static as_history two_years(void)
{
    as_history h = history(24, 24, 1);
    h.period_first = 12, h.period_n = 12;
    h.compare_first = 0, h.compare_n = 12;
    h.baseline_first = 0, h.baseline_n = 12;
    return h;
}

typedef struct run_out {
    csa_chart charts[AS_HISTORY_CHARTS];
    size_t n;
    const char *phrase;
    csa_indicator_report rep;
    as_extra x;
} run_out;

static void run(csa_assess *r, const as_history *h, run_out *o)
{
    memset(o, 0, sizeof *o);
    o->rep = (csa_indicator_report){.title = "Violence", .polarity = CSA_POLARITY_LOW_IS_GOOD};
    o->x = (as_extra){2, 2, "No data", NAN, 2, false};
    if (as_history_charts(r, &o->rep, &o->x, h, "Source: test", o->charts, &o->n, &o->phrase))
        fail_msg("%s", r->err.message);
    /* every chart draws; with CSA_CHARTS_OUT set, kept there to look at */
    const char *dir = getenv("CSA_CHARTS_OUT");
    for (size_t i = 0; i < o->n; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/history-%zu-%zu.png", dir ? dir : "/tmp", h->n, i);
        if (csa_chart_png(&o->charts[i], 1200, 750, path, &r->err))
            fail_msg("%s", r->err.message);
        if (!dir)
            remove(path);
    }
}

static const csa_chart *find(const run_out *o, csa_chart_kind kind)
{
    for (size_t i = 0; i < o->n; i++)
        if (o->charts[i].kind == kind)
            return &o->charts[i];
    return NULL;
}

/* XmR limits of v over [first, first + len): centre the mean, limits the
 * mean +- 2.66 x the mean moving range. */
static void xmr(const double *v, size_t first, size_t len, double *centre, double *lo,
                double *hi)
{
    double sum = 0, mr = 0;
    for (size_t i = first; i < first + len; i++)
        sum += v[i];
    for (size_t i = first + 1; i < first + len; i++)
        mr += fabs(v[i] - v[i - 1]);
    *centre = sum / (double)len;
    mr /= (double)(len - 1);
    *lo = *centre - 2.66 * mr, *hi = *centre + 2.66 * mr;
}

/* Seasonal relatives from the year before the baseline (months 0 to 11;
 * the baseline's own, 12 to 23, never set them), and the series divided
 * by them. */
static void deseasonalise(size_t n, double *adj)
{
    double rel[12], mean = 0;
    for (size_t k = 0; k < 12; k++)
        mean += pd[k] / 12;
    for (size_t k = 0; k < 12; k++)
        rel[k] = pd[k] / mean;
    for (size_t i = 0; i < n; i++)
        adj[i] = pd[i] / rel[i % 12];
}

static void summer_peak_no_trend(void **state)
{
    (void)state;
    csa_assess *r = make_run();
    as_history h = three_years(36, 1);
    run_out o;
    run(r, &h, &o);
    assert_int_equal(o.n, 3);
    assert_int_equal(o.charts[0].kind, CSA_CHART_HISTORY);
    assert_int_equal(o.charts[1].kind, CSA_CHART_SPC);
    assert_int_equal(o.charts[2].kind, CSA_CHART_SEASON);
    /* no signal anywhere, and the words say neither rising nor signal */
    /* from the baseline on: the year before it set the seasonal
     * relatives, fitted to them, so neither drawn nor judged */
    const csa_chart *spc = find(&o, CSA_CHART_SPC);
    assert_int_equal(spc->n, 24);
    assert_string_equal(spc->labels[0], "2016-04");
    for (size_t i = 0; i < 24; i++)
        assert_int_equal(spc->flags[i], 0);
    assert_int_equal(o.x.rising, 0);
    assert_int_equal(o.x.direction, 0);
    assert_null(strstr(o.phrase, "rising"));
    assert_null(strstr(o.phrase, "signal"));
    assert_string_equal(o.phrase, "no significant change (SPC on 24 months, seasonally adjusted)");
    assert_null(strstr(o.rep.trend, "rising"));
    assert_non_null(strstr(o.rep.trend, "no month outside the process limits"));
    /* the limits, from the deseasonalised months 12 to 23 */
    double adj[36], c, lo, hi;
    deseasonalise(36, adj);
    xmr(adj, 12, 12, &c, &lo, &hi);
    assert_close(spc->spc_centre, c);
    assert_close(spc->spc_lower, lo);
    assert_close(spc->spc_upper, hi);
    for (size_t i = 12; i < 36; i++)
        assert_close(spc->values[i - 12], adj[i]);
    assert_int_equal(spc->shade_first, 12);
    assert_int_equal(spc->shade_n, 12);
    /* the subtitle says where the limits come from and how */
    assert_non_null(strstr(spc->subtitle, "XmR limits from Apr 2016 to Mar 2017 (large moving "
                                          "ranges screened out); seasonally adjusted by the "
                                          "same months of 1 earlier year (to Mar 2016)"));
    assert_non_null(strstr(spc->subtitle, "Milton Keynes, Apr 2016 to Mar 2018;"));
    /* unadjusted, the same limits would call the summers special causes */
    double rc, rlo, rhi;
    xmr(pd, 12, 12, &rc, &rlo, &rhi);
    size_t outside = 0;
    for (size_t i = 0; i < 36; i++)
        outside += pd[i] > rhi || pd[i] < rlo;
    assert_true(outside > 0);

    /* the history chart: crimes per day, last year's over the period's
     * months, and the rolling twelve months' crimes per day */
    const csa_chart *hc = find(&o, CSA_CHART_HISTORY);
    assert_int_equal(hc->n, 36);
    assert_int_equal(hc->shade_first, 24);
    assert_int_equal(hc->shade_n, 12);
    for (size_t i = 0; i < 36; i++) {
        assert_close(hc->values[i], pd[i]);
        if (i < 24)
            assert_true(isnan(hc->overlay[i]));
        else
            assert_close(hc->overlay[i], pd[i - 12]);
        if (i < 11) {
            assert_true(isnan(hc->rolling[i]));
            continue;
        }
        double c12 = 0, d12 = 0;
        for (size_t k = i - 11; k <= i; k++)
            c12 += count[k], d12 += days[k];
        assert_close(hc->rolling[i], c12 / d12);
    }
    assert_string_equal(hc->overlay_label, "Same months a year earlier (Apr 2016 to Mar 2017), "
                                           "laid over the period's months");

    /* the profile: from April, the mean and range of each month's three
     * years, the period's months over them */
    const csa_chart *sc = find(&o, CSA_CHART_SEASON);
    assert_int_equal(sc->n, 12);
    assert_string_equal(sc->labels[0], "Apr");
    assert_string_equal(sc->labels[11], "Mar");
    for (size_t k = 0; k < 12; k++) {
        double a = pd[k], b = pd[k + 12], d = pd[k + 24];
        assert_close(sc->values[k], (a + b + d) / 3);
        assert_close(sc->lower[k], fmin(a, fmin(b, d)));
        assert_close(sc->upper[k], fmax(a, fmax(b, d)));
        assert_close(sc->overlay[k], d);
    }
    csa_assess_free(r);
}

/* The same history with the last 12 months 27% down: a fall, below the
 * limits. */
static void step_fall(void **state)
{
    (void)state;
    csa_assess *r = make_run();
    as_history h = three_years(24, 0.73);
    run_out o;
    run(r, &h, &o);
    const csa_chart *spc = find(&o, CSA_CHART_SPC);
    double adj[36], c, lo, hi;
    deseasonalise(36, adj);
    xmr(adj, 12, 12, &c, &lo, &hi);
    assert_close(spc->spc_lower, lo);
    size_t below = 0;
    for (size_t i = 24; i < 36; i++) {
        assert_true(adj[i] < lo);
        below += (spc->flags[i - 12] & CSA_SPC_OUTSIDE) != 0;
    }
    assert_int_equal(below, 12);
    assert_int_equal(o.x.rising, -1);
    assert_int_equal(o.x.direction, -1);
    assert_string_equal(o.x.direction_text, "Latest month below SPC limits");
    assert_string_equal(o.phrase, "getting better in the latest month (SPC on 24 months, seasonally "
                                  "adjusted)");
    assert_non_null(strstr(o.rep.trend, "12 months below the process limits"));
    csa_assess_free(r);
}

/* 13 months: one before the period. No year before the baseline, and too
 * short to tell a season from a trend: not judged by SPC, no limits, said
 * so; the history chart but no profile. */
static void thirteen_months(void **state)
{
    (void)state;
    csa_assess *r = make_run();
    as_history h = history(13, 13, 1);
    h.period_first = 1, h.period_n = 12;
    h.compare_first = 0, h.compare_n = 1;
    h.baseline_first = 1, h.baseline_n = 12;
    run_out o;
    run(r, &h, &o);
    assert_int_equal(o.n, 2);
    assert_int_equal(o.charts[0].kind, CSA_CHART_HISTORY);
    assert_int_equal(o.charts[1].kind, CSA_CHART_SPC);
    const csa_chart *spc = &o.charts[1];
    assert_true(isnan(spc->spc_lower) && isnan(spc->spc_upper));
    for (size_t i = 0; i < 13; i++) {
        assert_close(spc->values[i], pd[i]);
        assert_int_equal(spc->flags[i], 0);
    }
    assert_int_equal(o.x.rising, 2);
    assert_string_equal(o.x.direction_text, "Under two years, not judged (SPC)");
    assert_string_equal(o.rep.trend, "not judged by SPC: under two years of months with rows "
                                     "(13) cannot tell a seasonal rise from a trend, and a "
                                     "season cannot be "
                                     "adjusted for (no full year of history before the "
                                     "baseline), so a seasonal rise would read as a signal; the "
                                     "change on the comparison period is the measure");
    assert_string_equal(o.phrase, "not judged by SPC (under two years of months, not seasonally "
                                  "adjusted)");
    assert_non_null(strstr(spc->subtitle, "; no control limits: under two years of months, not "
                                          "seasonally adjusted"));
    /* the one month a year earlier lies over the period's first */
    assert_close(o.charts[0].overlay[1], pd[0]);
    assert_true(isnan(o.charts[0].overlay[2]));
    /* rolling twelve months from the twelfth month on */
    double c12 = 0, d12 = 0;
    for (size_t k = 1; k <= 12; k++)
        c12 += count[k], d12 += days[k];
    assert_true(isnan(o.charts[0].rolling[10]));
    assert_close(o.charts[0].rolling[12], c12 / d12);
    csa_assess_free(r);
}

/* r of the two years' months over their means, as seasonal_r's. */
static double two_year_r(size_t a, size_t b)
{
    /* each year's departures from a line of its own level and one slope
     * for both, correlated month by month */
    const double *y[2] = {pd + a, pd + b};
    double my[2] = {0, 0}, sxy = 0, sxx = 0;
    for (size_t g = 0; g < 2; g++)
        for (size_t k = 0; k < 12; k++)
            my[g] += y[g][k] / 12;
    for (size_t g = 0; g < 2; g++)
        for (size_t k = 0; k < 12; k++)
            sxy += ((double)k - 5.5) * (y[g][k] - my[g]), sxx += ((double)k - 5.5) * ((double)k - 5.5);
    double slope = sxy / sxx, sab = 0, saa = 0, sbb = 0;
    for (size_t k = 0; k < 12; k++) {
        double da = y[0][k] - my[0] - slope * ((double)k - 5.5);
        double db = y[1][k] - my[1] - slope * ((double)k - 5.5);
        sab += da * db, saa += da * da, sbb += db * db;
    }
    return sab / sqrt(saa * sbb);
}

/* 24 months with the summer peak and no trend: the baseline is the only
 * year before the period, so no year is left to adjust by; the two years
 * rise and fall together, so no SPC judgement (limits from the baseline's
 * summer would call the period's summer a signal) and no flag, said so. */
static void two_years_seasonal(void **state)
{
    (void)state;
    csa_assess *r = make_run();
    as_history h = two_years();
    run_out o;
    run(r, &h, &o);
    const csa_chart *spc = find(&o, CSA_CHART_SPC);
    double rr = two_year_r(0, 12);
    assert_true(rr >= AS_SEASON_R);
    for (size_t i = 0; i < 24; i++) {
        assert_int_equal(spc->flags[i], 0);
        assert_close(spc->values[i], pd[i]);
    }
    assert_true(isnan(spc->spc_lower) && isnan(spc->spc_upper));
    assert_int_equal(o.x.rising, 2);
    assert_int_equal(o.x.direction, 2);
    assert_string_equal(o.x.direction_text, "Seasonal pattern, not judged (SPC)");
    assert_string_equal(o.phrase, "a seasonal pattern, not judged by SPC (it cannot be "
                                  "adjusted for)");
    char want[400];
    snprintf(want, sizeof want, "not judged by SPC: the last two years' months rise and fall "
                                "together (r = %.2f), a seasonal pattern that cannot be adjusted "
                                "for (no full year of history before the baseline), so a "
                                "seasonal rise would read as a signal", rr);
    assert_non_null(strstr(o.rep.trend, want));
    snprintf(want, sizeof want, "no control limits: a seasonal pattern (r = %.2f) that cannot be "
                                "adjusted for", rr);
    assert_non_null(strstr(spc->subtitle, want));
    csa_assess_free(r);
}

/* 24 months with no season (the noise alone, which no year repeats): r
 * is low, so the months are judged as they are, with limits from the
 * baseline, and the phrase says they are not seasonally adjusted. */
static void two_years_no_season(void **state)
{
    (void)state;
    csa_assess *r = make_run();
    as_history h = two_years();
    for (size_t i = 0; i < 24; i++) /* the season taken out again */
        count[i] = round(30 * (1 + 0.03 * sin(2.7 * (double)i)) * days[i]), pd[i] = count[i] / days[i];
    run_out o;
    run(r, &h, &o);
    assert_true(two_year_r(0, 12) < AS_SEASON_R);
    const csa_chart *spc = find(&o, CSA_CHART_SPC);
    double c, lo, hi;
    xmr(pd, 0, 12, &c, &lo, &hi);
    assert_close(spc->spc_centre, c);
    assert_close(spc->spc_upper, hi);
    assert_int_equal(o.x.rising, 0);
    assert_string_equal(o.phrase, "no significant change (SPC on 24 months, not seasonally "
                                  "adjusted)");
    csa_assess_free(r);
}

/* 24 months rising 2% a month with no season: month k of both years is
 * higher than the months before it, but that is the trend, not a season
 * (the line through the 24 months takes it out): r is low, the months
 * are judged, and the rise signals */
static void two_years_rising(void **state)
{
    (void)state;
    csa_assess *r = make_run();
    as_history h = two_years();
    for (size_t i = 0; i < 24; i++)
        count[i] = round(30 * pow(1.02, (double)i) * (1 + 0.03 * sin(2.7 * (double)i)) * days[i]),
        pd[i] = count[i] / days[i];
    run_out o;
    run(r, &h, &o);
    assert_true(two_year_r(0, 12) < AS_SEASON_R);
    assert_null(strstr(o.rep.trend, "not judged"));
    assert_int_equal(o.x.rising, 1);
    csa_assess_free(r);
}

/* A timeline of 24 months (the comparison year's start) with rows in the
 * last 18 only: not two years of months with rows, whatever the
 * timeline's length, so not judged (the final rehearsal: 18 months of a
 * season read 'getting better in the latest month'). */
static void eighteen_months_of_rows(void **state)
{
    (void)state;
    csa_assess *r = make_run();
    as_history h = two_years();
    for (size_t i = 0; i < 6; i++)
        count[i] = NAN, pd[i] = NAN;
    h.baseline_first = 0, h.baseline_n = 24; /* too few before the period: every month */
    run_out o;
    run(r, &h, &o);
    assert_int_equal(o.x.rising, 2);
    assert_non_null(strstr(o.rep.trend, "not judged by SPC: under two years of months with rows "
                                        "(18) cannot tell a seasonal rise from a trend"));
    csa_assess_free(r);
}

/* 36 months with rows in 30, five of them missing from the second-last
 * year and one from the first (so no relatives): over two years of
 * months, but too few a year apart to tell a season, and said so, not
 * "under two years" */
static void too_few_a_year_apart(void **state)
{
    (void)state;
    csa_assess *r = make_run();
    as_history h = three_years(36, 1);
    size_t gone[] = {3, 12, 13, 14, 15, 16};
    for (size_t k = 0; k < 6; k++)
        count[gone[k]] = NAN, pd[gone[k]] = NAN;
    h.baseline_first = 0, h.baseline_n = 36;
    run_out o;
    run(r, &h, &o);
    assert_string_equal(o.x.direction_text, "Too few months a year apart, not judged (SPC)");
    assert_non_null(strstr(o.rep.trend, "not judged by SPC: 30 months with rows, too few of them "
                                        "a year apart, cannot tell a seasonal rise from a trend"));
    assert_string_equal(o.phrase, "not judged by SPC (too few months a year apart, not seasonally "
                                  "adjusted)");
    assert_non_null(strstr(find(&o, CSA_CHART_SPC)->subtitle,
                           "; no control limits: too few months a year apart, not seasonally "
                           "adjusted"));
    csa_assess_free(r);
}

/* A ratio on a trend band's edge shows which side of it it is: 599
 * against 500 crimes over the same residents is 1.198 (+19.8%), a smaller
 * rise than 20%, not "1.20 (+20%)" beside a score of 4. */
static void change_on_a_band_edge(void **state)
{
    (void)state;
    csa_assess *r = make_run();
    as_history h = two_years();
    for (size_t i = 0; i < 24; i++)
        count[i] = i < 12 ? (i ? 42 : 38) : (i > 12 ? 50 : 49); /* 500, then 599 */
    h.population = h.population_before = 250000;
    csa_indicator_report rep = {.title = "Violence", .polarity = CSA_POLARITY_LOW_IS_GOOD};
    as_extra x = {2, 2, "No data", NAN, 2, false};
    as_change(r, &rep, &x, &h, "per 1,000 residents");
    assert_close(rep.ratio, 599.0 / 500.0);
    assert_non_null(strstr(rep.change, "(+19.8%; rate ratio 1.198, 95% CI "));
    csa_assess_free(r);
}

/* The default baseline: the 12 months before the period, with one month
 * missing at the most (its limits then from 11); with more missing, every
 * month. */
static void default_baseline(void **state)
{
    (void)state;
    csa_assess *r = make_run();
    as_history h = three_years(36, 1);
    as_history_baseline(r, &h, 0);
    assert_false(h.baseline_fixed);
    assert_false(h.baseline_gap);
    assert_int_equal(h.baseline_first, 12);
    assert_int_equal(h.baseline_n, 12);
    count[20] = NAN, pd[20] = NAN;
    as_history_baseline(r, &h, 0);
    assert_true(h.baseline_gap);
    assert_int_equal(h.baseline_first, 12);
    assert_int_equal(h.baseline_n, 12);
    /* judged from the 11, seasonally adjusted by the year before */
    run_out o;
    run(r, &h, &o);
    const csa_chart *spc = find(&o, CSA_CHART_SPC);
    assert_false(isnan(spc->spc_upper));
    assert_non_null(strstr(o.rep.trend, "limits from 11 months"));
    assert_non_null(strstr(o.rep.trend, "seasonally adjusted crimes per day"));
    count[21] = NAN; /* 10 months with rows in the year before */
    as_history_baseline(r, &h, 0);
    assert_int_equal(h.baseline_first, 0);
    assert_int_equal(h.baseline_n, 36);
    csa_assess_free(r);
}

/* 48 months, the baseline fixed two years before the period (months 12 to
 * 23): the relatives come from the year before it (0 to 11) alone, not
 * from the year between it and the period, and the chart starts at the
 * baseline, whose months set the limits. */
static void baseline_well_before(void **state)
{
    (void)state;
    csa_assess *r = make_run();
    as_history h = history(48, 48, 1);
    h.period_first = 36, h.period_n = 12;
    h.compare_first = 24, h.compare_n = 12;
    h.baseline_first = 12, h.baseline_n = 12, h.baseline_fixed = true;
    run_out o;
    run(r, &h, &o);
    const csa_chart *spc = find(&o, CSA_CHART_SPC);
    assert_int_equal(spc->n, 36);
    double adj[48], c, lo, hi;
    deseasonalise(48, adj);
    xmr(adj, 12, 12, &c, &lo, &hi);
    assert_close(spc->spc_centre, c);
    assert_close(spc->spc_upper, hi);
    assert_non_null(strstr(o.rep.trend, "against the same months of 1 earlier year), limits "
                                        "from 12 months"));
    csa_assess_free(r);
}

/* A calendar month that counts under 10 in the year before the baseline
 * gives no seasonal relative (it would be one of noise): not adjusted, and
 * the trend says why. */
static void too_few_for_a_season(void **state)
{
    (void)state;
    csa_assess *r = make_run();
    as_history h = three_years(36, 1);
    count[3] = 9, pd[3] = 9 / days[3];
    run_out o;
    run(r, &h, &o);
    const csa_chart *spc = find(&o, CSA_CHART_SPC);
    assert_int_equal(spc->n, 36);
    for (size_t i = 0; i < 36; i++)
        assert_close(spc->values[i], pd[i]);
    /* and the two last years rise and fall together: not judged */
    assert_non_null(strstr(o.rep.trend, "a seasonal pattern that cannot be adjusted for (under "
                                        "10 in a calendar month of the years before the "
                                        "baseline: too few to estimate a season)"));
    csa_assess_free(r);
}

/* 3 months, the period alone: the SPC chart with no limits, too few to
 * judge, no history chart or profile. */
static void three_months(void **state)
{
    (void)state;
    csa_assess *r = make_run();
    as_history h = history(3, 3, 1);
    h.period_n = 3, h.baseline_n = 3;
    run_out o;
    run(r, &h, &o);
    assert_int_equal(o.n, 1);
    assert_int_equal(o.charts[0].kind, CSA_CHART_SPC);
    assert_true(isnan(o.charts[0].spc_upper) && isnan(o.charts[0].spc_lower));
    assert_int_equal(o.charts[0].shade_n, 0);
    assert_string_equal(o.phrase, "3 months: too few to judge a trend");
    assert_string_equal(o.rep.trend, "3 months: too few to judge a trend (SPC control limits "
                                     "need 12 months)");
    assert_int_equal(o.x.rising, 2);
    csa_assess_free(r);
}

/* A month missing from the history is a gap, not a zero. */
static void missing_month(void **state)
{
    (void)state;
    csa_assess *r = make_run();
    as_history h = three_years(36, 1);
    count[30] = NAN;
    run_out o;
    run(r, &h, &o);
    assert_true(isnan(find(&o, CSA_CHART_HISTORY)->values[30]));
    assert_true(isnan(find(&o, CSA_CHART_HISTORY)->rolling[35]));
    assert_true(isnan(find(&o, CSA_CHART_SPC)->values[30 - 12]));
    csa_assess_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(summer_peak_no_trend),
        cmocka_unit_test(step_fall),
        cmocka_unit_test(thirteen_months),
        cmocka_unit_test(two_years_seasonal),
        cmocka_unit_test(two_years_no_season),
        cmocka_unit_test(two_years_rising),
        cmocka_unit_test(eighteen_months_of_rows),
        cmocka_unit_test(change_on_a_band_edge),
        cmocka_unit_test(too_few_a_year_apart),
        cmocka_unit_test(default_baseline),
        cmocka_unit_test(baseline_well_before),
        cmocka_unit_test(too_few_for_a_season),
        cmocka_unit_test(three_months),
        cmocka_unit_test(missing_month),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
