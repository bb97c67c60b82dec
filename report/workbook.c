/* assessment.xlsx: the whole assessment as a workbook an analyst can work
 * in. Figures are numbers with number formats, never text; RAG colours
 * are conditional formats on the outcome text, so a pasted or edited
 * outcome recolours itself; charts are Excel's own, drawn from the cells. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <xlsxwriter.h>

#include "csa/assessment.h"
#include "csa/month.h"
#include "csa/report.h"
#include "csa/present.h"
#include "csa/text.h"
#include "xlsx.h"

enum {
    MAX_DECIMALS = 6,
    SHEET_NAME_MAX = 31,  /* Excel's limit, in characters */
    TABLE_NAME_MAX = 64,  /* ours: Excel allows 255, readers see them in formulas */
    WIDTH_MAX = 60,
    ROW_PIXELS = 20,      /* a default row */
    MAP_WIDTH = 760, MAP_HEIGHT = 475, /* a map's picture, in pixels */
    CHART_WIDTH = 540,    /* pixels */
    CHART_HEIGHT = 300,
};

static const double DEFAULT_CHART_WIDTH = 480, DEFAULT_CHART_HEIGHT = 288;

/* The sheets every workbook has, in tab order around the theme sheets. */
static const char SUMMARY[] = "Summary", PRIORITIES[] = "Priorities",
                  QUALITY[] = "Data quality", PROVENANCE[] = "Provenance";

/* A set of names, unique without regard to case (as Excel compares sheet
 * and table names). */
typedef struct names {
    char **v;
    size_t n, cap;
} names;

typedef struct formats {
    csa_xlsx_formats base;   /* title, note, header, integer, date */
    lxw_format *subtitle, *heading, *label, *wrap, *warning, *general, *centre, *datetime,
        *table_header, *header_centre;
    lxw_format *dec[MAX_DECIMALS + 1];
    /* priority scores, weights and totals: centred, with their own places */
    lxw_format *score[3];
    /* the Summary's, aligned to the top of rows that wrapped text makes tall */
    lxw_format *top, *top_integer, *top_dec[MAX_DECIMALS + 1];
} formats;

typedef struct wbx {
    const csa_assessment *a;
    const char *path;
    lxw_workbook *wb;
    formats f;
    names sheets, tables;
    lxw_error e;             /* the first error of libxlsxwriter */
    const char *e_sheet;     /* the sheet being written then */
    const char *sheet;       /* the sheet being written now */
} wbx;

/* ---- names ---- */

static void names_free(names *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    *s = (names){0};
}

static bool names_has(const names *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcasecmp(s->v[i], name) == 0)
            return true;
    return false;
}

static const char *names_add(names *s, const char *name)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        char **v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return NULL;
        s->v = v, s->cap = cap;
    }
    char *copy = strdup(name);
    if (!copy)
        return NULL;
    s->v[s->n++] = copy;
    return copy;
}

/* Cuts s (in place) to at most max UTF-8 characters. */
static void utf8_cut(char *s, size_t max)
{
    size_t chars = 0;
    for (char *p = s; *p; p++) {
        if (((unsigned char)*p & 0xC0) != 0x80 && chars++ == max) {
            *p = '\0';
            return;
        }
    }
}

/* Adds base to s, as XML allows it (csa_text_xml) and made unique with a
 * suffix (" (2)" or "_2") that keeps it within max characters; the stored
 * name, or NULL when out of memory. */
static const char *unique_name(names *s, const char *base, size_t max, bool sheet)
{
    char buf[4 * 255 + 64]; /* max is at most 255 characters of up to 4 bytes */
    char *clean;
    if (!(base = csa_text_xml(base, &clean)))
        return NULL;
    snprintf(buf, sizeof buf, "%s", base);
    utf8_cut(buf, max);
    for (unsigned k = 2; names_has(s, buf); k++) {
        char suffix[16];
        snprintf(suffix, sizeof suffix, sheet ? " (%u)" : "_%u", k);
        snprintf(buf, sizeof buf, "%s", base);
        utf8_cut(buf, max - strlen(suffix));
        strcat(buf, suffix);
    }
    free(clean);
    return names_add(s, buf);
}

/* A theme as a sheet name: Excel refuses []:*?/\ and an apostrophe at
 * either end. */
static void sheet_name_of(const char *theme, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = theme ? theme : ""; *p && n + 1 < size; p++) {
        unsigned char ch = (unsigned char)*p;
        out[n++] = strchr("[]:*?/\\", ch) ? '-' : ch < 0x20 ? ' ' : (char)ch;
    }
    out[n] = '\0';
    utf8_cut(out, SHEET_NAME_MAX); /* before trimming, so no cut ends in an apostrophe */
    n = strlen(out);
    while (n && (out[n - 1] == '\'' || out[n - 1] == ' '))
        out[--n] = '\0';
    size_t skip = strspn(out, "' ");
    memmove(out, out + skip, n - skip + 1);
    if (!out[0])
        snprintf(out, size, "Theme");
}

/* Whether a name would read as a cell reference (A1 or R1C1), which
 * Excel refuses as a table name. */
static bool looks_like_cell(const char *s)
{
    size_t letters = 0, digits = 0;
    while (isalpha((unsigned char)s[letters]))
        letters++;
    while (isdigit((unsigned char)s[letters + digits]))
        digits++;
    if (!s[letters + digits] && letters && letters <= 3 && digits)
        return true;
    if (toupper((unsigned char)s[0]) != 'R')
        return false;
    const char *p = s + 1;
    while (isdigit((unsigned char)*p))
        p++;
    if (toupper((unsigned char)*p) != 'C')
        return false;
    for (p++; isdigit((unsigned char)*p); p++)
        ;
    return *p == '\0';
}

/* A table's name from its title: letters and digits, words joined by
 * underscores ("Violence_by_month"), unique in the workbook. */
static const char *table_name(wbx *x, const char *title)
{
    char buf[TABLE_NAME_MAX + 8];
    size_t n = 0;
    for (const char *p = title ? title : ""; *p && n < TABLE_NAME_MAX; p++) {
        if (isalnum((unsigned char)*p))
            buf[n++] = *p;
        else if (n && buf[n - 1] != '_')
            buf[n++] = '_';
    }
    while (n && buf[n - 1] == '_')
        n--;
    buf[n] = '\0';
    if (!n || isdigit((unsigned char)buf[0]) || looks_like_cell(buf)) {
        memmove(buf + 2, buf, n + 1);
        memcpy(buf, "T_", 2);
    }
    return unique_name(&x->tables, buf, TABLE_NAME_MAX + 2, false);
}

/* ---- cells ---- */

static void check(wbx *x, lxw_error e)
{
    if (e != LXW_NO_ERROR && x->e == LXW_NO_ERROR)
        x->e = e, x->e_sheet = x->sheet;
}

static void put_str(wbx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
                    lxw_format *fmt)
{
    if (s && *s)
        check(x, csa_xlsx_write_text(ws, r, c, s, fmt));
    else if (fmt)
        check(x, worksheet_write_blank(ws, r, c, fmt));
}

/* A merged range of cells holding text, as put_str writes it. */
static void merge_str(wbx *x, lxw_worksheet *ws, lxw_row_t r1, lxw_col_t c1, lxw_row_t r2,
                      lxw_col_t c2, const char *s, lxw_format *fmt)
{
    char *clean;
    const char *text = csa_text_xml(s ? s : "", &clean);
    check(x, text ? worksheet_merge_range(ws, r1, c1, r2, c2, text, fmt)
                  : LXW_ERROR_MEMORY_MALLOC_FAILED);
    free(clean);
}

/* No figure (NaN) is an empty cell: never 0, never "nan". */
static void put_num(wbx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v,
                    lxw_format *fmt)
{
    if (isfinite(v))
        check(x, worksheet_write_number(ws, r, c, v, fmt));
    else if (fmt)
        check(x, worksheet_write_blank(ws, r, c, fmt));
}

/* A time as an Excel date and time (UTC). */
static void put_time(wbx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, time_t t)
{
    check(x, worksheet_write_unixtime(ws, r, c, (int64_t)t, x->f.datetime));
}

static int clamp_decimals(int decimals)
{
    return decimals < 0 ? 0 : decimals > MAX_DECIMALS ? MAX_DECIMALS : decimals;
}

/* Counts are whole numbers unless they are weighted. */
static lxw_format *count_format(const wbx *x, double v)
{
    return !isfinite(v) || v == floor(v) ? x->f.top_integer : x->f.top_dec[1];
}

/* Lines that s takes wrapped at word boundaries in a column `width`
 * characters wide; Excel and LibreOffice do not always fit a row's
 * height to its wrapped text, so the Summary sets it. */
static unsigned wrapped_lines(const char *s, double width)
{
    if (!s || !*s)
        return 1;
    /* a column's width counts digits; text is a little narrower on average */
    size_t room = width > 4 ? (size_t)(width * 1.1 - 1) : 3, used = 0;
    unsigned lines = 1;
    while (*s) {
        size_t word = strcspn(s, " ");
        if (used && used + 1 + word > room)
            lines++, used = 0;
        used += (used ? 1 : 0) + word;
        while (used > room)
            lines++, used -= room;
        s += word;
        s += strspn(s, " ");
    }
    return lines;
}

static void widen(double *width, const char *s, double factor)
{
    double w = s ? (double)strlen(s) * factor + 2 : 0;
    if (w > *width)
        *width = w;
}

static void set_widths(wbx *x, lxw_worksheet *ws, const double *widths, size_t n)
{
    for (size_t c = 0; c < n; c++)
        check(x, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
                                      widths[c] > WIDTH_MAX ? WIDTH_MAX : widths[c], NULL));
}

static void add_formats(wbx *x)
{
    lxw_workbook *wb = x->wb;
    formats *f = &x->f;
    csa_xlsx_add_formats(wb, 1, &f->base);
    f->subtitle = workbook_add_format(wb);
    format_set_bold(f->subtitle);
    format_set_font_size(f->subtitle, 12);
    f->heading = workbook_add_format(wb);
    format_set_bold(f->heading);
    format_set_font_size(f->heading, 13);
    format_set_font_color(f->heading, 0x1F4E79);
    f->label = workbook_add_format(wb);
    format_set_bold(f->label);
    format_set_align(f->label, LXW_ALIGN_VERTICAL_TOP);
    f->wrap = workbook_add_format(wb);
    format_set_text_wrap(f->wrap);
    format_set_align(f->wrap, LXW_ALIGN_VERTICAL_TOP);
    f->warning = workbook_add_format(wb);
    format_set_italic(f->warning);
    format_set_font_color(f->warning, 0x9C0006);
    f->general = workbook_add_format(wb);
    format_set_num_format(f->general, "General");
    f->centre = workbook_add_format(wb);
    format_set_num_format(f->centre, "General");
    format_set_align(f->centre, LXW_ALIGN_CENTER);
    f->header_centre = workbook_add_format(wb);
    format_set_bold(f->header_centre);
    format_set_font_color(f->header_centre, LXW_COLOR_WHITE);
    format_set_bg_color(f->header_centre, 0x1F4E79);
    format_set_text_wrap(f->header_centre);
    format_set_align(f->header_centre, LXW_ALIGN_CENTER);
    format_set_align(f->header_centre, LXW_ALIGN_VERTICAL_CENTER);
    f->datetime = workbook_add_format(wb);
    format_set_num_format(f->datetime, "yyyy-mm-dd hh:mm:ss");
    format_set_align(f->datetime, LXW_ALIGN_LEFT);
    f->table_header = workbook_add_format(wb);
    format_set_bold(f->table_header);
    format_set_text_wrap(f->table_header);
    format_set_align(f->table_header, LXW_ALIGN_VERTICAL_TOP);
    f->top = workbook_add_format(wb);
    format_set_align(f->top, LXW_ALIGN_VERTICAL_TOP);
    char num[CSA_EXCEL_FORMAT_MAX];
    f->top_integer = workbook_add_format(wb);
    format_set_num_format(f->top_integer, csa_excel_number_format(0, num));
    format_set_align(f->top_integer, LXW_ALIGN_VERTICAL_TOP);
    for (int d = 0; d <= MAX_DECIMALS; d++) {
        f->dec[d] = workbook_add_format(wb);
        format_set_num_format(f->dec[d], csa_excel_number_format(d, num));
        f->top_dec[d] = workbook_add_format(wb);
        format_set_num_format(f->top_dec[d], num);
        format_set_align(f->top_dec[d], LXW_ALIGN_VERTICAL_TOP);
    }
    for (int d = 0; d < 3; d++) {
        f->score[d] = workbook_add_format(wb);
        format_set_num_format(f->score[d], csa_excel_number_format(d, num));
        format_set_align(f->score[d], LXW_ALIGN_CENTER);
    }
}

/* Adds a sheet with its title in A1 and a note under it: `note`, or the
 * assessment's area and period when note is NULL. */
static csa_status begin_sheet(wbx *x, const char *name, const char *title, const char *note,
                              lxw_worksheet **out, csa_error *err)
{
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
    if (!ws)
        return csa_error_set(err, CSA_ERR_USAGE, x->path, 0, 0, NULL, name,
                             "cannot add worksheet \"%s\"", name);
    x->sheet = name;
    /* printed: A4 landscape, one page wide */
    worksheet_set_paper(ws, 9);
    worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    char line[1024];
    if (!note) {
        const csa_assessment *a = x->a;
        snprintf(line, sizeof line, "%s%s%s", a->area ? a->area : "",
                 a->area && a->period ? ", " : "", a->period ? a->period : "");
        note = line;
    }
    put_str(x, ws, 0, 0, title, x->f.base.title);
    put_str(x, ws, 1, 0, note, x->f.base.note);
    *out = ws;
    return CSA_OK;
}

/* ---- Excel tables ---- */

/* Writes t as an Excel table with its header at row `top`, column 0:
 * doubles with `decimals` places (whole-number columns, such as counts,
 * with none). Widths grow to fit. An empty table keeps one empty row, as
 * Excel needs. Returns the row after the table. */
static csa_status excel_table(wbx *x, lxw_worksheet *ws, lxw_row_t top, const char *title,
                              const csa_table *t, int decimals, double *widths,
                              lxw_row_t *next, csa_error *err)
{
    size_t ncols = csa_table_ncols(t), nrows = csa_table_nrows(t);
    csa_status st = CSA_OK;
    lxw_table_column *cols = calloc(ncols, sizeof *cols);
    lxw_table_column **ptrs = calloc(ncols + 1, sizeof *ptrs);
    names headers = {0};
    if (!cols || !ptrs) {
        st = csa_error_set(err, CSA_ERR_NOMEM, x->path, 0, 0, NULL, NULL, "out of memory");
        goto fail;
    }
    for (size_t c = 0; c < ncols; c++) {
        const char *name = csa_table_column_name(t, c);
        char fallback[32];
        if (!name || !*name) {
            snprintf(fallback, sizeof fallback, "Column %zu", c + 1);
            name = fallback;
        }
        /* Excel repairs a table whose headers repeat */
        const char *header = unique_name(&headers, name, 255, true);
        if (!header) {
            st = csa_error_set(err, CSA_ERR_NOMEM, x->path, 0, 0, NULL, NULL, "out of memory");
            goto fail;
        }
        cols[c] = (lxw_table_column){.header = (char *)header,
                                     .header_format = x->f.table_header};
        ptrs[c] = &cols[c];
        widen(&widths[c], header, 0.9);
        if (widths[c] < 10)
            widths[c] = 10;

        lxw_format *fmt = csa_xlsx_column_format(&x->f.base, t, c);
        if (csa_table_column_type(t, c) == CSA_DOUBLE) {
            int places = csa_column_decimals(t, c, decimals);
            fmt = places ? x->f.dec[clamp_decimals(places)] : x->f.base.integer;
        }
        check(x, csa_xlsx_write_column(ws, top + 1, (lxw_col_t)c, t, c, fmt, &widths[c]));
    }
    const char *name = table_name(x, title);
    if (!name) {
        st = csa_error_set(err, CSA_ERR_NOMEM, x->path, 0, 0, NULL, NULL, "out of memory");
        goto fail;
    }
    lxw_row_t last = top + (lxw_row_t)(nrows ? nrows : 1);
    lxw_table_options opt = {.name = (char *)name, .columns = ptrs,
                             .style_type = LXW_TABLE_STYLE_TYPE_LIGHT,
                             .style_type_number = 9};
    if (ncols)
        check(x, worksheet_add_table(ws, top, 0, last, (lxw_col_t)(ncols - 1), &opt));
    *next = last + 1;
fail:
    names_free(&headers);
    free(ptrs);
    free(cols);
    return st;
}

/* ---- Summary ---- */

enum {
    S_INDICATOR, S_THEME, S_UNIT, S_POLARITY, S_COUNT, S_DENOMINATOR, S_VALUE, S_LOWER,
    S_UPPER, S_COMPARATOR, S_COMPARATOR_VALUE, S_OUTCOME, S_TREND, S_NOTE, S_SOURCE,
    S_METHOD, S_CHANGE, S_COMPARED_WITH, S_COUNT_NOW, S_COUNT_BEFORE, S_VALUE_NOW,
    S_VALUE_BEFORE, S_CHANGE_VALUE, S_CHANGE_PERCENT, S_RATIO, S_RATIO_LOWER, S_RATIO_UPPER,
    S_NCOLS
};

static const char *const SUMMARY_HEADERS[S_NCOLS] = {
    "Indicator", "Theme", "Unit", "Polarity", "Count", "Denominator", "Value",
    "Lower 95% CI", "Upper 95% CI", "Comparator", "Comparator value",
    "Compared with comparator", "Trend", "Note", "Source", "Method", "Change",
    "Compared with period", "Count now", "Count before", "Value now", "Value before",
    "Change in value", "Change %", "Rate ratio", "Rate ratio lower 95% CI",
    "Rate ratio upper 95% CI"};

/* The outcomes with a colour, as csa_outcome_colour gives them. */
static const csa_outcome OUTCOMES[] = {CSA_WORSE, CSA_SIMILAR, CSA_BETTER, CSA_HIGHER,
                                       CSA_LOWER, CSA_NOT_COMPARED};

/* Colours the outcome cells by their text, and the value cell of each row
 * by its row's outcome (not the grey of "Not compared": that is no
 * judgement of the value). */
static void rag_formats(wbx *x, lxw_worksheet *ws, lxw_row_t first, lxw_row_t last)
{
    char col[LXW_MAX_COL_NAME_LENGTH], cell[LXW_MAX_CELL_NAME_LENGTH];
    lxw_col_to_name(col, S_OUTCOME, 1);
    for (size_t i = 0; i < sizeof OUTCOMES / sizeof OUTCOMES[0]; i++) {
        const char *name = csa_outcome_name(OUTCOMES[i]);
        unsigned long rgb = strtoul(csa_outcome_colour(OUTCOMES[i]) + 1, NULL, 16);
        double luma = 0.299 * (double)(rgb >> 16) + 0.587 * (double)((rgb >> 8) & 0xFF) +
                      0.114 * (double)(rgb & 0xFF);
        lxw_format *fill = workbook_add_format(x->wb);
        format_set_bg_color(fill, (lxw_color_t)rgb);
        format_set_font_color(fill, luma < 140 ? LXW_COLOR_WHITE : LXW_COLOR_BLACK);

        char text[64], formula[96];
        snprintf(text, sizeof text, "\"%s\"", name);
        lxw_conditional_format by_text = {.type = LXW_CONDITIONAL_TYPE_CELL,
                                          .criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO,
                                          .value_string = text, .format = fill};
        check(x, worksheet_conditional_format_range(ws, first, S_OUTCOME, last, S_OUTCOME,
                                                    &by_text));
        if (OUTCOMES[i] == CSA_NOT_COMPARED)
            continue;
        snprintf(cell, sizeof cell, "%s%u", col, (unsigned)first + 1);
        snprintf(formula, sizeof formula, "=%s=%s", cell, text);
        lxw_conditional_format by_row = {.type = LXW_CONDITIONAL_TYPE_FORMULA,
                                         .value_string = formula, .format = fill};
        check(x, worksheet_conditional_format_range(ws, first, S_VALUE, last, S_VALUE,
                                                    &by_row));
    }
}

static csa_status write_summary(wbx *x, csa_error *err)
{
    const csa_assessment *a = x->a;
    lxw_worksheet *ws;
    csa_status st = begin_sheet(x, SUMMARY, a->title, NULL, &ws, err);
    if (st != CSA_OK)
        return st;
    const formats *f = &x->f;
    put_str(x, ws, 2, 0,
            "Values with 95% confidence intervals. Compared with the comparator by "
            "Fingertips' rule: similar when the interval includes the comparator's value, "
            "otherwise better or worse by the indicator's polarity (higher or lower when "
            "there is no judgement). Colours follow the outcome. Change: the period against "
            "the comparison period, with the rate ratio and its 95% interval.",
            f->base.note);

    const lxw_row_t top = 4;
    double widths[S_NCOLS];
    for (size_t c = 0; c < S_NCOLS; c++) {
        put_str(x, ws, top, (lxw_col_t)c, SUMMARY_HEADERS[c], f->base.header);
        widths[c] = csa_xlsx_header_width(SUMMARY_HEADERS[c]);
    }
    widths[S_TREND] = widths[S_NOTE] = widths[S_METHOD] = widths[S_CHANGE] = 44;
    for (size_t i = 0; i < a->nindicators; i++) {
        const csa_indicator_report *ind = &a->indicators[i];
        lxw_row_t r = top + 1 + (lxw_row_t)i;
        /* the pack's places: the interval's ends the value's, the comparator its own */
        lxw_format *dec = f->top_dec[clamp_decimals(csa_headline_decimals(ind->value))];
        lxw_format *cmp_dec =
            f->top_dec[clamp_decimals(csa_headline_decimals(ind->comparator_value))];
        put_str(x, ws, r, S_INDICATOR, ind->title ? ind->title : ind->name, f->top);
        widen(&widths[S_INDICATOR], ind->title ? ind->title : ind->name, 1.0);
        put_str(x, ws, r, S_THEME, ind->theme, f->top);
        widen(&widths[S_THEME], ind->theme, 1.1);
        put_str(x, ws, r, S_UNIT, ind->unit, f->top);
        widen(&widths[S_UNIT], ind->unit, 1.0);
        put_str(x, ws, r, S_POLARITY, csa_polarity_text(ind->polarity), f->top);
        widen(&widths[S_POLARITY], csa_polarity_text(ind->polarity), 1.0);
        put_num(x, ws, r, S_COUNT, ind->count, count_format(x, ind->count));
        put_num(x, ws, r, S_DENOMINATOR, ind->denominator, count_format(x, ind->denominator));
        put_num(x, ws, r, S_VALUE, ind->value, dec);
        put_num(x, ws, r, S_LOWER, ind->lower, dec);
        put_num(x, ws, r, S_UPPER, ind->upper, dec);
        put_str(x, ws, r, S_COMPARATOR, ind->comparator, f->top);
        widen(&widths[S_COMPARATOR], ind->comparator, 1.1);
        put_num(x, ws, r, S_COMPARATOR_VALUE, ind->comparator_value, cmp_dec);
        put_str(x, ws, r, S_OUTCOME, csa_outcome_name(ind->outcome), f->top);
        put_str(x, ws, r, S_TREND, ind->trend, f->wrap);
        put_str(x, ws, r, S_NOTE, ind->note, f->wrap);
        put_str(x, ws, r, S_SOURCE, ind->source, f->top);
        widen(&widths[S_SOURCE], ind->source, 1.0);
        put_str(x, ws, r, S_METHOD, ind->method, f->wrap);
        if (ind->change) { /* a count over time: its change on the comparison period */
            /* three places where two would show a limit as 1.00 */
            bool near = fabs(ind->ratio_lower - 1) < 0.005 || fabs(ind->ratio_upper - 1) < 0.005;
            lxw_format *rr = f->top_dec[near ? 3 : 2];
            put_str(x, ws, r, S_CHANGE, ind->change, f->wrap);
            put_str(x, ws, r, S_COMPARED_WITH, ind->compared_with, f->top);
            widen(&widths[S_COMPARED_WITH], ind->compared_with, 1.0);
            /* the figures of the sentence as numbers, at the sentence's places */
            lxw_format *vd = f->top_dec[clamp_decimals(
                csa_headline_decimals(fmax(ind->value_now, ind->value_before)))];
            put_num(x, ws, r, S_COUNT_NOW, ind->count_now, count_format(x, ind->count_now));
            put_num(x, ws, r, S_COUNT_BEFORE, ind->count_before,
                    count_format(x, ind->count_before));
            put_num(x, ws, r, S_VALUE_NOW, ind->value_now, vd);
            put_num(x, ws, r, S_VALUE_BEFORE, ind->value_before, vd);
            put_num(x, ws, r, S_CHANGE_VALUE, ind->change_value, vd);
            put_num(x, ws, r, S_CHANGE_PERCENT, ind->change_percent, f->top_dec[1]);
            put_num(x, ws, r, S_RATIO, ind->ratio, rr);
            put_num(x, ws, r, S_RATIO_LOWER, ind->ratio_lower, rr);
            if (isinf(ind->ratio_upper)) /* none before: the exact interval is open */
                put_str(x, ws, r, S_RATIO_UPPER, "infinite", f->top);
            else
                put_num(x, ws, r, S_RATIO_UPPER, ind->ratio_upper, rr);
        }
        unsigned lines = wrapped_lines(ind->trend, widths[S_TREND]);
        if (wrapped_lines(ind->note, widths[S_NOTE]) > lines)
            lines = wrapped_lines(ind->note, widths[S_NOTE]);
        if (wrapped_lines(ind->method, widths[S_METHOD]) > lines)
            lines = wrapped_lines(ind->method, widths[S_METHOD]);
        if (wrapped_lines(ind->change, widths[S_CHANGE]) > lines)
            lines = wrapped_lines(ind->change, widths[S_CHANGE]);
        if (lines > 1)
            check(x, worksheet_set_row(ws, r, 15.0 * lines, NULL));
    }
    set_widths(x, ws, widths, S_NCOLS);
    check(x, worksheet_set_row(ws, top, 30, NULL));
    worksheet_freeze_panes(ws, top + 1, 1);
    if (a->nindicators) {
        lxw_row_t last = top + (lxw_row_t)a->nindicators;
        check(x, worksheet_autofilter(ws, top, 0, last, S_NCOLS - 1));
        rag_formats(x, ws, top + 1, last);
    }
    return CSA_OK;
}

/* ---- Priorities ---- */

static csa_status write_priorities(wbx *x, csa_error *err)
{
    const csa_assessment *a = x->a;
    lxw_worksheet *ws;
    csa_status st = begin_sheet(
        x, PRIORITIES, "Priorities",
        "Each candidate scores on every criterion by the rule under the matrix; its total is "
        "the sum of score x weight, and rank 1 is the highest total.",
        &ws, err);
    if (st != CSA_OK)
        return st;
    const formats *f = &x->f;
    size_t nc = a->ncriteria;
    if (nc > 1000)
        return csa_error_set(err, CSA_ERR_LIMIT, x->path, 0, 0, NULL, NULL,
                             "%zu priority criteria: at most 1000 fit a sheet", nc);
    /* per criterion: its measure, the measure's words, score and weight */
    const lxw_col_t total = (lxw_col_t)(2 + 4 * nc);
    const lxw_row_t top = 3;

    double *widths = calloc((size_t)total + 1, sizeof *widths);
    if (!widths)
        return csa_error_set(err, CSA_ERR_NOMEM, x->path, 0, 0, NULL, NULL, "out of memory");
    check(x, worksheet_merge_range(ws, top, 0, top + 1, 0, "Rank", f->header_centre));
    check(x, worksheet_merge_range(ws, top, 1, top + 1, 1, "Indicator", f->base.header));
    check(x, worksheet_merge_range(ws, top, total, top + 1, total, "Total", f->header_centre));
    widths[0] = 7, widths[1] = 20, widths[total] = 9;
    for (size_t k = 0; k < nc; k++) {
        lxw_col_t c = (lxw_col_t)(2 + 4 * k);
        merge_str(x, ws, top, c, top, c + 3, a->criteria[k].name, f->header_centre);
        /* "Value" over the number and its words, which read on as one */
        check(x, worksheet_merge_range(ws, top + 1, c, top + 1, c + 1, "Value", f->base.header));
        put_str(x, ws, top + 1, c + 2, "Score", f->header_centre);
        put_str(x, ws, top + 1, c + 3, "Weight", f->header_centre);
        widths[c] = 9, widths[c + 1] = 12, widths[c + 2] = 8, widths[c + 3] = 8;
    }
    check(x, worksheet_set_row(ws, top, 30, NULL));

    for (size_t p = 0; p < a->npriorities; p++) {
        const csa_priority_report *pr = &a->priorities[p];
        lxw_row_t r = top + 2 + (lxw_row_t)p;
        if (pr->indicator >= a->nindicators) {
            st = csa_error_set(err, CSA_ERR_USAGE, x->path, 0, 0, NULL, NULL,
                               "priority %zu names indicator %zu of %zu", p + 1,
                               pr->indicator, a->nindicators);
            goto fail;
        }
        const csa_indicator_report *ind = &a->indicators[pr->indicator];
        put_num(x, ws, r, 0, (double)pr->rank, f->centre);
        put_str(x, ws, r, 1, ind->title ? ind->title : ind->name, NULL);
        widen(&widths[1], ind->title ? ind->title : ind->name, 1.0);
        /* the total as the sum it is, so a reader can follow it in the cells;
         * the engine's total is its value when opened */
        char formula[8192] = "=";
        bool sum = nc > 0 && nc <= 200;
        for (size_t k = 0; k < nc; k++) {
            const csa_priority_score *s = &pr->scores[k];
            lxw_col_t c = (lxw_col_t)(2 + 4 * k);
            const char *words =
                isfinite(s->value) && s->value_unit ? s->value_unit : s->value_text;
            int places = s->decimals > 0 ? clamp_decimals(s->decimals)
                                         : csa_score_decimals(s->value);
            put_num(x, ws, r, c, s->value, f->dec[places]);
            put_str(x, ws, r, c + 1, words, NULL);
            widen(&widths[c + 1], words, 1.0);
            put_num(x, ws, r, c + 2, s->score, f->score[csa_score_decimals(s->score)]);
            put_num(x, ws, r, c + 3, s->weight, f->score[csa_score_decimals(s->weight)]);
            sum = sum && isfinite(s->score) && isfinite(s->weight);
            char score[LXW_MAX_CELL_NAME_LENGTH], weight[LXW_MAX_CELL_NAME_LENGTH];
            lxw_rowcol_to_cell(score, r, c + 2);
            lxw_rowcol_to_cell(weight, r, c + 3);
            size_t len = strlen(formula);
            snprintf(formula + len, sizeof formula - len, "%s%s*%s", k ? "+" : "", score, weight);
        }
        lxw_format *total_format = f->score[csa_score_decimals(pr->total)];
        if (sum && isfinite(pr->total))
            check(x, worksheet_write_formula_num(ws, r, total, formula, total_format, pr->total));
        else
            put_num(x, ws, r, total, pr->total, total_format);
    }

    lxw_row_t r = top + 2 + (lxw_row_t)a->npriorities + 1;
    put_str(x, ws, r++, 0, "How each criterion is scored", f->subtitle);
    for (size_t k = 0; k < nc; k++, r++) {
        merge_str(x, ws, r, 0, r, 1, a->criteria[k].name, f->label);
        put_str(x, ws, r, 2, a->criteria[k].rule, NULL);
    }
    set_widths(x, ws, widths, (size_t)total + 1);
    worksheet_freeze_panes(ws, top + 2, 2);
fail:
    free(widths);
    return st;
}

/* ---- theme sheets ---- */

/* The value axis title: the column with the unit, unless the column says
 * it already ("Rate per 1,000" and "per 1,000 residents" give "Rate per
 * 1,000 residents") or names a unit of its own ("Crimes per day"). */
static void value_title(const char *col, const char *unit, char *out, size_t size)
{
    if (!unit || !*unit || strcasestr(col, unit)) {
        snprintf(out, size, "%s", col);
        return;
    }
    size_t ul = strlen(unit), cl = strlen(col);
    for (size_t n = ul; n-- > 3;) {
        if (unit[n] == ' ' && n <= cl && strncasecmp(col + cl - n, unit, n) == 0) {
            snprintf(out, size, "%s%s", col, unit + n);
            return;
        }
    }
    if (strcasestr(col, " per ")) {
        snprintf(out, size, "%s", col);
        return;
    }
    snprintf(out, size, strchr(unit, '(') ? "%s, %s" : "%s (%s)", col, unit);
}

static csa_status find_column(wbx *x, const csa_report_table *rt, const char *name,
                              bool numeric, lxw_col_t *out, csa_error *err)
{
    size_t c = csa_table_find(rt->table, name);
    if (c == CSA_NO_ROW)
        return csa_error_set(err, CSA_ERR_NOT_FOUND, x->path, 0, 0, name, NULL,
                             "table \"%s\" has no column \"%s\" to chart", rt->title, name);
    csa_type type = csa_table_column_type(rt->table, c);
    if (numeric && type != CSA_DOUBLE && type != CSA_INT64)
        return csa_error_set(err, CSA_ERR_USAGE, x->path, 0, 0, name, NULL,
                             "column \"%s\" of table \"%s\" is not numbers", name, rt->title);
    *out = (lxw_col_t)c;
    return CSA_OK;
}

/* Sets a chart's title (axis NULL) or an axis name to text s as XML allows
 * it. libxlsxwriter reads a name that starts with "=" as a reference to a
 * cell ("=Sheet1!$A$1"), so such text gets a leading quote, as in the
 * CSVs. */
static void chart_name(wbx *x, lxw_chart *chart, lxw_chart_axis *axis, const char *s)
{
    char *clean, *quoted = NULL;
    if (!s)
        return;
    const char *text = csa_text_xml(s, &clean);
    if (text && text[0] == '=') {
        quoted = malloc(strlen(text) + 2);
        text = quoted ? strcat(strcpy(quoted, "'"), text) : NULL;
    }
    if (!text)
        check(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
    else if (axis)
        chart_axis_set_name(axis, text);
    else
        chart_title_set_name(chart, text);
    free(quoted);
    free(clean);
}

/* The table's native chart, to the right of the table whose header is at
 * row `header` (title a row above); *rows gets the rows it covers from the
 * title row down. */
static csa_status native_chart(wbx *x, lxw_worksheet *ws, const char *sheet,
                               const csa_indicator_report *ind, const csa_report_table *rt,
                               lxw_row_t header, lxw_row_t *rows, csa_error *err)
{
    *rows = 0;
    size_t n = csa_table_nrows(rt->table);
    if (rt->chart == CSA_NATIVE_NONE || n == 0)
        return CSA_OK;
    size_t nc = csa_table_ncols(rt->table);
    if (rt->chart == CSA_NATIVE_HEAT) {
        if (nc < 3)
            return CSA_OK;
        lxw_conditional_format scale = {.type = LXW_CONDITIONAL_2_COLOR_SCALE,
                                        .min_color = 0xF7FBFF, .max_color = 0x08306B};
        check(x, worksheet_conditional_format_range(ws, header + 1, 1, header + (lxw_row_t)n,
                                                    (lxw_col_t)nc - 2, &scale));
        return CSA_OK;
    }
    lxw_col_t xc, yc, lc = 0, uc = 0;
    csa_status st;
    if ((st = find_column(x, rt, rt->x_column ? rt->x_column : "", false, &xc, err)) ||
        (st = find_column(x, rt, rt->y_column ? rt->y_column : "", true, &yc, err)) ||
        (rt->lower_column && (st = find_column(x, rt, rt->lower_column, true, &lc, err))) ||
        (rt->upper_column && (st = find_column(x, rt, rt->upper_column, true, &uc, err))))
        return st;
    bool bar = rt->chart == CSA_NATIVE_BAR, line = rt->chart == CSA_NATIVE_LINE;
    lxw_chart *chart = workbook_add_chart(
        x->wb, line ? LXW_CHART_LINE : bar ? LXW_CHART_BAR : LXW_CHART_COLUMN);
    if (!chart)
        return csa_error_set(err, CSA_ERR_NOMEM, x->path, 0, 0, NULL, NULL, "out of memory");
    lxw_row_t first = header + 1, last = header + (lxw_row_t)n;

    /* Excel's custom error bars are beyond libxlsxwriter 1.1: the interval
     * is drawn as series of its own (dashed lines, or outlined bars
     * overlapping the value's bar) */
    const lxw_col_t cols[3] = {yc, lc, uc};
    const bool present[3] = {true, rt->lower_column != NULL, rt->upper_column != NULL};
    size_t nseries = 0;
    for (size_t i = 0; i < 3; i++) {
        if (!present[i])
            continue;
        lxw_chart_series *s = chart_add_series(chart, NULL, NULL);
        if (!s)
            return csa_error_set(err, CSA_ERR_NOMEM, x->path, 0, 0, NULL, NULL, "out of memory");
        nseries++;
        chart_series_set_categories(s, sheet, first, xc, last, xc);
        chart_series_set_values(s, sheet, first, cols[i], last, cols[i]);
        chart_series_set_name_range(s, sheet, header, cols[i]);
        if (line && i == 0) {
            lxw_chart_line l = {.color = 0x0072B2, .width = 2.25};
            lxw_chart_fill mf = {.color = 0x0072B2};
            chart_series_set_line(s, &l);
            chart_series_set_marker_type(s, LXW_CHART_MARKER_CIRCLE);
            chart_series_set_marker_size(s, 5);
            chart_series_set_marker_fill(s, &mf);
            chart_series_set_marker_line(s, &l);
        } else if (line) {
            lxw_chart_line l = {.color = 0x595959, .width = 1.25,
                                .dash_type = LXW_CHART_LINE_DASH_DASH};
            chart_series_set_line(s, &l);
            chart_series_set_marker_type(s, LXW_CHART_MARKER_NONE);
        } else if (i == 0) {
            lxw_chart_fill fill = {.color = 0x8DB4E2};
            lxw_chart_line l = {.color = 0x0072B2, .width = 0.75};
            chart_series_set_fill(s, &fill);
            chart_series_set_line(s, &l);
        } else {
            lxw_chart_fill fill = {.none = LXW_TRUE};
            lxw_chart_line l = {.color = 0x262626, .width = 1.25,
                                .dash_type = LXW_CHART_LINE_DASH_DASH};
            chart_series_set_fill(s, &fill);
            chart_series_set_line(s, &l);
        }
    }
    /* more lines, styled as the charts draw a rolling line and an overlay */
    for (size_t i = 0; line && rt->lines && i < 2; i++) {
        lxw_col_t c;
        if (!rt->lines[i])
            continue;
        if ((st = find_column(x, rt, rt->lines[i], true, &c, err)))
            return st;
        lxw_chart_series *s = chart_add_series(chart, NULL, NULL);
        if (!s)
            return csa_error_set(err, CSA_ERR_NOMEM, x->path, 0, 0, NULL, NULL, "out of memory");
        nseries++;
        chart_series_set_categories(s, sheet, first, xc, last, xc);
        chart_series_set_values(s, sheet, first, c, last, c);
        chart_series_set_name_range(s, sheet, header, c);
        lxw_chart_line l = i == 0 ? (lxw_chart_line){.color = 0x56B4E9, .width = 2.5,
                                                     .transparency = 30}
                                  : (lxw_chart_line){.color = 0xD55E00, .width = 1.25,
                                                     .dash_type = LXW_CHART_LINE_DASH_DASH};
        chart_series_set_line(s, &l);
        chart_series_set_marker_type(s, i == 0 ? LXW_CHART_MARKER_NONE
                                               : LXW_CHART_MARKER_TRIANGLE);
        if (i == 1) {
            lxw_chart_fill mf = {.color = 0xD55E00};
            lxw_chart_line ml = {.color = 0xD55E00};
            chart_series_set_marker_size(s, 6);
            chart_series_set_marker_fill(s, &mf);
            chart_series_set_marker_line(s, &ml);
        }
    }
    if (!line) {
        chart_set_series_overlap(chart, 100);
        chart_set_series_gap(chart, 60);
    }
    lxw_chart_font title_font = {.size = 12, .bold = LXW_TRUE};
    chart_name(x, chart, NULL, rt->title ? rt->title : "");
    chart_title_set_name_font(chart, &title_font);
    char ytitle[512];
    value_title(rt->y_column, ind->unit, ytitle, sizeof ytitle);
    /* libxlsxwriter's x axis is the horizontal one: a bar chart's values */
    lxw_chart_axis *categories = bar ? chart->y_axis : chart->x_axis;
    lxw_chart_axis *values = bar ? chart->x_axis : chart->y_axis;
    chart_name(x, chart, categories, rt->x_column);
    chart_name(x, chart, values, ytitle);
    if (bar) {
        /* first row at the top, as in the table, values still along the bottom */
        chart_axis_set_reverse(categories);
        chart_axis_set_crossing_max(categories);
        chart_axis_set_interval_unit(categories, 1); /* every label, as there is room */
    }
    chart_legend_set_position(chart, nseries > 1 ? LXW_CHART_LEGEND_BOTTOM
                                                 : LXW_CHART_LEGEND_NONE);
    chart_show_blanks_as(chart, LXW_CHART_BLANKS_AS_GAP);

    /* room for the categories' labels: a bar each, or rotated labels */
    double height = CHART_HEIGHT + (rt->chart == CSA_NATIVE_COLUMN ? 40 : 0);
    if (bar && 120.0 + 50.0 * (double)n > height)
        height = 120.0 + 50.0 * (double)n;
    lxw_chart_options opt = {.x_offset = 8, .x_scale = CHART_WIDTH / DEFAULT_CHART_WIDTH,
                             .y_scale = height / DEFAULT_CHART_HEIGHT,
                             .object_position = LXW_OBJECT_MOVE_DONT_SIZE};
    check(x, worksheet_insert_chart_opt(ws, header - 1,
                                        (lxw_col_t)csa_table_ncols(rt->table) + 1, chart, &opt));
    *rows = (lxw_row_t)ceil(height / ROW_PIXELS) + 1;
    return CSA_OK;
}

static csa_status write_indicator(wbx *x, lxw_worksheet *ws, const char *sheet,
                                  const csa_indicator_report *ind, lxw_row_t *row,
                                  double *widths, csa_error *err)
{
    const formats *f = &x->f;
    lxw_row_t r = *row;
    char line[2048];
    put_str(x, ws, r++, 0, ind->title ? ind->title : ind->name, f->heading);
    if (ind->reading)
        put_str(x, ws, r++, 0, ind->reading, NULL);
    if (ind->note) {
        snprintf(line, sizeof line, "Note: %s", ind->note);
        put_str(x, ws, r++, 0, line, f->warning);
    }
    if (ind->source || ind->method) {
        snprintf(line, sizeof line, "%s%s%s%s%s", ind->source ? "Source: " : "",
                 ind->source ? ind->source : "", ind->source && ind->method ? ". " : "",
                 ind->method ? "Method: " : "", ind->method ? ind->method : "");
        put_str(x, ws, r++, 0, line, f->base.note);
    }
    r++;
    for (size_t t = 0; t < ind->ntables; t++) {
        const csa_report_table *rt = &ind->tables[t];
        if (!rt->table)
            continue;
        put_str(x, ws, r, 0, rt->title, f->subtitle);
        if (rt->note)
            put_str(x, ws, ++r, 0, rt->note, f->base.note);
        lxw_row_t next, chart_rows;
        csa_status st = excel_table(x, ws, r + 1, rt->title, rt->table, rt->decimals, widths,
                                    &next, err);
        if (st == CSA_OK)
            st = native_chart(x, ws, sheet, ind, rt, r + 1, &chart_rows, err);
        if (st != CSA_OK)
            return st;
        r = (next > r + chart_rows ? next : r + chart_rows) + 1;
    }
    /* maps have no native chart: the same drawing as the pack's, as a
     * picture */
    for (size_t g = 0; g < ind->ncharts; g++) {
        const csa_chart *c = &ind->charts[g];
        if (c->kind != CSA_CHART_CHOROPLETH && c->kind != CSA_CHART_HOTSPOT)
            continue;
        char *png;
        size_t size;
        /* the PNG csa_chart_files wrote of it, scaled, when it kept it:
         * a map is not drawn again */
        const csa_chart_kept *k = c->kept;
        bool kept = k && k->png && k->png_width > 0 && k->png_height > 0;
        double scale = kept ? (double)MAP_WIDTH / k->png_width : 1;
        if (kept) {
            png = k->png, size = k->png_size;
        } else {
            csa_status st = csa_chart_png_memory(c, MAP_WIDTH, MAP_HEIGHT, &png, &size, err);
            if (st != CSA_OK)
                return st;
        }
        lxw_image_options opt = {.x_offset = 8, .x_scale = scale, .y_scale = scale,
                                 .object_position = LXW_OBJECT_MOVE_DONT_SIZE,
                                 .description = (char *)(c->title ? c->title : "Map")};
        /* libxlsxwriter copies the picture to a temporary file now: a
         * failed write is told as such (disk full), not as its own words */
        errno = 0;
        lxw_error e = worksheet_insert_image_buffer_opt(ws, r, 0, (const unsigned char *)png,
                                                        size, &opt);
        int saved = errno;
        if (!kept)
            free(png);
        if (e != LXW_NO_ERROR)
            return csa_error_set(err, CSA_ERR_IO, x->path, 0, 0, NULL, NULL,
                                 "cannot write the picture of \"%s\": %s",
                                 c->title ? c->title : "a map",
                                 saved ? csa_io_error(saved) : lxw_strerror(e));
        r += (lxw_row_t)ceil((kept ? k->png_height * scale : MAP_HEIGHT) / ROW_PIXELS) + 2;
    }
    *row = r + 1;
    return CSA_OK;
}

static const char *theme_of(const csa_indicator_report *ind)
{
    return ind->theme && *ind->theme ? ind->theme : "Other";
}

static csa_status write_theme(wbx *x, const char *theme, csa_error *err)
{
    const csa_assessment *a = x->a;
    char base[256];
    sheet_name_of(theme, base, sizeof base);
    const char *sheet = unique_name(&x->sheets, base, SHEET_NAME_MAX, true);
    if (!sheet)
        return csa_error_set(err, CSA_ERR_NOMEM, x->path, 0, 0, NULL, NULL, "out of memory");
    lxw_worksheet *ws;
    csa_status st = begin_sheet(x, sheet, theme, NULL, &ws, err);
    if (st != CSA_OK)
        return st;

    size_t ncols = 1;
    for (size_t i = 0; i < a->nindicators; i++)
        if (strcmp(theme_of(&a->indicators[i]), theme) == 0)
            for (size_t t = 0; t < a->indicators[i].ntables; t++)
                if (a->indicators[i].tables[t].table &&
                    csa_table_ncols(a->indicators[i].tables[t].table) > ncols)
                    ncols = csa_table_ncols(a->indicators[i].tables[t].table);
    double *widths = calloc(ncols, sizeof *widths);
    if (!widths)
        return csa_error_set(err, CSA_ERR_NOMEM, x->path, 0, 0, NULL, NULL, "out of memory");

    lxw_row_t r = 3;
    for (size_t i = 0; i < a->nindicators; i++) {
        if (strcmp(theme_of(&a->indicators[i]), theme) != 0)
            continue;
        st = write_indicator(x, ws, sheet, &a->indicators[i], &r, widths, err);
        if (st != CSA_OK)
            goto fail;
    }
    set_widths(x, ws, widths, ncols);
fail:
    free(widths);
    return st;
}

/* ---- Data quality ---- */

/* An Excel table over cells the caller writes: header at `top`, nrows rows
 * under it (at least one, as Excel needs). */
static csa_status table_frame(wbx *x, lxw_worksheet *ws, lxw_row_t top,
                              const char *const *headers, size_t ncols, size_t nrows,
                              const char *title, double *widths, csa_error *err)
{
    lxw_table_column cols[16];
    lxw_table_column *ptrs[17] = {0};
    if (ncols > 16)
        return csa_error_set(err, CSA_ERR_LIMIT, x->path, 0, 0, NULL, NULL,
                             "table \"%s\" has too many columns", title);
    for (size_t c = 0; c < ncols; c++) {
        cols[c] = (lxw_table_column){.header = (char *)headers[c],
                                     .header_format = x->f.table_header};
        ptrs[c] = &cols[c];
        widen(&widths[c], headers[c], 0.9);
    }
    const char *name = table_name(x, title);
    if (!name)
        return csa_error_set(err, CSA_ERR_NOMEM, x->path, 0, 0, NULL, NULL, "out of memory");
    lxw_table_options opt = {.name = (char *)name, .columns = ptrs,
                             .style_type = LXW_TABLE_STYLE_TYPE_LIGHT,
                             .style_type_number = 9};
    check(x, worksheet_add_table(ws, top, 0, top + (lxw_row_t)(nrows ? nrows : 1),
                                 (lxw_col_t)(ncols - 1), &opt));
    return CSA_OK;
}

/* Columns line up with the findings table under them (Input, File, Line,
 * Column, Check, Severity, Value, Message), so text sits in its wide
 * columns and the row accounting in its narrow ones. */
static const char *const INPUT_HEADERS[] = {
    "Input", "Status", "Spec", "Rows read", "Used", "No location", "No population",
    "Outside area", "Outside period", "Rejected", "Covers", "Months missing", "Errors",
    "Warnings", "Files"};
/* with inputs from the submissions register: when they came, against when due */
static const char *const FILE_HEADERS[] = {"Input", "File", "Bytes", "Last modified (UTC)",
                                           "Received (UTC)", "Due", "Days late"};

/* Whether an input came from the submissions register. */
static bool any_received(const csa_assessment *a)
{
    for (size_t i = 0; i < a->ninputs; i++)
        if (a->inputs[i].received)
            return true;
    return false;
}

/* An input from the register: received, due and days late from column c
 * (a stored copy's modification time says nothing, and is not shown);
 * otherwise the file's modification time in column c - 1. */
static void put_received(wbx *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t c,
                         const csa_input_report *in, size_t k)
{
    if (!in->received) {
        put_time(x, ws, row, c - 1, in->modified[k]);
        return;
    }
    put_time(x, ws, row, c, in->received);
    char due[CSA_DATE_TEXT_MAX];
    csa_format_date(in->due, false, due);
    put_str(x, ws, row, c + 1, due, NULL);
    put_num(x, ws, row, c + 2, in->days_late, x->f.base.integer);
}
/* the crime indicators' rows, under the same headers as the inputs' */
static const char *const INDICATOR_HEADERS[] = {
    "Indicator", "Name", "Source", "Rows read", "Used", "No location", "No population",
    "Outside area", "Outside period", "Rejected"};
enum { DQ_NCOLS = 15, DQ_NTERMS = 7 };

/* The accounting's seven counts from column 3 of row. */
static void put_terms(wbx *x, lxw_worksheet *ws, lxw_row_t row, const csa_row_accounting *a)
{
    const uint64_t t[DQ_NTERMS] = {a->read, a->used, a->no_location, a->no_population,
                                   a->outside_area, a->outside_period, a->rejected};
    for (lxw_col_t c = 0; c < DQ_NTERMS; c++)
        put_num(x, ws, row, 3 + c, (double)t[c], x->f.base.integer);
}

static csa_status write_quality(wbx *x, csa_error *err)
{
    const csa_assessment *a = x->a;
    lxw_worksheet *ws;
    csa_status st = begin_sheet(
        x, QUALITY, "Data quality",
        "Every row read is accounted for: rows read = used + no location + no population + "
        "outside area + outside period + rejected, for every input and every crime indicator "
        "(the rows of its crime types). An input excluded with --allow-invalid is left out of "
        "every figure: its rows count as rejected.",
        &ws, err);
    if (st != CSA_OK)
        return st;
    const formats *f = &x->f;
    size_t nwidths = DQ_NCOLS;
    if (a->findings && csa_table_ncols(a->findings) > nwidths)
        nwidths = csa_table_ncols(a->findings);
    double *widths = calloc(nwidths, sizeof *widths);
    if (!widths)
        return csa_error_set(err, CSA_ERR_NOMEM, x->path, 0, 0, NULL, NULL, "out of memory");

    lxw_row_t r = 3;
    put_str(x, ws, r++, 0, "Inputs", f->subtitle);
    if ((st = table_frame(x, ws, r, INPUT_HEADERS, DQ_NCOLS, a->ninputs, "Inputs", widths,
                          err)))
        goto fail;
    size_t nfiles = 0;
    for (size_t i = 0; i < a->ninputs; i++) {
        const csa_input_report *in = &a->inputs[i];
        lxw_row_t row = r + 1 + (lxw_row_t)i;
        const char *status = in->excluded ? "Excluded (--allow-invalid)" : "Used";
        const char *text[3] = {in->name, status, in->spec};
        for (lxw_col_t c = 0; c < 3; c++) {
            put_str(x, ws, row, c, text[c], in->excluded && c == 1 ? f->warning : NULL);
            widen(&widths[c], text[c], 1.05);
        }
        put_terms(x, ws, row, &in->rows);
        put_str(x, ws, row, 10, in->covers, NULL);
        widen(&widths[10], in->covers, 1.05);
        put_str(x, ws, row, 11, in->missing, NULL);
        widen(&widths[11], in->missing, 1.05);
        put_num(x, ws, row, 12, (double)in->errors, f->base.integer);
        put_num(x, ws, row, 13, (double)in->warnings, f->base.integer);
        put_num(x, ws, row, 14, (double)in->nfiles, f->base.integer);
        nfiles += in->nfiles;
    }
    r += (lxw_row_t)(a->ninputs ? a->ninputs : 1) + 2;

    size_t ncounted = 0;
    for (size_t i = 0; i < a->nindicators; i++)
        ncounted += a->indicators[i].has_rows != 0;
    if (ncounted) {
        put_str(x, ws, r++, 0, "Crime indicators", f->subtitle);
        if ((st = table_frame(x, ws, r, INDICATOR_HEADERS, 3 + DQ_NTERMS, ncounted,
                              "Crime indicators", widths, err)))
            goto fail;
        lxw_row_t row = r + 1;
        for (size_t i = 0; i < a->nindicators; i++) {
            const csa_indicator_report *ind = &a->indicators[i];
            if (!ind->has_rows)
                continue;
            put_str(x, ws, row, 0, ind->title, NULL);
            widen(&widths[0], ind->title, 1.05);
            put_str(x, ws, row, 1, ind->name, NULL);
            put_str(x, ws, row, 2, ind->source, NULL);
            put_terms(x, ws, row++, &ind->rows);
        }
        r += (lxw_row_t)ncounted + 2;
    }

    put_str(x, ws, r++, 0, "Files", f->subtitle);
    if ((st = table_frame(x, ws, r, FILE_HEADERS, any_received(a) ? 7 : 4, nfiles,
                          "Input files", widths, err)))
        goto fail;
    lxw_row_t row = r + 1;
    for (size_t i = 0; i < a->ninputs; i++) {
        const csa_input_report *in = &a->inputs[i];
        for (size_t k = 0; k < in->nfiles; k++, row++) {
            put_str(x, ws, row, 0, in->name, NULL);
            put_str(x, ws, row, 1, in->files[k], NULL);
            widen(&widths[1], in->files[k], 1.0);
            put_num(x, ws, row, 2, (double)in->bytes[k], f->base.integer);
            put_received(x, ws, row, 4, in, k);
        }
    }
    if (widths[3] < 20)
        widths[3] = 20;
    r += (lxw_row_t)(nfiles ? nfiles : 1) + 2;

    put_str(x, ws, r++, 0, "Validation findings", f->subtitle);
    if (!a->findings || csa_table_nrows(a->findings) == 0) {
        put_str(x, ws, r, 0, "No validation findings.", NULL);
    } else {
        lxw_row_t next;
        if ((st = excel_table(x, ws, r, "Validation findings", a->findings, 0, widths, &next,
                              err)))
            goto fail;
    }
    set_widths(x, ws, widths, nwidths);
fail:
    free(widths);
    return st;
}

/* ---- Provenance ---- */

static const char *const PROVENANCE_HEADERS[] = {"Input", "Spec", "File", "Bytes", "SHA-256",
                                                 "Rows read", "Modified (UTC)",
                                                 "Received (UTC)", "Due", "Days late"};

static csa_status write_provenance(wbx *x, csa_error *err)
{
    const csa_assessment *a = x->a;
    lxw_worksheet *ws;
    csa_status st = begin_sheet(x, PROVENANCE, "Provenance",
                                "What went into this workbook, to check it or make it again.",
                                &ws, err);
    if (st != CSA_OK)
        return st;
    const formats *f = &x->f;
    double widths[10] = {14, 22, 0, 0, 0, 0, 0, 0, 0, 0};
    size_t ncols = any_received(a) ? 10 : 7;
    const char *labels[6] = {"Title", "Area", "Period", "Comparator", "Config", "csa version"};
    const char *values[6] = {a->title, a->area, a->period, a->comparator, a->config,
                             a->version};
    lxw_row_t r = 3;
    for (size_t i = 0; i < 6; i++, r++) {
        put_str(x, ws, r, 0, labels[i], f->label);
        put_str(x, ws, r, 1, values[i], NULL);
    }
    put_str(x, ws, r, 0, "Run time (UTC)", f->label);
    put_time(x, ws, r, 1, a->run_time);
    r += 2;

    put_str(x, ws, r++, 0, "Input files", f->subtitle);
    size_t nfiles = 0;
    for (size_t i = 0; i < a->ninputs; i++)
        nfiles += a->inputs[i].nfiles;
    st = table_frame(x, ws, r, PROVENANCE_HEADERS, ncols, nfiles, "Provenance files", widths,
                     err);
    if (st != CSA_OK)
        return st;
    lxw_row_t row = r + 1;
    for (size_t i = 0; i < a->ninputs; i++) {
        const csa_input_report *in = &a->inputs[i];
        for (size_t k = 0; k < in->nfiles; k++, row++) {
            put_str(x, ws, row, 0, in->name, NULL);
            widen(&widths[0], in->name, 1.1);
            put_str(x, ws, row, 1, in->spec, NULL);
            widen(&widths[1], in->spec, 1.1);
            put_str(x, ws, row, 2, in->files[k], NULL);
            widen(&widths[2], in->files[k], 1.0);
            put_num(x, ws, row, 3, (double)in->bytes[k], f->base.integer);
            put_str(x, ws, row, 4, in->sha256[k], NULL);
            widen(&widths[4], in->sha256[k], 1.0);
            put_num(x, ws, row, 5, (double)in->file_rows[k], f->base.integer);
            put_received(x, ws, row, 7, in, k);
        }
    }
    for (size_t c = 6; c < 8; c++)
        widths[c] = widths[c] < 20 ? 20 : widths[c];
    for (size_t c = 0; c < ncols; c++)
        check(x, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
                                      c == 4 ? widths[c] : widths[c] > WIDTH_MAX ? WIDTH_MAX
                                                                                : widths[c],
                                      NULL));
    return CSA_OK;
}

/* ---- the workbook ---- */

csa_status csa_write_assessment_xlsx(const csa_assessment *a, const char *path,
                                     csa_error *err)
{
    if (!a || !path)
        return csa_error_set(err, CSA_ERR_USAGE, path, 0, 0, NULL, NULL,
                             "no assessment or no path to write it to");
    csa_status st = CSA_OK;
    wbx x = {.a = a, .path = path};
    const char **themes = calloc(a->nindicators ? a->nindicators : 1, sizeof *themes);
    if (!themes) {
        st = csa_error_set(err, CSA_ERR_NOMEM, path, 0, 0, NULL, NULL, "out of memory");
        goto fail;
    }
    char tmpdir[4096];
    x.wb = csa_xlsx_new(path, tmpdir);
    if (!x.wb) {
        st = csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot create workbook");
        goto fail;
    }
    add_formats(&x);
    char subject[512];
    snprintf(subject, sizeof subject, "Strategic assessment%s%s", a->period ? ", " : "",
             a->period ? a->period : "");
    char comments[512];
    snprintf(comments, sizeof comments, "Written by csa %s", a->version ? a->version : "");
    /* the run's time, not the clock's, so that the same inputs give the
     * same cells and properties */
    char *title, *about;
    lxw_doc_properties props = {.title = (char *)csa_text_xml(a->title, &title),
                                .subject = (char *)csa_text_xml(subject, &about),
                                .author = "csa", .comments = comments,
                                .created = a->run_time};
    check(&x, (a->title && !props.title) || !props.subject
                  ? LXW_ERROR_MEMORY_MALLOC_FAILED
                  : workbook_set_properties(x.wb, &props));
    free(title);
    free(about);

    /* theme sheets must not take the fixed sheets' names (nor History,
     * which Excel keeps for itself) */
    const char *reserved[] = {SUMMARY, PRIORITIES, QUALITY, PROVENANCE, "History"};
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (!names_add(&x.sheets, reserved[i])) {
            st = csa_error_set(err, CSA_ERR_NOMEM, path, 0, 0, NULL, NULL, "out of memory");
            goto fail;
        }
    size_t nthemes = 0;
    for (size_t i = 0; i < a->nindicators; i++) {
        const char *t = theme_of(&a->indicators[i]);
        size_t k = 0;
        while (k < nthemes && strcmp(themes[k], t) != 0)
            k++;
        if (k == nthemes)
            themes[nthemes++] = t;
    }

    if ((st = write_summary(&x, err)) || (st = write_priorities(&x, err)))
        goto fail;
    for (size_t k = 0; k < nthemes; k++)
        if ((st = write_theme(&x, themes[k], err)))
            goto fail;
    if ((st = write_quality(&x, err)) || (st = write_provenance(&x, err)))
        goto fail;
    if (x.e != LXW_NO_ERROR) {
        st = csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL,
                           "cannot write sheet \"%s\": %s", x.e_sheet ? x.e_sheet : "",
                           lxw_strerror(x.e));
        goto fail;
    }
    st = csa_xlsx_close(x.wb, path, err);
    x.wb = NULL;
fail:
    if (x.wb)
        lxw_workbook_free(x.wb);
    names_free(&x.sheets);
    names_free(&x.tables);
    free(themes);
    return st;
}
