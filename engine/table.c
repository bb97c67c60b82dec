/* Columnar tables: typed arrays, lazily allocated validity bitmaps and
 * dictionary-encoded strings. */
#include <stdlib.h>
#include <string.h>

#include "csa/table.h"

/* A hash slot. Keys of up to 16 bytes (every area code) are kept in the
 * slot itself, so a lookup touches one cache line instead of three. */
typedef struct slot {
    uint32_t code1; /* code + 1; 0 = empty */
    uint32_t len;
    uint64_t key[2]; /* the key, zero-padded, when len <= 16 */
} slot;

struct csa_dict {
    char *pool;          /* the strings, each NUL-terminated */
    size_t pool_len, pool_cap;
    size_t *offsets;     /* offsets[code] into pool */
    uint32_t *lengths;
    size_t size, cap;
    slot *slots;         /* open addressing */
    size_t nslots;       /* power of two */
    uint32_t last1;      /* the code dict_intern last gave, plus one (0: none): a
                            column often repeats its last value (a force, a type) */
};

typedef struct column {
    char *name;
    csa_type type;
    unsigned width;      /* bytes a value: a narrow string column's codes take 1 or 2 */
    void *data;
    uint8_t *valid;      /* NULL while every value is present */
    size_t nmissing;
    csa_dict *dict;
} column;

struct csa_table {
    column *cols;
    size_t ncols, nrows, cap;
    bool frozen;
    bool narrow; /* string codes in as few bytes as the dictionary needs until frozen */
};

const char *csa_type_name(csa_type type)
{
    static const char *const names[] = {"int64", "double", "date", "string", "bool"};
    return (unsigned)type < sizeof names / sizeof names[0] ? names[type] : "?";
}

static size_t type_width(csa_type type)
{
    switch (type) {
    case CSA_INT64: return sizeof(int64_t);
    case CSA_DOUBLE: return sizeof(double);
    case CSA_DATE: return sizeof(int32_t);
    case CSA_STRING: return sizeof(uint32_t);
    case CSA_BOOL: return sizeof(bool);
    }
    return 1;
}

/* realloc of n * size bytes, refusing sizes that overflow. */
static void *grow(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    size_t bytes = n * size;
    return realloc(p, bytes ? bytes : 1);
}

/* ---- narrow codes ----
 *
 * A narrow column's codes are 1, 2 or 4 bytes, all ones (0xFF, 0xFFFF)
 * meaning CSA_NO_CODE, so a width holds codes below its all-ones value. */

static uint32_t code_at(const column *c, size_t row)
{
    switch (c->width) {
    case 1: {
        uint8_t v = ((const uint8_t *)c->data)[row];
        return v == UINT8_MAX ? CSA_NO_CODE : v;
    }
    case 2: {
        uint16_t v = ((const uint16_t *)c->data)[row];
        return v == UINT16_MAX ? CSA_NO_CODE : v;
    }
    default:
        return ((const uint32_t *)c->data)[row];
    }
}

static void put_code(column *c, size_t row, uint32_t code)
{
    switch (c->width) {
    case 1: ((uint8_t *)c->data)[row] = code == CSA_NO_CODE ? UINT8_MAX : (uint8_t)code; break;
    case 2: ((uint16_t *)c->data)[row] = code == CSA_NO_CODE ? UINT16_MAX : (uint16_t)code; break;
    default: ((uint32_t *)c->data)[row] = code;
    }
}

/* The width codes below n need. */
static unsigned width_for(size_t n)
{
    return n <= UINT8_MAX ? 1 : n <= UINT16_MAX ? 2 : 4;
}

/* Rewrites column c's codes `width` bytes wide, room for `cap` rows. From
 * the last row back: a wider code never overwrites a narrower one not yet
 * moved. */
static csa_status widen(column *c, size_t nrows, size_t cap, unsigned width)
{
    if (width <= c->width)
        return CSA_OK;
    void *data = grow(c->data, cap, width);
    if (!data)
        return CSA_ERR_NOMEM;
    c->data = data;
    /* a loop for each pair of widths, not code_at and put_code on every
     * row: freezing a 6M-row history's table took 3% of its run so */
    if (c->width == 1 && width == 2) {
        uint16_t *to = data;
        const uint8_t *from = data;
        for (size_t r = nrows; r-- > 0;)
            to[r] = from[r] == UINT8_MAX ? UINT16_MAX : from[r];
    } else if (c->width == 1) {
        uint32_t *to = data;
        const uint8_t *from = data;
        for (size_t r = nrows; r-- > 0;)
            to[r] = from[r] == UINT8_MAX ? CSA_NO_CODE : from[r];
    } else {
        uint32_t *to = data;
        const uint16_t *from = data;
        for (size_t r = nrows; r-- > 0;)
            to[r] = from[r] == UINT16_MAX ? CSA_NO_CODE : from[r];
    }
    c->width = width;
    return CSA_OK;
}

/* ---- dictionaries ---- */

/* Eight bytes at a time with a splitmix-style mix: dictionary keys are
 * short codes (9-byte LSOAs, crime types), and this runs once per cell. */
uint64_t csa_hash(const char *s, size_t len)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ len;
    for (; len >= 8; s += 8, len -= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
        h ^= h >> 31;
    }
    if (len) {
        uint64_t w = 0;
        memcpy(&w, s, len);
        h = (h ^ w) * 0x94D049BB133111EBULL;
        h ^= h >> 29;
    }
    return h ^ (h >> 32);
}

static csa_dict *dict_create(void)
{
    csa_dict *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->nslots = 64;
    d->slots = calloc(d->nslots, sizeof *d->slots);
    if (!d->slots) {
        free(d);
        return NULL;
    }
    return d;
}

static void dict_free(csa_dict *d)
{
    if (!d)
        return;
    free(d->pool);
    free(d->offsets);
    free(d->lengths);
    free(d->slots);
    free(d);
}

/* The slot holding s, or the empty slot where it would go. */
static size_t dict_slot(const csa_dict *d, const char *s, size_t len)
{
    size_t mask = d->nslots - 1;
    size_t i = (size_t)csa_hash(s, len) & mask;
    uint64_t key[2] = {0, 0};
    bool inline_key = len <= sizeof key;
    if (inline_key)
        memcpy(key, s, len);
    for (;; i = (i + 1) & mask) {
        const slot *sl = &d->slots[i];
        if (!sl->code1)
            return i;
        if (sl->len != len)
            continue;
        if (inline_key ? sl->key[0] == key[0] && sl->key[1] == key[1]
                       : memcmp(d->pool + d->offsets[sl->code1 - 1], s, len) == 0)
            return i;
    }
}

static void fill_slot(csa_dict *d, size_t i, uint32_t code)
{
    slot *sl = &d->slots[i];
    sl->code1 = code + 1;
    sl->len = d->lengths[code];
    sl->key[0] = sl->key[1] = 0;
    if (sl->len <= sizeof sl->key)
        memcpy(sl->key, d->pool + d->offsets[code], sl->len);
}

static bool dict_rehash(csa_dict *d)
{
    size_t nslots = d->nslots * 2;
    slot *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return false;
    free(d->slots);
    d->slots = slots;
    d->nslots = nslots;
    for (uint32_t code = 0; code < d->size; code++)
        fill_slot(d, dict_slot(d, d->pool + d->offsets[code], d->lengths[code]), code);
    return true;
}

uint32_t csa_dict_find(const csa_dict *d, const char *s, size_t len)
{
    uint32_t code1 = d->slots[dict_slot(d, s, len)].code1;
    return code1 ? code1 - 1 : CSA_NO_CODE;
}

void csa_dict_prefetch(const csa_dict *d, const char *s, size_t len)
{
    if (d->nslots >= 4096) /* 4,096 slots of this size fill a core's L1 cache */
        __builtin_prefetch(&d->slots[(size_t)csa_hash(s, len) & (d->nslots - 1)]);
}

static csa_status dict_intern(csa_dict *d, const char *s, size_t len,
                              uint32_t *code, bool *is_new)
{
    if (d->last1 && d->lengths[d->last1 - 1] == len &&
        memcmp(d->pool + d->offsets[d->last1 - 1], s, len) == 0) {
        *is_new = false;
        *code = d->last1 - 1;
        return CSA_OK;
    }
    size_t i = dict_slot(d, s, len);
    *is_new = !d->slots[i].code1;
    if (!*is_new) {
        *code = d->slots[i].code1 - 1;
        d->last1 = d->slots[i].code1;
        return CSA_OK;
    }
    if (d->size >= UINT32_MAX - 1)
        return CSA_ERR_LIMIT;
    if (d->size == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        size_t *offsets = grow(d->offsets, cap, sizeof *offsets);
        if (!offsets)
            return CSA_ERR_NOMEM;
        d->offsets = offsets;
        uint32_t *lengths = grow(d->lengths, cap, sizeof *lengths);
        if (!lengths)
            return CSA_ERR_NOMEM;
        d->lengths = lengths;
        d->cap = cap;
    }
    if (len + 1 > SIZE_MAX - d->pool_len)
        return CSA_ERR_NOMEM;
    if (d->pool_len + len + 1 > d->pool_cap) {
        size_t cap = d->pool_cap ? d->pool_cap : 256;
        while (cap < d->pool_len + len + 1) {
            if (cap > SIZE_MAX / 2)
                return CSA_ERR_NOMEM;
            cap *= 2;
        }
        char *pool = realloc(d->pool, cap);
        if (!pool)
            return CSA_ERR_NOMEM;
        d->pool = pool;
        d->pool_cap = cap;
    }
    memcpy(d->pool + d->pool_len, s, len);
    d->pool[d->pool_len + len] = '\0';
    d->offsets[d->size] = d->pool_len;
    d->lengths[d->size] = (uint32_t)len;
    d->pool_len += len + 1;
    *code = (uint32_t)d->size++;
    d->last1 = *code + 1;
    fill_slot(d, i, *code);
    /* keep the load under a half so probes stay short */
    if (d->size * 2 > d->nslots && !dict_rehash(d))
        return CSA_ERR_NOMEM;
    return CSA_OK;
}

size_t csa_dict_size(const csa_dict *d) { return d->size; }

const char *csa_dict_string(const csa_dict *d, uint32_t code, size_t *len)
{
    if (code >= d->size)
        return NULL;
    if (len)
        *len = d->lengths[code];
    return d->pool + d->offsets[code];
}

/* ---- tables ---- */

csa_table *csa_table_create(void) { return calloc(1, sizeof(csa_table)); }

void csa_table_free(csa_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->ncols; i++) {
        free(t->cols[i].name);
        free(t->cols[i].data);
        free(t->cols[i].valid);
        dict_free(t->cols[i].dict);
    }
    free(t->cols);
    free(t);
}

csa_status csa_table_add_column(csa_table *t, const char *name, csa_type type)
{
    if (t->frozen || t->nrows)
        return CSA_ERR_STATE;
    if ((unsigned)type > CSA_BOOL)
        return CSA_ERR_USAGE;
    column *cols = grow(t->cols, t->ncols + 1, sizeof *cols);
    if (!cols)
        return CSA_ERR_NOMEM;
    t->cols = cols;
    column *c = &t->cols[t->ncols];
    memset(c, 0, sizeof *c);
    c->type = type;
    c->width = (unsigned)type_width(type);
    c->name = strdup(name);
    if (!c->name)
        return CSA_ERR_NOMEM;
    if (type == CSA_STRING && !(c->dict = dict_create())) {
        free(c->name);
        return CSA_ERR_NOMEM;
    }
    t->ncols++;
    return CSA_OK;
}

/* Room for `rows` rows: doubling for row-by-row appends, or exactly. */
static csa_status reserve(csa_table *t, size_t rows, bool exact)
{
    if (rows <= t->cap)
        return CSA_OK;
    size_t cap = exact ? rows : t->cap ? t->cap : 1024;
    while (cap < rows) {
        if (cap > SIZE_MAX / 2)
            return CSA_ERR_NOMEM;
        cap *= 2;
    }
    for (size_t i = 0; i < t->ncols; i++) {
        column *c = &t->cols[i];
        void *data = grow(c->data, cap, c->width);
        if (!data)
            return CSA_ERR_NOMEM;
        c->data = data;
        if (c->valid) {
            uint8_t *valid = grow(c->valid, cap / 8 + 1, 1);
            if (!valid)
                return CSA_ERR_NOMEM;
            memset(valid + t->cap / 8 + 1, 0, cap / 8 - t->cap / 8);
            c->valid = valid;
        }
    }
    t->cap = cap;
    return CSA_OK;
}

/* The first missing value allocates the bitmap, with all earlier rows set. */
static csa_status mark_missing(csa_table *t, column *c, size_t row)
{
    if (!c->valid) {
        c->valid = calloc(t->cap / 8 + 1, 1);
        if (!c->valid)
            return CSA_ERR_NOMEM;
        for (size_t r = 0; r < row; r++)
            c->valid[r / 8] |= (uint8_t)(1u << (r % 8));
    }
    c->valid[row / 8] &= (uint8_t) ~(1u << (row % 8));
    c->nmissing++;
    return CSA_OK;
}

csa_status csa_table_append_row(csa_table *t, const csa_value *values, bool *new_codes)
{
    if (t->frozen)
        return CSA_ERR_STATE;
    for (size_t i = 0; i < t->ncols; i++)
        if (t->cols[i].type == CSA_STRING && !values[i].missing &&
            values[i].v.str.len > CSA_STRING_MAX)
            return CSA_ERR_LIMIT;
    csa_status st = reserve(t, t->nrows + 1, false);
    if (st)
        return st;
    size_t row = t->nrows;
    /* Validity first: it is the only step that can fail after reserving,
     * and a failure must leave no column half-written. */
    for (size_t i = 0; i < t->ncols; i++) {
        column *c = &t->cols[i];
        if (values[i].missing) {
            if ((st = mark_missing(t, c, row)))
                return st;
        } else if (c->valid) {
            c->valid[row / 8] |= (uint8_t)(1u << (row % 8));
        }
    }
    for (size_t i = 0; i < t->ncols; i++) {
        column *c = &t->cols[i];
        const csa_value *v = &values[i];
        if (new_codes)
            new_codes[i] = false;
        switch (c->type) {
        case CSA_INT64: ((int64_t *)c->data)[row] = v->missing ? 0 : v->v.i; break;
        case CSA_DOUBLE: ((double *)c->data)[row] = v->missing ? 0 : v->v.d; break;
        case CSA_DATE: ((int32_t *)c->data)[row] = v->missing ? 0 : v->v.date; break;
        case CSA_BOOL: ((bool *)c->data)[row] = v->missing ? false : v->v.b; break;
        case CSA_STRING: {
            uint32_t code = CSA_NO_CODE;
            bool is_new = false;
            if ((!v->missing && (st = dict_intern(c->dict, v->v.str.s, v->v.str.len,
                                                  &code, &is_new))) ||
                (is_new && (st = widen(c, row, t->cap, width_for(c->dict->size))))) {
                /* undo this row's missing marks so the row is not half there */
                for (size_t j = 0; j < t->ncols; j++)
                    if (values[j].missing)
                        t->cols[j].nmissing--;
                return st;
            }
            put_code(c, row, code);
            if (new_codes)
                new_codes[i] = is_new;
            break;
        }
        }
    }
    t->nrows++;
    return CSA_OK;
}

csa_status csa_table_append_table(csa_table *dst, const csa_table *src)
{
    if (dst->frozen)
        return CSA_ERR_STATE;
    if (dst->ncols != src->ncols)
        return CSA_ERR_USAGE;
    for (size_t c = 0; c < dst->ncols; c++)
        if (dst->cols[c].type != src->cols[c].type || strcmp(dst->cols[c].name, src->cols[c].name))
            return CSA_ERR_USAGE;
    if (src->nrows > SIZE_MAX - dst->nrows)
        return CSA_ERR_NOMEM;
    /* exactly what is needed: this is the big append at the end of a
     * parallel read, where doubling would overshoot by half a table */
    csa_status st = reserve(dst, dst->nrows + src->nrows, true);
    if (st)
        return st;
    size_t base = dst->nrows;
    for (size_t c = 0; c < dst->ncols; c++) {
        column *d = &dst->cols[c];
        const column *sc = &src->cols[c];
        size_t w = d->width;
        if (d->type != CSA_STRING) {
            if (src->nrows)
                memcpy((char *)d->data + base * w, sc->data, src->nrows * w);
        } else {
            /* src's codes -> dst's codes, through the strings */
            uint32_t *map = malloc((sc->dict->size ? sc->dict->size : 1) * sizeof *map);
            if (!map)
                return CSA_ERR_NOMEM;
            for (uint32_t k = 0; k < sc->dict->size; k++) {
                bool is_new;
                if ((st = dict_intern(d->dict, sc->dict->pool + sc->dict->offsets[k],
                                      sc->dict->lengths[k], &map[k], &is_new))) {
                    free(map);
                    return st;
                }
            }
            if ((st = widen(d, base, dst->cap, width_for(d->dict->size)))) {
                free(map);
                return st;
            }
            for (size_t r = 0; r < src->nrows; r++) {
                uint32_t code = code_at(sc, r);
                put_code(d, base + r, code == CSA_NO_CODE ? CSA_NO_CODE : map[code]);
            }
            free(map);
        }
        if (!sc->valid && !d->valid)
            continue;
        for (size_t r = 0; r < src->nrows; r++) {
            bool valid = !sc->valid || (sc->valid[r / 8] >> (r % 8) & 1);
            if (!valid && (st = mark_missing(dst, d, base + r)))
                return st;
            if (valid && d->valid)
                d->valid[(base + r) / 8] |= (uint8_t)(1u << ((base + r) % 8));
        }
    }
    dst->nrows += src->nrows;
    return CSA_OK;
}

csa_status csa_table_truncate(csa_table *t, size_t n)
{
    if (t->frozen)
        return CSA_ERR_STATE;
    if (n >= t->nrows)
        return CSA_OK;
    for (size_t c = 0; c < t->ncols; c++)
        for (size_t r = n; t->cols[c].valid && r < t->nrows; r++)
            t->cols[c].nmissing -= !(t->cols[c].valid[r / 8] >> (r % 8) & 1);
    t->nrows = n;
    return CSA_OK;
}

csa_status csa_table_keep_rows(csa_table *t, size_t first, const bool *keep)
{
    if (t->frozen)
        return CSA_ERR_STATE;
    if (first >= t->nrows)
        return CSA_OK;
    size_t to = first;
    for (size_t r = first; r < t->nrows; r++) {
        if (!keep[r - first]) {
            for (size_t c = 0; c < t->ncols; c++)
                t->cols[c].nmissing -= t->cols[c].valid &&
                                       !(t->cols[c].valid[r / 8] >> (r % 8) & 1);
            continue;
        }
        if (r != to)
            for (size_t c = 0; c < t->ncols; c++) {
                column *col = &t->cols[c];
                size_t w = col->width;
                memcpy((char *)col->data + to * w, (const char *)col->data + r * w, w);
                if (!col->valid)
                    continue;
                uint8_t bit = (uint8_t)(1u << (to % 8));
                if (col->valid[r / 8] >> (r % 8) & 1)
                    col->valid[to / 8] |= bit;
                else
                    col->valid[to / 8] &= (uint8_t)~bit;
            }
        to++;
    }
    t->nrows = to;
    return CSA_OK;
}

csa_status csa_table_narrow_codes(csa_table *t)
{
    if (t->frozen || t->nrows)
        return CSA_ERR_STATE;
    t->narrow = true;
    for (size_t i = 0; i < t->ncols; i++)
        if (t->cols[i].type == CSA_STRING)
            t->cols[i].width = width_for(t->cols[i].dict->size);
    return CSA_OK;
}

csa_status csa_table_freeze(csa_table *t)
{
    if (t->frozen)
        return CSA_OK;
    /* a frozen table never grows: its codes take uint32s and no more room */
    for (size_t i = 0; t->narrow && i < t->ncols; i++) {
        column *c = &t->cols[i];
        if (c->type == CSA_STRING && c->width < 4) {
            if (widen(c, t->nrows, t->nrows, 4))
                return CSA_ERR_NOMEM;
        }
    }
    /* and the room a growing table kept is given back (a reader that
     * thinned its rows as it read kept room for a file more) */
    for (size_t i = 0; t->cap > t->nrows && i < t->ncols; i++) {
        column *c = &t->cols[i];
        void *data = grow(c->data, t->nrows ? t->nrows : 1, c->width);
        uint8_t *valid = c->valid ? grow(c->valid, t->nrows / 8 + 1, 1) : NULL;
        if (data)
            c->data = data;
        if (valid)
            c->valid = valid;
    }
    if (t->cap > t->nrows)
        t->cap = t->nrows;
    t->narrow = false;
    t->frozen = true;
    return CSA_OK;
}
bool csa_table_frozen(const csa_table *t) { return t->frozen; }
size_t csa_table_nrows(const csa_table *t) { return t->nrows; }
size_t csa_table_ncols(const csa_table *t) { return t->ncols; }

size_t csa_table_find(const csa_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, name) == 0)
            return i;
    return CSA_NO_ROW;
}

const char *csa_table_column_name(const csa_table *t, size_t col) { return t->cols[col].name; }
csa_type csa_table_column_type(const csa_table *t, size_t col) { return t->cols[col].type; }

bool csa_table_valid(const csa_table *t, size_t col, size_t row)
{
    const column *c = &t->cols[col];
    return !c->valid || (c->valid[row / 8] >> (row % 8) & 1);
}

size_t csa_table_nmissing(const csa_table *t, size_t col) { return t->cols[col].nmissing; }
bool csa_table_has_bitmap(const csa_table *t, size_t col) { return t->cols[col].valid != NULL; }

static const void *typed(const csa_table *t, size_t col, csa_type type)
{
    return col < t->ncols && t->cols[col].type == type ? t->cols[col].data : NULL;
}

const int64_t *csa_table_int64s(const csa_table *t, size_t col) { return typed(t, col, CSA_INT64); }
const double *csa_table_doubles(const csa_table *t, size_t col) { return typed(t, col, CSA_DOUBLE); }
const int32_t *csa_table_dates(const csa_table *t, size_t col) { return typed(t, col, CSA_DATE); }
const uint32_t *csa_table_codes(const csa_table *t, size_t col)
{
    return col < t->ncols && t->cols[col].width == 4 ? typed(t, col, CSA_STRING) : NULL;
}
uint32_t csa_table_code(const csa_table *t, size_t col, size_t row)
{
    const column *c = &t->cols[col];
    if (c->type != CSA_STRING || (c->valid && !(c->valid[row / 8] >> (row % 8) & 1)))
        return CSA_NO_CODE;
    return code_at(c, row);
}
const bool *csa_table_bools(const csa_table *t, size_t col) { return typed(t, col, CSA_BOOL); }

const csa_dict *csa_table_dict(const csa_table *t, size_t col)
{
    return col < t->ncols ? t->cols[col].dict : NULL;
}

/* ---- group-by and join ---- */

void csa_groups_free(csa_groups *g)
{
    if (!g)
        return;
    free(g->counts);
    free(g->sums);
    free(g);
}

csa_status csa_table_group(const csa_table *t, const size_t *keys, size_t nkeys,
                           size_t sum_col, size_t begin, size_t end,
                           csa_groups **out, csa_error *err)
{
    *out = NULL;
    if (!t->frozen)
        return csa_error_set(err, CSA_ERR_STATE, NULL, 0, 0, NULL, NULL,
                             "group-by needs a frozen table");
    if (nkeys == 0 || nkeys > CSA_GROUPS_MAX_KEYS || begin > end || end > t->nrows)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "group-by: bad keys or row range");
    if (sum_col != CSA_NO_ROW && (sum_col >= t->ncols ||
        (t->cols[sum_col].type != CSA_INT64 && t->cols[sum_col].type != CSA_DOUBLE)))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "group-by: the summed column must be numeric");
    csa_groups *g = calloc(1, sizeof *g);
    if (!g)
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    g->nkeys = nkeys;
    g->ncells = 1;
    for (size_t k = 0; k < nkeys; k++) {
        if (keys[k] >= t->ncols || t->cols[keys[k]].type != CSA_STRING) {
            csa_groups_free(g);
            return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                                 "group-by keys must be string columns");
        }
        g->sizes[k] = t->cols[keys[k]].dict->size;
        /* an empty key space still gets one cell so arrays are never empty */
        size_t s = g->sizes[k] ? g->sizes[k] : 1;
        if (g->ncells > CSA_GROUPS_MAX_CELLS / s) {
            csa_groups_free(g);
            return csa_error_set(err, CSA_ERR_LIMIT, NULL, 0, 0,
                                 t->cols[keys[k]].name, NULL,
                                 "group-by would need more than %d cells",
                                 CSA_GROUPS_MAX_CELLS);
        }
        g->ncells *= s;
    }
    g->counts = calloc(g->ncells, sizeof *g->counts);
    if (sum_col != CSA_NO_ROW)
        g->sums = calloc(g->ncells, sizeof *g->sums);
    if (!g->counts || (sum_col != CSA_NO_ROW && !g->sums)) {
        csa_groups_free(g);
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    }
    const column *sc = sum_col != CSA_NO_ROW ? &t->cols[sum_col] : NULL;
    for (size_t r = begin; r < end; r++) {
        size_t cell = 0;
        bool missing = false;
        for (size_t k = 0; k < nkeys; k++) {
            uint32_t code = ((const uint32_t *)t->cols[keys[k]].data)[r];
            if (code == CSA_NO_CODE) {
                missing = true;
                break;
            }
            cell = cell * g->sizes[k] + code;
        }
        if (missing) {
            g->nmissing++;
            continue;
        }
        g->counts[cell]++;
        if (sc && csa_table_valid(t, sum_col, r))
            g->sums[cell] += sc->type == CSA_INT64 ? (double)((const int64_t *)sc->data)[r]
                                                   : ((const double *)sc->data)[r];
    }
    *out = g;
    return CSA_OK;
}

csa_status csa_table_join(const csa_table *left, size_t col, const csa_table *right,
                          size_t key, size_t **out, csa_error *err)
{
    *out = NULL;
    if (!left->frozen || !right->frozen)
        return csa_error_set(err, CSA_ERR_STATE, NULL, 0, 0, NULL, NULL,
                             "join needs frozen tables");
    if (col >= left->ncols || key >= right->ncols || left->cols[col].type != CSA_STRING ||
        right->cols[key].type != CSA_STRING)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "join columns must be string columns");
    const csa_dict *ld = left->cols[col].dict, *rd = right->cols[key].dict;
    /* right's code -> right's row, then left's code -> right's code */
    size_t *row_of = malloc((rd->size ? rd->size : 1) * sizeof *row_of);
    size_t *map = malloc((ld->size ? ld->size : 1) * sizeof *map);
    if (!row_of || !map) {
        free(row_of);
        free(map);
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    }
    for (size_t c = 0; c < rd->size; c++)
        row_of[c] = CSA_NO_ROW;
    const uint32_t *codes = right->cols[key].data;
    for (size_t r = 0; r < right->nrows; r++) {
        if (codes[r] == CSA_NO_CODE)
            continue;
        if (row_of[codes[r]] != CSA_NO_ROW) {
            const char *v = csa_dict_string(rd, codes[r], NULL);
            free(row_of);
            free(map);
            return csa_error_set(err, CSA_ERR_DUPLICATE, NULL, 0, 0,
                                 right->cols[key].name, v,
                                 "%s \"%s\" appears more than once", right->cols[key].name, v);
        }
        row_of[codes[r]] = r;
    }
    for (uint32_t c = 0; c < ld->size; c++) {
        size_t len;
        const char *s = csa_dict_string(ld, c, &len);
        uint32_t rc = csa_dict_find(rd, s, len);
        map[c] = rc == CSA_NO_CODE ? CSA_NO_ROW : row_of[rc];
    }
    free(row_of);
    *out = map;
    return CSA_OK;
}
