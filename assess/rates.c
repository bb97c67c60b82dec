/* csa rates apart from its options and printing: crimes counted as they
 * are read, rates by decile, the row accounting and the LSOAs with no
 * population, as tables. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csa/assess.h"
#include "csa/month.h"
#include "internal.h"

static csa_status nomem(csa_error *err)
{
    return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
}

void csa_rates_free(csa_rates *r)
{
    if (!r)
        return;
    csa_table_free(r->crimes);
    free(r->part_ends);
    csa_decile_rates_free(r->deciles);
    csa_table_free(r->accounting);
    csa_table_free(r->unpopulated);
    csa_table_free(r->places);
    csa_table_free(r->pop_used);
    free(r->warnings);
    for (size_t i = 0; i < r->nmonths; i++)
        free(r->months[i].force);
    free(r->months);
    free(r);
}

/* Keeps the months of each force file i has (places: "Month", "LSOA
 * code", "Falls within", "Rows"); one an earlier file has is an error. */
static csa_status months_once(csa_rates *r, size_t i, const csa_table *places, csa_error *err)
{
    const int32_t *month = csa_table_dates(places, 0);
    const uint32_t *force = csa_table_codes(places, 2);
    const csa_dict *fd = csa_table_dict(places, 2);
    size_t kept = r->nmonths;
    uint32_t *code = NULL; /* the force code of each month kept from this file */
    csa_status st = CSA_OK;
    for (size_t row = 0; row < csa_table_nrows(places) && !st; row++) {
        if (!csa_table_valid(places, 0, row) || !csa_table_valid(places, 2, row))
            continue;
        size_t k = kept, len;
        while (k < r->nmonths && (r->months[k].month != month[row] || code[k - kept] != force[row]))
            k++;
        if (k < r->nmonths)
            continue; /* this file's, already kept */
        const char *f = csa_dict_string(fd, force[row], &len);
        for (k = 0; k < kept; k++)
            if (r->months[k].month == month[row] && !strcmp(r->months[k].force, f))
                break;
        if (k < kept) {
            char label[CSA_MONTH_TEXT_MAX];
            st = csa_error_set(err, CSA_ERR_DUPLICATE, r->files[i].path, 0, 0, "Month",
                               csa_month_label(month[row], CSA_MONTH_ISO, label),
                               "%s of %s is in two files, \"%s\" and \"%s\": it would be "
                               "counted twice; give each month once (a download saved again "
                               "is named like \"... (1).csv\")",
                               label, f, r->files[r->months[k].file].path, r->files[i].path);
            break;
        }
        struct csa_rates_month *grown = realloc(r->months, (r->nmonths + 1) * sizeof *grown);
        uint32_t *codes = grown ? realloc(code, (r->nmonths + 1 - kept) * sizeof *codes) : NULL;
        if (grown)
            r->months = grown;
        if (codes)
            code = codes;
        if (!grown || !codes || !(r->months[r->nmonths].force = strdup(f))) {
            st = nomem(err);
            break;
        }
        code[r->nmonths - kept] = force[row];
        r->months[r->nmonths].month = month[row], r->months[r->nmonths++].file = i;
    }
    free(code);
    return st;
}

csa_status csa_rates_create(csa_rates_file *files, size_t nfiles, csa_rates **out,
                            csa_error *err)
{
    csa_rates *r = calloc(1, sizeof *r);
    *out = NULL;
    if (!r)
        return nomem(err);
    r->files = files, r->nfiles = nfiles;
    r->first = INT32_MAX, r->last = INT32_MIN;
    r->part_ends = calloc(nfiles ? nfiles : 1, sizeof *r->part_ends);
    r->crimes = csa_table_create();
    r->places = csa_table_create();
    if (!r->part_ends || !r->crimes || csa_table_add_column(r->crimes, "Crime type", CSA_STRING) ||
        csa_table_add_column(r->crimes, "LSOA code", CSA_STRING) ||
        csa_table_add_column(r->crimes, "Rows", CSA_INT64) || !r->places ||
        csa_table_add_column(r->places, "Month", CSA_DATE) ||
        csa_table_add_column(r->places, "LSOA code", CSA_STRING) ||
        csa_table_add_column(r->places, "Falls within", CSA_STRING) ||
        csa_table_add_column(r->places, "Rows", CSA_INT64)) {
        csa_rates_free(r);
        return nomem(err);
    }
    *out = r;
    return CSA_OK;
}

csa_status csa_rates_count(csa_rates *r, size_t i, int cpus_in_use, csa_error *err)
{
    /* Only counts are needed: rows are counted by crime type and LSOA (and
     * by month, for the period) as they are read, not kept. */
    static const char *const crime_cols[] = {"Month", "LSOA code", "Crime type",
                                             "Falls within"};
    static const char *const by_type_area[] = {"Crime type", "LSOA code"};
    /* where and when, for the coverage check */
    static const char *const by_place[] = {"Month", "LSOA code", "Falls within"};
    const csa_count_set sets[] = {{by_type_area, 2}, {by_place, 3}};
    csa_ingest_options opt = {.spec = csa_spec_find("police-street"), .columns = crime_cols,
                              .ncolumns = 4, .max_reject_share = 0.01,
                              .cpus_in_use = cpus_in_use};
    csa_source src;
    csa_table *counted[2];
    csa_status st = csa_source_open_file(&src, r->files[i].path, err);
    if (st)
        return st;
    st = csa_ingest_count(&src, &opt, sets, 2, counted, &r->files[i].stats, err);
    csa_source_close(&src);
    if (st)
        return st;
    if ((st = months_once(r, i, counted[1], err))) {
        csa_table_free(counted[0]);
        csa_table_free(counted[1]);
        return st;
    }
    st = csa_table_append_table(r->crimes, counted[0]);
    if (!st)
        st = csa_table_append_table(r->places, counted[1]);
    const int32_t *months = csa_table_dates(counted[1], 0);
    for (size_t row = 0; row < csa_table_nrows(counted[1]); row++) {
        if (!csa_table_valid(counted[1], 0, row))
            continue;
        r->first = months[row] < r->first ? months[row] : r->first;
        r->last = months[row] > r->last ? months[row] : r->last;
    }
    csa_table_free(counted[0]);
    csa_table_free(counted[1]);
    if (st)
        return csa_error_set(err, st, NULL, 0, 0, NULL, NULL, "%s", csa_strerror(st));
    r->part_ends[i] = csa_table_nrows(r->crimes);
    return CSA_OK;
}

/* "2 wrong number of fields, 1 unreadable Month"; "" when none. */
static void reject_reasons(const csa_ingest_stats *s, const csa_spec *spec, char *buf,
                           size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int why = 0; why < CSA_REJECT_NREASONS; why++) {
        if (!s->by_reason[why])
            continue;
        bool by_col = false;
        for (size_t c = 0; c < spec->ncolumns && n < size; c++)
            if (s->by_column[why][c]) {
                by_col = true;
                n += (size_t)snprintf(buf + n, size - n, "%s%llu %s: %s", n ? ", " : "",
                                      (unsigned long long)s->by_column[why][c],
                                      csa_reject_reason_text(why), spec->columns[c].name);
            }
        if (!by_col && n < size)
            n += (size_t)snprintf(buf + n, size - n, "%s%llu %s", n ? ", " : "",
                                  (unsigned long long)s->by_reason[why],
                                  csa_reject_reason_text(why));
    }
}

/* The row accounting of every crime file and their total, as a table. */
static csa_status accounting_table(const csa_rates *r, csa_table **out)
{
    const char *names[] = {"File", "Rows read", "Accepted", "Without LSOA", r->outside,
                           "No population", "Rejected", "Reasons for rejection"};
    enum { NCOLS = sizeof names / sizeof names[0] };
    const csa_spec *spec = csa_spec_find("police-street");
    csa_table *t = csa_table_create();
    csa_status st = t ? CSA_OK : CSA_ERR_NOMEM;
    for (size_t c = 0; c < NCOLS && !st; c++)
        st = csa_table_add_column(t, names[c], c == 0 || c == NCOLS - 1 ? CSA_STRING : CSA_INT64);
    csa_ingest_stats total = {0};
    csa_area_accounting sum = {0};
    for (size_t i = 0; i <= r->nfiles && !st; i++) {
        const csa_ingest_stats *s = i < r->nfiles ? &r->files[i].stats : &total;
        const csa_area_accounting *a = i < r->nfiles ? &r->deciles->parts[i] : &sum;
        const char *name = i < r->nfiles ? r->files[i].path : "All files";
        char reasons[512];
        reject_reasons(s, spec, reasons, sizeof reasons);
        csa_value v[NCOLS] = {
            {.v.str = {name, strlen(name)}}, {.v.i = (int64_t)s->rows_read},
            {.v.i = (int64_t)a->accepted}, {.v.i = (int64_t)a->no_area},
            {.v.i = (int64_t)a->outside}, {.v.i = (int64_t)a->no_population},
            {.v.i = (int64_t)s->rows_rejected},
            {.missing = !reasons[0], .v.str = {reasons, strlen(reasons)}},
        };
        st = csa_table_append_row(t, v, NULL);
        if (i < r->nfiles) {
            total.rows_read += s->rows_read;
            total.rows_rejected += s->rows_rejected;
            for (int why = 0; why < CSA_REJECT_NREASONS; why++) {
                total.by_reason[why] += s->by_reason[why];
                for (size_t c = 0; c < CSA_SPEC_MAX_COLUMNS; c++)
                    total.by_column[why][c] += s->by_column[why][c];
            }
            sum.accepted += a->accepted;
            sum.no_area += a->no_area;
            sum.outside += a->outside;
            sum.no_population += a->no_population;
        }
    }
    if (st) {
        csa_table_free(t);
        return st;
    }
    csa_table_freeze(t);
    *out = t;
    return CSA_OK;
}

/* The LSOAs with crimes and no population, named as the IMD file names
 * them (blank when it has no names). */
static csa_status unpopulated_table(const csa_decile_rates *dr, const csa_table *imd,
                                    csa_table **out)
{
    size_t lc = csa_table_find(imd, "LSOA code"), nc = csa_table_find(imd, "LSOA name");
    const csa_dict *ld = csa_table_dict(imd, lc);
    csa_table *t = csa_table_create();
    csa_status st = t ? CSA_OK : CSA_ERR_NOMEM;
    if (!st)
        st = csa_table_add_column(t, "LSOA code", CSA_STRING);
    if (!st)
        st = csa_table_add_column(t, "LSOA name", CSA_STRING);
    if (!st)
        st = csa_table_add_column(t, "Crimes left out", CSA_INT64);
    for (size_t i = 0; i < dr->nunpopulated && !st; i++) {
        const csa_unpopulated_area *u = &dr->unpopulated[i];
        uint32_t k = csa_dict_find(ld, u->code, strlen(u->code));
        size_t row = 0, n = csa_table_nrows(imd);
        while (k != CSA_NO_CODE && row < n && csa_table_codes(imd, lc)[row] != k)
            row++;
        const char *name = nc != CSA_NO_ROW && k != CSA_NO_CODE && row < n &&
                                   csa_table_valid(imd, nc, row)
                               ? csa_dict_string(csa_table_dict(imd, nc),
                                                 csa_table_codes(imd, nc)[row], NULL)
                               : NULL;
        csa_value v[3] = {{.v.str = {u->code, strlen(u->code)}},
                          {.missing = !name, .v.str = {name ? name : "", name ? strlen(name) : 0}},
                          {.v.i = (int64_t)u->events}};
        st = csa_table_append_row(t, v, NULL);
    }
    if (st) {
        csa_table_free(t);
        return st;
    }
    csa_table_freeze(t);
    *out = t;
    return CSA_OK;
}

/* The name the IMD file gives LA code la, or NULL. */
static const char *la_name(const csa_table *imd, const char *la)
{
    size_t lac = csa_table_find(imd, "LA code"), lan = csa_table_find(imd, "LA name");
    uint32_t code = csa_dict_find(csa_table_dict(imd, lac), la, strlen(la));
    for (size_t i = 0; i < csa_table_nrows(imd) && code != CSA_NO_CODE; i++)
        if (csa_table_codes(imd, lac)[i] == code && csa_table_valid(imd, lan, i))
            return csa_dict_string(csa_table_dict(imd, lan), csa_table_codes(imd, lan)[i], NULL);
    return NULL;
}

/* The files must cover the area before any rate of it is written: another
 * force's files would give it rates of 0. */
static csa_status check_coverage(csa_rates *r, const csa_table *imd, const char *la,
                                 csa_error *err)
{
    if (r->first == INT32_MAX)
        return CSA_OK; /* no crime read: the period says so */
    size_t lsoa = csa_table_find(imd, "LSOA code"), n = csa_table_nrows(imd);
    const char **all = NULL;
    if (!la && !(all = calloc(n ? n : 1, sizeof *all)))
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    for (size_t i = 0; all && i < n; i++)
        all[i] = csa_dict_string(csa_table_dict(imd, lsoa), csa_table_codes(imd, lsoa)[i], NULL);
    const char *name = la ? la_name(imd, la) : NULL;
    as_cover_area area = {name ? name : la ? la : "the IMD file", la, all, la ? 0 : n,
                          la ? "--la" : NULL,
                          la ? "are these the right force's files?"
                             : "give --la the code of the LA to count, or an IMD file of the "
                               "area the files cover"};
    as_cover cv = {"--crimes:", r->files[0].path, r->places,
                   csa_table_find(r->places, "Month"), csa_table_find(r->places, "LSOA code"),
                   csa_table_find(r->places, "Falls within"), csa_table_find(r->places, "Rows"),
                   imd, lsoa, csa_table_find(imd, "LA code"), csa_table_find(imd, "LA name"),
                   r->first, (size_t)csa_month_diff(r->last, r->first) + 1, &area, 1, NULL};
    csa_status st = as_coverage_check(&cv, &r->warnings, err);
    free(all);
    return st;
}

/* The area and period, for people reading the outputs. */
static void describe(csa_rates *r, const csa_table *imd, const char *imd_path, const char *la)
{
    if (la) {
        const char *name = la_name(imd, la);
        snprintf(r->area, sizeof r->area, "%s%s%s%s", name ? name : "", name ? " (" : "", la,
                 name ? ")" : "");
        snprintf(r->outside, sizeof r->outside, "Outside %s", la);
    } else {
        snprintf(r->area, sizeof r->area, "all LSOAs in %s", imd_path);
        snprintf(r->outside, sizeof r->outside, "Not in IMD file");
    }
    if (r->first == INT32_MAX) {
        snprintf(r->period, sizeof r->period, "no crimes read");
    } else {
        char a[CSA_DATE_TEXT_MAX], b[CSA_DATE_TEXT_MAX];
        csa_format_date(r->first, true, a);
        csa_format_date(r->last, true, b);
        snprintf(r->period, sizeof r->period, r->first == r->last ? "%s" : "%s to %s", a, b);
    }
}

static int cmp_int(const void *a, const void *b)
{
    return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

/* pop's rows of the mid-year estimate the months read use, when it has a
 * year column (r->pop_used; *pop then points at it); pop as it is when
 * not. */
static csa_status population_year(csa_rates *r, const csa_table **pop, csa_error *err)
{
    const csa_table *t = *pop;
    size_t yc = csa_table_find(t, "year"), n = csa_table_nrows(t);
    if (yc == CSA_NO_ROW || !n || !csa_table_valid(t, yc, 0) || r->first == INT32_MAX)
        return CSA_OK;
    size_t area = csa_table_find(t, "area code");
    const int64_t *years = csa_table_int64s(t, yc),
                  *pops = csa_table_int64s(t, csa_table_find(t, "population"));
    int *distinct = malloc(n * sizeof *distinct);
    size_t nd = 0;
    if (!distinct)
        return nomem(err);
    for (size_t row = 0; row < n; row++) {
        size_t k = 0;
        while (k < nd && distinct[k] != (int)years[row])
            k++;
        if (k == nd)
            distinct[nd++] = (int)years[row];
    }
    qsort(distinct, nd, sizeof *distinct, cmp_int);
    size_t nmonths = (size_t)csa_month_diff(r->last, r->first) + 1;
    r->pop_year = as_population_year(distinct, nd, r->first, nmonths, &r->pop_year_want);
    size_t used = 0;
    for (size_t k = 0; k < nd; k++) {
        int len = snprintf(r->pop_years + used, sizeof r->pop_years - used, "%s%d",
                           k ? ", " : "", distinct[k]);
        if (len < 0 || (size_t)len >= sizeof r->pop_years - used) {
            snprintf(r->pop_years + sizeof r->pop_years - 12, 12, " and more");
            break;
        }
        used += (size_t)len;
    }
    free(distinct);
    csa_table *one = csa_table_create();
    csa_status st = one ? CSA_OK : CSA_ERR_NOMEM;
    if (!st && !(st = csa_table_add_column(one, "area code", CSA_STRING)))
        st = csa_table_add_column(one, "population", CSA_INT64);
    for (size_t row = 0; row < n && !st; row++) {
        if (years[row] != r->pop_year)
            continue;
        csa_value v[2] = {{.v.i = pops[row]}, {.v.i = pops[row]}};
        v[0].v.str.s = csa_dict_string(csa_table_dict(t, area), csa_table_codes(t, area)[row],
                                       &v[0].v.str.len);
        st = csa_table_append_row(one, v, NULL);
    }
    if (!st)
        st = csa_table_freeze(one);
    if (st) {
        csa_table_free(one);
        return csa_error_set(err, st, NULL, 0, 0, NULL, NULL, "%s", csa_strerror(st));
    }
    r->pop_used = one;
    *pop = one;
    return CSA_OK;
}

csa_status csa_rates_compute(csa_rates *r, const csa_table *imd, const char *imd_path,
                             const csa_table *pop, const char *la, csa_error *err)
{
    csa_table_freeze(r->crimes);
    csa_status st = population_year(r, &pop, err);
    if (st)
        return st;
    csa_decile_request req = {
        .events = r->crimes, .event_area = "LSOA code", .event_category = "Crime type",
        .part_ends = r->part_ends, .nparts = r->nfiles,
        .imd = imd, .imd_area = "LSOA code", .imd_parent = "LA code", .imd_decile = "IMD decile",
        .population = pop, .pop_area = "area code", .pop_value = "population",
        .parent_code = la, .per = 1000, .level = 95,
        .category_label = "Crime type", .total_label = "All crime", .event_weight = "Rows",
    };
    st = csa_decile_rates_compute(&req, &r->deciles, err);
    if (st) {
        if (st == CSA_ERR_NOT_FOUND)
            snprintf(err->file, sizeof err->file, "%s", imd_path);
        return st;
    }
    describe(r, imd, imd_path, la);
    csa_table_freeze(r->places);
    if ((st = check_coverage(r, imd, la, err)))
        return st;
    if ((st = accounting_table(r, &r->accounting)) ||
        (st = unpopulated_table(r->deciles, imd, &r->unpopulated)))
        return csa_error_set(err, st, NULL, 0, 0, NULL, NULL, "%s", csa_strerror(st));
    return CSA_OK;
}
