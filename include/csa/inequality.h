/* csa/inequality.h: inequality by deprivation and concentration in places.
 * Rates by IMD quintile, the gap between the most and least deprived, the
 * slope and relative indices of inequality (SII, RII) as PHEindicatormethods'
 * phe_sii computes them, and how concentrated events are in a few areas
 * (share in the top 10%, Gini coefficient and Lorenz curve).
 *
 * Everything works on plain arrays of doubles with NaN for a missing value,
 * so that the CLI can call it on columns. Arrays by deprivation run from the
 * most deprived (IMD decile 1) to the least. No function here returns
 * memory: outputs go into structs and arrays the caller provides.
 *
 * Counts must be whole numbers of 0 or more and populations 0 or more: a
 * negative or fractional count, or a negative population, is CSA_ERR_VALUE
 * naming its index. A NaN count or a zero or NaN population is not an
 * error: the figures that need it are missing (NaN) and flagged. */
#ifndef CSA_INEQUALITY_H
#define CSA_INEQUALITY_H

#include <stdbool.h>
#include <stddef.h>

#include "csa/error.h"
#include "csa/stats.h"

enum { CSA_IMD_DECILES = 10, CSA_IMD_QUINTILES = 5 };

/* Flags set in csa_estimate.flags (and csa_concentration.flags) by the
 * functions here, besides CSA_RATE_NO_DENOMINATOR (a zero or missing
 * population: no rate) and CSA_RATE_EXACT (an exact Poisson interval).
 * The bits are apart from those of csa/trend.h so that flags can be merged. */
enum {
    CSA_INEQ_MISSING     = 1u << 12, /* a count, value or limit is missing (NaN): no figure */
    CSA_INEQ_NO_RATIO    = 1u << 13, /* no events in the group compared with: no ratio */
    CSA_INEQ_INCOMPLETE  = 1u << 14, /* SII: a quantile has no population, value or
                                        limits, so (as in phe_sii) there is no SII */
    CSA_INEQ_NO_INTERVAL = 1u << 15, /* SII: a rate or proportion of 0 (or a proportion
                                        of 1) has no log-scale error: no interval, and
                                        with `transform` no SII either */
    CSA_INEQ_NO_EVENTS   = 1u << 16, /* concentration: no events at all */
};

/* ---- rates by group, decile and quintile ---- */

/* Crude rates count[i] / population[i] * per for n groups (such as IMD
 * deciles), with Byar's interval (exact Poisson below 10 events) at each of
 * `levels`, as csa_rate_crude computes them. out has n entries. */
csa_status csa_group_rates(size_t n, const double *count, const double *population,
                           double per, const csa_levels *levels, csa_estimate *out,
                           csa_error *err);

/* The population rule of every rate by area: an area (LSOA) has residents
 * only when its population is above 0. A missing (NaN) or 0 population is
 * "no population": the area's events are left out of its rate and counted
 * as such, never divided by 0 residents or by other areas' residents, and
 * never silently dropped. */
bool csa_area_populated(double population);

/* Rates by IMD decile summed from areas (LSOAs). */
typedef struct csa_area_decile_rates {
    double count[CSA_IMD_DECILES];      /* events in the decile's populated areas */
    double population[CSA_IMD_DECILES]; /* their residents; 0 where there are none */
    /* count / population * per at each level; a decile with no populated
     * area has no rate (NaN, flagged CSA_RATE_NO_DENOMINATOR) */
    csa_estimate rate[CSA_IMD_DECILES];
    size_t npopulated;        /* areas counted */
    size_t nunpopulated;      /* areas left out for no population */
    double unpopulated_count; /* their events, left out of count */
} csa_area_decile_rates;

/* Rates by decile from n areas' decile (1 to 10), count and population,
 * with the population rule of csa_area_populated. Counts and populations
 * are checked as everywhere here (CSA_ERR_VALUE naming the index); a
 * decile outside 1 to 10 is CSA_ERR_VALUE too. A NaN count makes its
 * decile's count (or unpopulated_count) NaN and that rate missing
 * (CSA_INEQ_MISSING). On an error *out is undefined. */
csa_status csa_area_decile_rates_compute(size_t n, const int *decile, const double *count,
                                         const double *population, double per,
                                         const csa_levels *levels, csa_area_decile_rates *out,
                                         csa_error *err);

/* Quintile k (0 = most deprived) is deciles 2k+1 and 2k+2:
 * quintile[k] = decile[2k] + decile[2k + 1]; NaN if either is. */
void csa_imd_quintiles(const double decile[CSA_IMD_DECILES],
                       double quintile[CSA_IMD_QUINTILES]);

/* Rates by IMD quintile from counts and populations by decile. */
csa_status csa_quintile_rates(const double count[CSA_IMD_DECILES],
                              const double population[CSA_IMD_DECILES], double per,
                              const csa_levels *levels, csa_estimate out[CSA_IMD_QUINTILES],
                              csa_error *err);

/* ---- the gap between the most and least deprived ---- */

/* Two rates and how they differ.
 *
 * ratio: rate a / rate b with the exact conditional interval: given
 * a + b events, a is binomial with p = N_a r_a / (N_a r_a + N_b r_b), so
 * Clopper-Pearson limits for p give limits p / (1 - p) * N_b / N_a for the
 * ratio (Breslow and Day 1987, Statistical Methods in Cancer Research
 * vol. II; R's poisson.test gives the same). Valid at any count: a = 0
 * gives 0 with an upper limit; b = 0 gives no ratio (CSA_INEQ_NO_RATIO).
 *
 * difference: (rate a - rate b) * per by MOVER (Zou and Donner 2008,
 * Stat Med 27:1693-1702), which combines the two rates' own intervals
 * (Byar's, exact below 10 events):
 *   lower = d - sqrt((r_a - l_a)^2 + (u_b - r_b)^2)
 *   upper = d + sqrt((u_a - r_a)^2 + (r_b - l_b)^2)
 * so the gap's interval agrees with the intervals shown for the two rates
 * and stays valid for small and zero counts, where the Wald interval does
 * not. */
typedef struct csa_rate_gap {
    csa_estimate a, b;       /* the two rates, per `per` */
    csa_estimate ratio;      /* a / b */
    csa_estimate difference; /* a - b, per `per` */
} csa_rate_gap;

csa_status csa_rate_gap_compute(double count_a, double population_a, double count_b,
                                double population_b, double per, const csa_levels *levels,
                                csa_rate_gap *out, csa_error *err);

typedef enum csa_imd_unit {
    CSA_IMD_BY_DECILE = 0,   /* decile 1 against decile 10 */
    CSA_IMD_BY_QUINTILE = 1, /* quintile 1 (deciles 1-2) against quintile 5 (9-10) */
} csa_imd_unit;

/* The most deprived (a) against the least deprived (b), by decile or
 * quintile, from counts and populations by decile. */
csa_status csa_imd_gap(const double count[CSA_IMD_DECILES],
                       const double population[CSA_IMD_DECILES], csa_imd_unit unit,
                       double per, const csa_levels *levels, csa_rate_gap *out,
                       csa_error *err);

/* ---- slope and relative index of inequality ---- */

/* The indicator type, as phe_sii's value_type: it decides how the
 * quantiles' standard errors come from their limits (log for rates, logit
 * for proportions) and how values are simulated. */
typedef enum csa_sii_type {
    CSA_SII_OTHER = 0,      /* normal: life expectancy, scores */
    CSA_SII_RATE = 1,       /* log-normal */
    CSA_SII_PROPORTION = 2, /* logit-normal; values and limits in [0, 1] */
} csa_sii_type;

typedef struct csa_sii_options {
    csa_sii_type type;
    /* Fit the line to log rates or logit proportions and transform back,
     * as phe_sii's transform = TRUE; needs limits, not standard errors. */
    int transform;
    /* Scales the SII (100 for percentages); a negative multiplier also
     * turns the RII over, for indicators where lower is worse. */
    double multiplier;
    size_t repetitions; /* simulations for the interval; 1000 or more */
    unsigned long seed; /* for GSL's MT19937; the same seed gives the same limits */
    csa_levels levels;  /* levels of the SII's and RII's intervals */
} csa_sii_options;

/* Other, no transform, multiplier 1, 100,000 repetitions (phe_sii's
 * defaults), seed 1, one 95% level. */
void csa_sii_defaults(csa_sii_options *opt);

typedef struct csa_sii_result {
    csa_estimate sii; /* fitted value at the least deprived end (x = 1) minus at the
                         most deprived (x = 0), times the multiplier */
    csa_estimate rii; /* fitted value at x = 1 over that at x = 0 */
    double intercept; /* fitted value at x = 0, as phe_sii's intercept = TRUE:
                         times |multiplier| with `transform`, not without */
} csa_sii_result;

/* The SII and RII of values by quantile, as PHEindicatormethods' phe_sii
 * (Low and Low 2004, J Public Health 26:388-395):
 *
 * - Quantile i (array order, most deprived first) has population share a_i
 *   and relative rank b_i, the midpoint of its range in the cumulative
 *   population. The line value = intercept + slope * b is fitted by least
 *   squares weighted by a_i (phe_sii fits sqrt(a) y on sqrt(a) and
 *   b sqrt(a) with no constant, which is the same fit). SII = slope *
 *   multiplier; RII = (intercept + slope) / intercept.
 * - Intervals by simulation: each repetition draws every quantile's value
 *   from a normal distribution with mean its value and sd its standard
 *   error, on the log scale for rates and the logit scale for
 *   proportions (back-transformed before the fit unless `transform`); the
 *   standard error is `se`, or (upper - lower) / (2 * 1.959964) on that
 *   scale from the 95% limits. The fit is repeated on each draw; the
 *   limits at level L are the simulated values at 1-based positions
 *   round(R * (1 - L) / 2) and round(R * (1 + L) / 2) of the R sorted
 *   ones (round half to even, as R). With `transform`, the limits of the
 *   log or logit slope are turned into SII and RII limits around the
 *   midpoint of the fitted line, as phe_sii does.
 *
 * Draws come from GSL's MT19937 generator seeded with opt->seed and its
 * ziggurat normal sampler: results are the same for the same seed and
 * inputs, and agree with phe_sii's within Monte Carlo error (R's own
 * generator cannot be reproduced).
 *
 * n quantiles, 5 to 100 (CSA_ERR_USAGE otherwise). value and population
 * are required; se, or else lower and upper (95% limits), may be NULL.
 * A negative population or standard error, or (for proportions) a value
 * or limit outside [0, 1], or an infinite one, is CSA_ERR_VALUE naming
 * its index. A population of 0, or a missing (NaN) population, value,
 * limit or se, gives no SII, flagged CSA_INEQ_INCOMPLETE (phe_sii leaves
 * such areas out).
 *
 * One deliberate difference: phe_sii swaps a transformed rate's limits
 * for any multiplier below 1; here they are swapped only for a negative
 * multiplier, as for proportions. The two agree for multipliers of 1 or
 * more and for negative ones. */
csa_status csa_sii(size_t n, const double *population, const double *value,
                   const double *lower, const double *upper, const double *se,
                   const csa_sii_options *opt, csa_sii_result *out, csa_error *err);

/* The SII and RII of crude rates count[i] / population[i] * per (so
 * opt->type is taken as CSA_SII_RATE), with the 95% limits of
 * csa_rate_crude (Byar's method, exact below 10 events). A quantile with
 * no events has a rate of 0: the SII is still fitted (not with
 * `transform`) but has no interval (CSA_INEQ_NO_INTERVAL). */
csa_status csa_sii_rates(size_t n, const double *count, const double *population, double per,
                         const csa_sii_options *opt, csa_sii_result *out, csa_error *err);

/* The SII and RII of proportions count[i] / population[i] (so opt->type is
 * taken as CSA_SII_PROPORTION), with the 95% Wilson limits of csa_wilson_ci
 * (phe_proportion's, which phe_sii is given with x = count); the SII is
 * times opt->multiplier (100 for percentage points). A count above its
 * population is CSA_ERR_VALUE. A quantile with no events (or with every
 * person counted) has a proportion of 0 (or 1), which has no logit-scale
 * error: the SII is still fitted (not with `transform`) but has no interval
 * (CSA_INEQ_NO_INTERVAL). */
csa_status csa_sii_proportions(size_t n, const double *count, const double *population,
                               const csa_sii_options *opt, csa_sii_result *out,
                               csa_error *err);

/* ---- concentration ---- */

typedef struct csa_concentration {
    size_t areas;        /* areas used */
    size_t excluded;     /* areas left out: events missing, or (with populations)
                            population zero or missing */
    double total_events; /* in the areas used */
    size_t top_areas;    /* ceil(areas * top_percent / 100) areas with the most events */
    double top_events;   /* events in them */
    double top_share;    /* top_events / total_events */
    double gini;         /* 0 (even) to 1 (all in one place) */
    unsigned flags;      /* CSA_INEQ_NO_EVENTS */
} csa_concentration;

/* How concentrated events are among n areas (such as crimes in LSOAs).
 *
 * The top share is the share of all events in the ceil(areas * top_percent
 * / 100) areas with the most events (10 for the top 10% of 100 areas;
 * which of tied areas are taken does not change the share).
 *
 * The Gini coefficient is 1 - sum (X_k - X_{k-1}) (Y_k + Y_{k-1}) over the
 * Lorenz curve (Brown 1994, Soc Sci Med 38:1243-1256): with populations,
 * areas are ordered by rate (events / population, lowest first, ties by
 * index) and X is the cumulative share of population, Y of events, as for
 * health inequality between areas (Wagstaff, Paci and van Doorslaer 1991,
 * Soc Sci Med 33:545-557); this is the population-weighted Gini mean
 * difference of the rates over twice their mean. With population NULL,
 * every area weighs the same and areas are ordered by events: the
 * concentration of crime in places.
 *
 * lorenz_x and lorenz_y, if not NULL, get areas + 1 points from (0, 0) to
 * (1, 1) and need room for n + 1; order, if not NULL, gets the indices of
 * the areas used in Lorenz order and needs room for n. With no events at
 * all, the share, Gini and Lorenz Y are NaN, flagged CSA_INEQ_NO_EVENTS.
 * Negative events or populations are CSA_ERR_VALUE naming the index;
 * events need not be whole numbers. */
csa_status csa_concentration_compute(size_t n, const double *events, const double *population,
                                     double top_percent, csa_concentration *out,
                                     double *lorenz_x, double *lorenz_y, size_t *order,
                                     csa_error *err);

#endif
