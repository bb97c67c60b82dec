/* csa/stats.h: the statistical methods, and result tables that carry their
 * own metadata so that reports never recompute a figure. */
#ifndef CSA_STATS_H
#define CSA_STATS_H

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
 * event in an area of the assessment that has no population row is left
 * out and reported, not counted against another area's residents. */
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
} csa_decile_request;

/* Where the events of one part went; rows = the sum of the others. */
typedef struct csa_area_accounting {
    uint64_t rows, accepted, no_area, outside, no_population;
} csa_area_accounting;

/* An area of the assessment with events but no population row. */
typedef struct csa_unpopulated_area {
    const char *code; /* borrowed from the events table's dictionary */
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
    size_t nareas; /* areas of the assessment (with a population row) */
} csa_decile_rates;

/* On success *out is owned by the caller; free with csa_decile_rates_free.
 * All tables must be frozen. A parent_code not in imd is CSA_ERR_NOT_FOUND. */
csa_status csa_decile_rates_compute(const csa_decile_request *req,
                                    csa_decile_rates **out, csa_error *err);
void csa_decile_rates_free(csa_decile_rates *r);

#endif
