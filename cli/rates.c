/* csa rates: police.uk crimes, IMD deciles and LSOA populations to rates
 * per 1,000 residents by crime type and deprivation decile. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
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
    "  --population FILE  LSOA population file (spec population)\n"
    "  --la CODE          keep crimes in the LSOAs that the IMD file gives to this\n"
    "                     local authority (such as E06000042); default: every LSOA\n"
    "                     in the IMD file\n"
    "  --out DIR          output folder (default ./csa-out), created if missing\n"
    "\n"
    "Writes rates.csv, rates.xlsx and rates-by-decile.png to DIR, all or none:\n"
    "a run that fails leaves earlier outputs as they were. Prints the row\n"
    "accounting on stderr: every row read is accepted, without an LSOA, outside\n"
    "the area, in an LSOA with no population row, or rejected with a reason.\n"
    "\n"
    "Crimes in an LSOA of the area that has no population row are left out of\n"
    "the rates and named in a warning, so that no count is divided by another\n"
    "set of LSOAs' residents. The IMD and population files must be whole: any\n"
    "bad row in them stops the run. A bad row in a crime file is rejected and\n"
    "counted; more than 1% of a file's rows rejected stops the run.\n"
    "\n"
    "Exit status: 0 done, 2 bad usage, unreadable or invalid input.\n"
    "\n"
    "Example:\n"
    "  csa rates --crimes data-samples/police/*.csv \\\n"
    "      --imd data-samples/imd2019-milton-keynes.csv \\\n"
    "      --population data-samples/population-milton-keynes.csv --la E06000042\n";

enum { SHOW_REJECTS = 3, SHOW_UNPOPULATED = 20 };

typedef struct crime_file {
    const char *path;
    csa_ingest_stats stats;
} crime_file;

static void print_rejects(const crime_file *f)
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

/* "2 wrong number of fields, 1 unreadable Month"; "" when none. */
static void reject_reasons(const csa_ingest_stats *s, const csa_spec *spec, char *buf,
                           size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int why = 0; why < CSA_REJECT_NREASONS; why++) {
        if (!s->by_reason[why])
            continue;
        bool by_col = false;
        for (size_t c = 0; c < spec->ncolumns && n < size; c++)
            if (s->by_column[why][c]) {
                by_col = true;
                n += (size_t)snprintf(buf + n, size - n, "%s%llu %s: %s", n ? ", " : "",
                                      (unsigned long long)s->by_column[why][c],
                                      csa_reject_reason_text(why), spec->columns[c].name);
            }
        if (!by_col && n < size)
            n += (size_t)snprintf(buf + n, size - n, "%s%llu %s", n ? ", " : "",
                                  (unsigned long long)s->by_reason[why],
                                  csa_reject_reason_text(why));
    }
}

/* The row accounting of every crime file and their total, as a table. */
static csa_status accounting_table(const crime_file *files, size_t nfiles,
                                   const csa_decile_rates *dr, const csa_spec *spec,
                                   const char *outside_label, csa_table **out, csa_error *err)
{
    const char *names[] = {"File", "Rows read", "Accepted", "Without LSOA", outside_label,
                           "No population", "Rejected", "Reasons for rejection"};
    enum { NCOLS = sizeof names / sizeof names[0] };
    csa_table *t = csa_table_create();
    csa_status st = t ? CSA_OK : CSA_ERR_NOMEM;
    for (size_t c = 0; c < NCOLS && !st; c++)
        st = csa_table_add_column(t, names[c], c == 0 || c == NCOLS - 1 ? CSA_STRING : CSA_INT64);
    csa_ingest_stats total = {0};
    csa_area_accounting sum = {0};
    for (size_t i = 0; i <= nfiles && !st; i++) {
        const csa_ingest_stats *s = i < nfiles ? &files[i].stats : &total;
        const csa_area_accounting *a = i < nfiles ? &dr->parts[i] : &sum;
        const char *name = i < nfiles ? files[i].path : "All files";
        char reasons[512];
        reject_reasons(s, spec, reasons, sizeof reasons);
        csa_value v[NCOLS] = {
            {.v.str = {name, strlen(name)}}, {.v.i = (int64_t)s->rows_read},
            {.v.i = (int64_t)a->accepted}, {.v.i = (int64_t)a->no_area},
            {.v.i = (int64_t)a->outside}, {.v.i = (int64_t)a->no_population},
            {.v.i = (int64_t)s->rows_rejected},
            {.missing = !reasons[0], .v.str = {reasons, strlen(reasons)}},
        };
        st = csa_table_append_row(t, v, NULL);
        if (i < nfiles) {
            total.rows_read += s->rows_read;
            total.rows_rejected += s->rows_rejected;
            for (int r = 0; r < CSA_REJECT_NREASONS; r++) {
                total.by_reason[r] += s->by_reason[r];
                for (size_t c = 0; c < CSA_SPEC_MAX_COLUMNS; c++)
                    total.by_column[r][c] += s->by_column[r][c];
            }
            sum.accepted += a->accepted;
            sum.no_area += a->no_area;
            sum.outside += a->outside;
            sum.no_population += a->no_population;
        }
    }
    if (st) {
        csa_table_free(t);
        return csa_error_set(err, st, NULL, 0, 0, NULL, NULL, "%s", csa_strerror(st));
    }
    csa_table_freeze(t);
    *out = t;
    return CSA_OK;
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
    fprintf(stderr, "csa: warning: %llu crimes in %zu LSOAs of %s with no population row are "
                    "left out of the rates:", (unsigned long long)events, dr->nunpopulated, area);
    for (size_t i = 0; i < dr->nunpopulated && i < SHOW_UNPOPULATED; i++)
        fprintf(stderr, "%s %s (%llu)", i ? "," : "", dr->unpopulated[i].code,
                (unsigned long long)dr->unpopulated[i].events);
    if (dr->nunpopulated > SHOW_UNPOPULATED)
        fprintf(stderr, " and %zu more (all in rates.xlsx)", dr->nunpopulated - SHOW_UNPOPULATED);
    fputc('\n', stderr);
}

static csa_status unpopulated_table(const csa_decile_rates *dr, csa_table **out, csa_error *err)
{
    csa_table *t = csa_table_create();
    csa_status st = t ? CSA_OK : CSA_ERR_NOMEM;
    if (!st)
        st = csa_table_add_column(t, "LSOA code", CSA_STRING);
    if (!st)
        st = csa_table_add_column(t, "Crimes left out", CSA_INT64);
    for (size_t i = 0; i < dr->nunpopulated && !st; i++) {
        const csa_unpopulated_area *u = &dr->unpopulated[i];
        csa_value v[2] = {{.v.str = {u->code, strlen(u->code)}}, {.v.i = (int64_t)u->events}};
        st = csa_table_append_row(t, v, NULL);
    }
    if (st) {
        csa_table_free(t);
        return csa_error_set(err, st, NULL, 0, 0, NULL, NULL, "%s", csa_strerror(st));
    }
    csa_table_freeze(t);
    *out = t;
    return CSA_OK;
}

/* The all-crime rows of the result as a bar chart. */
static csa_status write_chart(const csa_decile_rates *dr, const char *total_label,
                              const char *subtitle, const char *source, const char *path,
                              csa_error *err)
{
    const csa_table *t = dr->result.table;
    const char *labels[10];
    double values[10], lower[10], upper[10];
    static const char *const decile_labels[10] = {
        "1 (most deprived)", "2", "3", "4", "5", "6", "7", "8", "9", "10 (least deprived)"};
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
    crime_file *files = calloc((size_t)argc, sizeof *files);
    size_t nfiles = 0, *part_ends = calloc((size_t)argc, sizeof *part_ends);
    csa_table *imd = NULL, *pop = NULL, *crimes = NULL, *acc = NULL, *unpop = NULL;
    csa_decile_rates *dr = NULL;
    csa_outdir *od = NULL;
    csa_digests *digests = NULL;
    const char **paths = NULL;
    csa_error err = {0};
    int status = EXIT_USAGE, opt;
    if (!files || !part_ends) {
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
    static const char *const imd_cols[] = {"LSOA code", "LA code", "LA name", "IMD decile"};
    static const char *const pop_cols[] = {"area code", "population"};
    static const char *const crime_cols[] = {"Month", "LSOA code", "Crime type"};
    const csa_spec *police = csa_spec_find("police-street");
    if (csa_ingest_reference(imd_path, csa_spec_find("imd"), imd_cols, 4, &imd, &err) ||
        csa_ingest_reference(pop_path, csa_spec_find("population"), pop_cols, 2, &pop, &err))
        goto fail;
    /* Only counts are needed: rows are counted by crime type and LSOA (and
     * by month, for the period) as they are read, not kept. */
    csa_ingest_options copt = {.spec = police, .columns = crime_cols, .ncolumns = 3,
                               .max_reject_share = 0.01, .cpus_in_use = 1 /* the digests */};
    static const char *const by_type_area[] = {"Crime type", "LSOA code"};
    static const char *const by_month[] = {"Month"};
    const csa_count_set sets[] = {{by_type_area, 2}, {by_month, 1}};
    int32_t first = INT32_MAX, last = INT32_MIN;
    crimes = csa_table_create();
    if (!crimes || csa_table_add_column(crimes, "Crime type", CSA_STRING) ||
        csa_table_add_column(crimes, "LSOA code", CSA_STRING) ||
        csa_table_add_column(crimes, "Rows", CSA_INT64)) {
        csa_error_set(&err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < nfiles; i++) {
        csa_source src;
        csa_table *counted[2];
        if (csa_source_open_file(&src, files[i].path, &err))
            goto fail;
        csa_status st = csa_ingest_count(&src, &copt, sets, 2, counted, &files[i].stats, &err);
        csa_source_close(&src);
        print_rejects(&files[i]);
        if (st)
            goto fail;
        st = csa_table_append_table(crimes, counted[0]);
        const int32_t *months = csa_table_dates(counted[1], 0);
        for (size_t r = 0; r < csa_table_nrows(counted[1]); r++) {
            if (!csa_table_valid(counted[1], 0, r))
                continue;
            first = months[r] < first ? months[r] : first;
            last = months[r] > last ? months[r] : last;
        }
        csa_table_free(counted[0]);
        csa_table_free(counted[1]);
        if (st) {
            csa_error_set(&err, st, NULL, 0, 0, NULL, NULL, "%s", csa_strerror(st));
            goto fail;
        }
        part_ends[i] = csa_table_nrows(crimes);
    }
    csa_table_freeze(crimes);

    csa_decile_request req = {
        .events = crimes, .event_area = "LSOA code", .event_category = "Crime type",
        .part_ends = part_ends, .nparts = nfiles,
        .imd = imd, .imd_area = "LSOA code", .imd_parent = "LA code", .imd_decile = "IMD decile",
        .population = pop, .pop_area = "area code", .pop_value = "population",
        .parent_code = la, .per = 1000, .level = 95,
        .category_label = "Crime type", .total_label = "All crime", .event_weight = "Rows",
    };
    if (csa_decile_rates_compute(&req, &dr, &err)) {
        if (err.status == CSA_ERR_NOT_FOUND)
            snprintf(err.file, sizeof err.file, "%s", imd_path);
        goto fail;
    }

    /* the area and period, for people reading the outputs */
    char area[160], outside[64], period[48], subtitle[256], source[512], note[512];
    if (la) {
        const char *name = NULL;
        size_t lac = csa_table_find(imd, "LA code"), lan = csa_table_find(imd, "LA name");
        uint32_t code = csa_dict_find(csa_table_dict(imd, lac), la, strlen(la));
        for (size_t r = 0; r < csa_table_nrows(imd) && !name; r++)
            if (csa_table_codes(imd, lac)[r] == code && csa_table_valid(imd, lan, r))
                name = csa_dict_string(csa_table_dict(imd, lan), csa_table_codes(imd, lan)[r], NULL);
        snprintf(area, sizeof area, "%s%s%s%s", name ? name : "", name ? " (" : "", la,
                 name ? ")" : "");
        snprintf(outside, sizeof outside, "Outside %s", la);
    } else {
        snprintf(area, sizeof area, "all LSOAs in %s", imd_path);
        snprintf(outside, sizeof outside, "Not in IMD file");
    }
    if (first == INT32_MAX) {
        snprintf(period, sizeof period, "no crimes read");
    } else {
        char a[CSA_DATE_TEXT_MAX], b[CSA_DATE_TEXT_MAX];
        csa_format_date(first, true, a);
        csa_format_date(last, true, b);
        snprintf(period, sizeof period, first == last ? "%s" : "%s to %s", a, b);
    }
    snprintf(subtitle, sizeof subtitle, "%s, %s; %zu LSOAs", area, period, dr->nareas);
    snprintf(source, sizeof source,
             "Source: police.uk street-level crime (%s); English Indices of Deprivation 2019 "
             "(MHCLG); ONS population estimates. Whiskers: %g%% confidence intervals "
             "(Byar's method; exact Poisson below 10 events).",
             period, dr->result.level);
    snprintf(note, sizeof note, "%s, %s. %s. Counts include anti-social behaviour.", area,
             period, dr->result.method);
    note[0] = (char)(note[0] >= 'a' && note[0] <= 'z' ? note[0] - 32 : note[0]);

    if (accounting_table(files, nfiles, dr, police, outside, &acc, &err) ||
        unpopulated_table(dr, &unpop, &err))
        goto fail;

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
         acc, 0},
        {"No population", "LSOAs of the area with crimes but no population row",
         "Their crimes are left out of the rates: the population file does not cover them "
         "(LSOA boundary changes).", unpop, 0},
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

    print_accounting(acc, nfiles);
    warn_unpopulated(dr, la ? la : "the IMD file");
    fprintf(stderr, "csa rates: wrote rates.csv, rates.xlsx, rates-by-decile.png and "
                    "manifest.json to %s\n", out_dir);
    status = EXIT_OK;
    goto done;
fail:
    cli_print_error(&err);
    status = EXIT_USAGE;
done:
    csa_digests_free(digests);
    free(paths);
    csa_outdir_free(od);
    csa_decile_rates_free(dr);
    csa_table_free(acc);
    csa_table_free(unpop);
    csa_table_free(imd);
    csa_table_free(pop);
    csa_table_free(crimes);
    free(files);
    free(part_ends);
    return status;
}

const cli_command cli_rates = {
    .name = "rates",
    .summary = "crime rates per 1,000 residents by crime type and IMD decile",
    .help = help,
    .run = run,
};
