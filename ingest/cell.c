/* Cells and headers as every spec reads them: shared by ingest and
 * validation so both agree on what a value is. */
#include <stdio.h>
#include <string.h>

#include "reader.h"

/* What partners' tools write for a number withheld to protect people. */
static bool suppression_marker(const char *s, size_t len)
{
    return (len == 1 && (*s == '*' || *s == 'c')) || (len == 2 && memcmp(s, "..", 2) == 0);
}

cell_status parse_cell(const csa_spec_column *c, const char *s, size_t len, csa_value *v,
                       char *what, size_t size)
{
    memset(v, 0, sizeof *v);
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    size_t trimmed = len;
    while (trimmed && (s[trimmed - 1] == ' ' || s[trimmed - 1] == '\t'))
        trimmed--;
    if (!trimmed) {
        v->missing = true;
        return CELL_BLANK;
    }
    double num = 0;
    bool ok = true;
    const char *bad = NULL;
    switch (c->type) {
    case CSA_INT64:
        ok = csa_parse_int64(s, trimmed, &v->v.i);
        num = (double)v->v.i;
        bad = ok || !csa_parse_double(s, trimmed, &num) ? " is not a number"
                                                        : " is not a whole number";
        break;
    case CSA_DOUBLE:
        ok = csa_parse_double(s, trimmed, &v->v.d);
        num = v->v.d;
        bad = " is not a number";
        break;
    case CSA_DATE:
        ok = csa_parse_date(s, trimmed, &v->v.date);
        bad = " is not a date (dates are read as 2018-06, 2018-06-30 or 30/06/2018)";
        break;
    case CSA_BOOL:
        ok = trimmed == 1 && (*s == '0' || *s == '1');
        v->v.b = *s == '1';
        bad = " is not 0 or 1";
        break;
    case CSA_STRING:
        v->v.str.s = s;
        v->v.str.len = trimmed; /* codes must match whatever spaces surround them */
        return CELL_OK;
    }
    if (!ok && (c->type == CSA_INT64 || c->type == CSA_DOUBLE) &&
        suppression_marker(s, trimmed)) {
        v->missing = true;
        return CELL_SUPPRESSED;
    }
    if (!ok) {
        snprintf(what, size, "%s", bad);
        return CELL_BAD;
    }
    if ((c->flags & CSA_COL_RANGE) && (num < c->min || num > c->max)) {
        if (num < 0 && c->min == 0)
            snprintf(what, size, " is negative");
        else
            snprintf(what, size, " is outside %.10g to %.10g", c->min, c->max);
        return CELL_RANGE;
    }
    return CELL_OK;
}

void map_header(const csa_spec *spec, const reader_row *row, size_t *field_of, size_t *dup,
                size_t *dup_field)
{
    *dup = CSA_NO_ROW;
    for (size_t c = 0; c < spec->ncolumns; c++)
        field_of[c] = CSA_NO_ROW;
    for (size_t f = 0; f < row->nfields; f++)
        for (size_t c = 0; c < spec->ncolumns; c++) {
            if (!csa_spec_column_matches(&spec->columns[c], row->fields[f], row->lens[f]))
                continue;
            if (field_of[c] != CSA_NO_ROW) {
                if (*dup == CSA_NO_ROW) {
                    *dup = c;
                    *dup_field = f;
                }
            } else {
                field_of[c] = f;
            }
            break;
        }
}
