/* csa: the strategic assessment engine. Dispatches to subcommands. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const cli_command *const commands[] = {
    &cli_run,
    &cli_init,
    &cli_validate,
    &cli_specs,
    &cli_rates,
    &cli_calc,
    &cli_submit,
    &cli_status,
    &cli_request,
};
enum { NCOMMANDS = sizeof commands / sizeof commands[0] };

static void print_overview(FILE *fp)
{
    fprintf(fp, "csa %s: the data engine of a Community Safety Partnership's strategic "
                "assessment\n\nUsage: csa COMMAND [OPTIONS]\n\nCommands:\n", CSA_VERSION);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(fp, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(fp, "  %-10s %s\n\n", "help", "show the help of a command: csa help COMMAND");
    fprintf(fp, "Options:\n  --help     this overview\n  --version  the version of csa\n");
}

static const cli_command *find(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_overview(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        print_overview(stdout);
        return EXIT_OK;
    }
    if (strcmp(name, "--version") == 0) {
        printf("csa %s\n", CSA_VERSION);
        return EXIT_OK;
    }
    if (strcmp(name, "help") == 0) {
        if (argc < 3) {
            print_overview(stdout);
            return EXIT_OK;
        }
        const cli_command *c = find(argv[2]);
        if (!c) {
            fprintf(stderr, "csa: no command '%s'; 'csa --help' lists them\n", argv[2]);
            return EXIT_USAGE;
        }
        if (argc > 3 && c->write_topic)
            return c->write_topic(stdout, argv[3]);
        cli_write_help(c, stdout);
        return EXIT_OK;
    }
    const cli_command *c = find(name);
    if (!c) {
        fprintf(stderr, "csa: no command '%s'; 'csa --help' lists them\n", name);
        return EXIT_USAGE;
    }
    for (int i = 2; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            if (c->write_topic && argc > 2 && argv[2][0] != '-')
                return c->write_topic(stdout, argv[2]);
            cli_write_help(c, stdout);
            return EXIT_OK;
        }
    return c->run(argc - 1, argv + 1);
}
