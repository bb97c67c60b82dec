/* SPC charts against published values.
 *
 * Limits: NHSRplotthedots' published test snapshot and vignette, the qcc
 * package's circuit-board c-chart (Montgomery), and the NIST/SEMATECH
 * e-Handbook; full digits from the Making Data Count formulas written out
 * in R 4.x. Run rules: the expected masks come from running NHSRplotthedots
 * 0.2.2's own rule functions (R/ptd_calculate_point_type.R, base R,
 * unchanged) in R on the same series and limits. Mask bits: 1 outside, 2
 * shift, 4 trend, 8 two of three. */
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

/* Checks a value quoted to `digits` significant digits. */
static void assert_digits(double got, double want, int digits)
{
    double scale = pow(10, floor(log10(fabs(want))) - digits + 1);
    if (!(fabs(got - want) <= 0.5 * scale * (1 + 1e-9)))
        fail_msg("got %.17g, which does not round to %.*g", got, digits, want);
}

static void assert_masks(const unsigned *got, const unsigned *want, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (got[i] != want[i])
            fail_msg("point %zu: rules %u, want %u", i, got[i], want[i]);
}

enum { MAX_POINTS = 64 };

typedef struct chart {
    csa_spc_limits limits;
    unsigned rules[MAX_POINTS];
    csa_spc_signal signals[2 * MAX_POINTS];
    size_t nsignals;
} chart;

static void draw(const double *v, size_t n, csa_spc_options o, chart *c)
{
    assert_true(n <= MAX_POINTS);
    assert_int_equal(csa_spc_compute(v, n, &o, &c->limits, c->rules, c->signals,
                                     2 * MAX_POINTS, &c->nsignals, NULL),
                     CSA_OK);
}

/* set.seed(123); rnorm(20), NHSRplotthedots' test data
 * (tests/testthat/test-ptd_spc_standard.R), printed with 17 digits. */
static const double RNORM[20] = {
    -0.5604756465522126,  -0.23017748948327996, 1.558708314149124,    0.070508391424576003,
    0.12928773516094624,  1.715064986883281,    0.4609162059892023,   -1.265061234606534,
    -0.68685285189352607, -0.44566197009995806, 1.2240817974394615,   0.35981382705736381,
    0.40077145059405217,  0.11068271594511971,  -0.55584113475407493, 1.7869131368030782,
    0.49785047822923939,  -1.9666171566296382,  0.70135590156368555,  -0.47279140772793404,
};

/* Snapshot tests/testthat/_snaps/ptd_spc_standard.md: mean 0.1416238,
 * limits -3.01138 and 3.294627; with point 15 set to 10, screened: mean
 * 0.6694159, limits -2.383666 and 3.722497; not screened: -4.596625 and
 * 5.935457. */
static void xmr_matches_plotthedots_snapshot(void **state)
{
    (void)state;
    chart c;
    csa_spc_options o = { .chart = CSA_SPC_XMR };
    draw(RNORM, 20, o, &c);
    assert_digits(c.limits.centre, 0.1416238, 7);
    assert_digits(c.limits.lower, -3.01138, 6);
    assert_digits(c.limits.upper, 3.294627, 7);
    assert_rel(c.limits.centre, 0.1416238024745986, 1e-12);
    assert_rel(c.limits.mean_moving_range, 1.185339623376954, 1e-12);
    assert_rel(c.limits.lower, -3.0113795957080995, 1e-12);
    assert_rel(c.limits.upper, 3.2946272006572963, 1e-12);
    assert_rel(c.limits.lower_two_thirds, -1.9603784629805332, 1e-12);
    assert_rel(c.limits.upper_two_thirds, 2.2436260679297302, 1e-12);
    assert_int_equal(c.limits.baseline_points, 20);
    assert_int_equal(c.limits.moving_ranges, 19);
    assert_int_equal(c.nsignals, 0);
    static const unsigned none[20];
    assert_masks(c.rules, none, 20);

    double y[20];
    memcpy(y, RNORM, sizeof y);
    y[14] = 10;
    draw(y, 20, o, &c);
    assert_digits(c.limits.centre, 0.6694159, 7);
    assert_digits(c.limits.lower, -2.383666, 7);
    assert_digits(c.limits.upper, 3.722497, 7);
    assert_rel(c.limits.mean_moving_range, 1.1477749836415163, 1e-12);
    assert_rel(c.limits.lower, -2.3836655972741312, 1e-12);
    assert_rel(c.limits.upper, 3.7224973156987362, 1e-12);
    assert_int_equal(c.limits.moving_ranges, 17); /* the two ranges either side of 10 */
    assert_int_equal(c.limits.screened_moving_ranges, 2);
    assert_int_equal(c.nsignals, 1);
    assert_int_equal(c.signals[0].rule, CSA_SPC_OUTSIDE);
    assert_int_equal(c.signals[0].direction, 1);
    assert_int_equal(c.signals[0].first, 14);
    assert_int_equal(c.signals[0].last, 14);
    assert_int_equal(c.rules[14], CSA_SPC_OUTSIDE);

    o.keep_large_moving_ranges = 1;
    draw(y, 20, o, &c);
    assert_digits(c.limits.lower, -4.596625, 7);
    assert_digits(c.limits.upper, 5.935457, 7);
    assert_rel(c.limits.mean_moving_range, 1.9797146773240832, 1e-12);
    assert_rel(c.limits.lower, -4.5966251824697597, 1e-12);
    assert_rel(c.limits.upper, 5.9354569008943638, 1e-12);
    assert_rel(c.limits.lower_two_thirds, -2.8412781685757387, 1e-12);
    assert_rel(c.limits.upper_two_thirds, 4.1801098870003432, 1e-12);
    assert_int_equal(c.rules[14], CSA_SPC_OUTSIDE);
}

/* vignettes/deviations.Rmd: screened, UPL 4.6, mean 1.94, LPL -0.72; as
 * the Making Data Count spreadsheet (not screened), UPL 6.95, LPL -3.06.
 * The 10 is a special cause either way. */
static void xmr_matches_plotthedots_vignette(void **state)
{
    (void)state;
    const double d[] = { 1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1 };
    chart c;
    csa_spc_options o = { .chart = CSA_SPC_XMR };
    draw(d, 18, o, &c);
    assert_digits(c.limits.upper, 4.6, 2);
    assert_digits(c.limits.centre, 1.94, 3);
    assert_digits(c.limits.lower, -0.72, 2);
    assert_rel(c.limits.mean_moving_range, 1, 1e-12);
    assert_rel(c.limits.lower, -0.71555555555555572, 1e-12);
    assert_rel(c.limits.upper, 4.6044444444444448, 1e-12);
    assert_int_equal(c.rules[4], CSA_SPC_OUTSIDE);

    o.keep_large_moving_ranges = 1;
    draw(d, 18, o, &c);
    assert_digits(c.limits.upper, 6.95, 3);
    assert_digits(c.limits.lower, -3.06, 3);
    assert_rel(c.limits.mean_moving_range, 1.8823529411764706, 1e-12);
    assert_rel(c.limits.lower, -3.0626143790849669, 1e-12);
    assert_rel(c.limits.upper, 6.9515032679738562, 1e-12);
    assert_rel(c.limits.lower_two_thirds, -1.3935947712418304, 1e-12);
    assert_rel(c.limits.upper_two_thirds, 5.282483660130719, 1e-12);
    static const unsigned want[18] = { [4] = CSA_SPC_OUTSIDE };
    assert_masks(c.rules, want, 18);
}

/* NIST/SEMATECH e-Handbook 6.3.2.2, flow rate: mean 50.81, mean moving
 * range 1.8778. (Its limits, 55.8041 and 45.8159, use 3/1.128 = 2.6596 in
 * place of 2.66.) */
static void xmr_matches_nist_handbook(void **state)
{
    (void)state;
    const double flow[] = { 49.6, 47.6, 49.9, 51.3, 47.8, 51.2, 52.6, 52.4, 53.6, 52.1 };
    chart c;
    draw(flow, 10, (csa_spc_options){ .chart = CSA_SPC_XMR }, &c);
    assert_digits(c.limits.centre, 50.81, 4);
    assert_digits(c.limits.mean_moving_range, 1.8778, 5);
    assert_rel(c.limits.lower, 45.815111111111108, 1e-12);
    assert_rel(c.limits.upper, 55.804888888888897, 1e-12);
    assert_rel(c.limits.centre + 3 / 1.128 * c.limits.mean_moving_range, 55.8041, 1e-6);
    assert_int_equal(c.nsignals, 0);
}

/* Circuit-board nonconformities, 26 samples then 20 more (Montgomery,
 * Introduction to Statistical Quality Control; the qcc package's
 * `circuit`): qcc gives centre 19.84615, UCL 33.21086, LCL 6.481447, with
 * samples 6 and 20 beyond the limits. The later 20 are judged against the
 * first 26. */
static const double CIRCUIT[46] = {
    21, 24, 16, 12, 15, 5,  28, 20, 31, 25, 20, 24, 16, 19, 10, 17, 13, 22, 18, 39, 30, 24, 16,
    19, 17, 15, 16, 18, 12, 15, 24, 21, 28, 20, 25, 19, 18, 21, 16, 22, 19, 12, 14, 9,  16, 21,
};

static void c_chart_matches_qcc_circuit(void **state)
{
    (void)state;
    chart c;
    csa_spc_options o = { .chart = CSA_SPC_C, .baseline_length = 26 };
    draw(CIRCUIT, 26, o, &c);
    assert_digits(c.limits.centre, 19.84615, 7);
    assert_digits(c.limits.upper, 33.21086, 7);
    assert_digits(c.limits.lower, 6.481447, 7);
    assert_rel(c.limits.centre, 19.846153846153847, 1e-12);
    assert_rel(c.limits.lower, 6.4814471671659142, 1e-12);
    assert_rel(c.limits.upper, 33.210860525141783, 1e-12);
    assert_rel(c.limits.lower_two_thirds, 10.936349393495226, 1e-12);
    assert_rel(c.limits.upper_two_thirds, 28.755958298812466, 1e-12);
    assert_true(isnan(c.limits.mean_moving_range));
    assert_int_equal(c.nsignals, 2);
    assert_int_equal(c.signals[0].first, 5);
    assert_int_equal(c.signals[0].direction, -1);
    assert_int_equal(c.signals[1].first, 19);
    assert_int_equal(c.signals[1].direction, 1);

    draw(CIRCUIT, 46, o, &c);
    assert_rel(c.limits.upper, 33.210860525141783, 1e-12);
    assert_int_equal(c.limits.baseline_points, 26);
    unsigned want[46] = { [5] = 1, [19] = 1 };
    for (int i = 22; i <= 29; i++)
        want[i] = CSA_SPC_SHIFT;
    assert_masks(c.rules, want, 46);
    assert_int_equal(c.nsignals, 3);
    assert_int_equal(c.signals[2].rule, CSA_SPC_SHIFT);
    assert_int_equal(c.signals[2].direction, -1);
    assert_int_equal(c.signals[2].first, 22);
    assert_int_equal(c.signals[2].last, 29);
}

/* NIST/SEMATECH e-Handbook 6.3.3.1, wafer defects: centre 16, UCL 28,
 * LCL 4. */
static void c_chart_matches_nist_handbook(void **state)
{
    (void)state;
    const double wafers[] = { 16, 14, 28, 16, 12, 20, 10, 12, 10, 17, 19, 17, 14,
                              16, 15, 13, 14, 16, 11, 20, 11, 19, 16, 31, 13 };
    chart c;
    draw(wafers, 25, (csa_spc_options){ .chart = CSA_SPC_C }, &c);
    assert_rel(c.limits.centre, 16, 1e-15);
    assert_rel(c.limits.upper, 28, 1e-15);
    assert_rel(c.limits.lower, 4, 1e-15);
    assert_int_equal(c.rules[23], CSA_SPC_OUTSIDE);
}

/* Every rule: a baseline of 12, then a shift up, a rise, two of three near
 * the upper limit (twice, apart), two below the lower limit and two of
 * three near it. */
static void xmr_rules_match_plotthedots(void **state)
{
    (void)state;
    const double y[] = { 10, 12, 11, 9,  10, 11, 9,  12, 10,  8,    11, 10, 12,
                         11, 12, 13, 11, 12, 12, 9,  10, 11,  12,   13, 14, 15,
                         10, 8,  13.6, 10.5, 13.7, 9, 5.1, 3, 6.5, 9, 6.8, 10.25, 11 };
    static const unsigned want[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
                                     2, 2, 2, 2, 2, 2, 4, 4, 4, 4, 4, 12, 12,
                                     0, 0, 8, 0, 8, 0, 1, 1, 8, 0, 8, 0, 0 };
    size_t n = sizeof y / sizeof y[0];
    chart c;
    draw(y, n, (csa_spc_options){ .chart = CSA_SPC_XMR, .baseline_length = 12 }, &c);
    assert_rel(c.limits.centre, 10.25, 1e-15);
    assert_rel(c.limits.mean_moving_range, 1.8181818181818181, 1e-12);
    assert_rel(c.limits.lower, 5.4136363636363631, 1e-12);
    assert_rel(c.limits.upper, 15.086363636363636, 1e-12);
    assert_rel(c.limits.lower_two_thirds, 7.0257575757575754, 1e-12);
    assert_rel(c.limits.upper_two_thirds, 13.474242424242425, 1e-12);
    assert_masks(c.rules, want, n);

    /* grouped by rule, each in order */
    static const csa_spc_signal signals[] = {
        { CSA_SPC_OUTSIDE, -1, 32, 32 },     { CSA_SPC_OUTSIDE, -1, 33, 33 },
        { CSA_SPC_SHIFT, 1, 12, 18 },        { CSA_SPC_TREND, 1, 19, 25 },
        { CSA_SPC_TWO_OF_THREE, 1, 24, 25 }, { CSA_SPC_TWO_OF_THREE, 1, 28, 30 },
        { CSA_SPC_TWO_OF_THREE, -1, 34, 36 },
    };
    assert_int_equal(c.nsignals, sizeof signals / sizeof signals[0]);
    for (size_t i = 0; i < c.nsignals; i++) {
        assert_int_equal(c.signals[i].rule, signals[i].rule);
        assert_int_equal(c.signals[i].direction, signals[i].direction);
        assert_int_equal(c.signals[i].first, signals[i].first);
        assert_int_equal(c.signals[i].last, signals[i].last);
    }

    /* room for two: the count is still all of them */
    csa_spc_signal two[2];
    size_t count;
    csa_spc_limits l;
    csa_spc_options o = { .chart = CSA_SPC_XMR, .baseline_length = 12 };
    assert_int_equal(csa_spc_compute(y, n, &o, &l, NULL, two, 2, &count, NULL), CSA_OK);
    assert_int_equal(count, 7);
    assert_int_equal(two[1].first, 33);
}

/* A rise into a fall shares its peak; a fall below the lower limit is both
 * outside and part of the trend. */
static void xmr_rise_then_fall(void **state)
{
    (void)state;
    const double h[] = { 5, 5, 5, 5, 1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1 };
    static const unsigned want[] = { 0, 0, 0, 0, 5, 4, 4, 4, 4, 12, 5, 12, 4, 4, 4, 4, 5 };
    chart c;
    draw(h, 17, (csa_spc_options){ .chart = CSA_SPC_XMR, .keep_large_moving_ranges = 1 }, &c);
    assert_rel(c.limits.centre, 4.0588235294117645, 1e-12);
    assert_rel(c.limits.mean_moving_range, 1, 1e-12);
    assert_masks(c.rules, want, 17);
    size_t trends = 0;
    for (size_t i = 0; i < c.nsignals; i++) {
        if (c.signals[i].rule != CSA_SPC_TREND)
            continue;
        assert_int_equal(c.signals[i].first, trends ? 10 : 4);
        assert_int_equal(c.signals[i].last, trends ? 16 : 10);
        assert_int_equal(c.signals[i].direction, trends ? -1 : 1);
        trends++;
    }
    assert_int_equal(trends, 2);
}

/* All baseline points equal: no moving range, so the limits sit on the
 * mean (flagged). Later points off the mean are all outside; points on it
 * fire no rule except as part of a trend. */
static void xmr_zero_spread(void **state)
{
    (void)state;
    const double h[] = { 5, 5, 5, 5, 1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1 };
    static const unsigned want[] = { 0, 0, 0, 0, 5, 5, 5, 5, 4, 5, 5, 5, 4, 5, 5, 5, 5 };
    chart c;
    draw(h, 17, (csa_spc_options){ .chart = CSA_SPC_XMR, .baseline_length = 4 }, &c);
    assert_true(c.limits.flags & CSA_SPC_ZERO_SPREAD);
    assert_true(c.limits.mean_moving_range == 0);
    assert_true(c.limits.lower == 5 && c.limits.upper == 5);
    assert_true(c.limits.lower_two_thirds == 5 && c.limits.upper_two_thirds == 5);
    assert_masks(c.rules, want, 17);

    /* screening has nothing to screen */
    draw(h, 4, (csa_spc_options){ .chart = CSA_SPC_XMR }, &c);
    assert_true(c.limits.upper == 5 && c.limits.moving_ranges == 3);
    static const unsigned none[4];
    assert_masks(c.rules, none, 4);

    /* a c-chart of zeros: limits 0 */
    const double zeros[] = { 0, 0, 0, 0, 2 };
    draw(zeros, 5, (csa_spc_options){ .chart = CSA_SPC_C, .baseline_length = 4 }, &c);
    assert_true(c.limits.flags & CSA_SPC_ZERO_SPREAD);
    assert_true(c.limits.upper == 0 && c.limits.lower == 0);
    assert_int_equal(c.rules[4], CSA_SPC_OUTSIDE);
}

static void one_point(void **state)
{
    (void)state;
    const double y[] = { 42 };
    chart c;
    draw(y, 1, (csa_spc_options){ .chart = CSA_SPC_XMR }, &c);
    assert_true(c.limits.centre == 42);
    assert_true(c.limits.flags & CSA_SPC_NO_LIMITS);
    assert_true(isnan(c.limits.lower) && isnan(c.limits.upper));
    assert_true(isnan(c.limits.mean_moving_range));
    assert_int_equal(c.rules[0], 0);
    assert_int_equal(c.nsignals, 0);

    draw(y, 1, (csa_spc_options){ .chart = CSA_SPC_C }, &c);
    assert_rel(c.limits.upper, 42 + 3 * sqrt(42), 1e-15);
    assert_int_equal(c.nsignals, 0);
}

/* Missing points: no moving range on either side of one, and runs count
 * the points that are there. */
static void missing_points_are_skipped(void **state)
{
    (void)state;
    const double y[] = { 1, 3, NAN, 7, 8, 6 };
    chart c;
    draw(y, 6, (csa_spc_options){ .chart = CSA_SPC_XMR }, &c);
    assert_rel(c.limits.centre, 5, 1e-15);
    assert_int_equal(c.limits.baseline_points, 5);
    assert_int_equal(c.limits.moving_ranges, 3);
    assert_rel(c.limits.mean_moving_range, 5.0 / 3.0, 1e-15);
    assert_int_equal(c.rules[2], 0);

    /* seven points above the mean, with a gap among them */
    const double g[] = { 10, 12, 8, 11, 9, 10, 12, 8, 11, 12, NAN, 11, 13, 12, 11, 12 };
    static const unsigned want[] = { 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 0, 2, 2, 2, 2, 2 };
    draw(g, 16, (csa_spc_options){ .chart = CSA_SPC_XMR, .baseline_length = 8 }, &c);
    assert_rel(c.limits.mean_moving_range, 2.5714285714285716, 1e-12);
    assert_masks(c.rules, want, 16);
    assert_int_equal(c.nsignals, 1);
    assert_int_equal(c.signals[0].first, 8);
    assert_int_equal(c.signals[0].last, 15);
}

/* A point on the mean belongs to neither side, so it breaks a shift. */
static void point_on_the_mean_breaks_a_shift(void **state)
{
    (void)state;
    double k[] = { 1, 3, 1, 3, 2.5, 2.5, 2.5, 2, 2.5, 2.5, 2.5, 2.5 };
    chart c;
    csa_spc_options o = { .chart = CSA_SPC_XMR, .baseline_length = 4 };
    draw(k, 12, o, &c);
    assert_int_equal(c.nsignals, 0);
    k[7] = 2.5;
    draw(k, 12, o, &c);
    assert_int_equal(c.nsignals, 1);
    assert_int_equal(c.signals[0].rule, CSA_SPC_SHIFT);
    assert_int_equal(c.signals[0].first, 3); /* the baseline's last 3 starts it */
    assert_int_equal(c.signals[0].last, 11);
}

/* A c-chart's lower limit cannot go below 0. */
static void c_chart_floors_the_lower_limit(void **state)
{
    (void)state;
    const double y[] = { 2, 4, 3, 1, 5 };
    chart c;
    draw(y, 5, (csa_spc_options){ .chart = CSA_SPC_C }, &c);
    assert_true(c.limits.lower == 0 && c.limits.lower_two_thirds == 0);
    assert_true(c.limits.flags & CSA_SPC_LOWER_FLOORED);
    assert_rel(c.limits.upper, 3 + 3 * sqrt(3), 1e-15);
}

static void bad_input_is_an_error(void **state)
{
    (void)state;
    csa_spc_limits l;
    csa_error err;
    unsigned rules[5];
    const double y[] = { 3, 4, -2, 5, 6 };
    csa_spc_options c = { .chart = CSA_SPC_C };
    assert_int_equal(csa_spc_compute(y, 5, &c, &l, rules, NULL, 0, NULL, &err), CSA_ERR_VALUE);
    /* issue 21 case 8: the third value, counted from 1 as a reader counts
     * them (it said "value 2") */
    assert_non_null(strstr(err.message, "value 3 (-2)"));
    assert_string_equal(err.value, "-2");
    const double frac[] = { 3, 4.5 };
    assert_int_equal(csa_spc_compute(frac, 2, &c, &l, NULL, NULL, 0, NULL, &err),
                     CSA_ERR_VALUE);
    /* the same values are fine on an XmR chart */
    csa_spc_options x = { .chart = CSA_SPC_XMR };
    assert_int_equal(csa_spc_compute(y, 5, &x, &l, rules, NULL, 0, NULL, &err), CSA_OK);
    const double inf[] = { 1, INFINITY };
    assert_int_equal(csa_spc_compute(inf, 2, &x, &l, NULL, NULL, 0, NULL, &err), CSA_ERR_VALUE);

    x.baseline_first = 5;
    assert_int_equal(csa_spc_compute(y, 5, &x, &l, NULL, NULL, 0, NULL, &err), CSA_ERR_USAGE);
    x.baseline_first = 2;
    x.baseline_length = 4;
    assert_int_equal(csa_spc_compute(y, 5, &x, &l, NULL, NULL, 0, NULL, &err), CSA_ERR_USAGE);
    const double gap[] = { NAN, NAN, 1, 2 };
    x.baseline_first = 0;
    x.baseline_length = 2;
    assert_int_equal(csa_spc_compute(gap, 4, &x, &l, NULL, NULL, 0, NULL, &err), CSA_ERR_VALUE);
    assert_int_equal(csa_spc_compute(y, 0, &x, &l, NULL, NULL, 0, NULL, &err), CSA_ERR_USAGE);
    x.chart = (csa_spc_chart)9;
    assert_int_equal(csa_spc_compute(y, 5, &x, &l, NULL, NULL, 0, NULL, &err), CSA_ERR_USAGE);
    assert_string_equal(csa_spc_rule_name(CSA_SPC_SHIFT),
                        "Seven points in a row on one side of the mean");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(xmr_matches_plotthedots_snapshot),
        cmocka_unit_test(xmr_matches_plotthedots_vignette),
        cmocka_unit_test(xmr_matches_nist_handbook),
        cmocka_unit_test(c_chart_matches_qcc_circuit),
        cmocka_unit_test(c_chart_matches_nist_handbook),
        cmocka_unit_test(xmr_rules_match_plotthedots),
        cmocka_unit_test(xmr_rise_then_fall),
        cmocka_unit_test(xmr_zero_spread),
        cmocka_unit_test(one_point),
        cmocka_unit_test(missing_points_are_skipped),
        cmocka_unit_test(point_on_the_mean_breaks_a_shift),
        cmocka_unit_test(c_chart_floors_the_lower_limit),
        cmocka_unit_test(bad_input_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
