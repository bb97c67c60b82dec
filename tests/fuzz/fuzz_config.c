/* libFuzzer harness: any bytes as a config (assessment.ini), read from
 * memory. Built with clang -fsanitize=fuzzer (meson -Dfuzz=true), or linked
 * with replay.c to run the sample config and seeded mutations of it under
 * the sanitizers. */
#include <stddef.h>
#include <stdint.h>

#include "csa/assess.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* replay.c puts a byte in front of every input (fuzz_csv.c's spec) */
    size_t skip = size > 0;
    csa_config *c = NULL;
    csa_error err;
    csa_config_errors all;
    if (csa_config_read_buffer((const char *)data + skip, size - skip, "fuzz/assessment.ini", &c,
                               &err, &all) == CSA_OK)
        csa_config_free(c);
    csa_config_errors_free(&all);
    return 0;
}
