/* The charts of an assessment (csa/chart.h), drawn with cairo and laid out
 * with pango. Every size derives from the rectangle drawn into, so one
 * drawing suits a slide, a web image or a PDF page. A first pass measures
 * (layout), a second draws with the same numbers. */
#include <ctype.h>
#include <errno.h>
#include <malloc.h>
#include <math.h>
#include <png.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cairo-svg.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "csa/chart.h"
#include "csa/report.h"
#include "csa/stats.h"
#include "csa/text.h"
#include "csa/thread.h"
#include "draw.h"

#define FONT_FAMILY "DejaVu Sans"
#define NO_INDEX ((size_t)-1)

/* A chart of more points than this is not a chart anyone can read. */
enum { MAX_POINTS = 100000, MAX_LEGEND = 12, MAX_LABEL_LINES = 3 };
/* a Lorenz curve of more points than this is drawn as a line only */
enum { LORENZ_DOTS = 40 };

static const double quarter_turn = 1.57079632679489661923;

typedef struct rgb { double r, g, b; } rgb;
#define HEX(h) {((h) >> 16 & 0xff) / 255.0, ((h) >> 8 & 0xff) / 255.0, ((h) & 0xff) / 255.0}

/* Okabe-Ito hues, darkened or lightened so that marks that must be told
 * apart also differ in lightness (they stay distinct in greyscale), with a
 * shape or dash pattern as well wherever colour carries meaning. */
static const rgb col_white = HEX(0xffffff);
static const rgb col_text = HEX(0x1a1a1a);
static const rgb col_muted = HEX(0x595959);
static const rgb col_grid = HEX(0xdddddd);
static const rgb col_axis = HEX(0x404040);
/* The series: a dark blue (the golden test of csa rates counts its pixels). */
static const rgb col_series = HEX(0x1f4e79);
static const rgb col_band = HEX(0xc6d6e8);
static const rgb col_whisker = HEX(0x141414);
static const rgb col_comparator = HEX(0x000000);
static const rgb col_rule = HEX(0xe69f00);
static const rgb col_nodata = HEX(0x767676);
static const rgb col_highlight = HEX(0xebebeb);
/* a shaded stretch of periods: lighter than every mark drawn over it */
static const rgb col_shade = HEX(0xe8e8e8);

typedef enum shape { SH_CIRCLE, SH_SQUARE, SH_DIAMOND, SH_UP, SH_DOWN, SH_CROSS } shape;

typedef struct style { rgb fill; shape shape; } style;

/* Worse is a mid vermillion square, better a dark green diamond, similar a
 * light yellow circle: three lightnesses and three shapes. */
static const style outcome_style[] = {
    [CSA_NOT_COMPARED] = {HEX(0xffffff), SH_CIRCLE},
    [CSA_BETTER] = {HEX(0x00704f), SH_DIAMOND},
    [CSA_SIMILAR] = {HEX(0xf0e442), SH_CIRCLE},
    [CSA_WORSE] = {HEX(0xd55e00), SH_SQUARE},
    [CSA_HIGHER] = {HEX(0x56b4e9), SH_UP},
    [CSA_LOWER] = {HEX(0x0072b2), SH_DOWN},
};
/* Legend order: judgements first, then the neutral ones. */
static const csa_outcome outcome_order[] = {CSA_BETTER, CSA_SIMILAR, CSA_WORSE,
                                            CSA_HIGHER, CSA_LOWER, CSA_NOT_COMPARED};

typedef enum dash { SOLID, SHORT, LONG } dash;

/* width is in units of the frame's thick line */
typedef struct pen { rgb colour; double width; dash dash; } pen;

static const pen pen_series = {HEX(0x1f4e79), 1.25, SOLID};
static const pen pen_comparator = {HEX(0x000000), 1, LONG};
static const pen pen_centre = {HEX(0x8a8a8a), 1, SOLID};
static const pen pen_limit = {HEX(0x404040), 0.75, SHORT};
static const pen pen_95 = {HEX(0x7a7a7a), 0.75, SHORT};
static const pen pen_998 = {HEX(0x262626), 0.75, LONG};
static const pen pen_sii = {HEX(0xd55e00), 1.5, SOLID};
static const pen pen_equality = {HEX(0x8a8a8a), 0.75, SHORT};
/* Line charts' second and third lines, told from the dark solid series by
 * lightness and pattern as well as hue: the overlay mid vermillion, short
 * dashes and triangles; the rolling line light sky blue, thick, unmarked. */
static const pen pen_overlay = {HEX(0xd55e00), 1.25, SHORT};
static const style overlay_point = {HEX(0xd55e00), SH_UP};
static const pen pen_rolling = {HEX(0x56b4e9), 2.5, SOLID};

typedef enum mark_kind { MK_BAR, MK_LINE, MK_BAND, MK_SHADE, MK_WHISKER, MK_POINT } mark_kind;

typedef struct legend_item {
    mark_kind kind;
    pen pen;
    style point; /* MK_POINT, and MK_LINE with a dot on it */
    int dot;
    char text[128];
} legend_item;

typedef struct axis {
    double lo, hi, step;
    int nticks, decimals, percent;
} axis;

typedef enum label_mode { WRAP, THIN, UPRIGHT } label_mode;

typedef struct frame {
    cairo_t *cr;
    const csa_chart *c;
    double w, h;
    double fs, floor_px, px_title, px_sub, px_body, px_small, px_tick, m, gap, hair, thick, dot;
    double title_y, sub_y, legend_y, source_y, xlab_y, ylab_h;
    double pl, pt, pr, pb;   /* the plot area */
    axis v;                  /* values: vertical, or across for CATERPILLAR and SURVEY */
    axis xa;                 /* FUNNEL and LORENZ: the horizontal axis */
    int across, numeric_x, have_data, missing;
    size_t slots;            /* categories, or rows (with headings) */
    double slot;             /* a category's width, or a row's height */
    double px_cat, band, lab_w;
    label_mode mode;
    size_t every;
    int lab_lines;           /* rows: lines a label may wrap to */
    legend_item legend[MAX_LEGEND], spare;
    size_t nlegend;
} frame;

/* Beyond this the axis arithmetic would overflow; no real figure is so big. */
static int usable(double v)
{
    return isfinite(v) && fabs(v) <= 1e300;
}

/* Odd-width lines sit on pixel centres, even ones on pixel edges; anything
 * else blurs into two grey rows on small images. */
static double crisp(double v, double line_w)
{
    return floor(v) + (fmod(line_w, 2) == 1 ? 0.5 : 0);
}

static void set_rgb(cairo_t *cr, rgb c)
{
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

/* ---- text ---- */

/* wrap_w > 0 wraps the text to that width and aligns it within it; wrap_w
 * <= 0 leaves it on one line. */
static PangoLayout *text_layout(cairo_t *cr, const char *text, double px, int bold,
                                double wrap_w, PangoAlignment align)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, FONT_FAMILY);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_absolute_size(fd, px * PANGO_SCALE);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    if (wrap_w > 0) {
        pango_layout_set_width(l, (int)(wrap_w * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
        pango_layout_set_alignment(l, align);
    }
    /* pango refuses bytes that are not UTF-8 and draws control characters
     * as boxes of hex digits; out of memory, the text is left out */
    char *clean;
    const char *safe = csa_text_xml(text ? text : "", &clean);
    pango_layout_set_text(l, safe ? safe : "", -1);
    free(clean);
    return l;
}

/* Caps text at `lines` lines with an ellipsis, so a long title cannot eat
 * the plot on a small image. */
static PangoLayout *capped(PangoLayout *l, int lines)
{
    pango_layout_set_height(l, -lines);
    pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
    return l;
}

/* One line, cut with an ellipsis at max_w. */
static PangoLayout *one_line(cairo_t *cr, const char *text, double px, int bold, double max_w,
                             PangoAlignment align)
{
    return capped(text_layout(cr, text, px, bold, fmax(max_w, 1), align), 1);
}

static double layout_h(PangoLayout *l)
{
    int w, h;
    pango_layout_get_pixel_size(l, &w, &h);
    return h;
}

/* The ink-free width of the text as set (not the wrap width it was given). */
static double text_w(PangoLayout *l)
{
    PangoRectangle log;
    pango_layout_get_pixel_extents(l, NULL, &log);
    return log.width;
}

/* Measures and frees. */
static double measure_h(PangoLayout *l)
{
    double v = layout_h(l);
    g_object_unref(l);
    return v;
}

static double measure_w(PangoLayout *l)
{
    double v = text_w(l);
    g_object_unref(l);
    return v;
}

/* Draws and frees the layout, so callers need not keep it. */
static void show(cairo_t *cr, PangoLayout *l, double x, double y, rgb c)
{
    set_rgb(cr, c);
    cairo_move_to(cr, x, y);
    pango_cairo_update_layout(cr, l);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
}

/* Text turned a quarter left so it reads upwards; (x, y) is where its start
 * (bottom on screen) sits, centred across the text's height at x. */
static void show_up(cairo_t *cr, PangoLayout *l, double x, double y, rgb c)
{
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, -quarter_turn);
    show(cr, l, 0, -layout_h(l) / 2, c);
    cairo_restore(cr);
}

PangoLayout *csa_draw_text(cairo_t *cr, const char *text, double px, int bold, double wrap_w,
                           int lines)
{
    PangoLayout *l = text_layout(cr, text, px, bold, wrap_w, PANGO_ALIGN_LEFT);
    return lines > 0 && wrap_w > 0 ? capped(l, lines) : l;
}

static int has_text(const char *s)
{
    return s && *s;
}

/* ---- axes ---- */

/* Tick text with thousands separators; huge or tiny values fall back to %g
 * because fixed notation would be unreadable there anyway. */
static void format_tick(double v, int decimals, int percent, char *buf, size_t size)
{
    char raw[64];
    if (percent) {
        v *= 100;
        decimals = decimals > 2 ? decimals - 2 : 0;
    }
    if (fabs(v) >= 1e15 || decimals > 9) {
        snprintf(buf, size, "%g", v);
        return;
    }
    csa_format_number(v, decimals, raw, sizeof raw);
    /* a true minus sign: a hyphen looks lost beside digits */
    bool minus = raw[0] == '-';
    snprintf(buf, size, "%s%s%s", minus ? "\xe2\x88\x92" : "", raw + minus, percent ? "%" : "");
}

/* Counting ticks from lo, rather than adding steps, keeps rounding error
 * from piling up; snapping to zero avoids a "-0" label. */
static double tick_value(const axis *a, int t)
{
    double v = a->lo + t * a->step;
    return fabs(v) < a->step * 1e-6 ? 0 : v;
}

static axis stepped(double bot, double top, double step)
{
    axis a = {floor(bot / step) * step, ceil(top / step) * step, step, 0, 0, 0};
    a.nticks = (int)lround((a.hi - a.lo) / step) + 1;
    int k = (int)floor(log10(step) + 1e-9);
    a.decimals = k < 0 ? -k : 0;
    return a;
}

/* A 1-2-5 step giving about `target` intervals over [lo, hi] with a little
 * headroom, so no whisker touches the frame; the next finer step when the
 * coarse one would leave much of the plot empty (800 to 3,200 on an axis
 * of 0 to 4,000). Bars start at zero; other marks do too when the data are
 * all one value (a scale around a single value would be invented). All
 * zero: 0 to 1. No data: no ticks. */
static axis nice_axis(double lo, double hi, int have, int target, int from_zero)
{
    if (!have)
        return (axis){0, 1, 1, 0, 0, 0};
    if (from_zero || !(hi > lo)) {
        lo = fmin(lo, 0);
        hi = fmax(hi, 0);
    }
    if (!(hi > lo))
        return (axis){0, 1, 0.2, 6, 1, 0};
    double span = hi - lo;
    double top = hi + span * 0.05, bot = lo == 0 ? 0 : lo - span * 0.05;
    if (lo >= 0 && bot < 0)
        bot = 0;
    double raw = (top - bot) / target;
    double mag = pow(10, floor(log10(raw)));
    double f = raw / mag, step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
    axis a = stepped(bot, top, step);
    axis fine = stepped(bot, top, step / (f > 2 && f <= 5 ? 2.5 : 2));
    if (fine.nticks - 1 <= target + 2 && fine.hi - fine.lo < (a.hi - a.lo) * 0.9)
        return fine;
    return a;
}

static axis share_axis(void)
{
    return (axis){0, 1, 0.2, 6, 1, 1};
}

static double tick_width(cairo_t *cr, const axis *a, double px)
{
    char buf[96];
    double w = 0;
    for (int t = 0; t < a->nticks; t++) {
        format_tick(tick_value(a, t), a->decimals, a->percent, buf, sizeof buf);
        w = fmax(w, measure_w(text_layout(cr, buf, px, 0, 0, PANGO_ALIGN_LEFT)));
    }
    return w;
}

static double ypos(const frame *f, double v)
{
    return f->pb - (v - f->v.lo) / (f->v.hi - f->v.lo) * (f->pb - f->pt);
}

static double xpos(const frame *f, const axis *a, double v)
{
    return f->pl + (v - a->lo) / (a->hi - a->lo) * (f->pr - f->pl);
}

/* Where values run across: the value axis there, else the x axis. */
static double vx(const frame *f, double v)
{
    return xpos(f, &f->v, v);
}

/* ---- marks ---- */

static void stroke_pen(const frame *f, pen p)
{
    cairo_t *cr = f->cr;
    double u = f->thick;
    double on = p.dash == SHORT ? 3 : 9, off = p.dash == SHORT ? 3 : 4.5;
    double d[2] = {on * fmax(1, u * 0.75), off * fmax(1, u * 0.75)};
    cairo_set_dash(cr, d, p.dash == SOLID ? 0 : 2, 0);
    cairo_set_line_width(cr, fmax(1, p.width * u));
    set_rgb(cr, p.colour);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
}

/* A point mark of radius r centred at (x, y): filled, with a dark outline
 * so that light fills show on white. */
static void marker(const frame *f, style s, double x, double y, double r)
{
    cairo_t *cr = f->cr;
    double k;
    cairo_new_path(cr);
    switch (s.shape) {
    case SH_CIRCLE:
        cairo_arc(cr, x, y, r, 0, 4 * quarter_turn);
        break;
    case SH_SQUARE:
        k = r * 0.88;
        cairo_rectangle(cr, x - k, y - k, 2 * k, 2 * k);
        break;
    case SH_DIAMOND:
        k = r * 1.3;
        cairo_move_to(cr, x, y - k);
        cairo_line_to(cr, x + k, y);
        cairo_line_to(cr, x, y + k);
        cairo_line_to(cr, x - k, y);
        cairo_close_path(cr);
        break;
    case SH_UP:
    case SH_DOWN:
        k = (s.shape == SH_UP ? 1 : -1) * r * 1.25;
        cairo_move_to(cr, x, y - k);
        cairo_line_to(cr, x + fabs(k), y + k * 0.75);
        cairo_line_to(cr, x - fabs(k), y + k * 0.75);
        cairo_close_path(cr);
        break;
    case SH_CROSS:
        k = r * 0.8;
        cairo_move_to(cr, x - k, y - k);
        cairo_line_to(cr, x + k, y + k);
        cairo_move_to(cr, x - k, y + k);
        cairo_line_to(cr, x + k, y - k);
        cairo_set_line_width(cr, fmax(1, r * 0.35));
        set_rgb(cr, col_nodata);
        cairo_stroke(cr);
        return;
    }
    set_rgb(cr, s.fill);
    cairo_fill_preserve(cr);
    cairo_set_line_width(cr, fmax(0.75, fmin(r * 0.3, f->thick * 0.75)));
    set_rgb(cr, col_text);
    cairo_stroke(cr);
}

static const style nodata_style = {HEX(0x767676), SH_CROSS};

/* A confidence whisker from a to b at c (vertical when up), capped at both
 * ends, with a white halo so the part over a dark bar still shows. Thin
 * ones are for crowded rows, where thick dark whiskers would merge into one
 * block and hide the points. */
static void whisker(const frame *f, int up, double c, double a, double b, double cap, int halo,
                    int thin)
{
    cairo_t *cr = f->cr;
    double t = thin ? f->hair : f->thick, cc = crisp(c, t);
    double ea = crisp(a, t), eb = crisp(b, t);
    if (up) {
        cairo_move_to(cr, cc, ea);
        cairo_line_to(cr, cc, eb);
        if (cap > 0) {
            cairo_move_to(cr, cc - cap, ea);
            cairo_line_to(cr, cc + cap, ea);
            cairo_move_to(cr, cc - cap, eb);
            cairo_line_to(cr, cc + cap, eb);
        }
    } else {
        cairo_move_to(cr, ea, cc);
        cairo_line_to(cr, eb, cc);
        if (cap > 0) {
            cairo_move_to(cr, ea, cc - cap);
            cairo_line_to(cr, ea, cc + cap);
            cairo_move_to(cr, eb, cc - cap);
            cairo_line_to(cr, eb, cc + cap);
        }
    }
    if (halo) {
        set_rgb(cr, col_white);
        cairo_set_line_width(cr, t + 2);
        cairo_stroke_preserve(cr);
    }
    set_rgb(cr, thin ? col_muted : col_whisker);
    cairo_set_line_width(cr, t);
    cairo_stroke(cr);
}

/* ---- legend ---- */

static legend_item *legend_add(frame *f, mark_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static legend_item *legend_add(frame *f, mark_kind kind, const char *fmt, ...)
{
    if (f->nlegend == MAX_LEGEND)
        return &f->spare; /* written to, never shown; no chart lists this many */
    legend_item *it = &f->legend[f->nlegend++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(it->text, sizeof it->text, fmt, ap);
    va_end(ap);
    return it;
}

static void legend_mark(const frame *f, const legend_item *it, double x, double cy, double sw,
                        double px)
{
    cairo_t *cr = f->cr;
    double r = fmin(f->dot, px * 0.38);
    switch (it->kind) {
    case MK_BAR:
        set_rgb(cr, col_series);
        cairo_rectangle(cr, round(x + sw * 0.2), round(cy - px * 0.45), round(sw * 0.6),
                        round(px * 0.9));
        cairo_fill(cr);
        break;
    case MK_BAND:
    case MK_SHADE:
        set_rgb(cr, it->kind == MK_BAND ? col_band : col_shade);
        cairo_rectangle(cr, x, round(cy - px * 0.45), sw, round(px * 0.9));
        cairo_fill(cr);
        break;
    case MK_WHISKER:
        if (f->across)
            whisker(f, 0, cy, x + sw * 0.1, x + sw * 0.9, px * 0.35, 0, 0);
        else
            whisker(f, 1, x + sw / 2, cy - px * 0.5, cy + px * 0.5, sw * 0.18, 0, 0);
        break;
    case MK_LINE:
        cairo_move_to(cr, x, cy);
        cairo_line_to(cr, x + sw, cy);
        stroke_pen(f, it->pen);
        if (it->dot)
            marker(f, it->point, x + sw / 2, cy, r);
        break;
    case MK_POINT:
        marker(f, it->point, x + sw / 2, cy, r);
        break;
    }
}

/* Lays the legend out in rows across the chart from `top`, drawing it when
 * asked; returns its height. */
static double legend_pass(const frame *f, double top, int draw)
{
    double px = f->px_body * 0.92, pad = px * 0.4;
    double x = f->m, y = top, row_h = 0, right = f->w - f->m;
    for (size_t i = 0; i < f->nlegend; i++) {
        double sw = f->legend[i].kind == MK_POINT ? px * 1.2 : px * 2.4;
        PangoLayout *l = one_line(f->cr, f->legend[i].text, px, 0, right - f->m - sw - pad,
                                  PANGO_ALIGN_LEFT);
        double ew = sw + pad + text_w(l), lh = layout_h(l);
        if (x > f->m && x + ew > right) {
            x = f->m;
            y += row_h + px * 0.35;
            row_h = 0;
        }
        if (draw) {
            legend_mark(f, &f->legend[i], x, y + lh / 2, sw, px);
            show(f->cr, l, x + sw + pad, y, col_text);
        } else {
            g_object_unref(l);
        }
        x += ew + px * 1.6;
        row_h = fmax(row_h, lh);
    }
    return y + row_h - top;
}

/* ---- data ranges and the legend's contents ---- */

typedef struct range { double lo, hi; int have; } range;

static void widen(range *r, double v)
{
    if (!usable(v))
        return;
    r->lo = r->have ? fmin(r->lo, v) : v;
    r->hi = r->have ? fmax(r->hi, v) : v;
    r->have = 1;
}

static int has_interval(const csa_chart *c, size_t i)
{
    return c->lower && c->upper && usable(c->lower[i]) && usable(c->upper[i]);
}

/* TREND, SPC, HISTORY and SEASON: a series over periods or months. */
static int line_chart(csa_chart_kind k)
{
    return k == CSA_CHART_TREND || k == CSA_CHART_SPC || k == CSA_CHART_HISTORY ||
           k == CSA_CHART_SEASON;
}

static const char *series_name(const csa_chart *c, int across)
{
    const char *s = has_text(c->series_label) ? c->series_label : across ? c->x_label : c->y_label;
    return has_text(s) ? s : "Value";
}

static const char *comparator_name(const csa_chart *c)
{
    return has_text(c->comparator_label) ? c->comparator_label : "Comparator";
}

/* Value range, and what the legend lists: only marks that are drawn. */
static range scan(frame *f)
{
    const csa_chart *c = f->c;
    range r = {0, 0, 0};
    int band = 0, flagged = 0;
    unsigned seen = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (!usable(c->values[i])) {
            if (c->kind != CSA_CHART_FUNNEL || (c->x && usable(c->x[i])))
                f->missing = 1;
            continue;
        }
        widen(&r, c->values[i]);
        if (has_interval(c, i)) {
            widen(&r, c->lower[i]);
            widen(&r, c->upper[i]);
            band = 1;
        }
        if (c->flags && c->flags[i])
            flagged = 1;
        if (c->kind == CSA_CHART_CATERPILLAR || c->kind == CSA_CHART_FUNNEL)
            seen |= 1u << (c->outcomes ? c->outcomes[i] : CSA_NOT_COMPARED);
    }
    f->have_data = r.have;
    if (!r.have)
        return r;
    int cmp = usable(c->comparator) && c->kind != CSA_CHART_SPC && c->kind != CSA_CHART_DECILE;
    if (cmp)
        widen(&r, c->comparator);
    legend_item *it;
    int overlay = 0, rolling = 0;
    for (size_t i = 0; line_chart(c->kind) && i < c->n; i++) {
        if (c->overlay && usable(c->overlay[i]))
            widen(&r, c->overlay[i]), overlay = 1;
        if (c->rolling && usable(c->rolling[i]))
            widen(&r, c->rolling[i]), rolling = 1;
    }
    switch (c->kind) {
    case CSA_CHART_TREND:
    case CSA_CHART_SPC:
    case CSA_CHART_HISTORY:
    case CSA_CHART_SEASON:
        it = legend_add(f, MK_LINE, "%s", series_name(c, 0));
        it->pen = pen_series, it->dot = 1, it->point = (style){col_series, SH_CIRCLE};
        if (overlay) {
            it = legend_add(f, MK_LINE, "%s", has_text(c->overlay_label) ? c->overlay_label
                                                                          : "Overlay");
            it->pen = pen_overlay, it->dot = 1, it->point = overlay_point;
        }
        if (rolling)
            legend_add(f, MK_LINE, "%s", has_text(c->rolling_label) ? c->rolling_label
                                                                     : "Rolling")->pen =
                pen_rolling;
        if (band && c->kind != CSA_CHART_SPC)
            legend_add(f, MK_BAND, "%s", has_text(c->band_label) ? c->band_label
                                                                 : "Confidence interval");
        if (c->shade_n)
            legend_add(f, MK_SHADE, "%s", has_text(c->shade_label) ? c->shade_label
                                                                   : "Shaded period");
        if (c->kind == CSA_CHART_SPC) {
            widen(&r, c->spc_centre);
            widen(&r, c->spc_lower);
            widen(&r, c->spc_upper);
            if (usable(c->spc_centre))
                legend_add(f, MK_LINE, "Centre line")->pen = pen_centre;
            if (usable(c->spc_lower) || usable(c->spc_upper))
                legend_add(f, MK_LINE, "Process limits")->pen = pen_limit;
            if (flagged) {
                it = legend_add(f, MK_POINT, "Breaks a rule (special cause)");
                it->point = (style){col_rule, SH_DIAMOND};
            }
        }
        break;
    case CSA_CHART_DECILE:
    case CSA_CHART_SURVEY:
        legend_add(f, MK_BAR, "%s", series_name(c, c->kind == CSA_CHART_SURVEY));
        if (band)
            legend_add(f, MK_WHISKER, "Confidence interval");
        if (c->kind == CSA_CHART_DECILE && usable(c->sii_slope) && usable(c->sii_intercept)) {
            widen(&r, c->sii_intercept);
            widen(&r, c->sii_intercept + c->sii_slope);
            legend_add(f, MK_LINE, "Slope index of inequality")->pen = pen_sii;
        }
        break;
    case CSA_CHART_CATERPILLAR:
    case CSA_CHART_FUNNEL:
        for (size_t k = 0; k < sizeof outcome_order / sizeof outcome_order[0]; k++)
            if (seen & (1u << outcome_order[k]))
                legend_add(f, MK_POINT, "%s", csa_outcome_name(outcome_order[k]))->point =
                    outcome_style[outcome_order[k]];
        if (band && c->kind == CSA_CHART_CATERPILLAR)
            legend_add(f, MK_WHISKER, "Confidence interval");
        if (c->kind == CSA_CHART_FUNNEL && c->nfunnel > 0) {
            const double *curves[4] = {c->funnel_lo95, c->funnel_hi95, c->funnel_lo998,
                                       c->funnel_hi998};
            for (int k = 0; k < 4; k++)
                for (size_t i = 0; i < c->nfunnel; i++)
                    widen(&r, curves[k][i]);
            legend_add(f, MK_LINE, "95%% limits")->pen = pen_95;
            legend_add(f, MK_LINE, "99.8%% limits")->pen = pen_998;
        }
        break;
    case CSA_CHART_HEAT:
        f->missing = 0; /* a NaN cell is a suppressed count: the scale says so */
        return r;
    case CSA_CHART_LORENZ:
        it = legend_add(f, MK_LINE, "Lorenz curve");
        if (usable(c->gini))
            snprintf(it->text, sizeof it->text, "Lorenz curve (Gini coefficient %.2f)", c->gini);
        it->pen = pen_series;
        it->dot = c->n <= LORENZ_DOTS, it->point = (style){col_series, SH_CIRCLE};
        legend_add(f, MK_LINE, "Line of equality")->pen = pen_equality;
        break;
    case CSA_CHART_CHOROPLETH:
    case CSA_CHART_HOTSPOT: break; /* maps.c draws them */
    }
    if (cmp)
        legend_add(f, MK_LINE, "%s", comparator_name(c))->pen =
            c->kind == CSA_CHART_FUNNEL ? (pen){col_comparator, 1, SOLID} : pen_comparator;
    if (f->missing) {
        const char *m = c->missing_label ? c->missing_label : "no data";
        legend_add(f, MK_POINT, "%c%s", toupper((unsigned char)m[0]), m + 1)->point =
            nodata_style;
    }
    return r;
}

/* ---- layout ---- */

/* Whether row i of a SURVEY opens a new heading. */
static int opens_group(const csa_chart *c, size_t i)
{
    return c->kind == CSA_CHART_SURVEY && c->groups && has_text(c->groups[i]) &&
           (i == 0 || !c->groups[i - 1] || strcmp(c->groups[i], c->groups[i - 1]) != 0);
}

/* Chooses how category labels under the plot are set. Horizontal, wrapped
 * within the slot, is easiest to read, so try it first at shrinking sizes;
 * then, for periods, every k-th label on one line; else labels upright,
 * thinned only when even upright they would touch. Returns the band's depth. */
static double fit_labels(frame *f, double slot, int periods)
{
    const csa_chart *c = f->c;
    double box = slot * 0.94;
    /* Below a few characters' width nothing useful fits across the slot, and
     * trying every size for every label would be slow with many bars. */
    for (double s = f->px_body; s >= f->px_small - 0.01 && box >= f->px_small * 2.5; s -= 0.5) {
        double band = 0;
        int ok = 1;
        for (size_t i = 0; i < c->n && ok; i++) {
            PangoLayout *l = text_layout(f->cr, c->labels[i], s, 0, box, PANGO_ALIGN_CENTER);
            pango_layout_set_wrap(l, PANGO_WRAP_WORD);
            /* A word wider than the box overflows rather than wraps. */
            ok = pango_layout_get_line_count(l) <= MAX_LABEL_LINES && text_w(l) <= box + 0.5;
            band = fmax(band, layout_h(l));
            g_object_unref(l);
        }
        if (ok) {
            f->px_cat = s, f->mode = WRAP, f->every = 1;
            return band;
        }
    }
    double widest = 0, line_h = 0;
    f->px_cat = f->px_small;
    for (size_t i = 0; i < c->n; i++) {
        PangoLayout *l = text_layout(f->cr, c->labels[i], f->px_cat, 0, 0, PANGO_ALIGN_LEFT);
        widest = fmax(widest, text_w(l));
        line_h = fmax(line_h, layout_h(l));
        g_object_unref(l);
    }
    if (periods && widest <= (f->pr - f->pl) / 4) {
        f->mode = THIN;
        /* steps that divide a year, so months line up with quarters */
        static const size_t steps[] = {1, 2, 3, 4, 6, 12};
        size_t k = (size_t)ceil((widest + f->px_cat * 1.5) / slot), j = 0;
        while (j < sizeof steps / sizeof steps[0] && steps[j] < k)
            j++;
        f->every = j < sizeof steps / sizeof steps[0] ? steps[j] : (k + 11) / 12 * 12;
        return line_h;
    }
    f->mode = UPRIGHT;
    f->every = slot < line_h * 1.15 ? (size_t)ceil(line_h * 1.15 / slot) : 1;
    return fmin(widest, f->h * 0.25);
}

/* Row labels (CATERPILLAR, SURVEY): a size that fits the row height, and a
 * column as wide as the longest label, but never more than a third of the
 * chart; longer ones wrap to two lines when rows are tall, else are cut. */
static void fit_rows(frame *f)
{
    const csa_chart *c = f->c;
    f->px_cat = fmax(f->floor_px, fmin(f->px_body, f->slot * 0.75));
    double line_h = measure_h(text_layout(f->cr, "Ag", f->px_cat, 0, 0, PANGO_ALIGN_LEFT));
    f->lab_lines = f->slot >= 2.3 * line_h ? 2 : 1;
    double widest = 0, indent = c->groups ? f->px_cat : 0;
    for (size_t i = 0; i < c->n; i++) {
        if (opens_group(c, i))
            widest = fmax(widest, measure_w(text_layout(f->cr, c->groups[i], f->px_cat, 1, 0,
                                                        PANGO_ALIGN_LEFT)));
        widest = fmax(widest, indent + measure_w(text_layout(f->cr, c->labels[i], f->px_cat,
                                                             0, 0, PANGO_ALIGN_LEFT)));
    }
    f->lab_w = fmin(ceil(widest) + 1, f->w / 3);
}

/* Ticks across the bottom: as many as fit without their labels touching. */
static axis across_axis(const frame *f, range r, int from_zero)
{
    axis a = nice_axis(r.lo, r.hi, r.have, 5, from_zero);
    for (int target = 4; target >= 1 && a.nticks > 2; target--) {
        double room = (f->pr - f->pl) / (a.nticks - 1);
        if (tick_width(f->cr, &a, f->px_tick) * 1.5 <= room)
            break;
        a = nice_axis(r.lo, r.hi, r.have, target, from_zero);
    }
    return a;
}

static void lay_out_heat(frame *f, double bottom, double tick_h);

static void lay_out(frame *f)
{
    const csa_chart *c = f->c;
    cairo_t *cr = f->cr;
    double u = fmin(f->w / 1200, f->h / 800);
    /* Linear scaling makes small images illegible, so below the 1200x800
     * reference, text shrinks more slowly than the image. */
    f->fs = u < 1 ? pow(u, 0.6) : u;
    /* Nothing smaller than this is legible on screen; on a tiny image the
     * floor itself must shrink or the text would bury the plot. */
    f->floor_px = fmax(6, fmin(fmin(f->w, f->h) / 50, 8));
    f->px_title = fmax(1.5 * f->floor_px, 26 * f->fs);
    f->px_sub = fmax(1.15 * f->floor_px, 17 * f->fs);
    f->px_body = fmax(f->floor_px, 15 * f->fs);
    f->px_small = fmax(f->floor_px, 12.5 * f->fs);
    f->px_tick = f->px_body * 0.9;
    f->m = fmax(4, 24 * f->fs);
    f->gap = f->px_body * 0.6;
    f->hair = fmax(1, round(f->fs));
    f->thick = fmax(1, round(2 * f->fs));
    f->dot = fmax(2, 4.5 * f->fs);
    f->across = c->kind == CSA_CHART_CATERPILLAR || c->kind == CSA_CHART_SURVEY;
    f->numeric_x = c->kind == CSA_CHART_FUNNEL || c->kind == CSA_CHART_LORENZ;
    int bars = c->kind == CSA_CHART_DECILE || c->kind == CSA_CHART_SURVEY;

    range r = scan(f);
    f->slots = c->n;
    for (size_t i = 0; i < c->n; i++)
        f->slots += opens_group(c, i) != 0;

    /* header and footer first: the plot takes what is left */
    double tw = f->w - 2 * f->m, y = f->m;
    f->title_y = y;
    if (has_text(c->title))
        y += measure_h(capped(text_layout(cr, c->title, f->px_title, 1, tw, PANGO_ALIGN_LEFT), 2));
    if (has_text(c->subtitle)) {
        y += f->gap * 0.3;
        f->sub_y = y;
        y += measure_h(capped(text_layout(cr, c->subtitle, f->px_sub, 0, tw, PANGO_ALIGN_LEFT), 2));
    }
    if (f->nlegend >= 2) {
        y += f->gap * 1.2;
        f->legend_y = y;
        y += legend_pass(f, y, 0);
    }
    f->pt = y + f->gap * 2;

    double bottom = f->h - f->m;
    if (has_text(c->source)) {
        bottom -= measure_h(capped(text_layout(cr, c->source, f->px_small, 0, tw,
                                               PANGO_ALIGN_LEFT), 3));
        f->source_y = bottom;
        bottom -= f->gap * 1.2;
    }
    if (has_text(c->x_label)) {
        bottom -= measure_h(one_line(cr, c->x_label, f->px_body, 0, tw, PANGO_ALIGN_CENTER));
        f->xlab_y = bottom;
        bottom -= f->gap * 0.6;
    }
    f->ylab_h = has_text(c->y_label)
                    ? measure_h(text_layout(cr, c->y_label, f->px_body, 0, 0, PANGO_ALIGN_LEFT)) +
                          f->gap
                    : 0;
    double tick_h = measure_h(text_layout(cr, "0", f->px_tick, 0, 0, PANGO_ALIGN_LEFT));
    f->pr = f->w - f->m;
    if (c->kind == CSA_CHART_HEAT) {
        lay_out_heat(f, bottom, tick_h);
        return;
    }
    f->xa = (axis){0, 1, 1, 0, 0, 0};

    if (f->across) {
        f->pb = bottom - tick_h - f->gap * 0.6;
        f->slot = fmax(f->pb - f->pt, 10) / (double)(f->slots ? f->slots : 1);
        fit_rows(f);
        f->pl = f->m + f->ylab_h + (c->n ? f->lab_w + f->gap : 0);
        f->v = across_axis(f, r, bars);
        f->pr -= tick_width(cr, &f->v, f->px_tick) / 2;
    } else {
        int target = (int)fmax(2, fmin(5, floor(f->h * 0.5 / (f->px_tick * 3))));
        f->v = c->kind == CSA_CHART_LORENZ ? share_axis()
                                           : nice_axis(r.lo, r.hi, r.have, target, bars);
        f->pl = f->m + f->ylab_h + tick_width(cr, &f->v, f->px_tick) + f->gap * 0.6;
        if (f->numeric_x) {
            range rx = {0, 0, 0};
            for (size_t i = 0; c->x && i < c->n; i++)
                widen(&rx, c->x[i]);
            for (size_t i = 0; c->funnel_x && i < c->nfunnel; i++)
                widen(&rx, c->funnel_x[i]);
            f->xa = c->kind == CSA_CHART_LORENZ ? share_axis() : across_axis(f, rx, 0);
            f->pr -= tick_width(cr, &f->xa, f->px_tick) / 2;
            f->pb = bottom - tick_h - f->gap * 0.6;
        } else {
            f->slot = fmax(f->pr - f->pl, 10) / (double)(c->n ? c->n : 1);
            f->band = c->n ? fit_labels(f, f->slot, line_chart(c->kind)) : 0;
            f->pb = bottom - f->band - f->gap * 0.6;
        }
    }
    if (f->pr - f->pl < 10)
        f->pr = f->pl + 10;
    if (f->pb - f->pt < 10)
        f->pb = f->pt + 10;
    if (!f->across && !f->numeric_x)
        f->slot = (f->pr - f->pl) / (double)(c->n ? c->n : 1);
}

/* ---- drawing ---- */

static void draw_frame_text(const frame *f)
{
    const csa_chart *c = f->c;
    cairo_t *cr = f->cr;
    double tw = f->w - 2 * f->m;
    if (has_text(c->title))
        show(cr, capped(text_layout(cr, c->title, f->px_title, 1, tw, PANGO_ALIGN_LEFT), 2),
             f->m, f->title_y, col_text);
    if (has_text(c->subtitle))
        show(cr, capped(text_layout(cr, c->subtitle, f->px_sub, 0, tw, PANGO_ALIGN_LEFT), 2),
             f->m, f->sub_y, col_muted);
    if (f->nlegend >= 2)
        legend_pass(f, f->legend_y, 1);
    if (has_text(c->source))
        show(cr, capped(text_layout(cr, c->source, f->px_small, 0, tw, PANGO_ALIGN_LEFT), 3),
             f->m, f->source_y, col_muted);
    if (has_text(c->x_label))
        show(cr, one_line(cr, c->x_label, f->px_body, 0, f->pr - f->pl, PANGO_ALIGN_CENTER),
             f->pl, f->xlab_y, col_text);
    if (has_text(c->y_label))
        show_up(cr, one_line(cr, c->y_label, f->px_body, 0, f->pb - f->pt, PANGO_ALIGN_CENTER),
                f->m + (f->ylab_h - f->gap) / 2, f->pb, col_text);
}

/* Grid lines and tick labels: up the left for a vertical axis, along the
 * bottom for one across. */
static void draw_ticks(const frame *f, const axis *a, int across)
{
    cairo_t *cr = f->cr;
    char buf[96];
    cairo_set_line_width(cr, f->hair);
    for (int t = 0; t < a->nticks; t++) {
        double v = tick_value(a, t);
        format_tick(v, a->decimals, a->percent, buf, sizeof buf);
        PangoLayout *l = text_layout(cr, buf, f->px_tick, 0, 0, PANGO_ALIGN_LEFT);
        set_rgb(cr, col_grid);
        if (across) {
            double gx = crisp(xpos(f, a, v), f->hair);
            cairo_move_to(cr, gx, f->pt);
            cairo_line_to(cr, gx, f->pb);
            cairo_stroke(cr);
            show(cr, l, gx - text_w(l) / 2, f->pb + f->gap * 0.6, col_muted);
        } else {
            double gy = crisp(ypos(f, v), f->hair);
            cairo_move_to(cr, f->pl, gy);
            cairo_line_to(cr, f->pr, gy);
            cairo_stroke(cr);
            show(cr, l, f->pl - f->gap * 0.6 - text_w(l), gy - layout_h(l) / 2, col_muted);
        }
    }
}

static void hline(const frame *f, double v, pen p)
{
    double y = crisp(ypos(f, v), fmax(1, p.width * f->thick));
    cairo_move_to(f->cr, f->pl, y);
    cairo_line_to(f->cr, f->pr, y);
    stroke_pen(f, p);
}

static double slot_x(const frame *f, size_t i)
{
    return f->pl + f->slot * ((double)i + 0.5);
}

/* A point mark no bigger than its slot allows, but never invisible. */
static double point_r(const frame *f, double room, double scale)
{
    return fmax(2, fmin(f->dot * scale, room * 0.4));
}

/* "no data" where a bar would be, if the room allows, beside its cross. */
static void no_data_text(const frame *f, double x, double y, double room, int up)
{
    const char *m = f->c->missing_label ? f->c->missing_label : "no data";
    PangoLayout *l = text_layout(f->cr, m, f->px_small, 0, 0, PANGO_ALIGN_LEFT);
    if (up && text_w(l) <= room)
        show(f->cr, l, x - text_w(l) / 2, y - layout_h(l), col_muted);
    else if (up && layout_h(l) <= room * 1.1 && y - f->pt > text_w(l))
        show_up(f->cr, l, x, y, col_muted);
    else if (!up && layout_h(l) <= room * 1.2)
        show(f->cr, l, x, y - layout_h(l) / 2, col_muted);
    else /* too narrow: neighbours would overprint it */
        g_object_unref(l);
}

/* A line through the slots' values; a missing value breaks it: a gap,
 * never a fall to zero. */
static void slot_line(const frame *f, const double *v, pen p)
{
    int down = 0;
    for (size_t i = 0; i < f->c->n; i++) {
        if (!usable(v[i])) {
            down = 0;
            continue;
        }
        (down ? cairo_line_to : cairo_move_to)(f->cr, slot_x(f, i), ypos(f, v[i]));
        down = 1;
    }
    stroke_pen(f, p);
}

static void draw_line_chart(const frame *f)
{
    const csa_chart *c = f->c;
    cairo_t *cr = f->cr;
    double r = point_r(f, f->slot, 1);
    if (c->shade_n) { /* whole slots, edge to edge */
        double a = round(f->pl + f->slot * (double)c->shade_first);
        double b = round(f->pl + f->slot * (double)(c->shade_first + c->shade_n));
        set_rgb(cr, col_shade);
        cairo_rectangle(cr, a, f->pt, b - a, f->pb - f->pt);
        cairo_fill(cr);
    }
    /* The band runs over each stretch of periods with an interval; a lone
     * one is a short bar, since a band of no width would not show. */
    for (size_t i = 0; c->kind != CSA_CHART_SPC && i < c->n;) {
        if (!usable(c->values[i]) || !has_interval(c, i)) {
            i++;
            continue;
        }
        size_t j = i;
        while (j + 1 < c->n && usable(c->values[j + 1]) && has_interval(c, j + 1))
            j++;
        if (j == i) {
            double bw = fmax(2, fmin(f->slot * 0.35, r * 3));
            cairo_rectangle(cr, slot_x(f, i) - bw / 2, ypos(f, c->upper[i]), bw,
                            ypos(f, c->lower[i]) - ypos(f, c->upper[i]));
        } else {
            for (size_t k = i; k <= j; k++)
                cairo_line_to(cr, slot_x(f, k), ypos(f, c->upper[k]));
            for (size_t k = j + 1; k-- > i;)
                cairo_line_to(cr, slot_x(f, k), ypos(f, c->lower[k]));
            cairo_close_path(cr);
        }
        set_rgb(cr, col_band);
        cairo_fill(cr);
        i = j + 1;
    }
    if (c->kind == CSA_CHART_SPC) {
        if (usable(c->spc_centre))
            hline(f, c->spc_centre, pen_centre);
        if (usable(c->spc_lower))
            hline(f, c->spc_lower, pen_limit);
        if (usable(c->spc_upper))
            hline(f, c->spc_upper, pen_limit);
    } else if (usable(c->comparator)) {
        hline(f, c->comparator, pen_comparator);
    }
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    if (c->rolling) {
        slot_line(f, c->rolling, pen_rolling);
        /* a value with no neighbour makes no line: a short level stroke */
        for (size_t i = 0; i < c->n; i++) {
            if (!usable(c->rolling[i]) || (i > 0 && usable(c->rolling[i - 1])) ||
                (i + 1 < c->n && usable(c->rolling[i + 1])))
                continue;
            double y = ypos(f, c->rolling[i]);
            cairo_move_to(cr, slot_x(f, i) - f->slot * 0.3, y);
            cairo_line_to(cr, slot_x(f, i) + f->slot * 0.3, y);
            stroke_pen(f, pen_rolling);
        }
    }
    if (c->overlay) {
        slot_line(f, c->overlay, pen_overlay);
        for (size_t i = 0; i < c->n; i++)
            if (usable(c->overlay[i]))
                marker(f, overlay_point, slot_x(f, i), ypos(f, c->overlay[i]), r);
    }
    slot_line(f, c->values, pen_series);
    for (size_t i = 0; i < c->n; i++) {
        double x = slot_x(f, i);
        if (!usable(c->values[i])) {
            marker(f, nodata_style, x, f->pb - r - f->gap * 0.4, fmax(r, 2.5));
            no_data_text(f, x, f->pb - 2 * r - f->gap * 0.8, f->slot * 0.94, 1);
        } else if (c->flags && c->flags[i]) {
            marker(f, (style){col_rule, SH_DIAMOND}, x, ypos(f, c->values[i]), fmax(r * 1.2, 3));
        } else {
            marker(f, (style){col_series, SH_CIRCLE}, x, ypos(f, c->values[i]), r);
        }
    }
}

static void draw_deciles(const frame *f)
{
    const csa_chart *c = f->c;
    cairo_t *cr = f->cr;
    double y0 = ypos(f, 0), bar_w = fmin(f->slot * 0.7, (f->pr - f->pl) * 0.18);
    double r = point_r(f, f->slot, 1);
    for (size_t i = 0; i < c->n; i++) {
        double cx = slot_x(f, i), v = c->values[i];
        if (!usable(v))
            continue;
        /* Whole-pixel edges: fractional ones blur to grey on small images. */
        double x0 = round(cx - bar_w / 2), x1 = fmax(round(cx + bar_w / 2), x0 + 1);
        double ya = round(fmin(ypos(f, v), y0)), yb = round(fmax(ypos(f, v), y0));
        if (v == 0) /* a real zero, so it must not look like a gap */
            ya = yb - f->thick - 1;
        set_rgb(cr, col_series);
        cairo_rectangle(cr, x0, ya, x1 - x0, yb - ya);
        cairo_fill(cr);
        if (has_interval(c, i))
            whisker(f, 1, cx, ypos(f, c->lower[i]), ypos(f, c->upper[i]),
                    round(fmax(fmin(bar_w * 0.18, 12 * f->fs), 2)), 1, 0);
    }
    if (usable(c->sii_slope) && usable(c->sii_intercept)) {
        /* relative rank 0 (most deprived) at the left edge, 1 at the right */
        cairo_move_to(cr, f->pl, ypos(f, c->sii_intercept));
        cairo_line_to(cr, f->pr, ypos(f, c->sii_intercept + c->sii_slope));
        cairo_set_line_width(cr, pen_sii.width * f->thick + 2);
        set_rgb(cr, col_white);
        cairo_stroke_preserve(cr);
        stroke_pen(f, pen_sii);
    }
    /* after the line, so that it cannot strike the words through */
    for (size_t i = 0; i < c->n; i++) {
        if (usable(c->values[i]))
            continue;
        marker(f, nodata_style, slot_x(f, i), y0 - r - 2, fmax(r, 2.5));
        no_data_text(f, slot_x(f, i), y0 - 2 * r - f->gap * 0.5, f->slot * 0.94, 1);
    }
}

/* The highlighted point: ringed, so it is found at a glance among many. */
static void ring(const frame *f, double x, double y, double r)
{
    cairo_new_path(f->cr);
    cairo_arc(f->cr, x, y, r * 2.2, 0, 4 * quarter_turn);
    set_rgb(f->cr, col_text);
    cairo_set_line_width(f->cr, f->thick);
    cairo_stroke(f->cr);
}

static double row_y(const frame *f, size_t row)
{
    return f->pt + f->slot * ((double)row + 0.5);
}

static void draw_rows(const frame *f)
{
    const csa_chart *c = f->c;
    cairo_t *cr = f->cr;
    double r = point_r(f, f->slot, 1.3);
    double cap = f->slot >= 6 ? fmin(f->slot * 0.25, f->px_body * 0.4) : 0;
    double bar_h = fmax(1, fmin(f->slot * 0.62, f->px_body * 2.2));
    double x0 = vx(f, 0);
    size_t row = 0;
    if (c->kind == CSA_CHART_CATERPILLAR && c->highlight != NO_INDEX) {
        set_rgb(cr, col_highlight);
        cairo_rectangle(cr, f->pl, f->pt + f->slot * (double)c->highlight, f->pr - f->pl, f->slot);
        cairo_fill(cr);
    }
    if (c->kind == CSA_CHART_CATERPILLAR && usable(c->comparator)) {
        double x = crisp(vx(f, c->comparator), f->thick);
        cairo_move_to(cr, x, f->pt);
        cairo_line_to(cr, x, f->pb);
        stroke_pen(f, pen_comparator);
    }
    for (size_t i = 0; i < c->n; i++, row++) {
        row += opens_group(c, i) != 0;
        double cy = row_y(f, row), v = c->values[i];
        if (!usable(v)) {
            double mx = f->pl + fmax(r, 2.5) + 2;
            marker(f, nodata_style, mx, cy, fmax(r, 2.5));
            no_data_text(f, mx + fmax(r, 2.5) + f->gap * 0.5, cy, f->slot, 0);
            continue;
        }
        if (c->kind == CSA_CHART_SURVEY) {
            double a = round(fmin(x0, vx(f, v))), b = round(fmax(x0, vx(f, v)));
            if (v == 0)
                b = a + f->thick + 1;
            set_rgb(cr, col_series);
            cairo_rectangle(cr, a, round(cy - bar_h / 2), fmax(b - a, 1), round(bar_h));
            cairo_fill(cr);
        }
        if (has_interval(c, i))
            whisker(f, 0, cy, vx(f, c->lower[i]), vx(f, c->upper[i]),
                    c->kind == CSA_CHART_SURVEY ? fmin(cap, bar_h * 0.35) : cap,
                    c->kind == CSA_CHART_SURVEY, f->slot < 8);
        if (c->kind == CSA_CHART_CATERPILLAR)
            marker(f, outcome_style[c->outcomes ? c->outcomes[i] : CSA_NOT_COMPARED], vx(f, v),
                   cy, r);
        if (i == c->highlight)
            ring(f, vx(f, v), cy, r);
    }
}

/* A polyline through the usable points, broken where one is missing. */
static void curve(const frame *f, const double *x, const double *y, size_t n, pen p)
{
    int down = 0;
    for (size_t i = 0; i < n; i++) {
        if (!usable(x[i]) || !usable(y[i])) {
            down = 0;
            continue;
        }
        (down ? cairo_line_to : cairo_move_to)(f->cr, xpos(f, &f->xa, x[i]), ypos(f, y[i]));
        down = 1;
    }
    stroke_pen(f, p);
}

/* Whether rectangle a (x0, y0, x1, y1) meets any of b[0..n). */
static int meets(const double *a, const double (*b)[4], size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[0] < b[i][2] && b[i][0] < a[2] && a[1] < b[i][3] && b[i][1] < a[3])
            return 1;
    return 0;
}

/* The FUNNEL's named points, rank 1 first: each ringed and labelled beside
 * it, on the first side where the label stays in the plot and meets no
 * label before it (nor the line that counts the rest, kept at the plot's
 * top left); at most CSA_FUNNEL_NAMED, the others counted in that line. */
static void name_points(const frame *f, double r)
{
    const csa_chart *c = f->c;
    cairo_t *cr = f->cr;
    if (!c->named)
        return;
    size_t total = 0, placed = 0;
    for (size_t i = 0; i < c->n; i++)
        total += c->named[i] > 0 && usable(c->x[i]) && usable(c->values[i]);
    if (!total)
        return;
    double boxes[CSA_FUNNEL_NAMED + 1][4];
    size_t nbox = 0;
    double pad = f->gap * 0.25, off = r * 2.2 + f->gap * 0.3;
    char more[96];
    snprintf(more, sizeof more, "and %zu more outside the 99.8%% limits", total);
    PangoLayout *ml = one_line(cr, more, f->px_small, 0, f->pr - f->pl, PANGO_ALIGN_LEFT);
    double mx = f->pl + f->gap * 0.5, my = f->pt + f->gap * 0.3;
    if (total > CSA_FUNNEL_NAMED) { /* the rest's line, kept clear from the start */
        double *b = boxes[nbox++];
        b[0] = mx - pad, b[1] = my - pad, b[2] = mx + text_w(ml) + pad;
        b[3] = my + layout_h(ml) + pad;
    }
    g_object_unref(ml);
    /* the first few ranks only: in a dense cluster most would not fit */
    for (unsigned rank = 1; placed < CSA_FUNNEL_NAMED && rank <= 4 * CSA_FUNNEL_NAMED; rank++) {
        size_t i = 0;
        while (i < c->n && c->named[i] != rank)
            i++;
        if (i == c->n)
            break;
        if (!usable(c->x[i]) || !usable(c->values[i]))
            continue;
        char buf[64];
        const char *name = c->labels && has_text(c->labels[i]) ? c->labels[i] : NULL;
        if (!name) {
            format_tick(c->values[i], fabs(c->values[i]) < 100 ? 1 : 0, 0, buf, sizeof buf);
            name = buf;
        }
        double x = xpos(f, &f->xa, c->x[i]), y = ypos(f, c->values[i]);
        PangoLayout *l = one_line(cr, name, f->px_small, 0, (f->pr - f->pl) / 3,
                                  PANGO_ALIGN_LEFT);
        double w = text_w(l), h = layout_h(l);
        /* right, left, then above and below on either side */
        const double at[6][2] = {{x + off, y - h / 2},      {x - off - w, y - h / 2},
                                 {x + off * 0.7, y - off - h}, {x - off * 0.7 - w, y - off - h},
                                 {x + off * 0.7, y + off},     {x - off * 0.7 - w, y + off}};
        int side = -1;
        for (int k = 0; k < 6 && side < 0; k++) {
            double b[4] = {at[k][0] - pad, at[k][1] - pad, at[k][0] + w + pad, at[k][1] + h + pad};
            if (b[0] >= f->pl && b[2] <= f->pr && b[1] >= f->pt && b[3] <= f->pb &&
                !meets(b, (const double (*)[4])boxes, nbox))
                side = k;
        }
        if (side < 0) {
            g_object_unref(l);
            continue;
        }
        double *b = boxes[nbox++];
        b[0] = at[side][0] - pad, b[1] = at[side][1] - pad;
        b[2] = at[side][0] + w + pad, b[3] = at[side][1] + h + pad;
        ring(f, x, y, r);
        /* a pale ground, so the name reads over the points and lines */
        cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
        cairo_rectangle(cr, b[0], b[1], b[2] - b[0], b[3] - b[1]);
        cairo_fill(cr);
        show(cr, l, at[side][0], at[side][1], col_text);
        placed++;
    }
    if (placed < total) {
        snprintf(more, sizeof more, "%s%zu more outside the 99.8%% limits",
                 placed ? "and " : "", total - placed);
        ml = one_line(cr, more, f->px_small, 0, f->pr - f->pl, PANGO_ALIGN_LEFT);
        /* unreserved (all would have fitted): the top left, or the bottom
         * right when a label is there */
        double b[4] = {mx - pad, my - pad, mx + text_w(ml) + pad, my + layout_h(ml) + pad};
        if (total <= CSA_FUNNEL_NAMED && meets(b, (const double (*)[4])boxes, nbox))
            mx = f->pr - f->gap * 0.5 - text_w(ml), my = f->pb - f->gap * 0.3 - layout_h(ml);
        show(cr, ml, mx, my, col_text);
    }
}

static void draw_funnel(const frame *f)
{
    const csa_chart *c = f->c;
    cairo_t *cr = f->cr;
    if (c->nfunnel > 0) {
        curve(f, c->funnel_x, c->funnel_lo998, c->nfunnel, pen_998);
        curve(f, c->funnel_x, c->funnel_hi998, c->nfunnel, pen_998);
        curve(f, c->funnel_x, c->funnel_lo95, c->nfunnel, pen_95);
        curve(f, c->funnel_x, c->funnel_hi95, c->nfunnel, pen_95);
    }
    if (usable(c->comparator))
        hline(f, c->comparator, (pen){col_comparator, 1, SOLID});
    /* Many points shrink so that clusters stay legible. */
    double r = fmax(2, f->dot * (c->n <= 30 ? 1.3 : c->n <= 100 ? 1 : 0.75));
    for (size_t i = 0; i < c->n; i++) {
        if (!usable(c->x[i]))
            continue;
        double x = xpos(f, &f->xa, c->x[i]);
        if (!usable(c->values[i]))
            marker(f, nodata_style, x, f->pb - 2.5 - f->gap * 0.4, fmax(r, 2.5));
        else
            marker(f, outcome_style[c->outcomes ? c->outcomes[i] : CSA_NOT_COMPARED], x,
                   ypos(f, c->values[i]), r);
    }
    name_points(f, r);
    size_t h = c->highlight;
    if (h == NO_INDEX || !usable(c->x[h]) || !usable(c->values[h]))
        return;
    double x = xpos(f, &f->xa, c->x[h]), y = ypos(f, c->values[h]);
    ring(f, x, y, r);
    char buf[96];
    const char *name = c->labels && has_text(c->labels[h]) ? c->labels[h] : NULL;
    if (!name) {
        format_tick(c->values[h], usable(c->values[h]) && fabs(c->values[h]) < 100 ? 1 : 0, 0,
                    buf, sizeof buf);
        name = buf;
    }
    PangoLayout *l = one_line(cr, name, f->px_small, 1, (f->pr - f->pl) / 3, PANGO_ALIGN_LEFT);
    double lx = x + r * 2.2 + f->gap * 0.4;
    if (lx + text_w(l) > f->pr)
        lx = x - r * 2.2 - f->gap * 0.4 - text_w(l);
    show(cr, l, lx, y - layout_h(l) / 2, col_text);
}

static void draw_lorenz(const frame *f)
{
    const csa_chart *c = f->c;
    cairo_move_to(f->cr, xpos(f, &f->xa, 0), ypos(f, 0));
    cairo_line_to(f->cr, xpos(f, &f->xa, 1), ypos(f, 1));
    stroke_pen(f, pen_equality);
    curve(f, c->x, c->values, c->n, pen_series);
    if (c->n <= LORENZ_DOTS)
        for (size_t i = 0; i < c->n; i++)
            marker(f, (style){col_series, SH_CIRCLE}, xpos(f, &f->xa, c->x[i]),
                   ypos(f, c->values[i]), f->dot * 0.8);
}

/* Category labels under the plot, set as fit_labels chose. */
static void draw_category_labels(const frame *f)
{
    const csa_chart *c = f->c;
    cairo_t *cr = f->cr;
    double top = f->pb + f->gap * 0.6;
    for (size_t i = 0; i < c->n; i += f->every) {
        double cx = slot_x(f, i);
        if (f->mode == UPRIGHT) {
            PangoLayout *l = one_line(cr, c->labels[i], f->px_cat, 0, f->band, PANGO_ALIGN_RIGHT);
            show_up(cr, l, cx, top + f->band, col_text);
        } else if (f->mode == THIN) {
            PangoLayout *l = text_layout(cr, c->labels[i], f->px_cat, 0, 0, PANGO_ALIGN_LEFT);
            double lx = fmin(fmax(cx - text_w(l) / 2, f->m), f->w - f->m - text_w(l));
            show(cr, l, lx, top, col_text);
        } else {
            PangoLayout *l = text_layout(cr, c->labels[i], f->px_cat, 0, f->slot * 0.94,
                                         PANGO_ALIGN_CENTER);
            pango_layout_set_wrap(l, PANGO_WRAP_WORD);
            show(cr, l, cx - f->slot * 0.47, top, col_text);
        }
    }
}

/* Row i's label, or its heading. Under headings, labels read from the
 * left, indented beneath theirs; otherwise they sit against the plot. */
static PangoLayout *row_layout(const frame *f, size_t i, int heading, double *x)
{
    const csa_chart *c = f->c;
    double indent = c->groups && !heading && has_text(c->groups[i]) ? f->px_cat : 0;
    PangoLayout *l = capped(text_layout(f->cr, heading ? c->groups[i] : c->labels[i], f->px_cat,
                                        heading || i == c->highlight, f->lab_w - indent,
                                        c->groups ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT),
                            f->lab_lines);
    pango_layout_set_wrap(l, PANGO_WRAP_WORD);
    *x = f->m + f->ylab_h + indent;
    return l;
}

/* Row labels, each centred on its row; one that would touch the label
 * drawn above it, or the highlighted row's (always shown), is left out, so
 * many rows thin out rather than overprint. */
static void draw_row_labels(const frame *f)
{
    const csa_chart *c = f->c;
    double x, last = -1e300, keep_top = 0, keep_bottom = 0;
    size_t row = 0;
    if (c->highlight != NO_INDEX) {
        size_t hrow = c->highlight;
        for (size_t i = 0; i <= c->highlight; i++)
            hrow += opens_group(c, i) != 0;
        PangoLayout *l = row_layout(f, c->highlight, 0, &x);
        keep_top = row_y(f, hrow) - layout_h(l) / 2;
        keep_bottom = keep_top + layout_h(l);
        show(f->cr, l, x, keep_top, col_text);
    }
    for (size_t i = 0; i < c->n; i++) {
        for (int head = opens_group(c, i); head >= 0; head--, row++) {
            if (head && row > 0) { /* a rule between groups */
                double y = crisp(f->pt + f->slot * (double)row, f->hair);
                cairo_move_to(f->cr, f->m + f->ylab_h, y);
                cairo_line_to(f->cr, f->pr, y);
                set_rgb(f->cr, col_grid);
                cairo_set_line_width(f->cr, f->hair);
                cairo_stroke(f->cr);
            }
            if (!head && i == c->highlight)
                continue;
            PangoLayout *l = row_layout(f, i, head, &x);
            double top = row_y(f, row) - layout_h(l) / 2, bottom = top + layout_h(l);
            int clash = c->highlight != NO_INDEX && bottom > keep_top && top < keep_bottom;
            if (top < last - 0.5 || clash) {
                g_object_unref(l);
                continue;
            }
            show(f->cr, l, x, top, col_text);
            last = bottom;
        }
    }
}

static void draw_axes(const frame *f)
{
    const csa_chart *c = f->c;
    cairo_t *cr = f->cr;
    set_rgb(cr, col_axis);
    cairo_set_line_width(cr, f->hair);
    double yb = crisp(f->pb, f->hair);
    if (c->kind == CSA_CHART_DECILE && f->v.lo < 0)
        yb = crisp(ypos(f, 0), f->hair); /* bars stand on zero, not on the frame */
    cairo_move_to(cr, f->pl, yb);
    cairo_line_to(cr, f->pr, yb);
    if (f->numeric_x || (c->kind == CSA_CHART_SURVEY && f->have_data)) {
        double xl = crisp(f->across ? vx(f, 0) : f->pl, f->hair);
        cairo_move_to(cr, xl, f->pt);
        cairo_line_to(cr, xl, f->pb);
    }
    cairo_stroke(cr);
}

/* ---- the heat table ---- */

/* A light-to-dark ramp (ColorBrewer Blues): lightness falls with the
 * value, so the order reads in greyscale too. */
static rgb heat_colour(double t)
{
    static const rgb stops[5] = {HEX(0xf7fbff), HEX(0xc6dbef), HEX(0x6baed6), HEX(0x2171b5),
                                 HEX(0x08306b)};
    t = fmin(1, fmax(0, t)) * 4;
    int k = (int)fmin(3, floor(t));
    double u = t - k;
    rgb a = stops[k], b = stops[k + 1];
    return (rgb){a.r + (b.r - a.r) * u, a.g + (b.g - a.g) * u, a.b + (b.b - a.b) * u};
}

static double heat_max(const csa_chart *c)
{
    double hi = 0;
    for (size_t i = 0; i < c->n; i++)
        if (usable(c->values[i]))
            hi = fmax(hi, c->values[i]);
    return hi;
}

/* Rows down the left, columns along the bottom, the scale above. */
static void lay_out_heat(frame *f, double bottom, double tick_h)
{
    const csa_chart *c = f->c;
    size_t cols = c->heat_columns ? c->heat_columns : 1, rows = c->n / cols;
    double lab = 0;
    for (size_t i = 0; i < rows; i++)
        lab = fmax(lab, measure_w(text_layout(f->cr, c->groups[i], f->px_tick, 0, 0,
                                              PANGO_ALIGN_LEFT)));
    f->legend_y = f->pt;
    f->pt += tick_h * 2.2 + f->gap; /* the scale: swatches and their numbers */
    f->pl = f->m + f->ylab_h + lab + f->gap * 0.6;
    f->slot = fmax(f->pr - f->pl, 10) / (double)cols;
    double widest = 0;
    for (size_t j = 0; j < cols && c->labels; j++)
        widest = fmax(widest, measure_w(text_layout(f->cr, c->labels[j], f->px_tick, 0, 0,
                                                    PANGO_ALIGN_LEFT)));
    /* column names upright when they do not fit across */
    f->mode = widest > f->slot * 0.95 ? UPRIGHT : WRAP;
    f->band = f->mode == UPRIGHT ? widest + f->gap * 0.3 : tick_h;
    f->pb = bottom - f->band - f->gap * 0.6;
    if (f->pb - f->pt < 10)
        f->pb = f->pt + 10;
    f->slots = rows;
    f->have_data = c->n > 0;
}

/* Diagonal hatching over a cell: a suppressed count. */
static void hatch(cairo_t *cr, double x, double y, double w, double h, double step, double lw)
{
    cairo_save(cr);
    cairo_rectangle(cr, x, y, w, h);
    cairo_clip(cr);
    set_rgb(cr, col_nodata);
    cairo_set_line_width(cr, lw);
    for (double d = -h; d < w; d += step) {
        cairo_move_to(cr, x + d, y + h);
        cairo_line_to(cr, x + d + h, y);
    }
    cairo_stroke(cr);
    cairo_restore(cr);
}

static void draw_heat(const frame *f)
{
    const csa_chart *c = f->c;
    cairo_t *cr = f->cr;
    size_t cols = c->heat_columns ? c->heat_columns : 1, rows = c->n / cols;
    double hi = heat_max(c), cw = (f->pr - f->pl) / (double)cols;
    double rh = (f->pb - f->pt) / (double)(rows ? rows : 1);
    int suppressed = 0;
    char buf[32];
    for (size_t i = 0; i < rows; i++) {
        PangoLayout *l = one_line(cr, c->groups[i], f->px_tick, 0, f->pl - f->m, PANGO_ALIGN_LEFT);
        show(cr, l, f->pl - f->gap * 0.6 - text_w(l), f->pt + rh * ((double)i + 0.5) -
             layout_h(l) / 2, col_text);
        for (size_t j = 0; j < cols; j++) {
            double v = c->values[i * cols + j], x = f->pl + cw * (double)j;
            double y = f->pt + rh * (double)i;
            if (!usable(v)) {
                suppressed = 1;
                set_rgb(cr, col_white);
                cairo_rectangle(cr, x, y, cw, rh);
                cairo_fill(cr);
                hatch(cr, x, y, cw, rh, fmax(4, f->dot * 1.5), f->hair);
                snprintf(buf, sizeof buf, "*");
            } else {
                double t = hi > 0 ? v / hi : 0;
                set_rgb(cr, heat_colour(t));
                cairo_rectangle(cr, x, y, cw, rh);
                cairo_fill(cr);
                format_tick(v, 0, 0, buf, sizeof buf);
            }
            /* the count in the cell, dark on light and light on dark */
            PangoLayout *l = text_layout(cr, buf, fmin(f->px_tick, rh * 0.6), 0, 0,
                                         PANGO_ALIGN_LEFT);
            if (text_w(l) < cw * 0.95) {
                double t = usable(v) && hi > 0 ? v / hi : 0;
                show(cr, l, x + (cw - text_w(l)) / 2, y + (rh - layout_h(l)) / 2,
                     t > 0.55 ? col_white : col_text);
            } else {
                g_object_unref(l);
            }
        }
    }
    /* cell edges */
    set_rgb(cr, col_white);
    cairo_set_line_width(cr, f->hair);
    for (size_t j = 0; j <= cols; j++) {
        cairo_move_to(cr, crisp(f->pl + cw * (double)j, f->hair), f->pt);
        cairo_line_to(cr, crisp(f->pl + cw * (double)j, f->hair), f->pb);
    }
    for (size_t i = 0; i <= rows; i++) {
        cairo_move_to(cr, f->pl, crisp(f->pt + rh * (double)i, f->hair));
        cairo_line_to(cr, f->pr, crisp(f->pt + rh * (double)i, f->hair));
    }
    cairo_stroke(cr);
    /* column names */
    for (size_t j = 0; c->labels && j < cols; j++) {
        double cx = f->pl + cw * ((double)j + 0.5);
        PangoLayout *l = text_layout(cr, c->labels[j], f->px_tick, 0, 0, PANGO_ALIGN_LEFT);
        if (f->mode == UPRIGHT)
            show_up(cr, l, cx - layout_h(l) / 2, f->pb + f->gap * 0.3 + text_w(l), col_muted);
        else
            show(cr, l, cx - text_w(l) / 2, f->pb + f->gap * 0.3, col_muted);
    }
    /* the scale: five swatches from 0 to the largest count, then the
     * suppressed cell's mark */
    double sw = fmin(f->px_tick * 3, (f->pr - f->pl) / 8), sh = f->px_tick * 1.1;
    double x = f->pl, y = f->legend_y;
    PangoLayout *l = text_layout(cr, "Count:", f->px_tick, 0, 0, PANGO_ALIGN_LEFT);
    double count_w = text_w(l);
    show(cr, l, x, y + (sh - layout_h(l)) / 2, col_text);
    x += count_w + f->gap * 0.6;
    for (int k = 0; k < 5; k++) {
        double v = hi * k / 4.0;
        set_rgb(cr, heat_colour(k / 4.0));
        cairo_rectangle(cr, x, y, sw, sh);
        cairo_fill(cr);
        set_rgb(cr, col_axis);
        cairo_set_line_width(cr, f->hair);
        cairo_rectangle(cr, x, y, sw, sh);
        cairo_stroke(cr);
        if (k == 0 || k == 4) { /* the ends: no count that is not a cell's */
            format_tick(v, 0, 0, buf, sizeof buf);
            l = text_layout(cr, buf, f->px_small, 0, 0, PANGO_ALIGN_LEFT);
            show(cr, l, x + (sw - text_w(l)) / 2, y + sh + f->hair * 2, col_muted);
        }
        x += sw;
    }
    if (suppressed) {
        x += f->gap * 1.5;
        set_rgb(cr, col_white);
        cairo_rectangle(cr, x, y, sw, sh);
        cairo_fill(cr);
        hatch(cr, x, y, sw, sh, fmax(4, f->dot * 1.5), f->hair);
        l = text_layout(cr, "* suppressed (a small count, or one that would reveal it)",
                        f->px_tick, 0, 0, PANGO_ALIGN_LEFT);
        show(cr, l, x + sw + f->gap * 0.5, y + (sh - layout_h(l)) / 2, col_text);
    }
}

static void draw_chart(frame *f)
{
    const csa_chart *c = f->c;
    cairo_t *cr = f->cr;
    set_rgb(cr, col_white);
    cairo_rectangle(cr, 0, 0, f->w, f->h);
    cairo_fill(cr);
    draw_frame_text(f);
    if (c->kind == CSA_CHART_HEAT) {
        draw_heat(f);
        return;
    }
    draw_ticks(f, &f->v, f->across);
    if (f->numeric_x)
        draw_ticks(f, &f->xa, 1);

    /* Data stay inside the plot area (and a mark's width around it). */
    cairo_save(cr);
    double pad = f->dot * 2;
    cairo_rectangle(cr, f->pl - pad, f->pt - pad, f->pr - f->pl + 2 * pad, f->pb - f->pt + 2 * pad);
    cairo_clip(cr);
    if (f->have_data) {
        switch (c->kind) {
        case CSA_CHART_TREND:
        case CSA_CHART_SPC:
        case CSA_CHART_HISTORY:
        case CSA_CHART_SEASON: draw_line_chart(f); break;
        case CSA_CHART_DECILE: draw_deciles(f); break;
        case CSA_CHART_CATERPILLAR:
        case CSA_CHART_SURVEY: draw_rows(f); break;
        case CSA_CHART_FUNNEL: draw_funnel(f); break;
        case CSA_CHART_LORENZ: draw_lorenz(f); break;
        case CSA_CHART_HEAT: break; /* drawn before the axes (draw_heat) */
        case CSA_CHART_CHOROPLETH:
        case CSA_CHART_HOTSPOT: break; /* maps.c draws them */
        }
    }
    cairo_restore(cr);
    draw_axes(f);
    if (f->across)
        draw_row_labels(f);
    else if (!f->numeric_x)
        draw_category_labels(f);

    /* An empty plot could be mistaken for a rendering fault. */
    if (!f->have_data) {
        PangoLayout *l = text_layout(cr, c->n ? "No data for any category" : "No data",
                                     f->px_sub, 0, f->pr - f->pl, PANGO_ALIGN_CENTER);
        show(cr, l, f->pl, (f->pt + f->pb) / 2 - layout_h(l) / 2, col_muted);
    }
}

/* ---- public ---- */

csa_chart csa_chart_init(csa_chart_kind kind)
{
    csa_chart c;
    memset(&c, 0, sizeof c);
    c.kind = kind;
    c.highlight = NO_INDEX;
    c.comparator = c.spc_centre = c.spc_lower = c.spc_upper = NAN;
    c.sii_intercept = c.sii_slope = c.gini = NAN;
    return c;
}

static csa_status usage(csa_error *err, const csa_chart *c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static csa_status usage(csa_error *err, const csa_chart *c, const char *fmt, ...)
{
    char msg[CSA_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL, "chart \"%.60s\": %s",
                         c && c->title ? c->title : "", msg);
}

static csa_status check(const csa_chart *c, csa_error *err)
{
    if (!c)
        return usage(err, c, "no chart");
    if ((unsigned)c->kind > CSA_CHART_HOTSPOT)
        return usage(err, c, "kind %d is not a chart kind", (int)c->kind);
    if (csa_chart_is_map(c->kind)) {
        const char *why = csa_map_check(c);
        return why ? usage(err, c, "%s", why) : CSA_OK;
    }
    if (c->n > MAX_POINTS)
        return usage(err, c, "%zu points, more than %d", c->n, MAX_POINTS);
    if (c->n > 0 && !c->values)
        return usage(err, c, "%zu points but no values", c->n);
    /* HEAT: labels name the heat_columns columns, not the cells */
    int named = c->kind != CSA_CHART_LORENZ && c->kind != CSA_CHART_FUNNEL &&
                c->kind != CSA_CHART_HEAT;
    if (c->n > 0 && named && !c->labels)
        return usage(err, c, "%zu points but no labels", c->n);
    for (size_t i = 0; named && i < c->n; i++)
        if (!c->labels[i])
            return usage(err, c, "label %zu is NULL", i);
    if (!c->lower != !c->upper)
        return usage(err, c, "lower limits without upper ones, or upper without lower");
    for (size_t i = 0; c->lower && i < c->n; i++)
        if (c->lower[i] > c->upper[i])
            return usage(err, c, "point %zu: lower limit %g above upper limit %g", i,
                         c->lower[i], c->upper[i]);
    for (size_t i = 0; c->outcomes && i < c->n; i++)
        if ((unsigned)c->outcomes[i] > CSA_LOWER)
            return usage(err, c, "point %zu: outcome %d is not an outcome", i,
                         (int)c->outcomes[i]);
    if (c->highlight != NO_INDEX && c->highlight >= c->n)
        return usage(err, c, "highlight %zu is not one of %zu points", c->highlight, c->n);
    if ((c->kind == CSA_CHART_LORENZ || c->kind == CSA_CHART_FUNNEL) && c->n > 0 && !c->x)
        return usage(err, c, "%zu points but no x values", c->n);
    if (c->kind == CSA_CHART_LORENZ)
        for (size_t i = 0; i < c->n; i++)
            if (!(c->x[i] >= 0 && c->x[i] <= 1 && c->values[i] >= 0 && c->values[i] <= 1))
                return usage(err, c, "point %zu: share (%g, %g) outside [0, 1]", i, c->x[i],
                             c->values[i]);
    if (c->kind == CSA_CHART_FUNNEL && c->nfunnel > 0 &&
        (!c->funnel_x || !c->funnel_lo95 || !c->funnel_hi95 || !c->funnel_lo998 ||
         !c->funnel_hi998))
        return usage(err, c, "%zu funnel points but not every limit line", c->nfunnel);
    if (c->shade_n && (c->shade_first >= c->n || c->shade_n > c->n - c->shade_first))
        return usage(err, c, "shaded categories %zu to %zu, beyond the %zu there are",
                     c->shade_first + 1, c->shade_first + c->shade_n, c->n);
    if ((c->overlay || c->rolling || c->shade_n) && !line_chart(c->kind))
        return usage(err, c, "an overlay, rolling line or shading on a chart of kind %d, "
                     "which is not a line chart", (int)c->kind);
    if (c->kind == CSA_CHART_HEAT && c->n &&
        (!c->heat_columns || c->n % c->heat_columns || !c->groups))
        return usage(err, c, "%zu cells are not whole rows of %zu, each with a name", c->n,
                     c->heat_columns);
    for (size_t i = 0; c->kind == CSA_CHART_HEAT && c->n && i < c->n / c->heat_columns; i++)
        if (!c->groups[i])
            return usage(err, c, "row %zu has no name", i);
    for (size_t j = 0; c->kind == CSA_CHART_HEAT && c->n && j < c->heat_columns; j++)
        if (!c->labels || !c->labels[j])
            return usage(err, c, "column %zu has no name", j);
    if (c->kind == CSA_CHART_FUNNEL && c->nfunnel > MAX_POINTS)
        return usage(err, c, "%zu funnel points, more than %d", c->nfunnel, MAX_POINTS);
    return CSA_OK;
}

/* ---- room for the font machinery ---- */

/* Pango looks fonts up on threads of its own (some 160 in a run) and GLib
 * ends the process when it cannot start one; fontconfig does not check
 * every allocation. Neither can be caught, so before the first drawing
 * their needs are made small, and before each one there must be room. */
enum { FONT_THREAD_STACK = 1 << 20 }; /* pango's and fontconfig's threads need little */
static const size_t DRAW_ROOM = (size_t)32 << 20;

static void shrink_font_threads(void)
{
    /* threads made from now on get 1 MB stacks, not the stack limit's 8 MB */
    pthread_attr_t a;
    size_t size;
    if (pthread_getattr_default_np(&a) == 0) {
        if (pthread_attr_getstacksize(&a, &size) == 0 && size > FONT_THREAD_STACK &&
            pthread_attr_setstacksize(&a, FONT_THREAD_STACK) == 0)
            pthread_setattr_default_np(&a);
        pthread_attr_destroy(&a);
    }
    /* and share the malloc arenas there are, instead of reserving 64 MB of
     * address space each for one of their own */
    mallopt(M_ARENA_MAX, 1);
}

/* Out of memory unless DRAW_ROOM of address space can be had (a limit
 * set with `ulimit -v`, or strict overcommit): reserved and let go, never
 * touched. */
static pthread_once_t font_threads_shrunk = PTHREAD_ONCE_INIT;

static csa_status room_to_draw(const csa_chart *c, csa_error *err)
{
    pthread_once(&font_threads_shrunk, shrink_font_threads);
    void *p = mmap(NULL, DRAW_ROOM, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL,
                             "out of memory: drawing chart \"%.60s\" needs %zu MB more than "
                             "the process may have (see ulimit -v)",
                             c->title ? c->title : "", DRAW_ROOM >> 20);
    munmap(p, DRAW_ROOM);
    return CSA_OK;
}

static csa_status lay_out_checked(cairo_t *cr, const csa_chart *c, double w, double h,
                                  frame *f, csa_error *err)
{
    csa_status st = check(c, err);
    if (st || (st = room_to_draw(c, err)))
        return st;
    if (!cr || cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        return usage(err, c, "no cairo context, or one in error");
    if (!(w >= 50 && h >= 50 && w <= 100000 && h <= 100000))
        return usage(err, c, "size %g x %g is not 50 to 100000 each way", w, h);
    memset(f, 0, sizeof *f);
    f->cr = cr, f->c = c, f->w = w, f->h = h;
    lay_out(f);
    return CSA_OK;
}

csa_status csa_chart_layout(cairo_t *cr, const csa_chart *c, double x, double y, double width,
                            double height, csa_chart_geometry *out, csa_error *err)
{
    frame *f = malloc(sizeof *f);
    if (!f)
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL,
                             "out of memory for a chart");
    csa_status st = CSA_OK;
    if (c && csa_chart_is_map(c->kind)) { /* no axes: the whole rectangle */
        if (!(st = check(c, err)) && out)
            *out = (csa_chart_geometry){x, y, x + width, y + height, NAN, NAN, NAN, NAN, 0};
        free(f);
        return st;
    }
    st = lay_out_checked(cr, c, width, height, f, err);
    if (st == CSA_OK && out)
        *out = (csa_chart_geometry){x + f->pl, y + f->pt, x + f->pr, y + f->pb, f->v.lo,
                                    f->v.hi, f->xa.lo, f->xa.hi, f->slots};
    free(f);
    return st;
}

csa_status csa_chart_draw(cairo_t *cr, const csa_chart *c, double x, double y, double width,
                          double height, csa_error *err)
{
    frame *f = malloc(sizeof *f);
    if (!f)
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL,
                             "out of memory for a chart");
    csa_status st = CSA_OK;
    int saved = 0;
    if (cr && cairo_status(cr) == CAIRO_STATUS_SUCCESS) {
        cairo_save(cr);
        saved = 1;
        cairo_translate(cr, x, y);
        cairo_rectangle(cr, 0, 0, width, height);
        cairo_clip(cr);
    }
    if (c && csa_chart_is_map(c->kind)) {
        if ((st = check(c, err)) || (st = room_to_draw(c, err)))
            goto fail;
        if (!cr || cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
            st = usage(err, c, "no cairo context, or one in error");
            goto fail;
        }
        if (!(width >= 50 && height >= 50 && width <= 100000 && height <= 100000)) {
            st = usage(err, c, "size %g x %g is not 50 to 100000 each way", width, height);
            goto fail;
        }
        csa_map_draw(cr, c, width, height);
    } else {
        if ((st = lay_out_checked(cr, c, width, height, f, err)))
            goto fail;
        draw_chart(f);
    }
    cairo_status_t cs = cairo_status(cr);
    if (cs != CAIRO_STATUS_SUCCESS) {
        st = csa_error_set(err, cs == CAIRO_STATUS_NO_MEMORY ? CSA_ERR_NOMEM : CSA_ERR_IO, NULL,
                           0, 0, NULL, NULL, "cannot draw chart: %s", cairo_status_to_string(cs));
        goto fail;
    }
fail:
    if (saved)
        cairo_restore(cr);
    free(f);
    return st;
}

/* Writes an opaque RGB24 surface as an 8-bit RGB PNG. cairo's own writer
 * compresses at zlib's default level, which took 40% of a sample run; flat
 * chart colours compress nearly as well at level 3, several times faster.
 * Rows go unfiltered: flat colours repeat byte for byte, which deflate
 * finds faster than in the SUB filter's differences, and the result is
 * smaller (the sample's 58 charts other than maps: 4.31 MB in 616 ms
 * against 4.90 MB in 870 ms with SUB; its rate map 129 KB in 5.8 ms
 * against 155 KB in 11.4 ms). */
static csa_status write_png_to(cairo_surface_t *surface, FILE *fp, const char *path,
                               csa_error *err);

static csa_status write_png(cairo_surface_t *surface, const char *path, csa_error *err)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot create: %s",
                             csa_io_error(errno));
    return write_png_to(surface, fp, path, err);
}

/* Writes the surface to fp, which it closes; path names it in errors. */
static csa_status write_png_to(cairo_surface_t *surface, FILE *fp, const char *path,
                               csa_error *err)
{
    int width = cairo_image_surface_get_width(surface);
    int height = cairo_image_surface_get_height(surface);
    int stride = cairo_image_surface_get_stride(surface);
    const unsigned char *data = cairo_image_surface_get_data(surface);
    errno = 0;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    unsigned char *volatile row = malloc((size_t)width * 3);
    if (!png || !info || !row || setjmp(png_jmpbuf(png))) {
        int saved = errno; /* libpng's "Write Error" follows a failed fwrite */
        png_destroy_write_struct(&png, &info);
        free(row);
        fclose(fp);
        return csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot write chart: %s",
                             csa_io_error(saved));
    }
    png_init_io(png, fp);
    png_set_compression_level(png, 3);
    png_set_filter(png, 0, PNG_FILTER_NONE); /* trying every filter per row is slower still */
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < height; y++) {
        const uint32_t *px = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
        for (int x = 0; x < width; x++) {
            row[3 * x] = (unsigned char)(px[x] >> 16);
            row[3 * x + 1] = (unsigned char)(px[x] >> 8);
            row[3 * x + 2] = (unsigned char)px[x];
        }
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(row);
    /* libpng's flush ignores errors: the stream's error flag has them */
    bool bad = fflush(fp) != 0 || ferror(fp);
    int saved = errno;
    if (fclose(fp) != 0 || bad)
        return csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot write: %s",
                             csa_io_error(bad ? saved : errno));
    return CSA_OK;
}

static csa_status chart_png(const csa_chart *c, int width, int height, const char *path,
                           char **data, size_t *size, csa_error *err);

csa_status csa_chart_png(const csa_chart *c, int width, int height, const char *path,
                         csa_error *err)
{
    return chart_png(c, width, height, path, NULL, NULL, err);
}

csa_status csa_chart_png_memory(const csa_chart *c, int width, int height, char **data,
                                size_t *size, csa_error *err)
{
    *data = NULL, *size = 0;
    return chart_png(c, width, height, "(memory)", data, size, err);
}

/* To the file at path, or with data into memory (*data malloc'd). */
static csa_status chart_png(const csa_chart *c, int width, int height, const char *path,
                           char **data, size_t *size, csa_error *err)
{
    if (!path || width < 100 || height < 100 || width > 10000 || height > 10000)
        return usage(err, c, "a PNG needs a path and a size of 100 to 10000 pixels each way");
    csa_status st = check(c, err);
    if (st)
        return st;
    /* The pixels come from one pre-faulted mapping: touching a fresh 4 MB
     * surface page by page cost a fifth of a sample run on a VM. */
    int stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, width);
    size_t bytes = (size_t)stride * (size_t)height;
    cairo_surface_t *surface = NULL;
    cairo_t *cr = NULL;
    void *pixels = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (pixels == MAP_FAILED) {
        pixels = NULL;
        st = csa_error_set(err, CSA_ERR_NOMEM, path, 0, 0, NULL, NULL,
                           "out of memory for a %dx%d chart", width, height);
        goto fail;
    }
    surface = cairo_image_surface_create_for_data(pixels, CAIRO_FORMAT_RGB24, width, height,
                                                  stride);
    cr = cairo_create(surface);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        st = csa_error_set(err, CSA_ERR_NOMEM, path, 0, 0, NULL, NULL, "cannot draw chart: %s",
                           cairo_status_to_string(cairo_status(cr)));
        goto fail;
    }
    if ((st = csa_chart_draw(cr, c, 0, 0, width, height, err)))
        goto fail;
    cairo_surface_flush(surface);
    if (!data) {
        st = write_png(surface, path, err);
    } else {
        FILE *fp = open_memstream(data, size);
        st = fp ? write_png_to(surface, fp, path, err)
                : csa_error_set(err, CSA_ERR_NOMEM, path, 0, 0, NULL, NULL, "out of memory");
        if (st) {
            free(*data);
            *data = NULL, *size = 0;
        }
    }
fail:
    if (cr)
        cairo_destroy(cr);
    if (surface)
        cairo_surface_destroy(surface);
    if (pixels)
        munmap(pixels, bytes);
    return st;
}

/* The SVG document in memory, so it can be made reproducible before it is
 * written. */
typedef struct membuf {
    char *data;
    size_t len, cap;
} membuf;

static cairo_status_t to_membuf(void *closure, const unsigned char *data, unsigned int length)
{
    membuf *b = closure;
    if (length > b->cap - b->len) {
        size_t cap = b->cap ? b->cap : 1 << 16;
        while (cap - b->len < length) {
            if (cap > SIZE_MAX / 2)
                return CAIRO_STATUS_NO_MEMORY;
            cap *= 2;
        }
        char *p = realloc(b->data, cap);
        if (!p)
            return CAIRO_STATUS_NO_MEMORY;
        b->data = p, b->cap = cap;
    }
    memcpy(b->data + b->len, data, length);
    b->len += length;
    return CAIRO_STATUS_SUCCESS;
}

/* cairo names the drawing's group after a counter of every surface the
 * process has made ("surface195"), so the same chart would differ from run
 * to run; it is the one such name, and nothing refers to it: it becomes
 * "surface1". */
static void name_surface(membuf *b)
{
    static const char mark[] = "<g id=\"surface";
    char *at = b->len ? memmem(b->data, b->len, mark, sizeof mark - 1) : NULL;
    if (!at)
        return;
    size_t head = (size_t)(at - b->data) + sizeof mark - 1, tail = head;
    while (tail < b->len && b->data[tail] >= '0' && b->data[tail] <= '9')
        tail++;
    if (tail == head)
        return;
    b->data[head] = '1';
    memmove(b->data + head + 1, b->data + tail, b->len - tail);
    b->len -= tail - head - 1;
}

csa_status csa_chart_svg_memory(const csa_chart *c, double width, double height, char **out,
                                size_t *len, csa_error *err)
{
    *out = NULL, *len = 0;
    if (!(width >= 100 && height >= 100 && width <= 10000 && height <= 10000))
        return usage(err, c, "an SVG needs a size of 100 to 10000 points each way");
    csa_status st = check(c, err);
    if (st)
        return st;
    membuf b = {NULL, 0, 0};
    cairo_surface_t *surface = cairo_svg_surface_create_for_stream(to_membuf, &b, width, height);
    cairo_svg_surface_restrict_to_version(surface, CAIRO_SVG_VERSION_1_2);
    cairo_t *cr = cairo_create(surface);
    cairo_status_t cs = cairo_status(cr);
    if (cs == CAIRO_STATUS_SUCCESS) {
        if ((st = csa_chart_draw(cr, c, 0, 0, width, height, err)))
            goto fail;
        cairo_surface_finish(surface);
        cs = cairo_surface_status(surface);
    }
    /* one byte more for the NUL */
    if (cs == CAIRO_STATUS_SUCCESS)
        cs = to_membuf(&b, (const unsigned char *)"", 1);
    if (cs != CAIRO_STATUS_SUCCESS) {
        st = csa_error_set(err, cs == CAIRO_STATUS_NO_MEMORY ? CSA_ERR_NOMEM : CSA_ERR_IO, NULL,
                           0, 0, NULL, NULL, "cannot draw chart: %s", cairo_status_to_string(cs));
        goto fail;
    }
    b.len--;
    name_surface(&b);
    b.data[b.len] = '\0';
    *out = b.data, *len = b.len;
    b.data = NULL;
fail:
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    free(b.data);
    return st;
}

csa_status csa_chart_svg(const csa_chart *c, double width, double height, const char *path,
                         csa_error *err)
{
    if (!path)
        return usage(err, c, "an SVG needs a path and a size of 100 to 10000 points each way");
    char *svg;
    size_t len;
    csa_status st = csa_chart_svg_memory(c, width, height, &svg, &len, err);
    if (st) {
        if (err && !err->file[0])
            snprintf(err->file, sizeof err->file, "%s", path);
        return st;
    }
    st = csa_write_bytes(path, svg, len, err);
    free(svg);
    return st;
}

/* ---- many charts at once ---- */

typedef struct chart_work {
    const csa_chart_file *files;
    size_t n;
    atomic_size_t next;  /* the next chart either thread takes */
    csa_status *status;  /* per chart, with its error in errors */
    csa_error *errors;
} chart_work;

void csa_chart_kept_free(csa_chart_kept *k)
{
    if (!k)
        return;
    free(k->png);
    free(k->svg);
    *k = (csa_chart_kept){0};
}

/* The chart's PNG and SVG drawn into memory, kept, and written. */
static csa_status draw_kept(const csa_chart_file *f, csa_error *err)
{
    csa_chart_kept *k = f->chart->kept;
    csa_status st = csa_chart_png_memory(f->chart, f->png_width, f->png_height, &k->png,
                                         &k->png_size, err);
    if (!st) {
        k->png_width = f->png_width, k->png_height = f->png_height;
        st = csa_write_bytes(f->png_path, k->png, k->png_size, err);
    }
    if (!st && !(st = csa_chart_svg_memory(f->chart, f->svg_width, f->svg_height, &k->svg,
                                           &k->svg_len, err))) {
        k->svg_width = f->svg_width, k->svg_height = f->svg_height;
        st = csa_write_bytes(f->svg_path, k->svg, k->svg_len, err);
    }
    if (st)
        csa_chart_kept_free(k);
    return st;
}

static void *draw_files(void *arg)
{
    chart_work *w = arg;
    for (size_t i; (i = atomic_fetch_add(&w->next, 1)) < w->n;) {
        const csa_chart_file *f = &w->files[i];
        /* kept once: a chart written again is drawn again, what it kept
         * left as it is (its owner frees it) */
        const csa_chart_kept *k = f->chart->kept;
        if (k && !k->png && !k->svg) {
            w->status[i] = draw_kept(f, &w->errors[i]);
        } else {
            w->status[i] = csa_chart_png(f->chart, f->png_width, f->png_height, f->png_path,
                                         &w->errors[i]);
            if (!w->status[i])
                w->status[i] = csa_chart_svg(f->chart, f->svg_width, f->svg_height,
                                             f->svg_path, &w->errors[i]);
        }
        if (w->status[i]) /* the charts after it are not needed */
            atomic_store(&w->next, w->n);
    }
    return NULL;
}

/* Drawing a chart is a fixed cost of a run (cairo's rasterising, zlib's
 * compressing), on one CPU while the other had nothing to do: 37 charts of
 * a sample run are drawn two at a time. Cairo surfaces and contexts are
 * per chart, and pango's default font map is per thread. */
csa_status csa_chart_files(const csa_chart_file *files, size_t n, csa_error *err)
{
    if (!n)
        return CSA_OK;
    chart_work w = {.files = files, .n = n, .status = calloc(n, sizeof *w.status),
                    .errors = calloc(n, sizeof *w.errors)};
    if (!w.status || !w.errors) {
        free(w.status);
        free(w.errors);
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    }
    atomic_init(&w.next, 0);
    pthread_once(&font_threads_shrunk, shrink_font_threads); /* the second's stack too */
    pthread_t second;
    bool two = n > 1 && csa_thread_start(&second, draw_files, &w);
    draw_files(&w);
    if (two)
        pthread_join(second, NULL);
    csa_status st = CSA_OK;
    for (size_t i = 0; i < n && !st; i++)
        if ((st = w.status[i]))
            *err = w.errors[i];
    free(w.status);
    free(w.errors);
    return st;
}
