/* The CSV reader shared by ingest and validation (see reader.h). */
#include <csv.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csa/file.h"
#include "csa/thread.h"
#include "reader.h"

/* Zeroed memory that is written at once: calloc leaves a big block as
 * the shared zero page, and the first write after a read of each page then
 * costs a copy-on-write fault and a TLB flush on the other thread's CPU. */
static void *(*volatile zero_fill)(void *, int, size_t) = memset;

void *reader_zeroed(size_t n, size_t size)
{
    void *p = n && size <= SIZE_MAX / n ? malloc(n * size) : NULL;
    /* through a volatile pointer: the compiler turns malloc and a memset
     * to zero into calloc, which would leave the pages unwritten */
    if (p)
        zero_fill(p, 0, n * size);
    return p;
}

/* libcsv's "inside a field" parser state (libcsv.c; the same number from
 * 1.0 to 3.0.3). CSV_STRICT_FINI would report an unclosed quote only in
 * strict mode, which also refuses the stray quotes real files have, so the
 * reader reads the state itself. tests/unit/test_ingest.c pins this. */
enum { LIBCSV_FIELD_BEGUN = 2 };

/* Reads are this big; a line longer than this is over READER_MAX_ROW_BYTES too. */
enum { CHUNK = 1 << 20 };
enum { LIBCSV_ROW_NOT_BEGUN = 0 };
enum { ENC_ASCII, ENC_UTF8, ENC_1252 }; /* what the bytes so far have been */

/* What 64 bytes hold, a bit per byte. */
typedef struct masks {
    uint64_t comma, lf, odd; /* odd: quote, CR, NUL or a byte over 0x7F */
} masks;

enum { BATCH = 64 }; /* rows the fast path cuts before handing them over */

typedef struct reader {
    csa_source *src;
    reader_callbacks *cb;
    reader_info *info;
    csa_error *err;
    csa_status status;
    bool stop;
    struct csv_parser p;

    uint64_t line;      /* physical line being fed, 1-based */
    uint64_t line_byte; /* bytes of this line before the current piece */
    uint64_t offset;    /* bytes of the file before the current piece */
    uint64_t row_line;  /* line where the current row began; 0 between rows */
    size_t row_bytes;
    bool prev_cr;

    int enc;
    unsigned need;            /* UTF-8 continuation bytes still expected */
    unsigned char lo, hi;     /* range of the next continuation byte */
    unsigned char pend[4];    /* the sequence so far */
    unsigned npend;
    uint64_t pend_line_byte, pend_offset;
    char *out;                /* transcoded piece */
    size_t out_cap, out_len;

    bool header_done;
    size_t nfields;
    bool too_long;
    char *buf;
    size_t buf_len, buf_cap;
    size_t *start, *len;
    const char **fptr;
    size_t fcap;

    /* the fast path's rows not yet handed over: their wanted fields are
     * bf[first, first + n) */
    batch_row rows[BATCH];
    size_t nrows;
    batch_field *bf;
    size_t nb, bcap;
    bool cleared; /* fptr of unwanted fields set to NULL for good */
    uint32_t comma[READER_MAX_FIELDS + 1]; /* where the line being cut has commas */
    uint32_t want[READER_MAX_FIELDS];      /* the fields to cut from data rows */
    size_t nwant;
    bool want_ready;
    masks *mask; /* of the segment being cut, per 64 bytes */
    size_t mask_cap;
} reader;

static void fail(reader *r, csa_status st)
{
    if (!r->status)
        r->status = st;
    r->stop = true;
}

static void nomem(reader *r)
{
    fail(r, csa_error_set(r->err, CSA_ERR_NOMEM, r->src->name, 0, 0, NULL, NULL,
                          "out of memory"));
}

/* ---- encoding ---- */

/* Windows-1252 0x80..0x9F; the five unassigned bytes map to the C1
 * controls, as the WHATWG encoding standard does. */
static const uint16_t cp1252[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

static void put(reader *r, unsigned cp)
{
    char *o = r->out + r->out_len;
    if (cp < 0x80) {
        o[0] = (char)cp;
        r->out_len += 1;
    } else if (cp < 0x800) {
        o[0] = (char)(0xC0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3F));
        r->out_len += 2;
    } else {
        o[0] = (char)(0xE0 | cp >> 12);
        o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        r->out_len += 3;
    }
}

static void put_1252(reader *r, unsigned char b)
{
    put(r, b < 0x80 ? b : b < 0xA0 ? cp1252[b - 0x80] : b);
}

/* An encoding event at byte `at` of the current piece, or at the first
 * byte of the pending sequence when there is one. */
static void event(reader *r, reader_event ev, uint64_t at, unsigned char value)
{
    uint64_t line_byte = r->npend ? r->pend_line_byte : r->line_byte + at;
    uint64_t offset = r->npend ? r->pend_offset : r->offset + at;
    if (r->cb->event)
        r->cb->event(r->cb->ctx, ev, r->line, line_byte + 1, offset, value);
}

/* A byte that cannot start UTF-8, or a pending sequence that a byte cannot
 * continue (pending_only). Before any multi-byte UTF-8 has been seen this
 * means the file is Windows-1252, as Excel writes it. */
static void bad_byte(reader *r, uint64_t at, unsigned char b, bool pending_only)
{
    if (r->enc == ENC_ASCII) {
        r->enc = ENC_1252;
        r->info->windows_1252 = true;
        event(r, EVENT_WINDOWS_1252, at, r->npend ? r->pend[0] : b);
        for (unsigned i = 0; i < r->npend; i++)
            put_1252(r, r->pend[i]);
        if (!pending_only)
            put_1252(r, b);
    } else {
        r->info->invalid_bytes++;
        event(r, EVENT_INVALID_UTF8, at, r->npend ? r->pend[0] : b);
        put(r, 0xFFFD);
    }
    r->npend = r->need = 0;
}

static void start_byte(reader *r, uint64_t at, unsigned char b)
{
    if (b == 0) {
        r->info->nul_bytes++;
        event(r, EVENT_NUL, at, 0);
        put(r, 0xFFFD);
    } else if (b < 0x80) {
        put(r, b);
    } else if (r->enc == ENC_1252) {
        put_1252(r, b);
    } else {
        r->lo = 0x80;
        r->hi = 0xBF;
        if (b >= 0xC2 && b <= 0xDF)
            r->need = 1;
        else if (b >= 0xE0 && b <= 0xEF) {
            r->need = 2;
            r->lo = b == 0xE0 ? 0xA0 : 0x80; /* no overlongs */
            r->hi = b == 0xED ? 0x9F : 0xBF; /* no surrogates */
        } else if (b >= 0xF0 && b <= 0xF4) {
            r->need = 3;
            r->lo = b == 0xF0 ? 0x90 : 0x80;
            r->hi = b == 0xF4 ? 0x8F : 0xBF;
        } else {
            bad_byte(r, at, b, false);
            return;
        }
        r->pend[0] = b;
        r->npend = 1;
        r->pend_line_byte = r->line_byte + at;
        r->pend_offset = r->offset + at;
    }
}

static void decode(reader *r, uint64_t at, unsigned char b)
{
    if (!r->need) {
        start_byte(r, at, b);
        return;
    }
    if (b < r->lo || b > r->hi) {
        bad_byte(r, at, b, true);
        start_byte(r, at, b); /* the breaking byte starts afresh */
        return;
    }
    r->pend[r->npend++] = b;
    r->lo = 0x80;
    r->hi = 0xBF;
    if (--r->need)
        return;
    memcpy(r->out + r->out_len, r->pend, r->npend);
    r->out_len += r->npend;
    r->npend = 0;
    r->enc = ENC_UTF8;
}

/* Transcodes a piece into r->out: at most 3 bytes out per byte in, plus a
 * pending sequence. */
static bool transcode(reader *r, const unsigned char *in, size_t n)
{
    size_t need = n * 3 + 16;
    if (need > r->out_cap) {
        char *o = realloc(r->out, need);
        if (!o)
            return false;
        r->out = o;
        r->out_cap = need;
    }
    r->out_len = 0;
    for (size_t i = 0; i < n; i++) {
        if (in[i] < 0x80 && in[i] && !r->need) {
            r->out[r->out_len++] = (char)in[i];
            continue;
        }
        decode(r, i, in[i]);
    }
    return true;
}

/* ---- rows ---- */

static bool grow_fields(reader *r, size_t f)
{
    if (f >= r->fcap) {
        size_t cap = r->fcap ? r->fcap * 2 : 64;
        while (cap <= f)
            cap *= 2;
        size_t *st = realloc(r->start, cap * sizeof *st);
        if (!st)
            return false;
        r->start = st;
        size_t *ln = realloc(r->len, cap * sizeof *ln);
        if (!ln)
            return false;
        r->len = ln;
        const char **fp = realloc(r->fptr, cap * sizeof *fp);
        if (!fp)
            return false;
        r->fptr = fp;
        for (size_t i = r->fcap; i < cap; i++) { /* no field yet: see flush */
            fp[i] = NULL;
            ln[i] = 0;
        }
        r->fcap = cap;
    }
    return true;
}

static bool keep_text(reader *r, size_t f, const char *s, size_t len)
{
    if (!grow_fields(r, f))
        return false;
    if (len > r->buf_cap - r->buf_len) {
        size_t cap = r->buf_cap ? r->buf_cap : 4096;
        while (cap - r->buf_len < len)
            cap *= 2;
        char *b = realloc(r->buf, cap);
        if (!b)
            return false;
        r->buf = b;
        r->buf_cap = cap;
    }
    if (len) /* libcsv passes no pointer for an empty field */
        memcpy(r->buf + r->buf_len, s, len);
    r->start[f] = r->buf_len;
    r->len[f] = len;
    r->buf_len += len;
    return true;
}

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    if (r->stop)
        return;
    size_t f = r->nfields++;
    if (f >= READER_MAX_FIELDS) {
        fail(r, csa_error_set(r->err, CSA_ERR_LIMIT, r->src->name, r->row_line, f + 1, NULL,
                              NULL, "row has more than %d fields", READER_MAX_FIELDS));
        return;
    }
    bool wanted = !r->header_done || !r->cb->keep || (f < r->cb->nkeep && r->cb->keep[f]);
    if (wanted && len > CSA_STRING_MAX) {
        r->too_long = true;
        wanted = false;
    }
    if (!keep_text(r, f, wanted ? s : "", wanted ? len : 0))
        nomem(r);
    else if (!wanted)
        r->len[f] = (size_t)-1;
}

static void on_row(int term, void *data)
{
    reader *r = data;
    if (!r->stop) {
        for (size_t f = 0; f < r->nfields; f++) {
            bool kept = r->len[f] != (size_t)-1;
            r->fptr[f] = kept ? r->buf + r->start[f] : NULL;
            if (!kept)
                r->len[f] = 0;
        }
        reader_row row = {.line = r->row_line ? r->row_line : r->line, .nfields = r->nfields,
                          .fields = r->fptr, .lens = r->len, .too_long = r->too_long,
                          .last = term == -1};
        r->header_done = true;
        if (!r->cb->row(r->cb->ctx, &row))
            r->stop = true;
    }
    r->nfields = 0;
    r->buf_len = 0;
    r->too_long = false;
    r->row_line = 0;
    r->row_bytes = 0;
}

/* The exact path: feeds libcsv one physical line at a time, so that line
 * numbers are known when it reports a row. CRLF, LF and a lone CR each end
 * a line. */
static void exact_feed(reader *r, const char *buf, size_t len)
{
    size_t i = 0;
    while (i < len && !r->stop) {
        size_t j = i;
        while (j < len && buf[j] != '\n' && buf[j] != '\r')
            j++;
        size_t end = j < len ? j + 1 : len;
        bool crlf_tail = j == i && j < len && buf[j] == '\n' && r->prev_cr;
        if (!r->row_line && j > i)
            r->row_line = r->line;
        if (r->row_line) {
            r->row_bytes += end - i;
            if (r->row_bytes > READER_MAX_ROW_BYTES) {
                fail(r, csa_error_set(r->err, CSA_ERR_FORMAT, r->src->name, r->row_line, 0,
                                      NULL, NULL, "the row that starts here is over 1 MiB "
                                      "long: probably a quote (\") that is never closed"));
                return;
            }
        }
        if (!transcode(r, (const unsigned char *)buf + i, end - i)) {
            nomem(r);
            return;
        }
        if (csv_parse(&r->p, r->out, r->out_len, on_field, on_row, r) != r->out_len) {
            fail(r, csa_error_set(r->err, CSA_ERR_NOMEM, r->src->name, r->line, 0, NULL, NULL,
                                  "cannot parse: %s", csv_strerror(csv_error(&r->p))));
            return;
        }
        /* a line of spaces begins no row: the next row starts later */
        if (r->p.pstate == LIBCSV_ROW_NOT_BEGUN)
            r->row_line = r->row_bytes = 0;
        r->offset += end - i;
        if (j < len) {
            if (crlf_tail) { /* the CR before was counted as a lone CR */
                r->info->ends[2]--;
                r->info->ends[1]++;
            } else {
                r->info->ends[buf[j] == '\n' ? 0 : 2]++;
                r->line++;
            }
            r->line_byte = 0;
            r->prev_cr = buf[j] == '\r';
        } else {
            r->line_byte += end - i;
            r->prev_cr = false;
        }
        i = end;
    }
}

/* ---- the fast path ---- */

/* Plain lines (no quote, NUL, lone CR or byte over 0x7F) are cut here from
 * bit masks of 64 bytes at a time: each comma and line end is visited once
 * and only the wanted fields are cut out. Rows go to the caller in batches
 * of up to BATCH: a caller can take them all at once (rows), or one by one
 * (row) with a peek at a row a few rows ahead to start fetching what it
 * will need. */

#if defined(__SSE2__)
#include <immintrin.h>

static void masks_sse2(const unsigned char *p, size_t nblocks, masks *out)
{
    const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n'),
                  quote = _mm_set1_epi8('"'), cr = _mm_set1_epi8('\r'), one = _mm_set1_epi8(1);
    for (size_t i = 0; i < nblocks; i++, p += 64) {
        masks m = {0, 0, 0};
        for (int k = 0; k < 4; k++) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
            /* signed bytes under 1: NUL and everything over 0x7F */
            __m128i odd = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
                                                    _mm_cmpeq_epi8(v, cr)),
                                       _mm_cmplt_epi8(v, one));
            m.comma |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma)) << 16 * k;
            m.lf |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, lf)) << 16 * k;
            m.odd |= (uint64_t)(unsigned)_mm_movemask_epi8(odd) << 16 * k;
        }
        out[i] = m;
    }
}

#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_AVX2_MASKS 1
__attribute__((target("avx2"))) static void masks_avx2(const unsigned char *p, size_t nblocks,
                                                       masks *out)
{
    const __m256i comma = _mm256_set1_epi8(','), lf = _mm256_set1_epi8('\n'),
                  quote = _mm256_set1_epi8('"'), cr = _mm256_set1_epi8('\r'),
                  one = _mm256_set1_epi8(1);
    for (size_t i = 0; i < nblocks; i++, p += 64) {
        masks m = {0, 0, 0};
        for (int k = 0; k < 2; k++) {
            __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32 * k));
            __m256i odd = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(v, quote),
                                                          _mm256_cmpeq_epi8(v, cr)),
                                          _mm256_cmpgt_epi8(one, v));
            m.comma |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, comma))
                       << 32 * k;
            m.lf |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, lf)) << 32 * k;
            m.odd |= (uint64_t)(uint32_t)_mm256_movemask_epi8(odd) << 32 * k;
        }
        out[i] = m;
    }
}
#endif
#else
static void masks_sse2(const unsigned char *p, size_t nblocks, masks *out)
{
    for (size_t i = 0; i < nblocks; i++, p += 64) {
        masks m = {0, 0, 0};
        for (int b = 0; b < 64; b++) {
            unsigned char c = p[b];
            m.comma |= (uint64_t)(c == ',') << b;
            m.lf |= (uint64_t)(c == '\n') << b;
            m.odd |= (uint64_t)(c == '"' || c == '\r' || c == 0 || c >= 0x80) << b;
        }
        out[i] = m;
    }
}
#endif

/* Masks of every 64 bytes of buf[0, len), the last block padded with
 * spaces: with AVX2 where the CPU has it (the same bits either way). */
static bool index_masks(reader *r, const char *buf, size_t len)
{
    size_t nblocks = len / 64 + (len % 64 != 0);
    if (nblocks > r->mask_cap) {
        masks *m = realloc(r->mask, nblocks * sizeof *m);
        if (!m)
            return false;
        r->mask = m;
        r->mask_cap = nblocks;
    }
    void (*fn)(const unsigned char *, size_t, masks *) = masks_sse2;
#ifdef HAVE_AVX2_MASKS
    if (__builtin_cpu_supports("avx2"))
        fn = masks_avx2;
#endif
    fn((const unsigned char *)buf, len / 64, r->mask);
    if (len % 64) {
        unsigned char tail[64];
        memset(tail, ' ', sizeof tail);
        memcpy(tail, buf + len / 64 * 64, len % 64);
        masks_sse2(tail, 1, &r->mask[len / 64]);
    }
    return true;
}

/* The odd bits of block `base` that are not a CR before an LF (or at the
 * end of the buffer, where the line's CR is cut off as before an LF). */
static uint64_t odd_bits(const char *buf, size_t len, size_t base, const masks *m)
{
    uint64_t odd = m->odd;
    for (uint64_t o = m->odd; o; o &= o - 1) {
        size_t p = base + (size_t)__builtin_ctzll(o);
        if (buf[p] == '\r' && (p + 1 == len || buf[p + 1] == '\n'))
            odd &= ~(o & -o);
    }
    return odd;
}

static bool is_space(char c) { return c == ' ' || c == '\t'; }

/* The fields to cut from data rows (all when keep is NULL), once the
 * header has been handed over. */
static void want_list(reader *r)
{
    r->nwant = 0;
    for (size_t f = 0; r->cb->keep && f < r->cb->nkeep && f < READER_MAX_FIELDS; f++)
        if (r->cb->keep[f])
            r->want[r->nwant++] = (uint32_t)f;
    r->want_ready = true;
}

/* Cuts the wanted fields of the line [ls, content) whose commas are at
 * r->comma[0, ncommas): all of them until the header is read or when keep
 * is NULL. A field loses surrounding spaces and tabs, as libcsv cuts an
 * unquoted one. False when out of memory. */
static bool cut_line(reader *r, const char *buf, size_t ls, size_t content, size_t ncommas,
                     bool *too_long)
{
    bool all = !r->header_done || !r->cb->keep;
    if (!all && !r->want_ready)
        want_list(r);
    size_t n = all ? ncommas + 1 : r->nwant;
    if (!r->bf || n > r->bcap - r->nb) { /* a batch has fields even when rows have none */
        size_t cap = r->bcap ? r->bcap : 1024;
        while (n > cap - r->nb)
            cap *= 2;
        batch_field *b = realloc(r->bf, cap * sizeof *b);
        if (!b)
            return false;
        r->bf = b;
        r->bcap = cap;
    }
    for (size_t i = 0; i < n; i++) {
        size_t f = all ? i : r->want[i];
        if (f > ncommas)
            break;
        size_t x = f ? r->comma[f - 1] + 1 : ls, y = f < ncommas ? r->comma[f] : content;
        while (x < y && is_space(buf[x]))
            x++;
        while (y > x && is_space(buf[y - 1]))
            y--;
        bool over = y - x > CSA_STRING_MAX;
        *too_long |= over;
        r->bf[r->nb++] = (batch_field){.s = over ? NULL : buf + x, .len = over ? 0 : y - x,
                                       .f = (uint32_t)f};
    }
    return true;
}

/* Hands over the batch's rows, in order, and empties it. */
static void flush(reader *r)
{
    enum { AHEAD = 6 }; /* rows between a peek and the row's delivery */
    for (size_t j = 0; r->cb->peek && j < AHEAD && j < r->nrows; j++)
        r->cb->peek(r->cb->ctx, r->bf + r->rows[j].first, r->rows[j].n);
    for (size_t j = 0; j < r->nrows && !r->stop; j++) {
        if (r->cb->rows && r->header_done) {
            size_t done = 0;
            if (!r->cb->rows(r->cb->ctx, r->rows + j, r->nrows - j, r->bf, &done)) {
                r->stop = true;
                break;
            }
            if ((j += done) == r->nrows)
                break;
        }
        const batch_row *b = &r->rows[j];
        if (r->cb->peek && j + AHEAD < r->nrows)
            r->cb->peek(r->cb->ctx, r->bf + r->rows[j + AHEAD].first, r->rows[j + AHEAD].n);
        if (!grow_fields(r, b->nfields - 1)) {
            nomem(r);
            break;
        }
        if (r->header_done && r->cb->keep && !r->cleared) {
            /* from now on only wanted fields are written; the rest stay NULL */
            for (size_t f = 0; f < r->fcap; f++) {
                r->fptr[f] = NULL;
                r->len[f] = 0;
            }
            r->cleared = true;
        }
        for (size_t q = b->first; q < b->first + b->n; q++) {
            r->fptr[r->bf[q].f] = r->bf[q].s;
            r->len[r->bf[q].f] = r->bf[q].len;
        }
        reader_row row = {.line = b->line, .nfields = b->nfields, .fields = r->fptr,
                          .lens = r->len, .too_long = b->too_long, .last = b->last};
        r->header_done = true;
        if (!r->cb->row(r->cb->ctx, &row))
            r->stop = true;
    }
    r->nrows = 0;
    r->nb = 0;
}

/* The line [ls, p) has ncommas commas, at r->comma; p is its LF (has_nl)
 * or the end of the buffer. A plain line between rows becomes a row of the
 * batch; any other goes to libcsv. */
static void end_line(reader *r, const char *buf, size_t ls, size_t p, bool has_nl,
                     size_t ncommas, bool odd)
{
    size_t content = p;
    bool crlf = content > ls && buf[content - 1] == '\r';
    content -= crlf;
    size_t next = p + has_nl;
    if (odd || r->row_line || r->p.pstate != LIBCSV_ROW_NOT_BEGUN ||
        content - ls > READER_MAX_ROW_BYTES) {
        flush(r);
        if (!r->stop)
            exact_feed(r, buf + ls, next - ls);
        return;
    }
    size_t a = ls;
    while (!ncommas && a < content && is_space(buf[a]))
        a++;
    if (ncommas >= READER_MAX_FIELDS) {
        flush(r);
        fail(r, csa_error_set(r->err, CSA_ERR_LIMIT, r->src->name, r->line, READER_MAX_FIELDS + 1,
                              NULL, NULL, "row has more than %d fields", READER_MAX_FIELDS));
        return;
    }
    if (ncommas || a < content) { /* a line of only spaces is no row */
        size_t first = r->nb;
        bool too_long = false;
        if (!cut_line(r, buf, ls, content, ncommas, &too_long)) {
            nomem(r);
            return;
        }
        r->rows[r->nrows++] = (batch_row){.line = r->line, .nfields = ncommas + 1,
                                          .first = first, .n = r->nb - first,
                                          .too_long = too_long, .last = !has_nl};
    }
    r->offset += next - ls;
    if (has_nl) {
        r->info->ends[crlf ? 1 : 0]++;
        r->line++;
        r->line_byte = 0;
    } else {
        r->line_byte += next - ls;
    }
    r->prev_cr = false;
    if (r->nrows == BATCH || !r->header_done) /* keep is known only once the header is read */
        flush(r);
}

/* Feeds whole lines (the last may lack its end only at the end of the
 * file): plain lines between rows take the fast path, the rest libcsv. */
static void feed_segment(reader *r, const char *buf, size_t len)
{
    size_t ls = 0, nc = 0; /* the line's start and commas so far */
    bool odd = false;
    if (!index_masks(r, buf, len)) {
        nomem(r);
        return;
    }
    for (size_t base = 0; base < len && !r->stop; base += 64) {
        const masks *m = &r->mask[base / 64];
        uint64_t ob = m->odd ? odd_bits(buf, len, base, m) : 0, comma = m->comma, lf = m->lf;
        for (;;) {
            uint64_t before = lf ? (lf & -lf) - 1 : ~(uint64_t)0;
            for (uint64_t c = comma & before; c; c &= c - 1) {
                r->comma[nc < READER_MAX_FIELDS ? nc : READER_MAX_FIELDS] =
                    (uint32_t)(base + (size_t)__builtin_ctzll(c));
                nc++;
            }
            odd |= (ob & before) != 0;
            if (!lf)
                break;
            size_t p = base + (size_t)__builtin_ctzll(lf);
            comma &= ~before;
            ob &= ~before;
            lf &= lf - 1;
            end_line(r, buf, ls, p, true, nc, odd);
            if (r->stop)
                return;
            ls = p + 1;
            nc = 0;
            odd = false;
        }
    }
    if (ls < len && !r->stop)
        end_line(r, buf, ls, len, false, nc, odd);
    if (!r->stop)
        flush(r);
}

enum { SEGMENT = 1 << 14 };

/* Feeds a buffer of whole lines in segments of about SEGMENT bytes that
 * end after a line end, so the fast path's index stays small. */
static void feed(reader *r, const char *buf, size_t len)
{
    if (r->cb->exact) {
        exact_feed(r, buf, len);
        return;
    }
    for (size_t i = 0; i < len && !r->stop;) {
        size_t end = len;
        if (len - i > SEGMENT) {
            const char *nl = memchr(buf + i + SEGMENT, '\n', len - i - SEGMENT);
            end = nl ? (size_t)(nl - buf) + 1 : len;
        }
        feed_segment(r, buf + i, end - i);
        i = end;
    }
}

csa_status reader_run(csa_source *src, reader_callbacks *cb, reader_info *info, csa_error *err)
{
    reader r = {.src = src, .cb = cb, .info = info, .err = err, .line = 1, .buf_cap = 4096};
    char *chunk = malloc(CHUNK);
    r.buf = malloc(r.buf_cap);
    memset(info, 0, sizeof *info);
    if (csv_init(&r.p, 0) != 0 || !chunk || !r.buf) {
        free(chunk);
        free(r.buf);
        return csa_error_set(err, CSA_ERR_NOMEM, src->name, 0, 0, NULL, NULL, "out of memory");
    }
    bool first = true, eof = false;
    char last = '\n';
    size_t carry = 0; /* bytes of an unfinished line kept from the last read */
    while (!eof) {
        size_t got = 0, n;
        /* the first read gathers at least 3 bytes so a BOM is always seen whole */
        do {
            csa_status st = src->read(src->ctx, chunk + carry + got, CHUNK - carry - got, &n, err);
            if (st) {
                fail(&r, st);
                goto done;
            }
            got += n;
        } while (n && (first ? got < 3 : !got) && carry + got < CHUNK);
        eof = n == 0;
        char *b = chunk;
        if (first && got >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0) {
            memmove(b, b + 3, got - 3);
            got -= 3;
            r.offset = 3;
            r.enc = ENC_UTF8;
            info->bom = true;
        }
        first = false;
        size_t have = carry + got, whole = have;
        bool long_line = false; /* one line fills the buffer: libcsv buffers it */
        if (got)
            last = b[have - 1];
        if (!eof) {
            const char *nl = memrchr(b, '\n', have);
            long_line = !nl && have == CHUNK;
            whole = nl ? (size_t)(nl - b) + 1 : long_line ? have : 0;
        }
        if (long_line)
            exact_feed(&r, b, whole);
        else
            feed(&r, b, whole);
        if (r.stop)
            goto done;
        carry = have - whole;
        memmove(b, b + whole, carry);
    }
    if (r.need) { /* a UTF-8 sequence cut off by the end of the file */
        r.out_len = 0;
        bad_byte(&r, 0, 0, true);
        csv_parse(&r.p, r.out, r.out_len, on_field, on_row, &r);
    }
    info->ended_in_row = r.row_line || r.p.pstate != LIBCSV_ROW_NOT_BEGUN;
    info->non_ascii = r.enc != ENC_ASCII;
    if (r.p.pstate == LIBCSV_FIELD_BEGUN && r.p.quoted) {
        fail(&r, csa_error_set(err, CSA_ERR_FORMAT, src->name, r.row_line, 0, NULL, NULL,
                               "a quote (\") opened in the row that starts here is never "
                               "closed before the end of the file"));
        goto done;
    }
    csv_fini(&r.p, on_field, on_row, &r);
    info->ends_in_newline = last == '\n' || last == '\r';
    info->lines = r.line - (info->ends_in_newline && r.offset ? 1 : 0);
done:
    csv_free(&r.p);
    free(chunk);
    free(r.out);
    free(r.buf);
    free(r.start);
    free(r.len);
    free(r.fptr);
    free(r.bf);
    free(r.mask);
    return r.status;
}

/* ---- big files in two halves ---- */

enum { SPLIT_MIN_BYTES = 32 << 20 };

bool reader_plan_split(csa_source *src, reader_split *sp)
{
    struct stat sb;
    char probe[1 << 16];
    if (!src->fp || sysconf(_SC_NPROCESSORS_ONLN) < 2 || fstat(fileno(src->fp), &sb) != 0 ||
        !S_ISREG(sb.st_mode) || sb.st_size < SPLIT_MIN_BYTES)
        return false;
    bool ok = false;
    size_t n = fread(sp->header, 1, sizeof sp->header, src->fp);
    const char *nl = memchr(sp->header, '\n', n);
    if (nl && !memchr(sp->header, '"', (size_t)(nl - sp->header))) {
        size_t bom = n >= 3 && memcmp(sp->header, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        sp->header_len = (size_t)(nl - sp->header) + 1 - bom;
        memmove(sp->header, sp->header + bom, sp->header_len);
        sp->path = src->name;
        sp->size = (uint64_t)sb.st_size;
        uint64_t mid = sp->size / 2;
        if (fseeko(src->fp, (off_t)mid, SEEK_SET) == 0) {
            size_t np = fread(probe, 1, sizeof probe, src->fp);
            const char *cut = memchr(probe, '\n', np);
            if (cut) {
                sp->split = mid + (uint64_t)(cut - probe) + 1;
                ok = true;
            }
        }
    }
    return fseeko(src->fp, 0, SEEK_SET) == 0 && ok;
}

static csa_status read_half(void *ctx, char *buf, size_t cap, size_t *got, csa_error *err)
{
    reader_half *h = ctx;
    *got = 0;
    if (h->prefix_pos < h->prefix_len) {
        size_t n = h->prefix_len - h->prefix_pos < cap ? h->prefix_len - h->prefix_pos : cap;
        memcpy(buf, h->prefix + h->prefix_pos, n);
        h->prefix_pos += n;
        *got = n;
        return CSA_OK;
    }
    size_t want = h->left < cap ? (size_t)h->left : cap;
    *got = want ? fread(buf, 1, want, h->fp) : 0;
    h->left -= *got;
    if (*got < want && ferror(h->fp))
        return csa_error_set(err, CSA_ERR_IO, h->src.name, 0, 0, NULL, NULL, "cannot read");
    /* the half's end, or a file cut short: was it the file first opened? */
    if (!*got)
        return csa_file_check(h->fp, h->path, h->left ? 0 : UINT64_MAX, err);
    return CSA_OK;
}

bool reader_open_half(reader_half *h, const reader_split *sp, const char *name, int which)
{
    memset(h, 0, sizeof *h);
    csa_source_from_buffer(&h->src, name, NULL, 0);
    h->src.read = read_half;
    h->src.ctx = h;
    h->path = sp->path;
    if (csa_file_open(sp->path, &h->fp, NULL, NULL))
        return false;
    if (which == 0) {
        h->left = sp->split;
        return true;
    }
    h->left = sp->size - sp->split;
    h->prefix = sp->header;
    h->prefix_len = sp->header_len;
    return fseeko(h->fp, (off_t)sp->split, SEEK_SET) == 0;
}

void reader_close_half(reader_half *h)
{
    if (h->fp)
        fclose(h->fp);
    h->fp = NULL;
}

void reader_run_halves(void *(*fn)(void *), void *a, void *b)
{
    pthread_t tid;
    bool started = csa_thread_start(&tid, fn, b);
    fn(a);
    if (started)
        pthread_join(tid, NULL);
    else
        fn(b);
}
