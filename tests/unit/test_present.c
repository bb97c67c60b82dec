/* The display rules of csa/present.h, against values worked by hand. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csa/present.h"
#include "csa/table.h"

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

/* The sample's violence figures, as every output writes them. */
static void indicator_words(void **state)
{
    (void)state;
    char buf[CSA_CELL_MAX];
    csa_indicator_report ind = {
        .name = "violence", .unit = "per 1,000 residents", .count = 1765,
        .denominator = 243544, .value = 1765.0 / 243544.0 * 1000.0, .lower = 6.9126,
        .upper = 7.5958, .comparator = "England", .comparator_value = 7.1,
        .polarity = CSA_POLARITY_LOW_IS_GOOD, .compared_with = "Oct 2017 to Dec 2017"};
    assert_string_equal(csa_indicator_title(&ind), "violence");
    assert_string_equal(csa_format_headline(&ind, buf, sizeof buf), "7.25");
    assert_string_equal(csa_format_interval(&ind, buf, sizeof buf), "95% interval 6.91 to 7.60");
    assert_string_equal(csa_format_count(&ind, buf, sizeof buf), "Count 1,765 of 243,544");
    assert_string_equal(csa_format_comparator(&ind, buf, sizeof buf), "England: 7.10");
    assert_string_equal(csa_polarity_text(ind.polarity), "Lower is better");
    assert_string_equal(csa_format_change_label(&ind, buf, sizeof buf),
                        "Change on Oct 2017 to Dec 2017");
    assert_string_equal(csa_trend_text(&ind), "No trend");
    /* a percentage: the sign on every figure, none on no figure */
    csa_indicator_report pc = {.title = "Feel safe", .unit = "%", .value = 57.71,
                               .lower = 55.04, .upper = 60.33, .count = NAN,
                               .comparator_value = NAN};
    assert_string_equal(csa_format_headline(&pc, buf, sizeof buf), "57.7%");
    assert_string_equal(csa_format_interval(&pc, buf, sizeof buf), "95% interval 55.0% to 60.3%");
    assert_string_equal(csa_format_count(&pc, buf, sizeof buf), "");
    assert_string_equal(csa_format_comparator(&pc, buf, sizeof buf), "No comparator");
    assert_string_equal(csa_format_change_label(&pc, buf, sizeof buf), "Change");
    pc.value = NAN, pc.lower = NAN;
    assert_string_equal(csa_format_headline(&pc, buf, sizeof buf), "No figure");
    assert_string_equal(csa_format_interval(&pc, buf, sizeof buf), "");
}

/* Ranked indicators first in rank order, then the rest in config order;
 * the top priority's sum spelled out. */
static void priority_words(void **state)
{
    (void)state;
    char buf[CSA_CELL_MAX];
    csa_indicator_report inds[3] = {{.title = "A", .theme = "Crime"},
                                    {.title = "B", .theme = "Crime"},
                                    {.title = "C", .theme = "Survey"}};
    csa_priority_score s2[2] = {{.value_text = "1.23 x England", .score = 4, .weight = 2},
                                {.value_text = "Worse", .score = 2.5, .weight = 1}};
    csa_priority_score s0[2] = {{.score = 1, .weight = 2}, {.score = 1, .weight = 1}};
    csa_priority_report pr[2] = {{.indicator = 2, .rank = 1, .total = 10.5, .scores = s2},
                                 {.indicator = 0, .rank = 2, .total = 3, .scores = s0}};
    csa_assessment a = {.indicators = inds, .nindicators = 3, .priorities = pr,
                        .npriorities = 2, .ncriteria = 2};
    size_t order[3];
    assert_int_equal(csa_indicator_order(&a, order), 3);
    assert_int_equal(order[0], 2);
    assert_int_equal(order[1], 0);
    assert_int_equal(order[2], 1);
    assert_string_equal(csa_format_rank_label(&a, 2, buf, sizeof buf), "1. C");
    assert_string_equal(csa_format_rank_label(&a, 1, buf, sizeof buf), "B (not ranked)");
    assert_string_equal(csa_format_rank_line(&a, 0, buf, sizeof buf),
                        "Crime \u00b7 Priority 2 of 2");
    assert_string_equal(csa_format_rank_line(&a, 1, buf, sizeof buf), "Crime \u00b7 Not ranked");
    assert_string_equal(csa_format_priority_cell(&s2[1], buf, sizeof buf),
                        "Worse\nscore 2.5 \u00d7 weight 1");
    assert_string_equal(csa_format_priority_cell(&s0[0], buf, sizeof buf),
                        "\u2013\nscore 1 \u00d7 weight 2");
    assert_string_equal(csa_format_priority_sum(&a, buf, sizeof buf),
                        "How totals are made: each total is the sum of score \u00d7 weight over "
                        "the criteria. For C: 4 \u00d7 2 + 2.5 \u00d7 1 = 10.5.");
    /* 1,700,000,000 s after 1970: 14 November 2023, 22:13:20 UTC */
    a.version = "0.9", a.run_time = 1700000000;
    assert_string_equal(csa_format_day(a.run_time, false, buf, sizeof buf), "14 November 2023");
    assert_string_equal(csa_format_day(a.run_time, true, buf, sizeof buf), "14 Nov 2023");
    assert_string_equal(csa_format_produced(&a, buf, sizeof buf),
                        "Produced by csa 0.9 on 14 November 2023 at 22:13 UTC");
}

/* Whole doubles (counts) show no places, others the table's; cells as
 * text with separators, a missing one empty. */
static void table_cells(void **state)
{
    (void)state;
    char buf[64];
    csa_table *t = csa_table_create();
    assert_non_null(t);
    assert_int_equal(csa_table_add_column(t, "Count", CSA_DOUBLE), CSA_OK);
    assert_int_equal(csa_table_add_column(t, "Rate", CSA_DOUBLE), CSA_OK);
    assert_int_equal(csa_table_add_column(t, "Line", CSA_INT64), CSA_OK);
    csa_value r0[3] = {{.v.d = 1234}, {.v.d = 7.24715}, {.v.i = 12345}};
    csa_value r1[3] = {{.missing = true}, {.v.d = 0.5}, {.v.i = 7}};
    assert_int_equal(csa_table_append_row(t, r0, NULL), CSA_OK);
    assert_int_equal(csa_table_append_row(t, r1, NULL), CSA_OK);
    assert_int_equal(csa_table_freeze(t), CSA_OK);
    assert_int_equal(csa_column_decimals(t, 0, 2), 0);
    assert_int_equal(csa_column_decimals(t, 1, 2), 2);
    assert_int_equal(csa_column_decimals(t, 2, 2), 0);
    assert_string_equal(csa_format_cell(t, 0, 0, 0, buf, sizeof buf), "1,234");
    assert_string_equal(csa_format_cell(t, 0, 1, 0, buf, sizeof buf), "");
    assert_string_equal(csa_format_cell(t, 1, 0, 2, buf, sizeof buf), "7.25");
    assert_string_equal(csa_format_cell(t, 1, 0, -1, buf, sizeof buf), "7.25");
    assert_string_equal(csa_format_cell(t, 1, 1, -1, buf, sizeof buf), "0.5");
    assert_string_equal(csa_format_cell(t, 2, 0, 0, buf, sizeof buf), "12,345");
    assert_string_equal(csa_format_cell(t, 2, 0, -1, buf, sizeof buf), "12345");
    csa_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(headline_decimals), cmocka_unit_test(figures),
        cmocka_unit_test(scores),            cmocka_unit_test(deciles),
        cmocka_unit_test(excel_formats),     cmocka_unit_test(indicator_words),
        cmocka_unit_test(priority_words),    cmocka_unit_test(table_cells),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
