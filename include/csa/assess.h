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
    int line;              /* of its section's header */
} csa_config_input;

typedef struct csa_config_indicator {
    char *name, *title, *theme;
    char *unit;                  /* or NULL: from the kind */
    size_t input;                /* index into inputs */
    const csa_kind *kind;        /* from the input's spec */
    csa_config_list crime_types; /* police-street: kept crime types (none: all) */
    char *indicator_id;          /* fingertips */
    char *question;              /* survey: the answer column */
    csa_config_list answers;     /* survey: answers counted (default Yes) */
    csa_config_list by;          /* survey: breakdown columns */
    double multiplier;           /* the kind's by default; 0 when not a rate */
    csa_polarity polarity;
    double comparator_value;     /* NaN: none, or from the file (fingertips) */
    double harm;                 /* weight per event, NaN when not given */
    char *concern;               /* a survey indicator measuring concern about it */
    int priority;                /* a candidate priority: 1 or 0 */
    int line;                    /* of its section's header */
} csa_config_indicator;

typedef struct csa_config {
    char *path;                  /* as given */
    char *title, *area_name, *la_code;
    csa_config_list lsoas;
    int32_t period_first, period_last; /* first days of months */
    char *period_label;          /* "October 2018 to December 2018" */
    int32_t baseline_first, baseline_last; /* SPC baseline months; 0, 0: the period */
    char *comparator, *comparator_code;
    csa_config_list comparator_areas; /* LA codes whose crime rate is the comparator */
    char *output;                /* relative to the working folder */
    size_t deprivation, population; /* input indexes, or SIZE_MAX */
    csa_config_input *inputs;
    size_t ninputs;
    csa_config_indicator *indicators;
    size_t nindicators;
    csa_criterion criteria[CSA_NCRITERIA];
    double weights[CSA_NCRITERIA];
    size_t ncriteria;
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

#endif
