/* The assessment's readings and priorities, on runs built by hand: each
 * sentence and score is worked out here from the rule it states. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../assess/internal.h"

#define assert_close(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static csa_config cfg;

/* A run of n indicators over cfg, as the compute stage leaves it. */
static csa_assess *make_run(size_t n)
{
    cfg = (csa_config){.comparator = "England", .period_label = "October 2018 to December 2018",
                       .nindicators = n};
    cfg.indicators = calloc(n, sizeof *cfg.indicators);
    csa_assess *r = calloc(1, sizeof *r);
    assert_non_null(cfg.indicators);
    assert_non_null(r);
    r->cfg = &cfg;
    r->reports = as_calloc(r, n, sizeof *r->reports);
    r->extra = as_calloc(r, n, sizeof *r->extra);
    assert_false(r->nomem);
    for (size_t i = 0; i < n; i++) {
        cfg.indicators[i] = (csa_config_indicator){.harm = NAN, .priority = 1};
        r->reports[i] = (csa_indicator_report){.title = "Violence", .unit = "per 1,000 residents",
                                               .value = NAN, .lower = NAN, .upper = NAN,
                                               .comparator_value = NAN};
        r->extra[i] = (as_extra){2, 2, "No data", NAN, 2, false};
    }
    return r;
}

static void free_run(csa_assess *r)
{
    free(cfg.indicators);
    csa_assess_free(r);
}

static void test_readings(void **state)
{
    (void)state;
    csa_assess *r = make_run(1);
    csa_indicator_report *rep = &r->reports[0];
    as_extra *x = &r->extra[0];

    /* 1,765 crimes in 243,544 residents: 7.2472 per 1,000; England's 7.1
     * lies in its interval, so similar; two places from 1 to 10 */
    *rep = (csa_indicator_report){.title = "Violence", .unit = "per 1,000 residents",
                                  .value = 7.2472, .lower = 6.9111, .upper = 7.5960,
                                  .comparator_value = 7.1};
    as_compare(r, rep);
    assert_int_equal(rep->outcome, CSA_SIMILAR);
    assert_int_equal(rep->rag, CSA_RAG_AMBER);
    *x = (as_extra){0, 0, NULL, NAN, 2, false};
    as_reading(r, rep, as_fmt(r, "; %s over 3 months", as_trend_phrase(x, rep->polarity)));
    assert_string_equal(rep->reading, "Violence: 7.25 per 1,000 residents, similar to England "
                                      "(7.10); no significant change over 3 months.");

    /* an interval above the comparator, low is good: worse, and said as higher */
    rep->value = 12.34, rep->lower = 11.5, rep->upper = 13.2;
    as_compare(r, rep);
    assert_int_equal(rep->outcome, CSA_WORSE);
    *x = (as_extra){1, 1, NULL, NAN, 2, false};
    as_reading(r, rep, as_fmt(r, "; %s", as_trend_phrase(x, rep->polarity)));
    assert_string_equal(rep->reading, "Violence: 12.3 per 1,000 residents, significantly higher "
                                      "than England (7.1); getting worse.");

    /* high is good: the same rise is getting better; no judgement says rising */
    assert_int_equal(as_judged(1, CSA_POLARITY_HIGH_IS_GOOD), -1);
    assert_int_equal(as_judged(1, CSA_POLARITY_NO_JUDGEMENT), 0);
    assert_string_equal(as_trend_phrase(&(as_extra){0, 1, NULL, NAN, 2, false}, CSA_POLARITY_NO_JUDGEMENT),
                        "rising");
    assert_string_equal(as_trend_phrase(&(as_extra){2, 2, NULL, NAN, 2, false}, CSA_POLARITY_LOW_IS_GOOD),
                        "no trend yet");

    /* a percentage without comparator, below 1, and no figure at all */
    *rep = (csa_indicator_report){.title = "Feel safe", .unit = "%", .value = 45.26,
                                  .lower = 40, .upper = 50, .comparator_value = NAN};
    as_compare(r, rep);
    assert_int_equal(rep->outcome, CSA_NOT_COMPARED);
    as_reading(r, rep, NULL);
    assert_string_equal(rep->reading, "Feel safe: 45.3%.");
    rep->value = 0.1234;
    as_reading(r, rep, NULL);
    assert_string_equal(rep->reading, "Feel safe: 0.123%.");
    rep->value = NAN;
    as_reading(r, rep, NULL);
    assert_string_equal(rep->reading, "Feel safe: no figure for October 2018 to December 2018.");
    free_run(r);
}

/* a limit that rounds to 1.00 gets three places, on either side of 1 */
static void test_ratio_places(void **state)
{
    (void)state;
    assert_int_equal(as_ratio_places(1.06, 0.9983, 1.1359), 3); /* includes 1 */
    assert_int_equal(as_ratio_places(1.03, 1.0021, 1.0600), 3); /* excludes 1 */
    assert_int_equal(as_ratio_places(0.94, 0.8900, 0.9960), 3);
    assert_int_equal(as_ratio_places(1.07, 0.9558, 1.1949), 2);
    assert_int_equal(as_ratio_places(0.85, 0.7360, 0.9929), 2);
    /* on a trend band's edge (1.20, 0.80): which side of it */
    assert_int_equal(as_ratio_places(1.198, 1.1, 1.3), 3);
    assert_int_equal(as_ratio_places(0.8049, 0.7, 0.9), 3);
    assert_int_equal(as_ratio_places(1.21, 1.1, 1.3), 2);
}

static void test_priorities(void **state)
{
    (void)state;
    csa_assess *r = make_run(4);
    cfg.ncriteria = 3;
    cfg.criteria[0] = CSA_CRITERION_VOLUME, cfg.weights[CSA_CRITERION_VOLUME] = 2;
    cfg.criteria[1] = CSA_CRITERION_TREND, cfg.weights[CSA_CRITERION_TREND] = 1;
    cfg.criteria[2] = CSA_CRITERION_HARM, cfg.weights[CSA_CRITERION_HARM] = 1;
    /* volume: value / comparator 0.7 (1), 1.0 (3), 1.3 (5); high is good
     * turns 8 / 10 into 10 / 8 = 1.25 (5, the band starts there) */
    double value[4] = {7, 10, 13, 8}, harm[4] = {100, 10, NAN, 50};
    int direction[4] = {-1, 0, 1, 2};
    for (size_t i = 0; i < 4; i++) {
        r->reports[i].value = value[i], r->reports[i].comparator_value = 10;
        cfg.indicators[i].harm = harm[i];
        r->extra[i] = (as_extra){direction[i], direction[i], "words", NAN, 2, false};
    }
    r->reports[3].polarity = CSA_POLARITY_HIGH_IS_GOOD;
    assert_int_equal(as_score_priorities(r), CSA_OK);
    const csa_assessment *a = &r->result;
    assert_int_equal(a->npriorities, 4);
    /* harm = weight x value: 700, 100, none, 400; scaled 1 + 4 (v - 100) / 600:
     * 5, 1, 3 (none), 3 */
    static const double volume[4] = {1, 3, 5, 5}, trend[4] = {1, 3, 5, 3}, hs[4] = {5, 1, 3, 3};
    double total[4];
    for (size_t i = 0; i < 4; i++)
        total[i] = 2 * volume[i] + trend[i] + hs[i];
    /* totals 8, 10, 18, 16: ranks 3 (18), 4 (16), 2 (10), 1 (8) */
    static const size_t order[4] = {2, 3, 1, 0};
    for (size_t k = 0; k < 4; k++) {
        const csa_priority_report *p = &a->priorities[k];
        size_t i = order[k];
        assert_int_equal(p->indicator, i);
        assert_int_equal(p->rank, k + 1);
        assert_close(p->total, total[i]);
        assert_close(p->scores[0].score, volume[i]);
        assert_close(p->scores[0].weight, 2);
        assert_close(p->scores[1].score, trend[i]);
        assert_close(p->scores[2].score, hs[i]);
    }
    assert_string_equal(a->priorities[0].scores[0].value_text, "1.30 x England");
    assert_string_equal(a->priorities[1].scores[0].value_text, "1.25 x England");
    assert_string_equal(a->priorities[0].scores[2].value_text, "No harm weight");
    assert_string_equal(a->priorities[3].scores[2].value_text, "100 x 7.00 = 700.0");
    assert_string_equal(a->criteria[0].name, "Volume");
    /* a candidate left out of the priorities is not ranked */
    cfg.indicators[1].priority = 0;
    assert_int_equal(as_score_priorities(r), CSA_OK);
    assert_int_equal(r->result.npriorities, 3);
    free_run(r);
}

/* The trend criterion of a crime indicator: the rate ratio's band, with a
 * ratio of exactly 1.2 or 0.8 in the counts on the band though floating
 * point puts it a hair off (800 / 250014 over 1000 / 250014 is
 * 0.8000000000000002), and shown to three places there. */
static void test_trend_bands(void **state)
{
    (void)state;
    csa_assess *r = make_run(4);
    cfg.ncriteria = 1;
    cfg.criteria[0] = CSA_CRITERION_TREND, cfg.weights[CSA_CRITERION_TREND] = 1;
    const double pop = 250014, now[4] = {800, 1200, 820, 1180}, want[4] = {1, 5, 2, 4};
    for (size_t i = 0; i < 4; i++) {
        cfg.indicators[i].kind = &csa_kind_police;
        csa_indicator_report *p = &r->reports[i];
        p->value = now[i], p->comparator_value = NAN;
        p->ratio = (now[i] / pop) / (1000 / pop);
        p->ratio_lower = p->ratio * 0.9, p->ratio_upper = p->ratio * 1.1;
        p->change = "words";
        r->extra[i].ratio_significant = true;
    }
    assert_true(r->reports[0].ratio > 0.8); /* the hair this is about */
    assert_int_equal(as_score_priorities(r), CSA_OK);
    for (size_t k = 0; k < 4; k++) {
        const csa_priority_report *p = &r->result.priorities[k];
        assert_close(p->scores[0].score, want[p->indicator]);
    }
    for (size_t k = 0; k < 4; k++)
        if (r->result.priorities[k].indicator == 0)
            assert_string_equal(r->result.priorities[k].scores[0].value_text,
                                "0.800 (95% CI 0.720 to 0.880): a significant fall, getting "
                                "better");
    free_run(r);
}

static void test_criteria_names(void **state)
{
    (void)state;
    for (int c = 0; c < CSA_NCRITERIA; c++)
        assert_int_equal(csa_criterion_find(csa_criterion_name((csa_criterion)c)), c);
    assert_int_equal(csa_criterion_find("popularity"), CSA_NCRITERIA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_readings),
        cmocka_unit_test(test_ratio_places),
        cmocka_unit_test(test_trend_bands),
        cmocka_unit_test(test_priorities),
        cmocka_unit_test(test_criteria_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
