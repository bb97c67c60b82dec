/* csa calc spc, trend and rolling: series in row order, each --by group
 * its own. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc_methods.h"

/* ---- spc ---- */

typedef struct spc_rows {
    const csa_spc_limits *limits;
    const unsigned *mask;
    const char *const *note;
} spc_rows;

/* NHSRplotthedots and the Making Data Count tools call limits from fewer
 * points than this trial limits (ptd_add_short_group_warnings). */
enum { SPC_TRIAL_BELOW = 12 };

static csa_status put_spc(const void *ctx, size_t r, csa_value *row, char *text, size_t size,
                          csa_error *err)
{
    (void)err;
    const spc_rows *s = ctx;
    const csa_spc_limits *l = &s->limits[r];
    row[0] = calc_double(l->centre);
    row[1] = calc_double(l->lower);
    row[2] = calc_double(l->upper);
    csa_spc_rules_text(s->mask[r], text, size);
    row[3] = (csa_value){.missing = !text[0], .v.str = {text, strlen(text)}};
    row[4] = calc_string(s->note[r]);
    return CSA_OK;
}

/* What a reader of a series' limits must know, into buf: too few points,
 * no spread, ranges screened out. NULL when nothing. */
static const char *spc_note(const csa_spc_limits *l, char *buf, size_t size)
{
    buf[0] = '\0';
#define ADD(...) snprintf(buf + strlen(buf), size - strlen(buf), __VA_ARGS__)
    if (l->flags & CSA_SPC_NO_LIMITS)
        ADD("limits need two points in a row in the baseline: none drawn, only shifts and "
            "trends judged");
    else if (l->baseline_points < SPC_TRIAL_BELOW)
        ADD("trial limits from %zu points (fewer than %d): they will move as points are added",
            l->baseline_points, SPC_TRIAL_BELOW);
    if (l->flags & CSA_SPC_ZERO_SPREAD)
        ADD("%sthe baseline does not vary: the limits equal the centre, so any other value "
            "is outside", buf[0] ? "; " : "");
    if (l->screened_moving_ranges)
        ADD("%s%zu moving range%s of 3.267 x their mean or more screened out of the limits "
            "(as NHSRplotthedots; --moving-ranges all keeps them)", buf[0] ? "; " : "",
            l->screened_moving_ranges, l->screened_moving_ranges == 1 ? "" : "s");
#undef ADD
    return buf[0] ? buf : NULL;
}

/* csa calc spc: each row with its series' centre, limits, rules and note. */
csa_status calc_spc(const csa_calc_args *a, const csa_calc_input *in, csa_table **out,
                    csa_error *err)
{
    enum { NOTE_MAX = 320 };
    const csa_table *t = in->table;
    size_t n = csa_table_nrows(t), vc = csa_table_find(t, a->value), ngroups = 0, one = n ? n : 1;
    uint32_t *group = NULL;
    double *series = malloc(one * sizeof *series);
    size_t *rows = malloc(one * sizeof *rows);
    unsigned *rules = malloc(one * sizeof *rules), *mask = calloc(one, sizeof *mask);
    csa_spc_limits *limits = malloc(one * sizeof *limits);
    const char **note = calloc(one, sizeof *note);
    char *notes = NULL;
    csa_status st = series && rows && rules && limits && mask && note
                        ? calc_group_rows(a, in, &group, &ngroups, err) : calc_nomem(err);
    if (!st && !(notes = calloc(ngroups ? ngroups : 1, NOTE_MAX)))
        st = calc_nomem(err);
    for (size_t g = 0; g < ngroups && !st; g++) {
        size_t m = calc_rows_of(group, n, g, rows);
        calc_gather(t, vc, rows, m, series);
        csa_spc_options o = {.chart = a->chart,
                             .baseline_length = a->baseline < m ? a->baseline : 0,
                             .keep_large_moving_ranges = a->keep_large_moving_ranges};
        csa_spc_limits lim;
        csa_error why;
        if ((st = csa_spc_compute(series, m, &o, &lim, rules, NULL, 0, NULL, &why))) {
            /* a value's place in the series is its row's line in the file */
            size_t place;
            uint64_t line = sscanf(why.message, "value %zu", &place) == 1 && place >= 1 &&
                                    place <= m ? in->lines[rows[place - 1]] : 0;
            st = csa_error_set(err, st, in->name, line, line ? vc + 1 : 0, a->value, why.value,
                               "%s%s", why.message, a->nby ? " (in a --by group)" : "");
            break;
        }
        const char *gnote = spc_note(&lim, notes + g * NOTE_MAX, NOTE_MAX);
        for (size_t i = 0; i < m; i++) {
            limits[rows[i]] = lim;
            mask[rows[i]] = rules[i];
            note[rows[i]] = gnote;
        }
    }
    static const char *const names[] = {"Centre", "Lower limit", "Upper limit", "Rules", "Note"};
    static const csa_type types[] = {CSA_DOUBLE, CSA_DOUBLE, CSA_DOUBLE, CSA_STRING, CSA_STRING};
    spc_rows ctx = {limits, mask, note};
    if (!st)
        st = calc_each_row(t, names, types, 5, put_spc, &ctx, out, err);
    free(group);
    free(series);
    free(rows);
    free(rules);
    free(limits);
    free(mask);
    free(note);
    free(notes);
    return st;
}

/* ---- rolling sums ---- */

static csa_status put_rolling(const void *ctx, size_t r, csa_value *row, char *text,
                              size_t size, csa_error *err)
{
    (void)text;
    (void)size;
    (void)err;
    row[0] = calc_double(((const double *)ctx)[r]);
    return CSA_OK;
}

/* csa calc rolling: each row with the sum of the last --window values of
 * its series. */
csa_status calc_rolling(const csa_calc_args *a, const csa_calc_input *in, csa_table **out,
                        csa_error *err)
{
    const csa_table *t = in->table;
    size_t n = csa_table_nrows(t), vc = csa_table_find(t, a->value), ngroups = 0, one = n ? n : 1;
    uint32_t *group = NULL;
    size_t *rows = malloc(one * sizeof *rows);
    double *series = malloc(one * sizeof *series), *sums = malloc(one * sizeof *sums),
           *by_row = malloc(one * sizeof *by_row);
    csa_status st = rows && series && sums && by_row
                        ? calc_group_rows(a, in, &group, &ngroups, err) : calc_nomem(err);
    for (size_t g = 0; g < ngroups && !st; g++) {
        size_t m = calc_rows_of(group, n, g, rows);
        calc_gather(t, vc, rows, m, series);
        if ((st = csa_rolling_sum(series, m, a->window, sums, err)))
            break;
        for (size_t i = 0; i < m; i++)
            by_row[rows[i]] = sums[i];
    }
    char name[64];
    snprintf(name, sizeof name, "Rolling sum of %zu", a->window);
    const char *names[] = {name};
    static const csa_type types[] = {CSA_DOUBLE};
    if (!st)
        st = calc_each_row(t, names, types, 1, put_rolling, by_row, out, err);
    free(group);
    free(rows);
    free(series);
    free(sums);
    free(by_row);
    return st;
}

/* ---- the recent trend ---- */

/* csa calc trend: one row per group with its recent trend. */
csa_status calc_trend(const csa_calc_args *a, const csa_calc_input *in, csa_table **out,
                      csa_error *err)
{
    const csa_table *t = in->table;
    size_t n = csa_table_nrows(t), ngroups = 0, one = n ? n : 1;
    size_t cc = csa_table_find(t, a->count), dc = csa_table_find(t, a->denominator);
    uint32_t *group = NULL;
    double *num = malloc(one * sizeof *num), *den = malloc(one * sizeof *den);
    size_t *rows = malloc(one * sizeof *rows);
    csa_table *res = csa_table_create();
    csa_value row[CSA_CALC_MAX_BY + 6];
    csa_status st = num && den && rows && res ? calc_group_rows(a, in, &group, &ngroups, err)
                                              : calc_nomem(err);
    static const char *const names[] = {"Points", "Trend", "Reason", "Chi-square", "p-value",
                                        "Slope"};
    static const csa_type types[] = {CSA_INT64, CSA_STRING, CSA_STRING, CSA_DOUBLE,
                                     CSA_DOUBLE, CSA_DOUBLE};
    if (!st)
        st = calc_add_columns(res, a, NULL, 0, CSA_STRING);
    for (size_t k = 0; k < 6 && !st; k++)
        st = csa_table_add_column(res, names[k], types[k]);
    for (size_t g = 0; g < ngroups && !st; g++) {
        size_t m = calc_rows_of(group, n, g, rows);
        calc_gather(t, cc, rows, m, num);
        calc_gather(t, dc, rows, m, den);
        csa_recent_trend tr;
        csa_error why;
        st = a->proportion ? csa_recent_trend_proportion(num, den, NULL, m, &tr, &why)
                           : csa_recent_trend_rate(num, den, NULL, m, a->per, &tr, &why);
        if (st) {
            st = csa_error_set(err, st, in->name, 0, 0, NULL, NULL, "%s", why.message);
            break;
        }
        const char *reason = csa_trend_reason_text(tr.reason);
        size_t k = calc_put_group(a, t, rows[0], row);
        row[k++] = (csa_value){.v.i = (int64_t)(m < 5 ? m : 5)};
        row[k++] = calc_string(csa_trend_marker_label(tr.marker));
        row[k++] = calc_string(reason && *reason ? reason : NULL);
        row[k++] = calc_double(tr.chi_square);
        row[k++] = calc_double(tr.p_value);
        row[k++] = calc_double(tr.slope);
        st = csa_table_append_row(res, row, NULL); /* calc_hand_over words a failure */
    }
    free(group);
    free(num);
    free(den);
    free(rows);
    return calc_hand_over(res, st, out, err);
}
