/* The built-in dataset specs, as data. Adding a dataset is adding a table
 * here, not writing a parser. Aliases are the other names a source has
 * used for a column over the years. */
#include <string.h>

#include "csa/ingest.h"

#define REQ CSA_COL_REQUIRED
#define NN CSA_COL_NOT_NULL
#define RANGE CSA_COL_RANGE
#define UNIQ CSA_COL_UNIQUE

/* police.uk's crime types, current and before May 2013 */
static const char *const crime_types[] = {
    "Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson",
    "Drugs", "Other crime", "Other theft", "Possession of weapons", "Public order",
    "Robbery", "Shoplifting", "Theft from the person", "Vehicle crime",
    "Violence and sexual offences", "Violent crime", "Public disorder and weapons", NULL,
};

/* police.uk's outcome categories (street files and outcomes files) */
static const char *const outcomes[] = {
    "Action to be taken by another organisation", "Awaiting court outcome",
    "Court case unable to proceed", "Court result unavailable", "Defendant found not guilty",
    "Defendant sent to Crown Court", "Formal action is not in the public interest",
    "Further action is not in the public interest",
    "Further investigation is not in the public interest",
    "Investigation complete; no suspect identified", "Local resolution",
    "Offender deprived of property", "Offender fined", "Offender given a caution",
    "Offender given a drugs possession warning", "Offender given absolute discharge",
    "Offender given community sentence", "Offender given conditional discharge",
    "Offender given penalty notice", "Offender given suspended prison sentence",
    "Offender ordered to pay compensation", "Offender otherwise dealt with",
    "Offender sent to prison", "Status update unavailable",
    "Suspect charged as part of another case", "Unable to prosecute suspect",
    "Under investigation", "Suspect charged", "Offender given a community resolution", NULL,
};

#define CRIME_ID(flags)                                                                    \
    {"Crime ID", NULL, CSA_STRING, REQ | CSA_COL_ID | (flags), 0, 0,                       \
     "police.uk's identifier of the crime; blank for anti-social behaviour", NULL,         \
     CSA_ROLE_ID}
/* the columns after Crime ID */
#define POLICE_COMMON                                                                      \
    {"Month", NULL, CSA_DATE, REQ | NN | CSA_COL_PERIOD, 0, 0,                             \
     "month of the crime, as 2018-06", NULL, CSA_ROLE_PERIOD},                             \
    {"Reported by", NULL, CSA_STRING, 0, 0, 0, "force that provided the data", NULL,       \
     CSA_ROLE_NONE},                                                                       \
    {"Falls within", NULL, CSA_STRING, CSA_COL_SOURCE, 0, 0,                               \
     "force area the crime falls within", NULL, CSA_ROLE_FORCE},                            \
    {"Longitude", NULL, CSA_DOUBLE, RANGE, -180, 180,                                      \
     "anonymised longitude; blank when unknown", NULL, CSA_ROLE_LONGITUDE},                \
    {"Latitude", NULL, CSA_DOUBLE, RANGE, -90, 90,                                         \
     "anonymised latitude; blank when unknown", NULL, CSA_ROLE_LATITUDE},                  \
    {"Location", NULL, CSA_STRING, 0, 0, 0,                                                \
     "anonymised location, such as \"On or near High Street\"", NULL, CSA_ROLE_LOCATION},  \
    {"LSOA code", NULL, CSA_STRING, REQ | CSA_COL_LSOA, 0, 0,                              \
     "2011 LSOA code of the location; blank when unknown", NULL, CSA_ROLE_LSOA},           \
    {"LSOA name", NULL, CSA_STRING, 0, 0, 0, "2011 LSOA name", NULL, CSA_ROLE_LSOA_NAME}

/* police.uk publishes some crimes of a month under one Crime ID (55 in a
 * year of Northamptonshire's files): the rows are counted as published */
static const csa_spec_column police_street[] = {
    CRIME_ID(CSA_COL_ID_REPEATS),
    POLICE_COMMON,
    {"Crime type", NULL, CSA_STRING, REQ | NN, 0, 0, "one of police.uk's crime types",
     crime_types, CSA_ROLE_CATEGORY},
    {"Last outcome category", NULL, CSA_STRING, CSA_COL_CODES_WARN, 0, 0,
     "latest outcome; blank for anti-social behaviour", outcomes, CSA_ROLE_OUTCOME},
    {"Context", NULL, CSA_STRING, 0, 0, 0, "free text; usually blank", NULL, CSA_ROLE_NONE},
};

static const csa_spec_column police_outcomes[] = {
    CRIME_ID(0),
    POLICE_COMMON,
    {"Outcome type", NULL, CSA_STRING, REQ | NN | CSA_COL_CODES_WARN, 0, 0,
     "one of police.uk's outcome categories", outcomes, CSA_ROLE_OUTCOME},
};

static const csa_spec_column imd[] = {
    {"LSOA code", "LSOA code (2011)|LSOA code (2021)|lsoa11cd|lsoa21cd|lsoa", CSA_STRING,
     REQ | NN | UNIQ | CSA_COL_LSOA, 0, 0, "LSOA code, such as E01000001", NULL, CSA_ROLE_LSOA},
    {"LSOA name", "LSOA name (2011)|LSOA name (2021)|lsoa11nm|lsoa21nm", CSA_STRING, 0, 0, 0,
     "LSOA name", NULL, CSA_ROLE_LSOA_NAME},
    {"LA code",
     "Local Authority District code (2019)|Local Authority District code (2013)|"
     "Local Authority District code (2024)|lad19cd|lad",
     CSA_STRING, REQ | NN | CSA_COL_AREA, 0, 0,
     "local authority district code, such as E06000042", NULL, CSA_ROLE_LA},
    {"LA name",
     "Local Authority District name (2019)|Local Authority District name (2013)|"
     "Local Authority District name (2024)|lad19nm",
     CSA_STRING, 0, 0, 0, "local authority district name", NULL, CSA_ROLE_LA_NAME},
    {"IMD rank",
     "Index of Multiple Deprivation (IMD) Rank|"
     "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)",
     CSA_INT64, RANGE, 1, 1e6, "rank of the LSOA, 1 = most deprived", NULL, CSA_ROLE_RANK},
    {"IMD decile",
     "Index of Multiple Deprivation (IMD) Decile|"
     "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)",
     CSA_INT64, REQ | NN | RANGE, 1, 10, "decile of the LSOA, 1 = most deprived 10%", NULL,
     CSA_ROLE_DECILE},
};

#define BAND(name)                                                                         \
    {name, NULL, CSA_INT64, RANGE, 0, 1e9, "residents in this band", NULL, CSA_ROLE_NONE}
static const csa_spec_column population[] = {
    {"area code",
     "lsoa|LSOA code|LSOA 2011 Code|LSOA 2021 Code|LSOA11CD|LSOA21CD|Area Codes|Area code",
     CSA_STRING, REQ | NN | UNIQ | CSA_COL_AREA, 0, 0,
     "code of the area (LSOA), such as E01016735", NULL, CSA_ROLE_AREA},
    {"area name", "LSOA name|LSOA Name|Area Names|name", CSA_STRING, 0, 0, 0, "name of the area",
     NULL, CSA_ROLE_AREA_NAME},
    {"LA code", "la|LAD code|LA Code (2018 boundaries)|LA Code (2021 boundaries)", CSA_STRING,
     CSA_COL_AREA, 0, 0, "local authority district code", NULL, CSA_ROLE_LA},
    {"population", "Total|All Ages|All ages|Total population", CSA_INT64, REQ | NN | RANGE, 0,
     1e9, "residents of all ages", NULL, CSA_ROLE_POPULATION},
    /* several years in one input: the LSOA and year pair is unique */
    {"year", "Year|mid_year|Mid-year|mid-year|Mid_year|Mid year", CSA_INT64,
     NN | RANGE | CSA_COL_SCOPE, 1900, 2200,
     "year of the mid-year estimate (2017: mid-2017), when the input has several years", NULL,
     CSA_ROLE_YEAR},
    BAND("F0 to 15"), BAND("F16 to 29"), BAND("F30 to 44"), BAND("F45 to 64"),
    BAND("F65 and over"), BAND("M0 to 15"), BAND("M16 to 29"), BAND("M30 to 44"),
    BAND("M45 to 64"), BAND("M65 and over"),
};

static const csa_spec_column area_lookup[] = {
    {"LSOA code", "LSOA11CD|LSOA21CD|lsoa|LSOA code (2011)", CSA_STRING,
     REQ | NN | UNIQ | CSA_COL_LSOA, 0, 0, "LSOA code", NULL, CSA_ROLE_LSOA},
    {"LSOA name", "LSOA11NM|LSOA21NM", CSA_STRING, 0, 0, 0, "LSOA name", NULL, CSA_ROLE_LSOA_NAME},
    {"ward code", "WD19CD|WD20CD|WD21CD|WD22CD|WD23CD|WD24CD|ward", CSA_STRING, CSA_COL_AREA, 0,
     0, "electoral ward code (E05...)", NULL, CSA_ROLE_WARD},
    {"ward name", "WD19NM|WD20NM|WD21NM|WD22NM|WD23NM|WD24NM", CSA_STRING, 0, 0, 0, "ward name",
     NULL, CSA_ROLE_WARD_NAME},
    {"LA code", "LAD19CD|LAD20CD|LAD21CD|LAD22CD|LAD23CD|LAD24CD|lad|la", CSA_STRING,
     REQ | NN | CSA_COL_AREA, 0, 0, "local authority district code (E06-E09)", NULL, CSA_ROLE_LA},
    {"LA name", "LAD19NM|LAD20NM|LAD21NM|LAD22NM|LAD23NM|LAD24NM", CSA_STRING, 0, 0, 0,
     "local authority district name", NULL, CSA_ROLE_LA_NAME},
    /* any other geography the LSOAs nest in (MSOA, neighbourhood): a
     * config's higher_area reads it when the lookup gives no wards */
    {"higher area code", "MSOA11CD|MSOA21CD|msoa", CSA_STRING, CSA_COL_AREA, 0, 0,
     "code of the higher area the LSOA is in, such as an MSOA (E02...)", NULL,
     CSA_ROLE_PARENT},
    {"higher area name", "MSOA11NM|MSOA21NM", CSA_STRING, 0, 0, 0,
     "name of the higher area the LSOA is in", NULL, CSA_ROLE_PARENT_NAME},
    {"CSP code", "CSP19CD|CSP20CD|CSP21CD|CSP22CD|CSP23CD|CSP24CD|csp", CSA_STRING,
     CSA_COL_AREA, 0, 0, "community safety partnership code (E22...)", NULL, CSA_ROLE_CSP},
    {"CSP name", "CSP19NM|CSP20NM|CSP21NM|CSP22NM|CSP23NM|CSP24NM", CSA_STRING, 0, 0, 0,
     "community safety partnership name", NULL, CSA_ROLE_CSP_NAME},
};

/* ONS LSOA (2011) to LSOA (2021) lookup: one row per pair; CHGIND says how
 * the 2011 LSOA changed (Unchanged, Split, Merged, compleX). Codes repeat
 * (a split parent, a merged child), so none is unique. */
static const char *const lsoa_changes[] = {"U", "S", "M", "X", NULL};
static const csa_spec_column lsoa_lookup[] = {
    {"LSOA11CD", "LSOA code (2011)|lsoa11", CSA_STRING, REQ | NN | CSA_COL_LSOA, 0, 0,
     "2011 LSOA code, such as E01016735", NULL, CSA_ROLE_LSOA},
    {"LSOA11NM", "LSOA name (2011)", CSA_STRING, 0, 0, 0, "2011 LSOA name", NULL,
     CSA_ROLE_LSOA_NAME},
    {"LSOA21CD", "LSOA code (2021)|lsoa21", CSA_STRING, REQ | NN | CSA_COL_AREA, 0, 0,
     "2021 LSOA code, such as E01034451", NULL, CSA_ROLE_AREA},
    {"LSOA21NM", "LSOA name (2021)", CSA_STRING, 0, 0, 0, "2021 LSOA name", NULL,
     CSA_ROLE_AREA_NAME},
    {"CHGIND", "change indicator", CSA_STRING, REQ | NN, 0, 0,
     "U unchanged, S split (one 2011 parent, several 2021 children), M merged (several "
     "parents, one child), X complex (several of both)", lsoa_changes, CSA_ROLE_CATEGORY},
    {"LAD22CD", "LAD21CD|LAD23CD|LAD24CD", CSA_STRING, CSA_COL_AREA, 0, 0,
     "local authority district code of the 2021 LSOA", NULL, CSA_ROLE_LA},
    {"LAD22NM", "LAD21NM|LAD23NM|LAD24NM", CSA_STRING, 0, 0, 0,
     "local authority district name", NULL, CSA_ROLE_LA_NAME},
    {"LAD22NMW", "LAD21NMW|LAD23NMW|LAD24NMW", CSA_STRING, 0, 0, 0,
     "local authority district name in Welsh", NULL, CSA_ROLE_NONE},
    {"ObjectId", "FID", CSA_INT64, 0, 0, 0, "row number of the ONS download", NULL,
     CSA_ROLE_NONE},
};

static const csa_spec_column indicator[] = {
    {"area code", "area|Area Code|lsoa|LSOA code|ward code|LA code", CSA_STRING,
     REQ | NN | CSA_COL_AREA, 0, 0, "ONS code of the area: LSOA, ward or authority", NULL,
     CSA_ROLE_AREA},
    {"period", "month|date|Time period|year", CSA_DATE, REQ | NN | CSA_COL_PERIOD, 0, 0,
     "month or date the count belongs to: 2018-06, 2018-06-30 or 30/06/2018", NULL,
     CSA_ROLE_PERIOD},
    {"measure", "indicator|Indicator Name|metric", CSA_STRING, REQ | NN, 0, 0,
     "what is counted, such as \"deliberate fires\"", NULL, CSA_ROLE_CATEGORY},
    {"count", "Count|value|events|number", CSA_INT64, REQ | RANGE | CSA_COL_COUNT, 0, 1e12,
     "number of events; * .. or c where suppressed", NULL, CSA_ROLE_COUNT},
    {"denominator", "Denominator|population", CSA_INT64, RANGE, 0, 1e12,
     "population or other denominator, when there is one", NULL, CSA_ROLE_DENOMINATOR},
};

/* Incident records partners share under the Crime and Disorder
 * (Prescribed Information) Regulations 2007 and the A&E violence
 * information sharing standard (ISTV): one row an incident. */
static const csa_spec_column partner_incidents[] = {
    {"incident id", "id|Incident ID|reference|ref|attendance id", CSA_STRING, REQ | NN | UNIQ, 0,
     0, "the partner's reference of the incident, once each", NULL, CSA_ROLE_ID},
    {"date", "Date|incident date|attendance date", CSA_DATE,
     REQ | NN | CSA_COL_PERIOD | CSA_COL_DAY, 0, 0,
     "day of the incident: 2018-06-30 or 30/06/2018", NULL, CSA_ROLE_PERIOD},
    {"time", "Time|incident time|arrival time", CSA_STRING, CSA_COL_TIME, 0, 0,
     "time of day, HH:MM on the 24-hour clock (00:00 to 23:59); blank when unknown", NULL,
     CSA_ROLE_TIME},
    {"LSOA code", "lsoa|LSOA|LSOA11CD", CSA_STRING, CSA_COL_LSOA, 0, 0,
     "2011 LSOA code of the location; blank when unknown (csa run then places the row by "
     "its longitude and latitude, or easting and northing, given the area's LSOA "
     "boundaries)", NULL, CSA_ROLE_LSOA},
    {"longitude", "Longitude|lon|x", CSA_DOUBLE, RANGE, -180, 180,
     "longitude (WGS84); blank when unknown", NULL, CSA_ROLE_LONGITUDE},
    {"latitude", "Latitude|lat|y", CSA_DOUBLE, RANGE, -90, 90,
     "latitude (WGS84); blank when unknown", NULL, CSA_ROLE_LATITUDE},
    {"easting", "Easting|X coordinate|grid easting", CSA_DOUBLE, RANGE, 0, 700000,
     "British National Grid easting in metres (EPSG:27700), for a row without longitude and "
     "latitude; blank when unknown", NULL, CSA_ROLE_EASTING},
    {"northing", "Northing|Y coordinate|grid northing", CSA_DOUBLE, RANGE, 0, 1300000,
     "British National Grid northing in metres (EPSG:27700); blank when unknown", NULL,
     CSA_ROLE_NORTHING},
    {"category", "Category|type|incident type", CSA_STRING, REQ | NN, 0, 0,
     "what happened, such as \"assault\" or \"rowdy or inconsiderate behaviour\"", NULL,
     CSA_ROLE_CATEGORY},
    {"venue", "Venue|location type|place", CSA_STRING, 0, 0, 0,
     "where: street, pub or club, home, ... (ISTV's location of the assault)", NULL,
     CSA_ROLE_VENUE},
    {"weapon", "Weapon|weapon used", CSA_STRING, 0, 0, 0,
     "weapon or means of assault (ISTV), when recorded", NULL, CSA_ROLE_NONE},
};

static const csa_spec_column fingertips[] = {
    {"Indicator ID", NULL, CSA_INT64, REQ | NN | RANGE, 1, 1e9, "Fingertips indicator number", NULL,
     CSA_ROLE_INDICATOR},
    {"Indicator Name", NULL, CSA_STRING, REQ, 0, 0, "indicator title", NULL,
     CSA_ROLE_INDICATOR_NAME},
    {"Parent Code", NULL, CSA_STRING, 0, 0, 0, "code of the parent area", NULL, CSA_ROLE_PARENT},
    {"Parent Name", NULL, CSA_STRING, 0, 0, 0, "name of the parent area", NULL,
     CSA_ROLE_PARENT_NAME},
    {"Area Code", NULL, CSA_STRING, REQ | NN, 0, 0, "area code (ONS code, or E92000001 England)",
     NULL, CSA_ROLE_AREA},
    {"Area Name", NULL, CSA_STRING, 0, 0, 0, "area name", NULL, CSA_ROLE_AREA_NAME},
    {"Area Type", NULL, CSA_STRING, 0, 0, 0, "area type, such as \"Districts & UAs\"", NULL,
     CSA_ROLE_AREA_TYPE},
    {"Sex", NULL, CSA_STRING, 0, 0, 0, "Persons, Male or Female", NULL, CSA_ROLE_SEX},
    {"Age", NULL, CSA_STRING, 0, 0, 0, "age band, such as \"All ages\"", NULL, CSA_ROLE_AGE},
    {"Category Type", NULL, CSA_STRING, 0, 0, 0, "breakdown type, blank when none", NULL,
     CSA_ROLE_CATEGORY_TYPE},
    {"Category", NULL, CSA_STRING, 0, 0, 0, "breakdown category, blank when none", NULL,
     CSA_ROLE_CATEGORY},
    {"Time period", NULL, CSA_STRING, REQ | NN, 0, 0, "period, such as 2019/20", NULL,
     CSA_ROLE_PERIOD},
    {"Value", NULL, CSA_DOUBLE, REQ, 0, 0, "the indicator value", NULL, CSA_ROLE_VALUE},
    {"Lower CI 95.0 limit", NULL, CSA_DOUBLE, 0, 0, 0, "lower 95% confidence limit", NULL,
     CSA_ROLE_LOWER_95},
    {"Upper CI 95.0 limit", NULL, CSA_DOUBLE, 0, 0, 0, "upper 95% confidence limit", NULL,
     CSA_ROLE_UPPER_95},
    {"Lower CI 99.8 limit", NULL, CSA_DOUBLE, 0, 0, 0, "lower 99.8% confidence limit", NULL,
     CSA_ROLE_LOWER_998},
    {"Upper CI 99.8 limit", NULL, CSA_DOUBLE, 0, 0, 0, "upper 99.8% confidence limit", NULL,
     CSA_ROLE_UPPER_998},
    {"Count", NULL, CSA_DOUBLE, RANGE | CSA_COL_COUNT, 0, 1e15, "number of events", NULL,
     CSA_ROLE_COUNT},
    {"Denominator", NULL, CSA_DOUBLE, RANGE, 0, 1e15, "denominator", NULL, CSA_ROLE_DENOMINATOR},
    {"Value note", NULL, CSA_STRING, 0, 0, 0, "note on the value, such as suppression", NULL,
     CSA_ROLE_VALUE_NOTE},
    {"Recent Trend", NULL, CSA_STRING, 0, 0, 0, "Fingertips' recent trend text", NULL,
     CSA_ROLE_NONE},
    {"Compared to England value or percentiles", NULL, CSA_STRING, 0, 0, 0,
     "benchmark against England", NULL, CSA_ROLE_NONE},
    {"Compared to region value or percentiles",
     "Compared to Region value or percentiles|Compared to ICB value or percentiles|"
     "Compared to Integrated Care Board value or percentiles|"
     "Compared to goal value or percentiles",
     CSA_STRING, 0, 0, 0, "benchmark against the parent area", NULL, CSA_ROLE_NONE},
    {"Time period Sortable", NULL, CSA_INT64, 0, 0, 0, "period as a sortable number", NULL,
     CSA_ROLE_PERIOD_ORDER},
    {"New data", NULL, CSA_STRING, 0, 0, 0, "whether the data are new", NULL, CSA_ROLE_NONE},
    {"Compared to goal", NULL, CSA_STRING, 0, 0, 0, "benchmark against a goal", NULL,
     CSA_ROLE_NONE},
    {"Time period range", NULL, CSA_STRING, 0, 0, 0, "length of the period, such as 1y", NULL,
     CSA_ROLE_NONE},
};

static const csa_spec_column road_collisions[] = {
    {"collision index", "Accident_Index|accident_index|collision_index", CSA_STRING,
     REQ | NN | CSA_COL_ID, 0, 0, "DfT reference of the collision", NULL, CSA_ROLE_ID},
    {"date", "Date", CSA_DATE, REQ | NN | CSA_COL_PERIOD, 0, 0, "date, as 30/06/2018", NULL,
     CSA_ROLE_DATE},
    {"severity", "Accident_Severity|accident_severity|collision_severity", CSA_INT64,
     REQ | NN | RANGE, 1, 3, "1 fatal, 2 serious, 3 slight", NULL, CSA_ROLE_SEVERITY},
    {"casualties", "Number_of_Casualties|number_of_casualties", CSA_INT64, REQ | NN | RANGE, 1,
     1000, "number of casualties", NULL, CSA_ROLE_CASUALTIES},
    {"LSOA code",
     "LSOA_of_Accident_Location|lsoa_of_accident_location|lsoa_of_collision_location",
     CSA_STRING, REQ | CSA_COL_LSOA, 0, 0, "LSOA of the collision; -1 or blank when unknown",
     NULL, CSA_ROLE_LSOA},
};

static const char *const sexes[] = {"Female", "Male", "Other", "Prefer not to say", NULL};
static const csa_spec_column survey[] = {
    {"respondent id", "respondent|id|Respondent ID|ResponseID", CSA_STRING,
     REQ | NN | UNIQ, 0, 0, "one identifier per respondent", NULL, CSA_ROLE_ID},
    {"area code", "area|ward code|Area Code", CSA_STRING, REQ | CSA_COL_AREA, 0, 0,
     "area of the respondent (ward or LSOA code)", NULL, CSA_ROLE_AREA},
    {"weight", "Weight|wt", CSA_DOUBLE, REQ | NN | RANGE, 0, 1e6,
     "survey weight (1 when unweighted)", NULL, CSA_ROLE_WEIGHT},
    {"age band", "age|Age band|age_band", CSA_STRING, 0, 0, 0, "age band, such as 25-34", NULL,
     CSA_ROLE_AGE},
    {"sex", "Sex|gender", CSA_STRING, CSA_COL_CODES_WARN, 0, 0, "Female, Male, Other", sexes,
     CSA_ROLE_SEX},
};

/* Area shapes: the columns are the properties a boundary file's features
 * carry (read with GDAL, not as CSV: ingest/boundaries.c). */
static const csa_spec_column boundaries[] = {
    {"LSOA code", "LSOA11CD|LSOA21CD|LSOA01CD|lsoa_code|code", CSA_STRING, REQ | NN | CSA_COL_LSOA,
     0, 0, "the shape's LSOA code (property LSOA11CD, LSOA21CD, ... in any case)", NULL,
     CSA_ROLE_LSOA},
    {"LSOA name", "LSOA11NM|LSOA21NM|LSOA01NM|lsoa_name|name", CSA_STRING, 0, 0, 0,
     "the LSOA's name, such as Milton Keynes 021A", NULL, CSA_ROLE_LSOA_NAME},
};

#define SPEC(id, title, cols, example) {id, title, cols, sizeof cols / sizeof cols[0], example, false}
static const csa_spec specs[] = {
    SPEC("police-street", "police.uk street-level crime", police_street,
         "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
         "LSOA name,Crime type,Last outcome category,Context\n"
         "adf4c682...,2018-10,Thames Valley Police,Thames Valley Police,-0.981045,51.997317,"
         "On or near Portfield Way,E01017648,Aylesbury Vale 001A,Burglary,"
         "Investigation complete; no suspect identified,\n"
         ",2018-10,Thames Valley Police,Thames Valley Police,-0.972323,51.991460,"
         "On or near Osprey Walk,E01017648,Aylesbury Vale 001A,Anti-social behaviour,,\n"),
    SPEC("police-outcomes", "police.uk outcomes", police_outcomes,
         "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
         "LSOA name,Outcome type\n"
         "adf4c682...,2018-10,Thames Valley Police,Thames Valley Police,-0.981045,51.997317,"
         "On or near Portfield Way,E01017648,Aylesbury Vale 001A,"
         "Investigation complete; no suspect identified\n"
         "9b1e07f4...,2018-11,Thames Valley Police,Thames Valley Police,-0.762513,52.041245,"
         "On or near Silbury Boulevard,E01016735,Milton Keynes 021A,Unable to prosecute suspect\n"),
    SPEC("population", "population estimates by LSOA", population,
         "la,lsoa,Total\nE06000042,E01016735,1893\nE06000042,E01016736,1571\n"),
    SPEC("imd", "English Indices of Deprivation, LSOA file", imd,
         "LSOA code (2011),LSOA name (2011),Local Authority District code (2019),"
         "Local Authority District name (2019),Index of Multiple Deprivation (IMD) Rank,"
         "Index of Multiple Deprivation (IMD) Decile\n"
         "E01016735,Milton Keynes 021A,E06000042,Milton Keynes,\"18,204\",6\n"
         "E01016736,Milton Keynes 022A,E06000042,Milton Keynes,\"24,981\",8\n"),
    SPEC("area-lookup", "LSOA to ward (or MSOA), authority and CSP lookup", area_lookup,
         "LSOA11CD,LSOA11NM,WD19CD,WD19NM,LAD19CD,LAD19NM,CSP19CD,CSP19NM\n"
         "E01016735,Milton Keynes 021A,E05009407,Central Milton Keynes,E06000042,Milton Keynes,"
         "E22000110,Milton Keynes\n"
         "E01016736,Milton Keynes 022A,E05009408,Danesborough and Walton,E06000042,"
         "Milton Keynes,E22000110,Milton Keynes\n"),
    SPEC("lsoa-lookup", "ONS LSOA (2011) to LSOA (2021) lookup", lsoa_lookup,
         "LSOA11CD,LSOA21CD,CHGIND\r\nE01016710,E01016710,U\r\nE01016735,E01034451,S\r\n"
         "E01016735,E01034452,S\r\n"),
    SPEC("boundaries", "LSOA boundaries (GeoJSON, GeoPackage or Shapefile, read with GDAL)",
         boundaries,
         "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\",\n"
         " \"properties\": {\"LSOA11CD\": \"E01016710\", \"LSOA11NM\": \"Milton Keynes 030A\"},\n"
         " \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[-0.7153, 51.9974], ...]]}}]}\n"),
    SPEC("indicator", "a partner's counts by area and period", indicator,
         "area code,period,measure,count,denominator\n"
         "E05009407,2018-10,deliberate fires,3,\n"
         "E05009408,2018-10,deliberate fires,*,\n"),
    SPEC("partner-incidents", "a partner's incident records", partner_incidents,
         "incident id,date,time,LSOA code,longitude,latitude,category,venue,weapon\n"
         "ED-2018-00017,2018-10-06,23:40,E01016735,,,assault,pub or club,fist\n"
         "ED-2018-00018,2018-10-07,01:15,E01016736,,,assault,street,\n"),
    SPEC("fingertips", "OHID Fingertips \"all data\" export", fingertips,
         "Indicator ID,Indicator Name,Parent Code,Parent Name,Area Code,Area Name,Area Type,"
         "Sex,Age,Category Type,Category,Time period,Value,Lower CI 95.0 limit,"
         "Upper CI 95.0 limit,Lower CI 99.8 limit,Upper CI 99.8 limit,Count,Denominator,"
         "Value note,Recent Trend,Compared to England value or percentiles,"
         "Compared to region value or percentiles,Time period Sortable,New data,"
         "Compared to goal,Time period range\n"
         "11201,Violent crime - hospital admissions for violence,E12000008,South East region,"
         "E06000042,Milton Keynes,UA,Persons,All ages,,,2017/18 - 19/20,40.1,35.6,45.0,33.5,"
         "47.6,311,258000,,,Better,Similar,20170000,,,3y\n"
         "11201,Violent crime - hospital admissions for violence,,,E92000001,England,England,"
         "Persons,All ages,,,2017/18 - 19/20,44.9,44.6,45.2,44.4,45.4,75000,167000000,,,,,"
         "20170000,,,3y\n"),
    SPEC("road-collisions", "DfT STATS19 road collisions", road_collisions,
         "accident_index,date,accident_severity,number_of_casualties,"
         "lsoa_of_accident_location\n"
         "2018430000001,06/10/2018,3,1,E01016735\n2018430000002,07/10/2018,2,2,E01016736\n"),
    {"survey", "community safety survey, one row per respondent", survey,
     sizeof survey / sizeof survey[0],
     "respondent id,area code,weight,age band,sex,feel_safe_day,feel_safe_night\n"
     "R0001,E05009407,1.12,25-34,Female,Yes,No\nR0002,E05009408,0.87,65+,Male,Yes,Yes\n",
     true},
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

size_t csa_spec_role(const csa_spec *spec, csa_role role)
{
    for (size_t i = 0; role != CSA_ROLE_NONE && i < spec->ncolumns; i++)
        if (spec->columns[i].role == role)
            return i;
    return CSA_NO_ROW;
}

const char *csa_role_name(csa_role role)
{
    static const char *const names[CSA_NROLES] = {
        [CSA_ROLE_NONE] = "", [CSA_ROLE_ID] = "identifier", [CSA_ROLE_PERIOD] = "period",
        [CSA_ROLE_DATE] = "date", [CSA_ROLE_LSOA] = "LSOA code",
        [CSA_ROLE_LSOA_NAME] = "LSOA name", [CSA_ROLE_AREA] = "area code",
        [CSA_ROLE_AREA_NAME] = "area name", [CSA_ROLE_AREA_TYPE] = "area type",
        [CSA_ROLE_PARENT] = "parent area code", [CSA_ROLE_PARENT_NAME] = "parent area name",
        [CSA_ROLE_WARD] = "ward code", [CSA_ROLE_WARD_NAME] = "ward name",
        [CSA_ROLE_LA] = "local authority code", [CSA_ROLE_LA_NAME] = "local authority name",
        [CSA_ROLE_CSP] = "CSP code", [CSA_ROLE_CSP_NAME] = "CSP name",
        [CSA_ROLE_LONGITUDE] = "longitude", [CSA_ROLE_LATITUDE] = "latitude",
        [CSA_ROLE_CATEGORY] = "category", [CSA_ROLE_CATEGORY_TYPE] = "category type",
        [CSA_ROLE_OUTCOME] = "outcome", [CSA_ROLE_INDICATOR] = "indicator number",
        [CSA_ROLE_INDICATOR_NAME] = "indicator name", [CSA_ROLE_COUNT] = "count",
        [CSA_ROLE_DENOMINATOR] = "denominator", [CSA_ROLE_VALUE] = "value",
        [CSA_ROLE_VALUE_NOTE] = "value note", [CSA_ROLE_LOWER_95] = "lower 95% limit",
        [CSA_ROLE_UPPER_95] = "upper 95% limit", [CSA_ROLE_LOWER_998] = "lower 99.8% limit",
        [CSA_ROLE_UPPER_998] = "upper 99.8% limit", [CSA_ROLE_PERIOD_ORDER] = "period order",
        [CSA_ROLE_POPULATION] = "population", [CSA_ROLE_RANK] = "deprivation rank",
        [CSA_ROLE_DECILE] = "deprivation decile", [CSA_ROLE_SEVERITY] = "severity",
        [CSA_ROLE_CASUALTIES] = "casualties", [CSA_ROLE_WEIGHT] = "weight",
        [CSA_ROLE_SEX] = "sex", [CSA_ROLE_AGE] = "age band", [CSA_ROLE_FORCE] = "police force",
        [CSA_ROLE_YEAR] = "year", [CSA_ROLE_TIME] = "time", [CSA_ROLE_VENUE] = "venue",
        [CSA_ROLE_EASTING] = "easting", [CSA_ROLE_NORTHING] = "northing",
        [CSA_ROLE_LOCATION] = "location",
    };
    return (unsigned)role < CSA_NROLES && names[role] ? names[role] : "";
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
