/* csa calc change: counts and populations of two periods (rows of each
 * period added up per --by group), the rate ratio and the rate difference
 * between them. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc_methods.h"

/* The columns: --by, the periods, their sums and rates, the rate ratio and
 * the rate difference with their intervals, the ratio's method, a note. */
static csa_status columns(const csa_calc_args *a, csa_table *t)
{
    char per[32], name[96];
    csa_format_number(a->per, 0, per, sizeof per);
    static const char *const names[] = {"Before", "Now"};
    static const char *const sums[] = {"Count before", "Denominator before", "Count now",
                                       "Denominator now"};
    csa_status st = calc_add_columns(t, a, names, 2, CSA_STRING);
    for (size_t k = 0; k < 4 && !st; k++)
        st = csa_table_add_column(t, sums[k], CSA_DOUBLE);
    snprintf(name, sizeof name, "Rate before per %s", per);
    if (!st)
        st = csa_table_add_column(t, name, CSA_DOUBLE);
    snprintf(name, sizeof name, "Rate now per %s", per);
    if (!st)
        st = csa_table_add_column(t, name, CSA_DOUBLE);
    if (!st)
        st = csa_table_add_column(t, "Rate ratio", CSA_DOUBLE);
    if (!st)
        st = calc_add_ci_columns(t, "Rate ratio", &a->levels);
    snprintf(name, sizeof name, "Rate difference per %s", per);
    if (!st)
        st = csa_table_add_column(t, name, CSA_DOUBLE);
    if (!st)
        st = calc_add_ci_columns(t, "Rate difference", &a->levels);
    if (!st)
        st = csa_table_add_column(t, "Ratio interval", CSA_STRING);
    if (!st)
        st = csa_table_add_column(t, "Note", CSA_STRING);
    return st;
}

csa_status calc_change(const csa_calc_args *a, const csa_calc_input *in, csa_table **out,
                       csa_error *err)
{
    const csa_table *t = in->table;
    size_t n = csa_table_nrows(t), ngroups = 0;
    size_t cc = csa_table_find(t, a->count), dc = csa_table_find(t, a->denominator);
    uint32_t *group = NULL;
    uint32_t *which = calloc(n ? n : 1, sizeof *which);
    double *sum = NULL;
    size_t *first = NULL;
    const char *name[2] = {NULL, NULL};
    csa_value row[CSA_CALC_MAX_BY + 16 + 4 * CSA_MAX_LEVELS];
    csa_table *res = csa_table_create();
    csa_status st = which && res ? CSA_OK : calc_nomem(err);
    if (!st)
        st = calc_two_sides(in, a->period, "period", "row", "change", which, name, err);
    if (!st)
        st = calc_group_rows(a, in, &group, &ngroups, err);
    /* per group: count and denominator of each period, NaN once a row of
     * it is missing; and the group's first row for its --by values */
    if (!st && (!(sum = calloc(ngroups * 4 + 1, sizeof *sum)) ||
                !(first = calloc(ngroups + 1, sizeof *first))))
        st = calc_nomem(err);
    if (!st)
        st = columns(a, res);
    for (size_t g = 0; g < ngroups && !st; g++)
        first[g] = SIZE_MAX;
    bool *seen = NULL;
    if (!st && !(seen = calloc(ngroups * 2 + 1, sizeof *seen)))
        st = calc_nomem(err);
    for (size_t r = 0; r < n && !st; r++) {
        size_t g = group[r], k = g * 4 + which[r] * 2;
        if (first[g] == SIZE_MAX)
            first[g] = r;
        seen[g * 2 + which[r]] = true;
        /* a count that is no count is named where it is, not in its
         * group's sum */
        double c = calc_number(t, cc, r);
        if (!isnan(c) && !(c >= 0 && isfinite(c) && c == floor(c))) {
            char v[32];
            snprintf(v, sizeof v, "%.10g", c);
            st = csa_error_set(err, CSA_ERR_VALUE, in->name, in->lines[r], cc + 1, a->count,
                               v, "%s \"%s\" is not a whole number: a count must be a whole "
                               "number of 0 or more", a->count, v);
            break;
        }
        sum[k] += c;
        sum[k + 1] += calc_number(t, dc, r);
    }
    for (size_t g = 0; g < ngroups && !st; g++) {
        const double *s = &sum[g * 4];
        csa_period before = {s[0], s[1]}, now = {s[2], s[3]};
        csa_estimate rr = {.value = NAN}, rd = {.value = NAN};
        for (size_t l = 0; l < a->levels.n; l++)
            rr.lower[l] = rr.upper[l] = rd.lower[l] = rd.upper[l] = NAN;
        const char *note = NULL;
        bool missing = isnan(s[0]) || isnan(s[1]) || isnan(s[2]) || isnan(s[3]);
        csa_error why;
        if (!seen[g * 2] || !seen[g * 2 + 1])
            note = "the group has rows of one period only: no change";
        else if (missing)
            note = "suppressed or missing input: no result";
        else if ((st = csa_rate_ratio(now, before, &a->levels, CSA_RATIO_AUTO, &rr, &why)) ||
                 (st = csa_rate_difference(now, before, a->per, &a->levels, &rd, &why))) {
            st = csa_error_set(err, st, in->name, 0, 0, NULL, NULL, "group %zu: %s", g + 1,
                               why.message);
            break;
        } else {
            note = rr.flags & CSA_RATE_NO_DENOMINATOR ? "no denominator: no change"
                   : rr.flags & CSA_CHANGE_NO_EVENTS
                       ? "no events in either period: no ratio, and no interval for the "
                         "difference"
                   : rr.flags & CSA_CHANGE_NO_BASELINE
                       ? "no events before: no ratio; the exact interval's upper limit is "
                         "infinite"
                   : rr.flags & CSA_CHANGE_NO_INTERVAL ? "no events now: no log-normal interval"
                                                       : NULL;
        }
        bool ok = !note || (rr.flags & (CSA_CHANGE_NO_BASELINE | CSA_CHANGE_NO_INTERVAL));
        size_t k = calc_put_group(a, t, first[g], row);
        row[k++] = calc_string(name[0]);
        row[k++] = calc_string(name[1]);
        for (size_t i = 0; i < 4; i++)
            row[k++] = calc_double(seen[g * 2 + i / 2] ? s[i] : NAN);
        bool rates = ok && s[1] > 0 && s[3] > 0;
        row[k++] = calc_double(rates ? s[0] / s[1] * a->per : NAN);
        row[k++] = calc_double(rates ? s[2] / s[3] * a->per : NAN);
        k = calc_put_estimate(row, k, &rr, a->levels.n);
        k = calc_put_estimate(row, k, &rd, a->levels.n);
        row[k++] = calc_string(isnan(rr.value) && isnan(rr.lower[0]) ? NULL
                               : rr.flags & CSA_RATE_EXACT ? "exact conditional"
                                                           : "log-normal");
        row[k] = calc_string(note);
        st = csa_table_append_row(res, row, NULL); /* calc_hand_over words a failure */
    }
    free(seen);
    free(first);
    free(sum);
    free(group);
    free(which);
    return calc_hand_over(res, st, out, err);
}
