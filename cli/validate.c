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
    "unreadable-boundaries, no-code-property, projection, bad-area-code,\n"
    "duplicate-area, bad-geometry; with --lookup and --area, missing-shape (an\n"
    "LSOA of the area without a shape) and outside-area (a shape of another\n"
    "area, not drawn); with --lsoa-lookup, other-vintage.\n"
    "\n"
    "Exit status: 0 every file is usable (warnings allowed), 1 a file or the set\n"
    "of files has errors (or warnings, with --strict) or the --lookup file is bad,\n"
    "2 bad usage or a file cannot be read.\n";

enum { SHOW_PER_CHECK = 20 };

static void json_string(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(fp, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", fp);
        else if (*p == '\r')
            fputs("\\r", fp);
        else if (*p == '\t')
            fputs("\\t", fp);
        else if (*p < 0x20)
            fprintf(fp, "\\u%04x", *p);
        else
            fputc(*p, fp);
    }
    fputc('"', fp);
}

static void print_json(FILE *fp, const char *path, const char *spec, const csa_validation *v,
                       bool strict, bool first)
{
    fprintf(fp, "%s\n  {\"file\": ", first ? "" : ",");
    json_string(fp, path);
    fprintf(fp, ", \"spec\": ");
    json_string(fp, spec);
    fprintf(fp, ", \"rows\": %llu, \"usable_rows\": %llu, \"errors\": %llu, \"warnings\": %llu, "
                "\"notes\": %llu, \"usable\": %s,\n   \"checks\": [",
            (unsigned long long)v->rows, (unsigned long long)v->usable,
            (unsigned long long)v->errors, (unsigned long long)v->warnings,
            (unsigned long long)v->notes, csa_validation_usable(v, strict) ? "true" : "false");
    for (size_t i = 0; i < v->nchecks; i++) {
        fprintf(fp, "%s{\"check\": \"%s\", \"severity\": \"%s\", \"count\": %llu}", i ? ", " : "",
                v->checks[i].check, csa_severity_name(v->checks[i].severity),
                (unsigned long long)v->checks[i].count);
    }
    fprintf(fp, "],\n   \"findings\": [");
    for (size_t i = 0; i < v->nfindings; i++) {
        const csa_finding *f = &v->findings[i];
        fprintf(fp, "%s\n    {\"check\": \"%s\", \"severity\": \"%s\", \"file\": ", i ? "," : "",
                f->check, csa_severity_name(f->severity));
        json_string(fp, f->where.file[0] ? f->where.file : path);
        fprintf(fp, ", \"line\": %llu, \"column\": %llu, \"field\": ",
                (unsigned long long)f->where.line, (unsigned long long)f->where.column);
        json_string(fp, f->where.field);
        fprintf(fp, ", \"value\": ");
        json_string(fp, f->where.value);
        fprintf(fp, ", \"message\": ");
        json_string(fp, f->where.message);
        fprintf(fp, ", \"advice\": ");
        json_string(fp, f->advice);
        fputc('}', fp);
    }
    fprintf(fp, "]}");
}

static void print_text(FILE *fp, const char *path, const csa_validation *v, bool strict)
{
    char rows[32], usable[32];
    fprintf(fp, "%s: %s rows, %s usable, %llu error%s, %llu warning%s%s\n", path,
            csa_format_number((double)v->rows, 0, rows, sizeof rows),
            csa_format_number((double)v->usable, 0, usable, sizeof usable),
            (unsigned long long)v->errors, v->errors == 1 ? "" : "s",
            (unsigned long long)v->warnings, v->warnings == 1 ? "" : "s",
            strict && v->warnings ? " (strict: warnings count as errors)" : "");
    for (size_t c = 0; c < v->nchecks; c++) {
        const csa_check_count *cc = &v->checks[c];
        size_t shown = 0;
        const char *advice = NULL;
        for (size_t i = 0; i < v->nfindings; i++) {
            const csa_finding *f = &v->findings[i];
            if (f->check != cc->check)
                continue;
            advice = f->advice;
            char where[CSA_ERROR_FILE_MAX + 64] = "", count[64] = "";
            /* a finding of the set names the file it is about */
            const char *file = f->where.file[0] ? f->where.file : path;
            if (f->where.line && f->where.column)
                snprintf(where, sizeof where, "%s:%llu:%llu: ", file,
                         (unsigned long long)f->where.line, (unsigned long long)f->where.column);
            else if (f->where.line)
                snprintf(where, sizeof where, "%s:%llu: ", file, (unsigned long long)f->where.line);
            else if (f->where.file[0] && strcmp(file, path) != 0)
                snprintf(where, sizeof where, "%s: ", file);
            /* notes are expected things: one line with the count says enough */
            if (cc->severity == CSA_NOTE && cc->count > 1) {
                char n[32];
                snprintf(count, sizeof count, " (%s rows like this)",
                         csa_format_number((double)cc->count, 0, n, sizeof n));
            }
            fprintf(fp, "  %s%s [%s] %s%s\n", where, csa_severity_name(f->severity), f->check,
                    f->where.message, count);
            shown = cc->severity == CSA_NOTE ? cc->count : shown + 1;
            if (cc->severity == CSA_NOTE)
                break;
        }
        if (cc->count > shown) {
            char more[32];
            fprintf(fp, "  ... and %s more [%s]\n",
                    csa_format_number((double)(cc->count - shown), 0, more, sizeof more),
                    cc->check);
        }
        if (advice)
            fprintf(fp, "      -> %s\n", advice);
    }
}

/* Of two exit statuses, the one that says more is wrong (2 over 1 over 0). */
static int worse(int a, int b)
{
    return a > b ? a : b;
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
    int opt, status = EXIT_OK;
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
        static const char *const cols[] = {"LSOA code", "ward code", "LA code", "CSP code"};
        if (csa_ingest_reference(lookup_path, csa_spec_find("area-lookup"), cols, 4, &lookup,
                               &err)) {
            cli_print_error(&err);
            csa_table_free(lookup);
            return cli_exit_status(err.status);
        }
        vo.lookup = lookup;
    }
    bool shapes = !strcmp(vo.spec->name, "boundaries");
    csa_boundary_options bo = {0};
    if (shapes && (status = boundary_options(&vo, lookup, vintage_path, &bo)) != EXIT_OK) {
        csa_table_free(lookup);
        return status;
    }
    int nfiles = argc - optind;
    csa_validation **vs = calloc((size_t)nfiles, sizeof *vs);
    const char **paths = calloc((size_t)nfiles, sizeof *paths);
    if (!vs || !paths) {
        fprintf(stderr, "csa: out of memory\n");
        free(vs);
        free(paths);
        csa_table_free(lookup);
        return cli_exit_status(CSA_ERR_NOMEM);
    }
    /* monthly extracts: months missing or partial are judged over the set,
     * and so are rows given twice (the identifiers kept for it) */
    vo.coverage_across_files = vo.keep_ids = nfiles > 1 && !shapes;
    if (json)
        printf("{\"files\": [");
    size_t nread = 0;
    for (int i = optind; i < argc; i++) {
        csa_source src;
        csa_validation *v = NULL;
        if (shapes) {
            csa_read_boundaries(argv[i], &bo, NULL, &v, &err);
        } else if (csa_source_open_file(&src, argv[i], &err) == CSA_OK) {
            csa_validate(&src, &vo, &v, &err);
            csa_source_close(&src);
        }
        if (!v) {
            cli_print_error(&err);
            status = worse(status, cli_exit_status(err.status));
            continue;
        }
        if (json)
            print_json(stdout, argv[i], vo.spec->name, v, vo.strict, nread == 0);
        else
            print_text(stdout, argv[i], v, vo.strict);
        if (!csa_validation_usable(v, vo.strict))
            status = worse(status, EXIT_DATA);
        paths[nread] = argv[i];
        vs[nread++] = v;
    }
    if (json)
        printf("\n ]");
    if (vo.coverage_across_files && nread) {
        csa_validation *set = NULL;
        char label[64];
        snprintf(label, sizeof label, "all %zu files", nread);
        if (csa_validate_set((const csa_validation *const *)vs, paths, nread, &vo, &set, &err)) {
            cli_print_error(&err);
            status = worse(status, cli_exit_status(err.status));
        } else {
            /* the set's totals count the files' findings and its own */
            if (json) {
                printf(", \"set\":");
                print_json(stdout, label, vo.spec->name, set, vo.strict, true);
            } else {
                print_text(stdout, label, set, vo.strict);
            }
            if (!csa_validation_usable(set, vo.strict))
                status = worse(status, EXIT_DATA);
            csa_validation_free(set);
        }
    }
    if (json)
        printf("}\n");
    for (size_t i = 0; i < nread; i++)
        csa_validation_free(vs[i]);
    free(vs);
    free(paths);
    csa_table_free(lookup);
    boundary_options_free(&bo);
    return status;
}

const cli_command cli_validate = {
    .name = "validate",
    .summary = "check a data file before it is sent: every problem, by line and column",
    .help = help,
    .run = run,
};
