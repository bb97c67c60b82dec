/* csa calc's methods and what they share, private to assess/: the registry
 * and shared helpers are in calc.c, the methods in calc_*.c. */
#ifndef CSA_ASSESS_CALC_METHODS_H
#define CSA_ASSESS_CALC_METHODS_H

#include "csa/calc.h"
#include "csa/inequality.h"
#include "csa/survey.h"

/* ---- the methods (csa_calc_fn) ---- */

/* calc_estimate.c: one estimate per row, or per --by group of summed rows */
csa_status calc_rate(const csa_calc_args *a, const csa_calc_input *in, csa_table **out,
                     csa_error *err);
csa_status calc_proportion(const csa_calc_args *a, const csa_calc_input *in, csa_table **out,
                           csa_error *err);
csa_status calc_ratio(const csa_calc_args *a, const csa_calc_input *in, csa_table **out,
                      csa_error *err);
csa_status calc_difference(const csa_calc_args *a, const csa_calc_input *in, csa_table **out,
                           csa_error *err);
/* calc_change.c: two periods' counts per --by group, their rate ratio and
 * difference */
csa_status calc_change(const csa_calc_args *a, const csa_calc_input *in, csa_table **out,
                       csa_error *err);
/* calc_standard.c: standardised rates and ratios, one per group of bands */
csa_status calc_dsr(const csa_calc_args *a, const csa_calc_input *in, csa_table **out,
                    csa_error *err);
csa_status calc_isr(const csa_calc_args *a, const csa_calc_input *in, csa_table **out,
                    csa_error *err);
/* calc_series.c: series in row order, one per --by group */
csa_status calc_spc(const csa_calc_args *a, const csa_calc_input *in, csa_table **out,
                    csa_error *err);
csa_status calc_trend(const csa_calc_args *a, const csa_calc_input *in, csa_table **out,
                      csa_error *err);
csa_status calc_rolling(const csa_calc_args *a, const csa_calc_input *in, csa_table **out,
                        csa_error *err);
/* calc_compare.c: against a comparator, a funnel, or by deprivation */
csa_status calc_compare(const csa_calc_args *a, const csa_calc_input *in, csa_table **out,
                        csa_error *err);
csa_status calc_funnel(const csa_calc_args *a, const csa_calc_input *in, csa_table **out,
                       csa_error *err);
csa_status calc_sii(const csa_calc_args *a, const csa_calc_input *in, csa_table **out,
                    csa_error *err);
/* calc_survey.c: weighted survey answers */
csa_status calc_survey(const csa_calc_args *a, const csa_calc_input *in, csa_table **out,
                       csa_error *err);
csa_status calc_survey_change(const csa_calc_args *a, const csa_calc_input *in,
                              csa_table **out, csa_error *err);

/* ---- shared (calc.c) ---- */

/* "out of memory" as an error; returns CSA_ERR_NOMEM. */
csa_status calc_nomem(csa_error *err);

/* A numeric cell, NaN when missing (blank or suppressed). */
double calc_number(const csa_table *t, size_t col, size_t r);

/* A text cell with its length, "" (length 0) when missing. */
const char *calc_text(const csa_table *t, size_t col, size_t r, size_t *len);

/* Gives back a finished output table, or frees it; an error always says
 * what happened, also when it came from a table operation. */
csa_status calc_hand_over(csa_table *t, csa_status st, csa_table **out, csa_error *err);

/* Columns of t for the input's columns, all as text (numbers come back as
 * short as they go), and one input row into row[0 .. ncols) with digits
 * holding a number's text (room for one per input column). */
csa_status calc_add_text_columns(csa_table *t, const csa_table *in);
void calc_copy_row(const csa_table *in, size_t r, csa_value *row, char (*digits)[32]);

/* The input's rows, each with `extra` more columns (names, types) that
 * put fills from row[0] for row r; text (of size bytes) is room for one
 * string. An error from put stops. */
typedef csa_status (*calc_put_fn)(const void *ctx, size_t r, csa_value *row, char *text,
                                  size_t size, csa_error *err);
csa_status calc_each_row(const csa_table *in, const char *const *names, const csa_type *types,
                         size_t extra, calc_put_fn put, const void *ctx, csa_table **out,
                         csa_error *err);

/* Columns "Lower 95% CI", "Upper 95% CI", ... for each level; with what
 * ("SII"), "SII lower 95% CI" and so on. */
csa_status calc_add_ci_columns(csa_table *t, const char *what, const csa_levels *levels);

/* Adds the --by columns as text, then each of names as type. */
csa_status calc_add_columns(csa_table *t, const csa_calc_args *a, const char *const *names,
                            size_t n, csa_type type);

/* Each row's group (codes from 0 in order of first appearance) and how
 * many groups, by the --by columns; with no --by, one group of every row
 * (none when there are no rows). *group is the caller's to free. */
csa_status calc_group_rows(const csa_calc_args *a, const csa_calc_input *in, uint32_t **group,
                           size_t *ngroups, csa_error *err);

/* Each row's side (0 or 1) of text column col into which[r]: its two
 * values in the order they first appear, named in name[2] (borrowed from
 * the table). A blank, a third value or fewer than two is CSA_ERR_VALUE
 * naming the line; what is the option and its values' noun ("wave"), row
 * what a row is ("respondent"), method the method ("survey-change"). */
csa_status calc_two_sides(const csa_calc_input *in, const char *col, const char *what,
                          const char *row, const char *method, uint32_t *which,
                          const char *name[2], csa_error *err);

/* The rows of group g (of n rows) into rows[], in order; returns how many. */
size_t calc_rows_of(const uint32_t *group, size_t n, size_t g, size_t *rows);

/* The numbers of column col at those rows into out[0 .. m), NaN where missing. */
void calc_gather(const csa_table *t, size_t col, const size_t *rows, size_t m, double *out);

/* The --by values of row r into row[0 .. nby); returns nby. */
size_t calc_put_group(const csa_calc_args *a, const csa_table *in, size_t r, csa_value *row);

/* "Area \"A\", Sex \"F\": " for the --by values of row r, or "" with no
 * --by: the start of an error about a group. */
void calc_group_label(const csa_calc_args *a, const csa_table *in, size_t r, char *buf,
                      size_t size);

/* e's value and limits into row from k; returns the next k. */
size_t calc_put_estimate(csa_value *row, size_t k, const csa_estimate *e, size_t nlevels);

/* Whether the option called name was given. */
bool calc_given(const csa_calc_args *a, const char *name);

/* A double cell, missing when NaN, and a text cell, missing when NULL. */
csa_value calc_double(double v);
csa_value calc_string(const char *s);

#endif
