/* The built-in dataset specs, as data. Adding a dataset is adding a table
 * here, not writing a parser. Aliases are the other names a source has
 * used for a column over the years. */
#include <string.h>

#include "csa/ingest.h"

#define REQ CSA_COL_REQUIRED
#define NN CSA_COL_NOT_NULL
#define RANGE CSA_COL_RANGE
#define UNIQ CSA_COL_UNIQUE

static const csa_spec_column police_street[] = {
    {"Crime ID", NULL, CSA_STRING, REQ, 0, 0,
     "police.uk's identifier of the crime; blank for anti-social behaviour"},
    {"Month", NULL, CSA_DATE, REQ | NN, 0, 0, "month of the crime, as 2018-06"},
    {"Reported by", NULL, CSA_STRING, 0, 0, 0, "force that provided the data"},
    {"Falls within", NULL, CSA_STRING, 0, 0, 0, "force area the crime falls within"},
    {"Longitude", NULL, CSA_DOUBLE, RANGE, -180, 180, "anonymised longitude; blank when unknown"},
    {"Latitude", NULL, CSA_DOUBLE, RANGE, -90, 90, "anonymised latitude; blank when unknown"},
    {"Location", NULL, CSA_STRING, 0, 0, 0, "anonymised location, such as \"On or near High Street\""},
    {"LSOA code", NULL, CSA_STRING, REQ, 0, 0, "2011 LSOA code of the location; blank when unknown"},
    {"LSOA name", NULL, CSA_STRING, 0, 0, 0, "2011 LSOA name"},
    {"Crime type", NULL, CSA_STRING, REQ | NN, 0, 0, "one of police.uk's crime types"},
    {"Last outcome category", NULL, CSA_STRING, 0, 0, 0, "latest outcome; blank for anti-social behaviour"},
    {"Context", NULL, CSA_STRING, 0, 0, 0, "free text; usually blank"},
};

static const csa_spec_column imd[] = {
    {"LSOA code", "LSOA code (2011)|LSOA code (2021)|lsoa11cd|lsoa21cd|lsoa", CSA_STRING,
     REQ | NN | UNIQ, 0, 0, "LSOA code, such as E01000001"},
    {"LSOA name", "LSOA name (2011)|LSOA name (2021)|lsoa11nm|lsoa21nm", CSA_STRING, 0, 0, 0,
     "LSOA name"},
    {"LA code",
     "Local Authority District code (2019)|Local Authority District code (2013)|"
     "Local Authority District code (2024)|lad19cd|lad",
     CSA_STRING, REQ | NN, 0, 0, "local authority district code, such as E06000042"},
    {"LA name",
     "Local Authority District name (2019)|Local Authority District name (2013)|"
     "Local Authority District name (2024)|lad19nm",
     CSA_STRING, 0, 0, 0, "local authority district name"},
    {"IMD rank",
     "Index of Multiple Deprivation (IMD) Rank|"
     "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)",
     CSA_INT64, RANGE, 1, 1e6, "rank of the LSOA, 1 = most deprived"},
    {"IMD decile",
     "Index of Multiple Deprivation (IMD) Decile|"
     "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)",
     CSA_INT64, REQ | NN | RANGE, 1, 10, "decile of the LSOA, 1 = most deprived 10%"},
};

#define BAND(name) {name, NULL, CSA_INT64, RANGE, 0, 1e9, "residents in this band"}
static const csa_spec_column population[] = {
    {"area code",
     "lsoa|LSOA code|LSOA 2011 Code|LSOA 2021 Code|LSOA11CD|LSOA21CD|Area Codes|Area code",
     CSA_STRING, REQ | NN | UNIQ, 0, 0, "code of the area (LSOA), such as E01016735"},
    {"LA code", "la|LAD code|LA Code (2018 boundaries)|LA Code (2021 boundaries)", CSA_STRING,
     0, 0, 0, "local authority district code"},
    {"population", "Total|All Ages|All ages|Total population", CSA_INT64, REQ | NN | RANGE, 0,
     1e9, "residents of all ages"},
    BAND("F0 to 15"), BAND("F16 to 29"), BAND("F30 to 44"), BAND("F45 to 64"),
    BAND("F65 and over"), BAND("M0 to 15"), BAND("M16 to 29"), BAND("M30 to 44"),
    BAND("M45 to 64"), BAND("M65 and over"),
};

#define SPEC(id, title, cols) {id, title, cols, sizeof cols / sizeof cols[0]}
static const csa_spec specs[] = {
    SPEC("police-street", "police.uk street-level crime", police_street),
    SPEC("imd", "English Indices of Deprivation, LSOA file", imd),
    SPEC("population", "population estimates by LSOA", population),
};

const csa_spec *csa_specs(size_t *n)
{
    *n = sizeof specs / sizeof specs[0];
    return specs;
}

const csa_spec *csa_spec_find(const char *name)
{
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
        if (strcmp(specs[i].name, name) == 0)
            return &specs[i];
    return NULL;
}

size_t csa_spec_column_index(const csa_spec *spec, const char *name)
{
    for (size_t i = 0; i < spec->ncolumns; i++)
        if (strcmp(spec->columns[i].name, name) == 0)
            return i;
    return CSA_NO_ROW;
}

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

static bool same_name(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen != blen)
        return false;
    for (size_t i = 0; i < alen; i++)
        if (lower(a[i]) != lower(b[i]))
            return false;
    return true;
}

bool csa_spec_column_matches(const csa_spec_column *col, const char *h, size_t len)
{
    if (len >= 3 && memcmp(h, "\xEF\xBB\xBF", 3) == 0) {
        h += 3;
        len -= 3;
    }
    while (len && (*h == ' ' || *h == '\t')) {
        h++;
        len--;
    }
    while (len && (h[len - 1] == ' ' || h[len - 1] == '\t'))
        len--;
    if (same_name(h, len, col->name, strlen(col->name)))
        return true;
    for (const char *a = col->aliases; a && *a;) {
        const char *bar = strchr(a, '|');
        size_t alen = bar ? (size_t)(bar - a) : strlen(a);
        if (same_name(h, len, a, alen))
            return true;
        a = bar ? bar + 1 : a + alen;
    }
    return false;
}
