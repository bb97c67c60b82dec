/* The fast ingest path and the exact (libcsv) path give identical tables
 * and row accounting: on every file of the validation corpus, on the
 * ingest tests' inputs, and on random files full of the bytes that
 * matter (quotes, commas, CR, LF, spaces, tabs, high bytes, NUL). */
#include <math.h>
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

typedef struct outcome {
    csa_table *t;
    csa_ingest_stats stats;
    csa_status st;
    csa_error err;
} outcome;

static outcome run(const csa_spec *spec, const char *text, size_t len, bool exact)
{
    outcome o = {0};
    csa_ingest_options opt = {.spec = spec, .max_reject_share = 1, .exact_path = exact};
    assert_int_equal(csa_ingest_table(&opt, &o.t, &o.err), CSA_OK);
    csa_source src;
    csa_source_from_buffer(&src, "in.csv", text, len);
    o.st = csa_ingest(&src, &opt, o.t, &o.stats, &o.err);
    csa_table_freeze(o.t);
    return o;
}

static void same_cell(const csa_table *a, const csa_table *b, size_t c, size_t r, const char *what)
{
    bool va = csa_table_valid(a, c, r), vb = csa_table_valid(b, c, r);
    if (va != vb)
        fail_msg("%s: row %zu column %zu valid %d vs %d", what, r, c, va, vb);
    if (!va)
        return;
    switch (csa_table_column_type(a, c)) {
    case CSA_INT64:
        assert_true(csa_table_int64s(a, c)[r] == csa_table_int64s(b, c)[r]);
        break;
    case CSA_DOUBLE:
        assert_true(memcmp(&csa_table_doubles(a, c)[r], &csa_table_doubles(b, c)[r],
                           sizeof(double)) == 0);
        break;
    case CSA_DATE:
        assert_true(csa_table_dates(a, c)[r] == csa_table_dates(b, c)[r]);
        break;
    case CSA_BOOL:
        assert_true(csa_table_bools(a, c)[r] == csa_table_bools(b, c)[r]);
        break;
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

/* Ingests text both ways with spec and asserts the same outcome. */
static void both_ways(const csa_spec *spec, const char *text, size_t len, const char *what)
{
    outcome f = run(spec, text, len, false), e = run(spec, text, len, true);
    if (f.st != e.st)
        fail_msg("%s: status %d (fast) vs %d (exact): %s / %s", what, f.st, e.st,
                 f.err.message, e.err.message);
    if (f.st) {
        assert_string_equal(f.err.message, e.err.message);
        assert_int_equal(f.err.line, e.err.line);
        assert_int_equal(f.err.column, e.err.column);
    }
    if (f.stats.rows_read != e.stats.rows_read || f.stats.rows_accepted != e.stats.rows_accepted ||
        f.stats.rows_rejected != e.stats.rows_rejected) {
        FILE *dump = fopen("paths-mismatch.csv", "wb");
        if (dump) {
            fwrite(text, 1, len, dump);
            fclose(dump);
        }
        fail_msg("%s (%s): rows read/accepted/rejected %llu/%llu/%llu (fast) vs %llu/%llu/%llu "
                 "(exact); input in paths-mismatch.csv", what, spec->name,
                 (unsigned long long)f.stats.rows_read, (unsigned long long)f.stats.rows_accepted,
                 (unsigned long long)f.stats.rows_rejected, (unsigned long long)e.stats.rows_read,
                 (unsigned long long)e.stats.rows_accepted, (unsigned long long)e.stats.rows_rejected);
    }
    assert_int_equal(f.stats.nkept, e.stats.nkept);
    for (size_t i = 0; i < f.stats.nkept; i++) {
        assert_string_equal(f.stats.first_rejects[i].message, e.stats.first_rejects[i].message);
        assert_int_equal(f.stats.first_rejects[i].line, e.stats.first_rejects[i].line);
        assert_int_equal(f.stats.first_rejects[i].column, e.stats.first_rejects[i].column);
    }
    assert_int_equal(csa_table_nrows(f.t), csa_table_nrows(e.t));
    for (size_t c = 0; c < csa_table_ncols(f.t); c++)
        for (size_t r = 0; r < csa_table_nrows(f.t); r++)
            same_cell(f.t, e.t, c, r, what);
    csa_table_free(f.t);
    csa_table_free(e.t);
}

/* Whether row ra of column ca of a holds the same value as row rb of
 * column cb of b (both missing counts as the same). */
static bool same_value(const csa_table *a, size_t ca, size_t ra, const csa_table *b, size_t cb,
                       size_t rb)
{
    bool va = csa_table_valid(a, ca, ra), vb = csa_table_valid(b, cb, rb);
    if (va != vb)
        return false;
    if (!va)
        return true;
    switch (csa_table_column_type(a, ca)) {
    case CSA_INT64: return csa_table_int64s(a, ca)[ra] == csa_table_int64s(b, cb)[rb];
    case CSA_DOUBLE:
        return memcmp(&csa_table_doubles(a, ca)[ra], &csa_table_doubles(b, cb)[rb],
                      sizeof(double)) == 0;
    case CSA_DATE: return csa_table_dates(a, ca)[ra] == csa_table_dates(b, cb)[rb];
    case CSA_BOOL: return csa_table_bools(a, ca)[ra] == csa_table_bools(b, cb)[rb];
    case CSA_STRING: {
        size_t la, lb;
        const char *sa = csa_dict_string(csa_table_dict(a, ca), csa_table_codes(a, ca)[ra], &la);
        const char *sb = csa_dict_string(csa_table_dict(b, cb), csa_table_codes(b, cb)[rb], &lb);
        return la == lb && memcmp(sa, sb, la) == 0;
    }
    }
    return false;
}

/* Counting mode against the exact table path: kept columns are the spec's
 * columns that need not be unique; sets are the first two of them and the
 * last alone. Same status, same row accounting, and every set's counts are
 * the rows of the exact table with those values. */
static void counting_way(const csa_spec *spec, const char *text, size_t len, const char *what)
{
    const char *cols[CSA_SPEC_MAX_COLUMNS];
    size_t n = 0;
    for (size_t c = 0; c < spec->ncolumns; c++)
        if (!(spec->columns[c].flags & CSA_COL_UNIQUE))
            cols[n++] = spec->columns[c].name;
    if (!n)
        return;
    csa_ingest_options opt = {.spec = spec, .columns = cols, .ncolumns = n,
                              .max_reject_share = 1, .exact_path = true};
    outcome e = {0};
    assert_int_equal(csa_ingest_table(&opt, &e.t, &e.err), CSA_OK);
    csa_source src;
    csa_source_from_buffer(&src, "in.csv", text, len);
    e.st = csa_ingest(&src, &opt, e.t, &e.stats, &e.err);
    csa_table_freeze(e.t);

    const csa_count_set sets[2] = {{cols, n < 2 ? n : 2}, {cols + n - 1, 1}};
    csa_table *counted[2];
    csa_ingest_stats stats;
    csa_error err;
    for (int exact = 0; exact < 2; exact++) {
        opt.exact_path = exact;
        csa_source_from_buffer(&src, "in.csv", text, len);
        csa_status st = csa_ingest_count(&src, &opt, sets, 2, counted, &stats, &err);
        if (st != e.st)
            fail_msg("%s (%s): counting status %d vs %d: %s / %s", what, spec->name, st, e.st,
                     err.message, e.err.message);
        if (st) {
            assert_string_equal(err.message, e.err.message);
            assert_null(counted[0]);
            continue;
        }
        if (stats.rows_read != e.stats.rows_read || stats.rows_accepted != e.stats.rows_accepted ||
            stats.rows_rejected != e.stats.rows_rejected)
            fail_msg("%s (%s): counting rows read/accepted/rejected %llu/%llu/%llu vs %llu/%llu/%llu",
                     what, spec->name, (unsigned long long)stats.rows_read,
                     (unsigned long long)stats.rows_accepted,
                     (unsigned long long)stats.rows_rejected,
                     (unsigned long long)e.stats.rows_read,
                     (unsigned long long)e.stats.rows_accepted,
                     (unsigned long long)e.stats.rows_rejected);
        assert_int_equal(stats.nkept, e.stats.nkept);
        for (size_t i = 0; i < stats.nkept; i++) {
            assert_string_equal(stats.first_rejects[i].message, e.stats.first_rejects[i].message);
            assert_int_equal(stats.first_rejects[i].line, e.stats.first_rejects[i].line);
        }
        for (int k = 0; k < 2; k++) {
            const csa_table *c = counted[k];
            size_t nkeys = sets[k].nkeys, rows_col = nkeys;
            int64_t total = 0;
            assert_int_equal(csa_table_ncols(c), nkeys + 1);
            for (size_t r = 0; r < csa_table_nrows(c); r++) {
                int64_t want = 0;
                for (size_t x = 0; x < csa_table_nrows(e.t); x++) {
                    bool match = true;
                    for (size_t j = 0; j < nkeys && match; j++)
                        match = same_value(c, j, r, e.t,
                                           csa_table_find(e.t, sets[k].keys[j]), x);
                    want += match;
                }
                int64_t got = csa_table_int64s(c, rows_col)[r];
                if (got != want)
                    fail_msg("%s (%s): set %d row %zu counts %lld, the table has %lld", what,
                             spec->name, k, r, (long long)got, (long long)want);
                total += got;
            }
            /* the counts add up to every row, so no combination is missing or repeated */
            assert_int_equal(total, csa_table_nrows(e.t));
            csa_table_free(counted[k]);
        }
    }
    csa_table_free(e.t);
}

static const char *corpus_dir;
/* "quick" (a sanitizer build): fewer random long files, and of the big
 * files split in two only the plain one and the Crime ID in both halves */
static bool quick;

static void corpus_files(void **state)
{
    (void)state;
    static const char *const files[] = {
        "damaged-police.csv", "wrong-field-count.csv", "cut-off-last-line.csv",
        "unclosed-quote.csv", "field-too-long.csv", "nul-byte.csv", "invalid-utf8.csv",
        "windows-1252.csv", "mixed-line-endings.csv", "missing-value.csv", "bad-date.csv",
        "duplicate-id.csv", "asb-without-id.csv", "partial-month.csv", "population-1252.csv",
        "fingertips-cut.csv", "small-count.csv", "suppressed-value.csv", "header-only.csv",
        "empty-file.csv",
    };
    size_t nspecs;
    const csa_spec *specs = csa_specs(&nspecs);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[1024];
        size_t len;
        snprintf(path, sizeof path, "%s/%s", corpus_dir, files[i]);
        char *text = slurp(path, &len);
        for (size_t s = 0; s < nspecs; s++) {
            both_ways(&specs[s], text, len, files[i]);
            counting_way(&specs[s], text, len, files[i]);
        }
        free(text);
    }
}

static void ingest_test_inputs(void **state)
{
    (void)state;
    static const char *const inputs[] = {
        "\xEF\xBB\xBF  lsoa CODE (2011) ,LA CODE,IMD Decile\nE01,E09,\"9\"\nE02,E09, 10 \n",
        "Crime ID,Month,LSOA code,Location,Crime type\r\n,2018-10,E01,\"a \"\"b\"\", c\",Burglary\r\n"
        "x,2018-10,,\"Flat 1\r\nHigh Street\",Drugs\r\ny,2018-13,E02,Park,Drugs\r\n",
        "area code,population\r\rE01,5\rE02,x\r\r\r",
        "lsoa,la,Total\nE01,E06,100\nE02,E06\n",
        "lsoa,Total\nE01,5\n\"E02,6\nE03,7\n",
        "lsoa,la,Total\nE01,Caf\xE9 \x92s,5\n",
        "lsoa,la,Total\nE01,Caf\xC3\xA9,5\nE02,x\xFFy\0z,6\n",
        "lsoa,Total,F0 to 15\nE01,5,*\nE02,6,..\nE03,7,c\n   \n\t\nE04 , 8 ,\t9\t\n",
        "lsoa,Total\nE01,5", "lsoa,Total\nE01,5\r", "lsoa,Total\r\nE01,5\r\n\r\n",
    };
    size_t nspecs;
    const csa_spec *specs = csa_specs(&nspecs);
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
        for (size_t s = 0; s < nspecs; s++) {
            char what[32];
            snprintf(what, sizeof what, "input %zu", i);
            /* input 6 goes on past its NUL: five more bytes */
            both_ways(&specs[s], inputs[i], strlen(inputs[i]) + (i == 6 ? 5 : 0), what);
            counting_way(&specs[s], inputs[i], strlen(inputs[i]) + (i == 6 ? 5 : 0), what);
        }
}

static uint64_t rng = 88172645463325252ULL;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void random_files(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        ",", ",", ",", "\n", "\r\n", "\r", "\"", "\"\"", " ", "\t", "E01016735", "2018-10",
        "12", "1,234", "\"29,199\"", "Burglary", "\xC3\xA9", "\x92", "\xFF", "x", "-0.5", "*",
        /* a long cell: rows with cells of hundreds of bytes */
        "Anti-social behaviour, a long description of what happened and where it happened, "
        "which goes on well past the length of any code or crime type, to make a cell of "
        "more than two hundred and forty bytes together with the others in its row....",
    };
    const csa_spec *police = csa_spec_find("police-street"), *pop = csa_spec_find("population");
    char *buf = malloc(8192);
    for (int file = 0; file < 400; file++) {
        size_t n = 0;
        const char *head = file % 2 ? "Crime ID,Month,LSOA code,Crime type,Location\n"
                                    : "lsoa,la,Total,F0 to 15\n";
        n += (size_t)snprintf(buf, 8192, "%s", head);
        size_t target = 50 + next() % 2000;
        while (n < target) {
            const char *p = pieces[next() % (sizeof pieces / sizeof pieces[0])];
            size_t l = strlen(p);
            memcpy(buf + n, p, l);
            n += l;
        }
        if (next() % 4 == 0)
            buf[n++] = '\0';
        char what[32];
        snprintf(what, sizeof what, "random file %d", file);
        both_ways(file % 2 ? police : pop, buf, n, what);
        counting_way(file % 2 ? police : pop, buf, n, what);
    }
    free(buf);
}

/* Validates a file both ways and asserts the same report. */
static void validate_both_ways(const char *path, int want_threads, const char *what);

/* Long files of police.uk rows, most of them plain, some with what sends a
 * line to the exact path or makes it a bad row: the fast path cuts rows in
 * batches from 64-byte masks, and every batch, block and segment boundary
 * must fall somewhere in these. */
static void random_long_files(void **state)
{
    (void)state;
    static const char *const odd[] = {
        "\"", "\r", "\r\n", " ", "\t", ",", "\xC3\xA9", "\x92", "\n", "\n\n", "  \n", "\0",
    };
    const csa_spec *police = csa_spec_find("police-street");
    size_t cap = 1 << 20;
    char *buf = malloc(cap), path[] = "/tmp/csa-paths-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    for (int file = 0; file < (quick ? 6 : 24); file++) {
        size_t n = (size_t)snprintf(buf, cap, "Crime ID,Month,Reported by,Falls within,"
                                              "Longitude,Latitude,Location,LSOA code,LSOA name,"
                                              "Crime type,Last outcome category,Context%s",
                                    file % 3 ? "\n" : "\r\n");
        size_t target = 100000 + next() % 400000;
        unsigned share = 1 + (unsigned)(next() % 40); /* in 1,000 rows: an odd piece */
        for (int row = 0; n < target; row++) {
            char line[512];
            int l = snprintf(line, sizeof line,
                             "%064d,2018-%02d,Force,Force,-0.%06d,52.%06d,On or near Road %d,"
                             "E01%06d,Name %03dA,%s,Under investigation,%s",
                             row, 1 + (int)(next() % 12), (int)(next() % 999999),
                             (int)(next() % 999999), row % 77, (int)(next() % 5000),
                             (int)(next() % 300), next() % 3 ? "Burglary" : "Vehicle crime",
                             file % 3 ? "\n" : "\r\n");
            if (next() % 1000 < share) {
                const char *o = odd[next() % (sizeof odd / sizeof odd[0])];
                size_t at = next() % (size_t)l, ol = o[0] ? strlen(o) : 1;
                memmove(line + at + ol, line + at, (size_t)l - at);
                memcpy(line + at, o, ol);
                l += (int)ol;
            }
            memcpy(buf + n, line, (size_t)l);
            n += (size_t)l;
        }
        if (file % 4 == 1)
            n -= file % 3 ? 1 : 2; /* no line end at the end */
        char what[48];
        snprintf(what, sizeof what, "random long file %d", file);
        both_ways(police, buf, n, what);
        counting_way(police, buf, n, what);
        FILE *fp = fopen(path, "wb");
        assert_non_null(fp);
        assert_int_equal(fwrite(buf, 1, n, fp), n);
        fclose(fp);
        validate_both_ways(path, 1, what);
    }
    unlink(path);
    free(buf);
}

/* Ingests a file both ways: the default (two threads when big enough) and
 * the exact sequential path. */
static void file_both_ways(const char *path, int want_threads, const char *what)
{
    csa_file_forget_all(); /* the test rewrites path between reads */
    const csa_spec *police = csa_spec_find("police-street");
    outcome o[2];
    for (int exact = 0; exact < 2; exact++) {
        memset(&o[exact], 0, sizeof o[exact]);
        csa_ingest_options opt = {.spec = police, .max_reject_share = 1, .exact_path = exact};
        assert_int_equal(csa_ingest_table(&opt, &o[exact].t, &o[exact].err), CSA_OK);
        csa_source src;
        assert_int_equal(csa_source_open_file(&src, path, &o[exact].err), CSA_OK);
        o[exact].st = csa_ingest(&src, &opt, o[exact].t, &o[exact].stats, &o[exact].err);
        csa_source_close(&src);
        csa_table_freeze(o[exact].t);
        assert_int_equal(o[exact].st, CSA_OK);
    }
    if (o[0].stats.threads != want_threads)
        fail_msg("%s: read with %d threads, expected %d", what, o[0].stats.threads, want_threads);
    assert_int_equal(o[1].stats.threads, 1);
    assert_int_equal(o[0].stats.rows_read, o[1].stats.rows_read);
    assert_int_equal(o[0].stats.rows_rejected, o[1].stats.rows_rejected);
    assert_int_equal(o[0].stats.nkept, o[1].stats.nkept);
    for (size_t i = 0; i < o[0].stats.nkept; i++) {
        assert_int_equal(o[0].stats.first_rejects[i].line, o[1].stats.first_rejects[i].line);
        assert_string_equal(o[0].stats.first_rejects[i].message, o[1].stats.first_rejects[i].message);
    }
    assert_int_equal(csa_table_nrows(o[0].t), csa_table_nrows(o[1].t));
    for (size_t c = 0; c < csa_table_ncols(o[0].t); c++)
        for (size_t r = 0; r < csa_table_nrows(o[0].t); r++)
            same_cell(o[0].t, o[1].t, c, r, what);
    csa_table_free(o[0].t);
    csa_table_free(o[1].t);
}

/* Counts a file by crime type and LSOA, and by month (two threads when big
 * enough), and checks the counts against the exact path's table. */
/* Counts a file (cpus_in_use: as the caller's other threads keep busy)
 * and checks the counts against the exact table path. */
static void count_file(const char *path, int want_threads, int cpus_in_use, const char *what)
{
    csa_file_forget_all(); /* the test rewrites path between reads */
    static const char *const cols[] = {"Month", "LSOA code", "Crime type"};
    static const char *const by_type_area[] = {"Crime type", "LSOA code"}, *const by_month[] = {"Month"};
    const csa_count_set sets[] = {{by_type_area, 2}, {by_month, 1}};
    csa_ingest_options opt = {.spec = csa_spec_find("police-street"), .columns = cols,
                              .ncolumns = 3, .max_reject_share = 1, .cpus_in_use = cpus_in_use};
    csa_table *counted[2], *t;
    csa_ingest_stats cs, ts;
    csa_error err;
    csa_source src;
    assert_int_equal(csa_source_open_file(&src, path, &err), CSA_OK);
    assert_int_equal(csa_ingest_count(&src, &opt, sets, 2, counted, &cs, &err), CSA_OK);
    csa_source_close(&src);
    opt.exact_path = true;
    assert_int_equal(csa_ingest_table(&opt, &t, &err), CSA_OK);
    assert_int_equal(csa_source_open_file(&src, path, &err), CSA_OK);
    assert_int_equal(csa_ingest(&src, &opt, t, &ts, &err), CSA_OK);
    csa_source_close(&src);
    csa_table_freeze(t);
    if (cs.threads != want_threads)
        fail_msg("%s: counted with %d threads, expected %d", what, cs.threads, want_threads);
    assert_int_equal(cs.rows_read, ts.rows_read);
    assert_int_equal(cs.rows_accepted, ts.rows_accepted);
    assert_int_equal(cs.rows_rejected, ts.rows_rejected);
    assert_int_equal(cs.nkept, ts.nkept);
    for (size_t i = 0; i < cs.nkept; i++) {
        assert_int_equal(cs.first_rejects[i].line, ts.first_rejects[i].line);
        assert_string_equal(cs.first_rejects[i].message, ts.first_rejects[i].message);
    }
    size_t keys[2] = {2, 1};
    csa_groups *g;
    assert_int_equal(csa_table_group(t, keys, 2, CSA_NO_ROW, 0, csa_table_nrows(t), &g, &err),
                     CSA_OK);
    int64_t missing = 0, total = 0;
    const csa_table *c = counted[0];
    for (size_t r = 0; r < csa_table_nrows(c); r++) {
        int64_t n = csa_table_int64s(c, 2)[r];
        total += n;
        size_t lt, la;
        const char *type = csa_dict_string(csa_table_dict(c, 0), csa_table_codes(c, 0)[r], &lt);
        uint32_t ct = csa_dict_find(csa_table_dict(t, 2), type, lt);
        assert_int_not_equal(ct, CSA_NO_CODE);
        if (!csa_table_valid(c, 1, r)) {
            missing += n;
            continue;
        }
        const char *area = csa_dict_string(csa_table_dict(c, 1), csa_table_codes(c, 1)[r], &la);
        uint32_t ca = csa_dict_find(csa_table_dict(t, 1), area, la);
        assert_int_not_equal(ca, CSA_NO_CODE);
        if (g->counts[ct * g->sizes[1] + ca] != n)
            fail_msg("%s: %s in %s: %lld counted, %lld in the table", what, type, area,
                     (long long)n, (long long)g->counts[ct * g->sizes[1] + ca]);
    }
    assert_int_equal(missing, g->nmissing);
    assert_int_equal(total, csa_table_nrows(t));
    int64_t months = 0;
    for (size_t r = 0; r < csa_table_nrows(counted[1]); r++) {
        int64_t want = 0;
        for (size_t x = 0; x < csa_table_nrows(t); x++)
            want += csa_table_dates(t, 0)[x] == csa_table_dates(counted[1], 0)[r];
        assert_int_equal(csa_table_int64s(counted[1], 1)[r], want);
        months += want;
    }
    assert_int_equal(months, csa_table_nrows(t));
    csa_groups_free(g);
    csa_table_free(t);
    csa_table_free(counted[0]);
    csa_table_free(counted[1]);
}

/* A police file of about 40 MB: big enough to be read in two halves. */
static void write_big(const char *path, int variant)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
          "LSOA name,Crime type,Last outcome category,Context\n", fp);
    const int rows = 200000;
    for (int i = 0; i < rows; i++) {
        const char *location = "On or near High Street";
        if (variant == 1 && i == rows / 2 - 500) {
            /* 300 KB of quoted lines across the middle of the file, where it is split */
            fprintf(fp, "x,2018-01,F,F,-0.7,52.0,\"");
            for (int k = 0; k < 3000; k++)
                fprintf(fp, "line %04d of a note that goes on and on and on and on and on"
                            " and on and on and on and on\n", k);
            fprintf(fp, "\",E01000001,Name,Drugs,,\n");
            continue;
        }
        if (variant == 2 && i == rows * 3 / 4)
            location = "On or near Caf\xC3\xA9 Street";
        int id = i;
        if (i == 150001 || (variant == 3 && i == 170000))
            id = variant == 3 && i == 170000 ? 30000 : 150000; /* repeats: same month? below */
        if (i % 40000 == 7) /* a few bad rows in both halves */
            fprintf(fp, "%064d,2018-13,Force,Force,-0.7,52.0,x,E01%06d,Name,Drugs,,\n", i, i % 3000);
        else
            fprintf(fp, "%064d,2018-%02d,Thames Valley Police,Thames Valley Police,-0.70%04d,"
                        "52.1%05d,%s,E01%06d,Milton Keynes %03dA,%s,Under investigation,\n",
                    id, 1 + id % 12, i % 10000, i % 100000, location, i % 3000, i % 300,
                    i % 3 ? "Burglary" : "Anti-social behaviour");
    }
    fclose(fp);
}

/* Validates a file both ways and asserts the same report. */
static void validate_both_ways(const char *path, int want_threads, const char *what)
{
    csa_file_forget_all(); /* the test rewrites path between reads */
    csa_validation *v[2];
    for (int exact = 0; exact < 2; exact++) {
        csa_validate_options opt = {.spec = csa_spec_find("police-street"), .exact_path = exact,
                                    .keep_ids = true};
        csa_source src;
        csa_error err;
        assert_int_equal(csa_source_open_file(&src, path, &err), CSA_OK);
        assert_int_equal(csa_validate(&src, &opt, &v[exact], &err), CSA_OK);
        csa_source_close(&src);
    }
    if (v[0]->threads != want_threads)
        fail_msg("%s: validated with %d threads, expected %d", what, v[0]->threads, want_threads);
    assert_int_equal(v[0]->rows, v[1]->rows);
    assert_int_equal(v[0]->usable, v[1]->usable);
    assert_int_equal(v[0]->errors, v[1]->errors);
    assert_int_equal(v[0]->warnings, v[1]->warnings);
    assert_int_equal(v[0]->notes, v[1]->notes);
    assert_int_equal(v[0]->nchecks, v[1]->nchecks);
    for (size_t i = 0; i < v[0]->nchecks; i++) {
        assert_string_equal(v[0]->checks[i].check, v[1]->checks[i].check);
        assert_int_equal(v[0]->checks[i].count, v[1]->checks[i].count);
    }
    /* what the set check takes from each file: identifiers and force-months */
    assert_int_equal(v[0]->nid_hashes, v[1]->nid_hashes);
    assert_memory_equal(v[0]->id_hashes, v[1]->id_hashes, v[0]->nid_hashes * sizeof(uint64_t));
    assert_int_equal(v[0]->nsources, v[1]->nsources);
    for (size_t i = 0; i < v[0]->nsources; i++) {
        assert_int_equal(v[0]->sources[i].month, v[1]->sources[i].month);
        assert_int_equal(v[0]->sources[i].rows, v[1]->sources[i].rows);
        assert_string_equal(v[0]->sources[i].source, v[1]->sources[i].source);
    }
    assert_int_equal(v[0]->nfindings, v[1]->nfindings);
    for (size_t i = 0; i < v[0]->nfindings; i++) {
        const csa_finding *a = &v[0]->findings[i], *b = &v[1]->findings[i];
        if (strcmp(a->check, b->check) || a->where.line != b->where.line ||
            a->where.column != b->where.column || strcmp(a->where.message, b->where.message))
            fail_msg("%s: finding %zu: %s %llu:%llu %s vs %s %llu:%llu %s", what, i, a->check,
                     (unsigned long long)a->where.line, (unsigned long long)a->where.column,
                     a->where.message, b->check, (unsigned long long)b->where.line,
                     (unsigned long long)b->where.column, b->where.message);
    }
    csa_validation_free(v[0]);
    csa_validation_free(v[1]);
}

static void big_files_in_two_halves(void **state)
{
    (void)state;
    char path[] = "/tmp/csa-paths-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    write_big(path, 0);
    file_both_ways(path, 2, "plain 40 MB file");
    count_file(path, 2, 0, "counting a plain 40 MB file");
    /* every CPU taken by the caller (csa rates' digests on a 2-CPU machine): one thread */
    count_file(path, 1, (int)sysconf(_SC_NPROCESSORS_ONLN), "counting with every CPU busy");
    validate_both_ways(path, 2, "validating a plain 40 MB file");
    for (int variant = 1; variant <= 2 && !quick; variant++) {
        const char *what = variant == 1 ? "quoted line break at the split" : "UTF-8 in the second half";
        write_big(path, variant);
        file_both_ways(path, 1, what);
        count_file(path, 1, 0, what);
        validate_both_ways(path, 1, what);
    }
    write_big(path, 3);
    validate_both_ways(path, 1, "validating with a Crime ID in both halves");
    unlink(path);
}

int main(int argc, char **argv)
{
    corpus_dir = argc > 1 ? argv[1] : "tests/validate";
    quick = argc > 2 && strcmp(argv[2], "quick") == 0;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(corpus_files),
        cmocka_unit_test(ingest_test_inputs),
        cmocka_unit_test(random_files),
        cmocka_unit_test(random_long_files),
        cmocka_unit_test(big_files_in_two_halves),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
