/* Statistical process control: XmR (individuals) and c-charts with a fixed
 * baseline, and the run rules of NHS England's Making Data Count, as
 * NHSRplotthedots implements them (R/ptd_spc_standard.R and
 * R/ptd_calculate_point_type.R, version 0.2.2). */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "csa/trend.h"

/* Shift and trend: 7 points in a row (Making Data Count). */
enum { RUN_LENGTH = 7 };

/* 3 / d2 with d2 = 1.128 for moving ranges of two points, rounded as
 * Making Data Count and Wheeler round it. */
static const double XMR_SPREAD = 2.66;
/* D4 for ranges of two points: a moving range at or above D4 times the mean
 * is screened out (Nelson LS. Control charts for individual measurements.
 * J Qual Technol 1982;14:172-3). */
static const double MR_SCREEN = 3.267;

/* ---- limits ---- */

static void limits_clear(csa_spc_limits *l)
{
    l->centre = l->lower = l->upper = NAN;
    l->lower_two_thirds = l->upper_two_thirds = NAN;
    l->mean_moving_range = NAN;
    l->baseline_points = l->moving_ranges = l->screened_moving_ranges = 0;
    l->flags = 0;
}

static void baseline_mean(const double *v, size_t first, size_t len, csa_spc_limits *l)
{
    double sum = 0;
    size_t count = 0;
    for (size_t i = first; i < first + len; i++) {
        if (isnan(v[i]))
            continue;
        sum += v[i];
        count++;
    }
    l->baseline_points = count;
    l->centre = count ? sum / (double)count : NAN;
}

/* Mean of the moving ranges between neighbours in the baseline that are
 * both there, leaving out those of `cutoff` or more. A range across a
 * missing point is not taken: a jump over a gap is not the process's
 * point-to-point variation (NHSRplotthedots takes abs(diff()) with NA the
 * same way; Hart and Hart do not bridge interruptions either). */
static double mean_moving_range(const double *v, size_t first, size_t len, double cutoff,
                                size_t *count)
{
    double sum = 0;
    *count = 0;
    for (size_t i = first + 1; i < first + len; i++) {
        if (isnan(v[i]) || isnan(v[i - 1]))
            continue;
        double mr = fabs(v[i] - v[i - 1]);
        if (mr >= cutoff)
            continue;
        sum += mr;
        (*count)++;
    }
    return *count ? sum / (double)*count : NAN;
}

static void xmr_limits(const double *v, size_t first, size_t len, bool screen,
                       csa_spc_limits *l)
{
    size_t count;
    double amr = mean_moving_range(v, first, len, INFINITY, &count);
    /* with no spread at all every range equals the cutoff of 0: nothing
     * to screen, and screening would leave no ranges */
    size_t all = count;
    if (screen && amr > 0)
        amr = mean_moving_range(v, first, len, MR_SCREEN * amr, &count);
    l->screened_moving_ranges = all - count;
    l->mean_moving_range = amr;
    l->moving_ranges = count;
    if (!count) {
        l->flags |= CSA_SPC_NO_LIMITS;
        return;
    }
    if (amr == 0)
        l->flags |= CSA_SPC_ZERO_SPREAD;
    l->lower = l->centre - XMR_SPREAD * amr;
    l->upper = l->centre + XMR_SPREAD * amr;
    l->lower_two_thirds = l->centre - 2.0 / 3.0 * XMR_SPREAD * amr;
    l->upper_two_thirds = l->centre + 2.0 / 3.0 * XMR_SPREAD * amr;
}

static double floored(double x, csa_spc_limits *l)
{
    if (x >= 0)
        return x;
    l->flags |= CSA_SPC_LOWER_FLOORED;
    return 0;
}

/* Poisson counts: sigma = sqrt(mean) (Montgomery DC. Introduction to
 * Statistical Quality Control, ch. 7). A count cannot fall below 0, so
 * neither can its limit. */
static void c_limits(csa_spc_limits *l)
{
    double sd = sqrt(l->centre);
    if (l->centre == 0)
        l->flags |= CSA_SPC_ZERO_SPREAD;
    l->upper = l->centre + 3 * sd;
    l->upper_two_thirds = l->centre + 2 * sd;
    l->lower = floored(l->centre - 3 * sd, l);
    l->lower_two_thirds = floored(l->centre - 2 * sd, l);
}

/* ---- checks ---- */

static bool acceptable(double x, csa_spc_chart chart)
{
    if (isnan(x))
        return true;
    if (chart == CSA_SPC_C)
        return x >= 0 && isfinite(x) && x == floor(x);
    return isfinite(x);
}

static csa_status check_values(const double *v, size_t n, csa_spc_chart chart, csa_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (acceptable(v[i], chart))
            continue;
        char value[32];
        snprintf(value, sizeof value, "%g", v[i]);
        if (chart == CSA_SPC_C)
            return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, "values", value,
                                 "value %zu (%g) is not a count: a c-chart needs whole "
                                 "numbers of 0 or more", i + 1, v[i]);
        return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, "values", value,
                             "value %zu is %g: an SPC chart needs finite values", i + 1, v[i]);
    }
    return CSA_OK;
}

static csa_status check_options(const double *values, size_t n, const csa_spc_options *o,
                                const csa_spc_limits *limits, size_t *len, csa_error *err)
{
    if (!o || !limits || (n && !values))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "an SPC chart needs values, options and somewhere for the limits");
    if (o->chart != CSA_SPC_XMR && o->chart != CSA_SPC_C)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "unknown SPC chart type %d", (int)o->chart);
    if (o->baseline_first >= n)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "the baseline starts at point %zu of a series of %zu",
                             o->baseline_first, n);
    *len = o->baseline_length ? o->baseline_length : n - o->baseline_first;
    if (*len > n - o->baseline_first)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "a baseline of %zu points from point %zu runs past the end "
                             "of a series of %zu", *len, o->baseline_first, n);
    return CSA_OK;
}

/* ---- rules ---- */

/* The points that are there, in order, and where each stands. */
typedef struct spc_series {
    const double *v;
    const csa_spc_limits *l;
    size_t *at; /* indices of the points that are not missing */
    size_t m;
} spc_series;

static double value_at(const spc_series *s, size_t j)
{
    return s->v[s->at[j]];
}

static int side_of(const spc_series *s, size_t j)
{
    double y = value_at(s, j);
    return (y > s->l->centre) - (y < s->l->centre);
}

static bool outside(const spc_series *s, size_t j)
{
    double y = value_at(s, j);
    return y > s->l->upper || y < s->l->lower;
}

/* Between a two-thirds line and its limit: NHSRplotthedots' "close to
 * limits", which leaves points beyond the limit to the first rule. */
static bool near_limit(const spc_series *s, size_t j)
{
    double y = value_at(s, j);
    return !outside(s, j) && (y > s->l->upper_two_thirds || y < s->l->lower_two_thirds);
}

typedef struct spc_out {
    unsigned *rules;
    csa_spc_signal *signals;
    size_t max, count;
} spc_out;

static void emit(spc_out *o, const spc_series *s, unsigned rule, int direction, size_t first,
                 size_t last)
{
    if (o->signals && o->count < o->max)
        o->signals[o->count] = (csa_spc_signal){ .rule = rule, .direction = direction,
                                                 .first = s->at[first], .last = s->at[last] };
    o->count++;
}

static void mark(spc_out *o, const spc_series *s, unsigned rule, size_t first, size_t last)
{
    if (!o->rules)
        return;
    for (size_t j = first; j <= last; j++)
        o->rules[s->at[j]] |= rule;
}

static void rule_outside(const spc_series *s, spc_out *o)
{
    for (size_t j = 0; j < s->m; j++) {
        if (!outside(s, j))
            continue;
        mark(o, s, CSA_SPC_OUTSIDE, j, j);
        emit(o, s, CSA_SPC_OUTSIDE, side_of(s, j), j, j);
    }
}

/* A point on the mean belongs to neither side, so it ends a run. */
static void rule_shift(const spc_series *s, spc_out *o)
{
    size_t j = 0;
    while (j < s->m) {
        int side = side_of(s, j);
        size_t end = j + 1;
        while (end < s->m && side_of(s, end) == side)
            end++;
        if (side != 0 && end - j >= RUN_LENGTH) {
            mark(o, s, CSA_SPC_SHIFT, j, end - 1);
            emit(o, s, CSA_SPC_SHIFT, side, j, end - 1);
        }
        j = end;
    }
}

static int step_of(const spc_series *s, size_t j)
{
    double a = value_at(s, j), b = value_at(s, j + 1);
    return (b > a) - (b < a);
}

/* Runs of steps in one direction; an equal neighbour ends a run. A peak
 * can end one run and start the next. */
static void rule_trend(const spc_series *s, spc_out *o)
{
    size_t j = 0;
    while (j + 1 < s->m) {
        int step = step_of(s, j);
        size_t end = j + 1; /* the run covers points j..end */
        while (end + 1 < s->m && step_of(s, end) == step)
            end++;
        if (step != 0 && end - j + 1 >= RUN_LENGTH) {
            mark(o, s, CSA_SPC_TREND, j, end);
            emit(o, s, CSA_SPC_TREND, step, j, end);
        }
        j = end;
    }
}

/* Which side three points in a row at j share (0 if they do not), when at
 * least two of them are near a limit. */
static int two_of_three_window(const spc_series *s, size_t j)
{
    int side = side_of(s, j);
    size_t near = 0;
    for (size_t k = j; k < j + 3; k++) {
        if (side_of(s, k) != side)
            return 0;
        near += near_limit(s, k);
    }
    return near >= 2 ? side : 0;
}

/* Windows that overlap and point the same way make one signal, from the
 * first near point to the last. */
static void rule_two_of_three(const spc_series *s, spc_out *o)
{
    bool open = false;
    int dir = 0;
    size_t first = 0, last = 0, window_end = 0;
    for (size_t j = 0; j + 2 < s->m; j++) {
        int side = two_of_three_window(s, j);
        if (!side)
            continue;
        if (open && (side != dir || j > window_end)) {
            emit(o, s, CSA_SPC_TWO_OF_THREE, dir, first, last);
            open = false;
        }
        for (size_t k = j; k < j + 3; k++) {
            if (!near_limit(s, k))
                continue;
            mark(o, s, CSA_SPC_TWO_OF_THREE, k, k);
            if (!open) {
                open = true;
                dir = side;
                first = last = k;
            } else if (k > last) {
                last = k;
            }
        }
        window_end = j + 2;
    }
    if (open)
        emit(o, s, CSA_SPC_TWO_OF_THREE, dir, first, last);
}

/* ---- the chart ---- */

csa_status csa_spc_compute(const double *values, size_t n, const csa_spc_options *options,
                           csa_spc_limits *limits, unsigned *rules, csa_spc_signal *signals,
                           size_t max_signals, size_t *nsignals, csa_error *err)
{
    spc_series s = { .v = values, .l = limits };
    if (nsignals)
        *nsignals = 0;
    if (limits)
        limits_clear(limits);
    size_t len = 0;
    csa_status st = check_options(values, n, options, limits, &len, err);
    if (st)
        return st;
    if (rules)
        for (size_t i = 0; i < n; i++)
            rules[i] = 0;
    st = check_values(values, n, options->chart, err);
    if (st)
        return st;
    size_t first = options->baseline_first;
    baseline_mean(values, first, len, limits);
    if (!limits->baseline_points)
        return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, NULL, NULL,
                             "the baseline (points %zu to %zu) has no values", first,
                             first + len - 1);
    if (options->chart == CSA_SPC_XMR)
        xmr_limits(values, first, len, !options->keep_large_moving_ranges, limits);
    else
        c_limits(limits);

    if (n > SIZE_MAX / sizeof *s.at)
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL,
                             "a series of %zu points is too long", n);
    s.at = malloc(n * sizeof *s.at);
    if (!s.at) {
        st = csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL,
                           "no memory for a series of %zu points", n);
        goto fail;
    }
    for (size_t i = 0; i < n; i++)
        if (!isnan(values[i]))
            s.at[s.m++] = i;

    spc_out o = { .rules = rules, .signals = signals, .max = max_signals };
    rule_outside(&s, &o);
    rule_shift(&s, &o);
    rule_trend(&s, &o);
    rule_two_of_three(&s, &o);
    if (nsignals)
        *nsignals = o.count;
    st = CSA_OK;
fail:
    free(s.at);
    return st;
}

const char *csa_spc_rule_name(unsigned rule)
{
    switch (rule) {
    case CSA_SPC_OUTSIDE: return "A point outside the process limits";
    case CSA_SPC_SHIFT: return "Seven points in a row on one side of the mean";
    case CSA_SPC_TREND: return "Seven points in a row rising, or falling";
    case CSA_SPC_TWO_OF_THREE: return "Two of three points in a row close to a process limit";
    }
    return "Unknown rule";
}

char *csa_spc_rules_text(unsigned mask, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (unsigned bit = 1; bit <= CSA_SPC_TWO_OF_THREE; bit <<= 1) {
        if (!(mask & bit) || used >= size)
            continue;
        int n = snprintf(buf + used, size - used, "%s%s", used ? "; " : "",
                         csa_spc_rule_name(bit));
        used += n > 0 ? (size_t)n : 0;
    }
    return buf;
}

const char *csa_spc_limits_method(const csa_spc_options *options)
{
    if (options->chart == CSA_SPC_C)
        return "limits at mean +- 3 sqrt(mean)";
    return options->keep_large_moving_ranges
               ? "every moving range kept, as the Making Data Count spreadsheets"
               : "moving ranges of 3.267 x their mean or more screened out, as NHSRplotthedots";
}
