/* What every subcommand shares. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

