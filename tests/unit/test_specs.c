/* Column roles of the built-in specs: every role a spec has, found by
 * csa_spec_role, written out here by hand from the datasets' documentation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "csa/ingest.h"

typedef struct want {
    const char *spec;
    csa_role role;
    const char *column;
} want;

static const want ROLES[] = {
    {"police-street", CSA_ROLE_ID, "Crime ID"},
    {"police-street", CSA_ROLE_PERIOD, "Month"},
    {"police-street", CSA_ROLE_FORCE, "Falls within"},
    {"police-street", CSA_ROLE_LONGITUDE, "Longitude"},
    {"police-street", CSA_ROLE_LATITUDE, "Latitude"},
    {"police-street", CSA_ROLE_LSOA, "LSOA code"},
    {"police-street", CSA_ROLE_LSOA_NAME, "LSOA name"},
    {"police-street", CSA_ROLE_LOCATION, "Location"},
    {"police-street", CSA_ROLE_CATEGORY, "Crime type"},
    {"police-street", CSA_ROLE_OUTCOME, "Last outcome category"},
    {"police-outcomes", CSA_ROLE_ID, "Crime ID"},
    {"police-outcomes", CSA_ROLE_PERIOD, "Month"},
    {"police-outcomes", CSA_ROLE_FORCE, "Falls within"},
    {"police-outcomes", CSA_ROLE_LONGITUDE, "Longitude"},
    {"police-outcomes", CSA_ROLE_LATITUDE, "Latitude"},
    {"police-outcomes", CSA_ROLE_LSOA, "LSOA code"},
    {"police-outcomes", CSA_ROLE_LSOA_NAME, "LSOA name"},
    {"police-outcomes", CSA_ROLE_LOCATION, "Location"},
    {"police-outcomes", CSA_ROLE_OUTCOME, "Outcome type"},
    {"population", CSA_ROLE_AREA, "area code"},
    {"population", CSA_ROLE_AREA_NAME, "area name"},
    {"population", CSA_ROLE_LA, "LA code"},
    {"population", CSA_ROLE_POPULATION, "population"},
    {"population", CSA_ROLE_YEAR, "year"},
    {"imd", CSA_ROLE_LSOA, "LSOA code"},
    {"imd", CSA_ROLE_LSOA_NAME, "LSOA name"},
    {"imd", CSA_ROLE_LA, "LA code"},
    {"imd", CSA_ROLE_LA_NAME, "LA name"},
    {"imd", CSA_ROLE_RANK, "IMD rank"},
    {"imd", CSA_ROLE_DECILE, "IMD decile"},
    {"area-lookup", CSA_ROLE_LSOA, "LSOA code"},
    {"area-lookup", CSA_ROLE_LSOA_NAME, "LSOA name"},
    {"area-lookup", CSA_ROLE_WARD, "ward code"},
    {"area-lookup", CSA_ROLE_WARD_NAME, "ward name"},
    {"area-lookup", CSA_ROLE_LA, "LA code"},
    {"area-lookup", CSA_ROLE_LA_NAME, "LA name"},
    {"area-lookup", CSA_ROLE_PARENT, "higher area code"},
    {"area-lookup", CSA_ROLE_PARENT_NAME, "higher area name"},
    {"area-lookup", CSA_ROLE_CSP, "CSP code"},
    {"area-lookup", CSA_ROLE_CSP_NAME, "CSP name"},
    {"lsoa-lookup", CSA_ROLE_LSOA, "LSOA11CD"},
    {"lsoa-lookup", CSA_ROLE_LSOA_NAME, "LSOA11NM"},
    {"lsoa-lookup", CSA_ROLE_AREA, "LSOA21CD"},
    {"lsoa-lookup", CSA_ROLE_AREA_NAME, "LSOA21NM"},
    {"lsoa-lookup", CSA_ROLE_CATEGORY, "CHGIND"},
    {"lsoa-lookup", CSA_ROLE_LA, "LAD22CD"},
    {"lsoa-lookup", CSA_ROLE_LA_NAME, "LAD22NM"},
    {"boundaries", CSA_ROLE_LSOA, "LSOA code"},
    {"boundaries", CSA_ROLE_LSOA_NAME, "LSOA name"},
    {"indicator", CSA_ROLE_AREA, "area code"},
    {"indicator", CSA_ROLE_PERIOD, "period"},
    {"indicator", CSA_ROLE_CATEGORY, "measure"},
    {"indicator", CSA_ROLE_COUNT, "count"},
    {"indicator", CSA_ROLE_DENOMINATOR, "denominator"},
    {"partner-incidents", CSA_ROLE_ID, "incident id"},
    {"partner-incidents", CSA_ROLE_PERIOD, "date"},
    {"partner-incidents", CSA_ROLE_TIME, "time"},
    {"partner-incidents", CSA_ROLE_LSOA, "LSOA code"},
    {"partner-incidents", CSA_ROLE_LONGITUDE, "longitude"},
    {"partner-incidents", CSA_ROLE_LATITUDE, "latitude"},
    {"partner-incidents", CSA_ROLE_EASTING, "easting"},
    {"partner-incidents", CSA_ROLE_NORTHING, "northing"},
    {"partner-incidents", CSA_ROLE_CATEGORY, "category"},
    {"partner-incidents", CSA_ROLE_VENUE, "venue"},
    {"fingertips", CSA_ROLE_INDICATOR, "Indicator ID"},
    {"fingertips", CSA_ROLE_INDICATOR_NAME, "Indicator Name"},
    {"fingertips", CSA_ROLE_PARENT, "Parent Code"},
    {"fingertips", CSA_ROLE_PARENT_NAME, "Parent Name"},
    {"fingertips", CSA_ROLE_AREA, "Area Code"},
    {"fingertips", CSA_ROLE_AREA_NAME, "Area Name"},
    {"fingertips", CSA_ROLE_AREA_TYPE, "Area Type"},
    {"fingertips", CSA_ROLE_SEX, "Sex"},
    {"fingertips", CSA_ROLE_AGE, "Age"},
    {"fingertips", CSA_ROLE_CATEGORY_TYPE, "Category Type"},
    {"fingertips", CSA_ROLE_CATEGORY, "Category"},
    {"fingertips", CSA_ROLE_PERIOD, "Time period"},
    {"fingertips", CSA_ROLE_VALUE, "Value"},
    {"fingertips", CSA_ROLE_LOWER_95, "Lower CI 95.0 limit"},
    {"fingertips", CSA_ROLE_UPPER_95, "Upper CI 95.0 limit"},
    {"fingertips", CSA_ROLE_LOWER_998, "Lower CI 99.8 limit"},
    {"fingertips", CSA_ROLE_UPPER_998, "Upper CI 99.8 limit"},
    {"fingertips", CSA_ROLE_COUNT, "Count"},
    {"fingertips", CSA_ROLE_DENOMINATOR, "Denominator"},
    {"fingertips", CSA_ROLE_VALUE_NOTE, "Value note"},
    {"fingertips", CSA_ROLE_PERIOD_ORDER, "Time period Sortable"},
    {"road-collisions", CSA_ROLE_ID, "collision index"},
    {"road-collisions", CSA_ROLE_DATE, "date"},
    {"road-collisions", CSA_ROLE_SEVERITY, "severity"},
    {"road-collisions", CSA_ROLE_CASUALTIES, "casualties"},
    {"road-collisions", CSA_ROLE_LSOA, "LSOA code"},
    {"survey", CSA_ROLE_ID, "respondent id"},
    {"survey", CSA_ROLE_AREA, "area code"},
    {"survey", CSA_ROLE_WEIGHT, "weight"},
    {"survey", CSA_ROLE_AGE, "age band"},
    {"survey", CSA_ROLE_SEX, "sex"},
};
enum { NWANT = sizeof ROLES / sizeof ROLES[0] };

static bool wanted(const char *spec, csa_role role)
{
    for (size_t i = 0; i < NWANT; i++)
        if (!strcmp(ROLES[i].spec, spec) && ROLES[i].role == role)
            return true;
    return false;
}

static void every_role_is_found(void **state)
{
    (void)state;
    for (size_t i = 0; i < NWANT; i++) {
        const csa_spec *s = csa_spec_find(ROLES[i].spec);
        assert_non_null(s);
        size_t c = csa_spec_role(s, ROLES[i].role);
        if (c == CSA_NO_ROW)
            fail_msg("%s has no %s column", ROLES[i].spec, csa_role_name(ROLES[i].role));
        assert_string_equal(s->columns[c].name, ROLES[i].column);
    }
}

/* Roles not listed above are absent, so the list is the whole truth; and a
 * spec's roles never repeat. */
static void no_other_roles(void **state)
{
    (void)state;
    size_t n, with_role = 0;
    const csa_spec *specs = csa_specs(&n);
    assert_int_equal(n, 12);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(csa_spec_role(&specs[i], CSA_ROLE_NONE), CSA_NO_ROW);
        for (int r = CSA_ROLE_NONE + 1; r < CSA_NROLES; r++)
            if (!wanted(specs[i].name, (csa_role)r))
                assert_int_equal(csa_spec_role(&specs[i], (csa_role)r), CSA_NO_ROW);
        for (size_t c = 0; c < specs[i].ncolumns; c++) {
            csa_role r = specs[i].columns[c].role;
            if (r == CSA_ROLE_NONE)
                continue;
            with_role++;
            if (csa_spec_role(&specs[i], r) != c)
                fail_msg("%s: role %s twice", specs[i].name, csa_role_name(r));
        }
    }
    assert_int_equal(with_role, NWANT);
}

/* The checks validation runs (flags) agree with what the columns are. */
static void flags_agree_with_roles(void **state)
{
    (void)state;
    size_t n;
    const csa_spec *specs = csa_specs(&n);
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < specs[i].ncolumns; c++) {
            const csa_spec_column *col = &specs[i].columns[c];
            if (col->flags & CSA_COL_LSOA)
                assert_int_equal(col->role, CSA_ROLE_LSOA);
            if (col->flags & CSA_COL_ID)
                assert_int_equal(col->role, CSA_ROLE_ID);
            if (col->flags & CSA_COL_COUNT)
                assert_int_equal(col->role, CSA_ROLE_COUNT);
            if (col->flags & CSA_COL_PERIOD)
                assert_true(col->role == CSA_ROLE_PERIOD || col->role == CSA_ROLE_DATE);
        }
}

static void role_names(void **state)
{
    (void)state;
    assert_string_equal(csa_role_name(CSA_ROLE_NONE), "");
    assert_string_equal(csa_role_name(CSA_NROLES), "");
    assert_string_equal(csa_role_name(CSA_ROLE_LSOA), "LSOA code");
    assert_string_equal(csa_role_name(CSA_ROLE_LOWER_95), "lower 95% limit");
    for (int a = CSA_ROLE_NONE + 1; a < CSA_NROLES; a++) {
        assert_true(csa_role_name((csa_role)a)[0] != '\0');
        for (int b = a + 1; b < CSA_NROLES; b++)
            assert_string_not_equal(csa_role_name((csa_role)a), csa_role_name((csa_role)b));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_role_is_found),
        cmocka_unit_test(no_other_roles),
        cmocka_unit_test(flags_agree_with_roles),
        cmocka_unit_test(role_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
