/* The GDAL module's entry points (ingest/boundaries.c, built as
 * libcsa-gdal.so), which ingest/geo.c loads on first use: csa/geo.h's
 * csa_read_boundaries, csa_project_wgs84 and csa_dissolve_shapes do what
 * these do. */
#ifndef CSA_INGEST_GEO_MODULE_H
#define CSA_INGEST_GEO_MODULE_H

#include "csa/geo.h"

typedef csa_status (*csa_read_boundaries_fn)(const char *path, const csa_boundary_options *opt,
                                             csa_shapes **shapes, csa_validation **out,
                                             csa_error *err);
typedef csa_status (*csa_project_wgs84_fn)(size_t n, double *x, double *y, csa_error *err);
typedef csa_status (*csa_dissolve_shapes_fn)(const csa_shapes *s, const size_t *group,
                                             size_t ngroups, const char *const *codes,
                                             double close, csa_shapes **out, csa_error *err);

csa_status csa_read_boundaries_gdal(const char *path, const csa_boundary_options *opt,
                                    csa_shapes **shapes, csa_validation **out, csa_error *err);
csa_status csa_project_wgs84_gdal(size_t n, double *x, double *y, csa_error *err);
csa_status csa_dissolve_shapes_gdal(const csa_shapes *s, const size_t *group, size_t ngroups,
                                    const char *const *codes, double close, csa_shapes **out,
                                    csa_error *err);

#endif
