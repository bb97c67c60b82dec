/* Primary and secondary suppression of small counts in a table with
 * margins; the rule is described in csa/disclosure.h. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csa/disclosure.h"

void csa_disclosure_defaults(csa_disclosure_options *opt)
{
    opt->threshold = 5;
    opt->suppress_zero = 0;
    opt->row_totals = 1;
    opt->col_totals = 1;
}

/* A row or column of the grid: nmembers entries from `first`, `stride`
 * apart, adding up to the entry at `total`. */
/* A line of entries adding up to its total: members first + k x stride
 * (a table's row or column), or members[k] when members is not NULL
 * (csa_suppress_lines's groups). */
typedef struct line {
    size_t first, stride, nmembers, total;
    const size_t *members;
} line;

static size_t member(const line *l, size_t k)
{
    return l->members ? l->members[k] : l->first + k * l->stride;
}

static int hidden(unsigned char mark)
{
    return mark == CSA_CELL_PRIMARY || mark == CSA_CELL_SECONDARY;
}

/* Whether a shown entry of value a makes a better partner than one of b:
 * above 0 first, then the smaller. */
static int better_partner(double a, double b)
{
    if ((a > 0) != (b > 0))
        return a > 0;
    return a < b;
}

/* The best member still shown; SIZE_MAX if every member is hidden. Ties go
 * to the first. */
static size_t partner(const line *l, const double *v, const unsigned char *marks)
{
    size_t best = SIZE_MAX;
    for (size_t k = 0; k < l->nmembers; k++) {
        size_t e = member(l, k);
        if (marks[e] == CSA_CELL_SHOWN && (best == SIZE_MAX || better_partner(v[e], v[best])))
            best = e;
    }
    return best;
}

/* Returns 1 if it suppressed an entry. */
static int protect_line(const line *l, const double *v, unsigned char *marks)
{
    size_t nhidden = hidden(marks[l->total]);
    for (size_t k = 0; k < l->nmembers && nhidden < 2; k++)
        nhidden += hidden(marks[member(l, k)]);
    if (nhidden != 1)
        return 0;
    size_t e = partner(l, v, marks);
    if (e == SIZE_MAX) {
        /* a line with no members has a total of 0 that gives nothing away */
        if (hidden(marks[l->total]))
            return 0;
        e = l->total;
    }
    marks[e] = CSA_CELL_SECONDARY;
    return 1;
}

static csa_status check_counts(size_t nrows, size_t ncols, const double *counts,
                               csa_error *err)
{
    for (size_t i = 0; i < nrows; i++)
        for (size_t j = 0; j < ncols; j++) {
            double c = counts[i * ncols + j];
            if (!(c >= 0) || isinf(c))
                return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, "count", NULL,
                                     "row %zu, column %zu: count %g is not a number of 0 or "
                                     "more",
                                     i, j, c);
        }
    return CSA_OK;
}

static void fill_grid(size_t nrows, size_t ncols, const double *counts, double *v)
{
    size_t cols = ncols + 1;
    memset(v, 0, (nrows + 1) * cols * sizeof *v);
    for (size_t i = 0; i < nrows; i++)
        for (size_t j = 0; j < ncols; j++) {
            double c = counts[i * ncols + j];
            v[i * cols + j] = c;
            v[i * cols + ncols] += c;
            v[nrows * cols + j] += c;
            v[nrows * cols + ncols] += c;
        }
}

static int published(size_t i, size_t j, size_t nrows, size_t ncols,
                     const csa_disclosure_options *opt)
{
    if (i == nrows && !opt->col_totals)
        return 0;
    if (j == ncols && !opt->row_totals)
        return 0;
    return 1;
}

static void mark_primary(size_t nrows, size_t ncols, const double *v,
                         const csa_disclosure_options *opt, unsigned char *marks,
                         csa_suppression_summary *s)
{
    size_t cols = ncols + 1;
    for (size_t i = 0; i <= nrows; i++)
        for (size_t j = 0; j <= ncols; j++) {
            size_t e = i * cols + j;
            double c = v[e];
            if (!published(i, j, nrows, ncols, opt))
                marks[e] = CSA_CELL_NOT_PUBLISHED;
            else if (c < opt->threshold && (c > 0 || opt->suppress_zero)) {
                marks[e] = CSA_CELL_PRIMARY;
                s->primary++;
            } else
                marks[e] = CSA_CELL_SHOWN;
        }
}

/* A line exists only where its total is published: rows need row totals,
 * columns column totals, and the totals row and column both. */
static size_t one_pass(size_t nrows, size_t ncols, const double *v,
                       const csa_disclosure_options *opt, unsigned char *marks)
{
    size_t cols = ncols + 1, changed = 0;
    if (opt->row_totals)
        for (size_t i = 0; i <= nrows; i++) {
            if (i == nrows && !opt->col_totals)
                break;
            line l = {i * cols, 1, ncols, i * cols + ncols, NULL};
            changed += (size_t)protect_line(&l, v, marks);
        }
    if (opt->col_totals)
        for (size_t j = 0; j <= ncols; j++) {
            if (j == ncols && !opt->row_totals)
                break;
            line l = {j, cols, nrows, nrows * cols + j, NULL};
            changed += (size_t)protect_line(&l, v, marks);
        }
    return changed;
}

csa_status csa_suppress_table(size_t nrows, size_t ncols, const double *counts,
                              const csa_disclosure_options *opt, unsigned char *marks,
                              double *with_margins, csa_suppression_summary *summary,
                              csa_error *err)
{
    csa_suppression_summary s = {0, 0, 0};
    if (!(opt->threshold > 0) || isinf(opt->threshold))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "the suppression threshold must be above 0, not %g",
                             opt->threshold);
    if (nrows == SIZE_MAX || ncols == SIZE_MAX ||
        nrows + 1 > SIZE_MAX / (ncols + 1) / sizeof(double))
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL,
                             "a table of %zu by %zu is too big", nrows, ncols);
    csa_status st = check_counts(nrows, ncols, counts, err);
    if (st)
        return st;
    size_t size = (nrows + 1) * (ncols + 1);
    double *v = with_margins ? with_margins : malloc(size * sizeof *v);
    if (!v)
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    fill_grid(nrows, ncols, counts, v);
    mark_primary(nrows, ncols, v, opt, marks, &s);
    size_t changed;
    do {
        changed = one_pass(nrows, ncols, v, opt, marks);
        s.secondary += changed;
        s.passes++;
    } while (changed);
    if (summary)
        *summary = s;
    if (v != with_margins)
        free(v);
    return CSA_OK;
}

/* ---- counts in several groupings (csa_suppress_lines) ---- */

csa_status csa_suppress_lines(size_t n, const double *counts, size_t ngroupings,
                              const int *const *group, const size_t *ngroups,
                              const csa_disclosure_options *opt, unsigned char *marks,
                              unsigned char *const *group_marks, unsigned char *total_mark,
                              csa_suppression_summary *summary, csa_error *err)
{
    csa_suppression_summary s = {0, 0, 0};
    if (!(opt->threshold > 0) || isinf(opt->threshold))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "the suppression threshold must be above 0, not %g",
                             opt->threshold);
    for (size_t i = 0; i < n; i++)
        if (!(counts[i] >= 0) || isinf(counts[i]))
            return csa_error_set(err, CSA_ERR_VALUE, NULL, 0, 0, "count", NULL,
                                 "count %zu: %g is not a number of 0 or more", i, counts[i]);
    /* entries: the n counts, each grouping's groups and its group of none,
     * the grand total */
    size_t nentries = n + 1, nlines = 1 + ngroupings, nmembers = n;
    for (size_t g = 0; g < ngroupings; g++) {
        for (size_t i = 0; i < n; i++)
            if (group[g][i] < -1 || (group[g][i] >= 0 && (size_t)group[g][i] >= ngroups[g]))
                return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                                     "count %zu: group %d of grouping %zu is not -1 to %zu", i,
                                     group[g][i], g, ngroups[g] - 1);
        nentries += ngroups[g] + 1, nlines += ngroups[g] + 1, nmembers += n + ngroups[g] + 1;
    }
    double *v = calloc(nentries, sizeof *v);
    unsigned char *m = calloc(nentries, 1);
    size_t *first = calloc(ngroupings + 1, sizeof *first), *mem = calloc(nmembers + 1, sizeof *mem);
    line *lines = calloc(nlines, sizeof *lines);
    size_t *fill = calloc(nentries, sizeof *fill);
    csa_status st = CSA_OK;
    if (!v || !m || !first || !mem || !lines || !fill) {
        st = csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
        goto done;
    }
    size_t grand = nentries - 1, at = 0, nl = 0;
    for (size_t i = 0; i < n; i++)
        v[i] = counts[i], v[grand] += counts[i];
    /* the grand total's line over the counts */
    lines[nl++] = (line){.nmembers = n, .total = grand, .members = mem + at};
    for (size_t i = 0; i < n; i++)
        mem[at++] = i;
    size_t base = n;
    for (size_t g = 0; g < ngroupings; g++) {
        size_t k = ngroups[g] + 1; /* the last: the group of none */
        first[g] = base;
        for (size_t i = 0; i < n; i++) {
            size_t e = base + (group[g][i] < 0 ? k - 1 : (size_t)group[g][i]);
            v[e] += counts[i], fill[e]++;
        }
        /* each group's line: members laid out group by group */
        size_t *start = mem + at;
        size_t *pos = calloc(k, sizeof *pos);
        if (!pos) {
            st = csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
            goto done;
        }
        for (size_t j = 0, off = 0; j < k; j++)
            pos[j] = off, off += fill[base + j];
        for (size_t j = 0; j < k; j++)
            lines[nl++] = (line){.nmembers = fill[base + j], .total = base + j,
                                 .members = start + pos[j]};
        for (size_t i = 0; i < n; i++) {
            size_t j = group[g][i] < 0 ? k - 1 : (size_t)group[g][i];
            start[pos[j]++] = i;
        }
        free(pos);
        at += n;
        /* the groups' totals under the grand total */
        lines[nl++] = (line){.nmembers = k, .total = grand, .members = mem + at};
        for (size_t j = 0; j < k; j++)
            mem[at++] = base + j;
        base += k;
    }
    for (size_t e = 0; e < nentries; e++)
        if (v[e] < opt->threshold && (v[e] > 0 || opt->suppress_zero))
            m[e] = CSA_CELL_PRIMARY, s.primary++;
    size_t changed;
    do {
        changed = 0;
        for (size_t l = 0; l < nl; l++)
            changed += (size_t)protect_line(&lines[l], v, m);
        s.secondary += changed;
        s.passes++;
    } while (changed);
    memcpy(marks, m, n);
    for (size_t g = 0; g < ngroupings; g++)
        if (group_marks && group_marks[g])
            memcpy(group_marks[g], m + first[g], ngroups[g] + 1);
    if (total_mark)
        *total_mark = m[grand];
    if (summary)
        *summary = s;
done:
    free(v), free(m), free(first), free(mem), free(lines), free(fill);
    return st;
}
