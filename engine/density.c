/* Spatial methods on British National Grid shapes and points: quantile
 * classes for choropleths, points in an area, and the quartic kernel
 * density surface crime-mapping tools draw hotspots with. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csa/geo.h"

static const double PI = 3.14159265358979323846;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

csa_status csa_quantile_classes(size_t n, const double *values, int k, int *class_of,
                                double *lo, double *hi, size_t *count, csa_error *err)
{
    if (k < 1 || k > 20 || (n && (!values || !class_of)))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "quantile classes: %d classes (1 to 20) of %zu values", k, n);
    double *sorted = malloc((n ? n : 1) * sizeof *sorted);
    if (!sorted)
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(values[i]))
            sorted[m++] = values[i];
    qsort(sorted, m, sizeof *sorted, cmp_double);
    for (int c = 0; c < k; c++)
        lo[c] = hi[c] = NAN, count[c] = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(values[i])) {
            class_of[i] = -1;
            continue;
        }
        /* values below v: the first position of v in the sorted values */
        size_t a = 0, b = m;
        while (a < b) {
            size_t mid = a + (b - a) / 2;
            if (sorted[mid] < values[i])
                a = mid + 1;
            else
                b = mid;
        }
        int c = (int)((double)k * (double)a / (double)m);
        class_of[i] = c;
        count[c]++;
        if (isnan(lo[c]) || values[i] < lo[c])
            lo[c] = values[i];
        if (isnan(hi[c]) || values[i] > hi[c])
            hi[c] = values[i];
    }
    free(sorted);
    return CSA_OK;
}

/* The shapes' edges, bucketed by bands of northing, for crossing counts. */
typedef struct edges {
    double y0, band;
    size_t nbands;
    size_t *first;   /* nbands + 1 */
    size_t *edge;    /* indices of edges (their first point) in each band */
} edges;

static void edges_free(edges *e)
{
    free(e->first);
    free(e->edge);
}

static void bbox(const csa_shapes *s, double *x0, double *y0, double *x1, double *y1)
{
    *x0 = *y0 = INFINITY, *x1 = *y1 = -INFINITY;
    for (size_t i = 0; i < s->npoints; i++) {
        *x0 = fmin(*x0, s->x[i]), *x1 = fmax(*x1, s->x[i]);
        *y0 = fmin(*y0, s->y[i]), *y1 = fmax(*y1, s->y[i]);
    }
}

/* An edge is point p to p + 1 within a ring: every point but a ring's last. */
static int edges_make(const csa_shapes *s, edges *e)
{
    memset(e, 0, sizeof *e);
    double x0, y0, x1, y1;
    bbox(s, &x0, &y0, &x1, &y1);
    e->nbands = s->npoints / 8 + 1;
    e->y0 = y0;
    e->band = (y1 - y0) / (double)e->nbands + 1e-9;
    e->first = calloc(e->nbands + 1, sizeof *e->first);
    if (!e->first)
        return -1;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t r = 0; r < s->nrings; r++)
            for (size_t p = s->point_first[r]; p + 1 < s->point_first[r + 1]; p++) {
                double a = fmin(s->y[p], s->y[p + 1]), b = fmax(s->y[p], s->y[p + 1]);
                size_t ba = (size_t)((a - e->y0) / e->band), bb = (size_t)((b - e->y0) / e->band);
                bb = bb >= e->nbands ? e->nbands - 1 : bb;
                for (size_t k = ba; k <= bb; k++) {
                    if (pass == 0)
                        e->first[k + 1]++;
                    else
                        e->edge[e->first[k]++] = p;
                }
            }
        if (pass == 0) {
            for (size_t k = 0; k < e->nbands; k++)
                e->first[k + 1] += e->first[k];
            if (!(e->edge = malloc((e->first[e->nbands] + 1) * sizeof *e->edge)))
                return -1;
        } else { /* first[k] now holds band k's end: shift back */
            memmove(e->first + 1, e->first, e->nbands * sizeof *e->first);
            e->first[0] = 0;
        }
    }
    return 0;
}

static size_t band_of(const edges *e, double y)
{
    if (!(y >= e->y0))
        return SIZE_MAX;
    size_t b = (size_t)((y - e->y0) / e->band);
    return b < e->nbands ? b : SIZE_MAX;
}

/* Whether the edge from point p to p + 1 crosses the ray east of (x, y). */
static bool crosses(const csa_shapes *s, size_t p, double x, double y)
{
    double ya = s->y[p], yb = s->y[p + 1];
    return (ya > y) != (yb > y) && x < s->x[p] + (y - ya) / (yb - ya) * (s->x[p + 1] - s->x[p]);
}

static bool inside(const csa_shapes *s, const edges *e, double x, double y)
{
    size_t b = band_of(e, y);
    if (b == SIZE_MAX)
        return false;
    bool in = false;
    for (size_t k = e->first[b]; k < e->first[b + 1]; k++)
        in ^= crosses(s, e->edge[k], x, y);
    return in;
}

csa_status csa_points_locate(const csa_shapes *s, size_t n, const double *x, const double *y,
                             size_t *shape_out, size_t *also_out, csa_error *err)
{
    edges e;
    size_t *owner = malloc((s->npoints + 1) * sizeof *owner);
    size_t *touched = malloc((s->n + 1) * sizeof *touched);
    unsigned char *odd = calloc(s->n + 1, 1);
    if (!owner || !touched || !odd || edges_make(s, &e)) {
        if (owner && touched && odd)
            edges_free(&e);
        free(owner), free(touched), free(odd);
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    }
    /* the shape each ring point belongs to */
    for (size_t k = 0; k < s->n; k++)
        for (size_t g = s->ring_first[k]; g < s->ring_first[k + 1]; g++)
            for (size_t p = s->point_first[g]; p < s->point_first[g + 1]; p++)
                owner[p] = k;
    for (size_t i = 0; i < n; i++) {
        shape_out[i] = SIZE_MAX;
        if (also_out)
            also_out[i] = SIZE_MAX;
        size_t b = isnan(x[i]) ? SIZE_MAX : band_of(&e, y[i]), nt = 0;
        if (b == SIZE_MAX)
            continue;
        /* crossings to the east of the point, counted per shape (even-odd) */
        for (size_t k = e.first[b]; k < e.first[b + 1]; k++) {
            size_t p = e.edge[k];
            if (!crosses(s, p, x[i], y[i]))
                continue;
            size_t o = owner[p];
            if (!(odd[o] & 2))
                touched[nt++] = o, odd[o] |= 2;
            odd[o] ^= 1;
        }
        /* inside an odd number of times: the first such shape (LSOAs do
         * not overlap; on a shared edge the point goes to one of them) */
        for (size_t k = 0; k < nt; k++) {
            size_t t = touched[k];
            if (odd[t] & 1) {
                if (shape_out[i] == SIZE_MAX || t < shape_out[i]) {
                    if (also_out)
                        also_out[i] = shape_out[i];
                    shape_out[i] = t;
                } else if (also_out && (also_out[i] == SIZE_MAX || t < also_out[i])) {
                    also_out[i] = t;
                }
            }
            odd[t] = 0;
        }
    }
    edges_free(&e);
    free(owner), free(touched), free(odd);
    return CSA_OK;
}

void csa_density_free(csa_density *d)
{
    if (!d)
        return;
    free(d->density);
    free(d->in_area);
    free(d);
}

void csa_density_rule(const csa_shapes *s, double *cell, double *bandwidth)
{
    double x0, y0, x1, y1;
    bbox(s, &x0, &y0, &x1, &y1);
    double c = round(fmin(x1 - x0, y1 - y0) / 150 / 10) * 10;
    *cell = c < 10 ? 10 : c;
    *bandwidth = 5 * *cell;
}

csa_status csa_density_compute(const csa_shapes *s, size_t n, const double *x, const double *y,
                               double cell, double bandwidth, csa_density **out,
                               csa_error *err)
{
    *out = NULL;
    if (!s->npoints || !(cell > 0) || !(bandwidth >= cell))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "kernel density: no shapes, or a cell of %g m and a bandwidth of "
                             "%g m (at least one cell)", cell, bandwidth);
    double x0, y0, x1, y1;
    bbox(s, &x0, &y0, &x1, &y1);
    /* the cells on the national grid: edges at multiples of the cell, so
     * a cell's centre is whole metres (a cell of an even number of them) */
    x0 = floor(x0 / cell) * cell, y0 = floor(y0 / cell) * cell;
    size_t nx = (size_t)ceil((x1 - x0) / cell), ny = (size_t)ceil((y1 - y0) / cell);
    nx += !nx, ny += !ny;
    if (nx > 4000 || ny > 4000)
        return csa_error_set(err, CSA_ERR_LIMIT, NULL, 0, 0, NULL, NULL,
                             "kernel density: a grid of %zu x %zu cells is too fine", nx, ny);
    csa_density *d = calloc(1, sizeof *d);
    int h = (int)ceil(bandwidth / cell);
    size_t span = (size_t)(2 * h + 1);
    double *w = malloc(span * span * sizeof *w);
    size_t *at = malloc(span * span * sizeof *at);
    edges e = {0};
    if (!d || !w || !at || !(d->density = calloc(nx * ny, sizeof *d->density)) ||
        !(d->in_area = calloc(nx * ny, sizeof *d->in_area)) || edges_make(s, &e)) {
        free(w), free(at), edges_free(&e), csa_density_free(d);
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    }
    *d = (csa_density){x0, y0, cell, bandwidth, nx, ny, d->density, d->in_area, n};
    for (size_t r = 0; r < ny; r++)
        for (size_t c = 0; c < nx; c++)
            d->in_area[r * nx + c] = inside(s, &e, x0 + ((double)c + 0.5) * cell,
                                            y0 + ((double)r + 0.5) * cell);
    double km2 = cell * cell / 1e6, h2 = bandwidth * bandwidth;
    double norm = 3 / (PI * h2);
    for (size_t i = 0; i < n; i++) {
        long pc = (long)floor((x[i] - x0) / cell), pr = (long)floor((y[i] - y0) / cell);
        size_t k = 0;
        double total = 0;
        for (long r = pr - h; r <= pr + h; r++) {
            if (r < 0 || r >= (long)ny)
                continue;
            for (long c = pc - h; c <= pc + h; c++) {
                if (c < 0 || c >= (long)nx || !d->in_area[(size_t)r * nx + (size_t)c])
                    continue;
                double dx = x0 + ((double)c + 0.5) * cell - x[i];
                double dy = y0 + ((double)r + 0.5) * cell - y[i];
                double d2 = dx * dx + dy * dy;
                if (d2 >= h2)
                    continue;
                double t = 1 - d2 / h2;
                w[k] = norm * t * t;
                at[k++] = (size_t)r * nx + (size_t)c;
                total += w[k - 1];
            }
        }
        if (total > 0) {
            for (size_t j = 0; j < k; j++)
                d->density[at[j]] += w[j] / total / km2;
            continue;
        }
        /* no cell centre of the area within reach: the nearest one */
        size_t best = SIZE_MAX;
        double best_d2 = INFINITY;
        for (size_t cidx = 0; cidx < nx * ny; cidx++) {
            if (!d->in_area[cidx])
                continue;
            double dx = x0 + ((double)(cidx % nx) + 0.5) * cell - x[i];
            double dy = y0 + ((double)(cidx / nx) + 0.5) * cell - y[i];
            if (dx * dx + dy * dy < best_d2)
                best_d2 = dx * dx + dy * dy, best = cidx;
        }
        if (best != SIZE_MAX)
            d->density[best] += 1 / km2;
    }
    free(w), free(at), edges_free(&e);
    *out = d;
    return CSA_OK;
}
