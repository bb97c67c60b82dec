/* csa calc: a method applied to any CSV table, so that an analyst can put
 * intervals on a table they already have. Methods are rows of a table. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

enum { MAX_BY = 4 };

typedef struct calc_args {
    const char *count, *denominator, *value, *answer, *weight, *lower, *upper, *band;
    double comparator;
    csa_polarity polarity;
    csa_funnel_kind funnel_kind;
    unsigned long seed;
    csa_spc_chart chart;
    size_t baseline;
    bool proportion_trend;
    const char *by[MAX_BY];
    size_t nby;
    double per;
    csa_levels levels;
    int decimals;
} calc_args;

/* One result: a value and its limits for every level, or why there is none. */
typedef csa_status (*estimate_fn)(const calc_args *a, double count, double denominator,
                                  csa_estimate *out, const char **note, csa_error *err);

typedef struct method {
    const char *name;
    const char *summary;
    const char *value_name; /* "Rate per %s" with the multiplier */
    double default_per;
    const char *reference;
    estimate_fn estimate;
} method;

static csa_status estimate_rate(const calc_args *a, double count, double denominator,
                                csa_estimate *out, const char **note, csa_error *err)
{
    csa_status st = csa_rate_estimate(count, denominator, a->per, &a->levels, out, err);
    if (!st && (out->flags & CSA_RATE_NO_DENOMINATOR))
        *note = "no denominator: no rate";
    return st;
}

static csa_status estimate_proportion(const calc_args *a, double count, double denominator,
                                      csa_estimate *out, const char **note, csa_error *err)
{
    if (!(denominator > 0)) {
        out->value = NAN;
        for (size_t l = 0; l < a->levels.n; l++)
            out->lower[l] = out->upper[l] = NAN;
        *note = "no denominator: no proportion";
        return CSA_OK;
    }
    for (size_t l = 0; l < a->levels.n; l++) {
        double lo, hi;
        csa_status st = csa_wilson_ci(count, denominator, a->levels.level[l], &lo, &hi, err);
        if (st)
            return st;
        out->lower[l] = lo * a->per;
        out->upper[l] = hi * a->per;
    }
    out->value = count / denominator * a->per;
    return CSA_OK;
}

static const method methods[] = {
    {"rate", "crude rate per 1,000 (or --per N) with Byar's interval, exact below 10 events",
     "Rate per %s", 1000,
     "Byar's method (Breslow and Day 1987), exact Poisson limits below 10 events, as in "
     "PHEindicatormethods' phe_rate and OHID Fingertips.", estimate_rate},
    {"proportion", "proportion as a percentage (--per 100) or fraction (--per 1), Wilson interval",
     "Proportion per %s", 100,
     "Wilson score interval (Wilson 1927), as in PHEindicatormethods' phe_proportion and "
     "OHID Fingertips.", estimate_proportion},
};
enum { NMETHODS = sizeof methods / sizeof methods[0] };

static const char help[] =
    "Usage: csa calc METHOD --count COL --denominator COL [--per N] [--level 95,99.8]\n"
    "                [--by COL[,COL...]] [--decimals N] [FILE]\n"
    "\n"
    "Applies a method to every row of a CSV table (FILE, or standard input) and\n"
    "writes the table with the method's columns added to standard output. With\n"
    "--by, rows are first added up within each group of those columns, and one\n"
    "row per group is written.\n"
    "\n"
    "Methods:\n"
    "  rate        crude rate per 1,000 (or --per N) with Byar's interval, exact\n"
    "              Poisson below 10 events (PHEindicatormethods phe_rate, Fingertips)\n"
    "  proportion  proportion as a percentage (--per 100, the default) or fraction\n"
    "              (--per 1) with Wilson's score interval (phe_proportion)\n"
    "  spc         statistical process control of --value COL in row order (each\n"
    "              --by group its own series): --chart xmr (limits at mean +-\n"
    "              2.66 x mean moving range) or c (mean +- 3 sqrt(mean)), limits\n"
    "              from the first --baseline N points (default all); each row gets\n"
    "              the centre, limits and the Making Data Count rules that fire\n"
    "              (NHSRplotthedots)\n"
    "  trend       Fingertips' recent-trend test on the last five rows of each\n"
    "              --by group: rates from --count and --denominator (or with\n"
    "              --kind proportion, proportions); chi-square on the weighted\n"
    "              slope at 99.8%, and no trend if leaving out any point turns it\n"
    "              (PHEindicatormethods assign_trend_markers)\n"
    "  dsr         directly standardised rate per 100,000 (--per) by Dobson's method\n"
    "              with the European Standard Population 2013 aggregated to the\n"
    "              table's age bands (--band COL: 0-4, 0 to 15, 90+; F/M prefixes are\n"
    "              added together), one per --by group; suppressed below 10 events\n"
    "              (PHEindicatormethods calculate_dsr)\n"
    "  compare     each row's --lower/--upper interval against --comparator N, by\n"
    "              --polarity low (crime), high (feel safe) or none: better, similar\n"
    "              or worse and the RAG colour (Fingertips' benchmarking rule)\n"
    "  funnel      each row against the funnel around the table's average: its\n"
    "              significance at 95% and 99.8% (and, for --kind proportion, the\n"
    "              limits at its denominator); --kind rate (per --per, default\n"
    "              1,000) or proportion (PHEindicatormethods calculate_funnel_limits,\n"
    "              assign_funnel_significance)\n"
    "  sii         slope and relative index of inequality of rates from --count and\n"
    "              --denominator, one row per deprivation quantile, most deprived\n"
    "              first (phe_sii: weighted regression on the cumulative population\n"
    "              midpoints, 100,000 simulations from --seed for the intervals)\n"
    "  survey      weighted percentage answering yes (--answer COL: Yes/No or 1/0,\n"
    "              blank for no answer) with --weight COL: Kish effective sample\n"
    "              size, design effect, Wilson interval on the effective size\n"
    "\n"
    "Options:\n"
    "  --count COL        the column of counts (events, numerator)\n"
    "  --denominator COL  the column of denominators (population, sample)\n"
    "  --per N            multiplier (rate: 1000; proportion: 100)\n"
    "  --level L[,L]      confidence levels in percent (default 95,99.8)\n"
    "  --by COL[,COL]     add rows up within groups of these columns first\n"
    "  --decimals N       places written for results (default 6)\n"
    "  --value COL        spc: the column of values\n"
    "  --chart xmr|c      spc: the kind of chart (default xmr)\n"
    "  --baseline N       spc: points of each series that set the limits\n"
    "  --kind rate|proportion  trend: what the counts are (default rate)\n"
    "  --seed N           sii: the simulation's seed (default 1)\n"
    "  --band COL         dsr: the age bands\n"
    "  --lower/--upper COL  compare: the interval's columns\n"
    "  --comparator N     compare: the comparator's value (England's, say)\n"
    "  --polarity P       compare: low, high or none (default low: lower is better)\n"
    "  --answer COL       survey: the answers\n"
    "  --weight COL       survey: the respondents' weights\n"
    "\n"
    "Numbers may have thousands separators; *, .. and c mark suppressed values,\n"
    "which give no result. A bad or negative number stops with its file, line,\n"
    "column and value. Exit status: 0 done, 2 bad usage or input.\n"
    "\n"
    "Example:\n"
    "  csa calc rate --count Count --denominator Population --per 1000 \\\n"
    "      --level 95,99.8 --by Area < in.csv > out.csv\n";

static bool parse_levels(const char *s, csa_levels *out)
{
    out->n = 0;
    while (*s && out->n < CSA_MAX_LEVELS) {
        char *end;
        double l = strtod(s, &end);
        if (end == s || !(l > 0 && l < 100))
            return false;
        out->level[out->n++] = l;
        s = end;
        if (*s == ',')
            s++;
        else if (*s)
            return false;
    }
    return out->n > 0 && !*s;
}

static bool split_by(char *s, calc_args *a)
{
    for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ",")) {
        if (a->nby == MAX_BY)
            return false;
        a->by[a->nby++] = tok;
    }
    return a->nby > 0;
}

/* Gives back a finished output table, or frees it; an error always says
 * what happened, also when it came from a table operation. */
static csa_status hand_over(csa_table *t, csa_status st, csa_table **out, csa_error *err)
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

/* The input's columns, as text: numbers come back as short as they go. */
static csa_status add_text_columns(csa_table *t, const csa_table *in)
{
    csa_status st = CSA_OK;
    for (size_t c = 0; c < csa_table_ncols(in) && !st; c++)
        st = csa_table_add_column(t, csa_table_column_name(in, c), CSA_STRING);
    return st;
}

/* The output: the input's columns (or the --by columns and the sums), then
 * the method's. */
static csa_status make_output(const method *m, const calc_args *a, const csa_table *in,
                              csa_table **out, csa_error *err)
{
    char per[32], name[96];
    csa_format_number(a->per, 0, per, sizeof per);
    csa_table *t = csa_table_create();
    csa_status st = t ? CSA_OK : CSA_ERR_NOMEM;
    if (a->nby) {
        for (size_t b = 0; b < a->nby && !st; b++)
            st = csa_table_add_column(t, a->by[b], CSA_STRING);
        if (!st)
            st = csa_table_add_column(t, a->count, CSA_DOUBLE);
        if (!st)
            st = csa_table_add_column(t, a->denominator, CSA_DOUBLE);
    } else {
        st = add_text_columns(t, in);
    }
    snprintf(name, sizeof name, m->value_name, per);
    if (!st)
        st = csa_table_add_column(t, name, CSA_DOUBLE);
    for (size_t l = 0; l < a->levels.n && !st; l++) {
        snprintf(name, sizeof name, "Lower %g%% CI", a->levels.level[l]);
        st = csa_table_add_column(t, name, CSA_DOUBLE);
        snprintf(name, sizeof name, "Upper %g%% CI", a->levels.level[l]);
        if (!st)
            st = csa_table_add_column(t, name, CSA_DOUBLE);
    }
    if (!st)
        st = csa_table_add_column(t, "Note", CSA_STRING);
    return hand_over(t, st, out, err);
}

/* An input cell as text; buf holds a number's digits until the row is kept. */
static void copy_value(const csa_table *in, size_t c, size_t r, csa_value *v, char buf[32])
{
    memset(v, 0, sizeof *v);
    v->missing = !csa_table_valid(in, c, r);
    if (v->missing)
        return;
    if (csa_table_column_type(in, c) == CSA_DOUBLE) {
        int n = snprintf(buf, 32, "%.15g", csa_table_doubles(in, c)[r]);
        v->v.str.s = buf;
        v->v.str.len = (size_t)n;
    } else {
        size_t len;
        v->v.str.s = csa_dict_string(csa_table_dict(in, c), csa_table_codes(in, c)[r], &len);
        v->v.str.len = len;
    }
}

/* Appends one result row: `lead` values first, then the estimate. */
static csa_status append_result(const method *m, const calc_args *a, csa_table *out,
                                csa_value *row, size_t nlead, double count, double denominator,
                                bool missing, const char *where, csa_error *err)
{
    csa_estimate e = {.value = NAN};
    const char *note = NULL;
    for (size_t l = 0; l < a->levels.n; l++)
        e.lower[l] = e.upper[l] = NAN;
    if (missing) {
        note = "suppressed or missing input: no result";
    } else {
        csa_error why;
        csa_status st = m->estimate(a, count, denominator, &e, &note, &why);
        if (st)
            return csa_error_set(err, st, NULL, 0, 0, NULL, NULL, "%s: %s", where, why.message);
    }
    size_t k = nlead;
    row[k++] = (csa_value){.missing = isnan(e.value), .v.d = e.value};
    for (size_t l = 0; l < a->levels.n; l++) {
        row[k++] = (csa_value){.missing = isnan(e.lower[l]), .v.d = e.lower[l]};
        row[k++] = (csa_value){.missing = isnan(e.upper[l]), .v.d = e.upper[l]};
    }
    row[k++] = (csa_value){.missing = !note, .v.str = {note, note ? strlen(note) : 0}};
    csa_status st = csa_table_append_row(out, row, NULL);
    if (st)
        return csa_error_set(err, st, NULL, 0, 0, NULL, NULL, "%s", csa_strerror(st));
    return CSA_OK;
}

static csa_status compute(const method *m, const calc_args *a, const csa_table *in,
                          const uint64_t *lines, const char *name, csa_table *out,
                          csa_error *err)
{
    size_t cc = csa_table_find(in, a->count), dc = csa_table_find(in, a->denominator);
    size_t ncols = csa_table_ncols(out);
    csa_value *row = calloc(ncols, sizeof *row);
    csa_groups *counts = NULL, *denoms = NULL;
    csa_status st = row ? CSA_OK : CSA_ERR_NOMEM;
    char where[CSA_ERROR_FILE_MAX + 32];
    if (st)
        return csa_error_set(err, st, NULL, 0, 0, NULL, NULL, "out of memory");
    if (!a->nby) {
        char (*digits)[32] = calloc(csa_table_ncols(in), sizeof *digits);
        if (!digits)
            st = csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
        for (size_t r = 0; r < csa_table_nrows(in) && !st; r++) {
            for (size_t c = 0; c < csa_table_ncols(in); c++)
                copy_value(in, c, r, &row[c], digits[c]);
            snprintf(where, sizeof where, "%s:%llu", name, (unsigned long long)lines[r]);
            st = append_result(m, a, out, row, csa_table_ncols(in), csa_table_doubles(in, cc)[r],
                               csa_table_doubles(in, dc)[r],
                               !csa_table_valid(in, cc, r) || !csa_table_valid(in, dc, r), where,
                               err);
        }
        free(digits);
        free(row);
        return st;
    }
    size_t keys[MAX_BY];
    for (size_t b = 0; b < a->nby; b++) {
        keys[b] = csa_table_find(in, a->by[b]);
        if (keys[b] == CSA_NO_ROW || csa_table_column_type(in, keys[b]) != CSA_STRING) {
            free(row);
            return csa_error_set(err, CSA_ERR_USAGE, name, 0, 0, a->by[b], NULL,
                                 "no text column \"%s\" to group by", a->by[b]);
        }
    }
    if ((st = csa_table_group(in, keys, a->nby, cc, 0, csa_table_nrows(in), &counts, err)) ||
        (st = csa_table_group(in, keys, a->nby, dc, 0, csa_table_nrows(in), &denoms, err)))
        goto done;
    /* suppressed values would be added as nothing: refuse that silently wrong sum */
    if (csa_table_nmissing(in, cc) || csa_table_nmissing(in, dc)) {
        st = csa_error_set(err, CSA_ERR_VALUE, name, 0, 0, NULL, NULL,
                           "--by adds rows up, but %zu counts or denominators are suppressed "
                           "or blank: their groups' sums would be too low",
                           csa_table_nmissing(in, cc) + csa_table_nmissing(in, dc));
        goto done;
    }
    for (size_t cell = 0; cell < counts->ncells && !st; cell++) {
        if (!counts->counts[cell])
            continue;
        size_t rest = cell;
        for (size_t b = a->nby; b-- > 0;) {
            uint32_t code = (uint32_t)(rest % counts->sizes[b]);
            rest /= counts->sizes[b];
            size_t len;
            const char *s = csa_dict_string(csa_table_dict(in, keys[b]), code, &len);
            row[b] = (csa_value){.v.str = {s, len}};
        }
        row[a->nby] = (csa_value){.v.d = counts->sums[cell]};
        row[a->nby + 1] = (csa_value){.v.d = denoms->sums[cell]};
        snprintf(where, sizeof where, "%s: group %zu", name, cell + 1);
        st = append_result(m, a, out, row, a->nby + 2, counts->sums[cell], denoms->sums[cell],
                           false, where, err);
    }
done:
    csa_groups_free(counts);
    csa_groups_free(denoms);
    free(row);
    return st;
}

/* Each row's group (in order of first appearance) when --by is given. */
static csa_status group_rows(const calc_args *a, const csa_table *in, const char *name,
                             uint32_t **group, size_t *ngroups, csa_error *err)
{
    size_t n = csa_table_nrows(in), keys[MAX_BY];
    *group = calloc(n ? n : 1, sizeof **group);
    csa_table *ids = csa_table_create();
    csa_status st = *group && ids ? csa_table_add_column(ids, "key", CSA_STRING) : CSA_ERR_NOMEM;
    for (size_t b = 0; b < a->nby && !st; b++) {
        keys[b] = csa_table_find(in, a->by[b]);
        if (keys[b] == CSA_NO_ROW || csa_table_column_type(in, keys[b]) != CSA_STRING) {
            csa_table_free(ids);
            return csa_error_set(err, CSA_ERR_USAGE, name, 0, 0, a->by[b], NULL,
                                 "no text column \"%s\" to group by", a->by[b]);
        }
    }
    char key[4 * (CSA_STRING_MAX + 1)];
    for (size_t r = 0; r < n && !st; r++) {
        size_t len = 0;
        for (size_t b = 0; b < a->nby; b++) {
            size_t l = 0;
            const char *s = csa_table_valid(in, keys[b], r)
                                ? csa_dict_string(csa_table_dict(in, keys[b]),
                                                  csa_table_codes(in, keys[b])[r], &l) : "";
            memcpy(key + len, s, l);
            len += l;
            key[len++] = '\x1f'; /* a separator no CSV value holds */
        }
        csa_value v = {.v.str = {key, len}};
        if (!(st = csa_table_append_row(ids, &v, NULL)))
            (*group)[r] = csa_table_codes(ids, 0)[r];
    }
    *ngroups = ids ? csa_dict_size(csa_table_dict(ids, 0)) : 0;
    if (!a->nby)
        *ngroups = n ? 1 : 0;
    csa_table_free(ids);
    if (st)
        return csa_error_set(err, st, NULL, 0, 0, NULL, NULL, "%s", csa_strerror(st));
    return CSA_OK;
}

/* csa calc spc: each row with its series' centre, limits and rules. */
static csa_status calc_spc(const calc_args *a, const csa_table *in, const char *name,
                           csa_table **out, csa_error *err)
{
    size_t n = csa_table_nrows(in), vc = csa_table_find(in, a->value), ngroups;
    uint32_t *group = NULL;
    double *series = malloc((n ? n : 1) * sizeof *series);
    size_t *rows = malloc((n ? n : 1) * sizeof *rows);
    unsigned *rules = malloc((n ? n : 1) * sizeof *rules);
    csa_spc_limits *limits = malloc((n ? n : 1) * sizeof *limits);
    unsigned *mask = calloc(n ? n : 1, sizeof *mask);
    csa_value *row = calloc(csa_table_ncols(in) + 5, sizeof *row);
    char (*digits)[32] = calloc(csa_table_ncols(in) + 1, sizeof *digits);
    csa_table *t = csa_table_create();
    csa_status st = series && rows && rules && limits && mask && row && digits && t
                        ? group_rows(a, in, name, &group, &ngroups, err)
                        : csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    for (size_t g = 0; g < ngroups && !st; g++) {
        size_t m = 0;
        for (size_t r = 0; r < n; r++)
            if (!a->nby || group[r] == g) {
                rows[m] = r;
                series[m++] = csa_table_valid(in, vc, r) ? csa_table_doubles(in, vc)[r] : NAN;
            }
        csa_spc_options o = {.chart = a->chart, .baseline_length = a->baseline < m ? a->baseline : 0};
        csa_spc_limits lim;
        csa_error why;
        if ((st = csa_spc_compute(series, m, &o, &lim, rules, NULL, 0, NULL, &why))) {
            st = csa_error_set(err, st, name, 0, 0, a->value, NULL, "%s%s%s", why.message,
                               a->nby ? " (in a --by group)" : "", "");
            break;
        }
        for (size_t i = 0; i < m; i++) {
            limits[rows[i]] = lim;
            mask[rows[i]] = rules[i];
        }
    }
    static const char *const names[] = {"Centre", "Lower limit", "Upper limit", "Rules"};
    if (!st)
        st = add_text_columns(t, in);
    for (size_t k = 0; k < 4 && !st; k++)
        st = csa_table_add_column(t, names[k], k < 3 ? CSA_DOUBLE : CSA_STRING);
    for (size_t r = 0; r < n && !st; r++) {
        size_t k = csa_table_ncols(in);
        for (size_t c = 0; c < k; c++)
            copy_value(in, c, r, &row[c], digits[c]);
        const csa_spc_limits *l = &limits[r];
        row[k] = (csa_value){.missing = isnan(l->centre), .v.d = l->centre};
        row[k + 1] = (csa_value){.missing = isnan(l->lower), .v.d = l->lower};
        row[k + 2] = (csa_value){.missing = isnan(l->upper), .v.d = l->upper};
        char text[160] = "";
        for (unsigned bit = 1; bit <= CSA_SPC_TWO_OF_THREE; bit <<= 1)
            if (mask[r] & bit)
                snprintf(text + strlen(text), sizeof text - strlen(text), "%s%s",
                         text[0] ? "; " : "", csa_spc_rule_name(bit));
        row[k + 3] = (csa_value){.missing = !text[0], .v.str = {text, strlen(text)}};
        st = csa_table_append_row(t, row, NULL); /* hand_over words a failure */
    }
    free(group);
    free(series);
    free(rows);
    free(rules);
    free(limits);
    free(mask);
    free(row);
    free(digits);
    return hand_over(t, st, out, err);
}

/* csa calc trend: one row per group with its recent trend. */
static csa_status calc_trend(const calc_args *a, const csa_table *in, const char *name,
                             csa_table **out, csa_error *err)
{
    size_t n = csa_table_nrows(in), ngroups;
    size_t cc = csa_table_find(in, a->count), dc = csa_table_find(in, a->denominator);
    uint32_t *group = NULL;
    double *num = malloc((n ? n : 1) * sizeof *num), *den = malloc((n ? n : 1) * sizeof *den);
    size_t *first_row = malloc((n ? n : 1) * sizeof *first_row);
    csa_table *t = csa_table_create();
    csa_value row[MAX_BY + 6];
    csa_status st = num && den && first_row && t
                        ? group_rows(a, in, name, &group, &ngroups, err)
                        : csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    static const char *const names[] = {"Points", "Trend", "Reason", "Chi-square", "p-value",
                                        "Slope"};
    for (size_t b = 0; b < a->nby && !st; b++)
        st = csa_table_add_column(t, a->by[b], CSA_STRING);
    for (size_t k = 0; k < 6 && !st; k++)
        st = csa_table_add_column(t, names[k], k == 1 || k == 2 ? CSA_STRING : k ? CSA_DOUBLE
                                                                                 : CSA_INT64);
    for (size_t g = 0; g < ngroups && !st; g++) {
        size_t m = 0;
        for (size_t r = 0; r < n; r++)
            if (!a->nby || group[r] == g) {
                if (!m)
                    first_row[g] = r;
                num[m] = csa_table_valid(in, cc, r) ? csa_table_doubles(in, cc)[r] : NAN;
                den[m++] = csa_table_valid(in, dc, r) ? csa_table_doubles(in, dc)[r] : NAN;
            }
        csa_recent_trend tr;
        csa_error why;
        st = a->proportion_trend ? csa_recent_trend_proportion(num, den, NULL, m, &tr, &why)
                                 : csa_recent_trend_rate(num, den, NULL, m, a->per, &tr, &why);
        if (st) {
            st = csa_error_set(err, st, name, 0, 0, NULL, NULL, "%s", why.message);
            break;
        }
        for (size_t b = 0; b < a->nby; b++) {
            size_t key = csa_table_find(in, a->by[b]), len = 0;
            const char *s = csa_table_valid(in, key, first_row[g])
                                ? csa_dict_string(csa_table_dict(in, key),
                                                  csa_table_codes(in, key)[first_row[g]], &len)
                                : "";
            row[b] = (csa_value){.missing = !len, .v.str = {s, len}};
        }
        const char *label = csa_trend_marker_label(tr.marker);
        const char *reason = csa_trend_reason_text(tr.reason);
        size_t k = a->nby;
        row[k++] = (csa_value){.v.i = (int64_t)(m < 5 ? m : 5)};
        row[k++] = (csa_value){.v.str = {label, strlen(label)}};
        row[k++] = (csa_value){.missing = !reason || !*reason,
                               .v.str = {reason, reason ? strlen(reason) : 0}};
        row[k++] = (csa_value){.missing = isnan(tr.chi_square), .v.d = tr.chi_square};
        row[k++] = (csa_value){.missing = isnan(tr.p_value), .v.d = tr.p_value};
        row[k++] = (csa_value){.missing = isnan(tr.slope), .v.d = tr.slope};
        st = csa_table_append_row(t, row, NULL); /* hand_over words a failure */
    }
    free(group);
    free(num);
    free(den);
    free(first_row);
    return hand_over(t, st, out, err);
}

/* Limit columns "Lower 95% CI" ... for a name such as "SII". */
static csa_status add_limit_columns(csa_table *t, const char *what, const csa_levels *levels)
{
    csa_status st = CSA_OK;
    char name[96];
    for (size_t l = 0; l < levels->n && !st; l++) {
        snprintf(name, sizeof name, "%s lower %g%% CI", what, levels->level[l]);
        st = csa_table_add_column(t, name, CSA_DOUBLE);
        snprintf(name, sizeof name, "%s upper %g%% CI", what, levels->level[l]);
        if (!st)
            st = csa_table_add_column(t, name, CSA_DOUBLE);
    }
    return st;
}

static size_t put_estimate(csa_value *row, size_t k, const csa_estimate *e, size_t nlevels)
{
    row[k++] = (csa_value){.missing = isnan(e->value), .v.d = e->value};
    for (size_t l = 0; l < nlevels; l++) {
        row[k++] = (csa_value){.missing = isnan(e->lower[l]), .v.d = e->lower[l]};
        row[k++] = (csa_value){.missing = isnan(e->upper[l]), .v.d = e->upper[l]};
    }
    return k;
}

/* The --by values of a group, from its first row. */
static size_t put_group(const calc_args *a, const csa_table *in, size_t r, csa_value *row)
{
    for (size_t b = 0; b < a->nby; b++) {
        size_t key = csa_table_find(in, a->by[b]), len = 0;
        const char *s = csa_table_valid(in, key, r)
                            ? csa_dict_string(csa_table_dict(in, key), csa_table_codes(in, key)[r], &len)
                            : "";
        row[b] = (csa_value){.missing = !len, .v.str = {s, len}};
    }
    return a->nby;
}

/* csa calc sii: one row per group from its quantiles, most deprived first. */
static csa_status calc_sii(const calc_args *a, const csa_table *in, const char *name,
                           csa_table **out, csa_error *err)
{
    size_t n = csa_table_nrows(in), ngroups;
    size_t cc = csa_table_find(in, a->count), dc = csa_table_find(in, a->denominator);
    uint32_t *group = NULL;
    double *count = malloc((n ? n : 1) * sizeof *count), *pop = malloc((n ? n : 1) * sizeof *pop);
    csa_value *row = calloc(MAX_BY + 4 + 4 * CSA_MAX_LEVELS, sizeof *row);
    csa_table *t = csa_table_create();
    csa_status st = count && pop && row && t
                        ? group_rows(a, in, name, &group, &ngroups, err)
                        : csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    for (size_t b = 0; b < a->nby && !st; b++)
        st = csa_table_add_column(t, a->by[b], CSA_STRING);
    if (!st)
        st = csa_table_add_column(t, "Quantiles", CSA_INT64);
    if (!st)
        st = csa_table_add_column(t, "SII", CSA_DOUBLE);
    if (!st)
        st = add_limit_columns(t, "SII", &a->levels);
    if (!st)
        st = csa_table_add_column(t, "RII", CSA_DOUBLE);
    if (!st)
        st = add_limit_columns(t, "RII", &a->levels);
    for (size_t g = 0; g < ngroups && !st; g++) {
        size_t m = 0, first = 0;
        for (size_t r = 0; r < n; r++)
            if (!a->nby || group[r] == g) {
                first = m ? first : r;
                count[m] = csa_table_valid(in, cc, r) ? csa_table_doubles(in, cc)[r] : NAN;
                pop[m++] = csa_table_valid(in, dc, r) ? csa_table_doubles(in, dc)[r] : NAN;
            }
        csa_sii_options o;
        csa_sii_defaults(&o);
        o.levels = a->levels;
        o.seed = a->seed;
        csa_sii_result res;
        csa_error why;
        if ((st = csa_sii_rates(m, count, pop, a->per, &o, &res, &why))) {
            st = csa_error_set(err, st, name, 0, 0, NULL, NULL, "%s", why.message);
            break;
        }
        size_t k = put_group(a, in, first, row);
        row[k++] = (csa_value){.v.i = (int64_t)m};
        k = put_estimate(row, k, &res.sii, a->levels.n);
        put_estimate(row, k, &res.rii, a->levels.n);
        st = csa_table_append_row(t, row, NULL); /* hand_over words a failure */
    }
    free(group);
    free(count);
    free(pop);
    free(row);
    return hand_over(t, st, out, err);
}

/* An answer as the survey spec reads it: yes 1, no 0, blank missing. */
static bool read_answer(const char *s, double *out)
{
    static const char *const yes[] = {"yes", "y", "1", "true"}, *const no[] = {"no", "n", "0", "false"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return *out = 1, true;
        if (strcasecmp(s, no[i]) == 0)
            return *out = 0, true;
    }
    return false;
}

/* csa calc survey: weighted percentage answering yes, per group. */
static csa_status calc_survey(const calc_args *a, const csa_table *in, const uint64_t *lines,
                              const char *name, csa_table **out, csa_error *err)
{
    size_t n = csa_table_nrows(in), ngroups;
    size_t ac = csa_table_find(in, a->answer), wc = csa_table_find(in, a->weight);
    uint32_t *group = NULL;
    double *answer = malloc((n ? n : 1) * sizeof *answer), *weight = malloc((n ? n : 1) * sizeof *weight);
    size_t *first = calloc(n ? n : 1, sizeof *first);
    csa_survey_proportion *res = NULL;
    csa_value *row = calloc(MAX_BY + 6 + 2 * CSA_MAX_LEVELS, sizeof *row);
    csa_table *t = csa_table_create();
    csa_status st = answer && weight && first && row && t
                        ? group_rows(a, in, name, &group, &ngroups, err)
                        : csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    if (!st && csa_table_column_type(in, ac) != CSA_STRING)
        st = csa_error_set(err, CSA_ERR_USAGE, name, 0, 0, a->answer, NULL,
                           "--answer must not also be a numeric column");
    for (size_t r = 0; r < n && !st; r++) {
        weight[r] = csa_table_valid(in, wc, r) ? csa_table_doubles(in, wc)[r] : NAN;
        answer[r] = NAN;
        if (!csa_table_valid(in, ac, r))
            continue;
        const char *s = csa_dict_string(csa_table_dict(in, ac), csa_table_codes(in, ac)[r], NULL);
        if (!read_answer(s, &answer[r]))
            st = csa_error_set(err, CSA_ERR_VALUE, name, lines[r], ac + 1, a->answer, s,
                               "%s \"%s\" is not an answer (Yes, No, 1, 0 or blank)", a->answer, s);
    }
    if (!st) {
        res = calloc(ngroups ? ngroups : 1, sizeof *res);
        if (!res)
            st = csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    }
    if (!st) {
        for (size_t r = n; r-- > 0;)
            first[a->nby ? group[r] : 0] = r;
        csa_error why;
        if (a->nby)
            st = csa_survey_by_group(n, answer, weight, group, ngroups, &a->levels, res, &why);
        else if (n)
            st = csa_survey_proportion_compute(n, answer, weight, &a->levels, res, &why);
        if (st)
            st = csa_error_set(err, st, name, 0, 0, NULL, NULL, "%s", why.message);
    }
    static const char *const names[] = {"Respondents", "Answered yes", "Effective sample size",
                                        "Design effect", "Percent yes"};
    for (size_t b = 0; b < a->nby && !st; b++)
        st = csa_table_add_column(t, a->by[b], CSA_STRING);
    for (size_t k = 0; k < 5 && !st; k++)
        st = csa_table_add_column(t, names[k], k < 2 ? CSA_INT64 : CSA_DOUBLE);
    if (!st)
        st = add_limit_columns(t, "Percent yes", &a->levels);
    for (size_t g = 0; g < ngroups && !st; g++) {
        size_t k = put_group(a, in, first[g], row);
        csa_survey_proportion *p = &res[g];
        row[k++] = (csa_value){.v.i = (int64_t)p->respondents};
        row[k++] = (csa_value){.v.i = (int64_t)p->yes};
        row[k++] = (csa_value){.missing = isnan(p->n_eff), .v.d = p->n_eff};
        row[k++] = (csa_value){.missing = isnan(p->deff), .v.d = p->deff};
        csa_estimate pct = p->p;
        pct.value *= 100;
        for (size_t l = 0; l < a->levels.n; l++) {
            pct.lower[l] *= 100;
            pct.upper[l] *= 100;
        }
        put_estimate(row, k, &pct, a->levels.n);
        st = csa_table_append_row(t, row, NULL); /* hand_over words a failure */
    }
    free(group);
    free(answer);
    free(weight);
    free(first);
    free(res);
    free(row);
    return hand_over(t, st, out, err);
}

/* csa calc compare: each row's interval against a comparator's value. */
static csa_status calc_compare(const calc_args *a, const csa_table *in, csa_table **out,
                               csa_error *err)
{
    size_t n = csa_table_nrows(in), k = csa_table_ncols(in);
    size_t lc = csa_table_find(in, a->lower), uc = csa_table_find(in, a->upper);
    csa_value *row = calloc(k + 2, sizeof *row);
    char (*digits)[32] = calloc(k + 1, sizeof *digits), name[64];
    csa_table *t = csa_table_create();
    csa_status st = row && digits && t ? CSA_OK : CSA_ERR_NOMEM;
    snprintf(name, sizeof name, "Compared with %g", a->comparator);
    if (!st)
        st = add_text_columns(t, in);
    if (!st)
        st = csa_table_add_column(t, name, CSA_STRING);
    if (!st)
        st = csa_table_add_column(t, "RAG", CSA_STRING);
    for (size_t r = 0; r < n && !st; r++) {
        for (size_t c = 0; c < k; c++)
            copy_value(in, c, r, &row[c], digits[c]);
        double lo = csa_table_valid(in, lc, r) ? csa_table_doubles(in, lc)[r] : NAN;
        double hi = csa_table_valid(in, uc, r) ? csa_table_doubles(in, uc)[r] : NAN;
        csa_outcome o;
        if ((st = csa_compare(lo, hi, a->comparator, a->polarity, &o, err)))
            break;
        static const char *const rag[] = {"neutral", "red", "amber", "green"};
        const char *on = csa_outcome_name(o), *rn = rag[csa_outcome_rag(o, a->polarity)];
        row[k] = (csa_value){.v.str = {on, strlen(on)}};
        row[k + 1] = (csa_value){.v.str = {rn, strlen(rn)}};
        st = csa_table_append_row(t, row, NULL);
    }
    free(row);
    free(digits);
    return hand_over(t, st, out, err);
}

/* csa calc funnel: each row against the funnel around the table's average. */
static csa_status calc_funnel(const calc_args *a, const csa_table *in, const uint64_t *lines,
                              const char *name, csa_table **out, csa_error *err)
{
    size_t n = csa_table_nrows(in), k = csa_table_ncols(in);
    size_t cc = csa_table_find(in, a->count), dc = csa_table_find(in, a->denominator);
    double *num = malloc((n ? n : 1) * sizeof *num), *den = malloc((n ? n : 1) * sizeof *den);
    csa_value *row = calloc(k + 7, sizeof *row);
    char (*digits)[32] = calloc(k + 1, sizeof *digits);
    csa_table *t = csa_table_create();
    csa_status st = num && den && row && digits && t ? CSA_OK : CSA_ERR_NOMEM;
    const csa_levels levels = {2, {95, 99.8}};
    csa_funnel_spec spec = {.kind = a->funnel_kind, .multiplier = a->per, .years = 1};
    for (size_t r = 0; r < n; r++) {
        num[r] = csa_table_valid(in, cc, r) ? csa_table_doubles(in, cc)[r] : NAN;
        den[r] = csa_table_valid(in, dc, r) ? csa_table_doubles(in, dc)[r] : NAN;
    }
    double average, lo_den, hi_den;
    if (!st && n && !(st = csa_funnel_summary(num, den, n, &average, &lo_den, &hi_den, err)))
        spec.comparator = average * a->per;
    static const char *const names[] = {"Funnel centre", "Lower 95% limit", "Upper 95% limit",
                                        "Lower 99.8% limit", "Upper 99.8% limit", "Significance"};
    if (!st)
        st = add_text_columns(t, in);
    for (size_t c = 0; c < 6 && !st; c++)
        st = csa_table_add_column(t, names[c], c < 5 ? CSA_DOUBLE : CSA_STRING);
    for (size_t r = 0; r < n && !st; r++) {
        for (size_t c = 0; c < k; c++)
            copy_value(in, c, r, &row[c], digits[c]);
        /* a proportion funnel's lines at this row's denominator; a rate
         * funnel's axis is events, not a row's population, so its lines are
         * drawn (csa_funnel_limits), not listed against rows */
        double x = den[r];
        csa_funnel_point pt = {.x = x};
        bool has = a->funnel_kind == CSA_FUNNEL_PROPORTION && !isnan(x) && x >= 1 &&
                   !csa_funnel_limits(&spec, &x, 1, &levels, &pt, NULL);
        csa_funnel_signif sig = CSA_FUNNEL_NOT_APPLICABLE;
        csa_error why;
        if (!isnan(num[r]) && !isnan(den[r]) && den[r] > 0 &&
            (st = csa_funnel_significance(&spec, num[r], den[r], &sig, &why))) {
            csa_error_set(err, st, name, lines[r], 0, NULL, NULL, "%s", why.message);
            break;
        }
        const char *sn = csa_funnel_signif_name(sig);
        row[k] = (csa_value){.v.d = spec.comparator};
        for (size_t l = 0; l < 2; l++) {
            row[k + 1 + 2 * l] = (csa_value){.missing = !has, .v.d = pt.lower[l]};
            row[k + 2 + 2 * l] = (csa_value){.missing = !has, .v.d = pt.upper[l]};
        }
        row[k + 5] = (csa_value){.v.str = {sn, strlen(sn)}};
        st = csa_table_append_row(t, row, NULL);
    }
    free(num);
    free(den);
    free(row);
    free(digits);
    return hand_over(t, st, out, err);
}

/* csa calc dsr: one directly standardised rate per group from its rows of
 * age bands ("F0 to 15" and "M0 to 15" are added up as one band). */
static csa_status calc_dsr(const calc_args *a, const csa_table *in, const uint64_t *lines,
                           const char *name, csa_table **out, csa_error *err)
{
    enum { MAX_BANDS = 64 };
    size_t n = csa_table_nrows(in), ngroups;
    size_t cc = csa_table_find(in, a->count), dc = csa_table_find(in, a->denominator),
           bc = csa_table_find(in, a->band);
    uint32_t *group = NULL;
    csa_value *row = calloc(MAX_BY + 3 + 2 * CSA_MAX_LEVELS, sizeof *row);
    csa_table *t = csa_table_create();
    char per[32], value_name[64];
    csa_format_number(a->per, 0, per, sizeof per);
    snprintf(value_name, sizeof value_name, "DSR per %s", per);
    csa_status st = row && t ? group_rows(a, in, name, &group, &ngroups, err)
                             : csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    if (!st && (bc == CSA_NO_ROW || csa_table_column_type(in, bc) != CSA_STRING))
        st = csa_error_set(err, CSA_ERR_USAGE, name, 1, 0, a->band, NULL,
                           "no text column \"%s\" of age bands", a->band);
    for (size_t b = 0; b < a->nby && !st; b++)
        st = csa_table_add_column(t, a->by[b], CSA_STRING);
    if (!st)
        st = csa_table_add_column(t, a->count, CSA_DOUBLE);
    if (!st)
        st = csa_table_add_column(t, value_name, CSA_DOUBLE);
    for (size_t l = 0; l < a->levels.n && !st; l++) {
        char cname[64];
        snprintf(cname, sizeof cname, "Lower %g%% CI", a->levels.level[l]);
        st = csa_table_add_column(t, cname, CSA_DOUBLE);
        snprintf(cname, sizeof cname, "Upper %g%% CI", a->levels.level[l]);
        if (!st)
            st = csa_table_add_column(t, cname, CSA_DOUBLE);
    }
    if (!st)
        st = csa_table_add_column(t, "Note", CSA_STRING);
    for (size_t g = 0; g < ngroups && !st; g++) {
        csa_age_band bands[MAX_BANDS];
        double counts[MAX_BANDS], pops[MAX_BANDS], weights[MAX_BANDS];
        size_t nb = 0, first = SIZE_MAX;
        for (size_t r = 0; r < n && !st; r++) {
            if (a->nby && group[r] != g)
                continue;
            first = first == SIZE_MAX ? r : first;
            const char *text = csa_table_valid(in, bc, r)
                ? csa_dict_string(csa_table_dict(in, bc), csa_table_codes(in, bc)[r], NULL) : "";
            /* a sex prefix, as in "F0 to 15", belongs to the caller's split */
            const char *age = (text[0] == 'F' || text[0] == 'M') && text[1] >= '0' && text[1] <= '9'
                                  ? text + 1 : text;
            csa_age_band band;
            csa_error why;
            if (csa_age_band_parse(age, &band, &why)) {
                st = csa_error_set(err, CSA_ERR_VALUE, name, lines[r], bc + 1, a->band, text,
                                   "%s \"%s\" is not an age band (0-4, 0 to 15, 90+, 65 and over)",
                                   a->band, text);
                break;
            }
            size_t i = 0;
            while (i < nb && (bands[i].lo != band.lo || bands[i].hi != band.hi))
                i++;
            if (i == nb) {
                if (nb == MAX_BANDS) {
                    st = csa_error_set(err, CSA_ERR_LIMIT, name, lines[r], bc + 1, a->band, text,
                                       "more than %d age bands in a group", MAX_BANDS);
                    break;
                }
                bands[nb] = band;
                counts[nb] = pops[nb] = 0;
                nb++;
            }
            counts[i] += csa_table_valid(in, cc, r) ? csa_table_doubles(in, cc)[r] : NAN;
            pops[i] += csa_table_valid(in, dc, r) ? csa_table_doubles(in, dc)[r] : NAN;
        }
        if (st || !nb)
            continue;
        csa_estimate e;
        double total;
        csa_error why;
        if (csa_esp2013_aggregate(bands, nb, weights, &why) ||
            csa_dsr(counts, pops, weights, nb, a->per, &a->levels, &e, &total, &why)) {
            st = csa_error_set(err, CSA_ERR_VALUE, name, 0, 0, NULL, NULL, "%s", why.message);
            break;
        }
        size_t k = put_group(a, in, first, row);
        row[k++] = (csa_value){.v.d = total};
        k = put_estimate(row, k, &e, a->levels.n);
        const char *note = e.flags & CSA_DSR_SUPPRESSED ? "fewer than 10 events: suppressed"
                           : e.flags & CSA_RATE_NO_DENOMINATOR ? "a band has no population" : NULL;
        row[k] = (csa_value){.missing = !note, .v.str = {note, note ? strlen(note) : 0}};
        st = csa_table_append_row(t, row, NULL); /* hand_over words a failure */
    }
    free(group);
    free(row);
    return hand_over(t, st, out, err);
}

static int run(int argc, char **argv)
{
    static const struct option options[] = {
        {"count", required_argument, NULL, 'c'}, {"denominator", required_argument, NULL, 'd'},
        {"per", required_argument, NULL, 'p'}, {"level", required_argument, NULL, 'l'},
        {"by", required_argument, NULL, 'b'}, {"decimals", required_argument, NULL, 'D'},
        {"value", required_argument, NULL, 'v'}, {"chart", required_argument, NULL, 'C'},
        {"baseline", required_argument, NULL, 'B'}, {"kind", required_argument, NULL, 'k'},
        {"answer", required_argument, NULL, 'a'}, {"weight", required_argument, NULL, 'w'},
        {"seed", required_argument, NULL, 's'}, {"lower", required_argument, NULL, 'L'},
        {"upper", required_argument, NULL, 'U'}, {"comparator", required_argument, NULL, 'R'},
        {"polarity", required_argument, NULL, 'P'}, {"band", required_argument, NULL, 'A'},
        {NULL, 0, NULL, 0},
    };
    static const char methods_list[] =
        "rate, proportion, dsr, compare, funnel, spc, trend, sii and survey";
    if (argc < 2)
        return cli_usage("calc", "calc needs a METHOD: %s", methods_list);
    const method *m = NULL;
    bool spc = strcmp(argv[1], "spc") == 0, trend = strcmp(argv[1], "trend") == 0;
    bool sii = strcmp(argv[1], "sii") == 0, survey = strcmp(argv[1], "survey") == 0;
    bool dsr = strcmp(argv[1], "dsr") == 0, compare = strcmp(argv[1], "compare") == 0;
    bool funnel = strcmp(argv[1], "funnel") == 0;
    for (size_t i = 0; i < NMETHODS; i++)
        if (strcmp(methods[i].name, argv[1]) == 0)
            m = &methods[i];
    if (!m && !spc && !trend && !sii && !survey && !dsr && !compare && !funnel)
        return cli_usage("calc", "calc: no method '%s'; the methods are %s", argv[1],
                         methods_list);
    calc_args a = {.per = m ? m->default_per : trend || sii || funnel ? 1000 : dsr ? 100000 : 1,
                   .levels = {2, {95, 99.8}}, .decimals = 6, .seed = 1, .comparator = NAN,
                   .funnel_kind = CSA_FUNNEL_RATE};
    int opt;
    char *end;
    optind = 2;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (opt) {
        case 'c': a.count = optarg; break;
        case 'd': a.denominator = optarg; break;
        case 'p':
            a.per = strtod(optarg, &end);
            if (*end || !(a.per > 0))
                return cli_usage("calc", "calc: --per '%s' is not a number above 0", optarg);
            break;
        case 'l':
            if (!parse_levels(optarg, &a.levels))
                return cli_usage("calc", "calc: --level '%s' is not levels in percent such as "
                                         "95,99.8", optarg);
            break;
        case 'b':
            if (!split_by(optarg, &a))
                return cli_usage("calc", "calc: --by takes 1 to %d column names", MAX_BY);
            break;
        case 'D':
            a.decimals = (int)strtol(optarg, &end, 10);
            if (*end || a.decimals < 0 || a.decimals > 15)
                return cli_usage("calc", "calc: --decimals is 0 to 15, not '%s'", optarg);
            break;
        case 'v': a.value = optarg; break;
        case 'a': a.answer = optarg; break;
        case 'w': a.weight = optarg; break;
        case 's':
            a.seed = strtoul(optarg, &end, 10);
            if (*end)
                return cli_usage("calc", "calc: --seed is a whole number, not '%s'", optarg);
            break;
        case 'C':
            if (strcmp(optarg, "xmr") && strcmp(optarg, "c"))
                return cli_usage("calc", "calc: --chart is xmr or c, not '%s'", optarg);
            a.chart = optarg[0] == 'c' ? CSA_SPC_C : CSA_SPC_XMR;
            break;
        case 'B':
            a.baseline = (size_t)strtoul(optarg, &end, 10);
            if (*end || a.baseline < 2)
                return cli_usage("calc", "calc: --baseline is a number of points, 2 or more");
            break;
        case 'k':
            if (strcmp(optarg, "rate") && strcmp(optarg, "proportion"))
                return cli_usage("calc", "calc: --kind is rate or proportion, not '%s'", optarg);
            a.proportion_trend = optarg[0] == 'p';
            a.funnel_kind = optarg[0] == 'p' ? CSA_FUNNEL_PROPORTION : CSA_FUNNEL_RATE;
            if (funnel && optarg[0] == 'p' && a.per == 1000)
                a.per = 100;
            break;
        case 'L': a.lower = optarg; break;
        case 'U': a.upper = optarg; break;
        case 'A': a.band = optarg; break;
        case 'R':
            a.comparator = strtod(optarg, &end);
            if (*end || isnan(a.comparator))
                return cli_usage("calc", "calc: --comparator is a number, not '%s'", optarg);
            break;
        case 'P':
            if (!strcmp(optarg, "low"))
                a.polarity = CSA_POLARITY_LOW_IS_GOOD;
            else if (!strcmp(optarg, "high"))
                a.polarity = CSA_POLARITY_HIGH_IS_GOOD;
            else if (!strcmp(optarg, "none"))
                a.polarity = CSA_POLARITY_NO_JUDGEMENT;
            else
                return cli_usage("calc", "calc: --polarity is low, high or none, not '%s'", optarg);
            break;
        default:
            return cli_usage("calc", "calc: unknown option or missing value: %s", argv[optind - 1]);
        }
    }
    if (spc && !a.value)
        return cli_usage("calc", "calc spc needs --value COL");
    if (survey && (!a.answer || !a.weight))
        return cli_usage("calc", "calc survey needs --answer COL and --weight COL");
    if (compare && (!a.value || !a.lower || !a.upper || isnan(a.comparator)))
        return cli_usage("calc", "calc compare needs --value, --lower, --upper and --comparator");
    if (dsr && !a.band)
        return cli_usage("calc", "calc dsr needs --band COL (age bands such as 0-4 or 65+)");
    if (!spc && !survey && !compare && (!a.count || !a.denominator))
        return cli_usage("calc", "calc %s needs --count COL and --denominator COL", argv[1]);
    if (optind + 1 < argc)
        return cli_usage("calc", "calc reads one FILE (or standard input)");

    const char *name = optind < argc ? argv[optind] : "<stdin>";
    const char *numeric[3] = {spc || compare ? a.value : survey ? a.weight : a.count,
                              compare ? a.lower : a.denominator, a.upper};
    csa_source src;
    csa_table *in = NULL, *out = NULL;
    uint64_t *lines = NULL;
    csa_error err = {0};
    int status = EXIT_USAGE;
    if (optind < argc) {
        if (csa_source_open_file(&src, name, &err))
            goto fail;
    } else {
        csa_source_from_stream(&src, name, stdin);
    }
    /* XmR values may be negative (a change, a difference); counts may not */
    csa_status st = csa_ingest_any(&src, numeric, spc || survey ? 1 : compare ? 3 : 2,
                                   !(spc && a.chart == CSA_SPC_XMR) && !compare, &in, &lines,
                                   &err);
    csa_source_close(&src);
    if (st)
        goto fail;
    if (survey && csa_table_find(in, a.answer) == CSA_NO_ROW) {
        csa_error_set(&err, CSA_ERR_FORMAT, name, 1, 0, a.answer, NULL, "missing column \"%s\"",
                      a.answer);
        goto fail;
    }
    if (spc ? calc_spc(&a, in, name, &out, &err)
            : trend ? calc_trend(&a, in, name, &out, &err)
            : sii ? calc_sii(&a, in, name, &out, &err)
            : compare ? calc_compare(&a, in, &out, &err)
            : funnel ? calc_funnel(&a, in, lines, name, &out, &err)
            : dsr ? calc_dsr(&a, in, lines, name, &out, &err)
            : survey ? calc_survey(&a, in, lines, name, &out, &err)
                    : make_output(m, &a, in, &out, &err) || compute(m, &a, in, lines, name, out, &err))
        goto fail;
    csa_table_freeze(out);
    if (csa_write_csv_stream(out, a.decimals, stdout, "standard output", &err))
        goto fail;
    status = EXIT_OK;
    goto done;
fail:
    cli_print_error(&err);
done:
    csa_table_free(in);
    csa_table_free(out);
    free(lines);
    return status;
}

const cli_command cli_calc = {
    .name = "calc",
    .summary = "put confidence intervals, trends and SPC on any table",
    .help = help,
    .run = run,
};
