/* Disclosure control. Expected patterns are worked by hand from the rule in
 * csa/disclosure.h; each case says how. In the pictures: P primary, S
 * secondary, . shown, - not published; the last column holds the row
 * totals and the last row the column totals. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "csa/disclosure.h"

enum { MAXN = 8 };

static char mark_char(unsigned char m)
{
    switch (m) {
    case CSA_CELL_SHOWN: return '.';
    case CSA_CELL_PRIMARY: return 'P';
    case CSA_CELL_SECONDARY: return 'S';
    case CSA_CELL_NOT_PUBLISHED: return '-';
    }
    return '?';
}

/* The marks as text, one line per row of the grid with margins. */
static void picture(size_t nrows, size_t ncols, const unsigned char *marks, char *out)
{
    for (size_t i = 0; i <= nrows; i++) {
        for (size_t j = 0; j <= ncols; j++)
            *out++ = mark_char(marks[i * (ncols + 1) + j]);
        *out++ = '\n';
    }
    *out = '\0';
}

static void run(size_t nrows, size_t ncols, const double *counts,
                const csa_disclosure_options *opt, const char *want,
                csa_suppression_summary *summary)
{
    unsigned char marks[(MAXN + 1) * (MAXN + 1)];
    char got[(MAXN + 2) * (MAXN + 1) + 1];
    csa_error err;
    if (csa_suppress_table(nrows, ncols, counts, opt, marks, NULL, summary, &err))
        fail_msg("%s", err.message);
    picture(nrows, ncols, marks, got);
    assert_string_equal(got, want);
}

/* One small count sets off three passes:
 *    3 10 20 | 33    pass 1, rows: row 0 has only the 3 hidden; its
 *   15 40 12 | 67      smallest shown member is 10.
 *   30  8 50 | 88    pass 1, columns: column 0 -> 15, column 1 -> 8.
 *   48 58 82 |188    pass 2, rows: row 1 (only 15 hidden) -> 12; row 2
 *                      (only 8) -> 30. Columns: column 2 (only 12) -> 20.
 *                    pass 3 changes nothing. */
static void cascade(void **state)
{
    (void)state;
    const double t[] = {3, 10, 20, 15, 40, 12, 30, 8, 50};
    csa_disclosure_options opt;
    csa_disclosure_defaults(&opt);
    csa_suppression_summary s;
    run(3, 3, t, &opt,
        "PSS.\n"
        "S.S.\n"
        "SS..\n"
        "....\n",
        &s);
    assert_int_equal(s.primary, 1);
    assert_int_equal(s.secondary, 6);
    assert_int_equal(s.passes, 3);
}

/* A cascade that prefers a partner above 0 and falls back on a shown 0
 * only when a line has nothing else:
 *    8 0 0 |  8      pass 1, rows: row 1 (only the 2) -> 6.
 *    2 6 7 | 15      pass 1, columns: column 0 -> 8 (smallest of 8, 9);
 *    9 5 6 | 20        column 1 (only 6) -> 5, not the 0.
 *   19 11 13 | 43    pass 2, rows: row 0 (only 8) has only zeros shown,
 *                      so the first 0; row 2 (only 5) -> 6.
 *                      Columns: column 2 (only 6) -> 7, not the 0. */
static void partner_above_zero_first(void **state)
{
    (void)state;
    const double t[] = {8, 0, 0, 2, 6, 7, 9, 5, 6};
    csa_disclosure_options opt;
    csa_disclosure_defaults(&opt);
    csa_suppression_summary s;
    run(3, 3, t, &opt,
        "SS..\n"
        "PSS.\n"
        ".SS.\n"
        "....\n",
        &s);
    assert_int_equal(s.secondary, 6);
    assert_int_equal(s.passes, 3);
}

/* Two small counts in a row protect each other there, but each column
 * needs a partner:
 *    2  3 |  5
 *   10 20 | 30
 *   12 23 | 35 */
static void pair_in_a_row(void **state)
{
    (void)state;
    const double t[] = {2, 3, 10, 20};
    csa_disclosure_options opt;
    csa_disclosure_defaults(&opt);
    run(2, 2, t, &opt,
        "PP.\n"
        "SS.\n"
        "...\n",
        NULL);
}

/* Margins are counts too: a row total of 3 is primary, and the totals
 * column then needs a partner among the row totals.
 *    3 |  3          column 0: only the 3 hidden -> 8.
 *    8 |  8          totals column: only the total 3 hidden -> 8.
 *   11 | 11 */
static void small_margin(void **state)
{
    (void)state;
    const double t[] = {3, 8};
    csa_disclosure_options opt;
    csa_disclosure_defaults(&opt);
    csa_suppression_summary s;
    run(2, 1, t, &opt,
        "PP\n"
        "SS\n"
        "..\n",
        &s);
    assert_int_equal(s.primary, 2);
    assert_int_equal(s.secondary, 2);
}

/* A list with a total (column totals only): rows have no totals, so
 * nothing but the column constrains. */
static void list_with_total(void **state)
{
    (void)state;
    const double t[] = {3, 10, 12, 0};
    csa_disclosure_options opt;
    csa_disclosure_defaults(&opt);
    opt.row_totals = 0;
    run(4, 1, t, &opt,
        "P-\n"
        "S-\n"
        ".-\n"
        ".-\n"
        ".-\n",
        NULL);
    /* no margins: only primary suppression */
    opt.col_totals = 0;
    run(4, 1, t, &opt,
        "P-\n"
        ".-\n"
        ".-\n"
        ".-\n"
        "--\n",
        NULL);
}

/* Zeros shown or suppressed; another threshold. */
static void options(void **state)
{
    (void)state;
    const double t[] = {3, 0, 12};
    csa_disclosure_options opt;
    csa_disclosure_defaults(&opt);
    opt.col_totals = 0;
    /* zero shown: the 3's partner is the 12, not the 0 */
    run(1, 3, t, &opt, "P.S.\n----\n", NULL);
    /* zero suppressed: the 3 and the 0 protect each other */
    opt.suppress_zero = 1;
    run(1, 3, t, &opt, "PP..\n----\n", NULL);
    /* threshold 13: the 3 and the 12 hidden, the 0 and the total 15 shown */
    opt.suppress_zero = 0;
    opt.threshold = 13;
    run(1, 3, t, &opt, "P.P.\n----\n", NULL);
    /* weighted counts need not be whole */
    const double w[] = {4.5, 5.5, 20};
    opt.threshold = 5;
    run(1, 3, w, &opt, "PS..\n----\n", NULL);
}

static void margins_are_filled(void **state)
{
    (void)state;
    const double t[] = {3, 10, 20, 15, 40, 12};
    unsigned char marks[12];
    double m[12];
    csa_disclosure_options opt;
    csa_disclosure_defaults(&opt);
    assert_int_equal(csa_suppress_table(2, 3, t, &opt, marks, m, NULL, NULL), CSA_OK);
    const double want[12] = {3, 10, 20, 33, 15, 40, 12, 67, 18, 50, 32, 100};
    assert_memory_equal(m, want, sizeof want);
}

static void bad_counts_name_the_cell(void **state)
{
    (void)state;
    double t[] = {3, 10, 20, 15, -1, 12};
    unsigned char marks[12];
    csa_disclosure_options opt;
    csa_disclosure_defaults(&opt);
    csa_error err;
    assert_int_equal(csa_suppress_table(2, 3, t, &opt, marks, NULL, NULL, &err), CSA_ERR_VALUE);
    assert_string_equal(err.message, "row 1, column 1: count -1 is not a number of 0 or more");
    t[4] = NAN;
    assert_int_equal(csa_suppress_table(2, 3, t, &opt, marks, NULL, NULL, &err), CSA_ERR_VALUE);
    assert_string_equal(err.message, "row 1, column 1: count nan is not a number of 0 or more");
    t[4] = 1;
    opt.threshold = 0;
    assert_int_equal(csa_suppress_table(2, 3, t, &opt, marks, NULL, NULL, &err), CSA_ERR_USAGE);
    opt.threshold = 5;
    assert_int_equal(csa_suppress_table(SIZE_MAX, 3, t, &opt, marks, NULL, NULL, &err),
                     CSA_ERR_NOMEM);
    /* an empty table has only its (zero) margins */
    assert_int_equal(csa_suppress_table(0, 0, t, &opt, marks, NULL, NULL, &err), CSA_OK);
    assert_int_equal(marks[0], CSA_CELL_SHOWN);
}

/* Whatever the table: afterwards no line of the grid has exactly one
 * hidden entry, every primary is a small count and every small count
 * primary. Random tables of up to 8 x 8 with many small counts and zeros. */
static void no_line_gives_a_count_away(void **state)
{
    (void)state;
    uint64_t x = 88172645463325252u;
    for (int trial = 0; trial < 2000; trial++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t nrows = 1 + x % MAXN, ncols = 1 + (x >> 8) % MAXN;
        csa_disclosure_options opt;
        csa_disclosure_defaults(&opt);
        opt.suppress_zero = (x >> 16) & 1;
        opt.row_totals = ((x >> 17) & 3) != 0;
        opt.col_totals = ((x >> 19) & 3) != 0;
        double t[MAXN * MAXN], g[(MAXN + 1) * (MAXN + 1)];
        for (size_t c = 0; c < nrows * ncols; c++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            t[c] = (double)(x % 4 == 0 ? x % 5 : x % 60);
        }
        unsigned char m[(MAXN + 1) * (MAXN + 1)];
        assert_int_equal(csa_suppress_table(nrows, ncols, t, &opt, m, g, NULL, NULL), CSA_OK);
        size_t cols = ncols + 1;
        for (size_t e = 0; e < (nrows + 1) * cols; e++) {
            if (m[e] == CSA_CELL_NOT_PUBLISHED)
                continue;
            int small = g[e] < 5 && (g[e] > 0 || opt.suppress_zero);
            assert_int_equal(m[e] == CSA_CELL_PRIMARY, small);
        }
        for (size_t i = 0; i <= nrows && opt.row_totals; i++) {
            if (i == nrows && !opt.col_totals)
                break;
            int hidden = 0;
            for (size_t j = 0; j <= ncols; j++)
                hidden += m[i * cols + j] == CSA_CELL_PRIMARY || m[i * cols + j] == CSA_CELL_SECONDARY;
            assert_int_not_equal(hidden, 1);
        }
        for (size_t j = 0; j <= ncols && opt.col_totals; j++) {
            if (j == ncols && !opt.row_totals)
                break;
            int hidden = 0;
            for (size_t i = 0; i <= nrows; i++)
                hidden += m[i * cols + j] == CSA_CELL_PRIMARY || m[i * cols + j] == CSA_CELL_SECONDARY;
            assert_int_not_equal(hidden, 1);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cascade),
        cmocka_unit_test(partner_above_zero_first),
        cmocka_unit_test(pair_in_a_row),
        cmocka_unit_test(small_margin),
        cmocka_unit_test(list_with_total),
        cmocka_unit_test(options),
        cmocka_unit_test(margins_are_filled),
        cmocka_unit_test(bad_counts_name_the_cell),
        cmocka_unit_test(no_line_gives_a_count_away),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
