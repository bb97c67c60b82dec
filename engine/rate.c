/* Rates with confidence intervals, as PHEindicatormethods and OHID
 * Fingertips compute them. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <pthread.h>

#include "csa/stats.h"
#include "internal.h"

static void gsl_quiet_once(void) { gsl_set_error_handler_off(); }

void csa_gsl_quiet(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, gsl_quiet_once);
}

csa_status csa_poisson_ci(double count, double level, double *lower, double *upper,
                          unsigned *flags, csa_error *err)
{
    csa_gsl_quiet();
    *lower = *upper = NAN;
    if (!(count >= 0) || count != floor(count) || !isfinite(count))
        return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, NULL, NULL,
                             "a count must be a whole number of 0 or more, not %g", count);
    if (!(level > 0 && level < 100))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "confidence level %g is not between 0 and 100", level);
    double alpha = 1 - level / 100;
    if (count < 10) {
        /* exact limits from the chi-square distribution (Ulm 1990) */
        *lower = count == 0 ? 0 : gsl_cdf_chisq_Pinv(alpha / 2, 2 * count) / 2;
        *upper = gsl_cdf_chisq_Pinv(1 - alpha / 2, 2 * count + 2) / 2;
        if (flags)
            *flags |= CSA_RATE_EXACT;
    } else {
        /* Byar's approximation (Breslow and Day 1987) */
        double z = gsl_cdf_ugaussian_Pinv(1 - alpha / 2);
        double o = count, o1 = count + 1;
        *lower = o * pow(1 - 1 / (9 * o) - z / (3 * sqrt(o)), 3);
        *upper = o1 * pow(1 - 1 / (9 * o1) + z / (3 * sqrt(o1)), 3);
    }
    if (!isfinite(*lower) || !isfinite(*upper))
        return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, NULL, NULL,
                             "no confidence interval for a count of %g", count);
    return CSA_OK;
}

csa_status csa_rate_crude(double count, double denominator, double per, double level,
                          csa_rate *out, csa_error *err)
{
    out->value = out->lower = out->upper = NAN;
    out->flags = 0;
    double lo, hi;
    csa_status st = csa_poisson_ci(count, level, &lo, &hi, &out->flags, err);
    if (st)
        return st;
    if (!(denominator > 0) || !isfinite(denominator)) {
        out->flags |= CSA_RATE_NO_DENOMINATOR;
        return CSA_OK;
    }
    out->value = count / denominator * per;
    out->lower = lo / denominator * per;
    out->upper = hi / denominator * per;
    return CSA_OK;
}

csa_status csa_wilson_ci(double successes, double n, double level, double *lower,
                         double *upper, csa_error *err)
{
    csa_gsl_quiet();
    *lower = *upper = NAN;
    if (!(level > 0 && level < 100))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "confidence level %g is not between 0 and 100", level);
    if (!(n > 0) || !isfinite(n) || !(successes >= 0) || successes > n)
        return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, NULL, NULL,
                             "a proportion needs 0 <= numerator (%g) <= denominator (%g), "
                             "denominator above 0", successes, n);
    double z = gsl_cdf_ugaussian_Pinv(1 - (1 - level / 100) / 2);
    double p = successes / n, z2 = z * z;
    double root = z * sqrt(z2 + 4 * successes * (1 - p));
    *lower = (2 * successes + z2 - root) / (2 * (n + z2));
    *upper = (2 * successes + z2 + root) / (2 * (n + z2));
    /* rounding can leave the limits a hair outside [0, 1] at the ends */
    *lower = *lower < 0 ? 0 : *lower;
    *upper = *upper > 1 ? 1 : *upper;
    return CSA_OK;
}

void csa_result_free(csa_result *r)
{
    if (!r)
        return;
    csa_table_free(r->table);
    r->table = NULL;
}

csa_status csa_levels_check(const csa_levels *levels, csa_error *err)
{
    if (!levels || levels->n < 1 || levels->n > CSA_MAX_LEVELS)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "between 1 and %d confidence levels are needed", CSA_MAX_LEVELS);
    for (size_t k = 0; k < levels->n; k++)
        if (!(levels->level[k] > 0 && levels->level[k] < 100))
            return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                                 "confidence level %g is not between 0 and 100",
                                 levels->level[k]);
    return CSA_OK;
}

void csa_estimate_missing(csa_estimate *e, unsigned flags)
{
    e->value = NAN;
    for (size_t k = 0; k < CSA_MAX_LEVELS; k++)
        e->lower[k] = e->upper[k] = NAN;
    e->flags = flags;
}

csa_status csa_rate_estimate(double count, double denominator, double per,
                             const csa_levels *levels, csa_estimate *out, csa_error *err)
{
    csa_estimate_missing(out, 0);
    csa_status st = csa_levels_check(levels, err);
    if (st)
        return st;
    if (!(per > 0) || !isfinite(per))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "a rate's multiplier must be above 0, not %g", per);
    if (denominator < 0 || isinf(denominator))
        return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, NULL, NULL,
                             "a denominator must be a number of 0 or more, not %g", denominator);
    if (isnan(count)) {
        out->flags = CSA_RATE_NO_COUNT;
        return CSA_OK;
    }
    /* limits first, so that a bad count is an error even with no denominator */
    double lo[CSA_MAX_LEVELS], hi[CSA_MAX_LEVELS];
    unsigned flags = 0;
    for (size_t k = 0; k < levels->n; k++)
        if ((st = csa_poisson_ci(count, levels->level[k], &lo[k], &hi[k], &flags, err)))
            return st;
    out->flags = flags;
    if (!(denominator > 0)) {
        out->flags |= CSA_RATE_NO_DENOMINATOR;
        return CSA_OK;
    }
    /* count / n * per, in phe_rate's order, so figures agree to the last digit */
    out->value = count / denominator * per;
    for (size_t k = 0; k < levels->n; k++) {
        out->lower[k] = lo[k] / denominator * per;
        out->upper[k] = hi[k] / denominator * per;
    }
    return CSA_OK;
}
