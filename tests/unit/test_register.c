/* The submissions register (assess/register.c) in a temporary folder:
 * days late and months missing worked out by hand, a register made,
 * read back and reopened, digests remembered and recognised only for an
 * unchanged file, and files that are not registers refused and left as
 * they were. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "csa/month.h"
#include "csa/register.h"

static char dir[64];

static void path_in(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", dir, name);
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char *buf = malloc(1 << 16);
    *len = fread(buf, 1, 1 << 16, fp);
    fclose(fp);
    return buf;
}

/* Days late are whole UTC days after the due date, never negative. */
static void test_days_late(void **state)
{
    (void)state;
    int32_t due = 17911; /* 2019-01-15: 49 years, 12 leap days, 14 days */
    int64_t midnight = (int64_t)due * 86400;
    assert_int_equal(csa_days_late(midnight - 1, due), 0);      /* the day before */
    assert_int_equal(csa_days_late(midnight + 86399, due), 0);  /* the due day, 23:59:59 */
    assert_int_equal(csa_days_late(midnight + 86400, due), 1);  /* the next day, 00:00 */
    assert_int_equal(csa_days_late(midnight + 5 * 86400 + 36000, due), 5);
    assert_int_equal(csa_days_late(0, due), 0);
}

/* Months of the period a submission lacks, as runs. */
static void test_missing(void **state)
{
    (void)state;
    int32_t oct = csa_month_make(2018, 10), mar = csa_month_make(2019, 3);
    char buf[256];
    csa_submission s = {.months = "2018-09 2018-10 2018-12 2019-03"};
    csa_register_missing(&s, oct, mar, buf, sizeof buf);
    assert_string_equal(buf, "Nov 2018, Jan 2019 to Feb 2019");
    s.months = "2018-10 2018-11 2018-12 2019-01 2019-02 2019-03";
    csa_register_missing(&s, oct, mar, buf, sizeof buf);
    assert_string_equal(buf, "none");
    s.months = "";
    csa_register_missing(&s, oct, mar, buf, sizeof buf);
    assert_string_equal(buf, "Oct 2018 to Mar 2019");
}

/* Made on first use (with its store folder), empty, and version 1; an
 * absent register is not made by a reader. */
static void test_create(void **state)
{
    (void)state;
    char path[128], store[128];
    csa_register *r = NULL;
    csa_error err = {0};
    path_in(path, sizeof path, "new.sqlite");
    assert_int_equal(csa_register_open(path, false, &r, &err), CSA_ERR_NOT_FOUND);
    assert_null(r);
    assert_int_not_equal(access(path, F_OK), 0);
    assert_int_equal(csa_register_open(path, true, &r, &err), CSA_OK);
    path_in(store, sizeof store, "store");
    assert_string_equal(csa_register_store(r), store);
    struct stat sb;
    assert_int_equal(stat(store, &sb), 0);
    assert_true(S_ISDIR(sb.st_mode));
    csa_submission *subs = NULL;
    size_t n = 99;
    assert_int_equal(csa_register_history(r, "police", &subs, &n, &err), CSA_OK);
    assert_int_equal(n, 0);
    csa_submissions_free(subs, n);

    /* a digest is known only while the file is as it was */
    char file[128], hex[65];
    bool found = true;
    path_in(file, sizeof file, "data.csv");
    write_file(file, "a,b\n1,2\n");
    struct stat fs;
    assert_int_equal(stat(file, &fs), 0);
    const char *paths[] = {file}, *hexes[] = {"0123456789abcdef0123456789abcdef0123456789abcdef"
                                              "0123456789abcdef"};
    assert_int_equal(csa_register_known_digest(r, file, &fs, hex, &found, &err), CSA_OK);
    assert_false(found);
    assert_int_equal(csa_register_remember_digests(r, paths, &fs, hexes, 1, &err), CSA_OK);
    assert_int_equal(csa_register_known_digest(r, file, &fs, hex, &found, &err), CSA_OK);
    assert_true(found);
    assert_string_equal(hex, hexes[0]);
    struct stat later = fs;
    later.st_mtim.tv_nsec = (later.st_mtim.tv_nsec + 1) % 1000000000;
    assert_int_equal(csa_register_known_digest(r, file, &later, hex, &found, &err), CSA_OK);
    assert_false(found);
    later = fs;
    later.st_size++;
    assert_int_equal(csa_register_known_digest(r, file, &later, hex, &found, &err), CSA_OK);
    assert_false(found);
    csa_register_close(r);

    /* reopened by a reader, it is the same register */
    assert_int_equal(csa_register_open(path, false, &r, &err), CSA_OK);
    assert_int_equal(csa_register_known_digest(r, file, &fs, hex, &found, &err), CSA_OK);
    assert_true(found);
    csa_register_close(r);
}

/* Text, or half a register: refused as not a register, byte for byte as
 * it was, by a reader and a writer alike. */
static void test_damaged(void **state)
{
    (void)state;
    char path[128];
    csa_register *r = NULL;
    csa_error err = {0};
    path_in(path, sizeof path, "text.sqlite");
    const char *text = "partner,input,received\nnhs,health,2019-01-20\n";
    write_file(path, text);
    for (int create = 0; create < 2; create++) {
        assert_int_equal(csa_register_open(path, create, &r, &err), CSA_ERR_FORMAT);
        assert_null(r);
        assert_non_null(strstr(err.message, "is not a csa submissions register"));
        assert_non_null(strstr(err.message, "csa leaves this one as it is"));
        size_t len;
        char *now = read_all(path, &len);
        assert_int_equal(len, strlen(text));
        assert_memory_equal(now, text, len);
        free(now);
    }
    /* a folder where the register should be */
    path_in(path, sizeof path, "folder.sqlite");
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(csa_register_open(path, true, &r, &err), CSA_ERR_IO);
    assert_non_null(strstr(err.message, "is not a file"));
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/csa-register-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_days_late),
        cmocka_unit_test(test_missing),
        cmocka_unit_test(test_create),
        cmocka_unit_test(test_damaged),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return 1;
    return failed;
}
