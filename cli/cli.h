/* The csa command line: a table of subcommands, one file each. */
#ifndef CSA_CLI_H
#define CSA_CLI_H

#include <stdio.h>

#include "csa/csa.h"

/* Exit statuses of every subcommand. */
enum { EXIT_OK = 0, EXIT_DATA = 1, EXIT_USAGE = 2 };

typedef struct cli_command {
    const char *name;
    const char *summary; /* one line for `csa --help` */
    const char *help;    /* the whole of `csa help NAME`, or NULL: */
    void (*write_help)(FILE *fp); /* writes it, when made from a table */
    /* `csa help NAME TOPIC` and `csa NAME TOPIC --help` (calc's methods),
     * or NULL; returns an exit status (an unknown topic is bad usage). */
    int (*write_topic)(FILE *fp, const char *topic);
    int (*run)(int argc, char **argv);
} cli_command;

extern const cli_command cli_rates;
extern const cli_command cli_validate;
extern const cli_command cli_specs;
extern const cli_command cli_calc;
extern const cli_command cli_run;
extern const cli_command cli_init;
extern const cli_command cli_submit;
extern const cli_command cli_status;
extern const cli_command cli_request;

/* The exit status of every command for a status: 0 done; 1 a data
 * problem (a file's structure or values, duplicates, too many rejects,
 * limits of a file, codes not found in it); 2 bad usage, a bad config, a
 * file that cannot be read or written, out of memory. */
int cli_exit_status(csa_status st);

/* Writes `csa help NAME` of c to fp. */
void cli_write_help(const cli_command *c, FILE *fp);


/* "csa: file:line:col: message" on stderr. */
void cli_print_error(const csa_error *err);
/* "csa: message" on stderr; returns EXIT_USAGE for `return cli_usage(...)`. */
int cli_usage(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Reads the config at path, printing every problem; returns an exit
 * status (0: *out is the caller's, csa_config_free). */
int cli_read_config(const char *path, csa_config **out);
/* The index of [partner.NAME], or SIZE_MAX. */
size_t cli_find_partner(const csa_config *cfg, const char *name);
/* "2019-01-31": the day (UTC) of Unix time t. */
void cli_format_day(int64_t t, char buf[32]);
/* The config csa submit, csa status and csa request read without --config. */
#define CLI_DEFAULT_CONFIG "assessment.ini"

#endif
