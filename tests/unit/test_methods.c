/* The statistical methods against PHEindicatormethods' published test data.
 *
 * Unless a comment says otherwise, reference values are copied from the
 * package's repository (github.com/ukhsa-collaboration/PHEindicatormethods,
 * commit 093fd28, tests/testthat/), the files its testthat scripts compare
 * with: full doubles from the .xlsx sheets, which are checked to 1e-9
 * relative, and the figures of the .csv files as published, given here as
 * text and checked to half a unit of their last printed decimal.
 *
 * Where no published value exists the reference was computed in R 4.2.2
 * with base R only (PHEindicatormethods cannot be installed here), from an
 * independent transcription of the package's formulas in R/DSR.R and
 * R/utils.R; the expression is quoted next to the value. That
 * transcription reproduces every published funnel figure used below. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "csa/stats.h"

static const csa_levels BOTH = {2, {95, 99.8}};

static void assert_rel(double got, double want, double tol)
{
    if (want == 0 ? fabs(got) > tol : fabs(got - want) / fabs(want) > tol)
        fail_msg("got %.17g, want %.17g", got, want);
}

/* A published figure: equal to within half a unit of its last decimal. */
static void assert_published(double got, const char *text)
{
    double want = strtod(text, NULL);
    const char *dot = strchr(text, '.');
    int decimals = dot ? (int)strlen(dot + 1) : 0;
    double tol = 0.5 * pow(10, -decimals) * (1 + 1e-9);
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.12g, published %s", got, text);
}

static void assert_missing(const csa_estimate *e)
{
    assert_true(isnan(e->value));
    for (size_t k = 0; k < CSA_MAX_LEVELS; k++)
        assert_true(isnan(e->lower[k]) && isnan(e->upper[k]));
}

/* ---- crude rates ---- */

/* testdata_Rate.xlsx, sheet testdata_Rate (tests/testthat/testRates.R):
 * Numerator, Denominator, multiplier, method, value, lower95_0cl,
 * upper95_0cl, lower99_8cl, upper99_8cl. */
static const struct {
    double x, n, per;
    int exact;
    double value, l95, u95, l998, u998;
} RATES[] = {
    {1, 100, 100, 1, 1, 0.025317807984289897, 5.571643390938898, 0.0010005003335835344, 9.233413476451585}, /* row 2 */
    {5, 100, 100, 1, 5, 1.62348639011842, 11.668332079322669, 0.739371731917839, 16.454745203680105}, /* row 3 */
    {20, 100, 100, 0, 20, 12.211428834875937, 30.889880369197066, 8.922802365144193, 38.08503562504191}, /* row 4 */
    {65, 100, 100, 0, 65, 50.163187710459454, 82.84913854593984, 42.8802614714802, 94.00029084431802}, /* row 5 */
    {9856, 12345, 100, 0, 79.83799108950991, 78.26949058976757, 81.4300165427214, 77.37590543271052, 82.3544727709543}, /* row 6 */
    {7776456, 7564336677, 100, 0, 0.10280420256339154, 0.10273196005302074, 0.10287648334092832, 0.102690317308454, 0.10291817639509068}, /* row 7 */
    {222, 3215, 100, 0, 6.905132192846033, 6.026574877652675, 7.87572937087185, 5.560737695259854, 8.46104668173341}, /* row 8 */
    {999, 3456, 100, 0, 28.90625, 27.14130493609052, 30.755833237378415, 26.162147596445767, 31.845604819822654}, /* row 9 */
    {1, 100, 100000, 1, 1000, 25.317807984289896, 5571.643390938898, 1.0005003335835343, 9233.413476451586}, /* row 10 */
    {5, 100, 100000, 1, 5000, 1623.4863901184199, 11668.332079322669, 739.3717319178389, 16454.745203680104}, /* row 11 */
    {20, 100, 100000, 0, 20000, 12211.428834875936, 30889.880369197064, 8922.802365144193, 38085.03562504191}, /* row 12 */
    {65, 100, 100000, 0, 65000, 50163.18771045945, 82849.13854593984, 42880.261471480204, 94000.290844318}, /* row 13 */
    {9856, 12345, 100000, 0, 79837.99108950992, 78269.49058976758, 81430.01654272141, 77375.90543271053, 82354.47277095431}, /* row 14 */
    {7776456, 7564336677, 100000, 0, 102.80420256339154, 102.73196005302074, 102.87648334092832, 102.690317308454, 102.91817639509068}, /* row 15 */
    {222, 3215, 100000, 0, 6905.132192846034, 6026.574877652674, 7875.729370871851, 5560.737695259853, 8461.04668173341}, /* row 16 */
    {999, 3456, 100000, 0, 28906.25, 27141.30493609052, 30755.833237378414, 26162.147596445768, 31845.604819822653}, /* row 17 */
    {250, 220, 100000, 0, 113636.36363636365, 99984.94738532876, 128631.14487455782, 92710.00554438953, 137651.23772147458}, /* row 21 */
};

static void rates_match_phe_rate(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof RATES / sizeof RATES[0]; i++) {
        csa_estimate e;
        assert_int_equal(csa_rate_estimate(RATES[i].x, RATES[i].n, RATES[i].per, &BOTH, &e, NULL),
                         CSA_OK);
        assert_rel(e.value, RATES[i].value, 1e-12);
        assert_rel(e.lower[0], RATES[i].l95, 1e-9);
        assert_rel(e.upper[0], RATES[i].u95, 1e-9);
        assert_rel(e.lower[1], RATES[i].l998, 1e-9);
        assert_rel(e.upper[1], RATES[i].u998, 1e-9);
        assert_int_equal(!!(e.flags & CSA_RATE_EXACT), RATES[i].exact);
        assert_true(isnan(e.lower[2]) && isnan(e.upper[3]));
    }
}

static void rate_edge_cases(void **state)
{
    (void)state;
    csa_estimate e;
    csa_error err;
    /* zero events: a rate of 0 with the exact upper limit -ln(alpha / 2) */
    assert_int_equal(csa_rate_estimate(0, 2000, 1000, &BOTH, &e, NULL), CSA_OK);
    assert_true(e.value == 0 && e.lower[0] == 0 && e.lower[1] == 0);
    assert_rel(e.upper[0], -log(0.025) / 2000 * 1000, 1e-9);
    assert_rel(e.upper[1], -log(0.001) / 2000 * 1000, 1e-9);
    assert_true(e.flags & CSA_RATE_EXACT);
    /* zero or missing denominator: missing, flagged, no division */
    assert_int_equal(csa_rate_estimate(12, 0, 1000, &BOTH, &e, NULL), CSA_OK);
    assert_missing(&e);
    assert_true(e.flags & CSA_RATE_NO_DENOMINATOR);
    assert_int_equal(csa_rate_estimate(0, NAN, 1000, &BOTH, &e, NULL), CSA_OK);
    assert_missing(&e);
    assert_true(e.flags & CSA_RATE_NO_DENOMINATOR);
    /* missing count (Area09 of testdata_Rate: NA numerator, NA value) */
    assert_int_equal(csa_rate_estimate(NAN, 100, 100000, &BOTH, &e, NULL), CSA_OK);
    assert_missing(&e);
    assert_int_equal(e.flags, CSA_RATE_NO_COUNT);
    /* negative or fractional counts and negative denominators are errors,
     * with or without a denominator */
    assert_int_equal(csa_rate_estimate(-1, 100, 1000, &BOTH, &e, &err), CSA_ERR_VALUE);
    assert_missing(&e);
    assert_int_equal(csa_rate_estimate(-1, 0, 1000, &BOTH, &e, &err), CSA_ERR_VALUE);
    assert_int_equal(csa_rate_estimate(2.5, 100, 1000, &BOTH, &e, &err), CSA_ERR_VALUE);
    assert_int_equal(csa_rate_estimate(3, -100, 1000, &BOTH, &e, &err), CSA_ERR_VALUE);
    assert_string_equal(err.message, "a denominator must be a number of 0 or more, not -100");
    /* bad levels and multipliers */
    csa_levels none = {0, {0}}, bad = {2, {95, 100}};
    assert_int_equal(csa_rate_estimate(3, 100, 1000, &none, &e, &err), CSA_ERR_USAGE);
    assert_int_equal(csa_rate_estimate(3, 100, 1000, &bad, &e, &err), CSA_ERR_USAGE);
    assert_string_equal(err.message, "confidence level 100 is not between 0 and 100");
    assert_int_equal(csa_rate_estimate(3, 100, 0, &BOTH, &e, &err), CSA_ERR_USAGE);
}

/* ---- proportions ---- */

/* testdata_Proportion.xlsx, sheet testdata_Prop (testProportions.R):
 * Numerator, Denominator, multiplier, value, lower95_0cl, upper95_0cl,
 * lower99_8cl, upper99_8cl. */
static const struct {
    double x, n, mult, value, l95, u95, l998, u998;
} PROPS[] = {
    {1, 100, 1, 0.01, 0.0017674320641406511, 0.054486196178705294, 0.000873065697299977, 0.1045544528370582}, /* row 2 */
    {5, 100, 1, 0.05, 0.02154367915436798, 0.11175046923191911, 0.013865320725997183, 0.16458852282596442}, /* row 3 */
    {20, 100, 1, 0.2, 0.1333669333310325, 0.28882916559315885, 0.10519162066711432, 0.3471109417008601}, /* row 4 */
    {65, 100, 1, 0.65, 0.5525444329688797, 0.7363575175690247, 0.4954946574070431, 0.7783540614089697}, /* row 5 */
    {9856, 12345, 1, 0.7983799108950992, 0.7912101752909069, 0.8053640073614909, 0.7869924108419063, 0.8093061412589626}, /* row 6 */
    {7776456, 7564336677, 1, 0.0010280420256339154, 0.0010273201001641094, 0.0010287644578977231, 0.0010269040118442213, 0.0010291812992698397}, /* row 7 */
    {222, 3215, 1, 0.06905132192846034, 0.060791690363636595, 0.07833956681383633, 0.05647101964624248, 0.08418414185270134}, /* row 8 */
    {999, 3456, 1, 0.2890625, 0.27418951080009873, 0.30440389662818057, 0.26583995768074953, 0.3134475449279985}, /* row 9 */
    {1, 100, 100, 1, 0.1767432064140651, 5.44861961787053, 0.0873065697299977, 10.45544528370582}, /* row 10 */
    {5, 100, 100, 5, 2.154367915436798, 11.17504692319191, 1.3865320725997183, 16.458852282596443}, /* row 11 */
    {20, 100, 100, 20, 13.33669333310325, 28.882916559315884, 10.519162066711433, 34.71109417008601}, /* row 12 */
    {65, 100, 100, 65, 55.25444329688797, 73.63575175690247, 49.54946574070431, 77.83540614089696}, /* row 13 */
    {9856, 12345, 100, 79.83799108950991, 79.1210175290907, 80.53640073614909, 78.69924108419063, 80.93061412589626}, /* row 14 */
    {7776456, 7564336677, 100, 0.10280420256339154, 0.10273201001641094, 0.10287644578977231, 0.10269040118442213, 0.10291812992698397}, /* row 15 */
    {222, 3215, 100, 6.905132192846033, 6.07916903636366, 7.833956681383633, 5.647101964624248, 8.418414185270134}, /* row 16 */
    {999, 3456, 100, 28.90625, 27.418951080009872, 30.440389662818056, 26.583995768074953, 31.344754492799847}, /* row 17 */
    /* testdata_Byars_Wilson.xlsx, sheet testdata_B_W rows 10 and 13: a
     * fractional numerator */
    {0.445, 1, 1, 0.445, 0.04381744772058822, 0.9334621276979156, 0.019347006132900975, 0.9702259947019541},
};

static void proportions_match_phe_proportion(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof PROPS / sizeof PROPS[0]; i++) {
        csa_estimate e;
        assert_int_equal(csa_proportion_estimate(PROPS[i].x, PROPS[i].n, PROPS[i].mult, &BOTH,
                                                 &e, NULL),
                         CSA_OK);
        assert_rel(e.value, PROPS[i].value, 1e-12);
        assert_rel(e.lower[0], PROPS[i].l95, 1e-9);
        assert_rel(e.upper[0], PROPS[i].u95, 1e-9);
        assert_rel(e.lower[1], PROPS[i].l998, 1e-9);
        assert_rel(e.upper[1], PROPS[i].u998, 1e-9);
        assert_int_equal(e.flags, 0);
    }
}

static void proportion_edge_cases(void **state)
{
    (void)state;
    csa_estimate e;
    csa_error err;
    csa_levels one = {1, {95}};
    /* none and all: limits pinned at the ends */
    assert_int_equal(csa_proportion_estimate(0, 40, 100, &one, &e, NULL), CSA_OK);
    assert_true(e.value == 0 && e.lower[0] == 0 && e.upper[0] > 0);
    assert_int_equal(csa_proportion_estimate(40, 40, 100, &one, &e, NULL), CSA_OK);
    assert_true(e.value == 100 && e.upper[0] == 100 && e.lower[0] < 100);
    /* zero denominator: missing, flagged */
    assert_int_equal(csa_proportion_estimate(0, 0, 100, &one, &e, NULL), CSA_OK);
    assert_missing(&e);
    assert_int_equal(e.flags, CSA_RATE_NO_DENOMINATOR);
    assert_int_equal(csa_proportion_estimate(NAN, 50, 100, &one, &e, NULL), CSA_OK);
    assert_int_equal(e.flags, CSA_RATE_NO_COUNT);
    /* more successes than trials, or negative ones: errors */
    assert_int_equal(csa_proportion_estimate(41, 40, 100, &one, &e, &err), CSA_ERR_VALUE);
    assert_string_equal(err.message, "a proportion needs 0 <= numerator (41) <= denominator (40)");
    assert_missing(&e);
    assert_int_equal(csa_proportion_estimate(-1, 40, 100, &one, &e, &err), CSA_ERR_VALUE);
    assert_int_equal(csa_proportion_estimate(3, -4, 100, &one, &e, &err), CSA_ERR_VALUE);
    assert_int_equal(csa_proportion_estimate(3, 0, 100, &one, &e, &err), CSA_ERR_VALUE);
    assert_int_equal(csa_proportion_estimate(3, 4, -100, &one, &e, &err), CSA_ERR_USAGE);
}

/* ---- standardisation ---- */

/* 19 five-year bands: testdata_DSR_ISR.xlsx, sheet testdata_multiarea
 * (count, pop per area; the tiny area's 10-14 count is blank). */
static const double POP19[19] = {636, 558, 609, 543, 384, 594, 669, 843, 660, 576,
                                 606, 522, 426, 273, 300, 288, 153, 123, 207};
static const double BIG[19] = {127, 25, 18, 21, 12, 27, 48, 27, 29, 32,
                               32, 34, 45, 65, 38, 68, 74, 82, 91};
static const double SMALL[19] = {12, 4, 3, 2, 3, 4, 8, 2, 2, 3, 4, 5, 6, 8, 5, 6, 5, 5, 4};
static const double TINY[19] = {0, 0, NAN, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 2, 3};

static void esp2013_weights(void **state)
{
    (void)state;
    /* PHEindicatormethods data-raw/LoadTestdata.R line 20 and
     * data/esp2013.rda (load() in R), from Eurostat's 2013 report */
    static const double want[19] = {5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
                                    7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000};
    double sum = 0;
    for (int i = 0; i < CSA_ESP2013_BANDS; i++) {
        assert_true(csa_esp2013[i] == want[i]);
        sum += csa_esp2013[i];
    }
    assert_true(sum == 100000);
}

/* testresults_DSR rows 2-4 (per 10,000) and 6-8 (per 100,000): value,
 * lower95_0cl, upper95_0cl, lower99_8cl, upper99_8cl. */
static void dsr_matches_calculate_dsr(void **state)
{
    (void)state;
    static const struct {
        const double *counts;
        double per, total, value, l95, u95, l998, u998;
    } want[] = {
        {BIG, 10000, 895, 1043.0247991469423, 971.770906798568, 1117.894091547925, 932.3287880219904, 1162.0595999522059},
        {SMALL, 10000, 91, 110.3212025300104, 87.7455767536709, 136.70882227251795, 76.36420357939879, 153.00328948244763},
        {BIG, 100000, 895, 10430.247991469423, 9717.709067985681, 11178.94091547925, 9323.287880219903, 11620.595999522058},
        {SMALL, 100000, 91, 1103.212025300104, 877.455767536709, 1367.0882227251795, 763.6420357939879, 1530.0328948244762},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        csa_estimate e;
        double total;
        assert_int_equal(csa_dsr(want[i].counts, POP19, csa_esp2013, 19, want[i].per, &BOTH, &e,
                                 &total, NULL),
                         CSA_OK);
        assert_true(total == want[i].total);
        assert_rel(e.value, want[i].value, 1e-12);
        assert_rel(e.lower[0], want[i].l95, 1e-9);
        assert_rel(e.upper[0], want[i].u95, 1e-9);
        assert_rel(e.lower[1], want[i].l998, 1e-9);
        assert_rel(e.upper[1], want[i].u998, 1e-9);
        assert_int_equal(e.flags, 0);
    }
    /* rows 4 and 8: 9 events in all, "dsr NA for total count < 10"; the
     * blank count is taken as 0 */
    csa_estimate e;
    double total;
    assert_int_equal(csa_dsr(TINY, POP19, csa_esp2013, 19, 100000, &BOTH, &e, &total, NULL),
                     CSA_OK);
    assert_missing(&e);
    assert_true(total == 9);
    assert_int_equal(e.flags, CSA_DSR_SUPPRESSED | CSA_DSR_COUNT_AS_ZERO);
}

static void dsr_edge_cases(void **state)
{
    (void)state;
    csa_estimate e;
    csa_error err;
    double counts[19], pops[19];
    memcpy(counts, BIG, sizeof counts);
    memcpy(pops, POP19, sizeof pops);
    /* a band with no residents: no DSR, not a division by zero */
    pops[18] = 0;
    assert_int_equal(csa_dsr(counts, pops, csa_esp2013, 19, 100000, &BOTH, &e, NULL, NULL),
                     CSA_OK);
    assert_missing(&e);
    assert_int_equal(e.flags, CSA_RATE_NO_DENOMINATOR);
    pops[18] = NAN;
    assert_int_equal(csa_dsr(counts, pops, csa_esp2013, 19, 100000, &BOTH, &e, NULL, NULL),
                     CSA_OK);
    assert_int_equal(e.flags, CSA_RATE_NO_DENOMINATOR);
    pops[18] = 207;
    /* no events at all is suppressed, not an error */
    double zeros[19] = {0};
    assert_int_equal(csa_dsr(zeros, pops, csa_esp2013, 19, 100000, &BOTH, &e, NULL, NULL),
                     CSA_OK);
    assert_int_equal(e.flags, CSA_DSR_SUPPRESSED);
    /* ten events is enough */
    zeros[3] = 10;
    assert_int_equal(csa_dsr(zeros, pops, csa_esp2013, 19, 100000, &BOTH, &e, NULL, NULL),
                     CSA_OK);
    assert_int_equal(e.flags, 0);
    assert_rel(e.value, 10.0 / 543 * 5500 / 100000 * 100000, 1e-12);
    /* bad inputs */
    counts[4] = -1;
    assert_int_equal(csa_dsr(counts, pops, csa_esp2013, 19, 100000, &BOTH, &e, NULL, &err),
                     CSA_ERR_VALUE);
    assert_string_equal(err.message, "age band 5: count -1 is not a whole number of 0 or more");
    counts[4] = 1.5;
    assert_int_equal(csa_dsr(counts, pops, csa_esp2013, 19, 100000, &BOTH, &e, NULL, &err),
                     CSA_ERR_VALUE);
    counts[4] = 12;
    pops[2] = -3;
    assert_int_equal(csa_dsr(counts, pops, csa_esp2013, 19, 100000, &BOTH, &e, NULL, &err),
                     CSA_ERR_VALUE);
    pops[2] = 609;
    double no_standard[19] = {0};
    assert_int_equal(csa_dsr(counts, pops, no_standard, 19, 100000, &BOTH, &e, NULL, &err),
                     CSA_ERR_VALUE);
    assert_int_equal(csa_dsr(counts, pops, csa_esp2013, 0, 100000, &BOTH, &e, NULL, &err),
                     CSA_ERR_USAGE);
}

/* testdata_DSR_ISR.xlsx, sheet testdata_nonindepe, area testdata_nonind_big:
 * people with 1 to 4 events in each band (populations POP19); testresults_DSR
 * row 9 per 100,000, calculate_dsr(independent_events = FALSE): 895 events,
 * 10430.24799147 (95% 9532.94977862 to 11373.07483298, 99.8% 9036.25631357 to
 * 11929.24980749), given to 8 decimals. */
static void dsr_nonindependent_events(void **state)
{
    (void)state;
    static const double people[4][19] = {
        {75, 16, 11, 12, 8, 18, 26, 18, 18, 21, 21, 23, 23, 39, 25, 40, 46, 49, 56},
        {16, 3, 2, 3, 0, 3, 6, 3, 4, 4, 4, 4, 6, 8, 5, 9, 9, 10, 11},
        {4, 1, 1, 1, 0, 1, 2, 1, 1, 1, 1, 1, 2, 2, 1, 2, 2, 3, 3},
        {2, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1},
    };
    double events[19] = {0}, squares[19] = {0}, total;
    for (int f = 1; f <= 4; f++)
        for (size_t i = 0; i < 19; i++) {
            events[i] += f * people[f - 1][i];
            squares[i] += f * f * people[f - 1][i];
        }
    csa_estimate e;
    csa_error err;
    assert_int_equal(csa_dsr_nonindependent(events, squares, POP19, csa_esp2013, 19, 100000,
                                            &BOTH, &e, &total, NULL),
                     CSA_OK);
    assert_true(total == 895);
    assert_true(fabs(e.value - 10430.24799147) < 5.1e-9);
    assert_true(fabs(e.lower[0] - 9532.94977862) < 5.1e-9);
    assert_true(fabs(e.upper[0] - 11373.07483298) < 5.1e-9);
    assert_true(fabs(e.lower[1] - 9036.25631357) < 5.1e-9);
    assert_true(fabs(e.upper[1] - 11929.24980749) < 5.1e-9);
    /* squares as the counts: events independent, as csa_dsr */
    csa_estimate same;
    csa_dsr(events, POP19, csa_esp2013, 19, 100000, &BOTH, &same, NULL, NULL);
    csa_dsr_nonindependent(events, events, POP19, csa_esp2013, 19, 100000, &BOTH, &e, NULL,
                           NULL);
    assert_true(e.value == same.value && e.lower[0] == same.lower[0] &&
                e.upper[1] == same.upper[1]);
    squares[0] = -1;
    assert_int_equal(csa_dsr_nonindependent(events, squares, POP19, csa_esp2013, 19, 100000,
                                            &BOTH, &e, NULL, &err),
                     CSA_ERR_VALUE);
}

/* Limits at a denominator against the package's funnel lines:
 * testdata_funnel_rate_outputs.csv (calculate_funnel_limits, statistic "rate",
 * rate_type "dsr", multiplier 1e5, years_of_data 3, baseline 116.1720835):
 * Events 1 has lower 95% 20.85059119 at 1598.675694 a year and upper 95%
 * 4588.535848 at 7.264481402, lower 99.8% 12.58170943 at 2649.348525 and
 * upper 99.8% 116108.569 at 0.287087625; Events 1360 lower 95% 110.158048 at
 * 411529.9259. The package's bisection stops about 1e-7 short in its own
 * variable, so the exact limits agree to 1e-5 (relative). */
static void funnel_limits_at_a_denominator(void **state)
{
    (void)state;
    csa_funnel_spec s = {CSA_FUNNEL_RATE, 116.1720835, 100000, 3};
    csa_funnel_point p;
    static const struct {
        double pop, want;
        int level, upper;
    } line[] = {{1598.675694, 20.85059119, 0, 0}, {7.264481402, 4588.535848, 0, 1},
                {2649.348525, 12.58170943, 1, 0}, {0.287087625, 116108.569, 1, 1},
                {411529.9259, 110.158048, 0, 0}};
    for (size_t i = 0; i < sizeof line / sizeof line[0]; i++) {
        assert_int_equal(csa_funnel_limits_at(&s, line[i].pop * 3, &BOTH, &p, NULL), CSA_OK);
        double got = line[i].upper ? p.upper[line[i].level] : p.lower[line[i].level];
        assert_rel(got, line[i].want, 1e-5);
    }
    /* a ratio's limits at 10 expected events are the exact limits over 10 */
    csa_funnel_spec r = {CSA_FUNNEL_RATIO, NAN, 1, 1};
    assert_int_equal(csa_funnel_limits_at(&r, 10, &BOTH, &p, NULL), CSA_OK);
    assert_true(p.lower[0] < 1 && p.upper[0] > 1 && p.lower[1] < p.lower[0]);
    csa_error err;
    assert_int_equal(csa_funnel_limits_at(&s, 0, &BOTH, &p, &err), CSA_ERR_VALUE);
}

static void age_bands_parse(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int lo, hi;
    } good[] = {
        {"0-4", 0, 4},           {"0 to 15", 0, 15},         {"16 to 29", 16, 29},
        {"90+", 90, CSA_AGE_OPEN}, {"65 and over", 65, CSA_AGE_OPEN},
        {" 85 - 89 ", 85, 89},   {"65 or over", 65, CSA_AGE_OPEN},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        csa_age_band b;
        assert_int_equal(csa_age_band_parse(good[i].text, &b, NULL), CSA_OK);
        assert_int_equal(b.lo, good[i].lo);
        assert_int_equal(b.hi, good[i].hi);
    }
    static const char *bad[] = {"", "F0 to 15", "15-0", "0 to", "all ages", "5-9x", "-4",
                                "200+", "10 to 99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        csa_age_band b;
        csa_error err;
        assert_int_equal(csa_age_band_parse(bad[i], &b, &err), CSA_ERR_VALUE);
    }
}

static void esp2013_aggregated_to_file_bands(void **state)
{
    (void)state;
    /* data-samples/population-milton-keynes.csv: 0 to 15, 16 to 29, 30 to
     * 44, 45 to 64, 65 and over. 0-15 takes 0-4, 5-9, 10-14 and a fifth of
     * 15-19: 5000 + 5500 + 5500 + 1100; 16-29 the other four fifths and
     * 20-29: 4400 + 6000 + 6000; in R, with esp the 19 weights,
 *   c(sum(esp[1:3]) + esp[4]/5, esp[4]*4/5 + sum(esp[5:6]), sum(esp[7:9]),
 *     sum(esp[10:13]), sum(esp[14:19])) = 17100 16400 20500 26500 19500. */
    csa_age_band mk[5] = {{0, 15}, {16, 29}, {30, 44}, {45, 64}, {65, CSA_AGE_OPEN}};
    double w[5];
    assert_int_equal(csa_esp2013_aggregate(mk, 5, w, NULL), CSA_OK);
    assert_true(w[0] == 17100 && w[1] == 16400 && w[2] == 20500 && w[3] == 26500 &&
                w[4] == 19500);
    /* the standard's own bands give its weights back */
    csa_age_band own[CSA_ESP2013_BANDS];
    for (int i = 0; i < CSA_ESP2013_BANDS; i++) {
        own[i].lo = 5 * i;
        own[i].hi = i == CSA_ESP2013_BANDS - 1 ? CSA_AGE_OPEN : 5 * i + 4;
    }
    double w19[CSA_ESP2013_BANDS];
    assert_int_equal(csa_esp2013_aggregate(own, CSA_ESP2013_BANDS, w19, NULL), CSA_OK);
    for (int i = 0; i < CSA_ESP2013_BANDS; i++)
        assert_true(w19[i] == csa_esp2013[i]);
    /* an indicator for ages 16 and over leaves the young out */
    csa_age_band adults[2] = {{16, 64}, {65, CSA_AGE_OPEN}};
    assert_int_equal(csa_esp2013_aggregate(adults, 2, w, NULL), CSA_OK);
    assert_true(w[0] == 16400 + 20500 + 26500 && w[1] == 19500);
    /* 90+ cannot be split; bands may not overlap */
    csa_error err;
    csa_age_band split[2] = {{0, 94}, {95, CSA_AGE_OPEN}};
    assert_int_equal(csa_esp2013_aggregate(split, 2, w, &err), CSA_ERR_VALUE);
    csa_age_band late[1] = {{95, CSA_AGE_OPEN}};
    assert_int_equal(csa_esp2013_aggregate(late, 1, w, &err), CSA_ERR_VALUE);
    csa_age_band overlap[2] = {{0, 15}, {15, 29}};
    assert_int_equal(csa_esp2013_aggregate(overlap, 2, w, &err), CSA_ERR_VALUE);
    assert_string_equal(err.message, "age bands 1 and 2 overlap");
    csa_age_band two_open[2] = {{65, CSA_AGE_OPEN}, {70, CSA_AGE_OPEN}};
    assert_int_equal(csa_esp2013_aggregate(two_open, 2, w, &err), CSA_ERR_VALUE);
    csa_age_band backwards[1] = {{10, 5}};
    assert_int_equal(csa_esp2013_aggregate(backwards, 1, w, &err), CSA_ERR_VALUE);
}

/* A DSR over the sample population's bands, female then male, with the
 * aggregated weights for each sex. Reference from R (base R transcription
 * of dsr_inner and byars_lower/upper):
 *   w <- rep(c(17100, 16400, 20500, 26500, 19500), 2)
 *   x <- c(3,5,4,2,1, 6,9,5,3,1); n <- c(216,155,166,259,237, 167,133,146,246,186)
 *   value <- sum(x*w/n)/sum(w)*1e5; v <- sum(x*(w/n)^2)/sum(w)^2; O <- sum(x)
 *   value + sqrt(v/O)*(byars_lower(O, 0.95) - O)*1e5, and so on. */
static void dsr_on_file_bands(void **state)
{
    (void)state;
    csa_age_band bands[5] = {{0, 15}, {16, 29}, {30, 44}, {45, 64}, {65, CSA_AGE_OPEN}};
    double w5[5], w[10];
    assert_int_equal(csa_esp2013_aggregate(bands, 5, w5, NULL), CSA_OK);
    memcpy(w, w5, sizeof w5);
    memcpy(w + 5, w5, sizeof w5);
    /* populations: LSOA E01016710 of the sample file */
    const double x[10] = {3, 5, 4, 2, 1, 6, 9, 5, 3, 1};
    const double n[10] = {216, 155, 166, 259, 237, 167, 133, 146, 246, 186};
    csa_estimate e;
    assert_int_equal(csa_dsr(x, n, w, 10, 100000, &BOTH, &e, NULL, NULL), CSA_OK);
    assert_rel(e.value, 2200.8148884026882, 1e-12);
    assert_rel(e.lower[0], 1557.9028071548091, 1e-9);
    assert_rel(e.upper[0], 3017.4372455027251, 1e-9);
    assert_rel(e.lower[1], 1258.3407153196333, 1e-9);
    assert_rel(e.upper[1], 3538.5263205651772, 1e-9);
}

/* Reference rates: sheet refdata (refcount, refpop); results: sheet
 * testresults_ISR, rows 8-13 (ratio x 1 and x 100). */
static const double REFCOUNT[19] = {10303, 2824, 0, 3615, 3641, 3490, 3789, 3213, 3031, 2771,
                                    3089, 3490, 3595, 4745, 5514, 7125, 5694, 6210, 5757};
static const double REFPOP[19] = {50520, 57173, 60213, 54659, 44345, 50128, 62163,
                                  67423, 62899, 55463, 60479, 49974, 44140, 40888,
                                  37239, 30819, 18136, 15325, 13918};

static void isr_matches_calculate_isratio(void **state)
{
    (void)state;
    double expected;
    assert_int_equal(csa_expected_events(POP19, REFCOUNT, REFPOP, 19, &expected, NULL), CSA_OK);
    assert_rel(expected, 835.8835612311743, 1e-12);
    static const struct {
        double observed, refvalue, value, l95, u95, l998, u998;
        int exact;
    } want[] = {
        {895, 1, 1.0707232939020275, 1.0017147712553987, 1.143233287249895, 0.9635155619614437, 1.1860070415876287, 0},
        {91, 1, 0.10886683770400503, 0.08765040101829405, 0.1336657632841891, 0.07695425528392111, 0.14897920510466744, 0},
        {9, 1, 0.010767049882813684, 0.004923380825095776, 0.02043921455549973, 0.0029339306550682617, 0.02710589651469021, 1},
        {895, 100, 107.07232939020275, 100.17147712553987, 114.3233287249895, 96.35155619614437, 118.60070415876287, 0},
        {91, 100, 10.886683770400502, 8.765040101829404, 13.366576328418912, 7.695425528392111, 14.897920510466744, 0},
        {9, 100, 1.0767049882813684, 0.4923380825095776, 2.043921455549973, 0.2933930655068262, 2.710589651469021, 1},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        csa_estimate e;
        assert_int_equal(csa_isr(want[i].observed, expected, want[i].refvalue, &BOTH, &e, NULL),
                         CSA_OK);
        assert_rel(e.value, want[i].value, 1e-12);
        assert_rel(e.lower[0], want[i].l95, 1e-9);
        assert_rel(e.upper[0], want[i].u95, 1e-9);
        assert_rel(e.lower[1], want[i].l998, 1e-9);
        assert_rel(e.upper[1], want[i].u998, 1e-9);
        assert_int_equal(!!(e.flags & CSA_RATE_EXACT), want[i].exact);
    }
    /* no expected events: missing, flagged; bad inputs: errors */
    csa_estimate e;
    csa_error err;
    assert_int_equal(csa_isr(3, 0, 100, &BOTH, &e, NULL), CSA_OK);
    assert_missing(&e);
    assert_true(e.flags & CSA_RATE_NO_DENOMINATOR);
    assert_int_equal(csa_isr(NAN, 10, 100, &BOTH, &e, NULL), CSA_OK);
    assert_int_equal(e.flags, CSA_RATE_NO_COUNT);
    assert_int_equal(csa_isr(-3, 10, 100, &BOTH, &e, &err), CSA_ERR_VALUE);
    assert_int_equal(csa_isr(3, -10, 100, &BOTH, &e, &err), CSA_ERR_VALUE);
    double refpop[19];
    memcpy(refpop, REFPOP, sizeof refpop);
    refpop[0] = 0;
    assert_int_equal(csa_expected_events(POP19, REFCOUNT, refpop, 19, &expected, &err),
                     CSA_ERR_VALUE);
    assert_true(isnan(expected));
}

/* ---- comparison ---- */

static csa_outcome cmp(double lo, double hi, double c, csa_polarity p)
{
    csa_outcome o;
    assert_int_equal(csa_compare(lo, hi, c, p, &o, NULL), CSA_OK);
    return o;
}

static void comparison_follows_fingertips(void **state)
{
    (void)state;
    /* interval wholly above, including, wholly below the comparator */
    assert_int_equal(cmp(5, 7, 4, CSA_POLARITY_LOW_IS_GOOD), CSA_WORSE);
    assert_int_equal(cmp(5, 7, 6, CSA_POLARITY_LOW_IS_GOOD), CSA_SIMILAR);
    assert_int_equal(cmp(5, 7, 8, CSA_POLARITY_LOW_IS_GOOD), CSA_BETTER);
    assert_int_equal(cmp(5, 7, 4, CSA_POLARITY_HIGH_IS_GOOD), CSA_BETTER);
    assert_int_equal(cmp(5, 7, 8, CSA_POLARITY_HIGH_IS_GOOD), CSA_WORSE);
    assert_int_equal(cmp(5, 7, 4, CSA_POLARITY_NO_JUDGEMENT), CSA_HIGHER);
    assert_int_equal(cmp(5, 7, 6, CSA_POLARITY_NO_JUDGEMENT), CSA_SIMILAR);
    assert_int_equal(cmp(5, 7, 8, CSA_POLARITY_NO_JUDGEMENT), CSA_LOWER);
    /* an end touching the comparator is similar (val <= UpperCI95 &&
     * val >= LowerCI95 in SingleOverlappingCIsForOneCILevelComparer) */
    assert_int_equal(cmp(5, 7, 5, CSA_POLARITY_LOW_IS_GOOD), CSA_SIMILAR);
    assert_int_equal(cmp(5, 7, 7, CSA_POLARITY_LOW_IS_GOOD), CSA_SIMILAR);
    /* nothing to compare */
    assert_int_equal(cmp(NAN, NAN, 6, CSA_POLARITY_LOW_IS_GOOD), CSA_NOT_COMPARED);
    assert_int_equal(cmp(5, 7, NAN, CSA_POLARITY_LOW_IS_GOOD), CSA_NOT_COMPARED);
    csa_outcome o;
    csa_error err;
    assert_int_equal(csa_compare(7, 5, 6, CSA_POLARITY_LOW_IS_GOOD, &o, &err), CSA_ERR_USAGE);
    assert_int_equal(csa_compare(5, 7, 6, (csa_polarity)7, &o, &err), CSA_ERR_USAGE);
}

/* A level picked out of an estimate: 65 events per 100 (testdata_Rate row
 * 13, 95% 50163-82849, 99.8% 42880-94000 per 100,000) against 45,000 is
 * worse at 95% and similar at 99.8%. */
static void comparison_at_a_level(void **state)
{
    (void)state;
    csa_estimate e;
    csa_outcome o;
    csa_error err;
    assert_int_equal(csa_rate_estimate(65, 100, 100000, &BOTH, &e, NULL), CSA_OK);
    assert_int_equal(csa_compare_estimate(&e, &BOTH, 0, 45000, CSA_POLARITY_LOW_IS_GOOD, &o, NULL),
                     CSA_OK);
    assert_int_equal(o, CSA_WORSE);
    assert_int_equal(csa_compare_estimate(&e, &BOTH, 1, 45000, CSA_POLARITY_LOW_IS_GOOD, &o, NULL),
                     CSA_OK);
    assert_int_equal(o, CSA_SIMILAR);
    assert_int_equal(csa_compare_estimate(&e, &BOTH, 2, 45000, CSA_POLARITY_LOW_IS_GOOD, &o, &err),
                     CSA_ERR_USAGE);
    /* a suppressed figure is not compared */
    assert_int_equal(csa_dsr(TINY, POP19, csa_esp2013, 19, 100000, &BOTH, &e, NULL, NULL), CSA_OK);
    assert_int_equal(csa_compare_estimate(&e, &BOTH, 0, 45000, CSA_POLARITY_LOW_IS_GOOD, &o, NULL),
                     CSA_OK);
    assert_int_equal(o, CSA_NOT_COMPARED);
}

static void overlap_comparison(void **state)
{
    (void)state;
    csa_outcome o;
    /* DoubleOverlappingCIsComparer: intervals touching are similar */
    assert_int_equal(csa_compare_overlap(6, 5, 7, 9, 7, 11, CSA_POLARITY_LOW_IS_GOOD, &o, NULL),
                     CSA_OK);
    assert_int_equal(o, CSA_SIMILAR);
    assert_int_equal(csa_compare_overlap(6, 5, 7, 9, 7.5, 11, CSA_POLARITY_LOW_IS_GOOD, &o, NULL),
                     CSA_OK);
    assert_int_equal(o, CSA_BETTER);
    assert_int_equal(csa_compare_overlap(9, 7.5, 11, 6, 5, 7, CSA_POLARITY_LOW_IS_GOOD, &o, NULL),
                     CSA_OK);
    assert_int_equal(o, CSA_WORSE);
    assert_int_equal(csa_compare_overlap(9, 7.5, 11, 6, 5, 7, CSA_POLARITY_NO_JUDGEMENT, &o, NULL),
                     CSA_OK);
    assert_int_equal(o, CSA_HIGHER);
    /* the value-only rule calls the same area worse than 6 */
    assert_int_equal(cmp(7.5, 11, 6, CSA_POLARITY_LOW_IS_GOOD), CSA_WORSE);
    assert_int_equal(csa_compare_overlap(9, 7.5, 11, 6, NAN, 7, CSA_POLARITY_LOW_IS_GOOD, &o, NULL),
                     CSA_OK);
    assert_int_equal(o, CSA_NOT_COMPARED);
}

static void outcome_names_and_colours(void **state)
{
    (void)state;
    assert_string_equal(csa_outcome_name(CSA_BETTER), "Better");
    assert_string_equal(csa_outcome_name(CSA_SIMILAR), "Similar");
    assert_string_equal(csa_outcome_name(CSA_WORSE), "Worse");
    assert_string_equal(csa_outcome_name(CSA_HIGHER), "Higher");
    assert_string_equal(csa_outcome_name(CSA_LOWER), "Lower");
    assert_string_equal(csa_outcome_name(CSA_NOT_COMPARED), "Not compared");
    assert_int_equal(csa_outcome_rag(CSA_WORSE, CSA_POLARITY_LOW_IS_GOOD), CSA_RAG_RED);
    assert_int_equal(csa_outcome_rag(CSA_SIMILAR, CSA_POLARITY_HIGH_IS_GOOD), CSA_RAG_AMBER);
    assert_int_equal(csa_outcome_rag(CSA_BETTER, CSA_POLARITY_HIGH_IS_GOOD), CSA_RAG_GREEN);
    assert_int_equal(csa_outcome_rag(CSA_NOT_COMPARED, CSA_POLARITY_LOW_IS_GOOD), CSA_RAG_NEUTRAL);
    assert_int_equal(csa_outcome_rag(CSA_HIGHER, CSA_POLARITY_NO_JUDGEMENT), CSA_RAG_NEUTRAL);
    assert_int_equal(csa_outcome_rag(CSA_SIMILAR, CSA_POLARITY_NO_JUDGEMENT), CSA_RAG_NEUTRAL);
    /* fingertips-open IndicatorsUI/MainUI/angular-app/src/app/shared/shared.ts */
    assert_string_equal(csa_outcome_colour(CSA_WORSE), "#c00000");
    assert_string_equal(csa_outcome_colour(CSA_SIMILAR), "#ffc000");
    assert_string_equal(csa_outcome_colour(CSA_BETTER), "#92d050");
    assert_string_equal(csa_outcome_colour(CSA_NOT_COMPARED), "#c9c9c9");
}

/* ---- funnels ---- */

/* testdata_funnel_prop_outputs.csv (testFunnels.R, "confidence limits
 * calculate correctly for proportions", multiplier 100): Population,
 * Lower2s0025limit, Upper2s0025limit, Lower3s0001limit, Upper3s0001limit,
 * with the baseline 80.642448. */
static const struct {
    double n;
    const char *l95, *u95, *l998, *u998;
} PROP_FUNNEL[] = {
    {1, "3.204264", "100", "0", "100"}, /* row 1 */
    {2, "25.885383", "100", "0", "100"}, /* row 2 */
    {3, "35.933491", "100", "10.150815", "100"}, /* row 3 */
    {4, "41.923356", "100", "19.594903", "100"}, /* row 4 */
    {16, "61.282902", "100", "50.118675", "100"}, /* row 15 */
    {18, "62.390093", "98.894803", "51.864359", "100"}, /* row 16 */
    {20, "63.326743", "97.958152", "53.341156", "100"}, /* row 17 */
    {22, "64.132572", "97.152324", "54.611687", "100"}, /* row 18 */
    {211, "75.311383", "85.973512", "72.237075", "89.04782"}, /* row 40 */
    {1699, "78.763743", "82.521152", "77.680336", "83.60456"}, /* row 60 */
    {89294, "80.383302", "80.901594", "80.233858", "81.051037"}, /* row 98 */
    {99108, "80.396467", "80.888428", "80.254616", "81.03028"}, /* row 99 */
    {110000, "80.408963", "80.875933", "80.274317", "81.010578"}, /* row 100 */
};

/* The Population column of the same file, the package's axis. */
static const double PROP_AXIS[100] = {
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 18, 20, 22, 24, 27, 30, 33, 37, 41,
    45, 50, 55, 61, 68, 75, 83, 92, 102, 113, 125, 139, 154, 171, 190, 211, 234, 260, 289,
    321, 356, 395, 438, 486, 539, 598, 664, 737, 818, 908, 1008, 1119, 1242, 1379, 1531,
    1699, 1886, 2093, 2323, 2578, 2861, 3175, 3524, 3911, 4341, 4818, 5348, 5936, 6588,
    7312, 8116, 9008, 9998, 11097, 12316, 13669, 15171, 16838, 18688, 20742, 23022, 25552,
    28360, 31477, 34936, 38775, 43036, 47766, 53016, 58842, 65309, 72486, 80452, 89294,
    99108, 110000,
};

/* testdata_funnel_prop_inputs.csv, 303 areas: in R,
 *   sum(numerator)/sum(denominator) = 0.80642447857149557,
 *   min(denominator) = 16386, max(denominator) = 102950. */
static const double PROP_AVERAGE = 0.80642447857149557;

static void proportion_funnel_matches_package(void **state)
{
    (void)state;
    csa_funnel_spec spec = {CSA_FUNNEL_PROPORTION, PROP_AVERAGE * 100, 100, 1};
    double axis[100];
    assert_int_equal(csa_funnel_axis(&spec, 16386, 102950, axis, 100, NULL), CSA_OK);
    for (int i = 0; i < 100; i++)
        assert_true(axis[i] == PROP_AXIS[i]);
    size_t n = sizeof PROP_FUNNEL / sizeof PROP_FUNNEL[0];
    double x[sizeof PROP_FUNNEL / sizeof PROP_FUNNEL[0]];
    csa_funnel_point p[sizeof PROP_FUNNEL / sizeof PROP_FUNNEL[0]];
    for (size_t i = 0; i < n; i++)
        x[i] = PROP_FUNNEL[i].n;
    assert_int_equal(csa_funnel_limits(&spec, x, n, &BOTH, p, NULL), CSA_OK);
    for (size_t i = 0; i < n; i++) {
        assert_true(p[i].x == x[i] && p[i].lower_at[0] == x[i] && p[i].upper_at[1] == x[i]);
        assert_published(p[i].lower[0], PROP_FUNNEL[i].l95);
        assert_published(p[i].upper[0], PROP_FUNNEL[i].u95);
        assert_published(p[i].lower[1], PROP_FUNNEL[i].l998);
        assert_published(p[i].upper[1], PROP_FUNNEL[i].u998);
    }
}

/* testdata_funnel_prop_outputs_with_axis_variation.csv: the areas with
 * denominators below 31,000 (97 of them: average 0.82180337876307152, from
 * 16386 to 30929 in R), whose narrow range starts the axis at 10,000. */
static void proportion_funnel_narrow_axis(void **state)
{
    (void)state;
    static const struct {
        size_t index;
        double n;
        const char *l95, *u95, *l998, *u998;
    } want[] = {
        {0, 10000, "81.43030244", "82.93037332", "80.99777342", "83.36290233"}, /* row 1 */
        {1, 10121, "81.43479938", "82.92587637", "81.00486365", "83.3558121"}, /* row 2 */
        {2, 10244, "81.43928875", "82.921387", "81.01194194", "83.34873381"}, /* row 3 */
        {49, 18055, "81.62214661", "82.73852914", "81.30024992", "83.06042583"}, /* row 50 */
        {98, 32604, "81.76495715", "82.5957186", "81.52541618", "82.83525958"}, /* row 99 */
        {99, 33000, "81.76745696", "82.5932188", "81.52935757", "82.83131819"}, /* row 100 */
    };
    csa_funnel_spec spec = {CSA_FUNNEL_PROPORTION, 0.82180337876307152 * 100, 100, 1};
    double axis[100];
    assert_int_equal(csa_funnel_axis(&spec, 16386, 30929, axis, 100, NULL), CSA_OK);
    csa_funnel_point p[100];
    assert_int_equal(csa_funnel_limits(&spec, axis, 100, &BOTH, p, NULL), CSA_OK);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const csa_funnel_point *q = &p[want[i].index];
        assert_true(q->x == want[i].n);
        assert_published(q->lower[0], want[i].l95);
        assert_published(q->upper[0], want[i].u95);
        assert_published(q->lower[1], want[i].l998);
        assert_published(q->upper[1], want[i].u998);
    }
}

/* The first 25 areas of testdata_funnel_prop_inputs.csv with their
 * published significance, against the average of all 303. */
static void proportion_funnel_significance(void **state)
{
    (void)state;
    static const struct {
        double x, n;
        const char *sig;
    } areas[] = {
        {35078.4880000, 41980, "High (0.001)"},    {24803.6256000, 31824, "Low (0.001)"},
        {50050.7443000, 61921, "Not significant"}, {48686.4364000, 59804, "High (0.001)"},
        {35795.6324000, 45449, "Low (0.001)"},     {66969.6742000, 80002, "High (0.001)"},
        {48514.4460000, 64755, "Low (0.001)"},     {70670.2858000, 93122, "Low (0.001)"},
        {26029.3176000, 33708, "Low (0.001)"},     {22506.3828000, 25932, "High (0.001)"},
        {20619.5552000, 25852, "Low (0.001)"},     {19847.1920000, 23684, "High (0.001)"},
        {23617.7778000, 28954, "High (0.001)"},    {21121.0160000, 27530, "Low (0.001)"},
        {30294.3882000, 41066, "Low (0.001)"},     {24648.7596000, 30521, "Not significant"},
        {18986.0000000, 22000, "High (0.001)"},    {31759.3850000, 39350, "Not significant"},
        {26008.3050000, 29850, "High (0.001)"},    {49524.9445000, 63065, "Low (0.001)"},
        {24107.1107000, 28519, "High (0.001)"},    {55471.6028000, 73972, "Low (0.001)"},
        {30573.2632000, 39752, "Low (0.001)"},     {49513.0482000, 69993, "Low (0.001)"},
        {39350.4825000, 52293, "Low (0.001)"},
    };
    csa_funnel_spec spec = {CSA_FUNNEL_PROPORTION, PROP_AVERAGE, 1, 1};
    for (size_t i = 0; i < sizeof areas / sizeof areas[0]; i++) {
        csa_funnel_signif s;
        assert_int_equal(csa_funnel_significance(&spec, areas[i].x, areas[i].n, &s, NULL), CSA_OK);
        assert_string_equal(csa_funnel_signif_name(s), areas[i].sig);
    }
}

/* testdata_funnel_ratio_outputs.csv ("confidence limits calculate
 * correctly for ratios (isr)", multiplier 100): Observed_events, then for
 * each of lower_2s, upper_2s, lower_3s, upper_3s the expected events and
 * the ISR limit. */
static const struct {
    double o;
    const char *le95, *l95, *ue95, *u95, *le998, *l998, *ue998, *u998;
} RATIO_FUNNEL[] = {
    {1, "5.571644585", "17.94802207", "0.025317898", "3949.774946", "9.233410143", "10.83023482", "0.001000547", "99945.32721"}, /* row 1 */
    {2, "7.224687515", "27.6828582", "0.242209467", "825.7315569", "11.22886836", "17.81123382", "0.04540199", "4405.093268"}, /* row 2 */
    {5, "11.6683331", "42.85102213", "1.623486324", "307.979188", "16.45474478", "30.38637225", "0.739371928", "676.2496398"}, /* row 5 */
    {10, "18.39035799", "54.3763205", "4.795387629", "208.5337156", "24.13397235", "41.43536693", "2.960519925", "337.778507"}, /* row 10 */
    {11, "19.68203932", "55.88851756", "5.491159964", "200.3219733", "25.58929864", "42.98671939", "3.491483541", "315.0523229"}, /* row 11 */
    {73, "91.78655238", "79.53234772", "57.22035714", "127.5769737", "103.4533683", "70.56319305", "49.4154106", "147.727195"}, /* row 50 */
    {684, "737.2376756", "92.77876357", "633.6939776", "107.9385357", "768.7368323", "88.97713382", "606.0208883", "112.8673967"}, /* row 99 */
    {716, "770.4222128", "92.93605352", "664.5083011", "107.7488421", "802.60414", "89.20960712", "636.1521174", "112.5516964"}, /* row 100 */
};

static const double RATIO_AXIS[100] = {
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
    25, 26, 27, 28, 29, 30, 31, 32, 33, 35, 37, 39, 41, 43, 45, 47, 49, 51, 53, 55, 58, 61,
    64, 67, 70, 73, 76, 80, 84, 88, 92, 96, 100, 105, 110, 115, 120, 126, 132, 138, 144,
    151, 158, 165, 173, 181, 189, 198, 207, 217, 227, 238, 249, 261, 273, 286, 299, 313,
    328, 343, 359, 376, 394, 413, 432, 452, 473, 495, 518, 543, 569, 596, 624, 653, 684, 716,
};

static void ratio_funnel_matches_package(void **state)
{
    (void)state;
    csa_funnel_spec spec = {CSA_FUNNEL_RATIO, 0, 100, 1};
    /* testdata_funnel_ratio_inputs.csv: expected from 4.293052052 to
     * 706.7669173 (min and max in R) */
    double axis[100];
    assert_int_equal(csa_funnel_axis(&spec, 4.293052052, 706.7669173, axis, 100, NULL), CSA_OK);
    for (int i = 0; i < 100; i++)
        assert_true(axis[i] == RATIO_AXIS[i]);
    size_t n = sizeof RATIO_FUNNEL / sizeof RATIO_FUNNEL[0];
    double x[sizeof RATIO_FUNNEL / sizeof RATIO_FUNNEL[0]];
    csa_funnel_point p[sizeof RATIO_FUNNEL / sizeof RATIO_FUNNEL[0]];
    for (size_t i = 0; i < n; i++)
        x[i] = RATIO_FUNNEL[i].o;
    assert_int_equal(csa_funnel_limits(&spec, x, n, &BOTH, p, NULL), CSA_OK);
    for (size_t i = 0; i < n; i++) {
        assert_published(p[i].lower_at[0], RATIO_FUNNEL[i].le95);
        assert_published(p[i].lower[0], RATIO_FUNNEL[i].l95);
        assert_published(p[i].upper_at[0], RATIO_FUNNEL[i].ue95);
        assert_published(p[i].upper[0], RATIO_FUNNEL[i].u95);
        assert_published(p[i].lower_at[1], RATIO_FUNNEL[i].le998);
        assert_published(p[i].lower[1], RATIO_FUNNEL[i].l998);
        assert_published(p[i].upper_at[1], RATIO_FUNNEL[i].ue998);
        assert_published(p[i].upper[1], RATIO_FUNNEL[i].u998);
    }
}

/* The first 30 rows of testdata_funnel_ratio_inputs.csv (obs, expected,
 * significance). */
static void ratio_funnel_significance(void **state)
{
    (void)state;
    static const struct {
        double o, e;
        const char *sig;
    } areas[] = {
        {8, 6.239860227, "Not significant"},   {151, 106.4429719, "High (0.001)"},
        {159, 232.9329036, "Low (0.001)"},     {191, 184.0963855, "Not significant"},
        {124, 183.894409, "Low (0.001)"},      {220, 249.8012944, "Not significant"},
        {150, 119.5695496, "High (0.025)"},    {0, 240.6273499, "Low (0.001)"},
        {182, 196.799308, "Not significant"},  {151, 204.6070461, "Low (0.001)"},
        {206, 139.4719025, "High (0.001)"},    {141, 106.7211626, "High (0.001)"},
        {113, 96.14566494, "Not significant"}, {129, 127.9000595, "Not significant"},
        {121, 162.3289509, "Low (0.001)"},     {190, 202.1491648, "Not significant"},
        {187, 181.3773036, "Not significant"}, {136, 141.2693466, "Not significant"},
        {150, 100.6778978, "High (0.001)"},    {75, 120.1923077, "Low (0.001)"},
        {92, 102.6098595, "Not significant"},  {182, 136.0137508, "High (0.001)"},
        {182, 143.6804295, "High (0.025)"},    {101, 126.2973615, "Low (0.025)"},
        {169, 125.1573724, "High (0.001)"},    {124, 176.764077, "Low (0.001)"},
        {107, 125.1461988, "Not significant"}, {174, 141.4404162, "High (0.025)"},
        {98, 134.6338783, "Low (0.001)"},      {160, 97.12273886, "High (0.001)"},
    };
    csa_funnel_spec spec = {CSA_FUNNEL_RATIO, 0, 1, 1};
    for (size_t i = 0; i < sizeof areas / sizeof areas[0]; i++) {
        csa_funnel_signif s;
        assert_int_equal(csa_funnel_significance(&spec, areas[i].o, areas[i].e, &s, NULL), CSA_OK);
        assert_string_equal(csa_funnel_signif_name(s), areas[i].sig);
    }
}

/* testdata_funnel_rate_input_funnels.csv: ev, rate (a DSR per 100,000 over
 * three years) of 50 areas. */
static const double RATE_INPUT[50][2] = {
    {414, 184}, {462, 102}, {178, 83},  {525, 118}, {194, 121}, {937, 125}, {817, 112},
    {117, 190}, {298, 146}, {228, 140}, {243, 87},  {13, 70},   {373, 90},  {664, 139},
    {601, 109}, {602, 65},  {767, 165}, {708, 143}, {90, 55},   {952, 135}, {347, 135},
    {648, 88},  {988, 167}, {354, 99},  {839, 83},  {25, 53},   {518, 62},  {425, 118},
    {648, 176}, {765, 101}, {210, 71},  {931, 138}, {589, 74},  {592, 84},  {554, 161},
    {870, 79},  {372, 189}, {843, 170}, {142, 159}, {543, 113}, {489, 191}, {620, 116},
    {774, 200}, {904, 171}, {936, 128}, {841, 134}, {22, 185},  {922, 100}, {955, 123},
    {308, 155},
};

static const double RATE_AXIS[100] = {
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
    25, 26, 27, 28, 30, 32, 34, 36, 38, 40, 42, 44, 46, 49, 52, 55, 58, 61, 64, 68, 72, 76,
    80, 84, 89, 94, 99, 104, 110, 116, 122, 129, 136, 143, 151, 159, 168, 177, 187, 197,
    208, 219, 231, 244, 257, 271, 286, 302, 319, 337, 356, 376, 397, 419, 442, 466, 492,
    519, 548, 578, 610, 643, 678, 715, 754, 796, 840, 886, 935, 986, 1040, 1097, 1158,
    1222, 1289, 1360,
};

/* testdata_funnel_rate_outputs.csv ("confidence limits calculate correctly
 * for rates (dsr)", multiplier 1e5, years_of_data 3): Events, then for
 * lower_2s, upper_2s, lower_3s, upper_3s the population per year and the
 * limit. */
static const struct {
    size_t index;
    const char *lp95, *l95, *up95, *u95, *lp998, *l998, *up998, *u998;
} RATE_FUNNEL[] = {
    {0, "1598.675694", "20.85059119", "7.264481402", "4588.535848", "2649.348525", "12.58170943", "0.287087625", "116108.569"}, /* row 1 */
    {1, "2072.984403", "32.15975314", "69.49732367", "959.2695538", "3221.906682", "20.69168143", "13.02722321", "5117.48863"}, /* row 2 */
    {2, "2515.599722", "39.75195225", "177.5159418", "563.3296872", "3747.958682", "26.68119061", "54.66984838", "1829.161832"}, /* row 3 */
    {6, "4138.308358", "56.38374745", "807.5272621", "288.9479332", "5631.352523", "41.43468774", "436.2310727", "534.8847158"}, /* row 7 */
    {29, "12961.93593", "82.29223416", "6280.33083", "169.8424328", "15387.79019", "69.31902848", "4968.583185", "214.6822599"}, /* row 30 */
    {59, "53290.17651", "99.45547842", "38806.26443", "136.5758874", "57946.64861", "91.46344314", "35253.30678", "150.3405066"}, /* row 60 */
    {98, "390609.3989", "109.9990599", "349936.0128", "122.7843523", "402806.445", "106.6682701", "338835.2255", "126.8069652"}, /* row 99 */
    {99, "411529.9259", "110.158048", "369759.5622", "122.6021934", "424043.2424", "106.9073359", "358342.3275", "126.5084525"}, /* row 100 */
};

/* The whole path: derived denominators (ev * 1e5 / rate, as the package
 * derives them for DSRs), the average (baseline 116.1720835), the axis in
 * events, and the limits. */
static void rate_funnel_matches_package(void **state)
{
    (void)state;
    double num[50], den[50];
    for (int i = 0; i < 50; i++) {
        num[i] = RATE_INPUT[i][0];
        den[i] = 100000 * RATE_INPUT[i][0] / RATE_INPUT[i][1];
    }
    double average, lo, hi;
    assert_int_equal(csa_funnel_summary(num, den, 50, &average, &lo, &hi, NULL), CSA_OK);
    assert_published(average * 100000, "116.1720835");
    /* R: min and max of 1e5 * ev / rate */
    assert_rel(lo, 11891.891891891892, 1e-15);
    assert_rel(hi, 1101265.8227848101, 1e-15);
    csa_funnel_spec spec = {CSA_FUNNEL_DSR, average * 100000, 100000, 3};
    double axis[100];
    assert_int_equal(csa_funnel_axis(&spec, lo, hi, axis, 100, NULL), CSA_OK);
    for (int i = 0; i < 100; i++)
        assert_true(axis[i] == RATE_AXIS[i]);
    csa_funnel_point p[100];
    assert_int_equal(csa_funnel_limits(&spec, axis, 100, &BOTH, p, NULL), CSA_OK);
    for (size_t i = 0; i < sizeof RATE_FUNNEL / sizeof RATE_FUNNEL[0]; i++) {
        const csa_funnel_point *q = &p[RATE_FUNNEL[i].index];
        assert_published(q->lower_at[0], RATE_FUNNEL[i].lp95);
        assert_published(q->lower[0], RATE_FUNNEL[i].l95);
        assert_published(q->upper_at[0], RATE_FUNNEL[i].up95);
        assert_published(q->upper[0], RATE_FUNNEL[i].u95);
        assert_published(q->lower_at[1], RATE_FUNNEL[i].lp998);
        assert_published(q->lower[1], RATE_FUNNEL[i].l998);
        assert_published(q->upper_at[1], RATE_FUNNEL[i].up998);
        assert_published(q->upper[1], RATE_FUNNEL[i].u998);
    }
}

/* testdata_funnel_rate_dsr_inputs.csv, all 40 areas: count, rate_dsr, pop,
 * rate_crude_per_100000, and the published significance for DSRs per
 * 100,000 (dsr_per_100000_with_0) and crude rates per 100,000
 * (crude_per_100000_with_0). */
static const struct {
    double count, dsr, pop, crude;
    const char *sig_dsr, *sig_crude;
} RATE_AREAS[] = {
    {2419, 907.6174266, 264102, 915.9339952, "High (0.001)", "High (0.001)"},
    {2337, 948.5620216, 259711, 899.8463677, "High (0.001)", "High (0.001)"},
    {2291, 799.9690496, 289247, 792.056616, "High (0.001)", "High (0.001)"},
    {2242, 852.5637927, 265029, 845.9451607, "High (0.001)", "High (0.001)"},
    {2218, 868.5358183, 284649, 779.2052668, "High (0.001)", "High (0.001)"},
    {2159, 769.6242217, 293578, 735.409329, "High (0.001)", "High (0.001)"},
    {2130, 752.3254955, 286718, 742.8902266, "High (0.025)", "High (0.001)"},
    {2111, 710.2689402, 307381, 686.7698394, "Not significant", "Not significant"},
    {2105, 815.3530325, 274145, 767.8418355, "High (0.001)", "High (0.001)"},
    {2083, 717.7035916, 297424, 700.3469794, "Not significant", "High (0.025)"},
    {2078, 755.8016993, 272628, 762.2107781, "High (0.001)", "High (0.001)"},
    {2062, 825.9742848, 269656, 764.6779601, "High (0.001)", "High (0.001)"},
    {2061, 702.2972468, 294692, 699.3742619, "Not significant", "High (0.025)"},
    {2033, 785.6210132, 277710, 732.0586223, "High (0.001)", "High (0.001)"},
    {2033, 743.6763018, 259213, 784.2970839, "High (0.025)", "High (0.001)"},
    {2010, 781.8323058, 285516, 703.9885681, "High (0.001)", "High (0.025)"},
    {2004, 772.6781064, 269449, 743.7400027, "High (0.001)", "High (0.001)"},
    {2002, 652.3391553, 290888, 688.2373972, "Low (0.001)", "Not significant"},
    {1977, 648.4969973, 287112, 688.5814595, "Low (0.001)", "Not significant"},
    {1944, 727.5777428, 286492, 678.5529788, "Not significant", "Not significant"},
    {1932, 625.6551186, 287012, 673.1425864, "Low (0.001)", "Not significant"},
    {1922, 688.5582424, 291277, 659.8529922, "Not significant", "Not significant"},
    {1912, 662.4465438, 289859, 659.631062, "Low (0.025)", "Not significant"},
    {1881, 627.1624732, 289653, 649.3977276, "Low (0.001)", "Not significant"},
    {1844, 657.1114147, 282519, 652.6994645, "Low (0.025)", "Not significant"},
    {1835, 724.8456714, 274220, 669.1707388, "Not significant", "Not significant"},
    {1833, 659.7820553, 280271, 654.009869, "Low (0.025)", "Not significant"},
    {1825, 654.7053631, 284206, 642.1398563, "Low (0.001)", "Not significant"},
    {1816, 624.4435507, 274508, 661.5472045, "Low (0.001)", "Not significant"},
    {1809, 646.7588823, 288384, 627.2886152, "Low (0.001)", "Low (0.025)"},
    {1798, 703.1689982, 287072, 626.3237097, "Not significant", "Low (0.025)"},
    {1754, 567.9922764, 282744, 620.3491498, "Low (0.001)", "Low (0.001)"},
    {1746, 617.7750715, 289208, 603.7177395, "Low (0.001)", "Low (0.001)"},
    {1709, 610.8327232, 287736, 593.9472294, "Low (0.001)", "Low (0.001)"},
    {1694, 608.5089462, 296175, 571.9591458, "Low (0.001)", "Low (0.001)"},
    {1688, 662.3775859, 303255, 556.6272609, "Low (0.025)", "Low (0.001)"},
    {1649, 667.6454503, 285959, 576.6560941, "Low (0.025)", "Low (0.001)"},
    {1553, 604.1141693, 274661, 565.4242867, "Low (0.001)", "Low (0.001)"},
    {1332, 469.5645784, 281425, 473.3054988, "Low (0.001)", "Low (0.001)"},
    {0, NAN, 297820, 0, "Not applicable for events less than 10 for dsrs", "Low (0.001)"},
};

enum { NRATE_AREAS = sizeof RATE_AREAS / sizeof RATE_AREAS[0] };

/* As assign_funnel_significance: denominators derived from the rates (for
 * DSRs missing where there are no events; for crude rates the population
 * there), the weighted average of all areas as the centre. */
static void rate_funnel_significance(void **state)
{
    (void)state;
    double num[NRATE_AREAS], den_dsr[NRATE_AREAS], den_crude[NRATE_AREAS];
    for (size_t i = 0; i < NRATE_AREAS; i++) {
        double c = RATE_AREAS[i].count;
        num[i] = c;
        den_dsr[i] = c == 0 ? NAN : c / RATE_AREAS[i].dsr * 100000;
        den_crude[i] = c == 0 ? RATE_AREAS[i].pop : 100000 * c / RATE_AREAS[i].crude;
    }
    double av_dsr, av_crude, lo, hi;
    assert_int_equal(csa_funnel_summary(num, den_dsr, NRATE_AREAS, &av_dsr, &lo, &hi, NULL),
                     CSA_OK);
    assert_int_equal(csa_funnel_summary(num, den_crude, NRATE_AREAS, &av_crude, &lo, &hi, NULL),
                     CSA_OK);
    /* R (check.R): weighted averages 0.0070490047033171287, 0.0066850892826817044 */
    assert_rel(av_dsr, 0.0070490047033171287, 1e-14);
    assert_rel(av_crude, 0.0066850892826817044, 1e-14);
    csa_funnel_spec dsr = {CSA_FUNNEL_DSR, av_dsr * 100000, 100000, 1};
    csa_funnel_spec crude = {CSA_FUNNEL_RATE, av_crude * 100000, 100000, 1};
    for (size_t i = 0; i < NRATE_AREAS; i++) {
        csa_funnel_signif s;
        assert_int_equal(csa_funnel_significance(&dsr, num[i], den_dsr[i], &s, NULL), CSA_OK);
        assert_string_equal(csa_funnel_signif_name(s), RATE_AREAS[i].sig_dsr);
        assert_int_equal(csa_funnel_significance(&crude, num[i], den_crude[i], &s, NULL), CSA_OK);
        assert_string_equal(csa_funnel_signif_name(s), RATE_AREAS[i].sig_crude);
    }
}

static void funnel_bad_inputs(void **state)
{
    (void)state;
    csa_error err;
    csa_funnel_point p[1];
    csa_funnel_signif s;
    double x = 0, axis[10], average, lo, hi;
    csa_funnel_spec prop = {CSA_FUNNEL_PROPORTION, 80, 100, 1};
    csa_funnel_spec rate = {CSA_FUNNEL_RATE, 116, 100000, 3};
    assert_int_equal(csa_funnel_limits(&prop, &x, 1, &BOTH, p, &err), CSA_ERR_VALUE);
    x = 2.5;
    assert_int_equal(csa_funnel_limits(&rate, &x, 1, &BOTH, p, &err), CSA_ERR_VALUE);
    assert_string_equal(err.message,
                        "funnel point 1: 2.5 is not a whole number of events of 1 or more");
    csa_funnel_spec no_comparator = {CSA_FUNNEL_RATE, 0, 100000, 3};
    x = 3;
    assert_int_equal(csa_funnel_limits(&no_comparator, &x, 1, &BOTH, p, &err), CSA_ERR_USAGE);
    csa_funnel_spec all = {CSA_FUNNEL_PROPORTION, 100, 100, 1};
    assert_int_equal(csa_funnel_limits(&all, &x, 1, &BOTH, p, &err), CSA_ERR_USAGE);
    csa_funnel_spec no_years = {CSA_FUNNEL_RATE, 116, 100000, 0};
    assert_int_equal(csa_funnel_axis(&no_years, 10, 100, axis, 10, &err), CSA_ERR_USAGE);
    assert_int_equal(csa_funnel_axis(&rate, 100, 10, axis, 10, &err), CSA_ERR_VALUE);
    assert_int_equal(csa_funnel_axis(&rate, 10, 100, axis, 1, &err), CSA_ERR_USAGE);
    assert_int_equal(csa_funnel_significance(&prop, 5, 4, &s, &err), CSA_ERR_VALUE);
    assert_int_equal(csa_funnel_significance(&rate, 5, 0, &s, &err), CSA_ERR_VALUE);
    assert_int_equal(csa_funnel_significance(&rate, -5, 10, &s, &err), CSA_ERR_VALUE);
    double num[2] = {3, NAN}, den[2] = {10, 20};
    assert_int_equal(csa_funnel_summary(num, den, 2, &average, &lo, &hi, &err), CSA_ERR_VALUE);
    double num2[2] = {3, 4}, den2[2] = {NAN, NAN};
    assert_int_equal(csa_funnel_summary(num2, den2, 2, &average, &lo, &hi, &err), CSA_ERR_VALUE);
    assert_true(isnan(average));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rates_match_phe_rate),
        cmocka_unit_test(rate_edge_cases),
        cmocka_unit_test(proportions_match_phe_proportion),
        cmocka_unit_test(proportion_edge_cases),
        cmocka_unit_test(esp2013_weights),
        cmocka_unit_test(dsr_matches_calculate_dsr),
        cmocka_unit_test(dsr_edge_cases),
        cmocka_unit_test(dsr_nonindependent_events),
        cmocka_unit_test(age_bands_parse),
        cmocka_unit_test(esp2013_aggregated_to_file_bands),
        cmocka_unit_test(dsr_on_file_bands),
        cmocka_unit_test(isr_matches_calculate_isratio),
        cmocka_unit_test(comparison_follows_fingertips),
        cmocka_unit_test(comparison_at_a_level),
        cmocka_unit_test(overlap_comparison),
        cmocka_unit_test(outcome_names_and_colours),
        cmocka_unit_test(proportion_funnel_matches_package),
        cmocka_unit_test(proportion_funnel_narrow_axis),
        cmocka_unit_test(proportion_funnel_significance),
        cmocka_unit_test(ratio_funnel_matches_package),
        cmocka_unit_test(ratio_funnel_significance),
        cmocka_unit_test(rate_funnel_matches_package),
        cmocka_unit_test(rate_funnel_significance),
        cmocka_unit_test(funnel_bad_inputs),
        cmocka_unit_test(funnel_limits_at_a_denominator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
