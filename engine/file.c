/* Input files: regular files only, each checked against the identity it
 * had when first opened (see csa/file.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csa/file.h"

typedef struct identity {
    char *path; /* NULL: a free slot */
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
} identity;

/* Open addressing on the path's hash: a run opens each of thousands of
 * files three or four times, so lookups must not scan. */
static struct {
    pthread_mutex_t lock;
    identity *v;
    size_t n, cap; /* cap: 0 or a power of two */
} seen = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* FNV-1a in 64 bits, whatever size_t is (32 bits in WebAssembly) */
static size_t hash(const char *s)
{
    uint64_t h = 14695981039346656037u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return (size_t)h;
}

static identity *slot(identity *v, size_t cap, const char *path)
{
    size_t i = hash(path) & (cap - 1);
    while (v[i].path && strcmp(v[i].path, path))
        i = (i + 1) & (cap - 1);
    return &v[i];
}

static bool grow(void)
{
    size_t cap = seen.cap ? 2 * seen.cap : 64;
    identity *v = calloc(cap, sizeof *v);
    if (!v)
        return false;
    for (size_t i = 0; i < seen.cap; i++)
        if (seen.v[i].path)
            *slot(v, cap, seen.v[i].path) = seen.v[i];
    free(seen.v);
    seen.v = v;
    seen.cap = cap;
    return true;
}

static identity of(const struct stat *sb)
{
    return (identity){.dev = sb->st_dev, .ino = sb->st_ino, .size = sb->st_size,
                      .mtime = sb->st_mtim};
}

static bool same(const identity *a, const identity *b)
{
    return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec;
}

static csa_status changed(const char *path, csa_error *err)
{
    return csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL,
                         "file changed while csa was reading it: run again once it is "
                         "complete");
}

/* Records now as path's identity on its first sight; otherwise compares. */
static csa_status remember(const char *path, const identity *now, csa_error *err)
{
    csa_status st = CSA_OK;
    pthread_mutex_lock(&seen.lock);
    identity *at = seen.cap ? slot(seen.v, seen.cap, path) : NULL;
    if (at && at->path) {
        if (!same(at, now))
            st = changed(path, err);
    } else if ((seen.n + 1) * 2 > seen.cap && !grow()) {
        st = csa_error_set(err, CSA_ERR_NOMEM, path, 0, 0, NULL, NULL, "out of memory");
    } else {
        at = slot(seen.v, seen.cap, path);
        *at = *now;
        if ((at->path = strdup(path)))
            seen.n++;
        else
            st = csa_error_set(err, CSA_ERR_NOMEM, path, 0, 0, NULL, NULL, "out of memory");
    }
    pthread_mutex_unlock(&seen.lock);
    return st;
}

static const char *what(mode_t m)
{
    return S_ISFIFO(m) ? "a FIFO (named pipe)" : S_ISCHR(m) ? "a character device"
           : S_ISBLK(m) ? "a block device" : S_ISDIR(m) ? "a folder"
           : S_ISSOCK(m) ? "a socket" : "not a regular file";
}

csa_status csa_file_open(const char *path, FILE **out, uint64_t *size, csa_error *err)
{
    *out = NULL;
    /* O_NONBLOCK: opening a FIFO with no writer would wait for one */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot open: %s",
                             strerror(errno));
    struct stat sb;
    csa_status st;
    if (fstat(fd, &sb) != 0) {
        st = csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot read: %s",
                           strerror(errno));
        goto fail;
    }
    if (!S_ISREG(sb.st_mode)) {
        st = csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL,
                           "is %s: csa reads inputs from regular files only (copy the data "
                           "into a file and name that)", what(sb.st_mode));
        goto fail;
    }
    identity now = of(&sb);
    if ((st = remember(path, &now, err)))
        goto fail;
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0 ||
        !(*out = fdopen(fd, "rb"))) {
        st = csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot open: %s",
                           strerror(errno));
        goto fail;
    }
    if (size)
        *size = (uint64_t)sb.st_size;
    return CSA_OK;
fail:
    close(fd);
    return st;
}

csa_status csa_file_check(FILE *fp, const char *path, uint64_t bytes, csa_error *err)
{
    struct stat sb;
    if (fstat(fileno(fp), &sb) != 0)
        return csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot read: %s",
                             strerror(errno));
    identity now = of(&sb);
    csa_status st = remember(path, &now, err);
    if (!st && bytes != UINT64_MAX && bytes != (uint64_t)sb.st_size)
        st = changed(path, err);
    return st;
}

void csa_file_forget_all(void)
{
    pthread_mutex_lock(&seen.lock);
    for (size_t i = 0; i < seen.cap; i++)
        free(seen.v[i].path);
    free(seen.v);
    seen.v = NULL;
    seen.n = seen.cap = 0;
    pthread_mutex_unlock(&seen.lock);
}

const char *csa_program_dir(char *buf, size_t size)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash || (size_t)(slash - exe) >= size)
        return NULL;
    *slash = '\0';
    memcpy(buf, exe, (size_t)(slash - exe) + 1);
    return buf;
}
