#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "csa/ingest.h"

static const char *const pop_cols[] = {"area code", "population"};
static const char *const imd_cols[] = {"LSOA code", "LA code", "IMD rank", "IMD decile"};
static const char *const crime_cols[] = {"Month", "LSOA code", "Crime type", "Location"};

typedef struct run {
    csa_table *t;
    csa_ingest_stats stats;
    csa_error err;
    csa_status st;
} run;

/* A source that hands out `step` bytes at a time, so that every chunk
 * boundary (inside a BOM, between CR and LF, inside quotes) is crossed. */
typedef struct dribble {
    const char *s;
    size_t len, pos, step;
} dribble;

static csa_status dribble_read(void *ctx, char *buf, size_t cap, size_t *got, csa_error *err)
{
    (void)err;
    dribble *d = ctx;
    size_t n = d->len - d->pos;
    n = n < d->step ? n : d->step;
    n = n < cap ? n : cap;
    memcpy(buf, d->s + d->pos, n);
    d->pos += n;
    *got = n;
    return CSA_OK;
}

static run ingest_step(const char *spec, const char *const *cols, size_t ncols, bool whole,
                       const char *text, size_t len, size_t step)
{
    run r = {0};
    csa_ingest_options opt = {.spec = csa_spec_find(spec), .columns = cols, .ncolumns = ncols,
                              .all_or_nothing = whole, .max_reject_share = 0.01};
    assert_non_null(opt.spec);
    assert_int_equal(csa_ingest_table(&opt, &r.t, &r.err), CSA_OK);
    csa_source src;
    dribble d = {text, len, 0, step};
    csa_source_from_buffer(&src, "in.csv", text, len);
    if (step) {
        src.read = dribble_read;
        src.ctx = &d;
    }
    r.st = csa_ingest(&src, &opt, r.t, &r.stats, &r.err);
    csa_source_close(&src);
    csa_table_freeze(r.t);
    return r;
}

static run ingest(const char *spec, const char *const *cols, size_t ncols, bool whole,
                  const char *text)
{
    return ingest_step(spec, cols, ncols, whole, text, strlen(text), 0);
}

static const char *str_at(const csa_table *t, size_t col, size_t row)
{
    return csa_dict_string(csa_table_dict(t, col), csa_table_codes(t, col)[row], NULL);
}

static void assert_error(const run *r, csa_status st, const char *formatted)
{
    char buf[1024];
    assert_int_equal(r->st, st);
    assert_string_equal(csa_error_format(&r->err, buf, sizeof buf), formatted);
}

static void bom_and_header_variants(void **state)
{
    (void)state;
    /* BOM, odd case, spaces round names, long official names, quoted rank */
    const char *text = "\xEF\xBB\xBF  lsoa CODE (2011) ,Local Authority District name (2019),"
                       "LOCAL AUTHORITY DISTRICT CODE (2019),"
                       "Index of Multiple Deprivation (IMD) Rank,\"IMD Decile\"\n"
                       "E01000001,City of London,E09000001,\"29,199\",9\n"
                       "E01000002,City of London,E09000001,628, 10 \n";
    run r = ingest("imd", imd_cols, 4, true, text);
    assert_int_equal(r.st, CSA_OK);
    assert_int_equal(csa_table_nrows(r.t), 2);
    assert_string_equal(str_at(r.t, 0, 0), "E01000001");
    assert_string_equal(str_at(r.t, 1, 1), "E09000001");
    assert_int_equal(csa_table_int64s(r.t, 2)[0], 29199);
    assert_int_equal(csa_table_int64s(r.t, 2)[1], 628);
    assert_int_equal(csa_table_int64s(r.t, 3)[1], 10);
    csa_table_free(r.t);
}

static void crlf_quotes_and_line_numbers(void **state)
{
    (void)state;
    /* a quoted newline, a quoted comma and doubled quotes; then a bad
     * month on physical line 5 */
    const char *text = "Crime ID,Month,LSOA code,Location,Crime type\r\n"
                       ",2018-10,E01000001,\"On or near \"\"The Green\"\", Newport\",Burglary\r\n"
                       "x,2018-10,,\"Flat 1\r\nHigh Street\",Drugs\r\n"
                       "y,2018-13,E01000002,Park,Drugs\r\n";
    char *big = malloc(100 * 64 + 256);
    strcpy(big, text);
    /* enough good rows that one reject stays under 1% */
    for (int i = 0; i < 100; i++)
        strcat(big, "z,2018-11,E01000003,Road,Other theft\r\n");
    for (size_t step = 0; step <= 3; step++) {
        run r = ingest_step("police-street", crime_cols, 4, false, big, strlen(big), step);
        assert_int_equal(r.st, CSA_OK);
        assert_int_equal(r.stats.rows_read, 103);
        assert_int_equal(r.stats.rows_accepted, 102);
        assert_int_equal(r.stats.rows_rejected, 1);
        assert_int_equal(r.stats.by_reason[CSA_REJECT_BAD_VALUE], 1);
        assert_int_equal(r.stats.by_column[CSA_REJECT_BAD_VALUE][1], 1); /* Month */
        char buf[512];
        assert_string_equal(csa_error_format(&r.stats.first_rejects[0], buf, sizeof buf),
                            "in.csv:5:2: Month \"2018-13\" is not a date (dates are read as "
                            "2018-06, 2018-06-30 or 30/06/2018)");
        assert_string_equal(str_at(r.t, 3, 0), "On or near \"The Green\", Newport");
        assert_string_equal(str_at(r.t, 3, 1), "Flat 1\r\nHigh Street");
        assert_false(csa_table_valid(r.t, 1, 1)); /* blank LSOA is missing, not "" */
        assert_string_equal(str_at(r.t, 2, 2), "Other theft");
        csa_table_free(r.t);
    }
    free(big);
}

static void lone_cr_and_blank_lines(void **state)
{
    (void)state;
    const char *text = "area code,population\r\rE01,5\rE02,x\r\r\r";
    run r = ingest("population", pop_cols, 2, true, text);
    /* the blank line 2 is counted as a line but not as a row */
    assert_error(&r, CSA_ERR_VALUE, "in.csv:4:2: population \"x\" is not a number");
    csa_table_free(r.t);
    r = ingest("population", pop_cols, 2, true, "area code,population\nE01,5\n\n\n");
    assert_int_equal(r.st, CSA_OK);
    assert_int_equal(r.stats.rows_read, 1);
    csa_table_free(r.t);
}

static void reference_bad_values_stop(void **state)
{
    (void)state;
    const char *head = "lsoa,la,Total\nE01,E06,100\nE02,E06,";
    const struct { const char *value; csa_status st; const char *msg; } cases[] = {
        {"12a", CSA_ERR_VALUE, "in.csv:3:3: population \"12a\" is not a number"},
        {"12.5", CSA_ERR_VALUE, "in.csv:3:3: population \"12.5\" is not a whole number"},
        {"-4", CSA_ERR_VALUE, "in.csv:3:3: population \"-4\" is negative"},
        {"1,2", CSA_ERR_VALUE, "in.csv:3:3: population \"1\" is not a number"},
        {"\"1,2\"", CSA_ERR_VALUE, "in.csv:3:3: population \"1,2\" is not a number"},
        {"\"\"", CSA_ERR_VALUE, "in.csv:3:3: population is blank"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[128];
        snprintf(text, sizeof text, "%s%s\n", head, cases[i].value);
        run r = ingest("population", pop_cols, 2, true, text);
        if (i == 3) /* an unquoted comma makes a fourth field */
            assert_error(&r, CSA_ERR_FORMAT, "in.csv:3:4: row has 4 fields; the header has 3");
        else
            assert_error(&r, cases[i].st, cases[i].msg);
        assert_string_equal(r.err.field, i == 3 ? "" : "population");
        csa_table_free(r.t);
    }
}

static void reference_structure_errors(void **state)
{
    (void)state;
    run r = ingest("population", pop_cols, 2, true, "lsoa,la,Total\nE01,E06,100\nE02,E06\n");
    assert_error(&r, CSA_ERR_FORMAT, "in.csv:3:3: row has 2 fields; the header has 3");
    csa_table_free(r.t);
    /* the last line cut off part-way */
    r = ingest("population", pop_cols, 2, true, "lsoa,la,Total\nE01,E06,100\nE02,E0");
    assert_error(&r, CSA_ERR_FORMAT, "in.csv:3:3: row has 2 fields; the header has 3");
    csa_table_free(r.t);
    r = ingest("population", pop_cols, 2, true, "lsoa,la,Persons\nE01,E06,100\n");
    assert_error(&r, CSA_ERR_FORMAT,
                 "in.csv:1: missing column \"population\" (a population file needs it; header "
                 "names accepted: population, Total, All Ages, All ages, Total population)");
    csa_table_free(r.t);
    r = ingest("population", pop_cols, 2, true, "");
    assert_error(&r, CSA_ERR_FORMAT,
                 "in.csv: file is empty: a population file needs a header row and data rows");
    csa_table_free(r.t);
    r = ingest("population", pop_cols, 2, true, "\xEF\xBB\xBF\r\n\r\n");
    assert_int_equal(r.st, CSA_ERR_FORMAT);
    csa_table_free(r.t);
    r = ingest("population", pop_cols, 2, true, "lsoa,Total,All Ages\nE01,1,1\n");
    assert_error(&r, CSA_ERR_FORMAT,
                 "in.csv:1:3: column \"population\" appears twice (columns 2 and 3)");
    csa_table_free(r.t);
    r = ingest("imd", imd_cols, 4, true,
               "lsoa,lad,IMD decile\nE01,E06,1\nE02,E06,2\nE01,E06,3\n");
    assert_error(&r, CSA_ERR_VALUE, "in.csv:4:1: LSOA code \"E01\" appears more than once");
    csa_table_free(r.t);
    r = ingest("imd", imd_cols, 4, true, "lsoa,lad,IMD decile\nE01,E06,11\n");
    assert_error(&r, CSA_ERR_VALUE, "in.csv:2:3: IMD decile \"11\" is outside 1 to 10");
    csa_table_free(r.t);
    /* a quote never closed: named where its row starts, not silently eaten */
    r = ingest("population", pop_cols, 2, true, "lsoa,Total\nE01,5\n\"E02,6\nE03,7\n");
    assert_error(&r, CSA_ERR_FORMAT,
                 "in.csv:3: a quote (\") opened in the row that starts here is never closed "
                 "before the end of the file");
    csa_table_free(r.t);
    /* a header only is not an error for ingest; callers decide */
    r = ingest("population", pop_cols, 2, true, "lsoa,Total\n");
    assert_int_equal(r.st, CSA_OK);
    assert_int_equal(r.stats.rows_read, 0);
    csa_table_free(r.t);
}

static void missing_file_is_named(void **state)
{
    (void)state;
    csa_source src;
    csa_error err;
    char buf[512];
    assert_int_equal(csa_source_open_file(&src, "/nonexistent/pop.csv", &err), CSA_ERR_IO);
    assert_string_equal(csa_error_format(&err, buf, sizeof buf),
                        "/nonexistent/pop.csv: cannot open: No such file or directory");
}

static void crime_rejects_counted_then_stop_over_one_percent(void **state)
{
    (void)state;
    char *text = malloc(60 * 200 + 128);
    strcpy(text, "Crime ID,Month,LSOA code,Location,Crime type\n");
    for (int i = 0; i < 200; i++)
        strcat(text, i == 7 ? "a,2018-10,E01,Road\n"            /* short row */
                   : i == 9 ? "a,2018-10,E01,Road,\n"           /* blank crime type */
                            : "a,2018-10,E01,Road,Burglary\n");
    run r = ingest("police-street", crime_cols, 4, false, text);
    /* 2 of 200 is exactly 1%: allowed */
    assert_int_equal(r.st, CSA_OK);
    assert_int_equal(r.stats.rows_read, 200);
    assert_int_equal(r.stats.rows_accepted, 198);
    assert_int_equal(r.stats.by_reason[CSA_REJECT_FIELD_COUNT], 1);
    assert_int_equal(r.stats.by_reason[CSA_REJECT_MISSING], 1);
    assert_int_equal(r.stats.by_column[CSA_REJECT_MISSING][9], 1); /* Crime type */
    assert_int_equal(r.stats.nkept, 2);
    assert_int_equal(r.stats.first_rejects[0].line, 9);
    assert_int_equal(r.stats.first_rejects[1].line, 11);
    assert_string_equal(r.stats.first_rejects[1].message, "Crime type is blank");
    csa_table_free(r.t);
    strcat(text, "a,2018-10,E01,Road\n");
    r = ingest("police-street", crime_cols, 4, false, text);
    assert_int_equal(r.st, CSA_ERR_REJECTS);
    assert_string_equal(r.err.message,
                        "3 of 201 rows rejected (1.5%, more than 1%): is this a police-street "
                        "file? The first: in.csv:9:5: row has 4 fields; the header has 5");
    csa_table_free(r.t);
    free(text);
}

static void unread_columns_are_not_parsed(void **state)
{
    (void)state;
    /* Longitude is not asked for, so its junk does not reject the row */
    const char *text = "Crime ID,Month,LSOA code,Crime type,Longitude\n,2018-10,E01,Drugs,abc\n";
    run r = ingest("police-street", crime_cols, 4, false, text);
    assert_int_equal(r.st, CSA_OK);
    assert_int_equal(r.stats.rows_accepted, 1);
    /* Location is asked for but absent from the file: all missing */
    assert_false(csa_table_valid(r.t, 3, 0));
    csa_table_free(r.t);
}

/* keep_values: a row whose LSOA code is not kept (or missing) is appended
 * with its thin columns (Location) missing, never interned; its other
 * columns and every check are as before (the bad month is still rejected) */
static void rows_outside_keep_values_are_thinned(void **state)
{
    (void)state;
    csa_table *set = csa_table_create();
    assert_int_equal(csa_table_add_column(set, "LSOA", CSA_STRING), CSA_OK);
    csa_value v = {.v.str = {"E01000001", 9}};
    assert_int_equal(csa_table_append_row(set, &v, NULL), CSA_OK);
    const bool thin[] = {false, false, false, true};
    csa_ingest_options opt = {.spec = csa_spec_find("police-street"), .columns = crime_cols,
                              .ncolumns = 4, .max_reject_share = 0.5, .keep_column = 1,
                              .keep_values = csa_table_dict(set, 0), .thin = thin};
    const char *text = "Crime ID,Month,LSOA code,Crime type,Location\n"
                       "a,2018-10,E01000001,Burglary,On or near Kept Road\n"
                       "b,2018-10,E01000002,Drugs,On or near Dropped Road\n"
                       "c,2018-10,,Drugs,No location\n"
                       "d,2018-13,E01000002,Drugs,On or near Bad Month\n";
    run r = {0};
    assert_int_equal(csa_ingest_table(&opt, &r.t, &r.err), CSA_OK);
    csa_source src;
    csa_source_from_buffer(&src, "in.csv", text, strlen(text));
    r.st = csa_ingest(&src, &opt, r.t, &r.stats, &r.err);
    csa_source_close(&src);
    csa_table_freeze(r.t);
    if (r.st)
        fail_msg("%s", r.err.message);
    assert_int_equal(r.stats.rows_read, 4);
    assert_int_equal(r.stats.rows_accepted, 3);
    assert_int_equal(csa_table_nrows(r.t), 3);
    assert_string_equal(str_at(r.t, 3, 0), "On or near Kept Road");
    assert_false(csa_table_valid(r.t, 3, 1));
    assert_false(csa_table_valid(r.t, 3, 2));
    assert_int_equal(csa_dict_size(csa_table_dict(r.t, 3)), 1);
    assert_string_equal(str_at(r.t, 1, 1), "E01000002");
    assert_string_equal(str_at(r.t, 2, 1), "Drugs");
    assert_false(csa_table_valid(r.t, 1, 2));
    csa_table_free(r.t);
    csa_table_free(set);
}

static void encodings_are_converted(void **state)
{
    (void)state;
    static const char *const cols[] = {"area code", "LA code", "population"};
    /* Excel's Windows-1252: e-acute and a right single quote, 2 bytes in */
    const char cp1252[] = "lsoa,la,Total\nE01,Caf\xE9 \x92s,5\n";
    for (size_t step = 0; step <= 1; step++) {
        run r = ingest_step("population", cols, 3, true, cp1252, sizeof cp1252 - 1, step);
        assert_int_equal(r.st, CSA_OK);
        assert_true(r.stats.windows_1252);
        assert_string_equal(str_at(r.t, 1, 0), "Caf\xC3\xA9 \xE2\x80\x99s");
        csa_table_free(r.t);
    }
    /* valid UTF-8 first, then a stray byte and a NUL: replaced and counted */
    const char bad[] = "lsoa,la,Total\nE01,Caf\xC3\xA9,5\nE02,x\xFFy\0z,6\n";
    run r = ingest_step("population", cols, 3, true, bad, sizeof bad - 1, 0);
    assert_int_equal(r.st, CSA_OK);
    assert_false(r.stats.windows_1252);
    assert_int_equal(r.stats.replaced_bytes, 2);
    assert_string_equal(str_at(r.t, 1, 1), "x\xEF\xBF\xBDy\xEF\xBF\xBDz");
    csa_table_free(r.t);
    /* suppression markers in a number column are missing, not errors */
    static const char *const pcols[] = {"area code", "population", "F0 to 15"};
    r = ingest("population", pcols, 3, true, "lsoa,Total,F0 to 15\nE01,5,*\nE02,6,..\nE03,7,c\n");
    assert_int_equal(r.st, CSA_OK);
    assert_int_equal(csa_table_nmissing(r.t, 2), 3);
    csa_table_free(r.t);
    r = ingest("population", pcols, 3, true, "lsoa,Total\nE01,*\n");
    assert_error(&r, CSA_ERR_VALUE, "in.csv:2:2: population is suppressed");
    csa_table_free(r.t);
}

static void value_parsers(void **state)
{
    (void)state;
    int64_t i;
    double d;
    int32_t day;
    assert_true(csa_parse_int64("29,199", 6, &i) && i == 29199);
    assert_true(csa_parse_int64("1,234,567", 9, &i) && i == 1234567);
    assert_true(csa_parse_int64("-9223372036854775808", 20, &i) && i == INT64_MIN);
    assert_false(csa_parse_int64("9223372036854775808", 19, &i));
    assert_false(csa_parse_int64("1,23", 4, &i));
    assert_false(csa_parse_int64("1234,567", 8, &i));
    assert_false(csa_parse_int64(",123", 4, &i));
    assert_false(csa_parse_int64("", 0, &i));
    assert_false(csa_parse_int64("1 2", 3, &i));
    assert_true(csa_parse_double("1,234.5", 7, &d) && d == 1234.5);
    assert_true(csa_parse_double("-0.761078", 9, &d) && d == -0.761078);
    assert_false(csa_parse_double("nan", 3, &d));
    assert_false(csa_parse_double("0x10", 4, &d));
    assert_false(csa_parse_double("1e999", 5, &d));
    assert_true(csa_parse_date("1970-01", 7, &day) && day == 0);
    assert_true(csa_parse_date("2018-06-30", 10, &day) && day == 17712);
    assert_true(csa_parse_date("30/06/2018", 10, &day) && day == 17712);
    assert_true(csa_parse_date("29/02/2016", 10, &day));
    assert_false(csa_parse_date("29/02/2018", 10, &day));
    assert_false(csa_parse_date("2018-13", 7, &day));
    assert_false(csa_parse_date("2018-1", 6, &day));
    char buf[CSA_DATE_TEXT_MAX];
    csa_format_date(17712, false, buf);
    assert_string_equal(buf, "2018-06-30");
    csa_format_date(17683, true, buf);
    assert_string_equal(buf, "2018-06");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bom_and_header_variants),
        cmocka_unit_test(crlf_quotes_and_line_numbers),
        cmocka_unit_test(lone_cr_and_blank_lines),
        cmocka_unit_test(reference_bad_values_stop),
        cmocka_unit_test(reference_structure_errors),
        cmocka_unit_test(missing_file_is_named),
        cmocka_unit_test(crime_rejects_counted_then_stop_over_one_percent),
        cmocka_unit_test(unread_columns_are_not_parsed),
        cmocka_unit_test(rows_outside_keep_values_are_thinned),
        cmocka_unit_test(encodings_are_converted),
        cmocka_unit_test(value_parsers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
