/* csa/survey.h: estimates from a weighted survey (such as a community
 * safety survey, one row per respondent): the weighted proportion answering
 * yes to a question, with the design effect of the weights, its breakdown by
 * area and by respondent group, and change between two waves.
 *
 * Plain arrays of n respondents in; structs and arrays the caller provides
 * out; no function here returns memory.
 *
 * Answers: 1 for yes, 0 for no, NaN for no answer (left out). Any other
 * value is CSA_ERR_VALUE naming the respondent's index (from 0).
 * Weights: NULL means every respondent weighs 1. A NaN weight leaves the
 * respondent out, as does a weight of 0 (they add nothing to any sum, and
 * counting them would inflate the design effect); a negative or infinite
 * weight is CSA_ERR_VALUE naming the index. */
#ifndef CSA_SURVEY_H
#define CSA_SURVEY_H

#include <stddef.h>
#include <stdint.h>

#include "csa/error.h"
#include "csa/stats.h"

/* Flag in csa_estimate.flags: nobody in the cell answered (with a weight
 * above 0), so there is no estimate. Apart from csa/trend.h's and
 * csa/inequality.h's bits. */
enum { CSA_SURVEY_NO_RESPONSES = 1u << 20 };

/* A group code meaning "not known": the respondent is left out of a
 * breakdown by that code. */
#define CSA_SURVEY_NO_GROUP UINT32_MAX

/* A weighted proportion, p = sum of yes weights / sum of weights, with
 * Kish's effective sample size n_eff = (sum w)^2 / sum w^2 and design
 * effect deff = respondents / n_eff (Kish 1992, "Weighting for unequal
 * Pi", J Off Stat 8:183-200). The interval is Wilson's score interval with
 * n_eff in place of n and p * n_eff successes (csa_wilson_ci), so
 * unequal weights widen it as they should. */
typedef struct csa_survey_proportion {
    size_t respondents; /* answered, with a weight above 0 */
    size_t yes;         /* of them, answered yes (unweighted) */
    double weight_sum, weight_sq_sum, yes_weight_sum;
    double n_eff, deff;
    csa_estimate p; /* proportion in [0, 1]; times 100 for a percentage */
} csa_survey_proportion;

/* The weighted proportion of respondents answering yes. */
csa_status csa_survey_proportion_compute(size_t n, const double *answer, const double *weight,
                                         const csa_levels *levels, csa_survey_proportion *out,
                                         csa_error *err);

/* The same for each of ngroups groups: out[g] for respondents with
 * group[i] == g. A code of CSA_SURVEY_NO_GROUP leaves the respondent out;
 * any other code of ngroups or more is CSA_ERR_VALUE naming the index.
 * Use it for a breakdown by area (codes of areas) or by respondent group
 * (age band, sex). A group nobody answered in has NaN estimates flagged
 * CSA_SURVEY_NO_RESPONSES. */
csa_status csa_survey_by_group(size_t n, const double *answer, const double *weight,
                               const uint32_t *group, size_t ngroups,
                               const csa_levels *levels, csa_survey_proportion *out,
                               csa_error *err);

/* The cross-breakdown: out[a * ngroups + g] for respondents in area a and
 * group g; out has nareas * ngroups entries (CSA_ERR_NOMEM if that
 * overflows). Codes as for csa_survey_by_group. */
csa_status csa_survey_by_area_group(size_t n, const double *answer, const double *weight,
                                    const uint32_t *area, size_t nareas, const uint32_t *group,
                                    size_t ngroups, const csa_levels *levels,
                                    csa_survey_proportion *out, csa_error *err);

/* Reads one respondent's answer as every survey reader in csa does, into
 * *value: 1 (counted), 0 (not counted) or NaN (no answer).
 * - text (len bytes, need not end in NUL; spaces and tabs around it are
 *   not part of it) that is blank is no answer;
 * - with answers (nanswers of them), text equal to one of them ignoring
 *   case is 1 and any other text 0: the config's `answers = Very safe,
 *   Fairly safe` counts those two and no others;
 * - with no answers list (nanswers 0), the yes words yes, y, 1, true are 1
 *   and the no words no, n, 0, false are 0, ignoring case; any other text
 *   is CSA_ERR_VALUE with the text as the error's value. */
csa_status csa_survey_answer_read(const char *text, size_t len, const char *const *answers,
                                  size_t nanswers, double *value, csa_error *err);

/* Change from one wave (before) to the next (after), for independent
 * samples.
 *
 * difference: p_after - p_before with Newcombe's hybrid score interval
 * (Newcombe 1998, Stat Med 17:873-890, method 10) built from the two
 * Wilson intervals on effective sample sizes.
 *
 * z, p_value: the two-proportion z-test with the pooled proportion,
 * z = (p2 - p1) / sqrt(p (1 - p) (1 / n1 + 1 / n2)) with p = (n1 p1 +
 * n2 p2) / (n1 + n2), two-sided, on the effective sample sizes n_eff so
 * that the weights' design effect is allowed for (Kish 1965, Survey
 * Sampling; the same test as Pearson's chi-square without
 * continuity correction, R's prop.test(correct = FALSE), on n_eff).
 * significant[k] is whether p_value < 1 - levels[k] / 100. Equal
 * proportions of 0 or 1 give z = 0 and p_value = 1. */
typedef struct csa_survey_change {
    csa_estimate difference;
    double z, p_value;
    int significant[CSA_MAX_LEVELS];
} csa_survey_change;

/* Either wave with no responses gives NaN throughout, flagged
 * CSA_SURVEY_NO_RESPONSES. */
csa_status csa_survey_change_compute(const csa_survey_proportion *before,
                                     const csa_survey_proportion *after,
                                     const csa_levels *levels, csa_survey_change *out,
                                     csa_error *err);

#endif
