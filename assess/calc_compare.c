/* csa calc compare, funnel and sii: areas against a comparator, against a
 * funnel around their average, and by deprivation. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc_methods.h"

/* ---- compare ---- */

typedef struct compare_rows {
    const csa_calc_args *a;
    const csa_calc_input *in;
    size_t lc, uc;
} compare_rows;

static csa_status put_compare(const void *ctx, size_t r, csa_value *row, char *text,
                              size_t size, csa_error *err)
{
    (void)text;
    (void)size;
    static const char *const rag[] = {"neutral", "red", "amber", "green"};
    const compare_rows *c = ctx;
    const csa_table *t = c->in->table;
    csa_outcome o;
    csa_error why;
    /* the options are checked: what is left is a row's limits the wrong way round */
    if (csa_compare(calc_number(t, c->lc, r), calc_number(t, c->uc, r), c->a->comparator,
                    c->a->polarity, &o, &why))
        return csa_error_set(err, CSA_ERR_VALUE, c->in->name, c->in->lines[r], 0, NULL, NULL,
                             "%s", why.message);
    row[0] = calc_string(csa_outcome_name(o));
    row[1] = calc_string(rag[csa_outcome_rag(o, c->a->polarity)]);
    return CSA_OK;
}

/* csa calc compare: each row's interval against a comparator's value. */
csa_status calc_compare(const csa_calc_args *a, const csa_calc_input *in, csa_table **out,
                        csa_error *err)
{
    char name[64];
    snprintf(name, sizeof name, "Compared with %g", a->comparator);
    const char *names[] = {name, "RAG"};
    static const csa_type types[] = {CSA_STRING, CSA_STRING};
    compare_rows ctx = {a, in, csa_table_find(in->table, a->lower),
                        csa_table_find(in->table, a->upper)};
    return calc_each_row(in->table, names, types, 2, put_compare, &ctx, out, err);
}

/* ---- funnel ---- */

typedef struct funnel_rows {
    const csa_calc_input *in;
    const csa_funnel_spec *spec;
    const double *num, *den; /* den: the denominator, or a DSR's count * per / DSR */
    const bool *missing;     /* a blank or suppressed input */
    size_t left_out; /* rows with a blank or suppressed input, not in the centre */
} funnel_rows;

static csa_status put_funnel(const void *ctx, size_t r, csa_value *row, char *text,
                             size_t size, csa_error *err)
{
    static const csa_levels levels = {2, {95, 99.8}};
    const funnel_rows *f = ctx;
    /* the limits at the row's own denominator (person-years, expected
     * events for a ratio); a DSR of fewer than 10 events has none, as
     * calculate_funnel_points leaves it off the chart */
    double x = f->den[r];
    bool missing = f->missing[r];
    bool dsr_few = f->spec->kind == CSA_FUNNEL_DSR && f->num[r] < 10;
    csa_funnel_point pt = {.x = x};
    bool has = !missing && !dsr_few && x > 0 &&
               (f->spec->kind != CSA_FUNNEL_PROPORTION || x >= 1) &&
               !csa_funnel_limits_at(f->spec, x, &levels, &pt, NULL);
    bool sig_known = !missing && (x > 0 || dsr_few);
    csa_funnel_signif sig = CSA_FUNNEL_NOT_SIGNIFICANT;
    csa_error why;
    csa_status st;
    if (sig_known && (st = csa_funnel_significance(f->spec, f->num[r], x, &sig, &why)))
        return csa_error_set(err, st, f->in->name, f->in->lines[r], 0, NULL, NULL, "%s",
                             why.message);
    row[0] = calc_double(f->spec->kind == CSA_FUNNEL_RATIO ? f->spec->multiplier
                                                           : f->spec->comparator);
    for (size_t l = 0; l < 2; l++) {
        row[1 + 2 * l] = (csa_value){.missing = !has, .v.d = pt.lower[l]};
        row[2 + 2 * l] = (csa_value){.missing = !has, .v.d = pt.upper[l]};
    }
    row[5] = calc_string(sig_known ? csa_funnel_signif_name(sig) : NULL);
    if (missing)
        snprintf(text, size, "suppressed or missing input: no result, and left out of the "
                 "funnel centre");
    else if (!sig_known)
        snprintf(text, size, "no denominator: no result");
    else
        text[0] = '\0';
    if (f->left_out && !missing)
        snprintf(text + strlen(text), size - strlen(text), "%sthe funnel centre leaves out %zu "
                 "row%s with a suppressed or missing input", text[0] ? "; " : "", f->left_out,
                 f->left_out == 1 ? "" : "s");
    row[6] = (csa_value){.missing = !text[0], .v.str = {text, strlen(text)}};
    return CSA_OK;
}

/* csa calc funnel: each row against the funnel around the table's average
 * (1 for ratios). */
csa_status calc_funnel(const csa_calc_args *a, const csa_calc_input *in, csa_table **out,
                       csa_error *err)
{
    const csa_table *t = in->table;
    if (a->dsr != (a->value != NULL) || (a->dsr && a->denominator))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "calc funnel --kind dsr takes --count and --value (the DSR), "
                             "the other kinds --count and --denominator");
    size_t n = csa_table_nrows(t), one = n ? n : 1, m = 0;
    size_t cc = csa_table_find(t, a->count),
           dc = csa_table_find(t, a->dsr ? a->value : a->denominator);
    double *num = malloc(one * sizeof *num), *den = malloc(one * sizeof *den);
    double *cnum = malloc(one * sizeof *cnum), *cden = malloc(one * sizeof *cden);
    bool *missing = malloc(one * sizeof *missing);
    csa_status st = num && den && cnum && cden && missing ? CSA_OK : calc_nomem(err);
    size_t zero = 0; /* rows of 0 over 0: nothing to add to the centre */
    /* a DSR's multiplier is per 100,000 unless --per says otherwise */
    double per = a->dsr && !calc_given(a, "per") ? 100000 : a->ratio && !calc_given(a, "per") ? 1
                                                                                              : a->per;
    csa_funnel_spec spec = {.kind = a->proportion ? CSA_FUNNEL_PROPORTION
                                    : a->ratio    ? CSA_FUNNEL_RATIO
                                    : a->dsr      ? CSA_FUNNEL_DSR
                                                  : CSA_FUNNEL_RATE,
                            .multiplier = per, .years = 1, .comparator = NAN};
    /* the centre from the rows that have both inputs: csa_funnel_summary
     * keeps a count without its denominator for DSR-derived ones, which
     * here would count events against nobody */
    for (size_t r = 0; r < n && !st; r++) {
        num[r] = calc_number(t, cc, r);
        den[r] = calc_number(t, dc, r);
        /* a DSR of no events is blank (calculate_dsr suppresses it): not missing */
        missing[r] = isnan(num[r]) || (isnan(den[r]) && !(a->dsr && num[r] == 0));
        if (a->dsr && den[r] == 0 && num[r] > 0)
            st = csa_error_set(err, CSA_ERR_VALUE, in->name, in->lines[r], dc + 1, a->value,
                               "0", "%s is 0 where %s is %g: a DSR of events is above 0",
                               a->value, a->count, num[r]);
        else if (den[r] == 0 && num[r] > 0)
            st = csa_error_set(err, CSA_ERR_VALUE, in->name, in->lines[r], dc + 1, a->denominator,
                               "0", "%s is 0 where %s is %g: events need a denominator above 0",
                               a->denominator, a->count, num[r]);
        /* a DSR's person-years, as the package derives them: none for 0 events */
        if (!st && a->dsr && !missing[r])
            den[r] = num[r] > 0 ? num[r] * per / den[r] : NAN;
        if (!st && a->dsr && num[r] == 0)
            den[r] = NAN;
        if (st || missing[r])
            continue;
        if (!a->dsr && den[r] == 0)
            zero++;
        else if (!isnan(den[r]))
            cnum[m] = num[r], cden[m++] = den[r];
    }
    size_t in_centre = m; /* with the DSRs of 0 events, whose count adds nothing */
    for (size_t r = 0; a->dsr && r < n && !st; r++)
        in_centre += !missing[r] && isnan(den[r]);
    double average, lo_den, hi_den;
    if (!st && m && !a->ratio &&
        !(st = csa_funnel_summary(cnum, cden, m, &average, &lo_den, &hi_den, err)))
        spec.comparator = average * per;
    static const char *const names[] = {"Funnel centre", "Lower 95% limit", "Upper 95% limit",
                                        "Lower 99.8% limit", "Upper 99.8% limit",
                                        "Significance", "Note"};
    static const csa_type types[] = {CSA_DOUBLE, CSA_DOUBLE, CSA_DOUBLE, CSA_DOUBLE,
                                     CSA_DOUBLE, CSA_STRING, CSA_STRING};
    funnel_rows ctx = {in, &spec, num, den, missing, n - in_centre - zero};
    if (!st)
        st = calc_each_row(t, names, types, 7, put_funnel, &ctx, out, err);
    free(num);
    free(den);
    free(cnum);
    free(cden);
    free(missing);
    return st;
}

/* ---- sii ---- */

/* The m rows of a group in the order of column qc (ascending, as phe_sii
 * arranges by its quantile): a blank or repeated quantile is an error. */
static csa_status order_quantiles(const csa_calc_args *a, const csa_calc_input *in, size_t qc,
                                  size_t *rows, size_t m, csa_error *err)
{
    const csa_table *t = in->table;
    for (size_t i = 1; i < m; i++) /* insertion sort: at most 100 quantiles */
        for (size_t j = i; j > 0 && calc_number(t, qc, rows[j]) < calc_number(t, qc, rows[j - 1]); j--) {
            size_t k = rows[j];
            rows[j] = rows[j - 1];
            rows[j - 1] = k;
        }
    for (size_t i = 0; i < m; i++) {
        double q = calc_number(t, qc, rows[i]);
        if (isnan(q) || (i && q == calc_number(t, qc, rows[i - 1])))
            return csa_error_set(err, CSA_ERR_VALUE, in->name, in->lines[rows[i]], qc + 1,
                                 a->quantile, NULL, isnan(q) ? "%s is blank: every row needs "
                                 "its quantile" : "%s repeats a quantile of its group: one row "
                                 "per quantile", a->quantile);
    }
    return CSA_OK;
}

/* What a group's note says for the flags of its SII. */
static const char *sii_note(const csa_calc_args *a, unsigned f)
{
    if (f & CSA_INEQ_INCOMPLETE)
        return a->value ? "a quantile has a blank or suppressed value or limit, or no "
                          "population: no SII (as phe_sii)"
                        : "a quantile has a suppressed or blank count, or no population: no "
                          "SII (as phe_sii)";
    if (!(f & CSA_INEQ_NO_INTERVAL))
        return NULL;
    if (a->value)
        return a->proportion ? "a quantile's value or limit is 0 or 1: no error on the logit "
                               "scale, so the SII and RII have no interval"
                             : "a quantile's value or limit is 0: no error on the log scale, "
                               "so the SII and RII have no interval";
    return a->proportion ? "a quantile's proportion is 0 or 1: no error on the logit scale, "
                           "so the SII and RII have no interval"
                         : "a quantile has no events: its rate of 0 has no error on the log "
                           "scale, so the SII and RII have no interval";
}

/* csa calc sii: one row per group from its quantiles, most deprived first:
 * rates or proportions from counts, or values with their 95% limits. */
csa_status calc_sii(const csa_calc_args *a, const csa_calc_input *in, csa_table **out,
                    csa_error *err)
{
    const csa_table *t = in->table;
    size_t n = csa_table_nrows(t), ngroups = 0, one = n ? n : 1;
    if (a->value && (a->count || !a->lower || !a->upper || !a->denominator))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "calc sii takes --count and --denominator, or --value, --lower, "
                             "--upper and --denominator (the population), not both");
    if (!a->value && (a->lower || a->upper || a->normal))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "calc sii takes --lower, --upper and --kind normal with --value");
    size_t cc = csa_table_find(t, a->value ? a->value : a->count),
           dc = csa_table_find(t, a->denominator);
    size_t lc = a->value ? csa_table_find(t, a->lower) : CSA_NO_ROW,
           uc = a->value ? csa_table_find(t, a->upper) : CSA_NO_ROW;
    uint32_t *group = NULL;
    double *count = malloc(one * sizeof *count), *pop = malloc(one * sizeof *pop);
    double *lower = malloc(one * sizeof *lower), *upper = malloc(one * sizeof *upper);
    size_t *rows = malloc(one * sizeof *rows);
    csa_value row[CSA_CALC_MAX_BY + 4 + 4 * CSA_MAX_LEVELS];
    csa_table *res = csa_table_create();
    csa_status st = count && pop && lower && upper && rows && res
                        ? calc_group_rows(a, in, &group, &ngroups, err) : calc_nomem(err);
    static const char *const quantiles[] = {"Quantiles"};
    if (!st)
        st = calc_add_columns(res, a, quantiles, 1, CSA_INT64);
    if (!st)
        st = csa_table_add_column(res, "SII", CSA_DOUBLE);
    if (!st)
        st = calc_add_ci_columns(res, "SII", &a->levels);
    if (!st)
        st = csa_table_add_column(res, "RII", CSA_DOUBLE);
    if (!st)
        st = calc_add_ci_columns(res, "RII", &a->levels);
    if (!st)
        st = csa_table_add_column(res, "Note", CSA_STRING);
    for (size_t g = 0; g < ngroups && !st; g++) {
        size_t m = calc_rows_of(group, n, g, rows);
        if (a->quantile &&
            (st = order_quantiles(a, in, csa_table_find(t, a->quantile), rows, m, err)))
            break;
        calc_gather(t, cc, rows, m, count);
        calc_gather(t, dc, rows, m, pop);
        csa_sii_options o;
        csa_sii_defaults(&o);
        o.levels = a->levels;
        o.seed = a->seed;
        csa_sii_result sii;
        csa_error why;
        if (a->value) {
            /* phe_sii's value_type and multiplier (default 1) */
            calc_gather(t, lc, rows, m, lower);
            calc_gather(t, uc, rows, m, upper);
            o.type = a->normal ? CSA_SII_OTHER : a->proportion ? CSA_SII_PROPORTION : CSA_SII_RATE;
            o.multiplier = calc_given(a, "per") ? a->per : 1;
            st = csa_sii(m, pop, count, lower, upper, NULL, &o, &sii, &why);
        } else if (a->proportion) {
            o.multiplier = a->per;
            st = csa_sii_proportions(m, count, pop, &o, &sii, &why);
        } else {
            st = csa_sii_rates(m, count, pop, a->per, &o, &sii, &why);
        }
        if (st) {
            /* the options are checked: a usage error is the table's number of
             * quantiles; an entry's error names its row's line */
            size_t i;
            int used = 0;
            uint64_t line = 0;
            if (sscanf(why.message, "index %zu: %n", &i, &used) == 1 && used && i < m)
                line = in->lines[rows[i]];
            st = csa_error_set(err, st == CSA_ERR_USAGE ? CSA_ERR_FORMAT : st, in->name, line,
                               0, NULL, NULL, "%s", why.message + (line ? used : 0));
            break;
        }
        size_t k = calc_put_group(a, t, rows[0], row);
        row[k++] = (csa_value){.v.i = (int64_t)m};
        k = calc_put_estimate(row, k, &sii.sii, a->levels.n);
        k = calc_put_estimate(row, k, &sii.rii, a->levels.n);
        row[k] = calc_string(sii_note(a, sii.sii.flags));
        st = csa_table_append_row(res, row, NULL); /* calc_hand_over words a failure */
    }
    free(group);
    free(count);
    free(pop);
    free(lower);
    free(upper);
    free(rows);
    return calc_hand_over(res, st, out, err);
}
