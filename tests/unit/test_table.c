#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "csa/table.h"

static csa_value str(const char *s) { return (csa_value){.v.str = {s, strlen(s)}}; }
static csa_value num(int64_t i) { return (csa_value){.v.i = i}; }
static const csa_value missing = {.missing = true};

/* crime type, area, count: the shape group-by is used on */
static csa_table *sample(void)
{
    csa_table *t = csa_table_create();
    assert_int_equal(csa_table_add_column(t, "type", CSA_STRING), CSA_OK);
    assert_int_equal(csa_table_add_column(t, "area", CSA_STRING), CSA_OK);
    assert_int_equal(csa_table_add_column(t, "n", CSA_INT64), CSA_OK);
    const char *rows[][2] = {{"Burglary", "E01"}, {"Drugs", "E02"}, {"Burglary", "E01"},
                             {"Burglary", "E02"}, {"Drugs", NULL}, {"Drugs", "E02"}};
    for (size_t i = 0; i < 6; i++) {
        csa_value v[3] = {str(rows[i][0]), rows[i][1] ? str(rows[i][1]) : missing,
                          num((int64_t)i + 1)};
        assert_int_equal(csa_table_append_row(t, v, NULL), CSA_OK);
    }
    csa_table_freeze(t);
    return t;
}

static void validity_is_lazy(void **state)
{
    (void)state;
    csa_table *t = csa_table_create();
    assert_int_equal(csa_table_add_column(t, "x", CSA_DOUBLE), CSA_OK);
    for (int i = 0; i < 3000; i++) {
        csa_value v = {.v.d = i};
        assert_int_equal(csa_table_append_row(t, &v, NULL), CSA_OK);
    }
    assert_false(csa_table_has_bitmap(t, 0));
    assert_true(csa_table_valid(t, 0, 2999));
    assert_int_equal(csa_table_append_row(t, &missing, NULL), CSA_OK);
    assert_true(csa_table_has_bitmap(t, 0));
    /* every earlier row stays valid once the bitmap exists, across growth */
    for (int i = 0; i < 3000; i++)
        assert_true(csa_table_valid(t, 0, (size_t)i));
    assert_false(csa_table_valid(t, 0, 3000));
    for (int i = 0; i < 5000; i++) {
        csa_value v = {.v.d = 1};
        assert_int_equal(csa_table_append_row(t, &v, NULL), CSA_OK);
    }
    assert_true(csa_table_valid(t, 0, 7999));
    assert_false(csa_table_valid(t, 0, 3000));
    assert_int_equal(csa_table_nmissing(t, 0), 1);
    assert_int_equal(csa_table_nrows(t), 8001);
    csa_table_free(t);
}

static void all_types_round_trip(void **state)
{
    (void)state;
    csa_table *t = csa_table_create();
    csa_type types[] = {CSA_INT64, CSA_DOUBLE, CSA_DATE, CSA_STRING, CSA_BOOL};
    for (int i = 0; i < 5; i++)
        assert_int_equal(csa_table_add_column(t, csa_type_name(types[i]), types[i]), CSA_OK);
    csa_value v[5] = {num(-7), {.v.d = 2.5}, {.v.date = 17805}, str("E06000042"), {.v.b = true}};
    assert_int_equal(csa_table_append_row(t, v, NULL), CSA_OK);
    csa_value m[5] = {missing, missing, missing, missing, missing};
    assert_int_equal(csa_table_append_row(t, m, NULL), CSA_OK);
    csa_table_freeze(t);
    assert_int_equal(csa_table_int64s(t, 0)[0], -7);
    assert_true(csa_table_doubles(t, 1)[0] == 2.5);
    assert_int_equal(csa_table_dates(t, 2)[0], 17805);
    assert_string_equal(csa_dict_string(csa_table_dict(t, 3), csa_table_codes(t, 3)[0], NULL),
                        "E06000042");
    assert_true(csa_table_bools(t, 4)[0]);
    for (size_t c = 0; c < 5; c++) {
        assert_true(csa_table_valid(t, c, 0));
        assert_false(csa_table_valid(t, c, 1));
    }
    /* a missing string has no code: it is not "" */
    assert_int_equal(csa_table_codes(t, 3)[1], CSA_NO_CODE);
    assert_int_equal(csa_dict_size(csa_table_dict(t, 3)), 1);
    assert_null(csa_table_int64s(t, 1));
    assert_int_equal(csa_table_find(t, "string"), 3);
    assert_int_equal(csa_table_find(t, "nope"), CSA_NO_ROW);
    csa_table_free(t);
}

static void frozen_refuses_appends(void **state)
{
    (void)state;
    csa_table *t = sample();
    csa_value v[3] = {str("a"), str("b"), num(1)};
    assert_int_equal(csa_table_append_row(t, v, NULL), CSA_ERR_STATE);
    assert_int_equal(csa_table_add_column(t, "late", CSA_INT64), CSA_ERR_STATE);
    assert_int_equal(csa_table_nrows(t), 6);
    csa_table_free(t);
}

static void dictionary_codes_are_dense(void **state)
{
    (void)state;
    csa_table *t = csa_table_create();
    assert_int_equal(csa_table_add_column(t, "s", CSA_STRING), CSA_OK);
    char buf[32];
    bool is_new;
    /* enough distinct values to force several rehashes */
    for (int i = 0; i < 10000; i++) {
        snprintf(buf, sizeof buf, "E01%06d", i % 2500);
        csa_value v = str(buf);
        assert_int_equal(csa_table_append_row(t, &v, &is_new), CSA_OK);
        assert_int_equal(is_new, i < 2500);
    }
    const csa_dict *d = csa_table_dict(t, 0);
    assert_int_equal(csa_dict_size(d), 2500);
    assert_int_equal(csa_dict_find(d, "E01001234", 9), 1234);
    assert_int_equal(csa_dict_find(d, "E0100123", 8), CSA_NO_CODE);
    size_t len;
    assert_string_equal(csa_dict_string(d, 2499, &len), "E01002499");
    assert_int_equal(len, 9);
    assert_int_equal(csa_table_codes(t, 0)[9999], 2499);
    /* embedded NUL bytes are part of the value, not its end */
    csa_value nul = {.v.str = {"E0\0x", 4}};
    assert_int_equal(csa_table_append_row(t, &nul, &is_new), CSA_OK);
    assert_true(is_new);
    assert_int_equal(csa_dict_find(d, "E0\0x", 4), 2500);
    csa_table_free(t);
}

static void oversized_string_refused(void **state)
{
    (void)state;
    csa_table *t = csa_table_create();
    assert_int_equal(csa_table_add_column(t, "s", CSA_STRING), CSA_OK);
    char *big = calloc(CSA_STRING_MAX + 1, 1);
    csa_value v = {.v.str = {big, CSA_STRING_MAX + 1}};
    assert_int_equal(csa_table_append_row(t, &v, NULL), CSA_ERR_LIMIT);
    assert_int_equal(csa_table_nrows(t), 0);
    free(big);
    csa_table_free(t);
}

static void group_by_counts_and_sums(void **state)
{
    (void)state;
    csa_table *t = sample();
    size_t keys[2] = {0, 1};
    csa_groups *g;
    csa_error err;
    assert_int_equal(csa_table_group(t, keys, 2, 2, 0, 6, &g, &err), CSA_OK);
    assert_int_equal(g->sizes[0], 2); /* Burglary, Drugs */
    assert_int_equal(g->sizes[1], 2); /* E01, E02 */
    assert_int_equal(g->ncells, 4);
    /* cell = type * 2 + area */
    assert_int_equal(g->counts[0], 2); /* Burglary E01: rows 1, 3 */
    assert_int_equal(g->counts[1], 1); /* Burglary E02: row 4 */
    assert_int_equal(g->counts[2], 0);
    assert_int_equal(g->counts[3], 2); /* Drugs E02: rows 2, 6 */
    assert_true(g->sums[0] == 4 && g->sums[1] == 4 && g->sums[3] == 8);
    assert_int_equal(g->nmissing, 1);
    csa_groups_free(g);
    /* a row range counts only its rows */
    assert_int_equal(csa_table_group(t, keys, 1, CSA_NO_ROW, 3, 6, &g, &err), CSA_OK);
    assert_int_equal(g->counts[0], 1);
    assert_int_equal(g->counts[1], 2);
    assert_null(g->sums);
    csa_groups_free(g);
    size_t bad = 2;
    assert_int_equal(csa_table_group(t, &bad, 1, CSA_NO_ROW, 0, 6, &g, &err), CSA_ERR_USAGE);
    assert_null(g);
    assert_int_equal(csa_table_group(t, keys, 1, CSA_NO_ROW, 0, 7, &g, &err), CSA_ERR_USAGE);
    csa_table_free(t);
}

static void group_by_needs_frozen(void **state)
{
    (void)state;
    csa_table *t = csa_table_create();
    assert_int_equal(csa_table_add_column(t, "s", CSA_STRING), CSA_OK);
    size_t key = 0;
    csa_groups *g;
    csa_error err;
    assert_int_equal(csa_table_group(t, &key, 1, CSA_NO_ROW, 0, 0, &g, &err), CSA_ERR_STATE);
    csa_table_free(t);
}

static void join_through_dictionaries(void **state)
{
    (void)state;
    csa_table *left = sample();
    csa_table *right = csa_table_create();
    assert_int_equal(csa_table_add_column(right, "code", CSA_STRING), CSA_OK);
    const char *codes[] = {"E03", "E02", "E09"};
    for (int i = 0; i < 3; i++) {
        csa_value v = str(codes[i]);
        assert_int_equal(csa_table_append_row(right, &v, NULL), CSA_OK);
    }
    csa_table_freeze(right);
    size_t *map;
    csa_error err;
    assert_int_equal(csa_table_join(left, 1, right, 0, &map, &err), CSA_OK);
    /* left's area codes: E01 = 0, E02 = 1 */
    assert_int_equal(map[0], CSA_NO_ROW);
    assert_int_equal(map[1], 1);
    free(map);
    csa_table_free(right);

    /* a key that is not unique on the right is an error naming it */
    right = csa_table_create();
    assert_int_equal(csa_table_add_column(right, "code", CSA_STRING), CSA_OK);
    for (int i = 0; i < 2; i++) {
        csa_value v = str("E02");
        assert_int_equal(csa_table_append_row(right, &v, NULL), CSA_OK);
    }
    csa_table_freeze(right);
    assert_int_equal(csa_table_join(left, 1, right, 0, &map, &err), CSA_ERR_DUPLICATE);
    assert_null(map);
    assert_string_equal(err.value, "E02");
    assert_string_equal(err.message, "code \"E02\" appears more than once");
    csa_table_free(right);
    csa_table_free(left);
}

/* Row i of the narrow-codes tables: three string columns whose
 * dictionaries end at 3, 300 and 70,000 values (one, two and four bytes a
 * code), some missing, and a date. */
static void narrow_row(size_t i, csa_value v[4], char buf[3][16])
{
    snprintf(buf[0], 16, "t%zu", i % 3);
    snprintf(buf[1], 16, "m%zu", i % 300);
    snprintf(buf[2], 16, "E01%06zu", i);
    v[0] = i % 7 == 0 ? missing : str(buf[0]);
    v[1] = i % 11 == 0 ? missing : str(buf[1]);
    v[2] = i % 13 == 0 ? missing : str(buf[2]);
    v[3] = (csa_value){.v.date = (int32_t)(17000 + i % 36)};
}

static csa_table *narrow_table(bool narrow)
{
    csa_table *t = csa_table_create();
    const char *names[] = {"type", "month-ish", "lsoa", "month"};
    for (int c = 0; c < 4; c++)
        assert_int_equal(csa_table_add_column(t, names[c], c == 3 ? CSA_DATE : CSA_STRING),
                         CSA_OK);
    if (narrow)
        assert_int_equal(csa_table_narrow_codes(t), CSA_OK);
    return t;
}

/* A table with narrow codes holds, once frozen, exactly what the same
 * rows make in a table without: codes, missing values, dictionaries; also
 * through csa_table_append_table (narrow into narrow, wide into narrow)
 * and csa_table_truncate. */
static void narrow_codes_widen(void **state)
{
    (void)state;
    enum { N = 100000 };
    csa_table *wide = narrow_table(false), *narrow = narrow_table(true);
    csa_table *part = narrow_table(true), *wide_part = narrow_table(false);
    char buf[3][16];
    csa_value v[4];
    for (size_t i = 0; i < N; i++) {
        narrow_row(i, v, buf);
        assert_int_equal(csa_table_append_row(wide, v, NULL), CSA_OK);
        /* rows 60,000 on reach the narrow table through others */
        csa_table *to = i < 60000 ? narrow : i < 80000 ? part : wide_part;
        assert_int_equal(csa_table_append_row(to, v, NULL), CSA_OK);
    }
    /* not frozen: no uint32 codes to give, but the rest reads as ever */
    assert_null(csa_table_codes(narrow, 2));
    assert_non_null(csa_table_dates(narrow, 3));
    assert_int_equal(csa_table_nrows(narrow), 60000);
    assert_int_equal(csa_table_narrow_codes(narrow), CSA_ERR_STATE); /* it has rows */
    assert_int_equal(csa_table_append_table(narrow, part), CSA_OK);
    assert_int_equal(csa_table_append_table(narrow, wide_part), CSA_OK);
    /* rows appended and dropped leave the table as it was */
    narrow_row(5, v, buf);
    assert_int_equal(csa_table_append_row(narrow, v, NULL), CSA_OK);
    assert_int_equal(csa_table_truncate(narrow, N), CSA_OK);
    csa_table_freeze(wide);
    assert_int_equal(csa_table_freeze(narrow), CSA_OK);
    assert_int_equal(csa_table_nrows(narrow), N);
    for (size_t c = 0; c < 3; c++) {
        const uint32_t *a = csa_table_codes(wide, c), *b = csa_table_codes(narrow, c);
        assert_non_null(b);
        assert_memory_equal(a, b, N * sizeof *a);
        assert_int_equal(csa_table_nmissing(wide, c), csa_table_nmissing(narrow, c));
        const csa_dict *da = csa_table_dict(wide, c), *db = csa_table_dict(narrow, c);
        assert_int_equal(csa_dict_size(da), csa_dict_size(db));
        for (uint32_t k = 0; k < csa_dict_size(da); k++)
            assert_string_equal(csa_dict_string(da, k, NULL), csa_dict_string(db, k, NULL));
        for (size_t r = 0; r < N; r++)
            assert_int_equal(csa_table_valid(wide, c, r), csa_table_valid(narrow, c, r));
    }
    assert_int_equal(csa_dict_size(csa_table_dict(narrow, 2)), N - (N + 12) / 13);
    assert_int_equal(csa_table_codes(narrow, 2)[13], CSA_NO_CODE);
    assert_memory_equal(csa_table_dates(wide, 3), csa_table_dates(narrow, 3), N * sizeof(int32_t));
    csa_table_free(wide);
    csa_table_free(narrow);
    csa_table_free(part);
    csa_table_free(wide_part);
}

/* csa_table_keep_rows: rows appended and then thinned (a reader keeping
 * the rows of its area) hold, once frozen, what appending only the kept
 * rows gives: codes, missing values, dates; the rows before `first` stay,
 * the dictionaries keep every string, and a frozen table refuses. */
static void keep_rows_thins(void **state)
{
    (void)state;
    enum { N = 90000, FIRST = 1000 };
    for (int narrow = 0; narrow < 2; narrow++) {
        csa_table *all = narrow_table(narrow), *only = narrow_table(narrow);
        bool *keep = calloc(N - FIRST, sizeof *keep);
        assert_non_null(keep);
        char buf[3][16];
        csa_value v[4];
        size_t kept = 0;
        for (size_t i = 0; i < N; i++) {
            narrow_row(i, v, buf);
            assert_int_equal(csa_table_append_row(all, v, NULL), CSA_OK);
            /* every row before FIRST; then a row in five, and runs */
            bool k = i < FIRST || i % 5 == 1 || (i / 1000) % 9 == 4;
            if (i >= FIRST)
                keep[i - FIRST] = k;
            if (k) {
                assert_int_equal(csa_table_append_row(only, v, NULL), CSA_OK);
                kept++;
            }
        }
        assert_int_equal(csa_table_keep_rows(all, FIRST, keep), CSA_OK);
        assert_int_equal(csa_table_nrows(all), kept);
        /* a row appended after the thinning goes after the kept ones */
        narrow_row(7, v, buf);
        assert_int_equal(csa_table_append_row(all, v, NULL), CSA_OK);
        assert_int_equal(csa_table_append_row(only, v, NULL), CSA_OK);
        kept++;
        csa_table_freeze(all);
        csa_table_freeze(only);
        assert_int_equal(csa_table_keep_rows(all, 0, keep), CSA_ERR_STATE);
        assert_int_equal(csa_table_nrows(all), kept);
        /* all's dictionary has every string appended, only's the kept
         * ones': the same strings row by row */
        assert_int_equal(csa_dict_size(csa_table_dict(all, 2)), N - (N + 12) / 13);
        for (size_t c = 0; c < 3; c++) {
            assert_int_equal(csa_table_nmissing(all, c), csa_table_nmissing(only, c));
            const uint32_t *a = csa_table_codes(all, c), *b = csa_table_codes(only, c);
            const csa_dict *da = csa_table_dict(all, c), *db = csa_table_dict(only, c);
            for (size_t r = 0; r < kept; r++) {
                assert_int_equal(csa_table_valid(all, c, r), csa_table_valid(only, c, r));
                if (csa_table_valid(only, c, r))
                    assert_string_equal(csa_dict_string(da, a[r], NULL),
                                        csa_dict_string(db, b[r], NULL));
            }
        }
        assert_memory_equal(csa_table_dates(all, 3), csa_table_dates(only, 3),
                            kept * sizeof(int32_t));
        free(keep);
        csa_table_free(all);
        csa_table_free(only);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(validity_is_lazy),
        cmocka_unit_test(all_types_round_trip),
        cmocka_unit_test(frozen_refuses_appends),
        cmocka_unit_test(dictionary_codes_are_dense),
        cmocka_unit_test(oversized_string_refused),
        cmocka_unit_test(group_by_counts_and_sums),
        cmocka_unit_test(group_by_needs_frozen),
        cmocka_unit_test(join_through_dictionaries),
        cmocka_unit_test(narrow_codes_widen),
        cmocka_unit_test(keep_rows_thins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
