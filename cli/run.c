/* csa run: the whole strategic assessment from one config. Arguments in,
 * the assessment library does the work, progress and errors out. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

typedef struct progress {
    bool quiet, tty;
} progress;

static void on_stage(void *user, const char *what, double seconds)
{
    const progress *p = user;
    if (!p->quiet)
        fprintf(stderr, "%scsa run: %s (%.2f s)\n", p->tty ? "\r\033[K" : "", what, seconds);
}

/* A bar on a terminal while a stage works through its files. */
static void on_progress(void *user, const char *what, size_t done, size_t total)
{
    const progress *p = user;
    if (p->quiet || !p->tty || !total)
        return;
    int width = 30, filled = (int)(width * done / total);
    fprintf(stderr, "\r\033[Kcsa run: %s [%.*s%*s] %zu/%zu", what, filled,
            "##############################", width - filled, "", done, total);
    fflush(stderr);
}

static void on_message(void *user, const char *text)
{
    const progress *p = user;
    fprintf(stderr, "%scsa: %s\n", p->tty && !p->quiet ? "\r\033[K" : "", text);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void print_done(const csa_assess *a, unsigned formats, double seconds)
{
    const csa_assessment *res = csa_assess_result(a);
    fprintf(stderr, "csa run: priorities:");
    for (size_t i = 0; i < res->npriorities; i++)
        fprintf(stderr, "%s %zu. %s (%.2f)", i ? "," : "", res->priorities[i].rank,
                res->indicators[res->priorities[i].indicator].title, res->priorities[i].total);
    char shown[4096]; /* "csa-out", not "data-samples/../csa-out" */
    csa_error err;
    if (csa_path_relative(".", csa_assess_out_dir(a), shown, sizeof shown, &err))
        snprintf(shown, sizeof shown, "%s", csa_assess_out_dir(a));
    unsigned f = formats ? formats : CSA_FORMAT_ALL;
    fprintf(stderr, "\ncsa run: wrote assessment.xlsx, %s%stables, charts "
                    "and manifest.json to %s in %.2f s\n",
            f & CSA_FORMAT_PDF ? "assessment-pack.pdf, " : "",
            f & CSA_FORMAT_HTML ? "assessment.html, " : "", shown, seconds);
}

static int run_command(int argc, char **argv)
{
    static const struct option options[] = {
        {"out", required_argument, NULL, 'o'}, {"allow-invalid", required_argument, NULL, 'a'},
        {"format", required_argument, NULL, 'f'},
        {"quiet", no_argument, NULL, 'q'}, {NULL, 0, NULL, 0},
    };
    double t0 = now();
    progress p = {.tty = isatty(STDERR_FILENO)};
    csa_assess_options ao = {.user = &p, .on_stage = on_stage, .on_progress = on_progress,
                             .on_message = on_message};
    const char **allow = calloc((size_t)argc, sizeof *allow);
    size_t nallow = 0;
    int opt;
    if (!allow) {
        fprintf(stderr, "csa: out of memory\n");
        return EXIT_USAGE;
    }
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (opt) {
        case 'o': ao.out_dir = optarg; break;
        case 'a': allow[nallow++] = optarg; break;
        case 'q': p.quiet = true; break;
        case 'f':
            if (strcmp(optarg, "html") == 0)
                ao.formats = CSA_FORMAT_HTML;
            else if (strcmp(optarg, "pdf") == 0)
                ao.formats = CSA_FORMAT_PDF;
            else if (strcmp(optarg, "all") == 0)
                ao.formats = CSA_FORMAT_ALL;
            else {
                free(allow);
                return cli_usage("run", "run: --format takes html, pdf or all, not %s", optarg);
            }
            break;
        default:
            free(allow);
            return cli_usage("run", "run: unknown option or missing value: %s", argv[optind - 1]);
        }
    }
    if (optind != argc - 1) {
        free(allow);
        return cli_usage("run", "run takes one config file (csa init writes a starter)");
    }
    ao.allow_invalid = allow, ao.nallow_invalid = nallow;
    csa_config *cfg = NULL;
    csa_assess *a = NULL;
    csa_error err = {0};
    csa_config_errors problems = {0};
    csa_status st = csa_config_read(argv[optind], &cfg, &err, &problems);
    for (size_t i = 0; i < problems.n; i++)
        cli_print_error(&problems.v[i]);
    if (st && problems.n)
        err.message[0] = '\0'; /* each was printed */
    csa_config_errors_free(&problems);
    if (!st) /* inputs from = register: their latest valid submissions */
        st = csa_register_resolve(cfg, &err);
    if (!st)
        st = csa_assess_run(cfg, &ao, &a, &err);
    if (st && err.message[0])
        cli_print_error(&err);
    else if (!st && !p.quiet)
        print_done(a, ao.formats, now() - t0);
    csa_assess_free(a);
    csa_config_free(cfg);
    free(allow);
    return cli_exit_status(st);
}

const cli_command cli_run = {
    .name = "run",
    .summary = "the whole strategic assessment from one config (csa help run)",
    .write_help = csa_config_write_help,
    .run = run_command,
};
