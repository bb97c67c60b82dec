/* Proportions with Wilson score intervals at several levels, as
 * PHEindicatormethods' phe_proportion computes them. */
#include <math.h>

#include "csa/stats.h"
#include "internal.h"

static csa_status bad_proportion(csa_error *err, double numerator, double denominator)
{
    return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, NULL, NULL,
                         "a proportion needs 0 <= numerator (%g) <= denominator (%g)",
                         numerator, denominator);
}

csa_status csa_proportion_estimate(double numerator, double denominator, double multiplier,
                                   const csa_levels *levels, csa_estimate *out,
                                   csa_error *err)
{
    csa_estimate_missing(out, 0);
    csa_status st = csa_levels_check(levels, err);
    if (st)
        return st;
    if (!(multiplier > 0) || !isfinite(multiplier))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "a proportion's multiplier must be above 0, not %g", multiplier);
    /* data errors before missing values, so that a bad row is never
     * silently reported as merely missing */
    if (numerator < 0 || isinf(numerator) || denominator < 0 || isinf(denominator))
        return bad_proportion(err, numerator, denominator);
    if (!isnan(numerator) && !isnan(denominator) && numerator > denominator)
        return bad_proportion(err, numerator, denominator);
    if (isnan(numerator)) {
        out->flags = CSA_RATE_NO_COUNT;
        return CSA_OK;
    }
    if (!(denominator > 0)) {
        out->flags = CSA_RATE_NO_DENOMINATOR;
        return CSA_OK;
    }
    double lo[CSA_MAX_LEVELS], hi[CSA_MAX_LEVELS];
    for (size_t k = 0; k < levels->n; k++)
        if ((st = csa_wilson_ci(numerator, denominator, levels->level[k], &lo[k], &hi[k], err)))
            return st;
    out->value = numerator / denominator * multiplier;
    for (size_t k = 0; k < levels->n; k++) {
        out->lower[k] = lo[k] * multiplier;
        out->upper[k] = hi[k] * multiplier;
    }
    return CSA_OK;
}
