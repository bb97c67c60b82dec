/* The assessment run: its stages in order, and what it tells its caller
 * on the way. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csa/csa.h"
#include "csa/month.h"
#include "internal.h"

const csa_levels as_level95 = {1, {95}};

double as_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void tell_stage(csa_assess *r, double seconds, const char *fmt, va_list ap)
{
    if (r->opt.on_stage) {
        char buf[512];
        vsnprintf(buf, sizeof buf, fmt, ap);
        r->opt.on_stage(r->opt.user, buf, seconds);
    }
}

void as_stage(csa_assess *r, const char *fmt, ...)
{
    double t = as_now();
    va_list ap;
    va_start(ap, fmt);
    tell_stage(r, t - r->stage_t0, fmt, ap);
    va_end(ap);
    r->stage_t0 = t;
}

void as_stage_took(csa_assess *r, double seconds, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tell_stage(r, seconds, fmt, ap);
    va_end(ap);
}

void as_progress(const csa_assess *r, const char *what, size_t done, size_t total)
{
    if (r->opt.on_progress)
        r->opt.on_progress(r->opt.user, what, done, total);
}

void as_message(const csa_assess *r, const char *fmt, ...)
{
    if (!r->opt.on_message)
        return;
    char buf[CSA_ERROR_FILE_MAX + CSA_ERROR_MESSAGE_MAX + 256], safe[sizeof buf];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    /* messages quote names and values from data: safe on a terminal */
    r->opt.on_message(r->opt.user, csa_text_escape(buf, safe, sizeof safe));
}

/* A stage's status, with the run's error copied out; out of memory gets
 * its message here. */
static csa_status finish(csa_assess *r, csa_status st, csa_error *err)
{
    if (!st && r->nomem)
        st = CSA_ERR_NOMEM;
    if (st == CSA_ERR_NOMEM && !r->err.message[0])
        csa_error_set(&r->err, st, NULL, 0, 0, NULL, NULL, "out of memory");
    if (st && !r->err.status)
        r->err.status = st;
    if (err)
        *err = r->err;
    return st;
}

static const char *unit_text(csa_assess *r, const csa_config_indicator *ci)
{
    char m[32];
    if (ci->unit)
        return ci->unit;
    if (ci->kind->unit)
        return ci->kind->unit;
    csa_format_number(ci->multiplier, 0, m, sizeof m);
    /* a partner rate says who its denominator counts (denominator_label) */
    return as_fmt(r, "per %s %s", m, ci->denominator_label ? ci->denominator_label : "residents");
}

/* Said when the manifest took digests from the submissions register. */
#define DIGEST_NOTE                                                                             \
    "Digests: the SHA-256 of %zu input file%s in the manifest came from the submissions "     \
    "register, not from reading the file again: a file with the same device, inode, size "     \
    "and modification time (to the nanosecond) as when its digest was recorded is taken to "   \
    "hold the same bytes. This trusts that nothing rewrote the file in place and set its "     \
    "modification time back (touch -d, a restore or sync tool that keeps times); the rows "    \
    "themselves are always read. Remove the register's file_digest rows to hash every input."

static const char *const METHOD_NOTES[] = {
    "Rates are events in the period per 1,000 residents (ONS LSOA population estimates), "
    "not annualised (unless a crime indicator's annualise scales a period the files cover in "
    "part, which its unit then says). 95% confidence intervals by Byar's method, exact Poisson below 10 "
    "events, as PHEindicatormethods and Fingertips compute them; the normal quantile for 95% "
    "is 1.959964 (R's qnorm(0.975), as PHEindicatormethods), not 1.96.",
    "Comparisons follow Fingertips: similar when the area's 95% interval includes the "
    "comparator's value, otherwise better or worse by the indicator's polarity (for crime, "
    "lower is better). RAG: red worse, amber similar, green better, grey not compared.",
    "Crimes in LSOAs of the area with no population row are left out of the rates rather "
    "than divided by another set of residents; the pages they affect say how many, and the "
    "data-quality sheet counts them under No population.",
    "Coverage: every input that places its rows in LSOAs (police.uk crime) must cover the "
    "area and each comparator area over the period. More than half of an area's LSOAs without "
    "a row stops the run (the files are another force's: a few crimes are recorded across a "
    "force's border); more than 10% without a row, or no row in a month the files have for "
    "other areas, is a caveat on every indicator of the input. Over one month of police.uk "
    "data, no local authority of Thames Valley or Bedfordshire has more than 7% of its LSOAs "
    "without a row; over three months, none has any.",
    "Monthly crime is charted as crimes per day (the month's count over its days, so "
    "February's 28 days do not read as a fall) on an XmR chart: centre at the mean, limits at "
    "mean +/- 2.66 x the mean moving range, moving ranges of 3.267 x their mean or more left "
    "out of that mean first (NHSRplotthedots' default, after Nelson 1982; the Making Data Count "
    "spreadsheets keep them, so one unusual month widens their limits), with NHS England's "
    "Making Data Count rules. XmR, "
    "not a c- or u-chart: monthly crime varies more than a Poisson count (seasons, events, "
    "recording), so Poisson limits are too narrow and flag ordinary months. Limits need 12 "
    "months (below 12 NHSRplotthedots calls them trial limits): with fewer the chart has no "
    "limits and no trend is judged. A crime trend is the SPC signal at the period's latest "
    "month; Fingertips' recent-trend test (five points) is for annual series and is used only "
    "for Fingertips indicators.",
    "Change: a crime indicator's period against the same months a year earlier (or the "
    "period compare_with names), over the months both have rows for: a month missing from "
    "either is left out of both (like months only), and the page says so. Each period's rate "
    "is per the residents of the mid-year estimate of the year the period's middle month falls "
    "in (month (n - 1) / 2 of its n: June for a calendar year, September for April to March), "
    "or of the nearest year the population input has (the earlier of two as near), which the "
    "note says; the rate ratio is (crimes now / residents now) / (crimes before / residents "
    "before). When the input gives one year, both rates are per the same residents and the "
    "rate ratio is the ratio of the counts. Its 95% interval is exact conditional when either "
    "count is below 10 (given both periods' total, the period's count is binomial with p = RR "
    "N1 / (RR N1 + N2): Clopper-Pearson limits, as R's poisson.test) and log-normal otherwise, "
    "exp(ln RR +/- 1.96 sqrt(1/O1 + 1/O2)); each "
    "indicator's method says which it used. The change is called significant exactly when the "
    "interval excludes 1, and 'no significant change' otherwise. Rows of the months before the "
    "period are counted as used: they make the comparison and the month charts.",
    "Seasons: with a full year of months before the SPC baseline (the 12 months before the "
    "period unless the config fixes one; one of them may be missing, the limits then from 11), "
    "each month is judged against the same month of earlier years, not against last month. "
    "Each month's crimes per day is divided by its calendar month's seasonal relative "
    "(Wheeler's seasonal relatives: in each full year before the baseline, the month's value "
    "over that year's mean; averaged over those years, so the relatives average 1) and the XmR "
    "chart runs on the adjusted series from the baseline on, limits from the baseline. A summer "
    "as much above the year as earlier summers is then common cause, never a trend or a signal; "
    "a fall that earlier years did not have shows below the limits. Neither the period nor the "
    "baseline sets its own expectation: relatives fitted to the baseline's own months would "
    "flatten it, and limits from it would be too narrow for the period's months. A calendar "
    "month counting under 10 over those years gives no relative (it would be one of noise). "
    "With no relatives, a history whose last two years rise and fall together month by month "
    "(Pearson's r of 0.6 or more between each month's departure from its year's line, a level "
    "each year and one slope for both, which takes a step or a steady rise or fall out, and the "
    "same month's a year later: one time in fifty by chance), or one under two years (which "
    "cannot show whether they do), is not judged by SPC at all (the change on the comparison "
    "period is the measure); otherwise its months are judged unadjusted, and the trend says a "
    "seasonal rise can read as a signal. The month-of-year chart shows each month's mean and range of crimes "
    "per day over the years of the history, with the period's months over them; the history "
    "chart shades the period, lays the comparison months over it and adds the rolling twelve "
    "months' crimes per day (the 12 months' crimes over their days).",
    "Deprivation: rates by IMD 2019 decile of the LSOA; the line is the slope index of "
    "inequality (PHEindicatormethods' phe_sii, 10,000 simulations, seed 1).",
    "Survey figures are weighted proportions with Wilson intervals on Kish's effective "
    "sample size, so unequal weights widen them.",
    "Priorities: each criterion is scored 1 to 5 by the rule shown with the matrix; a "
    "candidate's total is the sum of score x weight, and the weights come from the config.",
};

csa_status csa_assess_create(const csa_config *cfg, const csa_assess_options *opt,
                             csa_assess **out, csa_error *err)
{
    csa_assess *r = calloc(1, sizeof *r);
    *out = r;
    if (!r)
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    r->cfg = cfg;
    if (opt)
        r->opt = *opt;
    r->stage_t0 = as_now();
    r->out_dir = r->opt.out_dir ? r->opt.out_dir : cfg->output;
    for (size_t i = 0; i < r->opt.nallow_invalid; i++) {
        size_t k = 0;
        while (k < cfg->ninputs && strcmp(cfg->inputs[k].name, r->opt.allow_invalid[i]))
            k++;
        if (k == cfg->ninputs)
            return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, "allow-invalid",
                                 r->opt.allow_invalid[i], "--allow-invalid %s: the config has "
                                 "no [input.%s]", r->opt.allow_invalid[i],
                                 r->opt.allow_invalid[i]);
    }
    r->in = as_calloc(r, cfg->ninputs, sizeof *r->in);
    r->reports = as_calloc(r, cfg->nindicators, sizeof *r->reports);
    r->extra = as_calloc(r, cfg->nindicators, sizeof *r->extra);
    csa_status st = r->nomem ? CSA_ERR_NOMEM : as_plan_months(r);
    if (!st)
        st = as_start_digests(r);
    return finish(r, st, err);
}

csa_status csa_assess_validate(csa_assess *r, csa_error *err)
{
    return finish(r, as_validate_inputs(r), err);
}

csa_status csa_assess_read(csa_assess *r, csa_error *err)
{
    return finish(r, as_read_inputs(r), err);
}

/* Monthly inputs: where their rows went, and a stop when none is in the
 * period. */
static csa_status account(csa_assess *r)
{
    const csa_config *c = r->cfg;
    csa_status st = as_plan_timeline(r);
    if (st)
        return st;
    for (size_t i = 0; i < c->ninputs; i++) {
        const csa_kind *kind = csa_kind_for_spec(c->inputs[i].spec->name);
        if (r->in[i].excluded || !kind || !kind->monthly)
            continue;
        if (kind->account)
            kind->account(r, i);
        else
            as_account_months(r, i);
        if (r->nomem)
            return CSA_ERR_NOMEM;
        bool any = false;
        for (size_t m = 0; m < r->nmonths; m++)
            any |= r->in[i].month_present[m];
        if (!any)
            return csa_error_set(&r->err, CSA_ERR_VALUE, c->inputs[i].files.v[0], 0, 0, NULL,
                                 NULL, "[input.%s] has no rows in the period, %s (its files "
                                 "cover %s)", c->inputs[i].name, c->period_label,
                                 r->in[i].covers ? r->in[i].covers : "no months");
        if (r->in[i].compare_missing && strcmp(r->in[i].compare_missing, "none")) {
            const char *range = as_compare_span(r);
            bool some = false;
            for (size_t m = 0; m < r->ncompare; m++)
                some |= r->in[i].tl_present[r->tl_compare + m];
            /* none at all is no caveat but no comparison: every output's
             * Change says so, and so does the run, as it does for a month */
            if (some)
                as_message(r, "warning: [input.%s] has no rows for %s of the comparison "
                           "period (%s): change is over the months both periods have",
                           c->inputs[i].name, r->in[i].compare_missing, range);
            else
                as_message(r, "warning: [input.%s] has no rows for the comparison period "
                           "(%s): no change figures for its indicators (its files cover %s)",
                           c->inputs[i].name, range,
                           r->in[i].covers ? r->in[i].covers : "no months");
        }
    }
    return CSA_OK;
}

static csa_status compute_indicators(csa_assess *r)
{
    const csa_config *c = r->cfg;
    csa_status st = account(r);
    if (!st)
        st = as_check_coverage(r);
    if (!st && c->higher_area != SIZE_MAX)
        st = as_place_higher(r);
    /* the maps' shapes against the area, once the files are known to
     * cover it (the wrong force's files say more than missing shapes) */
    if (!st && c->boundaries != SIZE_MAX)
        st = as_read_boundaries(r);
    if (!st && r->shapes)
        st = as_check_shapes(r);
    if (!st)
        as_start_dissolve(r);
    if (!st && r->shapes)
        st = as_locate_incidents(r);
    for (size_t i = 0; i < c->nindicators && !st; i++) {
        const csa_config_indicator *ci = &c->indicators[i];
        const csa_config_input *inp = &c->inputs[ci->input];
        const as_input *s = &r->in[ci->input];
        csa_indicator_report *rep = &r->reports[i];
        *rep = (csa_indicator_report){
            .name = ci->name, .title = ci->title, .theme = ci->theme,
            .unit = unit_text(r, ci), .method = ci->kind->method, .source = ci->kind->source,
            .polarity = ci->polarity, .count = NAN, .denominator = NAN, .value = NAN,
            .lower = NAN, .upper = NAN, .comparator_value = ci->comparator_value,
            .trend = "Not computed", .count_now = NAN, .count_before = NAN, .value_now = NAN,
            .value_before = NAN, .change_percent = NAN, .change_value = NAN, .ratio = NAN,
            .ratio_lower = NAN, .ratio_upper = NAN};
        r->extra[i] = (as_extra){2, 2, "No data", NAN, 2, false};
        if (!rep->source) {
            const char *slash = strrchr(inp->files.v[0], '/');
            rep->source = as_fmt(r, "%s", slash ? slash + 1 : inp->files.v[0]);
        }
        if (s->excluded) {
            rep->note = as_fmt(r, "Not computed: input %s was left out (--allow-invalid) "
                                  "because validation found errors in it (%zu)", inp->name,
                               s->errors);
            rep->reading = as_fmt(r, "%s: no figure; %s.", rep->title, rep->note);
            rep->comparator = NULL;
            continue;
        }
        /* a partner rate per an input (denominator = input NAME) left out */
        const as_input *per = ci->denominator && ci->denominator_input != SIZE_MAX &&
                                      ci->denominator_input != c->population
                                  ? &r->in[ci->denominator_input] : NULL;
        if (per && per->excluded) {
            rep->note = as_fmt(r, "Not computed: input %s, its denominator, was left out "
                                  "(--allow-invalid) because validation found errors in it "
                                  "(%zu)", c->inputs[ci->denominator_input].name, per->errors);
            rep->reading = as_fmt(r, "%s: no figure; %s.", rep->title, rep->note);
            rep->comparator = NULL;
            continue;
        }
        if ((st = ci->kind->compute(r, i)))
            break;
        if (s->coverage_note)
            as_add_note(r, rep, "%s", s->coverage_note);
        if (ci->kind->monthly && s->missing && strcmp(s->missing, "none"))
            as_add_note(r, rep, "Partial period: input %s has no rows for %s", inp->name,
                        s->missing);
    }
    if (!st)
        as_stage(r, "computed %zu indicators", c->nindicators);
    return st;
}

/* An input's rows as its kind read them, their tallies and map points. */
static void free_input_rows(as_input *s)
{
    csa_table_free(s->table);
    as_thin_free(s->thin);
    s->table = NULL, s->thin = NULL;
    if (s->points) {
        as_points *p = s->points;
        free(p->x), free(p->y), free(p->type), free(p->grid), free(p->lsoa);
        p->x = p->y = NULL, p->type = NULL, p->grid = NULL, p->lsoa = NULL;
        p->n = p->cap = 0;
    }
}

/* The police inputs' rows, once every figure has been made of them (the
 * outputs read the reports alone): freed before the outputs, whose
 * pictures kept for the workbook and the page are the run's other peak (a
 * 6,000,000-row history's 830,000 rows of the area: 47 MB). */
static void free_rows(csa_assess *r)
{
    for (size_t i = 0; i < r->cfg->ninputs; i++)
        if (csa_kind_for_spec(r->cfg->inputs[i].spec->name) == &csa_kind_police)
            free_input_rows(&r->in[i]);
}

csa_status csa_assess_compute(csa_assess *r, csa_error *err)
{
    const csa_config *c = r->cfg;
    csa_status st = compute_indicators(r);
    if (st)
        return finish(r, st, err);
    csa_assessment *a = &r->result;
    *a = (csa_assessment){
        .title = c->title, .period = c->period_label, .comparator = c->comparator,
        .version = CSA_VERSION, .run_time = csa_run_time(), .config = c->path,
        .indicators = r->reports, .nindicators = c->nindicators,
        .findings = r->findings_rows, .method_notes = METHOD_NOTES,
        .nmethod_notes = sizeof METHOD_NOTES / sizeof METHOD_NOTES[0]};
    const char *vintages = as_vintage_note(r), *suppressed = as_disclosure_note(r);
    const char *maps = as_map_note(r);
    const char *digests = r->digests_reused ? as_fmt(r, DIGEST_NOTE, r->digests_reused,
                                                     r->digests_reused == 1 ? "" : "s") : NULL;
    if (vintages || digests || suppressed || maps) { /* after the note on LSOAs with no population row */
        const char **notes = as_calloc(r, a->nmethod_notes + 4, sizeof *notes);
        if (!notes)
            return finish(r, CSA_ERR_NOMEM, err);
        memcpy(notes, METHOD_NOTES, sizeof METHOD_NOTES);
        if (vintages)
            notes[a->nmethod_notes++] = vintages;
        if (digests)
            notes[a->nmethod_notes++] = digests;
        if (suppressed)
            notes[a->nmethod_notes++] = suppressed;
        if (maps)
            notes[a->nmethod_notes++] = maps;
        a->method_notes = notes;
    }
    a->area = c->la_code ? as_fmt(r, "%s (%s)", c->area_name, c->la_code)
                         : as_fmt(r, "%s (%zu LSOAs)", c->area_name, r->nlsoas);
    st = as_score_priorities(r);
    if (!st)
        free_rows(r);
    return finish(r, st, err);
}

csa_status csa_assess_write(csa_assess *r, csa_error *err)
{
    return finish(r, as_write_outputs(r), err);
}

csa_status csa_assess_run(const csa_config *cfg, const csa_assess_options *opt,
                          csa_assess **out, csa_error *err)
{
    csa_status st = csa_assess_create(cfg, opt, out, err);
    if (!st)
        st = csa_assess_validate(*out, err);
    if (!st)
        st = csa_assess_read(*out, err);
    if (!st)
        st = csa_assess_compute(*out, err);
    if (!st)
        st = csa_assess_write(*out, err);
    return st;
}

const csa_assessment *csa_assess_result(const csa_assess *r)
{
    return &r->result;
}

const char *csa_assess_out_dir(const csa_assess *r)
{
    return r->out_dir;
}

void csa_assess_free(csa_assess *r)
{
    if (!r)
        return;
    as_geo_free(r); /* a run stopped before its maps */
    as_dissolve_free(r);
    as_ahead_free(r);
    csa_digests_free(r->digests); /* first: it borrows paths kept until the end */
    csa_register_close(r->reg);
    if (r->in)
        for (size_t i = 0; i < r->cfg->ninputs; i++) {
            for (size_t f = 0; r->in[i].checked && f < r->cfg->inputs[i].files.n; f++)
                csa_validation_free(r->in[i].checked[f]);
            csa_validation_free(r->in[i].coverage);
            free_input_rows(&r->in[i]);
        }
    for (size_t i = 0; i < r->ntables; i++)
        csa_table_free(r->tables[i]);
    free(r->tables);
    for (size_t i = 0; i < r->nkeep; i++)
        free(r->keep[i]);
    free(r->keep);
    csa_table_free(r->findings_rows);
    csa_table_free(r->imd);
    csa_table_free(r->pop);
    free(r);
}
