/* Weighted survey proportions with Kish's design effect, breakdowns and
 * change between waves. */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "csa/survey.h"
#include "internal.h"

static void start(csa_survey_proportion *p)
{
    *p = (csa_survey_proportion){0};
    csa_estimate_missing(&p->p, 0);
}

/* Every answer and weight is checked before anything is summed, so that an
 * error leaves no half-filled output behind it. */
static csa_status check_respondents(size_t n, const double *answer, const double *weight,
                                    csa_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (!isnan(answer[i]) && answer[i] != 0 && answer[i] != 1)
            return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, "answer", NULL,
                                 "respondent %zu: answer %g is not 1 (yes), 0 (no) or missing",
                                 i, answer[i]);
        if (weight && (weight[i] < 0 || isinf(weight[i])))
            return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, "weight", NULL,
                                 "respondent %zu: weight %g is not a number of 0 or more", i,
                                 weight[i]);
    }
    return CSA_OK;
}

static csa_status check_codes(size_t n, const uint32_t *code, size_t ncodes, const char *what,
                              csa_error *err)
{
    for (size_t i = 0; i < n; i++)
        if (code[i] != CSA_SURVEY_NO_GROUP && code[i] >= ncodes)
            return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, what, NULL,
                                 "respondent %zu: %s code %u is not below %zu", i, what,
                                 (unsigned)code[i], ncodes);
    return CSA_OK;
}

static void add(csa_survey_proportion *p, double answer, double w)
{
    if (isnan(answer) || isnan(w) || w == 0)
        return;
    p->respondents++;
    p->weight_sum += w;
    p->weight_sq_sum += w * w;
    if (answer == 1) {
        p->yes++;
        p->yes_weight_sum += w;
    }
}

static csa_status finish(csa_survey_proportion *p, const csa_levels *levels, csa_error *err)
{
    if (p->respondents == 0) {
        p->n_eff = p->deff = NAN;
        p->p.flags = CSA_SURVEY_NO_RESPONSES;
        return CSA_OK;
    }
    p->n_eff = p->weight_sum * p->weight_sum / p->weight_sq_sum;
    p->deff = (double)p->respondents / p->n_eff;
    double prop = p->yes_weight_sum / p->weight_sum;
    p->p.value = prop;
    for (size_t k = 0; k < levels->n; k++) {
        /* rounding can put p * n_eff a hair above n_eff when everyone said yes */
        double successes = fmin(prop * p->n_eff, p->n_eff);
        csa_status st = csa_wilson_ci(successes, p->n_eff, levels->level[k], &p->p.lower[k],
                                      &p->p.upper[k], err);
        if (st)
            return st;
    }
    return CSA_OK;
}

/* The common path: cell[i] is the output index of respondent i, or SIZE_MAX. */
typedef size_t (*cell_of)(size_t i, const void *ctx);

static csa_status tabulate(size_t n, const double *answer, const double *weight, size_t ncells,
                           cell_of cell, const void *ctx, const csa_levels *levels,
                           csa_survey_proportion *out, csa_error *err)
{
    csa_gsl_quiet();
    csa_status st = csa_levels_check(levels, err);
    if (st || (st = check_respondents(n, answer, weight, err)))
        return st;
    for (size_t c = 0; c < ncells; c++)
        start(&out[c]);
    for (size_t i = 0; i < n; i++) {
        size_t c = cell(i, ctx);
        if (c != SIZE_MAX)
            add(&out[c], answer[i], weight ? weight[i] : 1);
    }
    for (size_t c = 0; c < ncells; c++)
        if ((st = finish(&out[c], levels, err)))
            return st;
    return CSA_OK;
}

static size_t everyone(size_t i, const void *ctx)
{
    (void)i;
    (void)ctx;
    return 0;
}

csa_status csa_survey_proportion_compute(size_t n, const double *answer, const double *weight,
                                         const csa_levels *levels, csa_survey_proportion *out,
                                         csa_error *err)
{
    return tabulate(n, answer, weight, 1, everyone, NULL, levels, out, err);
}

static size_t by_one_code(size_t i, const void *ctx)
{
    const uint32_t *group = ctx;
    return group[i] == CSA_SURVEY_NO_GROUP ? SIZE_MAX : group[i];
}

csa_status csa_survey_by_group(size_t n, const double *answer, const double *weight,
                               const uint32_t *group, size_t ngroups,
                               const csa_levels *levels, csa_survey_proportion *out,
                               csa_error *err)
{
    csa_status st = check_codes(n, group, ngroups, "group", err);
    if (st)
        return st;
    return tabulate(n, answer, weight, ngroups, by_one_code, group, levels, out, err);
}

typedef struct two_codes {
    const uint32_t *area, *group;
    size_t ngroups;
} two_codes;

static size_t by_two_codes(size_t i, const void *ctx)
{
    const two_codes *t = ctx;
    if (t->area[i] == CSA_SURVEY_NO_GROUP || t->group[i] == CSA_SURVEY_NO_GROUP)
        return SIZE_MAX;
    return (size_t)t->area[i] * t->ngroups + t->group[i];
}

csa_status csa_survey_by_area_group(size_t n, const double *answer, const double *weight,
                                    const uint32_t *area, size_t nareas, const uint32_t *group,
                                    size_t ngroups, const csa_levels *levels,
                                    csa_survey_proportion *out, csa_error *err)
{
    if (ngroups && nareas > SIZE_MAX / ngroups)
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL,
                             "%zu areas by %zu groups is too many cells", nareas, ngroups);
    csa_status st = check_codes(n, area, nareas, "area", err);
    if (st || (st = check_codes(n, group, ngroups, "group", err)))
        return st;
    two_codes t = {area, group, ngroups};
    return tabulate(n, answer, weight, nareas * ngroups, by_two_codes, &t, levels, out, err);
}

csa_status csa_survey_change_compute(const csa_survey_proportion *before,
                                     const csa_survey_proportion *after,
                                     const csa_levels *levels, csa_survey_change *out,
                                     csa_error *err)
{
    csa_gsl_quiet();
    csa_estimate_missing(&out->difference, 0);
    out->z = out->p_value = NAN;
    for (size_t k = 0; k < CSA_MAX_LEVELS; k++)
        out->significant[k] = 0;
    csa_status st = csa_levels_check(levels, err);
    if (st)
        return st;
    if (before->respondents == 0 || after->respondents == 0 || isnan(before->p.value) ||
        isnan(after->p.value)) {
        out->difference.flags = CSA_SURVEY_NO_RESPONSES;
        return CSA_OK;
    }
    double p1 = before->p.value, n1 = before->n_eff;
    double p2 = after->p.value, n2 = after->n_eff;
    out->difference.value = p2 - p1;
    for (size_t k = 0; k < levels->n; k++) {
        double l1, u1, l2, u2;
        if ((st = csa_wilson_ci(fmin(p1 * n1, n1), n1, levels->level[k], &l1, &u1, err)) ||
            (st = csa_wilson_ci(fmin(p2 * n2, n2), n2, levels->level[k], &l2, &u2, err)))
            return st;
        out->difference.lower[k] = (p2 - p1) - sqrt((p2 - l2) * (p2 - l2) + (u1 - p1) * (u1 - p1));
        out->difference.upper[k] = (p2 - p1) + sqrt((u2 - p2) * (u2 - p2) + (p1 - l1) * (p1 - l1));
    }
    double pooled = (n1 * p1 + n2 * p2) / (n1 + n2);
    double se = sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
    if (se > 0) {
        out->z = (p2 - p1) / se;
        out->p_value = 2 * gsl_cdf_ugaussian_Q(fabs(out->z));
    } else {
        /* both waves all yes or all no: no change to test */
        out->z = 0;
        out->p_value = 1;
    }
    for (size_t k = 0; k < levels->n; k++)
        out->significant[k] = out->p_value < 1 - levels->level[k] / 100;
    return CSA_OK;
}

static bool same_word(const char *text, size_t len, const char *word)
{
    return strlen(word) == len && strncasecmp(text, word, len) == 0;
}

csa_status csa_survey_answer_read(const char *text, size_t len, const char *const *answers,
                                  size_t nanswers, double *value, csa_error *err)
{
    static const char *const yes[] = {"yes", "y", "1", "true"};
    static const char *const no[] = {"no", "n", "0", "false"};
    while (len && (text[0] == ' ' || text[0] == '\t'))
        text++, len--;
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        len--;
    *value = NAN;
    if (!len)
        return CSA_OK;
    if (nanswers) {
        *value = 0;
        for (size_t k = 0; k < nanswers; k++)
            if (same_word(text, len, answers[k]))
                *value = 1;
        return CSA_OK;
    }
    for (size_t k = 0; k < sizeof yes / sizeof yes[0]; k++) {
        if (same_word(text, len, yes[k]))
            return *value = 1, CSA_OK;
        if (same_word(text, len, no[k]))
            return *value = 0, CSA_OK;
    }
    char shown[CSA_ERROR_VALUE_MAX];
    snprintf(shown, sizeof shown, "%.*s", (int)(len < sizeof shown ? len : sizeof shown - 1),
             text);
    return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, NULL, shown,
                         "\"%s\" is not an answer (Yes, No, 1, 0 or blank)", shown);
}
