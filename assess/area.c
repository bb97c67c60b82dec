/* The area: its LSOAs with their deprivation decile and residents, the
 * comparator's, and which survey respondents live in it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

const char *as_role_name(const csa_spec *spec, csa_role role)
{
    size_t k = csa_spec_role(spec, role);
    return k == CSA_NO_ROW ? "" : spec->columns[k].name;
}

size_t as_survey_column(const csa_spec *spec, const csa_table *t, const char *name)
{
    size_t k = csa_spec_column_index(spec, name);
    for (size_t c = 0; c < csa_table_ncols(t); c++) {
        const char *h = csa_table_column_name(t, c);
        if (k != CSA_NO_ROW ? csa_spec_column_matches(&spec->columns[k], h, strlen(h))
                            : !strcasecmp(h, name))
            return c;
    }
    return CSA_NO_ROW;
}

/* The LSOAs of the deprivation input in one of `las` (LA codes), or else
 * named in `codes`, with their decile and population (NaN: no row). */
static csa_status select_lsoas(csa_assess *r, const csa_config_list *las,
                               const csa_config_list *codes, as_lsoa **out, size_t *nout)
{
    const csa_table *imd = r->imd, *pop = r->pop;
    const csa_spec *is = r->cfg->inputs[r->cfg->deprivation].spec;
    const csa_spec *ps = r->cfg->inputs[r->cfg->population].spec;
    size_t lsoa = as_role(imd, is, CSA_ROLE_LSOA), la = as_role(imd, is, CSA_ROLE_LA);
    size_t dec = as_role(imd, is, CSA_ROLE_DECILE), n = csa_table_nrows(imd);
    size_t *pop_row = NULL;
    csa_status st = csa_table_join(imd, lsoa, pop, as_role(pop, ps, CSA_ROLE_AREA), &pop_row,
                                   &r->err);
    if (st)
        return st;
    const csa_dict *ld = csa_table_dict(imd, lsoa), *lad = csa_table_dict(imd, la);
    bool *la_in = as_calloc(r, csa_dict_size(lad), sizeof *la_in);
    as_lsoa *v = as_calloc(r, n, sizeof *v);
    if (!la_in || !v) {
        free(pop_row);
        return CSA_ERR_NOMEM;
    }
    for (size_t k = 0; k < las->n; k++) {
        uint32_t code = csa_dict_find(lad, las->v[k], strlen(las->v[k]));
        if (code != CSA_NO_CODE)
            la_in[code] = true;
    }
    const int64_t *pops = csa_table_int64s(pop, as_role(pop, ps, CSA_ROLE_POPULATION));
    *nout = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t code = csa_table_codes(imd, lsoa)[i];
        const char *name = csa_dict_string(ld, code, NULL);
        bool in = la_in[csa_table_codes(imd, la)[i]];
        for (size_t k = 0; !las->n && k < codes->n && !in; k++)
            in = !strcmp(codes->v[k], name);
        if (!in)
            continue;
        size_t pr = pop_row[code];
        v[(*nout)++] = (as_lsoa){name, (int)csa_table_int64s(imd, dec)[i],
                                   pr == CSA_NO_ROW || !csa_area_populated((double)pops[pr]) ? NAN
                                                           : (double)pops[pr]};
    }
    free(pop_row);
    *out = v;
    return CSA_OK;
}

/* The area's LSOAs, and the comparator's when it is a set of LAs. */
/* The area's LSOAs, and the comparator's when it is a set of LAs. */
csa_status as_find_area(csa_assess *r)
{
    const csa_config *c = r->cfg;
    char *la = c->la_code;
    csa_config_list las = {la ? &la : NULL, la ? 1 : 0}, none = {0};
    csa_status st = select_lsoas(r, &las, &c->lsoas, &r->lsoas, &r->nlsoas);
    if (st)
        return st;
    if (!r->nlsoas)
        return csa_error_set(&r->err, CSA_ERR_USAGE, c->path, 0, 0, la ? "la_code" : "lsoas", la,
                             la ? "no LSOA of the deprivation input is in LA %s"
                                : "none of the lsoas is in the deprivation input%s",
                             la ? la : "");
    size_t populated = 0;
    for (size_t i = 0; i < r->nlsoas; i++)
        populated += !isnan(r->lsoas[i].population);
    if (!populated)
        return csa_error_set(&r->err, CSA_ERR_VALUE, c->inputs[c->population].files.v[0], 0, 0,
                             NULL, NULL, "no LSOA of the area has a population above 0 here");
    if (!c->comparator_areas.n)
        return CSA_OK;
    if ((st = select_lsoas(r, &c->comparator_areas, &none, &r->cmp_lsoas, &r->ncmp_lsoas)))
        return st;
    for (size_t k = 0; k < c->comparator_areas.n; k++) {
        csa_config_list one = {&c->comparator_areas.v[k], 1};
        as_lsoa *v;
        size_t n;
        if ((st = select_lsoas(r, &one, &none, &v, &n)))
            return st;
        if (!n)
            return csa_error_set(&r->err, CSA_ERR_USAGE, c->path, 0, 0, "comparator_areas",
                                 c->comparator_areas.v[k], "comparator area %s has no LSOA in "
                                 "the deprivation input", c->comparator_areas.v[k]);
    }
    return CSA_OK;
}

/* Which respondents of survey input i live in the area: their ward's LA,
 * by the lookup, is the assessment's. The others are out of scope. */
csa_status as_survey_area(csa_assess *r, size_t i)
{
    const csa_config *c = r->cfg;
    as_input *s = &r->in[i];
    size_t k = 0;
    while (strcmp(c->inputs[k].name, c->inputs[i].lookup))
        k++;
    const csa_table *lk = r->in[k].table, *t = s->table;
    if (r->in[k].excluded || !lk)
        return csa_error_set(&r->err, CSA_ERR_USAGE, c->path, (uint64_t)c->inputs[i].line, 0,
                             "lookup", c->inputs[i].lookup, "[input.%s]: its lookup was left "
                             "out", c->inputs[i].name);
    if (!c->la_code)
        return csa_error_set(&r->err, CSA_ERR_USAGE, c->path, (uint64_t)c->inputs[i].line, 0,
                             "lookup", NULL, "[input.%s]: a lookup places wards in an LA: "
                             "[assessment] needs la_code", c->inputs[i].name);
    size_t n = csa_table_nrows(t), area = as_survey_column(c->inputs[i].spec, t, as_role_name(c->inputs[i].spec, CSA_ROLE_AREA));
    const csa_spec *ls = c->inputs[k].spec;
    size_t ward = as_role(lk, ls, CSA_ROLE_WARD), la = as_role(lk, ls, CSA_ROLE_LA);
    if (!(s->in_area = as_calloc(r, n, sizeof *s->in_area)))
        return CSA_ERR_NOMEM;
    const csa_dict *wd = csa_table_dict(lk, ward);
    bool *ward_in = as_calloc(r, csa_dict_size(wd), sizeof *ward_in);
    if (!ward_in)
        return CSA_ERR_NOMEM;
    bool any = false;
    for (size_t l = 0; l < csa_table_nrows(lk); l++)
        if (csa_table_valid(lk, ward, l) && !strcmp(as_text(lk, la, l), c->la_code))
            ward_in[csa_table_codes(lk, ward)[l]] = any = true;
    if (!any)
        return csa_error_set(&r->err, CSA_ERR_VALUE, c->inputs[k].files.v[0], 0, 0, "ward code",
                             NULL, "[input.%s] gives no ward of LA %s", c->inputs[k].name,
                             c->la_code);
    for (size_t row = 0; row < n; row++) {
        const char *code = as_text(t, area, row);
        uint32_t w = code ? csa_dict_find(wd, code, strlen(code)) : CSA_NO_CODE;
        s->in_area[row] = w != CSA_NO_CODE && ward_in[w];
        if (!s->in_area[row])
            s->out_of_scope++, s->accepted--;
    }
    return CSA_OK;
}
