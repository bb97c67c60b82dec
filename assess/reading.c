/* Readings: comparisons and trends in words, and the text of charts. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "csa/present.h"
#include "internal.h"

static const char *outcome_phrase(const csa_indicator_report *rep)
{
    switch (rep->outcome) {
    case CSA_BETTER:
    case CSA_WORSE:
    case CSA_HIGHER:
    case CSA_LOWER:
        return rep->value > rep->comparator_value ? "significantly higher than"
                                                  : "significantly lower than";
    case CSA_SIMILAR:
        return "similar to";
    default:
        return NULL;
    }
}

void as_compare(csa_assess *r, csa_indicator_report *rep)
{
    csa_error e = {0};
    rep->outcome = CSA_NOT_COMPARED;
    if (!isnan(rep->comparator_value) && !isnan(rep->lower) && !isnan(rep->upper))
        csa_compare(rep->lower, rep->upper, rep->comparator_value, rep->polarity,
                    &rep->outcome, &e);
    rep->rag = csa_outcome_rag(rep->outcome, rep->polarity);
    rep->comparator = isnan(rep->comparator_value) ? NULL : r->cfg->comparator;
}

/* "Violence: 5.2 per 1,000 residents, significantly lower than England
 * (7.1); no significant change over 12 months." */
void as_reading(csa_assess *r, csa_indicator_report *rep, const char *trend_phrase)
{
    char value[32], cmp[32];
    const char *phrase = outcome_phrase(rep);
    bool pct = !strcmp(rep->unit, "%");
    /* the pack's headline rule: one decimal from 10, two from 1, else three */
    int places = csa_headline_decimals(rep->value);
    csa_format_number(rep->value, places, value, sizeof value);
    csa_format_number(rep->comparator_value, places, cmp, sizeof cmp);
    if (isnan(rep->value))
        rep->reading = as_fmt(r, "%s: no figure for %s.", rep->title, r->cfg->period_label);
    else
        rep->reading = as_fmt(r, "%s: %s%s%s%s%s%s%s%s%s%s%s.", rep->title, value, pct ? "" : " ",
                            rep->unit, phrase ? ", " : "", phrase ? phrase : "",
                            phrase ? " " : "", phrase ? rep->comparator : "",
                            phrase ? " (" : "", phrase ? cmp : "", phrase ? ")" : "",
                            trend_phrase ? trend_phrase : "");
}

void as_add_note(csa_assess *r, csa_indicator_report *rep, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    size_t n = strlen(buf);
    bool stop = n && buf[n - 1] == '.';
    rep->note = rep->note ? as_fmt(r, "%s %s%s", rep->note, buf, stop ? "" : ".")
                          : as_fmt(r, "%s%s", buf, stop ? "" : ".");
}

/* Direction by polarity: an increase is getting worse when low is good. */
int as_judged(int rising, csa_polarity polarity)
{
    if (polarity == CSA_POLARITY_NO_JUDGEMENT)
        return 0;
    return polarity == CSA_POLARITY_LOW_IS_GOOD ? rising : -rising;
}

/* The recent trend (five points or more) or else the SPC signals in words,
 * and the direction the priorities score. */
const char *as_trend_words(csa_assess *r, const csa_recent_trend *rt, size_t npoints,
                               const char *spc, csa_polarity polarity, as_extra *x)
{
    if (rt && rt->marker != CSA_TREND_CANNOT_BE_CALCULATED) {
        int rising = rt->marker == CSA_TREND_INCREASING   ? 1
                     : rt->marker == CSA_TREND_DECREASING ? -1
                                                          : 0;
        x->direction = as_judged(rising, polarity);
        x->rising = rising;
        const char *judge = !rising || polarity == CSA_POLARITY_NO_JUDGEMENT ? ""
                            : x->direction > 0 ? " and getting worse" : " and getting better";
        x->direction_text = as_fmt(r, "%s%s", csa_trend_marker_label(rt->marker), judge);
        return as_fmt(r, "%s%s (recent trend, last five points)%s%s",
                    csa_trend_marker_label(rt->marker), judge, spc ? "; " : "", spc ? spc : "");
    }
    x->direction = x->rising = 2;
    if (rt && rt->reason != CSA_TREND_TOO_FEW_POINTS) {
        const char *why = csa_trend_reason_text(rt->reason);
        x->direction_text = "Cannot be calculated";
        return as_fmt(r, "Recent trend not calculated: %c%s%s%s", tolower((unsigned char)why[0]),
                    why + 1, spc ? "; " : "", spc ? spc : "");
    }
    x->direction_text = as_fmt(r, "Not enough points (%zu of 5)", npoints);
    return as_fmt(r, "Recent trend not calculated: %zu point%s (5 needed)%s%s", npoints,
                npoints == 1 ? "" : "s", spc ? "; " : "", spc ? spc : "");
}

/* The trend for the reading sentence: judged by polarity, or else plain. */
/* The trend for the reading sentence: judged by polarity, or else plain. */
const char *as_trend_phrase(const as_extra *x, csa_polarity polarity)
{
    if (polarity == CSA_POLARITY_NO_JUDGEMENT)
        return x->rising == 1 ? "rising" : x->rising == -1 ? "falling"
             : x->rising == 0 ? "no significant change" : "no trend yet";
    return x->direction == 1 ? "getting worse" : x->direction == -1 ? "getting better"
         : x->direction == 0 ? "no significant change" : "no trend yet";
}

void as_chart_text(csa_assess *r, csa_chart *c, const char *title, const char *x_label,
                           const char *y_label, const char *source)
{
    c->title = title;
    c->subtitle = as_fmt(r, "%s, %s", r->cfg->area_name, r->cfg->period_label);
    c->x_label = x_label;
    c->y_label = y_label;
    c->source = source;
}

/* A police-street indicator: crimes of the chosen types in the area's
 * LSOAs in the period, per `multiplier` residents. */
