/* Memory kept until the run is freed, and result tables built from plain
 * arrays. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void *as_keep(csa_assess *r, void *p)
{
    void **k = p ? realloc(r->keep, (r->nkeep + 1) * sizeof *k) : NULL;
    if (!k) {
        free(p);
        r->nomem = true;
        return NULL;
    }
    r->keep = k;
    k[r->nkeep++] = p;
    return p;
}

void *as_calloc(csa_assess *r, size_t n, size_t size)
{
    return as_keep(r, calloc(n ? n : 1, size));
}

const char *as_fmt(csa_assess *r, const char *fmt, ...)
{
    va_list ap;
    char *s = NULL;
    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return as_keep(r, s);
}

static const csa_table *keep_table(csa_assess *r, csa_table *t)
{
    csa_table **v = t ? realloc(r->tables, (r->ntables + 1) * sizeof *v) : NULL;
    if (!v) {
        csa_table_free(t);
        r->nomem = true;
        return NULL;
    }
    r->tables = v;
    v[r->ntables++] = t;
    return t;
}

const csa_table *as_table(csa_assess *r, size_t nrows, const as_col *cols, size_t ncols)
{
    csa_table *t = csa_table_create();
    csa_value *v = calloc(ncols, sizeof *v);
    bool *whole = calloc(ncols ? ncols : 1, sizeof *whole);
    csa_status st = t && v && whole ? CSA_OK : CSA_ERR_NOMEM;
    /* a count shared out (an LSOA with several parents) may be fractional:
     * such a column keeps its fractions rather than round them away */
    for (size_t c = 0; c < ncols && !st; c++) {
        whole[c] = cols[c].whole;
        for (size_t i = 0; whole[c] && !cols[c].s && i < nrows; i++)
            whole[c] = isnan(cols[c].d[i]) || cols[c].d[i] == floor(cols[c].d[i]);
        st = csa_table_add_column(t, cols[c].name, cols[c].s ? CSA_STRING
                                                   : whole[c] ? CSA_INT64
                                                              : CSA_DOUBLE);
    }
    for (size_t i = 0; i < nrows && !st; i++) {
        for (size_t c = 0; c < ncols; c++) {
            if (cols[c].s) {
                const char *s = cols[c].s[i];
                v[c] = (csa_value){.missing = !s, .v.str = {s ? s : "", s ? strlen(s) : 0}};
            } else {
                double d = isnan(cols[c].d[i]) ? 0 : cols[c].d[i];
                v[c] = whole[c] ? (csa_value){.v.i = (int64_t)llround(d)}
                                     : (csa_value){.v.d = d};
                v[c].missing = isnan(cols[c].d[i]);
            }
        }
        st = csa_table_append_row(t, v, NULL);
    }
    free(v);
    free(whole);
    if (st) {
        csa_table_free(t);
        r->nomem = true;
        return NULL;
    }
    csa_table_freeze(t);
    return keep_table(r, t);
}

double as_cell(const csa_table *t, size_t col, size_t row)
{
    if (col == CSA_NO_ROW || !csa_table_valid(t, col, row))
        return NAN;
    return csa_table_column_type(t, col) == CSA_INT64 ? (double)csa_table_int64s(t, col)[row]
                                                       : csa_table_doubles(t, col)[row];
}

const char *as_text(const csa_table *t, size_t col, size_t row)
{
    if (col == CSA_NO_ROW || !csa_table_valid(t, col, row))
        return NULL;
    return csa_dict_string(csa_table_dict(t, col), csa_table_codes(t, col)[row], NULL);
}

size_t as_role(const csa_table *t, const csa_spec *spec, csa_role role)
{
    size_t k = csa_spec_role(spec, role);
    return k == CSA_NO_ROW ? CSA_NO_ROW : csa_table_find(t, spec->columns[k].name);
}
