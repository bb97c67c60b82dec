/* Maps' methods on hand-computed cases: quantile classes, points in an
 * area, the quartic kernel density surface (its weights worked out by
 * hand below), the map colours, a map's drawing (one even-odd path a
 * shape, in its class's colour), and a boundary file read through GDAL
 * and projected to British National Grid. */
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

#include "csa/chart.h"
#include "csa/geo.h"

static void assert_near(double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.12g, want %.12g (tolerance %g)", got, want, tol);
}

/* values 1, 2, 2, 3, NaN, 5 in five classes: a value's class is
 * floor(5 x values below it / 5 values) */
static void quantile_classes_by_values_below(void **state)
{
    (void)state;
    const double v[] = {1, 2, 2, 3, NAN, 5};
    int cls[6];
    double lo[5], hi[5];
    size_t count[5];
    csa_error err = {0};
    assert_int_equal(csa_quantile_classes(6, v, 5, cls, lo, hi, count, &err), CSA_OK);
    const int want[] = {0, 1, 1, 3, -1, 4};
    for (int i = 0; i < 6; i++)
        assert_int_equal(cls[i], want[i]);
    const size_t want_count[] = {1, 2, 0, 1, 1};
    for (int k = 0; k < 5; k++)
        assert_int_equal(count[k], want_count[k]);
    assert_true(isnan(lo[2]) && isnan(hi[2]));
    assert_near(lo[1], 2, 0), assert_near(hi[4], 5, 0);
    assert_int_equal(csa_quantile_classes(6, v, 0, cls, lo, hi, count, &err), CSA_ERR_USAGE);
}

/* A square of 1 km (0..1000 m each way) with a square hole 400..600. */
static const double SQ_X[] = {0, 1000, 1000, 0, 0, 400, 600, 600, 400, 400};
static const double SQ_Y[] = {0, 0, 1000, 1000, 0, 400, 400, 600, 600, 400};

static csa_shapes square(int with_hole)
{
    static size_t rings[] = {0, 1}, rings2[] = {0, 2}, points[] = {0, 5, 10};
    static char *code[] = {"E01000001"}, *name[] = {NULL};
    static uint64_t feature[] = {1};
    csa_shapes s = {1, code, name, feature, with_hole ? rings2 : rings, with_hole ? 2 : 1,
                    points, with_hole ? 10 : 5, (double *)SQ_X, (double *)SQ_Y, NULL, NULL,
                    NULL, 0};
    return s;
}

static void points_inside_by_even_odd(void **state)
{
    (void)state;
    csa_shapes s = square(1);
    const double x[] = {100, 500, 999, 1001, -5, 700};
    const double y[] = {100, 500, 500, 500, 500, NAN};
    size_t at[6];
    csa_error err = {0};
    assert_int_equal(csa_points_locate(&s, 6, x, y, at, NULL, &err), CSA_OK);
    const bool want[] = {true, false, true, false, false, false};
    for (int i = 0; i < 6; i++)
        assert_int_equal(at[i] == 0, want[i]);
}

/* Three shapes: 0 the square with its hole, 1 the hole's island (a
 * square filling the hole), 2 two squares east of it (one shape of two
 * rings, 1000..2000 and 3000..4000 across). A point is located in the
 * shape that holds it: the hole's point in the island, not the square;
 * one between shape 2's rings in none; on the edge 0 and 2 share (x =
 * 1000, counted inside by neither's crossings to its east but 2's), in 2. */
static void points_located_in_their_shape(void **state)
{
    (void)state;
    double px[] = {0, 1000, 1000, 0, 0, 400, 600, 600, 400, 400, /* shape 0 */
                   400, 600, 600, 400, 400,                      /* shape 1 */
                   1000, 2000, 2000, 1000, 1000, 3000, 4000, 4000, 3000, 3000};
    double py[] = {0, 0, 1000, 1000, 0, 400, 400, 600, 600, 400,
                   400, 400, 600, 600, 400,
                   0, 0, 1000, 1000, 0, 0, 0, 1000, 1000, 0};
    size_t rings[] = {0, 2, 3, 5}, points[] = {0, 5, 10, 15, 20, 25};
    char *code[] = {"E01000001", "E01000002", "E01000003"}, *name[] = {NULL, NULL, NULL};
    uint64_t feature[] = {1, 2, 3};
    csa_shapes s = {3, code, name, feature, rings, 5, points, 25, px, py, NULL, NULL, NULL, 0};
    const double x[] = {100, 500, 1500, 2500, 3500, 1000, 5000, NAN, 999.5};
    const double y[] = {100, 500, 500, 500, 500, 500, 500, 500, 999.5};
    size_t got[9], also[9];
    csa_error err = {0};
    assert_int_equal(csa_points_locate(&s, 9, x, y, got, also, &err), CSA_OK);
    const size_t want[] = {0, 1, 2, SIZE_MAX, 2, 2, SIZE_MAX, SIZE_MAX, 0};
    for (int i = 0; i < 9; i++) {
        if (got[i] != want[i])
            fail_msg("point %d (%g, %g): shape %zu, want %zu", i, x[i], y[i], got[i], want[i]);
        assert_int_equal(also[i], SIZE_MAX); /* they tile: no point in two */
    }
    /* shape 1 made the whole square: the hole's point is in 1 alone (the
     * hole is 0's), the square's corner point in 0 and 1, the point
     * between shape 2's rings in none */
    double big[] = {0, 1000, 1000, 0, 0}, bigy[] = {0, 0, 1000, 1000, 0};
    memcpy(px + 10, big, sizeof big), memcpy(py + 10, bigy, sizeof bigy);
    assert_int_equal(csa_points_locate(&s, 9, x, y, got, also, &err), CSA_OK);
    assert_int_equal(got[0], 0);
    assert_int_equal(also[0], 1);
    assert_int_equal(got[1], 1);
    assert_int_equal(also[1], SIZE_MAX);
    assert_int_equal(got[3], SIZE_MAX);
    assert_int_equal(also[3], SIZE_MAX);
}

/* Cells of 100 m on the square (10 x 10), bandwidth 150 m. A point at
 * (450, 350), a cell's centre: that cell (d = 0, t = 1 - d^2/h^2 = 1),
 * four at 100 m (t = 5/9) and four at 141 m (t = 1/9) are within reach;
 * the quartic weights t^2 sum to 1 + 4 x 25/81 + 4 x 1/81 = 185/81, so
 * the centre cell holds 81/185 of the crime, over 0.01 km^2: 8100/185
 * per km^2; a side cell 2500/185, a corner one 100/185. A point at (50,
 * 50) in the corner reaches its own cell, two at 100 m and one at 141 m:
 * 1 + 50/81 + 1/81 = 132/81, 8100/132 per km^2 in its cell. Each
 * point's weights are scaled to sum to one, so the surface holds 2
 * crimes; without the hole's cells. */
static void kernel_density_by_hand(void **state)
{
    (void)state;
    csa_shapes s = square(0);
    const double x[] = {450, 50}, y[] = {350, 50};
    double cell, bandwidth;
    csa_density_rule(&s, &cell, &bandwidth);
    assert_near(cell, 10, 0); /* 1000 / 150 = 6.7, rounded to 10 m: 10 m */
    assert_near(bandwidth, 50, 0);
    csa_density *d = NULL;
    csa_error err = {0};
    assert_int_equal(csa_density_compute(&s, 2, x, y, 100, 150, &d, &err), CSA_OK);
    assert_int_equal(d->nx, 10);
    assert_int_equal(d->ny, 10);
    assert_near(d->density[3 * 10 + 4], 8100.0 / 185, 1e-9);
    assert_near(d->density[2 * 10 + 4], 2500.0 / 185, 1e-9);
    assert_near(d->density[3 * 10 + 5], 2500.0 / 185, 1e-9);
    assert_near(d->density[2 * 10 + 5], 100.0 / 185, 1e-9);
    assert_near(d->density[0], 8100.0 / 132, 1e-9);
    assert_near(d->density[1], 2500.0 / 132, 1e-9); /* 25/81 of 132/81, at 100 m */
    assert_near(d->density[11], 100.0 / 132, 1e-9);
    double total = 0;
    for (size_t k = 0; k < 100; k++)
        total += d->density[k] * 0.01;
    assert_near(total, 2, 1e-12);
    csa_density_free(d);

    /* with the hole, its cells hold nothing and the sum is still 2 */
    csa_shapes h = square(1);
    const double hx[] = {450, 550}, hy[] = {350, 650};
    assert_int_equal(csa_density_compute(&h, 2, hx, hy, 100, 150, &d, &err), CSA_OK);
    total = 0;
    for (size_t k = 0; k < 100; k++) {
        if (!d->in_area[k])
            assert_near(d->density[k], 0, 0);
        total += d->density[k] * 0.01;
    }
    assert_false(d->in_area[4 * 10 + 4]); /* centre (450, 450) is in the hole */
    assert_near(total, 2, 1e-12);
    csa_density_free(d);
}

static void map_colours_fall_in_lightness(void **state)
{
    (void)state;
    assert_int_equal(csa_map_colour(CSA_CHART_CHOROPLETH, 5, 0), 0xfde725);
    assert_int_equal(csa_map_colour(CSA_CHART_CHOROPLETH, 5, 4), 0x440154);
    assert_int_equal(csa_map_colour(CSA_CHART_CHOROPLETH, 10, 9), 0x440154);
    assert_int_equal(csa_map_colour(CSA_CHART_HOTSPOT, 5, 0), 0xffffcc);
    assert_int_equal(csa_map_colour(CSA_CHART_HOTSPOT, 5, 4), 0x800026);
    for (int kind = 0; kind < 2; kind++) {
        csa_chart_kind k = kind ? CSA_CHART_HOTSPOT : CSA_CHART_CHOROPLETH;
        double last = 2;
        for (int c = 0; c < 5; c++) {
            unsigned h = csa_map_colour(k, 5, c);
            double grey = (0.2126 * (h >> 16) + 0.7152 * (h >> 8 & 0xff) + 0.0722 * (h & 0xff)) / 255;
            assert_true(grey < last);
            last = grey;
        }
    }
    assert_int_equal(csa_map_colour(CSA_CHART_CHOROPLETH, 5, -1), CSA_MAP_NO_VALUE);
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    rewind(fp);
    char *s = malloc((size_t)n + 1);
    assert_int_equal(fread(s, 1, (size_t)n, fp), (size_t)n);
    s[n] = '\0';
    fclose(fp);
    return s;
}

/* Two shapes, one of class 1 of 5 and one with no value: the SVG has two
 * even-odd filled paths, in shape order, in those colours. */
static void choropleth_draws_one_path_a_shape(void **state)
{
    (void)state;
    static const double X[] = {0, 1000, 1000, 0, 0, 1000, 2000, 2000, 1000, 1000};
    static const double Y[] = {0, 0, 1000, 1000, 0, 0, 0, 1000, 1000, 0};
    static size_t rings[] = {0, 1, 2}, points[] = {0, 5, 10};
    static char *code[] = {"E01000001", "E01000002"}, *name[] = {NULL, NULL};
    static uint64_t feature[] = {1, 2};
    csa_shapes s = {2, code, name, feature, rings, 2, points, 10, (double *)X, (double *)Y,
                    NULL, NULL, NULL, 0};
    static const int classes[] = {1, -1};
    static const char *const labels[] = {"a", "b", "c", "d", "e"};
    csa_chart c = csa_chart_init(CSA_CHART_CHOROPLETH);
    c.title = "Test map", c.y_label = "Rate", c.source = "Source: test";
    c.shapes = &s, c.classes = classes, c.nclasses = 5, c.class_labels = labels;
    c.no_value_label = "No value";
    char path[] = "/tmp/csa-test-map-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    csa_error err = {0};
    assert_int_equal(csa_chart_svg(&c, 720, 450, path, &err), CSA_OK);
    char *svg = slurp(path);
    unlink(path);
    size_t n = 0;
    unsigned got[4];
    for (const char *p = svg; (p = strstr(p, "fill-rule:evenodd;fill:rgb(")); p++) {
        double r, g, b;
        assert_int_equal(sscanf(p, "fill-rule:evenodd;fill:rgb(%lf%%,%lf%%,%lf%%)", &r, &g, &b), 3);
        if (n < 4)
            got[n] = (unsigned)lround(r * 2.55) << 16 | (unsigned)lround(g * 2.55) << 8 |
                     (unsigned)lround(b * 2.55);
        n++;
    }
    free(svg);
    assert_int_equal(n, 2);
    assert_int_equal(got[0], csa_map_colour(CSA_CHART_CHOROPLETH, 5, 1));
    assert_int_equal(got[1], CSA_MAP_NO_VALUE);
    /* a class beyond the map's is a usage error, not a drawing */
    static const int wrong[] = {5, 0};
    c.classes = wrong;
    assert_int_equal(csa_chart_svg(&c, 720, 450, path, &err), CSA_ERR_USAGE);
}

/* A GeoJSON of two LSOAs read through GDAL: projected to British National
 * Grid (central Milton Keynes, longitude -0.774 latitude 52.034, is near
 * SP 842 382: easting 484 200, northing 238 200), lon/lat not swapped;
 * a broken ring and a blank code are findings by feature. */
/* The area enclosed by ring k of s (shoelace), positive either way. */
static double ring_area(const csa_shapes *s, size_t k)
{
    double a = 0;
    for (size_t p = s->point_first[k]; p + 1 < s->point_first[k + 1]; p++)
        a += s->x[p] * s->y[p + 1] - s->x[p + 1] * s->y[p];
    return fabs(a) / 2;
}

/* Three 100 m squares in a row, the first two 0.3 m apart (a sliver, as
 * where two LSOAs' edges do not quite meet), the third touching the
 * second; a fourth 100 m square 50 m away; and a ring with a hole. Groups:
 * {0, 1, 2}, {3}, {}, {4}. */
static void dissolve_closes_slivers(void **state)
{
    (void)state;
    double x0[] = {0, 100.3, 200.3, 350.3, 1000};
    double xs[40], ys[40];
    size_t pf[7], rf[6], np = 0, nr = 0;
    for (int i = 0; i < 5; i++) {
        rf[i] = nr;
        double side = i == 4 ? 300 : 100;
        double cx[] = {0, side, side, 0, 0};
        double cy[] = {0, 0, side, side, 0};
        pf[nr++] = np;
        for (int k = 0; k < 5; k++)
            xs[np] = x0[i] + cx[k], ys[np++] = cy[k];
        if (i == 4) { /* a 100 m hole in the middle, clockwise */
            pf[nr++] = np;
            double hx[] = {100, 100, 200, 200, 100}, hy[] = {100, 200, 200, 100, 100};
            for (int k = 0; k < 5; k++)
                xs[np] = x0[i] + hx[k], ys[np++] = hy[k];
        }
    }
    pf[nr] = np, rf[5] = nr;
    char *codes[] = {"a", "b", "c", "d", "e"};
    char *names[5] = {0};
    uint64_t feature[5] = {1, 2, 3, 4, 5};
    csa_shapes s = {.n = 5, .code = codes, .name = names, .feature = feature, .ring_first = rf,
                    .nrings = nr, .point_first = pf, .npoints = np, .x = xs, .y = ys};
    size_t group[] = {0, 0, 0, 1, 3};
    const char *const hc[] = {"H1", "H2", "H3", "H4"};
    csa_shapes *h = NULL;
    csa_error err = {0};
    assert_int_equal(csa_dissolve_shapes(&s, group, 4, hc, 0.5, &h, &err), CSA_OK);
    assert_non_null(h);
    assert_int_equal(h->n, 4);
    assert_string_equal(h->code[1], "H2");
    /* one outline around the three: 300.3 m x 100 m, the sliver filled */
    assert_int_equal(h->ring_first[1] - h->ring_first[0], 1);
    assert_near(ring_area(h, h->ring_first[0]), 300.3 * 100, 1.0);
    double lo = INFINITY, hi = -INFINITY;
    for (size_t p = h->point_first[0]; p < h->point_first[1]; p++)
        lo = fmin(lo, h->x[p]), hi = fmax(hi, h->x[p]);
    assert_near(lo, 0, 1e-6);
    assert_near(hi, 300.3, 1e-6);
    /* the lone square as it was (grown and shrunk: its corners are arcs
     * of 8 segments a quarter, a few square millimetres short) */
    assert_int_equal(h->ring_first[2] - h->ring_first[1], 1);
    assert_near(ring_area(h, h->ring_first[1]), 100 * 100, 0.001);
    /* no shape, no ring */
    assert_int_equal(h->ring_first[3], h->ring_first[2]);
    /* the square with its hole: two rings, 300^2 - 100^2 between them (the
     * hole's corners rounded to 0.5 m: at most 4 x (1 - pi / 4) x 0.25 m^2
     * more) */
    assert_int_equal(h->ring_first[4] - h->ring_first[3], 2);
    assert_near(ring_area(h, h->ring_first[3]) - ring_area(h, h->ring_first[3] + 1),
                300.0 * 300 - 100 * 100, 0.25);
    csa_shapes_free(h);
    /* without closing, the sliver stays: two outlines */
    assert_int_equal(csa_dissolve_shapes(&s, group, 4, hc, 0, &h, &err), CSA_OK);
    assert_int_equal(h->ring_first[1] - h->ring_first[0], 2);
    csa_shapes_free(h);
}

/* A ring that crosses itself (a bow tie of two 100 m x 50 m triangles)
 * beside a square: GEOS cannot union it as it is; made valid, the group is
 * the two triangles and the square. */
static void dissolve_mends_a_crossing_ring(void **state)
{
    (void)state;
    double xs[] = {0, 100, 100, 0, 0, 200, 300, 300, 200, 200};
    double ys[] = {0, 100, 0, 100, 0, 0, 0, 100, 100, 0};
    size_t pf[] = {0, 5, 10}, rf[] = {0, 1, 2}, group[] = {0, 0};
    char *codes[] = {"a", "b"}, *names[2] = {0};
    uint64_t feature[] = {1, 2};
    csa_shapes s = {.n = 2, .code = codes, .name = names, .feature = feature, .ring_first = rf,
                    .nrings = 2, .point_first = pf, .npoints = 10, .x = xs, .y = ys};
    csa_shapes *h = NULL;
    csa_error err = {0};
    assert_int_equal(csa_dissolve_shapes(&s, group, 1, NULL, 0.5, &h, &err), CSA_OK);
    double area = 0;
    for (size_t k = h->ring_first[0]; k < h->ring_first[1]; k++)
        area += ring_area(h, k);
    /* two triangles of 100 x 50 / 2, and the square */
    assert_near(area, 2 * 100 * 50 / 2.0 + 100 * 100, 0.5);
    csa_shapes_free(h);
}

static void boundary_file_through_gdal(void **state)
{
    (void)state;
    char path[] = "/tmp/csa-test-shapes-XXXXXX.geojson";
    int fd = mkstemps(path, 8);
    assert_true(fd >= 0);
    const char *json =
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"properties\":{\"lsoa11cd\":\"E01016735\",\"LSOA11NM\":\"MK 021A\"},"
        "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-0.775,52.033],[-0.773,52.033],"
        "[-0.773,52.035],[-0.775,52.035],[-0.775,52.033]]]}},"
        "{\"type\":\"Feature\",\"properties\":{\"lsoa11cd\":\"E01016736\"},"
        "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-0.77,52.0],[-0.76,52.01],"
        "[-0.77,52.01],[-0.76,52.0],[-0.77,52.0]]]}},"
        "{\"type\":\"Feature\",\"properties\":{\"lsoa11cd\":\"\"},"
        "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-0.7,52.0],[-0.69,52.0],"
        "[-0.69,52.01],[-0.7,52.0]]]}}]}";
    assert_true(write(fd, json, strlen(json)) == (ssize_t)strlen(json));
    close(fd);
    csa_shapes *s = NULL;
    csa_validation *v = NULL;
    csa_error err = {0};
    const char *const expect[] = {"E01016735", "E01016736", "E01016737"};
    csa_boundary_options bo = {.expect = expect, .nexpect = 3};
    assert_int_equal(csa_read_boundaries(path, &bo, &s, &v, &err), CSA_OK);
    unlink(path);
    assert_int_equal(v->rows, 3);
    assert_int_equal(s->n, 1);
    assert_string_equal(s->code[0], "E01016735");
    assert_string_equal(s->name[0], "MK 021A");
    assert_string_equal(s->code_property, "lsoa11cd");
    double cx = 0, cy = 0;
    for (size_t p = 0; p < 4; p++)
        cx += s->x[p] / 4, cy += s->y[p] / 4;
    assert_near(cx, 484200, 1000);
    assert_near(cy, 238200, 1000);
    /* feature 2: a bow tie; feature 3: a blank code; E01016736 has no
     * usable shape but a feature, E01016737 none */
    const char *checks[] = {"bad-geometry", "bad-area-code", "missing-shape"};
    const uint64_t lines[] = {2, 3, 0};
    assert_int_equal(v->nfindings, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(v->findings[i].check, checks[i]);
        assert_int_equal(v->findings[i].where.line, lines[i]);
    }
    assert_string_equal(v->findings[2].where.value, "E01016737");
    csa_shapes_free(s);
    csa_validation_free(v);

    /* the same point through csa_project_wgs84 */
    double x = -0.774, y = 52.034;
    assert_int_equal(csa_project_wgs84(1, &x, &y, &err), CSA_OK);
    assert_near(x, 484200, 1000);
    assert_near(y, 238200, 1000);
}

/* A big batch of points is projected in two halves on two threads: the
 * same numbers as projecting them a thousand at a time on one, a point
 * that cannot be projected NaN in both, wherever it falls. */
static void projected_in_halves_as_in_small_batches(void **state)
{
    (void)state;
    enum { N = 70001 };
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
    double *bx = malloc(N * sizeof *bx), *by = malloc(N * sizeof *by);
    assert_true(x && y && bx && by);
    for (size_t i = 0; i < N; i++) {
        x[i] = bx[i] = -3.0 + 3.0 * (double)(i % 997) / 997;
        y[i] = by[i] = 51.0 + 2.0 * (double)(i % 1009) / 1009;
    }
    y[5] = by[5] = 100; /* first half */
    y[N - 3] = by[N - 3] = -100; /* second half */
    csa_error err;
    assert_int_equal(csa_project_wgs84(N, x, y, &err), CSA_OK);
    for (size_t i = 0; i < N; i += 1000)
        assert_int_equal(csa_project_wgs84(N - i < 1000 ? N - i : 1000, bx + i, by + i, &err),
                         CSA_OK);
    for (size_t i = 0; i < N; i++) {
        if (isnan(bx[i])) {
            assert_true(isnan(x[i]) && isnan(y[i]) && isnan(by[i]));
            continue;
        }
        if (x[i] != bx[i] || y[i] != by[i])
            fail_msg("point %zu: %.6f %.6f against %.6f %.6f", i, x[i], y[i], bx[i], by[i]);
    }
    assert_true(isnan(x[5]) && isnan(x[N - 3]));
    assert_near(x[0], 360000, 200000); /* Britain */
    free(x);
    free(y);
    free(bx);
    free(by);
}


/* The density's cells lie on the national grid: a square from (123.4,
 * 567.8) with 50 m cells starts at (100, 550), whole cells of the grid */
static void density_cells_on_the_national_grid(void **state)
{
    (void)state;
    double x[5], y[5];
    for (int i = 0; i < 5; i++)
        x[i] = SQ_X[i] + 123.4, y[i] = SQ_Y[i] + 567.8;
    csa_shapes s = square(0);
    s.x = x, s.y = y;
    const double px[] = {600}, py[] = {1000};
    csa_density *d = NULL;
    csa_error err = {0};
    assert_int_equal(csa_density_compute(&s, 1, px, py, 50, 250, &d, &err), CSA_OK);
    assert_near(d->x0, 100, 0);
    assert_near(d->y0, 550, 0);
    assert_int_equal(d->nx, 21);
    assert_int_equal(d->ny, 21);
    csa_density_free(d);
}

/* ---- boundary files that are wrong in ways the reader must name ---- */

/* A GeoJSON FeatureCollection of the features (text), read against the
 * area's codes expect[n]; the findings, the caller's. */
static csa_validation *read_json(const char *features, const char *crs,
                                 const char *const *expect, size_t n, csa_shapes **shapes)
{
    char path[] = "/tmp/csa-test-shapes-XXXXXX.geojson";
    int fd = mkstemps(path, 8);
    assert_true(fd >= 0);
    char *json = malloc(strlen(features) + 256);
    assert_non_null(json);
    sprintf(json, "{\"type\":\"FeatureCollection\",%s\"features\":[%s]}", crs ? crs : "",
            features);
    assert_true(write(fd, json, strlen(json)) == (ssize_t)strlen(json));
    close(fd);
    free(json);
    csa_validation *v = NULL;
    csa_error err = {0};
    csa_boundary_options bo = {.expect = expect, .nexpect = n};
    assert_int_equal(csa_read_boundaries(path, &bo, shapes, &v, &err), CSA_OK);
    unlink(path);
    return v;
}

static const char BNG[] = "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":"
                          "\"urn:ogc:def:crs:EPSG::27700\"}},";

/* A square feature of side `side` at (x, y), its properties props. */
static const char *square_feature(char *buf, const char *props, double x, double y, double side)
{
    sprintf(buf, "{\"type\":\"Feature\",\"properties\":{%s},\"geometry\":{\"type\":\"Polygon\","
            "\"coordinates\":[[[%.6f,%.6f],[%.6f,%.6f],[%.6f,%.6f],[%.6f,%.6f],[%.6f,%.6f]]]}}",
            props, x, y, x + side, y, x + side, y + side, x, y + side, x, y);
    return buf;
}

/* One feature left in degrees in a file of grid metres: on the grid it
 * lies a few metres from the origin, inside the old whole-of-Britain box
 * (-100 km to 800 km): the feature is named, with its code, as degrees. */
static void boundary_feature_in_degrees_among_metres(void **state)
{
    (void)state;
    char a[512], b[512], both[1100];
    square_feature(a, "\"LSOA11CD\":\"E01016735\"", 484000, 238000, 200);
    square_feature(b, "\"LSOA11CD\":\"E01016736\"", -0.775, 52.033, 0.002);
    sprintf(both, "%s,%s", a, b);
    const char *const expect[] = {"E01016735", "E01016736"};
    csa_shapes *s = NULL;
    csa_validation *v = read_json(both, BNG, expect, 2, &s);
    assert_int_equal(v->errors, 1);
    assert_string_equal(v->findings[0].check, "projection");
    assert_int_equal(v->findings[0].where.line, 2);
    assert_string_equal(v->findings[0].where.value, "E01016736");
    assert_string_equal(v->findings[0].where.message,
                        "the shape of E01016736 (feature 2) has coordinates within longitude "
                        "and latitude's range (x -0.775 to -0.773, y 52.033 to 52.035) where "
                        "the file's are metres: it is in degrees, and would fall outside Great "
                        "Britain on British National Grid");
    assert_int_equal(s->n, 1);
    csa_shapes_free(s);
    csa_validation_free(v);
    /* the same without a "crs" (read as the grid, with a warning) */
    v = read_json(both, NULL, expect, 2, NULL);
    assert_int_equal(v->errors, 1);
    assert_int_equal(v->warnings, 1);
    assert_string_equal(v->findings[1].check, "projection");
    assert_int_equal(v->findings[1].where.line, 2);
    csa_validation_free(v);
}

/* UTM zone 30N metres in a GeoJSON without a "crs": neither longitude and
 * latitude nor grid metres; the file must say its coordinate system (not
 * one bad-geometry a feature) */
static void boundary_metres_of_another_grid_without_crs(void **state)
{
    (void)state;
    char a[512];
    square_feature(a, "\"LSOA11CD\":\"E01016735\"", 635525, 5697706, 500);
    const char *const expect[] = {"E01016735"};
    csa_validation *v = read_json(a, NULL, expect, 1, NULL);
    assert_int_equal(v->errors, 1);
    assert_int_equal(v->nfindings, 1);
    assert_string_equal(v->findings[0].check, "projection");
    assert_string_equal(v->findings[0].where.message,
                        "the coordinates (x 635525 to 636025, y 5697706 to 5698206) are neither "
                        "longitude and latitude, as the file's coordinate system (WGS 84) says, "
                        "nor metres of British National Grid: they are in another coordinate "
                        "system, which the file must declare (a GeoJSON's \"crs\", a Shapefile's "
                        ".prj; ogr2ogr -a_srs EPSG:NNNN gives it one)");
    csa_validation_free(v);
}

/* A FeatureCollection with no features: the file has no shapes (not "no
 * property holds the LSOA code") */
static void boundary_file_without_shapes(void **state)
{
    (void)state;
    const char *const expect[] = {"E01016735"};
    csa_validation *v = read_json("", NULL, expect, 1, NULL);
    assert_int_equal(v->errors, 1);
    assert_int_equal(v->nfindings, 1);
    assert_string_equal(v->findings[0].check, "no-shapes");
    assert_true(!strncmp(v->findings[0].where.message, "the file has no shapes: its layer ",
                         strlen("the file has no shapes: its layer ")));
    csa_validation_free(v);
}

/* LSOA21CD before LSOA11CD, and a generic "code" before LSOA11CD: the
 * property whose values are the area's codes is read, whatever comes
 * first; a value that is no LSOA code is named with its property and in
 * quotes (spaces and all) */
static void boundary_code_property_by_its_values(void **state)
{
    (void)state;
    char a[512], b[512], both[1100];
    const char *const expect[] = {"E01016735", "E01016736"};
    square_feature(a, "\"LSOA21CD\":\"E01033000\",\"LSOA11CD\":\"E01016735\"", -0.775, 52.033,
                   0.002);
    square_feature(b, "\"LSOA21CD\":\"E01033001\",\"LSOA11CD\":\"E01016736\"", -0.770, 52.033,
                   0.002);
    sprintf(both, "%s,%s", a, b);
    csa_shapes *s = NULL;
    csa_validation *v = read_json(both, NULL, expect, 2, &s);
    assert_int_equal(v->errors, 0);
    assert_string_equal(s->code_property, "LSOA11CD");
    assert_int_equal(s->n, 2);
    csa_shapes_free(s);
    csa_validation_free(v);

    square_feature(a, "\"code\":\"MK1\",\"LSOA11CD\":\"E01016735\"", -0.775, 52.033, 0.002);
    square_feature(b, "\"code\":\"MK2\",\"LSOA11CD\":\" E01016736 \"", -0.770, 52.033, 0.002);
    sprintf(both, "%s,%s", a, b);
    v = read_json(both, NULL, expect, 2, &s);
    assert_string_equal(s->code_property, "LSOA11CD");
    assert_int_equal(v->errors, 2); /* the spaced code, and so E01016736's shape missing */
    assert_string_equal(v->findings[0].check, "bad-area-code");
    assert_int_equal(v->findings[0].where.line, 2);
    assert_string_equal(v->findings[0].where.message,
                        "LSOA11CD \" E01016736 \" is not an LSOA code");
    csa_shapes_free(s);
    csa_validation_free(v);
    /* both equally the area's (a 2011 LSOA unchanged in 2021): the
     * documented order, LSOA11CD first */
    square_feature(a, "\"LSOA21CD\":\"E01016735\",\"LSOA11CD\":\"E01016735\"", -0.775, 52.033,
                   0.002);
    v = read_json(a, NULL, expect, 1, &s);
    assert_string_equal(s->code_property, "LSOA11CD");
    csa_shapes_free(s);
    csa_validation_free(v);
}

/* A name that is not UTF-8 (a Shapefile in Windows-1252 without its .cpg;
 * here a GeoJSON with the raw bytes): read as Windows-1252, the shape
 * kept, a warning naming the feature and the name as read. */
static void boundary_name_in_windows_1252(void **state)
{
    (void)state;
    char a[512];
    const char *const expect[] = {"E01016735"};
    square_feature(a, "\"LSOA11CD\":\"E01016735\",\"LSOA11NM\":\"Ynys M\xf4n \x80 1\"", -0.775,
                   52.033, 0.002);
    csa_shapes *s = NULL;
    csa_validation *v = read_json(a, NULL, expect, 1, &s);
    assert_int_equal(v->errors, 0);
    assert_int_equal(v->warnings, 1);
    assert_string_equal(v->findings[0].check, "windows-1252");
    assert_int_equal(v->findings[0].where.line, 1);
    assert_string_equal(v->findings[0].where.message,
                        "the name of E01016735 (feature 1) is not UTF-8: read as Windows-1252, "
                        "\"Ynys M\xc3\xb4n \xe2\x82\xac 1\"");
    assert_int_equal(s->n, 1);
    assert_string_equal(s->name[0], "Ynys M\xc3\xb4n \xe2\x82\xac 1");
    csa_shapes_free(s);
    csa_validation_free(v);
}

/* LSOA codes under another name ("id"): not taken, but named, with how
 * to rename the property */
static void boundary_codes_under_another_name(void **state)
{
    (void)state;
    char a[512], b[512], both[1100];
    const char *const expect[] = {"E01016735", "E01016736"};
    square_feature(a, "\"id\":\"x\",\"NAME\":\"MK 1\"", -0.775, 52.033, 0.002);
    square_feature(b, "\"id\":\"E01016736\",\"NAME\":\"MK 2\"", -0.770, 52.033, 0.002);
    sprintf(both, "%s,%s", a, b);
    csa_validation *v = read_json(both, NULL, expect, 2, NULL);
    assert_int_equal(v->errors, 1);
    assert_string_equal(v->findings[0].check, "no-code-property");
    assert_string_equal(v->findings[0].where.value, "E01016736");
    const char *want = "no property is named for the LSOA code (LSOA11CD, LSOA21CD, ...), but "
                       "id holds LSOA codes (E01016736, ...): rename it LSOA11CD (LSOA21CD for "
                       "2021 codes), say with ogr2ogr -sql 'SELECT *, id AS LSOA11CD FROM "
                       "\"csa-test-shapes-"; /* the layer: the file's name */
    assert_memory_equal(v->findings[0].where.message, want, strlen(want));
    csa_validation_free(v);
}

/* Some features' codes in LSOA11CD, another's in LSOA21CD: the blank one
 * says where its code is */
static void boundary_codes_in_two_properties(void **state)
{
    (void)state;
    char a[512], b[512], both[1100];
    const char *const expect[] = {"E01016735", "E01016736"};
    square_feature(a, "\"LSOA11CD\":\"E01016735\",\"LSOA21CD\":null", -0.775, 52.033, 0.002);
    square_feature(b, "\"LSOA11CD\":null,\"LSOA21CD\":\"E01016736\"", -0.770, 52.033, 0.002);
    sprintf(both, "%s,%s", a, b);
    csa_validation *v = read_json(both, NULL, expect, 2, NULL);
    assert_string_equal(v->findings[0].check, "bad-area-code");
    assert_int_equal(v->findings[0].where.line, 2);
    assert_string_equal(v->findings[0].where.message,
                        "LSOA11CD is blank: no LSOA code (but its LSOA21CD is E01016736: the "
                        "file gives some features' codes in one property and some in another; "
                        "give them all in one)");
    csa_validation_free(v);
}

/* A CurvePolygon or GeometryCollection: how to make plain polygons */
static void boundary_curve_gets_a_hint(void **state)
{
    (void)state;
    const char *f = "{\"type\":\"Feature\",\"properties\":{\"LSOA11CD\":\"E01016735\"},"
                    "\"geometry\":{\"type\":\"GeometryCollection\",\"geometries\":[{\"type\":"
                    "\"Polygon\",\"coordinates\":[[[-0.775,52.033],[-0.773,52.033],[-0.773,"
                    "52.035],[-0.775,52.035],[-0.775,52.033]]]}]}}";
    const char *const expect[] = {"E01016735"};
    csa_validation *v = read_json(f, NULL, expect, 1, NULL);
    assert_string_equal(v->findings[0].check, "bad-geometry");
    assert_string_equal(v->findings[0].where.message,
                        "the shape of E01016735 is a Geometry Collection, not a polygon or "
                        "multipolygon: convert the file to plain polygons (ogr2ogr -nlt "
                        "MULTIPOLYGON)");
    csa_validation_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quantile_classes_by_values_below),
        cmocka_unit_test(points_inside_by_even_odd),
        cmocka_unit_test(points_located_in_their_shape),
        cmocka_unit_test(kernel_density_by_hand),
        cmocka_unit_test(map_colours_fall_in_lightness),
        cmocka_unit_test(choropleth_draws_one_path_a_shape),
        cmocka_unit_test(boundary_file_through_gdal),
        cmocka_unit_test(dissolve_closes_slivers),
        cmocka_unit_test(dissolve_mends_a_crossing_ring),
        cmocka_unit_test(projected_in_halves_as_in_small_batches),
        cmocka_unit_test(density_cells_on_the_national_grid),
        cmocka_unit_test(boundary_feature_in_degrees_among_metres),
        cmocka_unit_test(boundary_metres_of_another_grid_without_crs),
        cmocka_unit_test(boundary_file_without_shapes),
        cmocka_unit_test(boundary_code_property_by_its_values),
        cmocka_unit_test(boundary_curve_gets_a_hint),
        cmocka_unit_test(boundary_name_in_windows_1252),
        cmocka_unit_test(boundary_codes_under_another_name),
        cmocka_unit_test(boundary_codes_in_two_properties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
