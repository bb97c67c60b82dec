/* Reference values, and where they come from:
 *
 * - SII/RII: PHEindicatormethods' published test data,
 *   tests/testthat/testdata_SII.xlsx (github.com/ukhsa-collaboration/
 *   PHEindicatormethods, commit 093fd28), rows named in each case. Point
 *   estimates are checked to 1e-9; the simulated limits (100,000
 *   repetitions there) within a Monte Carlo tolerance, see mc_tol.
 * - Everything else: R 4.2.2, base R only, formulas written independently
 *   of csa:
 *     pois_ci <- function(o, level = 95) { a <- 1 - level / 100
 *       z <- qnorm(1 - a / 2)
 *       if (o < 10) c(if (o == 0) 0 else qchisq(a / 2, 2 * o) / 2,
 *                     qchisq(1 - a / 2, 2 * o + 2) / 2)
 *       else c(o * (1 - 1 / (9 * o) - z / (3 * sqrt(o)))^3,
 *              (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * sqrt(o + 1)))^3) }
 *     rate ratio and limits: poisson.test(c(a, b), c(na, nb))
 *     difference: d -/+ sqrt((r_a - l_a)^2 + (u_b - r_b)^2) etc. (MOVER)
 *     SII from counts: phe_sii's steps (R/SII_function.R, R/utils.R
 *       FindXValues and SimulationFunc) re-typed in base R: lm() on
 *       sqrt(a)-scaled terms, rnorm draws, sort, round(R * tail), with
 *       set.seed(2024) and 1,000,000 repetitions; that script reproduces
 *       the published test data's point estimates above to 1e-15.
 *     Gini: sum(outer(w, w) * abs(outer(r, r, "-"))) / (2 sum(w)^2 mu),
 *       the weighted mean difference of rates (no ordering involved). */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "csa/inequality.h"

static void assert_rel(double got, double want, double tol)
{
    double rel = want == 0 ? fabs(got) : fabs(got - want) / fabs(want);
    if (!(rel <= tol))
        fail_msg("got %.17g, want %.17g (relative error %.3g)", got, want, rel);
}

static void assert_near(double got, double want, double tol, const char *what)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("%s: got %.17g, want %.17g (difference %.3g, tolerance %.3g)", what, got,
                 want, fabs(got - want), tol);
}

static const csa_levels L95 = {1, {95}};
static const csa_levels L95_998 = {2, {95, 99.8}};

/* ---- rates by quintile, gap ---- */

static const double cnt[10] = {1650, 1320, 1105, 980, 860, 720, 655, 540, 470, 410};
static const double pop[10] = {24100, 25800, 26900, 27300, 28100,
                               27800, 29200, 28800, 27600, 26400};
static const double small[10] = {14, 9, 7, 5, 6, 3, 4, 2, 2, 1};

static void quintile_rates_match_r(void **state)
{
    (void)state;
    csa_estimate q[5];
    assert_int_equal(csa_quintile_rates(cnt, pop, 1000, &L95_998, q, NULL), CSA_OK);
    const double want[5][5] = {
        {59.519038076152306, 57.397524064392414, 61.698913131441344, 56.201036292546021,
         62.971866023720885},
        {38.468634686346860, 36.834964019498202, 40.156099909497875, 35.917624090347459,
         41.143874412957999},
        {28.264758497316638, 26.888085875218941, 29.693646220965377, 26.118159553484276,
         30.531896833057722},
        {20.603448275862068, 19.451690497380643, 21.805593546600775, 18.810556743439097,
         22.512612969456740},
        {16.296296296296294, 15.237229383960821, 17.409568683376627, 14.651197860531690,
         18.066413889595616},
    };
    for (size_t k = 0; k < 5; k++) {
        assert_rel(q[k].value, want[k][0], 1e-12);
        assert_rel(q[k].lower[0], want[k][1], 1e-9);
        assert_rel(q[k].upper[0], want[k][2], 1e-9);
        assert_rel(q[k].lower[1], want[k][3], 1e-9);
        assert_rel(q[k].upper[1], want[k][4], 1e-9);
        assert_int_equal(q[k].flags, 0);
    }
    /* small counts: exact limits below 10 events (quintiles 3 to 5) */
    const double want_small[5][3] = {
        {0.46092184368737471, 0.29209159676580720, 0.69163948462821523},
        {0.22140221402214022, 0.11427139931880127, 0.38676859877521585},
        {0.16100178890876565, 0.07362027007832439, 0.30563154653701557},
        {0.103448275862068964, 0.037963694025704334, 0.225163345215839417},
        {0.055555555555555559, 0.011456891164733363, 0.162356908698931907},
    };
    assert_int_equal(csa_quintile_rates(small, pop, 1000, &L95, q, NULL), CSA_OK);
    for (size_t k = 0; k < 5; k++) {
        assert_rel(q[k].value, want_small[k][0], 1e-12);
        assert_rel(q[k].lower[0], want_small[k][1], 1e-9);
        assert_rel(q[k].upper[0], want_small[k][2], 1e-9);
        assert_int_equal(q[k].flags & CSA_RATE_EXACT, k >= 2 ? CSA_RATE_EXACT : 0);
    }
}

static void quintiles_propagate_missing(void **state)
{
    (void)state;
    double c[10], p[10];
    memcpy(c, cnt, sizeof c);
    memcpy(p, pop, sizeof p);
    c[3] = NAN; /* quintile 2 */
    p[8] = 0;   /* quintile 5 still has decile 10's people */
    p[6] = p[7] = 0;
    csa_estimate q[5];
    assert_int_equal(csa_quintile_rates(c, p, 1000, &L95, q, NULL), CSA_OK);
    assert_true(isnan(q[1].value) && isnan(q[1].lower[0]));
    assert_int_equal(q[1].flags, CSA_INEQ_MISSING);
    assert_true(isnan(q[3].value));
    assert_true(q[3].flags & CSA_RATE_NO_DENOMINATOR);
    assert_rel(q[4].value, (470.0 + 410) / 26400 * 1000, 1e-12);
    assert_false(isnan(q[0].value));
}

static void negative_count_names_the_decile(void **state)
{
    (void)state;
    double c[10];
    memcpy(c, cnt, sizeof c);
    c[6] = -3;
    csa_estimate q[5];
    csa_error err;
    assert_int_equal(csa_quintile_rates(c, pop, 1000, &L95, q, &err), CSA_ERR_VALUE);
    assert_string_equal(err.message, "decile 7: count -3 is not a whole number of 0 or more");
    csa_rate_gap g;
    assert_int_equal(csa_imd_gap(c, pop, CSA_IMD_BY_DECILE, 1000, &L95, &g, &err),
                     CSA_ERR_VALUE);
    assert_string_equal(err.message, "decile 7: count -3 is not a whole number of 0 or more");
    c[6] = 2.5;
    assert_int_equal(csa_quintile_rates(c, pop, 1000, &L95, q, &err), CSA_ERR_VALUE);
    double p[10];
    memcpy(p, pop, sizeof p);
    p[0] = -1;
    assert_int_equal(csa_quintile_rates(cnt, p, 1000, &L95, q, &err), CSA_ERR_VALUE);
    assert_string_equal(err.message, "decile 1: population -1 is not a number of 0 or more");
    csa_estimate r[3];
    double gc[3] = {4, -1, 2}, gp[3] = {10, 10, 10};
    assert_int_equal(csa_group_rates(3, gc, gp, 1000, &L95, r, &err), CSA_ERR_VALUE);
    assert_string_equal(err.message, "index 1: count -1 is not a whole number of 0 or more");
    csa_levels none = {0, {0}};
    assert_int_equal(csa_group_rates(3, cnt, pop, 1000, &none, r, &err), CSA_ERR_USAGE);
}

/* Areas to deciles under the population rule: a missing or 0 population
 * leaves the area and its events out. Limits by Python's statistics
 * module: Byar's formula above with z = NormalDist().inv_cdf(0.975); for
 * 0 events the exact upper limit is -ln(0.025) = ln 40. */
static void area_decile_rates_population_rule(void **state)
{
    (void)state;
    const int dec[6] = {1, 1, 2, 2, 10, 3};
    const double c[6] = {30, 12, 7, 5, 0, 0};
    const double p[6] = {1000, 2000, 0, NAN, 500, 0};
    csa_area_decile_rates r;
    assert_int_equal(csa_area_decile_rates_compute(6, dec, c, p, 1000, &L95, &r, NULL), CSA_OK);
    assert_int_equal(r.npopulated, 3);
    assert_int_equal(r.nunpopulated, 3);
    assert_true(r.unpopulated_count == 12);
    assert_true(r.count[0] == 42 && r.population[0] == 3000);
    assert_rel(r.rate[0].value, 14.0, 1e-15);
    assert_rel(r.rate[0].lower[0], 10.088905729294323, 1e-12);
    assert_rel(r.rate[0].upper[0], 18.92441291347803, 1e-12);
    /* deciles 2 and 3 have only unpopulated areas: no rate, not 0 or 12 / 0 */
    for (int d = 1; d < 9; d++) {
        assert_true(r.count[d] == 0 && r.population[d] == 0);
        assert_true(isnan(r.rate[d].value));
        assert_true(r.rate[d].flags & CSA_RATE_NO_DENOMINATOR);
    }
    assert_true(r.rate[9].value == 0 && r.rate[9].lower[0] == 0);
    assert_rel(r.rate[9].upper[0], 7.3777589082278725, 1e-12);
    assert_false(r.rate[9].flags & CSA_RATE_NO_DENOMINATOR);
    assert_true(csa_area_populated(1) && !csa_area_populated(0) && !csa_area_populated(NAN));

    /* a missing count: its decile's rate is missing, or the left-out count */
    const double cn[6] = {30, NAN, 7, NAN, 0, 0};
    assert_int_equal(csa_area_decile_rates_compute(6, dec, cn, p, 1000, &L95, &r, NULL), CSA_OK);
    assert_true(isnan(r.count[0]) && isnan(r.rate[0].value));
    assert_int_equal(r.rate[0].flags, CSA_INEQ_MISSING);
    assert_true(isnan(r.unpopulated_count));

    csa_error err;
    const int bad_dec[3] = {1, 0, 11};
    assert_int_equal(csa_area_decile_rates_compute(3, bad_dec, c, p, 1000, &L95, &r, &err),
                     CSA_ERR_VALUE);
    assert_string_equal(err.message, "index 1: decile 0 is not 1 to 10");
    const double neg[3] = {1000, 2000, -5};
    assert_int_equal(csa_area_decile_rates_compute(3, dec, c, neg, 1000, &L95, &r, &err),
                     CSA_ERR_VALUE);
    assert_string_equal(err.message, "index 2: population -5 is not a number of 0 or more");
    const double frac[2] = {30, 1.5};
    assert_int_equal(csa_area_decile_rates_compute(2, dec, frac, p, 1000, &L95, &r, &err),
                     CSA_ERR_VALUE);
    assert_string_equal(err.message, "index 1: count 1.5 is not a whole number of 0 or more");
    assert_int_equal(csa_area_decile_rates_compute(2, dec, c, p, 0, &L95, &r, &err),
                     CSA_ERR_USAGE);
}

static void gap_matches_poisson_test(void **state)
{
    (void)state;
    csa_rate_gap g;
    /* decile 1 against decile 10 */
    assert_int_equal(csa_imd_gap(cnt, pop, CSA_IMD_BY_DECILE, 1000, &L95_998, &g, NULL), CSA_OK);
    assert_rel(g.a.value, 1650.0 / 24100 * 1000, 1e-12);
    assert_rel(g.b.value, 410.0 / 26400 * 1000, 1e-12);
    assert_rel(g.ratio.value, 4.4084606821171954, 1e-12);
    assert_rel(g.ratio.lower[0], 3.9541302484346978, 1e-9);
    assert_rel(g.ratio.upper[0], 4.9240221154303869, 1e-9);
    assert_rel(g.ratio.lower[1], 3.7213577461637040, 1e-9);
    assert_rel(g.ratio.upper[1], 5.2506043519664454, 1e-9);
    assert_rel(g.difference.value, 52.9344272601534129, 1e-12);
    assert_rel(g.difference.lower[0], 49.3087229582745294, 1e-9);
    assert_rel(g.difference.upper[0], 56.6237985715285390, 1e-9);
    assert_rel(g.difference.lower[1], 47.2543029269711923, 1e-9);
    assert_rel(g.difference.upper[1], 58.7620349709311469, 1e-9);
    /* quintile 1 against quintile 5 */
    assert_int_equal(csa_imd_gap(cnt, pop, CSA_IMD_BY_QUINTILE, 1000, &L95, &g, NULL), CSA_OK);
    assert_rel(g.ratio.value, 3.6523046092184370, 1e-12);
    assert_rel(g.ratio.lower[0], 3.3864750945139166, 1e-9);
    assert_rel(g.ratio.upper[0], 3.9421041574898821, 1e-9);
    assert_rel(g.difference.value, 43.2227417798560083, 1e-12);
    assert_rel(g.difference.lower[0], 40.8268709340195528, 1e-9);
    assert_rel(g.difference.upper[0], 45.6462677197780806, 1e-9);
    /* small counts: exact limits on both sides */
    assert_int_equal(csa_imd_gap(small, pop, CSA_IMD_BY_DECILE, 1000, &L95, &g, NULL), CSA_OK);
    assert_rel(g.ratio.value, 15.33609958506224125, 1e-12);
    assert_rel(g.ratio.lower[0], 2.33332363346147931, 1e-9);
    assert_rel(g.ratio.upper[0], 648.46341222158082473, 1e-9);
    assert_rel(g.difference.value, 0.54303407519175162, 1e-12);
    assert_rel(g.difference.lower[0], 0.22765198214943971, 1e-9);
    assert_rel(g.difference.upper[0], 0.93857821137334585, 1e-9);
    assert_true(g.difference.flags & CSA_RATE_EXACT);
}

static void gap_with_zero_events(void **state)
{
    (void)state;
    csa_rate_gap g;
    /* none in the most deprived: a ratio of 0 with an upper limit */
    assert_int_equal(csa_rate_gap_compute(0, 24100, 7, 26400, 1000, &L95, &g, NULL), CSA_OK);
    assert_true(g.ratio.value == 0 && g.ratio.lower[0] == 0);
    assert_rel(g.ratio.upper[0], 0.760028592304827666, 1e-9);
    assert_rel(g.difference.value, -0.265151515151515194, 1e-12);
    assert_rel(g.difference.lower[0], -0.546313460670544648, 1e-9);
    assert_rel(g.difference.upper[0], -0.044774193898447584, 1e-9);
    /* none in the least deprived: no ratio, but still a difference */
    assert_int_equal(csa_rate_gap_compute(7, 26400, 0, 24100, 1000, &L95, &g, NULL), CSA_OK);
    assert_true(isnan(g.ratio.value) && isnan(g.ratio.lower[0]) && isnan(g.ratio.upper[0]));
    assert_int_equal(g.ratio.flags, CSA_INEQ_NO_RATIO);
    assert_rel(g.difference.value, 0.265151515151515194, 1e-12);
    assert_rel(g.difference.lower[0], 0.044774193898447584, 1e-9);
    /* zero population, missing count */
    assert_int_equal(csa_rate_gap_compute(7, 0, 3, 24100, 1000, &L95, &g, NULL), CSA_OK);
    assert_true(isnan(g.ratio.value) && isnan(g.difference.value) && isnan(g.a.value));
    assert_true(g.ratio.flags & CSA_RATE_NO_DENOMINATOR);
    assert_true(g.difference.flags & CSA_RATE_NO_DENOMINATOR);
    assert_int_equal(csa_rate_gap_compute(NAN, 100, 3, 24100, 1000, &L95, &g, NULL), CSA_OK);
    assert_true(isnan(g.ratio.value) && isnan(g.difference.value));
    assert_true(g.ratio.flags & CSA_INEQ_MISSING);
    assert_true(g.difference.flags & CSA_INEQ_MISSING);
}

/* ---- SII and RII ---- */

/* Inputs of testdata_SII.xlsx: area1 and area2 of each indicator type. */
static const double normal1_pop[] = {7291.0, 7997.0, 6105.0, 7666.0, 5790.0, 6934.0, 5918.0, 5974.0, 7147.0, 7534.0};
static const double normal1_value[] = {75.9334590103081, 78.3442382727843, 83.8360631041654, 83.6375399664931, 80.4655031529559, 81.1156759857022, 81.6930835718562, 84.1900062060987, 80.5955641081472, 86.2894349578624};
static const double normal1_lower[] = {72.7220530546453, 75.2509802190802, 80.8697295124759, 80.157578356036, 77.1308785969275, 78.0499986811178, 79.011578491948, 81.4457282769343, 75.827185168894, 83.2190593454592};
static const double normal1_upper[] = {79.1448649659708, 81.4374963264884, 86.8023966958549, 87.1175015769501, 83.8001277089842, 84.1813532902866, 84.3745886517644, 86.9342841352631, 85.3639430474004, 89.3598105702656};
static const double normal1_se[] = {1.638472426358545, 1.578192884542907, 1.5134355059640296, 1.7754906175801293, 1.7013390591981388, 1.56412107376755, 1.3681148366878566, 1.4001418005940802, 2.4328463975781616, 1.5665181695934678};
static const double normal2_pop[] = {21675.0, 20065.0, 19750.0, 24713.0, 20112.0, 19618.0, 22408.0, 19752.0, 18939.0, 19312.0};
static const double normal2_value[] = {70.54853186, 71.57155734, 72.48698671, 73.51985519, 73.14605425, 76.15898712, 78.65444871, 80.56476961, 80.85486627, 79.9711253};
static const double normal2_se[] = {0.22959183673469533, 0.2598068010204095, 0.2992380841836735, 0.16075122704081746, 0.7918228954081618, 0.7783196122448984, 0.39937532908163315, 0.2793955076530606, 0.22959183673469533, 0.3517537500000029};
static const double rate1_pop[] = {279012.0, 255993.0, 236961.0, 214315.0, 192812.0, 183546.0, 168593.0, 164822.0, 154836.0, 138165.0};
static const double rate1_value[] = {5.892219689475721, 4.7345044591063035, 3.827634083245766, 3.8681380211371112, 3.6771570234217785, 3.1436261209723995, 3.1258711808912585, 2.942568346458604, 2.82879950399132, 2.7648101907140012};
static const double rate1_lower[] = {5.614959662410748, 4.475920770781004, 3.586926055445024, 3.6140791140579505, 3.4166969870147965, 2.8977176350029272, 2.870493809285979, 2.6924041297904315, 2.57630573787527, 2.501420619088458};
static const double rate1_upper[] = {6.183085357576154, 5.0079519402470885, 4.0844291026854505, 4.1399822998098585, 3.9573934822289045, 3.4103317188858107, 3.4038909874130083, 3.2159015715579464, 3.1059621495836955, 3.05584866618335};
static const double rate2_pop[] = {13837.0, 14519.0, 14940.0, 14599.0, 12311.0, 21675.0, 20065.0, 19750.0, 24713.0, 20112.0};
static const double rate2_value[] = {4.89675, 4.5678, 4.67666, 4.35666, 3.9, 3.8, 3.5, 3.2, 3.21, 2.8};
static const double rate2_lower[] = {4.77675, 4.4478, 4.55666, 4.23666, 3.78, 3.6799999999999997, 3.38, 3.08, 3.09, 2.6799999999999997};
static const double rate2_upper[] = {4.97675, 4.6478, 4.75666, 4.43666, 3.98, 3.88, 3.58, 3.2800000000000002, 3.29, 2.88};
static const double prop1_pop[] = {34353.0, 32112.0, 27715.0, 25372.0, 23889.0, 23260.0, 23180.0, 24193.0, 23609.0, 24488.0};
static const double prop1_value[] = {0.21212121212121202, 0.214281265570503, 0.204077214504781, 0.19186504808450303, 0.174808489262841, 0.16663800515907098, 0.156039689387403, 0.146571322283305, 0.140370197805921, 0.120875530872264};
static const double prop1_lower[] = {0.207830499225555, 0.209827711465288, 0.19937351725899902, 0.187066648694241, 0.170044640703038, 0.16190410576997, 0.151425075468518, 0.142170753783533, 0.13599767093637602, 0.11685200990738201};
static const double prop1_upper[] = {0.216476300812899, 0.218803170788612, 0.208862933590925, 0.19675673996565, 0.17967690552753499, 0.17148199783416998, 0.160768288675927, 0.151084110529924, 0.144859737537153, 0.125017980504761};
static const double prop2_pop[] = {36111.0, 31803.0, 26681.0, 24184.0, 23023.0, 21506.0, 22197.0, 23679.0, 23271.0, 23464.0};
static const double prop2_value[] = {0.12079421782836301, 0.117410307203723, 0.11363891908099401, 0.105896460469732, 0.10007383920427401, 0.09411327071514931, 0.08730909582376001, 0.0836606275602855, 0.0797559193846418, 0.0696812137742925};
static const double prop2_lower[] = {0.117473271937339, 0.11391851782536101, 0.109886239767609, 0.102080757108839, 0.09626388594689321, 0.0902830437346462, 0.0836665612937408, 0.08020120762600881, 0.0763441201710209, 0.0664933849950753};
static const double prop2_upper[] = {0.12419583434331499, 0.120994510822713, 0.117502836842961, 0.10983734511402099, 0.104017228033421, 0.09808847293030461, 0.09109444792373561, 0.0872551115710111, 0.0833064392278473, 0.0730099206057122};

typedef struct sii_case {
    const char *name;
    size_t n;
    const double *pop, *value, *lower, *upper, *se;
    csa_sii_type type;
    int transform;
    double multiplier;
    csa_levels levels;
    double sii, rii, intercept; /* intercept NaN: not in the data */
    double sii_lo[2], sii_hi[2], rii_lo[2], rii_hi[2];
    double reference_reps;      /* 0: no limits in the data */
} sii_case;

#define NO_LIMITS {NAN, NAN}, {NAN, NAN}, {NAN, NAN}, {NAN, NAN}, 0

static const sii_case sii_cases[] = {
    {"rows 1-10 and 246 (normal, area1, se)", 10, normal1_pop, normal1_value, NULL, NULL,
     normal1_se, CSA_SII_OTHER, 0, 1, {1, {95}}, 6.934616473668819, 1.0888180804446217,
     78.07663078231671, {3.127594617650817}, {10.7586873680794}, {1.0383690591642838},
     {1.1412993360251238}, 1e5},
    {"rows 1-10 and 226 (normal, area1, limits, 95 and 99%)", 10, normal1_pop, normal1_value,
     normal1_lower, normal1_upper, NULL, CSA_SII_OTHER, 0, 1, {2, {95, 99}}, 6.934616473668819,
     1.0888180804446217, 78.07663078231671, {3.127594617650817, 1.9243274437391116},
     {10.7586873680794, 11.99208403800279}, {1.0383690591642838, 1.0234148326541768},
     {1.1412993360251238, 1.1587677685047233}, 1e5},
    {"rows 11-20 and 256 (normal, area2, se)", 10, normal2_pop, normal2_value, NULL, NULL,
     normal2_se, CSA_SII_OTHER, 0, 1, {1, {95}}, 12.547846636351798, 1.180885620848795,
     69.36895579356593, {11.936156426792138}, {13.163020132396579}, {1.1713706914325628},
     {1.1904396357244886}, 1e5},
    {"rows 61-65 (normal, area1, quintiles)", 5, normal1_pop, normal1_value, NULL, NULL,
     normal1_se, CSA_SII_OTHER, 0, 1, {1, {95}}, 7.919334147100874, 1.1037116952527257, NAN,
     NO_LIMITS},
    {"rows 66-70 (normal, area2, quintiles)", 5, normal2_pop, normal2_value, NULL, NULL,
     normal2_se, CSA_SII_OTHER, 0, 1, {1, {95}}, 3.6215563376545648, 1.0513892712719326, NAN,
     NO_LIMITS},
    {"rows 71-80 and 266 (rate, area1)", 10, rate1_pop, rate1_value, rate1_lower, rate1_upper,
     NULL, CSA_SII_RATE, 0, 1, {1, {95}}, -3.2752012326471758, 0.40600068953980034,
     5.513813189631011, {-3.5868233016744155}, {-2.9653170017272723}, {0.36888170199068804},
     {0.44624776652446996}, 1e5},
    {"rows 81-90 and 276 (rate, area2)", 10, rate2_pop, rate2_value, rate2_lower, rate2_upper,
     NULL, CSA_SII_RATE, 0, 1, {1, {95}}, -2.287678902778742, 0.5352517697987614,
     4.922404764808173, {-2.3985255584029543}, {-2.1761883614121236}, {0.5173431258491631},
     {0.5537394889497282}, 1e5},
    {"rows 91-100 and 286 (proportion, area1)", 10, prop1_pop, prop1_value, prop1_lower,
     prop1_upper, NULL, CSA_SII_PROPORTION, 0, 1, {1, {95}}, -0.10720032333730493,
     0.5334015306465507, 0.22974855336720032, {-0.11220857220984691}, {-0.1021798062145461},
     {0.5171273196358018}, {0.5501538412913004}, 1e5},
    {"rows 101-110 and 296 (proportion, area2)", 10, prop2_pop, prop2_value, prop2_lower,
     prop2_upper, NULL, CSA_SII_PROPORTION, 0, 1, {1, {95}}, -0.0581854710713103,
     0.5470128461555435, 0.12844839103602843, {-0.06216629570885849}, {-0.05417454773129435},
     {0.5237145074007454}, {0.5714617043537692}, 1e5},
    {"rows 111-120 (proportion, area1, multiplier 100)", 10, prop1_pop, prop1_value,
     prop1_lower, prop1_upper, NULL, CSA_SII_PROPORTION, 0, 100, {1, {95}},
     -10.720032333730494, 0.5334015306465507, NAN, {-11.22085722098469},
     {-10.21798062145461}, {0.5171273196358018}, {0.5501538412913004}, 1e5},
    {"rows 131-140 (proportion, area1, multiplier -100)", 10, prop1_pop, prop1_value,
     prop1_lower, prop1_upper, NULL, CSA_SII_PROPORTION, 0, -100, {1, {95}},
     10.720032333730494, 1.874760274474414, NAN, {10.21798062145461}, {11.22085722098469},
     {1.8176733941416052}, {1.933759757083172}, 1e5},
    {"rows 306-315 and 406 (rate, area1, log transform, 95 and 98%)", 10, rate1_pop,
     rate1_value, rate1_lower, rate1_upper, NULL, CSA_SII_RATE, 1, 1, {2, {95, 98}},
     -3.15590713895456, 0.4418848436076823, 5.65458060546947,
     {-3.4809615490242884, -3.544280996599922}, {-2.833237344763632, -2.7745074687289164},
     {0.4082744080360723, 0.4020907792516821}, {0.4785663265006931, 0.48562375212051656}, 1e5},
    {"rows 316-325 (rate, area2, log transform)", 10, rate2_pop, rate2_value, rate2_lower,
     rate2_upper, NULL, CSA_SII_RATE, 1, 1, {1, {95}}, -2.2954691808474057,
     0.5446144759737053, 5.040716183843519, {-2.423223688852598}, {-2.168075785150564},
     {0.527074544156842}, {0.5627749745405388}, 1e5},
    {"rows 386-395 (rate, area1, log transform, multiplier -1)", 10, rate1_pop, rate1_value,
     rate1_lower, rate1_upper, NULL, CSA_SII_RATE, 1, -1, {1, {95}}, 3.15590713895456,
     2.2630330378288055, 5.65458060546947, {2.833237344763632}, {3.4809615490242884},
     {2.0895745158504204}, {2.449333047374468}, 1e5},
    {"rows 326-335 and 466 (proportion, area1, logit transform, 95 and 98%)", 10, prop1_pop,
     prop1_value, prop1_lower, prop1_upper, NULL, CSA_SII_PROPORTION, 1, 1, {2, {95, 98}},
     -0.1096462611125906, 0.5341775743253946, 0.2353821007088711,
     {-0.11490838449464633, -0.11586812967869121}, {-0.10443087776045443, -0.10343726013070212},
     {0.5185333850074628, 0.5157325783693022}, {0.5501741213468927, 0.5532784562248066}, 1e5},
    {"rows 336-345 (proportion, area2, logit transform)", 10, prop2_pop, prop2_value,
     prop2_lower, prop2_upper, NULL, CSA_SII_PROPORTION, 1, 1, {1, {95}},
     -0.05970061643992898, 0.5472074426131981, 0.1318498183461289, {-0.06392425493727208},
     {-0.05546135190988595}, {0.524843254382713}, {0.5707105710428643}, 1e5},
    {"rows 346-355 (proportion, area1, logit transform, multiplier -1)", 10, prop1_pop,
     prop1_value, prop1_lower, prop1_upper, NULL, CSA_SII_PROPORTION, 1, -1, {1, {95}},
     0.1096462611125906, 1.8720366560930344, 0.2353821007088711, {0.10443087776045443},
     {0.11490838449464633}, {1.8176063925941832}, {1.9285161359197882}, 1e5},
};

enum { REPS = 100000 };

/* Both csa's limit and the reference's are order statistics of R and R'
 * simulations; each is off the true quantile q_p by about
 * sqrt(p (1 - p) / R) / f(q_p), f the density of the simulated SII there.
 * Taking f as normal with the sd the reference interval implies, sd =
 * (upper - lower) / (2 z), their difference has standard error
 * sd sqrt(p (1 - p)) / phi(z) * sqrt(1 / R + 1 / R'); allow four of them
 * (a correct implementation fails one comparison about once in 16,000).
 * For area1's normal SII at 95% (R = R' = 100,000) that is 0.093 on a
 * limit of 3.13. */
static double mc_tol(double lower, double upper, double level, double reference_reps)
{
    double p = (1 - level / 100) / 2;
    double z = gsl_cdf_ugaussian_Pinv(1 - p);
    double sd = (upper - lower) / (2 * z);
    return 4 * sd * sqrt(p * (1 - p)) / gsl_ran_ugaussian_pdf(z) *
           sqrt(1 / reference_reps + 1.0 / REPS);
}

static csa_sii_options case_options(const sii_case *c, unsigned long seed)
{
    csa_sii_options o;
    csa_sii_defaults(&o);
    o.type = c->type;
    o.transform = c->transform;
    o.multiplier = c->multiplier;
    o.levels = c->levels;
    o.repetitions = REPS;
    o.seed = seed;
    return o;
}

static void sii_matches_phe_test_data(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof sii_cases / sizeof sii_cases[0]; i++) {
        const sii_case *c = &sii_cases[i];
        print_message("%s\n", c->name);
        csa_sii_options o = case_options(c, 1);
        csa_sii_result r;
        csa_error err;
        csa_status st = csa_sii(c->n, c->pop, c->value, c->lower, c->upper, c->se, &o, &r, &err);
        if (st)
            fail_msg("%s", err.message);
        assert_int_equal(r.sii.flags, 0);
        assert_rel(r.sii.value, c->sii, 1e-9);
        assert_rel(r.rii.value, c->rii, 1e-9);
        if (!isnan(c->intercept))
            assert_rel(r.intercept, c->intercept, 1e-9);
        if (c->reference_reps == 0)
            continue;
        for (size_t k = 0; k < c->levels.n; k++) {
            double lv = c->levels.level[k];
            double ts = mc_tol(c->sii_lo[k], c->sii_hi[k], lv, c->reference_reps);
            double tr = mc_tol(c->rii_lo[k], c->rii_hi[k], lv, c->reference_reps);
            assert_near(r.sii.lower[k], c->sii_lo[k], ts, "SII lower");
            assert_near(r.sii.upper[k], c->sii_hi[k], ts, "SII upper");
            assert_near(r.rii.lower[k], c->rii_lo[k], tr, "RII lower");
            assert_near(r.rii.upper[k], c->rii_hi[k], tr, "RII upper");
            assert_true(r.sii.lower[k] < r.sii.value && r.sii.value < r.sii.upper[k]);
        }
    }
}

/* Bit for bit (not memcmp: the struct has padding). */
static int same_estimate(const csa_estimate *a, const csa_estimate *b, size_t nlevels)
{
    int same = memcmp(&a->value, &b->value, sizeof a->value) == 0 && a->flags == b->flags;
    for (size_t k = 0; k < nlevels; k++)
        same = same && memcmp(&a->lower[k], &b->lower[k], sizeof a->lower[k]) == 0 &&
               memcmp(&a->upper[k], &b->upper[k], sizeof a->upper[k]) == 0;
    return same;
}

/* Proportions from counts: testdata_SII.xlsx rows 91-100 give x = Count with
 * Wilson's limits (phe_sii's "test proportion with count provided"): SII
 * -0.10720032333730493, RII 0.53340153064655071 (row 91). */
static void sii_of_proportions_from_counts(void **state)
{
    (void)state;
    static const double count[] = {7287, 6881, 5656, 4868, 4176, 3876, 3617, 3546, 3314, 2960};
    csa_sii_options o = case_options(&sii_cases[7], 1);
    csa_sii_result r;
    csa_error err;
    assert_int_equal(csa_sii_proportions(10, count, prop1_pop, &o, &r, NULL), CSA_OK);
    assert_rel(r.sii.value, -0.10720032333730493, 1e-9);
    assert_rel(r.rii.value, 0.53340153064655071, 1e-9);
    assert_near(r.sii.lower[0], -0.11220857220984691,
                mc_tol(-0.11220857220984691, -0.1021798062145461, 95, 1e5), "SII lower");
    double c[10];
    memcpy(c, count, sizeof c);
    c[0] = 0; /* a proportion of 0: no logit-scale error, no interval */
    assert_int_equal(csa_sii_proportions(10, c, prop1_pop, &o, &r, NULL), CSA_OK);
    assert_true(r.sii.flags & CSA_INEQ_NO_INTERVAL);
    assert_true(isfinite(r.sii.value) && isnan(r.sii.lower[0]));
    c[0] = 40000;
    assert_int_equal(csa_sii_proportions(10, c, prop1_pop, &o, &r, &err), CSA_ERR_VALUE);
    assert_string_equal(err.message, "index 0: count 40000 is more than its population: not a "
                                     "proportion");
}

static void sii_is_reproducible(void **state)
{
    (void)state;
    const sii_case *c = &sii_cases[5]; /* rate, area1 */
    csa_sii_options o = case_options(c, 42);
    csa_sii_result a, b, d;
    assert_int_equal(csa_sii(c->n, c->pop, c->value, c->lower, c->upper, NULL, &o, &a, NULL),
                     CSA_OK);
    assert_int_equal(csa_sii(c->n, c->pop, c->value, c->lower, c->upper, NULL, &o, &b, NULL),
                     CSA_OK);
    assert_true(same_estimate(&a.sii, &b.sii, 1) && same_estimate(&a.rii, &b.rii, 1));
    /* another seed: other draws, the same point and near the same limits */
    o.seed = 43;
    assert_int_equal(csa_sii(c->n, c->pop, c->value, c->lower, c->upper, NULL, &o, &d, NULL),
                     CSA_OK);
    assert_true(d.sii.value == a.sii.value);
    assert_true(d.sii.lower[0] != a.sii.lower[0]);
    assert_near(d.sii.lower[0], a.sii.lower[0],
                mc_tol(c->sii_lo[0], c->sii_hi[0], 95, REPS), "other seed");
}

/* csa_sii_rates on counts: reference from the base-R phe_sii script, with
 * Byar/exact 95% limits for each decile's rate, seed 2024, 1e6 draws. */
static void sii_from_counts_matches_r(void **state)
{
    (void)state;
    csa_sii_options o;
    csa_sii_defaults(&o);
    o.levels = L95_998;
    csa_sii_result r;
    assert_int_equal(csa_sii_rates(10, cnt, pop, 1000, &o, &r, NULL), CSA_OK);
    assert_rel(r.sii.value, -50.962398789159941259, 1e-9);
    assert_rel(r.rii.value, 0.113747631554024856, 1e-9);
    assert_rel(r.intercept, 57.503258218109401412, 1e-9);
    const double want[2][4] = {
        {-53.496743454884494895, -48.455384985227695438, 0.092474661966799779,
         0.136673350340086097},
        {-54.980556770112031018, -47.035659780924021334, 0.080420841722181904,
         0.150335842092956806},
    };
    for (size_t k = 0; k < 2; k++) {
        double ts = mc_tol(want[k][0], want[k][1], o.levels.level[k], 1e6);
        double tr = mc_tol(want[k][2], want[k][3], o.levels.level[k], 1e6);
        assert_near(r.sii.lower[k], want[k][0], ts, "SII lower");
        assert_near(r.sii.upper[k], want[k][1], ts, "SII upper");
        assert_near(r.rii.lower[k], want[k][2], tr, "RII lower");
        assert_near(r.rii.upper[k], want[k][3], tr, "RII upper");
    }
    o.transform = 1;
    assert_int_equal(csa_sii_rates(10, cnt, pop, 1000, &o, &r, NULL), CSA_OK);
    assert_rel(r.sii.value, -49.98185991622876401, 1e-9);
    assert_rel(r.rii.value, 0.20772394516332859, 1e-9);
    assert_rel(r.intercept, 63.08641995564611449, 1e-9);
    const double want_t[2][4] = {
        {-53.18716203479341686, -46.86520733248346460, 0.19118179284339132,
         0.22568168172546640},
        {-55.06845652490660825, -45.10287004590562532, 0.18228660118702414,
         0.23674784993875606},
    };
    for (size_t k = 0; k < 2; k++) {
        double ts = mc_tol(want_t[k][0], want_t[k][1], o.levels.level[k], 1e6);
        double tr = mc_tol(want_t[k][2], want_t[k][3], o.levels.level[k], 1e6);
        assert_near(r.sii.lower[k], want_t[k][0], ts, "SII lower");
        assert_near(r.sii.upper[k], want_t[k][1], ts, "SII upper");
        assert_near(r.rii.lower[k], want_t[k][2], tr, "RII lower");
        assert_near(r.rii.upper[k], want_t[k][3], tr, "RII upper");
    }
    /* fewer than 10 events in most deciles: exact Poisson limits feed the
     * standard errors */
    const double few[10] = {14, 12, 11, 9, 9, 8, 7, 6, 6, 5};
    o.transform = 0;
    o.levels = L95;
    assert_int_equal(csa_sii_rates(10, few, pop, 1000, &o, &r, NULL), CSA_OK);
    assert_rel(r.sii.value, -0.384660057557833557, 1e-9);
    assert_rel(r.rii.value, 0.248979212269907213, 1e-9);
    assert_rel(r.intercept, 0.512182969955387479, 1e-9);
    double ts = mc_tol(-0.689335482614940598, -0.092554760039645134, 95, 1e6);
    assert_near(r.sii.lower[0], -0.689335482614940598, ts, "SII lower");
    assert_near(r.sii.upper[0], -0.092554760039645134, ts, "SII upper");
}

static void sii_edge_cases(void **state)
{
    (void)state;
    csa_sii_options o;
    csa_sii_defaults(&o);
    o.repetitions = 1000;
    csa_sii_result r;
    csa_error err;
    double c[10], p[10];
    memcpy(c, cnt, sizeof c);
    memcpy(p, pop, sizeof p);
    /* a decile with no events: a rate of 0 has no log-scale error */
    c[9] = 0;
    assert_int_equal(csa_sii_rates(10, c, p, 1000, &o, &r, NULL), CSA_OK);
    assert_int_equal(r.sii.flags, CSA_INEQ_NO_INTERVAL);
    assert_false(isnan(r.sii.value));
    assert_true(isnan(r.sii.lower[0]) && isnan(r.rii.upper[0]));
    o.transform = 1;
    assert_int_equal(csa_sii_rates(10, c, p, 1000, &o, &r, NULL), CSA_OK);
    assert_true(isnan(r.sii.value) && isnan(r.rii.value));
    o.transform = 0;
    /* a decile with no people or a missing count: no SII, as phe_sii */
    c[9] = 410;
    p[2] = 0;
    assert_int_equal(csa_sii_rates(10, c, p, 1000, &o, &r, NULL), CSA_OK);
    assert_int_equal(r.sii.flags, CSA_INEQ_INCOMPLETE);
    assert_true(isnan(r.sii.value) && isnan(r.rii.value) && isnan(r.intercept));
    p[2] = pop[2];
    c[4] = NAN;
    assert_int_equal(csa_sii_rates(10, c, p, 1000, &o, &r, NULL), CSA_OK);
    assert_int_equal(r.rii.flags, CSA_INEQ_INCOMPLETE);
    /* errors */
    c[4] = -2;
    assert_int_equal(csa_sii_rates(10, c, p, 1000, &o, &r, &err), CSA_ERR_VALUE);
    assert_string_equal(err.message, "index 4: count -2 is not a whole number of 0 or more");
    assert_int_equal(csa_sii_rates(4, cnt, pop, 1000, &o, &r, &err), CSA_ERR_USAGE);
    assert_string_equal(err.message, "the SII needs 5 to 100 quantiles, not 4");
    o.repetitions = 999;
    assert_int_equal(csa_sii_rates(10, cnt, pop, 1000, &o, &r, &err), CSA_ERR_USAGE);
    o.repetitions = 1000;
    o.type = CSA_SII_RATE;
    o.transform = 1;
    assert_int_equal(csa_sii(10, rate1_pop, rate1_value, NULL, NULL, rate1_value, &o, &r, &err),
                     CSA_ERR_USAGE);
    assert_string_equal(err.message, "transform needs 95% limits, not standard errors");
    o.type = CSA_SII_OTHER;
    assert_int_equal(csa_sii(10, normal1_pop, normal1_value, normal1_lower, normal1_upper, NULL,
                             &o, &r, &err),
                     CSA_ERR_USAGE);
    o.transform = 0;
    o.type = CSA_SII_PROPORTION;
    assert_int_equal(csa_sii(10, normal1_pop, normal1_value, NULL, NULL, normal1_se, &o, &r,
                             &err),
                     CSA_ERR_VALUE);
    assert_string_equal(err.message,
                        "index 0: value 75.9335 is not a proportion between 0 and 1");
    double se[10];
    memcpy(se, normal1_se, sizeof se);
    se[3] = -1;
    o.type = CSA_SII_OTHER;
    assert_int_equal(csa_sii(10, normal1_pop, normal1_value, NULL, NULL, se, &o, &r, &err),
                     CSA_ERR_VALUE);
    assert_string_equal(err.message, "index 3: standard error -1 is negative");
}

/* ---- concentration ---- */

static const double ev[20] = {12, 40, 7, 0, 95, 23, 18, 5, 61, 30,
                              9, 14, 2, 150, 27, 11, 8, 36, 19, 4};
static const double lsoa_pop[20] = {1500, 1620, 1480, 1710, 1390, 1550, 1600, 1820, 1450, 1530,
                                    1660, 1590, 1700, 1410, 1580, 1490, 1750, 1520, 1610, 1640};

static void concentration_matches_r(void **state)
{
    (void)state;
    csa_concentration c;
    double lx[21], ly[21];
    size_t order[20];
    assert_int_equal(csa_concentration_compute(20, ev, lsoa_pop, 10, &c, lx, ly, order, NULL),
                     CSA_OK);
    assert_int_equal(c.areas, 20);
    assert_int_equal(c.excluded, 0);
    assert_rel(c.gini, 0.58912578421157635, 1e-12);
    assert_int_equal(c.top_areas, 2);
    assert_rel(c.top_share, 0.42907180385288968, 1e-12);
    assert_rel(c.total_events, 571, 0);
    /* R: order(ev / pop) - 1, cumsum(pop[o]) / sum(pop), cumsum(ev[o]) / sum(ev) */
    const size_t want_order[20] = {3, 12, 19, 7, 16, 2, 10, 15, 0, 11,
                                   6, 18, 5, 14, 9, 17, 1, 8, 4, 13};
    assert_memory_equal(order, want_order, sizeof order);
    assert_true(lx[0] == 0 && ly[0] == 0 && lx[20] == 1 && ly[20] == 1);
    assert_rel(lx[1], 0.054113924050632908, 1e-12);
    assert_rel(ly[2], 0.0035026269702276708, 1e-12);
    assert_rel(lx[10], 0.517088607594936689, 1e-12);
    assert_rel(ly[10], 0.1260945709281961480, 1e-12);
    assert_rel(ly[19], 0.7373029772329247056, 1e-12);
    /* places, each weighing the same */
    assert_int_equal(csa_concentration_compute(20, ev, NULL, 25, &c, NULL, NULL, NULL, NULL),
                     CSA_OK);
    assert_rel(c.gini, 0.56646234676007001, 1e-12);
    assert_int_equal(c.top_areas, 5);
    assert_rel(c.top_share, 0.66900175131348516, 1e-12);
}

static void concentration_edges(void **state)
{
    (void)state;
    double e[20], p[20];
    memcpy(e, ev, sizeof e);
    memcpy(p, lsoa_pop, sizeof p);
    e[3] = NAN;
    p[7] = 0;
    csa_concentration c;
    double lx[21], ly[21];
    assert_int_equal(csa_concentration_compute(20, e, p, 10, &c, lx, ly, NULL, NULL), CSA_OK);
    assert_int_equal(c.areas, 18);
    assert_int_equal(c.excluded, 2);
    assert_rel(c.gini, 0.55088238515271637, 1e-12);
    assert_true(lx[18] == 1 && ly[18] == 1);
    /* no events anywhere */
    double zero[5] = {0, 0, 0, 0, 0};
    assert_int_equal(csa_concentration_compute(5, zero, NULL, 10, &c, lx, ly, NULL, NULL), CSA_OK);
    assert_int_equal(c.flags, CSA_INEQ_NO_EVENTS);
    assert_true(isnan(c.gini) && isnan(c.top_share) && isnan(ly[3]));
    assert_true(c.total_events == 0 && lx[5] == 1);
    /* all in one place of five: 1 - 1/5 */
    double one[5] = {0, 0, 9, 0, 0};
    assert_int_equal(csa_concentration_compute(5, one, NULL, 10, &c, NULL, NULL, NULL, NULL),
                     CSA_OK);
    assert_rel(c.gini, 0.8, 1e-12);
    assert_rel(c.top_share, 1, 0);
    /* even: 0 */
    double even[4] = {3, 3, 3, 3};
    assert_int_equal(csa_concentration_compute(4, even, NULL, 10, &c, NULL, NULL, NULL, NULL),
                     CSA_OK);
    assert_true(fabs(c.gini) < 1e-15);
    assert_int_equal(csa_concentration_compute(0, even, NULL, 10, &c, lx, ly, NULL, NULL), CSA_OK);
    assert_int_equal(c.areas, 0);
    assert_true(isnan(c.gini));
    csa_error err;
    e[3] = -1;
    assert_int_equal(csa_concentration_compute(20, e, p, 10, &c, NULL, NULL, NULL, &err),
                     CSA_ERR_VALUE);
    assert_string_equal(err.message, "index 3: events -1 is not a number of 0 or more");
    assert_int_equal(csa_concentration_compute(20, ev, p, 0, &c, NULL, NULL, NULL, &err),
                     CSA_ERR_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quintile_rates_match_r),
        cmocka_unit_test(quintiles_propagate_missing),
        cmocka_unit_test(negative_count_names_the_decile),
        cmocka_unit_test(area_decile_rates_population_rule),
        cmocka_unit_test(gap_matches_poisson_test),
        cmocka_unit_test(gap_with_zero_events),
        cmocka_unit_test(sii_matches_phe_test_data),
        cmocka_unit_test(sii_is_reproducible),
        cmocka_unit_test(sii_of_proportions_from_counts),
        cmocka_unit_test(sii_from_counts_matches_r),
        cmocka_unit_test(sii_edge_cases),
        cmocka_unit_test(concentration_matches_r),
        cmocka_unit_test(concentration_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
