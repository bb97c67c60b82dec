/* csa init: a commented starter config for csa run. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char init_help[] =
    "Usage: csa init [FILE]\n"
    "\n"
    "Writes a commented starter config for csa run to FILE (default\n"
    "assessment.ini); never overwrites an existing file. 'csa help run'\n"
    "explains every key.\n";

static int init_command(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "assessment.ini";
    if (argc > 2)
        return cli_usage("init", "init takes at most one file name");
    FILE *fp = fopen(path, "wx");
    if (!fp) {
        fprintf(stderr, "csa: %s: %s\n", path,
                errno == EEXIST ? "already exists; not overwritten" : strerror(errno));
        return EXIT_USAGE;
    }
    csa_config_write_starter(fp);
    bool ok = !ferror(fp);
    if (fclose(fp) != 0 || !ok) {
        fprintf(stderr, "csa: %s: cannot write\n", path);
        remove(path);
        return EXIT_USAGE;
    }
    fprintf(stderr, "csa init: wrote %s; edit it, then: csa run %s\n", path, path);
    return EXIT_OK;
}

const cli_command cli_init = {
    .name = "init",
    .summary = "write a commented starter config for csa run",
    .help = init_help,
    .run = init_command,
};
