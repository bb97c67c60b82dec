#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "csa/stats.h"

static csa_value str(const char *s)
{
    return s ? (csa_value){.v.str = {s, strlen(s)}} : (csa_value){.missing = true};
}

static csa_table *table(const char *const *names, const csa_type *types, size_t ncols)
{
    csa_table *t = csa_table_create();
    for (size_t c = 0; c < ncols; c++)
        assert_int_equal(csa_table_add_column(t, names[c], types[c]), CSA_OK);
    return t;
}

typedef struct fixture {
    csa_table *events, *imd, *pop;
    size_t part_ends[2];
} fixture;

/* Areas: A decile 1 (1,000 residents), B decile 1 (3,000), C decile 2 in
 * the LA but with no population row, E decile 3 in the LA with a
 * population of 0, D in another LA, Z not in IMD; P has a population row
 * but no IMD row. */
static void make(fixture *f)
{
    const char *en[] = {"area", "type"};
    const csa_type et[] = {CSA_STRING, CSA_STRING};
    f->events = table(en, et, 2);
    const char *ev[][2] = {
        /* part 1 */
        {"A", "Burglary"}, {"A", "Burglary"}, {"B", "Drugs"}, {"C", "Drugs"}, {NULL, "Drugs"},
        /* part 2 */
        {"D", "Burglary"}, {"Z", "Drugs"}, {"B", "Burglary"}, {"C", "Burglary"}, {"C", "Arson"},
        {"E", "Arson"},
    };
    for (size_t i = 0; i < 11; i++) {
        csa_value v[2] = {str(ev[i][0]), str(ev[i][1])};
        assert_int_equal(csa_table_append_row(f->events, v, NULL), CSA_OK);
    }
    f->part_ends[0] = 5;
    f->part_ends[1] = 11;
    const char *in[] = {"lsoa", "la", "decile"};
    const csa_type it[] = {CSA_STRING, CSA_STRING, CSA_INT64};
    f->imd = table(in, it, 3);
    const struct { const char *a, *la; int64_t d; } im[] = {
        {"A", "LA1", 1}, {"B", "LA1", 1}, {"C", "LA1", 2}, {"D", "LA2", 1}, {"E", "LA1", 3}};
    for (size_t i = 0; i < 5; i++) {
        csa_value v[3] = {str(im[i].a), str(im[i].la), {.v.i = im[i].d}};
        assert_int_equal(csa_table_append_row(f->imd, v, NULL), CSA_OK);
    }
    const char *pn[] = {"code", "residents"};
    const csa_type pt[] = {CSA_STRING, CSA_INT64};
    f->pop = table(pn, pt, 2);
    const struct { const char *a; int64_t n; } po[] = {
        {"P", 500}, {"B", 3000}, {"A", 1000}, {"D", 700}, {"E", 0}};
    for (size_t i = 0; i < 5; i++) {
        csa_value v[2] = {str(po[i].a), {.v.i = po[i].n}};
        assert_int_equal(csa_table_append_row(f->pop, v, NULL), CSA_OK);
    }
    csa_table_freeze(f->events);
    csa_table_freeze(f->imd);
    csa_table_freeze(f->pop);
}

static csa_decile_request request(fixture *f, const char *la)
{
    return (csa_decile_request){
        .events = f->events, .event_area = "area", .event_category = "type",
        .part_ends = f->part_ends, .nparts = 2,
        .imd = f->imd, .imd_area = "lsoa", .imd_parent = "la", .imd_decile = "decile",
        .population = f->pop, .pop_area = "code", .pop_value = "residents",
        .parent_code = la, .per = 1000, .level = 95,
        .category_label = "Crime type", .total_label = "All crime",
    };
}

static void free_fixture(fixture *f)
{
    csa_table_free(f->events);
    csa_table_free(f->imd);
    csa_table_free(f->pop);
}

static void accounting_and_counts(void **state)
{
    (void)state;
    fixture f;
    make(&f);
    csa_decile_request req = request(&f, "LA1");
    csa_decile_rates *r;
    csa_error err;
    assert_int_equal(csa_decile_rates_compute(&req, &r, &err), CSA_OK);
    /* part 1: A, A, B accepted; C no population; one without area */
    assert_int_equal(r->parts[0].rows, 5);
    assert_int_equal(r->parts[0].accepted, 3);
    assert_int_equal(r->parts[0].no_population, 1);
    assert_int_equal(r->parts[0].no_area, 1);
    assert_int_equal(r->parts[0].outside, 0);
    /* part 2: D and Z outside, B accepted, C twice and E (population 0)
     * once no population */
    assert_int_equal(r->parts[1].rows, 6);
    assert_int_equal(r->parts[1].accepted, 1);
    assert_int_equal(r->parts[1].outside, 2);
    assert_int_equal(r->parts[1].no_population, 3);
    assert_int_equal(r->nunpopulated, 2);
    assert_string_equal(r->unpopulated[0].code, "C");
    assert_int_equal(r->unpopulated[0].events, 3);
    assert_string_equal(r->unpopulated[1].code, "E");
    assert_int_equal(r->unpopulated[1].events, 1);
    assert_int_equal(r->nareas, 2); /* A, B: E's 0 residents make no rate */

    const csa_table *t = r->result.table;
    /* All crime, then Burglary and Drugs (Arson only fell in C and E): 30 rows */
    assert_int_equal(csa_table_nrows(t), 30);
    assert_string_equal(csa_table_column_name(t, 4), "Rate per 1,000");
    assert_string_equal(csa_table_column_name(t, 5), "Lower 95% CI");
    const csa_dict *cats = csa_table_dict(t, 0);
    assert_string_equal(csa_dict_string(cats, csa_table_codes(t, 0)[0], NULL), "All crime");
    assert_string_equal(csa_dict_string(cats, csa_table_codes(t, 0)[10], NULL), "Burglary");
    assert_string_equal(csa_dict_string(cats, csa_table_codes(t, 0)[20], NULL), "Drugs");
    const int64_t *count = csa_table_int64s(t, 2), *pop = csa_table_int64s(t, 3);
    /* All crime decile 1: 4 events over A + B = 4,000 residents */
    assert_int_equal(count[0], 4);
    assert_int_equal(pop[0], 4000);
    assert_true(fabs(csa_table_doubles(t, 4)[0] - 1.0) < 1e-12);
    assert_int_equal(count[10], 3); /* Burglary decile 1 */
    assert_int_equal(count[20], 1); /* Drugs decile 1 */
    /* decile 2 holds only C, which has no population: no rate, a note */
    assert_int_equal(pop[1], 0);
    assert_int_equal(count[1], 0);
    assert_false(csa_table_valid(t, 4, 1));
    assert_false(csa_table_valid(t, 5, 1));
    assert_true(csa_table_valid(t, 7, 1));
    assert_false(csa_table_valid(t, 7, 0));
    /* decile 3 is E: population 0, so its crime is left out, not divided by 0 */
    assert_int_equal(count[2], 0);
    assert_int_equal(pop[2], 0);
    assert_false(csa_table_valid(t, 4, 2));
    assert_true(csa_table_valid(t, 7, 2));
    csa_decile_rates_free(r);
    free_fixture(&f);
}

static void every_area_without_parent(void **state)
{
    (void)state;
    fixture f;
    make(&f);
    csa_decile_request req = request(&f, NULL);
    csa_decile_rates *r;
    csa_error err;
    assert_int_equal(csa_decile_rates_compute(&req, &r, &err), CSA_OK);
    /* D now counts: decile 1 has A + B + D */
    assert_int_equal(csa_table_int64s(r->result.table, 3)[0], 4700);
    assert_int_equal(r->parts[1].outside, 1); /* only Z */
    assert_int_equal(r->parts[1].accepted, 2);
    csa_decile_rates_free(r);
    free_fixture(&f);
}

static void unknown_parent_is_named(void **state)
{
    (void)state;
    fixture f;
    make(&f);
    csa_decile_request req = request(&f, "LA9");
    csa_decile_rates *r;
    csa_error err;
    assert_int_equal(csa_decile_rates_compute(&req, &r, &err), CSA_ERR_NOT_FOUND);
    assert_null(r);
    assert_string_equal(err.message, "la \"LA9\" is not in the deprivation file");
    free_fixture(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accounting_and_counts),
        cmocka_unit_test(every_area_without_parent),
        cmocka_unit_test(unknown_parent_is_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
