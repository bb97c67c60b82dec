/* A whole file read into memory for a unit test (include after cmocka.h):
 * NUL-terminated, *len its length; free() it. Any failure fails the test. */
#ifndef CSA_TESTS_SLURP_H
#define CSA_TESTS_SLURP_H

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    buf[n] = '\0';
    fclose(fp);
    *len = (size_t)n;
    return buf;
}

#endif
