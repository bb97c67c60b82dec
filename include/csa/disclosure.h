/* csa/disclosure.h: statistical disclosure control for tables published to
 * partners. Small counts are suppressed (primary suppression), and further
 * cells (secondary suppression) so that no suppressed count can be worked
 * out from the totals published with the table.
 *
 * A table of nrows x ncols counts, row-major, with optional margins: a
 * total for each row, a total for each column, and the grand total when
 * both are published. Margins are the sums of the counts.
 *
 * The rule, with the table and its margins seen as one grid in which every
 * row and every column (the totals row and column included) is a line
 * whose members add up to the line's total:
 *
 * 1. Primary: a count (cell or margin) below `threshold` is suppressed;
 *    a count of 0 only if `suppress_zero`. Margins are counts of people or
 *    events too, so a small total is suppressed like a small cell.
 * 2. Secondary: a line with exactly one suppressed entry (member or
 *    total) gives that entry away by subtraction. In such a line, suppress
 *    the smallest member still shown, preferring one above 0: a shown 0
 *    chosen as the partner would leave readers knowing that the two hidden
 *    cells together hold the small count. Failing a member, suppress the
 *    line's total. Ties go to the first in the line.
 * 3. Lines are visited in order, all rows (top to bottom) and then all
 *    columns (left to right), each seeing the suppressions made before it;
 *    the passes repeat until one changes nothing. Each pass suppresses at
 *    least one more entry or ends, so this stops.
 *
 * Afterwards no line has exactly one suppressed entry. That stops every
 * count being recovered from one line's total; it does not guarantee that
 * a determined reader solving all the lines together (as an integer
 * program) cannot narrow a hidden count, which tools such as tau-Argus
 * check: the rule is the simple one applied by hand to small published
 * tables, not an optimal or complete protection. */
#ifndef CSA_DISCLOSURE_H
#define CSA_DISCLOSURE_H

#include <stddef.h>

#include "csa/error.h"

typedef enum csa_cell_mark {
    CSA_CELL_SHOWN = 0,
    CSA_CELL_PRIMARY = 1,   /* a small count */
    CSA_CELL_SECONDARY = 2, /* hidden so that a small count cannot be worked out */
    CSA_CELL_NOT_PUBLISHED = 3, /* a margin the table does not have */
} csa_cell_mark;

typedef struct csa_disclosure_options {
    double threshold;  /* counts below it are suppressed; 5 */
    int suppress_zero; /* 0: zeros are shown (nobody to identify) */
    int row_totals;    /* 1: a total is published for each row */
    int col_totals;    /* 1: a total is published for each column */
} csa_disclosure_options;

/* Threshold 5, zeros shown, both margins published. */
void csa_disclosure_defaults(csa_disclosure_options *opt);

typedef struct csa_suppression_summary {
    size_t primary, secondary; /* entries, margins included */
    size_t passes;             /* passes over the lines, the last changing nothing */
} csa_suppression_summary;

/* Marks which counts of a table and its margins to suppress.
 *
 * counts has nrows * ncols entries, each 0 or more (not necessarily whole:
 * weighted counts are allowed). marks (required) and with_margins (may be
 * NULL) have (nrows + 1) * (ncols + 1) entries: the table with its
 * margins, row-major, row totals in the last column, column totals in the
 * last row, the grand total last. with_margins gets the counts and the
 * totals; marks gets a csa_cell_mark for each entry (CSA_CELL_NOT_PUBLISHED
 * for margins the options leave out). summary may be NULL.
 *
 * A negative, infinite or missing (NaN) count is CSA_ERR_VALUE naming its
 * row and column (from 0): a table with a gap in it cannot be protected by
 * its totals. A threshold that is not above 0 is CSA_ERR_USAGE. A table
 * with no rows or no columns is allowed and has only margins. */
csa_status csa_suppress_table(size_t nrows, size_t ncols, const double *counts,
                              const csa_disclosure_options *opt, unsigned char *marks,
                              double *with_margins, csa_suppression_summary *summary,
                              csa_error *err);

/* Marks which of n counts to suppress when they are published in several
 * tables at once, each grouping them its own way (the same LSOAs listed
 * alone, by deprivation decile and by MSOA, say), with every group's total
 * and the grand total published (a table of months or venues under the
 * headline count is ngroupings 0: the counts and their total).
 *
 * Grouping g puts count i in group group[g][i], 0 .. ngroups[g] - 1, or
 * -1: in none of its groups (an LSOA in no MSOA); such counts make one
 * more group of g whose total is taken as published too (a note says it),
 * so that g's totals always add up to the grand total. The lines are each
 * group (its counts, its total) and each grouping's groups (their totals,
 * the grand total), and the rule is csa_suppress_table's on them: primary
 * suppression of counts and totals from 1 (or 0 with suppress_zero) to
 * below the threshold, then secondary until no line has exactly one
 * suppressed entry, every line seeing the suppressions of every grouping.
 * So a count hidden in one table is hidden in all of them, and none can be
 * worked out from any one published total. opt's row_totals and
 * col_totals are not used.
 *
 * marks (n), group_marks[g] (ngroups[g] + 1 each, the last for the group
 * of none; a NULL pointer for a grouping whose marks are not wanted) and
 * total_mark (may be NULL) get a csa_cell_mark each. A negative, infinite
 * or NaN count is CSA_ERR_VALUE naming it (from 0), a group outside -1 ..
 * ngroups[g] - 1 is CSA_ERR_USAGE. */
csa_status csa_suppress_lines(size_t n, const double *counts, size_t ngroupings,
                              const int *const *group, const size_t *ngroups,
                              const csa_disclosure_options *opt, unsigned char *marks,
                              unsigned char *const *group_marks, unsigned char *total_mark,
                              csa_suppression_summary *summary, csa_error *err);

#endif
