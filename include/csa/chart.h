/* csa/chart.h: the charts of an assessment, drawn with cairo and pango.
 * One drawing function per chart serves every surface: PNG and SVG files,
 * and pages of the PDF pack. A chart draws only what it is given (report
 * never recomputes a figure): limits, lines and outcomes come from the
 * engine's result tables.
 *
 * Every chart has a title, axis labels with units, a legend where more than
 * one kind of mark is drawn, and a source line under it. The palette reads
 * in greyscale and for colour-blind readers (Okabe-Ito hues with distinct
 * lightness, and shape or dash patterns where colour alone would carry
 * meaning). Charts stay legible with long category names (wrapped or
 * ellipsised), many categories (labels thinned, never overlapping), zeros,
 * missing values (NaN: a gap and a "no data" mark, never a zero) and a
 * single point. */
#ifndef CSA_CHART_H
#define CSA_CHART_H

#include <stddef.h>

#include <cairo.h>

#include "csa/error.h"
#include "csa/stats.h"

typedef enum csa_chart_kind {
    /* A series over periods (labels) with an optional confidence band
     * (lower/upper) and an optional comparator line. */
    CSA_CHART_TREND = 0,
    /* A statistical process control chart: the series, the centre line and
     * the process limits (spc_*), and the points that break a rule
     * (flags[i] != 0) marked with a distinct shape. */
    CSA_CHART_SPC,
    /* Bars by IMD decile (labels "1 (most deprived)" ... "10 (least
     * deprived)") with CI whiskers, and the SII line over them: the value
     * at relative rank x in [0, 1] (0 = most deprived) is
     * sii_intercept + sii_slope * x, drawn across the bars, when
     * sii_slope is not NaN. */
    CSA_CHART_DECILE,
    /* Caterpillar: areas or groups as points with CI whiskers, sorted as
     * given, against a vertical comparator line; each coloured (and
     * shaped) by outcomes[i]. Horizontal layout: labels on the left. */
    CSA_CHART_CATERPILLAR,
    /* Funnel plot: points at (x[i], values[i]), the comparator line, and
     * the limit curves funnel_x[0..nfunnel) with lower/upper 95% and 99.8%
     * limits; points coloured by outcomes[i]. The highlight index (or
     * (size_t)-1) is labelled, and so are the points named[i] ranks
     * (1 first), by labels[i] (its value when NULL): at most
     * CSA_FUNNEL_NAMED of them, each beside its point where it overlaps
     * no other label and stays in the plot (ranks up to 4 x
     * CSA_FUNNEL_NAMED are tried), and the rest counted ("and 3 more
     * outside the 99.8% limits"). */
    CSA_CHART_FUNNEL,
    /* Survey: horizontal bars of weighted proportions (values, in %) with
     * intervals, one per group (labels), optionally under group headings
     * (groups[i]: consecutive equal headings share one). */
    CSA_CHART_SURVEY,
    /* Concentration: the Lorenz curve through (x[i], values[i]), both
     * cumulative shares from 0 to 1, with the line of equality; gini
     * shown in the legend when not NaN. */
    CSA_CHART_LORENZ,
    /* A monthly series over a history (labels), drawn as TREND is, for
     * the parts every line chart may have (below): the assessment period
     * shaded, the same months a year earlier overlaid, a rolling line. */
    CSA_CHART_HISTORY,
    /* A month-of-year profile: twelve months (labels) with a central value
     * each (values), the spread over the years as the band (lower/upper,
     * named by band_label) and a year of interest overlaid. Drawn as TREND
     * is. */
    CSA_CHART_SEASON,
    /* A heat table: n values in rows of heat_columns (row-major), each
     * cell shaded by its value on one light-to-dark scale (readable in
     * greyscale) and labelled with it; rows named by groups[row], columns
     * by labels[column]; a NaN cell is a suppressed count, hatched and
     * marked "*". The legend is the scale. */
    CSA_CHART_HEAT,
    /* A map of the area's shapes (csa/geo.h, British National Grid), each
     * filled by its class (classes[i] of shapes->n; -1: no value, left
     * unshaded and hatched), nclasses of them (2 to 10) on a sequential
     * ramp whose lightness falls with the class (csa_map_colour), the
     * legend listing class_labels from the highest class down and
     * no_value_label (NULL: no such entry) under them. */
    CSA_CHART_CHOROPLETH,
    /* A density surface (density) over the area, its in-area cells filled
     * by classes[] (one per cell of the grid, -1: none, not drawn) on the
     * hotspot ramp, the shapes' outlines over it. */
    CSA_CHART_HOTSPOT,
} csa_chart_kind;

/* The most points a FUNNEL chart names. */
enum { CSA_FUNNEL_NAMED = 5 };

struct csa_shapes;
struct csa_density;

typedef struct csa_chart {
    csa_chart_kind kind;
    const char *title;
    const char *subtitle;       /* or NULL */
    const char *x_label, *y_label; /* with units, e.g. "Rate per 1,000 residents" */
    const char *source;         /* source line, e.g. "Source: police.uk, Oct-Dec 2018" */
    const char *missing_label;  /* what a value that is NaN is called, in lower case:
                                   "suppressed"; NULL: "no data" */

    size_t n;
    const char *const *labels;  /* n category or period labels; LORENZ: unused; FUNNEL:
                                 * optional, names the highlighted point */
    const double *values;       /* n; NaN is missing */
    const double *lower, *upper; /* n each, or NULL: no band or whiskers */
    const double *x;            /* FUNNEL: denominators; LORENZ: cumulative x share */
    const csa_outcome *outcomes; /* CATERPILLAR, FUNNEL: n, or NULL (all not compared) */
    const unsigned *flags;      /* SPC: n rule masks (CSA_SPC_* bits), or NULL */
    const unsigned *named;      /* FUNNEL: n ranks of the points to name (0: not one), or NULL */
    const char *const *groups;  /* SURVEY: n headings, or NULL; HEAT: the rows' names */
    size_t heat_columns;        /* HEAT: cells a row */
    size_t highlight;           /* FUNNEL, CATERPILLAR: index to label (ringed, or in
                                 * bold on a shaded row), or (size_t)-1 */

    double comparator;          /* TREND, CATERPILLAR, FUNNEL: value, or NaN for none */
    const char *comparator_label; /* "England", ... */

    double spc_centre, spc_lower, spc_upper; /* SPC: NaN limits are not drawn */

    double sii_intercept, sii_slope; /* DECILE */

    size_t nfunnel;             /* FUNNEL */
    const double *funnel_x, *funnel_lo95, *funnel_hi95, *funnel_lo998, *funnel_hi998;

    double gini;                /* LORENZ */

    /* Line charts (TREND, SPC, HISTORY, SEASON), all optional: */
    const char *series_label;   /* the series in the legend; NULL: y_label */
    const char *band_label;     /* the band in the legend; NULL: "Confidence interval" */
    /* categories shade_first .. shade_first + shade_n - 1 shaded as one
     * stretch behind the data (shade_n 0: none), named shade_label */
    size_t shade_first, shade_n;
    const char *shade_label;
    /* n values drawn as a second line, dashed, with triangles (NaN: no
     * point there, and no "no data" mark: the main series carries those),
     * named overlay_label; or NULL */
    const double *overlay;
    const char *overlay_label;
    /* n values drawn as a plain thick line behind the series (a rolling
     * figure), named rolling_label; or NULL */
    const double *rolling;
    const char *rolling_label;

    /* Maps (CHOROPLETH, HOTSPOT), all borrowed. Every map has a scale bar,
     * a north arrow, the attribution line and the source line; y_label
     * heads the legend, note (or NULL) is a line under the subtitle. */
    const struct csa_shapes *shapes;
    const struct csa_density *density; /* HOTSPOT */
    const int *classes;
    int nclasses;
    const char *const *class_labels;  /* nclasses */
    const char *no_value_label;
    const char *note;
    const char *attribution; /* maps: the boundaries' licence; NULL: CSA_MAP_ATTRIBUTION */

    /* The file name stem of its PNG and SVG in `csa run`'s outputs, or
     * NULL: the indicator's name and the kind. */
    const char *name;

    /* Where csa_chart_files keeps the PNG and SVG it wrote of the chart,
     * for the workbook and the web page to use again rather than draw the
     * chart twice more (a map costs tens of milliseconds a drawing); NULL:
     * nothing kept. Set by whoever makes the chart, zeroed; the bytes are
     * then theirs to free (csa_chart_kept_free). */
    struct csa_chart_kept *kept;

    /* The SVG file csa_chart_files wrote of it (svg_file_width x
     * svg_file_height points), for the web page to read rather than draw
     * the chart again when it wants that size; NULL: none. Set by whoever
     * writes the files, and set back to NULL before the path goes (csa
     * run: a staged file, named until its outputs are committed). */
    const char *svg_file;
    double svg_file_width, svg_file_height;
} csa_chart;

/* A chart's PNG (png_size bytes of png_width x png_height pixels) and
 * SVG (svg_len bytes, NUL-terminated, of svg_width x svg_height points) as
 * csa_chart_files wrote them; NULL when not written. */
typedef struct csa_chart_kept {
    char *png;
    size_t png_size;
    int png_width, png_height;
    char *svg;
    size_t svg_len;
    double svg_width, svg_height;
} csa_chart_kept;

/* The size in points the web page draws its charts at (about the pack's
 * 499 points across, so that their text, scaled with the chart, stays as
 * large against it as on paper): a kept SVG of this size is the page's. */
#define CSA_WEB_CHART_WIDTH 500.0
#define CSA_WEB_CHART_HEIGHT 340.0

/* Frees what k holds (not k) and zeroes it. */
void csa_chart_kept_free(csa_chart_kept *k);

/* The attribution every map carries (the boundaries' and the
 * population's licence). */
#define CSA_MAP_ATTRIBUTION \
    "Contains OS data \u00a9 Crown copyright and database right; ONS data, Open Government Licence"

/* The fill of class c of k (2 to 10) on a map of `kind`, as 0xRRGGBB:
 * CHOROPLETH, viridis from light (class 0) to dark (class k - 1), its
 * lightness falling monotonically so the classes read in greyscale and
 * for colour-blind readers; HOTSPOT, ColorBrewer's YlOrRd likewise. The
 * fill of a shape with no value is CSA_MAP_NO_VALUE (with hatching). */
unsigned csa_map_colour(csa_chart_kind kind, int k, int c);
#define CSA_MAP_NO_VALUE 0xf2f2f2u

/* A chart with every optional part off: NaN comparator, limits, SII and
 * gini; highlight (size_t)-1. Set kind, titles and data on it. */
csa_chart csa_chart_init(csa_chart_kind kind);

/* Draws the chart into the rectangle (x, y, width, height) of cr, in
 * cairo user units (points on a PDF page, pixels on an image). Leaves cr's
 * state as it found it, and paints nothing outside the rectangle (which it
 * fills white). Inconsistent data (n > 0 with NULL values or labels, only
 * one of lower and upper, lower > upper, an outcome or highlight out of
 * range, a LORENZ share outside [0, 1] or NaN, a FUNNEL with no x or a
 * missing limit line, a shaded stretch beyond the n categories, an overlay
 * or rolling line on a chart that is not a line chart) is CSA_ERR_USAGE, as is a rectangle under 50 units
 * either way; n == 0 draws the axes and "No data". */
csa_status csa_chart_draw(cairo_t *cr, const csa_chart *c, double x, double y,
                          double width, double height, csa_error *err);

/* Where csa_chart_draw puts the plot area of c drawn into the same
 * rectangle of cr (text is measured with cr's font options, so pass a cr on
 * the same kind of surface): for tests and for placing things on a page
 * against a chart. Category (or, across, row) i is centred in slot i of
 * `slots` equal slots over the plot area; SURVEY headings take a slot each,
 * before the first row under them. */
typedef struct csa_chart_geometry {
    double left, top, right, bottom; /* the plot area, in cr's user units */
    double value_lo, value_hi;  /* the value axis: bottom to top, or left to right
                                 * for CATERPILLAR and SURVEY */
    double x_lo, x_hi;          /* FUNNEL, LORENZ: the horizontal axis, left to right */
    size_t slots;
} csa_chart_geometry;

csa_status csa_chart_layout(cairo_t *cr, const csa_chart *c, double x, double y,
                            double width, double height, csa_chart_geometry *out,
                            csa_error *err);

/* The chart as a PNG image of width x height pixels (100 to 10000 each
 * way), written to path. */
csa_status csa_chart_png(const csa_chart *c, int width, int height, const char *path,
                         csa_error *err);

/* The chart as a PNG image in memory: *data (malloc'd, the caller's) of
 * *size bytes. */
csa_status csa_chart_png_memory(const csa_chart *c, int width, int height, char **data,
                                size_t *size, csa_error *err);

/* The chart as an SVG 1.2 document of width x height points (100 to 10000
 * each way), written to path. The same chart gives the same bytes. */
csa_status csa_chart_svg(const csa_chart *c, double width, double height, const char *path,
                         csa_error *err);

/* The same SVG document in memory: *out (NUL-terminated, *len bytes
 * before the NUL) is the caller's to free; NULL on error. */
csa_status csa_chart_svg_memory(const csa_chart *c, double width, double height, char **out,
                                size_t *len, csa_error *err);

/* A chart to be written as a PNG and an SVG (the sizes as above). */
typedef struct csa_chart_file {
    const csa_chart *chart;
    int png_width, png_height;
    const char *png_path;
    double svg_width, svg_height;
    const char *svg_path;
} csa_chart_file;

/* Writes the charts of files[0..n), each as its PNG and its SVG, on two
 * threads (on one when a second cannot be started); a chart with an empty
 * `kept` keeps both there (one that holds some already is drawn again and
 * keeps nothing more). On failure, the error
 * of the first chart in the list that failed; the files of the others may
 * be written or not. */
csa_status csa_chart_files(const csa_chart_file *files, size_t n, csa_error *err);

#endif
