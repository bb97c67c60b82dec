/* A long police history read without keeping every row: as each file is
 * read (ingested as it is validated), its rows whose LSOA code is neither
 * the area's nor a comparator LA's (nor a 2021 code of theirs through the
 * LSOA lookup), and its rows without an LSOA, are counted and dropped from
 * the table. A force-wide file holds every LA of the force, and a
 * 36-month history of Thames Valley 6 million rows, of which Milton Keynes
 * has one in sixteen: kept whole, their columns took some 200 MB.
 *
 * The counts are what the run reads of such rows: by month, crime type and
 * whether they had an LSOA, for the row accounting and the timeline
 * (as_thinned_tally, as_thinned_first); and by month of the period with
 * their LSOA and force, for the coverage check (as_thinned_cover). The
 * area is not known until the deprivation input is read; its LSOAs (a
 * superset of them, which is all a filter needs) are read here first, from
 * the deprivation input and the LSOA lookup. When they cannot be (a file
 * validation will report), every row is kept, as before. */
#include <stdlib.h>
#include <string.h>

#include "csa/month.h"
#include "internal.h"

/* Counts by a 64-bit key: open addressing, EMPTY marks a free slot. */
typedef struct counts {
    uint64_t *key, *n;
    size_t nslots, size;
} counts;

#define EMPTY UINT64_MAX

static bool counts_grow(counts *c)
{
    size_t nslots = c->nslots ? c->nslots * 2 : 256;
    uint64_t *key = malloc(nslots * sizeof *key), *n = calloc(nslots, sizeof *n);
    if (!key || !n) {
        free(key);
        free(n);
        return false;
    }
    memset(key, 0xff, nslots * sizeof *key);
    for (size_t i = 0; i < c->nslots; i++) {
        if (c->key[i] == EMPTY)
            continue;
        size_t j = (size_t)csa_hash((const char *)&c->key[i], sizeof c->key[i]) & (nslots - 1);
        while (key[j] != EMPTY)
            j = (j + 1) & (nslots - 1);
        key[j] = c->key[i], n[j] = c->n[i];
    }
    free(c->key);
    free(c->n);
    c->key = key, c->n = n, c->nslots = nslots;
    return true;
}

static bool counts_add(counts *c, uint64_t key, uint64_t n)
{
    if ((c->size + 1) * 2 > c->nslots && !counts_grow(c))
        return false;
    size_t j = (size_t)csa_hash((const char *)&key, sizeof key) & (c->nslots - 1);
    while (c->key[j] != EMPTY && c->key[j] != key)
        j = (j + 1) & (c->nslots - 1);
    if (c->key[j] == EMPTY)
        c->key[j] = key, c->size++;
    c->n[j] += n;
    return true;
}

static void counts_free(counts *c)
{
    free(c->key);
    free(c->n);
}

/* A month (the day number of its first day) and a code in one key. */
static uint64_t pair(int32_t day, uint32_t code)
{
    return (uint64_t)(uint32_t)day << 32 | code;
}

static int32_t day_of(uint64_t key)
{
    return (int32_t)(uint32_t)(key >> 32);
}

struct as_thin {
    const csa_dict *keep_set; /* the codes whose rows are kept (as_area_ahead) */
    bool *keep;          /* by code of the input's LSOA column, as far as known */
    size_t nknown;
    size_t month_col, lsoa_col, type_col, force_col;
    /* rows dropped: by (month, crime type code << 1 | has an LSOA); in the
     * period's months by (month, LSOA code) and by (month, force code or
     * CSA_NO_CODE) */
    counts by_type, by_lsoa, by_force;
    uint64_t dropped;
};

void as_thin_free(as_thin *t)
{
    if (!t)
        return;
    free(t->keep);
    counts_free(&t->by_type);
    counts_free(&t->by_lsoa);
    counts_free(&t->by_force);
    free(t);
}

csa_status as_plan_thinning(csa_assess *r, size_t i)
{
    const csa_config *c = r->cfg;
    as_input *s = &r->in[i];
    const csa_spec *spec = c->inputs[i].spec;
    /* CSA_TEST_KEEP_EVERY_ROW: every row kept, as before thinning, for the
     * test that both give the same outputs (tests/golden/thin.sh) */
    const char *every = getenv("CSA_TEST_KEEP_EVERY_ROW");
    if (c->deprivation == SIZE_MAX || !s->table || !s->read_once || (every && *every))
        return CSA_OK;
    size_t month = as_role(s->table, spec, CSA_ROLE_PERIOD);
    size_t lsoa = as_role(s->table, spec, CSA_ROLE_LSOA);
    size_t type = as_role(s->table, spec, CSA_ROLE_CATEGORY);
    size_t force = as_role(s->table, spec, CSA_ROLE_FORCE);
    if (month == CSA_NO_ROW || lsoa == CSA_NO_ROW || type == CSA_NO_ROW)
        return CSA_OK;
    const as_ahead *a = as_area_ahead(r);
    if (!a)
        return r->nomem ? CSA_ERR_NOMEM : CSA_OK; /* every row kept */
    as_thin *t = calloc(1, sizeof *t);
    if (!t)
        return CSA_ERR_NOMEM;
    *t = (as_thin){.keep_set = csa_table_dict(a->keep, 0), .month_col = month,
                   .lsoa_col = lsoa, .type_col = type, .force_col = force};
    s->thin = t;
    /* the ingest leaves a dropped row's other columns (its location and
     * map point) missing: their strings never reach the dictionary */
    size_t n = csa_table_ncols(s->table);
    bool *thin = as_calloc(r, n, sizeof *thin);
    if (!thin)
        return CSA_ERR_NOMEM;
    for (size_t k = 0; k < n; k++)
        thin[k] = k != month && k != lsoa && k != type && k != force;
    s->read_opt->keep_column = lsoa;
    s->read_opt->keep_values = t->keep_set;
    s->read_opt->thin = thin;
    return CSA_OK;
}

/* keep[] for the LSOA codes the dictionary has now. */
static bool know_codes(as_thin *t, const csa_table *tab)
{
    const csa_dict *d = csa_table_dict(tab, t->lsoa_col), *kept = t->keep_set;
    size_t n = csa_dict_size(d);
    if (n <= t->nknown)
        return true;
    bool *keep = realloc(t->keep, n * sizeof *keep);
    if (!keep)
        return false;
    t->keep = keep;
    for (size_t k = t->nknown; k < n; k++) {
        size_t len;
        const char *s = csa_dict_string(d, (uint32_t)k, &len);
        keep[k] = csa_dict_find(kept, s, len) != CSA_NO_CODE;
    }
    t->nknown = n;
    return true;
}

csa_status as_thin_rows(csa_assess *r, size_t i, size_t first)
{
    as_input *s = &r->in[i];
    as_thin *t = s->thin;
    csa_table *tab = s->table;
    size_t n = csa_table_nrows(tab);
    if (!t || first >= n)
        return CSA_OK;
    bool *keep = malloc((n - first) * sizeof *keep);
    if (!keep || !know_codes(t, tab)) {
        free(keep);
        return CSA_ERR_NOMEM;
    }
    const csa_config *c = r->cfg;
    for (size_t row = first; row < n; row++) {
        uint32_t lsoa = csa_table_code(tab, t->lsoa_col, row);
        uint32_t type = csa_table_code(tab, t->type_col, row);
        bool dated = csa_table_valid(tab, t->month_col, row);
        /* rows of the area, the comparator, and any without a month or a
         * crime type (the counts key on them; no reader takes such a row's
         * location or point, which the ingest left out) are kept */
        int32_t day = dated ? csa_table_dates(tab, t->month_col)[row] : 0;
        /* (day -1 with no force or code would be the counts' EMPTY key) */
        keep[row - first] = (lsoa != CSA_NO_CODE && t->keep[lsoa]) || !dated || day == -1 ||
                            type == CSA_NO_CODE || type >= UINT32_MAX / 2;
        if (keep[row - first])
            continue;
        int m = csa_month_diff(day, c->period_first); /* as the coverage check counts */
        bool ok = counts_add(&t->by_type, pair(day, type << 1 | (lsoa != CSA_NO_CODE)), 1);
        if (m >= 0 && (size_t)m < r->nmonths) {
            uint32_t force = t->force_col == CSA_NO_ROW ? CSA_NO_CODE
                                                          : csa_table_code(tab, t->force_col, row);
            ok = ok && counts_add(&t->by_force, pair(day, force), 1);
            if (lsoa != CSA_NO_CODE)
                ok = ok && counts_add(&t->by_lsoa, pair(day, lsoa), 1);
        }
        if (!ok) {
            free(keep);
            return CSA_ERR_NOMEM;
        }
        t->dropped++;
    }
    csa_status st = csa_table_keep_rows(tab, first, keep);
    free(keep);
    return st;
}

int32_t as_thinned_first(const as_input *s, int32_t first, int32_t earliest)
{
    const as_thin *t = s->thin;
    for (size_t k = 0; t && k < t->by_type.nslots; k++) {
        int32_t day = day_of(t->by_type.key[k]);
        if (t->by_type.key[k] != EMPTY && day < first && day >= earliest)
            first = day;
    }
    return first;
}

void as_thinned_tally(const csa_assess *r, const as_input *s, as_tally *y)
{
    const as_thin *t = s->thin;
    size_t tn = r->tl_n;
    for (size_t k = 0; t && k < t->by_type.nslots; k++) {
        uint64_t key = t->by_type.key[k], n = t->by_type.n[k];
        if (key == EMPTY)
            continue;
        int32_t day = day_of(key);
        uint32_t type = (uint32_t)key >> 1;
        bool located = key & 1;
        y->first = day < y->first ? day : y->first;
        y->last = day > y->last ? day : y->last;
        size_t m = as_timeline_index(r, day);
        uint64_t *at = &y->month[(type * (tn + 1) + (m == SIZE_MAX ? tn : m)) * AS_NTERMS];
        if (m == SIZE_MAX) {
            at[AS_OUTSIDE_PERIOD] += n;
            continue;
        }
        y->present[m] = true;
        y->period[type] += m >= r->tl_period ? n : 0;
        at[located ? AS_OUTSIDE_AREA : AS_NO_LOCATION] += n;
    }
}

void as_thinned_cover(const as_thin *t, void (*add)(void *ctx, int32_t day, uint32_t lsoa,
                                                    uint32_t force, uint64_t n), void *ctx)
{
    for (size_t k = 0; t && k < t->by_force.nslots; k++)
        if (t->by_force.key[k] != EMPTY)
            add(ctx, day_of(t->by_force.key[k]), CSA_NO_CODE, (uint32_t)t->by_force.key[k],
                t->by_force.n[k]);
    for (size_t k = 0; t && k < t->by_lsoa.nslots; k++)
        if (t->by_lsoa.key[k] != EMPTY)
            add(ctx, day_of(t->by_lsoa.key[k]), (uint32_t)t->by_lsoa.key[k], CSA_NO_CODE,
                t->by_lsoa.n[k]);
}

uint64_t as_thinned_rows(const as_input *s)
{
    return s->thin ? s->thin->dropped : 0;
}
