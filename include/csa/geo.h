/* csa/geo.h: area shapes and points on the British National Grid, for
 * maps. Ingest reads boundary files (GeoJSON, GeoPackage, Shapefile)
 * through GDAL/OGR and projects them, and police.uk's longitudes and
 * latitudes, with OSR (PROJ) to British National Grid (EPSG:27700):
 * csa never does projection arithmetic of its own. The engine classes
 * values for a choropleth and computes kernel density surfaces on the
 * grid; shapes and grids are plain data the report draws. */
#ifndef CSA_GEO_H
#define CSA_GEO_H

#include <stddef.h>
#include <stdint.h>

#include "csa/error.h"
#include "csa/ingest.h"

/* Polygons in metres of British National Grid. Shape i's rings are
 * ring_first[i] .. ring_first[i + 1] - 1; ring k's points are
 * point_first[k] .. point_first[k + 1] - 1 (closed: the last repeats the
 * first). Rings of a shape are filled by the even-odd rule (holes and
 * islands alike). */
typedef struct csa_shapes {
    size_t n;
    char **code;          /* the code property's value */
    char **name;          /* the name property's value, or NULL */
    uint64_t *feature;    /* the feature's number in its file, from 1 */
    size_t *ring_first;   /* n + 1 */
    size_t nrings;
    size_t *point_first;  /* nrings + 1 */
    size_t npoints;
    double *x, *y;        /* npoints */
    const char *code_property, *name_property; /* as the file names them; name: NULL */
    const char *layer;    /* the layer read, when the file has several (else NULL) */
    size_t nlayers;       /* the file's layers, when it has several (else 0) */
} csa_shapes;

void csa_shapes_free(csa_shapes *s);

/* What a boundary file must hold. expect (or NULL): the area's LSOA codes,
 * each of which must have a shape (missing-shape); a shape of another code
 * is outside-area (a warning: it is not drawn). other_vintage (or NULL):
 * codes of another LSOA vintage than expect's (2021 codes that are no 2011
 * code), whose shapes are other-vintage errors. */
typedef struct csa_boundary_options {
    const char *const *expect;
    size_t nexpect;
    const char *const *other_vintage;
    size_t nother_vintage;
    size_t keep_per_check; /* findings kept per check; 0: 20 */
} csa_boundary_options;

/* Reads the boundary file at path with GDAL (its first layer): the code
 * property found by the spec `boundaries`' LSOA code column (LSOA11CD,
 * LSOA21CD, ... in any case), the name property when there is one, each
 * polygon or multipolygon projected to British National Grid. Problems
 * of the file are findings in *out, as csa_validate gives them (the
 * feature number as the line, the property as the field): not a boundary
 * file GDAL can read (unreadable-boundaries), no code property
 * (no-code-property), no or an unusable coordinate system, or shapes
 * that fall outside Great Britain once projected (projection), a blank
 * or malformed code (bad-area-code), a code twice (duplicate-area), a
 * missing, empty, invalid or non-polygon geometry (bad-geometry), and the
 * checks against opt above. *shapes (may be NULL when not wanted) holds
 * the usable shapes of expect's codes (of every code without expect), in
 * file order; both are the caller's. CSA_OK unless out of memory. */
csa_status csa_read_boundaries(const char *path, const csa_boundary_options *opt,
                               csa_shapes **shapes, csa_validation **out, csa_error *err);

/* Loads the GDAL module that the functions here use (once; they load it
 * themselves when it is not): to be called on a thread of its own while
 * the caller does other work, so that the maps do not wait for it. Safe
 * beside the others. */
void csa_geo_load(void);

/* Projects n WGS84 longitudes and latitudes (degrees) to British National
 * Grid metres, in place: x[i] = lon[i] on entry, easting on return; y
 * likewise. A point that cannot be projected becomes NaN. */
csa_status csa_project_wgs84(size_t n, double *x, double *y, csa_error *err);

/* Dissolves the shapes into ngroups higher areas (wards, MSOAs): shape
 * i joins group[i] (SIZE_MAX: none), the union of a group's shapes by
 * GDAL (OGR_G_UnionCascaded, GEOS) is grown by `close` metres and shrunk
 * back by as much, which closes the slivers left where neighbouring
 * shapes' edges do not quite meet (0: not done). *out (the caller's,
 * csa_shapes_free) has ngroups shapes, in group order, code[h] a copy of
 * codes[h] (codes may be NULL), name NULL, feature h + 1; a group with no
 * shape has no rings. */
csa_status csa_dissolve_shapes(const csa_shapes *s, const size_t *group, size_t ngroups,
                               const char *const *codes, double close, csa_shapes **out,
                               csa_error *err);

/* ---- computed on them (engine) ---- */

/* The classes of n values by the rule of quantile classes: a value v is
 * in class floor(k x (values below v) / m), m being the values that are
 * not NaN; NaN is class -1. Equal values share a class, so a class may be
 * empty. class_of[n]; lo[k], hi[k]: the least and greatest value of each
 * class (NaN when empty); count[k] its values. k from 1 to 20. */
csa_status csa_quantile_classes(size_t n, const double *values, int k, int *class_of,
                                double *lo, double *hi, size_t *count, csa_error *err);

/* Which shape each point falls in (even-odd over the shape's rings):
 * shape_out[i] the shape's index, SIZE_MAX when in none or a
 * coordinate is NaN. A point on an edge two shapes share goes to one of
 * them, the lower index where both count it inside. also_out (or NULL):
 * the next shape the point is inside too, SIZE_MAX when none (shapes
 * that overlap). */
csa_status csa_points_locate(const csa_shapes *s, size_t n, const double *x, const double *y,
                             size_t *shape_out, size_t *also_out, csa_error *err);

/* A density surface: cells of `cell` metres, nx across from x0 (west
 * edge) and ny up from y0 (south edge), x0 and y0 the shapes' west and
 * south edges rounded down to a multiple of the cell (the cells lie on
 * the national grid's); density[row * nx + col] per
 * square km, row 0 the southernmost; in_area[] the cells whose centre is
 * inside the shapes. */
typedef struct csa_density {
    double x0, y0, cell, bandwidth;
    size_t nx, ny;
    double *density;
    bool *in_area;
    size_t points;      /* the points it sums */
} csa_density;

void csa_density_free(csa_density *d);

/* The bandwidth and cell size of the rule: cell = the shorter side of
 * the shapes' bounding box / 150, rounded to 10 m (at least 10 m);
 * bandwidth = 5 cells. */
void csa_density_rule(const csa_shapes *s, double *cell, double *bandwidth);

/* Kernel density of the n points (all inside the shapes) with the
 * quartic kernel K(d) = 3 / (pi h^2) x (1 - d^2 / h^2)^2 for d < h on a
 * grid over the shapes' bounding box, clipped to the shapes: only cells
 * whose centre is inside hold density. Each point's kernel is scaled so
 * that its weights over those cells sum to 1 (a kernel that reaches
 * beyond the area's edge keeps its mass inside: every point counts
 * once); a point whose kernel reaches no such cell centre counts whole
 * in the nearest one. So the densities x cell area (km^2) sum to n. *out
 * is the caller's (csa_density_free). */
csa_status csa_density_compute(const csa_shapes *s, size_t n, const double *x, const double *y,
                               double cell, double bandwidth, csa_density **out,
                               csa_error *err);

#endif
