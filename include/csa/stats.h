/* csa/stats.h: the statistical methods, and result tables that carry their
 * own metadata so that reports never recompute a figure. */
#ifndef CSA_STATS_H
#define CSA_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csa/error.h"
#include "csa/table.h"

/* ---- estimates at several confidence levels ---- */

/* Methods that give intervals take the levels wanted (such as 95 and 99.8,
 * both in one call) and fill one csa_estimate. Missing values are NaN. */
enum { CSA_MAX_LEVELS = 4 };
typedef struct csa_levels {
    size_t n;
    double level[CSA_MAX_LEVELS]; /* percentages, each in (0, 100) */
} csa_levels;

typedef struct csa_estimate {
    double value;
    double lower[CSA_MAX_LEVELS], upper[CSA_MAX_LEVELS]; /* per csa_levels entry */
    unsigned flags; /* CSA_RATE_* and the flags of each method */
} csa_estimate;

/* ---- rates ---- */

enum {
    CSA_RATE_NO_DENOMINATOR = 1u << 0, /* zero or missing denominator: no rate */
    CSA_RATE_EXACT          = 1u << 1, /* interval by the exact Poisson method */
};

/* A rate with its confidence interval; NaN where there is no value. */
typedef struct csa_rate {
    double value, lower, upper;
    unsigned flags;
} csa_rate;

/* Confidence limits for a Poisson count: Byar's approximation from 10
 * events, the exact (chi-square) limits below 10, as PHEindicatormethods
 * and Fingertips compute them. level is a percentage such as 95 or 99.8.
 * count must be a non-negative whole number. */
csa_status csa_poisson_ci(double count, double level, double *lower,
                          double *upper, unsigned *flags, csa_error *err);

/* Crude rate count / denominator * per with the interval above. A zero,
 * negative or NaN denominator gives a missing rate flagged
 * CSA_RATE_NO_DENOMINATOR, never a division by zero. */
csa_status csa_rate_crude(double count, double denominator, double per,
                          double level, csa_rate *out, csa_error *err);

/* Writes v with `decimals` places and thousands separators, as a report
 * shows it: 18188 -> "18,188", 17.456 with 1 -> "17.5". Returns buf. */
char *csa_format_number(double v, int decimals, char *buf, size_t size);

/* Wilson score interval for a proportion successes / n (both may be
 * fractional, as with an effective sample size), as PHEindicatormethods
 * computes it; limits as proportions in [0, 1]. */
csa_status csa_wilson_ci(double successes, double n, double level, double *lower,
                         double *upper, csa_error *err);

/* ---- figures at several levels: crude rates and proportions ---- */

/* Flags of csa_estimate.flags. Bits 0 to 7 belong to this header; other
 * headers use 8 to 10 (trend.h), 12 to 16 (inequality.h), 20 (survey.h). */
enum {
    CSA_RATE_NO_COUNT     = 1u << 2, /* the count is missing (NaN): no figure */
    CSA_DSR_SUPPRESSED    = 1u << 3, /* fewer than 10 events in all: no DSR */
    CSA_DSR_COUNT_AS_ZERO = 1u << 4, /* an age band's missing count was taken as 0 */
};

/* n between 1 and CSA_MAX_LEVELS, each level in (0, 100); CSA_ERR_USAGE
 * otherwise. Every function taking a csa_levels checks it so. */
csa_status csa_levels_check(const csa_levels *levels, csa_error *err);

/* Crude rate count / denominator * per (per is 1000 or 100000, say) with
 * Byar's interval, exact Poisson below 10 events (csa_poisson_ci), at each
 * of `levels`, as PHEindicatormethods' phe_rate computes it.
 * - count must be a whole number of 0 or more and the denominator 0 or more
 *   (CSA_ERR_VALUE otherwise);
 * - a zero or NaN denominator gives a missing figure (NaN) flagged
 *   CSA_RATE_NO_DENOMINATOR, never a division by zero;
 * - a NaN count gives a missing figure flagged CSA_RATE_NO_COUNT.
 * On an error *out is all NaN. */
csa_status csa_rate_estimate(double count, double denominator, double per,
                             const csa_levels *levels, csa_estimate *out, csa_error *err);

/* Proportion numerator / denominator * multiplier (1 for a proportion, 100
 * for a percentage) with Wilson's score interval (csa_wilson_ci) at each of
 * `levels`, as phe_proportion computes it. Fractional numerators and
 * denominators are allowed (effective sample sizes). A numerator above the
 * denominator, or a negative one, is CSA_ERR_VALUE; a zero or NaN
 * denominator and a NaN numerator give missing figures flagged as for
 * csa_rate_estimate. */
csa_status csa_proportion_estimate(double numerator, double denominator, double multiplier,
                                   const csa_levels *levels, csa_estimate *out,
                                   csa_error *err);

/* ---- standardisation ---- */

/* The European Standard Population 2013: 19 bands of five years, 0-4 to
 * 85-89, then 90 and over; they sum to 100,000. csa_esp2013[i] is the
 * weight of ages 5i to 5i + 4 (i < 18). */
enum { CSA_ESP2013_BANDS = 19, CSA_AGE_OPEN = -1 };
extern const double csa_esp2013[CSA_ESP2013_BANDS];

/* Ages lo to hi in whole years, both included; hi = CSA_AGE_OPEN for "lo
 * and over". */
typedef struct csa_age_band {
    int lo, hi;
} csa_age_band;

/* Reads an age band as population files write it: "0-4", "0 to 15",
 * "16-29", "90+", "65 and over", "65 or over". A sex prefix (the F of
 * "F0 to 15") is the caller's to remove first. Anything else is
 * CSA_ERR_VALUE. */
csa_status csa_age_band_parse(const char *text, csa_age_band *out, csa_error *err);

/* ESP2013 weights aggregated to the bands of a population file:
 * weights[i] is the standard population of ages bands[i]. Where a band
 * cuts a five-year ESP band (0-15 takes one year of 15-19) the ESP weight
 * is shared equally between its five years. The bands may leave ages out
 * (an indicator for ages 16 and over) but must not overlap; the 90 and over
 * band cannot be split, so a band reaching past 89 must be open
 * (CSA_AGE_OPEN) and start at 90 or below. Breaking these is CSA_ERR_VALUE. */
csa_status csa_esp2013_aggregate(const csa_age_band *bands, size_t nbands, double *weights,
                                 csa_error *err);

/* Whether bands leave out ages between their youngest and oldest (35-39
 * and 45-49 with no 40-44): the first such gap into *gap (ages lo to hi).
 * A DSR over such bands silently loses the missing band's standard
 * population (issue 21): a band with no events needs its row with a count
 * of 0. Ages left out at either end (an indicator for ages 16 and over)
 * are no gap. Overlapping bands are csa_esp2013_aggregate's to refuse. */
bool csa_age_bands_gap(const csa_age_band *bands, size_t nbands, csa_age_band *gap);

/* Directly standardised rate per `per` by Dobson's method, as
 * PHEindicatormethods' calculate_dsr (phe_dsr) computes it:
 *     DSR = sum(count_i / population_i * standard_i) / sum(standard_i) * per,
 * with the interval from Byar's limits on the total count scaled by
 * sqrt(var(DSR) / total), at each of `levels`.
 * - counts: whole numbers of 0 or more; a NaN count is taken as 0 and
 *   flagged CSA_DSR_COUNT_AS_ZERO, as calculate_dsr does;
 * - populations: 0 or more; a zero or NaN population in any band gives a
 *   missing DSR flagged CSA_RATE_NO_DENOMINATOR (the band's rate is unknown);
 * - standard: the weights (csa_esp2013 or csa_esp2013_aggregate), 0 or
 *   more with a positive sum;
 * - fewer than 10 events in all gives a missing DSR flagged
 *   CSA_DSR_SUPPRESSED (the total count is still reported).
 * Negative, fractional or infinite inputs are CSA_ERR_VALUE. total_count
 * may be NULL. */
csa_status csa_dsr(const double *counts, const double *populations, const double *standard,
                   size_t nbands, double per, const csa_levels *levels, csa_estimate *out,
                   double *total_count, csa_error *err);

/* The same for events that are not independent (one person may have several),
 * as calculate_dsr(independent_events = FALSE) computes it: counts[i] are the
 * band's events (sum of frequency x persons) and squares[i] the band's sum of
 * frequency^2 x persons, which takes the place of the count in Dobson's
 * variance: var = sum(squares_i (w_i / n_i)^2) / sum(w)^2 (PHEindicatormethods
 * R/DSR.R sums each frequency's variance times frequency^2, the same sum).
 * squares NULL is csa_dsr. squares must be 0 or more (CSA_ERR_VALUE). */
csa_status csa_dsr_nonindependent(const double *counts, const double *squares,
                                  const double *populations, const double *standard,
                                  size_t nbands, double per, const csa_levels *levels,
                                  csa_estimate *out, double *total_count, csa_error *err);

/* Expected events in an area had it the reference (England, say) rates of
 * each age band: sum(ref_count_i / ref_population_i * population_i), as
 * calculate_ISRatio computes it; a NaN count or population is taken as 0
 * (as there), a reference population must be above 0 (CSA_ERR_VALUE). */
csa_status csa_expected_events(const double *populations, const double *ref_counts,
                               const double *ref_populations, size_t nbands,
                               double *expected, csa_error *err);

/* Indirectly standardised ratio observed / expected * refvalue (1, or 100
 * for an SMR-style figure), with Byar's interval on the observed count,
 * exact below 10 (csa_poisson_ci), at each of `levels`, as
 * calculate_ISRatio computes it. A zero or NaN expected count gives a
 * missing ratio flagged CSA_RATE_NO_DENOMINATOR; a NaN observed count one
 * flagged CSA_RATE_NO_COUNT. */
csa_status csa_isr(double observed, double expected, double refvalue,
                   const csa_levels *levels, csa_estimate *out, csa_error *err);

/* ---- comparison with a comparator ---- */

/* Which way is good. NO_JUDGEMENT gives higher / similar / lower. */
typedef enum csa_polarity {
    CSA_POLARITY_LOW_IS_GOOD = 0, /* crime, admissions for assault */
    CSA_POLARITY_HIGH_IS_GOOD,    /* "feel safe", detection rates */
    CSA_POLARITY_NO_JUDGEMENT,
} csa_polarity;

typedef enum csa_outcome {
    CSA_NOT_COMPARED = 0, /* no interval or no comparator value */
    CSA_BETTER,
    CSA_SIMILAR,
    CSA_WORSE,
    CSA_HIGHER, /* NO_JUDGEMENT only */
    CSA_LOWER,  /* NO_JUDGEMENT only */
} csa_outcome;

/* Compares an area's interval [lower, upper] at one level with the
 * comparator's value, Fingertips' benchmarking rule: similar when the
 * interval includes the value (ends included), otherwise better or worse
 * by polarity. The same rule holds for any comparator, England, region or
 * a group: the comparator's own interval is not used (see compare.c). A
 * NaN limit or comparator gives CSA_NOT_COMPARED; lower > upper, or a
 * polarity out of range, is CSA_ERR_USAGE. */
csa_status csa_compare(double lower, double upper, double comparator, csa_polarity polarity,
                       csa_outcome *out, csa_error *err);

/* The same for the interval at levels->level[level_index] of an estimate. */
csa_status csa_compare_estimate(const csa_estimate *area, const csa_levels *levels,
                                size_t level_index, double comparator, csa_polarity polarity,
                                csa_outcome *out, csa_error *err);

/* Fingertips' other rule, used for the indicators configured with it and
 * for two values of the same area: similar when the two intervals overlap
 * (ends included), otherwise better or worse by which value is higher. */
csa_status csa_compare_overlap(double value, double lower, double upper, double cmp_value,
                               double cmp_lower, double cmp_upper, csa_polarity polarity,
                               csa_outcome *out, csa_error *err);

/* "Better", "Similar", "Worse", "Higher", "Lower", "Not compared". */
const char *csa_outcome_name(csa_outcome outcome);

/* The RAG colour of an outcome: red worse, amber similar, green better;
 * neutral when not compared, and for every outcome of an indicator with no
 * judgement (a similar one included: amber would read as a judgement). */
typedef enum csa_rag {
    CSA_RAG_NEUTRAL = 0,
    CSA_RAG_RED,
    CSA_RAG_AMBER,
    CSA_RAG_GREEN,
} csa_rag;

csa_rag csa_outcome_rag(csa_outcome outcome, csa_polarity polarity);

/* Fingertips' colour for an outcome as "#rrggbb": better #92d050, similar
 * #ffc000, worse #c00000, higher #c2ccff, lower #5555e6 (its blues for no
 * judgement), not compared #c9c9c9. */
const char *csa_outcome_colour(csa_outcome outcome);

/* ---- funnel plots ---- */

/* Funnel plot control limits and significance as PHEindicatormethods'
 * calculate_funnel_limits and assign_funnel_significance compute them. */
typedef enum csa_funnel_kind {
    CSA_FUNNEL_PROPORTION = 0, /* x: denominators; Wilson-score limits */
    CSA_FUNNEL_RATE,           /* x: events; exact Poisson limits */
    CSA_FUNNEL_DSR,            /* as RATE; significance not given below 10 events */
    CSA_FUNNEL_RATIO,          /* x: observed events; exact Poisson limits on O/E */
} csa_funnel_kind;

typedef struct csa_funnel_spec {
    csa_funnel_kind kind;
    /* Proportions and rates: the comparator's value per multiplier (80.6
     * for 80.6%, 116.2 per 100,000), the funnel's centre line. For the
     * package's own average use csa_funnel_summary. Ratios: not used (the
     * centre is 1 times multiplier). */
    double comparator;
    double multiplier; /* 1 or 100 for proportions; 1000, 100000 for rates; 1 or 100 for ratios */
    double years;      /* rates: the years the denominators cover (1 for one year) */
} csa_funnel_spec;

/* One point of the funnel's lines at x (see csa_funnel_kind) at each level.
 * lower_at[k] and upper_at[k] are where each line's point lies on the
 * horizontal axis: for proportions x itself; for rates the population per
 * year at which x events give that limit; for ratios the expected count. */
typedef struct csa_funnel_point {
    double x;
    double lower[CSA_MAX_LEVELS], upper[CSA_MAX_LEVELS];
    double lower_at[CSA_MAX_LEVELS], upper_at[CSA_MAX_LEVELS];
} csa_funnel_point;

/* The average (sum of numerators / sum of denominators, as a proportion or
 * events per person) and the smallest and largest denominator of a set of
 * areas, for the centre line and the axis. Areas with a NaN denominator are
 * left out of the denominators (for DSRs pass count * per / DSR, NaN where
 * the count is 0, as the package derives them). n must be at least 1. */
csa_status csa_funnel_summary(const double *numerators, const double *denominators, size_t n,
                              double *average, double *min_denominator,
                              double *max_denominator, csa_error *err);

/* The package's horizontal axis: n points (it uses 100) from the smallest
 * to the largest denominator, closer together where the funnel is narrow.
 * For rates and DSRs the points are numbers of events (from denominators
 * times the comparator), for ratios observed events (from expected
 * counts), for proportions denominators. */
csa_status csa_funnel_axis(const csa_funnel_spec *spec, double min_denominator,
                           double max_denominator, double *x, size_t n, csa_error *err);

/* The limits at each of `levels` for the n points x (denominators above 0
 * for proportions, whole numbers of events of 1 or more otherwise), into
 * out[0 .. n-1]. Rate and ratio limits are the package's bisection on the
 * Poisson distribution, which stops 1e-7 short of the exact chi-square
 * limit; its cost grows with the number of events, so more than
 * CSA_FUNNEL_MAX_EVENTS at a point is CSA_ERR_LIMIT. Proportion limits are
 * held within [0, multiplier]. */
enum { CSA_FUNNEL_MAX_EVENTS = 1000000 };
csa_status csa_funnel_limits(const csa_funnel_spec *spec, const double *x, size_t n,
                             const csa_levels *levels, csa_funnel_point *out,
                             csa_error *err);

/* The funnel's limits at one area's own denominator, for rates and DSRs
 * (person-years: population times years, or for a DSR count * per / DSR)
 * and ratios (expected events): the rates (ratios) at which the area's
 * exact Poisson interval would just touch the comparator (1 for ratios),
 * so that its significance (csa_funnel_significance, exact and Byar's
 * limits apart) is where its value lies against them. They are the
 * package's funnel lines read at the area's denominator: a line point of
 * calculate_funnel_limits (x events at population P) has limit x / P *
 * multiplier here at P, to the 1e-7 the package's bisection leaves. A
 * lower limit below 0 events is 0. For proportions these are
 * csa_funnel_limits at the denominator. A denominator must be above 0. */
csa_status csa_funnel_limits_at(const csa_funnel_spec *spec, double denominator,
                                const csa_levels *levels, csa_funnel_point *out,
                                csa_error *err);

typedef enum csa_funnel_signif {
    CSA_FUNNEL_NOT_SIGNIFICANT = 0,
    CSA_FUNNEL_HIGH_95,       /* "High (0.025)": above the 95% funnel */
    CSA_FUNNEL_HIGH_998,      /* "High (0.001)": above the 99.8% funnel */
    CSA_FUNNEL_LOW_95,        /* "Low (0.025)" */
    CSA_FUNNEL_LOW_998,       /* "Low (0.001)" */
    CSA_FUNNEL_NOT_APPLICABLE /* a DSR from fewer than 10 events */
} csa_funnel_signif;

/* Where one area lies against the funnel, at the package's 95% and 99.8%:
 * proportions compare numerator / denominator with the limits at the
 * area's denominator; rates, DSRs and ratios compare the comparator (1 for
 * ratios) with the area's Byar/exact interval, the denominator being the
 * population (rates), count * per / DSR (DSRs) or the expected count. */
csa_status csa_funnel_significance(const csa_funnel_spec *spec, double numerator,
                                   double denominator, csa_funnel_signif *out,
                                   csa_error *err);

/* "High (0.001)", "Low (0.025)", "Not significant" and the rest, as the
 * package labels them. */
const char *csa_funnel_signif_name(csa_funnel_signif s);

/* ---- result tables ---- */

/* A table of figures with what a report needs to present them. The table
 * is owned by the result. */
typedef struct csa_result {
    csa_table *table;
    char indicator[128]; /* "Crime rate by IMD decile" */
    char unit[64];       /* "per 1,000 residents" */
    double multiplier;   /* 1000 */
    char method[160];    /* "Byar's method; exact Poisson below 10 events" */
    double level;        /* 95 */
} csa_result;

void csa_result_free(csa_result *r);

/* ---- deprivation ---- */

/* Rates of events (such as crimes) per resident by IMD decile, for each
 * category of event and for all events together.
 *
 * Events are rows of `events` with an area code and a category; they are
 * split into parts (one per input file: part i is rows
 * [part_ends[i-1], part_ends[i])) for the row accounting. Areas are the
 * rows of `imd` whose parent (LA code) is `parent_code` (all rows when
 * NULL). Numerators and denominators always come from the same areas: an
 * event in an area of the assessment with no population (no population
 * row, or a population of 0: csa_area_populated in csa/inequality.h) is
 * left out and reported, not counted against other areas' residents. The
 * rates are csa_area_decile_rates_compute's over the areas of the
 * assessment. */
typedef struct csa_decile_request {
    const csa_table *events;
    const char *event_area, *event_category;
    const size_t *part_ends;
    size_t nparts;
    const csa_table *imd;
    const char *imd_area, *imd_parent, *imd_decile;
    const csa_table *population;
    const char *pop_area, *pop_value;
    const char *parent_code;    /* NULL: every area in imd */
    double per, level;          /* 1000, 95 */
    const char *category_label; /* "Crime type" */
    const char *total_label;    /* "All crime" */
    /* An int64 column of events giving how many events each row stands
     * for (rows counted at ingest, csa_ingest_count); NULL: one event per
     * row. Missing weights count 0. Parts' rows are then sums of it. */
    const char *event_weight;
} csa_decile_request;

/* Where the events of one part went; rows = the sum of the others. */
typedef struct csa_area_accounting {
    uint64_t rows, accepted, no_area, outside, no_population;
} csa_area_accounting;

/* An area of the assessment with events but no population. */
typedef struct csa_unpopulated_area {
    const char *code; /* borrowed from the imd table's dictionary */
    uint64_t events;
} csa_unpopulated_area;

typedef struct csa_decile_rates {
    /* Columns: category_label (string), "IMD decile" (int64), "Count"
     * (int64), "Population" (int64), "Rate per 1,000" (double), "Lower 95%
     * CI", "Upper 95% CI" (double; names follow per and level), "Note"
     * (string). Rows: total_label first, then categories in byte order;
     * deciles 1 to 10 within each. */
    csa_result result;
    csa_area_accounting *parts; /* nparts entries */
    size_t nparts;
    csa_unpopulated_area *unpopulated; /* in code order */
    size_t nunpopulated;
    size_t nareas; /* areas of the assessment with a population (above 0) */
} csa_decile_rates;

/* On success *out is owned by the caller; free with csa_decile_rates_free.
 * All tables must be frozen. A parent_code not in imd is CSA_ERR_NOT_FOUND. */
csa_status csa_decile_rates_compute(const csa_decile_request *req,
                                    csa_decile_rates **out, csa_error *err);
void csa_decile_rates_free(csa_decile_rates *r);

#endif
