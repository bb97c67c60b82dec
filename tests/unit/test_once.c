/* A file validated and ingested in one reading (csa_validate_options.ingest,
 * how csa run reads a police history) gives exactly what validating it and
 * then ingesting it gave: the same findings, counts, identifiers and
 * months; the same ingest status, error, row accounting and table. On the
 * validation corpus with every spec, on files big enough to be read in two
 * halves (and the ones that fall back to one pass), and on files with too
 * many rejected rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "csa/file.h"
#include "csa/ingest.h"
#include "slurp.h"

typedef struct result {
    csa_validation *v;
    csa_table *t;
    csa_ingest_stats stats;
    csa_status st; /* ingest's */
    csa_error err;
} result;

/* A source over the buffer, or over the file at path when buf is NULL. */
static void open_source(csa_source *src, const char *path, const char *buf, size_t len)
{
    csa_error err;
    if (buf)
        csa_source_from_buffer(src, path, buf, len);
    else
        assert_int_equal(csa_source_open_file(src, path, &err), CSA_OK);
}

/* Validates, then ingests: two readings, as csa run did. */
static result twice(const csa_validate_options *vo, const csa_ingest_options *io,
                    const char *path, const char *buf, size_t len)
{
    result r = {0};
    csa_source src;
    csa_error err;
    open_source(&src, path, buf, len);
    assert_int_equal(csa_validate(&src, vo, &r.v, &err), CSA_OK);
    csa_source_close(&src);
    assert_int_equal(csa_ingest_table(io, &r.t, &err), CSA_OK);
    open_source(&src, path, buf, len);
    r.st = csa_ingest(&src, io, r.t, &r.stats, &r.err);
    csa_source_close(&src);
    return r;
}

/* Validates and ingests in one reading, into a table with narrow codes as
 * csa run's. */
static result once(const csa_validate_options *vo, const csa_ingest_options *io,
                   const char *path, const char *buf, size_t len)
{
    result r = {0};
    csa_source src;
    csa_error err;
    assert_int_equal(csa_ingest_table(io, &r.t, &err), CSA_OK);
    assert_int_equal(csa_table_narrow_codes(r.t), CSA_OK);
    csa_ingest_sink sink = {.opt = io, .table = r.t};
    csa_validate_options o = *vo;
    o.ingest = &sink;
    open_source(&src, path, buf, len);
    assert_int_equal(csa_validate(&src, &o, &r.v, &err), CSA_OK);
    csa_source_close(&src);
    r.stats = sink.stats;
    r.st = sink.status;
    r.err = sink.err;
    assert_int_equal(csa_table_freeze(r.t), CSA_OK);
    if (!r.st && r.stats.threads != r.v->threads) /* the halves are validation's */
        fail_msg("%s: ingest read with %d threads, validation %d", path, r.stats.threads,
                 r.v->threads);
    return r;
}

static void same_validation(const csa_validation *a, const csa_validation *b, const char *what)
{
    if (a->rows != b->rows || a->usable != b->usable || a->errors != b->errors ||
        a->warnings != b->warnings || a->notes != b->notes)
        fail_msg("%s: rows/usable/errors/warnings/notes %llu/%llu/%llu/%llu/%llu vs "
                 "%llu/%llu/%llu/%llu/%llu", what, (unsigned long long)a->rows,
                 (unsigned long long)a->usable, (unsigned long long)a->errors,
                 (unsigned long long)a->warnings, (unsigned long long)a->notes,
                 (unsigned long long)b->rows, (unsigned long long)b->usable,
                 (unsigned long long)b->errors, (unsigned long long)b->warnings,
                 (unsigned long long)b->notes);
    assert_int_equal(a->threads, b->threads);
    assert_int_equal(a->windows_1252, b->windows_1252);
    assert_int_equal(a->first_period, b->first_period);
    assert_int_equal(a->last_period, b->last_period);
    assert_int_equal(a->nmonths, b->nmonths);
    if (a->nmonths)
        assert_memory_equal(a->month_rows, b->month_rows, a->nmonths * sizeof *a->month_rows);
    assert_int_equal(a->nchecks, b->nchecks);
    for (size_t i = 0; i < a->nchecks; i++) {
        assert_string_equal(a->checks[i].check, b->checks[i].check);
        assert_int_equal(a->checks[i].count, b->checks[i].count);
    }
    assert_int_equal(a->nfindings, b->nfindings);
    for (size_t i = 0; i < a->nfindings; i++) {
        const csa_error *x = &a->findings[i].where, *y = &b->findings[i].where;
        assert_string_equal(a->findings[i].check, b->findings[i].check);
        assert_int_equal(x->line, y->line);
        assert_int_equal(x->column, y->column);
        assert_string_equal(x->value, y->value);
        assert_string_equal(x->message, y->message);
    }
    /* what the set check takes of each file: identifiers and force-months */
    assert_int_equal(a->nid_hashes, b->nid_hashes);
    if (a->nid_hashes)
        assert_memory_equal(a->id_hashes, b->id_hashes, a->nid_hashes * sizeof(uint64_t));
    assert_int_equal(a->nsources, b->nsources);
    for (size_t i = 0; i < a->nsources; i++) {
        assert_int_equal(a->sources[i].month, b->sources[i].month);
        assert_int_equal(a->sources[i].rows, b->sources[i].rows);
        assert_string_equal(a->sources[i].source, b->sources[i].source);
    }
}

static void same_cell(const csa_table *a, const csa_table *b, size_t c, size_t r, const char *what)
{
    bool va = csa_table_valid(a, c, r), vb = csa_table_valid(b, c, r);
    if (va != vb)
        fail_msg("%s: row %zu column %zu valid %d vs %d", what, r, c, va, vb);
    if (!va)
        return;
    switch (csa_table_column_type(a, c)) {
    case CSA_INT64: assert_true(csa_table_int64s(a, c)[r] == csa_table_int64s(b, c)[r]); break;
    case CSA_DOUBLE:
        assert_memory_equal(&csa_table_doubles(a, c)[r], &csa_table_doubles(b, c)[r],
                            sizeof(double));
        break;
    case CSA_DATE: assert_int_equal(csa_table_dates(a, c)[r], csa_table_dates(b, c)[r]); break;
    case CSA_BOOL: assert_int_equal(csa_table_bools(a, c)[r], csa_table_bools(b, c)[r]); break;
    case CSA_STRING: {
        size_t la, lb;
        const char *sa = csa_dict_string(csa_table_dict(a, c), csa_table_codes(a, c)[r], &la);
        const char *sb = csa_dict_string(csa_table_dict(b, c), csa_table_codes(b, c)[r], &lb);
        if (la != lb || memcmp(sa, sb, la) != 0)
            fail_msg("%s: row %zu column %zu: \"%s\" vs \"%s\"", what, r, c, sa, sb);
        break;
    }
    }
}

static void same_ingest(const result *a, const result *b, const char *what)
{
    if (a->st != b->st)
        fail_msg("%s: ingest status %d vs %d: %s / %s", what, a->st, b->st, a->err.message,
                 b->err.message);
    if (a->st) {
        assert_string_equal(a->err.message, b->err.message);
        assert_string_equal(a->err.file, b->err.file);
        assert_int_equal(a->err.line, b->err.line);
        assert_int_equal(a->err.column, b->err.column);
    }
    const csa_ingest_stats *x = &a->stats, *y = &b->stats;
    if (x->rows_read != y->rows_read || x->rows_accepted != y->rows_accepted ||
        x->rows_rejected != y->rows_rejected)
        fail_msg("%s: rows read/accepted/rejected %llu/%llu/%llu vs %llu/%llu/%llu", what,
                 (unsigned long long)x->rows_read, (unsigned long long)x->rows_accepted,
                 (unsigned long long)x->rows_rejected, (unsigned long long)y->rows_read,
                 (unsigned long long)y->rows_accepted, (unsigned long long)y->rows_rejected);
    assert_memory_equal(x->by_reason, y->by_reason, sizeof x->by_reason);
    assert_memory_equal(x->by_column, y->by_column, sizeof x->by_column);
    if (!a->st) { /* stopped, ingest read less of the file than validation went on to */
        assert_int_equal(x->windows_1252, y->windows_1252);
        assert_int_equal(x->replaced_bytes, y->replaced_bytes);
    }
    assert_int_equal(x->nkept, y->nkept);
    for (size_t i = 0; i < x->nkept; i++) {
        assert_int_equal(x->first_rejects[i].line, y->first_rejects[i].line);
        assert_int_equal(x->first_rejects[i].column, y->first_rejects[i].column);
        assert_string_equal(x->first_rejects[i].message, y->first_rejects[i].message);
    }
    if (a->st)
        return; /* what was appended before an error is thrown away */
    assert_int_equal(csa_table_nrows(a->t), csa_table_nrows(b->t));
    assert_int_equal(csa_table_ncols(a->t), csa_table_ncols(b->t));
    for (size_t c = 0; c < csa_table_ncols(a->t); c++)
        for (size_t r = 0; r < csa_table_nrows(a->t); r++)
            same_cell(a->t, b->t, c, r, what);
}

static void result_free(result *r)
{
    csa_validation_free(r->v);
    csa_table_free(r->t);
}

/* Both ways with these options, and the same outcome. */
static void compare(const csa_validate_options *vo, const csa_ingest_options *io,
                    const char *path, const char *buf, size_t len, const char *what)
{
    csa_file_forget_all(); /* tests rewrite their files between readings */
    result a = twice(vo, io, path, buf, len);
    csa_file_forget_all();
    result b = once(vo, io, path, buf, len);
    same_validation(a.v, b.v, what);
    same_ingest(&a, &b, what);
    result_free(&a);
    result_free(&b);
}

/* The columns csa run keeps of a police file (month, LSOA, crime type,
 * force) when the spec has them; else every column that need not be
 * unique. */
static size_t kept(const csa_spec *spec, const char **cols)
{
    static const char *const run[] = {"Month", "LSOA code", "Crime type", "Falls within"};
    size_t n = 0;
    for (size_t i = 0; i < 4; i++)
        if (csa_spec_column_index(spec, run[i]) != CSA_NO_ROW)
            cols[n++] = run[i];
    if (n)
        return n;
    for (size_t c = 0; c < spec->ncolumns; c++)
        if (!(spec->columns[c].flags & CSA_COL_UNIQUE))
            cols[n++] = spec->columns[c].name;
    return n;
}

/* A text with every spec: all columns, csa run's columns, as a history
 * (keep_ids, the period) and as one file; rejects allowed or csa run's 1%. */
static void every_way(const char *name, const char *text, size_t len)
{
    size_t nspecs;
    const csa_spec *specs = csa_specs(&nspecs);
    for (size_t s = 0; s < nspecs; s++) {
        const char *cols[CSA_SPEC_MAX_COLUMNS];
        size_t ncols = kept(&specs[s], cols);
        for (int k = 0; k < 4; k++) {
            char what[256];
            snprintf(what, sizeof what, "%s as %s, way %d", name, specs[s].name, k);
            csa_validate_options vo = {.spec = &specs[s], .keep_ids = k % 2,
                                       .has_period = k % 2,
                                       .period_first = csa_month_make(2018, 10),
                                       .period_last = csa_month_make(2018, 12),
                                       .coverage_across_files = k % 2};
            csa_ingest_options io = {.spec = &specs[s], .columns = k < 2 ? NULL : cols,
                                     .ncolumns = k < 2 ? 0 : ncols,
                                     .max_reject_share = k < 2 ? 1 : 0.01};
            compare(&vo, &io, name, text, len, what);
        }
    }
}

static const char *corpus_dir;

static void corpus_files(void **state)
{
    (void)state;
    static const char *const files[] = {
        "asb-without-id.csv", "bad-area-code.csv", "bad-date.csv", "bad-number.csv",
        "blank-lsoa-share.csv", "cut-off-last-line.csv", "damaged-police.csv",
        "duplicate-column.csv", "duplicate-id.csv", "empty-file.csv", "field-too-long.csv",
        "fingertips-cut.csv", "header-only.csv", "imd-duplicate-lsoa.csv", "invalid-utf8.csv",
        "long-value.csv", "lookup.csv", "missing-column.csv", "missing-id.csv",
        "missing-month.csv", "missing-value.csv", "mixed-line-endings.csv", "not-in-list.csv",
        "nul-byte.csv", "out-of-range.csv", "outside-area.csv", "outside-period.csv",
        "partial-month.csv", "population-1252.csv", "small-count.csv", "suppressed-value.csv",
        "survey-duplicate-id.csv", "unclosed-quote.csv", "unknown-code.csv",
        "unknown-column.csv", "unlisted-value.csv", "windows-1252.csv", "wrong-field-count.csv",
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[1024];
        size_t len;
        snprintf(path, sizeof path, "%s/%s", corpus_dir, files[i]);
        char *text = slurp(path, &len);
        every_way(files[i], text, len);
        free(text);
    }
}

/* A police file of about 45 MB, big enough to be read in two halves:
 * variant 1 has a Crime ID in both halves (validation reads it again in one
 * pass, where ingest alone would have kept its halves), 2 a UTF-8 byte in
 * the second half (one pass for both), 3 too many bad months (over 1% of
 * the rows rejected: ingest's error), 4 a header without LSOA code. Every
 * 40,000th row has a bad month, every 97th no LSOA; 3,000 LSOAs take the
 * table's narrow codes past one byte while it is appended to. */
static void write_big(const char *path, int variant)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fprintf(fp, "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,%s,"
                "LSOA name,Crime type,Last outcome category,Context\n",
            variant == 4 ? "Area" : "LSOA code");
    const int rows = 200000;
    for (int i = 0; i < rows; i++) {
        const char *location = variant == 2 && i == rows * 3 / 4 ? "On or near Caf\xC3\xA9 Street"
                                                                 : "On or near High Street";
        int id = variant == 1 && i == rows - 10 ? 10 : i;
        bool bad = i % 40000 == 7 || (variant == 3 && i % 50 == 0);
        char lsoa[16] = "";
        if (i % 97)
            snprintf(lsoa, sizeof lsoa, "E01%06d", i % 3000);
        fprintf(fp, "%064d,2018-%s,Thames Valley Police,Thames Valley Police,-0.70%04d,"
                    "52.1%05d,%s,%s,Milton Keynes %03dA,%s,Under investigation,\n",
                id, bad ? "13" : i % 2 ? "11" : "12", i % 10000, i % 100000, location,
                lsoa, i % 300, i % 3 ? "Burglary" : "Anti-social behaviour");
    }
    fclose(fp);
}

static void big_files(void **state)
{
    (void)state;
    char path[] = "/tmp/csa-once-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    const csa_spec *police = csa_spec_find("police-street");
    const char *cols[CSA_SPEC_MAX_COLUMNS];
    size_t ncols = kept(police, cols);
    static const char *const what[] = {"plain", "Crime ID in both halves", "UTF-8 in the second half",
                                       "too many bad months", "no LSOA code column"};
    static const int threads[] = {2, 1, 1, 2, 2};
    for (int variant = 0; variant < 5; variant++) {
        write_big(path, variant);
        csa_validate_options vo = {.spec = police, .keep_ids = true, .has_period = true,
                                   .period_first = csa_month_make(2018, 11),
                                   .period_last = csa_month_make(2018, 12),
                                   .coverage_across_files = true};
        csa_ingest_options io = {.spec = police, .columns = cols, .ncolumns = ncols,
                                 .max_reject_share = 0.01};
        compare(&vo, &io, path, NULL, 0, what[variant]);
        /* the halves were taken (or not) as expected */
        csa_file_forget_all();
        result b = once(&vo, &io, path, NULL, 0);
        if (b.v->threads != threads[variant])
            fail_msg("%s: read with %d threads, expected %d", what[variant], b.v->threads,
                     threads[variant]);
        if (variant == 3)
            assert_int_equal(b.st, CSA_ERR_REJECTS);
        else if (variant == 4)
            assert_int_equal(b.st, CSA_ERR_FORMAT);
        else
            assert_int_equal(b.st, CSA_OK);
        result_free(&b);
    }
    unlink(path);
}

int main(int argc, char **argv)
{
    corpus_dir = argc > 1 ? argv[1] : "tests/validate";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(corpus_files),
        cmocka_unit_test(big_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
