/* csa validate: a partner checks a file before sending it. */
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "Usage: csa validate --spec NAME [--lookup FILE] [--period PERIOD] [--area CODE]\n"
    "                    [--lsoa-lookup FILE] [--format text|json] [--strict] FILE...\n"
    "\n"
    "Checks data files before they are sent, and says exactly what is wrong: each\n"
    "problem with its check name, line, column, value and what to do about it.\n"
    "'csa specs' lists the datasets; 'csa specs NAME' shows what one needs.\n"
    "\n"
    "Options:\n"
    "  --spec NAME        the dataset the files should be (police-street, ...)\n"
    "  --lookup FILE      an area-lookup file (LSOA to ward, LA, CSP): area codes\n"
    "                     must be in it\n"
    "  --period PERIOD    months the data should cover: a financial year (2018/19),\n"
    "                     a run of months (2018-04:2019-03 or 2018-04 to 2019-03),\n"
    "                     12 months to 2019-03, 4 quarters to 2019-03 or one month\n"
    "                     (2018-10); rows outside it and months missing from it are\n"
    "                     reported\n"
    "  --area CODE        rows must fall in this area (with --lookup, any parent:\n"
    "                     ward, LA or CSP code)\n"
    "  --lsoa-lookup FILE boundaries: the ONS LSOA (2011) to (2021) lookup; a shape\n"
    "                     with a 2021 code that is no 2011 code is other-vintage\n"
    "  --max-blank-share P  warn when more than P% of a month's rows have no\n"
    "                     LSOA (default 10)\n"
    "  --format text|json text for people (default), or one JSON document\n"
    "  --strict           warnings count as errors\n"
    "\n"
    "Checks: structure (empty-file, header-only, missing-column, duplicate-column,\n"
    "unknown-column, wrong-field-count, cut-off-last-line, unclosed-quote,\n"
    "field-too-long, nul-byte), encoding (windows-1252, invalid-utf8,\n"
    "mixed-line-endings), values (missing-value, bad-number, bad-date,\n"
    "out-of-range, suppressed-value), codes (bad-area-code, not-in-list,\n"
    "unlisted-value, unknown-code, outside-area), consistency (duplicate-id,\n"
    "repeated-id, missing-id, asb-without-id, outside-period, missing-month,\n"
    "blank-area, blank-lsoa-share, partial-month, small-count). Several files are\n"
    "one submission (monthly extracts): their summary adds up every file's\n"
    "findings and its own: months missing or partial over the set, and rows\n"
    "given twice (duplicate-file: the same content; duplicate-month: the same\n"
    "month of the same force; shared-id: identifiers in two files).\n"
    "\n"
    "Boundary files (--spec boundaries: GeoJSON, GeoPackage, Shapefile, read with\n"
    "GDAL) are checked by feature, its number standing for the line:\n"
    "unreadable-boundaries, which-layer (of several layers, none or more than one\n"
    "with polygons and an LSOA code property), no-shapes, no-code-property,\n"
    "projection, grid-assumed (a GeoJSON in grid metres without a crs, read as\n"
    "the grid), windows-1252 (a name that is not UTF-8, read as Windows-1252),\n"
    "bad-area-code, duplicate-area, bad-geometry; with --lookup and --area,\n"
    "missing-shape (an LSOA of the area without a shape) and outside-area (a\n"
    "shape of another area, not drawn); with --lsoa-lookup, other-vintage.\n"
    "\n"
    "Exit status: 0 every file is usable (warnings allowed), 1 a file or the set\n"
    "of files has errors (or warnings, with --strict) or the --lookup file is bad,\n"
    "2 bad usage or a file cannot be read.\n";

/* Of two exit statuses, the one that says more is wrong (2 over 1 over 0). */
static int worse(int a, int b)
{
    return a > b ? a : b;
}

/* The files named on the command line, and the exit status so far. */
typedef struct files {
    char **paths;
    int status;
    const csa_boundary_options *shapes; /* --spec boundaries */
} files;

/* A boundary file, read with GDAL and checked against the area's LSOAs. */
static csa_status check_shapes(void *ctx, size_t i, csa_validation **out, csa_error *err)
{
    const files *f = ctx;
    return csa_read_boundaries(f->paths[i], f->shapes, NULL, out, err);
}

static csa_status open_file(void *ctx, size_t i, csa_source *src, csa_error *err)
{
    const files *f = ctx;
    return csa_source_open_file(src, f->paths[i], err);
}

/* A file that cannot be read: said on stderr, and the exit status says it. */
static void fail(void *ctx, const csa_error *err)
{
    files *f = ctx;
    cli_print_error(err);
    f->status = worse(f->status, cli_exit_status(err->status));
}

/* A boundary file's LSOAs: those of the lookup in the area (any parent
 * code), and with an LSOA (2011) to (2021) lookup the 2021 codes that are
 * no 2011 code. */
static int boundary_options(const csa_validate_options *vo, const csa_table *lookup,
                            const char *vintage_path, csa_boundary_options *bo)
{
    csa_error err = {0};
    if (lookup && vo->area) {
        size_t n = csa_table_nrows(lookup);
        const char **expect = calloc(n ? n : 1, sizeof *expect);
        if (!expect)
            return cli_exit_status(CSA_ERR_NOMEM);
        for (size_t row = 0; row < n; row++) {
            bool in = false;
            for (size_t c = 1; c < csa_table_ncols(lookup); c++)
                in |= csa_table_valid(lookup, c, row) &&
                      !strcmp(csa_dict_string(csa_table_dict(lookup, c),
                                              csa_table_codes(lookup, c)[row], NULL), vo->area);
            if (in && csa_table_valid(lookup, 0, row))
                expect[bo->nexpect++] = csa_dict_string(csa_table_dict(lookup, 0),
                                                        csa_table_codes(lookup, 0)[row], NULL);
        }
        bo->expect = expect;
    }
    if (vintage_path) {
        static const char *const cols[] = {"LSOA11CD", "LSOA21CD"};
        csa_table *v = NULL;
        if (csa_ingest_reference(vintage_path, csa_spec_find("lsoa-lookup"), cols, 2, &v, &err)) {
            cli_print_error(&err);
            csa_table_free(v);
            return cli_exit_status(err.status);
        }
        const csa_dict *old = csa_table_dict(v, 0), *now = csa_table_dict(v, 1);
        size_t n = csa_dict_size(now);
        char **other = calloc(n ? n : 1, sizeof *other);
        if (!other) {
            csa_table_free(v);
            return cli_exit_status(CSA_ERR_NOMEM);
        }
        for (uint32_t k = 0; k < n; k++) {
            size_t len;
            const char *code = csa_dict_string(now, k, &len);
            if (csa_dict_find(old, code, len) == CSA_NO_CODE &&
                !(other[bo->nother_vintage++] = strdup(code))) {
                csa_table_free(v);
                return cli_exit_status(CSA_ERR_NOMEM);
            }
        }
        bo->other_vintage = (const char *const *)other;
        csa_table_free(v);
    }
    return EXIT_OK;
}

static void boundary_options_free(csa_boundary_options *bo)
{
    free((void *)bo->expect);
    for (size_t i = 0; i < bo->nother_vintage; i++)
        free((char *)bo->other_vintage[i]);
    free((void *)bo->other_vintage);
}

static int run(int argc, char **argv)
{
    static const struct option options[] = {
        {"spec", required_argument, NULL, 's'}, {"lookup", required_argument, NULL, 'l'},
        {"period", required_argument, NULL, 'p'}, {"area", required_argument, NULL, 'a'},
        {"format", required_argument, NULL, 'f'}, {"strict", no_argument, NULL, 'S'},
        {"max-blank-share", required_argument, NULL, 'b'},
        {"lsoa-lookup", required_argument, NULL, 'v'}, {NULL, 0, NULL, 0},
    };
    csa_validate_options vo = {0};
    const char *lookup_path = NULL, *vintage_path = NULL, *format = "text";
    csa_table *lookup = NULL;
    csa_error err = {0};
    int opt;
    char *end;
    /* The duplicate-identifier sets of a big file grow by doubling, month
     * by month; memory freed as they grow is kept for the next rather than
     * handed back to the system and faulted in again (on 6M rows that was
     * 280 MB of page faults, each with a TLB flush on the other CPU). */
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (opt) {
        case 's':
            if (!(vo.spec = csa_spec_find(optarg)))
                return cli_usage("validate", "validate: no spec '%s'; 'csa specs' lists them",
                                 optarg);
            break;
        case 'l': lookup_path = optarg; break;
        case 'v': vintage_path = optarg; break;
        case 'a': vo.area = optarg; break;
        case 'f': format = optarg; break;
        case 'S': vo.strict = true; break;
        case 'p':
            if (csa_period_parse(optarg, &vo.period_first, &vo.period_last, &err))
                return cli_usage("validate", "validate: --period: %s", err.message);
            vo.has_period = true;
            break;
        case 'b':
            vo.max_blank_area_share = strtod(optarg, &end) / 100;
            if (*end || !(vo.max_blank_area_share > 0 && vo.max_blank_area_share <= 1))
                return cli_usage("validate", "validate: --max-blank-share '%s' is not a "
                                             "percentage above 0", optarg);
            break;
        default:
            return cli_usage("validate", "validate: unknown option or missing value: %s",
                             argv[optind - 1]);
        }
    }
    if (!vo.spec)
        return cli_usage("validate", "validate needs --spec NAME; 'csa specs' lists them");
    if (optind >= argc)
        return cli_usage("validate", "validate needs at least one FILE");
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
        return cli_usage("validate", "validate: --format is text or json, not '%s'", format);
    bool json = format[0] == 'j';
    if (lookup_path) {
        if (csa_validate_lookup(lookup_path, &lookup, &err)) {
            cli_print_error(&err);
            csa_table_free(lookup);
            return cli_exit_status(err.status);
        }
        vo.lookup = lookup;
    }
    bool shapes = !strcmp(vo.spec->name, "boundaries");
    csa_boundary_options bo = {0};
    int status;
    if (shapes && (status = boundary_options(&vo, lookup, vintage_path, &bo)) != EXIT_OK) {
        csa_table_free(lookup);
        boundary_options_free(&bo);
        return status;
    }
    files f = {.paths = argv + optind, .status = EXIT_OK, .shapes = &bo};
    csa_validate_report_options ro = {
        .validate = &vo, .names = (const char *const *)f.paths,
        .nfiles = (size_t)(argc - optind), .open = open_file,
        .check = shapes ? check_shapes : NULL, .fail = fail, .ctx = &f,
        .text = json ? NULL : stdout, .json = json ? stdout : NULL,
    };
    if (!csa_validate_report(&ro))
        f.status = worse(f.status, EXIT_DATA);
    csa_table_free(lookup);
    boundary_options_free(&bo);
    return f.status;
}

const cli_command cli_validate = {
    .name = "validate",
    .summary = "check a data file before it is sent: every problem, by line and column",
    .help = help,
    .run = run,
};
