/* csa/trend.h: change over time. Change between two periods with its
 * interval, rolling twelve-month sums, the Fingertips recent-trend test and
 * statistical process control (XmR and c-charts) with run rules.
 *
 * Everything works on plain arrays of doubles with NaN for a missing value,
 * so that the CLI and the charts can call it on a column. No function here
 * returns memory: outputs go into structs and arrays the caller provides. */
#ifndef CSA_TREND_H
#define CSA_TREND_H

#include <stddef.h>

#include "csa/error.h"
#include "csa/stats.h"

/* ---- change between two periods ---- */

/* One period's events and what they are counted against: crimes and
 * residents, or successes and trials for a proportion. For counts with no
 * denominator (crimes this year against last year) use 1 in both. */
typedef struct csa_period {
    double count;
    double denominator;
} csa_period;

/* Flags set in csa_estimate.flags by the change functions, besides
 * CSA_RATE_NO_DENOMINATOR (a zero, negative or missing denominator: no
 * change) and CSA_RATE_EXACT (the exact method gave the interval). */
enum {
    CSA_CHANGE_MISSING     = 1u << 8,  /* a count is missing (NaN): no change */
    CSA_CHANGE_NO_BASELINE = 1u << 9,  /* no events in the earlier period: no ratio (the
                                          exact interval still has its lower limit, the
                                          upper infinite) */
    CSA_CHANGE_NO_INTERVAL = 1u << 10, /* the method gives no interval for these counts */
    CSA_CHANGE_NO_EVENTS   = 1u << 11, /* no events in either period: nothing to compare
                                          (set with CSA_CHANGE_NO_BASELINE) */
};

typedef enum csa_ratio_method {
    CSA_RATIO_AUTO = 0,   /* exact when either period has fewer than 10 events */
    CSA_RATIO_LOG_NORMAL, /* exp(ln RR +- z sqrt(1/O1 + 1/O2)) */
    CSA_RATIO_EXACT,      /* conditional binomial (Clopper-Pearson) limits */
} csa_ratio_method;

/* Rate ratio of `now` to `before` (rate now / rate before) with its
 * interval at each of `levels`. Counts must be whole numbers of 0 or more
 * (CSA_ERR_VALUE otherwise); a NaN count gives a missing ratio flagged
 * CSA_CHANGE_MISSING. With no events before, the ratio is NaN (it is not
 * defined) and flagged CSA_CHANGE_NO_BASELINE; if there are events now,
 * the exact interval (AUTO or EXACT) is still given, its upper limit
 * INFINITY, as R's poisson.test gives it; with none in either period
 * CSA_CHANGE_NO_EVENTS too, and no interval. The exact method's time grows with the square root of
 * the events (a tenth of a second at a billion). */
csa_status csa_rate_ratio(csa_period now, csa_period before, const csa_levels *levels,
                          csa_ratio_method method, csa_estimate *out, csa_error *err);

/* Rate difference (rate now - rate before) * per, with a normal
 * approximation interval at each of `levels`. Counts as for csa_rate_ratio.
 * With no events in either period the difference is 0 with no interval
 * (flagged CSA_CHANGE_NO_EVENTS and CSA_CHANGE_NO_INTERVAL), not 0 to 0. */
csa_status csa_rate_difference(csa_period now, csa_period before, double per,
                               const csa_levels *levels, csa_estimate *out, csa_error *err);

/* Difference of two proportions (now - before), as a proportion (times 100
 * for percentage points), with Newcombe's hybrid score interval at each of
 * `levels`. Needs 0 <= count <= denominator in both periods (CSA_ERR_VALUE
 * otherwise); fractional counts are allowed, as for csa_wilson_ci. */
csa_status csa_proportion_difference(csa_period now, csa_period before,
                                     const csa_levels *levels, csa_estimate *out,
                                     csa_error *err);

/* ---- rolling sums ---- */

/* out[i] = values[i - window + 1] + ... + values[i]: the rolling
 * twelve-month total with window 12 on a monthly series. out[i] is NaN for
 * the first window - 1 entries and wherever any of the window's values is
 * missing. out has n entries and must not overlap values. Each window is
 * summed afresh (n x window additions), so no rounding builds up. */
csa_status csa_rolling_sum(const double *values, size_t n, size_t window, double *out,
                           csa_error *err);

/* ---- the Fingertips recent-trend test ---- */

/* Fingertips' trend markers, from the last five points of a series. */
typedef enum csa_trend_marker {
    CSA_TREND_CANNOT_BE_CALCULATED = 0,
    CSA_TREND_NO_SIGNIFICANT_CHANGE,
    CSA_TREND_INCREASING,
    CSA_TREND_DECREASING,
} csa_trend_marker;

typedef enum csa_trend_reason {
    CSA_TREND_SIGNIFICANT = 0,    /* significant, and no single point reverses it */
    CSA_TREND_NOT_SIGNIFICANT,    /* chi-square not above the 99.8% critical value */
    CSA_TREND_OUTLIER,            /* significant, but leaving one point out reverses it */
    CSA_TREND_TOO_FEW_POINTS,     /* fewer than five points */
    CSA_TREND_MISSING_VALUES,     /* one of the last five is missing or has no denominator */
    CSA_TREND_MISSING_INTERVAL,   /* a confidence limit is missing or the interval is empty */
    CSA_TREND_EXTREME_PROPORTION, /* a proportion of 0 or 1, which has no log-odds */
} csa_trend_reason;

typedef struct csa_recent_trend {
    csa_trend_marker marker;
    csa_trend_reason reason;
    double slope;      /* change per unit of time: log-odds for proportions, the
                          value's own units otherwise; NaN when not calculated */
    double chi_square; /* the test statistic, 1 degree of freedom */
    double p_value;    /* upper tail of chi-square(1) at chi_square */
    size_t first;      /* index of the first of the five points used */
} csa_recent_trend;

/* "Increasing", "Decreasing", "No significant change", "Cannot be
 * calculated", as Fingertips and PHEindicatormethods label them. */
const char *csa_trend_marker_label(csa_trend_marker marker);
/* The reason in words, as PHEindicatormethods gives it. */
const char *csa_trend_reason_text(csa_trend_reason reason);

/* The recent trend of a proportion numerators[i] / denominators[i] over the
 * last five of n points. times gives each point's time (strictly
 * increasing); NULL means equally spaced, as Fingertips requires. A
 * negative numerator or one above its denominator is CSA_ERR_VALUE; a
 * missing value or a denominator of 0 or less is a marker of "Cannot be
 * calculated", not an error. */
csa_status csa_recent_trend_proportion(const double *numerators, const double *denominators,
                                       const double *times, size_t n,
                                       csa_recent_trend *out, csa_error *err);

/* The recent trend of a crude rate counts[i] / denominators[i] * per, each
 * point weighted by its 95% interval from csa_poisson_ci (Byar's method,
 * exact below 10 events), as Fingertips computes rates. Counts must be
 * whole numbers of 0 or more (CSA_ERR_VALUE otherwise); a missing count or
 * a denominator of 0 or less gives "Cannot be calculated". The slope is in
 * rate units (per `per`) per unit of time. */
csa_status csa_recent_trend_rate(const double *counts, const double *denominators,
                                 const double *times, size_t n, double per,
                                 csa_recent_trend *out, csa_error *err);

/* The recent trend of any other indicator from its values and confidence
 * limits at `level` percent (95 in Fingertips), for indicators whose
 * intervals come from elsewhere (directly standardised rates, means). A
 * missing value or limit, or an interval of no width, gives "Cannot be
 * calculated". */
csa_status csa_recent_trend_values(const double *values, const double *lower,
                                   const double *upper, const double *times, size_t n,
                                   double level, csa_recent_trend *out, csa_error *err);

/* ---- statistical process control ---- */

typedef enum csa_spc_chart {
    CSA_SPC_XMR = 0, /* individuals: limits at mean +- 2.66 x mean moving range */
    CSA_SPC_C,       /* counts: limits at mean +- 3 sqrt(mean), the lower floored at 0 */
} csa_spc_chart;

/* Rules, as bits of a point's mask and of csa_spc_signal.rule. */
enum {
    CSA_SPC_OUTSIDE      = 1u << 0, /* beyond a process limit */
    CSA_SPC_SHIFT        = 1u << 1, /* one of 7 or more points in a row on one side of the mean */
    CSA_SPC_TREND        = 1u << 2, /* one of 7 or more points in a row each rising, or each falling */
    CSA_SPC_TWO_OF_THREE = 1u << 3, /* a point between the two-thirds line and its limit, with
                                       at least one more among three points in a row, all three
                                       on the same side of the mean */
};

/* Flags of csa_spc_limits. */
enum {
    CSA_SPC_NO_LIMITS     = 1u << 0, /* no moving range in the baseline: limits NaN */
    CSA_SPC_ZERO_SPREAD   = 1u << 1, /* the baseline does not vary: limits equal the mean */
    CSA_SPC_LOWER_FLOORED = 1u << 2, /* a c-chart's lower limit (or line) raised to 0 */
};

typedef struct csa_spc_options {
    csa_spc_chart chart;
    /* The baseline: points [baseline_first, baseline_first + baseline_length)
     * give the mean and limits, against which every point is judged.
     * baseline_length 0 means up to the end of the series. */
    size_t baseline_first, baseline_length;
    /* 0 (the default): leave moving ranges of 3.267 x the mean moving
     * range or more out of the mean moving range (Nelson 1982), as
     * NHSRplotthedots does by default (screen_outliers = TRUE). 1: keep
     * them all, as the Making Data Count spreadsheets do. XmR only. */
    int keep_large_moving_ranges;
} csa_spc_options;

typedef struct csa_spc_limits {
    double centre;
    double lower, upper;                       /* the process limits */
    double lower_two_thirds, upper_two_thirds; /* two-thirds of the way to each */
    double mean_moving_range;                  /* XmR only; NaN for a c-chart */
    size_t baseline_points;                    /* values (not missing) in the baseline */
    size_t moving_ranges;                      /* moving ranges in mean_moving_range */
    size_t screened_moving_ranges;             /* left out as 3.267 x the mean or more */
    unsigned flags;                            /* CSA_SPC_NO_LIMITS, ... */
} csa_spc_limits;

/* One rule firing: a point outside the limits (first == last), or a run of
 * points that together meet a rule. */
typedef struct csa_spc_signal {
    unsigned rule;      /* one CSA_SPC_* rule bit */
    int direction;      /* +1 above the mean or rising, -1 below or falling */
    size_t first, last; /* indices into the series, inclusive */
} csa_spc_signal;

/* An SPC chart of values[0..n) (NaN for a missing point), with the rules of
 * NHS England's Making Data Count as NHSRplotthedots implements them.
 *
 * rules, if not NULL, has n entries and gets each point's mask of
 * CSA_SPC_* rule bits (0 for a missing point). signals, if not NULL, has
 * room for max_signals; *nsignals (if not NULL) gets how many signals there
 * are, which can be more than max_signals (then only the first
 * max_signals are written); 2 * n is always enough. Signals come grouped
 * by rule (outside, shift, trend, two of three), each group in order. A
 * point beyond a limit counts for the first rule only, not for two of
 * three, as in NHSRplotthedots.
 *
 * A point on the mean is on neither side, so it ends a shift; an equal
 * neighbour ends a trend. With no moving range (a baseline of one value)
 * the limits are NaN and flagged, and only shifts and trends can fire; with
 * no spread they equal the mean, so every point off the mean is outside.
 *
 * Missing points are skipped: they have no moving range on either side,
 * and the run rules count the points that are there. A c-chart value that
 * is negative or not a whole number is CSA_ERR_VALUE naming its place
 * (counted from 1); a
 * baseline outside the series is CSA_ERR_USAGE, one with no values
 * CSA_ERR_VALUE. */
csa_status csa_spc_compute(const double *values, size_t n, const csa_spc_options *options,
                           csa_spc_limits *limits, unsigned *rules, csa_spc_signal *signals,
                           size_t max_signals, size_t *nsignals, csa_error *err);

/* A short description of one rule bit, for a chart's key. */
const char *csa_spc_rule_name(unsigned rule);
/* The rules of mask, by name (csa_spc_rule_name), joined by "; " into
 * buf ("" for none); returns buf. */
char *csa_spc_rules_text(unsigned mask, char *buf, size_t size);

/* How an XmR chart's limits were set, for a chart's subtitle or a note:
 * "moving ranges of 3.267 x their mean or more screened out, as
 * NHSRplotthedots" or "every moving range kept, as the Making Data Count
 * spreadsheets"; for a c-chart "limits at mean +- 3 sqrt(mean)". */
const char *csa_spc_limits_method(const csa_spc_options *options);

#endif
