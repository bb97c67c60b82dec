/* Change between two periods, rolling sums and the Fingertips recent-trend
 * test, against published values.
 *
 * Where the reference gives full precision it was computed with R 4.x from
 * the published formula, written out independently of this code (R's
 * stats::poisson.test for the exact rate ratio; no CRAN packages): the
 * scripts' key lines are quoted beside each value. Published values quoted
 * to fewer digits are checked to the digits published. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "csa/trend.h"

static void assert_rel(double got, double want, double tol)
{
    double rel = want == 0 ? fabs(got) : fabs(got - want) / fabs(want);
    if (!(rel <= tol))
        fail_msg("got %.17g, want %.17g (relative error %.3g)", got, want, rel);
}

/* Checks a value quoted to `places` decimal places. */
static void assert_rounded(double got, double want, int places)
{
    double half = 0.5 * pow(10, -places);
    if (!(fabs(got - want) <= half * (1 + 1e-9)))
        fail_msg("got %.17g, which does not round to %.*f", got, places, want);
}

static const csa_levels LEVELS = { .n = 2, .level = { 95, 99.8 } };

/* ---- rate ratio ---- */

/* 120 crimes among 100,000 residents this year against 95 among 98,000
 * last year. Log-normal: RR * exp(+-qnorm(0.975) * sqrt(1/120 + 1/95));
 * exact: poisson.test(c(120, 95), c(100000, 98000))$conf.int. */
static void rate_ratio_log_normal_and_exact(void **state)
{
    (void)state;
    csa_period now = { 120, 100000 }, before = { 95, 98000 };
    csa_estimate e;
    assert_int_equal(csa_rate_ratio(now, before, &LEVELS, CSA_RATIO_AUTO, &e, NULL), CSA_OK);
    assert_rel(e.value, 1.2378947368421052, 1e-12);
    assert_rel(e.lower[0], 0.94577501298938205, 1e-9);
    assert_rel(e.upper[0], 1.6202409224767587, 1e-9);
    assert_rel(e.lower[1], 0.80979770341296708, 1e-9);
    assert_rel(e.upper[1], 1.8923039334922953, 1e-9);
    assert_false(e.flags & CSA_RATE_EXACT);
    assert_true(isnan(e.lower[2]) && isnan(e.upper[3]));

    assert_int_equal(csa_rate_ratio(now, before, &LEVELS, CSA_RATIO_EXACT, &e, NULL), CSA_OK);
    assert_rel(e.lower[0], 0.93788716031010044, 1e-9);
    assert_rel(e.upper[0], 1.6377485427110414, 1e-9);
    assert_rel(e.lower[1], 0.8039160508197466, 1e-9);
    assert_rel(e.upper[1], 1.9190080827720333, 1e-9);
    assert_true(e.flags & CSA_RATE_EXACT);

    /* poisson.test(c(30, 20), c(1000, 1200)) */
    now = (csa_period){ 30, 1000 };
    before = (csa_period){ 20, 1200 };
    assert_int_equal(csa_rate_ratio(now, before, &LEVELS, CSA_RATIO_EXACT, &e, NULL), CSA_OK);
    assert_rel(e.value, 1.8, 1e-12);
    assert_rel(e.lower[0], 0.98895827907709466, 1e-9);
    assert_rel(e.upper[0], 3.3441051683550804, 1e-9);
    assert_rel(e.lower[1], 0.71820125848307104, 1e-9);
    assert_rel(e.upper[1], 4.7680456955540071, 1e-9);
}

/* Below 10 events in either period the exact method is used:
 * poisson.test(c(4, 9), c(52000, 51000)), and with no events now
 * poisson.test(c(0, 9), c(52000, 51000)). */
static void rate_ratio_small_counts_are_exact(void **state)
{
    (void)state;
    csa_estimate e;
    csa_period now = { 4, 52000 }, before = { 9, 51000 };
    assert_int_equal(csa_rate_ratio(now, before, &LEVELS, CSA_RATIO_AUTO, &e, NULL), CSA_OK);
    assert_true(e.flags & CSA_RATE_EXACT);
    assert_rel(e.value, 0.4358974358974359, 1e-12);
    assert_rel(e.lower[0], 0.098090337648414183, 1e-9);
    assert_rel(e.upper[0], 1.5618072609026441, 1e-9);
    assert_rel(e.lower[1], 0.037435073083148133, 1e-9);
    assert_rel(e.upper[1], 2.9368474457400411, 1e-9);

    now.count = 0;
    assert_int_equal(csa_rate_ratio(now, before, &LEVELS, CSA_RATIO_AUTO, &e, NULL), CSA_OK);
    assert_true(e.value == 0 && e.lower[0] == 0 && e.lower[1] == 0);
    assert_rel(e.upper[0], 0.49688730201977027, 1e-9);
    assert_rel(e.upper[1], 1.1322340229158856, 1e-9);

    /* the log-normal interval needs events in both periods */
    assert_int_equal(csa_rate_ratio(now, before, &LEVELS, CSA_RATIO_LOG_NORMAL, &e, NULL),
                     CSA_OK);
    assert_true(e.value == 0 && isnan(e.lower[0]) && isnan(e.upper[0]));
    assert_true(e.flags & CSA_CHANGE_NO_INTERVAL);
}

/* The exact method on the counts of a real district, where GSL's incomplete
 * beta gives up: poisson.test(c(3000, 2800), c(250000, 248000)). And at the
 * extreme of one event against ten million, where the limit has a closed
 * form (P(X <= n - 1) = 1 - p^n, so p = (1 - tail)^(1/n)), computed to 40
 * digits with mpmath; R's qbeta is 8e-9 (95%) and 5e-7 (99.8%) off there. */
static void rate_ratio_exact_with_many_events(void **state)
{
    (void)state;
    csa_estimate e;
    csa_period now = { 3000, 250000 }, before = { 2800, 248000 };
    assert_int_equal(csa_rate_ratio(now, before, &LEVELS, CSA_RATIO_EXACT, &e, NULL), CSA_OK);
    assert_rel(e.lower[0], 1.009166315918578, 1e-9);
    assert_rel(e.upper[0], 1.119430421608494, 1e-9);
    assert_rel(e.lower[1], 0.9796501939591582, 1e-9);
    assert_rel(e.upper[1], 1.1532106684798955, 1e-9);

    now = (csa_period){ 1e7, 1e8 };
    before = (csa_period){ 1, 1e8 };
    assert_int_equal(csa_rate_ratio(now, before, &LEVELS, CSA_RATIO_EXACT, &e, NULL), CSA_OK);
    assert_rel(e.upper[0], 394978941.04996231862, 1e-12);
    assert_rel(e.upper[1], 9995000165.2496525485, 1e-12);
    assert_rel(e.lower[0], 1794802.1817368846, 1e-9); /* poisson.test */
}

/* No events before: no ratio, but the exact interval has a lower limit and
 * an infinite upper one, as poisson.test(c(11, 0), c(50000, 50000)) gives.
 * With every event in one period the Clopper-Pearson limit has a closed
 * form, P(X >= n) = p^n = tail, so p = tail^(1/n) and RR = p / (1 - p) *
 * N2 / N1; the values below were computed that way in Python (math only):
 *   p = 0.025 ** (1 / 11); p / (1 - p) * 50000 / 50000  -> 2.509829152949324
 * and checked against bisection on the binomial sum (2.509829152949326);
 * 99.8%: tail 0.001 -> 1.1444038237719794; with unequal person-time,
 * N1 52,000 and N2 51,000: 2.4615632077002987 (95%). And 3 now, 0
 * before, 1,000 each: 0.4132313550308941 (95%), not significant. */
static void rate_ratio_without_a_baseline(void **state)
{
    (void)state;
    csa_estimate e;
    csa_period none = { 0, 50000 }, some = { 12, 50000 };
    csa_period eleven = { 11, 50000 };
    assert_int_equal(csa_rate_ratio(eleven, none, &LEVELS, CSA_RATIO_AUTO, &e, NULL), CSA_OK);
    assert_true(isnan(e.value));
    assert_true(e.flags & CSA_CHANGE_NO_BASELINE);
    assert_true(e.flags & CSA_RATE_EXACT);
    assert_false(e.flags & (CSA_CHANGE_NO_EVENTS | CSA_CHANGE_NO_INTERVAL));
    assert_rel(e.lower[0], 2.509829152949324, 1e-9);
    assert_rel(e.lower[1], 1.1444038237719794, 1e-9);
    assert_true(isinf(e.upper[0]) && e.upper[0] > 0 && isinf(e.upper[1]));

    csa_period eleven_more = { 11, 52000 }, none_less = { 0, 51000 };
    assert_int_equal(csa_rate_ratio(eleven_more, none_less, &LEVELS, CSA_RATIO_EXACT, &e, NULL),
                     CSA_OK);
    assert_rel(e.lower[0], 2.4615632077002987, 1e-9);
    assert_true(isinf(e.upper[0]));

    csa_period three = { 3, 1000 }, zero = { 0, 1000 };
    assert_int_equal(csa_rate_ratio(three, zero, &LEVELS, CSA_RATIO_AUTO, &e, NULL), CSA_OK);
    assert_rel(e.lower[0], 0.4132313550308941, 1e-9);

    /* the log-normal method has nothing without events in both */
    assert_int_equal(csa_rate_ratio(some, none, &LEVELS, CSA_RATIO_LOG_NORMAL, &e, NULL),
                     CSA_OK);
    assert_true(isnan(e.value) && isnan(e.lower[0]) && isnan(e.upper[0]));
    assert_true(e.flags & CSA_CHANGE_NO_BASELINE && e.flags & CSA_CHANGE_NO_INTERVAL);

    /* none in either period: nothing to compare, no interval */
    assert_int_equal(csa_rate_ratio(none, none, &LEVELS, CSA_RATIO_AUTO, &e, NULL), CSA_OK);
    assert_true(isnan(e.value) && isnan(e.lower[0]) && isnan(e.upper[0]));
    assert_true(e.flags & CSA_CHANGE_NO_BASELINE && e.flags & CSA_CHANGE_NO_EVENTS);

    csa_period no_people = { 12, 0 };
    assert_int_equal(csa_rate_ratio(some, no_people, &LEVELS, CSA_RATIO_AUTO, &e, NULL),
                     CSA_OK);
    assert_true(isnan(e.value) && (e.flags & CSA_RATE_NO_DENOMINATOR));

    csa_period missing = { NAN, 50000 };
    assert_int_equal(csa_rate_ratio(missing, some, &LEVELS, CSA_RATIO_AUTO, &e, NULL), CSA_OK);
    assert_true(isnan(e.value) && (e.flags & CSA_CHANGE_MISSING));
}

static void bad_counts_and_levels_are_errors(void **state)
{
    (void)state;
    csa_estimate e;
    csa_error err;
    csa_period ok = { 12, 50000 }, negative = { -1, 50000 }, half = { 2.5, 100 };
    assert_int_equal(csa_rate_ratio(negative, ok, &LEVELS, CSA_RATIO_AUTO, &e, &err),
                     CSA_ERR_VALUE);
    assert_string_equal(err.field, "now");
    assert_int_equal(csa_rate_difference(ok, half, 1000, &LEVELS, &e, &err), CSA_ERR_VALUE);
    assert_string_equal(err.field, "before");
    csa_levels bad = { .n = 1, .level = { 100 } };
    assert_int_equal(csa_rate_ratio(ok, ok, &bad, CSA_RATIO_AUTO, &e, &err), CSA_ERR_USAGE);
    assert_int_equal(csa_rate_ratio(ok, ok, NULL, CSA_RATIO_AUTO, &e, &err), CSA_ERR_USAGE);
    assert_int_equal(csa_rate_ratio(ok, ok, &LEVELS, (csa_ratio_method)7, &e, &err),
                     CSA_ERR_USAGE);
    assert_int_equal(csa_rate_difference(ok, ok, 0, &LEVELS, &e, &err), CSA_ERR_USAGE);
    csa_period too_many = { 11, 10 };
    assert_int_equal(csa_proportion_difference(too_many, ok, &LEVELS, &e, &err), CSA_ERR_VALUE);
}

/* ---- rate difference ---- */

/* (O1/N1 - O2/N2) * 1000 +- qnorm(...) * sqrt(O1/N1^2 + O2/N2^2) * 1000 */
static void rate_difference_normal_approximation(void **state)
{
    (void)state;
    csa_estimate e;
    csa_period now = { 120, 100000 }, before = { 95, 98000 };
    assert_int_equal(csa_rate_difference(now, before, 1000, &LEVELS, &e, NULL), CSA_OK);
    assert_rel(e.value, 0.23061224489795906, 1e-12);
    assert_rel(e.lower[0], -0.059381046995707842, 1e-9);
    assert_rel(e.upper[0], 0.52060553679162602, 1e-9);
    assert_rel(e.lower[1], -0.22661382979037836, 1e-9);
    assert_rel(e.upper[1], 0.68783831958629649, 1e-9);

    now = (csa_period){ 4, 52000 };
    before = (csa_period){ 9, 51000 };
    assert_int_equal(csa_rate_difference(now, before, 1000, &LEVELS, &e, NULL), CSA_OK);
    assert_rel(e.value, -0.099547511312217202, 1e-12);
    assert_rel(e.lower[0], -0.23729683597794568, 1e-9);
    assert_rel(e.upper[0], 0.038201813353511277, 1e-9);
    assert_rel(e.lower[1], -0.31673385585350583, 1e-9);
    assert_rel(e.upper[1], 0.11763883322907143, 1e-9);
}

/* ---- difference of proportions ---- */

/* Newcombe (1998) Table II, method 10, published to 4 places: (a) 56/70 -
 * 48/80, (b) 9/10 - 3/10, (d) 5/56 - 0/29, (e) 0/10 - 0/20, (g) 10/10 -
 * 0/20; and the Perondi et al. (2004) trial, 7/34 - 1/34, as the R package
 * contingencytables' tests give it: 0.1765 (0.0189 to 0.3404). Full digits
 * from the method written out in R (Wilson limits, square-and-add). */
static void proportion_difference_newcombe(void **state)
{
    (void)state;
    static const struct {
        double x1, n1, x2, n2, lower, upper, lower_full, upper_full, lower998, upper998;
    } cases[] = {
        { 56, 70, 48, 80, 0.0524, 0.3339, 0.052431472402364898, 0.33387265403690591,
          -0.033487253642442288, 0.40181176460263518 },
        { 9, 10, 3, 10, 0.1705, 0.8090, 0.17052272393450302, 0.80901797353548799,
          -0.047622371921410389, 0.85409036307885133 },
        { 5, 56, 0, 29, -0.0381, 0.1926, -0.038137147903536853, 0.19256001385511157,
          -0.16666160074963826, 0.27332304949935232 },
        { 0, 10, 0, 20, -0.1611, 0.2775, -0.16112515805281932, 0.27753279986288915,
          -0.32317041462405505, 0.48847890045346221 },
        { 10, 10, 0, 20, 0.6791, 1.0000, 0.67908603714191473, 1,
          0.41429465336527183, 1 },
        { 7, 34, 1, 34, 0.0189, 0.3404, 0.01892144388577302, 0.34036868703270728,
          -0.093272272461744854, 0.44234938852331568 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        csa_estimate e;
        csa_period now = { cases[i].x1, cases[i].n1 }, before = { cases[i].x2, cases[i].n2 };
        assert_int_equal(csa_proportion_difference(now, before, &LEVELS, &e, NULL), CSA_OK);
        assert_rel(e.value, cases[i].x1 / cases[i].n1 - cases[i].x2 / cases[i].n2, 1e-15);
        assert_rounded(e.lower[0], cases[i].lower, 4);
        assert_rounded(e.upper[0], cases[i].upper, 4);
        assert_rel(e.lower[0], cases[i].lower_full, 1e-9);
        assert_rel(e.upper[0], cases[i].upper_full, 1e-9);
        assert_rel(e.lower[1], cases[i].lower998, 1e-9);
        assert_rel(e.upper[1], cases[i].upper998, 1e-9);
    }
}

static void proportion_difference_without_denominator(void **state)
{
    (void)state;
    csa_estimate e;
    csa_period none = { 0, 0 }, some = { 3, 10 };
    assert_int_equal(csa_proportion_difference(some, none, &LEVELS, &e, NULL), CSA_OK);
    assert_true(isnan(e.value) && (e.flags & CSA_RATE_NO_DENOMINATOR));
}

/* ---- rolling sums ---- */

static void rolling_twelve_months(void **state)
{
    (void)state;
    double months[15], out[15];
    for (int i = 0; i < 15; i++)
        months[i] = i + 1;
    assert_int_equal(csa_rolling_sum(months, 15, 12, out, NULL), CSA_OK);
    for (int i = 0; i < 11; i++)
        assert_true(isnan(out[i]));
    assert_true(out[11] == 78 && out[12] == 90 && out[13] == 102 && out[14] == 114);

    /* a missing month spoils the twelve totals that include it */
    months[12] = NAN;
    assert_int_equal(csa_rolling_sum(months, 15, 12, out, NULL), CSA_OK);
    assert_true(out[11] == 78);
    assert_true(isnan(out[12]) && isnan(out[13]) && isnan(out[14]));
    months[0] = NAN;
    assert_int_equal(csa_rolling_sum(months, 15, 12, out, NULL), CSA_OK);
    assert_true(isnan(out[11]));

    /* fewer months than the window: nothing to total */
    assert_int_equal(csa_rolling_sum(months + 1, 5, 12, out, NULL), CSA_OK);
    for (int i = 0; i < 5; i++)
        assert_true(isnan(out[i]));
    assert_int_equal(csa_rolling_sum(months, 15, 0, out, NULL), CSA_ERR_USAGE);
    assert_int_equal(csa_rolling_sum(NULL, 0, 12, NULL, NULL), CSA_OK);
}

/* ---- recent trend ---- */

static void assert_trend(const csa_recent_trend *t, csa_trend_marker marker,
                         csa_trend_reason reason)
{
    if (t->marker != marker || t->reason != reason)
        fail_msg("got \"%s\" (%s), want \"%s\" (%s)", csa_trend_marker_label(t->marker),
                 csa_trend_reason_text(t->reason), csa_trend_marker_label(marker),
                 csa_trend_reason_text(reason));
}

/* PHEindicatormethods' published test data for assign_trend_markers
 * (tests/testthat/testdata_trend_markers.xlsx, sheet testdata_prop_trends):
 * Significance 12.5688, Gradient -0.1062, "Decreasing". The denominators
 * are the sheet's stored values of =Count/Value*100. Full digits: the
 * Armitage chi-square and the log-odds slope written out in R on times
 * centred at 0. */
static void trend_in_proportions_matches_phe(void **state)
{
    (void)state;
    const double count[] = { 318, 314, 318, 291, 292 };
    const double denominator[] = { 468.3357879234167, 472.8915662650602, 500.78740157480314,
                                   480.1980198019802, 499.14529914529913 };
    const double years[] = { 2019, 2020, 2021, 2022, 2023 };
    csa_recent_trend t;
    assert_int_equal(csa_recent_trend_proportion(count, denominator, years, 5, &t, NULL),
                     CSA_OK);
    assert_trend(&t, CSA_TREND_DECREASING, CSA_TREND_SIGNIFICANT);
    assert_rounded(t.chi_square, 12.5688, 4);
    assert_rounded(t.slope, -0.1062, 4);
    assert_rel(t.chi_square, 12.568754225371627, 1e-9);
    assert_rel(t.slope, -0.10623352675968953, 1e-9);
    assert_rel(t.p_value, 0.00039224996799463362, 1e-9);
    assert_int_equal(t.first, 0);
    assert_string_equal(csa_trend_marker_label(t.marker), "Decreasing");
    assert_string_equal(csa_trend_reason_text(t.reason), "No outliers and significant trend");

    /* equally spaced when no times are given: the same answer */
    assert_int_equal(csa_recent_trend_proportion(count, denominator, NULL, 5, &t, NULL),
                     CSA_OK);
    assert_rel(t.chi_square, 12.568754225371627, 1e-9);
}

/* The same workbook, sheet testdata_prop_grouped. "Asian or Asian
 * British": 144.3957, -0.5245, Decreasing. "Other ethnic group" (years
 * 2012, 2013, 2014, 2016, 2017): 47.3463, 0.483, Increasing; those two
 * figures are for equally spaced points, while the R code on the years
 * themselves gives 44.7368 and 0.3562 (the package's test compares only the
 * marker, on which both agree). "Mixed" with a missing count: Cannot be
 * calculated. */
static void trend_in_proportions_grouped(void **state)
{
    (void)state;
    csa_recent_trend t;
    const double asian[] = { 90, 58, 29, 49, 67 };
    const double asian_d[] = { 264.70588235294116, 89.23076923076924, 44.61538461538462,
                               233.33333333333334, 744.4444444444445 };
    assert_int_equal(csa_recent_trend_proportion(asian, asian_d, NULL, 5, &t, NULL), CSA_OK);
    assert_trend(&t, CSA_TREND_DECREASING, CSA_TREND_SIGNIFICANT);
    assert_rounded(t.chi_square, 144.3957, 4);
    assert_rounded(t.slope, -0.5245, 4);
    assert_rel(t.chi_square, 144.39574450064629, 1e-9);
    assert_rel(t.slope, -0.52446460466905542, 1e-9);

    const double other[] = { 10, 17, 27, 49, 67 };
    const double other_d[] = { 125, 141.66666666666669, 117.3913043478261, 204.16666666666666,
                               171.7948717948718 };
    const double years[] = { 2012, 2013, 2014, 2016, 2017 };
    assert_int_equal(csa_recent_trend_proportion(other, other_d, NULL, 5, &t, NULL), CSA_OK);
    assert_trend(&t, CSA_TREND_INCREASING, CSA_TREND_SIGNIFICANT);
    assert_rounded(t.chi_square, 47.3463, 4);
    assert_rounded(t.slope, 0.483, 3);
    assert_rel(t.chi_square, 47.346254274444512, 1e-9);
    assert_rel(t.slope, 0.48298202894028996, 1e-9);
    assert_rel(t.p_value, 5.9491692417365228e-12, 1e-9);
    assert_int_equal(csa_recent_trend_proportion(other, other_d, years, 5, &t, NULL), CSA_OK);
    assert_trend(&t, CSA_TREND_INCREASING, CSA_TREND_SIGNIFICANT);
    assert_rel(t.chi_square, 44.736823218429407, 1e-9);
    assert_rel(t.slope, 0.35622445436088646, 1e-9);

    const double mixed[] = { 23, 122, 94, NAN, 20 };
    const double mixed_d[] = { 50, 95.3125, 94, 80, 25 };
    assert_int_equal(csa_recent_trend_proportion(mixed, mixed_d, NULL, 5, &t, NULL), CSA_OK);
    assert_trend(&t, CSA_TREND_CANNOT_BE_CALCULATED, CSA_TREND_MISSING_VALUES);
    assert_true(isnan(t.slope) && isnan(t.chi_square));
}

/* Fingertips' own unit tests (fingertips-open, WhenUsingTrendMarkerCalculator)
 * publish the markers, not the statistics: TrendData_1 (indicator 20301)
 * decreasing, TrendData_3 (indicator 1172) increasing, TrendData_5
 * (indicator 10101) no change, TrendData_5a decreasing. */
static void trend_in_proportions_matches_fingertips(void **state)
{
    (void)state;
    static const struct {
        double r[5], n[5];
        csa_trend_marker marker;
    } cases[] = {
        { { 621, 599, 556, 535, 447 }, { 3454, 3195, 3256, 3227, 3121 }, CSA_TREND_DECREASING },
        { { 8116, 8145, 8222, 8506, 8728 }, { 91530, 91773, 92088, 92238, 92665.890 },
          CSA_TREND_INCREASING },
        { { 5405, 5500, 5435, 5480, 5315 }, { 18095, 18170, 18005, 17890, 17860 },
          CSA_TREND_NO_SIGNIFICANT_CHANGE },
        { { 22435, 22445, 21365, 20955, 19055 }, { 65880, 67900, 68705, 69835, 70910 },
          CSA_TREND_DECREASING },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        csa_recent_trend t;
        assert_int_equal(csa_recent_trend_proportion(cases[i].r, cases[i].n, NULL, 5, &t, NULL),
                         CSA_OK);
        assert_int_equal(t.marker, cases[i].marker);
    }
}

/* PHEindicatormethods' published test data, sheet testdata_other_trends:
 * Significance 46.7636, Gradient -1.7516, Decreasing; sheet
 * testdata_other_6 (six points, the last five used): 0.7433, -0.2256, No
 * significant change; sheet testdata_other_grouped, "Black, Black British,
 * Caribbean or African": 95.2196, 2.7335, Increasing, and "Other ethnic
 * group", with a missing lower limit: Cannot be calculated. SE is (UL - LL) /
 * (2 qnorm(0.975)), as the package computes it (Fingertips' 3.92 would give
 * 46.7653). */
static void trend_in_values_matches_phe(void **state)
{
    (void)state;
    csa_recent_trend t;
    const double v[] = { 30.6, 30.2, 28, 24.6, 24.67, 30.9 };
    const double lo[] = { 28.98, 28.63, 26.44, 23.15, 23.16, 28.98 };
    const double hi[] = { 32.25, 31.9, 29.64, 26.19, 26.25, 32.25 };
    assert_int_equal(csa_recent_trend_values(v, lo, hi, NULL, 5, 95, &t, NULL), CSA_OK);
    assert_trend(&t, CSA_TREND_DECREASING, CSA_TREND_SIGNIFICANT);
    assert_rounded(t.chi_square, 46.7636, 4);
    assert_rounded(t.slope, -1.7516, 4);
    assert_rel(t.chi_square, 46.763597160549523, 1e-9);
    assert_rel(t.slope, -1.7515662226629487, 1e-9);
    assert_rel(t.p_value, 8.0087331823671756e-12, 1e-8);

    assert_int_equal(csa_recent_trend_values(v, lo, hi, NULL, 6, 95, &t, NULL), CSA_OK);
    assert_trend(&t, CSA_TREND_NO_SIGNIFICANT_CHANGE, CSA_TREND_NOT_SIGNIFICANT);
    assert_int_equal(t.first, 1);
    assert_rounded(t.chi_square, 0.7433, 4);
    assert_rounded(t.slope, -0.2256, 4);
    assert_rel(t.chi_square, 0.74331536481995253, 1e-9);
    assert_rel(t.slope, -0.22560263920328527, 1e-9);
    assert_rel(t.p_value, 0.38860091396595914, 1e-9);

    const double vb[] = { 20.2, 23, 24.6, 28.67, 30.9 };
    const double lb[] = { 18.3, 21.44, 23.15, 26.16, 28.98 };
    const double ub[] = { 21.9, 25.64, 26.19, 29.25, 32.25 };
    assert_int_equal(csa_recent_trend_values(vb, lb, ub, NULL, 5, 95, &t, NULL), CSA_OK);
    assert_trend(&t, CSA_TREND_INCREASING, CSA_TREND_SIGNIFICANT);
    assert_rounded(t.chi_square, 95.2196, 4);
    assert_rounded(t.slope, 2.7335, 4);
    assert_rel(t.chi_square, 95.21955426417594, 1e-9);
    assert_rel(t.slope, 2.7335130891017596, 1e-9);

    const double vo[] = { 24.67, 20.2, 23, 24.6, 28.67 };
    const double lo_missing[] = { 23.16, 18.3, 21.44, 23.15, NAN };
    const double uo[] = { 26.25, 21.9, 25.64, 26.19, 29.25 };
    assert_int_equal(csa_recent_trend_values(vo, lo_missing, uo, NULL, 5, 95, &t, NULL),
                     CSA_OK);
    assert_trend(&t, CSA_TREND_CANNOT_BE_CALCULATED, CSA_TREND_MISSING_INTERVAL);
    assert_string_equal(csa_trend_reason_text(t.reason),
                        "Missing at least one confidence interval value");

    /* "White": four points */
    assert_int_equal(csa_recent_trend_values(vb, lb, ub, NULL, 4, 95, &t, NULL), CSA_OK);
    assert_trend(&t, CSA_TREND_CANNOT_BE_CALCULATED, CSA_TREND_TOO_FEW_POINTS);
    assert_string_equal(csa_trend_marker_label(t.marker), "Cannot be calculated");
}

/* Significant, but without the last point the line falls: the rule that
 * every leave-one-out line keep the direction. chi-square and slope from
 * the weighted line written out in R. */
static void trend_reversed_by_one_point_is_no_change(void **state)
{
    (void)state;
    const double v[] = { 10, 10.1, 9.9, 10, 20 };
    double lo[5], hi[5];
    for (int i = 0; i < 5; i++) {
        lo[i] = v[i] - 0.2;
        hi[i] = v[i] + 0.2;
    }
    csa_recent_trend t;
    assert_int_equal(csa_recent_trend_values(v, lo, hi, NULL, 5, 95, &t, NULL), CSA_OK);
    assert_trend(&t, CSA_TREND_NO_SIGNIFICANT_CHANGE, CSA_TREND_OUTLIER);
    assert_rel(t.chi_square, 3803.1402689577271, 1e-9);
    assert_rel(t.slope, 1.99, 1e-9);
}

/* Crude rates from counts: each point's 95% interval by Byar's method (exact
 * below 10 events), then the weighted line. R: the PHEindicatormethods
 * byars_lower/upper and qchisq exact formulas, then the same regression.
 * The first series is the counts behind testdata_other_trends, per 1,000;
 * the second has points below 10 events. */
static void trend_in_rates(void **state)
{
    (void)state;
    csa_recent_trend t;
    const double c[] = { 1367, 1332, 1199, 1023, 994 };
    const double d[] = { 44701, 44064, 42811, 41527, 40299 };
    assert_int_equal(csa_recent_trend_rate(c, d, NULL, 5, 1000, &t, NULL), CSA_OK);
    assert_trend(&t, CSA_TREND_DECREASING, CSA_TREND_SIGNIFICANT);
    assert_rel(t.slope, -1.7477677833567546, 1e-9);
    assert_rel(t.chi_square, 46.584028297440774, 1e-9);
    assert_rel(t.p_value, 8.7772743121868837e-12, 1e-8);

    const double small[] = { 12, 7, 9, 15, 22 };
    const double pop[] = { 52000, 52500, 53100, 53600, 54000 };
    assert_int_equal(csa_recent_trend_rate(small, pop, NULL, 5, 1000, &t, NULL), CSA_OK);
    assert_trend(&t, CSA_TREND_NO_SIGNIFICANT_CHANGE, CSA_TREND_NOT_SIGNIFICANT);
    assert_rel(t.slope, 0.046243480505535908, 1e-9);
    assert_rel(t.chi_square, 3.4813066384898947, 1e-9);
    assert_rel(t.p_value, 0.062065714353294721, 1e-9);

    /* a year with no population is a missing point */
    const double no_pop[] = { 52000, 52500, 0, 53600, 54000 };
    assert_int_equal(csa_recent_trend_rate(small, no_pop, NULL, 5, 1000, &t, NULL), CSA_OK);
    assert_trend(&t, CSA_TREND_CANNOT_BE_CALCULATED, CSA_TREND_MISSING_VALUES);
}

static void trend_bad_input(void **state)
{
    (void)state;
    csa_recent_trend t;
    csa_error err;
    const double r[] = { 5, 6, 7, 8, 9 }, n[] = { 10, 10, 10, 10, 5 };
    assert_int_equal(csa_recent_trend_proportion(r, n, NULL, 5, &t, &err), CSA_ERR_VALUE);
    assert_non_null(strstr(err.message, "point 4"));

    const double all[] = { 10, 10, 10, 10, 10 };
    assert_int_equal(csa_recent_trend_proportion(r, all, NULL, 5, &t, NULL), CSA_OK);
    const double zero[] = { 0, 6, 7, 8, 9 };
    assert_int_equal(csa_recent_trend_proportion(zero, all, NULL, 5, &t, NULL), CSA_OK);
    assert_trend(&t, CSA_TREND_CANNOT_BE_CALCULATED, CSA_TREND_EXTREME_PROPORTION);

    const double negative[] = { 5, -6, 7, 8, 9 };
    assert_int_equal(csa_recent_trend_rate(negative, all, NULL, 5, 1000, &t, &err),
                     CSA_ERR_VALUE);
    assert_non_null(strstr(err.message, "point 1"));

    const double backwards[] = { 2019, 2020, 2020, 2021, 2022 };
    assert_int_equal(csa_recent_trend_proportion(r, all, backwards, 5, &t, &err),
                     CSA_ERR_VALUE);
    assert_int_equal(csa_recent_trend_values(r, r, all, NULL, 5, 0, &t, &err), CSA_ERR_USAGE);
}

/* Issue 15: over many draws of Poisson counts with a known true ratio,
 * the 95% interval holds it in about 95% of them (log-normal, from 10
 * events) and in at least 95% (exact, conservative, below 10). A
 * deterministic generator (xorshift64*, Knuth's Poisson sampler) keeps it
 * reproducible. */
static uint64_t rng = 0x9E3779B97F4A7C15u;
static double uniform(void)
{
    rng ^= rng >> 12, rng ^= rng << 25, rng ^= rng >> 27;
    return (double)((rng * 0x2545F4914F6CDD1Du) >> 11) / 9007199254740992.0;
}
static double poisson(double mean)
{
    /* a sum of Poisson counts is Poisson: pieces of at most 100 keep
     * exp(-mean) and the running product clear of underflow */
    double k = 0;
    for (; mean > 0; mean -= 100) {
        double limit = exp(-fmin(mean, 100)), p = uniform();
        while (p > limit)
            k++, p *= uniform();
    }
    return k;
}
static double coverage(double mean_before, double ratio, int runs, csa_ratio_method method)
{
    static const csa_levels l95 = {1, {95}};
    int held = 0, n = 0;
    for (int i = 0; i < runs; i++) {
        csa_period now = {poisson(mean_before * ratio * 2), 2000}, before = {poisson(mean_before), 1000};
        csa_estimate e;
        csa_error err;
        assert_int_equal(csa_rate_ratio(now, before, &l95, method, &e, &err), CSA_OK);
        if (isnan(e.lower[0]))
            continue; /* no events before: no ratio, not counted */
        n++;
        held += e.lower[0] <= ratio && ratio <= e.upper[0];
    }
    return (double)held / n;
}
static void rate_ratio_coverage(void **state)
{
    (void)state;
    /* 4,000 runs: the share's standard error is 0.0034 at 95% */
    double c = coverage(150, 0.73, 4000, CSA_RATIO_AUTO);
    print_message("coverage %.4f\n", c);
    assert_true(c > 0.94 && c < 0.96);
    c = coverage(400, 1.0, 4000, CSA_RATIO_AUTO);
    print_message("coverage %.4f\n", c);
    assert_true(c > 0.94 && c < 0.96);
    c = coverage(4, 0.5, 4000, CSA_RATIO_AUTO); /* exact: at least its level */
    assert_true(c >= 0.95 && c < 0.995);
    c = coverage(6, 1.5, 4000, CSA_RATIO_EXACT);
    print_message("coverage %.4f\n", c);
    assert_true(c >= 0.95 && c < 0.995);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rate_ratio_log_normal_and_exact),
        cmocka_unit_test(rate_ratio_coverage),
        cmocka_unit_test(rate_ratio_small_counts_are_exact),
        cmocka_unit_test(rate_ratio_exact_with_many_events),
        cmocka_unit_test(rate_ratio_without_a_baseline),
        cmocka_unit_test(bad_counts_and_levels_are_errors),
        cmocka_unit_test(rate_difference_normal_approximation),
        cmocka_unit_test(proportion_difference_newcombe),
        cmocka_unit_test(proportion_difference_without_denominator),
        cmocka_unit_test(rolling_twelve_months),
        cmocka_unit_test(trend_in_proportions_matches_phe),
        cmocka_unit_test(trend_in_proportions_grouped),
        cmocka_unit_test(trend_in_proportions_matches_fingertips),
        cmocka_unit_test(trend_in_values_matches_phe),
        cmocka_unit_test(trend_reversed_by_one_point_is_no_change),
        cmocka_unit_test(trend_in_rates),
        cmocka_unit_test(trend_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
