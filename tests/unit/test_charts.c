/* Charts: every kind drawn to PNG and SVG from fixed data, edge cases
 * included; pixels checked where the chart's own layout (csa_chart_layout)
 * says a mark must be, SVGs by structure and by being the same bytes twice.
 * With CSA_CHARTS_OUT set to a folder, the files are kept there to look at. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <cairo.h>
#include <cairo-svg.h>

#include "csa/chart.h"
#include "csa/present.h"
#include "csa/trend.h"
#include "slurp.h"

enum { W = 1200, H = 750 };
#define SVG_W 720.0
#define SVG_H 450.0

/* colours as the PNG stores them */
#define SERIES 0x1f4e79u
#define BAND 0xc6d6e8u
#define WHITE 0xffffffu
#define AXIS 0x404040u
#define RULE 0xe69f00u
#define SII 0xd55e00u
#define WORSE 0xd55e00u
#define BETTER 0x00704fu
#define SIMILAR 0xf0e442u
#define HIGHLIGHT_ROW 0xebebebu

#define SHADE 0xe8e8e8u
#define OVERLAY 0xd55e00u
#define ROLLING 0x56b4e9u
#define ROLLING_V 1600.0

static char dir[4096];
static int keep;

/* ---- data ---- */

static const double DEC_V[10] = {38.5, 31.2, 24.0, 20.3, 17.9, 15.1, 12.6, 11.0, 0, NAN};
static const double DEC_LO[10] = {35.3, 28.6, 21.8, 18.2, 15.9, 13.2, 10.9, 9.4, 0, NAN};
static const double DEC_HI[10] = {41.8, 34.0, 26.4, 22.6, 20.1, 17.2, 14.5, 12.8, 3.7, NAN};

static const char *const PERIODS[6] = {"2013/14 - 15/16", "2014/15 - 16/17", "2015/16 - 17/18",
                                       "2016/17 - 18/19", "2017/18 - 19/20", "2018/19 - 20/21"};
static const double TREND_V[6] = {44.8, 43.1, NAN, 41.0, 40.1, 46.0};
static const double TREND_LO[6] = {30.1, 28.5, NAN, 26.5, 25.6, 31.0};
static const double TREND_HI[6] = {59.9, 58.1, NAN, 55.9, 55.0, 61.0};

static const char *const ONE[1] = {"2018"};
static const double ONE_V[1] = {12.5}, ONE_LO[1] = {10.1}, ONE_HI[1] = {15.2};

static const unsigned SPC_FLAGS[24] = {0, 0, 0, 0, 0, 0, 0, CSA_SPC_OUTSIDE, 0, 0, 0, 0,
                                       0, 0, 0, 0, 0, CSA_SPC_SHIFT, CSA_SPC_SHIFT,
                                       CSA_SPC_SHIFT, 0, 0, 0, CSA_SPC_TREND};
static const double SPC_V[24] = {402, 388, 431, 415, 446, 470, 412, 560, 455, 497, 501, 440,
                                 420, 398, 410, NAN, 450, 480, 490, 470, 441, 430, 462, 520};

static const char *const AREAS[8] = {
    "Milton Keynes", "Bedford", "Swindon", "Peterborough",
    "A council with a very long name that will not fit on one line of a chart label",
    "Luton", "Central Bedfordshire", "Northampton"};
static const double AREA_V[8] = {40.1, 47.9, 44.2, 61.3, 31.0, NAN, 45.5, 0};
static const double AREA_LO[8] = {35.6, 42.0, 39.1, 55.9, 28.2, NAN, 40.0, 0};
static const double AREA_HI[8] = {45.0, 54.3, 49.7, 67.1, 34.3, NAN, 51.2, 4.1};
static const csa_outcome AREA_OUT[8] = {CSA_SIMILAR, CSA_SIMILAR, CSA_SIMILAR, CSA_WORSE,
                                        CSA_BETTER, CSA_NOT_COMPARED, CSA_HIGHER, CSA_LOWER};

static const char *const GROUPS[7] = {"Female", "Male", "16-34", "35-64", "65+",
                                      "Prefer not to say or answered in some other way", "All"};
static const char *const HEADS[7] = {"Sex", "Sex", "Age", "Age", "Age", "Age", NULL};
static const double SURVEY_V[7] = {48.2, 67.5, 61.0, 58.3, 0, NAN, 57.7};
static const double SURVEY_LO[7] = {44.1, 63.4, 55.2, 54.0, 0, NAN, 54.4};
static const double SURVEY_HI[7] = {52.3, 71.3, 66.5, 62.5, 9.1, NAN, 60.9};

static const double FUNNEL_X[7] = {900, 1200, 1500, 1800, 2400, 3100, 2000};
static const double FUNNEL_Y[7] = {12.2, 30.0, 8.7, 14.4, 4.0, 11.0, NAN};
static const csa_outcome FUNNEL_OUT[7] = {CSA_SIMILAR, CSA_WORSE, CSA_SIMILAR, CSA_SIMILAR,
                                          CSA_BETTER, CSA_SIMILAR, CSA_NOT_COMPARED};
static const double FL_X[4] = {800, 1500, 2300, 3200};
static const double FL_LO95[4] = {5.4, 6.8, 7.6, 8.1};
static const double FL_HI95[4] = {18.4, 16.0, 14.9, 14.2};
static const double FL_LO998[4] = {3.0, 5.0, 6.2, 6.9};
static const double FL_HI998[4] = {23.0, 19.0, 17.1, 16.1};

static const double LORENZ_X[6] = {0, 0.1, 0.25, 0.5, 0.75, 1};
static const double LORENZ_Y[6] = {0, 0.31, 0.52, 0.74, 0.90, 1};

/* many categories: 60 months, 150 areas, 64 bars with long names */
enum { MONTHS = 60, MANY = 150, BARS = 64 };
static char month_buf[MONTHS][16], many_buf[MANY][48], bar_buf[BARS][64];
static const char *month_label[MONTHS], *many_label[MANY], *bar_label[BARS];
static double month_v[MONTHS], month_lo[MONTHS], month_hi[MONTHS];
static double many_v[MANY], many_lo[MANY], many_hi[MANY];
static csa_outcome many_out[MANY];
static double bar_v[BARS];

static void make_many(void)
{
    static const char *const mon[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int i = 0; i < MONTHS; i++) {
        snprintf(month_buf[i], sizeof month_buf[i], "%s %d", mon[i % 12], 2019 + i / 12);
        month_label[i] = month_buf[i];
        month_v[i] = i == 30 || i == 31 ? NAN : 1200 + 400 * sin(i / 3.0) + 13 * i;
        month_lo[i] = month_v[i] - 90, month_hi[i] = month_v[i] + 95;
    }
    for (int i = 0; i < MANY; i++) {
        snprintf(many_buf[i], sizeof many_buf[i], "E01%06d %s", 12000 + 37 * i,
                 i % 10 == 3 ? "Stantonbury and Great Linford North" : "Bletchley");
        many_label[i] = many_buf[i];
        many_v[i] = i == 77 ? NAN : 5 + i * 0.3 + 4 * cos(i);
        many_lo[i] = many_v[i] - 3, many_hi[i] = many_v[i] + 3.5;
        many_out[i] = i % 7 == 0 ? CSA_WORSE : i % 11 == 0 ? CSA_BETTER : CSA_SIMILAR;
    }
    for (int i = 0; i < BARS; i++) {
        snprintf(bar_buf[i], sizeof bar_buf[i], "Category number %d with a long name", i + 1);
        bar_label[i] = bar_buf[i];
        bar_v[i] = i % 9 == 4 ? NAN : i % 13 == 0 ? 0 : 1000 + 37.5 * i;
    }
}

static void texts(csa_chart *c, const char *title, const char *x, const char *y)
{
    c->title = title;
    c->subtitle = "Milton Keynes, January to December 2018";
    c->x_label = x;
    c->y_label = y;
    c->source = "Source: synthetic data for the csa unit tests";
}

static csa_chart decile(void)
{
    csa_chart c = csa_chart_init(CSA_CHART_DECILE);
    texts(&c, "Violence against the person by deprivation", "IMD 2019 decile",
          "Crimes per 1,000 residents");
    c.n = 10, c.labels = csa_decile_labels(), c.values = DEC_V, c.lower = DEC_LO, c.upper = DEC_HI;
    c.sii_intercept = 36.0, c.sii_slope = -34.0;
    return c;
}

static csa_chart trend(void)
{
    csa_chart c = csa_chart_init(CSA_CHART_TREND);
    texts(&c, "Hospital admissions for violence", "Three-year period",
          "Directly standardised rate per 100,000");
    c.n = 6, c.labels = PERIODS, c.values = TREND_V, c.lower = TREND_LO, c.upper = TREND_HI;
    c.comparator = 38.0, c.comparator_label = "England";
    return c;
}

static csa_chart spc(void)
{
    csa_chart c = csa_chart_init(CSA_CHART_SPC);
    texts(&c, "Violence against the person by month", "Month", "Crimes");
    c.n = 24, c.labels = month_label, c.values = SPC_V, c.flags = SPC_FLAGS;
    c.spc_centre = 450.2, c.spc_lower = 386.6, c.spc_upper = 513.8;
    return c;
}

static csa_chart caterpillar(void)
{
    csa_chart c = csa_chart_init(CSA_CHART_CATERPILLAR);
    texts(&c, "Hospital admissions for violence by area, 2018/19 - 20/21",
          "Directly standardised rate per 100,000", "Area");
    c.n = 8, c.labels = AREAS, c.values = AREA_V, c.lower = AREA_LO, c.upper = AREA_HI;
    c.outcomes = AREA_OUT, c.highlight = 0, c.comparator = 44.9, c.comparator_label = "England";
    return c;
}

static csa_chart funnel(void)
{
    csa_chart c = csa_chart_init(CSA_CHART_FUNNEL);
    texts(&c, "Violence by neighbourhood against the Milton Keynes rate", "Residents",
          "Crimes per 1,000 residents");
    c.n = 7, c.x = FUNNEL_X, c.values = FUNNEL_Y, c.outcomes = FUNNEL_OUT, c.highlight = 1;
    c.comparator = 11.4, c.comparator_label = "Milton Keynes";
    c.nfunnel = 4, c.funnel_x = FL_X, c.funnel_lo95 = FL_LO95, c.funnel_hi95 = FL_HI95;
    c.funnel_lo998 = FL_LO998, c.funnel_hi998 = FL_HI998;
    return c;
}

static csa_chart survey(void)
{
    csa_chart c = csa_chart_init(CSA_CHART_SURVEY);
    texts(&c, "Feel safe outside after dark", "Weighted % of respondents", "Group");
    c.n = 7, c.labels = GROUPS, c.groups = HEADS, c.values = SURVEY_V;
    c.lower = SURVEY_LO, c.upper = SURVEY_HI;
    return c;
}

static csa_chart lorenz(void)
{
    csa_chart c = csa_chart_init(CSA_CHART_LORENZ);
    texts(&c, "Concentration of violence in neighbourhoods",
          "Cumulative share of LSOAs (most crime first)", "Cumulative share of crimes");
    c.n = 6, c.x = LORENZ_X, c.values = LORENZ_Y, c.gini = 0.41;
    return c;
}

/* 36 months (two missing), the last 12 shaded, the 12 before laid over
 * them, a rolling line from the twelfth month */
static double hist_over[MONTHS], hist_roll[MONTHS];

static csa_chart history(size_t n)
{
    csa_chart c = csa_chart_init(CSA_CHART_HISTORY);
    texts(&c, "Violence over time", "Month", "Crimes per day");
    for (size_t i = 0; i < MONTHS; i++) {
        hist_over[i] = i >= 24 && i < 36 ? month_v[i - 12] : NAN;
        hist_roll[i] = i >= 11 ? ROLLING_V : NAN;
    }
    c.n = n, c.labels = month_label, c.values = month_v;
    c.series_label = "Crimes per day, each month";
    c.shade_first = n > 12 ? n - 12 : 0, c.shade_n = n > 12 ? 12 : n;
    c.shade_label = "Assessment period (2021)";
    c.overlay = hist_over, c.overlay_label = "Same months a year earlier";
    c.rolling = hist_roll, c.rolling_label = "Rolling 12 months";
    return c;
}

static const char *const SEASON_L[12] = {"Apr", "May", "Jun", "Jul", "Aug", "Sep",
                                         "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"};
static const double SEASON_V[12] = {30, 33, 36, 36.5, 35, 33, 29, 30, 29.5, 30, 30, 29.6};
static const double SEASON_LO[12] = {29, 32, 35, 35.5, 34, 32, 28.5, 29.5, 29, 29.2, 29.4, 29};
static const double SEASON_HI[12] = {31, 34, 37, 37.4, 36.3, 34, 30, 30.8, 30.4, 30.8, 30.9, 30.3};
static const double SEASON_P[12] = {30.8, 32, 37, 35.4, 36.2, 33.3, NAN, 30.8, 29.1, 30.8, NAN, NAN};

static csa_chart season(void)
{
    csa_chart c = csa_chart_init(CSA_CHART_SEASON);
    texts(&c, "Violence by month of the year", "Month of the year", "Crimes per day");
    c.n = 12, c.labels = SEASON_L, c.values = SEASON_V, c.lower = SEASON_LO, c.upper = SEASON_HI;
    c.series_label = "Mean of the 3 years", c.band_label = "Lowest to highest year";
    c.overlay = SEASON_P, c.overlay_label = "Assessment period (2021/22)";
    return c;
}

typedef struct named { const char *name; csa_chart c; } named;

enum { NCASES = 24 };

static size_t all_cases(named *out)
{
    size_t n = 0;
    out[n++] = (named){"decile", decile()};
    out[n++] = (named){"trend", trend()};
    out[n++] = (named){"spc", spc()};
    out[n++] = (named){"caterpillar", caterpillar()};
    out[n++] = (named){"funnel", funnel()};
    out[n++] = (named){"survey", survey()};
    out[n++] = (named){"lorenz", lorenz()};

    csa_chart c = trend();
    c.title = "One period only", c.n = 1, c.labels = ONE, c.values = ONE_V;
    c.lower = ONE_LO, c.upper = ONE_HI;
    out[n++] = (named){"trend-single", c};
    c = trend();
    c.title = "Sixty months with a two-month gap";
    c.n = MONTHS, c.labels = month_label, c.values = month_v, c.lower = month_lo;
    c.upper = month_hi, c.comparator = NAN;
    out[n++] = (named){"trend-60", c};
    c = caterpillar();
    c.title = "150 neighbourhoods";
    c.n = MANY, c.labels = many_label, c.values = many_v, c.lower = many_lo;
    c.upper = many_hi, c.outcomes = many_out, c.highlight = 40, c.comparator = 40;
    out[n++] = (named){"caterpillar-150", c};
    c = decile();
    c.title = "Sixty-four categories with long names, zeros and gaps";
    c.n = BARS, c.labels = bar_label, c.values = bar_v, c.lower = NULL, c.upper = NULL;
    c.sii_slope = NAN;
    out[n++] = (named){"bars-64", c};
    c = decile();
    static const double zeros[10] = {0};
    c.title = "Every decile zero";
    c.values = zeros, c.lower = NULL, c.upper = NULL, c.sii_slope = NAN;
    out[n++] = (named){"decile-zeros", c};
    c = decile();
    static const double gaps[10] = {NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
    c.title = "No decile has a value";
    c.values = gaps, c.lower = NULL, c.upper = NULL, c.sii_slope = NAN;
    out[n++] = (named){"decile-all-missing", c};

    out[n++] = (named){"history", history(36)};
    out[n++] = (named){"history-13", history(13)};
    out[n++] = (named){"history-3", history(3)};
    out[n++] = (named){"season", season()};

    csa_chart (*makers[7])(void) = {decile, trend, spc, caterpillar, funnel, survey, lorenz};
    static const char *const empty[7] = {"decile-empty", "trend-empty", "spc-empty",
                                         "caterpillar-empty", "funnel-empty", "survey-empty",
                                         "lorenz-empty"};
    for (int k = 0; k < 7; k++) {
        c = makers[k]();
        c.n = 0, c.highlight = (size_t)-1, c.nfunnel = 0;
        out[n++] = (named){empty[k], c};
    }
    assert_true(n <= NCASES);
    return n;
}

/* ---- files and pixels ---- */

static void out_path(char *buf, size_t size, const char *name, const char *ext)
{
    snprintf(buf, size, "%s/%s.%s", dir, name, ext);
}

static size_t count(const char *hay, const char *needle)
{
    size_t k = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        k++;
    return k;
}

/* Renders c to name.png at W x H and loads it back; *g gets the layout. */
static cairo_surface_t *render(const csa_chart *c, const char *name, csa_chart_geometry *g)
{
    char path[4200];
    out_path(path, sizeof path, name, "png");
    csa_error err = {0};
    if (csa_chart_png(c, W, H, path, &err) != CSA_OK)
        fail_msg("%s: %s", name, err.message);
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_image_surface_get_width(s), W);
    assert_int_equal(cairo_image_surface_get_height(s), H);
    cairo_surface_t *m = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    cairo_t *cr = cairo_create(m);
    assert_int_equal(csa_chart_layout(cr, c, 0, 0, W, H, g, &err), CSA_OK);
    cairo_destroy(cr);
    cairo_surface_destroy(m);
    return s;
}

static uint32_t pixel(cairo_surface_t *s, double x, double y)
{
    int ix = (int)floor(x), iy = (int)floor(y);
    assert_true(ix >= 0 && iy >= 0 && ix < cairo_image_surface_get_width(s) &&
                iy < cairo_image_surface_get_height(s));
    const unsigned char *row =
        cairo_image_surface_get_data(s) + (size_t)iy * (size_t)cairo_image_surface_get_stride(s);
    return ((const uint32_t *)(const void *)row)[ix] & 0xffffffu;
}

#define assert_pixel(s, x, y, want)                                                        \
    do {                                                                                   \
        uint32_t got_ = pixel(s, x, y);                                                    \
        if (got_ != (want))                                                                \
            fail_msg("pixel (%d, %d) is #%06x, want #%06x", (int)floor(x), (int)floor(y), \
                     (unsigned)got_, (unsigned)(want));                                    \
    } while (0)

/* How many pixels of the rectangle have colour c. */
static size_t pixels_of(cairo_surface_t *s, double x0, double y0, double x1, double y1,
                        uint32_t c)
{
    size_t k = 0;
    for (int y = (int)floor(y0); y < (int)ceil(y1); y++)
        for (int x = (int)floor(x0); x < (int)ceil(x1); x++)
            k += pixel(s, x, y) == c;
    return k;
}

static double ypos(const csa_chart_geometry *g, double v)
{
    return g->bottom - (v - g->value_lo) / (g->value_hi - g->value_lo) * (g->bottom - g->top);
}

/* across: the value axis of CATERPILLAR and SURVEY, or FUNNEL's x axis */
static double xval(const csa_chart_geometry *g, double lo, double hi, double v)
{
    return g->left + (v - lo) / (hi - lo) * (g->right - g->left);
}

static double slot_centre(const csa_chart_geometry *g, size_t i, int across)
{
    double a = across ? g->top : g->left, b = across ? g->bottom : g->right;
    return a + (b - a) / (double)g->slots * ((double)i + 0.5);
}

/* ---- tests ---- */

/* The PNG's signature and header: width, height, 8-bit RGB. */
static void assert_png_header(const char *data, size_t len, int width, int height)
{
    const unsigned char *u = (const unsigned char *)data;
    assert_true(len > 26 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0);
    assert_memory_equal(u + 12, "IHDR", 4);
    assert_int_equal((u[16] << 24) | (u[17] << 16) | (u[18] << 8) | u[19], width);
    assert_int_equal((u[20] << 24) | (u[21] << 16) | (u[22] << 8) | u[23], height);
    assert_int_equal(u[24], 8);
    assert_int_equal(u[25], 2);
}

/* Every case to PNG (large and small) and SVG: sizes, structure, and the
 * same bytes twice. */
static void every_case_renders(void **state)
{
    (void)state;
    named cases[NCASES];
    size_t n = all_cases(cases);
    for (size_t k = 0; k < n; k++) {
        char png[4200], png2[4200], small[4200], svg[4200], svg2[4200];
        csa_error err = {0};
        out_path(png, sizeof png, cases[k].name, "png");
        out_path(svg, sizeof svg, cases[k].name, "svg");
        snprintf(small, sizeof small, "%s/%s-small.png", dir, cases[k].name);
        snprintf(png2, sizeof png2, "%s/again.png", dir);
        snprintf(svg2, sizeof svg2, "%s/again.svg", dir);
        if (csa_chart_png(&cases[k].c, W, H, png, &err) ||
            csa_chart_png(&cases[k].c, W, H, png2, &err) ||
            csa_chart_png(&cases[k].c, 600, 375, small, &err) ||
            csa_chart_svg(&cases[k].c, SVG_W, SVG_H, svg, &err) ||
            csa_chart_svg(&cases[k].c, SVG_W, SVG_H, svg2, &err))
            fail_msg("%s: %s", cases[k].name, err.message);

        size_t len, len2;
        char *a = slurp(small, &len);
        assert_png_header(a, len, 600, 375);
        free(a);
        a = slurp(png, &len);
        char *b = slurp(png2, &len2);
        assert_png_header(a, len, W, H);
        if (len != len2 || memcmp(a, b, len) != 0)
            fail_msg("%s: two PNG renders differ", cases[k].name);
        free(a);
        free(b);

        a = slurp(svg, &len), b = slurp(svg2, &len2);
        assert_true(strncmp(a, "<?xml", 5) == 0);
        assert_non_null(strstr(a, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert_non_null(strstr(a, "width=\"720pt\" height=\"450pt\" viewBox=\"0 0 720 450\""));
        assert_non_null(strstr(a, "version=\"1.2\""));
        assert_true(len > 20 && strstr(a + len - 10, "</svg>") != NULL);
        if (len != len2 || memcmp(a, b, len) != 0)
            fail_msg("%s: two SVG renders differ", cases[k].name);
        free(a);
        free(b);
    }
}

/* Whether two files hold the same bytes. */
static bool same_bytes(const char *a, const char *b)
{
    size_t la, lb;
    char *x = slurp(a, &la), *y = slurp(b, &lb);
    bool same = x && y && la == lb && memcmp(x, y, la) == 0;
    free(x);
    free(y);
    return same;
}

/* csa_chart_files, as csa run draws its charts (two at a time): every
 * case's PNG and SVG the same bytes as drawn alone, one by one; and the
 * first chart of the list that fails is the error. */
static void files_two_at_a_time(void **state)
{
    (void)state;
    named cases[NCASES];
    size_t n = all_cases(cases);
    csa_chart_file files[NCASES];
    static char paths[NCASES][4][4200];
    enum { PW = 300, PH = 190 }; /* small: the test is of the drawing together, not of size */
    csa_error err = {0};
    for (size_t k = 0; k < n; k++) {
        snprintf(paths[k][0], sizeof paths[k][0], "%s/%s-together.png", dir, cases[k].name);
        snprintf(paths[k][1], sizeof paths[k][1], "%s/%s-together.svg", dir, cases[k].name);
        snprintf(paths[k][2], sizeof paths[k][2], "%s/%s-alone.png", dir, cases[k].name);
        snprintf(paths[k][3], sizeof paths[k][3], "%s/%s-alone.svg", dir, cases[k].name);
        files[k] = (csa_chart_file){&cases[k].c, PW, PH, paths[k][0], PW, PH, paths[k][1]};
        if (csa_chart_png(&cases[k].c, PW, PH, paths[k][2], &err) ||
            csa_chart_svg(&cases[k].c, PW, PH, paths[k][3], &err))
            fail_msg("%s alone: %s", cases[k].name, err.message);
    }
    /* every other chart keeps what it wrote (as csa run's maps do) */
    static csa_chart_kept kept[NCASES];
    for (size_t k = 0; k < n; k += 2)
        cases[k].c.kept = &kept[k];
    assert_int_equal(csa_chart_files(files, 0, &err), CSA_OK);
    for (int round = 0; round < 2; round++) {
        if (csa_chart_files(files, n, &err))
            fail_msg("together: %s", err.message);
        for (size_t k = 0; k < n; k++)
            if (!same_bytes(paths[k][0], paths[k][2]) || !same_bytes(paths[k][1], paths[k][3]))
                fail_msg("%s: drawn with the others, not the bytes it has alone", cases[k].name);
        /* the kept bytes are the files' (the second round draws again and
         * keeps nothing more: the first round's are still there) */
        for (size_t k = 0; k < n; k += 2) {
            char path[2][4200];
            snprintf(path[0], sizeof path[0], "%s/%s-kept.png", dir, cases[k].name);
            snprintf(path[1], sizeof path[1], "%s/%s-kept.svg", dir, cases[k].name);
            FILE *fp = fopen(path[0], "wb");
            assert_non_null(fp);
            assert_int_equal(fwrite(kept[k].png, 1, kept[k].png_size, fp), kept[k].png_size);
            fclose(fp);
            assert_non_null(fp = fopen(path[1], "wb"));
            assert_int_equal(fwrite(kept[k].svg, 1, kept[k].svg_len, fp), kept[k].svg_len);
            fclose(fp);
            assert_int_equal(kept[k].svg[kept[k].svg_len], '\0');
            assert_int_equal(kept[k].png_width, PW);
            assert_true(kept[k].svg_height == PH);
            if (!same_bytes(path[0], paths[k][2]) || !same_bytes(path[1], paths[k][3]))
                fail_msg("%s: what it kept is not what it wrote", cases[k].name);
        }
    }
    for (size_t k = 0; k < n; k += 2) {
        csa_chart_kept_free(&kept[k]);
        assert_null(kept[k].png);
        cases[k].c.kept = NULL;
    }

    /* the second and third cannot be written: the second is the error,
     * whichever thread gets to which first */
    files[1].png_path = "/nonexistent-csa-dir/second.png";
    files[2].svg_path = "/nonexistent-csa-dir/third.svg";
    assert_int_equal(csa_chart_files(files, 3, &err), CSA_ERR_IO);
    assert_string_equal(err.file, "/nonexistent-csa-dir/second.png");
}

/* Bars where the layout puts them, a real zero drawn, a gap left empty, the
 * zero line dark, the SII line over them, white outside. */
static void decile_pixels(void **state)
{
    (void)state;
    csa_chart c = decile();
    c.sii_intercept = 30, c.sii_slope = 0; /* flat, so its pixels are exact */
    csa_chart_geometry g;
    cairo_surface_t *s = render(&c, "decile-pixels", &g);
    assert_int_equal(g.slots, 10);
    assert_true(g.value_lo == 0);            /* bars start at zero */
    assert_true(g.value_hi == 50);           /* 41.8 plus headroom, to a step of 10 */
    double slot = (g.right - g.left) / 10;
    for (size_t i = 0; i < 8; i++) {
        /* inside the bar, off its whisker, between the SII line and zero */
        double x = slot_centre(&g, i, 0) - slot * 0.25;
        double top = ypos(&g, DEC_V[i]), bottom = ypos(&g, 0);
        double y = DEC_V[i] > 30 ? (ypos(&g, 30) + bottom) / 2 : (top + bottom) / 2;
        assert_pixel(s, x, y, SERIES);
        /* and no taller than its value */
        assert_int_not_equal(pixel(s, x, top - 4), SERIES);
    }
    /* the zero of decile 9 is a thin bar on the axis, not nothing */
    double x9 = slot_centre(&g, 8, 0) - slot * 0.25;
    assert_pixel(s, x9, floor(g.bottom) - 2, SERIES);
    /* decile 10 is missing: no bar colour anywhere in its slot */
    double x10 = slot_centre(&g, 9, 0);
    assert_int_equal(pixels_of(s, x10 - slot * 0.4, g.top, x10 + slot * 0.4, g.bottom, SERIES), 0);
    /* the zero line */
    assert_pixel(s, slot_centre(&g, 4, 0) + slot * 0.45, floor(g.bottom), AXIS);
    /* the SII line, crossing the gap between two bars */
    assert_pixel(s, g.left + (g.right - g.left) * 0.5, ypos(&g, 30), SII);
    /* margins */
    assert_pixel(s, 2, 2, WHITE);
    assert_pixel(s, W - 3, H / 2, WHITE);
    assert_pixel(s, g.right + 4, (g.top + g.bottom) / 2, WHITE);
    cairo_surface_destroy(s);
}

/* Rows in order, outcome colours at the values, the highlighted row shaded,
 * the comparator line, a missing row with no point. */
static void caterpillar_pixels(void **state)
{
    (void)state;
    csa_chart c = caterpillar();
    csa_chart_geometry g;
    cairo_surface_t *s = render(&c, "caterpillar-pixels", &g);
    assert_int_equal(g.slots, 8);
    assert_true(g.value_lo <= 0 && g.value_hi >= 67.1);
    static const uint32_t fill[8] = {SIMILAR, SIMILAR, SIMILAR, WORSE, BETTER, 0, 0x56b4e9u,
                                     0x0072b2u};
    for (size_t i = 0; i < 8; i++) {
        if (i == 5)
            continue;
        double x = xval(&g, g.value_lo, g.value_hi, AREA_V[i]), y = slot_centre(&g, i, 1);
        assert_pixel(s, x, y, fill[i]);
    }
    /* highlighted row 0 is shaded away from its marks; row 1 is not */
    double x = xval(&g, g.value_lo, g.value_hi, 62);
    assert_pixel(s, x, slot_centre(&g, 0, 1), HIGHLIGHT_ROW);
    assert_pixel(s, x, slot_centre(&g, 1, 1), WHITE);
    /* the comparator line is black at its value, between rows */
    double cx = xval(&g, g.value_lo, g.value_hi, 44.9);
    assert_int_not_equal(pixels_of(s, cx - 1, (g.top + g.bottom) / 2 - 1, cx + 1,
                                   (g.top + g.bottom) / 2 + 1, 0x000000u), 0);
    /* row 5 is missing: nothing of any outcome colour in its row */
    double y5 = slot_centre(&g, 5, 1), half = (g.bottom - g.top) / 16 * 0.4;
    for (size_t k = 0; k < 8; k++)
        if (fill[k])
            assert_int_equal(pixels_of(s, g.left + 20, y5 - half, g.right, y5 + half, fill[k]), 0);
    cairo_surface_destroy(s);
}

/* Headings take a row each; bars from zero with their value's length. */
static void survey_pixels(void **state)
{
    (void)state;
    csa_chart c = survey();
    csa_chart_geometry g;
    cairo_surface_t *s = render(&c, "survey-pixels", &g);
    assert_int_equal(g.slots, 9); /* 7 rows and the headings Sex and Age */
    assert_true(g.value_lo == 0 && g.value_hi >= 71.3);
    static const size_t row[7] = {1, 2, 4, 5, 6, 7, 8};
    for (size_t i = 0; i < 7; i++) {
        double y = slot_centre(&g, row[i], 1);
        double end = xval(&g, 0, g.value_hi, SURVEY_V[i]);
        if (SURVEY_V[i] > 0) {
            assert_pixel(s, xval(&g, 0, g.value_hi, SURVEY_V[i] * 0.4), y, SERIES);
            /* the bar ends at its value */
            assert_pixel(s, end - 2, y + 3, SERIES);
            assert_int_not_equal(pixel(s, end + 2, y + 3), SERIES);
        } else {
            /* zero and missing: no bar beyond the first few pixels */
            assert_int_equal(pixels_of(s, g.left + 8, y - 2, g.right, y + 2, SERIES), 0);
        }
    }
    /* heading rows hold no bar */
    assert_int_equal(pixels_of(s, g.left + 2, slot_centre(&g, 0, 1) - 3, g.right,
                               slot_centre(&g, 0, 1) + 3, SERIES), 0);
    cairo_surface_destroy(s);
}

/* The band around the line, the comparator, and a gap where a period is
 * missing (no line drawn through it). */
static void trend_pixels(void **state)
{
    (void)state;
    csa_chart c = trend();
    csa_chart_geometry g;
    cairo_surface_t *s = render(&c, "trend-pixels", &g);
    assert_int_equal(g.slots, 6);
    assert_true(g.value_lo <= 25.6 && g.value_hi >= 61.0);
    double x0 = slot_centre(&g, 0, 0);
    assert_pixel(s, x0, ypos(&g, 44.8), SERIES);
    /* inside the band, not on its left edge */
    assert_pixel(s, x0 + 3, ypos(&g, 55), BAND);
    assert_pixel(s, x0 + 3, ypos(&g, 33), BAND);
    assert_pixel(s, x0, ypos(&g, 62.5) < g.top ? g.top + 2 : ypos(&g, 62.5), WHITE);
    /* period 2 is missing: where 1 -> 3 would cross it there is no line */
    double xm = slot_centre(&g, 2, 0), ym = ypos(&g, (43.1 + 41.0) / 2);
    assert_int_equal(pixels_of(s, xm - 2, ym - 15, xm + 2, ym + 15, SERIES), 0);
    /* nor band */
    assert_int_equal(pixels_of(s, xm - 2, ypos(&g, 55), xm + 2, ypos(&g, 30), BAND), 0);
    /* the comparator line (dashed, black) somewhere along its value */
    double yc = ypos(&g, 38.0);
    assert_true(pixels_of(s, g.left, yc - 1, g.right, yc + 1, 0x000000u) > 100);
    cairo_surface_destroy(s);
}

/* Rule-breaking points stand out in their own colour; others do not. */
static void spc_pixels(void **state)
{
    (void)state;
    csa_chart c = spc();
    csa_chart_geometry g;
    cairo_surface_t *s = render(&c, "spc-pixels", &g);
    assert_int_equal(g.slots, 24);
    for (size_t i = 0; i < 24; i++) {
        if (isnan(SPC_V[i]))
            continue;
        uint32_t want = SPC_FLAGS[i] ? RULE : SERIES;
        assert_pixel(s, slot_centre(&g, i, 0), ypos(&g, SPC_V[i]), want);
    }
    /* orange only at the 5 flagged points (and the legend's one) */
    size_t n = pixels_of(s, 0, 0, W, H, RULE);
    assert_true(n > 5 * 20 && n < 7 * 400);
    cairo_surface_destroy(s);
}

/* The shaded period behind the data, the overlay's triangles at its
 * values, the rolling line drawn, and the series' gap where months are
 * missing; the profile's band and overlay. */
static void history_pixels(void **state)
{
    (void)state;
    csa_chart c = history(36);
    csa_chart_geometry g;
    cairo_surface_t *s = render(&c, "history-pixels", &g);
    assert_int_equal(g.slots, 36);
    double slot = (g.right - g.left) / 36;
    /* shaded from the slot edge of month 24 to the right, white before */
    assert_pixel(s, g.left + slot * 24 + 2, g.top + 3, SHADE);
    assert_pixel(s, g.right - 2, g.top + 3, SHADE);
    assert_pixel(s, g.left + slot * 24 - 2, g.top + 3, WHITE);
    assert_pixel(s, g.left + slot * 10, g.top + 3, WHITE);
    /* the overlay's triangles at last year's values, over the period only */
    for (size_t i = 24; i < 36; i++)
        if (!isnan(hist_over[i]))
            assert_pixel(s, slot_centre(&g, i, 0), ypos(&g, hist_over[i]) + 1, OVERLAY);
    assert_int_equal(pixels_of(s, g.left, g.top, g.left + slot * 23.5, g.bottom, OVERLAY), 0);
    /* the rolling line: a thick light line across months 11 to 35 */
    assert_true(pixels_of(s, g.left + slot * 11, g.top, g.right, g.bottom, ROLLING) > 1000);
    assert_int_equal(pixels_of(s, g.left, g.top, g.left + slot * 10.4, g.bottom, ROLLING), 0);
    /* months 30 and 31 are missing: no series line between 29 and 32 */
    double xm = (slot_centre(&g, 30, 0) + slot_centre(&g, 31, 0)) / 2;
    assert_int_equal(pixels_of(s, xm - 1, g.top, xm + 1, g.bottom, SERIES), 0);
    cairo_surface_destroy(s);
    /* 12 months: the one rolling value is a short stroke at its slot */
    c = history(12);
    s = render(&c, "history-12-pixels", &g);
    assert_pixel(s, slot_centre(&g, 11, 0) + (g.right - g.left) / 12 * 0.2, ypos(&g, ROLLING_V),
                 ROLLING);
    cairo_surface_destroy(s);

    c = season();
    s = render(&c, "season-pixels", &g);
    assert_int_equal(g.slots, 12);
    /* the band between lowest and highest, beside the mean's point */
    double x0 = slot_centre(&g, 0, 0);
    assert_pixel(s, x0 + 4, ypos(&g, 29.4), BAND);
    assert_pixel(s, x0, ypos(&g, SEASON_V[0]), SERIES);
    assert_pixel(s, slot_centre(&g, 2, 0), ypos(&g, SEASON_P[2]) + 1, OVERLAY);
    /* October's period month is missing: no triangle there */
    double x6 = slot_centre(&g, 6, 0);
    assert_int_equal(pixels_of(s, x6 - 4, g.top, x6 + 4, g.bottom, OVERLAY), 0);
    cairo_surface_destroy(s);
}

static void funnel_lorenz_pixels(void **state)
{
    (void)state;
    csa_chart c = funnel();
    csa_chart_geometry g;
    cairo_surface_t *s = render(&c, "funnel-pixels", &g);
    assert_true(g.x_lo <= 800 && g.x_hi >= 3200);
    assert_true(g.value_lo <= 3.0 && g.value_hi >= 30);
    double x = xval(&g, g.x_lo, g.x_hi, 1200), y = ypos(&g, 30);
    assert_pixel(s, x, y, WORSE);
    assert_pixel(s, xval(&g, g.x_lo, g.x_hi, 2400), ypos(&g, 4.0), BETTER);
    assert_pixel(s, xval(&g, g.x_lo, g.x_hi, 900), ypos(&g, 12.2), SIMILAR);
    cairo_surface_destroy(s);

    c = lorenz();
    s = render(&c, "lorenz-pixels", &g);
    assert_true(g.x_lo == 0 && g.x_hi == 1 && g.value_lo == 0 && g.value_hi == 1);
    assert_pixel(s, xval(&g, 0, 1, 0.5), ypos(&g, 0.74), SERIES);
    assert_pixel(s, xval(&g, 0, 1, 0.75), ypos(&g, 0.90), SERIES);
    /* under the curve and above the line of equality: background */
    assert_pixel(s, xval(&g, 0, 1, 0.5), ypos(&g, 0.62), WHITE);
    cairo_surface_destroy(s);
}

/* n == 0 and all-missing: axes and a "No data" message, no bars. */
static void no_data(void **state)
{
    (void)state;
    named cases[NCASES];
    size_t n = all_cases(cases);
    for (size_t k = 0; k < n; k++) {
        if (!strstr(cases[k].name, "-empty") && !strstr(cases[k].name, "all-missing"))
            continue;
        csa_chart_geometry g;
        cairo_surface_t *s = render(&cases[k].c, cases[k].name, &g);
        double cy = (g.top + g.bottom) / 2;
        size_t ink = 0;
        for (int y = (int)(cy - 20); y < (int)(cy + 20); y++)
            for (int x = (int)g.left; x < (int)g.right; x++)
                ink += pixel(s, x, y) < 0x808080u;
        if (ink < 50)
            fail_msg("%s: no \"No data\" text in the plot", cases[k].name);
        assert_int_equal(pixels_of(s, g.left, g.top, g.right, g.bottom, SERIES), 0);
        assert_pixel(s, (g.left + g.right) / 2, floor(g.bottom), AXIS);
        cairo_surface_destroy(s);
    }
}

/* 150 rows: labels thinned so that none touches another. Each label is a
 * run of inked pixel rows in the label column; overprinted ones would merge
 * into runs taller than a line. */
static void many_rows_do_not_overlap(void **state)
{
    (void)state;
    named cases[NCASES];
    all_cases(cases);
    csa_chart_geometry g;
    cairo_surface_t *s = render(&cases[9].c, "caterpillar-150-rows", &g);
    assert_int_equal(g.slots, MANY);
    size_t runs = 0;
    int run = 0, tallest = 0;
    for (int y = (int)g.top - 8; y < (int)g.bottom + 8; y++) {
        int inked = 0;
        for (int x = 60; x < (int)g.left - 8 && !inked; x++)
            inked = pixel(s, x, y) < 0xa0a0a0u;
        if (inked) {
            run++;
        } else if (run) {
            runs++;
            tallest = run > tallest ? run : tallest;
            run = 0;
        }
    }
    if (runs < 25 || tallest > 14)
        fail_msg("%zu label runs, tallest %d px", runs, tallest);
    cairo_surface_destroy(s);
}

/* Drawing into part of a bigger surface: nothing outside the rectangle is
 * touched, the plot sits where the layout says, cr's state is kept. */
static void draws_in_its_rectangle(void **state)
{
    (void)state;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1000, 800);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 0, 0);
    cairo_paint(cr);
    cairo_set_line_width(cr, 7);
    cairo_translate(cr, 10, 0);
    csa_chart c = decile();
    csa_error err = {0};
    csa_chart_geometry g;
    assert_int_equal(csa_chart_layout(cr, &c, 90, 100, 600, 400, &g, &err), CSA_OK);
    assert_int_equal(csa_chart_draw(cr, &c, 90, 100, 600, 400, &err), CSA_OK);
    assert_true(cairo_get_line_width(cr) == 7);
    double mx, my;
    cairo_matrix_t mat;
    cairo_get_matrix(cr, &mat);
    mx = mat.x0, my = mat.y0;
    assert_true(mx == 10 && my == 0);
    double r, gr, b, a;
    assert_int_equal(cairo_pattern_get_rgba(cairo_get_source(cr), &r, &gr, &b, &a),
                     CAIRO_STATUS_SUCCESS);
    assert_true(r == 1 && gr == 0 && b == 0);
    cairo_surface_flush(s);
    /* the rectangle is (100, 100) to (700, 500) on the surface */
    assert_pixel(s, 99, 300, 0xff0000u);
    assert_pixel(s, 700, 300, 0xff0000u);
    assert_pixel(s, 400, 99, 0xff0000u);
    assert_pixel(s, 400, 500, 0xff0000u);
    assert_pixel(s, 101, 101, WHITE);
    assert_true(g.left > 100 && g.right < 700 && g.top > 100 && g.bottom < 500);
    /* the first bar, in surface pixels: layout is in user units (+10 in x) */
    double slot = (g.right - g.left) / 10;
    assert_pixel(s, 10 + g.left + slot * 0.25, ypos(&g, 20), SERIES);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

/* The SVG's marks are the data's: one bar path per bar drawn (a zero bar
 * counts; the missing one does not) plus the legend's swatch. */
static void svg_structure(void **state)
{
    (void)state;
    csa_chart c = decile();
    char path[4200];
    out_path(path, sizeof path, "decile-structure", "svg");
    csa_error err = {0};
    assert_int_equal(csa_chart_svg(&c, SVG_W, SVG_H, path, &err), CSA_OK);
    size_t len;
    char *svg = slurp(path, &len);
    /* cairo writes #1f4e79 as percentages */
    assert_int_equal(count(svg, "fill:rgb(12.156863%,30.588235%,47.45098%)"), 9 + 1);
    /* the SII line: one stroke of #d55e00, and its legend swatch */
    assert_int_equal(count(svg, "stroke:rgb(83.529412%,36.862745%,0%)"), 2);
    free(svg);

    c.values = (const double[10]){NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
    c.lower = c.upper = NULL;
    assert_int_equal(csa_chart_svg(&c, SVG_W, SVG_H, path, &err), CSA_OK);
    svg = slurp(path, &len);
    assert_int_equal(count(svg, "fill:rgb(12.156863%,30.588235%,47.45098%)"), 0);
    free(svg);
}

static void expect_usage(const csa_chart *c, const char *what);

/* The heat table: the largest count darkest, 0 lightest, lightness
 * falling with the count (greyscale reads it), a suppressed cell hatched. */
static void heat_pixels(void **state)
{
    (void)state;
    static const char *const cols[3] = {"00:00", "01:00", "02:00"};
    static const char *const rows[2] = {"Friday", "Saturday"};
    static const double v[6] = {0, 5, 10, NAN, 2, 10};
    csa_chart c = csa_chart_init(CSA_CHART_HEAT);
    texts(&c, "When in the week", "Hour of the day", "Day of the week");
    c.n = 6, c.labels = cols, c.values = v, c.groups = rows, c.heat_columns = 3;
    csa_chart_geometry g;
    cairo_surface_t *s = render(&c, "heat-pixels", &g);
    assert_int_equal(g.slots, 2);
    double cw = (g.right - g.left) / 3, rh = (g.bottom - g.top) / 2;
    /* a cell's corner, clear of its label and its edges */
#define CELL(i, j) pixel(s, g.left + cw * (j) + cw * 0.15, g.top + rh * (i) + rh * 0.15)
    assert_int_equal(CELL(0, 0), 0xf7fbffu);
    assert_int_equal(CELL(0, 2), 0x08306bu);
    assert_int_equal(CELL(1, 2), 0x08306bu);
    uint32_t grey[3];
    for (int j = 0; j < 3; j++) {
        uint32_t p = CELL(0, j);
        grey[j] = 299 * (p >> 16) + 587 * ((p >> 8) & 0xff) + 114 * (p & 0xff);
    }
    assert_true(grey[0] > grey[1] && grey[1] > grey[2]);
#undef CELL
    /* the suppressed cell: hatched in the no-data grey, nothing of the scale */
    size_t hatched = 0, white = 0; /* grey lines (anti-aliased) on white */
    for (double y = g.top + rh + 2; y < g.bottom - 2; y++)
        for (double x = g.left + 2; x < g.left + cw - 2; x++) {
            uint32_t p = pixel(s, x, y);
            bool grey = (p >> 16) == ((p >> 8) & 0xff) && (p >> 16) == (p & 0xff);
            hatched += grey && (p & 0xff) < 0xc0;
            white += p == WHITE;
        }
    assert_true(hatched > 50 && white > hatched);
    assert_int_equal(pixels_of(s, g.left + 2, g.top + rh + 2, g.left + cw - 2, g.bottom - 2,
                               0x08306bu), 0);
    assert_pixel(s, 2, 2, WHITE);
    cairo_surface_destroy(s);
    /* cells that are not whole rows, or rows without names, are refused */
    csa_chart bad = c;
    bad.n = 5;
    expect_usage(&bad, "heat cells not whole rows");
    bad = c, bad.groups = NULL;
    expect_usage(&bad, "heat rows without names");
    bad = c, bad.heat_columns = 0;
    expect_usage(&bad, "heat without columns");
}

/* The label grounds a FUNNEL draws under its names (white at 85%), as
 * rectangles x0, y0, x1, y1 from the SVG; returns how many. */
static size_t label_grounds(const char *svg, double (*box)[4], size_t max)
{
    static const char mark[] = "fill:rgb(100%,100%,100%);fill-opacity:0.85;\" d=\"M ";
    size_t n = 0;
    for (const char *p = strstr(svg, mark); p; p = strstr(p + 1, mark)) {
        double x0, y0, x1, y1, x2, y2, x3, y3;
        assert_int_equal(sscanf(p + strlen(mark), "%lf %lf L %lf %lf L %lf %lf L %lf %lf", &x0,
                                &y0, &x1, &y1, &x2, &y2, &x3, &y3), 8);
        assert_true(n < max);
        box[n][0] = fmin(x0, x2), box[n][1] = fmin(y0, y2);
        box[n][2] = fmax(x0, x2), box[n][3] = fmax(y0, y2);
        n++;
    }
    return n;
}

/* Named outliers: at most CSA_FUNNEL_NAMED labels, none over another,
 * all inside the plot, even for points in a cluster; none unasked. */
static void funnel_names(void **state)
{
    (void)state;
    static const double x[9] = {1000, 1010, 1020, 1030, 1040, 1050, 1060, 1070, 3000};
    static const double y[9] = {29, 29.5, 30, 30.5, 29.2, 29.8, 30.2, 28.8, 2};
    static const csa_outcome out[9] = {CSA_WORSE, CSA_WORSE, CSA_WORSE, CSA_WORSE, CSA_WORSE,
                                       CSA_WORSE, CSA_WORSE, CSA_WORSE, CSA_BETTER};
    static const unsigned named[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    static const char *const names[9] = {"Milton Keynes 014E", "Milton Keynes 014F",
                                         "Milton Keynes 018E", "Milton Keynes 018C",
                                         "Milton Keynes 032A", "Milton Keynes 030B",
                                         "Milton Keynes 023F", "Milton Keynes 014A",
                                         "Milton Keynes 001A"};
    csa_chart c = funnel();
    c.n = 9, c.x = x, c.values = y, c.outcomes = out, c.highlight = (size_t)-1;
    c.labels = names, c.named = named;
    char path[4200];
    out_path(path, sizeof path, "funnel-names", "svg");
    csa_error err = {0};
    assert_int_equal(csa_chart_svg(&c, SVG_W, SVG_H, path, &err), CSA_OK);
    size_t len;
    char *svg = slurp(path, &len);
    double box[16][4];
    size_t n = label_grounds(svg, box, 16);
    free(svg);
    assert_true(n >= 2 && n <= CSA_FUNNEL_NAMED);
    cairo_surface_t *m = cairo_svg_surface_create(NULL, SVG_W, SVG_H);
    cairo_t *cr = cairo_create(m);
    csa_chart_geometry g;
    assert_int_equal(csa_chart_layout(cr, &c, 0, 0, SVG_W, SVG_H, &g, &err), CSA_OK);
    cairo_destroy(cr);
    cairo_surface_destroy(m);
    for (size_t i = 0; i < n; i++) {
        assert_true(box[i][0] >= g.left - 0.01 && box[i][2] <= g.right + 0.01);
        assert_true(box[i][1] >= g.top - 0.01 && box[i][3] <= g.bottom + 0.01);
        for (size_t j = 0; j < i; j++)
            if (box[i][0] < box[j][2] && box[j][0] < box[i][2] && box[i][1] < box[j][3] &&
                box[j][1] < box[i][3])
                fail_msg("labels %zu and %zu overlap", j, i);
    }
    out_path(path, sizeof path, "funnel-names", "png"); /* to look at */
    assert_int_equal(csa_chart_png(&c, W, H, path, &err), CSA_OK);
    out_path(path, sizeof path, "funnel-unnamed", "svg");
    c.named = NULL;
    assert_int_equal(csa_chart_svg(&c, SVG_W, SVG_H, path, &err), CSA_OK);
    svg = slurp(path, &len);
    assert_int_equal(label_grounds(svg, box, 16), 0);
    free(svg);
}

static void expect_usage(const csa_chart *c, const char *what)
{
    char path[4200];
    out_path(path, sizeof path, "bad", "png");
    csa_error err = {0};
    csa_status st = csa_chart_png(c, W, H, path, &err);
    if (st != CSA_ERR_USAGE)
        fail_msg("%s: status %d, want CSA_ERR_USAGE", what, (int)st);
    assert_int_equal(err.status, CSA_ERR_USAGE);
    assert_true(err.message[0] != '\0');
    err = (csa_error){0};
    out_path(path, sizeof path, "bad", "svg");
    assert_int_equal(csa_chart_svg(c, SVG_W, SVG_H, path, &err), CSA_ERR_USAGE);
    assert_true(access(path, F_OK) != 0); /* refused before any file is made */
}

static void bad_input(void **state)
{
    (void)state;
    csa_chart c = decile();
    expect_usage(NULL, "no chart");
    c.values = NULL;
    expect_usage(&c, "no values");
    c = decile(), c.labels = NULL;
    expect_usage(&c, "no labels");
    c = decile(), c.upper = NULL;
    expect_usage(&c, "lower without upper");
    c = decile(), c.lower = DEC_HI, c.upper = DEC_LO;
    expect_usage(&c, "lower above upper");
    c = decile(), c.kind = (csa_chart_kind)42;
    expect_usage(&c, "kind");
    c = caterpillar(), c.highlight = 8;
    expect_usage(&c, "highlight past the end");
    c = caterpillar(), c.outcomes = (const csa_outcome[8]){(csa_outcome)9};
    expect_usage(&c, "outcome");
    c = lorenz(), c.values = (const double[6]){0, 0.3, 0.5, 1.2, 0.9, 1};
    expect_usage(&c, "share above 1");
    c = lorenz(), c.x = (const double[6]){0, 0.1, NAN, 0.5, 0.75, 1};
    expect_usage(&c, "share NaN");
    c = lorenz(), c.x = NULL;
    expect_usage(&c, "Lorenz without x");
    c = funnel(), c.x = NULL;
    expect_usage(&c, "funnel without x");
    c = funnel(), c.funnel_hi998 = NULL;
    expect_usage(&c, "funnel missing a limit line");
    c = history(36), c.shade_first = 30, c.shade_n = 7;
    expect_usage(&c, "shading past the end");
    c = decile(), c.overlay = DEC_V;
    expect_usage(&c, "overlay on bars");

    char path[4200];
    out_path(path, sizeof path, "bad-size", "png");
    csa_error err = {0};
    c = decile();
    assert_int_equal(csa_chart_png(&c, 99, H, path, &err), CSA_ERR_USAGE);
    assert_int_equal(csa_chart_png(&c, W, 10001, path, &err), CSA_ERR_USAGE);
    assert_int_equal(csa_chart_svg(&c, NAN, SVG_H, path, &err), CSA_ERR_USAGE);
    assert_int_equal(csa_chart_png(&c, W, H, NULL, &err), CSA_ERR_USAGE);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 200, 200);
    cairo_t *cr = cairo_create(s);
    assert_int_equal(csa_chart_draw(cr, &c, 0, 0, 20, 200, &err), CSA_ERR_USAGE);
    assert_int_equal(csa_chart_draw(NULL, &c, 0, 0, 200, 200, &err), CSA_ERR_USAGE);
    assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
    cairo_destroy(cr);
    cairo_surface_destroy(s);

    /* a folder that does not exist: an I/O error naming the file */
    const char *nowhere = "/nonexistent-csa-dir/chart.png";
    assert_int_equal(csa_chart_png(&c, W, H, nowhere, &err), CSA_ERR_IO);
    assert_string_equal(err.file, nowhere);
    assert_int_equal(csa_chart_svg(&c, SVG_W, SVG_H, "/nonexistent-csa-dir/chart.svg", &err),
                     CSA_ERR_IO);
}

static int setup(void **state)
{
    (void)state;
    make_many();
    const char *out = getenv("CSA_CHARTS_OUT");
    if (out && *out) {
        snprintf(dir, sizeof dir, "%s", out);
        keep = 1;
        return 0;
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/csa-charts-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    if (keep)
        return 0;
    char cmd[4200 + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_case_renders),
        cmocka_unit_test(files_two_at_a_time),
        cmocka_unit_test(decile_pixels),
        cmocka_unit_test(caterpillar_pixels),
        cmocka_unit_test(survey_pixels),
        cmocka_unit_test(trend_pixels),
        cmocka_unit_test(spc_pixels),
        cmocka_unit_test(history_pixels),
        cmocka_unit_test(funnel_lorenz_pixels),
        cmocka_unit_test(no_data),
        cmocka_unit_test(many_rows_do_not_overlap),
        cmocka_unit_test(draws_in_its_rectangle),
        cmocka_unit_test(svg_structure),
        cmocka_unit_test(funnel_names),
        cmocka_unit_test(bad_input),
        cmocka_unit_test(heat_pixels),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
