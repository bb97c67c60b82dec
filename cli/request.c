/* csa request: what each partner needs to send, by when. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "csa/file.h"

static const char help[] =
    "Usage: csa request [--config FILE] [--out DIR] [--partner NAME]...\n"
    "\n"
    "Writes, for each [partner.NAME] of the config, a folder DIR/NAME of what they\n"
    "need to send: INPUT-template.csv for each input they supply, with the exact\n"
    "header csa reads; request.xlsx, describing every column (type, whether it is\n"
    "required, the values allowed, an example and what it is), the period and\n"
    "the due date; letter.pdf, a one-page letter saying what to send by when and\n"
    "how it will be checked; and manifest.json. Each folder is replaced whole,\n"
    "all or nothing, as csa run replaces its output folder.\n"
    "\n"
    "Options:\n"
    "  --config FILE   the config (default assessment.ini)\n"
    "  --out DIR       where the partners' folders go (default: requests beside\n"
    "                  the config)\n"
    "  --partner NAME  only this partner (repeat for several)\n"
    "  --validator FILE  the validator page to put in each folder as\n"
    "                  validator.html (default: web/validator.html beside csa,\n"
    "                  where 'ninja -C build web/validator.html' makes it, then\n"
    "                  ../share/csa/validator.html from csa's folder, then\n"
    "                  " CSA_VALIDATOR_INSTALLED ")\n"
    "\n"
    "Exit status: 0 written; 2 bad usage, a bad config, or a folder that cannot\n"
    "be written.\n";

/* The validator page: web/validator.html beside csa (in the build folder,
 * where 'ninja -C build web/validator.html' makes it), then
 * ../share/csa/validator.html from csa's folder (installed, wherever the
 * installation was moved to), then where `meson install` puts it; into
 * buf. NULL when there is none. */
static const char *find_page(char *buf, size_t size)
{
    char dir[PATH_MAX];
    if (csa_program_dir(dir, sizeof dir)) {
        static const char *const rel[] = {"/web/validator.html", "/../share/csa/validator.html"};
        for (size_t k = 0; k < sizeof rel / sizeof rel[0]; k++) {
            snprintf(buf, size, "%s%s", dir, rel[k]);
            if (access(buf, R_OK) == 0)
                return buf;
        }
    }
    snprintf(buf, size, "%s", CSA_VALIDATOR_INSTALLED);
    return access(buf, R_OK) == 0 ? buf : NULL;
}

static int run(int argc, char **argv)
{
    static const struct option options[] = {
        {"config", required_argument, NULL, 'c'}, {"out", required_argument, NULL, 'o'},
        {"partner", required_argument, NULL, 'p'}, {"validator", required_argument, NULL, 'v'},
        {NULL, 0, NULL, 0},
    };
    const char *config = CLI_DEFAULT_CONFIG, *out = NULL, *page = NULL;
    char found[PATH_MAX + 32];
    const char **only = calloc((size_t)argc, sizeof *only);
    size_t nonly = 0;
    int opt;
    if (!only) {
        fprintf(stderr, "csa: out of memory\n");
        return EXIT_USAGE;
    }
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (opt) {
        case 'c': config = optarg; break;
        case 'o': out = optarg; break;
        case 'p': only[nonly++] = optarg; break;
        case 'v': page = optarg; break;
        default:
            free(only);
            return cli_usage("request", "request: unknown option or missing value: %s",
                             argv[optind - 1]);
        }
    }
    if (optind != argc) {
        free(only);
        return cli_usage("request", "request takes no FILE: --config names the config");
    }
    csa_config *cfg = NULL;
    int status = cli_read_config(config, &cfg);
    char *base = NULL;
    if (status)
        goto done;
    for (size_t k = 0; k < nonly; k++)
        if (cli_find_partner(cfg, only[k]) == SIZE_MAX) {
            status = cli_usage("request", "request: %s declares no [partner.%s]", config,
                               only[k]);
            goto done;
        }
    if (!cfg->npartners) {
        status = cli_usage("request", "request: %s declares no [partner.NAME] ('csa help run')",
                           config);
        goto done;
    }
    if (page && access(page, R_OK) != 0) {
        fprintf(stderr, "csa: %s: cannot read the validator page: %s\n", page, strerror(errno));
        status = EXIT_USAGE;
        goto done;
    }
    const char *slash = strrchr(config, '/');
    if (out ? !(base = strdup(out))
            : asprintf(&base, "%.*srequests", slash ? (int)(slash - config) + 1 : 0, config) < 0) {
        fprintf(stderr, "csa: out of memory\n");
        status = EXIT_USAGE;
        goto done;
    }
    if (mkdir(base, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "csa: %s: cannot make the folder: %s\n", base, strerror(errno));
        status = EXIT_USAGE;
        goto done;
    }
    if (!page && !(page = find_page(found, sizeof found)))
        fprintf(stderr, "csa request: warning: no validator page to send (build it with "
                        "'ninja -C build web/validator.html', or give --validator FILE): the "
                        "letters name csa validate only\n");
    for (size_t p = 0; p < cfg->npartners && !status; p++) {
        bool wanted = !nonly;
        for (size_t k = 0; k < nonly; k++)
            wanted |= !strcmp(only[k], cfg->partners[p].name);
        if (!wanted)
            continue;
        char *dir = NULL;
        csa_error err = {0};
        if (asprintf(&dir, "%s/%s", base, cfg->partners[p].name) < 0) {
            fprintf(stderr, "csa: out of memory\n");
            status = EXIT_USAGE;
            break;
        }
        csa_status st = csa_request_write(cfg, p, dir, page, &err);
        if (st) {
            cli_print_error(&err);
            status = cli_exit_status(st);
        } else {
            printf("csa request: wrote %s: %zu template%s, request.xlsx, %sletter.pdf for %s\n",
                   dir, cfg->partners[p].inputs.n, cfg->partners[p].inputs.n == 1 ? "" : "s",
                   page ? "validator.html, " : "", cfg->partners[p].organisation);
        }
        free(dir);
    }
done:
    free(base);
    free(only);
    csa_config_free(cfg);
    return status;
}

const cli_command cli_request = {
    .name = "request",
    .summary = "write each partner what to send by when: templates, a workbook and a letter",
    .help = help,
    .run = run,
};
