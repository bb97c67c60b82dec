/* Priority criteria as a table: each row names a criterion, states its
 * rule in words, and measures a candidate; a banded criterion's score
 * comes from its bands, the others score themselves. A candidate's total
 * is the sum of score x weight. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* What every criterion may read: the harm range over the candidates. */
typedef struct scoring {
    double *harm; /* per indicator: harm weight x value, NaN without a weight */
    double hmin, hmax;
} scoring;

/* A candidate's measure on one criterion. */
typedef struct measure {
    double value;     /* NaN: none */
    const char *text; /* as shown */
    double score;     /* set by unbanded criteria; banded ones from value */
    int decimals;     /* the value's places in the workbook; 0: up to two */
    const char *unit; /* the words beside the value in the workbook, or NULL */
} measure;

typedef struct criterion {
    const char *key;  /* as the config spells it */
    csa_priority_criterion shown;
    double bands[4];  /* 1 below bands[0], 2 below bands[1], ..., 5 from bands[3] */
    bool banded;
    void (*measure)(csa_assess *r, size_t i, const scoring *sc, measure *m);
} criterion;

static void volume(csa_assess *r, size_t i, const scoring *sc, measure *m)
{
    (void)sc;
    const csa_indicator_report *rep = &r->reports[i];
    double v = rep->polarity == CSA_POLARITY_HIGH_IS_GOOD ? rep->comparator_value / rep->value
                                                          : rep->value / rep->comparator_value;
    if (isnan(v) || isinf(v))
        m->text = "No comparator";
    else
        m->value = v, m->text = as_fmt(r, "%.2f x %s", v, r->cfg->comparator),
        m->decimals = 2, m->unit = as_fmt(r, "x %s", r->cfg->comparator);
}

/* A count over time (police crime): its rate ratio against the
 * comparison period, by significance and size, as the rule says. */
static void change(csa_assess *r, size_t i, measure *m)
{
    const csa_indicator_report *rep = &r->reports[i];
    const as_extra *x = &r->extra[i];
    if (x->ratio_significant == 2 || (isnan(rep->ratio) && isnan(rep->ratio_lower))) {
        const char *t = rep->change ? rep->change : "no change figures";
        m->text = as_fmt(r, "No judgement, neutral: %c%s", tolower((unsigned char)t[0]), t + 1);
        return;
    }
    /* none before: no ratio, but its interval (to infinity) still judges */
    bool from_none = isnan(rep->ratio);
    double rr = from_none ? INFINITY : rep->ratio;
    /* a rise is worse unless high is good; large: 20% or more either way
     * (a ratio from 1.20, or to 0.80), as the rule says */
    bool worse = (rr > 1) != (rep->polarity == CSA_POLARITY_HIGH_IS_GOOD);
    /* a ratio of exactly 1.2 or 0.8 in the counts may come out a bit off
     * in floating point: on the band */
    bool large = rr >= AS_RISE_LARGE * (1 - 1e-9) || rr <= AS_FALL_LARGE * (1 + 1e-9);
    bool judged = rep->polarity != CSA_POLARITY_NO_JUDGEMENT;
    m->score = !x->ratio_significant || !judged ? 3 : worse ? (large ? 5 : 4) : (large ? 1 : 2);
    int rp = as_ratio_places(rr, rep->ratio_lower, rep->ratio_upper);
    m->value = from_none ? NAN : rr, m->decimals = rp;
    const char *words = !x->ratio_significant ? "no significant change"
                        : rr > 1              ? "a significant rise"
                                              : "a significant fall";
    const char *judgement = !x->ratio_significant || !judged ? ""
                            : m->score > 3                   ? ", getting worse"
                                                             : ", getting better";
    if (from_none)
        m->text = as_fmt(r, "no ratio, none before (95%% CI %.*f to infinity): %s%s", rp,
                         rep->ratio_lower, words, judgement);
    else
        m->text = as_fmt(r, "%.*f (95%% CI %.*f to %.*f): %s%s", rp, rr, rp, rep->ratio_lower,
                         rp, rep->ratio_upper, words, judgement);
    m->unit = as_fmt(r, "rate ratio: %s%s", words, judgement);
}

static void trend(csa_assess *r, size_t i, const scoring *sc, measure *m)
{
    (void)sc;
    const csa_kind *kind = r->cfg->indicators[i].kind;
    if (kind && kind->monthly) {
        change(r, i, m);
        return;
    }
    const as_extra *x = &r->extra[i];
    m->value = x->direction == 2 ? NAN : x->direction;
    m->score = x->direction == 1 ? 5 : x->direction == -1 ? 1 : 3;
    m->text = x->direction_text;
    if (x->direction == 2 && x->direction_text) {
        /* no judgement is not "no change": it scores the middle as unknown */
        const char *t = x->direction_text;
        m->text = as_fmt(r, "No judgement, neutral: %c%s", tolower((unsigned char)t[0]), t + 1);
    }
}

static void harm(csa_assess *r, size_t i, const scoring *sc, measure *m)
{
    m->value = sc->harm[i];
    if (isnan(m->value)) {
        m->text = "No harm weight";
        return;
    }
    m->score = sc->hmax > sc->hmin ? 1 + 4 * (m->value - sc->hmin) / (sc->hmax - sc->hmin) : 3;
    m->text = as_fmt(r, "%g x %.2f = %.1f", r->cfg->indicators[i].harm, r->reports[i].value,
                     m->value);
    m->decimals = 1;
    m->unit = as_fmt(r, "harm weight %g x %.2f", r->cfg->indicators[i].harm, r->reports[i].value);
}

static void deprivation(csa_assess *r, size_t i, const scoring *sc, measure *m)
{
    (void)sc;
    double v = r->extra[i].deprivation_ratio;
    if (isnan(v))
        m->text = "Not available";
    else
        m->value = v, m->text = as_fmt(r, "%.2f times", v), m->decimals = 2, m->unit = "times";
}

static void concern(csa_assess *r, size_t i, const scoring *sc, measure *m)
{
    (void)sc;
    const csa_config *c = r->cfg;
    const char *linked = c->indicators[i].concern;
    size_t j = 0;
    while (linked && j < c->nindicators && strcmp(c->indicators[j].name, linked))
        j++;
    if (!linked || isnan(r->reports[j].value)) {
        m->text = "No linked question";
        return;
    }
    /* concern is the share not giving the good answer when high is good
     * ("feel safe") */
    bool good = r->reports[j].polarity == CSA_POLARITY_HIGH_IS_GOOD;
    m->value = good ? 100 - r->reports[j].value : r->reports[j].value;
    m->score = 1 + 4 * m->value / 100;
    m->text = as_fmt(r, "%.1f%% (%s%s)", m->value, good ? "not: " : "", r->reports[j].title);
    m->decimals = 1;
    m->unit = as_fmt(r, "%% (%s%s)", good ? "not: " : "", r->reports[j].title);
}

static const criterion CRITERIA[CSA_NCRITERIA] = {
    [CSA_CRITERION_VOLUME] = {"volume", {"Volume",
        "value / comparator (comparator / value when high is good): 1 below 0.8, 2 below 0.95, "
        "3 below 1.05, 4 below 1.25, 5 from 1.25; 3 with no comparator"},
        {0.8, 0.95, 1.05, 1.25}, true, volume},
    [CSA_CRITERION_TREND] = {"trend", {"Trend",
        "Crime: the rate ratio of the period to the comparison period (compare_with) and its "
        "95% interval: 5 a significant rise of 20% or more (ratio from 1.20), 4 a smaller "
        "significant rise, 3 no significant change (the interval includes 1), 2 a significant "
        "fall of less than 20%, 1 a significant fall of 20% or more (ratio to 0.80); "
        "rise and fall swap where high is good. Fingertips indicators: the recent trend "
        "over five points, 5 getting worse, 3 no significant change, 1 getting better. 3 "
        "(neutral, as unknown) when no judgement can be made: no comparison period, or too "
        "few points"},
        {0}, false, trend},
    [CSA_CRITERION_HARM] = {"harm", {"Harm",
        "harm weight x rate: 1 + 4 x (value - lowest) / (highest - lowest) among the "
        "candidates; 3 with no harm weight"},
        {0}, false, harm},
    [CSA_CRITERION_DEPRIVATION] = {"deprivation", {"Deprivation",
        "fitted rate in the most deprived over the least deprived, from a log-linear fit by IMD "
        "decile (1 / RII): 1 below 1.25, 2 below 1.5, 3 below 2, 4 below 3, 5 from 3; 3 when not "
        "available"},
        {1.25, 1.5, 2, 3}, true, deprivation},
    [CSA_CRITERION_CONCERN] = {"concern", {"Concern",
        "share of survey respondents concerned in the linked question (for a question where yes "
        "is good, the share not saying yes): 1 + 4 x share; 3 with no linked question"},
        {0}, false, concern},
};

const char *csa_criterion_name(csa_criterion c)
{
    return CRITERIA[c].key;
}

csa_criterion csa_criterion_find(const char *name)
{
    size_t k = 0;
    while (k < CSA_NCRITERIA && strcmp(CRITERIA[k].key, name))
        k++;
    return (csa_criterion)k;
}

static double band(double v, const double *limits, size_t n)
{
    size_t k = 0;
    while (k < n && v >= limits[k])
        k++;
    return (double)(k + 1);
}

static int by_total(const void *a, const void *b)
{
    const csa_priority_report *x = a, *y = b;
    if (x->total != y->total)
        return x->total > y->total ? -1 : 1;
    return x->indicator < y->indicator ? -1 : x->indicator > y->indicator;
}

csa_status as_score_priorities(csa_assess *r)
{
    const csa_config *c = r->cfg;
    csa_assessment *a = &r->result;
    size_t nc = c->ncriteria, np = 0;
    csa_priority_criterion *crit = as_calloc(r, nc, sizeof *crit);
    csa_priority_report *pr = as_calloc(r, c->nindicators, sizeof *pr);
    scoring sc = {as_calloc(r, c->nindicators, sizeof *sc.harm), INFINITY, -INFINITY};
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t k = 0; k < nc; k++)
        crit[k] = CRITERIA[c->criteria[k]].shown;
    for (size_t i = 0; i < c->nindicators; i++) {
        sc.harm[i] = c->indicators[i].harm * r->reports[i].value;
        if (c->indicators[i].priority && !isnan(sc.harm[i]))
            sc.hmin = fmin(sc.hmin, sc.harm[i]), sc.hmax = fmax(sc.hmax, sc.harm[i]);
    }
    for (size_t i = 0; i < c->nindicators; i++) {
        if (!c->indicators[i].priority)
            continue;
        csa_priority_score *s = as_calloc(r, nc, sizeof *s);
        if (!s)
            return CSA_ERR_NOMEM;
        double total = 0;
        for (size_t k = 0; k < nc; k++) {
            const criterion *cr = &CRITERIA[c->criteria[k]];
            measure m = {NAN, NULL, 3, 0, NULL};
            cr->measure(r, i, &sc, &m);
            if (cr->banded && !isnan(m.value))
                m.score = band(m.value, cr->bands, 4);
            s[k] = (csa_priority_score){m.value, m.text, round(m.score * 100) / 100,
                                        c->weights[c->criteria[k]], m.decimals, m.unit};
            total += s[k].score * s[k].weight;
        }
        pr[np++] = (csa_priority_report){i, 0, round(total * 100) / 100, s};
    }
    qsort(pr, np, sizeof *pr, by_total);
    for (size_t k = 0; k < np; k++)
        pr[k].rank = k + 1;
    a->criteria = crit, a->ncriteria = nc, a->priorities = pr, a->npriorities = np;
    return r->nomem ? CSA_ERR_NOMEM : CSA_OK;
}
