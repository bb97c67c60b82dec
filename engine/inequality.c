/* Inequality by deprivation (rates by quintile, most against least
 * deprived, SII and RII as PHEindicatormethods' phe_sii) and concentration
 * of events in places (top share, Gini, Lorenz curve). */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "csa/inequality.h"
#include "internal.h"

enum { SII_MIN_QUANTILES = 5, SII_MAX_QUANTILES = 100, SII_MIN_REPETITIONS = 1000 };

/* How messages name an array entry: deciles from 1, as readers count
 * them; plain arrays by their index from 0. */
typedef struct entry_name {
    const char *what;
    size_t first;
} entry_name;

static const entry_name BY_DECILE = {"decile", 1}, BY_INDEX = {"index", 0};

static csa_status bad_entry(csa_error *err, entry_name name, size_t i, const char *field,
                            double v, const char *rule)
{
    return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, field, NULL, "%s %zu: %s %g %s",
                         name.what, i + name.first, field, v, rule);
}

/* NaN passes: missing is not an error. */
static int bad_count(double c)
{
    return !isnan(c) && (!(c >= 0) || !isfinite(c) || c != floor(c));
}

static csa_status check_counts(size_t n, const double *count, const double *population,
                               entry_name what, csa_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (bad_count(count[i]))
            return bad_entry(err, what, i, "count", count[i],
                             "is not a whole number of 0 or more");
        if (population && (population[i] < 0 || isinf(population[i])))
            return bad_entry(err, what, i, "population", population[i],
                             "is not a number of 0 or more");
    }
    return CSA_OK;
}

/* A crude rate at every level. A missing count is a missing rate, not an
 * error as it would be for csa_rate_crude. */
static csa_status rate_estimate(double count, double population, double per,
                                const csa_levels *levels, csa_estimate *out, csa_error *err)
{
    csa_estimate_missing(out, 0);
    if (isnan(count)) {
        out->flags = CSA_INEQ_MISSING;
        return CSA_OK;
    }
    for (size_t k = 0; k < levels->n; k++) {
        csa_rate r;
        csa_status st = csa_rate_crude(count, population, per, levels->level[k], &r, err);
        if (st)
            return st;
        out->value = r.value;
        out->lower[k] = r.lower;
        out->upper[k] = r.upper;
        out->flags |= r.flags;
    }
    return CSA_OK;
}

csa_status csa_group_rates(size_t n, const double *count, const double *population,
                           double per, const csa_levels *levels, csa_estimate *out,
                           csa_error *err)
{
    csa_status st = csa_levels_check(levels, err);
    if (st)
        return st;
    if (!(per > 0) || !isfinite(per))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "a rate's multiplier must be above 0, not %g", per);
    if ((st = check_counts(n, count, population, BY_INDEX, err)))
        return st;
    for (size_t i = 0; i < n; i++)
        if ((st = rate_estimate(count[i], population[i], per, levels, &out[i], err)))
            return st;
    return CSA_OK;
}

bool csa_area_populated(double population)
{
    return population > 0; /* false for NaN too */
}

csa_status csa_area_decile_rates_compute(size_t n, const int *decile, const double *count,
                                         const double *population, double per,
                                         const csa_levels *levels, csa_area_decile_rates *out,
                                         csa_error *err)
{
    csa_status st = check_counts(n, count, population, BY_INDEX, err);
    if (st)
        return st;
    *out = (csa_area_decile_rates){0};
    for (size_t i = 0; i < n; i++) {
        if (decile[i] < 1 || decile[i] > CSA_IMD_DECILES)
            return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, "decile", NULL,
                                 "index %zu: decile %d is not 1 to 10", i, decile[i]);
        if (!csa_area_populated(population[i])) {
            out->nunpopulated++;
            out->unpopulated_count += count[i];
            continue;
        }
        out->npopulated++;
        out->count[decile[i] - 1] += count[i];
        out->population[decile[i] - 1] += population[i];
    }
    return csa_group_rates(CSA_IMD_DECILES, out->count, out->population, per, levels, out->rate,
                           err);
}

void csa_imd_quintiles(const double decile[CSA_IMD_DECILES], double quintile[CSA_IMD_QUINTILES])
{
    for (size_t k = 0; k < CSA_IMD_QUINTILES; k++)
        quintile[k] = decile[2 * k] + decile[2 * k + 1];
}

csa_status csa_quintile_rates(const double count[CSA_IMD_DECILES],
                              const double population[CSA_IMD_DECILES], double per,
                              const csa_levels *levels, csa_estimate out[CSA_IMD_QUINTILES],
                              csa_error *err)
{
    /* checked by decile so that the message names the decile at fault */
    csa_status st = check_counts(CSA_IMD_DECILES, count, population, BY_DECILE, err);
    if (st)
        return st;
    double qc[CSA_IMD_QUINTILES], qp[CSA_IMD_QUINTILES];
    csa_imd_quintiles(count, qc);
    csa_imd_quintiles(population, qp);
    return csa_group_rates(CSA_IMD_QUINTILES, qc, qp, per, levels, out, err);
}

/* ---- the gap between two groups ---- */

static void ratio_exact(double a, double na, double b, double nb, double level, double *lo,
                        double *hi)
{
    double alpha = 1 - level / 100;
    double pl = a == 0 ? 0 : gsl_cdf_beta_Pinv(alpha / 2, a, b + 1);
    double pu = gsl_cdf_beta_Pinv(1 - alpha / 2, a + 1, b);
    *lo = pl / (1 - pl) * nb / na;
    *hi = pu / (1 - pu) * nb / na;
}

static void gap_ratio(double a, double na, double b, double nb, const csa_levels *levels,
                      csa_estimate *out)
{
    csa_estimate_missing(out, 0);
    if (isnan(a) || isnan(b)) {
        out->flags = CSA_INEQ_MISSING;
        return;
    }
    if (!(na > 0) || !(nb > 0)) {
        out->flags = CSA_RATE_NO_DENOMINATOR;
        return;
    }
    if (b == 0) {
        out->flags = CSA_INEQ_NO_RATIO;
        return;
    }
    out->value = (a / na) / (b / nb);
    for (size_t k = 0; k < levels->n; k++)
        ratio_exact(a, na, b, nb, levels->level[k], &out->lower[k], &out->upper[k]);
}

static void gap_difference(const csa_estimate *a, const csa_estimate *b,
                           const csa_levels *levels, csa_estimate *out)
{
    csa_estimate_missing(out, (a->flags | b->flags) & (CSA_INEQ_MISSING | CSA_RATE_NO_DENOMINATOR));
    if (isnan(a->value) || isnan(b->value))
        return;
    out->value = a->value - b->value;
    out->flags |= (a->flags | b->flags) & CSA_RATE_EXACT;
    for (size_t k = 0; k < levels->n; k++) {
        double da = a->value - a->lower[k], ua = a->upper[k] - a->value;
        double db = b->value - b->lower[k], ub = b->upper[k] - b->value;
        out->lower[k] = out->value - sqrt(da * da + ub * ub);
        out->upper[k] = out->value + sqrt(ua * ua + db * db);
    }
}

csa_status csa_rate_gap_compute(double count_a, double population_a, double count_b,
                                double population_b, double per, const csa_levels *levels,
                                csa_rate_gap *out, csa_error *err)
{
    double count[2] = {count_a, count_b}, population[2] = {population_a, population_b};
    csa_estimate rates[2];
    csa_status st = csa_group_rates(2, count, population, per, levels, rates, err);
    if (st)
        return st;
    out->a = rates[0];
    out->b = rates[1];
    gap_ratio(count_a, population_a, count_b, population_b, levels, &out->ratio);
    gap_difference(&out->a, &out->b, levels, &out->difference);
    return CSA_OK;
}

csa_status csa_imd_gap(const double count[CSA_IMD_DECILES],
                       const double population[CSA_IMD_DECILES], csa_imd_unit unit,
                       double per, const csa_levels *levels, csa_rate_gap *out,
                       csa_error *err)
{
    csa_status st = check_counts(CSA_IMD_DECILES, count, population, BY_DECILE, err);
    if (st)
        return st;
    if (unit == CSA_IMD_BY_DECILE)
        return csa_rate_gap_compute(count[0], population[0], count[9], population[9], per,
                                    levels, out, err);
    if (unit != CSA_IMD_BY_QUINTILE)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "unknown deprivation unit %d", (int)unit);
    double qc[CSA_IMD_QUINTILES], qp[CSA_IMD_QUINTILES];
    csa_imd_quintiles(count, qc);
    csa_imd_quintiles(population, qp);
    return csa_rate_gap_compute(qc[0], qp[0], qc[4], qp[4], per, levels, out, err);
}

/* ---- SII and RII ---- */

void csa_sii_defaults(csa_sii_options *opt)
{
    opt->type = CSA_SII_OTHER;
    opt->transform = 0;
    opt->multiplier = 1;
    opt->repetitions = 100000;
    opt->seed = 1;
    opt->levels.n = 1;
    opt->levels.level[0] = 95;
    for (size_t k = 1; k < CSA_MAX_LEVELS; k++)
        opt->levels.level[k] = NAN;
}

static double to_scale(csa_sii_type type, double v)
{
    if (type == CSA_SII_RATE)
        return log(v);
    if (type == CSA_SII_PROPORTION)
        return log(v / (1 - v));
    return v;
}

static double from_scale(csa_sii_type type, double v)
{
    if (type == CSA_SII_RATE)
        return exp(v);
    if (type == CSA_SII_PROPORTION)
        return exp(v) / (1 + exp(v));
    return v;
}

/* Every SII entry's start: out holds no result, and n is a number of
 * quantiles the method takes. */
static csa_status sii_begin(size_t n, csa_sii_result *out, csa_error *err)
{
    csa_estimate_missing(&out->sii, 0);
    csa_estimate_missing(&out->rii, 0);
    out->intercept = NAN;
    if (n < SII_MIN_QUANTILES || n > SII_MAX_QUANTILES)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "the SII needs %d to %d quantiles, not %zu", SII_MIN_QUANTILES,
                             SII_MAX_QUANTILES, n);
    return CSA_OK;
}

static csa_status check_sii_options(const double *population, const double *value,
                                    const double *lower, const double *upper, const double *se,
                                    const csa_sii_options *opt, csa_error *err)
{
    if (!population || !value || (!se && (!lower || !upper)))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "the SII needs populations, values, and standard errors or "
                             "95%% limits");
    if (opt->type != CSA_SII_OTHER && opt->type != CSA_SII_RATE &&
        opt->type != CSA_SII_PROPORTION)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "unknown SII indicator type %d", (int)opt->type);
    if (opt->transform && opt->type == CSA_SII_OTHER)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "transform needs a rate or a proportion");
    if (opt->transform && (se || !lower || !upper))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "transform needs 95%% limits, not standard errors");
    if (opt->repetitions < SII_MIN_REPETITIONS)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "the SII needs %d or more repetitions, not %zu",
                             SII_MIN_REPETITIONS, opt->repetitions);
    if (!isfinite(opt->multiplier))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "the SII's multiplier must be a number");
    return csa_levels_check(&opt->levels, err);
}

/* phe_sii's checks that stop it, by index; and whether every quantile has
 * what the fit needs (phe_sii drops areas where one has not). */
static csa_status check_sii_data(size_t n, const double *population, const double *value,
                                 const double *lower, const double *upper, const double *se,
                                 csa_sii_type type, int *complete, csa_error *err)
{
    *complete = 1;
    for (size_t i = 0; i < n; i++) {
        if (population[i] < 0 || isinf(population[i]))
            return bad_entry(err, BY_INDEX, i, "population", population[i],
                             "is not a number of 0 or more");
        if (se && se[i] < 0)
            return bad_entry(err, BY_INDEX, i, "standard error", se[i], "is negative");
        if (isinf(value[i]) || (se && isinf(se[i])) || (lower && isinf(lower[i])) ||
            (upper && isinf(upper[i])))
            return bad_entry(err, BY_INDEX, i, "value or limit", INFINITY, "is not finite");
        if (type == CSA_SII_PROPORTION) {
            const double *v[3] = {value, lower, upper};
            const char *name[3] = {"value", "lower limit", "upper limit"};
            for (size_t j = 0; j < 3; j++)
                if (v[j] && (v[j][i] < 0 || v[j][i] > 1))
                    return bad_entry(err, BY_INDEX, i, name[j], v[j][i],
                                     "is not a proportion between 0 and 1");
        }
        if (!(population[i] > 0) || isnan(value[i]) || (se && isnan(se[i])) ||
            (!se && (isnan(lower[i]) || isnan(upper[i]))))
            *complete = 0;
    }
    return CSA_OK;
}

/* The 0-based index of phe_sii's 1-based position round(R * tail). R's
 * round(x) is round half to even, which nearbyint gives in the default
 * rounding mode. A position of 0 (a level too high for so few
 * repetitions), where R would pick nothing, is taken as the first. */
static size_t sii_position(size_t repetitions, double tail)
{
    double pos = nearbyint((double)repetitions * tail);
    if (pos < 1)
        return 0;
    if (pos > (double)repetitions)
        return repetitions - 1;
    return (size_t)pos - 1;
}

typedef struct sii_fit {
    double weight_sum, mean_rank, sxx; /* of the weighted fit on ranks */
    double a[SII_MAX_QUANTILES], b[SII_MAX_QUANTILES];
} sii_fit;

/* The fitted intercept and slope are linear in the values: slope =
 * sum s_i y_i, intercept = sum c_i y_i. Each simulation is then two dot
 * products instead of a fit. */
static void sii_weights(const sii_fit *f, size_t n, double *s, double *c)
{
    for (size_t i = 0; i < n; i++) {
        s[i] = f->a[i] * (f->b[i] - f->mean_rank) / f->sxx;
        c[i] = f->a[i] / f->weight_sum - f->mean_rank * s[i];
    }
}

typedef struct sii_scaled {
    double mean[SII_MAX_QUANTILES], sd[SII_MAX_QUANTILES]; /* on the simulation's scale */
} sii_scaled;

/* Fills slopes[r] and ratios[r] (intercept + slope over intercept) for
 * every repetition, in phe_sii's order: repetition by repetition, quantile
 * by quantile within each. */
static csa_status sii_simulate(const sii_fit *f, const sii_scaled *sc, size_t n,
                               const csa_sii_options *opt, double *slopes, double *ratios,
                               csa_error *err)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng)
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    gsl_rng_set(rng, opt->seed);
    double s[SII_MAX_QUANTILES], c[SII_MAX_QUANTILES];
    sii_weights(f, n, s, c);
    csa_sii_type back = opt->transform ? CSA_SII_OTHER : opt->type;
    for (size_t r = 0; r < opt->repetitions; r++) {
        double slope = 0, intercept = 0;
        for (size_t i = 0; i < n; i++) {
            double y = sc->mean[i] + sc->sd[i] * gsl_ran_gaussian_ziggurat(rng, 1.0);
            y = from_scale(back, y);
            slope += s[i] * y;
            intercept += c[i] * y;
        }
        slopes[r] = slope;
        ratios[r] = (intercept + slope) / intercept;
    }
    gsl_rng_free(rng);
    return CSA_OK;
}

/* Limits from sorted simulations of the untransformed fit. */
static void sii_limits_plain(const double *slopes, const double *ratios,
                             const csa_sii_options *opt, csa_sii_result *out)
{
    for (size_t k = 0; k < opt->levels.n; k++) {
        double conf = opt->levels.level[k] / 100;
        double upper_tail = conf + (1 - conf) / 2;
        size_t lo = sii_position(opt->repetitions, 1 - upper_tail);
        size_t hi = sii_position(opt->repetitions, upper_tail);
        out->sii.lower[k] = slopes[lo];
        out->sii.upper[k] = slopes[hi];
        out->rii.lower[k] = ratios[lo];
        out->rii.upper[k] = ratios[hi];
    }
}

/* With `transform`, phe_sii turns the log or logit slope's limits into
 * limits of the SII and RII on the indicator's own scale, each line
 * pivoting on the midpoint of the fitted one. */
static void sii_limits_transformed(const double *slopes, double mid, const csa_sii_options *opt,
                                   csa_sii_result *out)
{
    double m = opt->multiplier;
    for (size_t k = 0; k < opt->levels.n; k++) {
        double conf = opt->levels.level[k] / 100;
        double upper_tail = conf + (1 - conf) / 2;
        double sl = slopes[sii_position(opt->repetitions, 1 - upper_tail)];
        double su = slopes[sii_position(opt->repetitions, upper_tail)];
        double x0l = from_scale(opt->type, mid - sl / 2), x1l = from_scale(opt->type, mid + sl / 2);
        double x0u = from_scale(opt->type, mid - su / 2), x1u = from_scale(opt->type, mid + su / 2);
        if (m < 0) {
            out->sii.lower[k] = (x1u - x0u) * m;
            out->sii.upper[k] = (x1l - x0l) * m;
            out->rii.lower[k] = 1 / (x1u / x0u);
            out->rii.upper[k] = 1 / (x1l / x0l);
        } else {
            out->sii.lower[k] = (x1l - x0l) * m;
            out->sii.upper[k] = (x1u - x0u) * m;
            out->rii.lower[k] = x1l / x0l;
            out->rii.upper[k] = x1u / x0u;
        }
    }
}

/* Ranks and weights as phe_sii's FindXValues: the midpoint of each
 * quantile's share of the cumulative population. */
static void sii_ranks(size_t n, const double *population, sii_fit *f)
{
    double total = 0, cum = 0;
    for (size_t i = 0; i < n; i++)
        total += population[i];
    for (size_t i = 0; i < n; i++) {
        f->a[i] = population[i] / total;
        f->b[i] = f->a[i] / 2 + cum;
        cum += f->a[i];
    }
    f->weight_sum = 0;
    double wb = 0;
    for (size_t i = 0; i < n; i++) {
        f->weight_sum += f->a[i];
        wb += f->a[i] * f->b[i];
    }
    f->mean_rank = wb / f->weight_sum;
    f->sxx = 0;
    for (size_t i = 0; i < n; i++)
        f->sxx += f->a[i] * (f->b[i] - f->mean_rank) * (f->b[i] - f->mean_rank);
}

static void sii_point(const sii_fit *f, size_t n, const double *y, const csa_sii_options *opt,
                      csa_sii_result *out, double *mid)
{
    double c0, c1, cov00, cov01, cov11, chisq;
    /* a weighted least-squares line: phe_sii's lm on sqrt(a)-scaled terms */
    gsl_fit_wlinear(f->b, 1, f->a, 1, y, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &chisq);
    double m = opt->multiplier;
    *mid = (c0 + (c0 + c1)) / 2;
    if (!opt->transform) {
        out->sii.value = m * c1;
        out->rii.value = (c0 + c1) / c0;
        if (m < 0)
            out->rii.value = 1 / out->rii.value;
        out->intercept = c0;
        return;
    }
    double x0 = from_scale(opt->type, c0), x1 = from_scale(opt->type, c0 + c1);
    out->sii.value = (x1 - x0) * m;
    out->rii.value = m < 0 ? 1 / (x1 / x0) : x1 / x0;
    out->intercept = x0 * fabs(m);
}

static csa_status sii_intervals(const sii_fit *f, const sii_scaled *sc, size_t n, double mid,
                                const csa_sii_options *opt, csa_sii_result *out,
                                csa_error *err)
{
    size_t reps = opt->repetitions;
    if (reps > SIZE_MAX / 2 / sizeof(double))
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL,
                             "%zu repetitions are too many", reps);
    double *slopes = malloc(2 * reps * sizeof *slopes);
    if (!slopes)
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    double *ratios = slopes + reps;
    csa_status st = sii_simulate(f, sc, n, opt, slopes, ratios, err);
    if (st)
        goto fail;
    if (opt->transform) {
        gsl_sort(slopes, 1, reps);
        sii_limits_transformed(slopes, mid, opt, out);
    } else {
        /* scaled before sorting, as phe_sii: a negative multiplier turns
         * the order over, and the limits stay lower below upper */
        double m = opt->multiplier;
        for (size_t r = 0; r < reps; r++) {
            slopes[r] *= m;
            if (m < 0)
                ratios[r] = 1 / ratios[r];
        }
        gsl_sort(slopes, 1, reps);
        gsl_sort(ratios, 1, reps);
        sii_limits_plain(slopes, ratios, opt, out);
    }
fail:
    free(slopes);
    return st;
}

csa_status csa_sii(size_t n, const double *population, const double *value,
                   const double *lower, const double *upper, const double *se,
                   const csa_sii_options *opt, csa_sii_result *out, csa_error *err)
{
    csa_gsl_quiet();
    csa_status st = sii_begin(n, out, err);
    int complete;
    if (st || (st = check_sii_options(population, value, lower, upper, se, opt, err)) ||
        (st = check_sii_data(n, population, value, lower, upper, se, opt->type, &complete,
                             err)))
        return st;
    if (!complete) {
        out->sii.flags = out->rii.flags = CSA_INEQ_INCOMPLETE;
        return CSA_OK;
    }
    sii_fit fit;
    sii_scaled sc;
    sii_ranks(n, population, &fit);
    /* phe_sii's standard error from 95% limits, whatever the levels asked */
    double z = gsl_cdf_ugaussian_Pinv(0.975);
    int scale_ok = 1;
    double y[SII_MAX_QUANTILES];
    for (size_t i = 0; i < n; i++) {
        sc.mean[i] = to_scale(opt->type, value[i]);
        sc.sd[i] = se ? se[i]
                      : (to_scale(opt->type, upper[i]) - to_scale(opt->type, lower[i])) / z / 2;
        y[i] = opt->transform ? sc.mean[i] : value[i];
        if (!isfinite(sc.mean[i]) || !isfinite(sc.sd[i]))
            scale_ok = 0;
    }
    if (!scale_ok) {
        out->sii.flags = out->rii.flags = CSA_INEQ_NO_INTERVAL;
        if (opt->transform)
            return CSA_OK;
    }
    double mid;
    sii_point(&fit, n, y, opt, out, &mid);
    if (!scale_ok)
        return CSA_OK;
    return sii_intervals(&fit, &sc, n, mid, opt, out, err);
}

csa_status csa_sii_rates(size_t n, const double *count, const double *population, double per,
                         const csa_sii_options *opt, csa_sii_result *out, csa_error *err)
{
    csa_status st = sii_begin(n, out, err);
    if (st)
        return st;
    if (!(per > 0) || !isfinite(per))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "a rate's multiplier must be above 0, not %g", per);
    st = check_counts(n, count, population, BY_INDEX, err);
    if (st)
        return st;
    double value[SII_MAX_QUANTILES], lower[SII_MAX_QUANTILES], upper[SII_MAX_QUANTILES];
    for (size_t i = 0; i < n; i++) {
        csa_rate r = {NAN, NAN, NAN, 0};
        if (!isnan(count[i]) && (st = csa_rate_crude(count[i], population[i], per, 95, &r, err)))
            return st;
        value[i] = r.value;
        lower[i] = r.lower;
        upper[i] = r.upper;
    }
    csa_sii_options o = *opt;
    o.type = CSA_SII_RATE;
    return csa_sii(n, population, value, lower, upper, NULL, &o, out, err);
}

csa_status csa_sii_proportions(size_t n, const double *count, const double *population,
                               const csa_sii_options *opt, csa_sii_result *out,
                               csa_error *err)
{
    csa_status st = sii_begin(n, out, err);
    if (st || (st = check_counts(n, count, population, BY_INDEX, err)))
        return st;
    double value[SII_MAX_QUANTILES], lower[SII_MAX_QUANTILES], upper[SII_MAX_QUANTILES];
    for (size_t i = 0; i < n; i++) {
        value[i] = lower[i] = upper[i] = NAN;
        if (isnan(count[i]) || !(population[i] > 0))
            continue; /* csa_sii flags it incomplete */
        if (count[i] > population[i])
            return bad_entry(err, BY_INDEX, i, "count", count[i],
                             "is more than its population: not a proportion");
        value[i] = count[i] / population[i];
        if ((st = csa_wilson_ci(count[i], population[i], 95, &lower[i], &upper[i], err)))
            return st;
    }
    csa_sii_options o = *opt;
    o.type = CSA_SII_PROPORTION;
    return csa_sii(n, population, value, lower, upper, NULL, &o, out, err);
}

/* ---- concentration ---- */

typedef struct ranked_area {
    double key;
    size_t index;
} ranked_area;

static int by_key_then_index(const void *pa, const void *pb)
{
    const ranked_area *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

static void lorenz(const ranked_area *ranked, size_t m, const double *events,
                   const double *population, double total_weight, double total_events,
                   csa_concentration *out, double *lx, double *ly)
{
    double cum_w = 0, cum_e = 0, x0 = 0, y0 = 0, area = 0;
    if (lx)
        lx[0] = 0;
    if (ly)
        ly[0] = total_events > 0 ? 0 : NAN;
    for (size_t k = 0; k < m; k++) {
        size_t i = ranked[k].index;
        cum_w += population ? population[i] : 1;
        cum_e += events[i];
        /* the last point is exactly (1, 1), whatever the rounding of the sums */
        double x = k + 1 == m ? 1 : cum_w / total_weight;
        double y = k + 1 == m ? 1 : cum_e / total_events;
        area += (x - x0) * (y + y0);
        x0 = x;
        y0 = y;
        if (lx)
            lx[k + 1] = x;
        if (ly)
            ly[k + 1] = total_events > 0 ? y : NAN;
    }
    out->gini = total_events > 0 ? 1 - area : NAN;
}

static double top_events(ranked_area *ranked, size_t m, size_t top, const double *events)
{
    /* ranked is in ascending order of the Lorenz key; for the top share
     * the key must be events, so re-sort a copy's keys in place */
    for (size_t k = 0; k < m; k++)
        ranked[k].key = events[ranked[k].index];
    qsort(ranked, m, sizeof *ranked, by_key_then_index);
    double sum = 0;
    for (size_t k = m - top; k < m; k++)
        sum += events[ranked[k].index];
    return sum;
}

csa_status csa_concentration_compute(size_t n, const double *events, const double *population,
                                     double top_percent, csa_concentration *out,
                                     double *lorenz_x, double *lorenz_y, size_t *order,
                                     csa_error *err)
{
    *out = (csa_concentration){.total_events = NAN, .top_events = NAN, .top_share = NAN,
                               .gini = NAN};
    if (!(top_percent > 0 && top_percent <= 100))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "the top share needs a percentage above 0 and up to 100, not %g",
                             top_percent);
    for (size_t i = 0; i < n; i++) {
        if (events[i] < 0 || isinf(events[i]))
            return bad_entry(err, BY_INDEX, i, "events", events[i], "is not a number of 0 or more");
        if (population && (population[i] < 0 || isinf(population[i])))
            return bad_entry(err, BY_INDEX, i, "population", population[i],
                             "is not a number of 0 or more");
    }
    if (n > SIZE_MAX / sizeof(ranked_area))
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "too many areas");
    ranked_area *ranked = malloc((n ? n : 1) * sizeof *ranked);
    if (!ranked)
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    size_t m = 0;
    double total_weight = 0, total = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(events[i]) || (population && !(population[i] > 0)))
            continue;
        ranked[m].key = population ? events[i] / population[i] : events[i];
        ranked[m++].index = i;
        total_weight += population ? population[i] : 1;
        total += events[i];
    }
    out->areas = m;
    out->excluded = n - m;
    out->total_events = total;
    qsort(ranked, m, sizeof *ranked, by_key_then_index);
    if (order)
        for (size_t k = 0; k < m; k++)
            order[k] = ranked[k].index;
    lorenz(ranked, m, events, population, total_weight, total, out, lorenz_x, lorenz_y);
    out->top_areas = (size_t)ceil((double)m * top_percent / 100);
    if (out->top_areas > m)
        out->top_areas = m;
    out->top_events = top_events(ranked, m, out->top_areas, events);
    if (total > 0)
        out->top_share = out->top_events / total;
    else
        out->flags |= CSA_INEQ_NO_EVENTS;
    free(ranked);
    return CSA_OK;
}
