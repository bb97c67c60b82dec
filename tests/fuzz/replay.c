/* Runs the fuzz harness without libFuzzer: every file named on the command
 * line, then seeded mutations of them (bit flips, cuts, inserted quotes,
 * commas, line ends and NULs, splices), so that every test run fuzzes a
 * little under AddressSanitizer and UndefinedBehaviorSanitizer.
 * usage: replay ITERATIONS FILE... */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t state = 0x9E3779B97F4A7C15ULL; /* fixed seed: runs repeat */

static uint64_t next(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0, got;
    do {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            uint8_t *b = realloc(buf, cap);
            if (!b) {
                free(buf);
                fclose(fp);
                return NULL;
            }
            buf = b;
        }
        got = fread(buf + n, 1, cap - n, fp);
        n += got;
    } while (got);
    fclose(fp);
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: replay ITERATIONS FILE...\n");
        return 2;
    }
    long iterations = atol(argv[1]);
    size_t nfiles = (size_t)argc - 2, *lens = calloc(nfiles, sizeof *lens);
    uint8_t **files = calloc(nfiles, sizeof *files);
    if (!lens || !files)
        return 2;
    for (size_t i = 0; i < nfiles; i++) {
        size_t len;
        uint8_t *raw = slurp(argv[i + 2], &len);
        if (!raw) {
            fprintf(stderr, "replay: cannot read %s\n", argv[i + 2]);
            return 2;
        }
        /* a spec byte in front, as the harness expects */
        files[i] = malloc(len + 1);
        if (!files[i])
            return 2;
        files[i][0] = (uint8_t)i;
        memcpy(files[i] + 1, raw, len);
        lens[i] = len + 1;
        free(raw);
        LLVMFuzzerTestOneInput(files[i], lens[i]);
    }
    static const char tokens[] = "\",\r\n\0\xC3\xFF\x92 ";
    for (long it = 0; it < iterations; it++) {
        size_t f = next() % nfiles, len = lens[f];
        uint8_t *m = malloc(len + 64);
        if (!m)
            return 2;
        memcpy(m, files[f], len);
        for (int k = 0, edits = 1 + (int)(next() % 4); k < edits && len; k++) {
            size_t at = next() % len;
            switch (next() % 5) {
            case 0: m[at] ^= (uint8_t)(1u << (next() % 8)); break;
            case 1: len = at + 1; break;
            case 2:
                if (len < lens[f] + 60) {
                    memmove(m + at + 1, m + at, len - at);
                    m[at] = (uint8_t)tokens[next() % (sizeof tokens - 1)];
                    len++;
                }
                break;
            case 3: m[0] = (uint8_t)next(); break;
            case 4: {
                size_t g = next() % nfiles, from = next() % lens[g];
                size_t n = lens[g] - from < len - at ? lens[g] - from : len - at;
                memcpy(m + at, files[g] + from, n);
                break;
            }
            }
        }
        LLVMFuzzerTestOneInput(m, len);
        free(m);
    }
    printf("replay: %zu files, %ld mutations, no crash\n", nfiles, iterations);
    for (size_t i = 0; i < nfiles; i++)
        free(files[i]);
    free(files);
    free(lens);
    return 0;
}
