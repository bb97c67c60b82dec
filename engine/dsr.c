/* Age standardisation: directly standardised rates by Dobson's method with
 * the European Standard Population 2013, and indirectly standardised
 * ratios, as PHEindicatormethods (calculate_dsr, calculate_ISRatio) and
 * OHID Fingertips compute them. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csa/stats.h"
#include "internal.h"

/* ESP2013: Eurostat, "Revision of the European Standard Population: report
 * of Eurostat's task force", 2013 (KS-RA-13-028-EN), 0 and 1-4 joined into
 * 0-4 and 90-94 and 95+ into 90+, as PHEindicatormethods ships it
 * (data/esp2013.rda, R/data.R) and Fingertips uses it. */
const double csa_esp2013[CSA_ESP2013_BANDS] = {
    5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
    7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000,
};

/* The open band 90+ starts here; below it every ESP band has five years. */
enum { ESP_OPEN_FROM = 90, ESP_BAND_YEARS = 5, DSR_MIN_EVENTS = 10 };

/* ---- age bands ---- */

static const char *skip_spaces(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* A whole number of years, 0 to 150: nobody is older, and a bigger number
 * is a typing error, not an age. */
static int read_age(const char **s, int *age)
{
    if (!isdigit((unsigned char)**s))
        return 0;
    errno = 0;
    char *end;
    long v = strtol(*s, &end, 10);
    if (errno || v > 150)
        return 0;
    *age = (int)v;
    *s = end;
    return 1;
}

static int read_word(const char **s, const char *word)
{
    size_t n = strlen(word);
    if (strncmp(*s, word, n) != 0)
        return 0;
    *s += n;
    return 1;
}

csa_status csa_age_band_parse(const char *text, csa_age_band *out, csa_error *err)
{
    const char *s = skip_spaces(text);
    int lo, hi;
    if (!read_age(&s, &lo))
        goto bad;
    s = skip_spaces(s);
    if (read_word(&s, "+") || read_word(&s, "and over") || read_word(&s, "or over")) {
        hi = CSA_AGE_OPEN;
    } else if (read_word(&s, "-") || read_word(&s, "to")) {
        s = skip_spaces(s);
        if (!read_age(&s, &hi) || hi < lo)
            goto bad;
    } else {
        goto bad;
    }
    if (*skip_spaces(s) != '\0')
        goto bad;
    out->lo = lo;
    out->hi = hi;
    return CSA_OK;
bad:
    return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, NULL, text,
                         "\"%s\" is not an age band such as 0-4, 0 to 15, 90+ or 65 and over",
                         text);
}

static int bands_overlap(csa_age_band a, csa_age_band b)
{
    int a_hi = a.hi == CSA_AGE_OPEN ? INT_MAX : a.hi;
    int b_hi = b.hi == CSA_AGE_OPEN ? INT_MAX : b.hi;
    return a.lo <= b_hi && b.lo <= a_hi;
}

static csa_status check_band(const csa_age_band *bands, size_t i, csa_error *err)
{
    csa_age_band b = bands[i];
    int open = b.hi == CSA_AGE_OPEN;
    if (b.lo < 0 || (!open && b.hi < b.lo))
        return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, NULL, NULL,
                             "age band %zu (%d to %d) is not a range of ages", i + 1, b.lo,
                             b.hi);
    if ((open && b.lo > ESP_OPEN_FROM) || (!open && b.hi >= ESP_OPEN_FROM))
        return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, NULL, NULL,
                             "age band %zu splits the ESP2013 band of 90 and over; "
                             "the last band must be open (\"and over\") and start at 90 "
                             "or younger", i + 1);
    for (size_t j = 0; j < i; j++)
        if (bands_overlap(bands[j], b))
            return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, NULL, NULL,
                                 "age bands %zu and %zu overlap", j + 1, i + 1);
    return CSA_OK;
}

bool csa_age_bands_gap(const csa_age_band *bands, size_t nbands, csa_age_band *gap)
{
    /* from the youngest band up, each next band must start the year after
     * the last one ends; bands are few (tens), so a plain scan will do */
    int lo = INT_MAX;
    for (size_t i = 0; i < nbands; i++)
        lo = bands[i].lo < lo ? bands[i].lo : lo;
    for (size_t done = 1; done < nbands; done++) {
        const csa_age_band *at = NULL;
        for (size_t i = 0; i < nbands && !at; i++)
            if (bands[i].lo == lo)
                at = &bands[i];
        if (!at || at->hi == CSA_AGE_OPEN)
            return false; /* overlapping or open before the last: not a gap */
        int next = INT_MAX;
        for (size_t i = 0; i < nbands; i++)
            if (bands[i].lo > at->hi && bands[i].lo < next)
                next = bands[i].lo;
        if (next == INT_MAX)
            return false;
        if (next > at->hi + 1) {
            *gap = (csa_age_band){at->hi + 1, next - 1};
            return true;
        }
        lo = next;
    }
    return false;
}

/* Standard population of ages lo to hi (hi below 90), sharing each ESP band
 * equally between its years. */
static double esp_years(int lo, int hi)
{
    double w = 0;
    for (int age = lo; age <= hi; age++)
        w += csa_esp2013[age / ESP_BAND_YEARS] / ESP_BAND_YEARS;
    return w;
}

csa_status csa_esp2013_aggregate(const csa_age_band *bands, size_t nbands, double *weights,
                                 csa_error *err)
{
    for (size_t i = 0; i < nbands; i++) {
        csa_status st = check_band(bands, i, err);
        if (st)
            return st;
    }
    for (size_t i = 0; i < nbands; i++) {
        csa_age_band b = bands[i];
        if (b.hi != CSA_AGE_OPEN) {
            weights[i] = esp_years(b.lo, b.hi);
            continue;
        }
        /* whole bands are summed, not years, so that the standard's own
         * bands give its weights exactly */
        weights[i] = b.lo < ESP_OPEN_FROM ? esp_years(b.lo, ESP_OPEN_FROM - 1) : 0;
        weights[i] += csa_esp2013[CSA_ESP2013_BANDS - 1];
    }
    return CSA_OK;
}

/* ---- directly standardised rates ---- */

static int whole_count(double c)
{
    return c >= 0 && isfinite(c) && c == floor(c);
}

static csa_status bad_band(csa_error *err, size_t i, const char *what, double v,
                           const char *rule)
{
    return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, what, NULL,
                         "age band %zu: %s %g %s", i + 1, what, v, rule);
}

static csa_status check_dsr_inputs(const double *counts, const double *populations,
                                   const double *standard, size_t nbands, csa_error *err)
{
    double standard_sum = 0;
    for (size_t i = 0; i < nbands; i++) {
        if (!isnan(counts[i]) && !whole_count(counts[i]))
            return bad_band(err, i, "count", counts[i], "is not a whole number of 0 or more");
        if (populations[i] < 0 || isinf(populations[i]))
            return bad_band(err, i, "population", populations[i],
                            "is not a number of 0 or more");
        if (!(standard[i] >= 0) || !isfinite(standard[i]))
            return bad_band(err, i, "standard population", standard[i],
                            "is not a number of 0 or more");
        standard_sum += standard[i];
    }
    if (!(standard_sum > 0))
        return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, NULL, NULL,
                             "the standard population of the %zu age bands sums to 0",
                             nbands);
    return CSA_OK;
}

/* The sums calculate_dsr (dsr_inner in R/DSR.R) takes over the bands:
 * total count, sum(x * w / n), sum(x * (w / n)^2) and sum(w), each term in
 * its order and added in long double as R's sum() does. */
typedef struct dsr_sums {
    double total, weighted, squared, standard;
} dsr_sums;

static dsr_sums dsr_add(const double *counts, const double *squares, const double *populations,
                        const double *standard, size_t nbands)
{
    long double total = 0, weighted = 0, squared = 0, w_sum = 0;
    for (size_t i = 0; i < nbands; i++) {
        double x = isnan(counts[i]) ? 0 : counts[i];
        double q = !squares ? x : isnan(squares[i]) ? 0 : squares[i];
        double w_n = standard[i] / populations[i];
        total += x;
        weighted += x * standard[i] / populations[i];
        squared += q * (w_n * w_n);
        w_sum += standard[i];
    }
    return (dsr_sums){(double)total, (double)weighted, (double)squared, (double)w_sum};
}

static unsigned dsr_missing_flags(const double *counts, const double *populations,
                                  size_t nbands, double *total)
{
    unsigned flags = 0;
    *total = 0;
    for (size_t i = 0; i < nbands; i++) {
        if (isnan(counts[i]))
            flags |= CSA_DSR_COUNT_AS_ZERO;
        else
            *total += counts[i];
        /* a band with no residents has no rate to weight: no DSR, and no
         * division by zero */
        if (!(populations[i] > 0))
            flags |= CSA_RATE_NO_DENOMINATOR;
    }
    if (*total < DSR_MIN_EVENTS)
        flags |= CSA_DSR_SUPPRESSED;
    return flags;
}

csa_status csa_dsr(const double *counts, const double *populations, const double *standard,
                   size_t nbands, double per, const csa_levels *levels, csa_estimate *out,
                   double *total_count, csa_error *err)
{
    return csa_dsr_nonindependent(counts, NULL, populations, standard, nbands, per, levels,
                                  out, total_count, err);
}

csa_status csa_dsr_nonindependent(const double *counts, const double *squares,
                                  const double *populations, const double *standard,
                                  size_t nbands, double per, const csa_levels *levels,
                                  csa_estimate *out, double *total_count, csa_error *err)
{
    csa_estimate_missing(out, 0);
    if (total_count)
        *total_count = NAN;
    csa_status st = csa_levels_check(levels, err);
    if (st)
        return st;
    if (!(per > 0) || !isfinite(per))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "a rate's multiplier must be above 0, not %g", per);
    if (nbands == 0)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "a DSR needs at least one age band");
    if ((st = check_dsr_inputs(counts, populations, standard, nbands, err)))
        return st;
    for (size_t i = 0; squares && i < nbands; i++)
        if (squares[i] < 0 || isinf(squares[i]))
            return bad_band(err, i, "sum of squared event frequencies", squares[i],
                            "is not a number of 0 or more");

    double total;
    unsigned flags = dsr_missing_flags(counts, populations, nbands, &total);
    if (total_count)
        *total_count = total;
    out->flags = flags;
    if (flags & (CSA_RATE_NO_DENOMINATOR | CSA_DSR_SUPPRESSED))
        return CSA_OK;

    dsr_sums s = dsr_add(counts, squares, populations, standard, nbands);
    double value = s.weighted / s.standard * per;
    double var = 1 / (s.standard * s.standard) * s.squared;
    double scale = sqrt(var / s.total);
    /* 10 events or more, so csa_poisson_ci gives Byar's limits, which
     * calculate_dsr uses for every DSR it does not suppress */
    double lo[CSA_MAX_LEVELS], hi[CSA_MAX_LEVELS];
    for (size_t k = 0; k < levels->n; k++)
        if ((st = csa_poisson_ci(s.total, levels->level[k], &lo[k], &hi[k], NULL, err)))
            return st;
    out->value = value;
    for (size_t k = 0; k < levels->n; k++) {
        out->lower[k] = value + scale * (lo[k] - s.total) * per;
        out->upper[k] = value + scale * (hi[k] - s.total) * per;
    }
    return CSA_OK;
}

/* ---- indirectly standardised ratios ---- */

static double nan_as_zero(double v)
{
    return isnan(v) ? 0 : v;
}

csa_status csa_expected_events(const double *populations, const double *ref_counts,
                               const double *ref_populations, size_t nbands,
                               double *expected, csa_error *err)
{
    *expected = NAN;
    for (size_t i = 0; i < nbands; i++) {
        if (populations[i] < 0 || isinf(populations[i]))
            return bad_band(err, i, "population", populations[i],
                            "is not a number of 0 or more");
        if (ref_counts[i] < 0 || isinf(ref_counts[i]))
            return bad_band(err, i, "reference count", ref_counts[i],
                            "is not a number of 0 or more");
        if (!(ref_populations[i] > 0) || isinf(ref_populations[i]))
            return bad_band(err, i, "reference population", ref_populations[i],
                            "is not a number above 0");
    }
    double e = 0;
    for (size_t i = 0; i < nbands; i++)
        e += nan_as_zero(ref_counts[i]) / ref_populations[i] * nan_as_zero(populations[i]);
    *expected = e;
    return CSA_OK;
}

csa_status csa_isr(double observed, double expected, double refvalue,
                   const csa_levels *levels, csa_estimate *out, csa_error *err)
{
    csa_estimate_missing(out, 0);
    csa_status st = csa_levels_check(levels, err);
    if (st)
        return st;
    if (!(refvalue > 0) || !isfinite(refvalue))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "a ratio's multiplier must be above 0, not %g", refvalue);
    if (expected < 0 || isinf(expected))
        return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, NULL, NULL,
                             "an expected count must be a number of 0 or more, not %g",
                             expected);
    /* O / E x multiplier is a rate with the expected count as denominator */
    return csa_rate_estimate(observed, expected, refvalue, levels, out, err);
}
