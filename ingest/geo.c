/* Boundaries and projection through the GDAL module (libcsa-gdal.so),
 * loaded the first time a map needs it, so that commands without maps do
 * not load GDAL's libraries. */
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csa/file.h"
#include "csa/thread.h"
#include "geo_module.h"

#define MODULE_NAME "libcsa-gdal.so"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static csa_read_boundaries_fn read_fn;
static csa_project_wgs84_fn project_fn;
static csa_dissolve_shapes_fn dissolve_fn;
static char why[512];

/* The module beside the program (the build folder; tests/ is one below
 * it), then where it is installed; CSA_GDAL_MODULE names another. */
static void *open_module(void)
{
    const char *env = getenv("CSA_GDAL_MODULE");
    if (env && *env)
        return dlopen(env, RTLD_NOW | RTLD_LOCAL);
    char exe[PATH_MAX];
    if (csa_program_dir(exe, sizeof exe)) {
        static const char *const rel[] = {"/" MODULE_NAME, "/../" MODULE_NAME};
        for (size_t k = 0; k < sizeof rel / sizeof rel[0]; k++) {
            char path[PATH_MAX + 32];
            snprintf(path, sizeof path, "%s%s", exe, rel[k]);
            if (access(path, R_OK) == 0) {
                void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
                if (h)
                    return h;
                snprintf(why, sizeof why, "%s", dlerror());
            }
        }
    }
    return dlopen(CSA_GDAL_MODULE_INSTALLED, RTLD_NOW | RTLD_LOCAL);
}

static void load(void)
{
    void *h = open_module();
    if (!h) {
        if (!why[0])
            snprintf(why, sizeof why, "%s", dlerror());
        return;
    }
    read_fn = (csa_read_boundaries_fn)dlsym(h, "csa_read_boundaries_gdal");
    project_fn = (csa_project_wgs84_fn)dlsym(h, "csa_project_wgs84_gdal");
    dissolve_fn = (csa_dissolve_shapes_fn)dlsym(h, "csa_dissolve_shapes_gdal");
    if (!read_fn || !project_fn || !dissolve_fn)
        snprintf(why, sizeof why, "%s has no csa entry points", MODULE_NAME);
}

void csa_geo_load(void)
{
    pthread_once(&once, load);
}

static csa_status unavailable(csa_error *err)
{
    /* under a memory limit the loader cannot map GDAL's libraries */
    if (strstr(why, "map segment") || strstr(why, "allocate memory"))
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL,
                             "out of memory: loading csa's GDAL module (%s) for the maps "
                             "needs more than the process may have (see ulimit -v): %s",
                             MODULE_NAME, why);
    return csa_error_set(err, CSA_ERR_STATE, NULL, 0, 0, NULL, NULL,
                         "cannot load csa's GDAL module (%s), which reads boundary files and "
                         "projects map points: %s (set CSA_GDAL_MODULE to its path)",
                         MODULE_NAME, why);
}

csa_status csa_read_boundaries(const char *path, const csa_boundary_options *opt,
                               csa_shapes **shapes, csa_validation **out, csa_error *err)
{
    pthread_once(&once, load);
    if (shapes)
        *shapes = NULL;
    *out = NULL;
    if (!read_fn || !project_fn)
        return unavailable(err);
    return read_fn(path, opt, shapes, out, err);
}

typedef struct project_half {
    size_t n;
    double *x, *y;
    csa_status st;
    csa_error err;
} project_half;

static void *project_half_run(void *arg)
{
    project_half *h = arg;
    h->st = project_fn(h->n, h->x, h->y, &h->err);
    return NULL;
}

csa_status csa_project_wgs84(size_t n, double *x, double *y, csa_error *err)
{
    pthread_once(&once, load);
    if (!read_fn || !project_fn)
        return unavailable(err);
    /* a force's year of map points (hundreds of thousands: 0.13 s of
     * CPU in PROJ for Milton Keynes' 36-month history) in two halves on
     * two threads; each point is projected alone, so the halves give what
     * one pass does, and each thread makes its own transformation */
    enum { HALVES_FROM = 1 << 16 };
    project_half h = {n - n / 2, x + n / 2, y + n / 2, CSA_OK, {0}};
    pthread_t tid;
    if (n < HALVES_FROM || !csa_thread_start(&tid, project_half_run, &h))
        return project_fn(n, x, y, err);
    csa_status st = project_fn(n / 2, x, y, err);
    pthread_join(tid, NULL);
    if (!st && h.st)
        *err = h.err, st = h.st;
    return st;
}

csa_status csa_dissolve_shapes(const csa_shapes *s, const size_t *group, size_t ngroups,
                               const char *const *codes, double close, csa_shapes **out,
                               csa_error *err)
{
    pthread_once(&once, load);
    *out = NULL;
    if (!read_fn || !project_fn || !dissolve_fn)
        return unavailable(err);
    return dissolve_fn(s, group, ngroups, codes, close, out, err);
}

void csa_shapes_free(csa_shapes *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->code[i]);
        free(s->name[i]);
    }
    free(s->code);
    free(s->name);
    free(s->feature);
    free(s->ring_first);
    free(s->point_first);
    free(s->x);
    free(s->y);
    free((char *)s->code_property);
    free((char *)s->name_property);
    free((char *)s->layer);
    free(s);
}
