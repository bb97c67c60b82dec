/* csa/ingest.h: reading partners' CSV files into tables, by dataset spec.
 *
 * Every reader is fed through a read callback (csa_source), so a file, a
 * buffer in a test and a fuzzer drive the same code. Dataset specs are data:
 * a table of columns with their types and rules. Ingest counts physical
 * lines and fields itself, so every error names file, line and column. */
#ifndef CSA_INGEST_H
#define CSA_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "csa/error.h"
#include "csa/month.h"
#include "csa/table.h"

/* ---- sources ---- */

/* Reads up to `cap` bytes into buf, sets *got (0 at end of input).
 * Returns CSA_OK or an error (filled into err). */
typedef csa_status (*csa_read_fn)(void *ctx, char *buf, size_t cap,
                                  size_t *got, csa_error *err);

typedef struct csa_source {
    csa_read_fn read;
    void *ctx;
    const char *name; /* shown in errors; borrowed */
    FILE *fp;         /* owned when opened by csa_source_open_file */
    bool borrowed;    /* fp belongs to the caller */
    const char *buf;  /* for buffer sources */
    size_t len, pos;
    uint64_t size, done; /* a file's size when opened; the bytes read of it */
} csa_source;

/* Opens a regular file for reading (csa_file_open: anything else is
 * refused); close with csa_source_close. Reading stops with an error when
 * the file changes while it is read or since this process first opened it
 * (csa/file.h). An error names the path and the reason. */
csa_status csa_source_open_file(csa_source *src, const char *path, csa_error *err);
/* A source over an open stream such as stdin, borrowed: csa_source_close
 * leaves it open. */
void csa_source_from_stream(csa_source *src, const char *name, FILE *fp);
/* A source over a borrowed buffer; csa_source_close is a no-op for it. */
void csa_source_from_buffer(csa_source *src, const char *name, const char *buf,
                            size_t len);
void csa_source_close(csa_source *src);

/* ---- dataset specs ---- */

enum {
    CSA_COL_REQUIRED = 1u << 0, /* the header must have this column */
    CSA_COL_NOT_NULL = 1u << 1, /* a blank value rejects the row */
    CSA_COL_RANGE    = 1u << 2, /* numbers must be within [min, max] */
    CSA_COL_UNIQUE   = 1u << 3, /* a value may appear once in a table (strings) */
    /* what validation checks of a column's values */
    CSA_COL_LSOA     = 1u << 4, /* an LSOA code: E01 or W01 and 6 digits */
    CSA_COL_AREA     = 1u << 5, /* any ONS area code: a letter and 8 digits */
    CSA_COL_ID       = 1u << 6, /* an identifier: unique within a period */
    CSA_COL_PERIOD   = 1u << 7, /* the month or date the row belongs to */
    CSA_COL_COUNT    = 1u << 8, /* a count that disclosure rules apply to */
    CSA_COL_CODES_WARN = 1u << 9, /* a value not in `codes` is a warning, not an error */
    /* with CSA_COL_ID: the publisher repeats some identifiers within a file
     * (police.uk's Crime IDs), so a repeat is a warning and its rows count
     * as published; in two files it is still an error */
    CSA_COL_ID_REPEATS = 1u << 10,
    /* who published the rows (police.uk: the force, Falls within): two files
     * of one input holding the same month of the same source are an error */
    CSA_COL_SOURCE   = 1u << 11,
    /* the scope of the spec's CSA_COL_UNIQUE column when the file has it (a
     * population's year): the pair of values is unique, not the value */
    CSA_COL_SCOPE    = 1u << 12,
    CSA_COL_TIME     = 1u << 13, /* a time of day, HH:MM on the 24-hour clock */
    CSA_COL_DAY      = 1u << 14, /* a date must give the day, not only the month */
};

/* What a column is to the assessment, whatever its header says: code finds
 * columns by role (csa_spec_role), never by header text or spec name. A
 * role stands at most once in a spec. */
typedef enum csa_role {
    CSA_ROLE_NONE = 0,       /* just a column */
    CSA_ROLE_ID,             /* the record's identifier: crime, collision, respondent */
    CSA_ROLE_PERIOD,         /* the month (or period, as text) the row counts in */
    CSA_ROLE_DATE,           /* the day of the event */
    CSA_ROLE_LSOA,           /* LSOA code */
    CSA_ROLE_LSOA_NAME,
    CSA_ROLE_AREA,           /* area code of any geography (LSOA, ward, authority) */
    CSA_ROLE_AREA_NAME,
    CSA_ROLE_AREA_TYPE,
    CSA_ROLE_PARENT,         /* code of the area's parent area */
    CSA_ROLE_PARENT_NAME,
    CSA_ROLE_WARD,           /* electoral ward code */
    CSA_ROLE_WARD_NAME,
    CSA_ROLE_LA,             /* local authority district code */
    CSA_ROLE_LA_NAME,
    CSA_ROLE_CSP,            /* community safety partnership code */
    CSA_ROLE_CSP_NAME,
    CSA_ROLE_LONGITUDE,
    CSA_ROLE_LATITUDE,
    CSA_ROLE_CATEGORY,       /* what the row is: crime type, measure, breakdown */
    CSA_ROLE_CATEGORY_TYPE,  /* what the categories break down by */
    CSA_ROLE_OUTCOME,        /* what came of it (police outcome) */
    CSA_ROLE_INDICATOR,      /* indicator number */
    CSA_ROLE_INDICATOR_NAME,
    CSA_ROLE_COUNT,          /* events the row counts */
    CSA_ROLE_DENOMINATOR,
    CSA_ROLE_VALUE,          /* a published figure (rate, percentage) */
    CSA_ROLE_VALUE_NOTE,     /* why a value is missing or qualified */
    CSA_ROLE_LOWER_95,       /* 95% confidence limits of the value */
    CSA_ROLE_UPPER_95,
    CSA_ROLE_LOWER_998,      /* 99.8% confidence limits of the value */
    CSA_ROLE_UPPER_998,
    CSA_ROLE_PERIOD_ORDER,   /* a number that sorts the periods */
    CSA_ROLE_POPULATION,     /* residents of all ages */
    CSA_ROLE_RANK,           /* deprivation rank, 1 most deprived */
    CSA_ROLE_DECILE,         /* deprivation decile, 1 most deprived */
    CSA_ROLE_SEVERITY,
    CSA_ROLE_CASUALTIES,
    CSA_ROLE_WEIGHT,         /* survey weight */
    CSA_ROLE_SEX,
    CSA_ROLE_AGE,            /* age band */
    CSA_ROLE_FORCE,          /* police force area the row falls within */
    CSA_ROLE_YEAR,           /* the year a row is of (a mid-year estimate's) */
    CSA_ROLE_TIME,           /* time of day of the event, HH:MM */
    CSA_ROLE_VENUE,          /* where it happened: pub, street, home (ISTV's location) */
    CSA_ROLE_LOCATION,       /* where, in words: police.uk's "On or near ..." */
    CSA_ROLE_EASTING,        /* British National Grid metres (EPSG:27700) */
    CSA_ROLE_NORTHING,
    CSA_NROLES
} csa_role;

/* "LSOA code", "count", ...: a role as partners read it; "" for none. */
const char *csa_role_name(csa_role role);

typedef struct csa_spec_column {
    const char *name;    /* canonical name, used in tables and messages */
    const char *aliases; /* other header names, '|'-separated, or NULL */
    csa_type type;
    unsigned flags;
    double min, max;     /* with CSA_COL_RANGE */
    const char *about;   /* one line for partners */
    const char *const *codes; /* allowed values, NULL-terminated, or NULL: any */
    csa_role role;
} csa_spec_column;

typedef struct csa_spec {
    const char *name;  /* "police-street" */
    const char *title; /* "police.uk street-level crime" */
    const csa_spec_column *columns;
    size_t ncolumns;
    const char *example; /* a header and two rows, for partners */
    bool open;           /* columns beyond the spec are expected (survey answers) */
} csa_spec;

enum { CSA_SPEC_MAX_COLUMNS = 32 };

/* The built-in spec with this name, or NULL. Borrowed, static. */
const csa_spec *csa_spec_find(const char *name);
/* The built-in specs, *n of them. Borrowed, static. */
const csa_spec *csa_specs(size_t *n);
/* Index of the spec column with this canonical name, or CSA_NO_ROW. */
size_t csa_spec_column_index(const csa_spec *spec, const char *name);
/* Levenshtein distance between a[0..la) and b[0..lb), ignoring ASCII
 * case, for "did you mean" messages; SIZE_MAX when either is 63 bytes or
 * longer. */
size_t csa_edit_distance(const char *a, size_t la, const char *b, size_t lb);
/* Index of the spec column with this role, or CSA_NO_ROW when the spec
 * has none (or for CSA_ROLE_NONE). */
size_t csa_spec_role(const csa_spec *spec, csa_role role);

/* Whether a header field names this spec column: case, surrounding spaces
 * and a UTF-8 byte order mark are ignored; aliases count. */
bool csa_spec_column_matches(const csa_spec_column *col, const char *header,
                             size_t len);

/* ---- values ---- */

/* Parsers shared by ingest and validation. Each reads the whole of s[0,len)
 * and returns false when it is not a value of the type. */
/* Integers, optionally signed, with optional thousands separators in
 * groups of three ("29,199"). */
bool csa_parse_int64(const char *s, size_t len, int64_t *out);
/* Decimals as strtod reads them (no hex, inf or nan), with optional
 * thousands separators in the integer part. */
bool csa_parse_double(const char *s, size_t len, double *out);
/* Dates: csa_parse_date and csa_format_date (csa/month.h). */

/* ---- ingest ---- */

/* Why a row was rejected. */
typedef enum csa_reject_reason {
    CSA_REJECT_FIELD_COUNT, /* wrong number of fields */
    CSA_REJECT_MISSING,     /* blank value in a column that needs one */
    CSA_REJECT_BAD_VALUE,   /* not a value of the column's type or range */
    CSA_REJECT_DUPLICATE,   /* repeated value in a unique column */
    CSA_REJECT_TOO_LONG,    /* a field over CSA_STRING_MAX bytes */
    CSA_REJECT_NREASONS
} csa_reject_reason;

/* Short text for a reason, such as "wrong number of fields". */
const char *csa_reject_reason_text(csa_reject_reason r);

enum { CSA_INGEST_KEEP_REJECTS = 5 };

/* What happened to the rows of one file. rows_read counts data rows (not
 * the header, not blank lines) and equals rows_accepted + rows_rejected. */
typedef struct csa_ingest_stats {
    uint64_t rows_read;
    uint64_t rows_accepted;
    uint64_t rows_rejected;
    uint64_t by_reason[CSA_REJECT_NREASONS];
    /* by_column[r][c]: rejections for reason r at spec column c (for the
     * value reasons; field-count rejections are not per column) */
    uint64_t by_column[CSA_REJECT_NREASONS][CSA_SPEC_MAX_COLUMNS];
    csa_error first_rejects[CSA_INGEST_KEEP_REJECTS];
    size_t nkept;
    int threads;             /* 2 when a big file was read in two halves */
    bool windows_1252;       /* read as Windows-1252 and converted to UTF-8 */
    uint64_t replaced_bytes; /* invalid UTF-8 or NUL bytes, now U+FFFD */
} csa_ingest_stats;

typedef struct csa_ingest_options {
    const csa_spec *spec;
    /* Canonical names of the spec columns to keep, in table order; all
     * spec columns when ncolumns is 0. Columns not kept are not parsed. */
    const char *const *columns;
    size_t ncolumns;
    /* Reference data must be whole: when true, the first rejected row is
     * returned as the error. Otherwise rows are rejected and counted, and
     * the file fails with CSA_ERR_REJECTS when more than max_reject_share
     * of its rows were rejected. */
    bool all_or_nothing;
    double max_reject_share;
    /* Read every line through libcsv, in one thread, instead of the fast
     * path for plain lines and two threads for big files. Both give
     * identical tables (tests/unit/test_paths.c); this is for that test
     * and for ruling the fast path out. */
    bool exact_path;
    /* CPUs the caller keeps busy while this reads (csa rates and csa run
     * hash their inputs on a thread of their own): a big file is read in
     * two halves on two threads only when two CPUs are left for them, as
     * three busy threads on two CPUs finish later than two. */
    int cpus_in_use;
    /* A reader that keeps the rows of some areas only (csa run's police
     * history, assess/thin.c): a row whose value in table column
     * keep_column is missing or not in keep_values (a dictionary, borrowed
     * and only read, from any thread) is appended with the columns whose
     * thin[column] is set left missing, sparing their strings the
     * dictionary, as the reader will drop it; every check of the row is
     * made as before. keep_values NULL: every row whole. */
    size_t keep_column;
    const csa_dict *keep_values;
    const bool *thin;
} csa_ingest_options;

/* A new table with the columns opt asks for, named and typed by the spec.
 * Free with csa_table_free. */
csa_status csa_ingest_table(const csa_ingest_options *opt, csa_table **out,
                            csa_error *err);

/* Reads one CSV source and appends its accepted rows to `t` (made by
 * csa_ingest_table with the same options, not yet frozen). *stats is
 * filled for this source. On an error the rows of this source already
 * appended stay in t; callers that stop on errors throw t away. */
csa_status csa_ingest(csa_source *src, const csa_ingest_options *opt,
                      csa_table *t, csa_ingest_stats *stats, csa_error *err);

/* ---- counting ingest ---- */

/* A grouping set: names of kept columns (opt->columns) to count rows by. */
typedef struct csa_count_set {
    const char *const *keys;
    size_t nkeys; /* 1 to CSA_GROUPS_MAX_KEYS */
} csa_count_set;

/* Reads one CSV source as csa_ingest does (the same columns parsed and
 * checked, the same rows accepted and rejected, the same *stats, one or
 * two threads), but keeps no rows: accepted rows are counted by each of
 * the nsets grouping sets. out[i] gets a new frozen table for sets[i]: its
 * key columns (named and typed as the spec's) and an int64 column "Rows",
 * one row per combination of key values among the accepted rows (missing
 * values group together as missing), in order of each key's first
 * appearance, the first key slowest. Its Rows add up to rows_accepted,
 * and grouping csa_ingest's table by the same keys gives the same counts
 * (tests/unit/test_paths.c). Memory grows with the distinct values of the
 * kept columns and the product of the keys' distinct values (at most
 * CSA_GROUPS_MAX_CELLS), not with rows. Kept columns may not be
 * CSA_COL_UNIQUE. On success the tables are the caller's (csa_table_free);
 * on an error out[] is all NULL. */
csa_status csa_ingest_count(csa_source *src, const csa_ingest_options *opt,
                            const csa_count_set *sets, size_t nsets, csa_table **out,
                            csa_ingest_stats *stats, csa_error *err);

/* Reads a reference file (IMD, population, a lookup) whole: columns cols
 * of spec; any bad row, or no rows, is an error. *out is frozen on
 * success and always the caller's to free. */
csa_status csa_ingest_reference(const char *path, const csa_spec *spec, const char *const *cols,
                                size_t ncols, csa_table **out, csa_error *err);

/* Reads any CSV whole into a new table: one column per header field, named
 * as the header names it (trimmed), text except the `numeric` columns,
 * which are doubles read as every spec reads numbers (thousands separators,
 * suppression markers as missing). A bad number stops the read with an
 * error naming file, line, column and value; a numeric column missing from
 * the header is an error too. *out is the caller's (free it). */
csa_status csa_ingest_any(csa_source *src, const char *const *numeric, size_t nnumeric,
                          bool nonnegative, csa_table **out, uint64_t **lines,
                          csa_error *err);
/* nonnegative: a number below 0 in a numeric column is an error too.
 * lines: when not NULL, gets the file line of each row (malloc'd, the
 * caller's), so later errors about a row can name its line. */

/* ---- validation ---- */

typedef enum csa_severity { CSA_NOTE, CSA_WARNING, CSA_ERROR } csa_severity;

/* "note", "warning", "error". */
const char *csa_severity_name(csa_severity s);

/* One problem found in a file. `check` is a stable identifier such as
 * "bad-date"; where.message is the plain sentence; advice says what to do. */
typedef struct csa_finding {
    const char *check;
    csa_severity severity;
    csa_error where;
    const char *advice;
} csa_finding;

/* Every check that fired in a file, with how often. */
typedef struct csa_check_count {
    const char *check;
    csa_severity severity;
    uint64_t count;
} csa_check_count;

/* A file ingested as it is validated (csa_validate_options.ingest), read
 * once for both (csa run on a history of many big files): the rows that
 * csa_ingest(src, opt, table, &stats, &err) would append are appended to
 * table, and status, stats and err are what it would give. */
typedef struct csa_ingest_sink {
    const csa_ingest_options *opt; /* borrowed */
    csa_table *table; /* made by csa_ingest_table(opt), not frozen; borrowed */
    csa_ingest_stats stats;
    csa_status status;
    csa_error err;
} csa_ingest_sink;

typedef struct csa_validate_options {
    const csa_spec *spec;
    /* Known areas: a table from csa_ingest with spec area-lookup (or any
     * table whose first column is an area code and whose other string
     * columns are its parents). NULL: codes are checked by shape only. */
    const csa_table *lookup;
    const char *area;             /* rows must be in this area, or NULL */
    bool has_period;
    int32_t period_first, period_last; /* first days of months, inclusive */
    /* With has_period, rows from this month up to period_first are the
     * period's history (csa run's month charts): not outside the period,
     * and months missing among them from the first with rows are found
     * too. 0: no history. */
    int32_t history_first;
    double max_blank_area_share;  /* per month; default 0.10 */
    int64_t disclosure_threshold; /* counts from 1 to this - 1 are flagged; default 5 */
    bool strict;                  /* warnings count as errors */
    size_t keep_per_check;        /* findings kept per check; default 20 */
    /* Months missing or partial are judged over a set of files (monthly
     * extracts) by csa_validate_coverage, not per file. */
    bool coverage_across_files;
    /* One pass through libcsv, as csa_ingest_options.exact_path. */
    bool exact_path;
    /* Keep the file's identifiers (CSA_COL_ID or CSA_COL_UNIQUE), as 64-bit
     * hashes, for csa_validate_set: 8 bytes an identifier. */
    bool keep_ids;
    /* Also ingest the file, in the same reading (NULL: validate only).
     * Validation's findings, counts and result are the same either way;
     * the sink's table keeps what it has appended when csa_validate
     * itself fails. */
    csa_ingest_sink *ingest;
    /* For csa_validate_set: opens file i of the set again into *src (which
     * it closes with csa_source_close), src->size its size in bytes, to
     * compare files of the same size byte by byte and show a shared
     * identifier's lines. NULL: paths[i] is opened as a file. The
     * validator page reads the files the browser holds (web/validator.c);
     * csa_validate_report passes its own `open`. */
    csa_status (*reopen)(void *ctx, size_t i, csa_source *src, csa_error *err);
    void *reopen_ctx;
} csa_validate_options;

/* The rows of one month from one source (CSA_COL_SOURCE) in a file. */
typedef struct csa_month_source {
    int32_t month;      /* its first day */
    uint64_t rows;
    uint64_t first_line; /* the line of its first row in the file (0: not known) */
    char *source;       /* as the file spells it; owned by the validation */
    size_t source_len;
} csa_month_source;

typedef struct csa_validation {
    uint64_t rows;    /* data rows */
    uint64_t usable;  /* rows with no error */
    uint64_t errors, warnings, notes; /* findings of each severity */
    csa_finding *findings; /* the first keep_per_check of each check, in file order */
    size_t nfindings;
    csa_check_count *checks; /* every check that fired, in order of first firing */
    size_t nchecks;
    /* what the file covers, for the data-quality sheet */
    int32_t first_period, last_period; /* INT32_MAX / INT32_MIN when none */
    uint64_t *month_rows; /* rows per month from first_period's month to last_period's */
    size_t nmonths;
    bool windows_1252;
    int threads; /* 2 when a big file was read in two halves */
    /* for csa_validate_set: with keep_ids, the identifiers' hashes, sorted
     * and each once (csa_validation_drop_ids frees them early); the months
     * of each source, when the spec has a CSA_COL_SOURCE column and the
     * file has it */
    uint64_t *id_hashes;
    size_t nid_hashes;
    csa_month_source *sources;
    size_t nsources;
} csa_validation;

/* Validates one file against opt->spec, streaming: memory grows with the
 * number of months, distinct codes and identifiers, not with file size.
 * Problems in the file are findings, not errors: the result is CSA_OK
 * unless the file cannot be read at all (I/O). *out is owned by the caller:
 * free with csa_validation_free. */
csa_status csa_validate(csa_source *src, const csa_validate_options *opt,
                        csa_validation **out, csa_error *err);
void csa_validation_free(csa_validation *v);
/* Frees v->id_hashes once the set check no longer needs them. */
void csa_validation_drop_ids(csa_validation *v);

/* The checks of the n files of one input taken together (monthly
 * police.uk files, a history): months missing or partial over the set
 * (missing-month, partial-month, with opt->coverage_across_files), and
 * rows given twice: two files with the same bytes (duplicate-file), the
 * same month of the same source in two files (duplicate-month), and
 * identifiers in two files (shared-id, from files validated with
 * keep_ids; a file the same as an earlier one is reported once, as
 * duplicate-file). paths[i] is files[i]'s path: files of the same size
 * are compared byte by byte, and the files of a shared identifier are read
 * again to show it whole with its line in each; paths may be NULL, which
 * leaves those two out. Memory: the files' identifier hashes, merged in
 * place, and one read buffer.
 * *out is owned by the caller. Its rows, usable, errors, warnings and
 * notes add up the files' and the set's own, so a set with an error in
 * any file is not usable; its checks and findings are the set's own. */
csa_status csa_validate_set(const csa_validation *const *files, const char *const *paths,
                            size_t n, const csa_validate_options *opt, csa_validation **out,
                            csa_error *err);
/* csa_validate_set without paths. */
csa_status csa_validate_coverage(const csa_validation *const *files, size_t n,
                                 const csa_validate_options *opt, csa_validation **out,
                                 csa_error *err);

/* Whether the file can be used: no errors (and with strict, no warnings). */
bool csa_validation_usable(const csa_validation *v, bool strict);

/* ---- csa validate's report ---- */

/* What `csa validate` does with its files, for the command line and the
 * validator page (web/) alike: the same findings in the same words. */
typedef struct csa_validate_report_options {
    const csa_validate_options *validate; /* spec, period, area, lookup, strict */
    const char *const *names; /* each file as the report names it: with
                               * several, paths (the set check reads them
                               * again) */
    size_t nfiles;
    /* Opens file i into *src, which the report closes (csa_source_close). */
    csa_status (*open)(void *ctx, size_t i, csa_source *src, csa_error *err);
    /* Or, for files that are no CSV (boundaries, read with GDAL): checks
     * file i into *out itself; the files are then not checked as a set. */
    csa_status (*check)(void *ctx, size_t i, csa_validation **out, csa_error *err);
    /* Told of a file that cannot be opened or read, and of a set check
     * that fails; the report goes on without it. */
    void (*fail)(void *ctx, const csa_error *err);
    void *ctx;
    FILE *text; /* the report for people (csa validate), or NULL */
    FILE *json; /* one JSON document (--format json), or NULL */
} csa_validate_report_options;

/* Validates the files one at a time, writing each one's report as it is
 * done, then, with more than one file, checks them as one set (monthly
 * extracts: csa_validate_set) and writes the set's. Returns whether every
 * file read, and the set, can be used (csa_validation_usable). */
bool csa_validate_report(const csa_validate_report_options *opt);

/* Reads an area-lookup file (LSOA to ward, LA and CSP codes) for
 * csa_validate_options.lookup: *out as csa_ingest_reference gives it. */
csa_status csa_validate_lookup(const char *path, csa_table **out, csa_error *err);

/* One file's (or a set's) findings as csa validate prints them for people:
 * the summary line, then each check's findings (path: the file as named). */
void csa_validation_print_text(FILE *fp, const char *path, const csa_validation *v, bool strict);

/* Writes s as a JSON string: quoted, with quotes, backslashes and control
 * characters escaped. */
void csa_json_string(FILE *fp, const char *s);

#endif
