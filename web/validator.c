/* The validator page's side of csa validate: compiled to WebAssembly by
 * web/build.sh with the ingest code (and libcsv), and called from the
 * page's script (web/validator.html). A partner's files are read where
 * they are, a chunk at a time, through the browser's FileReader: they
 * never leave their machine and are never held whole. Several files are
 * checked as one set, as `csa validate` checks them. The report is csa_validate_report's,
 * the same bytes `csa validate` prints. */
#include <emscripten.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csa/file.h"
#include "csa/ingest.h"

/* Fills buf with up to cap bytes of the page's file i from byte `at`,
 * waiting for the browser to read them (Asyncify suspends the C stack
 * meanwhile): the number of bytes, 0 at the end, -1 when the browser
 * cannot read it. */
EM_ASYNC_JS(int, page_read, (int i, double at, char *buf, int cap), {
    const bytes = await Module.readChunk(i, at, cap);
    if (bytes === null)
        return -1;
    HEAPU8.set(bytes, buf);
    return bytes.length;
});

/* The size in bytes of the page's file i. */
EM_JS(double, page_file_size, (int i), {
    return Module.fileSize(i);
});

/* A page file's source: src->pos is which file of the set (a buffer
 * source's position; these have no buffer), src->done the bytes read of
 * it and src->size its size. */
static csa_status read_page_file(void *ctx, char *buf, size_t cap, size_t *got, csa_error *err)
{
    csa_source *src = ctx;
    int n = page_read((int)src->pos, (double)src->done, buf, cap > INT32_MAX ? INT32_MAX : (int)cap);
    if (n < 0)
        return csa_error_set(err, CSA_ERR_IO, src->name, 0, 0, NULL, NULL,
                             "cannot read: the browser could not read the file (was it moved, "
                             "changed or deleted after it was chosen?)");
    src->done += (uint64_t)n;
    *got = (size_t)n;
    return CSA_OK;
}

/* What the last check wrote: the report as JSON and as text, and the
 * messages csa validate would print on stderr. */
enum { OUT_JSON, OUT_TEXT, OUT_ERRORS, NOUTS };
static char *out[NOUTS];
static size_t out_len[NOUTS];

/* The files being checked, by name, and where their problems are said. */
typedef struct page_check {
    const char **names;
    size_t n;
    FILE *errors;
} page_check;

/* Opens file i, for csa_validate and again for the set's checks
 * (csa_validate_options.reopen): from its first byte. */
static csa_status open_page_file(void *ctx, size_t i, csa_source *src, csa_error *err)
{
    (void)err;
    const page_check *pc = ctx;
    csa_source_from_buffer(src, pc->names[i], NULL, 0);
    src->read = read_page_file;
    src->pos = i;
    src->size = (uint64_t)page_file_size((int)i);
    return CSA_OK;
}

static void fail(void *ctx, const csa_error *err)
{
    const page_check *pc = ctx;
    char buf[CSA_ERROR_FILE_MAX + CSA_ERROR_MESSAGE_MAX + 64];
    fprintf(pc->errors, "csa: %s\n", csa_error_format(err, buf, sizeof buf));
}

/* The datasets for the page's list: [{"name": ..., "title": ...}, ...].
 * The string is the caller's (free). */
EMSCRIPTEN_KEEPALIVE char *page_specs(void)
{
    char *s = NULL;
    size_t len = 0, n;
    FILE *fp = open_memstream(&s, &len);
    if (!fp)
        return NULL;
    const csa_spec *specs = csa_specs(&n);
    fputc('[', fp);
    for (size_t i = 0; i < n; i++) {
        fprintf(fp, "%s{\"name\": ", i ? ", " : "");
        csa_json_string(fp, specs[i].name);
        fprintf(fp, ", \"title\": ");
        csa_json_string(fp, specs[i].title);
        fputc('}', fp);
    }
    fputc(']', fp);
    fclose(fp);
    return s;
}

/* Checks the page's files, `names` one after another with a '/' between
 * (no file name holds one), read through Module.readChunk, as `csa
 * validate --spec SPEC [--period PERIOD] [--area AREA] [--lookup LOOKUP]
 * NAME...` does: each file, then with more than one the set's checks
 * (csa_validate_set: the same content twice, a month of a force in two
 * files, identifiers in two files, months missing over the set), which
 * read files again through open_page_file. The report is written both as
 * JSON (--format json) and as text, LOOKUP being a file the page has put
 * in the module's file system; "" leaves an option out. Returns 0 when
 * the files can be used, 1 when they cannot, or when one of them or the
 * lookup could not be read or an option is wrong (page_output(2) then
 * says what, as csa validate would on stderr). */
EMSCRIPTEN_KEEPALIVE int page_validate(const char *spec, const char *period, const char *area,
                                       const char *lookup_path, const char *names)
{
    csa_validate_options vo = {0};
    csa_table *lookup = NULL;
    csa_error err = {0};
    FILE *fp[NOUTS];
    bool usable = false;
    for (int i = 0; i < NOUTS; i++) {
        free(out[i]);
        out[i] = NULL;
        out_len[i] = 0;
        if (!(fp[i] = open_memstream(&out[i], &out_len[i]))) {
            while (i--)
                fclose(fp[i]);
            return 1;
        }
    }
    page_check pc = {.errors = fp[OUT_ERRORS]};
    /* the names, split in a copy at each '/' */
    char *list = strdup(names);
    size_t n = 1;
    for (const char *p = names; *p; p++)
        n += *p == '/';
    pc.names = calloc(n, sizeof *pc.names);
    /* the page puts each lookup it is given at the same path: the identity
     * of the last one is no reason to refuse the next */
    csa_file_forget_all();
    if (!list || !pc.names) {
        fprintf(pc.errors, "csa: out of memory\n");
    } else if (!names[0]) {
        fprintf(pc.errors, "csa: validate needs at least one FILE\n");
    } else if (!(vo.spec = csa_spec_find(spec))) {
        fprintf(pc.errors, "csa: validate: no spec '%s'\n", spec);
    } else if (period[0] && csa_period_parse(period, &vo.period_first, &vo.period_last, &err)) {
        fprintf(pc.errors, "csa: validate: --period: %s\n", err.message);
    } else if (lookup_path[0] && csa_validate_lookup(lookup_path, &lookup, &err)) {
        fail(&pc, &err);
    } else {
        for (char *p = list, *slash; pc.n < n; p = slash + 1) {
            pc.names[pc.n++] = p;
            if (!(slash = strchr(p, '/')))
                break;
            *slash = '\0';
        }
        vo.has_period = period[0] != '\0';
        vo.area = area[0] ? area : NULL;
        vo.lookup = lookup;
        csa_validate_report_options ro = {
            .validate = &vo, .names = pc.names, .nfiles = pc.n, .open = open_page_file,
            .fail = fail, .ctx = &pc, .text = fp[OUT_TEXT], .json = fp[OUT_JSON],
        };
        usable = csa_validate_report(&ro);
    }
    csa_table_free(lookup);
    free(pc.names);
    free(list);
    for (int i = 0; i < NOUTS; i++)
        fclose(fp[i]);
    return usable && !out_len[OUT_ERRORS] ? 0 : 1;
}

/* The last check's report (0 JSON, 1 text) or messages (2), and its length
 * in bytes: UTF-8 as csa writes it, not necessarily valid. */
EMSCRIPTEN_KEEPALIVE const char *page_output(int which)
{
    return which >= 0 && which < NOUTS && out[which] ? out[which] : "";
}

EMSCRIPTEN_KEEPALIVE size_t page_output_length(int which)
{
    return which >= 0 && which < NOUTS ? out_len[which] : 0;
}
