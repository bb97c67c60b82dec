/* Private to ingest: the CSV reader under both csa_ingest and
 * csa_validate. It drives libcsv (which handles quoting exactly), counts
 * physical lines, strips a BOM, detects Windows-1252 and converts it,
 * replaces invalid UTF-8 and NUL bytes with U+FFFD (reporting each), and
 * bounds memory by the longest allowed row. Rows reach the caller whole. */
#ifndef CSA_INGEST_READER_H
#define CSA_INGEST_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csa/ingest.h"

enum {
    READER_MAX_FIELDS = 4096,       /* columns in a row */
    READER_MAX_ROW_BYTES = 1 << 20, /* a longer row is a quote left open */
};

typedef struct reader_row {
    uint64_t line;       /* physical line where the row starts */
    size_t nfields;
    const char **fields; /* fields[i] for kept fields, else NULL */
    const size_t *lens;
    bool too_long;       /* a field over CSA_STRING_MAX bytes */
    bool last;           /* the file's last row, not ended by a newline */
} reader_row;

typedef enum reader_event {
    EVENT_WINDOWS_1252, /* bytes from here on read as Windows-1252 */
    EVENT_INVALID_UTF8, /* a byte that is not UTF-8, replaced */
    EVENT_NUL,          /* a NUL byte, replaced */
} reader_event;

typedef struct reader_info {
    uint64_t lines;           /* physical lines */
    uint64_t ends[3];         /* line ends: LF, CRLF, lone CR */
    bool bom;
    bool windows_1252;
    uint64_t invalid_bytes, nul_bytes;
    bool ends_in_newline;
    bool ended_in_row; /* the input stopped inside a row (a quote open) */
    bool non_ascii;    /* a byte over 0x7F was read */
} reader_info;

/* A wanted field of a row that the fast path has cut but not yet handed over. */
typedef struct batch_field {
    const char *s;
    size_t len;
    uint32_t f; /* its field number, 0-based */
} batch_field;

/* A data row that the fast path has cut but not yet handed over: its wanted
 * fields, in field order, are [first, first + n) of the batch's fields. */
typedef struct batch_row {
    uint64_t line;
    size_t nfields, first, n;
    bool too_long, last;
} batch_row;

typedef struct reader_callbacks {
    /* Each row, the header first. Return false to stop reading. */
    bool (*row)(void *ctx, const reader_row *row);
    /* Encoding events: line, byte in the line (1-based), byte in the file. */
    void (*event)(void *ctx, reader_event ev, uint64_t line, uint64_t byte,
                  uint64_t offset, unsigned char value);
    /* Whether field i (0-based) of data rows is wanted; NULL: all. Asked
     * after the header row has been delivered. */
    const bool *keep;
    size_t nkeep;
    /* Optional: the wanted fields of a data row that will be handed over a
     * few rows from now, to start fetching what it will need. */
    void (*peek)(void *ctx, const batch_field *fields, size_t n);
    /* Optional: data rows cut by the fast path, n of them in file order,
     * for a caller that handles many rows at once. It handles the first
     * *done of them; the reader hands the next one to `row` and calls again
     * with the rest. Return false to stop reading. */
    bool (*rows)(void *ctx, const batch_row *rows, size_t n, const batch_field *fields,
                 size_t *done);
    void *ctx;
    bool exact; /* every line through libcsv, no fast path */
} reader_callbacks;

/* Reads src to its end (or until the row callback says stop). Structural
 * failures that make the rest unreadable (I/O, a quote never closed, a row
 * over READER_MAX_ROW_BYTES, too many fields) are errors. */
csa_status reader_run(csa_source *src, reader_callbacks *cb, reader_info *info,
                      csa_error *err);

/* ---- big files in two halves ---- */

/* Where a big regular file splits: after the first line end past its
 * middle. The second half is read with the header line in front. */
typedef struct reader_split {
    const char *path;
    uint64_t size, split;
    char header[1 << 16];
    size_t header_len; /* the header line, without a BOM */
} reader_split;

/* Whether src is a regular file worth reading in two halves (32 MiB or
 * more, two CPUs, a header line with no quote); src is left at its start. */
bool reader_plan_split(csa_source *src, reader_split *sp);

/* One half as a source of its own. */
typedef struct reader_half {
    csa_source src;
    FILE *fp;
    const char *path;
    const char *prefix;
    size_t prefix_len, prefix_pos;
    uint64_t left;
} reader_half;

bool reader_open_half(reader_half *h, const reader_split *sp, const char *name, int which);
void reader_close_half(reader_half *h);
/* Runs fn(a) here and fn(b) on a second thread, and waits for both. */
void reader_run_halves(void *(*fn)(void *), void *a, void *b);

/* ---- ingest fed by another reader's rows (csv.c) ---- */

/* csa_ingest of one source, fed the rows that validation reads, so that
 * a file validated and ingested is read once: the same header checks,
 * parsing, rejections and stats as csa_ingest, rows appended to t. */
typedef struct ingest ingest;
/* NULL on an error (*st and err set). */
ingest *ingest_fed_open(const csa_ingest_options *opt, csa_table *t, const char *name,
                        csa_ingest_stats *stats, csa_error *err, csa_status *st);
/* The header row, then every data row, all fields of the spec's columns
 * there; false once ingest has stopped with an error. */
bool ingest_fed_row(ingest *in, const reader_row *row);
void ingest_fed_peek(ingest *in, const batch_field *fields, size_t n);
/* Ends the source, read with status st (the reader's), and frees in:
 * csa_ingest's status before its check of rejected rows. */
csa_status ingest_fed_close(ingest *in, csa_status st, const reader_info *info);
/* Whether ingest with opt may read a file in two halves. */
bool ingest_splits(const csa_ingest_options *opt);
/* Adds the stats of a source's second half (its lines moved by line_shift). */
void ingest_add_stats(csa_ingest_stats *to, const csa_ingest_stats *from, uint64_t line_shift);
/* csa_ingest's last check: too many rows rejected. */
csa_status ingest_check_rejects(const char *name, const csa_ingest_options *opt,
                                const csa_ingest_stats *stats, csa_error *err);

/* ---- cells and headers, as every spec reads them ---- */

typedef enum cell_status {
    CELL_OK,
    CELL_BLANK,      /* empty or spaces: missing */
    CELL_SUPPRESSED, /* "*", ".." or "c" in a number column: missing on purpose */
    CELL_BAD,        /* not a value of the column's type */
    CELL_RANGE,      /* a number outside the column's range */
} cell_status;

/* Reads one cell as column c wants it. On CELL_BAD and CELL_RANGE, `what`
 * gets the end of a sentence that starts with the column name and value:
 * " is not a number", " is outside 1 to 10". */
cell_status parse_cell(const csa_spec_column *c, const char *s, size_t len, csa_value *v,
                       char *what, size_t size);

/* Maps header fields to spec columns: field_of[c] is the field holding
 * spec column c, or CSA_NO_ROW. A column named twice is reported in *dup
 * (spec column) and *dup_field (the second field); *dup is CSA_NO_ROW when
 * there is none. */
void map_header(const csa_spec *spec, const reader_row *row, size_t *field_of, size_t *dup,
                size_t *dup_field);

/* n * size zeroed bytes (NULL on overflow or no memory), written at once
 * rather than left as the shared zero page, for big tables that are read
 * before they are written (see reader.c). Free with free(). */
void *reader_zeroed(size_t n, size_t size);

#endif
