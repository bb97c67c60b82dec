/* csa/assess.h: the assessment itself, between the command line and the
 * ingest, engine and report stages. It reads the config (assessment.ini),
 * decides the area and its LSOAs, runs every indicator through its kind
 * (police crime, Fingertips, survey, ...), words the readings, scores the
 * priorities and hands report a csa_assessment to write. */
#ifndef CSA_ASSESS_H
#define CSA_ASSESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "csa/assessment.h"
#include "csa/error.h"
#include "csa/ingest.h"
#include "csa/stats.h"

/* ---- indicator kinds ---- */

/* A kind of indicator: how figures are made from one dataset spec. The
 * table of kinds is in assess/kinds.c; the struct is private to assess/. */
typedef struct csa_kind csa_kind;

/* The kind that reads inputs of spec `spec` ("police-street"), or NULL. */
const csa_kind *csa_kind_for_spec(const char *spec);
/* Its name as `csa help run` uses it ("police crime"). */
const char *csa_kind_name(const csa_kind *k);

/* ---- priority criteria ---- */

typedef enum csa_criterion {
    CSA_CRITERION_VOLUME = 0,
    CSA_CRITERION_TREND,
    CSA_CRITERION_HARM,
    CSA_CRITERION_DEPRIVATION,
    CSA_CRITERION_CONCERN,
    CSA_NCRITERIA
} csa_criterion;

/* The criterion's name as the config spells it: "volume", ... */
const char *csa_criterion_name(csa_criterion c);
/* The criterion named `name`, or CSA_NCRITERIA. */
csa_criterion csa_criterion_find(const char *name);

/* ---- the config (assessment.ini) ---- */

typedef struct csa_config_list {
    char **v;
    size_t n;
} csa_config_list;

typedef struct csa_config_input {
    char *name;
    const csa_spec *spec;
    csa_config_list files; /* after glob expansion, relative to the working folder */
    char *lookup;          /* an input name, or NULL */
    int personal;          /* personal data (partners' health records): small counts are
                              suppressed in every output; 1 or 0 */
    int line;              /* of its section's header */
    /* from = register: files come from the submissions register
     * (csa_register_resolve fills files, received and due) */
    int from_register;
    int64_t received;      /* when the submission used was received (Unix time); 0: none */
    int32_t due;           /* its partner's due date (days since 1970); 0: none */
    /* spec boundaries: on every map, where the shapes come from and the
     * licence's attribution; NULL: the file's name, CSA_MAP_ATTRIBUTION */
    char *source, *attribution;
} csa_config_input;

/* A partner who supplies inputs ([partner.NAME]). */
typedef struct csa_config_partner {
    char *name, *organisation, *contact;
    csa_config_list inputs; /* names of [input.NAME] sections */
    int32_t due;            /* days since 1970-01-01 */
    int line;               /* of its section's header */
} csa_config_partner;

typedef struct csa_config_indicator {
    char *name, *title, *theme;
    char *unit;                  /* or NULL: from the kind */
    size_t input;                /* index into inputs */
    const csa_kind *kind;        /* from the input's spec */
    csa_config_list crime_types; /* police-street: kept crime types (none: all) */
    csa_config_list categories;  /* partner counts and incidents: kept measures or
                                    categories (none: all) */
    char *denominator;           /* partner counts and incidents: "residents" (default),
                                    "input NAME" or the population spec's bands */
    size_t denominator_input;    /* denominator = input NAME: its index; SIZE_MAX: none */
    csa_config_list denominator_bands; /* denominator = bands: the population spec's
                                          columns summed (F0 to 15, M0 to 15); none: none */
    char *denominator_label;     /* what the rate is per: "residents" (default),
                                    "young people aged 0 to 15" */
    char *indicator_id;          /* fingertips */
    char *question;              /* survey: the answer column */
    csa_config_list answers;     /* survey: answers counted (default Yes) */
    csa_config_list by;          /* survey: breakdown columns */
    double multiplier;           /* the kind's by default; 0 when not a rate */
    csa_polarity polarity;
    double comparator_value;     /* NaN: none, or from the file (fingertips) */
    int annualise;               /* police-street: 1 scales a rate over part of the
                                    period to the whole period; 0 (default) does not */
    double harm;                 /* weight per event, NaN when not given */
    char *concern;               /* a survey indicator measuring concern about it */
    int priority;                /* a candidate priority: 1 or 0 */
    int line;                    /* of its section's header */
} csa_config_indicator;

/* What an assessment's change is measured against (compare_with). */
typedef enum csa_compare_with {
    CSA_COMPARE_PREVIOUS_YEAR = 0, /* the same months a year earlier */
    CSA_COMPARE_NONE,
    CSA_COMPARE_PERIOD,            /* compare_first .. compare_last */
} csa_compare_with;

typedef struct csa_config {
    char *path;                  /* as given */
    char *title, *area_name, *la_code;
    csa_config_list lsoas;
    int32_t period_first, period_last; /* first days of months */
    char *period_label;          /* "October 2018 to December 2018" */
    int32_t baseline_first, baseline_last; /* SPC baseline months; 0, 0: the period */
    csa_compare_with compare_with;
    int32_t compare_first, compare_last; /* CSA_COMPARE_PERIOD: first days of its months */
    char *comparator, *comparator_code;
    csa_config_list comparator_areas; /* LA codes whose crime rate is the comparator */
    char *output;                /* relative to the working folder */
    size_t deprivation, population; /* input indexes, or SIZE_MAX */
    size_t lsoa_lookup;          /* the LSOA (2011) to (2021) lookup input, or SIZE_MAX */
    size_t higher_area;          /* an area-lookup input placing LSOAs in higher areas
                                    (wards, MSOAs), or SIZE_MAX */
    char *higher_area_label;     /* what those areas are: "Ward", "MSOA"; or NULL */
    size_t boundaries;           /* the area's LSOA shapes (maps), or SIZE_MAX */
    csa_config_input *inputs;
    size_t ninputs;
    csa_config_indicator *indicators;
    size_t nindicators;
    csa_config_partner *partners;
    size_t npartners;
    char *register_path;         /* the submissions register (csa submit, csa status) */
    csa_criterion criteria[CSA_NCRITERIA];
    double weights[CSA_NCRITERIA];
    size_t ncriteria;
    double suppress_below;       /* counts from 1 below this are suppressed in the outputs
                                    of personal inputs */
} csa_config;

/* Every problem found in one reading of a config, in line order (those
 * of the whole file, with line 0, last); at most 100, then one saying how
 * many more. Each is CSA_ERR_USAGE with file, line, the key as `field`
 * and the offending value when there is one. */
typedef struct csa_config_errors {
    csa_error *v;
    size_t n;
} csa_config_errors;
void csa_config_errors_free(csa_config_errors *all);

/* Reads and checks the config text[0..len) (it need not end in a NUL).
 * `path` names it in errors, and its folder is the base of relative paths
 * and globs. Reading does not stop at the first problem: unknown sections
 * and keys, bad values, files not found, bad references and missing
 * required keys are all found in one pass. On success *out is the
 * caller's (free with csa_config_free) and *all is empty. On failure *out
 * is NULL, *err is the first problem (or CSA_ERR_NOMEM), and, when `all`
 * is not NULL, *all holds every problem and is the caller's to free with
 * csa_config_errors_free (empty when the failure is CSA_ERR_NOMEM). */
csa_status csa_config_read_buffer(const char *text, size_t len, const char *path,
                                  csa_config **out, csa_error *err, csa_config_errors *all);
/* The same for the file at path; a file that cannot be read is
 * CSA_ERR_IO in *err, with *all empty. */
csa_status csa_config_read(const char *path, csa_config **out, csa_error *err,
                           csa_config_errors *all);
void csa_config_free(csa_config *c);

/* Writes `csa help run` (options, and every key with its help, default
 * and the kinds that take it), made from the table of keys; check
 * ferror(fp) after. */
void csa_config_write_help(FILE *fp);
/* Writes the commented starter config `csa init` writes; check ferror(fp)
 * after. */
void csa_config_write_starter(FILE *fp);

/* ---- the assessment run ---- */

typedef struct csa_assess csa_assess;

/* How a run tells its caller what it is doing; any may be NULL. */
/* The pack's forms a run writes (csa run --format). */
enum { CSA_FORMAT_PDF = 1, CSA_FORMAT_HTML = 2, CSA_FORMAT_ALL = 3 };

typedef struct csa_assess_options {
    const char *out_dir;                 /* NULL: the config's output */
    unsigned formats;                    /* CSA_FORMAT_* bits; 0: all */
    const char *const *allow_invalid;    /* inputs left out when they have errors */
    size_t nallow_invalid;
    void *user;
    /* A stage is done: "validated 5 inputs, ..." and how long it took. */
    void (*on_stage)(void *user, const char *what, double seconds);
    /* Working through a stage: done of total files or charts. */
    void (*on_progress)(void *user, const char *what, size_t done, size_t total);
    /* A line for the analyst: an input's errors, an input left out. */
    void (*on_message)(void *user, const char *text);
} csa_assess_options;

/* Runs the assessment cfg declares, all stages: validates every input,
 * reads them, finds the area, computes every indicator, scores the
 * priorities and writes every output through one output folder, all or
 * none. cfg and opt are borrowed until csa_assess_free. *out is the
 * caller's in every case (free with csa_assess_free; NULL only when out of
 * memory). Errors: CSA_ERR_VALUE and the like for a data problem (an input
 * with errors, which have been told through on_message and leave
 * err->message empty; an input with no rows in the period; an area with
 * no residents), CSA_ERR_USAGE for what the config asks that cannot be
 * done, CSA_ERR_IO for a file that cannot be read or written. */
csa_status csa_assess_run(const csa_config *cfg, const csa_assess_options *opt,
                          csa_assess **out, csa_error *err);

/* The stages csa_assess_run calls, for callers (and tests) that stop
 * early: create, then validate, read, compute (indicators and
 * priorities), write, each only after the one before succeeded. */
csa_status csa_assess_create(const csa_config *cfg, const csa_assess_options *opt,
                             csa_assess **out, csa_error *err);
csa_status csa_assess_validate(csa_assess *a, csa_error *err);
csa_status csa_assess_read(csa_assess *a, csa_error *err);
csa_status csa_assess_compute(csa_assess *a, csa_error *err);
csa_status csa_assess_write(csa_assess *a, csa_error *err);

/* The assessment as report writes it: indicators, priorities in rank
 * order, inputs. Owned by a; complete after csa_assess_compute (inputs
 * after csa_assess_write). */
const csa_assessment *csa_assess_result(const csa_assess *a);
/* The output folder the run writes to. */
const char *csa_assess_out_dir(const csa_assess *a);
void csa_assess_free(csa_assess *a);

/* ---- csa rates: crime rates by crime type and IMD decile ---- */
/* What `csa rates` works out, apart from its options and printing:
 * crimes counted as police.uk street files are read, rates by decile
 * (csa_decile_rates_compute, with its population rule), the row
 * accounting and the LSOAs with no population, as tables. */

/* One crime file. */
typedef struct csa_rates_file {
    const char *path;       /* borrowed */
    csa_ingest_stats stats; /* filled by csa_rates_count, even when it fails */
} csa_rates_file;

typedef struct csa_rates {
    csa_rates_file *files; /* borrowed: nfiles, in the order given */
    size_t nfiles;
    csa_table *crimes;     /* "Crime type", "LSOA code", "Rows": counted as read */
    size_t *part_ends;     /* crimes' rows of each file end here */
    int32_t first, last;   /* the first days of the first and last months read;
                              first = INT32_MAX when no crime was read */
    csa_table *places;     /* "Month", "LSOA code", "Falls within", "Rows": counted as
                              read, for the coverage check */
    char *warnings;        /* by csa_rates_compute: the LA covered only in part, as
                              sentences (malloc'd, owned), or NULL */
    /* by csa_rates_compute: */
    csa_decile_rates *deciles;
    /* "File", "Rows read", "Accepted", "Without LSOA", outside, "No
     * population", "Rejected", "Reasons for rejection": one row per file,
     * then "All files" */
    csa_table *accounting;
    csa_table *unpopulated; /* "LSOA code", "LSOA name", "Crimes left out": LSOAs of the area
                               with crimes but no population, in code order */
    char area[160];    /* "Milton Keynes (E06000042)", or "all LSOAs in FILE" */
    char outside[64];  /* the accounting's heading for crimes outside the area */
    char period[48];   /* "Oct 2018 to Dec 2018", or "no crimes read" */
    /* by csa_rates_compute, when the population has a year column: the
     * mid-year estimate used (as_population_year: that of the year of the
     * months read, or the nearest), the year wanted, and the years the
     * file has ("2017, 2018"); pop_year 0 without one */
    int pop_year, pop_year_want;
    char pop_years[128];
    csa_table *pop_used; /* that year's rows of pop, or NULL */
    /* the months of each force read so far, and the file each came from:
     * one month of one force in two files would be counted twice */
    struct csa_rates_month {
        int32_t month;
        char *force;  /* malloc'd, owned */
        size_t file;
    } *months;
    size_t nmonths;
} csa_rates;

/* *out is the caller's (csa_rates_free) on success; files is borrowed. */
csa_status csa_rates_create(csa_rates_file *files, size_t nfiles, csa_rates **out,
                            csa_error *err);
/* Reads file i (in order, after files 0 to i-1) and counts its crimes by
 * type, LSOA and month. A bad row is rejected and counted; more than 1% of
 * the file's rows rejected is CSA_ERR_REJECTS. A month of a force
 * ("Falls within") that an earlier file has too (the same file given
 * twice, a download saved again) is CSA_ERR_DUPLICATE naming both files.
 * cpus_in_use: as csa_ingest_options. */
csa_status csa_rates_count(csa_rates *r, size_t i, int cpus_in_use, csa_error *err);
/* After every file: rates per 1,000 residents at 95%, the accounting and
 * the no-population table. Files that do not cover the area (more than
 * half its LSOAs without a row over the months read: another force's
 * files) are CSA_ERR_VALUE naming the area and what the files cover, so
 * that no rates of 0 are written for it; partial coverage is r->warnings.
 * imd has the columns "LSOA code", "LA code", "LA name", "IMD decile"
 * (spec imd) and pop "area code", "population" and optionally "year" (spec
 * population: with several years, the rates use one, r->pop_year), both
 * frozen and borrowed. la: keep the LSOAs imd gives to
 * this LA code; NULL: every LSOA of imd. An la not in imd is
 * CSA_ERR_NOT_FOUND naming imd_path. */
csa_status csa_rates_compute(csa_rates *r, const csa_table *imd, const char *imd_path,
                             const csa_table *pop, const char *la, csa_error *err);
void csa_rates_free(csa_rates *r);

#endif
