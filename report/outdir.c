/* The output folder, all or nothing.
 *
 * A run writes every output into a private folder beside the output folder
 * OUT: ".OUT.csa-XXXXXX", made by mkdtemp with mode 0700, so nothing can be
 * planted at an output's name before or while it is written. When every
 * output and manifest.json are written, the private folder is checked
 * (every output there, a regular file of the size the manifest records,
 * nothing else, all of it fsynced) and swapped with OUT in one
 * renameat2(RENAME_EXCHANGE); the previous outputs, now in the private
 * folder's place, are then removed. So a reader sees the old outputs or the
 * new, never a mix, and a run killed at any point leaves OUT as it was or
 * complete. What a killed run leaves beside OUT (its private folder) the
 * next run into OUT removes: only folders of that name pattern, owned by
 * the user, holding csa's marker file or a csa manifest. A lock file beside
 * OUT (".OUT.csa-lock", flock) stops a second run into OUT while one is
 * writing it. Every step is relative to OUT's parent folder, opened once,
 * and no step follows a symbolic link at OUT or in the private folder. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csa/csa.h"

/* In a private folder while it is written; removed just before the switch,
 * so the live folder holds only the outputs and manifest.json. */
static const char MARKER[] = ".csa-partial";
static const char MANIFEST[] = "manifest.json";
/* how every csa manifest begins (csa_outdir_manifest): a folder holding one
 * is csa's */
static const char MANIFEST_HEAD[] = "{\n  \"csa\": \"";

typedef struct entry {
    char *name;
    char *tmp;      /* where it is written, in the private folder */
    uint64_t bytes; /* as the manifest records it */
    bool listed;    /* in the manifest (so bytes is known) */
} entry;

struct csa_outdir {
    char *dir;      /* OUT as given: messages, relative paths */
    char *base;     /* OUT's name in its parent */
    int pfd;        /* OUT's parent folder: every step is relative to it */
    int lock;       /* .BASE.csa-lock, flocked while the outdir lives */
    char *tname;    /* the private folder's name in the parent */
    char *tpath;    /* and its path */
    int tfd;
    mode_t mode;    /* OUT's permissions, given to the private folder */
    entry *entries;
    size_t n;
    bool manifested, switched;
    bool created; /* OUT did not exist: made here, removed again if nothing is switched in */
};

const char *csa_io_error(int errnum)
{
    return errnum == ENOSPC ? "disk full" : errnum ? strerror(errnum) : "write error";
}

csa_status csa_write_bytes(const char *path, const void *data, size_t len, csa_error *err)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot create: %s",
                             csa_io_error(errno));
    errno = 0;
    int ok = fwrite(data, 1, len, fp) == len && fflush(fp) == 0 && !ferror(fp);
    int saved = errno;
    if (fclose(fp) != 0 || !ok)
        return csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot write: %s",
                             csa_io_error(ok ? errno : saved));
    return CSA_OK;
}

static csa_status nomem(csa_error *err)
{
    return csa_error_set(err, CSA_ERR_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory");
}

/* Test hooks, read only here (tests/outdir/outdir.sh): CSA_TEST_OUTDIR_PAUSE=STEP
 * stops at STEP for a minute, saying so on stderr, so that a test can kill -9
 * the run there; CSA_TEST_OUTDIR_FAIL=STEP makes STEP fail as if its system
 * call had. */
static bool test_step(const char *step)
{
    const char *pause = getenv("CSA_TEST_OUTDIR_PAUSE");
    if (pause && !strcmp(pause, step)) {
        fprintf(stderr, "csa: test pause at %s\n", step);
        sleep(60);
    }
    const char *fail = getenv("CSA_TEST_OUTDIR_FAIL");
    if (fail && !strcmp(fail, step)) {
        errno = EIO;
        return true;
    }
    return false;
}

/* mkdir -p */
static csa_status make_dirs(const char *dir, csa_error *err)
{
    char *path = strdup(dir);
    if (!path)
        return nomem(err);
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

/* s as a JSON string, quotes included, into out (cut at size). */
static void json_escape(const char *s, char *out, size_t size)
{
    size_t n = 0;
    n += (size_t)snprintf(out, size, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p && n < size; p++) {
        if (*p == '"' || *p == '\\')
            n += (size_t)snprintf(out + n, size - n, "\\%c", *p);
        else if (*p < 0x20)
            n += (size_t)snprintf(out + n, size - n, "\\u%04x", *p);
        else
            n += (size_t)snprintf(out + n, size - n, "%c", *p);
    }
    if (n < size)
        snprintf(out + n, size - n, "\"");
}

/* The manifest at dfd/manifest.json, NUL-ended, if it is a regular file
 * that starts as csa's do; NULL otherwise. Caller frees. */
static char *read_manifest(int dfd)
{
    int fd = openat(dfd, MANIFEST, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    struct stat sb;
    char *text = NULL;
    if (fd < 0)
        return NULL;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size < (64 << 20) &&
        (text = malloc((size_t)sb.st_size + 1))) {
        size_t got = 0;
        ssize_t r;
        while (got < (size_t)sb.st_size &&
               (r = read(fd, text + got, (size_t)sb.st_size - got)) > 0)
            got += (size_t)r;
        text[got] = '\0';
        if (strncmp(text, MANIFEST_HEAD, sizeof MANIFEST_HEAD - 1)) {
            free(text);
            text = NULL;
        }
    }
    close(fd);
    return text;
}

/* Whether manifest text lists output `name` (outputs have "bytes" after
 * the path, inputs "spec"). */
static bool lists_output(const char *manifest, const char *name)
{
    char want[1024], esc[900];
    json_escape(name, esc, sizeof esc);
    snprintf(want, sizeof want, "{\"path\": %s, \"bytes\": ", esc);
    return strstr(manifest, want) != NULL;
}

/* ".assessment.xlsx.1234.tmp": a temporary file of csa before 0.2, which
 * wrote outputs beside the live ones. */
static bool old_temporary(const char *name)
{
    size_t n = strlen(name);
    if (name[0] != '.' || n < 8 || strcmp(name + n - 4, ".tmp"))
        return false;
    size_t i = n - 4;
    while (i > 1 && name[i - 1] >= '0' && name[i - 1] <= '9')
        i--;
    return i < n - 4 && i > 2 && name[i - 1] == '.';
}

/* Whether name is one of OUT's private folders: ".BASE.csa-" and mkdtemp's
 * six characters. */
static bool private_name(const csa_outdir *o, const char *name)
{
    size_t b = strlen(o->base);
    if (name[0] != '.' || strncmp(name + 1, o->base, b) || strncmp(name + 1 + b, ".csa-", 5))
        return false;
    const char *x = name + 1 + b + 5;
    size_t k = 0;
    while ((x[k] >= 'a' && x[k] <= 'z') || (x[k] >= 'A' && x[k] <= 'Z') ||
           (x[k] >= '0' && x[k] <= '9'))
        k++;
    return k == 6 && !x[k];
}

static bool regular_at(int dfd, const char *name)
{
    struct stat sb;
    return fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(sb.st_mode);
}

/* Removes folder `name` in the parent, if it is csa's (its marker, or a csa
 * manifest): its files, then the marker and manifest (so a run killed while
 * removing leaves it recognisable), then the folder. Links are removed, never
 * followed; anything else (a subfolder) stays, and so does the folder. An
 * empty folder is removed whatever it held. */
static void remove_private(csa_outdir *o, const char *name)
{
    int fd = openat(o->pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return;
    char *manifest = read_manifest(fd);
    bool ours = manifest || regular_at(fd, MARKER);
    free(manifest);
    int dfd = ours ? dup(fd) : -1;
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (dfd >= 0 && !d)
        close(dfd);
    struct dirent *de;
    size_t removed = 0;
    while (d && (de = readdir(d))) {
        struct stat sb;
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
            !strcmp(de->d_name, MARKER) || !strcmp(de->d_name, MANIFEST) ||
            fstatat(fd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || S_ISDIR(sb.st_mode))
            continue;
        if (unlinkat(fd, de->d_name, 0) == 0 && ++removed == 1 && o->switched)
            test_step("removing");
    }
    if (d)
        closedir(d);
    if (ours) {
        unlinkat(fd, MANIFEST, 0);
        unlinkat(fd, MARKER, 0);
    }
    close(fd);
    unlinkat(o->pfd, name, AT_REMOVEDIR);
}

/* What killed runs into OUT left: their private folders. Only under the
 * lock, so no live run's folder is among them. */
static void remove_debris(csa_outdir *o)
{
    int dfd = dup(o->pfd);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d) {
        if (dfd >= 0)
            close(dfd);
        return;
    }
    struct dirent *de;
    size_t n = 0, cap = 0;
    char **names = NULL;
    while ((de = readdir(d))) {
        struct stat sb;
        if (!private_name(o, de->d_name) ||
            fstatat(o->pfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISDIR(sb.st_mode) || sb.st_uid != geteuid())
            continue;
        if (n == cap) {
            char **v = realloc(names, (cap = cap ? 2 * cap : 4) * sizeof *v);
            if (!v)
                break;
            names = v;
        }
        if (!(names[n] = strdup(de->d_name)))
            break;
        n++;
    }
    closedir(d);
    /* removed after the listing: removing while reading the parent could
     * skip a name */
    for (size_t i = 0; i < n; i++) {
        remove_private(o, names[i]);
        free(names[i]);
    }
    free(names);
}

/* OUT is replaced whole by a run, so it must be empty or csa's: every
 * entry a regular file its manifest.json lists (or the manifest, or a
 * temporary file of an older csa). Anything else stops the run before it
 * could be lost. */
static csa_status check_out(csa_outdir *o, csa_error *err)
{
    int fd = openat(o->pfd, o->base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return csa_error_set(err, CSA_ERR_IO, o->dir, 0, 0, NULL, NULL,
                             "cannot open the output folder: %s", strerror(errno));
    char *manifest = read_manifest(fd);
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        free(manifest);
        return nomem(err);
    }
    csa_status st = CSA_OK;
    struct dirent *de;
    while (!st && (de = readdir(d))) {
        const char *name = de->d_name;
        if (!strcmp(name, ".") || !strcmp(name, ".."))
            continue;
        struct stat sb = {0};
        bool regular = fstatat(fd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(sb.st_mode);
        /* an older csa's temporary name, even as a link (planted there:
         * removing a link never follows it) */
        bool old = old_temporary(name) && (regular || S_ISLNK(sb.st_mode));
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", o->dir, name);
        if (!manifest)
            st = csa_error_set(err, CSA_ERR_USAGE, path, 0, 0, NULL, NULL,
                               "the output folder holds files but no csa manifest.json; a run "
                               "replaces the whole folder, so give an empty or new folder, or "
                               "one an earlier run wrote");
        else if (!old && (!regular || !(!strcmp(name, MANIFEST) ||
                                        lists_output(manifest, name) || !strcmp(name, MARKER))))
            st = csa_error_set(err, CSA_ERR_USAGE, path, 0, 0, NULL, NULL,
                               "the output folder holds %s, which its manifest.json does not "
                               "list; a run replaces the whole folder, so move it out (or "
                               "delete it), or give another folder", name);
    }
    closedir(d);
    free(manifest);
    return st;
}

/* OUT's parent and name: "a/b/out/" gives "a/b" and "out"; ".", ".." and
 * "/" are named by their real path. */
static csa_status split_path(csa_outdir *o, char **parent, csa_error *err)
{
    char *p = strdup(o->dir);
    if (!p)
        return nomem(err);
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/')
        p[--n] = '\0';
    char *slash = strrchr(p, '/');
    const char *last = slash ? slash + 1 : p;
    if (!strcmp(last, ".") || !strcmp(last, "..") || !strcmp(p, "/")) {
        char *real = realpath(p, NULL);
        free(p);
        if (!real)
            return csa_error_set(err, CSA_ERR_IO, o->dir, 0, 0, NULL, NULL,
                                 "cannot resolve the output folder: %s", strerror(errno));
        p = real;
        if (!strcmp(p, "/")) {
            free(p);
            return csa_error_set(err, CSA_ERR_USAGE, o->dir, 0, 0, NULL, NULL,
                                 "the output folder cannot be /: give a folder of its own");
        }
        slash = strrchr(p, '/');
    }
    if (!(o->base = strdup(slash ? slash + 1 : p))) {
        free(p);
        return nomem(err);
    }
    if (slash == p)
        slash[1] = '\0'; /* "/out": the parent is "/" */
    else if (slash)
        *slash = '\0';
    else
        strcpy(p, ".");
    *parent = p;
    return CSA_OK;
}

csa_status csa_outdir_open(const char *dir, csa_outdir **out, csa_error *err)
{
    *out = NULL;
    if (!dir || !*dir)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, "output", NULL,
                             "the output folder is empty: give one, such as csa-out");
    csa_outdir *o = calloc(1, sizeof *o);
    char *parent = NULL, lockname[4096];
    struct stat sb = {0};
    if (!o || !(o->dir = strdup(dir))) {
        free(o);
        return nomem(err);
    }
    o->pfd = o->lock = o->tfd = -1;
    csa_status st = split_path(o, &parent, err);
    if (st || (st = make_dirs(parent, err)))
        goto fail;
    if ((o->pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        st = csa_error_set(err, CSA_ERR_IO, parent, 0, 0, NULL, NULL, "cannot open folder: %s",
                           strerror(errno));
        goto fail;
    }
    snprintf(lockname, sizeof lockname, ".%s.csa-lock", o->base);
    o->lock = openat(o->pfd, lockname, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (o->lock < 0) {
        st = csa_error_set(err, CSA_ERR_IO, o->dir, 0, 0, NULL, NULL,
                           "cannot open its lock file %s: %s", lockname, strerror(errno));
        goto fail;
    }
    if (flock(o->lock, LOCK_EX | LOCK_NB) != 0) {
        st = csa_error_set(err, CSA_ERR_STATE, o->dir, 0, 0, NULL, NULL,
                           "another csa run is writing this output folder: run again when it "
                           "has finished, or give another folder");
        goto fail;
    }
    if (mkdirat(o->pfd, o->base, 0777) == 0)
        o->created = true;
    else if (errno != EEXIST) {
        st = csa_error_set(err, CSA_ERR_IO, o->dir, 0, 0, NULL, NULL,
                           "cannot create folder: %s", strerror(errno));
        goto fail;
    }
    if (fstatat(o->pfd, o->base, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(sb.st_mode)) {
        st = csa_error_set(err, CSA_ERR_USAGE, o->dir, 0, 0, NULL, NULL, "%s",
                           S_ISLNK(sb.st_mode) ? "the output folder is a symbolic link: give "
                                                 "the folder it points to"
                                               : "the output folder is not a folder");
        goto fail;
    }
    o->mode = sb.st_mode & 07777;
    remove_debris(o);
    if ((st = check_out(o, err)))
        goto fail;
    if (asprintf(&o->tpath, "%s/.%s.csa-XXXXXX", parent, o->base) < 0) {
        o->tpath = NULL;
        st = nomem(err);
        goto fail;
    }
    if (!mkdtemp(o->tpath)) {
        st = csa_error_set(err, CSA_ERR_IO, o->tpath, 0, 0, NULL, NULL,
                           "cannot create a folder for the outputs: %s", strerror(errno));
        free(o->tpath);
        o->tpath = NULL;
        goto fail;
    }
    o->tname = strrchr(o->tpath, '/') + 1;
    o->tfd = openat(o->pfd, o->tname, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int mark = o->tfd < 0 ? -1
                          : openat(o->tfd, MARKER,
                                   O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    static const char says[] = "csa: a run's outputs while it writes them; the next run into "
                               "the same folder removes this if the run was stopped\n";
    bool marked = mark >= 0 && write(mark, says, sizeof says - 1) == (ssize_t)(sizeof says - 1);
    if (mark < 0 || close(mark) != 0 || !marked || test_step("open")) {
        st = csa_error_set(err, CSA_ERR_IO, o->tpath, 0, 0, NULL, NULL,
                           "cannot write in the folder for the outputs: %s",
                           csa_io_error(errno));
        goto fail;
    }
    free(parent);
    *out = o;
    return CSA_OK;
fail:
    free(parent);
    csa_outdir_free(o);
    return st;
}

csa_status csa_outdir_add(csa_outdir *o, const char *name, const char **tmp_path,
                          csa_error *err)
{
    if (!*name || name[0] == '.' || strchr(name, '/') || strlen(name) > 255)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, name,
                             "'%s' cannot name an output", name);
    for (size_t i = 0; i < o->n; i++)
        if (!strcmp(o->entries[i].name, name))
            return csa_error_set(err, CSA_ERR_DUPLICATE, NULL, 0, 0, NULL, name,
                                 "two outputs are named %s: one would hide the other", name);
    entry *e = realloc(o->entries, (o->n + 1) * sizeof *e);
    if (!e)
        return nomem(err);
    o->entries = e;
    e = &o->entries[o->n];
    memset(e, 0, sizeof *e);
    if (!(e->name = strdup(name)) || asprintf(&e->tmp, "%s/%s", o->tpath, name) < 0) {
        free(e->name);
        return nomem(err);
    }
    /* a new name, not a link: whatever writes it opens this file */
    int fd = openat(o->tfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0 || close(fd) != 0) {
        csa_status st = csa_error_set(err, CSA_ERR_IO, e->tmp, 0, 0, NULL, NULL,
                                      "cannot create: %s", csa_io_error(errno));
        free(e->name);
        free(e->tmp);
        return st;
    }
    o->n++;
    *tmp_path = e->tmp;
    return CSA_OK;
}

void csa_outdir_name_error(const csa_outdir *o, csa_error *err)
{
    size_t n = o && o->tpath ? strlen(o->tpath) : 0;
    char path[CSA_ERROR_FILE_MAX];
    if (!n || strncmp(err->file, o->tpath, n) || err->file[n] != '/')
        return;
    snprintf(path, sizeof path, "%s/%s", o->dir, err->file + n + 1);
    snprintf(err->file, sizeof err->file, "%s", path);
}

/* Every output in the private folder, a regular file of the size the
 * manifest records, nothing else there, and all of it on disk. */
static csa_status verify(csa_outdir *o, csa_error *err)
{
    char path[4096];
    size_t found = 0;
    /* writing every file back first, then fsync: one after another, each
     * fsync waited for its own journal commit (0.6 s for a sample run's
     * outputs, 0.1 s this way) */
    for (size_t i = 0; i < o->n; i++) {
        int fd = openat(o->tfd, o->entries[i].name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
        if (fd >= 0) {
            sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
            close(fd);
        }
    }
    for (size_t i = 0; i < o->n; i++) {
        const entry *e = &o->entries[i];
        snprintf(path, sizeof path, "%s/%s", o->dir, e->name);
        int fd = openat(o->tfd, e->name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
        struct stat sb;
        bool ok = fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode);
        if (ok && e->listed && (uint64_t)sb.st_size != e->bytes) {
            close(fd);
            return csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL,
                                 "changed after the manifest was written (%llu bytes, not %llu)",
                                 (unsigned long long)sb.st_size, (unsigned long long)e->bytes);
        }
        if (!ok || fsync(fd) != 0 || test_step("fsync")) {
            int saved = errno;
            if (fd >= 0)
                close(fd);
            return csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot write: %s",
                                 csa_io_error(saved));
        }
        close(fd);
        found++;
    }
    int dfd = dup(o->tfd);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d) {
        if (dfd >= 0)
            close(dfd);
        return nomem(err);
    }
    struct dirent *de;
    size_t entries = 0;
    while ((de = readdir(d)))
        entries += strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
                   strcmp(de->d_name, MARKER);
    closedir(d);
    if (entries != found)
        return csa_error_set(err, CSA_ERR_STATE, o->tpath, 0, 0, NULL, NULL,
                             "%zu files where %zu outputs were written", entries, found);
    if (fsync(o->tfd) != 0)
        return csa_error_set(err, CSA_ERR_IO, o->tpath, 0, 0, NULL, NULL, "cannot write: %s",
                             csa_io_error(errno));
    return CSA_OK;
}

/* The private folder becomes OUT in one step, and OUT's previous content
 * takes the private folder's name. Where the file system cannot exchange
 * two names (renameat2 fails with EINVAL or ENOSYS), OUT moves aside first:
 * for a moment there is no OUT, but never a mix. */
static csa_status switch_in(csa_outdir *o, csa_error *err)
{
    if (test_step("switch"))
        goto fail;
    if (!getenv("CSA_TEST_OUTDIR_NO_EXCHANGE")) {
        if (renameat2(o->pfd, o->tname, o->pfd, o->base, RENAME_EXCHANGE) == 0)
            return CSA_OK;
        if (errno != EINVAL && errno != ENOSYS)
            goto fail;
    }
    /* an empty folder of a private name, for OUT to be renamed over */
    char *aside = NULL;
    if (asprintf(&aside, "%s", o->tpath) < 0)
        return nomem(err);
    strcpy(aside + strlen(aside) - 6, "XXXXXX");
    if (!mkdtemp(aside)) {
        free(aside);
        goto fail;
    }
    const char *aname = strrchr(aside, '/') + 1;
    if (renameat(o->pfd, o->base, o->pfd, aname) != 0) {
        int saved = errno;
        unlinkat(o->pfd, aname, AT_REMOVEDIR);
        free(aside);
        errno = saved;
        goto fail;
    }
    if (test_step("aside") || renameat(o->pfd, o->tname, o->pfd, o->base) != 0) {
        int saved = errno;
        renameat(o->pfd, aname, o->pfd, o->base);
        free(aside);
        errno = saved;
        goto fail;
    }
    /* the previous outputs now go by the other private name */
    free(o->tpath);
    o->tpath = aside;
    o->tname = strrchr(aside, '/') + 1;
    return CSA_OK;
fail:
    return csa_error_set(err, CSA_ERR_IO, o->dir, 0, 0, NULL, NULL,
                         "cannot switch in the new outputs: %s; the previous outputs are as "
                         "they were", strerror(errno));
}

csa_status csa_outdir_commit(csa_outdir *o, csa_error *err)
{
    if (!o->manifested)
        return csa_error_set(err, CSA_ERR_STATE, o->dir, 0, 0, NULL, NULL,
                             "outputs committed before their manifest was written");
    csa_status st = verify(o, err);
    if (st || test_step("written") || (st = check_out(o, err)))
        return st ? st : csa_error_set(err, CSA_ERR_IO, o->dir, 0, 0, NULL, NULL,
                                       "cannot check the outputs: %s", strerror(errno));
    if (fchmod(o->tfd, o->mode) != 0 || unlinkat(o->tfd, MARKER, 0) != 0 ||
        test_step("unmarked"))
        return csa_error_set(err, CSA_ERR_IO, o->dir, 0, 0, NULL, NULL,
                             "cannot ready the outputs in %s: %s", o->tpath, strerror(errno));
    if ((st = switch_in(o, err)))
        return st;
    o->switched = true;
    fsync(o->pfd); /* the switch itself on disk; the outputs already are */
    test_step("switched");
    remove_private(o, o->tname);
    test_step("removed");
    return CSA_OK;
}

void csa_outdir_free(csa_outdir *o)
{
    if (!o)
        return;
    if (o->tname && !o->switched && o->pfd >= 0)
        remove_private(o, o->tname);
    /* a run that fails leaves no folder it made (only while it is empty:
     * never anything else) */
    if (o->created && !o->switched && o->pfd >= 0)
        unlinkat(o->pfd, o->base, AT_REMOVEDIR);
    for (size_t i = 0; i < o->n; i++) {
        free(o->entries[i].name);
        free(o->entries[i].tmp);
    }
    if (o->tfd >= 0)
        close(o->tfd);
    if (o->lock >= 0)
        close(o->lock); /* and with it the lock */
    if (o->pfd >= 0)
        close(o->pfd);
    free(o->entries);
    free(o->tpath);
    free(o->base);
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
    size_t size = 6 * strlen(s) + 3; /* every byte \u00XX, and the quotes */
    char *buf = malloc(size);
    if (!buf) {
        fputs("\"\"", fp);
        return;
    }
    json_escape(s, buf, size);
    fputs(buf, fp);
    free(buf);
}

csa_status csa_outdir_manifest(csa_outdir *o, const char *command,
                               const csa_manifest_input *inputs, size_t ninputs, csa_error *err)
{
    size_t nout = o->n;
    const char *path;
    char hex[65], dir[4096], rel[4096], when[32];
    uint64_t size;
    csa_status st = csa_outdir_add(o, MANIFEST, &path, err);
    if (st)
        return st;
    if (!realpath(o->dir, dir))
        return csa_error_set(err, CSA_ERR_IO, o->dir, 0, 0, NULL, NULL, "cannot resolve: %s",
                             strerror(errno));
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot create: %s",
                             csa_io_error(errno));
    time_t t = csa_run_time();
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(fp, "%s%s\",\n  \"command\": ", MANIFEST_HEAD, CSA_VERSION);
    json_text(fp, command);
    fprintf(fp, ",\n  \"created\": \"%s\",\n  \"outputs\": [", when);
    for (size_t i = 0; i < nout && !st; i++) {
        entry *e = &o->entries[i];
        if ((st = csa_sha256_file(e->tmp, hex, &size, err)))
            break;
        e->bytes = size, e->listed = true;
        fprintf(fp, "%s\n    {\"path\": ", i ? "," : "");
        json_text(fp, e->name);
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
    errno = 0;
    bool bad = fflush(fp) != 0 || ferror(fp);
    int saved = errno;
    long end = ftell(fp);
    if (fclose(fp) != 0 || bad)
        st = st ? st : csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL,
                                     "cannot write: %s", csa_io_error(bad ? saved : errno));
    if (!st) {
        entry *m = &o->entries[o->n - 1];
        m->bytes = (uint64_t)end, m->listed = true;
        o->manifested = true;
    }
    return st;
}
