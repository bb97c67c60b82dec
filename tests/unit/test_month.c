/* Months and periods (csa/month.h). Day numbers are Python's
 * (date(y, m, d) - date(1970, 1, 1)).days. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "csa/month.h"

enum {
    JAN_1969 = -365, DEC_1969 = -31, JAN_1900 = -25567, DEC_2200 = 84340,
    FEB_2000 = 10988, FEB_2016 = 16832, FEB_29_2016 = 16860, MAR_2016 = 16861,
    OCT_2015 = 16709, JAN_2017 = 17167, DEC_2017 = 17501, JAN_2018 = 17532,
    APR_2018 = 17622, JUN_30_2018 = 17712, SEP_2018 = 17775, OCT_2018 = 17805,
    DEC_2018 = 17866, JAN_2019 = 17897, MAR_2019 = 17956, JAN_2020 = 18262,
};

static void make_carries_into_the_year(void **state)
{
    (void)state;
    assert_int_equal(csa_month_make(1970, 1), 0);
    assert_int_equal(csa_month_make(1969, 12), DEC_1969);
    assert_int_equal(csa_month_make(2018, 1), JAN_2018);
    assert_int_equal(csa_month_make(2018, 13), JAN_2019);
    assert_int_equal(csa_month_make(2018, 0), DEC_2017);
    assert_int_equal(csa_month_make(2018, -11), JAN_2017);
    assert_int_equal(csa_month_make(2018, -12), DEC_2017 - 365);
    assert_int_equal(csa_month_make(2018, 25), JAN_2020);
    assert_int_equal(csa_month_make(1900, 1), JAN_1900);
    assert_int_equal(csa_month_make(2200, 12), DEC_2200);
}

static void of_add_diff_split(void **state)
{
    (void)state;
    assert_int_equal(csa_month_of(JUN_30_2018), JUN_30_2018 - 29);
    assert_int_equal(csa_month_of(FEB_29_2016), FEB_2016);
    assert_int_equal(csa_month_of(MAR_2016 - 1), FEB_2016);
    assert_int_equal(csa_month_of(-1), DEC_1969);
    assert_int_equal(csa_month_of(JAN_2018), JAN_2018);
    /* across year ends, both ways, and from a day inside the month */
    assert_int_equal(csa_month_add(DEC_2018, 1), JAN_2019);
    assert_int_equal(csa_month_add(JAN_2019, -1), DEC_2018);
    assert_int_equal(csa_month_add(JAN_2019, -13), DEC_2017);
    assert_int_equal(csa_month_add(JUN_30_2018, 3), SEP_2018);
    assert_int_equal(csa_month_add(JUN_30_2018, 0), JUN_30_2018 - 29);
    assert_int_equal(csa_month_add(MAR_2019, -11), APR_2018);
    assert_int_equal(csa_month_add(0, -12), JAN_1969);
    assert_int_equal(csa_month_add(JAN_1969, 12), 0);
    assert_int_equal(csa_month_add(OCT_2015, 27), JAN_2018);
    assert_int_equal(csa_month_diff(JAN_2019, DEC_2018), 1);
    assert_int_equal(csa_month_diff(DEC_2018, JAN_2019), -1);
    assert_int_equal(csa_month_diff(MAR_2019, APR_2018), 11);
    assert_int_equal(csa_month_diff(JUN_30_2018, JAN_2018), 5);
    assert_int_equal(csa_month_diff(JAN_2018, OCT_2015), 27);
    assert_int_equal(csa_month_diff(JAN_1969, 0), -12);
    assert_int_equal(csa_month_diff(DEC_2200, JAN_1900), 301 * 12 - 1);
    int y, m;
    csa_month_split(JUN_30_2018, &y, &m);
    assert_int_equal(y, 2018), assert_int_equal(m, 6);
    csa_month_split(DEC_1969, &y, &m);
    assert_int_equal(y, 1969), assert_int_equal(m, 12);
    csa_month_split(FEB_2000, &y, &m);
    assert_int_equal(y, 2000), assert_int_equal(m, 2);
    /* every month of 1900 to 2200 round trips, and follows the last */
    for (int yy = 1900; yy <= 2200; yy++)
        for (int mm = 1; mm <= 12; mm++) {
            int32_t d = csa_month_make(yy, mm);
            csa_month_split(d, &y, &m);
            assert_int_equal(y, yy), assert_int_equal(m, mm);
            assert_int_equal(csa_month_of(d + 27), d);
            bool leap = yy % 4 == 0 && (yy % 100 != 0 || yy % 400 == 0);
            int days = mm == 2 ? 28 + leap : mm == 4 || mm == 6 || mm == 9 || mm == 11 ? 30 : 31;
            assert_int_equal(csa_month_add(d, 1) - d, days);
        }
}

static void index_within_a_period(void **state)
{
    (void)state;
    assert_int_equal(csa_month_index(APR_2018, MAR_2019, APR_2018), 0);
    assert_int_equal(csa_month_index(APR_2018, MAR_2019, JUN_30_2018), 2);
    assert_int_equal(csa_month_index(APR_2018, MAR_2019, JAN_2019), 9);
    assert_int_equal(csa_month_index(APR_2018, MAR_2019, MAR_2019 + 30), 11);
    assert_int_equal(csa_month_index(APR_2018, MAR_2019, MAR_2019 + 31), -1);
    assert_int_equal(csa_month_index(APR_2018, MAR_2019, APR_2018 - 1), -1);
    assert_int_equal(csa_month_index(OCT_2018, OCT_2018, OCT_2018 + 5), 0);
}

static void times_of_day_and_weekdays(void **state)
{
    (void)state;
    assert_int_equal(csa_time_minutes("00:00", 5), 0);
    assert_int_equal(csa_time_minutes("23:59", 5), 23 * 60 + 59);
    assert_int_equal(csa_time_minutes("9:05", 4), 9 * 60 + 5);
    assert_int_equal(csa_time_minutes(" 22:30 ", 7), 22 * 60 + 30);
    static const char *const bad[] = {"25:00", "24:00", "12:60", "9.30", "930", "", ":30",
                                      "12:3", "1:2:3", "ab:cd", "123:00"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (csa_time_minutes(bad[i], strlen(bad[i])) != -1)
            fail_msg("'%s' read as a time", bad[i]);
    assert_int_equal(csa_weekday(0), 3);                            /* 1970-01-01, Thursday */
    assert_int_equal(csa_weekday(OCT_2018), 0);                     /* 2018-10-01, Monday */
    assert_int_equal(csa_weekday(OCT_2018 + 5), 5);                 /* 2018-10-06, Saturday */
    assert_int_equal(csa_weekday(csa_month_make(1969, 12) + 27), 6); /* 1969-12-28, Sunday */
}

static void labels(void **state)
{
    (void)state;
    static const char *const names[] = {"January", "February", "March", "April", "May",
                                        "June", "July", "August", "September", "October",
                                        "November", "December"};
    for (int m = 1; m <= 12; m++)
        assert_string_equal(csa_month_name(m), names[m - 1]);
    assert_string_equal(csa_month_name(13), "January");
    assert_string_equal(csa_month_name(0), "December");
    assert_string_equal(csa_month_name(-12), "December");
    char buf[CSA_MONTH_TEXT_MAX], range[CSA_PERIOD_TEXT_MAX];
    assert_string_equal(csa_month_label(JAN_2018, CSA_MONTH_SHORT, buf), "Jan 2018");
    assert_string_equal(csa_month_label(JAN_2018, CSA_MONTH_LONG, buf), "January 2018");
    assert_string_equal(csa_month_label(JAN_2018, CSA_MONTH_ISO, buf), "2018-01");
    assert_string_equal(csa_month_label(JUN_30_2018, CSA_MONTH_SHORT, buf), "Jun 2018");
    assert_string_equal(csa_month_label(SEP_2018, CSA_MONTH_LONG, buf), "September 2018");
    assert_string_equal(csa_month_label(SEP_2018, CSA_MONTH_SHORT, buf), "Sep 2018");
    assert_string_equal(csa_month_label(DEC_1969, CSA_MONTH_ISO, buf), "1969-12");
    assert_string_equal(csa_month_label(csa_month_make(2018, 5), CSA_MONTH_SHORT, buf),
                        "May 2018");
    assert_string_equal(csa_month_range_label(JAN_2018, csa_month_make(2018, 3), CSA_MONTH_LONG,
                                              range),
                        "January 2018 to March 2018");
    assert_string_equal(csa_month_range_label(JAN_2018, SEP_2018, CSA_MONTH_SHORT, range),
                        "Jan 2018 to Sep 2018");
    assert_string_equal(csa_month_range_label(APR_2018, MAR_2019, CSA_MONTH_ISO, range),
                        "2018-04 to 2019-03");
    /* one month is given once, whichever of its days are passed */
    assert_string_equal(csa_month_range_label(SEP_2018, SEP_2018 + 10, CSA_MONTH_SHORT, range),
                        "Sep 2018");
    assert_string_equal(csa_month_range_label(DEC_2018, DEC_2018, CSA_MONTH_LONG, range),
                        "December 2018");
}

static void period_is(const char *s, int32_t first, int32_t last)
{
    int32_t a = 0, b = 0;
    csa_error err = {0};
    if (csa_period_parse(s, &a, &b, &err))
        fail_msg("'%s': %s", s, err.message);
    assert_int_equal(a, first);
    assert_int_equal(b, last);
}

static void every_period_form(void **state)
{
    (void)state;
    period_is("2018/19", APR_2018, MAR_2019);
    period_is("1999/00", csa_month_make(1999, 4), csa_month_make(2000, 3));
    period_is("12 months to 2019-03", APR_2018, MAR_2019);
    period_is("4 quarters to 2019-03", APR_2018, MAR_2019);
    period_is("four quarters to 2019-03", APR_2018, MAR_2019);
    period_is("3 months to 2018-12", OCT_2018, DEC_2018);
    period_is("1 quarters to 2019-01", csa_month_make(2018, 11), JAN_2019);
    period_is("2018-04 to 2019-03", APR_2018, MAR_2019);
    period_is("2018-04:2019-03", APR_2018, MAR_2019);
    period_is("2018-10:2018-10", OCT_2018, OCT_2018);
    period_is("2018-10", OCT_2018, OCT_2018);
    period_is("1900-01", JAN_1900, JAN_1900);
    period_is("2200-12", DEC_2200, DEC_2200);
}

/* s is refused with exactly this message, and err names the whole value */
static void refused(const char *s, const char *message)
{
    int32_t a = 7, b = 7;
    csa_error err = {0};
    assert_int_equal(csa_period_parse(s, &a, &b, &err), CSA_ERR_USAGE);
    assert_string_equal(err.message, message);
    assert_string_equal(err.value, s);
    assert_int_equal(err.line, 0);
    assert_string_equal(err.file, "");
}

static void bad_periods_are_named(void **state)
{
    (void)state;
    static const char forms[] =
        "is not a period: write a financial year (2018/19), a run of months (2018-10 to "
        "2018-12 or 2018-10:2018-12), a rolling year (12 months to 2018-12 or 4 quarters to "
        "2018-12) or one month (2018-10)";
    char want[CSA_ERROR_MESSAGE_MAX];
    refused("2018/20", "'2018/20' is not a financial year: the second year follows the first, "
                       "as in 2018/19");
    refused("2018/18", "'2018/18' is not a financial year: the second year follows the first, "
                       "as in 2018/19");
    refused("2019-13", "'2019-13' is not a month: months run from 01 to 12");
    refused("2019-00", "'2019-00' is not a month: months run from 01 to 12");
    refused("2018-12 to 2018-10", "'2018-12 to 2018-10' ends before it starts");
    refused("2019-01:2018-12", "'2019-01:2018-12' ends before it starts");
    refused("2018-10 to 2018-12 and more",
            "'2018-12 and more' is not a month: write it as YYYY-MM, such as 2018-10");
    refused("2018-10:2018-1", "'2018-1' is not a month: write it as YYYY-MM, such as 2018-10");
    refused("2018-1x to 2018-12",
            "'2018-1x' is not a month: write it as YYYY-MM, such as 2018-10");
    refused("2018-10:", "'' is not a month: write it as YYYY-MM, such as 2018-10");
    refused("13 weeks to 2018-12",
            "'13 weeks' is not a month: write it as YYYY-MM, such as 2018-10");
    refused("1899-12", "'1899-12' is outside the years csa reads (1900 to 2200)");
    refused("2201-01", "'2201-01' is outside the years csa reads (1900 to 2200)");
    refused("2200/01", "'2200/01' is outside the years csa reads (1900 to 2200)");
    refused("12 months to 1900-06",
            "'12 months to 1900-06' starts before 1900, the first year csa reads");
    static const char *const not_periods[] = {"", "2018/19 ", " 2018/19", "2018/19x",
                                              "2018-10x", "2018/2019", "FY 2018/19",
                                              "2018-10-15", "15/10/2018"};
    for (size_t i = 0; i < sizeof not_periods / sizeof not_periods[0]; i++) {
        snprintf(want, sizeof want, "'%s' %s", not_periods[i], forms);
        refused(not_periods[i], want);
    }
    /* NULL err: the status alone */
    int32_t a, b;
    assert_int_equal(csa_period_parse("2018/20", &a, &b, NULL), CSA_ERR_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(make_carries_into_the_year),
        cmocka_unit_test(of_add_diff_split),
        cmocka_unit_test(index_within_a_period),
        cmocka_unit_test(times_of_day_and_weekdays),
        cmocka_unit_test(labels),
        cmocka_unit_test(every_period_form),
        cmocka_unit_test(bad_periods_are_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
