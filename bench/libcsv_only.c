/* libcsv's parser alone: the floor for any per-field-callback CSV reader.
 *
 *     libcsv_only FILE
 *
 * Reads FILE in 1 MiB blocks and feeds it to csv_parse() with a field callback that does
 * nothing and a row callback that counts rows (so the run can be checked), then prints the
 * number of rows, header included, to stdout. Options as csa's own libcsv reader sets them
 * (csv_init(&p, 0): no CSV_STRICT, default delimiter and quote).
 * Built by bench/run: gcc -O2 -o bench/libcsv_only bench/libcsv_only.c -lcsv
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>

static void on_field(void *field, size_t len, void *data)
{
    (void)field, (void)len, (void)data;
}

static void on_row(int term, void *data)
{
    (void)term;
    ++*(unsigned long long *)data;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: libcsv_only FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    struct csv_parser p;
    if (csv_init(&p, 0) != 0)
        return 1;
    static char buf[1 << 20];
    unsigned long long rows = 0;
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (csv_parse(&p, buf, n, on_field, on_row, &rows) != n) {
            fprintf(stderr, "%s: %s\n", argv[1], csv_strerror(csv_error(&p)));
            return 1;
        }
    }
    if (ferror(f) || csv_fini(&p, on_field, on_row, &rows) != 0) {
        fprintf(stderr, "%s: read or parse error\n", argv[1]);
        return 1;
    }
    csv_free(&p);
    fclose(f);
    printf("%llu\n", rows);
    return 0;
}
