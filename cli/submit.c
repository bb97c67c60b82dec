/* csa submit: the analyst records a partner's files in the register. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "Usage: csa submit --partner NAME [--input INPUT] [--config FILE] FILE...\n"
    "\n"
    "Records what a partner sent: the files (one submission of one input; several\n"
    "files are monthly extracts, checked as a set) are copied into the register's\n"
    "store by their SHA-256, validated as csa run will validate them, and recorded\n"
    "in the submissions register with when they were received (SOURCE_DATE_EPOCH\n"
    "when set, else now), their rows, the months they cover and every finding. A\n"
    "submission with errors is recorded too, as not valid: csa status shows it,\n"
    "and csa run uses an input's latest valid submission (from = register).\n"
    "Every version is kept: nothing in the store is ever overwritten.\n"
    "\n"
    "Options:\n"
    "  --partner NAME   the [partner.NAME] of the config who sent the files\n"
    "  --input INPUT    which of the partner's inputs they are (needed when the\n"
    "                   partner supplies more than one)\n"
    "  --config FILE    the config (default assessment.ini); its [assessment]\n"
    "                   register names the register (default submissions.sqlite\n"
    "                   beside the config), made by the first submission\n"
    "\n"
    "Exit status: 0 recorded and valid; 1 recorded, with errors (listed), or a\n"
    "damaged register; 2 bad usage, a bad config, or a file that cannot be read\n"
    "(nothing recorded).\n";

static int run(int argc, char **argv)
{
    static const struct option options[] = {
        {"partner", required_argument, NULL, 'p'}, {"input", required_argument, NULL, 'i'},
        {"config", required_argument, NULL, 'c'}, {NULL, 0, NULL, 0},
    };
    const char *partner_name = NULL, *input_name = NULL, *config = CLI_DEFAULT_CONFIG;
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (opt) {
        case 'p': partner_name = optarg; break;
        case 'i': input_name = optarg; break;
        case 'c': config = optarg; break;
        default:
            return cli_usage("submit", "submit: unknown option or missing value: %s",
                             argv[optind - 1]);
        }
    }
    if (!partner_name)
        return cli_usage("submit", "submit needs --partner NAME (a [partner.NAME] of the config)");
    if (optind >= argc)
        return cli_usage("submit", "submit needs at least one FILE");
    csa_config *cfg = NULL;
    int status = cli_read_config(config, &cfg);
    if (status)
        return status;
    size_t p = cli_find_partner(cfg, partner_name), input = SIZE_MAX;
    const csa_config_partner *partner = p == SIZE_MAX ? NULL : &cfg->partners[p];
    if (!partner) {
        status = cli_usage("submit", "submit: %s declares no [partner.%s]", config, partner_name);
        goto done;
    }
    char inputs[512] = "";
    for (size_t j = 0; j < partner->inputs.n; j++)
        snprintf(inputs + strlen(inputs), sizeof inputs - strlen(inputs), "%s%s",
                 j ? ", " : "", partner->inputs.v[j]);
    if (!input_name && partner->inputs.n > 1) {
        status = cli_usage("submit", "submit: [partner.%s] supplies %s: say which with --input",
                           partner->name, inputs);
        goto done;
    }
    if (!input_name)
        input_name = partner->inputs.v[0];
    for (size_t j = 0; j < partner->inputs.n && input == SIZE_MAX; j++)
        if (!strcmp(partner->inputs.v[j], input_name))
            for (size_t i = 0; i < cfg->ninputs; i++)
                if (!strcmp(cfg->inputs[i].name, input_name))
                    input = i;
    if (input == SIZE_MAX) {
        status = cli_usage("submit", "submit: [partner.%s] does not supply input '%s': its "
                           "inputs are %s", partner->name, input_name, inputs);
        goto done;
    }
    csa_register *reg = NULL;
    csa_submit_result *res = NULL;
    csa_error err = {0};
    csa_status st = csa_register_open(cfg->register_path, true, &reg, &err);
    if (!st)
        st = csa_register_submit(reg, cfg, p, input, (const char *const *)argv + optind,
                                 (size_t)(argc - optind), csa_run_time(), &res, &err);
    csa_register_close(reg);
    if (st) {
        cli_print_error(&err);
        status = cli_exit_status(st);
        goto done;
    }
    const csa_submission *s = &res->sub;
    for (size_t f = 0; f < s->nfiles; f++)
        csa_validation_print_text(stdout, s->files[f].name, res->checked[f], false);
    if (res->set) {
        char label[64];
        snprintf(label, sizeof label, "all %zu files", s->nfiles);
        csa_validation_print_text(stdout, label, res->set, false);
    }
    char day[32], due[32];
    cli_format_day(s->received, day);
    cli_format_day((int64_t)partner->due * 86400, due);
    int late = csa_days_late(s->received, partner->due);
    printf("csa submit: recorded submission %lld: [input.%s] from [partner.%s], received %s "
           "(due %s%s", (long long)s->id, s->input, s->partner, day, due,
           late ? ", " : ", on time");
    if (late)
        printf("%d day%s late", late, late == 1 ? "" : "s");
    printf("), %s (%llu error%s, %llu warning%s), %llu rows", s->valid ? "valid" : "NOT valid",
           (unsigned long long)s->errors, s->errors == 1 ? "" : "s",
           (unsigned long long)s->warnings, s->warnings == 1 ? "" : "s",
           (unsigned long long)s->rows);
    for (size_t f = 0; f < s->nfiles; f++)
        printf("%s %.12s", f ? "," : "; stored as", s->files[f].sha256);
    printf("\n");
    status = s->valid ? EXIT_OK : EXIT_DATA;
    csa_submit_result_free(res);
done:
    csa_config_free(cfg);
    return status;
}

const cli_command cli_submit = {
    .name = "submit",
    .summary = "record a partner's files in the submissions register, validated",
    .help = help,
    .run = run,
};
