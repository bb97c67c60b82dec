/* csa status: who has sent what, and who is late, from the register. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "Usage: csa status [--config FILE] [--json]\n"
    "\n"
    "Shows, for each partner of the config and each input they supply: the due\n"
    "date, when the latest submission was received, how many days after the due\n"
    "date (for an input not received, the days since it was due), whether it is\n"
    "valid (its errors and warnings), the months it covers and those of the\n"
    "period it lacks, the first 12 digits of its SHA-256 (the first file's, with\n"
    "+N for more files) and how many versions the register holds. Days are UTC\n"
    "days; today is SOURCE_DATE_EPOCH when set.\n"
    "\n"
    "Options:\n"
    "  --config FILE  the config (default assessment.ini)\n"
    "  --json         one JSON document instead of the table\n"
    "\n"
    "Exit status: 0 shown; 1 a damaged register; 2 bad usage or a bad config.\n";

enum { NCOLS = 12 };

static const char *const HEAD[NCOLS] = {"Partner", "Input", "Due", "Received", "Days late",
                                        "Status", "Errors", "Warnings", "Covers", "Missing",
                                        "Latest", "Versions"};

/* One row of the table: each cell malloc'd. */
typedef struct row {
    char *cell[NCOLS];
} row;

static char *text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *text(const char *fmt, ...)
{
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return s;
}

/* The row of one input of one partner: its latest submission (by this
 * partner) and how many there are. */
static bool make_row(const csa_config *cfg, const csa_config_partner *p, const char *input,
                     const csa_submission *subs, size_t n, int64_t today, row *r)
{
    const csa_submission *latest = NULL;
    size_t versions = 0;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(subs[i].partner, p->name))
            latest = latest ? latest : &subs[i], versions++;
    char due[32], day[32];
    cli_format_day((int64_t)p->due * 86400, due);
    r->cell[0] = strdup(p->name);
    r->cell[1] = strdup(input);
    r->cell[2] = strdup(due);
    r->cell[11] = text("%zu", versions);
    if (!latest) {
        r->cell[3] = strdup("-");
        r->cell[4] = text("%d", csa_days_late(today, p->due));
        r->cell[5] = strdup("not received");
        for (int c = 6; c < 11; c++)
            r->cell[c] = strdup("-");
    } else {
        cli_format_day(latest->received, day);
        r->cell[3] = strdup(day);
        r->cell[4] = text("%d", csa_days_late(latest->received, p->due));
        r->cell[5] = strdup(latest->valid ? "valid" : "not valid");
        r->cell[6] = text("%llu", (unsigned long long)latest->errors);
        r->cell[7] = text("%llu", (unsigned long long)latest->warnings);
        if (latest->months[0]) {
            int32_t first, last;
            const char *end = strrchr(latest->months, ' ');
            end = end ? end + 1 : latest->months;
            char range[CSA_PERIOD_TEXT_MAX], missing[1024];
            if (csa_parse_date(latest->months, 7, &first) &&
                csa_parse_date(end, strlen(end), &last))
                r->cell[8] = strdup(csa_month_range_label(first, last, CSA_MONTH_SHORT, range));
            else
                r->cell[8] = strdup(latest->months);
            csa_register_missing(latest, cfg->period_first, cfg->period_last, missing,
                                 sizeof missing);
            r->cell[9] = strdup(missing);
        } else {
            r->cell[8] = strdup("-");
            r->cell[9] = strdup("-");
        }
        r->cell[10] = latest->nfiles > 1 ? text("%.12s+%zu", latest->files[0].sha256,
                                                latest->nfiles - 1)
                                         : text("%.12s", latest->nfiles ? latest->files[0].sha256
                                                                        : "-");
    }
    for (int c = 0; c < NCOLS; c++)
        if (!r->cell[c])
            return false;
    return true;
}

static void print_json(const row *rows, size_t n, const char *reg)
{
    printf("{\"register\": ");
    csa_json_string(stdout, reg);
    printf(", \"inputs\": [");
    static const char *const KEYS[NCOLS] = {"partner", "input", "due", "received", "days_late",
                                            "status", "errors", "warnings", "covers", "missing",
                                            "latest_sha256", "versions"};
    for (size_t i = 0; i < n; i++) {
        printf("%s\n  {", i ? "," : "");
        for (int c = 0; c < NCOLS; c++) {
            const char *v = rows[i].cell[c];
            printf("%s\"%s\": ", c ? ", " : "", KEYS[c]);
            bool number = c == 4 || c == 6 || c == 7 || c == 11;
            if (!strcmp(v, "-"))
                printf("null");
            else if (number)
                printf("%s", v);
            else
                csa_json_string(stdout, v);
        }
        printf("}");
    }
    printf("\n]}\n");
}

static void print_table(const row *rows, size_t n)
{
    size_t width[NCOLS];
    for (int c = 0; c < NCOLS; c++) {
        width[c] = strlen(HEAD[c]);
        for (size_t i = 0; i < n; i++)
            if (strlen(rows[i].cell[c]) > width[c])
                width[c] = strlen(rows[i].cell[c]);
    }
    for (size_t i = 0; i <= n; i++)
        for (int c = 0; c < NCOLS; c++) {
            const char *v = i ? rows[i - 1].cell[c] : HEAD[c];
            if (c == NCOLS - 1)
                printf("%s\n", v);
            else
                printf("%-*s  ", (int)width[c], v);
        }
}

static int run(int argc, char **argv)
{
    static const struct option options[] = {
        {"config", required_argument, NULL, 'c'}, {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    const char *config = CLI_DEFAULT_CONFIG;
    bool json = false;
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (opt) {
        case 'c': config = optarg; break;
        case 'j': json = true; break;
        default:
            return cli_usage("status", "status: unknown option or missing value: %s",
                             argv[optind - 1]);
        }
    }
    if (optind != argc)
        return cli_usage("status", "status takes no FILE: --config names the config");
    csa_config *cfg = NULL;
    int status = cli_read_config(config, &cfg);
    if (status)
        return status;
    csa_register *reg = NULL;
    csa_error err = {0};
    csa_status st = csa_register_open(cfg->register_path, false, &reg, &err);
    if (st == CSA_ERR_NOT_FOUND)
        st = CSA_OK; /* nothing received yet: every input shows so */
    size_t nrows = 0, cap = 0;
    for (size_t p = 0; p < cfg->npartners; p++)
        cap += cfg->partners[p].inputs.n;
    row *rows = calloc(cap ? cap : 1, sizeof *rows);
    if (!st && !rows)
        st = csa_error_set(&err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    int64_t today = csa_run_time();
    for (size_t p = 0; p < cfg->npartners && !st; p++)
        for (size_t j = 0; j < cfg->partners[p].inputs.n && !st; j++) {
            const char *input = cfg->partners[p].inputs.v[j];
            csa_submission *subs = NULL;
            size_t n = 0;
            if (reg && (st = csa_register_history(reg, input, &subs, &n, &err)))
                break;
            if (!make_row(cfg, &cfg->partners[p], input, subs, n, today, &rows[nrows++]))
                st = csa_error_set(&err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
            csa_submissions_free(subs, n);
        }
    csa_register_close(reg);
    if (st) {
        cli_print_error(&err);
        status = cli_exit_status(st);
    } else if (json) {
        print_json(rows, nrows, cfg->register_path);
    } else {
        print_table(rows, nrows);
    }
    for (size_t i = 0; i < nrows; i++)
        for (int c = 0; c < NCOLS; c++)
            free(rows[i].cell[c]);
    free(rows);
    csa_config_free(cfg);
    return status;
}

const cli_command cli_status = {
    .name = "status",
    .summary = "who has sent what, and who is late: the submissions register per partner",
    .help = help,
    .run = run,
};
