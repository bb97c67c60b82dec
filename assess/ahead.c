/* The area's LSOAs known before the inputs are read: they come from the
 * deprivation input (and the LSOA lookup), which are read with the rest
 * only after every input is validated, but the police history is thinned
 * as it is read (thin.c) and the boundaries are read beside validation
 * (inputs.c). Both take the lists from here, worked out once, on the main
 * thread, from a peek at those two files by as_find_area's rule. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

csa_table *as_peek_reference(const csa_config *c, size_t i, csa_role a, csa_role b)
{
    const csa_config_input *ci = &c->inputs[i];
    size_t ka = csa_spec_role(ci->spec, a), kb = csa_spec_role(ci->spec, b);
    if (ci->files.n != 1 || ka == CSA_NO_ROW || kb == CSA_NO_ROW)
        return NULL;
    const char *cols[2] = {ci->spec->columns[ka].name, ci->spec->columns[kb].name};
    csa_table *t = NULL;
    csa_error err;
    if (csa_ingest_reference(ci->files.v[0], ci->spec, cols, 2, &t, &err)) {
        csa_table_free(t);
        return NULL;
    }
    return t;
}

size_t as_other_vintage(const csa_dict *now, const csa_dict *imd, const char **out)
{
    size_t n = 0;
    for (uint32_t k = 0; k < csa_dict_size(now); k++) {
        size_t len;
        const char *code = csa_dict_string(now, k, &len);
        if (csa_dict_find(imd, code, len) == CSA_NO_CODE)
            out[n++] = code;
    }
    return n;
}

static bool listed(const csa_config_list *l, const char *s)
{
    for (size_t k = 0; k < l->n; k++)
        if (!strcmp(l->v[k], s))
            return true;
    return false;
}

static bool add_code(csa_table *set, const char *s)
{
    csa_value v = {.v.str = {s, strlen(s)}};
    return csa_dict_find(csa_table_dict(set, 0), s, v.v.str.len) != CSA_NO_CODE ||
           csa_table_append_row(set, &v, NULL) == CSA_OK;
}

/* Copies of list[0..n), kept with the run. */
static char **kept_copies(csa_assess *r, const char *const *list, size_t n)
{
    char **out = as_calloc(r, n + 1, sizeof *out);
    for (size_t k = 0; out && k < n; k++)
        out[k] = (char *)as_fmt(r, "%s", list[k]);
    return r->nomem ? NULL : out;
}

static bool work_out(csa_assess *r, as_ahead *a)
{
    const csa_config *c = r->cfg;
    csa_table *imd = as_peek_reference(c, c->deprivation, CSA_ROLE_LSOA, CSA_ROLE_LA);
    csa_table *lk = imd && c->lsoa_lookup != SIZE_MAX
                        ? as_peek_reference(c, c->lsoa_lookup, CSA_ROLE_LSOA, CSA_ROLE_AREA)
                        : NULL;
    size_t n = imd ? csa_table_nrows(imd) : 0;
    const char **area = imd ? calloc(n + 1, sizeof *area) : NULL;
    const char **other = lk ? calloc(csa_dict_size(csa_table_dict(lk, 1)) + 1, sizeof *other)
                            : NULL;
    bool ok = area && (c->lsoa_lookup == SIZE_MAX || other) && (a->keep = csa_table_create()) &&
              csa_table_add_column(a->keep, "LSOA", CSA_STRING) == CSA_OK;
    csa_config_list las = {c->la_code ? &((csa_config *)c)->la_code : NULL, c->la_code ? 1 : 0};
    const csa_dict *codes = imd ? csa_table_dict(imd, 0) : NULL;
    for (size_t row = 0; ok && row < n; row++) {
        const char *lsoa = csa_dict_string(codes, csa_table_codes(imd, 0)[row], NULL);
        const char *la = csa_table_valid(imd, 1, row)
                             ? csa_dict_string(csa_table_dict(imd, 1), csa_table_codes(imd, 1)[row],
                                               NULL)
                             : "";
        /* the area: its LA's LSOAs, or without la_code the listed ones */
        if (c->la_code ? !strcmp(la, c->la_code) : listed(&c->lsoas, lsoa))
            area[a->narea++] = lsoa;
        /* kept: the area's, the comparator LAs' and the listed LSOAs */
        if (listed(&las, la) || listed(&c->comparator_areas, la) || listed(&c->lsoas, lsoa))
            ok = add_code(a->keep, lsoa);
    }
    /* a 2021 code whose 2011 parent is kept (as_map_lsoas deals its rows
     * among its parents), and the lookup's codes of another vintage */
    for (size_t row = 0; ok && lk && row < csa_table_nrows(lk); row++) {
        size_t len;
        const char *parent = csa_dict_string(csa_table_dict(lk, 0), csa_table_codes(lk, 0)[row],
                                             &len);
        if (csa_table_valid(lk, 1, row) &&
            csa_dict_find(csa_table_dict(a->keep, 0), parent, len) != CSA_NO_CODE)
            ok = add_code(a->keep, csa_dict_string(csa_table_dict(lk, 1),
                                                   csa_table_codes(lk, 1)[row], NULL));
    }
    if (ok && lk)
        a->nother = as_other_vintage(csa_table_dict(lk, 1), codes, other);
    ok = ok && (a->area = kept_copies(r, area, a->narea)) &&
         (!lk || (a->other = kept_copies(r, other, a->nother)));
    free(area);
    free(other);
    csa_table_free(imd);
    csa_table_free(lk);
    return ok;
}

const as_ahead *as_area_ahead(csa_assess *r)
{
    as_ahead *a = &r->ahead;
    if (!a->tried) {
        a->tried = true;
        a->ok = work_out(r, a);
    }
    return a->ok ? a : NULL;
}

void as_ahead_free(csa_assess *r)
{
    csa_table_free(r->ahead.keep);
    r->ahead.keep = NULL;
}
