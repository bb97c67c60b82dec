/* Atomic outputs: everything is written under a temporary name in the
 * output folder (same file system, so rename is atomic) and renamed into
 * place only when the whole run has succeeded. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csa/csa.h"

typedef struct entry {
    char *final;
    char *tmp;
    bool done;
} entry;

struct csa_outdir {
    char *dir;
    entry *entries;
    size_t n;
};

/* mkdir -p */
static csa_status make_dirs(const char *dir, csa_error *err)
{
    char *path = strdup(dir);
    if (!path)
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    for (char *p = path + 1;; p++) {
        if (*p && *p != '/')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST) {
            csa_status st = csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL,
                                          "cannot create folder: %s", strerror(errno));
            free(path);
            return st;
        }
        *p = saved;
        if (!saved)
            break;
    }
    free(path);
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return csa_error_set(err, CSA_ERR_IO, dir, 0, 0, NULL, NULL, "not a folder");
    return CSA_OK;
}

csa_status csa_outdir_open(const char *dir, csa_outdir **out, csa_error *err)
{
    *out = NULL;
    csa_status st = make_dirs(dir, err);
    if (st)
        return st;
    csa_outdir *o = calloc(1, sizeof *o);
    if (!o || !(o->dir = strdup(dir))) {
        free(o);
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    }
    *out = o;
    return CSA_OK;
}

csa_status csa_outdir_add(csa_outdir *o, const char *name, const char **tmp_path,
                          csa_error *err)
{
    entry *e = realloc(o->entries, (o->n + 1) * sizeof *e);
    if (!e)
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    o->entries = e;
    e = &o->entries[o->n];
    memset(e, 0, sizeof *e);
    size_t size = strlen(o->dir) + strlen(name) + 32;
    e->final = malloc(size);
    e->tmp = malloc(size);
    if (!e->final || !e->tmp) {
        free(e->final);
        free(e->tmp);
        return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
    }
    snprintf(e->final, size, "%s/%s", o->dir, name);
    /* a dot name with the pid: hidden, and unique to this run */
    snprintf(e->tmp, size, "%s/.%s.%ld.tmp", o->dir, name, (long)getpid());
    o->n++;
    *tmp_path = e->tmp;
    return CSA_OK;
}

csa_status csa_outdir_commit(csa_outdir *o, csa_error *err)
{
    for (size_t i = 0; i < o->n; i++) {
        entry *e = &o->entries[i];
        if (rename(e->tmp, e->final) != 0)
            return csa_error_set(err, CSA_ERR_IO, e->final, 0, 0, NULL, NULL,
                                 "cannot move output into place: %s", strerror(errno));
        e->done = true;
    }
    return CSA_OK;
}

void csa_outdir_free(csa_outdir *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->n; i++) {
        if (!o->entries[i].done)
            unlink(o->entries[i].tmp);
        free(o->entries[i].final);
        free(o->entries[i].tmp);
    }
    free(o->entries);
    free(o->dir);
    free(o);
}

time_t csa_run_time(void)
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    char *end;
    if (epoch && *epoch) {
        long long t = strtoll(epoch, &end, 10);
        if (!*end && t >= 0)
            return (time_t)t;
    }
    return time(NULL);
}

/* The path of `to` as seen from folder `from`, both absolute and clean
 * (from realpath): "../data/x.csv". */
static void relative_path(const char *from, const char *to, char *out, size_t size)
{
    size_t i = 0;
    while (from[i] && from[i] == to[i])
        i++;
    size_t common = i; /* where the shared folders end */
    if (from[i] || (to[i] != '/' && to[i]))
        while (common > 0 && from[common] != '/')
            common--;
    size_t n = 0;
    out[0] = '\0';
    for (const char *p = from + common; *p && n < size; p++)
        if (*p == '/' && p[1])
            n += (size_t)snprintf(out + n, size - n, "../");
    if (n < size)
        snprintf(out + n, size - n, "%s", to + common + (to[common] == '/'));
}

csa_status csa_path_relative(const char *dir, const char *path, char *out, size_t size,
                             csa_error *err)
{
    char from[4096], to[4096];
    if (!realpath(dir, from))
        return csa_error_set(err, CSA_ERR_IO, dir, 0, 0, NULL, NULL, "cannot resolve: %s",
                             strerror(errno));
    if (!realpath(path, to))
        return csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot resolve: %s",
                             strerror(errno));
    relative_path(from, to, out, size);
    return CSA_OK;
}

static void json_text(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(fp, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(fp, "\\u%04x", *p);
        else
            fputc(*p, fp);
    }
    fputc('"', fp);
}

csa_status csa_outdir_manifest(csa_outdir *o, const char *command,
                               const csa_manifest_input *inputs, size_t ninputs, csa_error *err)
{
    size_t nout = o->n;
    const char *path;
    char hex[65], dir[4096], rel[4096], when[32];
    uint64_t size;
    csa_status st = csa_outdir_add(o, "manifest.json", &path, err);
    if (st)
        return st;
    if (!realpath(o->dir, dir))
        return csa_error_set(err, CSA_ERR_IO, o->dir, 0, 0, NULL, NULL, "cannot resolve: %s",
                             strerror(errno));
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot create: %s",
                             strerror(errno));
    time_t t = csa_run_time();
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(fp, "{\n  \"csa\": \"%s\",\n  \"command\": ", CSA_VERSION);
    json_text(fp, command);
    fprintf(fp, ",\n  \"created\": \"%s\",\n  \"outputs\": [", when);
    for (size_t i = 0; i < nout && !st; i++) {
        if ((st = csa_sha256_file(o->entries[i].tmp, hex, &size, err)))
            break;
        fprintf(fp, "%s\n    {\"path\": ", i ? "," : "");
        json_text(fp, o->entries[i].final + strlen(o->dir) + 1);
        fprintf(fp, ", \"bytes\": %llu, \"sha256\": \"%s\"}", (unsigned long long)size, hex);
    }
    fprintf(fp, "\n  ],\n  \"inputs\": [");
    for (size_t i = 0; i < ninputs && !st; i++) {
        if (inputs[i].sha256) {
            snprintf(hex, sizeof hex, "%s", inputs[i].sha256);
            size = inputs[i].bytes;
        } else if ((st = csa_sha256_file(inputs[i].path, hex, &size, err))) {
            break;
        }
        if ((st = csa_path_relative(dir, inputs[i].path, rel, sizeof rel, err)))
            break;
        fprintf(fp, "%s\n    {\"path\": ", i ? "," : "");
        json_text(fp, rel);
        fprintf(fp, ", \"spec\": ");
        json_text(fp, inputs[i].spec);
        fprintf(fp, ", \"rows\": %llu, \"bytes\": %llu, \"sha256\": \"%s\"}",
                (unsigned long long)inputs[i].rows, (unsigned long long)size, hex);
    }
    fprintf(fp, "\n  ]\n}\n");
    bool bad = ferror(fp);
    if (fclose(fp) != 0 || bad)
        st = st ? st : csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot write");
    return st;
}
