/* A monthly indicator's months, drawn and judged from its history
 * (as_history): the SPC chart of crimes per day, the history chart (the
 * assessment period shaded, the comparison months overlaid, a rolling
 * twelve months), the month-of-year profile, and the trend phrase.
 *
 * Seasons: with a full year before the baseline (the months the SPC limits
 * come from), each month is divided by its month's seasonal relative
 * (Wheeler's seasonal relatives: the month's share of its year's mean,
 * averaged over the full years before the baseline) before the SPC chart
 * judges it, so a summer as high as earlier summers is common cause. The
 * baseline never sets its own expectation: relatives fitted to the
 * baseline's months would make its adjusted months flatter than any other
 * year's, and its limits too narrow for the period's. A calendar month
 * that counts under AS_SEASON_MIN_COUNT over those years gives no relative
 * (one of noise). With no relatives, a history whose last two years rise
 * and fall together month by month (a seasonal pattern), or one under two
 * years (which cannot show whether they do), is not judged by SPC at all;
 * otherwise its months are judged unadjusted, and the trend says so. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "csa/month.h"
#include "internal.h"

/* A year of the history: twelve months aligned with the period. */
enum { YEAR = 12 };

/* Where month i falls in its year: 0 for the period's first month's
 * calendar month, up to 11. */
/* What h counts, "crimes" unless it says, and with a capital. */
static const char *noun(const as_history *h)
{
    return h->noun ? h->noun : "crimes";
}
static const char *Noun(csa_assess *r, const as_history *h)
{
    const char *n = noun(h);
    return as_fmt(r, "%c%s", n[0] >= 'a' && n[0] <= 'z' ? n[0] - 'a' + 'A' : n[0], n + 1);
}

static size_t year_pos(const as_history *h, size_t i)
{
    return (i % YEAR + YEAR - h->period_first % YEAR) % YEAR;
}

/* How a history's months are judged: against seasonal relatives, or not,
 * and then why not, and whether at all. */
static const char as_season_few_text[] =
    "under 10 in a calendar month of the years before the baseline: too few to estimate a "
    "season";

typedef struct season {
    size_t years;        /* the full years that set the relatives; 0: none */
    size_t after;        /* with years: the month after the last of them */
    double rel[YEAR];    /* with years: by year_pos */
    const char *why_not; /* without: why ("no full year of history before
                            the baseline") */
    double r;            /* without: seasonal_r's */
    const char *unjudged; /* not judged by SPC at all (a seasonal pattern,
                             or too short to tell one): why; else NULL */
    const char *brief;   /* with unjudged: why, in a few words ("a seasonal
                            pattern (r = 0.93) that cannot be adjusted for") */
    const char *label;   /* with unjudged: in fewer ("Seasonal pattern") */
} season;

/* The seasonal relatives from the full years that end before the baseline
 * starts (Wheeler's: each month's value over its year's mean, averaged
 * over those years), when every month of them has rows, the years' means
 * are above 0 and each calendar month counts AS_SEASON_MIN_COUNT or more
 * over them (fewer would make a relative of noise). Returns how many
 * years, with *after the month after the last of them; 0, with *why, when
 * none can be had. */
static size_t seasonal_relatives(const as_history *h, const double *pd, double *rel,
                                 size_t *after, const char **why)
{
    double sum[YEAR] = {0}, counted[YEAR] = {0};
    size_t years = 0, end = 0;
    for (size_t start = h->period_first; start >= YEAR;) {
        start -= YEAR;
        if (start + YEAR > h->baseline_first)
            continue;
        double mean = 0;
        bool full = true;
        for (size_t k = 0; k < YEAR && full; k++)
            full = !isnan(pd[start + k]), mean += pd[start + k] / YEAR;
        if (!full || !(mean > 0))
            continue;
        for (size_t k = 0; k < YEAR; k++) {
            sum[year_pos(h, start + k)] += pd[start + k] / mean;
            counted[year_pos(h, start + k)] += h->count[start + k];
        }
        years++;
        end = start + YEAR > end ? start + YEAR : end;
    }
    *why = "no full year of history before the baseline";
    if (years < AS_SEASON_MIN_YEARS)
        return 0;
    *why = as_season_few_text;
    for (size_t k = 0; k < YEAR; k++)
        if (!(counted[k] >= AS_SEASON_MIN_COUNT))
            return 0;
    for (size_t k = 0; k < YEAR; k++)
        rel[k] = sum[k] / (double)years;
    *after = end;
    *why = NULL;
    return years;
}

/* Whether the last two years of the history rise and fall together: the
 * correlation (Pearson's r) of each month's departure from its year's line
 * with the same month's a year later, over the months both years have (at
 * least AS_SEASON_PAIRS); NaN when the history is shorter or has fewer.
 * The lines (a level each year, one slope for both) take out a step from
 * one year to the next and a steady rise or fall, which would otherwise
 * move month k of both years alike and read as a season. A seasonal
 * pattern shows as r near 1; months that vary by chance give r near 0
 * (above AS_SEASON_R about one time in fifty over 12). */
static double seasonal_r(const as_history *h, const double *pd)
{
    if (h->n < 2 * YEAR)
        return NAN;
    const double *y[2] = {pd + h->n - 2 * YEAR, pd + h->n - YEAR};
    size_t pairs = 0;
    double mk = 0, my[2] = {0, 0};
    for (size_t k = 0; k < YEAR; k++)
        if (!isnan(y[0][k]) && !isnan(y[1][k]))
            pairs++, mk += (double)k, my[0] += y[0][k], my[1] += y[1][k];
    if (pairs < AS_SEASON_PAIRS)
        return NAN;
    mk /= (double)pairs, my[0] /= (double)pairs, my[1] /= (double)pairs;
    double sxy = 0, sxx = 0;
    for (size_t k = 0; k < YEAR; k++)
        if (!isnan(y[0][k]) && !isnan(y[1][k]))
            for (size_t g = 0; g < 2; g++)
                sxy += ((double)k - mk) * (y[g][k] - my[g]), sxx += ((double)k - mk) * ((double)k - mk);
    double slope = sxx > 0 ? sxy / sxx : 0, sab = 0, saa = 0, sbb = 0;
    for (size_t k = 0; k < YEAR; k++) {
        if (isnan(y[0][k]) || isnan(y[1][k]))
            continue;
        double da = y[0][k] - my[0] - slope * ((double)k - mk);
        double db = y[1][k] - my[1] - slope * ((double)k - mk);
        sab += da * db, saa += da * da, sbb += db * db;
    }
    return saa > 0 && sbb > 0 ? sab / sqrt(saa * sbb) : NAN;
}

/* How h's months are judged (season). Not adjusted, a history whose last
 * two years rise and fall together, or one under two years (which cannot
 * show whether they do), is not judged by SPC: limits from months of a
 * season would call the season a signal. */
static void season_of(csa_assess *r, const as_history *h, const double *pd, season *se)
{
    *se = (season){.r = NAN};
    if ((se->years = seasonal_relatives(h, pd, se->rel, &se->after, &se->why_not)))
        return;
    se->r = seasonal_r(h, pd);
    if (se->r >= AS_SEASON_R) {
        se->unjudged = as_fmt(r, "the last two years' months rise and fall together (r = %.2f), "
                                 "a seasonal pattern that cannot be adjusted for (%s)",
                              se->r, se->why_not);
        se->brief = as_fmt(r, "a seasonal pattern (r = %.2f) that cannot be adjusted for",
                           se->r);
        se->label = "Seasonal pattern";
    } else if (isnan(se->r)) { /* too few months a year apart to tell */
        size_t with_rows = 0;
        for (size_t i = 0; i < h->n; i++)
            with_rows += !isnan(pd[i]);
        bool under_two = with_rows < 2 * YEAR;
        se->brief = under_two ? "under two years of months" : "too few months a year apart";
        se->label = under_two ? "Under two years" : "Too few months a year apart";
        se->unjudged = as_fmt(r, "%s cannot tell a seasonal rise from a trend, and a season "
                                 "cannot be adjusted for (%s)",
                              under_two
                                  ? as_fmt(r, "under two years of months with rows (%zu)",
                                           with_rows)
                                  : as_fmt(r, "%zu months with rows, too few of them a year "
                                              "apart,", with_rows),
                              se->why_not);
    }
}

void as_history_baseline(csa_assess *r, as_history *h, size_t off)
{
    const csa_config *c = r->cfg;
    if (c->baseline_last) {
        h->baseline_fixed = true;
        h->baseline_first = as_timeline_index(r, c->baseline_first) - off;
        h->baseline_n = as_timeline_index(r, c->baseline_last) - off - h->baseline_first + 1;
        return;
    }
    /* the year before the period, one month of it missing at the most
     * (its limits from the 11 others); else every month there is */
    size_t pf = h->period_first, found = 0;
    for (size_t m = pf >= YEAR ? pf - YEAR : 0; m < pf; m++)
        found += !isnan(h->count[m]);
    h->baseline_gap = pf >= YEAR && found == YEAR - 1;
    if (pf >= YEAR && found >= YEAR - 1)
        h->baseline_first = pf - YEAR, h->baseline_n = YEAR;
    else
        h->baseline_first = 0, h->baseline_n = h->n;
}

/* The months with rows a baseline needs for limits: AS_SPC_MIN_POINTS, or
 * one fewer for the default baseline (the year before the period) with
 * one month missing. */
static size_t min_points(const as_history *h)
{
    return AS_SPC_MIN_POINTS - (h->baseline_gap ? 1 : 0);
}

/* The trend of monthly crime: the SPC signal at the period's latest month,
 * from limits set by min_points months or more (Fingertips' recent-trend
 * test is for annual series, not months); with fewer, or a season it
 * cannot adjust for or tell from a trend (se), no judgement, and why.
 * Returns the phrase for the reading. */
static const char *judge(csa_assess *r, csa_indicator_report *rep, as_extra *x,
                         const as_history *h, const double *v, const csa_spc_limits *lim,
                         const unsigned *rules, const csa_spc_signal *sig, size_t nsig,
                         const season *se)
{
    size_t pts = lim->baseline_points, present = 0, last = 0, above = 0, below = 0;
    size_t adjusted = se->years, need = min_points(h);
    const char *base = h->baseline_fixed ? " in the baseline" : "";
    if (pts < need) {
        x->direction = x->rising = 2;
        x->direction_text = as_fmt(r, "Too few months (%zu of %zu)", pts, need);
        const char *why = as_fmt(r, "%zu month%s%s: too few to judge a trend", pts,
                                 pts == 1 ? "" : "s", base);
        rep->trend = as_fmt(r, "%s (SPC control limits need %zu months)", why, need);
        return why;
    }
    if (se->unjudged) {
        bool pattern = se->r >= AS_SEASON_R;
        x->direction = x->rising = 2;
        x->direction_text = as_fmt(r, "%s, not judged (SPC)", se->label);
        rep->trend = as_fmt(r, "not judged by SPC: %s, so a seasonal rise would read as a "
                               "signal; the change on the comparison period is the measure",
                            se->unjudged);
        return pattern ? "a seasonal pattern, not judged by SPC (it cannot be adjusted for)"
                       : as_fmt(r, "not judged by SPC (%s, not seasonally adjusted)", se->brief);
    }
    bool any = false;
    for (size_t m = 0; m < h->n; m++) {
        bool in = m >= h->period_first && m - h->period_first < h->period_n;
        if (in && rules[m] & CSA_SPC_OUTSIDE)
            v[m] > lim->centre ? above++ : below++;
        if (!isnan(v[m]))
            present++;
        if (in && !isnan(v[m]))
            last = m, any = true;
    }
    const csa_spc_signal *s = NULL;
    for (size_t k = 0; k < nsig && !s && any; k++)
        if (sig[k].first <= last && last <= sig[k].last)
            s = &sig[k];
    x->rising = s ? s->direction : 0;
    x->direction = as_judged(x->rising, rep->polarity);
    bool up = x->rising > 0;
    const char *latest = !s                            ? NULL
                         : s->rule == CSA_SPC_OUTSIDE ? up ? "above SPC limits" : "below SPC limits"
                         : s->rule == CSA_SPC_SHIFT   ? up ? "in a run above the mean"
                                                           : "in a run below the mean"
                         : s->rule == CSA_SPC_TREND   ? up ? "in a rising run" : "in a falling run"
                         : up                          ? "near the upper limit"
                                                       : "near the lower limit";
    x->direction_text = latest ? as_fmt(r, "Latest month %s", latest) : "No special cause (SPC)";
    const char *outside =
        above && below ? as_fmt(r, "%zu month%s above and %zu below the process limits", above,
                                above == 1 ? "" : "s", below)
        : above || below ? as_fmt(r, "%zu month%s %s the process limits", above + below,
                                  above + below == 1 ? "" : "s", above ? "above" : "below")
                         : "no month outside the process limits";
    const char *phrase = as_trend_phrase(x, rep->polarity);
    const char *what = adjusted ? as_fmt(r, "seasonally adjusted %s per day (against the "
                                            "same months of %zu earlier year%s)", noun(h), adjusted, adjusted == 1 ? "" : "s")
                                : as_fmt(r, "%s per day", noun(h));
    rep->trend = as_fmt(r, "SPC on %s, limits from %zu months: %s; latest month %s: %s%s", what,
                        pts, outside, latest ? latest : "common cause", phrase,
                        adjusted ? "" : as_fmt(r, "; not seasonally adjusted (%s), so a seasonal "
                                                  "rise can read as a signal", se->why_not));
    /* a signal is the latest month's, not the span's */
    return as_fmt(r, "%s%s (SPC on %zu months, %sseasonally adjusted)", phrase,
                  x->rising ? " in the latest month" : "", present, adjusted ? "" : "not ");
}

const char *as_history_span(csa_assess *r, const as_history *h, size_t first, size_t n)
{
    char buf[CSA_PERIOD_TEXT_MAX];
    return as_fmt(r, "%s", csa_month_range_label(csa_month_add(h->first, (int)first),
                                                 csa_month_add(h->first, (int)(first + n - 1)),
                                                 CSA_MONTH_SHORT, buf));
}

/* The monthly series with the period shaded, the comparison months laid
 * over the period's and the rolling twelve months' crimes per day. */
static csa_status history_chart(csa_assess *r, const csa_indicator_report *rep,
                                const as_history *h, const double *pd, const char *source,
                                csa_chart *c)
{
    size_t n = h->n;
    double *over = as_calloc(r, n, sizeof *over), *roll = as_calloc(r, n, sizeof *roll);
    double *days12 = as_calloc(r, n, sizeof *days12);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        over[i] = roll[i] = NAN;
    size_t k_n = h->compare_n < h->period_n ? h->compare_n : h->period_n;
    for (size_t k = 0; k < k_n; k++)
        over[h->period_first + k] = pd[h->compare_first + k];
    bool rolling = n >= YEAR;
    if (rolling) {
        csa_status st = csa_rolling_sum(h->count, n, YEAR, roll, &r->err);
        if (!st)
            st = csa_rolling_sum(h->days, n, YEAR, days12, &r->err);
        if (st)
            return st;
        for (size_t i = 0; i < n; i++)
            roll[i] /= days12[i];
    }
    *c = csa_chart_init(CSA_CHART_HISTORY);
    as_chart_text(r, c, as_fmt(r, "%s over time", rep->title), "Month",
                  as_fmt(r, "%s per day", Noun(r, h)), source);
    c->subtitle = as_fmt(r, "%s, %s; the assessment period (%s) shaded", r->cfg->area_name,
                         as_history_span(r, h, 0, n), r->cfg->period_label);
    c->n = n, c->labels = h->label, c->values = pd;
    c->series_label = as_fmt(r, "%s per day, each month", Noun(r, h));
    c->shade_first = h->period_first, c->shade_n = h->period_n;
    c->shade_label = as_fmt(r, "Assessment period (%s)", r->cfg->period_label);
    if (k_n) {
        c->overlay = over;
        c->overlay_label =
            as_fmt(r, "%s (%s), laid over the period's months",
                   h->compare_first + YEAR == h->period_first ? "Same months a year earlier"
                                                              : "Comparison period",
                   as_history_span(r, h, h->compare_first, k_n));
    }
    if (rolling)
        c->rolling = roll, c->rolling_label = as_fmt(r, "Rolling 12 months (%s per day over the 12 "
                                                         "months to the month)", noun(h));
    return CSA_OK;
}

/* Month of the year: per month (from the period's first calendar month),
 * the mean and the range of crimes per day over the years of the history,
 * with the period's months laid over them. Drawn with two full years;
 * *drawn says whether it was. */
static csa_status season_chart(csa_assess *r, const csa_indicator_report *rep,
                               const as_history *h, const double *pd, const char *source,
                               csa_chart *c, bool *drawn)
{
    double *mean = as_calloc(r, YEAR, sizeof *mean), *lo = as_calloc(r, YEAR, sizeof *lo);
    double *hi = as_calloc(r, YEAR, sizeof *hi), *period = as_calloc(r, YEAR, sizeof *period);
    const char **labels = as_calloc(r, YEAR, sizeof *labels);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    size_t seen[YEAR] = {0}, full = 0, years = 0;
    /* years start where the period's first month's place in the year
     * comes round: the first may begin before month 0 */
    ptrdiff_t first = (ptrdiff_t)(h->period_first % YEAR);
    for (size_t k = 0; k < YEAR; k++)
        lo[k] = INFINITY, hi[k] = -INFINITY, period[k] = NAN;
    for (ptrdiff_t start = first ? first - YEAR : 0; start < (ptrdiff_t)h->n; start += YEAR) {
        size_t got = 0;
        for (size_t k = 0; k < YEAR; k++) {
            ptrdiff_t i = start + (ptrdiff_t)k;
            if (i < 0 || i >= (ptrdiff_t)h->n || isnan(pd[i]))
                continue;
            mean[k] += pd[i], seen[k]++, got++;
            lo[k] = fmin(lo[k], pd[i]), hi[k] = fmax(hi[k], pd[i]);
        }
        full += got == YEAR;
        years += got > 0;
    }
    *drawn = full >= AS_SEASON_CHART_YEARS;
    if (!*drawn)
        return CSA_OK;
    for (size_t k = 0; k < YEAR; k++) {
        int y, m;
        csa_month_split(csa_month_add(h->first, (int)(h->period_first + k)), &y, &m);
        labels[k] = as_fmt(r, "%.3s", csa_month_name(m));
        mean[k] /= (double)seen[k]; /* seen[k] >= full >= 2 */
        if (k < h->period_n)
            period[k] = pd[h->period_first + k];
    }
    *c = csa_chart_init(CSA_CHART_SEASON);
    as_chart_text(r, c, as_fmt(r, "%s by month of the year", rep->title), "Month of the year",
                  as_fmt(r, "%s per day", Noun(r, h)), source);
    c->subtitle = as_fmt(r, "%s, %s: %zu years (%zu full)", r->cfg->area_name,
                         as_history_span(r, h, 0, h->n), years, full);
    c->n = YEAR, c->labels = labels, c->values = mean, c->lower = lo, c->upper = hi;
    c->series_label = as_fmt(r, "Mean of the %zu years", years);
    c->band_label = "Lowest to highest year";
    c->overlay = period;
    c->overlay_label = as_fmt(r, "Assessment period (%s)", r->cfg->period_label);
    return CSA_OK;
}

csa_status as_history_charts(csa_assess *r, csa_indicator_report *rep, as_extra *x,
                             const as_history *h, const char *source, csa_chart *charts,
                             size_t *ncharts, const char **phrase)
{
    size_t n = h->n;
    *ncharts = 0;
    if (!n || n > AS_MAX_MONTHS || !h->period_n || h->period_first + h->period_n > n ||
        h->compare_first + h->compare_n > n || h->baseline_first + h->baseline_n > n ||
        !h->baseline_n)
        return csa_error_set(&r->err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "%s: a history of %zu months with the period, comparison or "
                             "baseline outside it (a fault in csa: please report it)",
                             rep->title, n);
    double *pd = as_calloc(r, n, sizeof *pd), *adj = as_calloc(r, n, sizeof *adj);
    unsigned *rules = as_calloc(r, n, sizeof *rules);
    csa_spc_signal *sig = as_calloc(r, 2 * n, sizeof *sig);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        pd[i] = h->count[i] / h->days[i];
    season se;
    season_of(r, h, pd, &se);
    size_t adjusted = se.years, first_unfitted = se.after;
    const double *v = pd;
    if (adjusted) {
        /* the months that set the relatives are fitted to them (one
         * year's are its mean, every month): not judged, not drawn */
        for (size_t i = 0; i < n; i++)
            adj[i] = i < first_unfitted ? NAN : pd[i] / se.rel[year_pos(h, i)];
        v = adj;
    }
    csa_status st;
    if (h->period_n < n && (st = history_chart(r, rep, h, pd, source, &charts[(*ncharts)++])))
        return st;

    /* the SPC chart, on crimes per day (so months of 28 and 31 days
     * compare) or their seasonally adjusted values */
    csa_spc_options so = {.chart = CSA_SPC_XMR, .baseline_first = h->baseline_first,
                          .baseline_length = h->baseline_n};
    csa_spc_limits lim = {.centre = NAN, .lower = NAN, .upper = NAN};
    size_t nsig = 0, in_base = 0;
    for (size_t i = h->baseline_first; i < h->baseline_first + h->baseline_n; i++)
        in_base += !isnan(v[i]);
    /* a baseline of no months has no limits, not an error */
    if (in_base && (st = csa_spc_compute(v, n, &so, &lim, rules, sig, 2 * n, &nsig, &r->err)))
        return st;
    if (lim.baseline_points < min_points(h) || se.unjudged) {
        /* trial limits from a few months flag ordinary ones, and limits
         * of a season's months flag the season: none drawn */
        lim.lower = lim.upper = NAN;
        memset(rules, 0, n * sizeof *rules);
        nsig = 0;
    }
    *phrase = judge(r, rep, x, h, v, &lim, rules, sig, nsig, &se);
    csa_chart *c = &charts[(*ncharts)++];
    *c = csa_chart_init(CSA_CHART_SPC);
    as_chart_text(r, c, as_fmt(r, "%s by month", rep->title), "Month",
                  as_fmt(r, adjusted ? "%s per day, seasonally adjusted" : "%s per day", Noun(r, h)),
                  source);
    const char *range = as_history_span(r, h, h->baseline_first, h->baseline_n);
    /* the chart from the first month judged: the months that set the
     * seasonal relatives are fitted to them */
    size_t off = adjusted ? first_unfitted : 0;
    const char *where = n > h->period_n ? as_fmt(r, "%s, %s", r->cfg->area_name,
                                                 as_history_span(r, h, off, n - off))
                                        : as_fmt(r, "%s, %s", r->cfg->area_name,
                                                 r->cfg->period_label);
    c->subtitle =
        se.unjudged && lim.baseline_points >= min_points(h)
            ? as_fmt(r, "%s; no control limits: %s%s", where, se.brief,
                     se.r >= AS_SEASON_R ? "" : ", not seasonally adjusted")
        : isnan(lim.upper)
            ? as_fmt(r, "%s; too few months for control limits (%zu of %zu)", where,
                     lim.baseline_points, min_points(h))
            : as_fmt(r, "%s; XmR limits from %s (%s)%s", where, range,
                     so.keep_large_moving_ranges ? "every moving range kept"
                                                 : "large moving ranges screened out",
                     adjusted ? as_fmt(r, "; seasonally adjusted by the same months of "
                                          "%zu earlier year%s (to %s)", adjusted,
                                       adjusted == 1 ? "" : "s",
                                       as_history_span(r, h, first_unfitted - 1, 1))
                              : "");
    c->n = n - off, c->labels = h->label + off, c->values = v + off, c->flags = rules + off;
    c->spc_centre = lim.centre, c->spc_lower = lim.lower, c->spc_upper = lim.upper;
    if (n > h->period_n) {
        c->shade_first = h->period_first - off, c->shade_n = h->period_n;
        c->shade_label = as_fmt(r, "Assessment period (%s)", r->cfg->period_label);
    }

    bool drawn;
    if ((st = season_chart(r, rep, h, pd, source, &charts[*ncharts], &drawn)))
        return st;
    *ncharts += drawn;
    return r->nomem ? CSA_ERR_NOMEM : CSA_OK;
}

/* The chart of kind k among charts[0..n), or NULL. */
static const csa_chart *chart_of(const csa_chart *charts, size_t n, csa_chart_kind k)
{
    for (size_t i = 0; i < n; i++)
        if (charts[i].kind == k)
            return &charts[i];
    return NULL;
}

csa_status as_history_tables(csa_assess *r, const as_history *h, const csa_chart *charts,
                             size_t ncharts, csa_report_table *tabs, size_t *ntabs)
{
    const csa_chart *hc = chart_of(charts, ncharts, CSA_CHART_HISTORY);
    const csa_chart *spc = chart_of(charts, ncharts, CSA_CHART_SPC);
    const csa_chart *sc = chart_of(charts, ncharts, CSA_CHART_SEASON);
    *ntabs = 0;
    if (hc && spc) {
        size_t n = h->n;
        const char **in = as_calloc(r, n, sizeof *in), **lines = as_calloc(r, 2, sizeof *lines);
        const char **broken = as_calloc(r, n, sizeof *broken);
        double *blank = as_calloc(r, n, sizeof *blank), *lim[3];
        /* the SPC chart starts at its first month judged (history.c) */
        double *adjusted = as_calloc(r, n, sizeof *adjusted);
        size_t off = n - spc->n;
        for (size_t j = 0; j < 3; j++)
            lim[j] = as_calloc(r, n, sizeof *lim[j]);
        if (r->nomem)
            return CSA_ERR_NOMEM;
        for (size_t i = 0; i < n; i++) {
            adjusted[i] = i < off ? NAN : spc->values[i - off];
            in[i] = i >= h->period_first && i - h->period_first < h->period_n ? "yes" : "no";
            blank[i] = NAN;
            /* the months before the chart's first: no limits of theirs */
            lim[0][i] = i < off ? NAN : spc->spc_centre;
            lim[1][i] = i < off ? NAN : spc->spc_lower;
            lim[2][i] = i < off ? NAN : spc->spc_upper;
            char text[256];
            broken[i] = i < off ? "Not judged: the SPC chart starts after the months that set "
                                  "the seasonal relatives"
                                : as_fmt(r, "%s", csa_spc_rules_text(spc->flags[i - off], text,
                                                                    sizeof text));
        }
        const char *per_day = as_fmt(r, "%s per day", Noun(r, h));
        const char *same = as_fmt(r, "%s (%s per day)", h->compare_first + YEAR == h->period_first
                                                            ? "Same month a year earlier"
                                                            : "Comparison period's month",
                                  noun(h));
        const char *roll = as_fmt(r, "Rolling 12 months (%s per day)", noun(h));
        as_col cols[12] = {AS_TEXT("Month", h->label), AS_TEXT("In period", in),
                           AS_WHOLE(Noun(r, h), h->count), AS_WHOLE("Days", h->days),
                           AS_NUM(per_day, hc->values),
                           AS_NUM(same, hc->overlay ? hc->overlay : blank),
                           AS_NUM(roll, hc->rolling ? hc->rolling : blank)};
        size_t nc = 7;
        /* the SPC chart judges seasonally adjusted values when there are
         * enough years, and its limits are theirs */
        if (spc->values != hc->values)
            cols[nc++] = (as_col)AS_NUM(as_fmt(r, "Seasonally adjusted %s per day", noun(h)),
                                         adjusted);
        cols[nc++] = (as_col)AS_NUM("SPC centre line", lim[0]);
        cols[nc++] = (as_col)AS_NUM("SPC lower limit", lim[1]);
        cols[nc++] = (as_col)AS_NUM("SPC upper limit", lim[2]);
        cols[nc++] = (as_col)AS_TEXT("SPC rules broken", broken);
        lines[0] = hc->rolling ? roll : NULL, lines[1] = hc->overlay ? same : NULL;
        tabs[(*ntabs)++] = (csa_report_table){hc->title, as_table(r, n, cols, nc), 4,
                                              CSA_NATIVE_LINE, "Month", per_day, NULL,
                                              NULL, lines, NULL, NULL, 0};
    }
    if (sc) {
        const char **period = as_calloc(r, 2, sizeof *period);
        const char *mean = as_fmt(r, "Mean (%s per day)", noun(h));
        const char *low = as_fmt(r, "Lowest (%s per day)", noun(h));
        const char *high = as_fmt(r, "Highest (%s per day)", noun(h));
        /* the years each month's mean, lowest and highest are of */
        double *years = as_calloc(r, YEAR, sizeof *years);
        if (!period || !years)
            return CSA_ERR_NOMEM;
        for (size_t i = 0; i < h->n; i++)
            years[year_pos(h, i)] += !isnan(h->count[i]);
        period[1] = as_fmt(r, "Assessment period (%s per day)", noun(h));
        as_col cols[] = {AS_TEXT("Month of the year", sc->labels), AS_NUM(mean, sc->values),
                         AS_NUM(low, sc->lower), AS_NUM(high, sc->upper),
                         AS_NUM(period[1], sc->overlay), AS_WHOLE("Years", years)};
        tabs[(*ntabs)++] = (csa_report_table){sc->title, as_table(r, YEAR, cols, 6), 4,
                                              CSA_NATIVE_LINE, "Month of the year",
                                              mean, low, high, period, NULL, NULL, 0};
    }
    return r->nomem ? CSA_ERR_NOMEM : CSA_OK;
}
