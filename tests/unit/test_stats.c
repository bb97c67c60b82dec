#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "csa/stats.h"

static void assert_rel(double got, double want, double tol)
{
    double rel = fabs(got - want) / fabs(want);
    if (rel > tol)
        fail_msg("got %.17g, want %.17g (relative error %.3g)", got, want, rel);
}

/* PHEindicatormethods' published test data: 65 events, 95% Byar limits
 * for the count. */
static void byar_matches_phe(void **state)
{
    (void)state;
    double lo, hi;
    unsigned flags = 0;
    assert_int_equal(csa_poisson_ci(65, 95, &lo, &hi, &flags, NULL), CSA_OK);
    assert_rel(lo, 50.163187710459454, 1e-9);
    assert_rel(hi, 82.849138545939837, 1e-9);
    assert_false(flags & CSA_RATE_EXACT);
}

/* Below 10 events the exact Poisson limits: 5 events. */
static void exact_below_ten(void **state)
{
    (void)state;
    double lo, hi;
    unsigned flags = 0;
    assert_int_equal(csa_poisson_ci(5, 95, &lo, &hi, &flags, NULL), CSA_OK);
    assert_rel(lo, 1.62348639, 1e-9);
    assert_rel(hi, 11.66833208, 1e-9);
    assert_true(flags & CSA_RATE_EXACT);
    /* zero events: lower limit 0, upper -ln(0.025) */
    assert_int_equal(csa_poisson_ci(0, 95, &lo, &hi, &flags, NULL), CSA_OK);
    assert_true(lo == 0);
    assert_rel(hi, -log(0.025), 1e-9);
    /* 9 is still exact, 10 is Byar */
    flags = 0;
    assert_int_equal(csa_poisson_ci(10, 95, &lo, &hi, &flags, NULL), CSA_OK);
    assert_false(flags & CSA_RATE_EXACT);
}

static void rate_scales_limits(void **state)
{
    (void)state;
    csa_rate r;
    assert_int_equal(csa_rate_crude(65, 13000, 1000, 95, &r, NULL), CSA_OK);
    assert_rel(r.value, 5.0, 1e-12);
    assert_rel(r.lower, 50.163187710459454 / 13, 1e-9);
    assert_rel(r.upper, 82.849138545939837 / 13, 1e-9);
    assert_int_equal(r.flags, 0);
}

static void zero_or_missing_population_is_no_rate(void **state)
{
    (void)state;
    csa_rate r;
    double denominators[] = {0, -5, NAN};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(csa_rate_crude(12, denominators[i], 1000, 95, &r, NULL), CSA_OK);
        assert_true(isnan(r.value) && isnan(r.lower) && isnan(r.upper));
        assert_true(r.flags & CSA_RATE_NO_DENOMINATOR);
    }
}

static void bad_counts_and_levels_are_errors(void **state)
{
    (void)state;
    double lo, hi;
    csa_error err;
    assert_int_equal(csa_poisson_ci(-1, 95, &lo, &hi, NULL, &err), CSA_ERR_VALUE);
    assert_int_equal(csa_poisson_ci(2.5, 95, &lo, &hi, NULL, &err), CSA_ERR_VALUE);
    assert_int_equal(csa_poisson_ci(NAN, 95, &lo, &hi, NULL, &err), CSA_ERR_VALUE);
    assert_int_equal(csa_poisson_ci(5, 100, &lo, &hi, NULL, &err), CSA_ERR_USAGE);
    assert_string_equal(err.message, "confidence level 100 is not between 0 and 100");
}

static void numbers_format_for_readers(void **state)
{
    (void)state;
    char buf[32];
    assert_string_equal(csa_format_number(18188, 0, buf, sizeof buf), "18,188");
    assert_string_equal(csa_format_number(17.456, 1, buf, sizeof buf), "17.5");
    assert_string_equal(csa_format_number(-1234567.891, 2, buf, sizeof buf), "-1,234,567.89");
    assert_string_equal(csa_format_number(999, 0, buf, sizeof buf), "999");
    assert_string_equal(csa_format_number(NAN, 0, buf, sizeof buf), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(byar_matches_phe),
        cmocka_unit_test(exact_below_ten),
        cmocka_unit_test(rate_scales_limits),
        cmocka_unit_test(zero_or_missing_population_is_no_rate),
        cmocka_unit_test(bad_counts_and_levels_are_errors),
        cmocka_unit_test(numbers_format_for_readers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
