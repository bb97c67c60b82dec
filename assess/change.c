/* The headline of change: a monthly count indicator's period against its
 * comparison period (compare_with), from its as_history. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csa/month.h"
#include "csa/present.h"
#include "internal.h"

/* A ratio's places: two, or three when a limit would round to 1.00, so the
 * figures never read against the words ("95% CI 1.00 to 1.14: no
 * significant change" is 0.998 to 1.14), or when the ratio would show as a
 * band's edge of the trend score (1.20, 0.80), so it shows which side of
 * it it is. */
int as_ratio_places(double ratio, double lo, double hi)
{
    return fabs(lo - 1) < 0.005 || fabs(hi - 1) < 0.005 ||
                   fabs(ratio - AS_RISE_LARGE) < 0.005 || fabs(ratio - AS_FALL_LARGE) < 0.005
               ? 3
               : 2;
}

/* Whose residents each period's rate is per: the population input's
 * year for each (area.c says which), or its one population for both. */
static void population_note(csa_assess *r, csa_indicator_report *rep, const as_history *h)
{
    if (h->per) {
        if (h->population == h->population_before)
            as_add_note(r, rep, "Both periods' rates are per the same %s, so the change in the "
                        "rate is the change in the count", h->per);
        else
            as_add_note(r, rep, "Rates per %s of mid-%d (period) and mid-%d (comparison), so "
                        "the rate ratio is that of the rates, not of the counts", h->per,
                        r->pop_year, r->cmp_year);
        return;
    }
    if (r->npop_years <= 1) {
        as_add_note(r, rep, "Both periods' rates are per the same residents (the population "
                    "input gives one year), so the change in the rate is the change in the "
                    "count");
        return;
    }
    if (r->pop_year == r->cmp_year)
        as_add_note(r, rep, "Both periods' rates are per the residents of mid-%d, so the change "
                    "in the rate is the change in the count", r->pop_year);
    else
        as_add_note(r, rep, "Rates per residents of mid-%d (period) and mid-%d (comparison), "
                    "so the rate ratio is that of the rates, not of the counts", r->pop_year,
                    r->cmp_year);
    const int want[2] = {r->pop_year_want, r->cmp_year_want}, got[2] = {r->pop_year, r->cmp_year};
    static const char *const whose[2] = {"period", "comparison period"};
    for (int k = 0; k < 2; k++)
        if (want[k] != got[k])
            as_add_note(r, rep, "The population input has no mid-%d estimate (the year of the "
                        "%s's middle month): its rate is per the residents of mid-%d, the "
                        "nearest year it has", want[k], whose[k], got[k]);
}

void as_change(csa_assess *r, csa_indicator_report *rep, as_extra *x, const as_history *h,
               const char *unit)
{
    x->ratio_significant = 2;
    if (!h->compare_n) {
        rep->change = r->cfg->compare_with == CSA_COMPARE_NONE
                          ? "Not compared with an earlier period (compare_with = none)"
                          : as_fmt(r, "No change figures: the police files have no rows for "
                                      "the comparison period, %s",
                                   as_history_span(r, h, h->compare_first, h->period_n));
        return;
    }
    /* like months only: month k of the period against month k of the
     * comparison, where the input has rows for both */
    double now = 0, before = 0;
    size_t like = 0;
    for (size_t k = 0; k < h->period_n && k < h->compare_n; k++) {
        double a = h->count[h->period_first + k], b = h->count[h->compare_first + k];
        if (isnan(a) || isnan(b))
            continue;
        now += a, before += b, like++;
    }
    rep->compared_with = as_history_span(r, h, h->compare_first, h->compare_n);
    if (!like) {
        rep->change = as_fmt(r, "No change figures: no month of the period has rows in both "
                                "it and the comparison period, %s", rep->compared_with);
        return;
    }
    csa_estimate e;
    csa_error err;
    csa_period p1 = {now, h->population}, p2 = {before, h->population_before};
    if (csa_rate_ratio(p1, p2, &as_level95, CSA_RATIO_AUTO, &e, &err) ||
        (e.flags & CSA_RATE_NO_DENOMINATOR)) {
        rep->change = "No change figures: no residents to divide by";
        return;
    }
    population_note(r, rep, h);
    rep->count_now = now, rep->count_before = before;
    rep->value_now = now / h->population * h->multiplier;
    rep->value_before = before / h->population_before * h->multiplier;
    rep->change_value = rep->value_now - rep->value_before;
    int places = csa_headline_decimals(fmax(rep->value_now, rep->value_before));
    char a[32], b[32], d[32], lo[32], hi[32], rr[32];
    csa_format_number(rep->value_before, places, b, sizeof b);
    csa_format_number(rep->value_now, places, a, sizeof a);
    const char *part = like < h->period_n
                           ? as_fmt(r, " over the %zu month%s both periods have", like,
                                    like == 1 ? "" : "s")
                           : "";
    if (like < h->period_n) {
        /* which months of each period are missing, named */
        bool has[AS_MAX_MONTHS], cmp_has[AS_MAX_MONTHS];
        char runs[400], cmp_runs[400]; /* both within a note's 1,024 bytes */
        for (size_t k = 0; k < h->period_n; k++)
            has[k] = !isnan(h->count[h->period_first + k]);
        for (size_t k = 0; k < h->compare_n; k++)
            cmp_has[k] = !isnan(h->count[h->compare_first + k]);
        size_t gone = as_month_runs(csa_month_add(h->first, (int)h->period_first), h->period_n,
                                    has, runs, sizeof runs);
        size_t cmp_gone = as_month_runs(csa_month_add(h->first, (int)h->compare_first),
                                        h->compare_n, cmp_has, cmp_runs, sizeof cmp_runs);
        as_add_note(r, rep, "The change compares the %zu of %zu months that both the period and "
                    "%s have rows for (like months only): %s%s%s%s%s; a month is compared only "
                    "where both periods have rows for it", like,
                    h->period_n, rep->compared_with, gone ? "the period has no rows for " : "",
                    gone ? runs : "", gone && cmp_gone ? " and " : "",
                    !cmp_gone ? "" : gone ? "the comparison period none for "
                                          : "the comparison period has no rows for ",
                    cmp_gone ? cmp_runs : "");
    }
    const char *noun = h->noun ? h->noun : "crimes";
    if (e.flags & CSA_CHANGE_NO_EVENTS) {
        rep->change = as_fmt(r, "no %s in either period%s (%s against %s): no change to judge",
                             noun, part, as_history_span(r, h, h->period_first, h->period_n),
                             rep->compared_with);
        return;
    }
    rep->ratio_lower = e.lower[0], rep->ratio_upper = e.upper[0];
    bool interval = !isnan(e.lower[0]) && !isnan(e.upper[0]);
    bool sig = interval && (e.upper[0] < 1 || e.lower[0] > 1);
    x->ratio_significant = sig ? (e.lower[0] > 1 ? 1 : -1) : 0;
    x->ratio_exact = (e.flags & CSA_RATE_EXACT) != 0;
    rep->method = as_fmt(r, "%s; change: rate ratio, %s", rep->method,
                         x->ratio_exact ? "exact conditional interval (a count below 10)"
                                        : "log-normal interval");
    const char *words = sig ? (x->ratio_significant > 0 ? "a significant rise"
                                                        : "a significant fall")
                            : interval ? "no significant change"
                                       : "no interval (no events in the period)";
    int rp = as_ratio_places(e.value, interval ? e.lower[0] : NAN, interval ? e.upper[0] : NAN);
    csa_format_number(e.lower[0], rp, lo, sizeof lo);
    csa_format_number(e.upper[0], rp, hi, sizeof hi);
    if (e.flags & CSA_CHANGE_NO_BASELINE) {
        /* no ratio and no percentage from nothing, but the exact interval's
         * lower limit says whether the rise is more than chance */
        rep->change = as_fmt(r, "rose from 0 to %s %s%s against %s (none in the comparison "
                                "period, so no rate ratio or percentage; 95%% CI of the rate "
                                "ratio %s to infinity): %s", a, unit, part,
                             rep->compared_with, lo, words);
        return;
    }
    rep->ratio = e.value;
    rep->change_percent = (e.value - 1) * 100;
    csa_format_number(e.value, rp, rr, sizeof rr);
    /* a change too small to show at the headline's places is no change
     * in words; a significant one gets the places that show it */
    for (int more = 0; more < 4 && sig && !strcmp(a, b); more++) {
        csa_format_number(rep->value_before, places + more + 1, b, sizeof b);
        csa_format_number(rep->value_now, places + more + 1, a, sizeof a);
    }
    if (now == 0)
        snprintf(a, sizeof a, "0"); /* none, as "rose from 0" says it */
    bool same = !strcmp(a, b);
    double pct = rep->change_percent;
    /* a percentage that would show as the trend score's 20% shows which
     * side of it it is */
    int pp = fabs(pct) >= 1 && fabs(fabs(pct) - 20) >= 0.5 ? 0 : 1;
    while (pp < 4 && fabs(pct) * pow(10, pp) < 0.5)
        pp++;
    /* the percentage as it is (the figures beside the sentence give it),
     * 0% only when it is nought at four places */
    if (fabs(pct) * pow(10, pp) < 0.5)
        snprintf(d, sizeof d, "0%%");
    else
        snprintf(d, sizeof d, "%+.*f%%", pp, pct);
    if (same)
        rep->change = as_fmt(r, "held at %s %s%s against %s (%s; rate ratio %s, 95%% CI %s to "
                                "%s): %s", a, unit, part,
                             rep->compared_with, d, rr, interval ? lo : "-",
                             interval ? hi : "-", words);
    else
        rep->change = as_fmt(r, "%s %s to %s %s%s against %s (%s; rate ratio %s, 95%% CI %s to "
                                "%s): %s", e.value > 1 ? "rose from" : "fell from", b, a, unit,
                             part, rep->compared_with, d, rr, interval ? lo : "-",
                             interval ? hi : "-", words);
}
