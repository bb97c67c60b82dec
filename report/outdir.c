/* Atomic outputs: everything is written under a temporary name in the
 * output folder (same file system, so rename is atomic) and renamed into
 * place only when the whole run has succeeded. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csa/report.h"

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
