/* Reference values: R 4.2.2, base R only, formulas written independently
 * of csa:
 *   k <- !is.na(a) & w > 0; a <- a[k]; w <- w[k]
 *   p <- sum(w * a) / sum(w); neff <- sum(w)^2 / sum(w^2); deff <- length(a) / neff
 *   prop.test(p * neff, neff, correct = FALSE)$conf.int     # Wilson's interval
 *   prop.test(c(p1 n1, p2 n2), c(n1, n2), correct = FALSE)  # z^2 = X-squared, p-value
 *   Newcombe (1998) method 10: d -/+ sqrt((p2 - l2)^2 + (u1 - p1)^2) etc.
 * on the two small waves below. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "csa/survey.h"

static void assert_rel(double got, double want, double tol)
{
    double rel = want == 0 ? fabs(got) : fabs(got - want) / fabs(want);
    if (!(rel <= tol))
        fail_msg("got %.17g, want %.17g (relative error %.3g)", got, want, rel);
}

static const csa_levels L95 = {1, {95}};
static const csa_levels L95_998 = {2, {95, 99.8}};

#define N1 24
static const double answer1[N1] = {1, 0, 1, 1, NAN, 0, 1, 0, 0, 1, 1, 1,
                                   0, NAN, 1, 0, 1, 1, 0, 1, 0, 0, 1, 1};
static const double weight1[N1] = {1.2,  0.8,  1.5, 0.6,  1.0,  2.1, 0.9,  1.3,
                                   0.7,  1.1,  1.8, 0.5,  1.4,  1.0, 0.95, 1.05,
                                   2.4,  0.75, 1.15, 0.85, 1.6, 0.65, 1.25, 1.0};
static const uint32_t area1[N1] = {0, 0, 0, 1, 1, 1, 2, 2, 2, 0, 0, 1,
                                   1, 2, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2};
static const uint32_t group1[N1] = {0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1,
                                    0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1};
#define N2 28
static const double answer2[N2] = {1, 1, 1, 0, 1, 1, NAN, 1, 0, 1, 1, 1, 0, 1,
                                   1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1};
static const double weight2[N2] = {0.9, 1.1,  1.4,  0.7, 1.0,  1.6,  1.2,  0.8, 1.3,  0.6,
                                   1.5, 1.05, 0.95, 2.2, 0.55, 1.0,  1.1,  0.9, 1.7,  0.75,
                                   1.25, 0.85, 1.35, 1.0, 0.8, 1.2, 1.45, 0.65};

static void check(const csa_survey_proportion *s, size_t n, size_t yes, double p, double neff,
                  double deff, double lo, double hi)
{
    assert_int_equal(s->respondents, n);
    assert_int_equal(s->yes, yes);
    assert_rel(s->p.value, p, 1e-12);
    assert_rel(s->n_eff, neff, 1e-12);
    assert_rel(s->deff, deff, 1e-12);
    assert_rel(s->p.lower[0], lo, 1e-9);
    assert_rel(s->p.upper[0], hi, 1e-9);
    assert_int_equal(s->p.flags, 0);
}

static void weighted_proportion_matches_r(void **state)
{
    (void)state;
    csa_survey_proportion s;
    assert_int_equal(csa_survey_proportion_compute(N1, answer1, weight1, &L95_998, &s, NULL),
                     CSA_OK);
    check(&s, 22, 13, 0.57925636007827785, 18.83038869257950410, 1.16832426346406471,
          0.36217238107445937, 0.76948235643727148);
    assert_rel(s.p.lower[1], 0.26497690564251458, 1e-9);
    assert_rel(s.p.upper[1], 0.84019800924931898, 1e-9);
    /* no weights: n_eff = n, deff = 1, plain Wilson */
    assert_int_equal(csa_survey_proportion_compute(N1, answer1, NULL, &L95, &s, NULL), CSA_OK);
    check(&s, 22, 13, 0.59090909090909094, 22, 1, 0.38734818476315130, 0.76744183803528132);
}

static void breakdowns_match_r(void **state)
{
    (void)state;
    csa_survey_proportion by_area[3], by_group[2], cross[6];
    assert_int_equal(csa_survey_by_group(N1, answer1, weight1, area1, 3, &L95, by_area, NULL),
                     CSA_OK);
    check(&by_area[0], 8, 4, 0.60540540540540533, 7.35863255213932543, 1.08715850986121243,
          0.28073523586199045, 0.85777071405713667);
    check(&by_area[1], 7, 5, 0.61538461538461542, 5.51148086522462499, 1.27007607776838571,
          0.25262361129674155, 0.88336360153454518);
    check(&by_area[2], 7, 4, 0.5, 6.46787273861509693, 1.08227237654320985,
          0.19478713066803913, 0.80521286933196079);
    assert_int_equal(csa_survey_by_group(N1, answer1, weight1, group1, 2, &L95, by_group, NULL),
                     CSA_OK);
    check(&by_group[0], 11, 7, 0.67340067340067344, 9.89001009081735560, 1.11223344556677906,
          0.37214484403576742, 0.87763679560360230);
    check(&by_group[1], 11, 6, 0.44859813084112143, 9.25545675020210368, 1.18848807756135888,
          0.19389735078496032, 0.73345229512147758);
    assert_int_equal(csa_survey_by_area_group(N1, answer1, weight1, area1, 3, group1, 2, &L95,
                                              cross, NULL),
                     CSA_OK);
    check(&cross[1 * 2 + 0], 3, 2, 0.72277227722772275, 2.74737409103151098,
          1.09195176943436922, 0.22725163716606261, 0.95852899829862970);
    size_t total = 0;
    for (size_t c = 0; c < 6; c++)
        total += cross[c].respondents;
    assert_int_equal(total, 22);
}

static void missing_and_zero_weights(void **state)
{
    (void)state;
    /* NaN and 0 weights leave respondents out; so does CSA_SURVEY_NO_GROUP */
    double a[6] = {1, 0, 1, 1, 0, NAN};
    double w[6] = {1, NAN, 0, 2, 1, 1};
    uint32_t g[6] = {0, 0, CSA_SURVEY_NO_GROUP, 2, 0, 2};
    csa_survey_proportion s, by[3];
    assert_int_equal(csa_survey_proportion_compute(6, a, w, &L95, &s, NULL), CSA_OK);
    assert_int_equal(s.respondents, 3);
    assert_int_equal(s.yes, 2);
    assert_rel(s.p.value, 3.0 / 4, 1e-15);
    assert_rel(s.n_eff, 16.0 / 6, 1e-15);
    assert_int_equal(csa_survey_by_group(6, a, w, g, 3, &L95, by, NULL), CSA_OK);
    assert_int_equal(by[0].respondents, 2);
    assert_int_equal(by[2].respondents, 1);
    /* nobody in group 1 */
    assert_int_equal(by[1].respondents, 0);
    assert_int_equal(by[1].p.flags, CSA_SURVEY_NO_RESPONSES);
    assert_true(isnan(by[1].p.value) && isnan(by[1].p.lower[0]) && isnan(by[1].n_eff));
    /* everyone yes: the upper limit is 1 */
    double yes[3] = {1, 1, 1}, wy[3] = {0.3, 1.7, 1.1};
    assert_int_equal(csa_survey_proportion_compute(3, yes, wy, &L95, &s, NULL), CSA_OK);
    assert_true(s.p.value == 1 && s.p.upper[0] == 1 && s.p.lower[0] < 1);
    /* no respondents at all */
    assert_int_equal(csa_survey_proportion_compute(0, yes, wy, &L95, &s, NULL), CSA_OK);
    assert_int_equal(s.p.flags, CSA_SURVEY_NO_RESPONSES);
}

static void bad_inputs_name_the_respondent(void **state)
{
    (void)state;
    csa_survey_proportion s, by[2];
    csa_error err;
    double a[3] = {1, 2, 0}, w[3] = {1, 1, -0.5};
    assert_int_equal(csa_survey_proportion_compute(3, a, NULL, &L95, &s, &err), CSA_ERR_VALUE);
    assert_string_equal(err.message, "respondent 1: answer 2 is not 1 (yes), 0 (no) or missing");
    a[1] = 0;
    assert_int_equal(csa_survey_proportion_compute(3, a, w, &L95, &s, &err), CSA_ERR_VALUE);
    assert_string_equal(err.message, "respondent 2: weight -0.5 is not a number of 0 or more");
    uint32_t g[3] = {0, 1, 2};
    assert_int_equal(csa_survey_by_group(3, a, NULL, g, 2, &L95, by, &err), CSA_ERR_VALUE);
    assert_string_equal(err.message, "respondent 2: group code 2 is not below 2");
    csa_levels bad = {1, {100}};
    assert_int_equal(csa_survey_proportion_compute(3, a, NULL, &bad, &s, &err), CSA_ERR_USAGE);
    assert_int_equal(csa_survey_by_area_group(3, a, NULL, g, SIZE_MAX, g, 2, &L95, by, &err),
                     CSA_ERR_NOMEM);
}

static void change_between_waves_matches_r(void **state)
{
    (void)state;
    csa_survey_proportion before, after;
    assert_int_equal(csa_survey_proportion_compute(N1, answer1, weight1, &L95, &before, NULL),
                     CSA_OK);
    assert_int_equal(csa_survey_proportion_compute(N2, answer2, weight2, &L95, &after, NULL),
                     CSA_OK);
    check(&after, 27, 21, 0.79426644182124784, 24.21658287996694625, 1.11493847558218562,
          0.59907350649599911, 0.90888266187688638);
    csa_survey_change c;
    csa_levels levels = {2, {80, 95}};
    assert_int_equal(csa_survey_change_compute(&before, &after, &levels, &c, NULL), CSA_OK);
    assert_rel(c.difference.value, 0.215010081742969983, 1e-12);
    assert_rel(c.difference.lower[1], -0.057544888293642238, 1e-9);
    assert_rel(c.difference.upper[1], 0.460493954614433543, 1e-9);
    assert_rel(c.z, 1.527397374837079, 1e-9);
    assert_rel(c.p_value, 0.12666222884314579, 1e-9);
    /* significant at 80% (p < 0.2), not at 95% */
    assert_true(c.significant[0]);
    assert_false(c.significant[1]);
    /* the other way round: the same test, the sign turned over */
    assert_int_equal(csa_survey_change_compute(&after, &before, &levels, &c, NULL), CSA_OK);
    assert_rel(c.z, -1.527397374837079, 1e-9);
    assert_rel(c.difference.upper[1], 0.057544888293642238, 1e-9);
}

static void change_edge_cases(void **state)
{
    (void)state;
    double no[3] = {0, 0, 0};
    csa_survey_proportion a, b, empty;
    assert_int_equal(csa_survey_proportion_compute(3, no, NULL, &L95, &a, NULL), CSA_OK);
    assert_int_equal(csa_survey_proportion_compute(3, no, NULL, &L95, &b, NULL), CSA_OK);
    csa_survey_change c;
    assert_int_equal(csa_survey_change_compute(&a, &b, &L95, &c, NULL), CSA_OK);
    assert_true(c.difference.value == 0 && c.z == 0 && c.p_value == 1);
    assert_false(c.significant[0]);
    assert_true(c.difference.lower[0] < 0 && c.difference.upper[0] > 0);
    assert_int_equal(csa_survey_proportion_compute(0, no, NULL, &L95, &empty, NULL), CSA_OK);
    assert_int_equal(csa_survey_change_compute(&a, &empty, &L95, &c, NULL), CSA_OK);
    assert_int_equal(c.difference.flags, CSA_SURVEY_NO_RESPONSES);
    assert_true(isnan(c.difference.value) && isnan(c.z) && isnan(c.p_value));
}

static double answer_of(const char *text, const char *const *answers, size_t nanswers)
{
    double v = -1;
    assert_int_equal(csa_survey_answer_read(text, strlen(text), answers, nanswers, &v, NULL),
                     CSA_OK);
    return v;
}

static void answers_read_one_way(void **state)
{
    (void)state;
    /* no list: the yes and no words, any case, spaces around them ignored */
    static const char *const yes[] = {"yes", "Yes", "Y", "1", "TRUE", " yes\t"};
    static const char *const no[] = {"no", "NO", "n", "0", "False", "  no "};
    for (size_t i = 0; i < 6; i++) {
        assert_true(answer_of(yes[i], NULL, 0) == 1);
        assert_true(answer_of(no[i], NULL, 0) == 0);
    }
    assert_true(isnan(answer_of("", NULL, 0)));
    assert_true(isnan(answer_of("   ", NULL, 0)));
    /* the length is the text: "yesterday" cut at 3 is "yes" */
    double v;
    assert_int_equal(csa_survey_answer_read("yesterday", 3, NULL, 0, &v, NULL), CSA_OK);
    assert_true(v == 1);
    /* anything else is an error naming the value */
    csa_error err;
    assert_int_equal(csa_survey_answer_read("maybe ", 6, NULL, 0, &v, &err), CSA_ERR_VALUE);
    assert_string_equal(err.value, "maybe");
    assert_string_equal(err.message, "\"maybe\" is not an answer (Yes, No, 1, 0 or blank)");
    assert_int_equal(csa_survey_answer_read("yess", 4, NULL, 0, &v, &err), CSA_ERR_VALUE);
    /* with a list: its answers (any case) are 1, other text 0, blank missing */
    static const char *const safe[] = {"Very safe", "Fairly safe"};
    assert_true(answer_of("very safe", safe, 2) == 1);
    assert_true(answer_of("FAIRLY SAFE ", safe, 2) == 1);
    assert_true(answer_of("Fairly unsafe", safe, 2) == 0);
    assert_true(answer_of("Yes", safe, 2) == 0);
    assert_true(answer_of("Very safe indeed", safe, 2) == 0);
    assert_true(isnan(answer_of(" ", safe, 2)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(weighted_proportion_matches_r),
        cmocka_unit_test(breakdowns_match_r),
        cmocka_unit_test(missing_and_zero_weights),
        cmocka_unit_test(bad_inputs_name_the_respondent),
        cmocka_unit_test(change_between_waves_matches_r),
        cmocka_unit_test(change_edge_cases),
        cmocka_unit_test(answers_read_one_way),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
