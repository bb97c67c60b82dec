/* The GDAL module's entry points (ingest/boundaries.c, built as
 * libcsa-gdal.so), which ingest/geo.c loads on first use: csa/geo.h's
 * csa_read_boundaries and csa_project_wgs84 do what these do. */
#ifndef CSA_INGEST_GEO_MODULE_H
#define CSA_INGEST_GEO_MODULE_H

#include "csa/geo.h"

typedef csa_status (*csa_read_boundaries_fn)(const char *path, const csa_boundary_options *opt,
                                             csa_shapes **shapes, csa_validation **out,
                                             csa_error *err);
typedef csa_status (*csa_project_wgs84_fn)(size_t n, double *x, double *y, csa_error *err);

csa_status csa_read_boundaries_gdal(const char *path, const csa_boundary_options *opt,
                                    csa_shapes **shapes, csa_validation **out, csa_error *err);
csa_status csa_project_wgs84_gdal(size_t n, double *x, double *y, csa_error *err);

#endif
