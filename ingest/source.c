/* Read callbacks: files and in-memory buffers behind one interface. */
#include <errno.h>
#include <string.h>

#include "csa/file.h"
#include "csa/ingest.h"

static csa_status read_stream(void *ctx, char *buf, size_t cap, size_t *got, csa_error *err)
{
    csa_source *src = ctx;
    *got = fread(buf, 1, cap, src->fp);
    if (*got < cap && ferror(src->fp))
        return csa_error_set(err, CSA_ERR_IO, src->name, 0, 0, NULL, NULL,
                             "cannot read: %s", strerror(errno));
    return CSA_OK;
}

/* A file reads at most one byte past the size it had when opened (that
 * byte says it grew), and its end is checked against that size and its
 * first identity. */
static csa_status read_file(void *ctx, char *buf, size_t cap, size_t *got, csa_error *err)
{
    csa_source *src = ctx;
    uint64_t left = src->size - src->done + 1;
    csa_status st = read_stream(ctx, buf, left < cap ? (size_t)left : cap, got, err);
    src->done += *got;
    if (!st && (!*got || src->done > src->size))
        st = csa_file_check(src->fp, src->name, src->done, err);
    return st;
}

static csa_status read_buffer(void *ctx, char *buf, size_t cap, size_t *got, csa_error *err)
{
    (void)err;
    csa_source *src = ctx;
    size_t n = src->len - src->pos < cap ? src->len - src->pos : cap;
    memcpy(buf, src->buf + src->pos, n);
    src->pos += n;
    *got = n;
    return CSA_OK;
}

csa_status csa_source_open_file(csa_source *src, const char *path, csa_error *err)
{
    memset(src, 0, sizeof *src);
    src->name = path;
    csa_status st = csa_file_open(path, &src->fp, &src->size, err);
    if (st)
        return st;
    src->read = read_file;
    src->ctx = src;
    return CSA_OK;
}

void csa_source_from_buffer(csa_source *src, const char *name, const char *buf, size_t len)
{
    memset(src, 0, sizeof *src);
    src->name = name;
    src->buf = buf;
    src->len = len;
    src->read = read_buffer;
    src->ctx = src;
}

void csa_source_from_stream(csa_source *src, const char *name, FILE *fp)
{
    memset(src, 0, sizeof *src);
    src->name = name;
    src->fp = fp;
    src->borrowed = true;
    src->read = read_stream;
    src->ctx = src;
}

void csa_source_close(csa_source *src)
{
    if (src->fp && !src->borrowed)
        fclose(src->fp);
    src->fp = NULL;
}
