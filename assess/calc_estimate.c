/* csa calc rate, proportion and ratio: one estimate per row, or per --by
 * group of rows added up first. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc_methods.h"

enum { MAX_INPUTS = 4 };

/* One result from a row's (or group's) inputs, or a note why there is none. */
typedef csa_status (*estimate_fn)(const csa_calc_args *a, const double *x, csa_estimate *out,
                                  const char **note, csa_error *err);

typedef struct estimator {
    const char *value_name; /* "Rate", to which " per <multiplier>" is added */
    const char *cols[MAX_INPUTS];
    size_t ncols;
    estimate_fn estimate;
    bool ratio;             /* no multiplier: the value is a ratio */
} estimator;

/* The output: the input's columns (or the --by columns and the sums of the
 * inputs), then the value, its limits and a note. */
static csa_status make_output(const estimator *m, const csa_calc_args *a, const csa_table *in,
                              csa_table **out, csa_error *err)
{
    char per[32], name[96];
    csa_format_number(a->per, 0, per, sizeof per);
    csa_table *t = csa_table_create();
    csa_status st = !t ? CSA_ERR_NOMEM
                    : a->nby ? calc_add_columns(t, a, m->cols, m->ncols, CSA_DOUBLE)
                             : calc_add_text_columns(t, in);
    snprintf(name, sizeof name, "%s%s%s", m->value_name, m->ratio ? "" : " per ",
             m->ratio ? "" : per);
    if (!st)
        st = csa_table_add_column(t, name, CSA_DOUBLE);
    if (!st)
        st = calc_add_ci_columns(t, NULL, &a->levels);
    if (!st)
        st = csa_table_add_column(t, "Note", CSA_STRING);
    return calc_hand_over(t, st, out, err);
}

/* Appends one result row: `nlead` values first, then the estimate. */
static csa_status append_result(const estimator *m, const csa_calc_args *a, csa_table *out,
                                csa_value *row, size_t nlead, const double *x,
                                const csa_calc_input *in, uint64_t line, size_t group,
                                csa_error *err)
{
    csa_estimate e = {.value = NAN};
    const char *note = NULL;
    for (size_t l = 0; l < a->levels.n; l++)
        e.lower[l] = e.upper[l] = NAN;
    bool missing = false;
    for (size_t i = 0; i < m->ncols; i++)
        missing |= isnan(x[i]);
    csa_error why;
    csa_status st;
    if (missing)
        note = group ? "a suppressed or missing input in the group: no result"
                     : "suppressed or missing input: no result";
    else if ((st = m->estimate(a, x, &e, &note, &why)))
        return group ? csa_error_set(err, st, in->name, 0, 0, NULL, NULL, "group %zu: %s",
                                     group, why.message)
                     : csa_error_set(err, st, in->name, line, 0, NULL, NULL, "%s", why.message);
    size_t k = calc_put_estimate(row, nlead, &e, a->levels.n);
    row[k] = calc_string(note);
    return csa_table_append_row(out, row, NULL); /* calc_hand_over words a failure */
}

/* Every row as it is. */
static csa_status each_row(const estimator *m, const csa_calc_args *a, const csa_calc_input *in,
                           const size_t *cols, csa_value *row, csa_table *out, csa_error *err)
{
    const csa_table *t = in->table;
    char(*digits)[32] = calloc(csa_table_ncols(t), sizeof *digits);
    csa_status st = digits ? CSA_OK : calc_nomem(err);
    for (size_t r = 0; r < csa_table_nrows(t) && !st; r++) {
        double x[MAX_INPUTS];
        calc_copy_row(t, r, row, digits);
        for (size_t i = 0; i < m->ncols; i++)
            x[i] = calc_number(t, cols[i], r);
        st = append_result(m, a, out, row, csa_table_ncols(t), x, in, in->lines[r], 0, err);
    }
    free(digits);
    return st;
}

/* One row per --by group with the sums of its rows, in the order of the
 * groups' codes (the first --by column slowest). */
static csa_status each_group(const estimator *m, const csa_calc_args *a,
                             const csa_calc_input *in, const size_t *cols, csa_value *row,
                             csa_table *out, csa_error *err)
{
    const csa_table *t = in->table;
    size_t keys[CSA_CALC_MAX_BY];
    csa_groups *sums[MAX_INPUTS] = {0};
    csa_status st = CSA_OK;
    for (size_t b = 0; b < a->nby && !st; b++) {
        keys[b] = csa_table_find(t, a->by[b]);
        if (keys[b] == CSA_NO_ROW || csa_table_column_type(t, keys[b]) != CSA_STRING)
            st = csa_error_set(err, CSA_ERR_USAGE, in->name, 0, 0, a->by[b], NULL,
                               "no text column \"%s\" to group by", a->by[b]);
    }
    for (size_t i = 0; i < m->ncols && !st; i++)
        st = csa_table_group(t, keys, a->nby, cols[i], 0, csa_table_nrows(t), &sums[i], err);
    /* a suppressed or blank value would be added as nothing, a sum too
     * low: its group gets no result (PHEindicatormethods' sum() gives NA)
     * and the other groups go on */
    bool *missing = !st ? calloc(sums[0]->ncells ? sums[0]->ncells : 1, sizeof *missing) : NULL;
    if (!st && !missing)
        st = calc_nomem(err);
    for (size_t r = 0; !st && r < csa_table_nrows(t); r++) {
        size_t cell = 0, b = 0;
        for (; b < a->nby && csa_table_valid(t, keys[b], r); b++)
            cell = cell * sums[0]->sizes[b] + csa_table_codes(t, keys[b])[r];
        for (size_t i = 0; b == a->nby && i < m->ncols; i++)
            missing[cell] |= !csa_table_valid(t, cols[i], r);
    }
    for (size_t cell = 0; !st && cell < sums[0]->ncells; cell++) {
        if (!sums[0]->counts[cell])
            continue;
        size_t rest = cell;
        for (size_t b = a->nby; b-- > 0;) {
            uint32_t code = (uint32_t)(rest % sums[0]->sizes[b]);
            rest /= sums[0]->sizes[b];
            size_t len;
            const char *s = csa_dict_string(csa_table_dict(t, keys[b]), code, &len);
            row[b] = (csa_value){.v.str = {s, len}};
        }
        double x[MAX_INPUTS];
        for (size_t i = 0; i < m->ncols; i++)
            row[a->nby + i] = calc_double(x[i] = missing[cell] ? NAN : sums[i]->sums[cell]);
        st = append_result(m, a, out, row, a->nby + m->ncols, x, in, 0, cell + 1, err);
    }
    for (size_t i = 0; i < m->ncols; i++)
        csa_groups_free(sums[i]);
    free(missing);
    return st;
}

static csa_status estimates(const estimator *m, const csa_calc_args *a,
                            const csa_calc_input *in, csa_table **out, csa_error *err)
{
    size_t cols[MAX_INPUTS];
    for (size_t i = 0; i < m->ncols; i++)
        cols[i] = csa_table_find(in->table, m->cols[i]);
    csa_table *t = NULL;
    csa_status st = make_output(m, a, in->table, &t, err);
    if (st)
        return st;
    csa_value *row = calloc(csa_table_ncols(t), sizeof *row);
    st = !row ? calc_nomem(err)
         : a->nby ? each_group(m, a, in, cols, row, t, err)
                  : each_row(m, a, in, cols, row, t, err);
    free(row);
    return calc_hand_over(t, st, out, err);
}

static csa_status estimate_rate(const csa_calc_args *a, const double *x, csa_estimate *out,
                                const char **note, csa_error *err)
{
    csa_status st = csa_rate_estimate(x[0], x[1], a->per, &a->levels, out, err);
    if (!st && (out->flags & CSA_RATE_NO_DENOMINATOR))
        *note = "no denominator: no rate";
    return st;
}

csa_status calc_rate(const csa_calc_args *a, const csa_calc_input *in, csa_table **out,
                     csa_error *err)
{
    const estimator m = {"Rate", {a->count, a->denominator}, 2, estimate_rate, false};
    return estimates(&m, a, in, out, err);
}

static csa_status estimate_proportion(const csa_calc_args *a, const double *x,
                                      csa_estimate *out, const char **note, csa_error *err)
{
    csa_status st = csa_proportion_estimate(x[0], x[1], a->per, &a->levels, out, err);
    if (!st && (out->flags & CSA_RATE_NO_DENOMINATOR))
        *note = "no denominator: no proportion";
    return st;
}

csa_status calc_proportion(const csa_calc_args *a, const csa_calc_input *in, csa_table **out,
                           csa_error *err)
{
    const estimator m = {"Proportion", {a->count, a->denominator}, 2,
                         estimate_proportion, false};
    return estimates(&m, a, in, out, err);
}

static csa_status estimate_ratio(const csa_calc_args *a, const double *x, csa_estimate *out,
                                 const char **note, csa_error *err)
{
    csa_period now = {x[0], x[1]}, ref = {x[2], x[3]};
    csa_status st = csa_rate_ratio(now, ref, &a->levels, CSA_RATIO_AUTO, out, err);
    if (st)
        return st;
    *note = out->flags & CSA_RATE_NO_DENOMINATOR ? "no denominator: no ratio"
            : out->flags & CSA_CHANGE_NO_BASELINE ? "no events in the reference: no ratio"
            : out->flags & CSA_RATE_EXACT ? "fewer than 10 events: exact interval"
                                          : NULL;
    return CSA_OK;
}

csa_status calc_ratio(const csa_calc_args *a, const csa_calc_input *in, csa_table **out,
                      csa_error *err)
{
    const estimator m = {"Rate ratio", {a->count, a->denominator, a->ref_count,
                                        a->ref_population}, 4, estimate_ratio, true};
    return estimates(&m, a, in, out, err);
}

static csa_status estimate_difference(const csa_calc_args *a, const double *x,
                                      csa_estimate *out, const char **note, csa_error *err)
{
    csa_period now = {x[0], x[1]}, ref = {x[2], x[3]};
    csa_status st = csa_rate_difference(now, ref, a->per, &a->levels, out, err);
    if (!st && (out->flags & CSA_RATE_NO_DENOMINATOR))
        *note = "no denominator: no difference";
    return st;
}

csa_status calc_difference(const csa_calc_args *a, const csa_calc_input *in, csa_table **out,
                           csa_error *err)
{
    const estimator m = {"Rate difference", {a->count, a->denominator, a->ref_count,
                                                    a->ref_population}, 4, estimate_difference, false};
    return estimates(&m, a, in, out, err);
}
