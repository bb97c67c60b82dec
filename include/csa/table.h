/* csa/table.h: typed columnar tables.
 *
 * A table is a set of named columns of equal length. It is built by
 * appending whole rows (csa_table_append_row), then frozen; readers take
 * frozen tables only. Strings are dictionary-encoded: each string column
 * stores uint32 codes into a dictionary of distinct values owned by the
 * column. Every column has a validity bitmap, allocated only when the first
 * missing value arrives: a missing value is never stored as 0 or "". */
#ifndef CSA_TABLE_H
#define CSA_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csa/error.h"

typedef enum csa_type {
    CSA_INT64,
    CSA_DOUBLE,
    CSA_DATE,   /* int32 days since 1970-01-01; a month is its first day */
    CSA_STRING, /* dictionary-encoded */
    CSA_BOOL,
} csa_type;

/* "int64", "double", "date", "string", "bool". */
const char *csa_type_name(csa_type type);

#define CSA_NO_CODE UINT32_MAX /* a string not in a dictionary */
#define CSA_NO_ROW SIZE_MAX    /* no matching row */

/* One value of a row being appended. For CSA_STRING, s/len need not be
 * NUL-terminated and are copied into the dictionary. */
typedef struct csa_value {
    bool missing;
    union {
        int64_t i;
        double d;
        int32_t date;
        bool b;
        struct { const char *s; size_t len; } str;
    } v;
} csa_value;

typedef struct csa_table csa_table;
typedef struct csa_dict csa_dict;

/* A new empty table with no columns; free with csa_table_free. NULL when
 * out of memory. */
csa_table *csa_table_create(void);
void csa_table_free(csa_table *t);

/* Adds a column; only before the first row. The name is copied. */
csa_status csa_table_add_column(csa_table *t, const char *name, csa_type type);

/* Appends one row: values[i] goes to column i, all columns at once, so a
 * table never holds a half-appended row. A string longer than
 * CSA_STRING_MAX is refused with CSA_ERR_LIMIT. For a string column,
 * *new_code (when new_code is not NULL and the column is a string column)
 * tells whether the value was new to the dictionary; ingest uses this to
 * find duplicate keys cheaply. */
enum { CSA_STRING_MAX = 1 << 16 };
csa_status csa_table_append_row(csa_table *t, const csa_value *values,
                                bool *new_codes);

/* Appends every row of src (same column names and types, in order) to
 * dst, which must not be frozen; strings go through dst's dictionaries. */
csa_status csa_table_append_table(csa_table *dst, const csa_table *src);

/* Drops rows n and after (not frozen). Dictionaries keep their strings. */
csa_status csa_table_truncate(csa_table *t, size_t n);

/* Keeps the rows from `first` on for which keep[row - first] is true, in
 * their order, and drops the others (not frozen): a reader that keeps only
 * some of what it appends. Rows before `first` stay; dictionaries keep
 * their strings (codes do not change). */
csa_status csa_table_keep_rows(csa_table *t, size_t first, const bool *keep);

/* Keeps the table's string codes in 1 or 2 bytes while its dictionaries
 * allow, until it is frozen: a table of millions of rows built while other
 * big things are held (csa run ingests a police history as it validates
 * it, with the identifiers' hashes) takes a half or less of its frozen
 * size. Only before the first row. Until frozen, csa_table_codes gives
 * NULL for its string columns; everything else reads as ever. */
csa_status csa_table_narrow_codes(csa_table *t);

/* After freezing, appends fail with CSA_ERR_STATE. Freezing a table with
 * narrow codes widens them to uint32 (CSA_ERR_NOMEM when it cannot; the
 * table is then not frozen). */
csa_status csa_table_freeze(csa_table *t);
bool csa_table_frozen(const csa_table *t);

size_t csa_table_nrows(const csa_table *t);
size_t csa_table_ncols(const csa_table *t);
/* Index of the column named exactly `name`, or CSA_NO_ROW. */
size_t csa_table_find(const csa_table *t, const char *name);
const char *csa_table_column_name(const csa_table *t, size_t col);
csa_type csa_table_column_type(const csa_table *t, size_t col);

/* Whether row `row` of column `col` has a value. */
bool csa_table_valid(const csa_table *t, size_t col, size_t row);
/* Number of missing values in a column. */
size_t csa_table_nmissing(const csa_table *t, size_t col);
/* Whether the column has allocated a validity bitmap (for tests of the
 * lazy allocation). */
bool csa_table_has_bitmap(const csa_table *t, size_t col);

/* Column data, borrowed from the table and valid until it is freed. The
 * value at a missing row is unspecified. NULL when the type differs. */
const int64_t *csa_table_int64s(const csa_table *t, size_t col);
const double *csa_table_doubles(const csa_table *t, size_t col);
const int32_t *csa_table_dates(const csa_table *t, size_t col);
const uint32_t *csa_table_codes(const csa_table *t, size_t col);
/* One row's code of a string column, at any width (a table with narrow
 * codes before it is frozen too): CSA_NO_CODE when missing. */
uint32_t csa_table_code(const csa_table *t, size_t col, size_t row);
const bool *csa_table_bools(const csa_table *t, size_t col);
const csa_dict *csa_table_dict(const csa_table *t, size_t col);

/* The 64-bit hash dictionaries use, eight bytes at a time; for other sets
 * of short keys (identifiers) too. Not for anything adversarial. */
uint64_t csa_hash(const char *s, size_t len);

/* Dictionaries: codes are dense, 0 .. size-1, in order of first arrival. */
size_t csa_dict_size(const csa_dict *d);
/* The string of a code, NUL-terminated, borrowed from the dictionary. */
const char *csa_dict_string(const csa_dict *d, uint32_t code, size_t *len);
/* The code of a string, or CSA_NO_CODE. */
uint32_t csa_dict_find(const csa_dict *d, const char *s, size_t len);
/* A hint that s will soon be looked up or added: starts fetching its slot
 * when the dictionary is too big to stay in the nearest caches. */
void csa_dict_prefetch(const csa_dict *d, const char *s, size_t len);

/* Group-by count (and optional sum) over one or more string columns, into
 * a dense array indexed row-major by the key codes:
 * cell = ((code0 * size1) + code1) * size2 + code2 ...
 * Rows [begin, end) of a frozen table are read. Rows with a missing key are
 * not grouped; they are counted in nmissing. */
typedef struct csa_groups {
    size_t nkeys;
    size_t sizes[4];    /* dictionary size of each key */
    size_t ncells;      /* product of sizes */
    int64_t *counts;    /* ncells rows per cell */
    double *sums;       /* ncells sums when a value column was given, else NULL */
    size_t nmissing;    /* rows with a missing key */
} csa_groups;
enum { CSA_GROUPS_MAX_KEYS = 4, CSA_GROUPS_MAX_CELLS = 1 << 28 };

/* keys: column indexes of string columns; sum_col: an int64 or double
 * column to sum, or CSA_NO_ROW for counts only (missing values add 0).
 * On success *out is owned by the caller: free with csa_groups_free. */
csa_status csa_table_group(const csa_table *t, const size_t *keys, size_t nkeys,
                           size_t sum_col, size_t begin, size_t end,
                           csa_groups **out, csa_error *err);
void csa_groups_free(csa_groups *g);

/* Join through dictionaries: for every code of string column `col` of
 * `left`, the row of `right` whose string column `key` has the same value,
 * or CSA_NO_ROW. The key must be unique in `right`: a duplicate is
 * CSA_ERR_DUPLICATE naming the value. Both tables frozen. *out has
 * csa_dict_size(left's dict) entries, owned by the caller (free()). */
csa_status csa_table_join(const csa_table *left, size_t col,
                          const csa_table *right, size_t key,
                          size_t **out, csa_error *err);

#endif
