/* Bar charts as PNG, drawn with cairo and laid out with pango. Everything is
 * sized from the image size so one call suits a slide or a small web image. */
#include <errno.h>
#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "csa/report.h"

#define FONT_FAMILY "DejaVu Sans,Sans"
#define MAX_LABEL_LINES 3

static const double quarter_turn = 1.57079632679489661923;

typedef struct rgb { double r, g, b; } rgb;

/* Dark blue bars and near-black whiskers stay distinct in greyscale and for
 * every common colour-vision deficiency; greys carry only secondary text. */
static const rgb col_text = {0.10, 0.10, 0.10};
static const rgb col_muted = {0.35, 0.35, 0.35};
static const rgb col_grid = {0.85, 0.85, 0.85};
static const rgb col_axis = {0.25, 0.25, 0.25};
static const rgb col_bar = {0x1f / 255.0, 0x4e / 255.0, 0x79 / 255.0};
static const rgb col_whisker = {0.08, 0.08, 0.08};

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

/* wrap_w > 0 wraps (or, with ellipsize, cuts) the text to that width and
 * aligns it within it; wrap_w <= 0 leaves it on one line. */
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
    pango_layout_set_text(l, text ? text : "", -1);
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

static double layout_h(PangoLayout *l)
{
    int w, h;
    pango_layout_get_pixel_size(l, &w, &h);
    return h;
}

static double layout_w(PangoLayout *l)
{
    int w, h;
    pango_layout_get_pixel_size(l, &w, &h);
    return w;
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

/* Tick text with thousands separators; huge or tiny values fall back to %g
 * because fixed notation would be unreadable there anyway. */
static void format_tick(double v, int decimals, char *buf, size_t size)
{
    char raw[64];
    if (fabs(v) >= 1e15 || decimals > 9) {
        snprintf(buf, size, "%g", v);
        return;
    }
    snprintf(raw, sizeof raw, "%.*f", decimals, v);
    const char *p = raw;
    size_t o = 0;
    if (*p == '-') { /* a true minus sign: a hyphen looks lost beside digits */
        o = (size_t)snprintf(buf, size, "\xe2\x88\x92");
        p++;
    }
    size_t int_len = strcspn(p, ".");
    for (size_t i = 0; i < int_len && o + 2 < size; i++) {
        if (i > 0 && (int_len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = p[i];
    }
    snprintf(buf + o, size - o, "%s", p + int_len);
}

typedef struct axis {
    double lo, hi, step;
    int nticks, decimals;
} axis;

/* Counting ticks from lo, rather than adding steps, keeps rounding error
 * from piling up; snapping to zero avoids a "-0" label. */
static double tick_value(const axis *a, int t)
{
    double v = a->lo + t * a->step;
    return fabs(v) < a->step * 1e-6 ? 0 : v;
}

/* A 1-2-5 step giving about five intervals, the axis from 0 (or the lowest
 * negative) to a tick above the highest value plus a little headroom so the
 * top whisker never touches the frame. */
static axis nice_axis(double lo, double hi, int have_data)
{
    axis a = {0, 1, 1, 1, 0};
    if (!have_data || hi - lo <= 0)
        return a; /* only the zero line: any other scale would be invented */
    double top = hi + (hi - lo) * 0.05;
    double raw = (top - lo) / 5;
    double mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    a.step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
    a.lo = floor(lo / a.step) * a.step;
    a.hi = ceil(top / a.step) * a.step;
    a.nticks = (int)lround((a.hi - a.lo) / a.step) + 1;
    int k = (int)floor(log10(a.step) + 1e-9);
    a.decimals = k < 0 ? -k : 0;
    return a;
}

/* Chooses how category labels are set. Horizontal, wrapped to the slot at
 * word boundaries, is easiest to read, so try it first at shrinking sizes;
 * when no word fits or it needs too many lines, turn labels upright.
 * Returns the height of the label band. */
static double fit_labels(cairo_t *cr, const csa_bar_chart *c, double slot,
                         double big, double small, double max_upright,
                         double *px, int *upright)
{
    double box = slot * 0.94;
    /* Below a few characters' width nothing useful fits across the slot, and
     * trying every size for every label would be slow with many bars. */
    for (double s = big; s >= small - 0.01 && box >= small * 2.5; s -= 0.5) {
        double band = 0;
        int ok = 1;
        for (size_t i = 0; i < c->n && ok; i++) {
            PangoLayout *l = text_layout(cr, c->labels[i], s, 0, box, PANGO_ALIGN_CENTER);
            pango_layout_set_wrap(l, PANGO_WRAP_WORD);
            PangoRectangle log;
            pango_layout_get_pixel_extents(l, NULL, &log);
            /* A word wider than the box overflows rather than wraps. */
            ok = pango_layout_get_line_count(l) <= MAX_LABEL_LINES && log.width <= box + 0.5;
            band = fmax(band, log.height);
            g_object_unref(l);
        }
        if (ok) {
            *px = s;
            *upright = 0;
            return band;
        }
    }
    *px = small;
    *upright = 1;
    double band = 0;
    for (size_t i = 0; i < c->n; i++) {
        PangoLayout *l = text_layout(cr, c->labels[i], small, 0, 0, PANGO_ALIGN_LEFT);
        band = fmax(band, layout_w(l));
        g_object_unref(l);
    }
    return fmin(band, max_upright);
}

/* Writes an opaque RGB24 surface as an 8-bit RGB PNG. cairo's own writer
 * compresses at zlib's default level, which took 40% of a sample run; flat
 * chart colours compress nearly as well at level 3, several times faster. */
static csa_status write_png(cairo_surface_t *surface, const char *path, csa_error *err)
{
    int width = cairo_image_surface_get_width(surface);
    int height = cairo_image_surface_get_height(surface);
    int stride = cairo_image_surface_get_stride(surface);
    const unsigned char *data = cairo_image_surface_get_data(surface);
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot create: %s",
                             strerror(errno));
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    unsigned char *volatile row = malloc((size_t)width * 3);
    if (!png || !info || !row || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(row);
        fclose(fp);
        return csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot write chart");
    }
    png_init_io(png, fp);
    png_set_compression_level(png, 3);
    png_set_filter(png, 0, PNG_FILTER_SUB); /* trying every filter per row is the slow part */
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
    if (fclose(fp) != 0)
        return csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot write: %s",
                             strerror(errno));
    return CSA_OK;
}

csa_status csa_chart_bars_png(const csa_bar_chart *c, int width, int height,
                              const char *path, csa_error *err)
{
    if (!c || !path || width < 100 || height < 100 || width > 10000 || height > 10000)
        return csa_error_set(err, CSA_ERR_USAGE, path, 0, 0, NULL, NULL,
                             "chart needs a description, a path and a size of "
                             "100 to 10000 pixels each way");
    if (c->n > 0 && (!c->labels || !c->values))
        return csa_error_set(err, CSA_ERR_USAGE, path, 0, 0, NULL, NULL,
                             "chart has %zu categories but no labels or values", c->n);

    csa_status rc = CSA_OK;
    /* The pixels come from one pre-faulted mapping: touching a fresh 4 MB
     * surface page by page cost a fifth of a sample run on a VM. */
    int stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, width);
    size_t bytes = (size_t)stride * (size_t)height;
    void *pixels = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (pixels == MAP_FAILED)
        return csa_error_set(err, CSA_ERR_NOMEM, path, 0, 0, NULL, NULL,
                             "no memory for a %dx%d chart", width, height);
    cairo_surface_t *surface =
        cairo_image_surface_create_for_data(pixels, CAIRO_FORMAT_RGB24, width, height, stride);
    cairo_t *cr = NULL;
    cairo_status_t st = cairo_surface_status(surface);
    if (st != CAIRO_STATUS_SUCCESS)
        goto fail;
    cr = cairo_create(surface);
    if ((st = cairo_status(cr)) != CAIRO_STATUS_SUCCESS)
        goto fail;

    /* Linear scaling makes small images illegible, so below the 1200x800
     * reference, text shrinks more slowly than the image. */
    double w = width, h = height;
    double u = fmin(w / 1200, h / 800);
    double fs = u < 1 ? pow(u, 0.6) : u;
    /* Nothing smaller than this is legible on screen; on a tiny image the
     * floor itself must shrink or the text would bury the plot. */
    double floor_px = fmax(6, fmin(fmin(w, h) / 50, 8));
    double px_title = fmax(1.5 * floor_px, 26 * fs), px_sub = fmax(1.15 * floor_px, 17 * fs);
    double px_body = fmax(floor_px, 15 * fs), px_small = fmax(floor_px, 12.5 * fs);
    double m = fmax(4, 24 * fs), gap = px_body * 0.6;

    set_rgb(cr, (rgb){1, 1, 1});
    cairo_paint(cr);

    /* Data range first: tick labels set the left margin. */
    double lo = 0, hi = 0;
    int have_data = 0;
    for (size_t i = 0; i < c->n; i++) {
        double v = c->values[i];
        if (!usable(v))
            continue;
        have_data = 1;
        lo = fmin(lo, v);
        hi = fmax(hi, v);
        if (c->lower && usable(c->lower[i]))
            lo = fmin(lo, c->lower[i]);
        if (c->upper && usable(c->upper[i]))
            hi = fmax(hi, c->upper[i]);
    }
    axis ax = nice_axis(lo, hi, have_data);

    /* Header and footer, measured before the plot takes what is left. */
    double text_w = w - 2 * m, y = m;
    PangoLayout *title = capped(text_layout(cr, c->title, px_title, 1, text_w, PANGO_ALIGN_LEFT), 2);
    double title_h = c->title && *c->title ? layout_h(title) : 0;
    show(cr, title, m, y, col_text);
    y += title_h;
    if (c->subtitle && *c->subtitle) {
        PangoLayout *sub = capped(text_layout(cr, c->subtitle, px_sub, 0, text_w, PANGO_ALIGN_LEFT), 2);
        y += gap * 0.3;
        double sub_h = layout_h(sub);
        show(cr, sub, m, y, col_muted);
        y += sub_h;
    }
    double plot_top = y + gap * 2;

    double bottom = h - m;
    if (c->source && *c->source) {
        PangoLayout *src = capped(text_layout(cr, c->source, px_small, 0, text_w, PANGO_ALIGN_LEFT), 3);
        bottom -= layout_h(src);
        show(cr, src, m, bottom, col_muted);
        bottom -= gap * 1.2;
    }

    double tick_w = 0, px_tick = px_body * 0.9;
    char buf[96];
    for (int t = 0; t < ax.nticks; t++) {
        format_tick(tick_value(&ax, t), ax.decimals, buf, sizeof buf);
        PangoLayout *l = text_layout(cr, buf, px_tick, 0, 0, PANGO_ALIGN_LEFT);
        tick_w = fmax(tick_w, layout_w(l));
        g_object_unref(l);
    }
    double ylab_h = 0;
    if (c->y_label && *c->y_label) {
        PangoLayout *l = text_layout(cr, c->y_label, px_body, 0, 0, PANGO_ALIGN_LEFT);
        ylab_h = layout_h(l) + gap;
        g_object_unref(l);
    }
    double plot_l = m + ylab_h + tick_w + gap, plot_r = w - m;
    double plot_w = fmax(plot_r - plot_l, 10);

    if (c->x_label && *c->x_label) {
        PangoLayout *xlab = capped(text_layout(cr, c->x_label, px_body, 0, plot_w,
                                               PANGO_ALIGN_CENTER), 2);
        bottom -= layout_h(xlab);
        show(cr, xlab, plot_l, bottom, col_text);
        bottom -= gap;
    }

    double slot = c->n ? plot_w / (double)c->n : plot_w;
    double px_cat = px_body;
    int upright = 0;
    double band = c->n ? fit_labels(cr, c, slot, px_body, px_small, h * 0.3,
                                    &px_cat, &upright)
                       : 0;
    double plot_b = bottom - band - gap * 0.6;
    double plot_h = fmax(plot_b - plot_top, 10);
    plot_b = plot_top + plot_h;

#define YPOS(v) (plot_b - ((v) - ax.lo) / (ax.hi - ax.lo) * plot_h)

    double hair = fmax(1, round(fs));
    cairo_set_line_width(cr, hair);
    for (int t = 0; t < ax.nticks; t++) {
        double v = tick_value(&ax, t);
        double gy = crisp(YPOS(v), hair);
        set_rgb(cr, col_grid);
        cairo_move_to(cr, plot_l, gy);
        cairo_line_to(cr, plot_r, gy);
        cairo_stroke(cr);
        format_tick(v, ax.decimals, buf, sizeof buf);
        PangoLayout *l = text_layout(cr, buf, px_tick, 0, 0, PANGO_ALIGN_LEFT);
        show(cr, l, plot_l - gap * 0.6 - layout_w(l), gy - layout_h(l) / 2, col_muted);
    }
    if (ylab_h > 0) {
        PangoLayout *l = text_layout(cr, c->y_label, px_body, 0, plot_h, PANGO_ALIGN_CENTER);
        pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
        show_up(cr, l, m + (ylab_h - gap) / 2, plot_b, col_text);
    }

    double y0 = YPOS(0.0);
    double bar_w = fmin(slot * 0.7, plot_w * 0.18);
    double thick = fmax(1, round(2 * fs));
    /* Upright labels thinner than a line of text would overprint; show
     * every k-th one instead. */
    size_t every = 1;
    if (upright && slot < px_cat * 1.2)
        every = (size_t)ceil(px_cat * 1.2 / slot);

    for (size_t i = 0; i < c->n; i++) {
        double cx = plot_l + slot * ((double)i + 0.5);
        double v = c->values[i];
        if (usable(v)) {
            /* Whole-pixel edges: fractional ones blur to grey on small images. */
            double x0 = round(cx - bar_w / 2), x1 = fmax(round(cx + bar_w / 2), x0 + 1);
            double ya = round(fmin(YPOS(v), y0)), yb = round(fmax(YPOS(v), y0));
            if (v == 0) /* a real zero, so it must not look like a gap */
                ya = yb - thick - 1;
            set_rgb(cr, col_bar);
            cairo_rectangle(cr, x0, ya, x1 - x0, yb - ya);
            cairo_fill(cr);
            double wl = c->lower && usable(c->lower[i]) ? c->lower[i] : v;
            double wu = c->upper && usable(c->upper[i]) ? c->upper[i] : v;
            if (wl != v || wu != v) {
                double wx = crisp(cx, thick), yl = crisp(YPOS(wl), thick);
                double yu = crisp(YPOS(wu), thick);
                /* Half-width keeps cap ends on pixel edges too. */
                double ch = round(fmax(fmin(bar_w * 0.18, 12 * fs), 2)) + (wx - floor(wx));
                cairo_move_to(cr, wx, yl);
                cairo_line_to(cr, wx, yu);
                if (wl != v) {
                    cairo_move_to(cr, wx - ch, yl);
                    cairo_line_to(cr, wx + ch, yl);
                }
                if (wu != v) {
                    cairo_move_to(cr, wx - ch, yu);
                    cairo_line_to(cr, wx + ch, yu);
                }
                /* A white halo keeps the part inside the dark bar visible. */
                set_rgb(cr, (rgb){1, 1, 1});
                cairo_set_line_width(cr, thick + 2);
                cairo_stroke_preserve(cr);
                set_rgb(cr, col_whisker);
                cairo_set_line_width(cr, thick);
                cairo_stroke(cr);
            }
        } else {
            PangoLayout *l = text_layout(cr, "no data", px_small, 0, 0, PANGO_ALIGN_LEFT);
            if (layout_w(l) <= slot * 0.94)
                show(cr, l, cx - layout_w(l) / 2, y0 - gap * 0.5 - layout_h(l), col_muted);
            else if (layout_h(l) <= slot * 1.1)
                show_up(cr, l, cx, y0 - gap * 0.5, col_muted);
            else /* too narrow even upright: neighbours would overprint it */
                g_object_unref(l);
        }

        if (i % every != 0)
            continue;
        const char *label = c->labels[i];
        if (upright) {
            PangoLayout *l = text_layout(cr, label, px_cat, 0, band, PANGO_ALIGN_RIGHT);
            pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
            show_up(cr, l, cx, plot_b + gap * 0.6 + band, col_text);
        } else {
            PangoLayout *l = text_layout(cr, label, px_cat, 0, slot * 0.94, PANGO_ALIGN_CENTER);
            pango_layout_set_wrap(l, PANGO_WRAP_WORD);
            show(cr, l, cx - slot * 0.47, plot_b + gap * 0.6, col_text);
        }
    }

    /* The zero line over the bars, so bars sit on it rather than float. */
    set_rgb(cr, col_axis);
    cairo_set_line_width(cr, hair);
    cairo_move_to(cr, plot_l, crisp(y0, hair));
    cairo_line_to(cr, plot_r, crisp(y0, hair));
    cairo_stroke(cr);

    /* An empty plot area could be mistaken for a rendering fault. */
    if (!have_data) {
        PangoLayout *l = text_layout(cr, c->n ? "No data for any category" : "No data",
                                     px_sub, 0, plot_w, PANGO_ALIGN_CENTER);
        show(cr, l, plot_l, plot_top + plot_h / 2 - layout_h(l) / 2, col_muted);
    }
#undef YPOS

    if ((st = cairo_status(cr)) != CAIRO_STATUS_SUCCESS)
        goto fail;
    cairo_surface_flush(surface);
    rc = write_png(surface, path, err);
    goto done;

fail:
    rc = csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot write chart: %s",
                       cairo_status_to_string(st));
done:
    if (cr)
        cairo_destroy(cr);
    cairo_surface_destroy(surface);
    munmap(pixels, bytes);
    return rc;
}
