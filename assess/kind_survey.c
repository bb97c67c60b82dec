/* Survey: the weighted share of respondents giving one of the chosen
 * answers to a question, overall and by group. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

static csa_status survey_indicator(csa_assess *r, const csa_config_indicator *ci, csa_indicator_report *rep,
                                   as_extra *x)
{
    const csa_table *t = r->in[ci->input].table;
    const csa_spec *spec = r->cfg->inputs[ci->input].spec;
    const char *cfg = r->cfg->path;
    size_t q = as_survey_column(spec, t, ci->question), w = as_survey_column(spec, t, as_role_name(spec, CSA_ROLE_WEIGHT));
    size_t n = csa_table_nrows(t);
    if (q == CSA_NO_ROW)
        return csa_error_set(&r->err, CSA_ERR_USAGE, cfg, (uint64_t)ci->line, 0, "question",
                             ci->question, "[indicator.%s]: the survey has no column '%s'",
                             ci->name, ci->question);
    double *answer = as_calloc(r, n, sizeof *answer), *weight = as_calloc(r, n, sizeof *weight);
    csa_status st = CSA_OK;
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const char *a = as_text(t, q, i), *ws = as_text(t, w, i);
        answer[i] = NAN;
        /* with the config's answers, any other text is 0: it cannot fail */
        if (a && (st = csa_survey_answer_read(a, strlen(a), (const char *const *)ci->answers.v,
                                              ci->answers.n, &answer[i], &r->err)))
            return st;
        if (!ws || !csa_parse_double(ws, strlen(ws), &weight[i]))
            weight[i] = 0; /* validation stops a bad weight; a blank one is no response */
        if (r->in[ci->input].in_area && !r->in[ci->input].in_area[i])
            weight[i] = 0, answer[i] = NAN; /* lives outside the area */
    }
    csa_survey_proportion all;
    st = csa_survey_proportion_compute(n, answer, weight, &as_level95, &all, &r->err);
    if (st)
        return st;
    rep->count = (double)all.yes, rep->denominator = (double)all.respondents;
    rep->value = all.p.value * 100, rep->lower = all.p.lower[0] * 100;
    rep->upper = all.p.upper[0] * 100;
    rep->comparator_value = ci->comparator_value;
    as_compare(r, rep);
    if (!r->in[ci->input].in_area)
        as_add_note(r, rep, "Every respondent is taken to live in %s: [input.%s] has no lookup "
                    "of its area codes to LAs, so where they live is not checked",
                    r->cfg->area_name, r->cfg->inputs[ci->input].name);
    rep->trend = "One wave: no trend";
    x->direction = 2;
    x->direction_text = "One wave";
    x->deprivation_ratio = NAN;

    /* by group */
    size_t cap = 1 + 64 * ci->by.n, ng = 0;
    const char **gl = as_calloc(r, cap, sizeof *gl), **gh = as_calloc(r, cap, sizeof *gh);
    double *gv = as_calloc(r, cap, sizeof *gv), *glo = as_calloc(r, cap, sizeof *glo);
    double *ghi = as_calloc(r, cap, sizeof *ghi), *gn = as_calloc(r, cap, sizeof *gn);
    double *geff = as_calloc(r, cap, sizeof *geff);
    uint32_t *group = as_calloc(r, n, sizeof *group);
    csa_survey_proportion *gp = as_calloc(r, 64, sizeof *gp);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    gl[ng] = "All respondents", gh[ng] = "All", gv[ng] = rep->value, glo[ng] = rep->lower;
    ghi[ng] = rep->upper, gn[ng] = (double)all.respondents, geff[ng++] = all.n_eff;
    for (size_t b = 0; b < ci->by.n; b++) {
        size_t c = as_survey_column(spec, t, ci->by.v[b]);
        if (c == CSA_NO_ROW)
            return csa_error_set(&r->err, CSA_ERR_USAGE, cfg, (uint64_t)ci->line, 0, "by",
                                 ci->by.v[b], "[indicator.%s]: the survey has no column '%s'",
                                 ci->name, ci->by.v[b]);
        const csa_dict *d = csa_table_dict(t, c);
        size_t groups = csa_dict_size(d);
        if (groups > 64)
            return csa_error_set(&r->err, CSA_ERR_LIMIT, cfg, (uint64_t)ci->line, 0, "by",
                                 ci->by.v[b], "[indicator.%s]: '%s' has %zu groups; at most 64",
                                 ci->name, ci->by.v[b], groups);
        /* groups in their text order, so "16-24" comes before "25-34" */
        uint32_t order[64];
        for (uint32_t g = 0; g < groups; g++) {
            uint32_t k = g;
            while (k > 0 && strcmp(csa_dict_string(d, order[k - 1], NULL),
                                   csa_dict_string(d, g, NULL)) > 0)
                order[k] = order[k - 1], k--;
            order[k] = g;
        }
        for (size_t i = 0; i < n; i++)
            group[i] = csa_table_valid(t, c, i) ? csa_table_codes(t, c)[i] : CSA_SURVEY_NO_GROUP;
        if ((st = csa_survey_by_group(n, answer, weight, group, groups, &as_level95, gp, &r->err)))
            return st;
        for (size_t k = 0; k < groups; k++) {
            const csa_survey_proportion *p = &gp[order[k]];
            gl[ng] = csa_dict_string(d, order[k], NULL), gh[ng] = csa_table_column_name(t, c);
            gv[ng] = p->p.value * 100, glo[ng] = p->p.lower[0] * 100;
            ghi[ng] = p->p.upper[0] * 100, gn[ng] = (double)p->respondents;
            geff[ng++] = p->n_eff;
        }
    }
    /* the lowest and highest groups, of those big enough to say so */
    enum { MIN_GROUP = 30 };
    size_t lo_i = 0, hi_i = 0;
    for (size_t i = 1; i < ng; i++) {
        if (isnan(gv[i]) || gn[i] < MIN_GROUP)
            continue;
        lo_i = !lo_i || gv[i] < gv[lo_i] ? i : lo_i;
        hi_i = !hi_i || gv[i] > gv[hi_i] ? i : hi_i;
    }
    char answered[32];
    csa_format_number((double)all.respondents, 0, answered, sizeof answered);
    const char *gap = lo_i && lo_i != hi_i
                          ? as_fmt(r, "; lowest: %s %s (%.1f%%), highest: %s %s (%.1f%%)", gh[lo_i],
                                 gl[lo_i], gv[lo_i], gh[hi_i], gl[hi_i], gv[hi_i])
                          : "";
    as_reading(r, rep, as_fmt(r, " of respondents (%s answered)%s", answered, gap));

    csa_chart *chart = as_calloc(r, 1, sizeof *chart);
    csa_report_table *tab = as_calloc(r, 1, sizeof *tab);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    *chart = csa_chart_init(CSA_CHART_SURVEY);
    as_chart_text(r, chart, rep->title, "Weighted % of respondents", "Group",
                   as_fmt(r, "Source: community safety survey (%s). Bars: weighted %%; whiskers: "
                           "95%% Wilson intervals on the effective sample size", rep->source));
    chart->n = ng, chart->labels = gl, chart->groups = gh, chart->values = gv;
    chart->lower = glo, chart->upper = ghi;
    rep->charts = chart, rep->ncharts = 1;
    as_col cols[] = {AS_TEXT("Breakdown", gh), AS_TEXT("Group", gl), AS_NUM("Percent", gv),
                  AS_NUM("Lower 95% CI", glo), AS_NUM("Upper 95% CI", ghi),
                  AS_WHOLE("Respondents", gn), AS_NUM("Effective sample size", geff)};
    *tab = (csa_report_table){as_fmt(r, "%s by group", rep->title), as_table(r, ng, cols, 7), 1,
                              CSA_NATIVE_BAR, "Group", "Percent", "Lower 95% CI", "Upper 95% CI",
                              NULL, NULL, NULL, 0};
    rep->tables = tab, rep->ntables = 1;
    return r->nomem ? CSA_ERR_NOMEM : CSA_OK;
}

/* Where the rows of a police-street input went, and the months it covers. */

/* A survey is one file, read whole as text: its questions are columns
 * the config names. */
static csa_status read_survey(csa_assess *r, size_t i)
{
    const csa_config_input *ci = &r->cfg->inputs[i];
    as_input *s = &r->in[i];
    if (ci->files.n != 1)
        return csa_error_set(&r->err, CSA_ERR_USAGE, r->cfg->path, (uint64_t)ci->line, 0,
                             "files", NULL, "[input.%s]: a survey is one file", ci->name);
    csa_source src;
    if (csa_source_open_file(&src, ci->files.v[0], &r->err))
        return r->err.status;
    csa_status st = csa_ingest_any(&src, NULL, 0, false, &s->table, NULL, &r->err);
    csa_source_close(&src);
    if (!st)
        s->accepted = csa_table_nrows(s->table);
    return st;
}

static csa_status compute_survey(csa_assess *r, size_t i)
{
    return survey_indicator(r, &r->cfg->indicators[i], &r->reports[i], &r->extra[i]);
}

const csa_kind csa_kind_survey = {
    .name = "survey",
    .spec = "survey",
    .theme = "Survey",
    .multiplier = 100,
    .unit = "%",
    .method = "Weighted proportion; 95% Wilson interval on Kish's effective sample size",
    .read = read_survey,
    .compute = compute_survey,
    .candidate = false,
    .computes = "weighted share of respondents answering one of `answers` to `question`",
};
