/* Comparison of an area with a comparator, as OHID Fingertips benchmarks
 * indicators, and the RAG colour that follows.
 *
 * Where the rule comes from: Fingertips' own code. The legacy service
 * (github.com/ukhsa-collaboration/fingertips-open,
 * PholioVisualisationWS/Analysis/SingleOverlappingCIsForOneCILevelComparer.cs)
 * calls an area similar when comparator.Value lies within the area's
 * interval, ends included, and otherwise worse or better by whether the
 * area's value is below or above it, swapped for "RAG - low is good"
 * (IndicatorComparer.AdjustForPolarity). GroupRootComparisonManager.cs
 * applies that same comparer with the England grouping and with the
 * subnational (region) one, and to a region against England; the
 * comparator's own confidence interval is never read. The current service
 * (github.com/dhsc-govuk/FingertipsNext,
 * api/DHSC.FingertipsNext.Modules.HealthData.Service/BenchmarkComparisonEngine.cs,
 * CompareDataPoints) does the same for any benchmark area: the area's
 * limits against benchmarkDataPoint.Value. So a region or a group of areas
 * is compared exactly like England: its value is taken as fixed, and its
 * interval plays no part.
 *
 * Fingertips has one method that does use both intervals
 * (DoubleOverlappingCIsComparer.cs, comparator method 12), for indicators
 * configured with it and for a value against an earlier one
 * (TrendBetweenTwoValuesCalculator.cs); csa_compare_overlap is that rule. */
#include <math.h>

#include "csa/stats.h"

static csa_status check_polarity(csa_polarity polarity, csa_error *err)
{
    if (polarity != CSA_POLARITY_LOW_IS_GOOD && polarity != CSA_POLARITY_HIGH_IS_GOOD &&
        polarity != CSA_POLARITY_NO_JUDGEMENT)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "polarity %d is not low is good, high is good or no judgement",
                             (int)polarity);
    return CSA_OK;
}

/* direction: 1 when the area is significantly higher, -1 lower, 0 similar */
static csa_outcome judge(int direction, csa_polarity polarity)
{
    if (direction == 0)
        return CSA_SIMILAR;
    switch (polarity) {
    case CSA_POLARITY_LOW_IS_GOOD:
        return direction > 0 ? CSA_WORSE : CSA_BETTER;
    case CSA_POLARITY_HIGH_IS_GOOD:
        return direction > 0 ? CSA_BETTER : CSA_WORSE;
    case CSA_POLARITY_NO_JUDGEMENT:
        break;
    }
    return direction > 0 ? CSA_HIGHER : CSA_LOWER;
}

static csa_status check_interval(double lower, double upper, csa_error *err)
{
    if (lower > upper)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "a lower limit (%g) above its upper limit (%g)", lower, upper);
    return CSA_OK;
}

csa_status csa_compare(double lower, double upper, double comparator, csa_polarity polarity,
                       csa_outcome *out, csa_error *err)
{
    *out = CSA_NOT_COMPARED;
    csa_status st = check_polarity(polarity, err);
    if (st || (st = check_interval(lower, upper, err)))
        return st;
    if (isnan(lower) || isnan(upper) || isnan(comparator))
        return CSA_OK;
    int direction = upper < comparator ? -1 : lower > comparator ? 1 : 0;
    *out = judge(direction, polarity);
    return CSA_OK;
}

csa_status csa_compare_estimate(const csa_estimate *area, const csa_levels *levels,
                                size_t level_index, double comparator, csa_polarity polarity,
                                csa_outcome *out, csa_error *err)
{
    *out = CSA_NOT_COMPARED;
    csa_status st = csa_levels_check(levels, err);
    if (st)
        return st;
    if (level_index >= levels->n)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "level %zu asked for, of %zu", level_index + 1, levels->n);
    return csa_compare(area->lower[level_index], area->upper[level_index], comparator,
                       polarity, out, err);
}

csa_status csa_compare_overlap(double value, double lower, double upper, double cmp_value,
                               double cmp_lower, double cmp_upper, csa_polarity polarity,
                               csa_outcome *out, csa_error *err)
{
    *out = CSA_NOT_COMPARED;
    csa_status st = check_polarity(polarity, err);
    if (st || (st = check_interval(lower, upper, err)) ||
        (st = check_interval(cmp_lower, cmp_upper, err)))
        return st;
    if (isnan(value) || isnan(lower) || isnan(upper) || isnan(cmp_value) ||
        isnan(cmp_lower) || isnan(cmp_upper))
        return CSA_OK;
    /* DoubleOverlappingCIsComparer.DoCIsOverlap: the lower interval's upper
     * end reaches the higher interval's lower end */
    int overlap = value < cmp_value ? cmp_lower <= upper : lower <= cmp_upper;
    int direction = overlap ? 0 : value < cmp_value ? -1 : 1;
    *out = judge(direction, polarity);
    return CSA_OK;
}

const char *csa_outcome_name(csa_outcome outcome)
{
    switch (outcome) {
    case CSA_NOT_COMPARED: break;
    case CSA_BETTER: return "Better";
    case CSA_SIMILAR: return "Similar";
    case CSA_WORSE: return "Worse";
    case CSA_HIGHER: return "Higher";
    case CSA_LOWER: return "Lower";
    }
    return "Not compared";
}

csa_rag csa_outcome_rag(csa_outcome outcome, csa_polarity polarity)
{
    if (polarity == CSA_POLARITY_NO_JUDGEMENT)
        return CSA_RAG_NEUTRAL;
    switch (outcome) {
    case CSA_BETTER: return CSA_RAG_GREEN;
    case CSA_SIMILAR: return CSA_RAG_AMBER;
    case CSA_WORSE: return CSA_RAG_RED;
    case CSA_NOT_COMPARED:
    case CSA_HIGHER:
    case CSA_LOWER: break;
    }
    return CSA_RAG_NEUTRAL;
}

/* Fingertips' palette: fingertips-open, IndicatorsUI/MainUI/angular-app/
 * src/app/shared/shared.ts, class Colour (ragBetter, ragSame, ragWorse,
 * bobHigher, bobLower, noComparison). */
const char *csa_outcome_colour(csa_outcome outcome)
{
    switch (outcome) {
    case CSA_NOT_COMPARED: break;
    case CSA_BETTER: return "#92d050";
    case CSA_SIMILAR: return "#ffc000";
    case CSA_WORSE: return "#c00000";
    case CSA_HIGHER: return "#c2ccff";
    case CSA_LOWER: return "#5555e6";
    }
    return "#c9c9c9";
}
