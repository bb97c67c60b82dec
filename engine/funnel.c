/* Funnel plots: control limits around a comparator over a range of
 * denominators, and where each area lies against them, as
 * PHEindicatormethods computes them (R/Funnels.R calculate_funnel_limits
 * and assign_funnel_significance, with the helpers poisson_cis,
 * poisson_funnel, funnel_ratio_significance and sigma_adjustment in
 * R/utils.R). The helpers are followed step for step, including the
 * bisection that stops 1e-7 short of the exact chi-square limits: the
 * package's published figures carry that error in their eighth digit, and
 * the exact limits would not match them. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>

#include "csa/stats.h"
#include "internal.h"

enum { SIDE_LOW, SIDE_HIGH };

/* ---- the package's helpers ---- */

/* P(x_a <= X <= x_b) for X ~ Poisson(z), by summing the terms from k = 0
 * with rescaling (poisson_cis in R/utils.R, from the Excel macro it
 * replaced). */
static double poisson_cis(double z, double x_a, double x_b)
{
    double q = 1, tot = 0, s = 0, k = 0;
    while (k <= z || q > tot * 1e-10) {
        tot += q;
        if (k >= x_a && k <= x_b)
            s += q;
        if (tot > 1e30) {
            s /= 1e30;
            tot /= 1e30;
            q /= 1e30;
        }
        k += 1;
        q = q * z / k;
    }
    return s / tot;
}

/* The Poisson mean at which `obs` events are at the tail p: for SIDE_LOW
 * P(X >= obs) = p, for SIDE_HIGH P(X <= obs) = p (poisson_funnel). The
 * bisection is on v = mean / (1 + obs + mean) in (0, 1). */
static double poisson_funnel(double obs, double p, int side)
{
    double v = 0.5, dv = 0.5;
    while (dv > 1e-7) {
        dv /= 2;
        double z = (1 + obs) * v / (1 - v);
        int down = side == SIDE_LOW ? poisson_cis(z, obs, 10000000000.0) > p
                                    : poisson_cis(z, 0, obs) < p;
        v += down ? -dv : dv;
    }
    return (1 + obs) * v / (1 - v);
}

/* The proportion at which a Wilson score limit at `population` touches the
 * average, times multiplier (sigma_adjustment); p is 0.975 for the 95%
 * funnel, 0.999 for 99.8%. */
static double sigma_adjustment(double p, double population, double average, int side,
                               double multiplier)
{
    double z = gsl_cdf_ugaussian_Pinv(p), z2 = z * z;
    double first_part = average * (population / z2 + 1);
    double a = -8 * average * (population / z2 + 1);
    double adj = sqrt(a * a - 64 * (1 / z2 + 1 / population) * average *
                                  (population * (average * (population / z2 + 2) - 1) +
                                   z2 * (average - 1)));
    double last_part = 1 / z2 + 1 / population;
    double r = side == SIDE_LOW ? (first_part - adj / 8) / last_part
                                : (first_part + adj / 8) / last_part;
    return r / population * multiplier;
}

/* Byar's or the exact limit of `obs` events at two-sided confidence c,
 * over `expected` (funnel_ratio_significance). */
static double ratio_limit(double obs, double expected, double c, int side)
{
    double t, tail = 0.5 + c / 2;
    if (obs == 0 && side == SIDE_LOW) {
        t = 0;
    } else if (obs < 10) {
        t = side == SIDE_LOW ? gsl_cdf_chisq_Qinv(tail, 2 * obs) / 2
                             : gsl_cdf_chisq_Pinv(tail, 2 * obs + 2) / 2;
    } else {
        double z = gsl_cdf_ugaussian_Pinv(tail);
        double o = side == SIDE_LOW ? obs : obs + 1;
        double sign = side == SIDE_LOW ? -1 : 1;
        t = o * pow(1 - 1 / (9 * o) + sign * z / 3 / sqrt(o), 3);
    }
    return t / expected;
}

/* ---- checks ---- */

static csa_status check_spec(const csa_funnel_spec *spec, csa_error *err)
{
    if (spec->kind != CSA_FUNNEL_PROPORTION && spec->kind != CSA_FUNNEL_RATE &&
        spec->kind != CSA_FUNNEL_DSR && spec->kind != CSA_FUNNEL_RATIO)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "funnel kind %d is not proportion, rate, DSR or ratio",
                             (int)spec->kind);
    if (!(spec->multiplier > 0) || !isfinite(spec->multiplier))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "a funnel's multiplier must be above 0, not %g", spec->multiplier);
    if (spec->kind == CSA_FUNNEL_RATIO)
        return CSA_OK;
    double average = spec->comparator / spec->multiplier;
    int proportion = spec->kind == CSA_FUNNEL_PROPORTION;
    if (!(average > 0) || !isfinite(average) || (proportion && !(average < 1)))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "a funnel's comparator must be above 0%s, not %g",
                             proportion ? " and below the multiplier" : "", spec->comparator);
    if (!proportion && (!(spec->years > 0) || !isfinite(spec->years)))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "a rate funnel's years of data must be above 0, not %g",
                             spec->years);
    return CSA_OK;
}

static int whole_count(double c)
{
    return c >= 0 && isfinite(c) && c == floor(c);
}

/* ---- summary and axis ---- */

csa_status csa_funnel_summary(const double *numerators, const double *denominators, size_t n,
                              double *average, double *min_denominator,
                              double *max_denominator, csa_error *err)
{
    *average = *min_denominator = *max_denominator = NAN;
    /* long double, in order, as R's sum() adds, so the average is R's to
     * the last bit; every numerator counts, even an area whose derived
     * denominator is missing (a DSR of 0), as in the package */
    long double num = 0, den = 0;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (!(numerators[i] >= 0) || !isfinite(numerators[i]))
            return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, "numerator", NULL,
                                 "area %zu: a numerator must be a number of 0 or more, "
                                 "not %g", i + 1, numerators[i]);
        num += numerators[i];
        if (isnan(denominators[i]))
            continue;
        if (!(denominators[i] > 0) || !isfinite(denominators[i]))
            return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, "denominator", NULL,
                                 "area %zu: a denominator must be above 0, not %g", i + 1,
                                 denominators[i]);
        den += denominators[i];
        lo = fmin(lo, denominators[i]);
        hi = fmax(hi, denominators[i]);
    }
    if (!(den > 0))
        return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, NULL, NULL,
                             "no area has a denominator");
    *average = (double)num / (double)den;
    *min_denominator = lo;
    *max_denominator = hi;
    return CSA_OK;
}

/* Digits of a whole number of 0 or more. The package takes nchar() of it,
 * which R writes as 1e+05 for 100000; that changes its digit count but
 * never the rounded result, as the digits it skips are zeros. */
static int digits(double v)
{
    int d = 1;
    for (double p = 10; v >= p; p *= 10)
        d++;
    return d;
}

/* signif.floor and signif.ceiling in calculate_funnel_limits: x moved 5%
 * out and rounded to one (floor) or two (ceiling) significant digits, so
 * that the axis ends on a round number. */
static double signif_floor(double x)
{
    if (x == 0)
        return 0;
    double n = digits(floor(x * 0.95)) - 1;
    return floor(x * 0.95 / pow(10, n)) * pow(10, n);
}

static double signif_ceiling(double x)
{
    if (x == 0)
        return 0;
    double n = digits(ceil(x * 1.05)) - 2;
    return ceil(x * 1.05 / pow(10, n)) * pow(10, n);
}

csa_status csa_funnel_axis(const csa_funnel_spec *spec, double min_denominator,
                           double max_denominator, double *x, size_t n, csa_error *err)
{
    csa_status st = check_spec(spec, err);
    if (st)
        return st;
    if (n < 2)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "a funnel axis needs at least 2 points, not %zu", n);
    if (!(min_denominator > 0) || !(max_denominator >= min_denominator) ||
        !isfinite(max_denominator))
        return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, NULL, NULL,
                             "denominators from %g to %g are not a range above 0",
                             min_denominator, max_denominator);
    int rate = spec->kind == CSA_FUNNEL_RATE || spec->kind == CSA_FUNNEL_DSR;
    double years = rate ? spec->years : 1;
    /* a wide range of denominators starts the axis at 0, a narrow one just
     * below the smallest */
    double lo = max_denominator > 2 * min_denominator ? 0
                                                      : signif_floor(min_denominator / years) *
                                                            years;
    double hi = signif_ceiling(max_denominator / years) * years;
    if (rate) {
        double average = spec->comparator / spec->multiplier;
        lo = floor(lo * average);
        hi = ceil(hi * average);
    }
    /* geometric steps, at least one apart, rounded half to even as R's round() */
    x[0] = fmax(1, lo);
    for (size_t j = 2; j <= n; j++) {
        size_t offset = spec->kind == CSA_FUNNEL_RATIO ? j - 1 : j;
        double prev = x[j - 2];
        double step = pow(hi / prev, 1.0 / (double)(n + 1 - offset)) * prev;
        x[j - 1] = fmax(nearbyint(step), prev + 1);
    }
    return CSA_OK;
}

/* ---- limits ---- */

/* NaN stays NaN, as R's max() and min() keep it */
static double clamp(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static void proportion_point(const csa_funnel_spec *spec, double population, double tail,
                             size_t k, csa_funnel_point *out)
{
    double average = spec->comparator / spec->multiplier, m = spec->multiplier;
    /* the package clamps to [0, 100] whatever the multiplier; a proportion
     * cannot pass 1, so this clamps to [0, multiplier], the same for
     * percentages */
    out->lower[k] = clamp(sigma_adjustment(1 - tail, population, average, SIDE_LOW, m), 0, m);
    out->upper[k] = clamp(sigma_adjustment(1 - tail, population, average, SIDE_HIGH, m), 0, m);
    out->lower_at[k] = out->upper_at[k] = population;
}

/* Rates: the population (person-years) at which `events` sit on each limit
 * is the Poisson mean at the tail over the average. */
static void rate_point(const csa_funnel_spec *spec, double events, double tail, size_t k,
                       csa_funnel_point *out)
{
    double average = spec->comparator / spec->multiplier;
    double pop_lower = poisson_funnel(events, tail, SIDE_HIGH) / average;
    double pop_upper = poisson_funnel(events, tail, SIDE_LOW) / average;
    out->lower[k] = events / pop_lower * spec->multiplier;
    out->upper[k] = events / pop_upper * spec->multiplier;
    out->lower_at[k] = pop_lower / spec->years;
    out->upper_at[k] = pop_upper / spec->years;
}

static void ratio_point(const csa_funnel_spec *spec, double observed, double tail, size_t k,
                        csa_funnel_point *out)
{
    double exp_lower = poisson_funnel(observed, tail, SIDE_HIGH);
    double exp_upper = poisson_funnel(observed, tail, SIDE_LOW);
    out->lower[k] = observed / exp_lower * spec->multiplier;
    out->upper[k] = observed / exp_upper * spec->multiplier;
    out->lower_at[k] = exp_lower;
    out->upper_at[k] = exp_upper;
}

static csa_status check_x(const csa_funnel_spec *spec, const double *x, size_t n,
                          csa_error *err)
{
    for (size_t i = 0; i < n; i++) {
        /* poisson_cis sums about `events` terms at each of ~24 bisection
         * steps; past this a funnel would take minutes, not milliseconds */
        if (spec->kind != CSA_FUNNEL_PROPORTION && x[i] > CSA_FUNNEL_MAX_EVENTS)
            return csa_error_set(err, CSA_ERR_LIMIT, NULL, 0, 0, NULL, NULL,
                                 "funnel point %zu: %g events is more than the %d a "
                                 "Poisson funnel is computed for", i + 1, x[i],
                                 CSA_FUNNEL_MAX_EVENTS);
        if (spec->kind == CSA_FUNNEL_PROPORTION ? x[i] > 0 && isfinite(x[i])
                                                : x[i] >= 1 && whole_count(x[i]))
            continue;
        return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, NULL, NULL,
                             "funnel point %zu: %g is not %s", i + 1, x[i],
                             spec->kind == CSA_FUNNEL_PROPORTION
                                 ? "a denominator above 0"
                                 : "a whole number of events of 1 or more");
    }
    return CSA_OK;
}

csa_status csa_funnel_limits(const csa_funnel_spec *spec, const double *x, size_t n,
                             const csa_levels *levels, csa_funnel_point *out,
                             csa_error *err)
{
    csa_gsl_quiet();
    csa_status st = check_spec(spec, err);
    if (st || (st = csa_levels_check(levels, err)) || (st = check_x(spec, x, n, err)))
        return st;
    for (size_t i = 0; i < n; i++) {
        csa_funnel_point *p = &out[i];
        p->x = x[i];
        for (size_t k = 0; k < CSA_MAX_LEVELS; k++)
            p->lower[k] = p->upper[k] = p->lower_at[k] = p->upper_at[k] = NAN;
        for (size_t k = 0; k < levels->n; k++) {
            /* one-sided tail: 0.025 for 95%, 0.001 for 99.8% */
            double tail = (100 - levels->level[k]) / 200;
            if (spec->kind == CSA_FUNNEL_PROPORTION)
                proportion_point(spec, x[i], tail, k, p);
            else if (spec->kind == CSA_FUNNEL_RATIO)
                ratio_point(spec, x[i], tail, k, p);
            else
                rate_point(spec, x[i], tail, k, p);
        }
    }
    return CSA_OK;
}

/* ---- significance ---- */

/* The package's two funnels, as it writes them. */
static const double FUNNEL_95 = 0.95, FUNNEL_998 = 0.998;

static csa_funnel_signif proportion_signif(double numerator, double denominator,
                                           double average)
{
    double p = numerator / denominator;
    if (p < sigma_adjustment(0.999, denominator, average, SIDE_LOW, 1))
        return CSA_FUNNEL_LOW_998;
    if (p < sigma_adjustment(0.975, denominator, average, SIDE_LOW, 1))
        return CSA_FUNNEL_LOW_95;
    if (p > sigma_adjustment(0.999, denominator, average, SIDE_HIGH, 1))
        return CSA_FUNNEL_HIGH_998;
    if (p > sigma_adjustment(0.975, denominator, average, SIDE_HIGH, 1))
        return CSA_FUNNEL_HIGH_95;
    return CSA_FUNNEL_NOT_SIGNIFICANT;
}

/* The centre (the average rate, or 1 for a ratio) against the area's
 * interval: an interval wholly above the centre is high. */
static csa_funnel_signif count_signif(double observed, double denominator, double centre)
{
    if (centre < ratio_limit(observed, denominator, FUNNEL_998, SIDE_LOW))
        return CSA_FUNNEL_HIGH_998;
    if (centre < ratio_limit(observed, denominator, FUNNEL_95, SIDE_LOW))
        return CSA_FUNNEL_HIGH_95;
    if (centre > ratio_limit(observed, denominator, FUNNEL_998, SIDE_HIGH))
        return CSA_FUNNEL_LOW_998;
    if (centre > ratio_limit(observed, denominator, FUNNEL_95, SIDE_HIGH))
        return CSA_FUNNEL_LOW_95;
    return CSA_FUNNEL_NOT_SIGNIFICANT;
}

/* The events x (not whole) at which the exact Poisson tail at mean m is p:
 * for SIDE_HIGH P(X <= x) = p, the Poisson extended to any x by the gamma
 * function (Q(x + 1, m)); for SIDE_LOW P(X >= x) = p (P(x, m)). Bisection:
 * the tails move one way with x. -1 when even no events is past p. */
static double events_at_tail(double m, double p, int side)
{
    if (side == SIDE_HIGH && gsl_sf_gamma_inc_Q(1, m) > p)
        return -1;
    double lo = side == SIDE_HIGH ? 0 : 1e-300, hi = m + 40 * sqrt(m) + 100;
    for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
        double x = (lo + hi) / 2;
        int below = side == SIDE_HIGH ? gsl_sf_gamma_inc_Q(x + 1, m) < p
                                      : gsl_sf_gamma_inc_P(x, m) > p;
        if (below)
            lo = x;
        else
            hi = x;
    }
    return (lo + hi) / 2;
}

csa_status csa_funnel_limits_at(const csa_funnel_spec *spec, double denominator,
                                const csa_levels *levels, csa_funnel_point *out,
                                csa_error *err)
{
    csa_gsl_quiet();
    csa_status st = check_spec(spec, err);
    if (!st)
        st = csa_levels_check(levels, err);
    if (st)
        return st;
    if (!(denominator > 0) || !isfinite(denominator))
        return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, NULL, NULL,
                             "a funnel's denominator must be above 0, not %g", denominator);
    if (spec->kind == CSA_FUNNEL_PROPORTION)
        return csa_funnel_limits(spec, &denominator, 1, levels, out, err);
    double m = (spec->kind == CSA_FUNNEL_RATIO ? 1 : spec->comparator / spec->multiplier) *
               denominator;
    out->x = denominator;
    for (size_t k = 0; k < levels->n; k++) {
        double tail = (1 - levels->level[k] / 100) / 2;
        double lo = events_at_tail(m, tail, SIDE_HIGH), hi = events_at_tail(m, tail, SIDE_LOW);
        out->lower[k] = (lo > 0 ? lo : 0) / denominator * spec->multiplier;
        out->upper[k] = hi / denominator * spec->multiplier;
        out->lower_at[k] = out->upper_at[k] = denominator;
    }
    return CSA_OK;
}

csa_status csa_funnel_significance(const csa_funnel_spec *spec, double numerator,
                                   double denominator, csa_funnel_signif *out,
                                   csa_error *err)
{
    csa_gsl_quiet();
    *out = CSA_FUNNEL_NOT_SIGNIFICANT;
    csa_status st = check_spec(spec, err);
    if (st)
        return st;
    int proportion = spec->kind == CSA_FUNNEL_PROPORTION;
    if (proportion ? !(numerator >= 0) || !isfinite(numerator) : !whole_count(numerator))
        return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, NULL, NULL,
                             "a funnel's numerator must be %s, not %g",
                             proportion ? "a number of 0 or more"
                                        : "a whole number of 0 or more",
                             numerator);
    /* the package gives a DSR from so few events no place on the funnel,
     * whatever its denominator */
    if (spec->kind == CSA_FUNNEL_DSR && numerator < 10) {
        *out = CSA_FUNNEL_NOT_APPLICABLE;
        return CSA_OK;
    }
    if (!(denominator > 0) || !isfinite(denominator) || (proportion && numerator > denominator))
        return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, NULL, NULL,
                             "a funnel's denominator must be above 0%s, not %g",
                             proportion ? " and at least the numerator" : "", denominator);
    double average = spec->comparator / spec->multiplier;
    if (proportion)
        *out = proportion_signif(numerator, denominator, average);
    else
        *out = count_signif(numerator, denominator,
                            spec->kind == CSA_FUNNEL_RATIO ? 1 : average);
    return CSA_OK;
}

const char *csa_funnel_signif_name(csa_funnel_signif s)
{
    switch (s) {
    case CSA_FUNNEL_NOT_SIGNIFICANT: break;
    case CSA_FUNNEL_HIGH_95: return "High (0.025)";
    case CSA_FUNNEL_HIGH_998: return "High (0.001)";
    case CSA_FUNNEL_LOW_95: return "Low (0.025)";
    case CSA_FUNNEL_LOW_998: return "Low (0.001)";
    case CSA_FUNNEL_NOT_APPLICABLE: return "Not applicable for events less than 10 for dsrs";
    }
    return "Not significant";
}
