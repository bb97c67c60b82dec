/* failwrite: an LD_PRELOAD shim that makes writes to files fail with ENOSPC,
 * as a disk that fills up does, for tests/outdir/write-errors.sh.
 *
 *   FAILWRITE_AT=N    the Nth write to a regular file, and every later one,
 *                     fails with ENOSPC (the disk stays full)
 *   FAILWRITE_LOG=F   appends "N<TAB>what<TAB>path" for every write counted
 *
 * A write is a write(2) or fsync(2) on a regular file. stdio streams opened
 * for writing (fopen, fopen64, fdopen, tmpfile: what csa, cairo, libpng,
 * libxlsxwriter and its zip library use) are remade with fopencookie, so
 * their buffered writes come here too: glibc's own stdio would call its
 * internal write, which no shim can see. */
/* fopen and fopen64 both defined here: no redirection of one to the other */
#undef _FILE_OFFSET_BITS
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static atomic_long count;

static ssize_t (*real_write)(int, const void *, size_t);
static int (*real_fsync)(int);
static FILE *(*real_fopen)(const char *, const char *);
static FILE *(*real_fopen64)(const char *, const char *);
static FILE *(*real_fdopen)(int, const char *);
static FILE *(*real_tmpfile)(void);

static void init(void)
{
    if (real_write)
        return;
    real_fsync = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    real_fopen = (FILE * (*)(const char *, const char *)) dlsym(RTLD_NEXT, "fopen");
    real_fopen64 = (FILE * (*)(const char *, const char *)) dlsym(RTLD_NEXT, "fopen64");
    real_fdopen = (FILE * (*)(int, const char *)) dlsym(RTLD_NEXT, "fdopen");
    real_tmpfile = (FILE * (*)(void)) dlsym(RTLD_NEXT, "tmpfile");
    real_write = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
}

/* Counts a write to fd if it is a regular file; false: it fails. */
static int allowed(int fd, const char *what)
{
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
        return 1;
    long n = atomic_fetch_add(&count, 1) + 1;
    const char *log = getenv("FAILWRITE_LOG");
    if (log) {
        char link[64], path[4096];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t len = readlink(link, path, sizeof path - 1);
        path[len > 0 ? len : 0] = '\0';
        int lf = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (lf >= 0) {
            dprintf(lf, "%ld\t%s\t%s\n", n, what, path);
            close(lf);
        }
    }
    const char *at = getenv("FAILWRITE_AT");
    if (at && *at && n >= atol(at)) {
        errno = ENOSPC;
        return 0;
    }
    return 1;
}

ssize_t write(int fd, const void *buf, size_t n)
{
    init();
    if (!allowed(fd, "write"))
        return -1;
    return real_write(fd, buf, n);
}

int fsync(int fd)
{
    init();
    if (!allowed(fd, "fsync"))
        return -1;
    return real_fsync(fd);
}

/* ---- stdio streams on a descriptor, writing through write() above ---- */

static ssize_t cookie_read(void *c, char *buf, size_t n)
{
    return read((int)(intptr_t)c, buf, n);
}

static ssize_t cookie_write(void *c, const char *buf, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t w = write((int)(intptr_t)c, buf + done, n - done);
        if (w <= 0)
            break; /* errno says why; 0 tells stdio it failed */
        done += (size_t)w;
    }
    return (ssize_t)done;
}

static int cookie_seek(void *c, off64_t *off, int whence)
{
    off_t at = lseek((int)(intptr_t)c, (off_t)*off, whence);
    if (at < 0)
        return -1;
    *off = at;
    return 0;
}

static int cookie_close(void *c)
{
    return close((int)(intptr_t)c);
}

static int writes(const char *mode)
{
    return strpbrk(mode, "wa+") != NULL;
}

/* A stream on fd (owned by it from now on) whose writes come here. */
static FILE *wrap(int fd, const char *mode)
{
    cookie_io_functions_t io = {cookie_read, cookie_write, cookie_seek, cookie_close};
    char m[8];
    snprintf(m, sizeof m, "%s", mode);
    char *x = strchr(m, 'x'); /* fopencookie takes no 'x' (the file is open already) */
    if (x)
        memmove(x, x + 1, strlen(x));
    FILE *fp = fopencookie((void *)(intptr_t)fd, m, io);
    if (!fp)
        close(fd);
    return fp;
}

static FILE *rewrap(FILE *fp, const char *mode)
{
    if (!fp || !writes(mode))
        return fp;
    int fd = dup(fileno(fp));
    fclose(fp);
    return fd < 0 ? NULL : wrap(fd, mode);
}

FILE *fopen(const char *path, const char *mode)
{
    init();
    return rewrap(real_fopen(path, mode), mode);
}

FILE *fopen64(const char *path, const char *mode)
{
    init();
    return rewrap(real_fopen64(path, mode), mode);
}

FILE *fdopen(int fd, const char *mode)
{
    init();
    return writes(mode) ? wrap(fd, mode) : real_fdopen(fd, mode);
}

FILE *tmpfile(void)
{
    init();
    return rewrap(real_tmpfile(), "w+");
}
