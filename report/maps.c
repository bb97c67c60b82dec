/* Maps: the area's shapes on British National Grid, drawn by the same
 * csa_chart_draw as every chart (so PNG, SVG, the pack and the workbook
 * get one drawing): a choropleth of classes and a hotspot surface, each
 * with a legend, scale bar, north arrow, source and attribution.
 *
 * Each shape of a choropleth is one even-odd filled path, in shape order,
 * and nothing else is filled even-odd: a test can read the drawn classes
 * from the SVG. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "csa/geo.h"
#include "draw.h"

typedef struct rgb { double r, g, b; } rgb;

static rgb hex(unsigned h)
{
    return (rgb){(h >> 16 & 0xff) / 255.0, (h >> 8 & 0xff) / 255.0, (h & 0xff) / 255.0};
}

static void set_rgb(cairo_t *cr, rgb c)
{
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

/* viridis at ten even steps, dark to light (matplotlib's) */
static const unsigned VIRIDIS[10] = {0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e,
                                     0x1f9e89, 0x35b779, 0x6ece58, 0xb5de2b, 0xfde725};
/* ColorBrewer YlOrRd, nine steps, light to dark */
static const unsigned YLORRD[9] = {0xffffcc, 0xffeda0, 0xfed976, 0xfeb24c, 0xfd8d3c,
                                   0xfc4e2a, 0xe31a1c, 0xbd0026, 0x800026};

unsigned csa_map_colour(csa_chart_kind kind, int k, int c)
{
    if (k < 2 || k > 10 || c < 0 || c >= k)
        return CSA_MAP_NO_VALUE;
    if (kind == CSA_CHART_HOTSPOT)
        return YLORRD[(int)lround(8.0 * c / (k - 1))];
    return VIRIDIS[9 - (int)lround(9.0 * c / (k - 1))];
}

int csa_chart_is_map(csa_chart_kind kind)
{
    return kind == CSA_CHART_CHOROPLETH || kind == CSA_CHART_HOTSPOT;
}

const char *csa_map_check(const csa_chart *c)
{
    const csa_shapes *s = c->shapes;
    if (!s || !s->n || !s->npoints)
        return "a map needs shapes";
    if (c->nclasses < 2 || c->nclasses > 10 || !c->class_labels || !c->classes)
        return "a map needs 2 to 10 classes, their labels and a class for each shape or cell";
    for (int k = 0; k < c->nclasses; k++)
        if (!c->class_labels[k])
            return "a class label is NULL";
    size_t n = s->n;
    if (c->kind == CSA_CHART_HOTSPOT) {
        if (!c->density || !c->density->nx || !c->density->ny)
            return "a hotspot map needs a density grid";
        n = c->density->nx * c->density->ny;
    }
    for (size_t i = 0; i < n; i++)
        if (c->classes[i] < -1 || c->classes[i] >= c->nclasses)
            return "a class is not one of the map's classes";
    return NULL;
}

typedef struct view {
    cairo_t *cr;
    double x0, y1, scale, ox, oy; /* grid (x0, y1) is (ox, oy) on the page */
} view;

/* A point within a unit (pixel or point) of the last one drawn adds
 * nothing to the outline but bytes to the SVG and the PDF, and time. */
static void shape_path(const view *v, const csa_shapes *s, size_t i)
{
    for (size_t r = s->ring_first[i]; r < s->ring_first[i + 1]; r++) {
        double lx = 0, ly = 0;
        size_t first = s->point_first[r], end = s->point_first[r + 1];
        for (size_t p = first; p < end; p++) {
            double px = v->ox + (s->x[p] - v->x0) * v->scale;
            double py = v->oy + (v->y1 - s->y[p]) * v->scale;
            if (p == first) {
                cairo_move_to(v->cr, px, py);
            } else {
                if (p + 1 < end && fabs(px - lx) < 1 && fabs(py - ly) < 1)
                    continue;
                cairo_line_to(v->cr, px, py);
            }
            lx = px, ly = py;
        }
        cairo_close_path(v->cr);
    }
}

/* Diagonal lines over the current clip's extents. */
static void hatch(cairo_t *cr, double gap, double width)
{
    double x0, y0, x1, y1;
    cairo_clip_extents(cr, &x0, &y0, &x1, &y1);
    cairo_new_path(cr);
    for (double d = x0 - (y1 - y0); d < x1; d += gap) {
        cairo_move_to(cr, d, y1);
        cairo_line_to(cr, d + (y1 - y0), y0);
    }
    set_rgb(cr, hex(0x767676));
    cairo_set_line_width(cr, width);
    cairo_stroke(cr);
}

static double show(cairo_t *cr, const char *text, double px, int bold, double x, double y,
                   double wrap, int lines, rgb colour)
{
    PangoLayout *l = csa_draw_text(cr, text, px, bold, wrap, lines);
    int w, h;
    pango_layout_get_pixel_size(l, &w, &h);
    set_rgb(cr, colour);
    cairo_move_to(cr, x, y);
    pango_cairo_update_layout(cr, l);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
    return h;
}

static double measure(cairo_t *cr, const char *text, double px, int bold, double wrap, int lines,
                      double *width)
{
    PangoLayout *l = csa_draw_text(cr, text, px, bold, wrap, lines);
    PangoRectangle log;
    pango_layout_get_pixel_extents(l, NULL, &log);
    g_object_unref(l);
    if (width)
        *width = log.width;
    return log.height;
}

/* A bar of a round number of km, at most a quarter of the map's width. */
static void scale_bar(const view *v, double x, double y, double map_w, double px, double line)
{
    cairo_t *cr = v->cr;
    double most_km = map_w / 4 / v->scale / 1000, km = 0;
    for (double decade = 0.1; decade <= 1000 && !(km > 0 && decade > most_km); decade *= 10)
        for (int k = 0; k < 3; k++) {
            double step = decade * (k == 0 ? 1 : k == 1 ? 2 : 5);
            if (step <= most_km)
                km = step;
        }
    if (!(km > 0))
        return;
    double len = km * 1000 * v->scale, bh = px * 0.45;
    for (int half = 0; half < 2; half++) {
        cairo_rectangle(cr, x + half * len / 2, y - bh, len / 2, bh);
        set_rgb(cr, hex(half ? 0xffffff : 0x1a1a1a));
        cairo_fill_preserve(cr);
        set_rgb(cr, hex(0x1a1a1a));
        cairo_set_line_width(cr, line);
        cairo_stroke(cr);
    }
    char label[32];
    snprintf(label, sizeof label, km < 1 ? "%.1f km" : "%.0f km", km);
    double lw;
    double lh = measure(cr, label, px, 0, 0, 1, &lw);
    show(cr, "0", px, 0, x - 2, y - bh - lh - 1, 0, 1, hex(0x1a1a1a));
    show(cr, label, px, 0, x + len - lw / 2, y - bh - lh - 1, 0, 1, hex(0x1a1a1a));
}

/* An arrow pointing to grid north, "N" under its head's base. */
static void north_arrow(cairo_t *cr, double cx, double top, double px)
{
    double hw = px * 0.55, hh = px * 1.3;
    cairo_move_to(cr, cx, top);
    cairo_line_to(cr, cx + hw, top + hh);
    cairo_line_to(cr, cx, top + hh * 0.72);
    cairo_close_path(cr);
    set_rgb(cr, hex(0x1a1a1a));
    cairo_fill(cr);
    cairo_move_to(cr, cx, top);
    cairo_line_to(cr, cx - hw, top + hh);
    cairo_line_to(cr, cx, top + hh * 0.72);
    cairo_close_path(cr);
    set_rgb(cr, hex(0xffffff));
    cairo_fill_preserve(cr);
    set_rgb(cr, hex(0x1a1a1a));
    cairo_set_line_width(cr, fmax(0.75, px / 14));
    cairo_stroke(cr);
    double w;
    measure(cr, "N", px, 1, 0, 1, &w);
    show(cr, "N", px, 1, cx - w / 2, top + hh + px * 0.1, 0, 1, hex(0x1a1a1a));
}

void csa_map_draw(cairo_t *cr, const csa_chart *c, double w, double h)
{
    const csa_shapes *s = c->shapes;
    double u = fmin(w / 1200, h / 750);
    double fs = u < 1 ? pow(u, 0.6) : u;
    double floor_px = fmax(6, fmin(fmin(w, h) / 50, 8));
    double px_title = fmax(1.5 * floor_px, 26 * fs), px_sub = fmax(1.15 * floor_px, 17 * fs);
    double px_body = fmax(floor_px, 15 * fs), px_small = fmax(floor_px, 12.5 * fs);
    double m = fmax(4, 24 * fs), gap = px_body * 0.6, hair = fmax(0.5, fs);
    rgb text = hex(0x1a1a1a), muted = hex(0x595959);

    set_rgb(cr, hex(0xffffff));
    cairo_rectangle(cr, 0, 0, w, h);
    cairo_fill(cr);

    double tw = w - 2 * m, y = m;
    if (c->title && *c->title)
        y += show(cr, c->title, px_title, 1, m, y, tw, 2, text);
    if (c->subtitle && *c->subtitle)
        y += gap * 0.3 + show(cr, c->subtitle, px_sub, 0, m, y + gap * 0.3, tw, 2, muted);
    if (c->note && *c->note)
        y += gap * 0.3 + show(cr, c->note, px_small, 0, m, y + gap * 0.3, tw, 2, muted);
    y += gap;

    /* the footer: source, then the attribution */
    double src_h = c->source ? measure(cr, c->source, px_small, 0, tw, 2, NULL) : 0;
    const char *att = c->attribution ? c->attribution : CSA_MAP_ATTRIBUTION;
    double att_h = measure(cr, att, px_small, 0, tw, 2, NULL);
    double foot = h - m - att_h - (src_h ? src_h + gap * 0.2 : 0);
    if (c->source)
        show(cr, c->source, px_small, 0, m, foot, tw, 2, muted);
    show(cr, att, px_small, 0, m, h - m - att_h, tw, 2, muted);

    /* the legend on the right, the map in the rest */
    double leg_w = fmax(tw * 0.27, 120 * fs), map_w = tw - leg_w - gap * 2;
    double map_top = y, map_h = foot - gap - map_top;
    if (map_h < 20 || map_w < 20)
        return;
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (size_t i = 0; i < s->npoints; i++) {
        x0 = fmin(x0, s->x[i]), x1 = fmax(x1, s->x[i]);
        y0 = fmin(y0, s->y[i]), y1 = fmax(y1, s->y[i]);
    }
    double scale = fmin(map_w / fmax(x1 - x0, 1), map_h / fmax(y1 - y0, 1));
    view v = {cr, x0, y1, scale, m + (map_w - (x1 - x0) * scale) / 2,
              map_top + (map_h - (y1 - y0) * scale) / 2};
    int k = c->nclasses;

    cairo_save(cr);
    cairo_rectangle(cr, m, map_top, map_w, map_h);
    cairo_clip(cr);
    if (c->kind == CSA_CHART_CHOROPLETH) {
        /* each shape filled, then its outline stroked from the same path:
         * cairo's SVG and PDF surfaces write such a pair as one element,
         * its coordinates once (they were written twice, for the fills and
         * for all the outlines after them: most of a map's bytes and time).
         * An outline a later shape shares is stroked again over its fill,
         * so every outline is on top as before. */
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_BEVEL);
        for (size_t i = 0; i < s->n; i++) {
            cairo_new_path(cr);
            shape_path(&v, s, i);
            set_rgb(cr, hex(c->classes[i] >= 0 ? csa_map_colour(c->kind, k, c->classes[i])
                                               : CSA_MAP_NO_VALUE));
            cairo_fill_preserve(cr);
            if (c->classes[i] < 0) {
                cairo_save(cr);
                cairo_clip_preserve(cr);
                hatch(cr, px_small * 0.5, hair * 0.75); /* a path of its own */
                cairo_restore(cr);
                cairo_new_path(cr);
                shape_path(&v, s, i);
            }
            set_rgb(cr, hex(0xffffff));
            cairo_set_line_width(cr, hair * 0.6);
            cairo_stroke(cr);
        }
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    } else {
        /* the grid as one path a class, of runs of cells of that class
         * along each row (north up): drawn as vectors, the SVG and the PDF
         * hold no image (an image's id in cairo's SVG is a counter global
         * to the process, so it would differ between runs that draw charts
         * two at a time), and cells of one class have no seams between
         * them */
        const csa_density *d = c->density;
        cairo_save(cr);
        cairo_translate(cr, v.ox + (d->x0 - x0) * scale,
                        v.oy + (y1 - d->y0 - (double)d->ny * d->cell) * scale);
        cairo_scale(cr, d->cell * scale, d->cell * scale);
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
        for (int cl = 0; cl < k; cl++) {
            bool any = false;
            cairo_new_path(cr);
            for (size_t r = 0; r < d->ny; r++) {
                const int *row = c->classes + r * d->nx;
                for (size_t col = 0; col < d->nx;) {
                    size_t end = col;
                    while (end < d->nx && row[end] == cl)
                        end++;
                    if (end > col) {
                        cairo_rectangle(cr, (double)col, (double)(d->ny - 1 - r),
                                        (double)(end - col), 1);
                        any = true;
                        col = end;
                    } else {
                        col++;
                    }
                }
            }
            if (any) {
                set_rgb(cr, hex(csa_map_colour(c->kind, k, cl)));
                cairo_fill(cr);
            }
        }
        cairo_restore(cr);
        cairo_new_path(cr);
        for (size_t i = 0; i < s->n; i++)
            shape_path(&v, s, i);
        cairo_set_source_rgba(cr, 0.25, 0.25, 0.25, 0.55);
        cairo_set_line_width(cr, hair * 0.6);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_BEVEL);
        cairo_stroke(cr);
    }
    cairo_restore(cr);

    /* furniture in the map's corners */
    north_arrow(cr, m + map_w - px_body, map_top + px_small * 0.2, px_body);
    scale_bar(&v, m + px_small, map_top + map_h - px_small * 0.2, map_w, px_small, hair);

    /* the legend: its heading, then the classes from the highest down */
    double lx = m + map_w + gap * 2, ly = map_top, sw = px_body * 1.3;
    if (c->y_label)
        ly += show(cr, c->y_label, px_body, 1, lx, ly, leg_w, 3, text) + gap * 0.6;
    double label_w = leg_w - sw - gap * 0.6;
    for (int cl = k - 1; cl >= -1; cl--) {
        const char *label = cl >= 0 ? c->class_labels[cl] : c->no_value_label;
        if (!label)
            continue;
        double lh = fmax(sw, measure(cr, label, px_small, 0, label_w, 3, NULL));
        cairo_rectangle(cr, lx, ly, sw, sw);
        set_rgb(cr, hex(cl >= 0 ? csa_map_colour(c->kind, k, cl) : CSA_MAP_NO_VALUE));
        cairo_fill(cr);
        if (cl < 0) {
            cairo_save(cr);
            cairo_rectangle(cr, lx, ly, sw, sw);
            cairo_clip(cr);
            hatch(cr, px_small * 0.5, hair * 0.75);
            cairo_restore(cr);
        }
        cairo_rectangle(cr, lx, ly, sw, sw);
        set_rgb(cr, hex(0x595959));
        cairo_set_line_width(cr, hair * 0.5);
        cairo_stroke(cr);
        show(cr, label, px_small, 0, lx + sw + gap * 0.6, ly, label_w, 3, text);
        ly += lh + gap * 0.5;
    }
    if (c->kind == CSA_CHART_HOTSPOT) {
        cairo_move_to(cr, lx, ly + sw / 2);
        cairo_line_to(cr, lx + sw, ly + sw / 2);
        cairo_set_source_rgba(cr, 0.25, 0.25, 0.25, 0.55);
        cairo_set_line_width(cr, hair);
        cairo_stroke(cr);
        show(cr, "LSOA boundaries", px_small, 0, lx + sw + gap * 0.6, ly, label_w, 2, text);
    }
}
