/* What every subcommand shares. */
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "cli.h"

int cli_exit_status(csa_status st)
{
    switch (st) {
    case CSA_OK:
        return EXIT_OK;
    case CSA_ERR_FORMAT:
    case CSA_ERR_VALUE:
    case CSA_ERR_DUPLICATE:
    case CSA_ERR_NOT_FOUND:
    case CSA_ERR_LIMIT:
    case CSA_ERR_REJECTS:
        return EXIT_DATA;
    case CSA_ERR_NOMEM:
    case CSA_ERR_IO:
    case CSA_ERR_USAGE:
    case CSA_ERR_STATE:
        break;
    }
    return EXIT_USAGE;
}

void cli_write_help(const cli_command *c, FILE *fp)
{
    if (c->write_help)
        c->write_help(fp);
    else
        fputs(c->help, fp);
}

void cli_print_error(const csa_error *err)
{
    char buf[CSA_ERROR_FILE_MAX + CSA_ERROR_MESSAGE_MAX + 64];
    fprintf(stderr, "csa: %s\n", csa_error_format(err, buf, sizeof buf));
}

int cli_usage(const char *command, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("csa: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'csa help %s'.\n", command);
    return EXIT_USAGE;
}


int cli_read_config(const char *path, csa_config **out)
{
    csa_error err = {0};
    csa_config_errors problems = {0};
    csa_status st = csa_config_read(path, out, &err, &problems);
    for (size_t i = 0; i < problems.n; i++)
        cli_print_error(&problems.v[i]);
    if (st && !problems.n)
        cli_print_error(&err);
    csa_config_errors_free(&problems);
    return cli_exit_status(st);
}

size_t cli_find_partner(const csa_config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->npartners; i++)
        if (!strcmp(cfg->partners[i].name, name))
            return i;
    return SIZE_MAX;
}

void cli_format_day(int64_t t, char buf[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, 32, "%Y-%m-%d", &tm);
}
