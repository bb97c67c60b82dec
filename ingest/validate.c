/* Validation: every problem in a partner's file, by line and column, with
 * what to do about it. Streams through the shared reader; per-file state
 * is per month, per distinct code and per identifier, not per row. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csa/month.h"
#include "csa/stats.h"
#include "reader.h"

/* The checks: a stable identifier, a severity and what a partner should do. */
typedef struct check_def {
    const char *id;
    csa_severity severity;
    const char *advice;
} check_def;

static const check_def checks[] = {
    {"empty-file", CSA_ERROR, "Export the data again: the file has no header and no rows."},
    {"header-only", CSA_ERROR, "The file has a header but no rows: check the extract's filters."},
    {"missing-column", CSA_ERROR, "Add the column, or rename the column that holds it to one of the names listed."},
    {"duplicate-column", CSA_ERROR, "Remove or rename one of the two columns."},
    {"unknown-column", CSA_WARNING, "Rename it if it is one of the spec's columns; otherwise it is ignored."},
    {"wrong-field-count", CSA_ERROR, "Look for a comma inside a value that is not in double quotes, or a missing value."},
    {"cut-off-last-line", CSA_ERROR, "The file ends part-way through its last row: export or copy it again."},
    {"unclosed-quote", CSA_ERROR, "Close the quote; a quote inside a quoted value is written twice (\"\")."},
    {"field-too-long", CSA_ERROR, "A value is over 64 KiB: check for a quote that is not closed."},
    {"nul-byte", CSA_ERROR, "The file holds NUL bytes: it may be damaged or saved as UTF-16; save it as CSV UTF-8."},
    {"invalid-utf8", CSA_ERROR, "Save the file as CSV UTF-8; the byte was read as a replacement character."},
    {"windows-1252", CSA_WARNING, "The file was read as Windows-1252 (Excel's default) and converted; saving as \"CSV UTF-8\" avoids this."},
    {"mixed-line-endings", CSA_WARNING, "The file mixes line endings, as when files are joined by hand; check no rows were split."},
    {"missing-value", CSA_ERROR, "Fill in the value: the row cannot be used without it."},
    {"bad-number", CSA_ERROR, "Write numbers as digits (1234 or 1,234.5); write *, .. or c for a suppressed value."},
    {"bad-date", CSA_ERROR, "Write dates as 2018-06, 2018-06-30 or 30/06/2018."},
    {"bad-time", CSA_ERROR, "Write times as HH:MM on the 24-hour clock, 00:00 to 23:59; leave it blank when unknown."},
    {"out-of-range", CSA_ERROR, "Check the value: it is outside what the column allows."},
    {"suppressed-value", CSA_NOTE, "Suppressed values (*, .. or c) are read as missing, not as zero."},
    {"bad-area-code", CSA_ERROR, "Use 9-character ONS codes: E01016735 (LSOA), E05009407 (ward), E06000042 (authority)."},
    {"not-in-list", CSA_ERROR, "Use one of the published values exactly; 'csa specs NAME' lists them."},
    {"unlisted-value", CSA_WARNING, "Not one of the published values: check the spelling, or tell the analyst about a new category."},
    {"unknown-code", CSA_ERROR, "The code is not in the lookup: check it, and that the lookup is for the same boundaries (2011 or 2021 LSOAs)."},
    {"outside-area", CSA_WARNING, "These rows are outside the area and will be left out."},
    {"duplicate-id", CSA_ERROR, "Remove the repeated row, or find why two records share an identifier."},
    {"repeated-id", CSA_WARNING, "police.uk publishes some records of a month under one Crime ID: the rows are counted as published. Nothing to fix unless the file was edited."},
    {"missing-id", CSA_WARNING, "Fill in the identifier, so that repeated rows can be found."},
    {"asb-without-id", CSA_NOTE, "Expected: police.uk gives anti-social behaviour no Crime ID."},
    {"outside-period", CSA_WARNING, "These rows fall outside the period and will be left out."},
    {"missing-month", CSA_WARNING, "No rows for this month: send it, or confirm there were none."},
    {"blank-area", CSA_NOTE, "Rows without a location cannot be placed in an area; they are left out of area figures."},
    {"blank-lsoa-share", CSA_WARNING, "A rising share of rows without an LSOA makes crime look like it is falling: ask the force why."},
    {"partial-month", CSA_WARNING, "This month has far fewer rows than the others: check the extract is complete."},
    {"small-count", CSA_WARNING, "Counts this small may identify people: suppress them before publishing (csa does so in its outputs)."},
    {"duplicate-check-limited", CSA_NOTE, "The file has more identifiers than the duplicate check holds; later ones were not checked."},
    /* across the files of one input (csa_validate_set) */
    {"duplicate-file", CSA_ERROR, "Remove one of the two files: a file given twice is counted twice (a download saved again is named like \"... (1).csv\")."},
    {"duplicate-month", CSA_ERROR, "Remove one of the two files, or the month's rows from one of them: a month in two files is counted twice."},
    {"shared-id", CSA_ERROR, "The same records are in both files: remove the repeated rows, or the file that repeats them."},
};
enum { NCHECKS = sizeof checks / sizeof checks[0] };

enum { FIRST_YEAR = 1900, NMONTHS = (2201 - FIRST_YEAR) * 12, MAX_IDS = 1 << 23 };

typedef struct month_stats {
    uint64_t rows, blank_area;
} month_stats;

/* Hashed identifiers of one month, open addressing, 0 = empty. One set a
 * month keeps each small enough to stay in cache as a month is read. */
typedef struct id_set {
    uint64_t *slots;
    size_t n, cap;
} id_set;

/* A column's published values, open addressing (a NULL s is an empty slot)
 * on a hash cheaper than the dictionaries' (see code_hash): a listed
 * column's value is looked up on most rows. */
typedef struct code_slot {
    const char *s;
    size_t len;
} code_slot;

typedef struct code_set {
    code_slot *slots;
    size_t mask;
} code_set;

/* The last cell of a date column that passed its checks, kept so that a
 * row repeating it (a month's rows come together) skips reading it again:
 * a date cell's checks depend only on its bytes. */
typedef struct cell_memo {
    char raw[32];
    size_t len; /* SIZE_MAX: nothing kept */
    cell_status status;
    csa_value val;
} cell_memo;

typedef struct validator {
    const csa_validate_options *opt;
    const csa_spec *spec;
    const char *name;
    csa_validation *v;
    csa_status status;

    uint64_t fired[NCHECKS];       /* findings per check */
    size_t nkeep_found;
    size_t cap_findings;
    bool row_error;                /* the current row has an error */

    size_t header_nfields;
    size_t field_of[CSA_SPEC_MAX_COLUMNS];
    bool *keep;
    reader_callbacks cb;
    bool header_seen;
    bool second_half; /* reads the header again after the first half: no findings for it */

    size_t area_col, period_col, id_col, type_col; /* spec columns, or CSA_NO_ROW */
    size_t source_col;      /* CSA_COL_SOURCE, or CSA_NO_ROW */
    size_t scope_col;       /* CSA_COL_SCOPE, or CSA_NO_ROW */
    uint64_t row_scope;     /* the row's scope value mixed into its identifier's hash,
                               0 for none; row_scope_text is the value as written */
    char row_scope_text[32];
    bool id_per_month;      /* id_col is CSA_COL_ID: unique within a month; else in the file */
    int period_last_month; /* month_of(opt->period_last), with --period */
    int32_t rows_from;     /* the first day a row may have: opt->history_first, or
                              opt->period_first when there is no history */
    cell_memo memo[CSA_SPEC_MAX_COLUMNS];
    /* how each column's cells are checked: see prepare */
    enum { CHECK_ALL, CHECK_MEMO, CHECK_PLAIN, CHECK_NUMBER } how[CSA_SPEC_MAX_COLUMNS];
    code_set lists[CSA_SPEC_MAX_COLUMNS];           /* allowed values */
    size_t *lookup_row;  /* lookup dict code -> row */
    bool *lookup_inside; /* lookup row -> inside opt->area */
    const csa_dict *lookup_dict;

    month_stats *months; /* NMONTHS, allocated on the first period value */
    int32_t last_days;
    int last_month;

    id_set *ids; /* per month (NMONTHS), and [NMONTHS] for rows without one */
    size_t nids;
    size_t first_ids_cap; /* the first set's slots: see first_set_cap */
    uint64_t *sorted_ids; /* with opt->keep_ids, once read: see sort_ids */
    size_t nsorted_ids;
    size_t id_set_last; /* the set of the last identifier, for peek */

    uint64_t suppressed;
    uint64_t blank_area_total;

    size_t cap_sources;
    size_t source_last; /* the entry of the last row's month and source */
    int source_last_month;

    /* with opt->ingest: the file ingested from the same rows (or this
     * half of it, into a table of its own for the second half) */
    ingest *sink;
    bool sink_stopped; /* ingest stopped at an error: no more rows for it */
    csa_table *sink_table;
    csa_ingest_stats sink_stats;
    csa_status sink_status;
    csa_error sink_err;
} validator;

const char *csa_severity_name(csa_severity s)
{
    return s == CSA_ERROR ? "error" : s == CSA_WARNING ? "warning" : "note";
}

static size_t check_index(const char *id)
{
    /* the compiler merges equal literals, so a pointer usually finds it: a
     * check fired on many rows (asb-without-id) costs no string compares */
    for (size_t i = 0; i < NCHECKS; i++)
        if (checks[i].id == id)
            return i;
    for (size_t i = 0; i < NCHECKS; i++)
        if (strcmp(checks[i].id, id) == 0)
            return i;
    return 0; /* not reached: ids are literals from the table */
}

static void keep_finding(validator *va, const csa_finding *f)
{
    csa_validation *v = va->v;
    if (v->nfindings == va->cap_findings) {
        size_t cap = va->cap_findings ? va->cap_findings * 2 : 32;
        csa_finding *grown = realloc(v->findings, cap * sizeof *grown);
        if (!grown) {
            va->status = CSA_ERR_NOMEM;
            return;
        }
        v->findings = grown;
        va->cap_findings = cap;
    }
    v->findings[v->nfindings++] = *f;
}

/* Counts a finding of check c; true when it is among the first
 * keep_per_check of its check, to be kept with found(). The rest are only
 * counted: a national file checked for one area has millions of rows
 * outside it, and writing each one's message took a fifth of the run. */
static bool fire(validator *va, size_t c)
{
    csa_validation *v = va->v;
    csa_severity severity = checks[c].severity;
    if (severity == CSA_ERROR)
        va->row_error = true;
    v->errors += severity == CSA_ERROR;
    v->warnings += severity == CSA_WARNING;
    v->notes += severity == CSA_NOTE;
    if (va->fired[c]++ == 0) {
        csa_check_count *cc = realloc(v->checks, (v->nchecks + 1) * sizeof *cc);
        if (!cc) {
            va->status = CSA_ERR_NOMEM;
            return false;
        }
        v->checks = cc;
        v->checks[v->nchecks++] = (csa_check_count){checks[c].id, severity, 0};
    }
    for (size_t i = 0; i < v->nchecks; i++)
        if (v->checks[i].check == checks[c].id)
            v->checks[i].count++;
    return va->fired[c] <= va->opt->keep_per_check;
}

/* Keeps a finding of check c that fire() counted. */
static void found(validator *va, size_t c, uint64_t line, uint64_t column, const char *field,
                  const char *value, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

static void found(validator *va, size_t c, uint64_t line, uint64_t column, const char *field,
                  const char *value, const char *fmt, ...)
{
    csa_finding f = {.check = checks[c].id, .severity = checks[c].severity,
                     .advice = checks[c].advice};
    char msg[CSA_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    csa_error_set(&f.where, CSA_ERR_VALUE, va->name, line, column, field, value, "%s", msg);
    keep_finding(va, &f);
}
/* A finding of check `id`: its message is written only when it is kept. */
#define FOUND(va, id, ...)                                                                 \
    do {                                                                                   \
        size_t found_c = check_index(id);                                                  \
        if (fire(va, found_c))                                                             \
            found(va, found_c, __VA_ARGS__);                                               \
    } while (0)

/* ---- header ---- */

static size_t edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t row[64];
    if (la >= 63 || lb >= 63)
        return SIZE_MAX;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            char ca = (char)(a[i - 1] | 0x20), cb = (char)(b[j - 1] | 0x20);
            size_t best = diag + (ca != cb);
            best = up + 1 < best ? up + 1 : best;
            best = row[j - 1] + 1 < best ? row[j - 1] + 1 : best;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

size_t csa_edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
    return edit_distance(a, la, b, lb);
}

/* The spec column name nearest a header that matched none, or NULL. */
static const char *near_miss(const csa_spec *spec, const char *h, size_t len)
{
    const char *best = NULL;
    size_t best_d = len / 3 + 1 < 4 ? len / 3 + 1 : 4;
    for (size_t c = 0; c < spec->ncolumns; c++) {
        const char *names = spec->columns[c].name;
        size_t d = edit_distance(h, len, names, strlen(names));
        if (d < best_d) {
            best_d = d;
            best = names;
        }
        for (const char *a = spec->columns[c].aliases; a && *a;) {
            const char *bar = strchr(a, '|');
            size_t alen = bar ? (size_t)(bar - a) : strlen(a);
            d = edit_distance(h, len, a, alen);
            if (d < best_d) {
                best_d = d;
                best = spec->columns[c].name;
            }
            a = bar ? bar + 1 : a + alen;
        }
    }
    return best;
}

static void on_header(validator *va, const reader_row *row)
{
    const csa_spec *spec = va->spec;
    size_t dup, dup_field;
    va->header_nfields = row->nfields;
    map_header(spec, row, va->field_of, &dup, &dup_field);
    if (va->second_half) {
        va->keep = calloc(row->nfields ? row->nfields : 1, sizeof *va->keep);
        if (!va->keep) {
            va->status = CSA_ERR_NOMEM;
            return;
        }
        for (size_t c = 0; c < spec->ncolumns; c++)
            if (va->field_of[c] != CSA_NO_ROW)
                va->keep[va->field_of[c]] = true;
        va->cb.keep = va->keep;
        va->cb.nkeep = row->nfields;
        return;
    }
    if (dup != CSA_NO_ROW)
        FOUND(va, "duplicate-column", row->line, dup_field + 1, spec->columns[dup].name, NULL,
              "column \"%s\" appears twice (columns %zu and %zu); the first is read",
              spec->columns[dup].name, va->field_of[dup] + 1, dup_field + 1);
    for (size_t c = 0; c < spec->ncolumns; c++)
        if (va->field_of[c] == CSA_NO_ROW && (spec->columns[c].flags & CSA_COL_REQUIRED))
            FOUND(va, "missing-column", row->line, 0, spec->columns[c].name, NULL,
                  "missing column \"%s\" (%s)", spec->columns[c].name, spec->columns[c].about);
    va->keep = calloc(row->nfields ? row->nfields : 1, sizeof *va->keep);
    if (!va->keep) {
        va->status = CSA_ERR_NOMEM;
        return;
    }
    for (size_t f = 0; f < row->nfields; f++) {
        bool known = false;
        for (size_t c = 0; c < spec->ncolumns; c++)
            if (va->field_of[c] == f) {
                known = va->keep[f] = true;
                break;
            }
        if (known || spec->open || (dup != CSA_NO_ROW && f == dup_field))
            continue;
        char text[CSA_ERROR_VALUE_MAX];
        snprintf(text, sizeof text, "%.*s", (int)(row->lens[f] < 60 ? row->lens[f] : 60),
                 row->fields[f]);
        const char *near = near_miss(spec, row->fields[f], row->lens[f]);
        if (near)
            FOUND(va, "unknown-column", row->line, f + 1, NULL, text,
                  "column \"%s\" is not one of the %s columns: did you mean \"%s\"?", text,
                  spec->name, near);
        else
            FOUND(va, "unknown-column", row->line, f + 1, NULL, text,
                  "column \"%s\" is not one of the %s columns", text, spec->name);
    }
    va->cb.keep = va->keep;
    va->cb.nkeep = row->nfields;
}

/* ---- rows ---- */

/* A value as messages quote it: whole when it fits, which any real value
 * does; a longer one is cut at a character's start and ends "...", so a
 * cut is never mistaken for the value. Made only when a message is. */
static const char *quote(char *buf, const char *s, size_t len)
{
    if (len < CSA_ERROR_VALUE_MAX) {
        memcpy(buf, s, len);
        buf[len] = '\0';
        return buf;
    }
    size_t keep = CSA_ERROR_VALUE_MAX - 4;
    while (keep && ((unsigned char)s[keep] & 0xC0) == 0x80)
        keep--;
    memcpy(buf, s, keep);
    memcpy(buf + keep, "...", 4);
    return buf;
}

static bool is_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* An ONS GSS code: a letter, two digits of entity type and six more digits. */
static bool area_code_shape(const char *s, size_t len, bool lsoa)
{
    if (len != 9 || !strchr("EWSN", s[0]) || !is_digits(s + 1, 8))
        return false;
    return !lsoa || (s[1] == '0' && s[2] == '1' && (s[0] == 'E' || s[0] == 'W'));
}


/* Both halves of a 128-bit product folded together (as wyhash mixes). */
static uint64_t mix(uint64_t a, uint64_t b)
{
    unsigned __int128 p = (unsigned __int128)a * b;
    return (uint64_t)p ^ (uint64_t)(p >> 64);
}

/* The hash of an identifier. police.uk's Crime IDs are 64 hex characters:
 * those mix as four independent pairs of words rather than csa_hash's chain
 * of eight multiplies, one after another, on every row. */
static uint64_t id_hash(const char *s, size_t len)
{
    if (len != 64)
        return csa_hash(s, len);
    uint64_t w[8];
    memcpy(w, s, sizeof w);
    uint64_t a = mix(w[0] ^ 0xA0761D6478BD642FULL, w[1] ^ 0xE7037ED1A0B428DBULL);
    uint64_t b = mix(w[2] ^ 0x8EBC6AF09C88C6E3ULL, w[3] ^ 0x589965CC75374CC3ULL);
    uint64_t c = mix(w[4] ^ 0x1D8E4E27C47D124FULL, w[5] ^ 0xBF58476D1CE4E5B9ULL);
    uint64_t d = mix(w[6] ^ 0x94D049BB133111EBULL, w[7] ^ 0x9E3779B97F4A7C15ULL);
    return mix(a ^ c ^ 0xA0761D6478BD642FULL, b ^ d ^ 0xE7037ED1A0B428DBULL);
}

/* The first identifier set's slots for `bytes` of a file still to read:
 * room for a row every 200 bytes (a police.uk row with a Crime ID is
 * about 230), so that a monthly file's set is made once at its size, not
 * doubled from 1,024 slots eight times, each a new zeroed array and every
 * identifier hashed into it again (0.1 CPU s of a 36-month history's
 * reading). At most 2 MB, as a file of many months has a set each. */
static size_t first_set_cap(uint64_t bytes)
{
    size_t cap = 1 << 10;
    while (cap < (1 << 18) && (uint64_t)cap * 3 / 4 < bytes / 200)
        cap *= 2;
    return cap;
}

/* Adds h to the month's identifier set; false when it was there already.
 * *full when the file has more identifiers than are checked. */
static bool id_insert(validator *va, int month, uint64_t h, bool *full)
{
    *full = false;
    if (!va->ids && !(va->ids = calloc(NMONTHS + 1, sizeof *va->ids))) {
        va->status = CSA_ERR_NOMEM;
        return true;
    }
    va->id_set_last = month >= 0 ? (size_t)month : NMONTHS;
    id_set *set = &va->ids[va->id_set_last];
    /* filled to three quarters: 8 bytes an identifier is most of the
     * memory a big file's validation takes */
    if ((set->n + 1) * 4 > set->cap * 3) {
        if (va->nids >= MAX_IDS) {
            *full = true;
            return true;
        }
        size_t cap = set->cap ? set->cap * 2 : va->nids ? 1 << 10 : va->first_ids_cap;
        uint64_t *slots = reader_zeroed(cap, sizeof *slots);
        if (!slots) {
            va->status = CSA_ERR_NOMEM;
            return true;
        }
        for (size_t i = 0; i < set->cap; i++)
            if (set->slots[i]) {
                size_t j = set->slots[i] & (cap - 1);
                while (slots[j])
                    j = (j + 1) & (cap - 1);
                slots[j] = set->slots[i];
            }
        free(set->slots);
        set->slots = slots;
        set->cap = cap;
    }
    size_t j = h & (set->cap - 1);
    while (set->slots[j]) {
        if (set->slots[j] == h)
            return false;
        j = (j + 1) & (set->cap - 1);
    }
    set->slots[j] = h;
    set->n++;
    va->nids++;
    return true;
}

/* Month number since FIRST_YEAR of a date; the last answer is cached since
 * rows of one month come together. */
static int month_of(validator *va, int32_t days)
{
    if (days != va->last_days) {
        va->last_days = days;
        va->last_month = csa_month_diff(days, csa_month_make(FIRST_YEAR, 1));
    }
    return va->last_month;
}

static void month_text(int month, char *buf, size_t size)
{
    snprintf(buf, size, "%04d-%02d", FIRST_YEAR + month / 12, month % 12 + 1);
}

static void check_area(validator *va, const reader_row *row, size_t c, const char *s,
                       size_t len, int month)
{
    char text[CSA_ERROR_VALUE_MAX];
    const csa_spec_column *col = &va->spec->columns[c];
    size_t f = va->field_of[c];
    bool blank = len == 0 || (len == 2 && memcmp(s, "-1", 2) == 0); /* STATS19's unknown */
    if (c == va->area_col && month >= 0 && va->months && blank)
        va->months[month].blank_area++;
    if (blank) {
        va->blank_area_total += c == va->area_col;
        return;
    }
    if (!area_code_shape(s, len, col->flags & CSA_COL_LSOA)) {
        FOUND(va, "bad-area-code", row->line, f + 1, col->name, quote(text, s, len),
              "%s \"%s\" is not %s", col->name, text,
              col->flags & CSA_COL_LSOA ? "an LSOA code (E01 or W01 and six digits)"
                                        : "an ONS area code (a letter and eight digits)");
        return;
    }
    if (c != va->area_col)
        return;
    size_t lrow = CSA_NO_ROW;
    if (va->lookup_dict) {
        uint32_t code = csa_dict_find(va->lookup_dict, s, len);
        lrow = code == CSA_NO_CODE ? CSA_NO_ROW : va->lookup_row[code];
        if (lrow == CSA_NO_ROW) {
            FOUND(va, "unknown-code", row->line, f + 1, col->name, quote(text, s, len),
                  "%s \"%s\" is not in the lookup", col->name, text);
            return;
        }
    }
    if (va->opt->area) {
        bool inside = (strlen(va->opt->area) == len && memcmp(va->opt->area, s, len) == 0) ||
                      (lrow != CSA_NO_ROW && va->lookup_inside[lrow]);
        if (!inside)
            FOUND(va, "outside-area", row->line, f + 1, col->name, quote(text, s, len),
                  "%s \"%s\" is not in %s", col->name, text, va->opt->area);
    }
}

/* A listed value's length and first and last eight bytes tell the
 * published values apart well enough, at a fraction of csa_hash's work. */
static uint64_t code_hash(const char *s, size_t len)
{
    if (len < 8)
        return csa_hash(s, len);
    uint64_t a, b;
    memcpy(&a, s, 8);
    memcpy(&b, s + len - 8, 8);
    uint64_t h = (a ^ len) * 0x9E3779B97F4A7C15ULL ^ b;
    h *= 0xBF58476D1CE4E5B9ULL;
    return h ^ h >> 32;
}

static bool code_listed(const code_set *set, const char *s, size_t len)
{
    for (size_t j = code_hash(s, len) & set->mask; set->slots[j].s; j = (j + 1) & set->mask)
        if (set->slots[j].len == len && memcmp(set->slots[j].s, s, len) == 0)
            return true;
    return false;
}

/* parse_cell without the call for the usual cells: an empty cell, and a
 * string with no space or tab at either end, which is itself. */
static cell_status read_cell(const csa_spec_column *col, const char *s, size_t len,
                             csa_value *val, char *what, size_t size)
{
    if (!len) {
        *val = (csa_value){.missing = true};
        return CELL_BLANK;
    }
    if (col->type == CSA_STRING && s[0] != ' ' && s[0] != '\t' && s[len - 1] != ' ' &&
        s[len - 1] != '\t') {
        *val = (csa_value){.v.str = {s, len}};
        return CELL_OK;
    }
    return parse_cell(col, s, len, val, what, size);
}

/* What a scope cell (a population's year) mixes into the hash of the row's
 * identifier, so that the pair is unique, not the identifier: 0 for a
 * blank or bad cell, which its own check reports. */
static uint64_t scope_hash(const csa_spec_column *col, const char *s, size_t len)
{
    csa_value val;
    char what[96];
    if (read_cell(col, s, len, &val, what, sizeof what) != CELL_OK)
        return 0;
    uint64_t v = col->type == CSA_INT64 ? (uint64_t)val.v.i : csa_hash(s, len);
    return mix(v ^ 0x94D049BB133111EBULL, 0xBF58476D1CE4E5B9ULL) | 2;
}

/* Whether a cell is a plain decimal ("-0.320555") whose whole part alone
 * puts it inside the column's range: parse_cell would read it (see
 * fast_decimal in values.c) and find it in range, and a column that is not
 * a count needs nothing more of it. */
static bool plainly_in_range(const csa_spec_column *col, const char *s, size_t len)
{
    size_t i = len && (s[0] == '-' || s[0] == '+'), digits = 0;
    bool dot = false;
    uint64_t whole = 0;
    for (; i < len; i++) {
        unsigned d = (unsigned char)s[i] - (unsigned)'0';
        if (d <= 9) {
            digits++;
            whole = dot ? whole : whole * 10 + d;
        } else if (s[i] == '.' && !dot) {
            dot = true;
        } else {
            return false;
        }
    }
    double edge = (double)whole + 1; /* the value is within edge either side of 0 */
    return digits >= 1 && digits <= 15 &&
           (!(col->flags & CSA_COL_RANGE) || (edge <= col->max && -edge >= col->min));
}

/* Whether a cell of a plain text or number column (CHECK_PLAIN,
 * CHECK_NUMBER) passes every check, seen without reading it as a value. */
static bool plainly_fine(const csa_spec_column *col, bool number, const char *s, size_t len)
{
    if (!len)
        return !(col->flags & CSA_COL_NOT_NULL);
    if (number)
        return plainly_in_range(col, s, len);
    return s[0] != ' ' && s[0] != '\t' && s[len - 1] != ' ' && s[len - 1] != '\t';
}

static bool memo_hit(const cell_memo *m, const char *s, size_t len)
{
    return m->len == len && memcmp(m->raw, s, len) == 0;
}

/* The checks of one cell, spec column c, in field f. */
static cell_status check_cell(validator *va, const reader_row *row, size_t c, size_t f,
                              int month, csa_value *val, bool *blank_id, bool *asb)
{
    const csa_spec_column *col = &va->spec->columns[c];
    char text[CSA_ERROR_VALUE_MAX], what[96];
    const char *s = row->fields[f];
    size_t len = row->lens[f];
    cell_status cs = read_cell(col, s, len, val, what, sizeof what);
    switch (cs) {
    case CELL_BLANK:
        if (col->flags & CSA_COL_NOT_NULL)
            FOUND(va, "missing-value", row->line, f + 1, col->name, NULL, "%s is blank",
                  col->name);
        *blank_id = *blank_id || c == va->id_col;
        if (col->flags & (CSA_COL_LSOA | CSA_COL_AREA))
            check_area(va, row, c, "", 0, month);
        return cs;
    case CELL_SUPPRESSED:
        va->suppressed++;
        if (col->flags & CSA_COL_NOT_NULL)
            FOUND(va, "missing-value", row->line, f + 1, col->name, quote(text, s, len),
                  "%s is suppressed (\"%s\") but is needed", col->name, text);
        return cs;
    case CELL_BAD:
        FOUND(va, col->type == CSA_DATE ? "bad-date" : "bad-number",
              row->line, f + 1, col->name, quote(text, s, len), "%s \"%s\"%s", col->name, text, what);
        return cs;
    case CELL_RANGE:
        FOUND(va, "out-of-range", row->line, f + 1, col->name, quote(text, s, len), "%s \"%s\"%s",
              col->name, text, what);
        return cs;
    case CELL_OK:
        break;
    }
    if (col->type == CSA_STRING) {
        s = val->v.str.s;
        len = val->v.str.len;
        if (col->codes && !code_listed(&va->lists[c], s, len))
            FOUND(va, col->flags & CSA_COL_CODES_WARN ? "unlisted-value" : "not-in-list",
                  row->line, f + 1, col->name, quote(text, s, len),
                  "%s \"%s\" is not one of the published values", col->name, text);
        if (col->flags & (CSA_COL_LSOA | CSA_COL_AREA))
            check_area(va, row, c, s, len, month);
        if ((col->flags & CSA_COL_TIME) && csa_time_minutes(s, len) < 0)
            FOUND(va, "bad-time", row->line, f + 1, col->name, quote(text, s, len),
                  "%s \"%s\" is not a time of day from 00:00 to 23:59", col->name, text);
        if (c == va->type_col && len == 21 && memcmp(s, "Anti-social behaviour", 21) == 0)
            *asb = true;
        if (c == va->id_col) {
            bool full;
            int scope = va->id_per_month ? month : -1;
            bool fresh = id_insert(va, scope, (id_hash(s, len) ^ va->row_scope) | 1,
                                   &full); /* 0: an empty slot */
            if (!fresh && (col->flags & CSA_COL_ID_REPEATS))
                FOUND(va, "repeated-id", row->line, f + 1, col->name, quote(text, s, len),
                      "%s \"%s\" appears more than once in the month (police.uk publishes "
                      "some records so); each row is counted as published", col->name, text);
            else if (!fresh && va->row_scope)
                FOUND(va, "duplicate-id", row->line, f + 1, col->name, quote(text, s, len),
                      "%s \"%s\" appears more than once for %s %s", col->name, text,
                      va->spec->columns[va->scope_col].name, va->row_scope_text);
            else if (!fresh)
                FOUND(va, "duplicate-id", row->line, f + 1, col->name, quote(text, s, len),
                      "%s \"%s\" appears more than once%s", col->name, text,
                      scope >= 0 ? " in the month" : "");
            else if (full && va->fired[check_index("duplicate-check-limited")] == 0)
                FOUND(va, "duplicate-check-limited", row->line, f + 1, col->name, NULL,
                      "duplicate identifiers are checked over the first %d rows only",
                      MAX_IDS);
        }
    } else if ((col->flags & CSA_COL_COUNT) && va->opt->disclosure_threshold > 1) {
        double n = col->type == CSA_INT64 ? (double)val->v.i : val->v.d;
        if (n >= 1 && n < (double)va->opt->disclosure_threshold)
            FOUND(va, "small-count", row->line, f + 1, col->name, quote(text, s, len),
                  "%s %s is below the disclosure threshold of %lld", col->name, text,
                  (long long)va->opt->disclosure_threshold);
    }
    if ((col->flags & CSA_COL_DAY) && col->type == CSA_DATE) {
        size_t a = 0, b = len; /* "2018-10" alone, spaces aside, is a month */
        while (a < b && s[a] == ' ')
            a++;
        while (b > a && s[b - 1] == ' ')
            b--;
        if (b - a == 7)
            FOUND(va, "bad-date", row->line, f + 1, col->name, quote(text, s, len),
                  "%s \"%s\" is a month: each record needs its day", col->name, text);
    }
    if (c == va->period_col && va->opt->has_period &&
        (val->v.date < va->rows_from || month_of(va, val->v.date) > va->period_last_month)) {
        size_t k = check_index("outside-period");
        if (fire(va, k)) {
            char a[CSA_DATE_TEXT_MAX], b[CSA_DATE_TEXT_MAX];
            bool before_history = va->opt->history_first && val->v.date < va->rows_from;
            csa_format_date(before_history ? va->rows_from : va->opt->period_first, true, a);
            csa_format_date(va->opt->period_last, true, b);
            if (before_history)
                found(va, k, row->line, f + 1, col->name, quote(text, s, len),
                      "%s \"%s\" is outside %s to %s, the period and its history",
                      col->name, text, a, b);
            else
                found(va, k, row->line, f + 1, col->name, quote(text, s, len),
                      "%s \"%s\" is outside the period %s to %s", col->name, text, a, b);
        }
    }
    return cs;
}

enum { MAX_SOURCES = 4096 }; /* months x sources kept of a file: centuries of a force */

/* The entry of a month and source in sources, or n when there is none. */
static size_t find_source(const csa_month_source *sources, size_t n, int32_t day,
                          const char *s, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (sources[i].month == day && sources[i].source_len == len &&
            memcmp(sources[i].source, s, len) == 0)
            return i;
    return n;
}

/* Adds rows of a month (its first day) from a source to v->sources, the
 * first of them on `line`. */
static bool add_source(validator *va, int32_t day, const char *s, size_t len, uint64_t rows,
                       uint64_t line)
{
    csa_validation *v = va->v;
    size_t i = find_source(v->sources, v->nsources, day, s, len);
    if (i == v->nsources) {
        if (v->nsources == MAX_SOURCES)
            return false;
        if (v->nsources == va->cap_sources) {
            size_t cap = va->cap_sources ? 2 * va->cap_sources : 16;
            csa_month_source *grown = realloc(v->sources, cap * sizeof *grown);
            if (!grown) {
                va->status = CSA_ERR_NOMEM;
                return false;
            }
            v->sources = grown;
            va->cap_sources = cap;
        }
        char *copy = malloc(len + 1);
        if (!copy) {
            va->status = CSA_ERR_NOMEM;
            return false;
        }
        memcpy(copy, s, len);
        copy[len] = '\0';
        v->sources[v->nsources++] = (csa_month_source){day, 0, 0, copy, len};
    }
    v->sources[i].rows += rows;
    if (line && (!v->sources[i].first_line || line < v->sources[i].first_line))
        v->sources[i].first_line = line; /* halves of a file merge in any order */
    va->source_last = i;
    return true;
}

/* Counts a row of month `month` from the source named in its field: the
 * rows of a month and force come together, so the last entry usually is it. */
static void note_source(validator *va, int month, const char *s, size_t len, uint64_t line)
{
    csa_validation *v = va->v;
    if (va->source_last < v->nsources && month == va->source_last_month) {
        csa_month_source *e = &v->sources[va->source_last];
        if (e->source_len == len && memcmp(e->source, s, len) == 0) {
            e->rows++;
            return;
        }
    }
    if (add_source(va, csa_month_add(csa_month_make(FIRST_YEAR, 1), month), s, len, 1, line))
        va->source_last_month = month;
}

static void on_data_row(validator *va, const reader_row *row)
{
    const csa_spec *spec = va->spec;
    char what[96];
    csa_validation *v = va->v;
    v->rows++;
    va->row_error = false;
    if (row->nfields != va->header_nfields) {
        size_t col = (row->nfields < va->header_nfields ? row->nfields : va->header_nfields) + 1;
        if (row->last && row->nfields < va->header_nfields)
            FOUND(va, "cut-off-last-line", row->line, col, NULL, NULL,
                  "the last row ends after %zu of %zu fields, without a line end",
                  row->nfields, va->header_nfields);
        else
            FOUND(va, "wrong-field-count", row->line, col, NULL, NULL,
                  "row has %zu field%s; the header has %zu", row->nfields,
                  row->nfields == 1 ? "" : "s", va->header_nfields);
        return;
    }
    if (row->too_long)
        FOUND(va, "field-too-long", row->line, 0, NULL, NULL, "a field is longer than 64 KiB");
    /* the period first: per-month checks of the other columns need it */
    int month = -1;
    csa_value val;
    if (va->period_col != CSA_NO_ROW && va->field_of[va->period_col] != CSA_NO_ROW) {
        size_t f = va->field_of[va->period_col];
        const cell_memo *m = &va->memo[va->period_col];
        cell_status cs;
        if (va->how[va->period_col] == CHECK_MEMO && memo_hit(m, row->fields[f], row->lens[f])) {
            cs = m->status;
            val = m->val;
        } else {
            cs = read_cell(&spec->columns[va->period_col], row->fields[f], row->lens[f], &val,
                           what, sizeof what);
        }
        if (cs == CELL_OK) {
            month = month_of(va, val.v.date);
            if (month >= 0 && month < NMONTHS) {
                if (!va->months && !(va->months = calloc(NMONTHS, sizeof *va->months))) {
                    va->status = CSA_ERR_NOMEM;
                    return;
                }
                va->months[month].rows++;
                if (va->source_col != CSA_NO_ROW && va->field_of[va->source_col] != CSA_NO_ROW) {
                    size_t sf = va->field_of[va->source_col];
                    note_source(va, month, row->fields[sf], row->lens[sf], row->line);
                }
                v->first_period = val.v.date < v->first_period ? val.v.date : v->first_period;
                v->last_period = val.v.date > v->last_period ? val.v.date : v->last_period;
            } else {
                month = -1;
            }
        }
    }
    va->row_scope = 0;
    if (va->scope_col != CSA_NO_ROW && va->field_of[va->scope_col] != CSA_NO_ROW) {
        size_t f = va->field_of[va->scope_col];
        va->row_scope = scope_hash(&spec->columns[va->scope_col], row->fields[f], row->lens[f]);
        quote(va->row_scope_text, row->fields[f], row->lens[f] < 31 ? row->lens[f] : 31);
    }
    bool blank_id = false, asb = false;
    for (size_t c = 0; c < spec->ncolumns; c++) {
        size_t f = va->field_of[c];
        if (f == CSA_NO_ROW)
            continue;
        const char *s = row->fields[f];
        size_t len = row->lens[f];
        if ((va->how[c] == CHECK_PLAIN || va->how[c] == CHECK_NUMBER) &&
            plainly_fine(&spec->columns[c], va->how[c] == CHECK_NUMBER, s, len))
            continue;
        if (va->how[c] != CHECK_MEMO) {
            check_cell(va, row, c, f, month, &val, &blank_id, &asb);
            continue;
        }
        cell_memo *m = &va->memo[c];
        if (memo_hit(m, s, len))
            continue;
        uint64_t before = v->errors + v->warnings + v->notes;
        cell_status cs = check_cell(va, row, c, f, month, &val, &blank_id, &asb);
        m->len = SIZE_MAX;
        if ((cs == CELL_OK || cs == CELL_BLANK) && len <= sizeof m->raw &&
            v->errors + v->warnings + v->notes == before) {
            memcpy(m->raw, s, len);
            m->len = len;
            m->status = cs;
            m->val = val;
        }
    }
    if (blank_id && va->id_col != CSA_NO_ROW && va->id_per_month) {
        size_t f = va->field_of[va->id_col];
        if (asb)
            FOUND(va, "asb-without-id", row->line, f + 1, spec->columns[va->id_col].name, NULL,
                  "anti-social behaviour rows have no %s", spec->columns[va->id_col].name);
        else
            FOUND(va, "missing-id", row->line, f + 1, spec->columns[va->id_col].name, NULL,
                  "%s is blank", spec->columns[va->id_col].name);
    }
    v->usable += !va->row_error;
}

/* Starts fetching the identifier set's slot that a row a few rows ahead
 * will look up: a month's set is bigger than the cache, and the lookup is
 * otherwise a wait for memory on every row. That row is taken to be of the
 * last identifier's month, as a month's rows come together. */
static void on_peek(void *ctx, const batch_field *fields, size_t n)
{
    validator *va = ctx;
    if (va->sink && !va->sink_stopped)
        ingest_fed_peek(va->sink, fields, n);
    const id_set *set = va->ids ? &va->ids[va->id_set_last] : NULL;
    if (va->id_col == CSA_NO_ROW || !set || !set->cap)
        return;
    size_t f = va->field_of[va->id_col];
    for (size_t i = 0; i < n && fields[i].f <= f; i++)
        if (fields[i].f == f)
            __builtin_prefetch(&set->slots[(id_hash(fields[i].s, fields[i].len) | 1) &
                                           (set->cap - 1)]);
}

static bool on_row(void *ctx, const reader_row *row)
{
    validator *va = ctx;
    if (!va->header_seen) {
        va->header_seen = true;
        on_header(va, row);
    } else {
        on_data_row(va, row);
    }
    /* ingest's columns are spec columns, so the row has every field it reads */
    if (va->sink && !va->sink_stopped)
        va->sink_stopped = !ingest_fed_row(va->sink, row);
    return va->status == CSA_OK;
}

static void on_event(void *ctx, reader_event ev, uint64_t line, uint64_t byte,
                     uint64_t offset, unsigned char value)
{
    validator *va = ctx;
    char hex[8];
    snprintf(hex, sizeof hex, "0x%02X", value);
    if (ev == EVENT_WINDOWS_1252)
        FOUND(va, "windows-1252", line, byte, NULL, hex,
              "byte %s at byte %llu of the line is not UTF-8: the file is read as "
              "Windows-1252", hex, (unsigned long long)byte);
    else if (ev == EVENT_INVALID_UTF8)
        FOUND(va, "invalid-utf8", line, byte, NULL, hex,
              "byte %s at byte %llu of the line (byte %llu of the file) is not valid UTF-8",
              hex, (unsigned long long)byte, (unsigned long long)offset);
    else
        FOUND(va, "nul-byte", line, byte, NULL, NULL,
              "a NUL byte at byte %llu of the line (byte %llu of the file)",
              (unsigned long long)byte, (unsigned long long)offset);
}

/* ---- the file as a whole ---- */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Missing months and months much smaller than the rest (partial extracts). */
static void coverage_checks(validator *va)
{
    const char *period = va->period_col != CSA_NO_ROW ? va->spec->columns[va->period_col].name
                                                      : "period";
    char m[16];
    if (!va->months)
        return;
    int first = 0, last = NMONTHS - 1;
    while (first < NMONTHS && !va->months[first].rows)
        first++;
    while (last >= 0 && !va->months[last].rows)
        last--;
    if (va->opt->has_period) {
        /* and the history's from its first with rows */
        int from = month_of(va, va->opt->period_first);
        first = va->opt->history_first ? month_of(va, va->opt->history_first) : from;
        while (first >= 0 && first < from && !va->months[first].rows)
            first++;
        if (first < 0 || first > from)
            first = from;
        last = month_of(va, va->opt->period_last);
    }
    enum { MAX_COUNTS = 600 }; /* fifty years of months is plenty for a median */
    uint64_t counts[MAX_COUNTS];
    size_t ncounts = 0;
    for (int i = first; i <= last && i >= 0 && i < NMONTHS; i++) {
        month_text(i, m, sizeof m);
        if (!va->months[i].rows)
            FOUND(va, "missing-month", 0, 0, period, m, "no rows for %s", m);
        else if (ncounts < MAX_COUNTS)
            counts[ncounts++] = va->months[i].rows;
    }
    /* a month under half the median month is likely a partial extract */
    if (ncounts < 3)
        return;
    qsort(counts, ncounts, sizeof *counts, cmp_u64);
    double median = ncounts % 2 ? (double)counts[ncounts / 2]
                                : ((double)counts[ncounts / 2 - 1] + (double)counts[ncounts / 2]) / 2;
    for (int i = first; i <= last && i >= 0 && i < NMONTHS; i++)
        if (va->months[i].rows && (double)va->months[i].rows < median / 2) {
            month_text(i, m, sizeof m);
            FOUND(va, "partial-month", 0, 0, period, m,
                  "%s has %llu rows, under half the median month (%.0f)", m,
                  (unsigned long long)va->months[i].rows, median);
        }
}

/* The share of rows without an area, per month and over the file. */
static void blank_area_checks(validator *va)
{
    csa_validation *v = va->v;
    const char *area = va->area_col != CSA_NO_ROW ? va->spec->columns[va->area_col].name : "area";
    char m[16], share[32], n[32];
    for (int i = 0; va->months && va->area_col != CSA_NO_ROW && i < NMONTHS; i++) {
        if (!va->months[i].rows)
            continue;
        double s = (double)va->months[i].blank_area / (double)va->months[i].rows;
        month_text(i, m, sizeof m);
        if (s > va->opt->max_blank_area_share)
            FOUND(va, "blank-lsoa-share", 0, 0, area, m,
                  "%s: %.1f%% of rows have no %s (more than %g%%)", m, 100 * s, area,
                  100 * va->opt->max_blank_area_share);
    }
    if (va->blank_area_total && v->rows) {
        snprintf(share, sizeof share, "%.1f%%", 100.0 * (double)va->blank_area_total / (double)v->rows);
        FOUND(va, "blank-area", 0, 0, area, NULL, "%s row%s (%s) %s no %s",
              csa_format_number((double)va->blank_area_total, 0, n, sizeof n),
              va->blank_area_total == 1 ? "" : "s", share,
              va->blank_area_total == 1 ? "has" : "have", area);
    }
}

/* Keeps the rows per month in the result, for coverage over many files. */
static bool keep_months(validator *va)
{
    csa_validation *v = va->v;
    if (!va->months || v->first_period > v->last_period)
        return true;
    int first = month_of(va, v->first_period), last = month_of(va, v->last_period);
    v->nmonths = (size_t)(last - first + 1);
    v->month_rows = malloc(v->nmonths * sizeof *v->month_rows);
    if (!v->month_rows)
        return false;
    for (size_t i = 0; i < v->nmonths; i++)
        v->month_rows[i] = va->months[first + (int)i].rows;
    return true;
}

static csa_status prepare(validator *va, csa_error *err)
{
    const csa_spec *spec = va->spec;
    va->area_col = va->period_col = va->id_col = va->type_col = va->source_col = CSA_NO_ROW;
    va->scope_col = CSA_NO_ROW;
    for (size_t c = 0; c < spec->ncolumns; c++) {
        unsigned fl = spec->columns[c].flags;
        if (fl & CSA_COL_SCOPE)
            va->scope_col = c;
        if ((fl & CSA_COL_LSOA) && va->area_col == CSA_NO_ROW)
            va->area_col = c;
        if ((fl & CSA_COL_PERIOD) && spec->columns[c].type == CSA_DATE && va->period_col == CSA_NO_ROW)
            va->period_col = c;
        if ((fl & (CSA_COL_ID | CSA_COL_UNIQUE)) && va->id_col == CSA_NO_ROW) {
            va->id_col = c;
            va->id_per_month = fl & CSA_COL_ID;
        }
        if ((fl & CSA_COL_SOURCE) && va->source_col == CSA_NO_ROW)
            va->source_col = c;
        if (strcmp(spec->columns[c].name, "Crime type") == 0)
            va->type_col = c;
        if (!spec->columns[c].codes)
            continue;
        size_t n = 0, cap = 16;
        while (spec->columns[c].codes[n])
            n++;
        while (cap < 2 * n)
            cap *= 2;
        code_set *set = &va->lists[c];
        if (!(set->slots = calloc(cap, sizeof *set->slots)))
            return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
        set->mask = cap - 1;
        for (size_t i = 0; i < n; i++) {
            const char *code = spec->columns[c].codes[i];
            size_t len = strlen(code);
            if (code_listed(set, code, len))
                continue;
            size_t j = code_hash(code, len) & set->mask;
            while (set->slots[j].s)
                j = (j + 1) & set->mask;
            set->slots[j] = (code_slot){code, len};
        }
    }
    if (va->area_col == CSA_NO_ROW)
        for (size_t c = 0; c < spec->ncolumns && va->area_col == CSA_NO_ROW; c++)
            if (spec->columns[c].flags & CSA_COL_AREA)
                va->area_col = c;
    for (size_t c = 0; c < spec->ncolumns; c++) {
        /* a plain text column has nothing to check in a filled cell with no
         * space at either end, nor a number column that is not a count in a
         * number plainly in range (see plainly_in_range); a date is worth
         * keeping (other cells are cheap enough to check that comparing
         * them with the last would cost more than it saves) */
        const csa_spec_column *col = &spec->columns[c];
        bool state = c == va->id_col || (col->flags & (CSA_COL_LSOA | CSA_COL_AREA));
        bool special = state || c == va->type_col || c == va->period_col ||
                       (col->flags & CSA_COL_TIME);
        va->memo[c].len = SIZE_MAX;
        va->how[c] = CHECK_ALL;
        if (col->type == CSA_STRING && !col->codes && !special)
            va->how[c] = CHECK_PLAIN;
        else if (col->type == CSA_DOUBLE && !(col->flags & CSA_COL_COUNT) && !special)
            va->how[c] = CHECK_NUMBER;
        else if (col->type == CSA_DATE && !state)
            va->how[c] = CHECK_MEMO;
    }
    if (va->opt->has_period)
        va->period_last_month = month_of(va, va->opt->period_last);
    va->rows_from = va->opt->history_first ? va->opt->history_first : va->opt->period_first;
    const csa_table *lk = va->opt->lookup;
    if (lk) {
        if (!csa_table_ncols(lk) || csa_table_column_type(lk, 0) != CSA_STRING)
            return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                                 "a lookup's first column must be its area codes");
        va->lookup_dict = csa_table_dict(lk, 0);
        size_t ncodes = csa_dict_size(va->lookup_dict), nrows = csa_table_nrows(lk);
        va->lookup_row = malloc((ncodes ? ncodes : 1) * sizeof *va->lookup_row);
        va->lookup_inside = calloc(nrows ? nrows : 1, sizeof *va->lookup_inside);
        if (!va->lookup_row || !va->lookup_inside)
            return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
        for (size_t i = 0; i < ncodes; i++)
            va->lookup_row[i] = CSA_NO_ROW;
        const uint32_t *codes = csa_table_codes(lk, 0);
        for (size_t r = 0; r < nrows; r++) {
            if (codes[r] != CSA_NO_CODE)
                va->lookup_row[codes[r]] = r;
            for (size_t c = 0; va->opt->area && c < csa_table_ncols(lk); c++) {
                if (csa_table_column_type(lk, c) != CSA_STRING || !csa_table_valid(lk, c, r))
                    continue;
                const char *s = csa_dict_string(csa_table_dict(lk, c), csa_table_codes(lk, c)[r], NULL);
                if (strcmp(s, va->opt->area) == 0)
                    va->lookup_inside[r] = true;
            }
        }
    }
    return CSA_OK;
}

void csa_validation_free(csa_validation *v)
{
    if (!v)
        return;
    free(v->findings);
    free(v->checks);
    free(v->month_rows);
    free(v->id_hashes);
    for (size_t i = 0; i < v->nsources; i++)
        free(v->sources[i].source);
    free(v->sources);
    free(v);
}

void csa_validation_drop_ids(csa_validation *v)
{
    free(v->id_hashes);
    v->id_hashes = NULL;
    v->nid_hashes = 0;
}

static int cmp_u64(const void *a, const void *b);

/* Sorts a bucket of hashes: buckets hold a few each, unless the hashes
 * were made to collide. */
static void sort_bucket(uint64_t *a, size_t n)
{
    if (n > 32) {
        qsort(a, n, sizeof *a, cmp_u64);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        uint64_t x = a[i];
        size_t j = i;
        for (; j && a[j - 1] > x; j--)
            a[j] = a[j - 1];
        a[j] = x;
    }
}

/* With keep_ids, va's identifiers' hashes, sorted, each once, into
 * va->sorted_ids. The hashes are uniform, so they go straight from the
 * sets into buckets by their top bits (a few a bucket) and each bucket is
 * sorted: no second array; the scatter's cache misses are most of it. Each
 * half of a file read in two sorts its own, on its own thread. */
static void sort_ids(validator *va)
{
    if (!va->opt->keep_ids || va->id_col == CSA_NO_ROW)
        return;
    size_t n = 0;
    for (size_t m = 0; va->ids && m <= NMONTHS; m++)
        n += va->ids[m].n;
    int bits = 4;
    while (bits < 16 && ((size_t)1 << (bits + 2)) < n)
        bits++;
    size_t nb = (size_t)1 << bits;
    size_t *end = calloc(nb + 1, sizeof *end);
    uint64_t *a = malloc((n ? n : 1) * sizeof *a);
    if (!a || !end) {
        free(a);
        free(end);
        va->status = CSA_ERR_NOMEM;
        return;
    }
    for (int pass = 0; pass < 2; pass++) {
        for (size_t m = 0; va->ids && m <= NMONTHS; m++) {
            const id_set *set = &va->ids[m];
            for (size_t j = 0; j < set->cap; j++) {
                uint64_t h = set->slots[j];
                if (!h)
                    continue;
                if (pass == 0)
                    end[(h >> (64 - bits)) + 1]++;
                else
                    a[end[h >> (64 - bits)]++] = h;
            }
        }
        if (pass == 0) /* end[b]: where bucket b starts, until it is filled */
            for (size_t b = 1; b <= nb; b++)
                end[b] += end[b - 1];
    }
    size_t u = 0; /* one identifier in two months of a file is one */
    for (size_t b = 0, start = 0; b < nb; start = end[b++]) {
        sort_bucket(a + start, end[b] - start);
        for (size_t i = start; i < end[b]; i++)
            if (!u || a[i] != a[u - 1])
                a[u++] = a[i];
    }
    free(end);
    va->sorted_ids = a;
    va->nsorted_ids = u;
}

/* With keep_ids, keeps the sorted hashes of va and (read in two halves) vb
 * in the result, each once: the two sorted runs merged. */
static void keep_ids(validator *va, validator *vb)
{
    csa_validation *v = va->v;
    if (!va->opt->keep_ids || va->id_col == CSA_NO_ROW || va->status)
        return;
    if (!vb || !vb->nsorted_ids) {
        uint64_t *fit = realloc(va->sorted_ids, (va->nsorted_ids ? va->nsorted_ids : 1) *
                                                    sizeof *fit);
        v->id_hashes = fit ? fit : va->sorted_ids;
        v->nid_hashes = va->nsorted_ids;
        va->sorted_ids = NULL;
        return;
    }
    const uint64_t *x = va->sorted_ids, *y = vb->sorted_ids;
    size_t nx = va->nsorted_ids, ny = vb->nsorted_ids, i = 0, j = 0, u = 0;
    uint64_t *a = malloc((nx + ny) * sizeof *a);
    if (!a) {
        va->status = CSA_ERR_NOMEM;
        return;
    }
    while (i < nx || j < ny) {
        uint64_t h = j == ny || (i < nx && x[i] <= y[j]) ? x[i++] : y[j++];
        if (!u || a[u - 1] != h)
            a[u++] = h;
    }
    uint64_t *fit = realloc(a, u * sizeof *a);
    v->id_hashes = fit ? fit : a;
    v->nid_hashes = u;
}

bool csa_validation_usable(const csa_validation *v, bool strict)
{
    return v->errors == 0 && (!strict || v->warnings == 0);
}

static void validator_free(validator *va)
{
    if (va->sink) {
        reader_info none = {0};
        ingest_fed_close(va->sink, CSA_ERR_STATE, &none);
    }
    csa_validation_free(va->v);
    free(va->keep);
    free(va->months);
    for (size_t m = 0; va->ids && m <= NMONTHS; m++)
        free(va->ids[m].slots);
    free(va->ids);
    free(va->lookup_row);
    free(va->lookup_inside);
    for (size_t c = 0; c < CSA_SPEC_MAX_COLUMNS; c++)
        free(va->lists[c].slots);
    free(va->sorted_ids);
    memset(va, 0, sizeof *va);
}

static csa_status validator_init(validator *va, const csa_validate_options *o, const char *name,
                                 csa_error *err)
{
    *va = (validator){.opt = o, .spec = o->spec, .name = name, .last_days = INT32_MIN,
                      .first_ids_cap = 1 << 10};
    va->v = calloc(1, sizeof *va->v);
    if (!va->v)
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    va->v->first_period = INT32_MAX;
    va->v->last_period = INT32_MIN;
    va->cb = (reader_callbacks){.row = on_row, .event = on_event, .ctx = va,
                                .exact = o->exact_path};
    csa_status st = prepare(va, err);
    if (va->id_col != CSA_NO_ROW || o->ingest)
        va->cb.peek = on_peek;
    return st;
}

/* With opt->ingest, starts ingesting into t from the rows validation
 * reads. An error of ingest's own is its status, not validation's. */
static void sink_open(validator *va, csa_table *t)
{
    const csa_ingest_sink *k = va->opt->ingest;
    if (!k)
        return;
    va->sink_table = t;
    va->sink_stopped = false;
    va->sink_status = CSA_OK;
    va->sink = ingest_fed_open(k->opt, t, va->name, &va->sink_stats, &va->sink_err,
                               &va->sink_status);
}

/* Reads src through the validator. Structure that stops the reading (a
 * quote never closed) is a finding; only I/O and memory are errors. */
static csa_status validator_read(validator *va, csa_source *src, reader_info *info,
                                 csa_error *err)
{
    csa_error rerr;
    csa_status st = reader_run(src, &va->cb, info, &rerr);
    if (va->sink) {
        /* the reader's error is ingest's too, unless ingest had stopped first */
        if (st && !va->sink_stopped)
            va->sink_err = rerr;
        va->sink_status = ingest_fed_close(va->sink, va->sink_stopped ? CSA_OK : st, info);
        va->sink = NULL;
    }
    if (st == CSA_ERR_IO || st == CSA_ERR_NOMEM) {
        *err = rerr;
        return st;
    }
    if (st)
        FOUND(va, strstr(rerr.message, "quote") ? "unclosed-quote" : "field-too-long", rerr.line,
              0, NULL, NULL, "%s", rerr.message);
    return CSA_OK;
}

/* The checks of the whole file, after every row has been read. */
static void validator_finish(validator *va, const reader_info *info)
{
    va->v->windows_1252 = info->windows_1252;
    if (!va->header_seen)
        FOUND(va, "empty-file", 0, 0, NULL, NULL, "the file is empty");
    else if (!va->v->rows)
        FOUND(va, "header-only", 0, 0, NULL, NULL, "the file has a header but no data rows");
    int styles = (info->ends[0] > 0) + (info->ends[1] > 0) + (info->ends[2] > 0);
    if (styles > 1)
        FOUND(va, "mixed-line-endings", 0, 0, NULL, NULL,
              "line endings are mixed: %llu LF, %llu CRLF, %llu CR",
              (unsigned long long)info->ends[0], (unsigned long long)info->ends[1],
              (unsigned long long)info->ends[2]);
    blank_area_checks(va);
    if (!va->opt->coverage_across_files)
        coverage_checks(va);
    if (!keep_months(va))
        va->status = CSA_ERR_NOMEM;
    if (va->suppressed)
        FOUND(va, "suppressed-value", 0, 0, NULL, NULL,
              "%llu value%s suppressed (*, .. or c) and read as missing",
              (unsigned long long)va->suppressed, va->suppressed == 1 ? " is" : "s are");
}

static bool id_present(const id_set *set, uint64_t h)
{
    if (!set->cap)
        return false;
    for (size_t j = h & (set->cap - 1); set->slots[j]; j = (j + 1) & (set->cap - 1))
        if (set->slots[j] == h)
            return true;
    return false;
}

/* Adds the second half's findings and counts to the first's, its lines
 * moved by `shift`. False when an identifier is in both halves: its line
 * is not known, so the file is read again in one pass. */
static bool merge_halves(validator *a, const validator *b, uint64_t shift)
{
    size_t limited = check_index("duplicate-check-limited");
    if (a->fired[limited] || b->fired[limited])
        return false;
    for (size_t m = 0; a->ids && b->ids && m <= NMONTHS; m++)
        for (size_t j = 0; j < b->ids[m].cap; j++)
            if (b->ids[m].slots[j] && id_present(&a->ids[m], b->ids[m].slots[j]))
                return false;
    csa_validation *v = a->v;
    const csa_validation *w = b->v;
    size_t kept[NCHECKS] = {0};
    for (size_t i = 0; i < v->nfindings; i++)
        kept[check_index(v->findings[i].check)]++;
    for (size_t i = 0; i < w->nfindings; i++) {
        size_t c = check_index(w->findings[i].check);
        if (kept[c] >= a->opt->keep_per_check)
            continue;
        kept[c]++;
        csa_finding f = w->findings[i];
        if (f.where.line)
            f.where.line += shift;
        keep_finding(a, &f);
    }
    for (size_t i = 0; i < w->nchecks; i++) {
        size_t c = check_index(w->checks[i].check);
        if (a->fired[c] == 0) {
            csa_check_count *cc = realloc(v->checks, (v->nchecks + 1) * sizeof *cc);
            if (!cc) {
                a->status = CSA_ERR_NOMEM;
                return true;
            }
            v->checks = cc;
            v->checks[v->nchecks++] = (csa_check_count){w->checks[i].check, w->checks[i].severity, 0};
        }
        for (size_t k = 0; k < v->nchecks; k++)
            if (v->checks[k].check == w->checks[i].check)
                v->checks[k].count += w->checks[i].count;
        a->fired[c] += b->fired[c];
    }
    v->rows += w->rows;
    v->usable += w->usable;
    v->errors += w->errors;
    v->warnings += w->warnings;
    v->notes += w->notes;
    v->first_period = w->first_period < v->first_period ? w->first_period : v->first_period;
    v->last_period = w->last_period > v->last_period ? w->last_period : v->last_period;
    if (b->months && !a->months && !(a->months = calloc(NMONTHS, sizeof *a->months))) {
        a->status = CSA_ERR_NOMEM;
        return true;
    }
    for (size_t m = 0; b->months && m < NMONTHS; m++) {
        a->months[m].rows += b->months[m].rows;
        a->months[m].blank_area += b->months[m].blank_area;
    }
    a->suppressed += b->suppressed;
    a->blank_area_total += b->blank_area_total;
    a->nids += b->nids;
    for (size_t i = 0; i < w->nsources; i++)
        add_source(a, w->sources[i].month, w->sources[i].source, w->sources[i].source_len,
                   w->sources[i].rows,
                   w->sources[i].first_line ? w->sources[i].first_line + shift : 0);
    return true;
}

typedef struct vhalf {
    reader_half in;
    validator *va;
    reader_info info;
    csa_error err;
    csa_status st;
} vhalf;

static void *run_vhalf(void *arg)
{
    vhalf *h = arg;
    h->st = validator_read(h->va, &h->in.src, &h->info, &h->err);
    if (!h->st)
        sort_ids(h->va);
    return NULL;
}

/* Adds the second half's ingest (with opt->ingest) to the first's: its
 * rows and its stats, its lines moved by `shift`. An error in the first
 * half is the file's (ingest from the start stops there too); else one in
 * the second is. */
static void merge_sinks(validator *a, const validator *b, uint64_t shift)
{
    if (a->sink_status)
        return;
    if (b->sink_status) {
        a->sink_status = b->sink_status;
        a->sink_err = b->sink_err;
        a->sink_err.line += a->sink_err.line ? shift : 0;
        return;
    }
    csa_status st = csa_table_append_table(a->sink_table, b->sink_table);
    if (st) {
        a->sink_status = csa_error_set(&a->sink_err, st, a->name, 0, 0, NULL, NULL, "%s",
                                       csa_strerror(st));
        return;
    }
    csa_ingest_stats m = {0};
    ingest_add_stats(&m, &a->sink_stats, 0);
    ingest_add_stats(&m, &b->sink_stats, shift);
    m.windows_1252 = a->sink_stats.windows_1252;
    m.threads = 2;
    a->sink_stats = m;
}

/* Validates a big plain file in two halves on two threads; *done is false
 * when it could not or should not (see merge_halves, and ingest's rules:
 * a split inside quotes, or bytes over 0x7F after it; and with
 * opt->ingest, ingest's own: no unique column). */
static csa_status validate_parallel(validator *va, csa_source *src, reader_info *info,
                                    bool *done, csa_error *err)
{
    const csa_ingest_sink *k = va->opt->ingest;
    reader_split sp;
    validator vb;
    vhalf h[2] = {{.va = va}, {.va = &vb}};
    csa_table *second = NULL; /* the second half's rows, with opt->ingest */
    csa_error ignored;
    *done = false;
    if (va->opt->exact_path || (k && !ingest_splits(k->opt)) || !reader_plan_split(src, &sp))
        return CSA_OK;
    if (k && csa_ingest_table(k->opt, &second, &ignored))
        return CSA_OK; /* the pass from the start meets the same error, as ingest's */
    csa_status st = validator_init(&vb, va->opt, va->name, err);
    vb.second_half = true;
    va->first_ids_cap = first_set_cap(sp.split);
    vb.first_ids_cap = first_set_cap(sp.size - sp.split);
    sink_open(va, k ? k->table : NULL);
    sink_open(&vb, second);
    if (!st && reader_open_half(&h[0].in, &sp, src->name, 0) &&
        reader_open_half(&h[1].in, &sp, src->name, 1)) {
        reader_run_halves(run_vhalf, &h[0], &h[1]);
        if (vb.status && !va->status) /* out of memory in the second half is the file's */
            va->status = vb.status;
        if (!h[0].st && !h[1].st && !h[0].info.ended_in_row && !h[1].info.non_ascii &&
            merge_halves(va, &vb, h[0].info.lines - 1)) {
            *info = h[0].info;
            for (int i = 0; i < 3; i++)
                info->ends[i] += h[1].info.ends[i];
            va->v->threads = 2;
            keep_ids(va, &vb);
            if (k)
                merge_sinks(va, &vb, h[0].info.lines - 1);
            *done = true;
        }
    }
    for (int i = 0; i < 2; i++)
        reader_close_half(&h[i].in);
    validator_free(&vb);
    csa_table_free(second);
    return st;
}

csa_status csa_validate(csa_source *src, const csa_validate_options *opt, csa_validation **out,
                        csa_error *err)
{
    csa_validate_options o = *opt;
    if (!o.max_blank_area_share)
        o.max_blank_area_share = 0.10;
    if (!o.disclosure_threshold)
        o.disclosure_threshold = 5;
    if (!o.keep_per_check)
        o.keep_per_check = 20;
    csa_ingest_sink *k = o.ingest;
    size_t nbefore = k ? csa_table_nrows(k->table) : 0;
    validator va;
    reader_info info;
    bool done = false;
    *out = NULL;
    csa_status st = validator_init(&va, &o, src->name, err);
    if (!st)
        st = validate_parallel(&va, src, &info, &done, err);
    if (!st && !done) {
        /* one pass from the start, on a fresh validator (and ingest) */
        validator_free(&va);
        if (k && (st = csa_table_truncate(k->table, nbefore)))
            st = csa_error_set(err, st, src->name, 0, 0, NULL, NULL, "%s", csa_strerror(st));
        if (!st && !(st = validator_init(&va, &o, src->name, err))) {
            va.first_ids_cap = first_set_cap(src->size);
            sink_open(&va, k ? k->table : NULL);
            st = validator_read(&va, src, &info, err);
        }
        if (!st) {
            va.v->threads = 1;
            sort_ids(&va);
            keep_ids(&va, NULL);
        }
    }
    if (!st) {
        validator_finish(&va, &info);
        if (va.status)
            st = csa_error_set(err, va.status, src->name, 0, 0, NULL, NULL, "%s",
                               csa_strerror(va.status));
    }
    if (k) {
        k->stats = va.sink_stats;
        k->status = st ? st : va.sink_status;
        k->err = st ? *err : va.sink_err;
        if (!k->status)
            k->status = ingest_check_rejects(src->name, k->opt, &k->stats, &k->err);
    }
    if (!st) {
        *out = va.v;
        va.v = NULL;
    }
    validator_free(&va);
    return st;
}

/* ---- the files of one input together ---- */

/* Opens file i of a set again: through opt->reopen, or paths[i] as a file. */
static csa_status reopen_file(const validator *va, const char *const *paths, size_t i,
                              csa_source *src, csa_error *err)
{
    if (va->opt->reopen)
        return va->opt->reopen(va->opt->reopen_ctx, i, src, err);
    return csa_source_open_file(src, paths[i], err);
}

/* Reads up to cap bytes into buf, as many as the source has: a source may
 * give fewer than asked before its end (the validator page's chunks). */
static bool read_full(csa_source *src, char *buf, size_t cap, size_t *n)
{
    csa_error err;
    size_t got = 1;
    *n = 0;
    while (*n < cap && got) {
        if (src->read(src->ctx, buf + *n, cap - *n, &got, &err))
            return false;
        *n += got;
    }
    return true;
}

/* Whether files a and b hold the same bytes; read in blocks, so memory is
 * two buffers whatever their size. */
static bool same_bytes(const validator *va, const char *const *paths, size_t a, size_t b)
{
    enum { BLOCK = 1 << 16 };
    csa_source sa, sb;
    csa_error err;
    bool oa = reopen_file(va, paths, a, &sa, &err) == CSA_OK;
    bool ob = oa && reopen_file(va, paths, b, &sb, &err) == CSA_OK;
    char *ba = malloc(BLOCK), *bb = malloc(BLOCK);
    bool same = oa && ob && ba && bb;
    while (same) {
        size_t na, nb;
        same = read_full(&sa, ba, BLOCK, &na) && read_full(&sb, bb, BLOCK, &nb) && na == nb &&
               memcmp(ba, bb, na) == 0;
        if (na < BLOCK)
            break;
    }
    if (oa)
        csa_source_close(&sa);
    if (ob)
        csa_source_close(&sb);
    free(ba);
    free(bb);
    return same;
}

typedef struct sized {
    uint64_t size;
    size_t file;
} sized;

static int cmp_sized(const void *a, const void *b)
{
    const sized *x = a, *y = b;
    if (x->size != y->size)
        return x->size < y->size ? -1 : 1;
    return x->file < y->file ? -1 : x->file > y->file;
}

/* copy_of[i]: the first earlier file with the same bytes as file i, or
 * CSA_NO_ROW. Only files of the same size are read. */
static bool find_copies(validator *va, const csa_validation *const *files,
                        const char *const *paths, size_t n, size_t *copy_of)
{
    for (size_t i = 0; i < n; i++)
        copy_of[i] = CSA_NO_ROW;
    sized *by = malloc((n ? n : 1) * sizeof *by);
    if (!by)
        return false;
    size_t m = 0;
    for (size_t i = 0; paths && i < n; i++) {
        csa_source src;
        csa_error err;
        if (reopen_file(va, paths, i, &src, &err) == CSA_OK) {
            by[m++] = (sized){src.size, i};
            csa_source_close(&src);
        }
    }
    qsort(by, m, sizeof *by, cmp_sized);
    for (size_t start = 0, i = 0; i < m; i++) {
        if (by[i].size != by[start].size)
            start = i;
        for (size_t j = start; j < i; j++) {
            size_t a = by[j].file, b = by[i].file;
            if (copy_of[a] != CSA_NO_ROW || !same_bytes(va, paths, a, b))
                continue;
            copy_of[b] = a;
            char rows[32];
            va->name = paths[b]; /* the finding is the copy's */
            FOUND(va, "duplicate-file", 0, 0, NULL, NULL,
                  "\"%s\" has the same content as \"%s\" (%s row%s): a file given twice is "
                  "counted twice", paths[b], paths[a],
                  csa_format_number((double)files[b]->rows, 0, rows, sizeof rows),
                  files[b]->rows == 1 ? "" : "s");
            va->name = "";
            break;
        }
    }
    free(by);
    return true;
}

typedef struct month_entry {
    const csa_month_source *e;
    size_t file;
} month_entry;

/* Orders by month, then source, then file. */
static int cmp_month_source(const csa_month_source *x, const csa_month_source *y)
{
    if (x->month != y->month)
        return x->month < y->month ? -1 : 1;
    size_t n = x->source_len < y->source_len ? x->source_len : y->source_len;
    int c = memcmp(x->source, y->source, n);
    if (c || x->source_len == y->source_len)
        return c;
    return x->source_len < y->source_len ? -1 : 1;
}

static int cmp_month_entry(const void *a, const void *b)
{
    const month_entry *x = a, *y = b;
    int c = cmp_month_source(x->e, y->e);
    return c ? c : x->file < y->file ? -1 : x->file > y->file;
}

/* How a set's finding names file i: its path, or "file 3" without paths. */
static const char *file_label(const char *const *paths, size_t i, char *buf, size_t size)
{
    if (paths)
        return paths[i];
    snprintf(buf, size, "file %zu", i + 1);
    return buf;
}

/* The same month of the same source (police.uk's force) in two files. */
static bool month_checks(validator *va, const csa_validation *const *files,
                         const char *const *paths, size_t n, const size_t *copy_of)
{
    size_t total = 0, k = 0;
    for (size_t f = 0; f < n; f++)
        total += copy_of[f] == CSA_NO_ROW ? files[f]->nsources : 0;
    month_entry *all = malloc((total ? total : 1) * sizeof *all);
    if (!all)
        return false;
    for (size_t f = 0; f < n; f++)
        for (size_t i = 0; copy_of[f] == CSA_NO_ROW && i < files[f]->nsources; i++)
            all[k++] = (month_entry){&files[f]->sources[i], f};
    qsort(all, total, sizeof *all, cmp_month_entry);
    size_t col = CSA_NO_ROW;
    for (size_t c = 0; c < va->spec->ncolumns && col == CSA_NO_ROW; c++)
        if (va->spec->columns[c].flags & CSA_COL_SOURCE)
            col = c;
    const char *period = va->period_col != CSA_NO_ROW ? va->spec->columns[va->period_col].name
                                                      : "period";
    for (size_t first = 0, i = 1; i < total; i++) {
        /* each later file of a run of the same month and source against the first */
        if (cmp_month_source(all[first].e, all[i].e) != 0) {
            first = i;
            continue;
        }
        const month_entry *a = &all[first], *b = &all[i];
        char m[CSA_DATE_TEXT_MAX], ra[32], rb[32], src[CSA_ERROR_VALUE_MAX], la[32], lb[32];
        const char *fa = file_label(paths, a->file, la, sizeof la);
        const char *fb = file_label(paths, b->file, lb, sizeof lb);
        csa_format_date(a->e->month, true, m);
        quote(src, a->e->source, a->e->source_len);
        size_t c = check_index("duplicate-month");
        if (!fire(va, c))
            continue;
        /* the finding is the later file's, at its first row of the month */
        va->name = paths ? fb : "";
        found(va, c, b->e->first_line, 0, period, m,
              "%s of %s (%s) is in two files, \"%s\" (%s row%s) and \"%s\" (%s row%s): "
              "it would be counted twice", m, src[0] ? src : "a blank source",
              col != CSA_NO_ROW ? va->spec->columns[col].name : "source", fa,
              csa_format_number((double)a->e->rows, 0, ra, sizeof ra),
              a->e->rows == 1 ? "" : "s", fb,
              csa_format_number((double)b->e->rows, 0, rb, sizeof rb),
              b->e->rows == 1 ? "" : "s");
        va->name = "";
    }
    free(all);
    return true;
}

/* Reading a file again for one identifier: the first data row after line
 * `after` whose identifier's hash is in the sorted in[0..nin), or, when
 * `want` is set, whose identifier is want[0..want_len). */
typedef struct id_scan {
    const csa_spec_column *col;
    size_t id_col, field;
    size_t scope_col, scope_field; /* CSA_COL_SCOPE's, CSA_NO_ROW: none */
    bool header_seen;
    bool *keep;
    reader_callbacks *cb;
    const uint64_t *in;
    size_t nin;
    const char *want;
    size_t want_len;
    uint64_t after;
    bool found;
    uint64_t line, hash;
    char text[CSA_ERROR_VALUE_MAX]; /* as quote() shows it */
    char scope_text[32];            /* the row's scope value, "" for none */
    size_t len;
    const csa_spec *spec;
} id_scan;

static bool hash_in(const uint64_t *a, size_t n, uint64_t h)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && a[lo] == h;
}

static bool on_scan_row(void *ctx, const reader_row *row)
{
    id_scan *sc = ctx;
    if (!sc->header_seen) {
        size_t field_of[CSA_SPEC_MAX_COLUMNS], dup, dup_field;
        sc->header_seen = true;
        map_header(sc->spec, row, field_of, &dup, &dup_field);
        sc->field = field_of[sc->id_col];
        if (sc->field == CSA_NO_ROW || !(sc->keep = calloc(row->nfields, sizeof *sc->keep)))
            return false;
        sc->keep[sc->field] = true;
        sc->scope_col = sc->scope_field = CSA_NO_ROW;
        for (size_t c = 0; c < sc->spec->ncolumns; c++)
            if (sc->spec->columns[c].flags & CSA_COL_SCOPE)
                sc->scope_col = c, sc->scope_field = field_of[c];
        if (sc->scope_field != CSA_NO_ROW)
            sc->keep[sc->scope_field] = true;
        sc->cb->keep = sc->keep;
        sc->cb->nkeep = row->nfields;
        return true;
    }
    if (row->line <= sc->after || row->nfields <= sc->field || !row->fields[sc->field])
        return true;
    csa_value val;
    char what[96];
    if (read_cell(sc->col, row->fields[sc->field], row->lens[sc->field], &val, what,
                  sizeof what) != CELL_OK)
        return true;
    const char *s = val.v.str.s;
    size_t len = val.v.str.len;
    size_t sf = sc->scope_field;
    bool scoped = sf != CSA_NO_ROW && sf < row->nfields && row->fields[sf];
    uint64_t scope = scoped ? scope_hash(&sc->spec->columns[sc->scope_col], row->fields[sf],
                                         row->lens[sf]) : 0;
    uint64_t h = (id_hash(s, len) ^ scope) | 1;
    if (!hash_in(sc->in, sc->nin, h) ||
        (sc->want && (len != sc->want_len || memcmp(s, sc->want, len) != 0)))
        return true;
    sc->scope_text[0] = '\0';
    if (scope)
        quote(sc->scope_text, row->fields[sf], row->lens[sf] < 31 ? row->lens[sf] : 31);
    sc->found = true;
    sc->line = row->line;
    sc->hash = h;
    sc->len = len;
    quote(sc->text, s, len);
    return false;
}

/* Runs a scan over file i of the set; false when it cannot be read again. */
static bool scan_ids(const validator *va, const char *const *paths, size_t i, id_scan *sc)
{
    csa_source src;
    csa_error err;
    reader_callbacks cb = {.row = on_scan_row, .ctx = sc};
    reader_info info;
    sc->cb = &cb;
    sc->header_seen = sc->found = false;
    sc->keep = NULL;
    if (reopen_file(va, paths, i, &src, &err))
        return false;
    reader_run(&src, &cb, &info, &err);
    csa_source_close(&src);
    free(sc->keep);
    sc->keep = NULL;
    return true;
}

/* The first identifier of file a (in its row order) that file b holds too,
 * confirmed by its text (64-bit hashes of two 1M-row files collide about
 * once in twenty million pairs): its text and line in each. False when
 * none is confirmed in three tries, or a file cannot be read again. */
static bool first_shared(validator *va, const char *const *paths, size_t a, size_t b_file,
                         const csa_validation *b, char *text, uint64_t *la, uint64_t *lb,
                         bool *scoped)
{
    id_scan sa = {.spec = va->spec, .col = &va->spec->columns[va->id_col], .id_col = va->id_col,
                  .in = b->id_hashes, .nin = b->nid_hashes};
    for (int tries = 0; tries < 3; tries++) {
        if (!scan_ids(va, paths, a, &sa) || !sa.found)
            return false;
        /* b's row with the same text; an identifier too long to keep whole
         * (none real is) by its hash */
        id_scan sb = {.spec = va->spec, .col = sa.col, .id_col = va->id_col, .in = &sa.hash,
                      .nin = 1};
        if (sa.len < CSA_ERROR_VALUE_MAX) {
            sb.want = sa.text;
            sb.want_len = sa.len;
        }
        if (!scan_ids(va, paths, b_file, &sb))
            return false;
        if (sb.found) {
            *scoped = sa.scope_text[0];
            char both[CSA_ERROR_VALUE_MAX + 64];
            snprintf(both, sizeof both, *scoped ? "%s (%s %s)" : "%s", sa.text,
                     *scoped ? va->spec->columns[sa.scope_col].name : "", sa.scope_text);
            size_t len = strlen(both) < CSA_ERROR_VALUE_MAX ? strlen(both) : CSA_ERROR_VALUE_MAX - 1;
            memcpy(text, both, len);
            text[len] = '\0';
            *la = sa.line;
            *lb = sb.line;
            return true;
        }
        sa.after = sa.line;
    }
    return false;
}

typedef struct pair_count {
    uint64_t key; /* a * n + b + 1 for files a < b; 0: an empty slot */
    uint64_t count;
} pair_count;

typedef struct pair_map {
    pair_count *slots;
    size_t n, cap;
} pair_map;

static bool pair_add(pair_map *pm, uint64_t key)
{
    if ((pm->n + 1) * 2 > pm->cap) {
        size_t cap = pm->cap ? pm->cap * 2 : 64;
        pair_count *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return false;
        for (size_t i = 0; i < pm->cap; i++)
            if (pm->slots[i].key) {
                size_t j = (size_t)(pm->slots[i].key * 0x9E3779B97F4A7C15ULL >> 20) & (cap - 1);
                while (slots[j].key)
                    j = (j + 1) & (cap - 1);
                slots[j] = pm->slots[i];
            }
        free(pm->slots);
        pm->slots = slots;
        pm->cap = cap;
    }
    size_t j = (size_t)(key * 0x9E3779B97F4A7C15ULL >> 20) & (pm->cap - 1);
    while (pm->slots[j].key && pm->slots[j].key != key)
        j = (j + 1) & (pm->cap - 1);
    if (!pm->slots[j].key) {
        pm->slots[j].key = key;
        pm->n++;
    }
    pm->slots[j].count++;
    return true;
}

static int cmp_pair(const void *a, const void *b)
{
    uint64_t x = ((const pair_count *)a)->key, y = ((const pair_count *)b)->key;
    return x < y ? -1 : x > y;
}

/* A hash of a range (shared_id_checks): its file, and the entry of the
 * same hash from the file before (0: none), plus one. */
typedef struct range_entry {
    uint64_t h;
    uint32_t file, prev1;
} range_entry;

/* Identifiers in two files, counted per pair of files: the files' sorted
 * hashes a range of their top bits at a time (about a thousand hashes of
 * all files a range), each range's into a small table, where a hash found
 * again pairs its file with every file before that holds it; each pair's
 * first shared identifier is read again from the files to show it whole. */
static bool shared_id_checks(validator *va, const csa_validation *const *files,
                             const char *const *paths, size_t n, const size_t *copy_of)
{
    size_t *pos = calloc(n ? n : 1, sizeof *pos), total = 0, cap = 0;
    range_entry *ent = NULL;
    uint32_t *slots = NULL;
    pair_map pm = {0};
    bool ok = pos;
    for (size_t f = 0; ok && f < n; f++)
        total += copy_of[f] == CSA_NO_ROW ? files[f]->nid_hashes : 0;
    int bits = 1;
    while (bits < 32 && total >> bits > 1024)
        bits++;
    for (uint64_t range = 0; ok && range < (uint64_t)1 << bits; range++) {
        size_t nr = 0;
        for (size_t f = 0; f < n; f++) {
            const csa_validation *v = files[f];
            size_t p = pos[f];
            while (copy_of[f] == CSA_NO_ROW && p < v->nid_hashes &&
                   v->id_hashes[p] >> (64 - bits) == range)
                p++;
            nr += p - pos[f];
        }
        if (!nr)
            continue;
        if (nr * 2 > cap) {
            while (nr * 2 > cap)
                cap = cap ? cap * 2 : 2048;
            free(ent);
            free(slots);
            ent = malloc(cap * sizeof *ent);
            slots = malloc(cap * sizeof *slots);
            if (!(ok = ent && slots))
                break;
        }
        memset(slots, 0, cap * sizeof *slots);
        size_t ne = 0;
        for (size_t f = 0; ok && f < n; f++) {
            const csa_validation *v = files[f];
            for (; copy_of[f] == CSA_NO_ROW && pos[f] < v->nid_hashes &&
                   v->id_hashes[pos[f]] >> (64 - bits) == range; pos[f]++) {
                uint64_t h = v->id_hashes[pos[f]];
                size_t j = h & (cap - 1);
                while (slots[j] && ent[slots[j] - 1].h != h)
                    j = (j + 1) & (cap - 1);
                /* each file holds h once: the files before f that hold it */
                for (uint32_t e = slots[j]; ok && e; e = ent[e - 1].prev1)
                    ok = pair_add(&pm, (uint64_t)ent[e - 1].file * n + f + 1);
                ent[ne] = (range_entry){h, (uint32_t)f, slots[j]};
                slots[j] = (uint32_t)++ne;
            }
        }
    }
    free(pos);
    free(ent);
    free(slots);
    if (!ok) {
        free(pm.slots);
        return false;
    }
    size_t np = 0;
    for (size_t i = 0; i < pm.cap; i++)
        if (pm.slots[i].key)
            pm.slots[np++] = pm.slots[i];
    if (np)
        qsort(pm.slots, np, sizeof *pm.slots, cmp_pair);
    const char *name = va->spec->columns[va->id_col].name;
    for (size_t i = 0; i < np; i++) {
        size_t a = (size_t)((pm.slots[i].key - 1) / n), b = (size_t)((pm.slots[i].key - 1) % n);
        char count[32], id[CSA_ERROR_VALUE_MAX];
        uint64_t la, lb;
        size_t c = check_index("shared-id");
        if (!fire(va, c))
            continue;
        csa_format_number((double)pm.slots[i].count, 0, count, sizeof count);
        const char *s = pm.slots[i].count == 1 ? "" : "s";
        bool scoped = false;
        if (paths && first_shared(va, paths, a, b, files[b], id, &la, &lb, &scoped)) {
            va->name = paths[b]; /* the finding is the later file's */
            found(va, c, lb, 0, name, id,
                  "\"%s\" and \"%s\" share %s %s%s%s; the first, \"%s\", is on line %llu of "
                  "\"%s\" and line %llu of \"%s\"", paths[a], paths[b], count, name,
                  scoped ? " and year pair" : "", s, id, (unsigned long long)la, paths[a],
                  (unsigned long long)lb, paths[b]);
            va->name = "";
        } else {
            char fa[32], fb[32];
            found(va, c, 0, 0, name, NULL, "\"%s\" and \"%s\" share %s %s%s",
                  file_label(paths, a, fa, sizeof fa), file_label(paths, b, fb, sizeof fb),
                  count, name, s);
        }
    }
    free(pm.slots);
    return true;
}

csa_status csa_validate_set(const csa_validation *const *files, const char *const *paths,
                            size_t n, const csa_validate_options *opt, csa_validation **out,
                            csa_error *err)
{
    csa_validate_options o = *opt;
    o.keep_per_check = o.keep_per_check ? o.keep_per_check : 20;
    validator va = {.opt = &o, .spec = opt->spec, .name = "", .last_days = INT32_MIN};
    va.period_col = va.id_col = CSA_NO_ROW;
    for (size_t c = 0; c < o.spec->ncolumns; c++) {
        unsigned fl = o.spec->columns[c].flags;
        if ((fl & CSA_COL_PERIOD) && o.spec->columns[c].type == CSA_DATE &&
            va.period_col == CSA_NO_ROW)
            va.period_col = c;
        if ((fl & (CSA_COL_ID | CSA_COL_UNIQUE)) && va.id_col == CSA_NO_ROW)
            va.id_col = c;
    }
    *out = NULL;
    va.v = calloc(1, sizeof *va.v);
    va.months = calloc(NMONTHS, sizeof *va.months);
    size_t *copy_of = malloc((n ? n : 1) * sizeof *copy_of);
    if (!va.v || !va.months || !copy_of)
        goto fail;
    va.v->first_period = INT32_MAX;
    va.v->last_period = INT32_MIN;
    for (size_t f = 0; f < n; f++) {
        const csa_validation *v = files[f];
        va.v->rows += v->rows;
        va.v->usable += v->usable;
        if (!v->nmonths)
            continue;
        int first = month_of(&va, v->first_period);
        for (size_t i = 0; i < v->nmonths && first + (int)i < NMONTHS; i++)
            va.months[first + (int)i].rows += v->month_rows[i];
        va.v->first_period = v->first_period < va.v->first_period ? v->first_period : va.v->first_period;
        va.v->last_period = v->last_period > va.v->last_period ? v->last_period : va.v->last_period;
    }
    if (!find_copies(&va, files, paths, n, copy_of) ||
        !month_checks(&va, files, paths, n, copy_of) ||
        (va.id_col != CSA_NO_ROW && !shared_id_checks(&va, files, paths, n, copy_of)))
        goto fail;
    if (o.coverage_across_files)
        coverage_checks(&va);
    if (va.status || !keep_months(&va))
        goto fail;
    /* the set's totals are every finding's, in the files and across them */
    for (size_t f = 0; f < n; f++) {
        va.v->errors += files[f]->errors;
        va.v->warnings += files[f]->warnings;
        va.v->notes += files[f]->notes;
    }
    free(va.months);
    free(copy_of);
    *out = va.v;
    return CSA_OK;
fail:
    free(va.months);
    free(copy_of);
    csa_validation_free(va.v);
    return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
}

csa_status csa_validate_coverage(const csa_validation *const *files, size_t n,
                                 const csa_validate_options *opt, csa_validation **out,
                                 csa_error *err)
{
    csa_validate_options o = *opt;
    o.coverage_across_files = true;
    return csa_validate_set(files, NULL, n, &o, out, err);
}
