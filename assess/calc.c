/* csa calc's registry: the options and the methods as rows, and what the
 * methods share. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc_methods.h"

/* ---- options ---- */

/* a macro, so that the compiler checks each message's format */
#define bad(err, fmt, value) \
    csa_error_set((err), CSA_ERR_USAGE, NULL, 0, 0, NULL, (value), fmt, (value))

static csa_status set_column(const csa_calc_option *o, csa_calc_args *a, const char *v,
                             csa_error *err)
{
    (void)err;
    *(const char **)((char *)a + o->column) = v;
    return CSA_OK;
}

/* "A,B,C" into list (at most max), its text kept in buf. */
static bool split(const char *v, char *buf, const char **list, size_t *n, size_t max)
{
    if (strlen(v) >= CSA_CALC_LIST_MAX)
        return false;
    strcpy(buf, v);
    *n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (*n == max)
            return false;
        list[(*n)++] = tok;
    }
    return *n > 0;
}

static csa_status set_by(const csa_calc_option *o, csa_calc_args *a, const char *v,
                         csa_error *err)
{
    (void)o;
    if (!split(v, a->lists[0], a->by, &a->nby, CSA_CALC_MAX_BY))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, v,
                             "--by takes 1 to %d column names", CSA_CALC_MAX_BY);
    return CSA_OK;
}

static csa_status set_yes(const csa_calc_option *o, csa_calc_args *a, const char *v,
                          csa_error *err)
{
    (void)o;
    if (!split(v, a->lists[1], a->yes, &a->nyes, CSA_CALC_MAX_YES))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, v,
                             "--yes takes 1 to %d answers", CSA_CALC_MAX_YES);
    return CSA_OK;
}

static csa_status set_per(const csa_calc_option *o, csa_calc_args *a, const char *v,
                          csa_error *err)
{
    (void)o;
    char *end;
    a->per = strtod(v, &end);
    return *end || !(a->per > 0) || isinf(a->per)
               ? bad(err, "--per '%s' is not a number above 0", v) : CSA_OK;
}

static csa_status set_level(const csa_calc_option *o, csa_calc_args *a, const char *v,
                            csa_error *err)
{
    (void)o;
    const char *s = v;
    a->levels.n = 0;
    while (*s && a->levels.n < CSA_MAX_LEVELS) {
        char *end;
        double l = strtod(s, &end);
        if (end == s || !(l > 0 && l < 100))
            break;
        a->levels.level[a->levels.n++] = l;
        s = end;
        if (*s == ',')
            s++;
        else if (*s)
            break;
    }
    if (a->levels.n && !*s)
        return CSA_OK;
    if (a->levels.n == CSA_MAX_LEVELS && *s)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, v,
                             "--level takes at most %d levels, not '%s'", CSA_MAX_LEVELS, v);
    return bad(err, "--level '%s' is not levels in percent such as 95,99.8", v);
}

static csa_status set_decimals(const csa_calc_option *o, csa_calc_args *a, const char *v,
                               csa_error *err)
{
    (void)o;
    char *end;
    long d = strtol(v, &end, 10);
    if (*end || end == v || d < 0 || d > 15)
        return bad(err, "--decimals is 0 to 15, not '%s'", v);
    a->decimals = (int)d;
    return CSA_OK;
}

/* A whole number from min into *out. */
static bool whole(const char *v, unsigned long min, unsigned long *out)
{
    char *end;
    if (!*v || *v == '-')
        return false;
    *out = strtoul(v, &end, 10);
    return !*end && *out >= min;
}

static csa_status set_seed(const csa_calc_option *o, csa_calc_args *a, const char *v,
                           csa_error *err)
{
    (void)o;
    return whole(v, 0, &a->seed) ? CSA_OK : bad(err, "--seed is a whole number, not '%s'", v);
}

static csa_status set_baseline(const csa_calc_option *o, csa_calc_args *a, const char *v,
                               csa_error *err)
{
    (void)o;
    unsigned long n;
    if (!whole(v, 2, &n))
        return bad(err, "--baseline is a number of points, 2 or more, not '%s'", v);
    a->baseline = (size_t)n;
    return CSA_OK;
}

static csa_status set_window(const csa_calc_option *o, csa_calc_args *a, const char *v,
                             csa_error *err)
{
    (void)o;
    unsigned long n;
    if (!whole(v, 1, &n))
        return bad(err, "--window is a number of rows, 1 or more, not '%s'", v);
    a->window = (size_t)n;
    return CSA_OK;
}

static csa_status set_chart(const csa_calc_option *o, csa_calc_args *a, const char *v,
                            csa_error *err)
{
    (void)o;
    if (strcmp(v, "xmr") && strcmp(v, "c"))
        return bad(err, "--chart is xmr or c, not '%s'", v);
    a->chart = v[0] == 'c' ? CSA_SPC_C : CSA_SPC_XMR;
    return CSA_OK;
}

static csa_status set_moving_ranges(const csa_calc_option *o, csa_calc_args *a, const char *v,
                                    csa_error *err)
{
    (void)o;
    if (strcmp(v, "screen") && strcmp(v, "all"))
        return bad(err, "--moving-ranges is screen or all, not '%s'", v);
    a->keep_large_moving_ranges = v[0] == 'a';
    return CSA_OK;
}

static csa_status set_kind(const csa_calc_option *o, csa_calc_args *a, const char *v,
                           csa_error *err)
{
    (void)o;
    static const char *const kinds[] = {"rate", "proportion", "normal", "ratio", "dsr"};
    size_t k = 0;
    while (k < 5 && strcmp(v, kinds[k]))
        k++;
    if (k == 5)
        return bad(err, "--kind is rate, proportion, normal, ratio or dsr, not '%s'", v);
    a->proportion = k == 1;
    a->normal = k == 2;
    a->ratio = k == 3;
    a->dsr = k == 4;
    return CSA_OK;
}

static csa_status set_independent(const csa_calc_option *o, csa_calc_args *a, const char *v,
                                  csa_error *err)
{
    (void)o;
    if (strcmp(v, "yes") && strcmp(v, "no"))
        return bad(err, "--independent-events is yes or no, not '%s'", v);
    a->nonindependent = v[0] == 'n';
    return CSA_OK;
}

static csa_status set_comparator(const csa_calc_option *o, csa_calc_args *a, const char *v,
                                 csa_error *err)
{
    (void)o;
    char *end;
    a->comparator = strtod(v, &end);
    return *end || end == v || !isfinite(a->comparator)
               ? bad(err, "--comparator is a number, not '%s'", v) : CSA_OK;
}

static csa_status set_polarity(const csa_calc_option *o, csa_calc_args *a, const char *v,
                               csa_error *err)
{
    (void)o;
    static const char *const names[] = {"low", "high", "none"};
    static const csa_polarity values[] = {CSA_POLARITY_LOW_IS_GOOD, CSA_POLARITY_HIGH_IS_GOOD,
                                          CSA_POLARITY_NO_JUDGEMENT};
    for (size_t i = 0; i < 3; i++)
        if (!strcmp(v, names[i]))
            return a->polarity = values[i], CSA_OK;
    return bad(err, "--polarity is low, high or none, not '%s'", v);
}

#define COLUMN(name, field, help) {name, "COL", help, set_column, offsetof(csa_calc_args, field)}

const csa_calc_option csa_calc_options[] = {
    COLUMN("count", count, "the column of counts (events, numerator)"),
    COLUMN("denominator", denominator, "the column of denominators (population, sample)"),
    COLUMN("value", value, "the column of values"),
    COLUMN("expected", expected, "isr: the column of expected events"),
    COLUMN("ref-count", ref_count, "the reference's counts (England's events in the band)"),
    COLUMN("ref-population", ref_population, "the reference's denominators"),
    COLUMN("band", band, "dsr: the age bands"),
    COLUMN("standard", standard, "dsr: each band's standard population (ESP1976, a local one; "
                                 "default ESP2013 aggregated to the bands)"),
    COLUMN("event-frequency", event_frequency,
           "dsr --independent-events no: how many events each of the row's people had "
           "(--count is then the number of people)"),
    COLUMN("quantile", quantile, "sii: the quantile of each row, 1 the most deprived (as "
                                 "phe_sii orders them); default: rows in order"),
    COLUMN("lower", lower, "compare, sii: the column of the interval's lower limits (sii: 95%)"),
    COLUMN("upper", upper, "compare, sii: the column of its upper limits"),
    COLUMN("answer", answer, "the respondents' answers"),
    COLUMN("weight", weight, "the respondents' weights"),
    COLUMN("wave", wave, "survey-change: the wave of each respondent (two waves)"),
    COLUMN("period", period, "change: the period of each row (two periods; the first to "
                             "appear is before)"),
    {"yes", "A[,A]", "the answers counted as yes, ignoring case (the config's answers); "
                     "without it Yes/No, Y/N, 1/0 or True/False",
     set_yes, 0},
    {"by", "COL[,COL]", "the groups: each its own sum, series or estimate", set_by, 0},
    {"per", "N", "multiplier (the method's default is shown with it)", set_per, 0},
    {"level", "L[,L]", "confidence levels in percent (default 95,99.8)", set_level, 0},
    {"comparator", "N", "compare: the comparator's value (England's, say)", set_comparator, 0},
    {"polarity", "P", "compare: low, high or none (default low: lower is better)",
     set_polarity, 0},
    {"kind", "K", "rate or proportion: what the counts (sii: or values) are (default rate); "
                  "sii --value also takes normal (life expectancy, a score); funnel also "
                  "ratio (--count observed, --denominator expected) and dsr (--count events, "
                  "--value the DSR)", set_kind, 0},
    {"independent-events", "yes|no",
     "dsr: no when a person may have more than one event (default yes): the interval "
     "widens for the repeats, as calculate_dsr(independent_events = FALSE)",
     set_independent, 0},
    {"chart", "xmr|c", "spc: the kind of chart (default xmr)", set_chart, 0},
    {"baseline", "N", "spc: points of each series that set the limits (default all)",
     set_baseline, 0},
    {"moving-ranges", "screen|all",
     "spc: screen (the default, as NHSRplotthedots) leaves moving ranges of 3.267 x their "
     "mean or more out of the limits; all keeps them, as the Making Data Count spreadsheets",
     set_moving_ranges, 0},
    {"window", "N", "rolling: rows in each sum (default 12)", set_window, 0},
    {"seed", "N", "sii: the simulation's seed (default 1)", set_seed, 0},
    {"decimals", "N", "places written for results (default 6)", set_decimals, 0},
};
const size_t csa_calc_noptions = sizeof csa_calc_options / sizeof csa_calc_options[0];
_Static_assert(sizeof csa_calc_options / sizeof csa_calc_options[0] <= 64,
               "csa_calc_args.given has a bit per option");

/* ---- methods ---- */

static bool xmr_signed(const csa_calc_args *a)
{
    return a->chart == CSA_SPC_XMR; /* values may be changes; counts may not */
}

static bool always_signed(const csa_calc_args *a)
{
    (void)a;
    return true;
}

static bool sii_signed(const csa_calc_args *a)
{
    return a->value && a->normal; /* a score may be below 0; a rate may not */
}

const csa_calc_method csa_calc_methods[] = {
    {"rate",
     "crude rate per 1,000 (or --per N) with Byar's interval, exact Poisson below 10 events; "
     "with --by, rows are added up within each group first",
     "Byar's method (Breslow and Day 1987), exact Poisson limits below 10 events: "
     "PHEindicatormethods phe_rate, OHID Fingertips",
     "A blank or suppressed count or denominator gives its row no rate, with a note; with "
     "--by its group gets no rate and a note (a sum without it would be too low), as "
     "PHEindicatormethods' sums give NA, and the other groups go on. A denominator of 0 "
     "gives no rate; a count of 0 gives a rate of 0 with its exact interval.",
     {"count denominator"}, "per level by", "count denominator", 1000, 0, NULL, calc_rate},
    {"proportion",
     "proportion as a percentage (--per 100, the default) or fraction (--per 1) with "
     "Wilson's score interval; with --by, rows are added up within each group first",
     "Wilson score interval (Wilson 1927): PHEindicatormethods phe_proportion, OHID Fingertips",
     "A blank or suppressed count or denominator gives its row (with --by, its group) no "
     "proportion, with a note. A denominator of 0 gives no proportion; a count of 0, or "
     "equal to the denominator, has Wilson's interval, which stays within 0 and 100%.",
     {"count denominator"}, "per level by", "count denominator", 100, 0, NULL, calc_proportion},
    {"ratio",
     "rate ratio of --count/--denominator to --ref-count/--ref-population (an area against "
     "England, this year against last) with its interval: log-normal, exp(ln RR +- z "
     "sqrt(1/O1 + 1/O2)), when both counts are 10 or more, otherwise exact from the "
     "conditional binomial (Clopper-Pearson limits); with --by, rows are added up first",
     "log-normal: Rothman and Greenland 1998, Modern Epidemiology ch. 14; exact: Breslow and "
     "Day 1987, as R's poisson.test",
     "A blank or suppressed input gives its row (with --by, its group) no ratio, with a "
     "note. A denominator of 0 gives no ratio, and so does a reference count of 0; fewer "
     "than 10 events in either gives the exact interval, noted.",
     {"count denominator ref-count ref-population"}, "level by",
     "count denominator ref-count ref-population", 0, 0, NULL, calc_ratio},
    {"difference",
     "rate difference, --count/--denominator minus --ref-count/--ref-population, per 1,000 "
     "(or --per N), with the normal approximation interval, variance O1/N1^2 + O2/N2^2; with "
     "--by, rows are added up first",
     "Rothman and Greenland 1998, Modern Epidemiology ch. 14",
     "A blank or suppressed input gives its row (with --by, its group) no difference, with "
     "a note; a denominator of 0 gives no difference. A count of 0 adds nothing to the "
     "variance.",
     {"count denominator ref-count ref-population"}, "per level by",
     "count denominator ref-count ref-population", 1000, 0, NULL, calc_difference},
    {"change",
     "counts of two periods (--period: the first to appear is before, the other now), rows "
     "added up per --by group: each period's rate per 1,000 (or --per N), the rate ratio now / "
     "before with its interval (exact conditional below 10 events in either period, "
     "log-normal otherwise, as ratio) and the rate difference with its normal interval (as "
     "difference), at every --level",
     "log-normal: Rothman and Greenland 1998, ch. 14; exact: Breslow and Day 1987, as R's "
     "poisson.test; difference: Rothman and Greenland 1998, ch. 14",
     "--period must hold exactly two values. A group with rows of one period only, or a "
     "blank or suppressed count or denominator, gets no change figures, with a note (a sum "
     "without it would be too low); a denominator of 0 gives none either. Fewer than 10 "
     "events in either period gives the exact conditional interval (the Method column "
     "says which); 0 events before gives no ratio, with a note.",
     {"count denominator period"}, "per level by", "count denominator", 1000, 0, NULL,
     calc_change},
    {"dsr",
     "directly standardised rate per 100,000 (--per) by Dobson's method with the European "
     "Standard Population 2013 aggregated to the table's age bands (0-4, 0 to 15, 90+; "
     "or each band's --standard column, such as ESP1976; "
     "F/M prefixes are added together), one per --by group; suppressed below 10 events. "
     "With --independent-events no and --event-frequency COL each row is the number of "
     "people (--count) who had that many events: the DSR is of their events, its variance "
     "the sum of frequency^2 x people terms, which widens the interval",
     "Dobson et al. 1991: PHEindicatormethods calculate_dsr; non-independent events: "
     "calculate_dsr(independent_events = FALSE), Fingertips technical guidance (DSR chapter)",
     "Every age band between a group's youngest and oldest needs its row: a gap (no 40-44 "
     "between 35-39 and 45-49) is an error, since leaving it out drops the band's standard "
     "population; give a band with no events a count of 0. Ages left out at either end (an "
     "indicator for ages 16 and over) are allowed. A blank or suppressed count, or a blank "
     "or 0 population, in any band gives the group no DSR, with a note; fewer than 10 "
     "events in the group gives none either (suppressed, as calculate_dsr). With --standard "
     "every band needs its one standard population. With --event-frequency every row needs "
     "a frequency (0 is allowed: no events), a band's rows repeat its one population (an "
     "error otherwise, as calculate_dsr), and a frequency a band has no row for has no "
     "people there; a blank or suppressed number of people gives the group no DSR, with a "
     "note. The Events column is the sum of frequency x people.",
     {"count denominator band"}, "standard independent-events event-frequency per level by",
     "count denominator standard event-frequency", 100000,
     0, NULL,
     calc_dsr},
    {"isr",
     "indirectly standardised ratio, observed / expected events times --per (default 1; 100 "
     "for an SMR), one per --by group, with Byar's interval on the observed count, exact "
     "below 10. Expected events are --expected, or each row's (age band's) --denominator "
     "times the reference rate --ref-count / --ref-population; a blank count in a band is "
     "taken as 0, as the package does",
     "Breslow and Day 1987; exact limits Armitage and Berry 2002: PHEindicatormethods "
     "calculate_ISRatio",
     "With --denominator, --ref-count and --ref-population a band's blank or suppressed "
     "count is taken as 0, as calculate_ISRatio does, and the note says so; a reference "
     "population must be above 0. With --expected, a blank observed or expected count "
     "gives no ratio, with a note. No expected events gives no ratio.",
     {"count expected", "count denominator ref-count ref-population"}, "per level by",
     "count expected denominator ref-count ref-population", 1, 0, NULL, calc_isr},
    {"compare",
     "each row's --lower/--upper interval against --comparator N, by --polarity low (crime), "
     "high (feel safe) or none: better, similar or worse and the RAG colour",
     "Fingertips' benchmarking rule (similar when the interval holds the comparator's value)",
     "A blank value or limit is not compared (neutral); limits the wrong way round are an "
     "error naming the line.",
     {"value lower upper comparator"}, "polarity", "value lower upper", 0, 0, always_signed,
     calc_compare},
    {"funnel",
     "each row against the funnel around the table's average: its significance at 95% and "
     "99.8% and the funnel's limits at its own denominator; --kind rate (per --per, default "
     "1,000: limits at the row's population), proportion (per 100), ratio (--count observed "
     "over --denominator expected events, centre 1 times --per, default 1) or dsr (--count "
     "events and --value the DSR per --per, default 100,000; its person-years count x per / "
     "DSR, as the package derives them)",
     "PHEindicatormethods calculate_funnel_limits, assign_funnel_significance (statistic "
     "proportion, rate with rate_type crude or dsr, ratio); limits at a row are the exact "
     "Poisson ones, the package's funnel lines read at the row's denominator",
     "A row with a blank or suppressed input gets no significance and is left out of the "
     "funnel's centre (PHEindicatormethods refuses such a table): its note says so, and so "
     "does every other row's, whose centre it leaves out. A denominator of 0 gives no "
     "significance. A DSR of fewer than 10 events is \"Not applicable\" and has no limits "
     "(as the package); its DSR may be blank when it had no events. The centre is the "
     "table's own average (sum of counts over sum of denominators).",
     {"count denominator", "count value"}, "kind per", "count denominator value", 1000, 100,
     NULL, calc_funnel},
    {"spc",
     "statistical process control of --value in row order (each --by group its own series): "
     "--chart xmr (limits at mean +- 2.66 x mean moving range; moving ranges of 3.267 x "
     "their mean or more screened out first, as NHSRplotthedots, unless --moving-ranges all) "
     "or c (mean +- 3 sqrt(mean)), limits from the first --baseline N points; each row gets "
     "the centre, limits, the Making Data Count rules that fire and a note",
     "NHSRplotthedots ptd_spc (screen_outliers = TRUE, its default; Nelson 1982); with "
     "--moving-ranges all, NHS England's Making Data Count spreadsheets",
     "Blank or suppressed values are skipped: they have no moving range on either side, "
     "and the run rules count the points that are there. Limits from fewer than 12 points "
     "are trial limits and the note says so (NHS tools warn below 12); one point gives no "
     "limits; a baseline with no variation gives limits on the centre, noted, so that any "
     "other value is outside. A c-chart's values must be whole numbers of 0 or more.",
     {"value"}, "chart baseline moving-ranges by", "value", 0, 0, xmr_signed, calc_spc},
    {"trend",
     "Fingertips' recent-trend test on the last five rows of each --by group: rates (or with "
     "--kind proportion, proportions) from --count and --denominator; chi-square on the "
     "weighted slope at 99.8%, and no trend if leaving out any point turns it",
     "PHEindicatormethods assign_trend_markers, OHID Fingertips",
     "A blank or suppressed count, or a denominator of 0 or less, in any of the last five "
     "points gives \"Cannot be calculated\"; fewer than five points too.",
     {"count denominator"}, "kind per by", "count denominator", 1000, 0, NULL, calc_trend},
    {"rolling",
     "rolling sum of --value over --window rows (default 12: a rolling 12 months of a "
     "monthly count) in row order, each --by group its own series; blank until the window "
     "is full and wherever a value in it is blank",
     "a moving sum, each window added afresh: the rolling 12-month (\"year ending\") totals "
     "of ONS and Home Office crime statistics",
     "A blank or suppressed value blanks every window that holds it.",
     {"value"}, "window by", "value", 0, 0, always_signed, calc_rolling},
    {"sii",
     "slope and relative index of inequality, one row per deprivation quantile, most "
     "deprived first: rates per --per (default 1,000) from --count and --denominator, or "
     "with --kind proportion proportions (Wilson's 95% limits; the SII times --per, default "
     "100: percentage points), or --value with its 95% --lower and --upper and the "
     "--denominator population, as phe_sii's value_type: --kind rate (log scale), "
     "proportion (logit; values in 0 to 1) or normal, the SII times --per (phe_sii's "
     "multiplier, default 1 here); 100,000 simulations from --seed for the intervals",
     "Low and Low 2004 (weighted regression on the cumulative population midpoints): "
     "PHEindicatormethods phe_sii (value_type 1 or 2 with x, or value, lower_cl and "
     "upper_cl; standard errors from the 95% limits on the log or logit scale)",
     "Rows are the quantiles in order, most deprived first, or in the order of --quantile "
     "(ascending, 1 most deprived, as phe_sii arranges them). A blank or suppressed count, "
     "value or limit, or a blank or 0 population, in any quantile gives no SII or RII (as "
     "phe_sii), with a note. A quantile with no events has a rate or proportion of 0 (so "
     "does a value or limit of 0; a proportion of 1 likewise), which has no error on the log "
     "or logit scale: the SII and RII are given without intervals, and the note says so. A "
     "proportion or limit outside 0 to 1, or a count above its population, is an error "
     "naming the line.",
     {"count denominator", "value lower upper denominator"}, "kind quantile per level by seed",
     "count denominator quantile value lower upper", 1000, 100, sii_signed, calc_sii},
    {"survey",
     "weighted percentage answering yes (--answer, --yes; blank for no answer) with "
     "--weight: Kish effective sample size, design effect, Wilson interval on the "
     "effective size, one per --by group",
     "Kish 1992 (design effect of weights); Wilson 1927",
     "A blank answer is no answer and is left out; a respondent with a blank or zero "
     "weight is left out too, and the note says how many; a negative weight is an error.",
     {"answer weight"}, "yes level by", "weight", 0, 0, NULL, calc_survey},
    {"survey-change",
     "change in the weighted percentage answering yes between the two waves of --wave (in "
     "the order they first appear), one per --by group: the difference in percentage points "
     "with Newcombe's hybrid score interval from the waves' Wilson intervals on effective "
     "sizes, and the two-proportion z-test on effective sizes",
     "Newcombe 1998 (method 10); Kish 1965; R's prop.test(correct = FALSE) on effective sizes",
     "As survey: blank answers and blank or zero weights are left out, the note says how "
     "many; every respondent needs a wave, and a third wave is an error.",
     {"answer weight wave"}, "yes level by", "weight", 0, 0, NULL, calc_survey_change},
};
const size_t csa_calc_nmethods = sizeof csa_calc_methods / sizeof csa_calc_methods[0];

const csa_calc_method *csa_calc_find(const char *name)
{
    for (size_t i = 0; i < csa_calc_nmethods; i++)
        if (!strcmp(csa_calc_methods[i].name, name))
            return &csa_calc_methods[i];
    return NULL;
}

/* The next name of a list separated by spaces: false at its end. */
static bool next_name(const char **s, const char **name, size_t *len)
{
    if (!*s || !**s)
        return false;
    *name = *s;
    *len = strcspn(*s, " ");
    *s += *len + ((*s)[*len] == ' ');
    return true;
}

/* The option called name (len bytes), or csa_calc_noptions. */
static size_t option_index(const char *name, size_t len)
{
    size_t i = 0;
    while (i < csa_calc_noptions &&
           (strlen(csa_calc_options[i].name) != len || strncmp(csa_calc_options[i].name, name, len)))
        i++;
    return i;
}

static bool listed(const char *list, const char *word)
{
    const char *name;
    size_t len;
    while (next_name(&list, &name, &len))
        if (len == strlen(word) && !strncmp(name, word, len))
            return true;
    return false;
}

static bool given(const csa_calc_args *a, size_t i)
{
    return i < csa_calc_noptions && (a->given >> i & 1);
}

/* The column an option names, for a column option given. */
static const char *column_of(const csa_calc_args *a, size_t i)
{
    return *(const char *const *)((const char *)a + csa_calc_options[i].column);
}

bool csa_calc_needs(const csa_calc_method *m, size_t k, size_t i)
{
    return k < 2 && listed(m->inputs[k], csa_calc_options[i].name);
}

bool csa_calc_takes(const csa_calc_method *m, size_t i)
{
    return !strcmp(csa_calc_options[i].name, "decimals") ||
           listed(m->options, csa_calc_options[i].name) || csa_calc_needs(m, 0, i) ||
           csa_calc_needs(m, 1, i);
}

void csa_calc_start(const csa_calc_method *m, csa_calc_args *a)
{
    *a = (csa_calc_args){.per = m->per ? m->per : 1, .comparator = NAN, .seed = 1,
                         .window = 12, .levels = {2, {95, 99.8}}, .decimals = 6};
}

csa_status csa_calc_set(const csa_calc_method *m, csa_calc_args *a, size_t i,
                        const char *value, csa_error *err)
{
    const csa_calc_option *o = &csa_calc_options[i];
    if (!csa_calc_takes(m, i))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, o->name, NULL,
                             "%s takes no --%s", m->name, o->name);
    csa_status st = o->set(o, a, value, err);
    if (!st)
        a->given |= UINT64_C(1) << i;
    return st;
}

static bool all_given(const csa_calc_args *a, const char *set)
{
    const char *name;
    size_t len;
    while (next_name(&set, &name, &len))
        if (!given(a, option_index(name, len)))
            return false;
    return true;
}

/* "--count COL and --denominator COL" for a set of inputs, after buf's text. */
static void say_inputs(const char *set, char *buf, size_t size)
{
    const char *name, *s = set;
    size_t len, total = 0;
    while (next_name(&s, &name, &len))
        total++;
    for (size_t n = 0; next_name(&set, &name, &len); n++) {
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, "%s--%.*s %s",
                 !n ? "" : n + 1 == total ? " and " : ", ", (int)len, name,
                 csa_calc_options[option_index(name, len)].arg);
    }
}

csa_status csa_calc_ready(const csa_calc_method *m, csa_calc_args *a, csa_error *err)
{
    if (a->normal && strcmp(m->name, "sii"))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "--kind normal is for sii --value only; %s takes rate or "
                             "proportion", m->name);
    if ((a->ratio || a->dsr) && strcmp(m->name, "funnel"))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "--kind ratio and dsr are for funnel only; %s takes rate or "
                             "proportion", m->name);
    if (!given(a, option_index("per", 3)) && a->proportion && m->per_proportion)
        a->per = m->per_proportion;
    if (all_given(a, m->inputs[0]) || (m->inputs[1] && all_given(a, m->inputs[1])))
        return CSA_OK;
    char words[320] = "";
    say_inputs(m->inputs[0], words, sizeof words);
    if (m->inputs[1]) {
        strcat(words, ", or ");
        say_inputs(m->inputs[1], words, sizeof words);
    }
    return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL, "calc %s needs %s",
                         m->name, words);
}

size_t csa_calc_numeric(const csa_calc_method *m, const csa_calc_args *a, const char **cols,
                        bool *nonnegative)
{
    const char *name, *s = m->numeric;
    size_t len, n = 0;
    while (n < CSA_CALC_MAX_NUMERIC && next_name(&s, &name, &len))
        if (given(a, option_index(name, len)))
            cols[n++] = column_of(a, option_index(name, len));
    *nonnegative = !m->signed_numbers || !m->signed_numbers(a);
    return n;
}

static csa_status need_column(const csa_calc_input *in, const char *col, csa_error *err)
{
    if (csa_table_find(in->table, col) != CSA_NO_ROW)
        return CSA_OK;
    return csa_error_set(err, CSA_ERR_FORMAT, in->name, 1, 0, col, NULL,
                         "missing column \"%s\"", col);
}

csa_status csa_calc_run(const csa_calc_method *m, const csa_calc_args *a,
                        const csa_calc_input *in, csa_table **out, csa_error *err)
{
    *out = NULL;
    csa_status st = CSA_OK;
    for (size_t i = 0; i < csa_calc_noptions && !st; i++)
        if (csa_calc_options[i].set == set_column && given(a, i))
            st = need_column(in, column_of(a, i), err);
    for (size_t b = 0; b < a->nby && !st; b++)
        st = need_column(in, a->by[b], err);
    return st ? st : m->run(a, in, out, err);
}

/* ---- shared by the methods ---- */

bool calc_given(const csa_calc_args *a, const char *name)
{
    return given(a, option_index(name, strlen(name)));
}

csa_status calc_nomem(csa_error *err)
{
    return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
}

double calc_number(const csa_table *t, size_t col, size_t r)
{
    return csa_table_valid(t, col, r) ? csa_table_doubles(t, col)[r] : NAN;
}

const char *calc_text(const csa_table *t, size_t col, size_t r, size_t *len)
{
    *len = 0;
    if (!csa_table_valid(t, col, r))
        return "";
    return csa_dict_string(csa_table_dict(t, col), csa_table_codes(t, col)[r], len);
}

csa_value calc_double(double v)
{
    return (csa_value){.missing = isnan(v), .v.d = v};
}

csa_value calc_string(const char *s)
{
    return (csa_value){.missing = !s, .v.str = {s, s ? strlen(s) : 0}};
}

csa_status calc_hand_over(csa_table *t, csa_status st, csa_table **out, csa_error *err)
{
    if (!st) {
        *out = t;
        return CSA_OK;
    }
    csa_table_free(t);
    if (!err->message[0])
        csa_error_set(err, st, NULL, 0, 0, NULL, NULL, "%s", csa_strerror(st));
    return st;
}

csa_status calc_add_text_columns(csa_table *t, const csa_table *in)
{
    csa_status st = CSA_OK;
    for (size_t c = 0; c < csa_table_ncols(in) && !st; c++)
        st = csa_table_add_column(t, csa_table_column_name(in, c), CSA_STRING);
    return st;
}

void calc_copy_row(const csa_table *in, size_t r, csa_value *row, char (*digits)[32])
{
    for (size_t c = 0; c < csa_table_ncols(in); c++) {
        csa_value *v = &row[c];
        memset(v, 0, sizeof *v);
        v->missing = !csa_table_valid(in, c, r);
        if (v->missing)
            continue;
        if (csa_table_column_type(in, c) == CSA_DOUBLE) {
            int n = snprintf(digits[c], 32, "%.15g", csa_table_doubles(in, c)[r]);
            v->v.str.s = digits[c];
            v->v.str.len = (size_t)n;
        } else {
            v->v.str.s = calc_text(in, c, r, &v->v.str.len);
        }
    }
}

csa_status calc_add_ci_columns(csa_table *t, const char *what, const csa_levels *levels)
{
    csa_status st = CSA_OK;
    char name[96];
    for (size_t l = 0; l < levels->n && !st; l++) {
        snprintf(name, sizeof name, what ? "%s lower %g%% CI" : "%sLower %g%% CI",
                 what ? what : "", levels->level[l]);
        st = csa_table_add_column(t, name, CSA_DOUBLE);
        snprintf(name, sizeof name, what ? "%s upper %g%% CI" : "%sUpper %g%% CI",
                 what ? what : "", levels->level[l]);
        if (!st)
            st = csa_table_add_column(t, name, CSA_DOUBLE);
    }
    return st;
}

csa_status calc_add_columns(csa_table *t, const csa_calc_args *a, const char *const *names,
                            size_t n, csa_type type)
{
    csa_status st = CSA_OK;
    for (size_t b = 0; b < a->nby && !st; b++)
        st = csa_table_add_column(t, a->by[b], CSA_STRING);
    for (size_t k = 0; k < n && !st; k++)
        st = csa_table_add_column(t, names[k], type);
    return st;
}

csa_status calc_group_rows(const csa_calc_args *a, const csa_calc_input *in, uint32_t **group,
                           size_t *ngroups, csa_error *err)
{
    const csa_table *t = in->table;
    size_t n = csa_table_nrows(t), keys[CSA_CALC_MAX_BY];
    *ngroups = 0;
    *group = calloc(n ? n : 1, sizeof **group);
    if (!*group)
        return calc_nomem(err);
    for (size_t b = 0; b < a->nby; b++) {
        keys[b] = csa_table_find(t, a->by[b]);
        if (keys[b] == CSA_NO_ROW || csa_table_column_type(t, keys[b]) != CSA_STRING)
            return csa_error_set(err, CSA_ERR_USAGE, in->name, 0, 0, a->by[b], NULL,
                                 "no text column \"%s\" to group by", a->by[b]);
    }
    if (!a->nby) {
        *ngroups = n ? 1 : 0;
        return CSA_OK;
    }
    csa_table *ids = csa_table_create();
    csa_status st = ids ? csa_table_add_column(ids, "key", CSA_STRING) : CSA_ERR_NOMEM;
    char key[CSA_CALC_MAX_BY * (CSA_STRING_MAX + 1)];
    for (size_t r = 0; r < n && !st; r++) {
        size_t len = 0;
        for (size_t b = 0; b < a->nby; b++) {
            size_t l;
            const char *s = calc_text(t, keys[b], r, &l);
            memcpy(key + len, s, l);
            len += l;
            key[len++] = '\x1f'; /* a separator no CSV value holds */
        }
        csa_value v = {.v.str = {key, len}};
        if (!(st = csa_table_append_row(ids, &v, NULL)))
            (*group)[r] = csa_table_codes(ids, 0)[r];
    }
    if (!st)
        *ngroups = csa_dict_size(csa_table_dict(ids, 0));
    csa_table_free(ids);
    if (st)
        return csa_error_set(err, st, NULL, 0, 0, NULL, NULL, "%s", csa_strerror(st));
    return CSA_OK;
}

size_t calc_rows_of(const uint32_t *group, size_t n, size_t g, size_t *rows)
{
    size_t m = 0;
    for (size_t r = 0; r < n; r++)
        if (group[r] == g)
            rows[m++] = r;
    return m;
}

void calc_gather(const csa_table *t, size_t col, const size_t *rows, size_t m, double *out)
{
    for (size_t i = 0; i < m; i++)
        out[i] = calc_number(t, col, rows[i]);
}

size_t calc_put_group(const csa_calc_args *a, const csa_table *in, size_t r, csa_value *row)
{
    for (size_t b = 0; b < a->nby; b++) {
        size_t len;
        const char *s = calc_text(in, csa_table_find(in, a->by[b]), r, &len);
        row[b] = (csa_value){.missing = !len, .v.str = {s, len}};
    }
    return a->nby;
}

void calc_group_label(const csa_calc_args *a, const csa_table *in, size_t r, char *buf,
                      size_t size)
{
    buf[0] = '\0';
    for (size_t b = 0; b < a->nby; b++) {
        size_t len, used = strlen(buf);
        const char *s = calc_text(in, csa_table_find(in, a->by[b]), r, &len);
        snprintf(buf + used, size - used, "%s \"%.*s\"%s", a->by[b], (int)len, s,
                 b + 1 < a->nby ? ", " : ": ");
    }
}

size_t calc_put_estimate(csa_value *row, size_t k, const csa_estimate *e, size_t nlevels)
{
    row[k++] = calc_double(e->value);
    for (size_t l = 0; l < nlevels; l++) {
        row[k++] = calc_double(e->lower[l]);
        row[k++] = calc_double(e->upper[l]);
    }
    return k;
}

csa_status calc_each_row(const csa_table *in, const char *const *names, const csa_type *types,
                         size_t extra, calc_put_fn put, const void *ctx, csa_table **out,
                         csa_error *err)
{
    size_t n = csa_table_nrows(in), k = csa_table_ncols(in);
    csa_value *row = calloc(k + extra, sizeof *row);
    char(*digits)[32] = calloc(k + 1, sizeof *digits), text[160];
    csa_table *t = csa_table_create();
    csa_status st = row && digits && t ? calc_add_text_columns(t, in) : CSA_ERR_NOMEM;
    for (size_t c = 0; c < extra && !st; c++)
        st = csa_table_add_column(t, names[c], types[c]);
    for (size_t r = 0; r < n && !st; r++) {
        calc_copy_row(in, r, row, digits);
        if (!(st = put(ctx, r, row + k, text, sizeof text, err)))
            st = csa_table_append_row(t, row, NULL); /* calc_hand_over words a failure */
    }
    free(row);
    free(digits);
    return calc_hand_over(t, st, out, err);
}

csa_status calc_two_sides(const csa_calc_input *in, const char *col, const char *what,
                          const char *row, const char *method, uint32_t *which,
                          const char *name[2], csa_error *err)
{
    const csa_table *t = in->table;
    size_t c = csa_table_find(t, col);
    uint32_t codes[2] = {CSA_NO_CODE, CSA_NO_CODE};
    if (csa_table_column_type(t, c) != CSA_STRING)
        return csa_error_set(err, CSA_ERR_USAGE, in->name, 0, 0, col, NULL,
                             "--%s must be a text column", what);
    for (size_t r = 0; r < csa_table_nrows(t); r++) {
        size_t len, w = 0;
        const char *s = calc_text(t, c, r, &len);
        uint32_t code = csa_table_codes(t, c)[r];
        if (!len)
            return csa_error_set(err, CSA_ERR_VALUE, in->name, in->lines[r], c + 1, col, NULL,
                                 "%s is blank: every %s needs a %s", col, row, what);
        while (w < 2 && codes[w] != CSA_NO_CODE && codes[w] != code)
            w++;
        if (w == 2)
            return csa_error_set(err, CSA_ERR_VALUE, in->name, in->lines[r], c + 1, col, s,
                                 "%s \"%s\" is a third %s after \"%s\" and \"%s\": %s "
                                 "compares two", col, s, what, name[0], name[1], method);
        if (codes[w] == CSA_NO_CODE)
            codes[w] = code, name[w] = s;
        which[r] = (uint32_t)w;
    }
    if (codes[1] == CSA_NO_CODE)
        return csa_error_set(err, CSA_ERR_VALUE, in->name, 0, 0, col, NULL,
                             "%s has %s %s%s: %s compares two %ss", col,
                             codes[0] == CSA_NO_CODE ? "no" : "one", what,
                             codes[0] == CSA_NO_CODE ? "" : " only", method, what);
    return CSA_OK;
}
