/* Validation of identifiers and of the files of one input together: a
 * repeat that police.uk publishes (a warning) against one that must not
 * happen (an error), the identifiers and force-months kept for the set
 * check, and the set's findings and totals (issue 14 cases 3 and 5). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csa/ingest.h"

static const char police_header[] =
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
    "LSOA name,Crime type,Last outcome category,Context\n";

/* A growing text. */
typedef struct text {
    char *s;
    size_t len, cap;
} text;

static void append(text *t, const char *s)
{
    size_t n = strlen(s);
    while (t->len + n + 1 > t->cap) {
        t->cap = t->cap ? t->cap * 2 : 4096;
        t->s = realloc(t->s, t->cap);
        assert_non_null(t->s);
    }
    memcpy(t->s + t->len, s, n + 1);
    t->len += n;
}

/* A police.uk row of Crime ID id (as 64 hex digits), month and force. */
static void police_row(text *t, unsigned id, const char *month, const char *force)
{
    char row[512];
    snprintf(row, sizeof row,
             "%064x,%s,%s,%s,-0.7,52.0,On or near High Street,E01016735,Milton Keynes 021A,"
             "Burglary,,\n", id, month, force, force);
    append(t, row);
}

static csa_validation *validate_text(const char *spec, const char *text, bool keep_ids)
{
    csa_validate_options opt = {.spec = csa_spec_find(spec), .keep_ids = keep_ids};
    csa_source src;
    csa_error err;
    csa_validation *v = NULL;
    assert_non_null(opt.spec);
    csa_source_from_buffer(&src, "test.csv", text, strlen(text));
    assert_int_equal(csa_validate(&src, &opt, &v, &err), CSA_OK);
    csa_source_close(&src);
    return v;
}

static uint64_t check_count(const csa_validation *v, const char *check)
{
    for (size_t i = 0; i < v->nchecks; i++)
        if (strcmp(v->checks[i].check, check) == 0)
            return v->checks[i].count;
    return 0;
}

static const csa_finding *first_finding(const csa_validation *v, const char *check)
{
    for (size_t i = 0; i < v->nfindings; i++)
        if (strcmp(v->findings[i].check, check) == 0)
            return &v->findings[i];
    return NULL;
}

/* police.uk's Crime IDs repeat in a month: a warning, the rows usable, the
 * whole 64-character ID shown; the same ID in another month is no repeat. */
static void police_repeats_are_warnings(void **state)
{
    (void)state;
    text t = {0};
    append(&t, police_header);
    police_row(&t, 1, "2018-10", "Thames Valley Police");
    police_row(&t, 2, "2018-10", "Thames Valley Police");
    police_row(&t, 1, "2018-10", "Thames Valley Police"); /* line 4 */
    police_row(&t, 1, "2018-10", "Thames Valley Police"); /* line 5 */
    police_row(&t, 2, "2018-11", "Thames Valley Police");
    csa_validation *v = validate_text("police-street", t.s, true);
    assert_int_equal(v->rows, 5);
    assert_int_equal(v->usable, 5);
    assert_int_equal(v->errors, 0);
    assert_int_equal(v->warnings, 2);
    assert_int_equal(check_count(v, "repeated-id"), 2);
    assert_int_equal(check_count(v, "duplicate-id"), 0);
    const csa_finding *f = first_finding(v, "repeated-id");
    assert_non_null(f);
    assert_int_equal(f->where.line, 4);
    char id[65];
    snprintf(id, sizeof id, "%064x", 1u);
    assert_string_equal(f->where.value, id);
    assert_non_null(strstr(f->where.message, id));
    /* kept for the set check: two identifiers, sorted */
    assert_int_equal(v->nid_hashes, 2);
    assert_true(v->id_hashes[0] < v->id_hashes[1]);
    /* and the force's two months */
    assert_int_equal(v->nsources, 2);
    assert_string_equal(v->sources[0].source, "Thames Valley Police");
    assert_int_equal(v->sources[0].rows, 4);
    assert_int_equal(v->sources[1].rows, 1);
    assert_int_equal(v->sources[1].month, csa_month_make(2018, 11));
    csa_validation_free(v);
    free(t.s);
}

/* Identifiers that must be unique stay errors: a survey's respondents, a
 * collision index, an IMD file's LSOAs. */
static void other_repeats_are_errors(void **state)
{
    (void)state;
    csa_validation *v = validate_text("survey",
                                      "respondent id,area code,weight\n"
                                      "R1,E05009416,1\nR2,E05009416,1\nR1,E05009416,1\n",
                                      false);
    assert_int_equal(v->errors, 1);
    assert_int_equal(v->usable, 2);
    const csa_finding *f = first_finding(v, "duplicate-id");
    assert_non_null(f);
    assert_int_equal(f->where.line, 4);
    assert_string_equal(f->where.message, "respondent id \"R1\" appears more than once");
    assert_false(csa_validation_usable(v, false));
    csa_validation_free(v);

    v = validate_text("road-collisions",
                      "accident_index,date,accident_severity,number_of_casualties,"
                      "lsoa_of_accident_location\n"
                      "2018430000001,06/10/2018,3,1,E01016735\n"
                      "2018430000001,07/10/2018,2,2,E01016736\n",
                      false);
    assert_int_equal(check_count(v, "duplicate-id"), 1);
    assert_int_equal(v->errors, 1);
    csa_validation_free(v);

    v = validate_text("imd",
                      "LSOA code,LA code,IMD decile\n"
                      "E01016710,E06000042,4\nE01016711,E06000042,8\nE01016710,E06000042,4\n",
                      false);
    f = first_finding(v, "duplicate-id");
    assert_non_null(f);
    assert_int_equal(f->where.line, 4);
    assert_string_equal(f->where.message, "LSOA code \"E01016710\" appears more than once");
    assert_false(csa_validation_usable(v, false));
    csa_validation_free(v);
}

/* Thousands of identifiers (sorted in passes, not by qsort): each once,
 * in order. */
static void many_identifiers_sorted_once(void **state)
{
    (void)state;
    text t = {0};
    append(&t, police_header);
    enum { N = 20000 };
    for (unsigned i = 0; i < N; i++) /* 1,000 of them twice, in another month */
        police_row(&t, i % 19000 + 1, i < 19000 ? "2018-10" : "2018-11", "Thames Valley Police");
    csa_validation *v = validate_text("police-street", t.s, true);
    assert_int_equal(v->rows, N);
    assert_int_equal(v->warnings, 0);
    assert_int_equal(v->nid_hashes, 19000);
    for (size_t i = 1; i < v->nid_hashes; i++)
        assert_true(v->id_hashes[i - 1] < v->id_hashes[i]);
    csa_validation_drop_ids(v);
    assert_null(v->id_hashes);
    assert_int_equal(v->nid_hashes, 0);
    csa_validation_free(v);
    free(t.s);
}

/* The duplicate-month finding about a force. */
static const csa_finding *month_finding(const csa_validation *set, const char *force)
{
    for (size_t i = 0; i < set->nfindings; i++)
        if (!strcmp(set->findings[i].check, "duplicate-month") &&
            strstr(set->findings[i].where.message, force))
            return &set->findings[i];
    return NULL;
}

/* Three files (without paths: no byte comparison, no reading again): the
 * same month of the same force twice, identifiers in two files, and the
 * set's totals counting the files' findings and its own. */
static void set_finds_rows_given_twice(void **state)
{
    (void)state;
    text t[3] = {{0}};
    for (int k = 0; k < 3; k++)
        append(&t[k], police_header);
    for (unsigned i = 1; i <= 10; i++) /* October, ids 1-10 */
        police_row(&t[0], i, "2018-10", "Thames Valley Police");
    for (unsigned i = 11; i <= 20; i++) /* November, ids 11-20, and 3 and 4 again */
        police_row(&t[1], i, "2018-11", "Thames Valley Police");
    police_row(&t[1], 3, "2018-11", "Thames Valley Police");
    police_row(&t[1], 4, "2018-11", "Thames Valley Police");
    police_row(&t[1], 28, "2018-10", "Bedfordshire Police"); /* line 14: one row */
    for (unsigned i = 21; i <= 25; i++) /* October of Thames Valley again, and a bad date */
        police_row(&t[2], i, "2018-10", "Thames Valley Police");
    police_row(&t[2], 26, "2018-13", "Thames Valley Police");
    police_row(&t[2], 27, "2018-10", "Bedfordshire Police"); /* line 8, one row again */
    csa_validation *v[3];
    for (int k = 0; k < 3; k++)
        v[k] = validate_text("police-street", t[k].s, true);
    assert_int_equal(v[2]->errors, 1); /* the bad date */
    csa_validate_options opt = {.spec = csa_spec_find("police-street"),
                                .coverage_across_files = true};
    csa_validation *set = NULL;
    csa_error err;
    assert_int_equal(csa_validate_set((const csa_validation *const *)v, NULL, 3, &opt, &set,
                                      &err), CSA_OK);
    assert_int_equal(check_count(set, "duplicate-month"), 2);
    assert_int_equal(check_count(set, "shared-id"), 1);
    assert_int_equal(check_count(set, "duplicate-file"), 0);
    /* each named at the later file's first row of the month; "1 row" */
    const csa_finding *f = month_finding(set, "Bedfordshire");
    assert_non_null(f);
    assert_int_equal(f->where.line, 8);
    assert_string_equal(f->where.message,
                        "2018-10 of Bedfordshire Police (Falls within) is in two files, "
                        "\"file 2\" (1 row) and \"file 3\" (1 row): it would be counted twice");
    f = month_finding(set, "Thames Valley");
    assert_non_null(f);
    assert_string_equal(f->where.value, "2018-10");
    assert_int_equal(f->where.line, 2);
    assert_string_equal(f->where.message,
                        "2018-10 of Thames Valley Police (Falls within) is in two files, "
                        "\"file 1\" (10 rows) and \"file 3\" (5 rows): it would be counted twice");
    f = first_finding(set, "shared-id");
    assert_non_null(f);
    assert_string_equal(f->where.message, "\"file 1\" and \"file 2\" share 2 Crime IDs");
    /* totals: the files' findings (one error) and the set's own (three) */
    assert_int_equal(set->errors, 4);
    assert_int_equal(set->rows, 10 + 13 + 7);
    assert_int_equal(set->usable, 10 + 13 + 6);
    assert_false(csa_validation_usable(set, false));
    csa_validation_free(set);
    for (int k = 0; k < 3; k++) {
        csa_validation_free(v[k]);
        free(t[k].s);
    }
}

/* Files held in memory, as the validator page holds a browser's: read in
 * chunks of 7 bytes (the page's reads are the browser's chunks), and
 * counted as they are opened. */
typedef struct memory_files {
    const char *const *names;
    text *t;
    int opens[4];
} memory_files;

static csa_status read_chunk(void *ctx, char *buf, size_t cap, size_t *got, csa_error *err)
{
    (void)err;
    csa_source *src = ctx;
    size_t n = src->len - src->pos < cap ? src->len - src->pos : cap;
    n = n < 7 ? n : 7;
    memcpy(buf, src->buf + src->pos, n);
    src->pos += n;
    *got = n;
    return CSA_OK;
}

static csa_status open_memory(void *ctx, size_t i, csa_source *src, csa_error *err)
{
    (void)err;
    memory_files *mf = ctx;
    mf->opens[i]++;
    csa_source_from_buffer(src, mf->names[i], mf->t[i].s, mf->t[i].len);
    src->read = read_chunk;
    src->size = mf->t[i].len;
    return CSA_OK;
}

static void no_failure(void *ctx, const csa_error *err)
{
    (void)ctx;
    fail_msg("%s", err->message);
}

/* The report over files no path names (the validator page's): the set's
 * checks read them again through the report's own open, so a copy is found
 * byte by byte and a shared identifier is shown with its line in each. */
static void set_reads_files_again_through_open(void **state)
{
    (void)state;
    static const char *const names[] = {"a.csv", "b.csv", "c.csv", "d.csv"};
    text t[4] = {{0}};
    for (int k = 0; k < 4; k++)
        append(&t[k], police_header);
    for (unsigned i = 1; i <= 10; i++) /* a: October, ids 1-10; b: the same bytes */
        police_row(&t[0], i, "2018-10", "Thames Valley Police");
    append(&t[1], t[0].s + strlen(police_header));
    for (unsigned i = 11; i <= 20; i++) /* c: November, ids 11-20 (lines 2-11), then 3 */
        police_row(&t[2], i, "2018-11", "Thames Valley Police");
    police_row(&t[2], 3, "2018-11", "Thames Valley Police");
    /* d: December, ids 101-110: a's size, its bytes the same up to the
     * first identifier's last digits, so compared with a to the end */
    for (unsigned i = 101; i <= 110; i++)
        police_row(&t[3], i, "2018-12", "Thames Valley Police");
    assert_int_equal(t[3].len, t[0].len);
    memory_files mf = {.names = names, .t = t};
    csa_validate_options vo = {.spec = csa_spec_find("police-street")};
    char *json = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&json, &len);
    assert_non_null(fp);
    csa_validate_report_options ro = {.validate = &vo, .names = names, .nfiles = 4,
                                      .open = open_memory, .fail = no_failure, .ctx = &mf,
                                      .json = fp};
    assert_false(csa_validate_report(&ro));
    fclose(fp);
    /* each file read once to validate it, then again: for its size, a with
     * b and with d (all of one size; b is a's copy) to compare, a and c for
     * the identifier they share */
    assert_int_equal(mf.opens[0], 5);
    assert_int_equal(mf.opens[1], 3);
    assert_int_equal(mf.opens[2], 3);
    assert_int_equal(mf.opens[3], 3);
    char id[65];
    snprintf(id, sizeof id, "%064x", 3u);
    char want[1024];
    snprintf(want, sizeof want,
             "{\"check\": \"duplicate-file\", \"severity\": \"error\", \"file\": \"b.csv\", "
             "\"line\": 0, \"column\": 0, \"field\": \"\", \"value\": \"\", \"message\": "
             "\"\\\"b.csv\\\" has the same content as \\\"a.csv\\\" (10 rows): a file given twice "
             "is counted twice\"");
    assert_non_null(strstr(json, want));
    snprintf(want, sizeof want,
             "{\"check\": \"shared-id\", \"severity\": \"error\", \"file\": \"c.csv\", "
             "\"line\": 12, \"column\": 0, \"field\": \"Crime ID\", \"value\": \"%s\", "
             "\"message\": \"\\\"a.csv\\\" and \\\"c.csv\\\" share 1 Crime ID; the first, "
             "\\\"%s\\\", is on line 4 of \\\"a.csv\\\" and line 12 of \\\"c.csv\\\"\"", id, id);
    assert_non_null(strstr(json, want));
    /* b is a's copy: reported once, not also for its month and identifiers;
     * d is no copy */
    assert_null(strstr(json, "\"check\": \"duplicate-month\""));
    assert_null(strstr(json, "\"d.csv\\\" has the same content"));
    assert_non_null(strstr(json, "\"set\":\n  {\"file\": \"all 4 files\", \"spec\": \"police-street\", "
                                 "\"rows\": 41, \"usable_rows\": 41, \"errors\": 2,"));
    free(json);
    for (int k = 0; k < 4; k++)
        free(t[k].s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(police_repeats_are_warnings),
        cmocka_unit_test(other_repeats_are_errors),
        cmocka_unit_test(many_identifiers_sorted_once),
        cmocka_unit_test(set_finds_rows_given_twice),
        cmocka_unit_test(set_reads_files_again_through_open),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
