/* What the files of assess/ share and nothing outside it sees: the state
 * of one assessment run and the helpers every stage uses. Private
 * functions are prefixed as_. */
#ifndef CSA_ASSESS_INTERNAL_H
#define CSA_ASSESS_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#include "csa/assess.h"
#include "csa/chart.h"
#include "csa/geo.h"
#include "csa/inequality.h"
#include "csa/report.h"
#include "csa/survey.h"
#include "csa/trend.h"

#include "kind.h"

enum { AS_MAX_MONTHS = 240 };

extern const csa_levels as_level95;

/* What became of one config input. */
typedef struct as_input {
    csa_validation **checked; /* one per file */
    csa_validation *coverage; /* police-street: months across the files */
    uint64_t *bytes;
    const char **sha256;
    time_t *modified;
    uint64_t rows_read, accepted, rejected; /* accepted: read and used */
    /* accepted rows left out, as csa_row_accounting names them */
    uint64_t no_location, no_population, outside_area, outside_period;
    size_t errors, warnings;
    bool excluded;
    const char *covers, *missing;
    csa_table *table;         /* what its kind (or the area model) read of it */
    bool *in_area;            /* survey: each respondent's ward is in the area (lookup) */
    bool *tl_present;         /* monthly inputs: the months of the timeline it has rows for */
    bool *month_present;      /* ... those of the period (into tl_present) */
    const char *compare_missing; /* the comparison period's months without rows ("none"),
                                    or NULL when there is no comparison */
    const char *coverage_note; /* areas it covers only in part (coverage.c), or NULL */
    /* A monthly input is ingested as it is validated, each file read once
     * (as_ingest_roles): planning while its kind names the columns it
     * keeps; read_status and read_err what ingest gave, told when read. */
    bool planning, read_once;
    csa_ingest_options *read_opt;
    csa_status read_status;
    csa_error read_err;
    struct as_tally *tally;   /* monthly inputs: its rows counted once (as_account_months) */
    struct as_thin *thin;     /* police crime: its rows outside the area dropped as read */
    struct as_points *points; /* police crime with maps: the period's points in the area */
    /* partner incidents with coordinates and a boundaries input: the LSOA
     * (r->lsoas) of each row without an LSOA code found by its point
     * (as_locate_incidents), AS_POINT_OUTSIDE outside every shape,
     * SIZE_MAX for a row with a code or without coordinates; or NULL */
    size_t *located;
    uint64_t by_point, point_outside; /* rows placed so, and found outside */
} as_input;

#define AS_POINT_OUTSIDE (SIZE_MAX - 1)

/* The map points of a police input's rows of the period in the area's
 * LSOAs (as_keep_point), longitude and latitude until as_place_points
 * projects them to British National Grid and finds which lie inside the
 * area's shapes. */
/* The columns of a row's map point: longitude and latitude (WGS84), or
 * easting and northing (British National Grid); CSA_NO_ROW where absent. */
typedef struct as_point_cols {
    size_t lon, lat, east, north;
} as_point_cols;

as_point_cols as_point_columns(const csa_table *t, const csa_spec *spec);
/* Row's map point: 1 with a longitude and latitude, 2 with (only) an
 * easting and northing, 0 with neither; *x, *y as given. */
int as_row_point(const csa_table *t, const as_point_cols *c, size_t row, double *x, double *y);

typedef struct as_points {
    size_t n, cap;
    double *x, *y;
    uint32_t *type;     /* code of the crime type column */
    bool *grid;         /* given as easting and northing: not projected */
    bool *inside;       /* the point is inside the area's outline */
    uint32_t *lsoa;     /* the LSOA (r->lsoas) the row is counted in, until placed */
    uint64_t no_point;  /* rows of the period in the area without coordinates */
    as_point_cols cols;
    bool placed;
} as_points;

/* An LSOA of the area. */
typedef struct as_lsoa {
    const char *code;
    const char *name;  /* the deprivation input's name of it, or NULL */
    size_t higher;     /* its higher area (r->higher), or SIZE_MAX: none known */
    int decile;        /* 1 to 10 */
    double population; /* NaN: no population row, or 0 residents */
    double population_before; /* the comparison period's year's (as_find_area):
                                 population when the input has one year */
} as_lsoa;

/* The terms of the row accounting (csa_row_accounting). */
typedef enum as_term {
    AS_USED, AS_NO_LOCATION, AS_NO_POPULATION, AS_OUTSIDE_AREA, AS_OUTSIDE_PERIOD, AS_NTERMS
} as_term;

/* Where one LSOA code's rows go: itself, or one of the 2011 parents of a
 * 2021 LSOA, with its share of the code's rows. */
typedef struct as_share {
    as_term term;    /* AS_USED: a populated LSOA of the list; AS_NO_POPULATION,
                        AS_OUTSIDE_AREA */
    size_t lsoa;     /* index into the list, SIZE_MAX outside it */
    double share;
    uint64_t given;  /* rows dealt to it so far */
} as_share;

/* Where every code of an input's LSOA column goes against one list of
 * LSOAs (the area's, or the comparator's), and the rows dealt so far. */
typedef struct as_lsoa_map {
    size_t *start;   /* per code and one more: its parts are
                        parts[start[k]] to parts[start[k + 1] - 1] */
    uint64_t *dealt; /* per code: rows dealt among its parts */
    as_share *parts;
} as_lsoa_map;

/* A monthly input's rows counted in one pass for every indicator on it,
 * as as_place_row places them against the area's and the comparator's
 * LSOAs: by type (code of the category column), timeline month (tl_n:
 * outside the timeline) and term. Rows of a code dealt among several
 * parents (split) are left out, except outside the timeline or without a
 * location: each reader places them in row order with as_place_row. */
typedef struct as_tally {
    size_t ntypes;
    uint64_t *month;    /* [(type * (tl_n + 1) + m) * AS_NTERMS + term] */
    uint64_t *lsoa;     /* [type * nlsoas + l]: the period's rows in the area's LSOA l */
    uint64_t *cmp_used; /* [type]: the period's rows in a populated LSOA of the comparator */
    uint64_t *period;   /* [type]: the period's rows, split codes' too, placed or not */
    bool *no_pop;       /* [l]: rows of the timeline in l, an LSOA with no population */
    bool *split;        /* [LSOA code]: several parts in the area's or the comparator's map */
    bool any_split;
    bool *present;      /* [m]: the timeline's months with rows, split codes' too */
    int32_t first, last; /* the earliest and latest month of any row */
} as_tally;

/* What the priorities read of an indicator beyond its report. */
typedef struct as_extra {
    int direction;  /* +1 getting worse, -1 better, 0 no change; 2 unknown */
    int rising;     /* +1 rising, -1 falling, 0 no change; 2 unknown */
    const char *direction_text;
    double deprivation_ratio; /* fitted most deprived / least deprived, or NaN */
    int ratio_significant; /* the change's rate ratio: +1 a significant rise, -1 a
                              significant fall, 0 neither, 2 no ratio (or not a count) */
    bool ratio_exact;      /* its interval by the exact conditional method */
} as_extra;

typedef struct as_ahead {
    bool tried, ok;
    char **area, **other; /* kept with the run */
    size_t narea, nother;
    csa_table *keep;      /* one string column: its dictionary is the set */
} as_ahead;

struct csa_assess {
    const csa_config *cfg;
    csa_assess_options opt;
    const char *out_dir;
    void **keep;
    size_t nkeep;
    csa_table **tables;
    size_t ntables;
    bool nomem;
    as_input *in;
    csa_table *imd, *pop;
    as_lsoa *lsoas;
    size_t nlsoas;
    as_lsoa *cmp_lsoas; /* the comparator's, when it is a set of LAs */
    size_t ncmp_lsoas;
    /* the LSOA (2011) to (2021) lookup, when the config gives one: its rows
     * of each LSOA21CD (code of its dictionary) are v_row[v_start[k]] to
     * v_row[v_start[k + 1] - 1], each with the share of the 2021 LSOA its
     * 2011 parent takes */
    const csa_table *vintages;
    size_t *v_start, *v_row;
    double *v_share;
    size_t v_shared, v_shared_equally; /* 2021 LSOAs with residents and several parents */
    double *imd_pop;    /* residents of each LSOA code (IMD dictionary), NaN: none */
    double *imd_pop_before; /* ... in the comparison period's year (imd_pop for the same) */
    /* the population input's years (mid-year estimates), sorted; none
     * (npop_years 0, the years 0) when it has no year column. pop_year is
     * the one the period's rates use, cmp_year the comparison period's;
     * the _want years are those of their middle months (area.c) */
    int *pop_years;
    size_t npop_years;
    int pop_year, pop_year_want, cmp_year, cmp_year_want;
    size_t nmonths;                /* the period's months */
    int32_t month_start[AS_MAX_MONTHS];
    const char *month_label[AS_MAX_MONTHS];
    /* the timeline: every month from the earliest a monthly input holds (or
     * the comparison period's first) to the period's last, at most
     * AS_MAX_MONTHS; the period is its months tl_period .. tl_period +
     * nmonths - 1 and the comparison tl_compare .. tl_compare + ncompare - 1
     * (ncompare 0: compare_with = none). Rows of months before it or after
     * the period are outside the period. */
    int32_t tl_first;
    size_t tl_n, tl_period, tl_compare, ncompare;
    const char *tl_label[AS_MAX_MONTHS];
    /* the higher areas (wards, MSOAs) of [assessment] higher_area that
     * the area's LSOAs are in: a name each, a code or NULL (known by name) */
    const char **higher_name, **higher_code;
    size_t nhigher;
    const char *higher_label; /* "Ward", "MSOA": a column's heading */
    const char *higher_word;  /* "ward", "MSOA": in a sentence */
    size_t higher_unplaced;   /* LSOAs of the area the lookup does not place */
    /* the higher areas the lookup also gives LSOAs outside the area, said
     * where their figures are ("Ward X (6 LSOAs outside the area)"), or
     * NULL: none */
    const char *higher_beyond;
    csa_indicator_report *reports;
    as_extra *extra;
    size_t *suppressed; /* per indicator: counts of its tables and charts suppressed
                           (personal data, kind_partner.c); NULL until one is */
    csa_table *findings_rows;
    csa_digests *digests;
    /* digest reuse (csa/register.h): the register when there is one, and
     * each input file's identity when its digest was looked up there */
    struct csa_register *reg;
    struct stat *file_stat;   /* every file of every input, in manifest order */
    bool *digest_known;       /* its digest came from the register */
    size_t digests_reused;
    csa_manifest_input *manifest; /* every file of every input */
    csa_assessment result;
    /* the boundaries input's shapes of the area's LSOAs, in r->lsoas
     * order (as_read_boundaries), or NULL: no maps */
    const csa_shapes *shapes;
    /* a caveat on the shapes from the police crimes' map points (fewer in
     * their own LSOA's shape than real data has), for every indicator
     * whose maps they draw; NULL: none */
    const char *shapes_caveat;
    /* why no maps are drawn though the shapes were read (they and the
     * police crimes' map points do not agree: as_check_shapes), or NULL */
    const char *maps_off;
    /* why no hotspot maps are drawn (the police crimes' map points are not
     * in their own LSOAs' shapes), or NULL */
    const char *hotspots_off;
    bool deprivation_mapped; /* the IMD decile map is on an indicator's page */
    /* the shapes dissolved into the higher areas (r->higher_name order),
     * made on first use by as_higher_map, or NULL */
    const csa_shapes *higher_shapes;
    /* tables written as CSV files only, not to the workbook (a map's grid) */
    const char **csv_only_file;
    const csa_table **csv_only;
    size_t ncsv_only;
    double stage_t0;
    /* GDAL's module loading beside validation, when there are maps, and
     * the boundaries read there for the LSOAs the area will have */
    pthread_t geo_loader;
    bool geo_loading;
    struct as_early_shapes *early;
    as_ahead ahead;
    /* the higher areas' outlines dissolving beside the indicators (maps.c) */
    struct as_dissolve *dissolve;
    csa_error err;
};

/* ---- memory kept until the run is freed (memory.c) ---- */

/* Keeps p (freed with the run); NULL and r->nomem set when p is NULL or
 * cannot be kept. */
void *as_keep(csa_assess *r, void *p);
void *as_calloc(csa_assess *r, size_t n, size_t size);
const char *as_fmt(csa_assess *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A column of a result table: strings (NULL entries missing) or doubles
 * (NaN missing), stored as whole numbers when whole is set. */
typedef struct as_col {
    const char *name;
    const char *const *s;
    const double *d;
    bool whole;
} as_col;

#define AS_TEXT(name, s) {name, s, NULL, false}
#define AS_NUM(name, d) {name, NULL, d, false}
#define AS_WHOLE(name, d) {name, NULL, d, true}

/* A frozen table of nrows from cols, kept with the run; NULL (and
 * r->nomem) when out of memory. */
const csa_table *as_table(csa_assess *r, size_t nrows, const as_col *cols, size_t ncols);
/* A numeric cell as a double (NaN when missing or col is CSA_NO_ROW). */
double as_cell(const csa_table *t, size_t col, size_t row);
/* The column of t that holds spec's column of role `role` (CSA_NO_ROW
 * when the spec or the table has none): code finds columns by role. */
size_t as_role(const csa_table *t, const csa_spec *spec, csa_role role);
/* A text cell (NULL when missing or col is CSA_NO_ROW). */
const char *as_text(const csa_table *t, size_t col, size_t row);

/* ---- progress (assess.c) ---- */

void as_stage(csa_assess *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A stage that ran beside the others (on a thread of its own): its own
 * seconds; the next stage's are still counted from the last as_stage. */
void as_stage_took(csa_assess *r, double seconds, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
double as_now(void);
void as_progress(const csa_assess *r, const char *what, size_t done, size_t total);
void as_message(const csa_assess *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- months of the period (months.c) ---- */

csa_status as_plan_months(csa_assess *r);
/* The timeline, once the inputs are read: back to the earliest month a
 * monthly input holds, and to the comparison period. */
csa_status as_plan_timeline(csa_assess *r);
/* Index of the month starting on day d, or SIZE_MAX outside the period. */
size_t as_month_index(const csa_assess *r, int32_t d);
/* The comparison period, "Oct 2017 to Dec 2017" (with r->ncompare). */
const char *as_compare_span(csa_assess *r);
/* Index in the timeline of the month starting on day d, or SIZE_MAX. */
size_t as_timeline_index(const csa_assess *r, int32_t d);
/* "Jan 2018 to Sep 2018, Nov 2018": runs of months with no rows, or "none". */
const char *as_missing_months(csa_assess *r, const bool *present);
/* The runs of months of first..first+nmonths-1 not present, as above,
 * into buf ("" when none; a list too long for buf ends "and N more
 * months"); returns how many months are not present. size >= 160. */
/* How csa run validates nfiles files of input i (csa submit the same). */
csa_validate_options as_validate_options(const csa_config *c, size_t i, size_t nfiles);
size_t as_month_runs(int32_t first, size_t nmonths, const bool *present, char *buf,
                     size_t size);
/* The mid-year estimate a period of n months from `first` uses: that of
 * the year its middle month falls in ((n - 1) / 2 months on: June for a
 * calendar year, September for April to March), into *want; the year
 * returned is the nearest of years[0..nyears) (sorted, nyears > 0) to it,
 * the earlier of two as near. */
int as_population_year(const int *years, size_t nyears, int32_t first, size_t n, int *want);

/* ---- inputs: validation, reading, row accounting (inputs.c) ---- */

csa_status as_start_digests(csa_assess *r);
csa_status as_validate_inputs(csa_assess *r);
csa_status as_read_inputs(csa_assess *r);
/* Reads the columns of roles[0..n) of every file of input i into one
 * table. */
/* Reads input i's files into r->in[i].table, the spec's columns of these
 * roles. A monthly input's kind calls it twice: during validation, to name
 * the columns (r->in[i].planning; the files are then ingested as they are
 * validated), and when reading, to take the table. */
csa_status as_ingest_roles(csa_assess *r, size_t i, const csa_role *roles, size_t n);
/* Where the rows of a monthly input went, and the months it covers. */
void as_account_months(csa_assess *r, size_t i);

/* ---- the area's LSOAs known before the inputs are read (ahead.c) ---- */

/* Two columns (of roles a and b) of reference input i, read ahead of the
 * inputs' validation (a peek: NULL when the file cannot be read so, which
 * validation will report). The caller frees it. */
csa_table *as_peek_reference(const csa_config *c, size_t i, csa_role a, csa_role b);
/* The codes of dictionary `now` (a lookup's 2021 LSOAs) that `imd` lacks,
 * in its order, into out (room for all of now's); returns how many. */
size_t as_other_vintage(const csa_dict *now, const csa_dict *imd, const char **out);
/* What the deprivation input and the LSOA lookup say of the area before
 * they are read: its LSOAs in the deprivation input's order (as
 * as_find_area selects them), the lookup's codes of another vintage, and
 * the codes whose police rows are kept (the area's, the comparator LAs',
 * the listed ones and the lookup's 2021 codes of any of them). Worked out
 * once, on the main thread; NULL when those files cannot be read so. */
const as_ahead *as_area_ahead(csa_assess *r);
void as_ahead_free(csa_assess *r);

/* ---- a long police history read without keeping every row (thin.c) ---- */

typedef struct as_thin as_thin;
/* Planned while input i's kind names its columns: the LSOA codes of the
 * area and the comparator LAs read from the deprivation input (and the
 * LSOA lookup) ahead of the area itself; none (every row kept) when they
 * cannot be read so or there is no deprivation input. */
csa_status as_plan_thinning(csa_assess *r, size_t i);
/* Drops rows first.. of input i's table (a file just read) that are in
 * none of those LSOAs, or in no LSOA, counting them. */
csa_status as_thin_rows(csa_assess *r, size_t i, size_t first);
void as_thin_free(as_thin *t);
/* The earliest month of the dropped rows before `first` and from
 * `earliest` on, or first. */
int32_t as_thinned_first(const as_input *s, int32_t first, int32_t earliest);
/* The dropped rows into the tally, as tally_rows counts a row outside the
 * area or without an LSOA. */
void as_thinned_tally(const csa_assess *r, const as_input *s, as_tally *y);
/* The dropped rows of the period's months to add(ctx, ...): by month and
 * force (lsoa CSA_NO_CODE), and by month and LSOA code (force CSA_NO_CODE). */
void as_thinned_cover(const as_thin *t, void (*add)(void *ctx, int32_t day, uint32_t lsoa,
                                                    uint32_t force, uint64_t n), void *ctx);
uint64_t as_thinned_rows(const as_input *s);

/* ---- the area and its geography (area.c) ---- */

csa_status as_find_area(csa_assess *r);
/* A denominator other than residents by LSOA: v[row] of table t (area_col
 * its LSOA codes, 2011 or 2021 as the population input's may be; years
 * NULL or each row's year, when only `year`'s rows count) summed into the
 * area's LSOAs (lsoas[r->nlsoas]) and the comparator's (cmp[r->ncmp_lsoas],
 * or NULL), as residents are: NaN where an LSOA has no row or 0. */
csa_status as_lsoa_denominators(csa_assess *r, const csa_table *t, size_t area_col,
                                const double *v, const int64_t *years, int year, double *lsoas,
                                double *cmp);
/* Where the codes of dictionary `codes` (an input's LSOA column) go
 * among lsoas[0..n): directly, or through the LSOA lookup's 2011 parents
 * when a code is a 2021 one the deprivation input does not have. */
csa_status as_map_lsoas(csa_assess *r, const csa_dict *codes, const as_lsoa *lsoas, size_t n,
                        as_lsoa_map *out);
/* The term row of t falls in: outside the period (outside the timeline:
 * a month of the history before the period is no month outside it), no
 * location, or where its LSOA code goes by m, and then *lsoa is the list's
 * LSOA it counts in (SIZE_MAX outside the list); *month is its month's
 * index in the timeline (SIZE_MAX outside it). A row of a code with several parents goes whole to
 * the parent furthest behind its share so far, so every count stays a
 * whole number. The one rule every counting loop uses. */
as_term as_place_row(const csa_assess *r, as_lsoa_map *m, const csa_table *t, size_t month_col,
                     size_t lsoa_col, size_t row, size_t *month, size_t *lsoa);
/* The higher area (r->higher) of each of the area's LSOAs, by [assessment]
 * higher_area: its ward, or the lookup's other higher area; run after the
 * coverage check. A lookup that places none of them is CSA_ERR_VALUE. */
csa_status as_place_higher(csa_assess *r);
/* The shapes against the police crimes' map points, placing them (maps.c):
 * overlapping shapes or codes swapped turn the maps off (r->maps_off, a
 * warning) rather than draw wrong ones; points not in their own LSOAs'
 * shapes (the shapes elsewhere, or the points not police.uk's) turn off
 * the hotspot maps (r->hotspots_off); shapes that hold fewer of their
 * crimes than real data does give every police map a caveat
 * (r->shapes_caveat). Before any map is made. */
csa_status as_check_shapes(csa_assess *r);
/* The method note on LSOA vintages when the run has a lookup, or NULL. */
const char *as_vintage_note(csa_assess *r);
/* Which respondents of survey input i live in the area (by its lookup). */
csa_status as_survey_area(csa_assess *r, size_t i);
/* The name of spec's column of role `role`, or "" when it has none. */
const char *as_role_name(const csa_spec *spec, csa_role role);
/* The survey column a spec column name (or one of its aliases) heads. */
size_t as_survey_column(const csa_spec *spec, const csa_table *t, const char *name);

/* ---- maps (maps.c) ---- */

/* Reads the boundaries input against the area's LSOAs (after the coverage
 * check, before the indicators):
 * its findings join the inputs'; errors stop the run unless
 * --allow-invalid leaves it out (then no maps, said). Sets r->shapes. */
csa_status as_read_boundaries(csa_assess *r);
/* Waits for GDAL's module, loading since validation began (if it was),
 * and for the boundaries read beside validation (as_read_boundaries takes
 * them when they were read for the area's LSOAs). */
void as_geo_wait(csa_assess *r);
/* as_geo_wait, and frees what the early read left. */
void as_geo_free(csa_assess *r);
/* Starts dissolving the LSOA shapes into the higher areas on a thread of
 * their own, once the boundaries are read, when a higher-area map will
 * want them (as_higher_map takes the outlines). as_dissolve_free waits for
 * it and frees outlines no map took. */
typedef struct as_dissolve as_dissolve;
void as_start_dissolve(csa_assess *r);
void as_dissolve_free(csa_assess *r);
/* The reading hook of police input i: row (of the period, crime type
 * `type`) is counted in the area's LSOA `lsoa` (SIZE_MAX: outside the
 * area), so its map point is kept. */
void as_keep_point(csa_assess *r, size_t i, size_t row, uint32_t type, size_t lsoa);
/* A police crime indicator's maps (rates by LSOA, hotspots; the area's IMD
 * deciles on the first one) into charts[*ncharts..] (room for 3) and
 * their tables into tabs[*ntabs..] (room for 2). lsoa_count: the
 * period's crimes of each of the area's LSOAs; wanted: its crime types. */
csa_status as_crime_maps(csa_assess *r, size_t ind, csa_indicator_report *rep,
                         const bool *wanted, const double *lsoa_count, csa_chart *charts,
                         size_t *ncharts, csa_report_table *tabs, size_t *ntabs);
/* The map of a police crime indicator's rates per higher area (ward,
 * MSOA), when there are shapes: the LSOA shapes dissolved into the higher
 * areas once per run, shaded in quantile classes of rate[h] (NaN: no
 * rate), into *chart, and its classes table (in the map's order) into
 * tabs[(*ntabs)++]; count and pop by higher area too. Leaves *chart
 * untouched and returns CSA_OK without shapes (*drawn false). */
csa_status as_higher_map(csa_assess *r, const csa_config_indicator *ci,
                         const csa_indicator_report *rep, const char *unit,
                         const double *count, const double *pop, const double *rate,
                         csa_chart *chart, bool *drawn, csa_report_table *tabs, size_t *ntabs);
/* What as_count_maps maps: as_crime_maps's police crime, or a partner's
 * counts (kind_partner.c) in their own words and per their own
 * denominator, with a personal input's suppressed LSOAs left unshaded and
 * no hotspots. */
typedef struct as_map_counts {
    const char *Noun, *noun;     /* "Crimes", "crimes" */
    const char *source;          /* "police.uk street-level crime" */
    const char *points_source;   /* the hotspot map's source line, before the boundaries' */
    const char *point;           /* "police.uk map point" */
    const double *per;           /* [r->nlsoas]: each LSOA's denominator; NULL: residents */
    const char *per_label;       /* its column: "Population" */
    const unsigned char *hidden; /* [r->nlsoas]: true where the LSOA's count is suppressed
                                    (not shaded, said in the legend); NULL: none */
    bool no_hotspots;            /* no hotspot map (points could identify people) */
} as_map_counts;
/* as_crime_maps for any count by LSOA: m says what is counted (wanted by
 * code of the type column of the input's kept points, as_keep_point). */
csa_status as_count_maps(csa_assess *r, size_t ind, csa_indicator_report *rep,
                         const as_map_counts *m, const bool *wanted, const double *lsoa_count,
                         csa_chart *charts, size_t *ncharts, csa_report_table *tabs,
                         size_t *ntabs);
/* Table t written as the CSV file `file` only (not to the workbook). */
csa_status as_csv_only(csa_assess *r, const char *file, const csa_table *t);
/* The method note on maps, or NULL without them. */
const char *as_map_note(csa_assess *r);
/* Places partner incidents without an LSOA code by their coordinates in
 * the area's shapes (r->located of each such input), then accounts for
 * their rows again (kind_partner.c). */
csa_status as_locate_incidents(csa_assess *r);

/* ---- coverage of the inputs that carry areas (coverage.c) ---- */

/* The share of an area's LSOAs with no row over the period above which the
 * files do not cover it (the run stops), and above which they cover it in
 * part (a warning on every output of the input). */
#define AS_UNCOVERED_SHARE 0.5
#define AS_PARTLY_COVERED_SHARE 0.1

/* An area an input must cover: an LA of the deprivation input, or a list
 * of LSOAs. All borrowed. */
typedef struct as_cover_area {
    const char *name; /* "Milton Keynes" */
    const char *la;   /* its LA code, or NULL: lsoas */
    const char *const *lsoas;
    size_t nlsoas;
    const char *field; /* the setting that names it, for the error */
    const char *fix;  /* what to do when the files do not cover it */
} as_cover_area;

/* One input's rows (or counts of them), the deprivation input's LSOAs and
 * LAs, the period and the areas to check. Columns: CSA_NO_ROW when none
 * (no month: every row counts; no weight: a row is one). All borrowed. */
typedef struct as_cover {
    const char *what; /* "[input.police]", starts every message */
    const char *file; /* the file an error names */
    const csa_table *rows;
    size_t month, lsoa, force, weight;
    const csa_table *imd;
    size_t imd_lsoa, imd_la, imd_la_name;
    int32_t first; /* the period: its first month and its length */
    size_t nmonths;
    const as_cover_area *areas;
    size_t nareas;
    const struct as_thin *thin; /* rows dropped as they were read, or NULL (thin.c) */
} as_cover;

/* Whether the rows cover every area. An area with more than
 * AS_UNCOVERED_SHARE of its LSOAs without a row in the period is
 * CSA_ERR_VALUE, err naming the area, what the rows do cover (forces, LAs
 * and rows) and the area's fix. Partial coverage (more than
 * AS_PARTLY_COVERED_SHARE of its LSOAs without a row, or no row in a month
 * the rows have for other areas) is *warnings: sentences each ending in a
 * full stop, malloc'd and the caller's, NULL when none. */
csa_status as_coverage_check(const as_cover *cv, char **warnings, csa_error *err);
/* The run's check of every input that carries LSOAs, against the area and
 * every comparator area, after the area is found and before indicators:
 * partial coverage is told (as_message) and kept in coverage_note. */
csa_status as_check_coverage(csa_assess *r);

/* ---- a monthly indicator's history (history.c) ---- */

/* One monthly count indicator over every month its input holds: the
 * assessment period, the comparison period (the same months a year
 * earlier by default) and any months before. The kind fills it; history.c
 * draws the month charts from it and judges the months. All borrowed. */
typedef struct as_history {
    size_t n;              /* months first .. first + n - 1, n <= AS_MAX_MONTHS */
    int32_t first;         /* day number of the first month's first day */
    const char *const *label; /* "2018-10" each */
    const double *count;   /* the area's count each month; NaN: the input has no
                              rows that month (missing, not zero) */
    const double *days;    /* days in each month */
    size_t period_first, period_n;     /* the assessment period, as indices */
    size_t compare_first, compare_n;   /* the comparison period; compare_n 0: none */
    size_t baseline_first, baseline_n; /* SPC limits from these months */
    bool baseline_fixed;   /* the config names the baseline (else: the year
                              before the period, or what the history has) */
    bool baseline_gap;     /* the default baseline, one of its 12 months
                              missing (as_history_baseline) */
    double population;     /* the area's residents (the rate's denominator) */
    double population_before; /* theirs in the comparison period's year */
    double multiplier;     /* 1000: per 1,000 residents */
    const char *noun;      /* what is counted, plural: "fires"; NULL: "crimes" */
    const char *per;       /* who the denominator counts when not the population
                              input's residents ("households"); NULL: residents */
} as_history;

/* ---- the headline of change (change.c) ---- */

/* A rise or a fall of 20% or more (a rate ratio from 1.20, or to 0.80)
 * is a large one to the priorities' trend criterion. */
#define AS_RISE_LARGE 1.2
#define AS_FALL_LARGE 0.8

/* The change of h's period against its comparison period into rep's
 * change fields and x's ratio_significant: counts over the months both
 * have rows for (like months only, stated in the note when fewer than the
 * period's), rates per h->population and h->population_before (each
 * period's year's residents, or the same for both), the rate ratio by csa_rate_ratio (CSA_RATIO_AUTO) and the
 * sentence that says it no more strongly than its 95% interval allows;
 * with no comparison, rep->change says why. unit: "per 1,000 residents". */
void as_change(csa_assess *r, csa_indicator_report *rep, as_extra *x, const as_history *h,
               const char *unit);
/* Places for a rate ratio and its interval lo..hi: two, or three when a
 * limit would show as 1.00 (0.998 is not 1) or the ratio as a trend
 * band's edge (1.198 is not 1.20). */
int as_ratio_places(double ratio, double lo, double hi);

/* Months that set SPC limits before the run judges a trend from them:
 * NHSRplotthedots warns below 12 that its limits are only trial ones.
 * Full years before the baseline that seasonal relatives need, and the
 * count each calendar month needs over them; full years the month-of-year
 * chart needs. Months of the last two years, and the correlation between
 * them, that tell a history with no such year as seasonal (history.c). The
 * most charts as_history_charts draws. */
enum {
    AS_SPC_MIN_POINTS = 12,
    AS_SEASON_MIN_YEARS = 1,
    AS_SEASON_CHART_YEARS = 2,
    AS_SEASON_PAIRS = 10,
    AS_SEASON_MIN_COUNT = 10,
    AS_HISTORY_CHARTS = 3
};
#define AS_SEASON_R 0.6

/* h's SPC baseline, into h->baseline_first, baseline_n, baseline_fixed
 * and baseline_gap: the config's (its months less off, the index of h's
 * first month on the run's timeline), or else the year before the period
 * when it has rows in 11 months or 12, or, with fewer, every month of h. */
void as_history_baseline(csa_assess *r, as_history *h, size_t off);

/* "Oct 2017 to Dec 2017": months first .. first + n - 1 of h. */
const char *as_history_span(csa_assess *r, const as_history *h, size_t first, size_t n);
/* The month charts of a monthly count indicator from its history h, into
 * charts[0..*ncharts) (room for AS_HISTORY_CHARTS), each with the source
 * line `source`: the history chart when h has months outside the period
 * (period shaded, comparison months overlaid, rolling twelve months), the
 * SPC chart on crimes per day over the whole history with limits from h's
 * baseline, and the month-of-year profile with AS_SEASON_CHART_YEARS full
 * years. Judges the period's months (seasonally adjusted with
 * AS_SEASON_MIN_YEARS full years before the period that are not the
 * baseline's; not at all when seasonal with none: see history.c): sets rep->trend,
 * x's direction and rising, and *phrase for the reading. Arrays are kept
 * with the run; the charts borrow h->label, which must live as long. A history whose
 * period, comparison or baseline lies outside its months is
 * CSA_ERR_USAGE. */
csa_status as_history_charts(csa_assess *r, csa_indicator_report *rep, as_extra *x,
                             const as_history *h, const char *source, csa_chart *charts,
                             size_t *ncharts, const char **phrase);

/* The month charts' figures as tables, into tabs[0..*ntabs) (room for 2),
 * from the arrays of the charts as_history_charts drew from h
 * (charts[0..ncharts)): with the history chart, "<title> over time", a row
 * per month of h (its crimes, days, crimes per day, the comparison month
 * laid over it, the rolling twelve months, any seasonally adjusted value
 * and the SPC chart's limits), charted with the rolling and comparison
 * lines; with the month-of-year chart, its twelve months (mean, lowest
 * and highest year, the period). Titled as the charts are. */
csa_status as_history_tables(csa_assess *r, const as_history *h, const csa_chart *charts,
                             size_t ncharts, csa_report_table *tabs, size_t *ntabs);

/* ---- readings (reading.c) ---- */

void as_compare(csa_assess *r, csa_indicator_report *rep);
void as_reading(csa_assess *r, csa_indicator_report *rep, const char *trend_phrase);
/* Adds a caveat to the indicator's note (shown on every output the
 * indicator reaches), after any there already is: one sentence each. */
void as_add_note(csa_assess *r, csa_indicator_report *rep, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int as_judged(int rising, csa_polarity polarity);
const char *as_trend_words(csa_assess *r, const csa_recent_trend *rt, size_t npoints,
                           const char *spc, csa_polarity polarity, as_extra *x);
const char *as_trend_phrase(const as_extra *x, csa_polarity polarity);
void as_chart_text(csa_assess *r, csa_chart *c, const char *title, const char *x_label,
                   const char *y_label, const char *source);

/* ---- partners' data (kind_partner.c) ---- */

/* The method note on what was suppressed in the outputs of inputs with
 * personal = yes and why, or NULL when the run has none. */
const char *as_disclosure_note(csa_assess *r);

/* ---- the LSOA funnel plot (funnel.c) ---- */

/* Each of the n LSOAs' rates (counts / pops) against funnel limits around
 * the area's rate: *rates and *outcomes (95%) kept with the run, and the
 * funnel chart, which names (names[i], or NULL) the points outside the
 * 99.8% limits, furthest out first. */
csa_status as_funnel_chart(csa_assess *r, csa_indicator_report *rep, double multiplier,
                           size_t n, const double *counts, const double *pops,
                           const char *const *names, double **rates, csa_outcome **outcomes,
                           csa_chart *chart);

/* ---- named places (places.c) ---- */

/* What a police crime indicator gives places.c. All borrowed. */
typedef struct as_places {
    const csa_config_indicator *ci;
    csa_indicator_report *rep;
    const bool *wanted;          /* by code of the input's crime type column */
    const double *count;         /* [r->nlsoas]: the period's crimes in each LSOA of the
                                    area, with a population or not */
    const csa_outcome *against;  /* [r->nlsoas]: its rate against the area's (funnel) */
    const char *rate_name;       /* "Rate per 1,000 residents", as the LSOA table has it */
    const char *unit;            /* "per 1,000 residents" */
    const char *method;          /* how the intervals are made, in words */
    const char *source;          /* the charts' source line */
    /* for another kind's counts (kind_partner.c); zero for police crime */
    const char *Noun, *noun;     /* "Incidents", "incidents"; NULL: "Crimes", "crimes" */
    const double *per;           /* [r->nlsoas]: each LSOA's denominator; NULL: residents */
    const char *per_label;       /* its column; NULL: "Population" */
    const unsigned char *hidden; /* [r->nhigher + 1]: csa_suppress_lines's marks of the
                                    higher areas' counts (the last: LSOAs in none), for a
                                    personal input; NULL: none suppressed */
} as_places;

/* The named places of a police crime indicator, appended to
 * tabs[*nt..] (room for 6) and charts[*ncharts..] (room for 2): the top
 * LSOAs by count and by rate, the top police.uk locations and the share
 * at repeat locations, and with [assessment] higher_area the rates per
 * higher area, their caterpillar chart and (with boundaries) their map. */
csa_status as_places_tables(csa_assess *r, const as_places *pl, csa_report_table *tabs,
                            size_t *nt, csa_chart *charts, size_t *ncharts);
/* Only the rates per higher area (r->nhigher of them) and their
 * caterpillar chart, for any count by LSOA (pl->count): appended to
 * tabs[*nt] and *chart. */
csa_status as_higher_areas(csa_assess *r, const as_places *pl, csa_report_table *tabs,
                           size_t *nt, csa_chart *chart);

/* ---- priorities (priorities.c) ---- */

csa_status as_score_priorities(csa_assess *r);

/* ---- outputs (outputs.c) ---- */

csa_status as_write_outputs(csa_assess *r);

#endif
