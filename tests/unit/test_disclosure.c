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


/* ---- csa_suppress_lines ---- */

static int is_hidden(unsigned char m)
{
    return m == CSA_CELL_PRIMARY || m == CSA_CELL_SECONDARY;
}

/* A list under its total (no groupings): the 3 is primary; the grand
 * total's line then has one hidden member, so its smallest shown member
 * above 0 (10, not the 0) goes too; the total (33) is shown. */
static void lines_list_under_total(void **state)
{
    (void)state;
    const double c[] = {10, 3, 20, 0};
    unsigned char m[4], total = 9;
    csa_disclosure_options opt;
    csa_disclosure_defaults(&opt);
    csa_suppression_summary sum;
    assert_int_equal(csa_suppress_lines(4, c, 0, NULL, NULL, &opt, m, NULL, &total, &sum, NULL),
                     CSA_OK);
    const unsigned char want[] = {CSA_CELL_SECONDARY, CSA_CELL_PRIMARY, CSA_CELL_SHOWN,
                                  CSA_CELL_SHOWN};
    assert_memory_equal(m, want, 4);
    assert_int_equal(total, CSA_CELL_SHOWN);
    assert_int_equal(sum.primary, 1);
    assert_int_equal(sum.secondary, 1);
}

/* Four LSOAs by decile {0, 0, 1, 1} and by MSOA {0, 1, 0, 1}: the 3 is
 * primary. Grand line: only the 3 hidden -> its smallest shown, 50.
 * Decile 0 {3, 50}: two hidden. MSOA 0 {3, 60}: one -> 60. Decile 1
 * {60, 70}: one -> 70. MSOA 1 {50, 70}: two. So every LSOA is hidden and
 * no table of the three gives the 3 away; the totals (53, 130; 63, 120;
 * 183) are all shown. */
static void lines_two_groupings(void **state)
{
    (void)state;
    const double c[] = {3, 50, 60, 70};
    const int dec[] = {0, 0, 1, 1}, msoa[] = {0, 1, 0, 1};
    const int *groups[] = {dec, msoa};
    const size_t ngroups[] = {2, 2};
    unsigned char m[4], dm[3], mm[3], total;
    unsigned char *gm[] = {dm, mm};
    csa_disclosure_options opt;
    csa_disclosure_defaults(&opt);
    assert_int_equal(csa_suppress_lines(4, c, 2, groups, ngroups, &opt, m, gm, &total, NULL,
                                        NULL), CSA_OK);
    const unsigned char want[] = {CSA_CELL_PRIMARY, CSA_CELL_SECONDARY, CSA_CELL_SECONDARY,
                                  CSA_CELL_SECONDARY};
    assert_memory_equal(m, want, 4);
    for (int k = 0; k < 2; k++) {
        assert_int_equal(dm[k], CSA_CELL_SHOWN);
        assert_int_equal(mm[k], CSA_CELL_SHOWN);
    }
    assert_int_equal(total, CSA_CELL_SHOWN);
}

/* A small group total is primary too, and its partner among the groups
 * goes with it. Counts {12, 8, 2, 1, 7} in MSOAs {0, 0, 1, 1, none}:
 * primary: 2, 1 and MSOA 1's total (3). Pass 1: the MSOAs' line under the
 * grand total {20, 3, 7 (the group of none)} has one hidden -> the
 * smallest shown above 0, the group of none (7). Pass 2: the group of
 * none's line {7} under its hidden total -> its one member (7). Pass 3
 * changes nothing; MSOA 0 (20) and the grand total (30) are shown. */
static void lines_small_group_total(void **state)
{
    (void)state;
    const double c[] = {12, 8, 2, 1, 7};
    const int msoa[] = {0, 0, 1, 1, -1};
    const int *groups[] = {msoa};
    const size_t ngroups[] = {2};
    unsigned char m[5], mm[3], total;
    unsigned char *gm[] = {mm};
    csa_disclosure_options opt;
    csa_disclosure_defaults(&opt);
    csa_suppression_summary sum;
    assert_int_equal(csa_suppress_lines(5, c, 1, groups, ngroups, &opt, m, gm, &total, &sum,
                                        NULL), CSA_OK);
    const unsigned char want[] = {CSA_CELL_SHOWN, CSA_CELL_SHOWN, CSA_CELL_PRIMARY,
                                  CSA_CELL_PRIMARY, CSA_CELL_SECONDARY};
    const unsigned char want_g[] = {CSA_CELL_SHOWN, CSA_CELL_PRIMARY, CSA_CELL_SECONDARY};
    assert_memory_equal(m, want, 5);
    assert_memory_equal(mm, want_g, 3);
    assert_int_equal(total, CSA_CELL_SHOWN);
    assert_int_equal(sum.primary, 3);
    assert_int_equal(sum.secondary, 2);
    assert_int_equal(sum.passes, 3);
}

/* Bad counts and groups are named. */
static void lines_bad_input(void **state)
{
    (void)state;
    const double c[] = {4, -1};
    unsigned char m[2];
    csa_disclosure_options opt;
    csa_disclosure_defaults(&opt);
    csa_error err;
    assert_int_equal(csa_suppress_lines(2, c, 0, NULL, NULL, &opt, m, NULL, NULL, NULL, &err),
                     CSA_ERR_VALUE);
    assert_string_equal(err.message, "count 1: -1 is not a number of 0 or more");
    const double ok[] = {4, 6};
    const int g[] = {0, 2};
    const int *groups[] = {g};
    const size_t ngroups[] = {2};
    assert_int_equal(csa_suppress_lines(2, ok, 1, groups, ngroups, &opt, m, NULL, NULL, NULL,
                                        &err), CSA_ERR_USAGE);
    assert_string_equal(err.message, "count 1: group 2 of grouping 0 is not -1 to 1");
}

/* Random counts in up to three groupings (some in no group): every count
 * and total from 1 to 4 is primary, and no line (a group with its total,
 * a grouping's totals with the grand total, the counts with the grand
 * total) has exactly one hidden entry. The lines are recounted here from
 * the marks, apart from csa_suppress_lines's own. */
static void lines_none_recoverable(void **state)
{
    (void)state;
    uint64_t x = 2463534242u;
    enum { N = 24, G = 3, K = 6 };
    for (int trial = 0; trial < 2000; trial++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t n = 1 + x % N, ng = x >> 8 & 3;
        double c[N];
        int grp[G][N];
        const int *groups[G] = {grp[0], grp[1], grp[2]};
        size_t ngroups[G];
        unsigned char m[N], gmk[G][K + 1], total;
        unsigned char *gm[G] = {gmk[0], gmk[1], gmk[2]};
        for (size_t g = 0; g < ng; g++)
            ngroups[g] = 1 + (x >> (12 + 4 * g)) % K;
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            c[i] = (double)(x % 3 == 0 ? x % 5 : x % 40);
            for (size_t g = 0; g < ng; g++)
                grp[g][i] = (int)((x >> (8 + 5 * g)) % (ngroups[g] + 1)) - 1;
        }
        csa_disclosure_options opt;
        csa_disclosure_defaults(&opt);
        assert_int_equal(csa_suppress_lines(n, c, ng, groups, ngroups, &opt, m, gm, &total,
                                            NULL, NULL), CSA_OK);
        double grand = 0;
        int hidden_all = is_hidden(total);
        for (size_t i = 0; i < n; i++) {
            grand += c[i], hidden_all += is_hidden(m[i]);
            assert_int_equal(m[i] == CSA_CELL_PRIMARY, c[i] >= 1 && c[i] < 5);
        }
        assert_int_equal(total == CSA_CELL_PRIMARY, grand >= 1 && grand < 5);
        assert_int_not_equal(hidden_all, 1);
        for (size_t g = 0; g < ng; g++) {
            int across = is_hidden(total);
            for (size_t k = 0; k <= ngroups[g]; k++) { /* the last: the group of none */
                int want = k == ngroups[g] ? -1 : (int)k, h = is_hidden(gm[g][k]);
                double sum = 0;
                for (size_t i = 0; i < n; i++)
                    if (grp[g][i] == want)
                        sum += c[i], h += is_hidden(m[i]);
                assert_int_equal(gm[g][k] == CSA_CELL_PRIMARY, sum >= 1 && sum < 5);
                assert_int_not_equal(h, 1);
                across += is_hidden(gm[g][k]);
            }
            assert_int_not_equal(across, 1);
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
        cmocka_unit_test(lines_list_under_total),
        cmocka_unit_test(lines_two_groupings),
        cmocka_unit_test(lines_small_group_total),
        cmocka_unit_test(lines_bad_input),
        cmocka_unit_test(lines_none_recoverable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
