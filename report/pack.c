/* The PDF meeting pack: cairo's PDF surface, text laid out with pango.
 *
 * The pack is laid out twice by the same code: a first pass only measures
 * and counts pages, so that the contents page, the links and every "Page N
 * of M" footer know the page plan before anything is drawn; the second
 * pass draws. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "csa/assessment.h"
#include "csa/month.h"
#include "csa/present.h"
#include "csa/report.h"

#define FONT "DejaVu Sans"

/* A4 portrait in points */
static const double PAGE_W = 595.276, PAGE_H = 841.89;
static const double MARGIN = 48;
static const double TOP = 66;          /* content starts under the header line */
static const double BOTTOM = 841.89 - 58; /* content ends above the footer */
static const double CELL_PAD = 3.5;
/* Charts shorter than this are too cramped to read in a meeting. */
static const double CHART_MIN_H = 230, CHART_MAX_H = 360, CHART_GAP = 14;
enum { MAX_CRITERIA = 12, MAX_COLS = MAX_CRITERIA + 3, CELL_MAX = CSA_CELL_MAX };

typedef struct rgb { double r, g, b; } rgb;
#define INK {0.10, 0.10, 0.10}
#define MUTED {0.36, 0.36, 0.36}
#define ACCENT {0x1f / 255.0, 0x4e / 255.0, 0x79 / 255.0}
static const rgb RULE = {0.72, 0.72, 0.72};
static const rgb SHADE = {0.92, 0.94, 0.96};
static const rgb BOX = {0.96, 0.96, 0.96};
static const rgb NOTE_FILL = {1.0, 0.95, 0.80}, NOTE_BAR = {0.75, 0.45, 0.0};

typedef struct style {
    double size;
    int bold;
    rgb colour;
    int lines;                /* at most this many lines per paragraph, 0: any */
    PangoAlignment align;
    PangoEllipsizeMode cut;   /* where a capped text is cut (default: end) */
    int sub;                  /* lines after the first are details: smaller, muted */
} style;

static const style TITLE = {.size = 26, .bold = 1, .colour = ACCENT, .lines = 4};
static const style H1 = {.size = 18, .bold = 1, .colour = ACCENT};
static const style H2 = {.size = 12, .bold = 1, .colour = ACCENT};
static const style LEAD = {.size = 13, .colour = INK};
static const style BODY = {.size = 10, .colour = INK};
static const style BODY_BOLD = {.size = 10, .bold = 1, .colour = INK};
/* at most three lines, so that charts always fit a page above it */
static const style SOURCE = {.size = 8, .colour = MUTED, .lines = 3};
static const style TABLE_NOTE = {.size = 8, .colour = MUTED};
static const style LABEL = {.size = 8, .bold = 1, .colour = MUTED};
static const style FIGURE = {.size = 24, .bold = 1, .colour = INK, .lines = 1};
static const style OUTCOME = {.size = 13, .bold = 1, .colour = INK, .lines = 2};
static const style FOOT_L = {.size = 8, .colour = MUTED, .lines = 1};
static const style FOOT_R = {.size = 8, .colour = MUTED, .lines = 1,
                             .align = PANGO_ALIGN_RIGHT};

/* One column of a table: its share of the width, alignment, line cap. */
typedef struct column {
    double share;
    PangoAlignment align;
    int lines;
    PangoEllipsizeMode cut;
    int sub, bold;
} column;

/* A column of figures, and one of text wrapped to at most n lines. */
#define NUM(w) {.share = (w), .align = PANGO_ALIGN_RIGHT, .lines = 1}
#define TXT(w, n) {.share = (w), .lines = (n)}

typedef struct grid {
    const column *cols;
    size_t ncols;
    const char *const *head;
    double size;
    double width[MAX_COLS];
} grid;

enum { P_PRIORITIES, P_QUALITY, P_METHODS, P_CONTENTS, P_COUNT };

typedef struct pack {
    const csa_assessment *a;
    cairo_surface_t *surface;
    cairo_t *cr;
    int draw;               /* 0 while measuring */
    int page, npages;
    double y;
    const char *section;    /* in the header of every page of a section */
    const char *heading;    /* repeated with "(continued)" on its next pages */
    size_t *order;          /* indicators in pack order */
    size_t norder;
    int pages[P_COUNT];     /* first page of each section but the indicators */
    int *ind_page;          /* first page of each indicator, in pack order */
    int outline_ind;        /* the "Indicators" outline entry */
} pack;


static const char *str(const char *s)
{
    return s ? s : "";
}

static double content_w(void)
{
    return PAGE_W - 2 * MARGIN;
}

static rgb hex_colour(const char *hex)
{
    unsigned v = 0xc9c9c9;
    if (hex && hex[0] == '#')
        v = (unsigned)strtoul(hex + 1, NULL, 16);
    return (rgb){((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0, (v & 255) / 255.0};
}

static void set_colour(cairo_t *cr, rgb c)
{
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

static PangoLayout *make_layout(pack *p, const char *s, double w, const style *st)
{
    PangoLayout *l = pango_cairo_create_layout(p->cr);
    PangoFontDescription *fd = pango_font_description_from_string(FONT);
    pango_font_description_set_absolute_size(fd, st->size * PANGO_SCALE);
    pango_font_description_set_weight(fd, st->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(w * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, st->align);
    /* whatever the text, it stops (with an ellipsis) before the page's end,
     * under a "(continued)" heading too */
    pango_layout_set_height(l, st->lines ? -st->lines
                                         : (int)((BOTTOM - TOP - 40) * PANGO_SCALE));
    pango_layout_set_ellipsize(l, st->cut ? st->cut : PANGO_ELLIPSIZE_END);
    pango_layout_set_text(l, str(s), -1);
    const char *nl = st->sub && s ? strchr(s, '\n') : NULL;
    if (nl) {
        PangoAttrList *attrs = pango_attr_list_new();
        PangoAttribute *size = pango_attr_size_new_absolute((int)(st->size * 0.9 * PANGO_SCALE));
        PangoAttribute *grey = pango_attr_foreground_new(0x5c5c, 0x5c5c, 0x5c5c);
        size->start_index = grey->start_index = (guint)(nl - s);
        pango_attr_list_insert(attrs, size);
        pango_attr_list_insert(attrs, grey);
        pango_layout_set_attributes(l, attrs);
        pango_attr_list_unref(attrs);
    }
    return l;
}

/* Draws s wrapped to width w at (x, y) (only measures in the first pass);
 * returns its height. */
static double text(pack *p, const char *s, double x, double y, double w, const style *st)
{
    PangoLayout *l = make_layout(p, s, w, st);
    int lw, lh;
    pango_layout_get_size(l, &lw, &lh);
    if (p->draw) {
        /* headings and paragraphs as the PDF's tagged structure, so that a
         * screen reader finds them */
        const char *tag = st == &TITLE || st == &H1 ? "H1" : st == &H2 ? "H2"
                        : st == &BODY || st == &LEAD || st == &BODY_BOLD ? "P" : NULL;
        if (tag)
            cairo_tag_begin(p->cr, tag, NULL);
        set_colour(p->cr, st->colour);
        cairo_move_to(p->cr, x, y);
        pango_cairo_show_layout(p->cr, l);
        if (tag)
            cairo_tag_end(p->cr, tag);
    }
    g_object_unref(l);
    return lh / (double)PANGO_SCALE;
}

static double measure(pack *p, const char *s, double w, const style *st)
{
    int draw = p->draw;
    p->draw = 0;
    double h = text(p, s, 0, 0, w, st);
    p->draw = draw;
    return h;
}

static void hline(pack *p, double x0, double x1, double y, double width, rgb c)
{
    if (!p->draw)
        return;
    set_colour(p->cr, c);
    cairo_set_line_width(p->cr, width);
    cairo_move_to(p->cr, x0, y);
    cairo_line_to(p->cr, x1, y);
    cairo_stroke(p->cr);
}

static void box(pack *p, double x, double y, double w, double h, rgb fill, const rgb *border)
{
    if (!p->draw)
        return;
    cairo_rectangle(p->cr, x, y, w, h);
    set_colour(p->cr, fill);
    if (border) {
        cairo_fill_preserve(p->cr);
        set_colour(p->cr, *border);
        cairo_set_line_width(p->cr, 0.6);
        cairo_stroke(p->cr);
    } else {
        cairo_fill(p->cr);
    }
}

/* A named destination for links and the outline. */
static void dest(pack *p, const char *name)
{
    if (!p->draw)
        return;
    char attrs[96];
    snprintf(attrs, sizeof attrs, "name='%s' x=0 y=%g", name, TOP - 20);
    cairo_tag_begin(p->cr, CAIRO_TAG_DEST, attrs);
    cairo_tag_end(p->cr, CAIRO_TAG_DEST);
}

/* A bookmark to a destination; returns its id for children. */
static int outline(pack *p, int parent, const char *title, const char *name, int open)
{
    if (!p->draw)
        return CAIRO_PDF_OUTLINE_ROOT;
    char attrs[96];
    snprintf(attrs, sizeof attrs, "dest='%s'", name);
    return cairo_pdf_surface_add_outline(p->surface, parent, title, attrs,
                                         open ? CAIRO_PDF_OUTLINE_FLAG_OPEN : 0);
}

static void begin_page(pack *p, const char *section, const char *heading)
{
    if (p->page > 0 && p->draw)
        cairo_show_page(p->cr);
    p->page++;
    p->y = TOP;
    p->section = section;
    p->heading = heading;
    if (!p->draw)
        return;
    const csa_assessment *a = p->a;
    double w = content_w();
    text(p, a->title, MARGIN, 30, w * 0.62, &FOOT_L);
    text(p, section, MARGIN + w * 0.62, 30, w * 0.38, &FOOT_R);
    hline(p, MARGIN, PAGE_W - MARGIN, 44, 0.8, (rgb)ACCENT);

    char left[512], right[64];
    snprintf(left, sizeof left, "%s \u00b7 %s", str(a->area), str(a->period));
    snprintf(right, sizeof right, "Page %d of %d", p->page, p->npages);
    hline(p, MARGIN, PAGE_W - MARGIN, PAGE_H - 46, 0.5, RULE);
    text(p, left, MARGIN, PAGE_H - 40, w * 0.75, &FOOT_L);
    text(p, right, MARGIN + w * 0.75, PAGE_H - 40, w * 0.25, &FOOT_R);
}

/* A top-level section on a new page: its page recorded for the contents,
 * a link target, an outline entry and its heading, `gap` points above the
 * text that follows. */
static void section(pack *p, const char *title, const char *name, int slot, double gap)
{
    begin_page(p, title, title);
    p->pages[slot] = p->page;
    dest(p, name);
    outline(p, CAIRO_PDF_OUTLINE_ROOT, title, name, 0);
    p->y += text(p, title, MARGIN, p->y, content_w(), &H1) + gap;
}

/* The next page of the same section, under "<heading> (continued)". */
static void continue_page(pack *p)
{
    begin_page(p, p->section, p->heading);
    char h[512];
    snprintf(h, sizeof h, "%s (continued)", str(p->heading));
    p->y += text(p, h, MARGIN, p->y, content_w(), &H2) + 8;
}

/* A paragraph across the page at p->y, on the next page if it does not
 * fit; then `after` points of space. */
static void para(pack *p, const char *s, const style *st, double after)
{
    double h = measure(p, s, content_w(), st);
    if (p->y + h > BOTTOM && p->y > TOP)
        continue_page(p);
    p->y += text(p, s, MARGIN, p->y, content_w(), st) + after;
}

static void grid_init(grid *g, const column *cols, size_t ncols, const char *const *head,
                      double size)
{
    double total = 0;
    for (size_t i = 0; i < ncols; i++)
        total += cols[i].share;
    *g = (grid){cols, ncols, head, size, {0}};
    for (size_t i = 0; i < ncols; i++)
        g->width[i] = content_w() * cols[i].share / total;
}

static style cell_style(const grid *g, size_t i, int head)
{
    const column *c = &g->cols[i];
    return (style){g->size, head || c->bold, (rgb)INK, head ? 4 : c->lines, c->align, c->cut,
                   !head && c->sub};
}

/* One row of a table at p->y, on `fill` if not NULL; a row that does not
 * fit goes to the next page under the table's header again. */
static void table_row(pack *p, const grid *g, const char *const *cells, int head,
                      const rgb *fill)
{
    double h = 0;
    for (size_t i = 0; i < g->ncols; i++) {
        style st = cell_style(g, i, head);
        double ch = measure(p, cells[i], g->width[i] - 2 * CELL_PAD, &st);
        h = ch > h ? ch : h;
    }
    h += 2 * CELL_PAD;
    /* a header needs a row under it on the same page */
    if (p->y + (head ? 2.5 * h : h) > BOTTOM && p->y > TOP) {
        continue_page(p);
        if (!head)
            table_row(p, g, g->head, 1, &SHADE);
    }
    if (fill)
        box(p, MARGIN, p->y, content_w(), h, *fill, NULL);
    double x = MARGIN;
    for (size_t i = 0; i < g->ncols; i++) {
        style st = cell_style(g, i, head);
        text(p, cells[i], x + CELL_PAD, p->y + CELL_PAD, g->width[i] - 2 * CELL_PAD, &st);
        x += g->width[i];
    }
    p->y += h;
    hline(p, MARGIN, PAGE_W - MARGIN, p->y, head ? 0.8 : 0.4, RULE);
}


static const csa_indicator_report *indicator_at(const pack *p, size_t pos)
{
    return &p->a->indicators[p->order[pos]];
}


/* ---- pages ---- */

static void cover(pack *p)
{
    const csa_assessment *a = p->a;
    double w = content_w();
    begin_page(p, "Strategic assessment", a->title);
    p->y = 170;
    static const style kicker = {.size = 11, .bold = 1, .colour = ACCENT};
    static const style sub = {.size = 16, .colour = INK};
    p->y += text(p, "STRATEGIC ASSESSMENT", MARGIN, p->y, w, &kicker) + 10;
    p->y += text(p, a->title, MARGIN, p->y, w, &TITLE) + 16;
    p->y += text(p, a->period, MARGIN, p->y, w, &sub) + 6;
    p->y += text(p, a->area, MARGIN, p->y, w, &LEAD) + 18;
    hline(p, MARGIN, MARGIN + 120, p->y, 3, (rgb)ACCENT);
    p->y += 18;
    char line[1024];
    snprintf(line, sizeof line, "Compared with %s",
             a->comparator ? a->comparator : "no comparator");
    p->y += text(p, line, MARGIN, p->y, w, &BODY) + 4;
    p->y += text(p, "Meeting pack for the Responsible Authorities Group", MARGIN, p->y, w,
                 &BODY);

    csa_format_produced(a, line, sizeof line);
    static const style info = {.size = 9, .colour = MUTED};
    double y = BOTTOM - 70;
    y += text(p, line, MARGIN, y, w, &info) + 3;
    snprintf(line, sizeof line, "Configuration: %s", str(a->config));
    y += text(p, line, MARGIN, y, w, &info) + 3;
    text(p, "Every figure comes from this configuration and its inputs: run it again to "
            "reproduce the pack.", MARGIN, y, w, &info);
}

/* A contents line linked to its section. */
static void contents_line(pack *p, const char *label, const char *sub, int page,
                          const char *name, double indent)
{
    static const style right = {.size = 10, .colour = INK, .lines = 1,
                                .align = PANGO_ALIGN_RIGHT};
    double w = content_w();
    const style *st = indent > 0 ? &BODY : &BODY_BOLD;
    char *joined = NULL; /* a title may be long: never cut */
    if (asprintf(&joined, "%s%s%s", label, sub ? " \u00b7 " : "", sub ? sub : "") < 0)
        joined = NULL;
    const char *line = joined ? joined : label;
    double h = measure(p, line, w - indent - 50, st);
    if (p->y + h > BOTTOM)
        continue_page(p);
    if (p->draw) {
        char attrs[96];
        snprintf(attrs, sizeof attrs, "dest='%s'", name);
        cairo_tag_begin(p->cr, CAIRO_TAG_LINK, attrs);
    }
    text(p, line, MARGIN + indent, p->y, w - indent - 50, st);
    char n[16];
    snprintf(n, sizeof n, "%d", page);
    text(p, n, PAGE_W - MARGIN - 40, p->y, 40, &right);
    if (p->draw)
        cairo_tag_end(p->cr, CAIRO_TAG_LINK);
    free(joined);
    p->y += h + 3;
    hline(p, MARGIN + indent, PAGE_W - MARGIN, p->y, 0.3, RULE);
    p->y += 6;
}

static void contents(pack *p)
{
    section(p, "Contents", "contents", P_CONTENTS, 16);
    contents_line(p, "Priority matrix", "how the priorities were ranked",
                  p->pages[P_PRIORITIES], "priorities", 0);
    if (p->norder)
        contents_line(p, "Indicators", "in priority order", p->ind_page[0], "indicator-0", 0);
    for (size_t pos = 0; pos < p->norder; pos++) {
        const csa_indicator_report *ind = indicator_at(p, pos);
        char label[CSA_CELL_MAX], name[32];
        csa_format_rank_label(p->a, p->order[pos], label, sizeof label);
        snprintf(name, sizeof name, "indicator-%zu", pos);
        contents_line(p, label, ind->theme, p->ind_page[pos], name, 16);
    }
    contents_line(p, "Data quality", "what each partner's data gave, and the problems found",
                  p->pages[P_QUALITY], "quality", 0);
    contents_line(p, "Method notes", NULL, p->pages[P_METHODS], "methods", 0);
}

static void priorities(pack *p)
{
    const csa_assessment *a = p->a;
    section(p, "Priority matrix", "priorities", P_PRIORITIES, 8);
    para(p, "Each candidate is scored on every criterion; the highest total ranks first. "
            "Each cell shows the criterion's measure, then its score and weight.", &BODY, 12);

    column cols[MAX_COLS];
    const char *head[MAX_COLS], *cells[MAX_COLS];
    char buf[MAX_COLS][CELL_MAX];
    size_t nc = a->ncriteria, ncols = nc + 3;
    /* shares in points: rank and total keep room for their headers */
    double crit_w = nc ? (content_w() - 30 - 100 - 36) / (double)nc : 0;
    cols[0] = (column){.share = 30, .align = PANGO_ALIGN_CENTER, .lines = 1};
    cols[1] = (column){.share = 100, .lines = 4};
    head[0] = "Rank", head[1] = "Indicator";
    for (size_t k = 0; k < nc; k++) {
        cols[2 + k] = (column){.share = crit_w, .lines = 6, .sub = 1};
        head[2 + k] = str(a->criteria[k].name);
    }
    cols[nc + 2] = (column){.share = 36, .align = PANGO_ALIGN_RIGHT, .lines = 1, .bold = 1};
    head[nc + 2] = "Total";
    grid g;
    grid_init(&g, cols, ncols, head, nc > 4 ? 7.5 : 9);

    if (a->npriorities == 0) {
        para(p, "No priorities were scored in this assessment.", &BODY, 10);
    } else {
        table_row(p, &g, head, 1, &SHADE);
        for (size_t r = 0; r < a->npriorities; r++) {
            const csa_priority_report *pr = &a->priorities[r];
            snprintf(buf[0], CELL_MAX, "%zu", pr->rank);
            snprintf(buf[1], CELL_MAX, "%s", csa_indicator_title(&a->indicators[pr->indicator]));
            for (size_t k = 0; k < nc; k++)
                csa_format_priority_cell(&pr->scores[k], buf[2 + k], CELL_MAX);
            csa_format_score(pr->total, buf[nc + 2], CELL_MAX);
            for (size_t i = 0; i < ncols; i++)
                cells[i] = buf[i];
            table_row(p, &g, cells, 0, NULL);
        }
        p->y += 10;

        /* the sum spelled out for the top priority */
        char line[2 * CELL_MAX];
        para(p, csa_format_priority_sum(a, line, sizeof line), &BODY, 14);
    }

    if (nc == 0)
        return;
    para(p, "How each criterion is scored", &H2, 4);
    static const column rcols[] = {{.share = 1, .lines = 3, .bold = 1}, TXT(3, 10)};
    static const char *const rhead[] = {"Criterion", "How its measure becomes a score"};
    grid_init(&g, rcols, 2, rhead, 8);
    table_row(p, &g, rhead, 1, &SHADE);
    for (size_t k = 0; k < nc; k++) {
        const char *rule[2] = {str(a->criteria[k].name), str(a->criteria[k].rule)};
        table_row(p, &g, rule, 0, NULL);
    }
}

/* The headline box; measures only unless p->draw. Returns its height. */
static double headline(pack *p, const csa_indicator_report *ind, double y)
{
    const double pad = 10, w = content_w() - 2 * pad;
    const double x1 = MARGIN + pad, w1 = w * 0.36;
    const double x2 = x1 + w1 + 10, w2 = w * 0.32 - 10;
    const double x3 = x2 + w2 + 10, w3 = w - w1 - w2 - 20;
    static const style detail = {.size = 9, .colour = INK};
    static const style sub = {.size = 8, .colour = MUTED};
    char buf[CSA_CELL_MAX];

    double y1 = y + pad;
    y1 += text(p, "Value", x1, y1, w1, &LABEL) + 2;
    y1 += text(p, csa_format_headline(ind, buf, sizeof buf), x1, y1, w1, &FIGURE);
    /* a percentage reads as one: "57.7%" */
    if (!csa_unit_is_percent(ind))
        y1 += text(p, ind->unit, x1, y1, w1, &detail);
    y1 += 3;
    if (csa_format_interval(ind, buf, sizeof buf)[0])
        y1 += text(p, buf, x1, y1, w1, &detail) + 2;
    if (csa_format_count(ind, buf, sizeof buf)[0])
        y1 += text(p, buf, x1, y1, w1, &sub);

    double y2 = y + pad;
    snprintf(buf, sizeof buf, "Compared with%s%s", ind->comparator ? " " : "",
             str(ind->comparator));
    y2 += text(p, buf, x2, y2, w2, &LABEL) + 2;
    y2 += text(p, csa_format_comparator(ind, buf, sizeof buf), x2, y2, w2, &detail) + 6;
    /* the swatch carries the colour, the word carries the meaning */
    const double sw = 16;
    double oh = text(p, csa_outcome_name(ind->outcome), x2 + sw + 6, y2, w2 - sw - 6, &OUTCOME);
    double sy = y2 + (oh > sw ? (oh < 2 * sw ? (oh - sw) / 2 : 1) : 0);
    static const rgb edge = {0.25, 0.25, 0.25};
    box(p, x2, sy, sw, sw, hex_colour(csa_outcome_colour(ind->outcome)), &edge);
    y2 += (oh > sw ? oh : sw) + 3;
    y2 += text(p, csa_polarity_text(ind->polarity), x2, y2, w2, &sub);

    double y3 = y + pad;
    if (ind->change) {
        y3 += text(p, csa_format_change_label(ind, buf, sizeof buf), x3, y3, w3, &LABEL) + 2;
        y3 += text(p, ind->change, x3, y3, w3, &detail) + 2;
        if (csa_format_change_figures(ind, buf, sizeof buf)[0])
            y3 += text(p, buf, x3, y3, w3, &sub) + 2;
        y3 += 4;
    }
    y3 += text(p, "Trend", x3, y3, w3, &LABEL) + 2;
    y3 += text(p, csa_trend_text(ind), x3, y3, w3, &detail);

    double bottom = fmax(y1, fmax(y2, y3)) + pad;
    return bottom - y;
}

/* A cell of a report table as the pack shows it: numbers with thousands
 * separators, doubles to the table's places; "" when missing. */
static const char *report_cell(const csa_report_table *rt, size_t col, size_t row, char *buf,
                               size_t size)
{
    const csa_table *t = rt->table;
    buf[0] = '\0';
    if (!csa_table_valid(t, col, row))
        return buf;
    switch (csa_table_column_type(t, col)) {
    case CSA_INT64:
        return csa_format_number((double)csa_table_int64s(t, col)[row], 0, buf, size);
    case CSA_DOUBLE:
        return csa_format_number(csa_table_doubles(t, col)[row], rt->decimals, buf, size);
    case CSA_STRING:
        snprintf(buf, size, "%s",
                 csa_dict_string(csa_table_dict(t, col), csa_table_codes(t, col)[row], NULL));
        return buf;
    default:
        return buf;
    }
}

/* A table of the indicator on its page, compactly: the columns it asks
 * the pack to show, and its note under it. */
static void report_table(pack *p, const csa_report_table *rt)
{
    const csa_table *t = rt->table;
    size_t nc = 0, cols[MAX_COLS], nrows = csa_table_nrows(t);
    column spec[MAX_COLS];
    const char *head[MAX_COLS], *cells[MAX_COLS];
    char buf[MAX_COLS][CELL_MAX];
    for (size_t k = 0; k < rt->npack_columns && nc < MAX_COLS; k++) {
        size_t c = csa_table_find(t, rt->pack_columns[k]);
        if (c == CSA_NO_ROW)
            continue;
        bool words = csa_table_column_type(t, c) == CSA_STRING;
        const char *name = csa_table_column_name(t, c);
        cols[nc] = c, head[nc] = name;
        /* names and places get the room; a rank only its digits */
        double num = !strcmp(name, "Rank") ? 0.8 : strlen(name) > 16 ? 1.6 : 1.25;
        spec[nc++] = !words ? (column)NUM(num)
                     : !strcmp(name, "Location") ? (column)TXT(3.5, 2)
                                                 : (column)TXT(2.3, 2);
    }
    if (!nc)
        return;
    /* the title with the header and a row under it */
    if (p->y + 90 > BOTTOM && p->y > TOP)
        continue_page(p);
    para(p, rt->title, &H2, 4);
    grid g;
    grid_init(&g, spec, nc, head, 8);
    if (!nrows) {
        para(p, "None in the period.", &BODY, 4);
    } else {
        table_row(p, &g, head, 1, &SHADE);
        for (size_t row = 0; row < nrows; row++) {
            for (size_t k = 0; k < nc; k++)
                cells[k] = report_cell(rt, cols[k], row, buf[k], CELL_MAX);
            table_row(p, &g, cells, 0, NULL);
        }
        p->y += 4;
    }
    if (rt->note)
        para(p, rt->note, &TABLE_NOTE, 12);
    else
        p->y += 8;
}

/* The height a caterpillar of many rows needs so that no row's name is
 * thinned out (up to a page under a "(continued)" heading), or 0 for a
 * chart that fits the usual heights. */
static double tall_chart(const csa_chart *c, double src_h)
{
    double want = (double)c->n * 10 + 140;
    if (c->kind != CSA_CHART_CATERPILLAR || want <= CHART_MAX_H)
        return 0;
    return fmin(want, BOTTOM - TOP - src_h - CHART_GAP - 40);
}

static csa_status indicator_pages(pack *p, size_t pos, csa_error *err)
{
    const csa_assessment *a = p->a;
    const csa_indicator_report *ind = indicator_at(p, pos);
    const char *title = csa_indicator_title(ind);
    double w = content_w();
    char name[32], buf[1024];
    snprintf(name, sizeof name, "indicator-%zu", pos);

    begin_page(p, "Indicators", title);
    p->ind_page[pos] = p->page;
    dest(p, name);
    if (pos == 0)
        p->outline_ind = outline(p, CAIRO_PDF_OUTLINE_ROOT, "Indicators", name, 1);
    outline(p, p->outline_ind, title, name, 0);

    p->y += text(p, csa_format_rank_line(a, p->order[pos], buf, sizeof buf), MARGIN, p->y, w,
                 &LABEL) + 3;
    p->y += text(p, title, MARGIN, p->y, w, &H1) + 10;

    int draw = p->draw;
    p->draw = 0;
    double bh = headline(p, ind, p->y);
    p->draw = draw;
    static const rgb edge = {0.80, 0.80, 0.80};
    box(p, MARGIN, p->y, w, bh, BOX, &edge);
    headline(p, ind, p->y);
    p->y += bh + 12;

    para(p, ind->reading, &LEAD, 10);

    if (ind->note) {
        const double pad = 7;
        snprintf(buf, sizeof buf, "Note: %s", ind->note);
        double h = measure(p, buf, w - 2 * pad - 4, &BODY_BOLD) + 2 * pad;
        if (p->y + h > BOTTOM)
            continue_page(p);
        box(p, MARGIN, p->y, w, h, NOTE_FILL, NULL);
        box(p, MARGIN, p->y, 4, h, NOTE_BAR, NULL);
        text(p, buf, MARGIN + 4 + pad, p->y + pad, w - 2 * pad - 4, &BODY_BOLD);
        p->y += h + 10;
    }

    csa_format_source_line(ind, buf, sizeof buf);
    double src_h = measure(p, buf, w, &SOURCE);

    size_t next = 0;
    while (next < ind->ncharts) {
        /* each chart is followed by a gap; the source line comes last */
        double avail = BOTTOM - p->y - src_h - CHART_GAP - 2;
        double tall = tall_chart(&ind->charts[next], src_h);
        size_t fit = tall > 0                                 ? avail >= tall
                     : avail >= 2 * CHART_MIN_H + CHART_GAP ? 2
                     : avail >= CHART_MIN_H                 ? 1
                                                            : 0;
        if (fit == 0) {
            continue_page(p);
            continue;
        }
        size_t k = ind->ncharts - next < fit ? ind->ncharts - next : fit;
        if (k == 2 && tall_chart(&ind->charts[next + 1], src_h) > 0)
            k = 1; /* it goes below, on its own */
        double h = tall > 0 ? tall
                            : fmin((avail - (double)(k - 1) * CHART_GAP) / (double)k, CHART_MAX_H);
        for (size_t c = next; c < next + k; c++) {
            if (p->draw) {
                csa_status st = csa_chart_draw(p->cr, &ind->charts[c], MARGIN, p->y, w, h, err);
                if (st != CSA_OK) {
                    char msg[CSA_ERROR_MESSAGE_MAX];
                    snprintf(msg, sizeof msg, "%s", err ? err->message : "");
                    return csa_error_set(err, st, NULL, 0, 0, ind->name, NULL,
                                         "chart %zu of %s in the pack: %s", c + 1, title, msg);
                }
            }
            p->y += h + CHART_GAP;
        }
        next += k;
    }
    for (size_t t = 0; t < ind->ntables; t++)
        if (ind->tables[t].pack_columns && ind->tables[t].table)
            report_table(p, &ind->tables[t]);
    para(p, buf, &SOURCE, 0);
    return CSA_OK;
}

static void quality(pack *p)
{
    const csa_assessment *a = p->a;
    section(p, "Data quality", "quality", P_QUALITY, 8);
    para(p, "Every row each partner sent is accounted for: rows read = used + no location + "
            "no population + outside the area + outside the period + rejected, for every input "
            "and for every crime indicator (the rows of its crime types). An excluded input was "
            "left out of every figure: its rows count as rejected.", &BODY, 12);

    para(p, "Inputs", &H2, 4);
    /* shares in points of the 499 across: the headers' words fit whole */
    static const column icols[CSA_INPUT_CELLS] = {
        {.share = 100, .lines = 3, .sub = 1}, NUM(34), NUM(50), NUM(56),
        {.share = 135, .lines = 3, .sub = 1}, TXT(70, 2), TXT(54, 1)};
    /* room for the widest of the three tables */
    _Static_assert((int)CSA_ACCOUNT_CELLS >= (int)CSA_INPUT_CELLS &&
                       (int)CSA_ACCOUNT_CELLS >= (int)CSA_FINDING_CELLS, "cells");
    char buf[CSA_ACCOUNT_CELLS][CSA_CELL_MAX];
    const char *cells[sizeof buf / sizeof buf[0]];
    for (size_t c = 0; c < sizeof buf / sizeof buf[0]; c++)
        cells[c] = buf[c];
    grid g;
    grid_init(&g, icols, CSA_INPUT_CELLS, csa_input_headers(a), 7.5);
    table_row(p, &g, g.head, 1, &SHADE);
    for (size_t i = 0; i < a->ninputs; i++) {
        csa_format_input_cells(&a->inputs[i], buf);
        table_row(p, &g, cells, 0, a->inputs[i].excluded ? &NOTE_FILL : NULL);
    }
    p->y += 16;

    para(p, "Where the rows went", &H2, 4);
    static const column acols[CSA_ACCOUNT_CELLS] = {
        {.share = 121, .lines = 2, .sub = 1}, NUM(54), NUM(54), NUM(54), NUM(54), NUM(54),
        NUM(54), NUM(54)};
    grid_init(&g, acols, CSA_ACCOUNT_CELLS, csa_account_headers(), 7.5);
    table_row(p, &g, g.head, 1, &SHADE);
    for (size_t i = 0; i < a->ninputs + a->nindicators; i++) {
        if (!csa_format_account_cells(a, i, buf))
            continue;
        const csa_row_accounting *rows =
            i < a->ninputs ? &a->inputs[i].rows : &a->indicators[i - a->ninputs].rows;
        table_row(p, &g, cells, 0, rows->no_population ? &NOTE_FILL : NULL);
    }
    p->y += 16;

    para(p, "Findings", &H2, 4);
    size_t n = a->findings ? csa_table_nrows(a->findings) : 0;
    if (n == 0) {
        para(p, "No validation findings.", &BODY, 0);
        return;
    }
    static const column fcols[CSA_FINDING_CELLS] = {
        TXT(46, 2), {.share = 112, .lines = 2, .cut = PANGO_ELLIPSIZE_MIDDLE}, NUM(44),
        TXT(52, 2), TXT(44, 1), TXT(50, 2), TXT(151, 4)};
    para(p, "Findings that say the same of one file are one line here, with how many rows "
            "and the first of their lines; the workbook's Data quality sheet and findings.csv "
            "list every row.", &BODY, 6);
    grid_init(&g, fcols, CSA_FINDING_CELLS, csa_finding_headers(), 7.5);
    table_row(p, &g, g.head, 1, &SHADE);
    csa_finding_group groups[CSA_MAX_FINDING_GROUPS];
    size_t rest, shown = csa_group_findings(a->findings, groups, &rest);
    for (size_t k = 0; k < shown; k++) {
        csa_format_finding_cells(a->findings, &groups[k], buf);
        table_row(p, &g, cells, 0, NULL);
    }
    if (rest) {
        char line[160];
        snprintf(line, sizeof line, "and %zu more: see the workbook's Data quality sheet",
                 rest);
        p->y += 6;
        para(p, line, &BODY_BOLD, 0);
    }
}

static void methods(pack *p)
{
    const csa_assessment *a = p->a;
    section(p, "Method notes", "methods", P_METHODS, 10);
    for (size_t i = 0; i < a->nmethod_notes; i++)
        para(p, a->method_notes[i], &BODY, 8);
    p->y += 8;
    para(p, "Indicators", &H2, 6);
    for (size_t pos = 0; pos < p->norder; pos++) {
        const csa_indicator_report *ind = indicator_at(p, pos);
        char line[1024];
        snprintf(line, sizeof line, "%s \u00b7 %s", csa_indicator_title(ind), str(ind->unit));
        para(p, line, &BODY_BOLD, 2);
        para(p, csa_format_method_line(ind, line, sizeof line), &BODY, 8);
    }
}

static csa_status lay_out(pack *p, csa_error *err)
{
    p->page = 0;
    cover(p);
    contents(p);
    priorities(p);
    for (size_t pos = 0; pos < p->norder; pos++) {
        csa_status st = indicator_pages(p, pos, err);
        if (st != CSA_OK)
            return st;
    }
    quality(p);
    methods(p);
    return CSA_OK;
}

static csa_status check(const csa_assessment *a, csa_error *err)
{
    if (a->ncriteria > MAX_CRITERIA)
        return csa_error_set(err, CSA_ERR_LIMIT, NULL, 0, 0, NULL, NULL,
                             "the pack shows at most %d priority criteria, not %zu",
                             MAX_CRITERIA, a->ncriteria);
    return csa_check_assessment(a, err);
}

/* The PDF's bytes go through here, so a failed write's errno is kept for
 * the message ("disk full"): cairo's own file stream says only "error while
 * writing to output stream", and the drawing after it fails with messages
 * about the drawing. */
typedef struct pdf_file {
    FILE *fp;
    int errnum; /* of the first failed write, or 0 */
} pdf_file;

static cairo_status_t pdf_write(void *closure, const unsigned char *data, unsigned int length)
{
    pdf_file *f = closure;
    errno = 0;
    if (!f->errnum && fwrite(data, 1, length, f->fp) == length)
        return CAIRO_STATUS_SUCCESS;
    if (!f->errnum)
        f->errnum = errno ? errno : EIO;
    return CAIRO_STATUS_WRITE_ERROR;
}

/* The pack written to fp (which it closes) or, when fp is NULL, to path. */
static csa_status write_pdf(const csa_assessment *a, const char *path, FILE *fp, csa_error *err)
{
    csa_status st = CSA_OK;
    pack p = {0};
    pdf_file out = {.fp = fp};
    if (!a || !path) {
        st = csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                           "no assessment or no path for the pack");
        goto fail;
    }
    if ((st = check(a, err)) != CSA_OK)
        goto fail;
    p.a = a;

    p.order = calloc(a->nindicators + 1, sizeof *p.order);
    p.ind_page = calloc(a->nindicators + 1, sizeof *p.ind_page);
    if (!p.order || !p.ind_page) {
        st = csa_error_set(err, CSA_ERR_NOMEM, path, 0, 0, NULL, NULL, "out of memory");
        goto fail;
    }
    p.norder = csa_indicator_order(a, p.order);

    if (!out.fp && !(out.fp = fopen(path, "wb"))) {
        st = csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot create: %s",
                           csa_io_error(errno));
        goto fail;
    }
    p.surface = cairo_pdf_surface_create_for_stream(pdf_write, &out, PAGE_W, PAGE_H);
    if (cairo_surface_status(p.surface) != CAIRO_STATUS_SUCCESS) {
        st = csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot write the pack: %s",
                           cairo_status_to_string(cairo_surface_status(p.surface)));
        goto fail;
    }
    char title[2 * CSA_CELL_MAX], creator[128], date[80];
    csa_format_document_title(a, title, sizeof title);
    snprintf(creator, sizeof creator, "csa %s", str(a->version));
    struct tm tm;
    time_t t = a->run_time;
    if (!gmtime_r(&t, &tm)) {
        st = csa_error_set(err, CSA_ERR_USAGE, path, 0, 0, NULL, NULL,
                           "run time %lld is not a date", (long long)t);
        goto fail;
    }
    snprintf(date, sizeof date, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_TITLE, title);
    /* the partnership is the author of its assessment */
    cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_AUTHOR, str(a->title));
    cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_SUBJECT, str(a->area));
    cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_KEYWORDS,
                                   "strategic assessment; community safety; crime; "
                                   "priorities");
    cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_CREATOR, creator);
    cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
    cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_MOD_DATE, date);
    p.cr = cairo_create(p.surface);

    /* measure, then draw with the page plan known */
    p.draw = 0;
    if ((st = lay_out(&p, err)) != CSA_OK)
        goto fail;
    p.npages = p.page;
    p.draw = 1;
    if ((st = lay_out(&p, err)) != CSA_OK)
        goto fail;
    cairo_show_page(p.cr);
    if (cairo_status(p.cr) != CAIRO_STATUS_SUCCESS) {
        st = csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot draw the pack: %s",
                           cairo_status_to_string(cairo_status(p.cr)));
        goto fail;
    }
    cairo_destroy(p.cr);
    p.cr = NULL;
    cairo_surface_finish(p.surface);
    if (cairo_surface_status(p.surface) != CAIRO_STATUS_SUCCESS) {
        st = csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot write the pack: %s",
                           cairo_status_to_string(cairo_surface_status(p.surface)));
        goto fail;
    }

fail:
    if (p.cr)
        cairo_destroy(p.cr);
    if (p.surface)
        cairo_surface_destroy(p.surface);
    if (out.fp) {
        errno = 0;
        if ((fflush(out.fp) != 0 || ferror(out.fp)) && !out.errnum)
            out.errnum = errno ? errno : EIO;
        if (fclose(out.fp) != 0 && !out.errnum)
            out.errnum = errno ? errno : EIO;
    }
    /* a write failed: that is the error, whatever the drawing said after it */
    if (out.errnum)
        st = csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot write the pack: %s",
                           csa_io_error(out.errnum));
    free(p.ind_page);
    free(p.order);
    return st;
}

csa_status csa_write_assessment_pdf(const csa_assessment *a, const char *path, csa_error *err)
{
    return write_pdf(a, path, NULL, err);
}

csa_status csa_write_assessment_pdf_memory(const csa_assessment *a, char **data, size_t *size,
                                           csa_error *err)
{
    *data = NULL, *size = 0;
    FILE *fp = open_memstream(data, size);
    if (!fp)
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL,
                             "out of memory: drawing the pack");
    csa_status st = write_pdf(a, "assessment-pack.pdf", fp, err);
    if (st) {
        free(*data);
        *data = NULL, *size = 0;
    }
    return st;
}
