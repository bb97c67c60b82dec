/* The display rules of csa/present.h. */
#include "csa/present.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "csa/inequality.h"
#include "csa/month.h"
#include "csa/stats.h"

int csa_headline_decimals(double v)
{
    double m = fabs(v);
    if (!isfinite(m) || m >= 10 || m == 0)
        return 1;
    return m >= 1 ? 2 : 3;
}

char *csa_format_figure(double v, int decimals, char *buf, size_t size)
{
    if (!isfinite(v))
        snprintf(buf, size, "No figure");
    else
        csa_format_number(v, decimals, buf, size);
    return buf;
}

int csa_score_decimals(double v)
{
    char s[512]; /* room for any double in fixed notation */
    if (!isfinite(v))
        return 0;
    /* the places of v as printed to two, so that 2.999 (3.00) has none */
    snprintf(s, sizeof s, "%.2f", v);
    size_t n = strlen(s);
    return s[n - 1] != '0' ? 2 : s[n - 2] != '0' ? 1 : 0;
}

char *csa_format_score(double v, char *buf, size_t size)
{
    if (isnan(v))
        snprintf(buf, size, "\u2013");
    else
        csa_format_number(v, csa_score_decimals(v), buf, size);
    return buf;
}

const char *const *csa_decile_labels(void)
{
    static const char *const labels[CSA_IMD_DECILES] = {
        "1 (most deprived)", "2", "3", "4", "5", "6", "7", "8", "9", "10 (least deprived)"};
    return labels;
}

const char *csa_excel_number_format(int decimals, char buf[CSA_EXCEL_FORMAT_MAX])
{
    strcpy(buf, "#,##0");
    if (decimals > 0)
        strcat(buf, ".");
    for (int i = 0; i < decimals && i < 10; i++)
        strcat(buf, "0");
    return buf;
}

/* ---- the assessment's words and figures ---- */

static const char *str(const char *s)
{
    return s ? s : "";
}

csa_status csa_check_assessment(const csa_assessment *a, csa_error *err)
{
    if ((a->nindicators && !a->indicators) || (a->npriorities && !a->priorities) ||
        (a->ninputs && !a->inputs) || (a->ncriteria && !a->criteria) ||
        (a->nmethod_notes && !a->method_notes))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "assessment has a count without its array");
    for (size_t k = 0; k < a->npriorities; k++)
        if (a->priorities[k].indicator >= a->nindicators ||
            (a->ncriteria && !a->priorities[k].scores))
            return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                                 "priority %zu names no indicator or has no scores", k + 1);
    for (size_t i = 0; i < a->nindicators; i++)
        if ((a->indicators[i].ncharts && !a->indicators[i].charts) ||
            (a->indicators[i].ntables && !a->indicators[i].tables))
            return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, a->indicators[i].name, NULL,
                                 "indicator has a chart or table count without its array");
    return CSA_OK;
}

char *csa_format_document_title(const csa_assessment *a, char *buf, size_t size)
{
    snprintf(buf, size, "%s: strategic assessment, %s", str(a->title), str(a->period));
    return buf;
}

const char *csa_indicator_title(const csa_indicator_report *ind)
{
    return ind->title ? ind->title : str(ind->name);
}

size_t csa_indicator_rank(const csa_assessment *a, size_t i)
{
    for (size_t k = 0; k < a->npriorities; k++)
        if (a->priorities[k].indicator == i)
            return a->priorities[k].rank;
    return 0;
}

size_t csa_indicator_order(const csa_assessment *a, size_t *order)
{
    size_t n = 0;
    for (size_t k = 0; k < a->npriorities; k++) {
        size_t i = a->priorities[k].indicator, j = 0;
        while (j < n && order[j] != i)
            j++;
        if (j == n && i < a->nindicators)
            order[n++] = i;
    }
    size_t ranked = n;
    for (size_t i = 0; i < a->nindicators; i++) {
        size_t j = 0;
        while (j < ranked && order[j] != i)
            j++;
        if (j == ranked)
            order[n++] = i;
    }
    return n;
}

char *csa_format_rank_line(const csa_assessment *a, size_t i, char *buf, size_t size)
{
    const csa_indicator_report *ind = &a->indicators[i];
    size_t rank = csa_indicator_rank(a, i);
    if (rank)
        snprintf(buf, size, "%s \u00b7 Priority %zu of %zu", str(ind->theme), rank,
                 a->npriorities);
    else
        snprintf(buf, size, "%s \u00b7 Not ranked", str(ind->theme));
    return buf;
}

char *csa_format_rank_label(const csa_assessment *a, size_t i, char *buf, size_t size)
{
    const char *title = csa_indicator_title(&a->indicators[i]);
    size_t rank = csa_indicator_rank(a, i);
    if (rank)
        snprintf(buf, size, "%zu. %s", rank, title);
    else
        snprintf(buf, size, "%s (not ranked)", title);
    return buf;
}

bool csa_unit_is_percent(const csa_indicator_report *ind)
{
    return ind->unit && strcmp(ind->unit, "%") == 0;
}

/* "%" after a figure of a percentage, "" otherwise and after no figure */
static const char *percent_sign(const csa_indicator_report *ind, double v)
{
    return csa_unit_is_percent(ind) && isfinite(v) ? "%" : "";
}

char *csa_format_headline(const csa_indicator_report *ind, char *buf, size_t size)
{
    char v[64];
    csa_format_figure(ind->value, csa_headline_decimals(ind->value), v, sizeof v);
    snprintf(buf, size, "%s%s", v, percent_sign(ind, ind->value));
    return buf;
}

char *csa_format_interval(const csa_indicator_report *ind, char *buf, size_t size)
{
    int dec = csa_headline_decimals(ind->value);
    char lo[64], hi[64];
    if (isnan(ind->lower) || isnan(ind->upper)) {
        snprintf(buf, size, "%s", "");
        return buf;
    }
    const char *pc = percent_sign(ind, ind->value);
    snprintf(buf, size, "95%% interval %s%s to %s%s",
             csa_format_figure(ind->lower, dec, lo, sizeof lo), pc,
             csa_format_figure(ind->upper, dec, hi, sizeof hi), pc);
    return buf;
}

char *csa_format_count(const csa_indicator_report *ind, char *buf, size_t size)
{
    char c[64], d[64];
    if (isnan(ind->count))
        snprintf(buf, size, "%s", "");
    else if (isnan(ind->denominator))
        snprintf(buf, size, "Count %s", csa_format_number(ind->count, 0, c, sizeof c));
    else
        snprintf(buf, size, "Count %s of %s", csa_format_number(ind->count, 0, c, sizeof c),
                 csa_format_number(ind->denominator, 0, d, sizeof d));
    return buf;
}

char *csa_format_comparator(const csa_indicator_report *ind, char *buf, size_t size)
{
    char v[64];
    if (!ind->comparator)
        snprintf(buf, size, "No comparator");
    else
        snprintf(buf, size, "%s: %s", ind->comparator,
                 csa_format_figure(ind->comparator_value,
                                   csa_headline_decimals(ind->comparator_value), v, sizeof v));
    return buf;
}

const char *csa_polarity_text(csa_polarity p)
{
    switch (p) {
    case CSA_POLARITY_LOW_IS_GOOD: return "Lower is better";
    case CSA_POLARITY_HIGH_IS_GOOD: return "Higher is better";
    case CSA_POLARITY_NO_JUDGEMENT: break;
    }
    return "No judgement";
}

char *csa_format_change_label(const csa_indicator_report *ind, char *buf, size_t size)
{
    snprintf(buf, size, "Change%s%s", ind->compared_with ? " on " : "",
             str(ind->compared_with));
    return buf;
}

/* v to `places` with its sign, none when it shows as nought: "+0.86",
 * "-23.4", "0.00". */
static char *signed_number(double v, int places, char *buf, size_t size)
{
    char digits[64];
    csa_format_number(fabs(v), places, digits, sizeof digits);
    bool nought = strspn(digits, "0.,") == strlen(digits);
    snprintf(buf, size, "%s%s", nought ? "" : v < 0 ? "-" : "+", digits);
    return buf;
}

char *csa_format_change_figures(const csa_indicator_report *ind, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!ind->change || isnan(ind->count_now) || isnan(ind->count_before))
        return buf;
    if (ind->count_now == 0 && ind->count_before == 0) { /* none in either: no change */
        snprintf(buf, size, "Count 0 in both periods");
        return buf;
    }
    char now[32], before[32], d[72], pct[80];
    int places = csa_headline_decimals(fmax(ind->value_now, ind->value_before));
    csa_format_number(ind->count_now, 0, now, sizeof now);
    csa_format_number(ind->count_before, 0, before, sizeof before);
    signed_number(ind->change_value, places, d, sizeof d);
    if (isnan(ind->change_percent)) {
        snprintf(pct, sizeof pct, "no percentage");
    } else {
        char p1[72];
        snprintf(pct, sizeof pct, "%s%%", signed_number(ind->change_percent, 1, p1, sizeof p1));
    }
    snprintf(buf, size, "Count %s against %s; change %s %s (%s)", now, before, d,
             str(ind->unit), pct);
    return buf;
}

const char *csa_trend_text(const csa_indicator_report *ind)
{
    return ind->trend ? ind->trend : "No trend";
}

char *csa_format_source_line(const csa_indicator_report *ind, char *buf, size_t size)
{
    snprintf(buf, size, "Source: %s. Method: %s.", ind->source ? ind->source : "not stated",
             ind->method ? ind->method : "not stated");
    return buf;
}

char *csa_format_method_line(const csa_indicator_report *ind, char *buf, size_t size)
{
    snprintf(buf, size, "Method: %s. Source: %s.", ind->method ? ind->method : "not stated",
             ind->source ? ind->source : "not stated");
    return buf;
}

char *csa_format_priority_cell(const csa_priority_score *s, char *buf, size_t size)
{
    char sc[32], w[32];
    snprintf(buf, size, "%s\nscore %s \u00d7 weight %s", s->value_text ? s->value_text : "\u2013",
             csa_format_score(s->score, sc, sizeof sc), csa_format_score(s->weight, w, sizeof w));
    return buf;
}

char *csa_format_priority_sum(const csa_assessment *a, char *buf, size_t size)
{
    buf[0] = '\0';
    if (a->npriorities == 0 || a->priorities[0].indicator >= a->nindicators)
        return buf;
    const csa_priority_report *top = &a->priorities[0];
    char sum[CSA_CELL_MAX] = "", s[32], w[32];
    size_t o = 0;
    for (size_t k = 0; k < a->ncriteria && o < sizeof sum; k++)
        o += (size_t)snprintf(sum + o, sizeof sum - o, "%s%s \u00d7 %s", k ? " + " : "",
                              csa_format_score(top->scores[k].score, s, sizeof s),
                              csa_format_score(top->scores[k].weight, w, sizeof w));
    snprintf(buf, size,
             "How totals are made: each total is the sum of score \u00d7 weight over the "
             "criteria. For %s: %s = %s.",
             csa_indicator_title(&a->indicators[top->indicator]), sum,
             csa_format_score(top->total, s, sizeof s));
    return buf;
}

char *csa_format_day(time_t t, bool brief, char *buf, size_t size)
{
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        snprintf(buf, size, "unknown date");
    else
        snprintf(buf, size, "%d %.*s %d", tm.tm_mday, brief ? 3 : 9,
                 csa_month_name(tm.tm_mon + 1), tm.tm_year + 1900);
    return buf;
}

char *csa_format_produced(const csa_assessment *a, char *buf, size_t size)
{
    char date[64];
    struct tm tm;
    time_t t = a->run_time;
    int have_tm = gmtime_r(&t, &tm) != NULL;
    snprintf(buf, size, "Produced by csa %s on %s at %02d:%02d UTC", str(a->version),
             csa_format_day(a->run_time, false, date, sizeof date), have_tm ? tm.tm_hour : 0,
             have_tm ? tm.tm_min : 0);
    return buf;
}

const char *const *csa_input_headers(const csa_assessment *a)
{
    static const char *const head[CSA_INPUT_CELLS] = {
        "Input (spec)", "Files", "Rows read", "Errors / warnings", "Covers (missing months)",
        "Last modified", "Status"};
    static const char *const received[CSA_INPUT_CELLS] = {
        "Input (spec)", "Files", "Rows read", "Errors / warnings", "Covers (missing months)",
        "Received or last modified", "Status"};
    for (size_t i = 0; i < a->ninputs; i++)
        if (a->inputs[i].received) /* from the submissions register */
            return received;
    return head;
}

void csa_format_input_cells(const csa_input_report *in, char cells[][CSA_CELL_MAX])
{
    time_t latest = 0;
    for (size_t f = 0; in->modified && f < in->nfiles; f++)
        latest = in->modified[f] > latest ? in->modified[f] : latest;
    snprintf(cells[0], CSA_CELL_MAX, "%s\n%s", str(in->name), str(in->spec));
    snprintf(cells[1], CSA_CELL_MAX, "%zu", in->nfiles);
    csa_format_number((double)in->rows.read, 0, cells[2], CSA_CELL_MAX);
    snprintf(cells[3], CSA_CELL_MAX, "%zu / %zu", in->errors, in->warnings);
    if (in->covers)
        snprintf(cells[4], CSA_CELL_MAX, "%s\nmissing: %s", in->covers,
                 in->missing ? in->missing : "not known");
    else
        snprintf(cells[4], CSA_CELL_MAX, "not by month");
    if (in->received) {
        csa_format_day(in->received, true, cells[5], CSA_CELL_MAX);
        size_t len = strlen(cells[5]);
        if (in->days_late)
            snprintf(cells[5] + len, CSA_CELL_MAX - len, "\n%d day%s late", in->days_late,
                     in->days_late == 1 ? "" : "s");
        else
            snprintf(cells[5] + len, CSA_CELL_MAX - len, "\non time");
    } else if (latest)
        csa_format_day(latest, true, cells[5], CSA_CELL_MAX);
    else
        snprintf(cells[5], CSA_CELL_MAX, "\u2013");
    snprintf(cells[6], CSA_CELL_MAX, "%s", in->excluded ? "Excluded" : "Used");
}

const char *const *csa_account_headers(void)
{
    static const char *const head[CSA_ACCOUNT_CELLS] = {
        "Input or indicator", "Rows read", "Used", "No location", "No population",
        "Outside area", "Outside period", "Rejected"};
    return head;
}

bool csa_format_account_cells(const csa_assessment *a, size_t i, char cells[][CSA_CELL_MAX])
{
    const csa_indicator_report *ind = i < a->ninputs ? NULL : &a->indicators[i - a->ninputs];
    if (ind && !ind->has_rows)
        return false;
    const csa_row_accounting *rows = ind ? &ind->rows : &a->inputs[i].rows;
    const uint64_t terms[CSA_ACCOUNT_CELLS - 1] = {
        rows->read, rows->used, rows->no_location, rows->no_population, rows->outside_area,
        rows->outside_period, rows->rejected};
    if (ind)
        snprintf(cells[0], CSA_CELL_MAX, "%s\nindicator", str(ind->title));
    else
        snprintf(cells[0], CSA_CELL_MAX, "%s\ninput", str(a->inputs[i].name));
    for (size_t c = 1; c < CSA_ACCOUNT_CELLS; c++)
        csa_format_number((double)terms[c - 1], 0, cells[c], CSA_CELL_MAX);
    return true;
}

int csa_values_decimals(const double *v, size_t n)
{
    double big = 0;
    bool whole = true;
    for (size_t i = 0; v && i < n; i++) {
        if (!isfinite(v[i]))
            continue;
        whole = whole && v[i] == floor(v[i]) && fabs(v[i]) < 1e15;
        big = fabs(v[i]) > big ? fabs(v[i]) : big;
    }
    return whole ? 0 : csa_headline_decimals(big);
}

int csa_column_decimals(const csa_table *t, size_t col, int decimals)
{
    if (csa_table_column_type(t, col) != CSA_DOUBLE)
        return 0;
    const double *v = csa_table_doubles(t, col);
    for (size_t r = 0; r < csa_table_nrows(t); r++)
        if (csa_table_valid(t, col, r) && isfinite(v[r]) &&
            !(v[r] == floor(v[r]) && fabs(v[r]) < 1e15))
            return decimals;
    return 0;
}

char *csa_format_cell(const csa_table *t, size_t col, size_t row, int places, char *buf,
                      size_t size)
{
    buf[0] = '\0';
    if (!t || col >= csa_table_ncols(t) || !csa_table_valid(t, col, row))
        return buf;
    switch (csa_table_column_type(t, col)) {
    case CSA_STRING:
        snprintf(buf, size, "%s",
                 csa_dict_string(csa_table_dict(t, col), csa_table_codes(t, col)[row], NULL));
        break;
    case CSA_DOUBLE: {
        double v = csa_table_doubles(t, col)[row];
        if (isfinite(v))
            csa_format_number(v, places < 0 ? csa_score_decimals(v) : places, buf, size);
        break;
    }
    case CSA_INT64: {
        long long v = (long long)csa_table_int64s(t, col)[row];
        if (places < 0)
            snprintf(buf, size, "%lld", v);
        else
            csa_format_number((double)v, 0, buf, size);
        break;
    }
    case CSA_DATE: {
        char d[CSA_DATE_TEXT_MAX];
        csa_format_date(csa_table_dates(t, col)[row], false, d);
        snprintf(buf, size, "%s", d);
        break;
    }
    case CSA_BOOL:
        snprintf(buf, size, "%s", csa_table_bools(t, col)[row] ? "yes" : "no");
        break;
    }
    return buf;
}

/* A finding's cell by column name, as text. */
static char *finding_cell(const csa_table *t, const char *column, size_t row, char *buf,
                          size_t size)
{
    size_t col = t ? csa_table_find(t, column) : CSA_NO_ROW;
    buf[0] = '\0';
    return col == CSA_NO_ROW ? buf : csa_format_cell(t, col, row, -1, buf, size);
}

/* Whether findings a and b say the same thing of the same file: every
 * cell but the line. */
static bool same_finding(const csa_table *t, size_t a, size_t b)
{
    static const char *const names[] = {"Input", "File", "Column", "Check", "Severity",
                                        "Value", "Message"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        size_t c = csa_table_find(t, names[k]);
        if (c == CSA_NO_ROW)
            continue;
        bool va = csa_table_valid(t, c, a);
        if (va != csa_table_valid(t, c, b))
            return false;
        if (!va)
            continue;
        bool same = true;
        switch (csa_table_column_type(t, c)) {
        case CSA_STRING: same = csa_table_codes(t, c)[a] == csa_table_codes(t, c)[b]; break;
        case CSA_DOUBLE: same = csa_table_doubles(t, c)[a] == csa_table_doubles(t, c)[b]; break;
        case CSA_INT64: same = csa_table_int64s(t, c)[a] == csa_table_int64s(t, c)[b]; break;
        case CSA_DATE: same = csa_table_dates(t, c)[a] == csa_table_dates(t, c)[b]; break;
        case CSA_BOOL: same = csa_table_bools(t, c)[a] == csa_table_bools(t, c)[b]; break;
        }
        if (!same)
            return false;
    }
    return true;
}

size_t csa_group_findings(const csa_table *t, csa_finding_group *g, size_t *rest)
{
    size_t n = t ? csa_table_nrows(t) : 0, ng = 0;
    *rest = 0;
    for (size_t r = 0; r < n; r++) {
        size_t k = 0;
        while (k < ng && !same_finding(t, g[k].first, r))
            k++;
        if (k == ng) {
            if (ng == CSA_MAX_FINDING_GROUPS) {
                (*rest)++;
                continue;
            }
            g[ng++] = (csa_finding_group){.first = r};
        }
        if (g[k].nlines < CSA_GROUP_LINES) {
            char *line = g[k].lines[g[k].nlines];
            finding_cell(t, "Line", r, line, sizeof g[k].lines[0]);
            g[k].nlines += line[0] != '\0';
        }
        g[k].count++;
    }
    return ng;
}

const char *const *csa_finding_headers(void)
{
    static const char *const head[CSA_FINDING_CELLS] = {"Input", "File", "Line:col", "Check",
                                                        "Severity", "Value", "Message"};
    return head;
}

void csa_format_finding_cells(const csa_table *t, const csa_finding_group *fg,
                              char cells[][CSA_CELL_MAX])
{
    char file[CSA_CELL_MAX], line[64], col[64], msg[CSA_CELL_MAX - 192];
    size_t r = fg->first;
    finding_cell(t, "Input", r, cells[0], CSA_CELL_MAX);
    /* the file's name: the input says where it came from */
    finding_cell(t, "File", r, file, sizeof file);
    const char *slash = strrchr(file, '/');
    snprintf(cells[1], CSA_CELL_MAX, "%s", slash ? slash + 1 : file);
    finding_cell(t, "Line", r, line, sizeof line);
    finding_cell(t, "Column", r, col, sizeof col);
    snprintf(cells[2], CSA_CELL_MAX, "%s%s%s", line, line[0] && col[0] ? ":" : "", col);
    finding_cell(t, "Check", r, cells[3], CSA_CELL_MAX);
    finding_cell(t, "Severity", r, cells[4], CSA_CELL_MAX);
    finding_cell(t, "Value", r, cells[5], CSA_CELL_MAX);
    finding_cell(t, "Message", r, msg, sizeof msg);
    if (fg->count == 1) {
        snprintf(cells[6], CSA_CELL_MAX, "%s", msg);
        return;
    }
    /* "20 rows (lines 2, 5, 9 and more): ..." */
    char lines[128] = "";
    size_t m = 0;
    for (size_t i = 0; i < fg->nlines; i++)
        m += (size_t)snprintf(lines + m, sizeof lines - m, "%s%s", i ? ", " : " (lines ",
                              fg->lines[i]);
    if (fg->nlines)
        snprintf(lines + m, sizeof lines - m, "%s)", fg->count > fg->nlines ? " and more" : "");
    snprintf(cells[6], CSA_CELL_MAX, "%zu rows%s: %s", fg->count, lines, msg);
}
