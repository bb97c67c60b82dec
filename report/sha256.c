/* SHA-256 of files and buffers, for the manifest, through OpenSSL's
 * libcrypto: it uses the CPU's SHA instructions, and a manifest hashes
 * every input, which for a force's history is gigabytes (a portable C
 * version took 12 s of a 13 s run on 1.3 GB; libcrypto takes about 1 s). */
#include <errno.h>
#include <stdbool.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csa/file.h"
#include "csa/report.h"
#include "csa/thread.h"

static void to_hex(const unsigned char *md, char hex[65])
{
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

/* Hashes fp to its end, or, when bound is not UINT64_MAX, to one byte past
 * bound at the most: an input is hashed as the run read it, and one that
 * grows or is not a file stops the run (csa/file.h). Closes fp. */
static csa_status hash(FILE *fp, const char *path, uint64_t bound, char hex[65], uint64_t *size,
                       csa_error *err)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(ctx);
        fclose(fp);
        return csa_error_set(err, CSA_ERR_NOMEM, path, 0, 0, NULL, NULL, "cannot start a digest");
    }
    unsigned char buf[1 << 16];
    uint64_t total = 0;
    size_t n, want = sizeof buf;
    while ((bound == UINT64_MAX || total <= bound) &&
           (n = fread(buf, 1, bound != UINT64_MAX && bound - total < want ? bound - total + 1
                                                                          : want, fp)) > 0) {
        EVP_DigestUpdate(ctx, buf, n);
        total += n;
    }
    bool bad = ferror(fp);
    csa_status st = bad || bound == UINT64_MAX ? CSA_OK : csa_file_check(fp, path, total, err);
    fclose(fp);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!st && (bad || !EVP_DigestFinal_ex(ctx, md, &mdlen)))
        st = csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot read");
    EVP_MD_CTX_free(ctx);
    if (st)
        return st;
    if (size)
        *size = total;
    to_hex(md, hex);
    return CSA_OK;
}

csa_status csa_sha256_file(const char *path, char hex[65], uint64_t *size, csa_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot open: %s",
                             strerror(errno));
    return hash(fp, path, UINT64_MAX, hex, size, err);
}

/* An input: a regular file, hashed within the size it had when opened. */
static csa_status hash_input(const char *path, char hex[65], uint64_t *size, csa_error *err)
{
    FILE *fp;
    uint64_t bound;
    csa_status st = csa_file_open(path, &fp, &bound, err);
    return st ? st : hash(fp, path, bound, hex, size, err);
}

struct csa_digests {
    const char *const *paths;
    bool *known;
    size_t n;
    char (*hex)[65];
    uint64_t *bytes;
    pthread_t tid;
    bool running;
    csa_status st;
    csa_error err;
};

static void *hash_all(void *arg)
{
    csa_digests *d = arg;
    for (size_t i = 0; i < d->n && !d->st; i++)
        if (!d->known[i])
            d->st = hash_input(d->paths[i], d->hex[i], &d->bytes[i], &d->err);
    return NULL;
}

csa_status csa_digests_start(const char *const *paths, size_t n, csa_digests **out,
                             csa_error *err)
{
    return csa_digests_start_known(paths, NULL, NULL, n, out, err);
}

csa_status csa_digests_start_known(const char *const *paths, const char *const *known,
                                   const uint64_t *known_bytes, size_t n, csa_digests **out,
                                   csa_error *err)
{
    csa_digests *d = calloc(1, sizeof *d);
    *out = NULL;
    if (d) {
        d->hex = calloc(n ? n : 1, sizeof *d->hex);
        d->bytes = calloc(n ? n : 1, sizeof *d->bytes);
        d->known = calloc(n ? n : 1, sizeof *d->known);
    }
    if (!d || !d->hex || !d->bytes || !d->known) {
        csa_digests_free(d);
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    }
    for (size_t i = 0; known && i < n; i++)
        if ((d->known[i] = known[i] != NULL)) {
            snprintf(d->hex[i], sizeof d->hex[i], "%s", known[i]);
            d->bytes[i] = known_bytes[i];
        }
    d->paths = paths;
    d->n = n;
    d->running = csa_thread_start(&d->tid, hash_all, d);
    if (!d->running)
        hash_all(d); /* no thread to be had: hash now */
    *out = d;
    return CSA_OK;
}

csa_status csa_digests_wait(csa_digests *d, csa_error *err)
{
    if (d->running) {
        pthread_join(d->tid, NULL);
        d->running = false;
    }
    if (d->st && err)
        *err = d->err;
    return d->st;
}

const char *csa_digests_hex(const csa_digests *d, size_t i, uint64_t *bytes)
{
    if (bytes)
        *bytes = d->bytes[i];
    return d->hex[i];
}

void csa_digests_free(csa_digests *d)
{
    if (!d)
        return;
    csa_digests_wait(d, NULL);
    free(d->hex);
    free(d->bytes);
    free(d->known);
    free(d);
}
