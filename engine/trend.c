/* Change over time: change between two periods with its interval, rolling
 * sums, and the recent-trend test that OHID Fingertips shows beside each
 * indicator. */
#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>

#include "csa/trend.h"
#include "internal.h"

/* ---- shared ---- */

static csa_status check_levels(const csa_levels *levels, csa_error *err)
{
    if (!levels || levels->n > CSA_MAX_LEVELS)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "between 0 and %d confidence levels can be asked for",
                             CSA_MAX_LEVELS);
    for (size_t k = 0; k < levels->n; k++)
        if (!(levels->level[k] > 0 && levels->level[k] < 100))
            return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                                 "confidence level %g is not between 0 and 100",
                                 levels->level[k]);
    return CSA_OK;
}

static void estimate_clear(csa_estimate *out)
{
    out->value = NAN;
    for (size_t k = 0; k < CSA_MAX_LEVELS; k++)
        out->lower[k] = out->upper[k] = NAN;
    out->flags = 0;
}

/* The two-sided normal deviate for a level in percent: 1.959964 for 95. */
static double z_for(double level)
{
    return gsl_cdf_ugaussian_Pinv(1 - (1 - level / 100) / 2);
}

static bool is_count(double x)
{
    return x >= 0 && isfinite(x) && x == floor(x);
}

static bool has_denominator(double d)
{
    return d > 0 && isfinite(d);
}

static csa_status check_count(double count, const char *period, csa_error *err)
{
    if (isnan(count) || is_count(count))
        return CSA_OK;
    char value[32];
    snprintf(value, sizeof value, "%g", count);
    return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, period, value,
                         "%s: a count must be a whole number of 0 or more, not %g", period,
                         count);
}

/* Validates two periods of counts. *usable is false when there is no
 * change to compute; out->flags then says why. */
static csa_status counts_usable(csa_period now, csa_period before, csa_estimate *out,
                                bool *usable, csa_error *err)
{
    *usable = false;
    csa_status st = check_count(now.count, "now", err);
    if (st == CSA_OK)
        st = check_count(before.count, "before", err);
    if (st)
        return st;
    if (isnan(now.count) || isnan(before.count)) {
        out->flags |= CSA_CHANGE_MISSING;
        return CSA_OK;
    }
    if (!has_denominator(now.denominator) || !has_denominator(before.denominator)) {
        out->flags |= CSA_RATE_NO_DENOMINATOR;
        return CSA_OK;
    }
    *usable = true;
    return CSA_OK;
}

/* ---- rate ratio ---- */

/* Large-sample interval on the log scale, SE(ln RR) = sqrt(1/O1 + 1/O2)
 * (Rothman KJ, Greenland S. Modern Epidemiology, 2nd ed. Lippincott-Raven;
 * 1998, ch. 14). */
static void ratio_log_normal(double ratio, double o1, double o2, double level, double *lo,
                             double *hi)
{
    double half = z_for(level) * sqrt(1 / o1 + 1 / o2);
    *lo = ratio * exp(-half);
    *hi = ratio * exp(half);
}

/* log P(X <= x) for X ~ Binomial(n, p) with x < n p, summing down from
 * k = x, where the terms fall away geometrically. GSL's incomplete beta
 * (behind gsl_cdf_beta_Pinv) gives NaN from about a thousand events, hence
 * the sum. */
static double binomial_log_lower_tail(double x, double n, double logp, double log1mp)
{
    /* log C(n, x) through the log beta function, which keeps its digits
     * where differences of log factorials of ten million would lose eight */
    double log_term = -log(n + 1) - gsl_sf_lnbeta(x + 1, n - x + 1) + x * logp +
                      (n - x) * log1mp;
    double odds_down = exp(log1mp - logp), term = 1, sum = 1;
    for (double k = x; k > 0; k--) {
        double ratio = k / (n - k + 1) * odds_down;
        term *= ratio;
        sum += term;
        /* the rest is less than a geometric series of this ratio */
        if (ratio < 1 && term * ratio / (1 - ratio) < sum * 1e-17)
            break;
    }
    return log_term + log(sum);
}

/* Whether P(X <= x) > tail at p with log-odds theta; tail < 0.5. From x
 * at or above the mean n p the probability is at least a half, as the
 * median is within 1 of the mean. */
static bool lower_tail_above(double x, double n, double theta, double log_tail)
{
    double logp = -log1p(exp(-theta)), log1mp = -log1p(exp(theta));
    if (x >= n * exp(logp))
        return true;
    return binomial_log_lower_tail(x, n, logp, log1mp) > log_tail;
}

/* The log-odds of the Clopper-Pearson upper limit for x of n: the p at
 * which P(X <= x) = tail, by bisection, as the tail falls as p rises. */
static double clopper_pearson_upper(double x, double n, double tail)
{
    double lo = -700, hi = 700, log_tail = log(tail);
    for (int i = 0; i < 200 && hi - lo > 4 * DBL_EPSILON * fmax(1, fabs(lo)); i++) {
        double mid = lo + (hi - lo) / 2;
        if (lower_tail_above(x, n, mid, log_tail))
            lo = mid;
        else
            hi = mid;
    }
    return lo + (hi - lo) / 2;
}

/* Exact conditional method (Breslow NE, Day NE. Statistical Methods in
 * Cancer Research II. IARC; 1987, s. 2.3; R's stats::poisson.test): given
 * the O1 + O2 events of both periods, O1 is binomial with p = RR N1 / (RR N1
 * + N2), so Clopper-Pearson limits for p give RR = p / (1 - p) * N2 / N1.
 * The lower limit for O1 is the upper limit for O2 mirrored. With O2 = 0
 * the upper limit of p is 1, so that of RR is infinite (as poisson.test
 * gives it); with O1 = 0 the lower is 0. O1 + O2 > 0 here. */
static void ratio_exact(double o1, double n1, double o2, double n2, double level, double *lo,
                        double *hi)
{
    double tail = (1 - level / 100) / 2, total = o1 + o2, scale = n2 / n1;
    *lo = o1 == 0 ? 0 : exp(-clopper_pearson_upper(o2, total, tail)) * scale;
    *hi = o2 == 0 ? INFINITY : exp(clopper_pearson_upper(o1, total, tail)) * scale;
}

csa_status csa_rate_ratio(csa_period now, csa_period before, const csa_levels *levels,
                          csa_ratio_method method, csa_estimate *out, csa_error *err)
{
    csa_gsl_quiet();
    estimate_clear(out);
    csa_status st = check_levels(levels, err);
    if (st)
        return st;
    if (method != CSA_RATIO_AUTO && method != CSA_RATIO_LOG_NORMAL && method != CSA_RATIO_EXACT)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "unknown rate ratio method %d", (int)method);
    bool usable;
    st = counts_usable(now, before, out, &usable, err);
    if (st || !usable)
        return st;
    double o1 = now.count, o2 = before.count;
    if (o2 == 0) {
        /* no ratio (it would be infinite), but the exact interval has a
         * lower limit, which can show a significant rise */
        out->flags |= CSA_CHANGE_NO_BASELINE;
        if (o1 == 0) {
            out->flags |= CSA_CHANGE_NO_EVENTS;
            return CSA_OK;
        }
        if (method == CSA_RATIO_LOG_NORMAL) {
            out->flags |= CSA_CHANGE_NO_INTERVAL;
            return CSA_OK;
        }
        out->flags |= CSA_RATE_EXACT;
        for (size_t k = 0; k < levels->n; k++)
            ratio_exact(o1, now.denominator, o2, before.denominator, levels->level[k],
                        &out->lower[k], &out->upper[k]);
        return CSA_OK;
    }
    out->value = (o1 / now.denominator) / (o2 / before.denominator);
    /* below 10 events the log-normal interval is poor, as for a single
     * rate (csa_poisson_ci) */
    bool exact = method == CSA_RATIO_EXACT ||
                 (method == CSA_RATIO_AUTO && (o1 < 10 || o2 < 10));
    if (exact) {
        out->flags |= CSA_RATE_EXACT;
    } else if (o1 == 0) {
        out->flags |= CSA_CHANGE_NO_INTERVAL;
        return CSA_OK;
    }
    for (size_t k = 0; k < levels->n; k++) {
        if (exact)
            ratio_exact(o1, now.denominator, o2, before.denominator, levels->level[k],
                        &out->lower[k], &out->upper[k]);
        else
            ratio_log_normal(out->value, o1, o2, levels->level[k], &out->lower[k],
                             &out->upper[k]);
    }
    return CSA_OK;
}

/* ---- rate difference ---- */

/* Normal approximation, var(RD) = O1/N1^2 + O2/N2^2 (Rothman and Greenland
 * 1998, ch. 14). */
csa_status csa_rate_difference(csa_period now, csa_period before, double per,
                               const csa_levels *levels, csa_estimate *out, csa_error *err)
{
    csa_gsl_quiet();
    estimate_clear(out);
    csa_status st = check_levels(levels, err);
    if (st)
        return st;
    if (!(per > 0) || !isfinite(per))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "a rate must be per a positive number, not %g", per);
    bool usable;
    st = counts_usable(now, before, out, &usable, err);
    if (st || !usable)
        return st;
    double n1 = now.denominator, n2 = before.denominator;
    out->value = (now.count / n1 - before.count / n2) * per;
    if (now.count == 0 && before.count == 0) {
        /* the normal approximation's interval would be 0 to 0, as if a
         * difference of nothing against nothing were known exactly */
        out->flags |= CSA_CHANGE_NO_EVENTS | CSA_CHANGE_NO_INTERVAL;
        return CSA_OK;
    }
    double se = sqrt(now.count / (n1 * n1) + before.count / (n2 * n2)) * per;
    for (size_t k = 0; k < levels->n; k++) {
        double half = z_for(levels->level[k]) * se;
        out->lower[k] = out->value - half;
        out->upper[k] = out->value + half;
    }
    return CSA_OK;
}

/* ---- difference of proportions ---- */

static csa_status check_proportion(csa_period p, const char *period, csa_error *err)
{
    if (isnan(p.count) || isnan(p.denominator) || !has_denominator(p.denominator))
        return CSA_OK;
    if (p.count >= 0 && p.count <= p.denominator)
        return CSA_OK;
    return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, period, NULL,
                         "%s: a proportion needs 0 <= numerator (%g) <= denominator (%g)",
                         period, p.count, p.denominator);
}

/* Newcombe's hybrid score interval, his method 10: each proportion's
 * Wilson limits combined by the square-and-add rule (Newcombe RG. Interval
 * estimation for the difference between independent proportions:
 * comparison of eleven methods. Stat Med 1998;17:873-90). */
csa_status csa_proportion_difference(csa_period now, csa_period before,
                                     const csa_levels *levels, csa_estimate *out,
                                     csa_error *err)
{
    estimate_clear(out);
    csa_status st = check_levels(levels, err);
    if (st == CSA_OK)
        st = check_proportion(now, "now", err);
    if (st == CSA_OK)
        st = check_proportion(before, "before", err);
    if (st)
        return st;
    if (isnan(now.count) || isnan(before.count)) {
        out->flags |= CSA_CHANGE_MISSING;
        return CSA_OK;
    }
    if (!has_denominator(now.denominator) || !has_denominator(before.denominator)) {
        out->flags |= CSA_RATE_NO_DENOMINATOR;
        return CSA_OK;
    }
    double p1 = now.count / now.denominator, p2 = before.count / before.denominator;
    out->value = p1 - p2;
    for (size_t k = 0; k < levels->n; k++) {
        double l1, u1, l2, u2;
        st = csa_wilson_ci(now.count, now.denominator, levels->level[k], &l1, &u1, err);
        if (st == CSA_OK)
            st = csa_wilson_ci(before.count, before.denominator, levels->level[k], &l2, &u2,
                               err);
        if (st)
            return st;
        out->lower[k] = out->value - sqrt((p1 - l1) * (p1 - l1) + (u2 - p2) * (u2 - p2));
        out->upper[k] = out->value + sqrt((u1 - p1) * (u1 - p1) + (p2 - l2) * (p2 - l2));
    }
    return CSA_OK;
}

/* ---- rolling sums ---- */

/* Summed afresh for each window rather than as a running total, so that no
 * rounding builds up along a long series; NaN carries through the sum. */
static double window_sum(const double *values, size_t end, size_t window)
{
    if (end + 1 < window)
        return NAN;
    double sum = 0;
    for (size_t j = end + 1 - window; j <= end; j++)
        sum += values[j];
    return sum;
}

csa_status csa_rolling_sum(const double *values, size_t n, size_t window, double *out,
                           csa_error *err)
{
    if (window == 0)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "a rolling sum needs a window of at least 1");
    if (n && (!values || !out))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "a rolling sum needs input and output arrays");
    for (size_t i = 0; i < n; i++)
        out[i] = window_sum(values, i, window);
    return CSA_OK;
}

/* ---- the Fingertips recent-trend test ----
 *
 * OHID, Fingertips trend markers (Public Health Technical Guidance,
 * "Trend_markers"), as coded in PHEindicatormethods' assign_trend_markers
 * and Fingertips' TrendMarkerCalculator: the last five points; for
 * proportions the chi-square test for trend in proportions (Armitage 1955)
 * with the direction from a least-squares line through the log-odds; for
 * every other indicator a line weighted by 1 / SE^2, SE from the 95%
 * interval, chi-square = slope^2 / var(slope). The trend is significant
 * when chi-square exceeds the 99.8% point of chi-square(1), and reported
 * only if leaving out any one of the five points keeps the slope's sign. */

enum { TREND_POINTS = 5 };

/* qchisq(0.998, 1), Fingertips' ChiSquareConfidence (PHEindicatormethods
 * rounds it to 9.5495) */
static const double TREND_CRITICAL = 9.5495357060832422;

typedef struct trend_points {
    double t[TREND_POINTS], y[TREND_POINTS], w[TREND_POINTS];
} trend_points;

static void trend_clear(csa_recent_trend *out, size_t n)
{
    out->marker = CSA_TREND_CANNOT_BE_CALCULATED;
    out->reason = CSA_TREND_TOO_FEW_POINTS;
    out->slope = out->chi_square = out->p_value = NAN;
    out->first = n < TREND_POINTS ? 0 : n - TREND_POINTS;
}

static csa_status trend_not_calculated(csa_recent_trend *out, csa_trend_reason reason)
{
    out->reason = reason;
    return CSA_OK;
}

/* Times centred on their mean: with years near 2020 the sums of squares
 * would otherwise lose six digits to cancellation. Equally spaced when
 * times is NULL. */
static csa_status trend_times(const double *times, size_t first, trend_points *p,
                              csa_error *err)
{
    double mean = 0;
    for (size_t i = 0; i < TREND_POINTS; i++) {
        p->t[i] = times ? times[first + i] : (double)i;
        if (!isfinite(p->t[i]) || (i > 0 && !(p->t[i] > p->t[i - 1])))
            return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, "times", NULL,
                                 "times must be finite and strictly increasing (index %zu)",
                                 first + i);
        mean += p->t[i] / TREND_POINTS;
    }
    for (size_t i = 0; i < TREND_POINTS; i++)
        p->t[i] -= mean;
    return CSA_OK;
}

/* Weighted least-squares slope of y on t, leaving out point `skip`
 * (TREND_POINTS for none). *var, if not NULL, gets the slope's variance
 * when the weights are inverse variances. */
static double trend_slope(const trend_points *p, size_t skip, double *var)
{
    double s1 = 0, st = 0, sy = 0, stt = 0, sty = 0;
    for (size_t i = 0; i < TREND_POINTS; i++) {
        if (i == skip)
            continue;
        double w = p->w[i], t = p->t[i];
        s1 += w;
        st += w * t;
        sy += w * p->y[i];
        stt += w * t * t;
        sty += w * t * p->y[i];
    }
    double d = s1 * stt - st * st;
    if (var)
        *var = s1 / d;
    return (s1 * sty - st * sy) / d;
}

static int sign_of(double x)
{
    return (x > 0) - (x < 0);
}

static void trend_decide(const trend_points *p, double chi_square, csa_recent_trend *out)
{
    out->chi_square = chi_square;
    out->p_value = gsl_cdf_chisq_Q(chi_square, 1);
    out->slope = trend_slope(p, TREND_POINTS, NULL);
    out->marker = CSA_TREND_NO_SIGNIFICANT_CHANGE;
    int sign = sign_of(out->slope);
    /* a flat line has no direction to report even if the proportions'
     * chi-square (which is not computed from this line) is large */
    if (!(chi_square > TREND_CRITICAL) || sign == 0) {
        out->reason = CSA_TREND_NOT_SIGNIFICANT;
        return;
    }
    for (size_t skip = 0; skip < TREND_POINTS; skip++) {
        if (sign_of(trend_slope(p, skip, NULL)) != sign) {
            out->reason = CSA_TREND_OUTLIER;
            return;
        }
    }
    out->marker = sign > 0 ? CSA_TREND_INCREASING : CSA_TREND_DECREASING;
    out->reason = CSA_TREND_SIGNIFICANT;
}

/* Chi-square for trend in proportions r / n over centred times t
 * (Armitage P. Tests for linear trends in proportions and frequencies.
 * Biometrics 1955;11:375-86), in the form Fingertips uses. */
static double armitage_chi_square(const double *r, const double *n, const double *t)
{
    double sn = 0, sr = 0, srt = 0, snt = 0, sntt = 0;
    for (size_t i = 0; i < TREND_POINTS; i++) {
        sn += n[i];
        sr += r[i];
        srt += r[i] * t[i];
        snt += n[i] * t[i];
        sntt += n[i] * t[i] * t[i];
    }
    double num = sn * srt - sr * snt;
    return sn * num * num / (sr * (sn - sr) * (sn * sntt - snt * snt));
}

csa_status csa_recent_trend_proportion(const double *numerators, const double *denominators,
                                       const double *times, size_t n,
                                       csa_recent_trend *out, csa_error *err)
{
    csa_gsl_quiet();
    trend_clear(out, n);
    if (n < TREND_POINTS)
        return CSA_OK;
    if (!numerators || !denominators)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "a trend in proportions needs numerators and denominators");
    size_t first = out->first;
    const double *r = numerators + first, *d = denominators + first;
    /* missing before invalid, in PHEindicatormethods' order */
    for (size_t i = 0; i < TREND_POINTS; i++)
        if (isnan(r[i]) || !has_denominator(d[i]))
            return trend_not_calculated(out, CSA_TREND_MISSING_VALUES);
    bool extreme = false;
    for (size_t i = 0; i < TREND_POINTS; i++) {
        if (!(r[i] >= 0) || r[i] > d[i])
            return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, "numerators", NULL,
                                 "point %zu: a proportion needs 0 <= numerator (%g) <= "
                                 "denominator (%g)", first + i, r[i], d[i]);
        extreme = extreme || r[i] == 0 || r[i] == d[i];
    }
    if (extreme)
        return trend_not_calculated(out, CSA_TREND_EXTREME_PROPORTION);
    trend_points p;
    csa_status st = trend_times(times, first, &p, err);
    if (st)
        return st;
    for (size_t i = 0; i < TREND_POINTS; i++) {
        p.y[i] = log(r[i]) - log(d[i] - r[i]);
        p.w[i] = 1; /* Fingertips fits the log-odds line unweighted */
    }
    trend_decide(&p, armitage_chi_square(r, d, p.t), out);
    return CSA_OK;
}

/* Fills p.y and p.w from values and their intervals; false when an
 * interval is missing or empty. */
static bool trend_weights(const double *v, const double *lo, const double *hi, double z,
                          trend_points *p)
{
    for (size_t i = 0; i < TREND_POINTS; i++) {
        if (isnan(lo[i]) || isnan(hi[i]) || !(hi[i] > lo[i]) || !isfinite(hi[i] - lo[i]))
            return false;
        double se = (hi[i] - lo[i]) / (2 * z);
        p->y[i] = v[i];
        p->w[i] = 1 / (se * se);
    }
    return true;
}

static void trend_weighted(const trend_points *p, csa_recent_trend *out)
{
    double var;
    double slope = trend_slope(p, TREND_POINTS, &var);
    trend_decide(p, slope * slope / var, out);
}

csa_status csa_recent_trend_values(const double *values, const double *lower,
                                   const double *upper, const double *times, size_t n,
                                   double level, csa_recent_trend *out, csa_error *err)
{
    csa_gsl_quiet();
    trend_clear(out, n);
    if (!(level > 0 && level < 100))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "confidence level %g is not between 0 and 100", level);
    if (n < TREND_POINTS)
        return CSA_OK;
    if (!values || !lower || !upper)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "a trend needs values and both confidence limits");
    size_t first = out->first;
    for (size_t i = 0; i < TREND_POINTS; i++)
        if (!isfinite(values[first + i]))
            return trend_not_calculated(out, CSA_TREND_MISSING_VALUES);
    trend_points p;
    if (!trend_weights(values + first, lower + first, upper + first, z_for(level), &p))
        return trend_not_calculated(out, CSA_TREND_MISSING_INTERVAL);
    csa_status st = trend_times(times, first, &p, err);
    if (st)
        return st;
    trend_weighted(&p, out);
    return CSA_OK;
}

csa_status csa_recent_trend_rate(const double *counts, const double *denominators,
                                 const double *times, size_t n, double per,
                                 csa_recent_trend *out, csa_error *err)
{
    csa_gsl_quiet();
    trend_clear(out, n);
    if (!(per > 0) || !isfinite(per))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "a rate must be per a positive number, not %g", per);
    if (n < TREND_POINTS)
        return CSA_OK;
    if (!counts || !denominators)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "a trend in rates needs counts and denominators");
    size_t first = out->first;
    for (size_t i = 0; i < TREND_POINTS; i++)
        if (isnan(counts[first + i]) || !has_denominator(denominators[first + i]))
            return trend_not_calculated(out, CSA_TREND_MISSING_VALUES);
    double v[TREND_POINTS], lo[TREND_POINTS], hi[TREND_POINTS];
    for (size_t i = 0; i < TREND_POINTS; i++) {
        double c = counts[first + i], d = denominators[first + i];
        if (!is_count(c))
            return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, "counts", NULL,
                                 "point %zu: a count must be a whole number of 0 or more, "
                                 "not %g", first + i, c);
        csa_rate r;
        csa_status st = csa_rate_crude(c, d, per, 95, &r, err);
        if (st)
            return st;
        v[i] = r.value;
        lo[i] = r.lower;
        hi[i] = r.upper;
    }
    trend_points p;
    if (!trend_weights(v, lo, hi, z_for(95), &p))
        return trend_not_calculated(out, CSA_TREND_MISSING_INTERVAL);
    csa_status st = trend_times(times, first, &p, err);
    if (st)
        return st;
    trend_weighted(&p, out);
    return CSA_OK;
}

const char *csa_trend_marker_label(csa_trend_marker marker)
{
    switch (marker) {
    case CSA_TREND_CANNOT_BE_CALCULATED: return "Cannot be calculated";
    case CSA_TREND_NO_SIGNIFICANT_CHANGE: return "No significant change";
    case CSA_TREND_INCREASING: return "Increasing";
    case CSA_TREND_DECREASING: return "Decreasing";
    }
    return "Unknown";
}

const char *csa_trend_reason_text(csa_trend_reason reason)
{
    switch (reason) {
    case CSA_TREND_SIGNIFICANT: return "No outliers and significant trend";
    case CSA_TREND_NOT_SIGNIFICANT: return "No significant trend";
    case CSA_TREND_OUTLIER: return "Outlier found";
    case CSA_TREND_TOO_FEW_POINTS: return "Not enough data points";
    case CSA_TREND_MISSING_VALUES: return "Missing values";
    case CSA_TREND_MISSING_INTERVAL: return "Missing at least one confidence interval value";
    case CSA_TREND_EXTREME_PROPORTION: return "A proportion of 0 or 1 has no log-odds";
    }
    return "Unknown";
}
