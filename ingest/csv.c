/* CSV ingest: the reader's rows, mapped to spec columns, parsed (only the
 * columns asked for) and appended, with every row accounted for. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csa/stats.h"
#include "reader.h"

/* ---- counting (csa_ingest_count) ----
 *
 * Accepted rows are not kept; they are counted by grouping sets of the
 * kept columns into dense arrays. Each distinct raw value of a kept column
 * is parsed once (parse_cell, as the table path parses every cell) and
 * remembered with its status and its code, so a row costs one hash lookup
 * per kept column and one increment per set. */

typedef struct counter counter;
enum { COUNT_BAD = 0, COUNT_OK = 1, COUNT_FAIL = -1 };


/* ---- a map from short byte strings to uint32 ---- */

/* Keys of up to 16 bytes live in the slot; longer ones are copied and
 * compared. Cells are short codes (LSOA 9 bytes, months 7, crime types
 * mostly under 30), so a lookup is two loads, a multiply and a compare. */
typedef struct sslot {
    uint64_t k0, k1; /* longer keys: their hash and a copy (ext_of) */
    uint32_t len;    /* EMPTY when the slot is free */
    uint32_t val;
} sslot;

/* 24-byte slots: the map of a column's raw cells (35,000 LSOA codes)
 * stays within a core's L2 cache. */
static char *ext_of(const sslot *e) { return (char *)(uintptr_t)e->k1; }

enum { EMPTY = UINT32_MAX };

typedef struct smap {
    sslot *slots;
    size_t n;
    unsigned bits; /* 1 << bits slots */
} smap;

static uint64_t load_le(const char *s, size_t n)
{
    uint64_t w = 0;
    memcpy(&w, s, n);
    return w;
}

/* The 16 bytes that stand for a key: its bytes zero-padded when it fits,
 * else a hash (the key itself is compared too). Every load stays
 * inside s[0, len). */
static inline __attribute__((always_inline)) void pack(const char *s, size_t len, uint64_t *k0,
                                                     uint64_t *k1)
{
    if (len > 16) {
        /* a quick hash of the first 16 and last 8 bytes: crime types share
         * few of those, and a match is compared whole anyway */
        uint64_t x = load_le(s, 8), y = load_le(s + 8, 8), z = load_le(s + len - 8, 8);
        *k0 = x ^ (y << 21 | y >> 43) ^ z * 0x9E3779B97F4A7C15ULL;
        *k1 = 0;
    } else if (len > 8) {
        *k0 = load_le(s, 8);
        uint64_t tail;
        memcpy(&tail, s + len - 8, 8);
        *k1 = tail >> (8 * (16 - len)); /* the bytes after the first eight */
    } else if (len >= 4) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + len - 4, 4);
        *k0 = a | (len > 4 ? (uint64_t)(b >> (8 * (8 - len))) << 32 : 0);
        *k1 = 0;
    } else {
        *k0 = len ? load_le(s, len) : 0;
        *k1 = 0;
    }
}

static size_t slot_of(const smap *m, uint64_t k0, uint64_t k1, size_t len)
{
    uint64_t h = (k0 ^ (k1 << 31 | k1 >> 33) ^ len) * 0x9E3779B97F4A7C15ULL;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ULL;
    return (size_t)(h >> (64 - m->bits));
}

static bool smap_init(smap *m)
{
    m->bits = 6;
    m->n = 0;
    m->slots = malloc(sizeof *m->slots << m->bits);
    if (!m->slots)
        return false;
    for (size_t i = 0; i < (size_t)1 << m->bits; i++)
        m->slots[i].len = EMPTY;
    return true;
}

static void smap_free(smap *m)
{
    if (!m->slots)
        return;
    for (size_t i = 0; i < (size_t)1 << m->bits; i++)
        if (m->slots[i].len != EMPTY && m->slots[i].len > 16)
            free(ext_of(&m->slots[i]));
    free(m->slots);
    m->slots = NULL;
}

/* The slot holding the key (packed as k0, k1), or the free slot where it
 * goes, looking from slot i on. */
static sslot *smap_probe(const smap *m, const char *s, size_t len, uint64_t k0, uint64_t k1,
                         size_t i)
{
    size_t mask = ((size_t)1 << m->bits) - 1;
    for (;; i = (i + 1) & mask) {
        sslot *e = &m->slots[i];
        if (e->len == EMPTY)
            return e;
        if (e->len == len && e->k0 == k0 && (len <= 16 ? e->k1 == k1
                                                        : memcmp(ext_of(e), s, len) == 0))
            return e;
    }
}

/* The slot holding the key, or the free slot where it goes. */
static sslot *smap_find(const smap *m, const char *s, size_t len)
{
    uint64_t k0, k1;
    pack(s, len, &k0, &k1);
    return smap_probe(m, s, len, k0, k1, slot_of(m, k0, k1, len));
}

/* Puts a new key in the free slot e that smap_find gave; may move slots. */
static bool smap_put(smap *m, sslot *e, const char *s, size_t len, uint32_t val)
{
    char *ext = NULL;
    if (len > 16) {
        if (!(ext = malloc(len)))
            return false;
        memcpy(ext, s, len);
    }
    pack(s, len, &e->k0, &e->k1);
    if (ext)
        e->k1 = (uint64_t)(uintptr_t)ext;
    e->len = (uint32_t)len;
    e->val = val;
    if (++m->n * 5 <= (size_t)3 << m->bits)
        return true;
    /* over 60% full: double */
    size_t old = (size_t)1 << m->bits;
    sslot *slots = malloc(sizeof *slots * old * 2);
    if (!slots) {
        m->n--;
        free(ext);
        e->len = EMPTY;
        return false;
    }
    sslot *prev = m->slots;
    m->slots = slots;
    m->bits++;
    for (size_t i = 0; i < old * 2; i++)
        slots[i].len = EMPTY;
    for (size_t i = 0; i < old; i++) {
        if (prev[i].len == EMPTY)
            continue;
        uint64_t k1 = prev[i].len > 16 ? 0 : prev[i].k1; /* long keys hash with k1 = 0 */
        size_t mask = old * 2 - 1, j = slot_of(m, prev[i].k0, k1, prev[i].len);
        while (slots[j].len != EMPTY)
            j = (j + 1) & mask;
        slots[j] = prev[i];
    }
    free(prev);
    return true;
}

/* ---- the counter ---- */

enum { BAD = 1u << 31 };

typedef struct kcol {
    const csa_spec_column *spec;
    smap raw;           /* raw cell -> BAD or its code (keys) */
    bool key;           /* a key of some set */
    bool absent;        /* the file does not have the column: blank is no fault */
    smap dim;           /* a key's values (as value_bytes) -> code */
    csa_value *values;  /* by code; code 0 is missing */
    size_t nvalues, cap;
} kcol;

enum { PENDING = 512, ROWS_AT_ONCE = 64 };

typedef struct cset {
    size_t nkeys;
    size_t key[CSA_GROUPS_MAX_KEYS]; /* kept columns */
    unsigned bits[CSA_GROUPS_MAX_KEYS];
    uint64_t *counts; /* 1 << (sum of bits) cells */
    /* Cells to add one to, added in a burst: the counts of 35,000 LSOAs x
     * 14 crime types are megabytes, and a tight loop of increments waits
     * for many cache misses at once where one per row waits for each. */
    uint32_t pending[PENDING];
    size_t npending;
} cset;

static void flush_set(cset *set)
{
    for (size_t i = 0; i < set->npending; i++)
        set->counts[set->pending[i]]++;
    set->npending = 0;
}

struct counter {
    kcol *cols;
    size_t ncols;
    cset *sets;
    size_t nsets;
    uint32_t *codes; /* per kept column, for the row being counted */
};

/* The bytes that identify a value of a key column. */
static void value_bytes(csa_type type, const csa_value *v, char buf[8], const char **s,
                        size_t *len)
{
    switch (type) {
    case CSA_STRING:
        *s = v->v.str.s;
        *len = v->v.str.len;
        return;
    case CSA_INT64: memcpy(buf, &v->v.i, 8); break;
    case CSA_DOUBLE: memcpy(buf, &v->v.d, 8); break;
    case CSA_DATE: memset(buf, 0, 8); memcpy(buf, &v->v.date, 4); break;
    case CSA_BOOL: memset(buf, 0, 8); buf[0] = v->v.b; break;
    }
    *s = buf;
    *len = 8;
}

/* The code of a value in key column k, new if need be. */
static bool intern(kcol *k, const csa_value *v, uint32_t *code)
{
    if (v->missing) {
        *code = 0;
        return true;
    }
    char buf[8];
    const char *s;
    size_t len;
    value_bytes(k->spec->type, v, buf, &s, &len);
    sslot *e = smap_find(&k->dim, s, len);
    if (e->len != EMPTY) {
        *code = e->val;
        return true;
    }
    if (k->nvalues == k->cap) {
        size_t cap = k->cap * 2;
        csa_value *vs = realloc(k->values, cap * sizeof *vs);
        if (!vs)
            return false;
        k->values = vs;
        k->cap = cap;
    }
    csa_value copy = *v;
    if (k->spec->type == CSA_STRING) {
        char *str = malloc(len ? len : 1);
        if (!str)
            return false;
        memcpy(str, s, len);
        copy.v.str.s = str;
    }
    if (!smap_put(&k->dim, e, s, len, (uint32_t)k->nvalues)) {
        if (k->spec->type == CSA_STRING)
            free((char *)copy.v.str.s);
        return false;
    }
    *code = (uint32_t)k->nvalues;
    k->values[k->nvalues++] = copy;
    return true;
}

static unsigned total_bits(const cset *set)
{
    unsigned b = 0;
    for (size_t i = 0; i < set->nkeys; i++)
        b += set->bits[i];
    return b;
}

static void split_cell(const cset *set, size_t cell, uint32_t *codes)
{
    for (size_t i = set->nkeys; i-- > 0;) {
        codes[i] = (uint32_t)(cell & (((size_t)1 << set->bits[i]) - 1));
        cell >>= set->bits[i];
    }
}

static size_t cell_of(const cset *set, const uint32_t *codes)
{
    size_t cell = 0;
    for (size_t i = 0; i < set->nkeys; i++)
        cell = cell << set->bits[i] | codes[i];
    return cell;
}

/* Widens the set's dimensions so that codes fit, moving its counts. */
static csa_status grow_set(cset *set, const uint32_t *codes)
{
    flush_set(set);
    cset wider = *set;
    for (size_t i = 0; i < set->nkeys; i++)
        while (codes[i] >= (uint32_t)1 << wider.bits[i])
            wider.bits[i]++;
    if (((size_t)1 << total_bits(&wider)) > CSA_GROUPS_MAX_CELLS)
        return CSA_ERR_LIMIT;
    wider.counts = reader_zeroed((size_t)1 << total_bits(&wider), sizeof *wider.counts);
    if (!wider.counts)
        return CSA_ERR_NOMEM;
    uint32_t c[CSA_GROUPS_MAX_KEYS];
    for (size_t cell = 0, ncells = (size_t)1 << total_bits(set); cell < ncells; cell++) {
        if (!set->counts[cell])
            continue;
        split_cell(set, cell, c);
        wider.counts[cell_of(&wider, c)] = set->counts[cell];
    }
    free(set->counts);
    *set = wider;
    return CSA_OK;
}

static void counter_free(counter *c)
{
    if (!c)
        return;
    for (size_t o = 0; c->cols && o < c->ncols; o++) {
        kcol *k = &c->cols[o];
        smap_free(&k->raw);
        smap_free(&k->dim);
        if (k->spec->type == CSA_STRING)
            for (size_t v = 1; v < k->nvalues; v++)
                free((char *)k->values[v].v.str.s);
        free(k->values);
    }
    for (size_t s = 0; c->sets && s < c->nsets; s++)
        free(c->sets[s].counts);
    free(c->cols);
    free(c->sets);
    free(c->codes);
    free(c);
}

static csa_status counter_create(const csa_spec_column *const *cols, size_t ncols,
                          const csa_count_set *sets, size_t nsets, counter **out,
                          csa_error *err)
{
    *out = NULL;
    counter *c = calloc(1, sizeof *c);
    if (!c || !(c->cols = calloc(ncols ? ncols : 1, sizeof *c->cols)) ||
        !(c->sets = calloc(nsets ? nsets : 1, sizeof *c->sets)) ||
        !(c->codes = calloc(ncols ? ncols : 1, sizeof *c->codes)))
        goto nomem;
    c->ncols = ncols;
    c->nsets = nsets;
    for (size_t o = 0; o < ncols; o++) {
        kcol *k = &c->cols[o];
        k->spec = cols[o];
        if (cols[o]->flags & CSA_COL_UNIQUE) {
            counter_free(c);
            return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, cols[o]->name, NULL,
                                 "column \"%s\" must be unique: rows are needed to check "
                                 "it, so it cannot be read by counting", cols[o]->name);
        }
        if (!smap_init(&k->raw) || !smap_init(&k->dim) ||
            !(k->values = calloc(16, sizeof *k->values)))
            goto nomem;
        k->cap = 16;
        k->nvalues = 1; /* code 0: missing */
        k->values[0].missing = true;
    }
    for (size_t s = 0; s < nsets; s++) {
        cset *set = &c->sets[s];
        if (!sets[s].nkeys || sets[s].nkeys > CSA_GROUPS_MAX_KEYS) {
            counter_free(c);
            return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                                 "a counting set has 1 to %d keys", CSA_GROUPS_MAX_KEYS);
        }
        set->nkeys = sets[s].nkeys;
        for (size_t i = 0; i < set->nkeys; i++) {
            size_t o = 0;
            while (o < ncols && strcmp(cols[o]->name, sets[s].keys[i]) != 0)
                o++;
            if (o == ncols) {
                counter_free(c);
                return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, sets[s].keys[i], NULL,
                                     "a counting key \"%s\" is not a kept column",
                                     sets[s].keys[i]);
            }
            set->key[i] = o;
            set->bits[i] = 1;
            c->cols[o].key = true;
        }
        if (!(set->counts = reader_zeroed((size_t)1 << total_bits(set), sizeof *set->counts)))
            goto nomem;
    }
    *out = c;
    return CSA_OK;
nomem:
    counter_free(c);
    return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
}

/* What a new raw cell means: BAD, or its code in a key column (0 for a
 * non-key column). Parsed exactly as the table path parses each cell. */
static bool learn(kcol *k, const char *s, size_t len, uint32_t *val)
{
    csa_value v;
    char what[96];
    cell_status cs = parse_cell(k->spec, s, len, &v, what, sizeof what);
    bool blank = cs == CELL_BLANK || cs == CELL_SUPPRESSED;
    if (!(cs == CELL_OK || (blank && (!(k->spec->flags & CSA_COL_NOT_NULL) || k->absent)))) {
        *val = BAD;
        return true;
    }
    *val = 0;
    return !k->key || intern(k, &v, val);
}

static int count_codes(counter *c, const uint32_t *codes, csa_status *st);

/* Counts one row given its kept cells (s[o], len[o]). COUNT_BAD: a cell
 * that is not a value, or blank where the column needs one: nothing was
 * counted and the row must be checked (and rejected) the slow way.
 * COUNT_FAIL: out of memory or over the cell limit; *st says which. */
static int counter_row(counter *c, const char *const *s, const size_t *len, csa_status *st)
{
    for (size_t o = 0; o < c->ncols; o++) {
        kcol *k = &c->cols[o];
        sslot *e = smap_find(&k->raw, s[o], len[o]);
        uint32_t val;
        if (e->len != EMPTY) {
            val = e->val;
        } else if (!learn(k, s[o], len[o], &val) || !smap_put(&k->raw, e, s[o], len[o], val)) {
            *st = CSA_ERR_NOMEM;
            return COUNT_FAIL;
        }
        if (val & BAD)
            return COUNT_BAD;
        c->codes[o] = val;
    }
    return count_codes(c, c->codes, st);
}

/* The codes of the raw cells s[j] of kept column o in m rows, or BAD for
 * one that is bad or not yet seen; nothing is learnt. All the slots are
 * asked for before any is read: in the map of 35,000 LSOA codes each is
 * a wait for memory, and these waits then overlap. */
static void lookup_rows(const counter *c, size_t o, const char *const *s, const size_t *len,
                        size_t m, uint32_t *val)
{
    const smap *map = &c->cols[o].raw;
    uint64_t k0[ROWS_AT_ONCE], k1[ROWS_AT_ONCE];
    size_t at[ROWS_AT_ONCE];
    for (size_t j = 0; j < m; j++) {
        pack(s[j], len[j], &k0[j], &k1[j]);
        at[j] = slot_of(map, k0[j], k1[j], len[j]);
        __builtin_prefetch(&map->slots[at[j]]);
    }
    for (size_t j = 0; j < m; j++) {
        const sslot *e = smap_probe(map, s[j], len[j], k0[j], k1[j], at[j]);
        val[j] = e->len == EMPTY ? BAD : e->val;
    }
}

/* Adds one to each set's cell for a row whose kept columns have codes[o].
 * COUNT_FAIL: out of memory or over the cell limit; *st says which. */
static int count_codes(counter *c, const uint32_t *codes, csa_status *st)
{
    for (size_t i = 0; i < c->nsets; i++) {
        cset *set = &c->sets[i];
        size_t cell = 0;
        for (size_t j = 0; j < set->nkeys; j++) {
            uint32_t code = codes[set->key[j]];
            if (code >> set->bits[j]) {
                uint32_t keys[CSA_GROUPS_MAX_KEYS];
                for (size_t q = 0; q < set->nkeys; q++)
                    keys[q] = codes[set->key[q]];
                if ((*st = grow_set(set, keys)))
                    return COUNT_FAIL;
                cell = cell_of(set, keys);
                break;
            }
            cell = cell << set->bits[j] | code;
        }
        set->pending[set->npending++] = (uint32_t)cell;
        if (set->npending == PENDING)
            flush_set(set);
    }
    return COUNT_OK;
}

/* Adds the pending cells, before counts are read. */
static void counter_flush(counter *c)
{
    for (size_t i = 0; i < c->nsets; i++)
        flush_set(&c->sets[i]);
}

/* Adds every count of `from` (same columns and sets) to `into`. */
static csa_status counter_merge(counter *into, const counter *from)
{
    csa_status st = CSA_OK;
    uint32_t **map = calloc(from->ncols ? from->ncols : 1, sizeof *map);
    if (!map)
        return CSA_ERR_NOMEM;
    for (size_t o = 0; o < from->ncols && !st; o++) {
        const kcol *k = &from->cols[o];
        if (!k->key)
            continue;
        if (!(map[o] = malloc(k->nvalues * sizeof *map[o]))) {
            st = CSA_ERR_NOMEM;
            break;
        }
        map[o][0] = 0;
        for (size_t v = 1; v < k->nvalues && !st; v++)
            if (!intern(&into->cols[o], &k->values[v], &map[o][v]))
                st = CSA_ERR_NOMEM;
    }
    for (size_t i = 0; i < from->nsets && !st; i++) {
        const cset *fs = &from->sets[i];
        cset *is = &into->sets[i];
        uint32_t codes[CSA_GROUPS_MAX_KEYS];
        for (size_t cell = 0, ncells = (size_t)1 << total_bits(fs); cell < ncells && !st; cell++) {
            if (!fs->counts[cell])
                continue;
            split_cell(fs, cell, codes);
            bool fits = true;
            for (size_t j = 0; j < fs->nkeys; j++) {
                codes[j] = map[fs->key[j]][codes[j]];
                fits = fits && !(codes[j] >> is->bits[j]);
            }
            if (!fits && (st = grow_set(is, codes)))
                break;
            is->counts[cell_of(is, codes)] += fs->counts[cell];
        }
    }
    for (size_t o = 0; o < from->ncols; o++)
        free(map[o]);
    free(map);
    return st;
}

/* One new frozen table per set: its keys and "Rows", one row per cell
 * with rows, in code order (first key slowest). */
static csa_status counter_tables(const counter *c, csa_table **out)
{
    csa_status st = CSA_OK;
    for (size_t i = 0; i < c->nsets; i++)
        out[i] = NULL;
    for (size_t i = 0; i < c->nsets && !st; i++) {
        const cset *set = &c->sets[i];
        csa_table *t = csa_table_create();
        if (!t) {
            st = CSA_ERR_NOMEM;
            break;
        }
        out[i] = t;
        for (size_t j = 0; j < set->nkeys && !st; j++) {
            const csa_spec_column *sc = c->cols[set->key[j]].spec;
            st = csa_table_add_column(t, sc->name, sc->type);
        }
        if (!st)
            st = csa_table_add_column(t, "Rows", CSA_INT64);
        csa_value v[CSA_GROUPS_MAX_KEYS + 1];
        uint32_t codes[CSA_GROUPS_MAX_KEYS];
        for (size_t cell = 0, ncells = (size_t)1 << total_bits(set); cell < ncells && !st;
             cell++) {
            if (!set->counts[cell])
                continue;
            split_cell(set, cell, codes);
            for (size_t j = 0; j < set->nkeys; j++)
                v[j] = c->cols[set->key[j]].values[codes[j]];
            v[set->nkeys] = (csa_value){.v.i = (int64_t)set->counts[cell]};
            st = csa_table_append_row(t, v, NULL);
        }
        csa_table_freeze(t);
    }
    if (st)
        for (size_t i = 0; i < c->nsets; i++) {
            csa_table_free(out[i]);
            out[i] = NULL;
        }
    return st;
}

/* ---- tables ---- */

typedef struct ingest {
    const csa_ingest_options *opt;
    const char *name;
    csa_table *t;
    csa_ingest_stats *stats;
    csa_error *err;
    csa_status status; /* set when reading must stop */
    size_t header_nfields;
    size_t nout;                           /* table columns */
    size_t spec_col[CSA_SPEC_MAX_COLUMNS]; /* table column -> spec column */
    size_t field_of[CSA_SPEC_MAX_COLUMNS]; /* table column -> field, or CSA_NO_ROW */
    bool *keep;                            /* per field */
    reader_callbacks cb;
    counter *count; /* counting mode: rows are counted here, not appended to t */
    /* counting: table column o is the pos_of[o]-th wanted field of a row
     * the reader cuts (CSA_NO_ROW: not in the file) */
    size_t pos_of[CSA_SPEC_MAX_COLUMNS];
    size_t *string_of; /* table path: per field, its string column or CSA_NO_ROW */
    /* a CSA_COL_SCOPE column is read from the file: a unique column is
     * unique with it (validation checks the pairs), not alone */
    bool scoped;
    const char *cell[CSA_SPEC_MAX_COLUMNS];
    size_t cell_len[CSA_SPEC_MAX_COLUMNS];
    /* table path: each date column's last good cell and its value. A
     * month's rows come together, so most rows repeat it; reading it on
     * every row was 2% of the work of validating and ingesting a police
     * history (csa run reads it once, validation's checks first). */
    char date_raw[CSA_SPEC_MAX_COLUMNS][16];
    size_t date_len[CSA_SPEC_MAX_COLUMNS]; /* 0: none kept */
    int32_t date[CSA_SPEC_MAX_COLUMNS];
} ingest;

const char *csa_reject_reason_text(csa_reject_reason r)
{
    static const char *const text[] = {
        "wrong number of fields", "blank value", "unreadable value",
        "duplicate value", "field too long",
    };
    return (unsigned)r < CSA_REJECT_NREASONS ? text[r] : "?";
}

/* "population, Total, All Ages": the names a spec column answers to. */
static void column_names(const csa_spec_column *c, char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size, "%s%s", c->name, c->aliases ? ", " : "");
    for (const char *a = c->aliases; a && *a && n < size; a++)
        n += (size_t)snprintf(buf + n, size - n, *a == '|' ? ", " : "%c", *a);
}

static bool on_header(ingest *in, const reader_row *row)
{
    const csa_spec *spec = in->opt->spec;
    size_t field_of_spec[CSA_SPEC_MAX_COLUMNS], dup, dup_field;
    in->header_nfields = row->nfields;
    map_header(spec, row, field_of_spec, &dup, &dup_field);
    if (dup != CSA_NO_ROW) {
        in->status = csa_error_set(in->err, CSA_ERR_FORMAT, in->name, row->line, dup_field + 1,
                                   spec->columns[dup].name, NULL,
                                   "column \"%s\" appears twice (columns %zu and %zu)",
                                   spec->columns[dup].name, field_of_spec[dup] + 1,
                                   dup_field + 1);
        return false;
    }
    for (size_t c = 0; c < spec->ncolumns; c++) {
        if (field_of_spec[c] != CSA_NO_ROW || !(spec->columns[c].flags & CSA_COL_REQUIRED))
            continue;
        char names[512];
        column_names(&spec->columns[c], names, sizeof names);
        in->status = csa_error_set(in->err, CSA_ERR_FORMAT, in->name, row->line, 0,
                                   spec->columns[c].name, NULL,
                                   "missing column \"%s\" (a %s file needs it; header names "
                                   "accepted: %s)", spec->columns[c].name, spec->name, names);
        return false;
    }
    in->keep = calloc(row->nfields ? row->nfields : 1, sizeof *in->keep);
    if (!in->keep) {
        in->status = csa_error_set(in->err, CSA_ERR_NOMEM, in->name, 0, 0, NULL, NULL,
                                   "out of memory");
        return false;
    }
    for (size_t o = 0; o < in->nout; o++) {
        in->field_of[o] = field_of_spec[in->spec_col[o]];
        if (in->field_of[o] != CSA_NO_ROW)
            in->keep[in->field_of[o]] = true;
        if (in->field_of[o] != CSA_NO_ROW && (spec->columns[in->spec_col[o]].flags & CSA_COL_SCOPE))
            in->scoped = true;
        if (in->count)
            in->count->cols[o].absent = in->field_of[o] == CSA_NO_ROW;
    }
    if (!in->count) {
        if (!(in->string_of = malloc((row->nfields ? row->nfields : 1) * sizeof *in->string_of))) {
            in->status = csa_error_set(in->err, CSA_ERR_NOMEM, in->name, 0, 0, NULL, NULL,
                                       "out of memory");
            return false;
        }
        for (size_t f = 0; f < row->nfields; f++)
            in->string_of[f] = CSA_NO_ROW;
        for (size_t o = 0; o < in->nout; o++)
            if (in->field_of[o] != CSA_NO_ROW &&
                csa_table_column_type(in->t, o) == CSA_STRING)
                in->string_of[in->field_of[o]] = o;
    }
    for (size_t o = 0; o < in->nout; o++) {
        in->pos_of[o] = CSA_NO_ROW;
        if (in->field_of[o] == CSA_NO_ROW)
            continue;
        in->pos_of[o] = 0;
        for (size_t f = 0; f < in->field_of[o]; f++)
            in->pos_of[o] += in->keep[f];
    }
    in->cb.keep = in->keep;
    in->cb.nkeep = row->nfields;
    return true;
}

/* Counts a rejected row and keeps its error; in all-or-nothing mode the
 * rejection is the error that stops reading. */
static bool reject(ingest *in, const reader_row *row, csa_reject_reason why, size_t o,
                   uint64_t column, const char *value, const char *message)
{
    csa_ingest_stats *st = in->stats;
    const char *field = o != CSA_NO_ROW ? in->opt->spec->columns[in->spec_col[o]].name : NULL;
    csa_status status = why == CSA_REJECT_FIELD_COUNT ? CSA_ERR_FORMAT : CSA_ERR_VALUE;
    csa_error e;
    csa_error_set(&e, status, in->name, row->line, column, field, value, "%s", message);
    st->rows_rejected++;
    st->by_reason[why]++;
    if (o != CSA_NO_ROW)
        st->by_column[why][in->spec_col[o]]++;
    if (st->nkept < CSA_INGEST_KEEP_REJECTS)
        st->first_rejects[st->nkept++] = e;
    if (!in->opt->all_or_nothing)
        return true;
    *in->err = e;
    in->status = status;
    return false;
}

static bool on_data_row(ingest *in, const reader_row *row)
{
    const csa_spec *spec = in->opt->spec;
    csa_value values[CSA_SPEC_MAX_COLUMNS];
    char text[CSA_ERROR_VALUE_MAX], msg[CSA_ERROR_MESSAGE_MAX], what[96];
    in->stats->rows_read++;
    if (row->nfields != in->header_nfields) {
        snprintf(msg, sizeof msg, "row has %zu field%s; the header has %zu", row->nfields,
                 row->nfields == 1 ? "" : "s", in->header_nfields);
        return reject(in, row, CSA_REJECT_FIELD_COUNT, CSA_NO_ROW,
                      (row->nfields < in->header_nfields ? row->nfields : in->header_nfields) + 1,
                      NULL, msg);
    }
    if (row->too_long)
        return reject(in, row, CSA_REJECT_TOO_LONG, CSA_NO_ROW, 0, NULL,
                      "a field is longer than 64 KiB");
    if (in->count) {
        /* each distinct cell was parsed once; a bad one sends the row to
         * the checks below, which reject it as the table path does */
        for (size_t o = 0; o < in->nout; o++) {
            size_t f = in->field_of[o];
            in->cell[o] = f == CSA_NO_ROW ? "" : row->fields[f];
            in->cell_len[o] = f == CSA_NO_ROW ? 0 : row->lens[f];
        }
        csa_status st = CSA_OK;
        int r = counter_row(in->count, in->cell, in->cell_len, &st);
        if (r == COUNT_OK) {
            in->stats->rows_accepted++;
            return true;
        }
        if (r == COUNT_FAIL) {
            in->status = csa_error_set(in->err, st, in->name, row->line, 0, NULL, NULL,
                                       "cannot count row: %s", csa_strerror(st));
            return false;
        }
    }
    for (size_t o = 0; o < in->nout; o++) {
        const csa_spec_column *c = &spec->columns[in->spec_col[o]];
        size_t f = in->field_of[o];
        const char *s = f == CSA_NO_ROW ? "" : row->fields[f];
        size_t len = f == CSA_NO_ROW ? 0 : row->lens[f];
        bool memo = c->type == CSA_DATE && !(c->flags & CSA_COL_UNIQUE);
        if (memo && len && len == in->date_len[o] &&
            memcmp(s, in->date_raw[o], len) == 0) {
            values[o] = (csa_value){.v.date = in->date[o]};
            continue;
        }
        cell_status cs = parse_cell(c, s, len, &values[o], what, sizeof what);
        if (cs == CELL_OK && memo && len <= sizeof in->date_raw[o]) {
            memcpy(in->date_raw[o], s, len);
            in->date_len[o] = len;
            in->date[o] = values[o].v.date;
        }
        if (cs == CELL_OK && (!(c->flags & CSA_COL_UNIQUE) || in->scoped))
            continue; /* the common case, kept free of formatting */
        /* a column the file does not have is blank, not blanked */
        if ((cs == CELL_BLANK || cs == CELL_SUPPRESSED) &&
            (!(c->flags & CSA_COL_NOT_NULL) || f == CSA_NO_ROW))
            continue;
        snprintf(text, sizeof text, "%.*s", (int)(len < sizeof text ? len : sizeof text - 1), s);
        switch (cs) {
        case CELL_OK:
            if (csa_dict_find(csa_table_dict(in->t, o), values[o].v.str.s, values[o].v.str.len) !=
                CSA_NO_CODE) {
                snprintf(msg, sizeof msg, "%s \"%s\" appears more than once", c->name, text);
                return reject(in, row, CSA_REJECT_DUPLICATE, o, f + 1, text, msg);
            }
            break;
        case CELL_BLANK:
        case CELL_SUPPRESSED:
            snprintf(msg, sizeof msg, "%s is %s", c->name,
                     cs == CELL_SUPPRESSED ? "suppressed" : "blank");
            return reject(in, row, CSA_REJECT_MISSING, o, f + 1, NULL, msg);
        case CELL_BAD:
        case CELL_RANGE:
            snprintf(msg, sizeof msg, "%s \"%s\"%s", c->name, text, what);
            return reject(in, row, CSA_REJECT_BAD_VALUE, o, f + 1, text, msg);
        }
    }
    const csa_ingest_options *o = in->opt;
    if (o->keep_values && o->thin && o->keep_column < in->nout) {
        const csa_value *k = &values[o->keep_column];
        if (k->missing ||
            csa_dict_find(o->keep_values, k->v.str.s, k->v.str.len) == CSA_NO_CODE)
            for (size_t c = 0; c < in->nout; c++)
                values[c].missing |= o->thin[c];
    }
    csa_status st = in->count ? CSA_ERR_STATE : csa_table_append_row(in->t, values, NULL);
    if (st) {
        in->status = csa_error_set(in->err, st, in->name, row->line, 0, NULL, NULL,
                                   "cannot keep row: %s", csa_strerror(st));
        return false;
    }
    in->stats->rows_accepted++;
    return true;
}

static bool on_row(void *ctx, const reader_row *row)
{
    ingest *in = ctx;
    return in->keep ? on_data_row(in, row) : on_header(in, row);
}

/* Table path: a row a few rows ahead will add its strings to the columns'
 * dictionaries; in one of 35,000 LSOA codes each is a wait for memory. */
static void on_peek(void *ctx, const batch_field *fields, size_t n)
{
    ingest *in = ctx;
    for (size_t i = 0; in->string_of && i < n; i++) /* none before the header is read */
        if (fields[i].f < in->header_nfields && in->string_of[fields[i].f] != CSA_NO_ROW &&
            fields[i].s)
            csa_dict_prefetch(csa_table_dict(in->t, in->string_of[fields[i].f]), fields[i].s,
                              fields[i].len);
}

/* The cell of kept column o in a row the fast path has cut. */
static void cut_cell(const ingest *in, const batch_row *row, const batch_field *fields, size_t o,
                     const char **s, size_t *len)
{
    *s = "";
    *len = 0;
    if (in->pos_of[o] != CSA_NO_ROW) {
        *s = fields[row->first + in->pos_of[o]].s;
        *len = fields[row->first + in->pos_of[o]].len;
    }
}

/* Counts rows the fast path has cut, many at once: each kept column's
 * cells of all of them are looked up together. A row with a cell not yet
 * seen, or a bad one, is counted by counter_row; the first row that is not
 * a plain good row goes back to the reader for on_data_row. */
static bool on_rows(void *ctx, const batch_row *rows, size_t n, const batch_field *fields,
                    size_t *done)
{
    ingest *in = ctx;
    counter *c = in->count;
    size_t m = 0;
    while (m < n && m < ROWS_AT_ONCE && rows[m].nfields == in->header_nfields &&
           !rows[m].too_long)
        m++;
    const char *s[ROWS_AT_ONCE];
    size_t len[ROWS_AT_ONCE];
    uint32_t val[CSA_SPEC_MAX_COLUMNS][ROWS_AT_ONCE];
    for (size_t o = 0; o < in->nout; o++) {
        for (size_t j = 0; j < m; j++)
            cut_cell(in, &rows[j], fields, o, &s[j], &len[j]);
        lookup_rows(c, o, s, len, m, val[o]);
    }
    for (*done = 0; *done < m; ++*done) {
        size_t j = *done;
        uint32_t codes[CSA_SPEC_MAX_COLUMNS];
        bool known = true;
        for (size_t o = 0; o < in->nout; o++) {
            codes[o] = val[o][j];
            known = known && !(codes[o] & BAD);
        }
        csa_status st = CSA_OK;
        int r;
        if (!known) {
            for (size_t o = 0; o < in->nout; o++)
                cut_cell(in, &rows[j], fields, o, &in->cell[o], &in->cell_len[o]);
            r = counter_row(c, in->cell, in->cell_len, &st);
        } else {
            r = count_codes(c, codes, &st);
        }
        if (r == COUNT_BAD)
            return true; /* on_data_row rejects it */
        if (r == COUNT_FAIL) {
            in->status = csa_error_set(in->err, st, in->name, rows[j].line, 0, NULL, NULL,
                                       "cannot count row: %s", csa_strerror(st));
            return false;
        }
        in->stats->rows_read++;
        in->stats->rows_accepted++;
    }
    return true;
}

csa_status csa_ingest_table(const csa_ingest_options *opt, csa_table **out, csa_error *err)
{
    const csa_spec *spec = opt->spec;
    size_t n = opt->ncolumns ? opt->ncolumns : spec->ncolumns;
    *out = NULL;
    if (n > CSA_SPEC_MAX_COLUMNS)
        return csa_error_set(err, CSA_ERR_LIMIT, NULL, 0, 0, NULL, NULL, "too many columns");
    csa_table *t = csa_table_create();
    if (!t)
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    for (size_t o = 0; o < n; o++) {
        size_t c = opt->ncolumns ? csa_spec_column_index(spec, opt->columns[o]) : o;
        if (c == CSA_NO_ROW) {
            csa_table_free(t);
            return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, opt->columns[o], NULL,
                                 "spec %s has no column \"%s\"", spec->name, opt->columns[o]);
        }
        csa_status st = csa_table_add_column(t, spec->columns[c].name, spec->columns[c].type);
        if (st) {
            csa_table_free(t);
            return csa_error_set(err, st, NULL, 0, 0, NULL, NULL, "%s", csa_strerror(st));
        }
    }
    *out = t;
    return CSA_OK;
}

/* The spec columns opt keeps, in order; false when one is not in the spec. */
static bool kept_columns(const csa_ingest_options *opt, size_t *spec_col, size_t *n)
{
    *n = opt->ncolumns ? opt->ncolumns : opt->spec->ncolumns;
    if (*n > CSA_SPEC_MAX_COLUMNS)
        return false;
    for (size_t o = 0; o < *n; o++)
        if ((spec_col[o] = opt->ncolumns ? csa_spec_column_index(opt->spec, opt->columns[o])
                                         : o) == CSA_NO_ROW)
            return false;
    return true;
}

/* Sets up in to read one source into t or (counting) into count. */
static csa_status ingest_begin(ingest *in, const char *name, const csa_ingest_options *opt,
                               csa_table *t, counter *count, csa_ingest_stats *stats,
                               csa_error *err)
{
    const csa_spec *spec = opt->spec;
    *in = (ingest){.opt = opt, .name = name, .t = t, .stats = stats, .err = err, .count = count};
    memset(stats, 0, sizeof *stats);
    if (count) {
        if (!kept_columns(opt, in->spec_col, &in->nout))
            return csa_error_set(err, CSA_ERR_USAGE, name, 0, 0, NULL, NULL,
                                 "columns not in spec %s", spec->name);
    } else {
        in->nout = csa_table_ncols(t);
        for (size_t o = 0; o < in->nout; o++)
            if (o >= CSA_SPEC_MAX_COLUMNS ||
                (in->spec_col[o] = csa_spec_column_index(spec, csa_table_column_name(t, o))) ==
                    CSA_NO_ROW)
                return csa_error_set(err, CSA_ERR_USAGE, name, 0, 0, NULL, NULL,
                                     "table does not match spec %s", spec->name);
    }
    in->cb = (reader_callbacks){.row = on_row, .rows = count ? on_rows : NULL,
                                .peek = count ? NULL : on_peek, .ctx = in,
                                .exact = opt->exact_path};
    return CSA_OK;
}

/* The end of a source read with status st: the stats the reader's info
 * gives, and an empty file is an error. Frees what in holds. */
static csa_status ingest_end(ingest *in, csa_status st, const reader_info *info)
{
    csa_ingest_stats *stats = in->stats;
    if (!st)
        st = in->status;
    if (in->count)
        counter_flush(in->count);
    stats->windows_1252 = info->windows_1252;
    stats->replaced_bytes = info->invalid_bytes + info->nul_bytes;
    stats->threads = 1;
    if (!st && !in->keep)
        st = csa_error_set(in->err, CSA_ERR_FORMAT, in->name, 0, 0, NULL, NULL,
                           "file is empty: a %s file needs a header row and data rows",
                           in->opt->spec->name);
    free(in->keep);
    free(in->string_of);
    in->keep = NULL;
    in->string_of = NULL;
    return st;
}

/* One source, start to end, into t or (counting) into count: the header,
 * then every row. */
static csa_status ingest_one(csa_source *src, const csa_ingest_options *opt, csa_table *t,
                             counter *count, csa_ingest_stats *stats, reader_info *info,
                             csa_error *err)
{
    ingest in;
    csa_status st = ingest_begin(&in, src->name, opt, t, count, stats, err);
    if (st)
        return st;
    return ingest_end(&in, reader_run(src, &in.cb, info, err), info);
}

/* ---- two threads on big files ---- */

typedef struct half {
    reader_half in;
    const csa_ingest_options *opt;
    csa_table *t;
    counter *count;
    csa_ingest_stats stats;
    reader_info info;
    csa_error err;
    csa_status st;
} half;

static void *run_half(void *arg)
{
    half *h = arg;
    h->st = ingest_one(&h->in.src, h->opt, h->t, h->count, &h->stats, &h->info, &h->err);
    return NULL;
}

bool ingest_splits(const csa_ingest_options *opt)
{
    size_t spec_col[CSA_SPEC_MAX_COLUMNS], n;
    if (opt->all_or_nothing || opt->exact_path || !kept_columns(opt, spec_col, &n))
        return false;
    for (size_t o = 0; o < n; o++)
        if (opt->spec->columns[spec_col[o]].flags & CSA_COL_UNIQUE)
            return false; /* uniqueness is checked across the whole file */
    return true;
}

void ingest_add_stats(csa_ingest_stats *to, const csa_ingest_stats *from, uint64_t line_shift)
{
    to->rows_read += from->rows_read;
    to->rows_accepted += from->rows_accepted;
    to->rows_rejected += from->rows_rejected;
    for (int r = 0; r < CSA_REJECT_NREASONS; r++) {
        to->by_reason[r] += from->by_reason[r];
        for (size_t c = 0; c < CSA_SPEC_MAX_COLUMNS; c++)
            to->by_column[r][c] += from->by_column[r][c];
    }
    for (size_t i = 0; i < from->nkept && to->nkept < CSA_INGEST_KEEP_REJECTS; i++) {
        to->first_rejects[to->nkept] = from->first_rejects[i];
        to->first_rejects[to->nkept++].line += line_shift;
    }
    to->replaced_bytes += from->replaced_bytes;
}

/* Reads a big plain file as two halves split after a line end, on two
 * threads. *done is false when the file does not qualify or the halves
 * cannot be trusted to equal one sequential read (the split fell inside a
 * quoted value, or the second half has bytes over 0x7F, whose meaning
 * depends on what came before); the caller then reads it sequentially. */
static csa_status ingest_parallel(csa_source *src, const csa_ingest_options *opt, csa_table *t,
                                  counter *const *counts, csa_ingest_stats *stats, bool *done,
                                  csa_error *err)
{
    *done = false;
    if (!ingest_splits(opt) ||
        (opt->cpus_in_use > 0 && sysconf(_SC_NPROCESSORS_ONLN) - opt->cpus_in_use < 2))
        return CSA_OK;
    reader_split sp;
    if (!reader_plan_split(src, &sp))
        return CSA_OK;
    /* the first half appends to t itself, so only the second is copied;
     * counting, each half counts on its own and both are added up after */
    size_t nbefore = t ? csa_table_nrows(t) : 0;
    half h[2] = {{.opt = opt, .t = t}, {.opt = opt}};
    if (counts) {
        h[0].count = counts[1];
        h[1].count = counts[2];
    }
    csa_status st = CSA_OK;
    for (int i = 0; i < 2; i++)
        if (!reader_open_half(&h[i].in, &sp, src->name, i))
            goto cleanup;
    if (t && csa_ingest_table(opt, &h[1].t, err))
        goto cleanup;
    reader_run_halves(run_half, &h[0], &h[1]);
    if (h[0].st || h[1].st || h[0].info.ended_in_row || h[1].info.non_ascii)
        goto cleanup; /* read it sequentially: same answers, exactly as a user sees them */
    if (t)
        st = csa_table_append_table(t, h[1].t);
    else if (!(st = counter_merge(counts[0], counts[1])))
        st = counter_merge(counts[0], counts[2]);
    if (st) {
        st = csa_error_set(err, st, src->name, 0, 0, NULL, NULL, "%s", csa_strerror(st));
        goto cleanup;
    }
    memset(stats, 0, sizeof *stats);
    ingest_add_stats(stats, &h[0].stats, 0);
    /* the second half counted its header as line 1; its rows follow the first half's lines */
    ingest_add_stats(stats, &h[1].stats, h[0].info.lines - 1);
    stats->windows_1252 = h[0].stats.windows_1252;
    stats->threads = 2;
    *done = true;
cleanup:
    for (int i = 0; i < 2; i++)
        reader_close_half(&h[i].in);
    csa_table_free(h[1].t);
    if (!*done && !st && t)
        csa_table_truncate(t, nbefore);
    return st;
}

/* Too many rows rejected for the file to be trusted. */
csa_status ingest_check_rejects(const char *name, const csa_ingest_options *opt,
                                const csa_ingest_stats *stats, csa_error *err)
{
    if (opt->all_or_nothing || !stats->rows_read ||
        (double)stats->rows_rejected <= opt->max_reject_share * (double)stats->rows_read)
        return CSA_OK;
    char first[CSA_ERROR_MESSAGE_MAX + CSA_ERROR_FILE_MAX + 48], nrej[32], nread[32];
    csa_error_format(&stats->first_rejects[0], first, sizeof first);
    return csa_error_set(err, CSA_ERR_REJECTS, name, 0, 0, NULL, NULL,
                         "%s of %s rows rejected (%.1f%%, more than %g%%): is this a %s "
                         "file? The first: %s",
                         csa_format_number((double)stats->rows_rejected, 0, nrej, sizeof nrej),
                         csa_format_number((double)stats->rows_read, 0, nread, sizeof nread),
                         100.0 * (double)stats->rows_rejected / (double)stats->rows_read,
                         100.0 * opt->max_reject_share, opt->spec->name, first);
}

csa_status csa_ingest(csa_source *src, const csa_ingest_options *opt, csa_table *t,
                      csa_ingest_stats *stats, csa_error *err)
{
    reader_info info;
    bool done;
    csa_status st = ingest_parallel(src, opt, t, NULL, stats, &done, err);
    if (!st && !done)
        st = ingest_one(src, opt, t, NULL, stats, &info, err);
    return st ? st : ingest_check_rejects(src->name, opt, stats, err);
}

/* ---- fed by validation's reader (csa_validate_options.ingest) ---- */

ingest *ingest_fed_open(const csa_ingest_options *opt, csa_table *t, const char *name,
                        csa_ingest_stats *stats, csa_error *err, csa_status *st)
{
    ingest *in = malloc(sizeof *in);
    if (!in) {
        *st = csa_error_set(err, CSA_ERR_NOMEM, name, 0, 0, NULL, NULL, "out of memory");
        return NULL;
    }
    if ((*st = ingest_begin(in, name, opt, t, NULL, stats, err))) {
        free(in);
        return NULL;
    }
    return in;
}

bool ingest_fed_row(ingest *in, const reader_row *row)
{
    if (!in->keep || !row->too_long)
        return on_row(in, row);
    /* the reader marks a row too long for a field validation keeps (and
     * hands it over as NULL); ingest reads its own fields only */
    reader_row own = *row;
    own.too_long = false;
    for (size_t o = 0; o < in->nout; o++) {
        size_t f = in->field_of[o];
        own.too_long |= f != CSA_NO_ROW && f < row->nfields && !row->fields[f];
    }
    return on_row(in, &own);
}

void ingest_fed_peek(ingest *in, const batch_field *fields, size_t n)
{
    on_peek(in, fields, n);
}

csa_status ingest_fed_close(ingest *in, csa_status st, const reader_info *info)
{
    st = ingest_end(in, st, info);
    free(in);
    return st;
}

csa_status csa_ingest_count(csa_source *src, const csa_ingest_options *opt,
                            const csa_count_set *sets, size_t nsets, csa_table **out,
                            csa_ingest_stats *stats, csa_error *err)
{
    size_t spec_col[CSA_SPEC_MAX_COLUMNS], n;
    const csa_spec_column *cols[CSA_SPEC_MAX_COLUMNS];
    counter *counts[3] = {NULL, NULL, NULL}; /* the whole file; its two halves */
    reader_info info;
    bool done;
    csa_status st;
    for (size_t i = 0; i < nsets; i++)
        out[i] = NULL;
    memset(stats, 0, sizeof *stats);
    if (!kept_columns(opt, spec_col, &n))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "columns not in spec %s", opt->spec->name);
    for (size_t o = 0; o < n; o++)
        cols[o] = &opt->spec->columns[spec_col[o]];
    for (int i = 0; i < 3; i++)
        if ((st = counter_create(cols, n, sets, nsets, &counts[i], err)))
            goto done;
    st = ingest_parallel(src, opt, NULL, counts, stats, &done, err);
    if (!st && !done)
        st = ingest_one(src, opt, NULL, counts[0], stats, &info, err);
    if (!st)
        st = ingest_check_rejects(src->name, opt, stats, err);
    if (!st && (st = counter_tables(counts[0], out)))
        st = csa_error_set(err, st, src->name, 0, 0, NULL, NULL, "%s", csa_strerror(st));
done:
    for (int i = 0; i < 3; i++)
        counter_free(counts[i]);
    return st;
}

/* ---- any CSV ---- */

typedef struct any {
    const char *name;
    const char *const *numeric;
    size_t nnumeric;
    csa_table *t;
    csa_spec_column *cols; /* per field: how its cells are read */
    csa_value *values;
    size_t nfields;
    bool nonnegative;
    uint64_t *lines;
    size_t lines_cap;
    csa_error *err;
    csa_status status;
} any;

static bool any_header(any *a, const reader_row *row)
{
    a->nfields = row->nfields;
    a->cols = calloc(row->nfields, sizeof *a->cols);
    a->values = calloc(row->nfields, sizeof *a->values);
    char **names = calloc(row->nfields, sizeof *names);
    bool ok = a->cols && a->values && names;
    for (size_t f = 0; ok && f < row->nfields; f++) {
        names[f] = strndup(row->fields[f], row->lens[f]);
        ok = names[f] != NULL;
    }
    if (!ok) {
        a->status = csa_error_set(a->err, CSA_ERR_NOMEM, a->name, 0, 0, NULL, NULL, "out of memory");
        goto done;
    }
    for (size_t f = 0; f < row->nfields; f++) {
        bool numeric = false;
        for (size_t n = 0; n < a->nnumeric; n++)
            numeric = numeric || strcmp(names[f], a->numeric[n]) == 0;
        a->cols[f] = (csa_spec_column){.name = a->numeric[0], .type = numeric ? CSA_DOUBLE : CSA_STRING,
                                       .flags = a->nonnegative ? CSA_COL_RANGE : 0,
                                       .min = 0, .max = HUGE_VAL};
        csa_status st = csa_table_add_column(a->t, names[f], a->cols[f].type);
        if (st) {
            a->status = csa_error_set(a->err, st, a->name, row->line, f + 1, names[f], NULL,
                                      "column \"%s\": %s", names[f],
                                      st == CSA_ERR_NOMEM ? "out of memory" : "cannot add it");
            goto done;
        }
    }
    for (size_t n = 0; n < a->nnumeric; n++)
        if (csa_table_find(a->t, a->numeric[n]) == CSA_NO_ROW) {
            a->status = csa_error_set(a->err, CSA_ERR_FORMAT, a->name, row->line, 0, a->numeric[n],
                                      NULL, "missing column \"%s\"", a->numeric[n]);
            goto done;
        }
done:
    for (size_t f = 0; names && f < row->nfields; f++)
        free(names[f]);
    free(names);
    return a->status == CSA_OK;
}

static bool any_row(void *ctx, const reader_row *row)
{
    any *a = ctx;
    if (!a->cols)
        return any_header(a, row);
    if (row->nfields != a->nfields) {
        a->status = csa_error_set(a->err, CSA_ERR_FORMAT, a->name, row->line,
                                  (row->nfields < a->nfields ? row->nfields : a->nfields) + 1,
                                  NULL, NULL, "row has %zu fields; the header has %zu",
                                  row->nfields, a->nfields);
        return false;
    }
    char what[96], text[CSA_ERROR_VALUE_MAX];
    for (size_t f = 0; f < a->nfields; f++) {
        const char *name = csa_table_column_name(a->t, f);
        a->cols[f].name = name;
        cell_status cs = parse_cell(&a->cols[f], row->fields[f], row->lens[f], &a->values[f],
                                    what, sizeof what);
        if (cs == CELL_BAD || cs == CELL_RANGE) {
            snprintf(text, sizeof text, "%.*s",
                     (int)(row->lens[f] < sizeof text ? row->lens[f] : sizeof text - 1),
                     row->fields[f]);
            a->status = csa_error_set(a->err, CSA_ERR_VALUE, a->name, row->line, f + 1, name,
                                      text, "%s \"%s\"%s", name, text, what);
            return false;
        }
    }
    csa_status st = csa_table_append_row(a->t, a->values, NULL);
    size_t r = csa_table_nrows(a->t) - 1;
    if (!st && r >= a->lines_cap) {
        size_t cap = a->lines_cap ? a->lines_cap * 2 : 1024;
        uint64_t *lines = realloc(a->lines, cap * sizeof *lines);
        if (lines) {
            a->lines = lines;
            a->lines_cap = cap;
        } else {
            st = CSA_ERR_NOMEM;
        }
    }
    if (st) {
        a->status = csa_error_set(a->err, st, a->name, row->line, 0, NULL, NULL,
                                  "cannot keep row: %s", csa_strerror(st));
        return false;
    }
    a->lines[r] = row->line;
    return true;
}

csa_status csa_ingest_any(csa_source *src, const char *const *numeric, size_t nnumeric,
                          bool nonnegative, csa_table **out, uint64_t **lines, csa_error *err)
{
    static const char *const none[] = {""};
    any a = {.name = src->name, .numeric = nnumeric ? numeric : none, .nnumeric = nnumeric,
             .nonnegative = nonnegative, .err = err, .t = csa_table_create()};
    reader_info info;
    *out = NULL;
    if (!a.t)
        return csa_error_set(err, CSA_ERR_NOMEM, src->name, 0, 0, NULL, NULL, "out of memory");
    reader_callbacks cb = {.row = any_row, .ctx = &a};
    csa_status st = reader_run(src, &cb, &info, err);
    if (!st)
        st = a.status;
    if (!st && !a.cols)
        st = csa_error_set(err, CSA_ERR_FORMAT, src->name, 0, 0, NULL, NULL, "file is empty");
    free(a.cols);
    free(a.values);
    if (st) {
        csa_table_free(a.t);
        free(a.lines);
        return st;
    }
    csa_table_freeze(a.t);
    *out = a.t;
    if (lines)
        *lines = a.lines;
    else
        free(a.lines);
    return CSA_OK;
}

csa_status csa_ingest_reference(const char *path, const csa_spec *spec, const char *const *cols,
                                size_t ncols, csa_table **out, csa_error *err)
{
    csa_ingest_options opt = {.spec = spec, .columns = cols, .ncolumns = ncols,
                              .all_or_nothing = true};
    csa_ingest_stats stats;
    csa_source src;
    csa_status st = csa_ingest_table(&opt, out, err);
    if (st)
        return st;
    if ((st = csa_source_open_file(&src, path, err)))
        return st;
    st = csa_ingest(&src, &opt, *out, &stats, err);
    csa_source_close(&src);
    if (!st && stats.rows_read == 0)
        st = csa_error_set(err, CSA_ERR_FORMAT, path, 0, 0, NULL, NULL,
                           "has a header but no data rows");
    if (!st)
        csa_table_freeze(*out);
    return st;
}
