/* assessment.html: the pack's content as one accessible, self-contained
 * web page (WCAG 2.1 AA) for the council's website and for reading on a
 * phone: inline CSS, the charts as inline SVG drawn by the same
 * csa_chart_draw as the pack's, no script and nothing fetched. Every word
 * and figure comes from the functions of csa/present.h that the pack and
 * the workbook use, and the page walks the assessment generically (every
 * report table and chart of every indicator, whatever its kind). Each
 * glyph the charts' text is drawn with is defined once for the page. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csa/assessment.h"
#include "csa/present.h"
#include "csa/report.h"
#include "csa/text.h"

/* The charts' drawing size in points: about the pack's (499 points
 * across), so that their text, scaled with the chart, stays as large
 * against it as on paper and is readable on a phone. */
static const double CHART_W = CSA_WEB_CHART_WIDTH, CHART_H = CSA_WEB_CHART_HEIGHT;
/* Tables longer than this are folded in a <details>. */
enum { SHORT_TABLE = 12 };

typedef struct page {
    const csa_assessment *a;
    FILE *fp;
    int errnum;             /* of the first failed write, or 0 */
    size_t *order;          /* indicators in pack order */
    size_t norder;
    unsigned regions;       /* scrollable regions so far, for their ids */
    struct glyph *glyphs;   /* every glyph symbol written so far */
    size_t nglyphs, glyph_cap, glyph_written;
} page;

static const char *str(const char *s)
{
    return s ? s : "";
}

static void put(page *h, const char *s, size_t n)
{
    errno = 0;
    if (!h->errnum && n && fwrite(s, 1, n, h->fp) != n)
        h->errnum = errno ? errno : EIO;
}

static void out(page *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out(page *h, const char *fmt, ...)
{
    char small[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        put(h, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        h->errnum = h->errnum ? h->errnum : ENOMEM;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    put(h, big, (size_t)n);
    free(big);
}

/* Text as HTML text or attribute value: markup characters escaped, what
 * XML forbids replaced (csa_text_xml); a line feed is a <br> when
 * `lines`, and what follows the first one is detail (smaller, muted). */
static void esc_lines(page *h, const char *s, int lines)
{
    char *owned;
    const char *t = csa_text_xml(str(s), &owned);
    if (!t) {
        h->errnum = h->errnum ? h->errnum : ENOMEM;
        return;
    }
    int sub = 0;
    for (const char *p = t; *p;) {
        size_t n = strcspn(p, "&<>\"\n");
        put(h, p, n);
        p += n;
        switch (*p) {
        case '\0': continue;
        case '&': out(h, "&amp;"); break;
        case '<': out(h, "&lt;"); break;
        case '>': out(h, "&gt;"); break;
        case '"': out(h, "&quot;"); break;
        case '\n':
            if (!lines)
                out(h, " ");
            else if (!sub++)
                out(h, "<br><span class=\"sub\">");
            else
                out(h, "<br>");
            break;
        }
        p++;
    }
    if (sub)
        out(h, "</span>");
    free(owned);
}

static void esc(page *h, const char *s)
{
    esc_lines(h, s, 0);
}

/* ---- the RAG mark: a shape and a word, never colour alone ---- */

/* The shape of an outcome, as the charts draw it (report/charts.c):
 * better a diamond, similar a circle, worse a square, higher and lower
 * triangles up and down, not compared an empty circle. */
static void outcome_mark(page *h, csa_outcome o)
{
    const char *shape;
    switch (o) {
    case CSA_BETTER: shape = "<path d=\"M7 1 13 7 7 13 1 7Z\"/>"; break;
    case CSA_WORSE: shape = "<path d=\"M2 2H12V12H2Z\"/>"; break;
    case CSA_HIGHER: shape = "<path d=\"M7 1 13 12H1Z\"/>"; break;
    case CSA_LOWER: shape = "<path d=\"M1 2H13L7 13Z\"/>"; break;
    case CSA_SIMILAR:
    case CSA_NOT_COMPARED:
    default: shape = "<circle cx=\"7\" cy=\"7\" r=\"5.5\"/>"; break;
    }
    out(h, "<span class=\"rag\"><svg class=\"mark\" viewBox=\"0 0 14 14\" aria-hidden=\"true\" "
           "focusable=\"false\"><g fill=\"%s\" stroke=\"#1a1a1a\" stroke-width=\"1.2\">%s</g>"
           "</svg> ",
        o == CSA_NOT_COMPARED ? "#ffffff" : csa_outcome_colour(o), shape);
    esc(h, csa_outcome_name(o));
    out(h, "</span>");
}

/* ---- tables ---- */

static int numeric_column(const csa_table *t, size_t c)
{
    csa_type ty = csa_table_column_type(t, c);
    return ty == CSA_DOUBLE || ty == CSA_INT64;
}

/* Opens a table in a region that scrolls sideways by itself (so that the
 * page never does), focusable and named by the caption. */
static void table_open(page *h, const char *caption, int hidden_caption)
{
    unsigned id = ++h->regions;
    out(h, "<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"t%u\">"
           "<table><caption id=\"t%u\"%s>", id, id, hidden_caption ? " class=\"vh\"" : "");
    esc(h, caption);
    out(h, "</caption>\n");
}

static void table_close(page *h)
{
    out(h, "</table></div>\n");
}

/* A header row: numbers' columns right-aligned as their cells are. */
static void head_row(page *h, const char *const *head, size_t n, const int *num)
{
    out(h, "<thead><tr>");
    for (size_t c = 0; c < n; c++) {
        out(h, "<th scope=\"col\"%s>", num && num[c] ? " class=\"num\"" : "");
        esc(h, head[c]);
        out(h, "</th>");
    }
    out(h, "</tr></thead>\n");
}

/* A body row; its first cell heads the row. */
static void body_row(page *h, const char *const *cells, size_t n, const int *num)
{
    out(h, "<tr>");
    for (size_t c = 0; c < n; c++) {
        const char *tag = c == 0 ? "th" : "td";
        out(h, "<%s%s%s>", tag, c == 0 ? " scope=\"row\"" : "",
            num && num[c] ? " class=\"num\"" : "");
        esc_lines(h, cells[c], 1);
        out(h, "</%s>", tag);
    }
    out(h, "</tr>\n");
}

/* A report table, every column and row, numbers as the workbook shows
 * them (csa_column_decimals); folded when long. */
static void report_table(page *h, const csa_report_table *rt, const char *caption)
{
    const csa_table *t = rt->table;
    size_t nc = csa_table_ncols(t), nr = csa_table_nrows(t);
    int fold = nr > SHORT_TABLE;
    if (fold) {
        out(h, "<details><summary>");
        esc(h, caption);
        out(h, " (%zu rows)</summary>\n", nr);
    }
    table_open(h, caption, 0);
    out(h, "<thead><tr>");
    for (size_t c = 0; c < nc; c++) {
        out(h, "<th scope=\"col\"%s>", numeric_column(t, c) ? " class=\"num\"" : "");
        esc(h, csa_table_column_name(t, c));
        out(h, "</th>");
    }
    out(h, "</tr></thead>\n<tbody>\n");
    char buf[CSA_CELL_MAX];
    for (size_t r = 0; r < nr; r++) {
        out(h, "<tr>");
        for (size_t c = 0; c < nc; c++) {
            int num = numeric_column(t, c);
            /* a label first (a month, a decile, an area) heads its row */
            int row_head = c == 0 && !num;
            const char *tag = row_head ? "th" : "td";
            out(h, "<%s%s%s>", tag, row_head ? " scope=\"row\"" : "", num ? " class=\"num\"" : "");
            esc(h, csa_format_cell(t, c, r, csa_column_decimals(t, c, rt->decimals), buf,
                                   sizeof buf));
            out(h, "</%s>", tag);
        }
        out(h, "</tr>\n");
    }
    out(h, "</tbody>\n");
    table_close(h);
    if (fold)
        out(h, "</details>\n");
}

/* ---- charts ---- */

/* Whether column col of t holds v[0..n) exactly, missing where NaN. */
static int same_values(const csa_table *t, size_t col, const double *v, size_t n)
{
    if (col == CSA_NO_ROW || !v || csa_table_column_type(t, col) != CSA_DOUBLE)
        return 0;
    const double *d = csa_table_doubles(t, col);
    for (size_t r = 0; r < n; r++) {
        int have = csa_table_valid(t, col, r) && !isnan(d[r]);
        if (have != !isnan(v[r]) || (have && d[r] != v[r]))
            return 0;
    }
    return 1;
}

/* The report table that holds chart c's data: one row per category, its
 * first (or x) column reading as the chart's labels, or its charted (y)
 * column holding the chart's values, in order; or NULL. */
static const csa_report_table *chart_table(const csa_indicator_report *ind, const csa_chart *c)
{
    if (c->n == 0)
        return NULL;
    char buf[CSA_CELL_MAX];
    for (size_t k = 0; k < ind->ntables; k++) {
        const csa_report_table *rt = &ind->tables[k];
        const csa_table *t = rt->table;
        if (!t || csa_table_nrows(t) != c->n || csa_table_ncols(t) == 0)
            continue;
        if (rt->y_column && same_values(t, csa_table_find(t, rt->y_column), c->values, c->n))
            return rt;
        size_t col = rt->x_column ? csa_table_find(t, rt->x_column) : 0;
        if (col == CSA_NO_ROW || !c->labels)
            continue;
        size_t r = 0;
        while (r < c->n && strcmp(csa_format_cell(t, col, r, -1, buf, sizeof buf),
                                  str(c->labels[r])) == 0)
            r++;
        if (r == c->n)
            return rt;
    }
    return NULL;
}

/* A heat chart's cells as the grid it draws: a row per group, a column
 * per label; a suppressed cell (NaN) is "*", as on the chart. */
static void heat_data(page *h, const csa_chart *c, const char *caption)
{
    enum { MAX_COLUMNS = 32 };
    size_t ncols = c->heat_columns, nrows = ncols ? c->n / ncols : 0;
    if (!ncols || ncols + 1 > MAX_COLUMNS || !c->groups || !c->labels)
        return;
    const char *head[MAX_COLUMNS];
    int num[MAX_COLUMNS];
    head[0] = c->y_label ? c->y_label : "", num[0] = 0;
    for (size_t k = 0; k < ncols; k++)
        head[k + 1] = str(c->labels[k]), num[k + 1] = 1;
    int places = csa_values_decimals(c->values, c->n);
    table_open(h, caption, 0);
    head_row(h, head, ncols + 1, num);
    out(h, "<tbody>\n");
    for (size_t r = 0; r < nrows; r++) {
        char buf[MAX_COLUMNS][CSA_CELL_MAX];
        const char *cells[MAX_COLUMNS];
        snprintf(buf[0], CSA_CELL_MAX, "%s", str(c->groups[r]));
        cells[0] = buf[0];
        for (size_t k = 0; k < ncols; k++) {
            double v = c->values[r * ncols + k];
            if (isfinite(v))
                csa_format_number(v, places, buf[k + 1], CSA_CELL_MAX);
            else
                snprintf(buf[k + 1], CSA_CELL_MAX, "*");
            cells[k + 1] = buf[k + 1];
        }
        body_row(h, cells, ncols + 1, num);
    }
    out(h, "</tbody>\n");
    table_close(h);
}

/* The chart's own data as a table, when no report table holds it: its
 * labels (or x) and every series it draws. */
static void chart_data(page *h, const csa_chart *c, const char *caption)
{
    enum { MAX_SERIES = 8 };
    const char *head[MAX_SERIES];
    const double *col[MAX_SERIES];
    int num[MAX_SERIES] = {0}, places[MAX_SERIES] = {0};
    size_t nc = 0;
    int by_x = c->kind == CSA_CHART_FUNNEL || c->kind == CSA_CHART_LORENZ;
    int labelled = c->labels && !(c->kind == CSA_CHART_LORENZ);
    /* horizontal charts name their categories on the y axis, their values
     * on the x axis */
    int across = c->kind == CSA_CHART_CATERPILLAR || c->kind == CSA_CHART_SURVEY;
    const char *category = across ? c->y_label : by_x ? NULL : c->x_label;
    const char *value = c->series_label ? c->series_label : across ? c->x_label : c->y_label;
    if (c->groups)
        head[nc] = "Breakdown", col[nc++] = NULL;
    if (labelled)
        head[nc] = category ? category : "Label", col[nc++] = NULL;
    if (by_x && c->x)
        head[nc] = c->x_label ? c->x_label : "x", col[nc] = c->x, num[nc++] = 1;
    head[nc] = value ? value : "Value";
    col[nc] = c->values, num[nc++] = 1;
    if (c->lower && c->upper) {
        head[nc] = "Lower 95% CI", col[nc] = c->lower, num[nc++] = 1;
        head[nc] = "Upper 95% CI", col[nc] = c->upper, num[nc++] = 1;
    }
    if (c->overlay)
        head[nc] = c->overlay_label ? c->overlay_label : "Overlay", col[nc] = c->overlay,
        num[nc++] = 1;
    if (c->rolling)
        head[nc] = c->rolling_label ? c->rolling_label : "Rolling", col[nc] = c->rolling,
        num[nc++] = 1;
    size_t outcome = nc;
    if (c->outcomes)
        head[nc] = "Compared", col[nc++] = NULL;
    for (size_t k = 0; k < nc; k++)
        if (num[k])
            places[k] = csa_values_decimals(col[k], c->n);

    int fold = c->n > SHORT_TABLE;
    if (fold) {
        out(h, "<details><summary>");
        esc(h, caption);
        out(h, " (%zu rows)</summary>\n", c->n);
    }
    table_open(h, caption, 0);
    head_row(h, head, nc, num);
    out(h, "<tbody>\n");
    for (size_t i = 0; i < c->n; i++) {
        char buf[MAX_SERIES][CSA_CELL_MAX];
        const char *cells[MAX_SERIES];
        for (size_t k = 0; k < nc; k++) {
            cells[k] = buf[k];
            buf[k][0] = '\0';
            if (col[k] && isfinite(col[k][i]))
                csa_format_number(col[k][i], places[k], buf[k], CSA_CELL_MAX);
            else if (col[k])
                snprintf(buf[k], CSA_CELL_MAX, "%s", c->missing_label ? c->missing_label : "no data");
        }
        size_t k = 0;
        if (c->groups)
            snprintf(buf[k++], CSA_CELL_MAX, "%s", str(c->groups[i]));
        if (labelled)
            snprintf(buf[k], CSA_CELL_MAX, "%s", str(c->labels[i]));
        if (c->outcomes)
            snprintf(buf[outcome], CSA_CELL_MAX, "%s", csa_outcome_name(c->outcomes[i]));
        /* the first cell heads the row: a label, or else the first figure */
        body_row(h, cells, nc, num);
    }
    out(h, "</tbody>\n");
    table_close(h);
    if (fold)
        out(h, "</details>\n");
}

/* A glyph cairo defined in a chart's SVG, as a <symbol>, kept once for
 * the whole page: every chart draws its text with the same few hundred
 * glyphs, which would otherwise be most of the page's bytes. */
typedef struct glyph {
    char *path;              /* the symbol's content */
    size_t len;
} glyph;

/* This chart's glyph ids ("glyph0-1") and the page's glyph each is. */
typedef struct glyph_map {
    char local[32];
    size_t len, global;     /* len: of local */
} glyph_map;

/* The page's glyph with content s[0..n), added if new; SIZE_MAX when out
 * of memory. */
static size_t page_glyph(page *h, const char *s, size_t n)
{
    for (size_t k = 0; k < h->nglyphs; k++)
        if (h->glyphs[k].len == n && memcmp(h->glyphs[k].path, s, n) == 0)
            return k;
    if (h->nglyphs == h->glyph_cap) {
        size_t cap = h->glyph_cap ? 2 * h->glyph_cap : 256;
        glyph *g = realloc(h->glyphs, cap * sizeof *g);
        if (!g)
            return SIZE_MAX;
        h->glyphs = g, h->glyph_cap = cap;
    }
    char *copy = malloc(n + 1);
    if (!copy)
        return SIZE_MAX;
    memcpy(copy, s, n);
    copy[n] = '\0';
    h->glyphs[h->nglyphs] = (glyph){copy, n};
    return h->nglyphs++;
}

/* Copies cairo's SVG after its opening tag with every id and every
 * reference to one prefixed, so that two charts' "clip1" stay apart on
 * one page, and each glyph symbol defined once on the page ("g12") and
 * referred to by that id from every chart. */
enum { SYMBOL, ID, HREF, URL, NMARKS };
static const char *const MARKS[NMARKS] = {"<symbol ", "id=\"", "href=\"#", "url(#"};

/* The next mark in s and which it is, or NULL: one pass over the text
 * (strstr for each mark would scan the rest of the SVG each time). */
static const char *next_mark(const char *s, size_t *which)
{
    for (; *s; s++)
        for (size_t k = 0; k < NMARKS; k++)
            if (*s == MARKS[k][0] && strncmp(s, MARKS[k], strlen(MARKS[k])) == 0) {
                *which = k;
                return s;
            }
    return NULL;
}

/* The first what in s, reading no further than it (strstr reads all of
 * s under the sanitizers, which made each glyph cost the whole SVG). */
static const char *find(const char *s, const char *what)
{
    size_t n = strlen(what);
    for (s = strchr(s, what[0]); s; s = strchr(s + 1, what[0]))
        if (strncmp(s, what, n) == 0)
            return s;
    return NULL;
}

static void svg_body(page *h, const char *s, const char *prefix)
{
    glyph_map *map = NULL;
    size_t nmap = 0, cap = 0;
    for (;;) {
        size_t first;
        const char *m = next_mark(s, &first);
        if (!m) {
            put(h, s, strlen(s));
            break;
        }
        size_t len = strlen(MARKS[first]);
        if (first == SYMBOL) {
            /* <symbol overflow="visible" id="glyph0-1">...</symbol> */
            const char *id = find(m, "id=\""), *tag_end = strchr(m, '>');
            const char *end = tag_end ? find(tag_end, "</symbol>") : NULL;
            const char *id_end = id ? strchr(id + 4, '"') : NULL;
            if (!end || !id_end || id_end > tag_end || (size_t)(id_end - id - 4) >= 32) {
                /* not cairo's glyph: copied as it is, its id prefixed */
                put(h, s, (size_t)(m - s) + len);
                s = m + len;
            } else {
                size_t g = page_glyph(h, tag_end + 1, (size_t)(end - tag_end - 1));
                if (nmap == cap) {
                    cap = cap ? 2 * cap : 128;
                    glyph_map *more = realloc(map, cap * sizeof *more);
                    if (!more)
                        g = SIZE_MAX;
                    else
                        map = more;
                }
                if (g == SIZE_MAX) {
                    h->errnum = h->errnum ? h->errnum : ENOMEM;
                    break;
                }
                map[nmap].global = g;
                map[nmap].len = (size_t)(id_end - id - 4);
                memcpy(map[nmap].local, id + 4, map[nmap].len);
                nmap++;
                put(h, s, (size_t)(m - s));
                /* a glyph new to the page is written; one already there is not */
                if (h->glyph_written < h->nglyphs) {
                    out(h, "<symbol overflow=\"visible\" id=\"g%zu\">", g);
                    put(h, tag_end + 1, (size_t)(end - tag_end - 1));
                    out(h, "</symbol>");
                    h->glyph_written = h->nglyphs;
                }
                s = end + strlen("</symbol>");
            }
        } else if (first == HREF) {
            put(h, s, (size_t)(m - s) + len);
            s = m + len;
            size_t n = strcspn(s, "\""), k = 0;
            while (k < nmap && !(map[k].len == n && memcmp(map[k].local, s, n) == 0))
                k++;
            if (k < nmap) {
                out(h, "g%zu", map[k].global);
                s += n;
            } else {
                out(h, "%s", prefix);
            }
        } else {
            put(h, s, (size_t)(m - s) + len);
            out(h, "%s", prefix);
            s = m + len;
        }
    }
    free(map);
}

/* The SVG file at path, NUL-terminated, or NULL when it cannot be read
 * whole (the chart is then drawn again). */
static char *read_svg(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *svg = NULL;
    long size = fp && fseek(fp, 0, SEEK_END) == 0 ? ftell(fp) : -1;
    if (size > 0 && fseek(fp, 0, SEEK_SET) == 0 && (svg = malloc((size_t)size + 1)) &&
        fread(svg, 1, (size_t)size, fp) == (size_t)size) {
        svg[size] = '\0';
        *len = (size_t)size;
    } else {
        free(svg);
        svg = NULL;
    }
    if (fp)
        fclose(fp);
    return svg;
}

static csa_status chart(page *h, const csa_indicator_report *ind, size_t pos, size_t k,
                        csa_error *err)
{
    const csa_chart *c = &ind->charts[k];
    char *svg;
    size_t len;
    /* the SVG csa_chart_files wrote of it at this size, when it kept it */
    const csa_chart_kept *kept = c->kept;
    bool reuse = kept && kept->svg && kept->svg_width == CHART_W && kept->svg_height == CHART_H;
    csa_status st = CSA_OK;
    if (reuse)
        svg = kept->svg, len = kept->svg_len;
    else if (!(c->svg_file && c->svg_file_width == CHART_W && c->svg_file_height == CHART_H &&
               (svg = read_svg(c->svg_file, &len)))) /* or the file written of it */
        st = csa_chart_svg_memory(c, CHART_W, CHART_H, &svg, &len, err);
    if (st) {
        char msg[CSA_ERROR_MESSAGE_MAX];
        snprintf(msg, sizeof msg, "%s", err ? err->message : "");
        return csa_error_set(err, st, NULL, 0, 0, ind->name, NULL,
                             "chart %zu of %s in the web page: %s", k + 1,
                             csa_indicator_title(ind), msg);
    }
    char id[64];
    snprintf(id, sizeof id, "c%zu-%zu", pos, k);
    const char *title = c->title ? c->title : csa_indicator_title(ind);
    out(h, "<figure class=\"chart\" aria-labelledby=\"%s-h\">\n<h4 id=\"%s-h\">", id, id);
    esc(h, title);
    out(h, "</h4>\n");
    /* cairo's prolog and opening tag give way to one that scales, with
     * the chart's title and a description that says what it shows */
    const char *open = find(svg, "<svg");
    const char *body = open ? strchr(open, '>') : NULL;
    if (body) {
        out(h, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
               "xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 %g %g\" "
               "role=\"img\" aria-labelledby=\"%s-t %s-d\"><title id=\"%s-t\">",
            CHART_W, CHART_H, id, id, id);
        esc(h, title);
        out(h, "</title><desc id=\"%s-d\">", id);
        if (c->subtitle) {
            esc(h, c->subtitle);
            out(h, ". ");
        }
        esc(h, ind->reading ? ind->reading : c->title);
        out(h, "</desc>");
        char prefix[72];
        snprintf(prefix, sizeof prefix, "%s-", id);
        svg_body(h, body + 1, prefix);
    }
    if (!reuse)
        free(svg);
    out(h, "\n<figcaption>");
    if (c->subtitle) {
        esc(h, c->subtitle);
        out(h, ". ");
    }
    esc(h, c->source);
    out(h, "</figcaption>\n");
    char caption[CSA_CELL_MAX];
    snprintf(caption, sizeof caption, "Data of the chart: %s", title);
    const csa_report_table *rt = c->kind == CSA_CHART_HEAT ? NULL : chart_table(ind, c);
    if (rt)
        report_table(h, rt, caption);
    else if (c->kind == CSA_CHART_HEAT)
        heat_data(h, c, caption);
    else
        chart_data(h, c, caption);
    out(h, "</figure>\n");
    return CSA_OK;
}

/* ---- sections ---- */

static void header(page *h)
{
    const csa_assessment *a = h->a;
    char line[CSA_CELL_MAX];
    out(h, "<a class=\"skip\" href=\"#main\">Skip to the assessment</a>\n<header>\n"
           "<p class=\"kicker\">Strategic assessment</p>\n<h1>");
    esc(h, a->title);
    out(h, "</h1>\n<p class=\"lead\">");
    esc(h, a->period);
    out(h, "</p>\n<p>");
    esc(h, a->area);
    snprintf(line, sizeof line, "Compared with %s",
             a->comparator ? a->comparator : "no comparator");
    out(h, "</p>\n<p>");
    esc(h, line);
    out(h, "</p>\n</header>\n");
}

static void contents(page *h)
{
    const csa_assessment *a = h->a;
    char label[CSA_CELL_MAX];
    out(h, "<nav aria-labelledby=\"contents\">\n<h2 id=\"contents\">Contents</h2>\n<ol>\n"
           "<li><a href=\"#summary\">Summary</a></li>\n"
           "<li><a href=\"#priorities\">Priority matrix</a></li>\n"
           "<li><a href=\"#indicators\">Indicators</a>, in priority order\n<ul class=\"plain\">\n");
    for (size_t pos = 0; pos < h->norder; pos++) {
        out(h, "<li><a href=\"#indicator-%zu\">", pos);
        esc(h, csa_format_rank_label(a, h->order[pos], label, sizeof label));
        out(h, "</a></li>\n");
    }
    out(h, "</ul></li>\n<li><a href=\"#quality\">Data quality</a></li>\n"
           "<li><a href=\"#methods\">Method notes</a></li>\n</ol>\n</nav>\n");
}

static void section_open(page *h, const char *id, const char *title)
{
    out(h, "<section aria-labelledby=\"%s\">\n<h2 id=\"%s\">", id, id);
    esc(h, title);
    out(h, "</h2>\n");
}

static void para(page *h, const char *cls, const char *s)
{
    if (cls)
        out(h, "<p class=\"%s\">", cls);
    else
        out(h, "<p>");
    esc(h, s);
    out(h, "</p>\n");
}

/* Every indicator on one line: value, interval, comparator and outcome,
 * linked to its section. */
static void summary(page *h)
{
    const csa_assessment *a = h->a;
    section_open(h, "summary", "Summary");
    para(h, NULL, "Each indicator's value for the period with its 95% confidence interval, "
                  "and how it compares with the comparator, in priority order.");
    static const char *const head[] = {"Indicator", "Value", "Unit", "95% interval",
                                       "Compared with", "Outcome"};
    static const int num[] = {0, 1, 0, 1, 0, 0};
    table_open(h, "Summary of the indicators", 0);
    head_row(h, head, 6, num);
    out(h, "<tbody>\n");
    char buf[CSA_CELL_MAX];
    for (size_t pos = 0; pos < h->norder; pos++) {
        const csa_indicator_report *ind = &a->indicators[h->order[pos]];
        out(h, "<tr><th scope=\"row\"><a href=\"#indicator-%zu\">", pos);
        esc(h, csa_format_rank_label(a, h->order[pos], buf, sizeof buf));
        out(h, "</a></th><td class=\"num\">");
        esc(h, csa_format_headline(ind, buf, sizeof buf));
        out(h, "</td><td>");
        esc(h, csa_unit_is_percent(ind) ? "" : ind->unit);
        out(h, "</td><td class=\"num\">");
        /* the interval's figures, under a header that says what they are */
        const char *iv = csa_format_interval(ind, buf, sizeof buf);
        const char *prefix = "95% interval ";
        esc(h, strncmp(iv, prefix, strlen(prefix)) == 0 ? iv + strlen(prefix) : iv);
        out(h, "</td><td>");
        esc(h, csa_format_comparator(ind, buf, sizeof buf));
        out(h, "</td><td>");
        outcome_mark(h, ind->outcome);
        out(h, "</td></tr>\n");
    }
    out(h, "</tbody>\n");
    table_close(h);
    out(h, "</section>\n");
}

static void priorities(page *h)
{
    const csa_assessment *a = h->a;
    size_t nc = a->ncriteria, ncols = nc + 3;
    section_open(h, "priorities", "Priority matrix");
    para(h, NULL, "Each candidate is scored on every criterion; the highest total ranks first. "
                  "Each cell shows the criterion's measure, then its score and weight.");
    if (a->npriorities == 0) {
        para(h, NULL, "No priorities were scored in this assessment.");
    } else {
        const char **head = calloc(ncols, sizeof *head), **cells = calloc(ncols, sizeof *cells);
        char(*buf)[CSA_CELL_MAX] = calloc(ncols, sizeof *buf);
        int *num = calloc(ncols, sizeof *num);
        if (!head || !cells || !buf || !num) {
            h->errnum = h->errnum ? h->errnum : ENOMEM;
        } else {
            head[0] = "Indicator", head[1] = "Rank", num[1] = 1;
            for (size_t k = 0; k < nc; k++)
                head[2 + k] = str(a->criteria[k].name);
            head[nc + 2] = "Total", num[nc + 2] = 1;
            table_open(h, "Priority matrix: each criterion's measure, score and weight", 0);
            head_row(h, head, ncols, num);
            out(h, "<tbody>\n");
            for (size_t r = 0; r < a->npriorities; r++) {
                const csa_priority_report *pr = &a->priorities[r];
                for (size_t i = 0; i < ncols; i++)
                    cells[i] = buf[i];
                snprintf(buf[0], CSA_CELL_MAX, "%s",
                         csa_indicator_title(&a->indicators[pr->indicator]));
                snprintf(buf[1], CSA_CELL_MAX, "%zu", pr->rank);
                for (size_t k = 0; k < nc; k++)
                    csa_format_priority_cell(&pr->scores[k], buf[2 + k], CSA_CELL_MAX);
                csa_format_score(pr->total, buf[nc + 2], CSA_CELL_MAX);
                body_row(h, cells, ncols, num);
            }
            out(h, "</tbody>\n");
            table_close(h);
        }
        free(num);
        free(buf);
        free(cells);
        free(head);
        char line[2 * CSA_CELL_MAX];
        para(h, NULL, csa_format_priority_sum(a, line, sizeof line));
    }
    if (nc) {
        out(h, "<h3>How each criterion is scored</h3>\n");
        static const char *const rhead[] = {"Criterion", "How its measure becomes a score"};
        table_open(h, "How each criterion is scored", 1);
        head_row(h, rhead, 2, NULL);
        out(h, "<tbody>\n");
        for (size_t k = 0; k < nc; k++) {
            const char *rule[2] = {str(a->criteria[k].name), str(a->criteria[k].rule)};
            body_row(h, rule, 2, NULL);
        }
        out(h, "</tbody>\n");
        table_close(h);
    }
    out(h, "</section>\n");
}

static void headline(page *h, const csa_indicator_report *ind)
{
    char buf[CSA_CELL_MAX];
    out(h, "<dl class=\"headline\">\n<div><dt>Value</dt><dd class=\"figure\">");
    esc(h, csa_format_headline(ind, buf, sizeof buf));
    out(h, "</dd>");
    if (!csa_unit_is_percent(ind)) {
        out(h, "<dd>");
        esc(h, ind->unit);
        out(h, "</dd>");
    }
    if (csa_format_interval(ind, buf, sizeof buf)[0]) {
        out(h, "<dd>");
        esc(h, buf);
        out(h, "</dd>");
    }
    if (csa_format_count(ind, buf, sizeof buf)[0]) {
        out(h, "<dd class=\"sub\">");
        esc(h, buf);
        out(h, "</dd>");
    }
    snprintf(buf, sizeof buf, "Compared with%s%s", ind->comparator ? " " : "",
             str(ind->comparator));
    out(h, "</div>\n<div><dt>");
    esc(h, buf);
    out(h, "</dt><dd>");
    esc(h, csa_format_comparator(ind, buf, sizeof buf));
    out(h, "</dd><dd class=\"outcome\">");
    outcome_mark(h, ind->outcome);
    out(h, "</dd><dd class=\"sub\">");
    esc(h, csa_polarity_text(ind->polarity));
    out(h, "</dd></div>\n");
    if (ind->change) {
        out(h, "<div><dt>");
        esc(h, csa_format_change_label(ind, buf, sizeof buf));
        out(h, "</dt><dd>");
        esc(h, ind->change);
        if (csa_format_change_figures(ind, buf, sizeof buf)[0]) {
            out(h, "</dd><dd class=\"sub\">");
            esc(h, buf);
        }
        out(h, "</dd></div>\n");
    }
    out(h, "<div><dt>Trend</dt><dd>");
    esc(h, csa_trend_text(ind));
    out(h, "</dd></div>\n</dl>\n");
}

static csa_status indicator(page *h, size_t pos, csa_error *err)
{
    const csa_assessment *a = h->a;
    const csa_indicator_report *ind = &a->indicators[h->order[pos]];
    char buf[2 * CSA_CELL_MAX];
    out(h, "<section class=\"indicator\" aria-labelledby=\"indicator-%zu\">\n"
           "<p class=\"kicker\">", pos);
    esc(h, csa_format_rank_line(a, h->order[pos], buf, sizeof buf));
    out(h, "</p>\n<h3 id=\"indicator-%zu\">", pos);
    esc(h, csa_indicator_title(ind));
    out(h, "</h3>\n");
    headline(h, ind);
    para(h, "reading", ind->reading);
    if (ind->note) {
        snprintf(buf, sizeof buf, "Note: %s", ind->note);
        para(h, "note", buf);
    }
    /* the charts, each with its data; then the tables no chart showed */
    unsigned char *shown = calloc(ind->ntables + 1, 1);
    if (!shown)
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    for (size_t k = 0; k < ind->ncharts; k++) {
        csa_status st = chart(h, ind, pos, k, err);
        if (st) {
            free(shown);
            return st;
        }
        const csa_report_table *rt = chart_table(ind, &ind->charts[k]);
        if (rt)
            shown[rt - ind->tables] = 1;
    }
    for (size_t k = 0; k < ind->ntables; k++)
        if (!shown[k] && ind->tables[k].table)
            report_table(h, &ind->tables[k], str(ind->tables[k].title));
    free(shown);
    para(h, "source", csa_format_source_line(ind, buf, sizeof buf));
    out(h, "</section>\n");
    return CSA_OK;
}

static void quality(page *h)
{
    const csa_assessment *a = h->a;
    section_open(h, "quality", "Data quality");
    para(h, NULL, "Every row each partner sent is accounted for: rows read = used + no location "
                  "+ no population + outside the area + outside the period + rejected, for "
                  "every input and for every crime indicator (the rows of its crime types). An "
                  "excluded input was left out of every figure: its rows count as rejected.");
    char buf[CSA_ACCOUNT_CELLS][CSA_CELL_MAX];
    const char *cells[CSA_ACCOUNT_CELLS];
    for (size_t c = 0; c < CSA_ACCOUNT_CELLS; c++)
        cells[c] = buf[c];

    out(h, "<h3>Inputs</h3>\n");
    static const int inum[CSA_INPUT_CELLS] = {0, 1, 1, 1, 0, 0, 0};
    table_open(h, "Inputs", 1);
    head_row(h, csa_input_headers(a), CSA_INPUT_CELLS, inum);
    out(h, "<tbody>\n");
    for (size_t i = 0; i < a->ninputs; i++) {
        csa_format_input_cells(&a->inputs[i], buf);
        body_row(h, cells, CSA_INPUT_CELLS, inum);
    }
    out(h, "</tbody>\n");
    table_close(h);

    out(h, "<h3>Where the rows went</h3>\n");
    static const int anum[CSA_ACCOUNT_CELLS] = {0, 1, 1, 1, 1, 1, 1, 1};
    table_open(h, "Where the rows went", 1);
    head_row(h, csa_account_headers(), CSA_ACCOUNT_CELLS, anum);
    out(h, "<tbody>\n");
    for (size_t i = 0; i < a->ninputs + a->nindicators; i++)
        if (csa_format_account_cells(a, i, buf))
            body_row(h, cells, CSA_ACCOUNT_CELLS, anum);
    out(h, "</tbody>\n");
    table_close(h);

    out(h, "<h3>Findings</h3>\n");
    if (!a->findings || csa_table_nrows(a->findings) == 0) {
        para(h, NULL, "No validation findings.");
        out(h, "</section>\n");
        return;
    }
    para(h, NULL, "Findings that say the same of one file are one line here, with how many rows "
                  "and the first of their lines; the workbook's Data quality sheet and "
                  "findings.csv list every row.");
    static const int fnum[CSA_FINDING_CELLS] = {0, 0, 1, 0, 0, 0, 0};
    table_open(h, "Findings", 1);
    head_row(h, csa_finding_headers(), CSA_FINDING_CELLS, fnum);
    out(h, "<tbody>\n");
    csa_finding_group groups[CSA_MAX_FINDING_GROUPS];
    size_t rest, shown = csa_group_findings(a->findings, groups, &rest);
    for (size_t k = 0; k < shown; k++) {
        csa_format_finding_cells(a->findings, &groups[k], buf);
        body_row(h, cells, CSA_FINDING_CELLS, fnum);
    }
    out(h, "</tbody>\n");
    table_close(h);
    if (rest) {
        char line[160];
        snprintf(line, sizeof line, "and %zu more: see the workbook's Data quality sheet", rest);
        para(h, NULL, line);
    }
    out(h, "</section>\n");
}

static void methods(page *h)
{
    const csa_assessment *a = h->a;
    section_open(h, "methods", "Method notes");
    for (size_t i = 0; i < a->nmethod_notes; i++)
        para(h, NULL, a->method_notes[i]);
    out(h, "<h3>Indicators</h3>\n");
    for (size_t pos = 0; pos < h->norder; pos++) {
        const csa_indicator_report *ind = &a->indicators[h->order[pos]];
        char line[1024];
        snprintf(line, sizeof line, "%s \u00b7 %s", csa_indicator_title(ind), str(ind->unit));
        out(h, "<p><strong>");
        esc(h, line);
        out(h, "</strong><br>");
        esc(h, csa_format_method_line(ind, line, sizeof line));
        out(h, "</p>\n");
    }
    out(h, "</section>\n");
}

static void footer(page *h)
{
    const csa_assessment *a = h->a;
    char line[CSA_CELL_MAX];
    out(h, "<footer>\n");
    para(h, NULL, csa_format_produced(a, line, sizeof line));
    snprintf(line, sizeof line, "Configuration: %s", str(a->config));
    para(h, NULL, line);
    para(h, NULL, "Every figure comes from this configuration and its inputs: run it again to "
                  "reproduce the page.");
    out(h, "</footer>\n");
}

/* Contrast on white: ink 17:1, muted 7:1, the accent 8.9:1; the note's
 * fill keeps ink at 16:1. Under 40em the page is one column; only tables
 * scroll sideways, each in its own region. */
static const char CSS[] =
    ":root{--ink:#1a1a1a;--muted:#595959;--accent:#1f4e79;--rule:#b8b8b8;--shade:#eaf0f5;"
    "--note:#fff2cc;--bar:#8a5a00}"
    "*{box-sizing:border-box}"
    "html{-webkit-text-size-adjust:100%;text-size-adjust:100%}"
    "body{margin:0;color:var(--ink);background:#fff;font:1rem/1.5 \"DejaVu Sans\",Verdana,"
    "Arial,sans-serif;overflow-wrap:break-word}"
    "header,nav,main,footer{max-width:62rem;margin:0 auto;padding:0 1rem}"
    "header{border-bottom:3px solid var(--accent);padding-top:1.5rem;padding-bottom:1rem}"
    "h1{color:var(--accent);font-size:1.9rem;line-height:1.2;margin:.2rem 0 .6rem}"
    "h2{color:var(--accent);font-size:1.5rem;margin:2rem 0 .6rem;border-bottom:1px solid "
    "var(--rule)}"
    "h3{color:var(--accent);font-size:1.25rem;margin:1.5rem 0 .5rem}"
    "h4{font-size:1.05rem;margin:1.2rem 0 .4rem}"
    "a{color:var(--accent)}a:focus,.scroll:focus,summary:focus{outline:3px solid #000;"
    "outline-offset:2px}"
    ".skip{position:absolute;left:-999rem;top:0;background:#fff;padding:.5rem 1rem}"
    ".skip:focus{left:1rem}"
    ".kicker{color:var(--muted);font-weight:bold;text-transform:uppercase;letter-spacing:.04em;"
    "font-size:.85rem;margin:0}"
    ".plain{list-style:none;padding-left:1.5rem}"
    ".lead{font-size:1.2rem;margin:.2rem 0}"
    ".sub{color:var(--muted);font-size:.9em}"
    "section.indicator{border-top:2px solid var(--accent);margin-top:2.5rem}"
    ".headline{display:grid;grid-template-columns:repeat(auto-fit,minmax(13rem,1fr));gap:1rem;"
    "background:#f5f5f5;border:1px solid #ccc;padding:1rem;margin:1rem 0}"
    ".headline div{min-width:0}.headline dt{font-weight:bold;color:var(--muted);"
    "font-size:.85rem;text-transform:uppercase}"
    ".headline dd{margin:.1rem 0}.headline .figure{font-size:1.8rem;font-weight:bold}"
    ".rag{white-space:nowrap;font-weight:bold}.mark{width:1em;height:1em;"
    "vertical-align:-.15em}"
    ".reading{font-size:1.1rem}"
    ".note{background:var(--note);border-left:4px solid var(--bar);padding:.6rem .8rem;"
    "font-weight:bold}"
    ".source{color:var(--muted);font-size:.9rem}"
    "figure{margin:1.5rem 0}figure svg{display:block;width:100%;height:auto;max-width:60rem}"
    "figcaption{color:var(--muted);font-size:.9rem;margin:.3rem 0}"
    ".scroll{overflow-x:auto;max-width:100%;margin:.5rem 0 1rem}"
    "table{border-collapse:collapse;font-size:.9rem;min-width:50%}"
    "caption{text-align:left;font-weight:bold;padding:.3rem 0}"
    "th,td{border-bottom:1px solid var(--rule);padding:.3rem .5rem;text-align:left;"
    "vertical-align:top}"
    "thead th{background:var(--shade);border-bottom:2px solid var(--accent)}"
    "tbody th{font-weight:normal}.num{text-align:right;font-variant-numeric:tabular-nums}"
    "summary{cursor:pointer;color:var(--accent);font-weight:bold;margin:.3rem 0}"
    "footer{border-top:1px solid var(--rule);margin-top:3rem;color:var(--muted);"
    "font-size:.9rem}"
    ".vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);"
    "white-space:nowrap}"
    "@media print{.skip{display:none}body{font-size:10pt}"
    "header,nav,main,footer{max-width:none;padding:0}"
    "section.indicator{break-before:page}figure svg,tr,.headline{break-inside:avoid}"
    "h2,h3,h4{break-after:avoid}.scroll{overflow:visible}"
    "details::details-content{content-visibility:visible;display:contents}"
    "a{color:var(--ink);text-decoration:none}}";

static csa_status write_page(page *h, csa_error *err)
{
    const csa_assessment *a = h->a;
    char title[2 * CSA_CELL_MAX];
    csa_format_document_title(a, title, sizeof title);
    out(h, "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<meta name=\"color-scheme\" content=\"light\">\n<title>");
    esc(h, title);
    out(h, "</title>\n<meta name=\"generator\" content=\"csa ");
    esc(h, a->version);
    out(h, "\">\n<style>%s</style>\n</head>\n<body>\n", CSS);
    header(h);
    contents(h);
    out(h, "<main id=\"main\" tabindex=\"-1\">\n");
    summary(h);
    priorities(h);
    section_open(h, "indicators", "Indicators");
    para(h, NULL, "One section per indicator, in priority order: its headline figures, the "
                  "sentence that reads them, its charts with their data, and its tables.");
    for (size_t pos = 0; pos < h->norder; pos++) {
        csa_status st = indicator(h, pos, err);
        if (st)
            return st;
    }
    out(h, "</section>\n");
    quality(h);
    methods(h);
    out(h, "</main>\n");
    footer(h);
    out(h, "</body>\n</html>\n");
    return CSA_OK;
}

csa_status csa_write_assessment_html(const csa_assessment *a, const char *path, csa_error *err)
{
    if (!a || !path)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "no assessment or no path for the web page");
    csa_status st = csa_check_assessment(a, err);
    if (st)
        return st;
    page h = {.a = a};
    h.order = calloc(a->nindicators + 1, sizeof *h.order);
    if (!h.order)
        return csa_error_set(err, CSA_ERR_NOMEM, path, 0, 0, NULL, NULL, "out of memory");
    h.norder = csa_indicator_order(a, h.order);
    if (!(h.fp = fopen(path, "wb"))) {
        st = csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot create: %s",
                           csa_io_error(errno));
        goto fail;
    }
    st = write_page(&h, err);
    errno = 0;
    if ((fflush(h.fp) != 0 || ferror(h.fp)) && !h.errnum)
        h.errnum = errno ? errno : EIO;
    if (fclose(h.fp) != 0 && !h.errnum)
        h.errnum = errno ? errno : EIO;
    /* a write failed: that is the error */
    if (h.errnum == ENOMEM)
        st = csa_error_set(err, CSA_ERR_NOMEM, path, 0, 0, NULL, NULL, "out of memory");
    else if (h.errnum)
        st = csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL,
                           "cannot write the web page: %s", csa_io_error(h.errnum));
fail:
    for (size_t k = 0; k < h.nglyphs; k++)
        free(h.glyphs[k].path);
    free(h.glyphs);
    free(h.order);
    return st;
}
