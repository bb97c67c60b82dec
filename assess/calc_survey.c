/* csa calc survey and survey-change: weighted answers to a question, per
 * --by group, and their change between two waves. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc_methods.h"

/* Every respondent's answer (1, 0, NaN) and weight (NaN when blank), read
 * as csa_survey_answer_read reads answers. */
static csa_status read_respondents(const csa_calc_args *a, const csa_calc_input *in,
                                   double *answer, double *weight, csa_error *err)
{
    const csa_table *t = in->table;
    size_t ac = csa_table_find(t, a->answer), wc = csa_table_find(t, a->weight);
    if (csa_table_column_type(t, ac) != CSA_STRING)
        return csa_error_set(err, CSA_ERR_USAGE, in->name, 0, 0, a->answer, NULL,
                             "--answer must not also be a numeric column");
    for (size_t r = 0; r < csa_table_nrows(t); r++) {
        size_t len;
        const char *s = calc_text(t, ac, r, &len);
        csa_error why;
        weight[r] = calc_number(t, wc, r);
        if (csa_survey_answer_read(s, len, a->yes, a->nyes, &answer[r], &why))
            return csa_error_set(err, CSA_ERR_VALUE, in->name, in->lines[r], ac + 1, a->answer,
                                 s, "%s %s", a->answer, why.message);
    }
    return CSA_OK;
}

/* A proportion as a percentage. */
static csa_estimate percent(csa_estimate e, size_t nlevels)
{
    e.value *= 100;
    for (size_t l = 0; l < nlevels; l++) {
        e.lower[l] *= 100;
        e.upper[l] *= 100;
    }
    return e;
}

/* The arrays both methods need, one per respondent. */
typedef struct respondents {
    double *answer, *weight;
    uint32_t *group, *cell;
    size_t *first; /* each group's first row */
    size_t ngroups;
} respondents;

static csa_status start(const csa_calc_args *a, const csa_calc_input *in, respondents *p,
                        csa_error *err)
{
    size_t one = csa_table_nrows(in->table) ? csa_table_nrows(in->table) : 1;
    *p = (respondents){malloc(one * sizeof *p->answer), malloc(one * sizeof *p->weight), NULL,
                       malloc(one * sizeof *p->cell), malloc(one * sizeof *p->first), 0};
    if (!p->answer || !p->weight || !p->cell || !p->first)
        return calc_nomem(err);
    csa_status st = calc_group_rows(a, in, &p->group, &p->ngroups, err);
    if (!st)
        st = read_respondents(a, in, p->answer, p->weight, err);
    for (size_t r = csa_table_nrows(in->table); !st && r-- > 0;)
        p->first[p->group[r]] = r;
    return st;
}

static void finish(respondents *p)
{
    free(p->answer);
    free(p->weight);
    free(p->group);
    free(p->cell);
    free(p->first);
}

/* Weighted proportions for ncells cells, codes in p->cell, into a new *res. */
static csa_status tabulate(const csa_calc_args *a, const csa_calc_input *in, respondents *p,
                           size_t ncells, csa_survey_proportion **res, csa_error *err)
{
    csa_error why;
    *res = calloc(ncells ? ncells : 1, sizeof **res);
    if (!*res)
        return calc_nomem(err);
    size_t n = csa_table_nrows(in->table);
    csa_status st = n ? csa_survey_by_group(n, p->answer, p->weight, p->cell, ncells,
                                            &a->levels, *res, &why)
                      : CSA_OK;
    return st ? csa_error_set(err, st, in->name, 0, 0, NULL, NULL, "%s", why.message) : CSA_OK;
}

/* Respondents of each of ncells cells (codes in p->cell) whose weight is
 * blank or 0: csa_survey_by_group leaves them out, and the note says so. */
static size_t *unweighted(const csa_calc_input *in, const respondents *p, size_t ncells)
{
    size_t *n = calloc(ncells ? ncells : 1, sizeof *n);
    for (size_t r = 0; n && r < csa_table_nrows(in->table); r++)
        n[p->cell[r]] += isnan(p->weight[r]) || p->weight[r] == 0;
    return n;
}

/* "3 respondents with a blank or zero weight left out" into buf, or NULL. */
static const char *unweighted_note(size_t n, const char *before, char *buf, size_t size)
{
    if (!n)
        return before;
    snprintf(buf, size, "%s%s%zu respondent%s with a blank or zero weight left out",
             before ? before : "", before ? "; " : "", n, n == 1 ? "" : "s");
    return buf;
}

/* csa calc survey: weighted percentage answering yes, per group. */
csa_status calc_survey(const csa_calc_args *a, const csa_calc_input *in, csa_table **out,
                       csa_error *err)
{
    respondents p;
    csa_survey_proportion *res = NULL;
    csa_value row[CSA_CALC_MAX_BY + 6 + 2 * CSA_MAX_LEVELS];
    csa_table *t = csa_table_create();
    size_t *left_out = NULL;
    char note[128];
    csa_status st = t ? start(a, in, &p, err) : calc_nomem(err);
    if (!st) {
        memcpy(p.cell, p.group, csa_table_nrows(in->table) * sizeof *p.cell);
        st = tabulate(a, in, &p, p.ngroups, &res, err);
    }
    if (!st && !(left_out = unweighted(in, &p, p.ngroups)))
        st = calc_nomem(err);
    static const char *const counts[] = {"Respondents", "Answered yes"};
    static const char *const sizes[] = {"Effective sample size", "Design effect",
                                        "Percent yes"};
    if (!st)
        st = calc_add_columns(t, a, counts, 2, CSA_INT64);
    for (size_t k = 0; k < 3 && !st; k++)
        st = csa_table_add_column(t, sizes[k], CSA_DOUBLE);
    if (!st)
        st = calc_add_ci_columns(t, "Percent yes", &a->levels);
    if (!st)
        st = csa_table_add_column(t, "Note", CSA_STRING);
    for (size_t g = 0; g < p.ngroups && !st; g++) {
        size_t k = calc_put_group(a, in->table, p.first[g], row);
        row[k++] = (csa_value){.v.i = (int64_t)res[g].respondents};
        row[k++] = (csa_value){.v.i = (int64_t)res[g].yes};
        row[k++] = calc_double(res[g].n_eff);
        row[k++] = calc_double(res[g].deff);
        csa_estimate pct = percent(res[g].p, a->levels.n);
        k = calc_put_estimate(row, k, &pct, a->levels.n);
        row[k] = calc_string(unweighted_note(left_out[g], NULL, note, sizeof note));
        st = csa_table_append_row(t, row, NULL); /* calc_hand_over words a failure */
    }
    if (t)
        finish(&p);
    free(res);
    free(left_out);
    return calc_hand_over(t, st, out, err);
}

/* Each respondent's cell, group * 2 + wave, with the waves' names in the
 * order they first appear; exactly two waves. */
static csa_status waves(const csa_calc_args *a, const csa_calc_input *in, respondents *p,
                        const char *name[2], csa_error *err)
{
    csa_status st = calc_two_sides(in, a->wave, "wave", "respondent", "survey-change",
                                   p->cell, name, err);
    for (size_t r = 0; r < csa_table_nrows(in->table) && !st; r++)
        p->cell[r] += p->group[r] * 2;
    return st;
}

/* csa calc survey-change: the change between two waves, per group. */
csa_status calc_survey_change(const csa_calc_args *a, const csa_calc_input *in,
                              csa_table **out, csa_error *err)
{
    respondents p;
    csa_survey_proportion *res = NULL;
    const char *wave[2] = {NULL, NULL};
    csa_value row[CSA_CALC_MAX_BY + 10 + 3 * CSA_MAX_LEVELS];
    csa_table *t = csa_table_create();
    size_t *left_out = NULL;
    char note[160];
    csa_status st = t ? start(a, in, &p, err) : calc_nomem(err);
    if (!st)
        st = waves(a, in, &p, wave, err);
    if (!st)
        st = tabulate(a, in, &p, 2 * p.ngroups, &res, err);
    if (!st && !(left_out = unweighted(in, &p, 2 * p.ngroups)))
        st = calc_nomem(err);
    static const char *const names[] = {"Before", "After"};
    static const char *const counts[] = {"Respondents before", "Respondents after"};
    static const char *const values[] = {"Percent yes before", "Percent yes after",
                                         "Change (percentage points)"};
    if (!st)
        st = calc_add_columns(t, a, names, 2, CSA_STRING);
    for (size_t k = 0; k < 2 && !st; k++)
        st = csa_table_add_column(t, counts[k], CSA_INT64);
    for (size_t k = 0; k < 3 && !st; k++)
        st = csa_table_add_column(t, values[k], CSA_DOUBLE);
    if (!st)
        st = calc_add_ci_columns(t, "Change", &a->levels);
    if (!st)
        st = csa_table_add_column(t, "z", CSA_DOUBLE);
    if (!st)
        st = csa_table_add_column(t, "p-value", CSA_DOUBLE);
    for (size_t l = 0; l < a->levels.n && !st; l++) {
        char name[64];
        snprintf(name, sizeof name, "Significant at %g%%", a->levels.level[l]);
        st = csa_table_add_column(t, name, CSA_STRING);
    }
    if (!st)
        st = csa_table_add_column(t, "Note", CSA_STRING);
    for (size_t g = 0; g < p.ngroups && !st; g++) {
        const csa_survey_proportion *before = &res[2 * g], *after = &res[2 * g + 1];
        csa_survey_change ch;
        csa_error why;
        if ((st = csa_survey_change_compute(before, after, &a->levels, &ch, &why))) {
            st = csa_error_set(err, st, in->name, 0, 0, NULL, NULL, "%s", why.message);
            break;
        }
        bool none = ch.difference.flags & CSA_SURVEY_NO_RESPONSES;
        size_t k = calc_put_group(a, in->table, p.first[g], row);
        row[k++] = calc_string(wave[0]);
        row[k++] = calc_string(wave[1]);
        row[k++] = (csa_value){.v.i = (int64_t)before->respondents};
        row[k++] = (csa_value){.v.i = (int64_t)after->respondents};
        row[k++] = calc_double(before->p.value * 100);
        row[k++] = calc_double(after->p.value * 100);
        csa_estimate d = percent(ch.difference, a->levels.n);
        k = calc_put_estimate(row, k, &d, a->levels.n);
        row[k++] = calc_double(ch.z);
        row[k++] = calc_double(ch.p_value);
        for (size_t l = 0; l < a->levels.n; l++)
            row[k++] = calc_string(none ? NULL : ch.significant[l] ? "yes" : "no");
        row[k] = calc_string(unweighted_note(left_out[2 * g] + left_out[2 * g + 1],
                                             none ? "a wave has no responses: no change" : NULL,
                                             note, sizeof note));
        st = csa_table_append_row(t, row, NULL); /* calc_hand_over words a failure */
    }
    if (t)
        finish(&p);
    free(res);
    free(left_out);
    return calc_hand_over(t, st, out, err);
}
