/* csa rates: police.uk crimes, IMD deciles and LSOA populations to rates
 * per 1,000 residents by crime type and deprivation decile. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csa/present.h"
#include "csa/assess.h"
#include "csa/chart.h"

static const char help[] =
    "Usage: csa rates --crimes FILE... --imd FILE --population FILE [--la CODE] [--out DIR]\n"
    "\n"
    "Counts police.uk street-level crimes by crime type and IMD 2019 deprivation\n"
    "decile, and gives each count as a rate per 1,000 residents with a 95%\n"
    "confidence interval (Byar's method; exact Poisson below 10 events).\n"
    "\n"
    "Options:\n"
    "  --crimes FILE...   police.uk street files (spec police-street), any number;\n"
    "                     files after the options are read as crime files too\n"
    "  --imd FILE         IMD LSOA file (spec imd): LSOA code, LA code, decile\n"
    "  --population FILE  LSOA population file (spec population); with a year\n"
    "                     column of several years, the estimate of the year of\n"
    "                     the months read (their middle month) or the nearest\n"
    "  --la CODE          keep crimes in the LSOAs that the IMD file gives to this\n"
    "                     local authority (such as E06000042); default: every LSOA\n"
    "                     in the IMD file\n"
    "  --out DIR          output folder (default ./csa-out), created if missing\n"
    "\n"
    "Writes rates.csv, rates.xlsx and rates-by-decile.png to DIR, all or none:\n"
    "a run that fails leaves earlier outputs as they were. Prints the row\n"
    "accounting on stderr: every row read is accepted, without an LSOA, outside\n"
    "the area, in an LSOA with no population, or rejected with a reason.\n"
    "\n"
    "An LSOA has no population when the population file has no row for it or\n"
    "gives it 0 residents (as in csa run). Its crimes are left out of the rates,\n"
    "counted as \"No population\" and named in a warning, so that no count is\n"
    "divided by 0 or by another set of LSOAs' residents. The IMD and population\n"
    "files must be whole: any bad row in them stops the run. A bad row in a\n"
    "crime file is rejected and counted; more than 1% of a file's rows rejected\n"
    "stops the run.\n"
    "\n"
    "The crime files must cover the area: when more than half of its LSOAs have\n"
    "no crime row over the months read (another force's files), the run stops\n"
    "naming the forces and LAs the files do cover, rather than write rates of 0.\n"
    "More than 10% of its LSOAs without a row, or a month the files have for\n"
    "other areas but not for it, is a warning, also written in rates.xlsx.\n"
    "A month of one force in two files (a file given twice, a download saved\n"
    "again as \"... (1).csv\") stops the run: it would be counted twice.\n"
    "\n"
    "Exit status: 0 done; 1 a data problem (a bad value, row or column in an\n"
    "input, too many rejected rows, an LA code not in the IMD file, files that\n"
    "do not cover the area, a month twice); 2 bad usage,\n"
    "a file that cannot be read or written, out of memory.\n"
    "\n"
    "Example:\n"
    "  csa rates --crimes data-samples/police/*.csv \\\n"
    "      --imd data-samples/imd2019-milton-keynes.csv \\\n"
    "      --population data-samples/population-milton-keynes.csv --la E06000042\n";

enum { SHOW_REJECTS = 3, SHOW_UNPOPULATED = 20 };

static void print_rejects(const csa_rates_file *f)
{
    for (size_t i = 0; i < f->stats.nkept && i < SHOW_REJECTS; i++) {
        char buf[CSA_ERROR_FILE_MAX + CSA_ERROR_MESSAGE_MAX + 64];
        fprintf(stderr, "csa: warning: %s (row rejected)\n",
                csa_error_format(&f->stats.first_rejects[i], buf, sizeof buf));
    }
    if (f->stats.rows_rejected > SHOW_REJECTS)
        fprintf(stderr, "csa: warning: %s: %llu more rows rejected\n", f->path,
                (unsigned long long)(f->stats.rows_rejected - SHOW_REJECTS));
}

/* The accounting table's "All files" row on stderr. */
static void print_accounting(const csa_table *acc, size_t nfiles)
{
    size_t last = csa_table_nrows(acc) - 1;
    char n[32];
    int width = 0;
    for (size_t c = 1; c + 1 < csa_table_ncols(acc); c++)
        if ((int)strlen(csa_table_column_name(acc, c)) > width)
            width = (int)strlen(csa_table_column_name(acc, c));
    fprintf(stderr, "csa rates: %zu crime file%s\n", nfiles, nfiles == 1 ? "" : "s");
    for (size_t c = 1; c + 1 < csa_table_ncols(acc); c++)
        fprintf(stderr, "  %-*s %12s\n", width, csa_table_column_name(acc, c),
                csa_format_number((double)csa_table_int64s(acc, c)[last], 0, n, sizeof n));
    if (csa_table_valid(acc, csa_table_ncols(acc) - 1, last)) {
        size_t c = csa_table_ncols(acc) - 1;
        fprintf(stderr, "  rejected for: %s\n",
                csa_dict_string(csa_table_dict(acc, c), csa_table_codes(acc, c)[last], NULL));
    }
}

static void warn_unpopulated(const csa_decile_rates *dr, const char *area)
{
    if (!dr->nunpopulated)
        return;
    uint64_t events = 0;
    for (size_t i = 0; i < dr->nunpopulated; i++)
        events += dr->unpopulated[i].events;
    fprintf(stderr, "csa: warning: %llu crimes in %zu LSOAs of %s with no population (no row, "
                    "or 0) are left out of the rates:", (unsigned long long)events, dr->nunpopulated, area);
    for (size_t i = 0; i < dr->nunpopulated && i < SHOW_UNPOPULATED; i++)
        fprintf(stderr, "%s %s (%llu)", i ? "," : "", dr->unpopulated[i].code,
                (unsigned long long)dr->unpopulated[i].events);
    if (dr->nunpopulated > SHOW_UNPOPULATED)
        fprintf(stderr, " and %zu more (all in rates.xlsx)", dr->nunpopulated - SHOW_UNPOPULATED);
    fputc('\n', stderr);
}

/* The all-crime rows of the result as a bar chart. */
static csa_status write_chart(const csa_decile_rates *dr, const char *total_label,
                              const char *subtitle, const char *source, const char *path,
                              csa_error *err)
{
    const csa_table *t = dr->result.table;
    const char *labels[10];
    double values[10], lower[10], upper[10];
    const char *const *decile_labels = csa_decile_labels();
    const uint32_t *cat = csa_table_codes(t, 0);
    uint32_t total = csa_dict_find(csa_table_dict(t, 0), total_label, strlen(total_label));
    size_t n = 0;
    for (size_t r = 0; r < csa_table_nrows(t) && n < 10; r++) {
        if (cat[r] != total)
            continue;
        labels[n] = decile_labels[csa_table_int64s(t, 1)[r] - 1];
        values[n] = csa_table_valid(t, 4, r) ? csa_table_doubles(t, 4)[r] : NAN;
        lower[n] = csa_table_valid(t, 5, r) ? csa_table_doubles(t, 5)[r] : NAN;
        upper[n] = csa_table_valid(t, 6, r) ? csa_table_doubles(t, 6)[r] : NAN;
        n++;
    }
    char title[160], ylabel[96];
    snprintf(title, sizeof title, "%s %s by deprivation decile", total_label, dr->result.unit);
    snprintf(ylabel, sizeof ylabel, "Crimes %s", dr->result.unit);
    /* no SII line: rates reports rates, not inequality measures */
    csa_chart chart = csa_chart_init(CSA_CHART_DECILE);
    chart.title = title, chart.subtitle = subtitle;
    chart.x_label = "IMD 2019 decile (1 = most deprived 10% of LSOAs in England)";
    chart.y_label = ylabel, chart.source = source, chart.n = n, chart.labels = labels;
    chart.values = values, chart.lower = lower, chart.upper = upper;
    return csa_chart_png(&chart, 1200, 800, path, err);
}

static int run(int argc, char **argv)
{
    static const struct option options[] = {
        {"crimes", required_argument, NULL, 'c'}, {"imd", required_argument, NULL, 'i'},
        {"population", required_argument, NULL, 'p'}, {"la", required_argument, NULL, 'l'},
        {"out", required_argument, NULL, 'o'}, {NULL, 0, NULL, 0},
    };
    const char *imd_path = NULL, *pop_path = NULL, *la = NULL, *out_dir = "csa-out";
    csa_rates_file *files = calloc((size_t)argc, sizeof *files);
    size_t nfiles = 0;
    csa_table *imd = NULL, *pop = NULL;
    csa_rates *rates = NULL;
    csa_outdir *od = NULL;
    csa_digests *digests = NULL;
    const char **paths = NULL;
    csa_error err = {0};
    int status = EXIT_USAGE, opt;
    if (!files) {
        fprintf(stderr, "csa: out of memory\n");
        goto done;
    }
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (opt) {
        case 'c': files[nfiles++].path = optarg; break;
        case 'i': imd_path = optarg; break;
        case 'p': pop_path = optarg; break;
        case 'l': la = optarg; break;
        case 'o': out_dir = optarg; break;
        default:
            status = cli_usage("rates", "rates: unknown option or missing value: %s",
                               argv[optind - 1]);
            goto done;
        }
    }
    if (nfiles)
        for (int i = optind; i < argc; i++)
            files[nfiles++].path = argv[i];
    else if (optind < argc) {
        status = cli_usage("rates", "rates: '%s' is not an option; crime files follow --crimes",
                           argv[optind]);
        goto done;
    }
    if (!nfiles || !imd_path || !pop_path) {
        status = cli_usage("rates", "rates needs --crimes, --imd and --population");
        goto done;
    }

    /* the inputs' digests for the manifest, worked out while they are read */
    paths = calloc(nfiles + 2, sizeof *paths);
    if (!paths) {
        csa_error_set(&err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < nfiles; i++)
        paths[i] = files[i].path;
    paths[nfiles] = imd_path;
    paths[nfiles + 1] = pop_path;
    if (csa_digests_start(paths, nfiles + 2, &digests, &err))
        goto fail;

    /* Everything is read and computed before any output is opened: an
     * error anywhere leaves the output folder as it was. */
    static const char *const imd_cols[] = {"LSOA code", "LA code", "LA name", "IMD decile",
                                           "LSOA name"};
    static const char *const pop_cols[] = {"area code", "population", "year"};
    if (csa_ingest_reference(imd_path, csa_spec_find("imd"), imd_cols, 5, &imd, &err) ||
        csa_ingest_reference(pop_path, csa_spec_find("population"), pop_cols, 3, &pop,
                             &err) ||
        csa_rates_create(files, nfiles, &rates, &err))
        goto fail;
    for (size_t i = 0; i < nfiles; i++) {
        csa_status st = csa_rates_count(rates, i, 1 /* the digests */, &err);
        print_rejects(&files[i]);
        if (st)
            goto fail;
    }
    if (csa_rates_compute(rates, imd, imd_path, pop, la, &err))
        goto fail;
    const csa_decile_rates *dr = rates->deciles;

    char subtitle[256], source[512], note[2048];
    snprintf(subtitle, sizeof subtitle, "%s, %s; %zu LSOAs", rates->area, rates->period,
             dr->nareas);
    snprintf(source, sizeof source,
             "Source: police.uk street-level crime (%s); English Indices of Deprivation 2019 "
             "(MHCLG); ONS population estimates. Whiskers: %g%% confidence intervals "
             "(Byar's method; exact Poisson below 10 events).",
             rates->period, dr->result.level);
    /* partial coverage is a caveat on the rates themselves, not only on stderr */
    char years[300] = "";
    if (rates->pop_year) {
        snprintf(years, sizeof years, " Residents: mid-%d estimates (the population file has %s%s).",
                 rates->pop_year, rates->pop_years,
                 rates->pop_year != rates->pop_year_want ? "; the nearest to the months read"
                                                         : "");
        fprintf(stderr, "csa: population: mid-%d estimates, of %s in %s%s\n", rates->pop_year,
                rates->pop_years, pop_path,
                rates->pop_year != rates->pop_year_want ? " (the nearest to the months read)"
                                                        : "");
    }
    snprintf(note, sizeof note, "%s, %s. %s. Counts include anti-social behaviour.%s%s%s",
             rates->area, rates->period, dr->result.method, years, rates->warnings ? " " : "",
             rates->warnings ? rates->warnings : "");
    note[0] = (char)(note[0] >= 'a' && note[0] <= 'z' ? note[0] - 32 : note[0]);

    const char *csv_path, *xlsx_path, *png_path;
    if (csa_outdir_open(out_dir, &od, &err) ||
        csa_outdir_add(od, "rates.csv", &csv_path, &err) ||
        csa_outdir_add(od, "rates.xlsx", &xlsx_path, &err) ||
        csa_outdir_add(od, "rates-by-decile.png", &png_path, &err))
        goto fail;
    char title[200];
    snprintf(title, sizeof title, "Crime %s by crime type and deprivation decile",
             dr->result.unit);
    csa_sheet sheets[] = {
        {"Rates", title, note, dr->result.table, 2},
        {"Row accounting", "Row accounting: where every row of every crime file went",
         "Rows read = accepted + without LSOA + outside the area + no population + rejected.",
         rates->accounting, 0},
        {"No population", "LSOAs of the area with crimes but no population (no row, or 0)",
         "Their crimes are left out of the rates: the population file does not cover them "
         "(LSOA boundary changes) or gives them no residents.", rates->unpopulated, 0},
    };
    csa_manifest_input *inputs = calloc(nfiles + 2, sizeof *inputs);
    if (!inputs) {
        csa_error_set(&err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < nfiles; i++)
        inputs[i] = (csa_manifest_input){.path = files[i].path, .spec = "police-street",
                                         .rows = files[i].stats.rows_read};
    inputs[nfiles] = (csa_manifest_input){.path = imd_path, .spec = "imd",
                                          .rows = csa_table_nrows(imd)};
    inputs[nfiles + 1] = (csa_manifest_input){.path = pop_path, .spec = "population",
                                              .rows = csa_table_nrows(pop)};
    /* the outputs are written while the inputs may still be being hashed;
     * the manifest, last, needs the digests */
    bool written = !csa_write_csv(dr->result.table, 4, csv_path, &err) &&
                   !csa_write_xlsx(sheets, 3, xlsx_path, &err) &&
                   !write_chart(dr, "All crime", subtitle, source, png_path, &err) &&
                   !csa_digests_wait(digests, &err);
    for (size_t i = 0; written && i < nfiles + 2; i++)
        inputs[i].sha256 = csa_digests_hex(digests, i, &inputs[i].bytes);
    written = written && !csa_outdir_manifest(od, "rates", inputs, nfiles + 2, &err);
    free(inputs);
    if (!written || csa_outdir_commit(od, &err))
        goto fail;

    print_accounting(rates->accounting, nfiles);
    warn_unpopulated(dr, la ? la : "the IMD file");
    if (rates->warnings)
        fprintf(stderr, "csa: warning: --crimes: %s\n", rates->warnings);
    fprintf(stderr, "csa rates: wrote rates.csv, rates.xlsx, rates-by-decile.png and "
                    "manifest.json to %s\n", out_dir);
    status = EXIT_OK;
    goto done;
fail:
    if (od)
        csa_outdir_name_error(od, &err);
    cli_print_error(&err);
    status = err.status ? cli_exit_status(err.status) : EXIT_USAGE;
done:
    csa_digests_free(digests);
    free(paths);
    csa_outdir_free(od);
    csa_rates_free(rates);
    csa_table_free(imd);
    csa_table_free(pop);
    free(files);
    return status;
}

const cli_command cli_rates = {
    .name = "rates",
    .summary = "crime rates per 1,000 residents by crime type and IMD decile",
    .help = help,
    .run = run,
};
