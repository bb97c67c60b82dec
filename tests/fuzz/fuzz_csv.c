/* libFuzzer harness: any bytes through validation and ingest of every spec.
 * Built with clang -fsanitize=fuzzer (meson -Dfuzz=true), or linked with
 * replay.c to run a corpus and seeded mutations under the sanitizers. */
#include <stddef.h>
#include <stdint.h>

#include "csa/csa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t nspecs;
    const csa_spec *specs = csa_specs(&nspecs);
    /* the first byte picks the spec, so one corpus reaches them all */
    const csa_spec *spec = &specs[size ? data[0] % nspecs : 0];
    const char *text = size ? (const char *)data + 1 : "";
    size_t len = size ? size - 1 : 0;
    csa_source src;
    csa_error err;

    csa_validate_options vo = {.spec = spec, .area = "E06000042"};
    csa_validation *v = NULL;
    csa_source_from_buffer(&src, "fuzz.csv", text, len);
    if (csa_validate(&src, &vo, &v, &err) == CSA_OK)
        csa_validation_free(v);

    csa_ingest_options io = {.spec = spec, .max_reject_share = 0.5};
    csa_table *t = NULL;
    csa_ingest_stats stats;
    if (csa_ingest_table(&io, &t, &err) == CSA_OK) {
        csa_source_from_buffer(&src, "fuzz.csv", text, len);
        csa_ingest(&src, &io, t, &stats, &err);
        csa_table_free(t);
    }

    /* counting (csa rates' way): by the first two columns that need not be unique */
    const char *keys[2];
    size_t nkeys = 0;
    for (size_t c = 0; c < spec->ncolumns && nkeys < 2; c++)
        if (!(spec->columns[c].flags & CSA_COL_UNIQUE))
            keys[nkeys++] = spec->columns[c].name;
    if (nkeys) {
        csa_ingest_options co = {.spec = spec, .columns = keys, .ncolumns = nkeys,
                                 .max_reject_share = 0.5};
        const csa_count_set sets[] = {{keys, nkeys}, {keys, 1}};
        csa_table *counted[2];
        csa_source_from_buffer(&src, "fuzz.csv", text, len);
        if (csa_ingest_count(&src, &co, sets, 2, counted, &stats, &err) == CSA_OK) {
            csa_table_free(counted[0]);
            csa_table_free(counted[1]);
        }
    }
    return 0;
}
