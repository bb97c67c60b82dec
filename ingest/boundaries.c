/* Boundary files (GeoJSON, GeoPackage, Shapefile) read with GDAL/OGR,
 * projected with OSR to British National Grid; their problems are
 * findings as a CSV file's are, the feature number standing for the line.
 *
 * Built as a module of its own (libcsa-gdal.so) that geo.c loads the first
 * time a map needs it: GDAL brings some 140 libraries, whose loading would
 * otherwise slow every csa command. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "csa/geo.h"
#include "geo_module.h"

typedef struct check_def {
    const char *id;
    csa_severity severity;
    const char *advice;
} check_def;

enum { C_UNREADABLE, C_LAYER, C_NO_SHAPES, C_NO_CODE, C_PROJECTION, C_BAD_CODE, C_DUPLICATE,
       C_BAD_GEOMETRY, C_MISSING, C_VINTAGE, C_OUTSIDE, C_GRID, C_ENCODING, C_NCHECKS };

static const check_def checks[C_NCHECKS] = {
    [C_UNREADABLE] = {"unreadable-boundaries", CSA_ERROR,
                      "Give a GeoJSON, GeoPackage or Shapefile (with its .shx, .dbf and .prj) "
                      "of LSOA boundaries, as the ONS Open Geography Portal offers them."},
    [C_LAYER] = {"which-layer", CSA_ERROR,
                  "csa reads the one layer that has polygons and an LSOA code property: give a "
                  "file with one such layer (ogr2ogr -f GPKG lsoa.gpkg FILE LAYER copies one "
                  "out)."},
    [C_NO_SHAPES] = {"no-shapes", CSA_ERROR,
                     "Give the LSOA boundaries of the area, as the ONS Open Geography Portal "
                     "offers them: this file holds no shapes (an export that selected none?)."},
    [C_NO_CODE] = {"no-code-property", CSA_ERROR,
                   "The shapes need their LSOA code in a property such as LSOA11CD or "
                   "LSOA21CD (csa specs boundaries lists the names)."},
    [C_PROJECTION] = {"projection", CSA_ERROR,
                      "Give the file with its coordinate system (a Shapefile's .prj; GeoJSON "
                      "is WGS84 unless it says otherwise), and check the shapes are in "
                      "Great Britain."},
    [C_BAD_CODE] = {"bad-area-code", CSA_ERROR,
                    "Each shape's code is a 9-character ONS LSOA code, such as E01016735."},
    [C_DUPLICATE] = {"duplicate-area", CSA_ERROR,
                     "Each LSOA has one shape (several polygons of one LSOA are one "
                     "multipolygon): remove a repeat, or join the parts of an LSOA given as "
                     "features of their own (ogr2ogr -dialect sqlite -sql 'SELECT "
                     "ST_Union(geometry), LSOA11CD FROM lsoa GROUP BY LSOA11CD')."},
    [C_BAD_GEOMETRY] = {"bad-geometry", CSA_ERROR,
                        "Each shape is a polygon or multipolygon whose rings do not cross "
                        "themselves: download the boundaries again, or repair them "
                        "(ogr2ogr -makevalid OUT.gpkg IN mends most crossings and spikes)."},
    [C_MISSING] = {"missing-shape", CSA_ERROR,
                   "Every LSOA of the area needs a shape: give boundaries of the whole area, "
                   "of the same LSOA vintage as the deprivation input (2011 for IMD 2019)."},
    [C_VINTAGE] = {"other-vintage", CSA_ERROR,
                   "The shape is of another LSOA vintage (2021) than the area's (2011 for "
                   "IMD 2019): give the boundaries of the area's vintage."},
    [C_OUTSIDE] = {"outside-area", CSA_WARNING,
                   "Shapes of LSOAs outside the area are not drawn: expected when the file "
                   "covers more than the area."},
    [C_ENCODING] = {"windows-1252", CSA_WARNING,
                    "A name that is not UTF-8 is read as Windows-1252 and converted: a "
                    "Shapefile says its encoding in a .cpg file beside the .shp (UTF-8, or 1252); "
                    "without one GDAL passes its bytes on as they are."},
    [C_GRID] = {"grid-assumed", CSA_WARNING,
                "A GeoJSON without a \"crs\" member is longitude and latitude (RFC 7946): "
                "give its coordinate system (ogr2ogr -a_srs EPSG:27700) to say so."},
};

/* Great Britain and its islands on the grid, with room to spare: a shape
 * beyond it was in another coordinate system than the file says. */
static const double GB_WEST = -100000, GB_EAST = 800000, GB_SOUTH = -100000,
                    GB_NORTH = 1300000;

typedef struct reader {
    const char *path;
    csa_validation *v;
    size_t keep, cap;
    size_t fired[C_NCHECKS];
    csa_shapes *s;
    size_t cap_shapes, cap_rings, cap_points;
    int nomem;
} reader;

static void finding(reader *rd, int check, uint64_t feature, const char *field, const char *value,
                    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void finding(reader *rd, int check, uint64_t feature, const char *field, const char *value,
                    const char *fmt, ...)
{
    csa_validation *v = rd->v;
    const check_def *d = &checks[check];
    if (d->severity == CSA_ERROR)
        v->errors++;
    else
        v->warnings++;
    if (!rd->fired[check]++) {
        csa_check_count *cc = realloc(v->checks, (v->nchecks + 1) * sizeof *cc);
        if (!cc) {
            rd->nomem = 1;
            return;
        }
        v->checks = cc;
        cc[v->nchecks++] = (csa_check_count){d->id, d->severity, 0};
    }
    for (size_t i = 0; i < v->nchecks; i++)
        if (v->checks[i].check == d->id)
            v->checks[i].count++;
    if (rd->fired[check] > rd->keep)
        return;
    if (v->nfindings == rd->cap) {
        size_t cap = rd->cap ? rd->cap * 2 : 16;
        csa_finding *f = realloc(v->findings, cap * sizeof *f);
        if (!f) {
            rd->nomem = 1;
            return;
        }
        v->findings = f, rd->cap = cap;
    }
    csa_finding *f = &v->findings[v->nfindings++];
    f->check = d->id, f->severity = d->severity, f->advice = d->advice;
    char msg[CSA_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    memset(&f->where, 0, sizeof f->where);
    csa_error_set(&f->where, CSA_ERR_VALUE, rd->path, feature, 0, field, value, "%s", msg);
}

/* the shapes are freed by ingest/geo.c's csa_shapes_free, in the program:
 * the same malloc */
static void shapes_free(csa_shapes *s)
{
    csa_shapes_free(s);
}

static int grow(void **p, size_t *cap, size_t want, size_t size)
{
    if (want <= *cap)
        return 0;
    size_t cap2 = *cap ? *cap : 64;
    while (cap2 < want)
        cap2 *= 2;
    void *q = realloc(*p, cap2 * size);
    if (!q)
        return -1;
    *p = q, *cap = cap2;
    return 0;
}

/* An LSOA code: E01 or W01 and six digits. */
static int lsoa_shaped(const char *s)
{
    if (strlen(s) != 9 || (s[0] != 'E' && s[0] != 'W') || s[1] != '0' || s[2] != '1')
        return 0;
    for (int i = 3; i < 9; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int in_list(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; list && i < n; i++)
        if (!strcmp(list[i], s))
            return 1;
    return 0;
}

/* Where name stands among spec column col's names, in any case: 0 its
 * name, then 1, 2, ... its aliases in their order (the order the spec
 * documents); -1 when it is none of them. */
static int name_rank(const csa_spec_column *col, const char *name)
{
    csa_spec_column one = *col;
    one.aliases = NULL;
    if (csa_spec_column_matches(&one, name, strlen(name)))
        return 0;
    int rank = 1;
    for (const char *a = col->aliases; a && *a; rank++) {
        const char *bar = strchr(a, '|');
        size_t alen = bar ? (size_t)(bar - a) : strlen(a);
        char alias[64];
        if (alen < sizeof alias) {
            memcpy(alias, a, alen);
            alias[alen] = '\0';
            one.name = alias;
            if (csa_spec_column_matches(&one, name, strlen(name)))
                return rank;
        }
        a = bar ? bar + 1 : a + alen;
    }
    return -1;
}

enum { MAX_CANDIDATES = 16 };

/* The properties of the layer that may hold spec column `role`'s values
 * (their names are the column's or its aliases), in the order the spec
 * documents those names: into f[], how many. */
static int candidates(OGRFeatureDefnH defn, const csa_spec *spec, csa_role role, int *f)
{
    size_t c = csa_spec_role(spec, role);
    int n = 0, rank[MAX_CANDIDATES];
    for (int k = 0; c != CSA_NO_ROW && k < OGR_FD_GetFieldCount(defn); k++) {
        int r = name_rank(&spec->columns[c],
                          OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, k)));
        if (r < 0 || n == MAX_CANDIDATES)
            continue;
        int at = n++;
        for (; at > 0 && rank[at - 1] > r; at--) /* in rank order, file order on a tie */
            rank[at] = rank[at - 1], f[at] = f[at - 1];
        rank[at] = r, f[at] = k;
    }
    return n;
}

/* The property of the layer that holds spec column `role`'s values: the
 * first by the spec's order of names. */
static int find_property(OGRFeatureDefnH defn, const csa_spec *spec, csa_role role)
{
    int f[MAX_CANDIDATES];
    return candidates(defn, spec, role, f) ? f[0] : -1;
}

/* Over every feature of the layer, for each of its properties f[0..n):
 * how many values are codes of opt's area (area, when opt has them), how
 * many are LSOA-shaped, and the first of those (first, when not NULL). */
static void scan_codes(OGRLayerH layer, const int *f, int n, const csa_boundary_options *opt,
                       size_t *area, size_t *shaped, char (*first)[16])
{
    const char *no_geometry[] = {"OGR_GEOMETRY", NULL};
    OGR_L_SetIgnoredFields(layer, no_geometry);
    OGR_L_ResetReading(layer);
    OGRFeatureH feat;
    while ((feat = OGR_L_GetNextFeature(layer))) {
        for (int k = 0; k < n; k++) {
            if (!OGR_F_IsFieldSetAndNotNull(feat, f[k]))
                continue;
            const char *v = OGR_F_GetFieldAsString(feat, f[k]);
            if (opt)
                area[k] += in_list(opt->expect, opt->nexpect, v);
            if (lsoa_shaped(v) && !shaped[k]++ && first)
                snprintf(first[k], sizeof first[k], "%s", v);
        }
        OGR_F_Destroy(feat);
    }
    OGR_L_SetIgnoredFields(layer, NULL);
}

/* The property that holds the LSOA codes: of several that may (LSOA21CD
 * and LSOA11CD, or a generic "code" beside LSOA11CD), the one whose values
 * are most often the area's LSOA codes (opt's expect), then LSOA codes at
 * all; on a tie the first by the spec's order of names. -1: none.
 * *matched (when not NULL): how many of its values are the area's codes. */
static int code_property(OGRLayerH layer, const csa_spec *spec, const csa_boundary_options *opt,
                         size_t *matched)
{
    int f[MAX_CANDIDATES];
    int n = candidates(OGR_L_GetLayerDefn(layer), spec, CSA_ROLE_LSOA, f);
    if (matched)
        *matched = 0;
    if (n < (matched ? 1 : 2))
        return n ? f[0] : -1;
    size_t area[MAX_CANDIDATES] = {0}, shaped[MAX_CANDIDATES] = {0};
    scan_codes(layer, f, n, opt, area, shaped, NULL);
    int best = 0;
    for (int k = 1; k < n; k++)
        if (area[k] > area[best] || (area[k] == area[best] && shaped[k] > shaped[best]))
            best = k;
    if (matched)
        *matched = area[best];
    return f[best];
}

/* Another property than code_f that may hold the code (by its name) and
 * holds an LSOA code in this feature; -1: none. */
static int other_code(OGRFeatureH feat, OGRFeatureDefnH defn, const csa_spec *spec, int code_f)
{
    int f[MAX_CANDIDATES], n = candidates(defn, spec, CSA_ROLE_LSOA, f);
    for (int k = 0; k < n; k++)
        if (f[k] != code_f && OGR_F_IsFieldSetAndNotNull(feat, f[k]) &&
            lsoa_shaped(OGR_F_GetFieldAsString(feat, f[k])))
            return f[k];
    return -1;
}

/* The property (of the layer's first MAX_CANDIDATES) whose values are
 * most often LSOA codes, though not named as one ("id", say), with the
 * first such value into example; -1: none holds any. */
static int codes_under_another_name(OGRLayerH layer, char example[16])
{
    int nf = OGR_FD_GetFieldCount(OGR_L_GetLayerDefn(layer)), f[MAX_CANDIDATES], best = -1;
    size_t shaped[MAX_CANDIDATES] = {0};
    char first[MAX_CANDIDATES][16];
    nf = nf < MAX_CANDIDATES ? nf : MAX_CANDIDATES;
    for (int k = 0; k < nf; k++)
        f[k] = k;
    scan_codes(layer, f, nf, NULL, NULL, shaped, first);
    for (int k = 0; k < nf; k++)
        if (shaped[k] && (best < 0 || shaped[k] > shaped[best]))
            best = k;
    snprintf(example, 16, "%s", best >= 0 ? first[best] : "");
    return best;
}

/* Appends a polygon's rings (projected points) to the shapes; 0 when the
 * geometry is not a usable polygon. */
static int add_polygon(reader *rd, OGRGeometryH poly, OGRCoordinateTransformationH ct, int *outside)
{
    csa_shapes *s = rd->s;
    for (int r = 0; r < OGR_G_GetGeometryCount(poly); r++) {
        OGRGeometryH ring = OGR_G_GetGeometryRef(poly, r);
        int np = OGR_G_GetPointCount(ring);
        if (np < 4)
            return 0;
        if (grow((void **)&s->point_first, &rd->cap_rings, s->nrings + 2, sizeof *s->point_first) ||
            grow((void **)&s->x, &rd->cap_points, s->npoints + (size_t)np, sizeof *s->x)) {
            rd->nomem = 1;
            return 0;
        }
        /* y grows with x: the same capacity */
        double *y = realloc(s->y, rd->cap_points * sizeof *y);
        if (!y) {
            rd->nomem = 1;
            return 0;
        }
        s->y = y;
        double *px = s->x + s->npoints, *py = s->y + s->npoints;
        for (int i = 0; i < np; i++) {
            px[i] = OGR_G_GetX(ring, i);
            py[i] = OGR_G_GetY(ring, i);
        }
        if (ct && !OCTTransform(ct, np, px, py, NULL))
            return 0;
        for (int i = 0; i < np; i++) {
            if (!isfinite(px[i]) || !isfinite(py[i]))
                return 0;
            if (px[i] < GB_WEST || px[i] > GB_EAST || py[i] < GB_SOUTH || py[i] > GB_NORTH)
                *outside = 1;
        }
        s->point_first[s->nrings++] = s->npoints;
        s->npoints += (size_t)np;
        s->point_first[s->nrings] = s->npoints;
    }
    return 1;
}

static char *dup_or_null(const char *s, int *nomem)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *nomem = 1;
    return d;
}

/* A copy of a feature's name, in UTF-8: one that is not (a Shapefile in
 * Windows-1252 without a .cpg saying so) is read as Windows-1252, and
 * named in a warning. NULL stays NULL. */
static char *utf8_name(reader *rd, const char *name, uint64_t number, const char *code)
{
    if (!name || CPLIsUTF8(name, -1))
        return dup_or_null(name, &rd->nomem);
    CPLPushErrorHandler(CPLQuietErrorHandler);
    char *u = CPLRecode(name, "CP1252", CPL_ENC_UTF8);
    if (u && !CPLIsUTF8(u, -1)) /* no CP1252 to be had: Latin-1, its subset */
        CPLFree(u), u = NULL;
    if (!u)
        u = CPLRecode(name, CPL_ENC_ISO8859_1, CPL_ENC_UTF8);
    CPLPopErrorHandler();
    char *d = dup_or_null(u, &rd->nomem);
    CPLFree(u);
    if (d)
        finding(rd, C_ENCODING, number, NULL, code,
                "the name of %s (feature %llu) is not UTF-8: read as Windows-1252, \"%s\"",
                code[0] ? code : "this feature", (unsigned long long)number, d);
    return d;
}

/* Whether every coordinate of the layer's extent e (NULL: unknown) is
 * within longitude and latitude's range (so, in Great Britain, degrees: an
 * area's shapes in metres of a grid do not fit within 180 m of its origin). */
static int in_degrees(const OGREnvelope *e)
{
    return e && e->MinX >= -180 && e->MaxX <= 180 && e->MinY >= -90 && e->MaxY <= 90;
}

/* Whether every coordinate is in metres of British National Grid rather
 * than degrees: some beyond longitude and latitude's range, all within
 * Great Britain's on the grid. */
static int grid_metres(const OGREnvelope *e)
{
    return e && !in_degrees(e) && e->MinX >= GB_WEST && e->MaxX <= GB_EAST &&
           e->MinY >= GB_SOUTH && e->MaxY <= GB_NORTH;
}

/* The layer's coordinate system to British National Grid, longitude
 * first whatever the authority's axis order; NULL with a finding when the
 * layer has none or PROJ cannot transform it. A GeoJSON (longitude and
 * latitude, RFC 7946, unless it says otherwise) whose coordinates can only
 * be grid metres is read as British National Grid, with a warning. */
static OGRCoordinateTransformationH transform_of(reader *rd, OGRLayerH layer,
                                                 const char *driver, int *metres)
{
    *metres = 0;
    OGRSpatialReferenceH src = OGR_L_GetSpatialRef(layer);
    OGREnvelope extent;
    const OGREnvelope *e = OGR_L_GetExtent(layer, &extent, TRUE) == OGRERR_NONE ? &extent : NULL;
    if (!src) {
        int shp = driver && !strcmp(driver, "ESRI Shapefile");
        finding(rd, C_PROJECTION, 0, NULL, NULL,
                "the file has no coordinate system%s: its shapes cannot be put on the map",
                shp ? " (a Shapefile's is in the .prj file of the same name beside it, and "
                      "there is none)" : "");
        return NULL;
    }
    if (OSRIsProjected(src) && in_degrees(e)) {
        const char *name = OSRGetName(src);
        finding(rd, C_PROJECTION, 0, NULL, name,
                "the file says its coordinates are metres of a projected coordinate system "
                "(%s), but every one is within longitude and latitude's range: they are "
                "degrees, and its shapes would be drawn a few metres from the grid's origin",
                name ? name : "unnamed");
        return NULL;
    }
    if (OSRIsGeographic(src) && e && !in_degrees(e) && !grid_metres(e)) {
        char where[CSA_ERROR_VALUE_MAX];
        snprintf(where, sizeof where, "x %.0f to %.0f, y %.0f to %.0f", e->MinX, e->MaxX,
                 e->MinY, e->MaxY);
        finding(rd, C_PROJECTION, 0, NULL, where,
                "the coordinates (%s) are neither longitude and latitude, as the file's "
                "coordinate system (%s) says, nor metres of British National Grid: they are "
                "in another coordinate system, which the file must declare (a GeoJSON's "
                "\"crs\", a Shapefile's .prj; ogr2ogr -a_srs EPSG:NNNN gives it one)",
                where, OSRGetName(src) ? OSRGetName(src) : "unnamed");
        return NULL;
    }
    *metres = !OSRIsGeographic(src);
    OGRSpatialReferenceH bng = OSRNewSpatialReference(NULL);
    OGRSpatialReferenceH from = OSRClone(src);
    OGRCoordinateTransformationH ct = NULL;
    if (bng && from && OSRImportFromEPSG(bng, 27700) == OGRERR_NONE) {
        if (driver && !strcmp(driver, "GeoJSON") && OSRIsGeographic(src) &&
            grid_metres(e)) {
            finding(rd, C_GRID, 0, NULL, NULL,
                    "the GeoJSON's coordinates are metres of British National Grid (EPSG:27700), "
                    "not the longitudes and latitudes a GeoJSON without a coordinate system "
                    "holds: read as British National Grid");
            OSRDestroySpatialReference(from);
            from = OSRClone(bng);
            *metres = 1;
        }
        OSRSetAxisMappingStrategy(bng, OAMS_TRADITIONAL_GIS_ORDER);
        if (from)
            OSRSetAxisMappingStrategy(from, OAMS_TRADITIONAL_GIS_ORDER);
        ct = from ? OCTNewCoordinateTransformation(from, bng) : NULL;
    }
    if (!ct) {
        char *wkt = NULL;
        OSRExportToWkt(src, &wkt);
        char name[CSA_ERROR_VALUE_MAX];
        snprintf(name, sizeof name, "%s", wkt ? wkt : "");
        CPLFree(wkt);
        finding(rd, C_PROJECTION, 0, NULL, name,
                "its coordinate system cannot be transformed to British National Grid "
                "(EPSG:27700)");
    }
    OSRDestroySpatialReference(from);
    OSRDestroySpatialReference(bng);
    return ct;
}

static void read_layer(reader *rd, OGRLayerH layer, const csa_boundary_options *opt,
                       const char *driver)
{
    const csa_spec *spec = csa_spec_find("boundaries");
    csa_shapes *s = rd->s;
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    if (OGR_L_GetFeatureCount(layer, TRUE) == 0) {
        finding(rd, C_NO_SHAPES, 0, NULL, NULL, "the file has no shapes: its layer %s has no "
                "features", OGR_L_GetName(layer));
        return;
    }
    int code_f = code_property(layer, spec, opt, NULL);
    int name_f = find_property(defn, spec, CSA_ROLE_LSOA_NAME);
    if (code_f < 0) {
        char names[CSA_ERROR_VALUE_MAX] = "";
        size_t len = 0;
        for (int f = 0; f < OGR_FD_GetFieldCount(defn) && len < sizeof names; f++)
            len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", f ? ", " : "",
                                    OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, f)));
        char example[16];
        int holder = codes_under_another_name(layer, example);
        if (holder >= 0) {
            const char *h = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, holder));
            finding(rd, C_NO_CODE, 0, h, example,
                    "no property is named for the LSOA code (LSOA11CD, LSOA21CD, ...), but %s "
                    "holds LSOA codes (%s, ...): rename it LSOA11CD (LSOA21CD for 2021 codes), "
                    "say with ogr2ogr -sql 'SELECT *, %s AS LSOA11CD FROM \"%s\"'", h, example, h,
                    OGR_L_GetName(layer));
        } else {
            finding(rd, C_NO_CODE, 0, NULL, names,
                    "no property holds the LSOA code (LSOA11CD, LSOA21CD, ...); the properties "
                    "are: %s", names[0] ? names : "none");
        }
        return;
    }
    s->code_property = dup_or_null(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, code_f)),
                                   &rd->nomem);
    if (name_f >= 0)
        s->name_property = dup_or_null(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, name_f)),
                                       &rd->nomem);
    int metres;
    OGRCoordinateTransformationH ct = transform_of(rd, layer, driver, &metres);
    if (!ct)
        return;
    const char *prop = s->code_property;
    /* the expected codes seen, to name the missing ones after */
    unsigned char *seen = opt->nexpect ? calloc(opt->nexpect, 1) : NULL;
    size_t cap_codes = 0;
    uint64_t number = 0;
    OGRFeatureH feat;
    OGR_L_ResetReading(layer);
    s->ring_first = malloc(sizeof *s->ring_first);
    if (!s->ring_first || (opt->nexpect && !seen))
        rd->nomem = 1;
    else
        s->ring_first[0] = 0;
    while (!rd->nomem && (feat = OGR_L_GetNextFeature(layer))) {
        number++;
        const char *code = OGR_F_IsFieldSetAndNotNull(feat, code_f)
                               ? OGR_F_GetFieldAsString(feat, code_f) : "";
        const char *name = name_f >= 0 && OGR_F_IsFieldSetAndNotNull(feat, name_f)
                               ? OGR_F_GetFieldAsString(feat, name_f) : NULL;
        size_t at = SIZE_MAX;
        for (size_t i = 0; i < opt->nexpect; i++)
            if (!strcmp(opt->expect[i], code)) {
                at = i;
                break;
            }
        int keep = 1, other;
        if (!lsoa_shaped(code)) {
            if (code[0])
                finding(rd, C_BAD_CODE, number, prop, code, "%s \"%s\" is not an LSOA code",
                        prop, code);
            else if ((other = other_code(feat, defn, spec, code_f)) >= 0)
                finding(rd, C_BAD_CODE, number, prop, code,
                        "%s is blank: no LSOA code (but its %s is %s: the file gives some "
                        "features' codes in one property and some in another; give them all "
                        "in one)", prop, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, other)),
                        OGR_F_GetFieldAsString(feat, other));
            else
                finding(rd, C_BAD_CODE, number, prop, code, "%s is blank: no LSOA code", prop);
            keep = 0;
        } else if (in_list(opt->other_vintage, opt->nother_vintage, code) && at == SIZE_MAX) {
            finding(rd, C_VINTAGE, number, prop, code,
                    "%s is an LSOA code of another vintage (2021) than the area's", code);
            keep = 0;
        } else if (opt->nexpect && at == SIZE_MAX) {
            finding(rd, C_OUTSIDE, number, prop, code, "%s is not an LSOA of the area: its "
                    "shape is not drawn", code);
            keep = 0;
        } else {
            int twice = at != SIZE_MAX ? seen[at] : 0;
            for (size_t i = 0; !opt->nexpect && !twice && i < s->n; i++)
                twice = !strcmp(s->code[i], code);
            if (twice) {
                finding(rd, C_DUPLICATE, number, prop, code, "%s has a shape already", code);
                keep = 0;
            }
        }
        OGRGeometryH g = OGR_F_GetGeometryRef(feat);
        OGRwkbGeometryType type = g ? wkbFlatten(OGR_G_GetGeometryType(g)) : wkbUnknown;
        size_t rings0 = s->nrings, points0 = s->npoints;
        int ok = g && !OGR_G_IsEmpty(g) && (type == wkbPolygon || type == wkbMultiPolygon);
        const char *why = !g ? "has no geometry" : OGR_G_IsEmpty(g) ? "has an empty geometry"
                                                                    : "is not a polygon";
        char curved[160];
        if (!ok && g && !OGR_G_IsEmpty(g) &&
            (type == wkbCurvePolygon || type == wkbMultiSurface || type == wkbGeometryCollection)) {
            snprintf(curved, sizeof curved, "is a %s, not a polygon or multipolygon: convert the "
                     "file to plain polygons (ogr2ogr -nlt MULTIPOLYGON)",
                     OGRGeometryTypeToName(type));
            why = curved;
        }
        CPLErrorReset();
        char reason[CSA_ERROR_VALUE_MAX + 96];
        if (ok && !OGR_G_IsValid(g)) {
            ok = 0;
            why = "has an invalid polygon (rings that cross themselves or each other)";
            /* GEOS's reason, with the point: "Self-intersection at or near
             * point ..." (in the file's coordinates) */
            const char *geos = CPLGetLastErrorMsg();
            if (geos && *geos) {
                snprintf(reason, sizeof reason, "has an invalid polygon: %s", geos);
                why = reason;
            }
        }
        int outside = 0, told = 0;
        OGREnvelope fe;
        if (ok && keep && metres && (OGR_G_GetEnvelope(g, &fe), in_degrees(&fe))) {
            /* one feature of a file in metres left in degrees: on the grid
             * it would lie within 200 m of its origin, in the sea */
            finding(rd, C_PROJECTION, number, prop, code,
                    "the shape of %s (feature %llu) has coordinates within longitude and "
                    "latitude's range (x %.6g to %.6g, y %.6g to %.6g) where the file's are "
                    "metres: it is in degrees, and would fall outside Great Britain on British "
                    "National Grid", code[0] ? code : "this feature", (unsigned long long)number,
                    fe.MinX, fe.MaxX, fe.MinY, fe.MaxY);
            ok = keep = 0, told = 1;
        }
        if (ok && keep) {
            if (type == wkbPolygon)
                ok = add_polygon(rd, g, ct, &outside);
            for (int k = 0; ok && type == wkbMultiPolygon && k < OGR_G_GetGeometryCount(g); k++)
                ok = add_polygon(rd, OGR_G_GetGeometryRef(g, k), ct, &outside);
            if (!ok && !rd->nomem)
                why = "has a ring of too few points, or points that cannot be projected";
        }
        if (!ok && !told && !rd->nomem)
            finding(rd, C_BAD_GEOMETRY, number, prop, code, "the shape of %s %s",
                    code[0] ? code : "this feature", why);
        else if (outside && !rd->nomem) {
            finding(rd, C_PROJECTION, number, prop, code,
                    "the shape of %s falls outside Great Britain on British National Grid: "
                    "the file's coordinates are not in the coordinate system it declares", code);
            ok = 0;
        }
        if (at != SIZE_MAX)
            seen[at] = 1;
        if (!ok || !keep) { /* what it added is dropped */
            s->nrings = rings0, s->npoints = points0;
        } else if (grow((void **)&s->code, &cap_codes, s->n + 1, sizeof *s->code) ||
                   !(s->name = realloc(s->name, cap_codes * sizeof *s->name)) ||
                   !(s->feature = realloc(s->feature, cap_codes * sizeof *s->feature)) ||
                   !(s->ring_first = realloc(s->ring_first, (cap_codes + 1) *
                                                                sizeof *s->ring_first))) {
            rd->nomem = 1;
        } else {
            s->code[s->n] = dup_or_null(code, &rd->nomem);
            s->name[s->n] = utf8_name(rd, name, number, code);
            s->feature[s->n] = number;
            s->n++;
            s->ring_first[s->n] = s->nrings;
        }
        OGR_F_Destroy(feat);
    }
    rd->v->rows = number;
    for (size_t i = 0; i < opt->nexpect && !rd->nomem; i++)
        if (!seen[i])
            finding(rd, C_MISSING, 0, prop, opt->expect[i],
                    "LSOA %s of the area has no shape in the file", opt->expect[i]);
    free(seen);
    OCTDestroyCoordinateTransformation(ct);
}

static int polygonal(OGRwkbGeometryType t)
{
    t = wkbFlatten(t);
    return t == wkbPolygon || t == wkbMultiPolygon || t == wkbCurvePolygon ||
           t == wkbMultiSurface;
}

/* Whether the layer holds polygons: by its declared geometry type, or
 * when that is any type, by its first feature's geometry. */
static int holds_polygons(OGRLayerH l)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_L_GetGeomType(l));
    if (t != wkbUnknown && t != wkbGeometryCollection)
        return polygonal(t);
    OGR_L_ResetReading(l);
    OGRFeatureH feat = OGR_L_GetNextFeature(l);
    OGRGeometryH g = feat ? OGR_F_GetGeometryRef(feat) : NULL;
    int yes = g && (polygonal(OGR_G_GetGeometryType(g)) ||
                    wkbFlatten(OGR_G_GetGeometryType(g)) == wkbGeometryCollection);
    OGR_F_Destroy(feat);
    return yes;
}

/* The layer of ds to read: its one layer, or of several the one that
 * holds polygons and has an LSOA code property, the one with most of the
 * area's codes when several do; NULL, with a finding naming the layers,
 * when none or several equally do. The layer's name goes to the shapes
 * when there are several. */
static OGRLayerH choose_layer(reader *rd, GDALDatasetH ds, const csa_boundary_options *opt)
{
    int n = GDALDatasetGetLayerCount(ds);
    if (n == 1)
        return GDALDatasetGetLayer(ds, 0);
    const csa_spec *spec = csa_spec_find("boundaries");
    OGRLayerH chosen = NULL;
    int fit = 0, tied = 0;
    size_t best = 0;
    char names[CSA_ERROR_VALUE_MAX] = "";
    size_t len = 0;
    for (int k = 0; k < n; k++) {
        OGRLayerH l = GDALDatasetGetLayer(ds, k);
        size_t matched = 0;
        int poly = holds_polygons(l);
        int code_f = code_property(l, spec, opt, &matched);
        if (poly && code_f >= 0) {
            if (!fit++ || matched > best)
                chosen = l, best = matched, tied = 0;
            else if (matched == best)
                tied = 1;
        }
        char code[160] = "no LSOA code property";
        if (code_f >= 0)
            snprintf(code, sizeof code, opt->nexpect ? "%s, %zu of the area's LSOA codes" : "%s",
                     OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(OGR_L_GetLayerDefn(l), code_f)),
                     matched);
        if (len < sizeof names)
            len += (size_t)snprintf(names + len, sizeof names - len, "%s%s (%s, %s)",
                                    k ? "; " : "", OGR_L_GetName(l),
                                    poly ? "polygons" : "no polygons", code);
    }
    if (fit && !tied) {
        rd->s->layer = dup_or_null(OGR_L_GetName(chosen), &rd->nomem);
        rd->s->nlayers = (size_t)n;
        return chosen;
    }
    finding(rd, C_LAYER, 0, NULL, names, "the file has %d layers and %s: its layers are %s", n,
            !fit ? "none holds polygons and an LSOA code property"
            : opt->nexpect ? "several hold polygons and an LSOA code property, with as many of "
                             "the area's codes, so csa cannot tell which holds the area's LSOA "
                             "shapes"
                           : "several hold polygons and an LSOA code property (with the area "
                             "known, csa reads the one with most of its codes)", names);
    return NULL;
}

csa_status csa_read_boundaries_gdal(const char *path, const csa_boundary_options *opt,
                                    csa_shapes **shapes, csa_validation **out, csa_error *err)
{
    static const csa_boundary_options none = {0};
    if (!opt)
        opt = &none;
    if (shapes)
        *shapes = NULL;
    *out = NULL;
    reader rd = {.path = path, .keep = opt->keep_per_check ? opt->keep_per_check : 20};
    rd.v = calloc(1, sizeof *rd.v);
    rd.s = calloc(1, sizeof *rd.s);
    if (!rd.v || !rd.s) {
        free(rd.v);
        free(rd.s);
        return csa_error_set(err, CSA_ERR_NOMEM, path, 0, 0, NULL, NULL, "out of memory");
    }
    rd.v->first_period = INT32_MAX, rd.v->last_period = INT32_MIN;
    GDALAllRegister();
    CPLPushErrorHandler(CPLQuietErrorHandler);
    const char *const drivers[] = {"GeoJSON", "GPKG", "ESRI Shapefile", NULL};
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, NULL, NULL);
    size_t len = strlen(path);
    int zip = len > 4 && path[len - 4] == '.' && (path[len - 3] | 32) == 'z' &&
              (path[len - 2] | 32) == 'i' && (path[len - 1] | 32) == 'p';
    OGRLayerH layer = NULL;
    if (!ds || GDALDatasetGetLayerCount(ds) < 1) {
        char why[CSA_ERROR_VALUE_MAX];
        snprintf(why, sizeof why, "%s", CPLGetLastErrorMsg());
        finding(&rd, C_UNREADABLE, 0, NULL, NULL, "not a boundary file GDAL can read as "
                "GeoJSON, GeoPackage or Shapefile%s%s%s", why[0] ? ": " : "", why,
                zip ? "; a zipped Shapefile: unzip it and give the .shp (with its .shx, .dbf "
                      "and .prj beside it)" : "");
    } else if (!(layer = choose_layer(&rd, ds, opt))) {
        /* told */
    } else {
        read_layer(&rd, layer, opt, GDALGetDriverShortName(GDALGetDatasetDriver(ds)));
    }
    if (ds)
        GDALClose(ds);
    CPLPopErrorHandler();
    rd.v->usable = rd.v->errors ? 0 : rd.v->rows;
    if (rd.nomem) {
        csa_validation_free(rd.v);
        shapes_free(rd.s);
        return csa_error_set(err, CSA_ERR_NOMEM, path, 0, 0, NULL, NULL,
                             "out of memory reading boundaries");
    }
    *out = rd.v;
    if (shapes)
        *shapes = rd.s;
    else
        shapes_free(rd.s);
    return CSA_OK;
}

csa_status csa_project_wgs84_gdal(size_t n, double *x, double *y, csa_error *err)
{
    if (!n)
        return CSA_OK;
    OGRSpatialReferenceH wgs = OSRNewSpatialReference(NULL);
    OGRSpatialReferenceH bng = OSRNewSpatialReference(NULL);
    OGRCoordinateTransformationH ct = NULL;
    if (wgs && bng && OSRImportFromEPSG(wgs, 4326) == OGRERR_NONE &&
        OSRImportFromEPSG(bng, 27700) == OGRERR_NONE) {
        OSRSetAxisMappingStrategy(wgs, OAMS_TRADITIONAL_GIS_ORDER);
        OSRSetAxisMappingStrategy(bng, OAMS_TRADITIONAL_GIS_ORDER);
        ct = OCTNewCoordinateTransformation(wgs, bng);
    }
    csa_status st = CSA_OK;
    if (!ct) {
        st = csa_error_set(err, CSA_ERR_STATE, NULL, 0, 0, NULL, NULL,
                           "PROJ cannot transform WGS84 to British National Grid: is "
                           "proj-data installed?");
    } else {
        int *ok = malloc(n * sizeof *ok);
        if (!ok || n > (size_t)INT32_MAX) {
            st = csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
        } else {
            /* a point that cannot be projected is NaN, counted where it is
             * used, not PROJ's message on the terminal */
            CPLPushErrorHandler(CPLQuietErrorHandler);
            OCTTransformEx(ct, (int)n, x, y, NULL, ok);
            CPLPopErrorHandler();
            for (size_t i = 0; i < n; i++)
                if (!ok[i] || !isfinite(x[i]) || !isfinite(y[i]))
                    x[i] = y[i] = NAN;
        }
        free(ok);
        OCTDestroyCoordinateTransformation(ct);
    }
    OSRDestroySpatialReference(wgs);
    OSRDestroySpatialReference(bng);
    return st;
}

/* ---- higher areas: the LSOA shapes dissolved ---- */

/* Shape i's rings as one OGR geometry in the shapes' coordinates (British
 * National Grid): the shapes are filled by the even-odd rule, which is the
 * symmetric difference of the rings' polygons. NULL when GEOS fails. */
static OGRGeometryH shape_geometry(const csa_shapes *s, size_t i)
{
    OGRGeometryH acc = NULL;
    for (size_t k = s->ring_first[i]; k < s->ring_first[i + 1]; k++) {
        size_t p0 = s->point_first[k], np = s->point_first[k + 1] - p0;
        OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
        OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
        if (!ring || !poly || np > INT32_MAX) {
            OGR_G_DestroyGeometry(ring);
            OGR_G_DestroyGeometry(poly);
            OGR_G_DestroyGeometry(acc);
            return NULL;
        }
        OGR_G_SetPoints(ring, (int)np, s->x + p0, sizeof *s->x, s->y + p0, sizeof *s->y, NULL, 0);
        OGR_G_AddGeometryDirectly(poly, ring);
        if (!acc) {
            acc = poly;
            continue;
        }
        OGRGeometryH both = OGR_G_SymDifference(acc, poly);
        OGR_G_DestroyGeometry(acc);
        OGR_G_DestroyGeometry(poly);
        if (!(acc = both))
            return NULL;
    }
    return acc;
}

/* Adds g's polygons (of a polygon, multipolygon or collection) to multi. */
static void add_polygons(OGRGeometryH multi, OGRGeometryH g)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbPolygon) {
        if (!OGR_G_IsEmpty(g))
            OGR_G_AddGeometry(multi, g);
    } else if (t == wkbMultiPolygon || t == wkbGeometryCollection) {
        for (int k = 0; k < OGR_G_GetGeometryCount(g); k++)
            add_polygons(multi, OGR_G_GetGeometryRef(g, k));
    }
}

/* Appends the rings of every polygon of g to rd's shapes. */
static int add_rings(reader *rd, OGRGeometryH g)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbPolygon)
        return OGR_G_IsEmpty(g) || add_polygon(rd, g, NULL, &(int){0});
    for (int k = 0; k < OGR_G_GetGeometryCount(g); k++)
        if (!add_rings(rd, OGR_G_GetGeometryRef(g, k)))
            return 0;
    return 1;
}

csa_status csa_dissolve_shapes_gdal(const csa_shapes *s, const size_t *group, size_t ngroups,
                                    const char *const *codes, double close, csa_shapes **out,
                                    csa_error *err)
{
    *out = NULL;
    reader rd = {0};
    rd.s = calloc(1, sizeof *rd.s);
    if (!rd.s || !(rd.s->ring_first = calloc(ngroups + 1, sizeof *rd.s->ring_first)) ||
        !(rd.s->code = calloc(ngroups + 1, sizeof *rd.s->code)) ||
        !(rd.s->name = calloc(ngroups + 1, sizeof *rd.s->name)) ||
        !(rd.s->feature = calloc(ngroups + 1, sizeof *rd.s->feature))) {
        shapes_free(rd.s);
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    }
    CPLPushErrorHandler(CPLQuietErrorHandler);
    const char *failed = NULL;
    for (size_t h = 0; h < ngroups && !failed && !rd.nomem; h++) {
        rd.s->code[h] = dup_or_null(codes ? codes[h] : NULL, &rd.nomem);
        rd.s->feature[h] = h + 1;
        OGRGeometryH multi = OGR_G_CreateGeometry(wkbMultiPolygon);
        for (size_t i = 0; i < s->n && multi && !failed; i++) {
            if (group[i] != h)
                continue;
            OGRGeometryH g = shape_geometry(s, i);
            if (!g)
                failed = "the symmetric difference of an LSOA's rings";
            else
                add_polygons(multi, g);
            OGR_G_DestroyGeometry(g);
        }
        OGRGeometryH u = NULL;
        if (!multi)
            rd.nomem = 1;
        else if (!failed && !OGR_G_IsEmpty(multi)) {
            /* LSOA edges from ONS files do not always meet exactly: out
             * by `close` metres and back closes the slivers between them */
            OGRGeometryH joined = OGR_G_UnionCascaded(multi);
            if (!joined) {
                /* a shape valid in its file's coordinates may cross itself
                 * once projected (GEOS's TopologyException): made valid,
                 * the union again */
                OGRGeometryH fixed = OGR_G_MakeValid(multi);
                OGRGeometryH polys = fixed ? OGR_G_CreateGeometry(wkbMultiPolygon) : NULL;
                if (polys) {
                    add_polygons(polys, fixed);
                    joined = OGR_G_UnionCascaded(polys);
                }
                OGR_G_DestroyGeometry(polys);
                OGR_G_DestroyGeometry(fixed);
            }
            OGRGeometryH grown = joined && close > 0 ? OGR_G_Buffer(joined, close, 8) : NULL;
            u = grown ? OGR_G_Buffer(grown, -close, 8) : joined;
            if (grown)
                OGR_G_DestroyGeometry(joined);
            OGR_G_DestroyGeometry(grown);
            if (!u)
                failed = "the union of the LSOA shapes (GDAL needs GEOS)";
            else if (!add_rings(&rd, u) && !rd.nomem)
                failed = "the rings of the union";
        }
        OGR_G_DestroyGeometry(u);
        OGR_G_DestroyGeometry(multi);
        rd.s->ring_first[h + 1] = rd.s->nrings;
    }
    char why[CSA_ERROR_VALUE_MAX];
    snprintf(why, sizeof why, "%s", CPLGetLastErrorMsg());
    CPLPopErrorHandler();
    if (rd.nomem || failed) {
        shapes_free(rd.s);
        if (rd.nomem)
            return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL,
                                 "out of memory dissolving the LSOA shapes");
        return csa_error_set(err, CSA_ERR_STATE, NULL, 0, 0, NULL, NULL,
                             "cannot dissolve the LSOA shapes into higher areas: %s failed%s%s",
                             failed, why[0] ? ": " : "", why);
    }
    rd.s->n = ngroups;
    if (!rd.s->point_first && !(rd.s->point_first = calloc(1, sizeof *rd.s->point_first))) {
        shapes_free(rd.s);
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    }
    *out = rd.s;
    return CSA_OK;
}
