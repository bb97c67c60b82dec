/* csa/calc.h: methods applied to any table (csa calc), as a registry.
 *
 * A method is one row of csa_calc_methods: its name, what it computes, the
 * published method or package it matches, the column options it needs, the
 * other options it takes, and a function from an input table to a result
 * table. Options are rows of csa_calc_options, shared by every method.
 * Adding a method is a new function and a row (assess/calc.c); `csa help
 * calc` is written from the rows. */
#ifndef CSA_CALC_H
#define CSA_CALC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csa/error.h"
#include "csa/stats.h"
#include "csa/table.h"
#include "csa/trend.h"

enum {
    CSA_CALC_MAX_BY = 4,       /* --by columns */
    CSA_CALC_MAX_YES = 16,     /* --yes answers */
    CSA_CALC_MAX_NUMERIC = 8,  /* columns a method reads as numbers */
    CSA_CALC_LIST_MAX = 1024,  /* the text of one list option */
};

/* What the options say. A column option not given is NULL. */
typedef struct csa_calc_args {
    const char *count, *denominator, *value, *lower, *upper, *band, *expected, *ref_count,
        *ref_population, *answer, *weight, *wave, *standard, *quantile, *period,
        *event_frequency;
    const char *by[CSA_CALC_MAX_BY];
    size_t nby;
    const char *yes[CSA_CALC_MAX_YES]; /* answers counted as yes; none: yes/no words */
    size_t nyes;
    double per;          /* the multiplier; the method's default unless --per */
    double comparator;   /* NaN unless --comparator */
    csa_polarity polarity;
    bool proportion;     /* --kind proportion (trend, funnel, sii) */
    bool normal;         /* sii: --kind normal (values neither rates nor proportions) */
    bool ratio, dsr;     /* funnel: --kind ratio (observed / expected), --kind dsr */
    bool nonindependent; /* dsr: --independent-events no */
    unsigned long seed;
    csa_spc_chart chart;
    size_t baseline;     /* spc: points that set the limits; 0 all */
    bool keep_large_moving_ranges; /* spc: --moving-ranges all (the spreadsheets') */
    size_t window;       /* rolling: rows in each sum */
    csa_levels levels;
    int decimals;        /* places written for doubles */
    uint64_t given;      /* bit i: csa_calc_options[i] was given */
    char lists[2][CSA_CALC_LIST_MAX]; /* copies of --by's and --yes's text, split */
} csa_calc_args;

/* The table a method reads: one column per header field, text except the
 * method's numeric columns (csa_calc_numeric), which are doubles; frozen. */
typedef struct csa_calc_input {
    const csa_table *table;
    const uint64_t *lines; /* the file line of each row, for errors */
    const char *name;      /* the file's name, for errors */
} csa_calc_input;

/* A method: on success *out is a new table, the caller's to free. */
typedef csa_status (*csa_calc_fn)(const csa_calc_args *a, const csa_calc_input *in,
                                  csa_table **out, csa_error *err);

typedef struct csa_calc_method {
    const char *name;      /* "rate" */
    const char *summary;   /* what it computes, one or two sentences */
    const char *reference; /* the published method, and the package it matches */
    /* What it does with missing (blank), suppressed (*, .., c) and zero
     * inputs, for `csa help calc METHOD`. */
    const char *inputs_note;
    /* The column options it needs: all the options of one of these sets
     * (names without "--", separated by spaces). */
    const char *inputs[2];
    const char *options;   /* the other options it takes (--decimals: every method) */
    const char *numeric;   /* the options whose columns are read as numbers */
    double per;            /* --per when not given; 0: the method takes no --per */
    double per_proportion; /* the same with --kind proportion */
    /* Whether its numbers may be below 0 (NULL: never); a negative number
     * is otherwise stopped as the file is read, naming line and column. */
    bool (*signed_numbers)(const csa_calc_args *a);
    csa_calc_fn run;
} csa_calc_method;

/* An option, as --name ARG. */
typedef struct csa_calc_option {
    const char *name; /* "count" */
    const char *arg;  /* "COL", "N", "L[,L]" */
    const char *help; /* what it is, for `csa help calc` */
    /* Reads the option's value into *a; CSA_ERR_USAGE says why not. */
    csa_status (*set)(const struct csa_calc_option *o, csa_calc_args *a, const char *value,
                      csa_error *err);
    size_t column;    /* column options: offsetof the field in csa_calc_args */
} csa_calc_option;

extern const csa_calc_method csa_calc_methods[];
extern const size_t csa_calc_nmethods;
extern const csa_calc_option csa_calc_options[];
extern const size_t csa_calc_noptions;

/* The method called name, or NULL. */
const csa_calc_method *csa_calc_find(const char *name);

/* Whether m takes option i of csa_calc_options (as an input or an option),
 * and whether option i is one of m's set k of inputs. */
bool csa_calc_takes(const csa_calc_method *m, size_t i);
bool csa_calc_needs(const csa_calc_method *m, size_t k, size_t i);

/* *a with every default for m, nothing given. */
void csa_calc_start(const csa_calc_method *m, csa_calc_args *a);

/* Option i of csa_calc_options with its value. An option m does not
 * take, or a bad value, is CSA_ERR_USAGE with a message such as
 * "--per '0' is not a number above 0". value must outlive *a. */
csa_status csa_calc_set(const csa_calc_method *m, csa_calc_args *a, size_t i,
                        const char *value, csa_error *err);

/* After the options: CSA_ERR_USAGE unless every option of one of m's sets
 * of inputs is given ("calc rate needs --count COL and --denominator
 * COL"); sets --per's default for --kind when --per was not given. */
csa_status csa_calc_ready(const csa_calc_method *m, csa_calc_args *a, csa_error *err);

/* The columns m reads as numbers (room for CSA_CALC_MAX_NUMERIC), their
 * count returned, and whether they must be 0 or more. */
size_t csa_calc_numeric(const csa_calc_method *m, const csa_calc_args *a, const char **cols,
                        bool *nonnegative);

/* Runs m on in: its text columns must be in the table (CSA_ERR_FORMAT
 * "missing column" otherwise), then m->run. Errors about the data are
 * CSA_ERR_VALUE or CSA_ERR_FORMAT and name the file and, where there is
 * one, the line. */
csa_status csa_calc_run(const csa_calc_method *m, const csa_calc_args *a,
                        const csa_calc_input *in, csa_table **out, csa_error *err);

#endif
