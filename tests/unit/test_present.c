/* The display rules of csa/present.h, against values worked by hand. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csa/present.h"

/* One place from 10, two from 1, three below; one for 0 and no figure. */
static void headline_decimals(void **state)
{
    (void)state;
    assert_int_equal(csa_headline_decimals(20.5009), 1);
    assert_int_equal(csa_headline_decimals(10), 1);
    assert_int_equal(csa_headline_decimals(-12.3), 1);
    assert_int_equal(csa_headline_decimals(9.999), 2);
    assert_int_equal(csa_headline_decimals(7.2471504122), 2);
    assert_int_equal(csa_headline_decimals(1), 2);
    assert_int_equal(csa_headline_decimals(0.999), 3);
    assert_int_equal(csa_headline_decimals(0.042), 3);
    assert_int_equal(csa_headline_decimals(-0.5), 3);
    assert_int_equal(csa_headline_decimals(0), 1);
    assert_int_equal(csa_headline_decimals(NAN), 1);
}

/* The sample's violence rate, 1,765 / 243,544 x 1,000 = 7.2472: 7.25. */
static void figures(void **state)
{
    (void)state;
    char buf[64];
    double v = 1765.0 / 243544.0 * 1000.0;
    assert_string_equal(csa_format_figure(v, csa_headline_decimals(v), buf, sizeof buf),
                        "7.25");
    assert_string_equal(csa_format_figure(1234.56, 1, buf, sizeof buf), "1,234.6");
    assert_string_equal(csa_format_figure(-0.0421, 3, buf, sizeof buf), "-0.042");
    assert_string_equal(csa_format_figure(NAN, 2, buf, sizeof buf), "No figure");
}

/* Two places less their trailing zeros, as printed to two. */
static void scores(void **state)
{
    (void)state;
    char buf[64];
    assert_int_equal(csa_score_decimals(3), 0);
    assert_int_equal(csa_score_decimals(3.5), 1);
    assert_int_equal(csa_score_decimals(3.25), 2);
    assert_int_equal(csa_score_decimals(2.999), 0);
    assert_int_equal(csa_score_decimals(0.1), 1);
    assert_int_equal(csa_score_decimals(1e300), 0);
    assert_int_equal(csa_score_decimals(NAN), 0);
    assert_string_equal(csa_format_score(24, buf, sizeof buf), "24");
    assert_string_equal(csa_format_score(2.26, buf, sizeof buf), "2.26");
    assert_string_equal(csa_format_score(3.50, buf, sizeof buf), "3.5");
    assert_string_equal(csa_format_score(1234.5, buf, sizeof buf), "1,234.5");
    assert_string_equal(csa_format_score(NAN, buf, sizeof buf), "\u2013");
}

static void deciles(void **state)
{
    (void)state;
    const char *const *l = csa_decile_labels();
    assert_string_equal(l[0], "1 (most deprived)");
    assert_string_equal(l[1], "2");
    assert_string_equal(l[8], "9");
    assert_string_equal(l[9], "10 (least deprived)");
}

static void excel_formats(void **state)
{
    (void)state;
    char buf[CSA_EXCEL_FORMAT_MAX];
    assert_string_equal(csa_excel_number_format(0, buf), "#,##0");
    assert_string_equal(csa_excel_number_format(-1, buf), "#,##0");
    assert_string_equal(csa_excel_number_format(2, buf), "#,##0.00");
    assert_string_equal(csa_excel_number_format(10, buf), "#,##0.0000000000");
    assert_string_equal(csa_excel_number_format(12, buf), "#,##0.0000000000");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(headline_decimals), cmocka_unit_test(figures),
        cmocka_unit_test(scores),            cmocka_unit_test(deciles),
        cmocka_unit_test(excel_formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
