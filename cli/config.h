/* The assessment config (assessment.ini) of `csa run`, read with inih.
 * Every key is checked: an unknown key or a bad value is an error naming
 * the file, line and key. Paths in the config are relative to the config
 * file's folder. */
#ifndef CSA_CLI_CONFIG_H
#define CSA_CLI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csa/csa.h"

typedef struct cfg_list {
    char **v;
    size_t n;
} cfg_list;

typedef struct cfg_input {
    char *name;
    const csa_spec *spec;
    cfg_list files; /* after glob expansion, relative to the working folder */
    char *lookup;   /* an input name, or NULL */
    int line;       /* of the section */
} cfg_input;

enum { CFG_CRITERIA_MAX = 5 };

typedef enum cfg_criterion {
    CFG_VOLUME = 0, CFG_TREND, CFG_HARM, CFG_DEPRIVATION, CFG_CONCERN,
} cfg_criterion;

typedef struct cfg_indicator {
    char *name, *title, *theme;
    char *unit;            /* or NULL: from the input's kind */
    size_t input;          /* index into inputs */
    cfg_list crime_types;  /* police-street: kept crime types (none: all) */
    char *indicator_id;    /* fingertips */
    char *question;        /* survey: the answer column */
    cfg_list answers;      /* survey: answers counted (default Yes) */
    cfg_list by;           /* survey: breakdown columns */
    double multiplier;
    csa_polarity polarity;
    double comparator_value; /* NaN: none, or from the file (fingertips) */
    double harm;           /* weight per event, NaN when not given */
    char *concern;         /* a survey indicator measuring concern about it */
    int priority;          /* a candidate priority: 1, 0; -1 until defaulted (yes
                              unless survey) */
    int line;
} cfg_indicator;

typedef struct run_config {
    char *path;            /* as given */
    char *title, *area_name, *la_code;
    cfg_list lsoas;
    int32_t period_first, period_last; /* first days of months */
    char *period_label;    /* "October 2018 to December 2018" */
    int32_t baseline_first, baseline_last; /* SPC baseline months; 0, 0: the period */
    char *comparator, *comparator_code;
    cfg_list comparator_areas; /* LA codes whose crime rate is the comparator */
    char *output;          /* relative to the working folder */
    size_t deprivation, population; /* input indexes, or SIZE_MAX */
    cfg_input *inputs;
    size_t ninputs;
    cfg_indicator *indicators;
    size_t nindicators;
    cfg_criterion criteria[CFG_CRITERIA_MAX];
    double weights[CFG_CRITERIA_MAX];
    size_t ncriteria;
} run_config;

/* Reads and checks the config. On success *out is the caller's: free with
 * config_free. Errors are CSA_ERR_USAGE (bad key or value) or CSA_ERR_IO,
 * naming file and line; the key is err->field. */
csa_status config_read(const char *path, run_config **out, csa_error *err);
void config_free(run_config *c);

/* The criterion's name as the config spells it: "volume", ... */
const char *config_criterion_name(cfg_criterion c);

/* Every key, for `csa help run`. */
extern const char config_help[];
/* The commented starter config `csa init` writes. */
extern const char config_starter[];

#endif
