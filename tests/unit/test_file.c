/* Input files (csa/file.h): regular files only, and a file that changes
 * while csa reads it, or between two reads of it, stops the read (issue 20
 * cases 10 and 14). Each change is made at a known moment, not raced. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "csa/file.h"
#include "csa/ingest.h"
#include "csa/report.h"

static const char CHANGED[] =
    "file changed while csa was reading it: run again once it is complete";

static void put(const char *path, const char *mode, const char *text)
{
    FILE *fp = fopen(path, mode);
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

/* Reads src to its end; the status of the last read. */
static csa_status read_all(csa_source *src, size_t *total, csa_error *err)
{
    char buf[4];
    size_t got;
    csa_status st;
    *total = 0;
    do {
        st = src->read(src->ctx, buf, sizeof buf, &got, err);
        *total += got;
    } while (!st && got);
    return st;
}

/* A new file of 8 bytes at path (a mkstemp template), opened into src,
 * with no identity recorded before. */
static void open_new(char *path, csa_source *src)
{
    close(mkstemp(path));
    csa_file_forget_all();
    put(path, "w", "a,b\n1,2\n");
    csa_error err = {0};
    assert_int_equal(csa_source_open_file(src, path, &err), CSA_OK);
    assert_int_equal(src->size, 8);
}

static void grows_while_read(void **state)
{
    (void)state;
    char path[] = "/tmp/csa-file-XXXXXX";
    csa_source src;
    csa_error err = {0};
    open_new(path, &src);
    char buf[4];
    size_t got, total;
    assert_int_equal(src.read(src.ctx, buf, sizeof buf, &got, &err), CSA_OK);
    assert_int_equal(got, 4);
    put(path, "a", "3,4\n"); /* a writer appends mid-read */
    assert_int_equal(read_all(&src, &total, &err), CSA_ERR_IO);
    assert_true(total <= 5); /* never more than one byte past the size it had */
    assert_string_equal(err.file, path);
    assert_string_equal(err.message, CHANGED);
    csa_source_close(&src);
    unlink(path);
}

static void changed_between_reads(void **state)
{
    (void)state;
    char path[] = "/tmp/csa-file-XXXXXX";
    csa_source src;
    csa_error err = {0};
    open_new(path, &src);
    size_t total;
    assert_int_equal(read_all(&src, &total, &err), CSA_OK);
    assert_int_equal(total, 8);
    csa_source_close(&src);
    /* a second read of the same file finds it as the first did */
    assert_int_equal(csa_source_open_file(&src, path, &err), CSA_OK);
    csa_source_close(&src);
    /* the same size, a later modification time: rewritten, not the same data */
    put(path, "w", "a,b\n5,6\n");
    struct timespec later[2] = {{.tv_sec = 0, .tv_nsec = UTIME_OMIT}, {.tv_sec = 2000000000}};
    assert_int_equal(utimensat(AT_FDCWD, path, later, 0), 0);
    assert_int_equal(csa_source_open_file(&src, path, &err), CSA_ERR_IO);
    assert_string_equal(err.message, CHANGED);
    /* the digest thread, opening it after the change, refuses it too */
    csa_digests *d;
    const char *paths[] = {path};
    assert_int_equal(csa_digests_start(paths, 1, &d, &err), CSA_OK);
    assert_int_equal(csa_digests_wait(d, &err), CSA_ERR_IO);
    assert_string_equal(err.message, CHANGED);
    csa_digests_free(d);
    /* replaced by another file (a new inode) of the same size and time */
    csa_file_forget_all();
    assert_int_equal(csa_source_open_file(&src, path, &err), CSA_OK);
    csa_source_close(&src);
    char other[sizeof path + 4];
    snprintf(other, sizeof other, "%s.new", path);
    put(other, "w", "a,b\n5,6\n");
    assert_int_equal(utimensat(AT_FDCWD, other, later, 0), 0);
    assert_int_equal(rename(other, path), 0);
    assert_int_equal(csa_source_open_file(&src, path, &err), CSA_ERR_IO);
    assert_string_equal(err.message, CHANGED);
    unlink(path);
    csa_file_forget_all();
}

static void not_regular_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/csa-file-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char fifo[64];
    snprintf(fifo, sizeof fifo, "%s/fifo.csv", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    static const struct {
        const char *path, *is;
    } cases[] = {{NULL, "a FIFO (named pipe)"}, {"/dev/zero", "a character device"},
                 {"/tmp", "a folder"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *path = cases[i].path ? cases[i].path : fifo;
        char want[256];
        snprintf(want, sizeof want, "is %s: csa reads inputs from regular files only (copy the "
                 "data into a file and name that)", cases[i].is);
        csa_source src;
        csa_error err = {0};
        /* a FIFO with no writer: refused at once, not waited on */
        assert_int_equal(csa_source_open_file(&src, path, &err), CSA_ERR_IO);
        assert_string_equal(err.file, path);
        assert_string_equal(err.message, want);
        csa_digests *d;
        const char *paths[] = {path};
        memset(&err, 0, sizeof err);
        assert_int_equal(csa_digests_start(paths, 1, &d, &err), CSA_OK);
        assert_int_equal(csa_digests_wait(d, &err), CSA_ERR_IO);
        assert_string_equal(err.message, want);
        csa_digests_free(d);
    }
    unlink(fifo);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(grows_while_read),
        cmocka_unit_test(changed_between_reads),
        cmocka_unit_test(not_regular_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
